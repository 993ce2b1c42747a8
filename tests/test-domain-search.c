/* test-domain-search.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-store-conversations.h"
#include "baton-test-domain.h"
#include "baton-workspace-private.h"

/* The search index is written in batches (migration 15): messages and contacts wait for it
 * a few hundred at a time, and a search sees every one written before it. */

typedef struct {
  BatonTestDomain domain;
  char *channel_id;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  baton_test_domain_setup (&fixture->domain, data);
  fixture->channel_id = baton_test_domain_new_channel (&fixture->domain, NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_free (fixture->channel_id);
  baton_test_domain_teardown (&fixture->domain, data);
}

static gint64
count_rows (Fixture    *fixture,
            const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonRows) rows = baton_store_query (fixture->domain.store.store, &error, sql, "");

  g_assert_no_error (error);
  return baton_rows_int (rows, 0, 0);
}

static guint
search_count (Fixture    *fixture,
              const char *text)
{
  BatonConversationQuery query = { .text = text, .limit = 500 };
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonConversationPage) page = NULL;

  page = baton_workspace_list_conversations (fixture->domain.workspace, &query, &error);
  g_assert_no_error (error);
  return page->conversations->len;
}

/* Commits index what waits once a batch has been written: never more than a batch waits. */
static void
test_batches (Fixture       *fixture,
              gconstpointer  data)
{
  gint64 most_waiting = 0;
  gboolean caught_up = FALSE;

  for (guint i = 0; i < BATON_SEARCH_BATCH + 50; i++)
    {
      g_autoptr(BatonConversation) conversation =
        baton_test_domain_customer_writes (&fixture->domain, fixture->channel_id);
      gint64 waiting = count_rows (fixture, "SELECT COUNT(*) FROM message_search_pending");

      caught_up = caught_up || (i > 0 && waiting == 0);
      most_waiting = MAX (most_waiting, waiting);
    }
  g_assert_cmpint (most_waiting, >, 1);
  g_assert_cmpint (most_waiting, <=, BATON_SEARCH_BATCH);
  g_assert_true (caught_up);
  g_assert_cmpint (count_rows (fixture, "SELECT COUNT(*) FROM message_search"), >, 0);

  /* a search indexes what waits first: it finds every one */
  g_assert_cmpuint (search_count (fixture, "hello"), ==, BATON_SEARCH_BATCH + 50);
  g_assert_cmpint (count_rows (fixture, "SELECT COUNT(*) FROM message_search_pending"), ==, 0);
  g_assert_cmpint (count_rows (fixture, "SELECT COUNT(*) FROM contact_search_pending"), ==, 0);
  g_assert_cmpint (count_rows (fixture, "SELECT COUNT(*) FROM contact_search"), ==,
                   count_rows (fixture, "SELECT COUNT(*) FROM contacts"));
}

/* batond's mode: a search in the turn that wrote the message sees it, and what the search
 * indexed is committed with the turn. */
static void
test_same_turn (Fixture       *fixture,
                gconstpointer  data)
{
  BatonWorkspace *workspace = fixture->domain.workspace;
  g_autoptr(BatonConversation) conversation = NULL;

  baton_workspace_set_batching (workspace, TRUE);
  conversation = baton_test_domain_customer_writes (&fixture->domain, fixture->channel_id);
  g_assert_cmpint (count_rows (fixture, "SELECT COUNT(*) FROM message_search_pending"), ==, 1);
  g_assert_cmpuint (search_count (fixture, "hello"), ==, 1);
  g_assert_cmpuint (search_count (fixture, "customer"), ==, 1);
  g_assert_cmpuint (search_count (fixture, "goodbye"), ==, 0);
  baton_workspace_flush (workspace);
  baton_workspace_set_batching (workspace, FALSE);
  g_assert_cmpint (count_rows (fixture, "SELECT COUNT(*) FROM message_search_pending"), ==, 0);
  g_assert_cmpuint (search_count (fixture, "hello"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ((path), Fixture, NULL, fixture_setup, (func), fixture_teardown)
  ADD ("/domain/search/batches", test_batches);
  ADD ("/domain/search/same-turn", test_same_turn);
#undef ADD

  return g_test_run ();
}
