/* test-ui-conversation.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <signal.h>

#include "baton-conversation-view.h"
#include "baton-message-item.h"
#include "baton-message-list.h"
#include "baton-message-row.h"
#include "baton-test-server.h"
#include "baton-test-ui.h"
#include "baton-time.h"

/* The conversation pane against a real batond: the thread loads in order, replies and notes
 * go to the server and show, a customer's message arrives live, Resolve and Reopen follow the
 * status, older messages load on scrolling up, unsent text is kept per conversation. */

static BatonTestServer *server;
static char *channel_id;
static char *channel_secret;

/* The manager, signed in, with its event stream up. */
static BatonClient *
signed_in_client (void)
{
  return baton_test_ui_sign_in (server->url, BATON_TEST_MANAGER_EMAIL, BATON_TEST_PASSWORD);
}

/* A customer message through the api channel; sent_at may be NULL (now). Returns the
 * conversation id. */
static char *
customer_writes (const char *phone,
                 const char *name,
                 const char *body,
                 const char *sent_at)
{
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) reply = NULL;

  if (sent_at)
    json = baton_test_strdup_printf_json ("{\"from\":%s,\"name\":%s,\"body\":%s,\"sent_at\":%s}",
                                          phone, name, body, sent_at);
  else
    json = baton_test_strdup_printf_json ("{\"from\":%s,\"name\":%s,\"body\":%s}", phone, name,
                                          body);
  reply = baton_test_inbound_expect (server, channel_id, channel_secret, json, 202, NULL);
  return g_strdup (baton_test_get_string (reply, "conversation_id"));
}

/* The conversation's message ids as the server has them, oldest first. */
static GPtrArray *
server_message_ids (const char *conversation_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/messages?limit=500",
                                           conversation_id);
  g_autoptr(JsonNode) page = baton_test_expect (server, "GET", path, server->manager_token, NULL,
                                                200, NULL);
  JsonArray *items = json_object_get_array_member (json_node_get_object (page), "items");
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = json_array_get_length (items); i > 0; i--)
    g_ptr_array_add (ids, g_strdup (json_object_get_string_member (
                                      json_array_get_object_element (items, i - 1), "id")));
  return ids;
}

static char *
view_message_id (BatonConversationView *view,
                 guint                  position)
{
  GListModel *messages = baton_conversation_view_get_messages (view);
  g_autoptr(BatonMessageItem) item = g_list_model_get_item (messages, position);

  return item ? g_strdup (baton_message_item_get_id (item)) : NULL;
}

static BatonMessage *
last_message (BatonConversationView *view)
{
  GListModel *messages = baton_conversation_view_get_messages (view);
  guint n = g_list_model_get_n_items (messages);
  g_autofree char *id = n ? view_message_id (view, n - 1) : NULL;

  return id ? baton_conversation_view_lookup_message (view, id) : NULL;
}

static void
assert_same_order (BatonConversationView *view,
                   GPtrArray             *expected)
{
  GListModel *messages = baton_conversation_view_get_messages (view);

  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      g_autofree char *id = view_message_id (view, i);

      g_assert_cmpstr (id, ==, expected->pdata[i]);
    }
}

typedef struct {
  BatonConversationView *view;
  guint n;
} Count;

static gboolean
has_n_messages (gpointer user_data)
{
  Count *count = user_data;

  return g_list_model_get_n_items (baton_conversation_view_get_messages (count->view)) == count->n;
}

typedef struct {
  BatonConversationView *view;
  BatonMessageKind kind;
  const char *body;
} Expect;

/* The view's newest message of that kind (a reply may be followed by its activity line). */
static BatonMessage *
newest_of_kind (BatonConversationView *view,
                BatonMessageKind       kind)
{
  GListModel *messages = baton_conversation_view_get_messages (view);

  for (guint i = g_list_model_get_n_items (messages); i > 0; i--)
    {
      g_autofree char *id = view_message_id (view, i - 1);
      BatonMessage *message = baton_conversation_view_lookup_message (view, id);

      if (message->kind == kind)
        return message;
    }
  return NULL;
}

static gboolean
shows_message (gpointer user_data)
{
  Expect *expect = user_data;
  BatonMessage *message = newest_of_kind (expect->view, expect->kind);

  return message && g_strcmp0 (message->body, expect->body) == 0;
}

