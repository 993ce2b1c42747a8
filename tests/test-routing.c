/* test-routing.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-test-helpers.h"

/* Team strategies at work in the server (ASSIGNMENT.md §3): agents are online through live
 * event streams, customers write through the api channel, and the picks are read back. */

static BatonTestServer *server;
static guint n_agents;

typedef struct {
  char *id;
  char *token;
  BatonTestStream *stream;
} Agent;

static Agent *
agent_new (gboolean online)
{
  Agent *agent = g_new0 (Agent, 1);
  g_autofree char *name = g_strdup_printf ("Agent %u", ++n_agents);

  agent->id = baton_test_new_agent (server, name, "agent", &agent->token);
  if (online)
    {
      agent->stream = baton_test_stream_open (server, agent->token, NULL, NULL);
      g_assert_nonnull (agent->stream);
    }
  return agent;
}

static void
agent_free (Agent *agent)
{
  baton_test_stream_close (agent->stream);
  g_free (agent->id);
  g_free (agent->token);
  g_free (agent);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Agent, agent_free)

static char *
create_team (const char *json_format,
             ...)
{
  g_autofree char *body = NULL;
  va_list args;

  va_start (args, json_format);
  body = g_strdup_vprintf (json_format, args);
  va_end (args);
  return baton_test_create (server, "/api/v1/teams", body);
}

static char *
channel_for_team (const char *team_id,
                  char      **secret)
{
  g_autofree char *extra = g_strdup_printf ("\"default_team_id\":\"%s\"", team_id);

  return baton_test_create_channel (server, extra, secret);
}

/* A new customer writes; returns the conversation as routing left it. */
static JsonNode *
new_customer (const char *channel,
              const char *secret)
{
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *id = baton_test_inbound (server, channel, secret, phone, "Hello");

  return baton_test_get_conversation (server, id);
}

static const char *
sole_assignee (JsonNode *conversation)
{
  JsonArray *ids = json_object_get_array_member (json_node_get_object (conversation),
                                                 "assignee_ids");

  if (json_array_get_length (ids) == 0)
    return NULL;
  g_assert_cmpuint (json_array_get_length (ids), ==, 1);
  return json_array_get_string_element (ids, 0);
}

static void
test_round_robin (void)
{
  g_autoptr(Agent) ana = agent_new (TRUE);
  g_autoptr(Agent) ben = agent_new (TRUE);
  g_autoptr(Agent) cleo = agent_new (TRUE);
  g_autofree char *team = create_team ("{\"name\":\"Round\",\"strategy\":\"round_robin\","
                                       "\"member_ids\":[\"%s\",\"%s\",\"%s\"]}",
                                       ana->id, ben->id, cleo->id);
  g_autofree char *secret = NULL;
  g_autofree char *channel = channel_for_team (team, &secret);
  const char *expected[] = { ana->id, ben->id, cleo->id, ana->id, cleo->id, ana->id, cleo->id };

  baton_test_wait_online (server, ana->id);
  baton_test_wait_online (server, ben->id);
  baton_test_wait_online (server, cleo->id);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(JsonNode) conversation = NULL;
      g_autoptr(JsonNode) activity = NULL;

      /* From the fifth on, Ben is away: skipped without losing his place for later. */
      if (i == 4)
        baton_test_set_availability (server, ben->token, "away");
      conversation = new_customer (channel, secret);
      g_assert_cmpstr (sole_assignee (conversation), ==, expected[i]);
      g_assert_cmpstr (baton_test_get_string (conversation, "team_id"), ==, team);
      activity = baton_test_latest_activity (server, baton_test_get_string (conversation, "id"));
      g_assert_cmpstr (baton_test_get_string (activity, "activity.via"), ==, "team:round_robin");
    }
  /* Ben is back: the member after the last pick (Cleo) is Ana, then Ben's turn comes. */
  baton_test_set_availability (server, ben->token, "online");
  {
    g_autoptr(JsonNode) first = new_customer (channel, secret);
    g_autoptr(JsonNode) second = new_customer (channel, secret);

    g_assert_cmpstr (sole_assignee (first), ==, ana->id);
    g_assert_cmpstr (sole_assignee (second), ==, ben->id);
  }
  {
    JsonObject *notification = baton_test_stream_wait (ana->stream, "notification", "assigned",
                                                       5000);

    g_assert_nonnull (notification);
    json_object_unref (notification);
  }
}

