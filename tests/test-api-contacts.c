/* test-api-contacts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-test-helpers.h"

static BatonTestServer *server;
/* One api channel for the customers of these tests. */
static char *channel_id;
static char *channel_secret;

static JsonNode *
search (const char *query_string)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/contacts?%s", query_string);

  return baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
}

static void
test_created_by_inbound (void)
{
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *conversation_id = baton_test_customer_writes (server, channel_id, channel_secret,
                                                                 phone, "Alice Archer",
                                                                 "Hello there");
  g_autofree char *contact_id = baton_test_contact_of (server, conversation_id);
  g_autoptr(JsonNode) contact = baton_test_get_contact (server, contact_id);
  g_autoptr(JsonNode) found = NULL;
  g_autoptr(JsonNode) conversation = baton_test_get_conversation (server, conversation_id);
  JsonObject *object = json_node_get_object (contact);

  g_assert_cmpstr (baton_test_get_string (contact, "id"), ==, contact_id);
  g_assert_cmpstr (baton_test_get_string (contact, "name"), ==, "Alice Archer");
  g_assert_cmpstr (baton_test_get_string (contact, "phone"), ==, phone);
  g_assert_true (json_object_get_null_member (object, "wa_id"));
  baton_test_assert_strings (contact, "tags", NULL);
  baton_test_assert_strings (contact, "owner_ids", NULL);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (object, "fields")), ==,
                    0);
  g_assert_nonnull (baton_test_get_string (contact, "created_at"));
  g_assert_nonnull (baton_test_get_string (contact, "last_inbound_at"));
  g_assert_cmpstr (baton_test_get_string (conversation, "contact.name"), ==, "Alice Archer");
  g_assert_cmpstr (baton_test_get_string (conversation, "contact.phone"), ==, phone);

  found = search ("q=Alice%20Archer");
  g_assert_cmpuint (json_array_get_length (baton_test_items (found)), ==, 1);
  g_assert_true (json_node_equal (json_array_get_element (baton_test_items (found), 0), contact));

  /* A second message is the same contact, not a new one. */
  {
    g_autofree char *again = baton_test_customer_writes (server, channel_id, channel_secret, phone,
                                                         "Alice Archer", "Me again");
    g_autofree char *same = baton_test_contact_of (server, again);
    g_autoptr(JsonNode) list = search ("q=Alice%20Archer");

    g_assert_cmpstr (same, ==, contact_id);
    g_assert_cmpuint (json_array_get_length (baton_test_items (list)), ==, 1);
  }

  /* Without a name, the contact is known by number. */
  {
    g_autofree char *anonymous_phone = baton_test_new_phone ();
    g_autofree char *anonymous = baton_test_inbound (server, channel_id, channel_secret,
                                                     anonymous_phone, "Who am I?");
    g_autofree char *anonymous_contact = baton_test_contact_of (server, anonymous);
    g_autoptr(JsonNode) read_back = baton_test_get_contact (server, anonymous_contact);

    g_assert_cmpstr (baton_test_get_string (read_back, "phone"), ==, anonymous_phone);
    g_assert_cmpstr (baton_test_get_string (read_back, "name"), ==, anonymous_phone);
  }
}

