/* baton-store.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A relational store behind a narrow interface: transactions and parameterised statements
 * in the SQL subset that SQLite and PostgreSQL share ("?" placeholders, ON CONFLICT,
 * RETURNING). The schema and its migrations belong to each backend.
 *
 * A backend provides the interface below; the typed functions of each aggregate
 * (baton-store-<aggregate>.h), which the domain calls instead of query and exec, are
 * written once over it in that shared subset (also IS DISTINCT FROM, COALESCE, NULLIF,
 * CASE WHEN ? <> 0), and say so where a statement must differ per backend. */

#define BATON_TYPE_STORE (baton_store_get_type ())

G_DECLARE_INTERFACE (BatonStore, baton_store, BATON, STORE, GObject)

typedef enum {
  BATON_VALUE_NULL,
  BATON_VALUE_INT,
  BATON_VALUE_TEXT,
  BATON_VALUE_DOUBLE,
} BatonValueType;

typedef struct {
  BatonValueType type;
  gint64 i;
  char *s;
  double d;
} BatonValue;

typedef struct _BatonRows BatonRows;
/* the durability barrier a backend keeps (baton-store-syncer.h) */
typedef struct _BatonStoreSyncer BatonStoreSyncer;

typedef void (*BatonStoreWatchFunc) (gpointer user_data);

struct _BatonStoreInterface
{
  GTypeInterface parent_iface;

  gboolean   (*migrate)       (BatonStore        *self,
                               GError           **error);
  gboolean   (*begin)         (BatonStore        *self,
                               GError           **error);
  gboolean   (*commit)        (BatonStore        *self,
                               GError           **error);
  void       (*rollback)      (BatonStore        *self);
  gboolean   (*in_transaction)(BatonStore        *self);
  /* a nested step of the open transaction: kept by release, undone by rollback_to */
  gboolean   (*savepoint)     (BatonStore        *self,
                               GError           **error);
  gboolean   (*release)       (BatonStore        *self,
                               GError           **error);
  void       (*rollback_to)   (BatonStore        *self);
  BatonRows *(*query)         (BatonStore        *self,
                               const char        *sql,
                               const BatonValue  *params,
                               guint              n_params,
                               GError           **error);
  gint64     (*exec)          (BatonStore        *self,
                               const char        *sql,
                               const BatonValue  *params,
                               guint              n_params,
                               GError           **error);
  void       (*close)         (BatonStore        *self);
  /* a new connection to the same database that only reads, for another thread */
  BatonStore *(*open_reader)  (BatonStore        *self,
                               GError           **error);
  /* the durability barrier (baton-store-syncer.h): see baton_store_sync_async */
  BatonStoreSyncer *(*syncer) (BatonStore  *self);
  /* "sqlite", "postgresql" */
  const char *(*backend)      (BatonStore          *self);
  /* Only for a database several processes write (NULL otherwise): see
   * baton_store_begin_after and baton_store_watch_events */
  BatonRows  *(*begin_after)  (BatonStore          *self,
                               gint64               after,
                               guint                limit,
                               GError             **error);
  gboolean    (*watch_events) (BatonStore          *self,
                               BatonStoreWatchFunc  func,
                               gpointer             user_data);
};

gboolean    baton_store_migrate        (BatonStore  *self,
                                        GError     **error);
gboolean    baton_store_begin          (BatonStore  *self,
                                        GError     **error);
gboolean    baton_store_commit         (BatonStore  *self,
                                        GError     **error);
void        baton_store_rollback       (BatonStore  *self);
gboolean    baton_store_in_transaction (BatonStore  *self);
/* Inside a transaction, one step that can be undone alone: savepoint starts it, release
 * keeps it in the transaction, rollback_to undoes it and ends it. Steps do not nest. */
gboolean    baton_store_savepoint      (BatonStore  *self,
                                        GError     **error);
gboolean    baton_store_release        (BatonStore  *self,
                                        GError     **error);
