/* baton-whatsapp-graph.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-whatsapp"

#include "config.h"

#include <libsoup/soup.h>
#include <math.h>
#include <string.h>

#include "baton-json.h"
#include "baton-whatsapp-graph.h"

/* The Graph API client (REFERENCE.md §4). Every call finishes with a BatonGraphReply whose
 * outcome tells the sender what to do; the access token only ever goes into the
 * Authorization header, never into a log line or a reply. */

#define DEFAULT_TIMEOUT_S 30
/* Graph allows 80 messages per second per number: more than libsoup's 2 connections per host. */
#define MAX_CONNS_PER_HOST 8
#define MAX_CONNS 32
#define READ_CHUNK 65536
/* an error answer to a download is small; the rest of a bigger one is not read */
#define ERROR_BODY_MAX 65536
/* libsoup 3.2 has no SOUP_STATUS_ name for it */
#define HTTP_TOO_MANY_REQUESTS 429

struct _BatonWhatsappGraph
{
  GObject parent_instance;

  /* owned refs */
  SoupSession *session;

  /* state */
  guint timeout;
};

/* One call in flight, the task data. */
typedef struct {
  SoupMessage *msg;
  /* cancelled with the caller's, or to drop an answer that is too large */
  GCancellable *cancellable;
  GCancellable *caller_cancellable;
  gulong cancelled_id;
  /* "POST graph.facebook.com/v25.0/123/messages": no query (media urls are signed), no token */
  char *what;
  /* downloads */
  GInputStream *stream;
  GByteArray *buffer;
  gsize limit;
  gboolean reading_error;
} Call;

G_DEFINE_FINAL_TYPE (BatonWhatsappGraph, baton_whatsapp_graph, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
call_free (Call *call)
{
  if (call->caller_cancellable)
    g_cancellable_disconnect (call->caller_cancellable, call->cancelled_id);
  g_clear_object (&call->caller_cancellable);
  /* libsoup would read the rest of an abandoned body when the stream closes */
  if (call->stream && !g_input_stream_is_closed (call->stream))
    g_cancellable_cancel (call->cancellable);
  g_clear_object (&call->stream);
  g_clear_object (&call->cancellable);
  g_clear_object (&call->msg);
  g_free (call->what);
  g_clear_pointer (&call->buffer, g_byte_array_unref);
  g_free (call);
}

void
baton_graph_reply_free (BatonGraphReply *reply)
{
  if (reply == NULL)
    return;
  g_clear_pointer (&reply->body, json_node_unref);
  g_free (reply->message);
  g_free (reply->details);
  g_free (reply->fbtrace_id);
  g_clear_pointer (&reply->bytes, g_bytes_unref);
  g_free (reply->content_type);
  g_free (reply);
}

const char *
baton_graph_outcome_to_string (BatonGraphOutcome outcome)
{
  switch (outcome)
    {
    case BATON_GRAPH_OK:
      return "ok";
    case BATON_GRAPH_RETRY:
      return "retry";
    case BATON_GRAPH_RETRY_NUMBER:
      return "retry_number";
    case BATON_GRAPH_RETRY_RECIPIENT:
      return "retry_recipient";
    case BATON_GRAPH_WINDOW_CLOSED:
      return "window_closed";
    case BATON_GRAPH_PAUSE:
      return "pause";
    case BATON_GRAPH_BLOCKED:
      return "blocked";
    case BATON_GRAPH_PERMANENT:
      return "permanent";
    default:
      return "unknown";
    }
}

/* REFERENCE.md §4: branch on error.code first. Graph's is_transient turns a code that would
 * not be retried into a retry; the HTTP status decides when the code is absent or unknown. */
BatonGraphOutcome
baton_whatsapp_graph_classify (guint    http_status,
                               gint64   code,
                               gboolean is_transient)
{
  switch (code)
    {
    case 130429:
    case 80007:
    case 4:
      return BATON_GRAPH_RETRY_NUMBER;
    case 131056:
      return BATON_GRAPH_RETRY_RECIPIENT;
    case 131047:
      return BATON_GRAPH_WINDOW_CLOSED;
    case 190:
      return BATON_GRAPH_PAUSE;
    case 131048:
    case 131049:
      return BATON_GRAPH_BLOCKED;
    case 131000:
    case 1:
    case 2:
    case 131016:
      return BATON_GRAPH_RETRY;
    /* our request is wrong or the recipient cannot get it: whatever the status says */
    case 100:
    case 131008:
    case 131009:
    case 131026:
    case 131051:
      return is_transient ? BATON_GRAPH_RETRY : BATON_GRAPH_PERMANENT;
    default:
      break;
    }
  if (is_transient)
    return BATON_GRAPH_RETRY;
  if (code == 0 && SOUP_STATUS_IS_SUCCESSFUL (http_status))
    return BATON_GRAPH_OK;
  /* no HTTP answer at all: the network or a timeout */
  if (http_status == 0)
    return BATON_GRAPH_RETRY;
  if (http_status == SOUP_STATUS_UNAUTHORIZED)
    return BATON_GRAPH_PAUSE;
  if (http_status == HTTP_TOO_MANY_REQUESTS)
    return BATON_GRAPH_RETRY_NUMBER;
  if (http_status >= 500 || http_status == SOUP_STATUS_REQUEST_TIMEOUT)
    return BATON_GRAPH_RETRY;
  return BATON_GRAPH_PERMANENT;
}

/* ---- answers ---- */

static JsonNode *
value_member (JsonObject *object,
              const char *member)
{
  JsonNode *node = NULL;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;
  node = json_object_get_member (object, member);
  return JSON_NODE_HOLDS_VALUE (node) ? node : NULL;
}

/* A display string from Graph, valid UTF-8 whatever it sent; NULL when absent or not a
 * string. */
static char *
dup_text (JsonObject *object,
          const char *member)
{
  const char *text = baton_json_peek_string (object, member);

  return text ? g_utf8_make_valid (text, -1) : NULL;
}

/* error.code as Graph documents it (an integer), or a string or a whole double from a less
 * careful proxy. A negative number is what json-glib makes of an overflowing literal. */
static gint64
read_code (JsonObject *error,
           gboolean   *present)
{
  JsonNode *node = value_member (error, "code");
  gint64 code = -1;

  *present = FALSE;
  if (node == NULL)
    return 0;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      code = json_node_get_int (node);
      break;
    case G_TYPE_DOUBLE:
      {
        double value = json_node_get_double (node);

        if (isfinite (value) && value >= 0 && value < 1e15 && value == (double) (gint64) value)
          code = (gint64) value;
      }
      break;
    case G_TYPE_STRING:
      if (!g_ascii_string_to_signed (json_node_get_string (node), 10, 0, G_MAXINT64, &code,
                                     NULL))
        code = -1;
      break;
    default:
      break;
    }
  if (code < 0)
    return 0;
  *present = TRUE;
  return code;
}

