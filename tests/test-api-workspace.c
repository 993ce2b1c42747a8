/* test-api-workspace.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "baton-test-helpers.h"

static BatonTestServer *server;
static char *agent_token;

/* Registered first: the workspace is as 'batond init' left it. */
static void
test_settings_defaults (void)
{
  g_autoptr(JsonNode) settings = baton_test_expect (server, "GET", "/api/v1/settings",
                                                    server->manager_token, NULL, 200, NULL);
  g_autoptr(JsonNode) as_agent = baton_test_expect (server, "GET", "/api/v1/settings",
                                                    agent_token, NULL, 200, NULL);
  g_autoptr(JsonNode) anonymous = baton_test_expect (server, "GET", "/api/v1/settings", NULL,
                                                     NULL, 401, "unauthorized");
  g_autoptr(GTimeZone) zone = NULL;

  g_assert_false (baton_test_get_bool (settings, "first_responder_becomes_owner"));
  g_assert_true (baton_test_get_bool (settings, "first_reply_takes_assignment"));
  g_assert_true (baton_test_get_bool (settings, "unassign_on_resolve"));
  g_assert_nonnull (baton_test_get_string (settings, "timezone"));
  zone = g_time_zone_new_identifier (baton_test_get_string (settings, "timezone"));
  g_assert_nonnull (zone);
  g_assert_true (json_node_equal (settings, as_agent));
}

static void
test_settings_patch (void)
{
  g_autoptr(JsonNode) before = baton_test_expect (server, "GET", "/api/v1/settings",
                                                  server->manager_token, NULL, 200, NULL);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) read_back = NULL;

  /* One member at a time; the others stay. */
  node = baton_test_expect (server, "PATCH", "/api/v1/settings", server->manager_token,
                            "{\"timezone\":\"Europe/Lisbon\"}", 200, NULL);
  g_assert_cmpstr (baton_test_get_string (node, "timezone"), ==, "Europe/Lisbon");
  g_assert_false (baton_test_get_bool (node, "first_responder_becomes_owner"));
  g_assert_true (baton_test_get_bool (node, "first_reply_takes_assignment"));
  g_assert_true (baton_test_get_bool (node, "unassign_on_resolve"));
  g_clear_pointer (&node, json_node_unref);

  node = baton_test_expect (server, "PATCH", "/api/v1/settings", server->manager_token,
                            "{\"first_responder_becomes_owner\":true,"
                            "\"unassign_on_resolve\":false}", 200, NULL);
  g_assert_true (baton_test_get_bool (node, "first_responder_becomes_owner"));
  g_assert_true (baton_test_get_bool (node, "first_reply_takes_assignment"));
  g_assert_false (baton_test_get_bool (node, "unassign_on_resolve"));
  g_assert_cmpstr (baton_test_get_string (node, "timezone"), ==, "Europe/Lisbon");
  g_clear_pointer (&node, json_node_unref);

  read_back = baton_test_expect (server, "GET", "/api/v1/settings", agent_token, NULL, 200,
                                 NULL);
  g_assert_true (baton_test_get_bool (read_back, "first_responder_becomes_owner"));
  g_assert_false (baton_test_get_bool (read_back, "unassign_on_resolve"));
  g_assert_cmpstr (baton_test_get_string (read_back, "timezone"), ==, "Europe/Lisbon");

  /* Refused: not an IANA zone, wrong types, an agent, nobody. */
  baton_test_expect_invalid (server, "PATCH", "/api/v1/settings", "{\"timezone\":\"Mars/Olympus\"}",
                             "timezone");
  baton_test_expect_invalid (server, "PATCH", "/api/v1/settings", "{\"timezone\":\"\"}",
                             "timezone");
  baton_test_expect_invalid (server, "PATCH", "/api/v1/settings", "{\"timezone\":42}", "timezone");
  baton_test_expect_invalid (server, "PATCH", "/api/v1/settings", "{\"timezone\":null}",
                             "timezone");
  baton_test_expect_invalid (server, "PATCH", "/api/v1/settings",
                             "{\"first_reply_takes_assignment\":\"yes\"}",
                             "first_reply_takes_assignment");
  baton_test_expect_invalid (server, "PATCH", "/api/v1/settings", "{\"unassign_on_resolve\":1}",
                             "unassign_on_resolve");
  baton_test_expect_invalid (server, "PATCH", "/api/v1/settings",
                             "{\"first_responder_becomes_owner\":null}",
                             "first_responder_becomes_owner");
  /* A valid member does not slip through beside an invalid one. */
  baton_test_expect_invalid (server, "PATCH", "/api/v1/settings",
                             "{\"unassign_on_resolve\":true,\"timezone\":\"Nowhere/Land\"}",
                             "timezone");
  node = baton_test_expect (server, "PATCH", "/api/v1/settings", agent_token,
                            "{\"unassign_on_resolve\":true}", 403, "forbidden");
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "PATCH", "/api/v1/settings", NULL,
                            "{\"unassign_on_resolve\":true}", 401, "unauthorized");
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "GET", "/api/v1/settings", server->manager_token, NULL, 200,
                            NULL);
  g_assert_true (json_node_equal (node, read_back));
  g_clear_pointer (&node, json_node_unref);

  /* Back to what it was, for the other tests. */
  {
    g_autofree char *restore = baton_test_strdup_printf_json (
      "{\"first_responder_becomes_owner\":false,\"unassign_on_resolve\":true,"
      "\"timezone\":%s}", baton_test_get_string (before, "timezone"));

    node = baton_test_expect (server, "PATCH", "/api/v1/settings", server->manager_token,
                              restore, 200, NULL);
    g_assert_true (json_node_equal (node, before));
  }
}

