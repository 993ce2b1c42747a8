/* test-api-statements.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-test-helpers.h"

/* The SQL statements one inbound message costs, read from /metrics
 * (baton_store_statements_total): routing reads the directory (agents, teams, flows,
 * schedules, channels, settings) from memory, so a message runs a handful of statements
 * whatever the size of the team. */

#define N_AGENTS 20

/* The most statements an api message may run, HTTP handling included: one that starts a
 * conversation the round robin team assigns, and one that continues it. */
#define MAX_NEW_CONVERSATION 23
#define MAX_CONTINUED 14

static BatonTestServer *server;

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
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *warm_phone = baton_test_new_phone ();
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autoptr(JsonNode) conversation = NULL;
  gint64 before;
  gint64 overhead;
  gint64 created;
  gint64 continued;

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

  before = baton_test_get_metric (server, "baton_store_statements_total");
  overhead = baton_test_get_metric (server, "baton_store_statements_total") - before;

  before = baton_test_get_metric (server, "baton_store_statements_total");
  first = baton_test_customer_writes (server, channel, secret, phone, NULL, "Hello");
  created = statements_of (before, baton_test_get_metric (server,
                                                          "baton_store_statements_total"),
                           overhead);
  conversation = baton_test_get_conversation (server, first);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (conversation), "assignee_ids")), ==, 1);

  before = baton_test_get_metric (server, "baton_store_statements_total");
  second = baton_test_customer_writes (server, channel, secret, phone, NULL, "Still there?");
  continued = statements_of (before, baton_test_get_metric (server,
                                                            "baton_store_statements_total"),
                             overhead);
  g_assert_cmpstr (second, ==, first);

  g_test_message ("statements: %" G_GINT64_FORMAT " for a new conversation, %" G_GINT64_FORMAT
                  " for a continued one", created, continued);
  g_assert_cmpint (created, >, 0);
  g_assert_cmpint (created, <=, MAX_NEW_CONVERSATION);
  g_assert_cmpint (continued, >, 0);
  g_assert_cmpint (continued, <=, MAX_CONTINUED);
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

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  server = baton_test_server_new (NULL);
  g_test_add_func ("/statements/per-message", test_statements_per_message);
  g_test_add_func ("/statements/directory-current", test_directory_current);
  g_test_add_func ("/statements/channel-current", test_channel_current);
  status = g_test_run ();
  baton_test_server_free (server);
  return status;
}
