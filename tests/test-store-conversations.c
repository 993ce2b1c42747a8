/* test-store-conversations.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-error.h"
#include "baton-store-channels.h"
#include "baton-store-conversations.h"
#include "baton-store-search.h"
#include "baton-store-snapshot.h"
#include "baton-store-teams.h"
#include "baton-test-store.h"

/* cnv_1 (Ada, new, agt_1, team tea_1, activity 100), cnv_2 (Bob, in_progress, nobody,
 * "refund please", 300), cnv_3 (Cy, resolved, agt_2, 200), cnv_4 (Ada, new, nobody, 300) */
static void
add_conversations (BatonTestStore *fixture)
{
  baton_test_store_add_thread (fixture);
  baton_test_store_exec (fixture,
                         "INSERT INTO agents (id, name, email, email_key, role, password_hash,"
                         " created_at, updated_at) VALUES"
                         " ('agt_1', 'A', 'a@x', 'a@x', 'agent', '', 0, 0),"
                         " ('agt_2', 'B', 'b@x', 'b@x', 'agent', '', 0, 0)");
  baton_test_store_exec (fixture,
                         "INSERT INTO teams (id, name, strategy, created_at, updated_at)"
                         " VALUES ('tea_1', 'T', 'manual', 0, 0)");
  baton_test_store_exec (fixture,
                         "INSERT INTO contacts (id, name, phone, created_at) VALUES"
                         " ('ctc_2', 'Bob', '+332', 0), ('ctc_3', 'Cy', '+333', 0)");
  baton_test_store_exec (fixture,
                         "UPDATE conversations SET activity_at = 100, team_id = 'tea_1'"
                         " WHERE id = 'cnv_1'");
  baton_test_store_exec (fixture,
                         "INSERT INTO conversations (id, channel_id, contact_id, status,"
                         " last_preview, activity_at, created_at, updated_at) VALUES"
                         " ('cnv_2', 'chn_1', 'ctc_2', 'in_progress', 'refund please', 300,"
                         " 0, 0),"
                         " ('cnv_3', 'chn_1', 'ctc_3', 'resolved', NULL, 200, 0, 0),"
                         " ('cnv_4', 'chn_1', 'ctc_1', 'new', NULL, 300, 1, 0)");
  baton_test_store_exec (fixture,
                         "INSERT INTO conversation_assignees (conversation_id, agent_id,"
                         " position, assigned_at, via) VALUES"
                         " ('cnv_1', 'agt_1', 0, 0, 'manual'), ('cnv_3', 'agt_2', 0, 0, 'manual')");
  baton_test_store_exec (fixture,
                         "INSERT INTO conversation_tags (conversation_id, tag, position)"
                         " VALUES ('cnv_1', 'b', 0), ('cnv_1', 'a', 1)");
}

static void
add_message (BatonTestStore *fixture,
             guint           n,
             const char     *conversation_id,
             const char     *kind,
             const char     *body)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO messages (n, id, conversation_id,"
                                          " channel_id, kind, author_type, author_name, body,"
                                          " created_at) VALUES (%u, 'msg_%u', '%s', 'chn_1',"
                                          " '%s', 'contact', 'X', '%s', 0)", n, n,
                                          conversation_id, kind, body);

  baton_test_store_exec (fixture, sql);
}

static void
assert_page (BatonTestStore               *fixture,
             const BatonConversationQuery *query,
             const char                   *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonConversationPage) page = baton_store_conversations_list (fixture->store, query,
                                                                          &error);
  g_autoptr(GString) ids = g_string_new ("");

  g_assert_no_error (error);
  for (guint i = 0; i < page->conversations->len; i++)
    g_string_append_printf (ids, "%s%s", i ? "," : "",
                            ((BatonConversation *) g_ptr_array_index (page->conversations,
                                                                      i))->id);
  if (page->next_id)
    g_string_append_printf (ids, ">%" G_GINT64_FORMAT ".%s", page->next_activity_at,
                            page->next_id);
  g_assert_cmpstr (ids->str, ==, expected);
}

static void
catch_up_search (BatonTestStore *fixture)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (baton_store_search_catch_up (fixture->store, &error));
  g_assert_no_error (error);
}

static gint64
count_rows (BatonTestStore *fixture,
            const char     *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonRows) rows = baton_store_query (fixture->store, &error, sql, "");

  g_assert_no_error (error);
  return baton_rows_int (rows, 0, 0);
}

