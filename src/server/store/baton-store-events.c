/* baton-store-events.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-store"

#include "config.h"

#include "baton-json.h"
#include "baton-store-events.h"

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
                          gint64       up_to,
                          const char  *agent_id,
                          guint        limit,
                          GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT seq, type, at, agent_id, data"
                                                 " FROM events WHERE seq > ? AND seq <= ?"
                                                 " AND (agent_id IS NULL OR agent_id = ?)"
                                                 " ORDER BY seq LIMIT ?", "iisi", since,
                                                 up_to, agent_id, (gint64) limit);
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
