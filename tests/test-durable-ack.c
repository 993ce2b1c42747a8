/* test-durable-ack.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A change is acknowledged only once the disk has it: batond runs with a preloaded
 * fdatasync (baton-test-sync-gate.c) that the tests hold or make fail.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "baton-test-helpers.h"

#define APP_SECRET "durable-ack-app-secret"
#define NUMBER_ID "109876543210001"
#define HELD 10
#define KILL_BURST 200
#define KILL_AFTER 100

static BatonTestServer *server;
static char *gate_dir;
static char *api_channel;
static char *api_secret;
static guint next_number;

/* Helpers */

static void
gate_set (const char *suffix,
          gboolean    on)
{
  g_autofree char *path = g_strdup_printf ("%s/sync.%s", gate_dir, suffix);

  if (on)
    g_assert_true (g_file_set_contents (path, "", 0, NULL));
  else
    g_assert_cmpint (g_unlink (path), ==, 0);
}

/* A text from a new customer number, signed; *wa_id is the customer's number. */
static char *
webhook_body (char **wa_id)
{
  guint number = ++next_number;
  g_autofree char *wamid = g_strdup_printf ("wamid.DURABLE%06u", number);

  *wa_id = g_strdup_printf ("4477009%05u", number);
  return baton_test_text_webhook (NUMBER_ID, *wa_id, wamid, 1795339800,
                                  "Is my order on its way?");
}

typedef struct {
  guint answered;
  guint acknowledged;
} Tally;

typedef struct {
  Tally *tally;
  SoupMessage *msg;
  char *wa_id;
  guint status;
} Posting;

static void
posting_free (Posting *posting)
{
  g_clear_object (&posting->msg);
  g_free (posting->wa_id);
  g_free (posting);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Posting, posting_free)

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Posting *posting = user_data;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              NULL);

  posting->tally->answered++;
  /* a request the kill cut short was never acknowledged */
  if (body == NULL)
    return;
  posting->status = soup_message_get_status (posting->msg);
  if (SOUP_STATUS_IS_SUCCESSFUL (posting->status))
    posting->tally->acknowledged++;
}

static Posting *
post_async (SoupSession *session,
            Tally       *tally,
            const char  *path,
            const char  *header,
            const char  *value,
            const char  *body)
{
  g_autofree char *url = g_strconcat (server->url, path, NULL);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  Posting *posting = g_new0 (Posting, 1);

  posting->tally = tally;
  posting->msg = soup_message_new ("POST", url);
  soup_message_headers_replace (soup_message_get_request_headers (posting->msg), header, value);
  soup_message_set_request_body_from_bytes (posting->msg, "application/json", bytes);
  soup_session_send_and_read_async (session, posting->msg, G_PRIORITY_DEFAULT, NULL, sent_cb,
                                    posting);
  return posting;
}

static Posting *
post_webhook_async (SoupSession *session,
                    Tally       *tally)
{
  g_autofree char *wa_id = NULL;
  g_autofree char *body = webhook_body (&wa_id);
  g_autofree char *signature = baton_test_webhook_signature (APP_SECRET, body, strlen (body));
  Posting *posting = post_async (session, tally, "/webhooks/whatsapp", "X-Hub-Signature-256",
                                 signature, body);

  posting->wa_id = g_steal_pointer (&wa_id);
  return posting;
}

static Posting *
post_inbound_async (SoupSession *session,
                    Tally       *tally)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/channels/%s/inbound", api_channel);
  g_autofree char *phone = g_strdup_printf ("+1777200%04u", ++next_number);
  g_autofree char *body = baton_test_strdup_printf_json ("{\"from\":%s,\"body\":\"Hello\"}",
                                                         phone);

  return post_async (session, tally, path, "X-Baton-Channel-Secret", api_secret, body);
}

static gboolean
set_flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
iterate_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_flag_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Tests */

/* While the disk does not confirm, webhooks and api messages are committed but not answered
 * (GETs are); once it does, they are all answered, sharing the syncs. */
static void
test_held_until_synced (void)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("max-conns", 64,
                                                                 "max-conns-per-host", 64,
                                                                 "timeout", 60, NULL);
  Posting *postings[2 * HELD];
  Tally tally = { 0 };
  g_autoptr(JsonNode) channel = NULL;
  gint64 syncs_before;

  gate_set ("hold", TRUE);
  for (guint i = 0; i < HELD; i++)
    {
      postings[2 * i] = post_webhook_async (session, &tally);
      postings[2 * i + 1] = post_inbound_async (session, &tally);
    }
  /* all committed, all waiting; the first sync is held */
  baton_test_wait_metric (server, "baton_store_sync_waiting", 2 * HELD, 60000);
  syncs_before = baton_test_get_metric (server, "baton_store_syncs_total");
  channel = baton_test_get (server, "/api/v1/channels");
  iterate_for (300);
  g_assert_cmpuint (tally.answered, ==, 0);

  gate_set ("hold", FALSE);
  while (tally.answered < 2 * HELD)
    g_main_context_iteration (NULL, TRUE);
  for (guint i = 0; i < 2 * HELD; i++)
    {
      g_assert_cmpuint (postings[i]->status, ==, i % 2 ? 202 : 200);
      posting_free (postings[i]);
    }
  /* the held sync, then one for all the others */
  g_assert_cmpint (baton_test_get_metric (server, "baton_store_syncs_total"), <=,
                   syncs_before + 1);
  g_assert_cmpint (baton_test_get_metric (server, "baton_store_sync_waiting"), ==, 0);
}

