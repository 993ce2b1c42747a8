/* baton-message-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-message-row"

#include "config.h"

#include <glib/gi18n.h>

#include "baton-attachment-cache.h"
#include "baton-attachment.h"
#include "baton-message-list.h"
#include "baton-describe.h"
#include "baton-message-row.h"
#include "baton-toast.h"

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
  GtkBox *quote_box;
  GtkLabel *quote_author_label;
  GtkLabel *quote_text_label;
  GtkBox *attachments_box;
  GtkProgressBar *upload_bar;
  GtkLabel *tapped_label;
  GtkLabel *body_label;
  GtkLabel *time_label;
  GtkImage *status_icon;
  GtkLabel *error_label;
  GtkWidget *retry_button;
  GtkLabel *reactions_label;

  /* owned */
  BatonMessage *message;
  /* the message this one replies to, when it is loaded */
  BatonMessage *quoted;
  BatonAttachmentCache *cache;

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
/* Inline images are scaled down to fit in this box (px); stickers in a smaller one. */
#define IMAGE_MAX_WIDTH 280
#define IMAGE_MAX_HEIGHT 320
#define STICKER_MAX_SIZE 140
/* Reactions name this many people per emoji, then count the others. */
#define REACTION_NAMES 3

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

/* What a customer tapped (a button, a list item, a Flow): its title, or NULL. */
static char *
tapped_title (BatonMessage *message)
{
  g_autoptr(GPtrArray) attachments = baton_message_dup_attachments (message);

  for (guint i = 0; i < attachments->len; i++)
    {
      BatonAttachment *attachment = attachments->pdata[i];

      if (g_strcmp0 (attachment->kind, "interactive") == 0 && attachment->choice)
        return g_strdup (attachment->choice);
    }
  return NULL;
}

/* "PDF document · 47.1 kB": what the file is, and how big. */
static char *
file_details (BatonAttachment *attachment)
{
  const char *mime_type = attachment->mime_type;
  /* "audio/ogg; codecs=opus" is an audio/ogg. */
  g_autofree char *bare_type = mime_type ? g_strndup (mime_type, strcspn (mime_type, "; ")) : NULL;
  g_autofree char *content_type = bare_type && *bare_type
                                  ? g_content_type_from_mime_type (bare_type) : NULL;
  g_autofree char *description = content_type
                                 ? g_content_type_get_description (content_type) : NULL;
  g_autofree char *size = NULL;

  if (attachment->size >= 0)
    size = g_format_size ((guint64) attachment->size);
  if (description && size)
    /* Translators: a file's type and size, "PDF document · 47.1 kB" */
    return g_strdup_printf (_("%s · %s"), description, size);
  return g_strdup (description ? description : size);
}

/* An icon beside a title and an optional subtitle, as attachments show. */
static GtkWidget *
create_tile (const char *icon_name,
             const char *title,
             const char *subtitle,
             const char *caption)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *label = gtk_label_new (title);

  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (texts), label);
  if (subtitle && *subtitle)
    {
      label = gtk_label_new (subtitle);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
      gtk_widget_add_css_class (label, "caption");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (texts), label);
    }
  if (caption && *caption)
    {
      label = gtk_label_new (caption);
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
attachment_opened_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GtkWidget) button = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (baton_attachment_cache_open_finish (BATON_ATTACHMENT_CACHE (source), result, &error)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Translators: %s says why, e.g. "No application is registered as handling this file" */
  message = g_strdup_printf (_("Cannot open the attachment: %s"), baton_describe_error (error));
  if (!baton_toast_show (button, message))
    g_message ("%s", message);
}

static void
attachment_clicked_cb (GtkButton *button,
                       gpointer   user_data)
{
  BatonMessageRow *self = user_data;
  BatonAttachment *attachment = g_object_get_data (G_OBJECT (button), "baton-attachment");

  if (self->cache == NULL || attachment == NULL)
    return;
  baton_attachment_cache_open_async (self->cache, attachment, NULL, attachment_opened_cb,
                                     g_object_ref (button));
}

/* A button that opens the attachment (the desktop's viewer, or a map for a location). */
static GtkWidget *
create_opener (BatonMessageRow *self,
               BatonAttachment *attachment,
               GtkWidget       *child)
{
  GtkWidget *button = gtk_button_new ();

  gtk_button_set_child (GTK_BUTTON (button), child);
  gtk_widget_add_css_class (button, "flat");
  g_object_set_data_full (G_OBJECT (button), "baton-attachment", baton_attachment_ref (attachment),
                          (GDestroyNotify) baton_attachment_unref);
  g_signal_connect_object (button, "clicked", G_CALLBACK (attachment_clicked_cb), self, 0);
  gtk_widget_set_sensitive (button, self->cache != NULL);
  return button;
}

