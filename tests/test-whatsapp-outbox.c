/* test-whatsapp-outbox.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "baton-test-graph.h"
#include "baton-test-helpers.h"

/* WhatsApp channels end to end against a real batond and the Graph sandbox: channel CRUD and
 * its secrets, replies through the outbox (success, every error class, retries and backoff on
 * the server's clock, restarts), the 24-h window, templates, read receipts, and a webhook body
 * stored but not processed when the server stopped. */

#define SECRET "outbox-app-secret"
#define START "2026-03-18T13:20:00Z"
#define START_S G_GINT64_CONSTANT (1773840000)

static BatonTestServer *server;
static BatonGraphSandbox *graph;
static char *agent_token;
static guint next_number;
static guint next_wamid;

typedef struct {
  char *id;
  char *number;
} Channel;

static void
channel_free (Channel *channel)
{
  g_free (channel->id);
  g_free (channel->number);
  g_free (channel);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Channel, channel_free)

/* A fresh number on the Graph sandbox, so that tests do not see each other's requests. */
static Channel *
create_channel (const char *waba_id)
{
  Channel *channel = g_new0 (Channel, 1);
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) node = NULL;

  channel->number = g_strdup_printf ("7000%05u", ++next_number);
  json = baton_test_strdup_printf_json ("{\"kind\":\"whatsapp\",\"name\":%s,"
                                        "\"phone_number_id\":%s,\"waba_id\":%s,"
                                        "\"access_token\":\"good-token\","
                                        "\"app_secret\":\"" SECRET "\","
                                        "\"verify_token\":\"verify-me\","
                                        "\"graph_base_url\":%s}",
                                        channel->number, channel->number,
                                        waba_id ? waba_id : "1234",
                                        baton_graph_sandbox_get_base_url (graph));
  node = baton_test_expect (server, "POST", "/api/v1/channels", server->manager_token, json,
                            201, NULL);
  channel->id = g_strdup (baton_test_get_string (node, "id"));
  return channel;
}

/* A customer's text through the webhook; returns the conversation id. */
static char *
customer_writes (Channel    *channel,
                 const char *from,
                 gint64      timestamp,
                 const char *text)
{
  g_autofree char *wamid = g_strdup_printf ("wamid.IN%u", ++next_wamid);
  g_autofree char *body = baton_test_text_webhook (channel->number, from, wamid, timestamp,
                                                   text);
  g_autofree char *phone = g_strconcat ("%2B", from, NULL);
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations?q=%s", phone);
  g_autoptr(JsonNode) list = NULL;

  g_assert_cmpuint (baton_test_post_signed_webhook (server, SECRET, body), ==, 200);
  baton_test_whatsapp_settle (server);
  list = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  g_assert_cmpint (baton_test_get_int (list, "items.#"), >=, 1);
  return g_strdup (baton_test_get_string (list, "items.0.id"));
}

static char *
status_webhook (Channel    *channel,
                const char *wamid,
                const char *status,
                gint64      timestamp)
{
  g_autofree char *ts = g_strdup_printf ("%" G_GINT64_FORMAT, timestamp);

  return baton_test_strdup_printf_json (
    "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{"
    "\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\","
    "\"metadata\":{\"display_phone_number\":\"15550000000\",\"phone_number_id\":%s},"
    "\"statuses\":[{\"id\":%s,\"status\":%s,\"timestamp\":%s,\"recipient_id\":\"1\"}]}}]}]}",
    channel->number, wamid, status, ts);
}

static JsonNode *
reply (const char *conversation_id,
       const char *json,
       guint       expected_status,
       const char *expected_code)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/messages", conversation_id);

  return baton_test_expect (server, "POST", path, agent_token, json, expected_status,
                            expected_code);
}

static char *
messages_path (Channel *channel)
{
  return g_strdup_printf ("/%s/messages", channel->number);
}

/* The server clock's now in Unix seconds, for webhooks that open the window. */
static gint64
now_s (void)
{
  g_autoptr(JsonNode) node = baton_test_expect (server, "POST", "/api/v1/test/clock/advance",
                                                server->manager_token, "{\"seconds\":0}", 200,
                                                NULL);
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 (baton_test_get_string (node, "now"),
                                                           NULL);

  return g_date_time_to_unix (now);
}

static JsonNode *
get_channel (const char *id)
{
  g_autoptr(JsonNode) list = baton_test_expect (server, "GET", "/api/v1/channels",
                                                server->manager_token, NULL, 200, NULL);
  JsonArray *items = json_object_get_array_member (json_node_get_object (list), "items");

  for (guint i = 0; i < json_array_get_length (items); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (items, i),
                                                  "id"), id) == 0)
      return json_node_copy (json_array_get_element (items, i));
  g_assert_not_reached ();
  return NULL;
}

