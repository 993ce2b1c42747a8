/* test-store-postgres.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-error.h"
#include "baton-store-events.h"
#include "baton-store-postgres-schema.h"
#include "baton-store-postgres.h"
#include "baton-test-postgres.h"

/* The PostgreSQL backend of the store against a throwaway cluster: SQLite's placeholders,
 * values read back with SQLite's types, transactions and savepoints, a broken constraint as
 * a conflict, the durability barrier, and the migrations, several nodes starting at once. */

static BatonStore *
open_store (char **url_out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = baton_test_postgres_new_database (NULL, NULL, &error);
  BatonStore *store = NULL;

  g_assert_no_error (error);
  store = baton_store_postgres_open (url, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  if (url_out)
    *url_out = g_steal_pointer (&url);
  return store;
}

static void
exec_ok (BatonStore *store,
         const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (baton_store_exec (store, &error, sql, ""), >=, 0);
  g_assert_no_error (error);
}

static void
test_translate (void)
{
  const char *cases[][2] = {
    { "SELECT 1", "SELECT 1" },
    { "SELECT ?, ?", "SELECT $1, $2" },
    { "UPDATE t SET a = ?2 WHERE b = ?1", "UPDATE t SET a = $2 WHERE b = $1" },
    /* a bare ? after ?N takes the largest number so far plus one, as in SQLite */
    { "SELECT ?3, ?, ?1, ?", "SELECT $3, $4, $1, $5" },
    { "SELECT '?', \"a?\", ? || '''?'''", "SELECT '?', \"a?\", $1 || '''?'''" },
    { "SELECT ?10", "SELECT $10" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *translated = baton_store_postgres_translate (cases[i][0]);

      g_assert_cmpstr (translated, ==, cases[i][1]);
    }
}

static void
test_values (void)
{
  g_autoptr(BatonStore) store = open_store (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonRows) rows = NULL;

  /* the schema's flags are 0/1 integers, as on SQLite */
  exec_ok (store, "CREATE TABLE t (i BIGINT, s TEXT, d DOUBLE PRECISION, b BIGINT, n BIGINT)");
  g_assert_cmpint (baton_store_exec (store, &error,
                                     "INSERT INTO t (i, s, d, b, n) VALUES (?, ?, ?, ?, ?)",
                                     "isfbs", G_GINT64_CONSTANT (9007199254740993), "é'\"?",
                                     0.1, TRUE, NULL), ==, 1);
  g_assert_no_error (error);
  rows = baton_store_query (store, &error,
                            "SELECT i, s, d, b, n, i * 2, sum (i), count (*), 1.5::numeric,"
                            " b > 0, b < 0 FROM t GROUP BY i, s, d, b, n", "");
  g_assert_no_error (error);
  g_assert_cmpuint (baton_rows_count (rows), ==, 1);
  g_assert_cmpint (baton_rows_int (rows, 0, 0), ==, G_GINT64_CONSTANT (9007199254740993));
  g_assert_cmpstr (baton_rows_text (rows, 0, 1), ==, "é'\"?");
  g_assert_cmpfloat (baton_rows_double (rows, 0, 2), ==, 0.1);
  g_assert_cmpint (baton_rows_int (rows, 0, 3), ==, 1);
  g_assert_true (baton_rows_is_null (rows, 0, 4));
  g_assert_cmpint (baton_rows_int (rows, 0, 5), ==, G_GINT64_CONSTANT (18014398509481986));
  /* sum of a bigint is a numeric: read as an integer when it has no fraction */
  g_assert_cmpint (baton_rows_int (rows, 0, 6), ==, G_GINT64_CONSTANT (9007199254740993));
  g_assert_cmpint (baton_rows_int (rows, 0, 7), ==, 1);
  g_assert_cmpfloat (baton_rows_double (rows, 0, 8), ==, 1.5);
  /* a boolean as 1 or 0 */
  g_assert_cmpint (baton_rows_int (rows, 0, 9), ==, 1);
  g_assert_cmpint (baton_rows_int (rows, 0, 10), ==, 0);
  g_clear_pointer (&rows, baton_rows_free);

  /* a parameter nothing in the statement types: named from its value */
  rows = baton_store_query (store, &error, "SELECT ?, ?", "is", (gint64) 7, "seven");
  g_assert_no_error (error);
  g_assert_cmpint (baton_rows_int (rows, 0, 0), ==, 7);
  g_assert_cmpstr (baton_rows_text (rows, 0, 1), ==, "seven");
  g_clear_pointer (&rows, baton_rows_free);

  /* text that is not UTF-8 (PostgreSQL refuses it) matches nothing, as on SQLite */
  rows = baton_store_query (store, &error, "SELECT count (*) FROM t WHERE s = ?", "s",
                            "caf\xe9");
  g_assert_no_error (error);
  g_assert_cmpint (baton_rows_int (rows, 0, 0), ==, 0);
  g_clear_pointer (&rows, baton_rows_free);

  /* RETURNING through query, changes counted through exec */
  rows = baton_store_query (store, &error, "UPDATE t SET n = ?1 WHERE i > ?1 RETURNING n", "i",
                            (gint64) 3);
  g_assert_no_error (error);
  g_assert_cmpint (baton_rows_int (rows, 0, 0), ==, 3);
  g_assert_cmpint (baton_store_exec (store, &error, "DELETE FROM t WHERE n = ?", "i",
                                     (gint64) 4), ==, 0);
  g_assert_no_error (error);
}

static gint64
count_rows (BatonStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonRows) rows = baton_store_query (store, &error, "SELECT count (*) FROM t", "");

  g_assert_no_error (error);
  return baton_rows_int (rows, 0, 0);
}

static void
insert_row (BatonStore *store,
            gint64      id,
            GError    **error)
{
  baton_store_exec (store, error, "INSERT INTO t (id) VALUES (?)", "i", id);
}

static void
test_transactions (void)
{
  g_autoptr(BatonStore) store = open_store (NULL);
  g_autoptr(GError) error = NULL;

  exec_ok (store, "CREATE TABLE t (id BIGINT PRIMARY KEY)");

  g_assert_true (baton_store_begin (store, &error));
  g_assert_true (baton_store_in_transaction (store));
  insert_row (store, 1, &error);
  g_assert_no_error (error);
  baton_store_rollback (store);
  g_assert_false (baton_store_in_transaction (store));
  g_assert_cmpint (count_rows (store), ==, 0);

  /* a step kept, a step undone, a step that fails undone alone: the rest commits */
  g_assert_true (baton_store_begin (store, &error));
  g_assert_true (baton_store_savepoint (store, &error));
  insert_row (store, 1, &error);
  g_assert_true (baton_store_release (store, &error));
  g_assert_true (baton_store_savepoint (store, &error));
  insert_row (store, 2, &error);
  baton_store_rollback_to (store);
  g_assert_true (baton_store_savepoint (store, &error));
  insert_row (store, 1, &error);
  g_assert_error (error, BATON_ERROR, BATON_ERROR_CONFLICT);
  g_clear_error (&error);
  baton_store_rollback_to (store);
  g_assert_true (baton_store_savepoint (store, &error));
  insert_row (store, 3, &error);
  g_assert_no_error (error);
  g_assert_true (baton_store_release (store, &error));
  g_assert_true (baton_store_commit (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (store), ==, 2);

  /* a statement that failed outside a step: the commit fails and nothing is kept */
  g_assert_true (baton_store_begin (store, &error));
  insert_row (store, 4, &error);
  insert_row (store, 4, &error);
  g_assert_error (error, BATON_ERROR, BATON_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_false (baton_store_commit (store, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (baton_store_in_transaction (store));
  g_assert_cmpint (count_rows (store), ==, 2);

  /* a step's release goes with the next round trip: rolled back with the transaction, or
   * sent before the statement that follows it */
  g_assert_true (baton_store_begin (store, &error));
  g_assert_true (baton_store_savepoint (store, &error));
  insert_row (store, 5, &error);
  g_assert_true (baton_store_release (store, &error));
  baton_store_rollback (store);
  g_assert_cmpint (count_rows (store), ==, 2);
  g_assert_true (baton_store_begin (store, &error));
  g_assert_true (baton_store_savepoint (store, &error));
  insert_row (store, 5, &error);
  g_assert_true (baton_store_release (store, &error));
  insert_row (store, 6, &error);
  g_assert_no_error (error);
  g_assert_true (baton_store_savepoint (store, &error));
  insert_row (store, 7, &error);
  g_assert_true (baton_store_release (store, &error));
  g_assert_true (baton_store_commit (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (store), ==, 5);

  /* steps that ran no statement, released or undone: nothing was sent for them */
  g_assert_true (baton_store_begin (store, &error));
  g_assert_true (baton_store_savepoint (store, &error));
  g_assert_true (baton_store_release (store, &error));
  g_assert_true (baton_store_savepoint (store, &error));
  baton_store_rollback_to (store);
  g_assert_true (baton_store_savepoint (store, &error));
  insert_row (store, 8, &error);
  g_assert_no_error (error);
  g_assert_true (baton_store_release (store, &error));
  g_assert_true (baton_store_savepoint (store, &error));
  baton_store_rollback_to (store);
  g_assert_true (baton_store_commit (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (store), ==, 6);

  /* a step inside a step, the outer one still unsent: undone alone */
  g_assert_true (baton_store_begin (store, &error));
  g_assert_true (baton_store_savepoint (store, &error));
  g_assert_true (baton_store_savepoint (store, &error));
  insert_row (store, 9, &error);
  baton_store_rollback_to (store);
  insert_row (store, 10, &error);
  g_assert_no_error (error);
  g_assert_true (baton_store_release (store, &error));
  g_assert_true (baton_store_commit (store, &error));
  g_assert_cmpint (count_rows (store), ==, 7);
}

static void
sync_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GError **error = user_data;

  if (!baton_store_sync_finish (BATON_STORE (source), result, error) && *error == NULL)
    g_assert_not_reached ();
  if (*error == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "synced");
}

/* Runs the loop until the sync asked for answered: the "synced" marker, or its error. */
static GError *
wait_sync (GError **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return g_steal_pointer (slot);
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

/* Where the server's log ends now, read on another connection. */
static char *
log_end (BatonStore *probe)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonRows) rows = baton_store_query (probe, &error,
                                                 "SELECT pg_current_wal_insert_lsn ()::text",
                                                 "");

  g_assert_no_error (error);
  return g_strdup (baton_rows_text (rows, 0, 0));
}

/* Whether the server's log is flushed up to lsn. */
static gboolean
log_flushed (BatonStore *probe,
             const char *lsn)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonRows) rows = baton_store_query (probe, &error,
                                                 "SELECT pg_current_wal_flush_lsn () >= ?::pg_lsn",
                                                 "s", lsn);

  g_assert_no_error (error);
  return baton_rows_int (rows, 0, 0) == 1;
}

/* Commits do not wait for the log's flush; a sync flushes it past them, the syncs asked
 * for together sharing one, and fails for a transaction rolled back; closing flushes. */
static void
test_sync (void)
{
  g_autofree char *url = NULL;
  g_autoptr(BatonStore) store = open_store (&url);
  g_autoptr(BatonStore) probe = baton_store_postgres_open (url, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) result = NULL;
  g_autoptr(BatonRows) rows = NULL;
  g_autofree char *lsn = NULL;
  GError *answers[3] = { NULL };
  guint64 before = 0;
  guint n_waiting = 0;

  g_assert_true (baton_store_migrate (store, &error));
  rows = baton_store_query (store, &error, "SHOW synchronous_commit", "");
  g_assert_cmpstr (baton_rows_text (rows, 0, 0), ==, "off");
  exec_ok (store, "CREATE TABLE t (id BIGINT PRIMARY KEY)");
  /* everything so far made durable, then nothing left to sync */
  baton_store_sync_async (store, sync_cb, &answers[0]);
  result = wait_sync (&answers[0]);
  g_assert_error (result, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&result);
  before = sync_count (store, NULL);
  baton_store_sync_async (store, sync_cb, &answers[0]);
  result = wait_sync (&answers[0]);
  g_assert_error (result, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&result);
  g_assert_cmpuint (sync_count (store, NULL), ==, before);

  /* inside a transaction: answered after its commit, three asked for sharing one sync
   * that flushed the log past the commit */
  g_assert_true (baton_store_begin (store, &error));
  insert_row (store, 1, &error);
  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    baton_store_sync_async (store, sync_cb, &answers[i]);
  g_main_context_iteration (NULL, FALSE);
  g_assert_null (answers[0]);
  sync_count (store, &n_waiting);
  g_assert_cmpuint (n_waiting, ==, 3);
  g_assert_true (baton_store_commit (store, &error));
  lsn = log_end (probe);
  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      result = wait_sync (&answers[i]);
      g_assert_error (result, G_IO_ERROR, G_IO_ERROR_EXISTS);
      g_clear_error (&result);
    }
  g_assert_true (log_flushed (probe, lsn));
  g_assert_cmpuint (sync_count (store, NULL), ==, before + 1);
  /* the barrier leaves no row behind */
  g_clear_pointer (&rows, baton_rows_free);
  rows = baton_store_query (probe, &error, "SELECT count (*) FROM store_syncs", "");
  g_assert_cmpint (baton_rows_int (rows, 0, 0), ==, 0);

  /* a transaction rolled back: the change was not saved */
  g_assert_true (baton_store_begin (store, &error));
  insert_row (store, 2, &error);
  baton_store_sync_async (store, sync_cb, &answers[0]);
  baton_store_rollback (store);
  result = wait_sync (&answers[0]);
  g_assert_error (result, BATON_ERROR, BATON_ERROR_UNAVAILABLE);
  g_clear_error (&result);
  g_assert_cmpint (count_rows (store), ==, 1);

  /* closed with a commit no sync covered: flushed as it closes */
  g_assert_true (baton_store_begin (store, &error));
  insert_row (store, 3, &error);
  g_assert_true (baton_store_commit (store, &error));
  g_clear_pointer (&lsn, g_free);
  lsn = log_end (probe);
  baton_store_close (store);
  g_assert_true (log_flushed (probe, lsn));
}

static gpointer
migrate_thread (gpointer data)
{
  const char *url = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonStore) store = baton_store_postgres_open (url, &error);

  g_assert_no_error (error);
  return GINT_TO_POINTER (baton_store_migrate (store, &error) && error == NULL);
}

static void
test_migrate (void)
{
  g_autofree char *url = NULL;
  g_autoptr(BatonStore) store = open_store (&url);
  g_autoptr(GError) error = NULL;
  GThread *threads[3];

  /* three nodes starting at once: one migrates, the others find it done */
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("migrate", migrate_thread, url);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_assert_true (GPOINTER_TO_INT (g_thread_join (threads[i])));
  g_assert_cmpint (baton_store_postgres_schema_version (BATON_STORE_POSTGRES (store), &error),
                   ==, baton_store_postgres_n_migrations);
  g_assert_true (baton_store_migrate (store, &error));
  g_assert_no_error (error);
  g_assert_true (baton_store_ping (store, &error));
}

static void
write_event (BatonStore *store,
             const char *type)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonEvent) event = baton_event_new (type, 1000, NULL, NULL);
  const char *text = "{}";

  g_assert_true (baton_store_begin (store, &error));
  g_assert_true (baton_store_events_insert_many (store, &event, &text, 1, &error));
  g_assert_true (baton_store_commit (store, &error));
  g_assert_no_error (error);
}

