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

#define OPEN "c.status IN ('new', 'in_progress')"

/* Per team (NULL: none), from one index: the open conversations, those with a customer
 * message, those nobody is assigned and those of them with a customer message. */
#define BY_TEAM_SQL \
  "SELECT c.team_id, COUNT(*)," \
  " SUM(CASE WHEN c.inbound_count > 0 THEN 1 ELSE 0 END)," \
  " SUM(CASE WHEN c.assignee_count = 0 THEN 1 ELSE 0 END)," \
  " SUM(CASE WHEN c.assignee_count = 0 AND c.inbound_count > 0 THEN 1 ELSE 0 END)" \
  " FROM conversations c WHERE " OPEN " GROUP BY c.team_id"

/* Per team, what the agent has seen whole of those with a customer message (and of them,
 * those nobody is assigned): read for them, which the counts above take as unread. */
#define SEEN_BY_TEAM_SQL \
  "SELECT c.team_id, COUNT(*), SUM(CASE WHEN c.assignee_count = 0 THEN 1 ELSE 0 END)" \
  " FROM conversation_seen s JOIN conversations c ON c.id = s.conversation_id" \
  " WHERE s.agent_id = ? AND " OPEN " AND c.inbound_count > 0" \
  " AND s.seen_count >= c.inbound_count GROUP BY c.team_id"

/* The agent's own open conversations, and those of them unread for them. */
#define MINE_SQL \
  "SELECT COUNT(*), SUM(CASE WHEN c.inbound_count > COALESCE(s.seen_count, 0)" \
  " THEN 1 ELSE 0 END)" \
  " FROM conversation_assignees a JOIN conversations c ON c.id = a.conversation_id" \
  " LEFT JOIN conversation_seen s ON s.agent_id = a.agent_id AND s.conversation_id = c.id" \
  " WHERE a.agent_id = ? AND " OPEN

/* Adds rows of (team_id, open, unread, unassigned open, unassigned unread) to counts;
 * sign -1 takes seen conversations (team_id, n, of them unassigned) off the unread ones. */
static void
add_rows (BatonConversationCounts *counts,
          BatonRows               *rows,
          gint64                   sign)
{
  for (guint r = 0; r < baton_rows_count (rows); r++)
    {
      BatonOpenCount *team = (BatonOpenCount *)
        baton_conversation_counts_get_team (counts, baton_rows_text (rows, r, 0));

      if (sign > 0)
        {
          add_count (&counts->all, baton_rows_int (rows, r, 1), baton_rows_int (rows, r, 2));
          add_count (&counts->unassigned, baton_rows_int (rows, r, 3),
                     baton_rows_int (rows, r, 4));
          if (team)
            add_count (team, baton_rows_int (rows, r, 1), baton_rows_int (rows, r, 2));
          continue;
        }
      add_count (&counts->all, 0, -baton_rows_int (rows, r, 1));
      add_count (&counts->unassigned, 0, -baton_rows_int (rows, r, 2));
      if (team)
        add_count (team, 0, -baton_rows_int (rows, r, 1));
    }
}

BatonConversationCounts *
baton_store_seen_counts (BatonStore  *store,
                         const char  *agent_id,
                         GError     **error)
{
  g_autoptr(BatonRows) teams = NULL;
  g_autoptr(BatonRows) by_team = NULL;
  g_autoptr(BatonRows) seen = NULL;
  g_autoptr(BatonRows) mine = NULL;
  g_autoptr(BatonConversationCounts) counts = baton_conversation_counts_new ();

  if (!(teams = baton_store_query (store, error, "SELECT id FROM teams ORDER BY name, id", ""))
      || !(by_team = baton_store_query (store, error, BY_TEAM_SQL, ""))
      || !(seen = baton_store_query (store, error, SEEN_BY_TEAM_SQL, "s", agent_id))
      || !(mine = baton_store_query (store, error, MINE_SQL, "s", agent_id)))
    return NULL;
  for (guint t = 0; t < baton_rows_count (teams); t++)
    baton_conversation_counts_add_team (counts, baton_rows_text (teams, t, 0));
  add_rows (counts, by_team, 1);
  add_rows (counts, seen, -1);
  add_count (&counts->mine, baton_rows_int (mine, 0, 0), baton_rows_int (mine, 0, 1));
  return g_steal_pointer (&counts);
}
