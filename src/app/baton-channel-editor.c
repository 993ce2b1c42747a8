/* baton-channel-editor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-channel-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "baton-describe.h"
#include "baton-directory.h"
#include "baton-channel-editor.h"
#include "baton-toast.h"

struct _BatonChannelEditor
{
  AdwWindow parent_instance;

  /* template widgets */
  AdwToastOverlay *toasts;
  AdwWindowTitle *window_title;
  GtkWidget *save_button;
  GtkScrolledWindow *scroller;
  GtkLabel *error_label;
  AdwEntryRow *name_row;
  AdwEntryRow *display_number_row;
  AdwEntryRow *phone_number_id_row;
  AdwEntryRow *waba_id_row;
  AdwPreferencesGroup *credentials_group;
  AdwEntryRow *access_token_row;
  AdwEntryRow *app_secret_row;
  AdwPreferencesGroup *webhook_group;
  AdwActionRow *webhook_row;
  AdwEntryRow *verify_token_row;
  AdwComboRow *team_row;
  AdwComboRow *user_row;
  AdwEntryRow *graph_url_row;

  /* owned */
  BatonClient *client;
  char *channel_id;
  char *webhook_url;
  /* the ids behind the combo rows' entries, "" for None first */
  GPtrArray *team_ids;
  GPtrArray *user_ids;
  /* the defaults to select once the teams and agents are known */
  char *wanted_team_id;
  char *wanted_user_id;
  /* field → the server's message about it */
  GHashTable *field_errors;
  GCancellable *cancellable;

  /* state */
  gboolean busy;
};

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BatonChannelEditor, baton_channel_editor, ADW_TYPE_WINDOW)

#define DEFAULT_GRAPH_BASE_URL "https://graph.facebook.com/v25.0"
#define WEBHOOK_PATH "/webhooks/whatsapp"
#define TOKEN_LENGTH 24

/* The body members and the rows that edit them. */
static const struct {
  const char *field;
  gsize offset;
} field_rows[] = {
  { "name", G_STRUCT_OFFSET (BatonChannelEditor, name_row) },
  { "display_phone_number", G_STRUCT_OFFSET (BatonChannelEditor, display_number_row) },
  { "phone_number_id", G_STRUCT_OFFSET (BatonChannelEditor, phone_number_id_row) },
  { "waba_id", G_STRUCT_OFFSET (BatonChannelEditor, waba_id_row) },
  { "access_token", G_STRUCT_OFFSET (BatonChannelEditor, access_token_row) },
  { "app_secret", G_STRUCT_OFFSET (BatonChannelEditor, app_secret_row) },
  { "verify_token", G_STRUCT_OFFSET (BatonChannelEditor, verify_token_row) },
  { "graph_base_url", G_STRUCT_OFFSET (BatonChannelEditor, graph_url_row) },
  { "default_team_id", G_STRUCT_OFFSET (BatonChannelEditor, team_row) },
  { "default_user_id", G_STRUCT_OFFSET (BatonChannelEditor, user_row) },
};

#define ROW_AT(self, offset) G_STRUCT_MEMBER (GtkWidget *, (self), (offset))

static void
show_toast (BatonChannelEditor *self,
            const char         *message)
{
  adw_toast_overlay_add_toast (self->toasts, baton_toast_new (message));
}

static void
set_busy (BatonChannelEditor *self,
          gboolean            busy)
{
  self->busy = busy;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", !busy);
}

static void
clear_errors (BatonChannelEditor *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_rows); i++)
    {
      GtkWidget *row = ROW_AT (self, field_rows[i].offset);
      GtkWidget *icon = g_object_get_data (G_OBJECT (row), "baton-error-icon");

      gtk_widget_remove_css_class (row, "error");
      if (icon)
        gtk_widget_set_visible (icon, FALSE);
      if (ADW_IS_COMBO_ROW (row))
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), NULL);
    }
  g_hash_table_remove_all (self->field_errors);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
}

