/* baton-clock.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define BATON_TYPE_CLOCK (baton_clock_get_type ())

G_DECLARE_FINAL_TYPE (BatonClock, baton_clock, BATON, CLOCK, GObject)

BatonClock *baton_clock_new         (void);
BatonClock *baton_clock_new_test    (gint64      start_ms);
BatonClock *baton_clock_new_fixed   (gint64      at_ms);
gboolean    baton_clock_is_test     (BatonClock *self);
gint64      baton_clock_now_ms      (BatonClock *self);
void        baton_clock_advance     (BatonClock *self,
                                     gint64      seconds);

G_END_DECLS
