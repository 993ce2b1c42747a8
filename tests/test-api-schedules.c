/* test-api-schedules.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-test-helpers.h"

#define OFFICE \
  "{\"name\":\"Office\",\"timezone\":\"Europe/Paris\",\"weekly\":[" \
  "{\"day\":\"mon\",\"from\":\"09:00\",\"to\":\"17:30\"}," \
  "{\"day\":\"fri\",\"from\":\"22:00\",\"to\":\"02:00\"}]," \
  "\"holidays\":[\"2026-12-25\",\"2026-01-01\"]}"

static BatonTestServer *server;

static char *
schedule_path (JsonNode *schedule)
{
  return g_strdup_printf ("/api/v1/schedules/%s", baton_test_get_string (schedule, "id"));
}

static JsonNode *
create_schedule (const char *body)
{
  return baton_test_expect (server, "POST", "/api/v1/schedules", server->manager_token, body,
                            201, NULL);
}

static JsonNode *
list_schedules (const char *token)
{
  g_autoptr(JsonNode) list = baton_test_expect (server, "GET", "/api/v1/schedules", token,
                                                NULL, 200, NULL);
  JsonNode *next_cursor = json_object_get_member (json_node_get_object (list), "next_cursor");

  g_assert_nonnull (next_cursor);
  g_assert_true (JSON_NODE_HOLDS_NULL (next_cursor));
  return g_steal_pointer (&list);
}

static guint
count_schedules (void)
{
  g_autoptr(JsonNode) list = list_schedules (server->manager_token);

  return json_array_get_length (baton_test_items (list));
}

static JsonNode *
find_in_list (JsonNode   *list,
              const char *id)
{
  JsonArray *items = baton_test_items (list);

  for (guint i = 0; i < json_array_get_length (items); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (items, i),
                                                    "id"), id))
      return json_array_get_element (items, i);
  return NULL;
}

static void
test_crud (void)
{
  g_autoptr(JsonNode) schedule = create_schedule (OFFICE);
  g_autofree char *path = schedule_path (schedule);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) patched = NULL;
  JsonObject *object = json_node_get_object (schedule);

  g_assert_true (g_str_has_prefix (baton_test_get_string (schedule, "id"), "sch_"));
  g_assert_cmpstr (baton_test_get_string (schedule, "name"), ==, "Office");
  g_assert_cmpstr (baton_test_get_string (schedule, "timezone"), ==, "Europe/Paris");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "weekly")), ==,
                    2);
  g_assert_cmpstr (baton_test_get_string (schedule, "weekly.0.day"), ==, "mon");
  g_assert_cmpstr (baton_test_get_string (schedule, "weekly.0.from"), ==, "09:00");
  g_assert_cmpstr (baton_test_get_string (schedule, "weekly.0.to"), ==, "17:30");
  /* an interval past midnight is kept as given */
  g_assert_cmpstr (baton_test_get_string (schedule, "weekly.1.day"), ==, "fri");
  g_assert_cmpstr (baton_test_get_string (schedule, "weekly.1.from"), ==, "22:00");
  g_assert_cmpstr (baton_test_get_string (schedule, "weekly.1.to"), ==, "02:00");
  /* holidays come back sorted */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "holidays")),
                    ==, 2);
  g_assert_cmpstr (baton_test_get_string (schedule, "holidays.0"), ==, "2026-01-01");
  g_assert_cmpstr (baton_test_get_string (schedule, "holidays.1"), ==, "2026-12-25");
  g_assert_nonnull (baton_test_get_string (schedule, "created_at"));
  g_assert_nonnull (baton_test_get_string (schedule, "updated_at"));

  node = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  g_assert_true (json_node_equal (node, schedule));
  g_clear_pointer (&node, json_node_unref);
  node = list_schedules (server->manager_token);
  g_assert_nonnull (find_in_list (node, baton_test_get_string (schedule, "id")));
  g_assert_true (json_node_equal (find_in_list (node, baton_test_get_string (schedule, "id")),
                                  schedule));
  g_clear_pointer (&node, json_node_unref);

  /* Holidays are optional. */
  node = create_schedule ("{\"name\":\"Always closed\",\"timezone\":\"Etc/UTC\","
                          "\"weekly\":[]}");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                                             json_node_get_object (node), "holidays")), ==, 0);
  g_clear_pointer (&node, json_node_unref);

  /* PATCH changes only what it names. */
  patched = baton_test_expect (server, "PATCH", path, server->manager_token,
                               "{\"name\":\"Head office\",\"timezone\":\"America/New_York\"}",
                               200, NULL);
  g_assert_cmpstr (baton_test_get_string (patched, "name"), ==, "Head office");
  g_assert_cmpstr (baton_test_get_string (patched, "timezone"), ==, "America/New_York");
  g_assert_true (json_node_equal (json_object_get_member (json_node_get_object (patched),
                                                          "weekly"),
                                  json_object_get_member (object, "weekly")));
  g_assert_true (json_node_equal (json_object_get_member (json_node_get_object (patched),
                                                          "holidays"),
                                  json_object_get_member (object, "holidays")));
  g_assert_cmpstr (baton_test_get_string (patched, "created_at"), ==,
                   baton_test_get_string (schedule, "created_at"));
  node = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  g_assert_true (json_node_equal (node, patched));
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&patched, json_node_unref);

  patched = baton_test_expect (server, "PATCH", path, server->manager_token,
                               "{\"weekly\":[{\"day\":\"sun\",\"from\":\"00:00\","
                               "\"to\":\"24:00\"}],\"holidays\":[]}", 200, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                                             json_node_get_object (patched), "weekly")), ==, 1);
  g_assert_cmpstr (baton_test_get_string (patched, "weekly.0.day"), ==, "sun");
  g_assert_cmpstr (baton_test_get_string (patched, "weekly.0.to"), ==, "24:00");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                                             json_node_get_object (patched), "holidays")), ==,
                    0);
  g_assert_cmpstr (baton_test_get_string (patched, "name"), ==, "Head office");
  node = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  g_assert_true (json_node_equal (node, patched));
  g_clear_pointer (&node, json_node_unref);

  node = baton_test_expect (server, "DELETE", path, server->manager_token, NULL, 204, NULL);
  g_assert_null (node);
  node = baton_test_expect (server, "GET", path, server->manager_token, NULL, 404, "not_found");
  g_clear_pointer (&node, json_node_unref);
  node = list_schedules (server->manager_token);
  g_assert_null (find_in_list (node, baton_test_get_string (schedule, "id")));
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "DELETE", path, server->manager_token, NULL, 404,
                            "not_found");
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "PATCH", path, server->manager_token, "{\"name\":\"X\"}",
                            404, "not_found");
}