static JsonObject *
find_channel (JsonNode   *list,
              const char *id)
{
  JsonArray *items = baton_test_items (list);

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *channel = json_array_get_object_element (items, i);

      if (g_str_equal (json_object_get_string_member (channel, "id"), id))
        return channel;
    }
  return NULL;
}

static void
test_channels (void)
{
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) team = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  JsonObject *object = NULL;
  const char *secret = NULL;

  created = baton_test_expect (server, "POST", "/api/v1/channels", server->manager_token,
                               "{\"kind\":\"api\",\"name\":\"Website form\"}", 201, NULL);
  object = json_node_get_object (created);
  g_assert_nonnull (baton_test_get_string (created, "id"));
  g_assert_cmpstr (baton_test_get_string (created, "kind"), ==, "api");
  g_assert_cmpstr (baton_test_get_string (created, "name"), ==, "Website form");
  g_assert_true (json_object_get_null_member (object, "default_team_id"));
  g_assert_true (json_object_get_null_member (object, "default_user_id"));
  secret = baton_test_get_string (created, "inbound_secret");
  g_assert_nonnull (secret);
  g_assert_cmpuint (strlen (secret), >=, 32);
  path = g_strdup_printf ("/api/v1/channels/%s", baton_test_get_string (created, "id"));

  /* The secret is shown once: never in the list, to nobody. */
  list = baton_test_expect (server, "GET", "/api/v1/channels", server->manager_token, NULL, 200,
                            NULL);
  g_assert_nonnull (find_channel (list, baton_test_get_string (created, "id")));
  {
    g_autofree char *text = json_to_string (list, FALSE);

    g_assert_null (strstr (text, secret));
    g_assert_null (strstr (text, "secret"));
    g_assert_cmpstr (json_object_get_string_member (find_channel (list,
                                                                  baton_test_get_string (
                                                                    created, "id")),
                                                    "name"), ==, "Website form");
  }
  g_clear_pointer (&list, json_node_unref);
  list = baton_test_expect (server, "GET", "/api/v1/channels", agent_token, NULL, 200, NULL);
  g_assert_nonnull (find_channel (list, baton_test_get_string (created, "id")));
  g_clear_pointer (&list, json_node_unref);

  /* A WhatsApp number needs its ids and secrets; other kinds do not exist. */
  baton_test_expect_invalid (server, "POST", "/api/v1/channels",
                             "{\"kind\":\"whatsapp\",\"name\":\"WA\"}", "phone_number_id");
  baton_test_expect_invalid (server, "POST", "/api/v1/channels",
                             "{\"kind\":\"sms\",\"name\":\"Texts\"}", "kind");
  baton_test_expect_invalid (server, "POST", "/api/v1/channels", "{\"name\":\"Texts\"}", "kind");
  baton_test_expect_invalid (server, "POST", "/api/v1/channels", "{\"kind\":\"api\"}", "name");
  baton_test_expect_invalid (server, "POST", "/api/v1/channels", "{\"kind\":\"api\",\"name\":\"\"}",
                             "name");
  baton_test_expect_invalid (server, "POST", "/api/v1/channels",
                             "{\"kind\":\"api\",\"name\":\"X\",\"default_team_id\":\"tem_nope\"}",
                             "default_team_id");
  baton_test_expect_invalid (server, "POST", "/api/v1/channels",
                             "{\"kind\":\"api\",\"name\":\"X\",\"default_user_id\":\"agt_nope\"}",
                             "default_user_id");
  node = baton_test_expect (server, "POST", "/api/v1/channels", agent_token,
                            "{\"kind\":\"api\",\"name\":\"Mine\"}", 403, "forbidden");
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "POST", "/api/v1/channels", NULL,
                            "{\"kind\":\"api\",\"name\":\"Mine\"}", 401, "unauthorized");
  g_clear_pointer (&node, json_node_unref);

  /* PATCH: name and defaults, each on its own. */
  team = baton_test_expect (server, "POST", "/api/v1/teams", server->manager_token,
                            "{\"name\":\"Web team\",\"strategy\":\"round_robin\"}", 201, NULL);
  body = baton_test_strdup_printf_json ("{\"default_team_id\":%s}",
                                        baton_test_get_string (team, "id"));
  node = baton_test_expect (server, "PATCH", path, server->manager_token, body, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (node, "default_team_id"), ==,
                   baton_test_get_string (team, "id"));
  g_assert_cmpstr (baton_test_get_string (node, "name"), ==, "Website form");
  g_assert_false (json_object_has_member (json_node_get_object (node), "inbound_secret"));
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "PATCH", path, server->manager_token,
                            "{\"name\":\"Website chat\"}", 200, NULL);
  g_assert_cmpstr (baton_test_get_string (node, "name"), ==, "Website chat");
  g_assert_cmpstr (baton_test_get_string (node, "default_team_id"), ==,
                   baton_test_get_string (team, "id"));
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&body, g_free);
  body = baton_test_strdup_printf_json ("{\"default_user_id\":%s}", server->manager_id);
  node = baton_test_expect (server, "PATCH", path, server->manager_token, body, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (node, "default_user_id"), ==, server->manager_id);
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "PATCH", path, server->manager_token,
                            "{\"default_team_id\":null}", 200, NULL);
  g_assert_true (json_object_get_null_member (json_node_get_object (node), "default_team_id"));
  g_assert_cmpstr (baton_test_get_string (node, "default_user_id"), ==, server->manager_id);
  g_clear_pointer (&node, json_node_unref);
  baton_test_expect_invalid (server, "PATCH", path, "{\"default_team_id\":\"tem_nope\"}",
                             "default_team_id");
  baton_test_expect_invalid (server, "PATCH", path, "{\"name\":\"\"}", "name");
  node = baton_test_expect (server, "PATCH", path, agent_token, "{\"name\":\"Mine\"}", 403,
                            "forbidden");
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "PATCH", "/api/v1/channels/chn_missing",
                            server->manager_token, "{\"name\":\"X\"}", 404, "not_found");
  g_clear_pointer (&node, json_node_unref);
  list = baton_test_expect (server, "GET", "/api/v1/channels", server->manager_token, NULL, 200,
                            NULL);
  object = find_channel (list, baton_test_get_string (created, "id"));
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "Website chat");
  g_assert_true (json_object_get_null_member (object, "default_team_id"));
  g_assert_cmpstr (json_object_get_string_member (object, "default_user_id"), ==,
                   server->manager_id);
  g_clear_pointer (&list, json_node_unref);

  /* DELETE while unused. */
  node = baton_test_expect (server, "DELETE", path, agent_token, NULL, 403, "forbidden");
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "DELETE", path, server->manager_token, NULL, 204, NULL);
  g_assert_null (node);
  node = baton_test_expect (server, "DELETE", path, server->manager_token, NULL, 404,
                            "not_found");
  g_clear_pointer (&node, json_node_unref);
  list = baton_test_expect (server, "GET", "/api/v1/channels", server->manager_token, NULL, 200,
                            NULL);
  g_assert_null (find_channel (list, baton_test_get_string (created, "id")));
  g_clear_pointer (&list, json_node_unref);
  /* Its secret is dead with it. */
  node = baton_test_inbound_expect (server, baton_test_get_string (created, "id"), secret,
                                    "{\"from\":\"+15550409999\",\"body\":\"Anyone?\"}", 404,
                                    "not_found");
}

