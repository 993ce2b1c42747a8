/* baton-flow-tester.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-flow-tester"

#include "config.h"

#include <glib/gi18n.h>

#include "baton-describe.h"
#include "baton-directory-entry.h"
#include "baton-flow-summary.h"
#include "baton-flow-tester.h"
#include "baton-widget-util.h"

struct _BatonFlowTester
{
  GtkBox parent_instance;

  /* template widgets */
  AdwEntryRow *text_row;
  AdwComboRow *channel_row;
  AdwEntryRow *tags_row;
  GtkSwitch *returning_switch;
  GtkSwitch *referral_switch;
  AdwEntryRow *when_row;
  AdwComboRow *event_row;
  GtkButton *run_button;
  AdwPreferencesGroup *result_group;
  GtkListBox *results;

  /* owned refs */
  BatonClient *client;
  BatonFlow *flow;
  GCancellable *cancellable;
  GtkStringList *channel_names;
  /* the channel ids in the order of channel_names; NULL first: no channel */
  GPtrArray *channel_ids;
  /* BatonSchedule, to name the business hours of a condition (may be NULL) */
  GPtrArray *schedules;
};

G_DEFINE_FINAL_TYPE (BatonFlowTester, baton_flow_tester, GTK_TYPE_BOX)

enum {
  PREPARE,
  FIELD_ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* In the order of the event drop-down. */
static const char *events[] = {
  "conversation.created", "conversation.reopened", "message.received", "contact.tag_added"
};

static void
add_row (BatonFlowTester *self,
         const char      *icon_name,
         const char      *title,
         const char      *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle && *subtitle)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name (icon_name));
  gtk_list_box_append (self->results, row);
}

/* "Condition not met: contact tags include vip → else branch", and each condition's result
 * when there are several. */
static void
show_condition (BatonFlowTester *self,
                BatonTrialStep  *step)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) results = g_string_new (NULL);
  g_autofree char *joined = NULL;
  g_autofree char *title = NULL;

  for (guint i = 0; step->conditions && i < step->conditions->len; i++)
    {
      BatonTrialCondition *condition = step->conditions->pdata[i];
      char *text = baton_flow_describe_condition (condition->condition,
                                                  baton_client_get_directory (self->client),
                                                  self->schedules);

      g_ptr_array_add (parts, text);
      if (results->len > 0)
        g_string_append (results, " · ");
      /* ✓ held, ✗ did not */
      g_string_append_printf (results, "%s %s", condition->held ? "✓" : "✗", text);
    }
  g_ptr_array_add (parts, NULL);
  joined = g_strjoinv (step->match_any ? _(" or ") : _(" and "), (char **) parts->pdata);
  if (step->held)
    title = g_strdup_printf (_("Condition met: %s → then branch"), joined);
  else
    title = g_strdup_printf (_("Condition not met: %s → else branch"), joined);
  add_row (self, step->held ? "emblem-ok-symbolic" : "window-close-symbolic", title,
           step->conditions && step->conditions->len > 1 ? results->str : NULL);
}