static void
test_validation (void)
{
  g_autoptr(JsonNode) schedule = create_schedule (OFFICE);
  g_autofree char *path = schedule_path (schedule);
  g_autofree char *long_name = g_strnfill (201, 's');
  g_autofree char *long_body = g_strdup_printf ("{\"name\":\"%s\",\"timezone\":\"Etc/UTC\","
                                                "\"weekly\":[]}", long_name);
  g_autoptr(JsonNode) node = NULL;
  guint before = count_schedules ();

  baton_test_expect_invalid (server, "POST", "/api/v1/schedules",
                             "{\"timezone\":\"Europe/Paris\",\"weekly\":[]}", "name");
  baton_test_expect_invalid (server, "POST", "/api/v1/schedules", long_body, "name");
  baton_test_expect_invalid (server, "POST", "/api/v1/schedules", "{\"name\":\"S\",\"weekly\":[]}",
                             "timezone");
  baton_test_expect_invalid (server, "POST", "/api/v1/schedules",
                             "{\"name\":\"S\",\"timezone\":\"Mars/Olympus\",\"weekly\":[]}",
                             "timezone");
  baton_test_expect_invalid (server, "POST", "/api/v1/schedules",
                             "{\"name\":\"S\",\"timezone\":\"Europe/Paris\"}", "weekly");
  baton_test_expect_invalid (server, "POST", "/api/v1/schedules",
                             "{\"name\":\"S\",\"timezone\":\"Europe/Paris\",\"weekly\":{}}",
                             "weekly");
  baton_test_expect_invalid (server, "POST", "/api/v1/schedules",
                             "{\"name\":\"S\",\"timezone\":\"Europe/Paris\",\"weekly\":["
                             "{\"day\":\"mon\",\"from\":\"09:00\",\"to\":\"17:00\"},"
                             "{\"day\":\"funday\",\"from\":\"09:00\",\"to\":\"17:00\"}]}",
                             "weekly[1].day");
  baton_test_expect_invalid (server, "POST", "/api/v1/schedules",
                             "{\"name\":\"S\",\"timezone\":\"Europe/Paris\",\"weekly\":["
                             "{\"day\":\"tue\",\"from\":\"25:00\",\"to\":\"17:00\"}]}",
                             "weekly[0].from");
  baton_test_expect_invalid (server, "POST", "/api/v1/schedules",
                             "{\"name\":\"S\",\"timezone\":\"Europe/Paris\",\"weekly\":["
                             "{\"day\":\"tue\",\"from\":\"09:00\",\"to\":\"9am\"}]}",
                             "weekly[0].to");
  baton_test_expect_invalid (server, "POST", "/api/v1/schedules",
                             "{\"name\":\"S\",\"timezone\":\"Europe/Paris\",\"weekly\":[],"
                             "\"holidays\":[\"Christmas\"]}", "holidays[0]");
  baton_test_expect_invalid (server, "POST", "/api/v1/schedules",
                             "{\"name\":\"S\",\"timezone\":\"Europe/Paris\",\"weekly\":[],"
                             "\"holidays\":[\"2026-01-01\",\"2026-02-30\"]}", "holidays[1]");
  g_assert_cmpuint (count_schedules (), ==, before);
  node = baton_test_expect (server, "POST", "/api/v1/schedules", server->manager_token,
                            "{\"name\":", 400, "bad_request");
  g_clear_pointer (&node, json_node_unref);

  /* A refused PATCH stores nothing, not even its valid members. */
  baton_test_expect_invalid (server, "PATCH", path,
                             "{\"name\":\"Renamed\",\"timezone\":\"Mars/Olympus\"}", "timezone");
  baton_test_expect_invalid (server, "PATCH", path, "{\"name\":\"Renamed\",\"weekly\":["
                             "{\"day\":\"mon\",\"from\":\"09:00\",\"to\":\"10:00\"},"
                             "{\"day\":\"someday\",\"from\":\"09:00\",\"to\":\"10:00\"}]}",
                             "weekly[1].day");
  baton_test_expect_invalid (server, "PATCH", path, "{\"holidays\":[\"tomorrow\"]}", "holidays[0]");
  baton_test_expect_invalid (server, "PATCH", path, "{\"name\":\"\"}", "name");
  node = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  g_assert_true (json_node_equal (node, schedule));
}

