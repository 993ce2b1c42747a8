/* test-ui-login.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <unistd.h>

#include "baton-application.h"
#include "baton-login-page.h"
#include "baton-secret-store.h"
#include "baton-test-server.h"
#include "baton-test-ui.h"
#include "baton-window.h"

/* Signing in: the login page against a real batond (wrong password, unreachable server,
 * throttling, no server address, success), "Try the demo" (a local batond that the
 * application's BatonDemoServer starts and stops), and the application's silent sign-in with
 * the token kept in the keyring (libsecret's file backend) until sign-out. */

#define TIMEOUT_MS 10000
#define DEMO_TIMEOUT_MS 20000
#define AGENT_EMAIL "login-agent@example.com"
#define THROTTLED_EMAIL "throttled@example.com"
#define SILENT_EMAIL "silent@example.com"
#define STALE_EMAIL "stale@example.com"
#define DEMO_MANAGER_EMAIL "maya@demo.baton.chat"
/* The server's throttling window (15 minutes), and a second more. */
#define THROTTLE_WINDOW_S (15 * 60 + 1)

static BatonTestServer *server;
static char *agent_id;
static char *scratch_dir;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name = NULL;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* Widget lookup ---------------------------------------------------------------------------- */


static gboolean
has_row_title (GtkWidget     *widget,
               gconstpointer  data)
{
  return ADW_IS_ENTRY_ROW (widget)
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

static gboolean
has_button_label (GtkWidget     *widget,
                  gconstpointer  data)
{
  return GTK_IS_BUTTON (widget)
         && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0;
}

static gboolean
is_error_label (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "error");
}

static GtkWidget *
find_or_fail (GtkWidget            *root,
              BatonTestWidgetMatch  match,
              gconstpointer         data)
{
  GtkWidget *found = baton_test_ui_find (root, match, data);

  g_assert_nonnull (found);
  return found;
}

/* The page in a window ---------------------------------------------------------------------- */

typedef struct {
  GtkWindow *window;
  BatonLoginPage *page;
  GtkEditable *server_row;
  GtkEditable *email_row;
  GtkEditable *password_row;
  GtkWidget *sign_in_button;
  GtkWidget *demo_button;
  GtkLabel *error_label;
  /* what "signed-in" gave */
  guint signed_in_count;
  BatonClient *client;
  char *email;
} Fixture;

static void
page_signed_in_cb (BatonLoginPage *page,
                   BatonClient    *client,
                   const char     *email,
                   Fixture        *fixture)
{
  fixture->signed_in_count++;
  g_set_object (&fixture->client, client);
  g_free (fixture->email);
  fixture->email = g_strdup (email);
}

static void
open_page (Fixture *fixture)
{
  GtkWidget *page = baton_login_page_new ();

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 800, 720);
  gtk_window_set_child (fixture->window, page);
  gtk_window_present (fixture->window);
  fixture->page = BATON_LOGIN_PAGE (page);
  fixture->server_row = GTK_EDITABLE (find_or_fail (page, has_row_title, "Server"));
  fixture->email_row = GTK_EDITABLE (find_or_fail (page, has_row_title, "Email"));
  fixture->password_row = GTK_EDITABLE (find_or_fail (page, has_row_title, "Password"));
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (fixture->password_row));
  fixture->sign_in_button = find_or_fail (page, has_button_label, "_Sign In");
  fixture->demo_button = find_or_fail (page, has_button_label, "Try the _Demo");
  fixture->error_label = GTK_LABEL (find_or_fail (page, is_error_label, NULL));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fixture->error_label)));
  g_signal_connect (page, "signed-in", G_CALLBACK (page_signed_in_cb), fixture);
}

static void
close_page (Fixture *fixture)
{
  gtk_window_destroy (fixture->window);
  g_clear_object (&fixture->client);
  g_clear_pointer (&fixture->email, g_free);
}

static gboolean
page_idle (gpointer user_data)
{
  Fixture *fixture = user_data;

  return gtk_widget_get_sensitive (fixture->sign_in_button);
}

/* Fills the rows and clicks Sign In; returns once the page is no longer busy. */
static void
attempt (Fixture    *fixture,
         const char *server_url,
         const char *email,
         const char *password)
{
  gtk_editable_set_text (fixture->server_row, server_url);
  gtk_editable_set_text (fixture->email_row, email);
  gtk_editable_set_text (fixture->password_row, password);
  g_assert_true (gtk_widget_is_sensitive (fixture->sign_in_button));
  /* As a click does; gtk_widget_activate would click only after a delay. */
  g_signal_emit_by_name (fixture->sign_in_button, "clicked");
  baton_test_ui_wait_until (page_idle, fixture, TIMEOUT_MS, "the sign-in to finish");
}

