/* test-ui-reports.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "baton-application.h"
#include "baton-chart.h"
#include "baton-reports-window.h"
#include "baton-test-helpers.h"
#include "baton-test-server.h"
#include "baton-test-ui.h"
#include "baton-window.h"

/* The Reports window against a real batond whose test clock starts three days ago: customers
 * write, agents reply at known delays; a manager picks the last 7 days and reads each
 * agent's first response time in the agents' table, shows a chart as a table, filters by
 * team, exports the CSV; an agent sees their own figures only. Run twice: as is, and in
 * French (test-ui-reports-fr). */

#define TIMEOUT_MS 15000

static BatonTestServer *server;
/* "" or "-fr", for the screenshots' names */
static const char *locale_suffix = "";
static char *alice;
static char *alice_email;
static char *team_id;

/* the day the history was written */
static GDateTime *history_day;

/* Three days ago at 10:00 UTC, as the server's start. */
static char *
three_days_ago (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, -3);

  history_day = g_date_time_new_utc (g_date_time_get_year (then), g_date_time_get_month (then),
                                     g_date_time_get_day_of_month (then), 12, 0, 0);
  return g_strdup_printf ("--test-clock=%04d-%02d-%02dT10:00:00Z", g_date_time_get_year (then),
                          g_date_time_get_month (then), g_date_time_get_day_of_month (then));
}

static void
reply (const char *conversation_id,
       const char *token)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/messages",
                                           conversation_id);
  g_autoptr(JsonNode) node = baton_test_expect (server, "POST", path, token,
                                                "{\"body\":\"Hello\"}", 201, NULL);
}

static char *
customer_writes (const char *channel_id,
                 const char *secret)
{
  g_autofree char *phone = baton_test_new_phone ();

  return baton_test_customer_writes (server, channel_id, secret, phone, NULL, "Hello");
}

/* Alice answers C1 in 4 min and C3 in 10 min, Bob C2 in 2 h 10 min; Alice resolves C1 an
 * hour later; C3 goes to the team
 * (the test clock also runs with real time: each delay is far from the next minute). */
static void
build_history (void)
{
  g_autofree char *secret = NULL;
  g_autofree char *channel_id = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *alice_token = NULL;
  g_autofree char *bob_token = NULL;
  g_autofree char *bob = NULL;
  g_autofree char *team_body = NULL;
  g_autofree char *assignment = NULL;
  g_autofree char *c1 = NULL;
  g_autofree char *c2 = NULL;
  g_autofree char *c3 = NULL;

  alice_email = g_strdup ("alice.reports@example.com");
  alice = baton_test_create_agent (server, "Alice Reports", alice_email, "agent", &alice_token);
  bob = baton_test_create_agent (server, "Bob Reports", "bob.reports@example.com", "agent",
                                 &bob_token);
  team_body = g_strdup_printf ("{\"name\":\"Support\",\"strategy\":\"round_robin\","
                               "\"member_ids\":[\"%s\"]}", alice);
  team_id = baton_test_create (server, "/api/v1/teams", team_body);

  c1 = customer_writes (channel_id, secret);
  baton_test_advance_clock (server, 4 * 60 + 5);
  reply (c1, alice_token);
  c2 = customer_writes (channel_id, secret);
  baton_test_advance_clock (server, 2 * 3600 + 10 * 60 + 5);
  reply (c2, bob_token);
  c3 = customer_writes (channel_id, secret);
  baton_test_advance_clock (server, 10 * 60 + 5);
  reply (c3, alice_token);
  baton_test_advance_clock (server, 3600);
  {
    g_autofree char *resolve = g_strdup_printf ("/api/v1/conversations/%s/resolve", c1);
    g_autoptr(JsonNode) node = baton_test_expect (server, "POST", resolve, alice_token, NULL, 200,
                                                  NULL);
  }
  assignment = g_strdup_printf ("/api/v1/conversations/%s/assignment", c3);
  g_free (team_body);
  team_body = g_strdup_printf ("{\"team_id\":\"%s\"}", team_id);
  {
    g_autoptr(JsonNode) node = baton_test_expect (server, "PUT", assignment,
                                                  server->manager_token, team_body, 200, NULL);
  }
}

