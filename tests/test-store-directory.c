/* test-store-directory.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-error.h"
#include "baton-store-agents.h"
#include "baton-store-borrowed.h"
#include "baton-store-counts.h"
#include "baton-store-settings.h"
#include "baton-store-sqlite.h"
#include "baton-store-tokens.h"

/* The store's typed functions for the workspace's directory (sessions, agents, teams,
 * channels, routing rules, settings) and the counts of /metrics, each test against a fresh
 * migrated SQLite store in memory. */

typedef struct {
  BatonStore *store;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->store = baton_store_sqlite_open (":memory:", &error);
  g_assert_no_error (error);
  g_assert_true (baton_store_migrate (fixture->store, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  baton_store_close (fixture->store);
  g_clear_object (&fixture->store);
}

static void
add_agent_as (Fixture    *fixture,
              const char *id,
              const char *role,
              gint64      created_at)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *email = g_strdup_printf ("%s@Example.com", id);
  g_autofree char *key = g_ascii_strdown (email, -1);
  BatonAgentRow row = {
    .id = id, .name = id, .email = email, .email_key = key, .role = role,
    .password_hash = "hash", .created_at = created_at, .updated_at = created_at,
  };

  g_assert_true (baton_store_agents_insert (fixture->store, &row, &error));
  g_assert_no_error (error);
}

static void
add_agent (Fixture    *fixture,
           const char *id)
{
  add_agent_as (fixture, id, "agent", 1);
}

/* Agents */

static void
test_agents_get_list (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonAgent) agent = NULL;
  g_autoptr(GPtrArray) agents = NULL;

  add_agent_as (fixture, "agt_b", "manager", 10);
  add_agent_as (fixture, "agt_a", "agent", 20);
  agent = baton_store_agents_get (fixture->store, "agt_b", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (agent->name, ==, "agt_b");
  g_assert_cmpstr (agent->email, ==, "agt_b@Example.com");
  g_assert_cmpint (agent->role, ==, BATON_ROLE_MANAGER);
  g_assert_cmpint (agent->availability, ==, BATON_AVAILABILITY_ONLINE);
  g_assert_cmpint (agent->created_at, ==, 10);
  g_assert_false (agent->online);
  g_assert_null (baton_store_agents_get (fixture->store, "agt_none", &error));
  g_assert_no_error (error);
  /* oldest first */
  agents = baton_store_agents_list (fixture->store, &error);
  g_assert_cmpuint (agents->len, ==, 2);
  g_assert_cmpstr (((BatonAgent *) agents->pdata[0])->id, ==, "agt_b");
  g_assert_cmpint (baton_store_agents_count (fixture->store, NULL, &error), ==, 2);
  g_assert_cmpint (baton_store_agents_count (fixture->store, "manager", &error), ==, 1);
}

static void
test_agents_email (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *id = NULL;
  BatonAgentRow twin = {
    .id = "agt_2", .name = "Twin", .email = "AGT_1@example.com",
    .email_key = "agt_1@example.com", .role = "agent", .password_hash = "h",
  };

  add_agent (fixture, "agt_1");
  id = baton_store_agents_find_email (fixture->store, "agt_1@example.com", &hash, &error);
  g_assert_cmpstr (id, ==, "agt_1");
  g_assert_cmpstr (hash, ==, "hash");
  g_assert_null (baton_store_agents_find_email (fixture->store, "AGT_1@example.com", NULL,
                                                &error));
  g_assert_no_error (error);
  /* the email key is unique */
  g_assert_false (baton_store_agents_insert (fixture->store, &twin, &error));
  g_assert_error (error, BATON_ERROR, BATON_ERROR_CONFLICT);
}

static void
test_agents_update (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonAgent) agent = NULL;
  g_autofree char *hash = NULL;
  BatonAgentRow change = { .id = "agt_1", .availability = "away", .updated_at = 50 };

  add_agent (fixture, "agt_1");
  /* the members not given stay */
  g_assert_true (baton_store_agents_update (fixture->store, &change, &error));
  g_assert_no_error (error);
  agent = baton_store_agents_get (fixture->store, "agt_1", &error);
  g_assert_cmpint (agent->availability, ==, BATON_AVAILABILITY_AWAY);
  g_assert_cmpstr (agent->name, ==, "agt_1");
  g_free (baton_store_agents_find_email (fixture->store, "agt_1@example.com", &hash, &error));
  g_assert_cmpstr (hash, ==, "hash");
  g_assert_true (baton_store_agents_delete (fixture->store, "agt_1", &error));
  g_assert_cmpint (baton_store_agents_count (fixture->store, NULL, &error), ==, 0);
}

