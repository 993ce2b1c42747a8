/* baton-flow-editor.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "baton-client.h"

G_BEGIN_DECLS

/* A window to create (flow NULL) or edit a routing flow: its name, whether it is enabled, its
 * trigger (the event, the channels, the tag of contact.tag_added) and its steps, each step's
 * page pushed over the flow's and back. Saves through the client; a 422 marks the row its
 * field names (a step, a condition, a member) and keeps everything as edited. */

#define BATON_TYPE_FLOW_EDITOR (baton_flow_editor_get_type ())

G_DECLARE_FINAL_TYPE (BatonFlowEditor, baton_flow_editor, BATON, FLOW_EDITOR, AdwWindow)

BatonFlowEditor *baton_flow_editor_new       (BatonClient     *client,
                                              BatonFlow       *flow);
/* The flow as the form has it now, unsaved (for the "Test this flow" panel). */
BatonFlow       *baton_flow_editor_get_draft (BatonFlowEditor *self);

G_END_DECLS