static void
test_delete_used_channel (void)
{
  g_autofree char *secret = NULL;
  g_autofree char *channel = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *path = g_strdup_printf ("/api/v1/channels/%s", channel);
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *conversation = baton_test_inbound (server, channel, secret, phone, "Hi");
  g_autofree char *conversation_path = g_strdup_printf ("/api/v1/conversations/%s",
                                                        conversation);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) list = NULL;

  node = baton_test_expect (server, "DELETE", path, server->manager_token, NULL, 409,
                            "conflict");
  g_clear_pointer (&node, json_node_unref);
  list = baton_test_expect (server, "GET", "/api/v1/channels", server->manager_token, NULL, 200,
                            NULL);
  g_assert_nonnull (find_channel (list, channel));
  node = baton_test_expect (server, "GET", conversation_path, server->manager_token, NULL, 200,
                            NULL);
  g_assert_cmpstr (baton_test_get_string (node, "channel_id"), ==, channel);
  g_clear_pointer (&node, json_node_unref);
  /* Still receiving. */
  g_free (baton_test_inbound (server, channel, secret, phone, "Still there?"));
}

static guint
count_messages (const char *conversation_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/messages?limit=500",
                                           conversation_id);
  g_autoptr(JsonNode) list = baton_test_expect (server, "GET", path, server->manager_token,
                                                NULL, 200, NULL);

  return json_array_get_length (baton_test_items (list));
}