static char *
describe_tags (BatonTrialStep *step)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const char *format = step->add_tags ? _("Adds tags %s") : _("Replaces tags with %s");

  if (step->conversation_tags && step->conversation_tags[0])
    {
      g_autofree char *tags = g_strjoinv (", ", step->conversation_tags);

      g_string_append_printf (text, format, tags);
    }
  if (step->contact_tags && step->contact_tags[0])
    {
      g_autofree char *tags = g_strjoinv (", ", step->contact_tags);
      g_autofree char *line = g_strdup_printf (step->add_tags ? _("Adds contact tags %s")
                                                              : _("Replaces contact tags with %s"),
                                               tags);

      if (text->len > 0)
        g_string_append (text, " · ");
      g_string_append (text, line);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
show_assign_team (BatonFlowTester *self,
                  BatonTrialStep  *step)
{
  g_autofree char *title = NULL;
  g_autofree char *tags = describe_tags (step);
  const char *strategy = baton_strategy_label (step->strategy);

  if (step->team_name == NULL)
    title = g_strdup (_("Would assign to a team that no longer exists"));
  else if (step->agent_name == NULL)
    title = g_strdup_printf (_("Would queue in %s (%s): nobody is available now"),
                             step->team_name, strategy);
  else
    title = g_strdup_printf (_("Would assign to %s in %s (%s)"), step->agent_name,
                             step->team_name, strategy);
  add_row (self, "system-users-symbolic", title, tags);
}

static void
show_assign_user (BatonFlowTester *self,
                  BatonTrialStep  *step)
{
  g_autofree char *title = NULL;

  if (step->agent_name == NULL)
    {
      add_row (self, "dialog-warning-symbolic",
               _("Would assign to an agent who is no longer in the workspace"), NULL);
      return;
    }
  title = g_strdup_printf (_("Would assign to %s"), step->agent_name);
  add_row (self, "avatar-default-symbolic", title,
           step->eligible ? _("Online now") : _("Offline now"));
}

static void
show_update_contact (BatonFlowTester *self,
                     BatonTrialStep  *step)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *subtitle = NULL;

  if (step->contact_add_tags && step->contact_add_tags[0])
    {
      g_autofree char *tags = g_strjoinv (", ", step->contact_add_tags);

      g_ptr_array_add (parts, g_strdup_printf (_("Adds tags %s"), tags));
    }
  if (step->contact_remove_tags && step->contact_remove_tags[0])
    {
      g_autofree char *tags = g_strjoinv (", ", step->contact_remove_tags);

      g_ptr_array_add (parts, g_strdup_printf (_("Removes tags %s"), tags));
    }
  for (guint i = 0; step->contact_set_fields && step->contact_set_fields[i]
                    && step->contact_set_fields[i + 1]; i += 2)
    g_ptr_array_add (parts, g_strdup_printf (_("Sets %s to “%s”"), step->contact_set_fields[i],
                                             step->contact_set_fields[i + 1]));
  g_ptr_array_add (parts, NULL);
  subtitle = g_strjoinv (" · ", (char **) parts->pdata);
  add_row (self, "contact-new-symbolic", _("Would update the contact"), subtitle);
}

static void
show_step (BatonFlowTester *self,
           BatonTrialStep  *step)
{
  const char *type = step->type ? step->type : "";
  g_autofree char *title = NULL;

  if (step->conditions)
    show_condition (self, step);
  else if (g_str_equal (type, "assign_team"))
    show_assign_team (self, step);
  else if (g_str_equal (type, "assign_user"))
    show_assign_user (self, step);
  else if (g_str_equal (type, "update_contact"))
    show_update_contact (self, step);
  else if (g_str_equal (type, "send_message"))
    {
      title = g_strdup_printf (_("Would reply: %s"), step->body ? step->body : "");
      add_row (self, "mail-send-symbolic", title, NULL);
    }
  else if (g_str_equal (type, "close"))
    add_row (self, "object-select-symbolic", _("Would close the conversation"), NULL);
  else if (g_str_equal (type, "unassign"))
    add_row (self, "edit-clear-symbolic", _("Would unassign everyone"), NULL);
}

static void
show_trial (BatonFlowTester *self,
            BatonFlowTrial  *trial)
{
  baton_list_box_remove_all (self->results);
  if (trial->matched && trial->enabled)
    add_row (self, "emblem-ok-symbolic", _("Trigger matched: the flow would run"), NULL);
  else if (trial->matched)
    add_row (self, "dialog-information-symbolic",
             _("Trigger matched, but the flow is off: it would not run"), NULL);
  else
    add_row (self, "window-close-symbolic", _("Trigger not matched: the flow would not run"),
             _("These steps are what it would do if it ran."));
  for (guint i = 0; i < trial->steps->len; i++)
    show_step (self, trial->steps->pdata[i]);
  if (trial->steps->len == 0)
    add_row (self, "dialog-information-symbolic", _("The flow has no steps"), NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->result_group), TRUE);
}

static void
show_error (BatonFlowTester *self,
            const char      *message)
{
  baton_list_box_remove_all (self->results);
  add_row (self, "dialog-warning-symbolic", message, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->result_group), TRUE);
}

static void
tested_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BatonFlowTester) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonFlowTrial) trial = baton_client_test_flow_finish (BATON_CLIENT (source), result,
                                                                   &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->run_button), TRUE);
  if (trial == NULL)
    {
      const char *field = baton_client_error_get_field (error);

      show_error (self, baton_describe_error (error));
      if (field)
        g_signal_emit (self, signals[FIELD_ERROR], 0, field, baton_describe_error (error));
      return;
    }
  show_trial (self, trial);
}

