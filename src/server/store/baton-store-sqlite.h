/* baton-store-sqlite.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-store.h"

G_BEGIN_DECLS

#define BATON_TYPE_STORE_SQLITE (baton_store_sqlite_get_type ())

G_DECLARE_FINAL_TYPE (BatonStoreSqlite, baton_store_sqlite, BATON, STORE_SQLITE, GObject)

/* Prepared statements kept for reuse, the least recently used finalized beyond that */
#define BATON_STORE_SQLITE_MAX_STATEMENTS 512

BatonStore *baton_store_sqlite_open           (const char  *path,
                                               GError     **error);
int         baton_store_sqlite_schema_version (BatonStoreSqlite *self);
int         baton_store_sqlite_latest_version (void);
/* checkpoints of the WAL finished in their thread (SQLite's automatic ones are off) */
guint64     baton_store_sqlite_get_checkpoints (BatonStoreSqlite *self);

G_END_DECLS
