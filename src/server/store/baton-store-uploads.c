/* baton-store-uploads.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-store-uploads"

#include "config.h"

#include "baton-store-uploads.h"

void
baton_upload_free (BatonUpload *upload)
{
  g_free (upload->id);
  g_free (upload->agent_id);
  g_free (upload->filename);
  g_free (upload->mime_type);
  g_free (upload->file);
  g_free (upload->message_id);
  g_free (upload);
}

gboolean
baton_store_uploads_insert (BatonStore         *store,
                            const BatonUpload  *upload,
                            GError            **error)
{
  return baton_store_exec (store, error,
                           "INSERT INTO uploads (id, agent_id, filename, mime_type, size, file,"
                           " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", "ssssisi",
                           upload->id, upload->agent_id, upload->filename, upload->mime_type,
                           upload->size, upload->file, upload->created_at) >= 0;
}

BatonUpload *
baton_store_uploads_get (BatonStore  *store,
                         const char  *id,
                         GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT agent_id, filename, mime_type, size,"
                                                 " file, message_id, created_at FROM uploads"
                                                 " WHERE id = ?", "s", id);
  BatonUpload *upload = NULL;

  if (rows == NULL || baton_rows_count (rows) == 0)
    return NULL;
  upload = g_new0 (BatonUpload, 1);
  upload->id = g_strdup (id);
  upload->agent_id = baton_rows_dup_text (rows, 0, 0);
  upload->filename = baton_rows_dup_text (rows, 0, 1);
  upload->mime_type = baton_rows_dup_text (rows, 0, 2);
  upload->size = baton_rows_int (rows, 0, 3);
  upload->file = baton_rows_dup_text (rows, 0, 4);
  upload->message_id = baton_rows_dup_text (rows, 0, 5);
  upload->created_at = baton_rows_int (rows, 0, 6);
  return upload;
}

gboolean
baton_store_uploads_use (BatonStore  *store,
                         const char  *id,
                         const char  *message_id,
                         GError     **error)
{
  return baton_store_exec (store, error,
                           "UPDATE uploads SET message_id = ? WHERE id = ?"
                           " AND message_id IS NULL", "ss", message_id, id) > 0;
}

GStrv
baton_store_uploads_expire (BatonStore  *store,
                            gint64       before,
                            GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "DELETE FROM uploads WHERE message_id IS NULL"
                                                 " AND created_at < ? RETURNING file", "i",
                                                 before);

  return rows ? baton_rows_column_strv (rows, 0) : NULL;
}
