/* test-input.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-test-helpers.h"

/* Hostile input through real HTTP: none of it may crash the server, answer 5xx, or change
 * stored data it should not. */

#define BODY_LIMIT (1024 * 1024)
#define FUZZ_REQUESTS 2000
/* g_test_rand_*() follow the test seed; without --seed this one makes runs repeatable. */
#define DEFAULT_SEED "--seed=R02S0badc0de0badc0de0badc0de0badc0de"

static BatonTestServer *server;

/* Objects the malformed requests are aimed at. */
static char *channel_id;
static char *channel_secret;
static char *conversation_id;
static char *contact_id;
static char *team_id;
static char *agent_id;

/* A conversation nothing in these tests may touch, and how it read at the start. */
static char *witness_id;
static char *witness_before;
static char *witness_messages_before;

static GBytes *
bytes_of (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

/* Sends raw bytes; returns the status and, when it is JSON, the body. */
static guint
send_bytes (const char  *method,
            const char  *path,
            const char  *token,
            GBytes      *body,
            JsonNode   **json)
{
  g_autoptr(GBytes) response = NULL;
  g_autoptr(SoupMessage) msg = baton_test_send_raw (server, method, path, token, body,
                                                    &response);
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length = 0;
  const char *data = g_bytes_get_data (response, &length);

  if (json)
    {
      *json = NULL;
      /* Every answer must be valid UTF-8 JSON, errors included. */
      if (length > 0)
        {
          g_assert_true (g_utf8_validate_len (data, length, NULL));
          if (json_parser_load_from_data (parser, data, (gssize) length, NULL))
            *json = json_node_ref (json_parser_get_root (parser));
        }
    }
  return soup_message_get_status (msg);
}

static void
expect_bytes (const char *method,
              const char *path,
              GBytes     *body,
              guint       expected_status,
              const char *expected_code,
              const char *expected_field)
{
  g_autoptr(JsonNode) node = NULL;
  guint status = send_bytes (method, path, server->manager_token, body, &node);

  if (status != expected_status)
    g_error ("%s %s: expected %u, got %u", method, path, expected_status, status);
  g_assert_nonnull (node);
  g_assert_cmpstr (baton_test_get_string (node, "error.code"), ==, expected_code);
  g_assert_nonnull (baton_test_get_string (node, "error.message"));
  g_assert_cmpstr (baton_test_get_string (node, "error.field"), ==, expected_field);
}

static void
assert_alive (void)
{
  g_autoptr(JsonNode) health = baton_test_expect (server, "GET", "/healthz", NULL, NULL, 200,
                                                  NULL);

  g_assert_cmpstr (baton_test_get_string (health, "status"), ==, "ok");
}

static guint
count_agents (void)
{
  g_autoptr(JsonNode) list = baton_test_expect (server, "GET", "/api/v1/agents",
                                                server->manager_token, NULL, 200, NULL);

  return json_array_get_length (json_object_get_array_member (json_node_get_object (list),
                                                              "items"));
}

/* The endpoints that read a JSON body, as the manager would call them. */
typedef struct {
  const char *method;
  char *path;
  gboolean inbound;
} Target;

static GPtrArray *targets;

static void
add_target (const char *method,
            char       *path,
            gboolean    inbound)
{
  Target *target = g_new0 (Target, 1);

  target->method = method;
  target->path = path;
  target->inbound = inbound;
  g_ptr_array_add (targets, target);
}

static void
target_free (Target *target)
{
  g_free (target->path);
  g_free (target);
}

static void
build_targets (void)
{
  targets = g_ptr_array_new_with_free_func ((GDestroyNotify) target_free);
  add_target ("POST", g_strdup ("/api/v1/auth/login"), FALSE);
  add_target ("PUT", g_strdup ("/api/v1/me/availability"), FALSE);
  add_target ("POST", g_strdup ("/api/v1/agents"), FALSE);
  add_target ("PATCH", g_strdup_printf ("/api/v1/agents/%s", agent_id), FALSE);
  add_target ("POST", g_strdup ("/api/v1/teams"), FALSE);
  add_target ("PATCH", g_strdup_printf ("/api/v1/teams/%s", team_id), FALSE);
  add_target ("PATCH", g_strdup_printf ("/api/v1/contacts/%s", contact_id), FALSE);
  add_target ("PUT", g_strdup_printf ("/api/v1/contacts/%s/owners", contact_id), FALSE);
  add_target ("POST", g_strdup_printf ("/api/v1/conversations/%s/messages", conversation_id),
              FALSE);
  add_target ("PUT", g_strdup_printf ("/api/v1/conversations/%s/assignment", conversation_id),
              FALSE);
  add_target ("PUT", g_strdup_printf ("/api/v1/conversations/%s/tags", conversation_id), FALSE);
  add_target ("PATCH", g_strdup ("/api/v1/settings"), FALSE);
  add_target ("POST", g_strdup ("/api/v1/channels"), FALSE);
  add_target ("PATCH", g_strdup_printf ("/api/v1/channels/%s", channel_id), FALSE);
  add_target ("POST", g_strdup_printf ("/api/v1/channels/%s/inbound", channel_id), TRUE);
}

/* Sends to a target, with the channel secret where the target wants one. */
static guint
send_to_target (Target    *target,
                GBytes    *body,
                JsonNode **json)
{
  g_autofree char *url = g_strconcat (server->url, target->path, NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length = 0;
  const char *data = NULL;

  if (!target->inbound)
    return send_bytes (target->method, target->path, server->manager_token, body, json);

  msg = soup_message_new (target->method, url);
  soup_message_headers_replace (soup_message_get_request_headers (msg),
                                "X-Baton-Channel-Secret", channel_secret);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  response = soup_session_send_and_read (server->session, msg, NULL, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (response, &length);
  *json = NULL;
  if (length > 0)
    {
      g_assert_true (g_utf8_validate_len (data, length, NULL));
      if (json_parser_load_from_data (parser, data, (gssize) length, NULL))
        *json = json_node_ref (json_parser_get_root (parser));
    }
  return soup_message_get_status (msg);
}

/* Every target answers every body with a 400 bad_request (printable: the bodies are text to
 * show in a failure, else their index is). */
static void
assert_refused_everywhere (const char *const *bodies,
                           guint              n_bodies,
                           gboolean           printable)
{
  for (guint t = 0; t < targets->len; t++)
    {
      Target *target = targets->pdata[t];

      for (guint b = 0; b < n_bodies; b++)
        {
          g_autoptr(GBytes) body = bytes_of (bodies[b]);
          g_autoptr(JsonNode) node = NULL;
          guint status = send_to_target (target, body, &node);

          if (status != 400 && printable)
            g_error ("%s %s with «%s»: expected 400, got %u", target->method, target->path,
                     bodies[b], status);
          if (status != 400)
            g_error ("%s %s with invalid UTF-8 #%u: expected 400, got %u", target->method,
                     target->path, b, status);
          g_assert_nonnull (node);
          g_assert_cmpstr (baton_test_get_string (node, "error.code"), ==, "bad_request");
        }
    }
}

static void
test_malformed_json (void)
{
  static const char *bodies[] = {
    "{\"name\":",                       /* truncated */
    "{\"name\":\"Ann\"",                /* truncated */
    "{\"name\":\"Ann\"} garbage",       /* trailing garbage */
    "{\"name\":\"Ann\"}}",
    "{\"name\":\"Ann\"} {\"name\":\"Bob\"}",
    "[{\"name\":\"Ann\"}]",             /* top-level array */
    "[]",
    "\"name\"",
    "42",
    "true",
    "null",
    "",                                 /* empty */
    " ",
    "{name:\"Ann\"}",
    "{'name':'Ann'}",
    "{\"name\":\"Ann\",}",
    "{\"name\":\"Ann\" /* comment */}",
    "{\"n\":0x10}",
    "{\"n\":01}",
    "{\"n\":NaN}",
    "{\"n\":-}",
    "{\"name\":\"tab\tinside\"}",
    "{\"name\":\"\\x41\"}",
    "\xef\xbb\xbf{\"name\":\"Ann\"}",   /* byte order mark */
  };
  guint agents = count_agents ();

  assert_refused_everywhere (bodies, G_N_ELEMENTS (bodies), TRUE);
  g_assert_cmpuint (count_agents (), ==, agents);
  assert_alive ();
}

static void
test_deep_nesting (void)
{
  static const guint depths[] = { 100, 10000, 200000 };

  for (guint i = 0; i < G_N_ELEMENTS (depths); i++)
    {
      GString *text = g_string_new ("{\"name\":");
      g_autoptr(GBytes) body = NULL;
      g_autoptr(JsonNode) node = NULL;
      guint status;

      for (guint d = 0; d < depths[i]; d++)
        g_string_append_c (text, '[');
      for (guint d = 0; d < depths[i]; d++)
        g_string_append_c (text, ']');
      g_string_append_c (text, '}');
      body = g_string_free_to_bytes (text);
      status = send_bytes ("POST", "/api/v1/teams", server->manager_token, body, &node);
      /* Too deep to read is 400; readable but not a name is 422. Never a crash. */
      g_assert_true (status == 400 || status == 422);
      g_assert_nonnull (node);
      assert_alive ();
    }
}

static void
test_invalid_utf8 (void)
{
  static const char *bodies[] = {
    "{\"name\":\"\xff\xfe\"}",
    "{\"name\":\"Caf\xe9\"}",                   /* Latin-1 */
    "{\"name\":\"\xc0\xaf\"}",                  /* overlong '/' */
    "{\"name\":\"\xed\xa0\x80\"}",              /* encoded surrogate */
    "{\"name\":\"\xf4\x90\x80\x80\"}",          /* past U+10FFFF */
    "{\"name\":\"cut \xe2\x82\"}",              /* truncated sequence */
    "{\"na\xffme\":\"Ann\"}",                   /* in a member name */
    "\xff{\"name\":\"Ann\"}",
  };
  guint agents = count_agents ();

  assert_refused_everywhere (bodies, G_N_ELEMENTS (bodies), FALSE);

  /* A NUL byte in the body is no better. */
  {
    static const char with_nul[] = "{\"name\":\"A\0B\",\"strategy\":\"round_robin\"}";
    g_autoptr(GBytes) body = g_bytes_new (with_nul, sizeof with_nul - 1);

    expect_bytes ("POST", "/api/v1/teams", body, 400, "bad_request", NULL);
  }
  g_assert_cmpuint (count_agents (), ==, agents);
  assert_alive ();
}

static void
test_wrong_types (void)
{
  static const struct {
    const char *method;
    const char *path;   /* %s: the target object's id */
    const char *body;
    const char *field;
  } cases[] = {
    /* number for a string */
    { "POST", "/api/v1/agents", "{\"name\":42,\"email\":\"t1@example.com\","
      "\"password\":\"12345678\",\"role\":\"agent\"}", "name" },
    { "POST", "/api/v1/agents", "{\"name\":\"T\",\"email\":7,"
      "\"password\":\"12345678\",\"role\":\"agent\"}", "email" },
    { "POST", "/api/v1/agents", "{\"name\":\"T\",\"email\":\"t1@example.com\","
      "\"password\":12345678,\"role\":\"agent\"}", "password" },
    { "POST", "/api/v1/agents", "{\"name\":\"T\",\"email\":\"t1@example.com\","
      "\"password\":\"12345678\",\"role\":1}", "role" },
    { "POST", "/api/v1/auth/login", "{\"email\":1,\"password\":\"x\"}", "email" },
    { "PUT", "/api/v1/me/availability", "{\"availability\":true}", "availability" },
    { "POST", "/api/v1/teams", "{\"name\":[\"T\"],\"strategy\":\"round_robin\"}", "name" },
    { "POST", "/api/v1/teams", "{\"name\":\"T\",\"strategy\":3}", "strategy" },
    { "PATCH", "/api/v1/settings", "{\"timezone\":3600}", "timezone" },
    { "POST", "/api/v1/channels", "{\"kind\":\"api\",\"name\":{}}", "name" },
    { "POST", "/api/v1/conversations/%s/messages", "{\"body\":123}", "body" },
    { "PUT", "/api/v1/conversations/%s/assignment", "{\"team_id\":5}", "team_id" },
    /* string for a bool */
    { "POST", "/api/v1/teams", "{\"name\":\"T\",\"strategy\":\"round_robin\","
      "\"only_online\":\"true\"}", "only_online" },
    { "PATCH", "/api/v1/settings", "{\"unassign_on_resolve\":\"false\"}",
      "unassign_on_resolve" },
    { "PATCH", "/api/v1/settings", "{\"first_reply_takes_assignment\":0}",
      "first_reply_takes_assignment" },
    { "POST", "/api/v1/conversations/%s/messages", "{\"body\":\"Hi\",\"note\":\"yes\"}",
      "note" },
    /* object for an array */
    { "POST", "/api/v1/teams", "{\"name\":\"T\",\"strategy\":\"round_robin\","
      "\"member_ids\":{\"0\":\"agt\"}}", "member_ids" },
    { "PUT", "/api/v1/contacts/%s/owners", "{\"owner_ids\":{}}", "owner_ids" },
    { "PATCH", "/api/v1/contacts/%s", "{\"tags\":{\"vip\":true}}", "tags" },
    { "PUT", "/api/v1/conversations/%s/tags", "{\"tags\":{}}", "tags" },
    { "PUT", "/api/v1/conversations/%s/assignment", "{\"assignee_ids\":{}}", "assignee_ids" },
    /* wrong element types */
    { "PUT", "/api/v1/contacts/%s/owners", "{\"owner_ids\":[1]}", "owner_ids[0]" },
    { "PUT", "/api/v1/conversations/%s/tags", "{\"tags\":[\"ok\",null]}", "tags[1]" },
    { "PUT", "/api/v1/conversations/%s/assignment", "{\"assignee_ids\":[[]]}",
      "assignee_ids[0]" },
    /* array or string for an object */
    { "PATCH", "/api/v1/contacts/%s", "{\"fields\":[]}", "fields" },
    { "PATCH", "/api/v1/contacts/%s", "{\"fields\":\"plan=pro\"}", "fields" },
    /* numbers that are not integers */
    { "POST", "/api/v1/teams", "{\"name\":\"T\",\"strategy\":\"round_robin\","
      "\"max_active_per_agent\":1.5}", "max_active_per_agent" },
    { "POST", "/api/v1/teams", "{\"name\":\"T\",\"strategy\":\"round_robin\","
      "\"reassign_after_minutes\":\"10\"}", "reassign_after_minutes" },
    { "POST", "/api/v1/teams", "{\"name\":\"T\",\"strategy\":\"round_robin\","
      "\"max_active_per_agent\":1e300}", "max_active_per_agent" },
    { "POST", "/api/v1/teams", "{\"name\":\"T\",\"strategy\":\"round_robin\","
      "\"max_active_per_agent\":9223372036854775807}", "max_active_per_agent" },
    { "PUT", "/api/v1/conversations/%s/assignment", "{\"expected_version\":\"3\"}",
      "expected_version" },
    { "PUT", "/api/v1/conversations/%s/assignment", "{\"expected_version\":2.0}",
      "expected_version" },
  };
  g_autoptr(JsonNode) conversation_before = NULL;
  g_autoptr(JsonNode) conversation_after = NULL;
  g_autofree char *conversation_path = g_strdup_printf ("/api/v1/conversations/%s",
                                                        conversation_id);
  guint agents = count_agents ();

  conversation_before = baton_test_expect (server, "GET", conversation_path,
                                           server->manager_token, NULL, 200, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *id = strstr (cases[i].path, "/contacts/") ? contact_id : conversation_id;
      g_autofree char *path = g_strdup_printf (cases[i].path, id);
      g_autoptr(GBytes) body = bytes_of (cases[i].body);

      expect_bytes (cases[i].method, path, body, 422, "unprocessable", cases[i].field);
    }

  /* Through the channel's own door too. */
  {
    static const struct {
      const char *body;
      const char *field;
    } inbound[] = {
      { "{\"from\":15550001,\"body\":\"x\"}", "from" },
      { "{\"from\":\"+15550001\",\"body\":[\"x\"]}", "body" },
      { "{\"from\":\"+15550001\",\"body\":\"x\",\"name\":false}", "name" },
      { "{\"from\":\"+15550001\",\"body\":\"x\",\"external_id\":{}}", "external_id" },
      { "{\"from\":\"+15550001\",\"body\":\"x\",\"sent_at\":1700000000}", "sent_at" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (inbound); i++)
      {
        g_autoptr(JsonNode) node = baton_test_inbound_expect (server, channel_id,
                                                              channel_secret, inbound[i].body,
                                                              422, "unprocessable");

        g_assert_cmpstr (baton_test_get_string (node, "error.field"), ==, inbound[i].field);
      }
  }

  conversation_after = baton_test_expect (server, "GET", conversation_path,
                                          server->manager_token, NULL, 200, NULL);
  g_assert_true (json_node_equal (conversation_before, conversation_after));
  g_assert_cmpuint (count_agents (), ==, agents);
}

/* Sends a body of size bytes that is JSON up to the limit (a long string). */
static GBytes *
big_body (gsize size)
{
  char *data = g_malloc (size);

  memset (data, 'a', size);
  memcpy (data, "{\"name\":\"", 9);
  memcpy (data + size - 2, "\"}", 2);
  return g_bytes_new_take (data, size);
}

/* Headers only, asking "Expect: 100-continue": a Content-Length over the limit is refused
 * at once, without waiting for a body. */
static char *
send_headers_only (const char *path,
                   gsize       content_length)
{
  g_autoptr(GUri) uri = g_uri_parse (server->url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *request = NULL;
  GString *answer = g_string_new (NULL);
  char buffer[4096];
  gssize got;

  g_socket_client_set_timeout (client, 10);
  connection = g_socket_client_connect_to_host (client, g_uri_get_host (uri),
                                                (guint16) g_uri_get_port (uri), NULL, &error);
  g_assert_no_error (error);
  request = g_strdup_printf ("POST %s HTTP/1.1\r\nHost: %s:%d\r\n"
                             "Authorization: Bearer %s\r\n"
                             "Content-Type: application/json\r\n"
                             "Expect: 100-continue\r\n"
                             "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n",
                             path, g_uri_get_host (uri), g_uri_get_port (uri),
                             server->manager_token, content_length);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), request,
                             strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);
  /* The server answers and closes. */
  while ((got = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                     buffer, sizeof buffer, NULL, &error)) > 0)
    g_string_append_len (answer, buffer, got);
  g_assert_no_error (error);
  return g_string_free (answer, FALSE);
}

static void
test_too_large (void)
{
  guint agents = count_agents ();

  /* One byte over, as a whole body with its Content-Length. */
  {
    g_autoptr(GBytes) body = big_body (BODY_LIMIT + 1);

    expect_bytes ("POST", "/api/v1/agents", body, 413, "payload_too_large", NULL);
  }
  assert_alive ();
  {
    g_autoptr(GBytes) body = big_body (BODY_LIMIT + 1);
    g_autoptr(JsonNode) node = NULL;
    Target inbound = { "POST", NULL, TRUE };

    inbound.path = g_strdup_printf ("/api/v1/channels/%s/inbound", channel_id);
    g_assert_cmpuint (send_to_target (&inbound, body, &node), ==, 413);
    g_assert_cmpstr (baton_test_get_string (node, "error.code"), ==, "payload_too_large");
    g_free (inbound.path);
  }
  assert_alive ();

  /* Announced but not sent: refused from the header. */
  {
    g_autofree char *answer = send_headers_only ("/api/v1/teams", 64 * BODY_LIMIT);

    g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 413"));
    g_assert_nonnull (strstr (answer, "payload_too_large"));
  }
  assert_alive ();

  /* Chunked, so that no Content-Length tells in advance. */
  {
    g_autoptr(GBytes) body = big_body (2 * BODY_LIMIT);
    g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (body);
    g_autofree char *url = g_strconcat (server->url, "/api/v1/agents", NULL);
    g_autofree char *header = g_strdup_printf ("Bearer %s", server->manager_token);
    g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
    g_autoptr(GBytes) response = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonParser) parser = json_parser_new ();

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                  header);
    soup_message_set_request_body (msg, "application/json", stream, -1);
    response = soup_session_send_and_read (server->session, msg, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 413);
    g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (response, NULL),
                                               (gssize) g_bytes_get_size (response), NULL));
    g_assert_cmpstr (baton_test_get_string (json_parser_get_root (parser), "error.code"), ==,
                     "payload_too_large");
  }
  assert_alive ();

  /* Just under the limit is read (and judged on its content: the name is too long). */
  {
    g_autoptr(GBytes) body = big_body (BODY_LIMIT);

    expect_bytes ("POST", "/api/v1/teams", body, 422, "unprocessable", "name");
  }
  assert_alive ();
  g_assert_cmpuint (count_agents (), ==, agents);
}