typedef struct {
  BatonConversationView *view;
  BatonMessageKind kind;
  const char *body;
  const char *status;
} ReplyWait;

/* The view's messages of that kind and body: exactly one, with that status (NULL: none, as
 * a note the server has). */
static gboolean
reply_is (gpointer user_data)
{
  ReplyWait *wait = user_data;
  GListModel *messages = baton_conversation_view_get_messages (wait->view);
  BatonMessage *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (messages); i++)
    {
      g_autoptr(BatonMessageItem) item = g_list_model_get_item (messages, i);
      BatonMessage *message = baton_message_item_get_message (item);

      if (message->kind != wait->kind || g_strcmp0 (message->body, wait->body) != 0)
        continue;
      if (found)
        return FALSE;
      found = message;
    }
  return found && g_strcmp0 (found->status, wait->status) == 0;
}

typedef gboolean (*WidgetPredicate) (GtkWidget *widget,
                                     gpointer   data);

static GtkWidget *
find_widget (GtkWidget       *root,
             WidgetPredicate  predicate,
             gpointer         data)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = NULL;

      if (predicate (child, data))
        return child;
      found = find_widget (child, predicate, data);
      if (found)
        return found;
    }
  return NULL;
}

static gboolean
is_type (GtkWidget *widget,
         gpointer   data)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (data));
}

static gboolean
has_class (GtkWidget *widget,
           gpointer   data)
{
  return gtk_widget_has_css_class (widget, data);
}

static gboolean
is_message_scroller (GtkWidget *widget,
                     gpointer   data)
{
  return GTK_IS_SCROLLED_WINDOW (widget)
         && GTK_IS_LIST_VIEW (gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (widget)));
}

static gboolean
is_button_for (GtkWidget *widget,
               gpointer   data)
{
  return GTK_IS_ACTIONABLE (widget)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), data) == 0;
}

static gboolean
is_row_of (GtkWidget *widget,
           gpointer   data)
{
  BatonMessage *message = BATON_IS_MESSAGE_ROW (widget)
                          ? baton_message_row_get_message (BATON_MESSAGE_ROW (widget)) : NULL;

  return message && g_strcmp0 (message->id, data) == 0 && gtk_widget_get_mapped (widget);
}

typedef struct {
  GtkWidget *root;
  const char *id;
} RowLookup;

static gboolean
row_shown (gpointer user_data)
{
  RowLookup *lookup = user_data;

  return find_widget (lookup->root, is_row_of, (gpointer) lookup->id) != NULL;
}

static gboolean
at_bottom (gpointer user_data)
{
  GtkScrolledWindow *scroller = user_data;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scroller);

  /* (A short thread has nothing to scroll: its bottom is in view.) */
  return gtk_adjustment_get_page_size (adjustment) > 0
         && gtk_adjustment_get_value (adjustment)
            >= gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment) - 1;
}

static void
type_text (GtkWidget  *view,
           const char *text)
{
  GtkTextView *text_view = GTK_TEXT_VIEW (find_widget (view, is_type,
                                                       GSIZE_TO_POINTER (GTK_TYPE_TEXT_VIEW)));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (text_view), text, -1);
}

static gboolean
composer_empty (gpointer user_data)
{
  GtkTextView *text_view = GTK_TEXT_VIEW (find_widget (user_data, is_type,
                                                       GSIZE_TO_POINTER (GTK_TYPE_TEXT_VIEW)));

  return gtk_text_buffer_get_char_count (gtk_text_view_get_buffer (text_view)) == 0;
}

/* The composer's key controller, as a key press reaches it. */
static gboolean
press_key (GtkWidget       *view,
           guint            keyval,
           GdkModifierType  state)
{
  GtkWidget *text_view = find_widget (view, is_type, GSIZE_TO_POINTER (GTK_TYPE_TEXT_VIEW));
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (text_view);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller)
          && gtk_event_controller_get_propagation_phase (controller) == GTK_PHASE_CAPTURE)
        {
          g_signal_emit_by_name (controller, "key-pressed", keyval, 0, state, &handled);
          return handled;
        }
    }
  g_assert_not_reached ();
  return FALSE;
}

typedef struct {
  BatonConversationView *view;
  BatonStatus status;
} StatusWait;

