/* baton-store-snapshot.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-store.h"

G_BEGIN_DECLS

/* What the engine decides an assignment on, beside the agents, teams, flows and schedules:
 * the round-robin cursors, the channel's defaults, whether the contact is returning. */

/* team id → the member its round robin picked last (strings owned by the table) */
GHashTable *baton_store_snapshot_cursors          (BatonStore   *store,
                                                   GError      **error);
/* the channel's default team and user (either NULL); FALSE without error: no channel */
gboolean    baton_store_snapshot_channel_defaults (BatonStore   *store,
                                                   const char   *channel_id,
                                                   char        **team_id,
                                                   char        **user_id,
                                                   GError      **error);
/* whether the contact has a conversation other than except_id */
gboolean    baton_store_snapshot_is_returning     (BatonStore   *store,
                                                   const char   *contact_id,
                                                   const char   *except_id,
                                                   gboolean     *returning,
                                                   GError      **error);

/* What a team strategy reads of an agent. */
typedef struct {
  char *id;
  char *availability;
  gint64 last_assigned_at;
  int active_count;
} BatonAgentLoadRow;

void       baton_agent_load_row_free    (BatonAgentLoadRow  *row);
/* every agent's (BatonAgentLoadRow) */
GPtrArray *baton_store_snapshot_agents  (BatonStore         *store,
                                         GError            **error);

G_END_DECLS
