/* test-api-conversations.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-test-helpers.h"

static BatonTestServer *server;
static char *channel_id;
static char *channel_secret;
static guint serial;

/* Helpers */

static char *
new_team (const char *name)
{
  g_autofree char *body = baton_test_strdup_printf_json ("{\"name\":%s}", name);

  return baton_test_create (server, "/api/v1/teams", body);
}

static char *
customer_writes (const char *phone,
                 const char *text)
{
  return baton_test_customer_writes (server, channel_id, channel_secret, phone, NULL, text);
}

/* A conversation started by a new contact. */
static char *
new_conversation (void)
{
  g_autofree char *phone = baton_test_new_phone ();

  return customer_writes (phone, "Hello, I need help");
}

static char *
conversation_path (const char *id,
                   const char *suffix)
{
  return g_strdup_printf ("/api/v1/conversations/%s%s", id, suffix ? suffix : "");
}

static JsonNode *
conversation_action (const char *id,
                     const char *action,
                     const char *token,
                     const char *body,
                     guint       expected_status,
                     const char *expected_code)
{
  g_autofree char *path = conversation_path (id, action);
  const char *method = g_str_equal (action, "/assignment") || g_str_equal (action, "/tags")
                       ? "PUT" : "POST";

  return baton_test_expect (server, method, path, token, body, expected_status, expected_code);
}

static JsonNode *
assign (const char *id,
        const char *token,
        const char *body,
        guint       expected_status,
        const char *expected_code)
{
  return conversation_action (id, "/assignment", token, body, expected_status, expected_code);
}

static JsonNode *
reply (const char *id,
       const char *token,
       const char *text)
{
  g_autofree char *path = conversation_path (id, "/messages");
  g_autofree char *body = baton_test_strdup_printf_json ("{\"body\":%s}", text);

  return baton_test_expect (server, "POST", path, token, body, 201, NULL);
}

static void
set_settings (const char *json)
{
  g_autoptr(JsonNode) node = baton_test_expect (server, "PATCH", "/api/v1/settings",
                                                server->manager_token, json, 200, NULL);
}

/* All messages of a conversation, newest first. */
static JsonNode *
list_messages (const char *id)
{
  g_autofree char *path = conversation_path (id, "/messages?limit=500");

  return baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
}

static guint
count_activities (const char *id)
{
  g_autoptr(JsonNode) list = list_messages (id);
  JsonArray *items = baton_test_items (list);
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (items); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (items, i),
                                                    "kind"), "activity"))
      n++;
  return n;
}

/* Every item of a conversation list, following next_cursor page by page. */
static GPtrArray *
list_conversations (const char *query,
                    const char *token,
                    guint       limit)
{
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autofree char *cursor = NULL;

  do
    {
      g_autofree char *escaped = cursor ? g_uri_escape_string (cursor, NULL, FALSE) : NULL;
      g_autofree char *path = g_strdup_printf ("/api/v1/conversations?limit=%u%s%s%s%s", limit,
                                               query ? "&" : "", query ? query : "",
                                               escaped ? "&cursor=" : "",
                                               escaped ? escaped : "");
      g_autoptr(JsonNode) page = baton_test_expect (server, "GET", path, token, NULL, 200,
                                                    NULL);
      JsonArray *items = baton_test_items (page);

      g_assert_cmpuint (json_array_get_length (items), <=, limit);
      for (guint i = 0; i < json_array_get_length (items); i++)
        g_ptr_array_add (all, json_node_copy (json_array_get_element (items, i)));
      g_clear_pointer (&cursor, g_free);
      cursor = g_strdup (baton_test_get_string (page, "next_cursor"));
      /* Only a full page can have more after it. */
      if (cursor)
        g_assert_cmpuint (json_array_get_length (items), ==, limit);
    }
  while (cursor);
  return all;
}

static gboolean
list_has (GPtrArray  *items,
          const char *id)
{
  for (guint i = 0; i < items->len; i++)
    if (g_str_equal (baton_test_get_string (items->pdata[i], "id"), id))
      return TRUE;
  return FALSE;
}

/* The list holds exactly the NULL-terminated ids, in that order. */
static void
assert_list (GPtrArray *items,
             ...)
{
  va_list args;
  guint n = 0;

  va_start (args, items);
  for (const char *expected = va_arg (args, const char *); expected;
       expected = va_arg (args, const char *), n++)
    {
      g_assert_cmpuint (n, <, items->len);
      g_assert_cmpstr (baton_test_get_string (items->pdata[n], "id"), ==, expected);
    }
  va_end (args);
  g_assert_cmpuint (items->len, ==, n);
}

static void
assert_time_set (JsonNode   *node,
                 const char *path)
{
  const char *value = baton_test_get_string (node, path);

  g_assert_nonnull (value);
  g_assert_true (g_str_has_suffix (value, "Z"));
}

/* Listing */

static void
test_list_filters (void)
{
  g_autofree char *token_a = NULL;
  g_autofree char *token_b = NULL;
  g_autofree char *agent_a = baton_test_new_agent (server, "Filter Ana", "agent", &token_a);
  g_autofree char *agent_b = baton_test_new_agent (server, "Filter Ben", "agent", &token_b);
  g_autofree char *team = new_team ("Filter team");
  g_autofree char *unassigned = new_conversation ();
  g_autofree char *for_a = new_conversation ();
  g_autofree char *for_b = new_conversation ();
  g_autofree char *resolved = new_conversation ();
  g_autofree char *in_team = new_conversation ();
  guint key = ++serial;
  g_autofree char *name = g_strdup_printf ("Quentin Filterkey%u", key);
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *named = baton_test_customer_writes (server, channel_id, channel_secret, phone,
                                                       name, "Hi");
  g_autofree char *team_body = baton_test_strdup_printf_json ("{\"team_id\":%s}", team);
  g_autofree char *query = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(JsonNode) node = NULL;

  baton_test_assign_to (server, for_a, agent_a);
  baton_test_assign_to (server, for_b, agent_b);
  g_clear_pointer (&node, json_node_unref);
  node = reply (for_b, token_b, "On it");
  g_clear_pointer (&node, json_node_unref);
  node = conversation_action (resolved, "/resolve", server->manager_token, NULL, 200, NULL);
  g_clear_pointer (&node, json_node_unref);
  node = assign (in_team, server->manager_token, team_body, 200, NULL);

  /* status */
  items = list_conversations ("status=new,in_progress", server->manager_token, 500);
  for (guint i = 0; i < items->len; i++)
    g_assert_cmpstr (baton_test_get_string (items->pdata[i], "status"), !=, "resolved");
  g_assert_true (list_has (items, unassigned));
  g_assert_true (list_has (items, for_a));
  g_assert_true (list_has (items, for_b));
  g_assert_false (list_has (items, resolved));
  g_clear_pointer (&items, g_ptr_array_unref);
  items = list_conversations ("status=resolved", server->manager_token, 500);
  for (guint i = 0; i < items->len; i++)
    g_assert_cmpstr (baton_test_get_string (items->pdata[i], "status"), ==, "resolved");
  g_assert_true (list_has (items, resolved));
  g_assert_false (list_has (items, unassigned));
  g_clear_pointer (&items, g_ptr_array_unref);

  /* assignee */
  items = list_conversations ("assignee=me", token_a, 500);
  assert_list (items, for_a, NULL);
  g_clear_pointer (&items, g_ptr_array_unref);
  query = g_strdup_printf ("assignee=%s", agent_b);
  items = list_conversations (query, token_a, 500);
  assert_list (items, for_b, NULL);
  g_clear_pointer (&items, g_ptr_array_unref);
  g_clear_pointer (&query, g_free);
  query = g_strdup_printf ("assignee=%s,%s", agent_a, agent_b);
  items = list_conversations (query, server->manager_token, 500);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_true (list_has (items, for_a));
  g_assert_true (list_has (items, for_b));
  g_clear_pointer (&items, g_ptr_array_unref);
  g_clear_pointer (&query, g_free);
  query = g_strdup_printf ("assignee=%s&status=in_progress", agent_a);
  items = list_conversations (query, server->manager_token, 500);
  assert_list (items, NULL);
  g_clear_pointer (&items, g_ptr_array_unref);
  items = list_conversations ("assignee=none", server->manager_token, 500);
  for (guint i = 0; i < items->len; i++)
    g_assert_null (baton_test_get_string (items->pdata[i], "assignee_ids.0"));
  g_assert_true (list_has (items, unassigned));
  g_assert_true (list_has (items, in_team));
  g_assert_true (list_has (items, resolved));
  g_assert_false (list_has (items, for_a));
  g_assert_false (list_has (items, for_b));
  g_clear_pointer (&items, g_ptr_array_unref);

  /* team */
  g_clear_pointer (&query, g_free);
  query = g_strdup_printf ("team=%s", team);
  items = list_conversations (query, server->manager_token, 500);
  assert_list (items, in_team, NULL);
  g_clear_pointer (&items, g_ptr_array_unref);

  /* q: the contact's name */
  g_clear_pointer (&query, g_free);
  query = g_strdup_printf ("q=Filterkey%u", key);
  items = list_conversations (query, token_b, 500);
  assert_list (items, named, NULL);
  g_assert_cmpstr (baton_test_get_string (items->pdata[0], "contact.name"), ==, name);
}

static void
test_list_bad_requests (void)
{
  const char *paths[] = {
    "/api/v1/conversations?status=open",
    "/api/v1/conversations?status=new,closed",
    "/api/v1/conversations?limit=0",
    "/api/v1/conversations?limit=501",
    "/api/v1/conversations?limit=ten",
    "/api/v1/conversations?cursor=not-a-cursor",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(JsonNode) node = baton_test_expect (server, "GET", paths[i],
                                                    server->manager_token, NULL, 400,
                                                    "bad_request");
    }
  {
    g_autoptr(JsonNode) node = baton_test_expect (server, "GET", "/api/v1/conversations",
                                                  NULL, NULL, 401, "unauthorized");
  }
}

/* Newest activity first: a customer message and an agent reply both count. */
static void
test_list_sorted_by_activity (void)
{
  guint key = ++serial;
  g_autofree char *name_a = g_strdup_printf ("Sortkey%u Alpha", key);
  g_autofree char *name_b = g_strdup_printf ("Sortkey%u Bravo", key);
  g_autofree char *name_c = g_strdup_printf ("Sortkey%u Charlie", key);
  g_autofree char *phone_a = baton_test_new_phone ();
  g_autofree char *phone_b = baton_test_new_phone ();
  g_autofree char *phone_c = baton_test_new_phone ();
  g_autofree char *query = g_strdup_printf ("q=Sortkey%u", key);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autofree char *again = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(JsonNode) node = NULL;

  a = baton_test_customer_writes (server, channel_id, channel_secret, phone_a, name_a, "first");
  baton_test_advance_clock (server, 1);
  b = baton_test_customer_writes (server, channel_id, channel_secret, phone_b, name_b, "second");
  baton_test_advance_clock (server, 1);
  c = baton_test_customer_writes (server, channel_id, channel_secret, phone_c, name_c, "third");
  items = list_conversations (query, server->manager_token, 500);
  assert_list (items, c, b, a, NULL);
  g_clear_pointer (&items, g_ptr_array_unref);

  baton_test_advance_clock (server, 1);
  again = baton_test_customer_writes (server, channel_id, channel_secret, phone_a, NULL, "again");
  g_assert_cmpstr (again, ==, a);
  items = list_conversations (query, server->manager_token, 500);
  assert_list (items, a, c, b, NULL);
  g_clear_pointer (&items, g_ptr_array_unref);

  baton_test_advance_clock (server, 1);
  node = reply (b, server->manager_token, "An answer");
  items = list_conversations (query, server->manager_token, 500);
  assert_list (items, b, a, c, NULL);
}

