/* baton-assignment-sidebar.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-assignment-sidebar"

#include "config.h"

#include <glib/gi18n.h>

#include "baton-directory.h"
#include "baton-rules.h"
#include "baton-assignment-sidebar.h"
#include "baton-toast.h"

struct _BatonAssignmentSidebar
{
  GtkWidget parent_instance;

  /* template widgets */
  AdwToastOverlay *toasts;
  AdwViewSwitcherTitle *switcher_title;
  GtkStack *content_stack;
  AdwStatusPage *error_page;
  GtkMenuButton *assign_button;
  GtkPopover *picker_popover;
  GtkDropDown *team_dropdown;
  GtkListBox *picker_list;
  GtkButton *assign_team_button;
  GtkListBox *assigned_list;
  GtkButton *claim_button;
  GtkButton *unassign_button;
  AdwAvatar *contact_avatar;
  GtkLabel *contact_name_label;
  AdwActionRow *phone_row;
  AdwActionRow *wa_id_row;
  GtkLabel *no_tags_label;
  GtkFlowBox *tags_box;
  GtkEntry *tag_entry;
  GtkLabel *tag_error_label;
  GtkListBox *fields_list;
  GtkPopover *owner_popover;
  GtkListBox *owners_list;
  GtkListBox *owner_picker_list;

  /* owned refs */
  BatonClient *client;
  GSignalGroup *client_signals;
  GSignalGroup *directory_signals;
  GtkStringList *team_names;

  /* state */
  char *conversation_id;
  BatonConversation *conversation;
  /* The contact shown, or being loaded when contact is still NULL. */
  char *contact_id;
  BatonContact *contact;
  /* id → BatonAgent, from GET /agents and agent.* events */
  GHashTable *agents;
  /* BatonTeam in the server's order: the dropdown's entries after "No team" */
  GPtrArray *teams;
  /* The client's lists; cancelled with the widget or a new client. */
  GCancellable *cancellable;
  /* The conversation's and contact's calls; cancelled when another conversation opens. */
  GCancellable *load_cancellable;
  gboolean folded;
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

static gboolean
strv_is_empty (GStrv strv)
{
  return strv == NULL || strv[0] == NULL;
}

static GStrv
strv_with (GStrv       strv,
           const char *added)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; strv && strv[i]; i++)
    g_strv_builder_add (builder, strv[i]);
  if (added && !(strv && g_strv_contains ((const char * const *) strv, added)))
    g_strv_builder_add (builder, added);
  return g_strv_builder_end (builder);
}

static GStrv
strv_without (GStrv       strv,
              const char *removed)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; strv && strv[i]; i++)
    if (g_strcmp0 (strv[i], removed) != 0)
      g_strv_builder_add (builder, strv[i]);
  return g_strv_builder_end (builder);
}

static void
show_toast (BatonAssignmentSidebar *self,
            const char             *message)
{
  /* The window's overlay when hosted, the sidebar's own otherwise. */
  if (!baton_toast_show (GTK_WIDGET (self), message))
    adw_toast_overlay_add_toast (self->toasts, baton_toast_new (message));
}

static BatonAgent *
lookup_agent (BatonAssignmentSidebar *self,
              const char             *id)
{
  return id ? g_hash_table_lookup (self->agents, id) : NULL;
}

static BatonTeam *
lookup_team (BatonAssignmentSidebar *self,
             const char             *id)
{
  for (guint i = 0; id && i < self->teams->len; i++)
    {
      BatonTeam *team = g_ptr_array_index (self->teams, i);

      if (g_strcmp0 (team->id, id) == 0)
        return team;
    }
  return NULL;
}

static BatonAgent *
get_me (BatonAssignmentSidebar *self)
{
  return self->client ? baton_client_get_me (self->client) : NULL;
}