/* The date and time typed, local, in ms; 0 for now (empty); FALSE when it does not read. */
static gboolean
read_when (BatonFlowTester *self,
           gint64          *at)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->when_row)));
  g_autoptr(GDateTime) when = NULL;
  int year, month, day, hour, minute;
  char end;

  *at = 0;
  g_strstrip (text);
  if (*text == '\0')
    return TRUE;
  if (sscanf (text, "%d-%d-%d %d:%d%c", &year, &month, &day, &hour, &minute, &end) != 5)
    return FALSE;
  when = g_date_time_new_local (year, month, day, hour, minute, 0);
  if (when == NULL)
    return FALSE;
  *at = g_date_time_to_unix (when) * 1000;
  return TRUE;
}

/* "vip, new customer" → { "vip", "new customer" } */
static GStrv
read_tags (BatonFlowTester *self)
{
  g_auto(GStrv) parts = g_strsplit (gtk_editable_get_text (GTK_EDITABLE (self->tags_row)), ",",
                                    -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; parts[i]; i++)
    if (*g_strstrip (parts[i]) != '\0')
      g_strv_builder_add (builder, parts[i]);
  return g_strv_builder_end (builder);
}

void
baton_flow_tester_run (BatonFlowTester *self)
{
  g_auto(GStrv) tags = NULL;
  guint channel = adw_combo_row_get_selected (self->channel_row);
  guint event = adw_combo_row_get_selected (self->event_row);
  BatonFlowTrialSample sample = { 0 };

  g_return_if_fail (BATON_IS_FLOW_TESTER (self));

  g_signal_emit (self, signals[PREPARE], 0);
  if (self->flow == NULL)
    return;
  if (!read_when (self, &sample.at))
    {
      show_error (self, _("Enter the date and time as YYYY-MM-DD HH:MM, or leave it empty"
                          " for now."));
      return;
    }
  tags = read_tags (self);
  sample.text = gtk_editable_get_text (GTK_EDITABLE (self->text_row));
  sample.channel_id = channel < self->channel_ids->len ? self->channel_ids->pdata[channel] : NULL;
  sample.contact_tags = (const char * const *) tags;
  sample.is_returning = gtk_switch_get_active (self->returning_switch);
  sample.referral = gtk_switch_get_active (self->referral_switch);
  sample.event = event < G_N_ELEMENTS (events) ? events[event] : NULL;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  gtk_widget_set_sensitive (GTK_WIDGET (self->run_button), FALSE);
  baton_client_test_flow_async (self->client, self->flow, &sample, self->cancellable, tested_cb,
                                g_object_ref (self));
}

static void
run_clicked_cb (BatonFlowTester *self)
{
  baton_flow_tester_run (self);
}

/* "No channel", then the workspace's channels; the choice kept by id. */
static void
channels_changed_cb (GListModel      *channels,
                     guint            position,
                     guint            removed,
                     guint            added,
                     BatonFlowTester *self)
{
  guint selected = adw_combo_row_get_selected (self->channel_row);
  g_autofree char *kept = selected < self->channel_ids->len
                          ? g_strdup (self->channel_ids->pdata[selected]) : NULL;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  g_ptr_array_set_size (self->channel_ids, 0);
  g_ptr_array_add (self->channel_ids, NULL);
  gtk_string_list_append (names, _("No channel"));
  selected = 0;
  for (guint i = 0; i < g_list_model_get_n_items (channels); i++)
    {
      g_autoptr(BatonDirectoryEntry) entry = g_list_model_get_item (channels, i);

      g_ptr_array_add (self->channel_ids, g_strdup (baton_directory_entry_get_id (entry)));
      gtk_string_list_append (names, baton_directory_entry_get_name (entry));
      if (g_strcmp0 (kept, baton_directory_entry_get_id (entry)) == 0)
        selected = i + 1;
    }
  g_set_object (&self->channel_names, names);
  adw_combo_row_set_model (self->channel_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->channel_row, selected);
}

