/* baton-api-reports.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-api-reports"

#include "config.h"

#include "baton-api.h"
#include "baton-json.h"
#include "baton-time.h"
#include "baton-workspace-reports.h"

/* Reports (API.md, "Reports"): the summary of a period as JSON or CSV. */

#define DAY_MS ((gint64) 24 * 3600 * 1000)
/* a leap year's days: "at most a year" whatever the year */
#define MAX_PERIOD_MS (366 * DAY_MS)

static const char * const weekdays[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

/* A bad query parameter is a bad request (400) that names the parameter as error.field. */
static gboolean
fail_on (BatonRequest *request,
         const char   *name,
         const char   *message)
{
  g_autoptr(GError) error = NULL;

  baton_set_field_error (&error, name, "%s", message);
  error->code = BATON_ERROR_BAD_REQUEST;
  baton_request_reply_error (request, error);
  return FALSE;
}

static gboolean
read_time (BatonRequest *request,
           const char   *name,
           gint64       *at)
{
  const char *text = baton_request_query (request, name);

  if (text == NULL || baton_time_parse (text, at))
    return TRUE;
  return fail_on (request, name, "Not an RFC 3339 date-time");
}

/* ?from=&to= (default: the 7 days up to now), ?team=, ?agent=; an agent other than a manager
 * sees only their own figures, and asking for another's is forbidden. */
static gboolean
read_filter (BatonRequest      *request,
             BatonReportFilter *filter)
{
  gint64 now = baton_workspace_now (request->workspace);

  filter->from = G_MININT64;
  filter->to = now;
  if (!read_time (request, "from", &filter->from) || !read_time (request, "to", &filter->to))
    return FALSE;
  if (filter->from == G_MININT64)
    filter->from = filter->to - 7 * DAY_MS;
  if (filter->from >= filter->to)
    return fail_on (request, "to", "to must be after from");
  if (filter->to - filter->from > MAX_PERIOD_MS)
    return fail_on (request, "to", "A report covers at most a year");
  filter->team_id = baton_request_query (request, "team");
  filter->agent_id = baton_request_query (request, "agent");
  if (baton_request_is_manager (request))
    return TRUE;
  if (filter->agent_id && g_strcmp0 (filter->agent_id, request->agent->id) != 0)
    {
      baton_request_fail (request, BATON_ERROR_FORBIDDEN,
                          "Only a manager may see another agent's figures");
      return FALSE;
    }
  filter->agent_id = request->agent->id;
  return TRUE;
}

/* how a computed summary is answered: JSON or CSV */
typedef void (*ReportReply) (BatonRequest *request,
                             BatonReport  *report);

typedef struct {
  BatonDeferred *deferred;
  ReportReply reply;
} SummaryWait;

static void
summary_ready_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autofree SummaryWait *wait = user_data;
  BatonRequest *request = baton_deferred_request (wait->deferred);
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonReport) report = NULL;

  report = baton_workspace_report_summary_finish (BATON_WORKSPACE (source), result, &error);
  if (report == NULL)
    baton_request_reply_error (request, error);
  else
    wait->reply (request, report);
  baton_deferred_finish (wait->deferred);
}

/* The summary the request asks for, answered by reply once computed: its queries run off
 * the main loop. */
static void
summary_for (BatonRequest *request,
             ReportReply   reply)
{
  BatonReportFilter filter = { 0 };
  SummaryWait *wait = NULL;

  if (!read_filter (request, &filter))
    return;
  wait = g_new0 (SummaryWait, 1);
  wait->deferred = baton_request_defer (request);
  wait->reply = reply;
  baton_workspace_report_summary_async (request->workspace, &filter, summary_ready_cb, wait);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       ms)
{
  g_autofree char *text = baton_time_format (ms);

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, text);
}

/* ms in seconds, or null when there is no duration (count 0) */
static void
add_seconds (JsonBuilder *builder,
             const char  *name,
             guint        count,
             gint64       ms)
{
  json_builder_set_member_name (builder, name);
  if (count)
    json_builder_add_int_value (builder, ms / 1000);
  else
    json_builder_add_null_value (builder);
}

static void
add_durations (JsonBuilder                *builder,
               const char                 *name,
               const BatonReportDurations *durations)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  add_int (builder, "count", durations->count);
  add_seconds (builder, "median", durations->count, durations->median);
  add_seconds (builder, "p90", durations->count, durations->p90);
  json_builder_end_object (builder);
}

static void
add_agents (JsonBuilder *builder,
            BatonReport *report)
{
  json_builder_set_member_name (builder, "agents");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->agents->len; i++)
    {
      BatonReportAgent *agent = report->agents->pdata[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, agent->id);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, agent->name);
      add_int (builder, "assigned", agent->assigned);
      add_int (builder, "resolved", agent->resolved);
      add_int (builder, "open", agent->open);
      add_int (builder, "replies", agent->replies);
      add_durations (builder, "first_response", &agent->first_response);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/* [{via, count}] */
