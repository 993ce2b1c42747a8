/* baton-store-borrowed.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-store"

#include "config.h"

#include "baton-json.h"
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

/* Events */

static gint64
single_int (BatonRows *rows)
{
  gint64 value = -1;

  if (rows)
    value = baton_rows_is_null (rows, 0, 0) ? 0 : baton_rows_int (rows, 0, 0);
  g_clear_pointer (&rows, baton_rows_free);
  return value;
}

gint64
baton_store_events_last_seq (BatonStore  *store,
                             GError     **error)
{
  return single_int (baton_store_query (store, error, "SELECT MAX(seq) FROM events", ""));
}

gint64
baton_store_events_first_seq (BatonStore  *store,
                              GError     **error)
{
  return single_int (baton_store_query (store, error, "SELECT MIN(seq) FROM events", ""));
}

gboolean
baton_store_events_insert (BatonStore  *store,
                           BatonEvent  *event,
                           const char  *data,
                           GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "INSERT INTO events (type, at, agent_id, data)"
                                                 " VALUES (?, ?, ?, ?) RETURNING seq", "siss",
                                                 event->type, event->at, event->agent_id, data);

  if (rows == NULL)
    return FALSE;
  event->seq = baton_rows_int (rows, 0, 0);
  return TRUE;
}

GPtrArray *
baton_store_events_since (BatonStore  *store,
                          gint64       since,
                          const char  *agent_id,
                          guint        limit,
                          GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT seq, type, at, agent_id, data"
                                                 " FROM events WHERE seq > ?"
                                                 " AND (agent_id IS NULL OR agent_id = ?)"
                                                 " ORDER BY seq LIMIT ?", "isi", since,
                                                 agent_id, (gint64) limit);
  GPtrArray *events = NULL;

  if (rows == NULL)
    return NULL;
  events = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_event_unref);
  for (guint r = 0; r < baton_rows_count (rows); r++)
    {
      JsonNode *data = baton_json_parse_text (baton_rows_text (rows, r, 4));
      BatonEvent *event = baton_event_new (baton_rows_text (rows, r, 1),
                                           baton_rows_int (rows, r, 2),
                                           baton_rows_text (rows, r, 3), data);

      event->seq = baton_rows_int (rows, r, 0);
      g_ptr_array_add (events, event);
    }
  return events;
}

gboolean
baton_store_events_prune (BatonStore  *store,
                          gint64       before_at,
                          gint64       up_to_seq,
                          GError     **error)
{
  return baton_store_exec (store, error, "DELETE FROM events WHERE at < ? AND seq <= ?", "ii",
                           before_at, up_to_seq) >= 0;
}