static void
test_least_busy_manual_team (void)
{
  g_autoptr(Agent) dina = agent_new (TRUE);
  g_autoptr(Agent) eli = agent_new (TRUE);
  g_autofree char *team = create_team ("{\"name\":\"Busy\",\"strategy\":\"least_busy\","
                                       "\"member_ids\":[\"%s\",\"%s\"]}", dina->id, eli->id);
  g_autofree char *secret = NULL;
  g_autofree char *channel = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *body = g_strdup_printf ("{\"team_id\":\"%s\"}", team);

  baton_test_wait_online (server, dina->id);
  baton_test_wait_online (server, eli->id);
  /* Dina holds two conversations, Eli one: handing three more to the team by hand goes to
   * Eli, then alternates as loads even out. */
  for (int i = 0; i < 3; i++)
    {
      g_autoptr(JsonNode) conversation = new_customer (channel, secret);

      baton_test_assign_to (server, baton_test_get_string (conversation, "id"),
                            i < 2 ? dina->id : eli->id);
    }
  for (int i = 0; i < 3; i++)
    {
      g_autoptr(JsonNode) conversation = new_customer (channel, secret);
      g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/assignment",
                                               baton_test_get_string (conversation, "id"));
      g_autoptr(JsonNode) handed = baton_test_expect (server, "PUT", path, eli->token, body,
                                                      200, NULL);
      g_autoptr(JsonNode) activity =
        baton_test_latest_activity (server, baton_test_get_string (handed, "id"));

      /* Loads 2/1 → Eli; 2/2 → the one assigned least recently (Dina); 3/2 → Eli. */
      g_assert_cmpstr (sole_assignee (handed), ==, i == 1 ? dina->id : eli->id);
      g_assert_cmpstr (baton_test_get_string (activity, "activity.via"), ==, "team:least_busy");
      g_assert_cmpstr (baton_test_get_string (activity, "activity.actor.id"), ==, eli->id);
    }
}

/* Every team pick keeps the strategy's cursor the same way (ASSIGNMENT.md §3): a member a
 * least-busy team picked on a manual handover is where round robin goes on from once the
 * manager switches the team's strategy. */
static void
test_cursor_kept_by_every_pick (void)
{
  g_autoptr(Agent) ana = agent_new (TRUE);
  g_autoptr(Agent) ben = agent_new (TRUE);
  g_autofree char *team = create_team ("{\"name\":\"Switch\",\"strategy\":\"least_busy\","
                                       "\"member_ids\":[\"%s\",\"%s\"]}", ana->id, ben->id);
  g_autofree char *secret = NULL;
  g_autofree char *channel = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *routed_secret = NULL;
  g_autofree char *routed = channel_for_team (team, &routed_secret);
  g_autofree char *team_path = g_strdup_printf ("/api/v1/teams/%s", team);
  g_autofree char *hand_over = g_strdup_printf ("{\"team_id\":\"%s\"}", team);
  g_autoptr(JsonNode) held = new_customer (channel, secret);
  g_autoptr(JsonNode) handed = new_customer (channel, secret);
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(JsonNode) switched = NULL;
  g_autoptr(JsonNode) next = NULL;
  g_autofree char *path = NULL;

  baton_test_wait_online (server, ana->id);
  baton_test_wait_online (server, ben->id);
  /* Ben is busier, so the handover goes to Ana. */
  baton_test_assign_to (server, baton_test_get_string (held, "id"), ben->id);
  path = g_strdup_printf ("/api/v1/conversations/%s/assignment",
                          baton_test_get_string (handed, "id"));
  after = baton_test_expect (server, "PUT", path, server->manager_token, hand_over, 200, NULL);
  g_assert_cmpstr (sole_assignee (after), ==, ana->id);

  switched = baton_test_expect (server, "PATCH", team_path, server->manager_token,
                                "{\"strategy\":\"round_robin\"}", 200, NULL);
  g_assert_cmpstr (baton_test_get_string (switched, "strategy"), ==, "round_robin");
  next = new_customer (routed, routed_secret);
  g_assert_cmpstr (sole_assignee (next), ==, ben->id);
}

