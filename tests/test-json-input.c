/* test-json-input.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "baton-test-graph.h"
#include "baton-json.h"
#include "baton-test-helpers.h"

/* What batond makes of JSON that json-glib alone would get wrong, through real HTTP and the
 * event stream: a lone surrogate escape reads as U+FFFD wherever a string comes in (a
 * customer's message, a team name, a contact field), is read back with GET and arrives over
 * the stream; raw invalid UTF-8 is a 400; a webhook number beyond int64 is stored and read
 * back as valid JSON. The harness fails on any response or frame that is not strict UTF-8
 * JSON. */

#define APP_SECRET "json_input_app_secret_4d1e"
#define NUMBER "106540352242922"
#define REPLACEMENT "\xef\xbf\xbd"
#define TIMEOUT_MS 10000

static BatonTestServer *server;

/* GET path as raw bytes: valid UTF-8 and strict JSON, then parsed. */
static JsonNode *
get_checked (const char *path)
{
  g_autoptr(GBytes) response = NULL;
  g_autoptr(SoupMessage) msg = baton_test_send_raw (server, "GET", path, server->manager_token,
                                                    NULL, &response);
  gsize length = 0;
  const char *data = g_bytes_get_data (response, &length);
  g_autoptr(GError) error = NULL;
  JsonNode *node = NULL;

  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_true (g_utf8_validate_len (data, length, NULL));
  g_assert_true (baton_json_is_strict (data, length));
  node = baton_json_parse (data, length, &error);
  g_assert_no_error (error);
  return node;
}

/* The string at path (as baton_test_get_string reads it) in the data of the next event of
 * that type on the stream. */
static char *
wait_event_string (BatonTestStream *stream,
                   const char      *type,
                   const char      *path)
{
  g_autoptr(JsonObject) frame = baton_test_stream_wait (stream, type, NULL, TIMEOUT_MS);
  g_autoptr(JsonNode) data = NULL;

  g_assert_nonnull (frame);
  data = json_node_init_object (json_node_alloc (),
                                json_object_get_object_member (frame, "data"));
  return g_strdup (baton_test_get_string (data, path));
}

static char *
customer_message (BatonTestStream *stream,
                  const char      *channel_id,
                  const char      *secret)
{
  g_autoptr(JsonNode) accepted = NULL;
  g_autoptr(JsonNode) messages = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autofree char *path = NULL;
  g_autofree char *streamed = NULL;

  accepted = baton_test_inbound_expect (server, channel_id, secret,
                                        "{\"from\":\"+33612000001\","
                                        "\"body\":\"hi \\ude02 there\"}", 202, NULL);
  streamed = wait_event_string (stream, "message.created", "body");
  g_assert_cmpstr (streamed, ==, "hi " REPLACEMENT " there");

  path = g_strdup_printf ("/api/v1/conversations/%s/messages",
                          baton_test_get_string (accepted, "conversation_id"));
  messages = get_checked (path);
  g_assert_cmpstr (baton_test_get_string (messages, "items.0.body"), ==,
                   "hi " REPLACEMENT " there");
  list = get_checked ("/api/v1/conversations");
  g_assert_cmpint (baton_test_get_int (list, "items.#"), >=, 1);
  return g_strdup (baton_test_get_string (accepted, "conversation_id"));
}

/* A lone surrogate escape in a customer's message, a team name and a contact field: stored as
 * U+FFFD, read back with GET and sent over the stream as valid JSON. */
static void
test_lone_surrogates (void)
{
  g_autofree char *secret = NULL;
  g_autofree char *channel_id = baton_test_create_channel (server, NULL, &secret);
  BatonTestStream *stream = baton_test_stream_open (server, server->manager_token, NULL, NULL);
  g_autofree char *conversation_id = NULL;
  g_autofree char *team_path = NULL;
  g_autofree char *conversation_path = NULL;
  g_autofree char *contact_path = NULL;
  g_autoptr(JsonNode) team = NULL;
  g_autoptr(JsonNode) team_again = NULL;
  g_autoptr(JsonNode) conversation = NULL;
  g_autoptr(JsonNode) contact = NULL;
  g_autoptr(JsonNode) contact_again = NULL;
  g_autofree char *streamed_name = NULL;
  g_autofree char *streamed_note = NULL;

  g_assert_nonnull (stream);
  conversation_id = customer_message (stream, channel_id, secret);

  team = baton_test_expect (server, "POST", "/api/v1/teams", server->manager_token,
                            "{\"name\":\"T\\ud800\"}", 201, NULL);
  g_assert_cmpstr (baton_test_get_string (team, "name"), ==, "T" REPLACEMENT);
  streamed_name = wait_event_string (stream, "team.created", "name");
  g_assert_cmpstr (streamed_name, ==, "T" REPLACEMENT);
  team_path = g_strdup_printf ("/api/v1/teams/%s", baton_test_get_string (team, "id"));
  team_again = get_checked (team_path);
  g_assert_cmpstr (baton_test_get_string (team_again, "name"), ==, "T" REPLACEMENT);

  conversation_path = g_strdup_printf ("/api/v1/conversations/%s", conversation_id);
  conversation = get_checked (conversation_path);
  contact_path = g_strdup_printf ("/api/v1/contacts/%s",
                                  baton_test_get_string (conversation, "contact.id"));
  contact = baton_test_expect (server, "PATCH", contact_path, server->manager_token,
                               "{\"fields\":{\"note\":\"\\udc00\\ud83d\\ude00\\ud83d\"}}", 200,
                               NULL);
  g_assert_cmpstr (baton_test_get_string (contact, "fields.note"), ==,
                   REPLACEMENT "\xf0\x9f\x98\x80" REPLACEMENT);
  streamed_note = wait_event_string (stream, "contact.updated", "fields.note");
  g_assert_cmpstr (streamed_note, ==, REPLACEMENT "\xf0\x9f\x98\x80" REPLACEMENT);
  contact_again = get_checked (contact_path);
  g_assert_cmpstr (baton_test_get_string (contact_again, "fields.note"), ==,
                   REPLACEMENT "\xf0\x9f\x98\x80" REPLACEMENT);
  baton_test_stream_close (stream);
}

