/* test-api-flows.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-test-helpers.h"
#include "flow-wrong-types.h"

static BatonTestServer *server;
static guint serial;

#define TRIGGER "\"trigger\":{\"on\":\"conversation.created\"}"

static char *
new_team (void)
{
  g_autofree char *body = g_strdup_printf ("{\"name\":\"Flow team %u\","
                                           "\"strategy\":\"round_robin\"}", ++serial);

  return baton_test_create (server, "/api/v1/teams", body);
}

static char *
new_schedule (void)
{
  return baton_test_create (server, "/api/v1/schedules",
                            "{\"name\":\"Office\",\"timezone\":\"Europe/Paris\","
                            "\"weekly\":[{\"day\":\"mon\",\"from\":\"09:00\",\"to\":\"17:00\"}]}");
}

static char *
flow_path (JsonNode *flow)
{
  return g_strdup_printf ("/api/v1/flows/%s", baton_test_get_string (flow, "id"));
}

static JsonNode *
create_flow (const char *body)
{
  return baton_test_expect (server, "POST", "/api/v1/flows", server->manager_token, body, 201,
                            NULL);
}

static JsonNode *
list_flows (const char *token)
{
  g_autoptr(JsonNode) list = baton_test_expect (server, "GET", "/api/v1/flows", token, NULL,
                                                200, NULL);
  JsonNode *next_cursor = json_object_get_member (json_node_get_object (list), "next_cursor");

  g_assert_nonnull (next_cursor);
  g_assert_true (JSON_NODE_HOLDS_NULL (next_cursor));
  return g_steal_pointer (&list);
}

static guint
count_flows (void)
{
  g_autoptr(JsonNode) list = list_flows (server->manager_token);

  return json_array_get_length (baton_test_items (list));
}

static gint64
max_position (void)
{
  g_autoptr(JsonNode) list = list_flows (server->manager_token);
  JsonArray *items = baton_test_items (list);
  gint64 max = -1;

  for (guint i = 0; i < json_array_get_length (items); i++)
    max = MAX (max, json_object_get_int_member (json_array_get_object_element (items, i),
                                                "position"));
  return max;
}

/* The index of the flow with that id in a list, or -1. */
static int
index_of (JsonArray  *items,
          const char *id)
{
  for (guint i = 0; i < json_array_get_length (items); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (items, i),
                                                    "id"), id))
      return (int) i;
  return -1;
}

