/* baton-store-events.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-store"

#include "config.h"

#include "baton-error.h"
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

/* Rows per INSERT: a change that notifies a large team writes a few statements, and the
 * statement cache holds at most this many texts of it. */
#define MAX_EVENTS_PER_INSERT 64

static int
compare_seq (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* One INSERT of n events; their seqs follow the order of the rows (AUTOINCREMENT), while
 * RETURNING lists them in no promised order. */
static gboolean
insert_some (BatonStore   *store,
             BatonEvent  **events,
             const char  **texts,
             guint         n,
             GError      **error)
{
  g_autoptr(GString) sql = g_string_new ("INSERT INTO events (type, at, agent_id, data) VALUES");
  g_autofree BatonValue *params = g_new0 (BatonValue, n * 4);
  g_autoptr(BatonRows) rows = NULL;
  g_autoptr(GArray) seqs = NULL;

  for (guint i = 0; i < n; i++)
    {
      BatonValue *row = params + i * 4;

      g_string_append (sql, i ? ", (?, ?, ?, ?)" : " (?, ?, ?, ?)");
      row[0] = (BatonValue) { .type = BATON_VALUE_TEXT, .s = events[i]->type };
      row[1] = (BatonValue) { .type = BATON_VALUE_INT, .i = events[i]->at };
      row[2] = (BatonValue) { .type = events[i]->agent_id ? BATON_VALUE_TEXT : BATON_VALUE_NULL,
                              .s = events[i]->agent_id };
      row[3] = (BatonValue) { .type = BATON_VALUE_TEXT, .s = (char *) texts[i] };
    }
  g_string_append (sql, " RETURNING seq");
  rows = baton_store_query_values (store, sql->str, params, n * 4, error);
  if (rows == NULL)
    return FALSE;
  if (baton_rows_count (rows) != n)
    {
      g_set_error (error, BATON_ERROR, BATON_ERROR_INTERNAL, "%u events written of %u",
                   baton_rows_count (rows), n);
      return FALSE;
    }
  seqs = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
  for (guint i = 0; i < n; i++)
    {
      gint64 seq = baton_rows_int (rows, i, 0);

      g_array_append_val (seqs, seq);
    }
  g_array_sort (seqs, compare_seq);
  for (guint i = 0; i < n; i++)
    events[i]->seq = g_array_index (seqs, gint64, i);
  return TRUE;
}

gboolean
baton_store_events_insert_many (BatonStore   *store,
                                BatonEvent  **events,
                                const char  **texts,
                                guint         n,
                                GError      **error)
{
  for (guint done = 0; done < n; done += MAX_EVENTS_PER_INSERT)
    if (!insert_some (store, events + done, texts + done, MIN (n - done, MAX_EVENTS_PER_INSERT),
                      error))
      return FALSE;
  return TRUE;
}

GPtrArray *
baton_store_events_from_rows (BatonRows *rows)
{
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
  baton_rows_free (rows);
  return events;
}

GPtrArray *
baton_store_events_since (BatonStore  *store,
                          gint64       since,
                          gint64       up_to,
                          const char  *agent_id,
                          guint        limit,
                          GError     **error)
{
  return baton_store_events_from_rows (baton_store_query (store, error,
                                         "SELECT seq, type, at, agent_id, data"
                                         " FROM events WHERE seq > ? AND seq <= ?"
                                         " AND (agent_id IS NULL OR agent_id = ?)"
                                         " ORDER BY seq LIMIT ?", "iisi", since, up_to, agent_id,
                                         (gint64) limit));
}

GPtrArray *
baton_store_events_after (BatonStore  *store,
                          gint64       since,
                          gint64       up_to,
                          guint        limit,
                          GError     **error)
{
  return baton_store_events_from_rows (baton_store_query (store, error,
                                         "SELECT seq, type, at, agent_id, data"
                                         " FROM events WHERE seq > ? AND seq <= ?"
                                         " ORDER BY seq LIMIT ?", "iii", since, up_to,
                                         (gint64) limit));
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
