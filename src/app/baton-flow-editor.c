/* baton-flow-editor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-flow-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "baton-describe.h"
#include "baton-flow-editor.h"
#include "baton-flow-step-list.h"
#include "baton-flow-step-page.h"
#include "baton-flow-tester.h"
#include "baton-widget-util.h"

/* In the order of the trigger row's items. */
static const char *triggers[] = {
  "conversation.created", "conversation.reopened", "message.received", "contact.tag_added"
};

struct _BatonFlowEditor
{
  AdwWindow parent_instance;

  /* template widgets */
  GtkWidget *back_button;
  GtkWidget *save_button;
  GtkStack *stack;
  GtkLabel *error_label;
  AdwEntryRow *name_row;
  GtkSwitch *enabled_switch;
  AdwComboRow *trigger_row;
  AdwEntryRow *tag_row;
  AdwExpanderRow *channels_row;
  AdwPreferencesGroup *steps_group;

  /* owned refs */
  BatonClient *client;
  BatonFlow *flow;
  GPtrArray *steps;
  /* BatonSchedule, filled in place once loaded: the step lists and pages share it */
  GPtrArray *schedules;
  GCancellable *cancellable;
  /* the channels' check buttons, each with its channel id */
  GPtrArray *channel_checks;
  /* the step pages over the flow's, deepest last */
  GPtrArray *pages;
  char *error_field;
  char *error_message;

  BatonFlowStepList *step_list;
  /* the "Test this flow" page, made when first opened */
  GtkWidget *tester_page;
};

G_DEFINE_FINAL_TYPE (BatonFlowEditor, baton_flow_editor, ADW_TYPE_WINDOW)

static void edit_step_cb (BatonFlowEditor *self,
                          BatonFlowStep   *step,
                          const char      *path);

static void
trigger_changed_cb (BatonFlowEditor *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->tag_row),
                          adw_combo_row_get_selected (self->trigger_row) == 3);
}

static void
push_page (BatonFlowEditor *self,
           BatonFlowStep   *step,
           const char      *path)
{
  BatonFlowStepPage *page = baton_flow_step_page_new (step, path,
                                                      baton_client_get_directory (self->client),
                                                      self->schedules);

  g_signal_connect_object (page, "edit-step", G_CALLBACK (edit_step_cb), self,
                           G_CONNECT_SWAPPED);
  if (self->error_field)
    baton_flow_step_page_show_error (page, self->error_field, self->error_message);
  g_ptr_array_add (self->pages, page);
  gtk_stack_add_child (self->stack, GTK_WIDGET (page));
  gtk_stack_set_visible_child (self->stack, GTK_WIDGET (page));
  gtk_widget_set_visible (self->back_button, TRUE);
  baton_name_adwaita_controls (GTK_WIDGET (page));
}

static void
edit_step_cb (BatonFlowEditor *self,
              BatonFlowStep   *step,
              const char      *path)
{
  push_page (self, step, path);
}

/* Back to the page under the top one, which says its steps again. */
static void
pop_page (BatonFlowEditor *self)
{
  GtkWidget *top = NULL;

  /* the tester opens from the flow's own page, and stays for the next test */
  if (self->tester_page && gtk_stack_get_visible_child (self->stack) == self->tester_page)
    {
      baton_flow_step_list_refresh (self->step_list);
      gtk_stack_set_visible_child_name (self->stack, "main");
      gtk_widget_set_visible (self->back_button, FALSE);
      return;
    }
  if (self->pages->len == 0)
    return;
  top = g_ptr_array_steal_index (self->pages, self->pages->len - 1);
  if (self->pages->len > 0)
    {
      baton_flow_step_page_refresh (self->pages->pdata[self->pages->len - 1]);
      gtk_stack_set_visible_child (self->stack, self->pages->pdata[self->pages->len - 1]);
    }
  else
    {
      baton_flow_step_list_refresh (self->step_list);
      gtk_stack_set_visible_child_name (self->stack, "main");
    }
  gtk_stack_remove (self->stack, top);
  gtk_widget_set_visible (self->back_button, self->pages->len > 0);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  pop_page (BATON_FLOW_EDITOR (widget));
}

