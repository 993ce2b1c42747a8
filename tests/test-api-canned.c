/* test-api-canned.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-test-helpers.h"

/* Canned replies (GET|POST /replies, GET|PATCH|DELETE /replies/{id}): the workspace's, which
 * managers write, and each agent's own, which nobody else sees; shortcuts one agent sees are
 * distinct; reply.* events reach whoever sees the reply. */

#define EVENT_TIMEOUT_MS 5000

static BatonTestServer *server;

/* POST /replies as token; the body answered. */
static JsonNode *
create_reply (const char *token,
              const char *body,
              guint       expected_status,
              const char *expected_code)
{
  return baton_test_expect (server, "POST", "/api/v1/replies", token, body, expected_status,
                            expected_code);
}

static JsonNode *
reply_request (const char *method,
               const char *token,
               const char *id,
               const char *body,
               guint       expected_status,
               const char *expected_code)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/replies/%s", id);

  return baton_test_expect (server, method, path, token, body, expected_status, expected_code);
}

/* Whether GET /replies as token lists the id. */
static gboolean
lists (const char *token,
       const char *id)
{
  g_autoptr(JsonNode) list = baton_test_expect (server, "GET", "/api/v1/replies", token, NULL,
                                                200, NULL);
  JsonArray *items = baton_test_items (list);

  g_assert_true (json_node_is_null (json_object_get_member (json_node_get_object (list),
                                                            "next_cursor")));
  for (guint i = 0; i < json_array_get_length (items); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (items, i),
                                                    "id"), id))
      return TRUE;
  return FALSE;
}

static void
test_crud (void)
{
  const char *token = server->manager_token;
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) patched = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *id = NULL;

  created = create_reply (token, "{\"shortcut\":\"Hello\",\"title\":\"Greeting\","
                          "\"body\":\"Hi {{contact.name}}, {{agent.name}} here.\","
                          "\"owner_id\":null}", 201, NULL);
  id = g_strdup (baton_test_get_string (created, "id"));
  /* shortcuts are compared and kept lower-case; the body as written */
  g_assert_cmpstr (baton_test_get_string (created, "shortcut"), ==, "hello");
  g_assert_cmpstr (baton_test_get_string (created, "title"), ==, "Greeting");
  g_assert_cmpstr (baton_test_get_string (created, "body"), ==,
                   "Hi {{contact.name}}, {{agent.name}} here.");
  g_assert_true (json_node_is_null (json_object_get_member (json_node_get_object (created),
                                                            "owner_id")));
  g_assert_nonnull (baton_test_get_string (created, "created_at"));
  g_assert_true (lists (token, id));

  node = reply_request ("GET", token, id, NULL, 200, NULL);
  g_assert_true (json_node_equal (node, created));

  /* PATCH changes the members given only */
  patched = reply_request ("PATCH", token, id, "{\"title\":\"Welcome\"}", 200, NULL);
  g_assert_cmpstr (baton_test_get_string (patched, "title"), ==, "Welcome");
  g_assert_cmpstr (baton_test_get_string (patched, "shortcut"), ==, "hello");
  g_assert_cmpstr (baton_test_get_string (patched, "body"), ==,
                   "Hi {{contact.name}}, {{agent.name}} here.");
  g_clear_pointer (&node, json_node_unref);
  node = reply_request ("GET", token, id, NULL, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (node, "title"), ==, "Welcome");

  g_clear_pointer (&node, json_node_unref);
  node = reply_request ("DELETE", token, id, NULL, 204, NULL);
  g_clear_pointer (&node, json_node_unref);
  node = reply_request ("GET", token, id, NULL, 404, "not_found");
  g_clear_pointer (&node, json_node_unref);
  node = reply_request ("DELETE", token, id, NULL, 404, "not_found");
  g_clear_pointer (&node, json_node_unref);
  node = reply_request ("PATCH", token, id, "{\"title\":\"Again\"}", 404, "not_found");
  g_assert_false (lists (token, id));
}