/* The error the page shows, or NULL. */
static const char *
shown_error (Fixture *fixture)
{
  if (!gtk_widget_get_visible (GTK_WIDGET (fixture->error_label)))
    return NULL;
  return gtk_label_get_label (fixture->error_label);
}

/* A port on 127.0.0.1 nothing listens on: bound (so nobody else takes it) but not listening,
 * so connections are refused. Keep the socket for as long as the port must stay closed. */
static GSocket *
bind_closed_port (guint16 *port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, &error);

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any_port, FALSE, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return g_steal_pointer (&socket);
}

static void
advance_clock (gint64 seconds)
{
  g_autofree char *body = g_strdup_printf ("{\"seconds\":%" G_GINT64_FORMAT "}", seconds);
  g_autoptr(JsonNode) reply = baton_test_expect (server, "POST", "/api/v1/test/clock/advance",
                                                 server->manager_token, body, 200, NULL);
}

/* The page alone ---------------------------------------------------------------------------- */

static void
test_wrong_password (void)
{
  Fixture fixture = { 0 };

  open_page (&fixture);
  gtk_editable_set_text (fixture.server_row, server->url);
  gtk_editable_set_text (fixture.email_row, AGENT_EMAIL);
  baton_test_ui_screenshot (GTK_WIDGET (fixture.window), "login");

  attempt (&fixture, server->url, AGENT_EMAIL, "not the password");
  g_assert_cmpstr (shown_error (&fixture), ==, "Wrong email or password.");
  g_assert_cmpuint (fixture.signed_in_count, ==, 0);
  /* What was typed stays, to be corrected. */
  g_assert_cmpstr (gtk_editable_get_text (fixture.email_row), ==, AGENT_EMAIL);
  g_assert_cmpstr (gtk_editable_get_text (fixture.server_row), ==, server->url);
  g_assert_true (gtk_widget_is_sensitive (fixture.demo_button));
  baton_test_ui_screenshot (GTK_WIDGET (fixture.window), "login-error");

  /* An unknown account gets the same answer. */
  attempt (&fixture, server->url, "nobody@example.com", BATON_TEST_PASSWORD);
  g_assert_cmpstr (shown_error (&fixture), ==, "Wrong email or password.");
  g_assert_cmpuint (fixture.signed_in_count, ==, 0);
  close_page (&fixture);
}

static void
test_unreachable (void)
{
  Fixture fixture = { 0 };
  guint16 port = 0;
  g_autoptr(GSocket) closed = bind_closed_port (&port);
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", port);

  open_page (&fixture);
  attempt (&fixture, url, AGENT_EMAIL, BATON_TEST_PASSWORD);
  g_assert_cmpstr (shown_error (&fixture), ==,
                   "The server cannot be reached. Check its address and your connection.");
  g_assert_cmpuint (fixture.signed_in_count, ==, 0);
  close_page (&fixture);
}

static void
test_no_server (void)
{
  Fixture fixture = { 0 };

  open_page (&fixture);
  gtk_editable_set_text (fixture.server_row, "   ");
  gtk_editable_set_text (fixture.email_row, AGENT_EMAIL);
  gtk_editable_set_text (fixture.password_row, BATON_TEST_PASSWORD);
  /* Enter in the password row signs in too. */
  g_signal_emit_by_name (fixture.password_row, "entry-activated");
  /* Nothing to wait for: the page did not even try. */
  g_assert_true (gtk_widget_is_sensitive (fixture.sign_in_button));
  g_assert_cmpstr (shown_error (&fixture), ==, "Enter the address of your Baton server.");

  gtk_editable_set_text (fixture.server_row, "");
  g_signal_emit_by_name (fixture.sign_in_button, "clicked");
  g_assert_true (gtk_widget_is_sensitive (fixture.sign_in_button));
  g_assert_cmpstr (shown_error (&fixture), ==, "Enter the address of your Baton server.");
  g_assert_cmpuint (fixture.signed_in_count, ==, 0);
  close_page (&fixture);
}

