/* baton-test-postgres.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gio/gio.h>
#include <libpq-fe.h>

#include "baton-test-postgres.h"

#define DEFAULT_PGBIN "/usr/lib/postgresql/15/bin"
#define USER "baton"

static char *cluster_dir;
static guint n_databases;
static gboolean durable;
/* pg_ctl's -D, -l and -o, once the cluster is made */
static char *cluster_data;
static char *cluster_log;
static char *cluster_options;
/* baton_test_postgres_use_server: a server's URL, and the databases made on it */
static char *server_url;
static GPtrArray *server_databases;

static const char *
pgbin (void)
{
  const char *dir = g_getenv ("BATON_TEST_PGBIN");

  return dir && *dir ? dir : DEFAULT_PGBIN;
}

gboolean
baton_test_postgres_available (void)
{
  g_autofree char *initdb = g_build_filename (pgbin (), "initdb", NULL);

  return g_file_test (initdb, G_FILE_TEST_IS_EXECUTABLE);
}

const char *
baton_test_postgres_socket_dir (void)
{
  return cluster_dir;
}

/* Runs one of PostgreSQL's programs with the arguments, NULL-terminated; as nobody when
 * this process is root. */
static gboolean
run_program (GError     **error,
             const char  *program,
             ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *errors = NULL;
  int status = 0;
  va_list args;

  if (getuid () == 0)
    {
      g_ptr_array_add (argv, g_strdup ("runuser"));
      g_ptr_array_add (argv, g_strdup ("-u"));
      g_ptr_array_add (argv, g_strdup ("nobody"));
      g_ptr_array_add (argv, g_strdup ("--"));
    }
  g_ptr_array_add (argv, g_build_filename (pgbin (), program, NULL));
  va_start (args, program);
  for (const char *arg = va_arg (args, const char *); arg; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync (cluster_dir, (char **) argv->pdata, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                     &errors, &status, error))
    return FALSE;
  if (!g_spawn_check_wait_status (status, error))
    {
      g_prefix_error (error, "%s: %s", program, errors ? errors : "");
      return FALSE;
    }
  return TRUE;
}

/* A process of its own waits for this one to end, then stops the cluster and removes it,
 * whichever way it ended (a failed assertion aborts without running atexit). */
static void
start_reaper (const char *data)
{
  g_autofree char *pg_ctl = g_build_filename (pgbin (), "pg_ctl", NULL);
  g_autofree char *quoted_ctl = g_shell_quote (pg_ctl);
  g_autofree char *quoted_data = g_shell_quote (data);
  g_autofree char *quoted_dir = g_shell_quote (cluster_dir);
  g_autofree char *script = g_strdup_printf ("while kill -0 %d 2>/dev/null; do sleep 1; done;"
                                             " %s %s -D %s -m immediate -s -w stop;"
                                             " rm -rf %s", (int) getpid (),
                                             getuid () == 0 ? "runuser -u nobody --" : "",
                                             quoted_ctl, quoted_data, quoted_dir);
  const char *argv[] = { "/bin/sh", "-c", script, NULL };

  g_spawn_async ("/", (char **) argv, NULL,
                 G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL
                 | G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL, NULL, NULL);
}

static gboolean
start_server (GError **error)
{
  return run_program (error, "pg_ctl", "-D", cluster_data, "-l", cluster_log, "-w", "-s", "-o",
                      cluster_options, "start", NULL);
}

static gboolean
start_cluster (GError **error)
{
  if (cluster_dir)
    return TRUE;
  /* short: a socket's path is limited to 107 bytes */
  cluster_dir = g_strdup ("/tmp/baton-pg-XXXXXX");
  if (g_mkdtemp (cluster_dir) == NULL
      || (getuid () == 0 && chown (cluster_dir, 65534, 65534) != 0))
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
                   "Cannot make %s: %s", cluster_dir, g_strerror (errno));
      g_clear_pointer (&cluster_dir, g_free);
      return FALSE;
    }
  cluster_data = g_build_filename (cluster_dir, "data", NULL);
  cluster_log = g_build_filename (cluster_dir, "log", NULL);
  cluster_options = g_strdup_printf ("-k %s -c listen_addresses= %s", cluster_dir,
                                     durable ? ""
                                     : "-F -c synchronous_commit=off -c full_page_writes=off");
  if (!run_program (error, "initdb", "-D", cluster_data, "-U", USER, "-A", "trust", "-E",
                    "UTF8", "--locale=C.UTF-8", "--no-sync", NULL)
      || !start_server (error))
    return FALSE;
  start_reaper (cluster_data);
  return TRUE;
}