static gboolean
is_unassigned (BatonAssignmentSidebar *self)
{
  return self->conversation && strv_is_empty (self->conversation->assignee_ids);
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

static BatonTeam *
selected_team (BatonAssignmentSidebar *self)
{
  guint position = gtk_drop_down_get_selected (self->team_dropdown);

  /* Position 0 is "No team". */
  if (position == GTK_INVALID_LIST_POSITION || position == 0 || position > self->teams->len)
    return NULL;
  return g_ptr_array_index (self->teams, position - 1);
}

static void
select_team (BatonAssignmentSidebar *self,
             const char             *team_id)
{
  guint position = 0;

  for (guint i = 0; team_id && i < self->teams->len; i++)
    if (g_strcmp0 (((BatonTeam *) g_ptr_array_index (self->teams, i))->id, team_id) == 0)
      position = i + 1;
  gtk_drop_down_set_selected (self->team_dropdown, position);
}

static int
compare_agent_names (gconstpointer a,
                     gconstpointer b)
{
  const BatonAgent *first = *(BatonAgent * const *) a;
  const BatonAgent *second = *(BatonAgent * const *) b;

  return g_utf8_collate (first->name, second->name);
}

/* Every agent, by name (borrowed). */
static GPtrArray *
sorted_agents (BatonAssignmentSidebar *self)
{
  GPtrArray *agents = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer agent = NULL;

  g_hash_table_iter_init (&iter, self->agents);
  while (g_hash_table_iter_next (&iter, NULL, &agent))
    g_ptr_array_add (agents, agent);

  g_ptr_array_sort (agents, compare_agent_names);
  return agents;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static void
clear_list_box (GtkListBox *list)
{
  GtkListBoxRow *row = NULL;

  while ((row = gtk_list_box_get_row_at_index (list, 0)) != NULL)
    gtk_list_box_remove (list, GTK_WIDGET (row));
}

static GtkWidget *
new_placeholder (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_add_css_class (label, "dim-label");
  return label;
}

/* "Online · 2 active": availability and load. */
static char *
agent_status_text (BatonAgent *agent)
{
  const char *presence = agent->online ? _("Online")
                         : agent->availability == BATON_AVAILABILITY_AWAY ? _("Away")
                         : _("Offline");
  g_autofree char *load = g_strdup_printf (ngettext ("%d active", "%d active",
                                                     agent->active_count),
                                           agent->active_count);

  /* Translators: an agent's presence and number of active conversations */
  return g_strdup_printf (_("%s · %s"), presence, load);
}

/* A row for an agent: avatar with initials and a presence dot, name, presence and load. */
static GtkWidget *
new_agent_row (BatonAssignmentSidebar *self,
               const char             *agent_id)
{
  BatonAgent *agent = lookup_agent (self, agent_id);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *overlay = gtk_overlay_new ();
  GtkWidget *avatar = adw_avatar_new (32, agent ? agent->name : NULL, TRUE);
  GtkWidget *dot = gtk_image_new_from_icon_name ("media-record-symbolic");
  g_autofree char *status = agent ? agent_status_text (agent) : NULL;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 agent ? agent->name : _("Unknown agent"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), status ? status : "");

  gtk_image_set_pixel_size (GTK_IMAGE (dot), 12);
  gtk_widget_set_halign (dot, GTK_ALIGN_END);
  gtk_widget_set_valign (dot, GTK_ALIGN_END);
  gtk_widget_set_can_target (dot, FALSE);
  if (agent && agent->online)
    gtk_widget_add_css_class (dot, "success");
  else if (agent && agent->availability == BATON_AVAILABILITY_AWAY)
    gtk_widget_add_css_class (dot, "warning");
  else
    gtk_widget_add_css_class (dot, "dim-label");
  gtk_widget_add_css_class (dot, "presence-dot");
  gtk_overlay_set_child (GTK_OVERLAY (overlay), avatar);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), dot);
  gtk_widget_set_valign (overlay, GTK_ALIGN_CENTER);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), overlay);
  return row;
}

static GtkWidget *
new_remove_button (const char *action_name,
                   const char *target,
                   const char *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("window-close-symbolic");

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "circular");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  if (target)
    gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button),
                                            g_variant_new_string (target));
  return button;
}

static void
make_row_pick (GtkWidget  *row,
               const char *action_name,
               const char *target)
{
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), action_name);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (row), g_variant_new_string (target));
}

/* Showing */

static void
update_actions (BatonAssignmentSidebar *self)
{
  gboolean assign = self->conversation && may_assign (self);
  gboolean change = may_assign (self) && !is_unassigned (self);
  gboolean claim = assign && !is_sole_assignee (self);
  gboolean contact = self->contact != NULL && self->client != NULL;
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "sidebar.assign", assign);
  gtk_widget_action_set_enabled (widget, "sidebar.assign-team", assign);
  gtk_widget_action_set_enabled (widget, "sidebar.remove-team",
                                 assign && self->conversation->team_id != NULL);
  gtk_widget_action_set_enabled (widget, "sidebar.remove-assignee", change);
  gtk_widget_action_set_enabled (widget, "sidebar.unassign", change);
  gtk_widget_action_set_enabled (widget, "sidebar.claim", claim);
  gtk_widget_action_set_enabled (widget, "sidebar.add-owner", contact);
  gtk_widget_action_set_enabled (widget, "sidebar.remove-owner", contact);
  gtk_widget_action_set_enabled (widget, "sidebar.add-tag", contact);
  gtk_widget_action_set_enabled (widget, "sidebar.remove-tag", contact);

  /* Forbidden actions are not offered at all. */
  gtk_widget_set_visible (GTK_WIDGET (self->assign_button), assign);
  gtk_widget_set_visible (GTK_WIDGET (self->claim_button), claim);
  gtk_widget_set_visible (GTK_WIDGET (self->unassign_button), change);
  if (!assign)
    gtk_popover_popdown (self->picker_popover);
}

