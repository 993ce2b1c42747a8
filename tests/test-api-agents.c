/* test-api-agents.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-test-helpers.h"

static BatonTestServer *server;

/* The field an error reply names, or NULL. */
static const char *
error_field (JsonNode *reply)
{
  JsonObject *error = json_object_get_object_member (json_node_get_object (reply), "error");

  return json_object_get_string_member_with_default (error, "field", NULL);
}

static gboolean
list_has_id (JsonNode   *list,
             const char *id)
{
  JsonArray *items = baton_test_items (list);

  for (guint i = 0; i < json_array_get_length (items); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (items, i),
                                                  "id"), id) == 0)
      return TRUE;
  return FALSE;
}

static guint
list_length (JsonNode *list)
{
  return json_array_get_length (baton_test_items (list));
}

static void
assert_time (JsonNode   *node,
             const char *path)
{
  const char *text = baton_test_get_string (node, path);
  g_autoptr(GDateTime) parsed = NULL;

  g_assert_nonnull (text);
  /* RFC 3339 UTC with milliseconds: 2026-11-22T09:30:00.000Z */
  g_assert_cmpuint (strlen (text), ==, 24);
  g_assert_cmpint (text[19], ==, '.');
  g_assert_cmpint (text[23], ==, 'Z');
  parsed = g_date_time_new_from_iso8601 (text, NULL);
  g_assert_nonnull (parsed);
}

static gint64
active_count (const char *agent_id)
{
  g_autoptr(JsonNode) agent = baton_test_get_agent (server, agent_id);

  return baton_test_get_int (agent, "active_count");
}

static void
assign (const char *conversation_id,
        const char *assignees_json)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/assignment",
                                           conversation_id);
  g_autofree char *body = g_strdup_printf ("{\"assignee_ids\":%s}", assignees_json);
  g_autoptr(JsonNode) node = baton_test_expect (server, "PUT", path, server->manager_token,
                                                body, 200, NULL);
}

static void
resolve (const char *conversation_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/resolve", conversation_id);
  g_autoptr(JsonNode) node = baton_test_expect (server, "POST", path, server->manager_token,
                                                NULL, 200, NULL);

  g_assert_cmpstr (baton_test_get_string (node, "status"), ==, "resolved");
}

/* The newest message of the conversation. */
static JsonNode *
last_message (const char *conversation_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/messages?limit=1",
                                           conversation_id);

  return baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
}

static void
test_list_and_get (void)
{
  g_autofree char *agent_token = NULL;
  g_autofree char *agent_id = baton_test_new_agent (server, "Lena List", "agent", &agent_token);
  g_autofree char *manager_path = g_strdup_printf ("/api/v1/agents/%s", server->manager_id);
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) as_agent = NULL;
  g_autoptr(JsonNode) manager = NULL;
  g_autoptr(JsonNode) unknown = NULL;
  JsonNode *cursor = NULL;

  list = baton_test_expect (server, "GET", "/api/v1/agents", server->manager_token, NULL, 200,
                            NULL);
  g_assert_true (list_has_id (list, server->manager_id));
  g_assert_true (list_has_id (list, agent_id));
  cursor = json_object_get_member (json_node_get_object (list), "next_cursor");
  g_assert_nonnull (cursor);
  g_assert_true (JSON_NODE_HOLDS_NULL (cursor));

  /* Reading is for every agent. */
  as_agent = baton_test_expect (server, "GET", "/api/v1/agents", agent_token, NULL, 200, NULL);
  g_assert_true (list_has_id (as_agent, server->manager_id));
  g_assert_cmpuint (list_length (as_agent), ==, list_length (list));

  manager = baton_test_expect (server, "GET", manager_path, agent_token, NULL, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (manager, "id"), ==, server->manager_id);
  g_assert_cmpstr (baton_test_get_string (manager, "name"), ==, "Maya Manager");
  g_assert_cmpstr (baton_test_get_string (manager, "email"), ==, BATON_TEST_MANAGER_EMAIL);
  g_assert_cmpstr (baton_test_get_string (manager, "role"), ==, "manager");
  assert_time (manager, "created_at");

  unknown = baton_test_expect (server, "GET", "/api/v1/agents/agt_does_not_exist",
                               server->manager_token, NULL, 404, "not_found");
  {
    g_autoptr(JsonNode) anonymous = baton_test_expect (server, "GET", "/api/v1/agents", NULL,
                                                       NULL, 401, "unauthorized");
  }
}

