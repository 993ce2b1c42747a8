/* bench-load.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>

#include "baton-test-helpers.h"
#include "baton-test-postgres.h"
#include "bench-agents.h"
#include "bench-limits.h"
#include "bench-messages.h"
#include "bench-sender.h"

/* An open-loop load generator against a real batond, beside the machine's own limits.
 *
 * Customer messages arrive at a fixed rate, as customers write whether or not the server
 * keeps up: message i is due at start + i / rate and is sent then, whatever became of the
 * ones before it, on the first free one of many keep-alive connections (bench-sender.c: a
 * thread of its own, one request in flight on each connection). Each latency is taken from
 * the message's due time, not from when it could be sent, so a server that falls behind is
 * not excused by a sender that waited for it, for a connection or for its own turn (no
 * coordinated omission). Two latencies: to the acknowledgement (202 on an api channel, 200
 * on the WhatsApp webhook, both after the synced commit) and to the `assigned` notification
 * on the picked agent's stream, matched by the order number the message names and the
 * notification's preview carries back. 20 agents are online in a round robin team, the
 * default team of an api channel and of a whatsapp channel; every message comes from a new
 * number and so makes a conversation the team assigns; webhooks carry one message each,
 * signed (X-Hub-Signature-256).
 *
 * The rate climbs a ladder (250, 500, 1000 … msg/s); a step runs a warm-up, then the
 * measured seconds, then waits for what is still on its way. Every step of a channel runs
 * against the same batond: setting one up (an owner, 20 agents, their streams, a team, two
 * channels) takes seconds of password hashing, and a step that sustained has left nothing
 * behind, so the next one starts on an idle server whose database holds the steps before.
 * The first step that does not sustain ends the channel's ladder, and its server with it
 * (killed, with whatever backlog it held); the next channel gets a fresh batond.
 *
 * The machine's limits come first, in the same run: SQLite's single-row commit rate (WAL,
 * synchronous FULL and NORMAL) in the temporary directory where batond's data dirs are
 * made, and a libsoup 3 hello world (this program again, in a process of its own) driven
 * closed-loop, 32 requests in flight, for its best rate, then by the same open-loop ladder
 * and sender, which also shows how fast the generator itself can go and how late its sends
 * start. */

#define HELLO_ARGUMENT "--hello-world"
#define CLOSED_LOOP_IN_FLIGHT 32
/* the most requests one step may send, open and closed loop */
#define MAX_MESSAGES 4000000
#define MAX_CLOSED_LOOP 600000
/* sends starting later than this (p99) mean the generator, not the server, set the pace */
#define LATE_MS 5.0
/* how long an ingest step's backlog may take to be routed */
#define BACKLOG_SECONDS 180

typedef enum {
  TARGET_HELLO,
  TARGET_API,
  TARGET_WHATSAPP,
  /* webhooks again, each step judged by its 200s alone: routing may fall behind */
  TARGET_INGEST,
} TargetKind;

static const char *const target_names[] = { "hello world", "api", "whatsapp", "ingest" };

typedef struct {
  double warmup;
  double seconds;
  double drain;
  double bound_ms;
  guint connections;
  guint agents;
  /* batond on a database of its own in a private PostgreSQL cluster, rather than SQLite */
  gboolean postgresql;
  /* --database URL: an existing server rather than a private cluster */
  const char *server_url;
  /* batond nodes sharing that database, the requests spread over them */
  guint nodes;
} Options;

#define MAX_NODES 8

typedef struct _Step Step;

/* Where a ladder sends: a hello world or a batond with its agents online. */
typedef struct {
  TargetKind kind;
  GUri *uri;
  char *secret;
  BenchSender *sender;
  BatonTestServer *server;
  /* the other nodes on server's database (BatonTestServer), the agents' streams on server */
  GPtrArray *nodes;
  GPtrArray *agents;
  /* numbers of the next step's messages start here: they never repeat on one server */
  guint next_number;
  /* the step under way, for the agents' notifications */
  Step *step;
} Target;

/* One step: what became of each message (monotonic µs, 0: not yet). The sender's thread
 * sends and stamps the acknowledgements in run; the assignments arrive on this one. */
struct _Step {
  Target *target;
  guint first_number;
  double rate;
  /* closed loop: each answer sends the next, for closed_seconds from the start */
  gboolean closed;
  double closed_seconds;
  guint n_warmup;
  guint n_total;
  BenchRun run;
  gint64 *assigned_at;
  guint n_assigned;
  /* found on this thread (two notifications for one message); the sender counts its own */
  guint n_errors;
  guint n_strays;
  char *first_error;
};

/* latencies sorted, in µs */
typedef struct {
  double offered;
  double ack_rate;
  double assigned_rate;
  GArray *ack;
  GArray *assigned;
  GArray *late;
  guint unacked;
  guint unassigned;
  gboolean sustained;
} StepResult;

/* When message index is due; in a closed loop, when it was sent. */
static gint64
due_time (Step  *step,
          guint  index)
{
  return bench_run_due (&step->run, index);
}

