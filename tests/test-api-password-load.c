/* test-api-password-load.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "baton-test-server.h"

/* Many sign-ins at once: Argon2id (64 MiB a check) runs a few at a time, the rest wait in
 * order, and past the waiting line the answer is 503. Each case starts its own batond with
 * the limits it needs. A file of its own: sixty checks take a while on a loaded machine. */

typedef struct {
  guint pending;
  guint statuses[600];
  GPtrArray *retry_after;
} Burst;

static void
burst_answered_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Burst *burst = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              &error);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  guint status = soup_message_get_status (msg);
  const char *retry = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                    "Retry-After");

  g_assert_no_error (error);
  burst->statuses[status]++;
  if (retry)
    g_ptr_array_add (burst->retry_after, g_strdup (retry));
  burst->pending--;
}

/* n logins at once (the odd ones for unknown emails, so wrong); waits for every answer. */
static void
login_burst (BatonTestServer *on,
             guint            n,
             Burst           *burst)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 600,
                                                                  "max-conns", n + 1,
                                                                  "max-conns-per-host", n + 1,
                                                                  NULL);
  g_autofree char *url = g_strconcat (on->url, "/api/v1/auth/login", NULL);

  burst->retry_after = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *email = i % 2 ? g_strdup_printf ("nobody%u@example.com", i)
                                     : g_strdup (BATON_TEST_MANAGER_EMAIL);
      g_autofree char *body = baton_test_strdup_printf_json ("{\"email\":%s,\"password\":%s}",
                                                             email, BATON_TEST_PASSWORD);
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL,
                                        burst_answered_cb, burst);
      burst->pending++;
    }
  while (burst->pending > 0)
    g_main_context_iteration (NULL, TRUE);
}

/* batond's peak resident memory so far (VmHWM), in KiB. */
static gint64
peak_kib (BatonTestServer *on)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status",
                                           g_subprocess_get_identifier (on->process));
  g_autofree char *status = NULL;
  const char *line = NULL;

  g_assert_true (g_file_get_contents (path, &status, NULL, NULL));
  line = strstr (status, "VmHWM:");
  g_assert_nonnull (line);
  return g_ascii_strtoll (line + strlen ("VmHWM:"), NULL, 10);
}

/* 60 sign-ins at once, two Argon2id checks (64 MiB each) at a time: every one answered
 * right, and the peak memory stays near two checks' worth instead of sixty's.
 * BATON_TEST_MEMORY_FACTOR scales the ceiling (AddressSanitizer's own overhead). */
static void
test_concurrent_logins (void)
{
  g_autofree char *config = baton_test_write_config ("password-checks=2");
  g_autoptr(BatonTestServer) busy = baton_test_server_new ("--config", config, NULL);
  const char *factor_text = g_getenv ("BATON_TEST_MEMORY_FACTOR");
  double factor = factor_text ? g_ascii_strtod (factor_text, NULL) : 1.0;
  gint64 base = peak_kib (busy);
  gint64 ceiling = 0;
  Burst burst = { 0 };

  login_burst (busy, 60, &burst);
  g_assert_cmpuint (burst.statuses[200], ==, 30);
  g_assert_cmpuint (burst.statuses[401], ==, 30);
  /* the base already held one check (the harness signed in); room for the bound plus one */
  ceiling = (gint64) ((base + 3 * 64 * 1024) * MAX (factor, 1.0));
  g_test_message ("peak %" G_GINT64_FORMAT " KiB, base %" G_GINT64_FORMAT " KiB, ceiling %"
                  G_GINT64_FORMAT " KiB", peak_kib (busy), base, ceiling);
  g_assert_cmpint (peak_kib (busy), <, ceiling);
  g_assert_cmpint (baton_test_get_metric (busy, "baton_password_checks_in_flight"), ==, 0);
  g_assert_cmpint (baton_test_get_metric (busy, "baton_password_checks_queued"), ==, 0);
  g_ptr_array_unref (burst.retry_after);
  g_unlink (config);
}

/* One check at a time and two waiting: the rest of a burst is 503 with Retry-After. */
static void
test_busy (void)
{
  g_autofree char *config = baton_test_write_config ("password-checks=1\npassword-queue=2");
  g_autoptr(BatonTestServer) busy = baton_test_server_new ("--config", config, NULL);
  Burst burst = { 0 };

  login_burst (busy, 12, &burst);
  g_assert_cmpuint (burst.statuses[503], >, 0);
  g_assert_cmpuint (burst.statuses[200] + burst.statuses[401] + burst.statuses[503], ==, 12);
  g_assert_cmpuint (burst.retry_after->len, ==, burst.statuses[503]);
  for (guint i = 0; i < burst.retry_after->len; i++)
    g_assert_cmpint (g_ascii_strtoll (burst.retry_after->pdata[i], NULL, 10), >, 0);
  g_ptr_array_unref (burst.retry_after);
  g_unlink (config);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/password-load/concurrent-logins", test_concurrent_logins);
  g_test_add_func ("/password-load/busy", test_busy);

  return g_test_run ();
}
