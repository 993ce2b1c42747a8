/* baton-test-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-test"

#include "config.h"

#include <stdlib.h>

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>
#include <sys/socket.h>

#include "baton-json.h"
#include "baton-store-postgres.h"
#include "baton-store-sqlite.h"
#include "baton-test-postgres.h"
#include "baton-test-server.h"

static const char *
batond_path (void)
{
  const char *path = g_getenv ("BATOND");

  g_assert_nonnull (path);
  return path;
}

static void
run_init (BatonTestServer *server)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) init = NULL;

  init = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, batond_path (), "init",
                           "--data-dir", server->data_dir,
                           "--admin-email", BATON_TEST_MANAGER_EMAIL,
                           "--admin-password", BATON_TEST_PASSWORD,
                           "--admin-name", "Maya Manager",
                           server->database ? "--database" : NULL, server->database, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (init, NULL, &error);
  g_assert_no_error (error);
}

static BatonTestServer *
server_new (GPtrArray  *args,
            const char *database)
{
  BatonTestServer *server = g_new0 (BatonTestServer, 1);
  g_autoptr(GError) error = NULL;

  server->data_dir = g_dir_make_tmp ("batond-test-XXXXXX", &error);
  g_assert_no_error (error);
  server->extra_args = args;
  server->database = g_strdup (database);
  if (database)
    {
      g_ptr_array_add (server->extra_args, g_strdup ("--database"));
      g_ptr_array_add (server->extra_args, g_strdup (database));
    }
  server->session = soup_session_new_with_options ("timeout", 30, "user-agent", "baton-test",
                                                   NULL);
  return server;
}

static void
server_sign_in (BatonTestServer *server)
{
  g_autoptr(JsonNode) me = NULL;

  server->manager_token = baton_test_login (server, BATON_TEST_MANAGER_EMAIL,
                                            BATON_TEST_PASSWORD);
  me = baton_test_expect (server, "GET", "/api/v1/me", server->manager_token, NULL, 200, NULL);
  server->manager_id = g_strdup (baton_test_get_string (me, "id"));
}

static GPtrArray *
collect_args (const char *first_arg,
              va_list     args)
{
  GPtrArray *array = g_ptr_array_new_with_free_func (g_free);

  for (const char *arg = first_arg; arg; arg = va_arg (args, const char *))
    g_ptr_array_add (array, g_strdup (arg));
  return array;
}

/* Extra arguments for 'batond serve', NULL-terminated (e.g. "--test-clock=…"). */
BatonTestServer *
baton_test_server_new (const char *first_arg,
                       ...)
{
  BatonTestServer *server = NULL;
  g_autofree char *database = NULL;
  GPtrArray *args = NULL;
  va_list ap;

  va_start (ap, first_arg);
  args = collect_args (first_arg, ap);
  va_end (ap);
  /* BATON_TEST_STORE=postgresql: a database of its own in the throwaway cluster, after the
   * caller's arguments (a test may change those in place between starts) */
  if (baton_test_postgres_wanted ())
    {
      g_autoptr(GError) error = NULL;

      database = baton_test_postgres_new_database (NULL, NULL, &error);
      g_assert_no_error (error);
    }
  server = server_new (args, database);
  run_init (server);
  baton_test_server_start (server);
  server_sign_in (server);
  return server;
}

/* Another batond on first's database (several nodes: first runs on PostgreSQL), with a
 * data directory of its own and these extra arguments, NULL-terminated. */
BatonTestServer *
baton_test_server_new_node (BatonTestServer *first,
                            const char      *first_arg,
                            ...)
{
  BatonTestServer *server = NULL;
  GPtrArray *args = NULL;
  va_list ap;

  g_assert_nonnull (first->database);
  va_start (ap, first_arg);
  args = collect_args (first_arg, ap);
  va_end (ap);
  server = server_new (args, first->database);
  baton_test_server_start (server);
  server_sign_in (server);
  return server;
}

