/* test-stream.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-test-helpers.h"

#define WAIT_MS 5000

static BatonTestServer *server;
static char *channel_id;
static char *channel_secret;

/* Helpers */

static char *
new_conversation (void)
{
  g_autofree char *phone = baton_test_new_phone ();

  return baton_test_inbound (server, channel_id, channel_secret, phone, "Hello");
}

/* Waits until the server counts n open streams (it learns of a close asynchronously). */
static void
wait_connections (gint64 n)
{
  baton_test_wait_metric (server, "baton_stream_connections", n, WAIT_MS);
}

static BatonTestStream *
open_stream (const char *token,
             const char *since)
{
  guint status = 0;
  BatonTestStream *stream = baton_test_stream_open (server, token, since, &status);

  g_assert_nonnull (stream);
  g_assert_cmpuint (status, ==, 101);
  return stream;
}

static gint64
seq_of (JsonObject *frame)
{
  g_assert_true (json_object_has_member (frame, "seq"));
  return json_object_get_int_member (frame, "seq");
}

/* Each frame is a well-formed event, in increasing seq order. */
static void
assert_events (GPtrArray *frames,
               gint64     after)
{
  gint64 last = after;

  for (guint i = 0; i < frames->len; i++)
    {
      JsonObject *frame = frames->pdata[i];
      const char *at = json_object_get_string_member (frame, "at");
      g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (at, NULL);

      g_assert_cmpint (seq_of (frame), >, last);
      last = seq_of (frame);
      g_assert_nonnull (json_object_get_string_member (frame, "type"));
      g_assert_nonnull (time);
      /* RFC 3339 UTC with milliseconds: 2026-11-22T09:30:00.000Z */
      g_assert_cmpuint (strlen (at), ==, 24);
      g_assert_cmpint (at[19], ==, '.');
      g_assert_cmpint (at[23], ==, 'Z');
      g_assert_nonnull (json_object_get_object_member (frame, "data"));
    }
}

static JsonObject *
find_event (GPtrArray  *frames,
            const char *type,
            const char *data_member,
            const char *value)
{
  for (guint i = 0; i < frames->len; i++)
    {
      JsonObject *frame = frames->pdata[i];
      JsonObject *data = json_object_get_object_member (frame, "data");

      if (g_str_equal (json_object_get_string_member (frame, "type"), type)
          && g_strcmp0 (json_object_get_string_member_with_default (data, data_member, NULL),
                        value) == 0)
        return frame;
    }
  return NULL;
}

static guint
count_type (GPtrArray  *frames,
            const char *type)
{
  guint n = 0;

  for (guint i = 0; i < frames->len; i++)
    if (g_str_equal (json_object_get_string_member (frames->pdata[i], "type"), type))
      n++;
  return n;
}

static void
assert_same_seqs (GPtrArray *a,
                  GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      g_assert_cmpint (seq_of (a->pdata[i]), ==, seq_of (b->pdata[i]));
      g_assert_cmpstr (json_object_get_string_member (a->pdata[i], "type"), ==,
                       json_object_get_string_member (b->pdata[i], "type"));
    }
}

/* Frames of a after seq (those the other stream was not asked about). */
static GPtrArray *
frames_after (GPtrArray *frames,
              gint64     seq)
{
  GPtrArray *later = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  for (guint i = 0; i < frames->len; i++)
    if (seq_of (frames->pdata[i]) > seq)
      g_ptr_array_add (later, json_object_ref (frames->pdata[i]));
  return later;
}

/* Tests */

