/* test-api-statements.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-test-graph.h"
#include "baton-test-helpers.h"

/* The SQL statements one inbound message costs, read from /metrics
 * (baton_store_statements_total): routing reads the directory (agents, teams, flows,
 * schedules, channels, settings) from memory, so a message runs a handful of statements
 * whatever the size of the team. */

#define N_AGENTS 20

/* The most statements an api message may run, HTTP handling included: one that starts a
 * conversation the round robin team assigns (its contact created, the thread written with
 * the message, the routing snapshot, the team, the assignee, the cursor, the activity line
 * and the events), and one that continues it. */
#define MAX_NEW_CONVERSATION 10
#define MAX_CONTINUED 8

/* The same through a signed WhatsApp webhook, which also finds the contact by its WhatsApp
 * ids, learns them, and checks that the message is not one delivered before. */
#define MAX_WHATSAPP_NEW 12
#define MAX_WHATSAPP_CONTINUED 10

#define SECRET "statements-app-secret"

/* each count is the least of this many */
#define MEASURES 3

static BatonTestServer *server;
static BatonGraphSandbox *graph;

/* The statements run between two reads of the counter, less those of the reads themselves
 * (measured with nothing between them). */
static gint64
statements_of (gint64 before,
               gint64 after,
               gint64 overhead)
{
  return after - before - overhead;
}

static void
test_statements_per_message (void)
{
  g_autoptr(GString) members = g_string_new (NULL);
  g_autoptr(GPtrArray) streams = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                 baton_test_stream_close);
  g_autofree char *team_body = NULL;
  g_autofree char *team = NULL;
  g_autofree char *channel_extra = NULL;
  g_autofree char *channel = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *warm_phone = baton_test_new_phone ();
  gint64 before;
  gint64 overhead;
  gint64 created = G_MAXINT64;
  gint64 continued = G_MAXINT64;
  gint64 inbound_before;
  gint64 messages_before;
  gint64 inbound;

  for (guint i = 0; i < N_AGENTS; i++)
    {
      g_autofree char *name = g_strdup_printf ("Statement Agent %u", i + 1);
      g_autofree char *token = NULL;
      g_autofree char *id = baton_test_new_agent (server, name, "agent", &token);

      g_ptr_array_add (streams, baton_test_stream_open (server, token, NULL, NULL));
      baton_test_wait_online (server, id);
      g_string_append_printf (members, "%s\"%s\"", i ? "," : "", id);
    }
  team_body = g_strdup_printf ("{\"name\":\"Statements\",\"strategy\":\"round_robin\","
                               "\"member_ids\":[%s]}", members->str);
  team = baton_test_create (server, "/api/v1/teams", team_body);
  channel_extra = g_strdup_printf ("\"default_team_id\":\"%s\"", team);
  channel = baton_test_create_channel (server, channel_extra, &secret);
  /* a first message from someone else: what is read once after a change is not counted */
  g_free (baton_test_customer_writes (server, channel, secret, warm_phone, NULL,
                                          "Warm up"));

  overhead = G_MAXINT64;
  for (guint i = 0; i < MEASURES; i++)
    {
      before = baton_test_get_metric (server, "baton_store_statements_total");
      overhead = MIN (overhead, baton_test_get_metric (server, "baton_store_statements_total")
                                - before);
    }
  inbound_before = baton_test_get_metric (server, "baton_inbound_statements_total");
  messages_before = baton_test_get_metric (server, "baton_inbound_messages_total");

  /* Counted between two reads of /metrics, where the node's own work (on PostgreSQL, its
   * beat and its look at other nodes' events) may fall too: the least of three. */
  for (guint i = 0; i < MEASURES; i++)
    {
      g_autofree char *phone = baton_test_new_phone ();
      g_autofree char *first = NULL;
      g_autofree char *second = NULL;
      g_autoptr(JsonNode) conversation = NULL;

      before = baton_test_get_metric (server, "baton_store_statements_total");
      first = baton_test_customer_writes (server, channel, secret, phone, NULL, "Hello");
      created = MIN (created, statements_of (before, baton_test_get_metric (
                                               server, "baton_store_statements_total"),
                                             overhead));
      conversation = baton_test_get_conversation (server, first);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                          json_node_get_object (conversation), "assignee_ids")), ==, 1);

      before = baton_test_get_metric (server, "baton_store_statements_total");
      second = baton_test_customer_writes (server, channel, secret, phone, NULL,
                                           "Still there?");
      continued = MIN (continued, statements_of (before, baton_test_get_metric (
                                                   server, "baton_store_statements_total"),
                                                 overhead));
      g_assert_cmpstr (second, ==, first);
    }

  g_test_message ("statements: %" G_GINT64_FORMAT " for a new conversation, %" G_GINT64_FORMAT
                  " for a continued one", created, continued);
  g_assert_cmpint (created, >, 0);
  g_assert_cmpint (created, <=, MAX_NEW_CONVERSATION);
  g_assert_cmpint (continued, >, 0);
  g_assert_cmpint (continued, <=, MAX_CONTINUED);

  /* /metrics shows what routing ran for them: all of it but the HTTP handling */
  g_assert_cmpint (baton_test_get_metric (server, "baton_inbound_messages_total")
                   - messages_before, ==, 2 * MEASURES);
  inbound = baton_test_get_metric (server, "baton_inbound_statements_total") - inbound_before;
  g_assert_cmpint (inbound, >, 0);
  g_assert_cmpint (inbound, <=, MEASURES * (created + continued));
  /* and the mean since batond started (the first messages read the directory), whole part */
  g_assert_cmpint (baton_test_get_metric (server, "baton_inbound_statements_per_message"), ==,
                   baton_test_get_metric (server, "baton_inbound_statements_total")
                   / baton_test_get_metric (server, "baton_inbound_messages_total"));
}

