/* baton-store-copy.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-store.h"

G_BEGIN_DECLS

typedef struct {
  guint tables;
  guint64 rows;
} BatonCopyStats;

/* Copies the workspace of a SQLite store into a PostgreSQL one, both migrated: history,
 * event seqs and all. A target that already holds a workspace is refused (CONFLICT); a
 * copy that fails leaves the target as it was. */
gboolean baton_store_copy (BatonStore      *from,
                           BatonStore      *to,
                           BatonCopyStats  *stats,
                           GError         **error);

G_END_DECLS
