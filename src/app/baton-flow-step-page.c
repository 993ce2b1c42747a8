/* baton-flow-step-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-flow-step-page"

#include "config.h"

#include <glib/gi18n.h>

#include "baton-flow-step-list.h"
#include "baton-flow-step-page.h"
#include "baton-flow-summary.h"
#include "baton-widget-util.h"

#define FIELD_PREFIX "contact.fields."

struct _BatonFlowStepPage
{
  AdwPreferencesPage parent_instance;

  /* borrowed: owned by the list the step is in, which outlives the page */
  BatonFlowStep *step;
  char *path;
  BatonDirectory *directory;
  GPtrArray *schedules;

  GtkLabel *error_label;
  AdwPreferencesGroup *conditions_group;
  /* the conditions' expander rows, in order */
  GPtrArray *condition_rows;
  BatonFlowStepList *then_list;
  BatonFlowStepList *else_list;
  char *error_field;
  char *error_message;
  /* the condition row to show open after the rows are made again */
  int expanded;
  guint rebuild_source;
};

G_DEFINE_FINAL_TYPE (BatonFlowStepPage, baton_flow_step_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  SIGNAL_EDIT_STEP,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What a condition checks: every field the engine knows. */
static const struct {
  const char *field;
  const char *label;
} kinds[] = {
  { "message.text", N_("Message text") },
  { "contact.tags", N_("Contact tags") },
  { FIELD_PREFIX, N_("Contact field") },
  { "contact.is_returning", N_("Returning contact") },
  { "channel.id", N_("Channel") },
  { "time", N_("Business hours") },
  { "conversation.referral", N_("Referral") },
};

/* How, by kind; flag: the value the op implies (-1: the value is given apart). */
static const struct {
  guint kind;
  const char *op;
  int flag;
  const char *label;
} ops[] = {
  { 0, "contains", -1, N_("contains") },
  { 0, "equals", -1, N_("is") },
  { 0, "starts_with", -1, N_("starts with") },
  { 0, "matches", -1, N_("matches the pattern") },
  { 1, "includes", -1, N_("include") },
  { 1, "excludes", -1, N_("exclude") },
  { 2, "equals", -1, N_("is") },
  { 2, "exists", TRUE, N_("is set") },
  { 2, "exists", FALSE, N_("is not set") },
  { 3, "is", TRUE, N_("yes, returning") },
  { 3, "is", FALSE, N_("no, new") },
  { 4, "in", -1, N_("is one of") },
  { 5, "within", -1, N_("within") },
  { 5, "outside", -1, N_("outside") },
  { 6, "exists", TRUE, N_("came from an ad or a link") },
  { 6, "exists", FALSE, N_("did not come from an ad or a link") },
};

static guint
kind_of (BatonFlowCondition *condition)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (condition->field, kinds[i].field) == 0
        || (g_str_equal (kinds[i].field, FIELD_PREFIX)
            && g_str_has_prefix (condition->field, FIELD_PREFIX)))
      return i;
  return 0;
}

static gboolean
flag_of (BatonFlowCondition *condition)
{
  return condition->value_kind != BATON_FLOW_VALUE_FLAG || condition->flag;
}

/* The ops of a kind, as labels, and which of them the condition has. */
static GStrv
op_labels (guint               kind,
           BatonFlowCondition *condition,
           guint              *selected)
{
  g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
    if (ops[i].kind == kind)
      {
        if (g_strcmp0 (ops[i].op, condition->op) == 0
            && (ops[i].flag < 0 || ops[i].flag == flag_of (condition)))
          *selected = n;
        g_strv_builder_add (labels, _(ops[i].label));
        n++;
      }
  return g_strv_builder_end (labels);
}

static guint
op_entry (guint kind,
          guint nth)
{
  for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
    if (ops[i].kind == kind && nth-- == 0)
      return i;
  return 0;
}

static GtkWidget *
combo_row_new (const char         *title,
               const char * const *labels,
               guint               selected)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) model = gtk_string_list_new (labels);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  return row;
}

static GtkWidget *
entry_row_new (const char *title,
               const char *text)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
  return row;
}

