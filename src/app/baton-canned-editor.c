/* baton-canned-editor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-canned-editor"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "baton-canned-editor.h"

struct _BatonCannedEditor
{
  AdwWindow parent_instance;

  /* template widgets */
  AdwWindowTitle *window_title;
  GtkLabel *error_label;
  AdwEntryRow *shortcut_row;
  AdwEntryRow *title_row;
  GtkTextView *body_view;

  /* owned refs */
  BatonClient *client;
  /* the reply as it was (id set when editing), owner_id NULL for the workspace's */
  BatonCannedReply *reply;
  GCancellable *cancellable;

  /* state */
  gboolean saving;
};

G_DEFINE_FINAL_TYPE (BatonCannedEditor, baton_canned_editor, ADW_TYPE_WINDOW)

static char *
dup_body (BatonCannedEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->body_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
show_error (BatonCannedEditor *self,
            const GError      *error)
{
  g_autofree char *text = error ? baton_canned_editor_describe_error (error) : NULL;
  const char *field = error ? baton_client_error_get_field (error) : NULL;

  gtk_label_set_label (self->error_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
  if (g_strcmp0 (field, "shortcut") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->shortcut_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->shortcut_row), "error");
  if (g_strcmp0 (field, "title") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->title_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->title_row), "error");
}

static void
entry_changed_cb (BatonCannedEditor *self)
{
  show_error (self, NULL);
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  BatonClient *client = BATON_CLIENT (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonCannedReply) saved = NULL;
  BatonCannedEditor *self = NULL;

  if (g_task_get_source_tag (G_TASK (result)) == baton_client_create_reply_async)
    saved = baton_client_create_reply_finish (client, result, &error);
  else
    saved = baton_client_update_reply_finish (client, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = BATON_CANNED_EDITOR (user_data);
  self->saving = FALSE;
  /* the list follows the reply.* event */
  if (saved)
    gtk_window_close (GTK_WINDOW (self));
  else
    show_error (self, error);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BatonCannedEditor *self = BATON_CANNED_EDITOR (widget);
  g_autoptr(BatonCannedReply) reply = baton_canned_reply_new ();

  if (self->saving)
    return;
  self->saving = TRUE;
  reply->id = g_strdup (self->reply->id);
  reply->owner_id = g_strdup (self->reply->owner_id);
  reply->shortcut = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->shortcut_row))));
  /* typed with its "/", as in the composer */
  if (reply->shortcut[0] == '/')
    memmove (reply->shortcut, reply->shortcut + 1, strlen (reply->shortcut));
  reply->title = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_row)));
  reply->body = dup_body (self);
  if (reply->id)
    baton_client_update_reply_async (self->client, reply, self->cancellable, saved_cb, self);
  else
    baton_client_create_reply_async (self->client, reply, self->cancellable, saved_cb, self);
}

static void
baton_canned_editor_dispose (GObject *object)
{
  BatonCannedEditor *self = BATON_CANNED_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), BATON_TYPE_CANNED_EDITOR);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_pointer (&self->reply, baton_canned_reply_unref);

  G_OBJECT_CLASS (baton_canned_editor_parent_class)->dispose (object);
}

static void
baton_canned_editor_class_init (BatonCannedEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = baton_canned_editor_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/baton/Baton/ui/baton-canned-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, BatonCannedEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, BatonCannedEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, BatonCannedEditor, shortcut_row);
  gtk_widget_class_bind_template_child (widget_class, BatonCannedEditor, title_row);
  gtk_widget_class_bind_template_child (widget_class, BatonCannedEditor, body_view);
  gtk_widget_class_bind_template_callback (widget_class, entry_changed_cb);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save",
                                       NULL);
}

static void
baton_canned_editor_init (BatonCannedEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

BatonCannedEditor *
baton_canned_editor_new (BatonClient      *client,
                         BatonCannedReply *reply,
                         gboolean          workspace)
{
  BatonCannedEditor *self = NULL;
  BatonAgent *me = NULL;

  g_return_val_if_fail (BATON_IS_CLIENT (client), NULL);

  self = g_object_new (BATON_TYPE_CANNED_EDITOR, NULL);
  self->client = g_object_ref (client);
  me = baton_client_get_me (client);
  if (reply)
    self->reply = baton_canned_reply_ref (reply);
  else
    {
      self->reply = baton_canned_reply_new ();
      self->reply->owner_id = workspace || me == NULL ? NULL : g_strdup (me->id);
    }
  gtk_window_set_title (GTK_WINDOW (self), reply ? _("Edit Canned Reply")
                                                 : _("New Canned Reply"));
  adw_window_title_set_title (self->window_title, gtk_window_get_title (GTK_WINDOW (self)));
  adw_window_title_set_subtitle (self->window_title, self->reply->owner_id
                                                     ? _("Only you see it")
                                                     : _("Everyone in the workspace sees it"));
  if (reply)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->shortcut_row), reply->shortcut);
      gtk_editable_set_text (GTK_EDITABLE (self->title_row), reply->title);
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->body_view), reply->body, -1);
    }
  show_error (self, NULL);
  return self;
}

char *
baton_canned_editor_describe_error (const GError *error)
{
  const char *field = baton_client_error_get_field (error);

  g_return_val_if_fail (error != NULL, NULL);

  switch (error->domain == BATON_CLIENT_ERROR ? error->code : -1)
    {
    case BATON_CLIENT_ERROR_UNREACHABLE:
      return g_strdup (_("Cannot reach the server: try again when the connection is back."));
    case BATON_CLIENT_ERROR_CONFLICT:
      return g_strdup (_("Another canned reply you see already has this shortcut."));
    case BATON_CLIENT_ERROR_FORBIDDEN:
      return g_strdup (_("Only managers can change the workspace’s canned replies."));
    case BATON_CLIENT_ERROR_NOT_FOUND:
      return g_strdup (_("This canned reply no longer exists."));
    case BATON_CLIENT_ERROR_UNPROCESSABLE:
    case BATON_CLIENT_ERROR_BAD_REQUEST:
      if (g_strcmp0 (field, "shortcut") == 0)
        return g_strdup (_("A shortcut is one word of up to 32 letters, digits or _ . : -"));
      if (g_strcmp0 (field, "title") == 0)
        return g_strdup (_("A title has 1 to 200 characters."));
      if (g_strcmp0 (field, "body") == 0)
        return g_strdup (_("The text has 1 to 4096 characters."));
      return g_strdup (_("The server could not take this canned reply."));
    default:
      return g_strdup (_("The server could not change the canned reply: try again."));
    }
}
