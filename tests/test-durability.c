/* test-durability.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-test-helpers.h"
#include "baton-test-postgres.h"

#define BURST 400
#define CLIENTS 4
#define CONTACTS 5

static BatonTestServer *server;
static char *channel_id;
static char *channel_secret;

/* Helpers */

static void
assert_increasing (GPtrArray *frames,
                   gint64     after)
{
  gint64 last = after;

  for (guint i = 0; i < frames->len; i++)
    {
      gint64 seq = json_object_get_int_member (frames->pdata[i], "seq");

      g_assert_cmpint (seq, >, last);
      last = seq;
    }
}

/* All message ids of a conversation. */
static GHashTable *
message_ids (const char *conversation_id)
{
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *before = NULL;

  do
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/messages?limit=500%s%s",
                                               conversation_id, before ? "&before=" : "",
                                               before ? before : "");
      g_autoptr(JsonNode) page = baton_test_expect (server, "GET", path, server->manager_token,
                                                    NULL, 200, NULL);
      JsonArray *items = json_object_get_array_member (json_node_get_object (page), "items");

      for (guint i = 0; i < json_array_get_length (items); i++)
        g_hash_table_add (ids, g_strdup (json_object_get_string_member (
                                           json_array_get_object_element (items, i), "id")));
      g_clear_pointer (&before, g_free);
      before = g_strdup (baton_test_get_string (page, "next_cursor"));
    }
  while (before);
  return ids;
}

/* The burst: BURST customer messages from CLIENTS clients at once, batond killed with
 * SIGKILL once kill_after of them were acknowledged. */

typedef struct {
  char *json;
  SoupMessage *msg;
  guint status;
  char *message_id;
  char *conversation_id;
} Inbound;

typedef struct {
  Inbound items[BURST];
  guint answered;
  guint acknowledged;
} Burst;

static void
inbound_sent_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Inbound *inbound = user_data;
  Burst *burst = g_object_get_data (source, "burst");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              &error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root = NULL;

  burst->answered++;
  /* A request the kill cut short was never acknowledged. */
  if (body == NULL)
    return;
  inbound->status = soup_message_get_status (inbound->msg);
  if (!SOUP_STATUS_IS_SUCCESSFUL (inbound->status))
    return;
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                             (gssize) g_bytes_get_size (body), NULL));
  root = json_parser_get_root (parser);
  inbound->message_id = g_strdup (baton_test_get_string (root, "message_id"));
  inbound->conversation_id = g_strdup (baton_test_get_string (root, "conversation_id"));
  g_assert_nonnull (inbound->message_id);
  g_assert_nonnull (inbound->conversation_id);
  burst->acknowledged++;
}

static void
burst_free (Burst *burst)
{
  for (guint i = 0; i < BURST; i++)
    {
      g_free (burst->items[i].json);
      g_free (burst->items[i].message_id);
      g_free (burst->items[i].conversation_id);
      g_clear_object (&burst->items[i].msg);
    }
  g_free (burst);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Burst, burst_free)

static void
send_inbound (SoupSession *session,
              const char  *url,
              Inbound     *inbound)
{
  g_autoptr(GBytes) bytes = g_bytes_new (inbound->json, strlen (inbound->json));

  inbound->msg = soup_message_new ("POST", url);
  soup_message_headers_replace (soup_message_get_request_headers (inbound->msg),
                                "X-Baton-Channel-Secret", channel_secret);
  soup_message_set_request_body_from_bytes (inbound->msg, "application/json", bytes);
  soup_session_send_and_read_async (session, inbound->msg, G_PRIORITY_DEFAULT, NULL,
                                    inbound_sent_cb, inbound);
}

/* How a burst ends: batond killed, or the database crashed under it (then batond too). */
typedef enum {
  KILL_BATOND,
  CRASH_DATABASE,
} Kill;

