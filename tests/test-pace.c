/* test-pace.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-pace.h"

/* an arbitrary start: monotonic time is never 0 on a running machine */
#define T0 ((gint64) 5 * G_USEC_PER_SEC)

/* n arrivals spaced step µs apart from start; returns the time of the last */
static gint64
arrive (BatonPace *pace,
        gint64     start,
        guint      n,
        gint64     step)
{
  for (guint i = 0; i < n; i++)
    baton_pace_arrived (pace, start + i * step);
  return start + (n - 1) * step;
}

static void
test_quiet (void)
{
  BatonPace pace = { 0 };

  g_assert_cmpfloat (baton_pace_rate (&pace, T0), ==, 0);
  baton_pace_done (&pace, 10, 10 * 1000);
  g_assert_false (baton_pace_outpaced (&pace, T0, 0.9));
}

static void
test_rate (void)
{
  BatonPace pace = { 0 };
  /* 10,000 a second for half a second */
  gint64 last = arrive (&pace, T0, 5000, 100);

  g_assert_cmpfloat_with_epsilon (baton_pace_rate (&pace, last), 10000, 500);
  /* the rate is of the last whole window, not of the whole history */
  last = arrive (&pace, last + 1000, 500, 1000);
  g_assert_cmpfloat_with_epsilon (baton_pace_rate (&pace, last), 1000, 100);
}

static void
test_goes_quiet (void)
{
  BatonPace pace = { 0 };
  gint64 last = arrive (&pace, T0, 5000, 100);

  baton_pace_done (&pace, 20, 20 * 500);
  g_assert_true (baton_pace_outpaced (&pace, last, 0.9));
  /* no arrival for two seconds: what is left is a trickle, done easily */
  g_assert_cmpfloat (baton_pace_rate (&pace, last + 2 * G_USEC_PER_SEC), <, 1000);
  g_assert_false (baton_pace_outpaced (&pace, last + 2 * G_USEC_PER_SEC, 0.9));
}

/* Outpaced is the share of the thread the arrivals need, against the share allowed. */
static void
test_outpaced (void)
{
  BatonPace pace = { 0 };
  /* 2,000 a second */
  gint64 last = arrive (&pace, T0, 1000, 500);

  /* 400 µs each: 80 % of the thread */
  baton_pace_done (&pace, 10, 10 * 400);
  g_assert_false (baton_pace_outpaced (&pace, last, 0.9));
  g_assert_true (baton_pace_outpaced (&pace, last, 0.7));
  /* dearer turns raise the average cost, not at once to their own */
  baton_pace_done (&pace, 10, 10 * 1400);
  g_assert_cmpfloat_with_epsilon (pace.cost_us, 600, 0.001);
  g_assert_true (baton_pace_outpaced (&pace, last, 0.9));
  /* a turn that did nothing says nothing of the cost */
  baton_pace_done (&pace, 0, 5000);
  g_assert_cmpfloat_with_epsilon (pace.cost_us, 600, 0.001);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/pace/quiet", test_quiet);
  g_test_add_func ("/pace/rate", test_rate);
  g_test_add_func ("/pace/goes-quiet", test_goes_quiet);
  g_test_add_func ("/pace/outpaced", test_outpaced);
  return g_test_run ();
}
