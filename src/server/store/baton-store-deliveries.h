/* baton-store-deliveries.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-store.h"

G_BEGIN_DECLS

/* The WhatsApp webhook's raw deliveries, kept until processed and a while after. */

typedef struct {
  gint64 n;
  char *body;
  char *app_secret_hash;
  gint64 received_at;
} BatonDelivery;

void       baton_delivery_free                       (BatonDelivery  *delivery);

gboolean   baton_store_deliveries_insert             (BatonStore     *store,
                                                      gint64          received_at,
                                                      const char     *body,
                                                      const char     *app_secret_hash,
                                                      GError        **error);
/* -1 when it cannot be read */
gint64     baton_store_deliveries_count_unprocessed  (BatonStore     *store,
                                                      GError        **error);
/* the oldest deliveries not processed yet, at most limit */
GPtrArray *baton_store_deliveries_unprocessed        (BatonStore     *store,
                                                      guint           limit,
                                                      GError        **error);
/* every delivery not processed yet up to n (the oldest are processed first), in one
 * statement */
gboolean   baton_store_deliveries_mark_processed     (BatonStore     *store,
                                                      gint64          n,
                                                      gint64          processed_at,
                                                      GError        **error);
/* deletes the processed deliveries received before received_before */
gboolean   baton_store_deliveries_prune              (BatonStore     *store,
                                                      gint64          received_before,
                                                      GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonDelivery, baton_delivery_free)

G_END_DECLS