static gboolean
status_is (gpointer user_data)
{
  StatusWait *wait = user_data;
  BatonConversation *conversation = baton_conversation_view_get_conversation (wait->view);

  return conversation && conversation->status == wait->status;
}

static gboolean
last_is_activity (gpointer user_data)
{
  BatonMessage *message = last_message (user_data);

  return message && message->kind == BATON_MESSAGE_ACTIVITY;
}

static char *
time_ago (gint64 seconds)
{
  return baton_time_format (g_get_real_time () / 1000 - seconds * 1000);
}

/* Yesterday at that local time, as the server writes times. */
static char *
yesterday_at (int hour,
              int minute)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) day = g_date_time_add_days (now, -1);
  g_autoptr(GDateTime) when = g_date_time_new_local (g_date_time_get_year (day),
                                                     g_date_time_get_month (day),
                                                     g_date_time_get_day_of_month (day),
                                                     hour, minute, 0);

  return baton_time_format (g_date_time_to_unix (when) * 1000);
}

static GtkWidget *
view_in_window (BatonClient  *client,
                GtkWindow   **window)
{
  GtkWidget *view = baton_conversation_view_new ();

  *window = GTK_WINDOW (adw_window_new ());
  gtk_window_set_default_size (*window, 800, 720);
  adw_window_set_content (ADW_WINDOW (*window), view);
  gtk_window_present (*window);
  baton_conversation_view_set_client (BATON_CONVERSATION_VIEW (view), client);
  return view;
}