static gboolean
is_of_type (GtkWidget     *widget,
            gconstpointer  type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

static gboolean
is_named (GtkWidget     *widget,
          gconstpointer  name)
{
  return g_strcmp0 (gtk_widget_get_name (widget), name) == 0;
}

static gboolean
label_is (GtkWidget     *widget,
          gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static GtkWidget *
find_named (GtkWidget  *root,
            const char *name)
{
  GtkWidget *widget = baton_test_ui_find (root, is_named, name);

  g_assert_nonnull (widget);
  return widget;
}

/* What the window must show before the test goes on. */
typedef struct {
  BatonReportsWindow *window;
  gint64 created;
  const char *team_id;
} ReportWait;

static gboolean
report_is (gpointer user_data)
{
  ReportWait *wait = user_data;
  BatonReport *report = baton_reports_window_get_report (wait->window);

  return report && report->created == wait->created
         && g_strcmp0 (report->team_id, wait->team_id) == 0;
}

static void
wait_report (BatonReportsWindow *window,
             gint64              created,
             const char         *team)
{
  ReportWait wait = { window, created, team };

  baton_test_ui_wait_until (report_is, &wait, TIMEOUT_MS, "the report");
}

/* The text in the agents' table, in the row of that agent, under column (1: assigned … 5:
 * first response median); NULL when the agent has no row. */
static const char *
agent_cell (GtkWidget  *window,
            const char *agent,
            int         column)
{
  GtkWidget *table = find_named (window, "agents-table");
  GtkWidget *name = baton_test_ui_find (table, label_is, agent);
  int row = 0;

  if (name == NULL)
    return NULL;
  gtk_grid_query_child (GTK_GRID (table), name, NULL, &row, NULL, NULL);
  return gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (GTK_GRID (table), column, row)));
}

static GtkDropDown *
dropdown_labelled (GtkWidget  *window,
                   guint       index)
{
  GtkWidget *filters = find_named (window, "filters");
  GtkWidget *child = gtk_widget_get_first_child (filters);

  for (guint i = 0; child; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_DROP_DOWN (child) && i++ == index)
      return GTK_DROP_DOWN (child);
  g_assert_not_reached ();
}

static guint
item_index (GtkDropDown *dropdown,
            const char  *text)
{
  GListModel *model = gtk_drop_down_get_model (dropdown);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), i), text) == 0)
      return i;
  g_assert_not_reached ();
}

static gboolean
shows_label (gpointer user_data)
{
  gpointer *args = user_data;

  return baton_test_ui_find (args[0], label_is, args[1]) != NULL;
}

/* the window, scrolled down a screen at a time to the end */
static void
screenshot_all (GtkWidget  *window,
                const char *name,
                const char *scheme)
{
  GtkWidget *scroll = find_named (window, "report-scroll");
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroll));

  for (guint i = 0; i < 6; i++)
    {
      double page = gtk_adjustment_get_page_size (adjustment);
      g_autofree char *shot = i == 0 ? g_strconcat (name, scheme, locale_suffix, NULL)
                                     : g_strdup_printf ("%s%s%s-%u", name, scheme,
                                                        locale_suffix, i + 1);

      gtk_adjustment_set_value (adjustment, i * page * 0.9);
      baton_test_ui_screenshot (window, shot);
      if (i * page * 0.9 + page >= gtk_adjustment_get_upper (adjustment))
        break;
    }
  gtk_adjustment_set_value (adjustment, 0);
}

static void
screenshots (GtkWidget  *window,
             const char *name)
{
  AdwStyleManager *style = adw_style_manager_get_default ();

  screenshot_all (window, name, "");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  screenshot_all (window, name, "-dark");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

/* A card's toggle shows its table: the same numbers as the chart. */
static void
show_table (GtkWidget *window)
{
  GtkWidget *card = find_named (window, "per-day");
  GtkWidget *toggle = baton_test_ui_find (card, is_of_type,
                                          GSIZE_TO_POINTER (GTK_TYPE_TOGGLE_BUTTON));
  GtkWidget *stack = baton_test_ui_find (card, is_of_type, GSIZE_TO_POINTER (GTK_TYPE_STACK));
  GtkWidget *chart = baton_test_ui_find (card, is_of_type, GSIZE_TO_POINTER (BATON_TYPE_CHART));

  g_assert_false (baton_chart_is_empty (BATON_CHART (chart)));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "chart");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), TRUE);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "table");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (toggle), ==, _("Show as Chart"));
  g_assert_nonnull (baton_test_ui_find (stack, label_is, _("Created")));
  /* the three conversations of that day */
  g_assert_nonnull (baton_test_ui_find (stack, label_is, "3"));
}

