/* bench-streams.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "baton-test-helpers.h"
#include "bench-agents.h"

/* 2,000 event streams open against a real batond (several per agent: batond has no cap per
 * agent), then workspace-wide changes every agent sees (a team renamed, one at a time): for
 * each change, the time from its answer (the commit acknowledged) to its arrival on every
 * stream; and batond's memory per open stream. The streams are read by a few threads, each
 * with its own main loop, so that the reading is spread over the cores. */

#define NAME_PREFIX "bench-event-"
#define ARRIVAL_TIMEOUT_US ((gint64) 60 * G_USEC_PER_SEC)

static guint n_streams = 2000;
static guint n_agents = 10;
static guint n_events = 100;
static guint n_threads = 4;

typedef struct _Bench Bench;

typedef struct {
  Bench *bench;
  guint stream;
} Slot;

typedef struct {
  Bench *bench;
  GThread *thread;
  GMainContext *context;
  GPtrArray *connections;
  guint first;
  guint n;
  gint n_open;
} Reader;

struct _Bench {
  BatonTestServer *server;
  GPtrArray *tokens;
  Slot *slots;
  Reader *readers;
  /* arrival (monotonic µs) of event e on stream s at [e * n_streams + s], 0 until then */
  gint64 *arrivals;
  gint *n_arrived;
  gint stop;
};

/* Records every bench event a frame brings: the team's new name says which. */
static void
frame_cb (SoupWebsocketConnection *connection,
          int                      type,
          GBytes                   *message,
          Slot                    *slot)
{
  gint64 now = g_get_monotonic_time ();
  gsize length = 0;
  const char *data = g_bytes_get_data (message, &length);
  const char *end = data + length;
  const char *at = data;
  Bench *bench = slot->bench;

  while ((at = memmem (at, (gsize) (end - at), NAME_PREFIX, strlen (NAME_PREFIX))) != NULL)
    {
      guint64 event = g_ascii_strtoull (at + strlen (NAME_PREFIX), NULL, 10);
      gint64 *arrival = NULL;

      at += strlen (NAME_PREFIX);
      if (event >= n_events)
        continue;
      arrival = &bench->arrivals[event * n_streams + slot->stream];
      if (*arrival == 0)
        {
          *arrival = now;
          g_atomic_int_inc (&bench->n_arrived[event]);
        }
    }
}

static void
closed_cb (SoupWebsocketConnection *connection,
           Slot                    *slot)
{
  if (!g_atomic_int_get (&slot->bench->stop))
    g_error ("Stream %u closed (code %u)", slot->stream,
             soup_websocket_connection_get_close_code (connection));
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Slot *slot = user_data;
  Reader *reader = &slot->bench->readers[slot->stream % n_threads];
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *connection = NULL;

  connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (connection == NULL)
    g_error ("Stream %u did not open: %s", slot->stream, error->message);
  g_signal_connect (connection, "message", G_CALLBACK (frame_cb), slot);
  g_signal_connect (connection, "closed", G_CALLBACK (closed_cb), slot);
  g_ptr_array_add (reader->connections, connection);
  g_atomic_int_inc (&reader->n_open);
}

/* Opens the reader's streams (every n_threads-th, agents in turn), then reads until told to
 * stop. */
static gpointer
reader_thread (gpointer user_data)
{
  Reader *reader = user_data;
  Bench *bench = reader->bench;
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *url = g_strdup_printf ("%s/api/v1/stream", bench->server->url);

  g_main_context_push_thread_default (reader->context);
  session = soup_session_new_with_options ("max-conns", 100000, "max-conns-per-host", 100000,
                                           "timeout", 0, "idle-timeout", 0, NULL);
  for (guint s = reader->first; s < n_streams; s += n_threads)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
      g_autofree char *bearer = g_strdup_printf ("Bearer %s", (char *) bench->tokens->pdata[
                                                   s % bench->tokens->len]);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    bearer);
      soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                            connected_cb, &bench->slots[s]);
      reader->n++;
    }
  while (!g_atomic_int_get (&bench->stop))
    g_main_context_iteration (reader->context, TRUE);
  for (guint i = 0; i < reader->connections->len; i++)
    soup_websocket_connection_close (reader->connections->pdata[i], SOUP_WEBSOCKET_CLOSE_NORMAL,
                                     NULL);
  g_ptr_array_set_size (reader->connections, 0);
  g_main_context_pop_thread_default (reader->context);
  return NULL;
}

