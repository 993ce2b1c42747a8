/* test-ui-seen.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-conversation-view.h"
#include "baton-inbox-item.h"
#include "baton-inbox-row.h"
#include "baton-test-server.h"
#include "baton-test-ui.h"
#include "baton-window.h"

/* Read state in the window against a real batond: unread rows and the unread counts of the
 * filters, a thread marked seen only while it is on screen in the active window, and the
 * read state kept across a restart of the app. */

#define AGENT_EMAIL "una@example.com"

static BatonTestServer *server;
static char *channel_id;
static char *channel_secret;
static char *team_id;

/* A customer writes; returns the conversation id. */
static char *
customer_writes (const char *phone,
                 const char *name,
                 const char *body)
{
  g_autofree char *json = baton_test_strdup_printf_json ("{\"from\":%s,\"name\":%s,\"body\":%s}",
                                                         phone, name, body);
  g_autoptr(JsonNode) reply = baton_test_inbound_expect (server, channel_id, channel_secret,
                                                         json, 202, NULL);

  return g_strdup (baton_test_get_string (reply, "conversation_id"));
}

static void
assign_to (const char *conversation_id,
           const char *agent_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/assignment",
                                           conversation_id);
  g_autofree char *body = g_strdup_printf ("{\"team_id\":\"%s\",\"assignee_ids\":[\"%s\"]}",
                                           team_id, agent_id);
  g_autoptr(JsonNode) reply = baton_test_expect (server, "PUT", path, server->manager_token,
                                                 body, 200, NULL);
}

static BatonWindow *
open_window (BatonClient *client)
{
  BatonWindow *window = baton_window_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  gtk_window_present (GTK_WINDOW (window));
  baton_window_set_client (window, client);
  return window;
}

typedef struct {
  BatonWindow *window;
  const char *conversation_id;
  gint64 unread;
  /* the customer's messages the item knows of, or -1: any */
  gint64 inbound;
} Unread;

static gboolean
has_unread (gpointer user_data)
{
  Unread *expected = user_data;
  GListModel *inbox = baton_window_get_inbox (expected->window);

  for (guint i = 0; inbox && i < g_list_model_get_n_items (inbox); i++)
    {
      g_autoptr(BatonInboxItem) item = g_list_model_get_item (inbox, i);

      if (g_str_equal (baton_inbox_item_get_id (item), expected->conversation_id))
        return baton_inbox_item_get_unread_count (item) == expected->unread
               && (expected->inbound < 0
                   || baton_inbox_item_get_conversation (item)->inbound_count
                      == expected->inbound);
    }
  return FALSE;
}

static void
wait_unread (BatonWindow *window,
             const char  *conversation_id,
             gint64       unread,
             const char  *what)
{
  Unread expected = { window, conversation_id, unread, -1 };

  baton_test_ui_wait_until (has_unread, &expected, 20000, what);
}

/* The drop-down whose entry at position reads text. */
typedef struct {
  guint position;
  const char *text;
} Entry;

static gboolean
is_dropdown_with (GtkWidget     *widget,
                  gconstpointer  data)
{
  const Entry *entry = data;
  GListModel *model = GTK_IS_DROP_DOWN (widget) ? gtk_drop_down_get_model (GTK_DROP_DOWN (widget))
                                                : NULL;

  return GTK_IS_STRING_LIST (model) && g_list_model_get_n_items (model) > entry->position
         && g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), entry->position),
                       entry->text) == 0;
}

typedef struct {
  GtkWidget *window;
  Entry entry;
} Shown;

static gboolean
entry_shown (gpointer user_data)
{
  Shown *shown = user_data;

  return baton_test_ui_find (shown->window, is_dropdown_with, &shown->entry) != NULL;
}

static void
wait_entry (BatonWindow *window,
            guint        position,
            const char  *text)
{
  Shown shown = { GTK_WIDGET (window), { position, text } };

  baton_test_ui_wait_until (entry_shown, &shown, 20000, text);
}

static gboolean
is_row_of (GtkWidget     *widget,
           gconstpointer  conversation_id)
{
  BatonInboxItem *item = NULL;

  if (!BATON_IS_INBOX_ROW (widget))
    return FALSE;
  g_object_get (widget, "item", &item, NULL);
  if (item == NULL)
    return FALSE;
  g_object_unref (item);
  return g_str_equal (baton_inbox_item_get_id (item), conversation_id);
}

static gboolean
is_visible_image_with_tooltip (GtkWidget     *widget,
                               gconstpointer  tooltip)
{
  return GTK_IS_IMAGE (widget) && gtk_widget_get_visible (widget)
         && g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0;
}

static gboolean
stack_settled (gpointer user_data)
{
  return !gtk_stack_get_transition_running (user_data);
}

static gboolean
is_mapped (gpointer user_data)
{
  return gtk_widget_get_mapped (user_data);
}

static gboolean
is_active (gpointer user_data)
{
  return gtk_window_is_active (user_data);
}

static gboolean
has_messages (gpointer user_data)
{
  GListModel *messages = baton_conversation_view_get_messages (user_data);

  return messages && g_list_model_get_n_items (messages) > 0;
}

