/* test-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "baton-auth.h"
#include "baton-error.h"
#include "baton-store-private.h"
#include "baton-store-sqlite.h"
#include "baton-workspace-private.h"

/* 2026-11-22T09:30:00.000Z */
#define START_MS ((gint64) 1795339800000)
#define DAY_SECONDS (24 * 3600)

/* Each test gets its own data directory, an open, migrated store and, for the workspace
 * tests, a test clock and a workspace. */
typedef struct {
  char *dir;
  char *path;
  BatonStore *store;
  BatonClock *clock;
  BatonWorkspace *workspace;
} Fixture;

/* Helpers */

static BatonStore *
open_migrated (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonStore) store = baton_store_sqlite_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_true (baton_store_migrate (store, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&store);
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name = NULL;

  if (listing == NULL)
    return;
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *file = g_build_filename (dir, name, NULL);

      g_assert_cmpint (g_unlink (file), ==, 0);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("baton-test-store-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "baton.db", NULL);
  fixture->store = open_migrated (fixture->path);
  fixture->clock = baton_clock_new_test (START_MS);
  fixture->workspace = baton_workspace_new (fixture->store, fixture->clock);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->workspace);
  if (fixture->store)
    baton_store_close (fixture->store);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->clock);
  remove_dir (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
  g_clear_pointer (&fixture->path, g_free);
}

/* Closes the fixture's store and opens the same file again. */
static void
reopen (Fixture *fixture)
{
  g_clear_object (&fixture->workspace);
  baton_store_close (fixture->store);
  g_clear_object (&fixture->store);
  fixture->store = open_migrated (fixture->path);
  fixture->workspace = baton_workspace_new (fixture->store, fixture->clock);
}

static gint64
query_int (BatonStore *store,
           const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonRows) rows = baton_store_query (store, &error, sql, "");

  g_assert_no_error (error);
  g_assert_nonnull (rows);
  g_assert_cmpuint (baton_rows_count (rows), ==, 1);
  return baton_rows_int (rows, 0, 0);
}

static char *
query_text (BatonStore *store,
            const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonRows) rows = baton_store_query (store, &error, sql, "");

  g_assert_no_error (error);
  g_assert_nonnull (rows);
  g_assert_cmpuint (baton_rows_count (rows), ==, 1);
  return baton_rows_dup_text (rows, 0, 0);
}

static gboolean
has_table (BatonStore *store,
           const char *table)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonRows) rows = baton_store_query (store, &error,
                                                 "SELECT name FROM sqlite_master"
                                                 " WHERE type = 'table' AND name = ?",
                                                 "s", table);

  g_assert_no_error (error);
  return baton_rows_count (rows) == 1;
}

static void
exec_ok (BatonStore *store,
         const char *sql,
         gint64      expected_changes)
{
  g_autoptr(GError) error = NULL;
  gint64 changes = baton_store_exec (store, &error, sql, "");

  g_assert_no_error (error);
  g_assert_cmpint (changes, ==, expected_changes);
}

static void
insert_setting (BatonStore *store,
                const char *key,
                const char *value)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (baton_store_exec (store, &error,
                                     "INSERT INTO settings (key, value) VALUES (?, ?)", "ss",
                                     key, value), ==, 1);
  g_assert_no_error (error);
}

static gint64
count_settings (BatonStore *store,
                const char *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonRows) rows = baton_store_query (store, &error,
                                                 "SELECT COUNT(*) FROM settings WHERE key = ?",
                                                 "s", key);

  g_assert_no_error (error);
  return baton_rows_int (rows, 0, 0);
}

/* Store: schema */

static void
test_migrate (Fixture       *fixture,
              gconstpointer  data)
{
  BatonStoreSqlite *sqlite = BATON_STORE_SQLITE (fixture->store);
  const char *tables[] = { "settings", "agents", "tokens", "teams", "team_members", "channels",
                           "contacts", "contact_tags", "contact_owners", "conversations",
                           "conversation_assignees", "conversation_tags", "messages", "events",
                           "flows", "schedules" };
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (baton_store_sqlite_latest_version (), >=, 1);
  g_assert_cmpint (baton_store_sqlite_schema_version (sqlite), ==,
                   baton_store_sqlite_latest_version ());
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    g_assert_true (has_table (fixture->store, tables[i]));

  /* Migrating again changes nothing and keeps the data. */
  insert_setting (fixture->store, "kept", "yes");
  g_assert_true (baton_store_migrate (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (baton_store_sqlite_schema_version (sqlite), ==,
                   baton_store_sqlite_latest_version ());
  g_assert_cmpint (count_settings (fixture->store, "kept"), ==, 1);
  g_assert_false (baton_store_in_transaction (fixture->store));
}

static void
test_fresh_database (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("baton-test-store-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "baton.db", NULL);
  g_autoptr(BatonStore) store = baton_store_sqlite_open (path, &error);

  g_assert_no_error (error);
  /* Opening alone creates the file but no schema. */
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (baton_store_sqlite_schema_version (BATON_STORE_SQLITE (store)), ==, 0);
  g_assert_false (has_table (store, "agents"));
  g_assert_true (baton_store_migrate (store, &error));
  g_assert_no_error (error);
  g_assert_true (has_table (store, "agents"));
  baton_store_close (store);
  /* Closing twice is harmless. */
  baton_store_close (store);
  g_clear_object (&store);
  remove_dir (dir);
}

static void
test_newer_schema_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("baton-test-store-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "baton.db", NULL);
  g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d",
                                           baton_store_sqlite_latest_version () + 1);
  g_autoptr(BatonStore) store = baton_store_sqlite_open (path, &error);

  g_assert_no_error (error);
  /* A database written by a newer batond. */
  baton_store_exec (store, &error, bump, "");
  g_assert_no_error (error);
  baton_store_close (store);
  g_clear_object (&store);

  store = baton_store_sqlite_open (path, &error);
  g_assert_no_error (error);
  g_assert_false (baton_store_migrate (store, &error));
  g_assert_error (error, BATON_ERROR, BATON_ERROR_INTERNAL);
  g_assert_nonnull (strstr (error->message, "schema version"));
  /* Nothing was touched. */
  g_assert_cmpint (baton_store_sqlite_schema_version (BATON_STORE_SQLITE (store)), ==,
                   baton_store_sqlite_latest_version () + 1);
  g_assert_false (has_table (store, "agents"));
  g_assert_false (baton_store_in_transaction (store));
  baton_store_close (store);
  g_clear_object (&store);
  remove_dir (dir);
}

static void
test_open_failure (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonStore) store = baton_store_sqlite_open ("/nonexistent-baton-dir/sub/baton.db",
                                                         &error);

  g_assert_null (store);
  g_assert_error (error, BATON_ERROR, BATON_ERROR_INTERNAL);
}

static void
test_pragmas (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *journal = query_text (fixture->store, "PRAGMA journal_mode");

  g_assert_cmpstr (journal, ==, "wal");
  g_assert_cmpint (query_int (fixture->store, "PRAGMA foreign_keys"), ==, 1);
  /* NORMAL */
  g_assert_cmpint (query_int (fixture->store, "PRAGMA synchronous"), ==, 1);
}

static void
synced_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  guint *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (baton_store_sync_finish (BATON_STORE (source), result, &error));
  g_assert_no_error (error);
  (*done)++;
}

static guint64
sync_count (BatonStore *store,
            guint      *n_waiting)
{
  guint64 n_syncs = 0;
  guint waiting = 0;

  baton_store_sync_counts (store, &n_syncs, n_waiting ? n_waiting : &waiting);
  return n_syncs;
}

static void
wait_done (guint *done,
           guint  until)
{
  while (*done < until)
    g_main_context_iteration (NULL, TRUE);
}

/* Commits run with NORMAL; the syncs asked for in one turn share one fdatasync, those asked
 * for while it runs share the next, and nothing new to sync needs none. */