/* 202 for an inbound message, 200 (EVENT_RECEIVED) for a webhook or a hello */
static guint
ack_status (TargetKind kind)
{
  return kind == TARGET_API ? 202 : 200;
}

static void
record_error (Step       *step,
              const char *message)
{
  step->n_errors++;
  if (step->first_error == NULL)
    step->first_error = g_strdup (message);
}

/* Once the step has run: the errors of both threads, and the first of them. */
static guint
step_errors (Step *step)
{
  return step->n_errors + step->run.n_errors;
}

static const char *
step_first_error (Step *step)
{
  return step->first_error ? step->first_error : step->run.first_error;
}

/* A wrong status, an answer lost with its connection, a connection refused or two
 * notifications for one message mean the figures cannot be trusted: the benchmark stops,
 * after the step's row is printed. */
static void
fail_on_errors (Step *step)
{
  if (step_errors (step) > 0)
    g_error ("%s at %.0f msg/s: %u errors, the first: %s", target_names[step->target->kind],
             step->rate, step_errors (step), step_first_error (step));
}

/* Message index's body and headers, made on the sender's thread as the message is nearly
 * due: the generator's cost is part of what the hello-world ladder shows. */
static GBytes *
request_body (guint    index,
              GString *headers,
              gpointer user_data)
{
  Step *step = user_data;
  Target *target = step->target;
  guint number = step->first_number + index;
  GBytes *body = NULL;

  if (target->kind == TARGET_WHATSAPP || target->kind == TARGET_INGEST)
    {
      gsize length = 0;
      const char *data = NULL;
      g_autofree char *signature = NULL;

      body = bench_webhook_body (number, 1);
      data = g_bytes_get_data (body, &length);
      signature = baton_test_webhook_signature (BENCH_APP_SECRET, data, length);
      g_string_append_printf (headers, "X-Hub-Signature-256: %s\r\n", signature);
    }
  else
    {
      body = bench_inbound_body (number);
      if (target->secret)
        g_string_append_printf (headers, "X-Baton-Channel-Secret: %s\r\n", target->secret);
    }
  return body;
}

/* An agent's assigned notification: the order its preview names is the message. */
static void
assigned_cb (gpointer    user_data,
             JsonObject *notification,
             gint64      arrived_us)
{
  Step *step = ((Target *) user_data)->step;
  const char *body = json_object_get_string_member_with_default (notification, "body", NULL);
  gint64 number = bench_order_number (body);
  gint64 index = number - (step ? step->first_number : 0);

  /* a message below run.next has been sent */
  if (step == NULL || number < 0 || index < 0
      || index >= (gint64) (guint) g_atomic_int_get (&step->run.next))
    {
      if (step)
        step->n_strays++;
      return;
    }
  if (step->assigned_at[index] != 0)
    {
      record_error (step, "two assigned notifications for one message");
      return;
    }
  step->assigned_at[index] = arrived_us;
  step->n_assigned++;
}

static Step *
step_new (Target *target,
          double  rate,
          guint   n_warmup,
          guint   n_total)
{
  Step *step = g_new0 (Step, 1);

  step->target = target;
  step->first_number = target->next_number;
  step->rate = rate;
  step->n_warmup = n_warmup;
  step->n_total = n_total;
  step->run.rate = rate;
  step->run.n_total = n_total;
  step->run.status = ack_status (target->kind);
  step->run.body = request_body;
  step->run.user_data = step;
  step->run.sent_at = g_new0 (gint64, n_total);
  step->run.acked_at = g_new0 (gint64, n_total);
  step->assigned_at = g_new0 (gint64, n_total);
  target->next_number += n_total;
  target->step = step;
  return step;
}

static void
step_free (Step *step)
{
  if (step->target->step == step)
    step->target->step = NULL;
  bench_run_clear (&step->run);
  g_free (step->run.sent_at);
  g_free (step->run.acked_at);
  g_free (step->assigned_at);
  g_free (step->first_error);
  g_free (step);
}

static gboolean
wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Everything sent has its answer and, from a batond, its assignment. */
static gboolean
step_done (Step *step)
{
  BenchRun *run = &step->run;

  if (g_atomic_int_get (&run->outstanding) > 0)
    return FALSE;
  if (step->closed)
    return g_get_monotonic_time () >= run->closed_until;
  return (guint) g_atomic_int_get (&run->next) == step->n_total
         && (step->target->kind == TARGET_HELLO || step->target->kind == TARGET_INGEST
             || step->n_assigned >= (guint) g_atomic_int_get (&run->n_acked));
}

/* An ingest step, once every webhook was answered: waits for the backlog it left to be
 * routed, at most backlog_seconds. */
static gboolean
step_route_backlog (Step   *step,
                    double  backlog_seconds)
{
  gint64 deadline = g_get_monotonic_time () + backlog_seconds * G_USEC_PER_SEC;
  guint wake_id = g_timeout_add (50, wake_cb, NULL);
  guint n_acked = step->run.n_acked;

  while (step->n_assigned < n_acked && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake_id);
  return step->n_assigned >= n_acked;
}

