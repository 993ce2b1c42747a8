/* baton-store-conversations.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-store-conversations"

#include "config.h"

#include "baton-enums.h"
#include "baton-error.h"
#include "baton-json.h"
#include "baton-store-conversations.h"
#include "baton-store-private.h"
#include "baton-search.h"
#include "baton-store-search.h"

static void
read_conversation (BatonConversation *conversation,
                   BatonRows         *rows)
{
  g_autoptr(JsonNode) referral = NULL;

  conversation->id = baton_rows_dup_text (rows, 0, 0);
  conversation->channel_id = baton_rows_dup_text (rows, 0, 1);
  conversation->contact_id = baton_rows_dup_text (rows, 0, 2);
  conversation->contact_name = baton_rows_dup_text (rows, 0, 3);
  conversation->contact_phone = baton_rows_dup_text (rows, 0, 4);
  conversation->status = MAX (0, baton_status_from_string (baton_rows_text (rows, 0, 5)));
  conversation->team_id = baton_rows_dup_text (rows, 0, 6);
  conversation->version = baton_rows_int (rows, 0, 7);
  conversation->last_preview = baton_rows_dup_text (rows, 0, 8);
  conversation->last_direction = baton_rows_dup_text (rows, 0, 9);
  conversation->last_at = baton_rows_int (rows, 0, 10);
  conversation->created_at = baton_rows_int (rows, 0, 11);
  conversation->updated_at = baton_rows_int (rows, 0, 12);
  conversation->first_response_at = baton_rows_int (rows, 0, 13);
  conversation->resolved_at = baton_rows_int (rows, 0, 14);
  conversation->window_expires_at = baton_rows_int (rows, 0, 15);
  conversation->activity_at = baton_rows_int (rows, 0, 17);
  conversation->inbound_count = baton_rows_int (rows, 0, 18);
  referral = baton_json_parse_text (baton_rows_text (rows, 0, 16));
  if (referral && JSON_NODE_HOLDS_OBJECT (referral))
    conversation->referral = json_object_ref (json_node_get_object (referral));
}

/* A conversation with its contact's name and phone, its assignees and its tags, in one
 * statement: a message's handling reads its conversation several times. */
#define CONVERSATION_SELECT \
  "SELECT c.id, c.channel_id, c.contact_id, k.name, k.phone, c.status," \
  " c.team_id, c.version, c.last_preview, c.last_direction, c.last_at," \
  " c.created_at, c.updated_at, c.first_response_at, c.resolved_at," \
  " c.window_expires_at, c.referral, c.activity_at, c.inbound_count," \
  " (SELECT json_group_array (agent_id) FROM" \
  "   (SELECT agent_id FROM conversation_assignees" \
  "    WHERE conversation_id = c.id ORDER BY position) AS list)," \
  " (SELECT json_group_array (tag) FROM" \
  "   (SELECT tag FROM conversation_tags" \
  "    WHERE conversation_id = c.id ORDER BY position) AS list)" \
  " FROM conversations c JOIN contacts k ON k.id = c.contact_id"

/* the conversation of CONVERSATION_SELECT's rows; NULL for none. Takes rows. */
static BatonConversation *
take_conversation (BatonRows *rows)
{
  g_autoptr(BatonRows) owned = rows;
  BatonConversation *conversation = NULL;

  if (rows == NULL || baton_rows_count (rows) == 0)
    return NULL;
  conversation = baton_conversation_new ();
  read_conversation (conversation, rows);
  conversation->assignee_ids = baton_rows_json_strv (rows, 0, 19);
  conversation->tags = baton_rows_json_strv (rows, 0, 20);
  return conversation;
}

BatonConversation *
baton_store_conversations_get (BatonStore  *store,
                               const char  *id,
                               GError     **error)
{
  return take_conversation (baton_store_query (store, error,
                                               CONVERSATION_SELECT " WHERE c.id = ?", "s", id));
}

BatonConversation *
baton_store_conversations_get_latest (BatonStore  *store,
                                      const char  *contact_id,
                                      const char  *channel_id,
                                      GError     **error)
{
  return take_conversation (baton_store_query (store, error,
                                               CONVERSATION_SELECT
                                               " WHERE c.contact_id = ? AND c.channel_id = ?"
                                               " ORDER BY c.created_at DESC, c.id DESC LIMIT 1",
                                               "ss", contact_id, channel_id));
}

