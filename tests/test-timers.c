/* test-timers.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-timers.h"

/* 2026-11-22T09:30:00.000Z */
#define START_MS ((gint64) 1795339800000)

/* What the callbacks saw, in order: the names of the timers that fired. */
typedef struct {
  BatonTimers *timers;
  GPtrArray *fired;
  GPtrArray *destroyed;
  GMainLoop *loop;
  gint64 fired_at;
} Log;

typedef struct {
  Log *log;
  char *name;
  /* what the callback does besides logging */
  gint64 add_due_ms;
  char *add_name;
  guint remove_id;
} Entry;

static void
log_init (Log         *log,
          BatonTimers *timers)
{
  log->timers = timers;
  log->fired = g_ptr_array_new_with_free_func (g_free);
  log->destroyed = g_ptr_array_new_with_free_func (g_free);
  log->loop = NULL;
  log->fired_at = 0;
}

static void
log_clear (Log *log)
{
  g_clear_pointer (&log->fired, g_ptr_array_unref);
  g_clear_pointer (&log->destroyed, g_ptr_array_unref);
  g_clear_pointer (&log->loop, g_main_loop_unref);
}

static void
entry_free (Entry *entry)
{
  g_ptr_array_add (entry->log->destroyed, g_strdup (entry->name));
  g_free (entry->name);
  g_free (entry->add_name);
  g_free (entry);
}

static Entry *
entry_new (Log        *log,
           const char *name)
{
  Entry *entry = g_new0 (Entry, 1);

  entry->log = log;
  entry->name = g_strdup (name);
  return entry;
}

static guint add_entry (Log        *log,
                        gint64      due_ms,
                        Entry      *entry);

static void
entry_fired_cb (gpointer user_data)
{
  Entry *entry = user_data;
  Log *log = entry->log;

  g_ptr_array_add (log->fired, g_strdup (entry->name));
  log->fired_at = g_get_monotonic_time ();
  if (entry->add_name)
    add_entry (log, entry->add_due_ms, entry_new (log, entry->add_name));
  if (entry->remove_id)
    baton_timers_remove (log->timers, entry->remove_id);
  if (log->loop)
    g_main_loop_quit (log->loop);
}

static guint
add_entry (Log    *log,
           gint64  due_ms,
           Entry  *entry)
{
  return baton_timers_add (log->timers, due_ms, entry_fired_cb, entry,
                           (GDestroyNotify) entry_free);
}

static guint
add_named (Log        *log,
           gint64      due_ms,
           const char *name)
{
  return add_entry (log, due_ms, entry_new (log, name));
}

static char *
joined (GPtrArray *names)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < names->len; i++)
    {
      if (i > 0)
        g_string_append_c (text, ',');
      g_string_append (text, g_ptr_array_index (names, i));
    }
  return g_strdup (text->str);
}

static void
assert_fired (Log        *log,
              const char *expected)
{
  g_autofree char *text = joined (log->fired);

  g_assert_cmpstr (text, ==, expected);
}

/* Tests */

static void
test_due_order (void)
{
  g_autoptr(BatonClock) clock = baton_clock_new_test (START_MS);
  g_autoptr(BatonTimers) timers = baton_timers_new (clock);
  Log log;

  log_init (&log, timers);
  add_named (&log, START_MS + 3000, "third");
  add_named (&log, START_MS + 1000, "first");
  add_named (&log, START_MS + 2000, "second-a");
  /* Same due time: the one added first runs first. */
  add_named (&log, START_MS + 2000, "second-b");
  add_named (&log, START_MS + 60000, "later");

  /* Nothing is due yet. */
  baton_timers_run_due (timers);
  assert_fired (&log, "");

  baton_clock_advance (clock, 1);
  assert_fired (&log, "first");
  baton_clock_advance (clock, 1);
  assert_fired (&log, "first,second-a,second-b");
  /* Running again fires nothing twice. */
  baton_timers_run_due (timers);
  assert_fired (&log, "first,second-a,second-b");
  baton_clock_advance (clock, 1);
  assert_fired (&log, "first,second-a,second-b,third");
  g_assert_cmpuint (log.destroyed->len, ==, 4);

  baton_clock_advance (clock, 30);
  assert_fired (&log, "first,second-a,second-b,third");
  baton_clock_advance (clock, 30);
  assert_fired (&log, "first,second-a,second-b,third,later");
  g_assert_cmpuint (log.destroyed->len, ==, 5);

  g_clear_object (&timers);
  log_clear (&log);
}

static void
test_one_advance_runs_all (void)
{
  g_autoptr(BatonClock) clock = baton_clock_new_test (START_MS);
  g_autoptr(BatonTimers) timers = baton_timers_new (clock);
  Log log;

  log_init (&log, timers);
  add_named (&log, START_MS + 3600 * 1000, "d");
  add_named (&log, START_MS + 5 * 1000, "a");
  add_named (&log, START_MS + 60 * 1000, "b");
  add_named (&log, START_MS + 600 * 1000, "c");
  add_named (&log, START_MS + 7200 * 1000 + 1, "beyond");
  /* A deadline far in the past is due at once. */
  add_named (&log, START_MS - 3600 * 1000, "overdue");

  baton_timers_run_due (timers);
  assert_fired (&log, "overdue");
  /* One jump of an hour runs everything it passed, in due order, before returning. */
  baton_clock_advance (clock, 3600);
  assert_fired (&log, "overdue,a,b,c,d");

  /* Timers still pending when the object goes are released. */
  g_clear_object (&timers);
  g_assert_cmpuint (log.destroyed->len, ==, 6);
  assert_fired (&log, "overdue,a,b,c,d");
  log_clear (&log);
}