/* The flow's own trigger event is the one tried first. */
void
baton_flow_tester_set_flow (BatonFlowTester *self,
                            BatonFlow       *flow)
{
  gboolean new_trigger = FALSE;

  g_return_if_fail (BATON_IS_FLOW_TESTER (self));

  /* the event chosen stays while the flow's own trigger does (a flow is given anew before
   * each run) */
  new_trigger = flow && (self->flow == NULL
                         || g_strcmp0 (self->flow->trigger_on, flow->trigger_on) != 0);
  if (flow)
    baton_flow_ref (flow);
  g_clear_pointer (&self->flow, baton_flow_unref);
  self->flow = flow;
  for (guint i = 0; new_trigger && i < G_N_ELEMENTS (events); i++)
    if (g_strcmp0 (flow->trigger_on, events[i]) == 0)
      adw_combo_row_set_selected (self->event_row, i);
  gtk_widget_set_sensitive (GTK_WIDGET (self->run_button), flow != NULL);
}

void
baton_flow_tester_set_schedules (BatonFlowTester *self,
                                 GPtrArray       *schedules)
{
  g_return_if_fail (BATON_IS_FLOW_TESTER (self));

  if (schedules)
    g_ptr_array_ref (schedules);
  g_clear_pointer (&self->schedules, g_ptr_array_unref);
  self->schedules = schedules;
}

BatonFlowTester *
baton_flow_tester_new (BatonClient *client)
{
  BatonFlowTester *self = NULL;
  GListModel *channels = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *when = g_date_time_format (now, "%Y-%m-%d %H:%M");

  g_return_val_if_fail (BATON_IS_CLIENT (client), NULL);

  self = g_object_new (BATON_TYPE_FLOW_TESTER, NULL);
  self->client = g_object_ref (client);
  channels = baton_directory_get_channels (baton_client_get_directory (client));
  g_signal_connect_object (channels, "items-changed", G_CALLBACK (channels_changed_cb), self, 0);
  channels_changed_cb (channels, 0, 0, 0, self);
  gtk_editable_set_text (GTK_EDITABLE (self->when_row), when);
  return self;
}

static void
baton_flow_tester_dispose (GObject *object)
{
  BatonFlowTester *self = BATON_FLOW_TESTER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->channel_names);
  g_clear_pointer (&self->flow, baton_flow_unref);
  g_clear_pointer (&self->schedules, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), BATON_TYPE_FLOW_TESTER);

  G_OBJECT_CLASS (baton_flow_tester_parent_class)->dispose (object);
}

static void
baton_flow_tester_finalize (GObject *object)
{
  BatonFlowTester *self = BATON_FLOW_TESTER (object);

  g_ptr_array_unref (self->channel_ids);

  G_OBJECT_CLASS (baton_flow_tester_parent_class)->finalize (object);
}

static void
baton_flow_tester_class_init (BatonFlowTesterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = baton_flow_tester_dispose;
  object_class->finalize = baton_flow_tester_finalize;

  /* Before each run: the flow's editor gives the flow as it now stands
   * (baton_flow_tester_set_flow). */
  signals[PREPARE] = g_signal_new ("prepare", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The server refused the flow: path names the step and member at fault, message says why
   * in the agent's language. */
  signals[FIELD_ERROR] = g_signal_new ("field-error", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                       G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/baton/Baton/ui/baton-flow-tester.ui");
  gtk_widget_class_bind_template_child (widget_class, BatonFlowTester, text_row);
  gtk_widget_class_bind_template_child (widget_class, BatonFlowTester, channel_row);
  gtk_widget_class_bind_template_child (widget_class, BatonFlowTester, tags_row);
  gtk_widget_class_bind_template_child (widget_class, BatonFlowTester, returning_switch);
  gtk_widget_class_bind_template_child (widget_class, BatonFlowTester, referral_switch);
  gtk_widget_class_bind_template_child (widget_class, BatonFlowTester, when_row);
  gtk_widget_class_bind_template_child (widget_class, BatonFlowTester, event_row);
  gtk_widget_class_bind_template_child (widget_class, BatonFlowTester, run_button);
  gtk_widget_class_bind_template_child (widget_class, BatonFlowTester, result_group);
  gtk_widget_class_bind_template_child (widget_class, BatonFlowTester, results);
  gtk_widget_class_bind_template_callback (widget_class, run_clicked_cb);
}

static void
baton_flow_tester_init (BatonFlowTester *self)
{
  self->channel_ids = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  baton_name_adwaita_controls (GTK_WIDGET (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->run_button), FALSE);
}
