/* test-ui-hours.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "baton-hours-page.h"
#include "baton-preferences-window.h"
#include "baton-schedule-editor.h"
#include "baton-settings.h"
#include "baton-test-server.h"
#include "baton-test-ui.h"

/* Business hours in the Preferences of a manager against a real batond: created with an
 * overnight Saturday and a holiday (after a refused time zone), the server stores exactly
 * that; edited; an unused one deleted; one a flow uses stays, the dialog says which flow.
 * Run twice: as is, and in French (test-ui-hours-fr), finding the rows by their translated
 * titles. */

#define TIMEOUT_MS 10000

static BatonTestServer *server;
/* "" or "-fr", for the screenshots' names */
static const char *locale_suffix = "";
static BatonSettings *settings;

static gboolean
is_of_type (GtkWidget     *widget,
            gconstpointer  type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

/* The open toplevel of that type, or NULL. */
static GtkWidget *
find_toplevel (GType type)
{
  return baton_test_ui_find_window_of_type (type);
}

static gboolean
toplevel_open (gpointer type)
{
  return find_toplevel (GPOINTER_TO_SIZE (type)) != NULL;
}

static gboolean
editor_closed (gpointer unused)
{
  return find_toplevel (BATON_TYPE_SCHEDULE_EDITOR) == NULL;
}

static GtkWidget *
wait_toplevel (GType       type,
               const char *what)
{
  baton_test_ui_wait_until (toplevel_open, GSIZE_TO_POINTER (type), TIMEOUT_MS, what);
  return find_toplevel (type);
}

static GtkWidget *
find_row (GtkWidget  *root,
          const char *title)
{
  return baton_test_ui_find_row (root, title);
}

typedef struct {
  GtkWidget *root;
  const char *title;
  gboolean present;
} RowWait;

static gboolean
row_is (gpointer user_data)
{
  RowWait *wait = user_data;

  return (find_row (wait->root, wait->title) != NULL) == wait->present;
}

static void
wait_row (GtkWidget  *root,
          const char *title,
          gboolean    present)
{
  RowWait wait = { root, title, present };

  baton_test_ui_wait_until (row_is, &wait, TIMEOUT_MS, title);
}

static void
set_entry (GtkWidget  *editor,
           const char *title,
           const char *text)
{
  GtkWidget *row = find_row (editor, title);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static const char *
entry_text (GtkWidget  *editor,
            const char *title)
{
  GtkWidget *row = find_row (editor, title);

  g_assert_nonnull (row);
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static gboolean
is_add_button (GtkWidget     *widget,
               gconstpointer  unused)
{
  return GTK_IS_BUTTON (widget)
         && ADW_IS_BUTTON_CONTENT (gtk_button_get_child (GTK_BUTTON (widget)));
}

static gboolean
label_is (GtkWidget     *widget,
          gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

/* Whether the day's row shows "Overnight". */
static gboolean
shows_overnight (GtkWidget *row)
{
  GtkWidget *label = baton_test_ui_find (row, label_is, _("Overnight"));

  g_assert_nonnull (label);
  return gtk_widget_get_visible (label);
}

static gboolean
is_error_label (GtkWidget     *widget,
                gconstpointer  unused)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "error");
}

static gboolean
error_shown (gpointer editor)
{
  GtkWidget *label = baton_test_ui_find (editor, is_error_label, NULL);

  g_assert_nonnull (label);
  return gtk_widget_get_visible (label);
}

/* The schedule as the server has it, its members written as JSON. */
static char *
stored (const char *id,
        const char *member)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/schedules/%s", id);
  g_autoptr(JsonNode) node = baton_test_expect (server, "GET", path, server->manager_token, NULL,
                                                200, NULL);

  return json_to_string (json_object_get_member (json_node_get_object (node), member), FALSE);
}

static char *
create_schedule (const char *name)
{
  g_autofree char *body = baton_test_strdup_printf_json (
    "{\"name\":%s,\"timezone\":\"Etc/UTC\",\"weekly\":[{\"day\":\"sun\",\"from\":\"10:00\","
    "\"to\":\"12:00\"}]}", name);
  g_autoptr(JsonNode) node = baton_test_expect (server, "POST", "/api/v1/schedules",
                                                server->manager_token, body, 201, NULL);

  return g_strdup (baton_test_get_string (node, "id"));
}

static void
take_screenshots (GtkWidget  *preferences,
                  const char *suffix)
{
  g_autofree char *name = g_strdup_printf ("hours-page%s%s", suffix, locale_suffix);

  baton_test_ui_screenshot (preferences, name);
}

/* Fills the editor as the manager would, and saves: first with a time zone the server
 * refuses. Returns the new schedule's id, from its row. */
static char *
create_in_editor (GtkWidget *page)
{
  const char *weekdays[] = { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday" };
  GtkWidget *editor = NULL;
  GtkWidget *row = NULL;
  GtkWidget *add_button = NULL;
  g_autofree char *summary = g_strdup_printf (
    "Europe/Paris · %s–%s 09:00–18:00 · %s 22:00–02:00", _("Mon"), _("Fri"), _("Sat"));
  g_autofree char *refused = g_strconcat ("hours-editor-refused", locale_suffix, NULL);

  /* the header's button, clicked */
  add_button = baton_test_ui_find (page, is_add_button, NULL);
  g_assert_true (gtk_widget_is_sensitive (add_button));
  g_assert_true (gtk_widget_activate (add_button));
  editor = wait_toplevel (BATON_TYPE_SCHEDULE_EDITOR, "the editor");
  set_entry (editor, _("Name"), "Office");
  set_entry (editor, _("Time Zone, such as Europe/Paris"), "Mars/Olympus");
  for (guint i = 0; i < G_N_ELEMENTS (weekdays); i++)
    set_entry (editor, _(weekdays[i]), "09:00–18:00");
  set_entry (editor, _("Saturday"), "22:00-02:00");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (find_row (editor, _("Saturday"))), ==,
                   _("Runs overnight into the next day"));
  g_assert_null (gtk_widget_get_tooltip_text (find_row (editor, _("Monday"))));
  g_assert_true (shows_overnight (find_row (editor, _("Saturday"))));
  g_assert_false (shows_overnight (find_row (editor, _("Monday"))));
  set_entry (editor, _("Dates such as 2026-12-25, separated by commas"), "2026-12-25");
  g_assert_true (gtk_widget_activate_action (editor, "schedule.save", NULL));
  baton_test_ui_wait_until (error_shown, editor, TIMEOUT_MS, "the refused time zone");
  g_assert_true (gtk_widget_has_css_class (find_row (editor, _("Time Zone, such as Europe/Paris")),
                                           "error"));
  baton_test_ui_assert_named (editor, "schedule editor");
  baton_test_ui_screenshot (editor, refused);

  set_entry (editor, _("Time Zone, such as Europe/Paris"), "Europe/Paris");
  g_assert_true (gtk_widget_activate_action (editor, "schedule.save", NULL));
  baton_test_ui_wait_until (editor_closed, NULL, TIMEOUT_MS, "the editor to close");
  wait_row (page, "Office", TRUE);
  row = find_row (page, "Office");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, summary);
  return g_strdup (gtk_widget_get_name (row));
}

