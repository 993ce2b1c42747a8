/* baton-agent-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "baton-agent.h"

G_BEGIN_DECLS

/* A row for an agent: avatar with initials and a presence dot, the name, and the presence
 * with the load ("Online · 2 active"). The sidebar's lists and pickers show agents so. */

#define BATON_TYPE_AGENT_ROW (baton_agent_row_get_type ())

G_DECLARE_FINAL_TYPE (BatonAgentRow, baton_agent_row, BATON, AGENT_ROW, AdwActionRow)

/* agent: NULL for an agent the directory does not know ("Unknown agent"). */
GtkWidget *baton_agent_row_new               (BatonAgent    *agent);
/* A "×" at the end that activates action_name with agent_id ("Remove <name>"). */
void       baton_agent_row_add_remove_button (BatonAgentRow *self,
                                              const char    *action_name,
                                              const char    *agent_id);

G_END_DECLS
