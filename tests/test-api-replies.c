/* test-api-replies.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-test-helpers.h"

/* Replies sent exactly once: a repeat of POST /conversations/{id}/messages with the same
 * client_id answers with the message the first one created and sends nothing new. */

static BatonTestServer *server;
static char *channel_id;
static char *channel_secret;

static char *
new_conversation (void)
{
  g_autofree char *phone = baton_test_new_phone ();

  return baton_test_customer_writes (server, channel_id, channel_secret, phone, NULL,
                                     "Where is my parcel?");
}

static JsonNode *
post_reply (const char *conversation_id,
            const char *token,
            const char *body,
            guint       expected_status,
            const char *expected_code)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/messages",
                                           conversation_id);

  return baton_test_expect (server, "POST", path, token, body, expected_status,
                            expected_code);
}

/* How many messages of the conversation (its last 500) have that body. */
static guint
count_bodies (const char *conversation_id,
              const char *body)
{
  g_autoptr(JsonNode) list = baton_test_get (server,
                                             "/api/v1/conversations/%s/messages?limit=500",
                                             conversation_id);
  JsonArray *items = baton_test_items (list);
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (items); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (items, i),
                                                  "body"), body) == 0)
      n++;
  return n;
}

/* The message.created events a stream received up to a barrier, for that message. */
static guint
count_created_events (BatonTestStream *stream,
                      const char      *message_id)
{
  g_autoptr(GPtrArray) frames = NULL;
  guint n = 0;

  baton_test_set_barrier (server);
  frames = baton_test_read_until_barrier (server, stream);
  for (guint i = 0; i < frames->len; i++)
    {
      JsonObject *frame = frames->pdata[i];

      if (g_str_equal (json_object_get_string_member (frame, "type"), "message.created")
          && g_str_equal (json_object_get_string_member (json_object_get_object_member (frame,
                                                                                         "data"),
                                                         "id"), message_id))
        n++;
    }
  return n;
}

/* The repeat answers 200 with the first message; one message, one event. */
static void
test_repeat (void)
{
  g_autofree char *id = new_conversation ();
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(JsonNode) other = NULL;
  g_autoptr(JsonNode) plain = NULL;
  BatonTestStream *stream = baton_test_stream_open (server, server->manager_token, NULL, NULL);
  const char *body = "{\"body\":\"On its way\",\"client_id\":\"c1e4b8a2-0001\"}";

  first = post_reply (id, server->manager_token, body, 201, NULL);
  g_assert_cmpstr (baton_test_get_string (first, "client_id"), ==, "c1e4b8a2-0001");
  again = post_reply (id, server->manager_token, body, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (again, "id"), ==, baton_test_get_string (first, "id"));
  g_assert_cmpstr (baton_test_get_string (again, "client_id"), ==, "c1e4b8a2-0001");
  /* the body of a repeat does not matter: it is the same reply */
  other = post_reply (id, server->manager_token,
                      "{\"body\":\"Changed\",\"client_id\":\"c1e4b8a2-0001\"}", 200, NULL);
  g_assert_cmpstr (baton_test_get_string (other, "id"), ==, baton_test_get_string (first, "id"));
  g_assert_cmpuint (count_bodies (id, "On its way"), ==, 1);
  g_assert_cmpuint (count_bodies (id, "Changed"), ==, 0);
  g_assert_cmpuint (count_created_events (stream, baton_test_get_string (first, "id")), ==, 1);

  /* without client_id every request is a new message, and the JSON has no client_id */
  plain = post_reply (id, server->manager_token, "{\"body\":\"Twice\"}", 201, NULL);
  g_assert_false (json_object_has_member (json_node_get_object (plain), "client_id"));
  g_clear_pointer (&plain, json_node_unref);
  plain = post_reply (id, server->manager_token, "{\"body\":\"Twice\"}", 201, NULL);
  g_assert_cmpuint (count_bodies (id, "Twice"), ==, 2);
  baton_test_stream_close (stream);
}

/* The id is the agent's own: another agent's same client_id is another message; and it
 * names one message, so using it in another conversation is a conflict. */
static void
test_per_agent (void)
{
  g_autofree char *id = new_conversation ();
  g_autofree char *elsewhere = new_conversation ();
  g_autofree char *token = NULL;
  g_autofree char *agent_id = baton_test_new_agent (server, "Once Olga", "agent", &token);
  g_autoptr(JsonNode) mine = NULL;
  g_autoptr(JsonNode) theirs = NULL;
  g_autoptr(JsonNode) error = NULL;
  const char *body = "{\"body\":\"Hello there\",\"client_id\":\"shared-id\"}";

  mine = post_reply (id, server->manager_token, body, 201, NULL);
  theirs = post_reply (id, token, body, 201, NULL);
  g_assert_cmpstr (baton_test_get_string (theirs, "id"), !=, baton_test_get_string (mine, "id"));
  g_assert_cmpstr (baton_test_get_string (theirs, "author.id"), ==, agent_id);
  g_assert_cmpuint (count_bodies (id, "Hello there"), ==, 2);

  error = post_reply (elsewhere, token, body, 409, "conflict");
  g_assert_cmpuint (count_bodies (elsewhere, "Hello there"), ==, 0);
}