static void
test_thread (void)
{
  g_autoptr(BatonClient) client = NULL;
  g_autofree char *yesterday = yesterday_at (10, 2);
  g_autofree char *earlier = yesterday_at (10, 17);
  g_autofree char *conversation_id = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) page = NULL;
  g_autoptr(JsonNode) stored = NULL;
  GtkWindow *window = NULL;
  GtkWidget *widget = NULL;
  BatonConversationView *view = NULL;
  GtkScrolledWindow *scroller = NULL;
  GtkWidget *resolve_button = NULL;
  GtkWidget *reopen_button = NULL;
  GtkWidget *send_button = NULL;
  BatonMessage *message = NULL;
  Count count = { NULL, 0 };
  Expect expect = { NULL, 0, NULL };
  RowLookup lookup = { NULL, NULL };
  StatusWait resolved = { NULL, BATON_STATUS_RESOLVED };
  StatusWait in_progress = { NULL, BATON_STATUS_IN_PROGRESS };

  conversation_id = customer_writes ("+33639988765", "Chloé Lambert",
                                     "Bonjour ! I left my bike for a service on Monday.", yesterday);
  customer_writes ("+33639988765", "Chloé Lambert", "Is it ready? The rear brake was squeaking.",
                   earlier);
  customer_writes ("+33639988765", "Chloé Lambert", "I could pick it up after 18:00 today.", NULL);
  ids = server_message_ids (conversation_id);
  g_assert_cmpuint (ids->len, >=, 3);

  /* Signed in after the customer wrote, so the stream brings only what happens next. */
  client = signed_in_client ();
  widget = view_in_window (client, &window);
  view = BATON_CONVERSATION_VIEW (widget);
  count.view = expect.view = resolved.view = in_progress.view = view;
  lookup.root = widget;
  scroller = GTK_SCROLLED_WINDOW (find_widget (widget, is_message_scroller, NULL));
  resolve_button = find_widget (widget, is_button_for, "conversation.resolve");
  reopen_button = find_widget (widget, is_button_for, "conversation.reopen");
  g_assert_nonnull (scroller);
  g_assert_nonnull (resolve_button);
  g_assert_nonnull (reopen_button);
  send_button = find_widget (widget, is_button_for, "conversation.send");
  g_assert_nonnull (send_button);

  /* Nothing open: the status page, no actions. */
  g_assert_null (baton_conversation_view_get_conversation_id (view));
  g_assert_false (gtk_widget_get_visible (resolve_button));

  /* Open: the messages in the server's order, oldest first, and the header. */
  baton_conversation_view_set_conversation_id (view, conversation_id);
  g_assert_cmpstr (baton_conversation_view_get_conversation_id (view), ==, conversation_id);
  count.n = ids->len;
  baton_test_ui_wait_until (has_n_messages, &count, 10000, "the first page");
  assert_same_order (view, ids);
  baton_test_ui_wait_until (status_is, &(StatusWait) { view, BATON_STATUS_NEW }, 10000,
                            "the conversation");
  g_assert_cmpstr (baton_conversation_view_get_conversation (view)->contact_name, ==,
                   "Chloé Lambert");
  g_assert_true (gtk_widget_get_visible (resolve_button));
  g_assert_false (gtk_widget_get_visible (reopen_button));
  lookup.id = ids->pdata[ids->len - 1];
  baton_test_ui_wait_until (row_shown, &lookup, 10000, "the newest message's row");
  /* Day separators: above yesterday's first message and today's first, nowhere else. */
  {
    GtkWidget *first = find_widget (widget, is_row_of, ids->pdata[0]);
    GtkWidget *second = find_widget (widget, is_row_of, ids->pdata[1]);
    GtkWidget *third = find_widget (widget, is_row_of, ids->pdata[2]);

    g_assert_true (baton_message_row_get_show_day (BATON_MESSAGE_ROW (first)));
    g_assert_false (baton_message_row_get_show_day (BATON_MESSAGE_ROW (second)));
    g_assert_true (baton_message_row_get_show_day (BATON_MESSAGE_ROW (third)));
  }

  /* Shift+Enter is a new line (left to the text view), Enter sends. */
  type_text (widget, "Bonjour Chloé, yes: new brake pads, all done.");
  g_assert_false (press_key (widget, GDK_KEY_Return, GDK_SHIFT_MASK));
  g_assert_true (press_key (widget, GDK_KEY_Return, 0));
  expect.kind = BATON_MESSAGE_OUTBOUND;
  expect.body = "Bonjour Chloé, yes: new brake pads, all done.";
  baton_test_ui_wait_until (reply_is, &(ReplyWait) { view, expect.kind, expect.body, "sent" },
                            10000, "the reply in the thread, sent");
  baton_test_ui_wait_until (composer_empty, widget, 10000, "the composer to clear");
  message = newest_of_kind (view, BATON_MESSAGE_OUTBOUND);
  g_assert_cmpstr (message->status, ==, "sent");
  g_assert_cmpstr (message->author_name, ==, "Maya Manager");
  /* The first reply took the assignment: its activity line follows, live. */
  baton_test_ui_wait_until (last_is_activity, view, 10000, "the assignment's activity line");
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = server_message_ids (conversation_id);
  assert_same_order (view, ids);
  path = g_strdup_printf ("/api/v1/conversations/%s/messages?limit=2", conversation_id);
  page = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (page, "items.1.id"), ==, message->id);
  g_assert_cmpstr (baton_test_get_string (page, "items.1.kind"), ==, "outbound");
  g_assert_cmpstr (baton_test_get_string (page, "items.1.body"), ==, expect.body);
  g_assert_cmpstr (baton_test_get_string (page, "items.0.kind"), ==, "activity");
  lookup.id = message->id;
  baton_test_ui_wait_until (row_shown, &lookup, 10000, "the reply's row");

  /* Blank text is not offered for sending. */
  type_text (widget, "  \n ");
  g_assert_false (gtk_widget_get_sensitive (send_button));
  type_text (widget, "");
  g_assert_false (gtk_widget_get_sensitive (send_button));

  /* A note: the toggle, then the same composer. */
  g_assert_true (gtk_widget_activate_action (widget, "conversation.toggle-note", NULL));
  {
    gboolean note_mode = FALSE;

    g_object_get (view, "note-mode", &note_mode, NULL);
    g_assert_true (note_mode);
  }
  type_text (widget, "She prefers a call before pick-up: 06 39 98 87 65.");
  baton_test_ui_screenshot (GTK_WIDGET (window), "conversation-note");
  g_assert_true (gtk_widget_activate_action (widget, "conversation.send", NULL));
  expect.kind = BATON_MESSAGE_NOTE;
  expect.body = "She prefers a call before pick-up: 06 39 98 87 65.";
  baton_test_ui_wait_until (reply_is, &(ReplyWait) { view, expect.kind, expect.body, NULL },
                            10000, "the note in the thread, written");
  g_clear_pointer (&page, json_node_unref);
  page = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (page, "items.0.id"), ==, last_message (view)->id);
  g_assert_cmpstr (baton_test_get_string (page, "items.0.kind"), ==, "note");
  g_assert_cmpstr (baton_test_get_string (page, "items.0.body"), ==, expect.body);
  g_assert_true (gtk_widget_activate_action (widget, "conversation.toggle-note", NULL));

  /* The customer answers: live, at the bottom, and the view follows. */
  g_free (customer_writes ("+33639988765", "Chloé Lambert", "Perfect, merci ! See you at six.",
                           NULL));
  expect.kind = BATON_MESSAGE_INBOUND;
  expect.body = "Perfect, merci ! See you at six.";
  baton_test_ui_wait_until (shows_message, &expect, 10000, "the live message");
  lookup.id = last_message (view)->id;
  baton_test_ui_wait_until (row_shown, &lookup, 10000, "the live message's row");
  baton_test_ui_wait_until (at_bottom, scroller, 10000, "the view to follow the new message");
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = server_message_ids (conversation_id);
  assert_same_order (view, ids);

  /* Resolve: the status, the buttons, and the server. */
  g_assert_true (gtk_widget_activate_action (widget, "conversation.resolve", NULL));
  baton_test_ui_wait_until (status_is, &resolved, 10000, "the resolved status");
  g_assert_false (gtk_widget_get_visible (resolve_button));
  g_assert_true (gtk_widget_get_visible (reopen_button));
  g_free (path);
  path = g_strdup_printf ("/api/v1/conversations/%s", conversation_id);
  stored = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (stored, "status"), ==, "resolved");
  /* Its activity line arrives through the stream. */
  baton_test_ui_wait_until (last_is_activity, view, 10000, "the resolve activity line");
  baton_test_ui_screenshot (GTK_WIDGET (window), "conversation");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  baton_test_ui_screenshot (GTK_WIDGET (window), "conversation-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  /* Folded into one pane (the window binds "folded" from its leaflet): the back button. */
  g_assert_false (gtk_widget_get_visible (find_widget (widget, is_button_for, "window.back")));
  baton_conversation_view_set_folded (view, TRUE);
  g_assert_true (gtk_widget_get_visible (find_widget (widget, is_button_for, "window.back")));
  gtk_window_set_default_size (window, 400, 720);
  baton_test_ui_screenshot (GTK_WIDGET (window), "conversation-narrow");
  baton_conversation_view_set_folded (view, FALSE);
  gtk_window_set_default_size (window, 800, 720);

  /* Reopen brings Resolve back. */
  g_assert_true (gtk_widget_activate_action (widget, "conversation.reopen", NULL));
  baton_test_ui_wait_until (status_is, &in_progress, 10000, "the reopened status");
  g_assert_true (gtk_widget_get_visible (resolve_button));
  g_assert_false (gtk_widget_get_visible (reopen_button));

  /* Closing it: the status page. */
  baton_conversation_view_set_conversation_id (view, NULL);
  g_assert_null (baton_conversation_view_get_conversation (view));
  g_assert_cmpuint (g_list_model_get_n_items (baton_conversation_view_get_messages (view)), ==, 0);
  g_assert_false (gtk_widget_get_visible (resolve_button));
  g_assert_false (gtk_widget_get_visible (reopen_button));

  baton_client_stop_stream (client);
  gtk_window_destroy (window);
}

