/* baton-request.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-request"

#include "config.h"

#include "baton-error.h"
#include "baton-json.h"
#include "baton-request.h"

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
baton_request_read_limit (BatonRequest *request,
                          guint        *limit)
{
  const char *text = baton_request_query (request, "limit");
  guint64 value = 0;

  *limit = 50;
  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, 1, 500, &value, NULL))
    {
      baton_request_fail (request, BATON_ERROR_BAD_REQUEST,
                          "limit must be a whole number from 1 to 500");
      return FALSE;
    }
  *limit = (guint) value;
  return TRUE;
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
  soup_server_message_pause (request->msg);
  return deferred;
}

BatonRequest *
baton_deferred_request (BatonDeferred *deferred)
{
  return &deferred->request;
}

void
baton_deferred_finish (BatonDeferred *deferred)
{
  soup_server_message_unpause (deferred->request.msg);
  (*deferred->request.in_flight)--;
  g_object_unref (deferred->request.msg);
  g_object_unref (deferred->request.workspace);
  g_clear_object (&deferred->request.whatsapp);
  g_free (deferred->request.address);
  g_free (deferred);
}
