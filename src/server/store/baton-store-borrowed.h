/* baton-store-borrowed.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-store.h"

G_BEGIN_DECLS

/* Questions the workspace's core asks of the conversations, messages, contacts, events and
 * of the routing snapshot, kept together until they join those aggregates' own files. */

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

/* Conversations */

/* the team's conversations lose it (and their place in its queue); their ids */
GStrv      baton_store_conversations_detach_team     (BatonStore   *store,
                                                      const char   *team_id,
                                                      GError      **error);
/* the no-reply timers of the team's conversations are off */
gboolean   baton_store_conversations_cancel_reassign (BatonStore   *store,
                                                      const char   *team_id,
                                                      GError      **error);
/* how many conversations came on the channel; -1 when it failed */
gint64     baton_store_conversations_count_channel   (BatonStore   *store,
                                                      const char   *channel_id,
                                                      GError      **error);

G_END_DECLS
