/* baton-agents-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-agents-page"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "baton-agent-row.h"
#include "baton-agents-page.h"
#include "baton-describe.h"
#include "baton-directory.h"
#include "baton-toast.h"
#include "baton-widget-util.h"

struct _BatonAgentsPage
{
  AdwPreferencesPage parent_instance;

  /* template widgets */
  GtkListBox *agents_list;

  /* owned refs */
  BatonClient *client;
  GCancellable *cancellable;
  GSignalGroup *directory_signals;
  GSignalGroup *client_signals;

  /* state */
  guint reload_id;
};

G_DEFINE_FINAL_TYPE (BatonAgentsPage, baton_agents_page, ADW_TYPE_PREFERENCES_PAGE)

static BatonAgent *
find_agent (BatonAgentsPage *self,
            const char      *agent_id)
{
  return self->client ? baton_directory_lookup_agent (baton_client_get_directory (self->client),
                                                      agent_id)
                      : NULL;
}

/* Tells of a failed call, unless the page went away meanwhile. */
static void
tell_error (gpointer      user_data,
            const GError *error)
{
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    baton_toast_tell (GTK_WIDGET (user_data), baton_describe_error (error));
}

static GtkWindow *
parent_window (BatonAgentsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* "Agent" and "Manager", in BatonRole's order. */
static GtkStringList *
roles_model (void)
{
  const char *roles[] = { _("Agent"), _("Manager"), NULL };

  return gtk_string_list_new (roles);
}

static void
role_set_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonAgent) agent = baton_client_set_agent_role_finish (BATON_CLIENT (source),
                                                                    result, &error);

  if (agent)
    return;
  tell_error (user_data, error);
  /* the drop-down goes back to the role the agent has */
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    baton_directory_reload (baton_client_get_directory (BATON_CLIENT (source)));
}

static void
role_selected_cb (GtkDropDown     *drop_down,
                  GParamSpec      *pspec,
                  BatonAgentsPage *self)
{
  const char *agent_id = g_object_get_data (G_OBJECT (drop_down), "baton-agent-id");
  BatonRole role = gtk_drop_down_get_selected (drop_down) == 1 ? BATON_ROLE_MANAGER
                                                                : BATON_ROLE_AGENT;

  if (self->client)
    baton_client_set_agent_role_async (self->client, agent_id, role, self->cancellable,
                                       role_set_cb, self);
}

static GtkWidget *
role_drop_down (BatonAgentsPage *self,
                BatonAgent      *agent)
{
  g_autoptr(GtkStringList) roles = roles_model ();
  GtkWidget *drop_down = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&roles)), NULL);
  /* Translators: %s is an agent's name */
  g_autofree char *label = g_strdup_printf (_("Role of %s"), agent->name);

  gtk_widget_set_valign (drop_down, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (drop_down, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (drop_down), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  label, -1);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (drop_down),
                              agent->role == BATON_ROLE_MANAGER ? 1 : 0);
  g_object_set_data_full (G_OBJECT (drop_down), "baton-agent-id", g_strdup (agent->id), g_free);
  g_signal_connect_object (drop_down, "notify::selected", G_CALLBACK (role_selected_cb), self,
                           0);
  return drop_down;
}

/* Ana Lima, "ana@example.com" over "Online · 2 active", her role, reset and remove. */
static GtkWidget *
create_row (BatonAgentsPage *self,
            BatonAgent      *agent)
{
  GtkWidget *row = baton_agent_row_new (agent);
  AdwActionRow *action_row = ADW_ACTION_ROW (row);
  g_autofree char *subtitle = g_strdup_printf ("%s\n%s", agent->email ? agent->email : "",
                                               adw_action_row_get_subtitle (action_row));
  /* Translators: %s is an agent's name */
  g_autofree char *reset = g_strdup_printf (_("Reset Password of %s"), agent->name);
  GtkWidget *reset_button = baton_icon_button_new ("dialog-password-symbolic", reset);

  adw_action_row_set_subtitle (action_row, subtitle);
  adw_action_row_set_subtitle_lines (action_row, 2);
  adw_action_row_add_suffix (action_row, role_drop_down (self, agent));
  gtk_widget_set_valign (reset_button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (reset_button), "agents.reset-password");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (reset_button), "s", agent->id);
  adw_action_row_add_suffix (action_row, reset_button);
  baton_agent_row_add_remove_button (BATON_AGENT_ROW (row), "agents.remove", agent->id);
  gtk_widget_set_name (row, agent->id);
  return row;
}

