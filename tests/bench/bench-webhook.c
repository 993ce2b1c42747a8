/* bench-webhook.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "baton-test-helpers.h"
#include "bench-agents.h"
#include "bench-messages.h"

/* Customer messages through the WhatsApp webhook of a real batond, signed as Meta signs them:
 * how fast bodies are acknowledged (200 EVENT_RECEIVED, stored durably), and how fast the
 * stored bodies are then processed on the server's idle loop into conversations that the
 * channel's default team assigns. Agents are online by their open streams in a round robin
 * team; every message comes from a new number and names its order number, which the
 * `assigned` notification's preview carries back, so each message is timed from its POST to
 * its assignment. First one message per POST, then Meta's batches of several. */

typedef struct _Run Run;

typedef struct {
  const char *name;
  guint n_posts;
  guint per_post;
  /* the global number of its first message: numbers never repeat across phases */
  guint first_number;
  /* the next POST to send, and how many are on their way */
  guint next;
  guint outstanding;
  guint acknowledged;
  guint routed;
  /* routed once every POST was acknowledged: the backlog being worked off */
  guint routed_after_acks;
  /* microseconds: one per POST to its 200, one per message to its assigned notification */
  GArray *ack_latencies;
  GArray *route_latencies;
  gint64 started;
  gint64 last_acknowledged;
  gint64 last_routed;
  /* unprocessed deliveries, as /metrics reports them while the phase runs */
  guint backlog_peak;
  guint backlog_at_last_ack;
  gboolean backlog_sampled_after_acks;
} Phase;

struct _Run {
  BatonTestServer *server;
  /* webhook posts, with as many connections as requests in flight */
  SoupSession *session;
  /* /metrics polls, on a connection of their own */
  SoupSession *metrics_session;
  char *webhook_url;
  char *metrics_url;
  guint in_flight;
  Phase *phase;
  /* by global message number: when its POST was sent (0: not yet), and whether assigned */
  GArray *sent_at;
  GArray *assigned;
  gboolean polling;
  /* progress seen by the watchdog */
  guint seen_progress;
  guint quiet_seconds;
};

typedef struct {
  Run *run;
  /* owned */
  SoupMessage *msg;
  gint64 sent;
} Posting;

static void send_more (Run *run);

static void
webhook_sent_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autofree Posting *posting = user_data;
  Run *run = posting->run;
  Phase *phase = run->phase;
  g_autoptr(SoupMessage) msg = g_steal_pointer (&posting->msg);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) response = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                                  &error);
  gint64 now = g_get_monotonic_time ();
  gint64 latency = now - posting->sent;
  gsize length = 0;
  const char *text = NULL;

  if (response == NULL)
    g_error ("Webhook: %s", error->message);
  text = g_bytes_get_data (response, &length);
  if (soup_message_get_status (msg) != 200 || length != 14
      || memcmp (text, "EVENT_RECEIVED", 14) != 0)
    g_error ("Webhook: status %u, not 200 EVENT_RECEIVED", soup_message_get_status (msg));
  g_array_append_val (phase->ack_latencies, latency);
  phase->acknowledged++;
  phase->last_acknowledged = now;
  phase->outstanding--;
  send_more (run);
}

static void
send_more (Run *run)
{
  Phase *phase = run->phase;

  while (phase->outstanding < run->in_flight && phase->next < phase->n_posts)
    {
      guint first = phase->first_number + phase->next++ * phase->per_post;
      g_autoptr(GBytes) body = bench_webhook_body (first, phase->per_post);
      gsize length = 0;
      const char *data = g_bytes_get_data (body, &length);
      g_autofree char *signature = baton_test_webhook_signature (BENCH_APP_SECRET, data, length);
      SoupMessage *msg = soup_message_new ("POST", run->webhook_url);
      Posting *posting = g_new0 (Posting, 1);

      soup_message_headers_replace (soup_message_get_request_headers (msg),
                                    "X-Hub-Signature-256", signature);
      soup_message_set_request_body_from_bytes (msg, "application/json", body);
      posting->run = run;
      posting->msg = msg;
      posting->sent = g_get_monotonic_time ();
      for (guint i = 0; i < phase->per_post; i++)
        g_array_index (run->sent_at, gint64, first + i) = posting->sent;
      phase->outstanding++;
      soup_session_send_and_read_async (run->session, msg, G_PRIORITY_DEFAULT, NULL,
                                        webhook_sent_cb, posting);
    }
}

