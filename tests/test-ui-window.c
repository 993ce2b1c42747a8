/* test-ui-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-application.h"
#include "baton-assignment-sidebar.h"
#include "baton-composer.h"
#include "baton-conversation-view.h"
#include "baton-inbox.h"
#include "baton-login-page.h"
#include "baton-inbox-item.h"
#include "baton-inbox-row.h"
#include "baton-test-helpers.h"
#include "baton-test-server.h"
#include "baton-test-ui.h"
#include "baton-toast.h"
#include "baton-window.h"

/* The main window against a real batond: the inbox loads, filters change the list, and a
 * customer writing in shows up live. */

static BatonTestServer *server;
static char *channel_id;
static char *channel_secret;

static BatonClient *
signed_in_client (const char *email)
{
  return baton_test_ui_log_in (server->url, email, BATON_TEST_PASSWORD);
}

typedef struct {
  GListModel *model;
  guint n;
  const char *name;
} Count;

static gboolean
has_items (gpointer user_data)
{
  Count *count = user_data;

  if (g_list_model_get_n_items (count->model) != count->n)
    return FALSE;
  if (count->name == NULL)
    return TRUE;
  for (guint i = 0; i < count->n; i++)
    {
      g_autoptr(BatonInboxItem) item = g_list_model_get_item (count->model, i);

      if (g_strcmp0 (baton_inbox_item_get_conversation (item)->contact_name, count->name) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
customer_writes (const char *phone,
                 const char *name,
                 const char *body)
{
  g_autofree char *url = g_strdup_printf ("/api/v1/channels/%s/inbound", channel_id);
  g_autofree char *json = baton_test_strdup_printf_json ("{\"from\":%s,\"name\":%s,\"body\":%s}",
                                                         phone, name, body);
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(GBytes) response = NULL;
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", g_strconcat (server->url, url, NULL));

  soup_message_headers_replace (soup_message_get_request_headers (msg),
                                "X-Baton-Channel-Secret", channel_secret);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  response = soup_session_send_and_read (server->session, msg, NULL, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 202);
}

static gboolean
is_mapped (gpointer user_data)
{
  return gtk_widget_get_mapped (user_data);
}

static gboolean
has_messages (gpointer user_data)
{
  GListModel *messages = baton_conversation_view_get_messages (user_data);

  return messages && g_list_model_get_n_items (messages) > 0;
}

/* The inbox's scope filter: the drop-down offering Mine, Unassigned and All. */
static GtkDropDown *
find_scope_dropdown (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkDropDown *found = NULL;

      if (GTK_IS_DROP_DOWN (child)
          && g_list_model_get_n_items (gtk_drop_down_get_model (GTK_DROP_DOWN (child))) == 3)
        return GTK_DROP_DOWN (child);
      found = find_scope_dropdown (child);
      if (found)
        return found;
    }
  return NULL;
}

/* A drop-down whose first entry is first_item. */
static GtkDropDown *
find_dropdown_starting (GtkWidget  *widget,
                        const char *first_item)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkDropDown *found = NULL;

      if (GTK_IS_DROP_DOWN (child) && gtk_drop_down_get_model (GTK_DROP_DOWN (child))
          && GTK_IS_STRING_LIST (gtk_drop_down_get_model (GTK_DROP_DOWN (child)))
          && g_strcmp0 (gtk_string_list_get_string (
                          GTK_STRING_LIST (gtk_drop_down_get_model (GTK_DROP_DOWN (child))), 0),
                        first_item) == 0)
        return GTK_DROP_DOWN (child);
      found = find_dropdown_starting (child, first_item);
      if (found)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_check (GtkWidget  *widget,
            const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = NULL;

      if (GTK_IS_CHECK_BUTTON (child)
          && g_strcmp0 (gtk_check_button_get_label (GTK_CHECK_BUTTON (child)), label) == 0)
        return child;
      found = find_check (child, label);
      if (found)
        return found;
    }
  return NULL;
}

static gboolean
team_listed (gpointer user_data)
{
  GListModel *teams = gtk_drop_down_get_model (user_data);

  return teams && g_list_model_get_n_items (teams) == 2;
}

static void
test_inbox (void)
{
  g_autoptr(BatonClient) client = signed_in_client (BATON_TEST_MANAGER_EMAIL);
  BatonWindow *window = baton_window_new (NULL);
  GListModel *inbox = NULL;
  GtkDropDown *scope = NULL;
  Count all = { NULL, 3, "Chloé Lambert" };
  Count live = { NULL, 4, "Noah Fisher" };
  Count unassigned = { NULL, 3, NULL };
  Count mine = { NULL, 0, NULL };

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  gtk_window_present (GTK_WINDOW (window));
  baton_window_set_client (window, client);
  baton_client_start_stream (client);
  inbox = baton_window_get_inbox (window);
  g_assert_nonnull (inbox);
  all.model = live.model = unassigned.model = mine.model = inbox;

  /* A manager starts with the whole inbox. */
  baton_test_ui_wait_until (has_items, &all, 10000, "three conversations");

  /* Opening one shows its thread and the sidebar beside it. */
  {
    g_autoptr(BatonInboxItem) first = g_list_model_get_item (inbox, 0);
    GtkWidget *view = baton_test_ui_find_type (GTK_WIDGET (window), BATON_TYPE_CONVERSATION_VIEW);

    g_assert_nonnull (view);
    baton_window_open_conversation (window, baton_inbox_item_get_id (first));
    g_assert_cmpstr (baton_window_get_open_conversation_id (window), ==,
                     baton_inbox_item_get_id (first));
    baton_test_ui_wait_until (has_messages, view, 10000, "the thread");
    baton_test_ui_wait_until (is_mapped, baton_test_ui_find_type (GTK_WIDGET (window),
                                                     BATON_TYPE_ASSIGNMENT_SIDEBAR),
                              10000, "the sidebar beside the thread");
  }
  baton_test_ui_screenshot (GTK_WIDGET (window), "main-window");

  /* A new customer appears without a reload. */
  customer_writes ("+14155550132", "Noah Fisher", "Do you ship to California?");
  baton_test_ui_wait_until (has_items, &live, 10000, "the new conversation");

  /* The scope filter: "Mine" (index 0) is empty for the manager, "Unassigned" has all. */
  scope = find_scope_dropdown (GTK_WIDGET (window));
  g_assert_nonnull (scope);
  gtk_drop_down_set_selected (scope, 0);
  baton_test_ui_wait_until (has_items, &mine, 10000, "an empty Mine list");
  gtk_drop_down_set_selected (scope, 1);
  baton_test_ui_wait_until (has_items, &unassigned, 10000, "the unassigned list");

  /* By team and by agent: Olivia's conversation is Ana's, in Sales. */
  {
    GtkDropDown *team = find_dropdown_starting (GTK_WIDGET (window), "All teams");
    GtkWidget *ana_check = NULL;
    Count olivia = { inbox, 1, "Olivia Bennett" };
    Count everyone = { inbox, 4, NULL };

    g_assert_nonnull (team);
    gtk_drop_down_set_selected (scope, 2);
    baton_test_ui_wait_until (has_items, &everyone, 10000, "all four again");
    baton_test_ui_wait_until (team_listed, team, 10000, "the Sales team in the filter");
    gtk_drop_down_set_selected (team, 1);
    baton_test_ui_wait_until (has_items, &olivia, 10000, "Sales' conversation");
    gtk_drop_down_set_selected (team, 0);
    baton_test_ui_wait_until (has_items, &everyone, 10000, "every team's");
    ana_check = find_check (GTK_WIDGET (window), "Ana Lima");
    g_assert_nonnull (ana_check);
    gtk_check_button_set_active (GTK_CHECK_BUTTON (ana_check), TRUE);
    baton_test_ui_wait_until (has_items, &olivia, 10000, "Ana's conversation");
    gtk_check_button_set_active (GTK_CHECK_BUTTON (ana_check), FALSE);
    baton_test_ui_wait_until (has_items, &everyone, 10000, "any agent's");
  }

  /* Narrow: the panes fold into one. */
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  baton_test_ui_screenshot (GTK_WIDGET (window), "main-window-narrow");
  baton_client_stop_stream (client);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
is_label_text (GtkWidget     *widget,
               gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static gboolean
toast_shown (gpointer user_data)
{
  return baton_test_ui_find (user_data, is_label_text, "Saved <it> & more") != NULL;
}

/* A widget inside tells the person something through the window's window.toast action, not
 * by calling the window; the text stays plain. */
static void
test_toast (void)
{
  BatonWindow *window = baton_window_new (NULL);
  g_autoptr(GtkWidget) alone = g_object_ref_sink (gtk_label_new ("alone"));
  GtkWidget *view = NULL;

  gtk_window_present (GTK_WINDOW (window));
  view = baton_test_ui_find_type (GTK_WIDGET (window), BATON_TYPE_CONVERSATION_VIEW);
  g_assert_nonnull (view);
  g_assert_true (gtk_widget_activate_action (view, "window.toast", "s", "Saved <it> & more"));
  baton_test_ui_wait_until (toast_shown, window, 10000, "the toast");
  /* Outside any window there is nowhere to show it. */
  g_assert_false (baton_toast_show (alone, "Nobody sees"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The selection follows the open conversation ------------------------------------------------ */

typedef struct {
  BatonWindow *window;
  /* the conversation expected highlighted, or NULL for none */
  const char *id;
} Selected;

/* The inbox's list view (the thread has one too). */
static gboolean
lists_inbox (GtkWidget     *widget,
             gconstpointer  data)
{
  GtkSelectionModel *model = GTK_IS_LIST_VIEW (widget)
                             ? gtk_list_view_get_model (GTK_LIST_VIEW (widget)) : NULL;

  return GTK_IS_SINGLE_SELECTION (model)
         && gtk_single_selection_get_model (GTK_SINGLE_SELECTION (model)) == data;
}

static GtkSingleSelection *
list_selection (BatonWindow *window)
{
  GtkWidget *list = baton_test_ui_find (GTK_WIDGET (window), lists_inbox,
                                        baton_window_get_inbox (window));

  g_assert_nonnull (list);
  return GTK_SINGLE_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (list)));
}

static const char *
selected_id (BatonWindow *window)
{
  GtkSingleSelection *selection = list_selection (window);
  BatonInboxItem *item = gtk_single_selection_get_selected_item (selection);

  return item ? baton_inbox_item_get_id (item) : NULL;
}

static gboolean
listed (BatonWindow *window,
        const char  *id)
{
  return baton_inbox_lookup (BATON_INBOX (baton_window_get_inbox (window)), id) != NULL;
}

/* The list shows (or not) the conversation, and the highlight is where expected. */
static gboolean
selection_is (gpointer user_data)
{
  Selected *selected = user_data;

  return g_strcmp0 (selected_id (selected->window), selected->id) == 0;
}

static guint
position_of (BatonWindow *window,
             const char  *id)
{
  GListModel *inbox = baton_window_get_inbox (window);

  for (guint i = 0; i < g_list_model_get_n_items (inbox); i++)
    {
      g_autoptr(BatonInboxItem) item = g_list_model_get_item (inbox, i);

      if (g_str_equal (baton_inbox_item_get_id (item), id))
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

static gboolean
at_position (BatonWindow *window,
             const char  *id,
             guint        position)
{
  return position_of (window, id) == position;
}

typedef struct {
  BatonWindow *window;
  const char *id;
  guint position;
  gboolean listed;
} Where;

static gboolean
is_where (gpointer user_data)
{
  Where *where = user_data;

  if (!where->listed)
    return !listed (where->window, where->id);
  return at_position (where->window, where->id, where->position);
}

static void
wait_where (BatonWindow *window,
            const char  *id,
            gboolean     is_listed,
            guint        position)
{
  Where where = { window, id, position, is_listed };

  baton_test_ui_wait_until (is_where, &where, 10000, "the list to change");
}

/* Signed in, the window has crossfaded from the login page to the inbox. */
static gboolean
main_page_shown (gpointer user_data)
{
  GtkWidget *page = baton_test_ui_find_type (user_data, BATON_TYPE_LOGIN_PAGE);
  GtkStack *stack = GTK_STACK (gtk_widget_get_parent (page));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "main") == 0
         && !gtk_stack_get_transition_running (stack);
}

static void
test_selection_follows (void)
{
  g_autoptr(BatonClient) client = signed_in_client (BATON_TEST_MANAGER_EMAIL);
  g_autofree char *hugo = baton_test_create_agent (server, "Hugo Handover", "hugo@example.com",
                                                   "agent", NULL);
  g_autofree char *selma = baton_test_customer_writes (server, channel_id, channel_secret,
                                                       "+447700900801", "Selma Select", "Hi");
  g_autofree char *boris = baton_test_customer_writes (server, channel_id, channel_secret,
                                                       "+447700900802", "Boris Busy", "Hi");
  g_autofree char *carla = baton_test_customer_writes (server, channel_id, channel_secret,
                                                       "+447700900803", "Carla Calm", "Hi");
  BatonWindow *window = baton_window_new (NULL);
  Selected selected = { window, selma };
  GtkDropDown *scope = NULL;

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  gtk_window_present (GTK_WINDOW (window));
  baton_window_set_client (window, client);
  baton_client_start_stream (client);
  /* Newest first: Carla, Boris, Selma. */
  wait_where (window, selma, TRUE, 2);
  g_assert_cmpuint (position_of (window, carla), ==, 0);

  /* Opened from elsewhere (a notification): its row is highlighted. */
  baton_window_open_conversation (window, selma);
  g_assert_cmpstr (selected_id (window), ==, selma);

  /* Selma writes again: her row moves to the top, highlighted. */
  g_free (baton_test_customer_writes (server, channel_id, channel_secret, "+447700900801",
                                      "Selma Select", "Still there?"));
  wait_where (window, selma, TRUE, 0);
  g_assert_cmpstr (selected_id (window), ==, selma);
  /* Boris, then Carla, write: Selma's row moves down, still the highlighted one. */
  g_free (baton_test_customer_writes (server, channel_id, channel_secret, "+447700900802",
                                      "Boris Busy", "Hello?"));
  wait_where (window, boris, TRUE, 0);
  g_assert_cmpstr (selected_id (window), ==, selma);
  g_free (baton_test_customer_writes (server, channel_id, channel_secret, "+447700900803",
                                      "Carla Calm", "Hello?"));
  wait_where (window, carla, TRUE, 0);
  wait_where (window, selma, TRUE, 2);
  g_assert_cmpstr (selected_id (window), ==, selma);
  baton_test_ui_wait_until (has_messages, baton_test_ui_find_type (GTK_WIDGET (window),
                                                      BATON_TYPE_CONVERSATION_VIEW),
                            10000, "Selma's thread");
  baton_test_ui_wait_until (main_page_shown, window, 10000, "the inbox page");
  baton_test_ui_screenshot (GTK_WIDGET (window), "selection-follows");

  /* In Mine: Selma is the manager's, then handed to Hugo (out of the list: nothing is
   * highlighted, not the row that took her place), then handed back (highlighted again). */
  baton_test_assign_to (server, selma, server->manager_id);
  scope = find_scope_dropdown (GTK_WIDGET (window));
  gtk_drop_down_set_selected (scope, 0);
  wait_where (window, boris, FALSE, 0);
  wait_where (window, selma, TRUE, 0);
  baton_test_ui_wait_until (selection_is, &selected, 10000, "Selma highlighted in Mine");
  baton_test_assign_to (server, boris, server->manager_id);
  baton_test_assign_to (server, carla, server->manager_id);
  wait_where (window, carla, TRUE, 0);
  wait_where (window, selma, TRUE, 2);
  g_assert_cmpstr (selected_id (window), ==, selma);
  baton_test_assign_to (server, selma, hugo);
  wait_where (window, selma, FALSE, 0);
  g_assert_null (selected_id (window));
  g_assert_cmpstr (baton_window_get_open_conversation_id (window), ==, selma);
  baton_test_assign_to (server, selma, server->manager_id);
  wait_where (window, selma, TRUE, 0);
  g_assert_cmpstr (selected_id (window), ==, selma);

  baton_client_stop_stream (client);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Keyboard ------------------------------------------------------------------------------ */

static gboolean
is_open (gpointer user_data)
{
  Selected *selected = user_data;

  return g_strcmp0 (baton_window_get_open_conversation_id (selected->window), selected->id) == 0;
}

static void
press (BatonWindow *window,
       const char  *action,
       const char  *expected_id)
{
  Selected selected = { window, expected_id };

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), action, NULL));
  baton_test_ui_wait_until (is_open, &selected, 10000, action);
}

static void
mark_seen (const char *conversation_id)
{
  g_autofree char *messages_path = g_strdup_printf ("/api/v1/conversations/%s/messages",
                                                    conversation_id);
  g_autofree char *seen_path = g_strdup_printf ("/api/v1/conversations/%s/seen",
                                                conversation_id);
  g_autoptr(JsonNode) page = baton_test_expect (server, "GET", messages_path,
                                                server->manager_token, NULL, 200, NULL);
  g_autofree char *body = g_strdup_printf ("{\"message_id\":\"%s\"}",
                                           baton_test_get_string (page, "items.0.id"));
  g_autoptr(JsonNode) seen = baton_test_expect (server, "POST", seen_path,
                                                server->manager_token, body, 200, NULL);
}

static gboolean
is_read (gpointer user_data)
{
  Selected *selected = user_data;
  BatonInboxItem *item = baton_inbox_lookup (BATON_INBOX (baton_window_get_inbox (
                                               selected->window)), selected->id);

  return item && !baton_inbox_item_get_unread (item);
}

typedef struct {
  const char *id;
  const char *member;
  const char *value;
} ServerHas;

static gboolean
server_has (gpointer user_data)
{
  ServerHas *has = user_data;
  g_autoptr(JsonNode) conversation = baton_test_get_conversation (server, has->id);

  return g_strcmp0 (baton_test_get_string (conversation, has->member), has->value) == 0;
}

static gboolean
is_claim_button (GtkWidget     *widget,
                 gconstpointer  data)
{
  return GTK_IS_ACTIONABLE (widget)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)),
                       "sidebar.claim") == 0
         && gtk_widget_get_visible (widget) && gtk_widget_is_sensitive (widget);
}

