/* test-whatsapp-corpus.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "baton-test-graph.h"
#include "baton-test-helpers.h"
#include "whatsapp-corpus.h"

/* The WhatsApp corpus (tests/fixtures/whatsapp, its README the contract) replayed in order
 * against a real batond with two numbers, each file signed as Meta signs it, and every effect
 * read back through the REST API. The outbound seed messages (OUT1–OUT6) are sent by agents
 * through the outbox, the Graph sandbox answering with the corpus's wamids. */

#define VERIFY_TOKEN "corpus-verify-token-7d1e"
#define NUMBER_B "402557813396021"
#define WABA_A "271839406512287"

static BatonTestServer *server;
static BatonGraphSandbox *graph;
static char *channel_a;
static char *channel_b;
static char *agent_id;
static char *agent_token;
static GHashTable *signatures;
static GHashTable *escaped_signatures;

static void
load_signatures (void)
{
  g_autoptr(GBytes) table = baton_test_fixture_bytes ("SIGNATURES.tsv");
  g_autofree char *text = g_strndup (g_bytes_get_data (table, NULL), g_bytes_get_size (table));
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  signatures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  escaped_signatures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; lines[i]; i++)
    {
      g_auto(GStrv) columns = g_strsplit (lines[i], "\t", -1);

      if (lines[i][0] == '#' || g_strv_length (columns) < 2)
        continue;
      g_hash_table_insert (signatures, g_strdup (columns[0]), g_strdup (columns[1]));
      if (columns[2] && *columns[2])
        g_hash_table_insert (escaped_signatures, g_strdup (columns[0]), g_strdup (columns[2]));
    }
}

static guint
post_fixture (const char *name)
{
  g_autoptr(GBytes) body = baton_test_fixture_bytes (name);
  const char *signature = g_hash_table_lookup (signatures, name);

  g_assert_nonnull (signature);
  return baton_test_post_webhook (server, body, signature);
}

/* Processing follows the 200: poll the API until the expected state shows. */
static JsonNode *
wait_for (const char *path,
          const char *member,
          const char *expected)
{
  for (guint i = 0; i < 500; i++)
    {
      g_autoptr(JsonNode) node = baton_test_expect (server, "GET", path, server->manager_token,
                                                    NULL, 200, NULL);
      const char *value = baton_test_get_string (node, member);

      if (g_strcmp0 (value, expected) == 0)
        return g_steal_pointer (&node);
      g_usleep (10 * 1000);
    }
  g_error ("%s: %s never became %s", path, member, expected ? expected : "(null)");
  return NULL;
}

static gint64
wait_for_int (const char *path,
              const char *member,
              gint64      expected)
{
  gint64 value = -1;

  for (guint i = 0; i < 500; i++)
    {
      g_autoptr(JsonNode) node = baton_test_expect (server, "GET", path, server->manager_token,
                                                    NULL, 200, NULL);

      value = baton_test_get_int (node, member);
      if (value == expected)
        return value;
      g_usleep (10 * 1000);
    }
  g_error ("%s: %s is %" G_GINT64_FORMAT ", never %" G_GINT64_FORMAT, path, member, value,
           expected);
  return value;
}

/* The one conversation of a customer (phone with +), once the webhook made it. */
static char *
conversation_of (const char *phone)
{
  g_autofree char *escaped = g_uri_escape_string (phone, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations?q=%s", escaped);
  g_autoptr(JsonNode) list = NULL;

  list = wait_for_int (path, "items.#", 1) ? baton_test_expect (server, "GET", path,
                                                                server->manager_token, NULL,
                                                                200, NULL) : NULL;
  return g_strdup (baton_test_get_string (list, "items.0.id"));
}

static gint64
count_messages (const char *conversation_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/messages?limit=100",
                                           conversation_id);
  g_autoptr(JsonNode) list = baton_test_expect (server, "GET", path, server->manager_token,
                                                NULL, 200, NULL);

  return json_array_get_length (baton_test_items (list));
}

/* The newest message of a conversation that is not an activity line. */
static JsonNode *
last_message (const char *conversation_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/messages?limit=100",
                                           conversation_id);
  g_autoptr(JsonNode) list = baton_test_expect (server, "GET", path, server->manager_token,
                                                NULL, 200, NULL);
  JsonArray *items = baton_test_items (list);

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *message = json_array_get_object_element (items, i);

      if (g_strcmp0 (json_object_get_string_member (message, "kind"), "activity") != 0)
        return json_node_copy (json_array_get_element (items, i));
    }
  g_assert_not_reached ();
  return NULL;
}

/* Posts a fixture and waits until the conversation has one more message. */
static JsonNode *
post_message_fixture (const char *name,
                      const char *phone)
{
  g_autofree char *conversation_id = NULL;
  gint64 before = 0;
  g_autofree char *escaped = g_uri_escape_string (phone, NULL, FALSE);
  g_autofree char *search = g_strdup_printf ("/api/v1/conversations?q=%s", escaped);
  g_autoptr(JsonNode) existing = baton_test_expect (server, "GET", search,
                                                    server->manager_token, NULL, 200, NULL);

  if (baton_test_get_int (existing, "items.#") == 1)
    {
      conversation_id = g_strdup (baton_test_get_string (existing, "items.0.id"));
      before = count_messages (conversation_id);
    }
  g_assert_cmpuint (post_fixture (name), ==, 200);
  if (conversation_id == NULL)
    conversation_id = conversation_of (phone);
  for (guint i = 0; i < 500 && count_messages (conversation_id) <= before; i++)
    g_usleep (10 * 1000);
  return last_message (conversation_id);
}