/* How long after the last due send an ingest step's last message was routed, and the rate
 * at which the step's messages were routed from its start. */
static void
print_backlog (Step *step)
{
  gint64 last_due = due_time (step, step->n_total - 1);
  gint64 last_assigned = 0;

  for (guint i = 0; i < step->n_total; i++)
    last_assigned = MAX (last_assigned, step->assigned_at[i]);
  if (step->n_assigned == 0 || last_assigned <= last_due)
    return;
  printf ("         backlog: the last routed %.1f s after the last was due; %.0f routed a "
          "second from the step's start\n", (last_assigned - last_due) / (double) G_USEC_PER_SEC,
          step->n_assigned / ((last_assigned - step->run.start) / (double) G_USEC_PER_SEC));
}

/* Runs the step until it is done or drain seconds after its last message was due; then
 * gives up on what is still on its way. Returns whether it was done. */
static gboolean
step_run (Step   *step,
          double  drain)
{
  gint64 deadline = 0;
  guint wake_id = g_timeout_add (50, wake_cb, NULL);
  gboolean done = FALSE;

  /* the first sends a little ahead: time for the sender's thread to start */
  step->run.start = g_get_monotonic_time () + 20000;
  if (step->closed)
    {
      step->run.in_flight = CLOSED_LOOP_IN_FLIGHT;
      step->run.closed_until = step->run.start + step->closed_seconds * G_USEC_PER_SEC;
      deadline = step->run.closed_until + drain * G_USEC_PER_SEC;
    }
  else
    deadline = due_time (step, step->n_total - 1) + drain * G_USEC_PER_SEC;
  bench_sender_start (step->target->sender, &step->run);
  while (!(done = step_done (step)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  bench_sender_stop (step->target->sender);
  g_source_remove (wake_id);
  return done;
}

/* Messages per second between the arrivals of the first and the last hundredth of them, the
 * warm-up left out: a straggler at either end does not count as a server falling behind,
 * and a backlog arriving all at once does not count as more than the offered rate. */
static double
arrival_rate (Step   *step,
              gint64 *times)
{
  g_autoptr(GArray) sorted = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint low = 0;
  guint high = 0;
  double seconds = 0;

  for (guint i = step->n_warmup; i < step->run.next; i++)
    if (times[i])
      g_array_append_val (sorted, times[i]);
  if (step->closed)
    return sorted->len / (MAX (step->run.closed_until - step->run.start, 1)
                          / (double) G_USEC_PER_SEC);
  if (sorted->len < 2)
    return 0;
  bench_sort_latencies (sorted);
  low = sorted->len / 100;
  high = sorted->len - 1 - sorted->len / 100;
  seconds = (g_array_index (sorted, gint64, high) - g_array_index (sorted, gint64, low))
            / (double) G_USEC_PER_SEC;
  return MIN (step->rate, (high - low) / MAX (seconds, 1e-6));
}

/* times[i] - due time, for every measured message that has a time, sorted. */
static GArray *
latencies (Step   *step,
           gint64 *times)
{
  GArray *array = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = step->n_warmup; i < step->run.next; i++)
    if (times[i])
      {
        gint64 latency = times[i] - due_time (step, i);

        g_array_append_val (array, latency);
      }
  bench_sort_latencies (array);
  return array;
}

static void
step_result (Step          *step,
             const Options *options,
             StepResult    *result)
{
  gboolean assigns = step->target->kind != TARGET_HELLO;
  gboolean judged_by_routing = FALSE;
  GArray *last = NULL;

  result->offered = step->rate;
  result->ack_rate = arrival_rate (step, step->run.acked_at);
  result->assigned_rate = assigns ? arrival_rate (step, step->assigned_at) : 0;
  result->ack = latencies (step, step->run.acked_at);
  result->assigned = latencies (step, step->assigned_at);
  result->late = latencies (step, step->run.sent_at);
  result->unacked = step->run.next - step->run.n_acked;
  result->unassigned = assigns ? step->run.n_acked - MIN (step->run.n_acked, step->n_assigned)
                               : 0;
  /* ingest is judged by its 200s, as the hello world; what it left must still be routed */
  judged_by_routing = assigns && step->target->kind != TARGET_INGEST;
  last = judged_by_routing ? result->assigned : result->ack;
  result->sustained = step_errors (step) == 0 && result->unacked == 0 && result->unassigned == 0
                      && result->ack_rate >= 0.95 * step->rate
                      && (!judged_by_routing || result->assigned_rate >= 0.95 * step->rate)
                      && last->len > 0
                      && bench_percentile_ms (last, 0.99) < options->bound_ms;
}

static void
step_result_clear (StepResult *result)
{
  g_clear_pointer (&result->ack, g_array_unref);
  g_clear_pointer (&result->assigned, g_array_unref);
  g_clear_pointer (&result->late, g_array_unref);
}

/* p50 p90 p99 p99.9 max in ms, or dashes when there is nothing to rank */
static void
print_percentiles (GArray *sorted)
{
  static const double fractions[] = { 0.5, 0.9, 0.99, 0.999, 1.0 };

  for (guint i = 0; i < G_N_ELEMENTS (fractions); i++)
    {
      if (sorted->len == 0)
        printf (" %7s", "-");
      else
        printf (" %7.1f", bench_percentile_ms (sorted, fractions[i]));
    }
}

static void
print_header (void)
{
  printf ("%8s %8s %8s | %-39s | %-39s | %6s %6s | %-13s\n", "offered", "acks/s", "asgn/s",
          "to ack (ms)", "to assigned (ms)", "errors", "lost", "send late ms");
  printf ("%8s %8s %8s |", "msg/s", "", "");
  for (guint k = 0; k < 2; k++)
    printf (" %7s %7s %7s %7s %7s |", "p50", "p90", "p99", "p99.9", "max");
  printf (" %6s %6s | %6s %6s\n", "", "", "p99", "max");
}

/* How late sends started, when late enough to matter, and whether the generator or the
 * server (holding every connection with earlier messages) made them late. */
static void
print_late (const char *indent,
            double      p99,
            double      max,
            guint       waited,
            guint       sent)
{
  if (p99 <= LATE_MS)
    return;
  if (waited > 0)
    printf ("%ssends started %.1f ms late (p99), %.1f ms at most: %u of the %u sent waited for "
            "a connection, all busy with earlier messages\n", indent, p99, max, waited, sent);
  else
    printf ("%sthe generator fell behind its schedule: sends started %.1f ms late (p99), %.1f "
            "ms at most\n", indent, p99, max);
}

static void
print_row (Step       *step,
           StepResult *result)
{
  printf ("%8.0f %8.0f ", result->offered, result->ack_rate);
  if (step->target->kind == TARGET_HELLO)
    printf ("%8s |", "-");
  else
    printf ("%8.0f |", result->assigned_rate);
  print_percentiles (result->ack);
  printf (" |");
  print_percentiles (result->assigned);
  printf (" | %6u %6u | %6.1f %6.1f  %s\n", step_errors (step),
          result->unacked + result->unassigned,
          result->late->len ? bench_percentile_ms (result->late, 0.99) : 0,
          result->late->len ? bench_percentile_ms (result->late, 1.0) : 0,
          result->sustained ? "sustained" : "NOT sustained");
  if (result->late->len)
    print_late ("         ", bench_percentile_ms (result->late, 0.99),
                bench_percentile_ms (result->late, 1.0), step->run.n_waited, step->run.next);
  if (step->target->kind == TARGET_INGEST)
    print_backlog (step);
  if (step_first_error (step))
    printf ("         first error: %s\n", step_first_error (step));
  if (step->n_strays)
    printf ("         %u assigned notifications named no message of this step\n",
            step->n_strays);
  fflush (stdout);
}

/* What a channel's ladder reached: its highest sustained step, and the highest whose sends
 * started on time (p99 within LATE_MS of their due time). */
typedef struct {
  double rate;
  double on_time_rate;
  double ack_p99;
  double assigned_p99;
  double late_p99;
  double late_max;
  guint waited;
  guint sent;
} Summary;

/* What a step cost batond: each node's CPU (all threads) and the statements routing ran,
 * read from /proc and /metrics before and after it. */
typedef struct {
  gint64 cpu_us[MAX_NODES];
  gint64 statements;
  gint64 messages;
  gint64 round_trips;
} StepCost;

static BatonTestServer *
target_node (Target *target,
             guint   i)
{
  return i == 0 ? target->server : target->nodes->pdata[i - 1];
}

static guint
target_n_nodes (Target *target)
{
  return target->server ? 1 + target->nodes->len : 0;
}

static void
step_cost_read (StepCost *cost,
                Target   *target)
{
  for (guint i = 0; i < target_n_nodes (target); i++)
    {
      BatonTestServer *node = target_node (target, i);

      cost->cpu_us[i] = bench_cpu_us (node);
      cost->statements += baton_test_get_metric (node, "baton_inbound_statements_total");
      cost->messages += baton_test_get_metric (node, "baton_inbound_messages_total");
      cost->round_trips += baton_test_get_metric (node, "baton_store_round_trips_total");
    }
}

static void
step_cost_print (StepCost *before,
                 Target   *target,
                 guint     n_sent)
{
  StepCost after = { { 0 } };
  g_autoptr(GString) cpu = g_string_new (NULL);
  gint64 messages;

  if (target->server == NULL || n_sent == 0)
    return;
  step_cost_read (&after, target);
  messages = after.messages - before->messages;
  for (guint i = 0; i < target_n_nodes (target); i++)
    g_string_append_printf (cpu, "%s%.2f", i ? " + " : "",
                            (after.cpu_us[i] - before->cpu_us[i]) / 1e3 / n_sent);
  printf ("         batond: %s ms of CPU a message sent (all its threads%s), %.1f SQL "
          "statements a message routed\n", cpu->str,
          target_n_nodes (target) > 1 ? "; node by node" : "",
          messages ? (double) (after.statements - before->statements) / messages : 0.0);
  /* all of the nodes' round trips, background work included */
  if (after.round_trips > before->round_trips)
    printf ("         %.1f round trips to PostgreSQL a message sent, all nodes' work included\n",
            (double) (after.round_trips - before->round_trips) / n_sent);
  fflush (stdout);
}

/* Climbs the rates until a step does not sustain; returns whether the last step ended with
 * nothing left on its way. */
static gboolean
run_ladder (Target        *target,
            GArray        *rates,
            const Options *options,
            Summary       *best)
{
  gboolean drained = TRUE;

  print_header ();
  for (guint i = 0; i < rates->len; i++)
    {
      double rate = g_array_index (rates, double, i);
      guint n_warmup = (guint) MAX (1, rate * options->warmup);
      guint n_total = n_warmup + (guint) MAX (1, rate * options->seconds);
      Step *step = step_new (target, rate, n_warmup, n_total);
      StepResult result = { 0 };
      gboolean sustained = FALSE;

      StepCost cost = { { 0 } };

      if (target->server)
        step_cost_read (&cost, target);
      drained = step_run (step, options->drain);
      if (target->kind == TARGET_INGEST && drained)
        drained = step_route_backlog (step, BACKLOG_SECONDS);
      step_result (step, options, &result);
      print_row (step, &result);
      step_cost_print (&cost, target, step->run.next);
      fail_on_errors (step);
      sustained = result.sustained;
      if (sustained)
        {
          best->rate = rate;
          best->ack_p99 = bench_percentile_ms (result.ack, 0.99);
          best->assigned_p99 = result.assigned->len
                               ? bench_percentile_ms (result.assigned, 0.99) : 0;
          best->late_p99 = bench_percentile_ms (result.late, 0.99);
          best->late_max = bench_percentile_ms (result.late, 1.0);
          best->waited = step->run.n_waited;
          best->sent = step->run.next;
          if (best->late_p99 <= LATE_MS)
            best->on_time_rate = rate;
        }
      step_result_clear (&result);
      step_free (step);
      if (!sustained)
        break;
    }
  return drained;
}

/* A batond with options->agents agents online in a round robin team, the default team of
 * an api channel and of a whatsapp channel; the target posts to the channel of kind. */
static void
target_open_batond (Target        *target,
                    TargetKind     kind,
                    const Options *options)
{
  g_autofree char *team = NULL;
  g_autofree char *extra = NULL;
  g_autofree char *api_id = NULL;
  g_autofree char *whatsapp_id = NULL;
  g_autofree char *url = NULL;

  target->kind = kind;
  target->server = baton_test_server_new (NULL);
  target->nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_test_server_free);
  for (guint i = 1; i < options->nodes; i++)
    g_ptr_array_add (target->nodes, baton_test_server_new_node (target->server, NULL));
  target->agents = g_ptr_array_new_with_free_func ((GDestroyNotify) bench_agent_free);
  team = bench_online_team (target->server, options->agents, assigned_cb, target,
                            target->agents);
  extra = g_strdup_printf ("\"default_team_id\":\"%s\"", team);
  api_id = baton_test_create_channel (target->server, extra, &target->secret);
  whatsapp_id = bench_whatsapp_channel (target->server, team);
  if (kind == TARGET_API)
    url = g_strdup_printf ("%s/api/v1/channels/%s/inbound", target->server->url, api_id);
  else
    url = g_strconcat (target->server->url, "/webhooks/whatsapp", NULL);
  target->uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  target->sender = bench_sender_new (target->uri, options->connections);
  /* the same path on every node: the workspace is one */
  for (guint i = 0; i < target->nodes->len; i++)
    {
      BatonTestServer *node = target->nodes->pdata[i];
      g_autofree char *node_url = g_strconcat (node->url, g_uri_get_path (target->uri), NULL);
      g_autoptr(GUri) node_uri = g_uri_parse (node_url, G_URI_FLAGS_NONE, NULL);

      bench_sender_add_peer (target->sender, node_uri);
    }
}

