/* test-flow-routing.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"


#include "baton-test-helpers.h"

/* Routing flows at work (PROTOCOL.md "Flow", ASSIGNMENT.md §2 step 2): a manager saves flows,
 * customers write through the api channel, and the effects are read back. Every flow here is
 * limited to its test's channel, so tests do not see each other's flows. */

static BatonTestServer *server;

static char *
join_array (JsonNode   *node,
            const char *member)
{
  JsonArray *array = json_object_get_array_member (json_node_get_object (node), member);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (array); i++)
    g_string_append_printf (text, "%s%s", i ? " " : "", json_array_get_string_element (array, i));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* VIP contacts go to their dedicated agent; others fall through to the channel default. */
static void
test_vip_flow (void)
{
  g_autofree char *vera = baton_test_create_agent (server, "Vera VIP", "vera@example.com",
                                                   "agent", NULL);
  g_autofree char *secret = NULL;
  g_autofree char *channel = NULL;
  g_autofree char *flow_body = NULL;
  g_autofree char *flow = NULL;
  g_autofree char *vip_phone = baton_test_new_phone ();
  g_autofree char *plain_phone = baton_test_new_phone ();
  g_autofree char *other_secret = NULL;
  g_autofree char *other_channel = baton_test_create_channel (server, NULL, &other_secret);
  g_autofree char *first = NULL;
  g_autofree char *vip_conversation = NULL;
  g_autofree char *plain_conversation = NULL;
  g_autoptr(JsonNode) conversation = NULL;
  g_autoptr(JsonNode) contact = NULL;
  g_autoptr(JsonNode) activity = NULL;
  g_autoptr(JsonNode) plain = NULL;
  g_autofree char *contact_path = NULL;
  g_autofree char *via = NULL;

  channel = baton_test_create_channel (server, NULL, &secret);
  flow_body = g_strdup_printf ("{\"name\":\"VIP routing\",\"trigger\":{\"on\":"
                               "\"conversation.created\",\"channel_ids\":[\"%s\"]},\"steps\":["
                               "{\"type\":\"condition\",\"conditions\":[{\"field\":"
                               "\"contact.tags\",\"op\":\"includes\",\"value\":\"vip\"}],"
                               "\"then\":[{\"type\":\"assign_user\",\"user_id\":\"%s\"}]}]}",
                               channel, vera);
  flow = baton_test_create (server, "/api/v1/flows", flow_body);

  /* The contact becomes known elsewhere, and is tagged VIP. */
  first = baton_test_inbound (server, other_channel, other_secret, vip_phone, "Hello");
  conversation = baton_test_get_conversation (server, first);
  contact_path = g_strdup_printf ("/api/v1/contacts/%s",
                                  baton_test_get_string (conversation, "contact.id"));
  contact = baton_test_expect (server, "PATCH", contact_path, server->manager_token,
                               "{\"tags\":[\"VIP\"]}", 200, NULL);

  vip_conversation = baton_test_inbound (server, channel, secret, vip_phone, "Bonjour");
  g_clear_pointer (&conversation, json_node_unref);
  conversation = baton_test_get_conversation (server, vip_conversation);
  g_assert_cmpstr (baton_test_get_string (conversation, "assignee_ids.0"), ==, vera);
  activity = baton_test_latest_activity (server, vip_conversation);
  via = g_strdup_printf ("flow:%s", flow);
  g_assert_cmpstr (baton_test_get_string (activity, "activity.via"), ==, via);
  g_assert_cmpstr (baton_test_get_string (activity, "body"), ==,
                   "Assigned to Vera VIP by flow VIP routing");

  /* Not a VIP: the flow ran (and no other would) but assigned nobody. */
  plain_conversation = baton_test_inbound (server, channel, secret, plain_phone, "Hi");
  plain = baton_test_get_conversation (server, plain_conversation);
  g_assert_null (baton_test_get_string (plain, "assignee_ids.0"));
}

