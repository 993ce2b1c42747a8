/* test-cluster.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-test-graph.h"
#include "baton-test-helpers.h"
#include "baton-test-postgres.h"
#include "baton-test-server.h"

/* Several batond nodes on one PostgreSQL database (SCALE-OUT.md), as a load balancer
 * without sticky sessions spreads a workspace's clients over them. */

#define N_NODES 3

static BatonTestServer *nodes[N_NODES];
/* the nodes' --media-dir, one directory for all, as a shared mount would be */
static char *media_dir;

/* The seqs of the event frames, in the order received. */
static GArray *
frame_seqs (GPtrArray *frames)
{
  GArray *seqs = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < frames->len; i++)
    {
      gint64 seq = json_object_get_int_member (frames->pdata[i], "seq");

      g_array_append_val (seqs, seq);
    }
  return seqs;
}

static void
assert_same_seqs (GArray *a,
                  GArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    g_assert_cmpint (g_array_index (a, gint64, i), ==, g_array_index (b, gint64, i));
}

/* A file uploaded through one node is read through another. */
static void
test_media_shared (void)
{
  static const char text[] = "Terms and conditions, as a plain text file.";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, sizeof text - 1);
  g_autoptr(JsonNode) upload = baton_test_upload (nodes[0], nodes[0]->manager_token,
                                                  "terms.txt", "text/plain", bytes, 201, NULL);
  g_autofree char *path = g_strdup_printf ("/api/v1/attachments/%s",
                                           baton_test_get_string (upload, "id"));

  for (guint i = 1; i < N_NODES; i++)
    {
      g_autoptr(GBytes) read = NULL;
      g_autoptr(SoupMessage) msg = baton_test_send_raw (nodes[i], "GET", path,
                                                        nodes[i]->manager_token, NULL, &read);

      g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
      g_assert_true (g_bytes_equal (read, bytes));
    }
}

/* Failed sign-ins count on every node: ten spread over the nodes throttle the account on
 * all of them, the right password included. */
static void
test_sign_in_throttled (void)
{
  g_autofree char *id = baton_test_create_agent (nodes[0], "Throttled Theo", "theo@example.com",
                                                 "agent", NULL);
  g_autofree char *retry_after = NULL;

  for (guint i = 0; i < 10; i++)
    g_assert_cmpuint (baton_test_login_status (nodes[i % N_NODES], "theo@example.com",
                                               "wrong password", NULL, NULL, NULL), ==, 401);
  for (guint i = 0; i < N_NODES; i++)
    {
      g_clear_pointer (&retry_after, g_free);
      g_assert_cmpuint (baton_test_login_status (nodes[i], "theo@example.com",
                                                 BATON_TEST_PASSWORD, NULL, NULL, &retry_after),
                        ==, 429);
      g_assert_cmpint (g_ascii_strtoll (retry_after, NULL, 10), >, 0);
    }
}

/* Signing out on one node closes the session's streams on the others. */
static void
test_sign_out_everywhere (void)
{
  g_autofree char *token = NULL;
  g_autofree char *id = baton_test_new_agent (nodes[0], "Leaving Lea", "agent", &token);
  BatonTestStream *streams[N_NODES - 1];
  g_autoptr(JsonNode) out = NULL;

  for (guint i = 1; i < N_NODES; i++)
    streams[i - 1] = baton_test_stream_open (nodes[i], token, NULL, NULL);
  for (guint i = 1; i < N_NODES; i++)
    baton_test_wait_online (nodes[i], id);
  out = baton_test_expect (nodes[0], "POST", "/api/v1/auth/logout", token, NULL, 204, NULL);
  for (guint i = 1; i < N_NODES; i++)
    {
      g_assert_true (baton_test_stream_wait_closed (streams[i - 1], 10000));
      g_assert_cmpuint (streams[i - 1]->close_code, ==, 4401);
      baton_test_stream_close (streams[i - 1]);
    }
}

/* Customers write to every node in turn while a stream on each node listens: every stream
 * receives every event once, in one order, and a stream resumed on another node with since
 * continues it exactly. */