static void
export_csv (GtkWidget *window)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("baton-reports-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "report.csv", NULL);
  g_autofree char *text = NULL;
  g_autofree char *team_line = g_strdup_printf ("\r\nteam_id,%s\r\nagent_id,\r\ncreated,1\r\n",
                                                team_id);
  g_autofree char *saved = g_strdup_printf (_("Report saved as “%s”"), "report.csv");
  gpointer toast[] = { window, saved };

  g_assert_no_error (error);
  g_assert_true (gtk_widget_activate_action (window, "reports.export-to", "s", path));
  baton_test_ui_wait_until (shows_label, toast, TIMEOUT_MS, "the CSV saved");
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (text, "summary\r\nfigure,value\r\n"));
  g_assert_nonnull (strstr (text, team_line));
  g_assert_nonnull (strstr (text, "\r\n\r\ndays\r\n"));
  g_remove (path);
  g_remove (dir);
}

/* a calendar other than not_this (NULL: any) */
static gboolean
is_calendar (GtkWidget     *widget,
             gconstpointer  not_this)
{
  return GTK_IS_CALENDAR (widget) && widget != not_this;
}

/* Custom: the calendars' popover opens; the day of the history alone. */
static void
pick_custom (GtkWidget   *window,
             GtkDropDown *period)
{
  GtkWidget *from = NULL;
  GtkWidget *popover = NULL;
  GtkWidget *error = NULL;
  BatonReport *report = NULL;
  g_autoptr(GDateTime) long_ago = g_date_time_add_days (history_day, -366);
  g_autofree char *date = g_date_time_format (history_day, "%Y-%m-%d");
  g_autofree char *shot = g_strconcat ("reports-custom", locale_suffix, NULL);

  gtk_drop_down_set_selected (period, 3);
  from = baton_test_ui_find (window, is_calendar, NULL);
  g_assert_nonnull (from);
  popover = gtk_widget_get_ancestor (from, GTK_TYPE_POPOVER);
  g_assert_true (gtk_widget_get_visible (popover));

  /* more than a year: said, nothing asked, the calendars still open */
  gtk_calendar_select_day (GTK_CALENDAR (from), long_ago);
  gtk_calendar_select_day (GTK_CALENDAR (baton_test_ui_find (popover, is_calendar, from)),
                           history_day);
  g_assert_true (gtk_widget_activate_action (window, "reports.apply-custom", NULL));
  error = baton_test_ui_find (window, label_is,
                              _("A report covers a year at most: choose dates closer together."));
  g_assert_nonnull (error);
  g_assert_true (gtk_widget_get_visible (error));
  g_assert_true (gtk_widget_get_visible (popover));

  gtk_calendar_select_day (GTK_CALENDAR (from), history_day);
  /* the second calendar, "To" */
  gtk_calendar_select_day (GTK_CALENDAR (baton_test_ui_find (popover, is_calendar, from)),
                           history_day);
  baton_test_ui_screenshot_popover (window, GTK_POPOVER (popover), shot);
  g_assert_true (gtk_widget_activate_action (window, "reports.apply-custom", NULL));
  wait_report (BATON_REPORTS_WINDOW (window), 3, NULL);
  report = baton_reports_window_get_report (BATON_REPORTS_WINDOW (window));
  g_assert_cmpuint (report->days->len, ==, 1);
  g_assert_cmpstr (((BatonReportDayRow *) report->days->pdata[0])->date, ==, date);
  g_assert_false (gtk_widget_get_visible (popover));
  g_assert_false (gtk_widget_get_visible (error));
}

/* the window's subtitle: the first and last days shown, as "30 Nov – 6 Dec" */
static void
assert_subtitle (GtkWidget *window,
                 int        first_days_ago)
{
  GtkWidget *title = baton_test_ui_find (window, is_of_type,
                                         GSIZE_TO_POINTER (ADW_TYPE_WINDOW_TITLE));
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) first = g_date_time_add_days (now, -first_days_ago);
  g_autofree char *from = g_date_time_format (first, "%-d %b");
  g_autofree char *to = g_date_time_format (now, "%-d %b");
  g_autofree char *expected = g_strdup_printf ("%s – %s", from, to);

  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (title)), ==, expected);
}

