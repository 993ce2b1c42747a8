/* baton-store-borrowed.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-contact.h"
#include "baton-conversation.h"
#include "baton-event.h"
#include "baton-message.h"
#include "baton-store.h"
#include "baton-store-contacts.h"
#include "baton-store-conversations.h"
#include "baton-store-messages.h"

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

/* Events: the workspace's log, in sequence order */

/* the last sequence number written (0 for none); -1 when it failed */
gint64     baton_store_events_last_seq  (BatonStore    *store,
                                         GError       **error);
/* the oldest one kept (0 for none); -1 when it failed */
gint64     baton_store_events_first_seq (BatonStore    *store,
                                         GError       **error);
/* writes event (data as JSON text) and sets its seq */
gboolean   baton_store_events_insert    (BatonStore    *store,
                                         BatonEvent    *event,
                                         const char    *data,
                                         GError       **error);
/* the events after since for everyone or for agent_id, oldest first (BatonEvent) */
GPtrArray *baton_store_events_since     (BatonStore    *store,
                                         gint64         since,
                                         const char    *agent_id,
                                         guint          limit,
                                         GError       **error);
/* deletes the events older than before_at up to up_to_seq */
gboolean   baton_store_events_prune     (BatonStore    *store,
                                         gint64         before_at,
                                         gint64         up_to_seq,
                                         GError       **error);

/* Conversations (contacts, messages and conversations themselves are read through
 * baton-store-contacts.h, -messages.h and -conversations.h) */

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