static void
test_unauthorized (void)
{
  g_autofree char *token = NULL;
  g_autofree char *agent = baton_test_new_agent (server, "Token Tess", "agent", &token);
  g_autofree char *query = g_strdup_printf ("access_token=%s", token);
  BatonTestStream *stream = NULL;
  guint status = 0;

  stream = baton_test_stream_open (server, NULL, NULL, &status);
  g_assert_null (stream);
  g_assert_cmpuint (status, ==, 401);
  stream = baton_test_stream_open (server, "not-a-token", NULL, &status);
  g_assert_null (stream);
  g_assert_cmpuint (status, ==, 401);
  stream = baton_test_stream_open_query (server, NULL, "access_token=not-a-token", &status);
  g_assert_null (stream);
  g_assert_cmpuint (status, ==, 401);
  stream = baton_test_stream_open (server, token, "yesterday", &status);
  g_assert_null (stream);
  g_assert_cmpuint (status, ==, 400);

  /* A signed-out token is dead for the stream too. */
  {
    g_autofree char *other = baton_test_login (server, BATON_TEST_MANAGER_EMAIL,
                                               BATON_TEST_PASSWORD);
    g_autoptr(JsonNode) out = baton_test_expect (server, "POST", "/api/v1/auth/logout", other,
                                                 NULL, 204, NULL);

    stream = baton_test_stream_open (server, other, NULL, &status);
    g_assert_null (stream);
    g_assert_cmpuint (status, ==, 401);
  }

  /* The token in the query works for clients that cannot set headers. */
  stream = baton_test_stream_open_query (server, NULL, query, &status);
  g_assert_nonnull (stream);
  g_assert_cmpuint (status, ==, 101);
  baton_test_set_barrier (server);
  {
    g_autoptr(GPtrArray) frames = baton_test_read_until_barrier (server, stream);

    assert_events (frames, 0);
  }
  baton_test_stream_close (stream);
}

static void
test_live_events (void)
{
  g_autofree char *token = NULL;
  g_autofree char *agent = baton_test_new_agent (server, "Live Lou", "agent", &token);
  BatonTestStream *stream = open_stream (token, NULL);
  g_autofree char *first = new_conversation ();
  g_autofree char *second = new_conversation ();
  g_autoptr(GPtrArray) frames = NULL;
  JsonObject *created = NULL;
  JsonObject *message = NULL;

  baton_test_set_barrier (server);
  frames = baton_test_read_until_barrier (server, stream);
  assert_events (frames, 0);
  created = find_event (frames, "conversation.created", "id", first);
  g_assert_nonnull (created);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (created,
                                                                                 "data"),
                                                  "status"), ==, "new");
  message = find_event (frames, "message.created", "conversation_id", first);
  g_assert_nonnull (message);
  g_assert_cmpint (seq_of (message), >, seq_of (created));
  g_assert_nonnull (find_event (frames, "conversation.created", "id", second));
  g_assert_nonnull (find_event (frames, "message.created", "conversation_id", second));
  g_assert_nonnull (find_event (frames, "notification", "conversation_id", first));
  /* The first conversation's events all come before the second's. */
  g_assert_cmpint (seq_of (find_event (frames, "conversation.created", "id", second)), >,
                   seq_of (message));
  baton_test_stream_close (stream);
}

/* since=N replays everything after N this agent may see, then goes on live. */
static void
test_replay_since (void)
{
  g_autofree char *token = NULL;
  g_autofree char *agent = baton_test_new_agent (server, "Replay Rhea", "agent", &token);
  BatonTestStream *observer = open_stream (token, NULL);
  BatonTestStream *replayed = NULL;
  g_autofree char *since = NULL;
  g_autoptr(GPtrArray) observed = NULL;
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(GPtrArray) got = NULL;
  g_autoptr(GPtrArray) live = NULL;
  g_autoptr(GPtrArray) observed_live = NULL;
  gint64 start;

  /* Start after the observer's own presence event. */
  baton_test_set_barrier (server);
  g_clear_pointer (&observed, g_ptr_array_unref);
  observed = baton_test_read_until_barrier (server, observer);
  start = seq_of (observed->pdata[observed->len - 1]);
  g_clear_pointer (&observed, g_ptr_array_unref);

  for (guint i = 0; i < 5; i++)
    g_free (new_conversation ());
  baton_test_set_barrier (server);
  observed = baton_test_read_until_barrier (server, observer);
  expected = frames_after (observed, start);
  g_assert_cmpuint (expected->len, >=, 5 * 3);

  since = g_strdup_printf ("%" G_GINT64_FORMAT, start);
  replayed = open_stream (token, since);
  got = baton_test_read_until_barrier (server, replayed);
  assert_events (got, start);
  assert_same_seqs (got, expected);
  for (guint i = 0; i < got->len; i++)
    {
      g_autoptr(JsonNode) a = json_node_init_object (json_node_alloc (), got->pdata[i]);
      g_autoptr(JsonNode) b = json_node_init_object (json_node_alloc (), expected->pdata[i]);

      g_assert_true (json_node_equal (a, b));
    }

  /* Then live. */
  g_free (new_conversation ());
  baton_test_set_barrier (server);
  live = baton_test_read_until_barrier (server, replayed);
  observed_live = baton_test_read_until_barrier (server, observer);
  assert_events (live, seq_of (got->pdata[got->len - 1]));
  assert_same_seqs (live, observed_live);
  g_assert_cmpuint (count_type (live, "conversation.created"), ==, 1);

  baton_test_stream_close (replayed);
  baton_test_stream_close (observer);
}

