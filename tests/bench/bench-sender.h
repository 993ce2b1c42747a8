/* bench-sender.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* An HTTP/1.1 client for open-loop load: POSTs to one address on a thread of its own, over
 * keep-alive connections of plain non-blocking sockets, one request in flight on each.
 * Sending does not wait for the caller's main loop, and a request costs a build of its body
 * and one write, so the sender keeps its schedule well past what the servers it measures
 * sustain. */

typedef struct _BenchSender BenchSender;

/* Returns request index's JSON body and appends its own header lines ("Name: value\r\n") to
 * headers. Called on the sender's thread, a little before the request is due. */
typedef GBytes *(*BenchBodyFunc) (guint    index,
                                  GString *headers,
                                  gpointer user_data);

/* One run of the sender: what it sends and where it stamps each request's fate. The caller
 * fills the first part and keeps the run alive from bench_sender_start to bench_sender_stop;
 * in between, it may read next, outstanding and n_acked with g_atomic_int_get, and the rest
 * once bench_sender_stop has returned. */
typedef struct {
  /* open loop: request i is due at start + i / rate (monotonic µs); 0: closed loop, each
   * answer sends the next until closed_until, in_flight at a time */
  double rate;
  gint64 start;
  guint in_flight;
  gint64 closed_until;
  guint n_total;
  /* the status every answer must have */
  guint status;
  BenchBodyFunc body;
  gpointer user_data;
  /* monotonic µs: when each request was written, when its whole answer had arrived */
  gint64 *sent_at;
  gint64 *acked_at;

  /* set by the sender: requests are sent in order, so 0 … next - 1 have been */
  guint next;
  /* sent and neither answered nor lost */
  guint outstanding;
  guint n_acked;
  /* sent late because every connection had a request in flight when they were due */
  guint n_waited;
  guint n_errors;
  /* the first error's text, to read once the run stopped */
  char *first_error;
} BenchRun;

/* A sender to the POST address uri (an IP address) over connections connections, opened when
 * a run starts and again whenever the server closes one. */
BenchSender *bench_sender_new   (GUri        *uri,
                                 guint        connections);
/* Another server the same requests may go to (a node of the same workspace, on the same
 * path): the connections are spread over the servers. Before the first run. */
void         bench_sender_add_peer (BenchSender *sender,
                                    GUri        *uri);
void         bench_sender_free  (BenchSender *sender);
/* Starts the run on the sender's thread. */
void         bench_sender_start (BenchSender *sender,
                                 BenchRun    *run);
/* Ends the run: requests still without an answer stay so, and their connections are closed. */
void         bench_sender_stop  (BenchSender *sender);
/* Due time of request index of run; for a closed loop, when it was sent. */
gint64       bench_run_due      (const BenchRun *run,
                                 guint           index);
/* Frees first_error. */
void         bench_run_clear    (BenchRun    *run);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BenchSender, bench_sender_free)

G_END_DECLS
