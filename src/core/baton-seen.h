/* baton-seen.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Read state (API.md, "Read state"): how many of a conversation's customer messages an agent
 * has seen; unread is the conversation's inbound_count less that. */
typedef struct {
  char *conversation_id;
  gint64 seen_count;
} BatonSeen;

BatonSeen *baton_seen_new       (const char *conversation_id,
                                 gint64      seen_count);
void       baton_seen_free      (BatonSeen  *seen);
/* {conversation_id, seen_count} */
JsonNode  *baton_seen_to_json   (BatonSeen  *seen);
/* NULL when node is not an object with a conversation_id */
BatonSeen *baton_seen_from_json (JsonNode   *node);

#define BATON_TYPE_CONVERSATION_COUNTS (baton_conversation_counts_get_type ())

/* open conversations, and those of them with customer messages the agent has not seen */
typedef struct {
  gint64 open;
  gint64 unread;
} BatonOpenCount;

typedef struct {
  char *team_id;
  BatonOpenCount count;
} BatonTeamCount;

/* GET /conversations/counts: for one agent, in each filter of the inbox */
typedef struct {
  BatonOpenCount mine;
  BatonOpenCount unassigned;
  BatonOpenCount all;
  /* BatonTeamCount, every team */
  GPtrArray *teams;
} BatonConversationCounts;

GType                    baton_conversation_counts_get_type  (void) G_GNUC_CONST;
BatonConversationCounts *baton_conversation_counts_new       (void);
BatonConversationCounts *baton_conversation_counts_ref       (BatonConversationCounts *counts);
void                     baton_conversation_counts_unref     (BatonConversationCounts *counts);
/* a team's count, added (zero) when not there yet */
BatonOpenCount          *baton_conversation_counts_add_team  (BatonConversationCounts *counts,
                                                              const char              *team_id);
/* a team's count, or NULL: no such team */
const BatonOpenCount    *baton_conversation_counts_get_team  (BatonConversationCounts *counts,
                                                              const char              *team_id);
JsonNode                *baton_conversation_counts_to_json   (BatonConversationCounts *counts);
/* NULL when node is not an object */
BatonConversationCounts *baton_conversation_counts_from_json (JsonNode                *node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonSeen, baton_seen_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonConversationCounts, baton_conversation_counts_unref)

G_END_DECLS