/* activity_at is what the list sorts by, and it is in the JSON: an assignment moves it (and
 * the thread up the list) though the last message stays the same, so that a client ordering
 * by it orders as the list does, live and after a reload. */
static void
test_list_activity_at (void)
{
  guint key = ++serial;
  g_autofree char *name_a = g_strdup_printf ("Activitykey%u Alpha", key);
  g_autofree char *name_b = g_strdup_printf ("Activitykey%u Bravo", key);
  g_autofree char *phone_a = baton_test_new_phone ();
  g_autofree char *phone_b = baton_test_new_phone ();
  g_autofree char *query = g_strdup_printf ("q=Activitykey%u", key);
  g_autofree char *agent = baton_test_new_agent (server, "Activity Ada", "agent", NULL);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *before = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) assigned = NULL;
  g_autoptr(JsonNode) after = NULL;

  a = baton_test_customer_writes (server, channel_id, channel_secret, phone_a, name_a, "first");
  baton_test_advance_clock (server, 1);
  b = baton_test_customer_writes (server, channel_id, channel_secret, phone_b, name_b, "second");
  node = baton_test_get_conversation (server, a);
  assert_time_set (node, "activity_at");
  before = g_strdup (baton_test_get_string (node, "activity_at"));
  items = list_conversations (query, server->manager_token, 500);
  assert_list (items, b, a, NULL);
  /* Times are written alike (milliseconds, UTC), so they compare as text. */
  g_assert_cmpint (g_strcmp0 (baton_test_get_string (items->pdata[0], "activity_at"),
                              baton_test_get_string (items->pdata[1], "activity_at")), >, 0);
  g_clear_pointer (&items, g_ptr_array_unref);

  baton_test_advance_clock (server, 1);
  body = baton_test_strdup_printf_json ("{\"assignee_ids\":[%s]}", agent);
  assigned = assign (a, server->manager_token, body, 200, NULL);
  after = baton_test_get_conversation (server, a);
  g_assert_cmpstr (baton_test_get_string (assigned, "activity_at"), ==,
                   baton_test_get_string (after, "activity_at"));
  g_assert_cmpint (g_strcmp0 (baton_test_get_string (after, "activity_at"), before), >, 0);
  g_assert_cmpstr (baton_test_get_string (after, "last_message.at"), ==,
                   baton_test_get_string (node, "last_message.at"));
  items = list_conversations (query, server->manager_token, 500);
  assert_list (items, a, b, NULL);
  g_assert_cmpint (g_strcmp0 (baton_test_get_string (items->pdata[0], "activity_at"),
                              baton_test_get_string (items->pdata[1], "activity_at")), >, 0);
}

/* Pages of two cover every item exactly once, in the order of one big page. */
static void
test_list_pagination (void)
{
  guint key = ++serial;
  g_autofree char *query = g_strdup_printf ("q=Pagekey%u", key);
  g_autoptr(GPtrArray) created = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) whole = NULL;
  g_autoptr(GPtrArray) paged = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  /* Created in a burst: several share a millisecond, so the order's tie-break is used. */
  for (guint i = 0; i < 7; i++)
    {
      g_autofree char *phone = baton_test_new_phone ();
      g_autofree char *name = g_strdup_printf ("Pagekey%u Person %u", key, i);

      g_ptr_array_add (created, baton_test_customer_writes (server, channel_id, channel_secret,
                                                            phone, name, "Hello"));
    }
  whole = list_conversations (query, server->manager_token, 500);
  paged = list_conversations (query, server->manager_token, 2);
  g_assert_cmpuint (whole->len, ==, 7);
  g_assert_cmpuint (paged->len, ==, 7);
  for (guint i = 0; i < paged->len; i++)
    {
      const char *id = baton_test_get_string (paged->pdata[i], "id");

      g_assert_cmpstr (id, ==, baton_test_get_string (whole->pdata[i], "id"));
      g_assert_false (g_hash_table_contains (seen, id));
      g_hash_table_add (seen, (gpointer) id);
    }
  for (guint i = 0; i < created->len; i++)
    g_assert_true (g_hash_table_contains (seen, created->pdata[i]));
  /* Exactly full last page: no cursor after it either. */
  g_clear_pointer (&paged, g_ptr_array_unref);
  paged = list_conversations (query, server->manager_token, 7);
  g_assert_cmpuint (paged->len, ==, 7);
}

/* One conversation, its thread */

/* Pages of two with before=<the last id seen> give the thread's items in order, each
 * page's next_cursor its last id, and none after the last page. */
static void
assert_pages_of_two (const char *id,
                     const char *token,
                     JsonArray  *thread)
{
  guint total = json_array_get_length (thread);

  for (guint first = 0; first < total; first += 2)
    {
      const char *before = first
                           ? baton_test_get_string (json_array_get_element (thread, first - 1),
                                                    "id")
                           : NULL;
      g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/messages?limit=2%s%s",
                                               id, before ? "&before=" : "",
                                               before ? before : "");
      g_autoptr(JsonNode) page = baton_test_expect (server, "GET", path, token, NULL, 200,
                                                    NULL);
      guint n = MIN (2, total - first);
      const char *last = baton_test_get_string (json_array_get_element (thread, first + n - 1),
                                                "id");

      g_assert_cmpuint (json_array_get_length (baton_test_items (page)), ==, n);
      for (guint i = 0; i < n; i++)
        g_assert_cmpstr (baton_test_get_string (json_array_get_element (baton_test_items (page),
                                                                        i), "id"), ==,
                         baton_test_get_string (json_array_get_element (thread, first + i),
                                                "id"));
      g_assert_cmpstr (baton_test_get_string (page, "next_cursor"), ==,
                       first + n < total ? last : NULL);
    }
}

static void
test_get_and_messages (void)
{
  g_autofree char *token = NULL;
  g_autofree char *agent = baton_test_new_agent (server, "Thread Tina", "agent", &token);
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *id = customer_writes (phone, "m1");
  g_autofree char *same = NULL;
  g_autofree char *other = new_conversation ();
  g_autofree char *path = NULL;
  g_autofree char *note_path = conversation_path (id, "/messages");
  g_autoptr(JsonNode) outbound = reply (id, token, "r1");
  g_autoptr(JsonNode) note = baton_test_expect (server, "POST", note_path, token,
                                                "{\"body\":\"n1\",\"note\":true}", 201, NULL);
  g_autoptr(JsonNode) all = NULL;
  g_autoptr(JsonNode) page = NULL;
  g_autoptr(JsonNode) conversation = NULL;
  g_autoptr(JsonNode) missing = NULL;
  g_autoptr(JsonNode) other_list = NULL;
  const char *kinds[] = { "inbound", "note", "activity", "outbound", "inbound" };
  const char *bodies[] = { "m2", "n1", NULL, "r1", "m1" };
  JsonArray *items = NULL;

  same = customer_writes (phone, "m2");
  g_assert_cmpstr (same, ==, id);

  conversation = baton_test_get_conversation (server, id);
  g_assert_cmpstr (baton_test_get_string (conversation, "id"), ==, id);
  g_assert_cmpstr (baton_test_get_string (conversation, "channel_id"), ==, channel_id);
  g_assert_cmpstr (baton_test_get_string (conversation, "contact.phone"), ==, phone);
  g_assert_cmpstr (baton_test_get_string (conversation, "last_message.preview"), ==, "m2");
  g_assert_cmpstr (baton_test_get_string (conversation, "last_message.direction"), ==,
                   "inbound");

  missing = baton_test_expect (server, "GET", "/api/v1/conversations/cnv_nosuchthing",
                               server->manager_token, NULL, 404, "not_found");
  g_clear_pointer (&missing, json_node_unref);
  missing = baton_test_expect (server, "GET", "/api/v1/conversations/cnv_nosuchthing/messages",
                               server->manager_token, NULL, 404, "not_found");

  /* The whole thread, newest first, the activity line of the first reply included. */
  all = list_messages (id);
  items = baton_test_items (all);
  g_assert_cmpuint (json_array_get_length (items), ==, G_N_ELEMENTS (kinds));
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      JsonNode *message = json_array_get_element (items, i);

      g_assert_cmpstr (baton_test_get_string (message, "kind"), ==, kinds[i]);
      g_assert_cmpstr (baton_test_get_string (message, "conversation_id"), ==, id);
      if (bodies[i])
        g_assert_cmpstr (baton_test_get_string (message, "body"), ==, bodies[i]);
    }
  {
    JsonNode *activity = json_array_get_element (items, 2);

    g_assert_cmpstr (baton_test_get_string (activity, "author.type"), ==, "system");
    g_assert_cmpstr (baton_test_get_string (activity, "activity.action"), ==, "assigned");
    g_assert_cmpstr (baton_test_get_string (activity, "activity.via"), ==, "first_reply");
    g_assert_cmpstr (baton_test_get_string (activity, "activity.actor.id"), ==, agent);
    baton_test_assert_strings (activity, "activity.from.assignee_ids", NULL);
    baton_test_assert_strings (activity, "activity.to.assignee_ids", agent, NULL);
    g_assert_cmpstr (baton_test_get_string (json_array_get_element (items, 4), "author.type"),
                     ==, "contact");
  }

  assert_pages_of_two (id, token, items);

  /* before must name a message of this conversation. */
  other_list = list_messages (other);
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf ("/api/v1/conversations/%s/messages?before=%s", id,
                          baton_test_get_string (other_list, "items.0.id"));
  g_clear_pointer (&page, json_node_unref);
  page = baton_test_expect (server, "GET", path, token, NULL, 400, "bad_request");
}

/* Replies */