static void
test_durable (Fixture       *fixture,
              gconstpointer  data)
{
  guint done = 0;
  guint later = 0;
  guint waiting = 0;
  guint64 before;

  g_assert_cmpint (query_int (fixture->store, "PRAGMA synchronous"), ==, 1);
  baton_store_sync_async (fixture->store, synced_cb, &done);
  wait_done (&done, 1);
  before = sync_count (fixture->store, NULL);
  g_assert_cmpuint (before, ==, 1);

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *key = g_strdup_printf ("turn-%u", i);

      insert_setting (fixture->store, key, "1");
      baton_store_sync_async (fixture->store, synced_cb, &done);
    }
  g_assert_cmpuint (sync_count (fixture->store, &waiting), ==, before);
  g_assert_cmpuint (waiting, ==, 3);
  wait_done (&done, 4);
  g_assert_cmpuint (sync_count (fixture->store, &waiting), ==, before + 1);
  g_assert_cmpuint (waiting, ==, 0);

  baton_store_sync_async (fixture->store, synced_cb, &done);
  wait_done (&done, 5);
  g_assert_cmpuint (sync_count (fixture->store, NULL), ==, before + 1);

  /* committed after the running sync started: the next one */
  insert_setting (fixture->store, "first", "1");
  baton_store_sync_async (fixture->store, synced_cb, &done);
  while (sync_count (fixture->store, NULL) < before + 2)
    g_main_context_iteration (NULL, TRUE);
  insert_setting (fixture->store, "second", "1");
  baton_store_sync_async (fixture->store, synced_cb, &later);
  wait_done (&later, 1);
  g_assert_cmpuint (done, ==, 6);
  g_assert_cmpuint (sync_count (fixture->store, NULL), ==, before + 3);
}

static void
sync_failed_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  guint *failed = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_false (baton_store_sync_finish (BATON_STORE (source), result, &error));
  g_assert_error (error, BATON_ERROR, BATON_ERROR_UNAVAILABLE);
  (*failed)++;
}

/* Runs the turns of the main loop that are ready, without blocking. */
static void
run_ready_turns (void)
{
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
}

/* A sync asked for inside a transaction covers its commit: it is not answered before the
 * commit, and fails if the transaction is rolled back or cannot commit. */
static void
test_durable_open_transaction (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint done = 0;
  guint failed = 0;

  g_assert_true (baton_store_begin (fixture->store, &error));
  insert_setting (fixture->store, "in-turn", "1");
  baton_store_sync_async (fixture->store, synced_cb, &done);
  run_ready_turns ();
  g_assert_cmpuint (done, ==, 0);
  g_assert_true (baton_store_commit (fixture->store, &error));
  wait_done (&done, 1);

  g_assert_true (baton_store_begin (fixture->store, &error));
  insert_setting (fixture->store, "rolled-back", "1");
  baton_store_sync_async (fixture->store, sync_failed_cb, &failed);
  baton_store_rollback (fixture->store);
  wait_done (&failed, 1);

  /* a foreign key checked at the commit makes it fail */
  g_assert_true (baton_store_begin (fixture->store, &error));
  g_assert_cmpint (baton_store_exec (fixture->store, &error, "PRAGMA defer_foreign_keys = ON",
                                     ""), >=, 0);
  exec_ok (fixture->store, "INSERT INTO tokens (token_hash, agent_id, created_at)"
                           " VALUES ('h', 'agt_missing', 0)", 1);
  baton_store_sync_async (fixture->store, sync_failed_cb, &failed);
  g_assert_false (baton_store_commit (fixture->store, &error));
  g_assert_nonnull (error);
  wait_done (&failed, 2);
  g_assert_false (baton_store_in_transaction (fixture->store));

  /* the store goes on: a later sync is answered */
  insert_setting (fixture->store, "after", "1");
  baton_store_sync_async (fixture->store, synced_cb, &done);
  wait_done (&done, 2);
}

/* The barrier opens the -wal file once: SQLite empties it (a TRUNCATE checkpoint) and
 * reuses it within journal_size_limit in place, the same file. */
static void
test_wal_in_place (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  GStatBuf before;
  GStatBuf after;
  guint done = 0;

  insert_setting (fixture->store, "before", "1");
  baton_store_sync_async (fixture->store, synced_cb, &done);
  wait_done (&done, 1);
  g_assert_cmpint (g_stat (wal, &before), ==, 0);
  g_assert_cmpint (query_int (fixture->store, "PRAGMA journal_size_limit = 0"), ==, 0);
  g_assert_cmpint (query_int (fixture->store, "PRAGMA wal_checkpoint(TRUNCATE)"), ==, 0);
  g_assert_cmpint (g_stat (wal, &after), ==, 0);
  g_assert_cmpint (after.st_size, ==, 0);
  g_assert_cmpuint (after.st_ino, ==, before.st_ino);

  insert_setting (fixture->store, "after", "1");
  baton_store_sync_async (fixture->store, synced_cb, &done);
  wait_done (&done, 2);
  g_assert_cmpint (g_stat (wal, &after), ==, 0);
  g_assert_cmpint (after.st_size, >, 0);
  g_assert_cmpuint (after.st_ino, ==, before.st_ino);
}

/* commits of about one page each, the main loop turning between them */
static void
commit_pages (BatonStore *store,
              guint       first,
              guint       n)
{
  g_autofree char *page = g_strnfill (4000, 'x');

  for (guint i = first; i < first + n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *key = g_strdup_printf ("page-%u", i);

      g_assert_true (baton_store_begin (store, &error));
      insert_setting (store, key, page);
      g_assert_true (baton_store_commit (store, &error));
      g_main_context_iteration (NULL, FALSE);
    }
}

/* SQLite's automatic checkpoint, which would copy the WAL in a commit on the main loop, is
 * replaced by one in a thread once the WAL holds 1,000 pages, and the pages committed
 * meanwhile are copied after the next commit; the WAL then starts again from its beginning
 * instead of growing. */
static void
test_checkpoint_in_thread (Fixture       *fixture,
                           gconstpointer  data)
{
  BatonStoreSqlite *sqlite = BATON_STORE_SQLITE (fixture->store);
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  GStatBuf wal_stat = { 0 };
  guint next = 0;

  commit_pages (fixture->store, next, 100);
  next += 100;
  g_assert_cmpuint (baton_store_sqlite_get_checkpoints (sqlite), ==, 0);
  for (guint round = 1; round <= 6; round++)
    {
      commit_pages (fixture->store, next, 400);
      next += 400;
      /* the thread's part ends on its own, the rest follows a commit */
      while (baton_store_sqlite_get_checkpoints (sqlite) < round)
        {
          g_usleep (1000);
          commit_pages (fixture->store, next++, 1);
          g_assert_cmpuint (next, <, 60000);
        }
    }
  /* six rounds of 400 commits without a checkpoint would be over 7,000 pages */
  g_assert_cmpint (g_stat (wal, &wal_stat), ==, 0);
  g_assert_cmpint (wal_stat.st_size, <, 3000 * 4120);
  g_assert_cmpint (count_settings (fixture->store, "page-0"), ==, 1);
  g_assert_cmpint (count_settings (fixture->store, "page-2499"), ==, 1);
}

/* Store: transactions and statements */

