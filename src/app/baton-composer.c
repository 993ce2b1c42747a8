/* baton-composer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-composer"

#include "config.h"

#include <glib/gi18n.h>

#include "baton-canned-picker.h"
#include "baton-composer.h"
#include "baton-describe.h"
#include "baton-directory.h"
#include "baton-message-list.h"
#include "baton-toast.h"

struct _BatonComposer
{
  AdwBin parent_instance;

  /* template widgets */
  GtkWidget *scroller;
  GtkTextView *text_view;
  GtkLabel *hint_label;
  GtkWidget *send_button;
  GtkFlowBox *chips_box;
  GtkWidget *attach_button;

  /* owned refs */
  BatonClient *client;
  /* unsent text of the conversations left, by conversation id */
  GHashTable *drafts;
  /* BatonOutgoingFile to send with the next reply, shown as chips */
  GPtrArray *files;
  /* the files of the conversations left (GPtrArray), by conversation id */
  GHashTable *file_drafts;
  GtkNativeDialog *chooser;
  /* the open conversation's messages, where what is sent is listed at once */
  BatonMessageList *thread;
  /* canned replies for "/" (a child of the composer) */
  BatonCannedPicker *picker;

  /* state */
  char *conversation_id;
  /* whose name fills {{contact.name}} */
  char *contact_name;
  /* the character offset of the "/" the picker lists replies for (-1: closed), of one
   * Escape closed it for, and of one insert-reply typed itself */
  int trigger_offset;
  int dismissed_offset;
  int inserted_offset;
  /* The send under way: cancelled with the widget, another client or conversation. */
  GCancellable *cancellable;
  gboolean note_mode;
  gboolean locked;
  /* as last notified */
  gboolean can_send;
};

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_CONVERSATION_ID,
  PROP_NOTE_MODE,
  PROP_LOCKED,
  PROP_CAN_SEND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SENT,
  WINDOW_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BatonComposer, baton_composer, ADW_TYPE_BIN)

static void close_picker (BatonComposer *self);

static char *
dup_text (BatonComposer *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
set_text (BatonComposer *self,
          const char    *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text ? text : "", -1);
}

static gboolean
compute_can_send (BatonComposer *self)
{
  g_autofree char *text = dup_text (self);

  /* Notes stay possible after the WhatsApp window closed: only replies need it open. */
  return (*g_strstrip (text) != '\0' || self->files->len > 0) && self->thread
         && (self->note_mode || !self->locked);
}

static void
update_can_send (BatonComposer *self)
{
  gboolean can_send = compute_can_send (self);

  if (self->can_send == can_send)
    return;
  self->can_send = can_send;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_SEND]);
}

/* The free-form text: closed to replies once the window is, open for notes. */
static void
update_lock (BatonComposer *self)
{
  gboolean locked = self->locked && !self->note_mode;

  gtk_widget_set_sensitive (self->scroller, !locked);
  gtk_widget_set_sensitive (self->attach_button, !locked);
  gtk_text_view_set_editable (self->text_view, !locked);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.insert-reply", !locked);
  if (locked)
    close_picker (self);
  gtk_label_set_label (self->hint_label,
                       self->note_mode ? _("Write an internal note…")
                       : locked ? _("Only an approved template can reach the customer now")
                       : _("Write a reply…"));
  update_can_send (self);
}

static void
update_mode (BatonComposer *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);

  if (self->note_mode)
    gtk_widget_add_css_class (GTK_WIDGET (self), "note");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "note");
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label),
                          gtk_text_buffer_get_char_count (buffer) == 0);
  gtk_button_set_label (GTK_BUTTON (self->send_button), self->note_mode ? _("Add _Note")
                                                                        : _("_Send"));
  gtk_widget_set_tooltip_text (self->send_button, self->note_mode
                               ? _("Add the note for your team (Enter)")
                               : _("Send to the customer (Enter)"));
  update_lock (self);
}

/* Nothing sent for the last conversation or client may land here. */
static void
restart (BatonComposer *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  update_lock (self);
}

