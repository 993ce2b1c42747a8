/* test-api-attachments.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "baton-test-helpers.h"

/* Outgoing attachments: POST /attachments keeps an agent's file (or refuses it precisely),
 * and a reply carries the caller's unused uploads by attachment_ids, once. */

static BatonTestServer *server;
static char *channel_id;
static char *channel_secret;
static char *agent_token;
static char *other_token;

static char *
new_conversation (void)
{
  g_autofree char *phone = baton_test_new_phone ();

  return baton_test_customer_writes (server, channel_id, channel_secret, phone, NULL,
                                     "Can you send the invoice?");
}

/* size bytes of a made-up file (a PNG signature, then a pattern) */
static GBytes *
file_bytes (gsize size)
{
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) (i * 7 + 3);
  memcpy (data, "\x89PNG\r\n\x1a\n", MIN (size, 8));
  return g_bytes_new_take (data, size);
}

static char *
upload (const char *token,
        const char *filename,
        const char *content_type,
        gsize       size)
{
  g_autoptr(GBytes) bytes = file_bytes (size);
  g_autoptr(JsonNode) node = baton_test_upload (server, token, filename, content_type, bytes,
                                                201, NULL);

  return g_strdup (baton_test_get_string (node, "id"));
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

/* GET of an attachment: its status, and the bytes and headers of a 200. */
static guint
get_attachment (const char  *id,
                const char  *token,
                GBytes     **bytes,
                char       **content_type,
                char       **disposition)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/attachments/%s", id);
  g_autoptr(GBytes) response = NULL;
  g_autoptr(SoupMessage) msg = baton_test_send_raw (server, "GET", path, token, NULL,
                                                    &response);
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);

  if (bytes)
    *bytes = g_bytes_ref (response);
  if (content_type)
    *content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  if (disposition)
    *disposition = g_strdup (soup_message_headers_get_one (headers, "Content-Disposition"));
  return soup_message_get_status (msg);
}

/* An upload answers the Attachment, fetchable by its agent only until a reply carries it. */
static void
test_upload (void)
{
  g_autoptr(GBytes) bytes = file_bytes (3000);
  g_autoptr(GBytes) fetched = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *disposition = NULL;
  const char *id = NULL;

  node = baton_test_upload (server, agent_token, "Photo of the parcel.png", "image/png", bytes,
                            201, NULL);
  id = baton_test_get_string (node, "id");
  g_assert_true (g_str_has_prefix (id, "att_"));
  g_assert_cmpstr (baton_test_get_string (node, "kind"), ==, "image");
  g_assert_cmpstr (baton_test_get_string (node, "mime_type"), ==, "image/png");
  g_assert_cmpstr (baton_test_get_string (node, "filename"), ==, "Photo of the parcel.png");
  g_assert_cmpint (baton_test_get_int (node, "size"), ==, 3000);
  g_assert_true (g_str_has_suffix (baton_test_get_string (node, "url"), id));
  g_assert_nonnull (baton_test_get_string (node, "expires_at"));

  g_assert_cmpuint (get_attachment (id, agent_token, &fetched, &content_type, &disposition), ==,
                    200);
  g_assert_true (g_bytes_equal (fetched, bytes));
  g_assert_cmpstr (content_type, ==, "image/png");
  g_assert_nonnull (strstr (disposition, "parcel.png"));
  /* nobody else sees a file not sent yet */
  g_assert_cmpuint (get_attachment (id, other_token, NULL, NULL, NULL), ==, 404);

  /* a document above the 1 MiB of other requests, with parameters on its type */
  g_clear_pointer (&bytes, g_bytes_unref);
  g_clear_pointer (&node, json_node_unref);
  bytes = file_bytes (3 * 1024 * 1024);
  node = baton_test_upload (server, agent_token, "contract.pdf",
                            "Application/PDF; name=contract.pdf", bytes, 201, NULL);
  g_assert_cmpstr (baton_test_get_string (node, "kind"), ==, "document");
  g_assert_cmpstr (baton_test_get_string (node, "mime_type"), ==, "application/pdf");
  g_assert_cmpint (baton_test_get_int (node, "size"), ==, 3 * 1024 * 1024);
}