void
baton_conversation_page_free (BatonConversationPage *page)
{
  g_clear_pointer (&page->conversations, g_ptr_array_unref);
  g_free (page->next_id);
  g_free (page);
}

/* at most this many matches of a search's rarest word: its conversations are looked up from
 * the matches (append_search) */
#define SEARCH_NARROW_MATCHES 2000

/* How a list finds its rows, besides walking the conversations in activity order. */
typedef enum {
  LIST_WALK = 0,
  /* few matches of the search: looked up from them (append_search) */
  LIST_NARROW_SEARCH = 1 << 0,
  /* few assignments of the agents asked for: looked up from them (append_conditions) */
  LIST_NARROW_ASSIGNEES = 1 << 1,
  /* one agent's: their assignments walked in activity order (list_select) */
  LIST_BY_ASSIGNEE = 1 << 2,
} ListPlan;

static void
add_text (GArray     *params,
          const char *text)
{
  BatonValue value = { .type = BATON_VALUE_TEXT, .s = g_strdup (text) };

  g_array_append_val (params, value);
}

static void
add_int (GArray *params,
         gint64  number)
{
  BatonValue value = { .type = BATON_VALUE_INT, .i = number };

  g_array_append_val (params, value);
}

static void
clear_value (BatonValue *value)
{
  g_free (value->s);
}

/* " IN (?, ?, ?)" for values, each added to params */
static void
append_in (GString            *sql,
           GArray             *params,
           const char * const *values)
{
  g_string_append (sql, " IN (");
  for (guint i = 0; values[i]; i++)
    {
      g_string_append (sql, i ? ", ?" : "?");
      add_text (params, values[i]);
    }
  g_string_append (sql, ")");
}

/* How many contacts and messages the rarest term matches (a count reads only the index). */
static gint64
rarest_matches (BatonStore          *store,
                const char * const  *terms,
                GError             **error)
{
  gint64 rarest = G_MAXINT64;

  g_autofree char *sql = g_strdup_printf ("SELECT (SELECT COUNT(*) FROM contact_search"
                                          " WHERE %s) + (SELECT COUNT(*) FROM message_search"
                                          " WHERE %s)",
                                          baton_store_search_contacts_match (store),
                                          baton_store_search_messages_match (store));

  for (guint i = 0; terms[i]; i++)
    {
      g_autoptr(BatonRows) rows = baton_store_query (store, error, sql, "ss", terms[i],
                                                     terms[i]);

      if (rows == NULL)
        return -1;
      rarest = MIN (rarest, baton_rows_int (rows, 0, 0));
    }
  return rarest;
}

/* Each term (baton_store_search_terms) in the contact's name or numbers, or in a message of
 * the conversation. Each side is a set the index gives, computed once per list. narrow: the
 * sets are small, the conversations are looked up from them and sorted; else the list is
 * walked in activity order and stops at the page ("|| ''" keeps the sets from driving: 10,000
 * matches looked up and sorted take some 100 ms at 100,000 conversations, where the walk
 * finds a page of a word that common in a few hundred rows; tests/bench/bench-inbox). */
static void
append_search (BatonStore         *store,
               GString            *sql,
               GArray             *params,
               const char * const *terms,
               gboolean            narrow)
{
  for (guint i = 0; terms && terms[i]; i++)
    {
      g_string_append_printf (sql, " AND (%s IN (SELECT contact_id FROM contact_search"
                                   " WHERE %s)"
                                   " OR %s IN (SELECT conversation_id FROM message_search"
                                   " WHERE %s))",
                              narrow ? "c.contact_id" : "(c.contact_id || '')",
                              baton_store_search_contacts_match (store),
                              narrow ? "c.id" : "(c.id || '')",
                              baton_store_search_messages_match (store));
      add_text (params, terms[i]);
      add_text (params, terms[i]);
    }
}

/* The conditions of query after "WHERE 1 = 1"; terms: those of its text, plan: how the rows
 * are found (choose_plan). */
