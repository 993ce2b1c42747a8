/* test-store-outbox.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-json.h"
#include "baton-store-deliveries.h"
#include "baton-store-media.h"
#include "baton-store-outbox.h"
#include "baton-store-templates.h"
#include "baton-test-store.h"

static void
queue (BatonTestStore *fixture,
       const char     *recipient,
       const char     *payload,
       gint64          now)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = baton_json_parse_text (payload);

  g_assert_true (baton_store_outbox_insert (fixture->store, "chn_1", NULL, "read", recipient,
                                            node, now, &error));
  g_assert_no_error (error);
}

static gint64
head_n (GPtrArray *heads,
        guint      i)
{
  return ((BatonOutboxEntry *) g_ptr_array_index (heads, i))->n;
}

/* only the oldest entry of each recipient, soonest due first */
static void
test_outbox_heads (BatonTestStore *fixture,
                   gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) heads = NULL;
  g_autoptr(GPtrArray) later = NULL;
  g_autoptr(GPtrArray) limited = NULL;
  BatonOutboxEntry *first = NULL;

  baton_test_store_add_thread (fixture);
  queue (fixture, "+331", "{\"a\":1}", 100);
  queue (fixture, "+331", "{\"a\":2}", 100);
  queue (fixture, "+332", "{\"b\":1}", 50);
  g_assert_cmpint (baton_store_outbox_count (fixture->store, &error), ==, 3);
  heads = baton_store_outbox_heads (fixture->store, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (heads->len, ==, 2);
  g_assert_cmpint (head_n (heads, 0), ==, 3);
  first = g_ptr_array_index (heads, 1);
  g_assert_cmpint (first->n, ==, 1);
  g_assert_cmpstr (first->channel_id, ==, "chn_1");
  g_assert_null (first->message_id);
  g_assert_cmpstr (first->kind, ==, "read");
  g_assert_cmpint (first->attempts, ==, 0);
  g_assert_cmpint (first->next_attempt_at, ==, 100);
  g_assert_cmpint (baton_json_get_int (json_node_get_object (first->payload), "a"), ==, 1);

  /* a retry counts the attempt and waits; once sent, the next entry of that recipient moves */
  g_assert_true (baton_store_outbox_retry_at (fixture->store, 3, TRUE, 500, &error));
  g_assert_true (baton_store_outbox_retry_at (fixture->store, 3, FALSE, 600, &error));
  g_assert_true (baton_store_outbox_delete (fixture->store, 1, &error));
  later = baton_store_outbox_heads (fixture->store, 10, &error);
  g_assert_cmpuint (later->len, ==, 2);
  g_assert_cmpint (head_n (later, 0), ==, 2);
  g_assert_cmpint (head_n (later, 1), ==, 3);
  g_assert_cmpint (((BatonOutboxEntry *) g_ptr_array_index (later, 1))->attempts, ==, 1);
  g_assert_cmpint (((BatonOutboxEntry *) g_ptr_array_index (later, 1))->next_attempt_at, ==,
                   600);
  limited = baton_store_outbox_heads (fixture->store, 1, &error);
  g_assert_cmpuint (limited->len, ==, 1);
  g_assert_no_error (error);
}

/* the oldest unprocessed first, at most limit; only processed old ones are pruned */
static void
test_deliveries (BatonTestStore *fixture,
                 gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) rest = NULL;
  BatonDelivery *delivery = NULL;

  for (int i = 1; i <= 3; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"n\":%d}", i);

      g_assert_true (baton_store_deliveries_insert (fixture->store, i * 10, body, "hash",
                                                    &error));
    }
  g_assert_cmpint (baton_store_deliveries_count_unprocessed (fixture->store, &error), ==, 3);
  first = baton_store_deliveries_unprocessed (fixture->store, 2, &error);
  g_assert_cmpuint (first->len, ==, 2);
  delivery = g_ptr_array_index (first, 0);
  g_assert_cmpint (delivery->n, ==, 1);
  g_assert_cmpstr (delivery->body, ==, "{\"n\":1}");
  g_assert_cmpstr (delivery->app_secret_hash, ==, "hash");
  /* up to 2: 1 and 2 at once */
  g_assert_true (baton_store_deliveries_mark_processed (fixture->store, 2, 99, &error));
  rest = baton_store_deliveries_unprocessed (fixture->store, 2, &error);
  g_assert_cmpuint (rest->len, ==, 1);
  g_assert_cmpint (((BatonDelivery *) g_ptr_array_index (rest, 0))->n, ==, 3);
  /* received before 25: 1 and 2, but 3 is not processed */
  g_assert_true (baton_store_deliveries_prune (fixture->store, 25, &error));
  g_assert_true (baton_store_deliveries_prune (fixture->store, 35, &error));
  g_assert_cmpint (baton_store_deliveries_count_unprocessed (fixture->store, &error), ==, 1);
  g_assert_no_error (error);
}