static void
test_default_user_and_backup (void)
{
  g_autoptr(Agent) main_user = agent_new (TRUE);
  g_autoptr(Agent) backup = agent_new (TRUE);
  g_autofree char *team = create_team ("{\"name\":\"Key accounts\",\"strategy\":"
                                       "\"default_user\",\"member_ids\":[\"%s\",\"%s\"],"
                                       "\"default_user_id\":\"%s\",\"backup_user_id\":\"%s\"}",
                                       main_user->id, backup->id, main_user->id, backup->id);
  g_autofree char *secret = NULL;
  g_autofree char *channel = channel_for_team (team, &secret);
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) activity = NULL;

  baton_test_wait_online (server, main_user->id);
  baton_test_wait_online (server, backup->id);
  first = new_customer (channel, secret);
  g_assert_cmpstr (sole_assignee (first), ==, main_user->id);
  baton_test_set_availability (server, main_user->token, "away");
  second = new_customer (channel, secret);
  g_assert_cmpstr (sole_assignee (second), ==, backup->id);
  activity = baton_test_latest_activity (server, baton_test_get_string (second, "id"));
  g_assert_cmpstr (baton_test_get_string (activity, "activity.via"), ==, "team:backup_user");
}

static void
test_only_online_and_capacity (void)
{
  g_autoptr(Agent) offline = agent_new (FALSE);
  g_autoptr(Agent) online = agent_new (TRUE);
  g_autofree char *strict = create_team ("{\"name\":\"Strict\",\"member_ids\":[\"%s\"]}",
                                         offline->id);
  g_autofree char *relaxed = create_team ("{\"name\":\"Relaxed\",\"only_online\":false,"
                                          "\"member_ids\":[\"%s\"]}", offline->id);
  g_autofree char *capped = create_team ("{\"name\":\"Capped\",\"max_active_per_agent\":1,"
                                         "\"member_ids\":[\"%s\"]}", online->id);
  g_autofree char *strict_secret = NULL, *relaxed_secret = NULL, *capped_secret = NULL;
  g_autofree char *strict_channel = channel_for_team (strict, &strict_secret);
  g_autofree char *relaxed_channel = channel_for_team (relaxed, &relaxed_secret);
  g_autofree char *capped_channel = channel_for_team (capped, &capped_secret);
  g_autoptr(JsonNode) queued = NULL;
  g_autoptr(JsonNode) anyway = NULL;
  g_autoptr(JsonNode) fits = NULL;
  g_autoptr(JsonNode) full = NULL;

  baton_test_wait_online (server, online->id);
  queued = new_customer (strict_channel, strict_secret);
  g_assert_null (sole_assignee (queued));
  g_assert_cmpstr (baton_test_get_string (queued, "team_id"), ==, strict);
  anyway = new_customer (relaxed_channel, relaxed_secret);
  g_assert_cmpstr (sole_assignee (anyway), ==, offline->id);

  fits = new_customer (capped_channel, capped_secret);
  g_assert_cmpstr (sole_assignee (fits), ==, online->id);
  full = new_customer (capped_channel, capped_secret);
  g_assert_null (sole_assignee (full));
  g_assert_cmpstr (baton_test_get_string (full, "team_id"), ==, capped);
  {
    /* Nobody got it: the team hears of a new conversation. */
    JsonObject *notification = baton_test_stream_wait (online->stream, "notification",
                                                       "new_conversation", 5000);

    g_assert_nonnull (notification);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (notification,
                                                                                  "data"),
                                                    "conversation_id"), ==,
                     baton_test_get_string (full, "id"));
    json_object_unref (notification);
  }
}

static void
test_reopen_keeps_team (void)
{
  g_autoptr(Agent) fay = agent_new (TRUE);
  g_autoptr(Agent) gus = agent_new (TRUE);
  g_autofree char *team = create_team ("{\"name\":\"Keepers\",\"member_ids\":[\"%s\",\"%s\"]}",
                                       fay->id, gus->id);
  g_autofree char *secret = NULL;
  g_autofree char *channel = channel_for_team (team, &secret);
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) resolved = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autofree char *resolve_path = NULL;
  g_autofree char *get_path = NULL;
  g_autofree char *conversation_id = NULL;

  baton_test_wait_online (server, fay->id);
  baton_test_wait_online (server, gus->id);
  first = new_customer (channel, secret);
  g_assert_cmpstr (sole_assignee (first), ==, fay->id);
  resolve_path = g_strdup_printf ("/api/v1/conversations/%s/resolve",
                                  baton_test_get_string (first, "id"));
  resolved = baton_test_expect (server, "POST", resolve_path, fay->token, NULL, 200, NULL);
  g_assert_null (sole_assignee (resolved));
  /* The same customer writes again: the kept team's strategy picks the next member. */
  conversation_id = baton_test_inbound (server, channel, secret,
                                        json_object_get_string_member (
                                          json_object_get_object_member (
                                            json_node_get_object (first), "contact"), "phone"),
                                        "Me again");
  g_assert_cmpstr (conversation_id, ==, baton_test_get_string (first, "id"));
  get_path = g_strdup_printf ("/api/v1/conversations/%s", conversation_id);
  again = baton_test_expect (server, "GET", get_path, server->manager_token, NULL, 200, NULL);
  g_assert_cmpstr (sole_assignee (again), ==, gus->id);
  g_assert_cmpstr (baton_test_get_string (again, "status"), ==, "new");
}