static void
test_transactions (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (baton_store_in_transaction (fixture->store));
  g_assert_true (baton_store_begin (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_true (baton_store_in_transaction (fixture->store));
  insert_setting (fixture->store, "committed", "1");
  g_assert_true (baton_store_commit (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_false (baton_store_in_transaction (fixture->store));

  g_assert_true (baton_store_begin (fixture->store, &error));
  insert_setting (fixture->store, "rolled-back", "1");
  /* Visible inside its own transaction... */
  g_assert_cmpint (count_settings (fixture->store, "rolled-back"), ==, 1);
  baton_store_rollback (fixture->store);
  g_assert_false (baton_store_in_transaction (fixture->store));
  /* ...and gone after the rollback. */
  g_assert_cmpint (count_settings (fixture->store, "rolled-back"), ==, 0);
  g_assert_cmpint (count_settings (fixture->store, "committed"), ==, 1);
  /* A rollback outside a transaction does nothing. */
  baton_store_rollback (fixture->store);

  /* What was committed survives closing the store; the rolled-back row never comes back. */
  reopen (fixture);
  g_assert_cmpint (count_settings (fixture->store, "committed"), ==, 1);
  g_assert_cmpint (count_settings (fixture->store, "rolled-back"), ==, 0);
}

/* A step undone alone leaves the rest of its transaction. */
static void
test_savepoints (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (baton_store_begin (fixture->store, &error));
  insert_setting (fixture->store, "before-steps", "1");
  g_assert_true (baton_store_savepoint (fixture->store, &error));
  insert_setting (fixture->store, "kept", "1");
  g_assert_true (baton_store_release (fixture->store, &error));
  g_assert_true (baton_store_savepoint (fixture->store, &error));
  insert_setting (fixture->store, "undone", "1");
  baton_store_rollback_to (fixture->store);
  g_assert_true (baton_store_in_transaction (fixture->store));
  g_assert_true (baton_store_savepoint (fixture->store, &error));
  insert_setting (fixture->store, "after", "1");
  g_assert_true (baton_store_release (fixture->store, &error));
  g_assert_true (baton_store_commit (fixture->store, &error));
  g_assert_no_error (error);

  reopen (fixture);
  g_assert_cmpint (count_settings (fixture->store, "before-steps"), ==, 1);
  g_assert_cmpint (count_settings (fixture->store, "kept"), ==, 1);
  g_assert_cmpint (count_settings (fixture->store, "undone"), ==, 0);
  g_assert_cmpint (count_settings (fixture->store, "after"), ==, 1);
}

static void
test_uncommitted_lost (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (baton_store_begin (fixture->store, &error));
  insert_setting (fixture->store, "pending", "1");
  /* Closing with a transaction open does not commit it. */
  reopen (fixture);
  g_assert_cmpint (count_settings (fixture->store, "pending"), ==, 0);
}

static void
test_exec_changes (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  exec_ok (fixture->store, "CREATE TABLE scratch (k TEXT PRIMARY KEY, v INTEGER)", 0);
  exec_ok (fixture->store, "INSERT INTO scratch VALUES ('a', 1), ('b', 2), ('c', 3)", 3);
  exec_ok (fixture->store, "UPDATE scratch SET v = v + 10", 3);
  exec_ok (fixture->store, "UPDATE scratch SET v = 0 WHERE k = 'none'", 0);
  exec_ok (fixture->store, "DELETE FROM scratch WHERE v > 11", 2);
  g_assert_cmpint (baton_store_exec (fixture->store, &error,
                                     "INSERT INTO scratch (k, v) VALUES (?, ?)"
                                     " ON CONFLICT (k) DO NOTHING", "si", "a", (gint64) 5),
                   ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (baton_store_exec (fixture->store, &error,
                                     "INSERT INTO scratch (k, v) VALUES (?, ?)"
                                     " ON CONFLICT (k) DO UPDATE SET v = excluded.v", "si",
                                     "a", (gint64) 5), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (fixture->store, "SELECT v FROM scratch WHERE k = 'a'"), ==, 5);

  /* Broken SQL is an internal error, not a crash, and the store carries on. */
  g_assert_cmpint (baton_store_exec (fixture->store, &error, "UPDATE nowhere SET x = 1", ""),
                   ==, -1);
  g_assert_error (error, BATON_ERROR, BATON_ERROR_INTERNAL);
  g_clear_error (&error);
  g_assert_null (baton_store_query (fixture->store, &error, "SELEKT 1", ""));
  g_assert_error (error, BATON_ERROR, BATON_ERROR_INTERNAL);
  g_clear_error (&error);
  g_assert_cmpint (query_int (fixture->store, "SELECT COUNT(*) FROM scratch"), ==, 1);
}

static void
test_query_params (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonRows) rows = NULL;
  g_autoptr(BatonRows) none = NULL;
  g_autoptr(BatonRows) matched = NULL;
  g_auto(GStrv) names = NULL;
  g_autofree char *dup = NULL;
  const char *expected_names[] = { "first", "second", "third", NULL };
  const char *insert = "INSERT INTO scratch (name, note, big, small, flag) VALUES (?, ?, ?, ?, ?)";

  exec_ok (fixture->store, "CREATE TABLE scratch (n INTEGER PRIMARY KEY, name TEXT, note TEXT,"
                           " big INTEGER, small INTEGER, flag INTEGER)", 0);
  /* s, s = NULL, i (beyond 32 bits), d (negative int) and b. */
  g_assert_cmpint (baton_store_exec (fixture->store, &error, insert, "ssidb", "first", NULL,
                                     G_GINT64_CONSTANT (9007199254740993), -42, TRUE), ==, 1);
  g_assert_no_error (error);
  /* The same statement again, from the cache: earlier bindings must not leak through. */
  g_assert_cmpint (baton_store_exec (fixture->store, &error, insert, "ssidb", "second", "note",
                                     G_MININT64, G_MAXINT, FALSE), ==, 1);
  g_assert_cmpint (baton_store_exec (fixture->store, &error, insert, "ssidb", "third", NULL,
                                     (gint64) 0, 0, FALSE), ==, 1);
  g_assert_no_error (error);

  rows = baton_store_query (fixture->store, &error,
                            "SELECT name, note, big, small, flag, n FROM scratch ORDER BY n", "");
  g_assert_no_error (error);
  g_assert_cmpuint (baton_rows_count (rows), ==, 3);

  g_assert_cmpstr (baton_rows_text (rows, 0, 0), ==, "first");
  g_assert_true (baton_rows_is_null (rows, 0, 1));
  g_assert_null (baton_rows_text (rows, 0, 1));
  g_assert_null (baton_rows_dup_text (rows, 0, 1));
  g_assert_cmpint (baton_rows_int (rows, 0, 1), ==, 0);
  g_assert_cmpint (baton_rows_int (rows, 0, 2), ==, G_GINT64_CONSTANT (9007199254740993));
  g_assert_cmpint (baton_rows_int (rows, 0, 3), ==, -42);
  g_assert_cmpint (baton_rows_int (rows, 0, 4), ==, 1);
  g_assert_false (baton_rows_is_null (rows, 0, 4));
  /* An integer cell has no text. */
  g_assert_null (baton_rows_text (rows, 0, 2));

  g_assert_cmpstr (baton_rows_text (rows, 1, 1), ==, "note");
  g_assert_false (baton_rows_is_null (rows, 1, 1));
  g_assert_cmpint (baton_rows_int (rows, 1, 2), ==, G_MININT64);
  g_assert_cmpint (baton_rows_int (rows, 1, 3), ==, G_MAXINT);
  g_assert_cmpint (baton_rows_int (rows, 1, 4), ==, 0);

  g_assert_true (baton_rows_is_null (rows, 2, 1));
  g_assert_cmpint (baton_rows_int (rows, 2, 2), ==, 0);
  g_assert_false (baton_rows_is_null (rows, 2, 2));

  dup = baton_rows_dup_text (rows, 1, 0);
  g_assert_cmpstr (dup, ==, "second");
  g_assert_true (dup != baton_rows_text (rows, 1, 0));
  names = baton_rows_column_strv (rows, 0);
  g_assert_true (g_strv_equal ((const char * const *) names, expected_names));

  /* A text cell holding a number reads as that number. */
  g_clear_pointer (&rows, baton_rows_free);
  rows = baton_store_query (fixture->store, &error, "SELECT '1234', ?, ?", "sb", "x", TRUE);
  g_assert_no_error (error);
  g_assert_cmpint (baton_rows_int (rows, 0, 0), ==, 1234);
  g_assert_cmpstr (baton_rows_text (rows, 0, 1), ==, "x");
  g_assert_cmpint (baton_rows_int (rows, 0, 2), ==, 1);

  /* NULL binds as SQL NULL: it matches IS, not =. */
  matched = baton_store_query (fixture->store, &error,
                               "SELECT name FROM scratch WHERE note IS ? ORDER BY n", "s", NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (baton_rows_count (matched), ==, 2);
  g_assert_cmpstr (baton_rows_text (matched, 1, 0), ==, "third");
  none = baton_store_query (fixture->store, &error, "SELECT name FROM scratch WHERE note = ?",
                            "s", NULL);
  g_assert_no_error (error);
  g_assert_nonnull (none);
  g_assert_cmpuint (baton_rows_count (none), ==, 0);
  {
    g_auto(GStrv) empty = baton_rows_column_strv (none, 0);

    g_assert_cmpuint (g_strv_length (empty), ==, 0);
  }

  /* The value-array form takes the same parameters. */
  {
    const BatonValue params[] = { { BATON_VALUE_INT, -1, NULL },
                                  { BATON_VALUE_TEXT, 0, (char *) "second" } };
    g_autoptr(BatonRows) by_value = baton_store_query_values (fixture->store,
                                                              "SELECT small * ? FROM scratch"
                                                              " WHERE name = ?",
                                                              params, G_N_ELEMENTS (params),
                                                              &error);

    g_assert_no_error (error);
    g_assert_cmpuint (baton_rows_count (by_value), ==, 1);
    g_assert_cmpint (baton_rows_int (by_value, 0, 0), ==, -G_MAXINT);
  }
}

/* A REAL cell reads as the float it holds, not truncated; f binds a double. */
static void
test_query_floats (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonRows) rows = NULL;
  g_autoptr(BatonRows) stored = NULL;

  rows = baton_store_query (fixture->store, &error,
                            "SELECT 2.75, -0.5, 7, '2.25', NULL, 1e300, 7 / 2.0", "");
  g_assert_no_error (error);
  g_assert_cmpfloat (baton_rows_double (rows, 0, 0), ==, 2.75);
  g_assert_cmpfloat (baton_rows_double (rows, 0, 1), ==, -0.5);
  g_assert_cmpfloat (baton_rows_double (rows, 0, 2), ==, 7.0);
  g_assert_cmpfloat (baton_rows_double (rows, 0, 3), ==, 2.25);
  g_assert_cmpfloat (baton_rows_double (rows, 0, 4), ==, 0.0);
  g_assert_true (baton_rows_is_null (rows, 0, 4));
  g_assert_cmpfloat (baton_rows_double (rows, 0, 5), ==, 1e300);
  g_assert_cmpfloat (baton_rows_double (rows, 0, 6), ==, 3.5);
  /* As an integer a float is truncated, as before; it has no text. */
  g_assert_cmpint (baton_rows_int (rows, 0, 0), ==, 2);
  g_assert_cmpint (baton_rows_int (rows, 0, 1), ==, 0);
  g_assert_false (baton_rows_is_null (rows, 0, 0));
  g_assert_null (baton_rows_text (rows, 0, 0));

  exec_ok (fixture->store, "CREATE TABLE measures (n INTEGER PRIMARY KEY, value REAL)", 0);
  g_assert_cmpint (baton_store_exec (fixture->store, &error,
                                     "INSERT INTO measures (value) VALUES (?), (?), (?)", "fff",
                                     0.1, -123456.789, 51.5007), ==, 3);
  g_assert_no_error (error);
  stored = baton_store_query (fixture->store, &error,
                              "SELECT value, typeof(value) FROM measures ORDER BY n", "");
  g_assert_no_error (error);
  g_assert_cmpuint (baton_rows_count (stored), ==, 3);
  g_assert_cmpfloat (baton_rows_double (stored, 0, 0), ==, 0.1);
  g_assert_cmpfloat (baton_rows_double (stored, 1, 0), ==, -123456.789);
  g_assert_cmpfloat (baton_rows_double (stored, 2, 0), ==, 51.5007);
  g_assert_cmpstr (baton_rows_text (stored, 0, 1), ==, "real");
}

/* Whether the connection has a prepared statement with that SQL text (NULL: how many it has);
 * sqlite_stmt lists the live ones, so what the cache evicted must be finalized to be gone
 * from it. The full-text indexes' own statements (FTS5 keeps them, on "'main'.…")
 * are not the cache's. */
static gint64
count_prepared (BatonStore *store,
                const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonRows) rows = NULL;

  rows = sql ? baton_store_query (store, &error, "SELECT count(*) FROM sqlite_stmt WHERE sql = ?",
                                  "s", sql)
             : baton_store_query (store, &error, "SELECT count(*) FROM sqlite_stmt"
                                                 " WHERE sql NOT LIKE '%''main''.%'", "");
  g_assert_no_error (error);
  return baton_rows_int (rows, 0, 0);
}

/* SQL text built per request (an IN list as long as the request's) does not grow the
 * statement cache without end: past its bound the least recently used statements are
 * finalized, and a statement in steady use stays. */
static void
test_statement_cache_bound (Fixture       *fixture,
                            gconstpointer  data)
{
  const char *hot = "SELECT count(*) FROM settings WHERE key <> ?";
  g_autoptr(GString) sql = g_string_new (NULL);

  for (guint n = 1; n <= 3 * BATON_STORE_SQLITE_MAX_STATEMENTS; n++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BatonRows) rows = NULL;

      g_string_assign (sql, "SELECT 1 IN (?");
      for (guint i = 1; i < n; i++)
        g_string_append (sql, ",?");
      g_string_append (sql, ")");
      /* n parameters, all NULL but the one given */
      rows = baton_store_query (fixture->store, &error, sql->str, "d", 1);
      g_assert_no_error (error);
      g_assert_cmpint (baton_rows_int (rows, 0, 0), ==, 1);
      if (n % 64 == 0)
        {
          g_autoptr(BatonRows) again = baton_store_query (fixture->store, &error, hot, "s", "x");

          g_assert_no_error (error);
          g_assert_nonnull (again);
        }
    }
  g_assert_cmpint (count_prepared (fixture->store, NULL), <=,
                   BATON_STORE_SQLITE_MAX_STATEMENTS);
  g_assert_cmpint (count_prepared (fixture->store, NULL), >=,
                   BATON_STORE_SQLITE_MAX_STATEMENTS / 2);
  g_assert_cmpint (count_prepared (fixture->store, hot), ==, 1);
  g_assert_cmpint (count_prepared (fixture->store, "SELECT 1 IN (?)"), ==, 0);

  /* An evicted statement is prepared again when it comes back. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BatonRows) rows = baton_store_query (fixture->store, &error, "SELECT 1 IN (?)",
                                                   "d", 1);

    g_assert_no_error (error);
    g_assert_cmpint (baton_rows_int (rows, 0, 0), ==, 1);
  }
}

static void
test_constraints (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonRows) rows = NULL;

  insert_setting (fixture->store, "unique", "1");
  /* Primary key */
  g_assert_cmpint (baton_store_exec (fixture->store, &error,
                                     "INSERT INTO settings (key, value) VALUES (?, ?)", "ss",
                                     "unique", "2"), ==, -1);
  g_assert_error (error, BATON_ERROR, BATON_ERROR_CONFLICT);
  g_clear_error (&error);
  /* NOT NULL */
  g_assert_cmpint (baton_store_exec (fixture->store, &error,
                                     "INSERT INTO settings (key, value) VALUES (?, ?)", "ss",
                                     "no-value", NULL), ==, -1);
  g_assert_error (error, BATON_ERROR, BATON_ERROR_CONFLICT);
  g_clear_error (&error);
  /* A foreign key to an agent that does not exist (foreign keys are on). */
  g_assert_cmpint (baton_store_exec (fixture->store, &error,
                                     "INSERT INTO tokens (token_hash, agent_id, created_at)"
                                     " VALUES (?, ?, ?)", "ssi", "hash", "agt_ghost",
                                     START_MS), ==, -1);
  g_assert_error (error, BATON_ERROR, BATON_ERROR_CONFLICT);
  g_clear_error (&error);
  /* Through a query with RETURNING too. */
  rows = baton_store_query (fixture->store, &error,
                            "INSERT INTO settings (key, value) VALUES (?, ?) RETURNING key",
                            "ss", "unique", "3");
  g_assert_null (rows);
  g_assert_error (error, BATON_ERROR, BATON_ERROR_CONFLICT);
  g_clear_error (&error);

  /* A failed statement inside a transaction leaves the transaction usable. */
  g_assert_true (baton_store_begin (fixture->store, &error));
  insert_setting (fixture->store, "in-tx", "1");
  g_assert_cmpint (baton_store_exec (fixture->store, &error,
                                     "INSERT INTO settings (key, value) VALUES (?, ?)", "ss",
                                     "in-tx", "2"), ==, -1);
  g_assert_error (error, BATON_ERROR, BATON_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_true (baton_store_commit (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_settings (fixture->store, "in-tx"), ==, 1);
  g_assert_cmpint (count_settings (fixture->store, "unique"), ==, 1);
}

static void
test_reopen (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  g_autofree char *value = NULL;
  GStatBuf info;

  insert_setting (fixture->store, "durable", "ünïcode ✓");
  reopen (fixture);
  value = query_text (fixture->store, "SELECT value FROM settings WHERE key = 'durable'");
  g_assert_cmpstr (value, ==, "ünïcode ✓");
  g_assert_cmpint (baton_store_sqlite_schema_version (BATON_STORE_SQLITE (fixture->store)), ==,
                   baton_store_sqlite_latest_version ());

  /* At rest the data dir is one file: closing folds the WAL back. */
  baton_store_close (fixture->store);
  g_assert_true (g_stat (wal, &info) != 0 || info.st_size == 0);
  reopen (fixture);
  g_clear_pointer (&value, g_free);
  value = query_text (fixture->store, "SELECT value FROM settings WHERE key = 'durable'");
  g_assert_cmpstr (value, ==, "ünïcode ✓");
}

static void
test_like_pattern (Fixture       *fixture,
                   gconstpointer  data)
{
  const struct {
    const char *text;
    const char *pattern;
  } cases[] = {
    { "", "%%" },
    { "abc", "%abc%" },
    { "50%", "%50\\%%" },
    { "a_b", "%a\\_b%" },
    { "back\\slash", "%back\\\\slash%" },
    { "%_\\", "%\\%\\_\\\\%" },
    { "café", "%café%" },
  };
  const struct {
    const char *needle;
    const char *haystack;
    gboolean matches;
  } searches[] = {
    { "50%", "Get 50% off", TRUE },
    { "50%", "Get 500 off", FALSE },
    { "a_b", "xa_bx", TRUE },
    { "a_b", "axb", FALSE },
    { "c\\d", "c\\d", TRUE },
    { "c\\d", "cd", FALSE },
    { "ABC", "xabcx", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *pattern = baton_store_like_pattern (cases[i].text);

      g_assert_cmpstr (pattern, ==, cases[i].pattern);
    }

  /* The escapes work in SQLite with ESCAPE '\'. */
  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *pattern = baton_store_like_pattern (searches[i].needle);
      g_autoptr(BatonRows) rows = baton_store_query (fixture->store, &error,
                                                     "SELECT ? LIKE ? ESCAPE '\\'", "ss",
                                                     searches[i].haystack, pattern);

      g_assert_no_error (error);
      g_assert_cmpint (baton_rows_int (rows, 0, 0), ==, searches[i].matches);
    }
}

/* Workspace */

/* A read of routing's snapshot that fails stops routing there with that read's error; no
 * later read sets an error over it (GLib warns, fatally here, when a GError is set twice). */
static void
test_route_read_fails (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message_id = NULL;
  g_autofree char *conversation_id = NULL;
  gboolean duplicate = FALSE;
  BatonInbound inbound = { .from = "+15550001", .name = "Customer", .body = "Hello",
                           .sent_at = START_MS, .opens_window = TRUE };

  g_assert_cmpint (baton_store_exec (fixture->store, &error,
                                     "INSERT INTO channels (id, kind, name, created_at,"
                                     " updated_at) VALUES ('chn_1', 'api', 'Web', ?, ?)", "ii",
                                     START_MS, START_MS), ==, 1);
  g_assert_no_error (error);
  /* the flows and the schedules both fail to read */
  g_assert_cmpint (baton_store_exec (fixture->store, &error, "DROP TABLE flows", ""), >=, 0);
  g_assert_cmpint (baton_store_exec (fixture->store, &error, "DROP TABLE schedules", ""), >=, 0);
  g_assert_no_error (error);

  g_assert_false (baton_workspace_receive (fixture->workspace, "chn_1", &inbound, &message_id,
                                           &conversation_id, &duplicate, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "flows"));
  g_assert_null (message_id);
}

static void
test_initialize (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) agents = NULL;
  g_autoptr(BatonRows) rows = NULL;
  g_auto(BatonWorkspaceSettings) settings = { 0 };
  BatonAgent *manager = NULL;

  g_assert_false (baton_workspace_exists (fixture->workspace));
  g_assert_true (baton_workspace_initialize (fixture->workspace, "Maria Manager",
                                             " Maria@Example.COM", "a long password", &error));
  g_assert_no_error (error);
  g_assert_true (baton_workspace_exists (fixture->workspace));
  g_assert_false (baton_store_in_transaction (fixture->store));

  agents = baton_workspace_list_agents (fixture->workspace, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (agents->len, ==, 1);
  manager = g_ptr_array_index (agents, 0);
  g_assert_true (g_str_has_prefix (manager->id, "agt_"));
  g_assert_cmpstr (manager->name, ==, "Maria Manager");
  g_assert_cmpint (manager->role, ==, BATON_ROLE_MANAGER);
  g_assert_cmpint (manager->availability, ==, BATON_AVAILABILITY_ONLINE);
  g_assert_cmpint (manager->created_at, >=, START_MS);
  g_assert_cmpint (manager->created_at, <, START_MS + 60000);

  /* The password is stored hashed, under a case-folded email key. */
  rows = baton_store_query (fixture->store, &error,
                            "SELECT password_hash, email_key FROM agents WHERE id = ?", "s",
                            manager->id);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (baton_rows_text (rows, 0, 0), "$argon2id$"));
  g_assert_true (baton_auth_verify_password (baton_rows_text (rows, 0, 0), "a long password"));
  g_assert_cmpstr (baton_rows_text (rows, 0, 1), ==, "maria@example.com");

  /* The default settings of PROTOCOL.md. */
  g_assert_true (baton_workspace_load_settings (fixture->workspace, &settings, &error));
  g_assert_no_error (error);
  g_assert_false (settings.first_responder_becomes_owner);
  g_assert_true (settings.first_reply_takes_assignment);
  g_assert_true (settings.unassign_on_resolve);
  g_assert_cmpstr (settings.timezone, ==, "Etc/UTC");

  /* A second time is refused and changes nothing. */
  g_assert_false (baton_workspace_initialize (fixture->workspace, "Other", "other@example.com",
                                              "another password", &error));
  g_assert_error (error, BATON_ERROR, BATON_ERROR_CONFLICT);
  g_assert_false (baton_store_in_transaction (fixture->store));
  g_assert_cmpint (query_int (fixture->store, "SELECT COUNT(*) FROM agents"), ==, 1);
  g_assert_cmpint (query_int (fixture->store, "SELECT COUNT(*) FROM settings"), ==, 4);
}

static void
collect_event_cb (BatonWorkspace *workspace,
                  BatonEvent     *event,
                  GPtrArray      *received)
{
  /* Events reach listeners only once durable: never inside a transaction. */
  g_assert_false (baton_store_in_transaction (baton_workspace_get_store (workspace)));
  g_ptr_array_add (received, baton_event_ref (event));
}

static JsonNode *
make_data (const char *key,
           gint64      value)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, key);
  json_builder_add_int_value (builder, value);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
emit_ok (BatonWorkspace *workspace,
         const char     *type,
         const char     *agent_id,
         gint64          n)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (baton_workspace_emit (workspace, type, agent_id, make_data ("n", n), &error));
  g_assert_no_error (error);
}

static GPtrArray *
events_since (BatonWorkspace *workspace,
              gint64          since,
              const char     *agent_id,
              guint           limit)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *events = baton_workspace_events_since (workspace, since, agent_id, limit, &error);

  g_assert_no_error (error);
  g_assert_nonnull (events);
  return events;
}