static void
test_reply_and_note (void)
{
  g_autofree char *token = NULL;
  g_autofree char *agent = baton_test_new_agent (server, "Reply Rita", "agent", &token);
  g_autofree char *id = new_conversation ();
  g_autofree char *path = conversation_path (id, "/messages");
  g_autoptr(JsonNode) note = NULL;
  g_autoptr(JsonNode) outbound = NULL;
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;

  note = baton_test_expect (server, "POST", path, token,
                            "{\"body\":\"Internal: VIP customer\",\"note\":true}", 201, NULL);
  g_assert_cmpstr (baton_test_get_string (note, "kind"), ==, "note");
  g_assert_cmpstr (baton_test_get_string (note, "author.id"), ==, agent);
  before = baton_test_get_conversation (server, id);
  /* A note is no reply: nothing about status or assignment moves. */
  g_assert_cmpstr (baton_test_get_string (before, "status"), ==, "new");
  baton_test_assert_strings (before, "assignee_ids", NULL);
  g_assert_null (baton_test_get_string (before, "first_response_at"));
  g_assert_cmpstr (baton_test_get_string (before, "last_message.direction"), ==, "note");
  g_assert_cmpuint (count_activities (id), ==, 0);

  outbound = reply (id, token, "Hello! How can I help?");
  g_assert_cmpstr (baton_test_get_string (outbound, "kind"), ==, "outbound");
  g_assert_cmpstr (baton_test_get_string (outbound, "conversation_id"), ==, id);
  g_assert_cmpstr (baton_test_get_string (outbound, "body"), ==, "Hello! How can I help?");
  g_assert_cmpstr (baton_test_get_string (outbound, "author.type"), ==, "agent");
  g_assert_cmpstr (baton_test_get_string (outbound, "author.id"), ==, agent);
  g_assert_cmpstr (baton_test_get_string (outbound, "author.name"), ==, "Reply Rita");
  assert_time_set (outbound, "created_at");

  after = baton_test_get_conversation (server, id);
  g_assert_cmpstr (baton_test_get_string (after, "status"), ==, "in_progress");
  assert_time_set (after, "first_response_at");
  baton_test_assert_strings (after, "assignee_ids", agent, NULL);
  g_assert_cmpint (baton_test_get_int (after, "version"), >, baton_test_get_int (before,
                                                                                  "version"));
  g_assert_cmpuint (count_activities (id), ==, 1);
  {
    g_autoptr(JsonNode) activity = baton_test_latest_activity (server, id);

    g_assert_cmpstr (baton_test_get_string (activity, "activity.via"), ==, "first_reply");
    g_assert_cmpstr (baton_test_get_string (activity, "activity.action"), ==, "assigned");
  }

  /* A second reply keeps the first response time. */
  {
    g_autoptr(JsonNode) second = reply (id, token, "Anything else?");
    g_autoptr(JsonNode) later = baton_test_get_conversation (server, id);

    g_assert_cmpstr (baton_test_get_string (later, "first_response_at"), ==,
                     baton_test_get_string (after, "first_response_at"));
    g_assert_cmpuint (count_activities (id), ==, 1);
  }
}

static void
test_reply_validation (void)
{
  g_autofree char *id = new_conversation ();
  g_autofree char *path = conversation_path (id, "/messages");
  g_autoptr(GString) longest = g_string_new (NULL);
  g_autofree char *body = NULL;
  const char *invalid[] = { "{\"body\":\"\"}", "{}", "{\"note\":true}", "{\"body\":42}" };

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(JsonNode) node = baton_test_expect (server, "POST", path,
                                                    server->manager_token, invalid[i], 422,
                                                    "unprocessable");

      g_assert_cmpstr (baton_test_get_string (node, "error.field"), ==, "body");
    }
  /* The limit counts characters, not bytes. */
  for (guint i = 0; i < 4096; i++)
    g_string_append (longest, "é");
  body = baton_test_strdup_printf_json ("{\"body\":%s}", longest->str);
  {
    g_autoptr(JsonNode) node = baton_test_expect (server, "POST", path, server->manager_token,
                                                  body, 201, NULL);
  }
  g_string_append (longest, "é");
  g_free (body);
  body = baton_test_strdup_printf_json ("{\"body\":%s}", longest->str);
  {
    g_autoptr(JsonNode) node = baton_test_expect (server, "POST", path, server->manager_token,
                                                  body, 422, "unprocessable");

    g_assert_cmpstr (baton_test_get_string (node, "error.field"), ==, "body");
  }
  {
    g_autoptr(JsonNode) node = baton_test_expect (server, "POST", path, server->manager_token,
                                                  "{\"body\":", 400, "bad_request");
  }
  {
    g_autoptr(JsonNode) node = baton_test_expect (server, "POST",
                                                  "/api/v1/conversations/cnv_none/messages",
                                                  server->manager_token, "{\"body\":\"hi\"}",
                                                  404, "not_found");
  }
  /* Only the 4096-character reply was stored. */
  {
    g_autoptr(JsonNode) list = list_messages (id);

    g_assert_cmpuint (json_array_get_length (baton_test_items (list)), ==, 3);
  }
}

static void
test_first_reply_setting_off (void)
{
  g_autofree char *token = NULL;
  g_autofree char *agent = baton_test_new_agent (server, "Helpful Hugo", "agent", &token);
  g_autofree char *id = new_conversation ();
  g_autoptr(JsonNode) outbound = NULL;
  g_autoptr(JsonNode) conversation = NULL;

  set_settings ("{\"first_reply_takes_assignment\":false}");
  outbound = reply (id, token, "Hello");
  conversation = baton_test_get_conversation (server, id);
  set_settings ("{\"first_reply_takes_assignment\":true}");

  g_assert_cmpstr (baton_test_get_string (conversation, "status"), ==, "in_progress");
  assert_time_set (conversation, "first_response_at");
  baton_test_assert_strings (conversation, "assignee_ids", NULL);
  g_assert_cmpuint (count_activities (id), ==, 0);
}

static void
test_reply_to_someone_elses (void)
{
  g_autofree char *token = NULL;
  g_autofree char *helper = baton_test_new_agent (server, "Helper Hana", "agent", &token);
  g_autofree char *owner = baton_test_new_agent (server, "Owner Olga", "agent", NULL);
  g_autofree char *id = new_conversation ();
  g_autoptr(JsonNode) outbound = NULL;
  g_autoptr(JsonNode) conversation = NULL;
  guint activities;

  baton_test_assign_to (server, id, owner);
  activities = count_activities (id);
  outbound = reply (id, token, "Chiming in");
  conversation = baton_test_get_conversation (server, id);
  baton_test_assert_strings (conversation, "assignee_ids", owner, NULL);
  g_assert_cmpstr (baton_test_get_string (conversation, "status"), ==, "in_progress");
  g_assert_cmpuint (count_activities (id), ==, activities);
}

static void
test_first_responder_off_by_default (void)
{
  g_autofree char *token = NULL;
  g_autofree char *agent = baton_test_new_agent (server, "Default Dora", "agent", &token);
  g_autofree char *id = new_conversation ();
  g_autofree char *contact_id = baton_test_contact_of (server, id);
  g_autoptr(JsonNode) settings = baton_test_expect (server, "GET", "/api/v1/settings",
                                                    token, NULL, 200, NULL);
  g_autoptr(JsonNode) outbound = reply (id, token, "Hi");
  g_autoptr(JsonNode) contact = baton_test_get_contact (server, contact_id);

  g_assert_false (baton_test_get_bool (settings, "first_responder_becomes_owner"));
  g_assert_true (baton_test_get_bool (settings, "first_reply_takes_assignment"));
  g_assert_true (baton_test_get_bool (settings, "unassign_on_resolve"));
  baton_test_assert_strings (contact, "owner_ids", NULL);
}

static void
test_first_responder_becomes_owner (void)
{
  g_autofree char *token_first = NULL;
  g_autofree char *token_second = NULL;
  g_autofree char *first = baton_test_new_agent (server, "First Fay", "agent", &token_first);
  g_autofree char *second = baton_test_new_agent (server, "Second Sid", "agent", &token_second);
  g_autofree char *other_secret = NULL;
  g_autofree char *other_channel = baton_test_create_channel (server, NULL, &other_secret);
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *id = NULL;
  g_autofree char *contact_id = NULL;
  g_autofree char *reopened = NULL;
  g_autofree char *elsewhere = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) contact = NULL;
  g_autoptr(JsonNode) conversation = NULL;
  g_autoptr(JsonNode) activity = NULL;

  set_settings ("{\"first_responder_becomes_owner\":true}");
  id = customer_writes (phone, "Hello");
  contact_id = baton_test_contact_of (server, id);
  node = reply (id, token_first, "Hi, I am Fay");
  g_clear_pointer (&node, json_node_unref);
  node = reply (id, token_second, "And I am Sid");
  contact = baton_test_get_contact (server, contact_id);
  baton_test_assert_strings (contact, "owner_ids", first, NULL);

  /* The contact's next conversation here (a reopen) goes to the owner. */
  g_clear_pointer (&node, json_node_unref);
  node = conversation_action (id, "/resolve", token_first, NULL, 200, NULL);
  baton_test_assert_strings (node, "assignee_ids", NULL);
  reopened = customer_writes (phone, "Me again");
  g_assert_cmpstr (reopened, ==, id);
  conversation = baton_test_get_conversation (server, id);
  g_assert_cmpstr (baton_test_get_string (conversation, "status"), ==, "new");
  baton_test_assert_strings (conversation, "assignee_ids", first, NULL);
  activity = baton_test_latest_activity (server, id);
  g_assert_cmpstr (baton_test_get_string (activity, "activity.via"), ==, "contact_owner");
  baton_test_assert_strings (activity, "activity.to.assignee_ids", first, NULL);

  /* And so does one on another channel. */
  elsewhere = baton_test_customer_writes (server, other_channel, other_secret, phone, NULL,
                                          "Other channel");
  g_assert_cmpstr (elsewhere, !=, id);
  g_clear_pointer (&conversation, json_node_unref);
  conversation = baton_test_get_conversation (server, elsewhere);
  baton_test_assert_strings (conversation, "assignee_ids", first, NULL);
  g_clear_pointer (&activity, json_node_unref);
  activity = baton_test_latest_activity (server, elsewhere);
  g_assert_cmpstr (baton_test_get_string (activity, "activity.action"), ==, "assigned");
  g_assert_cmpstr (baton_test_get_string (activity, "activity.via"), ==, "contact_owner");

  /* A contact that has an owner keeps it: the first responder adds nobody. */
  {
    g_autofree char *other_phone = baton_test_new_phone ();
    g_autofree char *owned = customer_writes (other_phone, "Hello");
    g_autofree char *owned_contact = baton_test_contact_of (server, owned);
    g_autofree char *owners = baton_test_strdup_printf_json ("{\"owner_ids\":[%s]}", second);
    g_autofree char *owners_path = g_strdup_printf ("/api/v1/contacts/%s/owners",
                                                    owned_contact);
    g_autoptr(JsonNode) set = baton_test_expect (server, "PUT", owners_path, token_first,
                                                 owners, 200, NULL);
    g_autoptr(JsonNode) answer = reply (owned, token_first, "Hi");
    g_autoptr(JsonNode) after = baton_test_get_contact (server, owned_contact);

    baton_test_assert_strings (after, "owner_ids", second, NULL);
  }
  set_settings ("{\"first_responder_becomes_owner\":false}");
}

/* Assignment */

