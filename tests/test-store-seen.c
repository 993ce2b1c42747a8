/* test-store-seen.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-store-conversations.h"
#include "baton-store-messages.h"
#include "baton-store-seen.h"
#include "baton-test-store.h"

/* Read state in the store: the inbound count the message insert keeps, the seen count that
 * never goes back, and the open and unread counts per filter. */

static void
insert_message (BatonTestStore   *fixture,
                const char       *id,
                BatonMessageKind  kind)
{
  g_autoptr(GError) error = NULL;
  BatonMessageRow row = {
    .id = id,
    .conversation_id = "cnv_1",
    .channel_id = "chn_1",
    .kind = kind,
    .author_type = kind == BATON_MESSAGE_INBOUND ? "contact" : "agent",
    .author_name = "Ada",
    .body = "hello",
    .created_at = 1000,
  };
  BatonShownMessage shown = {
    .preview = "hello", .direction = "inbound", .at = 1000, .now = 1000,
    .replaces_preview = kind != BATON_MESSAGE_ACTIVITY, .inbound = kind == BATON_MESSAGE_INBOUND,
  };

  g_assert_true (baton_store_messages_insert (fixture->store, &row, &error));
  g_assert_true (baton_store_conversations_show_message (fixture->store, "cnv_1", &shown,
                                                         &error));
  g_assert_no_error (error);
}

static gint64
through (BatonTestStore *fixture,
         const char     *message_id)
{
  g_autoptr(GError) error = NULL;
  gint64 count = -1;

  if (!baton_store_messages_inbound_through (fixture->store, "cnv_1", message_id, &count,
                                             &error))
    count = -1;
  g_assert_no_error (error);
  return count;
}

static void
test_inbound_count (BatonTestStore *fixture,
                    gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonConversation) conversation = NULL;

  baton_test_store_add_thread (fixture);
  insert_message (fixture, "msg_1", BATON_MESSAGE_INBOUND);
  insert_message (fixture, "msg_2", BATON_MESSAGE_OUTBOUND);
  insert_message (fixture, "msg_3", BATON_MESSAGE_INBOUND);
  insert_message (fixture, "msg_4", BATON_MESSAGE_NOTE);
  insert_message (fixture, "msg_5", BATON_MESSAGE_ACTIVITY);
  conversation = baton_store_conversations_get (fixture->store, "cnv_1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (conversation->inbound_count, ==, 2);
  g_assert_cmpint (conversation->activity_at, ==, 1000);

  /* An activity line that bumps the version in the same statement: the preview stays. */
  {
    BatonShownMessage line = {
      .preview = "Assigned", .direction = "activity", .at = 2000, .now = 2000,
      .bump = TRUE, .increment = 1,
    };
    g_autoptr(BatonConversation) bumped = NULL;

    g_assert_true (baton_store_conversations_show_message (fixture->store, "cnv_1", &line,
                                                           &error));
    bumped = baton_store_conversations_get (fixture->store, "cnv_1", &error);
    g_assert_no_error (error);
    g_assert_cmpint (bumped->version, ==, conversation->version + 1);
    g_assert_cmpint (bumped->updated_at, ==, 2000);
    g_assert_cmpint (bumped->activity_at, ==, 2000);
    g_assert_cmpint (bumped->inbound_count, ==, 2);
    g_assert_cmpstr (bumped->last_preview, ==, conversation->last_preview);
  }

  g_assert_cmpint (through (fixture, "msg_1"), ==, 1);
  g_assert_cmpint (through (fixture, "msg_2"), ==, 1);
  g_assert_cmpint (through (fixture, "msg_3"), ==, 2);
  g_assert_cmpint (through (fixture, "msg_5"), ==, 2);
  g_assert_cmpint (through (fixture, "msg_none"), ==, -1);
}

static void
record (BatonTestStore *fixture,
        gint64          seen_count,
        gboolean        expect_changed,
        gint64          expect_stored)
{
  g_autoptr(GError) error = NULL;
  gboolean changed = !expect_changed;
  gint64 stored = -1;

  g_assert_true (baton_store_seen_record (fixture->store, "agt_1", "cnv_1", seen_count,
                                          &changed, &stored, &error));
  g_assert_no_error (error);
  g_assert_cmpint (changed, ==, expect_changed);
  g_assert_cmpint (stored, ==, expect_stored);
}