static gboolean
read_is_transient (JsonObject *error)
{
  JsonNode *node = value_member (error, "is_transient");

  if (node == NULL)
    return FALSE;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_BOOLEAN:
      return json_node_get_boolean (node);
    case G_TYPE_INT64:
      return json_node_get_int (node) != 0;
    case G_TYPE_STRING:
      return g_ascii_strcasecmp (json_node_get_string (node), "true") == 0;
    default:
      return FALSE;
    }
}

/* Retry-After: delay-seconds or an HTTP date (RFC 9110 §10.2.3); 0 when absent or unreadable. */
static gint64
read_retry_after (SoupMessageHeaders *headers)
{
  const char *value = soup_message_headers_get_one (headers, "Retry-After");
  g_autofree char *trimmed = NULL;
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) now = NULL;
  guint64 seconds = 0;

  if (value == NULL)
    return 0;
  trimmed = g_strstrip (g_strdup (value));
  if (g_ascii_string_to_unsigned (trimmed, 10, 0, G_MAXINT64, &seconds, NULL))
    return (gint64) seconds;
  date = soup_date_time_new_from_http_string (trimmed);
  if (date == NULL)
    return 0;
  now = g_date_time_new_now_utc ();
  return MAX ((gint64) 0, g_date_time_difference (date, now) / G_USEC_PER_SEC);
}

static void
read_error (BatonGraphReply *reply,
            gboolean        *code_present,
            gboolean        *is_transient)
{
  JsonObject *root = NULL;
  JsonNode *error_node = NULL;
  JsonObject *error = NULL;
  JsonNode *data = NULL;

  if (reply->body == NULL || !JSON_NODE_HOLDS_OBJECT (reply->body))
    return;
  root = json_node_get_object (reply->body);
  if (!json_object_has_member (root, "error"))
    return;
  error_node = json_object_get_member (root, "error");
  if (JSON_NODE_HOLDS_VALUE (error_node)
      && json_node_get_value_type (error_node) == G_TYPE_STRING)
    {
      reply->message = dup_text (root, "error");
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (error_node))
    return;
  error = json_node_get_object (error_node);
  reply->code = read_code (error, code_present);
  reply->message = dup_text (error, "message");
  reply->fbtrace_id = dup_text (error, "fbtrace_id");
  *is_transient = read_is_transient (error);
  if (json_object_has_member (error, "error_data"))
    data = json_object_get_member (error, "error_data");
  if (data && JSON_NODE_HOLDS_OBJECT (data))
    reply->details = dup_text (json_node_get_object (data), "details");
}