/* The server's peak resident memory, in KiB. */
static gint64
server_peak_kib (void)
{
  return baton_test_server_status_kib (server, "VmHWM");
}

/* A body far over the limit is refused without being kept: sent whole with its length, or
 * chunked, it must not grow the server by its size. */
static void
test_too_large_memory (void)
{
  const gsize size = 128 * BODY_LIMIT;
  g_autoptr(GBytes) body = big_body (size);
  gint64 before = 0;

  if (!g_file_test ("/proc/self/status", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("needs /proc");
      return;
    }
  before = server_peak_kib ();
  expect_bytes ("POST", "/api/v1/teams", body, 413, "payload_too_large", NULL);
  assert_alive ();
  {
    g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (body);
    g_autofree char *url = g_strconcat (server->url, "/api/v1/teams", NULL);
    g_autofree char *header = g_strdup_printf ("Bearer %s", server->manager_token);
    g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
    g_autoptr(GBytes) response = NULL;
    g_autoptr(GError) error = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                  header);
    soup_message_set_request_body (msg, "application/json", stream, -1);
    response = soup_session_send_and_read (server->session, msg, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 413);
  }
  assert_alive ();
  /* Well under the body's 128 MiB. */
  g_assert_cmpint (server_peak_kib () - before, <, 32 * 1024);
}