static void
update_assignment (BatonAssignmentSidebar *self)
{
  BatonConversation *conversation = self->conversation;
  /* Used for the assignees' remove buttons: held, the rule is the one for reassigning. */
  gboolean change = may_assign (self);

  clear_list_box (self->assigned_list);
  if (conversation == NULL)
    return;

  if (conversation->team_id)
    {
      BatonTeam *team = lookup_team (self, conversation->team_id);
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
                                     new_remove_button ("sidebar.remove-team", NULL, tooltip));
        }
      gtk_list_box_append (self->assigned_list, row);
    }

  for (guint i = 0; conversation->assignee_ids && conversation->assignee_ids[i]; i++)
    {
      const char *id = conversation->assignee_ids[i];
      BatonAgent *agent = lookup_agent (self, id);
      GtkWidget *row = new_agent_row (self, id);

      if (change)
        {
          g_autofree char *tooltip = g_strdup_printf (_("Remove %s"), agent ? agent->name : "");

          adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                     new_remove_button ("sidebar.remove-assignee", id, tooltip));
        }
      gtk_list_box_append (self->assigned_list, row);
    }

  if (strv_is_empty (conversation->assignee_ids))
    {
      GtkWidget *row = gtk_list_box_row_new ();

      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), new_placeholder (_("Unassigned")));
      gtk_list_box_append (self->assigned_list, row);
    }
}

static void
update_picker (BatonAssignmentSidebar *self)
{
  BatonTeam *team = selected_team (self);
  g_autoptr(GPtrArray) agents = NULL;

  clear_list_box (self->picker_list);
  gtk_widget_set_visible (GTK_WIDGET (self->assign_team_button), FALSE);
  if (self->conversation == NULL)
    return;

  /* The chosen team's members in its order, or everyone by name. */
  if (team)
    {
      agents = g_ptr_array_new ();
      for (guint i = 0; team->member_ids && team->member_ids[i]; i++)
        {
          BatonAgent *agent = lookup_agent (self, team->member_ids[i]);

          if (agent)
            g_ptr_array_add (agents, agent);
        }
    }
  else
    agents = sorted_agents (self);

  for (guint i = 0; i < agents->len; i++)
    {
      BatonAgent *agent = g_ptr_array_index (agents, i);
      GtkWidget *row = NULL;

      if (baton_conversation_has_assignee (self->conversation, agent->id))
        continue;
      row = new_agent_row (self, agent->id);
      make_row_pick (row, "sidebar.assign", agent->id);
      gtk_list_box_append (self->picker_list, row);
    }

  if (team && g_strcmp0 (team->id, self->conversation->team_id) != 0)
    {
      g_autofree char *label = NULL;

      /* A team alone hands an unassigned conversation to the team's strategy. */
      if (is_unassigned (self))
        label = g_strdup_printf (_("Hand to %s"), team->name);
      else
        label = g_strdup_printf (_("Set Team to %s"), team->name);
      gtk_button_set_label (self->assign_team_button, label);
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->assign_team_button),
                                              g_variant_new_string (team->id));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->assign_team_button),
                                      "sidebar.assign-team");
      gtk_widget_set_visible (GTK_WIDGET (self->assign_team_button), TRUE);
    }
}

static void
update_team_model (BatonAssignmentSidebar *self)
{
  BatonTeam *selected = selected_team (self);
  g_autofree char *selected_id = g_strdup (selected ? selected->id : NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  g_ptr_array_add (names, (gpointer) _("No team"));
  for (guint i = 0; i < self->teams->len; i++)
    g_ptr_array_add (names, ((BatonTeam *) g_ptr_array_index (self->teams, i))->name);
  g_ptr_array_add (names, NULL);
  gtk_string_list_splice (self->team_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->team_names)),
                          (const char * const *) names->pdata);
  select_team (self, selected_id);
}

