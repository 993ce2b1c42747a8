/* baton-team-editor.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "baton-client.h"

G_BEGIN_DECLS

/* The form of one team (PROTOCOL.md "Team"): name; members in round-robin order (a new one
 * goes last); strategy; default and backup user (default_user only); reassignment after
 * minutes without a reply (round_robin and least_busy only); only online; max active per
 * agent. Saves with POST or PATCH /teams, deletes after a confirmation. A 422 shows the
 * server's message on the row its error.field names; other failures become a toast of the
 * enclosing AdwToastOverlay. Signals: "saved" (BatonTeam *, as the server stored it) and
 * "deleted" (the team's id). */

#define BATON_TYPE_TEAM_EDITOR (baton_team_editor_get_type ())

G_DECLARE_FINAL_TYPE (BatonTeamEditor, baton_team_editor, BATON, TEAM_EDITOR, AdwBin)

GtkWidget  *baton_team_editor_new          (BatonClient     *client);
/* Fills the form with a team, or empties it for a new one (team NULL). */
void        baton_team_editor_set_team     (BatonTeamEditor *self,
                                            BatonTeam       *team);
/* The id of the team in the form, or NULL for a new one. */
const char *baton_team_editor_get_team_id  (BatonTeamEditor *self);
/* Whether the form differs from what set_team loaded. */
gboolean    baton_team_editor_get_modified (BatonTeamEditor *self);
/* Whether a save or a deletion is on its way ("busy" property). */
gboolean    baton_team_editor_get_busy     (BatonTeamEditor *self);
void        baton_team_editor_save         (BatonTeamEditor *self);
/* Asks for confirmation, then deletes the team. */
void        baton_team_editor_delete       (BatonTeamEditor *self);

G_END_DECLS