/* Random bodies */

static const char *member_names[] = {
  "name", "email", "password", "role", "availability", "strategy", "member_ids",
  "default_user_id", "backup_user_id", "only_online", "max_active_per_agent",
  "reassign_after_minutes", "tags", "fields", "owner_ids", "assignee_ids", "team_id",
  "expected_version", "body", "note", "mode", "timezone", "unassign_on_resolve",
  "first_reply_takes_assignment", "first_responder_becomes_owner", "kind", "default_team_id",
  "from", "external_id", "sent_at", "template", "seconds", "", "\\u0000", "é",
};

static void append_random_value (GString *out,
                                 guint    depth);

static void
append_random_string (GString *out)
{
  static const char *pieces[] = {
    "", "a", "Ann", "VIP", "agent", "manager", "online", "round_robin", "default_user",
    "Europe/Paris", "Mars/Olympus", "ann@example.com", "12345678", "é", "日本", "🙂",
    "\\n", "\\\"", "\\\\", "\\u0000", "\\ud83d\\ude00", "\\u00e9", " ", "%", "_", "'", "<b>",
    "2026-11-22T09:30:00.000Z", "agt_", "tem_", "cnv_", "../", "NULL", "DROP TABLE agents;",
  };
  guint count = (guint) g_test_rand_int_range (0, 4);

  g_string_append_c (out, '"');
  for (guint i = 0; i < count; i++)
    g_string_append (out, pieces[g_test_rand_int_range (0, G_N_ELEMENTS (pieces))]);
  /* Now and then a long one. */
  if (g_test_rand_int_range (0, 20) == 0)
    for (int i = g_test_rand_int_range (100, 5000); i > 0; i--)
      g_string_append_c (out, 'x');
  g_string_append_c (out, '"');
}

