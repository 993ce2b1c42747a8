/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "batond"

#include "config.h"

#include <glib-unix.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "baton-api.h"
#include "baton-auth.h"
#include "baton-demo.h"
#include "baton-proxies.h"
#include "baton-server.h"
#include "baton-store-copy.h"
#include "baton-store-postgres.h"
#include "baton-store-sqlite.h"
#include "baton-time.h"
#include "baton-whatsapp.h"

#define EXIT_USAGE 2

static const char usage_text[] =
  "Usage:\n"
  "  batond init --data-dir DIR [--database URL] --admin-email E --admin-password P\n"
  "              [--admin-name N]\n"
  "  batond serve --data-dir DIR [--database URL] --listen HOST:PORT [--config FILE]\n"
  "               [--node-id NAME] [--media-dir DIR] [--test-clock[=TIME]]\n"
  "  batond demo --data-dir DIR --listen HOST:PORT [--simulate PER_MINUTE]\n"
  "  batond copy --from DIR --to URL\n"
  "  batond --help | --version\n"
  "\n"
  "The Baton server: a team inbox for WhatsApp customer conversations.\n"
  "Run 'batond COMMAND --help' for the options of a command.\n";

typedef struct {
  char *data_dir;
  /* a PostgreSQL URL; NULL: DIR/baton.db */
  char *database;
  char *listen;
  char *config;
  char *node_id;
  /* NULL: DIR/media */
  char *media_dir;
  char *admin_email;
  char *admin_password;
  char *admin_name;
  char *test_clock;
  gboolean use_test_clock;
  double simulate;
  BatonConnectionLimits limits;
  /* from the configuration file only */
  gint64 session_idle_days;
  GPtrArray *trusted_proxies;
  gint64 password_checks;
  gint64 password_queue;
  gint64 stream_replay_limit;
  gint64 stream_queue_limit;
} Options;

static Options options;

static gboolean
test_clock_cb (const char  *name,
               const char  *value,
               gpointer     data,
               GError     **error)
{
  options.use_test_clock = TRUE;
  g_free (options.test_clock);
  options.test_clock = g_strdup (value);
  return TRUE;
}

static const GOptionEntry init_entries[] = {
  { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &options.data_dir, "Where the workspace lives", "DIR" },
  { "database", 0, 0, G_OPTION_ARG_STRING, &options.database, "A PostgreSQL database (postgresql://…) instead of DIR/baton.db", "URL" },
  { "admin-email", 0, 0, G_OPTION_ARG_STRING, &options.admin_email, "The first manager's email", "E" },
  { "admin-password", 0, 0, G_OPTION_ARG_STRING, &options.admin_password, "The first manager's password", "P" },
  { "admin-name", 0, 0, G_OPTION_ARG_STRING, &options.admin_name, "The first manager's name", "N" },
  { NULL }
};

static const GOptionEntry serve_entries[] = {
  { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &options.data_dir, "Where the workspace lives", "DIR" },
  { "database", 0, 0, G_OPTION_ARG_STRING, &options.database, "A PostgreSQL database (postgresql://…) instead of DIR/baton.db", "URL" },
  { "listen", 0, 0, G_OPTION_ARG_STRING, &options.listen, "Address to serve on (port 0: any free port)", "HOST:PORT" },
  { "config", 0, 0, G_OPTION_ARG_FILENAME, &options.config, "A configuration file", "FILE" },
  { "node-id", 0, 0, G_OPTION_ARG_STRING, &options.node_id, "This node's name, in /healthz (default: HOST-PID)", "NAME" },
  { "media-dir", 0, 0, G_OPTION_ARG_FILENAME, &options.media_dir, "Where media and uploads are kept (default: DIR/media); several nodes must share it", "DIR" },
  { "test-clock", 0, G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK, test_clock_cb, "Start the clock at TIME (RFC 3339) and allow moving it", "TIME" },
  { NULL }
};

static const GOptionEntry copy_entries[] = {
  { "from", 0, 0, G_OPTION_ARG_FILENAME, &options.data_dir, "The data directory of a SQLite workspace (batond stopped)", "DIR" },
  { "to", 0, 0, G_OPTION_ARG_STRING, &options.database, "An empty PostgreSQL database (postgresql://…)", "URL" },
  { NULL }
};

static const GOptionEntry demo_entries[] = {
  { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &options.data_dir, "Where the demo workspace lives", "DIR" },
  { "listen", 0, 0, G_OPTION_ARG_STRING, &options.listen, "Address to serve on (port 0: any free port)", "HOST:PORT" },
  { "simulate", 0, 0, G_OPTION_ARG_DOUBLE, &options.simulate, "Simulated customer messages per minute", "PER_MINUTE" },
  { NULL }
};

