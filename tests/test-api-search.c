/* test-api-search.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "baton-test-helpers.h"

/* Search (q=) and a contact's history (contact=) on GET /conversations, through real HTTP:
 * words in the contact's name, number or any message, ignoring case and accents both ways,
 * the last word as a prefix, every word required; input that looks like query syntax is
 * only text. Each test writes words of its own, so the shared server's other data never
 * match. */

static BatonTestServer *server;
static char *channel_id;
static char *channel_secret;
static guint serial;

/* Every page of GET /conversations?<query> (URL-escaped already), limit at a time. */
static GPtrArray *
list_all (const char *query,
          guint       limit)
{
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autofree char *cursor = NULL;

  do
    {
      g_autofree char *escaped = cursor ? g_uri_escape_string (cursor, NULL, FALSE) : NULL;
      g_autofree char *path = g_strdup_printf ("/api/v1/conversations?limit=%u&%s%s%s", limit,
                                               query, escaped ? "&cursor=" : "",
                                               escaped ? escaped : "");
      g_autoptr(JsonNode) page = baton_test_expect (server, "GET", path, server->manager_token,
                                                    NULL, 200, NULL);
      JsonArray *items = baton_test_items (page);

      g_assert_cmpuint (json_array_get_length (items), <=, limit);
      for (guint i = 0; i < json_array_get_length (items); i++)
        g_ptr_array_add (all, json_node_copy (json_array_get_element (items, i)));
      g_clear_pointer (&cursor, g_free);
      cursor = g_strdup (baton_test_get_string (page, "next_cursor"));
    }
  while (cursor);
  return all;
}

/* The ids GET /conversations?q=<text> answers, in order, joined by ","; extra: more of the
 * query (or NULL). */
static char *
search (const char *text,
        const char *extra)
{
  g_autofree char *escaped = g_uri_escape_string (text, NULL, FALSE);
  g_autofree char *query = g_strdup_printf ("q=%s%s%s", escaped, extra ? "&" : "",
                                            extra ? extra : "");
  g_autoptr(GPtrArray) items = list_all (query, 500);
  g_autoptr(GString) ids = g_string_new ("");

  for (guint i = 0; i < items->len; i++)
    g_string_append_printf (ids, "%s%s", i ? "," : "", baton_test_get_string (items->pdata[i],
                                                                              "id"));
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

static void
assert_found (const char *text,
              const char *expected)
{
  g_autofree char *ids = search (text, NULL);

  g_assert_cmpstr (ids, ==, expected);
}

/* "Chloé <key>" finds with "chloe <key>", and "Chloe" (no accent) with "chloé", in any case;
 * the last word as a prefix, the others whole. */
static void
test_case_and_accents (void)
{
  guint key = ++serial;
  g_autofree char *accented_name = g_strdup_printf ("Chloé Quinzel%u", key);
  g_autofree char *plain_name = g_strdup_printf ("Chloe Varnak%u", key);
  g_autofree char *phone_a = baton_test_new_phone ();
  g_autofree char *phone_b = baton_test_new_phone ();
  g_autofree char *accented = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *text = NULL;

  accented = baton_test_customer_writes (server, channel_id, channel_secret, phone_a,
                                         accented_name, "Hello");
  plain = baton_test_customer_writes (server, channel_id, channel_secret, phone_b, plain_name,
                                      "Hello");
  text = g_strdup_printf ("chloe quinzel%u", key);
  assert_found (text, accented);
  g_free (text);
  text = g_strdup_printf ("CHLOÉ VARNAK%u", key);
  assert_found (text, plain);
  g_free (text);
  text = g_strdup_printf ("QUINZEL%u chlo", key);
  assert_found (text, accented);
  g_free (text);
  /* the last word only is a prefix */
  text = g_strdup_printf ("chlo quinzel%u", key);
  assert_found (text, "");
  g_free (text);
  text = g_strdup_printf ("quinzel%u chloé", key);
  assert_found (text, accented);
}

/* Words of any message of the thread (not only the last one), notes included; activity lines
 * are not searched; words of the name and of messages combine, all required. */
static void
test_message_text (void)
{
  guint key = ++serial;
  g_autofree char *name = g_strdup_printf ("Ines Orlova%u", key);
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *first = g_strdup_printf ("Mon vélo%u est cassé", key);
  g_autofree char *conversation = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) note = NULL;
  g_autoptr(JsonNode) reply = NULL;

  conversation = baton_test_customer_writes (server, channel_id, channel_secret, phone, name,
                                             first);
  path = g_strdup_printf ("/api/v1/conversations/%s/messages", conversation);
  text = g_strdup_printf ("{\"body\":\"Spare part ordered: sprocket%u\",\"note\":true}", key);
  note = baton_test_expect (server, "POST", path, server->manager_token, text, 201, NULL);
  g_free (text);
  reply = baton_test_expect (server, "POST", path, server->manager_token,
                             "{\"body\":\"We are on it\"}", 201, NULL);
  baton_test_assign_to (server, conversation, server->manager_id);

  /* the first message, no longer the last one, without its accent */
  text = g_strdup_printf ("VELO%u", key);
  assert_found (text, conversation);
  g_free (text);
  text = g_strdup_printf ("sprocket%u", key);
  assert_found (text, conversation);
  g_free (text);
  /* a name word and a message word */
  text = g_strdup_printf ("orlova%u casse", key);
  assert_found (text, conversation);
  g_free (text);
  text = g_strdup_printf ("orlova%u casserole", key);
  assert_found (text, "");
  g_free (text);
  text = g_strdup_printf ("orlova%u sprocket%u", key, key);
  assert_found (text, conversation);
  g_free (text);
  /* the words of the activity line of the assignment are not the thread's */
  text = g_strdup_printf ("orlova%u assigned", key);
  assert_found (text, "");
  g_free (text);

  /* match: where an older message has the words; none when the name shows them */
  {
    g_autoptr(JsonNode) by_note = baton_test_get (server, "/api/v1/conversations?q=sprocket%u",
                                                  key);
    g_autoptr(JsonNode) by_first = baton_test_get (server, "/api/v1/conversations?q=velo%u",
                                                   key);
    g_autoptr(JsonNode) by_name = baton_test_get (server, "/api/v1/conversations?q=orlova%u",
                                                  key);
    g_autoptr(JsonNode) plain = baton_test_get_conversation (server, conversation);

    text = g_strdup_printf ("Spare part ordered: sprocket%u", key);
    g_assert_cmpstr (baton_test_get_string (by_note, "items.0.match"), ==, text);
    g_assert_cmpstr (baton_test_get_string (by_first, "items.0.match"), ==, first);
    g_assert_null (baton_test_get_string (by_name, "items.0.match"));
    g_assert_null (baton_test_get_string (plain, "match"));
  }
}

