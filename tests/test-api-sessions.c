/* test-api-sessions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "baton-test-helpers.h"

/* Sessions: what an agent sees of their tokens, what revokes one (sign-out, revocation, a
 * new password, idleness), and that a revoked token's event streams close at once, 4401. */

#define CLOSE_TIMEOUT_MS 5000
#define DAY_S (24 * 3600)

static BatonTestServer *server;

static JsonNode *
list_sessions (BatonTestServer *on,
               const char      *token)
{
  return baton_test_expect (on, "GET", "/api/v1/me/sessions", token, NULL, 200, NULL);
}

/* The listed session marked current. */
static JsonObject *
current_session (JsonNode *list)
{
  JsonArray *items = json_object_get_array_member (json_node_get_object (list), "items");

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (json_object_get_boolean_member (item, "current"))
        return item;
    }
  g_assert_not_reached ();
}

/* Whether the stream is still open: it gets an event published after the change. */
static void
assert_stream_open (BatonTestStream *stream)
{
  g_autofree char *barrier = baton_test_barrier (server);
  g_autoptr(GPtrArray) frames = baton_test_stream_until_barrier (stream, barrier, 5000);

  g_assert_false (stream->closed);
}

static void
test_logout_closes_streams (void)
{
  g_autofree char *token = NULL;
  g_autofree char *id = baton_test_create_agent (server, "Leo Logout", "leo@example.com",
                                                 "agent", &token);
  g_autofree char *other = baton_test_login (server, "leo@example.com", BATON_TEST_PASSWORD);
  BatonTestStream *stream = baton_test_stream_open (server, token, NULL, NULL);
  BatonTestStream *kept = baton_test_stream_open (server, other, NULL, NULL);
  g_autoptr(JsonNode) out = NULL;

  g_assert_nonnull (stream);
  g_assert_nonnull (kept);
  out = baton_test_expect (server, "POST", "/api/v1/auth/logout", token, NULL, 204, NULL);
  g_assert_true (baton_test_stream_wait_closed (stream, CLOSE_TIMEOUT_MS));
  g_assert_cmpuint (stream->close_code, ==, 4401);
  /* The agent's other session and its stream go on. */
  assert_stream_open (kept);
  g_clear_pointer (&out, json_node_unref);
  out = baton_test_expect (server, "GET", "/api/v1/me", other, NULL, 200, NULL);
  baton_test_stream_close (stream);
  baton_test_stream_close (kept);
}

/* A new password signs the agent out of every other session, streams included; the session
 * that changed it stays. */
static void
test_password_change_closes_streams (void)
{
  g_autofree char *agent_token = NULL;
  g_autofree char *agent_id = baton_test_create_agent (server, "Pia Password",
                                                       "pia@example.com", "agent",
                                                       &agent_token);
  g_autofree char *boss_token = NULL;
  g_autofree char *boss_id = baton_test_create_agent (server, "Bo Boss", "bo@example.com",
                                                      "manager", &boss_token);
  g_autofree char *boss_other = baton_test_login (server, "bo@example.com",
                                                  BATON_TEST_PASSWORD);
  g_autofree char *agent_path = g_strdup_printf ("/api/v1/agents/%s", agent_id);
  g_autofree char *boss_path = g_strdup_printf ("/api/v1/agents/%s", boss_id);
  BatonTestStream *agent_stream = baton_test_stream_open (server, agent_token, NULL, NULL);
  BatonTestStream *boss_stream = baton_test_stream_open (server, boss_token, NULL, NULL);
  BatonTestStream *boss_other_stream = baton_test_stream_open (server, boss_other, NULL, NULL);
  g_autoptr(JsonNode) node = NULL;

  /* A manager gives the agent a new password: all the agent's sessions end. */
  node = baton_test_expect (server, "PATCH", agent_path, boss_token,
                            "{\"password\":\"a brand new secret\"}", 200, NULL);
  g_assert_true (baton_test_stream_wait_closed (agent_stream, CLOSE_TIMEOUT_MS));
  g_assert_cmpuint (agent_stream->close_code, ==, 4401);
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "GET", "/api/v1/me", agent_token, NULL, 401,
                            "unauthorized");

  /* The manager changes their own: the other session ends, this one stays. */
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "PATCH", boss_path, boss_token,
                            "{\"password\":\"another new secret\"}", 200, NULL);
  g_assert_true (baton_test_stream_wait_closed (boss_other_stream, CLOSE_TIMEOUT_MS));
  g_assert_cmpuint (boss_other_stream->close_code, ==, 4401);
  assert_stream_open (boss_stream);
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "GET", "/api/v1/me", boss_other, NULL, 401, "unauthorized");
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "GET", "/api/v1/me", boss_token, NULL, 200, NULL);
  /* A change without a password ends nothing. */
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "PATCH", boss_path, boss_token, "{\"name\":\"Bo Boss II\"}",
                            200, NULL);
  assert_stream_open (boss_stream);
  baton_test_stream_close (agent_stream);
  baton_test_stream_close (boss_stream);
  baton_test_stream_close (boss_other_stream);
}