static void
test_channel_crud (void)
{
  g_autoptr(Channel) channel = create_channel ("5555");
  g_autofree char *path = g_strdup_printf ("/api/v1/channels/%s", channel->id);
  g_autofree char *duplicate = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) updated = NULL;
  g_autoptr(JsonNode) conflict = NULL;
  g_autoptr(JsonNode) invalid = NULL;
  g_autoptr(JsonNode) missing = NULL;
  g_autoptr(JsonNode) forbidden = NULL;
  g_autoptr(JsonNode) bad_url = NULL;
  g_autoptr(JsonNode) gone = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *text = NULL;

  list = baton_test_expect (server, "GET", "/api/v1/channels", agent_token, NULL, 200, NULL);
  msg = baton_test_send_raw (server, "GET", "/api/v1/channels", agent_token, NULL, &response);
  text = g_strndup (g_bytes_get_data (response, NULL), g_bytes_get_size (response));
  /* secrets never come back */
  g_assert_null (strstr (text, "good-token"));
  g_assert_null (strstr (text, SECRET));
  g_assert_null (strstr (text, "verify-me"));
  g_assert_nonnull (strstr (text, "\"has_access_token\":true"));
  g_assert_nonnull (strstr (text, "/webhooks/whatsapp"));

  /* a PATCH without secrets keeps them: the handshake still knows the verify token */
  updated = baton_test_expect (server, "PATCH", path, server->manager_token,
                               "{\"name\":\"Sales line\",\"display_phone_number\":\"+1 555 0100\"}",
                               200, NULL);
  g_assert_cmpstr (baton_test_get_string (updated, "name"), ==, "Sales line");
  g_assert_cmpstr (baton_test_get_string (updated, "display_phone_number"), ==, "+1 555 0100");
  g_assert_true (baton_test_get_bool (updated, "has_verify_token"));
  {
    g_autoptr(GBytes) challenge = NULL;
    g_autoptr(SoupMessage) handshake = baton_test_send_raw (server, "GET",
                                                            "/webhooks/whatsapp?hub.mode=subscribe"
                                                            "&hub.verify_token=verify-me"
                                                            "&hub.challenge=42", NULL, NULL,
                                                            &challenge);

    g_assert_cmpuint (soup_message_get_status (handshake), ==, 200);
  }

  duplicate = baton_test_strdup_printf_json ("{\"kind\":\"whatsapp\",\"name\":\"Again\","
                                             "\"phone_number_id\":%s,\"access_token\":\"t\","
                                             "\"app_secret\":\"s\",\"verify_token\":\"v\"}",
                                             channel->number);
  conflict = baton_test_expect (server, "POST", "/api/v1/channels", server->manager_token,
                                duplicate, 409, "conflict");
  g_assert_cmpstr (baton_test_get_string (conflict, "error.field"), ==, "phone_number_id");
  invalid = baton_test_expect (server, "POST", "/api/v1/channels", server->manager_token,
                               "{\"kind\":\"whatsapp\",\"name\":\"X\",\"phone_number_id\":\"12a\","
                               "\"access_token\":\"t\",\"app_secret\":\"s\","
                               "\"verify_token\":\"v\"}", 422, "unprocessable");
  g_assert_cmpstr (baton_test_get_string (invalid, "error.field"), ==, "phone_number_id");
  missing = baton_test_expect (server, "POST", "/api/v1/channels", server->manager_token,
                               "{\"kind\":\"whatsapp\",\"name\":\"X\",\"phone_number_id\":\"99\","
                               "\"access_token\":\"t\",\"verify_token\":\"v\"}", 422,
                               "unprocessable");
  g_assert_cmpstr (baton_test_get_string (missing, "error.field"), ==, "app_secret");
  bad_url = baton_test_expect (server, "PATCH", path, server->manager_token,
                               "{\"graph_base_url\":\"ftp://graph.example\"}", 422,
                               "unprocessable");
  g_assert_cmpstr (baton_test_get_string (bad_url, "error.field"), ==, "graph_base_url");
  forbidden = baton_test_expect (server, "POST", "/api/v1/channels", agent_token, duplicate, 403,
                                 "forbidden");
  baton_test_expect (server, "DELETE", path, server->manager_token, NULL, 204, NULL);
  gone = baton_test_expect (server, "PATCH", path, server->manager_token, "{}", 404,
                            "not_found");
}

static void
test_send_success (void)
{
  g_autoptr(Channel) channel = create_channel (NULL);
  g_autofree char *conversation = customer_writes (channel, "447700900501", START_S, "Hello");
  g_autofree char *path = messages_path (channel);
  g_autofree char *status = NULL;
  g_autoptr(JsonNode) sent = NULL;
  g_autoptr(JsonNode) message = NULL;
  g_autoptr(JsonNode) body = NULL;
  const BatonGraphSandboxRequest *request = NULL;
  g_autofree char *message_id = NULL;

  baton_graph_sandbox_push_sent (graph, channel->number, "wamid.OUT.success");
  sent = reply (conversation, "{\"body\":\"We are on it\"}", 201, NULL);
  message_id = g_strdup (baton_test_get_string (sent, "id"));
  g_assert_cmpstr (baton_test_get_string (sent, "status"), ==, "pending");
  g_assert_true (baton_graph_sandbox_wait (graph, "POST", path, 1, 5000));
  message = baton_test_wait_message (server, conversation, message_id, "status", "sent");
  g_assert_cmpstr (baton_test_get_string (message, "external_id"), ==, "wamid.OUT.success");
  request = baton_graph_sandbox_find (graph, "POST", path, 0);
  g_assert_cmpstr (request->authorization, ==, "Bearer good-token");
  body = baton_graph_sandbox_request_json (request);
  g_assert_cmpstr (baton_test_get_string (body, "to"), ==, "447700900501");
  g_assert_cmpstr (baton_test_get_string (body, "text.body"), ==, "We are on it");

  /* then the status webhooks */
  status = status_webhook (channel, "wamid.OUT.success", "delivered", START_S + 5);
  g_assert_cmpuint (baton_test_post_signed_webhook (server, SECRET, status), ==, 200);
  g_clear_pointer (&message, json_node_unref);
  message = baton_test_wait_message (server, conversation, message_id, "status", "delivered");
  /* sent exactly once */
  g_usleep (100 * 1000);
  g_assert_cmpuint (baton_graph_sandbox_count (graph, "POST", path), ==, 1);
}

/* A reply repeated with its client_id, before and after the Graph API took it, is sent to
 * the customer once. */
static void
test_send_once (void)
{
  g_autoptr(Channel) channel = create_channel (NULL);
  g_autofree char *conversation = customer_writes (channel, "447700900509", START_S, "Hello");
  g_autofree char *path = messages_path (channel);
  g_autoptr(JsonNode) sent = NULL;
  g_autoptr(JsonNode) early = NULL;
  g_autoptr(JsonNode) late = NULL;
  g_autoptr(JsonNode) message = NULL;
  const char *json = "{\"body\":\"Once only\",\"client_id\":\"wa-once-1\"}";

  baton_graph_sandbox_push_sent (graph, channel->number, "wamid.OUT.once");
  sent = reply (conversation, json, 201, NULL);
  early = reply (conversation, json, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (early, "id"), ==, baton_test_get_string (sent, "id"));
  message = baton_test_wait_message (server, conversation, baton_test_get_string (sent, "id"),
                                     "status", "sent");
  late = reply (conversation, json, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (late, "id"), ==, baton_test_get_string (sent, "id"));
  g_assert_cmpstr (baton_test_get_string (late, "status"), ==, "sent");
  g_assert_cmpstr (baton_test_get_string (late, "external_id"), ==, "wamid.OUT.once");
  /* nothing more was queued for the outbox to send */
  g_usleep (300 * 1000);
  g_assert_cmpuint (baton_graph_sandbox_count (graph, "POST", path), ==, 1);
}

/* A status that arrives before the send's answer is held, then applied. */
static void
test_status_before_answer (void)
{
  g_autoptr(Channel) channel = create_channel (NULL);
  g_autofree char *conversation = customer_writes (channel, "447700900502", START_S, "Hi");
  g_autofree char *path = messages_path (channel);
  g_autofree char *status = status_webhook (channel, "wamid.OUT.early", "delivered", START_S + 3);
  g_autoptr(JsonNode) sent = NULL;
  g_autoptr(JsonNode) message = NULL;
  BatonGraphSandboxReply slow = {
    .method = "POST", .path = path, .match = BATON_GRAPH_SANDBOX_MATCH_SEND, .status = 200,
    .body = "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"447700900502\","
            "\"wa_id\":\"447700900502\"}],\"messages\":[{\"id\":\"wamid.OUT.early\","
            "\"message_status\":\"accepted\"}]}",
    .delay_ms = 700,
  };

  baton_graph_sandbox_push_reply (graph, &slow);
  sent = reply (conversation, "{\"body\":\"Quick\"}", 201, NULL);
  g_assert_true (baton_graph_sandbox_wait (graph, "POST", path, 1, 5000));
  g_assert_cmpuint (baton_test_post_signed_webhook (server, SECRET, status), ==, 200);
  message = baton_test_wait_message (server, conversation, baton_test_get_string (sent, "id"),
                                     "status", "delivered");
}

