/* baton-store-flows.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-store"

#include "config.h"

#include "baton-store-flows.h"

#define FLOW_COLUMNS "id, name, enabled, position, trigger, steps, created_at, updated_at"

void
baton_flow_row_free (BatonFlowRow *row)
{
  if (row == NULL)
    return;
  g_free (row->id);
  g_free (row->name);
  g_free (row->trigger);
  g_free (row->steps);
  g_free (row);
}

static BatonFlowRow *
flow_from_row (BatonRows *rows,
               guint      r)
{
  BatonFlowRow *row = g_new0 (BatonFlowRow, 1);

  row->id = baton_rows_dup_text (rows, r, 0);
  row->name = baton_rows_dup_text (rows, r, 1);
  row->enabled = baton_rows_int (rows, r, 2) != 0;
  row->position = (int) baton_rows_int (rows, r, 3);
  row->trigger = baton_rows_dup_text (rows, r, 4);
  row->steps = baton_rows_dup_text (rows, r, 5);
  row->created_at = baton_rows_int (rows, r, 6);
  row->updated_at = baton_rows_int (rows, r, 7);
  return row;
}

BatonFlowRow *
baton_store_flows_get (BatonStore  *store,
                       const char  *id,
                       GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT " FLOW_COLUMNS " FROM flows"
                                                 " WHERE id = ?", "s", id);

  if (rows == NULL || baton_rows_count (rows) == 0)
    return NULL;
  return flow_from_row (rows, 0);
}

GPtrArray *
baton_store_flows_list (BatonStore  *store,
                        GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT " FLOW_COLUMNS " FROM flows"
                                                 " ORDER BY position, created_at, id", "");
  GPtrArray *flows = NULL;

  if (rows == NULL)
    return NULL;
  flows = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_flow_row_free);
  for (guint r = 0; r < baton_rows_count (rows); r++)
    g_ptr_array_add (flows, flow_from_row (rows, r));
  return flows;
}

int
baton_store_flows_next_position (BatonStore  *store,
                                 GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT MAX(position) FROM flows", "");

  if (rows == NULL)
    return -1;
  if (baton_rows_is_null (rows, 0, 0))
    return 0;
  return (int) MIN (baton_rows_int (rows, 0, 0) + 1, G_MAXINT);
}

gboolean
baton_store_flows_insert (BatonStore          *store,
                          const BatonFlowRow  *row,
                          GError             **error)
{
  return baton_store_exec (store, error,
                           "INSERT INTO flows (" FLOW_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           "ssbdssii", row->id, row->name, row->enabled, row->position,
                           row->trigger, row->steps, row->created_at, row->updated_at) >= 0;
}

gboolean
baton_store_flows_update (BatonStore          *store,
                          const BatonFlowRow  *row,
                          GError             **error)
{
  return baton_store_exec (store, error,
                           "UPDATE flows SET name = ?, enabled = ?, position = ?, trigger = ?,"
                           " steps = ?, updated_at = ? WHERE id = ?",
                           "sbdssis", row->name, row->enabled, row->position, row->trigger,
                           row->steps, row->updated_at, row->id) >= 0;
}

gboolean
baton_store_flows_delete (BatonStore  *store,
                          const char  *id,
                          GError     **error)
{
  return baton_store_exec (store, error, "DELETE FROM flows WHERE id = ?", "s", id) >= 0;
}
