/* bench-messages.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-test-server.h"

G_BEGIN_DECLS

/* Customer messages for the end-to-end benchmarks: each comes from a number of its own and
 * names its order number ("order #N"), which the `assigned` notification's preview carries
 * back, so that a notification finds the message it answers. */

#define BENCH_APP_SECRET "bench-app-secret"

/* A whatsapp channel whose default team is team_id; nothing is ever sent to WhatsApp (the
 * Graph API address is a closed port). Returns its id. */
char   *bench_whatsapp_channel (BatonTestServer *server,
                                const char      *team_id);
/* A webhook body carrying count messages from consecutive new numbers, compact and ASCII
 * only as Meta sends it. */
GBytes *bench_webhook_body     (guint            first_number,
                                guint            count);
/* The JSON body of POST /channels/{id}/inbound (an api channel): message number from a new
 * number. */
GBytes *bench_inbound_body     (guint            number);
/* The order number an assigned notification's body ("<contact name>: <preview>") names, or
 * -1. */
gint64  bench_order_number     (const char      *body);

G_END_DECLS
