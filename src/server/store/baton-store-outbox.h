/* baton-store-outbox.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "baton-store.h"

G_BEGIN_DECLS

/* The outbox: what is to be sent to a channel's API (messages, read receipts), with its
 * attempts. */

typedef struct {
  gint64 n;
  char *channel_id;
  /* the Baton message it sends, or NULL (a read receipt) */
  char *message_id;
  char *kind;
  /* the API request, or NULL when it is not JSON */
  JsonNode *payload;
  gint64 attempts;
  gint64 next_attempt_at;
} BatonOutboxEntry;

void       baton_outbox_entry_free      (BatonOutboxEntry  *entry);

gboolean   baton_store_outbox_insert    (BatonStore        *store,
                                         const char        *channel_id,
                                         const char        *message_id,
                                         const char        *kind,
                                         const char        *recipient,
                                         JsonNode          *payload,
                                         gint64             now,
                                         GError           **error);
/* -1 when it cannot be read */
gint64     baton_store_outbox_count     (BatonStore        *store,
                                         GError           **error);
/* The oldest entry of each recipient (a customer reads replies in order), soonest due
 * first, at most limit. */
GPtrArray *baton_store_outbox_heads     (BatonStore        *store,
                                         guint              limit,
                                         GError           **error);
/* Several nodes (PostgreSQL only): entry n is node_id's to send until until, unless another
 * node's claim on it runs past now. 1 when claimed, 0 when another node holds it, -1 when it
 * failed. */
int        baton_store_outbox_claim     (BatonStore        *store,
                                         gint64             n,
                                         const char        *node_id,
                                         gint64             now,
                                         gint64             until,
                                         GError           **error);
gboolean   baton_store_outbox_delete    (BatonStore        *store,
                                         gint64             n,
                                         GError           **error);
/* the entries of one message (a reply with attachments has several): deleted, counted */
gboolean   baton_store_outbox_delete_message (BatonStore   *store,
                                         const char        *message_id,
                                         GError           **error);
gint64     baton_store_outbox_count_message (BatonStore    *store,
                                         const char        *message_id,
                                         GError           **error);
gboolean   baton_store_outbox_set_payload (BatonStore      *store,
                                         gint64             n,
                                         JsonNode          *payload,
                                         GError           **error);
gboolean   baton_store_outbox_retry_at  (BatonStore        *store,
                                         gint64             n,
                                         gboolean           count_attempt,
                                         gint64             next_attempt_at,
                                         GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonOutboxEntry, baton_outbox_entry_free)

G_END_DECLS