static JsonNode *
send_and_fail (Channel    *channel,
               const char *conversation,
               guint       http_status,
               const char *fixture,
               const char *expected_status)
{
  g_autofree char *path = messages_path (channel);
  g_autoptr(JsonNode) sent = NULL;
  guint before = baton_graph_sandbox_count (graph, "POST", path);

  baton_test_graph_push_send_error (graph, channel->number, http_status, fixture);
  sent = reply (conversation, "{\"body\":\"Try this\"}", 201, NULL);
  g_assert_true (baton_graph_sandbox_wait (graph, "POST", path, before + 1, 5000));
  return baton_test_wait_message (server, conversation, baton_test_get_string (sent, "id"),
                                  "status", expected_status);
}

static void
test_permanent_errors (void)
{
  g_autoptr(Channel) channel = create_channel (NULL);
  g_autofree char *conversation = customer_writes (channel, "447700900503", START_S, "Hi");
  g_autofree char *path = messages_path (channel);
  g_autoptr(JsonNode) window = NULL;
  g_autoptr(JsonNode) invalid = NULL;

  window = send_and_fail (channel, conversation, 400, "69-api-error-131047-reengagement.json",
                          "failed");
  g_assert_cmpstr (baton_test_get_string (window, "error.code"), ==, "131047");
  g_assert_nonnull (strstr (baton_test_get_string (window, "error.message"), "template"));
  invalid = send_and_fail (channel, conversation, 400, "71-api-error-100-invalid-parameter.json",
                           "failed");
  g_assert_cmpstr (baton_test_get_string (invalid, "error.code"), ==, "100");
  /* no retry, even much later */
  baton_test_advance_clock (server, 3600);
  g_usleep (200 * 1000);
  g_assert_cmpuint (baton_graph_sandbox_count (graph, "POST", path), ==, 2);
  g_assert_cmpint (baton_test_get_metric (server, "baton_whatsapp_outbox"), ==, 0);
}

static void
test_transient_retry (void)
{
  g_autoptr(Channel) channel = create_channel (NULL);
  g_autofree char *conversation = customer_writes (channel, "447700900504", now_s (), "Hi");
  g_autofree char *path = messages_path (channel);
  g_autoptr(JsonNode) sent = NULL;
  g_autoptr(JsonNode) message = NULL;
  const BatonGraphSandboxRequest *first = NULL;
  const BatonGraphSandboxRequest *second = NULL;

  baton_test_graph_push_send_error (graph, channel->number, 500,
                                    "73-api-error-131000-transient.json");
  baton_test_graph_push_send_error (graph, channel->number, 500,
                                    "73-api-error-131000-transient.json");
  baton_graph_sandbox_push_sent (graph, channel->number, "wamid.OUT.retried");
  sent = reply (conversation, "{\"body\":\"Third time lucky\"}", 201, NULL);
  g_assert_true (baton_graph_sandbox_wait (graph, "POST", path, 1, 5000));
  /* the backoff runs on the server's clock: nothing before it is due */
  g_usleep (300 * 1000);
  g_assert_cmpuint (baton_graph_sandbox_count (graph, "POST", path), ==, 1);
  message = baton_test_find_message (server, conversation, baton_test_get_string (sent, "id"));
  g_assert_cmpstr (baton_test_get_string (message, "status"), ==, "pending");
  baton_test_advance_clock (server, 1);
  g_usleep (200 * 1000);
  g_assert_cmpuint (baton_graph_sandbox_count (graph, "POST", path), ==, 1);
  baton_test_advance_clock (server, 1);
  g_assert_true (baton_graph_sandbox_wait (graph, "POST", path, 2, 5000));
  /* the second backoff is twice as long */
  baton_test_advance_clock (server, 3);
  g_usleep (200 * 1000);
  g_assert_cmpuint (baton_graph_sandbox_count (graph, "POST", path), ==, 2);
  baton_test_advance_clock (server, 1);
  g_assert_true (baton_graph_sandbox_wait (graph, "POST", path, 3, 5000));
  g_clear_pointer (&message, json_node_unref);
  message = baton_test_wait_message (server, conversation, baton_test_get_string (sent, "id"),
                                     "status", "sent");
  first = baton_graph_sandbox_find (graph, "POST", path, 0);
  second = baton_graph_sandbox_find (graph, "POST", path, 2);
  g_assert_true (g_bytes_equal (first->body, second->body));
}

/* 130429 holds the whole number; 131056 only its recipient. */
static void
test_throughput_limits (void)
{
  g_autoptr(Channel) channel = create_channel (NULL);
  gint64 now = now_s ();
  g_autofree char *ana = customer_writes (channel, "447700900505", now, "Hi");
  g_autofree char *ben = customer_writes (channel, "447700900506", now, "Hello");
  g_autofree char *path = messages_path (channel);
  g_autoptr(JsonNode) to_ana = NULL;
  g_autoptr(JsonNode) to_ben = NULL;
  g_autoptr(JsonNode) message = NULL;

  /* the pair rate limit: Ana waits, Ben is answered at once */
  baton_test_graph_push_send_error (graph, channel->number, 400,
                                    "68-api-error-131056-pair-rate.json");
  to_ana = reply (ana, "{\"body\":\"For Ana\"}", 201, NULL);
  g_assert_true (baton_graph_sandbox_wait (graph, "POST", path, 1, 5000));
  g_usleep (100 * 1000);
  to_ben = reply (ben, "{\"body\":\"For Ben\"}", 201, NULL);
  g_assert_true (baton_graph_sandbox_wait (graph, "POST", path, 2, 5000));
  message = baton_test_wait_message (server, ben, baton_test_get_string (to_ben, "id"), "status",
                                     "sent");
  g_clear_pointer (&message, json_node_unref);
  message = baton_test_find_message (server, ana, baton_test_get_string (to_ana, "id"));
  g_assert_cmpstr (baton_test_get_string (message, "status"), ==, "pending");
  baton_test_advance_clock (server, 6);
  g_assert_true (baton_graph_sandbox_wait (graph, "POST", path, 3, 5000));
  g_clear_pointer (&message, json_node_unref);
  message = baton_test_wait_message (server, ana, baton_test_get_string (to_ana, "id"), "status",
                                     "sent");
  g_clear_pointer (&to_ana, json_node_unref);
  g_clear_pointer (&to_ben, json_node_unref);
  g_clear_pointer (&message, json_node_unref);

  /* the number's throughput: everyone on it waits */
  baton_test_graph_push_send_error (graph, channel->number, 400,
                                    "67-api-error-130429-throughput.json");
  to_ana = reply (ana, "{\"body\":\"Again Ana\"}", 201, NULL);
  g_assert_true (baton_graph_sandbox_wait (graph, "POST", path, 4, 5000));
  g_usleep (100 * 1000);
  to_ben = reply (ben, "{\"body\":\"Again Ben\"}", 201, NULL);
  g_usleep (300 * 1000);
  g_assert_cmpuint (baton_graph_sandbox_count (graph, "POST", path), ==, 4);
  baton_test_advance_clock (server, 2);
  g_assert_true (baton_graph_sandbox_wait (graph, "POST", path, 6, 5000));
  message = baton_test_wait_message (server, ana, baton_test_get_string (to_ana, "id"), "status",
                                     "sent");
  g_clear_pointer (&message, json_node_unref);
  message = baton_test_wait_message (server, ben, baton_test_get_string (to_ben, "id"), "status",
                                     "sent");
}

