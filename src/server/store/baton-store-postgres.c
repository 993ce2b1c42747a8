/* baton-store-postgres.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-store-postgres"

#include "config.h"

#include <string.h>
#include <glib-unix.h>
#include <libpq-fe.h>

#include "baton-error.h"
#include "baton-store-postgres-schema.h"
#include "baton-store-postgres.h"
#include "baton-store-private.h"
#include "baton-store-syncer.h"

/* The store on PostgreSQL 15 through libpq, one blocking connection: the thread that owns
 * the store waits for each statement (SCALE-OUT.md: the node's main loop must not be that
 * thread once several nodes share the database).
 *
 * It never waits for the log to reach the disk: its session commits asynchronously
 * (synchronous_commit off), so a commit returns, and its locks go, once its record is in
 * the server's log buffers; it survives batond being killed. The durability barrier
 * (baton-store-syncer.h) is a synchronous commit on a second connection, in a worker
 * thread: writing its own commit record flushes the log up to it, and so every commit
 * written before it began, whichever session wrote them. Syncs asked for together share
 * it, as on SQLite.
 *
 * SQLite has one writer at a time, and the shared SQL counts on it: a write transaction
 * takes one transaction-level advisory lock first (WRITER_LOCK), held until its commit or
 * rollback. PostgreSQL makes a commit visible before it releases the transaction's locks,
 * so events numbered under that lock become visible in their order, across nodes too.
 *
 * Several nodes: a store that watches events LISTENs on its connection for the
 * notification each transaction that writes events sends at its commit (migration 17), and
 * a write transaction may read the events other nodes wrote as soon as it holds the lock,
 * in the same round trip as BEGIN (baton_store_begin_after). */

/* pg_type's oids of the built-in types read back as numbers */
#define BOOL_OID 16
#define INT8_OID 20
#define INT2_OID 21
#define INT4_OID 23
#define TEXT_OID 25
#define OID_OID 26
#define FLOAT4_OID 700
#define FLOAT8_OID 701
#define NUMERIC_OID 1700

/* advisory lock keys: "baton" and a number */
#define WRITER_LOCK "7017206982271649793"
#define MIGRATION_LOCK "7017206982271649794"

/* SQLSTATE: a parameter whose type nothing in the statement tells */
#define INDETERMINATE_DATATYPE "42P18"

struct _BatonStorePostgres
{
  GObject parent_instance;

  PGconn *conn;
  char *url;
  /* prepared statements (Prepared) by their SQL text */
  BatonStatementCache *statements;
  guint64 n_prepared;
  /* the statements are forgotten with their session: no DEALLOCATE for each */
  gboolean forgetting;
  BatonStoreSyncer *syncer;
  /* the barrier's connection while no sync runs, opened by the first */
  PGconn *sync_conn;
  /* commits written: of transactions, and of statements outside one */
  guint64 n_commits;

  gboolean in_transaction;
  /* The steps' control statements not sent yet, in order (the last step's release, the
   * open step's savepoint): they go with the next round trip (store_savepoint). */
  const char *pending[2];
  guint n_pending;
  /* the open step's savepoint is one of them */
  gboolean savepoint_pending;
  /* a connection of its own that only reads (store_open_reader) */
  gboolean reader;
  /* baton_store_watch_events: the connection LISTENs; another backend's notification
   * calls watch_func from an idle */
  BatonStoreWatchFunc watch_func;
  gpointer watch_data;
  guint watch_fd_id;
  guint watch_idle_id;
};

static void store_iface_init (BatonStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BatonStorePostgres, baton_store_postgres, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BATON_TYPE_STORE, store_iface_init))

static void     flush_log         (BatonStorePostgres  *self);
static gboolean configure_session (BatonStorePostgres  *self,
                                   GError             **error);

static gboolean listen_events (BatonStorePostgres  *self,
                               GError             **error);
static void     collect_notifies (BatonStorePostgres *self);

static void
clear_statements (BatonStorePostgres *self)
{
  self->forgetting = TRUE;
  baton_statement_cache_clear (self->statements);
  self->forgetting = FALSE;
}

static void
store_close (BatonStore *store)
{
  BatonStorePostgres *self = BATON_STORE_POSTGRES (store);

  baton_store_syncer_abandon (self->syncer, NULL);
  flush_log (self);
  clear_statements (self);
  g_clear_handle_id (&self->watch_fd_id, g_source_remove);
  g_clear_handle_id (&self->watch_idle_id, g_source_remove);
  self->watch_func = NULL;
  g_clear_pointer (&self->conn, PQfinish);
  g_clear_pointer (&self->sync_conn, PQfinish);
  self->in_transaction = FALSE;
  self->n_pending = 0;
  self->savepoint_pending = FALSE;
}