static void
test_get (BatonTestStore *fixture,
          gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonConversation) conversation = NULL;
  g_autoptr(BatonConversation) missing = NULL;
  g_auto(GStrv) of_contact = NULL;
  g_autofree char *latest = NULL;
  g_autofree char *status = NULL;
  g_autoptr(BatonConversation) whole = NULL;
  g_autoptr(BatonConversation) none = NULL;
  const char *tags[] = { "b", "a", NULL };

  add_conversations (fixture);
  conversation = baton_store_conversations_get (fixture->store, "cnv_1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (conversation->contact_name, ==, "Ada");
  g_assert_cmpstr (conversation->contact_phone, ==, "+331");
  g_assert_cmpstr (conversation->team_id, ==, "tea_1");
  g_assert_cmpint (conversation->activity_at, ==, 100);
  g_assert_cmpint (conversation->status, ==, BATON_STATUS_NEW);
  g_assert_cmpstr (conversation->assignee_ids[0], ==, "agt_1");
  g_assert_true (g_strv_equal ((const char * const *) conversation->tags, tags));
  missing = baton_store_conversations_get (fixture->store, "cnv_9", &error);
  g_assert_no_error (error);
  g_assert_null (missing);

  of_contact = baton_store_conversations_of_contact (fixture->store, "ctc_1", &error);
  g_assert_cmpuint (g_strv_length (of_contact), ==, 2);
  latest = baton_store_conversations_latest (fixture->store, "ctc_1", "chn_1", &status, &error);
  g_assert_cmpstr (latest, ==, "cnv_4");
  g_assert_cmpstr (status, ==, "new");
  whole = baton_store_conversations_get_latest (fixture->store, "ctc_1", "chn_1", &error);
  g_assert_cmpstr (whole->id, ==, "cnv_4");
  g_assert_cmpint (whole->status, ==, BATON_STATUS_NEW);
  g_assert_cmpstr (whole->contact_name, ==, "Ada");
  none = baton_store_conversations_get_latest (fixture->store, "ctc_1", "chn_9", &error);
  g_assert_no_error (error);
  g_assert_null (none);
}

/* newest activity first, ties by id; each filter; the cursor of a page */
static void
test_list (BatonTestStore *fixture,
           gconstpointer   data)
{
  const char *open[] = { "new", "in_progress", NULL };
  const char *resolved[] = { "resolved", NULL };
  const char *agents[] = { "agt_1", "agt_2", NULL };
  BatonConversationQuery all = { .limit = 10 };
  BatonConversationQuery first = { .limit = 2 };
  BatonConversationQuery second = { .limit = 2, .after_id = "cnv_2",
                                     .after_activity_at = 300 };
  BatonConversationQuery inbox = { .statuses = open, .limit = 10 };
  BatonConversationQuery done = { .statuses = resolved, .limit = 10 };
  BatonConversationQuery nobody = { .unassigned = TRUE, .limit = 10 };
  BatonConversationQuery assigned = { .assignee_ids = agents, .limit = 10 };
  BatonConversationQuery team = { .team_id = "tea_1", .limit = 10 };
  BatonConversationQuery by_message = { .text = "REFUND", .limit = 10 };
  BatonConversationQuery by_name = { .text = "ada", .statuses = open, .limit = 10 };
  BatonConversationQuery no_word = { .text = "%", .limit = 10 };
  BatonConversationQuery of_contact = { .contact_id = "ctc_1", .limit = 10 };

  add_conversations (fixture);
  add_message (fixture, 1, "cnv_2", "inbound", "refund please");
  catch_up_search (fixture);
  assert_page (fixture, &all, "cnv_4,cnv_2,cnv_3,cnv_1");
  assert_page (fixture, &first, "cnv_4,cnv_2>300.cnv_2");
  assert_page (fixture, &second, "cnv_3,cnv_1");
  assert_page (fixture, &inbox, "cnv_4,cnv_2,cnv_1");
  assert_page (fixture, &done, "cnv_3");
  assert_page (fixture, &nobody, "cnv_4,cnv_2");
  assert_page (fixture, &assigned, "cnv_3,cnv_1");
  assert_page (fixture, &team, "cnv_1");
  assert_page (fixture, &by_message, "cnv_2");
  assert_page (fixture, &by_name, "cnv_4,cnv_1");
  assert_page (fixture, &no_word, "cnv_4,cnv_2,cnv_3,cnv_1");
  assert_page (fixture, &of_contact, "cnv_4,cnv_1");
}

/* Each word in the contact's name or numbers or in a message of the thread, whatever the
 * case and accents; the index follows the contacts and messages as they change, whether
 * they were indexed already or still wait for it (migration 15). */
