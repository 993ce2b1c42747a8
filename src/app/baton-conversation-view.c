/* baton-conversation-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-conversation-view"

#include "config.h"

#include <glib/gi18n.h>

#include "baton-attachment-cache.h"
#include "baton-composer.h"
#include "baton-conversation-view.h"
#include "baton-message-list.h"
#include "baton-message-row.h"
#include "baton-reply-window.h"
#include "baton-template-picker.h"
#include "baton-toast.h"

struct _BatonConversationView
{
  AdwBin parent_instance;

  /* template widgets */
  AdwHeaderBar *header_bar;
  AdwWindowTitle *title;
  GtkWidget *resolve_button;
  GtkWidget *reopen_button;
  GtkStack *stack;
  GtkScrolledWindow *scroller;
  GtkListView *message_list;
  GtkWidget *loading_spinner;
  BatonReplyWindow *reply_window;
  BatonComposer *composer;

  /* owned */
  BatonClient *client;
  BatonAttachmentCache *attachment_cache;
  GSignalGroup *client_signals;
  char *conversation_id;
  BatonConversation *conversation;
  /* the open conversation's messages (a BatonMessageList), and the model the list view
   * shows: it, flattened out of a store that holds it or nothing */
  BatonMessageList *thread;
  GListStore *threads;
  GtkFlattenListModel *messages;
  /* the rows bound now, by message id (not reffed: unbind removes them) */
  GHashTable *rows_by_id;
  /* cancelled in dispose */
  GCancellable *cancellable;
  /* cancelled when another conversation opens: late answers are for the old one */
  GCancellable *load_cancellable;

  /* state */
  gboolean show_sidebar;
  gboolean folded;
  gboolean show_end_title_buttons;
  gboolean note_mode;
  gboolean loading_older;
  /* how many messages were listed when an older page was asked for */
  guint n_before_older;
  gboolean acting;
  /* the conversation was marked read on WhatsApp since it was opened */
  gboolean read_sent;
  /* follow new messages: the view is at the bottom (or was just opened) */
  gboolean stick_to_bottom;
  double last_scroll_value;
  guint older_idle_id;
  guint bottom_idle_id;
};

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_CONVERSATION_ID,
  PROP_CONVERSATION,
  PROP_SHOW_SIDEBAR,
  PROP_FOLDED,
  PROP_SHOW_END_TITLE_BUTTONS,
  PROP_NOTE_MODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (BatonConversationView, baton_conversation_view, ADW_TYPE_BIN)

#define PAGE_SIZE 50
/* How close to the bottom (px) still counts as "at the bottom". */
#define BOTTOM_SLACK 24.0

static void
show_error (BatonConversationView *self,
            const char            *message)
{
  if (!baton_toast_show (GTK_WIDGET (self), message))
    g_message ("%s", message);
}

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
message_at (BatonConversationView *self,
            guint                  position)
{
  g_autoptr(BatonMessageItem) item = g_list_model_get_item (G_LIST_MODEL (self->messages),
                                                            position);

  return item ? baton_message_item_get_message (item) : NULL;
}

static BatonMessage *
lookup_message (BatonConversationView *self,
                const char            *message_id)
{
  return self->thread && message_id ? baton_message_list_lookup (self->thread, message_id) : NULL;
}

/* Whether the message at position starts a day, told to its row if one is bound. */
static void
refresh_day (BatonConversationView *self,
             guint                  position)
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
put_message (BatonConversationView *self,
             BatonMessage          *message)
{
  if (self->thread && message && message->id)
    baton_message_list_put (self->thread, message);
}

static void
scroll_to_bottom (BatonConversationView *self)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  double bottom = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

  gtk_adjustment_set_value (adjustment, MAX (bottom, 0));
  self->last_scroll_value = gtk_adjustment_get_value (adjustment);
}

/* A WhatsApp conversation: replies need the customer's 24-hour window. */
static gboolean
has_window (BatonConversationView *self)
{
  return baton_reply_window_get_applies (self->reply_window);
}