/* Queued conversations move, oldest first, as soon as a member comes online, drops below
 * capacity, joins, or the team's settings change; none is re-picked after a person
 * unassigned it. */
static void
test_queue_drains (void)
{
  g_autoptr(Agent) hal = agent_new (FALSE);
  g_autoptr(Agent) ivy = agent_new (FALSE);
  g_autofree char *team = create_team ("{\"name\":\"Queue\",\"max_active_per_agent\":1,"
                                       "\"member_ids\":[\"%s\"]}", hal->id);
  g_autofree char *team_path = g_strdup_printf ("/api/v1/teams/%s", team);
  g_autofree char *secret = NULL;
  g_autofree char *channel = channel_for_team (team, &secret);
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) third = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) activity = NULL;
  g_autofree char *path = NULL;

  first = new_customer (channel, secret);
  second = new_customer (channel, secret);
  third = new_customer (channel, secret);
  g_assert_null (sole_assignee (first));
  g_assert_null (sole_assignee (third));

  /* Hal comes online: the oldest queued conversation is his, the others wait (capacity 1). */
  hal->stream = baton_test_stream_open (server, hal->token, NULL, NULL);
  {
    JsonObject *assigned = baton_test_stream_wait (hal->stream, "notification", "assigned",
                                                   5000);

    g_assert_nonnull (assigned);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (assigned,
                                                                                  "data"),
                                                    "conversation_id"), ==,
                     baton_test_get_string (first, "id"));
    json_object_unref (assigned);
  }
  node = baton_test_get_conversation (server, baton_test_get_string (first, "id"));
  g_assert_cmpstr (sole_assignee (node), ==, hal->id);
  activity = baton_test_latest_activity (server, baton_test_get_string (node, "id"));
  g_assert_cmpstr (baton_test_get_string (activity, "activity.via"), ==, "team:round_robin");
  g_assert_cmpstr (baton_test_get_string (activity, "activity.actor.type"), ==, "system");
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_get_conversation (server, baton_test_get_string (second, "id"));
  g_assert_null (sole_assignee (node));

  /* Resolving frees Hal: the next oldest moves at once. */
  path = g_strdup_printf ("/api/v1/conversations/%s/resolve", baton_test_get_string (first, "id"));
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "POST", path, hal->token, NULL, 200, NULL);
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_get_conversation (server, baton_test_get_string (second, "id"));
  g_assert_cmpstr (sole_assignee (node), ==, hal->id);

  /* Ivy joins (online): the third is hers. */
  ivy->stream = baton_test_stream_open (server, ivy->token, NULL, NULL);
  baton_test_wait_online (server, ivy->id);
  g_clear_pointer (&node, json_node_unref);
  {
    g_autofree char *body = g_strdup_printf ("{\"member_ids\":[\"%s\",\"%s\"]}", hal->id,
                                             ivy->id);

    node = baton_test_expect (server, "PATCH", team_path, server->manager_token, body, 200,
                              NULL);
  }
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_get_conversation (server, baton_test_get_string (third, "id"));
  g_assert_cmpstr (sole_assignee (node), ==, ivy->id);

  /* A person unassigns it: it waits for a person, even once Ivy has room again. */
  g_free (path);
  path = g_strdup_printf ("/api/v1/conversations/%s/assignment",
                          baton_test_get_string (third, "id"));
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "PUT", path, ivy->token, "{\"assignee_ids\":[]}", 200, NULL);
  g_assert_null (sole_assignee (node));
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "PATCH", team_path, server->manager_token,
                            "{\"max_active_per_agent\":5}", 200, NULL);
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_get_conversation (server, baton_test_get_string (third, "id"));
  g_assert_null (sole_assignee (node));
}

static JsonNode *
put_assignment (JsonNode   *conversation,
                const char *token,
                const char *body)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/assignment",
                                           baton_test_get_string (conversation, "id"));

  return baton_test_expect (server, "PUT", path, token, body, 200, NULL);
}