/* A customer's text through the webhook, processed: the statements routing ran for it. */
static gint64
whatsapp_statements (const char *number,
                     const char *from,
                     const char *text)
{
  static guint next_wamid;
  g_autofree char *wamid = g_strdup_printf ("wamid.STATEMENTS%u", ++next_wamid);
  g_autofree char *body = baton_test_text_webhook (number, from, wamid,
                                                   g_get_real_time () / G_USEC_PER_SEC, text);
  gint64 messages = baton_test_get_metric (server, "baton_inbound_messages_total");
  gint64 before = baton_test_get_metric (server, "baton_inbound_statements_total");

  g_assert_cmpuint (baton_test_post_signed_webhook (server, SECRET, body), ==, 200);
  baton_test_whatsapp_settle (server);
  g_assert_cmpint (baton_test_get_metric (server, "baton_inbound_messages_total"), ==,
                   messages + 1);
  return baton_test_get_metric (server, "baton_inbound_statements_total") - before;
}

static void
test_statements_per_webhook_message (void)
{
  g_autofree char *agent = baton_test_new_agent (server, "WhatsApp Agent", "agent", NULL);
  g_autofree char *team_body = g_strdup_printf ("{\"name\":\"WhatsApp statements\","
                                                "\"strategy\":\"round_robin\","
                                                "\"only_online\":false,"
                                                "\"member_ids\":[\"%s\"]}", agent);
  g_autofree char *team = baton_test_create (server, "/api/v1/teams", team_body);
  const char *number = "7000099901";
  g_autofree char *json = baton_test_strdup_printf_json ("{\"kind\":\"whatsapp\",\"name\":%s,"
                                                         "\"phone_number_id\":%s,"
                                                         "\"waba_id\":\"1234\","
                                                         "\"access_token\":\"good-token\","
                                                         "\"app_secret\":\"" SECRET "\","
                                                         "\"verify_token\":\"verify-me\","
                                                         "\"graph_base_url\":%s,"
                                                         "\"default_team_id\":%s}",
                                                         number, number,
                                                         baton_graph_sandbox_get_base_url (graph),
                                                         team);
  g_autoptr(JsonNode) channel = baton_test_expect (server, "POST", "/api/v1/channels",
                                                   server->manager_token, json, 201, NULL);
  gint64 created;
  gint64 continued;

  /* what is read once after a change is not counted */
  whatsapp_statements (number, "15550177001", "Warm up");
  created = whatsapp_statements (number, "15550177002", "Hello");
  continued = whatsapp_statements (number, "15550177002", "Still there?");
  g_test_message ("statements through WhatsApp: %" G_GINT64_FORMAT " for a new conversation, %"
                  G_GINT64_FORMAT " for a continued one", created, continued);
  g_assert_cmpint (created, >, 0);
  g_assert_cmpint (created, <=, MAX_WHATSAPP_NEW);
  g_assert_cmpint (continued, >, 0);
  g_assert_cmpint (continued, <=, MAX_WHATSAPP_CONTINUED);
}