static void
test_manager (void)
{
  g_autoptr(BatonClient) client = baton_test_ui_sign_in (server->url, BATON_TEST_MANAGER_EMAIL,
                                                         BATON_TEST_PASSWORD);
  BatonReportsWindow *window = baton_reports_window_new (client);
  GtkDropDown *period = NULL;
  GtkDropDown *team = NULL;
  GtkDropDown *agent = NULL;

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 780);
  gtk_window_present (GTK_WINDOW (window));
  period = dropdown_labelled (GTK_WIDGET (window), 0);
  team = dropdown_labelled (GTK_WIDGET (window), 1);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (team)));

  /* today has nothing yet; the last 7 days hold the three days ago */
  gtk_drop_down_set_selected (period, 0);
  wait_report (window, 0, NULL);
  g_assert_true (baton_chart_is_empty (BATON_CHART (baton_test_ui_find (
                   find_named (GTK_WIDGET (window), "per-day"), is_of_type,
                   GSIZE_TO_POINTER (BATON_TYPE_CHART)))));
  gtk_drop_down_set_selected (period, 1);
  wait_report (window, 3, NULL);
  assert_subtitle (GTK_WIDGET (window), 6);
  g_assert_cmpstr (agent_cell (GTK_WIDGET (window), "Alice Reports", 5), ==, _("4 min"));
  g_assert_cmpstr (agent_cell (GTK_WIDGET (window), "Bob Reports", 5), ==, "2 h 10 min");
  g_assert_cmpstr (agent_cell (GTK_WIDGET (window), "Alice Reports", 4), ==, "2");
  baton_test_ui_assert_named (GTK_WIDGET (window), "reports window");
  screenshots (GTK_WIDGET (window), "reports");

  show_table (GTK_WIDGET (window));

  /* the team's conversation alone: Alice's answer in 10 min */
  gtk_drop_down_set_selected (team, item_index (team, "Support"));
  wait_report (window, 1, team_id);
  g_assert_cmpstr (agent_cell (GTK_WIDGET (window), "Alice Reports", 5), ==, _("10 min"));
  g_assert_cmpstr (agent_cell (GTK_WIDGET (window), "Bob Reports", 5), ==, "—");
  export_csv (GTK_WIDGET (window));

  gtk_drop_down_set_selected (team, 0);
  wait_report (window, 3, NULL);

  /* Bob's figures: his conversation, his row alone */
  agent = dropdown_labelled (GTK_WIDGET (window), 2);
  gtk_drop_down_set_selected (agent, item_index (agent, "Bob Reports"));
  wait_report (window, 1, NULL);
  g_assert_cmpstr (agent_cell (GTK_WIDGET (window), "Bob Reports", 5), ==, "2 h 10 min");
  g_assert_null (agent_cell (GTK_WIDGET (window), "Alice Reports", 5));
  gtk_drop_down_set_selected (agent, 0);
  wait_report (window, 3, NULL);

  pick_custom (GTK_WIDGET (window), period);

  gtk_window_destroy (GTK_WINDOW (window));

  /* at 800 px wide */
  window = baton_reports_window_new (client);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 780);
  gtk_window_present (GTK_WINDOW (window));
  wait_report (window, 3, NULL);
  screenshots (GTK_WIDGET (window), "reports-800");
  gtk_window_destroy (GTK_WINDOW (window));
  baton_client_stop_stream (client);
}

/* An agent: their own figures, no filter to choose. */
static void
test_agent (void)
{
  g_autoptr(BatonClient) client = baton_test_ui_sign_in (server->url, alice_email,
                                                         BATON_TEST_PASSWORD);
  BatonReportsWindow *window = baton_reports_window_new (client);
  BatonReport *report = NULL;

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 780);
  gtk_window_present (GTK_WINDOW (window));
  wait_report (window, 2, NULL);
  report = baton_reports_window_get_report (window);
  g_assert_cmpstr (report->agent_id, ==, alice);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dropdown_labelled (GTK_WIDGET (window),
                                                                         1))));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (dropdown_labelled (GTK_WIDGET (window),
                                                                         2))));
  g_assert_cmpstr (agent_cell (GTK_WIDGET (window), "Alice Reports", 5), ==, _("4 min"));
  g_assert_null (agent_cell (GTK_WIDGET (window), "Bob Reports", 5));
  baton_test_ui_screenshot (GTK_WIDGET (window), locale_suffix[0] ? "reports-agent-fr"
                                                                  : "reports-agent");
  gtk_window_destroy (GTK_WINDOW (window));
  baton_client_stop_stream (client);
}

static BatonReportsWindow *
find_reports_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (BATON_IS_REPORTS_WINDOW (window))
        return BATON_REPORTS_WINDOW (window);
    }
  return NULL;
}

/* whether the shortcuts window lists Control+Alt+R */
static gboolean
help_lists_reports_key (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/org/baton/Baton/gtk/"
                                                                 "help-overlay.ui");
  GSList *objects = gtk_builder_get_objects (builder);
  gboolean listed = FALSE;

  for (GSList *l = objects; l; l = l->next)
    if (GTK_IS_SHORTCUTS_SHORTCUT (l->data))
      {
        g_autofree char *accelerator = NULL;
        guint key = 0;
        GdkModifierType mods = 0;

        g_object_get (l->data, "accelerator", &accelerator, NULL);
        if (accelerator && gtk_accelerator_parse (accelerator, &key, &mods))
          listed |= key == GDK_KEY_r && mods == (GDK_CONTROL_MASK | GDK_ALT_MASK);
      }
  g_slist_free (objects);
  return listed;
}