static int
usage_error (const char *message)
{
  g_printerr ("batond: %s\n\n%s", message, usage_text);
  return EXIT_USAGE;
}

static gboolean
parse_listen (const char  *listen,
              char       **host,
              guint       *port)
{
  const char *colon = strrchr (listen, ':');
  guint64 value = 0;

  if (colon == NULL || colon == listen
      || !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &value, NULL))
    return FALSE;
  if (listen[0] == '[' && colon[-1] == ']')
    *host = g_strndup (listen + 1, colon - listen - 2);
  else
    *host = g_strndup (listen, colon - listen);
  *port = (guint) value;
  return TRUE;
}

/* An integer key within [min, max], or fallback when absent. */
static gboolean
read_integer (GKeyFile    *file,
              const char  *key,
              gint64       min,
              gint64       max,
              gint64       fallback,
              gint64      *value,
              GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  *value = fallback;
  if (!g_key_file_has_key (file, "batond", key, NULL))
    return TRUE;
  *value = g_key_file_get_int64 (file, "batond", key, &local_error);
  if (local_error == NULL && *value >= min && *value <= max)
    return TRUE;
  g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
               "%s: %s must be a whole number from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
               options.config, key, min, max);
  return FALSE;
}

/* A whole number of the [batond] group from 1 up, left as it is when the key is absent. */
static gboolean
read_count (GKeyFile    *file,
            const char  *key,
            guint       *value,
            GError     **error)
{
  gint64 number = 0;

  if (!read_integer (file, key, 1, G_MAXINT, *value, &number, error))
    return FALSE;
  *value = (guint) number;
  return TRUE;
}

/* Settings from --config, a key file with a [batond] group; the command line wins. */
/* A value of the configuration file, unless the command line gave one. */
static void
read_string (GKeyFile    *file,
             const char  *key,
             char       **value)
{
  if (*value == NULL)
    *value = g_key_file_get_string (file, "batond", key, NULL);
}

static gboolean
load_config (GError **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *proxies = NULL;

  options.session_idle_days = 30;
  options.password_queue = 256;
  if (options.config == NULL)
    return TRUE;
  if (!g_key_file_load_from_file (file, options.config, G_KEY_FILE_NONE, error)
      || !read_integer (file, "stream-replay-limit", 1, G_MAXINT64, 0,
                        &options.stream_replay_limit, error)
      || !read_integer (file, "stream-queue-limit", 1, G_MAXINT64, 0,
                        &options.stream_queue_limit, error))
    return FALSE;
  proxies = g_key_file_get_string (file, "batond", "trusted-proxies", NULL);
  read_string (file, "node-id", &options.node_id);
  read_string (file, "database", &options.database);
  read_string (file, "data-dir", &options.data_dir);
  read_string (file, "listen", &options.listen);
  read_string (file, "media-dir", &options.media_dir);
  if (options.node_id && (*options.node_id == '\0' || strlen (options.node_id) > 128))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "node-id must be 1 to 128 bytes");
      return FALSE;
    }
  options.trusted_proxies = baton_proxies_parse (proxies, error);
  return options.trusted_proxies != NULL
         && read_integer (file, "session-idle-days", 1, 3650, 30, &options.session_idle_days,
                          error)
         && read_integer (file, "password-checks", 0, 256, 0, &options.password_checks, error)
         && read_integer (file, "password-queue", 0, 100000, 256, &options.password_queue,
                          error)
         && read_count (file, "max-connections", &options.limits.max_connections, error)
         && read_count (file, "idle-timeout", &options.limits.idle_timeout, error)
         && read_count (file, "request-timeout", &options.limits.request_timeout, error);
}

static void
apply_config (BatonServer *server)
{
  baton_workspace_set_session_idle (baton_server_get_workspace (server),
                                    options.session_idle_days * 24 * 3600 * 1000);
  if (options.node_id)
    baton_workspace_set_node_id (baton_server_get_workspace (server), options.node_id);
  if (options.trusted_proxies)
    baton_server_set_trusted_proxies (server, g_steal_pointer (&options.trusted_proxies));
  baton_auth_set_limits ((guint) options.password_checks, (guint) options.password_queue);
  baton_stream_set_limits (baton_server_get_stream (server), (guint64) options.stream_replay_limit,
                           (guint64) options.stream_queue_limit);
}

