/* baton-describe.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "baton-conversation.h"
#include "baton-directory.h"
#include "baton-message.h"
#include "baton-notification.h"

G_BEGIN_DECLS

/* The sentences the app writes in the agent's language from the server's structured fields
 * (PROTOCOL.md §5); the server's English text is only the fallback. */

/* "Ana", "Ana and Ben", "Ana, Ben and Carl" */
char *baton_describe_list         (const char * const  *names);
/* An activity line: "Assigned to Ana by Ben", from message->activity; the server's body when
 * the line lacks what the sentence needs (a line written before the server sent names). */
char *baton_describe_activity     (BatonMessage        *message);
/* A notification's title and body. */
void  baton_describe_notification (BatonNotification   *notification,
                                   char               **title,
                                   char               **body);
/* After a lost race to take a conversation: "Ana already took it", from who holds it now;
 * NULL when nobody does. */
char *baton_describe_taken        (BatonDirectory      *directory,
                                   BatonConversation   *conversation);
/* What a person reads about a failure: from the error's code, precise name and field, never
 * the server's English or an internal field name. Static text, or the error's own message
 * for errors from elsewhere than the server (a file that cannot be read). */
const char *baton_describe_error  (const GError        *error);

/* Reports */

/* An assignment's via in a legend: "round robin", "manual", "first reply"; an unknown one
 * as it is. */
const char *baton_describe_via    (const char          *via);
/* A duration in whole seconds, rounded down to its two largest units: "45 s", "4 min",
 * "2 h 10 min", "3 d 2 h"; "—" when negative (none). */
char       *baton_describe_duration (gint64             seconds);

G_END_DECLS