static const char *
caption_unless_body (BatonMessageRow *self,
                     BatonAttachment *attachment)
{
  const char *caption = attachment->caption;

  /* WhatsApp's caption is often the message's text too: say it once. */
  if (caption == NULL || *caption == '\0' || g_strcmp0 (caption, self->message->body) == 0)
    return NULL;
  return caption;
}

static GtkWidget *
create_file (BatonMessageRow *self,
             BatonAttachment *attachment)
{
  const char *kind = attachment->kind;
  const char *filename = attachment->filename;
  g_autofree char *details = file_details (attachment);
  /* The customer's filename is shown as it came, never used as a path. */
  GtkWidget *tile = create_tile (attachment_icon (kind),
                                 filename && *filename ? filename : attachment_kind_text (kind),
                                 details, caption_unless_body (self, attachment));
  GtkWidget *widget = NULL;

  if (attachment->url && attachment->id)
    {
      gtk_widget_set_tooltip_text (tile, _("Open with the default application"));
      widget = create_opener (self, attachment, tile);
    }
  else
    widget = tile;
  gtk_widget_add_css_class (widget, "attachment");
  gtk_widget_add_css_class (widget, "attachment-file");
  return widget;
}

static void
scaled_size (GdkTexture *texture,
             int         max_width,
             int         max_height,
             int        *width,
             int        *height)
{
  double w = MAX (1, gdk_texture_get_width (texture));
  double h = MAX (1, gdk_texture_get_height (texture));
  double scale = MIN (1.0, MIN (max_width / w, max_height / h));

  *width = MAX (1, (int) (w * scale + 0.5));
  *height = MAX (1, (int) (h * scale + 0.5));
}

static void
show_texture (GtkWidget  *button,
              GdkTexture *texture)
{
  GtkWidget *picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (texture));
  gboolean sticker = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "baton-sticker"));
  int width = 0, height = 0;

  scaled_size (texture, sticker ? STICKER_MAX_SIZE : IMAGE_MAX_WIDTH,
               sticker ? STICKER_MAX_SIZE : IMAGE_MAX_HEIGHT, &width, &height);
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_widget_set_size_request (picture, width, height);
  gtk_widget_set_halign (picture, GTK_ALIGN_START);
  gtk_button_set_child (GTK_BUTTON (button), picture);
  gtk_widget_add_css_class (button, "loaded");
}

/* The image could not be shown: offer it as a file, which the desktop may open. */
static void
show_as_file (GtkWidget *button)
{
  BatonAttachment *attachment = g_object_get_data (G_OBJECT (button), "baton-attachment");
  const char *kind = attachment->kind;
  const char *filename = attachment->filename;
  g_autofree char *details = file_details (attachment);

  gtk_button_set_child (GTK_BUTTON (button),
                        create_tile (attachment_icon (kind),
                                     filename && *filename ? filename : attachment_kind_text (kind),
                                     details, NULL));
  gtk_widget_remove_css_class (button, "image-attachment");
  gtk_widget_add_css_class (button, "attachment");
  gtk_widget_add_css_class (button, "attachment-file");
}

static void
texture_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  /* A reference: the row may have moved on, the button is still safe to fill. */
  g_autoptr(GtkWidget) button = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = baton_attachment_cache_load_texture_finish (
                                    BATON_ATTACHMENT_CACHE (source), result, &error);

  if (texture)
    show_texture (button, texture);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_debug ("Showing an image as a file: %s", error->message);
      show_as_file (button);
    }
}

