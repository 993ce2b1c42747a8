/* baton-enums.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-enums"

#include "config.h"

#include "baton-enums.h"

static const char *roles[] = { "agent", "manager", NULL };
static const char *availabilities[] = { "online", "away", "offline", NULL };
static const char *statuses[] = { "new", "in_progress", "resolved", NULL };
static const char *strategies[] = { "round_robin", "least_busy", "default_user", NULL };
static const char *message_kinds[] = { "inbound", "outbound", "note", "activity", NULL };
static const char *channel_kinds[] = { "api", "whatsapp", NULL };

static const char *
name_of (const char **names,
         int          value)
{
  int i;

  for (i = 0; names[i]; i++)
    if (i == value)
      return names[i];
  g_return_val_if_reached (names[0]);
}

static int
value_of (const char **names,
          const char  *name)
{
  int i;

  if (name == NULL)
    return -1;
  for (i = 0; names[i]; i++)
    if (g_str_equal (names[i], name))
      return i;
  return -1;
}

#define ENUM_NAMES(type, prefix, table)                                                       \
  const char *prefix##_to_string (type value) { return name_of (table, (int) value); }        \
  int prefix##_from_string (const char *name) { return value_of (table, name); }

ENUM_NAMES (BatonRole, baton_role, roles)
ENUM_NAMES (BatonAvailability, baton_availability, availabilities)
ENUM_NAMES (BatonStatus, baton_status, statuses)
ENUM_NAMES (BatonStrategy, baton_strategy, strategies)
ENUM_NAMES (BatonMessageKind, baton_message_kind, message_kinds)
ENUM_NAMES (BatonChannelKind, baton_channel_kind, channel_kinds)