/* A client that drops and comes back with since=<last seq seen> misses nothing and sees
 * nothing twice, however much happened meanwhile. */
static void
test_reconnect_no_gap (void)
{
  g_autofree char *token = NULL;
  g_autofree char *agent = baton_test_new_agent (server, "Reconnecting Rey", "agent", &token);
  g_autofree char *other = baton_test_new_agent (server, "Other Otto", "agent", NULL);
  BatonTestStream *observer = open_stream (token, NULL);
  BatonTestStream *client = open_stream (token, NULL);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) observed = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                  json_object_unref);
  g_autofree char *since = NULL;
  gint64 last_seen = 0;
  gint64 start = 0;

  /* Both streams are live from here on. */
  baton_test_set_barrier (server);
  {
    g_autoptr(GPtrArray) a = baton_test_read_until_barrier (server, observer);
    g_autoptr(GPtrArray) b = baton_test_read_until_barrier (server, client);

    start = seq_of (b->pdata[b->len - 1]);
    g_assert_cmpint (seq_of (a->pdata[a->len - 1]), ==, start);
  }

  for (guint i = 0; i < 3; i++)
    g_free (new_conversation ());
  /* The client reads some of what follows and drops; the rest waits unread. */
  {
    g_autoptr(JsonObject) first = NULL;
    g_autoptr(JsonObject) second = NULL;

    first = baton_test_stream_next (client, WAIT_MS);
    second = baton_test_stream_next (client, WAIT_MS);
    g_assert_nonnull (first);
    g_assert_nonnull (second);
    g_ptr_array_add (seen, json_object_ref (first));
    g_ptr_array_add (seen, json_object_ref (second));
    last_seen = seq_of (second);
  }
  g_free (new_conversation ());
  baton_test_stream_close (client);

  /* Much happens while it is away, notifications for this agent included. */
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *id = new_conversation ();

      baton_test_assign_to (server, id, i % 2 ? agent : other);
    }
  baton_test_set_barrier (server);

  since = g_strdup_printf ("%" G_GINT64_FORMAT, last_seen);
  client = open_stream (token, since);
  {
    g_autoptr(GPtrArray) replayed = baton_test_read_until_barrier (server, client);
    g_autoptr(GPtrArray) all = baton_test_read_until_barrier (server, observer);

    for (guint i = 0; i < replayed->len; i++)
      g_ptr_array_add (seen, json_object_ref (replayed->pdata[i]));
    for (guint i = 0; i < all->len; i++)
      g_ptr_array_add (observed, json_object_ref (all->pdata[i]));
  }
  assert_events (seen, start);
  assert_same_seqs (seen, observed);
  g_assert_cmpuint (count_type (seen, "conversation.created"), ==, 34);
  g_assert_cmpuint (count_type (seen, "notification"), ==, 34 + 15);

  baton_test_stream_close (client);
  baton_test_stream_close (observer);
}