static void
update_actions (BatonConversationView *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean loaded = self->conversation != NULL;
  gboolean resolved = loaded && self->conversation->status == BATON_STATUS_RESOLVED;

  gtk_widget_action_set_enabled (widget, "conversation.resolve",
                                 loaded && !resolved && !self->acting);
  gtk_widget_action_set_enabled (widget, "conversation.reopen", resolved && !self->acting);
  gtk_widget_action_set_enabled (widget, "conversation.send",
                                 loaded && baton_composer_get_can_send (self->composer));
  gtk_widget_action_set_enabled (widget, "conversation.choose-template",
                                 has_window (self) && self->conversation->channel_id != NULL);
  gtk_widget_set_visible (self->resolve_button, loaded && !resolved);
  gtk_widget_set_visible (self->reopen_button, resolved);
}

/* Icon and label side by side; the icon alone when folded, to leave room for the name. */
static void
style_header_button (GtkWidget  *button,
                     const char *icon_name,
                     const char *label,
                     gboolean    compact)
{
  GtkWidget *content = NULL;

  if (compact)
    {
      gtk_button_set_icon_name (GTK_BUTTON (button), icon_name);
      return;
    }
  content = adw_button_content_new ();
  adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content), icon_name);
  adw_button_content_set_label (ADW_BUTTON_CONTENT (content), label);
  adw_button_content_set_use_underline (ADW_BUTTON_CONTENT (content), TRUE);
  gtk_button_set_child (GTK_BUTTON (button), content);
}

static void
style_header_buttons (BatonConversationView *self)
{
  style_header_button (self->resolve_button, "object-select-symbolic", _("_Resolve"),
                       self->folded);
  style_header_button (self->reopen_button, "edit-undo-symbolic", _("Re_open"), self->folded);
}

static void
update_header (BatonConversationView *self)
{
  BatonConversation *conversation = self->conversation;

  adw_window_title_set_title (self->title, conversation && conversation->contact_name
                                           ? conversation->contact_name : "");
  adw_window_title_set_subtitle (self->title, conversation && conversation->contact_phone
                                              ? conversation->contact_phone : "");
  baton_reply_window_set_conversation (self->reply_window, conversation);
  update_actions (self);
}

static void
set_conversation (BatonConversationView *self,
                  BatonConversation     *conversation)
{
  if (conversation && g_strcmp0 (conversation->id, self->conversation_id) != 0)
    return;
  /* Events and answers may cross: keep the newest state. */
  if (conversation && self->conversation && conversation->version < self->conversation->version)
    return;
  g_clear_pointer (&self->conversation, baton_conversation_unref);
  self->conversation = conversation ? baton_conversation_ref (conversation) : NULL;
  update_header (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONVERSATION]);
}

static void
update_loading (BatonConversationView *self)
{
  gtk_widget_set_visible (self->loading_spinner,
                          self->thread && baton_message_list_get_loading (self->thread));
}

static void
clear_messages (BatonConversationView *self)
{
  if (self->thread)
    g_signal_handlers_disconnect_by_data (self->thread, self);
  g_list_store_remove_all (self->threads);
  g_clear_object (&self->thread);
  self->loading_older = FALSE;
  self->acting = FALSE;
}

/* Reads the conversation and its newest messages again (on open and after a resync). */
static void load_conversation (BatonConversationView *self);