static void
test_create (void)
{
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) read_back = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autofree char *path = NULL;
  JsonObject *object = NULL;
  g_autofree char *token = NULL;
  g_autoptr(JsonNode) me = NULL;

  created = baton_test_expect (server, "POST", "/api/v1/agents", server->manager_token,
                               "{\"name\":\"Ana Lima\",\"email\":\"ana.lima@example.com\","
                               "\"password\":\"" BATON_TEST_PASSWORD "\",\"role\":\"agent\"}",
                               201, NULL);
  object = json_node_get_object (created);
  g_assert_nonnull (baton_test_get_string (created, "id"));
  g_assert_cmpuint (strlen (baton_test_get_string (created, "id")), >, 0);
  g_assert_cmpstr (baton_test_get_string (created, "name"), ==, "Ana Lima");
  g_assert_cmpstr (baton_test_get_string (created, "email"), ==, "ana.lima@example.com");
  g_assert_cmpstr (baton_test_get_string (created, "role"), ==, "agent");
  /* A new agent starts online by choice, but nobody is connected yet. */
  g_assert_cmpstr (baton_test_get_string (created, "availability"), ==, "online");
  g_assert_true (json_object_has_member (object, "online"));
  g_assert_false (json_object_get_boolean_member (object, "online"));
  g_assert_cmpint (baton_test_get_int (created, "active_count"), ==, 0);
  assert_time (created, "created_at");
  /* Nothing secret comes back. */
  g_assert_false (json_object_has_member (object, "password"));
  g_assert_false (json_object_has_member (object, "password_hash"));
  g_assert_cmpuint (json_object_get_size (object), ==, 8);

  path = g_strdup_printf ("/api/v1/agents/%s", baton_test_get_string (created, "id"));
  read_back = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  g_assert_true (json_node_equal (created, read_back));
  list = baton_test_expect (server, "GET", "/api/v1/agents", server->manager_token, NULL, 200,
                            NULL);
  g_assert_true (list_has_id (list, baton_test_get_string (created, "id")));

  /* The new agent can sign in with that password. */
  token = baton_test_login (server, "ana.lima@example.com", BATON_TEST_PASSWORD);
  me = baton_test_expect (server, "GET", "/api/v1/me", token, NULL, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (me, "id"), ==, baton_test_get_string (created, "id"));

  {
    g_autoptr(JsonNode) manager = baton_test_expect (server, "POST", "/api/v1/agents",
                                                     server->manager_token,
                                                     "{\"name\":\"Ben Ode\","
                                                     "\"email\":\"ben.ode@example.com\","
                                                     "\"password\":\"12345678\","
                                                     "\"role\":\"manager\"}", 201, NULL);

    g_assert_cmpstr (baton_test_get_string (manager, "role"), ==, "manager");
  }
}

static void
expect_invalid_agent (const char *body,
                      const char *field)
{
  g_autoptr(JsonNode) node = baton_test_expect (server, "POST", "/api/v1/agents",
                                                server->manager_token, body, 422,
                                                "unprocessable");

  g_assert_cmpstr (baton_test_get_string (node, "error.field"), ==, field);
}

static void
test_create_validation (void)
{
  g_autoptr(JsonNode) before = baton_test_expect (server, "GET", "/api/v1/agents",
                                                  server->manager_token, NULL, 200, NULL);
  g_autoptr(JsonNode) after = NULL;
  g_autofree char *long_name = g_strnfill (201, 'n');
  g_autofree char *longest_name = g_strnfill (200, 'n');
  g_autofree char *body = NULL;

  expect_invalid_agent ("{\"email\":\"v1@example.com\",\"password\":\"12345678\","
                        "\"role\":\"agent\"}", "name");
  expect_invalid_agent ("{\"name\":\"\",\"email\":\"v1@example.com\",\"password\":\"12345678\","
                        "\"role\":\"agent\"}", "name");
  body = baton_test_strdup_printf_json ("{\"name\":%s,\"email\":\"v1@example.com\","
                                        "\"password\":\"12345678\",\"role\":\"agent\"}",
                                        long_name);
  expect_invalid_agent (body, "name");
  expect_invalid_agent ("{\"name\":42,\"email\":\"v1@example.com\",\"password\":\"12345678\","
                        "\"role\":\"agent\"}", "name");
  expect_invalid_agent ("{\"name\":\"Val\",\"password\":\"12345678\",\"role\":\"agent\"}",
                        "email");
  expect_invalid_agent ("{\"name\":\"Val\",\"email\":\"not-an-address\","
                        "\"password\":\"12345678\",\"role\":\"agent\"}", "email");
  expect_invalid_agent ("{\"name\":\"Val\",\"email\":\"v1@\",\"password\":\"12345678\","
                        "\"role\":\"agent\"}", "email");
  expect_invalid_agent ("{\"name\":\"Val\",\"email\":\"@example.com\","
                        "\"password\":\"12345678\",\"role\":\"agent\"}", "email");
  expect_invalid_agent ("{\"name\":\"Val\",\"email\":\"v1@example.com\",\"password\":7,"
                        "\"role\":\"agent\"}", "password");
  expect_invalid_agent ("{\"name\":\"Val\",\"email\":\"v1@example.com\","
                        "\"password\":\"1234567\",\"role\":\"agent\"}", "password");
  expect_invalid_agent ("{\"name\":\"Val\",\"email\":\"v1@example.com\","
                        "\"password\":\"12345678\",\"role\":\"admin\"}", "role");
  expect_invalid_agent ("{\"name\":\"Val\",\"email\":\"v1@example.com\","
                        "\"password\":\"12345678\",\"role\":\"Manager\"}", "role");

  /* None of those was stored. */
  after = baton_test_expect (server, "GET", "/api/v1/agents", server->manager_token, NULL, 200,
                             NULL);
  g_assert_cmpuint (list_length (after), ==, list_length (before));

  /* 200 characters is still a name. */
  g_clear_pointer (&body, g_free);
  body = baton_test_strdup_printf_json ("{\"name\":%s,\"email\":\"v200@example.com\","
                                        "\"password\":\"12345678\",\"role\":\"agent\"}",
                                        longest_name);
  {
    g_autoptr(JsonNode) created = baton_test_expect (server, "POST", "/api/v1/agents",
                                                     server->manager_token, body, 201, NULL);

    g_assert_cmpstr (baton_test_get_string (created, "name"), ==, longest_name);
  }
}