void        baton_store_rollback_to    (BatonStore  *self);
void        baton_store_close          (BatonStore  *self);
/* which backend: "sqlite" or "postgresql" */
const char *baton_store_backend        (BatonStore  *self);
/* baton_store_begin, and then, where several processes (batond nodes) share the database,
 * the events committed after after (at most limit, rows of seq, type, at, agent_id, data),
 * read once the transaction holds the writer's place and in the same round trip, so that
 * what other processes wrote is read before any event is numbered here. No rows where
 * this process is the only writer; NULL when it failed (no transaction then). */
BatonRows  *baton_store_begin_after    (BatonStore  *self,
                                        gint64       after,
                                        guint        limit,
                                        GError     **error);
/* Calls func on the calling thread's main context, soon after another process commits
 * events (a hint: it may come late, twice, or be lost when the connection is); func NULL
 * stops. FALSE when this process is the only writer. */
gboolean    baton_store_watch_events   (BatonStore          *self,
                                        BatonStoreWatchFunc  func,
                                        gpointer             user_data);
/* NULL without an error when the database has a single connection (in memory) */
BatonStore *baton_store_open_reader    (BatonStore  *self,
                                        GError     **error);
/* A commit returns once it survives batond being killed; it survives a power cut once a
 * sync asked for after it has finished (TRUE), many commits sharing one sync. Asked for
 * inside a transaction, the sync waits for that transaction's commit too, and fails if the
 * transaction is rolled back or its commit fails. */
void        baton_store_sync_async     (BatonStore           *self,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
gboolean    baton_store_sync_finish    (BatonStore           *self,
                                        GAsyncResult         *result,
                                        GError              **error);
/* the syncs run so far, and the callers waiting for one */
void        baton_store_sync_counts    (BatonStore           *self,
                                        guint64              *n_syncs,
                                        guint                *n_waiting);
/* types: one letter a parameter: s = const char * (NULL is SQL NULL), i = gint64,
 * d = int, b = gboolean, f = double. */
BatonRows  *baton_store_query          (BatonStore  *self,
                                        GError     **error,
                                        const char  *sql,
                                        const char  *types,
                                        ...);
gint64      baton_store_exec           (BatonStore  *self,
                                        GError     **error,
                                        const char  *sql,
                                        const char  *types,
                                        ...);
BatonRows  *baton_store_query_values   (BatonStore       *self,
                                        const char       *sql,
                                        const BatonValue *params,
                                        guint             n_params,
                                        GError          **error);
/* Statements run through query and exec since the process started (all stores), for
 * /metrics and the tests that bound the statements an operation runs. */
guint64     baton_store_get_statement_count (void);
/* Waits for the database server's answer (PostgreSQL), several statements or none at a
 * time: what a remote database costs; 0 on SQLite. */
guint64     baton_store_get_round_trip_count (void);

char       *baton_store_like_pattern   (const char  *text);
/* whether the database answers a statement */
gboolean    baton_store_ping           (BatonStore  *self,
                                        GError     **error);

BatonRows  *baton_rows_new             (guint        n_cols);
void        baton_rows_add             (BatonRows   *rows,
                                        BatonValue  *cells);
void        baton_rows_free            (BatonRows   *rows);
guint       baton_rows_count           (BatonRows   *rows);
/* a cell as read, its type included */
const BatonValue *baton_rows_value     (BatonRows   *rows,
                                        guint        row,
                                        guint        col);
const char *baton_rows_text            (BatonRows   *rows,
                                        guint        row,
                                        guint        col);
gint64      baton_rows_int             (BatonRows   *rows,
                                        guint        row,
                                        guint        col);
/* A number as a double, a float cell included (baton_rows_int truncates it). */
double      baton_rows_double          (BatonRows   *rows,
                                        guint        row,
                                        guint        col);
gboolean    baton_rows_is_null         (BatonRows   *rows,
                                        guint        row,
                                        guint        col);
char       *baton_rows_dup_text        (BatonRows   *rows,
                                        guint        row,
                                        guint        col);
GStrv       baton_rows_column_strv     (BatonRows   *rows,
                                        guint        col);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonRows, baton_rows_free)

G_END_DECLS
