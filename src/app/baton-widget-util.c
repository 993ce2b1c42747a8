/* baton-widget-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-widget-util"

#include "config.h"

#include <glib/gi18n.h>

#include "baton-agent-row.h"
#include "baton-search.h"
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
  /* an entry row's title is drawn inside, not said: it is its name */
  if (ADW_IS_ENTRY_ROW (root))
    gtk_accessible_update_property (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)),
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

char *
baton_markup_highlight (const char *text,
                        const char *query)
{
  g_autoptr(GArray) ranges = NULL;
  g_autofree char *rest = NULL;
  GString *markup = g_string_new (NULL);
  gsize done = 0;

  if (text == NULL)
    return g_string_free (markup, FALSE);
  if (query)
    ranges = baton_search_find (query, text, NULL);
  for (guint i = 0; ranges && i < ranges->len; i++)
    {
      BatonSearchRange *range = &g_array_index (ranges, BatonSearchRange, i);
      g_autofree char *before = g_markup_escape_text (text + done, range->start - done);
      g_autofree char *word = g_markup_escape_text (text + range->start,
                                                    range->end - range->start);

      g_string_append_printf (markup, "%s<b>%s</b>", before, word);
      done = range->end;
    }
  rest = g_markup_escape_text (text + done, -1);
  g_string_append (markup, rest);
  return g_string_free (markup, FALSE);
}

/* "14:02" today, "Mon" this week, "12 Nov" before. */
char *
baton_format_when (gint64 ms)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) utc = ms > 0 ? g_date_time_new_from_unix_utc (ms / 1000) : NULL;
  g_autoptr(GDateTime) when = utc ? g_date_time_to_local (utc) : NULL;
  GTimeSpan age;

  if (when == NULL)
    return g_strdup ("");
  age = g_date_time_difference (now, when);
  if (g_date_time_get_day_of_year (now) == g_date_time_get_day_of_year (when)
      && g_date_time_get_year (now) == g_date_time_get_year (when))
    return g_date_time_format (when, "%H:%M");
  if (age < 6 * G_TIME_SPAN_DAY)
    return g_date_time_format (when, "%a");
  return g_date_time_format (when, "%e %b");
}

const char *
baton_status_label (const char *status)
{
  if (g_strcmp0 (status, "new") == 0)
    return _("New");
  if (g_strcmp0 (status, "in_progress") == 0)
    return _("In progress");
  if (g_strcmp0 (status, "resolved") == 0)
    return _("Resolved");
  return "";
}

GtkWidget *
baton_menu_button_new (const char *icon_name,
                       const char *tooltip)
{
  GtkWidget *button = gtk_menu_button_new ();

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), icon_name);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  tooltip, -1);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  return button;
}

GtkWidget *
baton_check_row_new (const char      *title,
                     gboolean         active,
                     GtkCheckButton **check)
{
  GtkWidget *row = adw_action_row_new ();

  *check = GTK_CHECK_BUTTON (gtk_check_button_new ());
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_check_button_set_active (*check, active);
  gtk_accessible_update_property (GTK_ACCESSIBLE (*check), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), GTK_WIDGET (*check));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), GTK_WIDGET (*check));
  return row;
}

void
baton_list_box_set_placeholder_text (GtkListBox *list,
                                     const char *text)
{
  GtkWidget *placeholder = gtk_label_new (text);

  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_list_box_set_placeholder (list, placeholder);
}
