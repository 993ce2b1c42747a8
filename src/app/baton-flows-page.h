/* baton-flows-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "baton-client.h"

G_BEGIN_DECLS

/* The managers' Preferences page of routing flows, in routing order: each with its trigger
 * said in words and a switch to enable it; a row dragged onto another (or moved up or down
 * from its menu) takes its place, and the flows whose place changed get their new position;
 * added and edited in a BatonFlowEditor, deleted after a question. Reloaded on flow.*
 * events. */

#define BATON_TYPE_FLOWS_PAGE (baton_flows_page_get_type ())

G_DECLARE_FINAL_TYPE (BatonFlowsPage, baton_flows_page, BATON, FLOWS_PAGE, AdwPreferencesPage)

void baton_flows_page_set_client (BatonFlowsPage *self,
                                  BatonClient    *client);
/* Moves the flow to index in the order (as a drop or the menu does). */
void baton_flows_page_move       (BatonFlowsPage *self,
                                  const char     *flow_id,
                                  guint           index);

G_END_DECLS
