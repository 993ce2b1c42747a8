/* baton-request.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "baton-error.h"
#include "baton-workspace.h"

G_BEGIN_DECLS

/* The WhatsApp channel's object, which the server hands to the API without knowing it. */
typedef struct _BatonWhatsapp BatonWhatsapp;

/* One API call being answered: what the router found, who is calling, and the reply helpers
 * every handler uses so that all errors have the shape of PROTOCOL.md §1.
 *
 * A request is answered on the workspace's thread, away from the connection it came on: it
 * holds a copy of what the client sent, and its answer until the server writes it out. */
typedef struct {
  BatonWorkspace *workspace;
  BatonWhatsapp *whatsapp;
  char *method;
  GHashTable *query;
  SoupMessageHeaders *headers;
  GBytes *raw_body;
  char *params[3];
  BatonAgent *agent;
  char *token_hash;
  /* the client's address: X-Forwarded-For from a trusted proxy, or the peer's */
  char *address;
  JsonObject *body;
  gsize body_limit;
  /* whether the handler answers later (baton_request_defer) */
  gboolean deferred;

  /* the answer: its status (0 until there is one), type, body and further headers */
  guint status;
  char *content_type;
  GBytes *response;
  SoupMessageHeaders *response_headers;
} BatonRequest;

typedef void (*BatonHandler) (BatonRequest *request);

const char *baton_request_param         (BatonRequest  *request,
                                         guint          index);
const char *baton_request_query         (BatonRequest  *request,
                                         const char    *name);
JsonObject *baton_request_body          (BatonRequest  *request);
GBytes     *baton_request_raw_body      (BatonRequest  *request);
const char *baton_request_header        (BatonRequest  *request,
                                         const char    *name);
const char *baton_request_address       (BatonRequest  *request);
/* the token of "Authorization: Bearer TOKEN", or NULL */
const char *baton_request_bearer_token  (SoupMessageHeaders *headers);
gboolean    baton_request_is_manager    (BatonRequest  *request);
gboolean    baton_request_require_manager (BatonRequest *request);
gboolean    baton_request_read_limit    (BatonRequest  *request,
                                         guint         *limit);
gboolean    baton_request_read_offset   (BatonRequest  *request,
                                         guint64       *offset);
gboolean    baton_request_read_position (BatonRequest  *request,
                                         gint64        *at,
                                         const char   **id);
void        baton_request_reply         (BatonRequest  *request,
                                         guint          status,
                                         JsonNode      *data);
/* an answer of any type: replaces whatever was answered before */
void        baton_request_respond       (BatonRequest  *request,
                                         guint          status,
                                         const char    *content_type,
                                         GBytes        *body);
SoupMessageHeaders *baton_request_response_headers (BatonRequest *request);
void        baton_request_reply_empty   (BatonRequest  *request,
                                         guint          status);
void        baton_request_reply_error   (BatonRequest  *request,
                                         const GError  *error);
void        baton_request_fail          (BatonRequest  *request,
                                         BatonErrorCode code,
                                         const char    *format,
                                         ...) G_GNUC_PRINTF (3, 4);
void        baton_request_reply_list    (BatonRequest  *request,
                                         GPtrArray     *items,
                                         const char    *next_cursor);

/* The query's paging parameters, without a request (the ones above answer 400 with these
 * errors): ?limit= (50 by default, 1 to 500); ?cursor= as an offset (contacts) or as the
 * sort key "<time>.<id>" of the last item shown (conversations). */
gboolean    baton_query_read_limit      (GHashTable    *query,
                                         guint         *limit,
                                         GError       **error);
gboolean    baton_query_read_offset     (GHashTable    *query,
                                         guint64       *offset,
                                         GError       **error);
gboolean    baton_query_read_position   (GHashTable    *query,
                                         gint64        *at,
                                         const char   **id,
                                         GError       **error);

/* A request answered later, from a callback: its client waits, and shutdown waits for it. */
typedef struct _BatonDeferred BatonDeferred;

BatonDeferred *baton_request_defer      (BatonRequest  *request);
/* the request to answer with; baton_deferred_finish sends the answer */
BatonRequest  *baton_deferred_request   (BatonDeferred *deferred);
void           baton_deferred_finish    (BatonDeferred *deferred);

/* Sends a handler's answer: a change acknowledged (a method other than GET or HEAD answered
 * below 400) once the store has synced it, 503 if the sync fails. */
void           baton_request_settle     (BatonRequest  *request);

/* The server's side (baton-server.c): a request copied from its message on the network's
 * thread, answered through answered once settled, and written back into the message. */
typedef void (*BatonAnsweredFunc) (BatonRequest *request,
                                   gpointer      user_data);

BatonRequest  *baton_request_new        (BatonWorkspace    *workspace,
                                         BatonWhatsapp     *whatsapp,
                                         SoupServerMessage *msg,
                                         GHashTable        *query,
                                         gsize              body_limit,
                                         BatonAnsweredFunc  answered,
                                         gpointer           user_data);
void           baton_request_write_answer (BatonRequest      *request,
                                           SoupServerMessage *msg);
void           baton_request_free       (BatonRequest      *request);

G_END_DECLS