static void
test_crud (void)
{
  g_autofree char *team = new_team ();
  g_autofree char *agent = baton_test_new_agent (server, "Flow Ana", "agent", NULL);
  g_autofree char *body = baton_test_strdup_printf_json (
    "{\"name\":\"Sales first\",\"position\":3,"
    "\"trigger\":{\"on\":\"message.received\",\"tag\":\"VIP\"},"
    "\"steps\":[{\"type\":\"condition\",\"match\":\"any\",\"conditions\":["
    "{\"field\":\"message.text\",\"op\":\"contains\",\"value\":\"price\"}],"
    "\"then\":[{\"type\":\"assign_team\",\"team_id\":%s,\"conversation_tags\":[\"sales\"],"
    "\"add_tags\":true}],"
    "\"else\":[{\"type\":\"assign_user\",\"user_id\":%s}]},{\"type\":\"close\"}]}",
    team, agent);
  g_autoptr(JsonNode) flow = create_flow (body);
  g_autofree char *path = flow_path (flow);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) patched = NULL;
  JsonObject *object = json_node_get_object (flow);

  g_assert_true (g_str_has_prefix (baton_test_get_string (flow, "id"), "flw_"));
  g_assert_cmpstr (baton_test_get_string (flow, "name"), ==, "Sales first");
  g_assert_true (baton_test_get_bool (flow, "enabled"));
  g_assert_cmpint (baton_test_get_int (flow, "position"), ==, 3);
  g_assert_cmpstr (baton_test_get_string (flow, "trigger.on"), ==, "message.received");
  /* tags are stored lower-case; no channel list means every channel */
  g_assert_cmpstr (baton_test_get_string (flow, "trigger.tag"), ==, "vip");
  g_assert_true (json_object_get_null_member (json_object_get_object_member (object, "trigger"),
                                              "channel_ids"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "steps")), ==,
                    2);
  g_assert_cmpstr (baton_test_get_string (flow, "steps.0.type"), ==, "condition");
  g_assert_cmpstr (baton_test_get_string (flow, "steps.0.then.0.team_id"), ==, team);
  g_assert_cmpstr (baton_test_get_string (flow, "steps.0.else.0.user_id"), ==, agent);
  g_assert_cmpstr (baton_test_get_string (flow, "steps.1.type"), ==, "close");
  g_assert_nonnull (baton_test_get_string (flow, "created_at"));
  g_assert_nonnull (baton_test_get_string (flow, "updated_at"));

  node = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  g_assert_true (json_node_equal (node, flow));
  g_clear_pointer (&node, json_node_unref);
  node = list_flows (server->manager_token);
  g_assert_cmpint (index_of (baton_test_items (node), baton_test_get_string (flow, "id")), >=, 0);
  g_assert_true (json_node_equal (json_array_get_element (baton_test_items (node),
                                                          index_of (baton_test_items (node),
                                                                    baton_test_get_string (
                                                                      flow, "id"))),
                                  flow));
  g_clear_pointer (&node, json_node_unref);

  /* PATCH changes only what it names. */
  patched = baton_test_expect (server, "PATCH", path, server->manager_token,
                               "{\"name\":\"Sales\",\"enabled\":false}", 200, NULL);
  g_assert_cmpstr (baton_test_get_string (patched, "name"), ==, "Sales");
  g_assert_false (baton_test_get_bool (patched, "enabled"));
  g_assert_cmpint (baton_test_get_int (patched, "position"), ==, 3);
  g_assert_cmpstr (baton_test_get_string (patched, "trigger.tag"), ==, "vip");
  g_assert_true (json_node_equal (json_object_get_member (json_node_get_object (patched),
                                                          "steps"),
                                  json_object_get_member (object, "steps")));
  g_assert_cmpstr (baton_test_get_string (patched, "created_at"), ==,
                   baton_test_get_string (flow, "created_at"));
  node = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  g_assert_true (json_node_equal (node, patched));
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&patched, json_node_unref);

  /* New steps and a new trigger replace the old ones whole. */
  patched = baton_test_expect (server, "PATCH", path, server->manager_token,
                               "{\"trigger\":{\"on\":\"conversation.reopened\"},"
                               "\"steps\":[{\"type\":\"unassign\"}]}", 200, NULL);
  g_assert_cmpstr (baton_test_get_string (patched, "trigger.on"), ==, "conversation.reopened");
  g_assert_true (json_object_get_null_member (json_object_get_object_member (
                                                json_node_get_object (patched), "trigger"),
                                              "tag"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                                             json_node_get_object (patched), "steps")), ==, 1);
  g_assert_cmpstr (baton_test_get_string (patched, "steps.0.type"), ==, "unassign");
  g_assert_cmpstr (baton_test_get_string (patched, "name"), ==, "Sales");
  node = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  g_assert_true (json_node_equal (node, patched));
  g_clear_pointer (&node, json_node_unref);

  node = baton_test_expect (server, "DELETE", path, server->manager_token, NULL, 204, NULL);
  g_assert_null (node);
  node = baton_test_expect (server, "GET", path, server->manager_token, NULL, 404, "not_found");
  g_clear_pointer (&node, json_node_unref);
  node = list_flows (server->manager_token);
  g_assert_cmpint (index_of (baton_test_items (node), baton_test_get_string (flow, "id")), ==, -1);
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "DELETE", path, server->manager_token, NULL, 404,
                            "not_found");
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "PATCH", path, server->manager_token, "{\"name\":\"X\"}",
                            404, "not_found");
}