static gint64
event_n (BatonEvent *event)
{
  g_assert_nonnull (event->data);
  return json_object_get_int_member (json_node_get_object (event->data), "n");
}

/* The log holds the events published, one for one: seq, type, time, recipient and data. */
static void
assert_stored_as_published (GPtrArray *stored,
                            GPtrArray *published)
{
  g_assert_cmpuint (stored->len, ==, published->len);
  for (guint i = 0; i < stored->len; i++)
    {
      BatonEvent *event = g_ptr_array_index (stored, i);
      BatonEvent *sent = g_ptr_array_index (published, i);

      g_assert_cmpint (event->seq, ==, sent->seq);
      g_assert_cmpstr (event->type, ==, sent->type);
      g_assert_cmpint (event->at, ==, sent->at);
      g_assert_cmpstr (event->agent_id, ==, sent->agent_id);
      g_assert_cmpint (event_n (event), ==, event_n (sent));
    }
}

static void
test_emit_commit (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) received = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                  baton_event_unref);
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  gint64 before = baton_workspace_last_seq (fixture->workspace);
  guint64 statements;

  g_signal_connect (fixture->workspace, "event", G_CALLBACK (collect_event_cb), received);

  g_assert_true (baton_workspace_begin (fixture->workspace, &error));
  emit_ok (fixture->workspace, "test.first", NULL, 1);
  emit_ok (fixture->workspace, "test.second", NULL, 2);
  emit_ok (fixture->workspace, "test.third", "agt_x", 3);
  /* Queued, then written together in one statement, in order. */
  g_assert_cmpint (baton_workspace_last_seq (fixture->workspace), ==, before);
  statements = baton_store_get_statement_count ();
  g_assert_true (baton_workspace_flush_events (fixture->workspace, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (baton_store_get_statement_count () - statements, ==, 1);
  g_assert_cmpint (baton_workspace_last_seq (fixture->workspace), ==, before + 3);
  /* Nothing is published before the commit. */
  g_assert_cmpuint (received->len, ==, 0);
  g_assert_true (baton_workspace_commit (fixture->workspace, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (received->len, ==, 3);
  for (guint i = 0; i < received->len; i++)
    {
      BatonEvent *event = g_ptr_array_index (received, i);

      /* In order, with increasing seq and the clock's time. */
      g_assert_cmpint (event->seq, ==, before + 1 + i);
      g_assert_cmpint (event_n (event), ==, i + 1);
      g_assert_cmpint (event->at, >=, START_MS);
      g_assert_cmpint (event->at, <, START_MS + 60000);
    }
  g_assert_cmpstr (((BatonEvent *) g_ptr_array_index (received, 0))->type, ==, "test.first");
  g_assert_cmpstr (((BatonEvent *) g_ptr_array_index (received, 2))->agent_id, ==, "agt_x");

  /* The log holds the same events. */
  stored = events_since (fixture->workspace, before, "agt_x", 100);
  assert_stored_as_published (stored, received);
  g_assert_cmpint (baton_workspace_first_seq (fixture->workspace), ==, before + 1);

  /* A new workspace on the same store carries on from the last seq. */
  reopen (fixture);
  g_assert_cmpint (baton_workspace_last_seq (fixture->workspace), ==, before + 3);
}

/* A change that notifies a large team writes its events in a few statements, numbered in
 * the order they were emitted. */
static void
test_emit_many (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) received = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                  baton_event_unref);
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  gint64 before = baton_workspace_last_seq (fixture->workspace);
  guint64 statements;

  g_signal_connect (fixture->workspace, "event", G_CALLBACK (collect_event_cb), received);
  g_assert_true (baton_workspace_begin (fixture->workspace, &error));
  for (guint i = 0; i < 150; i++)
    emit_ok (fixture->workspace, "test.many", i % 2 ? "agt_x" : NULL, i);
  statements = baton_store_get_statement_count ();
  g_assert_true (baton_workspace_commit (fixture->workspace, &error));
  g_assert_no_error (error);
  /* three INSERTs (of at most 64 rows) and the commit */
  g_assert_cmpuint (baton_store_get_statement_count () - statements, <=, 4);
  g_assert_cmpint (baton_workspace_last_seq (fixture->workspace), ==, before + 150);

  g_assert_cmpuint (received->len, ==, 150);
  for (guint i = 0; i < 150; i++)
    {
      BatonEvent *event = g_ptr_array_index (received, i);

      g_assert_cmpint (event->seq, ==, before + 1 + i);
      g_assert_cmpint (event_n (event), ==, i);
      g_assert_cmpstr (event->agent_id, ==, i % 2 ? "agt_x" : NULL);
    }
  stored = events_since (fixture->workspace, before, "agt_x", 200);
  assert_stored_as_published (stored, received);
}

static void
test_emit_rollback (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) received = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                  baton_event_unref);
  g_autoptr(GPtrArray) after_rollback = NULL;
  g_autoptr(GPtrArray) after_commit = NULL;
  g_autoptr(GError) error = NULL;
  gint64 before;

  g_signal_connect (fixture->workspace, "event", G_CALLBACK (collect_event_cb), received);
  g_assert_true (baton_workspace_begin (fixture->workspace, &error));
  emit_ok (fixture->workspace, "test.kept", NULL, 0);
  g_assert_true (baton_workspace_commit (fixture->workspace, &error));
  g_assert_cmpuint (received->len, ==, 1);
  before = baton_workspace_last_seq (fixture->workspace);

  g_assert_true (baton_workspace_begin (fixture->workspace, &error));
  emit_ok (fixture->workspace, "test.lost", NULL, 1);
  emit_ok (fixture->workspace, "test.lost", NULL, 2);
  g_assert_true (baton_workspace_flush_events (fixture->workspace, &error));
  g_assert_cmpint (baton_workspace_last_seq (fixture->workspace), ==, before + 2);
  baton_workspace_rollback (fixture->workspace);
  g_assert_cmpint (baton_workspace_last_seq (fixture->workspace), ==, before);

  /* Nor does an event rolled back before it was written. */
  g_assert_true (baton_workspace_begin (fixture->workspace, &error));
  emit_ok (fixture->workspace, "test.lost", NULL, 1);
  baton_workspace_rollback (fixture->workspace);

  /* No signal, and the seq is as before. */
  g_assert_cmpuint (received->len, ==, 1);
  g_assert_cmpint (baton_workspace_last_seq (fixture->workspace), ==, before);
  after_rollback = events_since (fixture->workspace, before, NULL, 100);
  g_assert_cmpuint (after_rollback->len, ==, 0);

  /* The next committed event follows the last committed one; the lost ones never show. */
  g_assert_true (baton_workspace_begin (fixture->workspace, &error));
  emit_ok (fixture->workspace, "test.after", NULL, 3);
  g_assert_true (baton_workspace_commit (fixture->workspace, &error));
  g_assert_cmpuint (received->len, ==, 2);
  g_assert_cmpstr (((BatonEvent *) g_ptr_array_index (received, 1))->type, ==, "test.after");
  g_assert_cmpint (((BatonEvent *) g_ptr_array_index (received, 1))->seq, ==, before + 1);
  after_commit = events_since (fixture->workspace, 0, NULL, 100);
  g_assert_cmpuint (after_commit->len, ==, 2);
  g_assert_cmpstr (((BatonEvent *) g_ptr_array_index (after_commit, 0))->type, ==, "test.kept");
  g_assert_cmpstr (((BatonEvent *) g_ptr_array_index (after_commit, 1))->type, ==,
                   "test.after");
  g_assert_cmpint (event_n (g_ptr_array_index (after_commit, 1)), ==, 3);
}