static void
test_search (BatonTestStore *fixture,
             gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonConversationPage) too_long = NULL;
  g_autoptr(BatonConversationPage) matched = NULL;
  BatonConversationQuery query = { .limit = 10 };
  struct {
    const char *text;
    const char *ids;
  } searches[] = {
    { "chloe", "cnv_2" },
    { "CHLOÉ", "cnv_2" },
    { "chlo", "cnv_2" },
    { "chlo dupont", "" },
    { "velo", "cnv_3" },
    { "Vélo cy", "cnv_3" },
    { "chloe refund", "cnv_2" },
    { "chloe velo", "" },
    { "ada", "cnv_4,cnv_1" },
    { "assigned", "" },
    { "+33 2", "cnv_2" },
    { "(33) 2-", "cnv_2" },
    { "33", "cnv_4,cnv_2,cnv_3,cnv_1" },
    { "\"AND\" OR (*) -", "" },
    { "\"", "cnv_4,cnv_2,cnv_3,cnv_1" },
  };

  add_conversations (fixture);
  /* edited and deleted while waiting: indexed as they are when the index catches up */
  baton_test_store_exec (fixture, "UPDATE contacts SET name = 'Chloé' WHERE id = 'ctc_2'");
  add_message (fixture, 1, "cnv_2", "inbound", "refund please");
  add_message (fixture, 2, "cnv_3", "outbound", "Ton vélo est prêt");
  add_message (fixture, 3, "cnv_3", "activity", "Ada assigned Cy");
  add_message (fixture, 4, "cnv_1", "inbound", "a bicycle");
  add_message (fixture, 5, "cnv_4", "inbound", "unicycle");
  baton_test_store_exec (fixture, "UPDATE messages SET body = 'a tandem' WHERE n = 4");
  baton_test_store_exec (fixture, "DELETE FROM messages WHERE n = 5");
  /* SQLite indexes in batches; PostgreSQL's triggers index each row as it is written */
  if (!baton_test_store_is_postgres ())
    {
      g_assert_cmpint (count_rows (fixture, "SELECT COUNT(*) FROM message_search_pending"), ==,
                       3);
      query.text = "ton";
      assert_page (fixture, &query, "");
    }
  catch_up_search (fixture);
  g_assert_cmpint (count_rows (fixture, "SELECT COUNT(*) FROM message_search_pending"), ==, 0);
  g_assert_cmpint (count_rows (fixture, "SELECT COUNT(*) FROM contact_search_pending"), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    {
      query.text = searches[i].text;
      assert_page (fixture, &query, searches[i].ids);
    }
  /* what matched, when the row's name, number and last message do not show it */
  query.text = "VELO";
  matched = baton_store_conversations_list (fixture->store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (matched->conversations->len, ==, 1);
  g_assert_cmpstr (((BatonConversation *) matched->conversations->pdata[0])->match, ==,
                   "Ton vélo est prêt");
  g_clear_pointer (&matched, baton_conversation_page_free);
  query.text = "bicycle";
  assert_page (fixture, &query, "");
  query.text = "tandem";
  assert_page (fixture, &query, "cnv_1");
  query.text = "unicycle";
  assert_page (fixture, &query, "");

  /* edited and deleted once indexed: out of the index at once, the new text once caught up */
  baton_test_store_exec (fixture, "UPDATE contacts SET name = 'Bob' WHERE id = 'ctc_2'");
  baton_test_store_exec (fixture, "DELETE FROM messages WHERE n = 2");
  baton_test_store_exec (fixture, "UPDATE messages SET body = 'a kayak' WHERE n = 4");
  query.text = "chloe";
  assert_page (fixture, &query, "");
  query.text = "velo";
  assert_page (fixture, &query, "");
  query.text = "tandem";
  assert_page (fixture, &query, "");
  catch_up_search (fixture);
  query.text = "bob";
  assert_page (fixture, &query, "cnv_2");
  query.text = "kayak";
  assert_page (fixture, &query, "cnv_1");
  /* the index holds each row once: FTS5's own check compares it with the messages */
  if (!baton_test_store_is_postgres ())
    baton_test_store_exec (fixture, "INSERT INTO message_search (message_search)"
                                    " VALUES ('integrity-check')");
  else
    g_assert_cmpint (count_rows (fixture, "SELECT COUNT(*) FROM message_search"), ==,
                     count_rows (fixture, "SELECT COUNT(*) FROM messages"
                                          " WHERE kind <> 'activity'"));
  g_assert_cmpint (count_rows (fixture, "SELECT COUNT(*) FROM contact_search"), ==,
                   count_rows (fixture, "SELECT COUNT(*) FROM contacts"));

  /* a word as common as this is looked for by walking the list, with the same answers */
  baton_test_store_exec (fixture,
                         "WITH RECURSIVE k(i) AS (SELECT 10 UNION ALL SELECT i + 1 FROM k"
                         " WHERE i < 2100) INSERT INTO messages (n, id, conversation_id,"
                         " channel_id, kind, author_type, author_name, body, created_at)"
                         " SELECT i, 'msg_' || i, CASE WHEN i % 2 = 1 THEN 'cnv_2' ELSE 'cnv_3' END,"
                         " 'chn_1', 'inbound', 'contact', 'X', 'a common word', 0 FROM k");
  catch_up_search (fixture);
  query.text = "common";
  assert_page (fixture, &query, "cnv_2,cnv_3");
  query.text = "COMMON b";
  assert_page (fixture, &query, "cnv_2");
  query.text = "common ada";
  assert_page (fixture, &query, "");
  query.text = "common";
  query.limit = 1;
  assert_page (fixture, &query, "cnv_2>300.cnv_2");
  query.limit = 10;

  query.text = "a b c d e f g h i j k";
  too_long = baton_store_conversations_list (fixture->store, &query, &error);
  g_assert_error (error, BATON_ERROR, BATON_ERROR_BAD_REQUEST);
  g_assert_null (too_long);
}

static void
assert_assignees (BatonTestStore *fixture,
                  const char     *id,
                  const char     *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonConversation) conversation = baton_store_conversations_get (fixture->store, id,
                                                                             &error);
  g_autofree char *joined = NULL;

  g_assert_no_error (error);
  joined = g_strjoinv (",", conversation->assignee_ids);
  g_assert_cmpstr (joined, ==, expected);
}