static void
test_throttled (void)
{
  Fixture fixture = { 0 };
  g_autoptr(GString) failures = g_string_new (NULL);

  /* Failures count per email and per address (all of ours are 127.0.0.1): start from none. */
  advance_clock (THROTTLE_WINDOW_S);
  baton_test_create_agent (server, "Theo Throttled", THROTTLED_EMAIL, "agent", NULL);
  open_page (&fixture);
  for (int i = 0; i < 10; i++)
    {
      attempt (&fixture, server->url, THROTTLED_EMAIL, "guess");
      g_assert_cmpstr (shown_error (&fixture), ==, "Wrong email or password.");
    }
  /* The eleventh attempt is refused before its password is looked at, even the right one. */
  attempt (&fixture, server->url, THROTTLED_EMAIL, BATON_TEST_PASSWORD);
  g_assert_cmpstr (shown_error (&fixture), ==,
                   "Too many failed attempts. Wait a few minutes, then try again.");
  g_assert_cmpuint (fixture.signed_in_count, ==, 0);

  /* Once the window has passed the right password works again (and later cases start clean). */
  advance_clock (THROTTLE_WINDOW_S);
  attempt (&fixture, server->url, THROTTLED_EMAIL, BATON_TEST_PASSWORD);
  g_assert_null (shown_error (&fixture));
  g_assert_cmpuint (fixture.signed_in_count, ==, 1);
  close_page (&fixture);
}

static void
test_success (void)
{
  Fixture fixture = { 0 };
  g_autoptr(JsonNode) me = NULL;
  g_autofree char *url_with_slash = NULL;
  BatonAgent *agent = NULL;

  open_page (&fixture);
  /* A failure first: its message must go away with the next attempt. */
  attempt (&fixture, server->url, AGENT_EMAIL, "not the password");
  g_assert_nonnull (shown_error (&fixture));

  /* A trailing slash is what people paste: the page drops it. */
  url_with_slash = g_strconcat (server->url, "/", NULL);
  attempt (&fixture, url_with_slash, AGENT_EMAIL, BATON_TEST_PASSWORD);
  g_assert_null (shown_error (&fixture));
  g_assert_cmpuint (fixture.signed_in_count, ==, 1);
  g_assert_true (BATON_IS_CLIENT (fixture.client));
  g_assert_cmpstr (fixture.email, ==, AGENT_EMAIL);
  g_assert_cmpstr (baton_client_get_server_url (fixture.client), ==, server->url);
  agent = baton_client_get_me (fixture.client);
  g_assert_nonnull (agent);
  g_assert_cmpstr (agent->id, ==, agent_id);
  g_assert_cmpstr (agent->email, ==, AGENT_EMAIL);
  g_assert_cmpint (agent->role, ==, BATON_ROLE_AGENT);
  /* The password does not linger on screen. */
  g_assert_cmpstr (gtk_editable_get_text (fixture.password_row), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (fixture.email_row), ==, AGENT_EMAIL);

  /* The token the client holds is a live session of that agent. */
  g_assert_nonnull (baton_client_get_token (fixture.client));
  me = baton_test_expect (server, "GET", "/api/v1/me", baton_client_get_token (fixture.client),
                          NULL, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (me, "id"), ==, agent_id);
  close_page (&fixture);
}

/* A page disposed while its sign-in is on the way (its cancellable is cancelled in dispose):
 * the answer must not touch its widgets (G_DEBUG=fatal-criticals) nor report a sign-in. */
static void
test_disposed_while_signing_in (void)
{
  Fixture fixture = { 0 };
  GtkWidget *page = NULL;

  open_page (&fixture);
  page = g_object_ref (GTK_WIDGET (fixture.page));
  gtk_editable_set_text (fixture.server_row, server->url);
  gtk_editable_set_text (fixture.email_row, AGENT_EMAIL);
  gtk_editable_set_text (fixture.password_row, BATON_TEST_PASSWORD);
  g_signal_emit_by_name (fixture.sign_in_button, "clicked");
  g_assert_false (gtk_widget_get_sensitive (fixture.sign_in_button));
  gtk_window_set_child (fixture.window, NULL);
  g_object_run_dispose (G_OBJECT (page));
  g_object_add_weak_pointer (G_OBJECT (page), (gpointer *) &page);
  g_object_unref (page);

  /* The sign-in holds the page until its callback has run. */
  while (page != NULL)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_cmpuint (fixture.signed_in_count, ==, 0);
  close_page (&fixture);
}

/* Try the demo ------------------------------------------------------------------------------ */

