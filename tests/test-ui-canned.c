/* test-ui-canned.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "baton-canned-editor.h"
#include "baton-canned-page.h"
#include "baton-canned-picker.h"
#include "baton-conversation-view.h"
#include "baton-directory.h"
#include "baton-preferences-window.h"
#include "baton-settings.h"
#include "baton-test-server.h"
#include "baton-test-ui.h"

/* Canned replies in the app against a real batond: "/gr" in the composer lists the matching
 * reply, Enter inserts it with the customer's and the agent's names filled; Escape and the
 * insert-reply action; a reply added in Preferences (after a refused shortcut) is in the
 * picker at once. */

#define TIMEOUT_MS 10000

static BatonTestServer *server;
static char *channel_id;
static char *channel_secret;
static BatonSettings *settings;

static char *
customer_writes (const char *phone,
                 const char *name,
                 const char *body)
{
  g_autofree char *json = baton_test_strdup_printf_json ("{\"from\":%s,\"name\":%s,\"body\":%s}",
                                                         phone, name, body);
  g_autoptr(JsonNode) reply = baton_test_inbound_expect (server, channel_id, channel_secret, json,
                                                         202, NULL);

  return g_strdup (baton_test_get_string (reply, "conversation_id"));
}

static char *
create_reply (const char *token,
              const char *json)
{
  g_autoptr(JsonNode) reply = baton_test_expect (server, "POST", "/api/v1/replies", token, json,
                                                 201, NULL);

  return g_strdup (baton_test_get_string (reply, "id"));
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

static GtkTextBuffer *
composer_buffer (GtkWidget *view)
{
  GtkWidget *composer = find_type (view, g_type_from_name ("BatonComposer"));

  return gtk_text_view_get_buffer (find_type (composer, GTK_TYPE_TEXT_VIEW));
}

static char *
composer_text (GtkWidget *view)
{
  GtkTextBuffer *buffer = composer_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* Types text one character at a time at the cursor, as the agent would. */
static void
type_text (GtkWidget  *view,
           const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    gtk_text_buffer_insert_at_cursor (composer_buffer (view), p, g_utf8_next_char (p) - p);
}

/* A key as the composer's key controller gets it. */
static gboolean
press_key (GtkWidget *view,
           guint      keyval)
{
  GtkWidget *composer = find_type (view, g_type_from_name ("BatonComposer"));
  GtkWidget *text_view = find_type (composer, GTK_TYPE_TEXT_VIEW);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (text_view);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller)
          && gtk_event_controller_get_propagation_phase (controller) == GTK_PHASE_CAPTURE)
        {
          g_signal_emit_by_name (controller, "key-pressed", keyval, 0, 0, &handled);
          return handled;
        }
    }
  g_assert_not_reached ();
  return FALSE;
}

/* The composer's picker: a popover child of the composer. */
static GtkWidget *
picker_of (GtkWidget *view)
{
  GtkWidget *composer = find_type (view, g_type_from_name ("BatonComposer"));

  return find_type (composer, BATON_TYPE_CANNED_PICKER);
}

/* The shortcuts the picker lists, in order: "/greet /grumpy". */
static char *
listed (GtkWidget *view)
{
  GtkWidget *picker = picker_of (view);
  GtkListBox *list = find_type (picker, GTK_TYPE_LIST_BOX);
  GString *shortcuts = g_string_new (NULL);
  GtkListBoxRow *row = NULL;

  if (!gtk_widget_get_visible (picker))
    return g_string_free (shortcuts, FALSE);
  for (int i = 0; (row = gtk_list_box_get_row_at_index (list, i)); i++)
    {
      BatonCannedReply *reply = g_object_get_data (G_OBJECT (row), "baton-canned-reply");

      g_string_append_printf (shortcuts, "%s/%s", shortcuts->len ? " " : "", reply->shortcut);
    }
  return g_string_free (shortcuts, FALSE);
}

static void
assert_listed (GtkWidget  *view,
               const char *expected)
{
  g_autofree char *shortcuts = listed (view);

  g_assert_cmpstr (shortcuts, ==, expected);
}

static void
assert_text (GtkWidget  *view,
             const char *expected)
{
  g_autofree char *text = composer_text (view);

  g_assert_cmpstr (text, ==, expected);
}

typedef struct {
  BatonClient *client;
  const char *id;
} ReplyWait;