static void
test_create_validation (void)
{
  g_autofree char *team = new_team ();
  g_autofree char *schedule = new_schedule ();
  g_autofree char *channel = baton_test_create_channel (server, NULL, NULL);
  g_autoptr(GString) deep = g_string_new ("{\"name\":\"Deep\"," TRIGGER ",\"steps\":");
  g_autoptr(GString) many = g_string_new ("{\"name\":\"Many\"," TRIGGER ",\"steps\":[");
  g_autoptr(GString) eight = g_string_new ("{\"name\":\"Eight\"," TRIGGER ",\"steps\":");
  g_autoptr(GString) hundred = g_string_new ("{\"name\":\"Hundred\"," TRIGGER ",\"steps\":[");
  g_autoptr(JsonNode) node = NULL;
  guint before = count_flows ();

#define FLOW_INVALID(field, ...) \
  G_STMT_START { \
    g_autofree char *json = baton_test_strdup_printf_json (__VA_ARGS__); \
    baton_test_expect_invalid (server, "POST", "/api/v1/flows", json, field); \
  } G_STMT_END

  FLOW_INVALID ("name", "{" TRIGGER ",\"steps\":[]}");
  FLOW_INVALID ("name", "{\"name\":\"\"," TRIGGER ",\"steps\":[]}");
  FLOW_INVALID ("trigger", "{\"name\":\"F\",\"steps\":[]}");
  FLOW_INVALID ("trigger.on", "{\"name\":\"F\",\"trigger\":{\"on\":\"lunch\"},\"steps\":[]}");
  FLOW_INVALID ("trigger.channel_ids[1]", "{\"name\":\"F\",\"trigger\":{\"on\":"
                "\"message.received\",\"channel_ids\":[%s,\"chn_ghost\"]},\"steps\":[]}",
                channel);
  FLOW_INVALID ("steps", "{\"name\":\"F\"," TRIGGER "}");
  FLOW_INVALID ("position", "{\"name\":\"F\",\"position\":-1," TRIGGER ",\"steps\":[]}");
  /* an unknown team, as the third step */
  FLOW_INVALID ("steps[2].team_id", "{\"name\":\"F\"," TRIGGER ",\"steps\":["
                "{\"type\":\"assign_team\",\"team_id\":%s},{\"type\":\"close\"},"
                "{\"type\":\"assign_team\",\"team_id\":\"tem_ghost\"}]}", team);
  /* an unknown team, nested in a condition */
  FLOW_INVALID ("steps[0].then[0].team_id", "{\"name\":\"F\"," TRIGGER ",\"steps\":["
                "{\"type\":\"condition\",\"conditions\":[{\"field\":\"message.text\","
                "\"op\":\"contains\",\"value\":\"a\"}],"
                "\"then\":[{\"type\":\"assign_team\",\"team_id\":\"tem_ghost\"}]}]}");
  FLOW_INVALID ("steps[0].else[1].user_id", "{\"name\":\"F\"," TRIGGER ",\"steps\":["
                "{\"type\":\"condition\",\"conditions\":[{\"field\":\"message.text\","
                "\"op\":\"contains\",\"value\":\"a\"}],"
                "\"else\":[{\"type\":\"close\"},{\"type\":\"assign_user\","
                "\"user_id\":\"agt_ghost\"}]}]}");
  /* an agent's id names no team */
  FLOW_INVALID ("steps[0].team_id", "{\"name\":\"F\"," TRIGGER ",\"steps\":["
                "{\"type\":\"assign_team\",\"team_id\":%s}]}", server->manager_id);
  FLOW_INVALID ("steps[0].conditions[0].value", "{\"name\":\"F\"," TRIGGER ",\"steps\":["
                "{\"type\":\"condition\",\"conditions\":[{\"field\":\"message.text\","
                "\"op\":\"matches\",\"value\":\"(unclosed\"}]}]}");
  /* a back-reference, and a program beyond 10,000 instructions */
  FLOW_INVALID ("steps[0].conditions[0].value", "{\"name\":\"F\"," TRIGGER ",\"steps\":["
                "{\"type\":\"condition\",\"conditions\":[{\"field\":\"message.text\","
                "\"op\":\"matches\",\"value\":\"(a)\\\\1\"}]}]}");
  FLOW_INVALID ("steps[0].then[0].conditions[1].value", "{\"name\":\"F\"," TRIGGER ","
                "\"steps\":[{\"type\":\"condition\",\"conditions\":[{\"field\":"
                "\"contact.is_returning\",\"op\":\"is\",\"value\":true}],\"then\":["
                "{\"type\":\"condition\",\"conditions\":[{\"field\":\"message.text\","
                "\"op\":\"matches\",\"value\":\"a{9999}\"},{\"field\":\"message.text\","
                "\"op\":\"matches\",\"value\":\"(ab|cd){5000}\"}]}]}]}");
  FLOW_INVALID ("steps[0].conditions[1].value", "{\"name\":\"F\"," TRIGGER ",\"steps\":["
                "{\"type\":\"condition\",\"match\":\"any\",\"conditions\":["
                "{\"field\":\"time\",\"op\":\"within\",\"value\":%s},"
                "{\"field\":\"time\",\"op\":\"outside\",\"value\":\"sch_ghost\"}]}]}",
                schedule);
  FLOW_INVALID ("steps[0].conditions[0].value[0]", "{\"name\":\"F\"," TRIGGER ",\"steps\":["
                "{\"type\":\"condition\",\"conditions\":[{\"field\":\"channel.id\","
                "\"op\":\"in\",\"value\":[\"chn_ghost\"]}]}]}");
  FLOW_INVALID ("steps[0].type", "{\"name\":\"F\"," TRIGGER ",\"steps\":[{\"type\":\"dance\"}]}");
  FLOW_INVALID ("steps[0].body", "{\"name\":\"F\"," TRIGGER ",\"steps\":["
                "{\"type\":\"send_message\",\"body\":\"\"}]}");

  /* Nine nested conditions is one too deep; eight is fine. */
  for (int i = 0; i < 9; i++)
    g_string_append (deep, "[{\"type\":\"condition\",\"conditions\":[{\"field\":"
                           "\"message.text\",\"op\":\"contains\",\"value\":\"x\"}],\"then\":");
  g_string_append (deep, "[]");
  for (int i = 0; i < 9; i++)
    g_string_append (deep, "}]");
  g_string_append (deep, "}");
  baton_test_expect_invalid (
    server, "POST", "/api/v1/flows", deep->str,
    "steps[0].then[0].then[0].then[0].then[0].then[0].then[0].then[0].then[0]");
  for (int i = 0; i < 8; i++)
    g_string_append (eight, "[{\"type\":\"condition\",\"conditions\":[{\"field\":"
                            "\"message.text\",\"op\":\"contains\",\"value\":\"x\"}],\"then\":");
  g_string_append (eight, "[]");
  for (int i = 0; i < 8; i++)
    g_string_append (eight, "}]");
  g_string_append (eight, "}");

  /* 101 steps is one too many; 100 is fine. */
  for (int i = 0; i < 101; i++)
    g_string_append_printf (many, "%s{\"type\":\"close\"}", i ? "," : "");
  g_string_append (many, "]}");
  baton_test_expect_invalid (server, "POST", "/api/v1/flows", many->str, "steps[100]");
  for (int i = 0; i < 100; i++)
    g_string_append_printf (hundred, "%s{\"type\":\"close\"}", i ? "," : "");
  g_string_append (hundred, "]}");

  /* Nothing was stored. */
  g_assert_cmpuint (count_flows (), ==, before);

  node = create_flow (eight->str);
  g_assert_cmpstr (baton_test_get_string (node, "steps.0.then.0.then.0.then.0.then.0.then.0"
                                                ".then.0.then.0.type"), ==, "condition");
  g_clear_pointer (&node, json_node_unref);
  node = create_flow (hundred->str);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                                             json_node_get_object (node), "steps")), ==, 100);
  g_clear_pointer (&node, json_node_unref);
  g_assert_cmpuint (count_flows (), ==, before + 2);

  /* Malformed JSON is 400, not 422. */
  node = baton_test_expect (server, "POST", "/api/v1/flows", server->manager_token,
                            "{\"name\":", 400, "bad_request");