static void
baton_store_postgres_finalize (GObject *object)
{
  BatonStorePostgres *self = BATON_STORE_POSTGRES (object);

  store_close (BATON_STORE (self));
  baton_statement_cache_free (self->statements);
  g_clear_pointer (&self->syncer, baton_store_syncer_free);
  g_free (self->url);

  G_OBJECT_CLASS (baton_store_postgres_parent_class)->finalize (object);
}

static void
baton_store_postgres_class_init (BatonStorePostgresClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = baton_store_postgres_finalize;
}

static void prepared_free (gpointer data);
static const BatonStoreSyncerFuncs syncer_funcs;

static void
baton_store_postgres_init (BatonStorePostgres *self)
{
  self->statements = baton_statement_cache_new (BATON_STORE_POSTGRES_MAX_STATEMENTS,
                                                prepared_free);
  self->syncer = baton_store_syncer_new (G_OBJECT (self), &syncer_funcs);
}

/* Errors */

/* The server's message on one line, without libpq's trailing newline. */
static char *
error_text (PGconn         *conn,
            const PGresult *result)
{
  const char *text = result ? PQresultErrorMessage (result) : NULL;

  if (text == NULL || *text == '\0')
    text = conn ? PQerrorMessage (conn) : "no connection";
  return g_strstrip (g_strdup (text));
}

/* A constraint broken is a conflict, as on SQLite; a lost connection is unavailable. */
static void
set_error (GError         **error,
           PGconn          *conn,
           const PGresult  *result,
           const char      *what)
{
  const char *state = result ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;
  g_autofree char *text = error_text (conn, result);
  int code = BATON_ERROR_INTERNAL;

  if (state && g_str_has_prefix (state, "23"))
    code = BATON_ERROR_CONFLICT;
  else if (conn == NULL || PQstatus (conn) != CONNECTION_OK)
    code = BATON_ERROR_UNAVAILABLE;
  g_set_error (error, BATON_ERROR, code, "%s: %s", what, text);
}