/* "vip, urgent" → { "vip", "urgent" } */
static GStrv
split_tags (const char *text)
{
  g_auto(GStrv) parts = g_strsplit_set (text, ", ", -1);
  g_autoptr(GStrvBuilder) tags = g_strv_builder_new ();

  for (guint i = 0; parts[i]; i++)
    if (*parts[i] != '\0')
      g_strv_builder_add (tags, parts[i]);
  return g_strv_builder_end (tags);
}

static char *
join_tags (GStrv tags)
{
  return g_strjoinv (", ", tags ? tags : (char *[]) { NULL });
}

/* Entry rows that edit a list of tags: where the list is is the row's data. */
static void
tags_changed_cb (GtkEditable *row)
{
  GStrv *tags = g_object_get_data (G_OBJECT (row), "baton-tags");

  g_strfreev (*tags);
  *tags = split_tags (gtk_editable_get_text (row));
}

static GtkWidget *
tags_row_new (const char *title,
              GStrv      *tags)
{
  g_autofree char *text = join_tags (*tags);
  GtkWidget *row = entry_row_new (title, text);

  g_object_set_data (G_OBJECT (row), "baton-tags", tags);
  g_signal_connect (row, "changed", G_CALLBACK (tags_changed_cb), NULL);
  return row;
}

static AdwPreferencesGroup *
add_group (BatonFlowStepPage *self,
           const char        *title,
           const char        *description)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());

  adw_preferences_group_set_title (group, title);
  adw_preferences_group_set_description (group, description);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), group);
  return group;
}

/* Team and agent steps */

static void
show_strategy (AdwComboRow *row,
               BatonTeam   *team)
{
  g_autofree char *strategy = team ? g_utf8_strdown (baton_strategy_label (team->strategy), -1)
                                   : NULL;
  /* Translators: under the team a flow assigns to: "Assigns by least busy" */
  g_autofree char *text = team ? g_strdup_printf (_("Assigns by %s"), strategy) : NULL;

  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text ? text : "");
}

/* The entry a combo row of entries_row_new shows chosen, or NULL. */
static BatonDirectoryEntry *
selected_entry (AdwComboRow *row,
                GListModel  *entries)
{
  guint selected = adw_combo_row_get_selected (row);

  return selected < g_list_model_get_n_items (entries) ? g_list_model_get_item (entries, selected)
                                                       : NULL;
}

static void
team_selected_cb (AdwComboRow       *row,
                  GParamSpec        *pspec,
                  BatonFlowStepPage *self)
{
  GListModel *teams = baton_directory_get_teams (self->directory);
  g_autoptr(BatonDirectoryEntry) entry = selected_entry (row, teams);

  if (entry == NULL)
    return;
  g_free (self->step->team_id);
  self->step->team_id = g_strdup (baton_directory_entry_get_id (entry));
  show_strategy (row, baton_directory_entry_get_team (entry));
}

/* A combo row of the directory's entries (teams or agents), the one with id selected; with
 * none selected yet, the first. */
static GtkWidget *
entries_row_new (const char *title,
                 GListModel *entries,
                 char      **id)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) labels = NULL;
  guint selected = 0;

  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(BatonDirectoryEntry) entry = g_list_model_get_item (entries, i);

      if (g_strcmp0 (baton_directory_entry_get_id (entry), *id) == 0)
        selected = i;
      g_strv_builder_add (names, baton_directory_entry_get_name (entry));
    }
  labels = g_strv_builder_end (names);
  if (*id == NULL && labels[0])
    {
      g_autoptr(BatonDirectoryEntry) first = g_list_model_get_item (entries, 0);

      *id = g_strdup (baton_directory_entry_get_id (first));
    }
  return combo_row_new (title, (const char * const *) labels, selected);
}

static void
replace_toggled_cb (GtkSwitch         *toggle,
                    GParamSpec        *pspec,
                    BatonFlowStepPage *self)
{
  self->step->add_tags = !gtk_switch_get_active (toggle);
}