static void
marked_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Best effort: the customer just sees no blue ticks. */
  if (!baton_client_mark_read_finish (BATON_CLIENT (source), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Could not mark the conversation read: %s", error->message);
}

/* The agent opened a WhatsApp conversation: the customer's messages show as read. */
static void
mark_read (BatonConversationView *self)
{
  if (self->read_sent || !has_window (self) || self->client == NULL)
    return;
  self->read_sent = TRUE;
  baton_client_mark_read_async (self->client, self->conversation_id, self->load_cancellable,
                                marked_read_cb, NULL);
}

static void
conversation_loaded_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(BatonConversationView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonConversation) conversation = baton_client_get_conversation_finish (
    BATON_CLIENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (conversation == NULL)
    {
      show_error (self, error->message);
      return;
    }
  set_conversation (self, conversation);
  mark_read (self);
}

static void
load_conversation (BatonConversationView *self)
{
  baton_client_get_conversation_async (self->client, self->conversation_id,
                                       self->load_cancellable, conversation_loaded_cb,
                                       g_object_ref (self));
}

/* A page came: an older one keeps the view where it was and may end a day's first row; the
 * newest one shows the bottom. */
static void
thread_loaded (BatonConversationView *self)
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
thread_loading_cb (BatonConversationView *self)
{
  if (baton_message_list_get_loading (self->thread))
    update_loading (self);
  else
    thread_loaded (self);
}

static void
thread_failed_cb (BatonConversationView *self,
                  GError                *error)
{
  self->loading_older = FALSE;
  update_loading (self);
  show_error (self, error->message);
}

/* The open conversation's messages: a list of their own, read from the newest page. */
static void
open_thread (BatonConversationView *self)
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

static void
load_older_cb (gpointer user_data)
{
  BatonConversationView *self = user_data;
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
edge_reached_cb (BatonConversationView *self,
                 GtkPositionType        position)
{
  /* Decide once the scroll has been seen whole (the scrolled window tells first). */
  if (position == GTK_POS_TOP && self->older_idle_id == 0)
    self->older_idle_id = g_idle_add_once (load_older_cb, self);
}

static void
scroll_value_changed_cb (BatonConversationView *self,
                         GtkAdjustment         *adjustment)
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
  BatonConversationView *self = user_data;

  self->bottom_idle_id = 0;
  if (self->stick_to_bottom)
    scroll_to_bottom (self);
}

static void
scroll_changed_cb (BatonConversationView *self,
                   GtkAdjustment         *adjustment)
{
  /* Not from within the change: the list view changes its adjustment while it lays out,
   * and ignores a value set then (its scroll anchor would stay where it was). */
  if (self->stick_to_bottom && self->bottom_idle_id == 0)
    self->bottom_idle_id = g_idle_add_once (follow_bottom_cb, self);
}

static void
client_event_cb (BatonConversationView *self,
                 BatonEvent            *event)
{
  g_autoptr(BatonConversation) conversation = NULL;

  /* Messages come through the thread, which follows the stream itself. */
  if (self->conversation_id == NULL)
    return;
  conversation = baton_event_dup_conversation (event);
  if (conversation && g_strcmp0 (conversation->id, self->conversation_id) == 0)
    set_conversation (self, conversation);
}

static void
client_resync_cb (BatonConversationView *self)
{
  if (self->conversation_id == NULL || self->client == NULL)
    return;
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  load_conversation (self);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              BatonConversationView    *self)
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
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             BatonConversationView    *self)
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
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               BatonConversationView    *self)
{
  BatonMessageRow *row = BATON_MESSAGE_ROW (gtk_list_item_get_child (list_item));
  BatonMessage *message = baton_message_row_get_message (row);
  BatonMessageItem *item = gtk_list_item_get_item (list_item);

  if (item)
    g_signal_handlers_disconnect_by_func (item, item_changed_cb, row);
  if (message && g_hash_table_lookup (self->rows_by_id, message->id) == row)
    g_hash_table_remove (self->rows_by_id, message->id);
  baton_message_row_set_message (row, NULL);
  baton_message_row_set_quoted (row, NULL);
}

/* The composer said the server refused a reply: the window closed while the agent typed. */
static void
composer_window_closed_cb (BatonConversationView *self)
{
  baton_reply_window_refuse (self->reply_window);
}

static void
acted_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(BatonConversationView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonConversation) conversation = baton_client_act_finish (BATON_CLIENT (source),
                                                                       result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->acting = FALSE;
  if (conversation == NULL)
    show_error (self, error->message);
  else
    set_conversation (self, conversation);
  update_actions (self);
}