static GtkWidget *
create_image (BatonMessageRow *self,
              BatonAttachment *attachment)
{
  const char *attachment_id = attachment->id;
  const char *caption = caption_unless_body (self, attachment);
  gboolean sticker = g_strcmp0 (attachment->kind, "sticker") == 0;
  GtkWidget *spinner = gtk_spinner_new ();
  GtkWidget *button = create_opener (self, attachment, spinner);
  GdkTexture *texture = NULL;
  GtkWidget *box = NULL;

  gtk_widget_add_css_class (button, "image-attachment");
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  gtk_widget_set_overflow (button, GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_tooltip_text (button, _("Open with the default application"));
  g_object_set_data (G_OBJECT (button), "baton-sticker", GINT_TO_POINTER (sticker));
  texture = baton_attachment_cache_lookup_texture (self->cache, attachment_id);
  if (texture)
    show_texture (button, texture);
  else
    {
      gtk_spinner_set_spinning (GTK_SPINNER (spinner), TRUE);
      gtk_widget_set_size_request (spinner, sticker ? STICKER_MAX_SIZE : IMAGE_MAX_WIDTH,
                                   sticker ? STICKER_MAX_SIZE : IMAGE_MAX_WIDTH * 3 / 4);
      baton_attachment_cache_load_texture_async (self->cache, attachment_id, NULL,
                                                 texture_loaded_cb, g_object_ref (button));
    }
  if (caption == NULL)
    return button;
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_box_append (GTK_BOX (box), button);
  {
    GtkWidget *label = gtk_label_new (caption);

    gtk_label_set_xalign (GTK_LABEL (label), 0);
    gtk_label_set_wrap (GTK_LABEL (label), TRUE);
    gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
    gtk_box_append (GTK_BOX (box), label);
  }
  return box;
}

static GtkWidget *
create_location (BatonMessageRow *self,
                 BatonAttachment *attachment)
{
  const char *name = attachment->place_name;
  const char *address = attachment->address;
  g_autofree char *coordinates = NULL;
  g_autofree char *uri = baton_attachment_cache_location_uri (attachment);
  GtkWidget *tile = NULL;
  GtkWidget *widget = NULL;

  if (attachment->has_position)
    coordinates = g_strdup_printf ("%.5f, %.5f", attachment->latitude, attachment->longitude);
  tile = create_tile (attachment_icon ("location"), name && *name ? name : _("Location"),
                      address && *address ? address : coordinates, NULL);
  if (uri)
    {
      gtk_widget_set_tooltip_text (tile, _("Open the location"));
      widget = create_opener (self, attachment, tile);
    }
  else
    widget = tile;
  gtk_widget_add_css_class (widget, "attachment");
  gtk_widget_add_css_class (widget, "attachment-location");
  return widget;
}

/* A shared contact card, as WhatsApp sends it: a name and phone numbers. */
static GtkWidget *
create_card (BatonContactCard *card)
{
  const char *formatted = card->formatted_name;
  const char *first = card->first_name;
  const char *last = card->last_name;
  g_autofree char *display_name = NULL;
  g_autofree char *numbers = g_strjoinv (", ", card->phones);
  GtkWidget *tile = NULL;

  if (formatted && *formatted)
    display_name = g_strdup (formatted);
  else if (first || last)
    display_name = g_strstrip (g_strdup_printf ("%s %s", first ? first : "", last ? last : ""));
  tile = create_tile (attachment_icon ("contacts"),
                      display_name && *display_name ? display_name : _("Contact"), numbers,
                      NULL);
  gtk_widget_add_css_class (tile, "attachment");
  gtk_widget_add_css_class (tile, "attachment-contact");
  return tile;
}

static void
add_attachment (BatonMessageRow *self,
                BatonAttachment *attachment)
{
  const char *kind = attachment->kind;

  /* The tapped button shows as a chip above the text. */
  if (g_strcmp0 (kind, "interactive") == 0)
    return;
  if ((g_strcmp0 (kind, "image") == 0 || g_strcmp0 (kind, "sticker") == 0)
      && self->cache && attachment->url && attachment->id)
    {
      gtk_box_append (self->attachments_box, create_image (self, attachment));
      return;
    }
  if (g_strcmp0 (kind, "location") == 0)
    {
      gtk_box_append (self->attachments_box, create_location (self, attachment));
      return;
    }
  if (g_strcmp0 (kind, "contacts") == 0)
    {
      for (guint i = 0; i < attachment->cards->len; i++)
        gtk_box_append (self->attachments_box, create_card (attachment->cards->pdata[i]));
      if (attachment->cards->len > 0)
        return;
    }
  gtk_box_append (self->attachments_box, create_file (self, attachment));
}

static void
update_attachments (BatonMessageRow *self)
{
  g_autoptr(GPtrArray) attachments = self->message ? baton_message_dup_attachments (self->message)
                                                    : NULL;
  GtkWidget *child = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->attachments_box))) != NULL)
    gtk_box_remove (self->attachments_box, child);
  for (guint i = 0; attachments && i < attachments->len; i++)
    add_attachment (self, attachments->pdata[i]);
  gtk_widget_set_visible (GTK_WIDGET (self->attachments_box),
                          gtk_widget_get_first_child (GTK_WIDGET (self->attachments_box)) != NULL);
}