/* The sidebar has the open conversation and offers "Assign to Me". */
static gboolean
claim_offered (gpointer user_data)
{
  return baton_test_ui_find (user_data, is_claim_button, NULL) != NULL;
}

static gboolean
composer_focused (gpointer user_data)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (user_data));

  return GTK_IS_TEXT_VIEW (focus) && gtk_widget_get_ancestor (focus, BATON_TYPE_COMPOSER);
}

/* The accelerators of the window's own shortcuts, "<Alt>Down" → "window.next". */
static GHashTable *
window_shortcuts (BatonWindow *window)
{
  GHashTable *shortcuts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

          if (GTK_IS_NAMED_ACTION (action))
            g_hash_table_insert (shortcuts,
                                 gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut)),
                                 g_strdup (gtk_named_action_get_action_name (
                                   GTK_NAMED_ACTION (action))));
        }
    }
  return shortcuts;
}

/* The accelerators the shortcuts window lists. */
static GHashTable *
listed_shortcuts (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/org/baton/Baton/gtk/"
                                                                 "help-overlay.ui");
  GHashTable *listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GSList *objects = gtk_builder_get_objects (builder);

  for (GSList *l = objects; l; l = l->next)
    if (GTK_IS_SHORTCUTS_SHORTCUT (l->data))
      {
        g_autofree char *accelerator = NULL;
        g_auto(GStrv) each = NULL;

        g_object_get (l->data, "accelerator", &accelerator, NULL);
        each = g_strsplit (accelerator ? accelerator : "", " ", -1);
        for (guint i = 0; each[i]; i++)
          g_hash_table_add (listed, g_strdup (each[i]));
      }
  g_slist_free (objects);
  return listed;
}