static gboolean
demo_signed_in (gpointer user_data)
{
  Fixture *fixture = user_data;

  return fixture->signed_in_count > 0 || shown_error (fixture) != NULL;
}

/* The pids of the processes whose command line holds needle. */
static GArray *
find_processes (const char *needle)
{
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name = NULL;

  g_assert_nonnull (proc);
  while ((name = g_dir_read_name (proc)))
    {
      g_autofree char *path = g_build_filename ("/proc", name, "cmdline", NULL);
      g_autofree char *cmdline = NULL;
      gsize length = 0;
      int pid = atoi (name);

      if (pid <= 0 || !g_file_get_contents (path, &cmdline, &length, NULL))
        continue;
      /* Arguments are separated by NULs. */
      for (gsize i = 0; i + 1 < length; i++)
        if (cmdline[i] == '\0')
          cmdline[i] = ' ';
      if (strstr (cmdline, needle))
        g_array_append_val (pids, pid);
    }
  return pids;
}

static gboolean
no_process (gpointer user_data)
{
  g_autoptr(GArray) pids = find_processes (user_data);

  return pids->len == 0;
}

static gboolean
port_refuses (guint16 port)
{
  g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = g_socket_client_connect_to_host (socket_client, "127.0.0.1", port, NULL, &error);
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
}

static gboolean
port_closed (gpointer user_data)
{
  return port_refuses (GPOINTER_TO_UINT (user_data));
}

static void
test_demo (void)
{
  Fixture fixture = { 0 };
  g_autofree char *data_dir = g_build_filename (g_get_user_data_dir (), "baton", "demo", NULL);
  g_autofree char *needle = g_strdup_printf ("--data-dir %s ", data_dir);
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GArray) pids = NULL;
  g_autoptr(GError) error = NULL;
  BatonAgent *me = NULL;
  GtkWidget *page = NULL;
  BatonDemoServer *demo = baton_demo_server_new ();
  guint16 port = 0;

  /* The user's data dir is this test's own (XDG_DATA_HOME, set before anything read it). */
  g_assert_true (g_str_has_prefix (data_dir, scratch_dir));
  g_assert_nonnull (g_getenv ("BATOND"));
  open_page (&fixture);
  page = GTK_WIDGET (fixture.page);
  g_object_add_weak_pointer (G_OBJECT (page), (gpointer *) &page);

  /* Alone, the page has no application to start a demo: it says so. */
  g_signal_emit_by_name (fixture.demo_button, "clicked");
  g_assert_cmpstr (shown_error (&fixture), ==, "The demo is not available here.");
  pids = find_processes (needle);
  g_assert_cmpuint (pids->len, ==, 0);
  g_clear_pointer (&pids, g_array_unref);

  baton_login_page_start_demo (fixture.page, demo);
  g_assert_false (gtk_widget_get_sensitive (fixture.demo_button));
  baton_test_ui_wait_until (demo_signed_in, &fixture, DEMO_TIMEOUT_MS, "the demo sign-in");
  g_assert_null (shown_error (&fixture));
  g_assert_cmpuint (fixture.signed_in_count, ==, 1);
  g_assert_cmpstr (fixture.email, ==, DEMO_MANAGER_EMAIL);
  me = baton_client_get_me (fixture.client);
  g_assert_nonnull (me);
  g_assert_cmpstr (me->email, ==, DEMO_MANAGER_EMAIL);
  g_assert_cmpint (me->role, ==, BATON_ROLE_MANAGER);
  uri = g_uri_parse (baton_client_get_server_url (fixture.client), G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_uri_get_scheme (uri), ==, "http");
  g_assert_cmpstr (g_uri_get_host (uri), ==, "127.0.0.1");
  g_assert_cmpint (g_uri_get_port (uri), >, 0);
  port = g_uri_get_port (uri);
  /* The page shows where it signed in. */
  g_assert_cmpstr (gtk_editable_get_text (fixture.server_row), ==,
                   baton_client_get_server_url (fixture.client));
  g_assert_cmpstr (gtk_editable_get_text (fixture.email_row), ==, DEMO_MANAGER_EMAIL);
  g_assert_true (gtk_widget_is_sensitive (fixture.sign_in_button));

  /* One batond, with its data under the user's data dir. */
  g_assert_true (g_file_test (data_dir, G_FILE_TEST_IS_DIR));
  pids = find_processes (needle);
  g_assert_cmpuint (pids->len, ==, 1);
  g_assert_false (port_refuses (port));

  /* The page does not own the demo: it ends with its owner (the application's). */
  close_page (&fixture);
  while (page != NULL)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_clear_pointer (&pids, g_array_unref);
  pids = find_processes (needle);
  g_assert_cmpuint (pids->len, ==, 1);
  g_object_unref (demo);
  baton_test_ui_wait_until (no_process, needle, TIMEOUT_MS, "the demo batond to exit");
  baton_test_ui_wait_until (port_closed, GUINT_TO_POINTER (port), TIMEOUT_MS,
                            "the demo's port to close");
}

