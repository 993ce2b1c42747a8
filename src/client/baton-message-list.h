/* baton-message-list.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-client.h"
#include "baton-message-item.h"

G_BEGIN_DECLS

/* The messages of one conversation as a GListModel of BatonMessageItem, oldest first: the
 * newest page from GET /conversations/{id}/messages, older pages on demand, and kept current
 * by the client's events (message.created appends, message.updated replaces in place; a
 * message is never listed twice, whichever of the stream and an answer brings it first). A
 * resync reads the newest page again.
 *
 * Properties: "client", "conversation-id", "loading", "has-older", "page-size" (50).
 * Signals: "load-failed" (GError *): a page could not be read; the list stays as it was. */

#define BATON_TYPE_MESSAGE_LIST (baton_message_list_get_type ())

G_DECLARE_FINAL_TYPE (BatonMessageList, baton_message_list, BATON, MESSAGE_LIST, GObject)

BatonMessageList *baton_message_list_new            (BatonClient      *client,
                                                     const char       *conversation_id);
const char       *baton_message_list_get_conversation_id (BatonMessageList *self);
void              baton_message_list_set_page_size  (BatonMessageList *self,
                                                     guint             page_size);
/* (Re)reads the newest page, replacing the list. */
void              baton_message_list_reload         (BatonMessageList *self);
/* Reads the page before the oldest message listed, if any. */
void              baton_message_list_load_older     (BatonMessageList *self);
gboolean          baton_message_list_get_loading    (BatonMessageList *self);
gboolean          baton_message_list_get_has_older  (BatonMessageList *self);
BatonMessage     *baton_message_list_lookup         (BatonMessageList *self,
                                                     const char       *message_id);
/* A message of this conversation that an answer brought (a reply sent): added at the end
 * unless listed already, replaced in place otherwise. */
void              baton_message_list_put            (BatonMessageList *self,
                                                     BatonMessage     *message);

G_END_DECLS
