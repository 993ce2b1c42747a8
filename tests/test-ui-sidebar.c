/* test-ui-sidebar.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <stdlib.h>

#include "baton-assignment-sidebar.h"
#include "baton-directory.h"
#include "baton-test-helpers.h"
#include "baton-test-server.h"
#include "baton-test-ui.h"

/* The assignment sidebar against a real batond: it shows who holds a conversation, assigns
 * from its picker, claims, offers nothing an agent may not do, survives a lost claim race,
 * and edits the contact's owners and tags; every change read back from the server. */

static BatonTestServer *server;
static char *channel_id;
static char *channel_secret;
static BatonClient *manager;
static char *manager_name;
static guint phone_counter;

/* Clients and widgets */

/* A signed-in client with its event stream up. */
static BatonClient *
signed_in_client (const char *email)
{
  return baton_test_ui_sign_in (server->url, email, BATON_TEST_PASSWORD);
}

/* A new agent (role "agent") and their signed-in client. */
static BatonClient *
new_agent (const char  *name,
           char       **id)
{
  g_autofree char *email = g_strdup_printf ("%s@example.com", name);

  for (char *c = email; *c; c++)
    *c = *c == ' ' ? '.' : g_ascii_tolower (*c);
  *id = baton_test_create_agent (server, name, email, "agent", NULL);
  return signed_in_client (email);
}

/* A customer writes from a number no other test uses: a fresh, unassigned conversation. */
static char *
new_conversation (void)
{
  g_autofree char *phone = g_strdup_printf ("+3361234%04u", ++phone_counter);

  return baton_test_inbound (server, channel_id, channel_secret, phone, "Hello, is my bike ready?");
}

static JsonNode *
get_conversation (const char *conversation_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s", conversation_id);

  return baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
}

static JsonNode *
get_contact (const char *contact_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/contacts/%s", contact_id);

  return baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
}

static void
assign_on_server (const char *conversation_id,
                  const char *body)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/assignment",
                                           conversation_id);
  g_autoptr(JsonNode) node = baton_test_expect (server, "PUT", path, server->manager_token,
                                                body, 200, NULL);
}

static BatonAssignmentSidebar *
show_sidebar (BatonClient *client,
              const char  *conversation_id,
              GtkWindow  **window)
{
  GtkWidget *sidebar = baton_assignment_sidebar_new ();

  *window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (*window, 360, 760);
  gtk_window_set_child (*window, sidebar);
  gtk_window_present (*window);
  baton_assignment_sidebar_set_client (BATON_ASSIGNMENT_SIDEBAR (sidebar), client);
  baton_assignment_sidebar_set_conversation_id (BATON_ASSIGNMENT_SIDEBAR (sidebar),
                                                conversation_id);
  return BATON_ASSIGNMENT_SIDEBAR (sidebar);
}

/* Finding what is on screen */

typedef gboolean (*WidgetMatch) (GtkWidget  *widget,
                                 const char *a,
                                 const char *b);

static void
collect (GtkWidget   *widget,
         WidgetMatch  match,
         const char  *a,
         const char  *b,
         GPtrArray   *found)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (match (widget, a, b))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    collect (child, match, a, b, found);
}

static GtkWidget *
find_one (GtkWidget   *root,
          WidgetMatch  match,
          const char  *a,
          const char  *b)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect (root, match, a, b, found);
  return found->len > 0 ? g_ptr_array_index (found, 0) : NULL;
}

static guint
count (GtkWidget   *root,
       WidgetMatch  match,
       const char  *a,
       const char  *b)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect (root, match, a, b, found);
  return found->len;
}

/* a: the action name, b: its string target or NULL for any. */
static gboolean
is_actionable (GtkWidget  *widget,
               const char *action,
               const char *target)
{
  GVariant *value = NULL;

  if (!GTK_IS_ACTIONABLE (widget)
      || g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) != 0)
    return FALSE;
  if (target == NULL)
    return TRUE;
  value = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (widget));
  return value && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING)
         && g_strcmp0 (g_variant_get_string (value, NULL), target) == 0;
}

/* a: the text, b: non-NULL to match a part of the text */
static gboolean
is_label (GtkWidget  *widget,
          const char *text,
          const char *part)
{
  const char *label = GTK_IS_LABEL (widget) ? gtk_label_get_text (GTK_LABEL (widget)) : NULL;

  if (label == NULL)
    return FALSE;
  return part ? strstr (label, text) != NULL : g_strcmp0 (label, text) == 0;
}

/* a: a contact field's name, b: its value (an editable row of the contact tab) */
static gboolean
is_field_row (GtkWidget  *widget,
              const char *key,
              const char *value)
{
  return ADW_IS_ENTRY_ROW (widget)
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), key) == 0
         && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (widget)), value) == 0;
}

/* a: the agent's name, b: the row's subtitle */
static gboolean
is_agent_row (GtkWidget  *widget,
              const char *name,
              const char *subtitle)
{
  return ADW_IS_ACTION_ROW (widget)
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), name) == 0
         && g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)), subtitle) == 0;
}