/* Each refusal is precise, and stores nothing. */
static void
test_upload_refused (void)
{
  g_autoptr(GBytes) small = file_bytes (100);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) big_image = file_bytes (5000001);
  g_autoptr(GBytes) fine_image = file_bytes (5000000);
  g_autoptr(JsonNode) node = NULL;
  guint status = 0;

  node = baton_test_upload (server, agent_token, "a.png", "image/png", empty, 400,
                            "bad_request");
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_upload (server, agent_token, "a.png", NULL, small, 400, "bad_request");
  g_assert_nonnull (strstr (baton_test_get_string (node, "error.message"), "Content-Type"));
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_upload (server, agent_token, NULL, "image/png", small, 400, "bad_request");
  g_assert_nonnull (strstr (baton_test_get_string (node, "error.message"), "filename"));
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_upload (server, agent_token, "../../etc/passwd", "text/plain", small, 400,
                            "bad_request");
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_upload (server, agent_token, "tab\there.txt", "text/plain", small, 400,
                            "bad_request");
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_upload (server, agent_token, "setup.exe", "application/x-msdownload", small,
                            415, "unsupported_media_type");
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_upload (server, agent_token, "anim.gif", "image/gif", small, 415,
                            "unsupported_media_type");
  g_clear_pointer (&node, json_node_unref);
  /* WhatsApp's image limit is 5 MB */
  node = baton_test_upload (server, agent_token, "huge.png", "image/png", big_image, 413,
                            "payload_too_large");
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_upload (server, agent_token, "limit.png", "image/png", fine_image, 201,
                            NULL);
  g_clear_pointer (&node, json_node_unref);
  /* signed out */
  node = baton_test_request (server, "POST", "/api/v1/attachments?filename=a.txt", NULL, "hi",
                             &status);
  g_assert_cmpuint (status, ==, 401);
}

/* A reply carries uploads: the thread shows them, anyone may fetch them, and they cannot be
 * sent twice. */
static void
test_reply (void)
{
  g_autofree char *conversation = new_conversation ();
  g_autofree char *image = upload (agent_token, "parcel.jpg", "image/jpeg", 2000);
  g_autofree char *pdf = upload (agent_token, "invoice.pdf", "application/pdf", 4000);
  g_autofree char *json = baton_test_strdup_printf_json ("{\"body\":\"Here it is\","
                                                         "\"attachment_ids\":[%s,%s]}",
                                                         image, pdf);
  g_autofree char *again = baton_test_strdup_printf_json ("{\"body\":\"Again\","
                                                          "\"attachment_ids\":[%s]}", pdf);
  g_autofree char *only = upload (agent_token, "photo.png", "image/png", 500);
  g_autofree char *without_text = baton_test_strdup_printf_json ("{\"attachment_ids\":[%s]}",
                                                                 only);
  g_autoptr(JsonNode) sent = NULL;
  g_autoptr(JsonNode) found = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(JsonNode) bare = NULL;
  g_autoptr(JsonNode) listed = NULL;

  sent = post_reply (conversation, agent_token, json, 201, NULL);
  g_assert_cmpstr (baton_test_get_string (sent, "body"), ==, "Here it is");
  g_assert_cmpint (baton_test_get_int (sent, "attachments.#"), ==, 2);
  g_assert_cmpstr (baton_test_get_string (sent, "attachments.0.id"), ==, image);
  g_assert_cmpstr (baton_test_get_string (sent, "attachments.0.kind"), ==, "image");
  g_assert_cmpstr (baton_test_get_string (sent, "attachments.0.filename"), ==, "parcel.jpg");
  g_assert_cmpstr (baton_test_get_string (sent, "attachments.1.kind"), ==, "document");
  g_assert_cmpstr (baton_test_get_string (sent, "attachments.1.mime_type"), ==,
                   "application/pdf");
  g_assert_cmpint (baton_test_get_int (sent, "attachments.1.size"), ==, 4000);
  g_assert_true (g_str_has_suffix (baton_test_get_string (sent, "attachments.1.url"), pdf));
  /* an api channel has no one to send to: the reply is sent as stored */
  g_assert_cmpstr (baton_test_get_string (sent, "status"), ==, "sent");
  found = baton_test_find_message (server, conversation, baton_test_get_string (sent, "id"));
  g_assert_cmpint (baton_test_get_int (found, "attachments.#"), ==, 2);
  /* sent: every agent may fetch it now */
  g_assert_cmpuint (get_attachment (pdf, other_token, NULL, NULL, NULL), ==, 200);

  refused = post_reply (conversation, agent_token, again, 422, "unprocessable");
  g_assert_cmpstr (baton_test_get_string (refused, "error.field"), ==, "attachment_ids[0]");

  /* attachments without text; the inbox shows what was sent */
  bare = post_reply (conversation, agent_token, without_text, 201, NULL);
  g_assert_cmpstr (baton_test_get_string (bare, "body"), ==, "");
  g_assert_cmpstr (baton_test_get_string (bare, "attachments.0.kind"), ==, "image");
  listed = baton_test_get_conversation (server, conversation);
  g_assert_cmpstr (baton_test_get_string (listed, "last_message.preview"), ==, "Photo");
}

