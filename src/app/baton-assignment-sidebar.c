/* baton-assignment-sidebar.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-assignment-sidebar"

#include "config.h"

#include <glib/gi18n.h>

#include "baton-agent-row.h"
#include "baton-assignee-picker.h"
#include "baton-assignment-sidebar.h"
#include "baton-contact-card.h"
#include "baton-describe.h"
#include "baton-directory.h"
#include "baton-rules.h"
#include "baton-toast.h"
#include "baton-widget-util.h"

struct _BatonAssignmentSidebar
{
  GtkWidget parent_instance;

  /* template widgets */
  AdwToastOverlay *toasts;
  AdwViewSwitcherTitle *switcher_title;
  GtkStack *content_stack;
  AdwStatusPage *error_page;
  GtkMenuButton *assign_button;
  BatonAssigneePicker *picker;
  GtkListBox *assigned_list;
  GtkButton *claim_button;
  GtkButton *unassign_button;
  BatonContactCard *contact_card;

  /* owned refs */
  BatonClient *client;
  GSignalGroup *client_signals;
  GSignalGroup *directory_signals;

  /* state */
  char *conversation_id;
  BatonConversation *conversation;
  /* The conversation's calls; cancelled with the widget, another client or conversation. */
  GCancellable *cancellable;
  gboolean folded;
  /* "Assign to Me" lost to someone faster: the reload says who */
  gboolean claim_lost;
};

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_CONVERSATION_ID,
  PROP_FOLDED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (BatonAssignmentSidebar, baton_assignment_sidebar, GTK_TYPE_WIDGET)

/* Helpers */

static void
show_toast (BatonAssignmentSidebar *self,
            const char             *message)
{
  /* The window's overlay when hosted, the sidebar's own otherwise. */
  if (!baton_toast_show (GTK_WIDGET (self), message))
    adw_toast_overlay_add_toast (self->toasts, baton_toast_new (message));
}

static BatonDirectory *
directory (BatonAssignmentSidebar *self)
{
  return self->client ? baton_client_get_directory (self->client) : NULL;
}

static BatonAgent *
get_me (BatonAssignmentSidebar *self)
{
  return self->client ? baton_client_get_me (self->client) : NULL;
}

static gboolean
is_unassigned (BatonAssignmentSidebar *self)
{
  return self->conversation
         && baton_strv_is_empty ((const char * const *) self->conversation->assignee_ids);
}

/* Any agent may assign a conversation nobody holds; only its assignees or a manager may
 * reassign or unassign a held one. */
static gboolean
may_assign (BatonAssignmentSidebar *self)
{
  BatonAgent *me = get_me (self);

  return me && self->conversation && baton_rules_may_reassign (me, self->conversation);
}

static gboolean
is_sole_assignee (BatonAssignmentSidebar *self)
{
  BatonAgent *me = get_me (self);
  GStrv ids = self->conversation ? self->conversation->assignee_ids : NULL;

  return me && ids && ids[0] && g_strcmp0 (ids[0], me->id) == 0 && ids[1] == NULL;
}

/* Showing */

static void
update_actions (BatonAssignmentSidebar *self)
{
  gboolean assign = self->conversation && may_assign (self);
  gboolean change = may_assign (self) && !is_unassigned (self);
  gboolean claim = assign && !is_sole_assignee (self);
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "sidebar.assign", assign);
  gtk_widget_action_set_enabled (widget, "sidebar.assign-team", assign);
  gtk_widget_action_set_enabled (widget, "sidebar.remove-team",
                                 assign && self->conversation->team_id != NULL);
  gtk_widget_action_set_enabled (widget, "sidebar.remove-assignee", change);
  gtk_widget_action_set_enabled (widget, "sidebar.unassign", change);
  gtk_widget_action_set_enabled (widget, "sidebar.claim", claim);

  /* Forbidden actions are not offered at all. */
  gtk_widget_set_visible (GTK_WIDGET (self->assign_button), assign);
  gtk_widget_set_visible (GTK_WIDGET (self->claim_button), claim);
  gtk_widget_set_visible (GTK_WIDGET (self->unassign_button), change);
  if (!assign)
    gtk_popover_popdown (GTK_POPOVER (self->picker));
}