static void
append_conditions (BatonStore                    *store,
                   GString                       *sql,
                   GArray                        *params,
                   const BatonConversationQuery  *query,
                   const char * const            *terms,
                   ListPlan                       plan)
{
  if (query->statuses)
    {
      /* One status: its index gives the rows in order. Several ("new,in_progress", the
       * inbox's default) would make the planner gather every match from that index and sort
       * them all (some 90 ms at 100,000 conversations, tests/bench/bench-inbox): comparing
       * an expression keeps the index out, so the list is walked in activity order and the
       * scan stops at the page. "|| ''" is plain SQL, unlike SQLite's unary "+". */
      g_string_append (sql, g_strv_length ((char **) query->statuses) > 1
                            ? " AND (c.status || '')" : " AND c.status");
      append_in (sql, params, query->statuses);
    }
  if (query->unassigned)
    g_string_append (sql, " AND NOT EXISTS (SELECT 1 FROM conversation_assignees a"
                          " WHERE a.conversation_id = c.id)");
  else if (query->assignee_ids && !(plan & LIST_BY_ASSIGNEE))
    {
      /* Few: their conversations are looked up from the assignees' index and sorted. Many:
       * the list is walked in activity order, each row checked, until the page is full. */
      g_string_append (sql, plan & LIST_NARROW_ASSIGNEES
                            ? " AND c.id IN (SELECT a.conversation_id"
                              " FROM conversation_assignees a WHERE a.agent_id"
                            : " AND EXISTS (SELECT 1 FROM conversation_assignees a"
                              " WHERE a.conversation_id = c.id AND a.agent_id");
      append_in (sql, params, query->assignee_ids);
      g_string_append (sql, ")");
    }
  if (query->team_id)
    {
      g_string_append (sql, " AND c.team_id = ?");
      add_text (params, query->team_id);
    }
  if (query->contact_id)
    {
      g_string_append (sql, " AND c.contact_id = ?");
      add_text (params, query->contact_id);
    }
  append_search (store, sql, params, terms, (plan & LIST_NARROW_SEARCH) != 0);
  if (query->after_id)
    {
      /* the same as "activity_at < ? OR (activity_at = ? AND id < ?)", written so that an
       * index in activity order starts at the cursor; an assignment's are its
       * conversation's (migration 14) */
      g_string_append (sql, plan & LIST_BY_ASSIGNEE
                            ? " AND a.activity_at <= ? AND (a.activity_at < ?"
                              " OR a.conversation_id < ?)"
                            : " AND c.activity_at <= ? AND (c.activity_at < ? OR c.id < ?)");
      add_int (params, query->after_activity_at);
      add_int (params, query->after_activity_at);
      add_text (params, query->after_id);
    }
}

/* How many assignments the agents have, and how many conversations there are. */
static gboolean
count_assignments (BatonStore          *store,
                   const char * const  *agent_ids,
                   gint64              *assignments,
                   gint64              *conversations,
                   GError             **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT (SELECT COUNT(*) FROM conversation_assignees"
                                         " WHERE agent_id");
  g_autoptr(GArray) params = g_array_new (FALSE, TRUE, sizeof (BatonValue));
  g_autoptr(BatonRows) rows = NULL;

  g_array_set_clear_func (params, (GDestroyNotify) clear_value);
  append_in (sql, params, agent_ids);
  g_string_append (sql, "), (SELECT COALESCE(SUM(n), 0) FROM conversation_counts)");
  rows = baton_store_query_values (store, sql->str, (BatonValue *) params->data, params->len,
                                   error);
  if (rows == NULL)
    return FALSE;
  *assignments = baton_rows_int (rows, 0, 0);
  *conversations = baton_rows_int (rows, 0, 1);
  return TRUE;
}

/* How query's rows are best found, or -1 on error. A search is narrow with few matches of its
 * rarest word. One agent's list walks their assignments in activity order. Several agents'
 * may list a conversation twice there: walking the whole list in activity order fills a
 * page of agents who have n of the N conversations after some N × page / n rows, where
 * looking up the n costs n: narrow when n² ≤ N × page. */
static int
choose_plan (BatonStore                    *store,
             const BatonConversationQuery  *query,
             const char * const            *terms,
             GError                       **error)
{
  ListPlan plan = LIST_WALK;
  gint64 assignments = 0;
  gint64 conversations = 0;

  if (terms[0])
    {
      gint64 rarest = rarest_matches (store, terms, error);

      if (rarest < 0)
        return -1;
      if (rarest <= SEARCH_NARROW_MATCHES)
        plan |= LIST_NARROW_SEARCH;
    }
  if (query->assignee_ids && !query->unassigned && query->assignee_ids[0]
      && !query->assignee_ids[1])
    plan |= LIST_BY_ASSIGNEE;
  else if (query->assignee_ids && !query->unassigned)
    {
      if (!count_assignments (store, query->assignee_ids, &assignments, &conversations,
                              error))
        return -1;
      if (assignments * assignments <= conversations * ((gint64) query->limit + 1))
        plan |= LIST_NARROW_ASSIGNEES;
    }
  return plan;
}

