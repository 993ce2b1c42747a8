/* baton-seen-tracker.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "baton-conversation-view.h"
#include "baton-inbox.h"

G_BEGIN_DECLS

/* Marks the conversation on screen seen (POST …/seen with its newest message) while it is
 * on screen in the active window: the window active, the conversation pane shown (not
 * folded away behind the list). A new message arriving then is seen at once; another
 * conversation, an inactive window or the list alone mark nothing. */

#define BATON_TYPE_SEEN_TRACKER (baton_seen_tracker_get_type ())

G_DECLARE_FINAL_TYPE (BatonSeenTracker, baton_seen_tracker, BATON, SEEN_TRACKER, GObject)

BatonSeenTracker *baton_seen_tracker_new       (GtkWindow             *window,
                                                AdwLeaflet            *leaflet,
                                                BatonConversationView *view);
/* the inbox whose items say what is already seen (NULL: none, every newest message is
 * sent once) */
void              baton_seen_tracker_set_inbox (BatonSeenTracker      *self,
                                                BatonInbox            *inbox);

G_END_DECLS
