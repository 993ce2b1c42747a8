/* baton-seen-tracker.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-seen-tracker"

#include "config.h"

#include "baton-message-item.h"
#include "baton-seen-tracker.h"

struct _BatonSeenTracker
{
  GObject parent_instance;

  /* borrowed: the window owns the tracker and these widgets */
  GtkWindow *window;
  AdwLeaflet *leaflet;
  BatonConversationView *view;

  /* owned */
  BatonInbox *inbox;

  /* state: what was last sent, so that it is sent once */
  char *sent_conversation_id;
  char *sent_message_id;
  guint check_id;
};

G_DEFINE_FINAL_TYPE (BatonSeenTracker, baton_seen_tracker, G_TYPE_OBJECT)

static gboolean
on_screen (BatonSeenTracker *self)
{
  return gtk_window_is_active (self->window)
         && gtk_widget_get_mapped (GTK_WIDGET (self->view))
         && (!adw_leaflet_get_folded (self->leaflet)
             || adw_leaflet_get_visible_child (self->leaflet) == GTK_WIDGET (self->view));
}

/* The newest message of the thread shown (the model keeps it), or NULL. */
static BatonMessage *
newest_message (BatonSeenTracker *self)
{
  GListModel *messages = baton_conversation_view_get_messages (self->view);
  guint n = messages ? g_list_model_get_n_items (messages) : 0;
  g_autoptr(BatonMessageItem) item = n > 0 ? g_list_model_get_item (messages, n - 1) : NULL;

  return item ? baton_message_item_get_message (item) : NULL;
}

/* Only what this tracker sent counts: the inbox's unread count may still be the one before
 * the message that just arrived (its conversation.updated and the message come apart), and
 * the server never moves a read position back, so sending once more is harmless. */
static gboolean
already_seen (BatonSeenTracker *self,
              const char       *conversation_id,
              const char       *message_id)
{
  return g_strcmp0 (self->sent_conversation_id, conversation_id) == 0
         && g_strcmp0 (self->sent_message_id, message_id) == 0;
}

static void
seen_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonSeen) seen = baton_client_mark_seen_finish (BATON_CLIENT (source), result,
                                                             &error);

  /* Best effort: the next message or visit sends it again. */
  if (seen == NULL)
    g_debug ("Cannot mark the conversation seen: %s", error->message);
}

static void
check (BatonSeenTracker *self)
{
  const char *conversation_id = baton_conversation_view_get_conversation_id (self->view);
  BatonClient *client = baton_conversation_view_get_client (self->view);
  BatonMessage *newest = NULL;

  if (conversation_id == NULL || client == NULL || !on_screen (self))
    return;
  newest = newest_message (self);
  /* the list may still show the thread before (it loads asynchronously) */
  if (newest == NULL || g_strcmp0 (newest->conversation_id, conversation_id) != 0
      || already_seen (self, conversation_id, newest->id))
    return;
  g_free (self->sent_conversation_id);
  g_free (self->sent_message_id);
  self->sent_conversation_id = g_strdup (conversation_id);
  self->sent_message_id = g_strdup (newest->id);
  baton_client_mark_seen_async (client, conversation_id, newest->id, NULL, seen_cb, NULL);
}

static void
check_due_cb (gpointer user_data)
{
  BatonSeenTracker *self = user_data;

  self->check_id = 0;
  check (self);
}

/* Several changes come together (a conversation opened, its messages loaded): one check. */
static void
queue_check (BatonSeenTracker *self)
{
  if (self->check_id == 0)
    self->check_id = g_timeout_add_once (0, check_due_cb, self);
}

static void
baton_seen_tracker_dispose (GObject *object)
{
  BatonSeenTracker *self = BATON_SEEN_TRACKER (object);

  g_clear_handle_id (&self->check_id, g_source_remove);
  g_clear_object (&self->inbox);

  G_OBJECT_CLASS (baton_seen_tracker_parent_class)->dispose (object);
}

static void
baton_seen_tracker_finalize (GObject *object)
{
  BatonSeenTracker *self = BATON_SEEN_TRACKER (object);

  g_free (self->sent_conversation_id);
  g_free (self->sent_message_id);

  G_OBJECT_CLASS (baton_seen_tracker_parent_class)->finalize (object);
}

static void
baton_seen_tracker_class_init (BatonSeenTrackerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = baton_seen_tracker_dispose;
  object_class->finalize = baton_seen_tracker_finalize;
}

static void
baton_seen_tracker_init (BatonSeenTracker *self)
{
}

BatonSeenTracker *
baton_seen_tracker_new (GtkWindow             *window,
                        AdwLeaflet            *leaflet,
                        BatonConversationView *view)
{
  BatonSeenTracker *self = NULL;

  g_return_val_if_fail (GTK_IS_WINDOW (window), NULL);
  g_return_val_if_fail (ADW_IS_LEAFLET (leaflet), NULL);
  g_return_val_if_fail (BATON_IS_CONVERSATION_VIEW (view), NULL);

  self = g_object_new (BATON_TYPE_SEEN_TRACKER, NULL);
  self->window = window;
  self->leaflet = leaflet;
  self->view = view;
  g_signal_connect_object (window, "notify::is-active", G_CALLBACK (queue_check), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (leaflet, "notify::folded", G_CALLBACK (queue_check), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (leaflet, "notify::visible-child", G_CALLBACK (queue_check), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (view, "notify::conversation-id", G_CALLBACK (queue_check), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (view, "map", G_CALLBACK (queue_check), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (baton_conversation_view_get_messages (view), "items-changed",
                           G_CALLBACK (queue_check), self, G_CONNECT_SWAPPED);
  return self;
}

void
baton_seen_tracker_set_inbox (BatonSeenTracker *self,
                              BatonInbox       *inbox)
{
  g_return_if_fail (BATON_IS_SEEN_TRACKER (self));
  g_return_if_fail (inbox == NULL || BATON_IS_INBOX (inbox));

  if (!g_set_object (&self->inbox, inbox))
    return;
  /* an item that becomes unread while shown (its conversation.updated) is seen again */
  if (inbox)
    g_signal_connect_object (inbox, "items-changed", G_CALLBACK (queue_check), self,
                             G_CONNECT_SWAPPED);
  queue_check (self);
}