/* An agent's reply the Graph sandbox accepts with the given wamid. */
static char *
seed_reply (const char *conversation_id,
            const char *body,
            const char *wamid)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/messages", conversation_id);
  g_autofree char *json = baton_test_strdup_printf_json ("{\"body\":%s}", body);
  g_autoptr(JsonNode) message = NULL;
  g_autofree char *id = NULL;
  guint sends = baton_graph_sandbox_count (graph, "POST", "/" NUMBER_A "/messages");

  baton_graph_sandbox_push_sent (graph, NUMBER_A, wamid);
  message = baton_test_expect (server, "POST", path, agent_token, json, 201, NULL);
  g_assert_cmpstr (baton_test_get_string (message, "status"), ==, "pending");
  id = g_strdup (baton_test_get_string (message, "id"));
  g_assert_true (baton_graph_sandbox_wait (graph, "POST", "/" NUMBER_A "/messages", sends + 1,
                                        5000));
  return g_steal_pointer (&id);
}

static char *
contact_id_of (const char *phone)
{
  g_autofree char *escaped = g_uri_escape_string (phone, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/api/v1/contacts?q=%s", escaped);
  g_autoptr(JsonNode) list = baton_test_expect (server, "GET", path, server->manager_token,
                                                NULL, 200, NULL);

  g_assert_cmpint (baton_test_get_int (list, "items.#"), ==, 1);
  return g_strdup (baton_test_get_string (list, "items.0.id"));
}

static void
test_handshake (void)
{
  static const struct {
    const char *query;
    guint status;
    const char *body;
  } vectors[] = {
    { "hub.mode=subscribe&hub.verify_token=" VERIFY_TOKEN "&hub.challenge=1596340877", 200,
      "1596340877" },
    { "hub.mode=subscribe&hub.verify_token=" VERIFY_TOKEN "&hub.challenge=abc-XYZ_123", 200,
      "abc-XYZ_123" },
    { "hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1596340877", 403, NULL },
    { "hub.mode=unsubscribe&hub.verify_token=" VERIFY_TOKEN "&hub.challenge=1596340877", 403,
      NULL },
    { "hub.mode=subscribe&hub.verify_token=" VERIFY_TOKEN, 400, NULL },
    /* the query is decoded: %2B is a plus */
    { "hub.mode=subscribe&hub.verify_token=" VERIFY_TOKEN "&hub.challenge=a%2Bb", 200, "a+b" },
    /* a prefix of the token is not the token */
    { "hub.mode=subscribe&hub.verify_token=corpus-verify&hub.challenge=1", 403, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autofree char *path = g_strdup_printf ("/webhooks/whatsapp?%s", vectors[i].query);
      g_autoptr(GBytes) response = NULL;
      g_autoptr(SoupMessage) msg = baton_test_send_raw (server, "GET", path, NULL, NULL,
                                                        &response);
      g_autofree char *text = g_strndup (g_bytes_get_data (response, NULL),
                                         g_bytes_get_size (response));

      g_assert_cmpuint (soup_message_get_status (msg), ==, vectors[i].status);
      if (vectors[i].body)
        {
          g_assert_cmpstr (text, ==, vectors[i].body);
          g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (
                                             soup_message_get_response_headers (msg), NULL),
                                           "text/plain"));
        }
      else
        {
          g_assert_null (strstr (text, "1596340877"));
        }
    }
}

static void
test_negative_signatures (void)
{
  g_autoptr(GBytes) table = baton_test_fixture_bytes ("SIGNATURES.tsv");
  g_autofree char *text = g_strndup (g_bytes_get_data (table, NULL), g_bytes_get_size (table));
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GBytes) body = baton_test_fixture_bytes ("01-text-basic.json");
  gint64 stored = baton_test_current_seq (server);
  guint cases = 0;

  for (guint i = 0; lines[i]; i++)
    {
      g_auto(GStrv) columns = g_strsplit (lines[i], "\t", 2);

      if (!g_str_has_prefix (lines[i], "NEG-"))
        continue;
      cases++;
      if (g_str_equal (columns[0], "NEG-missing-header"))
        g_assert_cmpuint (baton_test_post_webhook (server, body, NULL), ==, 401);
      else if (g_str_equal (columns[0], "NEG-body-plus-newline"))
        {
          /* the signature of the body with a newline, sent with the body without */
          g_assert_cmpuint (baton_test_post_webhook (server, body, columns[1]), ==, 401);
        }
      else if (g_str_equal (columns[0], "NEG-non-ascii-header"))
        {
          /* an HTTP header cannot carry it as UTF-8 anyway: libsoup sends the bytes */
          g_assert_cmpuint (baton_test_post_webhook (server, body, columns[1]), ==, 401);
        }
      else
        g_assert_cmpuint (baton_test_post_webhook (server, body, columns[1] ? columns[1] : ""),
                          ==, 401);
    }
  g_assert_cmpuint (cases, ==, 10);
  g_assert_cmpint (baton_test_get_metric (server, "baton_whatsapp_deliveries_unprocessed"), ==, 0);
  /* a body meant for another app (a signature with another secret) changes nothing either */
  g_assert_cmpint (baton_test_current_seq (server), ==, stored);
}

