/* baton-reports-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-reports-window"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "baton-chart.h"
#include "baton-describe.h"
#include "baton-directory.h"
#include "baton-directory-entry.h"
#include "baton-reports-window.h"
#include "baton-toast.h"

typedef enum {
  PERIOD_TODAY,
  PERIOD_7_DAYS,
  PERIOD_30_DAYS,
  PERIOD_CUSTOM,
} Period;

typedef enum {
  FIGURE_CREATED,
  FIGURE_RESOLVED,
  FIGURE_REOPENED,
  FIGURE_REPLIES,
  FIGURE_FIRST_RESPONSE,
  FIGURE_FIRST_RESPONSE_P90,
  FIGURE_RESOLUTION,
  FIGURE_RESOLUTION_P90,
  N_FIGURES
} Figure;

typedef enum {
  CHART_PER_DAY,
  CHART_TIMES,
  CHART_WORKLOAD,
  CHART_HOURS,
  CHART_RULES,
  N_CHARTS
} Chart;

/* a chart's card: the chart, or the same numbers as a table */
typedef struct {
  BatonChart *chart;
  GtkStack *stack;
  GtkScrolledWindow *table;
  GtkToggleButton *toggle;
} Card;

struct _BatonReportsWindow
{
  AdwWindow parent_instance;

  /* template widgets */
  AdwWindowTitle *window_title;
  AdwToastOverlay *toast_overlay;
  GtkDropDown *period_dropdown;
  GtkMenuButton *custom_button;
  GtkPopover *custom_popover;
  GtkCalendar *from_calendar;
  GtkCalendar *to_calendar;
  GtkDropDown *team_dropdown;
  GtkDropDown *agent_dropdown;
  GtkLabel *error_label;
  GtkFlowBox *figures_box;
  GtkBox *charts_box;
  GtkGrid *agents_grid;

  /* borrowed refs: the directory's models the filters follow (managers), or NULL */
  GListModel *teams;
  GListModel *agents;

  /* owned refs */
  BatonClient *client;
  BatonReport *report;
  GCancellable *cancellable;
  /* the ids behind the team and agent drop-downs' items, NULL for "all" first */
  GPtrArray *team_ids;
  GPtrArray *agent_ids;
  /* the custom period's first and last days, midnights in zone */
  GDateTime *custom_from;
  GDateTime *custom_to;
  /* the workspace's time zone, in which the server counts days (local until known) */
  GTimeZone *zone;

  /* built in init */
  GtkLabel *figures[N_FIGURES];
  Card cards[N_CHARTS];

  /* state */
  /* set while the drop-downs are refilled, so that it loads nothing */
  gboolean filling;
};

G_DEFINE_FINAL_TYPE (BatonReportsWindow, baton_reports_window, ADW_TYPE_WINDOW)

#define DAY_US ((GTimeSpan) 24 * 3600 * G_USEC_PER_SEC)

static void load (BatonReportsWindow *self);

/* Period */

/* midnight in zone of date's year, month and day (whatever date's own zone) */
static GDateTime *
midnight (GTimeZone *zone,
          GDateTime *date)
{
  return g_date_time_new (zone, g_date_time_get_year (date), g_date_time_get_month (date),
                          g_date_time_get_day_of_month (date), 0, 0, 0);
}

/* today's midnight in the workspace */
static GDateTime *
today (BatonReportsWindow *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now (self->zone);

  return midnight (self->zone, now);
}

/* the midnight days from date's (a day is not always 24 hours long) */
static GDateTime *
add_days (GDateTime *date,
          int        days)
{
  g_autoptr(GDateTime) moved = g_date_time_add_days (date, days);

  return midnight (g_date_time_get_timezone (date), moved);
}

/* the period picked, whole days of the workspace: [from, to) in ms */
static void
get_period (BatonReportsWindow *self,
            gint64             *from,
            gint64             *to)
{
  g_autoptr(GDateTime) first = today (self);
  g_autoptr(GDateTime) end = add_days (first, 1);
  guint period = gtk_drop_down_get_selected (self->period_dropdown);

  if (period == PERIOD_CUSTOM && self->custom_from && self->custom_to)
    {
      g_date_time_unref (first);
      g_date_time_unref (end);
      first = g_date_time_ref (self->custom_from);
      end = add_days (self->custom_to, 1);
    }
  else if (period == PERIOD_7_DAYS || period == PERIOD_30_DAYS)
    {
      GDateTime *start = add_days (first, period == PERIOD_7_DAYS ? -6 : -29);

      g_date_time_unref (first);
      first = start;
    }
  *from = g_date_time_to_unix (first) * 1000;
  *to = g_date_time_to_unix (end) * 1000;
}