static GtkWidget *
new_team_row (BatonAssignmentSidebar *self,
              const char             *team_id)
{
  BatonTeam *team = directory (self) ? baton_directory_lookup_team (directory (self), team_id)
                    : NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("system-users-symbolic");
  g_autofree char *tooltip = NULL;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 team ? team->name : _("Unknown team"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Team"));
  gtk_widget_set_size_request (icon, 32, -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  if (may_assign (self))
    {
      tooltip = g_strdup_printf (_("Remove team %s"), team ? team->name : "");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 baton_remove_button_new ("sidebar.remove-team", NULL, tooltip));
    }
  return row;
}

static GtkWidget *
new_unassigned_row (void)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label = gtk_label_new (_("Unassigned"));

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  return row;
}

static void
update_assignment (BatonAssignmentSidebar *self)
{
  BatonConversation *conversation = self->conversation;
  BatonDirectory *people = directory (self);
  /* Used for the assignees' remove buttons: held, the rule is the one for reassigning. */
  gboolean change = may_assign (self);

  baton_list_box_remove_all (self->assigned_list);
  if (conversation == NULL)
    return;

  if (conversation->team_id)
    gtk_list_box_append (self->assigned_list, new_team_row (self, conversation->team_id));
  for (guint i = 0; conversation->assignee_ids && conversation->assignee_ids[i]; i++)
    {
      const char *id = conversation->assignee_ids[i];
      GtkWidget *row = baton_agent_row_new (people ? baton_directory_lookup_agent (people, id)
                                                   : NULL);

      if (change)
        baton_agent_row_add_remove_button (BATON_AGENT_ROW (row), "sidebar.remove-assignee", id);
      gtk_list_box_append (self->assigned_list, row);
    }
  if (is_unassigned (self))
    gtk_list_box_append (self->assigned_list, new_unassigned_row ());
}

static void
update_subtitle (BatonAssignmentSidebar *self)
{
  BatonContact *contact = baton_contact_card_get_contact (self->contact_card);

  adw_view_switcher_title_set_subtitle (self->switcher_title,
                                        contact ? contact->name
                                        : self->conversation ? self->conversation->contact_name
                                        : "");
}

static void
update_page (BatonAssignmentSidebar *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->content_stack);

  if (self->conversation_id == NULL)
    page = "empty";
  else if (self->conversation)
    page = "details";
  else if (g_strcmp0 (page, "error") != 0)
    page = "loading";
  gtk_stack_set_visible_child_name (self->content_stack, page);
  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title,
                                                     g_str_equal (page, "details"));
}

static void
update_all (BatonAssignmentSidebar *self)
{
  update_page (self);
  update_assignment (self);
  update_subtitle (self);
  baton_assignee_picker_set_conversation (self->picker, self->conversation);
  update_actions (self);
}

/* Loading */

/* Shows a newer state of the conversation; an older one (a late answer) is dropped. */
static void
apply_conversation (BatonAssignmentSidebar *self,
                    BatonConversation      *conversation)
{
  if (g_strcmp0 (conversation->id, self->conversation_id) != 0)
    return;
  if (self->conversation && conversation->version < self->conversation->version)
    return;
  /* Its assignees changed: so did their loads ("2 active"), here and in the picker. */
  if (self->conversation && directory (self)
      && !baton_strv_equal_sets ((const char * const *) self->conversation->assignee_ids,
                                 (const char * const *) conversation->assignee_ids))
    baton_directory_reload (directory (self));
  g_clear_pointer (&self->conversation, baton_conversation_unref);
  self->conversation = baton_conversation_ref (conversation);
  baton_contact_card_set_contact_id (self->contact_card, conversation->contact_id);
  baton_contact_card_set_conversation_id (self->contact_card, conversation->id);
  update_all (self);
}

static void
conversation_loaded_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonConversation) conversation = baton_client_get_conversation_finish (
    BATON_CLIENT (source), result, &error);
  BatonAssignmentSidebar *self = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = BATON_ASSIGNMENT_SIDEBAR (user_data);
  if (conversation == NULL)
    {
      const char *message = baton_describe_error (error);

      /* Keep what is shown when a reload fails; say why when there is nothing. */
      if (self->conversation)
        show_toast (self, message);
      else
        {
          adw_status_page_set_description (self->error_page, message);
          gtk_stack_set_visible_child_name (self->content_stack, "error");
        }
      return;
    }
  if (self->claim_lost)
    {
      g_autofree char *taken = baton_describe_taken (directory (self), conversation);

      self->claim_lost = FALSE;
      if (taken)
        show_toast (self, taken);
    }
  apply_conversation (self, conversation);
}