/* Next, previous, next unread, assign to me, write a reply, resolve: from the keyboard, and
 * each listed in the shortcuts window. */
static void
test_keyboard (void)
{
  g_autoptr(BatonClient) client = signed_in_client (BATON_TEST_MANAGER_EMAIL);
  g_autofree char *k1 = baton_test_customer_writes (server, channel_id, channel_secret,
                                                    "+33700000901", "Kim One", "Hi");
  g_autofree char *k2 = baton_test_customer_writes (server, channel_id, channel_secret,
                                                    "+33700000902", "Kim Two", "Hi");
  g_autofree char *k3 = baton_test_customer_writes (server, channel_id, channel_secret,
                                                    "+33700000903", "Kim Three", "Hi");
  BatonWindow *window = baton_window_new (NULL);
  Selected read2 = { window, k2 };
  Selected read3 = { window, k3 };
  ServerHas claimed = { k1, "assignee_ids.0", server->manager_id };
  ServerHas resolved = { k1, "status", "resolved" };
  g_autoptr(GHashTable) shortcuts = NULL;
  g_autoptr(GHashTable) listed = listed_shortcuts ();
  const char *bindings[][2] = {
    { "<Alt>Down", "window.next" }, { "<Alt>Up", "window.previous" },
    { "<Shift><Alt>Down", "window.next-unread" }, { "<Shift><Alt>Up", "window.previous-unread" },
    { "<Control>e", "window.resolve" }, { "<Shift><Control>m", "window.assign-to-me" },
    { "<Control>l", "window.focus-composer" }, { "<Control>f", "window.focus-search" },
  };

  mark_seen (k2);
  mark_seen (k3);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  gtk_window_present (GTK_WINDOW (window));
  baton_window_set_client (window, client);
  baton_client_start_stream (client);
  /* Newest first: Kim Three, Kim Two, Kim One. */
  wait_where (window, k1, TRUE, 2);
  baton_test_ui_wait_until (is_read, &read2, 10000, "Kim Two read");
  baton_test_ui_wait_until (is_read, &read3, 10000, "Kim Three read");

  press (window, "window.next", k3);
  press (window, "window.next", k2);
  press (window, "window.previous", k3);
  /* Kim Two is read: the next unread is Kim One. */
  press (window, "window.next-unread", k1);
  g_assert_cmpstr (selected_id (window), ==, k1);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.focus-composer", NULL));
  baton_test_ui_wait_until (composer_focused, window, 10000, "the composer focused");
  baton_test_ui_wait_until (has_messages, baton_test_ui_find_type (GTK_WIDGET (window),
                                                      BATON_TYPE_CONVERSATION_VIEW),
                            10000, "Kim One's thread");
  baton_test_ui_wait_until (claim_offered, window, 10000, "the sidebar to offer a claim");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.assign-to-me", NULL));
  baton_test_ui_wait_until (server_has, &claimed, 10000, "Kim One claimed");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.resolve", NULL));
  baton_test_ui_wait_until (server_has, &resolved, 10000, "Kim One resolved");

  shortcuts = window_shortcuts (window);
  for (guint i = 0; i < G_N_ELEMENTS (bindings); i++)
    {
      g_assert_cmpstr (g_hash_table_lookup (shortcuts, bindings[i][0]), ==, bindings[i][1]);
      if (!g_hash_table_contains (listed, bindings[i][0]))
        g_error ("The shortcuts window does not list %s", bindings[i][0]);
    }

  baton_client_stop_stream (client);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Accessibility ------------------------------------------------------------------------- */

static gboolean
is_inbox_row_of (GtkWidget     *widget,
                 gconstpointer  data)
{
  return BATON_IS_INBOX_ROW (widget)
         && g_strcmp0 (baton_inbox_item_get_id (baton_inbox_row_get_item (BATON_INBOX_ROW (widget))),
                       data) == 0;
}

/* Every control of the window, the open conversation and its sidebar has a name a screen
 * reader says; an unread conversation says so, not only with a dot. */
static void
test_accessible (void)
{
  g_autoptr(BatonClient) client = signed_in_client (BATON_TEST_MANAGER_EMAIL);
  g_autofree char *unread = baton_test_customer_writes (server, channel_id, channel_secret,
                                                        "+33700000951", "Ada Access", "Hi");
  BatonWindow *window = baton_window_new (NULL);
  GtkWidget *row = NULL;
  GtkWidget *stack = NULL;
  char *mismatch = NULL;

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 760);
  gtk_window_present (GTK_WINDOW (window));
  baton_window_set_client (window, client);
  baton_client_start_stream (client);
  wait_where (window, unread, TRUE, 0);
  baton_test_ui_wait_until (main_page_shown, window, 10000, "the inbox page");

  row = baton_test_ui_find (GTK_WIDGET (window), is_inbox_row_of, unread);
  g_assert_nonnull (row);
  mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (row),
                                                 GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                                 "1 unread message");
  if (mismatch)
    g_error ("The unread row does not say it: %s", mismatch);
  baton_test_ui_assert_named (GTK_WIDGET (window), "the inbox");

  baton_window_open_conversation (window, unread);
  baton_test_ui_wait_until (has_messages, baton_test_ui_find_type (GTK_WIDGET (window),
                                                      BATON_TYPE_CONVERSATION_VIEW),
                            10000, "the thread");
  baton_test_ui_wait_until (claim_offered, window, 10000, "the sidebar");
  baton_test_ui_assert_named (GTK_WIDGET (window), "the open conversation");

  /* The contact tab. */
  stack = baton_test_ui_find_type (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK);
  g_assert_nonnull (stack);
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), "contact");
  baton_test_ui_wait_until (is_mapped, adw_view_stack_get_child_by_name (ADW_VIEW_STACK (stack),
                                                                         "contact"),
                            10000, "the contact tab");
  baton_test_ui_assert_named (GTK_WIDGET (window), "the contact tab");

  baton_client_stop_stream (client);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* New conversations above the visible part ------------------------------------------------- */