static void
build_team (BatonFlowStepPage *self)
{
  AdwPreferencesGroup *group = add_group (self, _("Assign to a Team"),
                                          _("The team’s strategy picks one of its members."));
  GtkWidget *team_row = entries_row_new (_("Team"), baton_directory_get_teams (self->directory),
                                         &self->step->team_id);
  GtkWidget *replace_row = adw_action_row_new ();
  GtkWidget *replace = gtk_switch_new ();

  show_strategy (ADW_COMBO_ROW (team_row),
                 baton_directory_lookup_team (self->directory, self->step->team_id
                                                               ? self->step->team_id : ""));
  g_signal_connect_object (team_row, "notify::selected", G_CALLBACK (team_selected_cb), self, 0);
  adw_preferences_group_add (group, team_row);
  group = add_group (self, _("Tags"), _("Tags separated by commas, such as vip, urgent."));
  adw_preferences_group_add (group, tags_row_new (_("Tag the Conversation"),
                                                  &self->step->conversation_tags));
  adw_preferences_group_add (group, tags_row_new (_("Tag the Contact"),
                                                  &self->step->contact_tags));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (replace_row),
                                 _("Replace the Tags They Have"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (replace_row),
                               _("Off: the tags are added to the ones they have."));
  gtk_switch_set_active (GTK_SWITCH (replace), !self->step->add_tags);
  gtk_widget_set_valign (replace, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (replace), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Replace the Tags They Have"), -1);
  g_signal_connect_object (replace, "notify::active", G_CALLBACK (replace_toggled_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (replace_row), replace);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (replace_row), replace);
  adw_preferences_group_add (group, replace_row);
}

static void
agent_selected_cb (AdwComboRow       *row,
                   GParamSpec        *pspec,
                   BatonFlowStepPage *self)
{
  GListModel *agents = baton_directory_get_agents (self->directory);
  g_autoptr(BatonDirectoryEntry) entry = selected_entry (row, agents);

  if (entry == NULL)
    return;
  g_free (self->step->user_id);
  self->step->user_id = g_strdup (baton_directory_entry_get_id (entry));
}

static void
text_changed_cb (GtkEditable *row,
                 char       **text)
{
  g_free (*text);
  *text = g_strdup (gtk_editable_get_text (row));
}

static void
build_simple (BatonFlowStepPage *self)
{
  AdwPreferencesGroup *group = add_group (self, baton_flow_step_type_label (self->step->type),
                                          NULL);
  GtkWidget *row = NULL;

  switch (self->step->type)
    {
    case BATON_FLOW_STEP_ASSIGN_USER:
      row = entries_row_new (_("Agent"), baton_directory_get_agents (self->directory),
                             &self->step->user_id);
      g_signal_connect_object (row, "notify::selected", G_CALLBACK (agent_selected_cb), self, 0);
      break;
    case BATON_FLOW_STEP_SEND_MESSAGE:
      adw_preferences_group_set_description (group, _("Sent to the customer as it is written."));
      row = entry_row_new (_("Message"), self->step->body);
      g_signal_connect (row, "changed", G_CALLBACK (text_changed_cb), &self->step->body);
      break;
    case BATON_FLOW_STEP_UPDATE_CONTACT:
      adw_preferences_group_set_description (group,
                                             _("Tags separated by commas, such as vip, urgent."));
      adw_preferences_group_add (group, tags_row_new (_("Add Tags"),
                                                      &self->step->contact_add_tags));
      row = tags_row_new (_("Remove Tags"), &self->step->contact_remove_tags);
      break;
    default:
      return;
    }
  adw_preferences_group_add (group, row);
}

/* Conditions */

static void rebuild_conditions (BatonFlowStepPage *self);

static BatonFlowCondition *
condition_of (BatonFlowStepPage *self,
              GObject           *widget)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (widget, "baton-condition"));

  self->expanded = index;
  return index < self->step->conditions->len ? self->step->conditions->pdata[index] : NULL;
}

static void
set_index (gpointer widget,
           guint    index)
{
  g_object_set_data (G_OBJECT (widget), "baton-condition", GUINT_TO_POINTER (index));
}

/* The rows are made again from an idle: the one that changed is in the middle of its
 * signal. */
static gboolean
rebuild_idle (gpointer user_data)
{
  BatonFlowStepPage *self = user_data;

  self->rebuild_source = 0;
  rebuild_conditions (self);
  return G_SOURCE_REMOVE;
}