static void
test_one_order (void)
{
  BatonTestStream *streams[N_NODES];
  GArray *seqs[N_NODES] = { NULL };
  g_autofree char *secret = NULL;
  g_autofree char *channel = baton_test_create_channel (nodes[0], NULL, &secret);
  g_autofree char *barrier = NULL;
  g_autoptr(GPtrArray) resumed_frames = NULL;
  g_autoptr(GArray) resumed = NULL;
  g_autofree char *since = NULL;
  BatonTestStream *resumed_stream = NULL;
  const guint n_messages = 12;
  guint middle;

  for (guint i = 0; i < N_NODES; i++)
    streams[i] = baton_test_stream_open (nodes[i], nodes[i]->manager_token, NULL, NULL);
  /* each stream starts where its node was when it opened: compared from a common event */
  barrier = baton_test_barrier (nodes[0]);
  for (guint i = 0; i < N_NODES; i++)
    g_ptr_array_unref (baton_test_stream_until_barrier (streams[i], barrier, 10000));
  g_clear_pointer (&barrier, g_free);
  for (guint m = 0; m < n_messages; m++)
    {
      g_autofree char *phone = baton_test_new_phone ();
      g_autofree char *text = g_strdup_printf ("Message %u", m);

      g_free (baton_test_customer_writes (nodes[m % N_NODES], channel, secret, phone, NULL,
                                          text));
    }
  barrier = baton_test_barrier (nodes[1]);
  for (guint i = 0; i < N_NODES; i++)
    {
      g_autoptr(GPtrArray) frames = baton_test_stream_until_barrier (streams[i], barrier, 10000);

      seqs[i] = frame_seqs (frames);
      /* every message made its conversation and message events at least */
      g_assert_cmpuint (frames->len, >, 2 * n_messages);
      for (guint k = 1; k < seqs[i]->len; k++)
        g_assert_cmpint (g_array_index (seqs[i], gint64, k), >,
                         g_array_index (seqs[i], gint64, k - 1));
    }
  assert_same_seqs (seqs[0], seqs[1]);
  assert_same_seqs (seqs[0], seqs[2]);

  /* resumed on another node from the middle: the rest, nothing before, nothing twice */
  middle = seqs[0]->len / 2;
  since = g_strdup_printf ("%" G_GINT64_FORMAT, g_array_index (seqs[0], gint64, middle));
  resumed_stream = baton_test_stream_open (nodes[2], nodes[2]->manager_token, since, NULL);
  resumed_frames = baton_test_stream_until_barrier (resumed_stream, barrier, 10000);
  resumed = frame_seqs (resumed_frames);
  g_assert_cmpuint (resumed->len, ==, seqs[0]->len - middle - 1);
  for (guint k = 0; k < resumed->len; k++)
    g_assert_cmpint (g_array_index (resumed, gint64, k), ==,
                     g_array_index (seqs[0], gint64, middle + 1 + k));

  baton_test_stream_close (resumed_stream);
  for (guint i = 0; i < N_NODES; i++)
    {
      baton_test_stream_close (streams[i]);
      g_array_unref (seqs[i]);
    }
}

static char *
team_of (BatonTestServer *node,
         const char      *conversation_id)
{
  g_autoptr(JsonNode) conversation = baton_test_get_conversation (node, conversation_id);

  return g_strdup (baton_test_get_string (conversation, "team_id"));
}

/* A node routes with the directory as another node just left it: a channel's default team
 * changed on one node is the next message's team on the others at once, though they had
 * read the channel before. */
static void
test_directory_current (void)
{
  g_autofree char *first_team = baton_test_create (nodes[0], "/api/v1/teams",
                                                   "{\"name\":\"Cluster first\"}");
  g_autofree char *second_team = baton_test_create (nodes[1], "/api/v1/teams",
                                                    "{\"name\":\"Cluster second\"}");
  g_autofree char *extra = g_strdup_printf ("\"default_team_id\":\"%s\"", first_team);
  g_autofree char *secret = NULL;
  g_autofree char *channel = baton_test_create_channel (nodes[0], extra, &secret);
  const char *teams[2] = { first_team, second_team };

  for (guint round = 0; round < 4; round++)
    {
      BatonTestServer *editor = nodes[round % N_NODES];
      const char *team = teams[(round + 1) % 2];
      g_autofree char *path = g_strdup_printf ("/api/v1/channels/%s", channel);
      g_autofree char *body = g_strdup_printf ("{\"default_team_id\":\"%s\"}", team);

      /* every node reads the channel as it is */
      for (guint i = 0; i < N_NODES; i++)
        {
          g_autofree char *phone = baton_test_new_phone ();
          g_autofree char *conversation = baton_test_customer_writes (nodes[i], channel, secret,
                                                                      phone, NULL, "Before");
          g_autofree char *expected = team_of (nodes[i], conversation);

          g_assert_cmpstr (expected, ==, teams[round % 2]);
        }
      json_node_unref (baton_test_expect (editor, "PATCH", path, editor->manager_token, body,
                                          200, NULL));
      /* and at once as edited, on every node */
      for (guint i = 0; i < N_NODES; i++)
        {
          g_autofree char *phone = baton_test_new_phone ();
          g_autofree char *conversation = baton_test_customer_writes (nodes[i], channel, secret,
                                                                      phone, NULL, "After");
          g_autofree char *routed = team_of (nodes[(i + 1) % N_NODES], conversation);

          g_assert_cmpstr (routed, ==, team);
        }
    }
}

/* An agent of each node: signed in there, their stream open there, online on every node. */
typedef struct {
  char *id;
  char *token;
  BatonTestStream *stream;
} NodeAgent;

static void
node_agents_open (NodeAgent  *agents,
                  const char *prefix)
{
  for (guint i = 0; i < N_NODES; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s %u", prefix, i + 1);

      /* a session is the workspace's: signed in on one node, it serves on any */
      agents[i].id = baton_test_new_agent (nodes[0], name, "agent", &agents[i].token);
      agents[i].stream = baton_test_stream_open (nodes[i], agents[i].token, NULL, NULL);
    }
  for (guint i = 0; i < N_NODES; i++)
    for (guint n = 0; n < N_NODES; n++)
      baton_test_wait_online (nodes[n], agents[i].id);
}

static void
node_agents_close (NodeAgent *agents)
{
  for (guint i = 0; i < N_NODES; i++)
    {
      baton_test_stream_close (agents[i].stream);
      g_free (agents[i].id);
      g_free (agents[i].token);
    }
}

/* An agent of each node (named prefix 1, 2, 3) in a round robin team (team_extra: more of
 * its JSON, or NULL), the default team of a new api channel: returns the channel's id, and
 * its secret in *secret. */
