/* baton-conversation-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "baton-attachment-cache.h"
#include "baton-client.h"

G_BEGIN_DECLS

/* The conversation pane: its header bar (back, contact, Resolve/Reopen, sidebar toggle), the
 * messages (loaded by pages, older ones on scrolling up, kept live from the client's events)
 * and the composer (replies and internal notes).
 *
 * Properties: "client", "conversation-id" (NULL shows "No conversation selected"),
 * "conversation" (BatonConversation, read-only: the current state), "show-sidebar" (the
 * header's toggle), "folded" (shows the back button, which activates window.back),
 * "show-end-title-buttons" (of its header bar), "note-mode" (the composer writes an internal
 * note). Widget actions: conversation.resolve, conversation.reopen, conversation.send,
 * conversation.toggle-note (stateful, follows "note-mode"), conversation.choose-template
 * (WhatsApp: opens the template picker).
 *
 * WhatsApp conversations (window_expires_at set) show the customer's 24-hour window above
 * the composer ("Replies allowed for 3 h 12 min", updated each minute); once it closed (or
 * the server refused a reply with window_closed), replies are locked, notes are not, and
 * "Choose Template" is offered. Opening one marks it read (POST …/read, best effort). */

#define BATON_TYPE_CONVERSATION_VIEW (baton_conversation_view_get_type ())

G_DECLARE_FINAL_TYPE (BatonConversationView, baton_conversation_view, BATON, CONVERSATION_VIEW, AdwBin)

GtkWidget         *baton_conversation_view_new                 (void);
BatonClient       *baton_conversation_view_get_client          (BatonConversationView *self);
void               baton_conversation_view_set_client          (BatonConversationView *self,
                                                                BatonClient           *client);
const char        *baton_conversation_view_get_conversation_id (BatonConversationView *self);
void               baton_conversation_view_set_conversation_id (BatonConversationView *self,
                                                                const char            *id);
/* The conversation as last read from the server or its events, or NULL. */
BatonConversation *baton_conversation_view_get_conversation    (BatonConversationView *self);
gboolean           baton_conversation_view_get_show_sidebar    (BatonConversationView *self);
void               baton_conversation_view_set_show_sidebar    (BatonConversationView *self,
                                                                gboolean               show_sidebar);
gboolean           baton_conversation_view_get_folded          (BatonConversationView *self);
void               baton_conversation_view_set_folded          (BatonConversationView *self,
                                                                gboolean               folded);
/* The messages shown, oldest first: the open conversation's BatonMessageList. */
GListModel        *baton_conversation_view_get_messages        (BatonConversationView *self);
BatonMessage      *baton_conversation_view_lookup_message      (BatonConversationView *self,
                                                                const char            *message_id);
/* Where the rows fetch media (NULL without a client). */
BatonAttachmentCache *baton_conversation_view_get_attachment_cache (BatonConversationView *self);

G_END_DECLS