static GStrv
checked_channels (BatonFlowEditor *self)
{
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();

  for (guint i = 0; i < self->channel_checks->len; i++)
    if (gtk_check_button_get_active (self->channel_checks->pdata[i]))
      g_strv_builder_add (ids, g_object_get_data (self->channel_checks->pdata[i],
                                                  "baton-channel"));
  return g_strv_builder_end (ids);
}

BatonFlow *
baton_flow_editor_get_draft (BatonFlowEditor *self)
{
  BatonFlow *draft = NULL;
  guint trigger = 0;
  const char *tag = NULL;

  g_return_val_if_fail (BATON_IS_FLOW_EDITOR (self), NULL);

  draft = baton_flow_new ();
  trigger = MIN (adw_combo_row_get_selected (self->trigger_row), G_N_ELEMENTS (triggers) - 1);
  tag = gtk_editable_get_text (GTK_EDITABLE (self->tag_row));
  draft->id = g_strdup (self->flow->id);
  draft->position = self->flow->position;
  draft->name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  draft->enabled = gtk_switch_get_active (self->enabled_switch);
  draft->trigger_on = g_strdup (triggers[trigger]);
  draft->channel_ids = checked_channels (self);
  /* none checked: every channel */
  if (draft->channel_ids[0] == NULL)
    g_clear_pointer (&draft->channel_ids, g_strfreev);
  if (trigger == 3 && *tag != '\0')
    draft->trigger_tag = g_strstrip (g_strdup (tag));
  baton_flow_set_steps (draft, self->steps);
  return draft;
}

/* The row of a member outside the steps, which the flow's page shows. */
static GtkWidget *
row_of_field (BatonFlowEditor *self,
              const char      *field)
{
  if (g_strcmp0 (field, "name") == 0)
    return GTK_WIDGET (self->name_row);
  if (g_strcmp0 (field, "trigger.tag") == 0)
    return GTK_WIDGET (self->tag_row);
  if (field && g_str_has_prefix (field, "trigger.channel_ids"))
    return GTK_WIDGET (self->channels_row);
  if (field && g_str_has_prefix (field, "trigger"))
    return GTK_WIDGET (self->trigger_row);
  return NULL;
}

/* Marks what field names, on the flow's page and on each step page shown later; the message
 * also says it at the top when the field is outside the steps. NULL clears. */
