/* baton-store-tokens.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-store"

#include "config.h"

#include "baton-store-tokens.h"

#define TOKEN_COLUMNS \
  "token_hash, agent_id, id, created_at, last_used_at, address, user_agent"

void
baton_token_row_free (BatonTokenRow *row)
{
  if (row == NULL)
    return;
  g_free (row->token_hash);
  g_free (row->agent_id);
  g_free (row->id);
  g_free (row->address);
  g_free (row->user_agent);
  g_free (row);
}

static BatonTokenRow *
token_from_row (BatonRows *rows,
                guint      r)
{
  BatonTokenRow *row = g_new0 (BatonTokenRow, 1);

  row->token_hash = baton_rows_dup_text (rows, r, 0);
  row->agent_id = baton_rows_dup_text (rows, r, 1);
  row->id = baton_rows_dup_text (rows, r, 2);
  row->created_at = baton_rows_int (rows, r, 3);
  row->last_used_at = baton_rows_int (rows, r, 4);
  row->address = baton_rows_dup_text (rows, r, 5);
  row->user_agent = baton_rows_dup_text (rows, r, 6);
  return row;
}

gboolean
baton_store_tokens_insert (BatonStore           *store,
                           const BatonTokenRow  *row,
                           GError              **error)
{
  return baton_store_exec (store, error,
                           "INSERT INTO tokens (" TOKEN_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?)",
                           "sssiiss", row->token_hash, row->agent_id, row->id, row->created_at,
                           row->last_used_at, row->address, row->user_agent) >= 0;
}

BatonTokenRow *
baton_store_tokens_find (BatonStore  *store,
                         const char  *token_hash,
                         GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT " TOKEN_COLUMNS " FROM tokens"
                                                 " WHERE token_hash = ?", "s", token_hash);

  if (rows == NULL || baton_rows_count (rows) == 0)
    return NULL;
  return token_from_row (rows, 0);
}

gboolean
baton_store_tokens_touch (BatonStore  *store,
                          const char  *token_hash,
                          gint64       used_at,
                          GError     **error)
{
  return baton_store_exec (store, error,
                           "UPDATE tokens SET last_used_at = ? WHERE token_hash = ?", "is",
                           used_at, token_hash) >= 0;
}

GPtrArray *
baton_store_tokens_list_agent (BatonStore  *store,
                               const char  *agent_id,
                               gint64       used_after,
                               GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT " TOKEN_COLUMNS " FROM tokens"
                                                 " WHERE agent_id = ? AND last_used_at > ?"
                                                 " ORDER BY created_at DESC, id DESC", "si",
                                                 agent_id, used_after);
  GPtrArray *tokens = NULL;

  if (rows == NULL)
    return NULL;
  tokens = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_token_row_free);
  for (guint r = 0; r < baton_rows_count (rows); r++)
    g_ptr_array_add (tokens, token_from_row (rows, r));
  return tokens;
}

static GStrv
hashes (BatonRows *rows)
{
  GStrv strv = NULL;

  if (rows == NULL)
    return NULL;
  strv = baton_rows_column_strv (rows, 0);
  baton_rows_free (rows);
  return strv;
}

GStrv
baton_store_tokens_delete_idle (BatonStore  *store,
                                gint64       used_until,
                                GError     **error)
{
  return hashes (baton_store_query (store, error,
                                    "DELETE FROM tokens WHERE last_used_at <= ?"
                                    " RETURNING token_hash", "i", used_until));
}

GStrv
baton_store_tokens_delete_one (BatonStore  *store,
                               const char  *agent_id,
                               const char  *id,
                               const char  *token_hash,
                               GError     **error)
{
  return hashes (baton_store_query (store, error,
                                    "DELETE FROM tokens WHERE agent_id = ?"
                                    " AND (id = ? OR token_hash = ?) RETURNING token_hash",
                                    "sss", agent_id, id, token_hash));
}

GStrv
baton_store_tokens_delete_agent (BatonStore  *store,
                                 const char  *agent_id,
                                 const char  *keep_hash,
                                 GError     **error)
{
  /* IS DISTINCT FROM: SQLite (3.39) and PostgreSQL both compare with NULL this way */
  return hashes (baton_store_query (store, error,
                                    "DELETE FROM tokens WHERE agent_id = ?"
                                    " AND token_hash IS DISTINCT FROM ? RETURNING token_hash",
                                    "ss", agent_id, keep_hash));
}
