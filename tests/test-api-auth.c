/* test-api-auth.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "baton-test-helpers.h"

static BatonTestServer *server;

static void
test_login_and_me (void)
{
  g_autofree char *token = baton_test_login (server, "Manager@Example.com ", BATON_TEST_PASSWORD);
  g_autoptr(JsonNode) me = baton_test_expect (server, "GET", "/api/v1/me", token, NULL, 200,
                                              NULL);

  g_assert_cmpstr (baton_test_get_string (me, "email"), ==, BATON_TEST_MANAGER_EMAIL);
  g_assert_cmpstr (baton_test_get_string (me, "role"), ==, "manager");
  g_assert_cmpstr (baton_test_get_string (me, "availability"), ==, "online");
  g_assert_cmpint (strlen (token), >=, 43);
}

static void
test_login_failures (void)
{
  g_autoptr(JsonNode) wrong = NULL;
  g_autoptr(JsonNode) unknown = NULL;
  g_autoptr(JsonNode) missing = NULL;
  g_autoptr(JsonNode) malformed = NULL;

  wrong = baton_test_expect (server, "POST", "/api/v1/auth/login", NULL,
                             "{\"email\":\"" BATON_TEST_MANAGER_EMAIL "\",\"password\":\"nope\"}",
                             401, "unauthorized");
  unknown = baton_test_expect (server, "POST", "/api/v1/auth/login", NULL,
                               "{\"email\":\"ghost@example.com\",\"password\":\"nope\"}",
                               401, "unauthorized");
  /* The same answer for an unknown email and a wrong password. */
  g_assert_cmpstr (baton_test_get_string (wrong, "error.message"), ==,
                   baton_test_get_string (unknown, "error.message"));
  missing = baton_test_expect (server, "POST", "/api/v1/auth/login", NULL,
                               "{\"email\":\"a@b.c\"}", 422, "unprocessable");
  g_assert_cmpstr (baton_test_get_string (missing, "error.field"), ==, "password");
  malformed = baton_test_expect (server, "POST", "/api/v1/auth/login", NULL, "{\"email\":",
                                 400, "bad_request");
}

static void
test_unauthenticated (void)
{
  g_autoptr(JsonNode) none = baton_test_expect (server, "GET", "/api/v1/me", NULL, NULL, 401,
                                                "unauthorized");
  g_autoptr(JsonNode) bad = baton_test_expect (server, "GET", "/api/v1/conversations",
                                               "not-a-token", NULL, 401, "unauthorized");
}

static void
test_logout (void)
{
  g_autofree char *token = baton_test_login (server, BATON_TEST_MANAGER_EMAIL,
                                             BATON_TEST_PASSWORD);
  g_autoptr(JsonNode) before = baton_test_expect (server, "GET", "/api/v1/me", token, NULL, 200,
                                                  NULL);
  g_autoptr(JsonNode) out = baton_test_expect (server, "POST", "/api/v1/auth/logout", token,
                                               NULL, 204, NULL);
  g_autoptr(JsonNode) after = baton_test_expect (server, "GET", "/api/v1/me", token, NULL, 401,
                                                 "unauthorized");
  /* Other sessions stay signed in. */
  g_autoptr(JsonNode) other = baton_test_expect (server, "GET", "/api/v1/me",
                                                 server->manager_token, NULL, 200, NULL);
}

static void
test_availability (void)
{
  g_autoptr(JsonNode) away = baton_test_expect (server, "PUT", "/api/v1/me/availability",
                                                server->manager_token,
                                                "{\"availability\":\"away\"}", 200, NULL);
  g_autoptr(JsonNode) bad = NULL;
  g_autoptr(JsonNode) back = NULL;

  g_assert_cmpstr (baton_test_get_string (away, "availability"), ==, "away");
  bad = baton_test_expect (server, "PUT", "/api/v1/me/availability", server->manager_token,
                           "{\"availability\":\"busy\"}", 422, "unprocessable");
  g_assert_cmpstr (baton_test_get_string (bad, "error.field"), ==, "availability");
  back = baton_test_expect (server, "PUT", "/api/v1/me/availability", server->manager_token,
                            "{\"availability\":\"online\"}", 200, NULL);
}