/* In the child, before batond runs. */
static void
child_setup (gpointer user_data)
{
  BatonTestServer *server = user_data;

  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (server->descriptor_limit)
    {
      struct rlimit limit = { server->descriptor_limit, server->descriptor_limit };

      setrlimit (RLIMIT_NOFILE, &limit);
    }
}

void
baton_test_server_spawn (BatonTestServer   *server,
                         const char *const *argv,
                         const char        *stderr_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *line = NULL;

  g_assert_null (server->process);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  if (stderr_path)
    g_subprocess_launcher_set_stderr_file_path (launcher, stderr_path);
  /* A test that aborts must not leave its batond running (and its log pipe open). */
  g_subprocess_launcher_set_child_setup (launcher, child_setup, server, NULL);
  server->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:"));
  g_free (server->url);
  server->url = g_strdup (line + strlen ("listening on "));
}

void
baton_test_server_start (BatonTestServer *server)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *listen = g_strdup ("127.0.0.1:0");

  if (server->keep_port && server->url)
    {
      g_autoptr(GUri) uri = g_uri_parse (server->url, G_URI_FLAGS_NONE, &error);

      g_assert_no_error (error);
      g_free (listen);
      listen = g_strdup_printf ("127.0.0.1:%d", g_uri_get_port (uri));
    }
  g_ptr_array_add (argv, (char *) batond_path ());
  g_ptr_array_add (argv, "serve");
  g_ptr_array_add (argv, "--data-dir");
  g_ptr_array_add (argv, server->data_dir);
  g_ptr_array_add (argv, "--listen");
  g_ptr_array_add (argv, listen);
  for (guint i = 0; i < server->extra_args->len; i++)
    g_ptr_array_add (argv, server->extra_args->pdata[i]);
  g_ptr_array_add (argv, NULL);
  baton_test_server_spawn (server, (const char *const *) argv->pdata, NULL);
}

/* SIGTERM, and batond must exit 0. */
void
baton_test_server_stop (BatonTestServer *server)
{
  g_autoptr(GError) error = NULL;

  if (server->process == NULL)
    return;
  g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait (server->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (server->process));
  g_assert_cmpint (g_subprocess_get_exit_status (server->process), ==, 0);
  g_clear_object (&server->process);
}

void
baton_test_server_kill (BatonTestServer *server)
{
  if (server->process == NULL)
    return;
  g_subprocess_force_exit (server->process);
  g_subprocess_wait (server->process, NULL, NULL);
  g_clear_object (&server->process);
}

/* the state letter of /proc/<pid>/stat: 'T' once a SIGSTOP took hold */
static char
process_state (GSubprocess *process)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat",
                                           g_subprocess_get_identifier (process));
  g_autofree char *stat = NULL;
  const char *end = NULL;

  if (!g_file_get_contents (path, &stat, NULL, NULL) || (end = strrchr (stat, ')')) == NULL)
    return '?';
  return end[1] == ' ' ? end[2] : '?';
}

void
baton_test_server_pause (BatonTestServer *server)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_subprocess_send_signal (server->process, SIGSTOP);
  /* A signal takes hold asynchronously: wait until batond really stopped, so that nothing
   * sent afterwards can be answered before the test resumes it. */
  while (process_state (server->process) != 'T')
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (5000);
    }
}

void
baton_test_server_resume (BatonTestServer *server)
{
  g_subprocess_send_signal (server->process, SIGCONT);
}

void
baton_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        baton_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
baton_test_server_free (BatonTestServer *server)
{
  baton_test_server_stop (server);
  baton_test_remove_tree (server->data_dir);
  g_free (server->data_dir);
  g_free (server->url);
  g_free (server->manager_token);
  g_free (server->manager_id);
  g_free (server->barrier_id);
  g_clear_object (&server->session);
  g_ptr_array_unref (server->extra_args);
  g_free (server->database);
  g_free (server);
}