/* "3 Nov – 9 Nov" on the custom period's button */
static void
show_custom_period (BatonReportsWindow *self)
{
  g_autofree char *from = g_date_time_format (self->custom_from, "%-d %b %Y");
  g_autofree char *to = g_date_time_format (self->custom_to, "%-d %b %Y");
  g_autofree char *label = g_strdup_printf ("%s – %s", from, to);

  gtk_menu_button_set_label (self->custom_button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->custom_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
period_changed_cb (BatonReportsWindow *self)
{
  gboolean custom = gtk_drop_down_get_selected (self->period_dropdown) == PERIOD_CUSTOM;

  gtk_widget_set_visible (GTK_WIDGET (self->custom_button), custom);
  if (custom && self->custom_from == NULL)
    {
      g_autoptr(GDateTime) first = today (self);

      self->custom_to = g_date_time_ref (first);
      self->custom_from = add_days (first, -6);
      gtk_calendar_select_day (self->from_calendar, self->custom_from);
      gtk_calendar_select_day (self->to_calendar, self->custom_to);
      show_custom_period (self);
      gtk_menu_button_popup (self->custom_button);
    }
  load (self);
}

static void
apply_custom (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  BatonReportsWindow *self = BATON_REPORTS_WINDOW (widget);
  g_autoptr(GDateTime) from = gtk_calendar_get_date (self->from_calendar);
  g_autoptr(GDateTime) to = gtk_calendar_get_date (self->to_calendar);

  /* the server's limit (a leap year's days), said before asking */
  if (ABS (g_date_time_difference (to, from)) >= 366 * DAY_US)
    {
      gtk_label_set_text (self->error_label,
                          _("A report covers a year at most: choose dates closer together."));
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }
  g_clear_pointer (&self->custom_from, g_date_time_unref);
  g_clear_pointer (&self->custom_to, g_date_time_unref);
  /* the earlier date first, whichever calendar holds it */
  self->custom_from = midnight (self->zone, g_date_time_compare (from, to) <= 0 ? from : to);
  self->custom_to = midnight (self->zone, g_date_time_compare (from, to) <= 0 ? to : from);
  show_custom_period (self);
  gtk_popover_popdown (self->custom_popover);
  load (self);
}

/* Filters */

static const char *
selected_id (GtkDropDown *dropdown,
             GPtrArray   *ids)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  return selected < ids->len ? ids->pdata[selected] : NULL;
}

/* "All …" then the entries of model by name, keeping the one selected */
static void
fill_filter (BatonReportsWindow *self,
             GtkDropDown        *dropdown,
             GPtrArray          *ids,
             GListModel         *model,
             const char         *all)
{
  g_autofree char *kept = g_strdup (selected_id (dropdown, ids));
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = 0;

  self->filling = TRUE;
  g_ptr_array_set_size (ids, 0);
  g_ptr_array_add (ids, NULL);
  gtk_string_list_append (names, all);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(BatonDirectoryEntry) entry = g_list_model_get_item (model, i);
      const char *id = baton_directory_entry_get_id (entry);

      if (g_strcmp0 (id, kept) == 0)
        selected = ids->len;
      g_ptr_array_add (ids, g_strdup (id));
      gtk_string_list_append (names, baton_directory_entry_get_name (entry));
    }
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (dropdown, selected);
  self->filling = FALSE;
}

static void
fill_filters (BatonReportsWindow *self)
{
  fill_filter (self, self->team_dropdown, self->team_ids, self->teams, _("All Teams"));
  fill_filter (self, self->agent_dropdown, self->agent_ids, self->agents, _("All Agents"));
}

static void
filter_changed_cb (BatonReportsWindow *self)
{
  if (!self->filling)
    load (self);
}

/* Figures */

static void
set_figure (BatonReportsWindow *self,
            Figure              figure,
            char               *text)
{
  gtk_label_set_text (self->figures[figure], text);
  g_free (text);
}