static void
kill_at (Kill kill)
{
  g_autoptr(GError) error = NULL;

  if (kill == CRASH_DATABASE)
    {
      g_assert_true (baton_test_postgres_crash (&error));
      g_assert_no_error (error);
    }
  baton_test_server_kill (server);
}

/* Sends the burst round the clients, kills at kill_after acknowledgements and starts batond
 * again. */
static Burst *
burst_and_kill (const char *name,
                guint       kill_after,
                Kill        kill)
{
  g_autofree char *url = g_strdup_printf ("%s/api/v1/channels/%s/inbound", server->url,
                                          channel_id);
  SoupSession *clients[CLIENTS];
  Burst *burst = g_new0 (Burst, 1);
  guint unanswered_at_kill = 0;
  gboolean killed = FALSE;

  for (guint c = 0; c < CLIENTS; c++)
    {
      clients[c] = soup_session_new_with_options ("timeout", 30, "max-conns-per-host", 8, NULL);
      g_object_set_data (G_OBJECT (clients[c]), "burst", burst);
    }
  for (guint i = 0; i < BURST; i++)
    {
      g_autofree char *phone = g_strdup_printf ("+1777000%04u", i % CONTACTS);
      g_autofree char *external_id = g_strdup_printf ("%s-%04u", name, i);
      g_autofree char *text = g_strdup_printf ("Burst %s message %u", name, i);

      burst->items[i].json = baton_test_strdup_printf_json (
        "{\"from\":%s,\"name\":%s,\"body\":%s,\"external_id\":%s}", phone, phone, text,
        external_id);
      send_inbound (clients[i % CLIENTS], url, &burst->items[i]);
    }
  while (burst->answered < BURST)
    {
      g_main_context_iteration (NULL, TRUE);
      if (!killed && burst->acknowledged >= kill_after)
        {
          unanswered_at_kill = BURST - burst->answered;
          kill_at (kill);
          killed = TRUE;
        }
    }
  for (guint c = 0; c < CLIENTS; c++)
    g_object_unref (clients[c]);
  g_assert_true (killed);
  g_assert_cmpuint (unanswered_at_kill, >, 0);
  g_assert_cmpuint (burst->acknowledged, >=, kill_after);
  g_assert_cmpuint (burst->acknowledged, <, BURST);
  g_test_message ("%u acknowledged, %u not yet answered at the kill", burst->acknowledged,
                  unanswered_at_kill);
  baton_test_server_start (server);
  return burst;
}

/* Every acknowledged message is in its conversation, and sent again (same external_id) it
 * is 200 with the ids first given, and no new message. */
static void
assert_acknowledged_kept (Burst *burst)
{
  g_autoptr(GHashTable) conversations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                               (GDestroyNotify)
                                                               g_hash_table_unref);

  for (guint i = 0; i < BURST; i++)
    {
      Inbound *inbound = &burst->items[i];
      g_autoptr(JsonNode) again = NULL;
      GHashTable *ids = NULL;

      if (inbound->message_id == NULL)
        continue;
      g_assert_cmpuint (inbound->status, ==, 202);
      again = baton_test_inbound_expect (server, channel_id, channel_secret, inbound->json, 200,
                                         NULL);
      g_assert_cmpstr (baton_test_get_string (again, "message_id"), ==, inbound->message_id);
      g_assert_cmpstr (baton_test_get_string (again, "conversation_id"), ==,
                       inbound->conversation_id);
      ids = g_hash_table_lookup (conversations, inbound->conversation_id);
      if (ids == NULL)
        {
          ids = message_ids (inbound->conversation_id);
          g_hash_table_insert (conversations, g_strdup (inbound->conversation_id), ids);
        }
      g_assert_true (g_hash_table_contains (ids, inbound->message_id));
    }
  g_assert_cmpuint (g_hash_table_size (conversations), ==, CONTACTS);
}

