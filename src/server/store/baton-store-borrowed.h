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

G_END_DECLS