static void
create_channels (void)
{
  g_autofree char *json_a = NULL;
  g_autofree char *json_b = NULL;
  g_autofree char *team = NULL;
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;
  g_autoptr(JsonNode) team_node = NULL;

  agent_id = baton_test_create_agent (server, "Ines Corpus", "ines@corpus.example", "agent",
                                      &agent_token);
  team = baton_test_strdup_printf_json ("{\"name\":\"Repairs\",\"strategy\":\"round_robin\","
                                        "\"member_ids\":[%s],\"only_online\":false}", agent_id);
  team_node = baton_test_expect (server, "POST", "/api/v1/teams", server->manager_token, team,
                                 201, NULL);
  json_a = baton_test_strdup_printf_json ("{\"kind\":\"whatsapp\",\"name\":\"Inbox A\","
                                          "\"phone_number_id\":\"" NUMBER_A "\","
                                          "\"display_phone_number\":\"15557014422\","
                                          "\"waba_id\":\"" WABA_A "\","
                                          "\"access_token\":\"token-A\","
                                          "\"app_secret\":\"" APP_SECRET "\","
                                          "\"verify_token\":\"" VERIFY_TOKEN "\","
                                          "\"graph_base_url\":%s,\"default_team_id\":%s}",
                                          baton_graph_sandbox_get_base_url (graph),
                                          baton_test_get_string (team_node, "id"));
  a = baton_test_expect (server, "POST", "/api/v1/channels", server->manager_token, json_a, 201,
                         NULL);
  channel_a = g_strdup (baton_test_get_string (a, "id"));
  /* a second number of the same app */
  json_b = baton_test_strdup_printf_json ("{\"kind\":\"whatsapp\",\"name\":\"Inbox B\","
                                          "\"phone_number_id\":\"" NUMBER_B "\","
                                          "\"display_phone_number\":\"442079460135\","
                                          "\"waba_id\":\"198662045173390\","
                                          "\"access_token\":\"token-B\","
                                          "\"app_secret\":\"" APP_SECRET "\","
                                          "\"verify_token\":\"another-verify-token\","
                                          "\"graph_base_url\":%s}",
                                          baton_graph_sandbox_get_base_url (graph));
  b = baton_test_expect (server, "POST", "/api/v1/channels", server->manager_token, json_b, 201,
                         NULL);
  channel_b = g_strdup (baton_test_get_string (b, "id"));
  baton_test_graph_set_templates (graph, WABA_A,
                                  "[{\"name\":\"appointment_reminder_v2\",\"language\":\"en_GB\","
                                  "\"status\":\"APPROVED\",\"category\":\"UTILITY\","
                                  "\"components\":[{\"type\":\"BODY\",\"text\":\"Hi {{1}}, your "
                                  "appointment is on {{2}}.\"},{\"type\":\"BUTTONS\",\"buttons\":"
                                  "[{\"type\":\"QUICK_REPLY\",\"text\":\"Yes, confirm\"},"
                                  "{\"type\":\"QUICK_REPLY\",\"text\":\"Reschedule\"}]}]}]", 0);
}

/* An agent writes first to a number with the approved template (OUT4, OUT6). */
static char *
seed_template (const char *to,
               const char *wamid,
               char      **conversation_id)
{
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) started = NULL;
  guint sends = baton_graph_sandbox_count (graph, "POST", "/" NUMBER_A "/messages");

  baton_graph_sandbox_push_sent (graph, NUMBER_A, wamid);
  json = baton_test_strdup_printf_json ("{\"channel_id\":%s,\"to\":%s,\"template\":{"
                                        "\"name\":\"appointment_reminder_v2\","
                                        "\"language\":\"en_GB\",\"parameters\":[\"Kenji\","
                                        "\"Fri 21 Mar, 10:00\"],\"button_payloads\":["
                                        "\"CONFIRM_APPT_88213\",\"RESCHEDULE_APPT_88213\"]}}",
                                        channel_a, to);
  started = baton_test_expect (server, "POST", "/api/v1/conversations", agent_token, json, 201,
                               NULL);
  g_assert_cmpstr (baton_test_get_string (started, "message.body"), ==,
                   "Hi Kenji, your appointment is on Fri 21 Mar, 10:00.");
  g_assert_true (baton_graph_sandbox_wait (graph, "POST", "/" NUMBER_A "/messages", sends + 1,
                                        5000));
  *conversation_id = g_strdup (baton_test_get_string (started, "conversation.id"));
  return g_strdup (baton_test_get_string (started, "message.id"));
}