static void
expect_field (const char *conversation,
              const char *json,
              const char *field)
{
  g_autoptr(JsonNode) node = post_reply (conversation, agent_token, json, 422, "unprocessable");

  g_assert_cmpstr (baton_test_get_string (node, "error.field"), ==, field);
}

/* Ids that are not the caller's unused uploads are refused by their place, and a refused
 * reply uses up nothing. */
static void
test_wrong_ids (void)
{
  g_autofree char *conversation = new_conversation ();
  g_autofree char *mine = upload (agent_token, "mine.png", "image/png", 300);
  g_autofree char *theirs = upload (other_token, "theirs.png", "image/png", 300);
  g_autofree char *unknown = baton_test_strdup_printf_json ("{\"body\":\"x\",\"attachment_ids\":"
                                                            "[%s,\"att_nope\"]}", mine);
  g_autofree char *foreign = baton_test_strdup_printf_json ("{\"body\":\"x\",\"attachment_ids\":"
                                                            "[%s,%s]}", mine, theirs);
  g_autofree char *twice = baton_test_strdup_printf_json ("{\"body\":\"x\",\"attachment_ids\":"
                                                          "[%s,%s]}", mine, mine);
  g_autofree char *template = baton_test_strdup_printf_json (
    "{\"template\":{\"name\":\"hello\",\"language\":\"en\"},\"attachment_ids\":[%s]}", mine);
  g_autofree char *good = baton_test_strdup_printf_json ("{\"body\":\"x\",\"attachment_ids\":"
                                                         "[%s]}", mine);
  g_autoptr(JsonNode) sent = NULL;

  expect_field (conversation, unknown, "attachment_ids[1]");
  expect_field (conversation, foreign, "attachment_ids[1]");
  expect_field (conversation, twice, "attachment_ids[1]");
  expect_field (conversation, "{\"body\":\"x\",\"attachment_ids\":\"att_1\"}", "attachment_ids");
  expect_field (conversation, "{\"body\":\"x\",\"attachment_ids\":[42]}", "attachment_ids[0]");
  expect_field (conversation, template, "attachment_ids");
  /* none of those used the upload */
  sent = post_reply (conversation, agent_token, good, 201, NULL);
  g_assert_cmpstr (baton_test_get_string (sent, "attachments.0.id"), ==, mine);
}