static gboolean
result_ok (PGresult *result)
{
  ExecStatusType status = PQresultStatus (result);

  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

#define SAVEPOINT "SAVEPOINT step"
#define RELEASE "RELEASE SAVEPOINT step"

/* Counted for /metrics: the main connection's, not a reader's (in a thread). */
static void
count_round_trip (BatonStorePostgres *self)
{
  if (!self->reader)
    baton_store_count_round_trip ();
}

/* The control statements left for the next round trip, then sql, as one script; taken. */
static char *
take_pending (BatonStorePostgres *self,
              const char         *sql)
{
  GString *script = g_string_new (NULL);

  for (guint i = 0; i < self->n_pending; i++)
    g_string_append_printf (script, "%s;", self->pending[i]);
  g_string_append (script, sql);
  self->n_pending = 0;
  self->savepoint_pending = FALSE;
  return g_string_free (script, FALSE);
}

/* A statement without parameters (or several, separated by ';'), after the control
 * statements left for it. */
static gboolean
run_script (BatonStorePostgres  *self,
            const char          *sql,
            GError             **error)
{
  g_autofree char *script = take_pending (self, sql);
  PGresult *result = NULL;
  gboolean ok = FALSE;

  count_round_trip (self);
  result = PQexec (self->conn, script);
  ok = result_ok (result);

  if (!ok)
    set_error (error, self->conn, result, "SQL");
  PQclear (result);
  return ok;
}

/* Statements */

char *
baton_store_postgres_translate (const char *sql)
{
  GString *out = g_string_sized_new (strlen (sql) + 16);
  guint64 largest = 0;

  for (const char *p = sql; *p; p++)
    {
      if (*p == '\'' || *p == '"')
        {
          /* a doubled quote ends one literal and starts the next: the same text */
          const char *end = strchr (p + 1, *p);

          if (end == NULL)
            end = p + strlen (p) - 1;
          g_string_append_len (out, p, end - p + 1);
          p = end;
        }
      else if (*p == '?' && g_ascii_isdigit (p[1]))
        {
          /* SQLite's ?N; a bare ? after it is the largest number so far, plus one */
          char *end = NULL;
          guint64 number = g_ascii_strtoull (p + 1, &end, 10);

          largest = MAX (largest, number);
          g_string_append_printf (out, "$%" G_GUINT64_FORMAT, number);
          p = end - 1;
        }
      else if (*p == '?')
        {
          g_string_append_printf (out, "$%" G_GUINT64_FORMAT, ++largest);
        }
      else
        {
          g_string_append_c (out, *p);
        }
    }
  return g_string_free (out, FALSE);
}

/* The type a parameter is declared with: integers as bigint (milliseconds overflow the
 * integer PostgreSQL would infer from "NULLIF (?, 0)"), doubles as double precision;
 * text and NULL as whatever the statement makes of them, or text when nothing does. */
static Oid
value_oid (const BatonValue *value,
           gboolean          text_for_unknown)
{
  switch (value->type)
    {
    case BATON_VALUE_INT:
      return INT8_OID;
    case BATON_VALUE_DOUBLE:
      return FLOAT8_OID;
    case BATON_VALUE_NULL:
    case BATON_VALUE_TEXT:
    default:
      return text_for_unknown ? TEXT_OID : 0;
    }
}

/* Prepares sql as name, a parameter's type named by its value (value_oid); where a text
 * or NULL parameter's place says nothing of its type (SELECT ?, ? IS NULL), it is text.
 * A failed prepare would end the transaction: inside one it runs in a savepoint of its
 * own. */
static gboolean
prepare_named (BatonStorePostgres  *self,
               const char          *name,
               const char          *sql,
               const BatonValue    *params,
               guint                n_params,
               GError             **error)
{
  g_autofree char *text = baton_store_postgres_translate (sql);
  g_autofree Oid *types = g_new0 (Oid, MAX (n_params, 1));
  PGresult *result = NULL;
  gboolean ok = FALSE;

  if (self->in_transaction && !run_script (self, "SAVEPOINT prepare", error))
    return FALSE;
  for (guint i = 0; i < n_params; i++)
    types[i] = value_oid (&params[i], FALSE);
  count_round_trip (self);
  result = PQprepare (self->conn, name, text, (int) n_params, types);
  if (!result_ok (result)
      && g_strcmp0 (PQresultErrorField (result, PG_DIAG_SQLSTATE), INDETERMINATE_DATATYPE) == 0)
    {
      PQclear (result);
      if (self->in_transaction && !run_script (self, "ROLLBACK TO SAVEPOINT prepare", error))
        return FALSE;
      for (guint i = 0; i < n_params; i++)
        types[i] = value_oid (&params[i], TRUE);
      count_round_trip (self);
      result = PQprepare (self->conn, name, text, (int) n_params, types);
    }
  ok = result_ok (result);
  if (!ok)
    set_error (error, self->conn, result, "Prepare");
  PQclear (result);
  if (self->in_transaction)
    run_script (self, ok ? "RELEASE SAVEPOINT prepare"
                         : "ROLLBACK TO SAVEPOINT prepare; RELEASE SAVEPOINT prepare", NULL);
  return ok;
}

/* A statement prepared on the server, by its name. */
typedef struct {
  BatonStorePostgres *self;
  char *name;
} Prepared;

/* Dropped from the cache: the server forgets it too, unless its session is gone or the
 * transaction failed (DEALLOCATE would fail; the name is never used again). */
static void
prepared_free (gpointer data)
{
  Prepared *prepared = data;
  BatonStorePostgres *self = prepared->self;

  if (!self->forgetting && self->conn && PQstatus (self->conn) == CONNECTION_OK
      && PQtransactionStatus (self->conn) != PQTRANS_INERROR)
    {
      g_autofree char *deallocate = g_strdup_printf ("DEALLOCATE %s", prepared->name);

      run_script (self, deallocate, NULL);
    }
  g_free (prepared->name);
  g_free (prepared);
}

/* The name sql is prepared as, from the cache or newly prepared and kept. */
static const char *
cached_statement (BatonStorePostgres  *self,
                  const char          *sql,
                  const BatonValue    *params,
                  guint                n_params,
                  GError             **error)
{
  Prepared *prepared = baton_statement_cache_lookup (self->statements, sql);
  g_autofree char *name = NULL;

  if (prepared)
    return prepared->name;
  name = g_strdup_printf ("s%" G_GUINT64_FORMAT, ++self->n_prepared);
  if (!prepare_named (self, name, sql, params, n_params, error))
    return NULL;
  prepared = g_new0 (Prepared, 1);
  prepared->self = self;
  prepared->name = g_steal_pointer (&name);
  baton_statement_cache_add (self->statements, sql, prepared);
  return prepared->name;
}

/* A connection lost between transactions is opened again; prepared statements went with
 * it. Inside a transaction the statement fails: the transaction is lost anyway. */
static gboolean
ensure_connected (BatonStorePostgres  *self,
                  GError             **error)
{
  if (self->conn == NULL)
    {
      g_set_error_literal (error, BATON_ERROR, BATON_ERROR_UNAVAILABLE, "The store is closed");
      return FALSE;
    }
  if (PQstatus (self->conn) == CONNECTION_OK || self->in_transaction)
    return TRUE;
  clear_statements (self);
  g_clear_handle_id (&self->watch_fd_id, g_source_remove);
  PQreset (self->conn);
  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      set_error (error, self->conn, NULL, "Connection");
      return FALSE;
    }
  if (!configure_session (self, error))
    return FALSE;
  /* a new session listens again; what was notified meanwhile is lost, so the watcher looks */
  if (self->watch_func && !listen_events (self, error))
    return FALSE;
  return TRUE;
}