static void
scroll_to_top (GtkScrolledWindow *scroller)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scroller);

  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_lower (adjustment));
}

static void
test_older (void)
{
  g_autoptr(BatonClient) client = NULL;
  g_autofree char *conversation_id = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) newest = g_ptr_array_new_with_free_func (g_free);
  GtkWindow *window = NULL;
  GtkWidget *widget = NULL;
  BatonConversationView *view = NULL;
  GtkScrolledWindow *scroller = NULL;
  Count count = { NULL, 50 };

  for (guint i = 1; i <= 64; i++)
    {
      g_autofree char *body = g_strdup_printf ("Order line %u", i);

      g_free (conversation_id);
      conversation_id = customer_writes ("+447700900777", "Harriet Cole", body, NULL);
    }
  ids = server_message_ids (conversation_id);
  g_assert_cmpuint (ids->len, >, 50);
  for (guint i = ids->len - 50; i < ids->len; i++)
    g_ptr_array_add (newest, g_strdup (ids->pdata[i]));

  client = signed_in_client ();
  widget = view_in_window (client, &window);
  view = BATON_CONVERSATION_VIEW (widget);
  count.view = view;
  scroller = GTK_SCROLLED_WINDOW (find_widget (widget, is_message_scroller, NULL));

  /* One page first: the newest 50, scrolled to the bottom. */
  baton_conversation_view_set_conversation_id (view, conversation_id);
  baton_test_ui_wait_until (has_n_messages, &count, 10000, "the first page");
  assert_same_order (view, newest);
  baton_test_ui_wait_until (at_bottom, scroller, 10000, "the view at the bottom");

  /* Scrolling up to the top loads the rest, in order. */
  scroll_to_top (scroller);
  count.n = ids->len;
  baton_test_ui_wait_until (has_n_messages, &count, 10000, "the older messages");
  assert_same_order (view, ids);

  baton_client_stop_stream (client);
  gtk_window_destroy (window);
}