/* The log kept the events of every committed message, and goes on after them. */
static void
assert_log_kept (Burst  *burst,
                 gint64  seq_before)
{
  g_autoptr(GHashTable) created_events = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *since = g_strdup_printf ("%" G_GINT64_FORMAT, seq_before);
  g_autoptr(GPtrArray) replayed = NULL;
  gint64 seq_after = baton_test_current_seq (server);
  BatonTestStream *stream = NULL;

  g_assert_cmpint (seq_after, >=, seq_before + burst->acknowledged);
  stream = baton_test_stream_open (server, server->manager_token, since, NULL);
  g_assert_nonnull (stream);
  baton_test_set_barrier (server);
  replayed = baton_test_read_until_barrier (server, stream);
  assert_increasing (replayed, seq_before);
  for (guint i = 0; i < replayed->len; i++)
    {
      JsonObject *frame = replayed->pdata[i];

      if (g_str_equal (json_object_get_string_member (frame, "type"), "message.created"))
        g_hash_table_add (created_events,
                          (gpointer) json_object_get_string_member (
                            json_object_get_object_member (frame, "data"), "id"));
    }
  for (guint i = 0; i < BURST; i++)
    if (burst->items[i].message_id)
      g_assert_true (g_hash_table_contains (created_events, burst->items[i].message_id));
  /* The barrier just made comes after everything the killed server wrote. */
  g_assert_cmpint (json_object_get_int_member (replayed->pdata[replayed->len - 1], "seq"), >,
                   seq_after);
  baton_test_stream_close (stream);
}

/* Customer messages from several clients in flight by the dozen; SIGKILL early, midway or
 * late in the burst; every message that was acknowledged is there after the restart, once. */
static void
test_kill_during_burst (gconstpointer data)
{
  guint kill_after = GPOINTER_TO_UINT (data);
  g_autofree char *name = g_strdup_printf ("kill-at-%u", kill_after);
  gint64 seq_before = baton_test_current_seq (server);
  g_autoptr(Burst) burst = burst_and_kill (name, kill_after, KILL_BATOND);

  assert_acknowledged_kept (burst);
  assert_log_kept (burst, seq_before);
}

/* PostgreSQL crashing mid-burst loses what its log buffers held: the commits of messages
 * not yet acknowledged, never one that was (the durability barrier flushed it first). */
static void
test_database_crash_during_burst (void)
{
  gint64 seq_before = baton_test_current_seq (server);
  g_autoptr(Burst) burst = burst_and_kill ("database-crash", 150, CRASH_DATABASE);

  assert_acknowledged_kept (burst);
  assert_log_kept (burst, seq_before);
}

/* SIGTERM: batond exits 0 and everything is there after the restart, the event log
 * included. */
