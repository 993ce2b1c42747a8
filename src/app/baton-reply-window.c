/* baton-reply-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-reply-window"

#include "config.h"

#include <glib/gi18n.h>

#include "baton-reply-window.h"

struct _BatonReplyWindow
{
  AdwBin parent_instance;

  /* template widgets (the revealer is the bin's child) */
  GtkWidget *notice;
  GtkImage *icon;
  GtkLabel *label;
  GtkWidget *template_button;

  /* owned refs */
  BatonConversation *conversation;

  /* state */
  /* The server refused a reply: closed until window_expires_at moves past this. */
  gboolean refused;
  gint64 refused_expires_at;
  /* as last shown, to notify "closed" when it changes */
  gboolean closed;
  guint tick_id;
};

enum {
  PROP_0,
  PROP_CONVERSATION,
  PROP_CLOSED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (BatonReplyWindow, baton_reply_window, ADW_TYPE_BIN)

static void tick_cb (gpointer user_data);

static gboolean
is_closed (BatonReplyWindow *self)
{
  gint64 expires = self->conversation ? self->conversation->window_expires_at : 0;

  if (self->conversation && self->refused && expires <= self->refused_expires_at)
    return TRUE;
  return expires > 0 && expires <= g_get_real_time () / 1000;
}

/* "Replies allowed for 3 h 12 min": the time left, rounded down to the minute. */
static char *
time_left_text (gint64 left_ms)
{
  int minutes = (int) MIN (left_ms / 60000, G_MAXINT / 2);
  int hours = minutes / 60;

  minutes %= 60;
  if (hours > 0 && minutes > 0)
    /* Translators: the time left to answer a WhatsApp customer freely */
    return g_strdup_printf (_("Replies allowed for %d h %d min"), hours, minutes);
  if (hours > 0)
    /* Translators: the time left to answer a WhatsApp customer freely */
    return g_strdup_printf (_("Replies allowed for %d h"), hours);
  if (minutes > 0)
    /* Translators: the time left to answer a WhatsApp customer freely */
    return g_strdup_printf (_("Replies allowed for %d min"), minutes);
  return g_strdup (_("Replies allowed for less than a minute"));
}

static void
update (BatonReplyWindow *self)
{
  gint64 expires = self->conversation ? self->conversation->window_expires_at : 0;
  gint64 now_ms = g_get_real_time () / 1000;
  gboolean closed = is_closed (self);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  gtk_revealer_set_reveal_child (GTK_REVEALER (adw_bin_get_child (ADW_BIN (self))),
                                 baton_reply_window_get_applies (self));
  gtk_widget_set_visible (self->template_button, closed);
  if (closed)
    {
      gtk_widget_add_css_class (self->notice, "closed");
      gtk_image_set_from_icon_name (self->icon, "dialog-warning-symbolic");
      gtk_label_set_label (self->label,
                           _("The 24-hour window closed: send an approved template"));
    }
  else if (baton_reply_window_get_applies (self))
    {
      g_autofree char *left = time_left_text (expires - now_ms);

      gtk_widget_remove_css_class (self->notice, "closed");
      gtk_image_set_from_icon_name (self->icon, "alarm-symbolic");
      gtk_label_set_label (self->label, left);
      /* Again when the minute shown changes, and when the window closes. */
      self->tick_id = g_timeout_add_once ((guint) ((expires - now_ms) % 60000) + 50, tick_cb,
                                          self);
    }
  if (self->closed != closed)
    {
      self->closed = closed;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOSED]);
    }
}

static void
tick_cb (gpointer user_data)
{
  BatonReplyWindow *self = user_data;

  self->tick_id = 0;
  update (self);
}

static void
baton_reply_window_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  BatonReplyWindow *self = BATON_REPLY_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONVERSATION:
      g_value_set_boxed (value, self->conversation);
      break;
    case PROP_CLOSED:
      g_value_set_boolean (value, is_closed (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
baton_reply_window_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  BatonReplyWindow *self = BATON_REPLY_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONVERSATION:
      baton_reply_window_set_conversation (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
baton_reply_window_dispose (GObject *object)
{
  BatonReplyWindow *self = BATON_REPLY_WINDOW (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), BATON_TYPE_REPLY_WINDOW);
  g_clear_pointer (&self->conversation, baton_conversation_unref);

  G_OBJECT_CLASS (baton_reply_window_parent_class)->dispose (object);
}

static void
baton_reply_window_class_init (BatonReplyWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = baton_reply_window_get_property;
  object_class->set_property = baton_reply_window_set_property;
  object_class->dispose = baton_reply_window_dispose;

  properties[PROP_CONVERSATION] =
    g_param_spec_boxed ("conversation", NULL, NULL, BATON_TYPE_CONVERSATION,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLOSED] =
    g_param_spec_boolean ("closed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/baton/Baton/ui/baton-reply-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BatonReplyWindow, notice);
  gtk_widget_class_bind_template_child (widget_class, BatonReplyWindow, icon);
  gtk_widget_class_bind_template_child (widget_class, BatonReplyWindow, label);
  gtk_widget_class_bind_template_child (widget_class, BatonReplyWindow, template_button);
}

static void
baton_reply_window_init (BatonReplyWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update (self);
}

GtkWidget *
baton_reply_window_new (void)
{
  return g_object_new (BATON_TYPE_REPLY_WINDOW, NULL);
}

void
baton_reply_window_set_conversation (BatonReplyWindow  *self,
                                     BatonConversation *conversation)
{
  g_return_if_fail (BATON_IS_REPLY_WINDOW (self));

  if (self->conversation == conversation)
    return;
  /* A refusal holds for its conversation only. */
  if (conversation == NULL || self->conversation == NULL
      || g_strcmp0 (conversation->id, self->conversation->id) != 0)
    {
      self->refused = FALSE;
      self->refused_expires_at = 0;
    }
  g_clear_pointer (&self->conversation, baton_conversation_unref);
  self->conversation = conversation ? baton_conversation_ref (conversation) : NULL;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONVERSATION]);
}

gboolean
baton_reply_window_get_applies (BatonReplyWindow *self)
{
  g_return_val_if_fail (BATON_IS_REPLY_WINDOW (self), FALSE);

  return self->conversation && self->conversation->window_expires_at > 0;
}

gboolean
baton_reply_window_get_closed (BatonReplyWindow *self)
{
  g_return_val_if_fail (BATON_IS_REPLY_WINDOW (self), FALSE);

  return is_closed (self);
}

void
baton_reply_window_refuse (BatonReplyWindow *self)
{
  g_return_if_fail (BATON_IS_REPLY_WINDOW (self));

  self->refused = TRUE;
  self->refused_expires_at = self->conversation ? self->conversation->window_expires_at : 0;
  update (self);
}
