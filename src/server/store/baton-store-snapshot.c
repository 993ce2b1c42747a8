/* baton-store-snapshot.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-store-snapshot"

#include "config.h"

#include "baton-store-snapshot.h"

GHashTable *
baton_store_snapshot_cursors (BatonStore  *store,
                              GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT id, rr_cursor FROM teams"
                                                 " WHERE rr_cursor IS NOT NULL", "");
  GHashTable *cursors = NULL;

  if (rows == NULL)
    return NULL;
  cursors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint r = 0; r < baton_rows_count (rows); r++)
    g_hash_table_insert (cursors, baton_rows_dup_text (rows, r, 0),
                         baton_rows_dup_text (rows, r, 1));
  return cursors;
}

gboolean
baton_store_snapshot_channel_defaults (BatonStore  *store,
                                       const char  *channel_id,
                                       char       **team_id,
                                       char       **user_id,
                                       GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT default_team_id, default_user_id"
                                                 " FROM channels WHERE id = ?", "s",
                                                 channel_id);

  if (rows == NULL || baton_rows_count (rows) == 0)
    return FALSE;
  *team_id = baton_rows_dup_text (rows, 0, 0);
  *user_id = baton_rows_dup_text (rows, 0, 1);
  return TRUE;
}

gboolean
baton_store_snapshot_is_returning (BatonStore  *store,
                                   const char  *contact_id,
                                   const char  *except_id,
                                   gboolean    *returning,
                                   GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT 1 FROM conversations"
                                                 " WHERE contact_id = ? AND id <> ? LIMIT 1",
                                                 "ss", contact_id, except_id);

  if (rows == NULL)
    return FALSE;
  *returning = baton_rows_count (rows) > 0;
  return TRUE;
}

void
baton_agent_load_row_free (BatonAgentLoadRow *row)
{
  g_free (row->id);
  g_free (row->availability);
  g_free (row);
}

GPtrArray *
baton_store_snapshot_agents (BatonStore  *store,
                             GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT id, availability, last_assigned_at,"
                                                 " active_count FROM agents", "");
  GPtrArray *loads = NULL;

  if (rows == NULL)
    return NULL;
  loads = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_agent_load_row_free);
  for (guint r = 0; r < baton_rows_count (rows); r++)
    {
      BatonAgentLoadRow *row = g_new0 (BatonAgentLoadRow, 1);

      row->id = baton_rows_dup_text (rows, r, 0);
      row->availability = baton_rows_dup_text (rows, r, 1);
      row->last_assigned_at = baton_rows_int (rows, r, 2);
      row->active_count = (int) baton_rows_int (rows, r, 3);
      g_ptr_array_add (loads, row);
    }
  return loads;
}