static BatonMessage *
message_from (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return baton_message_from_json (node);
}

/* Each kind of row on its own, from messages the server may send. */
static void
test_rows (void)
{
  g_autofree char *now = time_ago (0);
  const char *messages[] = {
    "{\"id\":\"msg_1\",\"conversation_id\":\"cnv_1\",\"kind\":\"inbound\","
    "\"author\":{\"type\":\"contact\",\"id\":\"ctc_1\",\"name\":\"Chloé Lambert\"},"
    "\"body\":\"Here is the invoice and a photo of the scratch.\",\"attachments\":["
    "{\"id\":\"att_1\",\"kind\":\"document\",\"mime_type\":\"application/pdf\","
    "\"filename\":\"invoice-2291.pdf\",\"caption\":null,\"size\":48213,\"url\":null,\"data\":null},"
    "{\"id\":\"att_2\",\"kind\":\"image\",\"mime_type\":\"image/jpeg\",\"filename\":null,"
    "\"caption\":\"Rear fork\",\"size\":null,\"url\":null,\"data\":null}],"
    "\"reactions\":[{\"emoji\":\"👍\",\"author\":\"Ana\"},{\"emoji\":\"👍\",\"author\":\"Ben\"},"
    "{\"emoji\":\"❤️\",\"author\":\"Ana\"}],\"status\":null,\"error\":null,\"activity\":null,"
    "\"external_id\":null,\"in_reply_to\":null,\"created_at\":\"%s\"}",
    "{\"id\":\"msg_2\",\"conversation_id\":\"cnv_1\",\"kind\":\"outbound\","
    "\"author\":{\"type\":\"agent\",\"id\":\"agt_1\",\"name\":\"Ana Lima\"},"
    "\"body\":\"Thanks, we will look at it today.\",\"attachments\":[],\"reactions\":[],"
    "\"status\":\"failed\",\"error\":{\"code\":\"131047\",\"message\":\"Re-engagement message\"},"
    "\"activity\":null,\"external_id\":null,\"in_reply_to\":null,\"created_at\":\"%s\"}",
    "{\"id\":\"msg_3\",\"conversation_id\":\"cnv_1\",\"kind\":\"outbound\","
    "\"author\":{\"type\":\"agent\",\"id\":\"agt_1\",\"name\":\"Ana Lima\"},"
    "\"body\":\"Your bike is ready.\",\"attachments\":[],\"reactions\":[],"
    "\"status\":\"read\",\"error\":null,"
    "\"activity\":null,\"external_id\":null,\"in_reply_to\":null,\"created_at\":\"%s\"}",
    "{\"id\":\"msg_4\",\"conversation_id\":\"cnv_1\",\"kind\":\"activity\","
    "\"author\":{\"type\":\"system\",\"id\":null,\"name\":\"Baton\"},"
    "\"body\":\"Assigned to Ana Lima by Ben Ode\",\"attachments\":[],\"reactions\":[],"
    "\"status\":null,\"error\":null,\"activity\":{\"action\":\"assigned\",\"actor\":"
    "{\"type\":\"agent\",\"id\":\"agt_2\",\"name\":\"Ben Ode\"},\"from\":null,\"to\":null,"
    "\"via\":\"manual\"},\"external_id\":null,\"in_reply_to\":null,\"created_at\":\"%s\"}",
  };
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *rows[G_N_ELEMENTS (messages)];

  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    {
      g_autofree char *json = g_strdup_printf (messages[i], now);
      g_autoptr(BatonMessage) message = message_from (json);

      rows[i] = baton_message_row_new ();
      baton_message_row_set_message (BATON_MESSAGE_ROW (rows[i]), message);
      baton_message_row_set_show_day (BATON_MESSAGE_ROW (rows[i]), i == 0);
      gtk_box_append (GTK_BOX (box), rows[i]);
    }
  gtk_widget_add_css_class (box, "view");
  gtk_window_set_child (window, box);
  gtk_window_set_default_size (window, 640, -1);
  gtk_window_present (window);

  /* The failed reply says why on its status icon; the read one has no such tooltip. */
  {
    GtkWidget *icon = find_widget (rows[1], has_class, "delivery-status");
    GtkWidget *read_icon = find_widget (rows[2], has_class, "delivery-status");
    g_autofree char *tooltip = NULL;

    g_assert_nonnull (icon);
    g_assert_true (gtk_widget_has_css_class (icon, "error"));
    g_assert_true (gtk_widget_get_visible (read_icon));
    g_assert_cmpstr (gtk_widget_get_tooltip_text (read_icon), ==, "Read");
    g_assert_true (gtk_widget_get_visible (icon));
    tooltip = g_strdup (gtk_widget_get_tooltip_text (icon));
    g_assert_true (strstr (tooltip, "Re-engagement message") != NULL);
  }
  g_assert_true (baton_message_row_get_show_day (BATON_MESSAGE_ROW (rows[0])));
  g_assert_cmpstr (baton_message_row_get_message (BATON_MESSAGE_ROW (rows[3]))->body, ==,
                   "Assigned to Ana Lima by Ben Ode");
  baton_test_ui_screenshot (GTK_WIDGET (window), "message-rows");
  gtk_window_destroy (window);
}