/* The control statements left for this round trip, then the prepared statement, in one
 * pipeline. The statement's result, or the first failure before it (after which the
 * server skipped the rest). */
static PGresult *
exec_after_pending (BatonStorePostgres *self,
                    const char         *name,
                    int                 n_params,
                    const char *const  *values)
{
  guint n_queries = self->n_pending + 1;
  PGresult *answer = NULL;
  gboolean sent = PQenterPipelineMode (self->conn);

  for (guint i = 0; sent && i < self->n_pending; i++)
    sent = PQsendQueryParams (self->conn, self->pending[i], 0, NULL, NULL, NULL, NULL, 0);
  self->n_pending = 0;
  self->savepoint_pending = FALSE;
  sent = sent && PQsendQueryPrepared (self->conn, name, n_params, values, NULL, NULL, 0)
         && PQpipelineSync (self->conn);
  /* each query's results end with NULL; then the sync's */
  for (guint q = 0; sent && q <= n_queries; q++)
    for (PGresult *result = PQgetResult (self->conn); result; result = PQgetResult (self->conn))
      {
        ExecStatusType status = PQresultStatus (result);

        if (answer == NULL && (q == n_queries - 1 || !result_ok (result))
            && status != PGRES_PIPELINE_SYNC)
          answer = result;
        else
          PQclear (result);
        if (status == PGRES_PIPELINE_SYNC)
          break;
      }
  PQexitPipelineMode (self->conn);
  return answer;
}

static PGresult *
run (BatonStorePostgres  *self,
     const char          *sql,
     const BatonValue    *params,
     guint                n_params,
     GError             **error)
{
  g_autofree const char **values = g_new0 (const char *, MAX (n_params, 1));
  /* the values written out for libpq: numbers, text made valid */
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
  const char *name = NULL;
  PGresult *result = NULL;

  if (!ensure_connected (self, error))
    return NULL;
  name = cached_statement (self, sql, params, n_params, error);
  if (name == NULL)
    return NULL;
  for (guint i = 0; i < n_params; i++)
    {
      char *text = NULL;

      switch (params[i].type)
        {
        case BATON_VALUE_INT:
          text = g_strdup_printf ("%" G_GINT64_FORMAT, params[i].i);
          break;
        case BATON_VALUE_DOUBLE:
          text = g_malloc (G_ASCII_DTOSTR_BUF_SIZE);
          g_ascii_dtostr (text, G_ASCII_DTOSTR_BUF_SIZE, params[i].d);
          break;
        case BATON_VALUE_TEXT:
          /* PostgreSQL refuses text that is not UTF-8, where SQLite took the bytes: such a
           * value (an id in a URL, say) reads as U+FFFD, which nothing stored holds */
          if (params[i].s && !g_utf8_validate (params[i].s, -1, NULL))
            text = g_utf8_make_valid (params[i].s, -1);
          else
            values[i] = params[i].s;
          break;
        case BATON_VALUE_NULL:
        default:
          break;
        }
      if (text)
        {
          g_ptr_array_add (owned, text);
          values[i] = text;
        }
    }
  count_round_trip (self);
  result = self->n_pending > 0 ? exec_after_pending (self, name, (int) n_params, values)
                              : PQexecPrepared (self->conn, name, (int) n_params, values, NULL,
                                                NULL, 0);
  collect_notifies (self);
  if (!result_ok (result))
    {
      set_error (error, self->conn, result, "Statement");
      g_clear_pointer (&result, PQclear);
    }
  /* outside a transaction the statement committed: a sync asked for next covers it */
  else if (!self->in_transaction && !self->reader)
    self->n_commits++;
  return result;
}

/* A cell as SQLite would give it: integers (booleans as 0 and 1, a numeric without a
 * fraction) as INT, floats as DOUBLE, everything else as TEXT. */
static void
read_cell (PGresult   *result,
           int         row,
           int         col,
           BatonValue *cell)
{
  const char *text = PQgetvalue (result, row, col);

  if (PQgetisnull (result, row, col))
    {
      cell->type = BATON_VALUE_NULL;
      return;
    }
  switch (PQftype (result, col))
    {
    case INT2_OID:
    case INT4_OID:
    case INT8_OID:
    case OID_OID:
      cell->type = BATON_VALUE_INT;
      cell->i = g_ascii_strtoll (text, NULL, 10);
      return;
    case BOOL_OID:
      cell->type = BATON_VALUE_INT;
      cell->i = text[0] == 't';
      return;
    case NUMERIC_OID:
      if (strpbrk (text, ".eEN") == NULL)
        {
          cell->type = BATON_VALUE_INT;
          cell->i = g_ascii_strtoll (text, NULL, 10);
          return;
        }
      G_GNUC_FALLTHROUGH;
    case FLOAT4_OID:
    case FLOAT8_OID:
      cell->type = BATON_VALUE_DOUBLE;
      cell->d = g_ascii_strtod (text, NULL);
      return;
    default:
      cell->type = BATON_VALUE_TEXT;
      cell->s = g_strdup (text);
      return;
    }
}