/* The one agent a new customer of the channel gets. */
static char *
assignee_of_new_customer (const char  *channel,
                          const char  *secret,
                          JsonNode   **activity)
{
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *id = baton_test_customer_writes (server, channel, secret, phone, NULL, "Hi");
  g_autoptr(JsonNode) conversation = baton_test_get_conversation (server, id);
  JsonArray *assignees = json_object_get_array_member (json_node_get_object (conversation),
                                                       "assignee_ids");

  g_assert_cmpuint (json_array_get_length (assignees), ==, 1);
  if (activity)
    *activity = baton_test_latest_activity (server, id);
  return g_strdup (json_array_get_string_element (assignees, 0));
}

static void
patch (const char *path,
       const char *body)
{
  g_autoptr(JsonNode) node = baton_test_expect (server, "PATCH", path, server->manager_token,
                                                body, 200, NULL);
}

/* Routing reads the directory from memory: each change of a team, channel, agent or flow
 * reaches the next message. */
static void
test_directory_current (void)
{
  g_autofree char *ana = baton_test_new_agent (server, "Ana", "agent", NULL);
  g_autofree char *ben = baton_test_new_agent (server, "Ben", "agent", NULL);
  g_autofree char *cleo = baton_test_new_agent (server, "Cleo", "agent", NULL);
  g_autofree char *first_body = g_strdup_printf ("{\"name\":\"First\",\"only_online\":false,"
                                                 "\"member_ids\":[\"%s\"]}", ana);
  g_autofree char *second_body = g_strdup_printf ("{\"name\":\"Second\",\"only_online\":false,"
                                                  "\"member_ids\":[\"%s\"]}", cleo);
  g_autofree char *first = baton_test_create (server, "/api/v1/teams", first_body);
  g_autofree char *second = baton_test_create (server, "/api/v1/teams", second_body);
  g_autofree char *extra = g_strdup_printf ("\"default_team_id\":\"%s\"", first);
  g_autofree char *secret = NULL;
  g_autofree char *channel = baton_test_create_channel (server, extra, &secret);
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  g_autofree char *flow = NULL;
  g_autofree char *agent = NULL;
  g_autofree char *names_path = NULL;
  g_autoptr(JsonNode) activity = NULL;

  agent = assignee_of_new_customer (channel, secret, NULL);
  g_assert_cmpstr (agent, ==, ana);

  /* team.updated */
  path = g_strdup_printf ("/api/v1/teams/%s", first);
  body = g_strdup_printf ("{\"member_ids\":[\"%s\"]}", ben);
  patch (path, body);
  g_free (agent);
  agent = assignee_of_new_customer (channel, secret, NULL);
  g_assert_cmpstr (agent, ==, ben);

  /* channel.updated */
  g_free (path);
  path = g_strdup_printf ("/api/v1/channels/%s", channel);
  g_free (body);
  body = g_strdup_printf ("{\"default_team_id\":\"%s\"}", second);
  patch (path, body);
  /* agent.updated and team.updated: the activity line names them as they are now */
  g_free (path);
  path = g_strdup_printf ("/api/v1/agents/%s", cleo);
  patch (path, "{\"name\":\"Cleo Renamed\"}");
  g_free (path);
  path = g_strdup_printf ("/api/v1/teams/%s", second);
  patch (path, "{\"name\":\"Second Renamed\"}");
  g_free (agent);
  agent = assignee_of_new_customer (channel, secret, &activity);
  g_assert_cmpstr (agent, ==, cleo);
  names_path = g_strdup_printf ("activity.names.%s", cleo);
  g_assert_cmpstr (baton_test_get_string (activity, names_path), ==, "Cleo Renamed");
  g_free (names_path);
  names_path = g_strdup_printf ("activity.names.%s", second);
  g_assert_cmpstr (baton_test_get_string (activity, names_path), ==, "Second Renamed");

  /* flow.created */
  g_free (body);
  body = g_strdup_printf ("{\"name\":\"To Ana\",\"trigger\":{\"on\":\"conversation.created\","
                          "\"channel_ids\":[\"%s\"]},\"steps\":[{\"type\":\"assign_user\","
                          "\"user_id\":\"%s\"}]}", channel, ana);
  flow = baton_test_create (server, "/api/v1/flows", body);
  g_free (agent);
  agent = assignee_of_new_customer (channel, secret, NULL);
  g_assert_cmpstr (agent, ==, ana);
}

/* An api message finds its channel in the directory: a wrong secret is refused, and a
 * channel deleted since is gone. */
