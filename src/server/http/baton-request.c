/* baton-request.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-request"

#include "config.h"

#include <string.h>

#include "baton-error.h"
#include "baton-json.h"
#include "baton-request.h"
#include "baton-store.h"

const char *
baton_request_param (BatonRequest *request,
                     guint         index)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (request->params), NULL);

  return request->params[index];
}

const char *
baton_request_query (BatonRequest *request,
                     const char   *name)
{
  return request->query ? g_hash_table_lookup (request->query, name) : NULL;
}

GBytes *
baton_request_raw_body (BatonRequest *request)
{
  return g_bytes_ref (request->raw_body);
}

/* The body as a JSON object; on failure it has already answered 400 or 413. */
JsonObject *
baton_request_body (BatonRequest *request)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  const char *data = NULL;

  if (request->body)
    return request->body;
  bytes = baton_request_raw_body (request);
  data = g_bytes_get_data (bytes, &length);
  if (length > request->body_limit)
    {
      baton_request_fail (request, BATON_ERROR_PAYLOAD_TOO_LARGE,
                          "The request body is larger than %" G_GSIZE_FORMAT " bytes",
                          request->body_limit);
      return NULL;
    }
  request->body = baton_json_parse_object (data, length, &error);
  if (request->body == NULL)
    baton_request_reply_error (request, error);
  return request->body;
}

const char *
baton_request_header (BatonRequest *request,
                      const char   *name)
{
  return soup_message_headers_get_one (request->headers, name);
}

const char *
baton_request_address (BatonRequest *request)
{
  return request->address ? request->address : "";
}

const char *
baton_request_bearer_token (SoupMessageHeaders *headers)
{
  const char *header = soup_message_headers_get_one (headers, "Authorization");

  if (header == NULL || g_ascii_strncasecmp (header, "Bearer ", 7) != 0)
    return NULL;
  header += 7;
  while (*header == ' ')
    header++;
  return header;
}

gboolean
baton_request_is_manager (BatonRequest *request)
{
  return request->agent && request->agent->role == BATON_ROLE_MANAGER;
}

gboolean
baton_request_require_manager (BatonRequest *request)
{
  if (baton_request_is_manager (request))
    return TRUE;
  baton_request_fail (request, BATON_ERROR_FORBIDDEN, "Only a manager may do this");
  return FALSE;
}

/* ?limit=: 50 by default, 1 to 500. */
gboolean
baton_query_read_limit (GHashTable  *query,
                        guint       *limit,
                        GError     **error)
{
  const char *text = query ? g_hash_table_lookup (query, "limit") : NULL;
  guint64 value = 0;

  *limit = 50;
  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, 1, 500, &value, NULL))
    {
      g_set_error_literal (error, BATON_ERROR, BATON_ERROR_BAD_REQUEST,
                           "limit must be a whole number from 1 to 500");
      return FALSE;
    }
  *limit = (guint) value;
  return TRUE;
}

/* ?cursor= of a list paged by offset: a whole number, 0 without one. */
gboolean
baton_query_read_offset (GHashTable  *query,
                         guint64     *offset,
                         GError     **error)
{
  const char *cursor = query ? g_hash_table_lookup (query, "cursor") : NULL;

  *offset = 0;
  if (cursor && !g_ascii_string_to_unsigned (cursor, 10, 0, G_MAXINT32, offset, NULL))
    {
      *offset = 0;
      g_set_error_literal (error, BATON_ERROR, BATON_ERROR_BAD_REQUEST, "Unknown cursor");
      return FALSE;
    }
  return TRUE;
}

/* ?cursor= of a list paged by sort key: "<time>.<id>", the last item shown. *id points into
 * the query; both stay unset (0, NULL) without a cursor. */
gboolean
baton_query_read_position (GHashTable  *query,
                           gint64      *at,
                           const char **id,
                           GError     **error)
{
  const char *cursor = query ? g_hash_table_lookup (query, "cursor") : NULL;
  const char *dot = cursor ? strchr (cursor, '.') : NULL;
  g_autofree char *time_part = dot ? g_strndup (cursor, dot - cursor) : NULL;

  *at = 0;
  *id = NULL;
  if (cursor == NULL)
    return TRUE;
  if (dot == NULL || !g_ascii_string_to_signed (time_part, 10, 0, G_MAXINT64, at, NULL))
    {
      *at = 0;
      g_set_error_literal (error, BATON_ERROR, BATON_ERROR_BAD_REQUEST, "Unknown cursor");
      return FALSE;
    }
  *id = dot + 1;
  return TRUE;
}