/* A team alone on an unassigned conversation hands it to that team even when the
 * conversation already has it (PROTOCOL.md §3): the strategy picks, or the conversation waits
 * in the team's queue and moves once a member can take it. */
static void
test_team_handed_again (void)
{
  g_autoptr(Agent) jo = agent_new (FALSE);
  g_autoptr(Agent) kim = agent_new (FALSE);
  g_autofree char *team = create_team ("{\"name\":\"Again\",\"only_online\":false,"
                                       "\"member_ids\":[\"%s\"]}", jo->id);
  g_autofree char *empty = create_team ("{\"name\":\"Again later\",\"only_online\":false}");
  g_autofree char *empty_path = g_strdup_printf ("/api/v1/teams/%s", empty);
  g_autofree char *team_body = g_strdup_printf ("{\"team_id\":\"%s\"}", team);
  g_autofree char *empty_body = g_strdup_printf ("{\"team_id\":\"%s\"}", empty);
  g_autofree char *empty_by_hand = g_strdup_printf ("{\"team_id\":\"%s\",\"assignee_ids\":[]}",
                                                    empty);
  g_autofree char *members = g_strdup_printf ("{\"member_ids\":[\"%s\"]}", kim->id);
  g_autofree char *secret = NULL;
  g_autofree char *channel = channel_for_team (team, &secret);
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) activity = NULL;

  /* Unassigned by a person, it keeps its team and waits for a person... */
  first = new_customer (channel, secret);
  g_assert_cmpstr (sole_assignee (first), ==, jo->id);
  node = put_assignment (first, jo->token, "{\"assignee_ids\":[]}");
  g_assert_null (sole_assignee (node));
  g_assert_cmpstr (baton_test_get_string (node, "team_id"), ==, team);
  /* ...until someone hands it to that team: its strategy picks. */
  g_clear_pointer (&node, json_node_unref);
  node = put_assignment (first, jo->token, team_body);
  g_assert_cmpstr (sole_assignee (node), ==, jo->id);
  g_assert_cmpstr (baton_test_get_string (node, "team_id"), ==, team);
  activity = baton_test_latest_activity (server, baton_test_get_string (node, "id"));
  g_assert_cmpstr (baton_test_get_string (activity, "activity.action"), ==, "assigned");
  g_assert_cmpstr (baton_test_get_string (activity, "activity.via"), ==, "team:round_robin");

  /* A team nobody can take it in: handed to it again, it waits in the queue. */
  second = new_customer (channel, secret);
  g_clear_pointer (&node, json_node_unref);
  node = put_assignment (second, server->manager_token, empty_by_hand);
  g_assert_null (sole_assignee (node));
  g_clear_pointer (&node, json_node_unref);
  node = put_assignment (second, server->manager_token, empty_body);
  g_assert_null (sole_assignee (node));
  g_assert_cmpstr (baton_test_get_string (node, "team_id"), ==, empty);
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "PATCH", empty_path, server->manager_token, members, 200,
                            NULL);
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_get_conversation (server, baton_test_get_string (second, "id"));
  g_assert_cmpstr (sole_assignee (node), ==, kim->id);
}

/* The team's settings change: raising the capacity moves the queue. */
static void
test_queue_settings_change (void)
{
  g_autoptr(Agent) jo = agent_new (TRUE);
  g_autofree char *team = create_team ("{\"name\":\"Tight\",\"max_active_per_agent\":1,"
                                       "\"member_ids\":[\"%s\"]}", jo->id);
  g_autofree char *team_path = g_strdup_printf ("/api/v1/teams/%s", team);
  g_autofree char *secret = NULL;
  g_autofree char *channel = channel_for_team (team, &secret);
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) node = NULL;

  baton_test_wait_online (server, jo->id);
  first = new_customer (channel, secret);
  second = new_customer (channel, secret);
  g_assert_cmpstr (sole_assignee (first), ==, jo->id);
  g_assert_null (sole_assignee (second));
  node = baton_test_expect (server, "PATCH", team_path, server->manager_token,
                            "{\"max_active_per_agent\":2}", 200, NULL);
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_get_conversation (server, baton_test_get_string (second, "id"));
  g_assert_cmpstr (sole_assignee (node), ==, jo->id);
}

static JsonNode *
post (const char *path_format,
      const char *id,
      const char *token,
      const char *body)
{
  g_autofree char *path = g_strdup_printf (path_format, id);

  return baton_test_expect (server, body ? "PUT" : "POST", path, token, body, 200, NULL);
}