static void
buffer_changed_cb (BatonComposer *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);

  gtk_widget_set_visible (GTK_WIDGET (self->hint_label),
                          gtk_text_buffer_get_char_count (buffer) == 0);
  update_can_send (self);
}

/* Canned replies: "/" at the start of the text or of a word, and what follows it up to the
 * cursor. FALSE when the cursor is not at the end of such a word. */
static gboolean
find_trigger (BatonComposer  *self,
              int            *slash_offset,
              char          **query)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter cursor, start, before;

  if (gtk_text_buffer_get_has_selection (buffer))
    return FALSE;
  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  start = cursor;
  while (!gtk_text_iter_is_start (&start))
    {
      before = start;
      gtk_text_iter_backward_char (&before);
      if (g_unichar_isspace (gtk_text_iter_get_char (&before)))
        break;
      start = before;
    }
  if (gtk_text_iter_get_char (&start) != '/' || gtk_text_iter_equal (&start, &cursor))
    return FALSE;
  *slash_offset = gtk_text_iter_get_offset (&start);
  gtk_text_iter_forward_char (&start);
  *query = gtk_text_iter_get_text (&start, &cursor);
  return TRUE;
}

/* Points the picker at the cursor. */
static void
place_picker (BatonComposer *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter cursor;
  GdkRectangle location;
  double x = 0, y = 0;

  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  gtk_text_view_get_iter_location (self->text_view, &cursor, &location);
  gtk_text_view_buffer_to_window_coords (self->text_view, GTK_TEXT_WINDOW_WIDGET, location.x,
                                         location.y, &location.x, &location.y);
  if (gtk_widget_translate_coordinates (GTK_WIDGET (self->text_view), GTK_WIDGET (self),
                                        location.x, location.y, &x, &y))
    {
      location.x = (int) x;
      location.y = (int) y;
    }
  gtk_popover_set_pointing_to (GTK_POPOVER (self->picker), &location);
}

static void
close_picker (BatonComposer *self)
{
  if (self->picker == NULL)
    return;
  self->trigger_offset = -1;
  gtk_popover_popdown (GTK_POPOVER (self->picker));
}

/* the signed-in agent's, for {{agent.name}} */
static const char *
agent_name (BatonComposer *self)
{
  BatonAgent *me = self->client ? baton_client_get_me (self->client) : NULL;

  return me ? me->name : NULL;
}

/* Opens, filters or closes the picker after the text or the cursor moved. */
static void
update_picker (BatonComposer *self)
{
  g_autofree char *query = NULL;
  int slash_offset = -1;

  if (self->picker == NULL)
    return;
  if (!gtk_text_view_get_editable (self->text_view) || !find_trigger (self, &slash_offset, &query))
    {
      self->dismissed_offset = -1;
      close_picker (self);
      return;
    }
  baton_canned_picker_set_names (self->picker, self->contact_name, agent_name (self));
  if (slash_offset == self->dismissed_offset
      || baton_canned_picker_filter (self->picker, query) == 0)
    {
      close_picker (self);
      return;
    }
  self->trigger_offset = slash_offset;
  place_picker (self);
  gtk_popover_popup (GTK_POPOVER (self->picker));
}

/* The "/word" becomes the reply's body, its placeholders filled. */
static void
picker_chosen_cb (BatonComposer    *self,
                  BatonCannedReply *reply)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  g_autofree char *text = baton_canned_reply_fill (reply->body, self->contact_name,
                                                   agent_name (self));
  GtkTextIter start, cursor;

  if (self->trigger_offset < 0)
    return;
  gtk_text_buffer_get_iter_at_offset (buffer, &start, self->trigger_offset);
  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  close_picker (self);
  self->inserted_offset = -1;
  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_delete (buffer, &start, &cursor);
  gtk_text_buffer_insert (buffer, &start, text, -1);
  gtk_text_buffer_end_user_action (buffer);
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