/* Raw bytes that are not UTF-8 are refused, whatever the path; nothing is stored. */
static void
test_invalid_utf8 (void)
{
  g_autofree char *secret = NULL;
  g_autofree char *channel_id = baton_test_create_channel (server, NULL, &secret);
  g_autoptr(JsonNode) teams = get_checked ("/api/v1/teams");
  g_autoptr(JsonNode) teams_after = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(JsonNode) inbound = NULL;

  refused = baton_test_expect (server, "POST", "/api/v1/teams", server->manager_token,
                               "{\"name\":\"T\xed\xb8\x82\"}", 400, "bad_request");
  inbound = baton_test_inbound_expect (server, channel_id, secret,
                                       "{\"from\":\"+33612000002\",\"body\":\"hi \xff\"}", 400,
                                       "bad_request");
  teams_after = get_checked ("/api/v1/teams");
  g_assert_cmpint (baton_test_get_int (teams_after, "items.#"), ==,
                   baton_test_get_int (teams, "items.#"));
}

static char *
read_repro (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "..", "..", "shared",
                                            "repro", "webhook-big-number.json", NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, &error))
    g_error ("%s: %s", path, error->message);
  return text;
}

/* The repro body, for a configured number and signed as Meta signs it: its unknown-type
 * message holding 80000000000000000007 is stored, and its placeholder reads back through the
 * API as valid JSON with the number as 8e+19. */
static void
test_webhook_big_number (void)
{
  BatonGraphSandbox *graph = baton_test_graph_new ();
  g_autofree char *repro = read_repro ();
  g_autofree char *channel = NULL;
  g_autoptr(GString) body = g_string_new (repro);
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) messages = NULL;
  g_autofree char *path = NULL;
  JsonObject *raw = NULL;
  JsonArray *numbers = NULL;

  channel = baton_test_strdup_printf_json ("{\"kind\":\"whatsapp\",\"name\":\"Big numbers\","
                                           "\"phone_number_id\":\"" NUMBER "\","
                                           "\"display_phone_number\":\"15557014499\","
                                           "\"waba_id\":\"102290129340398\","
                                           "\"access_token\":\"token-big\","
                                           "\"app_secret\":\"" APP_SECRET "\","
                                           "\"verify_token\":\"verify-big\","
                                           "\"graph_base_url\":%s}",
                                           baton_graph_sandbox_get_base_url (graph));
  created = baton_test_expect (server, "POST", "/api/v1/channels", server->manager_token,
                               channel, 201, NULL);
  g_assert_cmpuint (g_string_replace (body, "\"phone_number_id\":\"0\"",
                                      "\"phone_number_id\":\"" NUMBER "\"", 1), ==, 1);
  g_assert_cmpuint (strlen (body->str), ==, body->len);
  g_assert_cmpuint (baton_test_post_signed_webhook (server, APP_SECRET, body->str), ==, 200);
  baton_test_whatsapp_settle (server);

  list = get_checked ("/api/v1/conversations?q=%2B6");
  g_assert_cmpint (baton_test_get_int (list, "items.#"), ==, 1);
  path = g_strdup_printf ("/api/v1/conversations/%s/messages",
                          baton_test_get_string (list, "items.0.id"));
  messages = get_checked (path);
  g_assert_cmpstr (baton_test_get_string (messages, "items.0.attachments.0.kind"), ==,
                   "unsupported");
  raw = json_object_get_object_member (
    json_object_get_object_member (
      json_array_get_object_element (
        json_object_get_array_member (
          json_array_get_object_element (
            json_object_get_array_member (json_node_get_object (messages), "items"), 0),
          "attachments"), 0),
      "data"),
    "raw");
  g_assert_nonnull (raw);
  numbers = json_object_get_array_member (raw, "");
  g_assert_nonnull (numbers);
  g_assert_cmpint (json_node_get_value_type (json_array_get_element (numbers, 0)), ==,
                   G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_array_get_double_element (numbers, 0), ==, 8e19);
  g_object_unref (graph);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  server = baton_test_server_new (NULL);

  g_test_add_func ("/json-input/lone-surrogates", test_lone_surrogates);
  g_test_add_func ("/json-input/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/json-input/webhook-big-number", test_webhook_big_number);
  return baton_test_run (server);
}