/* The query readers, answering 400 on failure. */
static gboolean
read_or_fail (BatonRequest *request,
              gboolean      read,
              GError       *error)
{
  g_autoptr(GError) owned = error;

  if (!read)
    baton_request_reply_error (request, owned);
  return read;
}

gboolean
baton_request_read_limit (BatonRequest *request,
                          guint        *limit)
{
  GError *error = NULL;
  gboolean read = baton_query_read_limit (request->query, limit, &error);

  return read_or_fail (request, read, error);
}

gboolean
baton_request_read_offset (BatonRequest *request,
                           guint64      *offset)
{
  GError *error = NULL;
  gboolean read = baton_query_read_offset (request->query, offset, &error);

  return read_or_fail (request, read, error);
}

gboolean
baton_request_read_position (BatonRequest  *request,
                             gint64        *at,
                             const char   **id)
{
  GError *error = NULL;
  gboolean read = baton_query_read_position (request->query, at, id, &error);

  return read_or_fail (request, read, error);
}

/* Takes data. */
void
baton_request_reply (BatonRequest *request,
                     guint         status,
                     JsonNode     *data)
{
  g_autoptr(JsonNode) node = data;
  g_autoptr(GBytes) bytes = baton_json_to_bytes (node);

  baton_request_respond (request, status, "application/json", bytes);
}

void
baton_request_respond (BatonRequest *request,
                       guint         status,
                       const char   *content_type,
                       GBytes       *body)
{
  request->status = status;
  g_free (request->content_type);
  request->content_type = g_strdup (content_type);
  g_clear_pointer (&request->response, g_bytes_unref);
  request->response = body ? g_bytes_ref (body) : NULL;
}

SoupMessageHeaders *
baton_request_response_headers (BatonRequest *request)
{
  if (request->response_headers == NULL)
    request->response_headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  return request->response_headers;
}

void
baton_request_reply_empty (BatonRequest *request,
                           guint         status)
{
  baton_request_respond (request, status, NULL, NULL);
}

void
baton_request_reply_error (BatonRequest *request,
                           const GError *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  BatonErrorCode code = BATON_ERROR_INTERNAL;
  const char *message = error ? error->message : "Internal error";
  const char *field = baton_error_get_field (error);
  g_autofree char *valid_message = NULL;
  g_autofree char *valid_field = NULL;

  if (error && error->domain == BATON_ERROR)
    code = error->code;
  else
    g_warning ("Internal error: %s", message);
  if (code == BATON_ERROR_INTERNAL)
    message = "Internal error";

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, baton_error_get_name (error));
  /* Messages may quote client input (an id from the path): the answer stays valid UTF-8. */
  valid_message = g_utf8_make_valid (message, -1);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, valid_message);
  if (field)
    {
      valid_field = g_utf8_make_valid (field, -1);
      json_builder_set_member_name (builder, "field");
      json_builder_add_string_value (builder, valid_field);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  baton_request_reply (request, baton_error_http_status (code), json_builder_get_root (builder));
}

void
baton_request_fail (BatonRequest   *request,
                    BatonErrorCode  code,
                    const char     *format,
                    ...)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  error = g_error_new_literal (BATON_ERROR, code, message);
  baton_request_reply_error (request, error);
}

/* Takes items (JsonNode elements). */
void
baton_request_reply_list (BatonRequest *request,
                          GPtrArray    *items,
                          const char   *next_cursor)
{
  g_autoptr(GPtrArray) owned = items;
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < owned->len; i++)
    json_builder_add_value (builder, json_node_ref (owned->pdata[i]));
  json_builder_end_array (builder);
  baton_json_add_nullable_string (builder, "next_cursor", next_cursor);
  json_builder_end_object (builder);
  baton_request_reply (request, 200, json_builder_get_root (builder));
}

struct _BatonDeferred {
  BatonRequest request;
  BatonAnsweredFunc answered;
  gpointer answered_data;
  /* whether its change was synced or needs no sync */
  gboolean settled;
};

static void
copy_header (const char         *name,
             const char         *value,
             SoupMessageHeaders *copy)
{
  soup_message_headers_append (copy, name, value);
}