static void
edit_in_editor (GtkWidget  *page,
                const char *id)
{
  GtkWidget *editor = NULL;
  g_autofree char *name = NULL;

  g_assert_true (gtk_widget_activate_action (page, "hours.edit", "s", id));
  editor = wait_toplevel (BATON_TYPE_SCHEDULE_EDITOR, "the editor");
  g_assert_cmpstr (entry_text (editor, _("Monday")), ==, "09:00–18:00");
  g_assert_cmpstr (entry_text (editor, _("Saturday")), ==, "22:00–02:00");
  g_assert_cmpstr (entry_text (editor, _("Sunday")), ==, "");
  set_entry (editor, _("Name"), "Office hours");
  set_entry (editor, _("Friday"), "09:00–17:00");
  g_assert_true (gtk_widget_activate_action (editor, "schedule.save", NULL));
  baton_test_ui_wait_until (editor_closed, NULL, TIMEOUT_MS, "the editor to close");
  wait_row (page, "Office hours", TRUE);
  name = stored (id, "name");
  g_assert_cmpstr (name, ==, "\"Office hours\"");
}

static AdwMessageDialog *
open_delete_dialog (GtkWidget  *page,
                    const char *id)
{
  g_assert_true (gtk_widget_activate_action (page, "hours.delete", "s", id));
  return ADW_MESSAGE_DIALOG (wait_toplevel (ADW_TYPE_MESSAGE_DIALOG, "the delete dialog"));
}