SoupMessage *
baton_test_send_raw (BatonTestServer  *server,
                     const char       *method,
                     const char       *path,
                     const char       *token,
                     GBytes           *body,
                     GBytes          **response)
{
  g_autofree char *url = g_strconcat (server->url, path, NULL);
  g_autoptr(GError) error = NULL;
  SoupMessage *msg = soup_message_new (method, url);

  g_assert_nonnull (msg);
  if (token)
    {
      g_autofree char *header = g_strdup_printf ("Bearer %s", token);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    header);
    }
  if (body)
    soup_message_set_request_body_from_bytes (msg, "application/json", body);
  *response = soup_session_send_and_read (server->session, msg, NULL, &error);
  g_assert_no_error (error);
  return msg;
}

guint
baton_test_post_webhook (BatonTestServer *server,
                         GBytes          *body,
                         const char      *signature)
{
  g_autofree char *url = g_strconcat (server->url, "/webhooks/whatsapp", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;

  if (signature)
    soup_message_headers_replace (soup_message_get_request_headers (msg),
                                  "X-Hub-Signature-256", signature);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  response = soup_session_send_and_read (server->session, msg, NULL, &error);
  g_assert_no_error (error);
  return soup_message_get_status (msg);
}

void
baton_test_whatsapp_settle (BatonTestServer *server)
{
  const char *gauge = "baton_whatsapp_deliveries_unprocessed";

  for (guint i = 0; i < 500 && baton_test_get_metric (server, gauge) > 0; i++)
    g_usleep (10 * 1000);
  g_assert_cmpint (baton_test_get_metric (server, gauge), ==, 0);
}

JsonNode *
baton_test_find_message (BatonTestServer *server,
                         const char      *conversation_id,
                         const char      *message_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/messages?limit=100",
                                           conversation_id);
  g_autoptr(JsonNode) list = baton_test_expect (server, "GET", path, server->manager_token,
                                                NULL, 200, NULL);
  JsonArray *items = json_object_get_array_member (json_node_get_object (list), "items");

  for (guint i = 0; i < json_array_get_length (items); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (items, i),
                                                  "id"), message_id) == 0)
      return json_node_copy (json_array_get_element (items, i));
  return NULL;
}

static void
assert_strict_json (const char *data,
                    gsize       length)
{
  if (!g_utf8_validate_len (data, length, NULL) || !baton_json_is_strict (data, length))
    g_error ("batond wrote invalid JSON: %.*s", (int) MIN (length, 2000), data);
}

JsonNode *
baton_test_request (BatonTestServer *server,
                    const char      *method,
                    const char      *path,
                    const char      *token,
                    const char      *body,
                    guint           *status)
{
  g_autoptr(GBytes) request_body = body ? g_bytes_new (body, strlen (body)) : NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(SoupMessage) msg = baton_test_send_raw (server, method, path, token, request_body,
                                                    &response);
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length = 0;
  const char *data = g_bytes_get_data (response, &length);

  *status = soup_message_get_status (msg);
  /* whatever batond writes as JSON is UTF-8 and strict JSON */
  if (length > 0 && g_strcmp0 (soup_message_headers_get_content_type (
                                 soup_message_get_response_headers (msg), NULL),
                               "application/json") == 0)
    assert_strict_json (data, length);
  if (length == 0 || !json_parser_load_from_data (parser, data, (gssize) length, NULL))
    return NULL;
  return json_node_ref (json_parser_get_root (parser));
}

JsonNode *
baton_test_expect (BatonTestServer *server,
                   const char      *method,
                   const char      *path,
                   const char      *token,
                   const char      *body,
                   guint            expected_status,
                   const char      *expected_code)
{
  guint status = 0;
  JsonNode *node = baton_test_request (server, method, path, token, body, &status);

  if (status != expected_status)
    {
      g_autofree char *text = node ? json_to_string (node, FALSE) : g_strdup ("(no JSON)");

      g_error ("%s %s: expected %u, got %u: %s", method, path, expected_status, status, text);
    }
  if (expected_code)
    {
      g_assert_nonnull (node);
      g_assert_cmpstr (baton_test_get_string (node, "error.code"), ==, expected_code);
      g_assert_nonnull (baton_test_get_string (node, "error.message"));
    }
  return node;
}