/* Not after the page: the step may go with the editor. */
static void
rebuild_later (BatonFlowStepPage *self)
{
  if (self->rebuild_source == 0)
    self->rebuild_source = g_idle_add (rebuild_idle, self);
}

static void
retitle (BatonFlowStepPage *self,
         guint              index)
{
  g_autofree char *summary = NULL;

  if (index >= self->condition_rows->len || index >= self->step->conditions->len)
    return;
  summary = baton_flow_describe_condition (self->step->conditions->pdata[index],
                                           self->directory, self->schedules);
  adw_preferences_row_set_title (self->condition_rows->pdata[index], summary);
}

static void
kind_selected_cb (AdwComboRow       *row,
                  GParamSpec        *pspec,
                  BatonFlowStepPage *self)
{
  BatonFlowCondition *condition = condition_of (self, G_OBJECT (row));
  guint kind = adw_combo_row_get_selected (row);
  guint op = op_entry (kind, 0);

  if (condition == NULL || kind >= G_N_ELEMENTS (kinds) || kind == kind_of (condition))
    return;
  g_free (condition->field);
  condition->field = g_strdup (kinds[kind].field);
  g_free (condition->op);
  condition->op = g_strdup (ops[op].op);
  if (ops[op].flag >= 0)
    baton_flow_condition_set_flag (condition, ops[op].flag);
  else if (g_str_equal (condition->field, "channel.id"))
    baton_flow_condition_set_list (condition, NULL);
  else if (g_str_equal (condition->field, "time") && self->schedules && self->schedules->len)
    baton_flow_condition_set_text (condition,
                                   ((BatonSchedule *) self->schedules->pdata[0])->id);
  else
    baton_flow_condition_set_text (condition, "");
  rebuild_later (self);
}

static void
op_selected_cb (AdwComboRow       *row,
                GParamSpec        *pspec,
                BatonFlowStepPage *self)
{
  BatonFlowCondition *condition = condition_of (self, G_OBJECT (row));
  guint op = 0;

  if (condition == NULL)
    return;
  op = op_entry (kind_of (condition), adw_combo_row_get_selected (row));
  g_free (condition->op);
  condition->op = g_strdup (ops[op].op);
  if (ops[op].flag >= 0)
    baton_flow_condition_set_flag (condition, ops[op].flag);
  else if (condition->value_kind == BATON_FLOW_VALUE_FLAG)
    baton_flow_condition_set_text (condition, "");
  rebuild_later (self);
}

static void
value_changed_cb (GtkEditable       *row,
                  BatonFlowStepPage *self)
{
  BatonFlowCondition *condition = condition_of (self, G_OBJECT (row));

  if (condition == NULL)
    return;
  baton_flow_condition_set_text (condition, gtk_editable_get_text (row));
  retitle (self, self->expanded);
}

static void
key_changed_cb (GtkEditable       *row,
                BatonFlowStepPage *self)
{
  BatonFlowCondition *condition = condition_of (self, G_OBJECT (row));

  if (condition == NULL)
    return;
  g_free (condition->field);
  condition->field = g_strconcat (FIELD_PREFIX, gtk_editable_get_text (row), NULL);
  retitle (self, self->expanded);
}

static void
schedule_selected_cb (AdwComboRow       *row,
                      GParamSpec        *pspec,
                      BatonFlowStepPage *self)
{
  BatonFlowCondition *condition = condition_of (self, G_OBJECT (row));
  guint selected = adw_combo_row_get_selected (row);

  if (condition == NULL || self->schedules == NULL || selected >= self->schedules->len)
    return;
  baton_flow_condition_set_text (condition,
                                 ((BatonSchedule *) self->schedules->pdata[selected])->id);
  retitle (self, self->expanded);
}

static void
channel_toggled_cb (GtkCheckButton    *check,
                    BatonFlowStepPage *self)
{
  BatonFlowCondition *condition = condition_of (self, G_OBJECT (check));
  const char *id = g_object_get_data (G_OBJECT (check), "baton-channel");
  g_auto(GStrv) list = NULL;

  if (condition == NULL)
    return;
  list = gtk_check_button_get_active (check)
         ? baton_strv_with ((const char * const *) condition->list, id)
         : baton_strv_without ((const char * const *) condition->list, id);
  baton_flow_condition_set_list (condition, (const char * const *) list);
  retitle (self, self->expanded);
}