/* Takes result. */
static BatonRows *
rows_of (PGresult *result)
{
  BatonRows *rows = NULL;
  int n_cols = PQnfields (result);

  rows = baton_rows_new ((guint) n_cols);
  for (int r = 0; r < PQntuples (result); r++)
    {
      g_autofree BatonValue *cells = g_new0 (BatonValue, MAX (n_cols, 1));

      for (int c = 0; c < n_cols; c++)
        read_cell (result, r, c, &cells[c]);
      baton_rows_add (rows, cells);
    }
  PQclear (result);
  return rows;
}

static BatonRows *
store_query (BatonStore        *store,
             const char        *sql,
             const BatonValue  *params,
             guint              n_params,
             GError           **error)
{
  PGresult *result = run (BATON_STORE_POSTGRES (store), sql, params, n_params, error);

  return result ? rows_of (result) : NULL;
}

static gint64
store_exec (BatonStore        *store,
            const char        *sql,
            const BatonValue  *params,
            guint              n_params,
            GError           **error)
{
  PGresult *result = run (BATON_STORE_POSTGRES (store), sql, params, n_params, error);
  const char *changes = NULL;
  gint64 count = 0;

  if (result == NULL)
    return -1;
  changes = PQcmdTuples (result);
  count = changes && *changes ? g_ascii_strtoll (changes, NULL, 10) : 0;
  PQclear (result);
  return count;
}

/* Transactions */

static gboolean
store_begin (BatonStore  *store,
             GError     **error)
{
  BatonStorePostgres *self = BATON_STORE_POSTGRES (store);

  g_return_val_if_fail (!self->in_transaction, FALSE);

  if (!ensure_connected (self, error)
      || !run_script (self, "BEGIN; SELECT pg_advisory_xact_lock (" WRITER_LOCK ")", error))
    {
      run_script (self, "ROLLBACK", NULL);
      return FALSE;
    }
  self->in_transaction = TRUE;
  return TRUE;
}

/* The events other nodes wrote are read under the lock, in BEGIN's round trip: numbers
 * written into the text, since a simple query takes no parameters. */
static BatonRows *
store_begin_after (BatonStore  *store,
                   gint64       after,
                   guint        limit,
                   GError     **error)
{
  BatonStorePostgres *self = BATON_STORE_POSTGRES (store);
  g_autofree char *sql = NULL;
  PGresult *result = NULL;

  g_return_val_if_fail (!self->in_transaction, NULL);

  if (!ensure_connected (self, error))
    return NULL;
  sql = g_strdup_printf ("BEGIN; SELECT pg_advisory_xact_lock (" WRITER_LOCK ");"
                         " SELECT seq, type, at, agent_id, data FROM events WHERE seq > %"
                         G_GINT64_FORMAT " ORDER BY seq LIMIT %u", after, limit);
  count_round_trip (self);
  result = PQexec (self->conn, sql);
  if (PQresultStatus (result) != PGRES_TUPLES_OK)
    {
      set_error (error, self->conn, result, "Begin");
      PQclear (result);
      run_script (self, "ROLLBACK", NULL);
      return NULL;
    }
  self->in_transaction = TRUE;
  return rows_of (result);
}