/* A change for the batched turn test: emits one event with its number and stores a
 * setting; a negative number fails after doing both. */
static gpointer
numbered_change (BatonWorkspace  *workspace,
                 gpointer         data,
                 GError         **error)
{
  gint64 n = GPOINTER_TO_INT (data);
  g_autofree char *key = g_strdup_printf ("change-%" G_GINT64_FORMAT, ABS (n));

  insert_setting (baton_workspace_get_store (workspace), key, "1");
  emit_ok (workspace, "test.change", NULL, ABS (n));
  if (n < 0)
    {
      g_set_error_literal (error, BATON_ERROR, BATON_ERROR_CONFLICT, "refused");
      return NULL;
    }
  return GINT_TO_POINTER (1);
}

static gboolean
run_numbered (BatonWorkspace *workspace,
              gint            n)
{
  g_autoptr(GError) error = NULL;
  gboolean done = baton_workspace_apply (workspace, numbered_change, GINT_TO_POINTER (n), NULL,
                                         &error);

  g_assert_true (done == (error == NULL));
  return done;
}

/* batond's mode: the changes of a turn share one transaction, a failed one is undone alone,
 * and all are published together at the start of the next turn, never before their
 * commit; a replay does not read past what is published. */
static void
test_batched_turn (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) received = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                  baton_event_unref);
  g_autoptr(GPtrArray) replayed = NULL;
  gint64 before = baton_workspace_published_seq (fixture->workspace);

  g_signal_connect (fixture->workspace, "event", G_CALLBACK (collect_event_cb), received);
  baton_workspace_set_batching (fixture->workspace, TRUE);

  g_assert_true (run_numbered (fixture->workspace, 1));
  g_assert_false (run_numbered (fixture->workspace, -2));
  g_assert_true (run_numbered (fixture->workspace, 3));
  g_assert_true (baton_store_in_transaction (fixture->store));
  g_assert_cmpuint (received->len, ==, 0);
  g_assert_cmpint (baton_workspace_last_seq (fixture->workspace), ==, before + 2);
  g_assert_cmpint (baton_workspace_published_seq (fixture->workspace), ==, before);
  replayed = events_since (fixture->workspace, before, NULL, 100);
  g_assert_cmpuint (replayed->len, ==, 0);
  g_clear_pointer (&replayed, g_ptr_array_unref);

  while (received->len < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (baton_store_in_transaction (fixture->store));
  g_assert_cmpuint (received->len, ==, 2);
  g_assert_cmpint (event_n (g_ptr_array_index (received, 0)), ==, 1);
  g_assert_cmpint (event_n (g_ptr_array_index (received, 1)), ==, 3);
  g_assert_cmpint (((BatonEvent *) g_ptr_array_index (received, 1))->seq, ==, before + 2);
  g_assert_cmpint (baton_workspace_published_seq (fixture->workspace), ==, before + 2);
  replayed = events_since (fixture->workspace, before, NULL, 100);
  g_assert_cmpuint (replayed->len, ==, 2);

  /* turning batching off commits the open turn at once */
  g_assert_true (run_numbered (fixture->workspace, 4));
  baton_workspace_set_batching (fixture->workspace, FALSE);
  g_assert_cmpuint (received->len, ==, 3);
  g_assert_true (run_numbered (fixture->workspace, 5));
  g_assert_cmpuint (received->len, ==, 4);

  reopen (fixture);
  g_assert_cmpint (count_settings (fixture->store, "change-1"), ==, 1);
  g_assert_cmpint (count_settings (fixture->store, "change-2"), ==, 0);
  g_assert_cmpint (count_settings (fixture->store, "change-3"), ==, 1);
  g_assert_cmpint (count_settings (fixture->store, "change-4"), ==, 1);
}