static void
test_list_and_revoke (void)
{
  g_autofree char *first = NULL;
  g_autofree char *id = baton_test_create_agent (server, "Sam Sessions", "sam@example.com",
                                                 "agent", &first);
  g_autofree char *second = baton_test_login (server, "sam@example.com", BATON_TEST_PASSWORD);
  g_autofree char *other_token = NULL;
  g_autofree char *other_id = baton_test_create_agent (server, "Oz Other", "oz@example.com",
                                                       "agent", &other_token);
  g_autoptr(JsonNode) list = list_sessions (server, second);
  g_autoptr(JsonNode) from_first = list_sessions (server, first);
  g_autoptr(JsonNode) others = list_sessions (server, other_token);
  g_autofree char *first_id = g_strdup (json_object_get_string_member (
                                          current_session (from_first), "id"));
  g_autofree char *path = g_strdup_printf ("/api/v1/me/sessions/%s", first_id);
  g_autofree char *text = json_to_string (list, FALSE);
  BatonTestStream *stream = baton_test_stream_open (server, first, NULL, NULL);
  JsonObject *current = current_session (list);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) after = NULL;

  /* Both sessions, newest first, the caller's marked; never a token. */
  g_assert_cmpint (baton_test_get_int (list, "items.#"), ==, 2);
  g_assert_true (baton_test_get_bool (list, "items.0.current"));
  g_assert_false (baton_test_get_bool (list, "items.1.current"));
  g_assert_cmpstr (baton_test_get_string (list, "items.1.id"), ==, first_id);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (current, "id"), "ses_"));
  g_assert_cmpstr (json_object_get_string_member (current, "address"), ==, "127.0.0.1");
  g_assert_cmpstr (json_object_get_string_member (current, "user_agent"), ==, "baton-test");
  g_assert_nonnull (json_object_get_string_member (current, "created_at"));
  g_assert_nonnull (json_object_get_string_member (current, "last_used_at"));
  g_assert_false (json_object_has_member (current, "token"));
  g_assert_null (strstr (text, first));
  g_assert_null (strstr (text, second));
  g_assert_nonnull (stream);

  /* Another agent cannot end it, nor learn it exists: 404, as for an unknown id. */
  node = baton_test_expect (server, "DELETE", path, other_token, NULL, 404, "not_found");
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "DELETE", "/api/v1/me/sessions/ses_unknown", second, NULL,
                            404, "not_found");
  g_assert_cmpint (baton_test_get_int (others, "items.#"), ==, 1);

  /* Revoked from the other session: 204, its token dead, its stream closed. */
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "DELETE", path, second, NULL, 204, NULL);
  g_assert_true (baton_test_stream_wait_closed (stream, CLOSE_TIMEOUT_MS));
  g_assert_cmpuint (stream->close_code, ==, 4401);
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "GET", "/api/v1/me", first, NULL, 401, "unauthorized");
  after = list_sessions (server, second);
  g_assert_cmpint (baton_test_get_int (after, "items.#"), ==, 1);
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "DELETE", path, second, NULL, 404, "not_found");
  baton_test_stream_close (stream);
}

