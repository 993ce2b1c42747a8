/* baton-assignee-picker.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-assignee-picker"

#include "config.h"

#include <glib/gi18n.h>

#include "baton-assignee-picker.h"
#include "baton-directory.h"
#include "baton-widget-util.h"

struct _BatonAssigneePicker
{
  GtkPopover parent_instance;

  /* template widgets */
  GtkDropDown *team_dropdown;
  GtkListBox *agents_list;
  GtkButton *assign_team_button;

  /* owned refs */
  BatonClient *client;
  GSignalGroup *directory_signals;
  GtkStringList *team_names;
  BatonConversation *conversation;
  /* BatonTeam in the directory's order: the dropdown's entries after "No team" */
  GPtrArray *teams;
};

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_CONVERSATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (BatonAssigneePicker, baton_assignee_picker, GTK_TYPE_POPOVER)

static BatonDirectory *
directory (BatonAssigneePicker *self)
{
  return self->client ? baton_client_get_directory (self->client) : NULL;
}

static void
select_team (BatonAssigneePicker *self,
             const char          *team_id)
{
  guint position = 0;

  for (guint i = 0; team_id && i < self->teams->len; i++)
    if (g_strcmp0 (((BatonTeam *) g_ptr_array_index (self->teams, i))->id, team_id) == 0)
      position = i + 1;
  gtk_drop_down_set_selected (self->team_dropdown, position);
}

/* The chosen team's members in its order, or everyone by name (borrowed). */
static GPtrArray *
offered_agents (BatonAssigneePicker *self,
                BatonTeam           *team)
{
  GPtrArray *agents = NULL;

  if (team == NULL)
    return baton_agents_by_name (directory (self));
  agents = g_ptr_array_new ();
  for (guint i = 0; team->member_ids && team->member_ids[i]; i++)
    {
      BatonAgent *agent = baton_directory_lookup_agent (directory (self), team->member_ids[i]);

      if (agent)
        g_ptr_array_add (agents, agent);
    }
  return agents;
}

static void
update_team_button (BatonAssigneePicker *self,
                    BatonTeam           *team)
{
  BatonConversation *conversation = self->conversation;
  g_autofree char *label = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->assign_team_button),
                          team && g_strcmp0 (team->id, conversation->team_id) != 0);
  if (team == NULL)
    return;
  /* A team alone hands an unassigned conversation to the team's strategy. */
  if (baton_strv_is_empty ((const char * const *) conversation->assignee_ids))
    label = g_strdup_printf (_("Hand to %s"), team->name);
  else
    label = g_strdup_printf (_("Set Team to %s"), team->name);
  gtk_button_set_label (self->assign_team_button, label);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->assign_team_button),
                                          g_variant_new_string (team->id));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->assign_team_button),
                                  "sidebar.assign-team");
}

static void
update_agents (BatonAssigneePicker *self)
{
  BatonTeam *team = baton_assignee_picker_get_team (self);
  g_autoptr(GPtrArray) agents = NULL;

  baton_list_box_remove_all (self->agents_list);
  gtk_widget_set_visible (GTK_WIDGET (self->assign_team_button), FALSE);
  if (self->conversation == NULL)
    return;
  agents = offered_agents (self, team);
  baton_list_box_offer_agents (self->agents_list, agents,
                               (const char * const *) self->conversation->assignee_ids,
                               "sidebar.assign");
  update_team_button (self, team);
}

/* Teams are the client's directory's: a snapshot, taken again when it changes. */
static void
update_teams (BatonAssigneePicker *self)
{
  BatonTeam *selected = baton_assignee_picker_get_team (self);
  g_autofree char *selected_id = g_strdup (selected ? selected->id : NULL);
  GListModel *teams = directory (self) ? baton_directory_get_teams (directory (self)) : NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  g_ptr_array_set_size (self->teams, 0);
  for (guint i = 0; teams && i < g_list_model_get_n_items (teams); i++)
    {
      g_autoptr(BatonDirectoryEntry) entry = g_list_model_get_item (teams, i);

      g_ptr_array_add (self->teams, baton_team_ref (baton_directory_entry_get_team (entry)));
    }
  g_ptr_array_add (names, (gpointer) _("No team"));
  for (guint i = 0; i < self->teams->len; i++)
    g_ptr_array_add (names, ((BatonTeam *) g_ptr_array_index (self->teams, i))->name);
  g_ptr_array_add (names, NULL);
  gtk_string_list_splice (self->team_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->team_names)),
                          (const char * const *) names->pdata);
  select_team (self, selected_id);
  update_agents (self);
}

