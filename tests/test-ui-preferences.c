/* test-ui-preferences.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-preferences-window.h"
#include "baton-settings.h"
#include "baton-test-server.h"
#include "baton-test-ui.h"

/* The preferences window against a real batond: a manager changes the workspace's settings
 * (saved at once, refused values shown, live from settings.updated), an agent does not see
 * them, and the notification switches write GSettings. */

#define TIMEOUT_MS 10000
#define IANA_MESSAGE "Enter a time zone such as Europe/Paris."

static BatonTestServer *server;
static BatonSettings *settings;

/* A signed-in client with its stream up. */
static BatonClient *
signed_in_client (const char *email)
{
  return baton_test_ui_sign_in (server->url, email, BATON_TEST_PASSWORD);
}

static GtkWidget *
find_by (GtkWidget *widget,
         gboolean (*match) (GtkWidget *, const char *),
         const char *what)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = NULL;

      if (match (child, what))
        return child;
      found = find_by (child, match, what);
      if (found)
        return found;
    }
  return NULL;
}

static gboolean
row_titled (GtkWidget  *widget,
            const char *title)
{
  return ADW_IS_PREFERENCES_ROW (widget)
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static gboolean
page_named (GtkWidget  *widget,
            const char *name)
{
  return ADW_IS_PREFERENCES_PAGE (widget)
         && g_strcmp0 (adw_preferences_page_get_name (ADW_PREFERENCES_PAGE (widget)), name) == 0;
}

static gboolean
image_with_tooltip (GtkWidget  *widget,
                    const char *unused)
{
  return GTK_IS_IMAGE (widget) && gtk_widget_get_visible (widget)
         && gtk_widget_get_tooltip_text (widget) != NULL;
}

static GtkWidget *
find_row (BatonPreferencesWindow *window,
          const char             *title)
{
  GtkWidget *row = find_by (GTK_WIDGET (window), row_titled, title);

  g_assert_nonnull (row);
  return row;
}

static GtkSwitch *
find_switch (BatonPreferencesWindow *window,
             const char             *title)
{
  GtkWidget *row = find_row (window, title);
  GtkWidget *toggle = adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row));

  g_assert_true (GTK_IS_SWITCH (toggle));
  return GTK_SWITCH (toggle);
}

/* Whether the window offers the workspace page (a page out of the window is not in its
 * tree, nor in its view switcher). */
static gboolean
has_workspace_page (gpointer window)
{
  return find_by (GTK_WIDGET (window), page_named, "workspace") != NULL;
}

static gboolean
lacks_workspace_page (gpointer window)
{
  return !has_workspace_page (window);
}

static gboolean
switch_is_on (gpointer user_data)
{
  return gtk_switch_get_active (GTK_SWITCH (user_data));
}

static gboolean
switch_is_off (gpointer user_data)
{
  return !gtk_switch_get_active (GTK_SWITCH (user_data));
}

static gboolean
has_error (gpointer user_data)
{
  return gtk_widget_has_css_class (GTK_WIDGET (user_data), "error");
}

static gboolean
has_no_error (gpointer user_data)
{
  return !has_error (user_data);
}

static JsonNode *
server_settings (void)
{
  return baton_test_expect (server, "GET", "/api/v1/settings", server->manager_token, NULL, 200,
                            NULL);
}

typedef struct {
  const char *member;
  const char *text;
  gboolean value;
} Expected;

static gboolean
server_has (gpointer user_data)
{
  Expected *expected = user_data;
  g_autoptr(JsonNode) settings_node = server_settings ();

  if (expected->text)
    return g_strcmp0 (baton_test_get_string (settings_node, expected->member),
                      expected->text) == 0;
  return baton_test_get_bool (settings_node, expected->member) == expected->value;
}

static void
set_text_and_apply (GtkWidget  *row,
                    const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  g_signal_emit_by_name (row, "apply");
}

