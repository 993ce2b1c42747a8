/* bench-engine.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include "baton-json.h"
#include "baton-router.h"
#include "baton-time.h"

/* How many assignment decisions per second the engine makes on a workspace of realistic size:
 * the full pipeline (baton_route: contact owners, flows, team pick) and a team pick alone
 * (baton_strategy_pick). Everything is generated from a fixed seed, so two runs decide the
 * same things and only the machine changes the figures. */

#define N_AGENTS 1000
#define N_TEAMS 50
#define TEAM_SIZE 20
#define N_ACTIVE 100000
/* one per team, each the default of its team; flows listen to the first seven */
#define N_CHANNELS 50
#define N_FLOW_CHANNELS 7
#define SEED 20261122
/* Each decision happens 250 ms after the previous one: 200,000 of them span some 14 hours,
 * across the opening and closing of the office schedule. */
#define STEP_MS 250

static const char *texts[] = {
  "Hello",
  "Hi, I need help with my order",
  "What is the price of the blue model?",
  "Quote for 40 units please",
  "I want a refund for order #1234",
  "My invoice is wrong",
  "Where is my parcel?",
  "Bonjour, je voudrais un devis",
  "Can I change my delivery address?",
  "order #98765",
  "Do you ship to Belgium?",
  "Thanks!",
};

typedef struct {
  GHashTable *agents;
  GHashTable *teams;
  GHashTable *cursors;
  GHashTable *schedules;
  GPtrArray *flows;
  /* agent ids, in creation order */
  GPtrArray *agent_ids;
  /* team ids, in creation order */
  GPtrArray *team_ids;
  char *channel_ids[N_CHANNELS];
  char *default_team_ids[N_CHANNELS];
  guint n_online;
  /* BatonAgentState *, one per active conversation, oldest first from head: conversations
   * are resolved in the order they were assigned, which keeps the active total steady */
  GPtrArray *active;
  guint head;
} Workspace;

/* One customer message to route, drawn before the clock starts. */
typedef struct {
  guint channel;
  guint text;
  gboolean reopened;
  /* the kept team of a reopened conversation */
  guint team;
  /* -1: the contact has no owner */
  int owner;
  /* 0: none, 1: vip, 2: vip + lead, 3: lead */
  guint tags;
  gboolean wholesale;
  gboolean returning;
} Draw;

static const char * const tag_sets[][3] = {
  { NULL },
  { "vip", NULL },
  { "vip", "lead", NULL },
  { "lead", NULL },
};

static void
add_flow (Workspace  *workspace,
          const char *id,
          const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = baton_json_parse_object (json, strlen (json), &error);
  BatonFlowLookup lookup = { 0 };
  BatonFlow *flow = baton_flow_new ();

  if (object == NULL || !baton_flow_update (flow, object, TRUE, &lookup, &error))
    g_error ("flow %s: %s", id, error->message);
  flow->id = g_strdup (id);
  g_ptr_array_add (workspace->flows, flow);
}

static const char *
team_id (Workspace *workspace,
         guint      position)
{
  return workspace->team_ids->pdata[position];
}

