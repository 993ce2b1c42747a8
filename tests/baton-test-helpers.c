/* baton-test-helpers.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "baton-test-helpers.h"

/* One counter for phones and emails: whatever a test makes is new to its server. */
static guint serial;

int
baton_test_run (BatonTestServer *server)
{
  int status = g_test_run ();

  baton_test_server_free (server);
  return status;
}

char *
baton_test_new_phone (void)
{
  return g_strdup_printf ("+1555%07u", ++serial);
}

char *
baton_test_new_agent (BatonTestServer  *server,
                      const char       *name,
                      const char       *role,
                      char            **token)
{
  g_autofree char *email = g_strdup_printf ("agent-%u@example.com", ++serial);

  return baton_test_create_agent (server, name, email, role, token);
}

gboolean
baton_test_is_online (BatonTestServer *server,
                      const char      *agent_id)
{
  g_autoptr(JsonNode) agent = baton_test_get_agent (server, agent_id);

  return baton_test_get_bool (agent, "online");
}

void
baton_test_wait_online (BatonTestServer *server,
                        const char      *agent_id)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  for (;;)
    {
      if (baton_test_is_online (server, agent_id))
        return;
      if (g_get_monotonic_time () > deadline)
        g_error ("%s is not online after 10 s", agent_id);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

void
baton_test_set_availability (BatonTestServer *server,
                             const char      *token,
                             const char      *availability)
{
  g_autofree char *body = baton_test_strdup_printf_json ("{\"availability\":%s}", availability);
  g_autoptr(JsonNode) agent = baton_test_expect (server, "PUT", "/api/v1/me/availability",
                                                 token, body, 200, NULL);

  g_assert_cmpstr (baton_test_get_string (agent, "availability"), ==, availability);
}

char *
baton_test_create (BatonTestServer *server,
                   const char      *path,
                   const char      *body)
{
  g_autoptr(JsonNode) node = baton_test_expect (server, "POST", path, server->manager_token,
                                                body, 201, NULL);

  return g_strdup (baton_test_get_string (node, "id"));
}

char *
baton_test_customer_writes (BatonTestServer *server,
                            const char      *channel_id,
                            const char      *secret,
                            const char      *phone,
                            const char      *name,
                            const char      *text)
{
  g_autofree char *body = name
    ? baton_test_strdup_printf_json ("{\"from\":%s,\"name\":%s,\"body\":%s}", phone, name, text)
    : baton_test_strdup_printf_json ("{\"from\":%s,\"body\":%s}", phone, text);
  g_autoptr(JsonNode) node = baton_test_inbound_expect (server, channel_id, secret, body, 202,
                                                        NULL);

  return g_strdup (baton_test_get_string (node, "conversation_id"));
}

JsonNode *
baton_test_get (BatonTestServer *server,
                const char      *format,
                ...)
{
  g_autofree char *path = NULL;
  va_list args;

  va_start (args, format);
  path = g_strdup_vprintf (format, args);
  va_end (args);
  return baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
}

JsonNode *
baton_test_get_conversation (BatonTestServer *server,
                             const char      *conversation_id)
{
  return baton_test_get (server, "/api/v1/conversations/%s", conversation_id);
}

char *
baton_test_contact_of (BatonTestServer *server,
                       const char      *conversation_id)
{
  g_autoptr(JsonNode) conversation = baton_test_get_conversation (server, conversation_id);

  return g_strdup (baton_test_get_string (conversation, "contact.id"));
}

JsonNode *
baton_test_get_contact (BatonTestServer *server,
                        const char      *contact_id)
{
  return baton_test_get (server, "/api/v1/contacts/%s", contact_id);
}

JsonNode *
baton_test_get_agent (BatonTestServer *server,
                      const char      *agent_id)
{
  return baton_test_get (server, "/api/v1/agents/%s", agent_id);
}

void
baton_test_assign_to (BatonTestServer *server,
                      const char      *conversation_id,
                      const char      *agent_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/assignment",
                                           conversation_id);
  g_autofree char *body = baton_test_strdup_printf_json ("{\"assignee_ids\":[%s]}", agent_id);
  g_autoptr(JsonNode) node = baton_test_expect (server, "PUT", path, server->manager_token,
                                                body, 200, NULL);
}