static void
test_replay (void)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) templates = NULL;
  g_autofree char *harriet = NULL;
  g_autofree char *tomasz = NULL;
  g_autofree char *amira = NULL;
  g_autofree char *kenji = NULL;
  g_autofree char *nobody = NULL;
  g_autofree char *out1 = NULL, *out2 = NULL, *out3 = NULL, *out4 = NULL, *out5 = NULL;
  g_autofree char *out6 = NULL;
  g_autofree char *path = NULL;
  g_autofree char *templates_path = NULL;
  g_autofree char *harriet_contact = NULL;
  const BatonGraphSandboxRequest *request = NULL;
  g_autoptr(JsonNode) sent = NULL;
  g_autoptr(JsonNode) expected = NULL;
  g_autoptr(GBytes) expected_bytes = NULL;
  gint64 seq = 0;

  /* 01: a new contact and conversation, routed */
  node = post_message_fixture ("01-text-basic.json", "+447700900123");
  g_assert_cmpstr (baton_test_get_string (node, "body"), ==,
                   "Hi, my washing machine is leaking again. Can someone come this week?");
  harriet = g_strdup (baton_test_get_string (node, "conversation_id"));
  g_assert_cmpstr (baton_test_get_string (node, "external_id"), ==,
                   "wamid.HBgMNDQ3NzAwOTAwMTIzFQIAEhgUMEM0MTM3MjZBRUY2QTk5MjhGRjEA");
  g_assert_cmpstr (baton_test_get_string (node, "author.name"), ==, "Harriet Quill");
  g_clear_pointer (&node, json_node_unref);
  path = g_strdup_printf ("/api/v1/conversations/%s", harriet);
  node = wait_for (path, "assignee_ids.0", agent_id);
  g_assert_cmpstr (baton_test_get_string (node, "window_expires_at"), ==,
                   "2026-03-19T13:20:00.000Z");
  g_assert_cmpstr (baton_test_get_string (node, "contact.name"), ==, "Harriet Quill");
  g_assert_cmpstr (baton_test_get_string (node, "contact.phone"), ==, "+447700900123");
  g_clear_pointer (&node, json_node_unref);
  harriet_contact = contact_id_of ("+447700900123");

  /* 01 again: a duplicate has no effect (no message, no event) */
  seq = baton_test_current_seq (server);
  g_assert_cmpuint (post_fixture ("01-text-basic.json"), ==, 200);
  baton_test_whatsapp_settle (server);
  g_assert_cmpint (baton_test_current_seq (server), ==, seq);
  g_assert_cmpint (count_messages (harriet), ==, 2);

  /* OUT1: the reply goes out through the outbox, exactly the corpus request (60) */
  out1 = seed_reply (harriet, "Thanks Harriet, we've booked your repair for Friday 10:00.", OUT1);
  request = baton_graph_sandbox_find (graph, "POST", "/" NUMBER_A "/messages", 0);
  g_assert_cmpstr (request->authorization, ==, "Bearer token-A");
  sent = baton_graph_sandbox_request_json (request);
  expected_bytes = baton_test_fixture_bytes ("60-api-send-text-request.json");
  expected = json_from_string (g_bytes_get_data (expected_bytes, NULL), NULL);
  g_assert_true (json_node_equal (sent, expected));
  node = baton_test_wait_message (server, harriet, out1, "status", "sent");
  g_assert_cmpstr (baton_test_get_string (node, "external_id"), ==, OUT1);
  g_clear_pointer (&node, json_node_unref);

  /* 02: a reply quoting OUT1 */
  node = post_message_fixture ("02-text-reply-context.json", "+447700900123");
  g_assert_cmpstr (baton_test_get_string (node, "in_reply_to"), ==, out1);
  g_clear_pointer (&node, json_node_unref);

  /* 03: an image; its caption is the text; the media is fetched with the bearer token */
  node = post_message_fixture ("03-image-caption.json", "+447700900123");
  g_assert_cmpstr (baton_test_get_string (node, "body"), ==, "Water under the door seal 😕");
  g_assert_cmpstr (baton_test_get_string (node, "attachments.0.kind"), ==, "image");
  g_assert_cmpstr (baton_test_get_string (node, "attachments.0.mime_type"), ==, "image/jpeg");
  g_assert_true (g_str_has_prefix (baton_test_get_string (node, "attachments.0.url"),
                                   "/api/v1/attachments/"));
  {
    g_autoptr(GBytes) image = g_bytes_new_static ("\xff\xd8\xff\xe0 fake jpeg", 15);
    g_autoptr(GBytes) response = NULL;
    g_autoptr(GBytes) again = NULL;
    g_autoptr(SoupMessage) msg = NULL;
    g_autoptr(SoupMessage) msg2 = NULL;

    baton_graph_sandbox_add_media (graph, "3948005930982324", "image/jpeg", image);
    msg = baton_test_send_raw (server, "GET", baton_test_get_string (node, "attachments.0.url"),
                               agent_token, NULL, &response);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    g_assert_true (g_bytes_equal (response, image));
    g_assert_cmpstr (soup_message_headers_get_content_type (
                       soup_message_get_response_headers (msg), NULL), ==, "image/jpeg");
    request = baton_graph_sandbox_find (graph, "GET", "/3948005930982324", 0);
    g_assert_cmpstr (request->authorization, ==, "Bearer token-A");
    request = baton_graph_sandbox_find (graph, "GET", "/download/3948005930982324", 0);
    g_assert_nonnull (request);
    g_assert_cmpstr (request->authorization, ==, "Bearer token-A");
    /* the second time it comes from the server's own copy */
    msg2 = baton_test_send_raw (server, "GET", baton_test_get_string (node, "attachments.0.url"),
                                agent_token, NULL, &again);
    g_assert_cmpuint (soup_message_get_status (msg2), ==, 200);
    g_assert_true (g_bytes_equal (again, image));
    g_assert_cmpuint (baton_graph_sandbox_count (graph, "GET", "/3948005930982324"), ==, 1);
  }
  g_clear_pointer (&node, json_node_unref);

  /* 04: a voice note */
  node = post_message_fixture ("04-audio-voice-note.json", "+447700900123");
  g_assert_cmpstr (baton_test_get_string (node, "body"), ==, "");
  g_assert_cmpstr (baton_test_get_string (node, "attachments.0.kind"), ==, "audio");
  g_assert_cmpstr (baton_test_get_string (node, "attachments.0.mime_type"), ==,
                   "audio/ogg; codecs=opus");
  g_assert_true (baton_test_get_bool (node, "attachments.0.data.voice"));
  g_clear_pointer (&node, json_node_unref);

  /* 05: a new customer; a forwarded video without caption, not a reply */
  node = post_message_fixture ("05-video-forwarded-no-caption.json", "+12025550143");
  tomasz = g_strdup (baton_test_get_string (node, "conversation_id"));
  g_assert_cmpstr (baton_test_get_string (node, "author.name"), ==, "Tomasz Wiśniewski");
  g_assert_cmpstr (baton_test_get_string (node, "attachments.0.kind"), ==, "video");
  g_assert_true (baton_test_get_bool (node, "attachments.0.data.forwarded"));
  g_assert_null (baton_test_get_string (node, "in_reply_to"));
  g_clear_pointer (&node, json_node_unref);

  /* 06: a document whose name is shown as sent, never used as a path */
  node = post_message_fixture ("06-document-pdf.json", "+12025550143");
  g_assert_cmpstr (baton_test_get_string (node, "attachments.0.filename"), ==,
                   "../../invoices/Faktura März 2026 (final).pdf");
  g_assert_cmpstr (baton_test_get_string (node, "attachments.0.caption"), ==,
                   "Faktura za marzec");
  {
    g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.7 fake", 13);
    g_autoptr(GBytes) response = NULL;
    g_autoptr(SoupMessage) msg = NULL;
    g_autofree char *escape_path = g_build_filename (server->data_dir, "..", "invoices", NULL);
    const char *disposition = NULL;

    baton_graph_sandbox_add_media (graph, "8132871860861322", "application/pdf", pdf);
    msg = baton_test_send_raw (server, "GET", baton_test_get_string (node, "attachments.0.url"),
                               agent_token, NULL, &response);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    g_assert_true (g_bytes_equal (response, pdf));
    disposition = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                "Content-Disposition");
    g_assert_nonnull (disposition);
    g_assert_nonnull (strstr (disposition, "attachment"));
    g_assert_false (g_file_test (escape_path, G_FILE_TEST_EXISTS));
  }
  g_clear_pointer (&node, json_node_unref);

  out2 = seed_reply (tomasz, "Would you like to reschedule or keep your slot?", OUT2);

  /* 07: a new customer; an animated sticker */
  node = post_message_fixture ("07-sticker-animated.json", "+61491570156");
  amira = g_strdup (baton_test_get_string (node, "conversation_id"));
  g_assert_cmpstr (baton_test_get_string (node, "attachments.0.kind"), ==, "sticker");
  g_assert_cmpstr (baton_test_get_string (node, "attachments.0.mime_type"), ==, "image/webp");
  g_assert_true (baton_test_get_bool (node, "attachments.0.data.animated"));
  g_clear_pointer (&node, json_node_unref);
  out3 = seed_reply (amira, "Here are our plans.", OUT3);
  out5 = seed_reply (amira, "Are you still there?", OUT5);

  /* 08: a location */
  node = post_message_fixture ("08-location.json", "+447700900123");
  g_assert_cmpstr (baton_test_get_string (node, "attachments.0.kind"), ==, "location");
  g_assert_cmpfloat_with_epsilon (json_node_get_double (
                                    json_object_get_member (
                                      json_object_get_object_member (
                                        json_array_get_object_element (
                                          json_object_get_array_member (
                                            json_node_get_object (node), "attachments"), 0),
                                        "data"), "latitude")), 51.50135, 1e-9);
  g_assert_null (baton_test_get_string (node, "attachments.0.url"));
  g_clear_pointer (&node, json_node_unref);

  /* 09: two shared cards in one message, no contacts made for them */
  node = post_message_fixture ("09-contacts-card.json", "+61491570156");
  g_assert_cmpstr (baton_test_get_string (node, "attachments.0.kind"), ==, "contacts");
  g_assert_cmpint (baton_test_get_int (node, "attachments.0.data.cards.#"), ==, 2);
  g_clear_pointer (&node, json_node_unref);
  {
    g_autoptr(JsonNode) contacts = baton_test_expect (server, "GET", "/api/v1/contacts",
                                                      server->manager_token, NULL, 200, NULL);

    g_assert_cmpint (baton_test_get_int (contacts, "items.#"), ==, 3);
  }

  /* 10, 11: a button and a list reply quoting OUT2 and OUT3 */
  node = post_message_fixture ("10-interactive-button-reply.json", "+12025550143");
  g_assert_cmpstr (baton_test_get_string (node, "body"), ==, "Reschedule");
  g_assert_cmpstr (baton_test_get_string (node, "in_reply_to"), ==, out2);
  g_assert_cmpstr (baton_test_get_string (node, "attachments.0.kind"), ==, "interactive");
  g_assert_cmpstr (baton_test_get_string (node, "attachments.0.data.id"), ==, "btn_reschedule");
  g_clear_pointer (&node, json_node_unref);
  node = post_message_fixture ("11-interactive-list-reply.json", "+61491570156");
  g_assert_cmpstr (baton_test_get_string (node, "body"), ==, "Family 5 GB");
  g_assert_cmpstr (baton_test_get_string (node, "in_reply_to"), ==, out3);
  g_assert_cmpstr (baton_test_get_string (node, "attachments.0.data.id"), ==, "plan_family_5gb");
  g_assert_nonnull (strstr (baton_test_get_string (node, "attachments.0.data.description"),
                            "€"));
  g_clear_pointer (&node, json_node_unref);

  /* OUT4: the template to Kenji, exactly the corpus request (62); OUT6 to a non-user */
  templates_path = g_strdup_printf ("/api/v1/channels/%s/templates", channel_a);
  templates = baton_test_expect (server, "GET", templates_path, agent_token, NULL, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (templates, "items.0.name"), ==,
                   "appointment_reminder_v2");
  g_assert_cmpint (baton_test_get_int (templates, "items.0.parameters"), ==, 2);
  out4 = seed_template ("+12065550177", OUT4, &kenji);
  {
    g_autoptr(JsonNode) template_sent = NULL;
    g_autoptr(JsonNode) template_expected = NULL;
    g_autoptr(GBytes) bytes = baton_test_fixture_bytes ("62-api-send-template-request.json");
    guint n = baton_graph_sandbox_count (graph, "POST", "/" NUMBER_A "/messages");

    template_sent = baton_graph_sandbox_request_json (baton_graph_sandbox_find (graph, "POST",
                                                                    "/" NUMBER_A "/messages",
                                                                    n - 1));
    template_expected = json_from_string (g_bytes_get_data (bytes, NULL), NULL);
    g_assert_true (json_node_equal (template_sent, template_expected));
  }
  out6 = seed_template ("+12025550188", OUT6, &nobody);
  json_node_unref (baton_test_wait_message (server, kenji, out4, "status", "sent"));

  /* 12: Kenji answers the template with its quick reply */
  node = post_message_fixture ("12-template-quick-reply-button.json", "+12065550177");
  g_assert_cmpstr (baton_test_get_string (node, "body"), ==, "Yes, confirm");
  g_assert_cmpstr (baton_test_get_string (node, "in_reply_to"), ==, out4);
  g_assert_cmpstr (baton_test_get_string (node, "author.name"), ==, "Kenji Watanabe");
  g_assert_cmpstr (baton_test_get_string (node, "attachments.0.data.payload"), ==,
                   "CONFIRM_APPT_88213");
  g_clear_pointer (&node, json_node_unref);

  /* 13, 14: a reaction on OUT1, then its removal */
  g_assert_cmpuint (post_fixture ("13-reaction-add.json"), ==, 200);
  node = baton_test_wait_message (server, harriet, out1, "reactions.0.emoji",
                                  "\xe2\x9d\xa4\xef\xb8\x8f");
  g_assert_cmpstr (baton_test_get_string (node, "reactions.0.author.name"), ==, "Harriet Quill");
  g_assert_cmpint (baton_test_get_int (node, "reactions.#"), ==, 1);
  g_clear_pointer (&node, json_node_unref);
  g_assert_cmpuint (post_fixture ("14-reaction-remove.json"), ==, 200);
  for (guint i = 0; i < 500; i++)
    {
      g_autoptr(JsonNode) message = baton_test_find_message (server, harriet, out1);

      if (baton_test_get_int (message, "reactions.#") == 0)
        break;
      g_assert_cmpuint (i, <, 499);
      g_usleep (10 * 1000);
    }
  /* 13 replayed later (its signature still holds): older than the removal, it brings
   * nothing back */
  seq = baton_test_current_seq (server);
  g_assert_cmpuint (post_fixture ("13-reaction-add.json"), ==, 200);
  baton_test_whatsapp_settle (server);
  node = baton_test_find_message (server, harriet, out1);
  g_assert_cmpint (baton_test_get_int (node, "reactions.#"), ==, 0);
  g_clear_pointer (&node, json_node_unref);
  g_assert_cmpint (baton_test_current_seq (server), ==, seq);

  /* 15: a click-to-WhatsApp ad starts a conversation with its referral */
  node = post_message_fixture ("15-referral-ctwa-ad.json", "+12065550131");
  {
    g_autofree char *carlos = g_strdup_printf ("/api/v1/conversations/%s",
                                               baton_test_get_string (node, "conversation_id"));
    g_autoptr(JsonNode) conversation = baton_test_expect (server, "GET", carlos,
                                                          server->manager_token, NULL, 200,
                                                          NULL);

    g_assert_cmpstr (baton_test_get_string (conversation, "referral.source_id"), ==,
                     "120214563378120455");
    g_assert_nonnull (baton_test_get_string (conversation, "referral.headline"));
    g_assert_nonnull (baton_test_get_string (conversation, "referral.ctwa_clid"));
    g_assert_cmpstr (baton_test_get_string (conversation, "contact.name"), ==, "Carlos Mendoza");
  }
  g_clear_pointer (&node, json_node_unref);

  /* 16: an unsupported type is a placeholder that counts as the customer's */
  node = post_message_fixture ("16-unsupported-type.json", "+12065550177");
  g_assert_cmpstr (baton_test_get_string (node, "body"), ==, "unsupported (poll_creation)");
  g_assert_cmpstr (baton_test_get_string (node, "attachments.0.kind"), ==, "unsupported");
  g_clear_pointer (&node, json_node_unref);
  {
    g_autofree char *kenji_path = g_strdup_printf ("/api/v1/conversations/%s", kenji);
    g_autoptr(JsonNode) conversation = baton_test_expect (server, "GET", kenji_path,
                                                          server->manager_token, NULL, 200,
                                                          NULL);

    /* 1773841380 + 24 h */
    g_assert_cmpstr (baton_test_get_string (conversation, "window_expires_at"), ==,
                     "2026-03-19T13:43:00.000Z");
  }

  /* 17: Harriet's new number; she keeps her history, replies go to the new number */
  {
    g_autofree char *harriet_path = g_strdup_printf ("/api/v1/conversations/%s", harriet);
    g_autoptr(JsonNode) before = baton_test_expect (server, "GET", harriet_path,
                                                    server->manager_token, NULL, 200, NULL);
    g_autoptr(JsonNode) after = NULL;
    g_autoptr(JsonNode) moved = baton_test_expect (server, "POST", "/api/v1/test/clock/advance",
                                                   server->manager_token, "{\"seconds\":1}",
                                                   200, NULL);

    node = post_message_fixture ("17-system-user-changed-number.json", "+447700900123");
    g_assert_cmpstr (baton_test_get_string (node, "author.type"), ==, "system");
    g_assert_nonnull (strstr (baton_test_get_string (node, "body"), "+447700900987"));
    /* The notice is written as every message is: the thread's preview, activity and version
     * move with it. */
    after = baton_test_expect (server, "GET", harriet_path, server->manager_token, NULL, 200,
                               NULL);
    g_assert_cmpstr (baton_test_get_string (after, "last_message.preview"), ==,
                     baton_test_get_string (node, "body"));
    g_assert_cmpstr (baton_test_get_string (after, "last_message.at"), ==,
                     baton_test_get_string (node, "created_at"));
    g_assert_cmpint (baton_test_get_int (after, "version"), >,
                     baton_test_get_int (before, "version"));
    /* Times are written alike (milliseconds, UTC), so they compare as text. */
    g_assert_cmpint (g_strcmp0 (baton_test_get_string (after, "activity_at"),
                                baton_test_get_string (before, "activity_at")), >, 0);
  }
  g_clear_pointer (&node, json_node_unref);
  {
    g_autofree char *contact_path = g_strdup_printf ("/api/v1/contacts/%s", harriet_contact);
    g_autoptr(JsonNode) contact = baton_test_expect (server, "GET", contact_path,
                                                     server->manager_token, NULL, 200, NULL);
    g_autofree char *harriet_path = g_strdup_printf ("/api/v1/conversations/%s/messages",
                                                     harriet);
    g_autoptr(JsonNode) reply = NULL;
    const BatonGraphSandboxRequest *last = NULL;
    g_autoptr(JsonNode) last_json = NULL;
    guint sends = baton_graph_sandbox_count (graph, "POST", "/" NUMBER_A "/messages");

    g_assert_cmpstr (baton_test_get_string (contact, "phone"), ==, "+447700900987");
    reply = baton_test_expect (server, "POST", harriet_path, agent_token,
                               "{\"body\":\"Noted your new number.\"}", 201, NULL);
    g_assert_true (baton_graph_sandbox_wait (graph, "POST", "/" NUMBER_A "/messages", sends + 1,
                                          5000));
    last = baton_graph_sandbox_find (graph, "POST", "/" NUMBER_A "/messages", sends);
    last_json = baton_graph_sandbox_request_json (last);
    g_assert_cmpstr (baton_test_get_string (last_json, "to"), ==, "447700900987");
  }

  /* 18–20: OUT1 becomes sent, delivered, read */
  g_assert_cmpuint (post_fixture ("18-status-sent.json"), ==, 200);
  g_assert_cmpuint (post_fixture ("19-status-delivered.json"), ==, 200);
  node = baton_test_wait_message (server, harriet, out1, "status", "delivered");
  g_clear_pointer (&node, json_node_unref);
  g_assert_cmpuint (post_fixture ("20-status-read.json"), ==, 200);
  node = baton_test_wait_message (server, harriet, out1, "status", "read");
  g_clear_pointer (&node, json_node_unref);
  /* a late "delivered" never takes it back */
  g_assert_cmpuint (post_fixture ("19-status-delivered.json"), ==, 200);
  baton_test_whatsapp_settle (server);
  node = baton_test_wait_message (server, harriet, out1, "status", "read");
  g_clear_pointer (&node, json_node_unref);

  /* 21: OUT5 failed with 131047: the agent is told to send a template */
  g_assert_cmpuint (post_fixture ("21-status-failed-131047.json"), ==, 200);
  node = baton_test_wait_message (server, amira, out5, "status", "failed");
  g_assert_cmpstr (baton_test_get_string (node, "error.code"), ==, "131047");
  g_assert_nonnull (strstr (baton_test_get_string (node, "error.message"), "template"));
  g_clear_pointer (&node, json_node_unref);

  /* 22: OUT6 undeliverable, no retry */
  g_assert_cmpuint (post_fixture ("22-status-failed-131026.json"), ==, 200);
  node = baton_test_wait_message (server, nobody, out6, "status", "failed");
  g_assert_cmpstr (baton_test_get_string (node, "error.code"), ==, "131026");
  g_clear_pointer (&node, json_node_unref);

  /* 23, 24, 33, 34, 35: nothing changes in the inbox */
  seq = baton_test_current_seq (server);
  {
    gint64 alerts = baton_test_get_metric (server, "baton_whatsapp_alerts_total");
    const char *quiet[] = { "23-status-unknown-message.json", "24-value-errors.json",
                            "33-other-field-ignored.json", "34-wrong-object.json",
                            "35-empty-entry.json" };

    for (guint i = 0; i < G_N_ELEMENTS (quiet); i++)
      g_assert_cmpuint (post_fixture (quiet[i]), ==, 200);
    baton_test_whatsapp_settle (server);
    g_assert_cmpint (baton_test_get_metric (server, "baton_whatsapp_alerts_total"), ==, alerts + 1);
  }
  g_assert_cmpint (baton_test_current_seq (server), ==, seq);

  /* 27: RTL, emoji sequences and marks, byte-exact */
  node = post_message_fixture ("27-unicode-emoji-rtl.json", "+61491570199");
  {
    const char *body = baton_test_get_string (node, "body");
    g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, body, -1);

    g_assert_cmpuint (strlen (body), ==, 241);
    g_assert_cmpint (g_utf8_strlen (body, -1), ==, 155);
    g_assert_cmpstr (digest, ==,
                     "bef1b149ae5b6269f84c61e1b172844b57d6e03adf7d08bf98d21174fcc554f7");
    g_assert_cmpstr (baton_test_get_string (node, "author.name"), ==, "يوسف الأمين 🌙");
  }
  g_clear_pointer (&node, json_node_unref);

  /* 29: inbound text longer than 4,096 is kept whole */
  node = post_message_fixture ("29-long-text.json", "+12025550143");
  g_assert_cmpint (g_utf8_strlen (baton_test_get_string (node, "body"), -1), ==, 12000);
  g_assert_cmpuint (strlen (baton_test_get_string (node, "body")), ==, 13477);
  g_clear_pointer (&node, json_node_unref);

  /* 31: a type from the future */
  node = post_message_fixture ("31-unknown-future-type.json", "+12065550177");
  g_assert_cmpstr (baton_test_get_string (node, "body"), ==, "unsupported (hologram)");
  g_assert_cmpstr (baton_test_get_string (node, "attachments.0.data.type"), ==, "hologram");
  g_clear_pointer (&node, json_node_unref);

  /* 32: no contacts array: the number is the name; a bare image */
  g_assert_cmpuint (post_fixture ("32-missing-optional-fields.json"), ==, 200);
  {
    g_autofree char *yusra = conversation_of ("+61491570177");

    for (guint i = 0; i < 500 && count_messages (yusra) < 2; i++)
      g_usleep (10 * 1000);
    node = last_message (yusra);
    g_assert_cmpstr (baton_test_get_string (node, "attachments.0.kind"), ==, "image");
    g_assert_cmpstr (baton_test_get_string (node, "author.name"), ==, "+61491570177");
    g_clear_pointer (&node, json_node_unref);
  }

  /* 39–41: envelope errors are 400 and store nothing */
  seq = baton_test_current_seq (server);
  g_assert_cmpuint (post_fixture ("39-malformed-truncated.json"), ==, 400);
  g_assert_cmpuint (post_fixture ("40-malformed-entry-not-array.json"), ==, 400);
  g_assert_cmpuint (post_fixture ("41-malformed-top-level-array.json"), ==, 400);
  g_assert_cmpint (baton_test_current_seq (server), ==, seq);

  /* 44: a Flow reply quoting OUT4, its response kept as data */
  node = post_message_fixture ("44-interactive-nfm-flow-reply.json", "+12065550177");
  g_assert_cmpstr (baton_test_get_string (node, "body"), ==, "Sent");
  g_assert_cmpstr (baton_test_get_string (node, "in_reply_to"), ==, out4);
  g_assert_cmpstr (baton_test_get_string (node, "attachments.0.data.response.slot"), ==,
                   "2026-03-21T09:00");
  g_clear_pointer (&node, json_node_unref);

}