/* The first line of a message, for a quote. */
static char *
first_line (BatonMessage *message)
{
  g_autoptr(GPtrArray) attachments = baton_message_dup_attachments (message);
  const char *body = message->body ? message->body : "";
  const char *end = NULL;

  while (*body == '\n' || *body == ' ')
    body++;
  if (*body)
    {
      end = strchr (body, '\n');
      return end ? g_strndup (body, end - body) : g_strdup (body);
    }
  /* A photo without a caption is quoted as what it is. */
  if (attachments->len > 0)
    return g_strdup (attachment_kind_text (((BatonAttachment *) attachments->pdata[0])->kind));
  return g_strdup ("");
}

static void
update_quote (BatonMessageRow *self)
{
  BatonMessage *message = self->message;
  BatonMessage *quoted = self->quoted;
  g_autofree char *line = NULL;
  const char *author = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->quote_box), message && message->in_reply_to);
  if (message == NULL || message->in_reply_to == NULL)
    return;
  if (quoted == NULL || g_strcmp0 (quoted->id, message->in_reply_to) != 0)
    {
      /* Not among the loaded messages (older, or never shown here). */
      gtk_widget_set_visible (GTK_WIDGET (self->quote_author_label), FALSE);
      gtk_label_set_label (self->quote_text_label, _("Earlier message"));
      gtk_widget_add_css_class (GTK_WIDGET (self->quote_text_label), "dim-label");
      return;
    }
  author = quoted->author_name && *quoted->author_name ? quoted->author_name
           : quoted->kind == BATON_MESSAGE_INBOUND ? _("Customer") : _("Agent");
  line = first_line (quoted);
  gtk_label_set_label (self->quote_author_label, author);
  gtk_widget_set_visible (GTK_WIDGET (self->quote_author_label), TRUE);
  gtk_label_set_label (self->quote_text_label, line);
  gtk_widget_remove_css_class (GTK_WIDGET (self->quote_text_label), "dim-label");
}

typedef struct {
  const char *emoji;
  GPtrArray *authors;
} Reaction;

static void
reaction_free (Reaction *reaction)
{
  g_ptr_array_unref (reaction->authors);
  g_free (reaction);
}

/* "👍 Ana, Ben  ❤️ Chloé": each emoji once, with who chose it. */
static char *
reactions_markup (BatonMessage *message)
{
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func ((GDestroyNotify) reaction_free);
  g_autoptr(GPtrArray) reactions = baton_message_dup_reactions (message);
  GString *markup = g_string_new (NULL);

  for (guint i = 0; i < reactions->len; i++)
    {
      const char *emoji = ((BatonReaction *) reactions->pdata[i])->emoji;
      const char *author = ((BatonReaction *) reactions->pdata[i])->author;
      Reaction *group = NULL;

      if (emoji == NULL || *emoji == '\0')
        continue;
      for (guint j = 0; j < groups->len && group == NULL; j++)
        if (g_str_equal (((Reaction *) groups->pdata[j])->emoji, emoji))
          group = groups->pdata[j];
      if (group == NULL)
        {
          group = g_new0 (Reaction, 1);
          group->emoji = emoji;
          group->authors = g_ptr_array_new ();
          g_ptr_array_add (groups, group);
        }
      g_ptr_array_add (group->authors, (gpointer) (author && *author ? author : ""));
    }
  for (guint i = 0; i < groups->len; i++)
    {
      Reaction *group = groups->pdata[i];
      g_autoptr(GString) names = g_string_new (NULL);
      g_autofree char *emoji = g_markup_escape_text (group->emoji, -1);
      g_autofree char *escaped = NULL;
      guint named = 0;

      for (guint j = 0; j < group->authors->len; j++)
        {
          const char *author = group->authors->pdata[j];

          if (*author == '\0' || named == REACTION_NAMES)
            continue;
          if (names->len)
            g_string_append (names, ", ");
          g_string_append (names, author);
          named++;
        }
      if (group->authors->len > named && named > 0)
        {
          /* Translators: more people chose the same reaction, "Ana, Ben, Chloé +2" */
          g_autofree char *more = g_strdup_printf (_("%s +%u"), names->str,
                                                   group->authors->len - named);

          g_string_assign (names, more);
        }
      else if (named == 0 && group->authors->len > 1)
        g_string_append_printf (names, "%u", group->authors->len);
      escaped = g_markup_escape_text (names->str, -1);
      if (markup->len)
        g_string_append (markup, "   ");
      g_string_append (markup, emoji);
      if (*escaped)
        g_string_append_printf (markup, " <span size=\"small\" alpha=\"70%%\">%s</span>", escaped);
    }
  return g_string_free (markup, FALSE);
}