JsonNode *
baton_test_latest_activity (BatonTestServer *server,
                            const char      *conversation_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/messages?limit=500",
                                           conversation_id);
  g_autoptr(JsonNode) page = baton_test_expect (server, "GET", path, server->manager_token,
                                                NULL, 200, NULL);
  JsonArray *items = baton_test_items (page);

  /* newest first */
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *message = json_array_get_element (items, i);

      if (g_strcmp0 (baton_test_get_string (message, "kind"), "activity") == 0)
        return json_node_ref (message);
    }
  g_error ("Conversation %s has no activity message", conversation_id);
  return NULL;
}

JsonArray *
baton_test_items (JsonNode *list)
{
  JsonArray *items = json_object_get_array_member (json_node_get_object (list), "items");

  g_assert_nonnull (items);
  return items;
}

void
baton_test_assert_strings (JsonNode   *node,
                           const char *path,
                           ...)
{
  g_autofree char *length_path = g_strdup_printf ("%s.#", path);
  gint64 length = baton_test_get_int (node, length_path);
  gint64 n = 0;
  va_list args;

  va_start (args, path);
  for (const char *expected = va_arg (args, const char *); expected;
       expected = va_arg (args, const char *), n++)
    {
      g_autofree char *element = g_strdup_printf ("%s.%" G_GINT64_FORMAT, path, n);

      g_assert_cmpint (n, <, length);
      g_assert_cmpstr (baton_test_get_string (node, element), ==, expected);
    }
  va_end (args);
  g_assert_cmpint (length, ==, n);
}

void
baton_test_expect_invalid (BatonTestServer *server,
                           const char      *method,
                           const char      *path,
                           const char      *body,
                           const char      *field)
{
  g_autoptr(JsonNode) node = baton_test_expect (server, method, path, server->manager_token,
                                                body, 422, "unprocessable");

  g_assert_cmpstr (baton_test_get_string (node, "error.field"), ==, field);
}

#define EVENT_WAIT_MS 10000

/* The data of the next event of that type, which must equal expected. */
static void
assert_event_data (BatonTestStream *stream,
                   const char      *type,
                   const char      *action,
                   JsonNode        *expected)
{
  g_autofree char *name = g_strdup_printf ("%s.%s", type, action);
  g_autoptr(JsonObject) event = baton_test_stream_wait (stream, name, NULL, EVENT_WAIT_MS);

  g_assert_nonnull (event);
  g_assert_true (json_node_equal (json_object_get_member (event, "data"), expected));
}

void
baton_test_assert_crud_events (BatonTestServer *server,
                               const char      *collection,
                               const char      *type,
                               const char      *create_body,
                               const char      *patch_body)
{
  g_autofree char *collection_path = g_strdup_printf ("/api/v1/%s", collection);
  BatonTestStream *stream = baton_test_stream_open (server, server->manager_token, NULL, NULL);
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) patched = NULL;
  g_autoptr(JsonNode) deleted = NULL;
  g_autoptr(JsonNode) id_only = NULL;
  g_autofree char *path = NULL;
  g_autofree char *id_json = NULL;

  g_assert_nonnull (stream);
  created = baton_test_expect (server, "POST", collection_path, server->manager_token,
                               create_body, 201, NULL);
  path = g_strdup_printf ("%s/%s", collection_path, baton_test_get_string (created, "id"));
  assert_event_data (stream, type, "created", created);

  patched = baton_test_expect (server, "PATCH", path, server->manager_token, patch_body, 200,
                               NULL);
  assert_event_data (stream, type, "updated", patched);

  deleted = baton_test_expect (server, "DELETE", path, server->manager_token, NULL, 204, NULL);
  id_json = baton_test_strdup_printf_json ("{\"id\":%s}", baton_test_get_string (created, "id"));
  id_only = json_from_string (id_json, NULL);
  assert_event_data (stream, type, "deleted", id_only);
  baton_test_stream_close (stream);
}