static char *
team_channel (NodeAgent   *agents,
              const char  *prefix,
              const char  *team_extra,
              char       **secret)
{
  g_autofree char *body = NULL;
  g_autofree char *team = NULL;
  g_autofree char *extra = NULL;

  node_agents_open (agents, prefix);
  body = g_strdup_printf ("{\"name\":\"%s\",\"strategy\":\"round_robin\","
                          "\"member_ids\":[\"%s\",\"%s\",\"%s\"]%s}", prefix, agents[0].id,
                          agents[1].id, agents[2].id, team_extra ? team_extra : "");
  team = baton_test_create (nodes[1], "/api/v1/teams", body);
  extra = g_strdup_printf ("\"default_team_id\":\"%s\"", team);
  return baton_test_create_channel (nodes[0], extra, secret);
}

typedef struct {
  guint pending;
  /* the conversations of the messages acknowledged (202) */
  GPtrArray *conversations;
  /* a node may die meanwhile: a request it did not answer is not acknowledged */
  gboolean node_may_die;
} Burst;

static void
inbound_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Burst *burst = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              &error);
  g_autoptr(JsonParser) parser = json_parser_new ();

  burst->pending--;
  if (burst->node_may_die && (error || soup_message_get_status (msg) != 202))
    return;
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 202);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                             (gssize) g_bytes_get_size (body), NULL));
  g_ptr_array_add (burst->conversations,
                   g_strdup (baton_test_get_string (json_parser_get_root (parser),
                                                    "conversation_id")));
}

/* n customers write at once, spread over the nodes. */
static void
burst_start (Burst      *burst,
             const char *channel,
             const char *secret,
             guint       n)
{
  burst->conversations = g_ptr_array_new_with_free_func (g_free);
  for (guint m = 0; m < n; m++)
    {
      BatonTestServer *node = nodes[m % N_NODES];
      g_autofree char *url = g_strdup_printf ("%s/api/v1/channels/%s/inbound", node->url,
                                              channel);
      g_autofree char *phone = baton_test_new_phone ();
      g_autofree char *json = baton_test_strdup_printf_json ("{\"from\":%s,\"body\":%s}", phone,
                                                             "At once");
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
      g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));

      soup_message_headers_replace (soup_message_get_request_headers (msg),
                                    "X-Baton-Channel-Secret", secret);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
      soup_session_send_and_read_async (node->session, msg, G_PRIORITY_DEFAULT, NULL,
                                        inbound_done_cb, burst);
      burst->pending++;
    }
}

static void
burst_wait (Burst *burst)
{
  while (burst->pending > 0)
    g_main_context_iteration (NULL, TRUE);
}

/* n customers write at once, spread over the nodes; returns their conversations. */
static GPtrArray *
customers_write_at_once (const char *channel,
                         const char *secret,
                         guint       n)
{
  Burst burst = { 0 };

  burst_start (&burst, channel, secret, n);
  burst_wait (&burst);
  return burst.conversations;
}

/* The conversation's assignees, as node reads them. */
static char *
assignees_of (BatonTestServer *node,
              const char      *conversation_id)
{
  g_autoptr(JsonNode) conversation = baton_test_get_conversation (node, conversation_id);
  JsonArray *ids = json_object_get_array_member (json_node_get_object (conversation),
                                                 "assignee_ids");
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (ids); i++)
    g_string_append_printf (text, "%s%s", i ? "," : "", json_array_get_string_element (ids, i));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The same request sent to every node at once: the statuses answered, in node order. */
typedef struct {
  guint pending;
  guint statuses[N_NODES];
  char *bodies[N_NODES];
} Race;

typedef struct {
  Race *race;
  guint node;
} RaceEntry;

static void
race_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  RaceEntry *entry = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              &error);

  g_assert_no_error (error);
  entry->race->statuses[entry->node] = soup_message_get_status (msg);
  entry->race->bodies[entry->node] = g_strndup (g_bytes_get_data (body, NULL),
                                                g_bytes_get_size (body));
  entry->race->pending--;
}

/* tokens[i] signs the request to node i (NULL: none); header, when not NULL, is
 * "Name: value". */
static void
race (Race        *result,
      const char  *method,
      const char  *path,
      const char  *tokens[N_NODES],
      const char  *header,
      const char  *body)
{
  RaceEntry entries[N_NODES];

  memset (result, 0, sizeof *result);
  for (guint i = 0; i < N_NODES; i++)
    {
      g_autofree char *url = g_strconcat (nodes[i]->url, path, NULL);
      g_autoptr(SoupMessage) msg = soup_message_new (method, url);
      SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

      entries[i] = (RaceEntry) { result, i };
      if (tokens && tokens[i])
        {
          g_autofree char *bearer = g_strconcat ("Bearer ", tokens[i], NULL);

          soup_message_headers_replace (headers, "Authorization", bearer);
        }
      if (header)
        {
          g_auto(GStrv) parts = g_strsplit (header, ": ", 2);

          soup_message_headers_replace (headers, parts[0], parts[1]);
        }
      if (body)
        {
          g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

          soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
        }
      soup_session_send_and_read_async (nodes[i]->session, msg, G_PRIORITY_DEFAULT, NULL,
                                        race_done_cb, &entries[i]);
      result->pending++;
    }
  while (result->pending > 0)
    g_main_context_iteration (NULL, TRUE);
}