static void
test_snapshot_agents (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) loads = NULL;
  BatonAgentLoadRow *row = NULL;

  add_agent (fixture, "agt_1");
  g_assert_true (baton_store_agents_set_last_assigned (fixture->store, "agt_1", 77, &error));
  loads = baton_store_snapshot_agents (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loads->len, ==, 1);
  row = loads->pdata[0];
  g_assert_cmpstr (row->id, ==, "agt_1");
  g_assert_cmpstr (row->availability, ==, "online");
  g_assert_cmpint (row->last_assigned_at, ==, 77);
  g_assert_cmpint (row->active_count, ==, 0);
}

/* Settings */

static void
test_settings (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) settings = NULL;

  g_assert_true (baton_store_settings_set_default (fixture->store, "timezone", "Etc/UTC",
                                                   &error));
  g_assert_true (baton_store_settings_set (fixture->store, "timezone", "Europe/Paris", &error));
  /* a default never replaces a value */
  g_assert_true (baton_store_settings_set_default (fixture->store, "timezone", "Etc/UTC",
                                                   &error));
  g_assert_true (baton_store_settings_set (fixture->store, "unassign_on_resolve", "false",
                                           &error));
  g_assert_no_error (error);
  settings = baton_store_settings_list (fixture->store, &error);
  g_assert_cmpuint (g_hash_table_size (settings), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (settings, "timezone"), ==, "Europe/Paris");
  g_assert_cmpstr (g_hash_table_lookup (settings, "unassign_on_resolve"), ==, "false");
}

/* Sessions */

static void
add_token (Fixture    *fixture,
           const char *agent_id,
           const char *id,
           gint64      created_at,
           gint64      last_used_at)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = g_strconcat ("hash-", id, NULL);
  BatonTokenRow row = {
    .token_hash = hash, .agent_id = (char *) agent_id, .id = (char *) id,
    .created_at = created_at, .last_used_at = last_used_at, .address = "192.0.2.1",
    .user_agent = NULL,
  };

  g_assert_true (baton_store_tokens_insert (fixture->store, &row, &error));
  g_assert_no_error (error);
}

static void
assert_hashes (GStrv       hashes,
               const char *expected)
{
  g_autofree char *joined = NULL;

  g_assert_nonnull (hashes);
  joined = g_strjoinv (",", hashes);
  g_assert_cmpstr (joined, ==, expected);
  g_strfreev (hashes);
}

static void
test_tokens_find_touch (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonTokenRow) row = NULL;
  g_autoptr(BatonTokenRow) touched = NULL;

  add_agent (fixture, "agt_1");
  add_token (fixture, "agt_1", "ses_1", 100, 200);
  row = baton_store_tokens_find (fixture->store, "hash-ses_1", &error);
  g_assert_no_error (error);
  g_assert_nonnull (row);
  g_assert_cmpstr (row->agent_id, ==, "agt_1");
  g_assert_cmpstr (row->id, ==, "ses_1");
  g_assert_cmpint (row->created_at, ==, 100);
  g_assert_cmpint (row->last_used_at, ==, 200);
  g_assert_cmpstr (row->address, ==, "192.0.2.1");
  g_assert_null (row->user_agent);
  g_assert_null (baton_store_tokens_find (fixture->store, "hash-unknown", &error));
  g_assert_no_error (error);

  g_assert_true (baton_store_tokens_touch (fixture->store, "hash-ses_1", 900, &error));
  touched = baton_store_tokens_find (fixture->store, "hash-ses_1", &error);
  g_assert_cmpint (touched->last_used_at, ==, 900);
}

