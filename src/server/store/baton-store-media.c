/* baton-store-media.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-store-media"

#include "config.h"

#include "baton-store-media.h"

void
baton_media_free (BatonMedia *media)
{
  g_free (media->id);
  g_free (media->channel_id);
  g_free (media->media_id);
  g_free (media->mime_type);
  g_free (media->sha256);
  g_free (media->filename);
  g_free (media->file);
  g_free (media);
}

gboolean
baton_store_media_insert (BatonStore  *store,
                          const char  *id,
                          const char  *channel_id,
                          const char  *media_id,
                          const char  *mime_type,
                          const char  *sha256,
                          const char  *filename,
                          gint64       created_at,
                          GError     **error)
{
  return baton_store_exec (store, error,
                           "INSERT INTO media (id, channel_id, media_id, mime_type, sha256,"
                           " filename, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", "ssssssi",
                           id, channel_id, media_id, mime_type, sha256, filename,
                           created_at) >= 0;
}

BatonMedia *
baton_store_media_get (BatonStore  *store,
                       const char  *id,
                       GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT channel_id, media_id, mime_type,"
                                                 " sha256, filename, file FROM media"
                                                 " WHERE id = ?", "s", id);
  BatonMedia *media = NULL;

  if (rows == NULL || baton_rows_count (rows) == 0)
    return NULL;
  media = g_new0 (BatonMedia, 1);
  media->id = g_strdup (id);
  media->channel_id = baton_rows_dup_text (rows, 0, 0);
  media->media_id = baton_rows_dup_text (rows, 0, 1);
  media->mime_type = baton_rows_dup_text (rows, 0, 2);
  media->sha256 = baton_rows_dup_text (rows, 0, 3);
  media->filename = baton_rows_dup_text (rows, 0, 4);
  media->file = baton_rows_dup_text (rows, 0, 5);
  return media;
}

gboolean
baton_store_media_set_file (BatonStore  *store,
                            const char  *id,
                            const char  *file,
                            gint64       size,
                            const char  *mime_type,
                            GError     **error)
{
  return baton_store_exec (store, error,
                           "UPDATE media SET file = ?, size = ?, mime_type = ? WHERE id = ?",
                           "siss", file, size, mime_type, id) >= 0;
}