static void
act (BatonConversationView   *self,
     BatonConversationAction  action)
{
  if (self->client == NULL || self->conversation_id == NULL || self->acting)
    return;
  self->acting = TRUE;
  update_actions (self);
  baton_client_act_async (self->client, self->conversation_id, action, self->load_cancellable,
                          acted_cb, g_object_ref (self));
}

static void
resolve_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  act (BATON_CONVERSATION_VIEW (widget), BATON_CONVERSATION_ACTION_RESOLVE);
}

static void
reopen_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  act (BATON_CONVERSATION_VIEW (widget), BATON_CONVERSATION_ACTION_REOPEN);
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  baton_composer_send (BATON_CONVERSATION_VIEW (widget)->composer);
}

/* A reply, note or template the server took. */
static void
message_sent_cb (BatonConversationView *self,
                 BatonMessage          *message)
{
  /* The stream brings the same message and its later states: add it only once. */
  self->stick_to_bottom = TRUE;
  put_message (self, message);
  scroll_to_bottom (self);
}

static void
choose_template_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  BatonConversationView *self = BATON_CONVERSATION_VIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  BatonTemplatePicker *picker = NULL;

  if (self->client == NULL || !has_window (self) || self->conversation->channel_id == NULL)
    return;
  picker = baton_template_picker_new (self->client, self->conversation->channel_id,
                                      self->conversation_id);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (picker), GTK_WINDOW (root));
  g_signal_connect_object (picker, "sent", G_CALLBACK (message_sent_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (picker));
}

static void
baton_conversation_view_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  BatonConversationView *self = BATON_CONVERSATION_VIEW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_CONVERSATION_ID:
      g_value_set_string (value, self->conversation_id);
      break;
    case PROP_CONVERSATION:
      g_value_set_boxed (value, self->conversation);
      break;
    case PROP_SHOW_SIDEBAR:
      g_value_set_boolean (value, self->show_sidebar);
      break;
    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;
    case PROP_SHOW_END_TITLE_BUTTONS:
      g_value_set_boolean (value, self->show_end_title_buttons);
      break;
    case PROP_NOTE_MODE:
      g_value_set_boolean (value, self->note_mode);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
