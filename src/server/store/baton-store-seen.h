/* baton-store-seen.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-seen.h"
#include "baton-store.h"

G_BEGIN_DECLS

/* Read state (baton-seen.h): how many of a conversation's customer messages each agent has
 * seen. */

/* The agent has seen the conversation's first seen_count customer messages, unless they had
 * seen more (it never goes back): *changed says whether it moved, *stored what is kept. */
gboolean   baton_store_seen_record             (BatonStore    *store,
                                                const char    *agent_id,
                                                const char    *conversation_id,
                                                gint64         seen_count,
                                                gboolean      *changed,
                                                gint64        *stored,
                                                GError       **error);
/* the agent's read state (BatonSeen), every conversation they have opened */
GPtrArray *baton_store_seen_list               (BatonStore    *store,
                                                const char    *agent_id,
                                                GError       **error);
/* the open and unread conversations for the agent: assigned to them, to nobody, all, and
 * per team */
BatonConversationCounts *baton_store_seen_counts (BatonStore  *store,
                                                const char    *agent_id,
                                                GError       **error);

G_END_DECLS
