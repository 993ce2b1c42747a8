/* baton-strategy.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-team.h"

G_BEGIN_DECLS

/* What the engine knows of an agent when it picks (ASSIGNMENT.md §1, §3). */
typedef struct {
  /* effective online: availability online and a live stream (or one within 60 s) */
  gboolean online;
  /* active conversations listing the agent, across the workspace */
  int load;
  /* the last time the agent was added as assignee, by any means; 0 = never */
  gint64 last_assigned_at;
} BatonAgentState;

/* agent id → BatonAgentState; an agent missing from it does not exist. */
typedef GHashTable BatonAgentStates;

gboolean  baton_strategy_is_eligible (const BatonTeam        *team,
                                      const char             *agent_id,
                                      BatonAgentStates       *states,
                                      const char * const     *excluded);
char     *baton_strategy_pick        (const BatonTeam        *team,
                                      const char             *cursor,
                                      BatonAgentStates       *states,
                                      const char * const     *excluded,
                                      const char            **via);

G_END_DECLS