static void
expect_inbound_field (const char *channel,
                      const char *secret,
                      const char *body,
                      const char *field)
{
  g_autoptr(JsonNode) node = baton_test_inbound_expect (server, channel, secret, body, 422,
                                                        "unprocessable");

  g_assert_cmpstr (baton_test_get_string (node, "error.field"), ==, field);
}

static void
test_inbound (void)
{
  g_autofree char *secret = NULL;
  g_autofree char *channel = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *body = baton_test_strdup_printf_json ("{\"from\":%s,\"name\":\"Ivy Inbound\","
                                                         "\"body\":\"First\","
                                                         "\"external_id\":\"ext-1\"}", phone);
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) repeat = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *conversation_path = NULL;
  g_autofree char *messages_before = NULL;
  const char *conversation_id = NULL;
  guint messages = 0;

  first = baton_test_inbound_expect (server, channel, secret, body, 202, NULL);
  g_assert_nonnull (baton_test_get_string (first, "message_id"));
  conversation_id = baton_test_get_string (first, "conversation_id");
  g_assert_nonnull (conversation_id);
  conversation_path = g_strdup_printf ("/api/v1/conversations/%s", conversation_id);
  messages = count_messages (conversation_id);
  node = baton_test_expect (server, "GET", conversation_path, server->manager_token, NULL, 200,
                            NULL);
  g_assert_cmpstr (baton_test_get_string (node, "status"), ==, "new");
  g_assert_cmpstr (baton_test_get_string (node, "channel_id"), ==, channel);
  g_assert_cmpstr (baton_test_get_string (node, "contact.phone"), ==, phone);
  g_assert_cmpstr (baton_test_get_string (node, "contact.name"), ==, "Ivy Inbound");
  g_assert_cmpstr (baton_test_get_string (node, "last_message.preview"), ==, "First");
  g_assert_cmpstr (baton_test_get_string (node, "last_message.direction"), ==, "inbound");
  g_clear_pointer (&node, json_node_unref);
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/messages?limit=500",
                                             conversation_id);
    g_autoptr(JsonNode) list = baton_test_expect (server, "GET", path, server->manager_token,
                                                  NULL, 200, NULL);
    JsonArray *items = baton_test_items (list);
    gboolean found = FALSE;

    for (guint i = 0; i < json_array_get_length (items); i++)
      {
        JsonObject *message = json_array_get_object_element (items, i);

        if (g_str_equal (json_object_get_string_member (message, "id"),
                         baton_test_get_string (first, "message_id")))
          {
            g_assert_cmpstr (json_object_get_string_member (message, "kind"), ==, "inbound");
            g_assert_cmpstr (json_object_get_string_member (message, "body"), ==, "First");
            g_assert_cmpstr (json_object_get_string_member (message, "external_id"), ==,
                             "ext-1");
            found = TRUE;
          }
      }
    g_assert_true (found);
    messages_before = json_to_string (list, FALSE);
  }

  /* The same external_id again: 200, the same ids, nothing new. */
  repeat = baton_test_inbound_expect (server, channel, secret, body, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (repeat, "message_id"), ==,
                   baton_test_get_string (first, "message_id"));
  g_assert_cmpstr (baton_test_get_string (repeat, "conversation_id"), ==, conversation_id);
  g_assert_cmpuint (count_messages (conversation_id), ==, messages);
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/messages?limit=500",
                                             conversation_id);
    g_autoptr(JsonNode) list = baton_test_expect (server, "GET", path, server->manager_token,
                                                  NULL, 200, NULL);
    g_autofree char *messages_after = json_to_string (list, FALSE);

    g_assert_cmpstr (messages_after, ==, messages_before);
  }

  /* A second message from the same customer continues the conversation. */
  g_clear_pointer (&body, g_free);
  body = baton_test_strdup_printf_json ("{\"from\":%s,\"body\":\"Second\","
                                        "\"external_id\":\"ext-2\"}", phone);
  second = baton_test_inbound_expect (server, channel, secret, body, 202, NULL);
  g_assert_cmpstr (baton_test_get_string (second, "conversation_id"), ==, conversation_id);
  g_assert_cmpstr (baton_test_get_string (second, "message_id"), !=,
                   baton_test_get_string (first, "message_id"));
  g_assert_cmpuint (count_messages (conversation_id), ==, messages + 1);

  /* The secret guards the door; it is checked before anything else. */
  node = baton_test_inbound_expect (server, channel, "wrong-secret", body, 401, "unauthorized");
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_inbound_expect (server, channel, NULL, body, 401, "unauthorized");
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_inbound_expect (server, channel, "", body, 401, "unauthorized");
  g_clear_pointer (&node, json_node_unref);
  {
    g_autofree char *other_secret = NULL;
    g_autofree char *other = baton_test_create_channel (server, NULL, &other_secret);

    /* Another channel's secret does not open this one. */
    node = baton_test_inbound_expect (server, channel, other_secret, body, 401, "unauthorized");
    g_clear_pointer (&node, json_node_unref);
  }
  node = baton_test_inbound_expect (server, "chn_missing", secret, body, 404, "not_found");
  g_clear_pointer (&node, json_node_unref);
  g_assert_cmpuint (count_messages (conversation_id), ==, messages + 1);

  /* Missing or invalid members. */
  expect_inbound_field (channel, secret, "{\"body\":\"No sender\"}", "from");
  expect_inbound_field (channel, secret, "{\"from\":\"\",\"body\":\"x\"}", "from");
  expect_inbound_field (channel, secret, "{\"from\":\"+15550409000\"}", "body");
  expect_inbound_field (channel, secret, "{\"from\":\"+15550409000\",\"body\":\"\"}", "body");
  expect_inbound_field (channel, secret, "{\"from\":\"+15550409000\",\"body\":5}", "body");
  expect_inbound_field (channel, secret,
                        "{\"from\":\"+15550409000\",\"body\":\"x\",\"sent_at\":\"yesterday\"}",
                        "sent_at");
  expect_inbound_field (channel, secret,
                        "{\"from\":\"+15550409000\",\"body\":\"x\","
                        "\"sent_at\":\"2026-13-45T99:00:00.000Z\"}", "sent_at");
  expect_inbound_field (channel, secret,
                        "{\"from\":\"+15550409000\",\"body\":\"x\",\"sent_at\":1700000000}",
                        "sent_at");
  expect_inbound_field (channel, secret,
                        "{\"from\":\"+15550409000\",\"body\":\"x\",\"name\":\"\"}", "name");
  {
    g_autoptr(JsonNode) none = baton_test_expect (server, "GET",
                                                  "/api/v1/contacts?q=15550409000",
                                                  server->manager_token, NULL, 200, NULL);

    g_assert_cmpuint (json_array_get_length (baton_test_items (none)), ==, 0);
  }

  /* A valid sent_at is accepted. */
  g_clear_pointer (&body, g_free);
  body = baton_test_strdup_printf_json ("{\"from\":%s,\"body\":\"Third\","
                                        "\"sent_at\":\"2020-01-02T03:04:05.000Z\"}", phone);
  node = baton_test_inbound_expect (server, channel, secret, body, 202, NULL);
  g_assert_cmpstr (baton_test_get_string (node, "conversation_id"), ==, conversation_id);
  g_clear_pointer (&node, json_node_unref);
}

