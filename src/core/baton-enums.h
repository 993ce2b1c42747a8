/* baton-enums.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  BATON_ROLE_AGENT,
  BATON_ROLE_MANAGER,
} BatonRole;

typedef enum {
  BATON_AVAILABILITY_ONLINE,
  BATON_AVAILABILITY_AWAY,
  BATON_AVAILABILITY_OFFLINE,
} BatonAvailability;

typedef enum {
  BATON_STATUS_NEW,
  BATON_STATUS_IN_PROGRESS,
  BATON_STATUS_RESOLVED,
} BatonStatus;

typedef enum {
  BATON_STRATEGY_ROUND_ROBIN,
  BATON_STRATEGY_LEAST_BUSY,
  BATON_STRATEGY_DEFAULT_USER,
} BatonStrategy;

typedef enum {
  BATON_MESSAGE_INBOUND,
  BATON_MESSAGE_OUTBOUND,
  BATON_MESSAGE_NOTE,
  BATON_MESSAGE_ACTIVITY,
} BatonMessageKind;

typedef enum {
  BATON_CHANNEL_API,
  BATON_CHANNEL_WHATSAPP,
} BatonChannelKind;

/* Each enum has its wire names; _from_string returns -1 for an unknown name. */
const char *baton_role_to_string           (BatonRole          role);
int         baton_role_from_string         (const char        *name);
const char *baton_availability_to_string   (BatonAvailability  availability);
int         baton_availability_from_string (const char        *name);
const char *baton_status_to_string         (BatonStatus        status);
int         baton_status_from_string       (const char        *name);
const char *baton_strategy_to_string       (BatonStrategy      strategy);
int         baton_strategy_from_string     (const char        *name);
const char *baton_message_kind_to_string   (BatonMessageKind   kind);
int         baton_message_kind_from_string (const char        *name);
const char *baton_channel_kind_to_string   (BatonChannelKind   kind);
int         baton_channel_kind_from_string (const char        *name);

G_END_DECLS
