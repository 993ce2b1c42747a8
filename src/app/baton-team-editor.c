/* baton-team-editor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-team-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "baton-describe.h"
#include "baton-directory.h"
#include "baton-team-editor.h"
#include "baton-toast.h"
#include "baton-widget-util.h"

struct _BatonTeamEditor
{
  AdwBin parent_instance;

  /* template widgets */
  AdwEntryRow *name_row;
  AdwPreferencesGroup *members_group;
  GtkListBox *members_list;
  GtkLabel *members_error;
  GtkPopover *add_member_popover;
  GtkListBox *candidates_list;
  AdwComboRow *strategy_row;
  AdwComboRow *default_user_row;
  AdwComboRow *backup_user_row;
  AdwExpanderRow *reassign_row;
  GtkSpinButton *reassign_spin;
  AdwActionRow *only_online_row;
  GtkSwitch *only_online_switch;
  AdwExpanderRow *max_active_row;
  GtkSpinButton *max_active_spin;
  GtkWidget *delete_group;

  /* borrowed: the client's agents */
  BatonDirectory *directory;

  /* owned */
  BatonClient *client;
  GCancellable *cancellable;
  GPtrArray *member_ids;      /* in round-robin order */
  char *team_id;              /* NULL for a new team */
  char *team_name;
  char *default_user_id;
  char *backup_user_id;

  /* state */
  gboolean loading;           /* set_team fills the form: not a person's edit */
  gboolean syncing_users;     /* the user rows' models are being rebuilt */
  gboolean modified;
  gboolean busy;
};

/* Member rows call back into the list they are rebuilt from. */
static void move_up_clicked_cb   (BatonTeamEditor *self,
                                  GtkButton       *button);
static void move_down_clicked_cb (BatonTeamEditor *self,
                                  GtkButton       *button);
static void remove_clicked_cb    (BatonTeamEditor *self,
                                  GtkButton       *button);
static void fill_candidates      (BatonTeamEditor *self);

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SAVED,
  DELETED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BatonTeamEditor, baton_team_editor, ADW_TYPE_BIN)

static const char *
agent_name (BatonTeamEditor *self,
            const char      *agent_id)
{
  BatonAgent *agent = baton_directory_lookup_agent (self->directory, agent_id);

  return agent && agent->name ? agent->name : agent_id;
}

static void
show_toast (BatonTeamEditor *self,
            const char      *message)
{
  if (!baton_toast_show (GTK_WIDGET (self), message))
    g_warning ("%s", message);
}

static void
set_busy (BatonTeamEditor *self,
          gboolean         busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.delete",
                                 !busy && self->team_id != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
mark_modified (BatonTeamEditor *self)
{
  if (!self->loading)
    self->modified = TRUE;
}

/* Field errors: the row turns red and shows the server's message as its subtitle (the
 * normal subtitle is kept aside) and tooltip. */
static void
show_row_error (GtkWidget  *row,
                const char *message)
{
  gtk_widget_add_css_class (row, "error");
  gtk_widget_set_tooltip_text (row, message);
  if (ADW_IS_ACTION_ROW (row) || ADW_IS_EXPANDER_ROW (row))
    {
      const char *subtitle = ADW_IS_ACTION_ROW (row)
                             ? adw_action_row_get_subtitle (ADW_ACTION_ROW (row))
                             : adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row));

      if (g_object_get_data (G_OBJECT (row), "baton-subtitle") == NULL)
        g_object_set_data_full (G_OBJECT (row), "baton-subtitle",
                                g_strdup (subtitle ? subtitle : ""), g_free);
      if (ADW_IS_ACTION_ROW (row))
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), message);
      else
        adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), message);
    }
}

static void
clear_row_error (GtkWidget *row)
{
  const char *subtitle = g_object_get_data (G_OBJECT (row), "baton-subtitle");

  gtk_widget_remove_css_class (row, "error");
  gtk_widget_set_tooltip_text (row, NULL);
  if (subtitle == NULL)
    return;
  if (ADW_IS_ACTION_ROW (row))
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  else if (ADW_IS_EXPANDER_ROW (row))
    adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
  g_object_set_data (G_OBJECT (row), "baton-subtitle", NULL);
}