BatonRequest *
baton_request_new (BatonWorkspace    *workspace,
                   BatonWhatsapp     *whatsapp,
                   SoupServerMessage *msg,
                   GHashTable        *query,
                   gsize              body_limit,
                   BatonAnsweredFunc  answered,
                   gpointer           user_data)
{
  BatonDeferred *self = g_new0 (BatonDeferred, 1);
  BatonRequest *request = &self->request;

  request->workspace = g_object_ref (workspace);
  request->whatsapp = whatsapp ? g_object_ref (whatsapp) : NULL;
  request->method = g_strdup (soup_server_message_get_method (msg));
  request->query = query ? g_hash_table_ref (query) : NULL;
  request->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_foreach (soup_server_message_get_request_headers (msg),
                                (SoupMessageHeadersForeachFunc) copy_header, request->headers);
  request->raw_body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  request->address = g_strdup (soup_server_message_get_remote_host (msg));
  request->body_limit = body_limit;
  self->answered = answered;
  self->answered_data = user_data;
  return request;
}

/* Writes the answer into msg, for libsoup to send: on the network's thread. */
void
baton_request_write_answer (BatonRequest      *request,
                            SoupServerMessage *msg)
{
  if (request->response_headers)
    soup_message_headers_foreach (request->response_headers,
                                  (SoupMessageHeadersForeachFunc) copy_header,
                                  soup_server_message_get_response_headers (msg));
  soup_server_message_set_status (msg, request->status ? request->status : 500, NULL);
  if (request->response)
    soup_server_message_set_response (msg, request->content_type, SOUP_MEMORY_COPY,
                                      g_bytes_get_data (request->response, NULL),
                                      g_bytes_get_size (request->response));
}

void
baton_request_free (BatonRequest *request)
{
  g_clear_object (&request->workspace);
  g_clear_object (&request->whatsapp);
  g_free (request->method);
  g_clear_pointer (&request->query, g_hash_table_unref);
  g_clear_pointer (&request->headers, soup_message_headers_unref);
  g_clear_pointer (&request->raw_body, g_bytes_unref);
  for (guint i = 0; i < G_N_ELEMENTS (request->params); i++)
    g_free (request->params[i]);
  g_clear_pointer (&request->agent, baton_agent_unref);
  g_free (request->token_hash);
  g_free (request->address);
  g_clear_pointer (&request->body, json_object_unref);
  g_free (request->content_type);
  g_clear_pointer (&request->response, g_bytes_unref);
  g_clear_pointer (&request->response_headers, soup_message_headers_unref);
  g_free (request);
}

BatonDeferred *
baton_request_defer (BatonRequest *request)
{
  request->deferred = TRUE;
  return (BatonDeferred *) request;
}

BatonRequest *
baton_deferred_request (BatonDeferred *deferred)
{
  return &deferred->request;
}

/* Whether the answer acknowledges a change, which must then be durable first. */
static gboolean
acknowledges_change (BatonRequest *request)
{
  return request->status >= 200 && request->status < 400
         && !g_str_equal (request->method, "GET") && !g_str_equal (request->method, "HEAD");
}

static void
synced_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  BatonDeferred *deferred = user_data;
  g_autoptr(GError) error = NULL;

  /* What the answer said may be lost: the client must not take it as done. */
  if (!baton_store_sync_finish (BATON_STORE (source), result, &error))
    baton_request_reply_error (&deferred->request, error);
  baton_deferred_finish (deferred);
}

void
baton_request_settle (BatonRequest *request)
{
  if (request->deferred)
    return;
  baton_deferred_finish (baton_request_defer (request));
}

void
baton_deferred_finish (BatonDeferred *deferred)
{
  if (!deferred->settled)
    {
      deferred->settled = TRUE;
      if (acknowledges_change (&deferred->request))
        {
          baton_store_sync_async (baton_workspace_get_store (deferred->request.workspace),
                                  synced_cb, deferred);
          return;
        }
    }
  /* made on the workspace's thread, freed there: a free on another thread's heap waits for
   * its lock */
  g_clear_pointer (&deferred->request.body, json_object_unref);
  g_clear_pointer (&deferred->request.agent, baton_agent_unref);
  deferred->answered (&deferred->request, deferred->answered_data);
}
