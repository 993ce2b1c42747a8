/* test-ui-agents.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "baton-agents-page.h"
#include "baton-directory.h"
#include "baton-preferences-window.h"
#include "baton-settings.h"
#include "baton-test-helpers.h"
#include "baton-test-ui.h"
#include "baton-uninstalled.h"

/* The managers' Agents page against a real batond: invite an agent (the password shown once
 * signs them in), change their role, reset their password (the old one stops working),
 * remove them (the dialog says what becomes of their conversations); an agent has no such
 * page. Run in English and again in French (test-ui-agents-fr): the strings it looks for are
 * the app's, translated. */

#define TIMEOUT_MS 10000

static BatonTestServer *server;
static BatonSettings *settings;

/* A screenshot named for the language it shows ("agents", "agents-fr"). */
static void
screenshot (GtkWidget  *widget,
            const char *name)
{
  const char *language = g_getenv ("LANGUAGE");
  g_autofree char *named = language && *language ? g_strdup_printf ("%s-%.2s", name, language)
                                                 : g_strdup (name);

  baton_test_ui_screenshot (widget, named);
}

static gboolean
is_of_type (GtkWidget     *widget,
            gconstpointer  type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

static gpointer
find_type (GtkWidget *root,
           GType      type)
{
  GtkWidget *found = baton_test_ui_find (root, is_of_type, GSIZE_TO_POINTER (type));

  g_assert_nonnull (found);
  return found;
}

static gboolean
has_name (GtkWidget     *widget,
          gconstpointer  name)
{
  return g_strcmp0 (gtk_widget_get_name (widget), name) == 0;
}

/* The header's Invite button: the page's only button with a label and an icon. */
static gboolean
invites (GtkWidget     *widget,
         gconstpointer  data)
{
  return GTK_IS_BUTTON (widget)
         && ADW_IS_BUTTON_CONTENT (gtk_button_get_child (GTK_BUTTON (widget)));
}

static gboolean
has_action (GtkWidget     *widget,
            gconstpointer  action_name)
{
  return GTK_IS_BUTTON (widget)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)),
                       action_name) == 0;
}

/* Clicks a button, which must be sensitive, as the manager would. */
static void
click (GtkWidget *button)
{
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

/* The open dialog of that name (NULL: none). */
static gboolean
is_dialog_named (GtkWidget     *window,
                 gconstpointer  name)
{
  return ADW_IS_MESSAGE_DIALOG (window) && has_name (window, name);
}

static GtkWidget *
find_dialog (const char *name)
{
  return baton_test_ui_find_window (is_dialog_named, name);
}

static gboolean
dialog_open (gpointer name)
{
  return find_dialog (name) != NULL;
}

static GtkWidget *
wait_dialog (const char *name)
{
  baton_test_ui_wait_until (dialog_open, (gpointer) name, TIMEOUT_MS, name);
  return find_dialog (name);
}

/* Answers the dialog as its button would, and makes sure it is gone. */
static void
respond (GtkWidget  *dialog,
         const char *response)
{
  GtkWidget *weak = dialog;

  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &weak);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), response);
  if (weak)
    {
      g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &weak);
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
}

/* The password a dialog shows once; the dialog is closed. */
static char *
take_password (const char *shot)
{
  GtkWidget *dialog = wait_dialog ("password-dialog");
  GtkWidget *label = baton_test_ui_find (dialog, has_name, "password");
  char *password = NULL;

  g_assert_nonnull (label);
  baton_test_ui_assert_named (dialog, "the password dialog");
  if (shot)
    screenshot (dialog, shot);
  password = g_strdup (gtk_label_get_text (GTK_LABEL (label)));
  g_assert_cmpuint (strlen (password), >=, 12);
  respond (dialog, "close");
  return password;
}

typedef struct {
  GtkWidget *page;
  const char *agent_id;
  const char *subtitle_part;
} RowWait;

static GtkWidget *
agent_row (RowWait *wait)
{
  return baton_test_ui_find (wait->page, has_name, wait->agent_id);
}

static gboolean
row_shows (gpointer user_data)
{
  RowWait *wait = user_data;
  GtkWidget *row = agent_row (wait);

  return row && (wait->subtitle_part == NULL
                 || strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                            wait->subtitle_part));
}