static void
test_assignment_permissions (void)
{
  g_autofree char *token_a = NULL;
  g_autofree char *token_b = NULL;
  g_autofree char *token_c = NULL;
  g_autofree char *agent_a = baton_test_new_agent (server, "Perm Ana", "agent", &token_a);
  g_autofree char *agent_b = baton_test_new_agent (server, "Perm Ben", "agent", &token_b);
  g_autofree char *agent_c = baton_test_new_agent (server, "Perm Cid", "agent", &token_c);
  g_autofree char *id = new_conversation ();
  g_autofree char *to_a = baton_test_strdup_printf_json ("{\"assignee_ids\":[%s]}", agent_a);
  g_autofree char *to_b = baton_test_strdup_printf_json ("{\"assignee_ids\":[%s]}", agent_b);
  g_autofree char *to_c = baton_test_strdup_printf_json ("{\"assignee_ids\":[%s]}", agent_c);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) conversation = NULL;
  gint64 version;

  conversation = baton_test_get_conversation (server, id);
  version = baton_test_get_int (conversation, "version");

  /* Anyone may assign a conversation nobody has. */
  node = assign (id, token_c, to_a, 200, NULL);
  baton_test_assert_strings (node, "assignee_ids", agent_a, NULL);
  g_assert_cmpint (baton_test_get_int (node, "version"), >, version);
  version = baton_test_get_int (node, "version");

  /* Only an assignee or a manager may take it from them. */
  g_clear_pointer (&node, json_node_unref);
  node = assign (id, token_c, to_c, 403, "forbidden");
  g_clear_pointer (&node, json_node_unref);
  node = assign (id, token_c, "{\"assignee_ids\":[]}", 403, "forbidden");
  g_clear_pointer (&node, json_node_unref);
  node = assign (id, token_b, to_b, 403, "forbidden");
  g_clear_pointer (&conversation, json_node_unref);
  conversation = baton_test_get_conversation (server, id);
  baton_test_assert_strings (conversation, "assignee_ids", agent_a, NULL);
  g_assert_cmpint (baton_test_get_int (conversation, "version"), ==, version);

  g_clear_pointer (&node, json_node_unref);
  node = assign (id, token_a, to_b, 200, NULL);
  baton_test_assert_strings (node, "assignee_ids", agent_b, NULL);
  g_assert_cmpint (baton_test_get_int (node, "version"), >, version);
  version = baton_test_get_int (node, "version");

  g_clear_pointer (&node, json_node_unref);
  node = assign (id, server->manager_token, to_c, 200, NULL);
  baton_test_assert_strings (node, "assignee_ids", agent_c, NULL);
  g_assert_cmpint (baton_test_get_int (node, "version"), >, version);
  version = baton_test_get_int (node, "version");

  g_clear_pointer (&node, json_node_unref);
  node = assign (id, server->manager_token, "{\"assignee_ids\":[]}", 200, NULL);
  baton_test_assert_strings (node, "assignee_ids", NULL);
  g_assert_cmpint (baton_test_get_int (node, "version"), >, version);

  g_clear_pointer (&node, json_node_unref);
  node = assign ("cnv_nosuchthing", token_a, to_a, 404, "not_found");
}

static void
test_assignment_validation (void)
{
  g_autofree char *agent = baton_test_new_agent (server, "Valid Vera", "agent", NULL);
  g_autofree char *id = new_conversation ();
  g_autofree char *two = baton_test_strdup_printf_json (
    "{\"assignee_ids\":[%s,\"agt_nosuchagent\"]}", agent);
  g_autofree char *twice = baton_test_strdup_printf_json ("{\"assignee_ids\":[%s,%s]}", agent,
                                                          agent);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) conversation = NULL;
  gint64 version;

  node = assign (id, server->manager_token, "{\"team_id\":\"tea_nosuchteam\"}", 422,
                 "unprocessable");
  g_assert_cmpstr (baton_test_get_string (node, "error.field"), ==, "team_id");
  g_clear_pointer (&node, json_node_unref);
  node = assign (id, server->manager_token, "{\"assignee_ids\":[\"agt_nosuchagent\"]}", 422,
                 "unprocessable");
  g_assert_cmpstr (baton_test_get_string (node, "error.field"), ==, "assignee_ids[0]");
  g_clear_pointer (&node, json_node_unref);
  node = assign (id, server->manager_token, two, 422, "unprocessable");
  g_assert_cmpstr (baton_test_get_string (node, "error.field"), ==, "assignee_ids[1]");
  g_clear_pointer (&node, json_node_unref);
  node = assign (id, server->manager_token, twice, 422, "unprocessable");
  g_assert_cmpstr (baton_test_get_string (node, "error.field"), ==, "assignee_ids[1]");
  g_clear_pointer (&node, json_node_unref);
  node = assign (id, server->manager_token, "{\"assignee_ids\":", 400, "bad_request");

  /* Nothing of the refused requests was applied. */
  conversation = baton_test_get_conversation (server, id);
  baton_test_assert_strings (conversation, "assignee_ids", NULL);
  g_assert_null (baton_test_get_string (conversation, "team_id"));
  g_assert_cmpuint (count_activities (id), ==, 0);
  version = baton_test_get_int (conversation, "version");

  /* A stale expected_version is a conflict; the current one goes through. */
  {
    g_autofree char *quoted = baton_test_strdup_printf_json ("%s", agent);
    g_autofree char *stale = g_strdup_printf ("{\"assignee_ids\":[%s],\"expected_version\":%"
                                              G_GINT64_FORMAT "}", quoted, version - 1);
    g_autofree char *current = g_strdup_printf ("{\"assignee_ids\":[%s],\"expected_version\":"
                                                "%" G_GINT64_FORMAT "}", quoted, version);

    g_clear_pointer (&node, json_node_unref);
    node = assign (id, server->manager_token, stale, 409, "conflict");
    g_clear_pointer (&node, json_node_unref);
    node = assign (id, server->manager_token, current, 200, NULL);
    baton_test_assert_strings (node, "assignee_ids", agent, NULL);
    g_assert_cmpint (baton_test_get_int (node, "version"), >, version);
    /* The same request again: its version is stale now. */
    g_clear_pointer (&node, json_node_unref);
    node = assign (id, server->manager_token, current, 409, "conflict");
  }
}

static void
assert_side (JsonNode   *activity,
             const char *side,
             const char *team_id,
             const char *assignee_id)
{
  g_autofree char *team_path = g_strdup_printf ("activity.%s.team_id", side);
  g_autofree char *assignees_path = g_strdup_printf ("activity.%s.assignee_ids", side);

  g_assert_cmpstr (baton_test_get_string (activity, team_path), ==, team_id);
  baton_test_assert_strings (activity, assignees_path, assignee_id, NULL);
}

/* Checks the one activity message a manual change wrote. */
static JsonNode *
assert_one_activity (const char *id,
                     guint      *activities,
                     const char *action,
                     const char *actor_id,
                     const char *body)
{
  JsonNode *activity = baton_test_latest_activity (server, id);

  g_assert_cmpuint (count_activities (id), ==, *activities + 1);
  *activities += 1;
  g_assert_cmpstr (baton_test_get_string (activity, "kind"), ==, "activity");
  g_assert_cmpstr (baton_test_get_string (activity, "activity.action"), ==, action);
  g_assert_cmpstr (baton_test_get_string (activity, "activity.via"), ==, "manual");
  g_assert_cmpstr (baton_test_get_string (activity, "activity.actor.type"), ==, "agent");
  g_assert_cmpstr (baton_test_get_string (activity, "activity.actor.id"), ==, actor_id);
  g_assert_nonnull (baton_test_get_string (activity, "activity.actor.name"));
  if (body)
    g_assert_cmpstr (baton_test_get_string (activity, "body"), ==, body);
  return activity;
}

static void
test_assignment_activity (void)
{
  g_autofree char *token_a = NULL;
  g_autofree char *agent_a = baton_test_new_agent (server, "Ana Lima", "agent", &token_a);
  g_autofree char *agent_b = baton_test_new_agent (server, "Ben Ode", "agent", NULL);
  g_autofree char *team = new_team ("Activity team");
  g_autofree char *other_team = new_team ("Other activity team");
  g_autofree char *id = new_conversation ();
  g_autofree char *to_a = baton_test_strdup_printf_json ("{\"assignee_ids\":[%s]}", agent_a);
  g_autofree char *to_b = baton_test_strdup_printf_json ("{\"assignee_ids\":[%s]}", agent_b);
  g_autofree char *to_team = baton_test_strdup_printf_json ("{\"team_id\":%s}", team);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) activity = NULL;
  guint activities = 0;
  gint64 version;

  /* "Assigned to X by Y" */
  node = assign (id, server->manager_token, to_a, 200, NULL);
  version = baton_test_get_int (node, "version");
  activity = assert_one_activity (id, &activities, "assigned", server->manager_id,
                                  "Assigned to Ana Lima by Maya Manager");
  g_assert_cmpstr (baton_test_get_string (activity, "activity.actor.name"), ==,
                   "Maya Manager");
  assert_side (activity, "from", NULL, NULL);
  assert_side (activity, "to", NULL, agent_a);

  /* The same assignment again changes nothing and writes nothing. */
  g_clear_pointer (&node, json_node_unref);
  node = assign (id, server->manager_token, to_a, 200, NULL);
  g_assert_cmpint (baton_test_get_int (node, "version"), ==, version);
  g_assert_cmpuint (count_activities (id), ==, activities);

  /* Only the members given change: a team alone keeps the assignee... */
  g_clear_pointer (&node, json_node_unref);
  node = assign (id, server->manager_token, to_team, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (node, "team_id"), ==, team);
  baton_test_assert_strings (node, "assignee_ids", agent_a, NULL);
  g_assert_cmpint (baton_test_get_int (node, "version"), >, version);
  version = baton_test_get_int (node, "version");
  g_clear_pointer (&activity, json_node_unref);
  activity = assert_one_activity (id, &activities, "team_changed", server->manager_id, NULL);
  assert_side (activity, "from", NULL, agent_a);
  assert_side (activity, "to", team, agent_a);

  /* ...and assignees alone keep the team. */
  g_clear_pointer (&node, json_node_unref);
  node = assign (id, token_a, to_b, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (node, "team_id"), ==, team);
  baton_test_assert_strings (node, "assignee_ids", agent_b, NULL);
  g_assert_cmpint (baton_test_get_int (node, "version"), >, version);
  version = baton_test_get_int (node, "version");
  g_clear_pointer (&activity, json_node_unref);
  activity = assert_one_activity (id, &activities, "assigned", agent_a, NULL);
  assert_side (activity, "from", team, agent_a);
  assert_side (activity, "to", team, agent_b);

  /* Team and assignees at once: one activity, the most significant action. */
  g_clear_pointer (&node, json_node_unref);
  {
    g_autofree char *both = baton_test_strdup_printf_json ("{\"team_id\":%s,\"assignee_ids\":"
                                                           "[%s]}", other_team, agent_a);

    node = assign (id, server->manager_token, both, 200, NULL);
  }
  g_assert_cmpint (baton_test_get_int (node, "version"), >, version);
  version = baton_test_get_int (node, "version");
  g_clear_pointer (&activity, json_node_unref);
  activity = assert_one_activity (id, &activities, "assigned", server->manager_id, NULL);
  assert_side (activity, "from", team, agent_b);
  assert_side (activity, "to", other_team, agent_a);

  /* "Conversation unassigned by Y" */
  g_clear_pointer (&node, json_node_unref);
  node = assign (id, token_a, "{\"assignee_ids\":[]}", 200, NULL);
  baton_test_assert_strings (node, "assignee_ids", NULL);
  g_assert_cmpstr (baton_test_get_string (node, "team_id"), ==, other_team);
  g_assert_cmpint (baton_test_get_int (node, "version"), >, version);
  version = baton_test_get_int (node, "version");
  g_clear_pointer (&activity, json_node_unref);
  activity = assert_one_activity (id, &activities, "unassigned", agent_a,
                                  "Conversation unassigned by Ana Lima");
  assert_side (activity, "from", other_team, agent_a);
  assert_side (activity, "to", other_team, NULL);

  /* "Y self-assigned this conversation" */
  g_clear_pointer (&node, json_node_unref);
  node = assign (id, token_a, to_a, 200, NULL);
  g_assert_cmpint (baton_test_get_int (node, "version"), >, version);
  version = baton_test_get_int (node, "version");
  g_clear_pointer (&activity, json_node_unref);
  activity = assert_one_activity (id, &activities, "assigned", agent_a,
                                  "Ana Lima self-assigned this conversation");

  /* Removing the team */
  g_clear_pointer (&node, json_node_unref);
  node = assign (id, token_a, "{\"team_id\":null}", 200, NULL);
  g_assert_null (baton_test_get_string (node, "team_id"));
  baton_test_assert_strings (node, "assignee_ids", agent_a, NULL);
  g_assert_cmpint (baton_test_get_int (node, "version"), >, version);
  g_clear_pointer (&activity, json_node_unref);
  activity = assert_one_activity (id, &activities, "team_changed", agent_a, NULL);
  assert_side (activity, "from", other_team, agent_a);
  assert_side (activity, "to", NULL, agent_a);
}

