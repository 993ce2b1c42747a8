/* test-api-flow-test.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-test-helpers.h"
#include "flow-wrong-types.h"

/* POST /api/v1/flows/test: a flow's dry run, through real HTTP. */

static BatonTestServer *server;
static guint serial;

#define FLOWS_TEST "/api/v1/flows/test"

static char *
new_team (const char *strategy,
          const char *first_member,
          const char *second_member)
{
  g_autofree char *name = g_strdup_printf ("Trial team %u", ++serial);
  g_autofree char *body = baton_test_strdup_printf_json (
    "{\"name\":%s,\"strategy\":%s,\"only_online\":false,\"member_ids\":[%s,%s]}",
    name, strategy, first_member, second_member);

  return baton_test_create (server, "/api/v1/teams", body);
}

static JsonNode *
dry_run (const char *body)
{
  return baton_test_expect (server, "POST", FLOWS_TEST, server->manager_token, body, 200, NULL);
}

/* The VIP flow of the issue, given whole (not saved): tagged customers go to a team that
 * picks the least busy member and get a reply; the others go to one agent, and it closes. */
static char *
vip_flow (const char *team,
          const char *agent)
{
  return baton_test_strdup_printf_json (
    "{\"name\":\"VIP\",\"trigger\":{\"on\":\"conversation.created\"},\"steps\":["
    "{\"type\":\"condition\",\"match\":\"all\",\"conditions\":["
    " {\"field\":\"contact.tags\",\"op\":\"includes\",\"value\":\"vip\"},"
    " {\"field\":\"message.text\",\"op\":\"contains\",\"value\":\"order\"}],"
    " \"then\":[{\"type\":\"assign_team\",\"team_id\":%s,\"conversation_tags\":[\"vip\"],"
    "            \"add_tags\":false},"
    "           {\"type\":\"send_message\",\"body\":\"A VIP agent is on it\"}],"
    " \"else\":[{\"type\":\"assign_user\",\"user_id\":%s},{\"type\":\"close\"},"
    "           {\"type\":\"update_contact\",\"add_tags\":[\"seen\"],"
    "            \"set_fields\":{\"plan\":\"basic\"}}]}]}",
    team, agent);
}