/* 190: the number pauses, keeps its queue, and resumes with a new token. */
static void
test_token_expired (void)
{
  g_autoptr(Channel) channel = create_channel (NULL);
  g_autofree char *conversation = customer_writes (channel, "447700900507", now_s (), "Hi");
  g_autofree char *path = messages_path (channel);
  g_autofree char *channel_path = g_strdup_printf ("/api/v1/channels/%s", channel->id);
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) paused = NULL;
  g_autoptr(JsonNode) resumed = NULL;
  g_autoptr(JsonNode) message = NULL;
  const BatonGraphSandboxRequest *request = NULL;

  baton_test_graph_push_send_error (graph, channel->number, 401,
                                    "70-api-error-190-token-expired.json");
  first = reply (conversation, "{\"body\":\"One\"}", 201, NULL);
  g_assert_true (baton_graph_sandbox_wait (graph, "POST", path, 1, 5000));
  for (guint i = 0; i < 500; i++)
    {
      g_clear_pointer (&paused, json_node_unref);
      paused = get_channel (channel->id);
      if (g_strcmp0 (baton_test_get_string (paused, "state"), "paused") == 0)
        break;
      g_usleep (10 * 1000);
    }
  g_assert_cmpstr (baton_test_get_string (paused, "state"), ==, "paused");
  g_assert_nonnull (strstr (baton_test_get_string (paused, "state_message"), "190"));
  second = reply (conversation, "{\"body\":\"Two\"}", 201, NULL);
  baton_test_advance_clock (server, 3600);
  g_usleep (200 * 1000);
  /* nothing is sent while paused, nothing is lost */
  g_assert_cmpuint (baton_graph_sandbox_count (graph, "POST", path), ==, 1);
  message = baton_test_find_message (server, conversation, baton_test_get_string (first, "id"));
  g_assert_cmpstr (baton_test_get_string (message, "status"), ==, "pending");
  resumed = baton_test_expect (server, "PATCH", channel_path, server->manager_token,
                               "{\"access_token\":\"fresh-token\"}", 200, NULL);
  g_assert_cmpstr (baton_test_get_string (resumed, "state"), ==, "ok");
  g_assert_true (baton_graph_sandbox_wait (graph, "POST", path, 3, 5000));
  g_clear_pointer (&message, json_node_unref);
  message = baton_test_wait_message (server, conversation, baton_test_get_string (first, "id"),
                                     "status", "sent");
  g_clear_pointer (&message, json_node_unref);
  message = baton_test_wait_message (server, conversation, baton_test_get_string (second, "id"),
                                     "status", "sent");
  /* in order, with the new token */
  request = baton_graph_sandbox_find (graph, "POST", path, 1);
  g_assert_cmpstr (request->authorization, ==, "Bearer fresh-token");
  {
    g_autoptr(JsonNode) body = baton_graph_sandbox_request_json (request);

    g_assert_cmpstr (baton_test_get_string (body, "text.body"), ==, "One");
  }
}

static void
test_window_and_templates (void)
{
  g_autoptr(Channel) channel = create_channel ("8888");
  gint64 now = now_s ();
  g_autofree char *conversation = customer_writes (channel, "447700900508", now, "Hi");
  g_autofree char *path = messages_path (channel);
  g_autofree char *templates_path = g_strdup_printf ("/api/v1/channels/%s/templates",
                                                     channel->id);
  g_autoptr(JsonNode) closed = NULL;
  g_autoptr(JsonNode) templates = NULL;
  g_autoptr(JsonNode) unknown = NULL;
  g_autoptr(JsonNode) wrong_count = NULL;
  g_autoptr(JsonNode) sent = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) conversation_node = NULL;
  g_autofree char *conversation_path = g_strdup_printf ("/api/v1/conversations/%s",
                                                        conversation);

  baton_test_graph_set_templates (graph, "8888",
                                  "[{\"name\":\"follow_up\",\"language\":\"en\",\"status\":"
                                  "\"APPROVED\",\"category\":\"UTILITY\",\"components\":[{\"type\":"
                                  "\"BODY\",\"text\":\"Hello {{1}}, any news about {{2}}?\"}]},"
                                  "{\"name\":\"draft\",\"language\":\"en\",\"status\":\"PENDING\","
                                  "\"components\":[]},{\"name\":\"welcome\",\"language\":\"fr\","
                                  "\"status\":\"APPROVED\",\"components\":[{\"type\":\"HEADER\","
                                  "\"format\":\"TEXT\",\"text\":\"Bienvenue\"},{\"type\":\"BODY\","
                                  "\"text\":\"Merci !\"},{\"type\":\"FOOTER\","
                                  "\"text\":\"Baton\"}]}]", 2);
  /* a day and a bit later the window is closed */
  baton_test_advance_clock (server, 24 * 3600 + 1);
  conversation_node = baton_test_expect (server, "GET", conversation_path,
                                         server->manager_token, NULL, 200, NULL);
  g_assert_nonnull (baton_test_get_string (conversation_node, "window_expires_at"));
  closed = reply (conversation, "{\"body\":\"Still there?\"}", 422, "window_closed");
  g_usleep (100 * 1000);
  g_assert_cmpuint (baton_graph_sandbox_count (graph, "POST", path), ==, 0);
  /* notes are fine */
  g_clear_pointer (&sent, json_node_unref);
  sent = reply (conversation, "{\"body\":\"Customer went quiet\",\"note\":true}", 201, NULL);

  /* only approved templates, over two pages */
  templates = baton_test_expect (server, "GET", templates_path, agent_token, NULL, 200, NULL);
  g_assert_cmpint (baton_test_get_int (templates, "items.#"), ==, 2);
  g_assert_cmpstr (baton_test_get_string (templates, "items.0.name"), ==, "follow_up");
  g_assert_cmpstr (baton_test_get_string (templates, "items.0.body"), ==,
                   "Hello {{1}}, any news about {{2}}?");
  g_assert_cmpint (baton_test_get_int (templates, "items.0.parameters"), ==, 2);
  g_assert_cmpstr (baton_test_get_string (templates, "items.1.header"), ==, "Bienvenue");
  g_assert_cmpstr (baton_test_get_string (templates, "items.1.footer"), ==, "Baton");

  unknown = reply (conversation, "{\"template\":{\"name\":\"draft\",\"language\":\"en\"}}", 422,
                   "unprocessable");
  g_assert_cmpstr (baton_test_get_string (unknown, "error.field"), ==, "template.name");
  wrong_count = reply (conversation, "{\"template\":{\"name\":\"follow_up\",\"language\":\"en\","
                       "\"parameters\":[\"Sam\"]}}", 422, "unprocessable");
  g_assert_cmpstr (baton_test_get_string (wrong_count, "error.field"), ==,
                   "template.parameters");
  g_clear_pointer (&sent, json_node_unref);
  sent = reply (conversation, "{\"template\":{\"name\":\"follow_up\",\"language\":\"en\","
                "\"parameters\":[\"Sam\",\"the invoice\"]}}", 201, NULL);
  g_assert_cmpstr (baton_test_get_string (sent, "body"), ==,
                   "Hello Sam, any news about the invoice?");
  g_assert_cmpstr (baton_test_get_string (sent, "status"), ==, "pending");
  g_assert_true (baton_graph_sandbox_wait (graph, "POST", path, 1, 5000));
  body = baton_graph_sandbox_request_json (baton_graph_sandbox_find (graph, "POST", path, 0));
  g_assert_cmpstr (baton_test_get_string (body, "type"), ==, "template");
  g_assert_cmpstr (baton_test_get_string (body, "template.name"), ==, "follow_up");
  g_assert_cmpstr (baton_test_get_string (body, "template.components.0.parameters.1.text"), ==,
                   "the invoice");
}