static void
show_figures (BatonReportsWindow *self)
{
  BatonReport *report = self->report;

  set_figure (self, FIGURE_CREATED, g_strdup_printf ("%" G_GINT64_FORMAT, report->created));
  set_figure (self, FIGURE_RESOLVED, g_strdup_printf ("%" G_GINT64_FORMAT, report->resolved));
  set_figure (self, FIGURE_REOPENED, g_strdup_printf ("%" G_GINT64_FORMAT, report->reopened));
  set_figure (self, FIGURE_REPLIES, g_strdup_printf ("%" G_GINT64_FORMAT, report->replies));
  set_figure (self, FIGURE_FIRST_RESPONSE,
              baton_describe_duration (report->first_response.median));
  set_figure (self, FIGURE_FIRST_RESPONSE_P90,
              baton_describe_duration (report->first_response.p90));
  set_figure (self, FIGURE_RESOLUTION, baton_describe_duration (report->resolution.median));
  set_figure (self, FIGURE_RESOLUTION_P90, baton_describe_duration (report->resolution.p90));
}

static GtkWidget *
figure_new (BatonReportsWindow *self,
            Figure              figure,
            const char         *caption)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *value = gtk_label_new ("—");
  GtkWidget *label = gtk_label_new (caption);

  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "report-figure");
  gtk_widget_add_css_class (value, "value");
  gtk_widget_add_css_class (value, "numeric");
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (value), 0);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_box_append (GTK_BOX (box), value);
  gtk_box_append (GTK_BOX (box), label);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (value), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  label, NULL, -1);
  self->figures[figure] = GTK_LABEL (value);
  return box;
}

static void
add_figures (BatonReportsWindow *self)
{
  const char *captions[N_FIGURES] = {
    [FIGURE_CREATED] = _("Conversations created"),
    [FIGURE_RESOLVED] = C_("report", "Resolved"),
    [FIGURE_REOPENED] = _("Reopened"),
    [FIGURE_REPLIES] = _("Replies"),
    [FIGURE_FIRST_RESPONSE] = _("First response, median"),
    [FIGURE_FIRST_RESPONSE_P90] = _("First response, 9 in 10 within"),
    [FIGURE_RESOLUTION] = _("Resolution, median"),
    [FIGURE_RESOLUTION_P90] = _("Resolution, 9 in 10 within"),
  };

  for (guint i = 0; i < N_FIGURES; i++)
    gtk_flow_box_append (self->figures_box, figure_new (self, i, captions[i]));
}

/* Charts */

static void
toggle_toggled_cb (GtkToggleButton *toggle,
                   Card            *card)
{
  gboolean table = gtk_toggle_button_get_active (toggle);
  const char *tip = table ? _("Show as Chart") : _("Show as Table");

  gtk_stack_set_visible_child_name (card->stack, table ? "table" : "chart");
  gtk_widget_set_tooltip_text (GTK_WIDGET (toggle), tip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, tip,
                                  -1);
}

/* a card: its title and the table toggle above the chart (named name, for tests) */
static void
add_card (BatonReportsWindow *self,
          Chart               which,
          const char         *name,
          const char         *title,
          BatonChartKind      kind,
          BatonChartUnit      unit)
{
  Card *card = &self->cards[which];
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (title);

  card->chart = BATON_CHART (baton_chart_new (kind, unit));
  card->stack = GTK_STACK (gtk_stack_new ());
  card->table = GTK_SCROLLED_WINDOW (gtk_scrolled_window_new ());
  card->toggle = GTK_TOGGLE_BUTTON (gtk_toggle_button_new ());
  gtk_widget_set_name (box, name);
  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "report-card");
  gtk_widget_add_css_class (label, "heading");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_button_set_icon_name (GTK_BUTTON (card->toggle), "view-list-symbolic");
  gtk_widget_add_css_class (GTK_WIDGET (card->toggle), "flat");
  gtk_box_append (GTK_BOX (header), label);
  gtk_box_append (GTK_BOX (header), GTK_WIDGET (card->toggle));
  gtk_scrolled_window_set_policy (card->table, GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_propagate_natural_height (card->table, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (card->chart), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  title, -1);
  gtk_stack_add_named (card->stack, GTK_WIDGET (card->chart), "chart");
  gtk_stack_add_named (card->stack, GTK_WIDGET (card->table), "table");
  gtk_stack_set_vhomogeneous (card->stack, FALSE);
  toggle_toggled_cb (card->toggle, card);
  g_signal_connect (card->toggle, "toggled", G_CALLBACK (toggle_toggled_cb), card);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (card->stack));
  gtk_box_append (self->charts_box, box);
}