static void
race_clear (Race *result)
{
  for (guint i = 0; i < N_NODES; i++)
    g_clear_pointer (&result->bodies[i], g_free);
}

static guint
race_count (Race  *result,
            guint  status)
{
  guint n = 0;

  for (guint i = 0; i < N_NODES; i++)
    n += result->statuses[i] == status;
  return n;
}

/* Every node's answer names what the first node's does (member of each body): that one,
 * parsed. */
static JsonNode *
race_same_answers (Race       *result,
                   const char *member)
{
  JsonNode *first = json_from_string (result->bodies[0], NULL);

  for (guint i = 1; i < N_NODES; i++)
    {
      g_autoptr(JsonNode) other = json_from_string (result->bodies[i], NULL);

      g_assert_cmpstr (baton_test_get_string (other, member), ==,
                       baton_test_get_string (first, member));
    }
  return first;
}

/* "Assign to me" from three agents on three nodes at once: one wins, the others are told
 * someone else holds it. */
static void
test_claim_race (void)
{
  NodeAgent agents[N_NODES];
  g_autofree char *secret = NULL;
  g_autofree char *channel = baton_test_create_channel (nodes[0], NULL, &secret);
  const char *tokens[N_NODES];

  node_agents_open (agents, "Claimer");
  for (guint i = 0; i < N_NODES; i++)
    tokens[i] = agents[i].token;
  for (guint round = 0; round < 5; round++)
    {
      g_autofree char *phone = baton_test_new_phone ();
      g_autofree char *conversation = baton_test_customer_writes (nodes[round % N_NODES],
                                                                  channel, secret, phone, NULL,
                                                                  "Anyone?");
      g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/claim", conversation);
      g_autofree char *assignees = NULL;
      Race result;
      guint winner = N_NODES;

      race (&result, "POST", path, tokens, NULL, NULL);
      g_assert_cmpuint (race_count (&result, 200), ==, 1);
      g_assert_cmpuint (race_count (&result, 409), ==, N_NODES - 1);
      for (guint i = 0; i < N_NODES; i++)
        if (result.statuses[i] == 200)
          winner = i;
      assignees = assignees_of (nodes[(winner + 1) % N_NODES], conversation);
      g_assert_cmpstr (assignees, ==, agents[winner].id);
      race_clear (&result);
    }
  node_agents_close (agents);
}

/* The same inbound message (its external_id) posted to every node at once is stored once:
 * one 202, the repeats 200 with the same ids. */
static void
test_external_id_once (void)
{
  g_autofree char *secret = NULL;
  g_autofree char *channel = baton_test_create_channel (nodes[0], NULL, &secret);
  g_autofree char *path = g_strdup_printf ("/api/v1/channels/%s/inbound", channel);
  g_autofree char *header = g_strconcat ("X-Baton-Channel-Secret: ", secret, NULL);

  for (guint round = 0; round < 5; round++)
    {
      g_autofree char *phone = baton_test_new_phone ();
      g_autofree char *body = g_strdup_printf ("{\"from\":\"%s\",\"body\":\"Once\","
                                               "\"external_id\":\"ext-%u\"}", phone, round);
      g_autoptr(JsonNode) first = NULL;
      g_autofree char *messages = NULL;
      g_autoptr(JsonNode) list = NULL;
      Race result;

      race (&result, "POST", path, NULL, header, body);
      g_assert_cmpuint (race_count (&result, 202), ==, 1);
      g_assert_cmpuint (race_count (&result, 200), ==, N_NODES - 1);
      first = race_same_answers (&result, "message_id");
      messages = g_strdup_printf ("/api/v1/conversations/%s/messages",
                                  baton_test_get_string (first, "conversation_id"));
      list = baton_test_get (nodes[2], "%s", messages);
      g_assert_cmpint (baton_test_get_int (list, "items.#"), ==, 1);
      race_clear (&result);
    }
}

/* The same reply (its client_id) written through every node at once is created once. */
static void
test_reply_once (void)
{
  g_autofree char *secret = NULL;
  g_autofree char *channel = baton_test_create_channel (nodes[0], NULL, &secret);
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *conversation = baton_test_customer_writes (nodes[1], channel, secret, phone,
                                                              NULL, "Hello?");
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/messages", conversation);
  const char *tokens[N_NODES];
  g_autoptr(JsonNode) list = NULL;

  for (guint i = 0; i < N_NODES; i++)
    tokens[i] = nodes[i]->manager_token;
  for (guint round = 0; round < 5; round++)
    {
      g_autofree char *body = g_strdup_printf ("{\"body\":\"Answer %u\","
                                               "\"client_id\":\"reply-%u\"}", round, round);
      g_autoptr(JsonNode) created = NULL;
      Race result;

      race (&result, "POST", path, tokens, NULL, body);
      g_assert_cmpuint (race_count (&result, 201), ==, 1);
      g_assert_cmpuint (race_count (&result, 200), ==, N_NODES - 1);
      created = race_same_answers (&result, "id");
      race_clear (&result);
    }
  /* five answers, each once (beside the customer's message and activity lines) */
  list = baton_test_get (nodes[2], "/api/v1/conversations/%s/messages?limit=100", conversation);
  {
    JsonArray *items = json_object_get_array_member (json_node_get_object (list), "items");
    guint answers = 0;

    for (guint i = 0; i < json_array_get_length (items); i++)
      {
        JsonObject *item = json_array_get_object_element (items, i);

        answers += g_str_has_prefix (json_object_get_string_member_with_default (item, "body",
                                                                                 ""),
                                     "Answer ");
      }
    g_assert_cmpuint (answers, ==, 5);
  }
}

