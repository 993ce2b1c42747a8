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
