/* bench-limits.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <libsoup/soup.h>

#include "bench-limits.h"

static const char *const database_suffixes[] = { "", "-wal", "-shm" };

#define HELLO_ANSWER "{\"ok\":true,\"id\":\"hello\"}"

/* No parsing, no storage: the least a libsoup server does to answer a small POST, the
 * ceiling of any server built on it on this machine. */
static void
hello_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST
      || soup_server_message_get_request_body (msg)->length == 0)
    {
      soup_server_message_set_status (msg, 400, NULL);
      return;
    }
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, HELLO_ANSWER,
                                    sizeof HELLO_ANSWER - 1);
}

/* A socket on 127.0.0.1, any port, with batond's listen backlog: GLib's default of 10
 * would have a burst of new connections wait for SYN retries, and time those instead. */
static GSocket *
hello_socket (GError **error)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, error);

  if (socket == NULL)
    return NULL;
  g_socket_set_listen_backlog (socket, 1024);
  if (!g_socket_bind (socket, address, TRUE, error) || !g_socket_listen (socket, error))
    return NULL;
  return g_steal_pointer (&socket);
}

int
bench_hello_serve (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = hello_socket (&error);
  g_autoptr(GSocketAddress) address = NULL;

  soup_server_add_handler (server, NULL, hello_cb, NULL, NULL);
  if (socket == NULL || !soup_server_listen_socket (server, socket, 0, &error)
      || (address = g_socket_get_local_address (socket, &error)) == NULL)
    {
      g_printerr ("hello world: %s\n", error->message);
      return 1;
    }
  printf ("listening on %u\n",
          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)));
  fflush (stdout);
  g_main_loop_run (loop);
  return 0;
}

GSubprocess *
bench_hello_spawn (const char  *argument,
                   char       **url)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  guint64 port = 0;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "/proc/self/exe",
                              argument, NULL);
  if (process == NULL)
    g_error ("hello world: %s", error->message);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  if (line == NULL || !g_str_has_prefix (line, "listening on ")
      || (port = g_ascii_strtoull (line + 13, NULL, 10)) == 0)
    g_error ("hello world did not start: %s", error ? error->message : line);
  *url = g_strdup_printf ("http://127.0.0.1:%" G_GUINT64_FORMAT "/hello", port);
  return g_steal_pointer (&process);
}

static void
exec_or_die (sqlite3    *db,
             const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("SQLite: %s: %s", sql, message);
}

/* As batond stores a message: one row with a short text, each its own commit. */
double
bench_sqlite_commits (const char *dir,
                      const char *synchronous,
                      double      seconds)
{
  g_autofree char *path = g_build_filename (dir, "commits.db", NULL);
  g_autofree char *pragma = g_strdup_printf ("PRAGMA synchronous=%s", synchronous);
  sqlite3 *db = NULL;
  sqlite3_stmt *insert = NULL;
  gint64 started = 0;
  gint64 ended = 0;
  guint commits = 0;

  if (sqlite3_open (path, &db) != SQLITE_OK)
    g_error ("SQLite: cannot open %s", path);
  exec_or_die (db, "PRAGMA journal_mode=WAL");
  exec_or_die (db, pragma);
  exec_or_die (db, "CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  if (sqlite3_prepare_v2 (db, "INSERT INTO rows (body) VALUES (?)", -1, &insert, NULL)
      != SQLITE_OK)
    g_error ("SQLite: %s", sqlite3_errmsg (db));
  started = g_get_monotonic_time ();
  do
    {
      sqlite3_bind_text (insert, 1, "Hi, my washing machine is leaking again (order #1).", -1,
                         SQLITE_STATIC);
      if (sqlite3_step (insert) != SQLITE_DONE)
        g_error ("SQLite: %s", sqlite3_errmsg (db));
      sqlite3_reset (insert);
      commits++;
      ended = g_get_monotonic_time ();
    }
  while (ended - started < seconds * G_USEC_PER_SEC);
  sqlite3_finalize (insert);
  sqlite3_close (db);
  for (guint i = 0; i < G_N_ELEMENTS (database_suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, database_suffixes[i], NULL);

      g_unlink (file);
    }
  return commits / ((ended - started) / (double) G_USEC_PER_SEC);
}
