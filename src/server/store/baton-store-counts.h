/* baton-store-counts.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-store.h"

G_BEGIN_DECLS

/* The counts a backend keeps as rows change (SQLite: triggers, migration 7), so that
 * /metrics never scans the conversations or the messages. */
typedef struct {
  char *name;
  gint64 n;
} BatonCountRow;

void       baton_count_row_free                     (BatonCountRow  *row);

/* the non-zero counts (BatonCountRow), by name */
GPtrArray *baton_store_counts_conversations_by_status (BatonStore   *store,
                                                       GError      **error);
GPtrArray *baton_store_counts_messages_by_kind        (BatonStore   *store,
                                                       GError      **error);

G_END_DECLS
