/* test-domain-whatsapp.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-test-store.h"
#include "baton-workspace.h"

/* The WhatsApp updates of the domain in process (REFERENCE.md, corpus 17 and the reactions):
 * what one update changes, what it publishes, and that a replayed or unknown one changes and
 * publishes nothing. test-whatsapp-corpus checks the same through signed webhooks. */

#define WA_ID "33612345678"
#define NEW_WA_ID "33687654321"

typedef struct {
  BatonTestStore store;
  BatonClock *clock;
  BatonWorkspace *workspace;
  GPtrArray *events;
  char *channel_id;
  char *conversation_id;
} Fixture;

static void
event_cb (BatonWorkspace *workspace,
          BatonEvent     *event,
          Fixture        *fixture)
{
  g_ptr_array_add (fixture->events, g_strdup (event->type));
}

/* a WhatsApp number, and a customer who wrote on it */
static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(BatonWhatsappChannel) whatsapp = g_new0 (BatonWhatsappChannel, 1);
  BatonChannelPatch patch = { .kind = "whatsapp", .name = "Support line" };
  BatonInbound inbound = { .from = "+" WA_ID, .name = "Chloé", .body = "Bonjour",
                           .external_id = "wamid.IN1", .wa_id = WA_ID,
                           .opens_window = TRUE };
  g_autoptr(JsonNode) channel = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message_id = NULL;
  gboolean duplicate = TRUE;

  baton_test_store_setup (&fixture->store, data);
  fixture->clock = baton_clock_new_test (1767225600000);
  fixture->workspace = baton_workspace_new (fixture->store.store, fixture->clock);
  fixture->events = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (fixture->workspace, "event", G_CALLBACK (event_cb), fixture);

  whatsapp->phone_number_id = g_strdup ("100200300");
  whatsapp->display_phone_number = g_strdup ("+31 20 000 0000");
  whatsapp->waba_id = g_strdup ("900800700");
  whatsapp->graph_base_url = g_strdup (BATON_WHATSAPP_GRAPH_DEFAULT_BASE_URL);
  whatsapp->access_token = g_strdup ("token");
  whatsapp->app_secret = g_strdup ("secret");
  whatsapp->verify_token = g_strdup ("verify");
  channel = baton_workspace_create_channel (fixture->workspace, &patch, whatsapp, &error);
  g_assert_no_error (error);
  fixture->channel_id = g_strdup (json_object_get_string_member (json_node_get_object (channel),
                                                                 "id"));
  inbound.sent_at = baton_clock_now_ms (fixture->clock);
  g_assert_true (baton_workspace_receive (fixture->workspace, fixture->channel_id, &inbound,
                                          &message_id, &fixture->conversation_id, &duplicate,
                                          &error));
  g_assert_no_error (error);
  g_assert_false (duplicate);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->workspace);
  g_clear_object (&fixture->clock);
  g_clear_pointer (&fixture->events, g_ptr_array_unref);
  g_clear_pointer (&fixture->channel_id, g_free);
  g_clear_pointer (&fixture->conversation_id, g_free);
  baton_test_store_teardown (&fixture->store, data);
}

static BatonConversation *
load_conversation (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  BatonConversation *conversation = NULL;

  conversation = baton_workspace_load_conversation (fixture->workspace,
                                                    fixture->conversation_id, &error);
  g_assert_no_error (error);
  return conversation;
}

static gboolean
has_event (Fixture    *fixture,
           guint       from,
           const char *type)
{
  for (guint i = from; i < fixture->events->len; i++)
    if (g_str_equal (fixture->events->pdata[i], type))
      return TRUE;
  return FALSE;
}

/* A new number (corpus 17): the thread gets the notice the way every message is written (its
 * preview, activity_at, a new version, events), the contact its new number; the same
 * notice again changes nothing. */