static void
add_flows (Workspace *workspace)
{
  g_autofree char *vip = NULL;
  g_autofree char *sales = NULL;
  g_autofree char *hours = NULL;
  g_autofree char *wholesale = NULL;
  g_autofree char *returning = NULL;

  /* A conversation runs the first flow whose trigger matches, so each flow listens to its
   * own channels; channels 7 and up have none and go to their default team. */
  vip = g_strdup_printf (
    "{\"name\":\"VIP and billing\",\"trigger\":{\"on\":\"conversation.created\","
    "\"channel_ids\":[\"%s\",\"%s\"]},\"steps\":[{\"type\":\"condition\",\"conditions\":["
    "{\"field\":\"contact.tags\",\"op\":\"includes\",\"value\":\"vip\"}],"
    "\"then\":[{\"type\":\"assign_team\",\"team_id\":\"%s\",\"conversation_tags\":[\"vip\"]}],"
    "\"else\":[{\"type\":\"condition\",\"match\":\"any\",\"conditions\":["
    "{\"field\":\"message.text\",\"op\":\"matches\",\"value\":\"refund|invoice\"},"
    "{\"field\":\"message.text\",\"op\":\"matches\",\"value\":\"^order #[0-9]+$\"}],"
    "\"then\":[{\"type\":\"assign_team\",\"team_id\":\"%s\"}]}]}]}",
    workspace->channel_ids[0], workspace->channel_ids[1], team_id (workspace, 0),
    team_id (workspace, 1));
  sales = g_strdup_printf (
    "{\"name\":\"Sales words\",\"trigger\":{\"on\":\"conversation.created\","
    "\"channel_ids\":[\"%s\",\"%s\"]},\"steps\":[{\"type\":\"condition\",\"match\":\"any\","
    "\"conditions\":[{\"field\":\"message.text\",\"op\":\"contains\",\"value\":\"price\"},"
    "{\"field\":\"message.text\",\"op\":\"starts_with\",\"value\":\"quote\"},"
    "{\"field\":\"message.text\",\"op\":\"contains\",\"value\":\"devis\"}],"
    "\"then\":[{\"type\":\"assign_team\",\"team_id\":\"%s\",\"conversation_tags\":[\"sales\"],"
    "\"contact_tags\":[\"lead\"]}],"
    "\"else\":[{\"type\":\"assign_team\",\"team_id\":\"%s\"}]}]}",
    workspace->channel_ids[2], workspace->channel_ids[3], team_id (workspace, 2),
    team_id (workspace, 3));
  hours = g_strdup_printf (
    "{\"name\":\"After hours\",\"trigger\":{\"on\":\"conversation.created\","
    "\"channel_ids\":[\"%s\"]},\"steps\":[{\"type\":\"condition\",\"conditions\":["
    "{\"field\":\"time\",\"op\":\"outside\",\"value\":\"sch_office\"}],"
    "\"then\":[{\"type\":\"send_message\",\"body\":\"We are closed; we answer from 9:00.\"},"
    "{\"type\":\"assign_team\",\"team_id\":\"%s\"}],"
    "\"else\":[{\"type\":\"assign_team\",\"team_id\":\"%s\"}]}]}",
    workspace->channel_ids[4], team_id (workspace, 4), team_id (workspace, 5));
  wholesale = g_strdup_printf (
    "{\"name\":\"Wholesale\",\"trigger\":{\"on\":\"conversation.created\","
    "\"channel_ids\":[\"%s\"]},\"steps\":[{\"type\":\"condition\",\"conditions\":["
    "{\"field\":\"contact.fields.plan\",\"op\":\"equals\",\"value\":\"wholesale\"},"
    "{\"field\":\"contact.tags\",\"op\":\"excludes\",\"value\":\"blocked\"}],"
    "\"then\":[{\"type\":\"assign_team\",\"team_id\":\"%s\"},"
    "{\"type\":\"update_contact\",\"add_tags\":[\"b2b\"]}],"
    "\"else\":[{\"type\":\"assign_team\",\"team_id\":\"%s\"}]}]}",
    workspace->channel_ids[5], team_id (workspace, 6), team_id (workspace, 7));
  returning = g_strdup_printf (
    "{\"name\":\"Returning customers\",\"trigger\":{\"on\":\"conversation.created\","
    "\"channel_ids\":[\"%s\"]},\"steps\":[{\"type\":\"condition\",\"conditions\":["
    "{\"field\":\"channel.id\",\"op\":\"in\",\"value\":[\"%s\"]},"
    "{\"field\":\"contact.is_returning\",\"op\":\"is\",\"value\":true}],"
    "\"then\":[{\"type\":\"assign_team\",\"team_id\":\"%s\"}]}]}",
    workspace->channel_ids[6], workspace->channel_ids[6], team_id (workspace, 8));

  add_flow (workspace, "flw_vip", vip);
  add_flow (workspace, "flw_sales", sales);
  add_flow (workspace, "flw_hours", hours);
  add_flow (workspace, "flw_wholesale", wholesale);
  add_flow (workspace, "flw_returning", returning);
}

static void
add_schedule (Workspace *workspace)
{
  static const char office[] =
    "{\"name\":\"Office\",\"timezone\":\"Europe/Paris\",\"weekly\":["
    "{\"day\":\"mon\",\"from\":\"09:00\",\"to\":\"18:00\"},"
    "{\"day\":\"tue\",\"from\":\"09:00\",\"to\":\"18:00\"},"
    "{\"day\":\"wed\",\"from\":\"09:00\",\"to\":\"18:00\"},"
    "{\"day\":\"thu\",\"from\":\"09:00\",\"to\":\"18:00\"},"
    "{\"day\":\"fri\",\"from\":\"09:00\",\"to\":\"18:00\"}],"
    "\"holidays\":[\"2026-12-25\"]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = baton_json_parse_object (office, strlen (office), &error);
  BatonSchedule *schedule = baton_schedule_new ();

  if (object == NULL || !baton_schedule_update (schedule, object, TRUE, &error))
    g_error ("schedule: %s", error->message);
  schedule->id = g_strdup ("sch_office");
  g_hash_table_insert (workspace->schedules, g_strdup (schedule->id), schedule);
}

