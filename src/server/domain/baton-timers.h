/* baton-timers.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-clock.h"

G_BEGIN_DECLS

#define BATON_TYPE_TIMERS (baton_timers_get_type ())

G_DECLARE_FINAL_TYPE (BatonTimers, baton_timers, BATON, TIMERS, GObject)

typedef void (*BatonTimerFunc) (gpointer user_data);

BatonTimers *baton_timers_new      (BatonClock     *clock);
guint        baton_timers_add      (BatonTimers    *self,
                                    gint64          due_ms,
                                    BatonTimerFunc  func,
                                    gpointer        user_data,
                                    GDestroyNotify  destroy);
void         baton_timers_remove   (BatonTimers    *self,
                                    guint           id);
void         baton_timers_run_due  (BatonTimers    *self);

G_END_DECLS
