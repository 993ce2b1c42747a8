/* baton-message-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-message-row"

#include "config.h"

#include <glib/gi18n.h>

#include "baton-message-row.h"

struct _BatonMessageRow
{
  GtkWidget parent_instance;

  /* template widgets */
  GtkLabel *day_label;
  GtkLabel *activity_label;
  GtkBox *bubble_column;
  GtkLabel *author_label;
  GtkBox *bubble;
  GtkLabel *note_label;
  GtkBox *attachments_box;
  GtkLabel *body_label;
  GtkLabel *time_label;
  GtkImage *status_icon;
  GtkLabel *reactions_label;

  /* owned */
  BatonMessage *message;

  /* state */
  gboolean show_day;
};

enum {
  PROP_0,
  PROP_MESSAGE,
  PROP_SHOW_DAY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (BatonMessageRow, baton_message_row, GTK_TYPE_WIDGET)

/* Bubbles leave this much room on the other side, so who spoke shows at a glance. */
#define BUBBLE_INDENT 48

static GDateTime *
local_time (gint64 ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);

  return utc ? g_date_time_to_local (utc) : NULL;
}

static char *
format_time (gint64 ms)
{
  g_autoptr(GDateTime) when = ms > 0 ? local_time (ms) : NULL;

  return when ? g_date_time_format (when, "%H:%M") : g_strdup ("");
}

static const char *
attachment_icon (const char *kind)
{
  static const struct {
    const char *kind;
    const char *icon;
  } icons[] = {
    { "image", "image-x-generic-symbolic" },
    { "audio", "audio-x-generic-symbolic" },
    { "video", "video-x-generic-symbolic" },
    { "document", "x-office-document-symbolic" },
    { "sticker", "face-smile-symbolic" },
    { "location", "mark-location-symbolic" },
    { "contacts", "x-office-address-book-symbolic" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (icons); i++)
    if (g_strcmp0 (kind, icons[i].kind) == 0)
      return icons[i].icon;
  return "mail-attachment-symbolic";
}

static const char *
attachment_kind_text (const char *kind)
{
  if (g_strcmp0 (kind, "image") == 0)
    return _("Image");
  if (g_strcmp0 (kind, "audio") == 0)
    return _("Audio");
  if (g_strcmp0 (kind, "video") == 0)
    return _("Video");
  if (g_strcmp0 (kind, "document") == 0)
    return _("Document");
  if (g_strcmp0 (kind, "sticker") == 0)
    return _("Sticker");
  if (g_strcmp0 (kind, "location") == 0)
    return _("Location");
  if (g_strcmp0 (kind, "contacts") == 0)
    return _("Contacts");
  return _("Unsupported attachment");
}

static const char *
get_string (JsonObject *object,
            const char *member)
{
  return object ? json_object_get_string_member_with_default (object, member, NULL) : NULL;
}

static GtkWidget *
create_attachment (JsonObject *attachment)
{
  const char *kind = get_string (attachment, "kind");
  const char *filename = get_string (attachment, "filename");
  const char *caption = get_string (attachment, "caption");
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new_from_icon_name (attachment_icon (kind));
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *title = gtk_label_new (filename && *filename ? filename : attachment_kind_text (kind));

  gtk_widget_add_css_class (box, "attachment");
  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (texts), title);
  if (caption && *caption)
    {
      GtkWidget *label = gtk_label_new (caption);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_box_append (GTK_BOX (texts), label);
    }
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), texts);
  return box;
}

static void
update_attachments (BatonMessageRow *self)
{
  JsonArray *attachments = NULL;
  GtkWidget *child = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->attachments_box))) != NULL)
    gtk_box_remove (self->attachments_box, child);
  if (self->message && self->message->attachments
      && JSON_NODE_HOLDS_ARRAY (self->message->attachments))
    attachments = json_node_get_array (self->message->attachments);
  for (guint i = 0; attachments && i < json_array_get_length (attachments); i++)
    {
      JsonNode *node = json_array_get_element (attachments, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        gtk_box_append (self->attachments_box, create_attachment (json_node_get_object (node)));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->attachments_box),
                          gtk_widget_get_first_child (GTK_WIDGET (self->attachments_box)) != NULL);
}

/* "👍 2  ❤️": each emoji once, with a count when several people chose it. */
static char *
reactions_text (JsonNode *reactions)
{
  g_autoptr(GPtrArray) emojis = g_ptr_array_new ();
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *array = reactions && JSON_NODE_HOLDS_ARRAY (reactions)
                     ? json_node_get_array (reactions) : NULL;
  GString *text = g_string_new (NULL);

  for (guint i = 0; array && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      const char *emoji = JSON_NODE_HOLDS_OBJECT (node)
                          ? get_string (json_node_get_object (node), "emoji") : NULL;
      guint count = 0;

      if (emoji == NULL || *emoji == '\0')
        continue;
      count = GPOINTER_TO_UINT (g_hash_table_lookup (counts, emoji));
      if (count == 0)
        g_ptr_array_add (emojis, (gpointer) emoji);
      g_hash_table_insert (counts, (gpointer) emoji, GUINT_TO_POINTER (count + 1));
    }
  for (guint i = 0; i < emojis->len; i++)
    {
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (counts, emojis->pdata[i]));

      if (text->len)
        g_string_append (text, "  ");
      g_string_append (text, emojis->pdata[i]);
      if (count > 1)
        g_string_append_printf (text, " %u", count);
    }
  return g_string_free (text, FALSE);
}