static void
show_agents (BatonAgentsPage *self)
{
  g_autoptr(GPtrArray) agents = NULL;

  baton_list_box_remove_all (self->agents_list);
  if (self->client == NULL)
    return;
  agents = baton_agents_by_name (baton_client_get_directory (self->client));
  for (guint i = 0; i < agents->len; i++)
    gtk_list_box_append (self->agents_list, create_row (self, agents->pdata[i]));
}

/* Loads ("2 active") are not published with the agents: they change with conversations. While
 * the page shows, a conversation's change reloads the directory, a burst of them once. */
static gboolean
reload_cb (gpointer user_data)
{
  BatonAgentsPage *self = user_data;

  self->reload_id = 0;
  if (self->client)
    baton_directory_reload (baton_client_get_directory (self->client));
  return G_SOURCE_REMOVE;
}

static void
client_event_cb (BatonAgentsPage *self,
                 BatonEvent      *event)
{
  BatonEventKind kind = baton_event_get_kind (event);

  if ((kind == BATON_EVENT_CONVERSATION_CREATED || kind == BATON_EVENT_CONVERSATION_UPDATED)
      && gtk_widget_get_mapped (GTK_WIDGET (self)) && self->reload_id == 0)
    self->reload_id = g_timeout_add_seconds (1, reload_cb, self);
}

static void
mapped_cb (BatonAgentsPage *self)
{
  if (self->client)
    baton_directory_reload (baton_client_get_directory (self->client));
}

static void
copy_clicked_cb (GtkButton *button)
{
  const char *password = g_object_get_data (G_OBJECT (button), "baton-password");

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)), password);
  baton_toast_tell (GTK_WIDGET (button), _("Password copied"));
}

/* The password the server chose, shown this once, with a button to copy it. */
static void
show_password (BatonAgentsPage *self,
               BatonAgent      *agent,
               const char      *password)
{
  /* Translators: %s is an agent's name */
  g_autofree char *heading = g_strdup_printf (_("Password of %s"), agent->name);
  GtkWidget *dialog = adw_message_dialog_new (parent_window (self), heading,
                                              _("Give it to them to sign in with their email. "
                                                "Baton will not show it again."));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (password);
  GtkWidget *copy = baton_icon_button_new ("edit-copy-symbolic", _("Copy Password"));

  gtk_widget_set_name (dialog, "password-dialog");
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_name (label, "password");
  gtk_widget_add_css_class (label, "monospace");
  gtk_widget_add_css_class (label, "title-3");
  g_object_set_data_full (G_OBJECT (copy), "baton-password", g_strdup (password), g_free);
  g_signal_connect (copy, "clicked", G_CALLBACK (copy_clicked_cb), NULL);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), copy);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Done"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
password_chosen_cb (BatonAgentsPage *self,
                    BatonAgent      *agent,
                    const char      *password,
                    const GError    *error)
{
  if (agent == NULL)
    tell_error (self, error);
  else
    show_password (self, agent, password);
}


static void
reset_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  g_autoptr(BatonAgent) agent = baton_client_reset_agent_password_finish (BATON_CLIENT (source),
                                                                          result, &password,
                                                                          &error);

  password_chosen_cb (user_data, agent, password, error);
}

static void
deleted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* the list follows agent.deleted */
  if (!baton_client_delete_agent_finish (BATON_CLIENT (source), result, &error))
    tell_error (user_data, error);
}

static void
confirm_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     BatonAgentsPage  *self)
{
  const char *agent_id = g_object_get_data (G_OBJECT (dialog), "baton-agent-id");

  if (self->client == NULL)
    return;
  if (g_str_equal (response, "reset"))
    baton_client_reset_agent_password_async (self->client, agent_id, self->cancellable,
                                             reset_cb, self);
  else if (g_str_equal (response, "remove"))
    baton_client_delete_agent_async (self->client, agent_id, self->cancellable, deleted_cb,
                                     self);
}