/* Where conversation matched text, when its name, number and last message do not show it:
 * words around the search's words in the newest message that has any. */
static gboolean
find_match (BatonStore           *store,
            BatonConversation    *conversation,
            const char           *text,
            const char * const   *terms,
            GError              **error)
{
  const char *shown[4] = { NULL };
  guint n = 0;
  g_autofree char *any = NULL;
  g_autoptr(BatonRows) rows = NULL;

  if (conversation->contact_name)
    shown[n++] = conversation->contact_name;
  if (conversation->contact_phone)
    shown[n++] = conversation->contact_phone;
  if (conversation->last_preview)
    shown[n++] = conversation->last_preview;
  if (baton_search_matches (text, shown))
    return TRUE;
  any = baton_store_search_any (store, terms);
  rows = baton_store_query (store, error, baton_store_search_snippet (store), "ss", any,
                            conversation->id);
  if (rows == NULL)
    return FALSE;
  if (baton_rows_count (rows) > 0)
    conversation->match = baton_rows_dup_text (rows, 0, 0);
  return TRUE;
}

/* The list's query up to its conditions, and its order: one agent's starts from their
 * assignments, in the order of their index (migration 14), the same as the list's. */
static GString *
list_select (const BatonConversationQuery  *query,
             ListPlan                       plan,
             GArray                        *params,
             const char                   **order)
{
  if (!(plan & LIST_BY_ASSIGNEE))
    {
      *order = " ORDER BY c.activity_at DESC, c.id DESC LIMIT ?";
      return g_string_new ("SELECT c.id, c.activity_at FROM conversations c"
                           " JOIN contacts k ON k.id = c.contact_id WHERE 1 = 1");
    }
  *order = " ORDER BY a.activity_at DESC, a.conversation_id DESC LIMIT ?";
  add_text (params, query->assignee_ids[0]);
  /* CROSS JOIN: SQLite reads the assignees first, in the list's order (migration 14); the
   * join's condition is in WHERE, where PostgreSQL takes it too */
  return g_string_new ("SELECT c.id, c.activity_at FROM conversation_assignees a"
                       " CROSS JOIN conversations c"
                       " JOIN contacts k ON k.id = c.contact_id"
                       " WHERE c.id = a.conversation_id AND a.agent_id = ?");
}

BatonConversationPage *
baton_store_conversations_list (BatonStore                    *store,
                                const BatonConversationQuery  *query,
                                GError                       **error)
{
  g_autoptr(GString) sql = NULL;
  const char *order = NULL;
  g_autoptr(GArray) params = g_array_new (FALSE, TRUE, sizeof (BatonValue));
  g_autoptr(BatonRows) rows = NULL;
  g_autoptr(BatonConversationPage) page = g_new0 (BatonConversationPage, 1);
  g_auto(GStrv) terms = baton_store_search_terms (store, query->text);
  int plan = LIST_WALK;
  guint shown;

  if (g_strv_length (terms) > BATON_SEARCH_MAX_TERMS)
    {
      g_set_error (error, BATON_ERROR, BATON_ERROR_BAD_REQUEST,
                   "A search has at most %d words", BATON_SEARCH_MAX_TERMS);
      return NULL;
    }
  plan = choose_plan (store, query, (const char * const *) terms, error);
  if (plan < 0)
    return NULL;
  g_array_set_clear_func (params, (GDestroyNotify) clear_value);
  sql = list_select (query, plan, params, &order);
  append_conditions (store, sql, params, query, (const char * const *) terms, plan);
  g_string_append (sql, order);
  add_int (params, (gint64) query->limit + 1);
  rows = baton_store_query_values (store, sql->str, (BatonValue *) params->data, params->len,
                                   error);
  if (rows == NULL)
    return NULL;
  shown = MIN (baton_rows_count (rows), query->limit);
  page->conversations = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_conversation_unref);
  for (guint r = 0; r < shown; r++)
    {
      g_autoptr(GError) local_error = NULL;
      BatonConversation *conversation = baton_store_conversations_get (store,
                                                                       baton_rows_text (rows, r,
                                                                                        0),
                                                                       &local_error);

      if (conversation && terms[0]
          && !find_match (store, conversation, query->text, (const char * const *) terms,
                          &local_error))
        g_clear_pointer (&conversation, baton_conversation_unref);
      if (local_error)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (conversation)
        g_ptr_array_add (page->conversations, conversation);
    }
  if (baton_rows_count (rows) > query->limit && shown > 0)
    {
      page->next_id = baton_rows_dup_text (rows, shown - 1, 0);
      page->next_activity_at = baton_rows_int (rows, shown - 1, 1);
    }
  return g_steal_pointer (&page);
}