gboolean
baton_test_postgres_crash (GError **error)
{
  g_return_val_if_fail (cluster_dir != NULL, FALSE);

  return run_program (error, "pg_ctl", "-D", cluster_data, "-m", "immediate", "-w", "-s",
                      "stop", NULL)
         && start_server (error);
}

void
baton_test_postgres_use_server (const char *url)
{
  g_return_if_fail (cluster_dir == NULL && server_url == NULL);

  server_url = g_strdup (url);
  server_databases = g_ptr_array_new_with_free_func (g_free);
}

/* One statement on the server, on a connection of its own. */
static gboolean
run_on_server (const char  *sql,
               GError     **error)
{
  PGconn *conn = PQconnectdb (server_url);
  PGresult *result = PQstatus (conn) == CONNECTION_OK ? PQexec (conn, sql) : NULL;
  gboolean ok = result && PQresultStatus (result) == PGRES_COMMAND_OK;

  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", sql,
                 result ? PQresultErrorMessage (result) : PQerrorMessage (conn));
  PQclear (result);
  PQfinish (conn);
  return ok;
}

/* The server's URL with another database: every other parameter as a query parameter. */
static char *
server_url_for (const char  *name,
                GError     **error)
{
  g_autoptr(GString) url = NULL;
  char *errors = NULL;
  PQconninfoOption *options = PQconninfoParse (server_url, &errors);
  gboolean first = TRUE;

  if (options == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s",
                   errors ? errors : "out of memory");
      PQfreemem (errors);
      return NULL;
    }
  url = g_string_new ("postgresql:///");
  g_string_append_uri_escaped (url, name, NULL, FALSE);
  for (PQconninfoOption *option = options; option->keyword; option++)
    if (option->val && *option->val && strcmp (option->keyword, "dbname") != 0)
      {
        g_string_append_c (url, first ? '?' : '&');
        first = FALSE;
        g_string_append_printf (url, "%s=", option->keyword);
        g_string_append_uri_escaped (url, option->val, NULL, FALSE);
      }
  PQconninfoFree (options);
  return g_string_free (g_steal_pointer (&url), FALSE);
}

static char *
new_server_database (char   **name_out,
                     GError **error)
{
  g_autofree char *name = g_strdup_printf ("baton_bench_%d_%u", (int) getpid (),
                                           ++n_databases);
  g_autofree char *sql = g_strdup_printf ("CREATE DATABASE %s", name);
  char *url = server_url_for (name, error);

  if (url == NULL || !run_on_server (sql, error))
    {
      g_free (url);
      return NULL;
    }
  g_ptr_array_add (server_databases, g_strdup (name));
  if (name_out)
    *name_out = g_steal_pointer (&name);
  return url;
}

void
baton_test_postgres_drop_databases (void)
{
  for (guint i = 0; server_databases && i < server_databases->len; i++)
    {
      g_autofree char *sql = g_strdup_printf ("DROP DATABASE IF EXISTS %s WITH (FORCE)",
                                              (char *) server_databases->pdata[i]);
      g_autoptr(GError) error = NULL;

      if (!run_on_server (sql, &error))
        g_printerr ("%s\n", error->message);
    }
  if (server_databases)
    g_ptr_array_set_size (server_databases, 0);
}

char *
baton_test_postgres_new_database (const char  *template,
                                  char       **name_out,
                                  GError     **error)
{
  g_autofree char *name = NULL;
  char *url = NULL;

  if (server_url)
    {
      g_return_val_if_fail (template == NULL, NULL);
      return new_server_database (name_out, error);
    }
  if (!start_cluster (error))
    return NULL;
  name = g_strdup_printf ("baton_test_%u", ++n_databases);
  if (template
      ? !run_program (error, "createdb", "-h", cluster_dir, "-U", USER, "-T", template, name,
                      NULL)
      : !run_program (error, "createdb", "-h", cluster_dir, "-U", USER, name, NULL))
    return NULL;
  url = g_strdup_printf ("postgresql://" USER "@/%s?host=%s", name, cluster_dir);
  if (name_out)
    *name_out = g_steal_pointer (&name);
  return url;
}

void
baton_test_postgres_set_durable (gboolean durable_cluster)
{
  g_return_if_fail (cluster_dir == NULL);

  durable = durable_cluster;
}

gboolean
baton_test_postgres_wanted (void)
{
  if (g_strcmp0 (g_getenv ("BATON_TEST_STORE"), "postgresql") != 0)
    return FALSE;
  if (server_url == NULL && !baton_test_postgres_available ())
    exit (77);
  return TRUE;
}
