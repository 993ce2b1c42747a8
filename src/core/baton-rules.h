/* baton-rules.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-agent.h"
#include "baton-conversation.h"

G_BEGIN_DECLS

/* Rules the server enforces and the app shows before asking, written once. */

/* PROTOCOL.md §3 PUT /conversations/{id}/assignment: any agent may assign a conversation
 * that has no assignee; only an assignee of it or a manager may reassign or unassign it. */
gboolean baton_rules_may_reassign (const BatonAgent        *agent,
                                   const BatonConversation *conversation);

G_END_DECLS