static gboolean
row_gone (gpointer user_data)
{
  return agent_row (user_data) == NULL;
}

typedef struct {
  const char *agent_id;
  const char *role;
} RoleWait;

static gboolean
server_has_role (gpointer user_data)
{
  RoleWait *wait = user_data;
  g_autoptr(JsonNode) agent = baton_test_get_agent (server, wait->agent_id);

  return g_strcmp0 (baton_test_get_string (agent, "role"), wait->role) == 0;
}

/* The role a row's drop-down shows, 0 for agent and 1 for manager (-1: no such row). */
static int
shown_role (RowWait *wait)
{
  GtkWidget *row = agent_row (wait);

  return row ? (int) gtk_drop_down_get_selected (find_type (row, GTK_TYPE_DROP_DOWN)) : -1;
}

static gboolean
shows_manager (gpointer user_data)
{
  return shown_role (user_data) == 1;
}

/* Fills the invitation and sends it. */
static void
send_invitation (GtkWidget  *page,
                 const char *name,
                 const char *email,
                 const char *shot)
{
  GtkWidget *dialog = NULL;

  click (baton_test_ui_find (page, invites, NULL));
  dialog = wait_dialog ("invite");
  gtk_editable_set_text (GTK_EDITABLE (baton_test_ui_find_row (dialog, _("Name"))), name);
  gtk_editable_set_text (GTK_EDITABLE (baton_test_ui_find_row (dialog, _("Email"))),
                         email);
  baton_test_ui_assert_named (dialog, "the invitation");
  if (shot)
    screenshot (dialog, shot);
  respond (dialog, "invite");
}

static char *
invite (GtkWidget  *page,
        const char *name,
        const char *email)
{
  send_invitation (page, name, email, "agents-invite");
  return take_password ("agents-password");
}

/* An email another agent has: the form comes back as typed, saying why. */
static void
invite_taken (GtkWidget  *page,
              const char *email)
{
  GtkWidget *dialog = NULL;

  send_invitation (page, "Nina Twice", email, NULL);
  dialog = wait_dialog ("invite");
  g_assert_cmpstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), ==,
                   _("Another agent already has this email address."));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (baton_test_ui_find_row (dialog,
                                                                                _("Name")))),
                   ==, "Nina Twice");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (baton_test_ui_find_row (dialog,
                                                                                _("Email")))),
                   ==, email);
  screenshot (dialog, "agents-invite-taken");
  respond (dialog, "cancel");
}

/* Signs in with the password, as the new agent would; returns their id. */
static char *
sign_in_id (const char *email,
            const char *password)
{
  g_autoptr(BatonClient) client = baton_test_ui_sign_in (server->url, email, password);
  char *id = g_strdup (baton_client_get_me (client)->id);

  baton_client_stop_stream (client);
  return id;
}