static void
raise_descriptor_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      setrlimit (RLIMIT_NOFILE, &limit);
    }
  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < n_streams + 256)
    g_error ("%u streams need %u descriptors; the limit is %lu", n_streams, n_streams + 256,
             (unsigned long) limit.rlim_cur);
}

static void
open_streams (Bench *bench)
{
  gint64 started = g_get_monotonic_time ();
  guint open = 0;

  for (guint t = 0; t < n_threads; t++)
    {
      Reader *reader = &bench->readers[t];

      reader->bench = bench;
      reader->first = t;
      reader->context = g_main_context_new ();
      reader->connections = g_ptr_array_new_with_free_func (g_object_unref);
      reader->thread = g_thread_new ("reader", reader_thread, reader);
    }
  while (open < n_streams)
    {
      if (g_get_monotonic_time () - started > ARRIVAL_TIMEOUT_US)
        g_error ("Only %u of %u streams opened", open, n_streams);
      g_usleep (10000);
      open = 0;
      for (guint t = 0; t < n_threads; t++)
        open += (guint) g_atomic_int_get (&bench->readers[t].n_open);
    }
  printf ("%u streams open in %.2f s\n", n_streams,
          (g_get_monotonic_time () - started) / 1e6);
}

static void
print_latencies (const char *what,
                 GArray     *latencies)
{
  bench_sort_latencies (latencies);
  printf ("%-44s p50 %8.2f  p99 %8.2f  max %8.2f\n", what,
          bench_percentile_ms (latencies, 0.5), bench_percentile_ms (latencies, 0.99),
          bench_percentile_ms (latencies, 1.0));
}

/* Renames the team n_events times, each once the last has reached every stream. */
static void
send_events (Bench      *bench,
             const char *team_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/teams/%s", team_id);
  g_autoptr(GArray) every = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) last = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) answers = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) whole = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 started = g_get_monotonic_time ();
  gint64 cpu_client = bench_cpu_us (NULL);
  gint64 cpu_server = bench_cpu_us (bench->server);
  guint early = 0;
  double wall = 0;

  for (guint e = 0; e < n_events; e++)
    {
      g_autofree char *body = g_strdup_printf ("{\"name\":\"" NAME_PREFIX "%u\"}", e);
      gint64 sent = g_get_monotonic_time ();
      gint64 answered = 0;
      gint64 slowest = 0;
      guint status = 0;
      g_autoptr(JsonNode) team = baton_test_request (bench->server, "PATCH", path,
                                                     bench->server->manager_token, body,
                                                     &status);

      answered = g_get_monotonic_time ();
      g_assert_cmpuint (status, ==, 200);
      while ((guint) g_atomic_int_get (&bench->n_arrived[e]) < n_streams)
        {
          if (g_get_monotonic_time () - sent > ARRIVAL_TIMEOUT_US)
            g_error ("Event %u reached %d of %u streams", e, bench->n_arrived[e], n_streams);
          g_usleep (500);
        }
      for (guint s = 0; s < n_streams; s++)
        {
          gint64 latency = bench->arrivals[e * n_streams + s] - answered;

          /* a frame may be read before the answer is */
          if (latency < 0)
            early++;
          latency = MAX (latency, 0);
          g_array_append_val (every, latency);
          slowest = MAX (slowest, latency);
        }
      g_array_append_val (last, slowest);
      /* the whole of it: a server may send before or after it answers */
      slowest = 0;
      for (guint s = 0; s < n_streams; s++)
        slowest = MAX (slowest, bench->arrivals[e * n_streams + s] - sent);
      g_array_append_val (whole, slowest);
      answered -= sent;
      g_array_append_val (answers, answered);
    }
  wall = (g_get_monotonic_time () - started) / 1e6;
  cpu_client = bench_cpu_us (NULL) - cpu_client;
  cpu_server = bench_cpu_us (bench->server) - cpu_server;

  printf ("\n%u team renames, each waited for on all %u streams (ms):\n", n_events, n_streams);
  print_latencies ("PATCH sent to answered", answers);
  print_latencies ("answered to arrival, every stream and event", every);
  print_latencies ("answered to arrival on the last stream", last);
  print_latencies ("PATCH sent to arrival on the last stream", whole);
  printf ("%u of %u arrivals came before the answer was read (counted as 0)\n", early,
          every->len);
  printf ("CPU over %.2f s: batond %.2f s (%.0f%% of one core), this bench %.2f s "
          "(%.0f%% of its %u reader threads)\n", wall, cpu_server / 1e6,
          100.0 * cpu_server / 1e6 / wall, cpu_client / 1e6,
          100.0 * cpu_client / 1e6 / wall / n_threads, n_threads);
}

