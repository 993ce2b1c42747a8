/* bench-agents.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-test-server.h"
#include "bench-reader.h"

G_BEGIN_DECLS

/* Agents online by an open event stream, for the end-to-end benchmarks: each `assigned`
 * notification is handed to a callback with the time it arrived (monotonic µs). */

typedef void (*BenchAssignedFunc) (gpointer    user_data,
                                   JsonObject *notification,
                                   gint64      arrived_us);

typedef struct {
  char *id;
  char *token;
  BenchReaderStream *stream;
  guint assigned;
  BenchAssignedFunc func;
  gpointer user_data;
} BenchAgent;

BenchAgent *bench_agent_new         (BatonTestServer   *server,
                                     guint              number,
                                     BenchAssignedFunc  func,
                                     gpointer           user_data);
void        bench_agent_free        (BenchAgent        *agent);
/* n_agents agents (numbered from 1) online, added to agents, in a new round_robin team;
 * returns the team's id. */
char       *bench_online_team       (BatonTestServer   *server,
                                     guint              n_agents,
                                     BenchAssignedFunc  func,
                                     gpointer           user_data,
                                     GPtrArray         *agents);
/* The fewest and the most assignments an agent of agents received. */
void        bench_assignment_spread (GPtrArray         *agents,
                                     guint             *fewest,
                                     guint             *most);

/* Parses the command line and takes the batond to run from its first argument or BATOND;
 * says why and returns FALSE when it cannot. */
gboolean    bench_parse_command_line (GOptionContext   *context,
                                      int              *argc,
                                      char           ***argv);

/* latencies in µs: sorted, and the nearest-rank percentile in ms */
void        bench_sort_latencies    (GArray            *latencies);
double      bench_percentile_ms     (GArray            *sorted,
                                     double             fraction);

/* CPU time used so far in µs, user and system, all threads: this process's when server is
 * NULL, else its batond's */
gint64      bench_cpu_us            (BatonTestServer   *server);

G_END_DECLS