/* An agent's own replies: theirs to write, invisible to everyone else, managers included. */
static void
test_personal (void)
{
  g_autofree char *token = NULL;
  g_autofree char *other_token = NULL;
  g_autofree char *agent = baton_test_new_agent (server, "Ana Canned", "agent", &token);
  g_autofree char *other = baton_test_new_agent (server, "Ben Canned", "agent", &other_token);
  g_autoptr(JsonNode) mine = NULL;
  g_autoptr(JsonNode) named = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *body = NULL;
  const char *id = NULL;

  mine = create_reply (token, "{\"shortcut\":\"myhello\",\"title\":\"Mine\",\"body\":\"Hi!\"}",
                       201, NULL);
  id = baton_test_get_string (mine, "id");
  g_assert_cmpstr (baton_test_get_string (mine, "owner_id"), ==, agent);
  body = baton_test_strdup_printf_json ("{\"shortcut\":\"mybye\",\"title\":\"Bye\","
                                        "\"body\":\"Bye!\",\"owner_id\":%s}", agent);
  named = create_reply (token, body, 201, NULL);
  g_assert_cmpstr (baton_test_get_string (named, "owner_id"), ==, agent);
  g_assert_true (lists (token, id));

  /* the owner edits it */
  node = reply_request ("PATCH", token, id, "{\"body\":\"Hello there!\"}", 200, NULL);
  g_assert_cmpstr (baton_test_get_string (node, "body"), ==, "Hello there!");

  /* nobody else sees it, nor can tell it exists */
  g_assert_false (lists (other_token, id));
  g_assert_false (lists (server->manager_token, id));
  for (guint i = 0; i < 2; i++)
    {
      const char *who = i == 0 ? other_token : server->manager_token;

      g_clear_pointer (&node, json_node_unref);
      node = reply_request ("GET", who, id, NULL, 404, "not_found");
      g_clear_pointer (&node, json_node_unref);
      node = reply_request ("PATCH", who, id, "{\"title\":\"Stolen\"}", 404, "not_found");
      g_clear_pointer (&node, json_node_unref);
      node = reply_request ("DELETE", who, id, NULL, 404, "not_found");
    }
  g_clear_pointer (&node, json_node_unref);
  node = reply_request ("GET", token, id, NULL, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (node, "title"), ==, "Mine");
  g_assert_cmpstr (baton_test_get_string (node, "body"), ==, "Hello there!");

  g_clear_pointer (&node, json_node_unref);
  node = reply_request ("DELETE", token, id, NULL, 204, NULL);
  g_assert_false (lists (token, id));
}

/* Agents read the workspace's replies and write none of them. */
static void
test_permissions (void)
{
  g_autofree char *token = NULL;
  g_autofree char *agent = baton_test_new_agent (server, "Cleo Canned", "agent", &token);
  g_autofree char *other = baton_test_new_agent (server, "Dan Canned", "agent", NULL);
  g_autoptr(JsonNode) shared = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *for_other = NULL;
  const char *id = NULL;

  shared = create_reply (server->manager_token, "{\"shortcut\":\"policy\",\"title\":\"Policy\","
                         "\"body\":\"Returns within 30 days.\",\"owner_id\":null}", 201, NULL);
  id = baton_test_get_string (shared, "id");
  g_assert_true (lists (token, id));
  node = reply_request ("GET", token, id, NULL, 200, NULL);

  g_clear_pointer (&node, json_node_unref);
  node = create_reply (token, "{\"shortcut\":\"mine\",\"title\":\"T\",\"body\":\"B\","
                       "\"owner_id\":null}", 403, "forbidden");
  g_clear_pointer (&node, json_node_unref);
  node = reply_request ("PATCH", token, id, "{\"body\":\"Never.\"}", 403, "forbidden");
  g_clear_pointer (&node, json_node_unref);
  node = reply_request ("DELETE", token, id, NULL, 403, "forbidden");
  g_clear_pointer (&node, json_node_unref);
  node = reply_request ("GET", token, id, NULL, 200, NULL);
  g_assert_true (json_node_equal (node, shared));

  /* nobody writes another agent's own replies, a manager neither */
  for_other = baton_test_strdup_printf_json ("{\"shortcut\":\"theirs\",\"title\":\"T\","
                                             "\"body\":\"B\",\"owner_id\":%s}", other);
  g_clear_pointer (&node, json_node_unref);
  node = create_reply (token, for_other, 403, "forbidden");
  g_clear_pointer (&node, json_node_unref);
  node = create_reply (server->manager_token, for_other, 403, "forbidden");

  /* signed out */
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "GET", "/api/v1/replies", NULL, NULL, 401, NULL);
  g_clear_pointer (&node, json_node_unref);
  node = create_reply (NULL, "{\"shortcut\":\"x\",\"title\":\"T\",\"body\":\"B\"}", 401, NULL);
  g_clear_pointer (&node, json_node_unref);
  node = reply_request ("DELETE", NULL, id, NULL, 401, NULL);
  g_assert_true (lists (token, id));
}