/* Takes away what other users may do with path, saying so. */
static void
keep_private (const char *path,
              mode_t      private_mode)
{
  GStatBuf info;

  if (g_stat (path, &info) != 0 || (info.st_mode & 077) == 0)
    return;
  if (g_chmod (path, private_mode) == 0)
    g_warning ("%s was open to other users (mode %03o): it is now %03o", path,
               (guint) (info.st_mode & 0777), (guint) private_mode);
  else
    g_warning ("%s is open to other users (mode %03o) and cannot be changed: %s", path,
               (guint) (info.st_mode & 0777), g_strerror (errno));
}

/* The data directory holds access tokens, app secrets and password hashes: only batond's
 * user may read it, whatever mode it was created with. (New files are private by the
 * umask batond sets.) */
static void
make_data_dir_private (void)
{
  static const char * const files[] = {
    "baton.db", "baton.db-wal", "baton.db-shm", "baton.db-journal",
  };
  g_autofree char *media = g_build_filename (options.data_dir, "media", NULL);

  keep_private (options.data_dir, 0700);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (options.data_dir, files[i], NULL);

      keep_private (path, 0600);
    }
  keep_private (media, 0700);
}

/* Where the workspace is, for messages: never the URL, which may hold a password. */
static const char *
workspace_place (void)
{
  return options.database ? "the database" : options.data_dir;
}

static BatonStore *
open_store (gboolean   create,
            GError   **error)
{
  g_autofree char *path = NULL;
  g_autoptr(BatonStore) store = NULL;

  if (create && g_mkdir_with_parents (options.data_dir, 0700) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
                   "Cannot create %s: %s", options.data_dir, g_strerror (errno));
      return NULL;
    }
  make_data_dir_private ();
  path = g_build_filename (options.data_dir, "baton.db", NULL);
  if (options.database == NULL && !create && !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   "%s holds no workspace; create one with 'batond init'", options.data_dir);
      return NULL;
    }
  /* on PostgreSQL, DIR keeps the media customers send */
  store = options.database ? baton_store_postgres_open (options.database, error)
                           : baton_store_sqlite_open (path, error);
  if (store == NULL || !baton_store_migrate (store, error))
    return NULL;
  return g_steal_pointer (&store);
}

/* Moves a SQLite workspace into an empty PostgreSQL database; the media stay in DIR. */
static int
run_copy (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonStore) from = NULL;
  g_autoptr(BatonStore) to = NULL;
  g_autofree char *path = NULL;
  g_autofree char *media = NULL;
  BatonCopyStats stats = { 0 };

  if (options.data_dir == NULL || options.database == NULL)
    return usage_error ("copy needs --from DIR and --to URL");
  if (!g_str_has_prefix (options.database, "postgres"))
    return usage_error ("--to takes a PostgreSQL URL, such as postgresql://baton@localhost/baton");
  path = g_build_filename (options.data_dir, "baton.db", NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_printerr ("batond: %s holds no workspace\n", options.data_dir);
      return EXIT_FAILURE;
    }
  from = baton_store_sqlite_open (path, &error);
  if (from == NULL || !baton_store_migrate (from, &error)
      || (to = baton_store_postgres_open (options.database, &error)) == NULL
      || !baton_store_migrate (to, &error) || !baton_store_copy (from, to, &stats, &error))
    {
      g_printerr ("batond: %s\n", error->message);
      return EXIT_FAILURE;
    }
  media = g_build_filename (options.data_dir, "media", NULL);
  g_print ("Copied %u tables, %" G_GUINT64_FORMAT " rows. The media stay in %s: serve with "
           "--media-dir %s.\n", stats.tables, stats.rows, media, media);
  return EXIT_SUCCESS;
}

static int
run_init (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonStore) store = NULL;
  g_autoptr(BatonClock) clock = baton_clock_new ();
  g_autoptr(BatonWorkspace) workspace = NULL;

  if (options.data_dir == NULL || options.admin_email == NULL || options.admin_password == NULL)
    return usage_error ("init needs --data-dir, --admin-email and --admin-password");
  if (strlen (options.admin_password) < 8)
    return usage_error ("the admin password needs at least 8 characters");
  if (strchr (options.admin_email, '@') == NULL)
    return usage_error ("--admin-email must be an email address");
  store = open_store (TRUE, &error);
  if (store == NULL)
    {
      g_printerr ("batond: %s\n", error->message);
      return EXIT_FAILURE;
    }
  workspace = baton_workspace_new (store, clock);
  if (baton_workspace_exists (workspace))
    {
      g_printerr ("batond: %s already holds a workspace; nothing was changed\n",
                  workspace_place ());
      return EXIT_FAILURE;
    }
  if (!baton_workspace_initialize (workspace, options.admin_name ? options.admin_name : "Manager",
                                   options.admin_email, options.admin_password, &error))
    {
      g_printerr ("batond: %s\n", error->message);
      return EXIT_FAILURE;
    }
  baton_store_close (store);
  g_print ("Created a workspace in %s; %s can sign in.\n", workspace_place (),
           options.admin_email);
  return EXIT_SUCCESS;
}