static void
test_trace (void)
{
  g_autofree char *ana = baton_test_new_agent (server, "Ana Lopez", "agent", NULL);
  g_autofree char *bo = baton_test_new_agent (server, "Bo Chen", "agent", NULL);
  g_autofree char *team = new_team ("least_busy", ana, bo);
  g_autofree char *flow = vip_flow (team, bo);
  g_autofree char *vip = g_strdup_printf (
    "{\"flow\":%s,\"sample\":{\"text\":\"Where is my ORDER?\","
    "\"contact\":{\"tags\":[\"VIP\"]}}}", flow);
  g_autofree char *plain = g_strdup_printf (
    "{\"flow\":%s,\"sample\":{\"text\":\"Where is my order?\",\"contact\":null}}", flow);
  g_autoptr(JsonNode) answer = dry_run (vip);
  g_autoptr(JsonNode) other = NULL;

  g_assert_true (json_object_get_null_member (json_node_get_object (answer), "flow_id"));
  g_assert_true (baton_test_get_bool (answer, "trigger.matched"));
  g_assert_cmpstr (baton_test_get_string (answer, "trigger.event"), ==, "conversation.created");
  g_assert_cmpint (baton_test_get_int (answer, "steps.#"), ==, 3);
  g_assert_cmpstr (baton_test_get_string (answer, "steps.0.path"), ==, "steps[0]");
  g_assert_cmpstr (baton_test_get_string (answer, "steps.0.type"), ==, "condition");
  g_assert_cmpstr (baton_test_get_string (answer, "steps.0.branch"), ==, "then");
  g_assert_true (baton_test_get_bool (answer, "steps.0.held"));
  g_assert_cmpstr (baton_test_get_string (answer, "steps.0.conditions.1.path"), ==,
                   "steps[0].conditions[1]");
  g_assert_cmpstr (baton_test_get_string (answer, "steps.0.conditions.0.field"), ==,
                   "contact.tags");
  g_assert_true (baton_test_get_bool (answer, "steps.0.conditions.0.held"));
  g_assert_true (baton_test_get_bool (answer, "steps.0.conditions.1.held"));
  g_assert_cmpstr (baton_test_get_string (answer, "steps.1.path"), ==, "steps[0].then[0]");
  g_assert_cmpstr (baton_test_get_string (answer, "steps.1.type"), ==, "assign_team");
  g_assert_cmpstr (baton_test_get_string (answer, "steps.1.team.id"), ==, team);
  g_assert_cmpstr (baton_test_get_string (answer, "steps.1.team.strategy"), ==, "least_busy");
  g_assert_cmpstr (baton_test_get_string (answer, "steps.1.agent.name"), ==, "Ana Lopez");
  g_assert_false (baton_test_get_bool (answer, "steps.1.queued"));
  g_assert_false (baton_test_get_bool (answer, "steps.1.add_tags"));
  baton_test_assert_strings (answer, "steps.1.conversation_tags", "vip", NULL);
  g_assert_cmpstr (baton_test_get_string (answer, "steps.2.path"), ==, "steps[0].then[1]");
  g_assert_cmpstr (baton_test_get_string (answer, "steps.2.body"), ==, "A VIP agent is on it");

  /* no tag: the first condition fails (both are told) and else runs */
  other = dry_run (plain);
  g_assert_cmpint (baton_test_get_int (other, "steps.#"), ==, 4);
  g_assert_cmpstr (baton_test_get_string (other, "steps.0.branch"), ==, "else");
  g_assert_false (baton_test_get_bool (other, "steps.0.conditions.0.held"));
  g_assert_true (baton_test_get_bool (other, "steps.0.conditions.1.held"));
  g_assert_cmpstr (baton_test_get_string (other, "steps.1.path"), ==, "steps[0].else[0]");
  g_assert_cmpstr (baton_test_get_string (other, "steps.1.agent.id"), ==, bo);
  g_assert_false (baton_test_get_bool (other, "steps.1.agent.online"));
  g_assert_false (baton_test_get_bool (other, "steps.1.eligible"));
  g_assert_cmpstr (baton_test_get_string (other, "steps.2.type"), ==, "close");
  g_assert_cmpstr (baton_test_get_string (other, "steps.3.type"), ==, "update_contact");
  baton_test_assert_strings (other, "steps.3.add_tags", "seen", NULL);
  g_assert_cmpstr (baton_test_get_string (other, "steps.3.set_fields.plan"), ==, "basic");
}

static guint
count_items (const char *path)
{
  g_autoptr(JsonNode) list = baton_test_get (server, "%s", path);

  return json_array_get_length (baton_test_items (list));
}

/* The round robin's next pick as a dry run tells it, for a saved flow on that channel. */
static char *
predicted_pick (const char *flow_id,
                const char *channel)
{
  g_autofree char *body = baton_test_strdup_printf_json (
    "{\"flow_id\":%s,\"sample\":{\"text\":\"hi\",\"channel_id\":%s}}", flow_id, channel);
  g_autoptr(JsonNode) answer = dry_run (body);

  g_assert_true (baton_test_get_bool (answer, "trigger.matched"));
  g_assert_cmpstr (baton_test_get_string (answer, "steps.0.type"), ==, "assign_team");
  return g_strdup (baton_test_get_string (answer, "steps.0.agent.id"));
}

/* Nothing is written: no conversation, contact or event, and the round robin's cursor stays
 * where it was, so that the next real conversation goes to the agent the dry run named. */