static void
test_emit_outside_transaction (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GPtrArray) events = NULL;
  gint64 before = baton_workspace_last_seq (fixture->workspace);

  /* A programming error: refused loudly, nothing written. */
  g_test_expect_message ("baton-workspace", G_LOG_LEVEL_CRITICAL, "*in_transaction*");
  g_assert_false (baton_workspace_emit (fixture->workspace, "test.stray", NULL,
                                        make_data ("n", 1), NULL));
  g_test_assert_expected_messages ();
  g_test_expect_message ("baton-workspace", G_LOG_LEVEL_CRITICAL, "*in_transaction*");
  g_assert_false (baton_workspace_emit_text (fixture->workspace, "test.stray", NULL,
                                             g_strdup ("{\"n\":2}"), NULL));
  g_test_assert_expected_messages ();
  g_assert_cmpint (baton_workspace_last_seq (fixture->workspace), ==, before);
  events = events_since (fixture->workspace, before, NULL, 100);
  g_assert_cmpuint (events->len, ==, 0);
}

static void
test_events_filter (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) for_a = NULL;
  g_autoptr(GPtrArray) for_b = NULL;
  g_autoptr(GPtrArray) for_nobody = NULL;
  g_autoptr(GPtrArray) for_anonymous = NULL;
  g_autoptr(GPtrArray) limited = NULL;
  g_autoptr(GPtrArray) later = NULL;
  gint64 before = baton_workspace_last_seq (fixture->workspace);

  g_assert_true (baton_workspace_begin (fixture->workspace, &error));
  emit_ok (fixture->workspace, "test.all", NULL, 1);
  emit_ok (fixture->workspace, "notification", "agt_a", 2);
  emit_ok (fixture->workspace, "notification", "agt_b", 3);
  emit_ok (fixture->workspace, "test.all", NULL, 4);
  emit_ok (fixture->workspace, "notification", "agt_a", 5);
  g_assert_true (baton_workspace_commit (fixture->workspace, &error));

  /* Each agent sees the broadcasts and its own notifications, never another's. */
  for_a = events_since (fixture->workspace, before, "agt_a", 100);
  g_assert_cmpuint (for_a->len, ==, 4);
  g_assert_cmpint (event_n (g_ptr_array_index (for_a, 0)), ==, 1);
  g_assert_cmpint (event_n (g_ptr_array_index (for_a, 1)), ==, 2);
  g_assert_cmpint (event_n (g_ptr_array_index (for_a, 2)), ==, 4);
  g_assert_cmpint (event_n (g_ptr_array_index (for_a, 3)), ==, 5);
  g_assert_cmpstr (((BatonEvent *) g_ptr_array_index (for_a, 1))->agent_id, ==, "agt_a");

  for_b = events_since (fixture->workspace, before, "agt_b", 100);
  g_assert_cmpuint (for_b->len, ==, 3);
  g_assert_cmpint (event_n (g_ptr_array_index (for_b, 1)), ==, 3);

  for_nobody = events_since (fixture->workspace, before, "agt_c", 100);
  g_assert_cmpuint (for_nobody->len, ==, 2);
  g_assert_null (((BatonEvent *) g_ptr_array_index (for_nobody, 0))->agent_id);
  /* Without an agent, only the broadcasts. */
  for_anonymous = events_since (fixture->workspace, before, NULL, 100);
  g_assert_cmpuint (for_anonymous->len, ==, 2);
  g_assert_cmpint (event_n (g_ptr_array_index (for_anonymous, 1)), ==, 4);

  /* since is exclusive, limit caps the count, oldest first. */
  limited = events_since (fixture->workspace, before, "agt_a", 2);
  g_assert_cmpuint (limited->len, ==, 2);
  g_assert_cmpint (event_n (g_ptr_array_index (limited, 1)), ==, 2);
  later = events_since (fixture->workspace, before + 2, "agt_a", 100);
  g_assert_cmpuint (later->len, ==, 2);
  g_assert_cmpint (((BatonEvent *) g_ptr_array_index (later, 0))->seq, ==, before + 4);
}

