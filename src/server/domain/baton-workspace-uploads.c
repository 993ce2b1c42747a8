/* baton-workspace-uploads.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-workspace"

#include "config.h"

#include <glib/gstdio.h>

#include "baton-error.h"
#include "baton-id.h"
#include "baton-json.h"
#include "baton-store-uploads.h"
#include "baton-time.h"
#include "baton-workspace-private.h"

/* Files agents upload to send with a reply: checked against what WhatsApp can send, kept in
 * the media folder, owned by their agent until a reply carries them. */

/* WhatsApp's media types and limits (bytes), by the kind a file is sent as */
static const struct {
  const char *mime_type;
  const char *kind;
  gint64 max_size;
} sendable[] = {
  { "image/jpeg", "image", 5000000 },
  { "image/png", "image", 5000000 },
  { "video/mp4", "video", 16000000 },
  { "video/3gpp", "video", 16000000 },
  { "audio/aac", "audio", 16000000 },
  { "audio/amr", "audio", 16000000 },
  { "audio/mpeg", "audio", 16000000 },
  { "audio/mp4", "audio", 16000000 },
  { "audio/ogg", "audio", 16000000 },
  { "text/plain", "document", 100000000 },
  { "application/pdf", "document", 100000000 },
  { "application/msword", "document", 100000000 },
  { "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "document",
    100000000 },
  { "application/vnd.ms-excel", "document", 100000000 },
  { "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "document",
    100000000 },
  { "application/vnd.ms-powerpoint", "document", 100000000 },
  { "application/vnd.openxmlformats-officedocument.presentationml.presentation", "document",
    100000000 },
};

const char *
baton_upload_kind (const char *mime_type,
                   gint64     *max_size)
{
  for (guint i = 0; mime_type && i < G_N_ELEMENTS (sendable); i++)
    if (g_ascii_strcasecmp (mime_type, sendable[i].mime_type) == 0)
      {
        if (max_size)
          *max_size = sendable[i].max_size;
        return sendable[i].kind;
      }
  return NULL;
}

/* the upload as a message's attachment; an unused one also says when it expires */
static void
add_upload (JsonBuilder       *builder,
            const BatonUpload *upload,
            gboolean           unused)
{
  g_autofree char *url = g_strdup_printf ("/api/v1/attachments/%s", upload->id);
  g_autofree char *expires_at = NULL;

  json_builder_begin_object (builder);
  baton_json_add_nullable_string (builder, "id", upload->id);
  baton_json_add_nullable_string (builder, "kind", baton_upload_kind (upload->mime_type, NULL));
  baton_json_add_nullable_string (builder, "mime_type", upload->mime_type);
  baton_json_add_nullable_string (builder, "filename", upload->filename);
  baton_json_add_nullable_string (builder, "caption", NULL);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, upload->size);
  baton_json_add_nullable_string (builder, "url", url);
  json_builder_set_member_name (builder, "data");
  json_builder_add_null_value (builder);
  if (unused)
    {
      expires_at = baton_time_format (upload->created_at + BATON_UPLOAD_LIFETIME_MS);
      baton_json_add_nullable_string (builder, "expires_at", expires_at);
    }
  json_builder_end_object (builder);
}

JsonNode *
baton_upload_to_json (const BatonUpload *upload)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  add_upload (builder, upload, upload->message_id == NULL);
  return json_builder_get_root (builder);
}

/* Unused uploads past their lifetime go, with their files. */
static void
expire_uploads (BatonWorkspace *self,
                const char     *media_dir)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) files = NULL;

  files = baton_store_uploads_expire (baton_workspace_get_store (self),
                                      baton_workspace_now (self) - BATON_UPLOAD_LIFETIME_MS,
                                      &error);
  if (files == NULL)
    {
      g_warning ("Expired uploads not deleted: %s", error->message);
      return;
    }
  for (guint i = 0; files[i]; i++)
    {
      g_autofree char *path = g_build_filename (media_dir, files[i], NULL);

      if (g_unlink (path) != 0)
        g_message ("Expired upload %s not removed", files[i]);
    }
}