/* Notifications are addressed: a replay holds only one's own. */
static void
test_notifications_not_replayed (void)
{
  g_autofree char *token_a = NULL;
  g_autofree char *token_b = NULL;
  g_autofree char *agent_a = baton_test_new_agent (server, "Quiet Quinn", "agent", &token_a);
  g_autofree char *agent_b = baton_test_new_agent (server, "Busy Bo", "agent", &token_b);
  g_autofree char *id = new_conversation ();
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/assignment", id);
  g_autofree char *body = baton_test_strdup_printf_json ("{\"assignee_ids\":[%s]}", agent_b);
  g_autofree char *since = g_strdup_printf ("%" G_GINT64_FORMAT, baton_test_current_seq (server));
  g_autoptr(JsonNode) node = baton_test_expect (server, "PUT", path, server->manager_token,
                                                body, 200, NULL);
  g_autoptr(GPtrArray) frames_a = NULL;
  g_autoptr(GPtrArray) frames_b = NULL;
  BatonTestStream *stream_a = NULL;
  BatonTestStream *stream_b = NULL;
  JsonObject *assigned = NULL;

  baton_test_set_barrier (server);
  stream_a = open_stream (token_a, since);
  stream_b = open_stream (token_b, since);
  frames_a = baton_test_read_until_barrier (server, stream_a);
  frames_b = baton_test_read_until_barrier (server, stream_b);
  assert_events (frames_a, 0);
  assert_events (frames_b, 0);

  g_assert_cmpuint (count_type (frames_a, "notification"), ==, 0);
  g_assert_cmpuint (count_type (frames_b, "notification"), ==, 1);
  assigned = find_event (frames_b, "notification", "kind", "assigned");
  g_assert_nonnull (assigned);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (assigned,
                                                                                 "data"),
                                                  "conversation_id"), ==, id);
  /* The same conversation.updated for both; a gap in A's sequence where B's notification is. */
  g_assert_nonnull (find_event (frames_a, "conversation.updated", "id", id));
  g_assert_nonnull (find_event (frames_b, "conversation.updated", "id", id));
  g_assert_cmpuint (frames_a->len + 1, ==, frames_b->len);
  for (guint i = 0; i < frames_a->len; i++)
    g_assert_cmpint (seq_of (frames_a->pdata[i]), !=, seq_of (assigned));

  baton_test_stream_close (stream_a);
  baton_test_stream_close (stream_b);
}

static void
test_resync_required (void)
{
  gint64 now = baton_test_current_seq (server);
  g_autofree char *ahead = g_strdup_printf ("%" G_GINT64_FORMAT, now + 1000);
  BatonTestStream *stream = open_stream (server->manager_token, ahead);
  g_autoptr(JsonObject) frame = baton_test_stream_next (stream, WAIT_MS);

  g_assert_nonnull (frame);
  g_assert_cmpstr (json_object_get_string_member (frame, "type"), ==, "resync_required");
  g_assert_cmpint (json_object_get_int_member (frame, "seq"), ==, now);
  baton_test_stream_close (stream);

  /* since = the current seq is no gap: nothing to replay, and live events follow. */
  {
    g_autofree char *current = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                baton_test_current_seq (server));
    g_autoptr(GPtrArray) frames = NULL;

    stream = open_stream (server->manager_token, current);
    baton_test_set_barrier (server);
    frames = baton_test_read_until_barrier (server, stream);
    g_assert_cmpuint (count_type (frames, "resync_required"), ==, 0);
    assert_events (frames, g_ascii_strtoll (current, NULL, 10));
    baton_test_stream_close (stream);
  }
}

/* The agent.updated events about id up to the barrier; the last one's online in *online. */
static guint
presence_updates (BatonTestStream *stream,
                  const char      *id,
                  gboolean        *online)
{
  g_autoptr(GPtrArray) frames = baton_test_read_until_barrier (server, stream);
  guint n = 0;

  for (guint i = 0; i < frames->len; i++)
    {
      JsonObject *frame = frames->pdata[i];
      JsonObject *data = json_object_get_object_member (frame, "data");

      if (g_str_equal (json_object_get_string_member (frame, "type"), "agent.updated")
          && g_str_equal (json_object_get_string_member (data, "id"), id))
        {
          n++;
          *online = json_object_get_boolean_member (data, "online");
        }
    }
  return n;
}

