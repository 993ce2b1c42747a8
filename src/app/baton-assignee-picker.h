/* baton-assignee-picker.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "baton-client.h"

G_BEGIN_DECLS

/* The sidebar's "Assign" popover: a team to choose ("No team" or one of the directory's),
 * then its members not yet assigned (everyone by name when no team is chosen), and a button
 * that hands the conversation to the chosen team or only sets it. Opens on the conversation's
 * own team and rereads the agents' loads each time it opens.
 *
 * The rows activate "sidebar.assign" with the agent's id, the button "sidebar.assign-team"
 * with the team's id: actions of the widget around it, which asks for the chosen team.
 *
 * Properties: "client" (BatonClient: its directory), "conversation" (BatonConversation). */

#define BATON_TYPE_ASSIGNEE_PICKER (baton_assignee_picker_get_type ())

G_DECLARE_FINAL_TYPE (BatonAssigneePicker, baton_assignee_picker, BATON, ASSIGNEE_PICKER,
                      GtkPopover)

GtkWidget         *baton_assignee_picker_new              (void);
void               baton_assignee_picker_set_client       (BatonAssigneePicker *self,
                                                           BatonClient         *client);
void               baton_assignee_picker_set_conversation (BatonAssigneePicker *self,
                                                           BatonConversation   *conversation);
/* The team chosen, or NULL for "No team". */
BatonTeam         *baton_assignee_picker_get_team         (BatonAssigneePicker *self);

G_END_DECLS