/* A failed sync is 503, never an acknowledgement, for any change; reading goes on. */
static void
test_failed_sync (void)
{
  g_autofree char *wa_id = NULL;
  g_autofree char *body = webhook_body (&wa_id);
  g_autofree char *signature = baton_test_webhook_signature (APP_SECRET, body, strlen (body));
  const char *inbound = "{\"from\":\"+17772009999\",\"body\":\"Hi\","
                        "\"external_id\":\"failed-sync-1\"}";
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(JsonNode) team = NULL;
  g_autoptr(JsonNode) channel = NULL;
  g_autoptr(JsonNode) again = NULL;

  gate_set ("fail", TRUE);
  g_assert_cmpuint (baton_test_post_webhook (server, bytes, signature), ==, 503);
  refused = baton_test_inbound_expect (server, api_channel, api_secret, inbound, 503,
                                       "unavailable");
  team = baton_test_expect (server, "POST", "/api/v1/teams", server->manager_token,
                            "{\"name\":\"Unsynced\"}", 503, "unavailable");
  channel = baton_test_get (server, "/api/v1/channels");
  gate_set ("fail", FALSE);

  /* sent again, as a sender does after a 503: the message was committed, so it is known */
  g_assert_cmpuint (baton_test_post_webhook (server, bytes, signature), ==, 200);
  again = baton_test_inbound_expect (server, api_channel, api_secret, inbound, 200, NULL);
}

/* SIGKILL right after a burst of acknowledged webhooks: every one is processed after the
 * restart. */
static void
test_kill_after_acks (void)
{
  SoupSession *sessions[4];
  Posting *postings[KILL_BURST];
  Tally tally = { 0 };
  gboolean killed = FALSE;

  for (guint s = 0; s < G_N_ELEMENTS (sessions); s++)
    sessions[s] = soup_session_new_with_options ("max-conns-per-host", 8, "timeout", 60, NULL);
  for (guint i = 0; i < KILL_BURST; i++)
    postings[i] = post_webhook_async (sessions[i % G_N_ELEMENTS (sessions)], &tally);
  while (tally.answered < KILL_BURST)
    {
      g_main_context_iteration (NULL, TRUE);
      if (!killed && tally.acknowledged >= KILL_AFTER)
        {
          baton_test_server_kill (server);
          killed = TRUE;
        }
    }
  for (guint s = 0; s < G_N_ELEMENTS (sessions); s++)
    g_object_unref (sessions[s]);
  g_assert_true (killed);
  g_test_message ("%u of %u acknowledged", tally.acknowledged, KILL_BURST);
  baton_test_server_start (server);
  baton_test_whatsapp_settle (server);

  for (guint i = 0; i < KILL_BURST; i++)
    {
      g_autoptr(Posting) posting = postings[i];
      g_autoptr(JsonNode) list = NULL;

      if (posting->status != 200)
        continue;
      list = baton_test_get (server, "/api/v1/conversations?q=%%2B%s", posting->wa_id);
      g_assert_cmpint (baton_test_get_int (list, "items.#"), ==, 1);
    }
}

static void
create_channels (void)
{
  g_autoptr(JsonNode) channel = NULL;

  channel = baton_test_expect (server, "POST", "/api/v1/channels", server->manager_token,
                               "{\"kind\":\"whatsapp\",\"name\":\"Durable\","
                               "\"phone_number_id\":\"" NUMBER_ID "\","
                               "\"display_phone_number\":\"15550000000\","
                               "\"waba_id\":\"200000000000001\",\"access_token\":\"t\","
                               "\"verify_token\":\"v\","
                               "\"app_secret\":\"" APP_SECRET "\"}", 201, NULL);
  api_channel = baton_test_create_channel (server, NULL, &api_secret);
}

/* batond runs with the gate preloaded (AddressSanitizer then may not come first). */
static void
preload_gate (void)
{
  const char *asan = g_getenv ("ASAN_OPTIONS");
  g_autofree char *gate = NULL;
  g_autofree char *asan_options = NULL;

  gate_dir = g_dir_make_tmp ("baton-durable-ack-XXXXXX", NULL);
  g_assert_nonnull (gate_dir);
  gate = g_build_filename (gate_dir, "sync", NULL);
  g_setenv ("BATON_TEST_SYNC_GATE", gate, TRUE);
  g_setenv ("LD_PRELOAD", g_getenv ("BATON_TEST_SYNC_GATE_LIBRARY"), TRUE);
  asan_options = g_strdup_printf ("%s%sverify_asan_link_order=0", asan ? asan : "",
                                  asan ? ":" : "");
  g_setenv ("ASAN_OPTIONS", asan_options, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  preload_gate ();
  server = baton_test_server_new (NULL);
  create_channels ();

  g_test_add_func ("/durable-ack/held-until-synced", test_held_until_synced);
  g_test_add_func ("/durable-ack/failed-sync", test_failed_sync);
  g_test_add_func ("/durable-ack/kill-after-acks", test_kill_after_acks);

  status = baton_test_run (server);
  g_rmdir (gate_dir);
  g_free (gate_dir);
  g_free (api_channel);
  g_free (api_secret);
  return status;
}