static void
test_mark_read (void)
{
  g_autoptr(Channel) channel = create_channel (NULL);
  g_autofree char *conversation = customer_writes (channel, "447700900509", now_s (), "Hi");
  g_autofree char *path = messages_path (channel);
  g_autofree char *read_path = g_strdup_printf ("/api/v1/conversations/%s/read", conversation);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GBytes) fixture = NULL;
  g_autoptr(JsonNode) expected = NULL;
  g_autofree char *fixture_path = g_test_build_filename (G_TEST_DIST, "fixtures", "whatsapp",
                                                         "63-api-mark-read-request.json", NULL);
  char *data = NULL;

  baton_test_expect (server, "POST", read_path, agent_token, NULL, 204, NULL);
  g_assert_true (baton_graph_sandbox_wait (graph, "POST", path, 1, 5000));
  body = baton_graph_sandbox_request_json (baton_graph_sandbox_find (graph, "POST", path, 0));
  /* corpus 63, with this conversation's last customer message */
  g_assert_true (g_file_get_contents (fixture_path, &data, NULL, NULL));
  expected = json_from_string (data, NULL);
  g_free (data);
  json_object_set_string_member (json_node_get_object (expected), "message_id",
                                 baton_test_get_string (body, "message_id"));
  g_assert_true (json_node_equal (body, expected));
  g_assert_true (g_str_has_prefix (baton_test_get_string (body, "message_id"), "wamid.IN"));
  /* opening it again sends nothing new */
  baton_test_expect (server, "POST", read_path, agent_token, NULL, 204, NULL);
  g_usleep (200 * 1000);
  g_assert_cmpuint (baton_graph_sandbox_count (graph, "POST", path), ==, 1);
  /* 131009 is ignored: best effort, no retry */
  g_free (customer_writes (channel, "447700900509", now_s (), "Again"));
  baton_test_graph_push_file (graph, "POST", path, 400, "72-api-error-131009-bad-message-id.json");
  baton_test_expect (server, "POST", read_path, agent_token, NULL, 204, NULL);
  g_assert_true (baton_graph_sandbox_wait (graph, "POST", path, 2, 5000));
  baton_test_advance_clock (server, 3600);
  g_usleep (200 * 1000);
  g_assert_cmpuint (baton_graph_sandbox_count (graph, "POST", path), ==, 2);
}

/* A flow's automatic reply goes out through the outbox like an agent's. */
static void
test_flow_reply (void)
{
  g_autoptr(Channel) channel = create_channel (NULL);
  g_autofree char *path = messages_path (channel);
  g_autofree char *flow = baton_test_strdup_printf_json (
    "{\"name\":\"Greeting\",\"trigger\":{\"on\":\"conversation.created\","
    "\"channel_ids\":[%s]},\"steps\":[{\"type\":\"send_message\","
    "\"body\":\"Thanks for writing, we answer within the hour.\"}]}", channel->id);
  g_autoptr(JsonNode) created = baton_test_expect (server, "POST", "/api/v1/flows",
                                                   server->manager_token, flow, 201, NULL);
  g_autofree char *conversation = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *flow_path = g_strdup_printf ("/api/v1/flows/%s",
                                                baton_test_get_string (created, "id"));

  conversation = customer_writes (channel, "447700900513", now_s (), "Hello?");
  g_assert_true (baton_graph_sandbox_wait (graph, "POST", path, 1, 5000));
  body = baton_graph_sandbox_request_json (baton_graph_sandbox_find (graph, "POST", path, 0));
  g_assert_cmpstr (baton_test_get_string (body, "to"), ==, "447700900513");
  g_assert_cmpstr (baton_test_get_string (body, "text.body"), ==,
                   "Thanks for writing, we answer within the hour.");
  baton_test_expect (server, "DELETE", flow_path, server->manager_token, NULL, 204, NULL);
  (void) conversation;
}

/* A reply waiting for its retry when batond stops is sent once after the restart; one the
 * API had accepted is not sent again. */
