/* baton-inbox-item.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "baton-conversation.h"

G_BEGIN_DECLS

/* One conversation in a list model: a GObject whose properties follow the conversation as
 * events update it (contact-name, preview, last-at, status, team-id, assignee-ids, version),
 * so list rows bind to them; and the agent's read state: "seen-count" (customer messages
 * seen), "unread-count" (inbound_count less that) and "unread" (any unread). */

#define BATON_TYPE_INBOX_ITEM (baton_inbox_item_get_type ())

G_DECLARE_FINAL_TYPE (BatonInboxItem, baton_inbox_item, BATON, INBOX_ITEM, GObject)

BatonInboxItem    *baton_inbox_item_new              (BatonConversation *conversation);
BatonConversation *baton_inbox_item_get_conversation (BatonInboxItem    *self);
/* Replaces the conversation and notifies the properties that changed. */
void               baton_inbox_item_update           (BatonInboxItem    *self,
                                                      BatonConversation *conversation);
const char        *baton_inbox_item_get_id           (BatonInboxItem    *self);
gint64             baton_inbox_item_get_last_at      (BatonInboxItem    *self);
gboolean           baton_inbox_item_get_unread       (BatonInboxItem    *self);
gint64             baton_inbox_item_get_unread_count (BatonInboxItem    *self);
gint64             baton_inbox_item_get_seen_count   (BatonInboxItem    *self);
/* as the server keeps it (the inbox sets it from GET /me/seen and seen.updated) */
void               baton_inbox_item_set_seen_count   (BatonInboxItem    *self,
                                                      gint64             seen_count);

G_END_DECLS