static GtkAdjustment *
list_adjustment (BatonWindow *window)
{
  GtkWidget *list = baton_test_ui_find (GTK_WIDGET (window), lists_inbox,
                                        baton_window_get_inbox (window));

  return gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list));
}

static gboolean
scrollable (gpointer user_data)
{
  GtkAdjustment *adjustment = list_adjustment (user_data);

  return gtk_adjustment_get_upper (adjustment) > gtk_adjustment_get_page_size (adjustment) + 200;
}

static gboolean
at_top (gpointer user_data)
{
  return gtk_adjustment_get_value (list_adjustment (user_data)) < 1;
}

static gboolean
is_pill (GtkWidget     *widget,
         gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_has_css_class (widget, "new-conversations-pill");
}

static GtkWidget *
find_pill (BatonWindow *window)
{
  GtkWidget *pill = baton_test_ui_find (GTK_WIDGET (window), is_pill, NULL);

  g_assert_nonnull (pill);
  return pill;
}

static gboolean
pill_shown (gpointer user_data)
{
  GtkRevealer *revealer = GTK_REVEALER (gtk_widget_get_parent (find_pill (user_data)));

  return gtk_revealer_get_child_revealed (revealer) && gtk_widget_get_mapped (GTK_WIDGET (revealer));
}

