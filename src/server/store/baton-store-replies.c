/* baton-store-replies.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-store"

#include "config.h"

#include "baton-store-replies.h"

#define REPLY_COLUMNS "id, shortcut, title, body, owner_id, created_at, updated_at"

static BatonCannedReply *
reply_from_row (BatonRows *rows,
                guint      r)
{
  BatonCannedReply *reply = baton_canned_reply_new ();

  reply->id = baton_rows_dup_text (rows, r, 0);
  reply->shortcut = baton_rows_dup_text (rows, r, 1);
  reply->title = baton_rows_dup_text (rows, r, 2);
  reply->body = baton_rows_dup_text (rows, r, 3);
  reply->owner_id = baton_rows_dup_text (rows, r, 4);
  reply->created_at = baton_rows_int (rows, r, 5);
  reply->updated_at = baton_rows_int (rows, r, 6);
  return reply;
}

BatonCannedReply *
baton_store_replies_get (BatonStore  *store,
                         const char  *id,
                         GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT " REPLY_COLUMNS " FROM replies"
                                                 " WHERE id = ?", "s", id);

  if (rows == NULL || baton_rows_count (rows) == 0)
    return NULL;
  return reply_from_row (rows, 0);
}

GPtrArray *
baton_store_replies_list (BatonStore  *store,
                          const char  *agent_id,
                          GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT " REPLY_COLUMNS " FROM replies"
                                                 " WHERE owner_id IS NULL OR owner_id = ?"
                                                 " ORDER BY shortcut, id", "s", agent_id);
  GPtrArray *replies = NULL;

  if (rows == NULL)
    return NULL;
  replies = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_canned_reply_unref);
  for (guint r = 0; r < baton_rows_count (rows); r++)
    g_ptr_array_add (replies, reply_from_row (rows, r));
  return replies;
}

gboolean
baton_store_replies_insert (BatonStore              *store,
                            const BatonCannedReply  *reply,
                            GError                 **error)
{
  return baton_store_exec (store, error,
                           "INSERT INTO replies (" REPLY_COLUMNS ")"
                           " VALUES (?, ?, ?, ?, ?, ?, ?)", "sssssii", reply->id,
                           reply->shortcut, reply->title, reply->body, reply->owner_id,
                           reply->created_at, reply->updated_at) >= 0;
}

gboolean
baton_store_replies_update (BatonStore              *store,
                            const BatonCannedReply  *reply,
                            GError                 **error)
{
  return baton_store_exec (store, error,
                           "UPDATE replies SET shortcut = ?, title = ?, body = ?, updated_at = ?"
                           " WHERE id = ?", "sssis", reply->shortcut, reply->title, reply->body,
                           reply->updated_at, reply->id) >= 0;
}

gboolean
baton_store_replies_delete (BatonStore  *store,
                            const char  *id,
                            GError     **error)
{
  return baton_store_exec (store, error, "DELETE FROM replies WHERE id = ?", "s", id) >= 0;
}

gboolean
baton_store_replies_shortcut_taken (BatonStore  *store,
                                    const char  *shortcut,
                                    const char  *owner_id,
                                    const char  *except_id,
                                    gboolean    *taken,
                                    GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT 1 FROM replies WHERE shortcut = ?"
                                                 " AND id IS DISTINCT FROM ?"
                                                 " AND (? IS NULL OR owner_id IS NULL"
                                                 " OR owner_id = ?) LIMIT 1", "ssss",
                                                 shortcut, except_id, owner_id, owner_id);

  if (rows == NULL)
    return FALSE;
  *taken = baton_rows_count (rows) > 0;
  return TRUE;
}