/* The assignees of the conversation.created events up to the barrier, in order. */
static GPtrArray *
assignees_in_order (BatonTestStream *stream,
                    const char      *barrier)
{
  g_autoptr(GPtrArray) frames = baton_test_stream_until_barrier (stream, barrier, 20000);
  GPtrArray *assignees = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < frames->len; i++)
    {
      JsonObject *frame = frames->pdata[i];
      JsonObject *data = json_object_get_object_member (frame, "data");
      JsonArray *ids = NULL;

      if (!g_str_equal (json_object_get_string_member (frame, "type"), "conversation.created"))
        continue;
      ids = json_object_get_array_member (data, "assignee_ids");
      g_ptr_array_add (assignees, g_strdup (json_array_get_length (ids) > 0
                                            ? json_array_get_string_element (ids, 0) : ""));
    }
  return assignees;
}

/* Round robin across nodes: customers write to all nodes at once, members are online on
 * different nodes, and the picks still go first to last, then back to the first. */
static void
test_round_robin (void)
{
  NodeAgent agents[N_NODES];
  g_autofree char *secret = NULL;
  g_autofree char *channel = NULL;
  g_autofree char *barrier = NULL;
  g_autoptr(GPtrArray) conversations = NULL;
  g_autoptr(GPtrArray) assignees = NULL;
  BatonTestStream *watcher = baton_test_stream_open (nodes[2], nodes[2]->manager_token, NULL,
                                                     NULL);
  const guint n = 30;

  channel = team_channel (agents, "Round", NULL, &secret);
  conversations = customers_write_at_once (channel, secret, n);
  g_assert_cmpuint (conversations->len, ==, n);
  barrier = baton_test_barrier (nodes[0]);
  assignees = assignees_in_order (watcher, barrier);
  g_assert_cmpuint (assignees->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (assignees->pdata[i], ==, agents[i % N_NODES].id);

  baton_test_stream_close (watcher);
  node_agents_close (agents);
}

/* max_active_per_agent across nodes: never more than the limit each, the rest queued. */
static void
test_capacity (void)
{
  NodeAgent agents[N_NODES];
  g_autofree char *secret = NULL;
  g_autofree char *channel = NULL;
  g_autoptr(GPtrArray) conversations = NULL;
  g_autoptr(GHashTable) loads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint queued = 0;

  channel = team_channel (agents, "Capacity", ",\"max_active_per_agent\":2", &secret);
  conversations = customers_write_at_once (channel, secret, 12);
  for (guint i = 0; i < conversations->len; i++)
    {
      g_autoptr(JsonNode) conversation = baton_test_get_conversation (nodes[i % N_NODES],
                                                                      conversations->pdata[i]);
      JsonArray *ids = json_object_get_array_member (json_node_get_object (conversation),
                                                     "assignee_ids");
      const char *agent = NULL;
      guint load;

      if (json_array_get_length (ids) == 0)
        {
          queued++;
          continue;
        }
      g_assert_cmpuint (json_array_get_length (ids), ==, 1);
      agent = json_array_get_string_element (ids, 0);
      load = GPOINTER_TO_UINT (g_hash_table_lookup (loads, agent)) + 1;
      g_assert_cmpuint (load, <=, 2);
      g_hash_table_insert (loads, g_strdup (agent), GUINT_TO_POINTER (load));
    }
  g_assert_cmpuint (queued, ==, 12 - 2 * N_NODES);
  g_assert_cmpuint (g_hash_table_size (loads), ==, N_NODES);
  node_agents_close (agents);
}

#define APP_SECRET "cluster-app-secret"

/* A WhatsApp number on graph, created through the first node. */
static void
create_whatsapp_channel (BatonGraphSandbox *graph,
                         const char        *number)
{
  g_autofree char *json = baton_test_strdup_printf_json (
    "{\"kind\":\"whatsapp\",\"name\":%s,\"phone_number_id\":%s,\"waba_id\":\"4321\","
    "\"access_token\":\"good-token\",\"app_secret\":%s,\"verify_token\":\"verify-me\","
    "\"graph_base_url\":%s}", number, number, APP_SECRET,
    baton_graph_sandbox_get_base_url (graph));

  json_node_unref (baton_test_expect (nodes[0], "POST", "/api/v1/channels",
                                      nodes[0]->manager_token, json, 201, NULL));
}

/* A customer's WhatsApp text through node's webhook; returns the conversation id. */
static char *
whatsapp_customer_writes (BatonTestServer *node,
                          const char      *number,
                          const char      *from,
                          const char      *text)
{
  static guint next_wamid;
  g_autofree char *wamid = g_strdup_printf ("wamid.CLUSTER%u", ++next_wamid);
  g_autofree char *body = baton_test_text_webhook (number, from, wamid,
                                                   g_get_real_time () / G_USEC_PER_SEC, text);
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations?q=%%2B%s", from);
  g_autoptr(JsonNode) list = NULL;

  g_assert_cmpuint (baton_test_post_signed_webhook (node, APP_SECRET, body), ==, 200);
  baton_test_whatsapp_settle (node);
  list = baton_test_expect (node, "GET", path, node->manager_token, NULL, 200, NULL);
  g_assert_cmpint (baton_test_get_int (list, "items.#"), ==, 1);
  return g_strdup (baton_test_get_string (list, "items.0.id"));
}

static gint64
deliveries_processed (void)
{
  gint64 total = 0;

  for (guint i = 0; i < N_NODES; i++)
    total += baton_test_get_metric (nodes[i], "baton_whatsapp_deliveries_processed_total");
  return total;
}

/* A customer's webhooks reach every node in turn: each is processed once, by one node, in
 * the order they were acknowledged. */
static void
test_webhooks_once (void)
{
  g_autoptr(BatonGraphSandbox) graph = baton_test_graph_new ();
  const char *number = "7100000002";
  g_autofree char *conversation = NULL;
  g_autofree char *messages_path = NULL;
  g_autoptr(JsonNode) messages = NULL;
  gint64 processed_before = deliveries_processed ();
  const guint n = 12;

  create_whatsapp_channel (graph, number);
  for (guint m = 0; m < n; m++)
    {
      g_autofree char *wamid = g_strdup_printf ("wamid.ORDER%u", m);
      g_autofree char *text = g_strdup_printf ("Part %02u", m);
      g_autofree char *body = baton_test_text_webhook (number, "15550002001", wamid,
                                                       g_get_real_time () / G_USEC_PER_SEC,
                                                       text);

      g_assert_cmpuint (baton_test_post_signed_webhook (nodes[m % N_NODES], APP_SECRET, body),
                        ==, 200);
    }
  baton_test_whatsapp_settle (nodes[0]);
  conversation = whatsapp_customer_writes (nodes[1], number, "15550002001", "Last");
  messages_path = g_strdup_printf ("/api/v1/conversations/%s/messages?limit=100",
                                   conversation);
  messages = baton_test_get (nodes[2], "%s", messages_path);
  g_assert_cmpint (baton_test_get_int (messages, "items.#"), ==, n + 1);
  /* newest first */
  for (guint m = 0; m < n; m++)
    {
      g_autofree char *member = g_strdup_printf ("items.%u.body", n - m);
      g_autofree char *text = g_strdup_printf ("Part %02u", m);

      g_assert_cmpstr (baton_test_get_string (messages, member), ==, text);
    }
  g_assert_cmpint (deliveries_processed () - processed_before, ==, n + 1);
}

/* Meta delivers one webhook twice, to every node at once: one message. */
static void
test_webhook_dedupe (void)
{
  g_autoptr(BatonGraphSandbox) graph = baton_test_graph_new ();
  const char *number = "7100000004";
  g_autofree char *body = baton_test_text_webhook (number, "15550004001", "wamid.TWICE1",
                                                   g_get_real_time () / G_USEC_PER_SEC,
                                                   "Sent once");
  g_autofree char *signature = baton_test_webhook_signature (APP_SECRET, body, strlen (body));
  g_autofree char *header = g_strconcat ("X-Hub-Signature-256: ", signature, NULL);
  g_autofree char *conversation = NULL;
  g_autoptr(JsonNode) messages = NULL;
  Race result;

  create_whatsapp_channel (graph, number);
  race (&result, "POST", "/webhooks/whatsapp", NULL, header, body);
  g_assert_cmpuint (race_count (&result, 200), ==, N_NODES);
  race_clear (&result);
  baton_test_whatsapp_settle (nodes[0]);
  conversation = whatsapp_customer_writes (nodes[2], number, "15550004001", "Then this");
  messages = baton_test_get (nodes[1], "/api/v1/conversations/%s/messages?limit=100",
                             conversation);
  g_assert_cmpint (baton_test_get_int (messages, "items.#"), ==, 2);
}

/* Replies written on every node, to a slow Graph API, each node also looking for work the
 * others queued: each reply is sent once. */
static void
test_outbox_once (void)
{
  g_autoptr(BatonGraphSandbox) graph = baton_test_graph_new ();
  const char *number = "7100000001";
  g_autofree char *path = g_strdup_printf ("/%s/messages", number);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  const char *conversations[2];
  g_autoptr(GHashTable) sent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const guint n = 12;

  create_whatsapp_channel (graph, number);
  first = whatsapp_customer_writes (nodes[1], number, "15550001001", "Hi");
  second = whatsapp_customer_writes (nodes[2], number, "15550001002", "Hello");
  conversations[0] = first;
  conversations[1] = second;
  /* each answer takes a while: a node's sends are in flight while the others look */
  baton_graph_sandbox_set_delay (graph, 150);
  for (guint r = 0; r < n; r++)
    {
      BatonTestServer *node = nodes[r % N_NODES];
      g_autofree char *reply_path = g_strdup_printf ("/api/v1/conversations/%s/messages",
                                                     conversations[r % 2]);
      g_autofree char *body = g_strdup_printf ("{\"body\":\"Reply %u\"}", r);

      json_node_unref (baton_test_expect (node, "POST", reply_path, node->manager_token, body,
                                          201, NULL));
    }
  g_assert_true (baton_graph_sandbox_wait (graph, "POST", path, n, 30000));
  /* every node has looked at the outbox again meanwhile */
  g_usleep (3 * G_USEC_PER_SEC);
  g_assert_cmpuint (baton_graph_sandbox_count (graph, "POST", path), ==, n);
  for (guint i = 0; i < n; i++)
    {
      const BatonGraphSandboxRequest *request = baton_graph_sandbox_find (graph, "POST", path,
                                                                          i);
      g_autoptr(JsonNode) payload = baton_graph_sandbox_request_json (request);

      g_assert_true (g_hash_table_add (sent, g_strdup (baton_test_get_string (payload,
                                                                              "text.body"))));
    }
  g_assert_cmpuint (g_hash_table_size (sent), ==, n);
}

/* Moves the live nodes' clocks forward. One at a time, so by steps well under the grace
 * period (60 s), each step beaten by every node (a beat comes every 2 to 3 s): otherwise a
 * node ahead would take one behind for dead. */
static void
advance_clocks (gint64 seconds)
{
  while (seconds > 0)
    {
      gint64 step = MIN (seconds, 20);

      for (guint i = 0; i < N_NODES; i++)
        if (nodes[i]->process)
          baton_test_advance_clock (nodes[i], step);
      seconds -= step;
      g_usleep (3500 * 1000);
    }
}

/* WhatsApp holds a number (130429) after a send from one node: the others wait too, though
 * a reply to another customer was written on one of them. */
static void
test_number_held_everywhere (void)
{
  g_autoptr(BatonGraphSandbox) graph = baton_test_graph_new ();
  const char *number = "7100000003";
  g_autofree char *path = g_strdup_printf ("/%s/messages", number);
  g_autofree char *ana = NULL;
  g_autofree char *ben = NULL;
  g_autofree char *to_ana = NULL;
  g_autofree char *to_ben = NULL;

  create_whatsapp_channel (graph, number);
  ana = whatsapp_customer_writes (nodes[0], number, "15550003001", "Hi");
  ben = whatsapp_customer_writes (nodes[1], number, "15550003002", "Hello");
  to_ana = g_strdup_printf ("/api/v1/conversations/%s/messages", ana);
  to_ben = g_strdup_printf ("/api/v1/conversations/%s/messages", ben);
  baton_test_graph_push_send_error (graph, number, 400, "67-api-error-130429-throughput.json");
  json_node_unref (baton_test_expect (nodes[0], "POST", to_ana, nodes[0]->manager_token,
                                      "{\"body\":\"For Ana\"}", 201, NULL));
  g_assert_true (baton_graph_sandbox_wait (graph, "POST", path, 1, 5000));
  g_usleep (300 * 1000);
  /* written on another node, and every node looks at the outbox meanwhile: held */
  json_node_unref (baton_test_expect (nodes[1], "POST", to_ben, nodes[1]->manager_token,
                                      "{\"body\":\"For Ben\"}", 201, NULL));
  g_usleep (500 * 1000);
  g_assert_cmpuint (baton_graph_sandbox_count (graph, "POST", path), ==, 1);
  /* once the hold (2 s, the clocks running) is over, both are sent */
  g_assert_true (baton_graph_sandbox_wait (graph, "POST", path, 3, 10000));
}


/* A no-reply timer armed on a node that then dies runs on another. */
static void
test_timer_of_dead_node (void)
{
  NodeAgent agents[N_NODES];
  g_autofree char *secret = NULL;
  g_autofree char *channel = NULL;
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *conversation = NULL;
  g_autofree char *first = NULL;
  gint64 deadline;

  channel = team_channel (agents, "Timer", ",\"reassign_after_minutes\":1", &secret);
  /* routed, and its timer armed, on the node about to die */
  conversation = baton_test_customer_writes (nodes[0], channel, secret, phone, NULL, "Hello?");
  first = assignees_of (nodes[1], conversation);
  g_assert_cmpstr (first, ==, agents[0].id);

  baton_test_server_kill (nodes[0]);
  advance_clocks (61);
  deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  for (;;)
    {
      g_autofree char *now = assignees_of (nodes[1], conversation);

      if (g_strcmp0 (now, agents[1].id) == 0)
        break;
      if (g_get_monotonic_time () > deadline)
        g_error ("Still assigned to %s, not %s", now, agents[1].id);
      g_usleep (50000);
    }
  /* the dead node's agent: held until the grace ended, no longer, on every node */
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (baton_test_is_online (nodes[2], agents[0].id))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (50000);
    }

  baton_test_server_start (nodes[0]);
  node_agents_close (agents);
}