static void
add_cards (BatonReportsWindow *self)
{
  add_card (self, CHART_PER_DAY, "per-day", _("Conversations per Day"), BATON_CHART_BARS,
            BATON_CHART_COUNTS);
  add_card (self, CHART_TIMES, "times", _("Response Times per Day, Medians"),
            BATON_CHART_LINES, BATON_CHART_DURATIONS);
  add_card (self, CHART_WORKLOAD, "workload", _("Workload per Agent"), BATON_CHART_BARS,
            BATON_CHART_COUNTS);
  add_card (self, CHART_HOURS, "hours", _("New Conversations by Weekday and Hour"),
            BATON_CHART_HEAT_MAP, BATON_CHART_COUNTS);
  add_card (self, CHART_RULES, "rules", _("Assignments per Day by Rule"), BATON_CHART_STACKED,
            BATON_CHART_COUNTS);
}

/* The chart's data and its table. */
static void
set_chart (BatonReportsWindow *self,
           Chart               which,
           const char * const *categories,
           const char * const *series,
           const double       *values)
{
  Card *card = &self->cards[which];

  baton_chart_set_data (card->chart, categories, series, values);
  gtk_scrolled_window_set_child (card->table, baton_chart_build_table (card->chart));
}

/* "24 Oct" for "2026-10-24" */
static char *
day_label (const char *date)
{
  g_autofree char *text = g_strconcat (date, "T12:00:00Z", NULL);
  g_autoptr(GDateTime) day = g_date_time_new_from_iso8601 (text, NULL);

  return day ? g_date_time_format (day, "%-d %b") : g_strdup (date);
}

static GStrv
day_labels (BatonReport *report)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < report->days->len; i++)
    {
      g_autofree char *label = day_label (((BatonReportDayRow *) report->days->pdata[i])->date);

      g_strv_builder_add (builder, label);
    }
  return g_strv_builder_end (builder);
}

static double
seconds_or_nan (gint64 seconds)
{
  return seconds < 0 ? NAN : (double) seconds;
}

static void
show_days (BatonReportsWindow *self,
           GStrv               days)
{
  BatonReport *report = self->report;
  guint n = report->days->len;
  g_autofree double *counts = g_new0 (double, 2 * n + 1);
  g_autofree double *times = g_new0 (double, 2 * n + 1);
  const char *count_series[] = { _("Created"), C_("report", "Resolved"), NULL };
  const char *time_series[] = { _("First response"), _("Resolution"), NULL };

  for (guint i = 0; i < n; i++)
    {
      BatonReportDayRow *day = report->days->pdata[i];

      counts[i] = day->created;
      counts[n + i] = day->resolved;
      times[i] = seconds_or_nan (day->first_response_median);
      times[n + i] = seconds_or_nan (day->resolution_median);
    }
  set_chart (self, CHART_PER_DAY, (const char * const *) days, count_series, counts);
  set_chart (self, CHART_TIMES, (const char * const *) days, time_series, times);
}

static gint64
day_count (BatonReportDayRow *day,
           const char        *via)
{
  for (guint i = 0; i < day->assignments_by_via->len; i++)
    {
      BatonReportViaCount *count = day->assignments_by_via->pdata[i];

      if (g_strcmp0 (count->via, via) == 0)
        return count->count;
    }
  return 0;
}

static void
show_rules (BatonReportsWindow *self,
            GStrv               days)
{
  BatonReport *report = self->report;
  g_auto(GStrv) vias = baton_report_day_vias (report);
  guint n = report->days->len;
  guint n_vias = g_strv_length (vias);
  g_autofree double *counts = g_new0 (double, n * n_vias + 1);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) series = NULL;

  for (guint v = 0; v < n_vias; v++)
    {
      g_strv_builder_add (names, baton_describe_via (vias[v]));
      for (guint i = 0; i < n; i++)
        counts[v * n + i] = day_count (report->days->pdata[i], vias[v]);
    }
  series = g_strv_builder_end (names);
  set_chart (self, CHART_RULES, (const char * const *) days, (const char * const *) series,
             counts);
}