/* Two replies one agent sees never share a shortcut. */
static void
test_conflicts (void)
{
  g_autofree char *token = NULL;
  g_autofree char *other_token = NULL;
  g_autofree char *agent = baton_test_new_agent (server, "Eve Canned", "agent", &token);
  g_autofree char *other = baton_test_new_agent (server, "Fay Canned", "agent", &other_token);
  g_autoptr(JsonNode) shared = NULL;
  g_autoptr(JsonNode) mine = NULL;
  g_autoptr(JsonNode) node = NULL;
  const char *mine_id = NULL;

  shared = create_reply (server->manager_token, "{\"shortcut\":\"refund\",\"title\":\"Refund\","
                         "\"body\":\"Refunded.\",\"owner_id\":null}", 201, NULL);
  /* a personal one may not hide the workspace's, in any case */
  node = create_reply (token, "{\"shortcut\":\"REFUND\",\"title\":\"R\",\"body\":\"R\"}",
                       409, "conflict");
  g_assert_cmpstr (baton_test_get_string (node, "error.field"), ==, "shortcut");

  /* two agents may each have their own "thanks" */
  mine = create_reply (token, "{\"shortcut\":\"thanks\",\"title\":\"Thanks\",\"body\":\"Ta\"}",
                       201, NULL);
  mine_id = baton_test_get_string (mine, "id");
  g_clear_pointer (&node, json_node_unref);
  node = create_reply (other_token, "{\"shortcut\":\"thanks\",\"title\":\"T\",\"body\":\"Ta\"}",
                       201, NULL);
  g_clear_pointer (&node, json_node_unref);
  node = create_reply (token, "{\"shortcut\":\"thanks\",\"title\":\"Again\",\"body\":\"Ta\"}",
                       409, "conflict");
  /* but then the workspace cannot have one */
  g_clear_pointer (&node, json_node_unref);
  node = create_reply (server->manager_token, "{\"shortcut\":\"thanks\",\"title\":\"T\","
                       "\"body\":\"Ta\",\"owner_id\":null}", 409, "conflict");
  /* renaming onto a taken shortcut, and onto its own */
  g_clear_pointer (&node, json_node_unref);
  node = reply_request ("PATCH", token, mine_id, "{\"shortcut\":\"refund\"}", 409, "conflict");
  g_clear_pointer (&node, json_node_unref);
  node = reply_request ("PATCH", token, mine_id, "{\"shortcut\":\"Thanks\",\"title\":\"Ta\"}",
                        200, NULL);
  g_assert_cmpstr (baton_test_get_string (node, "title"), ==, "Ta");
  g_clear_pointer (&node, json_node_unref);
  node = reply_request ("GET", token, baton_test_get_string (shared, "id"), NULL, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (node, "shortcut"), ==, "refund");
}

/* An agent's own replies go with them. */
static void
test_agent_deleted (void)
{
  g_autofree char *token = NULL;
  g_autofree char *agent = baton_test_new_agent (server, "Jo Canned", "agent", &token);
  g_autofree char *path = g_strdup_printf ("/api/v1/agents/%s", agent);
  const char *workspace_body = "{\"shortcut\":\"legacy\",\"title\":\"L\",\"body\":\"L\","
                               "\"owner_id\":null}";
  g_autoptr(JsonNode) own = create_reply (token, "{\"shortcut\":\"legacy\",\"title\":\"L\","
                                          "\"body\":\"L\"}", 201, NULL);
  g_autoptr(JsonNode) node = create_reply (server->manager_token, workspace_body, 409,
                                           "conflict");

  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "DELETE", path, server->manager_token, NULL, 204, NULL);
  g_clear_pointer (&node, json_node_unref);
  node = create_reply (server->manager_token, workspace_body, 201, NULL);
}