/* An activity line carries the names of what it mentions as they were (PROTOCOL.md §5: the
 * app writes the sentence in the agent's language): taking a conversation over says who was
 * removed, a rename later does not change the line, and a removed agent keeps their name. */
static void
test_assignment_activity_names (void)
{
  g_autofree char *token_a = NULL;
  g_autofree char *token_b = NULL;
  g_autofree char *agent_a = baton_test_new_agent (server, "Ana Names", "manager", &token_a);
  g_autofree char *agent_b = baton_test_new_agent (server, "Ben Names", "agent", &token_b);
  g_autofree char *team = new_team ("Names team");
  g_autofree char *id = new_conversation ();
  g_autofree char *to_b = baton_test_strdup_printf_json ("{\"team_id\":%s,\"assignee_ids\":[%s]}",
                                                         team, agent_b);
  g_autofree char *to_a = baton_test_strdup_printf_json ("{\"assignee_ids\":[%s]}", agent_a);
  g_autofree char *both = baton_test_strdup_printf_json ("{\"assignee_ids\":[%s,%s]}",
                                                         agent_a, agent_b);
  g_autofree char *agent_path = g_strdup_printf ("/api/v1/agents/%s", agent_b);
  g_autofree char *names_a = g_strdup_printf ("activity.names.%s", agent_a);
  g_autofree char *names_b = g_strdup_printf ("activity.names.%s", agent_b);
  g_autofree char *names_team = g_strdup_printf ("activity.names.%s", team);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) taken = NULL;
  g_autoptr(JsonNode) removed = NULL;

  node = assign (id, server->manager_token, to_b, 200, NULL);
  g_clear_pointer (&node, json_node_unref);
  node = assign (id, token_a, to_a, 200, NULL);
  taken = baton_test_latest_activity (server, id);
  g_assert_cmpstr (baton_test_get_string (taken, "body"), ==,
                   "Ana Names self-assigned this conversation, replacing Ben Names");
  g_assert_cmpstr (baton_test_get_string (taken, names_a), ==, "Ana Names");
  g_assert_cmpstr (baton_test_get_string (taken, names_b), ==, "Ben Names");
  g_assert_cmpstr (baton_test_get_string (taken, names_team), ==, "Names team");
  g_assert_null (baton_test_get_string (taken, "activity.agent_id"));

  /* Renamed later: the line read again still names Ben as he was. */
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "PATCH", agent_path, server->manager_token,
                            "{\"name\":\"Benjamin Names\"}", 200, NULL);
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&taken, json_node_unref);
  taken = baton_test_latest_activity (server, id);
  g_assert_cmpstr (baton_test_get_string (taken, names_b), ==, "Ben Names");

  /* Removed from the workspace: the line says who, by id and by name. */
  node = assign (id, token_a, both, 200, NULL);
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_expect (server, "DELETE", agent_path, server->manager_token, NULL, 204,
                            NULL);
  removed = baton_test_latest_activity (server, id);
  g_assert_cmpstr (baton_test_get_string (removed, "activity.via"), ==, "agent_removed");
  g_assert_cmpstr (baton_test_get_string (removed, "activity.agent_id"), ==, agent_b);
  g_assert_cmpstr (baton_test_get_string (removed, names_b), ==, "Benjamin Names");
}

/* A team alone on a conversation nobody has: the team is set, nobody is picked (the team has
 * no member to pick). */
static void
test_assignment_team_only (void)
{
  g_autofree char *token = NULL;
  g_autofree char *agent = baton_test_new_agent (server, "Team Tom", "agent", &token);
  g_autofree char *team = new_team ("Empty team");
  g_autofree char *id = new_conversation ();
  g_autofree char *body = baton_test_strdup_printf_json ("{\"team_id\":%s}", team);
  g_autoptr(JsonNode) node = assign (id, token, body, 200, NULL);
  g_autoptr(JsonNode) conversation = baton_test_get_conversation (server, id);
  g_autoptr(JsonNode) activity = baton_test_latest_activity (server, id);

  g_assert_cmpstr (baton_test_get_string (node, "team_id"), ==, team);
  g_assert_cmpstr (baton_test_get_string (conversation, "team_id"), ==, team);
  baton_test_assert_strings (conversation, "assignee_ids", NULL);
  g_assert_cmpstr (baton_test_get_string (conversation, "status"), ==, "new");
  g_assert_cmpuint (count_activities (id), ==, 1);
  g_assert_cmpstr (baton_test_get_string (activity, "activity.action"), ==, "team_changed");
  g_assert_cmpstr (baton_test_get_string (activity, "activity.via"), ==, "manual");
  g_assert_cmpstr (baton_test_get_string (activity, "activity.actor.id"), ==, agent);
  assert_side (activity, "from", NULL, NULL);
  assert_side (activity, "to", team, NULL);
}

/* Claim */

static void
test_claim (void)
{
  g_autofree char *token_a = NULL;
  g_autofree char *token_b = NULL;
  g_autofree char *agent_a = baton_test_new_agent (server, "Claire Claim", "agent", &token_a);
  g_autofree char *agent_b = baton_test_new_agent (server, "Late Larry", "agent", &token_b);
  g_autofree char *id = new_conversation ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) activity = NULL;
  gint64 version;

  node = conversation_action (id, "/claim", token_a, NULL, 200, NULL);
  baton_test_assert_strings (node, "assignee_ids", agent_a, NULL);
  version = baton_test_get_int (node, "version");
  g_assert_cmpuint (count_activities (id), ==, 1);
  activity = baton_test_latest_activity (server, id);
  g_assert_cmpstr (baton_test_get_string (activity, "activity.action"), ==, "assigned");
  g_assert_cmpstr (baton_test_get_string (activity, "activity.via"), ==, "claim");
  g_assert_cmpstr (baton_test_get_string (activity, "activity.actor.id"), ==, agent_a);
  g_assert_cmpstr (baton_test_get_string (activity, "body"), ==,
                   "Claire Claim self-assigned this conversation");

  /* Claiming one's own again is no change. */
  g_clear_pointer (&node, json_node_unref);
  node = conversation_action (id, "/claim", token_a, NULL, 200, NULL);
  baton_test_assert_strings (node, "assignee_ids", agent_a, NULL);
  g_assert_cmpint (baton_test_get_int (node, "version"), ==, version);
  g_assert_cmpuint (count_activities (id), ==, 1);

  /* Someone else's is a conflict, even for a manager. */
  g_clear_pointer (&node, json_node_unref);
  node = conversation_action (id, "/claim", token_b, NULL, 409, "conflict");
  g_clear_pointer (&node, json_node_unref);
  node = conversation_action (id, "/claim", server->manager_token, NULL, 409, "conflict");
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_get_conversation (server, id);
  baton_test_assert_strings (node, "assignee_ids", agent_a, NULL);
  g_assert_cmpint (baton_test_get_int (node, "version"), ==, version);

  g_clear_pointer (&node, json_node_unref);
  node = conversation_action ("cnv_nosuchthing", "/claim", token_b, NULL, 404, "not_found");
}

#define RACERS 20

typedef struct {
  guint status;
  gboolean done;
} Claim;

static void
claim_sent_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Claim *claim = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              &error);

  g_assert_no_error (error);
  claim->status = soup_message_get_status (soup_session_get_async_result_message (
                                             SOUP_SESSION (source), result));
  claim->done = TRUE;
}

/* Twenty agents claim at once, each on their own connection: exactly one wins. */
static void
test_claim_race (void)
{
  g_autofree char *id = new_conversation ();
  g_autofree char *url = g_strdup_printf ("%s/api/v1/conversations/%s/claim", server->url, id);
  char *agent_ids[RACERS] = { NULL };
  char *tokens[RACERS] = { NULL };
  SoupSession *sessions[RACERS] = { NULL };
  SoupMessage *messages[RACERS] = { NULL };
  Claim claims[RACERS] = { { 0 } };
  g_autoptr(JsonNode) conversation = NULL;
  guint winners = 0, losers = 0, winner = 0;

  for (guint i = 0; i < RACERS; i++)
    {
      g_autofree char *name = g_strdup_printf ("Racer %u", i);

      agent_ids[i] = baton_test_new_agent (server, name, "agent", &tokens[i]);
    }
  /* All requests are on their way before the loop runs once. */
  for (guint i = 0; i < RACERS; i++)
    {
      g_autofree char *header = g_strdup_printf ("Bearer %s", tokens[i]);

      sessions[i] = soup_session_new_with_options ("timeout", 30, NULL);
      messages[i] = soup_message_new ("POST", url);
      soup_message_headers_replace (soup_message_get_request_headers (messages[i]),
                                    "Authorization", header);
      soup_session_send_and_read_async (sessions[i], messages[i], G_PRIORITY_DEFAULT, NULL,
                                        claim_sent_cb, &claims[i]);
    }
  for (guint i = 0; i < RACERS; i++)
    while (!claims[i].done)
      g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < RACERS; i++)
    {
      if (claims[i].status == 200)
        {
          winners++;
          winner = i;
        }
      else
        {
          g_assert_cmpuint (claims[i].status, ==, 409);
          losers++;
        }
    }
  g_assert_cmpuint (winners, ==, 1);
  g_assert_cmpuint (losers, ==, RACERS - 1);
  conversation = baton_test_get_conversation (server, id);
  baton_test_assert_strings (conversation, "assignee_ids", agent_ids[winner], NULL);
  g_assert_cmpuint (count_activities (id), ==, 1);

  for (guint i = 0; i < RACERS; i++)
    {
      g_object_unref (messages[i]);
      g_object_unref (sessions[i]);
      g_free (agent_ids[i]);
      g_free (tokens[i]);
    }
}