static void
clear_errors (BatonTeamEditor *self)
{
  GtkWidget *rows[] = {
    GTK_WIDGET (self->name_row), GTK_WIDGET (self->strategy_row),
    GTK_WIDGET (self->default_user_row), GTK_WIDGET (self->backup_user_row),
    GTK_WIDGET (self->reassign_row), GTK_WIDGET (self->only_online_row),
    GTK_WIDGET (self->max_active_row),
  };
  GtkListBoxRow *member = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    clear_row_error (rows[i]);
  for (int i = 0; (member = gtk_list_box_get_row_at_index (self->members_list, i)); i++)
    clear_row_error (GTK_WIDGET (member));
  gtk_widget_remove_css_class (GTK_WIDGET (self->members_list), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->members_error), FALSE);
}

/* error.field is a path into the body we sent: "name", "member_ids[2]", … */
static gboolean
show_field_error (BatonTeamEditor *self,
                  const char      *field,
                  const char      *message)
{
  struct { const char *field; GtkWidget *row; } rows[] = {
    { "name", GTK_WIDGET (self->name_row) },
    { "strategy", GTK_WIDGET (self->strategy_row) },
    { "default_user_id", GTK_WIDGET (self->default_user_row) },
    { "backup_user_id", GTK_WIDGET (self->backup_user_row) },
    { "reassign_after_minutes", GTK_WIDGET (self->reassign_row) },
    { "only_online", GTK_WIDGET (self->only_online_row) },
    { "max_active_per_agent", GTK_WIDGET (self->max_active_row) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (g_str_equal (field, rows[i].field))
      {
        show_row_error (rows[i].row, message);
        gtk_widget_grab_focus (rows[i].row);
        return TRUE;
      }
  if (g_str_equal (field, "member_ids") || g_str_has_prefix (field, "member_ids["))
    {
      GtkListBoxRow *member = NULL;

      if (field[strlen ("member_ids")] == '[')
        member = gtk_list_box_get_row_at_index (self->members_list,
                                                (int) g_ascii_strtoll (field + strlen ("member_ids["),
                                                                       NULL, 10));
      if (member)
        show_row_error (GTK_WIDGET (member), message);
      else
        gtk_widget_add_css_class (GTK_WIDGET (self->members_list), "error");
      gtk_label_set_label (self->members_error, message);
      gtk_widget_set_visible (GTK_WIDGET (self->members_error), TRUE);
      return TRUE;
    }
  return FALSE;
}

static void
show_error (BatonTeamEditor *self,
            const GError    *error)
{
  const char *field = baton_client_error_get_field (error);

  if (g_error_matches (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_UNPROCESSABLE)
      && field && show_field_error (self, field, baton_describe_error (error)))
    return;
  show_toast (self, baton_describe_error (error));
}

/* The help under a row; while the row shows an error, the help waits behind it. */
static void
set_row_help (AdwActionRow *row,
              const char   *help)
{
  if (g_object_get_data (G_OBJECT (row), "baton-subtitle"))
    g_object_set_data_full (G_OBJECT (row), "baton-subtitle", g_strdup (help), g_free);
  else
    adw_action_row_set_subtitle (row, help);
}

/* What each strategy does with the members and with "Only Online Members". */
static const struct {
  const char *strategy;
  const char *members;
  const char *only_online;
} strategy_help[] = {
  [BATON_STRATEGY_ROUND_ROBIN] = {
    N_("Members take turns, in the order of the list"),
    N_("Round robin hands out conversations in this order."),
    N_("Skip members who are away or offline"),
  },
  [BATON_STRATEGY_LEAST_BUSY] = {
    N_("The member with the fewest active conversations gets the next one"),
    N_("Least busy hands each conversation to the member with the fewest active ones."),
    N_("Skip members who are away or offline"),
  },
  [BATON_STRATEGY_DEFAULT_USER] = {
    N_("One member takes every conversation"),
    N_("The default and backup user are chosen among these members."),
    N_("Hold conversations while neither the default nor the backup user is online"),
  },
};

/* Default and backup user belong to default_user, reassignment to the other two; the help
 * texts are the strategy's. */
static void
update_visibility (BatonTeamEditor *self)
{
  guint strategy = adw_combo_row_get_selected (self->strategy_row);
  gboolean default_user = strategy == BATON_STRATEGY_DEFAULT_USER;

  gtk_widget_set_visible (GTK_WIDGET (self->default_user_row), default_user);
  gtk_widget_set_visible (GTK_WIDGET (self->backup_user_row), default_user);
  gtk_widget_set_visible (GTK_WIDGET (self->reassign_row), !default_user);
  if (strategy >= G_N_ELEMENTS (strategy_help))
    return;
  set_row_help (ADW_ACTION_ROW (self->strategy_row), _(strategy_help[strategy].strategy));
  adw_preferences_group_set_description (self->members_group,
                                         _(strategy_help[strategy].members));
  set_row_help (ADW_ACTION_ROW (self->only_online_row), _(strategy_help[strategy].only_online));
}

static guint
member_position (BatonTeamEditor *self,
                 const char      *agent_id)
{
  guint index = 0;

  if (agent_id && g_ptr_array_find_with_equal_func (self->member_ids, agent_id, g_str_equal,
                                                    &index))
    return index;
  return G_MAXUINT;
}

/* The default and backup user are chosen among the members; "None" comes first. */
static void
sync_user_row (BatonTeamEditor  *self,
               AdwComboRow      *row,
               char            **agent_id)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint position = member_position (self, *agent_id);

  gtk_string_list_append (names, _("None"));
  for (guint i = 0; i < self->member_ids->len; i++)
    gtk_string_list_append (names, agent_name (self, self->member_ids->pdata[i]));
  if (position == G_MAXUINT)
    g_clear_pointer (agent_id, g_free);
  adw_combo_row_set_model (row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (row, position == G_MAXUINT ? 0 : position + 1);
}

static void
sync_user_rows (BatonTeamEditor *self)
{
  self->syncing_users = TRUE;
  sync_user_row (self, self->default_user_row, &self->default_user_id);
  sync_user_row (self, self->backup_user_row, &self->backup_user_id);
  self->syncing_users = FALSE;
}

static GtkWidget *
member_button (BatonTeamEditor *self,
               const char      *icon_name,
               const char      *tooltip,
               gboolean         sensitive,
               GCallback        clicked)
{
  GtkWidget *button = baton_icon_button_new (icon_name, tooltip);

  gtk_widget_set_sensitive (button, sensitive);
  g_signal_connect_object (button, "clicked", clicked, self, G_CONNECT_SWAPPED);
  return button;
}

static GtkWidget *
member_row (BatonTeamEditor *self,
            guint            index)
{
  const char *agent_id = self->member_ids->pdata[index];
  BatonAgent *agent = baton_directory_lookup_agent (self->directory, agent_id);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *avatar = adw_avatar_new (32, agent_name (self, agent_id), TRUE);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), agent_name (self, agent_id));
  if (agent && agent->email)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), agent->email);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), avatar);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             member_button (self, "go-up-symbolic", _("Move Up"), index > 0,
                                            G_CALLBACK (move_up_clicked_cb)));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             member_button (self, "go-down-symbolic", _("Move Down"),
                                            index + 1 < self->member_ids->len,
                                            G_CALLBACK (move_down_clicked_cb)));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             member_button (self, "list-remove-symbolic", _("Remove From Team"),
                                            TRUE, G_CALLBACK (remove_clicked_cb)));
  return row;
}

