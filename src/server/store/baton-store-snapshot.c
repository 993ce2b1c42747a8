/* baton-store-snapshot.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-store-snapshot"

#include "config.h"

#include "baton-store-snapshot.h"

void
baton_agent_load_row_free (BatonAgentLoadRow *row)
{
  g_free (row->id);
  g_free (row->availability);
  g_free (row);
}

void
baton_routing_state_clear (BatonRoutingState *state)
{
  g_clear_pointer (&state->agents, g_ptr_array_unref);
  g_clear_pointer (&state->cursors, g_hash_table_unref);
  g_clear_pointer (&state->lapsed, g_strfreev);
  state->returning = FALSE;
}

/* Each row says what it is in its first column. */
gboolean
baton_store_snapshot_routing (BatonStore         *store,
                              const char         *conversation_id,
                              const char         *contact_id,
                              BatonRoutingState  *state,
                              GError            **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT 'agent', id, availability,"
                                                 " last_assigned_at, active_count FROM agents"
                                                 " UNION ALL SELECT 'cursor', id, rr_cursor,"
                                                 " NULL, NULL FROM teams"
                                                 " WHERE rr_cursor IS NOT NULL"
                                                 " UNION ALL SELECT 'lapsed', agent_id, NULL,"
                                                 " NULL, NULL FROM conversation_lapses"
                                                 " WHERE conversation_id = ?1"
                                                 " UNION ALL SELECT 'returning', NULL, NULL,"
                                                 " NULL, NULL WHERE EXISTS (SELECT 1"
                                                 " FROM conversations WHERE contact_id = ?2"
                                                 " AND id <> COALESCE(?1, ''))", "ss",
                                                 conversation_id, contact_id);
  g_autoptr(GStrvBuilder) lapsed = g_strv_builder_new ();

  if (rows == NULL)
    return FALSE;
  state->agents = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_agent_load_row_free);
  state->cursors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  state->returning = FALSE;
  for (guint r = 0; r < baton_rows_count (rows); r++)
    {
      const char *what = baton_rows_text (rows, r, 0);

      if (g_str_equal (what, "agent"))
        {
          BatonAgentLoadRow *row = g_new0 (BatonAgentLoadRow, 1);

          row->id = baton_rows_dup_text (rows, r, 1);
          row->availability = baton_rows_dup_text (rows, r, 2);
          row->last_assigned_at = baton_rows_int (rows, r, 3);
          row->active_count = (int) baton_rows_int (rows, r, 4);
          g_ptr_array_add (state->agents, row);
        }
      else if (g_str_equal (what, "cursor"))
        g_hash_table_insert (state->cursors, baton_rows_dup_text (rows, r, 1),
                             baton_rows_dup_text (rows, r, 2));
      else if (g_str_equal (what, "returning"))
        state->returning = TRUE;
      else if (baton_rows_text (rows, r, 1))
        g_strv_builder_add (lapsed, baton_rows_text (rows, r, 1));
    }
  state->lapsed = g_strv_builder_end (lapsed);
  return TRUE;
}