static void
update_status (BatonMessageRow *self)
{
  const char *status = self->message->status;
  const char *icon = NULL;
  g_autofree char *tooltip = NULL;

  gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), "read");
  if (self->message->kind != BATON_MESSAGE_OUTBOUND || status == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->status_icon), FALSE);
      return;
    }
  if (g_str_equal (status, "pending"))
    {
      icon = "document-open-recent-symbolic";
      tooltip = g_strdup (_("Sending"));
    }
  else if (g_str_equal (status, "sent"))
    {
      icon = "object-select-symbolic";
      tooltip = g_strdup (_("Sent"));
    }
  else if (g_str_equal (status, "delivered"))
    {
      icon = "emblem-default-symbolic";
      tooltip = g_strdup (_("Delivered"));
    }
  else if (g_str_equal (status, "read"))
    {
      icon = "mail-read-symbolic";
      tooltip = g_strdup (_("Read"));
      gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), "read");
    }
  else if (g_str_equal (status, "failed"))
    {
      JsonObject *error = self->message->error && JSON_NODE_HOLDS_OBJECT (self->message->error)
                          ? json_node_get_object (self->message->error) : NULL;
      const char *reason = get_string (error, "message");

      icon = "dialog-error-symbolic";
      /* Translators: %s is why the channel refused the message */
      tooltip = reason ? g_strdup_printf (_("Not delivered: %s"), reason)
                       : g_strdup (_("Not delivered"));
      gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), "error");
    }
  gtk_widget_set_visible (GTK_WIDGET (self->status_icon), icon != NULL);
  if (icon)
    gtk_image_set_from_icon_name (self->status_icon, icon);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_icon), tooltip);
}

static void
update (BatonMessageRow *self)
{
  BatonMessage *message = self->message;
  GtkWidget *bubble = GTK_WIDGET (self->bubble);
  g_autofree char *day = NULL;
  g_autofree char *time = NULL;
  g_autofree char *reactions = NULL;
  gboolean activity, inbound;

  gtk_widget_set_visible (GTK_WIDGET (self->day_label), self->show_day && message != NULL);
  if (message == NULL)
    return;
  day = baton_message_row_format_day (message->created_at);
  gtk_label_set_label (self->day_label, day);
  time = format_time (message->created_at);
  activity = message->kind == BATON_MESSAGE_ACTIVITY;
  inbound = message->kind == BATON_MESSAGE_INBOUND;

  gtk_widget_set_visible (GTK_WIDGET (self->activity_label), activity);
  gtk_widget_set_visible (GTK_WIDGET (self->bubble_column), !activity);
  if (activity)
    {
      /* Translators: an activity line and its time, "Assigned to Ana by Ben · 14:02" */
      g_autofree char *line = g_strdup_printf (_("%s · %s"), message->body ? message->body : "",
                                               time);

      gtk_label_set_label (self->activity_label, line);
      return;
    }

  gtk_widget_set_halign (GTK_WIDGET (self->bubble_column), inbound ? GTK_ALIGN_START : GTK_ALIGN_END);
  gtk_widget_set_margin_start (GTK_WIDGET (self->bubble_column), inbound ? 0 : BUBBLE_INDENT);
  gtk_widget_set_margin_end (GTK_WIDGET (self->bubble_column), inbound ? BUBBLE_INDENT : 0);
  gtk_widget_remove_css_class (bubble, "inbound");
  gtk_widget_remove_css_class (bubble, "outbound");
  gtk_widget_remove_css_class (bubble, "note");
  gtk_widget_add_css_class (bubble, baton_message_kind_to_string (message->kind));

  /* Agents' messages say who wrote them; the customer is the conversation's title. */
  gtk_label_set_label (self->author_label, message->author_name ? message->author_name : "");
  gtk_widget_set_visible (GTK_WIDGET (self->author_label),
                          !inbound && message->author_name && *message->author_name);
  gtk_widget_set_halign (GTK_WIDGET (self->author_label), inbound ? GTK_ALIGN_START : GTK_ALIGN_END);
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), message->kind == BATON_MESSAGE_NOTE);

  gtk_label_set_label (self->body_label, message->body ? message->body : "");
  gtk_widget_set_visible (GTK_WIDGET (self->body_label), message->body && *message->body);
  gtk_label_set_label (self->time_label, time);
  update_attachments (self);
  update_status (self);

  reactions = reactions_text (message->reactions);
  gtk_label_set_label (self->reactions_label, reactions);
  gtk_widget_set_visible (GTK_WIDGET (self->reactions_label), *reactions != '\0');
  gtk_widget_set_halign (GTK_WIDGET (self->reactions_label),
                         inbound ? GTK_ALIGN_START : GTK_ALIGN_END);
}