/* A number as typed, in groups or with its country code sign, finds the contact's number. */
static void
test_phone_number (void)
{
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *conversation = NULL;
  g_autofree char *spaced = NULL;

  conversation = baton_test_customer_writes (server, channel_id, channel_secret, phone, NULL,
                                             "Call me back");
  /* "+1555" and seven digits, typed "+1 555 123-45 67" */
  spaced = g_strdup_printf ("+%c %.3s %.3s-%.2s %s", phone[1], phone + 2, phone + 5, phone + 8,
                            phone + 10);
  assert_found (spaced, conversation);
  assert_found (phone, conversation);
  assert_found (phone + 1, conversation);
}

/* Text that is query syntax for SQLite FTS5 is only text: 200 with what its words find, or a
 * precise 400; the server keeps answering. */
static void
test_hostile_input (void)
{
  guint key = ++serial;
  g_autofree char *name = g_strdup_printf ("Noor Tallis%u", key);
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *conversation = NULL;
  g_autofree char *word = g_strdup_printf ("tallis%u", key);
  /* the word in query syntax; whether it still finds the thread: operator words are
   * words, which the thread must have too (it has "and", not "not", "or", "near", "drop") */
  const struct {
    const char *format;
    gboolean found;
  } wrappers[] = {
    { "\"%s", TRUE }, { "%s\"", TRUE }, { "\"%s\"", TRUE }, { "%s*", TRUE }, { "*%s", TRUE },
    { "-%s", TRUE }, { "(%s", TRUE }, { "%s)", TRUE }, { "%s:", TRUE }, { "name:%s", FALSE },
    { "{%s}", TRUE }, { "^%s", TRUE }, { "'%s'", TRUE }, { "%s'--", TRUE }, { "%s %%", TRUE },
    { "%s _", TRUE }, { "%s \\", TRUE }, { "%s AND", TRUE }, { "NOT %s", FALSE },
    { "%s NOT", FALSE }, { "OR %s", FALSE }, { "NEAR(%s)", FALSE },
    { "%s ;DROP TABLE messages", FALSE },
  };
  const char *only_syntax[] = { "\"", "*", "-", "()", "\"\"", "+", "%", ":", "^", "' --" };

  conversation = baton_test_customer_writes (server, channel_id, channel_secret, phone, name,
                                             "Quotes \"and\" stars *");
  for (guint i = 0; i < G_N_ELEMENTS (wrappers); i++)
    {
      g_autofree char *text = g_strdup_printf (wrappers[i].format, word);
      g_autofree char *ids = search (text, NULL);

      g_assert_cmpstr (ids, ==, wrappers[i].found ? conversation : "");
    }
  /* no word at all: no filter (the first page answers) */
  for (guint i = 0; i < G_N_ELEMENTS (only_syntax); i++)
    {
      g_autofree char *escaped = g_uri_escape_string (only_syntax[i], NULL, FALSE);
      g_autofree char *path = g_strdup_printf ("/api/v1/conversations?limit=1&q=%s", escaped);
      g_autoptr(JsonNode) page = NULL;

      page = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
      g_assert_cmpint (baton_test_get_int (page, "items.#"), ==, 1);
    }
  {
    g_autofree char *ids = search ("and", NULL);
    g_autofree char *both = g_strdup_printf ("%s and", word);

    g_assert_nonnull (strstr (ids, conversation));
    assert_found (both, conversation);
  }
  {
    g_autoptr(GString) long_text = g_string_new (NULL);
    g_autofree char *path = NULL;
    g_autoptr(JsonNode) too_many = NULL;
    g_autoptr(JsonNode) too_long = NULL;
    g_autoptr(JsonNode) not_utf8 = NULL;
    g_autoptr(JsonNode) still = NULL;

    too_many = baton_test_expect (server, "GET", "/api/v1/conversations?q=a+b+c+d+e+f+g+h+i+j+k",
                                  server->manager_token, NULL, 400, "bad_request");
    for (guint i = 0; i < 201; i++)
      g_string_append_c (long_text, 'x');
    path = g_strdup_printf ("/api/v1/conversations?q=%s", long_text->str);
    too_long = baton_test_expect (server, "GET", path, server->manager_token, NULL, 400,
                                  "bad_request");
    not_utf8 = baton_test_expect (server, "GET", "/api/v1/conversations?q=%C3%28%F0",
                                  server->manager_token, NULL, 400, "bad_request");
    still = baton_test_get (server, "/api/v1/conversations?q=%s", word);
    g_assert_cmpstr (baton_test_get_string (still, "items.0.id"), ==, conversation);
  }
}