/* The list is short: every change rebuilds its rows and the user rows. */
static void
rebuild_members (BatonTeamEditor *self)
{
  GtkListBoxRow *row = NULL;

  while ((row = gtk_list_box_get_row_at_index (self->members_list, 0)))
    gtk_list_box_remove (self->members_list, GTK_WIDGET (row));
  for (guint i = 0; i < self->member_ids->len; i++)
    gtk_list_box_append (self->members_list, member_row (self, i));
  sync_user_rows (self);
  /* An open picker follows too (agents arriving, renamed or deleted). */
  if (gtk_widget_get_visible (GTK_WIDGET (self->add_member_popover)))
    fill_candidates (self);
}

static int
member_index (BatonTeamEditor *self,
              GtkButton       *button)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_LIST_BOX_ROW);

  return row ? gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)) : -1;
}

static void
swap_members (BatonTeamEditor *self,
              int              first,
              int              second)
{
  gpointer kept = NULL;

  if (first < 0 || second < 0 || (guint) MAX (first, second) >= self->member_ids->len)
    return;
  kept = self->member_ids->pdata[first];
  self->member_ids->pdata[first] = self->member_ids->pdata[second];
  self->member_ids->pdata[second] = kept;
  mark_modified (self);
  rebuild_members (self);
}