static GtkWidget *
new_tag_chip (const char *tag)
{
  GtkWidget *chip = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *label = gtk_label_new (tag);
  g_autofree char *tooltip = g_strdup_printf (_("Remove tag %s"), tag);
  GtkWidget *button = new_remove_button ("sidebar.remove-tag", tag, tooltip);

  gtk_widget_set_margin_start (label, 10);
  gtk_widget_set_margin_end (label, 2);
  gtk_box_append (GTK_BOX (chip), label);
  gtk_box_append (GTK_BOX (chip), button);
  gtk_widget_add_css_class (chip, "card");
  gtk_widget_set_halign (chip, GTK_ALIGN_START);
  return chip;
}

static void
update_owner_picker (BatonAssignmentSidebar *self)
{
  g_autoptr(GPtrArray) agents = sorted_agents (self);

  clear_list_box (self->owner_picker_list);
  if (self->contact == NULL)
    return;
  for (guint i = 0; i < agents->len; i++)
    {
      BatonAgent *agent = g_ptr_array_index (agents, i);
      GtkWidget *row = NULL;

      if (self->contact->owner_ids
          && g_strv_contains ((const char * const *) self->contact->owner_ids, agent->id))
        continue;
      row = new_agent_row (self, agent->id);
      make_row_pick (row, "sidebar.add-owner", agent->id);
      gtk_list_box_append (self->owner_picker_list, row);
    }
}

static void
update_contact (BatonAssignmentSidebar *self)
{
  BatonContact *contact = self->contact;
  GtkWidget *child = NULL;
  g_autofree char **keys = NULL;
  guint n_keys = 0;

  clear_list_box (self->fields_list);
  clear_list_box (self->owners_list);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->tags_box))) != NULL)
    gtk_flow_box_remove (self->tags_box, child);
  update_owner_picker (self);
  adw_view_switcher_title_set_subtitle (self->switcher_title,
                                        contact ? contact->name
                                        : self->conversation ? self->conversation->contact_name
                                        : "");
  if (contact == NULL)
    return;

  adw_avatar_set_text (self->contact_avatar, contact->name);
  gtk_label_set_label (self->contact_name_label, contact->name);
  adw_action_row_set_subtitle (self->phone_row, contact->phone ? contact->phone : "");
  gtk_widget_set_visible (GTK_WIDGET (self->wa_id_row), contact->wa_id != NULL);
  adw_action_row_set_subtitle (self->wa_id_row, contact->wa_id ? contact->wa_id : "");

  for (guint i = 0; contact->tags && contact->tags[i]; i++)
    gtk_flow_box_append (self->tags_box, new_tag_chip (contact->tags[i]));
  gtk_widget_set_visible (GTK_WIDGET (self->tags_box), !strv_is_empty (contact->tags));
  gtk_widget_set_visible (GTK_WIDGET (self->no_tags_label), strv_is_empty (contact->tags));

  if (contact->fields)
    keys = (char **) g_hash_table_get_keys_as_array (contact->fields, &n_keys);
  if (keys)
    g_qsort_with_data (keys, n_keys, sizeof (char *), compare_strings, NULL);
  for (guint i = 0; i < n_keys; i++)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), keys[i]);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   g_hash_table_lookup (contact->fields, keys[i]));
      gtk_list_box_append (self->fields_list, row);
    }

  for (guint i = 0; contact->owner_ids && contact->owner_ids[i]; i++)
    {
      const char *id = contact->owner_ids[i];
      BatonAgent *agent = lookup_agent (self, id);
      GtkWidget *row = new_agent_row (self, id);
      g_autofree char *tooltip = g_strdup_printf (_("Remove %s"), agent ? agent->name : "");

      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 new_remove_button ("sidebar.remove-owner", id, tooltip));
      gtk_list_box_append (self->owners_list, row);
    }
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
  update_picker (self);
  update_contact (self);
  update_actions (self);
}

/* Loading */