static void
add_vias (JsonBuilder *builder,
          GPtrArray   *vias)
{
  json_builder_set_member_name (builder, "assignments_by_via");
  json_builder_begin_array (builder);
  for (guint i = 0; i < vias->len; i++)
    {
      BatonCountRow *count = vias->pdata[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "via");
      json_builder_add_string_value (builder, count->name);
      add_int (builder, "count", count->n);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/* "YYYY-MM-DD" */
static char *
format_date (const GDate *date)
{
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

static void
add_days (JsonBuilder *builder,
          BatonReport *report)
{
  json_builder_set_member_name (builder, "days");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->days->len; i++)
    {
      BatonReportDay *day = report->days->pdata[i];
      g_autofree char *date = format_date (&day->date);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "date");
      json_builder_add_string_value (builder, date);
      add_int (builder, "created", day->created);
      add_int (builder, "resolved", day->resolved);
      add_seconds (builder, "first_response_median", day->first_response.count,
                   day->first_response.median);
      add_seconds (builder, "resolution_median", day->resolution.count,
                   day->resolution.median);
      add_vias (builder, day->assignments_by_via);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_weekday_hours (JsonBuilder *builder,
                   BatonReport *report)
{
  json_builder_set_member_name (builder, "created_by_weekday_hour");
  json_builder_begin_array (builder);
  for (guint d = 0; d < 7; d++)
    {
      json_builder_begin_array (builder);
      for (guint h = 0; h < 24; h++)
        json_builder_add_int_value (builder, report->by_weekday_hour[d][h]);
      json_builder_end_array (builder);
    }
  json_builder_end_array (builder);
}

static void
add_tables (JsonBuilder *builder,
            BatonReport *report)
{
  add_vias (builder, report->assignments_by_via);
  json_builder_set_member_name (builder, "created_by_hour");
  json_builder_begin_array (builder);
  for (guint h = 0; h < 24; h++)
    json_builder_add_int_value (builder, report->by_hour[h]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "created_by_weekday");
  json_builder_begin_object (builder);
  for (guint d = 0; d < 7; d++)
    add_int (builder, weekdays[d], report->by_weekday[d]);
  json_builder_end_object (builder);
}

static JsonNode *
report_to_json (BatonReport *report)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  add_time (builder, "from", report->from);
  add_time (builder, "to", report->to);
  json_builder_set_member_name (builder, "timezone");
  json_builder_add_string_value (builder, report->timezone);
  baton_json_add_nullable_string (builder, "team_id", report->team_id);
  baton_json_add_nullable_string (builder, "agent_id", report->agent_id);
  add_int (builder, "created", report->created);
  add_int (builder, "resolved", report->resolved);
  add_int (builder, "reopened", report->reopened);
  add_int (builder, "replies", report->replies);
  add_durations (builder, "first_response", &report->first_response);
  add_durations (builder, "resolution", &report->resolution);
  add_agents (builder, report);
  add_tables (builder, report);
  add_days (builder, report);
  add_weekday_hours (builder, report);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
reply_json (BatonRequest *request,
            BatonReport  *report)
{
  baton_request_reply (request, 200, report_to_json (report));
}

void
baton_api_report_summary (BatonRequest *request)
{
  summary_for (request, reply_json);
}

/* RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled. A
 * name a spreadsheet would take for a formula (=, +, -, @ first) is quoted with a ' before
 * it, so that it stays text. */
static void
csv_text (GString    *csv,
          const char *text)
{
  gboolean formula = strchr ("=+-@", text[0]) != NULL && text[0] != '\0';

  if (!formula && strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (csv, text);
      return;
    }
  g_string_append_c (csv, '"');
  if (formula)
    g_string_append_c (csv, '\'');
  for (const char *c = text; *c; c++)
    {
      if (*c == '"')
        g_string_append_c (csv, '"');
      g_string_append_c (csv, *c);
    }
  g_string_append_c (csv, '"');
}

/* ",<seconds>" or "," when there is no duration */
static void
csv_seconds (GString *csv,
             guint    count,
             gint64   ms)
{
  g_string_append_c (csv, ',');
  if (count)
    g_string_append_printf (csv, "%" G_GINT64_FORMAT, ms / 1000);
}

static void
csv_durations (GString                    *csv,
               const char                 *name,
               const BatonReportDurations *durations)
{
  g_string_append_printf (csv, "%s_count,%u\r\n%s_median", name, durations->count, name);
  csv_seconds (csv, durations->count, durations->median);
  g_string_append_printf (csv, "\r\n%s_p90", name);
  csv_seconds (csv, durations->count, durations->p90);
  g_string_append (csv, "\r\n");
}

static void
csv_summary (GString     *csv,
             BatonReport *report)
{
  g_autofree char *from = baton_time_format (report->from);
  g_autofree char *to = baton_time_format (report->to);

  g_string_append_printf (csv, "summary\r\nfigure,value\r\nfrom,%s\r\nto,%s\r\ntimezone,",
                          from, to);
  csv_text (csv, report->timezone);
  g_string_append (csv, "\r\nteam_id,");
  csv_text (csv, report->team_id ? report->team_id : "");
  g_string_append (csv, "\r\nagent_id,");
  csv_text (csv, report->agent_id ? report->agent_id : "");
  g_string_append_printf (csv, "\r\ncreated,%" G_GINT64_FORMAT "\r\nresolved,%" G_GINT64_FORMAT
                          "\r\nreopened,%" G_GINT64_FORMAT "\r\nreplies,%" G_GINT64_FORMAT
                          "\r\n", report->created, report->resolved, report->reopened,
                          report->replies);
  csv_durations (csv, "first_response", &report->first_response);
  csv_durations (csv, "resolution", &report->resolution);
}

static void
csv_agents (GString     *csv,
            BatonReport *report)
{
  g_string_append (csv, "\r\nagents\r\nid,name,assigned,resolved,open,replies,"
                   "first_response_count,first_response_median,first_response_p90\r\n");
  for (guint i = 0; i < report->agents->len; i++)
    {
      BatonReportAgent *agent = report->agents->pdata[i];

      csv_text (csv, agent->id);
      g_string_append_c (csv, ',');
      csv_text (csv, agent->name);
      g_string_append_printf (csv, ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%"
                              G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%u", agent->assigned,
                              agent->resolved, agent->open, agent->replies,
                              agent->first_response.count);
      csv_seconds (csv, agent->first_response.count, agent->first_response.median);
      csv_seconds (csv, agent->first_response.count, agent->first_response.p90);
      g_string_append (csv, "\r\n");
    }
}

static void
csv_tables (GString     *csv,
            BatonReport *report)
{
  g_string_append (csv, "\r\nassignments_by_via\r\nvia,count\r\n");
  for (guint i = 0; i < report->assignments_by_via->len; i++)
    {
      BatonCountRow *count = report->assignments_by_via->pdata[i];

      csv_text (csv, count->name);
      g_string_append_printf (csv, ",%" G_GINT64_FORMAT "\r\n", count->n);
    }
  g_string_append (csv, "\r\ncreated_by_hour\r\nhour,created\r\n");
  for (guint h = 0; h < 24; h++)
    g_string_append_printf (csv, "%u,%" G_GINT64_FORMAT "\r\n", h, report->by_hour[h]);
  g_string_append (csv, "\r\ncreated_by_weekday\r\nweekday,created\r\n");
  for (guint d = 0; d < 7; d++)
    g_string_append_printf (csv, "%s,%" G_GINT64_FORMAT "\r\n", weekdays[d],
                            report->by_weekday[d]);
}

static void
csv_days (GString     *csv,
          BatonReport *report)
{
  g_string_append (csv, "\r\ndays\r\ndate,created,resolved,first_response_median,"
                   "resolution_median\r\n");
  for (guint i = 0; i < report->days->len; i++)
    {
      BatonReportDay *day = report->days->pdata[i];
      g_autofree char *date = format_date (&day->date);

      g_string_append_printf (csv, "%s,%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT, date,
                              day->created, day->resolved);
      csv_seconds (csv, day->first_response.count, day->first_response.median);
      csv_seconds (csv, day->resolution.count, day->resolution.median);
      g_string_append (csv, "\r\n");
    }
  g_string_append (csv, "\r\nassignments_by_day\r\ndate,via,count\r\n");
  for (guint i = 0; i < report->days->len; i++)
    {
      BatonReportDay *day = report->days->pdata[i];
      g_autofree char *date = format_date (&day->date);

      for (guint v = 0; v < day->assignments_by_via->len; v++)
        {
          BatonCountRow *count = day->assignments_by_via->pdata[v];

          g_string_append_printf (csv, "%s,", date);
          csv_text (csv, count->name);
          g_string_append_printf (csv, ",%" G_GINT64_FORMAT "\r\n", count->n);
        }
    }
}

static void
csv_weekday_hours (GString     *csv,
                   BatonReport *report)
{
  g_string_append (csv, "\r\ncreated_by_weekday_hour\r\nweekday");
  for (guint h = 0; h < 24; h++)
    g_string_append_printf (csv, ",%u", h);
  g_string_append (csv, "\r\n");
  for (guint d = 0; d < 7; d++)
    {
      g_string_append (csv, weekdays[d]);
      for (guint h = 0; h < 24; h++)
        g_string_append_printf (csv, ",%" G_GINT64_FORMAT, report->by_weekday_hour[d][h]);
      g_string_append (csv, "\r\n");
    }
}

static void
reply_csv (BatonRequest *request,
           BatonReport  *report)
{
  GString *csv = g_string_new (NULL);
  g_autoptr(GBytes) bytes = NULL;

  csv_summary (csv, report);
  csv_agents (csv, report);
  csv_tables (csv, report);
  csv_days (csv, report);
  csv_weekday_hours (csv, report);
  bytes = g_string_free_to_bytes (csv);
  baton_request_respond (request, 200, "text/csv; charset=utf-8; header=present", bytes);
}

void
baton_api_report_summary_csv (BatonRequest *request)
{
  summary_for (request, reply_csv);
}