/* After hours go to the night team; a schedule that is always open lets the day team in. */
static void
test_after_hours_flow (void)
{
  g_autofree char *nell = baton_test_create_agent (server, "Nell Night", "nell@example.com",
                                                   "agent", NULL);
  g_autofree char *team_body = g_strdup_printf ("{\"name\":\"Night\",\"only_online\":false,"
                                                "\"member_ids\":[\"%s\"]}", nell);
  g_autofree char *night = baton_test_create (server, "/api/v1/teams", team_body);
  g_autofree char *never_open = baton_test_create (server, "/api/v1/schedules",
                                                   "{\"name\":\"Closed\","
                                                   "\"timezone\":\"Europe/Paris\",\"weekly\":[]}");
  g_autofree char *secret = NULL;
  g_autofree char *channel = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *flow_body = g_strdup_printf (
    "{\"name\":\"After hours\",\"trigger\":{\"on\":\"conversation.created\","
    "\"channel_ids\":[\"%s\"]},\"steps\":[{\"type\":\"condition\",\"conditions\":["
    "{\"field\":\"time\",\"op\":\"outside\",\"value\":\"%s\"}],\"then\":["
    "{\"type\":\"assign_team\",\"team_id\":\"%s\",\"conversation_tags\":[\"after-hours\"]},"
    "{\"type\":\"send_message\",\"body\":\"We are closed; the night team will answer.\"}]}]}",
    channel, never_open, night);
  g_autofree char *flow = baton_test_create (server, "/api/v1/flows", flow_body);
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *id = baton_test_inbound (server, channel, secret, phone, "Anyone there?");
  g_autoptr(JsonNode) conversation = baton_test_get_conversation (server, id);
  g_autoptr(JsonNode) thread = baton_test_get (server, "/api/v1/conversations/%s/messages", id);
  g_autofree char *tags = join_array (conversation, "tags");
  JsonArray *items = json_object_get_array_member (json_node_get_object (thread), "items");
  gboolean auto_reply = FALSE;

  g_assert_cmpstr (baton_test_get_string (conversation, "team_id"), ==, night);
  g_assert_cmpstr (baton_test_get_string (conversation, "assignee_ids.0"), ==, nell);
  {
    g_autoptr(JsonNode) activity = baton_test_latest_activity (server, id);
    g_autofree char *via = g_strdup_printf ("flow:%s", flow);

    g_assert_cmpstr (baton_test_get_string (activity, "activity.via"), ==, via);
    g_assert_cmpstr (baton_test_get_string (activity, "body"), ==,
                     "Assigned to Nell Night in Night by flow After hours");
  }
  g_assert_cmpstr (tags, ==, "after-hours");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *message = json_array_get_element (items, i);

      if (g_strcmp0 (baton_test_get_string (message, "kind"), "outbound") == 0
          && g_strcmp0 (baton_test_get_string (message, "author.type"), "system") == 0)
        auto_reply = TRUE;
    }
  g_assert_true (auto_reply);
}