static void
baton_message_row_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  BatonMessageRow *self = BATON_MESSAGE_ROW (object);

  switch (prop_id)
    {
    case PROP_MESSAGE:
      g_value_set_boxed (value, self->message);
      break;
    case PROP_SHOW_DAY:
      g_value_set_boolean (value, self->show_day);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
baton_message_row_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  BatonMessageRow *self = BATON_MESSAGE_ROW (object);

  switch (prop_id)
    {
    case PROP_MESSAGE:
      baton_message_row_set_message (self, g_value_get_boxed (value));
      break;
    case PROP_SHOW_DAY:
      baton_message_row_set_show_day (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
baton_message_row_dispose (GObject *object)
{
  BatonMessageRow *self = BATON_MESSAGE_ROW (object);
  GtkWidget *child = NULL;

  g_clear_pointer (&self->message, baton_message_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), BATON_TYPE_MESSAGE_ROW);
  /* A plain GtkWidget owns its template's root box: it goes with the row. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (baton_message_row_parent_class)->dispose (object);
}

static void
baton_message_row_class_init (BatonMessageRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = baton_message_row_get_property;
  object_class->set_property = baton_message_row_set_property;
  object_class->dispose = baton_message_row_dispose;

  properties[PROP_MESSAGE] = g_param_spec_boxed ("message", NULL, NULL, BATON_TYPE_MESSAGE,
                                                 G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY
                                                 | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_DAY] = g_param_spec_boolean ("show-day", NULL, NULL, FALSE,
                                                    G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY
                                                    | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "messagerow");
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/baton/Baton/ui/baton-message-row.ui");
  gtk_widget_class_bind_template_child (widget_class, BatonMessageRow, day_label);
  gtk_widget_class_bind_template_child (widget_class, BatonMessageRow, activity_label);
  gtk_widget_class_bind_template_child (widget_class, BatonMessageRow, bubble_column);
  gtk_widget_class_bind_template_child (widget_class, BatonMessageRow, author_label);
  gtk_widget_class_bind_template_child (widget_class, BatonMessageRow, bubble);
  gtk_widget_class_bind_template_child (widget_class, BatonMessageRow, note_label);
  gtk_widget_class_bind_template_child (widget_class, BatonMessageRow, attachments_box);
  gtk_widget_class_bind_template_child (widget_class, BatonMessageRow, body_label);
  gtk_widget_class_bind_template_child (widget_class, BatonMessageRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, BatonMessageRow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, BatonMessageRow, reactions_label);
}

static void
baton_message_row_init (BatonMessageRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
baton_message_row_new (void)
{
  return g_object_new (BATON_TYPE_MESSAGE_ROW, NULL);
}

BatonMessage *
baton_message_row_get_message (BatonMessageRow *self)
{
  g_return_val_if_fail (BATON_IS_MESSAGE_ROW (self), NULL);

  return self->message;
}

void
baton_message_row_set_message (BatonMessageRow *self,
                               BatonMessage    *message)
{
  g_return_if_fail (BATON_IS_MESSAGE_ROW (self));

  if (self->message == message)
    return;
  g_clear_pointer (&self->message, baton_message_unref);
  self->message = message ? baton_message_ref (message) : NULL;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

gboolean
baton_message_row_get_show_day (BatonMessageRow *self)
{
  g_return_val_if_fail (BATON_IS_MESSAGE_ROW (self), FALSE);

  return self->show_day;
}

void
baton_message_row_set_show_day (BatonMessageRow *self,
                                gboolean         show_day)
{
  g_return_if_fail (BATON_IS_MESSAGE_ROW (self));

  show_day = !!show_day;
  if (self->show_day == show_day)
    return;
  self->show_day = show_day;
  gtk_widget_set_visible (GTK_WIDGET (self->day_label), show_day && self->message != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_DAY]);
}

char *
baton_message_row_format_day (gint64 ms)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) when = local_time (ms);
  g_autoptr(GDateTime) yesterday = g_date_time_add_days (now, -1);
  int year, month, day;

  if (when == NULL)
    return g_strdup ("");
  g_date_time_get_ymd (when, &year, &month, &day);
  if (g_date_time_get_year (now) == year && g_date_time_get_day_of_year (now)
                                            == g_date_time_get_day_of_year (when))
    return g_strdup (_("Today"));
  if (g_date_time_get_year (yesterday) == year && g_date_time_get_day_of_year (yesterday)
                                                  == g_date_time_get_day_of_year (when))
    return g_strdup (_("Yesterday"));
  if (g_date_time_get_year (now) == year)
    /* Translators: a day separator in this year, see g_date_time_format */
    return g_date_time_format (when, _("%A, %-d %B"));
  /* Translators: a day separator in another year, see g_date_time_format */
  return g_date_time_format (when, _("%A, %-d %B %Y"));
}
