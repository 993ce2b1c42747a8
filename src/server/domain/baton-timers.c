/* baton-timers.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-timers"

#include "config.h"

#include "baton-timers.h"

/* Deadlines on the server's clock. One GLib timeout wakes us for the earliest one; moving a
 * test clock forward runs every deadline it passed, in order, before returning. */
struct _BatonTimers
{
  GObject parent_instance;

  /* borrowed */
  BatonClock *clock;

  /* owned */
  GQueue timers;

  /* state */
  guint next_id;
  guint wakeup_id;
  gulong advanced_id;
};

typedef struct {
  guint id;
  gint64 due_ms;
  BatonTimerFunc func;
  gpointer user_data;
  GDestroyNotify destroy;
} Timer;

G_DEFINE_FINAL_TYPE (BatonTimers, baton_timers, G_TYPE_OBJECT)

static void schedule_wakeup (BatonTimers *self);

static void
timer_free (Timer *timer)
{
  if (timer->destroy)
    timer->destroy (timer->user_data);
  g_free (timer);
}

static int
compare_due (gconstpointer a,
             gconstpointer b,
             gpointer      user_data)
{
  const Timer *ta = a, *tb = b;

  if (ta->due_ms != tb->due_ms)
    return ta->due_ms < tb->due_ms ? -1 : 1;
  return ta->id < tb->id ? -1 : 1;
}

static void
wakeup_cb (gpointer user_data)
{
  BatonTimers *self = user_data;

  self->wakeup_id = 0;
  baton_timers_run_due (self);
}

static void
schedule_wakeup (BatonTimers *self)
{
  Timer *first = g_queue_peek_head (&self->timers);
  gint64 delay;

  g_clear_handle_id (&self->wakeup_id, g_source_remove);
  if (first == NULL)
    return;
  delay = first->due_ms - baton_clock_now_ms (self->clock);
  self->wakeup_id = g_timeout_add_once ((guint) CLAMP (delay, 0, G_MAXINT), wakeup_cb, self);
}

void
baton_timers_run_due (BatonTimers *self)
{
  Timer *timer;

  while ((timer = g_queue_peek_head (&self->timers)) != NULL
         && timer->due_ms <= baton_clock_now_ms (self->clock))
    {
      g_queue_pop_head (&self->timers);
      timer->func (timer->user_data);
      timer_free (timer);
    }
  schedule_wakeup (self);
}

static void
clock_advanced_cb (BatonTimers *self)
{
  baton_timers_run_due (self);
}

static void
baton_timers_dispose (GObject *object)
{
  BatonTimers *self = BATON_TIMERS (object);

  g_clear_handle_id (&self->wakeup_id, g_source_remove);
  g_clear_signal_handler (&self->advanced_id, self->clock);
  g_queue_clear_full (&self->timers, (GDestroyNotify) timer_free);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (baton_timers_parent_class)->dispose (object);
}

static void
baton_timers_class_init (BatonTimersClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = baton_timers_dispose;
}

static void
baton_timers_init (BatonTimers *self)
{
  g_queue_init (&self->timers);
}

BatonTimers *
baton_timers_new (BatonClock *clock)
{
  BatonTimers *self = g_object_new (BATON_TYPE_TIMERS, NULL);

  self->clock = g_object_ref (clock);
  self->advanced_id = g_signal_connect_swapped (clock, "advanced",
                                                G_CALLBACK (clock_advanced_cb), self);
  return self;
}

guint
baton_timers_add (BatonTimers    *self,
                  gint64          due_ms,
                  BatonTimerFunc  func,
                  gpointer        user_data,
                  GDestroyNotify  destroy)
{
  Timer *timer = g_new0 (Timer, 1);

  timer->id = ++self->next_id;
  timer->due_ms = due_ms;
  timer->func = func;
  timer->user_data = user_data;
  timer->destroy = destroy;
  g_queue_insert_sorted (&self->timers, timer, compare_due, NULL);
  schedule_wakeup (self);
  return timer->id;
}

void
baton_timers_remove (BatonTimers *self,
                     guint        id)
{
  for (GList *l = self->timers.head; l; l = l->next)
    {
      Timer *timer = l->data;

      if (timer->id == id)
        {
          g_queue_delete_link (&self->timers, l);
          timer_free (timer);
          break;
        }
    }
  schedule_wakeup (self);
}
