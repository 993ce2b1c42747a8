/* baton-workspace-reports.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-workspace-reports"

#include "config.h"

#include <json-glib/json-glib.h>

#include "baton-workspace-reports.h"

static void
report_agent_free (BatonReportAgent *agent)
{
  g_free (agent->id);
  g_free (agent->name);
  g_free (agent);
}

static void
report_day_free (BatonReportDay *day)
{
  g_clear_pointer (&day->assignments_by_via, g_ptr_array_unref);
  g_free (day);
}

void
baton_report_free (BatonReport *report)
{
  g_free (report->timezone);
  g_free (report->team_id);
  g_free (report->agent_id);
  g_clear_pointer (&report->agents, g_ptr_array_unref);
  g_clear_pointer (&report->assignments_by_via, g_ptr_array_unref);
  g_clear_pointer (&report->days, g_ptr_array_unref);
  g_free (report);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* nearest rank: ceil (percent * n / 100), 1-based */
static gint64
nearest_rank (GArray *sorted,
              guint   percent)
{
  guint rank = (percent * sorted->len + 99) / 100;

  return g_array_index (sorted, gint64, MAX (rank, 1) - 1);
}

void
baton_report_durations_compute (BatonReportDurations *durations,
                                GArray               *values)
{
  durations->count = values->len;
  durations->median = 0;
  durations->p90 = 0;
  if (values->len == 0)
    return;
  g_array_sort (values, compare_gint64);
  durations->median = nearest_rank (values, 50);
  durations->p90 = nearest_rank (values, 90);
}

/* What a day of the summary is being built from, beside its BatonReportDay. */
typedef struct {
  GArray *first_responses;
  GArray *resolutions;
  /* via → count */
  GHashTable *vias;
} DayBuild;

static void
day_build_free (DayBuild *day)
{
  g_array_unref (day->first_responses);
  g_array_unref (day->resolutions);
  g_hash_table_unref (day->vias);
  g_free (day);
}

static GHashTable *
vias_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static GArray *
durations_new (void)
{
  return g_array_new (FALSE, FALSE, sizeof (gint64));
}

/* What the summary is being built from, beside the report itself. */
typedef struct {
  BatonReport *report;
  /* id → BatonReportAgent of report->agents */
  GHashTable *agents;
  /* id → GArray of first response times */
  GHashTable *first_responses;
  /* via → count */
  GHashTable *vias;
  GTimeZone *zone;
  /* the Julian day of report->days[0] */
  guint32 first_day;
  /* DayBuild of each of report->days */
  GPtrArray *days;
} ReportBuild;

static void
report_build_clear (ReportBuild *build)
{
  g_clear_pointer (&build->report, baton_report_free);
  g_clear_pointer (&build->agents, g_hash_table_unref);
  g_clear_pointer (&build->first_responses, g_hash_table_unref);
  g_clear_pointer (&build->vias, g_hash_table_unref);
  g_clear_pointer (&build->zone, g_time_zone_unref);
  g_clear_pointer (&build->days, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ReportBuild, report_build_clear)

static int
compare_agent_names (gconstpointer a,
                     gconstpointer b)
{
  const BatonReportAgent *x = *(BatonReportAgent * const *) a;
  const BatonReportAgent *y = *(BatonReportAgent * const *) b;
  int names = g_utf8_collate (x->name, y->name);

  return names != 0 ? names : strcmp (x->id, y->id);
}

/* The rows of the agents table: every agent, or the one the filter names (none if unknown). */
static gboolean
add_agents (BatonWorkspace *self,
            ReportBuild    *build,
            const char     *agent_id,
            GError        **error)
{
  g_autoptr(GPtrArray) agents = baton_workspace_list_agents (self, error);

  if (agents == NULL)
    return FALSE;
  for (guint i = 0; i < agents->len; i++)
    {
      BatonAgent *agent = agents->pdata[i];
      BatonReportAgent *row = NULL;

      if (agent_id && g_strcmp0 (agent->id, agent_id) != 0)
        continue;
      row = g_new0 (BatonReportAgent, 1);
      row->id = g_strdup (agent->id);
      row->name = g_strdup (agent->name);
      g_ptr_array_add (build->report->agents, row);
      g_hash_table_insert (build->agents, row->id, row);
    }
  g_ptr_array_sort (build->report->agents, compare_agent_names);
  return TRUE;
}

static GArray *
agent_first_responses (ReportBuild *build,
                       const char  *agent_id)
{
  GArray *values = g_hash_table_lookup (build->first_responses, agent_id);

  if (values == NULL)
    {
      values = durations_new ();
      g_hash_table_insert (build->first_responses, g_strdup (agent_id), values);
    }
  return values;
}

/* ms in the workspace's time zone, daylight saving time included (NULL if out of range) */
static GDateTime *
local_time (GTimeZone *zone,
            gint64     ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);

  return utc ? g_date_time_to_timezone (utc, zone) : NULL;
}