/* Marks the row of field with the server's message; FALSE when no row edits that field. */
static gboolean
show_field_error (BatonChannelEditor *self,
                  const char         *field,
                  const char         *message)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_rows); i++)
    {
      GtkWidget *row = ROW_AT (self, field_rows[i].offset);
      GtkWidget *icon = g_object_get_data (G_OBJECT (row), "baton-error-icon");

      if (!g_str_equal (field, field_rows[i].field))
        continue;
      gtk_widget_add_css_class (row, "error");
      if (icon)
        {
          gtk_widget_set_tooltip_text (icon, message);
          gtk_widget_set_visible (icon, TRUE);
        }
      if (ADW_IS_COMBO_ROW (row))
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), message);
      g_hash_table_replace (self->field_errors, g_strdup (field), g_strdup (message));
      /* The message also stands above the form, where it is read first. */
      gtk_label_set_label (self->error_label, message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      gtk_widget_grab_focus (row);
      return TRUE;
    }
  return FALSE;
}

static void
show_error (BatonChannelEditor *self,
            const GError       *error)
{
  const char *field = baton_client_error_get_field (error);

  /* Another number already has this id: that is the phone number id's fault. */
  if (field == NULL && g_error_matches (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_CONFLICT))
    field = "phone_number_id";
  if (field && show_field_error (self, field, baton_describe_error (error)))
    return;
  show_toast (self, baton_describe_error (error));
}

static void
copy_text (BatonChannelEditor *self,
           const char         *text)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  show_toast (self, _("Copied"));
}

static void
copy_webhook_url_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  BatonChannelEditor *self = BATON_CHANNEL_EDITOR (widget);

  copy_text (self, self->webhook_url);
}

static void
copy_verify_token_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  BatonChannelEditor *self = BATON_CHANNEL_EDITOR (widget);
  const char *token = gtk_editable_get_text (GTK_EDITABLE (self->verify_token_row));

  if (*token)
    copy_text (self, token);
}

static char *
row_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

/* The row's text, NULL when empty and nullable. */
static char *
row_value (AdwEntryRow *row,
           gboolean     nullable)
{
  g_autofree char *text = row_text (row);

  return nullable && *text == '\0' ? NULL : g_steal_pointer (&text);
}

/* Secrets: sent when typed; when editing, an empty one keeps what the server has. */
static char *
secret_value (BatonChannelEditor *self,
              AdwEntryRow        *row)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  return self->channel_id && *text == '\0' ? NULL : g_strdup (text);
}

static char *
choice_value (AdwComboRow *row,
              GPtrArray   *ids)
{
  guint selected = adw_combo_row_get_selected (row);
  const char *id = selected < ids->len ? ids->pdata[selected] : "";

  return *id ? g_strdup (id) : NULL;
}

static BatonChannel *
build_channel (BatonChannelEditor *self)
{
  BatonChannel *channel = baton_channel_new ();

  channel->id = g_strdup (self->channel_id);
  channel->kind = BATON_CHANNEL_WHATSAPP;
  channel->name = row_value (self->name_row, FALSE);
  channel->phone_number_id = row_value (self->phone_number_id_row, FALSE);
  channel->display_phone_number = row_value (self->display_number_row, TRUE);
  channel->waba_id = row_value (self->waba_id_row, TRUE);
  channel->access_token = secret_value (self, self->access_token_row);
  channel->app_secret = secret_value (self, self->app_secret_row);
  channel->verify_token = secret_value (self, self->verify_token_row);
  /* Empty means the default, which the server knows. */
  channel->graph_base_url = row_value (self->graph_url_row, TRUE);
  channel->default_team_id = choice_value (self->team_row, self->team_ids);
  channel->default_user_id = choice_value (self->user_row, self->user_ids);
  return channel;
}