static void
print_demo_logins (void)
{
  guint n_logins = 0;
  const BatonDemoLogin *logins = baton_demo_logins (&n_logins);

  g_printerr ("Baton demo workspace in %s\nSign in with one of:\n", options.data_dir);
  for (guint i = 0; i < n_logins; i++)
    g_printerr ("  %-8s %-28s password: %s  (%s)\n", logins[i].role, logins[i].email,
                logins[i].password, logins[i].name);
}

/* A node runs two threads. The network's, this one, runs the server: connections, requests
 * read and answered, streams. The workspace's runs everything that reads or writes the
 * database, on the global default context, so that waiting for the database never holds up
 * the network. */
typedef struct {
  GMainContext *context;
  GMainLoop *loop;
  BatonServer *server;
  gboolean stopping;
  GSource *drain;
  GSource *term;
  GSource *interrupt;

  GThread *workspace_thread;
  GMainLoop *workspace_loop;
  BatonWorkspace *workspace;
} Running;

static gboolean
drain_cb (gpointer user_data)
{
  Running *running = user_data;
  static guint waited;

  /* Requests already being answered finish first; ten seconds at most. */
  if (baton_server_get_n_in_flight (running->server) > 0 && waited++ < 1000)
    return G_SOURCE_CONTINUE;
  g_main_loop_quit (running->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
stop_cb (gpointer user_data)
{
  Running *running = user_data;

  if (!running->stopping)
    {
      running->stopping = TRUE;
      baton_server_shutdown (running->server);
      running->drain = g_timeout_source_new (10);
      g_source_set_callback (running->drain, drain_cb, running, NULL);
      g_source_attach (running->drain, running->context);
    }
  return G_SOURCE_CONTINUE;
}

/* The workspace to serve: the demo's is created on its first start. FALSE after saying why. */
static gboolean
prepare_workspace (BatonWorkspace *workspace,
                   gboolean        demo,
                   gboolean       *populated)
{
  g_autoptr(GError) error = NULL;

  if (demo && !baton_workspace_exists (workspace))
    {
      if (!baton_demo_populate (workspace, &error))
        {
          g_printerr ("batond: cannot create the demo workspace: %s\n", error->message);
          return FALSE;
        }
      *populated = TRUE;
    }
  if (!baton_workspace_exists (workspace))
    {
      g_printerr ("batond: %s holds no workspace; create one with 'batond init'\n",
                  workspace_place ());
      return FALSE;
    }
  baton_workspace_prune_events (workspace);
  if (!baton_workspace_restore_timers (workspace, &error))
    {
      g_printerr ("batond: cannot read the pending timers: %s\n", error->message);
      return FALSE;
    }
  return TRUE;
}

/* The demo's WhatsApp number, connected to the sandbox the server now serves at url. */
static void
start_demo (BatonWorkspace *workspace,
            BatonDemoGraph *demo_graph,
            const char     *url)
{
  g_autoptr(GError) error = NULL;

  if (!baton_demo_connect_whatsapp (workspace, url, &error))
    g_warning ("The demo's WhatsApp number was not connected to its sandbox: %s",
               error->message);
  print_demo_logins ();
  if (options.simulate > 0)
    {
      g_printerr ("Simulating %.1f customer messages a minute.\n", options.simulate);
      baton_demo_simulate (workspace, demo_graph, options.simulate);
    }
}

/* SIGTERM and SIGINT stop the server from now on: one that comes before the loop runs (a
 * supervisor stopping batond as soon as it said it listens) is handled once it runs. */
static GSource *
catch_signal (Running *running,
              int      signum)
{
  GSource *source = g_unix_signal_source_new (signum);

  g_source_set_callback (source, stop_cb, running, NULL);
  g_source_attach (source, running->context);
  return source;
}

static void
catch_stop_signals (Running     *running,
                    BatonServer *server)
{
  running->loop = g_main_loop_new (running->context, FALSE);
  running->server = server;
  running->term = catch_signal (running, SIGTERM);
  running->interrupt = catch_signal (running, SIGINT);
}

static void
clear_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static gpointer
run_workspace (gpointer data)
{
  Running *running = data;

  baton_workspace_set_batching (running->workspace, TRUE);
  g_main_loop_run (running->workspace_loop);
  /* the last turn's changes committed */
  baton_workspace_set_batching (running->workspace, FALSE);
  return NULL;
}

static gboolean
quit_workspace_cb (gpointer data)
{
  Running *running = data;

  g_main_loop_quit (running->workspace_loop);
  return G_SOURCE_REMOVE;
}

/* Serves until SIGTERM or SIGINT, then lets the requests in flight finish, and the
 * workspace's thread its turn. */
static void
run_until_stopped (Running        *running,
                   BatonWorkspace *workspace)
{
  GSource *quit = NULL;

  running->workspace = workspace;
  running->workspace_loop = g_main_loop_new (NULL, FALSE);
  running->workspace_thread = g_thread_new ("workspace", run_workspace, running);
  g_main_loop_run (running->loop);
  /* a source, never run here: the workspace's loop may not have started yet */
  quit = g_idle_source_new ();
  g_source_set_callback (quit, quit_workspace_cb, running, NULL);
  g_source_attach (quit, NULL);
  g_source_unref (quit);
  g_thread_join (g_steal_pointer (&running->workspace_thread));
  g_clear_pointer (&running->workspace_loop, g_main_loop_unref);
  clear_source (&running->drain);
  clear_source (&running->term);
  clear_source (&running->interrupt);
  g_clear_pointer (&running->loop, g_main_loop_unref);
}

static BatonServer *
new_server (BatonWorkspace *workspace,
            BatonWhatsapp  *whatsapp,
            BatonClock     *clock)
{
  const BatonRoute *routes;
  guint n_routes;
  BatonServer *server;

  routes = baton_api_routes (&n_routes);
  server = baton_server_new (workspace, whatsapp, routes, n_routes, baton_clock_is_test (clock));
  baton_server_add_metrics (server, baton_whatsapp_write_metrics, whatsapp);
  apply_config (server);
  return server;
}

/* The server, made and listening on the network's context (libsoup keeps the context it
 * is made on); NULL after saying why not. */
static BatonServer *
start_network (Running        *running,
               BatonWorkspace *workspace,
               BatonWhatsapp  *whatsapp,
               BatonClock     *clock,
               BatonDemoGraph *demo_graph,
               const char     *host,
               guint           port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonServer) server = NULL;

  g_main_context_push_thread_default (running->context);
  server = new_server (workspace, whatsapp, clock);
  /* the demo's WhatsApp number talks to a sandbox of the Graph API on this server */
  if (demo_graph)
    baton_demo_graph_mount (demo_graph, server);
  if (!baton_server_listen (server, host, port, &options.limits, &error))
    {
      g_printerr ("batond: cannot listen on %s: %s\n", options.listen, error->message);
      g_clear_object (&server);
    }
  g_main_context_pop_thread_default (running->context);
  return g_steal_pointer (&server);
}

static int
serve (BatonStore *store,
       BatonClock *clock,
       gboolean    demo)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonWorkspace) workspace = baton_workspace_new (store, clock);
  g_autoptr(BatonServer) server = NULL;
  g_autoptr(BatonWhatsapp) whatsapp = NULL;
  g_autoptr(BatonDemoGraph) demo_graph = NULL;
  g_autofree char *media_dir = NULL;
  g_autofree char *host = NULL;
  g_autofree char *url = NULL;
  guint port = 0;
  gboolean populated = FALSE;
  Running running = { 0 };

  if (!parse_listen (options.listen, &host, &port))
    return usage_error ("--listen takes HOST:PORT, such as 127.0.0.1:8080");
  if (!prepare_workspace (workspace, demo, &populated))
    return EXIT_FAILURE;
  media_dir = options.media_dir ? g_strdup (options.media_dir)
                                : g_build_filename (options.data_dir, "media", NULL);
  whatsapp = baton_whatsapp_new (workspace, media_dir);
  if (demo)
    demo_graph = baton_demo_graph_new (whatsapp);
  running.context = g_main_context_new ();
  server = start_network (&running, workspace, whatsapp, clock, demo_graph, host, port);
  if (server == NULL)
    {
      g_main_context_unref (running.context);
      return EXIT_FAILURE;
    }
  catch_stop_signals (&running, server);
  url = baton_server_get_url (server);
  baton_workspace_cluster_join (workspace);
  if (demo)
    start_demo (workspace, demo_graph, url);
  g_print ("listening on %s\n", url);
  fflush (stdout);
  /* deliveries stored before a stop are processed, queued replies sent */
  baton_whatsapp_start (whatsapp);
  if (populated)
    baton_demo_play_whatsapp (workspace, demo_graph);

  g_main_context_push_thread_default (running.context);
  run_until_stopped (&running, workspace);
  g_clear_object (&server);
  g_main_context_pop_thread_default (running.context);
  g_main_context_unref (running.context);

  g_clear_object (&demo_graph);
  baton_whatsapp_stop (whatsapp);
  g_clear_object (&whatsapp);
  g_clear_object (&workspace);
  baton_store_close (store);
  return EXIT_SUCCESS;
}