/* Escape: the picker stays closed for this "/", and a "/" insert-reply typed goes. */
static void
dismiss_picker (BatonComposer *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;
  g_autofree char *query = NULL;
  int slash_offset = -1;

  if (find_trigger (self, &slash_offset, &query) && *query == '\0'
      && slash_offset == self->inserted_offset)
    {
      gtk_text_buffer_get_iter_at_offset (buffer, &start, slash_offset);
      end = start;
      gtk_text_iter_forward_char (&end);
      close_picker (self);
      gtk_text_buffer_delete (buffer, &start, &end);
    }
  self->dismissed_offset = self->trigger_offset;
  self->inserted_offset = -1;
  close_picker (self);
}

/* While the picker is open, the arrows, Enter and Tab, and Escape are its. */
static gboolean
picker_key_pressed (BatonComposer *self,
                    guint          keyval)
{
  if (!gtk_widget_get_visible (GTK_WIDGET (self->picker)))
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      baton_canned_picker_move (self->picker, -1);
      return TRUE;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      baton_canned_picker_move (self->picker, 1);
      return TRUE;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
    case GDK_KEY_Tab:
    case GDK_KEY_ISO_Left_Tab:
      return baton_canned_picker_choose (self->picker);
    case GDK_KEY_Escape:
      dismiss_picker (self);
      return TRUE;
    default:
      return FALSE;
    }
}

/* composer.insert-reply: a "/" at the cursor (after a space when it ends a word) opens the
 * picker with every reply. */
static void
insert_reply_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  BatonComposer *self = BATON_COMPOSER (widget);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter cursor, before;
  gboolean after_word = FALSE;

  if (!gtk_text_view_get_editable (self->text_view))
    return;
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
  gtk_text_buffer_delete_selection (buffer, TRUE, TRUE);
  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  before = cursor;
  after_word = gtk_text_iter_backward_char (&before)
               && !g_unichar_isspace (gtk_text_iter_get_char (&before));
  self->inserted_offset = gtk_text_iter_get_offset (&cursor) + (after_word ? 1 : 0);
  gtk_text_buffer_insert_at_cursor (buffer, after_word ? " /" : "/", -1);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->picker)))
    baton_toast_tell (widget, _("No canned replies yet: add them in Preferences"));
}

/* Enter sends, Shift+Enter is a new line. */
static gboolean
key_pressed_cb (BatonComposer         *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  if (picker_key_pressed (self, keyval))
    return TRUE;
  if (keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter)
    return FALSE;
  if (state & (GDK_SHIFT_MASK | GDK_ALT_MASK))
    return FALSE;
  gtk_widget_activate_action (GTK_WIDGET (self), "conversation.send", NULL);
  return TRUE;
}

/* What was sent, for the answer: a reply the server refused comes back to be changed. */
typedef struct {
  BatonComposer *self;
  char *text;
  GPtrArray *files;
} Sending;

static void
sending_free (Sending *sending)
{
  g_clear_object (&sending->self);
  g_free (sending->text);
  g_clear_pointer (&sending->files, g_ptr_array_unref);
  g_free (sending);
}

static void show_files (BatonComposer *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Sending, sending_free)

/* What the server could not take waits in the thread, unsent, with a Retry of its own; what
 * it refused is back in the composer (unless the agent is writing something else). */
static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(Sending) sending = user_data;
  BatonComposer *self = sending->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonMessage) message = NULL;
  g_autofree char *text = NULL;

  message = baton_message_list_send_finish (BATON_MESSAGE_LIST (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (message)
    {
      g_signal_emit (self, signals[SENT], 0, message);
      return;
    }
  if (baton_message_list_keeps_unsent (error))
    return;
  text = dup_text (self);
  if (*text == '\0')
    set_text (self, sending->text);
  if (self->files->len == 0 && sending->files)
    {
      g_ptr_array_extend_and_steal (self->files, g_steal_pointer (&sending->files));
      show_files (self);
    }
  if (g_strcmp0 (baton_client_error_get_name (error), "window_closed") == 0)
    {
      /* The window closed while the agent typed. */
      baton_toast_tell (GTK_WIDGET (self),
                        _("The 24-hour window is closed: send a template instead"));
      g_signal_emit (self, signals[WINDOW_CLOSED], 0);
    }
  else
    baton_toast_tell (GTK_WIDGET (self), baton_describe_error (error));
}

/* The list is for the text being typed: not left over the thread when the agent moves on
 * (the window's focus, which moves whether or not the window is active). */
static void
root_focus_cb (BatonComposer *self,
               GParamSpec    *pspec,
               GtkRoot       *root)
{
  if (gtk_root_get_focus (root) != GTK_WIDGET (self->text_view))
    close_picker (self);
}

static void
baton_composer_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (baton_composer_parent_class)->root (widget);
  g_signal_connect_object (gtk_widget_get_root (widget), "notify::focus-widget",
                           G_CALLBACK (root_focus_cb), widget, G_CONNECT_SWAPPED);
}