char *
baton_test_login (BatonTestServer *server,
                  const char      *email,
                  const char      *password)
{
  g_autofree char *body = baton_test_strdup_printf_json ("{\"email\":%s,\"password\":%s}",
                                                         email, password);
  g_autoptr(JsonNode) node = baton_test_expect (server, "POST", "/api/v1/auth/login", NULL, body,
                                                200, NULL);

  return g_strdup (baton_test_get_string (node, "token"));
}

guint
baton_test_login_status (BatonTestServer  *server,
                         const char       *email,
                         const char       *password,
                         const char       *forwarded_for,
                         char            **token,
                         char            **retry_after)
{
  g_autofree char *url = g_strconcat (server->url, "/api/v1/auth/login", NULL);
  g_autofree char *body = baton_test_strdup_printf_json ("{\"email\":%s,\"password\":%s}",
                                                         email, password);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  if (forwarded_for)
    soup_message_headers_replace (headers, "X-Forwarded-For", forwarded_for);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  response = soup_session_send_and_read (server->session, msg, NULL, &error);
  g_assert_no_error (error);
  if (token && soup_message_get_status (msg) == 200)
    {
      g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (response, NULL),
                                                 (gssize) g_bytes_get_size (response), NULL));
      *token = g_strdup (baton_test_get_string (json_parser_get_root (parser), "token"));
    }
  if (retry_after)
    *retry_after = g_strdup (soup_message_headers_get_one (
                               soup_message_get_response_headers (msg), "Retry-After"));
  return soup_message_get_status (msg);
}

char *
baton_test_write_config (const char *lines)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strconcat ("[batond]\n", lines, "\n", NULL);
  char *path = NULL;
  int fd = g_file_open_tmp ("batond-XXXXXX.conf", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

char *
baton_test_create_agent (BatonTestServer  *server,
                         const char       *name,
                         const char       *email,
                         const char       *role,
                         char            **token)
{
  g_autofree char *body = baton_test_strdup_printf_json (
    "{\"name\":%s,\"email\":%s,\"password\":%s,\"role\":%s}", name, email,
    BATON_TEST_PASSWORD, role);
  g_autoptr(JsonNode) node = baton_test_expect (server, "POST", "/api/v1/agents",
                                                server->manager_token, body, 201, NULL);

  if (token)
    *token = baton_test_login (server, email, BATON_TEST_PASSWORD);
  return g_strdup (baton_test_get_string (node, "id"));
}

/* extra_json: more members for the body, e.g. "\"default_user_id\":\"agt_…\"", or NULL. */
char *
baton_test_create_channel (BatonTestServer  *server,
                           const char       *extra_json,
                           char            **secret)
{
  g_autofree char *body = g_strdup_printf ("{\"kind\":\"api\",\"name\":\"Website chat\"%s%s}",
                                           extra_json ? "," : "", extra_json ? extra_json : "");
  g_autoptr(JsonNode) node = baton_test_expect (server, "POST", "/api/v1/channels",
                                                server->manager_token, body, 201, NULL);

  if (secret)
    *secret = g_strdup (baton_test_get_string (node, "inbound_secret"));
  return g_strdup (baton_test_get_string (node, "id"));
}

/* A customer message through the api channel; returns the conversation id. */
char *
baton_test_inbound (BatonTestServer *server,
                    const char      *channel_id,
                    const char      *secret,
                    const char      *from,
                    const char      *body)
{
  g_autofree char *url = g_strdup_printf ("%s/api/v1/channels/%s/inbound", server->url,
                                          channel_id);
  g_autofree char *json = baton_test_strdup_printf_json ("{\"from\":%s,\"body\":%s}", from, body);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  soup_message_headers_replace (soup_message_get_request_headers (msg),
                                "X-Baton-Channel-Secret", secret);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  response = soup_session_send_and_read (server->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 202);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (response, NULL),
                                             (gssize) g_bytes_get_size (response), NULL));
  return g_strdup (baton_test_get_string (json_parser_get_root (parser), "conversation_id"));
}