static gboolean
is_type (GtkWidget  *widget,
         const char *type_name,
         const char *unused)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, g_type_from_name (type_name));
}

typedef struct {
  GtkWidget *root;
  WidgetMatch match;
  const char *a;
  const char *b;
  guint n;
} Expect;

static gboolean
shows (gpointer user_data)
{
  Expect *expect = user_data;

  return count (expect->root, expect->match, expect->a, expect->b) == expect->n;
}

static void
wait_shows (gpointer     root,
            WidgetMatch  match,
            const char  *a,
            const char  *b,
            guint        n)
{
  Expect expect = { GTK_WIDGET (root), match, a, b, n };
  g_autofree char *what = g_strdup_printf ("%u shown widgets matching %s %s", n, a,
                                           b ? b : "");

  baton_test_ui_wait_until (shows, &expect, 10000, what);
}

/* A click, at once (gtk_widget_activate would wait for the button's press animation). */
static void
click (GtkWidget *button)
{
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
popped_up (gpointer user_data)
{
  GtkMenuButton *button = user_data;
  GtkWidget *popover = GTK_WIDGET (gtk_menu_button_get_popover (button));

  if (gtk_widget_get_mapped (popover))
    return TRUE;
  if (gtk_widget_get_mapped (GTK_WIDGET (button)))
    gtk_menu_button_popup (button);
  return FALSE;
}

/* Opens the sidebar's one visible "+" menu and returns its popover. */
static GtkWidget *
open_menu (BatonAssignmentSidebar *sidebar)
{
  GtkWidget *button = find_one (GTK_WIDGET (sidebar), is_type, "GtkMenuButton", NULL);
  GtkWidget *popover = NULL;

  g_assert_nonnull (button);
  popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button)));
  /* A popup asked for before the button is mapped (a page still sliding in) does nothing:
   * ask again until it shows. */
  baton_test_ui_wait_until (popped_up, button, 10000, "the popover");
  return popover;
}

static void
show_page (BatonAssignmentSidebar *sidebar,
           const char             *name)
{
  GtkWidget *stack = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect (GTK_WIDGET (sidebar), is_type, "AdwViewStack", NULL, found);
  g_assert_cmpuint (found->len, ==, 1);
  stack = g_ptr_array_index (found, 0);
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), name);
}

/* The activity lines of a conversation (GET messages, newest first). */
static JsonArray *
activity_lines (const char *conversation_id,
                JsonNode  **page)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/messages",
                                           conversation_id);
  JsonArray *items = NULL;
  JsonArray *activities = json_array_new ();

  *page = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  items = json_object_get_array_member (json_node_get_object (*page), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *message = json_array_get_object_element (items, i);

      if (g_strcmp0 (json_object_get_string_member (message, "kind"), "activity") == 0)
        json_array_add_object_element (activities, json_object_ref (message));
    }
  return activities;
}

static gboolean
is_animating (GtkWidget  *widget,
              const char *unused_a,
              const char *unused_b)
{
  if (GTK_IS_STACK (widget))
    return gtk_stack_get_transition_running (GTK_STACK (widget));
  if (ADW_IS_SQUEEZER (widget))
    return adw_squeezer_get_transition_running (ADW_SQUEEZER (widget));
  return FALSE;
}

typedef struct {
  GtkWidget *root;
  guint quiet_frames;
} Settle;

static gboolean
settle_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  Settle *settle = user_data;

  if (count (settle->root, is_animating, NULL, NULL) > 0)
    settle->quiet_frames = 0;
  else
    settle->quiet_frames++;
  return G_SOURCE_CONTINUE;
}

static gboolean
settled (gpointer user_data)
{
  return ((Settle *) user_data)->quiet_frames >= 10;
}

/* Screenshots of what the agent sees once page and title transitions have ended (a transition
 * may start a frame or two after a change, so wait for ten quiet frames in a row). */
static void
screenshot (GtkWidget  *widget,
            const char *name)
{
  Settle settle = { widget, 0 };
  guint tick = gtk_widget_add_tick_callback (widget, settle_tick_cb, &settle, NULL);

  baton_test_ui_wait_until (settled, &settle, 10000, "transitions to end");
  gtk_widget_remove_tick_callback (widget, tick);
  baton_test_ui_screenshot (widget, name);
}

/* Tests */