static Workspace *
workspace_new (GRand  *prng,
               gint64  now_ms)
{
  Workspace *workspace = g_new0 (Workspace, 1);
  g_autofree double *weights = g_new0 (double, N_AGENTS);
  g_autofree guint *order = g_new0 (guint, N_AGENTS);
  double total_weight = 0;

  workspace->agents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  workspace->teams = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) baton_team_unref);
  workspace->cursors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  workspace->schedules = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                (GDestroyNotify) baton_schedule_unref);
  workspace->flows = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_flow_unref);
  workspace->agent_ids = g_ptr_array_new_with_free_func (g_free);
  workspace->team_ids = g_ptr_array_new_with_free_func (g_free);
  workspace->active = g_ptr_array_sized_new (N_ACTIVE * 4);

  for (guint i = 0; i < N_AGENTS; i++)
    {
      BatonAgentState *state = g_new0 (BatonAgentState, 1);
      char *id = g_strdup_printf ("agt_%04u", i);

      state->online = g_rand_double (prng) < 0.7;
      workspace->n_online += state->online;
      /* Assigned within the last 8 hours, or never for a few. */
      if (g_rand_double (prng) < 0.95)
        state->last_assigned_at = now_ms - g_rand_int_range (prng, 1, 8 * 3600 * 1000);
      g_ptr_array_add (workspace->agent_ids, id);
      g_hash_table_insert (workspace->agents, g_strdup (id), state);
      /* Some agents carry three times the load of others. */
      weights[i] = 0.5 + g_rand_double (prng);
      total_weight += weights[i];
    }

  /* The active conversations, each listing one agent drawn by weight. */
  for (guint c = 0; c < N_ACTIVE; c++)
    {
      double point = g_rand_double (prng) * total_weight;
      guint i = 0;
      BatonAgentState *state = NULL;

      while (i < N_AGENTS - 1 && point >= weights[i])
        point -= weights[i++];
      state = g_hash_table_lookup (workspace->agents, workspace->agent_ids->pdata[i]);
      state->load++;
      g_ptr_array_add (workspace->active, state);
    }

  /* Teams of 20 from a shuffled order; strategies in turn, and on some teams a capacity
   * above the mean load (100 per agent, some 140 per online agent), which the busiest
   * members reach. */
  for (guint i = 0; i < N_AGENTS; i++)
    order[i] = i;
  for (guint i = N_AGENTS - 1; i > 0; i--)
    {
      guint j = (guint) g_rand_int_range (prng, 0, (gint32) i + 1);
      guint swap = order[i];

      order[i] = order[j];
      order[j] = swap;
    }
  for (guint t = 0; t < N_TEAMS; t++)
    {
      BatonTeam *team = baton_team_new ();
      g_autoptr(GStrvBuilder) members = g_strv_builder_new ();

      team->id = g_strdup_printf ("tem_%02u", t);
      team->name = g_strdup_printf ("Team %u", t);
      for (guint m = 0; m < TEAM_SIZE; m++)
        g_strv_builder_add (members, workspace->agent_ids->pdata[order[t * TEAM_SIZE + m]]);
      team->member_ids = g_strv_builder_end (members);
      team->strategy = (BatonStrategy[]) { BATON_STRATEGY_ROUND_ROBIN, BATON_STRATEGY_LEAST_BUSY,
                                           BATON_STRATEGY_DEFAULT_USER }[t % 3];
      if (team->strategy == BATON_STRATEGY_DEFAULT_USER)
        {
          team->default_user_id = g_strdup (team->member_ids[0]);
          team->backup_user_id = g_strdup (team->member_ids[1]);
        }
      if (t % 3 == 1 || t % 5 == 0)
        team->max_active_per_agent = 150 + (int) (t % 4) * 25;
      if (team->strategy != BATON_STRATEGY_DEFAULT_USER && t % 2 == 0)
        team->reassign_after_minutes = 10;
      g_ptr_array_add (workspace->team_ids, g_strdup (team->id));
      g_hash_table_insert (workspace->teams, g_strdup (team->id), team);
    }

  for (guint c = 0; c < N_CHANNELS; c++)
    {
      workspace->channel_ids[c] = g_strdup_printf ("chn_%02u", c);
      workspace->default_team_ids[c] = g_strdup (team_id (workspace, c));
    }
  add_schedule (workspace);
  add_flows (workspace);
  return workspace;
}