GStrv
baton_store_conversations_of_contact (BatonStore  *store,
                                      const char  *contact_id,
                                      GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT id FROM conversations"
                                                 " WHERE contact_id = ?", "s", contact_id);

  return rows ? baton_rows_column_strv (rows, 0) : NULL;
}

char *
baton_store_conversations_latest (BatonStore  *store,
                                  const char  *contact_id,
                                  const char  *channel_id,
                                  char       **status,
                                  GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT id, status FROM conversations"
                                                 " WHERE contact_id = ? AND channel_id = ?"
                                                 " ORDER BY created_at DESC, id DESC LIMIT 1",
                                                 "ss", contact_id, channel_id);

  if (rows == NULL || baton_rows_count (rows) == 0)
    return NULL;
  if (status)
    *status = baton_rows_dup_text (rows, 0, 1);
  return baton_rows_dup_text (rows, 0, 0);
}

char *
baton_store_conversations_find_open (BatonStore  *store,
                                     const char  *contact_id,
                                     const char  *channel_id,
                                     GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT id FROM conversations"
                                                 " WHERE contact_id = ? AND channel_id = ?"
                                                 " AND status <> 'resolved'"
                                                 " ORDER BY created_at DESC LIMIT 1", "ss",
                                                 contact_id, channel_id);

  if (rows == NULL || baton_rows_count (rows) == 0)
    return NULL;
  return baton_rows_dup_text (rows, 0, 0);
}

GStrv
baton_store_conversations_unassigned_of_contact (BatonStore  *store,
                                                 const char  *contact_id,
                                                 GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT c.id FROM conversations c"
                                                 " WHERE c.contact_id = ?"
                                                 " AND c.status <> 'resolved' AND NOT EXISTS"
                                                 " (SELECT 1 FROM conversation_assignees a"
                                                 " WHERE a.conversation_id = c.id)"
                                                 " ORDER BY c.created_at", "s", contact_id);

  return rows ? baton_rows_column_strv (rows, 0) : NULL;
}

GStrv
baton_store_conversations_of_assignee (BatonStore  *store,
                                       const char  *agent_id,
                                       GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT c.id FROM conversations c"
                                                 " JOIN conversation_assignees ca"
                                                 " ON ca.conversation_id = c.id"
                                                 " WHERE ca.agent_id = ?"
                                                 " AND c.status <> 'resolved'", "s", agent_id);

  return rows ? baton_rows_column_strv (rows, 0) : NULL;
}

gboolean
baton_store_conversations_insert (BatonStore               *store,
                                  const BatonConversation  *conversation,
                                  GError                  **error)
{
  g_autofree char *referral = NULL;

  if (conversation->referral)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (),
                                                        conversation->referral);

      referral = baton_json_to_string (node);
    }
  return baton_store_exec (store, error,
                           "INSERT INTO conversations (id, channel_id, contact_id, status,"
                           " version, last_preview, last_direction, last_at, inbound_count,"
                           " window_expires_at, referral, activity_at, created_at, updated_at)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, NULLIF(?, 0), ?, NULLIF(?, 0), ?, ?,"
                           " ?, ?)", "ssssissiiisiii", conversation->id,
                           conversation->channel_id, conversation->contact_id,
                           baton_status_to_string (conversation->status), conversation->version,
                           conversation->last_preview, conversation->last_direction,
                           conversation->last_at, conversation->inbound_count,
                           conversation->window_expires_at, referral, conversation->activity_at,
                           conversation->created_at, conversation->updated_at) >= 0;
}