static void
show_hours (BatonReportsWindow *self)
{
  const char *weekdays[] = { _("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"),
                             _("Sun"), NULL };
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) hours = NULL;
  double counts[7 * 24];

  for (guint h = 0; h < 24; h++)
    {
      g_autofree char *hour = g_strdup_printf ("%u", h);

      g_strv_builder_add (builder, hour);
    }
  hours = g_strv_builder_end (builder);
  for (guint d = 0; d < 7; d++)
    for (guint h = 0; h < 24; h++)
      counts[d * 24 + h] = self->report->created_by_weekday_hour[d][h];
  set_chart (self, CHART_HOURS, (const char * const *) hours, weekdays, counts);
}

static void
show_workload (BatonReportsWindow *self)
{
  GPtrArray *agents = self->report->agents;
  guint n = agents->len;
  g_autofree double *counts = g_new0 (double, 3 * n + 1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) names = NULL;
  const char *series[] = { _("Assigned"), C_("report", "Resolved"), C_("report", "Open"),
                           NULL };

  for (guint i = 0; i < n; i++)
    {
      BatonReportAgentRow *agent = agents->pdata[i];

      g_strv_builder_add (builder, agent->name);
      counts[i] = agent->assigned;
      counts[n + i] = agent->resolved;
      counts[2 * n + i] = agent->open;
    }
  names = g_strv_builder_end (builder);
  set_chart (self, CHART_WORKLOAD, (const char * const *) names, series, counts);
}

/* The agents' table: a row per agent, their figures and first response times. */

static void
attach_cell (GtkGrid    *grid,
             const char *text,
             guint       column,
             guint       row)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), column == 0 ? 0 : 1);
  gtk_widget_add_css_class (label, row == 0 ? "heading" : "numeric");
  /* long headings take two lines, so that the table fits a narrow window */
  if (row == 0)
    {
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 14);
      gtk_label_set_justify (GTK_LABEL (label), column == 0 ? GTK_JUSTIFY_LEFT
                                                            : GTK_JUSTIFY_RIGHT);
      gtk_widget_set_valign (label, GTK_ALIGN_END);
    }
  if (column == 0)
    gtk_widget_set_hexpand (label, TRUE);
  gtk_grid_attach (grid, label, column, row, 1, 1);
}

static void
attach_count (GtkGrid *grid,
              gint64   count,
              guint    column,
              guint    row)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, count);

  attach_cell (grid, text, column, row);
}

static void
attach_duration (GtkGrid *grid,
                 gint64   seconds,
                 guint    column,
                 guint    row)
{
  g_autofree char *text = baton_describe_duration (seconds);

  attach_cell (grid, text, column, row);
}

static void
show_agents (BatonReportsWindow *self)
{
  const char *headers[] = { _("Agent"), _("Assigned"), C_("report", "Resolved"),
                            C_("report", "Open"), _("Replies"), _("First response, median"),
                            _("9 in 10 within") };
  GtkWidget *child = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->agents_grid))))
    gtk_grid_remove (self->agents_grid, child);
  for (guint c = 0; c < G_N_ELEMENTS (headers); c++)
    attach_cell (self->agents_grid, headers[c], c, 0);
  for (guint i = 0; i < self->report->agents->len; i++)
    {
      BatonReportAgentRow *agent = self->report->agents->pdata[i];

      attach_cell (self->agents_grid, agent->name, 0, i + 1);
      attach_count (self->agents_grid, agent->assigned, 1, i + 1);
      attach_count (self->agents_grid, agent->resolved, 2, i + 1);
      attach_count (self->agents_grid, agent->open, 3, i + 1);
      attach_count (self->agents_grid, agent->replies, 4, i + 1);
      attach_duration (self->agents_grid, agent->first_response.median, 5, i + 1);
      attach_duration (self->agents_grid, agent->first_response.p90, 6, i + 1);
    }
}

/* "30 Nov – 6 Dec" under the title: the days shown */
static void
show_period (BatonReportsWindow *self,
             GStrv               days)
{
  guint n = g_strv_length (days);
  g_autofree char *period = n > 1 ? g_strdup_printf ("%s – %s", days[0], days[n - 1])
                                  : g_strdup (n ? days[0] : "");

  adw_window_title_set_subtitle (self->window_title, period);
}

static void
show_report (BatonReportsWindow *self)
{
  g_auto(GStrv) days = day_labels (self->report);

  show_period (self, days);
  show_figures (self);
  show_days (self, days);
  show_rules (self, days);
  show_hours (self);
  show_workload (self);
  show_agents (self);
}

