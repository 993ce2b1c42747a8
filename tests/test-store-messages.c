/* test-store-messages.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-error.h"
#include "baton-store-messages.h"
#include "baton-test-store.h"

static void
insert_message (BatonTestStore   *fixture,
                const char       *id,
                BatonMessageKind  kind,
                const char        *author_type,
                const char        *external_id)
{
  g_autoptr(GError) error = NULL;
  BatonMessageRow row = {
    .id = id,
    .conversation_id = "cnv_1",
    .channel_id = "chn_1",
    .kind = kind,
    .author_type = author_type,
    .author_name = "Ada",
    .body = "hello",
    .external_id = external_id,
    .status = kind == BATON_MESSAGE_OUTBOUND ? "pending" : NULL,
    .created_at = 1000,
  };

  g_assert_true (baton_store_messages_insert (fixture->store, &row, &error));
  g_assert_no_error (error);
}

static void
test_find_external (BatonTestStore *fixture,
                    gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonChannelMessage) found = NULL;
  g_autoptr(BatonChannelMessage) other_channel = NULL;
  g_autofree char *external_id = NULL;

  baton_test_store_add_thread (fixture);
  insert_message (fixture, "msg_1", BATON_MESSAGE_INBOUND, "contact", "wamid.1");
  found = baton_store_messages_find_external (fixture->store, "chn_1", "wamid.1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->id, ==, "msg_1");
  g_assert_cmpstr (found->conversation_id, ==, "cnv_1");
  g_assert_cmpstr (found->contact_id, ==, "ctc_1");
  g_assert_cmpint (found->kind, ==, BATON_MESSAGE_INBOUND);
  g_assert_null (found->reactions);
  other_channel = baton_store_messages_find_external (fixture->store, "chn_2", "wamid.1",
                                                      &error);
  g_assert_no_error (error);
  g_assert_null (other_channel);

  g_assert_true (baton_store_messages_get_external_id (fixture->store, "msg_1", "cnv_1",
                                                       &external_id, &error));
  g_assert_cmpstr (external_id, ==, "wamid.1");
  g_clear_pointer (&external_id, g_free);
  /* a message of another conversation is not found */
  g_assert_false (baton_store_messages_get_external_id (fixture->store, "msg_1", "cnv_2",
                                                        &external_id, &error));
  g_assert_no_error (error);
  g_assert_null (external_id);
}

/* sent only over pending; the status history, by time */
static void
test_statuses (BatonTestStore *fixture,
               gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonChannelMessage) sent = NULL;
  g_autoptr(BatonChannelMessage) read = NULL;
  gboolean has = TRUE;

  baton_test_store_add_thread (fixture);
  insert_message (fixture, "msg_1", BATON_MESSAGE_OUTBOUND, "agent", NULL);
  g_assert_true (baton_store_messages_set_sent (fixture->store, "msg_1", "wamid.9", &error));
  sent = baton_store_messages_find_external (fixture->store, "chn_1", "wamid.9", &error);
  g_assert_cmpstr (sent->status, ==, "sent");
  g_assert_true (baton_store_messages_set_status (fixture->store, "msg_1", "read", NULL, &error));
  g_assert_true (baton_store_messages_set_sent (fixture->store, "msg_1", "wamid.9", &error));
  read = baton_store_messages_find_external (fixture->store, "chn_1", "wamid.9", &error);
  g_assert_cmpstr (read->status, ==, "read");

  g_assert_true (baton_store_messages_has_status (fixture->store, "msg_1", "read", 5, &has,
                                                  &error));
  g_assert_false (has);
  g_assert_true (baton_store_messages_add_status (fixture->store, "msg_1", "read", 5, "{}",
                                                  &error));
  g_assert_true (baton_store_messages_has_status (fixture->store, "msg_1", "read", 5, &has,
                                                  &error));
  g_assert_true (has);
  g_assert_true (baton_store_messages_has_status (fixture->store, "msg_1", "read", 6, &has,
                                                  &error));
  g_assert_false (has);
  g_assert_no_error (error);
}