static void
notified_cb (gpointer user_data)
{
  gboolean *notified = user_data;

  *notified = TRUE;
}

/* Two nodes: the events one writes are what the other's next write transaction reads in
 * its BEGIN, and the other is woken when they are committed; its own are not news to it. */
static void
test_other_nodes (void)
{
  g_autofree char *url = NULL;
  g_autoptr(BatonStore) first = open_store (&url);
  g_autoptr(BatonStore) second = baton_store_postgres_open (url, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonRows) rows = NULL;
  gboolean notified = FALSE;
  gint64 deadline;

  g_assert_true (baton_store_migrate (first, &error));
  g_assert_true (baton_store_watch_events (second, notified_cb, &notified));
  /* listening set up: the watch looks once, whatever happened before */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  notified = FALSE;
  write_event (second, "team.created");
  deadline = g_get_monotonic_time () + G_USEC_PER_SEC / 2;
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_false (notified);
  write_event (first, "team.updated");
  write_event (first, "team.deleted");
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (!notified && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (notified);

  rows = baton_store_begin_after (second, 1, 10, &error);
  g_assert_no_error (error);
  g_assert_true (baton_store_in_transaction (second));
  g_assert_cmpuint (baton_rows_count (rows), ==, 2);
  g_assert_cmpint (baton_rows_int (rows, 0, 0), ==, 2);
  g_assert_cmpstr (baton_rows_text (rows, 0, 1), ==, "team.updated");
  g_assert_cmpstr (baton_rows_text (rows, 1, 1), ==, "team.deleted");
  baton_store_rollback (second);
  g_clear_pointer (&rows, baton_rows_free);
  rows = baton_store_begin_after (second, 3, 10, &error);
  g_assert_cmpuint (baton_rows_count (rows), ==, 0);
  baton_store_rollback (second);
  g_assert_true (baton_store_watch_events (second, NULL, NULL));
}

static void
test_unreachable (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strdup_printf ("postgresql://baton@/nowhere?host=%s",
                                          baton_test_postgres_socket_dir ());
  g_autoptr(BatonStore) store = baton_store_postgres_open (url, &error);

  g_assert_null (store);
  g_assert_error (error, BATON_ERROR, BATON_ERROR_UNAVAILABLE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  if (!baton_test_postgres_available ())
    {
      g_printerr ("PostgreSQL's binaries are not installed: skipped\n");
      return 77;
    }
  g_test_add_func ("/store-postgres/translate", test_translate);
  g_test_add_func ("/store-postgres/values", test_values);
  g_test_add_func ("/store-postgres/transactions", test_transactions);
  g_test_add_func ("/store-postgres/sync", test_sync);
  g_test_add_func ("/store-postgres/migrate", test_migrate);
  g_test_add_func ("/store-postgres/other-nodes", test_other_nodes);
  g_test_add_func ("/store-postgres/unreachable", test_unreachable);
  return g_test_run ();
}
