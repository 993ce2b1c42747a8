/* baton-store-deliveries.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-store-deliveries"

#include "config.h"

#include "baton-store-deliveries.h"

void
baton_delivery_free (BatonDelivery *delivery)
{
  g_free (delivery->body);
  g_free (delivery->app_secret_hash);
  g_free (delivery);
}

gboolean
baton_store_deliveries_insert (BatonStore  *store,
                               gint64       received_at,
                               const char  *body,
                               const char  *app_secret_hash,
                               GError     **error)
{
  return baton_store_exec (store, error,
                           "INSERT INTO webhook_deliveries (received_at, body, app_secret_hash)"
                           " VALUES (?, ?, ?)", "iss", received_at, body, app_secret_hash) >= 0;
}

gint64
baton_store_deliveries_count_unprocessed (BatonStore  *store,
                                          GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT COUNT(*) FROM webhook_deliveries"
                                                 " WHERE processed_at IS NULL", "");

  return rows ? baton_rows_int (rows, 0, 0) : -1;
}

GPtrArray *
baton_store_deliveries_unprocessed (BatonStore  *store,
                                    guint        limit,
                                    GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT n, body, app_secret_hash, received_at"
                                                 " FROM webhook_deliveries"
                                                 " WHERE processed_at IS NULL ORDER BY n LIMIT ?",
                                                 "i", (gint64) limit);
  GPtrArray *deliveries = NULL;

  if (rows == NULL)
    return NULL;
  deliveries = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_delivery_free);
  for (guint r = 0; r < baton_rows_count (rows); r++)
    {
      BatonDelivery *delivery = g_new0 (BatonDelivery, 1);

      delivery->n = baton_rows_int (rows, r, 0);
      delivery->body = baton_rows_dup_text (rows, r, 1);
      delivery->app_secret_hash = baton_rows_dup_text (rows, r, 2);
      delivery->received_at = baton_rows_int (rows, r, 3);
      g_ptr_array_add (deliveries, delivery);
    }
  return deliveries;
}

gboolean
baton_store_deliveries_mark_processed (BatonStore  *store,
                                       gint64       n,
                                       gint64       processed_at,
                                       GError     **error)
{
  return baton_store_exec (store, error,
                           "UPDATE webhook_deliveries SET processed_at = ?"
                           " WHERE n <= ? AND processed_at IS NULL", "ii", processed_at,
                           n) >= 0;
}

gboolean
baton_store_deliveries_prune (BatonStore  *store,
                              gint64       received_before,
                              GError     **error)
{
  return baton_store_exec (store, error,
                           "DELETE FROM webhook_deliveries WHERE processed_at IS NOT NULL"
                           " AND received_at < ?", "i", received_before) >= 0;
}
