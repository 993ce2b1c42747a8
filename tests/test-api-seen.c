/* test-api-seen.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-test-helpers.h"

/* Read state kept by the server: a conversation's inbound_count, each agent's seen_count
 * (POST /conversations/{id}/seen, GET /me/seen, seen.updated to that agent alone) and the
 * open and unread counts of GET /conversations/counts. */

#define EVENT_TIMEOUT_MS 5000

static BatonTestServer *server;
static char *channel_id;
static char *channel_secret;

/* The customer at phone writes text; returns the message id (the conversation's in
 * *conversation_id when not NULL). */
static char *
customer_says (const char  *phone,
               const char  *text,
               char       **conversation_id)
{
  g_autofree char *body = baton_test_strdup_printf_json ("{\"from\":%s,\"body\":%s}", phone,
                                                         text);
  g_autoptr(JsonNode) node = baton_test_inbound_expect (server, channel_id, channel_secret,
                                                        body, 202, NULL);

  if (conversation_id)
    *conversation_id = g_strdup (baton_test_get_string (node, "conversation_id"));
  return g_strdup (baton_test_get_string (node, "message_id"));
}

/* POST /conversations/{id}/seen as the agent of token; the body answered. */
static JsonNode *
mark_seen (const char *token,
           const char *conversation_id,
           const char *message_id,
           guint       expected_status,
           const char *expected_code)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/seen", conversation_id);
  g_autofree char *body = baton_test_strdup_printf_json ("{\"message_id\":%s}", message_id);

  return baton_test_expect (server, "POST", path, token, body, expected_status, expected_code);
}

/* The seen_count GET /me/seen lists for the conversation, or -1: not listed. */
static gint64
listed_seen (const char *token,
             const char *conversation_id)
{
  g_autoptr(JsonNode) list = baton_test_expect (server, "GET", "/api/v1/me/seen", token, NULL,
                                                200, NULL);
  JsonArray *items = baton_test_items (list);

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (g_str_equal (json_object_get_string_member (item, "conversation_id"),
                       conversation_id))
        return json_object_get_int_member (item, "seen_count");
    }
  return -1;
}

static gint64
inbound_count (const char *conversation_id)
{
  g_autoptr(JsonNode) conversation = baton_test_get_conversation (server, conversation_id);

  return baton_test_get_int (conversation, "inbound_count");
}

static void
test_inbound_count (void)
{
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *conversation_id = NULL;
  g_autofree char *first = customer_says (phone, "Hello", &conversation_id);
  g_autofree char *second = customer_says (phone, "Anyone there?", NULL);
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/messages",
                                           conversation_id);
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(JsonNode) note = NULL;

  g_assert_cmpint (inbound_count (conversation_id), ==, 2);
  /* the agent's replies and notes are not the customer's */
  reply = baton_test_expect (server, "POST", path, server->manager_token,
                             "{\"body\":\"Yes, how can I help?\"}", 201, NULL);
  note = baton_test_expect (server, "POST", path, server->manager_token,
                            "{\"body\":\"VIP\",\"note\":true}", 201, NULL);
  g_assert_cmpint (inbound_count (conversation_id), ==, 2);
}

static void
test_seen_never_goes_back (void)
{
  g_autofree char *token = NULL;
  g_autofree char *other_token = NULL;
  g_autofree char *agent = baton_test_new_agent (server, "Ana Seen", "agent", &token);
  g_autofree char *other = baton_test_new_agent (server, "Ben Seen", "agent", &other_token);
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *conversation_id = NULL;
  g_autofree char *first = customer_says (phone, "One", &conversation_id);
  g_autofree char *second = customer_says (phone, "Two", NULL);
  g_autofree char *third = customer_says (phone, "Three", NULL);
  g_autoptr(JsonNode) seen = NULL;

  g_assert_cmpint (listed_seen (token, conversation_id), ==, -1);
  seen = mark_seen (token, conversation_id, second, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (seen, "conversation_id"), ==, conversation_id);
  g_assert_cmpint (baton_test_get_int (seen, "seen_count"), ==, 2);
  g_assert_cmpint (listed_seen (token, conversation_id), ==, 2);
  /* another agent's read state is their own */
  g_assert_cmpint (listed_seen (other_token, conversation_id), ==, -1);
  /* an older message does not take it back */
  g_clear_pointer (&seen, json_node_unref);
  seen = mark_seen (token, conversation_id, first, 200, NULL);
  g_assert_cmpint (baton_test_get_int (seen, "seen_count"), ==, 2);
  g_assert_cmpint (listed_seen (token, conversation_id), ==, 2);
  g_clear_pointer (&seen, json_node_unref);
  seen = mark_seen (token, conversation_id, third, 200, NULL);
  g_assert_cmpint (baton_test_get_int (seen, "seen_count"), ==, 3);
  g_assert_cmpint (listed_seen (token, conversation_id), ==, 3);
}

