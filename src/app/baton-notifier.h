/* baton-notifier.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "baton-client.h"
#include "baton-settings.h"

G_BEGIN_DECLS

/* The desktop notifications of one signed-in account (STYLE.md rule 29): the client's
 * "notification" events become libnotify notifications with the app's icon, one per
 * conversation, replaced in place, with an "Assign to me" button where there is something to
 * take and "Open" as a click on the notification, both calling back into the running app.
 * More than three of one kind together (a backlog at sign-in) become one summary. */

#define BATON_TYPE_NOTIFIER (baton_notifier_get_type ())

G_DECLARE_FINAL_TYPE (BatonNotifier, baton_notifier, BATON, NOTIFIER, GObject)

BatonNotifier *baton_notifier_new                     (GApplication  *app,
                                                       BatonSettings *settings);
/* The account whose events are shown, or NULL (signed out: every notification is closed). */
void           baton_notifier_set_client              (BatonNotifier *self,
                                                       BatonClient   *client);
/* Closes the conversation's notification (it was read) and drops any pending one. */
void           baton_notifier_withdraw                (BatonNotifier *self,
                                                       const char    *conversation_id);
/* The conversation the window shows, or NULL: while the window is active, nothing is shown
 * for it. Setting it withdraws that conversation's notification. */
void           baton_notifier_set_visible_conversation (BatonNotifier *self,
                                                        const char    *conversation_id);

G_END_DECLS
