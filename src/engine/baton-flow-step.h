/* baton-flow-step.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-flow.h"

G_BEGIN_DECLS

/* A flow's steps and conditions as typed values (PROTOCOL.md "Flow"), for editing them
 * without JSON: read from a flow with baton_flow_dup_steps, written back whole with
 * baton_flow_set_steps. */

typedef enum {
  BATON_FLOW_STEP_CONDITION,
  BATON_FLOW_STEP_ASSIGN_TEAM,
  BATON_FLOW_STEP_ASSIGN_USER,
  BATON_FLOW_STEP_UNASSIGN,
  BATON_FLOW_STEP_CLOSE,
  BATON_FLOW_STEP_SEND_MESSAGE,
  BATON_FLOW_STEP_UPDATE_CONTACT,
  /* a type this build does not know, kept as it came */
  BATON_FLOW_STEP_UNKNOWN,
} BatonFlowStepType;

/* What a condition's value holds. */
typedef enum {
  BATON_FLOW_VALUE_NONE,
  BATON_FLOW_VALUE_TEXT,
  BATON_FLOW_VALUE_FLAG,
  BATON_FLOW_VALUE_LIST,
} BatonFlowValueKind;

/* {field, op, value}: field is "message.text", "contact.tags", "contact.fields.<key>",
 * "contact.is_returning", "channel.id", "conversation.referral" or "time". */
typedef struct {
  char *field;
  char *op;
  BatonFlowValueKind value_kind;
  char *text;
  gboolean flag;
  GStrv list;
} BatonFlowCondition;

typedef struct _BatonFlowStep BatonFlowStep;

struct _BatonFlowStep {
  BatonFlowStepType type;

  /* condition: BatonFlowCondition, then and else BatonFlowStep */
  gboolean match_any;
  GPtrArray *conditions;
  GPtrArray *then_steps;
  GPtrArray *else_steps;

  /* assign_team; add_tags FALSE: the tags replace the ones there */
  char *team_id;
  GStrv conversation_tags;
  GStrv contact_tags;
  gboolean add_tags;

  /* assign_user */
  char *user_id;

  /* send_message */
  char *body;

  /* update_contact: set_fields as keys and their values, in order */
  GStrv contact_add_tags;
  GStrv contact_remove_tags;
  GStrv field_keys;
  GStrv field_values;

  /* unknown: the step as it came */
  JsonNode *raw;
};

BatonFlowCondition *baton_flow_condition_new   (const char         *field,
                                                const char         *op);
BatonFlowCondition *baton_flow_condition_copy  (const BatonFlowCondition *condition);
void                baton_flow_condition_free  (BatonFlowCondition *condition);
void                baton_flow_condition_set_text (BatonFlowCondition *condition,
                                                   const char         *text);
void                baton_flow_condition_set_flag (BatonFlowCondition *condition,
                                                   gboolean            flag);
void                baton_flow_condition_set_list (BatonFlowCondition *condition,
                                                   const char * const *list);
void                baton_flow_condition_clear_value (BatonFlowCondition *condition);
BatonFlowCondition *baton_flow_condition_from_json (JsonNode       *node);

BatonFlowStep      *baton_flow_step_new        (BatonFlowStepType   type);
BatonFlowStep      *baton_flow_step_copy       (const BatonFlowStep *step);
void                baton_flow_step_free       (BatonFlowStep      *step);
const char         *baton_flow_step_type_to_string (BatonFlowStepType type);

/* A new array of BatonFlowStep, owning them. */
GPtrArray          *baton_flow_steps_new       (void);
/* The wire array of steps; from_json reads leniently (as the server gave them). */
JsonNode           *baton_flow_steps_to_json   (GPtrArray          *steps);
GPtrArray          *baton_flow_steps_from_json (JsonNode           *node);

GPtrArray          *baton_flow_dup_steps       (BatonFlow          *flow);
void                baton_flow_set_steps       (BatonFlow          *flow,
                                                GPtrArray          *steps);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonFlowCondition, baton_flow_condition_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonFlowStep, baton_flow_step_free)

G_END_DECLS
