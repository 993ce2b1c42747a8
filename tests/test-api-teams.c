/* test-api-teams.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-test-helpers.h"

static BatonTestServer *server;

static char *
team_path (JsonNode *team)
{
  return g_strdup_printf ("/api/v1/teams/%s", baton_test_get_string (team, "id"));
}

static gboolean
is_null (JsonNode   *node,
         const char *member)
{
  JsonNode *value = json_object_get_member (json_node_get_object (node), member);

  g_assert_nonnull (value);
  return JSON_NODE_HOLDS_NULL (value);
}

static guint
count_teams (void)
{
  g_autoptr(JsonNode) list = baton_test_expect (server, "GET", "/api/v1/teams",
                                                server->manager_token, NULL, 200, NULL);

  return json_array_get_length (baton_test_items (list));
}

static void
test_create_defaults (void)
{
  g_autofree char *ana = baton_test_new_agent (server, "Ana Team", "agent", NULL);
  g_autofree char *ben = baton_test_new_agent (server, "Ben Team", "agent", NULL);
  g_autofree char *body = baton_test_strdup_printf_json ("{\"name\":\"Support\","
                                                         "\"strategy\":\"round_robin\","
                                                         "\"member_ids\":[%s,%s]}", ana, ben);
  g_autoptr(JsonNode) team = baton_test_expect (server, "POST", "/api/v1/teams",
                                                server->manager_token, body, 201, NULL);
  g_autofree char *path = team_path (team);
  g_autoptr(JsonNode) read_back = NULL;
  g_autoptr(JsonNode) list = NULL;

  g_assert_nonnull (baton_test_get_string (team, "id"));
  g_assert_cmpstr (baton_test_get_string (team, "name"), ==, "Support");
  g_assert_cmpstr (baton_test_get_string (team, "strategy"), ==, "round_robin");
  baton_test_assert_strings (team, "member_ids", ana, ben, NULL);
  /* only_online defaults to true; the optional settings to null. */
  g_assert_true (json_object_get_boolean_member (json_node_get_object (team), "only_online"));
  g_assert_true (is_null (team, "default_user_id"));
  g_assert_true (is_null (team, "backup_user_id"));
  g_assert_true (is_null (team, "max_active_per_agent"));
  g_assert_true (is_null (team, "reassign_after_minutes"));
  g_assert_nonnull (baton_test_get_string (team, "created_at"));
  g_assert_nonnull (baton_test_get_string (team, "updated_at"));

  read_back = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  g_assert_true (json_node_equal (team, read_back));

  list = baton_test_expect (server, "GET", "/api/v1/teams", server->manager_token, NULL, 200,
                            NULL);
  {
    JsonArray *items = json_object_get_array_member (json_node_get_object (list), "items");
    gboolean found = FALSE;

    for (guint i = 0; i < json_array_get_length (items); i++)
      if (json_node_equal (json_array_get_element (items, i), team))
        found = TRUE;
    g_assert_true (found);
  }

  /* A team may start empty. */
  {
    g_autoptr(JsonNode) empty = baton_test_expect (server, "POST", "/api/v1/teams",
                                                   server->manager_token,
                                                   "{\"name\":\"Empty\","
                                                   "\"strategy\":\"least_busy\"}", 201, NULL);

    baton_test_assert_strings (empty, "member_ids", NULL);
    g_assert_cmpstr (baton_test_get_string (empty, "strategy"), ==, "least_busy");
  }
}

