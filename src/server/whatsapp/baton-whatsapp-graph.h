/* baton-whatsapp-graph.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "baton-whatsapp-channel.h"
#include "baton-whatsapp-payload.h"

G_BEGIN_DECLS

/* The WhatsApp Cloud API (Graph) client: request bodies as REFERENCE.md §4 shows them, the
 * calls, and what each answer means for the sender (branch on error.code, never on the
 * title). Tokens are never logged. */

typedef enum {
  BATON_GRAPH_OK,
  /* transient (131000, 1, 2, 131016, 5xx, is_transient, a timeout or a network error):
   * retry this message with backoff */
  BATON_GRAPH_RETRY,
  /* 130429, 80007, 4: back off every message of the number */
  BATON_GRAPH_RETRY_NUMBER,
  /* 131056: delay this recipient only */
  BATON_GRAPH_RETRY_RECIPIENT,
  /* 131047: the 24-h window is closed; templates only, no retry */
  BATON_GRAPH_WINDOW_CLOSED,
  /* 0, 190 (and an HTTP 401): the token is bad; keep messages queued, pause the number */
  BATON_GRAPH_PAUSE,
  /* 131048, 131049: spam or ecosystem limits; stop, tell the admin, no retry */
  BATON_GRAPH_BLOCKED,
  /* everything else (100, 131008, 131009, 131026, 131051, other 4xx): no retry */
  BATON_GRAPH_PERMANENT,
} BatonGraphOutcome;

typedef struct {
  BatonGraphOutcome outcome;
  /* 0 when no HTTP answer came */
  guint http_status;
  /* the parsed answer when it was JSON, else NULL */
  JsonNode *body;
  /* error.code (0 when none), message, error_data.details, fbtrace_id */
  gint64 code;
  char *message;
  char *details;
  char *fbtrace_id;
  /* Retry-After in seconds when the answer had one, else 0 */
  gint64 retry_after;
  /* downloads only: the bytes and their Content-Type */
  GBytes *bytes;
  char *content_type;
} BatonGraphReply;

#define BATON_TYPE_WHATSAPP_GRAPH (baton_whatsapp_graph_get_type ())

G_DECLARE_FINAL_TYPE (BatonWhatsappGraph, baton_whatsapp_graph, BATON, WHATSAPP_GRAPH, GObject)

/* the public Graph API with the version Baton is tested against */

BatonWhatsappGraph *baton_whatsapp_graph_new          (void);

/* POST {base_url}/{path} with a JSON body and the bearer token */
void             baton_whatsapp_graph_post_async      (BatonWhatsappGraph   *self,
                                                       const char           *base_url,
                                                       const char           *access_token,
                                                       const char           *path,
                                                       JsonNode             *body,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
/* POST {base_url}/{phone_number_id}/media: the file as a multipart form (messaging_product,
 * type, file); the answer's "id" is the media id a message sends */
void             baton_whatsapp_graph_upload_async    (BatonWhatsappGraph   *self,
                                                       const char           *base_url,
                                                       const char           *access_token,
                                                       const char           *phone_number_id,
                                                       const char           *mime_type,
                                                       const char           *filename,
                                                       GBytes               *bytes,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
/* GET {base_url}/{path_and_query} with the bearer token (media metadata, templates) */
void             baton_whatsapp_graph_get_async       (BatonWhatsappGraph   *self,
                                                       const char           *base_url,
                                                       const char           *access_token,
                                                       const char           *path_and_query,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
/* GET an absolute URL (the media url Graph returned) with the bearer token; fails with
 * BATON_GRAPH_PERMANENT past max_bytes */
void             baton_whatsapp_graph_download_async  (BatonWhatsappGraph   *self,
                                                       const char           *url,
                                                       const char           *access_token,
                                                       gsize                 max_bytes,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
/* every call finishes here; never NULL: a network failure is BATON_GRAPH_RETRY */
BatonGraphReply *baton_whatsapp_graph_finish          (BatonWhatsappGraph   *self,
                                                       GAsyncResult         *result);

void             baton_graph_reply_free               (BatonGraphReply      *reply);

/* what an answer means: pure, for the table of REFERENCE.md §4 */
BatonGraphOutcome baton_whatsapp_graph_classify       (guint                 http_status,
                                                       gint64                code,
                                                       gboolean              is_transient);
const char      *baton_graph_outcome_to_string        (BatonGraphOutcome     outcome);

JsonNode        *baton_whatsapp_read_payload          (const char           *wamid,
                                                       gboolean              typing);
/* messages[0].id of a send answer (corpus 65), NULL when absent */
char            *baton_whatsapp_sent_wamid            (JsonNode             *body);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonGraphReply, baton_graph_reply_free)

G_END_DECLS
