/* baton-clock.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-clock"

#include "config.h"

#include "baton-clock.h"

/* The one clock every time-dependent rule reads. A test clock starts at a chosen instant and
 * can be moved forward; it keeps ticking with real time in between, so that events written in
 * a row still carry increasing times. A fixed clock does not tick: what happens at its instant
 * carries that instant to the millisecond, however long it takes. */
struct _BatonClock
{
  GObject parent_instance;

  /* state */
  gboolean test;
  gboolean fixed;
  /* the offset from real time, or the instant itself when fixed; the network's thread reads
   * it while the workspace's moves it */
  GMutex lock;
  gint64 offset_ms;
};

enum {
  ADVANCED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BatonClock, baton_clock, G_TYPE_OBJECT)

static void
baton_clock_finalize (GObject *object)
{
  BatonClock *self = BATON_CLOCK (object);

  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (baton_clock_parent_class)->finalize (object);
}

static void
baton_clock_class_init (BatonClockClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = baton_clock_finalize;
  signals[ADVANCED] = g_signal_new ("advanced", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
baton_clock_init (BatonClock *self)
{
  g_mutex_init (&self->lock);
}

BatonClock *
baton_clock_new (void)
{
  return g_object_new (BATON_TYPE_CLOCK, NULL);
}

BatonClock *
baton_clock_new_test (gint64 start_ms)
{
  BatonClock *self = g_object_new (BATON_TYPE_CLOCK, NULL);

  self->test = TRUE;
  self->offset_ms = start_ms - g_get_real_time () / 1000;
  return self;
}

/* Generated history: the same actions at the same instants give the same times, whatever the
 * machine's load (ids of one millisecond still sort in the order they were made). */
BatonClock *
baton_clock_new_fixed (gint64 at_ms)
{
  BatonClock *self = g_object_new (BATON_TYPE_CLOCK, NULL);

  self->test = TRUE;
  self->fixed = TRUE;
  self->offset_ms = at_ms;
  return self;
}

gboolean
baton_clock_is_test (BatonClock *self)
{
  g_return_val_if_fail (BATON_IS_CLOCK (self), FALSE);

  return self->test;
}

gint64
baton_clock_now_ms (BatonClock *self)
{
  gint64 offset_ms;

  g_return_val_if_fail (BATON_IS_CLOCK (self), 0);

  if (!self->test)
    return g_get_real_time () / 1000;
  g_mutex_lock (&self->lock);
  offset_ms = self->offset_ms;
  g_mutex_unlock (&self->lock);
  if (self->fixed)
    return offset_ms;
  return g_get_real_time () / 1000 + offset_ms;
}

void
baton_clock_advance (BatonClock *self,
                     gint64      seconds)
{
  g_return_if_fail (BATON_IS_CLOCK (self));
  g_return_if_fail (self->test);

  g_mutex_lock (&self->lock);
  self->offset_ms += seconds * 1000;
  g_mutex_unlock (&self->lock);
  g_signal_emit (self, signals[ADVANCED], 0);
}