static void
test_restart (void)
{
  g_autoptr(Channel) channel = create_channel (NULL);
  g_autofree char *conversation = customer_writes (channel, "447700900510", now_s (), "Hi");
  g_autofree char *path = messages_path (channel);
  g_autoptr(JsonNode) accepted = NULL;
  g_autoptr(JsonNode) waiting = NULL;
  g_autoptr(JsonNode) message = NULL;
  gint64 stopped_at = 0;

  baton_graph_sandbox_push_sent (graph, channel->number, "wamid.OUT.before-restart");
  accepted = reply (conversation, "{\"body\":\"Accepted before\"}", 201, NULL);
  g_assert_true (baton_graph_sandbox_wait (graph, "POST", path, 1, 5000));
  message = baton_test_wait_message (server, conversation, baton_test_get_string (accepted, "id"),
                                     "status", "sent");
  baton_test_graph_push_send_error (graph, channel->number, 500,
                                    "73-api-error-131000-transient.json");
  waiting = reply (conversation, "{\"body\":\"Pending across the restart\"}", 201, NULL);
  g_assert_true (baton_graph_sandbox_wait (graph, "POST", path, 2, 5000));
  g_usleep (100 * 1000);
  stopped_at = now_s ();

  baton_test_server_kill (server);
  baton_test_server_start (server);
  /* the clock starts again where --test-clock says; the retry is due 2 s after the stop */
  baton_test_advance_clock (server, stopped_at - START_S);
  g_usleep (300 * 1000);
  g_assert_cmpuint (baton_graph_sandbox_count (graph, "POST", path), ==, 2);
  baton_test_advance_clock (server, 2);
  g_assert_true (baton_graph_sandbox_wait (graph, "POST", path, 3, 5000));
  g_clear_pointer (&message, json_node_unref);
  message = baton_test_wait_message (server, conversation, baton_test_get_string (waiting, "id"),
                                     "status", "sent");
  g_usleep (300 * 1000);
  g_assert_cmpuint (baton_graph_sandbox_count (graph, "POST", path), ==, 3);
  {
    g_autoptr(JsonNode) last = baton_graph_sandbox_request_json (baton_graph_sandbox_find (graph, "POST",
                                                                               path, 2));

    g_assert_cmpstr (baton_test_get_string (last, "text.body"), ==,
                     "Pending across the restart");
  }
}

/* A body stored and acknowledged but not processed when batond died is processed at start. */
static void
test_reprocess_at_start (void)
{
  g_autoptr(Channel) channel = create_channel (NULL);
  g_autoptr(BatonStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, SECRET, -1);
  g_autoptr(JsonNode) list = NULL;

  body = baton_test_strdup_printf_json (
    "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{"
    "\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\","
    "\"metadata\":{\"display_phone_number\":\"1\",\"phone_number_id\":%s},"
    "\"messages\":[{\"from\":\"447700900511\",\"id\":\"wamid.STORED\","
    "\"timestamp\":\"1773840000\",\"type\":\"text\",\"text\":{\"body\":\"Stored only\"}}]}}]}]}",
    channel->number);
  baton_test_server_stop (server);
  store = baton_test_server_open_store (server);
  g_assert_cmpint (baton_store_exec (store, &error, "INSERT INTO webhook_deliveries (received_at,"
                                     " body, app_secret_hash) VALUES (1, ?, ?)", "ss", body,
                                     digest), ==, 1);
  g_assert_no_error (error);
  baton_store_close (store);
  baton_test_server_start (server);
  baton_test_whatsapp_settle (server);
  list = baton_test_expect (server, "GET", "/api/v1/conversations?q=%2B447700900511",
                            server->manager_token, NULL, 200, NULL);
  g_assert_cmpint (baton_test_get_int (list, "items.#"), ==, 1);
  g_assert_cmpstr (baton_test_get_string (list, "items.0.last_message.preview"), ==,
                   "Stored only");
}

/* A body signed with another app's secret does not speak for this app's numbers. */
static void
test_other_app_secret (void)
{
  g_autoptr(Channel) ours = create_channel (NULL);
  g_autofree char *json = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) list = NULL;

  json = baton_test_strdup_printf_json ("{\"kind\":\"whatsapp\",\"name\":\"Other app\","
                                        "\"phone_number_id\":\"6100000001\","
                                        "\"access_token\":\"t\",\"app_secret\":\"other-secret\","
                                        "\"verify_token\":\"v\",\"graph_base_url\":%s}",
                                        baton_graph_sandbox_get_base_url (graph));
  created = baton_test_expect (server, "POST", "/api/v1/channels", server->manager_token, json,
                               201, NULL);
  body = baton_test_strdup_printf_json (
    "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{"
    "\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\","
    "\"metadata\":{\"display_phone_number\":\"1\",\"phone_number_id\":%s},"
    "\"messages\":[{\"from\":\"447700900512\",\"id\":\"wamid.FORGED\","
    "\"timestamp\":\"1773840000\",\"type\":\"text\",\"text\":{\"body\":\"Forged\"}}]}}]}]}",
    ours->number);
  g_assert_cmpuint (baton_test_post_signed_webhook (server, "other-secret", body), ==, 200);
  baton_test_whatsapp_settle (server);
  list = baton_test_expect (server, "GET", "/api/v1/conversations?q=%2B447700900512",
                            server->manager_token, NULL, 200, NULL);
  g_assert_cmpint (baton_test_get_int (list, "items.#"), ==, 0);
}

/* A rotated app secret counts from the answer to its PATCH: a body signed with the old one
 * no longer speaks for the channel's number (webhooks find the secrets in memory, which the
 * channel's change clears). */
static void
test_secret_rotation (void)
{
  g_autoptr(Channel) channel = create_channel (NULL);
  g_autofree char *path = g_strdup_printf ("/api/v1/channels/%s", channel->id);
  g_autofree char *first = NULL;
  g_autofree char *old_body = NULL;
  g_autofree char *new_body = NULL;
  g_autoptr(JsonNode) patched = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) conversation = NULL;

  /* the secret as it was, in use (and so in memory) */
  first = customer_writes (channel, "447700900601", now_s (), "Before the rotation");
  patched = baton_test_expect (server, "PATCH", path, server->manager_token,
                               "{\"app_secret\":\"rotated-secret\"}", 200, NULL);
  old_body = baton_test_text_webhook (channel->number, "447700900602", "wamid.ROTATED1",
                                      now_s (), "Signed with the old secret");
  /* other channels of these tests still have the old secret: it is accepted, and not for
   * this channel's number */
  g_assert_cmpuint (baton_test_post_signed_webhook (server, SECRET, old_body), ==, 200);
  baton_test_whatsapp_settle (server);
  list = baton_test_expect (server, "GET", "/api/v1/conversations?q=%2B447700900602",
                            server->manager_token, NULL, 200, NULL);
  g_assert_cmpint (baton_test_get_int (list, "items.#"), ==, 0);
  g_clear_pointer (&list, json_node_unref);
  new_body = baton_test_text_webhook (channel->number, "447700900602", "wamid.ROTATED2",
                                      now_s (), "Signed with the new secret");
  g_assert_cmpuint (baton_test_post_signed_webhook (server, "rotated-secret", new_body), ==,
                    200);
  baton_test_whatsapp_settle (server);
  list = baton_test_expect (server, "GET", "/api/v1/conversations?q=%2B447700900602",
                            server->manager_token, NULL, 200, NULL);
  g_assert_cmpint (baton_test_get_int (list, "items.#"), ==, 1);
  conversation = baton_test_get_conversation (server, baton_test_get_string (list, "items.0.id"));
  g_assert_cmpstr (baton_test_get_string (conversation, "last_message.preview"), ==,
                   "Signed with the new secret");
}