static void
append_random_value (GString *out,
                     guint    depth)
{
  static const char *numbers[] = {
    "0", "-1", "1", "3", "200", "10080", "10081", "2147483648", "9223372036854775807",
    "-9223372036854775808", "99999999999999999999999", "1.5", "-0", "1e308", "1e-308", "2E3",
  };
  int kind = g_test_rand_int_range (0, depth < 3 ? 8 : 6);

  switch (kind)
    {
    case 0:
      g_string_append (out, "null");
      break;
    case 1:
      g_string_append (out, g_test_rand_bit () ? "true" : "false");
      break;
    case 2:
      g_string_append (out, numbers[g_test_rand_int_range (0, G_N_ELEMENTS (numbers))]);
      break;
    case 3:
    case 4:
    case 5:
      append_random_string (out);
      break;
    case 6:
      {
        int count = g_test_rand_int_range (0, 4);

        g_string_append_c (out, '[');
        for (int i = 0; i < count; i++)
          {
            if (i)
              g_string_append_c (out, ',');
            append_random_value (out, depth + 1);
          }
        g_string_append_c (out, ']');
      }
      break;
    default:
      {
        int count = g_test_rand_int_range (0, 4);

        g_string_append_c (out, '{');
        for (int i = 0; i < count; i++)
          {
            if (i)
              g_string_append_c (out, ',');
            g_string_append_printf (out, "\"%s\":",
                                    member_names[g_test_rand_int_range (
                                                   0, G_N_ELEMENTS (member_names))]);
            append_random_value (out, depth + 1);
          }
        g_string_append_c (out, '}');
      }
      break;
    }
}

