/* bench-stream.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>

#include "bench-agents.h"

/* The event stream's replay beside other requests, against a real batond: how long GET
 * /healthz takes while one client replays the log (50,000 events by default, written
 * straight into the database), and batond's memory while five clients that never read ask
 * for the same replay. */

#define N_IDLE_STREAMS 5
#define HEALTHZ_INTERVAL_MS 20
#define IDLE_WATCH_MS 3000

static guint n_events = 50000;
static guint pad_length = 800;

/* /healthz every 20 ms from a thread of its own, so that the latencies are batond's and not
 * those of this process reading the stream. */
typedef struct {
  char *url;
  GArray *latencies_us;
  gint stop;
} Probe;

static gpointer
probe_thread (gpointer user_data)
{
  Probe *probe = user_data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;

  g_main_context_push_thread_default (context);
  session = soup_session_new ();
  while (!g_atomic_int_get (&probe->stop))
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", probe->url);
      gint64 sent = g_get_monotonic_time ();
      g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, NULL);
      gint64 latency = g_get_monotonic_time () - sent;

      g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
      g_array_append_val (probe->latencies_us, latency);
      g_usleep (HEALTHZ_INTERVAL_MS * 1000);
    }
  g_main_context_pop_thread_default (context);
  return NULL;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* One client replays from since while the probe asks /healthz. */
static void
measure_replay (BatonTestServer *server,
                gint64           since)
{
  g_autofree char *query = g_strdup_printf ("%" G_GINT64_FORMAT, since);
  g_autofree char *url = g_strdup_printf ("%s/healthz", server->url);
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
  Probe probe = { url, latencies, 0 };
  gint64 started = g_get_monotonic_time ();
  gint64 last_seen = since;
  BatonTestStream *stream = baton_test_stream_open (server, server->manager_token, query, NULL);
  GThread *thread = g_thread_new ("probe", probe_thread, &probe);

  g_assert_nonnull (stream);
  while (last_seen < since + n_events)
    {
      JsonObject *frame = NULL;

      g_main_context_iteration (NULL, TRUE);
      while ((frame = g_queue_pop_head (&stream->frames)))
        {
          last_seen = MAX (last_seen, json_object_get_int_member_with_default (frame, "seq", 0));
          json_object_unref (frame);
        }
      g_assert_false (stream->closed);
    }
  g_atomic_int_set (&probe.stop, 1);
  g_thread_join (thread);
  g_array_sort (latencies, compare_gint64);
  printf ("replay of %u events: %.2f s; /healthz during it: %u answers, median %.1f ms, "
          "max %.1f ms\n", n_events, (g_get_monotonic_time () - started) / 1e6, latencies->len,
          g_array_index (latencies, gint64, latencies->len / 2) / 1e3,
          g_array_index (latencies, gint64, latencies->len - 1) / 1e3);
  baton_test_stream_close (stream);
}

/* Five clients that never read ask for the whole replay; batond's memory is watched for 3 s
 * once they are all open. */
static void
measure_idle_streams (BatonTestServer *server,
                      gint64           since)
{
  g_autofree char *query = g_strdup_printf ("since=%" G_GINT64_FORMAT, since);
  GSocket *sockets[N_IDLE_STREAMS] = { NULL };
  gint64 before = baton_test_server_status_kib (server, "VmRSS");
  gint64 peak = before;
  gint64 started = g_get_monotonic_time ();
  gint64 deadline = 0;

  for (guint i = 0; i < N_IDLE_STREAMS; i++)
    sockets[i] = baton_test_raw_stream_open (server, query, 0);
  printf ("%u idle streams open in %.2f s\n", N_IDLE_STREAMS,
          (g_get_monotonic_time () - started) / 1e6);
  deadline = g_get_monotonic_time () + IDLE_WATCH_MS * 1000;
  while (g_get_monotonic_time () < deadline)
    {
      peak = MAX (peak, baton_test_server_status_kib (server, "VmRSS"));
      g_usleep (100000);
    }
  printf ("batond VmRSS: %.1f MiB before, %.1f MiB peak with %u idle streams (VmHWM %.1f MiB)\n",
          before / 1024.0, peak / 1024.0, N_IDLE_STREAMS,
          baton_test_server_status_kib (server, "VmHWM") / 1024.0);
  for (guint i = 0; i < N_IDLE_STREAMS; i++)
    {
      g_socket_close (sockets[i], NULL);
      g_object_unref (sockets[i]);
    }
}

int
main (int   argc,
      char *argv[])
{
  const GOptionEntry entries[] = {
    { "events", 0, 0, G_OPTION_ARG_INT, &n_events, "Events in the log to replay", "N" },
    { "pad", 0, 0, G_OPTION_ARG_INT, &pad_length, "Bytes of padding in each event", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("[BATOND]");
  g_autofree char *config = NULL;
  g_autofree char *config_text = NULL;
  BatonTestServer *server = NULL;
  gint64 base = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!bench_parse_command_line (context, &argc, &argv))
    return 2;

  /* every replay asked for is served, not answered with resync_required */
  config_text = g_strdup_printf ("stream-replay-limit=%u", 2 * n_events);
  config = baton_test_write_config (config_text);
  server = baton_test_server_new ("--config", config, NULL);
  base = baton_test_seed_events (server, n_events, pad_length);
  printf ("%u events of %u bytes of padding seeded\n", n_events, pad_length);

  measure_replay (server, base);
  measure_idle_streams (server, base);

  baton_test_server_free (server);
  g_unlink (config);
  return 0;
}