/* The first enabled flow by position wins; tags are added or replace, as the step says. */
static void
test_first_flow_and_tags (void)
{
  g_autofree char *secret = NULL;
  g_autofree char *channel = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *team = baton_test_create (server, "/api/v1/teams", "{\"name\":\"Tagged\"}");
  g_autofree char *disabled = NULL;
  g_autofree char *winner = NULL;
  g_autofree char *loser = NULL;
  g_autofree char *body = NULL;
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *id = NULL;
  g_autofree char *tags = NULL;
  g_autoptr(JsonNode) conversation = NULL;

  body = g_strdup_printf ("{\"name\":\"Off\",\"enabled\":false,\"position\":1,\"trigger\":"
                          "{\"on\":\"conversation.created\",\"channel_ids\":[\"%s\"]},"
                          "\"steps\":[{\"type\":\"close\"}]}", channel);
  disabled = baton_test_create (server, "/api/v1/flows", body);
  g_free (body);
  body = g_strdup_printf ("{\"name\":\"Winner\",\"position\":2,\"trigger\":{\"on\":"
                          "\"conversation.created\",\"channel_ids\":[\"%s\"]},\"steps\":["
                          "{\"type\":\"assign_team\",\"team_id\":\"%s\",\"add_tags\":true,"
                          "\"conversation_tags\":[\"first\"]},{\"type\":\"assign_team\","
                          "\"team_id\":\"%s\",\"add_tags\":false,\"conversation_tags\":"
                          "[\"Replaced\"]}]}", channel, team, team);
  winner = baton_test_create (server, "/api/v1/flows", body);
  g_free (body);
  body = g_strdup_printf ("{\"name\":\"Loser\",\"position\":3,\"trigger\":{\"on\":"
                          "\"conversation.created\",\"channel_ids\":[\"%s\"]},\"steps\":["
                          "{\"type\":\"close\"}]}", channel);
  loser = baton_test_create (server, "/api/v1/flows", body);

  id = baton_test_inbound (server, channel, secret, phone, "hello");
  conversation = baton_test_get_conversation (server, id);
  tags = join_array (conversation, "tags");
  g_assert_cmpstr (tags, ==, "replaced");
  g_assert_cmpstr (baton_test_get_string (conversation, "status"), ==, "new");
  g_assert_cmpstr (baton_test_get_string (conversation, "team_id"), ==, team);
}

/* message.received flows run on messages in an active conversation. */
static void
test_message_received_flow (void)
{
  g_autofree char *secret = NULL;
  g_autofree char *channel = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *body = g_strdup_printf (
    "{\"name\":\"Urgent\",\"trigger\":{\"on\":\"message.received\",\"channel_ids\":[\"%s\"]},"
    "\"steps\":[{\"type\":\"condition\",\"conditions\":[{\"field\":\"message.text\",\"op\":"
    "\"matches\",\"value\":\"urgent|asap\"}],\"then\":[{\"type\":\"update_contact\","
    "\"add_tags\":[\"urgent\"],\"set_fields\":{\"priority\":\"high\"}}]}]}", channel);
  g_autofree char *flow = baton_test_create (server, "/api/v1/flows", body);
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *id = baton_test_inbound (server, channel, secret, phone, "Hello");
  g_autofree char *again = baton_test_inbound (server, channel, secret, phone,
                                               "Please, this is URGENT");
  g_autoptr(JsonNode) conversation = baton_test_get_conversation (server, id);
  g_autoptr(JsonNode) contact = baton_test_get (server, "/api/v1/contacts/%s",
                                                baton_test_get_string (conversation, "contact.id"));
  g_autofree char *tags = join_array (contact, "tags");

  g_assert_cmpstr (again, ==, id);
  g_assert_cmpstr (tags, ==, "urgent");
  g_assert_cmpstr (baton_test_get_string (contact, "fields.priority"), ==, "high");
}

/* Tag-based routing: tagging a contact runs contact.tag_added flows on their unassigned
 * active conversations. */
static void
test_tag_added_flow (void)
{
  g_autofree char *wes = baton_test_create_agent (server, "Wes Wholesale", "wes@example.com",
                                                  "agent", NULL);
  g_autofree char *secret = NULL;
  g_autofree char *channel = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *body = g_strdup_printf (
    "{\"name\":\"Wholesale desk\",\"trigger\":{\"on\":\"contact.tag_added\",\"tag\":"
    "\"Wholesale\"},\"steps\":[{\"type\":\"assign_user\",\"user_id\":\"%s\"}]}", wes);
  g_autofree char *flow = baton_test_create (server, "/api/v1/flows", body);
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *id = baton_test_inbound (server, channel, secret, phone, "Prices for 40?");
  g_autoptr(JsonNode) before = baton_test_get_conversation (server, id);
  g_autofree char *contact_path = g_strdup_printf ("/api/v1/contacts/%s",
                                                   baton_test_get_string (before, "contact.id"));
  g_autoptr(JsonNode) other = NULL;
  g_autoptr(JsonNode) tagged = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(JsonNode) activity = NULL;

  g_assert_null (baton_test_get_string (before, "assignee_ids.0"));
  /* Another tag changes nothing. */
  other = baton_test_expect (server, "PATCH", contact_path, server->manager_token,
                             "{\"tags\":[\"lead\"]}", 200, NULL);
  tagged = baton_test_expect (server, "PATCH", contact_path, server->manager_token,
                              "{\"tags\":[\"lead\",\"wholesale\"]}", 200, NULL);
  after = baton_test_get_conversation (server, id);
  g_assert_cmpstr (baton_test_get_string (after, "assignee_ids.0"), ==, wes);
  activity = baton_test_latest_activity (server, id);
  g_assert_cmpstr (baton_test_get_string (activity, "body"), ==,
                   "Assigned to Wes Wholesale by flow Wholesale desk");
}