static void
load_conversation (BatonAssignmentSidebar *self)
{
  if (self->client == NULL || self->conversation_id == NULL)
    return;
  baton_client_get_conversation_async (self->client, self->conversation_id,
                                       self->cancellable, conversation_loaded_cb, self);
}

/* Changing */

static void
assignment_changed (BatonAssignmentSidebar *self,
                    BatonConversation      *conversation,
                    GError                 *error)
{
  if (conversation == NULL)
    {
      /* Someone was faster (409) or the rights changed (403): say so, show what is. */
      show_toast (self, baton_describe_error (error));
      load_conversation (self);
      return;
    }
  apply_conversation (self, conversation);
}

static void
assigned_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonConversation) conversation = baton_client_assign_finish (BATON_CLIENT (source),
                                                                          result, &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    assignment_changed (BATON_ASSIGNMENT_SIDEBAR (user_data), conversation, error);
}

static void
claimed_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonConversation) conversation = baton_client_act_finish (BATON_CLIENT (source),
                                                                       result, &error);
  BatonAssignmentSidebar *self = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = BATON_ASSIGNMENT_SIDEBAR (user_data);
  /* Someone was faster: say who, once the conversation as it is now has come. */
  if (g_error_matches (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_CONFLICT))
    {
      self->claim_lost = TRUE;
      load_conversation (self);
      return;
    }
  assignment_changed (self, conversation, error);
}

/* Handed to a team, the conversation may find nobody eligible: it waits in the team's queue,
 * which the agent would not otherwise notice. */
static void
handed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonConversation) conversation = baton_client_assign_finish (BATON_CLIENT (source),
                                                                          result, &error);
  BatonAssignmentSidebar *self = NULL;
  BatonTeam *team = NULL;
  g_autofree char *message = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = BATON_ASSIGNMENT_SIDEBAR (user_data);
  assignment_changed (self, conversation, error);
  if (conversation == NULL || conversation->team_id == NULL
      || !baton_strv_is_empty ((const char * const *) conversation->assignee_ids))
    return;
  team = directory (self) ? baton_directory_lookup_team (directory (self), conversation->team_id)
         : NULL;
  /* TRANSLATORS: %s is a team's name */
  message = g_strdup_printf (_("Queued for %s: nobody is available"),
                             team ? team->name : _("the team"));
  show_toast (self, message);
}

/* PUT /assignment: team_id when set_team (NULL = no team), assignee_ids when not NULL;
 * callback takes the answer. */
static void
change_assignment_then (BatonAssignmentSidebar *self,
                        gboolean                set_team,
                        const char             *team_id,
                        GStrv                   assignee_ids,
                        GAsyncReadyCallback     callback)
{
  if (self->client == NULL || self->conversation == NULL)
    return;
  /* What the agent decided on: a change by someone else since then is a 409. */
  baton_client_assign_async (self->client, self->conversation->id, set_team, team_id,
                             (const char * const *) assignee_ids, self->conversation->version,
                             self->cancellable, callback, self);
}

static void
change_assignment (BatonAssignmentSidebar *self,
                   gboolean                set_team,
                   const char             *team_id,
                   GStrv                   assignee_ids)
{
  change_assignment_then (self, set_team, team_id, assignee_ids, assigned_cb);
}

/* Signal callbacks */

static void
client_event_cb (BatonAssignmentSidebar *self,
                 BatonEvent             *event)
{
  g_autoptr(BatonConversation) conversation = baton_event_dup_conversation (event);

  if (conversation && g_strcmp0 (conversation->id, self->conversation_id) == 0)
    apply_conversation (self, conversation);
}

static void
client_state_changed_cb (BatonAssignmentSidebar *self)
{
  /* The stream's first connect starts live: reread what may have changed before it. */
  if (baton_client_get_state (self->client) == BATON_CLIENT_STATE_ONLINE)
    load_conversation (self);
}

/* Actions */

