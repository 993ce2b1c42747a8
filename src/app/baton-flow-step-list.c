/* baton-flow-step-list.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-flow-step-list"

#include "config.h"

#include <glib/gi18n.h>

#include "baton-flow-step-list.h"
#include "baton-flow-summary.h"
#include "baton-widget-util.h"

struct _BatonFlowStepList
{
  GtkBox parent_instance;

  GtkListBox *list;

  /* borrowed: the owner's array, edited in place */
  GPtrArray *steps;
  char *path;
  BatonDirectory *directory;
  GPtrArray *schedules;
  char *error_field;
  char *error_message;
};

G_DEFINE_FINAL_TYPE (BatonFlowStepList, baton_flow_step_list, GTK_TYPE_BOX)

enum {
  SIGNAL_EDIT_STEP,
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

gboolean
baton_flow_field_within (const char *field,
                         const char *path)
{
  return field && g_str_has_prefix (field, path)
         && (field[strlen (path)] == '\0' || field[strlen (path)] == '.'
             || field[strlen (path)] == '[');
}

static char *
step_path (BatonFlowStepList *self,
           guint              index)
{
  return g_strdup_printf ("%s[%u]", self->path, index);
}

static char *
count_steps (GPtrArray *steps)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u step", "%u steps", steps->len),
                          steps->len);
}

/* "Then 1 step · Otherwise 0 steps" under a condition. */
static char *
describe_branches (BatonFlowStep *step)
{
  g_autofree char *then_count = count_steps (step->then_steps);
  g_autofree char *else_count = count_steps (step->else_steps);

  /* Translators: under a condition step: "Then 1 step · Otherwise 0 steps" */
  return g_strdup_printf (_("Then %s · Otherwise %s"), then_count, else_count);
}

static GtkWidget *
create_menu_button (guint index)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  GtkWidget *button = baton_menu_button_new ("view-more-symbolic", _("Step Menu"));
  g_autofree char *up = g_strdup_printf ("steps.up(%u)", index);
  g_autofree char *down = g_strdup_printf ("steps.down(%u)", index);
  g_autofree char *remove = g_strdup_printf ("steps.remove(%u)", index);

  g_menu_append (menu, _("Move _Up"), up);
  g_menu_append (menu, _("Move _Down"), down);
  g_menu_append (menu, _("_Remove"), remove);
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
  return button;
}

static GtkWidget *
create_row (BatonFlowStepList *self,
            guint              index)
{
  BatonFlowStep *step = self->steps->pdata[index];
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *summary = baton_flow_describe_step (step, self->directory, self->schedules);
  g_autofree char *path = step_path (self, index);
  g_autofree char *subtitle = step->type == BATON_FLOW_STEP_CONDITION ? describe_branches (step)
                                                                       : NULL;
  gboolean editable = step->type != BATON_FLOW_STEP_CLOSE
                      && step->type != BATON_FLOW_STEP_UNASSIGN
                      && step->type != BATON_FLOW_STEP_UNKNOWN;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), summary);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 3);
  if (baton_flow_field_within (self->error_field, path))
    {
      gtk_widget_add_css_class (row, "error");
      g_clear_pointer (&subtitle, g_free);
      subtitle = g_strdup (self->error_message);
    }
  if (subtitle)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (editable)
    {
      GtkWidget *edit = baton_icon_button_new ("go-next-symbolic", _("Edit Step"));

      gtk_actionable_set_action_name (GTK_ACTIONABLE (edit), "steps.edit");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (edit), "i", (gint32) index);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), edit);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), edit);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), create_menu_button (index));
  gtk_widget_set_name (row, path);
  return row;
}

void
baton_flow_step_list_refresh (BatonFlowStepList *self)
{
  g_return_if_fail (BATON_IS_FLOW_STEP_LIST (self));

  baton_list_box_remove_all (self->list);
  for (guint i = 0; i < self->steps->len; i++)
    gtk_list_box_append (self->list, create_row (self, i));
}

void
baton_flow_step_list_show_error (BatonFlowStepList *self,
                                 const char        *field,
                                 const char        *message)
{
  g_return_if_fail (BATON_IS_FLOW_STEP_LIST (self));

  g_free (self->error_field);
  self->error_field = g_strdup (field);
  g_free (self->error_message);
  self->error_message = g_strdup (message);
  baton_flow_step_list_refresh (self);
}