static void
test_bad_requests (void)
{
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *other_phone = baton_test_new_phone ();
  g_autofree char *conversation_id = NULL;
  g_autofree char *other_id = NULL;
  g_autofree char *message = customer_says (phone, "Hi", &conversation_id);
  g_autofree char *elsewhere = customer_says (other_phone, "Hi there", &other_id);
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/seen", conversation_id);
  const char *token = server->manager_token;
  g_autoptr(JsonNode) node = NULL;

  node = mark_seen (token, "conv_NOSUCHTHING", message, 404, "not_found");
  g_clear_pointer (&node, json_node_unref);
  /* a message of another conversation, or none at all */
  node = mark_seen (token, conversation_id, elsewhere, 400, "bad_request");
  g_assert_cmpstr (baton_test_get_string (node, "error.field"), ==, "message_id");
  g_clear_pointer (&node, json_node_unref);
  node = mark_seen (token, conversation_id, "msg_NOSUCHTHING", 400, "bad_request");
  g_assert_cmpstr (baton_test_get_string (node, "error.field"), ==, "message_id");
  baton_test_expect_invalid (server, "POST", path, "{}", "message_id");
  baton_test_expect_invalid (server, "POST", path, "{\"message_id\":7}", "message_id");
  /* nothing was recorded */
  g_assert_cmpint (listed_seen (token, conversation_id), ==, -1);
}

/* seen.updated reaches the agent who saw, on each of their streams, and nobody else. */
static void
test_event_to_that_agent_only (void)
{
  g_autofree char *token = NULL;
  g_autofree char *other_token = NULL;
  g_autofree char *agent = baton_test_new_agent (server, "Cleo Event", "agent", &token);
  g_autofree char *other = baton_test_new_agent (server, "Dan Event", "agent", &other_token);
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *conversation_id = NULL;
  g_autofree char *message = customer_says (phone, "Hello", &conversation_id);
  BatonTestStream *mine = baton_test_stream_open (server, token, NULL, NULL);
  BatonTestStream *theirs = baton_test_stream_open (server, other_token, NULL, NULL);
  g_autoptr(JsonNode) seen = NULL;
  g_autoptr(GPtrArray) frames = NULL;
  g_autofree char *barrier = NULL;
  g_autoptr(JsonObject) event = NULL;
  JsonObject *data = NULL;

  seen = mark_seen (token, conversation_id, message, 200, NULL);
  event = baton_test_stream_wait (mine, "seen.updated", NULL, EVENT_TIMEOUT_MS);
  g_assert_nonnull (event);
  data = json_object_get_object_member (event, "data");
  g_assert_cmpstr (json_object_get_string_member (data, "conversation_id"), ==,
                   conversation_id);
  g_assert_cmpint (json_object_get_int_member (data, "seen_count"), ==, 1);
  barrier = baton_test_barrier (server);
  frames = baton_test_stream_until_barrier (theirs, barrier, EVENT_TIMEOUT_MS);
  for (guint i = 0; i < frames->len; i++)
    g_assert_cmpstr (json_object_get_string_member (frames->pdata[i], "type"), !=,
                     "seen.updated");
  baton_test_stream_close (mine);
  baton_test_stream_close (theirs);
}

