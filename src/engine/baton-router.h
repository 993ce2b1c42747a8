/* baton-router.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-flow.h"
#include "baton-strategy.h"

G_BEGIN_DECLS

/* Everything the routing pipeline of ASSIGNMENT.md §2 reads, gathered by the server. */
typedef struct {
  /* "conversation.created" or "conversation.reopened" run the whole pipeline;
   * "message.received" and "contact.tag_added" (with tag) run only the flows */
  const char *event;
  const char *tag;
  const char *channel_id;
  const char *message_text;
  gboolean has_referral;
  gboolean is_returning;
  /* the conversation as it stands (a reopened one keeps its team and maybe assignees) */
  const char *team_id;
  const char * const *assignee_ids;
  const char * const *conversation_tags;
  /* its contact */
  const char * const *owner_ids;
  const char * const *contact_tags;
  GHashTable *contact_fields;
  /* the workspace */
  GPtrArray *flows;
  GHashTable *teams;
  GHashTable *cursors;
  BatonAgentStates *agents;
  GHashTable *schedules;
  const char *default_team_id;
  const char *default_user_id;
  /* members who already let this conversation lapse */
  const char * const *excluded;
  gint64 now_ms;
} BatonRouteInput;

typedef struct {
  char *agent_id;
  char *via;
} BatonAssign;

/* What to change; the server applies it with its events in one transaction. */
typedef struct {
  char *team_id;
  gboolean team_changed;
  /* a flow's unassign: drop the assignees before adding those of assign */
  gboolean unassign;
  /* BatonAssign, in order */
  GPtrArray *assign;
  /* NULL: unchanged */
  GStrv conversation_tags;
  GStrv contact_tags;
  /* string → string to set; NULL: none */
  GHashTable *contact_fields;
  /* bodies of automatic messages to send */
  GPtrArray *messages;
  gboolean close;
  /* the flow that ran, if any */
  char *flow_id;
  /* team id → the member now last picked */
  GHashTable *cursors;
  /* a team strategy found nobody: the conversation waits in the team's queue */
  gboolean queued;
  /* when the picked member must have replied by (0: no timer) */
  gint64 reassign_due_at;
  /* the rule behind the final assignment, for the activity line */
  char *via;
} BatonDecision;

BatonDecision *baton_route              (const BatonRouteInput *input);
/* A conversation handed to team_id, whoever hands it (a manual handover, a no-reply timeout, a
 * queue drain, an agent's removal; routing does it inside baton_route ()): the team's strategy
 * picks an eligible member of input->teams' team, skipping input->excluded, with the cursor
 * from input->cursors, or the decision is queued. Only team_id, teams, cursors, agents,
 * excluded and now_ms of input are read. The cursor rules are those of routing. */
BatonDecision *baton_route_to_team      (const BatonRouteInput *input,
                                         const char            *team_id);
void           baton_decision_free      (BatonDecision         *decision);
GStrv          baton_decision_assignees (const BatonDecision   *decision,
                                         const char * const    *before);
char          *baton_team_pick          (BatonTeam             *team,
                                         const char            *cursor,
                                         BatonAgentStates      *agents,
                                         const char * const    *excluded,
                                         gint64                 now_ms,
                                         const char           **via,
                                         gint64                *reassign_due_at);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonDecision, baton_decision_free)

G_END_DECLS