/* Resolve and reopen */

static void
test_resolve_and_reopen (void)
{
  g_autofree char *token_a = NULL;
  g_autofree char *token_b = NULL;
  g_autofree char *agent_a = baton_test_new_agent (server, "Resolving Rae", "agent", &token_a);
  g_autofree char *agent_b = baton_test_new_agent (server, "Reopening Roy", "agent", &token_b);
  g_autofree char *team = new_team ("Resolve team");
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *id = customer_writes (phone, "Help");
  g_autofree char *again = NULL;
  g_autofree char *body = baton_test_strdup_printf_json ("{\"team_id\":%s,\"assignee_ids\":[%s]}",
                                                         team, agent_a);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) activity = NULL;
  g_autoptr(JsonNode) agent = NULL;
  g_autofree char *agent_path = g_strdup_printf ("/api/v1/agents/%s", agent_a);
  guint activities;
  gint64 version;

  node = assign (id, server->manager_token, body, 200, NULL);
  version = baton_test_get_int (node, "version");
  activities = count_activities (id);
  agent = baton_test_expect (server, "GET", agent_path, token_a, NULL, 200, NULL);
  g_assert_cmpint (baton_test_get_int (agent, "active_count"), ==, 1);

  g_clear_pointer (&node, json_node_unref);
  node = conversation_action (id, "/resolve", token_a, NULL, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (node, "status"), ==, "resolved");
  assert_time_set (node, "resolved_at");
  baton_test_assert_strings (node, "assignee_ids", NULL);
  g_assert_cmpstr (baton_test_get_string (node, "team_id"), ==, team);
  g_assert_cmpint (baton_test_get_int (node, "version"), >, version);
  version = baton_test_get_int (node, "version");
  g_assert_cmpuint (count_activities (id), ==, activities + 1);
  activity = baton_test_latest_activity (server, id);
  g_assert_cmpstr (baton_test_get_string (activity, "activity.action"), ==, "resolved");
  g_assert_cmpstr (baton_test_get_string (activity, "activity.actor.id"), ==, agent_a);
  assert_side (activity, "from", team, agent_a);
  assert_side (activity, "to", team, NULL);
  g_clear_pointer (&agent, json_node_unref);
  agent = baton_test_expect (server, "GET", agent_path, token_a, NULL, 200, NULL);
  g_assert_cmpint (baton_test_get_int (agent, "active_count"), ==, 0);

  /* Reopening by hand: in progress, nobody assigned as before, no routing. */
  g_clear_pointer (&node, json_node_unref);
  node = conversation_action (id, "/reopen", token_b, NULL, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (node, "status"), ==, "in_progress");
  g_assert_null (baton_test_get_string (node, "resolved_at"));
  baton_test_assert_strings (node, "assignee_ids", NULL);
  g_assert_cmpstr (baton_test_get_string (node, "team_id"), ==, team);
  g_assert_cmpint (baton_test_get_int (node, "version"), >, version);
  g_assert_cmpuint (count_activities (id), ==, activities + 2);
  g_clear_pointer (&activity, json_node_unref);
  activity = baton_test_latest_activity (server, id);
  g_assert_cmpstr (baton_test_get_string (activity, "activity.action"), ==, "reopened");
  g_assert_cmpstr (baton_test_get_string (activity, "activity.actor.id"), ==, agent_b);

  /* A customer message on a resolved conversation reopens the same one as new. */
  g_clear_pointer (&node, json_node_unref);
  node = conversation_action (id, "/resolve", token_b, NULL, 200, NULL);
  again = customer_writes (phone, "Still there?");
  g_assert_cmpstr (again, ==, id);
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_get_conversation (server, id);
  g_assert_cmpstr (baton_test_get_string (node, "status"), ==, "new");
  g_assert_null (baton_test_get_string (node, "resolved_at"));
  {
    g_autoptr(JsonNode) thread = list_messages (id);

    /* The customer's message, then the activity line of the reopening. */
    g_assert_cmpstr (baton_test_get_string (thread, "items.0.kind"), ==, "activity");
    g_assert_cmpstr (baton_test_get_string (thread, "items.1.kind"), ==, "inbound");
    g_assert_cmpstr (baton_test_get_string (thread, "items.1.body"), ==, "Still there?");
  }
  g_clear_pointer (&activity, json_node_unref);
  activity = baton_test_latest_activity (server, id);
  g_assert_cmpstr (baton_test_get_string (activity, "activity.action"), ==, "reopened");
  g_assert_cmpstr (baton_test_get_string (activity, "activity.actor.type"), ==, "contact");
}

static void
test_resolve_keeps_assignees (void)
{
  g_autofree char *token = NULL;
  g_autofree char *agent = baton_test_new_agent (server, "Keeper Kim", "agent", &token);
  g_autofree char *id = new_conversation ();
  g_autoptr(JsonNode) resolved = NULL;
  g_autoptr(JsonNode) reopened = NULL;

  baton_test_assign_to (server, id, agent);
  set_settings ("{\"unassign_on_resolve\":false}");
  resolved = conversation_action (id, "/resolve", token, NULL, 200, NULL);
  set_settings ("{\"unassign_on_resolve\":true}");
  g_assert_cmpstr (baton_test_get_string (resolved, "status"), ==, "resolved");
  baton_test_assert_strings (resolved, "assignee_ids", agent, NULL);
  reopened = conversation_action (id, "/reopen", token, NULL, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (reopened, "status"), ==, "in_progress");
  baton_test_assert_strings (reopened, "assignee_ids", agent, NULL);
}

/* Tags */

static void
test_tags (void)
{
  g_autofree char *token = NULL;
  g_autofree char *agent = baton_test_new_agent (server, "Tagging Tia", "agent", &token);
  g_autofree char *id = new_conversation ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GString) long_tag = g_string_new (NULL);
  g_autofree char *too_long = NULL;
  gint64 version;

  node = conversation_action (id, "/tags", token,
                              "{\"tags\":[\"VIP\",\"Billing\",\"vip\"],\"mode\":\"add\"}", 200,
                              NULL);
  baton_test_assert_strings (node, "tags", "vip", "billing", NULL);
  version = baton_test_get_int (node, "version");
  g_clear_pointer (&node, json_node_unref);
  node = conversation_action (id, "/tags", token,
                              "{\"tags\":[\"vip\",\"Urgent\",\"Café:Ünïcode_1.x-y\"],"
                              "\"mode\":\"add\"}", 200, NULL);
  baton_test_assert_strings (node, "tags", "vip", "billing", "urgent", "café:ünïcode_1.x-y", NULL);
  g_assert_cmpint (baton_test_get_int (node, "version"), >, version);
  g_clear_pointer (&node, json_node_unref);
  node = conversation_action (id, "/tags", token,
                              "{\"tags\":[\"BILLING\",\"absent\"],\"mode\":\"remove\"}", 200,
                              NULL);
  baton_test_assert_strings (node, "tags", "vip", "urgent", "café:ünïcode_1.x-y", NULL);
  g_clear_pointer (&node, json_node_unref);
  node = conversation_action (id, "/tags", token,
                              "{\"tags\":[\"Sales\"],\"mode\":\"replace\"}", 200, NULL);
  baton_test_assert_strings (node, "tags", "sales", NULL);
  /* replace is the default mode */
  g_clear_pointer (&node, json_node_unref);
  node = conversation_action (id, "/tags", token, "{\"tags\":[\"Support\"]}", 200, NULL);
  baton_test_assert_strings (node, "tags", "support", NULL);
  g_clear_pointer (&node, json_node_unref);
  node = conversation_action (id, "/tags", token, "{\"tags\":[\"support\"],\"mode\":\"remove\"}",
                              200, NULL);
  baton_test_assert_strings (node, "tags", NULL);

  /* Invalid tags change nothing. */
  g_clear_pointer (&node, json_node_unref);
  node = conversation_action (id, "/tags", token, "{\"tags\":[\"ok\"]}", 200, NULL);
  {
    const char *bodies[] = {
      "{\"tags\":[\"fine\",\"bad tag\"],\"mode\":\"add\"}",
      "{\"tags\":[\"fine\",\"\"]}",
      "{\"tags\":[\"fine\",\"no/slash\"]}",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
      {
        g_autoptr(JsonNode) error = conversation_action (id, "/tags", token, bodies[i], 422,
                                                         "unprocessable");

        g_assert_cmpstr (baton_test_get_string (error, "error.field"), ==, "tags[1]");
      }
  }
  for (guint i = 0; i < 65; i++)
    g_string_append_c (long_tag, 'a');
  too_long = baton_test_strdup_printf_json ("{\"tags\":[%s]}", long_tag->str);
  g_clear_pointer (&node, json_node_unref);
  node = conversation_action (id, "/tags", token, too_long, 422, "unprocessable");
  g_assert_cmpstr (baton_test_get_string (node, "error.field"), ==, "tags[0]");
  g_clear_pointer (&node, json_node_unref);
  node = conversation_action (id, "/tags", token, "{\"tags\":[\"x\"],\"mode\":\"merge\"}", 422,
                              "unprocessable");
  g_assert_cmpstr (baton_test_get_string (node, "error.field"), ==, "mode");
  g_clear_pointer (&node, json_node_unref);
  node = conversation_action (id, "/tags", token, "{\"mode\":\"add\"}", 422, "unprocessable");
  g_assert_cmpstr (baton_test_get_string (node, "error.field"), ==, "tags");
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_get_conversation (server, id);
  baton_test_assert_strings (node, "tags", "ok", NULL);
}

/* Notifications */

/* The notifications a stream received before the barrier. */
static GPtrArray *
notifications_before_barrier (BatonTestStream *stream)
{
  g_autoptr(GPtrArray) frames = baton_test_read_until_barrier (server, stream);
  GPtrArray *notes = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  for (guint i = 0; i < frames->len; i++)
    if (g_str_equal (json_object_get_string_member (frames->pdata[i], "type"), "notification"))
      g_ptr_array_add (notes, json_node_ref (json_object_get_member (frames->pdata[i], "data")));
  return notes;
}

/* The notifications a stream received before the barrier: exactly one of kind about
 * conversation_id (returned), or none when kind is NULL. */
