/* baton-store-syncer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-store"

#include "config.h"

#include "baton-error.h"
#include "baton-store-syncer.h"

typedef struct
{
  GTask *task;
  /* the commits it waits for */
  guint64 needs;
} Waiter;

struct _BatonStoreSyncer
{
  GObject *owner;
  const BatonStoreSyncerFuncs *funcs;
  /* Waiter: the syncs asked for, in order of what they need */
  GArray *waiters;
  gboolean each_durable;
  /* commits made durable, and those the running sync covers */
  guint64 n_synced;
  guint64 target;
  guint64 n_syncs;
  gboolean syncing;
  guint source;
};

BatonStoreSyncer *
baton_store_syncer_new (GObject                     *owner,
                        const BatonStoreSyncerFuncs *funcs)
{
  BatonStoreSyncer *self = g_new0 (BatonStoreSyncer, 1);

  self->owner = owner;
  self->funcs = funcs;
  self->waiters = g_array_new (FALSE, FALSE, sizeof (Waiter));
  return self;
}

/* Every waiter's task and every running sync hold the owner, which frees the syncer: none
 * is left here. */
void
baton_store_syncer_free (BatonStoreSyncer *self)
{
  g_assert (self->waiters->len == 0 && !self->syncing && self->source == 0);

  g_array_unref (self->waiters);
  g_free (self);
}

void
baton_store_syncer_set_each_durable (BatonStoreSyncer *self,
                                     gboolean          each_durable)
{
  self->each_durable = each_durable;
}

static guint64
durable_commits (BatonStoreSyncer *self)
{
  return self->each_durable ? self->funcs->count_commits (self->owner) : self->n_synced;
}

gboolean
baton_store_syncer_is_current (BatonStoreSyncer *self)
{
  return durable_commits (self) >= self->funcs->count_commits (self->owner);
}

/* Answers the waiters that need no more than covered: TRUE, or a copy of error. */
static void
answer (BatonStoreSyncer *self,
        guint64           covered,
        const GError     *error)
{
  guint n = 0;

  while (n < self->waiters->len && g_array_index (self->waiters, Waiter, n).needs <= covered)
    {
      GTask *task = g_array_index (self->waiters, Waiter, n).task;

      if (error)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      n++;
    }
  g_array_remove_range (self->waiters, 0, n);
}

static void schedule (BatonStoreSyncer *self);

/* what a running sync's thread gets */
typedef struct
{
  BatonStoreSyncer *syncer;
  gpointer job;
} Run;

static void
sync_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Run *run = task_data;
  GError *error = NULL;

  if (run->syncer->funcs->run (run->job, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
sync_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  BatonStoreSyncer *self = user_data;
  Run *run = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gboolean synced = g_task_propagate_boolean (G_TASK (result), &error);

  self->syncing = FALSE;
  self->funcs->done (self->owner, g_steal_pointer (&run->job), synced);
  if (synced)
    self->n_synced = MAX (self->n_synced, self->target);
  else
    g_warning ("%s", error->message);
  answer (self, self->target, error);
  schedule (self);
}

static gboolean
start_cb (gpointer user_data)
{
  BatonStoreSyncer *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  guint64 target = self->funcs->count_commits (self->owner);
  Run *run = NULL;
  gpointer job = NULL;

  self->source = 0;
  job = self->funcs->prepare (self->owner, &error);
  if (job == NULL)
    {
      answer (self, target, error);
      return G_SOURCE_REMOVE;
    }
  run = g_new0 (Run, 1);
  run->syncer = self;
  run->job = job;
  task = g_task_new (self->owner, NULL, sync_done_cb, self);
  g_task_set_source_tag (task, start_cb);
  /* its answers go out before the loop runs the next requests waiting */
  g_task_set_priority (task, G_PRIORITY_HIGH);
  g_task_set_task_data (task, run, g_free);
  self->target = target;
  self->syncing = TRUE;
  self->n_syncs++;
  g_task_run_in_thread (task, sync_thread);
  return G_SOURCE_REMOVE;
}

static void
unref_owner (gpointer data)
{
  BatonStoreSyncer *self = data;

  g_object_unref (self->owner);
}

/* The next sync starts at the next turn, once this turn's requests have asked for it and
 * the first of them has its commit written: before the requests waiting to be run, whose
 * turn takes a while and whose answers would wait for it. */
static void
schedule (BatonStoreSyncer *self)
{
  if (self->syncing || self->source || self->waiters->len == 0
      || (g_array_index (self->waiters, Waiter, 0).needs
          > self->funcs->count_commits (self->owner)))
    return;
  g_object_ref (self->owner);
  self->source = g_idle_add_full (G_PRIORITY_HIGH, start_cb, self, unref_owner);
}

void
baton_store_syncer_wait (BatonStoreSyncer    *self,
                         gboolean             in_transaction,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  Waiter waiter = { g_task_new (self->owner, NULL, callback, user_data),
                    self->funcs->count_commits (self->owner) + (in_transaction ? 1 : 0) };

  g_task_set_source_tag (waiter.task, baton_store_syncer_wait);
  if (waiter.needs <= durable_commits (self))
    {
      g_task_return_boolean (waiter.task, TRUE);
      g_object_unref (waiter.task);
      return;
    }
  g_array_append_val (self->waiters, waiter);
  schedule (self);
}

gboolean
baton_store_syncer_finish (GObject       *owner,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, owner), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
baton_store_syncer_committed (BatonStoreSyncer *self)
{
  if (self->each_durable)
    answer (self, self->funcs->count_commits (self->owner), NULL);
  else
    schedule (self);
}

void
baton_store_syncer_abandon (BatonStoreSyncer *self,
                            const GError     *cause)
{
  g_autoptr(GError) error = g_error_new (BATON_ERROR, BATON_ERROR_UNAVAILABLE,
                                         "The change was not saved%s%s",
                                         cause ? ": " : "", cause ? cause->message : "");
  guint64 n_commits = self->funcs->count_commits (self->owner);
  guint n = self->waiters->len;

  while (n > 0 && g_array_index (self->waiters, Waiter, n - 1).needs > n_commits)
    n--;
  for (guint i = n; i < self->waiters->len; i++)
    {
      GTask *task = g_array_index (self->waiters, Waiter, i).task;

      g_task_return_error (task, g_error_copy (error));
      g_object_unref (task);
    }
  g_array_set_size (self->waiters, n);
}

void
baton_store_syncer_counts (BatonStoreSyncer *self,
                           guint64          *n_syncs,
                           guint            *n_waiting)
{
  *n_syncs = self->n_syncs;
  *n_waiting = self->waiters->len;
}
