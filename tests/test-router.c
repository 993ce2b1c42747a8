/* test-router.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-json.h"
#include "baton-router.h"
#include "flow-wrong-types.h"

typedef struct {
  GHashTable *teams;
  GHashTable *agents;
  GHashTable *cursors;
  GPtrArray *flows;
  BatonRouteInput input;
} Fixture;

static void
add_team (Fixture       *fixture,
          const char    *id,
          BatonStrategy  strategy,
          const char   **members)
{
  BatonTeam *team = baton_team_new ();

  team->id = g_strdup (id);
  team->strategy = strategy;
  team->member_ids = g_strdupv ((char **) members);
  g_hash_table_insert (fixture->teams, g_strdup (id), team);
}

static void
add_flow (Fixture    *fixture,
          const char *id,
          const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = baton_json_parse_object (json, strlen (json), &error);
  BatonFlowLookup lookup = { 0 };
  BatonFlow *flow = baton_flow_new ();

  g_assert_no_error (error);
  g_assert_true (baton_flow_update (flow, object, TRUE, &lookup, &error));
  g_assert_no_error (error);
  flow->id = g_strdup (id);
  g_ptr_array_add (fixture->flows, flow);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  const char *agents[] = { "ana", "ben", "cleo", "dev", "owner", NULL };
  const char *sales[] = { "ana", "ben", NULL };
  const char *support[] = { "cleo", "dev", NULL };

  fixture->teams = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) baton_team_unref);
  fixture->agents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  fixture->cursors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  fixture->flows = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_flow_unref);
  for (guint i = 0; agents[i]; i++)
    {
      BatonAgentState *state = g_new0 (BatonAgentState, 1);

      state->online = TRUE;
      g_hash_table_insert (fixture->agents, g_strdup (agents[i]), state);
    }
  add_team (fixture, "sales", BATON_STRATEGY_ROUND_ROBIN, sales);
  add_team (fixture, "support", BATON_STRATEGY_LEAST_BUSY, support);

  fixture->input.event = "conversation.created";
  fixture->input.channel_id = "web";
  fixture->input.message_text = "hello";
  fixture->input.flows = fixture->flows;
  fixture->input.teams = fixture->teams;
  fixture->input.cursors = fixture->cursors;
  fixture->input.agents = fixture->agents;
  fixture->input.now_ms = 1000000;
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_hash_table_unref (fixture->teams);
  g_hash_table_unref (fixture->agents);
  g_hash_table_unref (fixture->cursors);
  g_ptr_array_unref (fixture->flows);
}

static char *
assignees (BatonDecision *decision)
{
  g_auto(GStrv) ids = baton_decision_assignees (decision, NULL);

  return g_strjoinv (" ", ids);
}

static void
test_nothing (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(BatonDecision) decision = baton_route (&fixture->input);

  g_assert_cmpuint (decision->assign->len, ==, 0);
  g_assert_null (decision->team_id);
  g_assert_false (decision->queued);
  g_assert_null (decision->flow_id);
}

static void
test_owners_stay_involved (Fixture       *fixture,
                           gconstpointer  data)
{
  const char *owners[] = { "owner", NULL };
  g_autoptr(BatonDecision) decision = NULL;
  g_autofree char *who = NULL;

  fixture->input.owner_ids = owners;
  fixture->input.default_user_id = "dev";
  add_flow (fixture, "flw_1", "{\"name\":\"all to sales\",\"trigger\":{\"on\":"
            "\"conversation.created\"},\"steps\":[{\"type\":\"assign_team\",\"team_id\":"
            "\"sales\"}]}");
  decision = baton_route (&fixture->input);
  who = assignees (decision);
  /* The owner first, then the team's pick beside them; the channel default is not needed. */
  g_assert_cmpstr (who, ==, "owner ana");
  g_assert_cmpstr (((BatonAssign *) decision->assign->pdata[0])->via, ==, "contact_owner");
  g_assert_cmpstr (((BatonAssign *) decision->assign->pdata[1])->via, ==, "team:round_robin");
  g_assert_cmpstr (decision->team_id, ==, "sales");
  g_assert_cmpstr (decision->flow_id, ==, "flw_1");
  g_assert_cmpstr (g_hash_table_lookup (decision->cursors, "sales"), ==, "ana");
}

