/* baton-composer.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "baton-client.h"
#include "baton-message-list.h"

G_BEGIN_DECLS

/* Where the agent writes a reply or an internal note to a conversation, and sends it: Enter
 * sends, Shift+Enter is a new line; what was typed and not sent is kept per conversation for
 * when the agent comes back (drafts belong to the client's account). What is sent leaves the
 * composer for the thread at once, where it shows as being sent (and, when the server could
 * not be reached, as unsent with a Retry); a reply the server refused comes back to the
 * composer, with the server's error as a toast.
 *
 * Files go with a reply too: chosen with the Attach button (composer.attach, a file
 * chooser), pasted (an image or files on the clipboard) or dropped, they wait as chips above
 * the text (composer.remove-file takes one off) and are kept per conversation like the text.
 *
 * Its buttons and Enter activate actions of the widget around it: conversation.toggle-note
 * and conversation.send (which calls baton_composer_send()).
 *
 * Canned replies: "/" at the start of the text or of a word lists the replies matching what
 * follows it; Up/Down choose, Enter or Tab insert, Escape closes. The reply replaces the
 * "/word", {{contact.name}} and {{agent.name}} filled. Its own action composer.insert-reply
 * (its button) types the "/" and opens the list.
 *
 * Properties: "client", "conversation-id", "note-mode" (writes an internal note),
 * "locked" (the customer's reply window is closed: replies are not allowed, notes are),
 * "can-send" (read-only: there is text, a thread to send it to, and it may go).
 * Signals: "sent" (BatonMessage *): the server took the message; "window-closed": the server
 * refused the reply because the customer's 24-hour window has closed. */

#define BATON_TYPE_COMPOSER (baton_composer_get_type ())

G_DECLARE_FINAL_TYPE (BatonComposer, baton_composer, BATON, COMPOSER, AdwBin)

GtkWidget *baton_composer_new                 (void);
void       baton_composer_set_client          (BatonComposer *self,
                                               BatonClient   *client);
void       baton_composer_set_conversation_id (BatonComposer *self,
                                               const char    *conversation_id);
gboolean   baton_composer_get_can_send        (BatonComposer *self);
void       baton_composer_set_thread          (BatonComposer    *self,
                                               BatonMessageList *thread);
void       baton_composer_set_contact_name    (BatonComposer *self,
                                               const char    *contact_name);
/* A file to send with the next reply, shown as a chip above the text (its name, size and a
 * remove button); the Attach button (a file chooser), pasting an image or files and
 * dropping files add them the same way. */
void       baton_composer_add_file            (BatonComposer *self,
                                               const char    *filename,
                                               const char    *content_type,
                                               GBytes        *bytes);
guint      baton_composer_get_n_files         (BatonComposer *self);
/* Sends the text and files (when it can) as a reply, or a note in note mode, through the
 * thread: the files upload with a progress bar in the thread, then the reply carries them. */
void       baton_composer_send                (BatonComposer *self);

G_END_DECLS