static void
add_channel_rows (BatonFlowStepPage  *self,
                  AdwExpanderRow     *expander,
                  BatonFlowCondition *condition,
                  guint               index)
{
  GListModel *channels = baton_directory_get_channels (self->directory);

  for (guint i = 0; i < g_list_model_get_n_items (channels); i++)
    {
      g_autoptr(BatonDirectoryEntry) entry = g_list_model_get_item (channels, i);
      const char *id = baton_directory_entry_get_id (entry);
      GtkCheckButton *check = NULL;
      GtkWidget *row = baton_check_row_new (baton_directory_entry_get_name (entry),
                                            condition->list
                                            && g_strv_contains ((const char * const *)
                                                                condition->list, id),
                                            &check);

      set_index (check, index);
      g_object_set_data_full (G_OBJECT (check), "baton-channel", g_strdup (id), g_free);
      g_signal_connect_object (check, "toggled", G_CALLBACK (channel_toggled_cb), self, 0);
      adw_expander_row_add_row (expander, row);
    }
}

static GtkWidget *
schedules_row_new (BatonFlowStepPage  *self,
                   BatonFlowCondition *condition)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) labels = NULL;
  guint selected = G_MAXUINT;

  for (guint i = 0; self->schedules && i < self->schedules->len; i++)
    {
      BatonSchedule *schedule = self->schedules->pdata[i];

      if (g_strcmp0 (schedule->id, condition->text) == 0)
        selected = i;
      g_strv_builder_add (names, schedule->name);
    }
  labels = g_strv_builder_end (names);
  /* none named yet: the one the row shows */
  if (selected == G_MAXUINT && labels[0])
    baton_flow_condition_set_text (condition,
                                   ((BatonSchedule *) self->schedules->pdata[0])->id);
  if (selected == G_MAXUINT)
    selected = 0;
  return combo_row_new (_("Business Hours"), (const char * const *) labels, selected);
}

/* The row for the value, suited to what the condition checks (none for a flag). */
static void
add_value_rows (BatonFlowStepPage  *self,
                AdwExpanderRow     *expander,
                BatonFlowCondition *condition,
                guint               index)
{
  guint kind = kind_of (condition);
  const char *titles[] = { N_("Text"), N_("Tag"), N_("Value") };
  GtkWidget *row = NULL;

  if (kind == 2)
    {
      row = entry_row_new (_("Field Name"), condition->field + strlen (FIELD_PREFIX));
      set_index (row, index);
      g_signal_connect_object (row, "changed", G_CALLBACK (key_changed_cb), self, 0);
      adw_expander_row_add_row (expander, row);
    }
  if (kind == 4)
    add_channel_rows (self, expander, condition, index);
  else if (kind == 5)
    {
      row = schedules_row_new (self, condition);
      g_signal_connect_object (row, "notify::selected", G_CALLBACK (schedule_selected_cb), self,
                               0);
    }
  else if (kind <= 2 && condition->value_kind == BATON_FLOW_VALUE_TEXT)
    {
      row = entry_row_new (_(titles[kind]), condition->text);
      g_signal_connect_object (row, "changed", G_CALLBACK (value_changed_cb), self, 0);
    }
  else
    return;
  set_index (row, index);
  adw_expander_row_add_row (expander, row);
}

static void
remove_condition_cb (GtkButton         *button,
                     BatonFlowStepPage *self)
{
  BatonFlowCondition *condition = condition_of (self, G_OBJECT (button));

  if (condition)
    g_ptr_array_remove (self->step->conditions, condition);
  self->expanded = -1;
  rebuild_later (self);
}