static void
test_inbound_reopens (void)
{
  g_autofree char *secret = NULL;
  g_autofree char *channel = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *conversation = baton_test_inbound (server, channel, secret, phone, "Help");
  g_autofree char *resolve_path = g_strdup_printf ("/api/v1/conversations/%s/resolve",
                                                   conversation);
  g_autofree char *reply_path = g_strdup_printf ("/api/v1/conversations/%s/messages",
                                                 conversation);
  g_autofree char *again = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = baton_test_expect (server, "POST", reply_path, server->manager_token,
                            "{\"body\":\"Done, bye\"}", 201, NULL);
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "POST", resolve_path, server->manager_token, NULL, 200,
                            NULL);
  g_assert_cmpstr (baton_test_get_string (node, "status"), ==, "resolved");
  g_clear_pointer (&node, json_node_unref);

  /* The customer writes again: the same thread, new again. */
  again = baton_test_inbound (server, channel, secret, phone, "One more thing");
  g_assert_cmpstr (again, ==, conversation);
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s", conversation);

    node = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  }
  g_assert_cmpstr (baton_test_get_string (node, "status"), ==, "new");
  g_assert_null (baton_test_get_string (node, "resolved_at"));
  g_clear_pointer (&node, json_node_unref);

  /* The message is in that thread, after the first one. */
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/messages?limit=500",
                                             conversation);
    g_autofree char *newest_path = NULL;
    g_autofree char *oldest_path = NULL;
    JsonArray *items = NULL;
    int newest_inbound = -1, oldest_inbound = -1;

    node = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
    items = baton_test_items (node);
    for (guint i = 0; i < json_array_get_length (items); i++)
      {
        JsonObject *message = json_array_get_object_element (items, i);

        if (!g_str_equal (json_object_get_string_member (message, "kind"), "inbound"))
          continue;
        if (newest_inbound < 0)
          newest_inbound = (int) i;
        oldest_inbound = (int) i;
      }
    g_assert_cmpint (newest_inbound, >=, 0);
    g_assert_cmpint (newest_inbound, <, oldest_inbound);
    newest_path = g_strdup_printf ("items.%d.body", newest_inbound);
    oldest_path = g_strdup_printf ("items.%d.body", oldest_inbound);
    g_assert_cmpstr (baton_test_get_string (node, newest_path), ==, "One more thing");
    g_assert_cmpstr (baton_test_get_string (node, oldest_path), ==, "Help");
  }
}