static void
test_create_duplicate_email (void)
{
  g_autofree char *id = baton_test_create_agent (server, "Dora Dup", "dora.dup@example.com",
                                                 "agent", NULL);
  g_autoptr(JsonNode) same = NULL;
  g_autoptr(JsonNode) other_case = NULL;
  g_autoptr(JsonNode) list = NULL;

  same = baton_test_expect (server, "POST", "/api/v1/agents", server->manager_token,
                            "{\"name\":\"Dora Two\",\"email\":\"dora.dup@example.com\","
                            "\"password\":\"12345678\",\"role\":\"agent\"}", 409, "conflict");
  other_case = baton_test_expect (server, "POST", "/api/v1/agents", server->manager_token,
                                  "{\"name\":\"Dora Three\",\"email\":\"DORA.Dup@Example.COM\","
                                  "\"password\":\"12345678\",\"role\":\"agent\"}",
                                  409, "conflict");
  /* the app tells which field is taken */
  g_assert_cmpstr (error_field (same), ==, "email");
  g_assert_cmpstr (error_field (other_case), ==, "email");
  list = baton_test_expect (server, "GET", "/api/v1/agents", server->manager_token, NULL, 200,
                            NULL);
  g_assert_true (list_has_id (list, id));
  {
    JsonArray *items = json_object_get_array_member (json_node_get_object (list), "items");

    for (guint i = 0; i < json_array_get_length (items); i++)
      {
        const char *name = json_object_get_string_member (json_array_get_object_element (items,
                                                                                           i),
                                                          "name");

        g_assert_cmpstr (name, !=, "Dora Two");
        g_assert_cmpstr (name, !=, "Dora Three");
      }
  }

  /* Taking another agent's email by PATCH is refused the same way. */
  {
    g_autofree char *other = baton_test_new_agent (server, "Otto Other", "agent", NULL);
    g_autofree char *path = g_strdup_printf ("/api/v1/agents/%s", other);
    g_autoptr(JsonNode) taken = baton_test_expect (server, "PATCH", path, server->manager_token,
                                                   "{\"email\":\"Dora.Dup@example.com\"}",
                                                   409, "conflict");

    g_assert_cmpstr (error_field (taken), ==, "email");
  }
}

static void
test_create_permissions (void)
{
  g_autofree char *agent_token = NULL;
  g_autofree char *agent_id = baton_test_new_agent (server, "Paul Perm", "agent", &agent_token);
  g_autoptr(JsonNode) forbidden = NULL;
  g_autoptr(JsonNode) anonymous = NULL;
  g_autoptr(JsonNode) bad_token = NULL;
  g_autoptr(JsonNode) list = NULL;

  forbidden = baton_test_expect (server, "POST", "/api/v1/agents", agent_token,
                                 "{\"name\":\"Sneaky\",\"email\":\"sneaky@example.com\","
                                 "\"password\":\"12345678\",\"role\":\"manager\"}",
                                 403, "forbidden");
  anonymous = baton_test_expect (server, "POST", "/api/v1/agents", NULL,
                                 "{\"name\":\"Sneaky\",\"email\":\"sneaky@example.com\","
                                 "\"password\":\"12345678\",\"role\":\"manager\"}",
                                 401, "unauthorized");
  bad_token = baton_test_expect (server, "POST", "/api/v1/agents", "forged-token",
                                 "{\"name\":\"Sneaky\",\"email\":\"sneaky@example.com\","
                                 "\"password\":\"12345678\",\"role\":\"manager\"}",
                                 401, "unauthorized");
  /* The address is still free: nothing was created. */
  g_free (baton_test_create_agent (server, "Sam Real", "sneaky@example.com", "agent", NULL));
}

static void
test_update (void)
{
  g_autofree char *id = baton_test_new_agent (server, "Una Update", "agent", NULL);
  g_autofree char *path = g_strdup_printf ("/api/v1/agents/%s", id);
  g_autoptr(JsonNode) renamed = NULL;
  g_autoptr(JsonNode) promoted = NULL;
  g_autoptr(JsonNode) away = NULL;
  g_autoptr(JsonNode) read_back = NULL;
  g_autoptr(JsonNode) unchanged = NULL;
  g_autoptr(JsonNode) bad = NULL;
  g_autofree char *long_name = g_strnfill (201, 'x');
  g_autofree char *long_body = baton_test_strdup_printf_json ("{\"name\":%s}", long_name);

  renamed = baton_test_expect (server, "PATCH", path, server->manager_token,
                               "{\"name\":\"Una Renamed\"}", 200, NULL);
  g_assert_cmpstr (baton_test_get_string (renamed, "name"), ==, "Una Renamed");
  g_assert_cmpstr (baton_test_get_string (renamed, "role"), ==, "agent");

  promoted = baton_test_expect (server, "PATCH", path, server->manager_token,
                                "{\"role\":\"manager\"}", 200, NULL);
  g_assert_cmpstr (baton_test_get_string (promoted, "role"), ==, "manager");
  g_assert_cmpstr (baton_test_get_string (promoted, "name"), ==, "Una Renamed");

  away = baton_test_expect (server, "PATCH", path, server->manager_token,
                            "{\"availability\":\"away\"}", 200, NULL);
  g_assert_cmpstr (baton_test_get_string (away, "availability"), ==, "away");
  g_assert_cmpstr (baton_test_get_string (away, "role"), ==, "manager");

  read_back = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (read_back, "name"), ==, "Una Renamed");
  g_assert_cmpstr (baton_test_get_string (read_back, "role"), ==, "manager");
  g_assert_cmpstr (baton_test_get_string (read_back, "availability"), ==, "away");

  /* Invalid values change nothing. */
  bad = baton_test_expect (server, "PATCH", path, server->manager_token,
                           "{\"availability\":\"busy\"}", 422, "unprocessable");
  g_assert_cmpstr (baton_test_get_string (bad, "error.field"), ==, "availability");
  g_clear_pointer (&bad, json_node_unref);
  bad = baton_test_expect (server, "PATCH", path, server->manager_token,
                           "{\"role\":\"owner\"}", 422, "unprocessable");
  g_assert_cmpstr (baton_test_get_string (bad, "error.field"), ==, "role");
  g_clear_pointer (&bad, json_node_unref);
  bad = baton_test_expect (server, "PATCH", path, server->manager_token, "{\"name\":\"\"}", 422,
                           "unprocessable");
  g_assert_cmpstr (baton_test_get_string (bad, "error.field"), ==, "name");
  g_clear_pointer (&bad, json_node_unref);
  bad = baton_test_expect (server, "PATCH", path, server->manager_token, long_body, 422,
                           "unprocessable");
  g_assert_cmpstr (baton_test_get_string (bad, "error.field"), ==, "name");
  g_clear_pointer (&bad, json_node_unref);
  bad = baton_test_expect (server, "PATCH", path, server->manager_token,
                           "{\"email\":\"no-at-sign\"}", 422, "unprocessable");
  g_assert_cmpstr (baton_test_get_string (bad, "error.field"), ==, "email");
  g_clear_pointer (&bad, json_node_unref);
  bad = baton_test_expect (server, "PATCH", path, server->manager_token,
                           "{\"password\":\"short\"}", 422, "unprocessable");
  g_assert_cmpstr (baton_test_get_string (bad, "error.field"), ==, "password");

  unchanged = baton_test_expect (server, "PATCH", path, server->manager_token, "{}", 200, NULL);
  g_assert_cmpstr (baton_test_get_string (unchanged, "name"), ==, "Una Renamed");
  g_assert_cmpstr (baton_test_get_string (unchanged, "role"), ==, "manager");
  g_assert_cmpstr (baton_test_get_string (unchanged, "availability"), ==, "away");

  {
    g_autoptr(JsonNode) unknown = baton_test_expect (server, "PATCH",
                                                     "/api/v1/agents/agt_missing",
                                                     server->manager_token,
                                                     "{\"name\":\"Ghost\"}", 404, "not_found");
  }
}