static void
test_member_order (void)
{
  g_autofree char *a = baton_test_new_agent (server, "Order A", "agent", NULL);
  g_autofree char *b = baton_test_new_agent (server, "Order B", "agent", NULL);
  g_autofree char *c = baton_test_new_agent (server, "Order C", "agent", NULL);
  g_autofree char *d = baton_test_new_agent (server, "Order D", "agent", NULL);
  g_autofree char *body = baton_test_strdup_printf_json ("{\"name\":\"Ordered\","
                                                         "\"strategy\":\"round_robin\","
                                                         "\"member_ids\":[%s,%s,%s]}", c, a, b);
  g_autoptr(JsonNode) team = baton_test_expect (server, "POST", "/api/v1/teams",
                                                server->manager_token, body, 201, NULL);
  g_autofree char *path = team_path (team);
  g_autofree char *reorder = baton_test_strdup_printf_json ("{\"member_ids\":[%s,%s,%s,%s]}",
                                                            b, d, c, a);
  g_autoptr(JsonNode) patched = NULL;
  g_autoptr(JsonNode) read_back = NULL;

  baton_test_assert_strings (team, "member_ids", c, a, b, NULL);
  patched = baton_test_expect (server, "PATCH", path, server->manager_token, reorder, 200, NULL);
  baton_test_assert_strings (patched, "member_ids", b, d, c, a, NULL);
  read_back = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  baton_test_assert_strings (read_back, "member_ids", b, d, c, a, NULL);

  /* Appending keeps everyone else in place. */
  g_clear_pointer (&patched, json_node_unref);
  g_clear_pointer (&reorder, g_free);
  reorder = baton_test_strdup_printf_json ("{\"member_ids\":[%s,%s,%s]}", b, c, a);
  patched = baton_test_expect (server, "PATCH", path, server->manager_token, reorder, 200, NULL);
  baton_test_assert_strings (patched, "member_ids", b, c, a, NULL);
  g_clear_pointer (&patched, json_node_unref);
  patched = baton_test_expect (server, "PATCH", path, server->manager_token,
                               "{\"member_ids\":[]}", 200, NULL);
  baton_test_assert_strings (patched, "member_ids", NULL);
}