static gboolean
label_says (GtkWidget     *widget,
            gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0;
}

/* Runs the conversation view's own shortcut for keyval with modifiers, as a key press would;
 * FALSE when it has none. */
static gboolean
press_shortcut (GtkWidget       *view,
                guint            keyval,
                GdkModifierType  modifiers)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (view);
  g_autoptr(GtkShortcutTrigger) wanted = gtk_keyval_trigger_new (keyval, modifiers);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted))
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, view,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }
  return FALSE;
}

static gboolean
directory_has_reply (gpointer user_data)
{
  ReplyWait *wait = user_data;

  return baton_directory_lookup_reply (baton_client_get_directory (wait->client), wait->id)
         != NULL;
}

static gboolean
is_send_button (GtkWidget     *widget,
                gconstpointer  unused)
{
  return GTK_IS_BUTTON (widget)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)),
                       "conversation.send") == 0;
}

static gboolean
conversation_shown (gpointer user_data)
{
  return baton_conversation_view_get_conversation (user_data) != NULL;
}

/* A conversation view of client in a window, showing conversation_id. */
static GtkWidget *
open_conversation (BatonClient  *client,
                   const char   *conversation_id,
                   GtkWindow   **window)
{
  GtkWidget *view = baton_conversation_view_new ();

  *window = GTK_WINDOW (adw_window_new ());
  gtk_window_set_default_size (*window, 800, 640);
  adw_window_set_content (ADW_WINDOW (*window), view);
  gtk_window_present (*window);
  baton_conversation_view_set_client (BATON_CONVERSATION_VIEW (view), client);
  baton_conversation_view_set_conversation_id (BATON_CONVERSATION_VIEW (view), conversation_id);
  baton_test_ui_wait_until (conversation_shown, view, TIMEOUT_MS, "the conversation");
  return view;
}