/* A reply or note the app is sending (its own states, before the server has it): a clock
 * while it is on its way, then "Not sent" with a Retry that sends it with the same
 * client_id. FALSE for a message the server has. */
static gboolean
local_status (BatonMessageRow  *self,
              const char      **icon,
              char            **tooltip,
              const char      **error_text)
{
  const char *status = self->message->status;
  gboolean unsent = g_strcmp0 (status, BATON_MESSAGE_STATUS_UNSENT) == 0;

  gtk_widget_set_visible (self->retry_button, unsent);
  /* The action only with its target: a button without one cannot be activated. */
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->retry_button), NULL);
  if (unsent)
    {
      gtk_actionable_set_action_target (GTK_ACTIONABLE (self->retry_button), "s",
                                        self->message->client_id);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->retry_button), "thread.retry");
      *icon = "dialog-error-symbolic";
      *tooltip = g_strdup (_("Not sent"));
      *error_text = _("Not sent: the server could not be reached");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), "error");
      return TRUE;
    }
  if (g_strcmp0 (status, BATON_MESSAGE_STATUS_SENDING) == 0)
    {
      *icon = "baton-pending-symbolic";
      *tooltip = g_strdup (_("Sending…"));
      gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), "pending");
      /* said, not only shown: it has no time on the server yet */
      gtk_label_set_label (self->time_label, _("Sending…"));
      return TRUE;
    }
  return FALSE;
}

static void
show_status (BatonMessageRow *self,
             const char      *icon,
             const char      *tooltip,
             const char      *error_text)
{
  gtk_widget_set_visible (GTK_WIDGET (self->status_icon), icon != NULL);
  if (icon)
    gtk_image_set_from_icon_name (self->status_icon, icon);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_icon), tooltip);
  /* Why it failed, under the bubble: the agent must see it without hovering. */
  if (error_text)
    {
      gtk_label_set_label (self->error_label, error_text);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
    }
}

static void
update_status (BatonMessageRow *self)
{
  const char *status = self->message->status;
  const char *icon = NULL;
  const char *error_text = NULL;
  g_autofree char *tooltip = NULL;

  gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), "read");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), "pending");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  if (local_status (self, &icon, &tooltip, &error_text))
    {
      show_status (self, icon, tooltip, error_text);
      return;
    }
  if (self->message->kind != BATON_MESSAGE_OUTBOUND || status == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->status_icon), FALSE);
      return;
    }
  if (g_str_equal (status, "pending"))
    {
      icon = "baton-pending-symbolic";
      tooltip = g_strdup (_("Sending"));
      gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), "pending");
    }
  else if (g_str_equal (status, "sent"))
    {
      icon = "baton-sent-symbolic";
      tooltip = g_strdup (_("Sent"));
    }
  else if (g_str_equal (status, "delivered"))
    {
      icon = "baton-delivered-symbolic";
      tooltip = g_strdup (_("Delivered"));
    }
  else if (g_str_equal (status, "read"))
    {
      icon = "baton-delivered-symbolic";
      tooltip = g_strdup (_("Read"));
      gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), "read");
    }
  else if (g_str_equal (status, "failed"))
    {
      const char *reason = baton_message_get_error_text (self->message);

      icon = "dialog-error-symbolic";
      /* Translators: %s is why the channel refused the message */
      tooltip = reason && *reason ? g_strdup_printf (_("Not delivered: %s"), reason)
                                  : g_strdup (_("Not delivered"));
      gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), "error");
      error_text = reason && *reason ? reason : _("Not delivered");
    }
  show_status (self, icon, tooltip, error_text);
}