static JsonNode *
parse_json (GBytes *bytes)
{
  gsize length = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &length) : NULL;

  return baton_json_parse (data, length, NULL);
}

/* The reply to an HTTP answer; body_is_json is FALSE for the bytes of a download. */
static BatonGraphReply *
reply_from_answer (Call     *call,
                   GBytes   *bytes,
                   gboolean  body_is_json)
{
  BatonGraphReply *reply = g_new0 (BatonGraphReply, 1);
  SoupMessageHeaders *headers = soup_message_get_response_headers (call->msg);
  gboolean code_present = FALSE;
  gboolean is_transient = FALSE;

  reply->http_status = soup_message_get_status (call->msg);
  reply->retry_after = read_retry_after (headers);
  if (body_is_json)
    reply->body = parse_json (bytes);
  read_error (reply, &code_present, &is_transient);
  /* Graph's code 0 (AuthException) is a bad token like 190, but 0 also means "no code" */
  if (code_present && reply->code == 0 && !SOUP_STATUS_IS_SUCCESSFUL (reply->http_status))
    reply->outcome = BATON_GRAPH_PAUSE;
  else
    reply->outcome = baton_whatsapp_graph_classify (reply->http_status, reply->code,
                                                    is_transient);
  if (reply->outcome == BATON_GRAPH_OK)
    g_debug ("%s: HTTP %u", call->what, reply->http_status);
  else
    g_message ("%s: HTTP %u, code %" G_GINT64_FORMAT " (%s): %s%s%s, fbtrace_id %s",
               call->what, reply->http_status, reply->code,
               baton_graph_outcome_to_string (reply->outcome),
               reply->message ? reply->message : "no message",
               reply->details ? ": " : "", reply->details ? reply->details : "",
               reply->fbtrace_id ? reply->fbtrace_id : "none");
  return reply;
}

/* No HTTP answer: refused, unreachable, timed out or cancelled. */
static BatonGraphReply *
reply_from_error (Call         *call,
                  const GError *error)
{
  BatonGraphReply *reply = g_new0 (BatonGraphReply, 1);

  reply->outcome = BATON_GRAPH_RETRY;
  reply->message = g_strdup (error->message);
  g_message ("%s: no answer: %s", call->what, error->message);
  return reply;
}

static BatonGraphReply *
reply_new (BatonGraphOutcome  outcome,
           guint              http_status,
           const char        *message)
{
  BatonGraphReply *reply = g_new0 (BatonGraphReply, 1);

  reply->outcome = outcome;
  reply->http_status = http_status;
  reply->message = g_strdup (message);
  return reply;
}

static void
return_reply (GTask           *task,
              BatonGraphReply *reply)
{
  g_task_return_pointer (task, reply, (GDestroyNotify) baton_graph_reply_free);
}

/* ---- requests ---- */

/* A token goes into a header as it is: anything that is not a visible ASCII character would
 * break the request (or smuggle another header). */
static gboolean
is_valid_token (const char *token)
{
  if (token == NULL || *token == '\0')
    return FALSE;
  for (const char *p = token; *p; p++)
    if (*p <= ' ' || *p >= 0x7f)
      return FALSE;
  return TRUE;
}

static char *
describe (const char *method,
          GUri       *uri)
{
  int port = g_uri_get_port (uri);

  if (port > 0)
    return g_strdup_printf ("%s %s:%d%s", method, g_uri_get_host (uri), port,
                            g_uri_get_path (uri));
  return g_strdup_printf ("%s %s%s", method, g_uri_get_host (uri), g_uri_get_path (uri));
}

static char *
join_url (const char *base_url,
          const char *path)
{
  g_autofree char *base = g_strdup (base_url);
  gsize length = strlen (base);

  while (length > 0 && base[length - 1] == '/')
    base[--length] = '\0';
  while (*path == '/')
    path++;
  return g_strconcat (base, "/", path, NULL);
}