/* A file the agent uploads; returns its attachment id. */
static char *
upload_file (const char *filename,
             const char *content_type,
             GBytes     *bytes)
{
  g_autoptr(JsonNode) node = baton_test_upload (server, agent_token, filename, content_type,
                                                bytes, 201, NULL);

  return g_strdup (baton_test_get_string (node, "id"));
}

/* The form fields of a media upload the sandbox received: name → value (the file's bytes
 * under "file", its type under "file.type", its name under "file.name"). */
static GHashTable *
upload_form (const BatonGraphSandboxRequest *request)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autoptr(SoupMultipart) multipart = NULL;
  GHashTable *form = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) g_bytes_unref);

  soup_message_headers_replace (headers, "Content-Type", request->content_type);
  multipart = soup_multipart_new_from_message (headers, request->body);
  g_assert_nonnull (multipart);
  for (int i = 0; i < soup_multipart_get_length (multipart); i++)
    {
      SoupMessageHeaders *part = NULL;
      GBytes *body = NULL;
      g_autofree char *disposition = NULL;
      g_autoptr(GHashTable) params = NULL;
      const char *name = NULL;

      soup_multipart_get_part (multipart, i, &part, &body);
      g_assert_true (soup_message_headers_get_content_disposition (part, &disposition, &params));
      name = g_hash_table_lookup (params, "name");
      g_hash_table_insert (form, g_strdup (name), g_bytes_ref (body));
      if (g_hash_table_lookup (params, "filename"))
        {
          const char *type = soup_message_headers_get_content_type (part, NULL);
          const char *filename = g_hash_table_lookup (params, "filename");

          g_hash_table_insert (form, g_strconcat (name, ".type", NULL),
                               g_bytes_new (type, strlen (type)));
          g_hash_table_insert (form, g_strconcat (name, ".name", NULL),
                               g_bytes_new (filename, strlen (filename)));
        }
    }
  return form;
}

static void
assert_form_text (GHashTable *form,
                  const char *name,
                  const char *expected)
{
  GBytes *value = g_hash_table_lookup (form, name);
  g_autofree char *text = NULL;

  g_assert_nonnull (value);
  text = g_strndup (g_bytes_get_data (value, NULL), g_bytes_get_size (value));
  g_assert_cmpstr (text, ==, expected);
}

/* A reply with a photo and a PDF: each file is uploaded to the number's media endpoint, then
 * sent as its kind with the media id; the text is the photo's caption. */
static void
test_send_media (void)
{
  g_autoptr(Channel) channel = create_channel (NULL);
  g_autofree char *conversation = customer_writes (channel, "447700900521", now_s (), "Hi");
  g_autofree char *path = messages_path (channel);
  g_autofree char *media_path = g_strdup_printf ("/%s/media", channel->number);
  g_autoptr(GBytes) photo = g_bytes_new_static ("\x89PNG\r\n\x1a\nphoto", 13);
  g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.4 invoice", 16);
  g_autofree char *photo_id = upload_file ("parcel.png", "image/png", photo);
  g_autofree char *pdf_id = upload_file ("invoice.pdf", "application/pdf", pdf);
  g_autofree char *json = baton_test_strdup_printf_json ("{\"body\":\"Your invoice\","
                                                         "\"attachment_ids\":[%s,%s]}",
                                                         photo_id, pdf_id);
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(JsonNode) sent = NULL;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) message = NULL;

  sent = reply (conversation, json, 201, NULL);
  g_assert_cmpstr (baton_test_get_string (sent, "status"), ==, "pending");
  g_assert_true (baton_graph_sandbox_wait (graph, "POST", path, 2, 5000));
  g_assert_cmpuint (baton_graph_sandbox_count (graph, "POST", media_path), ==, 2);

  form = upload_form (baton_graph_sandbox_find (graph, "POST", media_path, 0));
  assert_form_text (form, "messaging_product", "whatsapp");
  assert_form_text (form, "type", "image/png");
  assert_form_text (form, "file.type", "image/png");
  assert_form_text (form, "file.name", "parcel.png");
  g_assert_true (g_bytes_equal (g_hash_table_lookup (form, "file"), photo));
  g_clear_pointer (&form, g_hash_table_unref);
  form = upload_form (baton_graph_sandbox_find (graph, "POST", media_path, 1));
  assert_form_text (form, "type", "application/pdf");
  g_assert_true (g_bytes_equal (g_hash_table_lookup (form, "file"), pdf));

  /* the sandbox refuses a media id it did not give, so these ids are the uploads' */
  first = baton_graph_sandbox_request_json (baton_graph_sandbox_find (graph, "POST", path, 0));
  g_assert_cmpstr (baton_test_get_string (first, "to"), ==, "447700900521");
  g_assert_cmpstr (baton_test_get_string (first, "type"), ==, "image");
  g_assert_nonnull (baton_test_get_string (first, "image.id"));
  g_assert_cmpstr (baton_test_get_string (first, "image.caption"), ==, "Your invoice");
  second = baton_graph_sandbox_request_json (baton_graph_sandbox_find (graph, "POST", path, 1));
  g_assert_cmpstr (baton_test_get_string (second, "type"), ==, "document");
  g_assert_cmpstr (baton_test_get_string (second, "document.filename"), ==, "invoice.pdf");
  g_assert_false (json_object_has_member (json_object_get_object_member (
                    json_node_get_object (second), "document"), "caption"));
  g_assert_cmpstr (baton_test_get_string (second, "document.id"), !=,
                   baton_test_get_string (first, "image.id"));
  message = baton_test_wait_message (server, conversation, baton_test_get_string (sent, "id"),
                                     "status", "sent");
  g_assert_nonnull (baton_test_get_string (message, "external_id"));
  g_assert_cmpint (baton_test_get_int (message, "attachments.#"), ==, 2);
  g_usleep (200 * 1000);
  g_assert_cmpuint (baton_graph_sandbox_count (graph, "POST", path), ==, 2);
  g_assert_cmpint (baton_test_get_metric (server, "baton_whatsapp_outbox"), ==, 0);
}

