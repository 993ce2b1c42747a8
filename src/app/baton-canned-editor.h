/* baton-canned-editor.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "baton-client.h"

G_BEGIN_DECLS

/* A dialog that writes one canned reply (shortcut, title, text) through the client: a new
 * one of the workspace's or the agent's own, or an existing one. It closes once the server
 * saved it; what the server refused is said in the agent's language, the field marked. */

#define BATON_TYPE_CANNED_EDITOR (baton_canned_editor_get_type ())

G_DECLARE_FINAL_TYPE (BatonCannedEditor, baton_canned_editor, BATON, CANNED_EDITOR, AdwWindow)

/* reply: the one to edit, or NULL for a new one, the workspace's when workspace is set and
 * else the signed-in agent's own. */
BatonCannedEditor *baton_canned_editor_new (BatonClient      *client,
                                            BatonCannedReply *reply,
                                            gboolean          workspace);
/* What a refusal of a canned reply says to the agent (no internal names). */
char              *baton_canned_editor_describe_error (const GError *error);

G_END_DECLS