static void
test_channel_current (void)
{
  g_autofree char *secret = NULL;
  g_autofree char *channel = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *path = g_strdup_printf ("/api/v1/channels/%s", channel);
  const char *body = "{\"from\":\"+15550100999\",\"body\":\"Hi\"}";
  g_autoptr(JsonNode) refused = baton_test_inbound_expect (server, channel, "wrong", body, 401,
                                                           NULL);
  g_autoptr(JsonNode) deleted = baton_test_expect (server, "DELETE", path,
                                                   server->manager_token, NULL, 204, NULL);
  g_autoptr(JsonNode) gone = baton_test_inbound_expect (server, channel, secret, body, 404,
                                                        NULL);
}

/* Each member the event carries is the member the API reads back. */
static void
assert_published_as_stored (JsonObject *published,
                            JsonNode   *stored)
{
  JsonObject *object = json_node_get_object (stored);
  g_autoptr(GList) members = json_object_get_members (published);

  for (GList *l = members; l; l = l->next)
    if (json_object_has_member (object, l->data))
      {
        g_autofree char *event = json_to_string (json_object_get_member (published, l->data),
                                                 FALSE);
        g_autofree char *read = json_to_string (json_object_get_member (object, l->data), FALSE);

        g_assert_cmpstr (event, ==, read);
      }
}

static char *
frame_text (JsonObject *frame)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), frame);

  return json_to_string (node, FALSE);
}

static JsonNode *
stored_message (JsonNode   *messages,
                const char *id)
{
  JsonArray *items = json_object_get_array_member (json_node_get_object (messages), "items");

  for (guint i = 0; i < json_array_get_length (items); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (items, i),
                                                  "id"), id) == 0)
      return json_array_get_element (items, i);
  g_assert_not_reached ();
}

/* The frames of the stream up to a barrier; checks that the last conversation event for id
 * and each new message are as the API reads them back. The number of messages. */
static guint
check_published (BatonTestStream *stream,
                 const char      *id,
                 GPtrArray       *all,
                 gint64          *first_seq)
{
  g_autofree char *barrier = baton_test_barrier (server);
  g_autoptr(GPtrArray) frames = baton_test_stream_until_barrier (stream, barrier, 10000);
  g_autoptr(JsonNode) conversation = baton_test_get_conversation (server, id);
  g_autoptr(JsonNode) messages = baton_test_get (server, "/api/v1/conversations/%s/messages",
                                                 id);
  g_autoptr(JsonNode) contact = NULL;
  JsonObject *last_conversation = NULL;
  JsonObject *last_contact = NULL;
  const char *contact_id = baton_test_get_string (conversation, "contact.id");
  guint n_messages = 0;

  for (guint i = 0; i < frames->len; i++)
    {
      JsonObject *frame = frames->pdata[i];
      const char *type = json_object_get_string_member (frame, "type");
      JsonObject *data = json_object_get_object_member (frame, "data");

      g_ptr_array_add (all, frame_text (frame));
      if (*first_seq == 0)
        *first_seq = json_object_get_int_member (frame, "seq");
      if (g_str_has_prefix (type, "conversation.")
          && g_strcmp0 (json_object_get_string_member (data, "id"), id) == 0)
        last_conversation = data;
      if (g_str_equal (type, "contact.updated")
          && g_strcmp0 (json_object_get_string_member (data, "id"), contact_id) == 0)
        last_contact = data;
      if (g_str_equal (type, "message.created"))
        {
          assert_published_as_stored (data, stored_message (messages,
                                                            json_object_get_string_member
                                                              (data, "id")));
          n_messages++;
        }
    }
  g_assert_nonnull (last_conversation);
  assert_published_as_stored (last_conversation, conversation);
  /* the contact, new or writing again */
  g_assert_nonnull (last_contact);
  contact = baton_test_get_contact (server, contact_id);
  assert_published_as_stored (last_contact, contact);
  return n_messages;
}

/* What routing publishes without reading it back (the conversation after its activity line,
 * its new messages, a new contact) is what was stored, live and replayed from the log alike. */