static void
test_nothing_written (void)
{
  g_autofree char *ana = baton_test_new_agent (server, "Ana Round", "agent", NULL);
  g_autofree char *bo = baton_test_new_agent (server, "Bo Round", "agent", NULL);
  g_autofree char *team = new_team ("round_robin", ana, bo);
  g_autofree char *secret = NULL;
  g_autofree char *channel = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *flow_body = baton_test_strdup_printf_json (
    "{\"name\":\"Round\",\"trigger\":{\"on\":\"conversation.created\",\"channel_ids\":[%s]},"
    "\"steps\":[{\"type\":\"assign_team\",\"team_id\":%s,\"conversation_tags\":[\"tried\"]},"
    "{\"type\":\"send_message\",\"body\":\"Hello\"}]}", channel, team);
  g_autofree char *flow_id = baton_test_create (server, "/api/v1/flows", flow_body);
  BatonTestStream *stream = baton_test_stream_open (server, server->manager_token,
                                                              NULL, NULL);
  g_autoptr(GPtrArray) frames = NULL;
  g_autoptr(JsonObject) online = NULL;
  gint64 seq = 0;
  guint conversations = 0;
  guint contacts = 0;
  g_autofree char *first = NULL;
  g_autofree char *again = NULL;
  g_autofree char *conversation = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *next = NULL;
  g_autoptr(JsonNode) routed = NULL;

  /* the manager's stream makes them online: that event goes first */
  online = baton_test_stream_wait (stream, "agent.updated", NULL, 10000);
  g_assert_nonnull (online);
  seq = baton_test_current_seq (server);
  conversations = count_items ("/api/v1/conversations?limit=100");
  contacts = count_items ("/api/v1/contacts?limit=100");
  first = predicted_pick (flow_id, channel);
  again = predicted_pick (flow_id, channel);
  g_assert_cmpstr (first, ==, again);
  g_assert_cmpint (baton_test_current_seq (server), ==, seq);
  g_assert_cmpuint (count_items ("/api/v1/conversations?limit=100"), ==, conversations);
  g_assert_cmpuint (count_items ("/api/v1/contacts?limit=100"), ==, contacts);
  baton_test_set_barrier (server);
  frames = baton_test_read_until_barrier (server, stream);
  g_assert_cmpuint (frames->len, ==, 1);
  baton_test_stream_close (stream);

  phone = baton_test_new_phone ();
  conversation = baton_test_customer_writes (server, channel, secret, phone, NULL, "hi");
  routed = baton_test_get_conversation (server, conversation);
  baton_test_assert_strings (routed, "assignee_ids", first, NULL);
  /* the real pick moved the cursor, and the dry run reads it */
  next = predicted_pick (flow_id, channel);
  g_assert_cmpstr (next, !=, first);
}

/* A contact named by id lends its tags and fields and whether it is returning; the sample's
 * own contact and is_returning override them. */
static void
test_contact (void)
{
  g_autofree char *secret = NULL;
  g_autofree char *channel = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *conversation = baton_test_customer_writes (server, channel, secret, phone,
                                                              NULL, "hello");
  g_autofree char *contact = baton_test_contact_of (server, conversation);
  g_autofree char *patch = g_strdup_printf ("/api/v1/contacts/%s", contact);
  const char *flow = "{\"name\":\"Known\",\"trigger\":{\"on\":\"message.received\"},"
                     "\"steps\":[{\"type\":\"condition\",\"conditions\":["
                     "{\"field\":\"contact.tags\",\"op\":\"includes\",\"value\":\"vip\"},"
                     "{\"field\":\"contact.fields.plan\",\"op\":\"equals\",\"value\":\"gold\"},"
                     "{\"field\":\"contact.is_returning\",\"op\":\"is\",\"value\":true}],"
                     "\"then\":[{\"type\":\"close\"}]}]}";
  g_autofree char *by_id = NULL;
  g_autofree char *body = NULL;
  g_autofree char *overridden = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) other = NULL;

  body = baton_test_strdup_printf_json ("{\"contact_id\":%s}", contact);
  by_id = g_strdup_printf ("{\"flow\":%s,\"sample\":%s}", flow, body);
  answer = baton_test_expect (server, "PATCH", patch, server->manager_token,
                              "{\"tags\":[\"vip\"],\"fields\":{\"plan\":\"gold\"}}", 200, NULL);
  g_clear_pointer (&answer, json_node_unref);
  answer = dry_run (by_id);
  g_assert_true (baton_test_get_bool (answer, "steps.0.held"));
  g_assert_cmpstr (baton_test_get_string (answer, "steps.1.type"), ==, "close");
  /* the event defaults to the flow's own; no tag-added trigger, no tag */
  g_assert_cmpstr (baton_test_get_string (answer, "trigger.event"), ==, "message.received");

  overridden = g_strdup_printf ("{\"flow\":%s,\"sample\":{\"contact_id\":\"%s\","
                                "\"contact\":{\"fields\":{\"plan\":\"silver\"}},"
                                "\"is_returning\":false}}", flow, contact);
  other = dry_run (overridden);
  g_assert_false (baton_test_get_bool (other, "steps.0.held"));
  g_assert_true (baton_test_get_bool (other, "steps.0.conditions.0.held"));
  g_assert_false (baton_test_get_bool (other, "steps.0.conditions.1.held"));
  g_assert_false (baton_test_get_bool (other, "steps.0.conditions.2.held"));
}

