/* baton-time.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-time"

#include "config.h"

#include "baton-time.h"

/* RFC 3339 UTC with milliseconds, as PROTOCOL.md §1 fixes: 2026-11-22T09:30:00.000Z. */
char *
baton_time_format (gint64 ms)
{
  g_autoptr(GDateTime) dt = NULL;
  gint64 seconds = ms / 1000;
  int millis = (int) (ms % 1000);

  if (millis < 0)
    {
      millis += 1000;
      seconds -= 1;
    }
  dt = g_date_time_new_from_unix_utc (seconds);
  if (dt == NULL)
    return g_strdup ("1970-01-01T00:00:00.000Z");
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                          g_date_time_get_year (dt), g_date_time_get_month (dt),
                          g_date_time_get_day_of_month (dt), g_date_time_get_hour (dt),
                          g_date_time_get_minute (dt), g_date_time_get_second (dt), millis);
}

/* Accepts any RFC 3339 date-time with a zone ("Z" or an offset). */
gboolean
baton_time_parse (const char *text,
                  gint64     *ms)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *upper = NULL;
  gsize len;

  if (text == NULL)
    return FALSE;
  len = strlen (text);
  /* ISO 8601 allows more than RFC 3339; insist on the date-time shape. */
  if (len < 20 || text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't'))
    return FALSE;
  /* RFC 3339 allows a lower-case "t" and "z"; GLib takes only an upper-case "Z". */
  upper = g_ascii_strup (text, -1);
  dt = g_date_time_new_from_iso8601 (upper, NULL);
  if (dt == NULL)
    return FALSE;
  *ms = g_date_time_to_unix (dt) * 1000 + g_date_time_get_microsecond (dt) / 1000;
  return TRUE;
}