static void
move_up_clicked_cb (BatonTeamEditor *self,
                    GtkButton       *button)
{
  int index = member_index (self, button);

  swap_members (self, index - 1, index);
}

static void
move_down_clicked_cb (BatonTeamEditor *self,
                      GtkButton       *button)
{
  int index = member_index (self, button);

  swap_members (self, index, index + 1);
}

static void
remove_clicked_cb (BatonTeamEditor *self,
                   GtkButton       *button)
{
  int index = member_index (self, button);

  if (index < 0 || (guint) index >= self->member_ids->len)
    return;
  g_ptr_array_remove_index (self->member_ids, index);
  mark_modified (self);
  rebuild_members (self);
}

static int
compare_agent_names (gconstpointer a,
                     gconstpointer b)
{
  BatonAgent *first = *(BatonAgent **) a;
  BatonAgent *second = *(BatonAgent **) b;

  return g_utf8_collate (first->name ? first->name : "", second->name ? second->name : "");
}

/* The picker offers every agent who is not a member yet, by name. */
static void
fill_candidates (BatonTeamEditor *self)
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new ();
  GListModel *agents = baton_directory_get_agents (self->directory);
  GtkListBoxRow *row = NULL;

  while ((row = gtk_list_box_get_row_at_index (self->candidates_list, 0)))
    gtk_list_box_remove (self->candidates_list, GTK_WIDGET (row));
  for (guint i = 0; i < g_list_model_get_n_items (agents); i++)
    {
      g_autoptr(BatonDirectoryEntry) entry = g_list_model_get_item (agents, i);
      BatonAgent *agent = baton_directory_entry_get_agent (entry);

      if (member_position (self, agent->id) == G_MAXUINT)
        g_ptr_array_add (candidates, agent);
    }
  g_ptr_array_sort (candidates, compare_agent_names);
  for (guint i = 0; i < candidates->len; i++)
    {
      BatonAgent *agent = candidates->pdata[i];
      GtkWidget *candidate = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (candidate), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (candidate), agent->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (candidate), agent->email ? agent->email : "");
      adw_action_row_add_prefix (ADW_ACTION_ROW (candidate), adw_avatar_new (32, agent->name, TRUE));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (candidate), TRUE);
      g_object_set_data_full (G_OBJECT (candidate), "agent-id", g_strdup (agent->id), g_free);
      gtk_list_box_append (self->candidates_list, candidate);
    }
}

static void
add_member_popover_shown_cb (BatonTeamEditor *self)
{
  fill_candidates (self);
}

static void
candidate_activated_cb (BatonTeamEditor *self,
                        GtkListBoxRow   *row)
{
  const char *agent_id = g_object_get_data (G_OBJECT (row), "agent-id");

  gtk_popover_popdown (self->add_member_popover);
  if (agent_id == NULL || member_position (self, agent_id) != G_MAXUINT)
    return;
  /* New members go last: the existing round-robin order stays (PROTOCOL.md §3). */
  g_ptr_array_add (self->member_ids, g_strdup (agent_id));
  mark_modified (self);
  rebuild_members (self);
}

static void
form_changed_cb (BatonTeamEditor *self)
{
  mark_modified (self);
}

/* A name the server takes (PROTOCOL.md §1: 1 to 200 characters, not blank) clears the
 * error of the last save at once. */
static void
name_changed_cb (BatonTeamEditor *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  g_autofree char *name = g_strstrip (g_strdup (text));

  mark_modified (self);
  if (name[0] != '\0' && g_utf8_strlen (name, -1) <= 200)
    clear_row_error (GTK_WIDGET (self->name_row));
}

static void
strategy_changed_cb (BatonTeamEditor *self)
{
  update_visibility (self);
  mark_modified (self);
}