/* Loading */

static void
report_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonReport) report = baton_client_get_report_finish (BATON_CLIENT (source), result,
                                                                 &error);
  BatonReportsWindow *self = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = BATON_REPORTS_WINDOW (user_data);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), report == NULL);
  if (report == NULL)
    {
      gtk_label_set_text (self->error_label, baton_describe_error (error));
      return;
    }
  self->report = g_steal_pointer (&report);
  show_report (self);
}

static void
load (BatonReportsWindow *self)
{
  gint64 from = 0;
  gint64 to = 0;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->report, baton_report_unref);
  self->cancellable = g_cancellable_new ();
  get_period (self, &from, &to);
  baton_client_get_report_async (self->client, from, to,
                                 selected_id (self->team_dropdown, self->team_ids),
                                 selected_id (self->agent_dropdown, self->agent_ids),
                                 self->cancellable, report_loaded_cb, self);
}

/* The workspace's time zone known, the first report: its days are the workspace's. */
static void
settings_loaded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(BatonReportsWindow) self = user_data;
  g_autoptr(BatonWorkspaceConfig) settings = NULL;
  GTimeZone *zone = NULL;

  settings = baton_client_get_settings_finish (BATON_CLIENT (source), result, NULL);
  /* closed meanwhile */
  if (self->client == NULL)
    return;
  zone = settings ? g_time_zone_new_identifier (settings->timezone) : NULL;
  if (zone)
    {
      g_time_zone_unref (self->zone);
      self->zone = zone;
    }
  load (self);
}

/* Export */

static void
tell (BatonReportsWindow *self,
      const char         *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, baton_toast_new (text));
}

/* an export under way: the window that asked, the file to write */
typedef struct {
  BatonReportsWindow *self;
  GFile *file;
} Export;

static void
export_free (Export *export)
{
  g_object_unref (export->self);
  g_object_unref (export->file);
  g_free (export);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Export, export_free)

static void
csv_saved_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Export) export = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (export->file);
  g_autofree char *saved = NULL;

  if (!g_file_replace_contents_finish (export->file, result, NULL, &error))
    {
      tell (export->self, baton_describe_error (error));
      return;
    }
  saved = g_strdup_printf (_("Report saved as “%s”"), name);
  tell (export->self, saved);
}

static void
csv_fetched_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Export) export = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) csv = baton_client_get_report_csv_finish (BATON_CLIENT (source), result,
                                                             &error);
  GFile *file = export->file;

  if (csv == NULL)
    {
      tell (export->self, baton_describe_error (error));
      return;
    }
  g_file_replace_contents_bytes_async (file, csv, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       NULL, csv_saved_cb, g_steal_pointer (&export));
}

/* The server's CSV of the period and filters shown, written to file. */
static void
export_to_file (BatonReportsWindow *self,
                GFile              *file)
{
  Export *export = g_new0 (Export, 1);
  gint64 from = 0;
  gint64 to = 0;

  export->self = g_object_ref (self);
  export->file = g_object_ref (file);
  get_period (self, &from, &to);
  baton_client_get_report_csv_async (self->client, from, to,
                                     selected_id (self->team_dropdown, self->team_ids),
                                     selected_id (self->agent_dropdown, self->agent_ids), NULL,
                                     csv_fetched_cb, export);
}

static void
export_to (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  g_autoptr(GFile) file = g_file_new_for_path (g_variant_get_string (parameter, NULL));

  export_to_file (BATON_REPORTS_WINDOW (widget), file);
}

static void
chooser_responded_cb (GtkNativeDialog    *chooser,
                      int                 response,
                      BatonReportsWindow *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file)
    export_to_file (self, file);
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
export (GtkWidget  *widget,
        const char *action_name,
        GVariant   *parameter)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Export Report"),
                                                               GTK_WINDOW (widget),
                                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                                               _("_Save"), _("_Cancel"));
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *name = g_strdup_printf (_("report-%s.csv"), date);

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_responded_cb), widget, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* GObject */

