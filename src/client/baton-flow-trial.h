/* baton-flow-trial.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "baton-enums.h"
#include "baton-flow-step.h"

G_BEGIN_DECLS

#define BATON_TYPE_FLOW_TRIAL (baton_flow_trial_get_type ())

/* What a flow's dry run reads (POST /flows/test "sample"); strings belong to the caller.
 * NULL members are left to the server's defaults. */
typedef struct {
  const char *text;
  const char *channel_id;
  const char *contact_id;
  /* NULL: the contact's tags; an empty vector: none */
  const char * const *contact_tags;
  /* -1: the contact's (whether it has a conversation), else 0 or 1 */
  int is_returning;
  gboolean referral;
  /* 0: now */
  gint64 at;
  /* NULL: the flow's trigger */
  const char *event;
} BatonFlowTrialSample;

/* One condition of a condition step as written, with its result. */
typedef struct {
  char *path;
  BatonFlowCondition *condition;
  gboolean held;
} BatonTrialCondition;

/* A step the dry run visited; the members of its type are set, the others empty. */
typedef struct {
  /* "steps[1].then[0]", as validation errors name it */
  char *path;
  char *type;
  /* condition: BatonTrialCondition; held: then ran, else else */
  gboolean match_any;
  GPtrArray *conditions;
  gboolean held;
  /* assign_team: the team (NULL name: gone) and its pick; nobody picked: queued */
  char *team_id;
  char *team_name;
  BatonStrategy strategy;
  gboolean queued;
  gboolean add_tags;
  GStrv conversation_tags;
  GStrv contact_tags;
  /* assign_team's pick and assign_user's agent (NULL: none, or not in the workspace) */
  char *agent_id;
  char *agent_name;
  gboolean agent_online;
  int agent_load;
  /* assign_user: whether the agent is online now */
  gboolean eligible;
  /* send_message */
  char *body;
  /* update_contact: added and removed contact tags, fields set (key, value, key, value…) */
  GStrv contact_add_tags;
  GStrv contact_remove_tags;
  GStrv contact_set_fields;
} BatonTrialStep;

/* The answer of a dry run (API.md "Testing a flow"). */
typedef struct {
  char *flow_id;
  gint64 at;
  char *event;
  gboolean enabled;
  /* whether the flow's trigger listens to the sample's event, channel and tag */
  gboolean matched;
  /* BatonTrialStep, in the order visited */
  GPtrArray *steps;
} BatonFlowTrial;

GType           baton_flow_trial_get_type  (void) G_GNUC_CONST;
BatonFlowTrial *baton_flow_trial_ref       (BatonFlowTrial *trial);
void            baton_flow_trial_unref     (BatonFlowTrial *trial);
BatonFlowTrial *baton_flow_trial_from_json (JsonNode       *node);
JsonNode       *baton_flow_trial_sample_to_json (const BatonFlowTrialSample *sample);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonFlowTrial, baton_flow_trial_unref)

G_END_DECLS