static char *
contact_tags_after (const char *channel,
                    const char *secret,
                    const char *text)
{
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *id = baton_test_inbound (server, channel, secret, phone, text);
  g_autoptr(JsonNode) conversation = baton_test_get_conversation (server, id);
  g_autoptr(JsonNode) contact = baton_test_get (server, "/api/v1/contacts/%s",
                                                baton_test_get_string (conversation, "contact.id"));

  return join_array (contact, "tags");
}

/* A pattern that takes a backtracking matcher exponential time is routed at once; and a
 * pattern reads the first 4096 characters of the message. */
static void
test_pattern_in_bounded_time (void)
{
  g_autofree char *secret = NULL;
  g_autofree char *channel = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *body = g_strdup_printf (
    "{\"name\":\"Pattern\",\"trigger\":{\"on\":\"conversation.created\",\"channel_ids\":"
    "[\"%s\"]},\"steps\":[{\"type\":\"condition\",\"match\":\"any\",\"conditions\":["
    "{\"field\":\"message.text\",\"op\":\"matches\",\"value\":\"(a+)+$\"},"
    "{\"field\":\"message.text\",\"op\":\"matches\",\"value\":\"b$\"}],"
    "\"then\":[{\"type\":\"update_contact\",\"add_tags\":[\"matched\"]}],"
    "\"else\":[{\"type\":\"update_contact\",\"add_tags\":[\"unmatched\"]}]}]}", channel);
  g_autofree char *flow = baton_test_create (server, "/api/v1/flows", body);
  g_autofree char *as = g_strnfill (99000, 'a');
  g_autofree char *hostile = g_strconcat ("x", as, "y", NULL);
  g_autofree char *short_b = g_strconcat ("x", "aaab", NULL);
  g_autofree char *long_b = g_strconcat (as, "b", NULL);
  g_autofree char *tags = NULL;

  tags = contact_tags_after (channel, secret, hostile);
  g_assert_cmpstr (tags, ==, "unmatched");
  g_free (tags);
  tags = contact_tags_after (channel, secret, short_b);
  g_assert_cmpstr (tags, ==, "matched");
  g_free (tags);
  /* 99,000 "a" then "b": the "b" is beyond the first 4096 characters, so neither pattern
   * sees the end of the text */
  tags = contact_tags_after (channel, secret, long_b);
  g_assert_cmpstr (tags, ==, "unmatched");
}

/* Stored steps are not validated again when they are loaded: written by an older version or
 * by hand, members of the wrong JSON type do nothing (a critical would end batond, which the
 * tests run with fatal criticals), and what is right still runs. */