/* Silent sign-in through the application ---------------------------------------------------- */

static gboolean
flag_set (gpointer user_data)
{
  return *(gboolean *) user_data;
}

static BatonClient *
sign_in (const char *email)
{
  return baton_test_ui_log_in (server->url, email, BATON_TEST_PASSWORD);
}

typedef struct {
  gboolean done;
  char *token;
} Lookup;

static void
token_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Lookup *lookup = user_data;
  g_autoptr(GError) error = NULL;

  lookup->token = baton_secret_store_load_finish (result, &error);
  g_assert_no_error (error);
  lookup->done = TRUE;
}

/* The token the keyring holds for that account, or NULL. */
static char *
stored_token (const char *email)
{
  Lookup lookup = { 0 };

  baton_secret_store_load_async (server->url, email, NULL, token_loaded_cb, &lookup);
  baton_test_ui_wait_until (flag_set, &lookup.done, TIMEOUT_MS, "the keyring");
  return lookup.token;
}

typedef struct {
  const char *email;
  const char *token;
} Expected;

static gboolean
token_stored (gpointer user_data)
{
  Expected *expected = user_data;
  g_autofree char *token = stored_token (expected->email);

  return g_strcmp0 (token, expected->token) == 0;
}

static void
token_saved_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (baton_secret_store_save_finish (result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

typedef void (*AppBody) (BatonApplication *app,
                         gpointer          data);

typedef struct {
  AppBody body;
  gpointer data;
  /* the body quits the application itself, its windows still open */
  gboolean quits;
} AppRun;

static void
body_run_cb (gpointer user_data)
{
  BatonApplication *app = user_data;
  AppRun *run = g_object_get_data (G_OBJECT (app), "test-run");
  GList *windows = NULL;

  run->body (app, run->data);
  /* Closing the last window ends g_application_run. */
  while (!run->quits && (windows = gtk_application_get_windows (GTK_APPLICATION (app))))
    gtk_window_destroy (windows->data);
  g_application_release (G_APPLICATION (app));
}

static void
app_activated_cb (BatonApplication *app)
{
  /* Once, after the app's own activate. */
  g_signal_handlers_disconnect_by_func (app, app_activated_cb, NULL);
  g_application_hold (G_APPLICATION (app));
  g_idle_add_once (body_run_cb, app);
}

/* One run of the app as `baton` runs it (register, activate, main loop, shutdown), with body
 * called once it has activated; it ends when body returns, or when the application quits if
 * quits is set. */
static void
run_application_full (AppBody  body,
                      gpointer data,
                      gboolean quits)
{
  BatonApplication *app = baton_application_new ();
  AppRun run = { body, data, quits };
  GList *windows = NULL;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_object_set_data (G_OBJECT (app), "test-run", &run);
  g_signal_connect_after (app, "activate", G_CALLBACK (app_activated_cb), NULL);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 0, NULL), ==, 0);
  /* Gone, as at the end of a process: the next run is a new instance. */
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))))
    gtk_window_destroy (windows->data);
  g_object_add_weak_pointer (G_OBJECT (app), (gpointer *) &app);
  g_object_unref (app);
  g_assert_null (app);
}

static void
run_application (AppBody  body,
                 gpointer data)
{
  run_application_full (body, data, FALSE);
}