static void
test_number_change (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(BatonConversation) before = load_conversation (fixture);
  g_autoptr(BatonConversation) after = NULL;
  g_autoptr(BatonConversation) again = NULL;
  g_autoptr(BatonContact) contact = NULL;
  g_autoptr(GError) error = NULL;
  gint64 at = 0;
  guint n_events = 0;

  baton_clock_advance (fixture->clock, 60 * 1000);
  at = baton_clock_now_ms (fixture->clock);
  n_events = fixture->events->len;
  g_assert_true (baton_workspace_whatsapp_number_changed (fixture->workspace,
                                                          fixture->channel_id, WA_ID,
                                                          NEW_WA_ID, "wamid.NC1", at, &error));
  g_assert_no_error (error);
  after = load_conversation (fixture);
  g_assert_cmpint (after->version, >, before->version);
  /* the test clock runs on in real time: at least when the notice came */
  g_assert_cmpint (after->activity_at, >=, at);
  g_assert_cmpint (after->activity_at, >, before->activity_at);
  g_assert_nonnull (strstr (after->last_preview, "changed their number"));
  g_assert_true (has_event (fixture, n_events, "message.created"));
  g_assert_true (has_event (fixture, n_events, "conversation.updated"));
  g_assert_true (has_event (fixture, n_events, "contact.updated"));
  contact = baton_workspace_load_contact (fixture->workspace, after->contact_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contact->phone, ==, "+" NEW_WA_ID);

  n_events = fixture->events->len;
  g_assert_true (baton_workspace_whatsapp_number_changed (fixture->workspace,
                                                          fixture->channel_id, WA_ID,
                                                          NEW_WA_ID, "wamid.NC1", at, &error));
  g_assert_no_error (error);
  again = load_conversation (fixture);
  g_assert_cmpint (again->version, ==, after->version);
  g_assert_cmpuint (fixture->events->len, ==, n_events);
}

/* A number change of somebody unknown is no change at all. */
static void
test_number_change_unknown (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint n_events = fixture->events->len;

  g_assert_true (baton_workspace_whatsapp_number_changed (fixture->workspace,
                                                          fixture->channel_id, "4915100000",
                                                          "4915111111", "wamid.NC2",
                                                          baton_clock_now_ms (fixture->clock),
                                                          &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->events->len, ==, n_events);
}

/* A reaction updates its message; an older reaction event of the same person (a replayed
 * webhook) does not undo it. */
static void
test_reaction_order (Fixture       *fixture,
                     gconstpointer  data)
{
  BatonWhatsappSender sender = { .wa_id = WA_ID, .name = "Chloé" };
  g_autoptr(GError) error = NULL;
  gint64 now = baton_clock_now_ms (fixture->clock);
  guint n_events = fixture->events->len;

  g_assert_true (baton_workspace_whatsapp_react (fixture->workspace, fixture->channel_id,
                                                 &sender, "wamid.IN1", "👍", now, &error));
  g_assert_no_error (error);
  g_assert_true (has_event (fixture, n_events, "message.updated"));

  n_events = fixture->events->len;
  g_assert_true (baton_workspace_whatsapp_react (fixture->workspace, fixture->channel_id,
                                                 &sender, "wamid.IN1", "❤️", now - 1000,
                                                 &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->events->len, ==, n_events);

  /* a reaction to a message nobody has is dropped */
  g_assert_true (baton_workspace_whatsapp_react (fixture->workspace, fixture->channel_id,
                                                 &sender, "wamid.UNKNOWN", "👍", now + 1000,
                                                 &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->events->len, ==, n_events);
}

/* A delivery status of a message that is not ours is not known, and changes nothing. */
static void
test_status_unknown (Fixture       *fixture,
                     gconstpointer  data)
{
  BatonWaStatus status = { .wamid = "wamid.ELSEWHERE", .status = "delivered",
                           .timestamp = baton_clock_now_ms (fixture->clock) / 1000 };
  g_autoptr(GError) error = NULL;
  guint n_events = fixture->events->len;
  gboolean known = TRUE;

  g_assert_true (baton_workspace_whatsapp_status (fixture->workspace, fixture->channel_id,
                                                  &status, &known, &error));
  g_assert_no_error (error);
  g_assert_false (known);
  g_assert_cmpuint (fixture->events->len, ==, n_events);

  /* nor is a status of the customer's own message */
  status.wamid = "wamid.IN1";
  g_assert_true (baton_workspace_whatsapp_status (fixture->workspace, fixture->channel_id,
                                                  &status, &known, &error));
  g_assert_no_error (error);
  g_assert_false (known);
  g_assert_cmpuint (fixture->events->len, ==, n_events);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ((path), Fixture, NULL, fixture_setup, (func), fixture_teardown)
  ADD ("/domain/whatsapp/number-change", test_number_change);
  ADD ("/domain/whatsapp/number-change-unknown", test_number_change_unknown);
  ADD ("/domain/whatsapp/reaction-order", test_reaction_order);
  ADD ("/domain/whatsapp/status-unknown", test_status_unknown);
#undef ADD

  return g_test_run ();
}