/* The composer's text, as the agent sees it. */
static char *
composer_text (GtkWidget *view)
{
  GtkTextView *text_view = GTK_TEXT_VIEW (find_widget (view, is_type,
                                                       GSIZE_TO_POINTER (GTK_TYPE_TEXT_VIEW)));
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (text_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
assert_composer_text (GtkWidget  *view,
                      const char *expected)
{
  g_autofree char *text = composer_text (view);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_drafts (void)
{
  g_autoptr(BatonClient) client = signed_in_client ();
  g_autoptr(BatonClient) other = signed_in_client ();
  g_autofree char *first = customer_writes ("+33611110001", "Lou Martin",
                                            "Do you repair e-bikes?", NULL);
  g_autofree char *second = customer_writes ("+33611110002", "Noé Petit",
                                             "Are you open on Sunday?", NULL);
  GtkWindow *window = NULL;
  GtkWidget *widget = view_in_window (client, &window);
  BatonConversationView *view = BATON_CONVERSATION_VIEW (widget);

  /* What was typed and not sent waits for the agent to come back to its conversation. */
  baton_conversation_view_set_conversation_id (view, first);
  type_text (widget, "Yes, every brand.");
  baton_conversation_view_set_conversation_id (view, second);
  assert_composer_text (widget, "");
  type_text (widget, "Closed on Sundays, sorry.");
  baton_conversation_view_set_conversation_id (view, first);
  assert_composer_text (widget, "Yes, every brand.");
  baton_conversation_view_set_conversation_id (view, second);
  assert_composer_text (widget, "Closed on Sundays, sorry.");

  /* Emptied, the draft is gone. */
  type_text (widget, "");
  baton_conversation_view_set_conversation_id (view, first);
  assert_composer_text (widget, "Yes, every brand.");
  baton_conversation_view_set_conversation_id (view, second);
  assert_composer_text (widget, "");

  /* Drafts belong to the account that wrote them. */
  baton_conversation_view_set_client (view, other);
  baton_conversation_view_set_conversation_id (view, first);
  assert_composer_text (widget, "");

  baton_client_stop_stream (client);
  baton_client_stop_stream (other);
  gtk_window_destroy (window);
}

static gboolean
is_shown_retry (GtkWidget *widget,
                gpointer   data)
{
  return is_button_for (widget, "thread.retry") && gtk_widget_get_mapped (widget);
}

static guint
count_on_server (const char *conversation_id,
                 const char *body)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/messages?limit=500",
                                           conversation_id);
  g_autoptr(JsonNode) page = baton_test_expect (server, "GET", path, server->manager_token, NULL,
                                                200, NULL);
  JsonArray *items = json_object_get_array_member (json_node_get_object (page), "items");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (items); i++)
    n += g_strcmp0 (json_object_get_string_member (json_array_get_object_element (items, i),
                                                   "body"), body) == 0;
  return n;
}