static void
test_password_change_signs_out (void)
{
  const char *email = "pat.password@example.com";
  g_autofree char *id = baton_test_create_agent (server, "Pat Password", email, "manager",
                                                 NULL);
  g_autofree char *path = g_strdup_printf ("/api/v1/agents/%s", id);
  g_autofree char *first = baton_test_login (server, email, BATON_TEST_PASSWORD);
  g_autofree char *second = baton_test_login (server, email, BATON_TEST_PASSWORD);
  g_autofree char *third = baton_test_login (server, email, BATON_TEST_PASSWORD);
  g_autofree char *fresh = NULL;
  g_autoptr(JsonNode) changed = NULL;

  /* The agent changes their own password from one session: the others end. */
  changed = baton_test_expect (server, "PATCH", path, first,
                               "{\"password\":\"a brand new secret\"}", 200, NULL);
  {
    g_autoptr(JsonNode) still = baton_test_expect (server, "GET", "/api/v1/me", first, NULL,
                                                   200, NULL);
    g_autoptr(JsonNode) gone = baton_test_expect (server, "GET", "/api/v1/me", second, NULL,
                                                  401, "unauthorized");
    g_autoptr(JsonNode) gone_too = baton_test_expect (server, "GET", "/api/v1/me", third, NULL,
                                                      401, "unauthorized");
    g_autoptr(JsonNode) old_password = NULL;
    g_autofree char *body = baton_test_strdup_printf_json ("{\"email\":%s,\"password\":%s}",
                                                           email, BATON_TEST_PASSWORD);

    old_password = baton_test_expect (server, "POST", "/api/v1/auth/login", NULL, body, 401,
                                      "unauthorized");
  }
  fresh = baton_test_login (server, email, "a brand new secret");

  /* A manager resetting it signs out every session of that agent. */
  g_clear_pointer (&changed, json_node_unref);
  changed = baton_test_expect (server, "PATCH", path, server->manager_token,
                               "{\"password\":\"another new secret\"}", 200, NULL);
  {
    g_autoptr(JsonNode) gone = baton_test_expect (server, "GET", "/api/v1/me", first, NULL, 401,
                                                  "unauthorized");
    g_autoptr(JsonNode) gone_too = baton_test_expect (server, "GET", "/api/v1/me", fresh, NULL,
                                                      401, "unauthorized");
    g_autoptr(JsonNode) manager = baton_test_expect (server, "GET", "/api/v1/me",
                                                     server->manager_token, NULL, 200, NULL);
  }
  g_free (baton_test_login (server, email, "another new secret"));

  /* Other changes keep the sessions. */
  {
    g_autofree char *token = baton_test_login (server, email, "another new secret");
    g_autoptr(JsonNode) renamed = baton_test_expect (server, "PATCH", path,
                                                     server->manager_token,
                                                     "{\"name\":\"Pat Renamed\"}", 200, NULL);
    g_autoptr(JsonNode) still = baton_test_expect (server, "GET", "/api/v1/me", token, NULL,
                                                   200, NULL);
  }
}

/* A generated password: readable groups, at least 12 characters, none that look alike. */
static void
assert_generated (const char *password)
{
  g_assert_nonnull (password);
  g_assert_cmpuint (strlen (password), >=, 12);
  for (const char *c = password; *c; c++)
    g_assert_true (*c == '-' || (g_ascii_isalnum (*c) && strchr ("0O1lI", *c) == NULL));
}