baton_conversation_view_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  BatonConversationView *self = BATON_CONVERSATION_VIEW (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      baton_conversation_view_set_client (self, g_value_get_object (value));
      break;
    case PROP_CONVERSATION_ID:
      baton_conversation_view_set_conversation_id (self, g_value_get_string (value));
      break;
    case PROP_SHOW_SIDEBAR:
      baton_conversation_view_set_show_sidebar (self, g_value_get_boolean (value));
      break;
    case PROP_FOLDED:
      baton_conversation_view_set_folded (self, g_value_get_boolean (value));
      break;
    case PROP_SHOW_END_TITLE_BUTTONS:
      if (self->show_end_title_buttons != g_value_get_boolean (value))
        {
          self->show_end_title_buttons = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_NOTE_MODE:
      if (self->note_mode != g_value_get_boolean (value))
        {
          self->note_mode = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
baton_conversation_view_dispose (GObject *object)
{
  BatonConversationView *self = BATON_CONVERSATION_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->load_cancellable);
  g_clear_handle_id (&self->older_idle_id, g_source_remove);
  g_clear_handle_id (&self->bottom_idle_id, g_source_remove);
  if (self->message_list)
    gtk_list_view_set_model (self->message_list, NULL);
  g_clear_object (&self->client_signals);
  g_clear_object (&self->client);
  g_clear_object (&self->attachment_cache);
  g_clear_object (&self->messages);
  g_clear_object (&self->threads);
  g_clear_object (&self->thread);
  g_clear_pointer (&self->rows_by_id, g_hash_table_unref);
  g_clear_pointer (&self->conversation, baton_conversation_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), BATON_TYPE_CONVERSATION_VIEW);

  G_OBJECT_CLASS (baton_conversation_view_parent_class)->dispose (object);
}

static void
baton_conversation_view_finalize (GObject *object)
{
  BatonConversationView *self = BATON_CONVERSATION_VIEW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_pointer (&self->conversation_id, g_free);

  G_OBJECT_CLASS (baton_conversation_view_parent_class)->finalize (object);
}

static void
baton_conversation_view_class_init (BatonConversationViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = baton_conversation_view_get_property;
  object_class->set_property = baton_conversation_view_set_property;
  object_class->dispose = baton_conversation_view_dispose;
  object_class->finalize = baton_conversation_view_finalize;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, BATON_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONVERSATION_ID] =
    g_param_spec_string ("conversation-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONVERSATION] =
    g_param_spec_boxed ("conversation", NULL, NULL, BATON_TYPE_CONVERSATION,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_SIDEBAR] =
    g_param_spec_boolean ("show-sidebar", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_END_TITLE_BUTTONS] =
    g_param_spec_boolean ("show-end-title-buttons", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NOTE_MODE] =
    g_param_spec_boolean ("note-mode", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (BATON_TYPE_MESSAGE_ROW);
  g_type_ensure (BATON_TYPE_REPLY_WINDOW);
  g_type_ensure (BATON_TYPE_COMPOSER);
  gtk_widget_class_set_css_name (widget_class, "conversationview");
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/baton/Baton/ui/baton-conversation-view.ui");
  gtk_widget_class_bind_template_child (widget_class, BatonConversationView, header_bar);
  gtk_widget_class_bind_template_child (widget_class, BatonConversationView, title);
  gtk_widget_class_bind_template_child (widget_class, BatonConversationView, resolve_button);
  gtk_widget_class_bind_template_child (widget_class, BatonConversationView, reopen_button);
  gtk_widget_class_bind_template_child (widget_class, BatonConversationView, stack);
  gtk_widget_class_bind_template_child (widget_class, BatonConversationView, scroller);
  gtk_widget_class_bind_template_child (widget_class, BatonConversationView, message_list);
  gtk_widget_class_bind_template_child (widget_class, BatonConversationView, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, BatonConversationView, reply_window);
  gtk_widget_class_bind_template_child (widget_class, BatonConversationView, composer);
  gtk_widget_class_bind_template_callback (widget_class, edge_reached_cb);

  gtk_widget_class_install_action (widget_class, "conversation.resolve", NULL, resolve_action);
  gtk_widget_class_install_action (widget_class, "conversation.reopen", NULL, reopen_action);
  gtk_widget_class_install_action (widget_class, "conversation.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "conversation.choose-template", NULL,
                                   choose_template_action);
  /* A stateful action, so the composer's toggle button shows the mode. */
  gtk_widget_class_install_property_action (widget_class, "conversation.toggle-note",
                                            "note-mode");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "conversation.toggle-note", NULL);
}

static void
baton_conversation_view_init (BatonConversationView *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkAdjustment *adjustment = NULL;
  GtkNoSelection *selection = NULL;

  self->show_end_title_buttons = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->load_cancellable = g_cancellable_new ();
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
  g_signal_connect_object (self->composer, "notify::can-send", G_CALLBACK (update_actions), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->composer, "sent", G_CALLBACK (message_sent_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->composer, "window-closed",
                           G_CALLBACK (composer_window_closed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->reply_window, "notify::closed", G_CALLBACK (update_actions),
                           self, G_CONNECT_SWAPPED);

  self->client_signals = g_signal_group_new (BATON_TYPE_CLIENT);
  g_signal_group_connect_swapped (self->client_signals, "event", G_CALLBACK (client_event_cb), self);
  g_signal_group_connect_swapped (self->client_signals, "resync", G_CALLBACK (client_resync_cb),
                                  self);

  style_header_buttons (self);
  update_header (self);
}

GtkWidget *
baton_conversation_view_new (void)
{
  return g_object_new (BATON_TYPE_CONVERSATION_VIEW, NULL);
}

BatonClient *
baton_conversation_view_get_client (BatonConversationView *self)
{
  g_return_val_if_fail (BATON_IS_CONVERSATION_VIEW (self), NULL);

  return self->client;
}

static void
open_conversation (BatonConversationView *self)
{
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  self->read_sent = FALSE;
  clear_messages (self);
  g_clear_pointer (&self->conversation, baton_conversation_unref);
  update_header (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONVERSATION]);
  update_loading (self);

  if (self->conversation_id == NULL || self->client == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, "conversation");
  self->stick_to_bottom = TRUE;
  open_thread (self);
  load_conversation (self);
}

void
baton_conversation_view_set_client (BatonConversationView *self,
                                    BatonClient           *client)
{
  g_return_if_fail (BATON_IS_CONVERSATION_VIEW (self));
  g_return_if_fail (client == NULL || BATON_IS_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;
  g_signal_group_set_target (self->client_signals, client);
  g_clear_object (&self->attachment_cache);
  if (client)
    self->attachment_cache = baton_attachment_cache_new (client);
  baton_composer_set_client (self->composer, client);
  open_conversation (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

const char *
baton_conversation_view_get_conversation_id (BatonConversationView *self)
{
  g_return_val_if_fail (BATON_IS_CONVERSATION_VIEW (self), NULL);

  return self->conversation_id;
}

void
baton_conversation_view_set_conversation_id (BatonConversationView *self,
                                             const char            *id)
{
  g_return_if_fail (BATON_IS_CONVERSATION_VIEW (self));

  if (g_strcmp0 (self->conversation_id, id) == 0)
    return;
  g_free (self->conversation_id);
  self->conversation_id = g_strdup (id);
  baton_composer_set_conversation_id (self->composer, id);
  open_conversation (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONVERSATION_ID]);
}

BatonConversation *
baton_conversation_view_get_conversation (BatonConversationView *self)
{
  g_return_val_if_fail (BATON_IS_CONVERSATION_VIEW (self), NULL);

  return self->conversation;
}

gboolean
baton_conversation_view_get_show_sidebar (BatonConversationView *self)
{
  g_return_val_if_fail (BATON_IS_CONVERSATION_VIEW (self), FALSE);

  return self->show_sidebar;
}

void
baton_conversation_view_set_show_sidebar (BatonConversationView *self,
                                          gboolean               show_sidebar)
{
  g_return_if_fail (BATON_IS_CONVERSATION_VIEW (self));

  show_sidebar = !!show_sidebar;
  if (self->show_sidebar == show_sidebar)
    return;
  self->show_sidebar = show_sidebar;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_SIDEBAR]);
}

gboolean
baton_conversation_view_get_folded (BatonConversationView *self)
{
  g_return_val_if_fail (BATON_IS_CONVERSATION_VIEW (self), FALSE);

  return self->folded;
}

void
baton_conversation_view_set_folded (BatonConversationView *self,
                                    gboolean               folded)
{
  g_return_if_fail (BATON_IS_CONVERSATION_VIEW (self));

  folded = !!folded;
  if (self->folded == folded)
    return;
  self->folded = folded;
  style_header_buttons (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLDED]);
}

GListModel *
baton_conversation_view_get_messages (BatonConversationView *self)
{
  g_return_val_if_fail (BATON_IS_CONVERSATION_VIEW (self), NULL);

  return G_LIST_MODEL (self->messages);
}

BatonAttachmentCache *
baton_conversation_view_get_attachment_cache (BatonConversationView *self)
{
  g_return_val_if_fail (BATON_IS_CONVERSATION_VIEW (self), NULL);

  return self->attachment_cache;
}

BatonMessage *
baton_conversation_view_lookup_message (BatonConversationView *self,
                                        const char            *message_id)
{
  g_return_val_if_fail (BATON_IS_CONVERSATION_VIEW (self), NULL);
  g_return_val_if_fail (message_id != NULL, NULL);

  return lookup_message (self, message_id);
}