JsonNode *
baton_test_inbound_expect (BatonTestServer *server,
                           const char      *channel_id,
                           const char      *secret,
                           const char      *body,
                           guint            expected_status,
                           const char      *expected_code)
{
  g_autofree char *url = g_strdup_printf ("%s/api/v1/channels/%s/inbound", server->url,
                                          channel_id);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *node = NULL;

  g_assert_nonnull (msg);
  if (secret)
    soup_message_headers_replace (soup_message_get_request_headers (msg),
                                  "X-Baton-Channel-Secret", secret);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  response = soup_session_send_and_read (server->session, msg, NULL, &error);
  g_assert_no_error (error);
  if (g_bytes_get_size (response) > 0
      && json_parser_load_from_data (parser, g_bytes_get_data (response, NULL),
                                     (gssize) g_bytes_get_size (response), NULL))
    node = json_node_ref (json_parser_get_root (parser));
  if (soup_message_get_status (msg) != expected_status)
    {
      g_autofree char *text = node ? json_to_string (node, FALSE) : g_strdup ("(no JSON)");

      g_error ("inbound %s: expected %u, got %u: %s", body, expected_status,
               soup_message_get_status (msg), text);
    }
  if (expected_code)
    {
      g_assert_nonnull (node);
      g_assert_cmpstr (baton_test_get_string (node, "error.code"), ==, expected_code);
    }
  return node;
}

/* An array frame (PROTOCOL.md §4) holds at least two events, in increasing seq order: its
 * items are queued as if they came one by one. */
static void
push_array_frame (BatonTestStream *stream,
                  JsonArray       *array)
{
  guint n = json_array_get_length (array);

  g_assert_cmpuint (n, >=, 2);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *event = json_array_get_object_element (array, i);

      g_assert_nonnull (event);
      if (i > 0)
        g_assert_cmpint (json_object_get_int_member (event, "seq"), >,
                         json_object_get_int_member (json_array_get_object_element (array,
                                                                                    i - 1),
                                                     "seq"));
      g_queue_push_tail (&stream->frames, json_object_ref (event));
    }
  g_array_append_val (stream->frame_lengths, n);
}

static void
frame_cb (SoupWebsocketConnection *connection,
          int                      type,
          GBytes                  *message,
          BatonTestStream         *stream)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root = NULL;
  guint one = 1;

  g_assert_cmpint (type, ==, SOUP_WEBSOCKET_DATA_TEXT);
  assert_strict_json (g_bytes_get_data (message, NULL), g_bytes_get_size (message));
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (message, NULL),
                                             (gssize) g_bytes_get_size (message), NULL));
  root = json_parser_get_root (parser);
  if (JSON_NODE_HOLDS_ARRAY (root))
    {
      push_array_frame (stream, json_node_get_array (root));
      return;
    }
  g_queue_push_tail (&stream->frames, json_object_ref (json_node_get_object (root)));
  g_array_append_val (stream->frame_lengths, one);
}

static void
closed_cb (SoupWebsocketConnection *connection,
           BatonTestStream         *stream)
{
  stream->closed = TRUE;
  stream->close_code = soup_websocket_connection_get_close_code (connection);
}

typedef struct {
  gboolean done;
  SoupWebsocketConnection *connection;
  GError *error;
} Connecting;

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Connecting *connecting = user_data;

  connecting->connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result,
                                                                  &connecting->error);
  connecting->done = TRUE;
}

/* since: NULL for live only. Returns NULL when the upgrade is refused, with its status. */
BatonTestStream *
baton_test_stream_open (BatonTestServer *server,
                        const char      *token,
                        const char      *since,
                        guint           *http_status)
{
  g_autofree char *query = since ? g_strdup_printf ("since=%s", since) : NULL;

  return baton_test_stream_open_query (server, token, query, http_status);
}