static void
test_picker (void)
{
  g_autoptr(BatonClient) client = baton_test_ui_sign_in (server->url, BATON_TEST_MANAGER_EMAIL,
                                                         BATON_TEST_PASSWORD);
  g_autofree char *greet = create_reply (server->manager_token,
                                         "{\"shortcut\":\"greet\",\"title\":\"Greeting\","
                                         "\"body\":\"Hello {{contact.name}}, this is "
                                         "{{agent.name}} from the bike shop.\",\"owner_id\":null}");
  g_autofree char *grumpy = create_reply (server->manager_token,
                                          "{\"shortcut\":\"grumpy\",\"title\":\"Sorry for the "
                                          "wait\",\"body\":\"Sorry for the wait, "
                                          "{{contact.name}}.\"}");
  g_autofree char *thanks = create_reply (server->manager_token,
                                          "{\"shortcut\":\"thanks\",\"title\":\"Thanks\","
                                          "\"body\":\"Thanks {{contact.name}}! {{order.id}}\","
                                          "\"owner_id\":null}");
  g_autofree char *conversation_id = customer_writes ("+33611120001", "Chloé Martin",
                                                      "Is my bike ready?");
  ReplyWait wait = { client, thanks };
  GtkWindow *window = NULL;
  GtkWidget *view = NULL;

  baton_test_ui_wait_until (directory_has_reply, &wait, TIMEOUT_MS, "the replies to load");
  view = open_conversation (client, conversation_id, &window);

  /* "/" lists every reply, "/gr" the two whose shortcut starts so, "/gre" one */
  type_text (view, "/");
  assert_listed (view, "/greet /grumpy /thanks");
  type_text (view, "gr");
  assert_listed (view, "/greet /grumpy");
  /* each previewed as it will be inserted */
  g_assert_nonnull (baton_test_ui_find (picker_of (view), label_says,
                                        "Sorry for the wait, Chloé Martin."));
  baton_test_ui_screenshot_popover (GTK_WIDGET (window), GTK_POPOVER (picker_of (view)),
                                    "canned-picker");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  baton_test_ui_screenshot_popover (GTK_WIDGET (window), GTK_POPOVER (picker_of (view)),
                                    "canned-picker-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  /* it closes when the focus leaves the composer (whether or not the window is active), and
   * opens again with it */
  g_assert_true (gtk_widget_grab_focus (find_type (view, GTK_TYPE_TEXT_VIEW)));
  g_assert_true (gtk_widget_grab_focus (baton_test_ui_find (view, is_send_button, NULL)));
  assert_listed (view, "");
  gtk_widget_grab_focus (find_type (view, GTK_TYPE_TEXT_VIEW));
  type_text (view, "e");
  assert_listed (view, "/greet");
  gtk_text_buffer_set_text (composer_buffer (view), "", -1);
  type_text (view, "/gr");
  assert_listed (view, "/greet /grumpy");
  /* Down and Up move, wrapping; Enter inserts the one chosen, filled */
  g_assert_true (press_key (view, GDK_KEY_Down));
  g_assert_true (press_key (view, GDK_KEY_Down));
  g_assert_true (press_key (view, GDK_KEY_Return));
  assert_listed (view, "");
  assert_text (view, "Hello Chloé Martin, this is Maya Manager from the bike shop.");

  /* after a space; a title matches too; Tab inserts; unknown placeholders stay */
  type_text (view, " /Than");
  assert_listed (view, "/thanks");
  g_assert_true (press_key (view, GDK_KEY_Tab));
  assert_text (view, "Hello Chloé Martin, this is Maya Manager from the bike shop. "
                     "Thanks Chloé Martin! {{order.id}}");

  /* not inside a word; nothing listed when nothing matches, and Enter is the composer's */
  gtk_text_buffer_set_text (composer_buffer (view), "", -1);
  type_text (view, "and/or /zz");
  assert_listed (view, "");
  gtk_text_buffer_set_text (composer_buffer (view), "", -1);

  /* Escape closes it for this "/", and leaves the text */
  type_text (view, "/gr");
  g_assert_true (press_key (view, GDK_KEY_Escape));
  assert_listed (view, "");
  type_text (view, "e");
  assert_listed (view, "");
  assert_text (view, "/gre");

  /* the action (the button) types the "/"; Escape takes it back */
  gtk_text_buffer_set_text (composer_buffer (view), "Hi", -1);
  g_assert_true (gtk_widget_activate_action (find_type (view, g_type_from_name ("BatonComposer")),
                                             "composer.insert-reply", NULL));
  assert_text (view, "Hi /");
  assert_listed (view, "/greet /grumpy /thanks");
  g_assert_true (press_key (view, GDK_KEY_Escape));
  assert_text (view, "Hi ");
  assert_listed (view, "");
  /* Ctrl+Shift+R anywhere in the conversation does the same */
  g_assert_true (press_shortcut (view, GDK_KEY_r, GDK_CONTROL_MASK | GDK_SHIFT_MASK));
  assert_text (view, "Hi /");
  assert_listed (view, "/greet /grumpy /thanks");

  baton_client_stop_stream (client);
  gtk_window_destroy (window);
}

static gboolean
is_editor (GtkWidget     *widget,
           gconstpointer  unused)
{
  return BATON_IS_CANNED_EDITOR (widget);
}

/* The open canned reply editor, or NULL. */
static GtkWidget *
find_editor (void)
{
  return baton_test_ui_find_window (is_editor, NULL);
}

static gboolean
editor_open (gpointer unused)
{
  return find_editor () != NULL;
}

static gboolean
editor_closed (gpointer unused)
{
  return find_editor () == NULL;
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

static gboolean
has_row (gpointer user_data)
{
  gpointer *args = user_data;

  return baton_test_ui_find_row (args[0], args[1]) != NULL;
}

static void
test_preferences (void)
{
  g_autofree char *email = g_strdup_printf ("canned-agent-%d@example.com", g_random_int ());
  g_autofree char *agent_id = baton_test_create_agent (server, "Lou Agent", email, "agent", NULL);
  g_autoptr(BatonClient) client = baton_test_ui_sign_in (server->url, email, BATON_TEST_PASSWORD);
  g_autofree char *shared = create_reply (server->manager_token,
                                          "{\"shortcut\":\"hours\",\"title\":\"Opening hours\","
                                          "\"body\":\"We open at 9.\",\"owner_id\":null}");
  g_autofree char *conversation_id = customer_writes ("+33611120002", "Noé Petit", "Hello?");
  BatonPreferencesWindow *preferences = baton_preferences_window_new (settings, client);
  ReplyWait wait = { client, shared };
  GtkWidget *page = NULL;
  GtkWidget *editor = NULL;
  GtkWidget *row = NULL;
  GtkWindow *window = NULL;
  GtkWidget *view = NULL;
  gpointer new_row[] = { NULL, (gpointer) "Gratitude" };

  gtk_window_present (GTK_WINDOW (preferences));
  baton_test_ui_wait_until (directory_has_reply, &wait, TIMEOUT_MS, "the replies to load");
  page = find_type (GTK_WIDGET (preferences), BATON_TYPE_CANNED_PAGE);
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (preferences),
                                           ADW_PREFERENCES_PAGE (page));
  /* an agent reads the workspace's replies, and writes none */
  row = baton_test_ui_find_row (page, "Opening hours");
  g_assert_nonnull (row);
  g_assert_null (baton_test_ui_find (row, is_of_type, GSIZE_TO_POINTER (GTK_TYPE_BUTTON)));

  /* a shortcut the workspace has: refused, in words the agent reads */
  g_assert_true (gtk_widget_activate_action (page, "replies.add", "b", FALSE));
  baton_test_ui_wait_until (editor_open, NULL, TIMEOUT_MS, "the editor");
  editor = find_editor ();
  baton_test_ui_set_row_text (editor, "Shortcut, typed after /", "/hours");
  baton_test_ui_set_row_text (editor, "Title", "Gratitude");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (find_type (editor, GTK_TYPE_TEXT_VIEW)),
                            "Thank you {{contact.name}}, {{agent.name}}", -1);
  g_assert_true (gtk_widget_activate_action (editor, "editor.save", NULL));
  baton_test_ui_wait_until (error_shown, editor, TIMEOUT_MS, "the refusal");
  baton_test_ui_screenshot (editor, "canned-editor-conflict");

  baton_test_ui_set_row_text (editor, "Shortcut, typed after /", "gratitude");
  g_assert_false (error_shown (editor));
  g_assert_true (gtk_widget_activate_action (editor, "editor.save", NULL));
  baton_test_ui_wait_until (editor_closed, NULL, TIMEOUT_MS, "the editor to close");
  new_row[0] = page;
  baton_test_ui_wait_until (has_row, new_row, TIMEOUT_MS, "the new reply in the list");
  baton_test_ui_screenshot (GTK_WIDGET (preferences), "canned-preferences");
  gtk_window_destroy (GTK_WINDOW (preferences));

  /* at once in the composer's picker */
  view = open_conversation (client, conversation_id, &window);
  type_text (view, "/gra");
  assert_listed (view, "/gratitude");
  /* clicked, this time */
  g_assert_true (gtk_widget_activate (GTK_WIDGET (gtk_list_box_get_row_at_index (
                                        find_type (picker_of (view), GTK_TYPE_LIST_BOX), 0))));
  assert_text (view, "Thank you Noé Petit, Lou Agent");

  baton_client_stop_stream (client);
  gtk_window_destroy (window);
}