/* Agents and teams are the client's directory's: a snapshot, taken again when it changes. */
static void
sync_people (BatonAssignmentSidebar *self)
{
  BatonDirectory *directory = self->client ? baton_client_get_directory (self->client) : NULL;
  GListModel *agents = directory ? baton_directory_get_agents (directory) : NULL;
  GListModel *teams = directory ? baton_directory_get_teams (directory) : NULL;

  g_hash_table_remove_all (self->agents);
  g_ptr_array_set_size (self->teams, 0);
  for (guint i = 0; agents && i < g_list_model_get_n_items (agents); i++)
    {
      g_autoptr(BatonDirectoryEntry) entry = g_list_model_get_item (agents, i);
      BatonAgent *agent = baton_directory_entry_get_agent (entry);

      g_hash_table_insert (self->agents, g_strdup (agent->id), baton_agent_ref (agent));
    }
  for (guint i = 0; teams && i < g_list_model_get_n_items (teams); i++)
    {
      g_autoptr(BatonDirectoryEntry) entry = g_list_model_get_item (teams, i);

      g_ptr_array_add (self->teams, baton_team_ref (baton_directory_entry_get_team (entry)));
    }
  update_team_model (self);
  update_all (self);
}

static void
contact_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonContact) contact = baton_client_get_contact_finish (BATON_CLIENT (source),
                                                                     result, &error);
  BatonAssignmentSidebar *self = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = BATON_ASSIGNMENT_SIDEBAR (user_data);
  if (contact == NULL)
    {
      show_toast (self, error->message);
      return;
    }
  if (g_strcmp0 (contact->id, self->contact_id) != 0)
    return;
  g_clear_pointer (&self->contact, baton_contact_unref);
  self->contact = g_steal_pointer (&contact);
  update_contact (self);
  update_actions (self);
}

static void
load_contact (BatonAssignmentSidebar *self)
{
  if (self->client == NULL || self->contact_id == NULL)
    return;
  baton_client_get_contact_async (self->client, self->contact_id, self->load_cancellable,
                                  contact_loaded_cb, self);
}

/* Shows a newer state of the conversation; an older one (a late answer) is dropped. */
static void
apply_conversation (BatonAssignmentSidebar *self,
                    BatonConversation      *conversation)
{
  gboolean first = self->conversation == NULL;

  if (g_strcmp0 (conversation->id, self->conversation_id) != 0)
    return;
  if (self->conversation && conversation->version < self->conversation->version)
    return;
  g_clear_pointer (&self->conversation, baton_conversation_unref);
  self->conversation = baton_conversation_ref (conversation);
  /* The picker starts on the conversation's team. */
  if (first)
    select_team (self, conversation->team_id);
  if (g_strcmp0 (self->contact_id, conversation->contact_id) != 0)
    {
      g_free (self->contact_id);
      self->contact_id = g_strdup (conversation->contact_id);
      g_clear_pointer (&self->contact, baton_contact_unref);
      load_contact (self);
    }
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
      const char *message = error->message;

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
  apply_conversation (self, conversation);
}

static void
load_conversation (BatonAssignmentSidebar *self)
{
  if (self->client == NULL || self->conversation_id == NULL)
    return;
  baton_client_get_conversation_async (self->client, self->conversation_id,
                                       self->load_cancellable, conversation_loaded_cb, self);
}

static void
reload_everything (BatonAssignmentSidebar *self)
{
  load_conversation (self);
  load_contact (self);
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
      show_toast (self, error->message);
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

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    assignment_changed (BATON_ASSIGNMENT_SIDEBAR (user_data), conversation, error);
}

/* PUT /assignment: team_id when set_team (NULL = no team), assignee_ids when not NULL. */
static void
change_assignment (BatonAssignmentSidebar *self,
                   gboolean                set_team,
                   const char             *team_id,
                   GStrv                   assignee_ids)
{
  if (self->client == NULL || self->conversation == NULL)
    return;
  /* What the agent decided on: a change by someone else since then is a 409. */
  baton_client_assign_async (self->client, self->conversation->id, set_team, team_id,
                             (const char * const *) assignee_ids, self->conversation->version,
                             self->load_cancellable, assigned_cb, self);
}

static void
contact_changed (BatonAssignmentSidebar *self,
                 BatonContact           *contact,
                 GError                 *error)
{
  const char *field = error ? baton_client_error_get_field (error) : NULL;

  if (field && g_str_has_prefix (field, "tags"))
    {
      /* A refused tag: the message goes on the tag field. */
      gtk_label_set_label (self->tag_error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->tag_error_label), TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self->tag_entry), "error");
      return;
    }
  if (contact == NULL)
    {
      show_toast (self, error->message);
      load_contact (self);
      return;
    }
  if (g_strcmp0 (contact->id, self->contact_id) != 0)
    return;
  g_clear_pointer (&self->contact, baton_contact_unref);
  self->contact = baton_contact_ref (contact);
  update_contact (self);
  update_actions (self);
}

