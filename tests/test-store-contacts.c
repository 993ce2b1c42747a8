/* test-store-contacts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-store-contacts.h"
#include "baton-test-store.h"

static void
insert_contact (BatonTestStore *fixture,
                const char     *id,
                const char     *name,
                const char     *phone,
                const char     *wa_id)
{
  g_autoptr(GError) error = NULL;
  BatonContactRow row = { id, name, phone, wa_id, NULL, 1000, 0 };

  g_assert_true (baton_store_contacts_insert (fixture->store, &row, &error));
  g_assert_no_error (error);
}

static void
test_get (BatonTestStore *fixture,
          gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonContact) contact = NULL;
  g_autoptr(BatonContact) missing = NULL;
  const char *tags[] = { "vip", "fr", NULL };

  insert_contact (fixture, "ctc_1", "Ada", "+331", "331");
  g_assert_true (baton_store_contacts_update (fixture->store, "ctc_1", NULL,
                                              "{\"plan\":\"gold\",\"n\":3}", &error));
  g_assert_true (baton_store_contacts_set_tags (fixture->store, "ctc_1", tags, &error));
  g_assert_no_error (error);
  contact = baton_store_contacts_get (fixture->store, "ctc_1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contact->name, ==, "Ada");
  g_assert_cmpstr (contact->phone, ==, "+331");
  g_assert_cmpstr (contact->wa_id, ==, "331");
  g_assert_cmpint (contact->created_at, ==, 1000);
  g_assert_cmpint (contact->last_inbound_at, ==, 0);
  g_assert_true (g_strv_equal ((const char * const *) contact->tags, tags));
  g_assert_cmpuint (g_strv_length (contact->owner_ids), ==, 0);
  /* only string fields are read */
  g_assert_cmpstr (g_hash_table_lookup (contact->fields, "plan"), ==, "gold");
  g_assert_cmpuint (g_hash_table_size (contact->fields), ==, 1);

  missing = baton_store_contacts_get (fixture->store, "ctc_none", &error);
  g_assert_no_error (error);
  g_assert_null (missing);
}

/* name, fields: NULL keeps what is stored */
static void
test_update (BatonTestStore *fixture,
             gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonContact) renamed = NULL;
  g_autoptr(BatonContact) refielded = NULL;

  insert_contact (fixture, "ctc_1", "+331", "+331", NULL);
  g_assert_true (baton_store_contacts_update (fixture->store, "ctc_1", NULL, "{\"a\":\"b\"}",
                                              &error));
  g_assert_true (baton_store_contacts_update (fixture->store, "ctc_1", "Ada", NULL, &error));
  g_assert_no_error (error);
  renamed = baton_store_contacts_get (fixture->store, "ctc_1", &error);
  g_assert_cmpstr (renamed->name, ==, "Ada");
  g_assert_cmpstr (g_hash_table_lookup (renamed->fields, "a"), ==, "b");
  g_assert_true (baton_store_contacts_update (fixture->store, "ctc_1", NULL, "{}", &error));
  refielded = baton_store_contacts_get (fixture->store, "ctc_1", &error);
  g_assert_cmpstr (refielded->name, ==, "Ada");
  g_assert_cmpuint (g_hash_table_size (refielded->fields), ==, 0);
}

static void
assert_names (GPtrArray  *contacts,
              const char *expected)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) names = NULL;
  g_autofree char *joined = NULL;

  g_assert_nonnull (contacts);
  for (guint i = 0; i < contacts->len; i++)
    g_strv_builder_add (builder, ((BatonContact *) g_ptr_array_index (contacts, i))->name);
  names = g_strv_builder_end (builder);
  joined = g_strjoinv (",", names);
  g_assert_cmpstr (joined, ==, expected);
}

/* by name without case, by phone, LIKE's wildcards taken literally, paged */
static void
test_search (BatonTestStore *fixture,
             gconstpointer   data)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GPtrArray) by_phone = NULL;
  g_autoptr(GPtrArray) literal = NULL;
  g_autoptr(GPtrArray) last = NULL;
  g_autoptr(GPtrArray) any_case = NULL;

  insert_contact (fixture, "ctc_1", "bob", "+3310", NULL);
  insert_contact (fixture, "ctc_2", "Alice", "+4420", NULL);
  insert_contact (fixture, "ctc_3", "Carl_100%", "+4930", NULL);
  all = baton_store_contacts_search (fixture->store, NULL, 10, 0, NULL);
  assert_names (all, "Alice,bob,Carl_100%");
  /* one more than the limit tells that there are more */
  page = baton_store_contacts_search (fixture->store, "", 1, 1, NULL);
  assert_names (page, "bob,Carl_100%");
  last = baton_store_contacts_search (fixture->store, "", 1, 2, NULL);
  assert_names (last, "Carl_100%");
  by_phone = baton_store_contacts_search (fixture->store, "+44", 10, 0, NULL);
  assert_names (by_phone, "Alice");
  literal = baton_store_contacts_search (fixture->store, "_1", 10, 0, NULL);
  assert_names (literal, "Carl_100%");
  /* case is ignored, on both backends */
  any_case = baton_store_contacts_search (fixture->store, "aLI", 10, 0, NULL);
  assert_names (any_case, "Alice");
}

