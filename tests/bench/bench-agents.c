/* bench-agents.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "baton-test-helpers.h"
#include "bench-agents.h"

/* Every event the agent may see comes here: parse only the frames that may be an assigned
 * notification, and stamp the time before parsing. */
static void
event_received (BenchAgent *agent,
                JsonNode   *node,
                gint64      arrived_us)
{
  JsonObject *frame = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonObject *notification = NULL;

  if (frame == NULL
      || g_strcmp0 (json_object_get_string_member_with_default (frame, "type", ""),
                    "notification") != 0)
    return;
  notification = json_object_get_object_member (frame, "data");
  if (g_strcmp0 (json_object_get_string_member_with_default (notification, "kind", ""),
                 "assigned") != 0)
    return;
  agent->assigned++;
  agent->func (agent->user_data, notification, arrived_us);
}

/* A frame is an event or an array of events (PROTOCOL.md §4). */
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
  JsonNode *root = NULL;

  if (memmem (data, length, "\"notification\"", 14) == NULL
      || memmem (data, length, "\"assigned\"", 10) == NULL)
    return;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, NULL))
    g_error ("A stream frame is not JSON");
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      event_received (agent, root, now);
      return;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (root)); i++)
    event_received (agent, json_array_get_element (json_node_get_array (root), i), now);
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

  agent->func = func;
  agent->user_data = user_data;
  agent->id = baton_test_new_agent (server, name, "agent", &agent->token);
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


char *
bench_online_team (BatonTestServer   *server,
                   guint              n_agents,
                   BenchAssignedFunc  func,
                   gpointer           user_data,
                   GPtrArray         *agents)
{
  g_autoptr(GString) members = g_string_new (NULL);
  g_autofree char *body = NULL;

  for (guint i = 0; i < n_agents; i++)
    {
      BenchAgent *agent = bench_agent_new (server, i + 1, func, user_data);

      g_ptr_array_add (agents, agent);
      g_string_append_printf (members, "%s\"%s\"", i ? "," : "", agent->id);
    }
  for (guint i = 0; i < agents->len; i++)
    baton_test_wait_online (server, ((BenchAgent *) agents->pdata[i])->id);
  body = g_strdup_printf ("{\"name\":\"Bench\",\"strategy\":\"round_robin\","
                          "\"member_ids\":[%s]}", members->str);
  return baton_test_create (server, "/api/v1/teams", body);
}

void
bench_assignment_spread (GPtrArray *agents,
                         guint     *fewest,
                         guint     *most)
{
  *fewest = G_MAXUINT;
  *most = 0;
  for (guint i = 0; i < agents->len; i++)
    {
      BenchAgent *agent = agents->pdata[i];

      *fewest = MIN (*fewest, agent->assigned);
      *most = MAX (*most, agent->assigned);
    }
}

gboolean
bench_parse_command_line (GOptionContext   *context,
                          int              *argc,
                          char           ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }
  if (*argc > 1)
    g_setenv ("BATOND", (*argv)[1], TRUE);
  if (g_getenv ("BATOND") == NULL)
    {
      g_printerr ("Give the batond to run: BATOND=path/to/batond %s, or %s path/to/batond\n",
                  g_get_prgname (), g_get_prgname ());
      return FALSE;
    }
  return TRUE;
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