static void
test_assign_from_picker (void)
{
  g_autofree char *ana_id = NULL;
  g_autoptr(BatonClient) ana = new_agent ("Ana Lima", &ana_id);
  g_autofree char *conversation_id = new_conversation ();
  GtkWindow *window = NULL;
  BatonAssignmentSidebar *sidebar = show_sidebar (manager, conversation_id, &window);
  g_autoptr(JsonNode) conversation = NULL;
  g_autoptr(JsonNode) page = NULL;
  g_autoptr(JsonArray) activities = NULL;
  JsonObject *line = NULL;
  g_autofree char *expected = NULL;
  GtkWidget *popover = NULL;
  GtkWidget *row = NULL;

  wait_shows (sidebar, is_label, "Unassigned", NULL, 1);
  screenshot (GTK_WIDGET (window), "sidebar-unassigned");
  /* A manager may do everything, but there is nobody to remove yet. */
  g_assert_cmpuint (count (GTK_WIDGET (sidebar), is_actionable, "sidebar.claim", NULL), ==, 1);
  g_assert_cmpuint (count (GTK_WIDGET (sidebar), is_actionable, "sidebar.unassign", NULL), ==, 0);

  /* The picker lists Ana, online (her stream is up), with her load. */
  popover = open_menu (sidebar);
  wait_shows (popover, is_actionable, "sidebar.assign", ana_id, 1);
  row = find_one (popover, is_actionable, "sidebar.assign", ana_id);
  g_assert_true (ADW_IS_ACTION_ROW (row));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Ana Lima");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "Online · 0 active");
  gtk_widget_activate (row);

  /* The sidebar shows her, with a remove button for the manager. */
  wait_shows (sidebar, is_actionable, "sidebar.remove-assignee", ana_id, 1);
  wait_shows (sidebar, is_label, "Ana Lima", NULL, 1);
  g_assert_cmpuint (count (GTK_WIDGET (sidebar), is_label, "Unassigned", NULL), ==, 0);
  g_assert_false (gtk_widget_get_mapped (popover));

  /* The server has it, and the thread says so. */
  conversation = get_conversation (conversation_id);
  g_assert_cmpstr (baton_test_get_string (conversation, "assignee_ids.0"), ==, ana_id);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (
                     json_node_get_object (conversation), "assignee_ids")), ==, 1);
  activities = activity_lines (conversation_id, &page);
  g_assert_cmpuint (json_array_get_length (activities), ==, 1);
  line = json_array_get_object_element (activities, 0);
  expected = g_strdup_printf ("Assigned to Ana Lima by %s", manager_name);
  g_assert_cmpstr (json_object_get_string_member (line, "body"), ==, expected);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (line, "activity"),
                                                  "via"), ==, "manual");

  /* Unassign from the sidebar: back to "Unassigned" on both sides. */
  click (find_one (GTK_WIDGET (sidebar), is_actionable, "sidebar.unassign", NULL));
  wait_shows (sidebar, is_label, "Unassigned", NULL, 1);
  g_clear_pointer (&conversation, json_node_unref);
  conversation = get_conversation (conversation_id);
  g_assert_null (baton_test_get_string (conversation, "assignee_ids.0"));

  baton_client_stop_stream (ana);
  gtk_window_destroy (window);
}

static void
test_assign_to_me (void)
{
  g_autofree char *ben_id = NULL;
  g_autoptr(BatonClient) ben = new_agent ("Ben Ode", &ben_id);
  g_autofree char *conversation_id = new_conversation ();
  GtkWindow *window = NULL;
  BatonAssignmentSidebar *sidebar = show_sidebar (ben, conversation_id, &window);
  g_autoptr(JsonNode) conversation = NULL;
  g_autoptr(JsonNode) page = NULL;
  g_autoptr(JsonArray) activities = NULL;
  JsonObject *line = NULL;
  GtkWidget *claim = NULL;

  wait_shows (sidebar, is_label, "Unassigned", NULL, 1);
  claim = find_one (GTK_WIDGET (sidebar), is_actionable, "sidebar.claim", NULL);
  click (claim);

  /* Ben holds it now: he sees himself, may remove himself, and no longer "Assign to me". */
  wait_shows (sidebar, is_actionable, "sidebar.remove-assignee", ben_id, 1);
  g_assert_cmpuint (count (GTK_WIDGET (sidebar), is_actionable, "sidebar.claim", NULL), ==, 0);
  g_assert_cmpuint (count (GTK_WIDGET (sidebar), is_actionable, "sidebar.unassign", NULL), ==, 1);

  conversation = get_conversation (conversation_id);
  g_assert_cmpstr (baton_test_get_string (conversation, "assignee_ids.0"), ==, ben_id);
  activities = activity_lines (conversation_id, &page);
  g_assert_cmpuint (json_array_get_length (activities), ==, 1);
  line = json_array_get_object_element (activities, 0);
  g_assert_cmpstr (json_object_get_string_member (line, "body"), ==,
                   "Ben Ode self-assigned this conversation");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (line, "activity"),
                                                  "via"), ==, "claim");

  baton_client_stop_stream (ben);
  gtk_window_destroy (window);
}

/* The question "Assign to Me" asks when others hold the conversation, or NULL. */
static AdwMessageDialog *
find_question (void)
{
  return (AdwMessageDialog *) baton_test_ui_find_window_of_type (ADW_TYPE_MESSAGE_DIALOG);
}

static gboolean
question_shown (gpointer user_data)
{
  return find_question () != NULL;
}

static gboolean
question_gone (gpointer user_data)
{
  return find_question () == NULL;
}

