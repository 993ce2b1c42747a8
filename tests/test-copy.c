/* test-copy.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "baton-test-helpers.h"
#include "baton-test-postgres.h"
#include "baton-test-server.h"

/* batond copy: a SQLite workspace moved into PostgreSQL answers as before. */

/* what a client reads of the workspace (presence aside: streams end with the server) */
static const char *const lists[] = {
  "/api/v1/conversations?limit=100",
  "/api/v1/conversations?status=resolved",
  "/api/v1/conversations?q=refund",
  "/api/v1/contacts",
  "/api/v1/contacts?q=Lopez",
  "/api/v1/teams",
  "/api/v1/channels",
  "/api/v1/settings",
  "/api/v1/replies",
  "/api/v1/flows",
  "/api/v1/schedules",
  NULL,
};

static GPtrArray *
read_lists (BatonTestServer *server)
{
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; lists[i]; i++)
    {
      g_autoptr(JsonNode) node = baton_test_get (server, "%s", lists[i]);

      g_ptr_array_add (texts, json_to_string (node, FALSE));
    }
  return texts;
}

/* The event frames from the start up to a barrier, as text. */
static GPtrArray *
read_events (BatonTestServer *server)
{
  BatonTestStream *stream = baton_test_stream_open (server, server->manager_token, "0", NULL);
  g_autofree char *barrier = baton_test_barrier (server);
  g_autoptr(GPtrArray) frames = baton_test_stream_until_barrier (stream, barrier, 10000);
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);

  /* the barrier itself is the server's own */
  for (guint i = 0; i + 1 < frames->len; i++)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), frames->pdata[i]);

      g_ptr_array_add (texts, json_to_string (node, FALSE));
    }
  baton_test_stream_close (stream);
  return texts;
}

static void
populate (BatonTestServer *server)
{
  g_autofree char *token = NULL;
  g_autofree char *agent = baton_test_new_agent (server, "Copy Carla", "agent", &token);
  g_autofree char *team_body = g_strdup_printf ("{\"name\":\"Copied\",\"strategy\":"
                                                "\"round_robin\",\"member_ids\":[\"%s\"]}",
                                                agent);
  g_autofree char *team = baton_test_create (server, "/api/v1/teams", team_body);
  g_autofree char *extra = g_strdup_printf ("\"default_team_id\":\"%s\"", team);
  g_autofree char *secret = NULL;
  g_autofree char *channel = baton_test_create_channel (server, extra, &secret);
  BatonTestStream *stream = baton_test_stream_open (server, token, NULL, NULL);
  g_autofree char *first = NULL;

  baton_test_wait_online (server, agent);
  first = baton_test_customer_writes (server, channel, secret, "+34600000001", "Ana Lopez",
                                      "I want a refund for my order");
  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *phone = g_strdup_printf ("+3460000010%u", i);
      g_autofree char *text = g_strdup_printf ("Question number %u", i);

      g_free (baton_test_customer_writes (server, channel, secret, phone, NULL, text));
    }
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/messages", first);
    g_autofree char *resolve = g_strdup_printf ("/api/v1/conversations/%s/resolve", first);

    json_node_unref (baton_test_expect (server, "POST", path, token,
                                        "{\"body\":\"Your refund is on its way\"}", 201, NULL));
    json_node_unref (baton_test_expect (server, "POST", resolve, token, NULL, 200, NULL));
  }
  json_node_unref (baton_test_expect (server, "POST", "/api/v1/replies",
                                      server->manager_token,
                                      "{\"shortcut\":\"thanks\",\"title\":\"Thanks\",\"body\":\"Thank you!\"}", 201,
                                      NULL));
  baton_test_stream_close (stream);
}

static int
run_copy (const char  *data_dir,
          const char  *database,
          char       **output)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) copy = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  copy = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                           &error, g_getenv ("BATOND"), "copy", "--from", data_dir, "--to",
                           database, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (copy, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  *output = g_strconcat (out, err, NULL);
  return g_subprocess_get_exit_status (copy);
}

static void
test_round_trip (void)
{
  g_autoptr(BatonTestServer) server = baton_test_server_new (NULL);
  g_autoptr(GPtrArray) lists_before = NULL;
  g_autoptr(GPtrArray) lists_after = NULL;
  g_autoptr(GPtrArray) events_before = NULL;
  g_autoptr(GPtrArray) events_after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *database = NULL;
  g_autofree char *output = NULL;
  g_autofree char *media = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *channel = NULL;
  gint64 last_seq;

  populate (server);
  /* the events first: their barrier is a team, listed after */
  events_before = read_events (server);
  lists_before = read_lists (server);
  last_seq = baton_test_current_seq (server);
  baton_test_server_stop (server);

  database = baton_test_postgres_new_database (NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (run_copy (server->data_dir, database, &output), ==, 0);
  g_assert_nonnull (strstr (output, "Copied"));
  /* a second time the target is not empty: refused, and left as it was */
  g_clear_pointer (&output, g_free);
  g_assert_cmpint (run_copy (server->data_dir, database, &output), !=, 0);
  g_assert_nonnull (strstr (output, "already holds a workspace"));

  media = g_build_filename (server->data_dir, "media", NULL);
  g_ptr_array_add (server->extra_args, g_strdup ("--database"));
  g_ptr_array_add (server->extra_args, g_strdup (database));
  g_ptr_array_add (server->extra_args, g_strdup ("--media-dir"));
  g_ptr_array_add (server->extra_args, g_strdup (media));
  baton_test_server_start (server);

  /* the same answers, the same history with the same seqs */
  lists_after = read_lists (server);
  for (guint i = 0; lists[i]; i++)
    g_assert_cmpstr (lists_after->pdata[i], ==, lists_before->pdata[i]);
  events_after = read_events (server);
  g_assert_cmpuint (events_after->len, >, events_before->len);
  for (guint i = 0; i < events_before->len; i++)
    g_assert_cmpstr (events_after->pdata[i], ==, events_before->pdata[i]);
  /* and new events after them */
  channel = baton_test_create_channel (server, NULL, &secret);
  g_free (baton_test_customer_writes (server, channel, secret, "+34600000999", NULL, "After"));
  g_assert_cmpint (baton_test_current_seq (server), >, last_seq + 1);
}

/* Bad arguments are refused before anything is opened. */
static void
test_refused (void)
{
  g_autofree char *output = NULL;
  g_autofree char *empty = g_dir_make_tmp ("baton-copy-XXXXXX", NULL);

  g_assert_cmpint (run_copy (empty, "postgresql:///nowhere", &output), !=, 0);
  g_assert_nonnull (strstr (output, "holds no workspace"));
  g_clear_pointer (&output, g_free);
  g_assert_cmpint (run_copy (empty, "/var/lib/other", &output), !=, 0);
  g_assert_nonnull (strstr (output, "PostgreSQL URL"));
  g_rmdir (empty);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  if (!baton_test_postgres_available ())
    return 77;
  /* the workspace starts on SQLite, whatever the suite */
  g_unsetenv ("BATON_TEST_STORE");
  g_test_add_func ("/copy/round-trip", test_round_trip);
  g_test_add_func ("/copy/refused", test_refused);
  return g_test_run ();
}