static void
test_invite_role_reset_remove (void)
{
  g_autoptr(BatonClient) client = baton_test_ui_sign_in (server->url, BATON_TEST_MANAGER_EMAIL,
                                                         BATON_TEST_PASSWORD);
  BatonPreferencesWindow *window = baton_preferences_window_new (settings, client);
  GtkWidget *page = find_type (GTK_WIDGET (window), BATON_TYPE_AGENTS_PAGE);
  const char *email = "nina.new@example.com";
  g_autofree char *password = NULL;
  g_autofree char *second = NULL;
  g_autofree char *id = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *channel_id = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *conversation_id = NULL;
  RowWait listed = { page, NULL, NULL };
  g_autofree char *one_active = g_strdup_printf (ngettext ("%d active", "%d active", 1), 1);
  g_autofree char *one_unassigned = g_strdup_printf (ngettext ("Their %d active conversation is "
                                                               "unassigned and goes back to "
                                                               "its team's queue.",
                                                               "Their %d active conversations "
                                                               "are unassigned and go back to "
                                                               "their teams' queues.", 1), 1);
  RowWait busy = { page, NULL, one_active };
  RowWait me = { page, server->manager_id, NULL };
  RoleWait manager = { NULL, "manager" };
  GtkWidget *dialog = NULL;

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 720);
  gtk_window_present (GTK_WINDOW (window));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), "agents");

  /* Invite: the password shown once signs the agent in, and they are listed. */
  password = invite (page, "Nina New", email);
  id = sign_in_id (email, password);
  listed.agent_id = busy.agent_id = id;
  baton_test_ui_wait_until (row_shows, &listed, TIMEOUT_MS, "the invited agent's row");
  invite_taken (page, email);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (agent_row (&listed))),
                            email));

  /* Their load shows live. */
  conversation_id = baton_test_customer_writes (server, channel_id, secret, "+15550001212",
                                                "Carla", "Hello");
  baton_test_assign_to (server, conversation_id, id);
  baton_test_ui_wait_until (row_shows, &busy, TIMEOUT_MS, "the agent's load");
  screenshot (GTK_WIDGET (window), "agents");
  baton_test_ui_assert_named (GTK_WIDGET (window), "the agents page");

  /* The last manager stays one: the server refuses, and the row shows the role again. */
  gtk_drop_down_set_selected (find_type (agent_row (&me), GTK_TYPE_DROP_DOWN), 0);
  g_assert_cmpint (shown_role (&me), ==, 0);
  baton_test_ui_wait_until (shows_manager, &me, TIMEOUT_MS, "the refused role to come back");
  manager.agent_id = server->manager_id;
  g_assert_true (server_has_role (&manager));

  /* Their role, changed on the row, is saved. */
  gtk_drop_down_set_selected (find_type (agent_row (&listed), GTK_TYPE_DROP_DOWN), 1);
  manager.agent_id = id;
  baton_test_ui_wait_until (server_has_role, &manager, TIMEOUT_MS, "the new role");

  /* A reset gives another password that works; the old one no longer does. */
  click (baton_test_ui_find (agent_row (&listed), has_action, "agents.reset-password"));
  dialog = wait_dialog ("reset");
  baton_test_ui_assert_named (dialog, "the reset dialog");
  respond (dialog, "reset");
  second = take_password (NULL);
  g_assert_cmpstr (second, !=, password);
  g_assert_cmpuint (baton_test_login_status (server, email, password, NULL, NULL, NULL), ==, 401);
  g_free (sign_in_id (email, second));

  /* Removing says what becomes of their conversation, then the row goes. */
  click (baton_test_ui_find (agent_row (&listed), has_action, "agents.remove"));
  dialog = wait_dialog ("remove");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            one_unassigned));
  baton_test_ui_assert_named (dialog, "the remove dialog");
  screenshot (dialog, "agents-remove");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  screenshot (dialog, "agents-remove-dark");
  screenshot (GTK_WIDGET (window), "agents-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 640);
  screenshot (GTK_WIDGET (window), "agents-800");
  respond (dialog, "remove");
  baton_test_ui_wait_until (row_gone, &listed, TIMEOUT_MS, "the removed agent's row to go");
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/agents/%s", id);
    g_autoptr(JsonNode) gone = baton_test_expect (server, "GET", path, server->manager_token,
                                                  NULL, 404, "not_found");
  }
  gtk_window_destroy (GTK_WINDOW (window));
  baton_client_stop_stream (client);
}

/* An agent has no Agents page. */
static void
test_agent (void)
{
  g_autofree char *agent_id = baton_test_create_agent (server, "Ada Agent", "ada@example.com",
                                                       "agent", NULL);
  g_autoptr(BatonClient) client = baton_test_ui_sign_in (server->url, "ada@example.com",
                                                         BATON_TEST_PASSWORD);
  BatonPreferencesWindow *window = baton_preferences_window_new (settings, client);

  gtk_window_present (GTK_WINDOW (window));
  g_assert_null (baton_test_ui_find (GTK_WIDGET (window), is_of_type,
                                     GSIZE_TO_POINTER (BATON_TYPE_AGENTS_PAGE)));
  gtk_window_destroy (GTK_WINDOW (window));
  baton_client_stop_stream (client);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* As the app's main() does: its translations, from the build tree. */
  baton_init_i18n ();
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    return 77;
  adw_init ();
  baton_test_ui_load_stylesheet ();
  settings = baton_settings_new ();
  server = baton_test_server_new (NULL);

  g_test_add_func ("/ui/agents/invite-role-reset-remove", test_invite_role_reset_remove);
  g_test_add_func ("/ui/agents/agent", test_agent);

  status = g_test_run ();
  baton_test_server_free (server);
  g_clear_object (&settings);
  return status;
}