BatonUpload *
baton_workspace_add_upload (BatonWorkspace  *self,
                            const char      *media_dir,
                            BatonAgent      *actor,
                            const char      *filename,
                            const char      *mime_type,
                            GBytes          *bytes,
                            GError         **error)
{
  g_autoptr(BatonUpload) upload = g_new0 (BatonUpload, 1);
  g_autofree char *path = NULL;
  gint64 max_size = 0;
  gsize size = g_bytes_get_size (bytes);

  if (baton_upload_kind (mime_type, &max_size) == NULL)
    {
      g_set_error (error, BATON_ERROR, BATON_ERROR_UNSUPPORTED_MEDIA_TYPE,
                   "WhatsApp cannot send files of type %s", mime_type);
      return NULL;
    }
  if ((gint64) size > max_size)
    {
      g_set_error (error, BATON_ERROR, BATON_ERROR_PAYLOAD_TOO_LARGE,
                   "WhatsApp sends files of type %s up to %" G_GINT64_FORMAT " bytes",
                   mime_type, max_size);
      return NULL;
    }
  expire_uploads (self, media_dir);
  upload->created_at = baton_workspace_now (self);
  upload->id = baton_id_new ("att", upload->created_at);
  upload->agent_id = g_strdup (actor->id);
  upload->filename = g_strdup (filename);
  upload->mime_type = g_ascii_strdown (mime_type, -1);
  upload->size = (gint64) size;
  upload->file = g_strdup_printf ("%s.upload", upload->id);
  path = g_build_filename (media_dir, upload->file, NULL);
  if (g_mkdir_with_parents (media_dir, 0700) != 0
      || !g_file_set_contents_full (path, g_bytes_get_data (bytes, NULL), (gssize) size,
                                    G_FILE_SET_CONTENTS_CONSISTENT
                                    | G_FILE_SET_CONTENTS_DURABLE, 0600, error))
    {
      g_prefix_error (error, "The file could not be stored: ");
      if (error && *error == NULL)
        g_set_error (error, BATON_ERROR, BATON_ERROR_INTERNAL, "The media folder is unusable");
      return NULL;
    }
  if (!baton_store_uploads_insert (baton_workspace_get_store (self), upload, error))
    {
      g_unlink (path);
      return NULL;
    }
  return g_steal_pointer (&upload);
}

BatonUpload *
baton_workspace_get_upload (BatonWorkspace  *self,
                            const char      *id,
                            BatonAgent      *viewer,
                            GError         **error)
{
  GError *local_error = NULL;
  g_autoptr(BatonUpload) upload = baton_store_uploads_get (baton_workspace_get_store (self), id,
                                                           &local_error);

  if (local_error)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  /* an upload not sent yet is its agent's only */
  if (upload && upload->message_id == NULL && g_strcmp0 (upload->agent_id, viewer->id) != 0)
    g_clear_pointer (&upload, baton_upload_free);
  if (upload == NULL)
    g_set_error (error, BATON_ERROR, BATON_ERROR_NOT_FOUND, "No attachment %s", id);
  return g_steal_pointer (&upload);
}

/* The attachments of a reply: each id the caller's upload, not sent yet, named once. */
JsonNode *
baton_workspace_reply_attachments (BatonWorkspace      *self,
                                   BatonAgent          *actor,
                                   const char * const  *ids,
                                   GError             **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  GError *local_error = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; ids[i]; i++)
    {
      g_autoptr(BatonUpload) upload = baton_store_uploads_get (baton_workspace_get_store (self),
                                                               ids[i], &local_error);
      g_autofree char *field = g_strdup_printf ("attachment_ids[%u]", i);
      gboolean repeated = FALSE;

      for (guint j = 0; j < i; j++)
        repeated = repeated || g_str_equal (ids[j], ids[i]);
      if (local_error)
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
      if (upload == NULL || g_strcmp0 (upload->agent_id, actor->id) != 0)
        baton_set_field_error (error, field, "No upload %s of yours", ids[i]);
      else if (upload->message_id)
        baton_set_field_error (error, field, "Upload %s is already sent with a message",
                               ids[i]);
      else if (repeated)
        baton_set_field_error (error, field, "Upload %s is named twice", ids[i]);
      else
        {
          add_upload (builder, upload, FALSE);
          continue;
        }
      return NULL;
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

/* The uploads of attachments (a reply's, as built above) now belong to message_id; one another
 * request sent meanwhile is refused as already sent. */
gboolean
baton_workspace_use_uploads (BatonWorkspace  *self,
                             JsonNode        *attachments,
                             const char      *message_id,
                             GError         **error)
{
  JsonArray *items = json_node_get_array (attachments);

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      const char *id = baton_json_get_string (json_array_get_object_element (items, i), "id");
      GError *local_error = NULL;

      if (baton_store_uploads_use (baton_workspace_get_store (self), id, message_id,
                                   &local_error))
        continue;
      if (local_error)
        g_propagate_error (error, local_error);
      else
        baton_set_field_error (error, "attachment_ids", "Upload %s is already sent with a "
                               "message", id);
      return FALSE;
    }
  return TRUE;
}