static void
saved (BatonChannelEditor *self,
       BatonChannel       *channel,
       GError             *error)
{
  set_busy (self, FALSE);
  if (channel == NULL)
    {
      show_error (self, error);
      return;
    }
  g_signal_emit (self, signals[SAVED], 0, channel);
  gtk_window_close (GTK_WINDOW (self));
}

static void
created_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonChannel) channel = baton_client_create_channel_finish (BATON_CLIENT (source),
                                                                        result, &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    saved (BATON_CHANNEL_EDITOR (user_data), channel, error);
}

static void
updated_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonChannel) channel = baton_client_update_channel_finish (BATON_CLIENT (source),
                                                                        result, &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    saved (BATON_CHANNEL_EDITOR (user_data), channel, error);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BatonChannelEditor *self = BATON_CHANNEL_EDITOR (widget);
  g_autoptr(BatonChannel) channel = NULL;

  if (self->busy)
    return;
  clear_errors (self);
  channel = build_channel (self);
  set_busy (self, TRUE);
  if (self->channel_id)
    baton_client_update_channel_async (self->client, channel, self->cancellable, updated_cb,
                                       self);
  else
    baton_client_create_channel_async (self->client, channel, self->cancellable, created_cb,
                                       self);
}

static void
select_id (AdwComboRow *row,
           GPtrArray   *ids,
           const char  *id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_str_equal (ids->pdata[i], id ? id : ""))
      {
        adw_combo_row_set_selected (row, i);
        return;
      }
}

/* Fills a combo row from a directory list: "None", then each entry's name; keeps what is
 * selected, else selects wanted_id. */
static void
fill_choices (AdwComboRow *row,
              GPtrArray   *ids,
              GListModel  *entries,
              const char  *wanted_id)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = adw_combo_row_get_selected (row);
  g_autofree char *kept = selected > 0 && selected < ids->len ? g_strdup (ids->pdata[selected])
                                                              : g_strdup (wanted_id);

  g_ptr_array_set_size (ids, 0);
  gtk_string_list_append (names, _("None"));
  g_ptr_array_add (ids, g_strdup (""));
  for (guint i = 0; entries && i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(BatonDirectoryEntry) entry = g_list_model_get_item (entries, i);
      const char *name = baton_directory_entry_get_name (entry);

      gtk_string_list_append (names, name ? name : baton_directory_entry_get_id (entry));
      g_ptr_array_add (ids, g_strdup (baton_directory_entry_get_id (entry)));
    }
  adw_combo_row_set_model (row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (row, 0);
  select_id (row, ids, kept);
}

static void
directory_changed_cb (BatonChannelEditor *self,
                      BatonDirectory     *directory)
{
  fill_choices (self->team_row, self->team_ids, baton_directory_get_teams (directory),
                self->wanted_team_id);
  fill_choices (self->user_row, self->user_ids, baton_directory_get_agents (directory),
                self->wanted_user_id);
}

static void
set_text (AdwEntryRow *row,
          const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
}

/* Each row gets an icon that shows (with the message as tooltip) when the server refused
 * its field. */
static void
add_error_icons (BatonChannelEditor *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_rows); i++)
    {
      GtkWidget *row = ROW_AT (self, field_rows[i].offset);
      GtkWidget *icon = NULL;

      if (!ADW_IS_ENTRY_ROW (row))
        continue;
      icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
      gtk_widget_add_css_class (icon, "error");
      gtk_widget_set_visible (icon, FALSE);
      adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), icon);
      g_object_set_data (G_OBJECT (row), "baton-error-icon", icon);
    }
}

static void
field_changed_cb (GtkEditable        *row,
                  BatonChannelEditor *self)
{
  GtkWidget *icon = g_object_get_data (G_OBJECT (row), "baton-error-icon");

  /* A correction in progress: the refusal was about the text before. */
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  if (icon)
    gtk_widget_set_visible (icon, FALSE);
}