static JsonNode *
expect_notification (BatonTestStream *stream,
                     const char      *kind,
                     const char      *conversation_id)
{
  g_autoptr(GPtrArray) notes = notifications_before_barrier (stream);

  if (kind == NULL)
    {
      if (notes->len > 0)
        {
          g_autofree char *text = json_to_string (notes->pdata[0], FALSE);

          g_error ("Expected no notification, got %s", text);
        }
      return NULL;
    }
  if (notes->len != 1)
    g_error ("Expected one %s notification, got %u", kind, notes->len);
  g_assert_cmpstr (baton_test_get_string (notes->pdata[0], "kind"), ==, kind);
  g_assert_cmpstr (baton_test_get_string (notes->pdata[0], "conversation_id"), ==,
                   conversation_id);
  g_assert_nonnull (baton_test_get_string (notes->pdata[0], "title"));
  g_assert_nonnull (baton_test_get_string (notes->pdata[0], "body"));
  g_assert_true (json_object_has_member (json_node_get_object (notes->pdata[0]), "actor"));
  return json_node_ref (notes->pdata[0]);
}

/* No notification before the barrier. */
static void
expect_silence (BatonTestStream *stream)
{
  g_assert_null (expect_notification (stream, NULL, NULL));
}

/* How many notifications a stream received before the barrier. */
static guint
count_notifications (BatonTestStream *stream)
{
  g_autoptr(GPtrArray) notes = notifications_before_barrier (stream);

  return notes->len;
}

static void
assert_actor (JsonNode   *note,
              const char *agent_id)
{
  if (agent_id == NULL)
    {
      g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (json_node_get_object (note),
                                                                   "actor")));
      return;
    }
  g_assert_cmpstr (baton_test_get_string (note, "actor.type"), ==, "agent");
  g_assert_cmpstr (baton_test_get_string (note, "actor.id"), ==, agent_id);
  g_assert_nonnull (baton_test_get_string (note, "actor.name"));
}

static BatonTestStream *
open_stream (const char *token)
{
  guint status = 0;
  BatonTestStream *stream = baton_test_stream_open (server, token, NULL, &status);

  g_assert_nonnull (stream);
  return stream;
}

static void
test_notify_new_conversation (void)
{
  g_autofree char *token_a = NULL;
  g_autofree char *token_b = NULL;
  g_autofree char *agent_a = baton_test_new_agent (server, "Notified Nia", "agent", &token_a);
  g_autofree char *agent_b = baton_test_new_agent (server, "Notified Ned", "agent", &token_b);
  BatonTestStream *stream_a = open_stream (token_a);
  BatonTestStream *stream_b = open_stream (token_b);
  BatonTestStream *stream_m = open_stream (server->manager_token);
  g_autofree char *id = new_conversation ();
  BatonTestStream *streams[] = { stream_a, stream_b, stream_m };

  baton_test_set_barrier (server);
  for (guint i = 0; i < G_N_ELEMENTS (streams); i++)
    {
      g_autoptr(JsonNode) note = expect_notification (streams[i], "new_conversation", id);

      assert_actor (note, NULL);
      g_assert_nonnull (strstr (baton_test_get_string (note, "body"), "Hello, I need help"));
    }
  for (guint i = 0; i < G_N_ELEMENTS (streams); i++)
    baton_test_stream_close (streams[i]);
}

static void
test_notify_assignment (void)
{
  g_autofree char *token_a = NULL;
  g_autofree char *token_b = NULL;
  g_autofree char *token_c = NULL;
  g_autofree char *agent_a = baton_test_new_agent (server, "Assigned Abe", "agent", &token_a);
  g_autofree char *agent_b = baton_test_new_agent (server, "Assigned Bea", "agent", &token_b);
  g_autofree char *agent_c = baton_test_new_agent (server, "Bystander Cy", "agent", &token_c);
  BatonTestStream *stream_a = open_stream (token_a);
  BatonTestStream *stream_b = open_stream (token_b);
  BatonTestStream *stream_c = open_stream (token_c);
  BatonTestStream *stream_m = open_stream (server->manager_token);
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *id = customer_writes (phone, "Assign me");
  g_autofree char *to_b = baton_test_strdup_printf_json ("{\"assignee_ids\":[%s]}", agent_b);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) note = NULL;

  baton_test_set_barrier (server);
  g_clear_pointer (&note, json_node_unref);
  note = expect_notification (stream_a, "new_conversation", id);
  g_clear_pointer (&note, json_node_unref);
  note = expect_notification (stream_b, "new_conversation", id);
  g_clear_pointer (&note, json_node_unref);
  note = expect_notification (stream_c, "new_conversation", id);
  g_clear_pointer (&note, json_node_unref);
  note = expect_notification (stream_m, "new_conversation", id);

  /* The manager assigns A: A hears it, from the manager; nobody else hears anything. */
  baton_test_assign_to (server, id, agent_a);
  baton_test_set_barrier (server);
  g_clear_pointer (&note, json_node_unref);
  note = expect_notification (stream_a, "assigned", id);
  assert_actor (note, server->manager_id);
  expect_silence (stream_b);
  expect_silence (stream_c);
  expect_silence (stream_m);

  /* A to B: B is assigned, A reassigned away. */
  node = assign (id, server->manager_token, to_b, 200, NULL);
  baton_test_set_barrier (server);
  g_clear_pointer (&note, json_node_unref);
  note = expect_notification (stream_b, "assigned", id);
  assert_actor (note, server->manager_id);
  g_clear_pointer (&note, json_node_unref);
  note = expect_notification (stream_a, "reassigned_away", id);
  assert_actor (note, server->manager_id);
  /* What the app writes the sentence from (PROTOCOL.md §5). */
  g_assert_cmpstr (baton_test_get_string (note, "preview"), ==, "Assign me");
  g_assert_nonnull (baton_test_get_string (note, "contact_name"));
  baton_test_assert_strings (note, "assignee_names", "Assigned Bea", NULL);
  expect_silence (stream_c);
  expect_silence (stream_m);

  /* B unassigns: everyone else hears it, B does not. */
  g_clear_pointer (&node, json_node_unref);
  node = assign (id, token_b, "{\"assignee_ids\":[]}", 200, NULL);
  baton_test_set_barrier (server);
  expect_silence (stream_b);
  g_clear_pointer (&note, json_node_unref);
  note = expect_notification (stream_a, "unassigned", id);
  assert_actor (note, agent_b);
  g_clear_pointer (&note, json_node_unref);
  note = expect_notification (stream_c, "unassigned", id);
  g_clear_pointer (&note, json_node_unref);
  note = expect_notification (stream_m, "unassigned", id);

  /* One's own claim tells nobody anything. */
  g_clear_pointer (&node, json_node_unref);
  node = conversation_action (id, "/claim", token_c, NULL, 200, NULL);
  baton_test_set_barrier (server);
  expect_silence (stream_a);
  expect_silence (stream_b);
  expect_silence (stream_c);
  expect_silence (stream_m);

  /* The manager unassigns C: C is told it was taken away, everyone else that it is free. */
  g_clear_pointer (&node, json_node_unref);
  node = assign (id, server->manager_token, "{\"assignee_ids\":[]}", 200, NULL);
  baton_test_set_barrier (server);
  g_clear_pointer (&note, json_node_unref);
  note = expect_notification (stream_c, "reassigned_away", id);
  assert_actor (note, server->manager_id);
  g_clear_pointer (&note, json_node_unref);
  note = expect_notification (stream_a, "unassigned", id);
  g_clear_pointer (&note, json_node_unref);
  note = expect_notification (stream_b, "unassigned", id);
  expect_silence (stream_m);
  g_clear_pointer (&node, json_node_unref);
  node = conversation_action (id, "/claim", token_c, NULL, 200, NULL);

  /* A customer message in an assigned conversation: its assignee hears it. */
  g_free (customer_writes (phone, "Are you there?"));
  baton_test_set_barrier (server);
  g_clear_pointer (&note, json_node_unref);
  note = expect_notification (stream_c, "new_message", id);
  assert_actor (note, NULL);
  g_assert_nonnull (strstr (baton_test_get_string (note, "body"), "Are you there?"));
  expect_silence (stream_a);
  expect_silence (stream_b);
  expect_silence (stream_m);

  /* Resolving sends no assignment notification, not even to the assignee it removes. */
  g_clear_pointer (&node, json_node_unref);
  node = conversation_action (id, "/resolve", server->manager_token, NULL, 200, NULL);
  baton_test_assert_strings (node, "assignee_ids", NULL);
  baton_test_set_barrier (server);
  expect_silence (stream_a);
  expect_silence (stream_b);
  expect_silence (stream_c);
  expect_silence (stream_m);

  /* The customer reopens it and nobody gets it: everyone hears it reopened. */
  g_free (customer_writes (phone, "One more thing"));
  baton_test_set_barrier (server);
  g_clear_pointer (&note, json_node_unref);
  note = expect_notification (stream_a, "reopened", id);
  assert_actor (note, NULL);
  g_clear_pointer (&note, json_node_unref);
  note = expect_notification (stream_b, "reopened", id);
  g_clear_pointer (&note, json_node_unref);
  note = expect_notification (stream_c, "reopened", id);
  g_clear_pointer (&note, json_node_unref);
  note = expect_notification (stream_m, "reopened", id);

  baton_test_stream_close (stream_a);
  baton_test_stream_close (stream_b);
  baton_test_stream_close (stream_c);
  baton_test_stream_close (stream_m);
}

/* Manual assignment of someone else by an agent, and a self-assignment. */
static void
test_notify_agent_actions (void)
{
  g_autofree char *token_a = NULL;
  g_autofree char *token_b = NULL;
  g_autofree char *agent_a = baton_test_new_agent (server, "Acting Ada", "agent", &token_a);
  g_autofree char *agent_b = baton_test_new_agent (server, "Receiving Rob", "agent", &token_b);
  BatonTestStream *stream_a = open_stream (token_a);
  BatonTestStream *stream_b = open_stream (token_b);
  g_autofree char *first = new_conversation ();
  g_autofree char *second = new_conversation ();
  g_autofree char *to_a = baton_test_strdup_printf_json ("{\"assignee_ids\":[%s]}", agent_a);
  g_autofree char *to_b = baton_test_strdup_printf_json ("{\"assignee_ids\":[%s]}", agent_b);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) note = NULL;

  /* Two new conversations: each stream hears of both. */
  baton_test_set_barrier (server);
  g_assert_cmpuint (count_notifications (stream_a), ==, 2);
  g_assert_cmpuint (count_notifications (stream_b), ==, 2);

  /* A hands the first to B: B hears it from A. */
  node = assign (first, token_a, to_b, 200, NULL);
  /* A takes the second for themself: nobody hears of it. */
  g_clear_pointer (&node, json_node_unref);
  node = assign (second, token_a, to_a, 200, NULL);
  baton_test_set_barrier (server);
  note = expect_notification (stream_b, "assigned", first);
  assert_actor (note, agent_a);
  expect_silence (stream_a);

  /* A first reply that takes the conversation notifies nobody either. */
  {
    g_autofree char *third = new_conversation ();
    g_autoptr(JsonNode) answer = NULL;

    baton_test_set_barrier (server);
    g_clear_pointer (&note, json_node_unref);
    note = expect_notification (stream_a, "new_conversation", third);
    g_clear_pointer (&note, json_node_unref);
    note = expect_notification (stream_b, "new_conversation", third);
    answer = reply (third, token_b, "Mine");
    baton_test_set_barrier (server);
    expect_silence (stream_a);
    expect_silence (stream_b);
  }

  baton_test_stream_close (stream_a);
  baton_test_stream_close (stream_b);
}

