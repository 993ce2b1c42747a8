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
  SoupMessageBody *body = soup_server_message_get_request_body (request->msg);

  return soup_message_body_flatten (body);
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
  return soup_message_headers_get_one (soup_server_message_get_request_headers (request->msg),
                                       name);
}

const char *
baton_request_address (BatonRequest *request)
{
  const char *address = request->address ? request->address
                                          : soup_server_message_get_remote_host (request->msg);

  return address ? address : "";
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

  soup_server_message_set_status (request->msg, status, NULL);
  soup_server_message_set_response (request->msg, "application/json", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

void
baton_request_reply_empty (BatonRequest *request,
                           guint         status)
{
  soup_server_message_set_status (request->msg, status, NULL);
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
  /* whether its change was synced or needs no sync */
  gboolean settled;
};

BatonDeferred *
baton_request_defer (BatonRequest *request)
{
  BatonDeferred *deferred = g_new0 (BatonDeferred, 1);

  deferred->request.workspace = g_object_ref (request->workspace);
  deferred->request.whatsapp = request->whatsapp ? g_object_ref (request->whatsapp) : NULL;
  deferred->request.msg = g_object_ref (request->msg);
  deferred->request.in_flight = request->in_flight;
  deferred->request.body_limit = request->body_limit;
  deferred->request.address = g_strdup (request->address);
  (*request->in_flight)++;
  request->deferred = TRUE;
  soup_server_message_pause (request->msg);
  return deferred;
}

BatonRequest *
baton_deferred_request (BatonDeferred *deferred)
{
  return &deferred->request;
}

/* Whether the answer acknowledges a change, which must then be durable first. */
static gboolean
acknowledges_change (SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);
  guint status = soup_server_message_get_status (msg);

  return status >= 200 && status < 400
         && !g_str_equal (method, "GET") && !g_str_equal (method, "HEAD");
}

static void
synced_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  BatonDeferred *deferred = user_data;
  g_autoptr(GError) error = NULL;

  /* What the answer said may be lost: the client must not take it as done. The error
   * replaces that answer (setting a response appends to the body). */
  if (!baton_store_sync_finish (BATON_STORE (source), result, &error))
    {
      soup_message_body_truncate (soup_server_message_get_response_body (deferred->request.msg));
      baton_request_reply_error (&deferred->request, error);
    }
  baton_deferred_finish (deferred);
}

void
baton_request_settle (BatonRequest *request)
{
  if (request->deferred || !acknowledges_change (request->msg))
    return;
  baton_deferred_finish (baton_request_defer (request));
}

void
baton_deferred_finish (BatonDeferred *deferred)
{
  if (!deferred->settled)
    {
      deferred->settled = TRUE;
      if (acknowledges_change (deferred->request.msg))
        {
          baton_store_sync_async (baton_workspace_get_store (deferred->request.workspace),
                                  synced_cb, deferred);
          return;
        }
    }
  soup_server_message_unpause (deferred->request.msg);
  (*deferred->request.in_flight)--;
  g_object_unref (deferred->request.msg);
  g_object_unref (deferred->request.workspace);
  g_clear_object (&deferred->request.whatsapp);
  g_free (deferred->request.address);
  g_free (deferred);
}