static void
test_manager (void)
{
  g_autoptr(BatonClient) client = signed_in_client (BATON_TEST_MANAGER_EMAIL);
  BatonPreferencesWindow *window = baton_preferences_window_new (settings, client);
  GtkSwitch *first_reply = NULL;
  GtkSwitch *unassign = NULL;
  GtkSwitch *first_responder = NULL;
  GtkWidget *timezone = NULL;
  g_autoptr(JsonNode) patched = NULL;
  Expected unassign_off = { "unassign_on_resolve", NULL, FALSE };
  Expected paris = { "timezone", "Europe/Paris", FALSE };
  g_autoptr(JsonNode) after_refusal = NULL;

  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (has_workspace_page (window));
  g_assert_cmpstr (adw_preferences_window_get_visible_page_name (ADW_PREFERENCES_WINDOW (window)),
                   ==, "workspace");
  first_reply = find_switch (window, "First Reply Takes Assignment");
  unassign = find_switch (window, "Unassign When Resolved");
  first_responder = find_switch (window,
                                 "Assign first responder as the contact’s default assignee?");
  timezone = find_row (window, "Time Zone");

  /* The server's values (defaults: on, on, off, Etc/UTC) arrive. */
  baton_test_ui_wait_until (switch_is_on, unassign, TIMEOUT_MS, "the workspace's settings");
  g_assert_true (gtk_switch_get_active (first_reply));
  g_assert_false (gtk_switch_get_active (first_responder));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (timezone)), ==, "Etc/UTC");
  baton_test_ui_screenshot (GTK_WIDGET (window), "preferences");
  baton_test_ui_assert_named (GTK_WIDGET (window), "the preferences");

  /* A switch is saved at once. */
  gtk_switch_set_active (unassign, FALSE);
  baton_test_ui_wait_until (server_has, &unassign_off, TIMEOUT_MS, "PATCH /settings");

  /* Someone else's change shows live. */
  patched = baton_test_expect (server, "PATCH", "/api/v1/settings", server->manager_token,
                               "{\"first_responder_becomes_owner\":true}", 200, NULL);
  baton_test_ui_wait_until (switch_is_on, first_responder, TIMEOUT_MS, "settings.updated");

  /* A time zone the server refuses: its message on the row, the typed text kept. */
  set_text_and_apply (timezone, "Mars/Olympus_Mons");
  baton_test_ui_wait_until (has_error, timezone, TIMEOUT_MS, "the time zone's error");
  g_assert_cmpstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (
                     gtk_widget_get_ancestor (timezone, ADW_TYPE_PREFERENCES_GROUP))), ==,
                   IANA_MESSAGE);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (timezone)), ==, "Mars/Olympus_Mons");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (find_by (timezone, image_with_tooltip, NULL)), ==,
                   IANA_MESSAGE);
  after_refusal = server_settings ();
  g_assert_cmpstr (baton_test_get_string (after_refusal, "timezone"), ==, "Etc/UTC");
  baton_test_ui_screenshot (GTK_WIDGET (window), "preferences-timezone-error");

  /* A valid one is saved and clears the error. */
  set_text_and_apply (timezone, "Europe/Paris");
  baton_test_ui_wait_until (server_has, &paris, TIMEOUT_MS, "the new time zone");
  baton_test_ui_wait_until (has_no_error, timezone, TIMEOUT_MS, "the error to clear");

  /* Dark and narrow, for a look. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 680);
  baton_test_ui_screenshot (GTK_WIDGET (window), "preferences-dark-narrow");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  /* Put the workspace back for the other cases. */
  g_clear_pointer (&patched, json_node_unref);
  patched = baton_test_expect (server, "PATCH", "/api/v1/settings", server->manager_token,
                               "{\"first_responder_becomes_owner\":false,"
                               "\"unassign_on_resolve\":true,\"timezone\":\"Etc/UTC\"}",
                               200, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
  baton_client_stop_stream (client);
}

static void
test_refused (void)
{
  g_autofree char *token = NULL;
  g_autofree char *manager_id = baton_test_create_agent (server, "Max Second", "max@example.com",
                                                         "manager", &token);
  g_autoptr(BatonClient) client = signed_in_client ("max@example.com");
  BatonPreferencesWindow *window = baton_preferences_window_new (settings, client);
  g_autofree char *path = g_strdup_printf ("/api/v1/agents/%s", manager_id);
  g_autoptr(JsonNode) demoted = NULL;
  g_autoptr(JsonNode) unchanged = NULL;
  GtkSwitch *first_reply = NULL;

  gtk_window_present (GTK_WINDOW (window));
  first_reply = find_switch (window, "First Reply Takes Assignment");
  baton_test_ui_wait_until (switch_is_on, first_reply, TIMEOUT_MS, "the workspace's settings");

  /* No longer a manager: the page goes (live), and a change that still gets through is
   * refused and undone. */
  demoted = baton_test_expect (server, "PATCH", path, server->manager_token,
                               "{\"role\":\"agent\"}", 200, NULL);
  baton_test_ui_wait_until (lacks_workspace_page, window, TIMEOUT_MS,
                            "the workspace page to go");
  gtk_switch_set_active (first_reply, FALSE);
  baton_test_ui_wait_until (switch_is_on, first_reply, TIMEOUT_MS, "the switch to revert");
  unchanged = server_settings ();
  g_assert_true (baton_test_get_bool (unchanged, "first_reply_takes_assignment"));
  gtk_window_destroy (GTK_WINDOW (window));
  baton_client_stop_stream (client);
}

