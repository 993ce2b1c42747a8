/* bench-reader.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Event streams read for the benchmarks on one thread of their own, over plain non-blocking
 * sockets: under load every stream receives every event, and reading them through libsoup on
 * the main thread took a core from the load it measures. The thread answers the server's
 * pings, skips the frames that cannot hold an assigned notification and stamps the others as
 * they arrive; the notifications themselves are handed to the main thread. A close, an end of
 * file or an error on a stream ends the program, with the stream's name. */

typedef struct _BenchReaderStream BenchReaderStream;

/* Called on the main thread (by its default main context) for each `assigned` notification
 * (an event's "data") with the time its frame arrived (monotonic µs). It must not close a
 * stream. */
typedef void (*BenchNotificationFunc) (gpointer    user_data,
                                       JsonObject *notification,
                                       gint64      arrived_us);

/* Opens GET /api/v1/stream of the server at url (http://host:port) with the token, and reads
 * it from then on; name says whose stream it is in errors. Waits for the upgrade. */
BenchReaderStream *bench_reader_open  (const char             *url,
                                       const char             *token,
                                       const char             *name,
                                       BenchNotificationFunc   func,
                                       gpointer                user_data,
                                       GError                **error);
/* The normal end: closes the stream (close code 1000) without ending the program, and drops
 * its notifications not handed over yet. */
void               bench_reader_close (BenchReaderStream      *stream);

G_END_DECLS
