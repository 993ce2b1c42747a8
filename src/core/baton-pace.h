/* baton-pace.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How fast pieces of work arrive and what doing one costs: whether a thread doing nothing
 * else could keep up with them. Times are monotonic microseconds. */
typedef struct {
  /* arrivals since window_start, and the rate of the last whole window (per second) */
  gint64 window_start;
  guint window_count;
  double rate;
  /* what one piece costs, on average (µs); 0 until one is done */
  double cost_us;
} BatonPace;

void     baton_pace_arrived  (BatonPace *self,
                              gint64     now);
void     baton_pace_done     (BatonPace *self,
                              guint      n_done,
                              gint64     spent);
/* arrivals a second lately */
double   baton_pace_rate     (const BatonPace *self,
                              gint64           now);
/* whether doing what arrives would take more than share (0 to 1) of a thread's time */
gboolean baton_pace_outpaced (const BatonPace *self,
                              gint64           now,
                              double           share);

G_END_DECLS