static void
team_selected_cb (BatonAssigneePicker *self)
{
  /* Also reached while the template is torn down. */
  if (self->agents_list == NULL)
    return;
  update_agents (self);
}

static void
baton_assignee_picker_show (GtkWidget *widget)
{
  BatonAssigneePicker *self = BATON_ASSIGNEE_PICKER (widget);

  GTK_WIDGET_CLASS (baton_assignee_picker_parent_class)->show (widget);
  /* The picker opens on the conversation's own team. */
  if (self->conversation)
    select_team (self, self->conversation->team_id);
  /* Loads (active_count) change with every conversation anywhere and no event says so:
   * read them fresh. */
  if (self->client)
    baton_directory_reload (directory (self));
}

static void
baton_assignee_picker_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  BatonAssigneePicker *self = BATON_ASSIGNEE_PICKER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_CONVERSATION:
      g_value_set_boxed (value, self->conversation);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
baton_assignee_picker_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  BatonAssigneePicker *self = BATON_ASSIGNEE_PICKER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      baton_assignee_picker_set_client (self, g_value_get_object (value));
      break;
    case PROP_CONVERSATION:
      baton_assignee_picker_set_conversation (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
baton_assignee_picker_dispose (GObject *object)
{
  BatonAssigneePicker *self = BATON_ASSIGNEE_PICKER (object);

  g_clear_object (&self->directory_signals);
  gtk_widget_dispose_template (GTK_WIDGET (self), BATON_TYPE_ASSIGNEE_PICKER);
  g_clear_object (&self->client);
  g_clear_object (&self->team_names);
  g_clear_pointer (&self->conversation, baton_conversation_unref);
  g_clear_pointer (&self->teams, g_ptr_array_unref);

  G_OBJECT_CLASS (baton_assignee_picker_parent_class)->dispose (object);
}

static void
baton_assignee_picker_class_init (BatonAssigneePickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = baton_assignee_picker_get_property;
  object_class->set_property = baton_assignee_picker_set_property;
  object_class->dispose = baton_assignee_picker_dispose;
  widget_class->show = baton_assignee_picker_show;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, BATON_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONVERSATION] =
    g_param_spec_boxed ("conversation", NULL, NULL, BATON_TYPE_CONVERSATION,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/baton/Baton/ui/baton-assignee-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, BatonAssigneePicker, team_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BatonAssigneePicker, agents_list);
  gtk_widget_class_bind_template_child (widget_class, BatonAssigneePicker, assign_team_button);
  gtk_widget_class_bind_template_callback (widget_class, team_selected_cb);
}

static void
baton_assignee_picker_init (BatonAssigneePicker *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->teams = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_team_unref);
  self->team_names = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (self->team_dropdown, G_LIST_MODEL (self->team_names));
  self->directory_signals = g_signal_group_new (BATON_TYPE_DIRECTORY);
  g_signal_group_connect_swapped (self->directory_signals, "changed",
                                  G_CALLBACK (update_teams), self);
  update_teams (self);
}

GtkWidget *
baton_assignee_picker_new (void)
{
  return g_object_new (BATON_TYPE_ASSIGNEE_PICKER, NULL);
}

void
baton_assignee_picker_set_client (BatonAssigneePicker *self,
                                  BatonClient         *client)
{
  g_return_if_fail (BATON_IS_ASSIGNEE_PICKER (self));
  g_return_if_fail (client == NULL || BATON_IS_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;
  g_signal_group_set_target (self->directory_signals, directory (self));
  update_teams (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

void
baton_assignee_picker_set_conversation (BatonAssigneePicker *self,
                                        BatonConversation   *conversation)
{
  gboolean first = FALSE;

  g_return_if_fail (BATON_IS_ASSIGNEE_PICKER (self));

  if (self->conversation == conversation)
    return;
  first = self->conversation == NULL;
  g_clear_pointer (&self->conversation, baton_conversation_unref);
  self->conversation = conversation ? baton_conversation_ref (conversation) : NULL;
  /* The picker starts on the conversation's team. */
  if (first && conversation)
    select_team (self, conversation->team_id);
  update_agents (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONVERSATION]);
}

BatonTeam *
baton_assignee_picker_get_team (BatonAssigneePicker *self)
{
  guint position = 0;

  g_return_val_if_fail (BATON_IS_ASSIGNEE_PICKER (self), NULL);

  position = gtk_drop_down_get_selected (self->team_dropdown);
  /* Position 0 is "No team". */
  if (position == GTK_INVALID_LIST_POSITION || position == 0 || position > self->teams->len)
    return NULL;
  return g_ptr_array_index (self->teams, position - 1);
}