/* the agent's last assignment as routing reads it */
static void
assert_last_assigned (BatonTestStore *fixture,
                      const char     *agent_id,
                      gint64          expected)
{
  g_autoptr(GError) error = NULL;
  g_auto(BatonRoutingState) routing = { 0 };

  g_assert_true (baton_store_snapshot_routing (fixture->store, NULL, NULL, &routing, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < routing.agents->len; i++)
    {
      BatonAgentLoadRow *row = routing.agents->pdata[i];

      if (g_str_equal (row->id, agent_id))
        {
          g_assert_cmpint (row->last_assigned_at, ==, expected);
          return;
        }
    }
  g_assert_not_reached ();
}

/* appended in order, removed one by one */
static void
test_assignees (BatonTestStore *fixture,
                gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) of_agent = NULL;
  g_auto(GStrv) unassigned = NULL;

  add_conversations (fixture);
  g_assert_true (baton_store_conversations_add_assignee (fixture->store, "cnv_1", "agt_2", 5,
                                                         "manual", &error));
  assert_assignees (fixture, "cnv_1", "agt_1,agt_2");
  /* an assignment is the agent's latest, whatever its conversation */
  assert_last_assigned (fixture, "agt_2", 5);
  assert_last_assigned (fixture, "agt_1", 0);
  g_assert_true (baton_store_conversations_remove_assignee (fixture->store, "cnv_1", "agt_1",
                                                            &error));
  assert_assignees (fixture, "cnv_1", "agt_2");
  g_assert_true (baton_store_conversations_add_assignee (fixture->store, "cnv_1", "agt_1", 6,
                                                         "manual", &error));
  assert_assignees (fixture, "cnv_1", "agt_2,agt_1");
  assert_last_assigned (fixture, "agt_1", 6);
  assert_last_assigned (fixture, "agt_2", 5);
  /* agt_2's resolved cnv_3 is not active */
  of_agent = baton_store_conversations_of_assignee (fixture->store, "agt_2", &error);
  g_assert_cmpuint (g_strv_length (of_agent), ==, 1);
  g_assert_cmpstr (of_agent[0], ==, "cnv_1");
  g_assert_true (baton_store_conversations_remove_assignee (fixture->store, "cnv_1", "agt_2",
                                                            &error));
  g_assert_true (baton_store_conversations_remove_assignee (fixture->store, "cnv_1", "agt_1",
                                                            &error));
  assert_assignees (fixture, "cnv_1", "");
  unassigned = baton_store_conversations_unassigned_of_contact (fixture->store, "ctc_1",
                                                                &error);
  g_assert_cmpuint (g_strv_length (unassigned), ==, 2);
  g_assert_cmpstr (unassigned[0], ==, "cnv_1");
  g_assert_no_error (error);
}

/* the queue: the oldest first, active ones with a team and nobody assigned */
static void
test_queue (BatonTestStore *fixture,
            gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) empty = NULL;
  g_autoptr(GPtrArray) queued = NULL;
  g_autoptr(GPtrArray) requeued = NULL;
  BatonPendingConversation *first = NULL;

  add_conversations (fixture);
  /* assigned: stays out */
  g_assert_true (baton_store_conversations_set_queued (fixture->store, "cnv_1", 50, &error));
  empty = baton_store_conversations_queued (fixture->store, &error);
  g_assert_cmpuint (empty->len, ==, 0);
  g_assert_true (baton_store_conversations_set_team (fixture->store, "cnv_4", "tea_1", &error));
  g_assert_true (baton_store_conversations_set_queued (fixture->store, "cnv_4", 40, &error));
  g_assert_true (baton_store_conversations_remove_assignee (fixture->store, "cnv_1", "agt_1",
                                                            &error));
  queued = baton_store_conversations_queued (fixture->store, &error);
  g_assert_cmpuint (queued->len, ==, 2);
  first = g_ptr_array_index (queued, 0);
  g_assert_cmpstr (first->conversation_id, ==, "cnv_4");
  g_assert_cmpstr (first->team_id, ==, "tea_1");
  /* handed again to its team, it keeps its place */
  g_assert_true (baton_store_conversations_enqueue (fixture->store, "cnv_4", 45, &error));
  g_assert_true (baton_store_conversations_enqueue (fixture->store, "cnv_1", 45, &error));
  g_clear_pointer (&queued, g_ptr_array_unref);
  queued = baton_store_conversations_queued (fixture->store, &error);
  g_assert_cmpstr (((BatonPendingConversation *) g_ptr_array_index (queued, 0))
                   ->conversation_id, ==, "cnv_4");
  g_assert_true (baton_store_conversations_set_queued (fixture->store, "cnv_4", 0, &error));
  /* only with a team and nobody assigned */
  g_assert_true (baton_store_conversations_requeue_if_unassigned (fixture->store, "cnv_2", 60,
                                                                  &error));
  g_assert_true (baton_store_conversations_requeue_if_unassigned (fixture->store, "cnv_4", 60,
                                                                  &error));
  g_assert_true (baton_store_conversations_resolve (fixture->store, "cnv_1", 70, &error));
  requeued = baton_store_conversations_queued (fixture->store, &error);
  g_assert_cmpuint (requeued->len, ==, 1);
  g_assert_cmpstr (((BatonPendingConversation *) g_ptr_array_index (requeued, 0))
                   ->conversation_id, ==, "cnv_4");
  g_assert_no_error (error);
}