/* `at` drives time conditions in the schedule's zone; the trigger's channels and event are
 * matched against the sample's. */
static void
test_time_and_trigger (void)
{
  g_autofree char *schedule = baton_test_create (server, "/api/v1/schedules",
                                                 "{\"name\":\"Paris office\","
                                                 "\"timezone\":\"Europe/Paris\",\"weekly\":["
                                                 "{\"day\":\"mon\",\"from\":\"09:00\","
                                                 "\"to\":\"17:00\"}]}");
  g_autofree char *channel = baton_test_create_channel (server, NULL, NULL);
  g_autofree char *flow = baton_test_strdup_printf_json (
    "{\"name\":\"Hours\",\"trigger\":{\"on\":\"message.received\",\"channel_ids\":[%s]},"
    "\"steps\":[{\"type\":\"condition\",\"conditions\":["
    "{\"field\":\"time\",\"op\":\"within\",\"value\":%s}],"
    "\"then\":[{\"type\":\"close\"}],\"else\":[{\"type\":\"send_message\",\"body\":\"Closed\"}]}"
    "]}", channel, schedule);
  /* Monday 8:30 UTC is 9:30 in Paris (winter): open; 16:30 UTC is 17:30: closed */
  g_autofree char *open = g_strdup_printf (
    "{\"flow\":%s,\"sample\":{\"at\":\"2026-12-07T08:30:00Z\",\"channel_id\":\"%s\"}}",
    flow, channel);
  g_autofree char *closed = g_strdup_printf (
    "{\"flow\":%s,\"sample\":{\"at\":\"2026-12-07T16:30:00Z\",\"event\":\"conversation.created\"}}",
    flow);
  g_autoptr(JsonNode) answer = dry_run (open);
  g_autoptr(JsonNode) other = NULL;

  g_assert_cmpstr (baton_test_get_string (answer, "at"), ==, "2026-12-07T08:30:00.000Z");
  g_assert_true (baton_test_get_bool (answer, "trigger.matched"));
  g_assert_cmpstr (baton_test_get_string (answer, "steps.0.branch"), ==, "then");
  other = dry_run (closed);
  /* another event and no channel: the trigger would not fire, the steps are still told */
  g_assert_false (baton_test_get_bool (other, "trigger.matched"));
  g_assert_cmpstr (baton_test_get_string (other, "steps.0.branch"), ==, "else");
  g_assert_cmpstr (baton_test_get_string (other, "steps.1.body"), ==, "Closed");
}

#define GOOD_FLOW "{\"name\":\"F\",\"trigger\":{\"on\":\"conversation.created\"},\"steps\":[]}"

static void
expect_invalid (const char *body,
                const char *field)
{
  baton_test_expect_invalid (server, "POST", FLOWS_TEST, body, field);
}

/* A good flow with that sample. */
static void
expect_invalid_sample (const char *sample,
                       const char *field)
{
  g_autofree char *body = g_strdup_printf ("{\"flow\":" GOOD_FLOW ",\"sample\":%s}", sample);

  expect_invalid (body, field);
}

/* The flow is validated as POST /flows validates it, with the same error paths; the sample's
 * members are named inside sample. */
static void
test_bad_flow (void)
{
  const char *bad_step = "{\"name\":\"F\",\"trigger\":{\"on\":\"conversation.created\"},"
                         "\"steps\":[{\"type\":\"condition\",\"conditions\":["
                         "{\"field\":\"contact.tags\",\"op\":\"includes\",\"value\":\"vip\"}],"
                         "\"then\":[{\"type\":\"assign_team\",\"team_id\":\"tem_gone\"}]}]}";
  g_autofree char *body = g_strdup_printf ("{\"flow\":%s,\"sample\":{}}", bad_step);

  baton_test_expect_invalid (server, "POST", "/api/v1/flows", bad_step,
                             "steps[0].then[0].team_id");
  expect_invalid (body, "steps[0].then[0].team_id");
  expect_invalid ("{\"flow\":{},\"sample\":{}}", "name");
  expect_invalid ("{\"flow_id\":\"flw_nope\",\"sample\":{}}", "flow_id");
  expect_invalid ("{\"sample\":{}}", "flow");
  expect_invalid ("{\"flow\":" GOOD_FLOW ",\"flow_id\":\"flw_x\",\"sample\":{}}", "flow");
  expect_invalid ("{\"flow\":" GOOD_FLOW "}", "sample");
}

