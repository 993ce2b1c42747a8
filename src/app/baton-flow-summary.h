/* baton-flow-summary.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-client.h"
#include "baton-directory.h"

G_BEGIN_DECLS

/* A flow's parts said in plain words for the rows that show them ("Assign to Sales (least
 * busy) and tag vip", "If contact tags include vip"): names come from the directory and
 * the schedules (BatonSchedule, may be NULL); an id nobody knows is shown as it is. */

const char *baton_strategy_label            (BatonStrategy        strategy);
const char *baton_flow_step_type_label      (BatonFlowStepType    type);
char       *baton_flow_describe_trigger     (BatonFlow           *flow,
                                             BatonDirectory      *directory);
char       *baton_flow_describe_condition   (BatonFlowCondition  *condition,
                                             BatonDirectory      *directory,
                                             GPtrArray           *schedules);
char       *baton_flow_describe_step        (BatonFlowStep       *step,
                                             BatonDirectory      *directory,
                                             GPtrArray           *schedules);

G_END_DECLS