/* app.reports, in the main menu for every agent, with its key: it opens the window over the
 * main one. */
static void
test_app_action (void)
{
  g_autoptr(BatonApplication) app = baton_application_new ();
  g_autoptr(BatonClient) client = baton_test_ui_sign_in (server->url, alice_email,
                                                         BATON_TEST_PASSWORD);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) accels = NULL;
  BatonReportsWindow *window = NULL;
  GtkWindow *main_window = NULL;
  guint key = 0;
  GdkModifierType mods = 0;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_action_group_activate_action (G_ACTION_GROUP (app), "reports", NULL);
  g_assert_null (find_reports_window ());

  baton_application_sign_in (app, client, alice_email);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.reports");
  g_assert_nonnull (accels[0]);
  g_assert_true (gtk_accelerator_parse (accels[0], &key, &mods));
  g_assert_cmpuint (key, ==, GDK_KEY_r);
  g_assert_cmpuint (mods, ==, GDK_CONTROL_MASK | GDK_ALT_MASK);
  g_assert_true (help_lists_reports_key ());
  g_action_group_activate_action (G_ACTION_GROUP (app), "reports", NULL);
  window = find_reports_window ();
  g_assert_nonnull (window);
  main_window = gtk_window_get_transient_for (GTK_WINDOW (window));
  g_assert_true (BATON_IS_WINDOW (main_window));
  wait_report (window, 2, NULL);
  gtk_window_destroy (GTK_WINDOW (window));

  baton_application_sign_out (app);
  gtk_window_destroy (main_window);
}

static void
set_timezone (const char *timezone)
{
  g_autofree char *body = g_strdup_printf ("{\"timezone\":\"%s\"}", timezone);
  g_autoptr(JsonNode) node = baton_test_expect (server, "PATCH", "/api/v1/settings",
                                                server->manager_token, body, 200, NULL);
}

/* The days are the workspace's, 14 hours ahead of UTC here: "Today" is its today, one day
 * (from the machine's midnight it would straddle two). */
static void
test_time_zone (void)
{
  g_autoptr(JsonNode) settings = baton_test_expect (server, "GET", "/api/v1/settings",
                                                    server->manager_token, NULL, 200, NULL);
  g_autofree char *before = g_strdup (baton_test_get_string (settings, "timezone"));
  g_autoptr(GTimeZone) kiritimati = g_time_zone_new_identifier ("Pacific/Kiritimati");
  g_autoptr(GDateTime) now = g_date_time_new_now (kiritimati);
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autoptr(BatonClient) client = NULL;
  BatonReportsWindow *window = NULL;
  BatonReport *report = NULL;

  set_timezone ("Pacific/Kiritimati");
  client = baton_test_ui_sign_in (server->url, BATON_TEST_MANAGER_EMAIL, BATON_TEST_PASSWORD);
  window = baton_reports_window_new (client);
  gtk_window_present (GTK_WINDOW (window));
  wait_report (window, 3, NULL);
  report = baton_reports_window_get_report (window);
  g_assert_cmpstr (report->timezone, ==, "Pacific/Kiritimati");
  g_assert_cmpuint (report->days->len, ==, 7);
  gtk_drop_down_set_selected (dropdown_labelled (GTK_WIDGET (window), 0), 0);
  wait_report (window, 0, NULL);
  report = baton_reports_window_get_report (window);
  g_assert_cmpuint (report->days->len, ==, 1);
  g_assert_cmpstr (((BatonReportDayRow *) report->days->pdata[0])->date, ==, date);
  gtk_window_destroy (GTK_WINDOW (window));
  baton_client_stop_stream (client);
  set_timezone (before);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *clock = three_days_ago ();
  int status;

  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    return 77;
  locale_suffix = baton_test_ui_use_translations ();
  adw_init ();
  baton_test_ui_load_stylesheet ();
  server = baton_test_server_new (clock, NULL);
  build_history ();

  g_test_add_func ("/ui/reports/manager", test_manager);
  g_test_add_func ("/ui/reports/agent", test_agent);
  g_test_add_func ("/ui/reports/app-action", test_app_action);
  g_test_add_func ("/ui/reports/time-zone", test_time_zone);

  status = g_test_run ();
  baton_test_server_free (server);
  g_free (alice);
  g_free (alice_email);
  g_free (team_id);
  g_date_time_unref (history_day);
  return status;
}