static void
cancel_call (GCancellable *caller_cancellable,
             GCancellable *call_cancellable)
{
  g_cancellable_cancel (call_cancellable);
}

/* The task for one call, its message ready to send; NULL when the task already returned. */
static GTask *
start_call (BatonWhatsappGraph  *self,
            const char          *method,
            const char          *url,
            const char          *access_token,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *authorization = NULL;
  Call *call = g_new0 (Call, 1);
  SoupMessageHeaders *headers = NULL;

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
  if (url == NULL
      || !(g_str_has_prefix (url, "https://") || g_str_has_prefix (url, "http://"))
      || (call->msg = soup_message_new (method, url)) == NULL)
    {
      return_reply (task, reply_new (BATON_GRAPH_PERMANENT, 0, "The address is not a valid "
                                     "http(s) URL"));
      return NULL;
    }
  call->what = describe (method, soup_message_get_uri (call->msg));
  if (!is_valid_token (access_token))
    {
      return_reply (task, reply_new (BATON_GRAPH_PAUSE, 0, "The access token is missing or "
                                     "malformed"));
      return NULL;
    }
  /* Graph never redirects; a redirect must not carry the token to another host. */
  soup_message_add_flags (call->msg, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (call->msg);
  authorization = g_strconcat ("Bearer ", access_token, NULL);
  soup_message_headers_replace (headers, "Authorization", authorization);
  call->cancellable = g_cancellable_new ();
  if (cancellable)
    {
      call->caller_cancellable = g_object_ref (cancellable);
      call->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cancel_call),
                                                  g_object_ref (call->cancellable),
                                                  g_object_unref);
    }
  return g_steal_pointer (&task);
}

static void
json_call_sent_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (bytes == NULL)
    return_reply (task, reply_from_error (call, error));
  else
    return_reply (task, reply_from_answer (call, bytes, TRUE));
}

static void
send_json_call (BatonWhatsappGraph *self,
                GTask              *task)
{
  Call *call = g_task_get_task_data (task);

  soup_message_headers_replace (soup_message_get_request_headers (call->msg), "Accept",
                                "application/json");
  soup_session_send_and_read_async (self->session, call->msg, G_PRIORITY_DEFAULT,
                                    call->cancellable, json_call_sent_cb, task);
}

void
baton_whatsapp_graph_post_async (BatonWhatsappGraph  *self,
                                 const char          *base_url,
                                 const char          *access_token,
                                 const char          *path,
                                 JsonNode            *body,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autofree char *url = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GTask *task = NULL;
  Call *call = NULL;
  gsize length = 0;

  g_return_if_fail (BATON_IS_WHATSAPP_GRAPH (self));
  g_return_if_fail (base_url != NULL);
  g_return_if_fail (path != NULL);
  g_return_if_fail (body != NULL);

  url = join_url (base_url, path);
  task = start_call (self, SOUP_METHOD_POST, url, access_token,
                     baton_whatsapp_graph_post_async, cancellable, callback, user_data);
  if (task == NULL)
    return;
  call = g_task_get_task_data (task);
  json = baton_json_to_string (body);
  length = strlen (json);
  bytes = g_bytes_new_take (g_steal_pointer (&json), length);
  soup_message_set_request_body_from_bytes (call->msg, "application/json", bytes);
  send_json_call (self, task);
}

void
baton_whatsapp_graph_upload_async (BatonWhatsappGraph  *self,
                                   const char          *base_url,
                                   const char          *access_token,
                                   const char          *phone_number_id,
                                   const char          *mime_type,
                                   const char          *filename,
                                   GBytes              *bytes,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;
  g_autoptr(SoupMultipart) multipart = NULL;
  g_autoptr(GBytes) body = NULL;
  GTask *task = NULL;
  Call *call = NULL;

  g_return_if_fail (BATON_IS_WHATSAPP_GRAPH (self));
  g_return_if_fail (base_url != NULL && phone_number_id != NULL);
  g_return_if_fail (mime_type != NULL && filename != NULL && bytes != NULL);

  path = g_strdup_printf ("%s/media", phone_number_id);
  url = join_url (base_url, path);
  task = start_call (self, SOUP_METHOD_POST, url, access_token,
                     baton_whatsapp_graph_upload_async, cancellable, callback, user_data);
  if (task == NULL)
    return;
  call = g_task_get_task_data (task);
  /* REFERENCE.md §3: the file, its type and the product, as a form */
  multipart = soup_multipart_new (SOUP_FORM_MIME_TYPE_MULTIPART);
  soup_multipart_append_form_string (multipart, "messaging_product", "whatsapp");
  soup_multipart_append_form_string (multipart, "type", mime_type);
  soup_multipart_append_form_file (multipart, "file", filename, mime_type, bytes);
  soup_multipart_to_message (multipart, soup_message_get_request_headers (call->msg), &body);
  soup_message_set_request_body_from_bytes (call->msg, NULL, body);
  send_json_call (self, task);
}