/* Ten failures for one email make every further attempt 429, even the right password. */
static void
test_throttling (void)
{
  g_autofree char *id = baton_test_create_agent (server, "Throttled Tom", "tom@example.com",
                                                 "agent", NULL);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  const char *retry_after;

  /* Earlier tests' failures from this address must not count. */
  g_clear_pointer (&response, g_bytes_unref);
  {
    g_autoptr(JsonNode) node = baton_test_expect (server, "POST", "/api/v1/test/clock/advance",
                                                  server->manager_token, "{\"seconds\":901}",
                                                  200, NULL);
  }
  for (int i = 0; i < 10; i++)
    {
      g_autoptr(JsonNode) node = baton_test_expect (server, "POST", "/api/v1/auth/login", NULL,
                                                    "{\"email\":\"tom@example.com\","
                                                    "\"password\":\"wrong password\"}",
                                                    401, "unauthorized");
    }
  body = g_bytes_new_static ("{\"email\":\"tom@example.com\",\"password\":\""
                             BATON_TEST_PASSWORD "\"}",
                             strlen ("{\"email\":\"tom@example.com\",\"password\":\""
                                     BATON_TEST_PASSWORD "\"}"));
  msg = baton_test_send_raw (server, "POST", "/api/v1/auth/login", NULL, body, &response);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 429);
  retry_after = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                              "Retry-After");
  g_assert_nonnull (retry_after);
  g_assert_cmpint (g_ascii_strtoll (retry_after, NULL, 10), >, 0);
  g_assert_cmpint (g_ascii_strtoll (retry_after, NULL, 10), <=, 15 * 60);
  {
    g_autoptr(JsonNode) node = NULL;
    /* After the window the right password works again. */
    node = baton_test_expect (server, "POST", "/api/v1/test/clock/advance",
                              server->manager_token, "{\"seconds\":901}", 200, NULL);
  }
  g_free (baton_test_login (server, "tom@example.com", BATON_TEST_PASSWORD));
}

/* Ten failures for an unknown email from one address throttle that email from there, never
 * another account: behind a proxy every client shares the address. */
static void
test_throttle_other_account (void)
{
  g_autofree char *token = NULL;
  g_autofree char *retry = NULL;

  for (int i = 0; i < 10; i++)
    g_assert_cmpuint (baton_test_login_status (server, "unknown@example.com", "wrong password",
                                               NULL, NULL, NULL), ==, 401);
  g_assert_cmpuint (baton_test_login_status (server, "unknown@example.com", "wrong password",
                                             NULL, NULL, &retry), ==, 429);
  g_assert_nonnull (retry);
  g_assert_cmpuint (baton_test_login_status (server, BATON_TEST_MANAGER_EMAIL,
                                             BATON_TEST_PASSWORD, NULL, &token, NULL), ==, 200);
  g_assert_nonnull (token);
}

/* Without trusted proxies X-Forwarded-For is ignored: it cannot dodge the throttle, nor
 * show as the session's address. */
static void
test_forwarded_untrusted (void)
{
  g_autofree char *id = baton_test_create_agent (server, "Xavi Forward", "xavi@example.com",
                                                 "agent", NULL);
  g_autofree char *token = NULL;
  g_autoptr(JsonNode) sessions = NULL;

  for (int i = 0; i < 10; i++)
    g_assert_cmpuint (baton_test_login_status (server, "xavi@example.com", "wrong password",
                                               "198.51.100.1", NULL, NULL), ==, 401);
  g_assert_cmpuint (baton_test_login_status (server, "xavi@example.com", BATON_TEST_PASSWORD,
                                             "198.51.100.2", NULL, NULL), ==, 429);
  g_assert_cmpuint (baton_test_login_status (server, BATON_TEST_MANAGER_EMAIL,
                                             BATON_TEST_PASSWORD, "198.51.100.9", &token, NULL),
                    ==, 200);
  sessions = baton_test_expect (server, "GET", "/api/v1/me/sessions", token, NULL, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (sessions, "items.0.address"), ==, "127.0.0.1");
}