static GtkWidget *
create_condition_row (BatonFlowStepPage *self,
                      guint              index)
{
  BatonFlowCondition *condition = self->step->conditions->pdata[index];
  g_autoptr(GStrvBuilder) kind_names = g_strv_builder_new ();
  g_auto(GStrv) kind_labels = NULL;
  g_auto(GStrv) labels = NULL;
  guint selected_op = 0;
  g_autofree char *path = g_strdup_printf ("%s.conditions[%u]", self->path, index);
  GtkWidget *expander = adw_expander_row_new ();
  GtkWidget *row = NULL;
  GtkWidget *remove = baton_icon_button_new ("user-trash-symbolic", _("Remove Condition"));

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    g_strv_builder_add (kind_names, _(kinds[i].label));
  kind_labels = g_strv_builder_end (kind_names);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (expander), FALSE);
  row = combo_row_new (_("Check"), (const char * const *) kind_labels, kind_of (condition));
  set_index (row, index);
  g_signal_connect_object (row, "notify::selected", G_CALLBACK (kind_selected_cb), self, 0);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
  labels = op_labels (kind_of (condition), condition, &selected_op);
  row = combo_row_new (_("Test"), (const char * const *) labels, selected_op);
  set_index (row, index);
  g_signal_connect_object (row, "notify::selected", G_CALLBACK (op_selected_cb), self, 0);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
  add_value_rows (self, ADW_EXPANDER_ROW (expander), condition, index);
  set_index (remove, index);
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (remove_condition_cb), self, 0);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (expander), remove);
  if (baton_flow_field_within (self->error_field, path))
    {
      gtk_widget_add_css_class (expander, "error");
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), self->error_message);
    }
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), (int) index == self->expanded);
  gtk_widget_set_name (expander, path);
  return expander;
}

static void
rebuild_conditions (BatonFlowStepPage *self)
{
  for (guint i = 0; i < self->condition_rows->len; i++)
    adw_preferences_group_remove (self->conditions_group, self->condition_rows->pdata[i]);
  g_ptr_array_set_size (self->condition_rows, 0);
  for (guint i = 0; i < self->step->conditions->len; i++)
    {
      GtkWidget *row = create_condition_row (self, i);

      g_ptr_array_add (self->condition_rows, row);
      adw_preferences_group_add (self->conditions_group, row);
      baton_name_adwaita_controls (row);
      retitle (self, i);
    }
}

static void
add_condition_cb (BatonFlowStepPage *self)
{
  BatonFlowCondition *condition = baton_flow_condition_new ("contact.tags", "includes");

  baton_flow_condition_set_text (condition, "");
  g_ptr_array_add (self->step->conditions, condition);
  self->expanded = self->step->conditions->len - 1;
  rebuild_conditions (self);
}

static void
match_selected_cb (AdwComboRow       *row,
                   GParamSpec        *pspec,
                   BatonFlowStepPage *self)
{
  self->step->match_any = adw_combo_row_get_selected (row) == 1;
}

static void
forward_edit_cb (BatonFlowStepList *list,
                 BatonFlowStep     *step,
                 const char        *path,
                 BatonFlowStepPage *self)
{
  g_signal_emit (self, signals[SIGNAL_EDIT_STEP], 0, step, path);
}

static BatonFlowStepList *
add_branch (BatonFlowStepPage *self,
            GPtrArray         *steps,
            const char        *member,
            const char        *title,
            const char        *description)
{
  g_autofree char *path = g_strdup_printf ("%s.%s", self->path, member);
  BatonFlowStepList *list = baton_flow_step_list_new (steps, path, self->directory,
                                                      self->schedules);

  g_signal_connect_object (list, "edit-step", G_CALLBACK (forward_edit_cb), self, 0);
  adw_preferences_group_add (add_group (self, title, description), GTK_WIDGET (list));
  return list;
}