/* The notification's body is "<contact name>: <preview>", and the preview names the order. */
static void
record_assigned (Run        *run,
                 const char *body,
                 gint64      at)
{
  gint64 number = bench_order_number (body);
  Phase *phase = run->phase;
  gint64 sent;
  gint64 latency;

  if (number < 0 || number >= run->sent_at->len)
    g_error ("An assigned notification names no order of this run: %s", body);
  sent = g_array_index (run->sent_at, gint64, number);
  if (sent == 0 || number < phase->first_number
      || number >= phase->first_number + phase->n_posts * phase->per_post)
    g_error ("Assigned notification for order %" G_GINT64_FORMAT " out of phase", number);
  if (g_array_index (run->assigned, gboolean, number))
    g_error ("Two assigned notifications for order %" G_GINT64_FORMAT, number);
  g_array_index (run->assigned, gboolean, number) = TRUE;
  latency = at - sent;
  g_array_append_val (phase->route_latencies, latency);
  phase->routed++;
  if (phase->acknowledged == phase->n_posts)
    phase->routed_after_acks++;
  phase->last_routed = MAX (phase->last_routed, at);
}

/* The sum of a metric's samples, labelled or not, in a /metrics text. */
static gint64
metric_sum (const char *text,
            const char *name)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  gsize name_length = strlen (name);
  gint64 sum = 0;
  gboolean found = FALSE;

  for (guint i = 0; lines[i]; i++)
    {
      const char *value = NULL;

      if (!g_str_has_prefix (lines[i], name))
        continue;
      if (lines[i][name_length] == ' ')
        value = lines[i] + name_length + 1;
      else if (lines[i][name_length] == '{' && strchr (lines[i], '}'))
        value = strchr (lines[i], '}') + 2;
      else
        continue;
      sum += g_ascii_strtoll (value, NULL, 10);
      found = TRUE;
    }
  if (!found)
    g_error ("GET /metrics has no %s", name);
  return sum;
}

static void
metrics_polled_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Run *run = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) response = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                                  &error);
  g_autofree char *text = NULL;
  guint backlog;

  run->polling = FALSE;
  if (response == NULL || soup_message_get_status (msg) != 200)
    g_error ("GET /metrics: %s", error ? error->message : "not 200");
  text = g_strndup (g_bytes_get_data (response, NULL), g_bytes_get_size (response));
  backlog = (guint) metric_sum (text, "baton_whatsapp_deliveries_unprocessed");
  run->phase->backlog_peak = MAX (run->phase->backlog_peak, backlog);
  /* the first sample taken once every POST was acknowledged */
  if (run->phase->acknowledged == run->phase->n_posts
      && !run->phase->backlog_sampled_after_acks)
    {
      run->phase->backlog_at_last_ack = backlog;
      run->phase->backlog_sampled_after_acks = TRUE;
    }
}

static void
poll_backlog (Run *run)
{
  g_autoptr(SoupMessage) msg = NULL;

  if (run->polling)
    return;
  msg = soup_message_new ("GET", run->metrics_url);
  run->polling = TRUE;
  soup_session_send_and_read_async (run->metrics_session, msg, G_PRIORITY_DEFAULT, NULL,
                                    metrics_polled_cb, run);
}

/* A few samples a second: often enough to see a backlog, rare enough not to load the server
 * (each /metrics also counts conversations and messages). */
