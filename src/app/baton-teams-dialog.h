/* baton-teams-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "baton-client.h"

G_BEGIN_DECLS

/* The managers' teams window: the list of teams (name, strategy, member count), kept live
 * from the team.* events, with "New Team"; a team opens in a BatonTeamEditor. */

#define BATON_TYPE_TEAMS_DIALOG (baton_teams_dialog_get_type ())

G_DECLARE_FINAL_TYPE (BatonTeamsDialog, baton_teams_dialog, BATON, TEAMS_DIALOG, AdwWindow)

/* A modal window, transient for parent. */
BatonTeamsDialog *baton_teams_dialog_new (GtkWindow   *parent,
                                          BatonClient *client);

G_END_DECLS