gboolean
baton_store_conversations_show_message (BatonStore               *store,
                                        const char               *id,
                                        const BatonShownMessage  *shown,
                                        GError                  **error)
{
  /* one statement: the expressions read the row as it was */
  return baton_store_exec (store, error,
                           "UPDATE conversations SET"
                           " last_preview = CASE WHEN ?6 <> 0 OR last_preview IS NULL THEN ?1"
                           "                ELSE last_preview END,"
                           " last_direction = CASE WHEN ?6 <> 0 OR last_preview IS NULL THEN ?2"
                           "                  ELSE last_direction END,"
                           " last_at = CASE WHEN ?6 <> 0 OR last_preview IS NULL THEN ?3"
                           "           ELSE last_at END,"
                           " activity_at = ?4,"
                           " inbound_count = inbound_count + ?7,"
                           " version = version + ?8,"
                           " updated_at = CASE WHEN ?9 <> 0 THEN ?4 ELSE updated_at END,"
                           " window_expires_at = CASE"
                           "   WHEN ?10 > COALESCE(window_expires_at, 0) THEN ?10"
                           "   ELSE window_expires_at END"
                           " WHERE id = ?5", "ssiisbbibi", shown->preview, shown->direction,
                           shown->at, shown->now, id, shown->replaces_preview,
                           shown->inbound ? 1 : 0, shown->bump ? shown->increment : 0,
                           shown->bump, shown->window_expires_at) >= 0;
}

gboolean
baton_store_conversations_bump (BatonStore  *store,
                                const char  *id,
                                gint64       increment,
                                gint64       now,
                                GError     **error)
{
  return baton_store_exec (store, error,
                           "UPDATE conversations SET version = version + ?, updated_at = ?"
                           " WHERE id = ?", "iis", increment, now, id) >= 0;
}

gboolean
baton_store_conversations_set_team (BatonStore  *store,
                                    const char  *id,
                                    const char  *team_id,
                                    GError     **error)
{
  return baton_store_exec (store, error, "UPDATE conversations SET team_id = ? WHERE id = ?",
                           "ss", team_id, id) >= 0;
}

gboolean
baton_store_conversations_set_queued (BatonStore  *store,
                                      const char  *id,
                                      gint64       queued_at,
                                      GError     **error)
{
  return baton_store_exec (store, error,
                           "UPDATE conversations SET queued_at = NULLIF(?, 0) WHERE id = ?", "is",
                           queued_at, id) >= 0;
}

gboolean
baton_store_conversations_enqueue (BatonStore  *store,
                                   const char  *id,
                                   gint64       now,
                                   GError     **error)
{
  return baton_store_exec (store, error,
                           "UPDATE conversations SET queued_at = COALESCE(queued_at, ?)"
                           " WHERE id = ?", "is", now, id) >= 0;
}

gboolean
baton_store_conversations_requeue_if_unassigned (BatonStore  *store,
                                                 const char  *id,
                                                 gint64       now,
                                                 GError     **error)
{
  return baton_store_exec (store, error,
                           "UPDATE conversations SET queued_at = ? WHERE id = ?"
                           " AND team_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM"
                           " conversation_assignees a WHERE a.conversation_id = conversations.id)",
                           "is", now, id) >= 0;
}

gboolean
baton_store_conversations_resolve (BatonStore  *store,
                                   const char  *id,
                                   gint64       at,
                                   GError     **error)
{
  return baton_store_exec (store, error,
                           "UPDATE conversations SET status = 'resolved', resolved_at = ?,"
                           " reassign_due_at = NULL, queued_at = NULL WHERE id = ?", "is", at,
                           id) >= 0;
}

gboolean
baton_store_conversations_reopen (BatonStore  *store,
                                  const char  *id,
                                  const char  *status,
                                  GError     **error)
{
  return baton_store_exec (store, error,
                           "UPDATE conversations SET status = ?, resolved_at = NULL WHERE id = ?",
                           "ss", status, id) >= 0;
}

gboolean
baton_store_conversations_responded (BatonStore  *store,
                                     const char  *id,
                                     gint64       at,
                                     GError     **error)
{
  return baton_store_exec (store, error,
                           "UPDATE conversations SET status = CASE WHEN status = 'new'"
                           " THEN 'in_progress' ELSE status END,"
                           " first_response_at = COALESCE(first_response_at, ?) WHERE id = ?",
                           "is", at, id) >= 0;
}