static gboolean
backlog_cb (gpointer user_data)
{
  poll_backlog (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
watchdog_cb (gpointer user_data)
{
  Run *run = user_data;
  Phase *phase = run->phase;
  guint progress = phase->acknowledged + phase->routed;

  if (progress != run->seen_progress)
    {
      run->seen_progress = progress;
      run->quiet_seconds = 0;
    }
  else if (++run->quiet_seconds >= 30)
    {
      g_error ("No progress for 30 s: %u webhooks sent, %u acknowledged, %u messages assigned",
               phase->next, phase->acknowledged, phase->routed);
    }
  return G_SOURCE_CONTINUE;
}

/* What the server holds once the phase is over: nothing left unprocessed, one conversation
 * per message so far, none of them without an assignee, and the agents' loads adding up. */
static void
check_stored (Run   *run,
              guint  expected_conversations)
{
  g_autoptr(GBytes) response = NULL;
  g_autoptr(SoupMessage) msg = baton_test_send_raw (run->server, "GET", "/metrics", NULL, NULL,
                                                    &response);
  g_autofree char *text = g_strndup (g_bytes_get_data (response, NULL),
                                     g_bytes_get_size (response));
  g_autoptr(JsonNode) unassigned = NULL;
  g_autoptr(JsonNode) agents = NULL;
  JsonArray *items = NULL;
  gint64 active = 0;

  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  if (metric_sum (text, "baton_whatsapp_deliveries_unprocessed") != 0)
    g_error ("Deliveries still unprocessed after every message was assigned");
  if (metric_sum (text, "baton_conversations") != expected_conversations)
    g_error ("%" G_GINT64_FORMAT " conversations, not %u",
             metric_sum (text, "baton_conversations"), expected_conversations);
  unassigned = baton_test_expect (run->server, "GET",
                                  "/api/v1/conversations?assignee=none&status=new,in_progress",
                                  run->server->manager_token, NULL, 200, NULL);
  if (baton_test_get_int (unassigned, "items.#") != 0)
    g_error ("%" G_GINT64_FORMAT " conversations without an assignee",
             baton_test_get_int (unassigned, "items.#"));
  agents = baton_test_expect (run->server, "GET", "/api/v1/agents?limit=500",
                              run->server->manager_token, NULL, 200, NULL);
  items = json_object_get_array_member (json_node_get_object (agents), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    active += json_object_get_int_member (json_array_get_object_element (items, i),
                                          "active_count");
  if (active != expected_conversations)
    g_error ("The agents' active counts add up to %" G_GINT64_FORMAT ", not %u", active,
             expected_conversations);
}

static void
run_phase (Run   *run,
           Phase *phase)
{
  guint watchdog_id = 0;
  guint backlog_id = 0;
  guint n_messages = phase->n_posts * phase->per_post;

  phase->ack_latencies = g_array_sized_new (FALSE, FALSE, sizeof (gint64), phase->n_posts);
  phase->route_latencies = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_messages);
  run->phase = phase;
  run->seen_progress = 0;
  run->quiet_seconds = 0;
  watchdog_id = g_timeout_add_seconds (1, watchdog_cb, run);
  backlog_id = g_timeout_add (250, backlog_cb, run);
  phase->started = g_get_monotonic_time ();
  send_more (run);
  while (phase->acknowledged < phase->n_posts)
    g_main_context_iteration (NULL, TRUE);
  /* the backlog the acknowledgements left behind */
  poll_backlog (run);
  while (phase->routed < n_messages || run->polling || !phase->backlog_sampled_after_acks)
    {
      if (!run->polling && !phase->backlog_sampled_after_acks)
        poll_backlog (run);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (watchdog_id);
  g_source_remove (backlog_id);
  bench_sort_latencies (phase->ack_latencies);
  bench_sort_latencies (phase->route_latencies);
}

static void
print_phase (Run   *run,
             Phase *phase)
{
  guint n_messages = phase->n_posts * phase->per_post;
  double ack_seconds = (phase->last_acknowledged - phase->started) / (double) G_USEC_PER_SEC;
  double route_seconds = (phase->last_routed - phase->started) / (double) G_USEC_PER_SEC;

  printf ("%s: %u webhooks of %u message%s, %u in flight\n", phase->name, phase->n_posts,
          phase->per_post, phase->per_post == 1 ? "" : "s", run->in_flight);
  printf ("  acknowledged (200)     %8u in %7.2f s   %8.0f webhooks/s  %8.0f messages/s\n",
          phase->acknowledged, ack_seconds, phase->acknowledged / ack_seconds,
          n_messages / ack_seconds);
  printf ("  processed and routed   %8u in %7.2f s                       %8.0f messages/s\n",
          phase->routed, route_seconds, phase->routed / route_seconds);
  printf ("  latency, POST sent to 200 received (ms):      median %7.2f  p90 %7.2f  p99 %7.2f  "
          "max %7.2f\n", bench_percentile_ms (phase->ack_latencies, 0.5),
          bench_percentile_ms (phase->ack_latencies, 0.9),
          bench_percentile_ms (phase->ack_latencies, 0.99),
          bench_percentile_ms (phase->ack_latencies, 1.0));
  printf ("  latency, POST sent to assigned received (ms): median %7.2f  p90 %7.2f  p99 %7.2f  "
          "max %7.2f\n", bench_percentile_ms (phase->route_latencies, 0.5),
          bench_percentile_ms (phase->route_latencies, 0.9),
          bench_percentile_ms (phase->route_latencies, 0.99),
          bench_percentile_ms (phase->route_latencies, 1.0));
  printf ("  unprocessed deliveries: peak %u (sampled every 250 ms), %u at the last 200, "
          "0 at the end\n", phase->backlog_peak, phase->backlog_at_last_ack);
  /* a backlog worth naming: longer to work off than a tenth of a second */
  if (phase->last_routed - phase->last_acknowledged >= G_USEC_PER_SEC / 10)
    printf ("  after the last 200: %u messages routed in %.2f s, %.0f messages/s\n",
            phase->routed_after_acks,
            (phase->last_routed - phase->last_acknowledged) / (double) G_USEC_PER_SEC,
            phase->routed_after_acks
            / ((phase->last_routed - phase->last_acknowledged) / (double) G_USEC_PER_SEC));
  printf ("\n");
  fflush (stdout);
}

static void
print_row (Phase *phase)
{
  guint n_messages = phase->n_posts * phase->per_post;
  double ack_seconds = (phase->last_acknowledged - phase->started) / (double) G_USEC_PER_SEC;
  double route_seconds = (phase->last_routed - phase->started) / (double) G_USEC_PER_SEC;
  GArray *acks = phase->ack_latencies;
  GArray *routes = phase->route_latencies;

  printf ("%-20s %8.0f %8.1f %6.1f %6.1f %6.1f | %8.0f %7.1f %7.1f %7.1f %7.1f\n",
          phase->name, phase->acknowledged / ack_seconds, bench_percentile_ms (acks, 0.5),
          bench_percentile_ms (acks, 0.9), bench_percentile_ms (acks, 0.99),
          bench_percentile_ms (acks, 1.0), n_messages / route_seconds,
          bench_percentile_ms (routes, 0.5), bench_percentile_ms (routes, 0.9),
          bench_percentile_ms (routes, 0.99), bench_percentile_ms (routes, 1.0));
}

static void
phase_clear (Phase *phase)
{
  g_clear_pointer (&phase->ack_latencies, g_array_unref);
  g_clear_pointer (&phase->route_latencies, g_array_unref);
}

/* An agent's assigned notification, with the time it arrived. */
static void
assigned_cb (gpointer    user_data,
             JsonObject *notification,
             gint64      arrived_us)
{
  const char *body = json_object_get_string_member_with_default (notification, "body", NULL);

  record_assigned (user_data, body, arrived_us);
}

int
main (int   argc,
      char *argv[])
{
  gint64 n_messages = 10000;
  gint64 in_flight = 8;
  gint64 n_agents = 20;
  gint64 n_batches = 100;
  gint64 batch_size = 10;
  GOptionEntry entries[] = {
    { "messages", 'm', 0, G_OPTION_ARG_INT64, &n_messages,
      "Webhooks of one message each, every one from a new number (default 10000)", "N" },
    { "in-flight", 'f', 0, G_OPTION_ARG_INT64, &in_flight,
      "Webhook requests on their way at once (default 8)", "N" },
    { "agents", 'a', 0, G_OPTION_ARG_INT64, &n_agents,
      "Agents online in the team (default 20)", "N" },
    { "batches", 'b', 0, G_OPTION_ARG_INT64, &n_batches,
      "Then webhooks carrying several messages, as Meta batches them (default 100; 0: none)",
      "N" },
    { "batch-size", 's', 0, G_OPTION_ARG_INT64, &batch_size,
      "Messages in each of those (default 10)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("[BATOND] - time WhatsApp webhooks "
                                                            "to 200 and to assigned "
                                                            "notification");
  g_autoptr(GPtrArray) agents = g_ptr_array_new_with_free_func ((GDestroyNotify) bench_agent_free);
  g_autofree char *team = NULL;
  g_autofree char *channel_id = NULL;
  Run run = { 0 };
  Phase single = { 0 };
  Phase batched = { 0 };
  guint total = 0;
  guint fewest = 0;
  guint most = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!bench_parse_command_line (context, &argc, &argv))
    return 2;
  /* numbers are 447700 and 7 digits: the two phases share 10,000,000 of them */
  if (n_messages < 1 || n_messages > 5000000 || in_flight < 1 || in_flight > 256
      || n_agents < 1 || n_agents > 500 || n_batches < 0 || n_batches > 100000
      || batch_size < 1 || batch_size > 1000 || n_batches * batch_size > 5000000)
    {
      g_printerr ("--messages 1 to 5000000, --in-flight 1 to 256, --agents 1 to 500, "
                  "--batches 0 to 100000, --batch-size 1 to 1000 (at most 5000000 messages "
                  "in batches)\n");
      return 2;
    }

  run.server = baton_test_server_new (NULL);
  run.in_flight = (guint) in_flight;
  run.session = soup_session_new_with_options ("max-conns-per-host", run.in_flight,
                                               "max-conns", run.in_flight, "timeout", 60,
                                               NULL);
  run.metrics_session = soup_session_new_with_options ("max-conns", 1, "timeout", 60, NULL);
  run.webhook_url = g_strconcat (run.server->url, "/webhooks/whatsapp", NULL);
  run.metrics_url = g_strconcat (run.server->url, "/metrics", NULL);
  total = (guint) (n_messages + n_batches * batch_size);
  run.sent_at = g_array_sized_new (FALSE, TRUE, sizeof (gint64), total);
  g_array_set_size (run.sent_at, total);
  run.assigned = g_array_sized_new (FALSE, TRUE, sizeof (gboolean), total);
  g_array_set_size (run.assigned, total);

  team = bench_online_team (run.server, (guint) n_agents, assigned_cb, &run, agents);
  channel_id = bench_whatsapp_channel (run.server, team);

  printf ("batond %s: %u agents online in a round_robin team, the default team of a whatsapp "
          "channel\nevery message a text from a new number; every webhook signed "
          "(X-Hub-Signature-256)\n\n", g_getenv ("BATOND"), agents->len);
  fflush (stdout);

  single.name = "1 message/webhook";
  single.n_posts = (guint) n_messages;
  single.per_post = 1;
  single.first_number = 0;
  run_phase (&run, &single);
  print_phase (&run, &single);
  check_stored (&run, single.n_posts);

  if (n_batches > 0)
    {
      batched.name = batch_size == 10 ? "10 messages/webhook" : "batched";
      batched.n_posts = (guint) n_batches;
      batched.per_post = (guint) batch_size;
      batched.first_number = single.n_posts;
      run_phase (&run, &batched);
      print_phase (&run, &batched);
      check_stored (&run, total);
    }

  bench_assignment_spread (agents, &fewest, &most);
  printf ("checked: 0 deliveries unprocessed, %u conversations, none without an assignee; "
          "assignments per agent: %u to %u\n\n", total, fewest, most);
  printf ("%-20s %8s %8s %6s %6s %6s | %8s %7s %7s %7s %7s\n", "", "200/s", "median", "p90",
          "p99", "max", "routed/s", "median", "p90", "p99", "max");
  print_row (&single);
  if (n_batches > 0)
    print_row (&batched);
  printf ("(200/s: webhooks acknowledged per second; routed/s: messages processed and "
          "assigned per second; latencies in ms from the POST)\n");

  g_clear_pointer (&agents, g_ptr_array_unref);
  g_clear_object (&run.session);
  g_clear_object (&run.metrics_session);
  baton_test_server_free (run.server);
  phase_clear (&single);
  phase_clear (&batched);
  g_array_unref (run.sent_at);
  g_array_unref (run.assigned);
  g_free (run.webhook_url);
  g_free (run.metrics_url);
  return 0;
}
