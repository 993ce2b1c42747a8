/* baton-thread-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-thread-view"

#include "config.h"

#include "baton-describe.h"
#include "baton-message-list.h"
#include "baton-message-row.h"
#include "baton-thread-view.h"
#include "baton-toast.h"

struct _BatonThreadView
{
  AdwBin parent_instance;

  /* template widgets */
  GtkScrolledWindow *scroller;
  GtkListView *message_list;
  GtkWidget *loading_spinner;

  /* owned refs */
  BatonClient *client;
  BatonAttachmentCache *attachment_cache;
  /* the open conversation's messages (a BatonMessageList), and the model the list view
   * shows: it, flattened out of a store that holds it or nothing */
  BatonMessageList *thread;
  GListStore *threads;
  GtkFlattenListModel *messages;
  /* the rows bound now, by message id (not reffed: unbind removes them) */
  GHashTable *rows_by_id;

  /* state */
  char *conversation_id;
  gboolean loading_older;
  /* how many messages were listed when an older page was asked for */
  guint n_before_older;
  /* follow new messages: the view is at the bottom (or was just opened) */
  gboolean stick_to_bottom;
  double last_scroll_value;
  guint older_idle_id;
  guint bottom_idle_id;
};

G_DEFINE_FINAL_TYPE (BatonThreadView, baton_thread_view, ADW_TYPE_BIN)

#define PAGE_SIZE 50
/* How close to the bottom (px) still counts as "at the bottom". */
#define BOTTOM_SLACK 24.0

static gboolean
same_day (gint64 a_ms,
          gint64 b_ms)
{
  g_autoptr(GDateTime) a_utc = g_date_time_new_from_unix_utc (a_ms / 1000);
  g_autoptr(GDateTime) b_utc = g_date_time_new_from_unix_utc (b_ms / 1000);
  g_autoptr(GDateTime) a = a_utc ? g_date_time_to_local (a_utc) : NULL;
  g_autoptr(GDateTime) b = b_utc ? g_date_time_to_local (b_utc) : NULL;

  return a && b && g_date_time_get_year (a) == g_date_time_get_year (b)
         && g_date_time_get_day_of_year (a) == g_date_time_get_day_of_year (b);
}

static BatonMessage *
message_at (BatonThreadView *self,
            guint            position)
{
  g_autoptr(BatonMessageItem) item = g_list_model_get_item (G_LIST_MODEL (self->messages),
                                                            position);

  return item ? baton_message_item_get_message (item) : NULL;
}

static BatonMessage *
lookup_message (BatonThreadView *self,
                const char      *message_id)
{
  return self->thread && message_id ? baton_message_list_lookup (self->thread, message_id) : NULL;
}

/* Whether the message at position starts a day, told to its row if one is bound. */
static void
refresh_day (BatonThreadView *self,
             guint            position)
{
  BatonMessage *message = message_at (self, position);
  BatonMessage *previous = position > 0 ? message_at (self, position - 1) : NULL;
  BatonMessageRow *row = message ? g_hash_table_lookup (self->rows_by_id, message->id) : NULL;

  if (row)
    baton_message_row_set_show_day (row, previous == NULL
                                         || !same_day (previous->created_at,
                                                       message->created_at));
}

/* A message an answer brought (a reply, a template): the thread adds it once, whichever of
 * the answer and the stream comes first. */
static void
put_message (BatonThreadView *self,
             BatonMessage    *message)
{
  if (self->thread && message && message->id)
    baton_message_list_put (self->thread, message);
}

static void
scroll_to_bottom (BatonThreadView *self)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  double bottom = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

  gtk_adjustment_set_value (adjustment, MAX (bottom, 0));
  self->last_scroll_value = gtk_adjustment_get_value (adjustment);
}

static void
update_loading (BatonThreadView *self)
{
  gtk_widget_set_visible (self->loading_spinner,
                          self->thread && baton_message_list_get_loading (self->thread));
}

/* A page came: an older one keeps the view where it was and may end a day's first row; the
 * newest one shows the bottom. */
