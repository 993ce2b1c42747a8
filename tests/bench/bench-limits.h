/* bench-limits.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The machine's own limits, measured by a benchmark in the same run as its figures, so that a
 * figure can be read as a share of what the machine allows. */

/* Serves a libsoup 3 hello world on 127.0.0.1 until killed: every POST gets 200 and a small
 * JSON body. Prints "listening on <port>" first. Returns the exit status. */
int          bench_hello_serve       (void);
/* Runs this program again with argument as a hello world server (a process of its own, as
 * batond is); returns it, its URL in *url. */
GSubprocess *bench_hello_spawn       (const char  *argument,
                                      char       **url);
/* Single-row INSERT commits per second in a new WAL database in dir, with that
 * synchronous setting ("FULL", "NORMAL"), for about seconds. */
double       bench_sqlite_commits    (const char  *dir,
                                      const char  *synchronous,
                                      double       seconds);

G_END_DECLS