/* the no-reply timer and the lapses */
static void
test_timers (BatonTestStore *fixture,
             gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) armed = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GPtrArray) not_due = NULL;
  g_auto(BatonRoutingState) routing = { 0 };
  BatonPendingConversation timer = { 0 };
  BatonPendingConversation cancelled = { 0 };
  BatonPendingConversation resolved = { 0 };

  add_conversations (fixture);
  g_assert_true (baton_store_conversations_set_reassign (fixture->store, "cnv_1", 900, "agt_1",
                                                         &error));
  armed = baton_store_conversations_timers (fixture->store, G_MAXINT64, &error);
  g_assert_cmpuint (armed->len, ==, 1);
  /* only those due by the time asked */
  not_due = baton_store_conversations_timers (fixture->store, 899, &error);
  g_assert_cmpuint (not_due->len, ==, 0);
  g_clear_pointer (&armed, g_ptr_array_unref);
  armed = baton_store_conversations_timers (fixture->store, 900, &error);
  g_assert_cmpuint (armed->len, ==, 1);
  g_assert_cmpint (((BatonPendingConversation *) g_ptr_array_index (armed, 0))->due_at, ==,
                   900);
  g_assert_true (baton_store_conversations_get_reassign (fixture->store, "cnv_1", &timer,
                                                         &error));
  g_assert_cmpint (timer.due_at, ==, 900);
  g_assert_cmpstr (timer.agent_id, ==, "agt_1");
  g_assert_cmpstr (timer.team_id, ==, "tea_1");
  g_assert_true (baton_store_conversations_set_reassign (fixture->store, "cnv_1", 0, NULL,
                                                         &error));
  g_assert_true (baton_store_conversations_get_reassign (fixture->store, "cnv_1", &cancelled,
                                                         &error));
  g_assert_cmpint (cancelled.due_at, ==, 0);
  none = baton_store_conversations_timers (fixture->store, G_MAXINT64, &error);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_false (baton_store_conversations_get_reassign (fixture->store, "cnv_3", &resolved,
                                                          &error));
  g_assert_no_error (error);

  g_assert_true (baton_store_conversations_add_lapse (fixture->store, "cnv_1", "agt_1", &error));
  g_assert_true (baton_store_conversations_add_lapse (fixture->store, "cnv_1", "agt_1", &error));
  g_assert_true (baton_store_snapshot_routing (fixture->store, "cnv_1", NULL, &routing,
                                               &error));
  g_assert_cmpuint (g_strv_length (routing.lapsed), ==, 1);
  g_assert_cmpstr (routing.lapsed[0], ==, "agt_1");
  g_assert_no_error (error);
  g_free (timer.conversation_id);
  g_free (timer.agent_id);
  g_free (timer.team_id);
  g_free (cancelled.conversation_id);
  g_free (cancelled.team_id);
}