static void
target_open_hello (Target        *target,
                   const char    *url,
                   const Options *options)
{
  target->kind = TARGET_HELLO;
  target->uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  target->sender = bench_sender_new (target->uri, options->connections);
}

/* A batond that still had work on its way is killed: stopping it would wait for it. The
 * agents' streams close first, or their reader would take the kill for a stream lost. */
static void
target_close (Target   *target,
              gboolean  drained)
{
  g_clear_pointer (&target->sender, bench_sender_free);
  g_clear_pointer (&target->agents, g_ptr_array_unref);
  for (guint i = 0; !drained && i < target_n_nodes (target); i++)
    baton_test_server_kill (target_node (target, i));
  g_clear_pointer (&target->nodes, g_ptr_array_unref);
  g_clear_pointer (&target->server, baton_test_server_free);
  g_clear_pointer (&target->uri, g_uri_unref);
  g_clear_pointer (&target->secret, g_free);
}

typedef struct {
  double sqlite_full;
  double sqlite_normal;
  double hello_rate;
  double hello_p99;
  /* the open-loop ladder against the hello world: the generator's own ceiling */
  Summary hello_open;
} Limits;

/* 17300 as "17,300" */
static char *
thousands (double value)
{
  g_autofree char *digits = g_strdup_printf ("%.0f", value);
  GString *out = g_string_new (NULL);
  gsize length = strlen (digits);

  for (gsize i = 0; i < length; i++)
    {
      if (i > 0 && (length - i) % 3 == 0 && g_ascii_isdigit (digits[i - 1]))
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

static void
measure_sqlite (Limits *limits)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("batond-test-XXXXXX", &error);
  g_autofree char *full = NULL;
  g_autofree char *normal = NULL;

  if (dir == NULL)
    g_error ("%s", error->message);
  limits->sqlite_full = bench_sqlite_commits (dir, "FULL", 2);
  limits->sqlite_normal = bench_sqlite_commits (dir, "NORMAL", 2);
  g_rmdir (dir);
  full = thousands (limits->sqlite_full);
  normal = thousands (limits->sqlite_normal);
  printf ("SQLite in %s, where batond's data dirs are made: WAL, one single-row INSERT per "
          "commit, 2 s each\n  synchronous=FULL   %10s commits/s\n  synchronous=NORMAL %10s "
          "commits/s\n\n", g_get_tmp_dir (), full, normal);
  fflush (stdout);
}

static void
measure_closed_loop (Target        *target,
                     const Options *options,
                     Limits        *limits)
{
  Step *step = step_new (target, 0, 0, MAX_CLOSED_LOOP);
  StepResult result = { 0 };
  g_autofree char *rate = NULL;

  step->closed = TRUE;
  step->closed_seconds = 3;
  step_run (step, options->drain);
  step_result (step, options, &result);
  limits->hello_rate = result.ack_rate;
  limits->hello_p99 = result.ack->len ? bench_percentile_ms (result.ack, 0.99) : 0;
  rate = thousands (limits->hello_rate);
  printf ("libsoup 3 hello world (a process of its own; a small JSON POST answered with a small "
          "JSON body)\n  closed loop, %u requests in flight, 3 s: %s req/s, latency (ms) p50 "
          "%.2f  p99 %.2f  max %.2f, %u errors\n",
          MIN (CLOSED_LOOP_IN_FLIGHT, options->connections), rate,
          result.ack->len ? bench_percentile_ms (result.ack, 0.5) : 0, limits->hello_p99,
          result.ack->len ? bench_percentile_ms (result.ack, 1.0) : 0, step_errors (step));
  fflush (stdout);
  fail_on_errors (step);
  step_result_clear (&result);
  step_free (step);
}

static void
measure_hello (Limits        *limits,
               GArray        *rates,
               const Options *options)
{
  g_autofree char *url = NULL;
  g_autoptr(GSubprocess) process = bench_hello_spawn (HELLO_ARGUMENT, &url);
  Target target = { 0 };

  target_open_hello (&target, url, options);
  measure_closed_loop (&target, options, limits);
  printf ("  open loop, the generator below against it (its own ceiling: how late sends "
          "start, and the rate past which the figures measure the generator):\n");
  run_ladder (&target, rates, options, &limits->hello_open);
  printf ("  the highest rate whose sends started on time (p99 within %.0f ms of their due time): "
          "%.0f req/s\n", LATE_MS, limits->hello_open.on_time_rate);
  printf ("\n");
  target_close (&target, TRUE);
  g_subprocess_force_exit (process);
  g_subprocess_wait (process, NULL, NULL);
}

static void
print_ratios (TargetKind     kind,
              const Summary *best,
              const Limits  *limits)
{
  g_autofree char *rate = thousands (best->rate);
  g_autofree char *hello = thousands (limits->hello_rate);
  g_autofree char *generator = thousands (limits->hello_open.rate);
  g_autofree char *on_time = thousands (limits->hello_open.on_time_rate);
  g_autofree char *full = thousands (limits->sqlite_full);
  g_autofree char *normal = thousands (limits->sqlite_normal);

  const char *what = kind == TARGET_INGEST ? "durable webhook ingest, 200s only"
                                            : "stored and assigned";

  if (best->rate == 0)
    {
      printf ("%s, %s: no step sustained\n", what, target_names[kind]);
      return;
    }
  printf ("%s, %s: %s msg/s (p99 to ack %.1f ms, to assigned %.1f ms) = %.1f %% of "
          "libsoup hello world (%s req/s, p99 %.1f ms), %.1f %% of SQLite FULL commits (%s/s), "
          "%.1f %% of NORMAL (%s/s); the generator alone sustained %s req/s, on time up to "
          "%s\n",
          what, target_names[kind], rate, best->ack_p99, best->assigned_p99,
          100 * best->rate / limits->hello_rate, hello, limits->hello_p99,
          100 * best->rate / limits->sqlite_full, full, 100 * best->rate / limits->sqlite_normal,
          normal, generator, on_time);
  print_late ("  at that rate, ", best->late_p99, best->late_max, best->waited, best->sent);
}

/* "250,500,1000" or NULL for the default ladder, doubling from 250 */
static GArray *
parse_rates (const char *text)
{
  GArray *rates = g_array_new (FALSE, FALSE, sizeof (double));
  g_auto(GStrv) parts = text ? g_strsplit (text, ",", -1) : NULL;

  for (guint i = 0; parts && parts[i]; i++)
    {
      char *end = NULL;
      double rate = g_ascii_strtod (parts[i], &end);

      if (end == parts[i] || *end != '\0' || rate < 1 || rate > 1000000)
        {
          g_array_unref (rates);
          return NULL;
        }
      g_array_append_val (rates, rate);
    }
  for (double rate = 250; text == NULL && rate <= 256000; rate *= 2)
    g_array_append_val (rates, rate);
  return rates;
}

static gboolean
check_options (const Options *options,
               GArray        *rates,
               const char    *channel)
{
  double most = 0;

  for (guint i = 0; rates && i < rates->len; i++)
    most = MAX (most, g_array_index (rates, double, i));
  if (rates == NULL || rates->len == 0 || options->seconds < 0.5 || options->seconds > 600
      || options->warmup < 0 || options->warmup > 60 || options->drain < 0.1
      || options->drain > 600 || options->bound_ms <= 0 || options->connections < 1
      || options->connections > 4096 || options->agents < 1
      || options->agents > 500 || most * (options->seconds + options->warmup) > MAX_MESSAGES
      || !g_strv_contains ((const char *const[]) { "api", "whatsapp", "ingest", "all", NULL },
                           channel))
    {
      g_printerr ("--channel api, whatsapp, ingest or all; --rates R1,R2,… (1 to 1000000 msg/s); "
                  "--seconds 0.5 to 600; --warmup 0 to 60; --drain 0.1 to 600; --bound-ms > 0; "
                  "--connections 1 to 4096; --agents 1 to 500; at most %u "
                  "messages a step\n", MAX_MESSAGES);
      return FALSE;
    }
  return TRUE;
}

static void
print_introduction (const Options *options)
{
  printf ("batond %s; %u agents online (an event stream each) in a round robin team, the "
          "default team of an api and of a whatsapp channel\n", g_getenv ("BATOND"),
          options->agents);
  if (options->postgresql)
    printf ("on PostgreSQL (%s): %u node%s sharing it, the requests spread over them, the "
            "agents' streams on the first; %d processors\n",
            options->server_url
            ? "a database of its own on the server --database names, made for the ladder and "
              "dropped at the end, with that server's settings"
            : "a database of its own in a private cluster, Unix socket; fsync, synchronous "
              "commits and full-page writes on, as PostgreSQL's defaults",
            options->nodes, options->nodes > 1 ? "s" : "", g_get_num_processors ());
  printf ("open loop: message i is due at start + i/rate and sent then; latencies from that "
          "due time; every message from a new number; webhooks of one message, signed\n");
  printf ("each step: %.1f s warm-up (not counted), %.1f s measured, then up to %.1f s for what "
          "is on its way; sent from a thread of its own over %u keep-alive connections, one "
          "request in flight on each (a due message waits for a free one)\n", options->warmup,
          options->seconds, options->drain, options->connections);
  printf ("a step sustains when nothing failed, every message sent was acknowledged and "
          "assigned, acks/s and assigned/s >= 95 %% of the offered rate (between the arrivals "
          "of their first and last hundredth) and p99 to assigned < %.0f ms (to the 200 for "
          "the hello world); the ladder stops at the first step that does not\n",
          options->bound_ms);
  printf ("lost: sent but never acknowledged, or acknowledged but never assigned, by the end "
          "of the step; an error (a wrong status, an answer lost with its connection) ends the "
          "benchmark after its step's row\n\n");
  fflush (stdout);
}

static void
run_channel (TargetKind     kind,
             GArray        *rates,
             const Options *options,
             Summary       *best)
{
  Target target = { 0 };
  gboolean drained = FALSE;

  if (kind == TARGET_INGEST)
    printf ("webhook ingest (POST /webhooks/whatsapp, 200), each step judged by its 200s; "
            "then its backlog is routed before the next, a new batond:\n");
  else
    printf ("%s channel (%s), a new batond:\n", target_names[kind],
            kind == TARGET_API ? "POST /api/v1/channels/{id}/inbound, 202"
                               : "POST /webhooks/whatsapp, 200");
  fflush (stdout);
  target_open_batond (&target, kind, options);
  drained = run_ladder (&target, rates, options, best);
  target_close (&target, drained);
  printf ("\n");
}

#define DEFAULT_CONNECTIONS 256

int
main (int   argc,
      char *argv[])
{
  /* Acknowledgements wait for the sync of the WAL: at 2,000 msg/s, 64 connections left the
   * sender waiting for a free one as soon as an answer took 32 ms, and measured its pool. */
  Options options = { .warmup = 1, .seconds = 5, .drain = 10, .bound_ms = 1000,
                      .connections = DEFAULT_CONNECTIONS, .agents = 20, .nodes = 1 };
  g_autofree char *channel = NULL;
  g_autofree char *rates_text = NULL;
  gint64 connections = DEFAULT_CONNECTIONS;
  gint64 agents = 20;
  gint64 nodes = 1;
  g_autofree char *database = NULL;
  GOptionEntry entries[] = {
    { "channel", 'c', 0, G_OPTION_ARG_STRING, &channel,
      "api, whatsapp, ingest (webhooks judged by their 200s) or all, one after the other "
      "(default)", "KIND" },
    { "rates", 'r', 0, G_OPTION_ARG_STRING, &rates_text,
      "The ladder, msg/s (default 250,500,1000,2000,… doubling)", "R1,R2,…" },
    { "seconds", 's', 0, G_OPTION_ARG_DOUBLE, &options.seconds,
      "Measured seconds of each step (default 5)", "S" },
    { "warmup", 'w', 0, G_OPTION_ARG_DOUBLE, &options.warmup,
      "Seconds sent before each step's measure (default 1)", "S" },
    { "drain", 'd', 0, G_OPTION_ARG_DOUBLE, &options.drain,
      "Seconds a step waits for answers after its last send (default 10)", "S" },
    { "bound-ms", 'b', 0, G_OPTION_ARG_DOUBLE, &options.bound_ms,
      "p99 to assigned a sustained step stays under (default 1000)", "MS" },
    { "connections", 'n', 0, G_OPTION_ARG_INT64, &connections,
      "Keep-alive connections the sender opens (default 256)", "N" },
    { "agents", 'a', 0, G_OPTION_ARG_INT64, &agents, "Agents online (default 20)", "N" },
    { "database", 0, 0, G_OPTION_ARG_STRING, &database,
      "postgresql: each batond on a database of its own in a private PostgreSQL cluster; "
      "a PostgreSQL URL: in databases made on that server, whose role may create them, and "
      "dropped at the end (default: SQLite)", "postgresql|URL" },
    { "nodes", 0, 0, G_OPTION_ARG_INT64, &nodes,
      "batond nodes sharing the database (1 to 8, --database postgresql; default 1)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("[BATOND] - open-loop load, "
                                                            "beside the machine's limits");
  g_autoptr(GArray) rates = NULL;
  Limits limits = { 0 };
  Summary best[G_N_ELEMENTS (target_names)] = { { 0 } };

  if (argc == 2 && strcmp (argv[1], HELLO_ARGUMENT) == 0)
    return bench_hello_serve ();
  g_option_context_add_main_entries (context, entries, NULL);
  if (!bench_parse_command_line (context, &argc, &argv))
    return 2;
  rates = parse_rates (rates_text);
  options.connections = (guint) CLAMP (connections, 0, G_MAXUINT);
  options.agents = (guint) CLAMP (agents, 0, G_MAXUINT);
  options.nodes = (guint) CLAMP (nodes, 0, G_MAXUINT);
  options.postgresql = database && g_str_has_prefix (database, "postgres");
  if (options.postgresql && !g_str_equal (database, "postgresql"))
    options.server_url = database;
  if (!check_options (&options, rates, channel ? channel : "all"))
    return 2;
  if ((database && !options.postgresql) || options.nodes < 1 || options.nodes > MAX_NODES
      || (options.nodes > 1 && !options.postgresql))
    {
      g_printerr ("--database takes postgresql or a PostgreSQL URL; --nodes 1 to %d, more "
                  "than 1 with --database\n", MAX_NODES);
      return 2;
    }
  if (options.postgresql && !options.server_url && !baton_test_postgres_available ())
    {
      g_printerr ("--database postgresql needs PostgreSQL 15's programs (postgresql-15)\n");
      return 2;
    }
  /* the harness then gives each batond a database of its own (baton-test-server.c) */
  if (options.postgresql)
    {
      g_setenv ("BATON_TEST_STORE", "postgresql", TRUE);
      if (options.server_url)
        baton_test_postgres_use_server (options.server_url);
      else
        baton_test_postgres_set_durable (TRUE);
    }

  print_introduction (&options);
  measure_sqlite (&limits);
  measure_hello (&limits, rates, &options);
  for (TargetKind kind = TARGET_API; kind <= TARGET_INGEST; kind++)
    if (channel == NULL || g_str_equal (channel, "all")
        || g_str_equal (channel, target_names[kind]))
      run_channel (kind, rates, &options, &best[kind]);
  for (TargetKind kind = TARGET_API; kind <= TARGET_INGEST; kind++)
    if (channel == NULL || g_str_equal (channel, "all")
        || g_str_equal (channel, target_names[kind]))
      print_ratios (kind, &best[kind], &limits);
  baton_test_postgres_drop_databases ();
  return 0;
}
