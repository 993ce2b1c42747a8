/* baton-store-syncer.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The durability barrier both backends share (baton_store_sync_async): a backend's commits
 * return before they are durable, and a sync makes durable every commit written before it
 * started, in a worker thread while the main loop goes on committing. The syncs asked for
 * during a turn of the loop share one; those asked for while it runs share the next. What
 * a sync does is the backend's: an fdatasync of SQLite's WAL, a synchronous commit on a
 * connection of its own for PostgreSQL. */

typedef struct _BatonStoreSyncer BatonStoreSyncer;

typedef struct
{
  /* the commits the owner has written so far */
  guint64  (*count_commits) (GObject  *owner);
  /* on the main loop as a sync starts: what the thread gets, or NULL with error */
  gpointer (*prepare)       (GObject  *owner,
                             GError  **error);
  /* in a worker thread: makes durable what was committed before prepare */
  gboolean (*run)           (gpointer  job,
                             GError  **error);
  /* back on the main loop, whether it synced; takes job */
  void     (*done)          (GObject  *owner,
                             gpointer  job,
                             gboolean  synced);
} BatonStoreSyncerFuncs;

/* owner: the store, the source of the syncs' tasks; not referenced by the syncer, which
 * it must outlive (each running sync holds it) */
BatonStoreSyncer *baton_store_syncer_new       (GObject                     *owner,
                                                const BatonStoreSyncerFuncs *funcs);
void              baton_store_syncer_free      (BatonStoreSyncer            *self);
/* each commit durable by itself (SQLite without a WAL): a sync never waits */
void              baton_store_syncer_set_each_durable (BatonStoreSyncer     *self,
                                                       gboolean              each_durable);
/* A sync for the commits so far, and the open transaction's when in_transaction. */
void              baton_store_syncer_wait      (BatonStoreSyncer            *self,
                                                gboolean                     in_transaction,
                                                GAsyncReadyCallback          callback,
                                                gpointer                     user_data);
gboolean          baton_store_syncer_finish    (GObject                     *owner,
                                                GAsyncResult                *result,
                                                GError                     **error);
/* after a commit: the syncs waiting for it may start */
void              baton_store_syncer_committed (BatonStoreSyncer            *self);
/* after a rollback or a failed commit: those waiting for a commit not written fail */
void              baton_store_syncer_abandon   (BatonStoreSyncer            *self,
                                                const GError                *cause);
/* whether every commit written so far is durable */
gboolean          baton_store_syncer_is_current (BatonStoreSyncer           *self);
void              baton_store_syncer_counts    (BatonStoreSyncer            *self,
                                                guint64                     *n_syncs,
                                                guint                       *n_waiting);

G_END_DECLS