static void
test_search (void)
{
  g_autofree char *bruno_phone = g_strdup ("+15550409871");
  g_autofree char *carla_phone = g_strdup ("+15550409872");
  g_autofree char *bruno = baton_test_customer_writes (server, channel_id, channel_secret,
                                                       bruno_phone, "Bruno Quillfeather", "Hi");
  g_autofree char *carla = baton_test_customer_writes (server, channel_id, channel_secret,
                                                       carla_phone, "Carla Quillfeather", "Hi");
  g_autofree char *bruno_id = baton_test_contact_of (server, bruno);
  g_autofree char *carla_id = baton_test_contact_of (server, carla);
  g_autoptr(JsonNode) list = NULL;

  /* By a part of the name, in any case. */
  list = search ("q=quillfeather");
  g_assert_cmpuint (json_array_get_length (baton_test_items (list)), ==, 2);
  g_clear_pointer (&list, json_node_unref);
  list = search ("q=Bruno%20Quill");
  g_assert_cmpuint (json_array_get_length (baton_test_items (list)), ==, 1);
  g_assert_cmpstr (baton_test_get_string (list, "items.0.id"), ==, bruno_id);
  g_clear_pointer (&list, json_node_unref);

  /* By the phone number, whole or a part of it. */
  list = search ("q=%2B15550409872");
  g_assert_cmpuint (json_array_get_length (baton_test_items (list)), ==, 1);
  g_assert_cmpstr (baton_test_get_string (list, "items.0.id"), ==, carla_id);
  g_clear_pointer (&list, json_node_unref);
  list = search ("q=0409871");
  g_assert_cmpuint (json_array_get_length (baton_test_items (list)), ==, 1);
  g_assert_cmpstr (baton_test_get_string (list, "items.0.id"), ==, bruno_id);
  g_clear_pointer (&list, json_node_unref);
  list = search ("q=55504098");
  g_assert_cmpuint (json_array_get_length (baton_test_items (list)), ==, 2);
  g_clear_pointer (&list, json_node_unref);

  /* No match is an empty page; LIKE wildcards are plain characters. */
  list = search ("q=Zebedee%20Nobody");
  g_assert_cmpuint (json_array_get_length (baton_test_items (list)), ==, 0);
  g_assert_null (baton_test_get_string (list, "next_cursor"));
  g_clear_pointer (&list, json_node_unref);
  list = search ("q=%25");
  g_assert_cmpuint (json_array_get_length (baton_test_items (list)), ==, 0);
  g_clear_pointer (&list, json_node_unref);
  list = search ("q=Bruno_Quill");
  g_assert_cmpuint (json_array_get_length (baton_test_items (list)), ==, 0);
  g_clear_pointer (&list, json_node_unref);

  /* Agents search too. */
  {
    g_autofree char *token = NULL;
    g_autofree char *agent = baton_test_new_agent (server, "Searching Sue", "agent", &token);
    g_autoptr(JsonNode) as_agent = baton_test_expect (server, "GET",
                                                      "/api/v1/contacts?q=Quillfeather", token,
                                                      NULL, 200, NULL);

    g_assert_cmpuint (json_array_get_length (baton_test_items (as_agent)), ==, 2);
  }
}

static void
test_pagination (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *cursor = NULL;
  guint pages = 0;

  for (guint i = 0; i < 7; i++)
    {
      g_autofree char *phone = baton_test_new_phone ();
      g_autofree char *name = g_strdup_printf ("Pager Person %u", i);
      g_autofree char *conversation = baton_test_customer_writes (server, channel_id,
                                                                  channel_secret, phone, name,
                                                                  "Page me");
    }

  /* Pages of 3: 3 + 3 + 1, each contact once, the last page without a cursor. */
  do
    {
      g_autofree char *query = cursor
                               ? g_strdup_printf ("q=Pager%%20Person&limit=3&cursor=%s", cursor)
                               : g_strdup ("q=Pager%20Person&limit=3");
      g_autoptr(JsonNode) page = search (query);
      JsonArray *items = baton_test_items (page);
      guint expected = pages < 2 ? 3 : 1;

      g_assert_cmpuint (json_array_get_length (items), ==, expected);
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *contact = json_array_get_object_element (items, i);

          g_assert_true (g_str_has_prefix (json_object_get_string_member (contact, "name"),
                                           "Pager Person "));
          g_assert_true (g_hash_table_add (seen,
                                           g_strdup (json_object_get_string_member (contact,
                                                                                    "id"))));
        }
      g_clear_pointer (&cursor, g_free);
      cursor = g_strdup (baton_test_get_string (page, "next_cursor"));
      pages++;
      if (pages < 3)
        g_assert_nonnull (cursor);
      g_assert_cmpuint (pages, <=, 3);
    }
  while (cursor);
  g_assert_cmpuint (pages, ==, 3);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 7);

  /* Exactly one page's worth has no next page. */
  {
    g_autoptr(JsonNode) all = search ("q=Pager%20Person&limit=7");

    g_assert_cmpuint (json_array_get_length (baton_test_items (all)), ==, 7);
    g_assert_null (baton_test_get_string (all, "next_cursor"));
  }
  /* The default page holds them all. */
  {
    g_autoptr(JsonNode) all = search ("q=Pager%20Person");

    g_assert_cmpuint (json_array_get_length (baton_test_items (all)), ==, 7);
  }
  /* limit is 1 to 500; an unknown cursor is refused. */
  {
    g_autoptr(JsonNode) zero = baton_test_expect (server, "GET", "/api/v1/contacts?limit=0",
                                                  server->manager_token, NULL, 400,
                                                  "bad_request");
    g_autoptr(JsonNode) too_many = baton_test_expect (server, "GET",
                                                      "/api/v1/contacts?limit=501",
                                                      server->manager_token, NULL, 400,
                                                      "bad_request");
    g_autoptr(JsonNode) max = baton_test_expect (server, "GET", "/api/v1/contacts?limit=500",
                                                 server->manager_token, NULL, 200, NULL);
    g_autoptr(JsonNode) bad_cursor = baton_test_expect (server, "GET",
                                                        "/api/v1/contacts?cursor=banana",
                                                        server->manager_token, NULL, 400,
                                                        "bad_request");
  }
}