/* ASSIGNMENT.md §5: the picked member must reply in time; lapsed members are not picked
 * again; with nobody left the conversation goes back to the team's queue. */
static void
test_reassign_on_timeout (void)
{
  g_autoptr(Agent) kim = agent_new (TRUE);
  g_autoptr(Agent) lou = agent_new (TRUE);
  g_autofree char *team = create_team ("{\"name\":\"Timed\",\"reassign_after_minutes\":10,"
                                       "\"member_ids\":[\"%s\",\"%s\"]}", kim->id, lou->id);
  g_autofree char *secret = NULL;
  g_autofree char *channel = channel_for_team (team, &secret);
  g_autoptr(JsonNode) conversation = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) activity = NULL;
  const char *id;

  baton_test_wait_online (server, kim->id);
  baton_test_wait_online (server, lou->id);
  conversation = new_customer (channel, secret);
  id = baton_test_get_string (conversation, "id");
  g_assert_cmpstr (sole_assignee (conversation), ==, kim->id);

  /* The test clock also runs in real time: a minute's margin for a loaded machine. */
  baton_test_advance_clock (server, 540);
  node = baton_test_get_conversation (server, id);
  g_assert_cmpstr (sole_assignee (node), ==, kim->id);

  baton_test_advance_clock (server, 61);
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_get_conversation (server, id);
  g_assert_cmpstr (sole_assignee (node), ==, lou->id);
  activity = baton_test_latest_activity (server, baton_test_get_string (node, "id"));
  g_assert_cmpstr (baton_test_get_string (activity, "activity.via"), ==, "reassign_timeout");
  g_assert_cmpstr (baton_test_get_string (activity, "activity.action"), ==, "assigned");
  g_assert_nonnull (strstr (baton_test_get_string (activity, "body"), "no reply in 10 min"));
  {
    JsonObject *away = baton_test_stream_wait (kim->stream, "notification", "reassigned_away",
                                               5000);
    JsonObject *got = baton_test_stream_wait (lou->stream, "notification", "assigned", 5000);

    g_assert_nonnull (away);
    g_assert_nonnull (got);
    json_object_unref (away);
    json_object_unref (got);
  }

  /* Lou lapses too; Kim already did: back to the queue, the team hears of it. */
  baton_test_advance_clock (server, 601);
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_get_conversation (server, id);
  g_assert_null (sole_assignee (node));
  g_assert_cmpstr (baton_test_get_string (node, "team_id"), ==, team);
  g_clear_pointer (&activity, json_node_unref);
  activity = baton_test_latest_activity (server, baton_test_get_string (node, "id"));
  g_assert_cmpstr (baton_test_get_string (activity, "activity.action"), ==, "unassigned");
  g_assert_cmpstr (baton_test_get_string (activity, "activity.via"), ==, "reassign_timeout");
  {
    JsonObject *unassigned = baton_test_stream_wait (kim->stream, "notification", "unassigned",
                                                     5000);

    g_assert_nonnull (unassigned);
    json_object_unref (unassigned);
  }
}

/* A reply by the assignee, or a person's assignment, cancels the timer. */
static void
test_reassign_cancelled (void)
{
  g_autoptr(Agent) max = agent_new (TRUE);
  g_autoptr(Agent) nia = agent_new (TRUE);
  g_autofree char *team = create_team ("{\"name\":\"Careful\",\"reassign_after_minutes\":5,"
                                       "\"member_ids\":[\"%s\",\"%s\"]}", max->id, nia->id);
  g_autofree char *secret = NULL;
  g_autofree char *channel = channel_for_team (team, &secret);
  g_autoptr(JsonNode) replied = NULL;
  g_autoptr(JsonNode) handed = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *assign_body = NULL;

  baton_test_wait_online (server, max->id);
  baton_test_wait_online (server, nia->id);
  replied = new_customer (channel, secret);
  handed = new_customer (channel, secret);
  g_assert_cmpstr (sole_assignee (replied), ==, max->id);
  g_assert_cmpstr (sole_assignee (handed), ==, nia->id);
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/messages",
                                             baton_test_get_string (replied, "id"));

    reply = baton_test_expect (server, "POST", path, max->token, "{\"body\":\"On it!\"}", 201,
                               NULL);
  }
  assign_body = g_strdup_printf ("{\"assignee_ids\":[\"%s\"]}", max->id);
  g_clear_pointer (&node, json_node_unref);
  node = post ("/api/v1/conversations/%s/assignment", baton_test_get_string (handed, "id"),
               server->manager_token, assign_body);

  baton_test_advance_clock (server, 3600);
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_get_conversation (server, baton_test_get_string (replied, "id"));
  g_assert_cmpstr (sole_assignee (node), ==, max->id);
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_get_conversation (server, baton_test_get_string (handed, "id"));
  g_assert_cmpstr (sole_assignee (node), ==, max->id);
}

