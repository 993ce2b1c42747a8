/* baton-preferences-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "baton-agents-page.h"
#include "baton-canned-page.h"
#include "baton-hours-page.h"
#include "baton-flows-page.h"
#include "baton-describe.h"
#include "baton-directory.h"
#include "baton-channel-editor.h"
#include "baton-preferences-window.h"
#include "baton-toast.h"
#include "baton-widget-util.h"

struct _BatonPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  /* template widgets: workspace (managers only) */
  AdwPreferencesPage *workspace_page;
  GtkSwitch *first_responder_switch;
  GtkSwitch *first_reply_switch;
  GtkSwitch *unassign_switch;
  AdwPreferencesGroup *timezone_group;
  AdwEntryRow *timezone_row;
  GtkImage *timezone_error_icon;
  /* template widgets: channels (managers only) */
  AdwPreferencesPage *channels_page;
  GtkListBox *channels_list;
  /* template widgets: notifications (local) */
  BatonCannedPage *canned_page;

  AdwPreferencesPage *notifications_page;
  GtkSwitch *notify_new_conversation_switch;
  GtkSwitch *notify_assigned_switch;
  GtkSwitch *notify_unassigned_switch;
  GtkSwitch *notify_reassigned_away_switch;
  GtkSwitch *notify_new_message_switch;
  GtkSwitch *notify_reopened_switch;
  GtkSwitch *notification_sound_switch;
  /* template widgets: account */
  AdwPreferencesPage *account_page;
  AdwActionRow *name_row;
  AdwActionRow *email_row;
  AdwActionRow *server_row;
  AdwPreferencesGroup *sessions_group;
  GtkListBox *sessions_list;
  GtkButton *sign_out_button;

  /* owned */
  /* Kept while out of the window (agents): a page cannot be hidden from the switcher. */
  AdwPreferencesPage *workspace_page_ref;
  AdwPreferencesPage *channels_page_ref;
  /* managers only, after channels */
  BatonAgentsPage *agents_page;
  /* managers only, made here, added and removed with the workspace page */
  AdwPreferencesPage *hours_page;
  /* managers only, the routing flows, after the business hours */
  AdwPreferencesPage *flows_page;
  BatonSettings *settings;
  BatonClient *client;
  GCancellable *cancellable;
  /* The workspace's settings as the server last said them. */
  BatonWorkspaceConfig *workspace_settings;
  /* the same for the account's sessions */
  GCancellable *sessions_cancellable;

  /* state */
  gboolean applying;
  /* The time zone row holds text the person typed and the server has not taken (yet). */
  gboolean timezone_edited;
};

/* A PATCH /settings in flight. */
typedef struct {
  BatonPreferencesWindow *self;
  BatonWorkspaceConfig *sent;
  BatonWorkspaceConfigFields fields;
} Patch;

G_DEFINE_FINAL_TYPE (BatonPreferencesWindow, baton_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

/* Workspace switch and its setting. */
static const struct {
  BatonWorkspaceConfigFields field;
  gsize member;
  gsize offset;
} workspace_flags[] = {
  { BATON_WORKSPACE_CONFIG_FIRST_RESPONDER_BECOMES_OWNER,
    G_STRUCT_OFFSET (BatonWorkspaceConfig, first_responder_becomes_owner),
    G_STRUCT_OFFSET (BatonPreferencesWindow, first_responder_switch) },
  { BATON_WORKSPACE_CONFIG_FIRST_REPLY_TAKES_ASSIGNMENT,
    G_STRUCT_OFFSET (BatonWorkspaceConfig, first_reply_takes_assignment),
    G_STRUCT_OFFSET (BatonPreferencesWindow, first_reply_switch) },
  { BATON_WORKSPACE_CONFIG_UNASSIGN_ON_RESOLVE,
    G_STRUCT_OFFSET (BatonWorkspaceConfig, unassign_on_resolve),
    G_STRUCT_OFFSET (BatonPreferencesWindow, unassign_switch) },
};

#define FLAG_AT(settings, member) G_STRUCT_MEMBER (gboolean, (settings), (member))

/* Notification switch and its BatonSettings property. */
static const struct {
  const char *property;
  gsize offset;
} local_switches[] = {
  { "notify-new-conversation",
    G_STRUCT_OFFSET (BatonPreferencesWindow, notify_new_conversation_switch) },
  { "notify-assigned", G_STRUCT_OFFSET (BatonPreferencesWindow, notify_assigned_switch) },
  { "notify-unassigned", G_STRUCT_OFFSET (BatonPreferencesWindow, notify_unassigned_switch) },
  { "notify-reassigned-away",
    G_STRUCT_OFFSET (BatonPreferencesWindow, notify_reassigned_away_switch) },
  { "notify-new-message", G_STRUCT_OFFSET (BatonPreferencesWindow, notify_new_message_switch) },
  { "notify-reopened", G_STRUCT_OFFSET (BatonPreferencesWindow, notify_reopened_switch) },
  { "notification-sound", G_STRUCT_OFFSET (BatonPreferencesWindow, notification_sound_switch) },
};

#define SWITCH_AT(self, offset) G_STRUCT_MEMBER (GtkSwitch *, (self), (offset))

static gboolean
is_manager (BatonPreferencesWindow *self)
{
  BatonAgent *me = self->client ? baton_client_get_me (self->client) : NULL;

  return me && me->role == BATON_ROLE_MANAGER;
}

static void
show_toast (BatonPreferencesWindow *self,
            const char             *message)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), baton_toast_new (message));
}