static void
baton_composer_unroot (GtkWidget *widget)
{
  g_signal_handlers_disconnect_by_func (gtk_widget_get_root (widget), root_focus_cb, widget);
  GTK_WIDGET_CLASS (baton_composer_parent_class)->unroot (widget);
}

/* Attachments: files chosen, pasted or dropped wait as chips until the reply goes. */

static GtkWidget *
file_chip (BatonOutgoingFile *file,
           guint              index)
{
  GtkWidget *chip = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new_from_icon_name (g_str_has_prefix (file->content_type, "image/")
                                                  ? "image-x-generic-symbolic"
                                                  : "text-x-generic-symbolic");
  GtkWidget *name = gtk_label_new (file->filename);
  g_autofree char *size_text = g_format_size (g_bytes_get_size (file->bytes));
  GtkWidget *size = gtk_label_new (size_text);
  GtkWidget *remove = gtk_button_new_from_icon_name ("window-close-symbolic");
  g_autofree char *tooltip = g_strdup_printf (_("Remove %s"), file->filename);

  gtk_widget_add_css_class (chip, "attachment-chip");
  gtk_widget_set_halign (chip, GTK_ALIGN_START);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (name), 24);
  gtk_widget_add_css_class (size, "dim-label");
  gtk_widget_add_css_class (size, "caption");
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_add_css_class (remove, "circular");
  gtk_widget_set_tooltip_text (remove, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                  -1);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "u", index);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "composer.remove-file");
  gtk_box_append (GTK_BOX (chip), icon);
  gtk_box_append (GTK_BOX (chip), name);
  gtk_box_append (GTK_BOX (chip), size);
  gtk_box_append (GTK_BOX (chip), remove);
  return chip;
}

static void
show_files (BatonComposer *self)
{
  GtkWidget *child = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->chips_box))))
    gtk_flow_box_remove (self->chips_box, child);
  for (guint i = 0; i < self->files->len; i++)
    gtk_flow_box_append (self->chips_box, file_chip (self->files->pdata[i], i));
  gtk_widget_set_visible (GTK_WIDGET (self->chips_box), self->files->len > 0);
  update_can_send (self);
}

static void
remove_file_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  BatonComposer *self = BATON_COMPOSER (widget);
  guint index = g_variant_get_uint32 (parameter);

  if (index >= self->files->len)
    return;
  g_ptr_array_remove_index (self->files, index);
  show_files (self);
}

/* A file read for the reply: its type from its name and first bytes. */
static void
file_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BatonComposer) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *name = g_file_get_basename (G_FILE (source));
  g_autofree char *guessed = NULL;
  g_autofree char *mime_type = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (source), result, &data, &length, NULL, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: a file the agent chose could not be read; its name, then why */
      message = g_strdup_printf (_("Cannot read %s: %s"), name, error->message);
      baton_toast_tell (GTK_WIDGET (self), message);
      return;
    }
  guessed = g_content_type_guess (name, (const guchar *) data, length, NULL);
  mime_type = g_content_type_get_mime_type (guessed);
  bytes = g_bytes_new_take (g_steal_pointer (&data), length);
  baton_composer_add_file (self, name, mime_type ? mime_type : "application/octet-stream",
                           bytes);
}