static void
test_create_validation (void)
{
  g_autofree char *ana = baton_test_new_agent (server, "Val Ana", "agent", NULL);
  g_autofree char *ben = baton_test_new_agent (server, "Val Ben", "agent", NULL);
  g_autofree char *outsider = baton_test_new_agent (server, "Val Outsider", "agent", NULL);
  g_autofree char *long_name = g_strnfill (201, 't');
  g_autofree char *body = NULL;
  guint before = count_teams ();

#define TEAM_INVALID(field, ...) \
  G_STMT_START { \
    g_autofree char *json = baton_test_strdup_printf_json (__VA_ARGS__); \
    baton_test_expect_invalid (server, "POST", "/api/v1/teams", json, field); \
  } G_STMT_END

  /* name */
  TEAM_INVALID ("name", "{\"strategy\":\"round_robin\"}");
  TEAM_INVALID ("name", "{\"name\":\"\",\"strategy\":\"round_robin\"}");
  TEAM_INVALID ("name", "{\"name\":%s,\"strategy\":\"round_robin\"}", long_name);
  TEAM_INVALID ("name", "{\"name\":7,\"strategy\":\"round_robin\"}");

  /* strategy */
  TEAM_INVALID ("strategy", "{\"name\":\"T\",\"strategy\":\"random\"}");
  TEAM_INVALID ("strategy", "{\"name\":\"T\",\"strategy\":\"Round_Robin\"}");

  /* default_user: required with that strategy, and a member */
  TEAM_INVALID ("default_user_id", "{\"name\":\"T\",\"strategy\":\"default_user\","
                "\"member_ids\":[%s]}", ana);
  TEAM_INVALID ("default_user_id", "{\"name\":\"T\",\"strategy\":\"default_user\","
                "\"member_ids\":[%s],\"default_user_id\":null}", ana);
  TEAM_INVALID ("default_user_id", "{\"name\":\"T\",\"strategy\":\"default_user\","
                "\"member_ids\":[%s],\"default_user_id\":%s}", ana, outsider);
  TEAM_INVALID ("default_user_id", "{\"name\":\"T\",\"strategy\":\"default_user\","
                "\"member_ids\":[%s],\"default_user_id\":\"agt_nobody\"}", ana);

  /* backup: a member */
  TEAM_INVALID ("backup_user_id", "{\"name\":\"T\",\"strategy\":\"default_user\","
                "\"member_ids\":[%s,%s],\"default_user_id\":%s,\"backup_user_id\":%s}",
                ana, ben, ana, outsider);

  /* reassign_after_minutes: 1..10080, and only for round_robin / least_busy */
  TEAM_INVALID ("reassign_after_minutes", "{\"name\":\"T\",\"strategy\":\"default_user\","
                "\"member_ids\":[%s],\"default_user_id\":%s,\"reassign_after_minutes\":5}",
                ana, ana);
  TEAM_INVALID ("reassign_after_minutes", "{\"name\":\"T\",\"strategy\":\"round_robin\","
                "\"reassign_after_minutes\":0}");
  TEAM_INVALID ("reassign_after_minutes", "{\"name\":\"T\",\"strategy\":\"least_busy\","
                "\"reassign_after_minutes\":10081}");
  TEAM_INVALID ("reassign_after_minutes", "{\"name\":\"T\",\"strategy\":\"round_robin\","
                "\"reassign_after_minutes\":-5}");
  TEAM_INVALID ("reassign_after_minutes", "{\"name\":\"T\",\"strategy\":\"round_robin\","
                "\"reassign_after_minutes\":\"10\"}");

  /* max_active_per_agent: positive or null */
  TEAM_INVALID ("max_active_per_agent", "{\"name\":\"T\",\"strategy\":\"round_robin\","
                "\"max_active_per_agent\":0}");
  TEAM_INVALID ("max_active_per_agent", "{\"name\":\"T\",\"strategy\":\"round_robin\","
                "\"max_active_per_agent\":-1}");
  TEAM_INVALID ("max_active_per_agent", "{\"name\":\"T\",\"strategy\":\"round_robin\","
                "\"max_active_per_agent\":2.5}");

  /* member_ids: known agents, each once */
  TEAM_INVALID ("member_ids[1]", "{\"name\":\"T\",\"strategy\":\"round_robin\","
                "\"member_ids\":[%s,\"agt_unknown\",%s]}", ana, ben);
  TEAM_INVALID ("member_ids[0]", "{\"name\":\"T\",\"strategy\":\"round_robin\","
                "\"member_ids\":[\"agt_unknown\"]}");
  TEAM_INVALID ("member_ids[2]", "{\"name\":\"T\",\"strategy\":\"round_robin\","
                "\"member_ids\":[%s,%s,%s]}", ana, ben, ana);
  TEAM_INVALID ("member_ids[1]", "{\"name\":\"T\",\"strategy\":\"round_robin\","
                "\"member_ids\":[%s,12]}", ana);
  TEAM_INVALID ("member_ids", "{\"name\":\"T\",\"strategy\":\"round_robin\","
                "\"member_ids\":%s}", ana);

  /* only_online */
  TEAM_INVALID ("only_online", "{\"name\":\"T\",\"strategy\":\"round_robin\","
                "\"only_online\":\"yes\"}");
  TEAM_INVALID ("only_online", "{\"name\":\"T\",\"strategy\":\"round_robin\","
                "\"only_online\":null}");

#undef TEAM_INVALID

  g_assert_cmpuint (count_teams (), ==, before);

  /* The boundaries themselves are accepted. */
  body = baton_test_strdup_printf_json ("{\"name\":\"Edges\",\"strategy\":\"round_robin\","
                                        "\"member_ids\":[%s],\"reassign_after_minutes\":10080,"
                                        "\"max_active_per_agent\":1,\"only_online\":false}", ana);
  {
    g_autoptr(JsonNode) team = baton_test_expect (server, "POST", "/api/v1/teams",
                                                  server->manager_token, body, 201, NULL);

    g_assert_cmpint (baton_test_get_int (team, "reassign_after_minutes"), ==, 10080);
    g_assert_cmpint (baton_test_get_int (team, "max_active_per_agent"), ==, 1);
    g_assert_false (json_object_get_boolean_member (json_node_get_object (team),
                                                    "only_online"));
  }
  g_clear_pointer (&body, g_free);
  body = baton_test_strdup_printf_json ("{\"name\":\"Quick\",\"strategy\":\"least_busy\","
                                        "\"reassign_after_minutes\":1,"
                                        "\"max_active_per_agent\":null}");
  {
    g_autoptr(JsonNode) team = baton_test_expect (server, "POST", "/api/v1/teams",
                                                  server->manager_token, body, 201, NULL);

    g_assert_cmpint (baton_test_get_int (team, "reassign_after_minutes"), ==, 1);
    g_assert_true (is_null (team, "max_active_per_agent"));
  }
  g_clear_pointer (&body, g_free);
  body = baton_test_strdup_printf_json ("{\"name\":\"Desk\",\"strategy\":\"default_user\","
                                        "\"member_ids\":[%s,%s],\"default_user_id\":%s,"
                                        "\"backup_user_id\":%s,"
                                        "\"reassign_after_minutes\":null}", ana, ben, ben, ana);
  {
    g_autoptr(JsonNode) team = baton_test_expect (server, "POST", "/api/v1/teams",
                                                  server->manager_token, body, 201, NULL);

    g_assert_cmpstr (baton_test_get_string (team, "default_user_id"), ==, ben);
    g_assert_cmpstr (baton_test_get_string (team, "backup_user_id"), ==, ana);
    g_assert_true (is_null (team, "reassign_after_minutes"));
  }
  g_assert_cmpuint (count_teams (), ==, before + 3);
}

