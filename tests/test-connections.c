/* test-connections.c: batond's connections from the outside, over raw sockets: running out
 * of descriptors, idle and slow clients, keep-alive, oversized request heads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "baton-test-helpers.h"

static guint16
server_port (BatonTestServer *server)
{
  g_autoptr(GUri) uri = g_uri_parse (server->url, G_URI_FLAGS_NONE, NULL);

  g_assert_nonnull (uri);
  return (guint16) g_uri_get_port (uri);
}

/* A plain TCP connection to batond, reads timing out after timeout_ms. */
static int
connect_raw (BatonTestServer *server,
             guint            timeout_ms)
{
  struct sockaddr_in address = { .sin_family = AF_INET };
  struct timeval timeout = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  address.sin_port = g_htons (server_port (server));
  address.sin_addr.s_addr = g_htonl (INADDR_LOOPBACK);
  g_assert_cmpint (connect (fd, (struct sockaddr *) &address, sizeof address), ==, 0);
  setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  return fd;
}

static void
send_all (int         fd,
          const char *data,
          gsize       length)
{
  while (length > 0)
    {
      gssize n = send (fd, data, length, MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return;
      data += n;
      length -= (gsize) n;
    }
}

static void
send_text (int         fd,
           const char *text)
{
  send_all (fd, text, strlen (text));
}

/* One whole answer (head and Content-Length body), or what came before the end, or NULL
 * when nothing came in time. */
static char *
read_answer (int fd)
{
  GString *answer = g_string_new (NULL);
  char buffer[4096];

  for (;;)
    {
      const char *end = strstr (answer->str, "\r\n\r\n");
      const char *length = strstr (answer->str, "Content-Length: ");
      gssize n;

      if (end && (length == NULL || length > end
                  || answer->len >= (gsize) (end + 4 - answer->str) + atoi (length + 16)))
        break;
      n = recv (fd, buffer, sizeof buffer, 0);
      if (n <= 0)
        break;
      g_string_append_len (answer, buffer, n);
    }
  if (answer->len == 0)
    {
      g_string_free (answer, TRUE);
      return NULL;
    }
  return g_string_free (answer, FALSE);
}

/* TRUE when batond closed the connection (end of input or a reset) before the time-out. */
static gboolean
closed_by_server (int fd)
{
  char buffer[256];

  for (;;)
    {
      gssize n = recv (fd, buffer, sizeof buffer, 0);

      if (n == 0 || (n < 0 && errno == ECONNRESET))
        return TRUE;
      if (n < 0)
        return FALSE;
    }
}

static char *
request_text (const char *method,
              const char *path,
              const char *token)
{
  g_autofree char *authorization = token ? g_strdup_printf ("Authorization: Bearer %s\r\n",
                                                            token)
                                         : g_strdup ("");

  return g_strdup_printf ("%s %s HTTP/1.1\r\nHost: batond\r\n%sContent-Length: 0\r\n\r\n",
                          method, path, authorization);
}

static void
assert_healthy (BatonTestServer *server)
{
  g_autoptr(JsonNode) health = baton_test_expect (server, "GET", "/healthz", NULL, NULL, 200,
                                                  NULL);
}

/* Waits until batond has let go of all but `open` connections (besides the one asking). */
static void
assert_connections_settle (BatonTestServer *server,
                           gint64           open)
{
  gint64 now = 0;

  for (guint i = 0; i < 100; i++)
    {
      now = baton_test_get_metric (server, "baton_connections");
      if (now <= open + 1)
        break;
      g_usleep (50 * 1000);
    }
  g_assert_cmpint (now, <=, open + 1);
}

static BatonTestServer *
server_with_config (const char *config_text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("batond-XXXXXX.conf", &path, &error);
  BatonTestServer *server;

  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, config_text, -1, &error);
  g_assert_no_error (error);
  server = baton_test_server_new ("--config", path, NULL);
  g_unlink (path);
  return server;
}

/* 1,100 idle connections used to stop batond accepting for good once descriptors ran out.
 * With 64 descriptors, 114 connections that send nothing: batond keeps answering while they
 * are open and after they close. */