/* Routing when a customer starts a conversation (ASSIGNMENT.md §2, steps 1 and 4) */

/* The notifications an agent may see after seq, up to the barrier, from a replay. */
static JsonNode *
replayed_notification (const char *token,
                       gint64      seq,
                       const char *kind,
                       const char *conversation_id)
{
  g_autofree char *since = g_strdup_printf ("%" G_GINT64_FORMAT, seq);
  guint status = 0;
  BatonTestStream *stream = baton_test_stream_open (server, token, since, &status);
  JsonNode *note = NULL;

  g_assert_nonnull (stream);
  note = expect_notification (stream, kind, conversation_id);
  baton_test_stream_close (stream);
  return note;
}

static void
test_routing_contact_owners (void)
{
  g_autofree char *token_first = NULL;
  g_autofree char *token_second = NULL;
  g_autofree char *token_default = NULL;
  g_autofree char *token_other = NULL;
  g_autofree char *first = baton_test_new_agent (server, "Owner One", "agent", &token_first);
  g_autofree char *second = baton_test_new_agent (server, "Owner Two", "agent", &token_second);
  g_autofree char *fallback = baton_test_new_agent (server, "Default Dan", "agent", &token_default);
  g_autofree char *other = baton_test_new_agent (server, "Other Oz", "agent", &token_other);
  g_autofree char *extra = baton_test_strdup_printf_json ("\"default_user_id\":%s", fallback);
  g_autofree char *secret = NULL;
  g_autofree char *channel = baton_test_create_channel (server, extra, &secret);
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *earlier = customer_writes (phone, "Hi");
  g_autofree char *contact_id = baton_test_contact_of (server, earlier);
  g_autofree char *owners_path = g_strdup_printf ("/api/v1/contacts/%s/owners", contact_id);
  g_autofree char *owners = baton_test_strdup_printf_json ("{\"owner_ids\":[%s,%s]}", second,
                                                           first);
  g_autofree char *id = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) activity = NULL;
  gint64 seq;

  /* Any agent may set a contact's owners. */
  node = baton_test_expect (server, "PUT", owners_path, token_other, owners, 200, NULL);
  baton_test_assert_strings (node, "owner_ids", second, first, NULL);

  /* The owners, in their order; the channel's default user is not needed then. */
  seq = baton_test_current_seq (server);
  id = baton_test_customer_writes (server, channel, secret, phone, NULL, "On the other channel");
  g_assert_cmpstr (id, !=, earlier);
  g_clear_pointer (&node, json_node_unref);
  node = baton_test_get_conversation (server, id);
  baton_test_assert_strings (node, "assignee_ids", second, first, NULL);
  g_assert_null (baton_test_get_string (node, "team_id"));
  g_assert_cmpstr (baton_test_get_string (node, "status"), ==, "new");
  g_assert_cmpuint (count_activities (id), ==, 1);
  activity = baton_test_latest_activity (server, id);
  g_assert_cmpstr (baton_test_get_string (activity, "activity.action"), ==, "assigned");
  g_assert_cmpstr (baton_test_get_string (activity, "activity.via"), ==, "contact_owner");
  assert_side (activity, "from", NULL, NULL);
  baton_test_assert_strings (activity, "activity.to.assignee_ids", second, first, NULL);

  /* Each owner hears of it; nobody else gets new_conversation. */
  baton_test_set_barrier (server);
  g_clear_pointer (&node, json_node_unref);
  node = replayed_notification (token_first, seq, "assigned", id);
  g_clear_pointer (&node, json_node_unref);
  node = replayed_notification (token_second, seq, "assigned", id);
  g_assert_null (replayed_notification (token_default, seq, NULL, NULL));
  g_assert_null (replayed_notification (token_other, seq, NULL, NULL));
}

static void
test_routing_channel_default_user (void)
{
  g_autofree char *token_default = NULL;
  g_autofree char *token_other = NULL;
  g_autofree char *fallback = baton_test_new_agent (server, "Default Deb", "agent", &token_default);
  g_autofree char *other = baton_test_new_agent (server, "Other Ola", "agent", &token_other);
  g_autofree char *extra = baton_test_strdup_printf_json ("\"default_user_id\":%s", fallback);
  g_autofree char *secret = NULL;
  g_autofree char *channel = baton_test_create_channel (server, extra, &secret);
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *id = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) activity = NULL;
  gint64 seq = baton_test_current_seq (server);

  id = baton_test_customer_writes (server, channel, secret, phone, NULL, "Hello");
  node = baton_test_get_conversation (server, id);
  baton_test_assert_strings (node, "assignee_ids", fallback, NULL);
  g_assert_null (baton_test_get_string (node, "team_id"));
  activity = baton_test_latest_activity (server, id);
  g_assert_cmpstr (baton_test_get_string (activity, "activity.action"), ==, "assigned");
  g_assert_cmpstr (baton_test_get_string (activity, "activity.via"), ==, "channel_default");
  assert_side (activity, "to", NULL, fallback);

  baton_test_set_barrier (server);
  g_clear_pointer (&node, json_node_unref);
  node = replayed_notification (token_default, seq, "assigned", id);
  g_assert_null (replayed_notification (token_other, seq, NULL, NULL));
}

/* The channel's default team, whose members are all offline: the conversation waits in the
 * team's queue and only the team hears of it. */
static void
test_routing_channel_default_team (void)
{
  g_autofree char *token_member = NULL;
  g_autofree char *token_other = NULL;
  g_autofree char *member = baton_test_new_agent (server, "Member Mo", "agent", &token_member);
  g_autofree char *other = baton_test_new_agent (server, "Outsider Uma", "agent", &token_other);
  g_autofree char *team_body = baton_test_strdup_printf_json (
    "{\"name\":\"Default team\",\"member_ids\":[%s]}", member);
  g_autoptr(JsonNode) team = baton_test_expect (server, "POST", "/api/v1/teams",
                                                server->manager_token, team_body, 201, NULL);
  g_autofree char *extra = baton_test_strdup_printf_json ("\"default_team_id\":%s",
                                                          baton_test_get_string (team, "id"));
  g_autofree char *secret = NULL;
  g_autofree char *channel = baton_test_create_channel (server, extra, &secret);
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *id = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) activity = NULL;
  gint64 seq = baton_test_current_seq (server);

  id = baton_test_customer_writes (server, channel, secret, phone, NULL, "Hello team");
  node = baton_test_get_conversation (server, id);
  g_assert_cmpstr (baton_test_get_string (node, "team_id"), ==,
                   baton_test_get_string (team, "id"));
  baton_test_assert_strings (node, "assignee_ids", NULL);
  activity = baton_test_latest_activity (server, id);
  g_assert_cmpstr (baton_test_get_string (activity, "activity.action"), ==, "team_changed");
  g_assert_cmpstr (baton_test_get_string (activity, "activity.via"), ==, "channel_default");
  assert_side (activity, "to", baton_test_get_string (team, "id"), NULL);
  g_assert_cmpstr (baton_test_get_string (activity, "body"), ==,
                   "Sent to team Default team (channel default)");
  /* The inbox previews what the customer said, not the routing line. */
  g_assert_cmpstr (baton_test_get_string (node, "last_message.preview"), ==, "Hello team");
  g_assert_cmpstr (baton_test_get_string (node, "last_message.direction"), ==, "inbound");

  baton_test_set_barrier (server);
  g_clear_pointer (&node, json_node_unref);
  node = replayed_notification (token_member, seq, "new_conversation", id);
  g_assert_null (replayed_notification (token_other, seq, NULL, NULL));
  g_assert_null (replayed_notification (server->manager_token, seq, NULL, NULL));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  server = baton_test_server_new ("--test-clock", NULL);
  channel_id = baton_test_create_channel (server, NULL, &channel_secret);

  g_test_add_func ("/conversations/list/filters", test_list_filters);
  g_test_add_func ("/conversations/list/bad-requests", test_list_bad_requests);
  g_test_add_func ("/conversations/list/sorted-by-activity", test_list_sorted_by_activity);
  g_test_add_func ("/conversations/list/activity-at", test_list_activity_at);
  g_test_add_func ("/conversations/list/pagination", test_list_pagination);
  g_test_add_func ("/conversations/get-and-messages", test_get_and_messages);
  g_test_add_func ("/conversations/reply/reply-and-note", test_reply_and_note);
  g_test_add_func ("/conversations/reply/validation", test_reply_validation);
  g_test_add_func ("/conversations/reply/first-reply-setting-off",
                   test_first_reply_setting_off);
  g_test_add_func ("/conversations/reply/someone-elses", test_reply_to_someone_elses);
  g_test_add_func ("/conversations/reply/first-responder-off-by-default",
                   test_first_responder_off_by_default);
  g_test_add_func ("/conversations/reply/first-responder-becomes-owner",
                   test_first_responder_becomes_owner);
  g_test_add_func ("/conversations/assignment/permissions", test_assignment_permissions);
  g_test_add_func ("/conversations/assignment/validation", test_assignment_validation);
  g_test_add_func ("/conversations/assignment/activity", test_assignment_activity);
  g_test_add_func ("/conversations/assignment/team-only", test_assignment_team_only);
  g_test_add_func ("/conversations/assignment/activity-names", test_assignment_activity_names);
  g_test_add_func ("/conversations/claim/claim", test_claim);
  g_test_add_func ("/conversations/claim/race", test_claim_race);
  g_test_add_func ("/conversations/resolve/resolve-and-reopen", test_resolve_and_reopen);
  g_test_add_func ("/conversations/resolve/keeps-assignees", test_resolve_keeps_assignees);
  g_test_add_func ("/conversations/tags", test_tags);
  g_test_add_func ("/conversations/notify/new-conversation", test_notify_new_conversation);
  g_test_add_func ("/conversations/notify/assignment", test_notify_assignment);
  g_test_add_func ("/conversations/notify/agent-actions", test_notify_agent_actions);
  g_test_add_func ("/conversations/routing/contact-owners", test_routing_contact_owners);
  g_test_add_func ("/conversations/routing/channel-default-user",
                   test_routing_channel_default_user);
  g_test_add_func ("/conversations/routing/channel-default-team",
                   test_routing_channel_default_team);

  status = baton_test_run (server);
  g_free (channel_id);
  g_free (channel_secret);
  return status;
}