static void
patch_free (Patch *patch)
{
  baton_workspace_config_unref (patch->sent);
  g_free (patch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Patch, patch_free)

static void
show_timezone_error (BatonPreferencesWindow *self,
                     const char             *message)
{
  gtk_widget_set_visible (GTK_WIDGET (self->timezone_error_icon), message != NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->timezone_error_icon), message);
  if (message)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->timezone_row), "error");
      adw_preferences_group_set_description (self->timezone_group, message);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->timezone_row), "error");
      adw_preferences_group_set_description (self->timezone_group,
                                             _("Schedules and business hours are read in this "
                                               "time zone, for example Europe/Paris."));
    }
}

/* Shows the server's settings without sending them back. */
static void
apply_workspace_settings (BatonPreferencesWindow *self,
                          BatonWorkspaceConfig   *settings)
{
  if (settings == NULL)
    return;
  if (settings != self->workspace_settings)
    {
      g_clear_pointer (&self->workspace_settings, baton_workspace_config_unref);
      self->workspace_settings = baton_workspace_config_copy (settings);
    }
  settings = self->workspace_settings;

  self->applying = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (workspace_flags); i++)
    gtk_switch_set_active (SWITCH_AT (self, workspace_flags[i].offset),
                           FLAG_AT (settings, workspace_flags[i].member));
  /* Never overwrite what the person is typing. */
  if (settings->timezone && !self->timezone_edited)
    {
      /* Toggled around the change, so a value from the server shows no apply button. */
      adw_entry_row_set_show_apply_button (self->timezone_row, FALSE);
      gtk_editable_set_text (GTK_EDITABLE (self->timezone_row), settings->timezone);
      adw_entry_row_set_show_apply_button (self->timezone_row, TRUE);
    }
  self->applying = FALSE;
}

static void
settings_patched_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(Patch) patch = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonWorkspaceConfig) settings = baton_client_update_settings_finish (
    BATON_CLIENT (source), result, &error);
  BatonPreferencesWindow *self = NULL;
  gboolean had_timezone = (patch->fields & BATON_WORKSPACE_CONFIG_TIMEZONE) != 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = patch->self;
  if (settings)
    {
      /* Only what we sent is news: the answer may be older than a settings.updated already
       * shown (events and answers do not share an order). */
      if (self->workspace_settings)
        baton_workspace_config_merge (self->workspace_settings, patch->sent, patch->fields);
      if (had_timezone)
        {
          self->timezone_edited = FALSE;
          show_timezone_error (self, NULL);
        }
      return;
    }
  if (had_timezone && g_strcmp0 (baton_client_error_get_field (error), "timezone") == 0)
    {
      /* The typed text stays, to be corrected. */
      show_timezone_error (self, baton_describe_error (error));
      return;
    }
  /* Not saved: show what is in force again. */
  show_toast (self, baton_describe_error (error));
  if (had_timezone)
    self->timezone_edited = FALSE;
  apply_workspace_settings (self, self->workspace_settings);
}