static void
update (BatonMessageRow *self)
{
  BatonMessage *message = self->message;
  GtkWidget *bubble = GTK_WIDGET (self->bubble);
  g_autofree char *day = NULL;
  g_autofree char *time = NULL;
  g_autofree char *reactions = NULL;
  g_autofree char *tapped = NULL;
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
      g_autofree char *sentence = baton_describe_activity (message);
      /* Translators: an activity line and its time, "Assigned to Ana by Ben · 14:02" */
      g_autofree char *line = g_strdup_printf (_("%s · %s"), sentence, time);

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

  tapped = tapped_title (message);
  if (tapped)
    {
      /* Translators: the button or list item a customer tapped in WhatsApp */
      g_autofree char *chip = g_strdup_printf (_("Tapped: %s"), tapped);

      gtk_label_set_label (self->tapped_label, chip);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->tapped_label), tapped != NULL);
  gtk_label_set_label (self->body_label, message->body ? message->body : "");
  /* The tapped title is the body too: the chip says it. */
  gtk_widget_set_visible (GTK_WIDGET (self->body_label), message->body && *message->body
                          && g_strcmp0 (message->body, tapped) != 0);
  gtk_label_set_label (self->time_label, time);
  update_quote (self);
  update_attachments (self);
  update_status (self);
  gtk_widget_set_halign (GTK_WIDGET (self->error_label), inbound ? GTK_ALIGN_START : GTK_ALIGN_END);
  gtk_label_set_xalign (self->error_label, inbound ? 0 : 1);

  reactions = reactions_markup (message);
  gtk_label_set_markup (self->reactions_label, reactions);
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
  g_clear_pointer (&self->quoted, baton_message_unref);
  g_clear_object (&self->cache);
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
  gtk_widget_class_bind_template_child (widget_class, BatonMessageRow, quote_box);
  gtk_widget_class_bind_template_child (widget_class, BatonMessageRow, quote_author_label);
  gtk_widget_class_bind_template_child (widget_class, BatonMessageRow, quote_text_label);
  gtk_widget_class_bind_template_child (widget_class, BatonMessageRow, attachments_box);
  gtk_widget_class_bind_template_child (widget_class, BatonMessageRow, tapped_label);
  gtk_widget_class_bind_template_child (widget_class, BatonMessageRow, body_label);
  gtk_widget_class_bind_template_child (widget_class, BatonMessageRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, BatonMessageRow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, BatonMessageRow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, BatonMessageRow, upload_bar);
  gtk_widget_class_bind_template_child (widget_class, BatonMessageRow, error_label);
  gtk_widget_class_bind_template_child (widget_class, BatonMessageRow, reactions_label);
}

static void
baton_message_row_init (BatonMessageRow *self)
{
  GdkDisplay *display = gdk_display_get_default ();

  gtk_widget_init_template (GTK_WIDGET (self));
  /* The delivery ticks are our icons: the application adds them to the theme at start-up,
   * a row shown without it (a test, a preview) finds them all the same. */
  if (display)
    {
      GtkIconTheme *theme = gtk_icon_theme_get_for_display (display);

      if (!gtk_icon_theme_has_icon (theme, "baton-delivered-symbolic"))
        gtk_icon_theme_add_resource_path (theme, "/org/baton/Baton/icons");
    }
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

BatonMessage *
baton_message_row_get_quoted (BatonMessageRow *self)
{
  g_return_val_if_fail (BATON_IS_MESSAGE_ROW (self), NULL);

  return self->quoted;
}

void
baton_message_row_set_quoted (BatonMessageRow *self,
                              BatonMessage    *quoted)
{
  g_return_if_fail (BATON_IS_MESSAGE_ROW (self));

  if (self->quoted == quoted)
    return;
  g_clear_pointer (&self->quoted, baton_message_unref);
  self->quoted = quoted ? baton_message_ref (quoted) : NULL;
  update_quote (self);
}

BatonAttachmentCache *
baton_message_row_get_attachment_cache (BatonMessageRow *self)
{
  g_return_val_if_fail (BATON_IS_MESSAGE_ROW (self), NULL);

  return self->cache;
}

void
baton_message_row_set_attachment_cache (BatonMessageRow      *self,
                                        BatonAttachmentCache *cache)
{
  g_return_if_fail (BATON_IS_MESSAGE_ROW (self));
  g_return_if_fail (cache == NULL || BATON_IS_ATTACHMENT_CACHE (cache));

  if (!g_set_object (&self->cache, cache))
    return;
  if (self->message)
    update_attachments (self);
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

void
baton_message_row_set_progress (BatonMessageRow *self,
                                double           progress)
{
  g_autofree char *text = NULL;

  g_return_if_fail (BATON_IS_MESSAGE_ROW (self));

  gtk_widget_set_visible (GTK_WIDGET (self->upload_bar), progress >= 0);
  if (progress < 0)
    return;
  /* Translators: the share of a reply's files uploaded so far */
  text = g_strdup_printf (_("Uploading… %d %%"), (int) (progress * 100));
  gtk_progress_bar_set_fraction (self->upload_bar, progress);
  gtk_progress_bar_set_text (self->upload_bar, text);
}
