/* baton-store-reports.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-store-reports"

#include "config.h"

#include "baton-store-reports.h"
#include "baton-store-private.h"

void
baton_report_conversation_free (BatonReportConversation *conversation)
{
  g_free (conversation->id);
  g_free (conversation->first_reply_by);
  g_free (conversation);
}

void
baton_report_activity_free (BatonReportActivity *activity)
{
  g_free (activity->activity);
  g_free (activity);
}

/* The filter of every query, on the conversation c, with its parameters in the order
 * team, team, agent, agent, agent, agent-pattern (FILTER_TYPES). The activity JSON is
 * matched as text so that the statement stays in the SQL both backends share; an agent's
 * id quoted is unique to the agent in a line. */
#define FILTER \
  " (? IS NULL OR c.team_id = ?)" \
  " AND (? IS NULL" \
  "  OR EXISTS (SELECT 1 FROM conversation_assignees fa" \
  "   WHERE fa.conversation_id = c.id AND fa.agent_id = ?)" \
  "  OR EXISTS (SELECT 1 FROM messages fm WHERE fm.conversation_id = c.id" \
  "   AND (fm.author_id = ? OR (fm.kind = 'activity' AND fm.activity LIKE ?))))"
#define FILTER_TYPES "ssssss"
#define FILTER_ARGS(f, pattern) \
  (f)->team_id, (f)->team_id, (f)->agent_id, (f)->agent_id, (f)->agent_id, (pattern)

static char *
agent_pattern (const BatonReportFilter *filter)
{
  return filter->agent_id ? g_strdup_printf ("%%\"%s\"%%", filter->agent_id) : NULL;
}

#define CREATED_SQL \
  "SELECT c.id, c.created_at," \
  " (SELECT MIN(m.created_at) FROM messages m" \
  "   WHERE m.conversation_id = c.id AND m.kind = 'inbound')," \
  " r.created_at, r.author_id" \
  " FROM conversations c" \
  " LEFT JOIN messages r ON r.n = (SELECT MIN(m.n) FROM messages m" \
  "   WHERE m.conversation_id = c.id AND m.kind = 'outbound' AND m.author_type = 'agent')" \
  " WHERE c.created_at >= ? AND c.created_at < ? AND" FILTER \
  " ORDER BY c.created_at, c.id"

GPtrArray *
baton_store_reports_created (BatonStore              *store,
                             const BatonReportFilter *filter,
                             GError                 **error)
{
  g_autofree char *pattern = agent_pattern (filter);
  g_autoptr(BatonRows) rows = NULL;
  GPtrArray *created = NULL;

  rows = baton_store_query (store, error, CREATED_SQL, "ii" FILTER_TYPES,
                            filter->from, filter->to, FILTER_ARGS (filter, pattern));
  if (rows == NULL)
    return NULL;
  created = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_report_conversation_free);
  for (guint r = 0; r < baton_rows_count (rows); r++)
    {
      BatonReportConversation *conversation = g_new0 (BatonReportConversation, 1);

      conversation->id = baton_rows_dup_text (rows, r, 0);
      conversation->created_at = baton_rows_int (rows, r, 1);
      conversation->first_inbound_at = baton_rows_int (rows, r, 2);
      conversation->first_reply_at = baton_rows_int (rows, r, 3);
      conversation->first_reply_by = baton_rows_dup_text (rows, r, 4);
      g_ptr_array_add (created, conversation);
    }
  return created;
}

GPtrArray *
baton_store_reports_activity (BatonStore              *store,
                              const BatonReportFilter *filter,
                              GError                 **error)
{
  g_autofree char *pattern = agent_pattern (filter);
  g_autoptr(BatonRows) rows = NULL;
  GPtrArray *lines = NULL;

  rows = baton_store_query (store, error,
                            "SELECT a.created_at, c.created_at, a.activity"
                            " FROM messages a JOIN conversations c ON c.id = a.conversation_id"
                            " WHERE a.kind = 'activity' AND a.activity IS NOT NULL"
                            " AND a.created_at >= ? AND a.created_at < ? AND" FILTER
                            " ORDER BY a.n", "ii" FILTER_TYPES,
                            filter->from, filter->to, FILTER_ARGS (filter, pattern));
  if (rows == NULL)
    return NULL;
  lines = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_report_activity_free);
  for (guint r = 0; r < baton_rows_count (rows); r++)
    {
      BatonReportActivity *line = g_new0 (BatonReportActivity, 1);

      line->at = baton_rows_int (rows, r, 0);
      line->conversation_created_at = baton_rows_int (rows, r, 1);
      line->activity = baton_rows_dup_text (rows, r, 2);
      g_ptr_array_add (lines, line);
    }
  return lines;
}

GPtrArray *
baton_store_reports_replies (BatonStore              *store,
                             const BatonReportFilter *filter,
                             GError                 **error)
{
  g_autofree char *pattern = agent_pattern (filter);
  BatonRows *rows = baton_store_query (store, error,
                                       "SELECT m.author_id, COUNT(*) FROM messages m"
                                       " JOIN conversations c ON c.id = m.conversation_id"
                                       " WHERE m.kind = 'outbound' AND m.author_type = 'agent'"
                                       " AND m.author_id IS NOT NULL"
                                       " AND m.created_at >= ? AND m.created_at < ? AND" FILTER
                                       " GROUP BY m.author_id ORDER BY m.author_id",
                                       "ii" FILTER_TYPES, filter->from, filter->to,
                                       FILTER_ARGS (filter, pattern));

  return baton_store_take_counts (rows);
}

GPtrArray *
baton_store_reports_open (BatonStore              *store,
                          const BatonReportFilter *filter,
                          GError                 **error)
{
  g_autofree char *pattern = agent_pattern (filter);
  BatonRows *rows = baton_store_query (store, error,
                                       "SELECT ca.agent_id, COUNT(*)"
                                       " FROM conversation_assignees ca"
                                       " JOIN conversations c ON c.id = ca.conversation_id"
                                       " WHERE c.status <> 'resolved' AND" FILTER
                                       " GROUP BY ca.agent_id ORDER BY ca.agent_id",
                                       FILTER_TYPES, FILTER_ARGS (filter, pattern));

  return baton_store_take_counts (rows);
}
