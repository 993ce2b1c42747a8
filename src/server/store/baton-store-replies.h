/* baton-store-replies.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-canned-reply.h"
#include "baton-store.h"

G_BEGIN_DECLS

/* Canned replies (BatonCannedReply): the workspace's (owner_id NULL) and each agent's own. */

/* NULL without an error: no such reply */
BatonCannedReply *baton_store_replies_get            (BatonStore              *store,
                                                      const char              *id,
                                                      GError                 **error);
/* the workspace's and agent_id's own, by shortcut */
GPtrArray        *baton_store_replies_list           (BatonStore              *store,
                                                      const char              *agent_id,
                                                      GError                 **error);
gboolean          baton_store_replies_insert         (BatonStore              *store,
                                                      const BatonCannedReply  *reply,
                                                      GError                 **error);
/* shortcut, title, body and updated_at */
gboolean          baton_store_replies_update         (BatonStore              *store,
                                                      const BatonCannedReply  *reply,
                                                      GError                 **error);
gboolean          baton_store_replies_delete         (BatonStore              *store,
                                                      const char              *id,
                                                      GError                 **error);
/* Whether another reply than except_id (NULL: none) has the shortcut where one agent would
 * see both: for a personal reply (owner_id set), the workspace's and that agent's; for a
 * workspace reply, any. */
gboolean          baton_store_replies_shortcut_taken (BatonStore              *store,
                                                      const char              *shortcut,
                                                      const char              *owner_id,
                                                      const char              *except_id,
                                                      gboolean                *taken,
                                                      GError                 **error);

G_END_DECLS