static void
load_file (BatonComposer *self,
           GFile         *file)
{
  g_file_load_contents_async (file, self->cancellable, file_loaded_cb, g_object_ref (self));
}

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     BatonComposer   *self)
{
  g_autoptr(GListModel) files = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        {
          g_autoptr(GFile) file = g_list_model_get_item (files, i);

          load_file (self, file);
        }
    }
  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->chooser);
}

static void
attach_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BatonComposer *self = BATON_COMPOSER (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser = NULL;

  if (self->chooser)
    return;
  chooser = gtk_file_chooser_native_new (_("Attach Files"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Attach"),
                                         _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), self);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

/* A pasted image becomes a PNG file of the reply. */
static void
texture_pasted_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(BatonComposer) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autofree char *name = NULL;

  texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (source), result, NULL);
  if (texture == NULL)
    return;
  png = gdk_texture_save_to_png_bytes (texture);
  /* Translators: the file name of an image pasted into a reply, before ".png" */
  name = g_strconcat (_("Pasted image"), ".png", NULL);
  baton_composer_add_file (self, name, "image/png", png);
}

/* Files copied (in a file manager) or dropped: each is read and attached. */
static void
load_files (BatonComposer *self,
            const GValue  *value)
{
  GdkFileList *list = value ? g_value_get_boxed (value) : NULL;
  g_autoptr(GSList) files = list ? gdk_file_list_get_files (list) : NULL;

  for (GSList *link = files; link; link = link->next)
    load_file (self, link->data);
}

static void
files_pasted_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(BatonComposer) self = user_data;

  load_files (self, gdk_clipboard_read_value_finish (GDK_CLIPBOARD (source), result, NULL));
}

/* Ctrl+V: an image or files on the clipboard are attached; text is pasted as text. */
static void
paste_cb (BatonComposer *self,
          GtkTextView   *text_view)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (text_view));
  GdkContentFormats *formats = gdk_clipboard_get_formats (clipboard);

  if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_FILE_LIST))
    gdk_clipboard_read_value_async (clipboard, GDK_TYPE_FILE_LIST, G_PRIORITY_DEFAULT,
                                    self->cancellable, files_pasted_cb, g_object_ref (self));
  else if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_TEXTURE))
    gdk_clipboard_read_texture_async (clipboard, self->cancellable, texture_pasted_cb,
                                      g_object_ref (self));
  else
    return;
  g_signal_stop_emission_by_name (text_view, "paste-clipboard");
}

static gboolean
drop_cb (BatonComposer *self,
         const GValue  *value,
         double         x,
         double         y)
{
  load_files (self, value);
  return TRUE;
}

static void
baton_composer_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  BatonComposer *self = BATON_COMPOSER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_CONVERSATION_ID:
      g_value_set_string (value, self->conversation_id);
      break;
    case PROP_NOTE_MODE:
      g_value_set_boolean (value, self->note_mode);
      break;
    case PROP_LOCKED:
      g_value_set_boolean (value, self->locked);
      break;
    case PROP_CAN_SEND:
      g_value_set_boolean (value, self->can_send);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
baton_composer_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  BatonComposer *self = BATON_COMPOSER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      baton_composer_set_client (self, g_value_get_object (value));
      break;
    case PROP_CONVERSATION_ID:
      baton_composer_set_conversation_id (self, g_value_get_string (value));
      break;
    case PROP_NOTE_MODE:
      if (self->note_mode != g_value_get_boolean (value))
        {
          self->note_mode = g_value_get_boolean (value);
          update_mode (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_LOCKED:
      if (self->locked != g_value_get_boolean (value))
        {
          self->locked = g_value_get_boolean (value);
          update_lock (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
baton_composer_dispose (GObject *object)
{
  BatonComposer *self = BATON_COMPOSER (object);

  g_cancellable_cancel (self->cancellable);
  if (self->picker)
    gtk_widget_unparent (GTK_WIDGET (g_steal_pointer (&self->picker)));
  gtk_widget_dispose_template (GTK_WIDGET (self), BATON_TYPE_COMPOSER);
  g_clear_object (&self->client);
  g_clear_object (&self->thread);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->drafts, g_hash_table_unref);
  g_clear_pointer (&self->file_drafts, g_hash_table_unref);
  g_clear_pointer (&self->files, g_ptr_array_unref);
  if (self->chooser)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);

  G_OBJECT_CLASS (baton_composer_parent_class)->dispose (object);
}

static void
baton_composer_finalize (GObject *object)
{
  BatonComposer *self = BATON_COMPOSER (object);

  g_free (self->conversation_id);
  g_free (self->contact_name);

  G_OBJECT_CLASS (baton_composer_parent_class)->finalize (object);
}

/* Focusing the composer is focusing its text (not its first button). */
static gboolean
baton_composer_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (BATON_COMPOSER (widget)->text_view));
}