static void
test_unread_and_seen (void)
{
  g_autoptr(BatonClient) client = baton_test_ui_sign_in (server->url, AGENT_EMAIL,
                                                         BATON_TEST_PASSWORD);
  g_autoptr(BatonClient) restarted = NULL;
  g_autoptr(GtkWidget) other = NULL;
  g_autofree char *agent_id = g_strdup (baton_client_get_me (client)->id);
  g_autofree char *zara = customer_writes ("+447700900901", "Zara Quinn", "My order is late");
  g_autofree char *omar = customer_writes ("+447700900902", "Omar Haddad", "Can I return it?");
  BatonWindow *window = NULL;
  GtkWidget *row = NULL;
  GtkWidget *view = NULL;

  assign_to (zara, agent_id);
  assign_to (omar, agent_id);
  window = open_window (client);
  baton_test_ui_wait_until (is_active, window, 20000, "the window active");

  /* Both unread, counted on Mine and on the team. */
  wait_unread (window, zara, 1, "Zara's conversation unread");
  wait_unread (window, omar, 1, "Omar's conversation unread");
  wait_entry (window, 0, "Mine · 2");
  wait_entry (window, 1, "Support · 2");
  row = baton_test_ui_find (GTK_WIDGET (window), is_row_of, zara);
  g_assert_nonnull (row);
  g_assert_nonnull (baton_test_ui_find (row, is_visible_image_with_tooltip,
                                        "1 unread message"));
  baton_test_ui_wait_until (is_mapped, row, 20000, "the row on screen");
  /* the team filter picked shows its count on the button too */
  {
    Entry support = { 1, "Support · 2" };
    GtkWidget *teams = baton_test_ui_find (GTK_WIDGET (window), is_dropdown_with, &support);

    gtk_drop_down_set_selected (GTK_DROP_DOWN (teams), 1);
    wait_unread (window, zara, 1, "Zara's conversation in the team's list");
    row = baton_test_ui_find (GTK_WIDGET (window), is_row_of, zara);
    baton_test_ui_wait_until (is_mapped, row, 20000, "the team's rows on screen");
  }
  baton_test_ui_wait_until (stack_settled, baton_test_ui_find_type (GTK_WIDGET (window),
                                                                   GTK_TYPE_STACK),
                            10000, "the inbox shown");
  baton_test_ui_screenshot (GTK_WIDGET (window), "unread-counts");

  /* Open while another window is active: nothing is seen. */
  other = gtk_window_new ();
  gtk_window_present (GTK_WINDOW (other));
  baton_test_ui_wait_until (is_active, other, 20000, "another window active");
  view = baton_test_ui_find_type (GTK_WIDGET (window), BATON_TYPE_CONVERSATION_VIEW);
  baton_window_open_conversation (window, zara);
  baton_test_ui_wait_until (has_messages, view, 20000, "Zara's thread");
  g_usleep (300 * 1000);
  wait_unread (window, zara, 1, "Zara's conversation still unread");

  /* The window active again: the thread on screen is seen, the other one is not. */
  gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&other)));
  gtk_window_present (GTK_WINDOW (window));
  baton_test_ui_wait_until (is_active, window, 20000, "the window active again");
  wait_unread (window, zara, 0, "Zara's conversation seen");
  wait_entry (window, 0, "Mine · 1");
  wait_entry (window, 1, "Support · 1");
  wait_unread (window, omar, 1, "Omar's conversation still unread");
  baton_test_ui_screenshot (GTK_WIDGET (window), "unread-counts-after-seen");

  /* A new message in the thread on screen is seen at once: both of hers are seen. */
  g_free (customer_writes ("+447700900901", "Zara Quinn", "Any news?"));
  {
    Unread both_seen = { window, zara, 0, 2 };

    baton_test_ui_wait_until (has_unread, &both_seen, 20000, "Zara's new message seen");
  }
  baton_client_stop_stream (client);
  gtk_window_destroy (GTK_WINDOW (window));

  /* A restart of the app (a new client) finds what was seen. */
  restarted = baton_test_ui_sign_in (server->url, AGENT_EMAIL, BATON_TEST_PASSWORD);
  window = open_window (restarted);
  wait_unread (window, omar, 1, "Omar's conversation unread after the restart");
  wait_unread (window, zara, 0, "Zara's conversation seen after the restart");
  wait_entry (window, 0, "Mine · 1");
  baton_client_stop_stream (restarted);
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
  server = baton_test_server_new (NULL);
  channel_id = baton_test_create_channel (server, NULL, &channel_secret);
  {
    g_autofree char *una = baton_test_create_agent (server, "Una Reid", AGENT_EMAIL, "agent",
                                                    NULL);
    g_autofree char *team_body = g_strdup_printf ("{\"name\":\"Support\",\"member_ids\":[\"%s\"]}",
                                                  una);

    g_autoptr(JsonNode) team = baton_test_expect (server, "POST", "/api/v1/teams",
                                                  server->manager_token, team_body, 201, NULL);

    team_id = g_strdup (baton_test_get_string (team, "id"));
  }

  g_test_add_func ("/ui/seen/unread-and-seen", test_unread_and_seen);

  status = g_test_run ();
  baton_test_server_free (server);
  return status;
}