static void
baton_channel_editor_dispose (GObject *object)
{
  BatonChannelEditor *self = BATON_CHANNEL_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->client);
  g_clear_pointer (&self->team_ids, g_ptr_array_unref);
  g_clear_pointer (&self->user_ids, g_ptr_array_unref);
  g_clear_pointer (&self->field_errors, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), BATON_TYPE_CHANNEL_EDITOR);

  G_OBJECT_CLASS (baton_channel_editor_parent_class)->dispose (object);
}

static void
baton_channel_editor_finalize (GObject *object)
{
  BatonChannelEditor *self = BATON_CHANNEL_EDITOR (object);

  g_clear_object (&self->cancellable);
  g_free (self->channel_id);
  g_free (self->webhook_url);
  g_free (self->wanted_team_id);
  g_free (self->wanted_user_id);

  G_OBJECT_CLASS (baton_channel_editor_parent_class)->finalize (object);
}

static void
baton_channel_editor_class_init (BatonChannelEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = baton_channel_editor_dispose;
  object_class->finalize = baton_channel_editor_finalize;

  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                 NULL, NULL, G_TYPE_NONE, 1, BATON_TYPE_CHANNEL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/baton/Baton/ui/baton-channel-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, BatonChannelEditor, toasts);
  gtk_widget_class_bind_template_child (widget_class, BatonChannelEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, BatonChannelEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, BatonChannelEditor, scroller);
  gtk_widget_class_bind_template_child (widget_class, BatonChannelEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, BatonChannelEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, BatonChannelEditor, display_number_row);
  gtk_widget_class_bind_template_child (widget_class, BatonChannelEditor, phone_number_id_row);
  gtk_widget_class_bind_template_child (widget_class, BatonChannelEditor, waba_id_row);
  gtk_widget_class_bind_template_child (widget_class, BatonChannelEditor, credentials_group);
  gtk_widget_class_bind_template_child (widget_class, BatonChannelEditor, access_token_row);
  gtk_widget_class_bind_template_child (widget_class, BatonChannelEditor, app_secret_row);
  gtk_widget_class_bind_template_child (widget_class, BatonChannelEditor, webhook_group);
  gtk_widget_class_bind_template_child (widget_class, BatonChannelEditor, webhook_row);
  gtk_widget_class_bind_template_child (widget_class, BatonChannelEditor, verify_token_row);
  gtk_widget_class_bind_template_child (widget_class, BatonChannelEditor, team_row);
  gtk_widget_class_bind_template_child (widget_class, BatonChannelEditor, user_row);
  gtk_widget_class_bind_template_child (widget_class, BatonChannelEditor, graph_url_row);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.copy-webhook-url", NULL,
                                   copy_webhook_url_action);
  gtk_widget_class_install_action (widget_class, "editor.copy-verify-token", NULL,
                                   copy_verify_token_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save",
                                       NULL);
}

static void
baton_channel_editor_init (BatonChannelEditor *self)
{
  self->cancellable = g_cancellable_new ();
  self->team_ids = g_ptr_array_new_with_free_func (g_free);
  self->user_ids = g_ptr_array_new_with_free_func (g_free);
  self->field_errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  add_error_icons (self);
  for (guint i = 0; i < G_N_ELEMENTS (field_rows); i++)
    {
      GtkWidget *row = ROW_AT (self, field_rows[i].offset);

      if (ADW_IS_ENTRY_ROW (row))
        g_signal_connect_object (row, "changed", G_CALLBACK (field_changed_cb), self, 0);
    }
  fill_choices (self->team_row, self->team_ids, NULL, NULL);
  fill_choices (self->user_row, self->user_ids, NULL, NULL);
}