static void
test_first_flow_only (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(BatonDecision) decision = NULL;

  /* The first matching flow sends the conversation down an empty branch: no other runs. */
  add_flow (fixture, "flw_vip", "{\"name\":\"vip\",\"trigger\":{\"on\":\"conversation.created\"},"
            "\"steps\":[{\"type\":\"condition\",\"conditions\":[{\"field\":\"contact.tags\","
            "\"op\":\"includes\",\"value\":\"vip\"}],\"then\":[{\"type\":\"assign_user\","
            "\"user_id\":\"cleo\"}]}]}");
  add_flow (fixture, "flw_sales", "{\"name\":\"sales\",\"trigger\":{\"on\":"
            "\"conversation.created\"},\"steps\":[{\"type\":\"assign_team\",\"team_id\":"
            "\"sales\"}]}");
  decision = baton_route (&fixture->input);
  g_assert_cmpstr (decision->flow_id, ==, "flw_vip");
  g_assert_cmpuint (decision->assign->len, ==, 0);
  g_assert_null (decision->team_id);
}

static void
test_flow_trigger_filters (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(BatonDecision) decision = NULL;
  g_autofree char *who = NULL;

  add_flow (fixture, "flw_wa", "{\"name\":\"wa only\",\"trigger\":{\"on\":"
            "\"conversation.created\",\"channel_ids\":[\"whatsapp\"]},\"steps\":["
            "{\"type\":\"assign_user\",\"user_id\":\"ana\"}]}");
  add_flow (fixture, "flw_reopen", "{\"name\":\"reopen\",\"trigger\":{\"on\":"
            "\"conversation.reopened\"},\"steps\":[{\"type\":\"assign_user\",\"user_id\":"
            "\"ben\"}]}");
  add_flow (fixture, "flw_any", "{\"name\":\"any\",\"trigger\":{\"on\":"
            "\"conversation.created\"},\"steps\":[{\"type\":\"assign_user\",\"user_id\":"
            "\"dev\"}]}");
  decision = baton_route (&fixture->input);
  who = assignees (decision);
  g_assert_cmpstr (decision->flow_id, ==, "flw_any");
  g_assert_cmpstr (who, ==, "dev");
  g_assert_cmpstr (decision->via, ==, "flow:flw_any");
}

static void
test_tags_add_and_replace (Fixture       *fixture,
                           gconstpointer  data)
{
  const char *conversation_tags[] = { "old", NULL };
  const char *contact_tags[] = { "customer", NULL };
  g_autoptr(BatonDecision) added = NULL;
  g_autoptr(BatonDecision) replaced = NULL;
  g_autofree char *added_tags = NULL;
  g_autofree char *replaced_tags = NULL;
  g_autofree char *contact_added = NULL;

  fixture->input.conversation_tags = conversation_tags;
  fixture->input.contact_tags = contact_tags;
  add_flow (fixture, "flw_add", "{\"name\":\"t\",\"trigger\":{\"on\":\"conversation.created\"},"
            "\"steps\":[{\"type\":\"assign_team\",\"team_id\":\"sales\",\"add_tags\":true,"
            "\"conversation_tags\":[\"Sales\",\"old\"],\"contact_tags\":[\"lead\"]}]}");
  added = baton_route (&fixture->input);
  added_tags = g_strjoinv (" ", added->conversation_tags);
  contact_added = g_strjoinv (" ", added->contact_tags);
  g_assert_cmpstr (added_tags, ==, "old sales");
  g_assert_cmpstr (contact_added, ==, "customer lead");

  g_ptr_array_set_size (fixture->flows, 0);
  add_flow (fixture, "flw_replace", "{\"name\":\"t\",\"trigger\":{\"on\":"
            "\"conversation.created\"},\"steps\":[{\"type\":\"assign_team\",\"team_id\":"
            "\"sales\",\"add_tags\":false,\"conversation_tags\":[\"sales\"]}]}");
  replaced = baton_route (&fixture->input);
  replaced_tags = g_strjoinv (" ", replaced->conversation_tags);
  g_assert_cmpstr (replaced_tags, ==, "sales");
  g_assert_null (replaced->contact_tags);
}

static void
test_kept_team_on_reopen (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(BatonDecision) decision = NULL;
  g_autofree char *who = NULL;

  fixture->input.event = "conversation.reopened";
  fixture->input.team_id = "sales";
  g_hash_table_insert (fixture->cursors, g_strdup ("sales"), g_strdup ("ana"));
  decision = baton_route (&fixture->input);
  who = assignees (decision);
  g_assert_cmpstr (who, ==, "ben");
  g_assert_false (decision->team_changed);
  g_assert_cmpstr (decision->via, ==, "team:round_robin");
}