static gboolean
flow_known (gpointer user_data)
{
  gpointer *args = user_data;
  AdwMessageDialog *dialog = open_delete_dialog (args[0], args[1]);
  gboolean known = !adw_message_dialog_has_response (dialog, "delete");

  gtk_window_destroy (GTK_WINDOW (dialog));
  return known;
}

static gboolean
shows_label (gpointer user_data)
{
  gpointer *args = user_data;

  return baton_test_ui_find (args[0], label_is, args[1]) != NULL;
}

/* A flow names the hours while the page hears nothing (the stream stopped): the page asks,
 * the server refuses with 409, and the toast says why; the hours stay. */
static void
delete_refused (BatonClient *client,
                GtkWidget   *preferences,
                GtkWidget   *page)
{
  g_autofree char *evening = create_schedule ("Evening");
  g_autofree char *path = g_strdup_printf ("/api/v1/schedules/%s", evening);
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) flow = NULL;
  g_autoptr(JsonNode) kept = NULL;
  AdwMessageDialog *dialog = NULL;
  gpointer toast[] = { preferences,
                       (gpointer) _("A flow uses these hours: remove them from the flow first.") };

  wait_row (page, "Evening", TRUE);
  baton_client_stop_stream (client);
  body = baton_test_strdup_printf_json (
    "{\"name\":\"Late\",\"trigger\":{\"on\":\"conversation.created\"},"
    "\"steps\":[{\"type\":\"condition\",\"conditions\":[{\"field\":\"time\",\"op\":\"within\","
    "\"value\":%s}],\"then\":[{\"type\":\"close\"}]}]}", evening);
  flow = baton_test_expect (server, "POST", "/api/v1/flows", server->manager_token, body, 201,
                            NULL);
  dialog = open_delete_dialog (page, evening);
  g_assert_true (adw_message_dialog_has_response (dialog, "delete"));
  adw_message_dialog_response (dialog, "delete");
  gtk_window_destroy (GTK_WINDOW (dialog));
  baton_test_ui_wait_until (shows_label, toast, TIMEOUT_MS, "the refusal");
  kept = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  g_assert_nonnull (find_row (page, "Evening"));
}

