/* baton-preferences-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "baton-preferences-window.h"
#include "baton-toast.h"

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
  /* template widgets: notifications (local) */
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
  GtkButton *sign_out_button;

  /* owned */
  /* Kept while out of the window (agents): a page cannot be hidden from the switcher. */
  AdwPreferencesPage *workspace_page_ref;
  BatonSettings *settings;
  BatonClient *client;
  GCancellable *cancellable;
  /* The workspace's settings as the server last said them. */
  JsonNode *workspace_settings;

  /* state */
  gboolean applying;
  /* The time zone row holds text the person typed and the server has not taken (yet). */
  gboolean timezone_edited;
};

/* A PATCH /settings in flight. */
typedef struct {
  BatonPreferencesWindow *self;
  JsonNode *body;
} Patch;

G_DEFINE_FINAL_TYPE (BatonPreferencesWindow, baton_preferences_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

/* Workspace switch and its member of PATCH /settings. */
static const struct {
  const char *member;
  gsize offset;
} workspace_flags[] = {
  { "first_responder_becomes_owner",
    G_STRUCT_OFFSET (BatonPreferencesWindow, first_responder_switch) },
  { "first_reply_takes_assignment", G_STRUCT_OFFSET (BatonPreferencesWindow, first_reply_switch) },
  { "unassign_on_resolve", G_STRUCT_OFFSET (BatonPreferencesWindow, unassign_switch) },
};

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
  json_node_unref (patch->body);
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

static void
copy_member (JsonObject *from,
             const char *name,
             JsonNode   *value,
             gpointer    user_data)
{
  json_object_set_member (user_data, name, json_node_copy (value));
}

/* Our own copy (events and answers may be sealed), merged into by successful changes. */
static JsonNode *
copy_settings (JsonNode *settings)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *copy = json_object_new ();

  json_object_foreach_member (json_node_get_object (settings), copy_member, copy);
  json_node_take_object (node, copy);
  return node;
}

/* Shows the server's settings without sending them back. */
static void
apply_workspace_settings (BatonPreferencesWindow *self,
                          JsonNode               *settings)
{
  JsonObject *object = NULL;
  const char *timezone = NULL;

  if (settings == NULL || !JSON_NODE_HOLDS_OBJECT (settings))
    return;
  if (settings != self->workspace_settings)
    {
      g_clear_pointer (&self->workspace_settings, json_node_unref);
      self->workspace_settings = copy_settings (settings);
    }
  object = json_node_get_object (self->workspace_settings);

  self->applying = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (workspace_flags); i++)
    if (json_object_has_member (object, workspace_flags[i].member))
      gtk_switch_set_active (SWITCH_AT (self, workspace_flags[i].offset),
                             json_object_get_boolean_member (object, workspace_flags[i].member));
  timezone = json_object_get_string_member_with_default (object, "timezone", NULL);
  /* Never overwrite what the person is typing. */
  if (timezone && !self->timezone_edited)
    {
      /* Toggled around the change, so a value from the server shows no apply button. */
      adw_entry_row_set_show_apply_button (self->timezone_row, FALSE);
      gtk_editable_set_text (GTK_EDITABLE (self->timezone_row), timezone);
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
  g_autoptr(JsonNode) settings = baton_client_call_finish (BATON_CLIENT (source), result, &error);
  BatonPreferencesWindow *self = NULL;
  JsonObject *sent = json_node_get_object (patch->body);
  gboolean had_timezone = json_object_has_member (sent, "timezone");

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = patch->self;
  if (settings)
    {
      /* Only what we sent is news: the answer may be older than a settings.updated already
       * shown (events and answers do not share an order). */
      if (self->workspace_settings && JSON_NODE_HOLDS_OBJECT (self->workspace_settings))
        {
          JsonObject *known = json_node_get_object (self->workspace_settings);
          g_autoptr(GList) members = json_object_get_members (sent);

          for (GList *l = members; l; l = l->next)
            json_object_set_member (known, l->data,
                                    json_node_copy (json_object_get_member (sent, l->data)));
        }
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
      show_timezone_error (self, error->message);
      return;
    }
  /* Not saved: show what is in force again. */
  show_toast (self, error->message);
  if (had_timezone)
    self->timezone_edited = FALSE;
  apply_workspace_settings (self, self->workspace_settings);
}

static void
patch_settings (BatonPreferencesWindow *self,
                JsonNode               *body)
{
  Patch *patch = g_new0 (Patch, 1);

  patch->self = self;
  patch->body = json_node_ref (body);
  baton_client_call_async (self->client, "PATCH", "/settings", body, self->cancellable,
                           settings_patched_cb, patch);
}