static void
assign_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BatonAssignmentSidebar *self = BATON_ASSIGNMENT_SIDEBAR (widget);
  BatonTeam *team = baton_assignee_picker_get_team (self->picker);
  g_auto(GStrv) assignee_ids = NULL;

  if (self->conversation == NULL)
    return;
  assignee_ids = baton_strv_with ((const char * const *) self->conversation->assignee_ids,
                                  g_variant_get_string (parameter, NULL));
  gtk_popover_popdown (GTK_POPOVER (self->picker));
  change_assignment (self, team != NULL, team ? team->id : NULL, assignee_ids);
}

static void
assign_team_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  BatonAssignmentSidebar *self = BATON_ASSIGNMENT_SIDEBAR (widget);

  gtk_popover_popdown (GTK_POPOVER (self->picker));
  /* Unassigned, this hands it to the team's strategy, which may find nobody. */
  change_assignment_then (self, TRUE, g_variant_get_string (parameter, NULL), NULL,
                          is_unassigned (self) ? handed_cb : assigned_cb);
}

static void
remove_team_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  change_assignment (BATON_ASSIGNMENT_SIDEBAR (widget), TRUE, NULL, NULL);
}

static void
remove_assignee_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  BatonAssignmentSidebar *self = BATON_ASSIGNMENT_SIDEBAR (widget);
  g_auto(GStrv) assignee_ids = NULL;

  if (self->conversation == NULL)
    return;
  assignee_ids = baton_strv_without ((const char * const *) self->conversation->assignee_ids,
                                     g_variant_get_string (parameter, NULL));
  change_assignment (self, FALSE, NULL, assignee_ids);
}

static void
unassign_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  g_auto(GStrv) nobody = g_new0 (char *, 1);

  change_assignment (BATON_ASSIGNMENT_SIDEBAR (widget), FALSE, NULL, nobody);
}

static void
take_over_response_cb (AdwMessageDialog       *dialog,
                       const char             *response,
                       BatonAssignmentSidebar *self)
{
  BatonAgent *me = get_me (self);
  g_auto(GStrv) assignee_ids = NULL;

  if (me == NULL || self->conversation == NULL)
    return;
  if (g_str_equal (response, "add"))
    assignee_ids = baton_strv_with ((const char * const *) self->conversation->assignee_ids,
                                    me->id);
  else if (g_str_equal (response, "replace"))
    assignee_ids = baton_strv_with (NULL, me->id);
  else
    return;
  change_assignment (self, FALSE, NULL, assignee_ids);
}

/* Others hold it: taking it from them is a decision, so ask; adding oneself beside them is
 * offered first. */
static void
ask_take_over (BatonAssignmentSidebar *self,
               BatonAgent             *me)
{
  g_auto(GStrv) others = baton_strv_without ((const char * const *)
                                             self->conversation->assignee_ids, me->id);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) names = NULL;
  g_autofree char *list = NULL;
  g_autofree char *body = NULL;
  gboolean assigned = baton_conversation_has_assignee (self->conversation, me->id);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwMessageDialog *dialog = NULL;

  for (guint i = 0; others[i]; i++)
    {
      BatonAgent *agent = directory (self) ? baton_directory_lookup_agent (directory (self),
                                                                           others[i])
                                           : NULL;

      g_strv_builder_add (builder, agent ? agent->name : _("Someone"));
    }
  names = g_strv_builder_end (builder);
  list = baton_describe_list ((const char * const *) names);
  body = assigned
    /* Translators: %s lists names, "Ben Ode" or "Ben Ode and Carl Roy" */
    ? g_strdup_printf (_("You share this conversation with %s. Taking it alone removes them."),
                       list)
    /* Translators: %s lists names, "Ben Ode" or "Ben Ode and Carl Roy" */
    : g_strdup_printf (_("%s already holds this conversation. Add yourself beside them, or "
                         "take it alone and remove them?"), list);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                            : NULL,
                                                       _("Assign to You?"), body));
  adw_message_dialog_add_response (dialog, "cancel", _("_Cancel"));
  if (!assigned)
    adw_message_dialog_add_response (dialog, "add", _("_Add Me"));
  adw_message_dialog_add_response (dialog, "replace", _("_Only Me"));
  adw_message_dialog_set_response_appearance (dialog, "replace", ADW_RESPONSE_DESTRUCTIVE);
  if (!assigned)
    adw_message_dialog_set_response_appearance (dialog, "add", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, assigned ? "cancel" : "add");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (take_over_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
claim_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  BatonAssignmentSidebar *self = BATON_ASSIGNMENT_SIDEBAR (widget);
  BatonAgent *me = get_me (self);

  if (self->conversation == NULL || me == NULL)
    return;
  /* Nobody holds it: the atomic claim, so that of two agents exactly one gets it. */
  if (is_unassigned (self))
    baton_client_act_async (self->client, self->conversation->id,
                            BATON_CONVERSATION_ACTION_CLAIM, self->cancellable, claimed_cb,
                            self);
  else
    ask_take_over (self, me);
}