/* A timer that expired while batond was down fires once at start-up. */
static void
test_reassign_after_restart (void)
{
  g_autoptr(BatonTestServer) own = baton_test_server_new ("--test-clock=2026-11-23T10:00:00Z",
                                                          NULL);
  g_autofree char *oda_token = NULL;
  g_autofree char *pia_token = NULL;
  g_autofree char *oda = baton_test_create_agent (own, "Oda", "oda@example.com", "agent",
                                                  &oda_token);
  g_autofree char *pia = baton_test_create_agent (own, "Pia", "pia@example.com", "agent",
                                                  &pia_token);
  g_autofree char *team_body = g_strdup_printf ("{\"name\":\"Night\",\"only_online\":false,"
                                                "\"reassign_after_minutes\":10,"
                                                "\"member_ids\":[\"%s\",\"%s\"]}", oda, pia);
  g_autoptr(JsonNode) team = baton_test_expect (own, "POST", "/api/v1/teams", own->manager_token,
                                                team_body, 201, NULL);
  g_autofree char *extra = g_strdup_printf ("\"default_team_id\":\"%s\"",
                                            baton_test_get_string (team, "id"));
  g_autofree char *secret = NULL;
  g_autofree char *channel = baton_test_create_channel (own, extra, &secret);
  g_autofree char *id = baton_test_inbound (own, channel, secret, "+447700900001", "Hi?");
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s", id);
  g_autofree char *messages = g_strdup_printf ("/api/v1/conversations/%s/messages?limit=500", id);
  g_autoptr(JsonNode) before = baton_test_expect (own, "GET", path, own->manager_token, NULL,
                                                  200, NULL);
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(JsonNode) thread = NULL;
  JsonArray *items = NULL;
  guint timeouts = 0;

  g_assert_cmpstr (sole_assignee (before), ==, oda);
  baton_test_server_stop (own);
  /* Back an hour later: the deadline passed while the server was down. */
  g_free (own->extra_args->pdata[0]);
  own->extra_args->pdata[0] = g_strdup ("--test-clock=2026-11-23T11:00:00Z");
  baton_test_server_start (own);
  for (int i = 0; i < 500; i++)
    {
      g_clear_pointer (&after, json_node_unref);
      after = baton_test_expect (own, "GET", path, own->manager_token, NULL, 200, NULL);
      if (g_strcmp0 (sole_assignee (after), pia) == 0)
        break;
      g_usleep (10000);
    }
  g_assert_cmpstr (sole_assignee (after), ==, pia);
  thread = baton_test_expect (own, "GET", messages, own->manager_token, NULL, 200, NULL);
  items = json_object_get_array_member (json_node_get_object (thread), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    if (g_strcmp0 (baton_test_get_string (json_array_get_element (items, i), "activity.via"),
                   "reassign_timeout") == 0)
      timeouts++;
  g_assert_cmpuint (timeouts, ==, 1);
}

typedef struct {
  guint pending;
  guint accepted;
} Burst;

static void
burst_sent_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Burst *burst = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              NULL);

  if (body && soup_message_get_status (msg) == 202)
    burst->accepted++;
  else
    g_printerr ("inbound answered %u: %.*s\n", soup_message_get_status (msg),
                body ? (int) g_bytes_get_size (body) : 0,
                body ? (const char *) g_bytes_get_data (body, NULL) : "");
  burst->pending--;
}

/* ASSIGNMENT.md §3 under load: many customers write at once to a team whose members take one
 * conversation each; nobody ends up over capacity and nothing is assigned twice. */