static void
create_agents (Bench *bench)
{
  gint64 started = g_get_monotonic_time ();

  bench->tokens = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n_agents; i++)
    {
      g_autofree char *name = g_strdup_printf ("Stream Agent %u", i + 1);
      char *token = NULL;
      g_autofree char *id = baton_test_new_agent (bench->server, name, "agent", &token);

      g_ptr_array_add (bench->tokens, token);
    }
  printf ("%u agents created in %.2f s\n", n_agents,
          (g_get_monotonic_time () - started) / 1e6);
}

int
main (int   argc,
      char *argv[])
{
  const GOptionEntry entries[] = {
    { "streams", 0, 0, G_OPTION_ARG_INT, &n_streams, "Streams to hold open", "N" },
    { "agents", 0, 0, G_OPTION_ARG_INT, &n_agents, "Agents the streams belong to", "N" },
    { "events", 0, 0, G_OPTION_ARG_INT, &n_events, "Changes to send", "N" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &n_threads, "Threads reading the streams", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("[BATOND]");
  g_autofree char *team_id = NULL;
  Bench bench = { 0 };
  gint64 rss_before = 0;
  gint64 rss_after = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!bench_parse_command_line (context, &argc, &argv))
    return 2;
  if (n_streams == 0 || n_agents == 0 || n_events == 0 || n_threads == 0)
    {
      g_printerr ("--streams, --agents, --events and --threads must be positive\n");
      return 2;
    }
  raise_descriptor_limit ();

  bench.server = baton_test_server_new (NULL);
  bench.slots = g_new0 (Slot, n_streams);
  bench.readers = g_new0 (Reader, n_threads);
  bench.arrivals = g_new0 (gint64, (gsize) n_events * n_streams);
  bench.n_arrived = g_new0 (gint, n_events);
  for (guint s = 0; s < n_streams; s++)
    bench.slots[s] = (Slot) { &bench, s };
  create_agents (&bench);
  team_id = baton_test_create (bench.server, "/api/v1/teams",
                               "{\"name\":\"Bench\",\"strategy\":\"round_robin\","
                               "\"member_ids\":[]}");
  printf ("batond %s: %u streams of %u agents, read by %u threads\n", g_getenv ("BATOND"),
          n_streams, n_agents, n_threads);

  rss_before = baton_test_server_status_kib (bench.server, "VmRSS");
  open_streams (&bench);
  g_usleep (G_USEC_PER_SEC);
  rss_after = baton_test_server_status_kib (bench.server, "VmRSS");
  printf ("batond VmRSS %" G_GINT64_FORMAT " KiB before the streams, %" G_GINT64_FORMAT
          " KiB with them: %.1f KiB a stream\n", rss_before, rss_after,
          (double) (rss_after - rss_before) / n_streams);

  send_events (&bench, team_id);

  g_atomic_int_set (&bench.stop, 1);
  for (guint t = 0; t < n_threads; t++)
    {
      g_main_context_wakeup (bench.readers[t].context);
      g_thread_join (bench.readers[t].thread);
      g_ptr_array_unref (bench.readers[t].connections);
      g_main_context_unref (bench.readers[t].context);
    }
  baton_test_server_free (bench.server);
  g_ptr_array_unref (bench.tokens);
  g_free (bench.slots);
  g_free (bench.readers);
  g_free (bench.arrivals);
  g_free (bench.n_arrived);
  return 0;
}