static void
test_get_unknown (void)
{
  g_autoptr(JsonNode) missing = baton_test_expect (server, "GET", "/api/v1/contacts/ctc_missing",
                                                   server->manager_token, NULL, 404,
                                                   "not_found");
  g_autoptr(JsonNode) patch = baton_test_expect (server, "PATCH",
                                                 "/api/v1/contacts/ctc_missing",
                                                 server->manager_token, "{\"name\":\"X\"}",
                                                 404, "not_found");
  g_autoptr(JsonNode) owners = baton_test_expect (server, "PUT",
                                                  "/api/v1/contacts/ctc_missing/owners",
                                                  server->manager_token, "{\"owner_ids\":[]}",
                                                  404, "not_found");
  g_autoptr(JsonNode) anonymous = baton_test_expect (server, "GET", "/api/v1/contacts", NULL,
                                                     NULL, 401, "unauthorized");
}

static void
expect_invalid_patch (const char *path,
                      const char *token,
                      const char *body,
                      const char *field)
{
  g_autoptr(JsonNode) node = baton_test_expect (server, "PATCH", path, token, body, 422,
                                                "unprocessable");

  g_assert_cmpstr (baton_test_get_string (node, "error.field"), ==, field);
}

static void
test_patch (void)
{
  g_autofree char *token = NULL;
  g_autofree char *agent = baton_test_new_agent (server, "Patching Pia", "agent", &token);
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *conversation_id = baton_test_customer_writes (server, channel_id, channel_secret,
                                                                 phone, "Dario Patch", "Hello");
  g_autofree char *contact_id = baton_test_contact_of (server, conversation_id);
  g_autofree char *path = g_strdup_printf ("/api/v1/contacts/%s", contact_id);
  g_autofree char *tag64 = g_strnfill (64, 'k');
  g_autofree char *tag65 = g_strnfill (65, 'k');
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;
  JsonObject *fields = NULL;

  /* Any agent may edit a contact; the name shows on its conversations. */
  node = baton_test_expect (server, "PATCH", path, token, "{\"name\":\"Dario Renamed\"}", 200,
                            NULL);
  g_assert_cmpstr (baton_test_get_string (node, "name"), ==, "Dario Renamed");
  g_assert_cmpstr (baton_test_get_string (node, "phone"), ==, phone);
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_get_conversation (server, conversation_id);
  g_assert_cmpstr (baton_test_get_string (node, "contact.name"), ==, "Dario Renamed");
  g_clear_pointer (&node, json_node_unref);

  /* Tags: lower-case, repeats dropped, first place kept. */
  node = baton_test_expect (server, "PATCH", path, token,
                            "{\"tags\":[\"VIP\",\"gold\",\"vip\",\"Gold\",\"région:nord\","
                            "\"a_b.c-d:1\"]}", 200, NULL);
  baton_test_assert_strings (node, "tags", "vip", "gold", "région:nord", "a_b.c-d:1", NULL);
  g_assert_cmpstr (baton_test_get_string (node, "name"), ==, "Dario Renamed");
  g_clear_pointer (&node, json_node_unref);

  /* Fields merge; null removes a key. */
  node = baton_test_expect (server, "PATCH", path, token,
                            "{\"fields\":{\"plan\":\"pro\",\"city\":\"Lisbon\"}}", 200, NULL);
  fields = json_object_get_object_member (json_node_get_object (node), "fields");
  g_assert_cmpuint (json_object_get_size (fields), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (fields, "plan"), ==, "pro");
  g_assert_cmpstr (json_object_get_string_member (fields, "city"), ==, "Lisbon");
  baton_test_assert_strings (node, "tags", "vip", "gold", "région:nord", "a_b.c-d:1", NULL);
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "PATCH", path, token,
                            "{\"fields\":{\"plan\":null,\"tier\":\"2\",\"city\":\"Porto\"}}",
                            200, NULL);
  fields = json_object_get_object_member (json_node_get_object (node), "fields");
  g_assert_cmpuint (json_object_get_size (fields), ==, 2);
  g_assert_false (json_object_has_member (fields, "plan"));
  g_assert_cmpstr (json_object_get_string_member (fields, "tier"), ==, "2");
  g_assert_cmpstr (json_object_get_string_member (fields, "city"), ==, "Porto");
  g_clear_pointer (&node, json_node_unref);

  /* Removing a key that is not there is harmless. */
  node = baton_test_expect (server, "PATCH", path, token, "{\"fields\":{\"nothing\":null}}", 200,
                            NULL);
  fields = json_object_get_object_member (json_node_get_object (node), "fields");
  g_assert_cmpuint (json_object_get_size (fields), ==, 2);
  g_clear_pointer (&node, json_node_unref);

  /* A 64-character tag is fine. */
  body = baton_test_strdup_printf_json ("{\"tags\":[\"vip\",%s]}", tag64);
  node = baton_test_expect (server, "PATCH", path, token, body, 200, NULL);
  baton_test_assert_strings (node, "tags", "vip", tag64, NULL);
  g_clear_pointer (&node, json_node_unref);

  /* Invalid edits are refused whole. */
  before = baton_test_get_contact (server, contact_id);
  expect_invalid_patch (path, token, "{\"tags\":[\"bad tag\"]}", "tags[0]");
  expect_invalid_patch (path, token, "{\"tags\":[\"fine\",\"bad!\"]}", "tags[1]");
  expect_invalid_patch (path, token, "{\"tags\":[\"\"]}", "tags[0]");
  g_clear_pointer (&body, g_free);
  body = baton_test_strdup_printf_json ("{\"tags\":[%s]}", tag65);
  expect_invalid_patch (path, token, body, "tags[0]");
  expect_invalid_patch (path, token, "{\"tags\":[\"ok\",3]}", "tags[1]");
  expect_invalid_patch (path, token, "{\"tags\":\"vip\"}", "tags");
  expect_invalid_patch (path, token, "{\"name\":\"\"}", "name");
  expect_invalid_patch (path, token, "{\"name\":null}", "name");
  expect_invalid_patch (path, token, "{\"fields\":[\"plan\"]}", "fields");
  expect_invalid_patch (path, token, "{\"fields\":{\"plan\":7}}", "fields.plan");
  after = baton_test_get_contact (server, contact_id);
  g_assert_true (json_node_equal (before, after));
}