BatonTestStream *
baton_test_stream_open_query (BatonTestServer *server,
                              const char      *token,
                              const char      *query,
                              guint           *http_status)
{
  g_autofree char *url = g_strdup_printf ("%s/api/v1/stream%s%s", server->url,
                                          query ? "?" : "", query ? query : "");
  g_autoptr(SoupMessage) msg = NULL;
  Connecting connecting = { 0 };
  BatonTestStream *stream = NULL;

  /* ws:// for the same host */
  memcpy (url, "ws", 2);
  memmove (url + 2, url + 4, strlen (url + 4) + 1);
  msg = soup_message_new ("GET", url);
  if (token)
    {
      g_autofree char *header = g_strdup_printf ("Bearer %s", token);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    header);
    }
  soup_session_websocket_connect_async (server->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        NULL, connected_cb, &connecting);
  while (!connecting.done)
    g_main_context_iteration (NULL, TRUE);
  if (http_status)
    *http_status = soup_message_get_status (msg);
  if (connecting.connection == NULL)
    {
      /* the reason, for a test that did not expect it */
      g_test_message ("The event stream did not open (HTTP %u): %s",
                      soup_message_get_status (msg),
                      connecting.error ? connecting.error->message : "no error");
      g_clear_error (&connecting.error);
      return NULL;
    }
  stream = g_new0 (BatonTestStream, 1);
  stream->connection = connecting.connection;
  g_queue_init (&stream->frames);
  stream->frame_lengths = g_array_new (FALSE, FALSE, sizeof (guint));
  g_signal_connect (stream->connection, "message", G_CALLBACK (frame_cb), stream);
  g_signal_connect (stream->connection, "closed", G_CALLBACK (closed_cb), stream);
  return stream;
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

JsonObject *
baton_test_stream_next_frame (BatonTestStream *stream,
                              guint            timeout_ms)
{
  gboolean expired = FALSE;
  guint timeout_id = g_timeout_add (timeout_ms, timeout_cb, &expired);

  while (g_queue_is_empty (&stream->frames) && !expired && !stream->closed)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (timeout_id);
  return g_queue_pop_head (&stream->frames);
}

JsonObject *
baton_test_stream_next (BatonTestStream *stream,
                        guint            timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  for (;;)
    {
      gint64 left = (deadline - g_get_monotonic_time ()) / 1000;
      JsonObject *frame = baton_test_stream_next_frame (stream, (guint) MAX (left, 0));
      const char *type = NULL;

      if (frame == NULL)
        return NULL;
      type = json_object_get_string_member_with_default (frame, "type", "");
      if (!g_str_equal (type, "ping") && !g_str_equal (type, "pong"))
        return frame;
      json_object_unref (frame);
    }
}

JsonObject *
baton_test_stream_wait (BatonTestStream *stream,
                        const char      *type,
                        const char      *kind,
                        guint            timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  for (;;)
    {
      gint64 left = (deadline - g_get_monotonic_time ()) / 1000;
      JsonObject *frame = NULL;

      if (left <= 0)
        return NULL;
      frame = baton_test_stream_next (stream, (guint) left);
      if (frame == NULL)
        return NULL;
      if (g_str_equal (json_object_get_string_member_with_default (frame, "type", ""), type)
          && (kind == NULL
              || g_strcmp0 (json_object_get_string_member_with_default (
                              json_object_get_object_member (frame, "data"), "kind", ""),
                            kind) == 0))
        return frame;
      json_object_unref (frame);
    }
}

gboolean
baton_test_stream_wait_closed (BatonTestStream *stream,
                               guint            timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!stream->closed && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  return stream->closed;
}