BatonChannelEditor *
baton_channel_editor_new (BatonClient *client,
                          BatonChannel *channel)
{
  BatonChannelEditor *self = NULL;
  const char *webhook_path = NULL;
  const char *base_url = NULL;
  BatonDirectory *directory = NULL;

  g_return_val_if_fail (BATON_IS_CLIENT (client), NULL);

  self = g_object_new (BATON_TYPE_CHANNEL_EDITOR, NULL);
  self->client = g_object_ref (client);
  self->channel_id = channel ? g_strdup (channel->id) : NULL;
  webhook_path = channel ? channel->webhook_path : NULL;
  if (webhook_path == NULL || webhook_path[0] != '/')
    webhook_path = WEBHOOK_PATH;
  self->webhook_url = g_strconcat (baton_client_get_server_url (client), webhook_path, NULL);
  adw_action_row_set_subtitle (self->webhook_row, self->webhook_url);

  if (self->channel_id)
    {
      /* Secrets never come back from the server: empty keeps them. */
      const char *keep = _("Leave empty to keep the saved value.");
      const char *explanation = adw_preferences_group_get_description (self->webhook_group);
      g_autofree char *webhook = g_strdup_printf ("%s %s", explanation, keep);

      gtk_window_set_title (GTK_WINDOW (self), _("Edit WhatsApp Number"));
      adw_window_title_set_title (self->window_title, _("Edit WhatsApp Number"));
      adw_window_title_set_subtitle (self->window_title, channel->name);
      adw_preferences_group_set_description (self->credentials_group, keep);
      adw_preferences_group_set_description (self->webhook_group, webhook);
      set_text (self->name_row, channel->name);
      set_text (self->display_number_row, channel->display_phone_number);
      set_text (self->phone_number_id_row, channel->phone_number_id);
      set_text (self->waba_id_row, channel->waba_id);
      base_url = channel->graph_base_url;
      self->wanted_team_id = g_strdup (channel->default_team_id);
      self->wanted_user_id = g_strdup (channel->default_user_id);
    }
  else
    {
      g_autofree char *token = baton_channel_editor_generate_token ();

      gtk_window_set_title (GTK_WINDOW (self), _("Add WhatsApp Number"));
      adw_window_title_set_title (self->window_title, _("Add WhatsApp Number"));
      adw_preferences_group_set_description (self->credentials_group,
                                             _("The system user’s access token, and the app "
                                               "secret from App settings › Basic. Baton keeps "
                                               "them on the server and never shows them again."));
      set_text (self->verify_token_row, token);
    }
  set_text (self->graph_url_row, base_url ? base_url : DEFAULT_GRAPH_BASE_URL);
  directory = baton_client_get_directory (client);
  g_signal_connect_object (directory, "changed", G_CALLBACK (directory_changed_cb), self,
                           G_CONNECT_SWAPPED);
  directory_changed_cb (self, directory);
  return self;
}

const char *
baton_channel_editor_get_channel_id (BatonChannelEditor *self)
{
  g_return_val_if_fail (BATON_IS_CHANNEL_EDITOR (self), NULL);

  return self->channel_id;
}

const char *
baton_channel_editor_get_webhook_url (BatonChannelEditor *self)
{
  g_return_val_if_fail (BATON_IS_CHANNEL_EDITOR (self), NULL);

  return self->webhook_url;
}

const char *
baton_channel_editor_get_field_error (BatonChannelEditor *self,
                                      const char         *field)
{
  g_return_val_if_fail (BATON_IS_CHANNEL_EDITOR (self), NULL);
  g_return_val_if_fail (field != NULL, NULL);

  return g_hash_table_lookup (self->field_errors, field);
}

char *
baton_channel_editor_generate_token (void)
{
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  char token[TOKEN_LENGTH + 1];

  /* GLib seeds its generator from /dev/urandom: enough for a token that only pairs the
   * dashboard with this server. */
  for (guint i = 0; i < TOKEN_LENGTH; i++)
    token[i] = alphabet[g_random_int_range (0, 64)];
  token[TOKEN_LENGTH] = '\0';
  return g_strdup (token);
}