static void
test_create_generates_password (void)
{
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) other = NULL;
  g_autoptr(JsonNode) read_back = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autofree char *path = NULL;
  g_autofree char *token = NULL;
  const char *password = NULL;

  created = baton_test_expect (server, "POST", "/api/v1/agents", server->manager_token,
                               "{\"name\":\"Gen Rated\",\"email\":\"gen.rated@example.com\","
                               "\"role\":\"agent\"}", 201, NULL);
  password = baton_test_get_string (created, "password");
  assert_generated (password);
  other = baton_test_expect (server, "POST", "/api/v1/agents", server->manager_token,
                             "{\"name\":\"Gen Other\",\"email\":\"gen.other@example.com\"}",
                             201, NULL);
  g_assert_cmpstr (baton_test_get_string (other, "password"), !=, password);

  /* It signs the agent in, and is never shown again. */
  token = baton_test_login (server, "gen.rated@example.com", password);
  path = g_strdup_printf ("/api/v1/agents/%s", baton_test_get_string (created, "id"));
  read_back = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  g_assert_false (json_object_has_member (json_node_get_object (read_back), "password"));
  list = baton_test_expect (server, "GET", "/api/v1/agents", server->manager_token, NULL, 200,
                            NULL);
  for (guint i = 0; i < list_length (list); i++)
    g_assert_false (json_object_has_member (json_array_get_object_element (
                                              baton_test_items (list), i), "password"));
}

static void
test_reset_password (void)
{
  const char *email = "rita.reset@example.com";
  g_autofree char *id = baton_test_create_agent (server, "Rita Reset", email, "agent", NULL);
  g_autofree char *path = g_strdup_printf ("/api/v1/agents/%s/password", id);
  g_autofree char *first = baton_test_login (server, email, BATON_TEST_PASSWORD);
  g_autofree char *second = baton_test_login (server, email, BATON_TEST_PASSWORD);
  g_autoptr(JsonNode) reset = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(JsonNode) missing = NULL;
  g_autofree char *fresh = NULL;
  g_autofree char *old_body = baton_test_strdup_printf_json ("{\"email\":%s,\"password\":%s}",
                                                             email, BATON_TEST_PASSWORD);

  /* An agent cannot reset anyone's, their own included. */
  g_clear_pointer (&reset, json_node_unref);
  reset = baton_test_expect (server, "POST", path, first, NULL, 403, "forbidden");
  g_clear_pointer (&reset, json_node_unref);
  reset = baton_test_expect (server, "POST", path, NULL, NULL, 401, "unauthorized");
  g_clear_pointer (&reset, json_node_unref);
  reset = baton_test_expect (server, "GET", "/api/v1/me", first, NULL, 200, NULL);

  g_clear_pointer (&reset, json_node_unref);
  reset = baton_test_expect (server, "POST", path, server->manager_token, NULL, 200, NULL);
  assert_generated (baton_test_get_string (reset, "password"));
  g_assert_cmpstr (baton_test_get_string (reset, "id"), ==, id);
  /* Every session of the agent ends, and the old password stops working. */
  g_clear_pointer (&again, json_node_unref);
  again = baton_test_expect (server, "GET", "/api/v1/me", first, NULL, 401, "unauthorized");
  g_clear_pointer (&again, json_node_unref);
  again = baton_test_expect (server, "GET", "/api/v1/me", second, NULL, 401, "unauthorized");
  g_clear_pointer (&again, json_node_unref);
  again = baton_test_expect (server, "POST", "/api/v1/auth/login", NULL, old_body, 401,
                             "unauthorized");
  g_clear_pointer (&again, json_node_unref);
  again = baton_test_expect (server, "GET", "/api/v1/me", server->manager_token, NULL, 200,
                             NULL);
  fresh = baton_test_login (server, email, baton_test_get_string (reset, "password"));

  /* A second reset gives another password. */
  g_clear_pointer (&again, json_node_unref);
  again = baton_test_expect (server, "POST", path, server->manager_token, NULL, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (again, "password"), !=,
                   baton_test_get_string (reset, "password"));
  missing = baton_test_expect (server, "POST", "/api/v1/agents/agt_missing/password",
                               server->manager_token, NULL, 404, "not_found");
}

/* On a workspace of its own: the rule is about the only manager there is. */
static void
test_last_manager (void)
{
  g_autoptr(BatonTestServer) alone = baton_test_server_new (NULL, NULL);
  g_autofree char *path = g_strdup_printf ("/api/v1/agents/%s", alone->manager_id);
  g_autofree char *second_token = NULL;
  g_autofree char *second_id = NULL;
  g_autofree char *second_path = NULL;
  g_autoptr(JsonNode) demote = NULL;
  g_autoptr(JsonNode) remove = NULL;
  g_autoptr(JsonNode) still = NULL;

  demote = baton_test_expect (alone, "PATCH", path, alone->manager_token,
                              "{\"role\":\"agent\"}", 409, "conflict");
  remove = baton_test_expect (alone, "DELETE", path, alone->manager_token, NULL, 409,
                              "conflict");
  still = baton_test_expect (alone, "GET", path, alone->manager_token, NULL, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (still, "role"), ==, "manager");

  /* With a second manager the first may step down; then the second is the last one. */
  second_id = baton_test_create_agent (alone, "Second Manager", "second@example.com",
                                       "manager", &second_token);
  second_path = g_strdup_printf ("/api/v1/agents/%s", second_id);
  g_clear_pointer (&demote, json_node_unref);
  demote = baton_test_expect (alone, "PATCH", path, second_token, "{\"role\":\"agent\"}", 200,
                              NULL);
  g_assert_cmpstr (baton_test_get_string (demote, "role"), ==, "agent");
  g_clear_pointer (&demote, json_node_unref);
  demote = baton_test_expect (alone, "PATCH", second_path, second_token,
                              "{\"role\":\"agent\"}", 409, "conflict");
  g_clear_pointer (&remove, json_node_unref);
  remove = baton_test_expect (alone, "DELETE", second_path, second_token, NULL, 409,
                              "conflict");
  /* Keeping the role of an agent is no demotion. */
  g_clear_pointer (&demote, json_node_unref);
  demote = baton_test_expect (alone, "PATCH", path, second_token, "{\"role\":\"agent\"}", 200,
                              NULL);
  g_clear_pointer (&still, json_node_unref);
  still = baton_test_expect (alone, "GET", second_path, second_token, NULL, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (still, "role"), ==, "manager");

  /* A manager deleting another manager is fine while one remains. */
  {
    g_autoptr(JsonNode) third = baton_test_expect (alone, "POST", "/api/v1/agents",
                                                   second_token,
                                                   "{\"name\":\"Third Manager\","
                                                   "\"email\":\"third@example.com\","
                                                   "\"password\":\"12345678\","
                                                   "\"role\":\"manager\"}", 201, NULL);
    g_autofree char *third_path = g_strdup_printf ("/api/v1/agents/%s",
                                                   baton_test_get_string (third, "id"));
    g_autoptr(JsonNode) deleted = baton_test_expect (alone, "DELETE", third_path, second_token,
                                                     NULL, 204, NULL);
    g_autoptr(JsonNode) gone = baton_test_expect (alone, "GET", third_path, second_token, NULL,
                                                  404, "not_found");
  }
}

