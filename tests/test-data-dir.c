/* test-data-dir.c: the workspace's files are readable by batond's user alone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "baton-test-server.h"

static guint
mode_of (const char *dir,
         const char *name)
{
  g_autofree char *path = name ? g_build_filename (dir, name, NULL) : g_strdup (dir);
  GStatBuf info;

  g_assert_cmpint (g_stat (path, &info), ==, 0);
  return info.st_mode & 0777;
}

static void
assert_private (BatonTestServer *server)
{
  g_assert_cmpuint (mode_of (server->data_dir, NULL), ==, 0700);
  g_assert_cmpuint (mode_of (server->data_dir, "baton.db"), ==, 0600);
  g_assert_cmpuint (mode_of (server->data_dir, "baton.db-wal"), ==, 0600);
  g_assert_cmpuint (mode_of (server->data_dir, "baton.db-shm"), ==, 0600);
}

/* The database and its WAL files are created 0600 (they were 0644). */
static void
test_created_private (void)
{
  g_autoptr(BatonTestServer) server = baton_test_server_new (NULL, NULL);

  assert_private (server);
}

/* A data directory and database others can read (0755, 0644) are made private at start. */
static void
test_opened_up_made_private (void)
{
  g_autoptr(BatonTestServer) server = baton_test_server_new (NULL, NULL);
  g_autofree char *db = g_build_filename (server->data_dir, "baton.db", NULL);
  g_autoptr(JsonNode) me = NULL;

  baton_test_server_stop (server);
  g_assert_cmpint (g_chmod (server->data_dir, 0755), ==, 0);
  g_assert_cmpint (g_chmod (db, 0644), ==, 0);
  baton_test_server_start (server);
  assert_private (server);
  me = baton_test_expect (server, "GET", "/api/v1/me", server->manager_token, NULL, 200, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/data-dir/created-private", test_created_private);
  g_test_add_func ("/data-dir/opened-up-made-private", test_opened_up_made_private);

  return g_test_run ();
}