/* Asks before response (a destructive one) is done to the agent. */
static void
confirm (BatonAgentsPage *self,
         BatonAgent      *agent,
         const char      *heading,
         const char      *body,
         const char      *response,
         const char      *label)
{
  GtkWidget *dialog = adw_message_dialog_new (parent_window (self), heading, body);
  AdwMessageDialog *message = ADW_MESSAGE_DIALOG (dialog);

  gtk_widget_set_name (dialog, response);
  adw_message_dialog_add_responses (message, "cancel", _("_Cancel"), response, label, NULL);
  adw_message_dialog_set_response_appearance (message, response, ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (message, "cancel");
  adw_message_dialog_set_close_response (message, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "baton-agent-id", g_strdup (agent->id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
reset_password_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  BatonAgentsPage *self = BATON_AGENTS_PAGE (widget);
  BatonAgent *agent = find_agent (self, g_variant_get_string (parameter, NULL));
  g_autofree char *heading = NULL;

  if (agent == NULL)
    return;
  /* Translators: %s is an agent's name */
  heading = g_strdup_printf (_("Reset the Password of %s?"), agent->name);
  confirm (self, agent, heading,
           _("Baton chooses a new password and shows it once. Their current password stops "
             "working and they are signed out everywhere."),
           "reset", _("_Reset Password"));
}

/* What the server does to a removed agent's work (PROTOCOL.md, DELETE /agents). */
static char *
removal_text (BatonAgent *agent)
{
  g_autofree char *active = NULL;

  if (agent->active_count == 0)
    active = g_strdup (_("They have no active conversations."));
  else
    active = g_strdup_printf (ngettext ("Their %d active conversation is unassigned and goes "
                                        "back to its team's queue.",
                                        "Their %d active conversations are unassigned and go "
                                        "back to their teams' queues.",
                                        agent->active_count),
                              agent->active_count);
  /* Translators: %s says what becomes of the agent's active conversations */
  return g_strdup_printf (_("%s They are taken off their teams and no longer own contacts. "
                            "They cannot sign in again."), active);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BatonAgentsPage *self = BATON_AGENTS_PAGE (widget);
  BatonAgent *agent = find_agent (self, g_variant_get_string (parameter, NULL));
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;

  if (agent == NULL)
    return;
  /* Translators: %s is an agent's name */
  heading = g_strdup_printf (_("Remove %s?"), agent->name);
  body = removal_text (agent);
  confirm (self, agent, heading, body, "remove", _("_Remove"));
}

/* The invitation's form: name, email and role. */
typedef struct {
  GtkEditable *name;
  GtkEditable *email;
  AdwComboRow *role;
} InviteForm;

/* What a manager typed in the invitation, kept to ask again when the server refuses it. */
typedef struct {
  BatonAgentsPage *self;
  char *name;
  char *email;
  guint role;
} Invitation;

static void
invitation_free (Invitation *invitation)
{
  g_free (invitation->name);
  g_free (invitation->email);
  g_free (invitation);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Invitation, invitation_free)

static void present_invitation (BatonAgentsPage *self,
                                Invitation      *draft,
                                const char      *problem);

static void
invited_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Invitation) invitation = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  g_autoptr(BatonAgent) agent = baton_client_create_agent_finish (BATON_CLIENT (source), result,
                                                                  &password, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* nothing typed is lost: the form comes back with the reason */
  if (agent == NULL)
    present_invitation (invitation->self, invitation, baton_describe_error (error));
  else
    show_password (invitation->self, agent, password);
}

static void
invite_form_changed_cb (AdwMessageDialog *dialog)
{
  InviteForm *form = g_object_get_data (G_OBJECT (dialog), "baton-form");
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (form->name)));
  g_autofree char *email = g_strstrip (g_strdup (gtk_editable_get_text (form->email)));

  adw_message_dialog_set_response_enabled (dialog, "invite", *name && strchr (email, '@'));
}

static void
invite_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    BatonAgentsPage  *self)
{
  InviteForm *form = g_object_get_data (G_OBJECT (dialog), "baton-form");
  Invitation *invitation = NULL;

  if (!g_str_equal (response, "invite") || self->client == NULL)
    return;
  invitation = g_new0 (Invitation, 1);
  invitation->self = self;
  invitation->name = g_strstrip (g_strdup (gtk_editable_get_text (form->name)));
  invitation->email = g_strstrip (g_strdup (gtk_editable_get_text (form->email)));
  invitation->role = adw_combo_row_get_selected (form->role);
  baton_client_create_agent_async (self->client, invitation->name, invitation->email,
                                   invitation->role == 1 ? BATON_ROLE_MANAGER
                                                         : BATON_ROLE_AGENT,
                                   self->cancellable, invited_cb, invitation);
}

