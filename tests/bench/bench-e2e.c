/* bench-e2e.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "baton-test-server.h"
#include "bench-agents.h"
#include "bench-messages.h"

/* The time from a customer message to the `assigned` notification on the picked agent's
 * event stream, through a real batond: agents online by their open streams, a round robin
 * team as the default team of an api channel, and every message from a new number, so that
 * each one creates a conversation the team assigns. */

typedef struct _Run Run;

struct _Run {
  BatonTestServer *server;
  /* inbound posts, with as many connections as requests in flight */
  SoupSession *session;
  char *inbound_url;
  char *secret;
  guint n_messages;
  guint in_flight;
  /* the next message to send, and how many are on their way */
  guint next;
  guint outstanding;
  guint accepted;
  /* conversation id → gint64 *: the send time, until its notification arrives */
  GHashTable *sent_at;
  /* conversation id → gint64 *: a notification that came before its 202 */
  GHashTable *notified_at;
  /* microseconds, one per conversation assigned */
  GArray *latencies;
  /* gint64: when each 202 arrived, in order */
  GArray *accepted_at;
  gint64 started;
  gint64 last_accepted;
  gint64 last_assigned;
  /* progress seen by the watchdog */
  guint seen_progress;
  guint quiet_seconds;
};

typedef struct {
  Run *run;
  /* owned */
  SoupMessage *msg;
  gint64 sent;
} Sending;

static void send_more (Run *run);

static gint64 *
time_new (gint64 value)
{
  gint64 *time = g_new (gint64, 1);

  *time = value;
  return time;
}

static void
assignment_seen (Run    *run,
                 gint64  sent,
                 gint64  notified)
{
  gint64 latency = notified - sent;

  g_array_append_val (run->latencies, latency);
  run->last_assigned = MAX (run->last_assigned, notified);
}

/* The 202 names the conversation: its notification may already be there (the server
 * publishes the events of a commit before it answers). */
static void
record_accepted (Run        *run,
                 const char *conversation_id,
                 gint64      sent)
{
  gint64 *notified = g_hash_table_lookup (run->notified_at, conversation_id);

  run->accepted++;
  run->last_accepted = g_get_monotonic_time ();
  g_array_append_val (run->accepted_at, run->last_accepted);
  if (notified)
    {
      assignment_seen (run, sent, *notified);
      g_hash_table_remove (run->notified_at, conversation_id);
      return;
    }
  g_hash_table_insert (run->sent_at, g_strdup (conversation_id), time_new (sent));
}

static void
record_notified (Run        *run,
                 const char *conversation_id,
                 gint64      at)
{
  gint64 *sent = g_hash_table_lookup (run->sent_at, conversation_id);

  if (sent)
    {
      assignment_seen (run, *sent, at);
      g_hash_table_remove (run->sent_at, conversation_id);
      return;
    }
  if (g_hash_table_contains (run->notified_at, conversation_id))
    g_error ("Two assigned notifications for %s", conversation_id);
  g_hash_table_insert (run->notified_at, g_strdup (conversation_id), time_new (at));
}

static void
inbound_sent_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autofree Sending *sending = user_data;
  Run *run = sending->run;
  g_autoptr(SoupMessage) msg = g_steal_pointer (&sending->msg);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) response = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                                  &error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *conversation_id = NULL;

  if (response == NULL)
    g_error ("Inbound message: %s", error->message);
  if (soup_message_get_status (msg) != 202
      || !json_parser_load_from_data (parser, g_bytes_get_data (response, NULL),
                                      (gssize) g_bytes_get_size (response), NULL))
    g_error ("Inbound message: status %u, not 202", soup_message_get_status (msg));
  conversation_id = baton_test_get_string (json_parser_get_root (parser), "conversation_id");
  g_assert_nonnull (conversation_id);
  record_accepted (run, conversation_id, sending->sent);
  run->outstanding--;
  send_more (run);
}

static void
send_more (Run *run)
{
  while (run->outstanding < run->in_flight && run->next < run->n_messages)
    {
      g_autoptr(GBytes) body = bench_inbound_body (run->next++);
      SoupMessage *msg = soup_message_new ("POST", run->inbound_url);
      Sending *sending = g_new0 (Sending, 1);

      soup_message_headers_replace (soup_message_get_request_headers (msg),
                                    "X-Baton-Channel-Secret", run->secret);
      soup_message_set_request_body_from_bytes (msg, "application/json", body);
      sending->run = run;
      sending->msg = msg;
      sending->sent = g_get_monotonic_time ();
      run->outstanding++;
      soup_session_send_and_read_async (run->session, msg, G_PRIORITY_DEFAULT, NULL,
                                        inbound_sent_cb, sending);
    }
}

static gboolean
watchdog_cb (gpointer user_data)
{
  Run *run = user_data;
  guint progress = run->accepted + run->latencies->len;

  if (progress != run->seen_progress)
    {
      run->seen_progress = progress;
      run->quiet_seconds = 0;
    }
  else if (++run->quiet_seconds >= 30)
    {
      g_error ("No progress for 30 s: %u sent, %u accepted, %u assigned", run->next,
               run->accepted, run->latencies->len);
    }
  return G_SOURCE_CONTINUE;
}

/* The ingest rate over each tenth of the messages, to show whether it holds as the
 * workspace fills up. */