/* Until the stream ends or stays silent for a second. */
static GArray *
seqs_until_silent (BatonTestStream *stream)
{
  GArray *seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  JsonObject *frame = NULL;

  while ((frame = baton_test_stream_next (stream, 1000)) != NULL)
    {
      gint64 seq = json_object_get_int_member (frame, "seq");

      g_array_append_val (seqs, seq);
      json_object_unref (frame);
    }
  return seqs;
}

/* A node SIGKILLed while customers write to every node: each message acknowledged is stored
 * and assigned once, and a client of the dead node resumes on another with since, missing
 * nothing and receiving nothing twice. */
static void
test_node_killed_in_burst (void)
{
  NodeAgent agents[N_NODES];
  g_autofree char *secret = NULL;
  g_autofree char *channel = NULL;
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  g_autofree char *since = NULL;
  g_autoptr(GPtrArray) watched = NULL;
  g_autoptr(GPtrArray) resumed_frames = NULL;
  g_autoptr(GArray) expected = NULL;
  g_autoptr(GArray) before = NULL;
  g_autoptr(GArray) after = NULL;
  g_autoptr(GHashTable) created = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  BatonTestStream *watcher = baton_test_stream_open (nodes[2], nodes[2]->manager_token, NULL,
                                                     NULL);
  BatonTestStream *victim = baton_test_stream_open (nodes[0], nodes[0]->manager_token, NULL,
                                                    NULL);
  BatonTestStream *resumed = NULL;
  Burst burst = { .node_may_die = TRUE };

  channel = team_channel (agents, "Burst", NULL, &secret);
  start = baton_test_barrier (nodes[1]);
  g_ptr_array_unref (baton_test_stream_until_barrier (watcher, start, 10000));
  g_ptr_array_unref (baton_test_stream_until_barrier (victim, start, 10000));

  burst_start (&burst, channel, secret, 150);
  while (burst.conversations->len < 30)
    g_main_context_iteration (NULL, TRUE);
  baton_test_server_kill (nodes[0]);
  burst_wait (&burst);
  g_assert_cmpuint (burst.conversations->len, >=, 30);

  /* what the dead node's client had, then the rest from another node */
  before = seqs_until_silent (victim);
  g_assert_true (victim->closed);
  g_assert_cmpuint (before->len, >, 0);
  since = g_strdup_printf ("%" G_GINT64_FORMAT, g_array_index (before, gint64, before->len - 1));
  resumed = baton_test_stream_open (nodes[1], nodes[1]->manager_token, since, NULL);
  end = baton_test_barrier (nodes[1]);
  watched = baton_test_stream_until_barrier (watcher, end, 20000);
  expected = frame_seqs (watched);
  resumed_frames = baton_test_stream_until_barrier (resumed, end, 20000);
  after = frame_seqs (resumed_frames);
  g_array_append_vals (before, after->data, after->len);
  assert_same_seqs (before, expected);

  /* every acknowledged message: its conversation created once, with one assignee */
  for (guint i = 0; i < watched->len; i++)
    {
      JsonObject *frame = watched->pdata[i];
      JsonObject *data = json_object_get_object_member (frame, "data");

      if (!g_str_equal (json_object_get_string_member (frame, "type"), "conversation.created"))
        continue;
      g_assert_true (g_hash_table_add (created,
                                       g_strdup (json_object_get_string_member (data, "id"))));
    }
  for (guint i = 0; i < burst.conversations->len; i++)
    {
      g_autofree char *assignees = assignees_of (nodes[1], burst.conversations->pdata[i]);

      g_assert_true (g_hash_table_contains (created, burst.conversations->pdata[i]));
      g_assert_null (strchr (assignees, ','));
      g_assert_cmpstr (assignees, !=, "");
    }

  g_ptr_array_unref (burst.conversations);
  baton_test_stream_close (resumed);
  baton_test_stream_close (victim);
  baton_test_stream_close (watcher);
  baton_test_server_start (nodes[0]);
  node_agents_close (agents);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  if (!baton_test_postgres_available ())
    return 77;
  g_setenv ("BATON_TEST_STORE", "postgresql", TRUE);
  media_dir = g_dir_make_tmp ("baton-media-XXXXXX", NULL);
  g_assert_nonnull (media_dir);
  /* the clocks move by hand, all together (advance_clocks) */
  nodes[0] = baton_test_server_new ("--node-id", "node-1", "--test-clock", "--media-dir",
                                    media_dir, NULL);
  for (guint i = 1; i < N_NODES; i++)
    {
      g_autofree char *id = g_strdup_printf ("node-%u", i + 1);

      nodes[i] = baton_test_server_new_node (nodes[0], "--node-id", id, "--test-clock",
                                             "--media-dir", media_dir, NULL);
    }
  g_test_add_func ("/cluster/one-order", test_one_order);
  g_test_add_func ("/cluster/media-shared", test_media_shared);
  g_test_add_func ("/cluster/sign-in-throttled", test_sign_in_throttled);
  g_test_add_func ("/cluster/sign-out-everywhere", test_sign_out_everywhere);
  g_test_add_func ("/cluster/directory-current", test_directory_current);
  g_test_add_func ("/cluster/round-robin", test_round_robin);
  g_test_add_func ("/cluster/capacity", test_capacity);
  g_test_add_func ("/cluster/claim-race", test_claim_race);
  g_test_add_func ("/cluster/external-id-once", test_external_id_once);
  g_test_add_func ("/cluster/reply-once", test_reply_once);
  g_test_add_func ("/cluster/outbox-once", test_outbox_once);
  g_test_add_func ("/cluster/webhooks-once", test_webhooks_once);
  g_test_add_func ("/cluster/webhook-dedupe", test_webhook_dedupe);
  g_test_add_func ("/cluster/number-held-everywhere", test_number_held_everywhere);
  /* last: a node is killed, then started again */
  g_test_add_func ("/cluster/timer-of-dead-node", test_timer_of_dead_node);
  g_test_add_func ("/cluster/node-killed-in-burst", test_node_killed_in_burst);
  status = g_test_run ();
  for (guint i = 0; i < N_NODES; i++)
    baton_test_server_free (nodes[i]);
  baton_test_remove_tree (media_dir);
  g_free (media_dir);
  return status;
}