static void
test_hours (void)
{
  g_autoptr(BatonClient) client = baton_test_ui_sign_in (server->url, BATON_TEST_MANAGER_EMAIL,
                                                         BATON_TEST_PASSWORD);
  BatonPreferencesWindow *preferences = baton_preferences_window_new (settings, client);
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkWidget *page = NULL;
  g_autofree char *id = NULL;
  g_autofree char *weekly = NULL;
  g_autofree char *holidays = NULL;
  g_autofree char *spare = NULL;
  g_autofree char *spare_path = NULL;
  g_autofree char *flow_body = NULL;
  g_autoptr(JsonNode) flow = NULL;
  g_autoptr(JsonNode) gone = NULL;
  g_autofree char *timezone = NULL;
  AdwMessageDialog *dialog = NULL;
  GtkWidget *editor = NULL;
  gpointer args[2] = { NULL, NULL };
  g_autofree char *used_by = g_strdup_printf (
    _("Used by the flow “%s”: remove it from the flow first."), "Closed");

  gtk_window_set_default_size (GTK_WINDOW (preferences), 800, 640);
  gtk_window_present (GTK_WINDOW (preferences));
  page = baton_test_ui_find (GTK_WIDGET (preferences), is_of_type,
                             GSIZE_TO_POINTER (BATON_TYPE_HOURS_PAGE));
  g_assert_nonnull (page);
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (preferences),
                                           ADW_PREFERENCES_PAGE (page));

  id = create_in_editor (page);
  weekly = stored (id, "weekly");
  g_assert_cmpstr (weekly, ==,
                   "[{\"day\":\"mon\",\"from\":\"09:00\",\"to\":\"18:00\"},"
                   "{\"day\":\"tue\",\"from\":\"09:00\",\"to\":\"18:00\"},"
                   "{\"day\":\"wed\",\"from\":\"09:00\",\"to\":\"18:00\"},"
                   "{\"day\":\"thu\",\"from\":\"09:00\",\"to\":\"18:00\"},"
                   "{\"day\":\"fri\",\"from\":\"09:00\",\"to\":\"18:00\"},"
                   "{\"day\":\"sat\",\"from\":\"22:00\",\"to\":\"02:00\"}]");
  holidays = stored (id, "holidays");
  g_assert_cmpstr (holidays, ==, "[\"2026-12-25\"]");
  timezone = stored (id, "timezone");
  g_assert_cmpstr (timezone, ==, "\"Europe/Paris\"");
  baton_test_ui_assert_named (page, "business hours page");
  take_screenshots (GTK_WIDGET (preferences), "");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  take_screenshots (GTK_WIDGET (preferences), "-dark");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);

  edit_in_editor (page, id);

  /* one no flow uses goes, after the question */
  spare = create_schedule ("Spare");
  wait_row (page, "Spare", TRUE);
  dialog = open_delete_dialog (page, spare);
  adw_message_dialog_response (dialog, "delete");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wait_row (page, "Spare", FALSE);
  spare_path = g_strdup_printf ("/api/v1/schedules/%s", spare);
  gone = baton_test_expect (server, "GET", spare_path, server->manager_token, NULL, 404, NULL);

  /* one a flow uses: the dialog says which, and offers no Delete */
  flow_body = baton_test_strdup_printf_json (
    "{\"name\":\"Closed\",\"trigger\":{\"on\":\"conversation.created\"},"
    "\"steps\":[{\"type\":\"condition\",\"conditions\":[{\"field\":\"time\",\"op\":\"outside\","
    "\"value\":%s}],\"then\":[{\"type\":\"close\"}]}]}", id);
  flow = baton_test_expect (server, "POST", "/api/v1/flows", server->manager_token, flow_body,
                            201, NULL);
  args[0] = page;
  args[1] = id;
  baton_test_ui_wait_until (flow_known, args, TIMEOUT_MS, "the page to know the flow");
  /* the editor lists it under Used By */
  g_assert_true (gtk_widget_activate_action (page, "hours.edit", "s", id));
  editor = wait_toplevel (BATON_TYPE_SCHEDULE_EDITOR, "the editor");
  g_assert_nonnull (find_row (editor, "Closed"));
  gtk_window_destroy (GTK_WINDOW (editor));
  dialog = open_delete_dialog (page, id);
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==, used_by);
  baton_test_ui_screenshot (GTK_WIDGET (dialog), "hours-delete-used");
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_clear_pointer (&weekly, g_free);
  weekly = stored (id, "name");
  g_assert_cmpstr (weekly, ==, "\"Office hours\"");
  g_assert_nonnull (find_row (page, "Office hours"));

  delete_refused (client, GTK_WIDGET (preferences), page);

  gtk_window_destroy (GTK_WINDOW (preferences));
  baton_client_stop_stream (client);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    return 77;
  locale_suffix = baton_test_ui_use_translations ();
  adw_init ();
  baton_test_ui_load_stylesheet ();
  settings = baton_settings_new ();
  server = baton_test_server_new (NULL);

  g_test_add_func ("/ui/hours/create-edit-delete", test_hours);

  status = g_test_run ();
  baton_test_server_free (server);
  g_clear_object (&settings);
  return status;
}