/* PATCH /settings with the given fields of sent (taken). */
static void
patch_settings (BatonPreferencesWindow     *self,
                BatonWorkspaceConfig       *sent,
                BatonWorkspaceConfigFields  fields)
{
  Patch *patch = g_new0 (Patch, 1);

  patch->self = self;
  patch->sent = sent;
  patch->fields = fields;
  baton_client_update_settings_async (self->client, sent, fields, self->cancellable,
                                      settings_patched_cb, patch);
}

static void
settings_loaded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonWorkspaceConfig) settings = baton_client_get_settings_finish (
    BATON_CLIENT (source), result, &error);
  BatonPreferencesWindow *self = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = BATON_PREFERENCES_WINDOW (user_data);
  if (settings == NULL)
    show_toast (self, baton_describe_error (error));
  else
    apply_workspace_settings (self, settings);
}

static gboolean
workspace_shown (BatonPreferencesWindow *self)
{
  return gtk_widget_get_parent (GTK_WIDGET (self->workspace_page)) != NULL;
}

/* Adds (first) or removes the managers' pages: workspace, channels and agents. */
static void
show_workspace (BatonPreferencesWindow *self,
                gboolean                show)
{
  AdwPreferencesWindow *window = ADW_PREFERENCES_WINDOW (self);
  AdwPreferencesPage *after[] = { ADW_PREFERENCES_PAGE (self->canned_page),
                                  self->notifications_page, self->account_page };
  AdwPreferencesPage *visible = adw_preferences_window_get_visible_page (window);

  if (show == workspace_shown (self))
    return;
  if (!show)
    {
      adw_preferences_window_remove (window, self->workspace_page);
      adw_preferences_window_remove (window, self->channels_page);
      adw_preferences_window_remove (window, ADW_PREFERENCES_PAGE (self->agents_page));
      adw_preferences_window_remove (window, self->hours_page);
      adw_preferences_window_remove (window, self->flows_page);
      /* The view stack does not pick another page by itself. */
      if (visible == NULL || visible == self->workspace_page || visible == self->channels_page
          || visible == ADW_PREFERENCES_PAGE (self->agents_page) || visible == self->hours_page
          || visible == self->flows_page)
        visible = self->notifications_page;
      adw_preferences_window_set_visible_page (window, visible);
      return;
    }
  /* Pages can only be appended: take the others out to put them first. */
  for (guint i = 0; i < G_N_ELEMENTS (after); i++)
    {
      g_object_ref (after[i]);
      adw_preferences_window_remove (window, after[i]);
    }
  adw_preferences_window_add (window, self->workspace_page);
  adw_preferences_window_add (window, self->channels_page);
  adw_preferences_window_add (window, ADW_PREFERENCES_PAGE (self->agents_page));
  adw_preferences_window_add (window, self->hours_page);
  adw_preferences_window_add (window, self->flows_page);
  for (guint i = 0; i < G_N_ELEMENTS (after); i++)
    {
      adw_preferences_window_add (window, after[i]);
      g_object_unref (after[i]);
    }
  adw_preferences_window_set_visible_page (window, visible ? visible : self->workspace_page);
}

static BatonChannel *
find_channel (BatonPreferencesWindow *self,
              const char             *channel_id)
{
  return self->client ? baton_directory_lookup_channel (baton_client_get_directory (self->client),
                                                        channel_id)
                      : NULL;
}

static GtkWidget *
create_row_button (const char *icon_name,
                   const char *tooltip,
                   const char *action_name,
                   const char *channel_id)
{
  GtkWidget *button = baton_icon_button_new (icon_name, tooltip);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", channel_id);
  return button;
}

/* "WhatsApp · +1 555-701-4422", and why it is paused on a second line. */
static GtkWidget *
create_channel_row (BatonChannel *channel)
{
  GtkWidget *row = adw_action_row_new ();
  const char *id = channel->id;
  const char *name = channel->name;
  const char *number = channel->display_phone_number;
  const char *state_message = channel->state_message;
  gboolean whatsapp = channel->kind == BATON_CHANNEL_WHATSAPP;
  gboolean paused = channel->paused;
  g_autoptr(GString) subtitle = g_string_new (whatsapp ? _("WhatsApp") : _("API"));
  GtkWidget *state_label = NULL;

  if (whatsapp && (number == NULL || *number == '\0'))
    number = channel->phone_number_id;
  if (whatsapp && number && *number)
    g_string_append_printf (subtitle, " · %s", number);
  if (paused)
    g_string_append_printf (subtitle, "\n%s", state_message && *state_message
                                               ? state_message : _("Sending is paused"));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name ? name : id);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name (whatsapp ? "phone-symbolic"
                                                                    : "network-server-symbolic"));
  if (whatsapp)
    {
      state_label = gtk_label_new (paused ? _("Paused") : _("Active"));
      gtk_widget_add_css_class (state_label, "caption-heading");
      gtk_widget_add_css_class (state_label, paused ? "warning" : "success");
      gtk_widget_add_css_class (state_label, "channel-state");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), state_label);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 create_row_button ("document-edit-symbolic", _("Edit"),
                                                    "channels.edit", id));
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             create_row_button ("user-trash-symbolic", _("Delete"),
                                                "channels.delete", id));
  gtk_widget_set_name (row, id);
  return row;
}