static void
test_prune (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) kept = NULL;
  g_autoptr(GPtrArray) pruned = NULL;

  /* Two events now, one two days later. */
  g_assert_true (baton_workspace_begin (fixture->workspace, &error));
  emit_ok (fixture->workspace, "test.old", NULL, 1);
  emit_ok (fixture->workspace, "test.old", NULL, 2);
  g_assert_true (baton_workspace_commit (fixture->workspace, &error));
  baton_clock_advance (fixture->clock, 2 * DAY_SECONDS);
  g_assert_true (baton_workspace_begin (fixture->workspace, &error));
  emit_ok (fixture->workspace, "test.recent", NULL, 3);
  g_assert_true (baton_workspace_commit (fixture->workspace, &error));

  /* Eight days on, the first two are past 7 days; with far fewer than a million events
   * in the log, nothing goes. */
  baton_clock_advance (fixture->clock, 6 * DAY_SECONDS);
  baton_workspace_prune_events (fixture->workspace);
  kept = events_since (fixture->workspace, 0, NULL, 100);
  g_assert_cmpuint (kept->len, ==, 3);
  g_assert_cmpint (baton_workspace_first_seq (fixture->workspace), ==, 1);

  /* Once the log is past a million events, what is both old and beyond the last million
   * goes; the recent event stays although its seq is old. */
  g_assert_true (baton_workspace_begin (fixture->workspace, &error));
  g_assert_cmpint (baton_store_exec (fixture->store, &error,
                                     "INSERT INTO events (seq, type, at, agent_id, data)"
                                     " VALUES (1000002, 'test.filler', ?, NULL, '{\"n\":4}')",
                                     "i", baton_workspace_now (fixture->workspace)), ==, 1);
  emit_ok (fixture->workspace, "test.new", NULL, 5);
  g_assert_true (baton_workspace_commit (fixture->workspace, &error));
  g_assert_cmpint (baton_workspace_last_seq (fixture->workspace), ==, 1000003);

  baton_workspace_prune_events (fixture->workspace);
  pruned = events_since (fixture->workspace, 0, NULL, 100);
  g_assert_cmpuint (pruned->len, ==, 3);
  g_assert_cmpint (event_n (g_ptr_array_index (pruned, 0)), ==, 3);
  g_assert_cmpint (((BatonEvent *) g_ptr_array_index (pruned, 0))->seq, ==, 3);
  g_assert_cmpint (event_n (g_ptr_array_index (pruned, 1)), ==, 4);
  g_assert_cmpint (event_n (g_ptr_array_index (pruned, 2)), ==, 5);
  g_assert_cmpint (baton_workspace_first_seq (fixture->workspace), ==, 3);
  g_assert_cmpint (baton_workspace_last_seq (fixture->workspace), ==, 1000003);
}

static void
record_failures (BatonWorkspace *workspace,
                 const char     *email,
                 const char     *address,
                 guint           count)
{
  for (guint i = 0; i < count; i++)
    baton_workspace_record_login_failure (workspace, email, address);
}

