/* baton-store-borrowed.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-store"

#include "config.h"

#include "baton-store-borrowed.h"

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

GStrv
baton_store_conversations_detach_team (BatonStore  *store,
                                       const char  *team_id,
                                       GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "UPDATE conversations SET team_id = NULL,"
                                                 " queued_at = NULL WHERE team_id = ?"
                                                 " RETURNING id", "s", team_id);

  return rows ? baton_rows_column_strv (rows, 0) : NULL;
}

gboolean
baton_store_conversations_cancel_reassign (BatonStore  *store,
                                           const char  *team_id,
                                           GError     **error)
{
  return baton_store_exec (store, error,
                           "UPDATE conversations SET reassign_due_at = NULL WHERE team_id = ?",
                           "s", team_id) >= 0;
}

gint64
baton_store_conversations_count_channel (BatonStore  *store,
                                         const char  *channel_id,
                                         GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT COUNT(*) FROM conversations"
                                                 " WHERE channel_id = ?", "s", channel_id);

  return rows ? baton_rows_int (rows, 0, 0) : -1;
}