/* A User-Agent is kept as valid UTF-8 of at most 256 characters. */
static void
test_user_agent_cleaned (void)
{
  g_autofree char *id = baton_test_create_agent (server, "Una Agent", "una@example.com",
                                                 "agent", NULL);
  g_autofree char *url = g_strconcat (server->url, "/api/v1/auth/login", NULL);
  g_autofree char *body = baton_test_strdup_printf_json ("{\"email\":%s,\"password\":%s}",
                                                         "una@example.com",
                                                         BATON_TEST_PASSWORD);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  /* a session of its own: the harness's sets its User-Agent over the message's */
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GString) user_agent = g_string_new ("Odd\xff\xfe");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) list = NULL;
  const char *kept = NULL;

  while (user_agent->len < 1000)
    g_string_append (user_agent, " and more");
  soup_message_headers_replace (soup_message_get_request_headers (msg), "User-Agent",
                                user_agent->str);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  response = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (response, NULL),
                                             (gssize) g_bytes_get_size (response), NULL));
  list = list_sessions (server, baton_test_get_string (json_parser_get_root (parser), "token"));
  kept = baton_test_get_string (list, "items.0.user_agent");
  g_assert_true (g_utf8_validate (kept, -1, NULL));
  g_assert_true (g_str_has_prefix (kept, "Odd"));
  g_assert_cmpint (g_utf8_strlen (kept, -1), ==, 256);
}

/* session-idle-days=2: a token unused for two days is refused and deleted, its stream
 * closed; its last use is written at most once a minute. */
static void
test_idle_expiry (void)
{
  g_autofree char *config = baton_test_write_config ("session-idle-days=2");
  g_autoptr(BatonTestServer) idle = baton_test_server_new ("--test-clock", "--config", config,
                                                           NULL);
  g_autofree char *token = NULL;
  g_autofree char *id = baton_test_create_agent (idle, "Ida Idle", "ida@example.com", "agent",
                                                 &token);
  g_autoptr(JsonNode) before = list_sessions (idle, token);
  g_autofree char *created = g_strdup (json_object_get_string_member (current_session (before),
                                                                      "last_used_at"));
  g_autoptr(JsonNode) soon = NULL;
  g_autoptr(JsonNode) later = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *again = NULL;
  BatonTestStream *stream = NULL;

  /* Used 30 s later: not written yet. 61 s later: written. */
  baton_test_advance_clock (idle, 30);
  soon = list_sessions (idle, token);
  g_assert_cmpstr (json_object_get_string_member (current_session (soon), "last_used_at"), ==,
                   created);
  baton_test_advance_clock (idle, 31);
  later = list_sessions (idle, token);
  g_assert_cmpstr (json_object_get_string_member (current_session (later), "last_used_at"), >,
                   created);

  /* Used every day or so, it lives on. */
  for (int day = 0; day < 3; day++)
    {
      baton_test_advance_clock (idle, DAY_S + 3600);
      g_clear_pointer (&node, json_node_unref);
      node = baton_test_expect (idle, "GET", "/api/v1/me", token, NULL, 200, NULL);
    }

  /* Two days without a use: refused, its stream closed, and gone from the list. */
  stream = baton_test_stream_open (idle, token, NULL, NULL);
  g_assert_nonnull (stream);
  baton_test_advance_clock (idle, 2 * DAY_S);
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (idle, "GET", "/api/v1/me", token, NULL, 401, "unauthorized");
  g_assert_true (baton_test_stream_wait_closed (stream, CLOSE_TIMEOUT_MS));
  g_assert_cmpuint (stream->close_code, ==, 4401);
  again = baton_test_login (idle, "ida@example.com", BATON_TEST_PASSWORD);
  g_clear_pointer (&node, json_node_unref);
  node = list_sessions (idle, again);
  g_assert_cmpint (baton_test_get_int (node, "items.#"), ==, 1);
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (idle, "GET", "/api/v1/me", token, NULL, 401, "unauthorized");
  baton_test_stream_close (stream);
  g_unlink (config);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  server = baton_test_server_new ("--test-clock", NULL);

  g_test_add_func ("/sessions/logout-closes-streams", test_logout_closes_streams);
  g_test_add_func ("/sessions/password-change-closes-streams",
                   test_password_change_closes_streams);
  g_test_add_func ("/sessions/list-and-revoke", test_list_and_revoke);
  g_test_add_func ("/sessions/user-agent-cleaned", test_user_agent_cleaned);
  g_test_add_func ("/sessions/idle-expiry", test_idle_expiry);

  return baton_test_run (server);
}