static void
test_concurrent_capacity (void)
{
  g_autoptr(Agent) a = agent_new (TRUE);
  g_autoptr(Agent) b = agent_new (TRUE);
  g_autoptr(Agent) c = agent_new (TRUE);
  g_autofree char *team = create_team ("{\"name\":\"Single\",\"max_active_per_agent\":1,"
                                       "\"member_ids\":[\"%s\",\"%s\",\"%s\"]}",
                                       a->id, b->id, c->id);
  g_autofree char *secret = NULL;
  g_autofree char *channel = channel_for_team (team, &secret);
  g_autofree char *url = g_strdup_printf ("%s/api/v1/channels/%s/inbound", server->url, channel);
  g_autofree char *list = g_strdup_printf ("/api/v1/conversations?team=%s&limit=500", team);
  g_autoptr(GPtrArray) sessions = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonNode) page = NULL;
  g_autoptr(GHashTable) loads = g_hash_table_new (g_str_hash, g_str_equal);
  Burst burst = { 0 };
  JsonArray *items = NULL;
  guint assigned = 0;
  const guint n = 60;

  baton_test_wait_online (server, a->id);
  baton_test_wait_online (server, b->id);
  baton_test_wait_online (server, c->id);
  for (guint i = 0; i < n; i++)
    {
      SoupSession *session = soup_session_new ();
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
      g_autofree char *phone = baton_test_new_phone ();
      g_autofree char *body = baton_test_strdup_printf_json ("{\"from\":%s,\"body\":\"hi\"}",
                                                             phone);
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_headers_replace (soup_message_get_request_headers (msg),
                                    "X-Baton-Channel-Secret", secret);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
      g_ptr_array_add (sessions, session);
      burst.pending++;
      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, burst_sent_cb,
                                        &burst);
    }
  while (burst.pending > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (burst.accepted, ==, n);

  page = baton_test_expect (server, "GET", list, server->manager_token, NULL, 200, NULL);
  items = json_object_get_array_member (json_node_get_object (page), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, n);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      const char *who = sole_assignee (json_array_get_element (items, i));

      if (who == NULL)
        continue;
      assigned++;
      g_assert_false (g_hash_table_contains (loads, who));
      g_hash_table_add (loads, (gpointer) who);
    }
  /* One each, the other 57 wait in the queue. */
  g_assert_cmpuint (assigned, ==, 3);
}

/* ASSIGNMENT.md §8: removing an agent hands their team conversations back to the team. */
static void
test_agent_removed_repicks (void)
{
  g_autoptr(Agent) quin = agent_new (TRUE);
  g_autoptr(Agent) rae = agent_new (TRUE);
  g_autofree char *team = create_team ("{\"name\":\"Leavers\",\"member_ids\":[\"%s\",\"%s\"]}",
                                       quin->id, rae->id);
  g_autofree char *secret = NULL;
  g_autofree char *channel = channel_for_team (team, &secret);
  g_autofree char *agent_path = g_strdup_printf ("/api/v1/agents/%s", quin->id);
  g_autoptr(JsonNode) conversation = NULL;
  g_autoptr(JsonNode) removed = NULL;
  g_autoptr(JsonNode) after = NULL;

  baton_test_wait_online (server, quin->id);
  baton_test_wait_online (server, rae->id);
  conversation = new_customer (channel, secret);
  g_assert_cmpstr (sole_assignee (conversation), ==, quin->id);
  removed = baton_test_expect (server, "DELETE", agent_path, server->manager_token, NULL, 204,
                               NULL);
  after = baton_test_get_conversation (server, baton_test_get_string (conversation, "id"));
  g_assert_cmpstr (sole_assignee (after), ==, rae->id);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  server = baton_test_server_new ("--test-clock", NULL);

  g_test_add_func ("/routing/round-robin", test_round_robin);
  g_test_add_func ("/routing/least-busy-manual-team", test_least_busy_manual_team);
  g_test_add_func ("/routing/cursor-kept-by-every-pick", test_cursor_kept_by_every_pick);
  g_test_add_func ("/routing/default-user-and-backup", test_default_user_and_backup);
  g_test_add_func ("/routing/only-online-and-capacity", test_only_online_and_capacity);
  g_test_add_func ("/routing/reopen-keeps-team", test_reopen_keeps_team);
  g_test_add_func ("/routing/queue-drains", test_queue_drains);
  g_test_add_func ("/routing/queue-settings-change", test_queue_settings_change);
  g_test_add_func ("/routing/team-handed-again", test_team_handed_again);
  g_test_add_func ("/routing/concurrent-capacity", test_concurrent_capacity);
  g_test_add_func ("/routing/agent-removed-repicks", test_agent_removed_repicks);
  g_test_add_func ("/routing/reassign-on-timeout", test_reassign_on_timeout);
  g_test_add_func ("/routing/reassign-cancelled", test_reassign_cancelled);
  g_test_add_func ("/routing/reassign-after-restart", test_reassign_after_restart);

  return baton_test_run (server);
}
