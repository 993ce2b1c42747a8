/* baton-graph-sandbox.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "baton-server.h"

G_BEGIN_DECLS

/* A simulator of the WhatsApp Cloud API (Graph): what `batond demo`'s number talks to and what
 * the tests run Baton against. It answers the calls Baton makes as Graph does (REFERENCE.md §4,
 * corpus 60–79), lets a caller script one-shot answers, and records every request.
 *
 * It is served in one of two ways: mounted under a prefix on a server it is given
 * (baton_graph_sandbox_mount, the demo), or on a server of its own on 127.0.0.1 with its own
 * thread and main context (baton_graph_sandbox_listen, the tests). Either way every function
 * may be called from any thread; handlers of ::message-accepted run in the serving thread.
 *
 * Paths are those after the prefix and the version: a request to <prefix>/v25.0/123/messages is
 * recorded and scripted as "/123/messages". Media downloads are served outside the version, at
 * <prefix>/download/{media_id}.
 *
 * An answer is the first scripted reply queued for its "METHOD path" (and kind, see
 * BatonGraphSandboxMatch), else Graph's:
 *   with an access token set, a Graph path answered to another bearer: 401, code 190
 *   POST /{phone_number_id}/messages  a send: checked as Graph checks it (a number added with
 *                                     baton_graph_sandbox_add_number, its WABA's templates),
 *                                     then 200 like corpus 65 with a fresh wamid and
 *                                     ::message-accepted; a mark-as-read: 200 {"success":true}
 *                                     (a media message must name media the sandbox has)
 *   POST /{phone_number_id}/media     an upload (multipart: messaging_product, file, type):
 *                                     kept as media and answered {"id": <new media id>}
 *   GET  /{media_id}                  the metadata of media added with add_media, its url in
 *                                     the sandbox
 *   GET  /download/{media_id}         the bytes, only for the token set or, without one, the
 *                                     Authorization header that fetched the metadata
 *   GET  /{waba_id}/message_templates the templates set for that WABA, paged (limit, after,
 *                                     base64 cursors and next) and filtered (fields, status)
 *                                     as Graph does
 *   anything else                     400 with Graph's error code 100 */

#define BATON_GRAPH_SANDBOX_VERSION "v25.0"

typedef enum {
  /* any request to the path */
  BATON_GRAPH_SANDBOX_MATCH_ANY,
  /* POST …/messages sending a message (no "status" member) */
  BATON_GRAPH_SANDBOX_MATCH_SEND,
  /* POST …/messages marking a message read ("status":"read") */
  BATON_GRAPH_SANDBOX_MATCH_READ,
} BatonGraphSandboxMatch;

/* A scripted answer; the strings are copied. */
typedef struct {
  const char *method;
  const char *path;
  BatonGraphSandboxMatch match;
  /* 0: close the connection without answering (a network failure) */
  guint status;
  /* NULL: an empty body */
  const char *body;
  gsize body_length;            /* 0: strlen (body) */
  const char *content_type;     /* NULL: application/json */
  const char *retry_after;      /* the Retry-After header, NULL for none */
  guint delay_ms;               /* wait before answering */
  gboolean chunked;             /* no Content-Length: the body in chunks */
} BatonGraphSandboxReply;

/* One request as the sandbox received it. */
typedef struct {
  char *method;
  /* after the prefix and the version, e.g. "/389104726650318/messages" */
  char *path;
  /* what follows '?', NULL for none */
  char *query;
  /* the Authorization header, NULL when absent */
  char *authorization;
  char *content_type;
  GBytes *body;
  /* g_get_monotonic_time () when it arrived */
  gint64 time_us;
} BatonGraphSandboxRequest;

#define BATON_TYPE_GRAPH_SANDBOX (baton_graph_sandbox_get_type ())

G_DECLARE_FINAL_TYPE (BatonGraphSandbox, baton_graph_sandbox, BATON, GRAPH_SANDBOX, GObject)

BatonGraphSandbox *baton_graph_sandbox_new          (void);
/* Serves the sandbox's paths under prefix on server, in the thread of the current thread-default
 * main context. */
void            baton_graph_sandbox_mount           (BatonGraphSandbox *self,
                                                     BatonServer       *server,
                                                     const char        *prefix);
/* Serves it on a server of its own on 127.0.0.1 (any port), in a thread of its own until the
 * sandbox is finalized. */