static void
test_media (BatonTestStore *fixture,
            gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonMedia) stored = NULL;
  g_autoptr(BatonMedia) fetched = NULL;
  g_autoptr(BatonMedia) missing = NULL;

  baton_test_store_add_thread (fixture);
  g_assert_true (baton_store_media_insert (fixture->store, "att_1", "chn_1", "m1", NULL, "abc",
                                           "a.pdf", 10, &error));
  stored = baton_store_media_get (fixture->store, "att_1", &error);
  g_assert_cmpstr (stored->channel_id, ==, "chn_1");
  g_assert_cmpstr (stored->media_id, ==, "m1");
  g_assert_null (stored->mime_type);
  g_assert_cmpstr (stored->sha256, ==, "abc");
  g_assert_cmpstr (stored->filename, ==, "a.pdf");
  g_assert_null (stored->file);
  g_assert_true (baton_store_media_set_file (fixture->store, "att_1", "att_1.media", 3,
                                             "application/pdf", &error));
  fetched = baton_store_media_get (fixture->store, "att_1", &error);
  g_assert_cmpstr (fetched->file, ==, "att_1.media");
  g_assert_cmpstr (fetched->mime_type, ==, "application/pdf");
  missing = baton_store_media_get (fixture->store, "att_2", &error);
  g_assert_no_error (error);
  g_assert_null (missing);
}

/* approved only, by name and language; the first of a name and language stays */
static void
test_templates (BatonTestStore *fixture,
                gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) approved = NULL;
  g_autoptr(GPtrArray) cleared = NULL;
  g_autofree char *components = NULL;
  g_autofree char *pending = NULL;
  BatonTemplate *template = NULL;

  baton_test_store_add_thread (fixture);
  g_assert_true (baton_store_templates_insert (fixture->store, "chn_1", "welcome", "fr",
                                               "APPROVED", "UTILITY", "[1]", 5, &error));
  g_assert_true (baton_store_templates_insert (fixture->store, "chn_1", "welcome", "fr",
                                               "APPROVED", "UTILITY", "[2]", 5, &error));
  g_assert_true (baton_store_templates_insert (fixture->store, "chn_1", "hello", "en",
                                               "APPROVED", NULL, "[]", 5, &error));
  g_assert_true (baton_store_templates_insert (fixture->store, "chn_1", "draft", "en",
                                               "PENDING", NULL, "[]", 5, &error));
  g_assert_no_error (error);
  approved = baton_store_templates_approved (fixture->store, "chn_1", &error);
  g_assert_cmpuint (approved->len, ==, 2);
  template = g_ptr_array_index (approved, 1);
  g_assert_cmpstr (template->name, ==, "welcome");
  g_assert_cmpstr (template->language, ==, "fr");
  g_assert_cmpstr (template->category, ==, "UTILITY");
  g_assert_cmpstr (template->components, ==, "[1]");
  components = baton_store_templates_components (fixture->store, "chn_1", "welcome", "fr",
                                                 &error);
  g_assert_cmpstr (components, ==, "[1]");
  pending = baton_store_templates_components (fixture->store, "chn_1", "draft", "en", &error);
  g_assert_no_error (error);
  g_assert_null (pending);
  g_assert_true (baton_store_templates_clear (fixture->store, "chn_1", &error));
  cleared = baton_store_templates_approved (fixture->store, "chn_1", &error);
  g_assert_cmpuint (cleared->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  baton_test_store_add ("/store/outbox/heads", test_outbox_heads);
  baton_test_store_add ("/store/deliveries", test_deliveries);
  baton_test_store_add ("/store/media", test_media);
  baton_test_store_add ("/store/templates", test_templates);

  return g_test_run ();
}