void
baton_whatsapp_graph_get_async (BatonWhatsappGraph  *self,
                                const char          *base_url,
                                const char          *access_token,
                                const char          *path_and_query,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autofree char *url = NULL;
  GTask *task = NULL;

  g_return_if_fail (BATON_IS_WHATSAPP_GRAPH (self));
  g_return_if_fail (base_url != NULL);
  g_return_if_fail (path_and_query != NULL);

  url = join_url (base_url, path_and_query);
  task = start_call (self, SOUP_METHOD_GET, url, access_token,
                     baton_whatsapp_graph_get_async, cancellable, callback, user_data);
  if (task != NULL)
    send_json_call (self, task);
}

/* ---- downloads ---- */

static void read_next_chunk (GTask *task);

static void
finish_download (GTask *task)
{
  Call *call = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = g_byte_array_free_to_bytes (g_steal_pointer (&call->buffer));
  BatonGraphReply *reply = NULL;
  const char *content_type = NULL;

  if (call->reading_error)
    {
      return_reply (task, reply_from_answer (call, bytes, TRUE));
      return;
    }
  reply = reply_from_answer (call, bytes, FALSE);
  content_type = soup_message_headers_get_one (soup_message_get_response_headers (call->msg),
                                               "Content-Type");
  if (content_type && g_str_is_ascii (content_type))
    reply->content_type = g_strstrip (g_strdup (content_type));
  reply->bytes = g_steal_pointer (&bytes);
  return_reply (task, reply);
}

static void
fail_too_large (GTask *task)
{
  Call *call = g_task_get_task_data (task);
  g_autofree char *message = g_strdup_printf ("The media is larger than %" G_GSIZE_FORMAT
                                              " bytes", call->limit);

  g_message ("%s: %s", call->what, message);
  return_reply (task, reply_new (BATON_GRAPH_PERMANENT, soup_message_get_status (call->msg),
                                 message));
}

static void
chunk_read_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = NULL;
  BatonGraphReply *reply = NULL;
  gsize length = 0;
  const guint8 *data = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (chunk == NULL)
    {
      /* the answer broke off: as if none came, but say what the status was */
      reply = reply_from_error (call, error);
      reply->http_status = soup_message_get_status (call->msg);
      return_reply (task, reply);
      return;
    }
  data = g_bytes_get_data (chunk, &length);
  if (length == 0)
    {
      finish_download (task);
      return;
    }
  if (call->buffer->len + length > call->limit)
    {
      if (!call->reading_error)
        {
          fail_too_large (task);
          return;
        }
      /* an oversized error answer: what fits is enough to read a Graph error */
      g_byte_array_append (call->buffer, data, (guint) (call->limit - call->buffer->len));
      finish_download (task);
      return;
    }
  g_byte_array_append (call->buffer, data, (guint) length);
  read_next_chunk (g_steal_pointer (&task));
}

static void
read_next_chunk (GTask *task)
{
  Call *call = g_task_get_task_data (task);

  /* always a whole chunk: libsoup's chunked decoder cannot read into a buffer of a byte or
   * two, and what comes past the limit is dropped anyway */
  g_input_stream_read_bytes_async (call->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   call->cancellable, chunk_read_cb, task);
}

static void
download_sent_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers = NULL;
  guint status = 0;

  call->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (call->stream == NULL)
    {
      return_reply (task, reply_from_error (call, error));
      return;
    }
  status = soup_message_get_status (call->msg);
  headers = soup_message_get_response_headers (call->msg);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      call->reading_error = TRUE;
      call->limit = ERROR_BODY_MAX;
    }
  else if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
           && soup_message_headers_get_content_length (headers) > (goffset) call->limit)
    {
      fail_too_large (task);
      return;
    }
  call->buffer = g_byte_array_new ();
  read_next_chunk (g_steal_pointer (&task));
}

