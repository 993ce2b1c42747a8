/* baton-widget-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-widget-util"

#include "config.h"

#include "baton-agent-row.h"
#include "baton-widget-util.h"

void
baton_list_box_remove_all (GtkListBox *list)
{
  GtkListBoxRow *row = NULL;

  while ((row = gtk_list_box_get_row_at_index (list, 0)) != NULL)
    gtk_list_box_remove (list, GTK_WIDGET (row));
}

GtkWidget *
baton_icon_button_new (const char *icon_name,
                       const char *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  /* A tooltip is no name for a screen reader. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  tooltip, -1);
  gtk_widget_add_css_class (button, "flat");
  return button;
}

void
baton_name_adwaita_controls (GtkWidget *root)
{
  const char *tooltip = gtk_widget_get_tooltip_text (root);
  GtkWidget *row = NULL;

  if (GTK_IS_TOGGLE_BUTTON (root) && tooltip)
    gtk_accessible_update_property (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    tooltip, -1);
  row = GTK_IS_SWITCH (root) ? gtk_widget_get_ancestor (root, ADW_TYPE_EXPANDER_ROW) : NULL;
  if (row)
    gtk_accessible_update_property (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                                    -1);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    baton_name_adwaita_controls (child);
}

GtkWidget *
baton_remove_button_new (const char *action_name,
                         const char *target,
                         const char *tooltip)
{
  GtkWidget *button = baton_icon_button_new ("window-close-symbolic", tooltip);

  gtk_widget_add_css_class (button, "circular");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  if (target)
    gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button),
                                            g_variant_new_string (target));
  return button;
}

static int
compare_agent_names (gconstpointer a,
                     gconstpointer b)
{
  const BatonAgent *first = *(BatonAgent * const *) a;
  const BatonAgent *second = *(BatonAgent * const *) b;

  return g_utf8_collate (first->name, second->name);
}

GPtrArray *
baton_agents_by_name (BatonDirectory *directory)
{
  GListModel *agents = directory ? baton_directory_get_agents (directory) : NULL;
  GPtrArray *sorted = g_ptr_array_new ();

  for (guint i = 0; agents && i < g_list_model_get_n_items (agents); i++)
    {
      g_autoptr(BatonDirectoryEntry) entry = g_list_model_get_item (agents, i);

      /* The directory's entries hold their agent as long as the directory lives. */
      g_ptr_array_add (sorted, baton_directory_entry_get_agent (entry));
    }
  g_ptr_array_sort (sorted, compare_agent_names);
  return sorted;
}

void
baton_list_box_offer_agents (GtkListBox         *list,
                             GPtrArray          *agents,
                             const char * const *excluded,
                             const char         *action_name)
{
  baton_list_box_remove_all (list);
  for (guint i = 0; i < agents->len; i++)
    {
      BatonAgent *agent = g_ptr_array_index (agents, i);
      GtkWidget *row = NULL;

      if (excluded && g_strv_contains (excluded, agent->id))
        continue;
      row = baton_agent_row_new (agent);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), action_name);
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (row),
                                              g_variant_new_string (agent->id));
      gtk_list_box_append (list, row);
    }
}