/* status changes, the window and the referral */
static void
test_state (BatonTestStore *fixture,
            gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonConversation) responded = NULL;
  g_autoptr(BatonConversation) reopened = NULL;
  g_autofree char *open = NULL;
  g_autofree char *none = NULL;

  add_conversations (fixture);
  g_assert_true (baton_store_conversations_responded (fixture->store, "cnv_1", 10, &error));
  g_assert_true (baton_store_conversations_responded (fixture->store, "cnv_1", 20, &error));
  g_assert_true (baton_store_conversations_extend_window (fixture->store, "cnv_1", 500, &error));
  g_assert_true (baton_store_conversations_extend_window (fixture->store, "cnv_1", 400, &error));
  g_assert_true (baton_store_conversations_set_referral (fixture->store, "cnv_1", "{\"a\":1}",
                                                         &error));
  g_assert_true (baton_store_conversations_set_referral (fixture->store, "cnv_1", "{\"b\":1}",
                                                         &error));
  g_assert_true (baton_store_conversations_bump (fixture->store, "cnv_1", 1, 30, &error));
  responded = baton_store_conversations_get (fixture->store, "cnv_1", &error);
  g_assert_cmpint (responded->status, ==, BATON_STATUS_IN_PROGRESS);
  g_assert_cmpint (responded->first_response_at, ==, 10);
  g_assert_cmpint (responded->window_expires_at, ==, 500);
  g_assert_true (json_object_has_member (responded->referral, "a"));
  g_assert_cmpint (responded->version, ==, 2);
  g_assert_cmpint (responded->updated_at, ==, 30);

  g_assert_true (baton_store_conversations_reopen (fixture->store, "cnv_3", "new", &error));
  reopened = baton_store_conversations_get (fixture->store, "cnv_3", &error);
  g_assert_cmpint (reopened->status, ==, BATON_STATUS_NEW);
  g_assert_cmpint (reopened->resolved_at, ==, 0);
  open = baton_store_conversations_find_open (fixture->store, "ctc_3", "chn_1", &error);
  g_assert_cmpstr (open, ==, "cnv_3");
  g_assert_true (baton_store_conversations_resolve (fixture->store, "cnv_3", 40, &error));
  none = baton_store_conversations_find_open (fixture->store, "ctc_3", "chn_1", &error);
  g_assert_null (none);
  g_assert_no_error (error);
}

static void
test_snapshot (BatonTestStore *fixture,
               gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_auto(BatonRoutingState) routing = { 0 };
  g_auto(BatonRoutingState) first = { 0 };
  g_auto(BatonRoutingState) nobody = { 0 };

  add_conversations (fixture);
  g_assert_true (baton_store_teams_set_cursor (fixture->store, "tea_1", "agt_2", &error));
  g_assert_true (baton_store_snapshot_routing (fixture->store, "cnv_1", "ctc_1", &routing,
                                               &error));
  g_assert_cmpuint (g_hash_table_size (routing.cursors), ==, 1);
  g_assert_cmpstr (g_hash_table_lookup (routing.cursors, "tea_1"), ==, "agt_2");
  g_assert_cmpuint (g_strv_length (routing.lapsed), ==, 0);
  g_assert_true (routing.returning);
  g_assert_true (baton_store_snapshot_routing (fixture->store, "cnv_2", "ctc_2", &first,
                                               &error));
  g_assert_false (first.returning);
  /* without a conversation: any conversation of the contact makes it returning */
  g_assert_true (baton_store_snapshot_routing (fixture->store, NULL, "ctc_2", &nobody,
                                               &error));
  g_assert_true (nobody.returning);
  g_assert_cmpuint (nobody.agents->len, ==, first.agents->len);
  g_assert_no_error (error);
}

static void
assert_pick (BatonCustomerPick *pick,
             const char        *channel_id,
             const char        *name,
             const char        *last_direction)
{
  g_assert_nonnull (pick);
  g_assert_cmpstr (pick->channel_id, ==, channel_id);
  g_assert_cmpstr (pick->name, ==, name);
  g_assert_cmpstr (pick->last_direction, ==, last_direction);
}

/* The demo's simulated customers: an active conversation (waiting for the customer first;
 * on WhatsApp, of that number and with a wa_id), or a resolved one that is the contact's
 * last on its channel. */
static void
test_customer_pick (BatonTestStore *fixture,
                    gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonCustomerPick) other_number = NULL;
  g_autoptr(BatonCustomerPick) waiting = NULL;
  g_autoptr(BatonCustomerPick) active = NULL;
  g_autoptr(BatonCustomerPick) none = NULL;

  add_conversations (fixture);
  baton_test_store_exec (fixture,
                         "UPDATE channels SET phone_number_id = 'pn_1' WHERE id = 'chn_1'");
  baton_test_store_exec (fixture,
                         "INSERT INTO channels (id, kind, name, created_at, updated_at)"
                         " VALUES ('chn_2', 'api', 'Chat', 0, 0)");
  baton_test_store_exec (fixture,
                         "INSERT INTO conversations (id, channel_id, contact_id, status,"
                         " last_direction, activity_at, created_at, updated_at) VALUES"
                         " ('cnv_5', 'chn_2', 'ctc_2', 'in_progress', 'inbound', 0, 0, 0),"
                         " ('cnv_6', 'chn_2', 'ctc_3', 'new', 'outbound', 0, 0, 0)");

  /* Bob's cnv_2 is active too, but he has no wa_id */
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(BatonCustomerPick) whatsapp = NULL;

      whatsapp = baton_store_conversations_pick_open (fixture->store, "whatsapp", "pn_1",
                                                      &error);
      assert_pick (whatsapp, "chn_1", "Ada", NULL);
      g_assert_cmpstr (whatsapp->wa_id, ==, "331");
      g_assert_cmpstr (whatsapp->phone, ==, "+331");
    }
  other_number = baton_store_conversations_pick_open (fixture->store, "whatsapp", "pn_2",
                                                      &error);
  g_assert_null (other_number);
  waiting = baton_store_conversations_pick_open (fixture->store, "api", NULL, &error);
  assert_pick (waiting, "chn_2", "Cy", "outbound");
  baton_test_store_exec (fixture, "UPDATE conversations SET status = 'resolved'"
                                  " WHERE id = 'cnv_6'");
  active = baton_store_conversations_pick_open (fixture->store, "api", NULL, &error);
  assert_pick (active, "chn_2", "Bob", "inbound");

  /* Ada's resolved cnv_1 has a later thread, cnv_4: only Cy's cnv_3 comes back */
  baton_test_store_exec (fixture, "UPDATE conversations SET status = 'resolved'"
                                  " WHERE id = 'cnv_1'");
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(BatonCustomerPick) resolved = NULL;

      resolved = baton_store_conversations_pick_resolved (fixture->store, "whatsapp", &error);
      assert_pick (resolved, "chn_1", "Cy", NULL);
    }
  baton_test_store_exec (fixture, "DELETE FROM conversations WHERE channel_id = 'chn_2'");
  none = baton_store_conversations_pick_resolved (fixture->store, "api", &error);
  g_assert_null (none);
  g_assert_no_error (error);
}