static gboolean
pill_hidden (gpointer user_data)
{
  GtkRevealer *revealer = GTK_REVEALER (gtk_widget_get_parent (find_pill (user_data)));

  return !gtk_revealer_get_reveal_child (revealer) && !gtk_revealer_get_child_revealed (revealer);
}

static gboolean
count_frame_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  (*(guint *) user_data)++;
  return G_SOURCE_CONTINUE;
}

static gboolean
frames_drawn (gpointer user_data)
{
  return *(guint *) user_data >= 10;
}

/* Ten frames: the list has laid its rows out for what changed. */
static void
wait_frames (BatonWindow *window)
{
  guint frames = 0;
  guint tick = gtk_widget_add_tick_callback (GTK_WIDGET (window), count_frame_cb, &frames, NULL);

  gtk_widget_queue_draw (GTK_WIDGET (window));
  baton_test_ui_wait_until (frames_drawn, &frames, 10000, "frames");
  gtk_widget_remove_tick_callback (GTK_WIDGET (window), tick);
}

static void
test_new_conversations_pill (void)
{
  g_autoptr(BatonClient) client = signed_in_client (BATON_TEST_MANAGER_EMAIL);
  BatonWindow *window = baton_window_new (NULL);
  g_autofree char *tara = NULL;
  g_autofree char *uma = NULL;

  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *phone = g_strdup_printf ("+4477009009%02u", i);
      g_autofree char *name = g_strdup_printf ("Pill Customer %u", i + 1);

      g_free (baton_test_customer_writes (server, channel_id, channel_secret, phone, name,
                                          "Anyone there?"));
    }
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  gtk_window_present (GTK_WINDOW (window));
  baton_window_set_client (window, client);
  baton_client_start_stream (client);
  baton_test_ui_wait_until (main_page_shown, window, 10000, "the inbox page");
  baton_test_ui_wait_until (scrollable, window, 10000, "a list longer than the window");
  g_assert_true (at_top (window));

  /* At the top, a new conversation shows at the top: the list stays there, no pill. */
  tara = baton_test_customer_writes (server, channel_id, channel_secret, "+447700900950",
                                     "Tara Top", "New here");
  wait_where (window, tara, TRUE, 0);
  wait_frames (window);
  g_assert_true (at_top (window));
  g_assert_true (pill_hidden (window));

  /* Scrolled down, one arrives above: the view stays on what the agent reads, the pill
   * says so. */
  gtk_adjustment_set_value (list_adjustment (window), 300);
  wait_frames (window);
  g_assert_false (at_top (window));
  uma = baton_test_customer_writes (server, channel_id, channel_secret, "+447700900951",
                                    "Uma Under", "Hello from above");
  wait_where (window, uma, TRUE, 0);
  baton_test_ui_wait_until (pill_shown, window, 10000, "the New conversations pill");
  g_assert_false (at_top (window));
  baton_test_ui_screenshot (GTK_WIDGET (window), "new-conversations-pill");

  /* The pill takes the list up to them, and goes. */
  g_signal_emit_by_name (find_pill (window), "clicked");
  baton_test_ui_wait_until (at_top, window, 10000, "the list at its top");
  baton_test_ui_wait_until (pill_hidden, window, 10000, "the pill to go");

  baton_client_stop_stream (client);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The availability control -------------------------------------------------------------------- */