/* Overrides */

static void
baton_assignment_sidebar_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  BatonAssignmentSidebar *self = BATON_ASSIGNMENT_SIDEBAR (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_CONVERSATION_ID:
      g_value_set_string (value, self->conversation_id);
      break;
    case PROP_FOLDED:
      g_value_set_boolean (value, self->folded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
baton_assignment_sidebar_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  BatonAssignmentSidebar *self = BATON_ASSIGNMENT_SIDEBAR (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      baton_assignment_sidebar_set_client (self, g_value_get_object (value));
      break;
    case PROP_CONVERSATION_ID:
      baton_assignment_sidebar_set_conversation_id (self, g_value_get_string (value));
      break;
    case PROP_FOLDED:
      baton_assignment_sidebar_set_folded (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
baton_assignment_sidebar_dispose (GObject *object)
{
  BatonAssignmentSidebar *self = BATON_ASSIGNMENT_SIDEBAR (object);
  GtkWidget *child = NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->client_signals);
  g_clear_object (&self->directory_signals);
  gtk_widget_dispose_template (GTK_WIDGET (self), BATON_TYPE_ASSIGNMENT_SIDEBAR);
  /* A plain GtkWidget owns its template's root: it goes with the sidebar. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_pointer (&self->conversation, baton_conversation_unref);

  G_OBJECT_CLASS (baton_assignment_sidebar_parent_class)->dispose (object);
}

static void
baton_assignment_sidebar_finalize (GObject *object)
{
  BatonAssignmentSidebar *self = BATON_ASSIGNMENT_SIDEBAR (object);

  g_free (self->conversation_id);

  G_OBJECT_CLASS (baton_assignment_sidebar_parent_class)->finalize (object);
}

static void
baton_assignment_sidebar_class_init (BatonAssignmentSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = baton_assignment_sidebar_get_property;
  object_class->set_property = baton_assignment_sidebar_set_property;
  object_class->dispose = baton_assignment_sidebar_dispose;
  object_class->finalize = baton_assignment_sidebar_finalize;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, BATON_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONVERSATION_ID] =
    g_param_spec_string ("conversation-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FOLDED] =
    g_param_spec_boolean ("folded", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "assignmentsidebar");
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/baton/Baton/ui/baton-assignment-sidebar.ui");
  g_type_ensure (BATON_TYPE_ASSIGNEE_PICKER);
  g_type_ensure (BATON_TYPE_CONTACT_CARD);
  gtk_widget_class_bind_template_child (widget_class, BatonAssignmentSidebar, toasts);
  gtk_widget_class_bind_template_child (widget_class, BatonAssignmentSidebar, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, BatonAssignmentSidebar, content_stack);
  gtk_widget_class_bind_template_child (widget_class, BatonAssignmentSidebar, error_page);
  gtk_widget_class_bind_template_child (widget_class, BatonAssignmentSidebar, assign_button);
  gtk_widget_class_bind_template_child (widget_class, BatonAssignmentSidebar, picker);
  gtk_widget_class_bind_template_child (widget_class, BatonAssignmentSidebar, assigned_list);
  gtk_widget_class_bind_template_child (widget_class, BatonAssignmentSidebar, claim_button);
  gtk_widget_class_bind_template_child (widget_class, BatonAssignmentSidebar, unassign_button);
  gtk_widget_class_bind_template_child (widget_class, BatonAssignmentSidebar, contact_card);

  /* The agent's changes, one action each; the widgets below activate them. */
  gtk_widget_class_install_action (widget_class, "sidebar.assign", "s", assign_action);
  gtk_widget_class_install_action (widget_class, "sidebar.assign-team", "s", assign_team_action);
  gtk_widget_class_install_action (widget_class, "sidebar.remove-team", NULL, remove_team_action);
  gtk_widget_class_install_action (widget_class, "sidebar.remove-assignee", "s",
                                   remove_assignee_action);
  gtk_widget_class_install_action (widget_class, "sidebar.unassign", NULL, unassign_action);
  gtk_widget_class_install_action (widget_class, "sidebar.claim", NULL, claim_action);
}

static void
baton_assignment_sidebar_init (BatonAssignmentSidebar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (self->contact_card, "notify::contact", G_CALLBACK (update_subtitle),
                           self, G_CONNECT_SWAPPED);
  /* Names and presence in the assigned list. */
  self->directory_signals = g_signal_group_new (BATON_TYPE_DIRECTORY);
  g_signal_group_connect_swapped (self->directory_signals, "changed", G_CALLBACK (update_all),
                                  self);
  self->client_signals = g_signal_group_new (BATON_TYPE_CLIENT);
  g_signal_group_connect_swapped (self->client_signals, "event",
                                  G_CALLBACK (client_event_cb), self);
  g_signal_group_connect_swapped (self->client_signals, "resync",
                                  G_CALLBACK (load_conversation), self);
  g_signal_group_connect_swapped (self->client_signals, "notify::state",
                                  G_CALLBACK (client_state_changed_cb), self);
  g_signal_group_connect_swapped (self->client_signals, "notify::me",
                                  G_CALLBACK (update_all), self);
  update_all (self);
}

/* Public API */

GtkWidget *
baton_assignment_sidebar_new (void)
{
  return g_object_new (BATON_TYPE_ASSIGNMENT_SIDEBAR, NULL);
}

BatonClient *
baton_assignment_sidebar_get_client (BatonAssignmentSidebar *self)
{
  g_return_val_if_fail (BATON_IS_ASSIGNMENT_SIDEBAR (self), NULL);

  return self->client;
}

void
baton_assignment_sidebar_set_client (BatonAssignmentSidebar *self,
                                     BatonClient            *client)
{
  g_return_if_fail (BATON_IS_ASSIGNMENT_SIDEBAR (self));
  g_return_if_fail (client == NULL || BATON_IS_CLIENT (client));

  if (self->client == client)
    return;

  /* Another account: nothing of the last one's answers may land here. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_set_object (&self->client, client);
  g_signal_group_set_target (self->client_signals, client);
  g_signal_group_set_target (self->directory_signals, directory (self));
  g_clear_pointer (&self->conversation, baton_conversation_unref);
  baton_contact_card_set_contact_id (self->contact_card, NULL);
  baton_contact_card_set_client (self->contact_card, client);
  baton_assignee_picker_set_client (self->picker, client);

  load_conversation (self);
  update_all (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

const char *
baton_assignment_sidebar_get_conversation_id (BatonAssignmentSidebar *self)
{
  g_return_val_if_fail (BATON_IS_ASSIGNMENT_SIDEBAR (self), NULL);

  return self->conversation_id;
}

void
baton_assignment_sidebar_set_conversation_id (BatonAssignmentSidebar *self,
                                              const char             *conversation_id)
{
  g_return_if_fail (BATON_IS_ASSIGNMENT_SIDEBAR (self));

  if (g_strcmp0 (self->conversation_id, conversation_id) == 0)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_free (self->conversation_id);
  self->conversation_id = g_strdup (conversation_id);
  g_clear_pointer (&self->conversation, baton_conversation_unref);
  baton_contact_card_set_contact_id (self->contact_card, NULL);
  gtk_popover_popdown (GTK_POPOVER (self->picker));

  gtk_stack_set_visible_child_name (self->content_stack, conversation_id ? "loading" : "empty");
  load_conversation (self);
  update_all (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONVERSATION_ID]);
}

gboolean
baton_assignment_sidebar_get_folded (BatonAssignmentSidebar *self)
{
  g_return_val_if_fail (BATON_IS_ASSIGNMENT_SIDEBAR (self), FALSE);

  return self->folded;
}

void
baton_assignment_sidebar_set_folded (BatonAssignmentSidebar *self,
                                     gboolean                folded)
{
  g_return_if_fail (BATON_IS_ASSIGNMENT_SIDEBAR (self));

  folded = !!folded;
  if (self->folded == folded)
    return;
  self->folded = folded;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLDED]);
}