/* Meta's escaped form of a non-ASCII body is accepted as well (REFERENCE.md §2). */
static void
test_escaped_signature (void)
{
  g_autoptr(GBytes) body = baton_test_fixture_bytes ("27-unicode-emoji-rtl.json");
  const char *escaped = g_hash_table_lookup (escaped_signatures, "27-unicode-emoji-rtl.json");

  g_assert_nonnull (escaped);
  g_assert_cmpuint (baton_test_post_webhook (server, body, escaped), ==, 200);
}

/* The message of a conversation with that WhatsApp id. */
static JsonNode *
message_by_wamid (const char *conversation_id,
                  const char *wamid)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/messages?limit=100",
                                           conversation_id);
  g_autoptr(JsonNode) list = baton_test_expect (server, "GET", path, server->manager_token,
                                                NULL, 200, NULL);
  JsonArray *items = json_object_get_array_member (json_node_get_object (list), "items");

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *message = json_array_get_element (items, i);

      if (g_strcmp0 (baton_test_get_string (message, "external_id"), wamid) == 0)
        return json_node_copy (message);
    }
  g_error ("no message %s in %s", wamid, conversation_id);
  return NULL;
}

/* Content of other JSON types than WhatsApp writes (a number as text.body, text as a string,
 * a number as a caption, a string as a latitude) reaches the inbox as an unsupported
 * placeholder keeping the message as sent: never an empty message, never lost. Only a broken
 * item (a media id that is a number) is skipped, and counted. */