static void
test_move_contact (BatonTestStore *fixture,
                   gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) moved = NULL;
  g_auto(GStrv) left = NULL;
  g_auto(GStrv) others = NULL;

  add_conversations (fixture);
  g_assert_true (baton_store_conversations_move_contact (fixture->store, "ctc_1", "ctc_3",
                                                         &error));
  g_assert_no_error (error);
  moved = baton_store_conversations_of_contact (fixture->store, "ctc_3", &error);
  left = baton_store_conversations_of_contact (fixture->store, "ctc_1", &error);
  others = baton_store_conversations_of_contact (fixture->store, "ctc_2", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (moved), ==, 3);
  g_assert_true (g_strv_contains ((const char * const *) moved, "cnv_1"));
  g_assert_true (g_strv_contains ((const char * const *) moved, "cnv_3"));
  g_assert_true (g_strv_contains ((const char * const *) moved, "cnv_4"));
  g_assert_cmpuint (g_strv_length (left), ==, 0);
  g_assert_cmpuint (g_strv_length (others), ==, 1);
}

/* Every page of query, following the cursors: "id,id|id,id|…". */
static char *
all_pages (BatonTestStore          *fixture,
           BatonConversationQuery   query)
{
  g_autoptr(GString) ids = g_string_new ("");
  g_autofree char *after_id = NULL;

  do
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BatonConversationPage) page = baton_store_conversations_list (fixture->store,
                                                                              &query, &error);

      g_assert_no_error (error);
      if (after_id)
        g_string_append_c (ids, '|');
      for (guint i = 0; i < page->conversations->len; i++)
        g_string_append_printf (ids, "%s%s", i ? "," : "",
                                ((BatonConversation *) g_ptr_array_index (page->conversations,
                                                                          i))->id);
      g_free (after_id);
      after_id = g_strdup (page->next_id);
      query.after_id = after_id;
      query.after_activity_at = page->next_activity_at;
    }
  while (after_id);
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

/* An agent's list is the same whether their conversations are looked up (few of them) or
 * the list is walked (many), page after page, with activity ties across the pages; a
 * conversation of two of the agents asked for comes once. */