/* {open, unread} of a filter ("mine") or of a team of GET /conversations/counts */
static void
get_count (const char *token,
           const char *filter,
           const char *team_id,
           gint64     *open,
           gint64     *unread)
{
  g_autoptr(JsonNode) counts = baton_test_expect (server, "GET", "/api/v1/conversations/counts",
                                                  token, NULL, 200, NULL);
  JsonObject *count = NULL;

  if (filter)
    count = json_object_get_object_member (json_node_get_object (counts), filter);
  else
    {
      JsonArray *teams = json_object_get_array_member (json_node_get_object (counts), "teams");

      for (guint i = 0; i < json_array_get_length (teams) && count == NULL; i++)
        if (g_str_equal (json_object_get_string_member (json_array_get_object_element (teams, i),
                                                        "team_id"), team_id))
          count = json_array_get_object_element (teams, i);
    }
  g_assert_nonnull (count);
  *open = json_object_get_int_member (count, "open");
  *unread = json_object_get_int_member (count, "unread");
}

#define assert_count(token, filter, team_id, expected_open, expected_unread) \
  G_STMT_START { \
    gint64 open_, unread_; \
    get_count (token, filter, team_id, &open_, &unread_); \
    g_assert_cmpint (open_, ==, expected_open); \
    g_assert_cmpint (unread_, ==, expected_unread); \
  } G_STMT_END

static void
test_counts (void)
{
  g_autofree char *token = NULL;
  g_autofree char *agent = baton_test_new_agent (server, "Eve Counts", "agent", &token);
  g_autofree char *team = baton_test_create (server, "/api/v1/teams", "{\"name\":\"Counted\"}");
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *conversation_id = NULL;
  g_autofree char *message = NULL;
  g_autofree char *later = NULL;
  g_autofree char *assignment = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) node = NULL;
  gint64 all_open, all_unread, none_open, none_unread;

  get_count (token, "all", NULL, &all_open, &all_unread);
  get_count (token, "unassigned", NULL, &none_open, &none_unread);
  assert_count (token, "mine", NULL, 0, 0);
  assert_count (token, NULL, team, 0, 0);

  message = customer_says (phone, "Where is my order?", &conversation_id);
  assert_count (token, "all", NULL, all_open + 1, all_unread + 1);
  assert_count (token, "unassigned", NULL, none_open + 1, none_unread + 1);

  assignment = g_strdup_printf ("{\"team_id\":\"%s\",\"assignee_ids\":[\"%s\"]}", team, agent);
  path = g_strdup_printf ("/api/v1/conversations/%s/assignment", conversation_id);
  node = baton_test_expect (server, "PUT", path, server->manager_token, assignment, 200, NULL);
  assert_count (token, "mine", NULL, 1, 1);
  assert_count (token, NULL, team, 1, 1);
  assert_count (token, "unassigned", NULL, none_open, none_unread);

  /* seen by the agent: read for them, still unread for the manager */
  g_clear_pointer (&node, json_node_unref);
  node = mark_seen (token, conversation_id, message, 200, NULL);
  assert_count (token, "mine", NULL, 1, 0);
  assert_count (token, NULL, team, 1, 0);
  assert_count (token, "all", NULL, all_open + 1, all_unread);
  assert_count (server->manager_token, NULL, team, 1, 1);

  /* the customer writes again: unread again */
  later = customer_says (phone, "Hello?", NULL);
  assert_count (token, "mine", NULL, 1, 1);

  /* resolved: no longer open */
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf ("/api/v1/conversations/%s/resolve", conversation_id);
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "POST", path, server->manager_token, NULL, 200, NULL);
  assert_count (token, "mine", NULL, 0, 0);
  assert_count (token, NULL, team, 0, 0);
  assert_count (token, "all", NULL, all_open, all_unread);
}

static void
test_signed_out (void)
{
  g_autoptr(JsonNode) counts = baton_test_expect (server, "GET", "/api/v1/conversations/counts",
                                                  NULL, NULL, 401, NULL);
  g_autoptr(JsonNode) seen = baton_test_expect (server, "GET", "/api/v1/me/seen", NULL, NULL,
                                                401, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  server = baton_test_server_new (NULL);
  channel_id = baton_test_create_channel (server, NULL, &channel_secret);

  g_test_add_func ("/seen/inbound-count", test_inbound_count);
  g_test_add_func ("/seen/never-goes-back", test_seen_never_goes_back);
  g_test_add_func ("/seen/bad-requests", test_bad_requests);
  g_test_add_func ("/seen/event-to-that-agent-only", test_event_to_that_agent_only);
  g_test_add_func ("/seen/counts", test_counts);
  g_test_add_func ("/seen/signed-out", test_signed_out);

  return baton_test_run (server);
}