#undef FLOW_INVALID
}

/* A flow that assigns to a new team (its id in *team), for refused changes to leave alone. */
static JsonNode *
new_stable_flow (char **team)
{
  g_autofree char *body = NULL;

  *team = new_team ();
  body = baton_test_strdup_printf_json (
    "{\"name\":\"Stable\"," TRIGGER ",\"steps\":[{\"type\":\"assign_team\",\"team_id\":%s}]}",
    *team);
  return create_flow (body);
}

static void
test_patch_validation (void)
{
  g_autofree char *team = NULL;
  g_autoptr(JsonNode) flow = new_stable_flow (&team);
  g_autofree char *path = flow_path (flow);
  g_autoptr(JsonNode) node = NULL;

  baton_test_expect_invalid (server, "PATCH", path, "{\"name\":\"\"}", "name");
  baton_test_expect_invalid (server, "PATCH", path, "{\"enabled\":\"yes\"}", "enabled");
  baton_test_expect_invalid (server, "PATCH", path, "{\"trigger\":{\"on\":\"never\"}}",
                             "trigger.on");
  baton_test_expect_invalid (server, "PATCH", path,
                             "{\"name\":\"Renamed\",\"steps\":[{\"type\":\"close\"},"
                             "{\"type\":\"close\"},"
                             "{\"type\":\"assign_team\",\"team_id\":\"tem_ghost\"}]}",
                             "steps[2].team_id");
  baton_test_expect_invalid (server, "PATCH", path,
                             "{\"steps\":[{\"type\":\"condition\",\"conditions\":["
                             "{\"field\":\"time\",\"op\":\"within\",\"value\":\"sch_ghost\"}]}]}",
                             "steps[0].conditions[0].value");

  /* Nothing of the refused patches was stored, not even their valid members. */
  node = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  g_assert_true (json_node_equal (node, flow));
}