/* online = availability online and a stream now or within the last 60 s. */
static void
test_effective_online (void)
{
  g_autofree char *token = NULL;
  g_autofree char *agent = NULL;
  BatonTestStream *watcher = NULL;
  BatonTestStream *stream = NULL;
  g_autoptr(JsonNode) before = NULL;
  gboolean online = FALSE;
  gint64 watching;

  wait_connections (0);
  agent = baton_test_new_agent (server, "Present Pia", "agent", &token);
  watcher = open_stream (server->manager_token, NULL);
  watching = baton_test_get_metric (server, "baton_stream_connections");
  before = baton_test_get_agent (server, agent);
  g_assert_cmpstr (baton_test_get_string (before, "availability"), ==, "online");
  g_assert_false (baton_test_get_bool (before, "online"));

  stream = open_stream (token, NULL);
  baton_test_set_barrier (server);
  g_assert_cmpuint (presence_updates (watcher, agent, &online), ==, 1);
  g_assert_true (online);
  g_assert_true (baton_test_is_online (server, agent));
  g_clear_pointer (&stream, baton_test_stream_close);
  wait_connections (watching);

  /* Gone for less than a minute: still online, and nothing was published. */
  g_assert_true (baton_test_is_online (server, agent));
  /* The test clock also runs in real time: a margin for a loaded machine. */
  baton_test_advance_clock (server, 45);
  g_assert_true (baton_test_is_online (server, agent));
  baton_test_set_barrier (server);
  g_assert_cmpuint (presence_updates (watcher, agent, &online), ==, 0);

  /* Coming back within the grace period changes nothing either. */
  stream = open_stream (token, NULL);
  baton_test_advance_clock (server, 30);
  g_assert_true (baton_test_is_online (server, agent));
  baton_test_set_barrier (server);
  g_assert_cmpuint (presence_updates (watcher, agent, &online), ==, 0);
  g_clear_pointer (&stream, baton_test_stream_close);
  wait_connections (watching);

  baton_test_advance_clock (server, 45);
  g_assert_true (baton_test_is_online (server, agent));
  baton_test_advance_clock (server, 16);
  g_assert_false (baton_test_is_online (server, agent));
  baton_test_set_barrier (server);
  g_assert_cmpuint (presence_updates (watcher, agent, &online), ==, 1);
  g_assert_false (online);

  /* Away is offline for routing even with a stream open. */
  stream = open_stream (token, NULL);
  baton_test_set_barrier (server);
  g_assert_cmpuint (presence_updates (watcher, agent, &online), ==, 1);
  g_assert_true (online);
  baton_test_set_availability (server, token, "away");
  g_assert_false (baton_test_is_online (server, agent));
  baton_test_set_barrier (server);
  g_assert_cmpuint (presence_updates (watcher, agent, &online), ==, 1);
  g_assert_false (online);
  baton_test_set_availability (server, token, "online");
  g_assert_true (baton_test_is_online (server, agent));
  baton_test_set_barrier (server);
  g_assert_cmpuint (presence_updates (watcher, agent, &online), ==, 1);
  g_assert_true (online);

  baton_test_stream_close (stream);
  baton_test_stream_close (watcher);
}

/* A {"type":"ping"} text frame from the client is answered with {"type":"pong"}. */
static void
test_ping_pong (void)
{
  BatonTestStream *stream = open_stream (server->manager_token, NULL);
  g_autoptr(JsonObject) pong = NULL;

  soup_websocket_connection_send_text (stream->connection, "{\"type\":\"ping\"}");
  for (;;)
    {
      JsonObject *frame = baton_test_stream_next_frame (stream, WAIT_MS);

      g_assert_nonnull (frame);
      if (g_str_equal (json_object_get_string_member_with_default (frame, "type", ""), "pong"))
        {
          pong = frame;
          break;
        }
      json_object_unref (frame);
    }
  /* A control frame: no seq. */
  g_assert_false (json_object_has_member (pong, "seq"));

  /* Garbage from the client is ignored; the stream stays up. */
  soup_websocket_connection_send_text (stream->connection, "not json");
  soup_websocket_connection_send_text (stream->connection, "{\"type\":\"ping\"}");
  for (;;)
    {
      g_autoptr(JsonObject) frame = baton_test_stream_next_frame (stream, WAIT_MS);

      g_assert_nonnull (frame);
      if (g_str_equal (json_object_get_string_member_with_default (frame, "type", ""), "pong"))
        break;
    }
  baton_test_stream_close (stream);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GBytes **response = user_data;
  g_autoptr(GError) error = NULL;

  *response = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
}

/* The network is never held up by the database: while batond waits for a lock another
 * connection holds, with a customer's message in hand, its streams still answer pings. The
 * message is stored once the lock is let go. */