/* Answers the question as a click on one of its buttons does. */
static void
answer_question (const char *response)
{
  AdwMessageDialog *question = NULL;

  baton_test_ui_wait_until (question_shown, NULL, 10000, "the question");
  question = find_question ();
  g_assert_true (adw_message_dialog_has_response (question, response));
  adw_message_dialog_response (question, response);
  gtk_window_close (GTK_WINDOW (question));
  baton_test_ui_wait_until (question_gone, NULL, 10000, "the question to close");
}

static gboolean
holds_count (gpointer user_data)
{
  const char **expected = user_data;
  g_autoptr(JsonNode) conversation = get_conversation (expected[0]);
  JsonArray *ids = json_object_get_array_member (json_node_get_object (conversation),
                                                 "assignee_ids");

  return json_array_get_length (ids) == (guint) atoi (expected[1]);
}

/* Others hold it: "Assign to Me" asks whether to add oneself beside them or take it alone,
 * and the activity line says who was replaced. */
static void
test_take_over (void)
{
  g_autofree char *ben_id = NULL;
  g_autoptr(BatonClient) ben = new_agent ("Ben Over", &ben_id);
  g_autofree char *conversation_id = new_conversation ();
  g_autofree char *to_ben = g_strdup_printf ("{\"assignee_ids\":[\"%s\"]}", ben_id);
  const char *two[] = { conversation_id, "2" };
  const char *one[] = { conversation_id, "1" };
  g_autofree char *replaced = g_strdup_printf ("%s self-assigned this conversation, replacing "
                                               "Ben Over", manager_name);
  GtkWindow *window = NULL;
  BatonAssignmentSidebar *sidebar = NULL;
  AdwMessageDialog *question = NULL;
  g_autoptr(JsonNode) conversation = NULL;
  g_autoptr(JsonNode) line = NULL;

  assign_on_server (conversation_id, to_ben);
  sidebar = show_sidebar (manager, conversation_id, &window);
  wait_shows (sidebar, is_label, "Ben Over", NULL, 1);

  /* Nothing changes before the answer. */
  click (find_one (GTK_WIDGET (sidebar), is_actionable, "sidebar.claim", NULL));
  baton_test_ui_wait_until (question_shown, NULL, 10000, "the question");
  question = find_question ();
  g_assert_true (adw_message_dialog_has_response (question, "add"));
  g_assert_true (adw_message_dialog_has_response (question, "replace"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (question), ==, "add");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (question), "Ben Over"));
  screenshot (GTK_WIDGET (question), "sidebar-take-over-question");
  conversation = get_conversation (conversation_id);
  g_assert_cmpstr (baton_test_get_string (conversation, "assignee_ids.0"), ==, ben_id);
  g_assert_null (baton_test_get_string (conversation, "assignee_ids.1"));

  /* Beside him. */
  answer_question ("add");
  baton_test_ui_wait_until (holds_count, two, 10000, "two assignees");
  wait_shows (sidebar, is_label, manager_name, NULL, 1);

  /* Alone: sharing it, only "Only Me" is offered; Ben goes, and the thread says so. */
  click (find_one (GTK_WIDGET (sidebar), is_actionable, "sidebar.claim", NULL));
  baton_test_ui_wait_until (question_shown, NULL, 10000, "the second question");
  question = find_question ();
  g_assert_false (adw_message_dialog_has_response (question, "add"));
  answer_question ("replace");
  baton_test_ui_wait_until (holds_count, one, 10000, "one assignee");
  g_clear_pointer (&conversation, json_node_unref);
  conversation = get_conversation (conversation_id);
  g_assert_cmpstr (baton_test_get_string (conversation, "assignee_ids.0"), ==,
                   server->manager_id);
  line = baton_test_latest_activity (server, conversation_id);
  g_assert_cmpstr (baton_test_get_string (line, "body"), ==, replaced);

  baton_client_stop_stream (ben);
  gtk_window_destroy (window);
}

static void
test_load_follows (void)
{
  g_autofree char *kim_id = NULL;
  g_autoptr(BatonClient) kim = new_agent ("Kim Sato", &kim_id);
  g_autofree char *conversation_id = new_conversation ();
  GtkWindow *window = NULL;
  BatonAssignmentSidebar *sidebar = show_sidebar (kim, conversation_id, &window);
  GtkWidget *popover = NULL;

  wait_shows (sidebar, is_label, "Unassigned", NULL, 1);
  popover = open_menu (sidebar);
  wait_shows (popover, is_agent_row, "Kim Sato", "Online · 0 active", 1);
  gtk_popover_popdown (GTK_POPOVER (popover));

  /* Kim takes it: her row says at once that she has one more. */
  click (find_one (GTK_WIDGET (sidebar), is_actionable, "sidebar.claim", NULL));
  wait_shows (sidebar, is_actionable, "sidebar.remove-assignee", kim_id, 1);
  wait_shows (sidebar, is_agent_row, "Kim Sato", "Online · 1 active", 1);
  screenshot (GTK_WIDGET (window), "sidebar-load-follows");

  baton_client_stop_stream (kim);
  gtk_window_destroy (window);
}

