/* baton-store-snapshot.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-store.h"

G_BEGIN_DECLS

/* What the engine decides an assignment on beside the directory (agents, teams, flows,
 * schedules, channels, kept in memory): what changes with every assignment, read in one
 * statement. */

/* What a team strategy reads of an agent. */
typedef struct {
  char *id;
  char *availability;
  gint64 last_assigned_at;
  int active_count;
} BatonAgentLoadRow;

typedef struct {
  /* every agent's (BatonAgentLoadRow) */
  GPtrArray *agents;
  /* team id → the member its round robin picked last */
  GHashTable *cursors;
  /* the agents who lapsed on the conversation (no reply in time) */
  GStrv lapsed;
  /* whether the contact has a conversation other than this one */
  gboolean returning;
} BatonRoutingState;

void       baton_agent_load_row_free      (BatonAgentLoadRow  *row);
void       baton_routing_state_clear      (BatonRoutingState  *state);
/* conversation_id and contact_id may be NULL: nobody lapsed, not returning */
gboolean   baton_store_snapshot_routing   (BatonStore         *store,
                                           const char         *conversation_id,
                                           const char         *contact_id,
                                           BatonRoutingState  *state,
                                           GError            **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BatonRoutingState, baton_routing_state_clear)

G_END_DECLS