/* Pages of two with q= cover the matches exactly once, in the order of one big page (newest
 * activity first), whichever of name or message matched. */
static void
test_paging (void)
{
  guint key = ++serial;
  g_autofree char *word = g_strdup_printf ("pagine%u", key);
  g_autoptr(GPtrArray) whole = NULL;
  g_autoptr(GPtrArray) paged = NULL;
  g_autoptr(GPtrArray) created = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *query = g_strdup_printf ("q=%s", word);

  for (guint i = 0; i < 7; i++)
    {
      g_autofree char *phone = baton_test_new_phone ();
      g_autofree char *name = g_strdup_printf ("Person %u %s", i, i % 2 ? word : "Other");
      g_autofree char *text = g_strdup_printf ("Hello %s", i % 2 ? "there" : word);

      g_ptr_array_add (created, baton_test_customer_writes (server, channel_id, channel_secret,
                                                            phone, name, text));
      if (i % 3 == 0)
        baton_test_advance_clock (server, 1);
    }
  whole = list_all (query, 500);
  paged = list_all (query, 2);
  g_assert_cmpuint (whole->len, ==, 7);
  g_assert_cmpuint (paged->len, ==, 7);
  for (guint i = 0; i < whole->len; i++)
    {
      g_assert_cmpstr (baton_test_get_string (paged->pdata[i], "id"), ==,
                       baton_test_get_string (whole->pdata[i], "id"));
      if (i > 0)
        g_assert_cmpint (g_strcmp0 (baton_test_get_string (whole->pdata[i - 1], "activity_at"),
                                    baton_test_get_string (whole->pdata[i], "activity_at")),
                         >=, 0);
    }
  /* the newest was written last */
  g_assert_cmpstr (baton_test_get_string (whole->pdata[0], "id"), ==, created->pdata[6]);
}