void
baton_test_stream_close (BatonTestStream *stream)
{
  if (stream == NULL)
    return;
  g_signal_handlers_disconnect_by_data (stream->connection, stream);
  if (soup_websocket_connection_get_state (stream->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (stream->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_object_unref (stream->connection);
  g_queue_clear_full (&stream->frames, (GDestroyNotify) json_object_unref);
  g_array_unref (stream->frame_lengths);
  g_free (stream);
}

char *
baton_test_barrier (BatonTestServer *server)
{
  static guint counter;
  g_autofree char *body = g_strdup_printf ("{\"name\":\"Barrier %u\"}", ++counter);
  g_autoptr(JsonNode) team = baton_test_expect (server, "POST", "/api/v1/teams",
                                                server->manager_token, body, 201, NULL);

  return g_strdup (baton_test_get_string (team, "id"));
}

GPtrArray *
baton_test_stream_until_barrier (BatonTestStream *stream,
                                 const char      *barrier_id,
                                 guint            timeout_ms)
{
  GPtrArray *frames = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  for (;;)
    {
      gint64 left = (deadline - g_get_monotonic_time ()) / 1000;
      JsonObject *frame = baton_test_stream_next (stream, (guint) MAX (left, 0));
      JsonObject *data = NULL;

      if (frame == NULL)
        g_error ("No barrier %s on the stream within %u ms", barrier_id, timeout_ms);
      g_ptr_array_add (frames, frame);
      data = json_object_get_object_member (frame, "data");
      if (g_str_equal (json_object_get_string_member_with_default (frame, "type", ""),
                       "team.created")
          && data && g_strcmp0 (json_object_get_string_member_with_default (data, "id", NULL),
                                barrier_id) == 0)
        return frames;
    }
}

/* A dotted path into objects; "items.0.id" indexes arrays. */
static JsonNode *
lookup_path (JsonNode   *node,
             const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);

  for (guint i = 0; parts[i] && node; i++)
    {
      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          node = json_object_get_member (json_node_get_object (node), parts[i]);
        }
      else if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);
          guint index = (guint) g_ascii_strtoull (parts[i], NULL, 10);

          node = index < json_array_get_length (array) ? json_array_get_element (array, index)
                                                         : NULL;
        }
      else
        {
          node = NULL;
        }
    }
  return node;
}

const char *
baton_test_get_string (JsonNode   *node,
                       const char *path)
{
  JsonNode *member = lookup_path (node, path);

  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return NULL;
  return json_node_get_string (member);
}

gint64
baton_test_get_int (JsonNode   *node,
                    const char *path)
{
  JsonNode *member = NULL;

  /* "items.#": the length of the array */
  if (g_str_has_suffix (path, ".#"))
    {
      g_autofree char *array_path = g_strndup (path, strlen (path) - 2);

      member = lookup_path (node, array_path);
      g_assert_true (member && JSON_NODE_HOLDS_ARRAY (member));
      return json_array_get_length (json_node_get_array (member));
    }
  member = lookup_path (node, path);
  g_assert_nonnull (member);
  return json_node_get_int (member);
}

gboolean
baton_test_get_bool (JsonNode   *node,
                     const char *path)
{
  JsonNode *member = lookup_path (node, path);

  g_assert_nonnull (member);
  g_assert_true (JSON_NODE_HOLDS_VALUE (member)
                 && json_node_get_value_type (member) == G_TYPE_BOOLEAN);
  return json_node_get_boolean (member);
}

gint64
baton_test_get_metric (BatonTestServer *server,
                       const char      *name)
{
  g_autoptr(GBytes) response = NULL;
  g_autoptr(SoupMessage) msg = baton_test_send_raw (server, "GET", "/metrics", NULL, NULL,
                                                    &response);
  g_autofree char *text = g_strndup (g_bytes_get_data (response, NULL),
                                     g_bytes_get_size (response));
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  gsize name_length = strlen (name);

  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  for (guint i = 0; lines[i]; i++)
    if (g_str_has_prefix (lines[i], name) && lines[i][name_length] == ' ')
      return g_ascii_strtoll (lines[i] + name_length + 1, NULL, 10);
  g_error ("GET /metrics has no %s", name);
  return 0;
}

BatonStore *
baton_test_server_open_store (BatonTestServer *server)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  BatonStore *store = NULL;

  if (server->database)
    store = baton_store_postgres_open (server->database, &error);
  else
    {
      path = g_build_filename (server->data_dir, "baton.db", NULL);
      store = baton_store_sqlite_open (path, &error);
    }
  g_assert_no_error (error);
  return store;
}

