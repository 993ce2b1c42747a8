/* baton-reply-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "baton-conversation.h"

G_BEGIN_DECLS

/* A WhatsApp customer's 24-hour window, above the composer: "Replies allowed for 3 h 12 min"
 * (updated each minute), and once it closed a warning with "Choose Template" (which
 * activates conversation.choose-template of the widget around it). Shows nothing for a
 * conversation without a window (window_expires_at unset).
 *
 * Properties: "conversation" (BatonConversation), "closed" (read-only: replies are not allowed
 * now; notified when the clock or the conversation closes or opens the window). */

#define BATON_TYPE_REPLY_WINDOW (baton_reply_window_get_type ())

G_DECLARE_FINAL_TYPE (BatonReplyWindow, baton_reply_window, BATON, REPLY_WINDOW, AdwBin)

GtkWidget *baton_reply_window_new              (void);
void       baton_reply_window_set_conversation (BatonReplyWindow  *self,
                                                BatonConversation *conversation);
/* The conversation has a window: it is a WhatsApp one. */
gboolean   baton_reply_window_get_applies      (BatonReplyWindow  *self);
gboolean   baton_reply_window_get_closed       (BatonReplyWindow  *self);
/* The server refused a reply for a closed window (a race with the clock): closed until the
 * conversation's window_expires_at moves past what it is now, or another conversation
 * is set. */
void       baton_reply_window_refuse           (BatonReplyWindow  *self);

G_END_DECLS