/* A reply repeated with its client_id is the same message; its uploads are not used twice. */
static void
test_retry (void)
{
  g_autofree char *conversation = new_conversation ();
  g_autofree char *file = upload (agent_token, "retry.png", "image/png", 300);
  g_autofree char *json = baton_test_strdup_printf_json ("{\"body\":\"Once\",\"client_id\":"
                                                         "\"att-retry-1\",\"attachment_ids\":"
                                                         "[%s]}", file);
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(JsonNode) list = NULL;
  JsonArray *items = NULL;
  guint carrying = 0;

  first = post_reply (conversation, agent_token, json, 201, NULL);
  again = post_reply (conversation, agent_token, json, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (again, "id"), ==, baton_test_get_string (first, "id"));
  g_assert_cmpstr (baton_test_get_string (again, "attachments.0.id"), ==, file);
  list = baton_test_get (server, "/api/v1/conversations/%s/messages?limit=500", conversation);
  items = baton_test_items (list);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *message = json_array_get_object_element (items, i);

      carrying += json_array_get_length (json_object_get_array_member (message,
                                                                       "attachments")) > 0;
    }
  g_assert_cmpuint (carrying, ==, 1);
}

/* An upload no reply carried is gone after a day, its file too. */
static void
test_expiry (void)
{
  g_autofree char *conversation = new_conversation ();
  g_autofree char *old = upload (agent_token, "old.png", "image/png", 300);
  g_autofree char *file = g_strdup_printf ("%s/media/%s.upload", server->data_dir, old);
  g_autofree char *json = baton_test_strdup_printf_json ("{\"body\":\"x\",\"attachment_ids\":"
                                                         "[%s]}", old);
  g_autofree char *fresh = NULL;

  g_assert_true (g_file_test (file, G_FILE_TEST_EXISTS));
  baton_test_advance_clock (server, 23 * 3600);
  fresh = upload (agent_token, "fresh.png", "image/png", 300);
  g_assert_cmpuint (get_attachment (old, agent_token, NULL, NULL, NULL), ==, 200);
  baton_test_advance_clock (server, 3600 + 1);
  g_clear_pointer (&fresh, g_free);
  /* unused uploads are swept as the next one arrives */
  fresh = upload (agent_token, "fresh.png", "image/png", 300);
  g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (get_attachment (old, agent_token, NULL, NULL, NULL), ==, 404);
  expect_field (conversation, json, "attachment_ids[0]");
}

/* Deleting an agent leaves their uploads to expire: nobody else may use them, and their
 * files go when they do. */
static void
test_agent_deleted (void)
{
  g_autofree char *token = NULL;
  g_autofree char *agent_id = baton_test_new_agent (server, "Gone Soon", "agent", &token);
  g_autofree char *left = upload (token, "left.png", "image/png", 300);
  g_autofree char *file = g_strdup_printf ("%s/media/%s.upload", server->data_dir, left);
  g_autofree char *path = g_strdup_printf ("/api/v1/agents/%s", agent_id);
  g_autofree char *fresh = NULL;
  g_autoptr(JsonNode) gone = NULL;

  gone = baton_test_expect (server, "DELETE", path, server->manager_token, NULL, 204, NULL);
  g_assert_cmpuint (get_attachment (left, server->manager_token, NULL, NULL, NULL), ==, 404);
  g_assert_true (g_file_test (file, G_FILE_TEST_EXISTS));
  baton_test_advance_clock (server, 24 * 3600 + 1);
  fresh = upload (agent_token, "fresh.png", "image/png", 300);
  g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  int status;
  g_autofree char *agent_id = NULL;
  g_autofree char *other_id = NULL;

  g_test_init (&argc, &argv, NULL);
  server = baton_test_server_new ("--test-clock", NULL);
  channel_id = baton_test_create_channel (server, NULL, &channel_secret);
  agent_id = baton_test_new_agent (server, "Ada Attach", "agent", &agent_token);
  other_id = baton_test_new_agent (server, "Otto Other", "agent", &other_token);

  g_test_add_func ("/attachments/upload", test_upload);
  g_test_add_func ("/attachments/upload-refused", test_upload_refused);
  g_test_add_func ("/attachments/reply", test_reply);
  g_test_add_func ("/attachments/wrong-ids", test_wrong_ids);
  g_test_add_func ("/attachments/retry", test_retry);
  g_test_add_func ("/attachments/expiry", test_expiry);
  g_test_add_func ("/attachments/agent-deleted", test_agent_deleted);

  status = baton_test_run (server);
  g_free (channel_id);
  g_free (channel_secret);
  g_free (agent_token);
  g_free (other_token);
  return status;
}