/* contact=: the contact's conversations on every channel, any status, newest first, paged
 * and combined with the other filters; an unknown contact is 400. */
static void
test_contact_history (void)
{
  guint key = ++serial;
  g_autofree char *name = g_strdup_printf ("Hanna Brix%u", key);
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *other_phone = baton_test_new_phone ();
  g_autofree char *secret_b = NULL;
  g_autofree char *secret_c = NULL;
  g_autofree char *channel_b = baton_test_create_channel (server, NULL, &secret_b);
  g_autofree char *channel_c = baton_test_create_channel (server, NULL, &secret_c);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  g_autofree char *stranger = NULL;
  g_autofree char *contact = NULL;
  g_autofree char *query = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) paged = NULL;
  g_autoptr(JsonNode) resolved = NULL;
  g_autoptr(JsonNode) unknown = NULL;
  g_autoptr(JsonNode) empty = NULL;

  first = baton_test_customer_writes (server, channel_id, channel_secret, phone, name, "One");
  baton_test_advance_clock (server, 1);
  second = baton_test_customer_writes (server, channel_b, secret_b, phone, NULL, "Two");
  baton_test_advance_clock (server, 1);
  third = baton_test_customer_writes (server, channel_c, secret_c, phone, NULL, "Three");
  stranger = baton_test_customer_writes (server, channel_b, secret_b, other_phone, name, "Hi");
  contact = baton_test_contact_of (server, first);
  path = g_strdup_printf ("/api/v1/conversations/%s/resolve", second);
  resolved = baton_test_expect (server, "POST", path, server->manager_token, NULL, 200, NULL);

  query = g_strdup_printf ("contact=%s", contact);
  items = list_all (query, 500);
  paged = list_all (query, 1);
  g_assert_cmpuint (items->len, ==, 3);
  g_assert_cmpuint (paged->len, ==, 3);
  /* the resolve moved the second up */
  g_assert_cmpstr (baton_test_get_string (items->pdata[0], "id"), ==, second);
  g_assert_cmpstr (baton_test_get_string (items->pdata[1], "id"), ==, third);
  g_assert_cmpstr (baton_test_get_string (items->pdata[2], "id"), ==, first);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpstr (baton_test_get_string (paged->pdata[i], "id"), ==,
                       baton_test_get_string (items->pdata[i], "id"));
      g_assert_cmpstr (baton_test_get_string (items->pdata[i], "contact.id"), ==, contact);
    }
  g_clear_pointer (&items, g_ptr_array_unref);
  g_clear_pointer (&query, g_free);

  /* with the other filters */
  query = g_strdup_printf ("contact=%s&status=new,in_progress", contact);
  items = list_all (query, 500);
  g_assert_cmpuint (items->len, ==, 2);
  g_assert_cmpstr (baton_test_get_string (items->pdata[0], "id"), ==, third);
  g_assert_cmpstr (baton_test_get_string (items->pdata[1], "id"), ==, first);
  g_clear_pointer (&items, g_ptr_array_unref);
  g_clear_pointer (&query, g_free);
  query = g_strdup_printf ("contact=%s", contact);
  g_free (path);
  path = search ("two", query);
  g_assert_cmpstr (path, ==, second);
  g_clear_pointer (&query, g_free);
  query = g_strdup_printf ("contact=%s&assignee=none&status=resolved", contact);
  items = list_all (query, 500);
  g_assert_cmpuint (items->len, ==, 1);
  g_clear_pointer (&items, g_ptr_array_unref);

  unknown = baton_test_expect (server, "GET", "/api/v1/conversations?contact=ctc_nobody",
                               server->manager_token, NULL, 400, "bad_request");
  empty = baton_test_expect (server, "GET", "/api/v1/conversations?contact=",
                             server->manager_token, NULL, 400, "bad_request");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  server = baton_test_server_new ("--test-clock", NULL);
  channel_id = baton_test_create_channel (server, NULL, &channel_secret);

  g_test_add_func ("/search/case-and-accents", test_case_and_accents);
  g_test_add_func ("/search/message-text", test_message_text);
  g_test_add_func ("/search/phone-number", test_phone_number);
  g_test_add_func ("/search/hostile-input", test_hostile_input);
  g_test_add_func ("/search/paging", test_paging);
  g_test_add_func ("/search/contact-history", test_contact_history);

  return baton_test_run (server);
}