static void
test_agent_writes_forbidden (void)
{
  g_autofree char *agent_token = NULL;
  g_autofree char *agent_id = baton_test_new_agent (server, "Fay Forbid", "agent", &agent_token);
  g_autofree char *victim = baton_test_new_agent (server, "Vic Victim", "agent", NULL);
  g_autofree char *own_path = g_strdup_printf ("/api/v1/agents/%s", agent_id);
  g_autofree char *victim_path = g_strdup_printf ("/api/v1/agents/%s", victim);
  g_autoptr(JsonNode) node = NULL;

  node = baton_test_expect (server, "PATCH", victim_path, agent_token, "{\"name\":\"Hacked\"}",
                            403, "forbidden");
  g_clear_pointer (&node, json_node_unref);
  /* Not even oneself: promoting oneself is the obvious abuse. */
  node = baton_test_expect (server, "PATCH", own_path, agent_token, "{\"role\":\"manager\"}",
                            403, "forbidden");
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "DELETE", victim_path, agent_token, NULL, 403, "forbidden");
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "PATCH", victim_path, NULL, "{\"name\":\"Hacked\"}", 401,
                            "unauthorized");
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "DELETE", victim_path, NULL, NULL, 401, "unauthorized");
  g_clear_pointer (&node, json_node_unref);

  node = baton_test_expect (server, "GET", victim_path, agent_token, NULL, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (node, "name"), ==, "Vic Victim");
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "GET", own_path, agent_token, NULL, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (node, "role"), ==, "agent");
}

static void
test_delete (void)
{
  g_autofree char *leaving_token = NULL;
  g_autofree char *leaving = baton_test_new_agent (server, "Leo Leaving", "agent", &leaving_token);
  g_autofree char *staying = baton_test_new_agent (server, "Sia Staying", "agent", NULL);
  g_autofree char *leaving_path = g_strdup_printf ("/api/v1/agents/%s", leaving);
  g_autofree char *secret = NULL;
  g_autofree char *channel = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *phone_alone = baton_test_new_phone ();
  g_autofree char *phone_shared = baton_test_new_phone ();
  g_autofree char *phone_resolved = baton_test_new_phone ();
  g_autofree char *alone = baton_test_inbound (server, channel, secret, phone_alone, "Hello");
  g_autofree char *shared = baton_test_inbound (server, channel, secret, phone_shared, "Hi");
  g_autofree char *done = baton_test_inbound (server, channel, secret, phone_resolved, "Bye");
  g_autofree char *team_body = NULL;
  g_autofree char *team_path = NULL;
  g_autofree char *contact_path = NULL;
  g_autofree char *owners_body = NULL;
  g_autoptr(JsonNode) team = NULL;
  g_autoptr(JsonNode) owners = NULL;
  g_autoptr(JsonNode) conversation = NULL;
  g_autoptr(JsonNode) message = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *leaving_only = NULL;
  g_autofree char *shared_assignees = NULL;
  gint64 version_before = 0;

  leaving_only = g_strdup_printf ("[\"%s\"]", leaving);
  shared_assignees = g_strdup_printf ("[\"%s\",\"%s\"]", staying, leaving);
  assign (alone, leaving_only);
  assign (shared, shared_assignees);
  assign (done, leaving_only);
  resolve (done);

  team_body = baton_test_strdup_printf_json ("{\"name\":\"Leavers\",\"strategy\":\"round_robin\","
                                             "\"member_ids\":[%s,%s,%s]}",
                                             server->manager_id, leaving, staying);
  team = baton_test_expect (server, "POST", "/api/v1/teams", server->manager_token, team_body,
                            201, NULL);
  team_path = g_strdup_printf ("/api/v1/teams/%s", baton_test_get_string (team, "id"));

  node = baton_test_get_conversation (server, alone);
  contact_path = g_strdup_printf ("/api/v1/contacts/%s",
                                  baton_test_get_string (node, "contact.id"));
  version_before = baton_test_get_int (node, "version");
  g_clear_pointer (&node, json_node_unref);
  owners_body = baton_test_strdup_printf_json ("{\"owner_ids\":[%s,%s]}", leaving, staying);
  {
    g_autofree char *owners_path = g_strconcat (contact_path, "/owners", NULL);

    owners = baton_test_expect (server, "PUT", owners_path, server->manager_token, owners_body,
                                200, NULL);
  }
  g_assert_cmpint (active_count (leaving), ==, 2);

  node = baton_test_expect (server, "DELETE", leaving_path, server->manager_token, NULL, 204,
                            NULL);
  g_assert_null (node);

  /* Gone, and so are their sessions. */
  node = baton_test_expect (server, "GET", leaving_path, server->manager_token, NULL, 404,
                            "not_found");
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "DELETE", leaving_path, server->manager_token, NULL, 404,
                            "not_found");
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "GET", "/api/v1/me", leaving_token, NULL, 401,
                            "unauthorized");
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "GET", "/api/v1/agents", server->manager_token, NULL, 200,
                            NULL);
  g_assert_false (list_has_id (node, leaving));
  g_assert_true (list_has_id (node, staying));
  g_clear_pointer (&node, json_node_unref);

  /* Their only conversation is unassigned, saying why. */
  conversation = baton_test_get_conversation (server, alone);
  baton_test_assert_strings (conversation, "assignee_ids", NULL);
  g_assert_cmpstr (baton_test_get_string (conversation, "status"), ==, "new");
  g_assert_cmpint (baton_test_get_int (conversation, "version"), >, version_before);
  message = last_message (alone);
  g_assert_cmpstr (baton_test_get_string (message, "items.0.kind"), ==, "activity");
  g_assert_cmpstr (baton_test_get_string (message, "items.0.activity.via"), ==,
                   "agent_removed");
  g_assert_cmpstr (baton_test_get_string (message, "items.0.activity.action"), ==,
                   "unassigned");
  baton_test_assert_strings (message, "items.0.activity.from.assignee_ids", leaving, NULL);
  baton_test_assert_strings (message, "items.0.activity.to.assignee_ids", NULL);
  g_clear_pointer (&conversation, json_node_unref);
  g_clear_pointer (&message, json_node_unref);

  /* A shared one keeps the other assignee. */
  conversation = baton_test_get_conversation (server, shared);
  baton_test_assert_strings (conversation, "assignee_ids", staying, NULL);
  message = last_message (shared);
  g_assert_cmpstr (baton_test_get_string (message, "items.0.kind"), ==, "activity");
  g_assert_cmpstr (baton_test_get_string (message, "items.0.activity.via"), ==,
                   "agent_removed");
  baton_test_assert_strings (message, "items.0.activity.from.assignee_ids", staying, leaving, NULL);
  baton_test_assert_strings (message, "items.0.activity.to.assignee_ids", staying, NULL);
  g_clear_pointer (&conversation, json_node_unref);
  g_clear_pointer (&message, json_node_unref);

  /* A resolved conversation is history: no activity is added to it. */
  message = last_message (done);
  g_assert_cmpstr (baton_test_get_string (message, "items.0.activity.via"), ==, "resolve");
  g_clear_pointer (&message, json_node_unref);

  /* Teams and contacts forget them, keeping the others' order. */
  node = baton_test_expect (server, "GET", team_path, server->manager_token, NULL, 200, NULL);
  baton_test_assert_strings (node, "member_ids", server->manager_id, staying, NULL);
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "GET", contact_path, server->manager_token, NULL, 200,
                            NULL);
  baton_test_assert_strings (node, "owner_ids", staying, NULL);
}

