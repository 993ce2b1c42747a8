/* baton-assignment-sidebar.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "baton-client.h"

G_BEGIN_DECLS

/* The window's third pane, beside a conversation: who it is assigned to (team, assignees,
 * a picker, "Assign to me", "Unassign") and its contact (details, tags, fields, contact
 * owners), kept current from the client's events. Offers only what the signed-in agent may
 * do (ASSIGNMENT.md §6).
 *
 * Properties: "client" (BatonClient), "conversation-id" (string, NULL = nothing shown),
 * "folded" (bool: the window's leaflet is folded; shows a back button for "window.back"). */

#define BATON_TYPE_ASSIGNMENT_SIDEBAR (baton_assignment_sidebar_get_type ())

G_DECLARE_FINAL_TYPE (BatonAssignmentSidebar, baton_assignment_sidebar, BATON,
                      ASSIGNMENT_SIDEBAR, GtkWidget)

GtkWidget   *baton_assignment_sidebar_new                 (void);
BatonClient *baton_assignment_sidebar_get_client          (BatonAssignmentSidebar *self);
void         baton_assignment_sidebar_set_client          (BatonAssignmentSidebar *self,
                                                           BatonClient            *client);
const char  *baton_assignment_sidebar_get_conversation_id (BatonAssignmentSidebar *self);
void         baton_assignment_sidebar_set_conversation_id (BatonAssignmentSidebar *self,
                                                           const char             *conversation_id);
gboolean     baton_assignment_sidebar_get_folded          (BatonAssignmentSidebar *self);
void         baton_assignment_sidebar_set_folded          (BatonAssignmentSidebar *self,
                                                           gboolean                folded);

G_END_DECLS