static guint
count_items (BatonTestServer *server,
             const char      *path,
             const char      *token)
{
  g_autoptr(JsonNode) list = baton_test_expect (server, "GET", path, token, NULL, 200, NULL);

  return json_array_get_length (baton_test_items (list));
}

/* Asserts each request's status and error code; method, path and body in threes. */
static void
expect_each (BatonTestServer   *server,
             const char        *token,
             guint              status,
             const char        *code,
             const char *const *requests)
{
  for (guint i = 0; requests[i]; i += 3)
    {
      g_autoptr(JsonNode) node = baton_test_expect (server, requests[i], requests[i + 1], token,
                                                    requests[i + 2], status, code);
    }
}

void
baton_test_assert_manager_only (BatonTestServer *server,
                                const char      *collection,
                                const char      *create_body)
{
  g_autofree char *token = NULL;
  g_autofree char *agent_id = baton_test_new_agent (server, "Reading Agent", "agent", &token);
  g_autofree char *list_path = g_strdup_printf ("/api/v1/%s", collection);
  g_autoptr(JsonNode) created = baton_test_expect (server, "POST", list_path,
                                                   server->manager_token, create_body, 201,
                                                   NULL);
  const char *id = baton_test_get_string (created, "id");
  g_autofree char *path = g_strdup_printf ("%s/%s", list_path, id);
  g_autofree char *missing = g_strdup_printf ("%s/%.*s_missing", list_path,
                                              (int) strcspn (id, "_"), id);
  guint before = count_items (server, list_path, server->manager_token);
  const char *writes[] = {
    "POST", list_path, create_body,
    "PATCH", path, "{\"name\":\"Taken\"}",
    "DELETE", path, NULL,
    NULL
  };
  const char *reads[] = { "GET", list_path, NULL, "GET", path, NULL, NULL };
  g_autoptr(JsonNode) as_manager = NULL;
  g_autoptr(JsonNode) as_agent = NULL;
  g_autoptr(JsonNode) unknown = NULL;

  expect_each (server, token, 403, "forbidden", writes);
  expect_each (server, NULL, 401, "unauthorized", writes);
  expect_each (server, NULL, 401, "unauthorized", reads);
  g_assert_cmpuint (count_items (server, list_path, server->manager_token), ==, before);
  as_manager = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  g_assert_true (json_node_equal (as_manager, created));

  /* Reading is for every agent. */
  g_assert_cmpuint (count_items (server, list_path, token), ==, before);
  as_agent = baton_test_expect (server, "GET", path, token, NULL, 200, NULL);
  g_assert_true (json_node_equal (as_agent, created));
  unknown = baton_test_expect (server, "GET", missing, token, NULL, 404, "not_found");
}

void
baton_test_set_barrier (BatonTestServer *server)
{
  g_free (server->barrier_id);
  server->barrier_id = baton_test_barrier (server);
}

GPtrArray *
baton_test_read_until_barrier (BatonTestServer *server,
                               BatonTestStream *stream)
{
  g_assert_nonnull (server->barrier_id);
  return baton_test_stream_until_barrier (stream, server->barrier_id, EVENT_WAIT_MS);
}

void
baton_test_advance_clock (BatonTestServer *server,
                          gint64           seconds)
{
  g_autofree char *body = g_strdup_printf ("{\"seconds\":%" G_GINT64_FORMAT "}", seconds);
  g_autoptr(JsonNode) node = baton_test_expect (server, "POST", "/api/v1/test/clock/advance",
                                                server->manager_token, body, 200, NULL);
}

gint64
baton_test_current_seq (BatonTestServer *server)
{
  return baton_test_get_metric (server, "baton_event_seq");
}