static guint32
julian_day (GDateTime *local)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
  return g_date_get_julian (&date);
}

/* the day of the period local falls on: its BatonReportDay, and its DayBuild in day_build
 * (NULL, NULL when out of the period) */
static BatonReportDay *
day_of (ReportBuild *build,
        GDateTime   *local,
        DayBuild   **day_build)
{
  guint32 julian = local ? julian_day (local) : 0;
  guint index = julian - build->first_day;

  *day_build = NULL;
  if (local == NULL || julian < build->first_day || index >= build->days->len)
    return NULL;
  *day_build = build->days->pdata[index];
  return build->report->days->pdata[index];
}

/* the time tables and the day of a conversation created at local */
static BatonReportDay *
add_created_at (ReportBuild *build,
                GDateTime   *local,
                DayBuild   **day_build)
{
  guint hour = g_date_time_get_hour (local);
  guint weekday = g_date_time_get_day_of_week (local) - 1;
  BatonReportDay *day = day_of (build, local, day_build);

  build->report->by_hour[hour]++;
  build->report->by_weekday[weekday]++;
  build->report->by_weekday_hour[weekday][hour]++;
  if (day)
    day->created++;
  return day;
}

/* Created conversations: the count, the time tables, the days, the first response times
 * (the first agent reply after the customer's first message). */
static void
add_created (ReportBuild *build,
             GPtrArray   *created,
             GArray      *first_responses)
{
  for (guint i = 0; i < created->len; i++)
    {
      BatonReportConversation *conversation = created->pdata[i];
      g_autoptr(GDateTime) local = local_time (build->zone, conversation->created_at);
      gint64 response = conversation->first_reply_at - conversation->first_inbound_at;
      DayBuild *day = NULL;

      build->report->created++;
      if (local)
        add_created_at (build, local, &day);
      if (conversation->first_inbound_at == 0 || conversation->first_reply_by == NULL
          || response < 0)
        continue;
      g_array_append_val (first_responses, response);
      g_array_append_val (agent_first_responses (build, conversation->first_reply_by),
                          response);
      if (day)
        g_array_append_val (day->first_responses, response);
    }
}

static const char *
line_string (JsonObject *object,
             const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node)
                                                             : NULL;
}

static JsonObject *
line_object (JsonObject *object,
             const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static gboolean
side_has (JsonObject *side,
          const char *agent_id)
{
  JsonNode *node = side ? json_object_get_member (side, "assignee_ids") : NULL;
  JsonArray *ids = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

  for (guint i = 0; ids && i < json_array_get_length (ids); i++)
    if (g_strcmp0 (json_array_get_string_element (ids, i), agent_id) == 0)
      return TRUE;
  return FALSE;
}

static void
count_via (GHashTable *vias,
           const char *via)
{
  gpointer count = g_hash_table_lookup (vias, via);

  g_hash_table_insert (vias, g_strdup (via), GSIZE_TO_POINTER (GPOINTER_TO_SIZE (count) + 1));
}

/* The agents a line adds to the assignees count one assignment each; the line counts once
 * for its via, in the period and on its day. */
static void
add_assignments (ReportBuild *build,
                 JsonObject  *line,
                 DayBuild    *day)
{
  JsonObject *from = line_object (line, "from");
  JsonObject *to = line_object (line, "to");
  JsonNode *node = to ? json_object_get_member (to, "assignee_ids") : NULL;
  JsonArray *ids = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  gboolean added = FALSE;

  for (guint i = 0; ids && i < json_array_get_length (ids); i++)
    {
      const char *id = json_array_get_string_element (ids, i);
      BatonReportAgent *agent = NULL;

      if (id == NULL || side_has (from, id))
        continue;
      added = TRUE;
      agent = g_hash_table_lookup (build->agents, id);
      if (agent)
        agent->assigned++;
    }
  if (added)
    {
      const char *via = line_string (line, "via");

      count_via (build->vias, via ? via : "");
      if (day)
        count_via (day->vias, via ? via : "");
    }
}

static void
add_line (ReportBuild         *build,
          BatonReportActivity *activity,
          GArray              *resolutions)
{
  g_autoptr(JsonNode) node = json_from_string (activity->activity, NULL);
  JsonObject *line = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *action = line_string (line, "action");
  g_autoptr(GDateTime) local = NULL;
  BatonReportDay *day = NULL;
  DayBuild *day_build = NULL;

  if (line == NULL)
    return;
  local = local_time (build->zone, activity->at);
  day = day_of (build, local, &day_build);
  if (g_strcmp0 (action, "resolved") == 0)
    {
      gint64 took = activity->at - activity->conversation_created_at;
      BatonReportAgent *agent = NULL;
      const char *actor = line_string (line_object (line, "actor"), "id");

      build->report->resolved++;
      g_array_append_val (resolutions, took);
      if (day)
        {
          day->resolved++;
          g_array_append_val (day_build->resolutions, took);
        }
      agent = actor ? g_hash_table_lookup (build->agents, actor) : NULL;
      if (agent)
        agent->resolved++;
    }
  else if (g_strcmp0 (action, "reopened") == 0)
    {
      build->report->reopened++;
    }
  add_assignments (build, line, day_build);
}

/* counts per agent id into the agents' rows (offset: which gint64 member of the row) */
static void
add_counts (ReportBuild *build,
            GPtrArray   *counts,
            gsize        offset)
{
  for (guint i = 0; i < counts->len; i++)
    {
      BatonCountRow *count = counts->pdata[i];
      BatonReportAgent *agent = g_hash_table_lookup (build->agents, count->name);

      if (agent)
        G_STRUCT_MEMBER (gint64, agent, offset) += count->n;
    }
}

static int
compare_counts (gconstpointer a,
                gconstpointer b)
{
  return strcmp ((*(BatonCountRow * const *) a)->name,
                 (*(BatonCountRow * const *) b)->name);
}

/* via → count into BatonCountRows, by via */
static GPtrArray *
via_rows (GHashTable *vias)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_count_row_free);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, vias);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      BatonCountRow *count = g_new0 (BatonCountRow, 1);

      count->name = g_strdup (key);
      count->n = GPOINTER_TO_SIZE (value);
      g_ptr_array_add (rows, count);
    }
  g_ptr_array_sort (rows, compare_counts);
  return rows;
}