static void
test_agent (void)
{
  g_autofree char *token = NULL;
  g_autofree char *agent_id = baton_test_create_agent (server, "Lea Agent", "lea@example.com",
                                                       "agent", &token);
  g_autoptr(BatonClient) client = signed_in_client ("lea@example.com");
  BatonPreferencesWindow *window = baton_preferences_window_new (settings, client);

  gtk_window_present (GTK_WINDOW (window));
  /* No workspace page, and the notifications page is the one shown. */
  g_assert_false (has_workspace_page (window));
  g_assert_cmpstr (adw_preferences_window_get_visible_page_name (ADW_PREFERENCES_WINDOW (window)),
                   ==, "notifications");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (find_row (window, "Name"))), ==,
                   "Lea Agent");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (find_row (window, "Email"))), ==,
                   "lea@example.com");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (find_row (window, "Server"))), ==,
                   server->url);
  baton_test_ui_screenshot (GTK_WIDGET (window), "preferences-agent");
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), "account");
  baton_test_ui_screenshot (GTK_WIDGET (window), "preferences-account");
  gtk_window_destroy (GTK_WINDOW (window));
  baton_client_stop_stream (client);
}

static guint
count_rows (GtkListBox *list)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list)); child;
       child = gtk_widget_get_next_sibling (child))
    n += ADW_IS_ACTION_ROW (child);
  return n;
}

static gboolean
named (GtkWidget  *widget,
       const char *name)
{
  return g_strcmp0 (gtk_widget_get_name (widget), name) == 0;
}

static GtkListBox *
sessions_list (BatonPreferencesWindow *window)
{
  GtkWidget *list = find_by (GTK_WIDGET (window), named, "sessions-list");

  g_assert_true (GTK_IS_LIST_BOX (list));
  return GTK_LIST_BOX (list);
}

static gboolean
has_two_rows (gpointer list)
{
  return count_rows (list) == 2;
}

static gboolean
has_one_row (gpointer list)
{
  return count_rows (list) == 1;
}

static gboolean
label_saying (GtkWidget  *widget,
              const char *text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0;
}

static gboolean
is_button (GtkWidget  *widget,
           const char *unused)
{
  return GTK_IS_BUTTON (widget);
}

static gboolean
stream_closed (gpointer stream)
{
  return ((BatonTestStream *) stream)->closed;
}

/* The message dialog open on top, which the test answers. */
static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window))
        return ADW_MESSAGE_DIALOG (window);
    }
  g_assert_not_reached ();
}

/* The account's sessions, this device marked; revoking another signs it out at once (its
 * stream closes) without asking. */
