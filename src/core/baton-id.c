/* baton-id.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-id"

#include "config.h"

#include "baton-id.h"

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* "cnv_01JD…": a prefix that says what the id names, then 48 bits of time and 80 random bits
 * in Crockford base 32, so ids sort by creation time and never collide in practice. Clients
 * treat them as opaque. */
char *
baton_id_new (const char *prefix,
              gint64      now_ms)
{
  GString *id = g_string_new (prefix);
  guint64 time_part = (guint64) MAX (now_ms, 0);
  int i;

  g_string_append_c (id, '_');
  for (i = 9; i >= 0; i--)
    g_string_append_c (id, crockford[(time_part >> (i * 5)) & 31]);
  for (i = 0; i < 16; i++)
    g_string_append_c (id, crockford[g_random_int_range (0, 32)]);
  return g_string_free (id, FALSE);
}
