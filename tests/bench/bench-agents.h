/* bench-agents.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-test-server.h"

G_BEGIN_DECLS

/* Agents online by an open event stream, for the end-to-end benchmarks: each `assigned`
 * notification is handed to a callback with the time it arrived (monotonic µs). */

typedef void (*BenchAssignedFunc) (gpointer    user_data,
                                   JsonObject *notification,
                                   gint64      arrived_us);

typedef struct {
  char *id;
  char *token;
  BatonTestStream *stream;
  guint assigned;
  BenchAssignedFunc func;
  gpointer user_data;
} BenchAgent;

BenchAgent *bench_agent_new         (BatonTestServer   *server,
                                     guint              number,
                                     BenchAssignedFunc  func,
                                     gpointer           user_data);
/* until the server counts the agent online (its stream is registered) */
void        bench_agent_wait_online (BenchAgent        *agent,
                                     BatonTestServer   *server);
void        bench_agent_free        (BenchAgent        *agent);

/* latencies in µs: sorted, and the nearest-rank percentile in ms */
void        bench_sort_latencies    (GArray            *latencies);
double      bench_percentile_ms     (GArray            *sorted,
                                     double             fraction);

G_END_DECLS
