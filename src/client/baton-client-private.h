/* baton-client-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-client.h"

G_BEGIN_DECLS

/* The transport under the typed calls, for libbaton-client's own files (and its tests):
 * widgets use the typed calls and never build a path or a body. */

/* Any call of the API: path below /api/v1 ("/conversations?status=new"), body may be NULL.
 * Returns the response body (NULL for 204). */
void              baton_client_call_async         (BatonClient         *self,
                                                   const char          *method,
                                                   const char          *path,
                                                   JsonNode            *body,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
JsonNode         *baton_client_call_finish        (BatonClient         *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

/* GET of raw bytes: path below /api/v1 ("/attachments/att_…"). Returns the body and, in
 * content_type (may be NULL), its Content-Type without parameters ("image/jpeg"), or NULL
 * when the server sent none. */
void              baton_client_fetch_bytes_async  (BatonClient         *self,
                                                   const char          *path,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GBytes           *baton_client_fetch_bytes_finish (BatonClient         *self,
                                                   GAsyncResult        *result,
                                                   char               **content_type,
                                                   GError             **error);

/* POST of raw bytes of content_type (path below /api/v1), progress_func (may be NULL)
 * called as the body is written; finished by baton_client_call_finish (). */
void              baton_client_post_bytes_async   (BatonClient             *self,
                                                   const char              *path,
                                                   const char              *content_type,
                                                   GBytes                  *body,
                                                   BatonClientProgressFunc  progress_func,
                                                   gpointer                 progress_data,
                                                   GCancellable            *cancellable,
                                                   GAsyncReadyCallback      callback,
                                                   gpointer                 user_data);

/* "/<collection>/<id, escaped>[<rest>]": every id reaches a path through here. */
char             *baton_client_path               (const char          *collection,
                                                   const char          *id,
                                                   const char          *rest);

/* The signed-in agent changed (an answer of PUT /me/availability). */
void              baton_client_update_me          (BatonClient         *self,
                                                   BatonAgent          *me);

G_END_DECLS