static void
tags_set_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonContact) contact = baton_client_set_contact_tags_finish (BATON_CLIENT (source),
                                                                          result, &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    contact_changed (BATON_ASSIGNMENT_SIDEBAR (user_data), contact, error);
}

static void
owners_set_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonContact) contact = baton_client_set_contact_owners_finish (
    BATON_CLIENT (source), result, &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    contact_changed (BATON_ASSIGNMENT_SIDEBAR (user_data), contact, error);
}

static void
set_tags (BatonAssignmentSidebar *self,
          GStrv                   tags)
{
  if (self->client == NULL || self->contact == NULL)
    return;
  baton_client_set_contact_tags_async (self->client, self->contact->id,
                                       (const char * const *) tags, self->load_cancellable,
                                       tags_set_cb, self);
}

static void
set_owners (BatonAssignmentSidebar *self,
            GStrv                   owner_ids)
{
  if (self->client == NULL || self->contact == NULL)
    return;
  baton_client_set_contact_owners_async (self->client, self->contact->id,
                                         (const char * const *) owner_ids,
                                         self->load_cancellable, owners_set_cb, self);
}

static void
add_tag (BatonAssignmentSidebar *self,
         const char             *text)
{
  g_autofree char *tag = g_strstrip (g_utf8_strdown (text, -1));
  g_auto(GStrv) tags = NULL;

  if (self->contact == NULL || *tag == '\0')
    return;
  if (self->contact->tags && g_strv_contains ((const char * const *) self->contact->tags, tag))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->tag_entry), "");
      return;
    }
  tags = strv_with (self->contact->tags, tag);
  set_tags (self, tags);
}

/* Signal callbacks */

static void
client_event_cb (BatonAssignmentSidebar *self,
                 BatonEvent             *event)
{
  g_autoptr(BatonConversation) conversation = baton_event_dup_conversation (event);
  g_autoptr(BatonContact) contact = NULL;

  if (conversation)
    {
      if (g_strcmp0 (conversation->id, self->conversation_id) == 0)
        apply_conversation (self, conversation);
      return;
    }
  contact = baton_event_dup_contact (event);
  if (contact == NULL || g_strcmp0 (contact->id, self->contact_id) != 0)
    return;
  g_clear_pointer (&self->contact, baton_contact_unref);
  self->contact = g_steal_pointer (&contact);
  update_contact (self);
  update_actions (self);
}

static void
client_state_changed_cb (BatonAssignmentSidebar *self)
{
  /* The stream's first connect starts live: reread what may have changed before it. */
  if (baton_client_get_state (self->client) == BATON_CLIENT_STATE_ONLINE)
    reload_everything (self);
}

static void
me_changed_cb (BatonAssignmentSidebar *self)
{
  update_all (self);
}

static void
team_selected_cb (BatonAssignmentSidebar *self)
{
  /* Also reached while the template is torn down. */
  if (self->picker_list == NULL)
    return;
  update_picker (self);
}

static void
popover_shown_cb (BatonAssignmentSidebar *self,
                  GtkPopover             *popover)
{
  /* The picker opens on the conversation's own team. */
  if (popover == self->picker_popover && self->conversation)
    select_team (self, self->conversation->team_id);
  /* Loads (active_count) change with every conversation anywhere and no event says so:
   * read them fresh for the pickers. */
  if (self->client)
    baton_directory_reload (baton_client_get_directory (self->client));
}

static void
tag_entry_activated_cb (BatonAssignmentSidebar *self)
{
  add_tag (self, gtk_editable_get_text (GTK_EDITABLE (self->tag_entry)));
}

static void
tag_entry_changed_cb (BatonAssignmentSidebar *self)
{
  if (self->tag_error_label == NULL)
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->tag_error_label), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->tag_entry), "error");
}

/* Actions */

static void
assign_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BatonAssignmentSidebar *self = BATON_ASSIGNMENT_SIDEBAR (widget);
  BatonTeam *team = selected_team (self);
  g_auto(GStrv) assignee_ids = NULL;

  if (self->conversation == NULL)
    return;
  assignee_ids = strv_with (self->conversation->assignee_ids,
                            g_variant_get_string (parameter, NULL));
  gtk_popover_popdown (self->picker_popover);
  change_assignment (self, team != NULL, team ? team->id : NULL, assignee_ids);
}

