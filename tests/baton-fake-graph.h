/* baton-fake-graph.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A fake WhatsApp Cloud API (Graph) for the tests: a SoupServer on 127.0.0.1, port 0, served
 * by its own thread and main context, so it answers while a test blocks in a synchronous
 * call to batond (which calls the fake) or runs its own main loop. Every function may be
 * called from any thread.
 *
 * Paths are those after the version: baton_fake_graph_base_url() ends in "/v25.0" and a
 * request to /v25.0/123/messages is recorded and scripted as "/123/messages". Media downloads
 * are served outside the version, at "/download/{media_id}".
 *
 * An answer is the first scripted reply queued for its "METHOD path" (and kind, see
 * BatonFakeMatch), else a default one:
 *   POST /{phone_number_id}/messages  a send: 200 like corpus 65 with a fresh
 *                                     "wamid.FAKE<n>"; a mark-as-read (status "read"):
 *                                     200 {"success":true}; not JSON: 400, code 100
 *   GET  /{media_id}                  the metadata of media added with
 *                                     baton_fake_graph_add_media, its url on the fake
 *   GET  /download/{media_id}         the bytes, with the Content-Type given; only for the
 *                                     Authorization header that fetched the metadata (401
 *                                     otherwise)
 *   GET  /{waba_id}/message_templates the templates set with baton_fake_graph_set_templates,
 *                                     paged (limit, after) with paging.cursors and
 *                                     paging.next as Graph does
 *   anything else                     400 with Graph's error code 100
 * With an access token set, a Graph path answered to another bearer gives 401 with code 190. */

typedef struct _BatonFakeGraph BatonFakeGraph;

typedef enum {
  /* any request to the path */
  BATON_FAKE_MATCH_ANY,
  /* POST …/messages sending a message (no "status" member) */
  BATON_FAKE_MATCH_SEND,
  /* POST …/messages marking a message read ("status":"read") */
  BATON_FAKE_MATCH_READ,
} BatonFakeMatch;

/* A scripted answer; the strings are copied. */
typedef struct {
  const char *method;
  const char *path;
  BatonFakeMatch match;
  /* 0: close the connection without answering (a network failure) */
  guint status;
  /* NULL: an empty body */
  const char *body;
  gsize body_length;            /* 0: strlen (body) */
  const char *content_type;     /* NULL: application/json */
  const char *retry_after;      /* the Retry-After header, NULL for none */
  guint delay_ms;               /* wait before answering */
  gboolean chunked;             /* no Content-Length: the body in chunks */
} BatonFakeReply;

/* One request as the fake received it. */
typedef struct {
  char *method;
  /* after the version, e.g. "/389104726650318/messages" */
  char *path;
  /* what follows '?', NULL for none */
  char *query;
  /* the Authorization header, NULL when absent */
  char *authorization;
  char *content_type;
  GBytes *body;
  /* g_get_monotonic_time () when it arrived */
  gint64 time_us;
} BatonFakeRequest;

BatonFakeGraph *baton_fake_graph_new             (void);
void            baton_fake_graph_free            (BatonFakeGraph       *fake);
/* "http://127.0.0.1:PORT/v25.0" */
const char     *baton_fake_graph_base_url        (BatonFakeGraph       *fake);

/* When set, Graph paths need "Authorization: Bearer <token>" (401 code 190 otherwise);
 * NULL (the default) accepts any request. */
void            baton_fake_graph_set_access_token (BatonFakeGraph      *fake,
                                                   const char          *token);
/* Every answer, scripted or default, waits this long first (0: none): a slow Graph. */
void            baton_fake_graph_set_delay       (BatonFakeGraph       *fake,
                                                  guint                 delay_ms);

/* Scripted one-shot answers, first in first out per "METHOD path". */
void            baton_fake_graph_push_reply      (BatonFakeGraph       *fake,
                                                  const BatonFakeReply *reply);
void            baton_fake_graph_push            (BatonFakeGraph       *fake,
                                                  const char           *method,
                                                  const char           *path,
                                                  guint                 status,
                                                  const char           *body);
/* The body is a file of tests/fixtures/whatsapp/, e.g. "67-api-error-130429-throughput.json". */
void            baton_fake_graph_push_file       (BatonFakeGraph       *fake,
                                                  const char           *method,
                                                  const char           *path,
                                                  guint                 status,
                                                  const char           *fixture);
/* The next send on that number succeeds with this wamid (mark-as-read calls are not taken). */
void            baton_fake_graph_push_sent       (BatonFakeGraph       *fake,
                                                  const char           *phone_number_id,
                                                  const char           *wamid);
/* The next send on that number fails with this corpus error fixture and HTTP status. */
void            baton_fake_graph_push_send_error (BatonFakeGraph       *fake,
                                                  const char           *phone_number_id,
                                                  guint                 status,
                                                  const char           *fixture);

/* Media served at GET /{media_id} (metadata) and its download url. */
void            baton_fake_graph_add_media       (BatonFakeGraph       *fake,
                                                  const char           *media_id,
                                                  const char           *mime_type,
                                                  GBytes               *bytes);
/* templates_json: a JSON array of Graph template objects ({name, language, status, category,
 * components}); page_size: how many per page when the request has no limit (0: 25, as
 * Graph). A status=… query filters as Graph does. */
void            baton_fake_graph_set_templates   (BatonFakeGraph       *fake,
                                                  const char           *waba_id,
                                                  const char           *templates_json,
                                                  guint                 page_size);

/* Recording. Requests stay valid until the fake is freed. NULL method or path match any. */
guint           baton_fake_graph_n_requests      (BatonFakeGraph       *fake);
const BatonFakeRequest *baton_fake_graph_request (BatonFakeGraph       *fake,
                                                  guint                 index);
guint           baton_fake_graph_count           (BatonFakeGraph       *fake,
                                                  const char           *method,
                                                  const char           *path);
/* The nth (from 0) request to method and path, NULL when there are fewer. */
const BatonFakeRequest *baton_fake_graph_find    (BatonFakeGraph       *fake,
                                                  const char           *method,
                                                  const char           *path,
                                                  guint                 nth);
/* Blocks until count requests to method and path arrived; FALSE after timeout_ms. */
gboolean        baton_fake_graph_wait            (BatonFakeGraph       *fake,
                                                  const char           *method,
                                                  const char           *path,
                                                  guint                 count,
                                                  guint                 timeout_ms);
/* The request body parsed, NULL when it is not JSON. */
JsonNode       *baton_fake_request_json          (const BatonFakeRequest *request);

G_END_DECLS
