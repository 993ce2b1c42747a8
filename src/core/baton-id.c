/* baton-id.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-id"

#include "config.h"

#include <string.h>

#include "baton-id.h"

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* "cnv_01JD…": a prefix that says what the id names, then 48 bits of time and 80 random bits
 * in Crockford base 32, so ids sort by creation time and never collide in practice. Within one
 * millisecond (or under a clock that stands still) the random part counts up, so that ids
 * made one after the other still sort in that order. Clients treat them as opaque. */
G_LOCK_DEFINE_STATIC (last_id);
static gint64 last_ms = -1;
static guint8 last_random[16];

char *
baton_id_new (const char *prefix,
              gint64      now_ms)
{
  GString *id = g_string_new (prefix);
  guint64 time_part;
  guint8 random[16];
  int i;

  now_ms = MAX (now_ms, 0);
  G_LOCK (last_id);
  if (now_ms == last_ms)
    {
      /* the next value of the same millisecond: add one, base 32 */
      for (i = 15; i >= 0 && ++last_random[i] == 32; i--)
        last_random[i] = 0;
    }
  else
    {
      last_ms = now_ms;
      /* the top digit stays low: room to count up without overflowing */
      for (i = 0; i < 16; i++)
        last_random[i] = (guint8) g_random_int_range (0, i == 0 ? 16 : 32);
    }
  memcpy (random, last_random, sizeof random);
  time_part = (guint64) now_ms;
  G_UNLOCK (last_id);

  g_string_append_c (id, '_');
  for (i = 9; i >= 0; i--)
    g_string_append_c (id, crockford[(time_part >> (i * 5)) & 31]);
  for (i = 0; i < 16; i++)
    g_string_append_c (id, crockford[random[i]]);
  return g_string_free (id, FALSE);
}