/* The channels are the client's directory's. */
static void
show_channels (BatonPreferencesWindow *self)
{
  GListModel *channels = NULL;
  GtkWidget *child = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->channels_list))) != NULL)
    gtk_list_box_remove (self->channels_list, child);
  if (self->client == NULL)
    return;
  channels = baton_directory_get_channels (baton_client_get_directory (self->client));
  for (guint i = 0; i < g_list_model_get_n_items (channels); i++)
    {
      g_autoptr(BatonDirectoryEntry) entry = g_list_model_get_item (channels, i);

      gtk_list_box_append (self->channels_list,
                           create_channel_row (baton_directory_entry_get_channel (entry)));
    }
}

static void
open_editor (BatonPreferencesWindow *self,
             BatonChannel           *channel)
{
  BatonChannelEditor *editor = baton_channel_editor_new (self->client, channel);

  gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (editor));
}

static void
add_whatsapp_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  BatonPreferencesWindow *self = BATON_PREFERENCES_WINDOW (widget);

  if (self->client && is_manager (self))
    open_editor (self, NULL);
}

static void
edit_channel_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  BatonPreferencesWindow *self = BATON_PREFERENCES_WINDOW (widget);
  BatonChannel *channel = find_channel (self, g_variant_get_string (parameter, NULL));

  if (channel && self->client && is_manager (self))
    open_editor (self, channel);
}

static void
channel_deleted_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean deleted = baton_client_delete_channel_finish (BATON_CLIENT (source), result, &error);
  BatonPreferencesWindow *self = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = BATON_PREFERENCES_WINDOW (user_data);
  /* Not found: someone deleted it first, which is what was asked; the list follows the
   * channel.updated event. */
  if (!deleted && !g_error_matches (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_NOT_FOUND))
    show_toast (self, baton_describe_error (error));
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  BatonPreferencesWindow *self = BATON_PREFERENCES_WINDOW (user_data);
  const char *channel_id = g_object_get_data (G_OBJECT (dialog), "baton-channel-id");

  if (!g_str_equal (response, "delete") || channel_id == NULL || self->client == NULL)
    return;
  baton_client_delete_channel_async (self->client, channel_id, self->cancellable,
                                     channel_deleted_cb, self);
}

static void
delete_channel_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  BatonPreferencesWindow *self = BATON_PREFERENCES_WINDOW (widget);
  const char *channel_id = g_variant_get_string (parameter, NULL);
  BatonChannel *channel = find_channel (self, channel_id);
  g_autofree char *heading = NULL;
  GtkWidget *dialog = NULL;

  if (channel == NULL || !is_manager (self))
    return;
  /* Translators: %s is a channel's name */
  heading = g_strdup_printf (_("Delete “%s”?"), channel->name);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   _("Its conversations stay in the inbox, but customers "
                                     "writing to it will no longer reach Baton."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "baton-channel-id", g_strdup (channel_id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* "Baton on ana-laptop" for our own app, else what the client said it is. */
static char *
device_name (BatonSession *session)
{
  const char *agent = session->user_agent;
  const char *host = agent && g_str_has_prefix (agent, "Baton/") ? strchr (agent, '(') : NULL;

  if (host && g_str_has_suffix (host, ")") && strlen (host) > 2)
    {
      g_autofree char *name = g_strndup (host + 1, strlen (host) - 2);

      /* Translators: %s is the name of a computer */
      return g_strdup_printf (_("Baton on %s"), name);
    }
  return g_strdup (agent && *agent ? agent : _("Unknown device"));
}

static char *
session_subtitle (BatonSession *session)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (session->last_used_at / 1000);
  g_autoptr(GDateTime) when = utc ? g_date_time_to_local (utc) : NULL;
  /* Translators: when a session was last used, see g_date_time_format */
  g_autofree char *last_used = when ? g_date_time_format (when, _("%-d %B %Y, %H:%M"))
                                    : g_strdup ("");

  if (session->address && *session->address)
    /* Translators: a network address, then when the session was last used */
    return g_strdup_printf (_("%s · last used %s"), session->address, last_used);
  /* Translators: %s is when the session was last used */
  return g_strdup_printf (_("Last used %s"), last_used);
}

static GtkWidget *
create_session_row (BatonSession *session)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = device_name (session);
  g_autofree char *subtitle = session_subtitle (session);
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Revoke"));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("computer-symbolic"));
  if (session->current)
    {
      GtkWidget *label = gtk_label_new (_("This device"));

      gtk_widget_add_css_class (label, "caption-heading");
      gtk_widget_add_css_class (label, "accent");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "sessions.revoke");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(sb)", session->id,
                                    session->current);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  gtk_widget_set_name (row, session->id);
  return row;
}