gint64
baton_test_seed_events (BatonTestServer *server,
                        guint            n,
                        guint            pad_length)
{
  g_autofree char *pad = g_strnfill (pad_length, 'x');
  g_autoptr(BatonStore) store = NULL;
  g_autoptr(BatonRows) rows = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time () / 1000;
  gint64 base = 0;

  baton_test_server_stop (server);
  store = baton_test_server_open_store (server);
  rows = baton_store_query (store, &error, "SELECT COALESCE(MAX(seq), 0) FROM events", "");
  g_assert_no_error (error);
  base = baton_rows_int (rows, 0, 0);
  g_assert_true (baton_store_begin (store, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *data = g_strdup_printf ("{\"seeded\":%u,\"pad\":\"%s\"}", i, pad);

      g_assert_cmpint (baton_store_exec (store, &error, "INSERT INTO events (type, at, agent_id,"
                                         " data) VALUES ('settings.updated', ?, NULL, ?)", "is",
                                         now, data), ==, 1);
      g_assert_no_error (error);
    }
  g_assert_true (baton_store_commit (store, &error));
  g_assert_no_error (error);
  baton_store_close (store);
  baton_test_server_start (server);
  return base;
}

GSocket *
baton_test_raw_stream_open (BatonTestServer *server,
                            const char      *query,
                            int              rcvbuf)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = g_uri_parse (server->url, G_URI_FLAGS_NONE, &error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GString) response = g_string_new (NULL);
  g_autofree char *request = NULL;

  g_assert_no_error (error);
  address = g_inet_socket_address_new (loopback, (guint16) g_uri_get_port (uri));
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  if (rcvbuf > 0)
    g_assert_true (g_socket_set_option (socket, SOL_SOCKET, SO_RCVBUF, rcvbuf, NULL));
  g_socket_set_timeout (socket, 30);
  g_assert_true (g_socket_connect (socket, address, NULL, &error));
  request = g_strdup_printf ("GET /api/v1/stream?%s HTTP/1.1\r\n"
                             "Host: 127.0.0.1:%d\r\n"
                             "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                             "Sec-WebSocket-Version: 13\r\n"
                             "Authorization: Bearer %s\r\n\r\n",
                             query, g_uri_get_port (uri), server->manager_token);
  g_assert_cmpint (g_socket_send (socket, request, strlen (request), NULL, &error), ==,
                   (gssize) strlen (request));
  /* the headers, a byte at a time: nothing of the stream is read */
  while (!g_str_has_suffix (response->str, "\r\n\r\n"))
    {
      char c = 0;

      g_assert_cmpint (g_socket_receive (socket, &c, 1, NULL, &error), ==, 1);
      g_string_append_c (response, c);
    }
  g_assert_true (g_str_has_prefix (response->str, "HTTP/1.1 101"));
  return g_steal_pointer (&socket);
}

/* Waits until a metric of GET /metrics has that value (the main loop runs meanwhile). */
void
baton_test_wait_metric (BatonTestServer *server,
                        const char      *name,
                        gint64           value,
                        guint            timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (baton_test_get_metric (server, name) != value)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("%s is not %" G_GINT64_FORMAT " after %u ms", name, value, timeout_ms);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

gint64
baton_test_server_status_kib (BatonTestServer *server,
                              const char      *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status",
                                           g_subprocess_get_identifier (server->process));
  g_autofree char *text = NULL;
  g_autofree char *label = g_strdup_printf ("\n%s:", field);
  const char *line = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  line = strstr (text, label);
  g_assert_nonnull (line);
  return g_ascii_strtoll (line + strlen (label), NULL, 10);
}

/* printf where every %s argument is written as a JSON string (quoted, escaped). */
char *
baton_test_strdup_printf_json (const char *format,
                               ...)
{
  GString *out = g_string_new (NULL);
  va_list args;

  va_start (args, format);
  for (const char *p = format; *p; p++)
    {
      if (p[0] == '%' && p[1] == 's')
        {
          const char *value = va_arg (args, const char *);
          g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
          g_autofree char *text = NULL;

          json_node_set_string (node, value);
          text = json_to_string (node, FALSE);
          g_string_append (out, text);
          p++;
        }
      else
        {
          g_string_append_c (out, *p);
        }
    }
  va_end (args);
  return g_string_free (out, FALSE);
}