static void
test_sessions (void)
{
  g_autofree char *other_token = NULL;
  g_autofree char *id = baton_test_create_agent (server, "Sue Sessions", "sue@example.com",
                                                 "agent", &other_token);
  g_autoptr(BatonClient) client = signed_in_client ("sue@example.com");
  BatonPreferencesWindow *window = baton_preferences_window_new (settings, client);
  BatonTestStream *stream = baton_test_stream_open (server, other_token, NULL, NULL);
  GtkWidget *other_row = NULL;
  GtkWidget *this_row = NULL;
  AdwMessageDialog *dialog = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_assert_nonnull (stream);
  gtk_window_present (GTK_WINDOW (window));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), "account");
  baton_test_ui_wait_until (has_two_rows, sessions_list (window), TIMEOUT_MS,
                            "the two sessions");
  this_row = gtk_widget_get_ancestor (find_by (GTK_WIDGET (window), label_saying,
                                               "This device"), ADW_TYPE_ACTION_ROW);
  g_assert_nonnull (this_row);
  g_assert_true (g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (this_row)),
                                   "Baton on "));
  other_row = find_row (window, "baton-test");
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (other_row)),
                                   "127.0.0.1 · last used "));
  g_assert_null (find_by (other_row, label_saying, "This device"));
  baton_test_ui_screenshot (GTK_WIDGET (window), "preferences-sessions");

  /* Revoke the other one: no question, gone from the list, its token and stream dead. */
  g_signal_emit_by_name (find_by (other_row, is_button, NULL), "clicked");
  baton_test_ui_wait_until (has_one_row, sessions_list (window), TIMEOUT_MS,
                            "the revoked session to go");
  baton_test_ui_wait_until (stream_closed, stream, TIMEOUT_MS, "the session's stream to close");
  g_assert_cmpuint (stream->close_code, ==, 4401);
  node = baton_test_expect (server, "GET", "/api/v1/me", other_token, NULL, 401, "unauthorized");
  g_assert_nonnull (find_by (GTK_WIDGET (window), label_saying, "This device"));
  baton_test_ui_screenshot (GTK_WIDGET (window), "preferences-sessions-revoked");

  /* This device's asks first, as it signs out here; cancelled, nothing happens. */
  this_row = gtk_widget_get_ancestor (find_by (GTK_WIDGET (window), label_saying,
                                               "This device"), ADW_TYPE_ACTION_ROW);
  g_signal_emit_by_name (find_by (this_row, is_button, NULL), "clicked");
  dialog = find_message_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Sign Out of This Device?");
  adw_message_dialog_response (dialog, "cancel");
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "GET", "/api/v1/me", baton_client_get_token (client), NULL,
                            200, NULL);
  g_assert_cmpuint (count_rows (sessions_list (window)), ==, 1);

  baton_test_stream_close (stream);
  gtk_window_destroy (GTK_WINDOW (window));
  baton_client_stop_stream (client);
}

static void
test_notifications (void)
{
  BatonPreferencesWindow *window = baton_preferences_window_new (settings, NULL);
  GSettings *gsettings = baton_settings_get_gsettings (settings);
  GtkSwitch *new_message = NULL;
  GtkSwitch *sound = NULL;

  gtk_window_present (GTK_WINDOW (window));
  new_message = find_switch (window, "New Messages");
  sound = find_switch (window, "Sound");
  g_assert_true (gtk_switch_get_active (new_message));
  g_assert_false (gtk_switch_get_active (sound));

  /* Switches write GSettings… */
  gtk_switch_set_active (new_message, FALSE);
  g_assert_false (g_settings_get_boolean (gsettings, "notify-new-message"));
  g_assert_false (baton_settings_get_notify_kind (settings, "new_message"));
  gtk_switch_set_active (find_switch (window, "Reassigned Away"), FALSE);
  g_assert_false (g_settings_get_boolean (gsettings, "notify-reassigned-away"));
  /* …and follow it. */
  g_settings_set_boolean (gsettings, "notification-sound", TRUE);
  baton_test_ui_wait_until (switch_is_on, sound, TIMEOUT_MS, "the sound switch");
  g_settings_set_boolean (gsettings, "notify-new-message", TRUE);
  baton_test_ui_wait_until (switch_is_on, new_message, TIMEOUT_MS, "the new-message switch");

  /* Signed out: no account to show, no sign-out button, no workspace. */
  g_assert_false (has_workspace_page (window));
  baton_test_ui_screenshot (GTK_WIDGET (window), "preferences-notifications");

  g_settings_reset (gsettings, "notification-sound");
  g_settings_reset (gsettings, "notify-reassigned-away");
  baton_test_ui_wait_until (switch_is_off, sound, TIMEOUT_MS, "the reset");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    return 77;
  adw_init ();
  settings = baton_settings_new ();
  server = baton_test_server_new (NULL);

  g_test_add_func ("/ui/preferences/manager", test_manager);
  g_test_add_func ("/ui/preferences/refused", test_refused);
  g_test_add_func ("/ui/preferences/agent", test_agent);
  g_test_add_func ("/ui/preferences/notifications", test_notifications);
  g_test_add_func ("/ui/preferences/sessions", test_sessions);

  status = g_test_run ();
  baton_test_server_free (server);
  g_clear_object (&settings);
  return status;
}