static void
sessions_listed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sessions = baton_client_list_sessions_finish (BATON_CLIENT (source),
                                                                     result, &error);
  BatonPreferencesWindow *self = NULL;
  GtkWidget *child = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = BATON_PREFERENCES_WINDOW (user_data);
  if (sessions == NULL)
    {
      show_toast (self, baton_describe_error (error));
      return;
    }
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sessions_list))) != NULL)
    gtk_list_box_remove (self->sessions_list, child);
  for (guint i = 0; i < sessions->len; i++)
    gtk_list_box_append (self->sessions_list, create_session_row (sessions->pdata[i]));
}

static void
load_sessions (BatonPreferencesWindow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->sessions_group), self->client != NULL);
  if (self->client == NULL)
    return;
  g_cancellable_cancel (self->sessions_cancellable);
  g_clear_object (&self->sessions_cancellable);
  self->sessions_cancellable = g_cancellable_new ();
  baton_client_list_sessions_async (self->client, self->sessions_cancellable,
                                    sessions_listed_cb, self);
}

static void
session_revoked_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  BatonPreferencesWindow *self = NULL;

  baton_client_revoke_session_finish (BATON_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = BATON_PREFERENCES_WINDOW (user_data);
  /* Not found: it had ended already, which is what was asked. */
  if (error && !g_error_matches (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_NOT_FOUND))
    show_toast (self, baton_describe_error (error));
  load_sessions (self);
}

static void
sign_out_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      gpointer          user_data)
{
  BatonPreferencesWindow *self = BATON_PREFERENCES_WINDOW (user_data);

  if (!g_str_equal (response, "sign-out"))
    return;
  /* Revoking this device's session is signing out here, with what sign-out clears. */
  gtk_widget_activate_action (GTK_WIDGET (self), "app.sign-out", NULL);
  gtk_window_close (GTK_WINDOW (self));
}

