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
 * A reply or note the agent sends through the list shows at once, before the server has
 * it: a local message (its id BATON_MESSAGE_LOCAL_PREFIX and its client_id, the agent as
 * author) whose status is "sending"; the server's message takes its place, whichever of the
 * answer and the stream brings it. When the server could not be reached (or failed), the
 * local message stays with status "unsent" until baton_message_list_retry() sends it again
 * with the same client_id, so that it is written once whatever happened to the first
 * request; a reply the server refused (4xx) leaves the list.
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

#define BATON_MESSAGE_LOCAL_PREFIX "local:"
#define BATON_MESSAGE_STATUS_SENDING "sending"
#define BATON_MESSAGE_STATUS_UNSENT "unsent"

/* Sends a reply (a note when note is set) with a new client_id, listed at once; the
 * server's message, or the error (the local message then stays "unsent", unless the server
 * refused it). cancellable only stops the callback from caring: the send goes on. */
void              baton_message_list_send_async     (BatonMessageList    *self,
                                                     const char          *body,
                                                     gboolean             note,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
BatonMessage     *baton_message_list_send_finish    (BatonMessageList    *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
/* A file to send with a reply. */
typedef struct {
  char *filename;
  char *content_type;
  GBytes *bytes;
} BatonOutgoingFile;

BatonOutgoingFile *baton_outgoing_file_new  (const char        *filename,
                                             const char        *content_type,
                                             GBytes            *bytes);
void              baton_outgoing_file_free  (BatonOutgoingFile *file);

/* As baton_message_list_send_async (), with files (BatonOutgoingFile, copied; NULL or empty
 * for none; body may then be "" ): the local message lists them, each is uploaded in turn
 * (its item's "progress" follows the bytes written), then the reply carries them. A reply
 * left "unsent" keeps what was uploaded: baton_message_list_retry () uploads only the rest.
 * Finished by baton_message_list_send_finish (). */
void              baton_message_list_send_files_async (BatonMessageList    *self,
                                                       const char          *body,
                                                       gboolean             note,
                                                       GPtrArray           *files,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
/* Whether a send that failed with error stays listed as "unsent": sending again may help
 * (the server was not reached, or failed); what it refused would be refused again. */
gboolean          baton_message_list_keeps_unsent   (const GError        *error);
/* Sends an "unsent" message again, with its client_id. */
void              baton_message_list_retry          (BatonMessageList    *self,
                                                     const char          *client_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonOutgoingFile, baton_outgoing_file_free)

G_END_DECLS