/* The server stops answering (SIGSTOP) as the agent sends: the reply shows at once, being
 * sent, then not sent with Retry and its text; the server back, Retry sends it with the
 * same client_id, and the customer gets it once though the server also took the first
 * request. */
static void
test_send_offline (void)
{
  g_autoptr(BatonClient) client = signed_in_client ();
  g_autofree char *conversation_id = customer_writes ("+33639911223", "Paul Martin",
                                                      "Is my bike ready?", NULL);
  const char *body = "Yes, it has been ready since noon.";
  GtkWindow *window = NULL;
  GtkWidget *widget = view_in_window (client, &window);
  BatonConversationView *view = BATON_CONVERSATION_VIEW (widget);
  Expect expect = { view, BATON_MESSAGE_INBOUND, "Is my bike ready?" };
  ReplyWait wait = { view, BATON_MESSAGE_OUTBOUND, body, BATON_MESSAGE_STATUS_SENDING };
  RowLookup lookup = { widget, NULL };
  g_autofree char *local_id = NULL;
  GtkWidget *retry = NULL;

  baton_conversation_view_set_conversation_id (view, conversation_id);
  baton_test_ui_wait_until (shows_message, &expect, 10000, "the customer's message");

  baton_test_server_pause (server);
  type_text (widget, body);
  g_assert_true (gtk_widget_activate_action (widget, "conversation.send", NULL));
  /* At once, before any answer: in the thread as being sent, the composer free. */
  g_assert_true (reply_is (&wait));
  g_assert_true (composer_empty (widget));
  /* (a copy: the message it comes from is replaced as its state changes) */
  local_id = g_strdup (newest_of_kind (view, BATON_MESSAGE_OUTBOUND)->id);
  lookup.id = local_id;
  g_assert_true (g_str_has_prefix (lookup.id, BATON_MESSAGE_LOCAL_PREFIX));
  baton_test_ui_wait_until (row_shown, &lookup, 10000, "the pending reply's row");
  g_assert_null (find_widget (widget, is_shown_retry, NULL));
  baton_test_ui_screenshot (GTK_WIDGET (window), "conversation-sending");

  /* No answer within the call's timeout: not sent, its text kept, a Retry. */
  wait.status = BATON_MESSAGE_STATUS_UNSENT;
  baton_test_ui_wait_until (reply_is, &wait, 30000, "the reply to count as not sent");
  baton_test_ui_wait_until (row_shown, &lookup, 10000, "the unsent reply's row");
  retry = find_widget (widget, is_shown_retry, NULL);
  g_assert_nonnull (retry);
  baton_test_ui_screenshot (GTK_WIDGET (window), "conversation-unsent");

  baton_test_server_resume (server);
  gtk_widget_activate (retry);
  wait.status = "sent";
  baton_test_ui_wait_until (reply_is, &wait, 30000, "the retried reply to be sent");
  g_assert_false (g_str_has_prefix (newest_of_kind (view, BATON_MESSAGE_OUTBOUND)->id,
                                    BATON_MESSAGE_LOCAL_PREFIX));
  g_assert_cmpuint (count_on_server (conversation_id, body), ==, 1);
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
  baton_test_ui_load_stylesheet ();
  server = baton_test_server_new (NULL);
  channel_id = baton_test_create_channel (server, NULL, &channel_secret);

  g_test_add_func ("/ui/conversation/thread", test_thread);
  g_test_add_func ("/ui/conversation/older", test_older);
  g_test_add_func ("/ui/conversation/rows", test_rows);
  g_test_add_func ("/ui/conversation/drafts", test_drafts);
  g_test_add_func ("/ui/conversation/send-offline", test_send_offline);

  status = g_test_run ();
  baton_test_server_free (server);
  g_free (channel_id);
  g_free (channel_secret);
  return status;
}