/* Thirty failures for one account, from any addresses, hold it back everywhere. */
static void
test_throttle_account (Fixture       *fixture,
                       gconstpointer  data)
{
  const gint64 window = 15 * 60 * 1000;
  gint64 first_at = baton_workspace_now (fixture->workspace);
  gint64 until;

  g_assert_cmpint (baton_workspace_throttled_until (fixture->workspace, "ana@example.com",
                                                    "192.0.2.1"), ==, 0);
  /* 29 failures from 29 addresses: still allowed. */
  for (guint i = 0; i < 29; i++)
    {
      g_autofree char *address = g_strdup_printf ("192.0.2.%u", 10 + i);

      baton_workspace_record_login_failure (fixture->workspace, "ana@example.com", address);
    }
  g_assert_cmpint (baton_workspace_throttled_until (fixture->workspace, "ana@example.com",
                                                    "192.0.2.99"), ==, 0);
  /* The thirtieth, under another spelling of the same email, tips it. */
  baton_workspace_record_login_failure (fixture->workspace, " ANA@Example.com", "192.0.2.50");
  until = baton_workspace_throttled_until (fixture->workspace, "ana@example.com", "192.0.2.99");
  /* Until the first failure has left the window. */
  g_assert_cmpint (until, >=, first_at + window);
  g_assert_cmpint (until, <, first_at + window + 5000);
  g_assert_cmpint (baton_workspace_throttled_until (fixture->workspace, "Ana@Example.COM ",
                                                    NULL), ==, until);
  /* Other accounts from those addresses are fine. */
  g_assert_cmpint (baton_workspace_throttled_until (fixture->workspace, "bo@example.com",
                                                    "192.0.2.10"), ==, 0);

  /* Almost the whole window later it still holds... */
  baton_clock_advance (fixture->clock, 15 * 60 - 10);
  g_assert_cmpint (baton_workspace_throttled_until (fixture->workspace, "ana@example.com",
                                                    "192.0.2.99"), ==, until);
  /* ...and once it has passed, the account may try again. */
  baton_clock_advance (fixture->clock, 20);
  g_assert_cmpint (baton_workspace_throttled_until (fixture->workspace, "ana@example.com",
                                                    "192.0.2.99"), ==, 0);
}

/* Ten failures for one account from one address hold back that pair only; nothing counts
 * per address alone (behind a proxy everyone shares one). */
static void
test_throttle_address (Fixture       *fixture,
                       gconstpointer  data)
{
  gint64 until;

  /* Ten failures from one address, each for a different email: nobody is held back. */
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *email = g_strdup_printf ("user%u@example.com", i);

      baton_workspace_record_login_failure (fixture->workspace, email, "198.51.100.7");
    }
  g_assert_cmpint (baton_workspace_throttled_until (fixture->workspace, "fresh@example.com",
                                                    "198.51.100.7"), ==, 0);
  g_assert_cmpint (baton_workspace_throttled_until (fixture->workspace, "user0@example.com",
                                                    "198.51.100.7"), ==, 0);

  /* Ten for one (unknown) email from that address: that pair is held back... */
  record_failures (fixture->workspace, "ghost@example.com", "198.51.100.7", 10);
  until = baton_workspace_throttled_until (fixture->workspace, "ghost@example.com",
                                           "198.51.100.7");
  g_assert_cmpint (until, >, baton_workspace_now (fixture->workspace));
  /* ...not another account from the same address, nor that one from elsewhere. */
  g_assert_cmpint (baton_workspace_throttled_until (fixture->workspace, "manager@example.com",
                                                    "198.51.100.7"), ==, 0);
  g_assert_cmpint (baton_workspace_throttled_until (fixture->workspace, "ghost@example.com",
                                                    "198.51.100.8"), ==, 0);

  baton_clock_advance (fixture->clock, 15 * 60 + 1);
  g_assert_cmpint (baton_workspace_throttled_until (fixture->workspace, "ghost@example.com",
                                                    "198.51.100.7"), ==, 0);
}

static void
test_throttle_sliding (Fixture       *fixture,
                       gconstpointer  data)
{
  const gint64 window = 15 * 60 * 1000;
  gint64 second_batch_at;
  gint64 until;

  /* Five failures, then five more ten minutes later: ten within 15 minutes. */
  record_failures (fixture->workspace, "cy@example.com", "203.0.113.1", 5);
  baton_clock_advance (fixture->clock, 10 * 60);
  second_batch_at = baton_workspace_now (fixture->workspace);
  record_failures (fixture->workspace, "cy@example.com", "203.0.113.1", 5);
  until = baton_workspace_throttled_until (fixture->workspace, "cy@example.com", "203.0.113.1");
  g_assert_cmpint (until, >, baton_workspace_now (fixture->workspace));
  g_assert_cmpint (until, <, second_batch_at - 10 * 60 * 1000 + window + 5000);

  /* Six minutes on, the first five have slid out of the window: five left, allowed. */
  baton_clock_advance (fixture->clock, 6 * 60);
  g_assert_cmpint (baton_workspace_throttled_until (fixture->workspace, "cy@example.com",
                                                    "203.0.113.1"), ==, 0);

  /* Five more make ten in the window again, now held until the second batch expires. */
  record_failures (fixture->workspace, "cy@example.com", "203.0.113.1", 5);
  until = baton_workspace_throttled_until (fixture->workspace, "cy@example.com", "203.0.113.1");
  g_assert_cmpint (until, >=, second_batch_at + window);
  g_assert_cmpint (until, <, second_batch_at + window + 5000);
  baton_clock_advance (fixture->clock, 9 * 60 + 5);
  g_assert_cmpint (baton_workspace_throttled_until (fixture->workspace, "cy@example.com",
                                                    "203.0.113.1"), ==, 0);
}

static GString *freed_handles;

static void
record_freed (gpointer handle)
{
  g_string_append_printf (freed_handles, "%s;", (const char *) handle);
}

/* The most recently used statements are kept, the others freed once, a replaced one too */
static void
test_statement_cache (void)
{
  g_autoptr(GString) freed = g_string_new (NULL);
  BatonStatementCache *cache = baton_statement_cache_new (2, record_freed);

  freed_handles = freed;
  baton_statement_cache_add (cache, "SELECT 1", "one");
  baton_statement_cache_add (cache, "SELECT 2", "two");
  g_assert_cmpstr (baton_statement_cache_lookup (cache, "SELECT 1"), ==, "one");
  baton_statement_cache_add (cache, "SELECT 3", "three");
  g_assert_cmpstr (freed->str, ==, "two;");
  g_assert_null (baton_statement_cache_lookup (cache, "SELECT 2"));
  g_assert_cmpstr (baton_statement_cache_lookup (cache, "SELECT 3"), ==, "three");
  baton_statement_cache_add (cache, "SELECT 1", "uno");
  g_assert_cmpstr (freed->str, ==, "two;one;");
  g_assert_cmpstr (baton_statement_cache_lookup (cache, "SELECT 1"), ==, "uno");
  baton_statement_cache_clear (cache);
  g_assert_null (baton_statement_cache_lookup (cache, "SELECT 1"));
  baton_statement_cache_add (cache, "SELECT 4", "four");
  baton_statement_cache_free (cache);
  g_assert_cmpstr (freed->str, ==, "two;one;uno;three;four;");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (baton_auth_init ());

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/store/migrate", test_migrate);
  g_test_add_func ("/store/fresh-database", test_fresh_database);
  g_test_add_func ("/store/statement-cache", test_statement_cache);
  g_test_add_func ("/store/newer-schema-refused", test_newer_schema_refused);
  g_test_add_func ("/store/open-failure", test_open_failure);
  ADD ("/store/pragmas", test_pragmas);
  ADD ("/store/durable", test_durable);
  ADD ("/store/durable-wal-in-place", test_wal_in_place);
  ADD ("/store/durable-open-transaction", test_durable_open_transaction);
  ADD ("/store/checkpoint-in-thread", test_checkpoint_in_thread);
  ADD ("/store/transactions", test_transactions);
  ADD ("/store/uncommitted-lost", test_uncommitted_lost);
  ADD ("/store/savepoints", test_savepoints);
  ADD ("/store/exec-changes", test_exec_changes);
  ADD ("/store/query-params", test_query_params);
  ADD ("/store/query-floats", test_query_floats);
  ADD ("/store/statement-cache-bound", test_statement_cache_bound);
  ADD ("/store/constraints", test_constraints);
  ADD ("/store/reopen", test_reopen);
  ADD ("/store/like-pattern", test_like_pattern);
  ADD ("/store/workspace/initialize", test_initialize);
  ADD ("/store/workspace/route-read-fails", test_route_read_fails);
  ADD ("/store/workspace/emit-commit", test_emit_commit);
  ADD ("/store/workspace/emit-rollback", test_emit_rollback);
  ADD ("/store/workspace/emit-many", test_emit_many);
  ADD ("/store/workspace/emit-outside-transaction", test_emit_outside_transaction);
  ADD ("/store/workspace/batched-turn", test_batched_turn);
  ADD ("/store/workspace/events-filter", test_events_filter);
  ADD ("/store/workspace/prune", test_prune);
  ADD ("/store/workspace/throttle-account", test_throttle_account);
  ADD ("/store/workspace/throttle-address", test_throttle_address);
  ADD ("/store/workspace/throttle-sliding", test_throttle_sliding);
#undef ADD

  return g_test_run ();
}