static void
test_others_hold_it (void)
{
  g_autofree char *cleo_id = NULL;
  g_autofree char *dan_id = NULL;
  g_autoptr(BatonClient) cleo = new_agent ("Cleo Marsh", &cleo_id);
  g_autoptr(BatonClient) dan = new_agent ("Dan Ruiz", &dan_id);
  g_autofree char *conversation_id = new_conversation ();
  g_autofree char *to_dan = g_strdup_printf ("{\"assignee_ids\":[\"%s\"]}", dan_id);
  g_autofree char *to_cleo = g_strdup_printf ("{\"assignee_ids\":[\"%s\"]}", cleo_id);
  g_autofree char *dan_path = g_strdup_printf ("/api/v1/agents/%s", dan_id);
  g_autoptr(JsonNode) away = NULL;
  GtkWindow *window = NULL;
  BatonAssignmentSidebar *sidebar = NULL;
  GtkWidget *root = NULL;

  assign_on_server (conversation_id, to_dan);
  sidebar = show_sidebar (cleo, conversation_id, &window);
  root = GTK_WIDGET (sidebar);

  /* Cleo sees Dan holds it, and is offered nothing that would change that. */
  wait_shows (sidebar, is_label, "Dan Ruiz", NULL, 1);
  g_assert_cmpuint (count (root, is_actionable, "sidebar.remove-assignee", NULL), ==, 0);
  g_assert_cmpuint (count (root, is_actionable, "sidebar.unassign", NULL), ==, 0);
  g_assert_cmpuint (count (root, is_actionable, "sidebar.claim", NULL), ==, 0);
  g_assert_cmpuint (count (root, is_type, "GtkMenuButton", NULL), ==, 0);
  g_assert_cmpuint (count (root, is_actionable, "window.back", NULL), ==, 0);

  /* Live presence: Dan steps away; his row says so (agent.updated). */
  away = baton_test_expect (server, "PATCH", dan_path, server->manager_token,
                            "{\"availability\":\"away\"}", 200, NULL);
  wait_shows (sidebar, is_label, "Away · 1 active", NULL, 1);

  /* Live: the manager hands it to Cleo; her sidebar follows without a reload. */
  assign_on_server (conversation_id, to_cleo);
  wait_shows (sidebar, is_actionable, "sidebar.remove-assignee", cleo_id, 1);
  g_assert_cmpuint (count (root, is_label, "Dan Ruiz", NULL), ==, 0);
  g_assert_cmpuint (count (root, is_actionable, "sidebar.unassign", NULL), ==, 1);
  g_assert_cmpuint (count (root, is_type, "GtkMenuButton", NULL), ==, 1);

  baton_client_stop_stream (cleo);
  baton_client_stop_stream (dan);
  gtk_window_destroy (window);
}

static gboolean
directory_loaded (gpointer client)
{
  return baton_directory_get_loaded (baton_client_get_directory (client));
}

static void
test_claim_race (void)
{
  g_autofree char *eve_id = NULL;
  g_autoptr(BatonClient) eve = new_agent ("Eve Stone", &eve_id);
  g_autofree char *conversation_id = new_conversation ();
  g_autofree char *claim_path = g_strdup_printf ("/api/v1/conversations/%s/claim",
                                                 conversation_id);
  GtkWindow *window = NULL;
  BatonAssignmentSidebar *sidebar = show_sidebar (eve, conversation_id, &window);
  g_autofree char *toast = g_strdup_printf ("%s already took it", manager_name);
  g_autoptr(JsonNode) claimed = NULL;
  g_autoptr(JsonNode) conversation = NULL;
  GtkWidget *claim = NULL;

  wait_shows (sidebar, is_label, "Unassigned", NULL, 1);
  claim = find_one (GTK_WIDGET (sidebar), is_actionable, "sidebar.claim", NULL);
  g_assert_nonnull (claim);

  /* The manager is faster; Eve's sidebar has not heard of it (her stream is down). Her app
   * knows everyone's names from signing in. */
  baton_test_ui_wait_until (directory_loaded, eve, 10000, "the directory");
  baton_client_stop_stream (eve);
  claimed = baton_test_expect (server, "POST", claim_path, server->manager_token, NULL, 200,
                               NULL);
  click (claim);

  /* The server's 409 reaches Eve as a toast, and the sidebar shows who has it. */
  wait_shows (sidebar, is_label, toast, NULL, 1);
  wait_shows (sidebar, is_label, manager_name, NULL, 1);
  g_assert_cmpuint (count (GTK_WIDGET (sidebar), is_label, "Unassigned", NULL), ==, 0);
  g_assert_cmpuint (count (GTK_WIDGET (sidebar), is_actionable, "sidebar.claim", NULL), ==, 0);
  g_assert_cmpuint (count (GTK_WIDGET (sidebar), is_actionable, "sidebar.remove-assignee", NULL),
                    ==, 0);

  conversation = get_conversation (conversation_id);
  g_assert_cmpstr (baton_test_get_string (conversation, "assignee_ids.0"), ==, server->manager_id);
  g_assert_null (baton_test_get_string (conversation, "assignee_ids.1"));

  gtk_window_destroy (window);
}