static void
thread_loaded (BatonThreadView *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->messages));
  guint added = n - MIN (n, self->n_before_older);
  GHashTableIter iter;
  gpointer row = NULL;

  update_loading (self);
  if (!self->loading_older)
    {
      self->stick_to_bottom = TRUE;
      scroll_to_bottom (self);
      return;
    }
  self->loading_older = FALSE;
  /* Replies on screen now find the messages they quote. */
  g_hash_table_iter_init (&iter, self->rows_by_id);
  while (added > 0 && g_hash_table_iter_next (&iter, NULL, &row))
    {
      BatonMessage *shown = baton_message_row_get_message (row);

      if (shown && shown->in_reply_to)
        baton_message_row_set_quoted (row, lookup_message (self, shown->in_reply_to));
    }
  /* The message that was first may no longer start a day. */
  if (added > 0 && self->n_before_older > 0)
    refresh_day (self, added);
}

static void
thread_loading_cb (BatonThreadView *self)
{
  if (baton_message_list_get_loading (self->thread))
    update_loading (self);
  else
    thread_loaded (self);
}

static void
thread_failed_cb (BatonThreadView *self,
                  GError          *error)
{
  self->loading_older = FALSE;
  update_loading (self);
  baton_toast_tell (GTK_WIDGET (self), baton_describe_error (error));
}

/* The open conversation's messages: a list of their own, read from the newest page. */
static void
open_thread (BatonThreadView *self)
{
  self->thread = baton_message_list_new (self->client, self->conversation_id);
  baton_message_list_set_page_size (self->thread, PAGE_SIZE);
  g_signal_connect_swapped (self->thread, "notify::loading", G_CALLBACK (thread_loading_cb),
                            self);
  g_signal_connect_swapped (self->thread, "load-failed", G_CALLBACK (thread_failed_cb), self);
  g_list_store_append (self->threads, self->thread);
  baton_message_list_reload (self->thread);
  update_loading (self);
}

/* Another conversation or client: its messages, read from the newest page. */
static void
reopen (BatonThreadView *self)
{
  if (self->thread)
    g_signal_handlers_disconnect_by_data (self->thread, self);
  g_list_store_remove_all (self->threads);
  g_clear_object (&self->thread);
  self->loading_older = FALSE;
  update_loading (self);
  if (self->conversation_id == NULL || self->client == NULL)
    return;
  self->stick_to_bottom = TRUE;
  open_thread (self);
}

static void
load_older_cb (gpointer user_data)
{
  BatonThreadView *self = user_data;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);

  self->older_idle_id = 0;
  /* Only a move up to the top asks for more: not a list that is still settling at the top
   * before it scrolls down. */
  if (self->stick_to_bottom || self->thread == NULL
      || !baton_message_list_get_has_older (self->thread)
      || baton_message_list_get_loading (self->thread)
      || gtk_adjustment_get_value (adjustment) > gtk_adjustment_get_lower (adjustment) + BOTTOM_SLACK)
    return;
  self->loading_older = TRUE;
  self->n_before_older = g_list_model_get_n_items (G_LIST_MODEL (self->messages));
  baton_message_list_load_older (self->thread);
}

static void
edge_reached_cb (BatonThreadView *self,
                 GtkPositionType  position)
{
  /* Decide once the scroll has been seen whole (the scrolled window tells first). */
  if (position == GTK_POS_TOP && self->older_idle_id == 0)
    self->older_idle_id = g_idle_add_once (load_older_cb, self);
}

static void
scroll_value_changed_cb (BatonThreadView *self,
                         GtkAdjustment   *adjustment)
{
  double value = gtk_adjustment_get_value (adjustment);
  double bottom = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

  /* Only a move up leaves the bottom: growing content or rows measured late do not. */
  if (value >= bottom - BOTTOM_SLACK)
    self->stick_to_bottom = TRUE;
  else if (value < self->last_scroll_value - 1)
    self->stick_to_bottom = FALSE;
  self->last_scroll_value = value;
}

static void
follow_bottom_cb (gpointer user_data)
{
  BatonThreadView *self = user_data;

  self->bottom_idle_id = 0;
  if (self->stick_to_bottom)
    scroll_to_bottom (self);
}