static BatonWindow *
application_window (BatonApplication *app)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    if (BATON_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

static gboolean
shows_login_page (BatonWindow *window)
{
  GtkWidget *page = baton_test_ui_find_type (GTK_WIDGET (window), BATON_TYPE_LOGIN_PAGE);
  GtkWidget *stack = page ? gtk_widget_get_parent (page) : NULL;

  g_assert_true (GTK_IS_STACK (stack));
  return gtk_stack_get_visible_child (GTK_STACK (stack)) == page;
}

typedef struct {
  BatonApplication *app;
  /* set when the window was on screen before the sign-in finished */
  gboolean shown_signed_out;
} Watch;

static gboolean
window_signed_in (gpointer user_data)
{
  Watch *watch = user_data;
  BatonWindow *window = application_window (watch->app);

  if (window == NULL)
    return FALSE;
  if (baton_window_get_client (window) == NULL)
    {
      watch->shown_signed_out |= gtk_widget_get_visible (GTK_WIDGET (window));
      return FALSE;
    }
  return gtk_widget_get_visible (GTK_WIDGET (window));
}

static gboolean
window_shown (gpointer user_data)
{
  BatonWindow *window = application_window (user_data);

  return window && gtk_widget_get_visible (GTK_WIDGET (window));
}

static gboolean
token_revoked (gpointer user_data)
{
  guint status = 0;
  g_autoptr(JsonNode) me = baton_test_request (server, "GET", "/api/v1/me", user_data, NULL,
                                               &status);

  return status == 401;
}

typedef struct {
  BatonClient *client;
  const char *token;
  const char *agent_id;
} Silent;

/* A sign-in keeps the account in the settings and the token in the keyring. */
static void
sign_in_and_quit (BatonApplication *app,
                  gpointer          data)
{
  Silent *silent = data;
  BatonSettings *settings = baton_application_get_settings (app);
  g_autofree char *last_url = NULL;
  g_autofree char *last_email = NULL;
  Expected saved = { SILENT_EMAIL, silent->token };

  /* Nothing kept yet: the login page. */
  g_assert_true (shows_login_page (application_window (app)));
  baton_application_sign_in (app, silent->client, SILENT_EMAIL);
  g_assert_true (baton_window_get_client (application_window (app)) == silent->client);
  baton_test_ui_wait_until (token_stored, &saved, TIMEOUT_MS, "the token in the keyring");
  last_url = baton_settings_dup_last_server_url (settings);
  last_email = baton_settings_dup_last_email (settings);
  g_assert_cmpstr (last_url, ==, server->url);
  g_assert_cmpstr (last_email, ==, SILENT_EMAIL);
}

/* The next run signs in with it, without the login page; signing out forgets the token, here
 * and on the server, and shows the login page. */
static void
start_silently_and_sign_out (BatonApplication *app,
                             gpointer          data)
{
  Silent *silent = data;
  Watch watch = { app, FALSE };
  Expected cleared = { SILENT_EMAIL, NULL };
  BatonWindow *window = NULL;
  BatonClient *client = NULL;

  baton_test_ui_wait_until (window_signed_in, &watch, 5000, "the silent sign-in");
  g_assert_false (watch.shown_signed_out);
  window = application_window (app);
  client = baton_window_get_client (window);
  g_assert_true (client == baton_application_get_client (app));
  g_assert_true (client != silent->client);
  g_assert_cmpstr (baton_client_get_server_url (client), ==, server->url);
  g_assert_cmpstr (baton_client_get_token (client), ==, silent->token);
  g_assert_cmpstr (baton_client_get_me (client)->id, ==, silent->agent_id);
  g_assert_false (shows_login_page (window));

  baton_application_sign_out (app);
  g_assert_null (baton_window_get_client (window));
  g_assert_null (baton_application_get_client (app));
  g_assert_true (shows_login_page (window));
  baton_test_ui_wait_until (token_stored, &cleared, TIMEOUT_MS, "the keyring to be cleared");
  baton_test_ui_wait_until (token_revoked, (gpointer) silent->token, TIMEOUT_MS,
                            "the token to be revoked");
}

static void
test_silent_sign_in (void)
{
  g_autofree char *silent_id = baton_test_create_agent (server, "Sam Silent", SILENT_EMAIL,
                                                        "agent", NULL);
  g_autoptr(BatonClient) client = sign_in (SILENT_EMAIL);
  g_autofree char *token = g_strdup (baton_client_get_token (client));
  Silent silent = { client, token, silent_id };

  g_assert_nonnull (token);
  run_application (sign_in_and_quit, &silent);
  /* The memory settings backend is one per process: the next instance reads what this one
   * wrote, as it would from dconf. */
  run_application (start_silently_and_sign_out, &silent);
}

/* A kept token the server no longer takes: the login page, filled in with the account. */
static void
start_with_stale_token (BatonApplication *app,
                        gpointer          data)
{
  BatonWindow *window = NULL;
  GtkWidget *server_row = NULL;
  GtkWidget *email_row = NULL;

  baton_test_ui_wait_until (window_shown, app, TIMEOUT_MS, "the window");
  window = application_window (app);
  g_assert_null (baton_window_get_client (window));
  g_assert_null (baton_application_get_client (app));
  g_assert_true (shows_login_page (window));
  server_row = find_or_fail (GTK_WIDGET (window), has_row_title, "Server");
  email_row = find_or_fail (GTK_WIDGET (window), has_row_title, "Email");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (server_row)), ==, server->url);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (email_row)), ==, STALE_EMAIL);
}