static void
test_pong_while_database_waits (void)
{
  BatonTestStream *stream = open_stream (server->manager_token, NULL);
  g_autoptr(BatonStore) store = baton_test_server_open_store (server);
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *url = g_strdup_printf ("%s/api/v1/channels/%s/inbound", server->url,
                                          channel_id);
  g_autofree char *body = g_strdup_printf ("{\"from\":\"%s\","
                                           "\"body\":\"Held up\"}", phone);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) response = NULL;
  g_autoptr(JsonObject) pong = NULL;
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 300 * 1000;

  /* the writer's lock: batond's next change waits for it */
  g_assert_true (baton_store_begin (store, &error));
  g_assert_no_error (error);
  soup_message_headers_replace (soup_message_get_request_headers (msg),
                                "X-Baton-Channel-Secret", channel_secret);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  soup_session_send_and_read_async (server->session, msg, G_PRIORITY_DEFAULT, NULL, sent_cb,
                                    &response);
  /* the message reaches batond, which waits */
  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (response);

  /* well within SQLite's 5 s wait for a lock: a loop that waited would answer after it */
  soup_websocket_connection_send_text (stream->connection, "{\"type\":\"ping\"}");
  while (pong == NULL)
    {
      g_autoptr(JsonObject) frame = baton_test_stream_next_frame (stream, 2000);

      g_assert_nonnull (frame);
      if (g_str_equal (json_object_get_string_member_with_default (frame, "type", ""), "pong"))
        pong = g_steal_pointer (&frame);
    }
  g_assert_null (response);

  baton_store_rollback (store);
  while (response == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 202);
  created = baton_test_stream_wait (stream, "conversation.created", NULL, WAIT_MS);
  g_assert_nonnull (created);
  baton_test_stream_close (stream);
}

/* Removing an agent ends their open streams: their token is dead. */
static void
test_removed_agent_closed (void)
{
  g_autofree char *token = NULL;
  g_autofree char *id = baton_test_new_agent (server, "Gone Gail", "agent", &token);
  g_autofree char *path = g_strdup_printf ("/api/v1/agents/%s", id);
  BatonTestStream *stream = baton_test_stream_open (server, token, NULL, NULL);
  g_autoptr(JsonNode) deleted = NULL;

  g_assert_nonnull (stream);
  deleted = baton_test_expect (server, "DELETE", path, server->manager_token, NULL, 204, NULL);
  g_assert_true (baton_test_stream_wait_closed (stream, 5000));
  g_assert_cmpuint (stream->close_code, ==, 4401);
  baton_test_stream_close (stream);
}

/* The text frame (its index among those the stream received) that brought the stream's
 * event_index-th event. */
static guint
frame_of (BatonTestStream *stream,
          guint            event_index)
{
  guint seen = 0;

  for (guint i = 0; i < stream->frame_lengths->len; i++)
    {
      seen += g_array_index (stream->frame_lengths, guint, i);
      if (event_index < seen)
        return i;
    }
  g_assert_not_reached ();
}

/* The n events of stream from first came in one frame. */
static void
assert_one_frame (BatonTestStream *stream,
                  guint            first,
                  guint            n)
{
  for (guint i = 1; i < n; i++)
    g_assert_cmpuint (frame_of (stream, first + i), ==, frame_of (stream, first));
}

/* Reads to the next barrier: the events between the previous one and it, and the index among
 * all the stream's events of the first of them in *first. */
static GPtrArray *
read_burst (BatonTestStream *stream,
            guint           *read,
            guint           *first)
{
  GPtrArray *frames = baton_test_read_until_barrier (server, stream);

  *first = *read;
  *read += frames->len;
  /* the barrier itself */
  g_ptr_array_remove_index (frames, frames->len - 1);
  return frames;
}

/* The events of one operation come to each stream in one frame, a JSON array in seq order
 * when there are several; each stream's holds what its agent may see. */