static void
assert_found (BatonTestStore *fixture,
              const char     *wa_id,
              const char     *user_id,
              const char     *phone,
              const char     *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = baton_store_contacts_find_whatsapp (fixture->store, wa_id, user_id,
                                                            phone, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, expected);
}

/* a WhatsApp sender: by wa_id, by a former wa_id, else by BSUID; anyone by phone */
static void
test_find (BatonTestStore *fixture,
           gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *by_wa_id = NULL;
  g_autofree char *by_alias = NULL;
  g_autofree char *by_user = NULL;
  g_autofree char *nobody = NULL;
  g_autofree char *by_phone = NULL;
  g_autofree char *name = NULL;
  g_autofree char *wa_id = NULL;
  g_autofree char *user_id = NULL;
  g_autoptr(BatonContact) changed = NULL;
  gboolean taken = TRUE;

  insert_contact (fixture, "ctc_1", "Ada", "+331", "331");
  insert_contact (fixture, "ctc_2", "Bob", "+332", NULL);
  g_assert_true (baton_store_contacts_learn_whatsapp (fixture->store, "ctc_2", NULL, "US.1", 0,
                                                      &error));
  /* what is known stays */
  g_assert_true (baton_store_contacts_learn_whatsapp (fixture->store, "ctc_1", "999", NULL, 0,
                                                      &error));
  g_assert_true (baton_store_contacts_phone_taken (fixture->store, "+334", "ctc_1", &taken,
                                                   &error));
  g_assert_false (taken);
  g_assert_true (baton_store_contacts_change_number (fixture->store, "ctc_1", "331", "334",
                                                     "+334", &error));
  g_assert_no_error (error);

  by_wa_id = baton_store_contacts_find_whatsapp (fixture->store, "334", NULL, NULL, &name,
                                                 &error);
  g_assert_cmpstr (by_wa_id, ==, "ctc_1");
  g_assert_cmpstr (name, ==, "Ada");
  by_alias = baton_store_contacts_find_whatsapp (fixture->store, "331", NULL, NULL, NULL,
                                                 &error);
  g_assert_cmpstr (by_alias, ==, "ctc_1");
  by_user = baton_store_contacts_find_whatsapp (fixture->store, NULL, "US.1", NULL, NULL,
                                                &error);
  g_assert_cmpstr (by_user, ==, "ctc_2");
  nobody = baton_store_contacts_find_whatsapp (fixture->store, "999", NULL, NULL, NULL, &error);
  g_assert_null (nobody);
  by_phone = baton_store_contacts_find_by_phone (fixture->store, "+332", NULL, &error);
  g_assert_cmpstr (by_phone, ==, "ctc_2");
  g_assert_no_error (error);
  /* the phone counts only when no WhatsApp id does */
  assert_found (fixture, "334", NULL, "+332", "ctc_1");
  assert_found (fixture, "331", NULL, "+332", "ctc_1");
  assert_found (fixture, "999", NULL, "+332", "ctc_2");
  assert_found (fixture, "999", NULL, "+339", NULL);
  assert_found (fixture, NULL, "US.1", "+334", "ctc_2");
  assert_found (fixture, NULL, "US.9", "+334", "ctc_1");
  assert_found (fixture, NULL, NULL, "+332", "ctc_2");

  changed = baton_store_contacts_get (fixture->store, "ctc_1", &error);
  g_assert_cmpstr (changed->phone, ==, "+334");
  g_assert_true (baton_store_contacts_get_whatsapp_ids (fixture->store, "ctc_2", &wa_id,
                                                        &user_id, &error));
  g_assert_null (wa_id);
  g_assert_cmpstr (user_id, ==, "US.1");
  /* a phone another contact has stays where it is */
  g_assert_true (baton_store_contacts_phone_taken (fixture->store, "+332", "ctc_1", &taken,
                                                   &error));
  g_assert_true (taken);
}