static void
test_bad_client_id (void)
{
  g_autofree char *id = new_conversation ();
  g_autofree char *long_id = g_strnfill (65, 'a');
  g_autofree char *longest_id = g_strnfill (64, 'b');
  g_autofree char *too_long = g_strdup_printf ("{\"body\":\"x\",\"client_id\":\"%s\"}", long_id);
  g_autofree char *longest = g_strdup_printf ("{\"body\":\"Longest\",\"client_id\":\"%s\"}",
                                              longest_id);
  g_autoptr(JsonNode) accepted = NULL;
  const char *bad[] = {
    "{\"body\":\"x\",\"client_id\":\"\"}",
    "{\"body\":\"x\",\"client_id\":\"tab\\there\"}",
    "{\"body\":\"x\",\"client_id\":\"caf\\u00e9\"}",
    "{\"body\":\"x\",\"client_id\":42}",
    "{\"body\":\"x\",\"client_id\":null}",
    "{\"body\":\"x\",\"client_id\":[\"a\"]}",
    too_long,
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) node = post_reply (id, server->manager_token, bad[i], 400,
                                             "bad_request");

      g_assert_cmpstr (baton_test_get_string (node, "error.field"), ==, "client_id");
    }
  g_assert_cmpuint (count_bodies (id, "x"), ==, 0);
  accepted = post_reply (id, server->manager_token, longest, 201, NULL);
  g_assert_cmpstr (baton_test_get_string (accepted, "client_id"), ==, longest_id);
}

typedef struct {
  guint status;
  JsonNode *message;
  gboolean done;
} Sent;

static void
reply_sent_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Sent *sent = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              &error);

  g_assert_no_error (error);
  sent->status = soup_message_get_status (soup_session_get_async_result_message (
                                            SOUP_SESSION (source), result));
  sent->message = json_from_string (g_bytes_get_data (body, NULL), &error);
  g_assert_no_error (error);
  sent->done = TRUE;
}

#define RACERS 8

/* The same reply sent at once on several connections (an app retrying while the first
 * request is still on its way): one message, every answer is it. */
static void
test_race (void)
{
  g_autofree char *id = new_conversation ();
  g_autofree char *url = g_strdup_printf ("%s/api/v1/conversations/%s/messages", server->url,
                                          id);
  g_autofree char *header = g_strdup_printf ("Bearer %s", server->manager_token);
  g_autoptr(GBytes) body = g_bytes_new_static ("{\"body\":\"Racing\",\"client_id\":\"race-1\"}",
                                               strlen ("{\"body\":\"Racing\","
                                                       "\"client_id\":\"race-1\"}"));
  SoupSession *sessions[RACERS] = { NULL };
  SoupMessage *messages[RACERS] = { NULL };
  Sent sent[RACERS] = { { 0 } };
  g_autofree char *message_id = NULL;
  guint created = 0;

  for (guint i = 0; i < RACERS; i++)
    {
      sessions[i] = soup_session_new_with_options ("timeout", 30, NULL);
      messages[i] = soup_message_new ("POST", url);
      soup_message_headers_replace (soup_message_get_request_headers (messages[i]),
                                    "Authorization", header);
      soup_message_set_request_body_from_bytes (messages[i], "application/json", body);
      soup_session_send_and_read_async (sessions[i], messages[i], G_PRIORITY_DEFAULT, NULL,
                                        reply_sent_cb, &sent[i]);
    }
  for (guint i = 0; i < RACERS; i++)
    while (!sent[i].done)
      g_main_context_iteration (NULL, TRUE);
  message_id = g_strdup (baton_test_get_string (sent[0].message, "id"));
  for (guint i = 0; i < RACERS; i++)
    {
      g_assert_true (sent[i].status == 201 || sent[i].status == 200);
      created += sent[i].status == 201;
      g_assert_cmpstr (baton_test_get_string (sent[i].message, "id"), ==, message_id);
      json_node_unref (sent[i].message);
      g_object_unref (messages[i]);
      g_object_unref (sessions[i]);
    }
  g_assert_cmpuint (created, ==, 1);
  g_assert_cmpuint (count_bodies (id, "Racing"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  server = baton_test_server_new ("--test-clock", NULL);
  channel_id = baton_test_create_channel (server, NULL, &channel_secret);

  g_test_add_func ("/replies/repeat", test_repeat);
  g_test_add_func ("/replies/per-agent", test_per_agent);
  g_test_add_func ("/replies/bad-client-id", test_bad_client_id);
  g_test_add_func ("/replies/race", test_race);

  status = baton_test_run (server);
  g_free (channel_id);
  g_free (channel_secret);
  return status;
}