static void
test_burst_one_frame (void)
{
  g_autofree char *token = NULL;
  g_autofree char *agent = baton_test_new_agent (server, "Burst Bea", "agent", &token);
  g_autofree char *other_token = NULL;
  g_autofree char *other = baton_test_new_agent (server, "Burst Bo", "agent", &other_token);
  g_autofree char *conversation = new_conversation ();
  BatonTestStream *mine = open_stream (token, NULL);
  BatonTestStream *theirs = open_stream (other_token, NULL);
  g_autoptr(GPtrArray) skipped_mine = NULL;
  g_autoptr(GPtrArray) skipped_theirs = NULL;
  g_autoptr(GPtrArray) got_mine = NULL;
  g_autoptr(GPtrArray) got_theirs = NULL;
  guint read_mine = 0;
  guint read_theirs = 0;
  guint first_mine = 0;
  guint first_theirs = 0;
  JsonObject *notification = NULL;

  baton_test_set_barrier (server);
  skipped_mine = read_burst (mine, &read_mine, &first_mine);
  skipped_theirs = read_burst (theirs, &read_theirs, &first_theirs);

  baton_test_assign_to (server, conversation, agent);
  baton_test_set_barrier (server);
  got_mine = read_burst (mine, &read_mine, &first_mine);
  got_theirs = read_burst (theirs, &read_theirs, &first_theirs);

  /* the conversation's update and the notification of the assignment, for this agent only */
  g_assert_cmpuint (got_mine->len, >=, 2);
  assert_events (got_mine, 0);
  notification = find_event (got_mine, "notification", "conversation_id", conversation);
  g_assert_nonnull (notification);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (notification,
                                                                                 "data"),
                                                  "kind"), ==, "assigned");
  g_assert_cmpuint (count_type (got_theirs, "notification"), ==, 0);
  g_assert_cmpuint (got_theirs->len, ==, got_mine->len - 1);
  g_ptr_array_remove (got_mine, notification);
  assert_same_seqs (got_mine, got_theirs);
  /* one frame each (a barrier may share it): an array for the two of this agent */
  assert_one_frame (mine, first_mine, got_mine->len + 1);
  assert_one_frame (theirs, first_theirs, got_theirs->len);
  g_assert_cmpuint (g_array_index (mine->frame_lengths, guint, frame_of (mine, first_mine)), >=,
                    2);

  baton_test_stream_close (mine);
  baton_test_stream_close (theirs);
}

/* Live events committed while a stream replays (several slices of the log) follow the
 * replay: the stream gets what a live observer got, in order, nothing twice, no gap. */
static void
test_replay_then_live (void)
{
  g_autofree char *token = NULL;
  g_autofree char *agent = baton_test_new_agent (server, "Replay Ria", "agent", &token);
  g_autofree char *other = baton_test_new_agent (server, "Replay Rod", "agent", NULL);
  g_autofree char *conversation = new_conversation ();
  BatonTestStream *observer = open_stream (token, NULL);
  BatonTestStream *replayed = NULL;
  g_autoptr(GPtrArray) observed = NULL;
  g_autoptr(GPtrArray) got = NULL;
  g_autofree char *since = NULL;
  gint64 start = 0;

  baton_test_set_barrier (server);
  observed = baton_test_read_until_barrier (server, observer);
  start = seq_of (observed->pdata[observed->len - 1]);
  g_clear_pointer (&observed, g_ptr_array_unref);

  /* more than a replay slice (250) of this agent's events: updates and notifications */
  for (guint i = 0; i < 140; i++)
    baton_test_assign_to (server, conversation, i % 2 ? agent : other);
  since = g_strdup_printf ("%" G_GINT64_FORMAT, start);
  replayed = open_stream (token, since);
  for (guint i = 0; i < 20; i++)
    baton_test_assign_to (server, conversation, i % 2 ? agent : other);
  baton_test_set_barrier (server);

  observed = baton_test_read_until_barrier (server, observer);
  got = baton_test_read_until_barrier (server, replayed);
  g_assert_cmpuint (got->len, >, 250);
  assert_events (got, start);
  assert_same_seqs (got, observed);

  baton_test_stream_close (replayed);
  baton_test_stream_close (observer);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  server = baton_test_server_new ("--test-clock", NULL);
  channel_id = baton_test_create_channel (server, NULL, &channel_secret);

  g_test_add_func ("/stream/unauthorized", test_unauthorized);
  g_test_add_func ("/stream/live-events", test_live_events);
  g_test_add_func ("/stream/replay-since", test_replay_since);
  g_test_add_func ("/stream/reconnect-no-gap", test_reconnect_no_gap);
  g_test_add_func ("/stream/notifications-not-replayed", test_notifications_not_replayed);
  g_test_add_func ("/stream/resync-required", test_resync_required);
  g_test_add_func ("/stream/effective-online", test_effective_online);
  g_test_add_func ("/stream/ping-pong", test_ping_pong);
  g_test_add_func ("/stream/pong-while-database-waits", test_pong_while_database_waits);
  g_test_add_func ("/stream/removed-agent-closed", test_removed_agent_closed);
  g_test_add_func ("/stream/burst-one-frame", test_burst_one_frame);
  g_test_add_func ("/stream/replay-then-live", test_replay_then_live);

  status = baton_test_run (server);
  g_free (channel_id);
  g_free (channel_secret);
  return status;
}