static void
test_patch_partial (void)
{
  g_autofree char *ana = baton_test_new_agent (server, "Patch Ana", "agent", NULL);
  g_autofree char *ben = baton_test_new_agent (server, "Patch Ben", "agent", NULL);
  g_autofree char *body = baton_test_strdup_printf_json ("{\"name\":\"Sales\","
                                                         "\"strategy\":\"round_robin\","
                                                         "\"member_ids\":[%s,%s],"
                                                         "\"only_online\":false,"
                                                         "\"max_active_per_agent\":3,"
                                                         "\"reassign_after_minutes\":15}",
                                                         ana, ben);
  g_autoptr(JsonNode) team = baton_test_expect (server, "POST", "/api/v1/teams",
                                                server->manager_token, body, 201, NULL);
  g_autofree char *path = team_path (team);
  g_autoptr(JsonNode) patched = NULL;
  g_autoptr(JsonNode) read_back = NULL;

  /* A new name only. */
  patched = baton_test_expect (server, "PATCH", path, server->manager_token,
                               "{\"name\":\"Sales EMEA\"}", 200, NULL);
  g_assert_cmpstr (baton_test_get_string (patched, "name"), ==, "Sales EMEA");
  g_assert_cmpstr (baton_test_get_string (patched, "strategy"), ==, "round_robin");
  baton_test_assert_strings (patched, "member_ids", ana, ben, NULL);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (patched),
                                                  "only_online"));
  g_assert_cmpint (baton_test_get_int (patched, "max_active_per_agent"), ==, 3);
  g_assert_cmpint (baton_test_get_int (patched, "reassign_after_minutes"), ==, 15);
  g_assert_cmpstr (baton_test_get_string (patched, "id"), ==, baton_test_get_string (team, "id"));
  g_assert_cmpstr (baton_test_get_string (patched, "created_at"), ==,
                   baton_test_get_string (team, "created_at"));

  /* null clears the capacity and leaves the rest. */
  g_clear_pointer (&patched, json_node_unref);
  patched = baton_test_expect (server, "PATCH", path, server->manager_token,
                               "{\"max_active_per_agent\":null}", 200, NULL);
  g_assert_true (is_null (patched, "max_active_per_agent"));
  g_assert_cmpint (baton_test_get_int (patched, "reassign_after_minutes"), ==, 15);
  g_assert_cmpstr (baton_test_get_string (patched, "name"), ==, "Sales EMEA");

  /* The rules hold against the stored fields too: switching to default_user while
   * reassignment is on, or without a default user, is refused. */
  g_clear_pointer (&body, g_free);
  body = baton_test_strdup_printf_json ("{\"strategy\":\"default_user\",\"default_user_id\":%s}",
                                        ana);
  baton_test_expect_invalid (server, "PATCH", path, body, "reassign_after_minutes");
  baton_test_expect_invalid (server, "PATCH", path, "{\"strategy\":\"default_user\","
                             "\"reassign_after_minutes\":null}", "default_user_id");
  baton_test_expect_invalid (server, "PATCH", path, "{\"strategy\":\"fastest\"}", "strategy");
  baton_test_expect_invalid (server, "PATCH", path, "{\"max_active_per_agent\":0}",
                             "max_active_per_agent");
  baton_test_expect_invalid (server, "PATCH", path, "{\"reassign_after_minutes\":10081}",
                             "reassign_after_minutes");
  baton_test_expect_invalid (server, "PATCH", path, "{\"name\":\"\"}", "name");
  g_clear_pointer (&body, g_free);
  body = baton_test_strdup_printf_json ("{\"member_ids\":[%s,\"agt_nobody\"]}", ana);
  baton_test_expect_invalid (server, "PATCH", path, body, "member_ids[1]");

  /* None of the refused patches left a trace. */
  read_back = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (read_back, "strategy"), ==, "round_robin");
  g_assert_cmpint (baton_test_get_int (read_back, "reassign_after_minutes"), ==, 15);
  g_assert_true (is_null (read_back, "default_user_id"));
  baton_test_assert_strings (read_back, "member_ids", ana, ben, NULL);
  g_assert_cmpstr (baton_test_get_string (read_back, "name"), ==, "Sales EMEA");

  /* Done in one patch it is fine. */
  g_clear_pointer (&body, g_free);
  body = baton_test_strdup_printf_json ("{\"strategy\":\"default_user\",\"default_user_id\":%s,"
                                        "\"reassign_after_minutes\":null}", ana);
  g_clear_pointer (&patched, json_node_unref);
  patched = baton_test_expect (server, "PATCH", path, server->manager_token, body, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (patched, "strategy"), ==, "default_user");
  g_assert_cmpstr (baton_test_get_string (patched, "default_user_id"), ==, ana);
  g_assert_true (is_null (patched, "reassign_after_minutes"));
  baton_test_assert_strings (patched, "member_ids", ana, ben, NULL);

  /* Reassignment stays off limits for default_user. */
  baton_test_expect_invalid (server, "PATCH", path, "{\"reassign_after_minutes\":30}",
                             "reassign_after_minutes");
  /* The default user must stay a member; the backup must be one. */
  g_clear_pointer (&body, g_free);
  body = baton_test_strdup_printf_json ("{\"member_ids\":[%s]}", ben);
  baton_test_expect_invalid (server, "PATCH", path, body, "default_user_id");
  g_clear_pointer (&body, g_free);
  body = baton_test_strdup_printf_json ("{\"backup_user_id\":%s}", server->manager_id);
  baton_test_expect_invalid (server, "PATCH", path, body, "backup_user_id");
  g_clear_pointer (&body, g_free);
  body = baton_test_strdup_printf_json ("{\"backup_user_id\":%s}", ben);
  g_clear_pointer (&patched, json_node_unref);
  patched = baton_test_expect (server, "PATCH", path, server->manager_token, body, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (patched, "backup_user_id"), ==, ben);
  g_assert_cmpstr (baton_test_get_string (patched, "default_user_id"), ==, ana);

  /* only_online flips alone. */
  g_clear_pointer (&patched, json_node_unref);
  patched = baton_test_expect (server, "PATCH", path, server->manager_token,
                               "{\"only_online\":true}", 200, NULL);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (patched),
                                                 "only_online"));
  g_assert_cmpstr (baton_test_get_string (patched, "backup_user_id"), ==, ben);
  g_assert_cmpstr (baton_test_get_string (patched, "name"), ==, "Sales EMEA");

  /* Back to round robin with a timeout. */
  g_clear_pointer (&patched, json_node_unref);
  patched = baton_test_expect (server, "PATCH", path, server->manager_token,
                               "{\"strategy\":\"least_busy\",\"reassign_after_minutes\":45}",
                               200, NULL);
  g_assert_cmpstr (baton_test_get_string (patched, "strategy"), ==, "least_busy");
  g_assert_cmpint (baton_test_get_int (patched, "reassign_after_minutes"), ==, 45);

  {
    g_autoptr(JsonNode) unknown = baton_test_expect (server, "PATCH",
                                                     "/api/v1/teams/tem_missing",
                                                     server->manager_token,
                                                     "{\"name\":\"X\"}", 404, "not_found");
  }
}