static void
test_bad_input (void)
{
  static const struct {
    const char *body;
    const char *field;
  } invalid[] = {
    { "{\"title\":\"T\",\"body\":\"B\"}", "shortcut" },
    { "{\"shortcut\":\"s\",\"body\":\"B\"}", "title" },
    { "{\"shortcut\":\"s\",\"title\":\"T\"}", "body" },
    { "{\"shortcut\":7,\"title\":\"T\",\"body\":\"B\"}", "shortcut" },
    { "{\"shortcut\":\"s\",\"title\":null,\"body\":\"B\"}", "title" },
    { "{\"shortcut\":\"s\",\"title\":\"T\",\"body\":[\"B\"]}", "body" },
    { "{\"shortcut\":\"s\",\"title\":\"T\",\"body\":\"B\",\"owner_id\":5}", "owner_id" },
    { "{\"shortcut\":\"\",\"title\":\"T\",\"body\":\"B\"}", "shortcut" },
    { "{\"shortcut\":\"two words\",\"title\":\"T\",\"body\":\"B\"}", "shortcut" },
    { "{\"shortcut\":\"/slash\",\"title\":\"T\",\"body\":\"B\"}", "shortcut" },
    { "{\"shortcut\":\"abcdefghijklmnopqrstuvwxyz1234567\",\"title\":\"T\",\"body\":\"B\"}",
      "shortcut" },
    { "{\"shortcut\":\"s\",\"title\":\"\",\"body\":\"B\"}", "title" },
    { "{\"shortcut\":\"s\",\"title\":\"T\",\"body\":\"\"}", "body" },
    { "{\"shortcut\":\"s\",\"title\":\"T\",\"body\":\" \\n \"}", "body" },
  };
  g_autofree char *long_title = g_strnfill (201, 't');
  g_autofree char *long_body = g_strnfill (4097, 'b');
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) shared = NULL;
  const char *id = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    baton_test_expect_invalid (server, "POST", "/api/v1/replies", invalid[i].body,
                               invalid[i].field);
  body = baton_test_strdup_printf_json ("{\"shortcut\":\"s\",\"title\":%s,\"body\":\"B\"}",
                                        long_title);
  baton_test_expect_invalid (server, "POST", "/api/v1/replies", body, "title");
  g_free (body);
  body = baton_test_strdup_printf_json ("{\"shortcut\":\"s\",\"title\":\"T\",\"body\":%s}",
                                        long_body);
  baton_test_expect_invalid (server, "POST", "/api/v1/replies", body, "body");
  /* at the limits: 32 characters of shortcut, 4096 of body, accented letters */
  long_body[4096] = '\0';
  g_free (body);
  body = baton_test_strdup_printf_json ("{\"shortcut\":\"abcdefghijklmnopqrstuvwxyz-çé.:_\","
                                        "\"title\":\"T\",\"body\":%s,\"owner_id\":null}",
                                        long_body);
  shared = create_reply (server->manager_token, body, 201, NULL);
  id = baton_test_get_string (shared, "id");

  node = create_reply (server->manager_token, "not json", 400, "bad_request");
  g_clear_pointer (&node, json_node_unref);
  node = create_reply (server->manager_token, "[1]", 400, "bad_request");
  g_clear_pointer (&node, json_node_unref);
  node = reply_request ("PATCH", server->manager_token, id, "{\"body\":false}", 422,
                        "unprocessable");
  g_assert_cmpstr (baton_test_get_string (node, "error.field"), ==, "body");
  g_clear_pointer (&node, json_node_unref);
  node = reply_request ("PATCH", server->manager_token, id, "{\"shortcut\":\"a b\"}", 422,
                        "unprocessable");
  g_assert_cmpstr (baton_test_get_string (node, "error.field"), ==, "shortcut");
  /* the owner is chosen once */
  g_free (body);
  body = baton_test_strdup_printf_json ("{\"owner_id\":%s}", server->manager_id);
  g_clear_pointer (&node, json_node_unref);
  node = reply_request ("PATCH", server->manager_token, id, body, 422, "unprocessable");
  g_assert_cmpstr (baton_test_get_string (node, "error.field"), ==, "owner_id");
  g_clear_pointer (&node, json_node_unref);
  node = reply_request ("PATCH", server->manager_token, id, "{\"owner_id\":null,\"title\":\"U\"}",
                        200, NULL);

  /* nothing of the refused requests was stored */
  g_clear_pointer (&node, json_node_unref);
  node = reply_request ("GET", server->manager_token, id, NULL, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (node, "shortcut"), ==,
                   "abcdefghijklmnopqrstuvwxyz-çé.:_");
  g_assert_cmpstr (baton_test_get_string (node, "title"), ==, "U");
  g_assert_cmpint (strlen (baton_test_get_string (node, "body")), ==, 4096);
}

/* The types of the events a stream got up to a barrier, in order ("reply.*" only). */
static char *
reply_events (BatonTestStream *stream)
{
  g_autofree char *barrier = baton_test_barrier (server);
  g_autoptr(GPtrArray) frames = baton_test_stream_until_barrier (stream, barrier,
                                                                 EVENT_TIMEOUT_MS);
  GString *types = g_string_new (NULL);

  for (guint i = 0; i < frames->len; i++)
    {
      const char *type = json_object_get_string_member (frames->pdata[i], "type");

      if (g_str_has_prefix (type, "reply."))
        g_string_append_printf (types, "%s%s", types->len ? " " : "", type);
    }
  return g_string_free (types, FALSE);
}

