/* baton-thread-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "baton-attachment-cache.h"
#include "baton-client.h"
#include "baton-message-list.h"

G_BEGIN_DECLS

/* A conversation's messages, oldest first, as the conversation pane shows them: read by
 * pages from the newest one, older pages when the agent scrolls up to the top, kept live by
 * the client's events; a day separator above each day's first message, quotes of the
 * messages replied to, and the view follows new messages while it is at the bottom.
 *
 * Action: thread.retry (s: a client_id) sends an unsent reply again. */

#define BATON_TYPE_THREAD_VIEW (baton_thread_view_get_type ())

G_DECLARE_FINAL_TYPE (BatonThreadView, baton_thread_view, BATON, THREAD_VIEW, AdwBin)

GtkWidget            *baton_thread_view_new                  (void);
void                  baton_thread_view_set_client           (BatonThreadView *self,
                                                              BatonClient     *client);
/* NULL shows nothing. */
void                  baton_thread_view_set_conversation_id  (BatonThreadView *self,
                                                              const char      *conversation_id);
/* The open conversation's messages (NULL when none is open): a new list for each
 * conversation and client. What is sent through it shows at once. */
BatonMessageList     *baton_thread_view_get_thread           (BatonThreadView *self);
/* The messages shown, oldest first (BatonMessageItem). */
GListModel           *baton_thread_view_get_messages         (BatonThreadView *self);
BatonMessage         *baton_thread_view_lookup_message       (BatonThreadView *self,
                                                              const char      *message_id);
/* Where the rows fetch media (NULL without a client). */
BatonAttachmentCache *baton_thread_view_get_attachment_cache (BatonThreadView *self);
/* A message an answer brought (a reply, a template): added once, whichever of the answer and
 * the stream comes first, and shown at the bottom. */
void                  baton_thread_view_add_message          (BatonThreadView *self,
                                                              BatonMessage    *message);

G_END_DECLS