static void
show_error (BatonFlowEditor *self,
            const char      *field,
            const char      *message)
{
  GtkWidget *rows[] = { GTK_WIDGET (self->name_row), GTK_WIDGET (self->tag_row),
                        GTK_WIDGET (self->channels_row), GTK_WIDGET (self->trigger_row) };
  GtkWidget *row = row_of_field (self, field);
  gboolean in_steps = baton_flow_field_within (field, "steps");

  g_free (self->error_field);
  self->error_field = g_strdup (field);
  g_free (self->error_message);
  self->error_message = g_strdup (message);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    gtk_widget_remove_css_class (rows[i], "error");
  if (row)
    gtk_widget_add_css_class (row, "error");
  gtk_label_set_text (self->error_label, message && !in_steps ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message && !in_steps);
  baton_flow_step_list_show_error (self->step_list, in_steps ? field : NULL, message);
  for (guint i = 0; i < self->pages->len; i++)
    baton_flow_step_page_show_error (self->pages->pdata[i], field, message);
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  BatonFlowEditor *self = user_data;
  g_autoptr(BatonFlow) saved = NULL;
  g_autoptr(GError) error = NULL;

  if (self->flow->id)
    saved = baton_client_update_flow_finish (BATON_CLIENT (source), result, &error);
  else
    saved = baton_client_create_flow_finish (BATON_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_set_sensitive (self->save_button, TRUE);
  if (saved == NULL)
    {
      show_error (self, baton_client_error_get_field (error), baton_describe_error (error));
      return;
    }
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BatonFlowEditor *self = BATON_FLOW_EDITOR (widget);
  g_autoptr(BatonFlow) draft = baton_flow_editor_get_draft (self);

  show_error (self, NULL, NULL);
  gtk_widget_set_sensitive (self->save_button, FALSE);
  if (draft->id)
    baton_client_update_flow_async (self->client, draft, BATON_FLOW_MEMBERS_EDITED,
                                    self->cancellable, saved_cb, self);
  else
    baton_client_create_flow_async (self->client, draft, self->cancellable, saved_cb, self);
}

/* The tester runs the flow as the form has it now. */
static void
tester_prepare_cb (BatonFlowTester *tester,
                   BatonFlowEditor *self)
{
  g_autoptr(BatonFlow) draft = baton_flow_editor_get_draft (self);

  /* with its id, the server would test the flow as saved, not the edits */
  g_clear_pointer (&draft->id, g_free);
  baton_flow_tester_set_flow (tester, draft);
}

/* A test the server refused marks the step at fault, as a refused save does. */
static void
tester_field_error_cb (BatonFlowTester *tester,
                       const char      *field,
                       const char      *message,
                       BatonFlowEditor *self)
{
  show_error (self, field, message);
}

static void
open_tester_cb (BatonFlowEditor *self)
{
  if (self->tester_page == NULL)
    {
      BatonFlowTester *tester = baton_flow_tester_new (self->client);

      baton_flow_tester_set_schedules (tester, self->schedules);
      g_signal_connect_object (tester, "prepare", G_CALLBACK (tester_prepare_cb), self, 0);
      g_signal_connect_object (tester, "field-error", G_CALLBACK (tester_field_error_cb), self,
                               0);
      self->tester_page = gtk_scrolled_window_new ();
      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->tester_page), GTK_POLICY_NEVER,
                                      GTK_POLICY_AUTOMATIC);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->tester_page),
                                     GTK_WIDGET (tester));
      gtk_stack_add_named (self->stack, self->tester_page, "tester");
      baton_name_adwaita_controls (self->tester_page);
    }
  gtk_stack_set_visible_child (self->stack, self->tester_page);
  gtk_widget_set_visible (self->back_button, TRUE);
}

static void
schedules_loaded_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GPtrArray) schedules = NULL;
  g_autoptr(GError) error = NULL;
  BatonFlowEditor *self = NULL;

  schedules = baton_client_list_schedules_finish (BATON_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || schedules == NULL)
    return;
  self = user_data;
  for (guint i = 0; i < schedules->len; i++)
    g_ptr_array_add (self->schedules, baton_schedule_ref (schedules->pdata[i]));
  baton_flow_step_list_refresh (self->step_list);
  for (guint i = 0; i < self->pages->len; i++)
    baton_flow_step_page_refresh (self->pages->pdata[i]);
}

static void
baton_flow_editor_dispose (GObject *object)
{
  BatonFlowEditor *self = BATON_FLOW_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), BATON_TYPE_FLOW_EDITOR);
  g_clear_object (&self->client);
  g_clear_pointer (&self->flow, baton_flow_unref);
  g_clear_pointer (&self->pages, g_ptr_array_unref);
  g_clear_pointer (&self->steps, g_ptr_array_unref);
  g_clear_pointer (&self->schedules, g_ptr_array_unref);
  g_clear_pointer (&self->channel_checks, g_ptr_array_unref);

  G_OBJECT_CLASS (baton_flow_editor_parent_class)->dispose (object);
}

static void
baton_flow_editor_finalize (GObject *object)
{
  BatonFlowEditor *self = BATON_FLOW_EDITOR (object);

  g_free (self->error_field);
  g_free (self->error_message);

  G_OBJECT_CLASS (baton_flow_editor_parent_class)->finalize (object);
}