static void
test_tokens_list_agent (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tokens = NULL;

  add_agent (fixture, "agt_1");
  add_agent (fixture, "agt_2");
  add_token (fixture, "agt_1", "ses_a", 100, 500);
  add_token (fixture, "agt_1", "ses_b", 300, 500);
  /* idle: used at the limit or before */
  add_token (fixture, "agt_1", "ses_c", 200, 400);
  add_token (fixture, "agt_2", "ses_d", 400, 500);
  tokens = baton_store_tokens_list_agent (fixture->store, "agt_1", 400, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tokens->len, ==, 2);
  /* newest first */
  g_assert_cmpstr (((BatonTokenRow *) tokens->pdata[0])->id, ==, "ses_b");
  g_assert_cmpstr (((BatonTokenRow *) tokens->pdata[1])->id, ==, "ses_a");
}

static void
test_tokens_delete (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  add_agent (fixture, "agt_1");
  add_agent (fixture, "agt_2");
  add_token (fixture, "agt_1", "ses_a", 100, 100);
  add_token (fixture, "agt_1", "ses_b", 100, 500);
  add_token (fixture, "agt_1", "ses_c", 100, 500);
  add_token (fixture, "agt_1", "ses_d", 100, 500);
  add_token (fixture, "agt_2", "ses_e", 100, 500);

  assert_hashes (baton_store_tokens_delete_idle (fixture->store, 100, &error), "hash-ses_a");
  /* by id, by hash, and never another agent's */
  assert_hashes (baton_store_tokens_delete_one (fixture->store, "agt_1", "ses_b", NULL, &error),
                 "hash-ses_b");
  assert_hashes (baton_store_tokens_delete_one (fixture->store, "agt_1", NULL, "hash-ses_c",
                                                &error), "hash-ses_c");
  assert_hashes (baton_store_tokens_delete_one (fixture->store, "agt_1", "ses_e", NULL, &error),
                 "");
  add_token (fixture, "agt_1", "ses_f", 100, 500);
  /* all of an agent's but the one kept; with nothing kept, all */
  assert_hashes (baton_store_tokens_delete_agent (fixture->store, "agt_1", "hash-ses_d", &error),
                 "hash-ses_f");
  assert_hashes (baton_store_tokens_delete_agent (fixture->store, "agt_1", NULL, &error),
                 "hash-ses_d");
  g_assert_no_error (error);
  g_assert_nonnull (baton_store_tokens_find (fixture->store, "hash-ses_e", NULL));
}

/* Counts */

static void
test_counts (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GPtrArray) conversations = NULL;

  g_assert_cmpint (baton_store_exec (fixture->store, &error,
                                     "INSERT INTO message_counts (kind, n)"
                                     " VALUES ('text', 3), ('note', 0), ('activity', 2)", ""),
                   >=, 0);
  messages = baton_store_counts_messages_by_kind (fixture->store, &error);
  g_assert_no_error (error);
  /* the zero counts are left out, the others come by name */
  g_assert_cmpuint (messages->len, ==, 2);
  g_assert_cmpstr (((BatonCountRow *) messages->pdata[0])->name, ==, "activity");
  g_assert_cmpint (((BatonCountRow *) messages->pdata[0])->n, ==, 2);
  g_assert_cmpstr (((BatonCountRow *) messages->pdata[1])->name, ==, "text");
  conversations = baton_store_counts_conversations_by_status (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conversations->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/store/agents/get-list", test_agents_get_list);
  ADD ("/store/agents/email", test_agents_email);
  ADD ("/store/agents/update", test_agents_update);
  ADD ("/store/snapshot/agents", test_snapshot_agents);
  ADD ("/store/settings", test_settings);
  ADD ("/store/tokens/find-touch", test_tokens_find_touch);
  ADD ("/store/tokens/list-agent", test_tokens_list_agent);
  ADD ("/store/tokens/delete", test_tokens_delete);
  ADD ("/store/counts", test_counts);
#undef ADD

  return g_test_run ();
}