/* An interval member that is an array, an object, null or a number is 422 on its path, for
 * a create and a patch alike, and nothing is stored. */
static void
test_interval_types (void)
{
  static const char * const members[] = { "day", "from", "to" };
  static const char * const values[] = { "[\"mon\",\"tue\"]", "{\"day\":\"mon\"}", "null",
                                          "1", "false" };
  g_autoptr(JsonNode) schedule = create_schedule (OFFICE);
  g_autofree char *path = schedule_path (schedule);
  g_autoptr(JsonNode) after = NULL;
  guint before = count_schedules ();

  for (guint m = 0; m < G_N_ELEMENTS (members); m++)
    for (guint v = 0; v < G_N_ELEMENTS (values); v++)
      {
        g_autofree char *interval = g_strdup_printf ("{\"day\":%s,\"from\":%s,\"to\":%s}",
                                                     m == 0 ? values[v] : "\"mon\"",
                                                     m == 1 ? values[v] : "\"09:00\"",
                                                     m == 2 ? values[v] : "\"10:00\"");
        g_autofree char *create = g_strdup_printf ("{\"name\":\"S\",\"timezone\":\"Etc/UTC\","
                                                   "\"weekly\":[%s]}", interval);
        g_autofree char *patch = g_strdup_printf ("{\"name\":\"Renamed\",\"weekly\":["
                                                  "{\"day\":\"tue\",\"from\":\"08:00\","
                                                  "\"to\":\"09:00\"},%s]}", interval);
        g_autofree char *field0 = g_strdup_printf ("weekly[0].%s", members[m]);
        g_autofree char *field1 = g_strdup_printf ("weekly[1].%s", members[m]);

        baton_test_expect_invalid (server, "POST", "/api/v1/schedules", create, field0);
        baton_test_expect_invalid (server, "PATCH", path, patch, field1);
      }
  g_assert_cmpuint (count_schedules (), ==, before);
  after = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  g_assert_true (json_node_equal (after, schedule));
}

