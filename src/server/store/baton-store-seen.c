/* baton-store-seen.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-store-seen"

#include "config.h"

#include "baton-store-seen.h"

gboolean
baton_store_seen_record (BatonStore  *store,
                         const char  *agent_id,
                         const char  *conversation_id,
                         gint64       seen_count,
                         gboolean    *changed,
                         gint64      *stored,
                         GError     **error)
{
  g_autoptr(BatonRows) rows = NULL;
  gint64 changes;

  changes = baton_store_exec (store, error,
                              "INSERT INTO conversation_seen (agent_id, conversation_id,"
                              " seen_count) VALUES (?, ?, ?)"
                              " ON CONFLICT (agent_id, conversation_id) DO UPDATE"
                              " SET seen_count = excluded.seen_count"
                              " WHERE excluded.seen_count > conversation_seen.seen_count",
                              "ssi", agent_id, conversation_id, seen_count);
  if (changes < 0)
    return FALSE;
  rows = baton_store_query (store, error,
                            "SELECT seen_count FROM conversation_seen"
                            " WHERE agent_id = ? AND conversation_id = ?", "ss",
                            agent_id, conversation_id);
  if (rows == NULL)
    return FALSE;
  *changed = changes > 0;
  *stored = baton_rows_count (rows) > 0 ? baton_rows_int (rows, 0, 0) : 0;
  return TRUE;
}

GPtrArray *
baton_store_seen_list (BatonStore  *store,
                       const char  *agent_id,
                       GError     **error)
{
  g_autoptr(BatonRows) rows = NULL;
  GPtrArray *seen = NULL;

  rows = baton_store_query (store, error,
                            "SELECT conversation_id, seen_count FROM conversation_seen"
                            " WHERE agent_id = ? ORDER BY conversation_id", "s", agent_id);
  if (rows == NULL)
    return NULL;
  seen = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_seen_free);
  for (guint r = 0; r < baton_rows_count (rows); r++)
    g_ptr_array_add (seen, baton_seen_new (baton_rows_text (rows, r, 0),
                                           baton_rows_int (rows, r, 1)));
  return seen;
}

static void
add_count (BatonOpenCount *count,
           gint64          open,
           gint64          unread)
{
  count->open += open;
  count->unread += unread;
}

/* The open conversations of each team (NULL: none), flagged per conversation: unread for
 * the agent, assigned to them, assigned to nobody. */
#define COUNTS_SQL \
  "SELECT team_id, COUNT(*), SUM(unread), SUM(mine), SUM(mine * unread), SUM(nobody)," \
  " SUM(nobody * unread) FROM (SELECT c.team_id," \
  " CASE WHEN c.inbound_count > COALESCE(s.seen_count, 0) THEN 1 ELSE 0 END AS unread," \
  " CASE WHEN m.agent_id IS NULL THEN 0 ELSE 1 END AS mine," \
  " CASE WHEN EXISTS (SELECT 1 FROM conversation_assignees a" \
  "  WHERE a.conversation_id = c.id) THEN 0 ELSE 1 END AS nobody" \
  " FROM conversations c" \
  " LEFT JOIN conversation_seen s ON s.conversation_id = c.id AND s.agent_id = ?" \
  " LEFT JOIN conversation_assignees m ON m.conversation_id = c.id AND m.agent_id = ?" \
  " WHERE c.status IN ('new', 'in_progress')) f GROUP BY team_id"

BatonConversationCounts *
baton_store_seen_counts (BatonStore  *store,
                         const char  *agent_id,
                         GError     **error)
{
  g_autoptr(BatonRows) rows = NULL;
  g_autoptr(BatonRows) teams = NULL;
  g_autoptr(BatonConversationCounts) counts = baton_conversation_counts_new ();

  rows = baton_store_query (store, error, COUNTS_SQL, "ss", agent_id, agent_id);
  if (rows == NULL)
    return NULL;
  teams = baton_store_query (store, error, "SELECT id FROM teams ORDER BY name, id", "");
  if (teams == NULL)
    return NULL;
  for (guint t = 0; t < baton_rows_count (teams); t++)
    baton_conversation_counts_add_team (counts, baton_rows_text (teams, t, 0));
  for (guint r = 0; r < baton_rows_count (rows); r++)
    {
      BatonOpenCount *team = (BatonOpenCount *)
        baton_conversation_counts_get_team (counts, baton_rows_text (rows, r, 0));

      add_count (&counts->all, baton_rows_int (rows, r, 1), baton_rows_int (rows, r, 2));
      add_count (&counts->mine, baton_rows_int (rows, r, 3), baton_rows_int (rows, r, 4));
      add_count (&counts->unassigned, baton_rows_int (rows, r, 5), baton_rows_int (rows, r, 6));
      if (team)
        add_count (team, baton_rows_int (rows, r, 1), baton_rows_int (rows, r, 2));
    }
  return g_steal_pointer (&counts);
}