static void
changed (BatonFlowStepList *self)
{
  baton_flow_step_list_refresh (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
edit_index (BatonFlowStepList *self,
            guint              index)
{
  g_autofree char *path = NULL;

  if (index >= self->steps->len)
    return;
  path = step_path (self, index);
  g_signal_emit (self, signals[SIGNAL_EDIT_STEP], 0, self->steps->pdata[index], path);
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  BatonFlowStepList *self = BATON_FLOW_STEP_LIST (widget);
  const char *type = g_variant_get_string (parameter, NULL);

  for (BatonFlowStepType t = 0; t < BATON_FLOW_STEP_UNKNOWN; t++)
    if (g_str_equal (type, baton_flow_step_type_to_string (t)))
      {
        g_ptr_array_add (self->steps, baton_flow_step_new (t));
        changed (self);
        /* a step with something to choose opens at once */
        if (t != BATON_FLOW_STEP_CLOSE && t != BATON_FLOW_STEP_UNASSIGN)
          edit_index (self, self->steps->len - 1);
        return;
      }
}

static void
index_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  BatonFlowStepList *self = BATON_FLOW_STEP_LIST (widget);
  gint32 index = g_variant_get_int32 (parameter);
  gint32 other = g_str_equal (action_name, "steps.up") ? index - 1 : index + 1;

  if (index < 0 || (guint) index >= self->steps->len)
    return;
  if (g_str_equal (action_name, "steps.edit"))
    {
      edit_index (self, index);
      return;
    }
  if (g_str_equal (action_name, "steps.remove"))
    g_ptr_array_remove_index (self->steps, index);
  else if (other >= 0 && (guint) other < self->steps->len)
    {
      gpointer step = self->steps->pdata[index];

      self->steps->pdata[index] = self->steps->pdata[other];
      self->steps->pdata[other] = step;
    }
  else
    return;
  /* the paths of the rows changed: an error shown on them no longer fits */
  g_clear_pointer (&self->error_field, g_free);
  changed (self);
}

static GtkWidget *
create_add_button (void)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *content = adw_button_content_new ();

  for (BatonFlowStepType t = 0; t < BATON_FLOW_STEP_UNKNOWN; t++)
    {
      g_autofree char *action = g_strdup_printf ("steps.add::%s",
                                                 baton_flow_step_type_to_string (t));

      g_menu_append (menu, baton_flow_step_type_label (t), action);
    }
  adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content), "list-add-symbolic");
  adw_button_content_set_label (ADW_BUTTON_CONTENT (content), _("Add _Step"));
  adw_button_content_set_use_underline (ADW_BUTTON_CONTENT (content), TRUE);
  gtk_menu_button_set_child (GTK_MENU_BUTTON (button), content);
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Add Step"), -1);
  gtk_widget_set_halign (button, GTK_ALIGN_START);
  return button;
}

static void
baton_flow_step_list_finalize (GObject *object)
{
  BatonFlowStepList *self = BATON_FLOW_STEP_LIST (object);

  g_clear_pointer (&self->steps, g_ptr_array_unref);
  g_clear_pointer (&self->schedules, g_ptr_array_unref);
  g_clear_object (&self->directory);
  g_free (self->path);
  g_free (self->error_field);
  g_free (self->error_message);

  G_OBJECT_CLASS (baton_flow_step_list_parent_class)->finalize (object);
}

static void
baton_flow_step_list_class_init (BatonFlowStepListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = baton_flow_step_list_finalize;

  signals[SIGNAL_EDIT_STEP] = g_signal_new ("edit-step", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_STRING);
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "steps.add", "s", add_action);
  gtk_widget_class_install_action (widget_class, "steps.edit", "i", index_action);
  gtk_widget_class_install_action (widget_class, "steps.up", "i", index_action);
  gtk_widget_class_install_action (widget_class, "steps.down", "i", index_action);
  gtk_widget_class_install_action (widget_class, "steps.remove", "i", index_action);
}

static void
baton_flow_step_list_init (BatonFlowStepList *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 12);
  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  baton_list_box_set_placeholder_text (self->list, _("No steps yet"));
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->list));
  gtk_box_append (GTK_BOX (self), create_add_button ());
}

BatonFlowStepList *
baton_flow_step_list_new (GPtrArray      *steps,
                          const char     *path,
                          BatonDirectory *directory,
                          GPtrArray      *schedules)
{
  BatonFlowStepList *self = g_object_new (BATON_TYPE_FLOW_STEP_LIST, NULL);

  self->steps = g_ptr_array_ref (steps);
  self->path = g_strdup (path);
  self->directory = directory ? g_object_ref (directory) : NULL;
  self->schedules = schedules ? g_ptr_array_ref (schedules) : NULL;
  baton_flow_step_list_refresh (self);
  return self;
}