/* A default_user team must keep its default user: deleting them waits for a new one. */
static void
test_delete_default_user (void)
{
  g_autofree char *dina = baton_test_create_agent (server, "Dina Default", "dina@example.com",
                                                   "agent", NULL);
  g_autofree char *body = g_strdup_printf ("{\"name\":\"Key accounts\",\"strategy\":"
                                           "\"default_user\",\"member_ids\":[\"%s\"],"
                                           "\"default_user_id\":\"%s\"}", dina, dina);
  g_autoptr(JsonNode) team = baton_test_expect (server, "POST", "/api/v1/teams",
                                                server->manager_token, body, 201, NULL);
  g_autofree char *team_path = g_strdup_printf ("/api/v1/teams/%s",
                                                baton_test_get_string (team, "id"));
  g_autofree char *agent_path = g_strdup_printf ("/api/v1/agents/%s", dina);
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(JsonNode) still = NULL;
  g_autoptr(JsonNode) switched = NULL;
  g_autoptr(JsonNode) deleted = NULL;

  refused = baton_test_expect (server, "DELETE", agent_path, server->manager_token, NULL, 409,
                               "conflict");
  g_assert_nonnull (strstr (baton_test_get_string (refused, "error.message"), "Key accounts"));
  still = baton_test_expect (server, "GET", agent_path, server->manager_token, NULL, 200, NULL);
  switched = baton_test_expect (server, "PATCH", team_path, server->manager_token,
                                "{\"strategy\":\"round_robin\",\"default_user_id\":null}",
                                200, NULL);
  deleted = baton_test_expect (server, "DELETE", agent_path, server->manager_token, NULL, 204,
                               NULL);
}