static void
assign_team_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  BatonAssignmentSidebar *self = BATON_ASSIGNMENT_SIDEBAR (widget);

  gtk_popover_popdown (self->picker_popover);
  change_assignment (self, TRUE, g_variant_get_string (parameter, NULL), NULL);
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
  assignee_ids = strv_without (self->conversation->assignee_ids,
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
                            BATON_CONVERSATION_ACTION_CLAIM, self->load_cancellable, claimed_cb,
                            self);
  else
    {
      g_auto(GStrv) only_me = strv_with (NULL, me->id);

      change_assignment (self, FALSE, NULL, only_me);
    }
}

static void
add_owner_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  BatonAssignmentSidebar *self = BATON_ASSIGNMENT_SIDEBAR (widget);
  g_auto(GStrv) owner_ids = NULL;

  if (self->contact == NULL)
    return;
  gtk_popover_popdown (self->owner_popover);
  owner_ids = strv_with (self->contact->owner_ids, g_variant_get_string (parameter, NULL));
  set_owners (self, owner_ids);
}

static void
remove_owner_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  BatonAssignmentSidebar *self = BATON_ASSIGNMENT_SIDEBAR (widget);
  g_auto(GStrv) owner_ids = NULL;

  if (self->contact == NULL)
    return;
  owner_ids = strv_without (self->contact->owner_ids, g_variant_get_string (parameter, NULL));
  set_owners (self, owner_ids);
}

static void
add_tag_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  add_tag (BATON_ASSIGNMENT_SIDEBAR (widget), g_variant_get_string (parameter, NULL));
}

static void
remove_tag_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  BatonAssignmentSidebar *self = BATON_ASSIGNMENT_SIDEBAR (widget);
  g_auto(GStrv) tags = NULL;

  if (self->contact == NULL)
    return;
  tags = strv_without (self->contact->tags, g_variant_get_string (parameter, NULL));
  set_tags (self, tags);
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
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->client_signals);
  g_clear_object (&self->directory_signals);
  gtk_widget_dispose_template (GTK_WIDGET (self), BATON_TYPE_ASSIGNMENT_SIDEBAR);
  /* A plain GtkWidget owns its template's root: it goes with the sidebar. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->team_names);
  g_clear_pointer (&self->conversation, baton_conversation_unref);
  g_clear_pointer (&self->contact, baton_contact_unref);
  g_clear_pointer (&self->agents, g_hash_table_unref);
  g_clear_pointer (&self->teams, g_ptr_array_unref);

  G_OBJECT_CLASS (baton_assignment_sidebar_parent_class)->dispose (object);
}

static void
baton_assignment_sidebar_finalize (GObject *object)
{
  BatonAssignmentSidebar *self = BATON_ASSIGNMENT_SIDEBAR (object);

  g_free (self->conversation_id);
  g_free (self->contact_id);

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
  gtk_widget_class_bind_template_child (widget_class, BatonAssignmentSidebar, toasts);
  gtk_widget_class_bind_template_child (widget_class, BatonAssignmentSidebar, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, BatonAssignmentSidebar, content_stack);
  gtk_widget_class_bind_template_child (widget_class, BatonAssignmentSidebar, error_page);
  gtk_widget_class_bind_template_child (widget_class, BatonAssignmentSidebar, assign_button);
  gtk_widget_class_bind_template_child (widget_class, BatonAssignmentSidebar, picker_popover);
  gtk_widget_class_bind_template_child (widget_class, BatonAssignmentSidebar, team_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BatonAssignmentSidebar, picker_list);
  gtk_widget_class_bind_template_child (widget_class, BatonAssignmentSidebar, assign_team_button);
  gtk_widget_class_bind_template_child (widget_class, BatonAssignmentSidebar, assigned_list);
  gtk_widget_class_bind_template_child (widget_class, BatonAssignmentSidebar, claim_button);
  gtk_widget_class_bind_template_child (widget_class, BatonAssignmentSidebar, unassign_button);
  gtk_widget_class_bind_template_child (widget_class, BatonAssignmentSidebar, contact_avatar);
  gtk_widget_class_bind_template_child (widget_class, BatonAssignmentSidebar, contact_name_label);
  gtk_widget_class_bind_template_child (widget_class, BatonAssignmentSidebar, phone_row);
  gtk_widget_class_bind_template_child (widget_class, BatonAssignmentSidebar, wa_id_row);
  gtk_widget_class_bind_template_child (widget_class, BatonAssignmentSidebar, no_tags_label);
  gtk_widget_class_bind_template_child (widget_class, BatonAssignmentSidebar, tags_box);
  gtk_widget_class_bind_template_child (widget_class, BatonAssignmentSidebar, tag_entry);
  gtk_widget_class_bind_template_child (widget_class, BatonAssignmentSidebar, tag_error_label);
  gtk_widget_class_bind_template_child (widget_class, BatonAssignmentSidebar, fields_list);
  gtk_widget_class_bind_template_child (widget_class, BatonAssignmentSidebar, owner_popover);
  gtk_widget_class_bind_template_child (widget_class, BatonAssignmentSidebar, owners_list);
  gtk_widget_class_bind_template_child (widget_class, BatonAssignmentSidebar, owner_picker_list);
  gtk_widget_class_bind_template_callback (widget_class, team_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, popover_shown_cb);
  gtk_widget_class_bind_template_callback (widget_class, tag_entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, tag_entry_changed_cb);

  /* The agent's changes, one action each; the widgets below activate them. */
  gtk_widget_class_install_action (widget_class, "sidebar.assign", "s", assign_action);
  gtk_widget_class_install_action (widget_class, "sidebar.assign-team", "s", assign_team_action);
  gtk_widget_class_install_action (widget_class, "sidebar.remove-team", NULL, remove_team_action);
  gtk_widget_class_install_action (widget_class, "sidebar.remove-assignee", "s",
                                   remove_assignee_action);
  gtk_widget_class_install_action (widget_class, "sidebar.unassign", NULL, unassign_action);
  gtk_widget_class_install_action (widget_class, "sidebar.claim", NULL, claim_action);
  gtk_widget_class_install_action (widget_class, "sidebar.add-owner", "s", add_owner_action);
  gtk_widget_class_install_action (widget_class, "sidebar.remove-owner", "s",
                                   remove_owner_action);
  gtk_widget_class_install_action (widget_class, "sidebar.add-tag", "s", add_tag_action);
  gtk_widget_class_install_action (widget_class, "sidebar.remove-tag", "s", remove_tag_action);
}