static GtkWidget *
entry_row (AdwMessageDialog *dialog,
           const char       *title)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  /* libadwaita 1.2 does not name an entry row after its title */
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  g_signal_connect_object (row, "changed", G_CALLBACK (invite_form_changed_cb), dialog,
                           G_CONNECT_SWAPPED);
  return row;
}

/* The invitation's dialog, filled with draft (may be NULL) and saying the problem with it
 * (may be NULL). */
static void
present_invitation (BatonAgentsPage *self,
                    Invitation      *draft,
                    const char      *problem)
{
  GtkWidget *dialog = adw_message_dialog_new (parent_window (self), _("Invite an Agent"),
                                              problem ? problem
                                                      : _("Baton chooses their password and "
                                                          "shows it to you once."));
  AdwMessageDialog *message = ADW_MESSAGE_DIALOG (dialog);
  GtkWidget *list = gtk_list_box_new ();
  InviteForm *form = g_new0 (InviteForm, 1);
  g_autoptr(GtkStringList) roles = roles_model ();

  gtk_widget_set_name (dialog, "invite");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  form->name = GTK_EDITABLE (entry_row (message, _("Name")));
  form->email = GTK_EDITABLE (entry_row (message, _("Email")));
  form->role = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (form->role), _("Role"));
  adw_combo_row_set_model (form->role, G_LIST_MODEL (roles));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (form->name));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (form->email));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (form->role));
  g_object_set_data_full (G_OBJECT (dialog), "baton-form", form, g_free);
  adw_message_dialog_set_extra_child (message, list);
  adw_message_dialog_add_responses (message, "cancel", _("_Cancel"), "invite", _("_Invite"),
                                    NULL);
  adw_message_dialog_set_response_appearance (message, "invite", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (message, "invite", FALSE);
  if (draft)
    {
      gtk_editable_set_text (form->name, draft->name);
      gtk_editable_set_text (form->email, draft->email);
      adw_combo_row_set_selected (form->role, draft->role);
    }
  adw_message_dialog_set_default_response (message, "invite");
  adw_message_dialog_set_close_response (message, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (invite_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
invite_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  present_invitation (BATON_AGENTS_PAGE (widget), NULL, NULL);
}

/* A signal, not the action: an action button in the header goes insensitive for good when
 * the window takes the page out and puts it back (a manager's pages come and go). */
static void
invite_clicked_cb (BatonAgentsPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "agents.invite", NULL);
}

static void
baton_agents_page_dispose (GObject *object)
{
  BatonAgentsPage *self = BATON_AGENTS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->directory_signals);
  g_clear_object (&self->client_signals);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  g_clear_object (&self->client);
  gtk_widget_dispose_template (GTK_WIDGET (self), BATON_TYPE_AGENTS_PAGE);

  G_OBJECT_CLASS (baton_agents_page_parent_class)->dispose (object);
}

static void
baton_agents_page_class_init (BatonAgentsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = baton_agents_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/baton/Baton/ui/baton-agents-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BatonAgentsPage, agents_list);
  gtk_widget_class_bind_template_callback (widget_class, invite_clicked_cb);

  gtk_widget_class_install_action (widget_class, "agents.invite", NULL, invite_action);
  gtk_widget_class_install_action (widget_class, "agents.reset-password", "s",
                                   reset_password_action);
  gtk_widget_class_install_action (widget_class, "agents.remove", "s", remove_action);
}

static void
baton_agents_page_init (BatonAgentsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->directory_signals = g_signal_group_new (BATON_TYPE_DIRECTORY);
  g_signal_group_connect_swapped (self->directory_signals, "changed", G_CALLBACK (show_agents),
                                  self);
  self->client_signals = g_signal_group_new (BATON_TYPE_CLIENT);
  g_signal_group_connect_swapped (self->client_signals, "event", G_CALLBACK (client_event_cb),
                                  self);
  g_signal_connect (self, "map", G_CALLBACK (mapped_cb), NULL);
}

BatonAgentsPage *
baton_agents_page_new (void)
{
  return g_object_new (BATON_TYPE_AGENTS_PAGE, NULL);
}

void
baton_agents_page_set_client (BatonAgentsPage *self,
                              BatonClient     *client)
{
  g_return_if_fail (BATON_IS_AGENTS_PAGE (self));
  g_return_if_fail (client == NULL || BATON_IS_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;
  g_signal_group_set_target (self->directory_signals,
                             client ? baton_client_get_directory (client) : NULL);
  g_signal_group_set_target (self->client_signals, client);
  show_agents (self);
}
