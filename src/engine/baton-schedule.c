/* baton-schedule.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-schedule"

#include "config.h"

#include "baton-error.h"
#include "baton-json.h"
#include "baton-schedule.h"

static const char *day_names[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

G_DEFINE_BOXED_TYPE (BatonSchedule, baton_schedule, baton_schedule_ref, baton_schedule_unref)

BatonSchedule *
baton_schedule_new (void)
{
  BatonSchedule *schedule = g_rc_box_new0 (BatonSchedule);

  schedule->weekly = g_array_new (FALSE, TRUE, sizeof (BatonInterval));
  schedule->holidays = g_new0 (char *, 1);
  schedule->timezone = g_strdup ("Etc/UTC");
  schedule->zone = g_time_zone_new_utc ();
  return schedule;
}

BatonSchedule *
baton_schedule_ref (BatonSchedule *schedule)
{
  return g_rc_box_acquire (schedule);
}

static void
schedule_clear (BatonSchedule *schedule)
{
  g_free (schedule->id);
  g_free (schedule->name);
  g_free (schedule->timezone);
  g_array_unref (schedule->weekly);
  g_strfreev (schedule->holidays);
  g_time_zone_unref (schedule->zone);
}

void
baton_schedule_unref (BatonSchedule *schedule)
{
  g_rc_box_release_full (schedule, (GDestroyNotify) schedule_clear);
}

/* "HH:MM", 00:00 to 24:00, as minutes after midnight. */
gboolean
baton_schedule_parse_clock (const char *text,
                            int        *minutes)
{
  int hours, mins;

  if (text == NULL || strlen (text) != 5 || text[2] != ':'
      || !g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[1])
      || !g_ascii_isdigit (text[3]) || !g_ascii_isdigit (text[4]))
    return FALSE;
  hours = (text[0] - '0') * 10 + (text[1] - '0');
  mins = (text[3] - '0') * 10 + (text[4] - '0');
  if (mins > 59 || hours > 24 || (hours == 24 && mins != 0))
    return FALSE;
  *minutes = hours * 60 + mins;
  return TRUE;
}

static gboolean
read_weekly (JsonNode  *node,
             GArray    *weekly,
             GError   **error)
{
  JsonArray *array = NULL;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      baton_set_field_error (error, "weekly", "weekly must be an array of intervals");
      return FALSE;
    }
  array = json_node_get_array (node);
  if (json_array_get_length (array) > 100)
    {
      baton_set_field_error (error, "weekly", "A schedule has at most 100 intervals");
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *field = g_strdup_printf ("weekly[%u]", i);
      g_autofree char *day_field = g_strdup_printf ("weekly[%u].day", i);
      g_autofree char *from_field = g_strdup_printf ("weekly[%u].from", i);
      g_autofree char *to_field = g_strdup_printf ("weekly[%u].to", i);
      JsonObject *object = NULL;
      BatonInterval interval = { -1, 0, 0 };
      const char *day = NULL, *from = NULL, *to = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          baton_set_field_error (error, field, "%s must be {day, from, to}", field);
          return FALSE;
        }
      object = json_node_get_object (element);
      /* A member of another type reads as missing: its own message below names the field. */
      if (!baton_json_read_string (object, "day", BATON_JSON_REQUIRED, &day, NULL))
        day = NULL;
      if (!baton_json_read_string (object, "from", BATON_JSON_REQUIRED, &from, NULL))
        from = NULL;
      if (!baton_json_read_string (object, "to", BATON_JSON_REQUIRED, &to, NULL))
        to = NULL;
      for (int d = 0; day && d < 7; d++)
        if (g_str_equal (day, day_names[d]))
          interval.day = d;
      if (interval.day < 0)
        {
          baton_set_field_error (error, day_field, "day must be one of mon, tue, wed, thu, fri,"
                                 " sat, sun");
          return FALSE;
        }
      if (!baton_schedule_parse_clock (from, &interval.from) || interval.from == 24 * 60)
        {
          baton_set_field_error (error, from_field, "from must be a time HH:MM");
          return FALSE;
        }
      if (!baton_schedule_parse_clock (to, &interval.to))
        {
          baton_set_field_error (error, to_field, "to must be a time HH:MM");
          return FALSE;
        }
      g_array_append_val (weekly, interval);
    }
  return TRUE;
}

