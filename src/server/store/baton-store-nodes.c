/* baton-store-nodes.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-store"

#include "config.h"

#include "baton-store-nodes.h"
#include "baton-store-private.h"

int
baton_store_nodes_beat (BatonStore  *store,
                        const char  *node_id,
                        gint64       now,
                        GError     **error)
{
  gint64 changed = baton_store_exec (store, error, "UPDATE nodes SET seen_at = ? WHERE id = ?",
                                     "is", now, node_id);

  if (changed != 0)
    return changed > 0 ? 0 : -1;
  return baton_store_exec (store, error, "INSERT INTO nodes (id, seen_at) VALUES (?, ?)", "si",
                           node_id, now) > 0 ? 1 : -1;
}

gboolean
baton_store_nodes_hold (BatonStore  *store,
                        const char  *node_id,
                        const char  *agent_id,
                        gboolean     held,
                        GError     **error)
{
  if (!held)
    return baton_store_exec (store, error,
                             "DELETE FROM node_agents WHERE node_id = ? AND agent_id = ?", "ss",
                             node_id, agent_id) >= 0;
  return baton_store_exec (store, error,
                           "INSERT INTO node_agents (node_id, agent_id) VALUES (?, ?)"
                           " ON CONFLICT DO NOTHING", "ss", node_id, agent_id) >= 0;
}

GStrv
baton_store_nodes_held_elsewhere (BatonStore  *store,
                                  const char  *node_id,
                                  GError     **error)
{
  return baton_store_take_strings (
    baton_store_query (store, error, "SELECT DISTINCT agent_id FROM node_agents WHERE node_id <> ?",
                       "s", node_id));
}

GStrv
baton_store_nodes_forget (BatonStore  *store,
                          gint64       before,
                          const char  *node_id,
                          GError     **error)
{
  return baton_store_take_strings (
    baton_store_query (store, error,
                       "WITH gone AS (DELETE FROM nodes"
                       "   WHERE seen_at < ? OR id = ? RETURNING id),"
                       " held AS (DELETE FROM node_agents"
                       "   WHERE node_id IN (SELECT id FROM gone)"
                       "   OR node_id = ? RETURNING agent_id)"
                       " SELECT DISTINCT agent_id FROM held", "iss", before, node_id,
                       node_id));
}

int
baton_store_nodes_any_silent (BatonStore  *store,
                              gint64       before,
                              GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT count (*) FROM nodes WHERE seen_at < ?",
                                                 "i", before);

  if (rows == NULL)
    return -1;
  return baton_rows_int (rows, 0, 0) > 0;
}

int
baton_store_leases_take (BatonStore  *store,
                         const char  *name,
                         const char  *node_id,
                         gint64       now,
                         gint64       until,
                         GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "INSERT INTO leases (name, node_id, until)"
                                                 " VALUES (?1, ?2, ?3) ON CONFLICT (name) DO"
                                                 " UPDATE SET node_id = ?2, until = ?3"
                                                 " WHERE leases.until < ?4"
                                                 " OR leases.node_id = ?2 RETURNING node_id",
                                                 "ssii", name, node_id, until, now);

  if (rows == NULL)
    return -1;
  return baton_rows_count (rows) > 0;
}

GPtrArray *
baton_store_nodes_revoked_after (BatonStore  *store,
                                 gint64      *last,
                                 GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT n, token_hash FROM token_revocations"
                                                 " WHERE n > ? ORDER BY n", "i", *last);
  GPtrArray *hashes = NULL;

  if (rows == NULL)
    return NULL;
  hashes = g_ptr_array_new_with_free_func (g_free);
  for (guint r = 0; r < baton_rows_count (rows); r++)
    {
      *last = baton_rows_int (rows, r, 0);
      g_ptr_array_add (hashes, baton_rows_dup_text (rows, r, 1));
    }
  return hashes;
}

gboolean
baton_store_nodes_prune_revoked (BatonStore  *store,
                                 gint64       before,
                                 GError     **error)
{
  return baton_store_exec (store, error, "DELETE FROM token_revocations WHERE at < ?", "i",
                           before) >= 0;
}

gboolean
baton_store_nodes_hold_number (BatonStore  *store,
                               const char  *channel_id,
                               gint64       until,
                               GError     **error)
{
  return baton_store_exec (store, error,
                           "INSERT INTO number_holds (channel_id, until) VALUES (?, ?)"
                           " ON CONFLICT (channel_id) DO UPDATE"
                           " SET until = GREATEST (number_holds.until, excluded.until)", "si",
                           channel_id, until) >= 0;
}

BatonRows *
baton_store_nodes_number_holds (BatonStore  *store,
                                gint64       now,
                                GError     **error)
{
  return baton_store_query (store, error,
                            "SELECT channel_id, until FROM number_holds WHERE until > ?", "i",
                            now);
}
