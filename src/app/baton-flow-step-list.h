/* baton-flow-step-list.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "baton-client.h"
#include "baton-directory.h"

G_BEGIN_DECLS

/* A list of flow steps edited in place (a flow's steps, or a condition's then or else):
 * a row per step with its summary, a menu to move it up or down or remove it, and an Add
 * Step menu of the step types. Activating a row emits "edit-step" (the step, its path such
 * as "steps[0].then[1]"); the owner shows the step's page. Actions on the list: steps.add
 * (s: the step type), steps.edit, steps.up, steps.down, steps.remove (i: the index). */

#define BATON_TYPE_FLOW_STEP_LIST (baton_flow_step_list_get_type ())

G_DECLARE_FINAL_TYPE (BatonFlowStepList, baton_flow_step_list, BATON, FLOW_STEP_LIST, GtkBox)

BatonFlowStepList *baton_flow_step_list_new        (GPtrArray         *steps,
                                                    const char        *path,
                                                    BatonDirectory    *directory,
                                                    GPtrArray         *schedules);
/* Says the rows again, after their steps changed elsewhere. */
void               baton_flow_step_list_refresh    (BatonFlowStepList *self);
/* The row of the step field names (or a step inside it) shows message; NULL clears. */
void               baton_flow_step_list_show_error (BatonFlowStepList *self,
                                                    const char        *field,
                                                    const char        *message);
/* Whether a field ("steps[0].then[1].team_id") is about what path names or is inside it
 * ("steps[0]", "steps[0].then"). */
gboolean           baton_flow_field_within         (const char        *field,
                                                    const char        *path);

G_END_DECLS