static void
baton_flow_editor_class_init (BatonFlowEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = baton_flow_editor_dispose;
  object_class->finalize = baton_flow_editor_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/baton/Baton/ui/baton-flow-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, BatonFlowEditor, back_button);
  gtk_widget_class_bind_template_child (widget_class, BatonFlowEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, BatonFlowEditor, stack);
  gtk_widget_class_bind_template_child (widget_class, BatonFlowEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, BatonFlowEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, BatonFlowEditor, enabled_switch);
  gtk_widget_class_bind_template_child (widget_class, BatonFlowEditor, trigger_row);
  gtk_widget_class_bind_template_child (widget_class, BatonFlowEditor, tag_row);
  gtk_widget_class_bind_template_child (widget_class, BatonFlowEditor, channels_row);
  gtk_widget_class_bind_template_child (widget_class, BatonFlowEditor, steps_group);
  gtk_widget_class_bind_template_callback (widget_class, trigger_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_tester_cb);

  gtk_widget_class_install_action (widget_class, "flow.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "flow.back", NULL, back_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
baton_flow_editor_init (BatonFlowEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->schedules = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_schedule_unref);
  self->channel_checks = g_ptr_array_new ();
  self->pages = g_ptr_array_new ();
  gtk_stack_page_set_name (gtk_stack_get_page (self->stack,
                                               gtk_stack_get_visible_child (self->stack)),
                           "main");
  baton_name_adwaita_controls (GTK_WIDGET (self));
}

static void
add_channels (BatonFlowEditor *self,
              BatonDirectory  *directory)
{
  GListModel *channels = baton_directory_get_channels (directory);

  for (guint i = 0; i < g_list_model_get_n_items (channels); i++)
    {
      g_autoptr(BatonDirectoryEntry) entry = g_list_model_get_item (channels, i);
      const char *id = baton_directory_entry_get_id (entry);
      GtkCheckButton *check = NULL;
      GtkWidget *row = baton_check_row_new (baton_directory_entry_get_name (entry),
                                            self->flow->channel_ids
                                            && g_strv_contains ((const char * const *)
                                                                self->flow->channel_ids, id),
                                            &check);

      g_object_set_data_full (G_OBJECT (check), "baton-channel", g_strdup (id), g_free);
      g_ptr_array_add (self->channel_checks, check);
      adw_expander_row_add_row (self->channels_row, row);
    }
}

static void
fill_form (BatonFlowEditor *self)
{
  BatonFlow *flow = self->flow;

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), flow->name ? flow->name : "");
  gtk_switch_set_active (self->enabled_switch, flow->enabled);
  for (guint i = 0; i < G_N_ELEMENTS (triggers); i++)
    if (g_strcmp0 (flow->trigger_on, triggers[i]) == 0)
      adw_combo_row_set_selected (self->trigger_row, i);
  gtk_editable_set_text (GTK_EDITABLE (self->tag_row), flow->trigger_tag ? flow->trigger_tag
                                                                          : "");
  trigger_changed_cb (self);
}

BatonFlowEditor *
baton_flow_editor_new (BatonClient *client,
                       BatonFlow   *flow)
{
  BatonFlowEditor *self = NULL;
  BatonDirectory *directory = NULL;

  g_return_val_if_fail (BATON_IS_CLIENT (client), NULL);

  self = g_object_new (BATON_TYPE_FLOW_EDITOR, NULL);
  self->client = g_object_ref (client);
  self->flow = flow ? baton_flow_ref (flow) : baton_flow_new ();
  self->steps = baton_flow_dup_steps (self->flow);
  directory = baton_client_get_directory (client);
  gtk_window_set_title (GTK_WINDOW (self), flow ? _("Edit Flow") : _("New Flow"));
  fill_form (self);
  add_channels (self, directory);
  self->step_list = baton_flow_step_list_new (self->steps, "steps", directory, self->schedules);
  g_signal_connect_object (self->step_list, "edit-step", G_CALLBACK (edit_step_cb), self,
                           G_CONNECT_SWAPPED);
  adw_preferences_group_add (self->steps_group, GTK_WIDGET (self->step_list));
  baton_client_list_schedules_async (client, self->cancellable, schedules_loaded_cb, self);
  return self;
}