static gboolean
is_date (const char *text)
{
  g_autoptr(GDateTime) parsed = NULL;
  g_autofree char *iso = NULL;

  if (text == NULL || strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  iso = g_strdup_printf ("%sT00:00:00Z", text);
  parsed = g_date_time_new_from_iso8601 (iso, NULL);
  return parsed != NULL;
}

static int
compare_dates (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Applies the members of object (a request body) and validates them; on error nothing of
 * schedule changes. */
gboolean
baton_schedule_update (BatonSchedule  *schedule,
                       JsonObject     *object,
                       gboolean        creating,
                       GError        **error)
{
  g_autoptr(GArray) weekly = NULL;
  g_auto(GStrv) holidays = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  const char *name = NULL;
  const char *timezone = NULL;
  JsonNode *weekly_node = json_object_get_member (object, "weekly");
  BatonJsonFlags required = creating ? BATON_JSON_REQUIRED : BATON_JSON_OPTIONAL;

  if (!baton_json_read_string (object, "name", required, &name, error)
      || (name && !baton_validate_name ("name", name, error))
      || !baton_json_read_string (object, "timezone", required, &timezone, error)
      || !baton_json_read_strv (object, "holidays", 0, &holidays, error))
    return FALSE;
  if (timezone)
    {
      zone = g_time_zone_new_identifier (timezone);
      if (zone == NULL)
        {
          baton_set_field_error (error, "timezone",
                                 "timezone must be an IANA time zone such as Europe/Paris");
          return FALSE;
        }
    }
  if (creating && weekly_node == NULL)
    {
      baton_set_field_error (error, "weekly", "weekly is required");
      return FALSE;
    }
  if (weekly_node)
    {
      weekly = g_array_new (FALSE, TRUE, sizeof (BatonInterval));
      if (!read_weekly (weekly_node, weekly, error))
        return FALSE;
    }
  for (guint i = 0; holidays && holidays[i]; i++)
    if (!is_date (holidays[i]))
      {
        g_autofree char *field = g_strdup_printf ("holidays[%u]", i);

        baton_set_field_error (error, field, "A holiday is a date YYYY-MM-DD");
        return FALSE;
      }

  if (name)
    {
      g_free (schedule->name);
      schedule->name = g_strdup (name);
    }
  if (zone)
    {
      g_free (schedule->timezone);
      schedule->timezone = g_strdup (timezone);
      g_time_zone_unref (schedule->zone);
      schedule->zone = g_steal_pointer (&zone);
    }
  if (weekly)
    {
      g_array_unref (schedule->weekly);
      schedule->weekly = g_steal_pointer (&weekly);
    }
  if (holidays)
    {
      g_strfreev (schedule->holidays);
      g_qsort_with_data (holidays, g_strv_length (holidays), sizeof (char *),
                         compare_dates, NULL);
      schedule->holidays = g_steal_pointer (&holidays);
    }
  return TRUE;
}

JsonNode *
baton_schedule_to_json (BatonSchedule *schedule)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, schedule->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, schedule->name);
  json_builder_set_member_name (builder, "timezone");
  json_builder_add_string_value (builder, schedule->timezone);
  json_builder_set_member_name (builder, "weekly");
  json_builder_begin_array (builder);
  for (guint i = 0; i < schedule->weekly->len; i++)
    {
      BatonInterval *interval = &g_array_index (schedule->weekly, BatonInterval, i);
      g_autofree char *from = g_strdup_printf ("%02d:%02d", interval->from / 60,
                                               interval->from % 60);
      g_autofree char *to = g_strdup_printf ("%02d:%02d", interval->to / 60, interval->to % 60);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "day");
      json_builder_add_string_value (builder, day_names[interval->day]);
      json_builder_set_member_name (builder, "from");
      json_builder_add_string_value (builder, from);
      json_builder_set_member_name (builder, "to");
      json_builder_add_string_value (builder, to);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  baton_json_add_strv (builder, "holidays", (const char * const *) schedule->holidays);
  if (schedule->created_at > 0)
    {
      baton_json_add_time (builder, "created_at", schedule->created_at);
      baton_json_add_time (builder, "updated_at", schedule->updated_at);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* A schedule as the server answers it, or NULL when it is not one. */
BatonSchedule *
baton_schedule_from_json (JsonNode *node)
{
  JsonObject *object = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  g_autoptr(BatonSchedule) schedule = NULL;

  if (object == NULL || *baton_json_get_string (object, "id") == '\0')
    return NULL;
  schedule = baton_schedule_new ();
  if (!baton_schedule_update (schedule, object, TRUE, NULL))
    return NULL;
  schedule->id = baton_json_dup_string (object, "id");
  schedule->created_at = baton_json_get_time (object, "created_at");
  schedule->updated_at = baton_json_get_time (object, "updated_at");
  return g_steal_pointer (&schedule);
}

static gboolean
is_holiday (BatonSchedule *schedule,
            GDateTime     *local)
{
  g_autofree char *date = g_date_time_format (local, "%Y-%m-%d");

  return g_strv_contains ((const char * const *) schedule->holidays, date);
}

/* Whether the instant ms falls in the schedule, read on its zone's wall clock (so DST moves
 * the hours with it). A holiday is a whole local day outside; an interval running past
 * midnight belongs to the day it starts on. */
gboolean
baton_schedule_contains (BatonSchedule *schedule,
                         gint64         ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) yesterday = NULL;
  int today, minute;

  if (utc == NULL)
    return FALSE;
  local = g_date_time_to_timezone (utc, schedule->zone);
  if (is_holiday (schedule, local))
    return FALSE;
  today = g_date_time_get_day_of_week (local) - 1;
  minute = g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local);
  yesterday = g_date_time_add_days (local, -1);

  for (guint i = 0; i < schedule->weekly->len; i++)
    {
      BatonInterval *interval = &g_array_index (schedule->weekly, BatonInterval, i);
      gboolean overnight = interval->to <= interval->from;

      if (interval->day == today && minute >= interval->from
          && (overnight || minute < interval->to))
        return TRUE;
      if (overnight && interval->day == (today + 6) % 7 && minute < interval->to
          && !is_holiday (schedule, yesterday))
        return TRUE;
    }
  return FALSE;
}