static void
workspace_free (Workspace *workspace)
{
  g_hash_table_unref (workspace->agents);
  g_hash_table_unref (workspace->teams);
  g_hash_table_unref (workspace->cursors);
  g_hash_table_unref (workspace->schedules);
  g_ptr_array_unref (workspace->flows);
  g_ptr_array_unref (workspace->agent_ids);
  g_ptr_array_unref (workspace->team_ids);
  g_ptr_array_unref (workspace->active);
  for (guint c = 0; c < N_CHANNELS; c++)
    {
      g_free (workspace->channel_ids[c]);
      g_free (workspace->default_team_ids[c]);
    }
  g_free (workspace);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Workspace, workspace_free)

static Draw *
draw_inputs (GRand *prng,
             guint  n)
{
  Draw *draws = g_new0 (Draw, n);

  for (guint i = 0; i < n; i++)
    {
      Draw *draw = &draws[i];
      double tags = g_rand_double (prng);

      /* Most customers write to the channels with flows. */
      draw->channel = g_rand_double (prng) < 0.6
                      ? (guint) g_rand_int_range (prng, 0, N_FLOW_CHANNELS)
                      : (guint) g_rand_int_range (prng, N_FLOW_CHANNELS, N_CHANNELS);
      draw->text = (guint) g_rand_int_range (prng, 0, G_N_ELEMENTS (texts));
      draw->reopened = g_rand_double (prng) < 0.25;
      draw->team = (guint) g_rand_int_range (prng, 0, N_TEAMS);
      draw->owner = g_rand_double (prng) < 0.15 ? g_rand_int_range (prng, 0, N_AGENTS) : -1;
      draw->tags = tags < 0.7 ? 0 : tags < 0.8 ? 1 : tags < 0.85 ? 2 : 3;
      draw->wholesale = g_rand_double (prng) < 0.2;
      draw->returning = g_rand_double (prng) < 0.4;
    }
  return draws;
}

/* What the server does after a pick: the agent has one more active conversation and was
 * assigned now; meanwhile the oldest active conversation is resolved. */
static void
record_assignment (Workspace  *workspace,
                   const char *agent_id,
                   gint64      now_ms)
{
  BatonAgentState *state = g_hash_table_lookup (workspace->agents, agent_id);
  BatonAgentState *oldest = workspace->active->pdata[workspace->head++];

  state->load++;
  state->last_assigned_at = now_ms;
  g_ptr_array_add (workspace->active, state);
  oldest->load--;
}

typedef struct {
  guint assigned;
  guint queued;
  guint by_flow;
  guint by_owner;
} Outcomes;

static double
bench_route (Workspace  *workspace,
             const Draw *draws,
             guint       n,
             gint64      start_ms,
             Outcomes   *outcomes)
{
  GHashTable *fields_wholesale = g_hash_table_new (g_str_hash, g_str_equal);
  gint64 started = 0;
  gint64 elapsed = 0;

  g_hash_table_insert (fields_wholesale, "plan", "wholesale");
  started = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      const Draw *draw = &draws[i];
      const char *owners[] = { draw->owner >= 0 ? workspace->agent_ids->pdata[draw->owner] : NULL,
                               NULL };
      gint64 now_ms = start_ms + (gint64) i * STEP_MS;
      BatonRouteInput input = {
        .event = draw->reopened ? "conversation.reopened" : "conversation.created",
        .channel_id = workspace->channel_ids[draw->channel],
        .message_text = texts[draw->text],
        .is_returning = draw->returning || draw->reopened,
        .team_id = draw->reopened ? team_id (workspace, draw->team) : NULL,
        .owner_ids = owners,
        .contact_tags = tag_sets[draw->tags],
        .contact_fields = draw->wholesale ? fields_wholesale : NULL,
        .flows = workspace->flows,
        .teams = workspace->teams,
        .cursors = workspace->cursors,
        .agents = workspace->agents,
        .schedules = workspace->schedules,
        .default_team_id = workspace->default_team_ids[draw->channel],
        .now_ms = now_ms,
      };
      g_autoptr(BatonDecision) decision = baton_route (&input);
      GHashTableIter iter;
      gpointer key, value;

      for (guint a = 0; a < decision->assign->len; a++)
        {
          BatonAssign *assign = decision->assign->pdata[a];

          record_assignment (workspace, assign->agent_id, now_ms);
          outcomes->by_owner += g_str_equal (assign->via, "contact_owner");
        }
      g_hash_table_iter_init (&iter, decision->cursors);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (workspace->cursors, g_strdup (key), g_strdup (value));
      outcomes->assigned += decision->assign->len > 0;
      outcomes->queued += decision->queued;
      outcomes->by_flow += decision->flow_id != NULL;
    }
  elapsed = g_get_monotonic_time () - started;
  g_hash_table_unref (fields_wholesale);
  return elapsed / (double) G_USEC_PER_SEC;
}