static void
finish_agents_and_vias (ReportBuild *build)
{
  for (guint i = 0; i < build->report->agents->len; i++)
    {
      BatonReportAgent *agent = build->report->agents->pdata[i];
      GArray *values = agent_first_responses (build, agent->id);

      baton_report_durations_compute (&agent->first_response, values);
    }
  g_clear_pointer (&build->report->assignments_by_via, g_ptr_array_unref);
  build->report->assignments_by_via = via_rows (build->vias);
  for (guint i = 0; i < build->days->len; i++)
    {
      BatonReportDay *day = build->report->days->pdata[i];
      DayBuild *day_build = build->days->pdata[i];

      baton_report_durations_compute (&day->first_response, day_build->first_responses);
      baton_report_durations_compute (&day->resolution, day_build->resolutions);
      day->assignments_by_via = via_rows (day_build->vias);
    }
}

/* One day for each local date from the period's start to its end (excluded), with what
 * it is built from. */
static void
add_days (ReportBuild *build)
{
  g_autoptr(GDateTime) first = local_time (build->zone, build->report->from);
  g_autoptr(GDateTime) last = local_time (build->zone, build->report->to - 1);

  build->report->days = g_ptr_array_new_with_free_func ((GDestroyNotify) report_day_free);
  build->days = g_ptr_array_new_with_free_func ((GDestroyNotify) day_build_free);
  if (first == NULL || last == NULL)
    return;
  build->first_day = julian_day (first);
  for (guint32 julian = build->first_day; julian <= julian_day (last); julian++)
    {
      BatonReportDay *day = g_new0 (BatonReportDay, 1);
      DayBuild *day_build = g_new0 (DayBuild, 1);

      g_date_set_julian (&day->date, julian);
      day_build->first_responses = durations_new ();
      day_build->resolutions = durations_new ();
      day_build->vias = vias_new ();
      g_ptr_array_add (build->report->days, day);
      g_ptr_array_add (build->days, day_build);
    }
}

static BatonReport *
report_new (BatonWorkspace          *self,
            const BatonReportFilter *filter,
            GError                 **error)
{
  g_auto(BatonWorkspaceSettings) settings = { 0 };
  BatonReport *report = NULL;

  if (!baton_workspace_load_settings (self, &settings, error))
    return NULL;
  report = g_new0 (BatonReport, 1);
  report->from = filter->from;
  report->to = filter->to;
  report->timezone = g_strdup (settings.timezone);
  report->team_id = g_strdup (filter->team_id);
  report->agent_id = g_strdup (filter->agent_id);
  report->agents = g_ptr_array_new_with_free_func ((GDestroyNotify) report_agent_free);
  report->assignments_by_via =
    g_ptr_array_new_with_free_func ((GDestroyNotify) baton_count_row_free);
  return report;
}