static void
test_healthz (void)
{
  g_autoptr(JsonNode) health = baton_test_expect (server, "GET", "/healthz", NULL, NULL, 200,
                                                  NULL);

  g_assert_cmpstr (baton_test_get_string (health, "status"), ==, "ok");
  g_assert_cmpstr (baton_test_get_string (health, "database.backend"), ==,
                   server->database ? "postgresql" : "sqlite");
  g_assert_true (baton_test_get_bool (health, "database.reachable"));
  /* HOST-PID unless named */
  g_assert_true (g_str_has_prefix (baton_test_get_string (health, "node"), g_get_host_name ()));
}

/* --node-id, or node-id in the configuration file; the command line wins */
static void
test_healthz_node_id (void)
{
  g_autofree char *config = baton_test_write_config ("node-id=node-from-file");
  g_autoptr(BatonTestServer) named = baton_test_server_new ("--node-id", "node-b", "--config",
                                                            config, NULL);
  g_autoptr(BatonTestServer) configured = baton_test_server_new ("--config", config, NULL);
  g_autoptr(JsonNode) health = baton_test_expect (named, "GET", "/healthz", NULL, NULL, 200,
                                                  NULL);
  g_autoptr(JsonNode) from_file = baton_test_expect (configured, "GET", "/healthz", NULL, NULL,
                                                     200, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) refused = NULL;
  g_autofree char *dir = g_dir_make_tmp ("baton-node-id-XXXXXX", NULL);

  g_assert_cmpstr (baton_test_get_string (health, "node"), ==, "node-b");
  g_assert_cmpstr (baton_test_get_string (from_file, "node"), ==, "node-from-file");

  /* an empty name is refused before anything starts */
  refused = g_subprocess_new (G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error, g_getenv ("BATOND"),
                              "serve", "--data-dir", dir, "--listen", "127.0.0.1:0",
                              "--node-id", "", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait (refused, NULL, &error));
  g_assert_cmpint (g_subprocess_get_exit_status (refused), ==, 1);
  g_rmdir (dir);
}

static void
test_metrics (void)
{
  g_autoptr(GBytes) response = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *text = NULL;
  const char *content_type = NULL;

  /* At least one answered request to count. */
  g_autoptr(JsonNode) health = baton_test_expect (server, "GET", "/healthz", NULL, NULL, 200,
                                                  NULL);

  msg = baton_test_send_raw (server, "GET", "/metrics", NULL, NULL, &response);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  content_type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg),
                                                        NULL);
  g_assert_cmpstr (content_type, ==, "text/plain");
  text = g_strndup (g_bytes_get_data (response, NULL), g_bytes_get_size (response));
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_nonnull (strstr (text, "# TYPE baton_http_requests_total counter"));
  g_assert_nonnull (strstr (text, "baton_http_requests_total{status=\"200\"} "));
}

/* A line of /metrics, 0 when absent (a count of nothing is not written). */
static gint64
metric_or_zero (const char *line_name)
{
  g_autoptr(GBytes) response = NULL;
  g_autoptr(SoupMessage) msg = baton_test_send_raw (server, "GET", "/metrics", NULL, NULL,
                                                    &response);
  g_autofree char *text = g_strndup (g_bytes_get_data (response, NULL),
                                     g_bytes_get_size (response));
  g_autofree char *prefix = g_strdup_printf ("\n%s ", line_name);
  const char *line = strstr (text, prefix);

  return line ? g_ascii_strtoll (line + strlen (prefix), NULL, 10) : 0;
}

/* Messages by kind and conversations by status follow every change (they are counted as
 * they are written, not scanned). */