/* The contact has nothing at member ("owner_ids.0", "tags.0") on the server. */
typedef struct {
  const char *contact_id;
  const char *member;
} Lacks;

static gboolean
contact_lacks (gpointer user_data)
{
  const Lacks *lacks = user_data;
  g_autoptr(JsonNode) contact = get_contact (lacks->contact_id);

  return baton_test_get_string (contact, lacks->member) == NULL;
}

static void
test_contact_owners (void)
{
  g_autofree char *finn_id = NULL;
  g_autoptr(BatonClient) finn = new_agent ("Finn Berg", &finn_id);
  g_autofree char *conversation_id = new_conversation ();
  g_autoptr(JsonNode) conversation = get_conversation (conversation_id);
  const char *contact_id = baton_test_get_string (conversation, "contact.id");
  g_autofree char *contact_path = g_strdup_printf ("/api/v1/contacts/%s", contact_id);
  GtkWindow *window = NULL;
  BatonAssignmentSidebar *sidebar = show_sidebar (finn, conversation_id, &window);
  g_autoptr(JsonNode) contact = NULL;
  g_autoptr(JsonNode) patched = NULL;
  GtkWidget *popover = NULL;
  GtkWidget *row = NULL;
  GtkWidget *entry = NULL;
  Lacks owners_gone = { contact_id, "owner_ids.0" };
  Lacks tags_gone = { contact_id, "tags.0" };

  wait_shows (sidebar, is_label, "Unassigned", NULL, 1);
  show_page (sidebar, "contact");
  wait_shows (sidebar, is_label, "No owners", NULL, 1);

  /* Any agent may make themselves the contact's owner. */
  popover = open_menu (sidebar);
  wait_shows (popover, is_actionable, "contact.add-owner", finn_id, 1);
  row = find_one (popover, is_actionable, "contact.add-owner", finn_id);
  gtk_widget_activate (row);
  wait_shows (sidebar, is_actionable, "contact.remove-owner", finn_id, 1);
  contact = get_contact (contact_id);
  g_assert_cmpstr (baton_test_get_string (contact, "owner_ids.0"), ==, finn_id);
  g_assert_null (baton_test_get_string (contact, "owner_ids.1"));

  /* And remove them again. */
  click (find_one (GTK_WIDGET (sidebar), is_actionable, "contact.remove-owner", finn_id));
  /* An event older than the answer may show "No owners" first: the server decides. */
  baton_test_ui_wait_until (contact_lacks, &owners_gone, 10000, "no owner");
  wait_shows (sidebar, is_label, "No owners", NULL, 1);

  /* Tags: added lower-case as the server stores them, shown as a chip, removed by it. */
  entry = find_one (GTK_WIDGET (sidebar), is_type, "GtkEntry", NULL);
  gtk_editable_set_text (GTK_EDITABLE (entry), "VIP");
  g_signal_emit_by_name (entry, "activate");
  wait_shows (sidebar, is_actionable, "contact.remove-tag", "vip", 1);
  g_clear_pointer (&contact, json_node_unref);
  contact = get_contact (contact_id);
  g_assert_cmpstr (baton_test_get_string (contact, "tags.0"), ==, "vip");
  click (find_one (GTK_WIDGET (sidebar), is_actionable, "contact.remove-tag", "vip"));
  baton_test_ui_wait_until (contact_lacks, &tags_gone, 10000, "no tag");
  wait_shows (sidebar, is_label, "No tags", NULL, 1);

  /* A refused tag is explained on the tag field. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "not a tag!");
  g_signal_emit_by_name (entry, "activate");
  wait_shows (sidebar, is_label, "A tag has 1 to 64 characters", "part", 1);
  g_assert_true (gtk_widget_has_css_class (entry, "error"));
  g_clear_pointer (&contact, json_node_unref);
  contact = get_contact (contact_id);
  g_assert_null (baton_test_get_string (contact, "tags.0"));

  /* Live: someone else fills in a field. */
  patched = baton_test_expect (server, "PATCH", contact_path, server->manager_token,
                               "{\"fields\":{\"city\":\"Lyon\"}}", 200, NULL);
  wait_shows (sidebar, is_field_row, "city", "Lyon", 1);

  baton_client_stop_stream (finn);
  gtk_window_destroy (window);
}

typedef struct {
  GtkDropDown *dropdown;
  const char *name;
} TeamChoice;

/* Selects the team once the picker lists it. */
static gboolean
team_chosen (gpointer user_data)
{
  TeamChoice *choice = user_data;
  GListModel *names = gtk_drop_down_get_model (choice->dropdown);

  for (guint i = 0; i < g_list_model_get_n_items (names); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (names), i), choice->name) == 0)
      {
        gtk_drop_down_set_selected (choice->dropdown, i);
        return TRUE;
      }
  return FALSE;
}

