/* test-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>

#include "baton-attachment.h"
#include "baton-client-private.h"
#include "baton-directory.h"
#include "baton-message-list.h"
#include "baton-inbox.h"
#include "baton-json.h"
#include "baton-secret-store.h"
#include "baton-test-helpers.h"
#include "baton-test-server.h"
#include "baton-time.h"

/* libbaton-client against a real batond: REST calls and their errors, the event stream
 * across a server restart, the inbox model, and the token store on libsecret's file
 * backend. */

/* how far behind the test server still replays a stream */
#define CLIENT_REPLAY_LIMIT 20

static BatonTestServer *server;
static char *secret_dir;

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until condition holds; fails the test after timeout_ms. */
#define WAIT_FOR(condition, timeout_ms)                                                  \
  G_STMT_START {                                                                         \
    gint64 deadline_ = g_get_monotonic_time () + (gint64) (timeout_ms) * 1000;          \
    guint tick_id_ = g_timeout_add (20, tick_cb, NULL);                                  \
    while (!(condition) && g_get_monotonic_time () < deadline_)                          \
      g_main_context_iteration (NULL, TRUE);                                             \
    g_source_remove (tick_id_);                                                          \
    if (!(condition))                                                                    \
      g_error ("Timed out after %u ms waiting for %s", (guint) (timeout_ms), #condition); \
  } G_STMT_END

/* Runs the main loop for ms, whatever happens. */
static void
run_for (guint ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) ms * 1000;
  guint tick_id = g_timeout_add (20, tick_cb, NULL);

  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick_id);
}

static void
got_result_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

static GAsyncResult *
await_result (GAsyncResult **slot)
{
  WAIT_FOR (*slot != NULL, 15000);
  return *slot;
}

static guint
unique (void)
{
  static guint counter;

  return ++counter;
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_ref (json_parser_get_root (parser));
}

/* Synchronous baton_client_call_async for the tests; body is JSON text or NULL. */
static JsonNode *
call (BatonClient  *client,
      const char   *method,
      const char   *path,
      const char   *body,
      GError      **error)
{
  g_autoptr(JsonNode) request = body ? parse_json (body) : NULL;
  g_autoptr(GAsyncResult) result = NULL;

  baton_client_call_async (client, method, path, request, NULL, got_result_cb, &result);
  return baton_client_call_finish (client, await_result (&result), error);
}

static gboolean
login (BatonClient  *client,
       const char   *email,
       const char   *password,
       GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  baton_client_login_async (client, email, password, NULL, got_result_cb, &result);
  return baton_client_login_finish (client, await_result (&result), error);
}

/* A fresh agent and a client signed in as them. */
static BatonClient *
new_agent_client (const char  *role,
                  char       **agent_id)
{
  guint n = unique ();
  g_autofree char *name = g_strdup_printf ("Client Agent %u", n);
  g_autofree char *email = g_strdup_printf ("client-agent-%u@example.com", n);
  g_autofree char *id = baton_test_create_agent (server, name, email, role, NULL);
  g_autoptr(BatonClient) client = baton_client_new (server->url);
  g_autoptr(GError) error = NULL;

  g_assert_true (login (client, email, BATON_TEST_PASSWORD, &error));
  g_assert_no_error (error);
  if (agent_id)
    *agent_id = g_steal_pointer (&id);
  return g_steal_pointer (&client);
}

/* What a client's signals said, in order. */
typedef struct {
  GPtrArray *events;
  GArray *states;
  /* monotonic µs of each state change */
  GArray *state_times;
  guint resyncs;
} Recorder;

static void
recorded_event_cb (BatonClient *client,
                   BatonEvent  *event,
                   Recorder    *recorder)
{
  g_ptr_array_add (recorder->events, baton_event_ref (event));
}

static void
recorded_resync_cb (BatonClient *client,
                    Recorder    *recorder)
{
  recorder->resyncs++;
}

static void
recorded_state_cb (BatonClient *client,
                   GParamSpec  *pspec,
                   Recorder    *recorder)
{
  BatonClientState state = baton_client_get_state (client);
  gint64 now = g_get_monotonic_time ();

  g_array_append_val (recorder->states, state);
  g_array_append_val (recorder->state_times, now);
}

static Recorder *
recorder_new (BatonClient *client)
{
  Recorder *recorder = g_new0 (Recorder, 1);

  recorder->events = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_event_unref);
  recorder->states = g_array_new (FALSE, FALSE, sizeof (BatonClientState));
  recorder->state_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_signal_connect (client, "event", G_CALLBACK (recorded_event_cb), recorder);
  g_signal_connect (client, "resync", G_CALLBACK (recorded_resync_cb), recorder);
  g_signal_connect (client, "notify::state", G_CALLBACK (recorded_state_cb), recorder);
  return recorder;
}

static void
recorder_free (Recorder *recorder)
{
  g_ptr_array_unref (recorder->events);
  g_array_unref (recorder->states);
  g_array_unref (recorder->state_times);
  g_free (recorder);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Recorder, recorder_free)

static const char *
event_data_id (BatonEvent *event)
{
  if (event->data == NULL || !JSON_NODE_HOLDS_OBJECT (event->data))
    return NULL;
  return json_object_get_string_member_with_default (json_node_get_object (event->data), "id",
                                                     NULL);
}

/* The index of the team.created event of team_id, or -1. */
static int
find_team_created (Recorder   *recorder,
                   const char *team_id)
{
  for (guint i = 0; i < recorder->events->len; i++)
    {
      BatonEvent *event = recorder->events->pdata[i];

      if (g_str_equal (event->type, "team.created")
          && g_strcmp0 (event_data_id (event), team_id) == 0)
        return (int) i;
    }
  return -1;
}

static void
notify_count_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
start_online (BatonClient *client)
{
  baton_client_start_stream (client);
  WAIT_FOR (baton_client_get_state (client) == BATON_CLIENT_STATE_ONLINE, 10000);
}

static void
test_login (void)
{
  guint n = unique ();
  g_autofree char *email = g_strdup_printf ("login-%u@example.com", n);
  g_autofree char *id = baton_test_create_agent (server, "Lena Login", email, "agent", NULL);
  g_autoptr(BatonClient) client = baton_client_new (server->url);
  g_autoptr(BatonClient) nowhere = baton_client_new ("http://127.0.0.1:1");
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  guint token_notifies = 0;
  guint me_notifies = 0;
  BatonAgent *me = NULL;

  g_signal_connect (client, "notify::token", G_CALLBACK (notify_count_cb), &token_notifies);
  g_signal_connect (client, "notify::me", G_CALLBACK (notify_count_cb), &me_notifies);

  /* A wrong password leaves the client signed out. */
  g_assert_false (login (client, email, "wrong password", &error));
  g_assert_error (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_UNAUTHORIZED);
  g_assert_cmpstr (baton_client_error_get_name (error), ==, "unauthorized");
  g_assert_null (baton_client_get_token (client));
  g_assert_null (baton_client_get_me (client));
  g_assert_cmpuint (token_notifies, ==, 0);
  g_clear_error (&error);

  g_assert_true (login (client, email, BATON_TEST_PASSWORD, &error));
  g_assert_no_error (error);
  g_assert_nonnull (baton_client_get_token (client));
  g_assert_cmpint (strlen (baton_client_get_token (client)), >=, 43);
  me = baton_client_get_me (client);
  g_assert_nonnull (me);
  g_assert_cmpstr (me->id, ==, id);
  g_assert_cmpstr (me->email, ==, email);
  g_assert_cmpstr (me->name, ==, "Lena Login");
  g_assert_cmpint (me->role, ==, BATON_ROLE_AGENT);
  g_assert_cmpuint (token_notifies, ==, 1);
  g_assert_cmpuint (me_notifies, ==, 1);

  /* The token works for the server. */
  {
    g_autoptr(JsonNode) body = baton_test_expect (server, "GET", "/api/v1/me",
                                                  baton_client_get_token (client), NULL, 200,
                                                  NULL);

    g_assert_cmpstr (baton_test_get_string (body, "id"), ==, id);
  }

  /* A silent sign-in: a kept token, checked by refresh_me. */
  {
    g_autoptr(BatonClient) again = baton_client_new (server->url);

    baton_client_set_token (again, baton_client_get_token (client));
    g_assert_null (baton_client_get_me (again));
    baton_client_refresh_me_async (again, NULL, got_result_cb, &result);
    g_assert_true (baton_client_refresh_me_finish (again, await_result (&result), &error));
    g_assert_no_error (error);
    g_clear_object (&result);
    g_assert_nonnull (baton_client_get_me (again));
    g_assert_cmpstr (baton_client_get_me (again)->id, ==, id);
  }

  /* No server there. */
  g_assert_false (login (nowhere, email, BATON_TEST_PASSWORD, &error));
  g_assert_error (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_UNREACHABLE);
  g_assert_null (baton_client_error_get_name (error));
  g_assert_null (baton_client_get_token (nowhere));
  g_clear_error (&error);
}