/* A manager writes the workspace's replies: edit one, the list follows. */
static void
test_manager_edits (void)
{
  g_autoptr(BatonClient) client = baton_test_ui_sign_in (server->url, BATON_TEST_MANAGER_EMAIL,
                                                         BATON_TEST_PASSWORD);
  g_autofree char *id = create_reply (server->manager_token,
                                      "{\"shortcut\":\"returns\",\"title\":\"Returns\","
                                      "\"body\":\"Returns within 30 days.\",\"owner_id\":null}");
  BatonPreferencesWindow *preferences = baton_preferences_window_new (settings, client);
  ReplyWait wait = { client, id };
  gpointer renamed[] = { NULL, (gpointer) "Returns policy" };
  GtkWidget *page = NULL;
  GtkWidget *row = NULL;
  GtkWidget *editor = NULL;
  GtkWidget *shortcut = NULL;
  g_autoptr(JsonNode) stored = NULL;
  g_autofree char *path = g_strdup_printf ("/api/v1/replies/%s", id);

  gtk_window_present (GTK_WINDOW (preferences));
  baton_test_ui_wait_until (directory_has_reply, &wait, TIMEOUT_MS, "the replies to load");
  page = find_type (GTK_WIDGET (preferences), BATON_TYPE_CANNED_PAGE);
  row = baton_test_ui_find_row (page, "Returns");
  g_assert_nonnull (row);
  g_assert_nonnull (baton_test_ui_find (row, is_of_type, GSIZE_TO_POINTER (GTK_TYPE_BUTTON)));

  g_assert_true (gtk_widget_activate_action (page, "replies.edit", "s", id));
  baton_test_ui_wait_until (editor_open, NULL, TIMEOUT_MS, "the editor");
  editor = find_editor ();
  shortcut = baton_test_ui_find_row (editor, "Shortcut, typed after /");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (shortcut)), ==, "returns");
  baton_test_ui_set_row_text (editor, "Title", "Returns policy");
  g_assert_true (gtk_widget_activate_action (editor, "editor.save", NULL));
  baton_test_ui_wait_until (editor_closed, NULL, TIMEOUT_MS, "the editor to close");
  renamed[0] = page;
  baton_test_ui_wait_until (has_row, renamed, TIMEOUT_MS, "the renamed reply");
  stored = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (stored, "title"), ==, "Returns policy");
  g_assert_cmpstr (baton_test_get_string (stored, "body"), ==, "Returns within 30 days.");

  gtk_window_destroy (GTK_WINDOW (preferences));
  baton_client_stop_stream (client);
}