gboolean        baton_graph_sandbox_listen          (BatonGraphSandbox *self,
                                                     GError           **error);
/* After listen: "http://127.0.0.1:PORT/v25.0" */
const char     *baton_graph_sandbox_get_base_url    (BatonGraphSandbox *self);

/* When set, Graph paths need "Authorization: Bearer <token>" (401 code 190 otherwise); NULL
 * (the default) accepts any request. */
void            baton_graph_sandbox_set_access_token (BatonGraphSandbox *self,
                                                      const char        *token);
/* Every answer, scripted or not, waits this long first (0: none): a slow Graph. */
void            baton_graph_sandbox_set_delay       (BatonGraphSandbox *self,
                                                     guint              delay_ms);
/* Whether requests are kept for the functions below (the default); a long demo keeps none. */
void            baton_graph_sandbox_set_recording   (BatonGraphSandbox *self,
                                                     gboolean           recording);
/* A business number of a WhatsApp Business Account. Once one is added, sends on other numbers
 * are refused as Graph refuses unknown ids, and template sends are checked against the WABA's
 * templates. */
void            baton_graph_sandbox_add_number      (BatonGraphSandbox *self,
                                                     const char        *phone_number_id,
                                                     const char        *waba_id);
/* Media served at GET /{media_id} (metadata) and its download url. */
void            baton_graph_sandbox_add_media       (BatonGraphSandbox *self,
                                                     const char        *media_id,
                                                     const char        *mime_type,
                                                     GBytes            *bytes);
/* templates: Graph template objects ({id, name, language, status, category, components}) in
 * the order Graph lists them; page_size: how many per page when the request has no limit (0:
 * 25, as Graph). */
void            baton_graph_sandbox_set_templates   (BatonGraphSandbox *self,
                                                     const char        *waba_id,
                                                     JsonArray         *templates,
                                                     guint              page_size);

/* Scripted one-shot answers, first in first out per "METHOD path". */
void            baton_graph_sandbox_push_reply      (BatonGraphSandbox            *self,
                                                     const BatonGraphSandboxReply *reply);
void            baton_graph_sandbox_push            (BatonGraphSandbox *self,
                                                     const char        *method,
                                                     const char        *path,
                                                     guint              status,
                                                     const char        *body);
/* The body is the contents of a file, such as a corpus error. */
gboolean        baton_graph_sandbox_push_file       (BatonGraphSandbox *self,
                                                     const char        *method,
                                                     const char        *path,
                                                     guint              status,
                                                     const char        *filename,
                                                     GError           **error);
/* The next send on that number succeeds with this wamid (mark-as-read calls are not taken). */
void            baton_graph_sandbox_push_sent       (BatonGraphSandbox *self,
                                                     const char        *phone_number_id,
                                                     const char        *wamid);
/* The next send on that number fails with this status and body. */
void            baton_graph_sandbox_push_send_error (BatonGraphSandbox *self,
                                                     const char        *phone_number_id,
                                                     guint              status,
                                                     const char        *body);

/* A wamid as Meta makes them, for a message to or from number (digits). */
char           *baton_graph_sandbox_new_wamid       (BatonGraphSandbox *self,
                                                     const char        *number,
                                                     gboolean           inbound);

/* Recording. Requests stay valid until the sandbox is finalized. NULL method or path match
 * any. */
guint           baton_graph_sandbox_n_requests      (BatonGraphSandbox *self);
const BatonGraphSandboxRequest *
                baton_graph_sandbox_request         (BatonGraphSandbox *self,
                                                     guint              index);
guint           baton_graph_sandbox_count           (BatonGraphSandbox *self,
                                                     const char        *method,
                                                     const char        *path);
/* The nth (from 0) request to method and path, NULL when there are fewer. */
const BatonGraphSandboxRequest *
                baton_graph_sandbox_find            (BatonGraphSandbox *self,
                                                     const char        *method,
                                                     const char        *path,
                                                     guint              nth);
/* Blocks until count requests to method and path arrived; FALSE after timeout_ms. */
gboolean        baton_graph_sandbox_wait            (BatonGraphSandbox *self,
                                                     const char        *method,
                                                     const char        *path,
                                                     guint              count,
                                                     guint              timeout_ms);
/* The request body parsed, NULL when it is not JSON. */
JsonNode       *baton_graph_sandbox_request_json    (const BatonGraphSandboxRequest *request);

G_END_DECLS
