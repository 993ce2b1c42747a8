/* bench-agents.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "bench-agents.h"

/* Every event the agent may see comes here: parse only the frames that may be an assigned
 * notification, and stamp the time before parsing. */
static void
frame_received_cb (SoupWebsocketConnection *connection,
                   int                      type,
                   GBytes                  *message,
                   BenchAgent              *agent)
{
  gint64 now = g_get_monotonic_time ();
  gsize length = 0;
  const char *data = g_bytes_get_data (message, &length);
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *frame = NULL;
  JsonObject *notification = NULL;

  if (memmem (data, length, "\"notification\"", 14) == NULL
      || memmem (data, length, "\"assigned\"", 10) == NULL)
    return;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, NULL))
    g_error ("A stream frame is not JSON");
  frame = json_node_get_object (json_parser_get_root (parser));
  if (g_strcmp0 (json_object_get_string_member_with_default (frame, "type", ""),
                 "notification") != 0)
    return;
  notification = json_object_get_object_member (frame, "data");
  if (g_strcmp0 (json_object_get_string_member_with_default (notification, "kind", ""),
                 "assigned") != 0)
    return;
  agent->assigned++;
  agent->func (agent->user_data, notification, now);
}

static void
stream_closed_cb (SoupWebsocketConnection *connection,
                  BenchAgent              *agent)
{
  g_error ("The stream of %s closed (code %u)", agent->id,
           soup_websocket_connection_get_close_code (connection));
}

BenchAgent *
bench_agent_new (BatonTestServer   *server,
                 guint              number,
                 BenchAssignedFunc  func,
                 gpointer           user_data)
{
  BenchAgent *agent = g_new0 (BenchAgent, 1);
  g_autofree char *name = g_strdup_printf ("Bench Agent %u", number);
  g_autofree char *email = g_strdup_printf ("bench%u@example.com", number);

  agent->func = func;
  agent->user_data = user_data;
  agent->id = baton_test_create_agent (server, name, email, "agent", &agent->token);
  agent->stream = baton_test_stream_open (server, agent->token, NULL, NULL);
  g_assert_nonnull (agent->stream);
  /* The harness would parse and queue every frame; a benchmark only looks for its
   * notifications, as they arrive. */
  g_signal_handlers_disconnect_by_data (agent->stream->connection, agent->stream);
  g_signal_connect (agent->stream->connection, "message", G_CALLBACK (frame_received_cb),
                    agent);
  g_signal_connect (agent->stream->connection, "closed", G_CALLBACK (stream_closed_cb), agent);
  return agent;
}

void
bench_agent_free (BenchAgent *agent)
{
  g_signal_handlers_disconnect_by_data (agent->stream->connection, agent);
  baton_test_stream_close (agent->stream);
  g_free (agent->id);
  g_free (agent->token);
  g_free (agent);
}

void
bench_agent_wait_online (BenchAgent      *agent,
                         BatonTestServer *server)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/agents/%s", agent->id);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(JsonNode) node = baton_test_expect (server, "GET", path,
                                                    server->manager_token, NULL, 200, NULL);

      if (baton_test_get_bool (node, "online"))
        return;
      if (g_get_monotonic_time () > deadline)
        g_error ("%s is not online after 10 s", agent->id);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

static int
compare_latencies (gconstpointer a,
                   gconstpointer b)
{
  gint64 left = *(const gint64 *) a;
  gint64 right = *(const gint64 *) b;

  return (left > right) - (left < right);
}

void
bench_sort_latencies (GArray *latencies)
{
  g_array_sort (latencies, compare_latencies);
}

/* Nearest rank: the smallest latency at or above the given fraction of them. */
double
bench_percentile_ms (GArray *sorted,
                     double  fraction)
{
  guint rank = (guint) MAX (1.0, fraction * sorted->len + 0.999999);

  return g_array_index (sorted, gint64, MIN (rank, sorted->len) - 1) / 1000.0;
}
