/* baton-store-settings.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-store"

#include "config.h"

#include "baton-store-settings.h"

GHashTable *
baton_store_settings_list (BatonStore  *store,
                           GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error, "SELECT key, value FROM settings",
                                                 "");
  GHashTable *settings = NULL;

  if (rows == NULL)
    return NULL;
  settings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint r = 0; r < baton_rows_count (rows); r++)
    g_hash_table_insert (settings, baton_rows_dup_text (rows, r, 0),
                         baton_rows_dup_text (rows, r, 1));
  return settings;
}

gboolean
baton_store_settings_set (BatonStore  *store,
                          const char  *key,
                          const char  *value,
                          GError     **error)
{
  return baton_store_exec (store, error,
                           "INSERT INTO settings (key, value) VALUES (?, ?)"
                           " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                           "ss", key, value) >= 0;
}

gboolean
baton_store_settings_set_default (BatonStore  *store,
                                  const char  *key,
                                  const char  *value,
                                  GError     **error)
{
  return baton_store_exec (store, error,
                           "INSERT INTO settings (key, value) VALUES (?, ?)"
                           " ON CONFLICT (key) DO NOTHING", "ss", key, value) >= 0;
}