static void
fail_logins (BatonTestServer *on,
             const char      *email,
             const char      *forwarded_for,
             int              count)
{
  for (int i = 0; i < count; i++)
    g_assert_cmpuint (baton_test_login_status (on, email, "wrong password", forwarded_for,
                                               NULL, NULL), ==, 401);
}

/* Behind a trusted proxy the client is the right-most untrusted X-Forwarded-For address:
 * ten failures hold back that account from that client; thirty from anywhere, the account. */
static void
test_forwarded_trusted (void)
{
  g_autofree char *config = baton_test_write_config ("trusted-proxies=127.0.0.1,::1");
  g_autoptr(BatonTestServer) proxied = baton_test_server_new ("--config", config, NULL);
  g_autofree char *id = baton_test_create_agent (proxied, "Tia Proxied", "tia@example.com",
                                                 "agent", NULL);
  g_autofree char *token = NULL;
  g_autofree char *retry = NULL;
  g_autoptr(JsonNode) sessions = NULL;

  g_assert_cmpuint (baton_test_login_status (proxied, "tia@example.com", BATON_TEST_PASSWORD,
                                             "203.0.113.5, 198.51.100.9, 127.0.0.1", &token,
                                             NULL), ==, 200);
  sessions = baton_test_expect (proxied, "GET", "/api/v1/me/sessions", token, NULL, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (sessions, "items.0.address"), ==, "198.51.100.9");

  fail_logins (proxied, "tia@example.com", "198.51.100.1", 10);
  g_assert_cmpuint (baton_test_login_status (proxied, "tia@example.com", BATON_TEST_PASSWORD,
                                             "198.51.100.1", NULL, NULL), ==, 429);
  g_assert_cmpuint (baton_test_login_status (proxied, "tia@example.com", BATON_TEST_PASSWORD,
                                             "198.51.100.2", NULL, NULL), ==, 200);
  fail_logins (proxied, "tia@example.com", "198.51.100.3", 10);
  fail_logins (proxied, "tia@example.com", "198.51.100.4", 10);
  g_assert_cmpuint (baton_test_login_status (proxied, "tia@example.com", BATON_TEST_PASSWORD,
                                             "198.51.100.5", NULL, &retry), ==, 429);
  g_assert_nonnull (retry);
  g_assert_cmpint (g_ascii_strtoll (retry, NULL, 10), >, 0);
  g_assert_cmpint (g_ascii_strtoll (retry, NULL, 10), <=, 15 * 60);
  /* Another account through the same proxy is untouched. */
  g_assert_cmpuint (baton_test_login_status (proxied, BATON_TEST_MANAGER_EMAIL,
                                             BATON_TEST_PASSWORD, "198.51.100.5", NULL, NULL),
                    ==, 200);
  g_unlink (config);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  server = baton_test_server_new ("--test-clock", NULL);

  g_test_add_func ("/auth/login-and-me", test_login_and_me);
  g_test_add_func ("/auth/login-failures", test_login_failures);
  g_test_add_func ("/auth/unauthenticated", test_unauthenticated);
  g_test_add_func ("/auth/logout", test_logout);
  g_test_add_func ("/auth/availability", test_availability);
  g_test_add_func ("/auth/throttling", test_throttling);
  g_test_add_func ("/auth/throttle-other-account", test_throttle_other_account);
  g_test_add_func ("/auth/forwarded-untrusted", test_forwarded_untrusted);
  g_test_add_func ("/auth/forwarded-trusted", test_forwarded_trusted);

  return baton_test_run (server);
}