/* one time per person and message, replaced */
static void
test_reaction_times (BatonTestStore *fixture,
                     gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  gint64 at = -1;

  baton_test_store_add_thread (fixture);
  insert_message (fixture, "msg_1", BATON_MESSAGE_INBOUND, "contact", "wamid.1");
  g_assert_true (baton_store_messages_get_reaction_time (fixture->store, "msg_1", "ctc_1", &at,
                                                         &error));
  g_assert_cmpint (at, ==, 0);
  g_assert_true (baton_store_messages_set_reaction_time (fixture->store, "msg_1", "ctc_1", 7,
                                                         &error));
  g_assert_true (baton_store_messages_set_reaction_time (fixture->store, "msg_1", "ctc_1", 9,
                                                         &error));
  g_assert_true (baton_store_messages_get_reaction_time (fixture->store, "msg_1", "ctc_1", &at,
                                                         &error));
  g_assert_cmpint (at, ==, 9);
  g_assert_true (baton_store_messages_set_reactions (fixture->store, "msg_1", "[]", &error));
  g_assert_no_error (error);
}

/* the customer's latest message with a wamid, not an agent's or a system line */
static void
test_last_whatsapp_inbound (BatonTestStore *fixture,
                            gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *none = NULL;
  g_autofree char *wamid = NULL;
  g_autofree char *channel_id = NULL;
  g_autofree char *wa_id = NULL;
  g_autofree char *user_id = NULL;

  baton_test_store_add_thread (fixture);
  none = baton_store_messages_last_whatsapp_inbound (fixture->store, "cnv_1", &channel_id,
                                                     &wa_id, &user_id, &error);
  g_assert_no_error (error);
  g_assert_null (none);
  insert_message (fixture, "msg_1", BATON_MESSAGE_INBOUND, "contact", "wamid.1");
  insert_message (fixture, "msg_2", BATON_MESSAGE_INBOUND, "contact", "wamid.2");
  insert_message (fixture, "msg_3", BATON_MESSAGE_INBOUND, "system", "wamid.3");
  insert_message (fixture, "msg_4", BATON_MESSAGE_OUTBOUND, "agent", "wamid.4");
  insert_message (fixture, "msg_5", BATON_MESSAGE_INBOUND, "contact", NULL);
  wamid = baton_store_messages_last_whatsapp_inbound (fixture->store, "cnv_1", &channel_id,
                                                      &wa_id, &user_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wamid, ==, "wamid.2");
  g_assert_cmpstr (channel_id, ==, "chn_1");
  g_assert_cmpstr (wa_id, ==, "331");
  g_assert_null (user_id);
}

static gboolean
insert_reply (BatonTestStore  *fixture,
              const char      *id,
              const char      *author_id,
              const char      *client_id,
              GError         **error)
{
  BatonMessageRow row = {
    .id = id,
    .conversation_id = "cnv_1",
    .channel_id = "chn_1",
    .kind = BATON_MESSAGE_OUTBOUND,
    .author_type = "agent",
    .author_id = author_id,
    .author_name = "Agent",
    .body = "On its way",
    .status = "sent",
    .created_at = 1000,
    .client_id = client_id,
  };

  return baton_store_messages_insert (fixture->store, &row, error);
}

/* a reply found by its author and client_id; the pair is unique, NULL ids are not */
static void
test_client_id (BatonTestStore *fixture,
                gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonMessage) found = NULL;
  g_autoptr(BatonMessage) none = NULL;

  baton_test_store_add_thread (fixture);
  g_assert_true (insert_reply (fixture, "msg_1", "agt_1", "c-1", &error));
  g_assert_true (insert_reply (fixture, "msg_2", "agt_2", "c-1", &error));
  g_assert_true (insert_reply (fixture, "msg_3", "agt_1", NULL, &error));
  g_assert_true (insert_reply (fixture, "msg_4", "agt_1", NULL, &error));
  g_assert_no_error (error);
  found = baton_store_messages_find_client_id (fixture->store, "agt_1", "c-1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->id, ==, "msg_1");
  g_assert_cmpstr (found->client_id, ==, "c-1");
  g_assert_cmpstr (found->body, ==, "On its way");
  none = baton_store_messages_find_client_id (fixture->store, "agt_1", "c-2", &error);
  g_assert_no_error (error);
  g_assert_null (none);
  /* the index decides between two writers */
  g_assert_false (insert_reply (fixture, "msg_5", "agt_1", "c-1", &error));
  g_assert_error (error, BATON_ERROR, BATON_ERROR_CONFLICT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  baton_test_store_add ("/store/messages/find-external", test_find_external);
  baton_test_store_add ("/store/messages/statuses", test_statuses);
  baton_test_store_add ("/store/messages/reaction-times", test_reaction_times);
  baton_test_store_add ("/store/messages/last-whatsapp-inbound", test_last_whatsapp_inbound);
  baton_test_store_add ("/store/messages/client-id", test_client_id);

  return g_test_run ();
}
