/* baton-pace.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-pace.h"

/* Arrivals are counted over windows this long: a burst shows within a fifth of a second. */
#define WINDOW_US (200 * 1000)
/* the weight a new measure of the cost gets in its average */
#define COST_WEIGHT 0.2

/* the arrivals a second since the window started */
static double
window_rate (const BatonPace *self,
             gint64           now)
{
  return self->window_count * (double) G_USEC_PER_SEC / (now - self->window_start);
}

void
baton_pace_arrived (BatonPace *self,
                    gint64     now)
{
  if (now - self->window_start >= WINDOW_US)
    {
      self->rate = window_rate (self, now);
      self->window_start = now;
      self->window_count = 0;
    }
  self->window_count++;
}

void
baton_pace_done (BatonPace *self,
                 guint      n_done,
                 gint64     spent)
{
  double cost = 0;

  if (n_done == 0)
    return;
  cost = (double) MAX (spent, 0) / n_done;
  self->cost_us = self->cost_us > 0 ? (1 - COST_WEIGHT) * self->cost_us + COST_WEIGHT * cost
                                    : cost;
}

double
baton_pace_rate (const BatonPace *self,
                 gint64           now)
{
  /* a window that ran out with no arrival since says how quiet it has gone */
  if (now - self->window_start >= WINDOW_US)
    return window_rate (self, now);
  return self->rate;
}

gboolean
baton_pace_outpaced (const BatonPace *self,
                     gint64           now,
                     double           share)
{
  return baton_pace_rate (self, now) * self->cost_us > share * G_USEC_PER_SEC;
}