static void
test_patch_all_or_nothing (void)
{
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *conversation_id = baton_test_customer_writes (server, channel_id, channel_secret,
                                                                 phone, "Edna Atomic", "Hello");
  g_autofree char *contact_id = baton_test_contact_of (server, conversation_id);
  g_autofree char *path = g_strdup_printf ("/api/v1/contacts/%s", contact_id);
  g_autoptr(JsonNode) before = baton_test_get_contact (server, contact_id);
  g_autoptr(JsonNode) after = NULL;

  /* A valid name with an invalid tag: nothing is applied. */
  expect_invalid_patch (path, server->manager_token,
                        "{\"name\":\"Edna Changed\",\"tags\":[\"no way\"]}", "tags[0]");
  expect_invalid_patch (path, server->manager_token,
                        "{\"tags\":[\"kept\"],\"fields\":{\"k\":false}}", "fields.k");
  after = baton_test_get_contact (server, contact_id);
  g_assert_true (json_node_equal (before, after));

  /* Unknown members are ignored. */
  g_clear_pointer (&after, json_node_unref);
  after = baton_test_expect (server, "PATCH", path, server->manager_token,
                             "{\"colour\":\"blue\",\"tags\":[\"Kept\"]}", 200, NULL);
  baton_test_assert_strings (after, "tags", "kept", NULL);
  g_assert_cmpstr (baton_test_get_string (after, "name"), ==, "Edna Atomic");
}