/* An object with known member names and values of any type. */
static GBytes *
random_object (void)
{
  GString *out = g_string_new ("{");
  int count = g_test_rand_int_range (0, 6);

  for (int i = 0; i < count; i++)
    {
      if (i)
        g_string_append_c (out, ',');
      g_string_append_printf (out, "\"%s\":",
                              member_names[g_test_rand_int_range (0,
                                                                  G_N_ELEMENTS (member_names))]);
      append_random_value (out, 1);
    }
  g_string_append_c (out, '}');
  return g_string_free_to_bytes (out);
}

static GBytes *
random_bytes (void)
{
  int length = g_test_rand_int_range (0, 300);
  guint8 *data = g_malloc (MAX (length, 1));

  for (int i = 0; i < length; i++)
    data[i] = (guint8) g_test_rand_int_range (0, 256);
  return g_bytes_new_take (data, length);
}

/* A well-formed object with a few bytes flipped, dropped, added or cut. */
static GBytes *
mutated_object (void)
{
  g_autoptr(GBytes) original = random_object ();
  GByteArray *bytes = g_byte_array_new ();
  int mutations = g_test_rand_int_range (1, 5);

  g_byte_array_append (bytes, g_bytes_get_data (original, NULL), g_bytes_get_size (original));
  for (int m = 0; m < mutations && bytes->len > 0; m++)
    {
      guint at = (guint) g_test_rand_int_range (0, bytes->len);
      static const guint8 specials[] = { '{', '}', '[', ']', '"', ',', ':', '\\', 0, 0xff,
                                         0xc3, 'e', '-', '.' };
      guint8 special = specials[g_test_rand_int_range (0, G_N_ELEMENTS (specials))];

      switch (g_test_rand_int_range (0, 4))
        {
        case 0:
          bytes->data[at] = (guint8) g_test_rand_int_range (0, 256);
          break;
        case 1:
          g_byte_array_remove_index (bytes, at);
          break;
        case 2:
          g_byte_array_set_size (bytes, bytes->len + 1);
          memmove (bytes->data + at + 1, bytes->data + at, bytes->len - at - 1);
          bytes->data[at] = special;
          break;
        default:
          g_byte_array_set_size (bytes, at);
          break;
        }
    }
  return g_byte_array_free_to_bytes (bytes);
}

