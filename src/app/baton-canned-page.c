/* baton-canned-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-canned-page"

#include "config.h"

#include <glib/gi18n.h>

#include "baton-canned-editor.h"
#include "baton-canned-page.h"
#include "baton-directory.h"
#include "baton-toast.h"
#include "baton-widget-util.h"

struct _BatonCannedPage
{
  AdwPreferencesPage parent_instance;

  /* template widgets */
  GtkListBox *own_list;
  AdwPreferencesGroup *workspace_group;
  GtkWidget *add_workspace_button;
  GtkListBox *workspace_list;

  /* owned refs */
  BatonClient *client;
  GCancellable *cancellable;
  GSignalGroup *directory_signals;
};

G_DEFINE_FINAL_TYPE (BatonCannedPage, baton_canned_page, ADW_TYPE_PREFERENCES_PAGE)

static gboolean
is_manager (BatonCannedPage *self)
{
  BatonAgent *me = self->client ? baton_client_get_me (self->client) : NULL;

  return me && me->role == BATON_ROLE_MANAGER;
}

static BatonCannedReply *
find_reply (BatonCannedPage *self,
            const char      *reply_id)
{
  return self->client ? baton_directory_lookup_reply (baton_client_get_directory (self->client),
                                                      reply_id)
                      : NULL;
}

static GtkWidget *
row_button (const char *icon_name,
            const char *tooltip,
            const char *action_name,
            const char *reply_id)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", reply_id);
  gtk_widget_add_css_class (button, "flat");
  return button;
}

/* "Greeting" over "/hello · Hi {{contact.name}}…"; buttons when the agent may write it. */
static GtkWidget *
create_row (BatonCannedReply *reply,
            gboolean          writable)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *subtitle = g_strdup_printf ("/%s · %s", reply->shortcut, reply->body);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), reply->title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  if (writable)
    {
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 row_button ("document-edit-symbolic", _("Edit"),
                                             "replies.edit", reply->id));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 row_button ("user-trash-symbolic", _("Delete"),
                                             "replies.delete", reply->id));
    }
  gtk_widget_set_name (row, reply->id);
  return row;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
show_replies (BatonCannedPage *self)
{
  GListModel *replies = NULL;
  gboolean manager = is_manager (self);

  clear_list (self->own_list);
  clear_list (self->workspace_list);
  gtk_widget_set_visible (self->add_workspace_button, manager);
  adw_preferences_group_set_description (self->workspace_group, manager
                                         ? _("Everyone in the workspace can insert these.")
                                         : _("Everyone in the workspace can insert these; "
                                             "managers write them."));
  if (self->client == NULL)
    return;
  replies = baton_directory_get_replies (baton_client_get_directory (self->client));
  for (guint i = 0; i < g_list_model_get_n_items (replies); i++)
    {
      g_autoptr(BatonDirectoryEntry) entry = g_list_model_get_item (replies, i);
      BatonCannedReply *reply = baton_directory_entry_get_reply (entry);

      if (reply->owner_id)
        gtk_list_box_append (self->own_list, create_row (reply, TRUE));
      else
        gtk_list_box_append (self->workspace_list, create_row (reply, manager));
    }
}

static void
open_editor (BatonCannedPage  *self,
             BatonCannedReply *reply,
             gboolean          workspace)
{
  BatonCannedEditor *editor = baton_canned_editor_new (self->client, reply, workspace);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (root));
  gtk_window_present (GTK_WINDOW (editor));
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  BatonCannedPage *self = BATON_CANNED_PAGE (widget);
  gboolean workspace = g_variant_get_boolean (parameter);

  if (self->client && (!workspace || is_manager (self)))
    open_editor (self, NULL, workspace);
}

/* Signals, not the action: an action button in a group's header goes insensitive for good
 * when the window takes the page out and puts it back (a manager's pages come and go). */
static void
add_own_clicked_cb (BatonCannedPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "replies.add", "b", FALSE);
}

static void
add_workspace_clicked_cb (BatonCannedPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "replies.add", "b", TRUE);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BatonCannedPage *self = BATON_CANNED_PAGE (widget);
  BatonCannedReply *reply = find_reply (self, g_variant_get_string (parameter, NULL));

  if (reply)
    open_editor (self, reply, reply->owner_id == NULL);
}

static void
deleted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (baton_client_delete_reply_finish (BATON_CLIENT (source), result, &error)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      /* someone deleted it first: the list follows reply.deleted */
      || g_error_matches (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_NOT_FOUND))
    return;
  text = baton_canned_editor_describe_error (error);
  baton_toast_tell (GTK_WIDGET (user_data), text);
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    BatonCannedPage  *self)
{
  const char *reply_id = g_object_get_data (G_OBJECT (dialog), "baton-reply-id");

  if (g_str_equal (response, "delete") && self->client)
    baton_client_delete_reply_async (self->client, reply_id, self->cancellable, deleted_cb,
                                     self);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BatonCannedPage *self = BATON_CANNED_PAGE (widget);
  BatonCannedReply *reply = find_reply (self, g_variant_get_string (parameter, NULL));
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *heading = NULL;
  GtkWidget *dialog = NULL;

  if (reply == NULL)
    return;
  /* Translators: %s is a canned reply's shortcut */
  heading = g_strdup_printf (_("Delete /%s?"), reply->shortcut);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                   reply->owner_id ? NULL
                                   : _("Nobody in the workspace will be able to insert it."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "delete", _("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "baton-reply-id", g_strdup (reply->id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
baton_canned_page_dispose (GObject *object)
{
  BatonCannedPage *self = BATON_CANNED_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->directory_signals);
  g_clear_object (&self->client);
  gtk_widget_dispose_template (GTK_WIDGET (self), BATON_TYPE_CANNED_PAGE);

  G_OBJECT_CLASS (baton_canned_page_parent_class)->dispose (object);
}

static void
baton_canned_page_class_init (BatonCannedPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = baton_canned_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/baton/Baton/ui/baton-canned-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BatonCannedPage, own_list);
  gtk_widget_class_bind_template_child (widget_class, BatonCannedPage, workspace_group);
  gtk_widget_class_bind_template_child (widget_class, BatonCannedPage, add_workspace_button);
  gtk_widget_class_bind_template_child (widget_class, BatonCannedPage, workspace_list);

  gtk_widget_class_bind_template_callback (widget_class, add_own_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_workspace_clicked_cb);
  gtk_widget_class_install_action (widget_class, "replies.add", "b", add_action);
  gtk_widget_class_install_action (widget_class, "replies.edit", "s", edit_action);
  gtk_widget_class_install_action (widget_class, "replies.delete", "s", delete_action);
}

static void
baton_canned_page_init (BatonCannedPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  baton_list_box_set_placeholder_text (self->own_list, _("No replies of your own yet"));
  baton_list_box_set_placeholder_text (self->workspace_list, _("No workspace replies yet"));
  self->directory_signals = g_signal_group_new (BATON_TYPE_DIRECTORY);
  g_signal_group_connect_swapped (self->directory_signals, "changed", G_CALLBACK (show_replies),
                                  self);
  show_replies (self);
}

void
baton_canned_page_set_client (BatonCannedPage *self,
                              BatonClient     *client)
{
  g_return_if_fail (BATON_IS_CANNED_PAGE (self));
  g_return_if_fail (client == NULL || BATON_IS_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;
  g_signal_group_set_target (self->directory_signals,
                             client ? baton_client_get_directory (client) : NULL);
  show_replies (self);
}