static int
run_serve (gboolean demo)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonStore) store = NULL;
  g_autoptr(BatonClock) clock = NULL;

  if (!load_config (&error))
    {
      g_printerr ("batond: %s\n", error->message);
      return EXIT_FAILURE;
    }
  if (options.data_dir == NULL || options.listen == NULL)
    return usage_error (demo ? "demo needs --data-dir and --listen"
                             : "serve needs --data-dir and --listen");
  if (options.use_test_clock)
    {
      gint64 start = g_get_real_time () / 1000;

      if (options.test_clock && !baton_time_parse (options.test_clock, &start))
        return usage_error ("--test-clock takes an RFC 3339 time such as 2026-11-22T09:30:00Z");
      clock = baton_clock_new_test (start);
    }
  else
    {
      clock = baton_clock_new ();
    }
  if (options.simulate < 0)
    return usage_error ("--simulate takes a positive rate");
  store = open_store (demo, &error);
  if (store == NULL)
    {
      g_printerr ("batond: %s\n", error->message);
      return EXIT_FAILURE;
    }
  return serve (store, clock, demo);
}

/* Every connection costs a descriptor, and the usual soft limit (1,024) is far below what
 * a server is allowed: take all of it. */
static void
raise_descriptor_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max)
    return;
  limit.rlim_cur = limit.rlim_max;
  if (setrlimit (RLIMIT_NOFILE, &limit) != 0)
    g_warning ("Cannot raise the file descriptor limit: %s", g_strerror (errno));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const GOptionEntry *entries = NULL;
  const char *command = NULL;
  int status;

  setlocale (LC_ALL, "");
  /* the workspace's files and media are batond's user's alone */
  umask (0077);
  raise_descriptor_limit ();
  if (!baton_auth_init ())
    {
      g_printerr ("batond: cannot initialise libsodium\n");
      return EXIT_FAILURE;
    }

  if (argc < 2)
    return usage_error ("a command is required");
  command = argv[1];
  if (g_str_equal (command, "--help") || g_str_equal (command, "-h")
      || g_str_equal (command, "help"))
    {
      g_print ("%s", usage_text);
      return EXIT_SUCCESS;
    }
  if (g_str_equal (command, "--version"))
    {
      g_print ("batond %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }
  if (g_str_equal (command, "init"))
    entries = init_entries;
  else if (g_str_equal (command, "serve"))
    entries = serve_entries;
  else if (g_str_equal (command, "demo"))
    entries = demo_entries;
  else if (g_str_equal (command, "copy"))
    entries = copy_entries;
  else
    {
      g_autofree char *message = g_strdup_printf ("unknown command '%s'", command);

      return usage_error (message);
    }

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, usage_text);
  g_option_context_add_main_entries (context, entries, NULL);
  argv[1] = argv[0];
  argc--;
  argv++;
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);
  if (argc > 1)
    {
      g_autofree char *message = g_strdup_printf ("unexpected argument '%s'", argv[1]);

      return usage_error (message);
    }

  if (g_str_equal (command, "init"))
    status = run_init ();
  else if (g_str_equal (command, "copy"))
    status = run_copy ();
  else
    status = run_serve (g_str_equal (command, "demo"));

  g_free (options.data_dir);
  g_free (options.listen);
  g_free (options.config);
  g_free (options.node_id);
  g_free (options.media_dir);
  g_free (options.database);
  g_free (options.admin_email);
  g_free (options.admin_password);
  g_free (options.admin_name);
  g_free (options.test_clock);
  g_clear_pointer (&options.trusted_proxies, g_ptr_array_unref);
  return status;
}