static void
confirm_sign_out (BatonPreferencesWindow *self)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Sign Out of This Device?"),
                                              _("Revoking this session signs you out of "
                                                "Baton here."));

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "sign-out", _("_Sign Out"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "sign-out",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (sign_out_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Another session goes at once; this device's asks first, as it signs out here. */
static void
revoke_session_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  BatonPreferencesWindow *self = BATON_PREFERENCES_WINDOW (widget);
  const char *session_id = NULL;
  gboolean current = FALSE;

  g_variant_get (parameter, "(&sb)", &session_id, &current);
  if (self->client == NULL)
    return;
  if (current)
    {
      confirm_sign_out (self);
      return;
    }
  baton_client_revoke_session_async (self->client, session_id, self->cancellable,
                                     session_revoked_cb, self);
}

static void
update_account (BatonPreferencesWindow *self)
{
  BatonAgent *me = self->client ? baton_client_get_me (self->client) : NULL;
  gboolean manager = is_manager (self);

  adw_action_row_set_subtitle (self->name_row, me && me->name ? me->name : _("Not signed in"));
  adw_action_row_set_subtitle (self->email_row, me && me->email ? me->email : "");
  adw_action_row_set_subtitle (self->server_row,
                               self->client ? baton_client_get_server_url (self->client) : "");
  gtk_widget_set_visible (GTK_WIDGET (self->sign_out_button), self->client != NULL);
  load_sessions (self);

  /* Only managers change the workspace (a role can change while the window is open). */
  if (manager && !workspace_shown (self))
    {
      baton_client_get_settings_async (self->client, self->cancellable, settings_loaded_cb, self);
      show_channels (self);
    }
  show_workspace (self, manager);
}

static void
client_event_cb (BatonPreferencesWindow *self,
                 BatonEvent             *event)
{
  g_autoptr(BatonWorkspaceConfig) settings = baton_event_dup_workspace_config (event);

  if (settings)
    apply_workspace_settings (self, settings);
}

static void
flag_toggled_cb (GtkSwitch              *toggle,
                 GParamSpec             *pspec,
                 BatonPreferencesWindow *self)
{
  BatonWorkspaceConfig *sent = NULL;

  if (self->applying || self->client == NULL)
    return;
  sent = baton_workspace_config_new ();
  for (guint i = 0; i < G_N_ELEMENTS (workspace_flags); i++)
    if (SWITCH_AT (self, workspace_flags[i].offset) == toggle)
      {
        FLAG_AT (sent, workspace_flags[i].member) = gtk_switch_get_active (toggle);
        patch_settings (self, sent, workspace_flags[i].field);
        return;
      }
  baton_workspace_config_unref (sent);
}

static void
timezone_applied_cb (BatonPreferencesWindow *self)
{
  BatonWorkspaceConfig *sent = NULL;

  if (self->client == NULL)
    return;
  sent = baton_workspace_config_new ();
  sent->timezone = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->timezone_row)));
  g_strstrip (sent->timezone);
  patch_settings (self, sent, BATON_WORKSPACE_CONFIG_TIMEZONE);
}

static void
timezone_changed_cb (BatonPreferencesWindow *self)
{
  if (self->applying)
    return;
  self->timezone_edited = TRUE;
  /* A new attempt: the last refusal no longer applies. */
  show_timezone_error (self, NULL);
}

static void
sign_out_clicked_cb (BatonPreferencesWindow *self)
{
  /* The button's action (app.sign-out) has run: nothing here belongs to anyone now. */
  gtk_window_close (GTK_WINDOW (self));
}

static void
baton_preferences_window_dispose (GObject *object)
{
  BatonPreferencesWindow *self = BATON_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->sessions_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->sessions_cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->workspace_settings, baton_workspace_config_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), BATON_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->workspace_page_ref);
  g_clear_object (&self->channels_page_ref);
  g_clear_object (&self->agents_page);
  g_clear_object (&self->hours_page);
  g_clear_object (&self->flows_page);

  G_OBJECT_CLASS (baton_preferences_window_parent_class)->dispose (object);
}