void
baton_whatsapp_graph_download_async (BatonWhatsappGraph  *self,
                                     const char          *url,
                                     const char          *access_token,
                                     gsize                max_bytes,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task = NULL;
  Call *call = NULL;

  g_return_if_fail (BATON_IS_WHATSAPP_GRAPH (self));

  task = start_call (self, SOUP_METHOD_GET, url, access_token,
                     baton_whatsapp_graph_download_async, cancellable, callback, user_data);
  if (task == NULL)
    return;
  call = g_task_get_task_data (task);
  call->limit = MIN (max_bytes, (gsize) G_MAXUINT - READ_CHUNK);
  soup_session_send_async (self->session, call->msg, G_PRIORITY_DEFAULT,
                           call->cancellable, download_sent_cb, task);
}

BatonGraphReply *
baton_whatsapp_graph_finish (BatonWhatsappGraph *self,
                             GAsyncResult       *result)
{
  BatonGraphReply *reply = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  reply = g_task_propagate_pointer (G_TASK (result), NULL);
  /* a task returns a reply on every path; this keeps the promise if one ever does not */
  if (reply == NULL)
    reply = reply_new (BATON_GRAPH_RETRY, 0, "The request did not finish");
  return reply;
}

/* ---- request bodies (the message bodies are in baton-whatsapp-payload.c) ---- */

JsonNode *
baton_whatsapp_read_payload (const char *wamid,
                             gboolean    typing)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (wamid != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "messaging_product");
  json_builder_add_string_value (builder, "whatsapp");
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "read");
  json_builder_set_member_name (builder, "message_id");
  json_builder_add_string_value (builder, wamid);
  if (typing)
    {
      json_builder_set_member_name (builder, "typing_indicator");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "text");
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

char *
baton_whatsapp_sent_wamid (JsonNode *body)
{
  JsonObject *root = NULL;
  JsonNode *messages = NULL;
  JsonArray *array = NULL;
  JsonNode *first = NULL;
  const char *wamid = NULL;

  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
    return NULL;
  root = json_node_get_object (body);
  if (!json_object_has_member (root, "messages"))
    return NULL;
  messages = json_object_get_member (root, "messages");
  if (!JSON_NODE_HOLDS_ARRAY (messages))
    return NULL;
  array = json_node_get_array (messages);
  if (json_array_get_length (array) == 0)
    return NULL;
  first = json_array_get_element (array, 0);
  if (!JSON_NODE_HOLDS_OBJECT (first))
    return NULL;
  wamid = baton_json_peek_string (json_node_get_object (first), "id");
  if (wamid == NULL || *wamid == '\0' || !g_utf8_validate (wamid, -1, NULL))
    return NULL;
  return g_strdup (wamid);
}

/* ---- the object ---- */

static void
baton_whatsapp_graph_constructed (GObject *object)
{
  BatonWhatsappGraph *self = BATON_WHATSAPP_GRAPH (object);

  G_OBJECT_CLASS (baton_whatsapp_graph_parent_class)->constructed (object);

  self->session = soup_session_new_with_options ("timeout", self->timeout,
                                                 "max-conns", MAX_CONNS,
                                                 "max-conns-per-host", MAX_CONNS_PER_HOST,
                                                 "user-agent", "batond/" PACKAGE_VERSION,
                                                 NULL);
}

static void
baton_whatsapp_graph_dispose (GObject *object)
{
  BatonWhatsappGraph *self = BATON_WHATSAPP_GRAPH (object);

  if (self->session)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (baton_whatsapp_graph_parent_class)->dispose (object);
}

static void
baton_whatsapp_graph_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  BatonWhatsappGraph *self = BATON_WHATSAPP_GRAPH (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
baton_whatsapp_graph_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  BatonWhatsappGraph *self = BATON_WHATSAPP_GRAPH (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      self->timeout = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
baton_whatsapp_graph_class_init (BatonWhatsappGraphClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = baton_whatsapp_graph_constructed;
  object_class->dispose = baton_whatsapp_graph_dispose;
  object_class->get_property = baton_whatsapp_graph_get_property;
  object_class->set_property = baton_whatsapp_graph_set_property;

  /* seconds of silence before a call gives up (and counts as BATON_GRAPH_RETRY) */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 1, 600, DEFAULT_TIMEOUT_S,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
baton_whatsapp_graph_init (BatonWhatsappGraph *self)
{
  self->timeout = DEFAULT_TIMEOUT_S;
}

BatonWhatsappGraph *
baton_whatsapp_graph_new (void)
{
  return g_object_new (BATON_TYPE_WHATSAPP_GRAPH, NULL);
}