static void
test_random_bodies (void)
{
  guint statuses[600] = { 0 };

  for (guint i = 0; i < FUZZ_REQUESTS; i++)
    {
      Target *target = targets->pdata[g_test_rand_int_range (0, targets->len)];
      g_autoptr(GBytes) body = NULL;
      g_autoptr(JsonNode) node = NULL;
      guint status;

      switch (g_test_rand_int_range (0, 3))
        {
        case 0:
          body = random_bytes ();
          break;
        case 1:
          body = mutated_object ();
          break;
        default:
          body = random_object ();
          break;
        }
      status = send_to_target (target, body, &node);
      if (status >= 500 || status < 200)
        {
          g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL),
                                             g_bytes_get_size (body));

          g_error ("request %u, %s %s with «%s»: status %u", i, target->method, target->path,
                   text, status);
        }
      /* Errors keep their shape. */
      if (status >= 400)
        {
          g_assert_nonnull (node);
          g_assert_nonnull (baton_test_get_string (node, "error.code"));
        }
      statuses[status]++;
      if (i % 250 == 249)
        assert_alive ();
    }
  g_test_message ("statuses: 200 %u, 201 %u, 202 %u, 400 %u, 401 %u, 409 %u, 422 %u, 429 %u",
                  statuses[200], statuses[201], statuses[202], statuses[400], statuses[401],
                  statuses[409], statuses[422], statuses[429]);
  /* The mix reached both the parser and the validators. */
  g_assert_cmpuint (statuses[400], >, 100);
  g_assert_cmpuint (statuses[422], >, 100);
  assert_alive ();

  /* Random sign-ins may have tripped the throttle; let its window pass. */
  {
    g_autoptr(JsonNode) node = baton_test_expect (server, "POST", "/api/v1/test/clock/advance",
                                                  server->manager_token, "{\"seconds\":901}",
                                                  200, NULL);
  }
  g_free (baton_test_login (server, BATON_TEST_MANAGER_EMAIL, BATON_TEST_PASSWORD));
}

