/* baton-test-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "baton-store-sqlite.h"
#include "baton-test-store.h"

void
baton_test_store_setup (BatonTestStore *fixture,
                        gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("baton-test-store-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "baton.db", NULL);
  fixture->store = baton_store_sqlite_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (baton_store_migrate (fixture->store, &error));
  g_assert_no_error (error);
}

void
baton_test_store_teardown (BatonTestStore *fixture,
                           gconstpointer   data)
{
  g_autoptr(GDir) listing = NULL;
  const char *name = NULL;

  baton_store_close (fixture->store);
  g_clear_object (&fixture->store);
  listing = g_dir_open (fixture->dir, 0, NULL);
  while (listing && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *file = g_build_filename (fixture->dir, name, NULL);

      g_assert_cmpint (g_unlink (file), ==, 0);
    }
  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  g_free (fixture->dir);
}

void
baton_test_store_exec (BatonTestStore *fixture,
                       const char     *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (baton_store_exec (fixture->store, &error, sql, ""), >=, 0);
  g_assert_no_error (error);
}

void
baton_test_store_add_thread (BatonTestStore *fixture)
{
  baton_test_store_exec (fixture,
                         "INSERT INTO channels (id, kind, name, created_at, updated_at)"
                         " VALUES ('chn_1', 'whatsapp', 'WA', 0, 0)");
  baton_test_store_exec (fixture,
                         "INSERT INTO contacts (id, name, phone, wa_id, created_at)"
                         " VALUES ('ctc_1', 'Ada', '+331', '331', 0)");
  baton_test_store_exec (fixture,
                         "INSERT INTO conversations (id, channel_id, contact_id, status,"
                         " activity_at, created_at, updated_at)"
                         " VALUES ('cnv_1', 'chn_1', 'ctc_1', 'new', 0, 0, 0)");
}