static void
settings_loaded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) settings = baton_client_call_finish (BATON_CLIENT (source), result, &error);
  BatonPreferencesWindow *self = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = BATON_PREFERENCES_WINDOW (user_data);
  if (settings == NULL)
    show_toast (self, error->message);
  else
    apply_workspace_settings (self, settings);
}

static gboolean
workspace_shown (BatonPreferencesWindow *self)
{
  return gtk_widget_get_parent (GTK_WIDGET (self->workspace_page)) != NULL;
}

/* Adds (first) or removes the workspace page. */
static void
show_workspace (BatonPreferencesWindow *self,
                gboolean                show)
{
  AdwPreferencesWindow *window = ADW_PREFERENCES_WINDOW (self);
  AdwPreferencesPage *after[] = { self->notifications_page, self->account_page };
  AdwPreferencesPage *visible = adw_preferences_window_get_visible_page (window);

  if (show == workspace_shown (self))
    return;
  if (!show)
    {
      adw_preferences_window_remove (window, self->workspace_page);
      /* The view stack does not pick another page by itself. */
      if (visible == NULL || visible == self->workspace_page)
        visible = self->notifications_page;
      adw_preferences_window_set_visible_page (window, visible);
      return;
    }
  /* Pages can only be appended: take the others out to put it first. */
  for (guint i = 0; i < G_N_ELEMENTS (after); i++)
    {
      g_object_ref (after[i]);
      adw_preferences_window_remove (window, after[i]);
    }
  adw_preferences_window_add (window, self->workspace_page);
  for (guint i = 0; i < G_N_ELEMENTS (after); i++)
    {
      adw_preferences_window_add (window, after[i]);
      g_object_unref (after[i]);
    }
  adw_preferences_window_set_visible_page (window, visible ? visible : self->workspace_page);
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

  /* Only managers change the workspace (a role can change while the window is open). */
  if (manager && !workspace_shown (self))
    baton_client_call_async (self->client, "GET", "/settings", NULL, self->cancellable,
                             settings_loaded_cb, self);
  show_workspace (self, manager);
}

static void
client_event_cb (BatonPreferencesWindow *self,
                 BatonEvent             *event)
{
  if (g_str_equal (event->type, "settings.updated"))
    apply_workspace_settings (self, event->data);
}

static void
flag_toggled_cb (GtkSwitch              *toggle,
                 GParamSpec             *pspec,
                 BatonPreferencesWindow *self)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;

  if (self->applying || self->client == NULL)
    return;
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (workspace_flags); i++)
    if (SWITCH_AT (self, workspace_flags[i].offset) == toggle)
      {
        json_builder_set_member_name (builder, workspace_flags[i].member);
        json_builder_add_boolean_value (builder, gtk_switch_get_active (toggle));
      }
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  patch_settings (self, body);
}

static void
timezone_applied_cb (BatonPreferencesWindow *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *timezone = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->timezone_row)));

  if (self->client == NULL)
    return;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "timezone");
  json_builder_add_string_value (builder, g_strstrip (timezone));
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  patch_settings (self, body);
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
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->workspace_settings, json_node_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), BATON_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->workspace_page_ref);

  G_OBJECT_CLASS (baton_preferences_window_parent_class)->dispose (object);
}

static void
baton_preferences_window_class_init (BatonPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = baton_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/baton/Baton/ui/baton-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BatonPreferencesWindow, workspace_page);
  gtk_widget_class_bind_template_child (widget_class, BatonPreferencesWindow,
                                        first_responder_switch);
  gtk_widget_class_bind_template_child (widget_class, BatonPreferencesWindow, first_reply_switch);
  gtk_widget_class_bind_template_child (widget_class, BatonPreferencesWindow, unassign_switch);
  gtk_widget_class_bind_template_child (widget_class, BatonPreferencesWindow, timezone_group);
  gtk_widget_class_bind_template_child (widget_class, BatonPreferencesWindow, timezone_row);
  gtk_widget_class_bind_template_child (widget_class, BatonPreferencesWindow,
                                        timezone_error_icon);
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
  gtk_widget_class_bind_template_child (widget_class, BatonPreferencesWindow, sign_out_button);
  gtk_widget_class_bind_template_callback (widget_class, flag_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, timezone_applied_cb);
  gtk_widget_class_bind_template_callback (widget_class, timezone_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sign_out_clicked_cb);
}

static void
baton_preferences_window_init (BatonPreferencesWindow *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  self->workspace_page_ref = g_object_ref (self->workspace_page);
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
    }
  update_account (self);
  /* A manager opens the preferences mostly for the workspace. */
  if (is_manager (self))
    adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (self), self->workspace_page);
  return self;
}