static void
test_logout (void)
{
  g_autoptr(BatonClient) client = new_agent_client ("agent", NULL);
  g_autoptr(BatonClient) stale = baton_client_new (server->url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = g_strdup (baton_client_get_token (client));
  g_autoptr(JsonNode) me = NULL;

  start_online (client);
  baton_client_logout_async (client, NULL, got_result_cb, &result);
  g_assert_true (baton_client_logout_finish (client, await_result (&result), &error));
  g_assert_no_error (error);
  g_assert_null (baton_client_get_token (client));
  g_assert_null (baton_client_get_me (client));
  g_assert_cmpint (baton_client_get_state (client), ==, BATON_CLIENT_STATE_OFFLINE);

  /* The server killed the token too. */
  baton_client_set_token (stale, token);
  me = call (stale, "GET", "/me", NULL, &error);
  g_assert_null (me);
  g_assert_error (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_UNAUTHORIZED);
}

static GPtrArray *
list_sessions (BatonClient  *client,
               GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  baton_client_list_sessions_async (client, NULL, got_result_cb, &result);
  return baton_client_list_sessions_finish (client, await_result (&result), error);
}

static gboolean
revoke_session (BatonClient  *client,
                const char   *session_id,
                GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  baton_client_revoke_session_async (client, session_id, NULL, got_result_cb, &result);
  return baton_client_revoke_session_finish (client, await_result (&result), error);
}

/* Typed sessions: two devices of one account; one revokes the other, whose stream is
 * closed at once (4401: the client stops, signed out). */
static void
test_sessions (void)
{
  g_autofree char *email = g_strdup_printf ("sessions-%u@example.com", unique ());
  g_autofree char *id = baton_test_create_agent (server, "Sessions Sid", email, "agent", NULL);
  g_autoptr(BatonClient) laptop = baton_client_new (server->url);
  g_autoptr(BatonClient) phone = baton_client_new (server->url);
  g_autoptr(GPtrArray) from_laptop = NULL;
  g_autoptr(GPtrArray) from_phone = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GError) error = NULL;
  BatonSession *laptop_session = NULL;
  BatonSession *phone_session = NULL;

  g_assert_true (login (laptop, email, BATON_TEST_PASSWORD, &error));
  g_assert_true (login (phone, email, BATON_TEST_PASSWORD, &error));
  g_assert_no_error (error);
  start_online (phone);

  from_laptop = list_sessions (laptop, &error);
  from_phone = list_sessions (phone, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (from_laptop->len, ==, 2);
  /* newest first: the phone signed in last */
  phone_session = from_laptop->pdata[0];
  laptop_session = from_laptop->pdata[1];
  g_assert_false (phone_session->current);
  g_assert_true (laptop_session->current);
  g_assert_true (((BatonSession *) from_phone->pdata[0])->current);
  g_assert_true (g_str_has_prefix (laptop_session->user_agent, "Baton/" PACKAGE_VERSION " ("));
  g_assert_cmpstr (laptop_session->address, ==, "127.0.0.1");
  g_assert_cmpint (laptop_session->last_used_at, >=, laptop_session->created_at);

  g_assert_true (revoke_session (laptop, phone_session->id, &error));
  g_assert_no_error (error);
  WAIT_FOR (baton_client_get_state (phone) == BATON_CLIENT_STATE_AUTH_FAILED, 10000);
  after = list_sessions (laptop, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->len, ==, 1);
  g_assert_cmpstr (((BatonSession *) after->pdata[0])->id, ==, laptop_session->id);

  /* Gone already: not found. */
  g_assert_false (revoke_session (laptop, phone_session->id, &error));
  g_assert_error (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_NOT_FOUND);
}

static void
test_call (void)
{
  g_autofree char *agent_id = NULL;
  g_autoptr(BatonClient) agent = new_agent_client ("agent", &agent_id);
  g_autoptr(BatonClient) manager = baton_client_new (server->url);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) me = NULL;
  g_autoptr(JsonNode) missing = NULL;
  g_autoptr(JsonNode) invalid = NULL;
  g_autoptr(JsonNode) forbidden = NULL;
  g_autoptr(JsonNode) bad = NULL;
  g_autoptr(JsonNode) team = NULL;
  g_autoptr(JsonNode) deleted = NULL;
  g_autoptr(JsonNode) gone = NULL;
  g_autofree char *team_path = NULL;

  g_assert_true (login (manager, BATON_TEST_MANAGER_EMAIL, BATON_TEST_PASSWORD, &error));
  g_assert_no_error (error);

  me = call (agent, "GET", "/me", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (baton_test_get_string (me, "id"), ==, agent_id);

  missing = call (agent, "GET", "/conversations/cnv_00000000000000000000000000", NULL, &error);
  g_assert_null (missing);
  g_assert_error (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_NOT_FOUND);
  g_assert_cmpstr (baton_client_error_get_name (error), ==, "not_found");
  g_assert_null (baton_client_error_get_field (error));
  g_clear_error (&error);

  /* 422 keeps the field at fault. */
  invalid = call (manager, "POST", "/teams", "{\"name\":\"\"}", &error);
  g_assert_null (invalid);
  g_assert_error (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_UNPROCESSABLE);
  g_assert_cmpstr (baton_client_error_get_field (error), ==, "name");
  g_assert_cmpstr (baton_client_error_get_name (error), ==, "unprocessable");
  g_clear_error (&error);

  forbidden = call (agent, "POST", "/teams", "{\"name\":\"Not mine to make\"}", &error);
  g_assert_null (forbidden);
  g_assert_error (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_FORBIDDEN);
  g_clear_error (&error);

  bad = call (agent, "GET", "/conversations?status=bogus", NULL, &error);
  g_assert_null (bad);
  g_assert_error (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_BAD_REQUEST);
  g_clear_error (&error);

  /* 201 with the object, then 204: no body and no error. */
  team = call (manager, "POST", "/teams", "{\"name\":\"Client call team\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (baton_test_get_string (team, "name"), ==, "Client call team");
  team_path = g_strdup_printf ("/teams/%s", baton_test_get_string (team, "id"));
  deleted = call (manager, "DELETE", team_path, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (deleted);
  gone = call (manager, "GET", team_path, NULL, &error);
  g_assert_error (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_NOT_FOUND);
}

/* A stand-in for GET /api/v1/attachments/{id}: bytes with a content type, for the bearer only. */
static void
media_handler (SoupServer        *soup,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  const char *authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                            "Authorization");
  static const char png_start[] = "\x89PNG\r\n\x1a\n fake image";
  static const char unauthorized[] = "{\"error\":{\"code\":\"unauthorized\",\"message\":\"Who?\"}}";
  static const char channel_error[] = "{\"error\":{\"code\":\"channel_error\","
                                      "\"message\":\"WhatsApp would not give it\"}}";

  if (g_strcmp0 (authorization, "Bearer media-token") != 0)
    {
      soup_server_message_set_status (msg, 401, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, unauthorized,
                                        strlen (unauthorized));
      return;
    }
  if (g_str_equal (path, "/api/v1/attachments/att_gone"))
    {
      soup_server_message_set_status (msg, 502, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        channel_error, strlen (channel_error));
      return;
    }
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "image/png; charset=binary", SOUP_MEMORY_STATIC, png_start,
                                    sizeof png_start - 1);
}

static GBytes *
fetch (BatonClient  *client,
       const char   *path,
       char        **content_type,
       GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  baton_client_fetch_bytes_async (client, path, NULL, got_result_cb, &result);
  return baton_client_fetch_bytes_finish (client, await_result (&result), content_type, error);
}

static void
test_fetch_bytes (void)
{
  g_autoptr(SoupServer) soup = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *base = NULL;
  g_autoptr(BatonClient) mock = NULL;
  g_autoptr(BatonClient) stranger = NULL;
  g_autoptr(BatonClient) manager = baton_client_new (server->url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) refused = NULL;
  g_autoptr(GBytes) gone = NULL;
  g_autoptr(GBytes) missing = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *no_type = NULL;

  soup_server_add_handler (soup, "/api/v1/attachments", media_handler, NULL, NULL);
  soup_server_listen_local (soup, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (soup);
  base = g_uri_to_string_partial (uris->data, G_URI_HIDE_PASSWORD);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  mock = baton_client_new (base);
  baton_client_set_token (mock, "media-token");

  /* The bytes as sent, the type without its parameters, the token on the request. */
  bytes = fetch (mock, "/attachments/att_1", &content_type, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   "\x89PNG\r\n\x1a\n fake image", 19);
  g_assert_cmpstr (content_type, ==, "image/png");

  stranger = baton_client_new (base);
  refused = fetch (stranger, "/attachments/att_1", NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  /* 502 channel_error keeps its code and message. */
  gone = fetch (mock, "/attachments/att_gone", &no_type, &error);
  g_assert_null (gone);
  g_assert_null (no_type);
  g_assert_error (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_SERVER);
  g_assert_cmpstr (baton_client_error_get_name (error), ==, "channel_error");
  g_assert_cmpstr (error->message, ==, "WhatsApp would not give it");
  g_clear_error (&error);

  /* batond: an unknown attachment is 404 not_found. */
  g_assert_true (login (manager, BATON_TEST_MANAGER_EMAIL, BATON_TEST_PASSWORD, &error));
  g_assert_no_error (error);
  missing = fetch (manager, "/attachments/att_00000000000000000000000000", NULL, &error);
  g_assert_null (missing);
  g_assert_error (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_NOT_FOUND);
  g_assert_cmpstr (baton_client_error_get_name (error), ==, "not_found");
}

static void
test_stream_live (void)
{
  g_autoptr(BatonClient) client = new_agent_client ("agent", NULL);
  g_autoptr(Recorder) recorder = recorder_new (client);
  g_autofree char *secret = NULL;
  g_autofree char *channel_id = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *barrier = NULL;
  g_autofree char *conversation_id = NULL;
  int barrier_index = -1;
  int created_index = -1;
  int message_index = -1;

  g_assert_cmpint (baton_client_get_state (client), ==, BATON_CLIENT_STATE_OFFLINE);
  start_online (client);
  g_assert_cmpuint (recorder->states->len, ==, 2);
  g_assert_cmpint (g_array_index (recorder->states, BatonClientState, 0), ==,
                   BATON_CLIENT_STATE_CONNECTING);
  g_assert_cmpint (g_array_index (recorder->states, BatonClientState, 1), ==,
                   BATON_CLIENT_STATE_ONLINE);

  conversation_id = baton_test_inbound (server, channel_id, secret, "+15550100001",
                                        "Hello from the stream test");
  barrier = baton_test_barrier (server);
  WAIT_FOR ((barrier_index = find_team_created (recorder, barrier)) >= 0, 10000);

  for (guint i = 0; i < recorder->events->len; i++)
    {
      BatonEvent *event = recorder->events->pdata[i];

      if (i > 0)
        g_assert_cmpint (event->seq, >, ((BatonEvent *) recorder->events->pdata[i - 1])->seq);
      g_assert_cmpint (event->at, >, 0);
      if (g_str_equal (event->type, "conversation.created")
          && g_strcmp0 (event_data_id (event), conversation_id) == 0)
        created_index = (int) i;
      if (g_str_equal (event->type, "message.created") && event->data
          && g_strcmp0 (json_object_get_string_member_with_default (
                          json_node_get_object (event->data), "conversation_id", NULL),
                        conversation_id) == 0)
        message_index = (int) i;
    }
  g_assert_cmpint (created_index, >=, 0);
  g_assert_cmpint (message_index, >, created_index);
  g_assert_cmpint (barrier_index, >, message_index);
  g_assert_cmpint (baton_client_get_last_seq (client), ==,
                   ((BatonEvent *) recorder->events->pdata[recorder->events->len - 1])->seq);
  g_assert_cmpuint (recorder->resyncs, ==, 0);

  baton_client_stop_stream (client);
  g_assert_cmpint (baton_client_get_state (client), ==, BATON_CLIENT_STATE_OFFLINE);
}

/* A stream that sends several events in one frame, as a JSON array (PROTOCOL.md §4), then
 * one alone; the second array repeats an event already read. */
static void
batching_stream_cb (SoupServer              *soup,
                    SoupServerMessage       *msg,
                    const char              *path,
                    SoupWebsocketConnection *connection,
                    gpointer                 user_data)
{
  static const char *frames[] = {
    "[{\"seq\":11,\"type\":\"team.created\",\"at\":\"2026-11-22T09:30:00.000Z\","
    "\"data\":{\"id\":\"tea_a\"}},"
    "{\"seq\":12,\"type\":\"team.created\",\"at\":\"2026-11-22T09:30:00.000Z\","
    "\"data\":{\"id\":\"tea_b\"}}]",
    "[{\"seq\":12,\"type\":\"team.created\",\"at\":\"2026-11-22T09:30:00.000Z\","
    "\"data\":{\"id\":\"tea_b\"}},"
    "{\"seq\":14,\"type\":\"team.updated\",\"at\":\"2026-11-22T09:30:01.000Z\","
    "\"data\":{\"id\":\"tea_a\"}},"
    "{\"seq\":15,\"type\":\"team.deleted\",\"at\":\"2026-11-22T09:30:01.000Z\","
    "\"data\":{\"id\":\"tea_b\"}}]",
    "{\"seq\":16,\"type\":\"team.created\",\"at\":\"2026-11-22T09:30:02.000Z\","
    "\"data\":{\"id\":\"tea_c\"}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    soup_websocket_connection_send_text (connection, frames[i]);
  /* kept open until the server goes */
  g_ptr_array_add (user_data, g_object_ref (connection));
}

/* The client reads array frames as their events one by one, in order, each seq once. */
static void
test_stream_array_frames (void)
{
  g_autoptr(SoupServer) soup = soup_server_new (NULL, NULL);
  g_autoptr(GPtrArray) connections = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *base = NULL;
  g_autoptr(BatonClient) client = NULL;
  g_autoptr(Recorder) recorder = NULL;
  static const gint64 seqs[] = { 11, 12, 14, 15, 16 };
  static const char *ids[] = { "tea_a", "tea_b", "tea_a", "tea_b", "tea_c" };

  soup_server_add_websocket_handler (soup, "/api/v1/stream", NULL, NULL, batching_stream_cb,
                                     connections, NULL);
  soup_server_listen_local (soup, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (soup);
  base = g_uri_to_string_partial (uris->data, G_URI_HIDE_PASSWORD);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  client = baton_client_new (base);
  recorder = recorder_new (client);
  baton_client_set_token (client, "stream-token");

  baton_client_start_stream (client);
  WAIT_FOR (recorder->events->len >= G_N_ELEMENTS (seqs), 10000);
  g_assert_cmpuint (recorder->events->len, ==, G_N_ELEMENTS (seqs));
  for (guint i = 0; i < G_N_ELEMENTS (seqs); i++)
    {
      BatonEvent *event = recorder->events->pdata[i];

      g_assert_cmpint (event->seq, ==, seqs[i]);
      g_assert_cmpstr (event_data_id (event), ==, ids[i]);
    }
  g_assert_cmpint (baton_client_get_last_seq (client), ==, 16);
  baton_client_stop_stream (client);
}

static void
test_stream_auth_failed (void)
{
  g_autoptr(BatonClient) client = baton_client_new (server->url);
  g_autoptr(Recorder) recorder = recorder_new (client);

  baton_client_set_token (client, "not-a-token");
  baton_client_start_stream (client);
  WAIT_FOR (baton_client_get_state (client) == BATON_CLIENT_STATE_AUTH_FAILED, 10000);
  /* No retry: the state stays put. */
  run_for (1500);
  g_assert_cmpint (baton_client_get_state (client), ==, BATON_CLIENT_STATE_AUTH_FAILED);
  g_assert_cmpuint (recorder->states->len, ==, 2);
  g_assert_cmpint (g_array_index (recorder->states, BatonClientState, 0), ==,
                   BATON_CLIENT_STATE_CONNECTING);
  g_assert_cmpuint (recorder->events->len, ==, 0);
}

/* The server goes away and comes back on the same address; what happened meanwhile arrives
 * once the client is back, once each, in order. */
static void
test_stream_reconnect (void)
{
  g_autoptr(BatonClient) client = new_agent_client ("agent", NULL);
  g_autoptr(Recorder) recorder = recorder_new (client);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  char *missed[3] = { NULL, NULL, NULL };
  guint states_before = 0;
  int index = -1;
  gboolean went_offline = FALSE;

  start_online (client);
  before = baton_test_barrier (server);
  WAIT_FOR (find_team_created (recorder, before) >= 0, 10000);
  g_assert_cmpint (baton_client_get_last_seq (client), >, 0);
  states_before = recorder->states->len;

  /* The client's loop does not run here: these events happen while it is cut off. */
  baton_test_server_stop (server);
  baton_test_server_start (server);
  for (guint i = 0; i < G_N_ELEMENTS (missed); i++)
    missed[i] = baton_test_barrier (server);

  WAIT_FOR (find_team_created (recorder, missed[2]) >= 0, 30000);
  g_assert_cmpint (baton_client_get_state (client), ==, BATON_CLIENT_STATE_ONLINE);
  for (guint i = states_before; i < recorder->states->len; i++)
    if (g_array_index (recorder->states, BatonClientState, i) == BATON_CLIENT_STATE_OFFLINE)
      went_offline = TRUE;
  g_assert_true (went_offline);

  after = baton_test_barrier (server);
  WAIT_FOR (find_team_created (recorder, after) >= 0, 10000);

  /* Strictly increasing seqs: nothing twice, nothing out of order. */
  for (guint i = 1; i < recorder->events->len; i++)
    g_assert_cmpint (((BatonEvent *) recorder->events->pdata[i])->seq, >,
                     ((BatonEvent *) recorder->events->pdata[i - 1])->seq);
  /* The teams made after the first barrier, exactly those, in order. */
  index = find_team_created (recorder, before);
  {
    const char *expected[] = { missed[0], missed[1], missed[2], after };
    guint next = 0;

    for (guint i = (guint) index + 1; i < recorder->events->len; i++)
      {
        BatonEvent *event = recorder->events->pdata[i];

        if (!g_str_equal (event->type, "team.created"))
          continue;
        g_assert_cmpuint (next, <, G_N_ELEMENTS (expected));
        g_assert_cmpstr (event_data_id (event), ==, expected[next]);
        next++;
      }
    g_assert_cmpuint (next, ==, G_N_ELEMENTS (expected));
  }
  g_assert_cmpuint (recorder->resyncs, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (missed); i++)
    g_free (missed[i]);
  baton_client_stop_stream (client);
}

static guint
count_states (Recorder         *recorder,
              guint             from,
              BatonClientState  state)
{
  guint count = 0;

  for (guint i = from; i < recorder->states->len; i++)
    if (g_array_index (recorder->states, BatonClientState, i) == state)
      count++;
  return count;
}

/* The ms the client waited before the n-th attempt (CONNECTING) counted from from: since
 * the OFFLINE just before it. */
static gint64
wait_before_attempt (Recorder *recorder,
                     guint     from,
                     guint     n)
{
  guint seen = 0;

  for (guint i = from + 1; i < recorder->states->len; i++)
    if (g_array_index (recorder->states, BatonClientState, i) == BATON_CLIENT_STATE_CONNECTING
        && ++seen == n)
      {
        g_assert_cmpint (g_array_index (recorder->states, BatonClientState, i - 1), ==,
                         BATON_CLIENT_STATE_OFFLINE);
        return (g_array_index (recorder->state_times, gint64, i)
                - g_array_index (recorder->state_times, gint64, i - 1)) / 1000;
      }
  g_assert_not_reached ();
  return 0;
}

/* While the server is away the client retries after 0.5 s, 1 s, 2 s… (each with jitter down
 * to half), and a successful connection starts the series again. */
static void
test_stream_backoff (void)
{
  g_autoptr(BatonClient) client = new_agent_client ("agent", NULL);
  g_autoptr(Recorder) recorder = recorder_new (client);
  guint from = 0;

  start_online (client);
  from = recorder->states->len;
  baton_test_server_stop (server);
  /* The drop, then three refused attempts. */
  WAIT_FOR (count_states (recorder, from, BATON_CLIENT_STATE_OFFLINE) >= 4, 10000);
  g_assert_cmpint (wait_before_attempt (recorder, from, 1), >=, 250);
  g_assert_cmpint (wait_before_attempt (recorder, from, 1), <=, 500 + 400);
  g_assert_cmpint (wait_before_attempt (recorder, from, 2), >=, 500);
  g_assert_cmpint (wait_before_attempt (recorder, from, 2), <=, 1000 + 400);
  g_assert_cmpint (wait_before_attempt (recorder, from, 3), >=, 1000);
  g_assert_cmpint (wait_before_attempt (recorder, from, 3), <=, 2000 + 400);
  g_assert_cmpuint (count_states (recorder, from, BATON_CLIENT_STATE_ONLINE), ==, 0);

  baton_test_server_start (server);
  WAIT_FOR (baton_client_get_state (client) == BATON_CLIENT_STATE_ONLINE, 10000);

  /* Back to the first step. */
  from = recorder->states->len;
  baton_test_server_stop (server);
  WAIT_FOR (count_states (recorder, from, BATON_CLIENT_STATE_CONNECTING) >= 1, 10000);
  g_assert_cmpint (wait_before_attempt (recorder, from, 1), <=, 500 + 400);
  baton_test_server_start (server);
  WAIT_FOR (baton_client_get_state (client) == BATON_CLIENT_STATE_ONLINE, 10000);
  baton_client_stop_stream (client);
}

/* A seq the server does not have: resync, then live from the server's seq. */
static void
test_stream_resync (void)
{
  g_autoptr(BatonClient) client = new_agent_client ("agent", NULL);
  g_autoptr(Recorder) recorder = recorder_new (client);
  g_autofree char *barrier = NULL;
  gint64 server_seq = 0;

  baton_client_set_last_seq (client, G_MAXINT64 / 2);
  start_online (client);
  WAIT_FOR (recorder->resyncs == 1, 10000);
  server_seq = baton_test_get_metric (server, "baton_event_seq");
  g_assert_cmpint (baton_client_get_last_seq (client), <=, server_seq);
  g_assert_cmpint (baton_client_get_last_seq (client), >, 0);

  barrier = baton_test_barrier (server);
  WAIT_FOR (find_team_created (recorder, barrier) >= 0, 10000);
  g_assert_cmpint (((BatonEvent *) recorder->events->pdata[find_team_created (recorder,
                                                                             barrier)])->seq,
                   >, server_seq);
  g_assert_cmpuint (recorder->resyncs, ==, 1);
  baton_client_stop_stream (client);
}

/* A customer message with a name; returns the conversation id. */
static char *
inbound (const char *channel_id,
         const char *secret,
         const char *from,
         const char *name,
         const char *body)
{
  g_autofree char *json = baton_test_strdup_printf_json ("{\"from\":%s,\"name\":%s,\"body\":%s}",
                                                         from, name, body);
  g_autoptr(JsonNode) reply = baton_test_inbound_expect (server, channel_id, secret, json, 202,
                                                         NULL);

  /* Distinct activity times make the expected order certain. */
  g_usleep (3000);
  return g_strdup (baton_test_get_string (reply, "conversation_id"));
}

static void
manager_put_assignment (const char *conversation_id,
                        const char *body)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/assignment",
                                           conversation_id);
  g_autoptr(JsonNode) reply = baton_test_expect (server, "PUT", path, server->manager_token,
                                                 body, 200, NULL);
}

static void
wait_loaded (BatonInbox *inbox)
{
  WAIT_FOR (!baton_inbox_get_loading (inbox), 10000);
}

static void
reload (BatonInbox *inbox)
{
  baton_inbox_reload (inbox);
  g_assert_true (baton_inbox_get_loading (inbox));
  wait_loaded (inbox);
}

static BatonInboxItem *
item_at (BatonInbox *inbox,
         guint       position)
{
  g_autoptr(BatonInboxItem) item = g_list_model_get_item (G_LIST_MODEL (inbox), position);

  /* The model keeps its own reference: a borrowed pointer is enough here. */
  return item;
}

static const char *
id_at (BatonInbox *inbox,
       guint       position)
{
  BatonInboxItem *item = item_at (inbox, position);

  g_assert_nonnull (item);
  return baton_inbox_item_get_id (item);
}

static guint
n_items (BatonInbox *inbox)
{
  return g_list_model_get_n_items (G_LIST_MODEL (inbox));
}

static void
test_inbox_filters (void)
{
  g_autofree char *agent_id = NULL;
  g_autoptr(BatonClient) client = new_agent_client ("agent", &agent_id);
  g_autoptr(BatonInbox) inbox = baton_inbox_new (client);
  g_autofree char *secret = NULL;
  g_autofree char *channel_id = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *team_id = baton_test_barrier (server);
  g_autofree char *assign_agent = baton_test_strdup_printf_json ("{\"assignee_ids\":[%s]}",
                                                                 agent_id);
  g_autofree char *assign_team = baton_test_strdup_printf_json ("{\"team_id\":%s}", team_id);
  g_autofree char *mine = inbound (channel_id, secret, "+15550110001", "Quokka Ames",
                                   "First question");
  g_autofree char *teamed = inbound (channel_id, secret, "+15550110002", "Quokka Bell",
                                     "Second question");
  g_autofree char *resolved = inbound (channel_id, secret, "+15550110003", "Quokka Cruz",
                                       "Third question");
  g_autofree char *resolve_path = g_strdup_printf ("/api/v1/conversations/%s/resolve",
                                                   resolved);
  g_autoptr(JsonNode) resolve = NULL;
  const char *agents[] = { agent_id, NULL };
  BatonInboxItem *item = NULL;
  g_autofree char *status = NULL;

  manager_put_assignment (mine, assign_agent);
  manager_put_assignment (teamed, assign_team);
  resolve = baton_test_expect (server, "POST", resolve_path, server->manager_token, NULL, 200,
                               NULL);

  /* Search: the name, case-insensitively; newest first. */
  baton_inbox_set_search (inbox, "quokka");
  g_assert_true (baton_inbox_get_loading (inbox));
  wait_loaded (inbox);
  g_assert_cmpuint (n_items (inbox), ==, 3);
  g_assert_cmpstr (id_at (inbox, 0), ==, resolved);
  g_assert_cmpstr (id_at (inbox, 1), ==, teamed);
  g_assert_cmpstr (id_at (inbox, 2), ==, mine);
  item = item_at (inbox, 1);
  g_object_get (item, "status", &status, NULL);
  g_assert_cmpstr (status, ==, "new");
  {
    g_autofree char *name = NULL;
    g_autofree char *phone = NULL;
    g_autofree char *preview = NULL;
    g_autofree char *direction = NULL;
    g_autofree char *item_team = NULL;
    gint64 last_at = 0;

    g_object_get (item, "contact-name", &name, "contact-phone", &phone, "preview", &preview,
                  "direction", &direction, "team-id", &item_team, "last-at", &last_at, NULL);
    g_assert_cmpstr (name, ==, "Quokka Bell");
    g_assert_cmpstr (phone, ==, "+15550110002");
    g_assert_cmpstr (preview, ==, "Second question");
    g_assert_cmpstr (direction, ==, "inbound");
    g_assert_cmpstr (item_team, ==, team_id);
    g_assert_cmpint (last_at, >, 0);
    g_assert_cmpint (last_at, <=, baton_inbox_item_get_last_at (item_at (inbox, 0)));
  }

  /* The phone too. */
  baton_inbox_set_search (inbox, "+1555011000");
  wait_loaded (inbox);
  g_assert_cmpuint (n_items (inbox), ==, 3);
  baton_inbox_set_search (inbox, "quokka");
  wait_loaded (inbox);

  baton_inbox_set_scope (inbox, BATON_INBOX_MINE);
  wait_loaded (inbox);
  g_assert_cmpuint (n_items (inbox), ==, 1);
  g_assert_cmpstr (id_at (inbox, 0), ==, mine);

  baton_inbox_set_scope (inbox, BATON_INBOX_UNASSIGNED);
  wait_loaded (inbox);
  g_assert_cmpuint (n_items (inbox), ==, 2);
  g_assert_cmpstr (id_at (inbox, 0), ==, resolved);
  g_assert_cmpstr (id_at (inbox, 1), ==, teamed);

  baton_inbox_set_scope (inbox, BATON_INBOX_ALL);
  baton_inbox_set_team_id (inbox, team_id);
  wait_loaded (inbox);
  g_assert_cmpuint (n_items (inbox), ==, 1);
  g_assert_cmpstr (id_at (inbox, 0), ==, teamed);

  baton_inbox_set_team_id (inbox, NULL);
  baton_inbox_set_statuses (inbox, "resolved");
  wait_loaded (inbox);
  g_assert_cmpuint (n_items (inbox), ==, 1);
  g_assert_cmpstr (id_at (inbox, 0), ==, resolved);

  baton_inbox_set_statuses (inbox, "new,in_progress");
  wait_loaded (inbox);
  g_assert_cmpuint (n_items (inbox), ==, 2);
  g_assert_cmpstr (id_at (inbox, 0), ==, teamed);
  g_assert_cmpstr (id_at (inbox, 1), ==, mine);

  baton_inbox_set_statuses (inbox, NULL);
  baton_inbox_set_agent_ids (inbox, agents);
  wait_loaded (inbox);
  g_assert_cmpuint (n_items (inbox), ==, 1);
  g_assert_cmpstr (id_at (inbox, 0), ==, mine);

  /* Nothing matches. */
  baton_inbox_set_agent_ids (inbox, NULL);
  baton_inbox_set_search (inbox, "no such quokka");
  wait_loaded (inbox);
  g_assert_cmpuint (n_items (inbox), ==, 0);
}

typedef struct {
  guint position;
  guint removed;
  guint added;
} Change;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GArray     *changes)
{
  Change change = { position, removed, added };

  g_array_append_val (changes, change);
}

static void
assert_change (GArray *changes,
               guint   index,
               guint   position,
               guint   removed,
               guint   added)
{
  Change *change = NULL;

  g_assert_cmpuint (index, <, changes->len);
  change = &g_array_index (changes, Change, index);
  g_assert_cmpuint (change->position, ==, position);
  g_assert_cmpuint (change->removed, ==, removed);
  g_assert_cmpuint (change->added, ==, added);
}

static void
test_inbox_live (void)
{
  g_autofree char *agent_id = NULL;
  g_autoptr(BatonClient) client = new_agent_client ("agent", &agent_id);
  g_autoptr(BatonInbox) unassigned = baton_inbox_new (client);
  g_autoptr(BatonInbox) mine = baton_inbox_new (client);
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(GArray) mine_changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autofree char *secret = NULL;
  g_autofree char *channel_id = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *older = inbound (channel_id, secret, "+15550120001", "Wombat One",
                                    "Are you open today?");
  g_autofree char *newer = NULL;
  g_autofree char *assign_agent = baton_test_strdup_printf_json ("{\"assignee_ids\":[%s]}",
                                                                 agent_id);
  g_autofree char *preview = NULL;
  g_autoptr(BatonInboxItem) older_item = NULL;
  g_autoptr(BatonInboxItem) newer_item = NULL;

  g_object_set (unassigned, "scope", BATON_INBOX_UNASSIGNED, "search", "wombat", NULL);
  g_object_set (mine, "scope", BATON_INBOX_MINE, "search", "wombat", NULL);
  start_online (client);
  wait_loaded (unassigned);
  wait_loaded (mine);
  g_assert_cmpuint (n_items (unassigned), ==, 1);
  g_assert_cmpuint (n_items (mine), ==, 0);
  older_item = g_list_model_get_item (G_LIST_MODEL (unassigned), 0);
  g_assert_cmpstr (baton_inbox_item_get_id (older_item), ==, older);
  /* nobody has seen it yet (test_inbox_unread follows the read state) */
  g_assert_true (baton_inbox_item_get_unread (older_item));
  g_assert_true (baton_inbox_lookup (unassigned, older) == older_item);
  g_signal_connect (unassigned, "items-changed", G_CALLBACK (items_changed_cb), changes);
  g_signal_connect (mine, "items-changed", G_CALLBACK (items_changed_cb), mine_changes);

  /* A new conversation appears at the top, unread. */
  newer = inbound (channel_id, secret, "+15550120002", "Wombat Two", "Do you ship abroad?");
  WAIT_FOR (n_items (unassigned) == 2, 10000);
  assert_change (changes, 0, 0, 0, 1);
  newer_item = g_list_model_get_item (G_LIST_MODEL (unassigned), 0);
  g_assert_cmpstr (baton_inbox_item_get_id (newer_item), ==, newer);
  WAIT_FOR (baton_inbox_item_get_unread (newer_item), 10000);
  g_assert_true (item_at (unassigned, 1) == older_item);

  /* The customer writes again in the older one: it moves up, the same object. */
  g_free (inbound (channel_id, secret, "+15550120001", "Wombat One", "Hello? Anyone?"));
  WAIT_FOR (item_at (unassigned, 0) == older_item, 10000);
  assert_change (changes, 1, 0, 2, 2);
  g_assert_true (item_at (unassigned, 1) == newer_item);
  g_object_get (older_item, "preview", &preview, NULL);
  g_assert_cmpstr (preview, ==, "Hello? Anyone?");
  WAIT_FOR (baton_inbox_item_get_unread (older_item), 10000);

  /* Assigned: out of "unassigned", into "mine". */
  manager_put_assignment (older, assign_agent);
  WAIT_FOR (n_items (unassigned) == 1, 10000);
  assert_change (changes, 2, 0, 1, 0);
  g_assert_cmpuint (changes->len, ==, 3);
  g_assert_true (item_at (unassigned, 0) == newer_item);
  g_assert_null (baton_inbox_lookup (unassigned, older));
  WAIT_FOR (n_items (mine) == 1, 10000);
  assert_change (mine_changes, 0, 0, 0, 1);
  g_assert_cmpstr (id_at (mine, 0), ==, older);
  {
    g_auto(GStrv) assignees = NULL;

    g_object_get (item_at (mine, 0), "assignee-ids", &assignees, NULL);
    g_assert_nonnull (assignees);
    g_assert_cmpstr (assignees[0], ==, agent_id);
    g_assert_null (assignees[1]);
  }

  /* A reload keeps the objects of the items it finds again. */
  reload (unassigned);
  g_assert_cmpuint (n_items (unassigned), ==, 1);
  g_assert_true (item_at (unassigned, 0) == newer_item);
  baton_client_stop_stream (client);
}

/* A customer message; returns its id (the conversation's in *conversation_id). */
static char *
customer_message (const char  *channel_id,
                  const char  *secret,
                  const char  *from,
                  const char  *body,
                  char       **conversation_id)
{
  g_autofree char *json = baton_test_strdup_printf_json ("{\"from\":%s,\"body\":%s}", from,
                                                         body);
  g_autoptr(JsonNode) reply = baton_test_inbound_expect (server, channel_id, secret, json, 202,
                                                         NULL);

  if (conversation_id)
    *conversation_id = g_strdup (baton_test_get_string (reply, "conversation_id"));
  return g_strdup (baton_test_get_string (reply, "message_id"));
}

static BatonSeen *
mark_seen (BatonClient *client,
           const char  *conversation_id,
           const char  *message_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  BatonSeen *seen = NULL;

  baton_client_mark_seen_async (client, conversation_id, message_id, NULL, got_result_cb,
                                &result);
  seen = baton_client_mark_seen_finish (client, await_result (&result), &error);
  g_assert_no_error (error);
  return seen;
}

/* A signed-in inbox of that agent showing the conversations found by search, loaded. */
static BatonInbox *
online_inbox (BatonClient *client,
              const char  *search)
{
  BatonInbox *inbox = baton_inbox_new (client);

  g_object_set (inbox, "search", search, NULL);
  start_online (client);
  wait_loaded (inbox);
  return inbox;
}

static gint64
unread_of (BatonInbox *inbox,
           const char *conversation_id)
{
  BatonInboxItem *item = baton_inbox_lookup (inbox, conversation_id);

  return item ? baton_inbox_item_get_unread_count (item) : -1;
}

/* Unread = inbound_count − seen_count, kept by the server: it follows customer messages and
 * seen.updated live, and survives a change of filter and a new client (a restart). */
static void
test_inbox_unread (void)
{
  guint n = unique ();
  g_autofree char *email = g_strdup_printf ("unread-%u@example.com", n);
  g_autofree char *agent_id = baton_test_create_agent (server, "Una Read", email, "agent",
                                                       NULL);
  g_autoptr(BatonClient) client = baton_client_new (server->url);
  g_autoptr(BatonClient) restarted = baton_client_new (server->url);
  g_autoptr(BatonInbox) inbox = NULL;
  g_autoptr(BatonInbox) after_restart = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *channel_id = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *conversation_id = NULL;
  g_autofree char *first = customer_message (channel_id, secret, "+15550130001",
                                             "Numbat here", &conversation_id);
  g_autofree char *second = customer_message (channel_id, secret, "+15550130001",
                                              "Is my parcel lost?", NULL);
  g_autofree char *third = NULL;
  g_autoptr(BatonSeen) seen = NULL;

  g_assert_true (login (client, email, BATON_TEST_PASSWORD, &error));
  g_assert_no_error (error);
  inbox = online_inbox (client, "+15550130001");
  g_assert_cmpint (unread_of (inbox, conversation_id), ==, 2);

  seen = mark_seen (client, conversation_id, second);
  g_assert_cmpstr (seen->conversation_id, ==, conversation_id);
  g_assert_cmpint (seen->seen_count, ==, 2);
  /* seen.updated brings it to the model */
  WAIT_FOR (unread_of (inbox, conversation_id) == 0, 10000);
  g_assert_false (baton_inbox_item_get_unread (baton_inbox_lookup (inbox, conversation_id)));

  /* the customer writes again: one unread */
  third = customer_message (channel_id, secret, "+15550130001", "Hello?", NULL);
  WAIT_FOR (unread_of (inbox, conversation_id) == 1, 10000);

  /* a change of filter that drops it and brings it back keeps its read state */
  g_object_set (inbox, "search", "nothing matches this", NULL);
  wait_loaded (inbox);
  g_assert_cmpint (unread_of (inbox, conversation_id), ==, -1);
  g_object_set (inbox, "search", "+15550130001", NULL);
  wait_loaded (inbox);
  g_assert_cmpint (unread_of (inbox, conversation_id), ==, 1);

  /* a new client, as after a restart of the app, finds it on the server */
  g_assert_true (login (restarted, email, BATON_TEST_PASSWORD, &error));
  g_assert_no_error (error);
  after_restart = online_inbox (restarted, "+15550130001");
  WAIT_FOR (unread_of (after_restart, conversation_id) == 1, 10000);
  baton_client_stop_stream (client);
  baton_client_stop_stream (restarted);
}

static gboolean
counts_are (BatonInbox *inbox,
            gint64      mine_open,
            gint64      mine_unread)
{
  BatonConversationCounts *counts = baton_inbox_get_counts (inbox);

  return counts && counts->mine.open == mine_open && counts->mine.unread == mine_unread;
}

/* The typed calls of the read state, and the inbox's counts kept current by events. */
static void
test_inbox_counts (void)
{
  g_autofree char *agent_id = NULL;
  g_autoptr(BatonClient) client = new_agent_client ("agent", &agent_id);
  g_autoptr(BatonInbox) inbox = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *channel_id = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *team_id = baton_test_create (server, "/api/v1/teams",
                                                "{\"name\":\"Counted in the client\"}");
  g_autofree char *conversation_id = NULL;
  g_autofree char *message = customer_message (channel_id, secret, "+15550130002",
                                               "Quokka here", &conversation_id);
  g_autofree char *assignment = baton_test_strdup_printf_json ("{\"team_id\":%s,"
                                                               "\"assignee_ids\":[%s]}",
                                                               team_id, agent_id);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(BatonSeen) seen = NULL;
  BatonConversationCounts *counts = NULL;

  inbox = online_inbox (client, "+15550130002");
  WAIT_FOR (counts_are (inbox, 0, 0), 10000);
  manager_put_assignment (conversation_id, assignment);
  WAIT_FOR (counts_are (inbox, 1, 1), 10000);
  counts = baton_inbox_get_counts (inbox);
  g_assert_cmpint (baton_conversation_counts_get_team (counts, team_id)->unread, ==, 1);
  g_assert_cmpint (counts->all.unread, >=, 1);

  seen = mark_seen (client, conversation_id, message);
  WAIT_FOR (counts_are (inbox, 1, 0), 10000);
  counts = baton_inbox_get_counts (inbox);
  g_assert_cmpint (baton_conversation_counts_get_team (counts, team_id)->open, ==, 1);
  g_assert_cmpint (baton_conversation_counts_get_team (counts, team_id)->unread, ==, 0);

  baton_client_list_seen_async (client, NULL, got_result_cb, &result);
  listed = baton_client_list_seen_finish (client, await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 1);
  g_assert_cmpstr (((BatonSeen *) listed->pdata[0])->conversation_id, ==, conversation_id);
  g_assert_cmpint (((BatonSeen *) listed->pdata[0])->seen_count, ==, 1);
  baton_client_stop_stream (client);
}

/* The inbox sorts by activity_at as the server's list does: an assignment, which adds no
 * customer message, moves a thread to the top live, and a reload finds the same order. */
static void
test_inbox_activity_order (void)
{
  g_autofree char *agent_id = NULL;
  g_autoptr(BatonClient) client = new_agent_client ("manager", &agent_id);
  g_autoptr(BatonInbox) inbox = baton_inbox_new (client);
  g_autofree char *secret = NULL;
  g_autofree char *channel_id = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *older = inbound (channel_id, secret, "+15550160001", "Bilbyorder One",
                                    "First question");
  g_autofree char *newer = NULL;
  g_autofree char *assign_agent = baton_test_strdup_printf_json ("{\"assignee_ids\":[%s]}",
                                                                 agent_id);
  g_autoptr(JsonNode) listed = NULL;
  BatonInboxItem *older_item = NULL;
  gint64 last_at = 0;
  gint64 activity_at = 0;

  /* times are in milliseconds: the next change is later */
  g_usleep (5000);
  newer = inbound (channel_id, secret, "+15550160002", "Bilbyorder Two", "Second question");
  g_object_set (inbox, "scope", BATON_INBOX_ALL, "search", "bilbyorder", NULL);
  start_online (client);
  wait_loaded (inbox);
  g_assert_cmpuint (n_items (inbox), ==, 2);
  g_assert_cmpstr (id_at (inbox, 0), ==, newer);
  older_item = item_at (inbox, 1);
  last_at = baton_inbox_item_get_last_at (older_item);

  g_usleep (5000);
  manager_put_assignment (older, assign_agent);
  WAIT_FOR (g_strcmp0 (id_at (inbox, 0), older) == 0, 10000);
  g_assert_true (item_at (inbox, 0) == older_item);
  /* the row still shows the customer's last message time */
  g_assert_cmpint (baton_inbox_item_get_last_at (older_item), ==, last_at);

  reload (inbox);
  g_assert_cmpstr (id_at (inbox, 0), ==, older);
  g_assert_cmpstr (id_at (inbox, 1), ==, newer);
  listed = baton_test_get (server, "/api/v1/conversations/%s", older);
  g_assert_true (baton_time_parse (baton_test_get_string (listed, "activity_at"), &activity_at));
  g_assert_cmpint (baton_inbox_item_get_conversation (item_at (inbox, 0))->activity_at, ==,
                   activity_at);
  baton_client_stop_stream (client);
}

/* While the client is cut off the workspace moves on further than the server replays
 * (CLIENT_REPLAY_LIMIT): the stream says resync_required, the inbox and the signed-in agent
 * load again by REST, and what was missed never arrives as events. */
static void
test_stream_far_behind (void)
{
  g_autofree char *agent_id = NULL;
  g_autoptr(BatonClient) client = new_agent_client ("agent", &agent_id);
  g_autofree char *agent_path = g_strdup_printf ("/api/v1/agents/%s", agent_id);
  g_autoptr(Recorder) recorder = recorder_new (client);
  g_autoptr(BatonInbox) inbox = baton_inbox_new (client);
  g_autofree char *secret = NULL;
  g_autofree char *channel_id = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *before = NULL;
  g_autofree char *missed = NULL;
  gint64 before_seq = 0;
  gint64 server_seq = 0;
  guint loading_notifies = 0;

  g_object_set (inbox, "scope", BATON_INBOX_UNASSIGNED, "search", "numbat", NULL);
  start_online (client);
  wait_loaded (inbox);
  g_assert_cmpuint (n_items (inbox), ==, 0);
  before = baton_test_barrier (server);
  WAIT_FOR (find_team_created (recorder, before) >= 0, 10000);
  before_seq = baton_client_get_last_seq (client);
  g_signal_connect (inbox, "notify::loading", G_CALLBACK (notify_count_cb), &loading_notifies);

  /* Away for less than the presence grace: coming back publishes no agent.updated. */
  baton_client_stop_stream (client);
  missed = inbound (channel_id, secret, "+15550140001", "Numbat One", "Still there?");
  {
    g_autoptr(JsonNode) renamed = baton_test_expect (server, "PATCH", agent_path,
                                                     server->manager_token,
                                                     "{\"name\":\"Renamed Away\"}", 200, NULL);
  }
  for (guint i = 0; i < CLIENT_REPLAY_LIMIT; i++)
    g_free (baton_test_barrier (server));
  server_seq = baton_test_get_metric (server, "baton_event_seq");
  baton_client_start_stream (client);

  WAIT_FOR (recorder->resyncs == 1, 30000);
  g_assert_cmpint (baton_client_get_last_seq (client), >=, server_seq);
  WAIT_FOR (loading_notifies >= 2 && !baton_inbox_get_loading (inbox), 10000);
  g_assert_cmpuint (n_items (inbox), ==, 1);
  g_assert_cmpstr (id_at (inbox, 0), ==, missed);
  /* the signed-in agent too, as at start */
  WAIT_FOR (g_strcmp0 (baton_client_get_me (client)->name, "Renamed Away") == 0, 10000);
  for (guint i = 0; i < recorder->events->len; i++)
    {
      gint64 seq = ((BatonEvent *) recorder->events->pdata[i])->seq;

      g_assert_true (seq <= before_seq || seq > server_seq);
    }
  g_assert_cmpint (baton_client_get_state (client), ==, BATON_CLIENT_STATE_ONLINE);
  baton_client_stop_stream (client);
}

static void
test_inbox_item_update (void)
{
  g_autoptr(BatonConversation) first = baton_conversation_new ();
  g_autoptr(BatonConversation) second = baton_conversation_new ();
  g_autoptr(BatonInboxItem) item = NULL;
  guint preview_notifies = 0;
  guint name_notifies = 0;
  guint version_notifies = 0;
  guint status_notifies = 0;

  first->id = g_strdup ("cnv_1");
  first->contact_name = g_strdup ("Ada");
  first->last_preview = g_strdup ("Hi");
  first->version = 1;
  second->id = g_strdup ("cnv_1");
  second->contact_name = g_strdup ("Ada");
  second->last_preview = g_strdup ("Hi again");
  second->version = 2;
  item = baton_inbox_item_new (first);
  g_signal_connect (item, "notify::preview", G_CALLBACK (notify_count_cb), &preview_notifies);
  g_signal_connect (item, "notify::contact-name", G_CALLBACK (notify_count_cb), &name_notifies);
  g_signal_connect (item, "notify::version", G_CALLBACK (notify_count_cb), &version_notifies);
  g_signal_connect (item, "notify::status", G_CALLBACK (notify_count_cb), &status_notifies);

  baton_inbox_item_update (item, second);
  g_assert_true (baton_inbox_item_get_conversation (item) == second);
  g_assert_cmpuint (preview_notifies, ==, 1);
  g_assert_cmpuint (version_notifies, ==, 1);
  g_assert_cmpuint (name_notifies, ==, 0);
  g_assert_cmpuint (status_notifies, ==, 0);
}

static void
test_inbox_paging (void)
{
  g_autoptr(BatonClient) client = new_agent_client ("agent", NULL);
  g_autoptr(BatonInbox) inbox = baton_inbox_new (client);
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autofree char *secret = NULL;
  g_autofree char *channel_id = baton_test_create_channel (server, NULL, &secret);
  char *ids[5] = { NULL };
  g_autoptr(BatonInboxItem) first = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *phone = g_strdup_printf ("+1555013000%u", i);
      g_autofree char *name = g_strdup_printf ("Platypus %u", i);

      ids[i] = inbound (channel_id, secret, phone, name, "Paging");
    }

  g_object_set (inbox, "page-size", 2, "search", "platypus", NULL);
  wait_loaded (inbox);
  g_assert_cmpuint (n_items (inbox), ==, 2);
  g_assert_true (baton_inbox_get_has_more (inbox));
  g_assert_cmpstr (id_at (inbox, 0), ==, ids[4]);
  g_assert_cmpstr (id_at (inbox, 1), ==, ids[3]);
  first = g_list_model_get_item (G_LIST_MODEL (inbox), 0);

  g_signal_connect (inbox, "items-changed", G_CALLBACK (items_changed_cb), changes);
  baton_inbox_load_more (inbox);
  g_assert_true (baton_inbox_get_loading (inbox));
  wait_loaded (inbox);
  g_assert_cmpuint (n_items (inbox), ==, 4);
  g_assert_true (baton_inbox_get_has_more (inbox));
  assert_change (changes, 0, 2, 0, 1);
  assert_change (changes, 1, 3, 0, 1);

  baton_inbox_load_more (inbox);
  wait_loaded (inbox);
  g_assert_cmpuint (n_items (inbox), ==, 5);
  g_assert_false (baton_inbox_get_has_more (inbox));
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_assert_cmpstr (id_at (inbox, i), ==, ids[G_N_ELEMENTS (ids) - 1 - i]);
  g_assert_true (item_at (inbox, 0) == first);

  /* Nothing more to load: no request. */
  baton_inbox_load_more (inbox);
  g_assert_false (baton_inbox_get_loading (inbox));

  /* Reloading goes back to one page, with the same objects. */
  g_array_set_size (changes, 0);
  reload (inbox);
  g_assert_cmpuint (n_items (inbox), ==, 2);
  assert_change (changes, 0, 0, 5, 2);
  g_assert_true (item_at (inbox, 0) == first);

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_free (ids[i]);
}

static void
load_failed_cb (BatonInbox *inbox,
                GError     *error,
                guint      *count)
{
  g_assert_error (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_UNAUTHORIZED);
  (*count)++;
}

/* Signed out: the load fails and says so. */
static void
test_inbox_load_failed (void)
{
  g_autoptr(BatonClient) client = baton_client_new (server->url);
  g_autoptr(BatonInbox) inbox = baton_inbox_new (client);
  guint failures = 0;

  g_signal_connect (inbox, "load-failed", G_CALLBACK (load_failed_cb), &failures);
  reload (inbox);
  g_assert_cmpuint (failures, ==, 1);
  g_assert_cmpuint (n_items (inbox), ==, 0);
}

static void
test_secret_store (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *other = NULL;
  g_autofree char *cleared = NULL;

  baton_secret_store_save_async ("https://baton.example.com/", "ana@example.com", "tok-123",
                                 NULL, got_result_cb, &result);
  g_assert_true (baton_secret_store_save_finish (await_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  /* The same server with or without its trailing slash. */
  baton_secret_store_load_async ("https://baton.example.com", "ana@example.com", NULL,
                                 got_result_cb, &result);
  token = baton_secret_store_load_finish (await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "tok-123");
  g_clear_object (&result);

  /* Keyed by account and by server. */
  baton_secret_store_load_async ("https://baton.example.com", "ben@example.com", NULL,
                                 got_result_cb, &result);
  other = baton_secret_store_load_finish (await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_null (other);
  g_clear_object (&result);
  baton_secret_store_load_async ("https://other.example.com", "ana@example.com", NULL,
                                 got_result_cb, &result);
  other = baton_secret_store_load_finish (await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_null (other);
  g_clear_object (&result);

  baton_secret_store_clear_async ("https://baton.example.com", "ana@example.com", NULL,
                                  got_result_cb, &result);
  g_assert_true (baton_secret_store_clear_finish (await_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  baton_secret_store_load_async ("https://baton.example.com", "ana@example.com", NULL,
                                 got_result_cb, &result);
  cleared = baton_secret_store_load_finish (await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_null (cleared);
  g_clear_object (&result);

  /* Clearing what is not there is no error. */
  baton_secret_store_clear_async ("https://baton.example.com", "ana@example.com", NULL,
                                  got_result_cb, &result);
  g_assert_true (baton_secret_store_clear_finish (await_result (&result), &error));
  g_assert_no_error (error);
}

/* Typed calls */

static BatonClient *
new_manager_client (void)
{
  g_autoptr(BatonClient) client = baton_client_new (server->url);
  g_autoptr(GError) error = NULL;

  g_assert_true (login (client, BATON_TEST_MANAGER_EMAIL, BATON_TEST_PASSWORD, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&client);
}

static gboolean
agents_have (GPtrArray  *agents,
             const char *agent_id)
{
  for (guint i = 0; i < agents->len; i++)
    if (g_str_equal (((BatonAgent *) agents->pdata[i])->id, agent_id))
      return TRUE;
  return FALSE;
}

static BatonTeam *
find_team (GPtrArray  *teams,
           const char *team_id)
{
  for (guint i = 0; i < teams->len; i++)
    if (g_str_equal (((BatonTeam *) teams->pdata[i])->id, team_id))
      return teams->pdata[i];
  return NULL;
}

static void
test_typed_availability (void)
{
  g_autoptr(BatonClient) client = new_agent_client ("agent", NULL);
  g_autoptr(GAsyncResult) away = NULL;
  g_autoptr(GAsyncResult) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonAgent) agent = NULL;
  g_autoptr(BatonAgent) online = NULL;

  baton_client_set_availability_async (client, BATON_AVAILABILITY_AWAY, NULL, got_result_cb,
                                       &away);
  agent = baton_client_set_availability_finish (client, await_result (&away), &error);
  g_assert_no_error (error);
  g_assert_cmpint (agent->availability, ==, BATON_AVAILABILITY_AWAY);
  /* "me" follows without waiting for the stream. */
  g_assert_cmpint (baton_client_get_me (client)->availability, ==, BATON_AVAILABILITY_AWAY);

  baton_client_set_availability_async (client, BATON_AVAILABILITY_ONLINE, NULL, got_result_cb,
                                       &back);
  online = baton_client_set_availability_finish (client, await_result (&back), &error);
  g_assert_no_error (error);
  g_assert_cmpint (baton_client_get_me (client)->availability, ==, BATON_AVAILABILITY_ONLINE);
}

static BatonTeam *
save_team (BatonClient  *client,
           BatonTeam    *team,
           GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  if (team->id == NULL)
    {
      baton_client_create_team_async (client, team, NULL, got_result_cb, &result);
      return baton_client_create_team_finish (client, await_result (&result), error);
    }
  baton_client_update_team_async (client, team, NULL, got_result_cb, &result);
  return baton_client_update_team_finish (client, await_result (&result), error);
}

static gboolean
delete_team (BatonClient  *client,
             const char   *team_id,
             GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  baton_client_delete_team_async (client, team_id, NULL, got_result_cb, &result);
  return baton_client_delete_team_finish (client, await_result (&result), error);
}

static GPtrArray *
list_teams (BatonClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *teams = NULL;

  baton_client_list_teams_async (client, NULL, got_result_cb, &result);
  teams = baton_client_list_teams_finish (client, await_result (&result), &error);
  g_assert_no_error (error);
  return teams;
}

static void
test_typed_teams (void)
{
  g_autofree char *agent_id = NULL;
  g_autoptr(BatonClient) agent = new_agent_client ("agent", &agent_id);
  g_autoptr(BatonClient) manager = new_manager_client ();
  g_autoptr(GAsyncResult) listed = NULL;
  g_autoptr(GPtrArray) agents = NULL;
  g_autoptr(GPtrArray) teams = NULL;
  g_autoptr(BatonTeam) draft = baton_team_new ();
  g_autoptr(BatonTeam) created = NULL;
  g_autoptr(BatonTeam) renamed = NULL;
  g_autoptr(BatonTeam) refused = NULL;
  g_autoptr(GError) error = NULL;
  const char *members[] = { agent_id, NULL };

  baton_client_list_agents_async (agent, NULL, got_result_cb, &listed);
  agents = baton_client_list_agents_finish (agent, await_result (&listed), &error);
  g_assert_no_error (error);
  g_assert_true (agents_have (agents, agent_id));
  g_assert_true (agents_have (agents, server->manager_id));

  /* Unset users and counts go as null; what was set comes back. */
  draft->name = g_strdup ("Typed team");
  draft->member_ids = g_strdupv ((char **) members);
  draft->strategy = BATON_STRATEGY_LEAST_BUSY;
  draft->only_online = FALSE;
  draft->max_active_per_agent = 3;
  created = save_team (manager, draft, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (created->name, ==, "Typed team");
  g_assert_cmpstrv (created->member_ids, members);
  g_assert_cmpint (created->strategy, ==, BATON_STRATEGY_LEAST_BUSY);
  g_assert_false (created->only_online);
  g_assert_cmpint (created->max_active_per_agent, ==, 3);
  g_assert_cmpint (created->reassign_after_minutes, ==, 0);

  g_free (created->name);
  created->name = g_strdup ("Typed team, renamed");
  created->max_active_per_agent = 0;
  renamed = save_team (manager, created, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (renamed->id, ==, created->id);
  g_assert_cmpint (renamed->max_active_per_agent, ==, 0);
  teams = list_teams (agent);
  g_assert_cmpstr (find_team (teams, created->id)->name, ==, "Typed team, renamed");

  /* Errors keep their code: an agent may not write teams. */
  refused = save_team (agent, draft, &error);
  g_assert_null (refused);
  g_assert_error (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_FORBIDDEN);
  g_clear_error (&error);

  g_assert_true (delete_team (manager, created->id, &error));
  g_assert_no_error (error);
  g_assert_false (delete_team (manager, created->id, &error));
  g_assert_error (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_NOT_FOUND);
}

/* Managers' writes to agents: a password the server chooses, signing in with it, a role, a
 * reset (the old password stops working) and a removal. */
static void
test_typed_agents (void)
{
  g_autoptr(BatonClient) manager = new_manager_client ();
  g_autoptr(BatonClient) invited = baton_client_new (server->url);
  g_autoptr(GAsyncResult) created_result = NULL;
  g_autoptr(GAsyncResult) role_result = NULL;
  g_autoptr(GAsyncResult) reset_result = NULL;
  g_autoptr(GAsyncResult) deleted_result = NULL;
  g_autoptr(BatonAgent) created = NULL;
  g_autoptr(BatonAgent) promoted = NULL;
  g_autoptr(BatonAgent) reset = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  g_autofree char *second = NULL;

  baton_client_create_agent_async (manager, "Typed Agent", "typed.agent@example.com",
                                   BATON_ROLE_AGENT, NULL, got_result_cb, &created_result);
  created = baton_client_create_agent_finish (manager, await_result (&created_result),
                                              &password, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (created->name, ==, "Typed Agent");
  g_assert_cmpint (created->role, ==, BATON_ROLE_AGENT);
  g_assert_cmpuint (strlen (password), >=, 12);
  g_assert_true (login (invited, "typed.agent@example.com", password, &error));
  g_assert_no_error (error);

  baton_client_set_agent_role_async (manager, created->id, BATON_ROLE_MANAGER, NULL,
                                     got_result_cb, &role_result);
  promoted = baton_client_set_agent_role_finish (manager, await_result (&role_result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (promoted->role, ==, BATON_ROLE_MANAGER);
  /* the manager's own "me" is not the agent changed */
  g_assert_cmpstr (baton_client_get_me (manager)->id, ==, server->manager_id);

  baton_client_reset_agent_password_async (manager, created->id, NULL, got_result_cb,
                                           &reset_result);
  reset = baton_client_reset_agent_password_finish (manager, await_result (&reset_result),
                                                    &second, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reset->id, ==, created->id);
  g_assert_cmpstr (second, !=, password);
  g_assert_false (login (invited, "typed.agent@example.com", password, &error));
  g_clear_error (&error);
  g_assert_true (login (invited, "typed.agent@example.com", second, &error));
  g_assert_no_error (error);

  baton_client_delete_agent_async (manager, created->id, NULL, got_result_cb, &deleted_result);
  g_assert_true (baton_client_delete_agent_finish (manager, await_result (&deleted_result),
                                                   &error));
  g_assert_no_error (error);
  g_assert_false (login (invited, "typed.agent@example.com", second, &error));
}

static BatonConversation *
get_conversation (BatonClient  *client,
                  const char   *conversation_id,
                  GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  baton_client_get_conversation_async (client, conversation_id, NULL, got_result_cb, &result);
  return baton_client_get_conversation_finish (client, await_result (&result), error);
}

static GPtrArray *
list_messages (BatonClient *client,
               const char  *conversation_id,
               const char  *before,
               guint        limit,
               gboolean    *has_more)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *messages = NULL;

  baton_client_list_messages_async (client, conversation_id, before, limit, NULL, got_result_cb,
                                    &result);
  messages = baton_client_list_messages_finish (client, await_result (&result), has_more,
                                                &error);
  g_assert_no_error (error);
  return messages;
}

static BatonMessage *
send_message (BatonClient *client,
              const char  *conversation_id,
              const char  *body,
              gboolean     note)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  BatonMessage *message = NULL;

  baton_client_send_message_async (client, conversation_id, body, note, NULL, NULL,
                                   got_result_cb, &result);
  message = baton_client_send_message_finish (client, await_result (&result), &error);
  g_assert_no_error (error);
  return message;
}

static BatonConversation *
act (BatonClient              *client,
     const char               *conversation_id,
     BatonConversationAction   action,
     GError                  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  baton_client_act_async (client, conversation_id, action, NULL, got_result_cb, &result);
  return baton_client_act_finish (client, await_result (&result), error);
}

static BatonConversation *
assign (BatonClient         *client,
        BatonConversation   *conversation,
        const char * const  *assignee_ids,
        gint64               expected_version,
        GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  baton_client_assign_async (client, conversation->id, FALSE, NULL, assignee_ids,
                             expected_version, NULL, got_result_cb, &result);
  return baton_client_assign_finish (client, await_result (&result), error);
}

static void
test_typed_messages (void)
{
  g_autoptr(BatonClient) client = new_agent_client ("agent", NULL);
  g_autofree char *secret = NULL;
  g_autofree char *channel_id = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *phone = g_strdup_printf ("+1555098%04u", unique ());
  g_autofree char *conversation_id = inbound (channel_id, secret, phone, "Typed Ames",
                                              "Hello there");
  g_autoptr(BatonConversation) conversation = NULL;
  g_autoptr(BatonConversation) escaped = NULL;
  g_autoptr(BatonMessage) reply = NULL;
  g_autoptr(BatonMessage) note = NULL;
  g_autoptr(GPtrArray) newest = NULL;
  g_autoptr(GPtrArray) older = NULL;
  g_autoptr(GAsyncResult) read = NULL;
  g_autoptr(GError) error = NULL;
  gboolean has_more = FALSE;

  conversation = get_conversation (client, conversation_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (conversation->id, ==, conversation_id);
  g_assert_cmpstr (conversation->contact_name, ==, "Typed Ames");

  /* The id goes into the path escaped: "../agents" is an id, not a way to another route. */
  escaped = get_conversation (client, "../agents", &error);
  g_assert_null (escaped);
  g_assert_true (g_error_matches (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_NOT_FOUND)
                 || g_error_matches (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_BAD_REQUEST));
  g_clear_error (&error);

  reply = send_message (client, conversation_id, "A reply", FALSE);
  g_assert_cmpint (reply->kind, ==, BATON_MESSAGE_OUTBOUND);
  g_assert_cmpstr (reply->body, ==, "A reply");
  note = send_message (client, conversation_id, "Only for us", TRUE);
  g_assert_cmpint (note->kind, ==, BATON_MESSAGE_NOTE);

  /* Newest first, a page at a time. */
  newest = list_messages (client, conversation_id, NULL, 2, &has_more);
  g_assert_cmpuint (newest->len, ==, 2);
  g_assert_true (has_more);
  g_assert_cmpstr (((BatonMessage *) newest->pdata[0])->id, ==, note->id);
  /* The rest, from before the page's last: the reply (its activity line may come between),
   * and the customer's message last. */
  older = list_messages (client, conversation_id, ((BatonMessage *) newest->pdata[1])->id, 50,
                         &has_more);
  g_assert_false (has_more);
  g_assert_cmpuint (older->len, >=, 1);
  g_assert_true (g_str_equal (((BatonMessage *) newest->pdata[1])->id, reply->id)
                 || g_str_equal (((BatonMessage *) older->pdata[0])->id, reply->id));
  g_assert_cmpint (((BatonMessage *) older->pdata[older->len - 1])->kind, ==,
                   BATON_MESSAGE_INBOUND);

  baton_client_mark_read_async (client, conversation_id, NULL, got_result_cb, &read);
  g_assert_true (baton_client_mark_read_finish (client, await_result (&read), &error));
  g_assert_no_error (error);
}

static guint
count_bodies (GPtrArray  *messages,
              const char *body)
{
  guint n = 0;

  for (guint i = 0; i < messages->len; i++)
    n += g_strcmp0 (((BatonMessage *) messages->pdata[i])->body, body) == 0;
  return n;
}

/* The server stops answering (SIGSTOP) with a reply on its way: the call fails within
 * seconds with an error that says so, the stream counts as lost within the ping's bound,
 * and once the server is back the reply sent again with its client_id is written once,
 * though the server also took the first request. */
static void
test_server_stopped (void)
{
  g_autoptr(BatonClient) client = new_agent_client ("agent", NULL);
  g_autoptr(Recorder) recorder = recorder_new (client);
  g_autofree char *secret = NULL;
  g_autofree char *channel_id = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *phone = g_strdup_printf ("+1555097%04u", unique ());
  g_autofree char *conversation_id = inbound (channel_id, secret, phone, "Stopped Sam",
                                              "Anyone there?");
  g_autoptr(GAsyncResult) lost = NULL;
  g_autoptr(GAsyncResult) retried = NULL;
  g_autoptr(BatonMessage) message = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  guint states_before = 0;

  start_online (client);
  states_before = recorder->states->len;
  baton_test_server_pause (server);
  baton_client_send_message_async (client, conversation_id, "Sent once", FALSE, "retry-me-1",
                                   NULL, got_result_cb, &lost);
  /* HTTP_TIMEOUT_S is 15 s; the stream pings every 10 s and gives a pong 10 s. The bounds
   * are generous for a loaded machine, and far below what TCP alone takes. */
  WAIT_FOR (lost != NULL, 25000);
  message = baton_client_send_message_finish (client, lost, &error);
  g_assert_null (message);
  g_assert_error (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, "did not answer within 15 seconds"));
  g_clear_error (&error);
  WAIT_FOR (count_states (recorder, states_before, BATON_CLIENT_STATE_OFFLINE) > 0, 30000);

  baton_test_server_resume (server);
  baton_client_send_message_async (client, conversation_id, "Sent once", FALSE, "retry-me-1",
                                   NULL, got_result_cb, &retried);
  message = baton_client_send_message_finish (client, await_result (&retried), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (message->client_id, ==, "retry-me-1");
  messages = list_messages (client, conversation_id, NULL, 50, NULL);
  g_assert_cmpuint (count_bodies (messages, "Sent once"), ==, 1);
  WAIT_FOR (baton_client_get_state (client) == BATON_CLIENT_STATE_ONLINE, 30000);
  baton_client_stop_stream (client);
}

static void
test_typed_assignment (void)
{
  g_autofree char *agent_id = NULL;
  g_autoptr(BatonClient) client = new_agent_client ("agent", &agent_id);
  g_autofree char *secret = NULL;
  g_autofree char *channel_id = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *phone = g_strdup_printf ("+1555098%04u", unique ());
  g_autofree char *conversation_id = inbound (channel_id, secret, phone, "Typed Bell",
                                              "Who takes this?");
  g_autoptr(BatonConversation) claimed = NULL;
  g_autoptr(BatonConversation) stale = NULL;
  g_autoptr(BatonConversation) unassigned = NULL;
  g_autoptr(BatonConversation) resolved = NULL;
  g_autoptr(BatonConversation) reopened = NULL;
  g_autoptr(GError) error = NULL;
  const char *nobody[] = { NULL };

  claimed = act (client, conversation_id, BATON_CONVERSATION_ACTION_CLAIM, &error);
  g_assert_no_error (error);
  g_assert_true (baton_conversation_has_assignee (claimed, agent_id));

  /* expected_version: a stale one is 409. */
  stale = assign (client, claimed, nobody, claimed->version - 1, &error);
  g_assert_null (stale);
  g_assert_error (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_CONFLICT);
  g_clear_error (&error);
  unassigned = assign (client, claimed, nobody, claimed->version, &error);
  g_assert_no_error (error);
  g_assert_false (baton_conversation_has_assignee (unassigned, agent_id));
  g_assert_cmpint (unassigned->version, >, claimed->version);

  resolved = act (client, conversation_id, BATON_CONVERSATION_ACTION_RESOLVE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (resolved->status, ==, BATON_STATUS_RESOLVED);
  reopened = act (client, conversation_id, BATON_CONVERSATION_ACTION_REOPEN, &error);
  g_assert_no_error (error);
  g_assert_cmpint (reopened->status, ==, BATON_STATUS_IN_PROGRESS);
}

static BatonContact *
set_tags (BatonClient         *client,
          const char          *contact_id,
          const char * const  *tags,
          GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  baton_client_set_contact_tags_async (client, contact_id, tags, NULL, got_result_cb, &result);
  return baton_client_set_contact_tags_finish (client, await_result (&result), error);
}

static void
test_typed_contact (void)
{
  g_autofree char *agent_id = NULL;
  g_autoptr(BatonClient) client = new_agent_client ("agent", &agent_id);
  g_autofree char *secret = NULL;
  g_autofree char *channel_id = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *phone = g_strdup_printf ("+1555098%04u", unique ());
  g_autofree char *conversation_id = inbound (channel_id, secret, phone, "Typed Cruz",
                                              "Tag me");
  g_autoptr(BatonConversation) conversation = NULL;
  g_autoptr(GAsyncResult) got = NULL;
  g_autoptr(GAsyncResult) owned = NULL;
  g_autoptr(BatonContact) contact = NULL;
  g_autoptr(BatonContact) tagged = NULL;
  g_autoptr(BatonContact) refused = NULL;
  g_autoptr(BatonContact) with_owner = NULL;
  g_autoptr(GError) error = NULL;
  const char *tags[] = { "vip", NULL };
  const char *bad_tags[] = { "no spaces allowed", NULL };
  const char *owners[] = { agent_id, NULL };

  conversation = get_conversation (client, conversation_id, &error);
  g_assert_no_error (error);
  baton_client_get_contact_async (client, conversation->contact_id, NULL, got_result_cb, &got);
  contact = baton_client_get_contact_finish (client, await_result (&got), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contact->name, ==, "Typed Cruz");

  tagged = set_tags (client, contact->id, tags, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (tagged->tags, tags);
  /* A 422 names the tag at fault. */
  refused = set_tags (client, contact->id, bad_tags, &error);
  g_assert_null (refused);
  g_assert_error (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_UNPROCESSABLE);
  g_assert_cmpstr (baton_client_error_get_field (error), ==, "tags[0]");
  g_clear_error (&error);

  baton_client_set_contact_owners_async (client, contact->id, owners, NULL, got_result_cb,
                                         &owned);
  with_owner = baton_client_set_contact_owners_finish (client, await_result (&owned), &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (with_owner->owner_ids, owners);

  /* the name and fields: set, changed, removed, the others kept */
  {
    g_autoptr(GHashTable) fields = g_hash_table_new (g_str_hash, g_str_equal);
    g_autoptr(GAsyncResult) first = NULL;
    g_autoptr(GAsyncResult) second = NULL;
    g_autoptr(BatonContact) named = NULL;
    g_autoptr(BatonContact) removed = NULL;

    g_hash_table_insert (fields, "city", "Lyon");
    g_hash_table_insert (fields, "plan", "Pro");
    baton_client_update_contact_async (client, contact->id, "Typed Cruz-Díaz", fields, NULL,
                                       got_result_cb, &first);
    named = baton_client_update_contact_finish (client, await_result (&first), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (named->name, ==, "Typed Cruz-Díaz");
    g_assert_cmpstr (g_hash_table_lookup (named->fields, "city"), ==, "Lyon");
    g_hash_table_remove_all (fields);
    g_hash_table_insert (fields, "city", NULL);
    baton_client_update_contact_async (client, contact->id, NULL, fields, NULL, got_result_cb,
                                       &second);
    removed = baton_client_update_contact_finish (client, await_result (&second), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (removed->name, ==, "Typed Cruz-Díaz");
    g_assert_false (g_hash_table_contains (removed->fields, "city"));
    g_assert_cmpstr (g_hash_table_lookup (removed->fields, "plan"), ==, "Pro");
  }
}

static BatonWorkspaceConfig *
update_settings (BatonClient                 *client,
                 BatonWorkspaceConfig        *settings,
                 BatonWorkspaceConfigFields   fields,
                 GError                     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  baton_client_update_settings_async (client, settings, fields, NULL, got_result_cb, &result);
  return baton_client_update_settings_finish (client, await_result (&result), error);
}

static void
test_typed_settings (void)
{
  g_autoptr(BatonClient) manager = new_manager_client ();
  g_autoptr(GAsyncResult) got = NULL;
  g_autoptr(BatonWorkspaceConfig) settings = NULL;
  g_autoptr(BatonWorkspaceConfig) changed = NULL;
  g_autoptr(BatonWorkspaceConfig) restored = NULL;
  g_autoptr(BatonWorkspaceConfig) refused = NULL;
  g_autoptr(BatonWorkspaceConfig) bad = baton_workspace_config_new ();
  g_autoptr(GError) error = NULL;
  gboolean was = FALSE;

  baton_client_get_settings_async (manager, NULL, got_result_cb, &got);
  settings = baton_client_get_settings_finish (manager, await_result (&got), &error);
  g_assert_no_error (error);
  g_assert_nonnull (settings->timezone);
  was = settings->unassign_on_resolve;

  /* Only the field named is sent: the timezone stays. */
  settings->unassign_on_resolve = !was;
  changed = update_settings (manager, settings, BATON_WORKSPACE_CONFIG_UNASSIGN_ON_RESOLVE,
                             &error);
  g_assert_no_error (error);
  g_assert_cmpint (changed->unassign_on_resolve, ==, !was);
  g_assert_cmpstr (changed->timezone, ==, settings->timezone);

  bad->timezone = g_strdup ("Nowhere/Atlantis");
  refused = update_settings (manager, bad, BATON_WORKSPACE_CONFIG_TIMEZONE, &error);
  g_assert_null (refused);
  g_assert_error (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_UNPROCESSABLE);
  g_assert_cmpstr (baton_client_error_get_field (error), ==, "timezone");
  g_clear_error (&error);

  settings->unassign_on_resolve = was;
  restored = update_settings (manager, settings, BATON_WORKSPACE_CONFIG_UNASSIGN_ON_RESOLVE,
                              &error);
  g_assert_no_error (error);
  g_assert_cmpint (restored->unassign_on_resolve, ==, was);
}

static BatonChannel *
find_channel (BatonClient *client,
              const char  *channel_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) channels = NULL;
  g_autoptr(GError) error = NULL;

  baton_client_list_channels_async (client, NULL, got_result_cb, &result);
  channels = baton_client_list_channels_finish (client, await_result (&result), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < channels->len; i++)
    if (g_str_equal (((BatonChannel *) channels->pdata[i])->id, channel_id))
      return baton_channel_ref (channels->pdata[i]);
  return NULL;
}

static void
test_typed_channels (void)
{
  g_autoptr(BatonClient) manager = new_manager_client ();
  g_autoptr(BatonChannel) draft = baton_channel_new ();
  g_autoptr(GAsyncResult) created_result = NULL;
  g_autoptr(GAsyncResult) updated_result = NULL;
  g_autoptr(GAsyncResult) templates_result = NULL;
  g_autoptr(GAsyncResult) deleted_result = NULL;
  g_autoptr(BatonChannel) created = NULL;
  g_autoptr(BatonChannel) updated = NULL;
  g_autoptr(BatonChannel) listed = NULL;
  g_autoptr(BatonChannel) gone = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GError) error = NULL;

  draft->kind = BATON_CHANNEL_API;
  draft->name = g_strdup ("Typed channel");
  baton_client_create_channel_async (manager, draft, NULL, got_result_cb, &created_result);
  created = baton_client_create_channel_finish (manager, await_result (&created_result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (created->kind, ==, BATON_CHANNEL_API);
  /* The secret shows once, in the creation's answer; the list has the URL only. */
  g_assert_nonnull (created->inbound_secret);
  listed = find_channel (manager, created->id);
  g_assert_nonnull (listed);
  g_assert_null (listed->inbound_secret);
  g_assert_nonnull (listed->inbound_url);

  g_free (created->name);
  created->name = g_strdup ("Typed channel, renamed");
  created->default_user_id = g_strdup (server->manager_id);
  baton_client_update_channel_async (manager, created, NULL, got_result_cb, &updated_result);
  updated = baton_client_update_channel_finish (manager, await_result (&updated_result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (updated->name, ==, "Typed channel, renamed");
  g_assert_cmpstr (updated->default_user_id, ==, server->manager_id);

  /* An api channel has no templates: an empty list, not an error. */
  baton_client_list_templates_async (manager, created->id, NULL, got_result_cb,
                                     &templates_result);
  templates = baton_client_list_templates_finish (manager, await_result (&templates_result),
                                                  &error);
  g_assert_no_error (error);
  g_assert_cmpuint (templates->len, ==, 0);

  baton_client_delete_channel_async (manager, created->id, NULL, got_result_cb,
                                     &deleted_result);
  g_assert_true (baton_client_delete_channel_finish (manager, await_result (&deleted_result),
                                                     &error));
  g_assert_no_error (error);
  gone = find_channel (manager, created->id);
  g_assert_null (gone);
}

static void
test_typed_attachment (void)
{
  g_autoptr(BatonClient) manager = new_manager_client ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  char *content_type = NULL;

  baton_client_fetch_attachment_async (manager, "att_00000000000000000000000000", NULL,
                                       got_result_cb, &result);
  bytes = baton_client_fetch_attachment_finish (manager, await_result (&result), &content_type,
                                                &error);
  g_assert_null (bytes);
  g_assert_null (content_type);
  g_assert_error (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_NOT_FOUND);
}

/* A made-up file of size bytes. */
static GBytes *
made_up_file (gsize  size,
              guint8 seed)
{
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) (i * 13 + seed);
  return g_bytes_new_take (data, size);
}

typedef struct {
  guint calls;
  guint64 written;
  guint64 total;
} Progress;

static void
progress_cb (guint64  written,
             guint64  total,
             gpointer user_data)
{
  Progress *progress = user_data;

  g_assert_cmpuint (written, >=, progress->written);
  progress->calls++;
  progress->written = written;
  progress->total = total;
}

/* An upload reports its progress and answers the Attachment; a reply carries it; a type
 * WhatsApp cannot send is refused with the server's code. */
static void
test_typed_upload (void)
{
  g_autoptr(BatonClient) client = new_agent_client ("agent", NULL);
  g_autofree char *secret = NULL;
  g_autofree char *channel_id = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *phone = g_strdup_printf ("+1555095%04u", unique ());
  g_autofree char *conversation_id = inbound (channel_id, secret, phone, "Upload Ulla", "Hi");
  g_autoptr(GBytes) bytes = made_up_file (300 * 1024, 1);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) sent = NULL;
  g_autoptr(GAsyncResult) refused = NULL;
  g_autoptr(BatonAttachment) attachment = NULL;
  g_autoptr(BatonAttachment) nothing = NULL;
  g_autoptr(BatonMessage) message = NULL;
  g_autoptr(GPtrArray) attachments = NULL;
  g_autoptr(GError) error = NULL;
  Progress progress = { 0 };
  const char *ids[2] = { NULL, NULL };

  baton_client_upload_attachment_async (client, "Delivery note.pdf", "application/pdf", bytes,
                                        progress_cb, &progress, NULL, got_result_cb, &result);
  attachment = baton_client_upload_attachment_finish (client, await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (attachment->kind, ==, "document");
  g_assert_cmpstr (attachment->filename, ==, "Delivery note.pdf");
  g_assert_cmpint (attachment->size, ==, 300 * 1024);
  g_assert_cmpuint (progress.calls, >=, 1);
  g_assert_cmpuint (progress.written, ==, 300 * 1024);
  g_assert_cmpuint (progress.total, ==, 300 * 1024);

  ids[0] = attachment->id;
  baton_client_send_reply_async (client, conversation_id, NULL, FALSE, ids, NULL, NULL,
                                 got_result_cb, &sent);
  message = baton_client_send_reply_finish (client, await_result (&sent), &error);
  g_assert_no_error (error);
  attachments = baton_message_dup_attachments (message);
  g_assert_cmpuint (attachments->len, ==, 1);
  g_assert_cmpstr (((BatonAttachment *) attachments->pdata[0])->id, ==, attachment->id);

  baton_client_upload_attachment_async (client, "setup.exe", "application/x-msdownload", bytes,
                                        NULL, NULL, NULL, got_result_cb, &refused);
  nothing = baton_client_upload_attachment_finish (client, await_result (&refused), &error);
  g_assert_null (nothing);
  g_assert_error (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_BAD_REQUEST);
  g_assert_cmpstr (baton_client_error_get_name (error), ==, "unsupported_media_type");
}

/* Directory */

static BatonDirectoryEntry *
find_entry (GListModel *model,
            const char *id)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(BatonDirectoryEntry) entry = g_list_model_get_item (model, i);

      /* The model keeps its own reference. */
      if (g_str_equal (baton_directory_entry_get_id (entry), id))
        return entry;
    }
  return NULL;
}

static void
test_directory_live (void)
{
  g_autoptr(BatonClient) client = new_agent_client ("agent", NULL);
  BatonDirectory *directory = baton_client_get_directory (client);
  GListModel *agents = baton_directory_get_agents (directory);
  GListModel *teams = baton_directory_get_teams (directory);
  GListModel *channels = baton_directory_get_channels (directory);
  g_autofree char *agent_id = NULL;
  g_autofree char *agent_path = NULL;
  g_autofree char *team_id = NULL;
  g_autofree char *team_path = NULL;
  g_autofree char *channel_id = NULL;
  g_autofree char *channel_path = NULL;
  g_autoptr(JsonNode) renamed = NULL;
  g_autoptr(JsonNode) deleted = NULL;
  g_autoptr(JsonNode) team_deleted = NULL;
  g_autoptr(JsonNode) channel_deleted = NULL;
  BatonDirectoryEntry *entry = NULL;
  guint renames = 0;
  guint n = unique ();
  g_autofree char *email = g_strdup_printf ("directory-%u@example.com", n);

  /* One directory per client, loaded once signed in. */
  g_assert_true (baton_client_get_directory (client) == directory);
  start_online (client);
  WAIT_FOR (baton_directory_get_loaded (directory), 10000);
  g_assert_nonnull (find_entry (agents, server->manager_id));
  g_assert_nonnull (baton_directory_lookup_agent (directory, server->manager_id));

  /* An agent created, renamed and removed by REST: the model follows the events, and the
   * entry keeps its identity across the rename. */
  agent_id = baton_test_create_agent (server, "Directory Dana", email, "agent", NULL);
  WAIT_FOR (find_entry (agents, agent_id) != NULL, 10000);
  entry = find_entry (agents, agent_id);
  g_assert_cmpstr (baton_directory_entry_get_name (entry), ==, "Directory Dana");
  g_signal_connect (entry, "notify::name", G_CALLBACK (notify_count_cb), &renames);
  agent_path = g_strdup_printf ("/api/v1/agents/%s", agent_id);
  renamed = baton_test_expect (server, "PATCH", agent_path, server->manager_token,
                               "{\"name\":\"Directory Dora\"}", 200, NULL);
  WAIT_FOR (renames == 1, 10000);
  g_assert_true (find_entry (agents, agent_id) == entry);
  g_assert_cmpstr (baton_directory_lookup_agent (directory, agent_id)->name, ==,
                   "Directory Dora");
  deleted = baton_test_expect (server, "DELETE", agent_path, server->manager_token, NULL, 204,
                               NULL);
  WAIT_FOR (find_entry (agents, agent_id) == NULL, 10000);
  g_assert_null (baton_directory_lookup_agent (directory, agent_id));

  /* Teams and channels likewise. */
  team_id = baton_test_barrier (server);
  WAIT_FOR (find_entry (teams, team_id) != NULL, 10000);
  team_path = g_strdup_printf ("/api/v1/teams/%s", team_id);
  team_deleted = baton_test_expect (server, "DELETE", team_path, server->manager_token, NULL,
                                    204, NULL);
  WAIT_FOR (find_entry (teams, team_id) == NULL, 10000);
  channel_id = baton_test_create_channel (server, NULL, NULL);
  WAIT_FOR (baton_directory_lookup_channel (directory, channel_id) != NULL, 10000);
  g_assert_cmpint (baton_directory_lookup_channel (directory, channel_id)->kind, ==,
                   BATON_CHANNEL_API);
  channel_path = g_strdup_printf ("/api/v1/channels/%s", channel_id);
  channel_deleted = baton_test_expect (server, "DELETE", channel_path, server->manager_token,
                                       NULL, 204, NULL);
  WAIT_FOR (find_entry (channels, channel_id) == NULL, 10000);
  baton_client_stop_stream (client);
}

static void
count_cb (GObject *object,
          guint   *count)
{
  (*count)++;
}

/* Signed out, the directory is empty; a resync reads it again. */
static void
test_directory_resync (void)
{
  g_autoptr(BatonClient) client = new_agent_client ("agent", NULL);
  BatonDirectory *directory = baton_client_get_directory (client);
  GListModel *agents = baton_directory_get_agents (directory);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint changes = 0;

  WAIT_FOR (baton_directory_get_loaded (directory), 10000);
  g_assert_cmpuint (g_list_model_get_n_items (agents), >, 0);
  g_signal_connect (directory, "changed", G_CALLBACK (count_cb), &changes);
  g_signal_emit_by_name (client, "resync");
  /* agents, teams, channels and canned replies */
  WAIT_FOR (changes == 4, 10000);

  baton_client_logout_async (client, NULL, got_result_cb, &result);
  g_assert_true (baton_client_logout_finish (client, await_result (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (agents), ==, 0);
  g_assert_false (baton_directory_get_loaded (directory));
}

/* Canned replies */

/* Creates (no id) or updates the reply with the typed calls. */
static BatonCannedReply *
save_canned_reply (BatonClient       *client,
                   BatonCannedReply  *reply,
                   GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  if (reply->id == NULL)
    {
      baton_client_create_reply_async (client, reply, NULL, got_result_cb, &result);
      return baton_client_create_reply_finish (client, await_result (&result), error);
    }
  baton_client_update_reply_async (client, reply, NULL, got_result_cb, &result);
  return baton_client_update_reply_finish (client, await_result (&result), error);
}

static gboolean
delete_canned_reply (BatonClient  *client,
                     const char   *id,
                     GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  baton_client_delete_reply_async (client, id, NULL, got_result_cb, &result);
  return baton_client_delete_reply_finish (client, await_result (&result), error);
}

static BatonCannedReply *
canned_reply_draft (const char *shortcut,
                    const char *owner_id)
{
  BatonCannedReply *reply = baton_canned_reply_new ();

  reply->shortcut = g_strdup (shortcut);
  reply->title = g_strdup_printf ("Title of %s", shortcut);
  reply->body = g_strdup ("Hello {{contact.name}}, this is {{agent.name}}.");
  reply->owner_id = g_strdup (owner_id);
  return reply;
}

static void
test_typed_replies (void)
{
  g_autofree char *agent_id = NULL;
  g_autoptr(BatonClient) agent = new_agent_client ("agent", &agent_id);
  g_autoptr(BatonClient) manager = new_manager_client ();
  g_autoptr(BatonCannedReply) shared_draft = canned_reply_draft ("typed-shared", NULL);
  g_autoptr(BatonCannedReply) own_draft = canned_reply_draft ("Typed-Own", agent_id);
  g_autoptr(BatonCannedReply) shared = NULL;
  g_autoptr(BatonCannedReply) own = NULL;
  g_autoptr(BatonCannedReply) edited = NULL;
  g_autoptr(BatonCannedReply) refused = NULL;
  g_autoptr(GAsyncResult) listed = NULL;
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GError) error = NULL;
  gboolean saw_shared = FALSE;

  shared = save_canned_reply (manager, shared_draft, &error);
  g_assert_no_error (error);
  g_assert_null (shared->owner_id);
  own = save_canned_reply (agent, own_draft, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (own->owner_id, ==, agent_id);
  g_assert_cmpstr (own->shortcut, ==, "typed-own");
  g_assert_cmpstr (own->body, ==, own_draft->body);

  /* the update sends shortcut, title and body; the owner stays */
  g_free (own->title);
  own->title = g_strdup ("Renamed");
  edited = save_canned_reply (agent, own, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (edited->title, ==, "Renamed");
  g_assert_cmpstr (edited->owner_id, ==, agent_id);

  baton_client_list_replies_async (agent, NULL, got_result_cb, &listed);
  replies = baton_client_list_replies_finish (agent, await_result (&listed), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < replies->len; i++)
    {
      BatonCannedReply *reply = replies->pdata[i];

      saw_shared |= g_str_equal (reply->id, shared->id);
      g_assert_true (reply->owner_id == NULL || g_str_equal (reply->owner_id, agent_id));
    }
  g_assert_true (saw_shared);

  /* errors keep their code and field: an agent writes no workspace reply; shortcuts clash */
  refused = save_canned_reply (agent, shared, &error);
  g_assert_null (refused);
  g_assert_error (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_free (own_draft->shortcut);
  own_draft->shortcut = g_strdup ("typed-shared");
  refused = save_canned_reply (agent, own_draft, &error);
  g_assert_null (refused);
  g_assert_error (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_CONFLICT);
  g_assert_cmpstr (baton_client_error_get_field (error), ==, "shortcut");
  g_clear_error (&error);

  g_assert_true (delete_canned_reply (agent, own->id, &error));
  g_assert_no_error (error);
  g_assert_false (delete_canned_reply (manager, own->id, &error));
  g_assert_error (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (delete_canned_reply (manager, shared->id, &error));
  g_assert_no_error (error);
}

/* The directory's replies follow reply.* events: the workspace's and the agent's own,
 * never another agent's. */
static void
test_directory_replies (void)
{
  g_autoptr(BatonClient) manager = new_manager_client ();
  g_autoptr(BatonCannedReply) early_draft = canned_reply_draft ("dir-early", NULL);
  g_autoptr(GError) error = NULL;
  /* one written before the agent signs in comes with the directory's first load */
  g_autoptr(BatonCannedReply) early = save_canned_reply (manager, early_draft, &error);
  g_autofree char *agent_id = NULL;
  g_autofree char *other_id = NULL;
  g_autoptr(BatonClient) client = new_agent_client ("agent", &agent_id);
  g_autoptr(BatonClient) other = new_agent_client ("agent", &other_id);
  BatonDirectory *directory = baton_client_get_directory (client);
  GListModel *replies = baton_directory_get_replies (directory);
  g_autoptr(BatonCannedReply) shared_draft = canned_reply_draft ("dir-shared", NULL);
  g_autoptr(BatonCannedReply) own_draft = canned_reply_draft ("dir-own", agent_id);
  g_autoptr(BatonCannedReply) theirs_draft = canned_reply_draft ("dir-theirs", other_id);
  g_autoptr(BatonCannedReply) shared = NULL;
  g_autoptr(BatonCannedReply) own = NULL;
  g_autoptr(BatonCannedReply) theirs = NULL;
  g_autoptr(BatonCannedReply) edited = NULL;
  g_autofree char *barrier = NULL;
  BatonDirectoryEntry *entry = NULL;

  g_assert_no_error (error);
  start_online (client);
  WAIT_FOR (baton_directory_get_loaded (directory), 10000);
  g_assert_nonnull (find_entry (replies, early->id));

  shared = save_canned_reply (manager, shared_draft, &error);
  g_assert_no_error (error);
  own = save_canned_reply (client, own_draft, &error);
  g_assert_no_error (error);
  theirs = save_canned_reply (other, theirs_draft, &error);
  g_assert_no_error (error);
  WAIT_FOR (find_entry (replies, shared->id) != NULL && find_entry (replies, own->id) != NULL,
            10000);
  entry = find_entry (replies, own->id);
  g_assert_cmpstr (baton_directory_entry_get_name (entry), ==, "dir-own");
  g_assert_nonnull (baton_directory_entry_get_reply (entry));
  g_assert_null (baton_directory_entry_get_agent (entry));

  /* an edit replaces what the entry holds */
  g_free (own->body);
  own->body = g_strdup ("Edited body");
  edited = save_canned_reply (client, own, &error);
  g_assert_no_error (error);
  WAIT_FOR (g_strcmp0 (baton_directory_lookup_reply (directory, own->id)->body,
                       "Edited body") == 0, 10000);
  g_assert_true (find_entry (replies, own->id) == entry);

  g_assert_true (delete_canned_reply (manager, shared->id, &error));
  g_assert_no_error (error);
  WAIT_FOR (find_entry (replies, shared->id) == NULL, 10000);
  /* everything before the barrier has come: another agent's reply never does */
  barrier = baton_test_barrier (server);
  WAIT_FOR (baton_directory_lookup_team (directory, barrier) != NULL, 10000);
  g_assert_null (find_entry (replies, theirs->id));
  g_assert_null (baton_directory_lookup_reply (directory, theirs->id));
  baton_client_stop_stream (client);
}

/* Message list */

static BatonMessage *
message_at (GListModel *model,
            guint       position)
{
  g_autoptr(BatonMessageItem) item = g_list_model_get_item (model, position);

  /* The list keeps its own reference. */
  return item ? baton_message_item_get_message (item) : NULL;
}

static void
post_reply (const char *conversation_id,
            const char *body)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/messages", conversation_id);
  g_autofree char *json = baton_test_strdup_printf_json ("{\"body\":%s}", body);
  g_autoptr(JsonNode) reply = baton_test_expect (server, "POST", path, server->manager_token,
                                                 json, 201, NULL);
}

static gboolean
lists_body (GListModel *model,
            const char *body)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_strcmp0 (message_at (model, i)->body, body) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
is_oldest_first (GListModel *model)
{
  for (guint i = 1; i < g_list_model_get_n_items (model); i++)
    if (message_at (model, i - 1)->created_at > message_at (model, i)->created_at)
      return FALSE;
  return TRUE;
}

static void
test_message_list_paging (void)
{
  g_autoptr(BatonClient) client = new_agent_client ("agent", NULL);
  g_autofree char *secret = NULL;
  g_autofree char *channel_id = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *phone = g_strdup_printf ("+1555097%04u", unique ());
  g_autofree char *conversation_id = inbound (channel_id, secret, phone, "Paging Pat", "Hello");
  g_autoptr(BatonMessageList) list = baton_message_list_new (client, conversation_id);
  GListModel *model = G_LIST_MODEL (list);
  guint total = 0;

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *body = g_strdup_printf ("Reply %u", i);

      post_reply (conversation_id, body);
    }
  baton_message_list_set_page_size (list, 2);
  baton_message_list_reload (list);
  g_assert_true (baton_message_list_get_loading (list));
  WAIT_FOR (!baton_message_list_get_loading (list), 10000);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  g_assert_true (baton_message_list_get_has_older (list));
  g_assert_cmpstr (message_at (model, 1)->body, ==, "Reply 3");

  /* Older pages go before, until the first message. */
  while (baton_message_list_get_has_older (list))
    {
      guint before = g_list_model_get_n_items (model);

      baton_message_list_load_older (list);
      WAIT_FOR (!baton_message_list_get_loading (list), 10000);
      g_assert_cmpuint (g_list_model_get_n_items (model), >, before);
      g_assert_cmpuint (++total, <, 10);
    }
  g_assert_cmpint (message_at (model, 0)->kind, ==, BATON_MESSAGE_INBOUND);
  g_assert_cmpstr (message_at (model, 0)->body, ==, "Hello");
  g_assert_true (is_oldest_first (model));
  g_assert_nonnull (baton_message_list_lookup (list, message_at (model, 0)->id));
}

static guint
count_listed (GListModel *model,
              const char *body)
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    n += g_strcmp0 (message_at (model, i)->body, body) == 0;
  return n;
}

static BatonMessage *
send_through (BatonMessageList  *list,
              const char        *body,
              BatonMessageItem **item,
              GError           **error)
{
  GListModel *model = G_LIST_MODEL (list);
  g_autoptr(GAsyncResult) result = NULL;

  baton_message_list_send_async (list, body, FALSE, NULL, got_result_cb, &result);
  /* listed at once, as being sent */
  *item = g_list_model_get_item (model, g_list_model_get_n_items (model) - 1);
  g_assert_cmpstr (baton_message_item_get_message (*item)->body, ==, body);
  g_assert_cmpstr (baton_message_item_get_message (*item)->status, ==,
                   BATON_MESSAGE_STATUS_SENDING);
  g_assert_true (g_str_has_prefix (baton_message_item_get_id (*item),
                                   BATON_MESSAGE_LOCAL_PREFIX));
  g_assert_nonnull (baton_message_item_get_message (*item)->client_id);
  /* the call's timeout (15 s) and some room */
  WAIT_FOR (result != NULL, 25000);
  return baton_message_list_send_finish (list, result, error);
}

/* What is sent through the list shows at once and becomes the server's message in the same
 * item, once, whichever of the answer and the stream comes first; what could not reach the
 * server stays unsent until retried with its client_id; what the server refused goes. */
static void
test_message_list_send (void)
{
  g_autoptr(BatonClient) client = new_agent_client ("agent", NULL);
  g_autofree char *secret = NULL;
  g_autofree char *channel_id = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *phone = g_strdup_printf ("+1555096%04u", unique ());
  g_autofree char *conversation_id = inbound (channel_id, secret, phone, "Sent Sue", "Hi");
  g_autoptr(BatonMessageList) list = baton_message_list_new (client, conversation_id);
  GListModel *model = G_LIST_MODEL (list);
  g_autoptr(BatonMessageItem) item = NULL;
  g_autoptr(BatonMessageItem) unsent = NULL;
  g_autoptr(BatonMessageItem) refused = NULL;
  g_autoptr(BatonMessage) message = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *too_long = g_strnfill (4097, 'x');
  guint n = 0;

  start_online (client);
  baton_message_list_reload (list);
  WAIT_FOR (!baton_message_list_get_loading (list), 10000);

  message = send_through (list, "Through the list", &item, &error);
  g_assert_no_error (error);
  g_assert_true (baton_message_item_get_message (item) == message);
  g_assert_cmpstr (message->status, ==, "sent");
  g_assert_nonnull (baton_message_list_lookup (list, message->id));
  /* the stream's copy, which a later reply follows, adds nothing */
  post_reply (conversation_id, "After it");
  WAIT_FOR (lists_body (model, "After it"), 10000);
  g_assert_cmpuint (count_listed (model, "Through the list"), ==, 1);
  g_clear_pointer (&message, baton_message_unref);

  baton_test_server_pause (server);
  message = send_through (list, "Sent again", &unsent, &error);
  g_assert_null (message);
  g_assert_error (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_UNREACHABLE);
  g_clear_error (&error);
  g_assert_cmpstr (baton_message_item_get_message (unsent)->status, ==,
                   BATON_MESSAGE_STATUS_UNSENT);
  client_id = g_strdup (baton_message_item_get_message (unsent)->client_id);
  baton_test_server_resume (server);
  baton_message_list_retry (list, client_id);
  g_assert_cmpstr (baton_message_item_get_message (unsent)->status, ==,
                   BATON_MESSAGE_STATUS_SENDING);
  WAIT_FOR (g_strcmp0 (baton_message_item_get_message (unsent)->status, "sent") == 0, 30000);
  g_assert_cmpstr (baton_message_item_get_message (unsent)->client_id, ==, client_id);
  g_assert_cmpuint (count_listed (model, "Sent again"), ==, 1);
  messages = list_messages (client, conversation_id, NULL, 50, NULL);
  g_assert_cmpuint (count_bodies (messages, "Sent again"), ==, 1);

  n = g_list_model_get_n_items (model);
  message = send_through (list, too_long, &refused, &error);
  g_assert_null (message);
  g_assert_error (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_UNPROCESSABLE);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);
  g_assert_cmpuint (count_listed (model, too_long), ==, 0);
  baton_client_stop_stream (client);
}

/* How many of the server's uploads hold these bytes. */
static guint
count_uploads_of (GBytes *bytes)
{
  g_autofree char *dir_path = g_build_filename (server->data_dir, "media", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name = NULL;
  guint n = 0;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autofree char *data = NULL;
      gsize length = 0;

      if (g_str_has_suffix (name, ".upload") && g_file_get_contents (path, &data, &length, NULL)
          && length == g_bytes_get_size (bytes)
          && memcmp (data, g_bytes_get_data (bytes, NULL), length) == 0)
        n++;
    }
  return n;
}

typedef struct {
  double highest;
  /* stop the server once the second of two files is on its way (the first, small, is in) */
  gboolean pause_midway;
  gboolean paused;
} Watch;

static void
progress_notified_cb (BatonMessageItem *item,
                      GParamSpec       *pspec,
                      Watch            *watch)
{
  double progress = baton_message_item_get_progress (item);

  watch->highest = MAX (watch->highest, progress);
  if (watch->pause_midway && !watch->paused && progress > 0.5)
    {
      watch->paused = TRUE;
      baton_test_server_pause (server);
    }
}

/* Sends files through the list: listed at once with them; the item's progress is watched. */
static BatonMessage *
send_files_through (BatonMessageList  *list,
                    GPtrArray         *files,
                    Watch             *watch,
                    BatonMessageItem **item,
                    GError           **error)
{
  GListModel *model = G_LIST_MODEL (list);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) attachments = NULL;

  baton_message_list_send_files_async (list, "With files", FALSE, files, NULL, got_result_cb,
                                       &result);
  *item = g_list_model_get_item (model, g_list_model_get_n_items (model) - 1);
  attachments = baton_message_dup_attachments (baton_message_item_get_message (*item));
  g_assert_cmpuint (attachments->len, ==, files->len);
  g_assert_cmpstr (((BatonAttachment *) attachments->pdata[0])->filename, ==,
                   ((BatonOutgoingFile *) files->pdata[0])->filename);
  g_signal_connect (*item, "notify::progress", G_CALLBACK (progress_notified_cb), watch);
  WAIT_FOR (result != NULL, 40000);
  g_signal_handlers_disconnect_by_func (*item, progress_notified_cb, watch);
  return baton_message_list_send_finish (list, result, error);
}

/* Files sent through the list are uploaded with progress, then carried by the reply; a send
 * cut off after the first upload is retried without uploading it again. */
static void
test_message_list_send_files (void)
{
  g_autoptr(BatonClient) client = new_agent_client ("agent", NULL);
  g_autofree char *secret = NULL;
  g_autofree char *channel_id = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *phone = g_strdup_printf ("+1555094%04u", unique ());
  g_autofree char *conversation_id = inbound (channel_id, secret, phone, "Files Fay", "Hi");
  g_autoptr(BatonMessageList) list = baton_message_list_new (client, conversation_id);
  g_autoptr(GBytes) photo = made_up_file (200 * 1024, 2);
  g_autoptr(GBytes) sheet = made_up_file (1000, 3);
  g_autoptr(GBytes) photo2 = made_up_file (200 * 1024, 4);
  g_autoptr(GBytes) small = made_up_file (1000, 5);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                               baton_outgoing_file_free);
  g_autoptr(BatonMessageItem) item = NULL;
  g_autoptr(BatonMessageItem) unsent = NULL;
  g_autoptr(BatonMessage) message = NULL;
  g_autoptr(GPtrArray) attachments = NULL;
  g_autoptr(GError) error = NULL;
  Watch watch = { -1, FALSE, FALSE };

  start_online (client);
  baton_message_list_reload (list);
  WAIT_FOR (!baton_message_list_get_loading (list), 10000);

  g_ptr_array_add (files, baton_outgoing_file_new ("parcel.png", "image/png", photo));
  g_ptr_array_add (files, baton_outgoing_file_new ("list.txt", "text/plain", sheet));
  message = send_files_through (list, files, &watch, &item, &error);
  g_assert_no_error (error);
  g_assert_true (baton_message_item_get_message (item) == message);
  g_assert_cmpfloat (watch.highest, >, 0.5);
  g_assert_cmpfloat (baton_message_item_get_progress (item), ==, -1);
  attachments = baton_message_dup_attachments (message);
  g_assert_cmpuint (attachments->len, ==, 2);
  g_assert_cmpstr (((BatonAttachment *) attachments->pdata[0])->kind, ==, "image");
  g_assert_nonnull (((BatonAttachment *) attachments->pdata[1])->url);
  g_clear_pointer (&message, baton_message_unref);

  /* the server stops once the first file is in: the reply is unsent, and its retry only
   * uploads the second */
  g_ptr_array_set_size (files, 0);
  g_ptr_array_add (files, baton_outgoing_file_new ("small.png", "image/png", small));
  g_ptr_array_add (files, baton_outgoing_file_new ("big.png", "image/png", photo2));
  watch = (Watch) { -1, TRUE, FALSE };
  message = send_files_through (list, files, &watch, &unsent, &error);
  g_assert_true (watch.paused);
  g_assert_null (message);
  g_assert_error (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_UNREACHABLE);
  g_assert_cmpstr (baton_message_item_get_message (unsent)->status, ==,
                   BATON_MESSAGE_STATUS_UNSENT);
  baton_test_server_resume (server);
  baton_message_list_retry (list, baton_message_item_get_message (unsent)->client_id);
  WAIT_FOR (g_strcmp0 (baton_message_item_get_message (unsent)->status, "sent") == 0, 30000);
  g_clear_pointer (&attachments, g_ptr_array_unref);
  attachments = baton_message_dup_attachments (baton_message_item_get_message (unsent));
  g_assert_cmpuint (attachments->len, ==, 2);
  g_assert_cmpuint (count_uploads_of (small), ==, 1);
  baton_client_stop_stream (client);
}

static void
test_message_list_live (void)
{
  g_autoptr(BatonClient) client = new_agent_client ("agent", NULL);
  g_autofree char *secret = NULL;
  g_autofree char *channel_id = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *phone = g_strdup_printf ("+1555097%04u", unique ());
  g_autofree char *conversation_id = inbound (channel_id, secret, phone, "Live Lou", "First");
  g_autofree char *other_phone = g_strdup_printf ("+1555097%04u", unique ());
  g_autofree char *other = NULL;
  g_autoptr(BatonMessageList) list = baton_message_list_new (client, conversation_id);
  GListModel *model = G_LIST_MODEL (list);
  g_autoptr(BatonMessageItem) first = NULL;
  g_autoptr(BatonMessage) copy = NULL;
  guint n = 0;
  guint changes = 0;

  start_online (client);
  baton_message_list_reload (list);
  WAIT_FOR (!baton_message_list_get_loading (list), 10000);
  n = g_list_model_get_n_items (model);
  g_assert_cmpuint (n, >=, 1);
  first = g_list_model_get_item (model, 0);

  /* A reply by someone else and the customer's next message arrive by the stream; another
   * conversation's do not. */
  other = inbound (channel_id, secret, other_phone, "Other Olga", "Not here");
  post_reply (conversation_id, "Live reply");
  WAIT_FOR (lists_body (model, "Live reply"), 10000);
  g_free (inbound (channel_id, secret, phone, "Live Lou", "Second"));
  WAIT_FOR (lists_body (model, "Second"), 10000);
  g_assert_false (lists_body (model, "Not here"));
  g_assert_true (is_oldest_first (model));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_assert_cmpstr (message_at (model, i)->conversation_id, ==, conversation_id);

  /* An answer bringing a message already listed replaces it in place: no duplicate, and the
   * item keeps its identity. */
  n = g_list_model_get_n_items (model);
  copy = baton_message_ref (message_at (model, 0));
  g_signal_connect (first, "notify::message", G_CALLBACK (notify_count_cb), &changes);
  baton_message_list_put (list, copy);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);
  g_assert_cmpuint (changes, ==, 0);
  {
    g_autoptr(BatonMessageItem) still = g_list_model_get_item (model, 0);

    g_assert_true (still == first);
  }

  /* A copy with an earlier delivery status (an answer read before the stream brought the
   * next status) changes nothing; a later one replaces it. */
  {
    g_autoptr(BatonMessage) delivered = baton_message_new ();
    g_autoptr(BatonMessage) stale = baton_message_new ();
    g_autoptr(BatonMessage) read = baton_message_new ();

    delivered->id = g_strdup ("msg_status_order");
    delivered->conversation_id = g_strdup (conversation_id);
    delivered->status = g_strdup ("delivered");
    delivered->created_at = G_MAXINT64;
    stale->id = g_strdup (delivered->id);
    stale->conversation_id = g_strdup (conversation_id);
    stale->status = g_strdup ("pending");
    read->id = g_strdup (delivered->id);
    read->conversation_id = g_strdup (conversation_id);
    read->status = g_strdup ("read");
    stale->created_at = read->created_at = delivered->created_at;
    baton_message_list_put (list, delivered);
    baton_message_list_put (list, stale);
    g_assert_cmpstr (baton_message_list_lookup (list, delivered->id)->status, ==, "delivered");
    baton_message_list_put (list, read);
    g_assert_cmpstr (baton_message_list_lookup (list, delivered->id)->status, ==, "read");
    n = g_list_model_get_n_items (model);
  }

  /* A resync reads the newest page again, keeping what it had. */
  g_signal_emit_by_name (client, "resync");
  g_assert_true (baton_message_list_get_loading (list));
  WAIT_FOR (!baton_message_list_get_loading (list), 10000);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);
  {
    g_autoptr(BatonMessageItem) again = g_list_model_get_item (model, 0);

    g_assert_true (again == first);
  }
  baton_client_stop_stream (client);
}

static void
remove_secret_dir (void)
{
  g_autoptr(GDir) dir = g_dir_open (secret_dir, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (secret_dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (secret_dir);
}

/* A search finds accented names without the accent and brings newcomers that match it the
 * same way; "contact-id" lists one contact's conversations (every channel, any status) and
 * follows them live. */
static void
test_inbox_search_and_history (void)
{
  g_autoptr(BatonClient) client = new_agent_client ("agent", NULL);
  g_autoptr(BatonInbox) found = NULL;
  g_autoptr(BatonInbox) history = baton_inbox_new (client);
  g_autofree char *secret_a = NULL;
  g_autofree char *secret_b = NULL;
  g_autofree char *channel_a = baton_test_create_channel (server, NULL, &secret_a);
  g_autofree char *channel_b = baton_test_create_channel (server, NULL, &secret_b);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *newcomer = NULL;
  g_autofree char *stranger = NULL;
  g_autofree char *contact_id = NULL;
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *message = NULL;

  json = baton_test_strdup_printf_json ("{\"from\":\"+15550170001\",\"name\":\"Zoë Pangolin\","
                                        "\"body\":\"Bonjour\"}");
  reply = baton_test_inbound_expect (server, channel_a, secret_a, json, 202, NULL);
  first = g_strdup (baton_test_get_string (reply, "conversation_id"));
  message = customer_message (channel_b, secret_b, "+15550170001", "Encore moi", &second);
  contact_id = baton_test_contact_of (server, first);

  found = online_inbox (client, "zoe pangol");
  g_assert_cmpuint (n_items (found), ==, 2);
  g_assert_cmpstr (id_at (found, 0), ==, second);

  /* a newcomer whose name has the words with other accents joins live; one without, not */
  g_clear_pointer (&json, g_free);
  g_clear_pointer (&reply, json_node_unref);
  json = baton_test_strdup_printf_json ("{\"from\":\"+15550170002\",\"name\":\"ZOÉ PANGOLINE\","
                                        "\"body\":\"Salut\"}");
  reply = baton_test_inbound_expect (server, channel_a, secret_a, json, 202, NULL);
  newcomer = g_strdup (baton_test_get_string (reply, "conversation_id"));
  g_free (message);
  message = customer_message (channel_a, secret_a, "+15550170003", "Zoe? No.", &stranger);
  WAIT_FOR (baton_inbox_lookup (found, newcomer) != NULL, 10000);
  g_assert_cmpuint (n_items (found), ==, 3);
  g_assert_null (baton_inbox_lookup (found, stranger));

  /* the contact's history: both threads, newest first, whatever the search */
  baton_inbox_set_contact_id (history, contact_id);
  wait_loaded (history);
  g_assert_cmpuint (n_items (history), ==, 2);
  g_assert_cmpstr (id_at (history, 0), ==, second);
  g_assert_cmpstr (id_at (history, 1), ==, first);
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/resolve", first);
    g_autoptr(JsonNode) resolved = baton_test_expect (server, "POST", path,
                                                      server->manager_token, NULL, 200, NULL);
  }
  /* the resolve moves it up; it stays (any status) */
  WAIT_FOR (g_strcmp0 (id_at (history, 0), first) == 0, 10000);
  g_assert_cmpuint (n_items (history), ==, 2);
  g_free (message);
  message = customer_message (channel_a, secret_a, "+15550170004", "Someone else", NULL);
  g_free (message);
  message = customer_message (channel_b, secret_b, "+15550170001", "Still me", NULL);
  WAIT_FOR (g_strcmp0 (id_at (history, 0), second) == 0, 10000);
  g_assert_cmpuint (n_items (history), ==, 2);
  baton_client_stop_stream (client);
}

/* Schedules */

static BatonSchedule *
office_hours (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  BatonSchedule *schedule = baton_schedule_new ();

  g_assert_true (json_parser_load_from_data (parser,
    "{\"name\":\"Office\",\"timezone\":\"Europe/Paris\",\"weekly\":["
    "{\"day\":\"mon\",\"from\":\"09:00\",\"to\":\"18:00\"},"
    "{\"day\":\"sat\",\"from\":\"22:00\",\"to\":\"02:00\"}],"
    "\"holidays\":[\"2026-12-25\"]}", -1, NULL));
  g_assert_true (baton_schedule_update (schedule,
                                        json_node_get_object (json_parser_get_root (parser)),
                                        TRUE, NULL));
  return schedule;
}

static gboolean
schedule_listed (BatonClient *client,
                 const char  *id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) schedules = NULL;

  baton_client_list_schedules_async (client, NULL, got_result_cb, &result);
  schedules = baton_client_list_schedules_finish (client, await_result (&result), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < schedules->len; i++)
    if (g_str_equal (((BatonSchedule *) schedules->pdata[i])->id, id))
      return TRUE;
  return FALSE;
}

/* A flow named "Closed" whose nested time condition names the schedule. */
static JsonNode *
create_flow_using (const char *schedule_id)
{
  g_autofree char *body = baton_test_strdup_printf_json (
    "{\"name\":\"Closed\",\"trigger\":{\"on\":\"conversation.created\"},"
    "\"steps\":[{\"type\":\"condition\",\"conditions\":[{\"field\":\"message.text\","
    "\"op\":\"contains\",\"value\":\"x\"}],\"else\":[{\"type\":\"condition\","
    "\"conditions\":[{\"field\":\"time\",\"op\":\"outside\",\"value\":%s}],"
    "\"then\":[{\"type\":\"close\"}]}]}]}", schedule_id);

  return baton_test_expect (server, "POST", "/api/v1/flows", server->manager_token, body, 201,
                            NULL);
}

/* How many flows the client lists name the schedule, each of them "Closed". */
static guint
count_users (BatonClient *client,
             const char  *schedule_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) flows = NULL;
  guint users = 0;

  baton_client_list_flows_async (client, NULL, got_result_cb, &result);
  flows = baton_client_list_flows_finish (client, await_result (&result), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < flows->len; i++)
    {
      BatonFlow *flow = flows->pdata[i];

      if (baton_flow_uses_schedule (flow, schedule_id))
        {
          users++;
          g_assert_cmpstr (flow->name, ==, "Closed");
        }
    }
  return users;
}

/* The calls send and read the whole schedule; a flow naming it is found by its steps, and
 * keeps it from being deleted. */
static void
test_typed_schedules (void)
{
  g_autoptr(BatonClient) manager = new_manager_client ();
  g_autoptr(BatonSchedule) draft = office_hours ();
  g_autoptr(BatonSchedule) created = NULL;
  g_autoptr(BatonSchedule) updated = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) flow = NULL;
  g_autofree char *flow_path = NULL;
  g_autoptr(JsonNode) gone = NULL;
  BatonInterval *saturday = NULL;

  baton_client_create_schedule_async (manager, draft, NULL, got_result_cb, &result);
  created = baton_client_create_schedule_finish (manager, await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (created->id);
  g_assert_cmpstr (created->timezone, ==, "Europe/Paris");
  g_assert_cmpuint (created->weekly->len, ==, 2);
  saturday = &g_array_index (created->weekly, BatonInterval, 1);
  g_assert_cmpint (saturday->day, ==, 5);
  g_assert_cmpint (saturday->from, ==, 22 * 60);
  g_assert_cmpint (saturday->to, ==, 2 * 60);
  g_assert_cmpstrv (created->holidays, ((const char *[]) { "2026-12-25", NULL }));
  g_clear_object (&result);

  g_free (created->name);
  created->name = g_strdup ("Office, winter");
  g_array_set_size (created->weekly, 1);
  baton_client_update_schedule_async (manager, created, NULL, got_result_cb, &result);
  updated = baton_client_update_schedule_finish (manager, await_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (updated->name, ==, "Office, winter");
  g_assert_cmpuint (updated->weekly->len, ==, 1);
  g_clear_object (&result);

  g_assert_true (schedule_listed (manager, updated->id));
  flow = create_flow_using (updated->id);
  g_assert_cmpuint (count_users (manager, updated->id), ==, 1);

  baton_client_delete_schedule_async (manager, updated->id, NULL, got_result_cb, &result);
  g_assert_false (baton_client_delete_schedule_finish (manager, await_result (&result), &error));
  g_assert_error (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_CONFLICT);
  g_clear_error (&error);
  g_clear_object (&result);

  /* once no flow names it, it goes */
  flow_path = g_strdup_printf ("/api/v1/flows/%s", baton_test_get_string (flow, "id"));
  gone = baton_test_expect (server, "DELETE", flow_path, server->manager_token, NULL, 204, NULL);
  baton_client_delete_schedule_async (manager, updated->id, NULL, got_result_cb, &result);
  g_assert_true (baton_client_delete_schedule_finish (manager, await_result (&result), &error));
  g_assert_no_error (error);
}

/* The flow as the server stores it, one member written as JSON. */
static char *
stored_flow_member (const char *id,
                    const char *member)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/flows/%s", id);
  g_autoptr(JsonNode) node = baton_test_expect (server, "GET", path, server->manager_token, NULL,
                                                200, NULL);

  return json_to_string (json_object_get_member (json_node_get_object (node), member), FALSE);
}

/* "If contact tags include vip, hand to the team and tag the conversation vip." */
static BatonFlow *
vip_flow (const char *team_id)
{
  BatonFlow *flow = baton_flow_new ();
  g_autoptr(GPtrArray) steps = baton_flow_steps_new ();
  BatonFlowStep *condition = baton_flow_step_new (BATON_FLOW_STEP_CONDITION);
  BatonFlowStep *team = baton_flow_step_new (BATON_FLOW_STEP_ASSIGN_TEAM);
  BatonFlowCondition *tags = baton_flow_condition_new ("contact.tags", "includes");

  flow->name = g_strdup ("VIP from the client");
  flow->trigger_on = g_strdup ("conversation.created");
  baton_flow_condition_set_text (tags, "vip");
  g_ptr_array_add (condition->conditions, tags);
  team->team_id = g_strdup (team_id);
  team->conversation_tags = g_strdupv ((char *[]) { "vip", NULL });
  g_ptr_array_add (condition->then_steps, team);
  g_ptr_array_add (steps, condition);
  baton_flow_set_steps (flow, steps);
  return flow;
}

/* Create sends the typed steps as the server stores them; an update sends only the members
 * asked for; a 422 names the nested step's member; delete removes it. */
static void
test_typed_flows (void)
{
  g_autoptr(BatonClient) manager = new_manager_client ();
  g_autofree char *team_id = baton_test_create (server, "/api/v1/teams",
                                                "{\"name\":\"Flows from the client\"}");
  g_autoptr(BatonFlow) draft = vip_flow (team_id);
  g_autoptr(BatonFlow) created = NULL;
  g_autoptr(BatonFlow) updated = NULL;
  g_autoptr(BatonFlow) refused = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) steps = NULL;
  g_autofree char *stored_steps = NULL;
  g_autofree char *expected = g_strdup_printf (
    "[{\"type\":\"condition\",\"match\":\"all\",\"conditions\":[{\"field\":\"contact.tags\","
    "\"op\":\"includes\",\"value\":\"vip\"}],\"then\":[{\"type\":\"assign_team\","
    "\"team_id\":\"%s\",\"conversation_tags\":[\"vip\"],\"contact_tags\":[],"
    "\"add_tags\":true}],\"else\":[]}]", team_id);
  g_autofree char *name = NULL;
  g_autofree char *enabled = NULL;
  g_autoptr(JsonNode) gone = NULL;
  g_autofree char *path = NULL;

  baton_client_create_flow_async (manager, draft, NULL, got_result_cb, &result);
  created = baton_client_create_flow_finish (manager, await_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_nonnull (created->id);
  g_assert_cmpstr (created->trigger_on, ==, "conversation.created");
  g_assert_true (created->enabled);
  stored_steps = stored_flow_member (created->id, "steps");
  g_assert_cmpstr (stored_steps, ==, expected);
  steps = baton_flow_dup_steps (created);
  g_assert_cmpuint (steps->len, ==, 1);

  /* only enabled and position go: the name changed here stays as stored */
  g_free (created->name);
  created->name = g_strdup ("Not sent");
  created->enabled = FALSE;
  created->position = 40;
  baton_client_update_flow_async (manager, created,
                                  BATON_FLOW_MEMBER_ENABLED | BATON_FLOW_MEMBER_POSITION, NULL,
                                  got_result_cb, &result);
  updated = baton_client_update_flow_finish (manager, await_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_false (updated->enabled);
  g_assert_cmpint (updated->position, ==, 40);
  g_assert_cmpstr (updated->name, ==, "VIP from the client");
  name = stored_flow_member (created->id, "name");
  g_assert_cmpstr (name, ==, "\"VIP from the client\"");
  enabled = stored_flow_member (created->id, "enabled");
  g_assert_cmpstr (enabled, ==, "false");

  /* a team that does not exist, nested: the field names the step */
  g_free (((BatonFlowStep *) ((BatonFlowStep *) steps->pdata[0])->then_steps->pdata[0])->team_id);
  ((BatonFlowStep *) ((BatonFlowStep *) steps->pdata[0])->then_steps->pdata[0])->team_id =
    g_strdup ("tem_gone");
  baton_flow_set_steps (updated, steps);
  baton_client_update_flow_async (manager, updated, BATON_FLOW_MEMBERS_EDITED, NULL,
                                  got_result_cb, &result);
  refused = baton_client_update_flow_finish (manager, await_result (&result), &error);
  g_assert_null (refused);
  g_assert_error (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_UNPROCESSABLE);
  g_assert_cmpstr (baton_client_error_get_field (error), ==, "steps[0].then[0].team_id");
  g_clear_error (&error);
  g_clear_object (&result);

  baton_client_delete_flow_async (manager, created->id, NULL, got_result_cb, &result);
  g_assert_true (baton_client_delete_flow_finish (manager, await_result (&result), &error));
  g_assert_no_error (error);
  path = g_strdup_printf ("/api/v1/flows/%s", created->id);
  gone = baton_test_expect (server, "GET", path, server->manager_token, NULL, 404, NULL);
}

/* A flow being edited, not saved: content alone, no id. */
static BatonFlow *
draft_flow (const char *json)
{
  g_autoptr(JsonObject) object = baton_json_parse_object (json, strlen (json), NULL);
  g_autoptr(BatonFlow) flow = baton_flow_new ();
  BatonFlowLookup lookup = { 0 };

  g_assert_nonnull (object);
  g_assert_true (baton_flow_update (flow, object, TRUE, &lookup, NULL));
  return g_steal_pointer (&flow);
}

static BatonFlowTrial *
test_flow (BatonClient                *client,
           BatonFlow                  *flow,
           const BatonFlowTrialSample *sample,
           GError                    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  baton_client_test_flow_async (client, flow, sample, NULL, got_result_cb, &result);
  return baton_client_test_flow_finish (client, await_result (&result), error);
}

/* The dry run of an unsaved flow reads as typed steps: conditions with their results, the
 * team's pick, the reply; a saved flow goes by id; a bad step fails with its path. */
static void
test_typed_flow_trial (void)
{
  g_autoptr(BatonClient) manager = new_manager_client ();
  g_autoptr(BatonClient) agent = new_agent_client ("agent", NULL);
  g_autofree char *member = baton_test_create_agent (server, "Trial Ana",
                                                     "trial-ana@example.com", "agent", NULL);
  g_autofree char *team_body = baton_test_strdup_printf_json (
    "{\"name\":\"Trial Sales\",\"strategy\":\"least_busy\",\"only_online\":false,"
    "\"member_ids\":[%s]}", member);
  g_autofree char *team = baton_test_create (server, "/api/v1/teams", team_body);
  g_autofree char *json = baton_test_strdup_printf_json (
    "{\"name\":\"VIP\",\"trigger\":{\"on\":\"conversation.created\"},\"steps\":["
    "{\"type\":\"condition\",\"match\":\"any\",\"conditions\":["
    "{\"field\":\"contact.tags\",\"op\":\"includes\",\"value\":\"vip\"},"
    "{\"field\":\"contact.is_returning\",\"op\":\"is\",\"value\":true}],"
    "\"then\":[{\"type\":\"assign_team\",\"team_id\":%s,\"conversation_tags\":[\"vip\"]}],"
    "\"else\":[{\"type\":\"send_message\",\"body\":\"Welcome\"},"
    "{\"type\":\"update_contact\",\"set_fields\":{\"plan\":\"new\"}}]}]}", team);
  g_autoptr(BatonFlow) flow = draft_flow (json);
  g_autoptr(BatonFlow) broken = draft_flow ("{\"name\":\"B\",\"trigger\":{\"on\":"
                                            "\"conversation.created\"},\"steps\":["
                                            "{\"type\":\"assign_user\",\"user_id\":\"agt_no\"}"
                                            "]}");
  const char *vip[] = { "VIP", NULL };
  BatonFlowTrialSample sample = { .text = "hello", .contact_tags = vip, .is_returning = 0 };
  g_autoptr(BatonFlowTrial) trial = NULL;
  g_autoptr(BatonFlowTrial) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) saved = NULL;
  g_autoptr(JsonNode) gone = NULL;
  g_autofree char *saved_path = NULL;
  BatonTrialStep *step = NULL;
  BatonTrialCondition *condition = NULL;

  trial = test_flow (manager, flow, &sample, &error);
  g_assert_no_error (error);
  g_assert_null (trial->flow_id);
  g_assert_true (trial->matched);
  g_assert_cmpuint (trial->steps->len, ==, 2);
  step = trial->steps->pdata[0];
  g_assert_cmpstr (step->type, ==, "condition");
  g_assert_true (step->match_any);
  g_assert_true (step->held);
  g_assert_cmpuint (step->conditions->len, ==, 2);
  condition = step->conditions->pdata[0];
  g_assert_cmpstr (condition->condition->field, ==, "contact.tags");
  g_assert_cmpstr (condition->condition->text, ==, "vip");
  g_assert_true (condition->held);
  condition = step->conditions->pdata[1];
  g_assert_cmpint (condition->condition->value_kind, ==, BATON_FLOW_VALUE_FLAG);
  g_assert_true (condition->condition->flag);
  g_assert_false (condition->held);
  step = trial->steps->pdata[1];
  g_assert_cmpstr (step->path, ==, "steps[0].then[0]");
  g_assert_cmpstr (step->team_name, ==, "Trial Sales");
  g_assert_cmpint (step->strategy, ==, BATON_STRATEGY_LEAST_BUSY);
  g_assert_cmpstr (step->agent_id, ==, member);
  g_assert_cmpstr (step->agent_name, ==, "Trial Ana");
  g_assert_false (step->queued);
  g_assert_cmpstrv (step->conversation_tags, ((const char *[]) { "vip", NULL }));

  /* saved, it goes by id; the other branch */
  saved = baton_test_expect (server, "POST", "/api/v1/flows",
                                                 server->manager_token, json, 201, NULL);
  g_free (flow->id);
  flow->id = g_strdup (baton_test_get_string (saved, "id"));
  sample.contact_tags = NULL;
  other = test_flow (manager, flow, &sample, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (other->flow_id, ==, flow->id);
  g_assert_cmpuint (other->steps->len, ==, 3);
  step = other->steps->pdata[1];
  g_assert_cmpstr (step->path, ==, "steps[0].else[0]");
  g_assert_cmpstr (step->body, ==, "Welcome");
  step = other->steps->pdata[2];
  g_assert_cmpstrv (step->contact_set_fields, ((const char *[]) { "plan", "new", NULL }));
  g_clear_pointer (&other, baton_flow_trial_unref);
  /* no saved flow left to route the other tests' conversations */
  saved_path = g_strdup_printf ("/api/v1/flows/%s", flow->id);
  gone = baton_test_expect (server, "DELETE", saved_path, server->manager_token, NULL, 204,
                            NULL);

  other = test_flow (manager, broken, &sample, &error);
  g_assert_null (other);
  g_assert_error (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_UNPROCESSABLE);
  g_assert_cmpstr (baton_client_error_get_field (error), ==, "steps[0].user_id");
  g_clear_error (&error);
  other = test_flow (agent, flow, &sample, &error);
  g_assert_null (other);
  g_assert_error (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_FORBIDDEN);
}

/* An agent's own report, read whole: a conversation assigned to them and answered by them
 * today; the CSV of the same period; another agent's figures are refused; a team id is sent
 * escaped (a "&" in it adds no parameter). */
static BatonReport *
get_report (BatonClient *client,
            gint64       from,
            gint64       to,
            const char  *team_id,
            const char  *agent_id,
            GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  baton_client_get_report_async (client, from, to, team_id, agent_id, NULL, got_result_cb,
                                 &result);
  return baton_client_get_report_finish (client, await_result (&result), error);
}

static gint64
sum (const gint64 *counts,
     guint         n)
{
  gint64 total = 0;

  for (guint i = 0; i < n; i++)
    total += counts[i];
  return total;
}

static void
test_typed_report (void)
{
  g_autofree char *agent_id = NULL;
  g_autoptr(BatonClient) agent = new_agent_client ("agent", &agent_id);
  g_autoptr(BatonClient) manager = new_manager_client ();
  g_autofree char *secret = NULL;
  g_autofree char *channel_id = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *conversation_id = baton_test_customer_writes (server, channel_id, secret,
                                                                 phone, NULL, "Report me");
  g_autoptr(BatonMessage) reply = NULL;
  g_autoptr(BatonReport) report = NULL;
  g_autoptr(BatonReport) escaped = NULL;
  g_autoptr(BatonReport) refused = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *agent_line = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) vias = NULL;
  gint64 now = g_get_real_time () / 1000;
  BatonReportAgentRow *row = NULL;
  gint64 created = 0;

  baton_test_assign_to (server, conversation_id, agent_id);
  reply = send_message (agent, conversation_id, "Hello", FALSE);

  report = get_report (agent, now - 24 * 3600 * 1000, now + 3600 * 1000, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (report->agent_id, ==, agent_id);
  g_assert_null (report->team_id);
  g_assert_cmpint (report->to - report->from, ==, 25 * 3600 * 1000);
  g_assert_cmpint (report->created, ==, 1);
  g_assert_cmpint (report->replies, ==, 1);
  g_assert_cmpuint (report->first_response.count, ==, 1);
  g_assert_cmpint (report->first_response.median, >=, 0);
  g_assert_cmpuint (report->resolution.count, ==, 0);
  g_assert_cmpint (report->resolution.median, ==, -1);
  g_assert_cmpuint (report->agents->len, ==, 1);
  row = report->agents->pdata[0];
  g_assert_cmpstr (row->id, ==, agent_id);
  g_assert_cmpint (row->assigned, ==, 1);
  g_assert_cmpint (row->open, ==, 1);
  g_assert_cmpuint (row->first_response.count, ==, 1);
  g_assert_cmpuint (report->assignments_by_via->len, ==, 1);
  g_assert_cmpstr (((BatonReportViaCount *) report->assignments_by_via->pdata[0])->via, ==,
                   "manual");
  /* a day before to an hour after: two or three local days, the conversation on one */
  g_assert_cmpuint (report->days->len, >=, 2);
  for (guint i = 0; i < report->days->len; i++)
    {
      BatonReportDayRow *day = report->days->pdata[i];

      g_assert_cmpuint (strlen (day->date), ==, 10);
      created += day->created;
      if (day->created)
        g_assert_cmpuint (day->assignments_by_via->len, ==, 1);
    }
  g_assert_cmpint (created, ==, 1);
  vias = baton_report_day_vias (report);
  g_assert_cmpstrv (vias, ((const char *[]) { "manual", NULL }));
  g_assert_cmpint (sum (report->created_by_hour, 24), ==, 1);
  g_assert_cmpint (sum (report->created_by_weekday, 7), ==, 1);
  g_assert_cmpint (sum (&report->created_by_weekday_hour[0][0], 7 * 24), ==, 1);

  baton_client_get_report_csv_async (agent, now - 24 * 3600 * 1000, now + 3600 * 1000, NULL,
                                     NULL, NULL, got_result_cb, &result);
  csv = baton_client_get_report_csv_finish (agent, await_result (&result), &error);
  g_assert_no_error (error);
  agent_line = g_strdup_printf ("\r\nagent_id,%s\r\ncreated,1\r\n", agent_id);
  text = g_strndup (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv));
  g_assert_true (g_str_has_prefix (text, "summary\r\nfigure,value\r\n"));
  g_assert_nonnull (strstr (text, agent_line));

  refused = get_report (agent, 0, 0, NULL, server->manager_id, &error);
  g_assert_null (refused);
  g_assert_error (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_FORBIDDEN);
  g_clear_error (&error);

  /* the server's default period; "tea_x&agent=…" is one unknown team, so nothing */
  escaped = get_report (manager, 0, 0, "tea_x&agent=agt_x", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (escaped->team_id, ==, "tea_x&agent=agt_x");
  g_assert_null (escaped->agent_id);
  g_assert_cmpint (escaped->to - escaped->from, ==, 7 * 24 * 3600 * 1000);
  g_assert_cmpint (escaped->created, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *keyring = NULL;
  g_autofree char *config = NULL;
  g_autofree char *config_text = g_strdup_printf ("[batond]\nstream-replay-limit=%u\n",
                                                  CLIENT_REPLAY_LIMIT);
  int status;

  /* libsecret's file backend: no keyring daemon, no bus. Set before its first use. */
  secret_dir = g_dir_make_tmp ("baton-secret-XXXXXX", &error);
  g_assert_no_error (error);
  keyring = g_build_filename (secret_dir, "keyring", NULL);
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "x", TRUE);

  g_test_init (&argc, &argv, NULL);

  config = g_build_filename (secret_dir, "batond.conf", NULL);
  g_assert_true (g_file_set_contents (config, config_text, -1, &error));
  server = baton_test_server_new ("--config", config, NULL);
  /* Restarts keep the address, as a production server's does. */
  server->keep_port = TRUE;

  g_test_add_func ("/client/login", test_login);
  g_test_add_func ("/client/logout", test_logout);
  g_test_add_func ("/client/call", test_call);
  g_test_add_func ("/client/sessions", test_sessions);
  g_test_add_func ("/client/fetch-bytes", test_fetch_bytes);
  g_test_add_func ("/client/stream/live", test_stream_live);
  g_test_add_func ("/client/stream/auth-failed", test_stream_auth_failed);
  g_test_add_func ("/client/stream/array-frames", test_stream_array_frames);
  g_test_add_func ("/client/stream/reconnect", test_stream_reconnect);
  g_test_add_func ("/client/stream/backoff", test_stream_backoff);
  g_test_add_func ("/client/stream/resync", test_stream_resync);
  g_test_add_func ("/client/stream/far-behind", test_stream_far_behind);
  g_test_add_func ("/client/inbox/item-update", test_inbox_item_update);
  g_test_add_func ("/client/inbox/filters", test_inbox_filters);
  g_test_add_func ("/client/inbox/live", test_inbox_live);
  g_test_add_func ("/client/inbox/activity-order", test_inbox_activity_order);
  g_test_add_func ("/client/inbox/paging", test_inbox_paging);
  g_test_add_func ("/client/inbox/load-failed", test_inbox_load_failed);
  g_test_add_func ("/client/inbox/unread", test_inbox_unread);
  g_test_add_func ("/client/inbox/counts", test_inbox_counts);
  g_test_add_func ("/client/inbox/search-and-history", test_inbox_search_and_history);
  g_test_add_func ("/client/secret-store", test_secret_store);
  g_test_add_func ("/client/typed/availability", test_typed_availability);
  g_test_add_func ("/client/typed/teams", test_typed_teams);
  g_test_add_func ("/client/typed/messages", test_typed_messages);
  g_test_add_func ("/client/typed/server-stopped", test_server_stopped);
  g_test_add_func ("/client/typed/assignment", test_typed_assignment);
  g_test_add_func ("/client/typed/contact", test_typed_contact);
  g_test_add_func ("/client/typed/settings", test_typed_settings);
  g_test_add_func ("/client/typed/channels", test_typed_channels);
  g_test_add_func ("/client/typed/attachment", test_typed_attachment);
  g_test_add_func ("/client/typed/upload", test_typed_upload);
  g_test_add_func ("/client/directory/live", test_directory_live);
  g_test_add_func ("/client/directory/resync", test_directory_resync);
  g_test_add_func ("/client/directory/replies", test_directory_replies);
  g_test_add_func ("/client/typed/replies", test_typed_replies);
  g_test_add_func ("/client/typed/agents", test_typed_agents);
  g_test_add_func ("/client/typed/schedules", test_typed_schedules);
  g_test_add_func ("/client/typed/flows", test_typed_flows);
  g_test_add_func ("/client/typed/flow-trial", test_typed_flow_trial);
  g_test_add_func ("/client/typed/report", test_typed_report);
  g_test_add_func ("/client/message-list/paging", test_message_list_paging);
  g_test_add_func ("/client/message-list/live", test_message_list_live);
  g_test_add_func ("/client/message-list/send", test_message_list_send);
  g_test_add_func ("/client/message-list/send-files", test_message_list_send_files);

  status = g_test_run ();
  baton_test_server_free (server);
  remove_secret_dir ();
  g_free (secret_dir);
  return status;
}