gboolean
baton_store_conversations_extend_window (BatonStore  *store,
                                         const char  *id,
                                         gint64       expires_at,
                                         GError     **error)
{
  return baton_store_exec (store, error,
                           "UPDATE conversations SET window_expires_at = CASE"
                           " WHEN ?1 > COALESCE(window_expires_at, 0) THEN ?1"
                           " ELSE window_expires_at END WHERE id = ?2", "is",
                           expires_at, id) >= 0;
}

gboolean
baton_store_conversations_set_referral (BatonStore  *store,
                                        const char  *id,
                                        const char  *referral,
                                        GError     **error)
{
  return baton_store_exec (store, error,
                           "UPDATE conversations SET referral = COALESCE(referral, ?)"
                           " WHERE id = ?", "ss", referral, id) >= 0;
}

gboolean
baton_store_conversations_set_tags (BatonStore          *store,
                                    const char          *id,
                                    const char * const  *tags,
                                    GError             **error)
{
  return baton_store_replace_list (store,
                                   "DELETE FROM conversation_tags WHERE conversation_id = ?",
                                   "INSERT INTO conversation_tags (conversation_id, tag,"
                                   " position) VALUES (?, ?, ?)", id, tags, error);
}

gboolean
baton_store_conversations_add_assignee (BatonStore  *store,
                                        const char  *id,
                                        const char  *agent_id,
                                        gint64       at,
                                        const char  *via,
                                        GError     **error)
{
  return baton_store_exec (store, error,
                           "INSERT INTO conversation_assignees (conversation_id, agent_id,"
                           " position, assigned_at, via) VALUES (?, ?, (SELECT"
                           " COALESCE(MAX(position), 0) + 1 FROM conversation_assignees"
                           " WHERE conversation_id = ?), ?, ?)", "sssis", id, agent_id, id, at,
                           via) >= 0;
}

gboolean
baton_store_conversations_remove_assignee (BatonStore  *store,
                                           const char  *id,
                                           const char  *agent_id,
                                           GError     **error)
{
  return baton_store_exec (store, error,
                           "DELETE FROM conversation_assignees WHERE conversation_id = ?"
                           " AND agent_id = ?", "ss", id, agent_id) >= 0;
}

gboolean
baton_store_conversations_set_reassign (BatonStore  *store,
                                        const char  *id,
                                        gint64       due_at,
                                        const char  *agent_id,
                                        GError     **error)
{
  return baton_store_exec (store, error,
                           "UPDATE conversations SET reassign_due_at = NULLIF(?, 0),"
                           " reassign_agent_id = ? WHERE id = ?", "iss", due_at, agent_id,
                           id) >= 0;
}

void
baton_pending_conversation_free (BatonPendingConversation *pending)
{
  g_free (pending->conversation_id);
  g_free (pending->agent_id);
  g_free (pending->team_id);
  g_free (pending);
}

gboolean
baton_store_conversations_get_reassign (BatonStore                *store,
                                        const char                *id,
                                        BatonPendingConversation  *timer,
                                        GError                   **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT reassign_due_at, reassign_agent_id,"
                                                 " team_id FROM conversations"
                                                 " WHERE id = ? AND status <> 'resolved'", "s",
                                                 id);

  if (rows == NULL || baton_rows_count (rows) == 0)
    return FALSE;
  timer->conversation_id = g_strdup (id);
  timer->due_at = baton_rows_int (rows, 0, 0);
  timer->agent_id = baton_rows_dup_text (rows, 0, 1);
  timer->team_id = baton_rows_dup_text (rows, 0, 2);
  return TRUE;
}

/* rows of (id, due_at, team_id) as BatonPendingConversation */
static GPtrArray *
pending_from_rows (BatonRows *rows)
{
  GPtrArray *pending = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                       baton_pending_conversation_free);

  for (guint r = 0; r < baton_rows_count (rows); r++)
    {
      BatonPendingConversation *item = g_new0 (BatonPendingConversation, 1);

      item->conversation_id = baton_rows_dup_text (rows, r, 0);
      item->due_at = baton_rows_int (rows, r, 1);
      item->team_id = baton_rows_dup_text (rows, r, 2);
      g_ptr_array_add (pending, item);
    }
  return pending;
}

GPtrArray *
baton_store_conversations_timers (BatonStore  *store,
                                  gint64       due_by,
                                  GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT id, reassign_due_at, NULL"
                                                 " FROM conversations"
                                                 " WHERE reassign_due_at <= ?", "i", due_by);

  return rows ? pending_from_rows (rows) : NULL;
}