static void
test_published_as_stored (void)
{
  g_autofree char *team_body = g_strdup_printf ("{\"name\":\"Published\","
                                                "\"only_online\":false,\"member_ids\":[\"%s\"]}",
                                                server->manager_id);
  g_autofree char *team = baton_test_create (server, "/api/v1/teams", team_body);
  g_autofree char *extra = g_strdup_printf ("\"default_team_id\":\"%s\"", team);
  g_autofree char *secret = NULL;
  g_autofree char *channel = baton_test_create_channel (server, extra, &secret);
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *id = NULL;
  g_autofree char *since = NULL;
  gint64 first_seq = 0;
  g_autoptr(GPtrArray) live = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) replayed = NULL;
  BatonTestStream *stream = baton_test_stream_open (server, server->manager_token, NULL, NULL);
  BatonTestStream *replay = NULL;
  g_autofree char *barrier = NULL;

  /* the customer's message and the assignment's activity line, then the next message */
  id = baton_test_customer_writes (server, channel, secret, phone, NULL, "Hello");
  g_assert_cmpuint (check_published (stream, id, live, &first_seq), ==, 2);
  g_free (baton_test_customer_writes (server, channel, secret, phone, NULL, "Still there?"));
  g_assert_cmpuint (check_published (stream, id, live, &first_seq), ==, 1);
  baton_test_stream_close (stream);

  barrier = baton_test_barrier (server);
  since = g_strdup_printf ("%" G_GINT64_FORMAT, first_seq - 1);
  replay = baton_test_stream_open (server, server->manager_token, since, NULL);
  replayed = baton_test_stream_until_barrier (replay, barrier, 10000);
  /* the same frames, and the last barrier */
  g_assert_cmpuint (replayed->len, ==, live->len + 1);
  for (guint i = 0; i < live->len; i++)
    {
      g_autofree char *text = frame_text (replayed->pdata[i]);

      g_assert_cmpstr (text, ==, live->pdata[i]);
    }
  baton_test_stream_close (replay);
}

/* Both counters between two reads of /metrics, less what the reads cost themselves. */
typedef struct {
  gint64 statements;
  gint64 round_trips;
} Cost;

static Cost
read_cost (void)
{
  return (Cost) { baton_test_get_metric (server, "baton_store_statements_total"),
                  baton_test_get_metric (server, "baton_store_round_trips_total") };
}

/* On PostgreSQL a routed message waits for the server once a statement and twice more (its
 * BEGIN and its COMMIT): its step's savepoint and release ride with the round trips there
 * are. SQLite has no server to wait for. */
static void
test_round_trips (void)
{
  g_autofree char *secret = NULL;
  g_autofree char *channel = baton_test_create_channel (server, NULL, &secret);
  gint64 overhead_statements = G_MAXINT64;
  gint64 overhead_round_trips = G_MAXINT64;
  gint64 statements = G_MAXINT64;
  gint64 round_trips = G_MAXINT64;

  g_free (baton_test_customer_writes (server, channel, secret, "+15550001000", NULL,
                                      "Warm up"));
  for (guint i = 0; i < MEASURES; i++)
    {
      Cost before = read_cost ();
      Cost after = read_cost ();

      overhead_statements = MIN (overhead_statements, after.statements - before.statements);
      overhead_round_trips = MIN (overhead_round_trips, after.round_trips - before.round_trips);
    }
  /* the least of three: the node's own work (its beat) may fall between two reads */
  for (guint i = 0; i < MEASURES; i++)
    {
      g_autofree char *phone = baton_test_new_phone ();
      Cost before = read_cost ();
      Cost after;

      g_free (baton_test_customer_writes (server, channel, secret, phone, NULL, "Hello"));
      after = read_cost ();
      statements = MIN (statements, after.statements - before.statements - overhead_statements);
      round_trips = MIN (round_trips,
                         after.round_trips - before.round_trips - overhead_round_trips);
    }
  g_test_message ("a message: %" G_GINT64_FORMAT " statements, %" G_GINT64_FORMAT
                  " round trips", statements, round_trips);
  g_assert_cmpint (statements, >, 0);
  if (server->database == NULL)
    {
      g_assert_cmpint (baton_test_get_metric (server, "baton_store_round_trips_total"), ==, 0);
      return;
    }
  g_assert_cmpint (round_trips, >, 0);
  g_assert_cmpint (round_trips, <=, statements + 2);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  /* the statements counted are batond's own, without the tests' check of its mirrors */
  g_unsetenv ("BATON_VERIFY_MIRRORS");
  graph = baton_test_graph_new ();
  server = baton_test_server_new (NULL);
  g_test_add_func ("/statements/per-message", test_statements_per_message);
  g_test_add_func ("/statements/per-webhook-message", test_statements_per_webhook_message);
  g_test_add_func ("/statements/directory-current", test_directory_current);
  g_test_add_func ("/statements/channel-current", test_channel_current);
  g_test_add_func ("/statements/published-as-stored", test_published_as_stored);
  g_test_add_func ("/statements/round-trips", test_round_trips);
  status = g_test_run ();
  baton_test_server_free (server);
  g_object_unref (graph);
  return status;
}