static void
test_bad_sample (void)
{
  expect_invalid_sample ("{\"at\":\"yesterday\"}", "sample.at");
  expect_invalid_sample ("{\"channel_id\":\"chn_x\"}", "sample.channel_id");
  expect_invalid_sample ("{\"contact_id\":\"cnt_x\"}", "sample.contact_id");
  expect_invalid_sample ("{\"event\":\"tick\"}", "sample.event");
  expect_invalid_sample ("{\"text\":5}", "sample.text");
  expect_invalid_sample ("{\"referral\":\"yes\"}", "sample.referral");
  expect_invalid_sample ("{\"is_returning\":1}", "sample.is_returning");
  expect_invalid_sample ("{\"contact\":{\"tags\":[\"\"]}}", "sample.contact.tags[0]");
  expect_invalid_sample ("{\"contact\":{\"fields\":{\"plan\":1}}}",
                         "sample.contact.fields.plan");
}

static void
expect_wrong_type (const char *flow,
                   const char *field,
                   gpointer    unused)
{
  g_autofree char *body = g_strdup_printf ("{\"flow\":%s,\"sample\":{}}", flow);

  g_test_message ("%s", flow);
  expect_invalid (body, field);
}

/* Every member of another JSON type than it can have is refused on the path POST /flows
 * names (the same cases as its own test). */
static void
test_wrong_types (void)
{
  g_autofree char *team = baton_test_create (server, "/api/v1/teams",
                                             "{\"name\":\"Wrong types\","
                                             "\"strategy\":\"round_robin\"}");

  wrong_types_foreach (team, expect_wrong_type, NULL);
}

/* Malformed and huge bodies are refused as elsewhere; only managers try flows. */
static void
test_refused (void)
{
  g_autofree char *agent_token = NULL;
  g_autofree char *agent = baton_test_new_agent (server, "Not a manager", "agent", &agent_token);
  const char *body = "{\"flow\":" GOOD_FLOW ",\"sample\":{}}";
  g_autoptr(GString) huge = g_string_new ("{\"flow_id\":\"");
  g_autoptr(JsonNode) node = NULL;

  node = baton_test_expect (server, "POST", FLOWS_TEST, server->manager_token, "{\"flow\":",
                            400, "bad_request");
  g_clear_pointer (&node, json_node_unref);
  while (huge->len < 2 * 1024 * 1024)
    g_string_append (huge, "xxxxxxxxxxxxxxxx");
  g_string_append (huge, "\",\"sample\":{}}");
  node = baton_test_expect (server, "POST", FLOWS_TEST, server->manager_token, huge->str, 413,
                            "payload_too_large");
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "POST", FLOWS_TEST, agent_token, body, 403, "forbidden");
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "POST", FLOWS_TEST, NULL, body, 401, "unauthorized");
  g_clear_pointer (&node, json_node_unref);
  node = dry_run (body);
  g_assert_cmpint (baton_test_get_int (node, "steps.#"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  server = baton_test_server_new (NULL, NULL);

  g_test_add_func ("/flow-test/trace", test_trace);
  g_test_add_func ("/flow-test/nothing-written", test_nothing_written);
  g_test_add_func ("/flow-test/contact", test_contact);
  g_test_add_func ("/flow-test/time-and-trigger", test_time_and_trigger);
  g_test_add_func ("/flow-test/bad-flow", test_bad_flow);
  g_test_add_func ("/flow-test/bad-sample", test_bad_sample);
  g_test_add_func ("/flow-test/wrong-types", test_wrong_types);
  g_test_add_func ("/flow-test/refused", test_refused);

  return baton_test_run (server);
}