typedef struct {
  BatonWindow *window;
  const char *state;
  const char *icon;
} Availability;

static gboolean
is_availability_button (GtkWidget     *widget,
                        gconstpointer  unused)
{
  return GTK_IS_MENU_BUTTON (widget)
         && g_strcmp0 (gtk_widget_get_tooltip_text (widget), "Availability") == 0;
}

/* The menu's radio state and the button's icon both say it. */
static gboolean
availability_shown (gpointer user_data)
{
  Availability *expected = user_data;
  GtkWidget *button = baton_test_ui_find (GTK_WIDGET (expected->window), is_availability_button,
                                          NULL);
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (expected->window), "availability");
  g_autoptr(GVariant) state = action ? g_action_get_state (action) : NULL;

  g_assert_nonnull (button);
  g_assert_nonnull (state);
  return g_strcmp0 (g_variant_get_string (state, NULL), expected->state) == 0
         && g_strcmp0 (gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (button)),
                       expected->icon) == 0;
}

static gboolean
popover_mapped (gpointer user_data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (gtk_menu_button_get_popover (user_data)));
}

static void
set_availability (Availability *expected,
                  const char   *state,
                  const char   *icon)
{
  g_autofree char *what = g_strdup_printf ("availability %s", state);

  expected->state = state;
  expected->icon = icon;
  g_action_group_activate_action (G_ACTION_GROUP (expected->window), "availability",
                                  g_variant_new_string (state));
  baton_test_ui_wait_until (availability_shown, expected, 10000, what);
}