static void
test_stale_token (void)
{
  g_autofree char *stale_id = baton_test_create_agent (server, "Stella Stale", STALE_EMAIL,
                                                       "agent", NULL);
  g_autoptr(BatonSettings) settings = baton_settings_new ();
  gboolean saved = FALSE;

  baton_settings_set_last_account (settings, server->url, STALE_EMAIL);
  baton_secret_store_save_async (server->url, STALE_EMAIL, "not-a-token", NULL, token_saved_cb,
                                 &saved);
  baton_test_ui_wait_until (flag_set, &saved, TIMEOUT_MS, "the keyring");
  run_application (start_with_stale_token, NULL);
}

/* The application's demo: app.start-demo signs its window in to a batond that ends with the
 * application, not with a window or page. */
static void
demo_run (BatonApplication *app,
          gpointer          data)
{
  Watch watch = { app, FALSE };
  g_autoptr(GArray) pids = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (app), "start-demo", NULL);
  baton_test_ui_wait_until (window_signed_in, &watch, DEMO_TIMEOUT_MS, "the demo sign-in");
  pids = find_processes (data);
  g_assert_cmpuint (pids->len, ==, 1);
}

static void
test_application_demo (void)
{
  g_autofree char *data_dir = g_build_filename (g_get_user_data_dir (), "baton", "demo", NULL);
  g_autofree char *needle = g_strdup_printf ("--data-dir %s ", data_dir);

  run_application (demo_run, needle);
  baton_test_ui_wait_until (no_process, needle, TIMEOUT_MS, "the demo batond to exit");
}

/* However the application quits, the demo batond it started is gone (stopped and reaped)
 * once the application has shut down: Ctrl+Q with the window open, Ctrl+Q while the demo is
 * still starting, its window closed, SIGTERM, SIGINT. */
typedef enum {
  QUIT_ACTION,
  QUIT_WHILE_STARTING,
  QUIT_CLOSE_WINDOW,
  QUIT_SIGTERM,
  QUIT_SIGINT,
} QuitWay;

typedef struct {
  QuitWay way;
  const char *needle;
  int pid;
  gboolean alive_at_shutdown;
} DemoQuit;

static gboolean
one_process (gpointer user_data)
{
  DemoQuit *quit = user_data;
  g_autoptr(GArray) pids = find_processes (quit->needle);

  if (pids->len != 1)
    return FALSE;
  quit->pid = g_array_index (pids, int, 0);
  return TRUE;
}

static gboolean
process_alive (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d", pid);

  /* A zombie (exited, not reaped) still has its /proc entry. */
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static void
demo_shutdown_cb (GApplication *app,
                  DemoQuit     *quit)
{
  quit->alive_at_shutdown = process_alive (quit->pid);
}

static void
demo_quit_run (BatonApplication *app,
               gpointer          data)
{
  DemoQuit *quit = data;
  Watch watch = { app, FALSE };

  g_signal_connect_after (app, "shutdown", G_CALLBACK (demo_shutdown_cb), quit);
  g_action_group_activate_action (G_ACTION_GROUP (app), "start-demo", NULL);
  baton_test_ui_wait_until (one_process, quit, DEMO_TIMEOUT_MS, "the demo batond");
  if (quit->way != QUIT_WHILE_STARTING)
    baton_test_ui_wait_until (window_signed_in, &watch, DEMO_TIMEOUT_MS, "the demo sign-in");
  g_assert_true (process_alive (quit->pid));
  g_assert_nonnull (application_window (app));
  if (quit->way == QUIT_SIGTERM || quit->way == QUIT_SIGINT)
    g_assert_cmpint (kill (getpid (), quit->way == QUIT_SIGTERM ? SIGTERM : SIGINT), ==, 0);
  else if (quit->way == QUIT_CLOSE_WINDOW)
    gtk_window_close (GTK_WINDOW (application_window (app)));
  else
    g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
}

static void
test_application_demo_quit (void)
{
  g_autofree char *data_dir = g_build_filename (g_get_user_data_dir (), "baton", "demo", NULL);
  g_autofree char *needle = g_strdup_printf ("--data-dir %s ", data_dir);
  const QuitWay ways[] = {
    QUIT_ACTION, QUIT_WHILE_STARTING, QUIT_CLOSE_WINDOW, QUIT_SIGTERM, QUIT_SIGINT,
  };

  for (guint i = 0; i < G_N_ELEMENTS (ways); i++)
    {
      DemoQuit quit = { ways[i], needle, 0, TRUE };

      g_test_message ("Quit way %d", ways[i]);
      run_application_full (demo_quit_run, &quit, TRUE);
      g_assert_cmpint (quit.pid, >, 0);
      g_assert_false (quit.alive_at_shutdown);
      g_assert_false (process_alive (quit.pid));
    }
}

/* An app that dies without a word (a crash, SIGKILL): its batond goes too. The app is this
 * program again, run with --demo-child: it starts the demo server and waits. */
static void
child_demo_started_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = baton_demo_server_start_finish (BATON_DEMO_SERVER (source), result,
                                                         &error);

  g_assert_no_error (error);
  g_print ("%s\n", url);
}