static void
test_metrics_counts (void)
{
  g_autofree char *secret = NULL;
  g_autofree char *channel = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *conversation = NULL;
  g_autofree char *path = NULL;
  g_autofree char *messages_path = NULL;
  g_autofree char *kind_line = NULL;
  g_autofree char *status_line = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) messages = NULL;
  gint64 customer_before = metric_or_zero ("baton_messages{kind=\"inbound\"}");
  gint64 resolved_before = metric_or_zero ("baton_conversations{status=\"resolved\"}");
  gint64 status_before;

  conversation = baton_test_inbound (server, channel, secret, phone, "Count me");
  path = g_strdup_printf ("/api/v1/conversations/%s", conversation);
  node = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  status_line = g_strdup_printf ("baton_conversations{status=\"%s\"}",
                                 baton_test_get_string (node, "status"));
  messages_path = g_strdup_printf ("/api/v1/conversations/%s/messages", conversation);
  messages = baton_test_expect (server, "GET", messages_path, server->manager_token, NULL, 200,
                                NULL);
  g_assert_cmpstr (baton_test_get_string (messages, "items.0.kind"), ==, "inbound");
  g_assert_cmpint (metric_or_zero ("baton_messages{kind=\"inbound\"}"), ==,
                   customer_before + 1);
  g_free (baton_test_inbound (server, channel, secret, phone, "And me"));
  g_assert_cmpint (metric_or_zero ("baton_messages{kind=\"inbound\"}"), ==,
                   customer_before + 2);

  status_before = metric_or_zero (status_line);
  g_clear_pointer (&node, json_node_unref);
  g_free (path);
  path = g_strdup_printf ("/api/v1/conversations/%s/resolve", conversation);
  node = baton_test_expect (server, "POST", path, server->manager_token, NULL, 200, NULL);
  g_assert_cmpint (metric_or_zero (status_line), ==, status_before - 1);
  g_assert_cmpint (metric_or_zero ("baton_conversations{status=\"resolved\"}"), ==,
                   resolved_before + 1);
}

static void
test_flows_and_schedules (void)
{
  static const struct {
    const char *method;
    const char *path;
    gboolean write;
    /* what a manager gets with an empty body or an unknown id */
    guint status;
    const char *code;
  } endpoints[] = {
    { "GET", "/api/v1/flows", FALSE, 200, NULL },
    { "POST", "/api/v1/flows", TRUE, 422, "unprocessable" },
    { "GET", "/api/v1/flows/flw_1", FALSE, 404, "not_found" },
    { "PATCH", "/api/v1/flows/flw_1", TRUE, 404, "not_found" },
    { "DELETE", "/api/v1/flows/flw_1", TRUE, 404, "not_found" },
    { "GET", "/api/v1/schedules", FALSE, 200, NULL },
    { "POST", "/api/v1/schedules", TRUE, 422, "unprocessable" },
    { "GET", "/api/v1/schedules/sch_1", FALSE, 404, "not_found" },
    { "PATCH", "/api/v1/schedules/sch_1", TRUE, 404, "not_found" },
    { "DELETE", "/api/v1/schedules/sch_1", TRUE, 404, "not_found" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (endpoints); i++)
    {
      const char *body = g_str_equal (endpoints[i].method, "GET")
                         || g_str_equal (endpoints[i].method, "DELETE") ? NULL : "{}";
      g_autoptr(JsonNode) manager = NULL;
      g_autoptr(JsonNode) agent = NULL;
      g_autoptr(JsonNode) anonymous = NULL;

      manager = baton_test_expect (server, endpoints[i].method, endpoints[i].path,
                                   server->manager_token, body, endpoints[i].status,
                                   endpoints[i].code);
      anonymous = baton_test_expect (server, endpoints[i].method, endpoints[i].path, NULL, body,
                                     401, "unauthorized");
      if (endpoints[i].write)
        agent = baton_test_expect (server, endpoints[i].method, endpoints[i].path, agent_token,
                                   body, 403, "forbidden");
      else
        agent = baton_test_expect (server, endpoints[i].method, endpoints[i].path, agent_token,
                                   body, endpoints[i].status, endpoints[i].code);
    }
}

static void
test_clock_advance (void)
{
  g_autoptr(JsonNode) start = baton_test_expect (server, "POST", "/api/v1/test/clock/advance",
                                                 server->manager_token, "{\"seconds\":0}", 200,
                                                 NULL);
  g_autoptr(JsonNode) later = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GDateTime) start_time = NULL;
  g_autoptr(GDateTime) later_time = NULL;
  GTimeSpan elapsed;

  later = baton_test_expect (server, "POST", "/api/v1/test/clock/advance",
                             server->manager_token, "{\"seconds\":3600}", 200, NULL);
  start_time = g_date_time_new_from_iso8601 (baton_test_get_string (start, "now"), NULL);
  later_time = g_date_time_new_from_iso8601 (baton_test_get_string (later, "now"), NULL);
  g_assert_nonnull (start_time);
  g_assert_nonnull (later_time);
  elapsed = g_date_time_difference (later_time, start_time);
  /* An hour, plus whatever the real clock did in between. */
  g_assert_cmpint (elapsed, >=, G_TIME_SPAN_HOUR);
  g_assert_cmpint (elapsed, <, G_TIME_SPAN_HOUR + 30 * G_TIME_SPAN_SECOND);

  /* New objects are stamped with the advanced clock. */
  {
    g_autoptr(JsonNode) team = baton_test_expect (server, "POST", "/api/v1/teams",
                                                  server->manager_token,
                                                  "{\"name\":\"Clocked\","
                                                  "\"strategy\":\"round_robin\"}", 201, NULL);
    g_autoptr(GDateTime) created = g_date_time_new_from_iso8601 (
      baton_test_get_string (team, "created_at"), NULL);

    g_assert_cmpint (g_date_time_difference (created, later_time), >=, 0);
  }

  baton_test_expect_invalid (server, "POST", "/api/v1/test/clock/advance", "{\"seconds\":-1}",
                             "seconds");
  baton_test_expect_invalid (server, "POST", "/api/v1/test/clock/advance", "{}", "seconds");
  node = baton_test_expect (server, "POST", "/api/v1/test/clock/advance", agent_token,
                            "{\"seconds\":1}", 403, "forbidden");
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "POST", "/api/v1/test/clock/advance", NULL,
                            "{\"seconds\":1}", 401, "unauthorized");
}