static void
test_unknown_ids (void)
{
  static const char *paths[] = {
    "/api/v1/agents/%s",
    "/api/v1/teams/%s",
    "/api/v1/contacts/%s",
    "/api/v1/conversations/%s",
    "/api/v1/conversations/%s/messages",
    "/api/v1/attachments/%s",
  };
  g_autofree char *long_id = g_strnfill (8000, 'x');
  g_autofree char *long_escaped = NULL;
  const char *ids[] = {
    "agt_00000000000000000000000000",
    "cnv_missing",
    "abc%2Fdef",
    "%2F",
    "%C3%A9t%C3%A9",
    "%FF",
    "%FE%FF",
    "%E2%82",
    "%0A",
    "%27%20OR%201%3D1%20--",
    "%25",
    "~",
    long_id,
    NULL,
  };
  GString *escaped = g_string_new (NULL);

  for (guint i = 0; i < 2000; i++)
    g_string_append (escaped, "%C3%A9");
  long_escaped = g_string_free (escaped, FALSE);
  ids[G_N_ELEMENTS (ids) - 1] = long_escaped;

  for (guint p = 0; p < G_N_ELEMENTS (paths); p++)
    for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
      {
        g_autofree char *path = g_strdup_printf (paths[p], ids[i]);
        g_autoptr(JsonNode) node = NULL;
        guint status = send_bytes ("GET", path, server->manager_token, NULL, &node);

        if (status != 404)
          g_error ("GET %.80s: expected 404, got %u", path, status);
        g_assert_nonnull (node);
        g_assert_cmpstr (baton_test_get_string (node, "error.code"), ==, "not_found");
      }

  /* Writes to unknown ids are 404 too, before the body is judged. */
  {
    static const struct {
      const char *method;
      const char *path;
      const char *body;
    } writes[] = {
      { "PATCH", "/api/v1/agents/%s", "{\"name\":\"X\"}" },
      { "DELETE", "/api/v1/agents/%s", NULL },
      { "PATCH", "/api/v1/teams/%s", "{\"name\":\"X\"}" },
      { "DELETE", "/api/v1/teams/%s", NULL },
      { "PATCH", "/api/v1/contacts/%s", "{\"name\":\"X\"}" },
      { "PUT", "/api/v1/contacts/%s/owners", "{\"owner_ids\":[]}" },
      { "POST", "/api/v1/conversations/%s/messages", "{\"body\":\"X\"}" },
      { "PUT", "/api/v1/conversations/%s/assignment", "{\"assignee_ids\":[]}" },
      { "POST", "/api/v1/conversations/%s/claim", NULL },
      { "POST", "/api/v1/conversations/%s/resolve", NULL },
      { "POST", "/api/v1/conversations/%s/reopen", NULL },
      { "PUT", "/api/v1/conversations/%s/tags", "{\"tags\":[]}" },
      { "PATCH", "/api/v1/channels/%s", "{\"name\":\"X\"}" },
      { "DELETE", "/api/v1/channels/%s", NULL },
      { "POST", "/api/v1/channels/%s/inbound", "{\"from\":\"+1\",\"body\":\"X\"}" },
    };
    const char *write_ids[] = { "nope", "%2F", "%FF", long_id };

    for (guint w = 0; w < G_N_ELEMENTS (writes); w++)
      for (guint i = 0; i < G_N_ELEMENTS (write_ids); i++)
        {
          g_autofree char *path = g_strdup_printf (writes[w].path, write_ids[i]);
          g_autoptr(GBytes) body = writes[w].body ? bytes_of (writes[w].body) : NULL;
          g_autoptr(JsonNode) node = NULL;
          guint status = send_bytes (writes[w].method, path, server->manager_token, body,
                                     &node);

          if (status != 404)
            g_error ("%s %.80s: expected 404, got %u", writes[w].method, path, status);
          g_assert_nonnull (node);
          g_assert_cmpstr (baton_test_get_string (node, "error.code"), ==, "not_found");
        }
  }
  assert_alive ();
}

/* Request lines libsoup itself cannot read: refused, and the server lives on. */
static void
test_unreadable_paths (void)
{
  static const char *paths[] = {
    "/api/v1/agents/%zz",
    "/api/v1/agents/%00",
    "/api/v1/agents/%",
    "/api/v1/conversations/%G1/messages",
    /* libsoup decodes %2F and then refuses the dot segments */
    "/api/v1/agents/%2F..%2F..%2Fetc%2Fpasswd",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GUri) uri = g_uri_parse (server->url, G_URI_FLAGS_NONE, NULL);
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketConnection) connection = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *request = NULL;
      char buffer[1024] = { 0 };
      gssize got;

      g_socket_client_set_timeout (client, 10);
      connection = g_socket_client_connect_to_host (client, g_uri_get_host (uri),
                                                    (guint16) g_uri_get_port (uri), NULL,
                                                    &error);
      g_assert_no_error (error);
      request = g_strdup_printf ("GET %s HTTP/1.1\r\nHost: %s:%d\r\nAuthorization: Bearer %s\r\n"
                                 "Connection: close\r\n\r\n", paths[i], g_uri_get_host (uri),
                                 g_uri_get_port (uri), server->manager_token);
      g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                 request, strlen (request), NULL, NULL, &error);
      g_assert_no_error (error);
      got = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                 buffer, sizeof buffer - 1, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (got, >, 12);
      /* A 4xx of some kind: the request is the client's fault. */
      g_assert_true (g_str_has_prefix (buffer, "HTTP/1.1 4"));
      assert_alive ();
    }
}