static void
test_delete (void)
{
  g_autofree char *secret = NULL;
  g_autoptr(JsonNode) team = baton_test_expect (server, "POST", "/api/v1/teams",
                                                server->manager_token,
                                                "{\"name\":\"Doomed\","
                                                "\"strategy\":\"round_robin\"}", 201, NULL);
  g_autofree char *path = team_path (team);
  const char *team_id = baton_test_get_string (team, "id");
  g_autofree char *extra = g_strdup_printf ("\"default_team_id\":\"%s\"", team_id);
  g_autofree char *channel = baton_test_create_channel (server, extra, &secret);
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *conversation_id = NULL;
  g_autofree char *conversation_path = NULL;
  g_autofree char *other_phone = baton_test_new_phone ();
  g_autofree char *other_channel = NULL;
  g_autofree char *other_secret = NULL;
  g_autofree char *handed = NULL;
  g_autofree char *handed_path = NULL;
  g_autofree char *assignment = g_strdup_printf ("{\"team_id\":\"%s\"}", team_id);
  g_autoptr(JsonNode) node = NULL;
  gint64 version = 0;

  /* One conversation gets the team from its channel, another by hand. */
  conversation_id = baton_test_inbound (server, channel, secret, phone, "Hello");
  conversation_path = g_strdup_printf ("/api/v1/conversations/%s", conversation_id);
  node = baton_test_expect (server, "GET", conversation_path, server->manager_token, NULL, 200,
                            NULL);
  g_assert_cmpstr (baton_test_get_string (node, "team_id"), ==, team_id);
  version = baton_test_get_int (node, "version");
  g_clear_pointer (&node, json_node_unref);

  other_channel = baton_test_create_channel (server, NULL, &other_secret);
  handed = baton_test_inbound (server, other_channel, other_secret, other_phone, "Hi");
  handed_path = g_strdup_printf ("/api/v1/conversations/%s/assignment", handed);
  node = baton_test_expect (server, "PUT", handed_path, server->manager_token, assignment, 200,
                            NULL);
  g_assert_cmpstr (baton_test_get_string (node, "team_id"), ==, team_id);
  g_clear_pointer (&node, json_node_unref);

  node = baton_test_expect (server, "DELETE", path, server->manager_token, NULL, 204, NULL);
  g_assert_null (node);
  node = baton_test_expect (server, "GET", path, server->manager_token, NULL, 404, "not_found");
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "DELETE", path, server->manager_token, NULL, 404,
                            "not_found");
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "PATCH", path, server->manager_token, "{\"name\":\"Back\"}",
                            404, "not_found");
  g_clear_pointer (&node, json_node_unref);

  node = baton_test_expect (server, "GET", "/api/v1/teams", server->manager_token, NULL, 200,
                            NULL);
  {
    JsonArray *items = json_object_get_array_member (json_node_get_object (node), "items");

    for (guint i = 0; i < json_array_get_length (items); i++)
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, i),
                                                      "id"), !=, team_id);
  }
  g_clear_pointer (&node, json_node_unref);

  /* Its conversations lose the team, and say so by a new version. */
  node = baton_test_expect (server, "GET", conversation_path, server->manager_token, NULL, 200,
                            NULL);
  g_assert_true (is_null (node, "team_id"));
  g_assert_cmpint (baton_test_get_int (node, "version"), >, version);
  g_clear_pointer (&node, json_node_unref);
  {
    g_autofree char *get_path = g_strdup_printf ("/api/v1/conversations/%s", handed);

    node = baton_test_expect (server, "GET", get_path, server->manager_token, NULL, 200, NULL);
    g_assert_true (is_null (node, "team_id"));
    g_clear_pointer (&node, json_node_unref);
  }

  /* The channel no longer points at it. */
  node = baton_test_expect (server, "GET", "/api/v1/channels", server->manager_token, NULL, 200,
                            NULL);
  {
    JsonArray *items = json_object_get_array_member (json_node_get_object (node), "items");
    gboolean found = FALSE;

    for (guint i = 0; i < json_array_get_length (items); i++)
      {
        JsonObject *item = json_array_get_object_element (items, i);

        if (g_str_equal (json_object_get_string_member (item, "id"), channel))
          {
            g_assert_true (json_object_get_null_member (item, "default_team_id"));
            found = TRUE;
          }
      }
    g_assert_true (found);
  }
}

static void
test_permissions (void)
{
  baton_test_assert_manager_only (server, "teams",
                                  "{\"name\":\"Guarded\",\"strategy\":\"round_robin\"}");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  server = baton_test_server_new (NULL, NULL);

  g_test_add_func ("/teams/create-defaults", test_create_defaults);
  g_test_add_func ("/teams/member-order", test_member_order);
  g_test_add_func ("/teams/create-validation", test_create_validation);
  g_test_add_func ("/teams/patch-partial", test_patch_partial);
  g_test_add_func ("/teams/delete", test_delete);
  g_test_add_func ("/teams/permissions", test_permissions);

  return baton_test_run (server);
}