/* The workspace's reply events go to everyone, an agent's own to that agent only. */
static void
test_events (void)
{
  g_autofree char *token = NULL;
  g_autofree char *other_token = NULL;
  g_autofree char *agent = baton_test_new_agent (server, "Gil Canned", "agent", &token);
  g_autofree char *other = baton_test_new_agent (server, "Hal Canned", "agent", &other_token);
  BatonTestStream *mine = baton_test_stream_open (server, token, NULL, NULL);
  BatonTestStream *theirs = baton_test_stream_open (server, other_token, NULL, NULL);
  BatonTestStream *managers = baton_test_stream_open (server, server->manager_token, NULL, NULL);
  g_autoptr(JsonNode) shared = NULL;
  g_autoptr(JsonNode) own = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonObject) event = NULL;
  g_autofree char *types = NULL;

  own = create_reply (token, "{\"shortcut\":\"eventful\",\"title\":\"E\",\"body\":\"E\"}", 201,
                      NULL);
  event = baton_test_stream_wait (mine, "reply.created", NULL, EVENT_TIMEOUT_MS);
  g_assert_nonnull (event);
  g_assert_true (json_node_equal (json_object_get_member (event, "data"), own));
  node = reply_request ("PATCH", token, baton_test_get_string (own, "id"), "{\"title\":\"F\"}",
                        200, NULL);
  g_clear_pointer (&node, json_node_unref);
  node = reply_request ("DELETE", token, baton_test_get_string (own, "id"), NULL, 204, NULL);
  types = reply_events (mine);
  g_assert_cmpstr (types, ==, "reply.updated reply.deleted");
  g_free (types);
  types = reply_events (theirs);
  g_assert_cmpstr (types, ==, "");
  g_free (types);
  types = reply_events (managers);
  g_assert_cmpstr (types, ==, "");

  shared = create_reply (server->manager_token, "{\"shortcut\":\"everyone\",\"title\":\"E\","
                         "\"body\":\"E\",\"owner_id\":null}", 201, NULL);
  g_clear_pointer (&node, json_node_unref);
  node = reply_request ("DELETE", server->manager_token, baton_test_get_string (shared, "id"),
                        NULL, 204, NULL);
  for (guint i = 0; i < 3; i++)
    {
      g_free (types);
      types = reply_events (i == 0 ? mine : i == 1 ? theirs : managers);
      g_assert_cmpstr (types, ==, "reply.created reply.deleted");
    }
  baton_test_stream_close (mine);
  baton_test_stream_close (theirs);
  baton_test_stream_close (managers);
}

/* A reconnecting stream replays the events the agent may see, and only those. */
static void
test_replay (void)
{
  g_autofree char *token = NULL;
  g_autofree char *agent = baton_test_new_agent (server, "Ivy Canned", "agent", &token);
  gint64 since = baton_test_current_seq (server);
  g_autofree char *since_text = g_strdup_printf ("%" G_GINT64_FORMAT, since);
  g_autoptr(JsonNode) own = create_reply (token, "{\"shortcut\":\"replayed\",\"title\":\"R\","
                                          "\"body\":\"R\"}", 201, NULL);
  BatonTestStream *mine = baton_test_stream_open (server, token, since_text, NULL);
  BatonTestStream *managers = baton_test_stream_open (server, server->manager_token, since_text,
                                                       NULL);
  g_autofree char *types = NULL;

  types = reply_events (mine);
  g_assert_cmpstr (types, ==, "reply.created");
  g_free (types);
  types = reply_events (managers);
  g_assert_cmpstr (types, ==, "");
  baton_test_stream_close (mine);
  baton_test_stream_close (managers);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  server = baton_test_server_new (NULL);

  g_test_add_func ("/canned/crud", test_crud);
  g_test_add_func ("/canned/personal", test_personal);
  g_test_add_func ("/canned/permissions", test_permissions);
  g_test_add_func ("/canned/conflicts", test_conflicts);
  g_test_add_func ("/canned/agent-deleted", test_agent_deleted);
  g_test_add_func ("/canned/bad-input", test_bad_input);
  g_test_add_func ("/canned/events", test_events);
  g_test_add_func ("/canned/replay", test_replay);

  return baton_test_run (server);
}