static void
build_condition (BatonFlowStepPage *self)
{
  AdwPreferencesGroup *group = add_group (self, _("Condition"), NULL);
  GtkWidget *match = combo_row_new (_("Match"), (const char *[]) { _("All conditions"),
                                                                   _("Any condition"), NULL },
                                    self->step->match_any ? 1 : 0);
  GtkWidget *add = baton_icon_button_new ("list-add-symbolic", _("Add Condition"));

  g_signal_connect_object (match, "notify::selected", G_CALLBACK (match_selected_cb), self, 0);
  adw_preferences_group_add (group, match);
  self->conditions_group = add_group (self, _("Conditions"), NULL);
  g_signal_connect_object (add, "clicked", G_CALLBACK (add_condition_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_set_valign (add, GTK_ALIGN_CENTER);
  adw_preferences_group_set_header_suffix (self->conditions_group, add);
  rebuild_conditions (self);
  self->then_list = add_branch (self, self->step->then_steps, "then", _("Then"),
                                _("When the conditions hold."));
  self->else_list = add_branch (self, self->step->else_steps, "else", _("Otherwise"), NULL);
}

void
baton_flow_step_page_refresh (BatonFlowStepPage *self)
{
  g_return_if_fail (BATON_IS_FLOW_STEP_PAGE (self));

  if (self->then_list)
    baton_flow_step_list_refresh (self->then_list);
  if (self->else_list)
    baton_flow_step_list_refresh (self->else_list);
}

void
baton_flow_step_page_show_error (BatonFlowStepPage *self,
                                 const char        *field,
                                 const char        *message)
{
  g_autofree char *then_path = NULL;
  g_autofree char *else_path = NULL;
  g_autofree char *conditions_path = NULL;
  gboolean own = FALSE;

  g_return_if_fail (BATON_IS_FLOW_STEP_PAGE (self));

  then_path = g_strdup_printf ("%s.then", self->path);
  else_path = g_strdup_printf ("%s.else", self->path);
  conditions_path = g_strdup_printf ("%s.conditions", self->path);
  /* a member of this step itself, said over the page */
  own = baton_flow_field_within (field, self->path)
        && !baton_flow_field_within (field, then_path)
        && !baton_flow_field_within (field, else_path)
        && !baton_flow_field_within (field, conditions_path);
  g_free (self->error_field);
  self->error_field = g_strdup (field);
  g_free (self->error_message);
  self->error_message = g_strdup (message);
  gtk_label_set_text (self->error_label, own && message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), own && message);
  if (self->then_list)
    baton_flow_step_list_show_error (self->then_list, field, message);
  if (self->else_list)
    baton_flow_step_list_show_error (self->else_list, field, message);
  if (self->conditions_group)
    rebuild_conditions (self);
}

static void
baton_flow_step_page_dispose (GObject *object)
{
  BatonFlowStepPage *self = BATON_FLOW_STEP_PAGE (object);

  g_clear_handle_id (&self->rebuild_source, g_source_remove);

  G_OBJECT_CLASS (baton_flow_step_page_parent_class)->dispose (object);
}

static void
baton_flow_step_page_finalize (GObject *object)
{
  BatonFlowStepPage *self = BATON_FLOW_STEP_PAGE (object);

  g_clear_pointer (&self->condition_rows, g_ptr_array_unref);
  g_clear_pointer (&self->schedules, g_ptr_array_unref);
  g_clear_object (&self->directory);
  g_free (self->path);
  g_free (self->error_field);
  g_free (self->error_message);

  G_OBJECT_CLASS (baton_flow_step_page_parent_class)->finalize (object);
}

static void
baton_flow_step_page_class_init (BatonFlowStepPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = baton_flow_step_page_dispose;
  object_class->finalize = baton_flow_step_page_finalize;

  signals[SIGNAL_EDIT_STEP] = g_signal_new ("edit-step", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_STRING);
}

static void
baton_flow_step_page_init (BatonFlowStepPage *self)
{
  self->condition_rows = g_ptr_array_new ();
  self->expanded = -1;
}

BatonFlowStepPage *
baton_flow_step_page_new (BatonFlowStep  *step,
                          const char     *path,
                          BatonDirectory *directory,
                          GPtrArray      *schedules)
{
  BatonFlowStepPage *self = g_object_new (BATON_TYPE_FLOW_STEP_PAGE, NULL);
  AdwPreferencesGroup *errors = NULL;

  self->step = step;
  self->path = g_strdup (path);
  self->directory = g_object_ref (directory);
  self->schedules = schedules ? g_ptr_array_ref (schedules) : NULL;
  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_label_set_xalign (self->error_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  errors = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_add (errors, GTK_WIDGET (self->error_label));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), errors);
  if (step->type == BATON_FLOW_STEP_CONDITION)
    build_condition (self);
  else if (step->type == BATON_FLOW_STEP_ASSIGN_TEAM)
    build_team (self);
  else
    build_simple (self);
  return self;
}