static void
baton_reports_window_dispose (GObject *object)
{
  BatonReportsWindow *self = BATON_REPORTS_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->teams)
    g_signal_handlers_disconnect_by_data (self->teams, self);
  if (self->agents)
    g_signal_handlers_disconnect_by_data (self->agents, self);
  self->teams = NULL;
  self->agents = NULL;
  g_clear_object (&self->client);
  g_clear_pointer (&self->report, baton_report_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), BATON_TYPE_REPORTS_WINDOW);

  G_OBJECT_CLASS (baton_reports_window_parent_class)->dispose (object);
}

static void
baton_reports_window_finalize (GObject *object)
{
  BatonReportsWindow *self = BATON_REPORTS_WINDOW (object);

  g_ptr_array_unref (self->team_ids);
  g_ptr_array_unref (self->agent_ids);
  g_clear_pointer (&self->custom_from, g_date_time_unref);
  g_clear_pointer (&self->custom_to, g_date_time_unref);
  g_clear_pointer (&self->zone, g_time_zone_unref);

  G_OBJECT_CLASS (baton_reports_window_parent_class)->finalize (object);
}

static void
baton_reports_window_class_init (BatonReportsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = baton_reports_window_dispose;
  object_class->finalize = baton_reports_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/baton/Baton/ui/baton-reports-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BatonReportsWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, BatonReportsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BatonReportsWindow, period_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BatonReportsWindow, custom_button);
  gtk_widget_class_bind_template_child (widget_class, BatonReportsWindow, custom_popover);
  gtk_widget_class_bind_template_child (widget_class, BatonReportsWindow, from_calendar);
  gtk_widget_class_bind_template_child (widget_class, BatonReportsWindow, to_calendar);
  gtk_widget_class_bind_template_child (widget_class, BatonReportsWindow, team_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BatonReportsWindow, agent_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BatonReportsWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, BatonReportsWindow, figures_box);
  gtk_widget_class_bind_template_child (widget_class, BatonReportsWindow, charts_box);
  gtk_widget_class_bind_template_child (widget_class, BatonReportsWindow, agents_grid);

  gtk_widget_class_install_action (widget_class, "reports.export", NULL, export);
  gtk_widget_class_install_action (widget_class, "reports.export-to", "s", export_to);
  gtk_widget_class_install_action (widget_class, "reports.apply-custom", NULL, apply_custom);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "reports.export", NULL);
}

static void
baton_reports_window_init (BatonReportsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->team_ids = g_ptr_array_new_with_free_func (g_free);
  self->agent_ids = g_ptr_array_new_with_free_func (g_free);
  self->zone = g_time_zone_new_local ();
  add_figures (self);
  add_cards (self);
  g_signal_connect_swapped (self->period_dropdown, "notify::selected",
                            G_CALLBACK (period_changed_cb), self);
  g_signal_connect_swapped (self->team_dropdown, "notify::selected",
                            G_CALLBACK (filter_changed_cb), self);
  g_signal_connect_swapped (self->agent_dropdown, "notify::selected",
                            G_CALLBACK (filter_changed_cb), self);
}

BatonReportsWindow *
baton_reports_window_new (BatonClient *client)
{
  BatonReportsWindow *self = NULL;
  BatonAgent *me = NULL;
  BatonDirectory *directory = NULL;
  gboolean manager = FALSE;

  g_return_val_if_fail (BATON_IS_CLIENT (client), NULL);

  self = g_object_new (BATON_TYPE_REPORTS_WINDOW, NULL);
  self->client = g_object_ref (client);
  me = baton_client_get_me (client);
  manager = me && me->role == BATON_ROLE_MANAGER;
  /* an agent sees their own figures: no filter to choose */
  gtk_widget_set_visible (GTK_WIDGET (self->team_dropdown), manager);
  gtk_widget_set_visible (GTK_WIDGET (self->agent_dropdown), manager);
  if (manager)
    {
      directory = baton_client_get_directory (client);
      self->teams = baton_directory_get_teams (directory);
      self->agents = baton_directory_get_agents (directory);
      fill_filters (self);
      g_signal_connect_object (self->teams, "items-changed", G_CALLBACK (fill_filters), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->agents, "items-changed", G_CALLBACK (fill_filters), self,
                               G_CONNECT_SWAPPED);
    }
  baton_client_get_settings_async (client, NULL, settings_loaded_cb, g_object_ref (self));
  return self;
}

BatonReport *
baton_reports_window_get_report (BatonReportsWindow *self)
{
  g_return_val_if_fail (BATON_IS_REPORTS_WINDOW (self), NULL);

  return self->report;
}