static gboolean
store_commit (BatonStore  *store,
              GError     **error)
{
  BatonStorePostgres *self = BATON_STORE_POSTGRES (store);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *script = NULL;
  PGresult *result = NULL;
  gboolean committed = FALSE;

  g_return_val_if_fail (self->in_transaction, FALSE);

  self->in_transaction = FALSE;
  /* COMMIT of a failed transaction answers ROLLBACK, without an error; a release left for
   * it goes first, and its failure is the commit's */
  script = take_pending (self, "COMMIT");
  count_round_trip (self);
  result = PQexec (self->conn, script);
  committed = PQresultStatus (result) == PGRES_COMMAND_OK
              && g_strcmp0 (PQcmdStatus (result), "COMMIT") == 0;
  if (!committed)
    {
      if (result_ok (result))
        g_set_error_literal (&local_error, BATON_ERROR, BATON_ERROR_INTERNAL,
                             "Commit: the transaction had failed and was rolled back");
      else
        set_error (&local_error, self->conn, result, "Commit");
    }
  PQclear (result);
  collect_notifies (self);
  if (committed)
    {
      self->n_commits++;
      baton_store_syncer_committed (self->syncer);
      return TRUE;
    }
  if (PQtransactionStatus (self->conn) != PQTRANS_IDLE)
    run_script (self, "ROLLBACK", NULL);
  baton_store_syncer_abandon (self->syncer, local_error);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static void
store_rollback (BatonStore *store)
{
  BatonStorePostgres *self = BATON_STORE_POSTGRES (store);

  if (!self->in_transaction)
    return;
  self->n_pending = 0;
  self->savepoint_pending = FALSE;
  run_script (self, "ROLLBACK", NULL);
  self->in_transaction = FALSE;
  baton_store_syncer_abandon (self->syncer, NULL);
}

static gboolean
store_in_transaction (BatonStore *store)
{
  return BATON_STORE_POSTGRES (store)->in_transaction;
}

/* A step's savepoint and release are not sent alone: each goes with the next round trip
 * of the transaction (a statement, the next step's savepoint, the commit), so a step costs
 * no round trip of its own with the writer's lock held. Either fails only when the
 * transaction or the connection already has, and then so does what it goes with. */
static gboolean
store_savepoint (BatonStore  *store,
                 GError     **error)
{
  BatonStorePostgres *self = BATON_STORE_POSTGRES (store);

  g_return_val_if_fail (self->in_transaction, FALSE);

  /* a savepoint inside a step that sent nothing yet: the outer one goes first */
  if ((self->savepoint_pending || self->n_pending == G_N_ELEMENTS (self->pending))
      && !run_script (self, "", error))
    return FALSE;
  self->pending[self->n_pending++] = SAVEPOINT;
  self->savepoint_pending = TRUE;
  return TRUE;
}

/* A step that sent nothing: its savepoint is forgotten, unsent. */
static gboolean
forget_unsent_step (BatonStorePostgres *self)
{
  if (!self->savepoint_pending)
    return FALSE;
  self->n_pending--;
  self->savepoint_pending = FALSE;
  return TRUE;
}

static gboolean
store_release (BatonStore  *store,
               GError     **error)
{
  BatonStorePostgres *self = BATON_STORE_POSTGRES (store);

  g_return_val_if_fail (self->in_transaction, FALSE);

  if (forget_unsent_step (self))
    return TRUE;
  if (self->n_pending == G_N_ELEMENTS (self->pending) && !run_script (self, "", error))
    return FALSE;
  self->pending[self->n_pending++] = RELEASE;
  return TRUE;
}

static void
store_rollback_to (BatonStore *store)
{
  BatonStorePostgres *self = BATON_STORE_POSTGRES (store);

  if (!forget_unsent_step (self))
    run_script (self, "ROLLBACK TO SAVEPOINT step; RELEASE SAVEPOINT step", NULL);
}

/* The durability barrier */

/* A write of its own, so that its commit has a record to flush; the row goes at once. */
#define BARRIER "INSERT INTO store_syncs VALUES (pg_backend_pid ());" \
                "DELETE FROM store_syncs WHERE backend = pg_backend_pid ()"

typedef struct
{
  /* NULL until the first sync opens it, and after it was lost */
  PGconn *conn;
  char *url;
} SyncJob;

static gpointer
sync_prepare (GObject  *owner,
              GError  **error)
{
  BatonStorePostgres *self = BATON_STORE_POSTGRES (owner);
  SyncJob *job = NULL;

  if (self->conn == NULL)
    {
      g_set_error_literal (error, BATON_ERROR, BATON_ERROR_UNAVAILABLE, "The store is closed");
      return NULL;
    }
  job = g_new0 (SyncJob, 1);
  job->conn = g_steal_pointer (&self->sync_conn);
  job->url = g_strdup (self->url);
  return job;
}

/* In the thread: the connection is the job's alone. */
static gboolean
sync_run (gpointer   data,
          GError   **error)
{
  SyncJob *job = data;
  PGresult *result = NULL;
  gboolean ok = FALSE;

  if (job->conn == NULL)
    {
      job->conn = PQconnectdb (job->url);
      result = PQexec (job->conn, "SET synchronous_commit = on");
      PQclear (result);
    }
  result = PQexec (job->conn, BARRIER);
  ok = PQresultStatus (result) == PGRES_COMMAND_OK;
  if (!ok)
    {
      g_autofree char *text = error_text (job->conn, result);

      g_set_error (error, BATON_ERROR, BATON_ERROR_UNAVAILABLE,
                   "The change may not be on disk: the database's log was not flushed: %s",
                   text);
      g_clear_pointer (&job->conn, PQfinish);
    }
  PQclear (result);
  return ok;
}

static void
sync_done (GObject  *owner,
           gpointer  data,
           gboolean  synced)
{
  BatonStorePostgres *self = BATON_STORE_POSTGRES (owner);
  SyncJob *job = data;

  if (self->conn && self->sync_conn == NULL)
    self->sync_conn = g_steal_pointer (&job->conn);
  g_clear_pointer (&job->conn, PQfinish);
  g_free (job->url);
  g_free (job);
}

static guint64
count_commits (GObject *owner)
{
  return BATON_STORE_POSTGRES (owner)->n_commits;
}

static const BatonStoreSyncerFuncs syncer_funcs = {
  count_commits, sync_prepare, sync_run, sync_done,
};

/* As the store closes: what it committed is made durable here, once, rather than by the
 * server's log writer a moment later (batond copy exits right after). */
static void
flush_log (BatonStorePostgres *self)
{
  if (self->conn == NULL || self->reader || self->in_transaction
      || baton_store_syncer_is_current (self->syncer))
    return;
  run_script (self, "SET synchronous_commit = on;" BARRIER, NULL);
}

static BatonStoreSyncer *
store_syncer (BatonStore *store)
{
  return BATON_STORE_POSTGRES (store)->syncer;
}

/* Watching other nodes' events */

static gboolean
watch_dispatch_cb (gpointer user_data)
{
  BatonStorePostgres *self = user_data;

  self->watch_idle_id = 0;
  self->watch_func (self->watch_data);
  return G_SOURCE_REMOVE;
}

static void
schedule_watch (BatonStorePostgres *self)
{
  if (self->watch_func && self->watch_idle_id == 0)
    self->watch_idle_id = g_idle_add (watch_dispatch_cb, self);
}

/* Takes the notifications libpq has read, with a statement's answer or from the socket:
 * another backend's wake the watcher (this one's own events are known already). */
static void
collect_notifies (BatonStorePostgres *self)
{
  gboolean foreign = FALSE;
  PGnotify *notify = NULL;

  if (self->watch_func == NULL || self->conn == NULL)
    return;
  while ((notify = PQnotifies (self->conn)) != NULL)
    {
      foreign |= notify->be_pid != PQbackendPID (self->conn);
      PQfreemem (notify);
    }
  if (foreign)
    schedule_watch (self);
}

static gboolean
socket_readable_cb (int          fd,
                    GIOCondition condition,
                    gpointer     user_data)
{
  BatonStorePostgres *self = user_data;

  if (!PQconsumeInput (self->conn))
    {
      /* lost: the next statement opens the connection again and listens again */
      self->watch_fd_id = 0;
      schedule_watch (self);
      return G_SOURCE_REMOVE;
    }
  collect_notifies (self);
  return G_SOURCE_CONTINUE;
}

static gboolean
listen_events (BatonStorePostgres  *self,
               GError             **error)
{
  if (!run_script (self, "LISTEN baton_events", error))
    return FALSE;
  g_clear_handle_id (&self->watch_fd_id, g_source_remove);
  self->watch_fd_id = g_unix_fd_add (PQsocket (self->conn), G_IO_IN, socket_readable_cb, self);
  schedule_watch (self);
  return TRUE;
}

static gboolean
store_watch_events (BatonStore          *store,
                    BatonStoreWatchFunc  func,
                    gpointer             user_data)
{
  BatonStorePostgres *self = BATON_STORE_POSTGRES (store);
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (!self->in_transaction, FALSE);

  if (func == NULL)
    {
      g_clear_handle_id (&self->watch_fd_id, g_source_remove);
      g_clear_handle_id (&self->watch_idle_id, g_source_remove);
      self->watch_func = NULL;
      if (self->conn && PQstatus (self->conn) == CONNECTION_OK)
        run_script (self, "UNLISTEN *", NULL);
      return TRUE;
    }
  self->watch_func = func;
  self->watch_data = user_data;
  /* a connection down now listens once it is opened again (ensure_connected) */
  if (!ensure_connected (self, &error) || !listen_events (self, &error))
    g_warning ("Cannot listen for other nodes' events: %s", error->message);
  return TRUE;
}

/* Schema */

int
baton_store_postgres_schema_version (BatonStorePostgres  *self,
                                     GError             **error)
{
  PGresult *result = PQexec (self->conn, "SELECT max(version) FROM baton_schema");
  int version = -1;

  if (PQresultStatus (result) == PGRES_TUPLES_OK && PQntuples (result) == 1)
    version = PQgetisnull (result, 0, 0) ? 0 : (int) g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
  else
    set_error (error, self->conn, result, "Schema version");
  PQclear (result);
  return version;
}

/* Runs the migrations this database lacks, each in a transaction of its own. Nodes
 * starting together take turns: the first migrates, the others then find nothing to do. */
static gboolean
migrate_locked (BatonStorePostgres  *self,
                GError             **error)
{
  int version = 0;

  if (!run_script (self, "CREATE TABLE IF NOT EXISTS baton_schema (version BIGINT NOT NULL)",
                   error))
    return FALSE;
  version = baton_store_postgres_schema_version (self, error);
  if (version < 0)
    return FALSE;
  if (version > (int) baton_store_postgres_n_migrations)
    {
      g_set_error (error, BATON_ERROR, BATON_ERROR_INTERNAL,
                   "The database has schema version %d; this batond knows up to %u. "
                   "Use a newer batond.", version, baton_store_postgres_n_migrations);
      return FALSE;
    }
  for (guint i = (guint) version; i < baton_store_postgres_n_migrations; i++)
    {
      g_autofree char *bump = g_strdup_printf ("DELETE FROM baton_schema;"
                                               "INSERT INTO baton_schema VALUES (%u)", i + 1);

      if (!run_script (self, "BEGIN", error))
        return FALSE;
      if (!run_script (self, baton_store_postgres_migrations[i], error)
          || !run_script (self, bump, error) || !run_script (self, "COMMIT", error))
        {
          run_script (self, "ROLLBACK", NULL);
          g_prefix_error (error, "Migration %u: ", i + 1);
          return FALSE;
        }
      g_debug ("Applied schema migration %u", i + 1);
    }
  return TRUE;
}

static gboolean
store_migrate (BatonStore  *store,
               GError     **error)
{
  BatonStorePostgres *self = BATON_STORE_POSTGRES (store);
  gboolean migrated = FALSE;

  if (!ensure_connected (self, error)
      || !run_script (self, "SELECT pg_advisory_lock (" MIGRATION_LOCK ")", error))
    return FALSE;
  migrated = migrate_locked (self, error);
  run_script (self, "SELECT pg_advisory_unlock (" MIGRATION_LOCK ")", NULL);
  /* the schema changed under the statements prepared so far */
  clear_statements (self);
  run_script (self, "DEALLOCATE ALL", NULL);
  return migrated;
}

/* Connections */

/* Each session, again after a lost connection: the shared SQL's text is UTF-8; warnings (a
 * CREATE … IF NOT EXISTS that exists) are not the log's business; commits do not wait for
 * the log's flush (the durability barrier); a reader only reads. */
static gboolean
configure_session (BatonStorePostgres  *self,
                   GError             **error)
{
  return PQsetClientEncoding (self->conn, "UTF8") == 0
         && run_script (self, "SET client_min_messages = warning;"
                              "SET synchronous_commit = off", error)
         && (!self->reader
             || run_script (self, "SET default_transaction_read_only = on", error));
}

static gboolean
open_connection (BatonStorePostgres  *self,
                 const char          *url,
                 GError             **error)
{
  self->url = g_strdup (url);
  self->conn = PQconnectdb (url);
  if (self->conn == NULL || PQstatus (self->conn) != CONNECTION_OK)
    {
      g_autofree char *text = error_text (self->conn, NULL);

      /* not the URL: it may hold a password */
      g_set_error (error, BATON_ERROR, BATON_ERROR_UNAVAILABLE,
                   "Cannot connect to the database: %s", text);
      return FALSE;
    }
  return configure_session (self, error);
}

static BatonStore *
store_open_reader (BatonStore  *store,
                   GError     **error)
{
  BatonStorePostgres *self = BATON_STORE_POSTGRES (store);
  g_autoptr(BatonStorePostgres) reader = g_object_new (BATON_TYPE_STORE_POSTGRES, NULL);

  reader->reader = TRUE;
  if (!open_connection (reader, self->url, error))
    return NULL;
  return BATON_STORE (g_steal_pointer (&reader));
}

static const char *
store_backend (BatonStore *store)
{
  return "postgresql";
}

static void
store_iface_init (BatonStoreInterface *iface)
{
  iface->migrate = store_migrate;
  iface->begin = store_begin;
  iface->commit = store_commit;
  iface->rollback = store_rollback;
  iface->in_transaction = store_in_transaction;
  iface->savepoint = store_savepoint;
  iface->release = store_release;
  iface->rollback_to = store_rollback_to;
  iface->query = store_query;
  iface->exec = store_exec;
  iface->close = store_close;
  iface->open_reader = store_open_reader;
  iface->syncer = store_syncer;
  iface->backend = store_backend;
  iface->begin_after = store_begin_after;
  iface->watch_events = store_watch_events;
}

BatonStore *
baton_store_postgres_open (const char  *url,
                           GError     **error)
{
  g_autoptr(BatonStorePostgres) self = g_object_new (BATON_TYPE_STORE_POSTGRES, NULL);

  if (!open_connection (self, url, error))
    return NULL;
  return BATON_STORE (g_steal_pointer (&self));
}