static void
expect_wrong_type (const char *body,
                   const char *field,
                   gpointer    user_data)
{
  const char *path = user_data;

  g_test_message ("%s", body);
  baton_test_expect_invalid (server, "POST", "/api/v1/flows", body, field);
  baton_test_expect_invalid (server, "PATCH", path, body, field);
}

/* A member of another JSON type than it can have (an array, an object, null, a number or a
 * boolean where something else is expected) is 422 on its path, created or patched, and
 * nothing is stored. */
static void
test_wrong_types (void)
{
  g_autofree char *team = NULL;
  g_autoptr(JsonNode) flow = new_stable_flow (&team);
  g_autofree char *path = flow_path (flow);
  g_autoptr(JsonNode) node = NULL;
  guint before = count_flows ();

  wrong_types_foreach (team, expect_wrong_type, path);
  g_assert_cmpuint (count_flows (), ==, before);
  node = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  g_assert_true (json_node_equal (node, flow));
}

static void
test_order (void)
{
  g_autoptr(JsonNode) late = NULL;
  g_autoptr(JsonNode) early = NULL;
  g_autoptr(JsonNode) middle = NULL;
  g_autoptr(JsonNode) tied = NULL;
  g_autoptr(JsonNode) appended = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *late_path = NULL;
  JsonArray *items = NULL;
  gint64 last = 0;

  late = create_flow ("{\"name\":\"Late\",\"position\":1000," TRIGGER ",\"steps\":[]}");
  early = create_flow ("{\"name\":\"Early\",\"position\":998," TRIGGER ",\"steps\":[]}");
  middle = create_flow ("{\"name\":\"Middle\",\"position\":999," TRIGGER ",\"steps\":[]}");
  tied = create_flow ("{\"name\":\"Tied\",\"position\":999," TRIGGER ",\"steps\":[]}");
  last = max_position ();
  g_assert_cmpint (last, >=, 1000);

  /* Without a position, a flow goes after every other one. */
  appended = create_flow ("{\"name\":\"Appended\"," TRIGGER ",\"steps\":[]}");
  g_assert_cmpint (baton_test_get_int (appended, "position"), ==, last + 1);

  list = list_flows (server->manager_token);
  items = baton_test_items (list);
  g_assert_cmpint (index_of (items, baton_test_get_string (early, "id")), <,
                   index_of (items, baton_test_get_string (middle, "id")));
  g_assert_cmpint (index_of (items, baton_test_get_string (middle, "id")), <,
                   index_of (items, baton_test_get_string (tied, "id")));
  g_assert_cmpint (index_of (items, baton_test_get_string (tied, "id")), <,
                   index_of (items, baton_test_get_string (late, "id")));
  g_assert_cmpint (index_of (items, baton_test_get_string (appended, "id")), ==,
                   (int) json_array_get_length (items) - 1);

  /* The whole list: position, then creation time, then id. */
  for (guint i = 1; i < json_array_get_length (items); i++)
    {
      JsonObject *a = json_array_get_object_element (items, i - 1);
      JsonObject *b = json_array_get_object_element (items, i);
      gint64 pa = json_object_get_int_member (a, "position");
      gint64 pb = json_object_get_int_member (b, "position");
      int by_time = g_strcmp0 (json_object_get_string_member (a, "created_at"),
                               json_object_get_string_member (b, "created_at"));

      g_assert_cmpint (pa, <=, pb);
      if (pa == pb)
        g_assert_true (by_time < 0
                       || (by_time == 0
                           && g_strcmp0 (json_object_get_string_member (a, "id"),
                                         json_object_get_string_member (b, "id")) < 0));
    }

  /* Moving a flow moves it in the list. */
  late_path = flow_path (late);
  node = baton_test_expect (server, "PATCH", late_path, server->manager_token,
                            "{\"position\":997}", 200, NULL);
  g_assert_cmpint (baton_test_get_int (node, "position"), ==, 997);
  g_clear_pointer (&list, json_node_unref);
  list = list_flows (server->manager_token);
  items = baton_test_items (list);
  g_assert_cmpint (index_of (items, baton_test_get_string (late, "id")), <,
                   index_of (items, baton_test_get_string (early, "id")));
}

static void
test_permissions (void)
{
  baton_test_assert_manager_only (server, "flows",
                                  "{\"name\":\"Guarded\"," TRIGGER ",\"steps\":[]}");
}

static void
test_events (void)
{
  baton_test_assert_crud_events (server, "flows", "flow",
                                 "{\"name\":\"Announced\"," TRIGGER ","
                                 "\"steps\":[{\"type\":\"close\"}]}",
                                 "{\"name\":\"Announced again\"}");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  server = baton_test_server_new (NULL, NULL);

  g_test_add_func ("/flows/crud", test_crud);
  g_test_add_func ("/flows/create-validation", test_create_validation);
  g_test_add_func ("/flows/patch-validation", test_patch_validation);
  g_test_add_func ("/flows/wrong-types", test_wrong_types);
  g_test_add_func ("/flows/order", test_order);
  g_test_add_func ("/flows/permissions", test_permissions);
  g_test_add_func ("/flows/events", test_events);

  return baton_test_run (server);
}