static void
test_list_by_assignee (BatonTestStore *fixture,
                       gconstpointer   data)
{
  const char *many[] = { "agt_1", NULL };
  const char *few[] = { "agt_2", NULL };
  const char *both[] = { "agt_2", "agt_1", "agt_9", NULL };
  const char *open[] = { "new", "in_progress", NULL };
  const char *both_expected = "cnv_3,cnv_49,cnv_48|cnv_47,cnv_46,cnv_45|cnv_44,cnv_43,cnv_42|"
                              "cnv_41,cnv_40,cnv_1|cnv_39,cnv_38,cnv_37|cnv_36,cnv_35,cnv_34|"
                              "cnv_33,cnv_32,cnv_31|cnv_30,cnv_29,cnv_28|cnv_27,cnv_26,cnv_25|"
                              "cnv_24,cnv_23,cnv_22|cnv_21,cnv_20,cnv_12";
  g_autofree char *one_page = g_strdelimit (g_strdup (both_expected), "|", ',');
  BatonConversationQuery query = { .limit = 3 };
  g_autofree char *many_pages = NULL;
  g_autofree char *few_pages = NULL;
  g_autofree char *both_pages = NULL;
  g_autofree char *both_page = NULL;
  g_autofree char *open_pages = NULL;
  g_autofree char *team_pages = NULL;

  add_conversations (fixture);
  /* cnv_10 … cnv_49: activity 20, 20, 30, 30, 30, 30, …; 44 conversations, agt_1 has 31
   * (walked with pages of 3, looked up with pages of 50), agt_2 3 (looked up) */
  baton_test_store_exec (fixture,
                         "WITH RECURSIVE k(i) AS (SELECT 10 UNION ALL SELECT i + 1 FROM k"
                         " WHERE i < 49) INSERT INTO conversations (id, channel_id, contact_id,"
                         " status, team_id, activity_at, created_at, updated_at)"
                         " SELECT 'cnv_' || i, 'chn_1', 'ctc_2', CASE WHEN i % 3 = 0"
                         " THEN 'resolved' ELSE 'in_progress' END, CASE WHEN i % 2 = 0"
                         " THEN 'tea_1' END, (i / 4) * 10, 0, 0 FROM k");
  baton_test_store_exec (fixture,
                         "INSERT INTO conversation_assignees (conversation_id, agent_id,"
                         " position, assigned_at, via) SELECT id, 'agt_1', 0, 0, 'manual'"
                         " FROM conversations WHERE id >= 'cnv_20' AND length(id) = 6");
  baton_test_store_exec (fixture,
                         "INSERT INTO conversation_assignees (conversation_id, agent_id,"
                         " position, assigned_at, via) VALUES"
                         " ('cnv_12', 'agt_2', 1, 0, 'manual'), ('cnv_40', 'agt_2', 1, 0, 'manual')");

  query.assignee_ids = many;
  many_pages = all_pages (fixture, query);
  g_assert_cmpstr (many_pages, ==, "cnv_49,cnv_48,cnv_47|cnv_46,cnv_45,cnv_44|cnv_43,cnv_42,"
                   "cnv_41|cnv_40,cnv_1,cnv_39|cnv_38,cnv_37,cnv_36|cnv_35,cnv_34,cnv_33|"
                   "cnv_32,cnv_31,cnv_30|cnv_29,cnv_28,cnv_27|cnv_26,cnv_25,cnv_24|"
                   "cnv_23,cnv_22,cnv_21|cnv_20");
  query.assignee_ids = few;
  few_pages = all_pages (fixture, query);
  g_assert_cmpstr (few_pages, ==, "cnv_3,cnv_40,cnv_12");
  query.assignee_ids = both;
  both_pages = all_pages (fixture, query);
  g_assert_cmpstr (both_pages, ==, both_expected);
  query.limit = 50;
  both_page = all_pages (fixture, query);
  g_assert_cmpstr (both_page, ==, one_page);
  query.limit = 3;
  query.statuses = open;
  open_pages = all_pages (fixture, query);
  g_assert_cmpstr (open_pages, ==, "cnv_49,cnv_47,cnv_46|cnv_44,cnv_43,cnv_41|cnv_40,cnv_1,"
                   "cnv_38|cnv_37,cnv_35,cnv_34|cnv_32,cnv_31,cnv_29|cnv_28,cnv_26,cnv_25|"
                   "cnv_23,cnv_22,cnv_20");
  query.team_id = "tea_1";
  team_pages = all_pages (fixture, query);
  g_assert_cmpstr (team_pages, ==, "cnv_46,cnv_44,cnv_40|cnv_1,cnv_38,cnv_34|cnv_32,cnv_28,"
                   "cnv_26|cnv_22,cnv_20");

  /* an agent's list follows the activity of their conversations and new assignments */
  baton_test_store_exec (fixture, "UPDATE conversations SET activity_at = 250"
                                  " WHERE id IN ('cnv_12', 'cnv_21')");
  g_assert_true (baton_store_conversations_add_assignee (fixture->store, "cnv_4", "agt_2", 5,
                                                         "manual", NULL));
  query = (BatonConversationQuery) { .limit = 2, .assignee_ids = few };
  g_clear_pointer (&few_pages, g_free);
  few_pages = all_pages (fixture, query);
  g_assert_cmpstr (few_pages, ==, "cnv_4,cnv_12|cnv_3,cnv_40");
  query.assignee_ids = many;
  query.limit = 4;
  g_clear_pointer (&many_pages, g_free);
  many_pages = all_pages (fixture, query);
  g_assert_true (g_str_has_prefix (many_pages, "cnv_21,cnv_49,cnv_48,cnv_47|"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  baton_test_store_add ("/store/conversations/get", test_get);
  baton_test_store_add ("/store/conversations/list", test_list);
  baton_test_store_add ("/store/conversations/search", test_search);
  baton_test_store_add ("/store/conversations/assignees", test_assignees);
  baton_test_store_add ("/store/conversations/queue", test_queue);
  baton_test_store_add ("/store/conversations/timers", test_timers);
  baton_test_store_add ("/store/conversations/state", test_state);
  baton_test_store_add ("/store/conversations/snapshot", test_snapshot);
  baton_test_store_add ("/store/conversations/customer-pick", test_customer_pick);
  baton_test_store_add ("/store/conversations/move-contact", test_move_contact);
  baton_test_store_add ("/store/conversations/list-by-assignee", test_list_by_assignee);

  return g_test_run ();
}