/* A flow's time condition holds its schedule: deleting it is refused while the flow names it,
 * wherever the condition sits. */
static void
test_delete_in_use (void)
{
  g_autoptr(JsonNode) schedule = create_schedule (OFFICE);
  g_autoptr(JsonNode) other = create_schedule (OFFICE);
  g_autofree char *path = schedule_path (schedule);
  g_autofree char *other_path = schedule_path (other);
  g_autofree char *body = baton_test_strdup_printf_json (
    "{\"name\":\"After hours\",\"trigger\":{\"on\":\"conversation.created\"},"
    "\"steps\":[{\"type\":\"condition\",\"conditions\":[{\"field\":\"message.text\","
    "\"op\":\"contains\",\"value\":\"x\"}],\"else\":[{\"type\":\"condition\","
    "\"conditions\":[{\"field\":\"time\",\"op\":\"outside\",\"value\":%s}],"
    "\"then\":[{\"type\":\"send_message\",\"body\":\"We are closed\"}]}]}]}",
    baton_test_get_string (schedule, "id"));
  g_autoptr(JsonNode) flow = baton_test_expect (server, "POST", "/api/v1/flows",
                                                server->manager_token, body, 201, NULL);
  g_autofree char *flow_path = g_strdup_printf ("/api/v1/flows/%s",
                                                baton_test_get_string (flow, "id"));
  g_autoptr(JsonNode) node = NULL;
  const char *message = NULL;

  node = baton_test_expect (server, "DELETE", path, server->manager_token, NULL, 409,
                            "conflict");
  message = baton_test_get_string (node, "error.message");
  g_assert_nonnull (strstr (message, baton_test_get_string (flow, "id")));
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  g_assert_true (json_node_equal (node, schedule));
  g_clear_pointer (&node, json_node_unref);

  /* A schedule no flow names goes at once. */
  node = baton_test_expect (server, "DELETE", other_path, server->manager_token, NULL, 204,
                            NULL);
  g_assert_null (node);

  /* Once the flow no longer names it, it goes too. */
  node = baton_test_expect (server, "PATCH", flow_path, server->manager_token,
                            "{\"steps\":[{\"type\":\"close\"}]}", 200, NULL);
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "DELETE", path, server->manager_token, NULL, 204, NULL);
  g_assert_null (node);
  node = baton_test_expect (server, "GET", path, server->manager_token, NULL, 404, "not_found");
  g_clear_pointer (&node, json_node_unref);

  /* And a flow cannot name it any more. */
  g_clear_pointer (&body, g_free);
  body = baton_test_strdup_printf_json ("{\"steps\":[{\"type\":\"condition\",\"conditions\":["
                                        "{\"field\":\"time\",\"op\":\"within\",\"value\":%s}]}]}",
                                        baton_test_get_string (schedule, "id"));
  baton_test_expect_invalid (server, "PATCH", flow_path, body, "steps[0].conditions[0].value");
}

static void
test_permissions (void)
{
  baton_test_assert_manager_only (server, "schedules", OFFICE);
}

static void
test_events (void)
{
  baton_test_assert_crud_events (server, "schedules", "schedule", OFFICE,
                                 "{\"holidays\":[\"2027-05-01\"]}");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  server = baton_test_server_new (NULL, NULL);

  g_test_add_func ("/schedules/crud", test_crud);
  g_test_add_func ("/schedules/validation", test_validation);
  g_test_add_func ("/schedules/interval-types", test_interval_types);
  g_test_add_func ("/schedules/delete-in-use", test_delete_in_use);
  g_test_add_func ("/schedules/permissions", test_permissions);
  g_test_add_func ("/schedules/events", test_events);

  return baton_test_run (server);
}