static void
test_descriptors_run_out (void)
{
  g_autoptr(BatonTestServer) server = baton_test_server_new (NULL, NULL);
  int idle[114];

  baton_test_server_stop (server);
  server->descriptor_limit = 64;
  baton_test_server_start (server);

  for (guint i = 0; i < G_N_ELEMENTS (idle); i++)
    idle[i] = connect_raw (server, 2000);
  assert_healthy (server);
  g_assert_cmpint (baton_test_get_metric (server, "baton_connections_max"), <, 64);
  for (guint i = 0; i < G_N_ELEMENTS (idle); i++)
    close (idle[i]);
  assert_healthy (server);
  assert_connections_settle (server, 0);

  /* and again, now that every descriptor came back */
  for (guint i = 0; i < G_N_ELEMENTS (idle); i++)
    idle[i] = connect_raw (server, 2000);
  assert_healthy (server);
  for (guint i = 0; i < G_N_ELEMENTS (idle); i++)
    close (idle[i]);
  assert_healthy (server);
}

/* A connection that never sends a request is closed after idle-timeout; one kept alive
 * after an answer too. */
static void
test_idle_closed (void)
{
  g_autoptr(BatonTestServer) server = server_with_config ("[batond]\nidle-timeout=1\n");
  g_autofree char *request = request_text ("GET", "/healthz", NULL);
  g_autofree char *answer = NULL;
  int silent = connect_raw (server, 10000);
  int kept = connect_raw (server, 10000);
  gint64 started = g_get_monotonic_time ();

  send_text (kept, request);
  answer = read_answer (kept);
  g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 200"));
  g_assert_true (closed_by_server (silent));
  g_assert_true (closed_by_server (kept));
  g_assert_cmpint (g_get_monotonic_time () - started, <, 9 * G_USEC_PER_SEC);
  g_assert_cmpint (baton_test_get_metric (server,
                                          "baton_connections_closed_total{reason=\"idle\"}"),
                   >=, 2);
  close (silent);
  close (kept);
}

/* Slowloris: a request head sent a byte at a time is cut off after request-timeout, while
 * every byte arrives well within the idle time-out. */
static void
test_slow_request_closed (void)
{
  g_autoptr(BatonTestServer) server = server_with_config ("[batond]\nrequest-timeout=1\n");
  const char *head = "GET /healthz HTTP/1.1\r\nHost: batond\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaa";
  int fd = connect_raw (server, 10000);
  gboolean closed = FALSE;

  for (const char *c = head; *c && !closed; c++)
    {
      char buffer[64];

      if (send (fd, c, 1, MSG_NOSIGNAL) != 1)
        closed = TRUE;
      else if (recv (fd, buffer, sizeof buffer, MSG_DONTWAIT) == 0)
        closed = TRUE;
      g_usleep (150 * 1000);
    }
  g_assert_true (closed || closed_by_server (fd));
  g_assert_cmpint (baton_test_get_metric (server,
                                          "baton_connections_closed_total{reason=\"slow\"}"),
                   ==, 1);
  close (fd);
  assert_healthy (server);
}

/* A connection kept alive after an answer and then closed by the client is let go of
 * (libsoup 3.2 alone keeps it, and its descriptor, for ever). */
static void
test_kept_alive_released (void)
{
  g_autoptr(BatonTestServer) server = baton_test_server_new (NULL, NULL);
  g_autofree char *request = request_text ("GET", "/healthz", NULL);

  for (guint i = 0; i < 50; i++)
    {
      int fd = connect_raw (server, 5000);
      g_autofree char *answer = NULL;

      send_text (fd, request);
      answer = read_answer (fd);
      g_assert_true (g_str_has_prefix (answer, "HTTP/1.1 200"));
      if (i % 2)
        shutdown (fd, SHUT_WR);
      close (fd);
    }
  assert_connections_settle (server, 0);
}

/* A 204 keeps the connection open (it used to close it without saying so). */
static void
test_no_content_keeps_alive (void)
{
  g_autoptr(BatonTestServer) server = baton_test_server_new (NULL, NULL);
  g_autofree char *token = baton_test_login (server, BATON_TEST_MANAGER_EMAIL,
                                             BATON_TEST_PASSWORD);
  g_autofree char *logout = request_text ("POST", "/api/v1/auth/logout", token);
  g_autofree char *health = request_text ("GET", "/healthz", NULL);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  int fd = connect_raw (server, 5000);

  send_text (fd, logout);
  first = read_answer (fd);
  g_assert_true (g_str_has_prefix (first, "HTTP/1.1 204"));
  g_assert_null (strstr (first, "Connection: close"));
  send_text (fd, health);
  second = read_answer (fd);
  g_assert_nonnull (second);
  g_assert_true (g_str_has_prefix (second, "HTTP/1.1 200"));
  close (fd);
}