static void
test_availability (void)
{
  g_autoptr(BatonClient) client = signed_in_client (BATON_TEST_MANAGER_EMAIL);
  BatonWindow *window = baton_window_new (NULL);
  Availability expected = { window, "online", "user-available-symbolic" };
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) agent = NULL;
  GtkWidget *button = NULL;

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  gtk_window_present (GTK_WINDOW (window));
  baton_window_set_client (window, client);
  path = g_strdup_printf ("/api/v1/agents/%s", baton_client_get_me (client)->id);
  baton_test_ui_wait_until (availability_shown, &expected, 10000, "availability online");

  /* Each choice reaches the server, and icon and menu follow it. */
  set_availability (&expected, "away", "user-away-symbolic");
  agent = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (agent, "availability"), ==, "away");
  button = baton_test_ui_find (GTK_WIDGET (window), is_availability_button, NULL);
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  baton_test_ui_wait_until (popover_mapped, button, 10000, "the availability menu");
  baton_test_ui_screenshot (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button))),
                            "window-availability-away-menu");
  baton_test_ui_screenshot (gtk_widget_get_parent (button), "window-availability-away");
  gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
  set_availability (&expected, "offline", "user-offline-symbolic");
  set_availability (&expected, "online", "user-available-symbolic");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
collect_rows (GtkWidget *widget,
              GPtrArray *rows)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    {
      if (BATON_IS_INBOX_ROW (child))
        g_ptr_array_add (rows, g_object_ref (child));
      collect_rows (child, rows);
    }
}