static void
baton_composer_class_init (BatonComposerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = baton_composer_get_property;
  object_class->set_property = baton_composer_set_property;
  object_class->dispose = baton_composer_dispose;
  object_class->finalize = baton_composer_finalize;
  widget_class->grab_focus = baton_composer_grab_focus;
  widget_class->root = baton_composer_root;
  widget_class->unroot = baton_composer_unroot;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, BATON_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONVERSATION_ID] =
    g_param_spec_string ("conversation-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NOTE_MODE] =
    g_param_spec_boolean ("note-mode", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOCKED] =
    g_param_spec_boolean ("locked", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_SEND] =
    g_param_spec_boolean ("can-send", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SENT] = g_signal_new ("sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                NULL, NULL, G_TYPE_NONE, 1, BATON_TYPE_MESSAGE);
  signals[WINDOW_CLOSED] = g_signal_new ("window-closed", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/baton/Baton/ui/baton-composer.ui");
  gtk_widget_class_bind_template_child (widget_class, BatonComposer, scroller);
  gtk_widget_class_bind_template_child (widget_class, BatonComposer, text_view);
  gtk_widget_class_bind_template_child (widget_class, BatonComposer, hint_label);
  gtk_widget_class_bind_template_child (widget_class, BatonComposer, send_button);

  gtk_widget_class_install_action (widget_class, "composer.insert-reply", NULL,
                                   insert_reply_action);
  gtk_widget_class_bind_template_child (widget_class, BatonComposer, chips_box);
  gtk_widget_class_bind_template_child (widget_class, BatonComposer, attach_button);
  gtk_widget_class_install_action (widget_class, "composer.attach", NULL, attach_action);
  gtk_widget_class_install_action (widget_class, "composer.remove-file", "u",
                                   remove_file_action);
}

static void
baton_composer_init (BatonComposer *self)
{
  GtkEventController *keys = NULL;
  GtkDropTarget *drop = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->drafts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->file_drafts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_ptr_array_unref);
  self->files = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_outgoing_file_free);
  /* Before the text view's own handling, which would insert the new line. */
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->text_view), keys);
  g_signal_connect_object (gtk_text_view_get_buffer (self->text_view), "changed",
                           G_CALLBACK (buffer_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->text_view), "notify::cursor-position",
                           G_CALLBACK (update_picker), self, G_CONNECT_SWAPPED);

  self->trigger_offset = self->dismissed_offset = self->inserted_offset = -1;
  self->picker = BATON_CANNED_PICKER (baton_canned_picker_new ());
  gtk_widget_set_parent (GTK_WIDGET (self->picker), GTK_WIDGET (self));
  g_signal_connect_object (self->picker, "chosen", G_CALLBACK (picker_chosen_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->text_view, "paste-clipboard", G_CALLBACK (paste_cb), self,
                           G_CONNECT_SWAPPED);
  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect_object (drop, "drop", G_CALLBACK (drop_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  update_mode (self);
}

GtkWidget *
baton_composer_new (void)
{
  return g_object_new (BATON_TYPE_COMPOSER, NULL);
}

void
baton_composer_set_client (BatonComposer *self,
                           BatonClient   *client)
{
  g_return_if_fail (BATON_IS_COMPOSER (self));
  g_return_if_fail (client == NULL || BATON_IS_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;
  /* Drafts belong to the account that wrote them, and so do canned replies. */
  g_hash_table_remove_all (self->drafts);
  baton_canned_picker_set_replies (self->picker, client ? baton_directory_get_replies (
                                     baton_client_get_directory (client)) : NULL);
  close_picker (self);
  g_hash_table_remove_all (self->file_drafts);
  g_ptr_array_set_size (self->files, 0);
  show_files (self);
  restart (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

void
baton_composer_set_conversation_id (BatonComposer *self,
                                    const char    *conversation_id)
{
  g_autofree char *text = NULL;

  g_return_if_fail (BATON_IS_COMPOSER (self));

  if (g_strcmp0 (self->conversation_id, conversation_id) == 0)
    return;
  /* Keep what was typed for when the agent comes back. */
  text = dup_text (self);
  if (self->conversation_id && *text)
    g_hash_table_replace (self->drafts, g_strdup (self->conversation_id), g_steal_pointer (&text));
  else if (self->conversation_id)
    g_hash_table_remove (self->drafts, self->conversation_id);
  if (self->conversation_id && self->files->len > 0)
    g_hash_table_replace (self->file_drafts, g_strdup (self->conversation_id),
                          g_steal_pointer (&self->files));
  g_clear_pointer (&self->files, g_ptr_array_unref);
  if (conversation_id == NULL
      || !g_hash_table_steal_extended (self->file_drafts, conversation_id, NULL,
                                       (gpointer *) &self->files))
    self->files = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_outgoing_file_free);
  show_files (self);
  g_free (self->conversation_id);
  self->conversation_id = g_strdup (conversation_id);
  set_text (self, conversation_id ? g_hash_table_lookup (self->drafts, conversation_id) : NULL);
  restart (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONVERSATION_ID]);
}

gboolean
baton_composer_get_can_send (BatonComposer *self)
{
  g_return_val_if_fail (BATON_IS_COMPOSER (self), FALSE);

  return self->can_send;
}

void
baton_composer_send (BatonComposer *self)
{
  g_autofree char *text = NULL;
  Sending *sending = NULL;

  g_return_if_fail (BATON_IS_COMPOSER (self));

  text = g_strstrip (dup_text (self));
  if (self->thread == NULL || !compute_can_send (self))
    return;
  sending = g_new0 (Sending, 1);
  sending->self = g_object_ref (self);
  sending->text = g_strdup (text);
  /* The thread shows it at once, as being sent: the composer is free for the next one. */
  set_text (self, NULL);
  if (self->files->len > 0)
    {
      sending->files = g_steal_pointer (&self->files);
      self->files = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_outgoing_file_free);
      show_files (self);
    }
  baton_message_list_send_files_async (self->thread, text, self->note_mode, sending->files,
                                       self->cancellable, sent_cb, sending);
}

/* The open conversation's messages (see baton_thread_view_get_thread()), or NULL: what the
 * composer sends goes through them. */
void
baton_composer_set_thread (BatonComposer    *self,
                           BatonMessageList *thread)
{
  g_return_if_fail (BATON_IS_COMPOSER (self));
  g_return_if_fail (thread == NULL || BATON_IS_MESSAGE_LIST (thread));

  if (g_set_object (&self->thread, thread))
    update_can_send (self);
}

/* The name {{contact.name}} becomes in a canned reply (that of the open conversation's
 * contact), or NULL. */
void
baton_composer_set_contact_name (BatonComposer *self,
                                 const char    *contact_name)
{
  g_return_if_fail (BATON_IS_COMPOSER (self));

  g_free (self->contact_name);
  self->contact_name = g_strdup (contact_name);
}

void
baton_composer_add_file (BatonComposer *self,
                         const char    *filename,
                         const char    *content_type,
                         GBytes        *bytes)
{
  g_return_if_fail (BATON_IS_COMPOSER (self));
  g_return_if_fail (filename != NULL && content_type != NULL && bytes != NULL);

  g_ptr_array_add (self->files, baton_outgoing_file_new (filename, content_type, bytes));
  show_files (self);
}

guint
baton_composer_get_n_files (BatonComposer *self)
{
  g_return_val_if_fail (BATON_IS_COMPOSER (self), 0);

  return self->files->len;
}