static int
run_demo_child (void)
{
  g_autoptr(BatonDemoServer) demo = baton_demo_server_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  baton_demo_server_start_async (demo, NULL, child_demo_started_cb, NULL);
  g_main_loop_run (loop);
  return 0;
}

static void
test_demo_orphaned (void)
{
  g_autofree char *data_dir = g_build_filename (g_get_user_data_dir (), "baton", "demo", NULL);
  g_autofree char *needle = g_strdup_printf ("--data-dir %s ", data_dir);
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) app = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *url = NULL;
  DemoQuit demo = { QUIT_ACTION, needle, 0, TRUE };

  app = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, self_path, "--demo-child",
                          NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (app));
  url = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));
  baton_test_ui_wait_until (one_process, &demo, DEMO_TIMEOUT_MS, "the demo batond");

  g_subprocess_send_signal (app, SIGKILL);
  g_assert_true (g_subprocess_wait (app, NULL, NULL));
  baton_test_ui_wait_until (no_process, needle, TIMEOUT_MS, "the orphaned batond to exit");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = NULL;
  g_autofree char *secrets = NULL;
  g_autofree char *icons = NULL;
  int status;

  if (argc > 1 && g_str_equal (argv[1], "--demo-child"))
    return run_demo_child ();
  /* Before anything reads them: the demo's data and the keyring file are this test's own. */
  scratch_dir = g_dir_make_tmp ("baton-ui-login-XXXXXX", &error);
  g_assert_no_error (error);
  data_home = g_build_filename (scratch_dir, "data", NULL);
  secrets = g_build_filename (scratch_dir, "secrets", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", secrets, TRUE);

  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    return 77;
  adw_init ();
  g_assert_cmpstr (g_get_user_data_dir (), ==, data_home);
  /* The app's icon, as installed into hicolor, for the screenshots. */
  icons = g_test_build_filename (G_TEST_DIST, "..", "data", "icons", NULL);
  gtk_icon_theme_add_search_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                  icons);
  server = baton_test_server_new ("--test-clock", NULL);
  agent_id = baton_test_create_agent (server, "Lou Login", AGENT_EMAIL, "agent", NULL);

  g_test_add_func ("/ui/login/wrong-password", test_wrong_password);
  g_test_add_func ("/ui/login/unreachable", test_unreachable);
  g_test_add_func ("/ui/login/no-server", test_no_server);
  g_test_add_func ("/ui/login/throttled", test_throttled);
  g_test_add_func ("/ui/login/success", test_success);
  g_test_add_func ("/ui/login/disposed-while-signing-in", test_disposed_while_signing_in);
  g_test_add_func ("/ui/login/demo", test_demo);
  g_test_add_func ("/ui/login/application-demo", test_application_demo);
  g_test_add_func ("/ui/login/application-demo-quit", test_application_demo_quit);
  g_test_add_func ("/ui/login/demo-orphaned", test_demo_orphaned);
  g_test_add_func ("/ui/login/silent-sign-in", test_silent_sign_in);
  g_test_add_func ("/ui/login/stale-token", test_stale_token);

  status = g_test_run ();
  baton_test_server_free (server);
  g_free (agent_id);
  remove_tree (scratch_dir);
  g_free (scratch_dir);
  return status;
}