static void
scroll_changed_cb (BatonThreadView *self,
                   GtkAdjustment   *adjustment)
{
  /* Not from within the change: the list view changes its adjustment while it lays out,
   * and ignores a value set then (its scroll anchor would stay where it was). */
  if (self->stick_to_bottom && self->bottom_idle_id == 0)
    self->bottom_idle_id = g_idle_add_once (follow_bottom_cb, self);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              BatonThreadView          *self)
{
  GtkWidget *row = baton_message_row_new ();

  gtk_list_item_set_activatable (list_item, FALSE);
  gtk_list_item_set_selectable (list_item, FALSE);
  baton_message_row_set_attachment_cache (BATON_MESSAGE_ROW (row), self->attachment_cache);
  gtk_list_item_set_child (list_item, row);
}

static void
item_changed_cb (BatonMessageItem *item,
                 GParamSpec       *pspec,
                 BatonMessageRow  *row)
{
  baton_message_row_set_message (row, baton_message_item_get_message (item));
}

static void
item_progress_cb (BatonMessageItem *item,
                  GParamSpec       *pspec,
                  BatonMessageRow  *row)
{
  baton_message_row_set_progress (row, baton_message_item_get_progress (item));
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             BatonThreadView          *self)
{
  BatonMessageRow *row = BATON_MESSAGE_ROW (gtk_list_item_get_child (list_item));
  BatonMessageItem *item = gtk_list_item_get_item (list_item);
  guint position = gtk_list_item_get_position (list_item);
  BatonMessage *message = baton_message_item_get_message (item);
  BatonMessage *previous = position > 0 ? message_at (self, position - 1) : NULL;
  BatonMessage *quoted = lookup_message (self, message->in_reply_to);

  /* The client may have changed since the row was made. */
  baton_message_row_set_attachment_cache (row, self->attachment_cache);
  baton_message_row_set_quoted (row, quoted);
  baton_message_row_set_message (row, message);
  if (message)
    g_hash_table_replace (self->rows_by_id, g_strdup (message->id), row);
  baton_message_row_set_show_day (row, previous == NULL
                                       || !same_day (previous->created_at, message->created_at));
  /* A new state of the message (delivery ticks) shows in place. */
  g_signal_connect_object (item, "notify::message", G_CALLBACK (item_changed_cb), row, 0);
  /* and so does the upload of its files */
  baton_message_row_set_progress (row, baton_message_item_get_progress (item));
  g_signal_connect_object (item, "notify::progress", G_CALLBACK (item_progress_cb), row, 0);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               BatonThreadView          *self)
{
  BatonMessageRow *row = BATON_MESSAGE_ROW (gtk_list_item_get_child (list_item));
  BatonMessage *message = baton_message_row_get_message (row);
  BatonMessageItem *item = gtk_list_item_get_item (list_item);

  if (item)
    {
      g_signal_handlers_disconnect_by_func (item, item_changed_cb, row);
      g_signal_handlers_disconnect_by_func (item, item_progress_cb, row);
    }
  baton_message_row_set_progress (row, -1);
  if (message && g_hash_table_lookup (self->rows_by_id, message->id) == row)
    g_hash_table_remove (self->rows_by_id, message->id);
  baton_message_row_set_message (row, NULL);
  baton_message_row_set_quoted (row, NULL);
}

/* An unsent reply's Retry button: the same client_id, so that it is written once. */
static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  BatonThreadView *self = BATON_THREAD_VIEW (widget);

  if (self->thread)
    baton_message_list_retry (self->thread, g_variant_get_string (parameter, NULL));
}

static void
baton_thread_view_dispose (GObject *object)
{
  BatonThreadView *self = BATON_THREAD_VIEW (object);

  g_clear_handle_id (&self->older_idle_id, g_source_remove);
  g_clear_handle_id (&self->bottom_idle_id, g_source_remove);
  if (self->thread)
    g_signal_handlers_disconnect_by_data (self->thread, self);
  if (self->message_list)
    gtk_list_view_set_model (self->message_list, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), BATON_TYPE_THREAD_VIEW);
  g_clear_object (&self->client);
  g_clear_object (&self->attachment_cache);
  g_clear_object (&self->messages);
  g_clear_object (&self->threads);
  g_clear_object (&self->thread);
  g_clear_pointer (&self->rows_by_id, g_hash_table_unref);

  G_OBJECT_CLASS (baton_thread_view_parent_class)->dispose (object);
}