static void
assert_refused_head (BatonTestServer *server,
                     const char      *head,
                     const char      *status_line,
                     const char      *code)
{
  g_autofree char *answer = NULL;
  int fd = connect_raw (server, 5000);

  send_text (fd, head);
  answer = read_answer (fd);
  g_assert_nonnull (answer);
  g_assert_true (g_str_has_prefix (answer, status_line));
  g_assert_nonnull (strstr (answer, code));
  close (fd);
}

/* Request lines and heads of 64 KiB and more get 414 and 431 (they got a reset). */
static void
test_oversized_heads (void)
{
  g_autoptr(BatonTestServer) server = baton_test_server_new (NULL, NULL);
  g_autofree char *long_path = g_strnfill (64 * 1024, 'a');
  g_autofree char *long_value = g_strnfill (64 * 1024, 'b');
  g_autofree char *many = NULL;
  g_autofree char *long_line = g_strdup_printf ("GET /%s HTTP/1.1\r\nHost: batond\r\n\r\n",
                                                long_path);
  g_autofree char *long_header = g_strdup_printf ("GET /healthz HTTP/1.1\r\nHost: batond\r\n"
                                                  "X-Big: %s\r\n\r\n", long_value);
  GString *headers = g_string_new ("GET /healthz HTTP/1.1\r\nHost: batond\r\n");

  for (guint i = 0; i < 4000; i++)
    g_string_append_printf (headers, "X-Header-%u: some value\r\n", i);
  g_string_append (headers, "\r\n");
  many = g_string_free (headers, FALSE);

  assert_refused_head (server, long_line, "HTTP/1.1 414", "\"uri_too_long\"");
  assert_refused_head (server, long_header, "HTTP/1.1 431", "\"headers_too_large\"");
  assert_refused_head (server, many, "HTTP/1.1 431", "\"headers_too_large\"");
  assert_healthy (server);
}

/* Raises this process's descriptor limit; returns how many connections it can open. */
static guint
raise_own_limit (guint wanted)
{
  struct rlimit limit;

  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &limit), ==, 0);
  limit.rlim_cur = limit.rlim_max;
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &limit), ==, 0);
  if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur > wanted + 256)
    return wanted;
  return limit.rlim_cur > 512 ? (guint) limit.rlim_cur - 256 : 0;
}

/* 10,000 idle connections, and /healthz still answers at once. */
static void
test_many_idle (void)
{
  g_autoptr(BatonTestServer) server = baton_test_server_new (NULL, NULL);
  /* Under AddressSanitizer (the sanitized run sets ASAN_OPTIONS) every allocation records
   * its stack, and batond accepts some hundred connections a second: the same path is
   * checked with fewer. */
  guint n = raise_own_limit (g_getenv ("ASAN_OPTIONS") ? 2000 : 10000);
  g_autofree int *idle = g_new (int, MAX (n, 1));
  gint64 started;
  gint64 elapsed;

  g_test_message ("%u idle connections", n);
  for (guint i = 0; i < n; i++)
    idle[i] = connect_raw (server, 2000);
  /* answered behind the flood of connections, which batond accepts first */
  started = g_get_monotonic_time ();
  assert_healthy (server);
  g_test_message ("/healthz behind %u new connections: %.1f ms", n,
                  (g_get_monotonic_time () - started) / 1000.0);
  /* the last ones may still wait in the listen queue (for long under AddressSanitizer) */
  for (guint i = 0; i < 600 && baton_test_get_metric (server, "baton_connections") < n; i++)
    g_usleep (100 * 1000);
  g_assert_cmpint (baton_test_get_metric (server, "baton_connections"), >=, n);
  /* and beside them once they are all open: at once, not after a time-out (a bound loose
   * enough for a loaded machine and AddressSanitizer; the figure is in the log) */
  started = g_get_monotonic_time ();
  assert_healthy (server);
  elapsed = g_get_monotonic_time () - started;
  g_test_message ("/healthz beside %u open idle connections: %.1f ms", n, elapsed / 1000.0);
  g_assert_cmpint (elapsed, <, 5 * G_USEC_PER_SEC);
  for (guint i = 0; i < n; i++)
    close (idle[i]);
  assert_connections_settle (server, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/connections/descriptors-run-out", test_descriptors_run_out);
  g_test_add_func ("/connections/idle-closed", test_idle_closed);
  g_test_add_func ("/connections/slow-request-closed", test_slow_request_closed);
  g_test_add_func ("/connections/kept-alive-released", test_kept_alive_released);
  g_test_add_func ("/connections/no-content-keeps-alive", test_no_content_keeps_alive);
  g_test_add_func ("/connections/oversized-heads", test_oversized_heads);
  g_test_add_func ("/connections/many-idle", test_many_idle);

  return g_test_run ();
}