static void
pick_user (BatonTeamEditor  *self,
           AdwComboRow      *row,
           char            **agent_id)
{
  guint selected = adw_combo_row_get_selected (row);

  if (self->syncing_users)
    return;
  g_free (*agent_id);
  *agent_id = selected > 0 && selected <= self->member_ids->len
              ? g_strdup (self->member_ids->pdata[selected - 1]) : NULL;
  mark_modified (self);
}

static void
default_user_changed_cb (BatonTeamEditor *self)
{
  pick_user (self, self->default_user_row, &self->default_user_id);
}

static void
backup_user_changed_cb (BatonTeamEditor *self)
{
  pick_user (self, self->backup_user_row, &self->backup_user_id);
}

/* The whole team as the form shows it; what the strategy hides is sent as null. */
static BatonTeam *
build_team (BatonTeamEditor *self)
{
  BatonTeam *team = baton_team_new ();
  BatonStrategy strategy = (BatonStrategy) adw_combo_row_get_selected (self->strategy_row);
  gboolean default_user = strategy == BATON_STRATEGY_DEFAULT_USER;
  g_autoptr(GStrvBuilder) members = g_strv_builder_new ();

  team->id = g_strdup (self->team_id);
  team->name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  for (guint i = 0; i < self->member_ids->len; i++)
    g_strv_builder_add (members, self->member_ids->pdata[i]);
  team->member_ids = g_strv_builder_end (members);
  team->strategy = strategy;
  team->default_user_id = g_strdup (default_user ? self->default_user_id : NULL);
  team->backup_user_id = g_strdup (default_user ? self->backup_user_id : NULL);
  if (!default_user && adw_expander_row_get_enable_expansion (self->reassign_row))
    team->reassign_after_minutes = gtk_spin_button_get_value_as_int (self->reassign_spin);
  team->only_online = gtk_switch_get_active (self->only_online_switch);
  if (adw_expander_row_get_enable_expansion (self->max_active_row))
    team->max_active_per_agent = gtk_spin_button_get_value_as_int (self->max_active_spin);
  return team;
}

static void
saved (BatonTeamEditor *self,
       BatonTeam       *team,
       GError          *error)
{
  set_busy (self, FALSE);
  if (team == NULL)
    {
      show_error (self, error);
      return;
    }
  baton_team_editor_set_team (self, team);
  g_signal_emit (self, signals[SAVED], 0, team);
}

static void
created_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonTeam) team = baton_client_create_team_finish (BATON_CLIENT (source), result,
                                                               &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    saved (BATON_TEAM_EDITOR (user_data), team, error);
}

static void
updated_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonTeam) team = baton_client_update_team_finish (BATON_CLIENT (source), result,
                                                               &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    saved (BATON_TEAM_EDITOR (user_data), team, error);
}

static void
deleted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean deleted = baton_client_delete_team_finish (BATON_CLIENT (source), result, &error);
  g_autofree char *team_id = NULL;
  BatonTeamEditor *self = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = BATON_TEAM_EDITOR (user_data);
  set_busy (self, FALSE);
  /* Not found: someone deleted it first, which is what was asked. */
  if (!deleted && !g_error_matches (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_NOT_FOUND))
    {
      show_error (self, error);
      return;
    }
  team_id = g_strdup (self->team_id);
  g_signal_emit (self, signals[DELETED], 0, team_id);
}

static void
delete_response_cb (BatonTeamEditor  *self,
                    const char       *response,
                    AdwMessageDialog *dialog)
{
  if (!g_str_equal (response, "delete") || self->team_id == NULL || self->busy)
    return;
  set_busy (self, TRUE);
  baton_client_delete_team_async (self->client, self->team_id, self->cancellable, deleted_cb,
                                  self);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  baton_team_editor_save (BATON_TEAM_EDITOR (widget));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  baton_team_editor_delete (BATON_TEAM_EDITOR (widget));
}

/* A deleted agent leaves the form as it left the team; names follow the directory. */
static void
client_event_cb (BatonTeamEditor *self,
                 BatonEvent      *event)
{
  guint position = G_MAXUINT;

  if (baton_event_get_kind (event) != BATON_EVENT_AGENT_DELETED)
    return;
  position = member_position (self, baton_event_get_object_id (event));
  if (position != G_MAXUINT)
    g_ptr_array_remove_index (self->member_ids, position);
  rebuild_members (self);
}