static void
test_owners (void)
{
  g_autofree char *token = NULL;
  g_autofree char *agent = baton_test_new_agent (server, "Owner Olive", "agent", &token);
  g_autofree char *other = baton_test_new_agent (server, "Owner Otis", "agent", NULL);
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *conversation_id = baton_test_customer_writes (server, channel_id, channel_secret,
                                                                 phone, "Fiona Owned", "Hello");
  g_autofree char *contact_id = baton_test_contact_of (server, conversation_id);
  g_autofree char *path = g_strdup_printf ("/api/v1/contacts/%s/owners", contact_id);
  g_autofree char *body = baton_test_strdup_printf_json ("{\"owner_ids\":[%s,%s]}", other,
                                                         agent);
  g_autoptr(JsonNode) node = NULL;

  BatonTestStream *stream = baton_test_stream_open (server, server->manager_token, NULL, NULL);
  g_autoptr(JsonObject) frame = NULL;
  g_autoptr(JsonNode) streamed = NULL;

  /* Any agent may set them; the answer is the contact. */
  node = baton_test_expect (server, "PUT", path, token, body, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (node, "id"), ==, contact_id);
  g_assert_cmpstr (baton_test_get_string (node, "name"), ==, "Fiona Owned");
  baton_test_assert_strings (node, "owner_ids", other, agent, NULL);
  g_clear_pointer (&node, json_node_unref);
  /* The streams hear of it as the contact, with how its owners changed (API.md). */
  frame = baton_test_stream_wait (stream, "contact.updated", NULL, 5000);
  g_assert_nonnull (frame);
  streamed = json_node_init_object (json_node_alloc (),
                                    json_object_get_object_member (frame, "data"));
  g_assert_cmpstr (baton_test_get_string (streamed, "id"), ==, contact_id);
  g_assert_cmpstr (baton_test_get_string (streamed, "name"), ==, "Fiona Owned");
  g_assert_cmpstr (baton_test_get_string (streamed, "via"), ==, "manual");
  baton_test_assert_strings (streamed, "owner_ids", other, agent, NULL);
  baton_test_stream_close (stream);
  node = baton_test_get_contact (server, contact_id);
  baton_test_assert_strings (node, "owner_ids", other, agent, NULL);
  g_clear_pointer (&node, json_node_unref);

  /* Unknown agents are refused, naming the element; nothing changes. */
  node = baton_test_expect (server, "PUT", path, token, "{\"owner_ids\":[\"agt_nobody\"]}", 422,
                            "unprocessable");
  g_assert_cmpstr (baton_test_get_string (node, "error.field"), ==, "owner_ids[0]");
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&body, g_free);
  body = baton_test_strdup_printf_json ("{\"owner_ids\":[%s,\"agt_nobody\"]}", agent);
  node = baton_test_expect (server, "PUT", path, token, body, 422, "unprocessable");
  g_assert_cmpstr (baton_test_get_string (node, "error.field"), ==, "owner_ids[1]");
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "PUT", path, token, "{}", 422, "unprocessable");
  g_assert_cmpstr (baton_test_get_string (node, "error.field"), ==, "owner_ids");
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "PUT", path, token, "{\"owner_ids\":\"x\"}", 422,
                            "unprocessable");
  g_assert_cmpstr (baton_test_get_string (node, "error.field"), ==, "owner_ids");
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_get_contact (server, contact_id);
  baton_test_assert_strings (node, "owner_ids", other, agent, NULL);
  g_clear_pointer (&node, json_node_unref);

  node = baton_test_expect (server, "PUT", path, NULL, "{\"owner_ids\":[]}", 401,
                            "unauthorized");
  g_clear_pointer (&node, json_node_unref);

  /* The whole list is replaced; empty clears it. */
  g_clear_pointer (&body, g_free);
  body = baton_test_strdup_printf_json ("{\"owner_ids\":[%s]}", agent);
  node = baton_test_expect (server, "PUT", path, server->manager_token, body, 200, NULL);
  baton_test_assert_strings (node, "owner_ids", agent, NULL);
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "PUT", path, token, "{\"owner_ids\":[]}", 200, NULL);
  baton_test_assert_strings (node, "owner_ids", NULL);
}

