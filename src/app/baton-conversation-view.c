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
#include "baton-describe.h"
#include "baton-reply-window.h"
#include "baton-template-picker.h"
#include "baton-thread-view.h"
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
  BatonThreadView *thread_view;
  BatonReplyWindow *reply_window;
  BatonComposer *composer;

  /* owned */
  BatonClient *client;
  GSignalGroup *client_signals;
  char *conversation_id;
  BatonConversation *conversation;
  /* cancelled with the widget and when another conversation opens: late answers are for
   * the old one */
  GCancellable *load_cancellable;

  /* state */
  gboolean show_sidebar;
  gboolean folded;
  gboolean show_end_title_buttons;
  gboolean note_mode;
  gboolean acting;
  /* the conversation was marked read on WhatsApp since it was opened */
  gboolean read_sent;
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
  baton_composer_set_contact_name (self->composer, conversation ? conversation->contact_name
                                                                : NULL);
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
      baton_toast_tell (GTK_WIDGET (self), baton_describe_error (error));
      return;
    }
  set_conversation (self, conversation);
  mark_read (self);
}

/* Reads the conversation (on open and after a resync); its messages are the thread view's. */
static void
load_conversation (BatonConversationView *self)
{
  baton_client_get_conversation_async (self->client, self->conversation_id,
                                       self->load_cancellable, conversation_loaded_cb,
                                       g_object_ref (self));
}

static void
open_conversation (BatonConversationView *self)
{
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  self->read_sent = FALSE;
  self->acting = FALSE;
  g_clear_pointer (&self->conversation, baton_conversation_unref);
  update_header (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONVERSATION]);

  if (self->conversation_id == NULL || self->client == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, "conversation");
  load_conversation (self);
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
    baton_toast_tell (GTK_WIDGET (self), baton_describe_error (error));
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
focus_composer_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (BATON_CONVERSATION_VIEW (widget)->composer));
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
  baton_thread_view_add_message (self->thread_view, message);
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

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->client_signals);
  g_clear_object (&self->client);
  g_clear_pointer (&self->conversation, baton_conversation_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), BATON_TYPE_CONVERSATION_VIEW);

  G_OBJECT_CLASS (baton_conversation_view_parent_class)->dispose (object);
}

static void
baton_conversation_view_finalize (GObject *object)
{
  BatonConversationView *self = BATON_CONVERSATION_VIEW (object);

  g_clear_object (&self->load_cancellable);
  g_clear_pointer (&self->conversation_id, g_free);

  G_OBJECT_CLASS (baton_conversation_view_parent_class)->finalize (object);
}

/* Ctrl+Shift+R anywhere in the conversation: the composer's canned reply picker. */
static gboolean
insert_reply_shortcut (GtkWidget *widget,
                       GVariant  *args,
                       gpointer   user_data)
{
  return gtk_widget_activate_action (GTK_WIDGET (BATON_CONVERSATION_VIEW (widget)->composer),
                                     "composer.insert-reply", NULL);
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

  g_type_ensure (BATON_TYPE_THREAD_VIEW);
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
  gtk_widget_class_bind_template_child (widget_class, BatonConversationView, thread_view);
  gtk_widget_class_bind_template_child (widget_class, BatonConversationView, reply_window);
  gtk_widget_class_bind_template_child (widget_class, BatonConversationView, composer);

  gtk_widget_class_install_action (widget_class, "conversation.resolve", NULL, resolve_action);
  gtk_widget_class_install_action (widget_class, "conversation.reopen", NULL, reopen_action);
  gtk_widget_class_install_action (widget_class, "conversation.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "conversation.focus-composer", NULL,
                                   focus_composer_action);
  gtk_widget_class_install_action (widget_class, "conversation.choose-template", NULL,
                                   choose_template_action);
  /* A stateful action, so the composer's toggle button shows the mode. */
  gtk_widget_class_install_property_action (widget_class, "conversation.toggle-note",
                                            "note-mode");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "conversation.toggle-note", NULL);
  /* Ctrl+/ is the text view's "select all" */
  gtk_widget_class_add_binding (widget_class, GDK_KEY_r, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                insert_reply_shortcut, NULL);
}

static void
baton_conversation_view_init (BatonConversationView *self)
{
  self->show_end_title_buttons = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));

  self->load_cancellable = g_cancellable_new ();
  g_signal_connect_object (self->composer, "notify::can-send", G_CALLBACK (update_actions), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->composer, "sent", G_CALLBACK (message_sent_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->composer, "window-closed",
                           G_CALLBACK (composer_window_closed_cb), self, G_CONNECT_SWAPPED);

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

void
baton_conversation_view_set_client (BatonConversationView *self,
                                    BatonClient           *client)
{
  g_return_if_fail (BATON_IS_CONVERSATION_VIEW (self));
  g_return_if_fail (client == NULL || BATON_IS_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;
  g_signal_group_set_target (self->client_signals, client);
  baton_thread_view_set_client (self->thread_view, client);
  baton_composer_set_client (self->composer, client);
  baton_composer_set_thread (self->composer, baton_thread_view_get_thread (self->thread_view));
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
  baton_thread_view_set_conversation_id (self->thread_view, id);
  baton_composer_set_conversation_id (self->composer, id);
  baton_composer_set_thread (self->composer, baton_thread_view_get_thread (self->thread_view));
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

  return baton_thread_view_get_messages (self->thread_view);
}

BatonAttachmentCache *
baton_conversation_view_get_attachment_cache (BatonConversationView *self)
{
  g_return_val_if_fail (BATON_IS_CONVERSATION_VIEW (self), NULL);

  return baton_thread_view_get_attachment_cache (self->thread_view);
}

BatonMessage *
baton_conversation_view_lookup_message (BatonConversationView *self,
                                        const char            *message_id)
{
  g_return_val_if_fail (BATON_IS_CONVERSATION_VIEW (self), NULL);
  g_return_val_if_fail (message_id != NULL, NULL);

  return baton_thread_view_lookup_message (self->thread_view, message_id);
}