static void
add_agent (BatonTestStore *fixture)
{
  baton_test_store_exec (fixture,
                         "INSERT INTO agents (id, name, email, email_key, role, password_hash,"
                         " created_at, updated_at)"
                         " VALUES ('agt_1', 'Ana', 'a@x', 'a@x', 'agent', 'x', 0, 0)");
}

static void
test_record_never_goes_back (BatonTestStore *fixture,
                             gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) seen = NULL;
  BatonSeen *row = NULL;

  baton_test_store_add_thread (fixture);
  add_agent (fixture);
  record (fixture, 2, TRUE, 2);
  record (fixture, 1, FALSE, 2);
  record (fixture, 2, FALSE, 2);
  record (fixture, 3, TRUE, 3);
  seen = baton_store_seen_list (fixture->store, "agt_1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seen->len, ==, 1);
  row = seen->pdata[0];
  g_assert_cmpstr (row->conversation_id, ==, "cnv_1");
  g_assert_cmpint (row->seen_count, ==, 3);
}

static BatonConversationCounts *
counts (BatonTestStore *fixture)
{
  g_autoptr(GError) error = NULL;
  BatonConversationCounts *result = baton_store_seen_counts (fixture->store, "agt_1", &error);

  g_assert_no_error (error);
  return result;
}

static void
assert_count (const BatonOpenCount *count,
              gint64                open,
              gint64                unread)
{
  g_assert_nonnull (count);
  g_assert_cmpint (count->open, ==, open);
  g_assert_cmpint (count->unread, ==, unread);
}

static void
test_counts (BatonTestStore *fixture,
             gconstpointer   data)
{
  g_autoptr(BatonConversationCounts) before = NULL;
  g_autoptr(BatonConversationCounts) assigned = NULL;
  g_autoptr(BatonConversationCounts) seen = NULL;
  g_autoptr(BatonConversationCounts) unassigned = NULL;
  g_autoptr(BatonConversationCounts) resolved = NULL;

  baton_test_store_add_thread (fixture);
  add_agent (fixture);
  baton_test_store_exec (fixture, "INSERT INTO teams (id, name, strategy, created_at,"
                                  " updated_at) VALUES ('tem_2', 'Billing', 'manual', 0, 0),"
                                  " ('tem_1', 'Accounts', 'manual', 0, 0)");
  insert_message (fixture, "msg_1", BATON_MESSAGE_INBOUND);

  before = counts (fixture);
  assert_count (&before->all, 1, 1);
  assert_count (&before->unassigned, 1, 1);
  assert_count (&before->mine, 0, 0);
  /* every team, by name */
  g_assert_cmpuint (before->teams->len, ==, 2);
  g_assert_cmpstr (((BatonTeamCount *) before->teams->pdata[0])->team_id, ==, "tem_1");
  assert_count (baton_conversation_counts_get_team (before, "tem_2"), 0, 0);

  baton_test_store_exec (fixture, "UPDATE conversations SET team_id = 'tem_2'");
  baton_test_store_exec (fixture, "INSERT INTO conversation_assignees (conversation_id,"
                                  " agent_id, position, assigned_at, via)"
                                  " VALUES ('cnv_1', 'agt_1', 0, 0, 'manual')");
  assigned = counts (fixture);
  assert_count (&assigned->mine, 1, 1);
  assert_count (&assigned->unassigned, 0, 0);
  assert_count (baton_conversation_counts_get_team (assigned, "tem_2"), 1, 1);
  assert_count (baton_conversation_counts_get_team (assigned, "tem_1"), 0, 0);

  record (fixture, 1, TRUE, 1);
  seen = counts (fixture);
  assert_count (&seen->mine, 1, 0);
  assert_count (&seen->all, 1, 0);
  assert_count (baton_conversation_counts_get_team (seen, "tem_2"), 1, 0);
  assert_count (&seen->unassigned, 0, 0);

  /* unassigned again: counted there, still read for the agent */
  baton_test_store_exec (fixture, "DELETE FROM conversation_assignees");
  unassigned = counts (fixture);
  assert_count (&unassigned->unassigned, 1, 0);
  assert_count (&unassigned->mine, 0, 0);

  baton_test_store_exec (fixture, "UPDATE conversations SET status = 'resolved'");
  resolved = counts (fixture);
  assert_count (&resolved->all, 0, 0);
  assert_count (&resolved->mine, 0, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  baton_test_store_add ("/store/seen/inbound-count", test_inbound_count);
  baton_test_store_add ("/store/seen/never-goes-back", test_record_never_goes_back);
  baton_test_store_add ("/store/seen/counts", test_counts);

  return g_test_run ();
}
