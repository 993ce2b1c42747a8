/* baton-report.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-report"

#include "config.h"

#include "baton-json.h"
#include "baton-report.h"

G_DEFINE_BOXED_TYPE (BatonReport, baton_report, baton_report_ref, baton_report_unref)

static const char * const weekdays[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

BatonReport *
baton_report_ref (BatonReport *report)
{
  return g_rc_box_acquire (report);
}

static void
report_clear (BatonReport *report)
{
  g_free (report->timezone);
  g_free (report->team_id);
  g_free (report->agent_id);
  g_clear_pointer (&report->agents, g_ptr_array_unref);
  g_clear_pointer (&report->assignments_by_via, g_ptr_array_unref);
  g_clear_pointer (&report->days, g_ptr_array_unref);
}

void
baton_report_unref (BatonReport *report)
{
  g_rc_box_release_full (report, (GDestroyNotify) report_clear);
}

static void
agent_row_free (BatonReportAgentRow *row)
{
  g_free (row->id);
  g_free (row->name);
  g_free (row);
}

static void
via_count_free (BatonReportViaCount *count)
{
  g_free (count->via);
  g_free (count);
}

static void
day_row_free (BatonReportDayRow *row)
{
  g_free (row->date);
  g_clear_pointer (&row->assignments_by_via, g_ptr_array_unref);
  g_free (row);
}

/* whole seconds, -1 for null or missing */
static gint64
read_seconds (JsonObject *object,
              const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return -1;
  return json_node_get_int (node);
}

static void
read_times (BatonReportTimes *times,
            JsonObject       *object,
            const char       *member)
{
  JsonObject *durations = baton_json_get_object (object, member);

  times->count = (guint) baton_json_get_int (durations, "count");
  times->median = read_seconds (durations, "median");
  times->p90 = read_seconds (durations, "p90");
}

/* the array member of object read by read, its items that do not read left out */
static GPtrArray *
read_rows (JsonObject     *object,
           const char     *member,
           gpointer      (*read) (JsonObject *row),
           GDestroyNotify  free_row)
{
  JsonArray *array = baton_json_get_array (object, member);
  GPtrArray *rows = g_ptr_array_new_with_free_func (free_row);

  for (guint i = 0; array && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      gpointer row = JSON_NODE_HOLDS_OBJECT (node) ? read (json_node_get_object (node)) : NULL;

      if (row)
        g_ptr_array_add (rows, row);
    }
  return rows;
}

static gpointer
read_agent (JsonObject *object)
{
  BatonReportAgentRow *row = g_new0 (BatonReportAgentRow, 1);

  row->id = baton_json_dup_string (object, "id");
  row->name = baton_json_dup_string (object, "name");
  row->assigned = baton_json_get_int (object, "assigned");
  row->resolved = baton_json_get_int (object, "resolved");
  row->open = baton_json_get_int (object, "open");
  row->replies = baton_json_get_int (object, "replies");
  read_times (&row->first_response, object, "first_response");
  return row;
}

static gpointer
read_via (JsonObject *object)
{
  BatonReportViaCount *count = g_new0 (BatonReportViaCount, 1);

  count->via = baton_json_dup_string (object, "via");
  count->count = baton_json_get_int (object, "count");
  return count;
}

static GPtrArray *
read_vias (JsonObject *object)
{
  return read_rows (object, "assignments_by_via", read_via, (GDestroyNotify) via_count_free);
}

static gpointer
read_day (JsonObject *object)
{
  BatonReportDayRow *row = g_new0 (BatonReportDayRow, 1);

  row->date = baton_json_dup_string (object, "date");
  row->created = baton_json_get_int (object, "created");
  row->resolved = baton_json_get_int (object, "resolved");
  row->first_response_median = read_seconds (object, "first_response_median");
  row->resolution_median = read_seconds (object, "resolution_median");
  row->assignments_by_via = read_vias (object);
  return row;
}

/* up to n counts of an array of integers into counts (the rest stays 0) */
static void
read_counts (JsonArray *array,
             gint64    *counts,
             guint      n)
{
  for (guint i = 0; array && i < MIN (n, json_array_get_length (array)); i++)
    counts[i] = json_array_get_int_element (array, i);
}

static void
read_time_tables (BatonReport *report,
                  JsonObject  *object)
{
  JsonObject *weekday = baton_json_get_object (object, "created_by_weekday");
  JsonArray *weekday_hour = baton_json_get_array (object, "created_by_weekday_hour");

  read_counts (baton_json_get_array (object, "created_by_hour"), report->created_by_hour, 24);
  for (guint d = 0; d < 7; d++)
    report->created_by_weekday[d] = baton_json_get_int (weekday, weekdays[d]);
  for (guint d = 0; weekday_hour && d < MIN (7, json_array_get_length (weekday_hour)); d++)
    {
      JsonNode *node = json_array_get_element (weekday_hour, d);

      if (JSON_NODE_HOLDS_ARRAY (node))
        read_counts (json_node_get_array (node), report->created_by_weekday_hour[d], 24);
    }
}

BatonReport *
baton_report_from_json (JsonNode *node)
{
  JsonObject *object = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  BatonReport *report = NULL;

  if (object == NULL || !json_object_has_member (object, "created"))
    return NULL;
  report = g_rc_box_new0 (BatonReport);
  report->from = baton_json_get_time (object, "from");
  report->to = baton_json_get_time (object, "to");
  report->timezone = baton_json_dup_string (object, "timezone");
  report->team_id = baton_json_dup_string (object, "team_id");
  report->agent_id = baton_json_dup_string (object, "agent_id");
  report->created = baton_json_get_int (object, "created");
  report->resolved = baton_json_get_int (object, "resolved");
  report->reopened = baton_json_get_int (object, "reopened");
  report->replies = baton_json_get_int (object, "replies");
  read_times (&report->first_response, object, "first_response");
  read_times (&report->resolution, object, "resolution");
  report->agents = read_rows (object, "agents", read_agent, (GDestroyNotify) agent_row_free);
  report->assignments_by_via = read_vias (object);
  report->days = read_rows (object, "days", read_day, (GDestroyNotify) day_row_free);
  read_time_tables (report, object);
  return report;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

GStrv
baton_report_day_vias (BatonReport *report)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GStrv vias = NULL;

  for (guint i = 0; i < report->days->len; i++)
    {
      BatonReportDayRow *day = report->days->pdata[i];

      for (guint v = 0; v < day->assignments_by_via->len; v++)
        {
          BatonReportViaCount *count = day->assignments_by_via->pdata[v];

          if (g_hash_table_add (seen, count->via))
            g_strv_builder_add (builder, count->via);
        }
    }
  vias = g_strv_builder_end (builder);
  g_qsort_with_data (vias, g_strv_length (vias), sizeof (char *), compare_strings, NULL);
  return vias;
}