static void
test_active_count (void)
{
  g_autofree char *id = baton_test_new_agent (server, "Cara Count", "agent", NULL);
  g_autofree char *secret = NULL;
  g_autofree char *channel = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *first_phone = baton_test_new_phone ();
  g_autofree char *second_phone = baton_test_new_phone ();
  g_autofree char *first = baton_test_inbound (server, channel, secret, first_phone, "One");
  g_autofree char *second = baton_test_inbound (server, channel, secret, second_phone, "Two");
  g_autofree char *assignees = g_strdup_printf ("[\"%s\"]", id);
  g_autofree char *both = g_strdup_printf ("[\"%s\",\"%s\"]", id, server->manager_id);
  g_autofree char *reopen_path = g_strdup_printf ("/api/v1/conversations/%s/reopen", first);
  g_autoptr(JsonNode) node = NULL;

  g_assert_cmpint (active_count (id), ==, 0);
  assign (first, assignees);
  g_assert_cmpint (active_count (id), ==, 1);
  assign (second, both);
  g_assert_cmpint (active_count (id), ==, 2);

  /* An in-progress conversation still counts. */
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/messages", second);

    node = baton_test_expect (server, "POST", path, server->manager_token,
                              "{\"body\":\"On it\"}", 201, NULL);
    g_clear_pointer (&node, json_node_unref);
    node = baton_test_get_conversation (server, second);
    g_assert_cmpstr (baton_test_get_string (node, "status"), ==, "in_progress");
    g_clear_pointer (&node, json_node_unref);
  }
  g_assert_cmpint (active_count (id), ==, 2);

  /* Keep assignees on resolve, so that only the status can make the difference. */
  node = baton_test_expect (server, "PATCH", "/api/v1/settings", server->manager_token,
                            "{\"unassign_on_resolve\":false}", 200, NULL);
  g_clear_pointer (&node, json_node_unref);
  resolve (first);
  node = baton_test_get_conversation (server, first);
  baton_test_assert_strings (node, "assignee_ids", id, NULL);
  g_clear_pointer (&node, json_node_unref);
  g_assert_cmpint (active_count (id), ==, 1);

  /* Reopened by hand it is active again. */
  node = baton_test_expect (server, "POST", reopen_path, server->manager_token, NULL, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (node, "status"), ==, "in_progress");
  g_clear_pointer (&node, json_node_unref);
  g_assert_cmpint (active_count (id), ==, 2);

  node = baton_test_expect (server, "PATCH", "/api/v1/settings", server->manager_token,
                            "{\"unassign_on_resolve\":true}", 200, NULL);
  g_clear_pointer (&node, json_node_unref);
  resolve (first);
  g_assert_cmpint (active_count (id), ==, 1);

  /* Taken off the other one by hand. */
  {
    g_autofree char *manager_only = g_strdup_printf ("[\"%s\"]", server->manager_id);

    assign (second, manager_only);
  }
  g_assert_cmpint (active_count (id), ==, 0);

  /* The list shows the same count as the single read. */
  assign (second, assignees);
  node = baton_test_expect (server, "GET", "/api/v1/agents", server->manager_token, NULL, 200,
                            NULL);
  {
    JsonArray *items = json_object_get_array_member (json_node_get_object (node), "items");
    gboolean found = FALSE;

    for (guint i = 0; i < json_array_get_length (items); i++)
      {
        JsonObject *agent = json_array_get_object_element (items, i);

        if (g_str_equal (json_object_get_string_member (agent, "id"), id))
          {
            g_assert_cmpint (json_object_get_int_member (agent, "active_count"), ==, 1);
            found = TRUE;
          }
      }
    g_assert_true (found);
  }
}

static void
test_online (void)
{
  g_autofree char *token = NULL;
  g_autofree char *id = baton_test_new_agent (server, "Olga Online", "agent", &token);
  g_autofree char *path = g_strdup_printf ("/api/v1/agents/%s", id);
  BatonTestStream *stream = NULL;
  g_autoptr(JsonNode) node = NULL;
  guint status = 0;

  /* Online by choice, not connected: not online for routing. */
  node = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (node, "availability"), ==, "online");
  g_clear_pointer (&node, json_node_unref);
  g_assert_false (baton_test_is_online (server, id));

  stream = baton_test_stream_open (server, token, NULL, &status);
  g_assert_nonnull (stream);
  /* Connecting publishes the agent; after that event it reads online. */
  for (;;)
    {
      g_autoptr(JsonObject) event = baton_test_stream_wait (stream, "agent.updated", NULL, 5000);
      JsonObject *data = NULL;

      g_assert_nonnull (event);
      data = json_object_get_object_member (event, "data");
      if (g_str_equal (json_object_get_string_member (data, "id"), id))
        {
          g_assert_true (json_object_get_boolean_member (data, "online"));
          break;
        }
    }
  g_assert_true (baton_test_is_online (server, id));

  /* Away while connected is not online either. */
  node = baton_test_expect (server, "PUT", "/api/v1/me/availability", token,
                            "{\"availability\":\"away\"}", 200, NULL);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (node), "online"));
  g_clear_pointer (&node, json_node_unref);
  g_assert_false (baton_test_is_online (server, id));
  node = baton_test_expect (server, "PUT", "/api/v1/me/availability", token,
                            "{\"availability\":\"online\"}", 200, NULL);
  g_clear_pointer (&node, json_node_unref);
  g_assert_true (baton_test_is_online (server, id));

  baton_test_stream_close (stream);
  baton_test_wait_metric (server, "baton_stream_connections", 0, 5000);
  /* Within 60 s of the stream's end the agent still counts as online; after, no more. */
  baton_test_advance_clock (server, 30);
  g_assert_true (baton_test_is_online (server, id));
  baton_test_advance_clock (server, 31);
  g_assert_false (baton_test_is_online (server, id));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  server = baton_test_server_new ("--test-clock", NULL);

  g_test_add_func ("/agents/list-and-get", test_list_and_get);
  g_test_add_func ("/agents/create", test_create);
  g_test_add_func ("/agents/create-validation", test_create_validation);
  g_test_add_func ("/agents/create-duplicate-email", test_create_duplicate_email);
  g_test_add_func ("/agents/create-permissions", test_create_permissions);
  g_test_add_func ("/agents/update", test_update);
  g_test_add_func ("/agents/password-change-signs-out", test_password_change_signs_out);
  g_test_add_func ("/agents/last-manager", test_last_manager);
  g_test_add_func ("/agents/agent-writes-forbidden", test_agent_writes_forbidden);
  g_test_add_func ("/agents/delete", test_delete);
  g_test_add_func ("/agents/delete-default-user", test_delete_default_user);
  g_test_add_func ("/agents/active-count", test_active_count);
  g_test_add_func ("/agents/online", test_online);
  g_test_add_func ("/agents/create-generates-password", test_create_generates_password);
  g_test_add_func ("/agents/reset-password", test_reset_password);

  return baton_test_run (server);
}