static void
test_remove (void)
{
  g_autoptr(BatonClock) clock = baton_clock_new_test (START_MS);
  g_autoptr(BatonTimers) timers = baton_timers_new (clock);
  Log log;
  guint doomed;
  guint kept;

  log_init (&log, timers);
  doomed = add_named (&log, START_MS + 1000, "doomed");
  kept = add_named (&log, START_MS + 2000, "kept");
  g_assert_cmpuint (doomed, !=, 0);
  g_assert_cmpuint (kept, !=, doomed);

  baton_timers_remove (timers, doomed);
  /* Its data is released at once. */
  g_assert_cmpuint (log.destroyed->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (log.destroyed, 0), ==, "doomed");
  /* Removing it again, or an id that never was, does nothing. */
  baton_timers_remove (timers, doomed);
  baton_timers_remove (timers, 9999);
  g_assert_cmpuint (log.destroyed->len, ==, 1);

  baton_clock_advance (clock, 10);
  assert_fired (&log, "kept");
  g_assert_cmpuint (log.destroyed->len, ==, 2);
  /* Removing a timer that already fired is harmless. */
  baton_timers_remove (timers, kept);
  g_assert_cmpuint (log.destroyed->len, ==, 2);

  g_clear_object (&timers);
  log_clear (&log);
}

static void
test_add_while_running (void)
{
  g_autoptr(BatonClock) clock = baton_clock_new_test (START_MS);
  g_autoptr(BatonTimers) timers = baton_timers_new (clock);
  Log log;
  Entry *chain = NULL;
  Entry *future = NULL;
  Entry *remover = NULL;
  guint victim;

  log_init (&log, timers);
  /* Fires, and adds one that is already due: it runs in the same pass. */
  chain = entry_new (&log, "chain");
  chain->add_due_ms = START_MS;
  chain->add_name = g_strdup ("chained");
  add_entry (&log, START_MS + 1000, chain);
  /* Fires, and adds one for later: it waits for its own time. */
  future = entry_new (&log, "future");
  future->add_due_ms = START_MS + 10 * 1000;
  future->add_name = g_strdup ("added-later");
  add_entry (&log, START_MS + 1500, future);
  /* Fires, and removes one that was due in the same pass. */
  victim = add_named (&log, START_MS + 3000, "victim");
  remover = entry_new (&log, "remover");
  remover->remove_id = victim;
  add_entry (&log, START_MS + 2000, remover);
  add_named (&log, START_MS + 4000, "last");

  baton_clock_advance (clock, 5);
  assert_fired (&log, "chain,chained,future,remover,last");
  baton_clock_advance (clock, 4);
  assert_fired (&log, "chain,chained,future,remover,last");
  baton_clock_advance (clock, 1);
  assert_fired (&log, "chain,chained,future,remover,last,added-later");
  g_assert_cmpuint (log.destroyed->len, ==, 7);

  g_clear_object (&timers);
  log_clear (&log);
}

static gboolean
too_late_cb (gpointer user_data)
{
  g_assert_not_reached ();
  return G_SOURCE_REMOVE;
}

static void
test_real_time (void)
{
  g_autoptr(BatonClock) clock = baton_clock_new ();
  g_autoptr(BatonTimers) timers = baton_timers_new (clock);
  Log log;
  gint64 started;
  guint guard;

  log_init (&log, timers);
  log.loop = g_main_loop_new (NULL, FALSE);
  started = g_get_monotonic_time ();
  add_named (&log, baton_clock_now_ms (clock) + 30, "soon");

  /* Not before its time. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  assert_fired (&log, "");

  guard = g_timeout_add_seconds (5, too_late_cb, NULL);
  g_main_loop_run (log.loop);
  g_source_remove (guard);
  assert_fired (&log, "soon");
  /* Due 30 ms ahead, in milliseconds of wall time: allow for the rounding. */
  g_assert_cmpint (log.fired_at - started, >=, 28 * 1000);

  g_clear_object (&timers);
  log_clear (&log);
}

static void
test_real_time_order (void)
{
  /* A test clock keeps ticking too, so its deadlines also arrive through the main loop. */
  g_autoptr(BatonClock) clock = baton_clock_new_test (START_MS);
  g_autoptr(BatonTimers) timers = baton_timers_new (clock);
  Log log;
  guint guard;
  gint64 now = baton_clock_now_ms (clock);

  log_init (&log, timers);
  log.loop = g_main_loop_new (NULL, FALSE);
  add_named (&log, now + 40, "b");
  add_named (&log, now + 20, "a");
  add_named (&log, now + 60000, "much-later");

  guard = g_timeout_add_seconds (5, too_late_cb, NULL);
  g_main_loop_run (log.loop);
  assert_fired (&log, "a");
  g_main_loop_run (log.loop);
  assert_fired (&log, "a,b");
  g_source_remove (guard);
  g_assert_cmpint (baton_clock_now_ms (clock), >=, now + 40);

  g_clear_object (&timers);
  g_assert_cmpuint (log.destroyed->len, ==, 3);
  log_clear (&log);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/timers/due-order", test_due_order);
  g_test_add_func ("/timers/one-advance-runs-all", test_one_advance_runs_all);
  g_test_add_func ("/timers/remove", test_remove);
  g_test_add_func ("/timers/add-while-running", test_add_while_running);
  g_test_add_func ("/timers/real-time", test_real_time);
  g_test_add_func ("/timers/real-time-order", test_real_time_order);

  return g_test_run ();
}