GPtrArray *
baton_store_conversations_queued (BatonStore  *store,
                                  GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT c.id, 0, c.team_id FROM conversations c"
                                                 " WHERE c.queued_at IS NOT NULL"
                                                 " AND c.status <> 'resolved'"
                                                 " AND c.team_id IS NOT NULL AND NOT EXISTS"
                                                 " (SELECT 1 FROM conversation_assignees a"
                                                 " WHERE a.conversation_id = c.id)"
                                                 " ORDER BY c.queued_at, c.created_at, c.id",
                                                 "");

  return rows ? pending_from_rows (rows) : NULL;
}

gboolean
baton_store_conversations_add_lapse (BatonStore  *store,
                                     const char  *id,
                                     const char  *agent_id,
                                     GError     **error)
{
  return baton_store_exec (store, error,
                           "INSERT INTO conversation_lapses (conversation_id, agent_id)"
                           " VALUES (?, ?) ON CONFLICT DO NOTHING", "ss", id, agent_id) >= 0;
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

/* The demo's story */

/* The contact's conversations become another contact's. */
gboolean
baton_store_conversations_move_contact (BatonStore  *store,
                                        const char  *from_contact_id,
                                        const char  *to_contact_id,
                                        GError     **error)
{
  return baton_store_exec (store, error,
                           "UPDATE conversations SET contact_id = ? WHERE contact_id = ?", "ss",
                           to_contact_id, from_contact_id) >= 0;
}

void
baton_customer_pick_free (BatonCustomerPick *pick)
{
  g_free (pick->channel_id);
  g_free (pick->phone);
  g_free (pick->wa_id);
  g_free (pick->name);
  g_free (pick->last_direction);
  g_free (pick);
}

static BatonCustomerPick *
customer_pick_from_rows (BatonRows *rows)
{
  BatonCustomerPick *pick = NULL;

  if (rows == NULL || baton_rows_count (rows) == 0)
    return NULL;
  pick = g_new0 (BatonCustomerPick, 1);
  pick->channel_id = baton_rows_dup_text (rows, 0, 0);
  pick->phone = baton_rows_dup_text (rows, 0, 1);
  pick->wa_id = baton_rows_dup_text (rows, 0, 2);
  pick->name = baton_rows_dup_text (rows, 0, 3);
  pick->last_direction = baton_rows_dup_text (rows, 0, 4);
  return pick;
}

#define CUSTOMER_PICK_FROM \
  "SELECT c.channel_id, k.phone, k.wa_id, k.name, c.last_direction" \
  " FROM conversations c JOIN contacts k ON k.id = c.contact_id" \
  " JOIN channels h ON h.id = c.channel_id"

BatonCustomerPick *
baton_store_conversations_pick_open (BatonStore  *store,
                                     const char  *kind,
                                     const char  *phone_number_id,
                                     GError     **error)
{
  g_autoptr(BatonRows) rows = NULL;

  rows = baton_store_query (store, error,
                            CUSTOMER_PICK_FROM
                            " WHERE h.kind = ?"
                            " AND COALESCE(h.phone_number_id, '')"
                            " = COALESCE(?, h.phone_number_id, '')"
                            " AND c.status <> 'resolved'"
                            " AND (h.kind <> 'whatsapp' OR k.wa_id IS NOT NULL)"
                            " ORDER BY CASE WHEN c.last_direction = 'outbound' THEN 0 ELSE 1 END,"
                            " random() LIMIT 1", "ss", kind, phone_number_id);
  return customer_pick_from_rows (rows);
}

BatonCustomerPick *
baton_store_conversations_pick_resolved (BatonStore  *store,
                                         const char  *kind,
                                         GError     **error)
{
  g_autoptr(BatonRows) rows = NULL;

  rows = baton_store_query (store, error,
                            CUSTOMER_PICK_FROM
                            " WHERE h.kind = ? AND c.status = 'resolved' AND NOT EXISTS"
                            " (SELECT 1 FROM conversations later"
                            "  WHERE later.contact_id = c.contact_id"
                            "  AND later.channel_id = c.channel_id"
                            "  AND later.created_at > c.created_at)"
                            " ORDER BY random() LIMIT 1", "s", kind);
  return customer_pick_from_rows (rows);
}