/* Registered last: nothing above touched the witness conversation. */
static void
test_data_intact (void)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s", witness_id);
  g_autofree char *messages_path = g_strdup_printf ("/api/v1/conversations/%s/messages"
                                                    "?limit=500", witness_id);
  g_autoptr(JsonNode) now = baton_test_expect (server, "GET", path, server->manager_token, NULL,
                                               200, NULL);
  g_autoptr(JsonNode) messages = baton_test_expect (server, "GET", messages_path,
                                                    server->manager_token, NULL, 200, NULL);
  g_autofree char *now_text = json_to_string (now, FALSE);
  g_autofree char *messages_text = json_to_string (messages, FALSE);
  g_autoptr(JsonNode) me = NULL;

  g_assert_cmpstr (now_text, ==, witness_before);
  g_assert_cmpstr (messages_text, ==, witness_messages_before);

  /* The manager is still who they were. */
  me = baton_test_expect (server, "GET", "/api/v1/me", server->manager_token, NULL, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (me, "id"), ==, server->manager_id);
  g_assert_cmpstr (baton_test_get_string (me, "role"), ==, "manager");
  assert_alive ();
}

static void
create_objects (void)
{
  g_autofree char *witness_secret = NULL;
  g_autofree char *witness_channel = NULL;
  g_autoptr(JsonNode) conversation = NULL;
  g_autoptr(JsonNode) team = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) messages = NULL;

  agent_id = baton_test_create_agent (server, "Fuzz Target", "fuzz-target@example.com", "agent",
                                      NULL);
  team = baton_test_expect (server, "POST", "/api/v1/teams", server->manager_token,
                            "{\"name\":\"Fuzz team\",\"strategy\":\"round_robin\"}", 201, NULL);
  team_id = g_strdup (baton_test_get_string (team, "id"));
  channel_id = baton_test_create_channel (server, NULL, &channel_secret);
  conversation_id = baton_test_inbound (server, channel_id, channel_secret, "+15550500001",
                                        "Target practice");
  path = g_strdup_printf ("/api/v1/conversations/%s", conversation_id);
  conversation = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  contact_id = g_strdup (baton_test_get_string (conversation, "contact.id"));

  /* The witness: its own channel and contact, assigned, tagged, with a reply and a note. */
  witness_channel = baton_test_create_channel (server, NULL, &witness_secret);
  witness_id = baton_test_inbound (server, witness_channel, witness_secret, "+15550500002",
                                   "Please keep this safe");
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf ("/api/v1/conversations/%s/messages", witness_id);
  {
    g_autoptr(JsonNode) reply = baton_test_expect (server, "POST", path, server->manager_token,
                                                   "{\"body\":\"Safe with us\"}", 201, NULL);
    g_autoptr(JsonNode) note = baton_test_expect (server, "POST", path, server->manager_token,
                                                  "{\"body\":\"VIP\",\"note\":true}", 201,
                                                  NULL);
    g_autofree char *tags_path = g_strdup_printf ("/api/v1/conversations/%s/tags", witness_id);
    g_autoptr(JsonNode) tags = baton_test_expect (server, "PUT", tags_path,
                                                  server->manager_token,
                                                  "{\"tags\":[\"keep\",\"safe\"]}", 200, NULL);
  }
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf ("/api/v1/conversations/%s", witness_id);
  g_clear_pointer (&conversation, json_node_unref);
  conversation = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  witness_before = json_to_string (conversation, FALSE);
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf ("/api/v1/conversations/%s/messages?limit=500", witness_id);
  messages = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  witness_messages_before = json_to_string (messages, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  gboolean seeded = FALSE;
  char **test_argv = NULL;
  int test_argc = 0;
  int status = 0;

  /* A fixed seed unless one is given, so that every run sends the same bodies. */
  for (int i = 0; i < argc; i++)
    {
      g_ptr_array_add (args, argv[i]);
      if (g_str_has_prefix (argv[i], "--seed"))
        seeded = TRUE;
    }
  if (!seeded)
    g_ptr_array_insert (args, 1, DEFAULT_SEED);
  g_ptr_array_add (args, NULL);
  test_argc = (int) args->len - 1;
  test_argv = (char **) args->pdata;

  g_test_init (&test_argc, &test_argv, NULL);
  server = baton_test_server_new ("--test-clock", NULL);
  create_objects ();
  build_targets ();

  g_test_add_func ("/input/malformed-json", test_malformed_json);
  g_test_add_func ("/input/deep-nesting", test_deep_nesting);
  g_test_add_func ("/input/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/input/wrong-types", test_wrong_types);
  g_test_add_func ("/input/too-large", test_too_large);
  g_test_add_func ("/input/too-large-memory", test_too_large_memory);
  g_test_add_func ("/input/random-bodies", test_random_bodies);
  g_test_add_func ("/input/unknown-ids", test_unknown_ids);
  g_test_add_func ("/input/unreadable-paths", test_unreadable_paths);
  g_test_add_func ("/input/data-intact", test_data_intact);

  status = baton_test_run (server);
  g_clear_pointer (&targets, g_ptr_array_unref);
  g_free (channel_id);
  g_free (channel_secret);
  g_free (conversation_id);
  g_free (contact_id);
  g_free (team_id);
  g_free (agent_id);
  g_free (witness_id);
  g_free (witness_before);
  g_free (witness_messages_before);
  return status;
}
