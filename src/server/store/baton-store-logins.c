/* baton-store-logins.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-store"

#include "config.h"

#include "baton-store-logins.h"

gboolean
baton_store_logins_add_failure (BatonStore  *store,
                                const char  *key,
                                gint64       at,
                                GError     **error)
{
  return baton_store_exec (store, error, "INSERT INTO login_failures (key, at) VALUES (?, ?)",
                           "si", key, at) >= 0;
}

gint64
baton_store_logins_nth_recent (BatonStore  *store,
                               const char  *key,
                               gint64       since,
                               guint        nth,
                               GError     **error)
{
  g_autoptr(BatonRows) rows = NULL;

  g_return_val_if_fail (nth > 0, -1);

  rows = baton_store_query (store, error,
                            "SELECT at FROM login_failures WHERE key = ? AND at > ?"
                            " ORDER BY at DESC LIMIT 1 OFFSET ?", "sii", key, since,
                            (gint64) nth - 1);
  if (rows == NULL)
    return -1;
  return baton_rows_count (rows) > 0 ? baton_rows_int (rows, 0, 0) : 0;
}

gboolean
baton_store_logins_prune (BatonStore  *store,
                          gint64       before,
                          GError     **error)
{
  return baton_store_exec (store, error, "DELETE FROM login_failures WHERE at <= ?", "i",
                           before) >= 0;
}