/* The figures, from what store holds; the only part that reads the history. */
static gboolean
report_fill (BatonStore   *store,
             ReportBuild  *build,
             GError      **error)
{
  BatonReport *report = build->report;
  BatonReportFilter filter = { report->team_id, report->agent_id, report->from, report->to };
  g_autoptr(GPtrArray) created = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GPtrArray) open = NULL;
  g_autoptr(GArray) first_responses = durations_new ();
  g_autoptr(GArray) resolutions = durations_new ();

  if ((created = baton_store_reports_created (store, &filter, error)) == NULL
      || (lines = baton_store_reports_activity (store, &filter, error)) == NULL
      || (replies = baton_store_reports_replies (store, &filter, error)) == NULL
      || (open = baton_store_reports_open (store, &filter, error)) == NULL)
    return FALSE;
  add_created (build, created, first_responses);
  baton_report_durations_compute (&build->report->first_response, first_responses);
  for (guint i = 0; i < lines->len; i++)
    add_line (build, lines->pdata[i], resolutions);
  baton_report_durations_compute (&build->report->resolution, resolutions);
  add_counts (build, replies, G_STRUCT_OFFSET (BatonReportAgent, replies));
  add_counts (build, open, G_STRUCT_OFFSET (BatonReportAgent, open));
  for (guint i = 0; i < replies->len; i++)
    if (filter.agent_id == NULL
        || g_strcmp0 (((BatonCountRow *) replies->pdata[i])->name, filter.agent_id) == 0)
      build->report->replies += ((BatonCountRow *) replies->pdata[i])->n;
  finish_agents_and_vias (build);
  return TRUE;
}

/* What the main thread reads for a summary: the settings, the agents, the days. */
static gboolean
report_build_init (BatonWorkspace          *self,
                   ReportBuild             *build,
                   const BatonReportFilter *filter,
                   GError                 **error)
{
  build->report = report_new (self, filter, error);
  if (build->report == NULL)
    return FALSE;
  build->agents = g_hash_table_new (g_str_hash, g_str_equal);
  build->first_responses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                  (GDestroyNotify) g_array_unref);
  build->vias = vias_new ();
  /* An unknown zone (never stored: settings check it) would count in UTC. */
  build->zone = g_time_zone_new_identifier (build->report->timezone);
  if (build->zone == NULL)
    build->zone = g_time_zone_new_utc ();
  add_days (build);
  return add_agents (self, build, filter->agent_id, error);
}

BatonReport *
baton_workspace_report_summary (BatonWorkspace          *self,
                                const BatonReportFilter *filter,
                                GError                 **error)
{
  g_auto(ReportBuild) build = { 0 };

  if (!report_build_init (self, &build, filter, error)
      || !report_fill (baton_workspace_get_store (self), &build, error))
    return NULL;
  return g_steal_pointer (&build.report);
}

/* A summary being computed on a thread, over a connection of its own. */
typedef struct {
  ReportBuild build;
  BatonStore *reader;
} ReportJob;

static void
report_job_free (ReportJob *job)
{
  report_build_clear (&job->build);
  g_clear_object (&job->reader);
  g_free (job);
}

static void
report_job_run (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ReportJob *job = task_data;
  GError *error = NULL;

  if (!report_fill (job->reader, &job->build, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&job->build.report),
                           (GDestroyNotify) baton_report_free);
  /* the connection closes on the thread that used it */
  g_clear_object (&job->reader);
}

/* The queries of a long period take a while: they run on a thread, so that messages keep
 * being routed and streams served meanwhile. */
void
baton_workspace_report_summary_async (BatonWorkspace          *self,
                                      const BatonReportFilter *filter,
                                      GAsyncReadyCallback      callback,
                                      gpointer                 user_data)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);
  ReportJob *job = g_new0 (ReportJob, 1);
  GError *error = NULL;

  g_task_set_source_tag (task, baton_workspace_report_summary_async);
  g_task_set_task_data (task, job, (GDestroyNotify) report_job_free);
  if (!report_build_init (self, &job->build, filter, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  job->reader = baton_store_open_reader (baton_workspace_get_store (self), &error);
  if (error)
    {
      g_task_return_error (task, error);
      return;
    }
  if (job->reader == NULL)
    {
      /* one connection only (in memory): here, then */
      job->reader = g_object_ref (baton_workspace_get_store (self));
      report_job_run (task, self, job, NULL);
      return;
    }
  g_task_run_in_thread (task, report_job_run);
}

BatonReport *
baton_workspace_report_summary_finish (BatonWorkspace  *self,
                                       GAsyncResult    *result,
                                       GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