static void
test_owners_assigned (void)
{
  g_autofree char *first = baton_test_new_agent (server, "Kim Keyaccount", "agent", NULL);
  g_autofree char *second = baton_test_new_agent (server, "Lou Keyaccount", "agent", NULL);
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *conversation_id = baton_test_customer_writes (server, channel_id, channel_secret,
                                                                 phone, "Gus Bigcustomer", "Hello");
  g_autofree char *contact_id = baton_test_contact_of (server, conversation_id);
  g_autofree char *owners_path = g_strdup_printf ("/api/v1/contacts/%s/owners", contact_id);
  g_autofree char *body = baton_test_strdup_printf_json ("{\"owner_ids\":[%s,%s]}", first,
                                                         second);
  g_autofree char *resolve_path = g_strdup_printf ("/api/v1/conversations/%s/resolve",
                                                   conversation_id);
  g_autofree char *reopened = NULL;
  g_autofree char *other_secret = NULL;
  g_autofree char *other_channel = NULL;
  g_autofree char *elsewhere = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) activity = NULL;

  /* Setting owners does not touch the conversation already running. */
  node = baton_test_expect (server, "PUT", owners_path, server->manager_token, body, 200, NULL);
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_get_conversation (server, conversation_id);
  baton_test_assert_strings (node, "assignee_ids", NULL);
  g_clear_pointer (&node, json_node_unref);

  /* Their next conversation (this one, reopened) goes to the owners. */
  node = baton_test_expect (server, "POST", resolve_path, server->manager_token, NULL, 200,
                            NULL);
  g_clear_pointer (&node, json_node_unref);
  reopened = baton_test_customer_writes (server, channel_id, channel_secret, phone,
                                         "Gus Bigcustomer", "Back again");
  g_assert_cmpstr (reopened, ==, conversation_id);
  node = baton_test_get_conversation (server, reopened);
  g_assert_cmpstr (baton_test_get_string (node, "status"), ==, "new");
  baton_test_assert_strings (node, "assignee_ids", first, second, NULL);
  g_clear_pointer (&node, json_node_unref);
  activity = baton_test_latest_activity (server, reopened);
  g_assert_nonnull (activity);
  g_assert_cmpstr (baton_test_get_string (activity, "activity.via"), ==, "contact_owner");
  g_assert_cmpstr (baton_test_get_string (activity, "activity.to.assignee_ids.0"), ==, first);
  g_assert_cmpstr (baton_test_get_string (activity, "activity.to.assignee_ids.1"), ==, second);
  g_clear_pointer (&activity, json_node_unref);

  /* And a brand-new conversation on another channel too. */
  other_channel = baton_test_create_channel (server, NULL, &other_secret);
  elsewhere = baton_test_customer_writes (server, other_channel, other_secret, phone,
                                          "Gus Bigcustomer", "Hi there");
  g_assert_cmpstr (elsewhere, !=, conversation_id);
  node = baton_test_get_conversation (server, elsewhere);
  g_assert_cmpstr (baton_test_get_string (node, "contact.id"), ==, contact_id);
  baton_test_assert_strings (node, "assignee_ids", first, second, NULL);
  g_clear_pointer (&node, json_node_unref);
  activity = baton_test_latest_activity (server, elsewhere);
  g_assert_nonnull (activity);
  g_assert_cmpstr (baton_test_get_string (activity, "activity.via"), ==, "contact_owner");
  g_assert_cmpstr (baton_test_get_string (activity, "activity.action"), ==, "assigned");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  server = baton_test_server_new (NULL, NULL);
  channel_id = baton_test_create_channel (server, NULL, &channel_secret);

  g_test_add_func ("/contacts/created-by-inbound", test_created_by_inbound);
  g_test_add_func ("/contacts/search", test_search);
  g_test_add_func ("/contacts/pagination", test_pagination);
  g_test_add_func ("/contacts/get-unknown", test_get_unknown);
  g_test_add_func ("/contacts/patch", test_patch);
  g_test_add_func ("/contacts/patch-all-or-nothing", test_patch_all_or_nothing);
  g_test_add_func ("/contacts/owners", test_owners);
  g_test_add_func ("/contacts/owners-assigned", test_owners_assigned);

  status = baton_test_run (server);
  g_free (channel_id);
  g_free (channel_secret);
  return status;
}
