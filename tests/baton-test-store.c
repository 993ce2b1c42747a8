/* baton-test-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include <stdlib.h>

#include "baton-store-postgres.h"
#include "baton-store-sqlite.h"
#include "baton-test-postgres.h"
#include "baton-test-store.h"

/* With BATON_TEST_STORE=postgresql, a database of the throwaway cluster copied from one
 * migrated once per test program. */
static BatonStore *
open_postgres (void)
{
  static char *template_name;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  BatonStore *store = NULL;

  if (template_name == NULL)
    {
      g_autoptr(BatonStore) migrated = NULL;

      url = baton_test_postgres_new_database (NULL, &template_name, &error);
      g_assert_no_error (error);
      migrated = baton_store_postgres_open (url, &error);
      g_assert_no_error (error);
      g_assert_true (baton_store_migrate (migrated, &error));
      baton_store_close (migrated);
      g_clear_pointer (&url, g_free);
    }
  url = baton_test_postgres_new_database (template_name, NULL, &error);
  g_assert_no_error (error);
  store = baton_store_postgres_open (url, &error);
  g_assert_no_error (error);
  return store;
}

gboolean
baton_test_store_is_postgres (void)
{
  return baton_test_postgres_wanted ();
}

void
baton_test_store_setup (BatonTestStore *fixture,
                        gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("baton-test-store-XXXXXX", &error);
  g_assert_no_error (error);
  if (baton_test_store_is_postgres ())
    {
      fixture->store = open_postgres ();
      return;
    }
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