static void
baton_team_editor_constructed (GObject *object)
{
  BatonTeamEditor *self = BATON_TEAM_EDITOR (object);

  G_OBJECT_CLASS (baton_team_editor_parent_class)->constructed (object);

  self->directory = baton_client_get_directory (self->client);
  g_signal_connect_object (self->client, "event", G_CALLBACK (client_event_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->directory, "changed", G_CALLBACK (rebuild_members), self,
                           G_CONNECT_SWAPPED);
  baton_team_editor_set_team (self, NULL);
}

static void
baton_team_editor_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  BatonTeamEditor *self = BATON_TEAM_EDITOR (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
baton_team_editor_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  BatonTeamEditor *self = BATON_TEAM_EDITOR (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
baton_team_editor_dispose (GObject *object)
{
  BatonTeamEditor *self = BATON_TEAM_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  gtk_widget_dispose_template (GTK_WIDGET (self), BATON_TYPE_TEAM_EDITOR);

  G_OBJECT_CLASS (baton_team_editor_parent_class)->dispose (object);
}

static void
baton_team_editor_finalize (GObject *object)
{
  BatonTeamEditor *self = BATON_TEAM_EDITOR (object);

  g_clear_pointer (&self->member_ids, g_ptr_array_unref);
  g_clear_pointer (&self->team_id, g_free);
  g_clear_pointer (&self->team_name, g_free);
  g_clear_pointer (&self->default_user_id, g_free);
  g_clear_pointer (&self->backup_user_id, g_free);

  G_OBJECT_CLASS (baton_team_editor_parent_class)->finalize (object);
}

static void
baton_team_editor_class_init (BatonTeamEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = baton_team_editor_constructed;
  object_class->get_property = baton_team_editor_get_property;
  object_class->set_property = baton_team_editor_set_property;
  object_class->dispose = baton_team_editor_dispose;
  object_class->finalize = baton_team_editor_finalize;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, BATON_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 1, BATON_TYPE_TEAM);
  signals[DELETED] = g_signal_new ("deleted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/baton/Baton/ui/baton-team-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, BatonTeamEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, BatonTeamEditor, members_group);
  gtk_widget_class_bind_template_child (widget_class, BatonTeamEditor, members_list);
  gtk_widget_class_bind_template_child (widget_class, BatonTeamEditor, members_error);
  gtk_widget_class_bind_template_child (widget_class, BatonTeamEditor, add_member_popover);
  gtk_widget_class_bind_template_child (widget_class, BatonTeamEditor, candidates_list);
  gtk_widget_class_bind_template_child (widget_class, BatonTeamEditor, strategy_row);
  gtk_widget_class_bind_template_child (widget_class, BatonTeamEditor, default_user_row);
  gtk_widget_class_bind_template_child (widget_class, BatonTeamEditor, backup_user_row);
  gtk_widget_class_bind_template_child (widget_class, BatonTeamEditor, reassign_row);
  gtk_widget_class_bind_template_child (widget_class, BatonTeamEditor, reassign_spin);
  gtk_widget_class_bind_template_child (widget_class, BatonTeamEditor, only_online_row);
  gtk_widget_class_bind_template_child (widget_class, BatonTeamEditor, only_online_switch);
  gtk_widget_class_bind_template_child (widget_class, BatonTeamEditor, max_active_row);
  gtk_widget_class_bind_template_child (widget_class, BatonTeamEditor, max_active_spin);
  gtk_widget_class_bind_template_child (widget_class, BatonTeamEditor, delete_group);
  gtk_widget_class_bind_template_callback (widget_class, form_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, name_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, strategy_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, default_user_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, backup_user_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_member_popover_shown_cb);
  gtk_widget_class_bind_template_callback (widget_class, candidate_activated_cb);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.delete", NULL, delete_action);
}

static void
baton_team_editor_init (BatonTeamEditor *self)
{
  self->cancellable = g_cancellable_new ();
  self->member_ids = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  baton_name_adwaita_controls (GTK_WIDGET (self));

  baton_list_box_set_placeholder_text (self->members_list, _("No members yet"));
  baton_list_box_set_placeholder_text (self->candidates_list, _("Every agent is a member"));
}

GtkWidget *
baton_team_editor_new (BatonClient *client)
{
  g_return_val_if_fail (BATON_IS_CLIENT (client), NULL);

  return g_object_new (BATON_TYPE_TEAM_EDITOR, "client", client, NULL);
}

void
baton_team_editor_set_team (BatonTeamEditor *self,
                            BatonTeam       *team)
{
  g_return_if_fail (BATON_IS_TEAM_EDITOR (self));

  self->loading = TRUE;
  clear_errors (self);
  g_free (self->team_id);
  self->team_id = team ? g_strdup (team->id) : NULL;
  g_free (self->team_name);
  self->team_name = team ? g_strdup (team->name) : NULL;
  g_free (self->default_user_id);
  self->default_user_id = team ? g_strdup (team->default_user_id) : NULL;
  g_free (self->backup_user_id);
  self->backup_user_id = team ? g_strdup (team->backup_user_id) : NULL;
  g_ptr_array_set_size (self->member_ids, 0);
  for (guint i = 0; team && team->member_ids && team->member_ids[i]; i++)
    g_ptr_array_add (self->member_ids, g_strdup (team->member_ids[i]));

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), team && team->name ? team->name : "");
  adw_combo_row_set_selected (self->strategy_row,
                              team ? (guint) team->strategy : BATON_STRATEGY_ROUND_ROBIN);
  adw_expander_row_set_enable_expansion (self->reassign_row,
                                         team && team->reassign_after_minutes > 0);
  gtk_spin_button_set_value (self->reassign_spin,
                             team && team->reassign_after_minutes > 0
                             ? team->reassign_after_minutes : 30);
  gtk_switch_set_active (self->only_online_switch, team ? team->only_online : TRUE);
  adw_expander_row_set_enable_expansion (self->max_active_row,
                                         team && team->max_active_per_agent > 0);
  gtk_spin_button_set_value (self->max_active_spin,
                             team && team->max_active_per_agent > 0
                             ? team->max_active_per_agent : 5);
  rebuild_members (self);
  update_visibility (self);
  gtk_widget_set_visible (self->delete_group, team != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.delete",
                                 team != NULL && !self->busy);
  self->modified = FALSE;
  self->loading = FALSE;
}

const char *
baton_team_editor_get_team_id (BatonTeamEditor *self)
{
  g_return_val_if_fail (BATON_IS_TEAM_EDITOR (self), NULL);

  return self->team_id;
}

gboolean
baton_team_editor_get_modified (BatonTeamEditor *self)
{
  g_return_val_if_fail (BATON_IS_TEAM_EDITOR (self), FALSE);

  return self->modified;
}

gboolean
baton_team_editor_get_busy (BatonTeamEditor *self)
{
  g_return_val_if_fail (BATON_IS_TEAM_EDITOR (self), FALSE);

  return self->busy;
}

void
baton_team_editor_save (BatonTeamEditor *self)
{
  g_autoptr(BatonTeam) team = NULL;

  g_return_if_fail (BATON_IS_TEAM_EDITOR (self));

  if (self->busy)
    return;
  clear_errors (self);
  /* A number typed but not yet confirmed counts. */
  gtk_spin_button_update (self->reassign_spin);
  gtk_spin_button_update (self->max_active_spin);
  team = build_team (self);
  set_busy (self, TRUE);
  if (self->team_id)
    baton_client_update_team_async (self->client, team, self->cancellable, updated_cb, self);
  else
    baton_client_create_team_async (self->client, team, self->cancellable, created_cb, self);
}

void
baton_team_editor_delete (BatonTeamEditor *self)
{
  GtkRoot *root = NULL;
  GtkWidget *dialog = NULL;

  g_return_if_fail (BATON_IS_TEAM_EDITOR (self));

  if (self->team_id == NULL || self->busy)
    return;
  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Delete Team?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("“%s” will be deleted. Its conversations keep their "
                                    "assignees but no longer belong to a team."),
                                  self->team_name ? self->team_name : "");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}