static void
test_clean_shutdown (void)
{
  g_autofree char *token = NULL;
  g_autofree char *agent = baton_test_create_agent (server, "Durable Dana",
                                                    "durable@example.com", "agent", &token);
  g_autofree char *conversation_id = baton_test_inbound (server, channel_id, channel_secret,
                                                         "+17770009999", "Before the stop");
  g_autofree char *conversation_path = g_strdup_printf ("/api/v1/conversations/%s",
                                                        conversation_id);
  g_autofree char *messages_path = g_strdup_printf ("/api/v1/conversations/%s/messages",
                                                    conversation_id);
  g_autofree char *tags_path = g_strdup_printf ("/api/v1/conversations/%s/tags",
                                                conversation_id);
  g_autofree char *since = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) conversation_before = NULL;
  g_autoptr(JsonNode) messages_before = NULL;
  g_autoptr(JsonNode) conversation_after = NULL;
  g_autoptr(JsonNode) messages_after = NULL;
  g_autoptr(GPtrArray) recorded = NULL;
  g_autoptr(GPtrArray) replayed = NULL;
  BatonTestStream *stream = baton_test_stream_open (server, server->manager_token, NULL, NULL);
  gint64 seq_before;
  gint64 first_recorded;

  g_assert_nonnull (stream);
  node = baton_test_expect (server, "POST", messages_path, token, "{\"body\":\"Reply\"}", 201,
                            NULL);
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "PUT", tags_path, token, "{\"tags\":[\"kept\"]}", 200,
                            NULL);
  baton_test_set_barrier (server);
  recorded = baton_test_read_until_barrier (server, stream);
  first_recorded = json_object_get_int_member (recorded->pdata[0], "seq");
  conversation_before = baton_test_expect (server, "GET", conversation_path, token, NULL, 200,
                                           NULL);
  messages_before = baton_test_expect (server, "GET", messages_path, token, NULL, 200, NULL);
  seq_before = baton_test_current_seq (server);

  /* An open stream does not keep batond from stopping cleanly. */
  baton_test_server_stop (server);
  baton_test_stream_close (stream);
  baton_test_server_start (server);

  /* Tokens outlive the restart; the conversation and its thread are as they were. */
  conversation_after = baton_test_expect (server, "GET", conversation_path, token, NULL, 200,
                                          NULL);
  messages_after = baton_test_expect (server, "GET", messages_path, token, NULL, 200, NULL);
  g_assert_true (json_node_equal (conversation_before, conversation_after));
  g_assert_true (json_node_equal (messages_before, messages_after));
  g_assert_cmpstr (baton_test_get_string (conversation_after, "assignee_ids.0"), ==, agent);
  g_assert_cmpstr (baton_test_get_string (conversation_after, "tags.0"), ==, "kept");
  g_assert_cmpint (baton_test_current_seq (server), >=, seq_before);

  /* The log replays across the restart with the same numbers, then continues above them. */
  since = g_strdup_printf ("%" G_GINT64_FORMAT, first_recorded - 1);
  stream = baton_test_stream_open (server, server->manager_token, since, NULL);
  g_assert_nonnull (stream);
  replayed = baton_test_read_until_barrier (server, stream);
  g_assert_cmpuint (replayed->len, ==, recorded->len);
  for (guint i = 0; i < recorded->len; i++)
    {
      g_autoptr(JsonNode) a = json_node_init_object (json_node_alloc (), recorded->pdata[i]);
      g_autoptr(JsonNode) b = json_node_init_object (json_node_alloc (), replayed->pdata[i]);

      g_assert_true (json_node_equal (a, b));
    }
  g_clear_pointer (&replayed, g_ptr_array_unref);
  baton_test_set_barrier (server);
  replayed = baton_test_read_until_barrier (server, stream);
  assert_increasing (replayed, seq_before);
  baton_test_stream_close (stream);
}

/* A supervisor may stop batond as soon as it says it listens: it still stops cleanly
 * (baton_test_server_stop asserts exit status 0). */
static void
test_stopped_at_once (void)
{
  for (guint i = 0; i < 5; i++)
    {
      baton_test_server_stop (server);
      baton_test_server_start (server);
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  server = baton_test_server_new (NULL);
  channel_id = baton_test_create_channel (server, NULL, &channel_secret);

  g_test_add_data_func ("/durability/kill-during-burst/early", GUINT_TO_POINTER (40),
                        test_kill_during_burst);
  g_test_add_data_func ("/durability/kill-during-burst/midway", GUINT_TO_POINTER (150),
                        test_kill_during_burst);
  g_test_add_data_func ("/durability/kill-during-burst/late", GUINT_TO_POINTER (300),
                        test_kill_during_burst);
  g_test_add_func ("/durability/clean-shutdown", test_clean_shutdown);
  g_test_add_func ("/durability/stopped-at-once", test_stopped_at_once);
  if (baton_test_postgres_wanted ())
    g_test_add_func ("/durability/database-crash-during-burst",
                     test_database_crash_during_burst);

  status = baton_test_run (server);
  g_free (channel_id);
  g_free (channel_secret);
  return status;
}
