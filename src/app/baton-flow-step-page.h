/* baton-flow-step-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "baton-client.h"
#include "baton-directory.h"

G_BEGIN_DECLS

/* The page that edits one step of a flow in place, by its type: a team (its strategy shown)
 * and the tags it adds or puts instead, an agent, a reply, the contact's tags; a condition's
 * match all/any, its conditions (a row each: what it checks, how, and a value suited to it)
 * and its then and else steps, as nested step lists whose "edit-step" the page passes on. */

#define BATON_TYPE_FLOW_STEP_PAGE (baton_flow_step_page_get_type ())

G_DECLARE_FINAL_TYPE (BatonFlowStepPage, baton_flow_step_page, BATON, FLOW_STEP_PAGE,
                      AdwPreferencesPage)

BatonFlowStepPage *baton_flow_step_page_new        (BatonFlowStep     *step,
                                                    const char        *path,
                                                    BatonDirectory    *directory,
                                                    GPtrArray         *schedules);
/* Says the nested lists again, after a deeper page changed their steps. */
void               baton_flow_step_page_refresh    (BatonFlowStepPage *self);
/* The row field names (a condition, a nested step, a member of the step) shows message. */
void               baton_flow_step_page_show_error (BatonFlowStepPage *self,
                                                    const char        *field,
                                                    const char        *message);

G_END_DECLS