static void
test_reopen_with_assignees_kept (Fixture       *fixture,
                                 gconstpointer  data)
{
  const char *kept[] = { "cleo", NULL };
  g_autoptr(BatonDecision) decision = NULL;

  fixture->input.event = "conversation.reopened";
  fixture->input.team_id = "sales";
  fixture->input.assignee_ids = kept;
  decision = baton_route (&fixture->input);
  g_assert_cmpuint (decision->assign->len, ==, 0);
}

static void
test_channel_default_team (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(BatonDecision) picked = NULL;
  g_autoptr(BatonDecision) queued = NULL;
  g_autofree char *who = NULL;
  BatonAgentState *cleo = g_hash_table_lookup (fixture->agents, "cleo");
  BatonAgentState *dev = g_hash_table_lookup (fixture->agents, "dev");

  fixture->input.default_team_id = "support";
  cleo->load = 3;
  dev->load = 1;
  picked = baton_route (&fixture->input);
  who = assignees (picked);
  g_assert_cmpstr (who, ==, "dev");
  g_assert_cmpstr (picked->team_id, ==, "support");
  g_assert_true (picked->team_changed);
  g_assert_cmpstr (picked->via, ==, "team:least_busy");

  cleo->online = FALSE;
  dev->online = FALSE;
  queued = baton_route (&fixture->input);
  g_assert_true (queued->queued);
  g_assert_cmpstr (queued->team_id, ==, "support");
  g_assert_cmpuint (queued->assign->len, ==, 0);
  g_assert_cmpstr (queued->via, ==, "channel_default");
}

static void
test_channel_default_user (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(BatonDecision) decision = NULL;
  g_autofree char *who = NULL;

  fixture->input.default_user_id = "ben";
  decision = baton_route (&fixture->input);
  who = assignees (decision);
  g_assert_cmpstr (who, ==, "ben");
  g_assert_cmpstr (decision->via, ==, "channel_default");
}

static void
test_reassign_timer (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(BatonDecision) decision = NULL;
  BatonTeam *sales = g_hash_table_lookup (fixture->teams, "sales");

  sales->reassign_after_minutes = 10;
  fixture->input.default_team_id = "sales";
  decision = baton_route (&fixture->input);
  g_assert_cmpint (decision->reassign_due_at, ==, fixture->input.now_ms + 10 * 60 * 1000);
}

static void
test_unassign_close_message (Fixture       *fixture,
                             gconstpointer  data)
{
  const char *owners[] = { "owner", NULL };
  g_autoptr(BatonDecision) decision = NULL;

  fixture->input.owner_ids = owners;
  add_flow (fixture, "flw_spam", "{\"name\":\"spam\",\"trigger\":{\"on\":"
            "\"conversation.created\"},\"steps\":[{\"type\":\"unassign\"},{\"type\":"
            "\"send_message\",\"body\":\"We are closed.\"},{\"type\":\"close\"},{\"type\":"
            "\"update_contact\",\"add_tags\":[\"Spam\"],\"set_fields\":{\"source\":\"bot\"}}]}");
  decision = baton_route (&fixture->input);
  g_assert_true (decision->unassign);
  g_assert_cmpuint (decision->assign->len, ==, 0);
  g_assert_true (decision->close);
  g_assert_cmpuint (decision->messages->len, ==, 1);
  g_assert_cmpstr (decision->messages->pdata[0], ==, "We are closed.");
  g_assert_cmpstr (decision->contact_tags[0], ==, "spam");
  g_assert_cmpstr (g_hash_table_lookup (decision->contact_fields, "source"), ==, "bot");
}

static void
route_raw_steps (const char *body,
                 const char *field,
                 gpointer    user_data)
{
  Fixture *fixture = user_data;
  g_autoptr(JsonObject) object = baton_json_parse_object (body, strlen (body), NULL);
  g_autoptr(BatonDecision) decision = NULL;
  BatonFlow *flow = baton_flow_new ();

  g_assert_nonnull (object);
  flow->id = g_strdup ("flw_raw");
  flow->trigger_on = g_strdup ("conversation.created");
  flow->steps = baton_json_dup_member (object, "steps");
  g_ptr_array_set_size (fixture->flows, 0);
  g_ptr_array_add (fixture->flows, flow);
  decision = baton_route (&fixture->input);
  g_assert_cmpstr (decision->flow_id, ==, "flw_raw");
}