/* the latest customer message counts, whatever the order of arrival */
static void
test_saw_inbound (BatonTestStore *fixture,
                  gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonContact) contact = NULL;
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;
  g_autofree char *created = NULL;
  g_autofree char *created_name = NULL;
  BatonContactRow known = {
    .id = "ctc_8", .name = "Someone", .phone = "+331", .created_at = 10,
    .last_inbound_at = 6000,
  };
  BatonContactRow unknown = {
    .id = "ctc_9", .name = "+339", .phone = "+339", .created_at = 10, .last_inbound_at = 6000,
  };

  insert_contact (fixture, "ctc_1", "Ada", "+331", NULL);
  g_assert_true (baton_store_contacts_learn_whatsapp (fixture->store, "ctc_1", NULL, NULL, 5000,
                                                      &error));
  g_assert_true (baton_store_contacts_learn_whatsapp (fixture->store, "ctc_1", NULL, NULL, 4000,
                                                      &error));
  g_assert_no_error (error);
  contact = baton_store_contacts_get (fixture->store, "ctc_1", &error);
  g_assert_cmpint (contact->last_inbound_at, ==, 5000);
  /* what a WhatsApp message teaches, in the same statement */
  g_assert_true (baton_store_contacts_learn_whatsapp (fixture->store, "ctc_1", "331", NULL, 5200,
                                                      &error));
  g_assert_true (baton_store_contacts_learn_whatsapp (fixture->store, "ctc_1", NULL, NULL, 5100,
                                                      &error));
  g_assert_true (baton_store_contacts_learn_whatsapp (fixture->store, "ctc_1", NULL, "US.3", 0,
                                                      &error));
  g_clear_pointer (&contact, baton_contact_unref);
  contact = baton_store_contacts_get (fixture->store, "ctc_1", &error);
  g_assert_cmpint (contact->last_inbound_at, ==, 5200);
  g_assert_cmpstr (contact->wa_id, ==, "331");

  /* found by phone in the same statement, or created as the row given */
  id = baton_store_contacts_saw_inbound_by_phone (fixture->store, &known, &name, &error);
  g_assert_cmpstr (id, ==, "ctc_1");
  g_assert_cmpstr (name, ==, "Ada");
  g_free (id);
  known.last_inbound_at = 5500;
  id = baton_store_contacts_saw_inbound_by_phone (fixture->store, &known, NULL, &error);
  g_assert_cmpstr (id, ==, "ctc_1");
  created = baton_store_contacts_saw_inbound_by_phone (fixture->store, &unknown, &created_name,
                                                       &error);
  g_assert_no_error (error);
  g_assert_cmpstr (created, ==, "ctc_9");
  g_assert_cmpstr (created_name, ==, "+339");
  g_clear_pointer (&contact, baton_contact_unref);
  contact = baton_store_contacts_get (fixture->store, "ctc_9", &error);
  g_assert_cmpstr (contact->phone, ==, "+339");
  g_assert_cmpint (contact->last_inbound_at, ==, 6000);
  g_assert_cmpint (contact->created_at, ==, 10);
  g_clear_pointer (&contact, baton_contact_unref);
  contact = baton_store_contacts_get (fixture->store, "ctc_1", &error);
  g_assert_cmpint (contact->last_inbound_at, ==, 6000);
}

static void
test_owners (BatonTestStore *fixture,
             gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonContact) contact = NULL;
  g_auto(GStrv) owned = NULL;
  const char *owners[] = { "agt_2", "agt_1", NULL };
  const char *one[] = { "agt_1", NULL };
  gboolean has_owners = TRUE;

  baton_test_store_exec (fixture,
                         "INSERT INTO agents (id, name, email, email_key, role, password_hash,"
                         " created_at, updated_at) VALUES"
                         " ('agt_1', 'A', 'a@x', 'a@x', 'agent', '', 0, 0),"
                         " ('agt_2', 'B', 'b@x', 'b@x', 'agent', '', 0, 0)");
  insert_contact (fixture, "ctc_1", "Ada", "+331", NULL);
  insert_contact (fixture, "ctc_2", "Bob", "+332", NULL);
  g_assert_true (baton_store_contacts_has_owners (fixture->store, "ctc_1", &has_owners,
                                                  &error));
  g_assert_false (has_owners);
  g_assert_true (baton_store_contacts_set_owners (fixture->store, "ctc_1", one, &error));
  g_assert_true (baton_store_contacts_set_owners (fixture->store, "ctc_1", owners, &error));
  g_assert_true (baton_store_contacts_set_owners (fixture->store, "ctc_2", one, &error));
  g_assert_no_error (error);
  contact = baton_store_contacts_get (fixture->store, "ctc_1", &error);
  g_assert_true (g_strv_equal ((const char * const *) contact->owner_ids, owners));
  owned = baton_store_contacts_owned_by (fixture->store, "agt_1", &error);
  g_assert_cmpuint (g_strv_length (owned), ==, 2);
  g_assert_true (baton_store_contacts_has_owners (fixture->store, "ctc_2", &has_owners,
                                                  &error));
  g_assert_true (has_owners);
}

static void
test_delete (BatonTestStore *fixture,
             gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonContact) deleted = NULL;
  g_autoptr(BatonContact) kept = NULL;

  insert_contact (fixture, "ctc_1", "Ada", "+331", NULL);
  insert_contact (fixture, "ctc_2", "Bob", "+332", NULL);
  g_assert_true (baton_store_contacts_delete (fixture->store, "ctc_1", &error));
  g_assert_no_error (error);
  deleted = baton_store_contacts_get (fixture->store, "ctc_1", &error);
  kept = baton_store_contacts_get (fixture->store, "ctc_2", &error);
  g_assert_no_error (error);
  g_assert_null (deleted);
  g_assert_nonnull (kept);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  baton_test_store_add ("/store/contacts/get", test_get);
  baton_test_store_add ("/store/contacts/update", test_update);
  baton_test_store_add ("/store/contacts/search", test_search);
  baton_test_store_add ("/store/contacts/find", test_find);
  baton_test_store_add ("/store/contacts/saw-inbound", test_saw_inbound);
  baton_test_store_add ("/store/contacts/owners", test_owners);
  baton_test_store_add ("/store/contacts/delete", test_delete);

  return g_test_run ();
}
