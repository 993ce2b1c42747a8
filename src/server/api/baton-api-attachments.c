/* baton-api-attachments.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-api-attachments"

#include "config.h"

#include <string.h>

#include "baton-api.h"
#include "baton-whatsapp.h"

/* Attachments: an agent's uploads to send, and the media of a thread (uploads sent, or a
 * customer's media fetched from WhatsApp). */

#define MAX_FILENAME_CHARS 255

/* a name to show and to give WhatsApp, never a path */
static gboolean
is_filename (const char *name)
{
  glong length;

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    return FALSE;
  length = g_utf8_strlen (name, -1);
  if (length < 1 || length > MAX_FILENAME_CHARS || strpbrk (name, "/\\") != NULL)
    return FALSE;
  for (const char *p = name; *p; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

void
baton_api_upload_attachment (BatonRequest *request)
{
  SoupMessageHeaders *headers = request->headers;
  g_autoptr(GBytes) bytes = baton_request_raw_body (request);
  const char *filename = baton_request_query (request, "filename");
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  g_autoptr(BatonUpload) upload = NULL;
  g_autoptr(GError) error = NULL;

  if (content_type == NULL)
    baton_request_fail (request, BATON_ERROR_BAD_REQUEST,
                        "Content-Type must be the file's media type, such as image/png");
  else if (!is_filename (filename))
    baton_request_fail (request, BATON_ERROR_BAD_REQUEST,
                        "filename must be the file's name: 1 to %d characters, without "
                        "slashes or control characters", MAX_FILENAME_CHARS);
  else if (g_bytes_get_size (bytes) == 0)
    baton_request_fail (request, BATON_ERROR_BAD_REQUEST,
                        "The request body is empty: it must be the file's bytes");
  else if (g_bytes_get_size (bytes) > request->body_limit)
    baton_request_fail (request, BATON_ERROR_PAYLOAD_TOO_LARGE,
                        "The request body is larger than %" G_GSIZE_FORMAT " bytes",
                        request->body_limit);
  else if ((upload = baton_workspace_add_upload (request->workspace,
                                                 baton_whatsapp_get_media_dir (request->whatsapp),
                                                 request->agent, filename, content_type, bytes,
                                                 &error)) == NULL)
    baton_request_reply_error (request, error);
  else
    baton_request_reply (request, 201, baton_upload_to_json (upload));
}

/* The bytes of an attachment, with their type and, when the file has one, its name. */
static void
reply_media (BatonRequest *request,
             GBytes       *bytes,
             const char   *content_type,
             const char   *filename)
{
  SoupMessageHeaders *headers = baton_request_response_headers (request);

  soup_message_headers_replace (headers, "Cache-Control", "private, max-age=86400");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  if (filename && *filename)
    {
      g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);

      /* libsoup encodes the name (RFC 5987); the client never uses it as a path */
      g_hash_table_insert (params, "filename", (gpointer) filename);
      soup_message_headers_set_content_disposition (headers, "attachment", params);
    }
  baton_request_respond (request, 200, content_type, bytes);
}

static void
media_fetched_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  BatonDeferred *deferred = user_data;
  BatonRequest *request = baton_deferred_request (deferred);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *filename = NULL;

  bytes = baton_whatsapp_fetch_media_finish (BATON_WHATSAPP (source), result, &content_type,
                                             &filename, &error);
  if (bytes == NULL)
    baton_request_reply_error (request, error);
  else
    reply_media (request, bytes, content_type, filename);
  baton_deferred_finish (deferred);
}

/* An agent's upload is served from the media folder; anything else is a customer's media. */
void
baton_api_get_attachment (BatonRequest *request)
{
  const char *id = baton_request_param (request, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonUpload) upload = baton_workspace_get_upload (request->workspace, id,
                                                              request->agent, &error);
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize length = 0;

  if (upload == NULL)
    {
      if (!g_error_matches (error, BATON_ERROR, BATON_ERROR_NOT_FOUND))
        baton_request_reply_error (request, error);
      else
        baton_whatsapp_fetch_media_async (request->whatsapp, id, NULL, media_fetched_cb,
                                          baton_request_defer (request));
      return;
    }
  path = g_build_filename (baton_whatsapp_get_media_dir (request->whatsapp), upload->file,
                           NULL);
  if (!g_file_get_contents (path, &data, &length, NULL))
    {
      g_warning ("Upload %s is missing its file", id);
      baton_request_fail (request, BATON_ERROR_NOT_FOUND, "The file of %s is gone", id);
      return;
    }
  bytes = g_bytes_new_take (g_steal_pointer (&data), length);
  reply_media (request, bytes, upload->mime_type, upload->filename);
}