/* Flows come back from storage without validating again: steps of the wrong JSON types do
 * nothing rather than reach json-glib's assertions (fatal in the suite). */
/* A handover to a team, whoever asks, picks by the same rules as routing: the strategy, the
 * cursor (kept for every strategy), the lapsed members skipped, the no-reply timer, or the
 * queue when nobody is eligible. */
static void
test_route_to_team (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *lapsed[] = { "ben", NULL };
  g_autoptr(BatonDecision) first = NULL;
  g_autoptr(BatonDecision) next = NULL;
  g_autoptr(BatonDecision) skipped = NULL;
  g_autoptr(BatonDecision) busy = NULL;
  g_autoptr(BatonDecision) queued = NULL;
  g_autofree char *first_who = NULL;
  g_autofree char *next_who = NULL;
  g_autofree char *skipped_who = NULL;
  g_autofree char *busy_who = NULL;
  BatonTeam *sales = g_hash_table_lookup (fixture->teams, "sales");
  BatonAgentState *cleo = g_hash_table_lookup (fixture->agents, "cleo");
  BatonAgentState *dev = g_hash_table_lookup (fixture->agents, "dev");

  sales->reassign_after_minutes = 5;
  first = baton_route_to_team (&fixture->input, "sales");
  first_who = assignees (first);
  g_assert_cmpstr (first_who, ==, "ana");
  g_assert_cmpstr (first->team_id, ==, "sales");
  g_assert_true (first->team_changed);
  g_assert_false (first->queued);
  g_assert_cmpstr (first->via, ==, "team:round_robin");
  g_assert_cmpstr (g_hash_table_lookup (first->cursors, "sales"), ==, "ana");
  g_assert_cmpint (first->reassign_due_at, ==, fixture->input.now_ms + 5 * 60 * 1000);

  /* the cursor moves on, as routing moves it */
  g_hash_table_insert (fixture->cursors, g_strdup ("sales"), g_strdup ("ana"));
  fixture->input.team_id = "sales";
  next = baton_route_to_team (&fixture->input, "sales");
  next_who = assignees (next);
  g_assert_cmpstr (next_who, ==, "ben");
  g_assert_false (next->team_changed);

  /* a member who let this conversation lapse is skipped */
  g_hash_table_remove (fixture->cursors, "sales");
  fixture->input.excluded = lapsed;
  skipped = baton_route_to_team (&fixture->input, "sales");
  skipped_who = assignees (skipped);
  g_assert_cmpstr (skipped_who, ==, "ana");

  /* least busy keeps its cursor too, and picks the least loaded */
  cleo->load = 2;
  busy = baton_route_to_team (&fixture->input, "support");
  busy_who = assignees (busy);
  g_assert_cmpstr (busy_who, ==, "dev");
  g_assert_cmpstr (g_hash_table_lookup (busy->cursors, "support"), ==, "dev");
  g_assert_cmpint (busy->reassign_due_at, ==, 0);

  /* nobody eligible: queued with the team */
  cleo->online = FALSE;
  dev->online = FALSE;
  queued = baton_route_to_team (&fixture->input, "support");
  g_assert_true (queued->queued);
  g_assert_cmpstr (queued->team_id, ==, "support");
  g_assert_cmpuint (queued->assign->len, ==, 0);
  g_assert_cmpuint (g_hash_table_size (queued->cursors), ==, 0);
}

static void
test_unvalidated_steps (Fixture       *fixture,
                        gconstpointer  data)
{
  wrong_types_foreach ("sales", route_raw_steps, fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/router/nothing", test_nothing);
  ADD ("/router/unvalidated-steps", test_unvalidated_steps);
  ADD ("/router/owners-stay-involved", test_owners_stay_involved);
  ADD ("/router/first-flow-only", test_first_flow_only);
  ADD ("/router/flow-trigger-filters", test_flow_trigger_filters);
  ADD ("/router/tags-add-and-replace", test_tags_add_and_replace);
  ADD ("/router/kept-team-on-reopen", test_kept_team_on_reopen);
  ADD ("/router/reopen-with-assignees", test_reopen_with_assignees_kept);
  ADD ("/router/channel-default-team", test_channel_default_team);
  ADD ("/router/channel-default-user", test_channel_default_user);
  ADD ("/router/reassign-timer", test_reassign_timer);
  ADD ("/router/unassign-close-message", test_unassign_close_message);
  ADD ("/router/route-to-team", test_route_to_team);
#undef ADD

  return g_test_run ();
}