static void
test_hand_to_nobody (void)
{
  g_autoptr(JsonNode) team = baton_test_expect (server, "POST", "/api/v1/teams",
                                                server->manager_token,
                                                "{\"name\":\"Support\",\"strategy\":"
                                                "\"least_busy\",\"member_ids\":[]}", 201, NULL);
  g_autofree char *conversation_id = new_conversation ();
  GtkWindow *window = NULL;
  BatonAssignmentSidebar *sidebar = show_sidebar (manager, conversation_id, &window);
  g_autoptr(JsonNode) conversation = NULL;
  TeamChoice choice = { NULL, "Support" };
  GtkWidget *popover = NULL;

  wait_shows (sidebar, is_label, "Unassigned", NULL, 1);
  popover = open_menu (sidebar);
  choice.dropdown = GTK_DROP_DOWN (find_one (popover, is_type, "GtkDropDown", NULL));
  baton_test_ui_wait_until (team_chosen, &choice, 10000, "the team Support");
  wait_shows (popover, is_label, "Hand to Support", NULL, 1);
  click (find_one (popover, is_actionable, "sidebar.assign-team",
                   baton_test_get_string (team, "id")));

  /* Nobody in Support may take it: it waits in the team's queue, and the agent is told. */
  wait_shows (sidebar, is_label, "Queued for Support: nobody is available", NULL, 1);
  wait_shows (sidebar, is_label, "Support", NULL, 1);
  screenshot (GTK_WIDGET (window), "sidebar-queued");
  conversation = get_conversation (conversation_id);
  g_assert_cmpstr (baton_test_get_string (conversation, "team_id"), ==,
                   baton_test_get_string (team, "id"));
  g_assert_null (baton_test_get_string (conversation, "assignee_ids.0"));

  gtk_window_destroy (window);
}

static int
least_width (BatonAssignmentSidebar *sidebar)
{
  int minimum = 0;

  gtk_widget_measure (GTK_WIDGET (sidebar), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL,
                      NULL, NULL);
  return minimum;
}

static gboolean
tabs_in_header (BatonAssignmentSidebar *sidebar)
{
  GtkWidget *title = find_one (GTK_WIDGET (sidebar), is_type, "AdwViewSwitcherTitle", NULL);

  g_assert_nonnull (title);
  return !adw_view_switcher_title_get_title_visible (ADW_VIEW_SWITCHER_TITLE (title));
}

static void
test_tabs_stay (void)
{
  g_autofree char *jo_id = NULL;
  g_autoptr(BatonClient) jo = new_agent ("Jo Park", &jo_id);
  g_autofree char *conversation_id = new_conversation ();
  g_autofree char *to_jo = g_strdup_printf ("{\"assignee_ids\":[\"%s\"]}", jo_id);
  GtkWindow *window = NULL;
  BatonAssignmentSidebar *sidebar = NULL;
  gboolean in_header;
  int width;

  /* Held by Jo: the manager is offered "Assign to Me" and "Unassign". */
  assign_on_server (conversation_id, to_jo);
  sidebar = show_sidebar (manager, conversation_id, &window);
  wait_shows (sidebar, is_label, "Jo Park", NULL, 1);
  wait_shows (sidebar, is_actionable, "sidebar.claim", NULL, 1);
  screenshot (GTK_WIDGET (window), "sidebar-tabs-claim");
  width = least_width (sidebar);
  in_header = tabs_in_header (sidebar);

  /* Once the manager holds it alone "Assign to Me" goes. The window gives the sidebar its
   * least width: that width, and so where the tabs are, must not change. */
  click (find_one (GTK_WIDGET (sidebar), is_actionable, "sidebar.claim", NULL));
  answer_question ("replace");
  wait_shows (sidebar, is_actionable, "sidebar.remove-assignee", server->manager_id, 1);
  wait_shows (sidebar, is_actionable, "sidebar.claim", NULL, 0);
  screenshot (GTK_WIDGET (window), "sidebar-tabs-claimed");
  g_assert_cmpint (least_width (sidebar), ==, width);
  g_assert_cmpint (tabs_in_header (sidebar), ==, in_header);

  baton_client_stop_stream (jo);
  gtk_window_destroy (window);
}

static void
take_screenshots (BatonAssignmentSidebar *sidebar,
                  GtkWindow              *window,
                  const char             *scheme)
{
  g_autofree char *main_name = g_strdup_printf ("sidebar-%s", scheme);
  g_autofree char *picker_name = g_strdup_printf ("sidebar-picker-%s", scheme);
  g_autofree char *contact_name = g_strdup_printf ("sidebar-contact-%s", scheme);
  GtkWidget *popover = NULL;

  show_page (sidebar, "assignment");
  screenshot (GTK_WIDGET (window), main_name);
  popover = open_menu (sidebar);
  /* It opens on the conversation's team: Sales' members not yet assigned. */
  wait_shows (popover, is_actionable, "sidebar.assign", NULL, 1);
  screenshot (popover, picker_name);
  gtk_popover_popdown (GTK_POPOVER (popover));
  show_page (sidebar, "contact");
  screenshot (GTK_WIDGET (window), contact_name);
}