static void
baton_preferences_window_class_init (BatonPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = baton_preferences_window_dispose;

  g_type_ensure (BATON_TYPE_CANNED_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/baton/Baton/ui/baton-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BatonPreferencesWindow, workspace_page);
  gtk_widget_class_bind_template_child (widget_class, BatonPreferencesWindow,
                                        first_responder_switch);
  gtk_widget_class_bind_template_child (widget_class, BatonPreferencesWindow, first_reply_switch);
  gtk_widget_class_bind_template_child (widget_class, BatonPreferencesWindow, unassign_switch);
  gtk_widget_class_bind_template_child (widget_class, BatonPreferencesWindow, channels_page);
  gtk_widget_class_bind_template_child (widget_class, BatonPreferencesWindow, channels_list);
  gtk_widget_class_bind_template_child (widget_class, BatonPreferencesWindow, timezone_group);
  gtk_widget_class_bind_template_child (widget_class, BatonPreferencesWindow, timezone_row);
  gtk_widget_class_bind_template_child (widget_class, BatonPreferencesWindow,
                                        timezone_error_icon);
  gtk_widget_class_bind_template_child (widget_class, BatonPreferencesWindow, canned_page);
  gtk_widget_class_bind_template_child (widget_class, BatonPreferencesWindow, notifications_page);
  gtk_widget_class_bind_template_child (widget_class, BatonPreferencesWindow, account_page);
  gtk_widget_class_bind_template_child (widget_class, BatonPreferencesWindow,
                                        notify_new_conversation_switch);
  gtk_widget_class_bind_template_child (widget_class, BatonPreferencesWindow,
                                        notify_assigned_switch);
  gtk_widget_class_bind_template_child (widget_class, BatonPreferencesWindow,
                                        notify_unassigned_switch);
  gtk_widget_class_bind_template_child (widget_class, BatonPreferencesWindow,
                                        notify_reassigned_away_switch);
  gtk_widget_class_bind_template_child (widget_class, BatonPreferencesWindow,
                                        notify_new_message_switch);
  gtk_widget_class_bind_template_child (widget_class, BatonPreferencesWindow,
                                        notify_reopened_switch);
  gtk_widget_class_bind_template_child (widget_class, BatonPreferencesWindow,
                                        notification_sound_switch);
  gtk_widget_class_bind_template_child (widget_class, BatonPreferencesWindow, name_row);
  gtk_widget_class_bind_template_child (widget_class, BatonPreferencesWindow, email_row);
  gtk_widget_class_bind_template_child (widget_class, BatonPreferencesWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, BatonPreferencesWindow, sessions_group);
  gtk_widget_class_bind_template_child (widget_class, BatonPreferencesWindow, sessions_list);
  gtk_widget_class_bind_template_child (widget_class, BatonPreferencesWindow, sign_out_button);
  gtk_widget_class_bind_template_callback (widget_class, flag_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, timezone_applied_cb);
  gtk_widget_class_bind_template_callback (widget_class, timezone_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sign_out_clicked_cb);

  gtk_widget_class_install_action (widget_class, "channels.add-whatsapp", NULL,
                                   add_whatsapp_action);
  gtk_widget_class_install_action (widget_class, "channels.edit", "s", edit_channel_action);
  gtk_widget_class_install_action (widget_class, "channels.delete", "s", delete_channel_action);
  gtk_widget_class_install_action (widget_class, "sessions.revoke", "(sb)",
                                   revoke_session_action);
}

static void
baton_preferences_window_init (BatonPreferencesWindow *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  baton_name_adwaita_controls (GTK_WIDGET (self));
  self->workspace_page_ref = g_object_ref (self->workspace_page);
  self->channels_page_ref = g_object_ref (self->channels_page);
  self->agents_page = g_object_ref_sink (baton_agents_page_new ());
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                              ADW_PREFERENCES_PAGE (self->agents_page));
  self->hours_page = g_object_ref_sink (g_object_new (BATON_TYPE_HOURS_PAGE, NULL));
  /* in the window as the template's managers' pages are, until show_workspace decides */
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), self->hours_page);
  self->flows_page = g_object_ref_sink (g_object_new (BATON_TYPE_FLOWS_PAGE, NULL));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), self->flows_page);
  baton_list_box_set_placeholder_text (self->channels_list, _("No channels yet"));
  /* Until we know the account is a manager's. */
  show_workspace (self, FALSE);
  show_timezone_error (self, NULL);
}

BatonPreferencesWindow *
baton_preferences_window_new (BatonSettings *settings,
                              BatonClient   *client)
{
  BatonPreferencesWindow *self = NULL;

  g_return_val_if_fail (BATON_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (client == NULL || BATON_IS_CLIENT (client), NULL);

  self = g_object_new (BATON_TYPE_PREFERENCES_WINDOW, NULL);
  self->settings = g_object_ref (settings);
  for (guint i = 0; i < G_N_ELEMENTS (local_switches); i++)
    g_object_bind_property (settings, local_switches[i].property,
                            SWITCH_AT (self, local_switches[i].offset), "active",
                            G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  if (client)
    {
      self->client = g_object_ref (client);
      g_signal_connect_object (client, "event", G_CALLBACK (client_event_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (client, "notify::me", G_CALLBACK (update_account), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (baton_client_get_directory (client), "changed",
                               G_CALLBACK (show_channels), self, G_CONNECT_SWAPPED);
      baton_canned_page_set_client (self->canned_page, client);
      baton_agents_page_set_client (self->agents_page, client);
      baton_hours_page_set_client (BATON_HOURS_PAGE (self->hours_page), client);
      baton_flows_page_set_client (BATON_FLOWS_PAGE (self->flows_page), client);
    }
  update_account (self);
  /* A manager opens the preferences mostly for the workspace. */
  if (is_manager (self))
    adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (self), self->workspace_page);
  return self;
}