/* A server started without --test-clock has no such path. */
static void
test_clock_absent (void)
{
  g_autoptr(BatonTestServer) plain = baton_test_server_new (NULL, NULL);
  g_autoptr(JsonNode) node = NULL;

  node = baton_test_expect (plain, "POST", "/api/v1/test/clock/advance", plain->manager_token,
                            "{\"seconds\":60}", 404, "not_found");
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (plain, "POST", "/api/v1/test/clock/advance", NULL,
                            "{\"seconds\":60}", 404, "not_found");
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (plain, "GET", "/healthz", NULL, NULL, 200, NULL);
}

static void
test_unknown_paths (void)
{
  static const struct {
    const char *method;
    const char *path;
    guint status;
    const char *code;
  } cases[] = {
    { "GET", "/api/v1/nothing-here", 404, "not_found" },
    { "GET", "/api/v2/agents", 404, "not_found" },
    { "GET", "/", 404, "not_found" },
    { "GET", "/api/v1/agents/a/b/c", 404, "not_found" },
    { "POST", "/api/v1/conversations/cnv_x/explode", 404, "not_found" },
    { "GET", "/api/v1/auth/login", 405, "bad_request" },
    { "DELETE", "/api/v1/settings", 405, "bad_request" },
    { "PUT", "/api/v1/agents", 405, "bad_request" },
    { "POST", "/healthz", 405, "bad_request" },
    { "GET", "/api/v1/channels/chn_x/inbound", 405, "bad_request" },
    { "DELETE", "/api/v1/conversations/cnv_x", 405, "bad_request" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = baton_test_expect (server, cases[i].method, cases[i].path,
                                                    server->manager_token, NULL,
                                                    cases[i].status, cases[i].code);
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  server = baton_test_server_new ("--test-clock", NULL);
  {
    g_autofree char *id = baton_test_create_agent (server, "Wendy Workspace",
                                                   "wendy@example.com", "agent", &agent_token);
  }

  g_test_add_func ("/workspace/settings-defaults", test_settings_defaults);
  g_test_add_func ("/workspace/settings-patch", test_settings_patch);
  g_test_add_func ("/workspace/channels", test_channels);
  g_test_add_func ("/workspace/delete-used-channel", test_delete_used_channel);
  g_test_add_func ("/workspace/inbound", test_inbound);
  g_test_add_func ("/workspace/inbound-reopens", test_inbound_reopens);
  g_test_add_func ("/workspace/healthz", test_healthz);
  g_test_add_func ("/workspace/healthz/node-id", test_healthz_node_id);
  g_test_add_func ("/workspace/metrics", test_metrics);
  g_test_add_func ("/workspace/metrics/counts", test_metrics_counts);
  g_test_add_func ("/workspace/flows-and-schedules", test_flows_and_schedules);
  g_test_add_func ("/workspace/clock-advance", test_clock_advance);
  g_test_add_func ("/workspace/clock-absent", test_clock_absent);
  g_test_add_func ("/workspace/unknown-paths", test_unknown_paths);

  status = baton_test_run (server);
  g_free (agent_token);
  return status;
}