static void
test_screenshots (void)
{
  g_autofree char *gia_id = NULL;
  g_autofree char *hugo_id = NULL;
  g_autofree char *ivy_id = NULL;
  g_autoptr(BatonClient) gia = new_agent ("Gia Romano", &gia_id);
  g_autoptr(BatonClient) hugo = new_agent ("Hugo Lefèvre", &hugo_id);
  g_autoptr(BatonClient) ivy = new_agent ("Ivy Chen", &ivy_id);
  g_autofree char *conversation_id = new_conversation ();
  g_autoptr(JsonNode) conversation = get_conversation (conversation_id);
  const char *contact_id = baton_test_get_string (conversation, "contact.id");
  g_autofree char *team_body = g_strdup_printf ("{\"name\":\"Sales\",\"strategy\":\"least_busy\","
                                                "\"member_ids\":[\"%s\",\"%s\",\"%s\"]}",
                                                gia_id, hugo_id, ivy_id);
  g_autoptr(JsonNode) team = baton_test_expect (server, "POST", "/api/v1/teams",
                                                server->manager_token, team_body, 201, NULL);
  g_autofree char *assignment = g_strdup_printf ("{\"team_id\":\"%s\",\"assignee_ids\":[\"%s\",\"%s\"]}",
                                                 baton_test_get_string (team, "id"), gia_id,
                                                 hugo_id);
  g_autofree char *contact_path = g_strdup_printf ("/api/v1/contacts/%s", contact_id);
  g_autofree char *owners_path = g_strdup_printf ("/api/v1/contacts/%s/owners", contact_id);
  g_autofree char *owners = g_strdup_printf ("{\"owner_ids\":[\"%s\"]}", gia_id);
  g_autoptr(JsonNode) patched = NULL;
  g_autoptr(JsonNode) owned = NULL;
  g_autoptr(JsonNode) renamed = NULL;
  g_autofree char *team_path = g_strdup_printf ("/api/v1/teams/%s",
                                                baton_test_get_string (team, "id"));
  GtkWindow *window = NULL;
  BatonAssignmentSidebar *sidebar = NULL;
  AdwStyleManager *style = adw_style_manager_get_default ();

  assign_on_server (conversation_id, assignment);
  patched = baton_test_expect (server, "PATCH", contact_path, server->manager_token,
                               "{\"name\":\"Chloé Lambert\",\"tags\":[\"vip\",\"wholesale\",\"lyon\"],"
                               "\"fields\":{\"city\":\"Lyon\",\"plan\":\"Pro annual\","
                               "\"order\":\"#10482\"}}", 200, NULL);
  owned = baton_test_expect (server, "PUT", owners_path, server->manager_token, owners, 200, NULL);
  baton_client_stop_stream (ivy);

  sidebar = show_sidebar (manager, conversation_id, &window);
  wait_shows (sidebar, is_actionable, "sidebar.remove-assignee", hugo_id, 1);
  wait_shows (sidebar, is_label, "Sales", NULL, 1);

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  take_screenshots (sidebar, window, "light");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  take_screenshots (sidebar, window, "dark");

  /* Folded into the window's narrow layout (800 px): a back button leads to the
   * conversation, the content stays at a readable width. */
  gtk_window_set_default_size (window, 800, 600);
  baton_assignment_sidebar_set_folded (sidebar, TRUE);
  show_page (sidebar, "assignment");
  wait_shows (sidebar, is_actionable, "window.back", NULL, 1);
  screenshot (GTK_WIDGET (window), "sidebar-folded-dark");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);

  /* Live team names (team.updated). */
  renamed = baton_test_expect (server, "PATCH", team_path, server->manager_token,
                               "{\"name\":\"Sales Europe\"}", 200, NULL);
  wait_shows (sidebar, is_label, "Sales Europe", NULL, 1);

  baton_client_stop_stream (gia);
  baton_client_stop_stream (hugo);
  gtk_window_destroy (window);
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
  server = baton_test_server_new (NULL);
  channel_id = baton_test_create_channel (server, NULL, &channel_secret);
  manager = signed_in_client (BATON_TEST_MANAGER_EMAIL);
  manager_name = g_strdup (baton_client_get_me (manager)->name);

  g_test_add_func ("/ui/sidebar/assign-from-picker", test_assign_from_picker);
  g_test_add_func ("/ui/sidebar/assign-to-me", test_assign_to_me);
  g_test_add_func ("/ui/sidebar/take-over", test_take_over);
  g_test_add_func ("/ui/sidebar/load-follows", test_load_follows);
  g_test_add_func ("/ui/sidebar/others-hold-it", test_others_hold_it);
  g_test_add_func ("/ui/sidebar/claim-race", test_claim_race);
  g_test_add_func ("/ui/sidebar/contact-owners", test_contact_owners);
  g_test_add_func ("/ui/sidebar/hand-to-nobody", test_hand_to_nobody);
  g_test_add_func ("/ui/sidebar/tabs-stay", test_tabs_stay);
  g_test_add_func ("/ui/sidebar/screenshots", test_screenshots);

  status = g_test_run ();
  baton_client_stop_stream (manager);
  g_clear_object (&manager);
  g_free (manager_name);
  baton_test_server_free (server);
  g_free (channel_id);
  g_free (channel_secret);
  return status;
}