static void
baton_assignment_sidebar_init (BatonAssignmentSidebar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->agents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) baton_agent_unref);
  self->teams = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_team_unref);
  self->cancellable = g_cancellable_new ();
  self->load_cancellable = g_cancellable_new ();
  self->team_names = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (self->team_dropdown, G_LIST_MODEL (self->team_names));
  update_team_model (self);
  gtk_list_box_set_placeholder (self->picker_list, new_placeholder (_("Nobody left to assign")));
  gtk_list_box_set_placeholder (self->owner_picker_list,
                                new_placeholder (_("Every agent is an owner")));
  gtk_list_box_set_placeholder (self->fields_list, new_placeholder (_("No fields")));
  gtk_list_box_set_placeholder (self->owners_list, new_placeholder (_("No owners")));

  self->directory_signals = g_signal_group_new (BATON_TYPE_DIRECTORY);
  g_signal_group_connect_swapped (self->directory_signals, "changed", G_CALLBACK (sync_people),
                                  self);
  self->client_signals = g_signal_group_new (BATON_TYPE_CLIENT);
  g_signal_group_connect_swapped (self->client_signals, "event",
                                  G_CALLBACK (client_event_cb), self);
  g_signal_group_connect_swapped (self->client_signals, "resync",
                                  G_CALLBACK (reload_everything), self);
  g_signal_group_connect_swapped (self->client_signals, "notify::state",
                                  G_CALLBACK (client_state_changed_cb), self);
  g_signal_group_connect_swapped (self->client_signals, "notify::me",
                                  G_CALLBACK (me_changed_cb), self);
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
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->load_cancellable);
  self->cancellable = g_cancellable_new ();
  self->load_cancellable = g_cancellable_new ();
  g_set_object (&self->client, client);
  g_signal_group_set_target (self->client_signals, client);
  g_signal_group_set_target (self->directory_signals,
                             client ? baton_client_get_directory (client) : NULL);
  g_clear_pointer (&self->conversation, baton_conversation_unref);
  g_clear_pointer (&self->contact, baton_contact_unref);
  g_clear_pointer (&self->contact_id, g_free);

  sync_people (self);
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

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  g_free (self->conversation_id);
  self->conversation_id = g_strdup (conversation_id);
  g_clear_pointer (&self->conversation, baton_conversation_unref);
  g_clear_pointer (&self->contact, baton_contact_unref);
  g_clear_pointer (&self->contact_id, g_free);
  gtk_popover_popdown (self->picker_popover);
  gtk_popover_popdown (self->owner_popover);
  gtk_editable_set_text (GTK_EDITABLE (self->tag_entry), "");

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