static void
baton_thread_view_finalize (GObject *object)
{
  BatonThreadView *self = BATON_THREAD_VIEW (object);

  g_free (self->conversation_id);

  G_OBJECT_CLASS (baton_thread_view_parent_class)->finalize (object);
}

static void
baton_thread_view_class_init (BatonThreadViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = baton_thread_view_dispose;
  object_class->finalize = baton_thread_view_finalize;

  g_type_ensure (BATON_TYPE_MESSAGE_ROW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/baton/Baton/ui/baton-thread-view.ui");
  gtk_widget_class_bind_template_child (widget_class, BatonThreadView, scroller);
  gtk_widget_class_bind_template_child (widget_class, BatonThreadView, message_list);
  gtk_widget_class_bind_template_child (widget_class, BatonThreadView, loading_spinner);
  gtk_widget_class_bind_template_callback (widget_class, edge_reached_cb);

  gtk_widget_class_install_action (widget_class, "thread.retry", "s", retry_action);
}

static void
baton_thread_view_init (BatonThreadView *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkAdjustment *adjustment = NULL;
  GtkNoSelection *selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->threads = g_list_store_new (BATON_TYPE_MESSAGE_LIST);
  self->messages = gtk_flatten_list_model_new (g_object_ref (G_LIST_MODEL (self->threads)));
  self->rows_by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  gtk_list_view_set_factory (self->message_list, factory);
  g_object_unref (factory);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->messages)));
  gtk_list_view_set_model (self->message_list, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);

  adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (scroll_value_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (adjustment, "changed", G_CALLBACK (scroll_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

GtkWidget *
baton_thread_view_new (void)
{
  return g_object_new (BATON_TYPE_THREAD_VIEW, NULL);
}

void
baton_thread_view_set_client (BatonThreadView *self,
                              BatonClient     *client)
{
  g_return_if_fail (BATON_IS_THREAD_VIEW (self));
  g_return_if_fail (client == NULL || BATON_IS_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;
  g_clear_object (&self->attachment_cache);
  if (client)
    self->attachment_cache = baton_attachment_cache_new (client);
  reopen (self);
}

void
baton_thread_view_set_conversation_id (BatonThreadView *self,
                                       const char      *conversation_id)
{
  g_return_if_fail (BATON_IS_THREAD_VIEW (self));

  if (g_strcmp0 (self->conversation_id, conversation_id) == 0)
    return;
  g_free (self->conversation_id);
  self->conversation_id = g_strdup (conversation_id);
  reopen (self);
}

GListModel *
baton_thread_view_get_messages (BatonThreadView *self)
{
  g_return_val_if_fail (BATON_IS_THREAD_VIEW (self), NULL);

  return G_LIST_MODEL (self->messages);
}

BatonMessage *
baton_thread_view_lookup_message (BatonThreadView *self,
                                  const char      *message_id)
{
  g_return_val_if_fail (BATON_IS_THREAD_VIEW (self), NULL);
  g_return_val_if_fail (message_id != NULL, NULL);

  return lookup_message (self, message_id);
}

BatonAttachmentCache *
baton_thread_view_get_attachment_cache (BatonThreadView *self)
{
  g_return_val_if_fail (BATON_IS_THREAD_VIEW (self), NULL);

  return self->attachment_cache;
}

void
baton_thread_view_add_message (BatonThreadView *self,
                               BatonMessage    *message)
{
  g_return_if_fail (BATON_IS_THREAD_VIEW (self));

  self->stick_to_bottom = TRUE;
  put_message (self, message);
  scroll_to_bottom (self);
}

BatonMessageList *
baton_thread_view_get_thread (BatonThreadView *self)
{
  g_return_val_if_fail (BATON_IS_THREAD_VIEW (self), NULL);

  return self->thread;
}