static void
print_rate_by_tenth (Run *run)
{
  guint n = run->accepted_at->len;
  gint64 from = run->started;

  if (n < 10)
    return;
  printf ("ingest rate by tenth of the run (messages/s):");
  for (guint k = 1; k <= 10; k++)
    {
      guint last = k * n / 10 - 1;
      guint count = k * n / 10 - (k - 1) * n / 10;
      gint64 to = g_array_index (run->accepted_at, gint64, last);

      printf (" %.0f", count / MAX ((to - from) / (double) G_USEC_PER_SEC, 1e-6));
      from = to;
    }
  printf ("\n");
}

/* An agent's assigned notification, with the time it arrived. */
static void
assigned_cb (gpointer    user_data,
             JsonObject *notification,
             gint64      arrived_us)
{
  const char *conversation_id = json_object_get_string_member_with_default (notification,
                                                                            "conversation_id",
                                                                            NULL);

  record_notified (user_data, conversation_id, arrived_us);
}

int
main (int   argc,
      char *argv[])
{
  gint64 n_messages = 10000;
  gint64 in_flight = 8;
  gint64 n_agents = 20;
  GOptionEntry entries[] = {
    { "messages", 'm', 0, G_OPTION_ARG_INT64, &n_messages,
      "Inbound messages to send, each from a new number (default 10000)", "N" },
    { "in-flight", 'f', 0, G_OPTION_ARG_INT64, &in_flight,
      "Inbound requests on their way at once (default 8)", "N" },
    { "agents", 'a', 0, G_OPTION_ARG_INT64, &n_agents,
      "Agents online in the team (default 20)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("[BATOND] - time inbound message "
                                                            "to assigned notification");
  g_autoptr(GPtrArray) agents = g_ptr_array_new_with_free_func ((GDestroyNotify) bench_agent_free);
  g_autofree char *team = NULL;
  g_autofree char *channel_extra = NULL;
  g_autofree char *channel_id = NULL;
  Run run = { 0 };
  guint watchdog_id = 0;
  guint fewest = 0;
  guint most = 0;
  double ingest_seconds = 0;
  double assign_seconds = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!bench_parse_command_line (context, &argc, &argv))
    return 2;
  if (n_messages < 1 || n_messages > 10000000 || in_flight < 1 || in_flight > 256
      || n_agents < 1 || n_agents > 500)
    {
      g_printerr ("--messages 1 to 10000000, --in-flight 1 to 256, --agents 1 to 500\n");
      return 2;
    }

  run.server = baton_test_server_new (NULL);
  run.n_messages = (guint) n_messages;
  run.in_flight = (guint) in_flight;
  run.session = soup_session_new_with_options ("max-conns-per-host", run.in_flight,
                                               "max-conns", run.in_flight + 2,
                                               "timeout", 60, NULL);
  run.sent_at = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  run.notified_at = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  run.latencies = g_array_sized_new (FALSE, FALSE, sizeof (gint64), run.n_messages);
  run.accepted_at = g_array_sized_new (FALSE, FALSE, sizeof (gint64), run.n_messages);

  team = bench_online_team (run.server, (guint) n_agents, assigned_cb, &run, agents);
  channel_extra = g_strdup_printf ("\"default_team_id\":\"%s\"", team);
  channel_id = baton_test_create_channel (run.server, channel_extra, &run.secret);
  run.inbound_url = g_strdup_printf ("%s/api/v1/channels/%s/inbound", run.server->url,
                                     channel_id);

  printf ("batond %s: %u agents online in a round_robin team, the default team of an api "
          "channel\n%u messages from new numbers, %u in flight\n\n", g_getenv ("BATOND"),
          agents->len, run.n_messages, run.in_flight);
  fflush (stdout);

  watchdog_id = g_timeout_add_seconds (1, watchdog_cb, &run);
  run.started = g_get_monotonic_time ();
  send_more (&run);
  while (run.latencies->len < run.n_messages)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (watchdog_id);

  if (g_hash_table_size (run.sent_at) > 0 || g_hash_table_size (run.notified_at) > 0)
    g_error ("Unmatched: %u sent, %u notified", g_hash_table_size (run.sent_at),
             g_hash_table_size (run.notified_at));
  bench_assignment_spread (agents, &fewest, &most);
  bench_sort_latencies (run.latencies);
  ingest_seconds = (run.last_accepted - run.started) / (double) G_USEC_PER_SEC;
  assign_seconds = (run.last_assigned - run.started) / (double) G_USEC_PER_SEC;

  printf ("durable ingest (202)   %8u in %7.2f s   %8.0f messages/s\n", run.accepted,
          ingest_seconds, run.accepted / ingest_seconds);
  printf ("assigned notification  %8u in %7.2f s   %8.0f messages/s\n", run.latencies->len,
          assign_seconds, run.latencies->len / assign_seconds);
  printf ("latency, inbound sent to assigned received (ms): median %.2f  p90 %.2f  p99 %.2f  "
          "max %.2f\n", bench_percentile_ms (run.latencies, 0.5),
          bench_percentile_ms (run.latencies, 0.9), bench_percentile_ms (run.latencies, 0.99),
          bench_percentile_ms (run.latencies, 1.0));
  print_rate_by_tenth (&run);
  printf ("assignments per agent: %u to %u\n", fewest, most);

  g_clear_pointer (&agents, g_ptr_array_unref);
  g_clear_object (&run.session);
  baton_test_server_free (run.server);
  g_hash_table_unref (run.sent_at);
  g_hash_table_unref (run.notified_at);
  g_array_unref (run.latencies);
  g_array_unref (run.accepted_at);
  g_free (run.inbound_url);
  g_free (run.secret);
  return 0;
}
