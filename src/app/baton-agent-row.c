/* baton-agent-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-agent-row"

#include "config.h"

#include <glib/gi18n.h>

#include "baton-agent-row.h"
#include "baton-widget-util.h"

struct _BatonAgentRow
{
  AdwActionRow parent_instance;

  /* template widgets */
  AdwAvatar *avatar;
  GtkWidget *presence_dot;

  /* state */
  char *agent_name;
};

G_DEFINE_FINAL_TYPE (BatonAgentRow, baton_agent_row, ADW_TYPE_ACTION_ROW)

/* "Online · 2 active": availability and load. */
static char *
status_text (BatonAgent *agent)
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

static void
show_agent (BatonAgentRow *self,
            BatonAgent    *agent)
{
  g_autofree char *status = agent ? status_text (agent) : NULL;

  self->agent_name = g_strdup (agent ? agent->name : NULL);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self),
                                 agent ? agent->name : _("Unknown agent"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), status ? status : "");
  adw_avatar_set_text (self->avatar, agent ? agent->name : NULL);
  if (agent && agent->online)
    gtk_widget_add_css_class (self->presence_dot, "success");
  else if (agent && agent->availability == BATON_AVAILABILITY_AWAY)
    gtk_widget_add_css_class (self->presence_dot, "warning");
  else
    gtk_widget_add_css_class (self->presence_dot, "dim-label");
}

static void
baton_agent_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), BATON_TYPE_AGENT_ROW);

  G_OBJECT_CLASS (baton_agent_row_parent_class)->dispose (object);
}

static void
baton_agent_row_finalize (GObject *object)
{
  g_free (BATON_AGENT_ROW (object)->agent_name);

  G_OBJECT_CLASS (baton_agent_row_parent_class)->finalize (object);
}

static void
baton_agent_row_class_init (BatonAgentRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = baton_agent_row_dispose;
  object_class->finalize = baton_agent_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/baton/Baton/ui/baton-agent-row.ui");
  gtk_widget_class_bind_template_child (widget_class, BatonAgentRow, avatar);
  gtk_widget_class_bind_template_child (widget_class, BatonAgentRow, presence_dot);
}

static void
baton_agent_row_init (BatonAgentRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
baton_agent_row_new (BatonAgent *agent)
{
  BatonAgentRow *self = g_object_new (BATON_TYPE_AGENT_ROW, NULL);

  show_agent (self, agent);
  return GTK_WIDGET (self);
}

void
baton_agent_row_add_remove_button (BatonAgentRow *self,
                                   const char    *action_name,
                                   const char    *agent_id)
{
  g_autofree char *tooltip = NULL;

  g_return_if_fail (BATON_IS_AGENT_ROW (self));

  tooltip = g_strdup_printf (_("Remove %s"), self->agent_name ? self->agent_name : "");
  adw_action_row_add_suffix (ADW_ACTION_ROW (self),
                             baton_remove_button_new (action_name, agent_id, tooltip));
}
