/* baton-client.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "baton-agent.h"
#include "baton-contact.h"
#include "baton-conversation.h"
#include "baton-event.h"
#include "baton-message.h"
#include "baton-session.h"
#include "baton-team.h"

G_BEGIN_DECLS

/* One signed-in account on one batond: the REST calls of PROTOCOL.md §3 as _async/_finish
 * pairs, and the event stream of §4, kept connected (exponential backoff with jitter, reset
 * on success; resumed with since=<last seq> so no event is missed; resync_required makes the
 * client emit "resync" so its models reload). No GTK.
 *
 * Properties: "server-url", "token", "me" (BatonAgent, boxed), "state" (BatonClientState).
 * Signals: "event" (BatonEvent *): every stream event, in seq order, exactly once, across
 * reconnects; "resync": events may have been missed (resync_required, or a resume the
 * server refused): reload what you show by REST. */

#define BATON_TYPE_CLIENT (baton_client_get_type ())

G_DECLARE_FINAL_TYPE (BatonClient, baton_client, BATON, CLIENT, GObject)

typedef enum {
  BATON_CLIENT_STATE_OFFLINE,
  BATON_CLIENT_STATE_CONNECTING,
  BATON_CLIENT_STATE_ONLINE,
  BATON_CLIENT_STATE_AUTH_FAILED,
} BatonClientState;

#define BATON_TYPE_CLIENT_STATE (baton_client_state_get_type ())

GType             baton_client_state_get_type     (void) G_GNUC_CONST;

#define BATON_CLIENT_ERROR (baton_client_error_quark ())

/* Errors of the calls: the protocol's codes, plus transport failures. */
typedef enum {
  BATON_CLIENT_ERROR_UNREACHABLE,
  BATON_CLIENT_ERROR_BAD_REQUEST,
  BATON_CLIENT_ERROR_UNAUTHORIZED,
  BATON_CLIENT_ERROR_FORBIDDEN,
  BATON_CLIENT_ERROR_NOT_FOUND,
  BATON_CLIENT_ERROR_CONFLICT,
  BATON_CLIENT_ERROR_UNPROCESSABLE,
  BATON_CLIENT_ERROR_RATE_LIMITED,
  BATON_CLIENT_ERROR_SERVER,
  BATON_CLIENT_ERROR_INVALID_RESPONSE,
} BatonClientError;

GQuark            baton_client_error_quark        (void);
/* The field of a 422 (error.field), or NULL. */
const char       *baton_client_error_get_field    (const GError        *error);
/* The error's code as the server sent it ("window_closed", "conflict", …), or NULL for
 * transport failures. */
const char       *baton_client_error_get_name     (const GError        *error);

BatonClient      *baton_client_new                (const char          *server_url);
const char       *baton_client_get_server_url     (BatonClient         *self);
const char       *baton_client_get_token          (BatonClient         *self);
/* A token kept from an earlier sign-in (silent sign-in); call refresh_me to check it. */
void              baton_client_set_token          (BatonClient         *self,
                                                   const char          *token);
BatonAgent       *baton_client_get_me             (BatonClient         *self);
BatonClientState  baton_client_get_state          (BatonClient         *self);
gint64            baton_client_get_last_seq       (BatonClient         *self);
/* Resumes the stream after this seq on its next connect (e.g. a seq kept from an earlier
 * run); a seq the server no longer has ends in "resync". */
void              baton_client_set_last_seq       (BatonClient         *self,
                                                   gint64               seq);

void              baton_client_login_async        (BatonClient         *self,
                                                   const char          *email,
                                                   const char          *password,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean          baton_client_login_finish       (BatonClient         *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
void              baton_client_logout_async       (BatonClient         *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean          baton_client_logout_finish      (BatonClient         *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
/* GET /me: checks the token and updates "me". */
void              baton_client_refresh_me_async   (BatonClient         *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean          baton_client_refresh_me_finish  (BatonClient         *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

/* GET /me/sessions: the account's sessions (BatonSession), newest first, "current" marking
 * this client's. */
void              baton_client_list_sessions_async   (BatonClient         *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
GPtrArray        *baton_client_list_sessions_finish  (BatonClient         *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
/* DELETE /me/sessions/{id}: signs that session out (its streams close at once). */
void              baton_client_revoke_session_async  (BatonClient         *self,
                                                      const char          *session_id,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean          baton_client_revoke_session_finish (BatonClient         *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

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

/* GET of raw bytes (an attachment's media): path below /api/v1 ("/attachments/att_…").
 * Returns the body and, in content_type (may be NULL), its Content-Type without parameters
 * ("image/jpeg"), or NULL when the server sent none. Errors as for baton_client_call_async. */
void              baton_client_fetch_bytes_async  (BatonClient         *self,
                                                   const char          *path,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GBytes           *baton_client_fetch_bytes_finish (BatonClient         *self,
                                                   GAsyncResult        *result,
                                                   char               **content_type,
                                                   GError             **error);

/* The event stream: started after sign-in, kept up until stop or logout. The first connect
 * of a session starts live, so load what you show by REST once "state" is ONLINE; later
 * connects resume after the last seq seen. A sign-in while the stream runs restarts it for
 * the new session. */
void              baton_client_start_stream       (BatonClient         *self);
void              baton_client_stop_stream        (BatonClient         *self);

G_END_DECLS
