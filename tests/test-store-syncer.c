/* test-store-syncer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-store-syncer.h"

/* a turn of requests on the workspace's loop: long beside a sync's hop to a thread and back */
#define TURN_US (50 * 1000)
#define MAX_TURNS 20

typedef struct {
  GObject *owner;
  BatonStoreSyncer *syncer;
  GMainLoop *loop;
  guint64 n_commits;
  guint n_runs;
  guint turn_source;
  /* turns of requests run so far, and when each answer came (-1: not yet) */
  guint turns;
  int answered_after[2];
  guint n_answered;
} Fixture;

static Fixture *
fixture_of (GObject *owner)
{
  return g_object_get_data (owner, "fixture");
}

static guint64
count_commits (GObject *owner)
{
  return fixture_of (owner)->n_commits;
}

static gpointer
prepare (GObject  *owner,
         GError  **error)
{
  return fixture_of (owner);
}

/* in the worker thread: the disk, instantly */
static gboolean
run (gpointer   job,
     GError   **error)
{
  Fixture *fixture = job;

  g_atomic_int_inc (&fixture->n_runs);
  return TRUE;
}

static void
done (GObject  *owner,
      gpointer  job,
      gboolean  synced)
{
  g_assert_true (synced);
}

static const BatonStoreSyncerFuncs funcs = { count_commits, prepare, run, done };

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->owner = g_object_new (G_TYPE_OBJECT, NULL);
  g_object_set_data (fixture->owner, "fixture", fixture);
  fixture->syncer = baton_store_syncer_new (fixture->owner, &funcs);
  fixture->loop = g_main_loop_new (NULL, FALSE);
  fixture->answered_after[0] = fixture->answered_after[1] = -1;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  /* the idle that unrefs the owner after the last sync's start */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  baton_store_syncer_free (fixture->syncer);
  g_main_loop_unref (fixture->loop);
  g_object_unref (fixture->owner);
}

/* Requests waiting to be run, as the mailbox holds them while a turn goes on. */
static gboolean
turn_cb (gpointer data)
{
  Fixture *fixture = data;

  g_usleep (TURN_US);
  fixture->turns++;
  if (fixture->turns < MAX_TURNS && fixture->n_answered < G_N_ELEMENTS (fixture->answered_after))
    return G_SOURCE_CONTINUE;
  fixture->turn_source = 0;
  g_main_loop_quit (fixture->loop);
  return G_SOURCE_REMOVE;
}

static void
answered_cb (GObject      *owner,
             GAsyncResult *result,
             gpointer      user_data)
{
  Fixture *fixture = user_data;

  g_assert_true (baton_store_syncer_finish (owner, result, NULL));
  fixture->answered_after[fixture->n_answered++] = (int) fixture->turns;
}

/* A turn's changes are committed together; the answers wait for their sync. Once the sync
 * is done, they go out before the next turn of waiting requests runs, not after it. */
static void
test_answers_before_next_turn (Fixture       *fixture,
                               gconstpointer  data)
{
  /* at the mailbox's priority */
  fixture->turn_source = g_idle_add_full (G_PRIORITY_DEFAULT, turn_cb, fixture, NULL);
  baton_store_syncer_wait (fixture->syncer, TRUE, answered_cb, fixture);
  baton_store_syncer_wait (fixture->syncer, TRUE, answered_cb, fixture);
  fixture->n_commits++;
  baton_store_syncer_committed (fixture->syncer);
  g_main_loop_run (fixture->loop);
  g_clear_handle_id (&fixture->turn_source, g_source_remove);

  g_test_message ("answered after %d and %d turns", fixture->answered_after[0], fixture->answered_after[1]);
  g_assert_cmpuint (fixture->n_answered, ==, 2);
  /* the sync starts before the first turn and is back while it runs */
  g_assert_cmpint (fixture->answered_after[0], <=, 1);
  g_assert_cmpint (fixture->answered_after[1], ==, fixture->answered_after[0]);
  /* the turn's two answers shared one sync */
  g_assert_cmpuint (g_atomic_int_get (&fixture->n_runs), ==, 1);
}

/* A sync is asked for only once its commit is written: nothing runs before. */
static void
test_waits_for_commit (Fixture       *fixture,
                       gconstpointer  data)
{
  guint64 n_syncs = 0;
  guint n_waiting = 0;

  baton_store_syncer_wait (fixture->syncer, TRUE, answered_cb, fixture);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  baton_store_syncer_counts (fixture->syncer, &n_syncs, &n_waiting);
  g_assert_cmpuint (n_syncs, ==, 0);
  g_assert_cmpuint (n_waiting, ==, 1);
  g_assert_cmpuint (fixture->n_answered, ==, 0);

  fixture->n_commits++;
  baton_store_syncer_committed (fixture->syncer);
  while (fixture->n_answered == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_atomic_int_get (&fixture->n_runs), ==, 1);
  g_assert_true (baton_store_syncer_is_current (fixture->syncer));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/store-syncer/answers-before-next-turn", Fixture, NULL, fixture_set_up,
              test_answers_before_next_turn, fixture_tear_down);
  g_test_add ("/store-syncer/waits-for-commit", Fixture, NULL, fixture_set_up,
              test_waits_for_commit, fixture_tear_down);
  return g_test_run ();
}