/* Audio takes no caption: the text goes first, on its own. */
static void
test_send_audio_with_text (void)
{
  g_autoptr(Channel) channel = create_channel (NULL);
  g_autofree char *conversation = customer_writes (channel, "447700900522", now_s (), "Hi");
  g_autofree char *path = messages_path (channel);
  g_autoptr(GBytes) voice = g_bytes_new_static ("OggS voice", 10);
  g_autofree char *voice_id = upload_file ("note.ogg", "audio/ogg", voice);
  g_autofree char *json = baton_test_strdup_printf_json ("{\"body\":\"Listen to this\","
                                                         "\"attachment_ids\":[%s]}", voice_id);
  g_autoptr(JsonNode) sent = NULL;
  g_autoptr(JsonNode) text = NULL;
  g_autoptr(JsonNode) audio = NULL;
  g_autoptr(JsonNode) message = NULL;

  sent = reply (conversation, json, 201, NULL);
  g_assert_true (baton_graph_sandbox_wait (graph, "POST", path, 2, 5000));
  text = baton_graph_sandbox_request_json (baton_graph_sandbox_find (graph, "POST", path, 0));
  g_assert_cmpstr (baton_test_get_string (text, "type"), ==, "text");
  g_assert_cmpstr (baton_test_get_string (text, "text.body"), ==, "Listen to this");
  audio = baton_graph_sandbox_request_json (baton_graph_sandbox_find (graph, "POST", path, 1));
  g_assert_cmpstr (baton_test_get_string (audio, "type"), ==, "audio");
  g_assert_nonnull (baton_test_get_string (audio, "audio.id"));
  message = baton_test_wait_message (server, conversation, baton_test_get_string (sent, "id"),
                                     "status", "sent");
}

/* A send that fails after the upload is retried with the media Graph already has. */
static void
test_media_retry_keeps_upload (void)
{
  g_autoptr(Channel) channel = create_channel (NULL);
  g_autofree char *conversation = customer_writes (channel, "447700900524", now_s (), "Hi");
  g_autofree char *path = messages_path (channel);
  g_autofree char *media_path = g_strdup_printf ("/%s/media", channel->number);
  g_autoptr(GBytes) photo = g_bytes_new_static ("\x89PNG\r\n\x1a\nretry", 13);
  g_autofree char *photo_id = upload_file ("retry.png", "image/png", photo);
  g_autofree char *json = baton_test_strdup_printf_json ("{\"attachment_ids\":[%s]}",
                                                         photo_id);
  g_autoptr(JsonNode) sent = NULL;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) message = NULL;

  baton_test_graph_push_send_error (graph, channel->number, 500,
                                    "73-api-error-131000-transient.json");
  sent = reply (conversation, json, 201, NULL);
  g_assert_true (baton_graph_sandbox_wait (graph, "POST", path, 1, 5000));
  baton_test_advance_clock (server, 2);
  g_assert_true (baton_graph_sandbox_wait (graph, "POST", path, 2, 5000));
  message = baton_test_wait_message (server, conversation, baton_test_get_string (sent, "id"),
                                     "status", "sent");
  g_assert_cmpuint (baton_graph_sandbox_count (graph, "POST", media_path), ==, 1);
  first = baton_graph_sandbox_request_json (baton_graph_sandbox_find (graph, "POST", path, 0));
  second = baton_graph_sandbox_request_json (baton_graph_sandbox_find (graph, "POST", path, 1));
  g_assert_cmpstr (baton_test_get_string (second, "image.id"), ==,
                   baton_test_get_string (first, "image.id"));
}

/* A refused upload fails the reply like a refused send; nothing of it is sent. */
static void
test_media_upload_refused (void)
{
  g_autoptr(Channel) channel = create_channel (NULL);
  g_autofree char *conversation = customer_writes (channel, "447700900523", now_s (), "Hi");
  g_autofree char *path = messages_path (channel);
  g_autofree char *media_path = g_strdup_printf ("/%s/media", channel->number);
  g_autoptr(GBytes) photo = g_bytes_new_static ("\x89PNG\r\n\x1a\nbroken", 14);
  g_autofree char *photo_id = upload_file ("broken.png", "image/png", photo);
  g_autofree char *second_id = upload_file ("b.png", "image/png", photo);
  g_autofree char *json = baton_test_strdup_printf_json ("{\"body\":\"Look\","
                                                         "\"attachment_ids\":[%s,%s]}",
                                                         photo_id, second_id);
  g_autoptr(JsonNode) sent = NULL;
  g_autoptr(JsonNode) message = NULL;

  baton_test_graph_push_file (graph, "POST", media_path, 400,
                              "71-api-error-100-invalid-parameter.json");
  sent = reply (conversation, json, 201, NULL);
  message = baton_test_wait_message (server, conversation, baton_test_get_string (sent, "id"),
                                     "status", "failed");
  g_assert_cmpstr (baton_test_get_string (message, "error.code"), ==, "100");
  g_usleep (300 * 1000);
  g_assert_cmpuint (baton_graph_sandbox_count (graph, "POST", media_path), ==, 1);
  g_assert_cmpuint (baton_graph_sandbox_count (graph, "POST", path), ==, 0);
  g_assert_cmpint (baton_test_get_metric (server, "baton_whatsapp_outbox"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  int result;
  g_autofree char *agent_id = NULL;

  g_test_init (&argc, &argv, NULL);
  graph = baton_test_graph_new ();
  /* one name across restarts: on PostgreSQL, the node started again under it goes on with
   * the replies the killed one had claimed, rather than waiting for its claims to lapse */
  server = baton_test_server_new ("--test-clock=" START, "--node-id", "outbox-node", NULL);
  agent_id = baton_test_create_agent (server, "Otto Box", "otto@outbox.example", "agent",
                                      &agent_token);

  g_test_add_func ("/whatsapp/channels/crud", test_channel_crud);
  g_test_add_func ("/whatsapp/outbox/success", test_send_success);
  g_test_add_func ("/whatsapp/outbox/status-before-answer", test_status_before_answer);
  g_test_add_func ("/whatsapp/outbox/send-once", test_send_once);
  g_test_add_func ("/whatsapp/outbox/permanent-errors", test_permanent_errors);
  g_test_add_func ("/whatsapp/outbox/transient-retry", test_transient_retry);
  g_test_add_func ("/whatsapp/outbox/throughput-limits", test_throughput_limits);
  g_test_add_func ("/whatsapp/outbox/token-expired", test_token_expired);
  g_test_add_func ("/whatsapp/outbox/window-and-templates", test_window_and_templates);
  g_test_add_func ("/whatsapp/outbox/mark-read", test_mark_read);
  g_test_add_func ("/whatsapp/outbox/flow-reply", test_flow_reply);
  g_test_add_func ("/whatsapp/outbox/restart", test_restart);
  g_test_add_func ("/whatsapp/outbox/media", test_send_media);
  g_test_add_func ("/whatsapp/outbox/media-audio-with-text", test_send_audio_with_text);
  g_test_add_func ("/whatsapp/outbox/media-upload-refused", test_media_upload_refused);
  g_test_add_func ("/whatsapp/outbox/media-retry-keeps-upload", test_media_retry_keeps_upload);
  g_test_add_func ("/whatsapp/webhook/reprocess-at-start", test_reprocess_at_start);
  g_test_add_func ("/whatsapp/webhook/other-app-secret", test_other_app_secret);
  g_test_add_func ("/whatsapp/webhook/secret-rotation", test_secret_rotation);
  result = baton_test_run (server);
  g_object_unref (graph);
  g_free (agent_token);
  return result;
}