static const char stored_steps[] =
  "[{\"type\":[\"x\"]},7,null,{\"type\":\"assign_team\",\"team_id\":{\"a\":1},"
  "\"conversation_tags\":\"x\"},{\"type\":\"send_message\",\"body\":[\"x\"]},"
  "{\"type\":\"assign_user\",\"user_id\":null},{\"type\":\"condition\",\"match\":\"any\","
  "\"conditions\":[{\"field\":\"time\",\"op\":\"within\",\"value\":[1]},{\"field\":[\"x\"]},"
  "3,{\"field\":\"message.text\",\"op\":\"matches\",\"value\":\"(a)\\\\1\"},"
  "{\"field\":\"channel.id\",\"op\":\"in\",\"value\":[[1],{}]},"
  "{\"field\":\"contact.is_returning\",\"op\":\"is\",\"value\":false}],"
  "\"then\":[{\"type\":\"update_contact\",\"add_tags\":[1,\"ok\"],\"remove_tags\":{\"a\":1},"
  "\"set_fields\":{\"k\":[1],\"plan\":\"gold\"}}],\"else\":{\"x\":1}}]";

static void
store_steps (const char *flow_id,
             const char *steps)
{
  g_autoptr(BatonStore) store = NULL;
  g_autoptr(GError) error = NULL;

  baton_test_server_stop (server);
  store = baton_test_server_open_store (server);
  g_assert_cmpint (baton_store_exec (store, &error, "UPDATE flows SET steps = ? WHERE id = ?",
                                     "ss", steps, flow_id), ==, 1);
  g_assert_no_error (error);
  baton_store_close (store);
  baton_test_server_start (server);
}

static void
test_stored_steps_of_wrong_types (void)
{
  g_autofree char *secret = NULL;
  g_autofree char *channel = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *body = g_strdup_printf (
    "{\"name\":\"Stored\",\"trigger\":{\"on\":\"conversation.created\",\"channel_ids\":"
    "[\"%s\"]},\"steps\":[{\"type\":\"close\"}]}", channel);
  g_autofree char *flow = baton_test_create (server, "/api/v1/flows", body);
  g_autofree char *schedule = baton_test_create (server, "/api/v1/schedules",
                                                 "{\"name\":\"Unused\","
                                                 "\"timezone\":\"Etc/UTC\",\"weekly\":[]}");
  g_autofree char *schedule_path = g_strdup_printf ("/api/v1/schedules/%s", schedule);
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *id = NULL;
  g_autofree char *tags = NULL;
  g_autoptr(JsonNode) conversation = NULL;
  g_autoptr(JsonNode) contact = NULL;
  g_autoptr(JsonNode) stored = NULL;
  g_autoptr(JsonNode) deleted = NULL;

  store_steps (flow, stored_steps);
  id = baton_test_inbound (server, channel, secret, phone, "aa");
  conversation = baton_test_get_conversation (server, id);
  g_assert_cmpstr (baton_test_get_string (conversation, "status"), ==, "new");
  contact = baton_test_get_contact (server, baton_test_get_string (conversation, "contact.id"));
  tags = join_array (contact, "tags");
  g_assert_cmpstr (tags, ==, "ok");
  g_assert_cmpstr (baton_test_get_string (contact, "fields.plan"), ==, "gold");
  g_assert_null (baton_test_get_string (contact, "fields.k"));
  stored = baton_test_get (server, "/api/v1/flows/%s", flow);
  g_assert_cmpint (baton_test_get_int (stored, "steps.#"), ==, 7);
  /* deleting a schedule reads every flow's conditions */
  deleted = baton_test_expect (server, "DELETE", schedule_path, server->manager_token, NULL,
                               204, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  server = baton_test_server_new ("--test-clock", NULL);

  g_test_add_func ("/flow-routing/vip", test_vip_flow);
  g_test_add_func ("/flow-routing/after-hours", test_after_hours_flow);
  g_test_add_func ("/flow-routing/first-flow-and-tags", test_first_flow_and_tags);
  g_test_add_func ("/flow-routing/message-received", test_message_received_flow);
  g_test_add_func ("/flow-routing/tag-added", test_tag_added_flow);
  g_test_add_func ("/flow-routing/pattern-in-bounded-time", test_pattern_in_bounded_time);
  g_test_add_func ("/flow-routing/stored-steps-of-wrong-types", test_stored_steps_of_wrong_types);

  return baton_test_run (server);
}