static double
bench_pick (Workspace  *workspace,
            const Draw *draws,
            guint       n,
            gint64      start_ms,
            Outcomes   *outcomes)
{
  gint64 started = g_get_monotonic_time ();
  gint64 elapsed = 0;

  for (guint i = 0; i < n; i++)
    {
      const Draw *draw = &draws[i];
      const char *id = team_id (workspace, draw->team);
      BatonTeam *team = g_hash_table_lookup (workspace->teams, id);
      const char *cursor = g_hash_table_lookup (workspace->cursors, id);
      /* One conversation in ten was already let lapse by a member, who is skipped. */
      const char *excluded[] = { team->member_ids[draw->text % TEAM_SIZE], NULL };
      const char *via = NULL;
      g_autofree char *picked = baton_strategy_pick (team, cursor, workspace->agents,
                                                     draw->reopened ? excluded : NULL, &via);

      if (picked == NULL)
        {
          outcomes->queued++;
          continue;
        }
      outcomes->assigned++;
      record_assignment (workspace, picked, start_ms + (gint64) i * STEP_MS);
      g_hash_table_insert (workspace->cursors, g_strdup (id), g_steal_pointer (&picked));
    }
  elapsed = g_get_monotonic_time () - started;
  return elapsed / (double) G_USEC_PER_SEC;
}

static void
print_row (const char *name,
           guint       n,
           double      seconds)
{
  printf ("%-22s %10u %9.3f %14.0f %12.0f\n", name, n, seconds, n / seconds,
          seconds * 1e9 / n);
}

int
main (int   argc,
      char *argv[])
{
  gint64 decisions = 200000;
  GOptionEntry entries[] = {
    { "decisions", 'n', 0, G_OPTION_ARG_INT64, &decisions,
      "Decisions to time for each benchmark (default 200000)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- time the assignment engine");
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) prng = g_rand_new_with_seed (SEED);
  g_autoptr(Workspace) route_workspace = NULL;
  g_autoptr(Workspace) pick_workspace = NULL;
  g_autofree Draw *draws = NULL;
  Outcomes routed = { 0 };
  Outcomes picked = { 0 };
  gint64 start_ms = 0;
  double route_seconds = 0;
  double pick_seconds = 0;
  guint n = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (decisions < 1 || decisions > G_MAXINT32)
    {
      g_printerr ("--decisions must be 1 to %d\n", G_MAXINT32);
      return 2;
    }
  n = (guint) decisions;
  /* Monday 2026-11-23 06:00 UTC: the run starts before the office (Paris) opens. */
  g_assert_true (baton_time_parse ("2026-11-23T06:00:00.000Z", &start_ms));

  /* The same workspace twice, so that each benchmark starts from the same loads. */
  route_workspace = workspace_new (prng, start_ms);
  g_rand_set_seed (prng, SEED);
  pick_workspace = workspace_new (prng, start_ms);
  draws = draw_inputs (prng, n);

  printf ("Workspace: %u agents (%u online), %u teams of %u, %u active conversations, "
          "%u flows, %u channels\n\n", N_AGENTS, route_workspace->n_online, N_TEAMS, TEAM_SIZE,
          N_ACTIVE, route_workspace->flows->len, N_CHANNELS);

  route_seconds = bench_route (route_workspace, draws, n, start_ms, &routed);
  pick_seconds = bench_pick (pick_workspace, draws, n, start_ms, &picked);

  printf ("%-22s %10s %9s %14s %12s\n", "benchmark", "decisions", "seconds", "decisions/s",
          "ns/decision");
  print_row ("baton_route", n, route_seconds);
  print_row ("baton_strategy_pick", n, pick_seconds);
  printf ("\nbaton_route: %u assigned (%u contact-owner assignments), %u queued, %u ran a flow\n",
          routed.assigned, routed.by_owner, routed.queued, routed.by_flow);
  printf ("baton_strategy_pick: %u picked, %u found nobody eligible\n", picked.assigned,
          picked.queued);
  return 0;
}