JsonNode *
baton_test_wait_message (BatonTestServer *server,
                         const char      *conversation_id,
                         const char      *message_id,
                         const char      *member,
                         const char      *expected)
{
  for (guint i = 0; i < 500; i++)
    {
      g_autoptr(JsonNode) message = baton_test_find_message (server, conversation_id, message_id);

      g_assert_nonnull (message);
      if (g_strcmp0 (baton_test_get_string (message, member), expected) == 0)
        return g_steal_pointer (&message);
      g_usleep (10 * 1000);
    }
  g_error ("message %s: %s never became %s", message_id, member, expected);
  return NULL;
}

char *
baton_test_webhook_signature (const char *app_secret,
                              const char *body,
                              gsize       length)
{
  g_autofree char *hex = g_compute_hmac_for_data (G_CHECKSUM_SHA256,
                                                  (const guchar *) app_secret,
                                                  strlen (app_secret),
                                                  (const guchar *) body, length);

  return g_strconcat ("sha256=", hex, NULL);
}

guint
baton_test_post_signed_webhook (BatonTestServer *server,
                                const char      *app_secret,
                                const char      *body)
{
  g_autofree char *signature = baton_test_webhook_signature (app_secret, body, strlen (body));
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

  return baton_test_post_webhook (server, bytes, signature);
}

char *
baton_test_text_webhook (const char *phone_number_id,
                         const char *from,
                         const char *wamid,
                         gint64      timestamp_s,
                         const char *text)
{
  g_autofree char *timestamp = g_strdup_printf ("%" G_GINT64_FORMAT, timestamp_s);

  return baton_test_strdup_printf_json (
    "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{"
    "\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\","
    "\"metadata\":{\"display_phone_number\":\"15550000000\",\"phone_number_id\":%s},"
    "\"contacts\":[{\"profile\":{\"name\":\"Customer\"},\"wa_id\":%s}],"
    "\"messages\":[{\"from\":%s,\"id\":%s,\"timestamp\":%s,\"type\":\"text\","
    "\"text\":{\"body\":%s}}]}}]}]}", phone_number_id, from, from, wamid, timestamp, text);
}

static char *
read_fixture (const char *name,
              gsize      *length)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "whatsapp", name,
                                                 NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, length, &error))
    g_error ("%s: %s", name, error->message);
  return contents;
}

char *
baton_test_fixture_text (const char *name)
{
  return read_fixture (name, NULL);
}

GBytes *
baton_test_fixture_bytes (const char *name)
{
  gsize length = 0;
  char *contents = read_fixture (name, &length);

  return g_bytes_new_take (contents, length);
}

JsonNode *
baton_test_upload (BatonTestServer *server,
                   const char      *token,
                   const char      *filename,
                   const char      *content_type,
                   GBytes          *bytes,
                   guint            expected_status,
                   const char      *expected_code)
{
  g_autofree char *escaped = filename ? g_uri_escape_string (filename, NULL, FALSE) : NULL;
  g_autofree char *url = g_strdup_printf ("%s/api/v1/attachments%s%s", server->url,
                                          escaped ? "?filename=" : "", escaped ? escaped : "");
  g_autofree char *header = g_strdup_printf ("Bearer %s", token);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonNode *node = NULL;

  soup_message_headers_replace (headers, "Authorization", header);
  soup_message_set_request_body_from_bytes (msg, NULL, bytes);
  if (content_type)
    soup_message_headers_replace (headers, "Content-Type", content_type);
  else
    soup_message_headers_remove (headers, "Content-Type");
  response = soup_session_send_and_read (server->session, msg, NULL, &error);
  g_assert_no_error (error);
  text = g_strndup (g_bytes_get_data (response, NULL), g_bytes_get_size (response));
  node = json_from_string (text, NULL);
  if (soup_message_get_status (msg) != expected_status)
    g_error ("POST %s: expected %u, got %u: %s", url, expected_status,
             soup_message_get_status (msg), text);
  if (expected_code)
    {
      g_assert_nonnull (node);
      g_assert_cmpstr (baton_test_get_string (node, "error.code"), ==, expected_code);
    }
  return node;
}