static void
test_content_wrong_types (void)
{
  static const struct {
    const char *wamid;
    const char *type;
    const char *content;
  } cases[] = {
    { "wamid.WRONG1", "text", "\"text\":{\"body\":42}" },
    { "wamid.WRONG2", "text", "\"text\":\"hello there\"" },
    { "wamid.WRONG3", "image", "\"image\":{\"id\":\"1048576\",\"caption\":7}" },
    { "wamid.WRONG4", "location", "\"location\":{\"latitude\":\"51.5\",\"longitude\":0}" },
    /* broken: skipped */
    { "wamid.WRONG5", "image", "\"image\":{\"id\":1048576}" },
  };
  g_autoptr(GString) messages = g_string_new (NULL);
  g_autofree char *json = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *conversation = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) number = NULL;
  g_autoptr(JsonNode) string = NULL;
  g_autoptr(JsonNode) image = NULL;
  g_autoptr(JsonNode) location = NULL;
  gint64 skipped = baton_test_get_metric (server, "baton_whatsapp_items_skipped_total");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_string_append_printf (messages, "%s{\"from\":\"447700900777\",\"id\":\"%s\","
                            "\"timestamp\":\"%u\",\"type\":\"%s\",%s}", i ? "," : "",
                            cases[i].wamid, 1773841400 + i, cases[i].type, cases[i].content);
  json = g_strdup_printf ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":"
                          "\"198662045173390\",\"changes\":[{\"field\":\"messages\",\"value\":"
                          "{\"messaging_product\":\"whatsapp\",\"metadata\":"
                          "{\"display_phone_number\":\"442079460135\",\"phone_number_id\":\""
                          NUMBER_B "\"},\"contacts\":[{\"profile\":{\"name\":\"Wren Types\"},"
                          "\"wa_id\":\"447700900777\"}],\"messages\":[%s]}}]}]}", messages->str);
  body = g_bytes_new (json, strlen (json));
  signature = baton_test_webhook_signature (APP_SECRET, json, strlen (json));
  g_assert_cmpuint (baton_test_post_webhook (server, body, signature), ==, 200);
  baton_test_whatsapp_settle (server);

  g_assert_cmpint (baton_test_get_metric (server, "baton_whatsapp_items_skipped_total"), ==,
                   skipped + 1);
  conversation = conversation_of ("+447700900777");
  /* the four kept, not the broken one */
  g_assert_cmpint (count_messages (conversation), ==, G_N_ELEMENTS (cases) - 1);
  for (guint i = 0; i < G_N_ELEMENTS (cases) - 1; i++)
    {
      g_autoptr(JsonNode) message = message_by_wamid (conversation, cases[i].wamid);
      g_autofree char *expected = g_strdup_printf ("unsupported (%s)", cases[i].type);

      g_assert_cmpstr (baton_test_get_string (message, "kind"), ==, "inbound");
      g_assert_cmpstr (baton_test_get_string (message, "body"), ==, expected);
      g_assert_cmpstr (baton_test_get_string (message, "attachments.0.kind"), ==,
                       "unsupported");
      g_assert_cmpstr (baton_test_get_string (message, "attachments.0.data.type"), ==,
                       cases[i].type);
      g_assert_cmpstr (baton_test_get_string (message, "attachments.0.data.raw.id"), ==,
                       cases[i].wamid);
    }
  /* What was sent is there to read: the number, the string, the media, the latitude. */
  number = message_by_wamid (conversation, "wamid.WRONG1");
  g_assert_cmpint (baton_test_get_int (number, "attachments.0.data.raw.text.body"), ==, 42);
  string = message_by_wamid (conversation, "wamid.WRONG2");
  g_assert_cmpstr (baton_test_get_string (string, "attachments.0.data.raw.text"), ==,
                   "hello there");
  image = message_by_wamid (conversation, "wamid.WRONG3");
  g_assert_cmpstr (baton_test_get_string (image, "attachments.0.data.raw.image.id"), ==,
                   "1048576");
  g_assert_cmpint (baton_test_get_int (image, "attachments.0.data.raw.image.caption"), ==, 7);
  location = message_by_wamid (conversation, "wamid.WRONG4");
  g_assert_cmpstr (baton_test_get_string (location, "attachments.0.data.raw.location.latitude"),
                   ==, "51.5");
}

int
main (int   argc,
      char *argv[])
{
  int result;

  g_test_init (&argc, &argv, NULL);
  load_signatures ();
  graph = baton_test_graph_new ();
  server = baton_test_server_new ("--test-clock=2026-03-18T13:20:00Z", NULL);
  create_channels ();

  g_test_add_func ("/whatsapp/corpus/handshake", test_handshake);
  g_test_add_func ("/whatsapp/corpus/negative-signatures", test_negative_signatures);
  g_test_add_func ("/whatsapp/corpus/replay", test_replay);
  g_test_add_func ("/whatsapp/corpus/escaped-signature", test_escaped_signature);
  g_test_add_func ("/whatsapp/corpus/content-wrong-types", test_content_wrong_types);
  result = baton_test_run (server);
  g_object_unref (graph);
  g_hash_table_unref (signatures);
  g_hash_table_unref (escaped_signatures);
  g_free (channel_a);
  g_free (channel_b);
  g_free (agent_id);
  g_free (agent_token);
  return result;
}