static gboolean
shows_text (GtkWidget  *widget,
            const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    if ((GTK_IS_LABEL (child) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (child)), text) == 0)
        || shows_text (child, text))
      return TRUE;
  return FALSE;
}

static gboolean
inbox_settled (gpointer user_data)
{
  Count *count = user_data;

  return !baton_inbox_get_loading (BATON_INBOX (count->model))
         && (count->n == G_MAXUINT ? g_list_model_get_n_items (count->model) > 0
                                   : g_list_model_get_n_items (count->model) == count->n);
}

/* A filter switch shows its items in the rows the last list let go (GTK would make new ones
 * each time), each row showing its own item. */
static void
test_rows_reused (void)
{
  g_autoptr(BatonClient) client = signed_in_client (BATON_TEST_MANAGER_EMAIL);
  BatonWindow *window = baton_window_new (NULL);
  g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) after = g_ptr_array_new_with_free_func (g_object_unref);
  Count listed = { NULL, G_MAXUINT, NULL };
  Count none = { NULL, 0, NULL };
  guint reused = 0;

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  gtk_window_present (GTK_WINDOW (window));
  baton_window_set_client (window, client);
  listed.model = none.model = baton_window_get_inbox (window);
  baton_test_ui_wait_until (inbox_settled, &listed, 10000, "the whole inbox");
  collect_rows (GTK_WIDGET (window), before);
  g_assert_cmpuint (before->len, >, 0);

  /* A search for nothing lets every row go; without it, new items come. */
  baton_inbox_set_search (BATON_INBOX (listed.model), "zanzibar");
  baton_test_ui_wait_until (inbox_settled, &none, 10000, "an empty list");
  baton_inbox_set_search (BATON_INBOX (listed.model), NULL);
  baton_test_ui_wait_until (inbox_settled, &listed, 10000, "the whole inbox again");
  collect_rows (GTK_WIDGET (window), after);
  g_assert_cmpuint (after->len, ==, before->len);
  for (guint i = 0; i < after->len; i++)
    {
      BatonInboxItem *item = baton_inbox_row_get_item (after->pdata[i]);

      g_assert_nonnull (item);
      g_assert_true (shows_text (after->pdata[i],
                                 baton_inbox_item_get_conversation (item)->contact_name));
      if (g_ptr_array_find (before, after->pdata[i], NULL))
        reused++;
    }
  g_assert_cmpuint (reused, ==, after->len);
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
  baton_test_ui_load_stylesheet ();
  server = baton_test_server_new (NULL);
  channel_id = baton_test_create_channel (server, NULL, &channel_secret);
  customer_writes ("+447700900123", "Olivia Bennett", "Hi! Where is my order?");
  customer_writes ("+33639988765", "Chloé Lambert", "Bonjour, mon vélo est prêt ?");
  customer_writes ("+447700900456", "James Whitaker", "Quote for 40 hire bikes please");
  {
    g_autofree char *ana = baton_test_create_agent (server, "Ana Lima", "ana@example.com",
                                                    "agent", NULL);
    g_autofree char *team_body = g_strdup_printf ("{\"name\":\"Sales\",\"member_ids\":[\"%s\"]}",
                                                  ana);
    g_autoptr(JsonNode) team = baton_test_expect (server, "POST", "/api/v1/teams",
                                                  server->manager_token, team_body, 201, NULL);
    g_autoptr(JsonNode) list = baton_test_expect (server, "GET",
                                                  "/api/v1/conversations?q=Olivia", server->manager_token,
                                                  NULL, 200, NULL);
    g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/assignment",
                                             baton_test_get_string (list, "items.0.id"));
    g_autofree char *assign = g_strdup_printf ("{\"team_id\":\"%s\",\"assignee_ids\":[\"%s\"]}",
                                               baton_test_get_string (team, "id"), ana);
    g_autoptr(JsonNode) assigned = baton_test_expect (server, "PUT", path, server->manager_token,
                                                      assign, 200, NULL);
  }

  g_test_add_func ("/ui/window/inbox", test_inbox);
  g_test_add_func ("/ui/window/toast", test_toast);
  g_test_add_func ("/ui/window/selection-follows", test_selection_follows);
  g_test_add_func ("/ui/window/new-conversations-pill", test_new_conversations_pill);
  g_test_add_func ("/ui/window/availability", test_availability);
  g_test_add_func ("/ui/window/keyboard", test_keyboard);
  g_test_add_func ("/ui/window/accessible", test_accessible);
  g_test_add_func ("/ui/window/rows-reused", test_rows_reused);

  status = g_test_run ();
  baton_test_server_free (server);
  return status;
}
