/* baton-flow-tester.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "baton-client.h"

G_BEGIN_DECLS

/* The "test this flow" panel of the flow editor: a sample message and contact, a Run Test
 * button, and what the flow would do with them as rows in the agent's language (the
 * server's dry run: nothing changes). Each run first emits ::prepare, for the editor to give
 * the flow as edited; a refused flow emits ::field-error with the path of the step at fault
 * ("steps[1].then[0].team_id") and the reason, so that the editor can mark it. */

#define BATON_TYPE_FLOW_TESTER (baton_flow_tester_get_type ())

G_DECLARE_FINAL_TYPE (BatonFlowTester, baton_flow_tester, BATON, FLOW_TESTER, GtkBox)

BatonFlowTester *baton_flow_tester_new      (BatonClient     *client);
/* The flow as currently edited: its id when saved (NULL while not). */
void             baton_flow_tester_set_flow (BatonFlowTester *self,
                                             BatonFlow       *flow);
/* The workspace's business hours (BatonSchedule; may be filled later, in place), to name
 * those of a condition. */
void             baton_flow_tester_set_schedules (BatonFlowTester *self,
                                                  GPtrArray       *schedules);
/* Runs the test now, as the button does. */
void             baton_flow_tester_run      (BatonFlowTester *self);

G_END_DECLS
