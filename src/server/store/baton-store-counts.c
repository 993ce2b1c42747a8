/* baton-store-counts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-store"

#include "config.h"

#include "baton-store-counts.h"
#include "baton-store-private.h"

void
baton_count_row_free (BatonCountRow *row)
{
  g_free (row->name);
  g_free (row);
}

GPtrArray *
baton_store_take_counts (BatonRows *rows)
{
  GPtrArray *counts = NULL;

  if (rows == NULL)
    return NULL;
  counts = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_count_row_free);
  for (guint r = 0; r < baton_rows_count (rows); r++)
    {
      BatonCountRow *row = g_new0 (BatonCountRow, 1);

      row->name = baton_rows_dup_text (rows, r, 0);
      row->n = baton_rows_int (rows, r, 1);
      g_ptr_array_add (counts, row);
    }
  baton_rows_free (rows);
  return counts;
}

GPtrArray *
baton_store_counts_conversations_by_status (BatonStore  *store,
                                            GError     **error)
{
  return baton_store_take_counts (baton_store_query (store, error,
                                                     "SELECT status, n FROM conversation_counts"
                                                     " WHERE n > 0 ORDER BY status", ""));
}

GPtrArray *
baton_store_counts_messages_by_kind (BatonStore  *store,
                                     GError     **error)
{
  return baton_store_take_counts (baton_store_query (store, error,
                                                     "SELECT kind, n FROM message_counts"
                                                     " WHERE n > 0 ORDER BY kind", ""));
}