static gboolean
is_add_button (GtkWidget     *widget,
               gconstpointer  label)
{
  GtkWidget *child = GTK_IS_BUTTON (widget) ? gtk_button_get_child (GTK_BUTTON (widget)) : NULL;

  return ADW_IS_BUTTON_CONTENT (child)
         && g_strcmp0 (adw_button_content_get_label (ADW_BUTTON_CONTENT (child)), label) == 0;
}

static gboolean
workspace_shown (gpointer window)
{
  return baton_test_ui_find_row (window, "Time Zone") != NULL;
}

/* An agent made a manager while the window is open: the pages come and go around the
 * replies' page, and its buttons keep working. */
static void
test_promoted (void)
{
  g_autofree char *email = g_strdup_printf ("canned-promoted-%d@example.com", g_random_int ());
  g_autofree char *agent_id = baton_test_create_agent (server, "Pia Promoted", email, "agent",
                                                       NULL);
  g_autofree char *path = g_strdup_printf ("/api/v1/agents/%s", agent_id);
  g_autoptr(BatonClient) client = baton_test_ui_sign_in (server->url, email, BATON_TEST_PASSWORD);
  BatonPreferencesWindow *preferences = baton_preferences_window_new (settings, client);
  g_autoptr(JsonNode) promoted = NULL;
  GtkWidget *page = NULL;
  GtkWidget *add = NULL;

  gtk_window_present (GTK_WINDOW (preferences));
  g_assert_false (workspace_shown (preferences));
  promoted = baton_test_expect (server, "PATCH", path, server->manager_token,
                                "{\"role\":\"manager\"}", 200, NULL);
  baton_test_ui_wait_until (workspace_shown, preferences, TIMEOUT_MS, "the workspace pages");
  page = find_type (GTK_WIDGET (preferences), BATON_TYPE_CANNED_PAGE);
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (preferences),
                                           ADW_PREFERENCES_PAGE (page));
  add = baton_test_ui_find (page, is_add_button, "_Add Reply");
  g_assert_nonnull (add);
  g_assert_true (gtk_widget_is_sensitive (add));
  g_signal_emit_by_name (add, "clicked");
  baton_test_ui_wait_until (editor_open, NULL, TIMEOUT_MS, "the editor");
  gtk_window_destroy (GTK_WINDOW (find_editor ()));
  add = baton_test_ui_find (page, is_add_button, "Add _Workspace Reply");
  g_assert_true (gtk_widget_is_sensitive (add));
  g_signal_emit_by_name (add, "clicked");
  baton_test_ui_wait_until (editor_open, NULL, TIMEOUT_MS, "the workspace reply's editor");
  gtk_window_destroy (GTK_WINDOW (find_editor ()));
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
  adw_init ();
  baton_test_ui_load_stylesheet ();
  settings = baton_settings_new ();
  server = baton_test_server_new (NULL);
  channel_id = baton_test_create_channel (server, NULL, &channel_secret);

  g_test_add_func ("/ui/canned/picker", test_picker);
  g_test_add_func ("/ui/canned/preferences", test_preferences);
  g_test_add_func ("/ui/canned/manager-edits", test_manager_edits);
  g_test_add_func ("/ui/canned/promoted", test_promoted);

  status = g_test_run ();
  baton_test_server_free (server);
  g_clear_object (&settings);
  g_free (channel_id);
  g_free (channel_secret);
  return status;
}
