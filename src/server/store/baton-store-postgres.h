/* baton-store-postgres.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-store.h"

G_BEGIN_DECLS

#define BATON_TYPE_STORE_POSTGRES (baton_store_postgres_get_type ())

G_DECLARE_FINAL_TYPE (BatonStorePostgres, baton_store_postgres, BATON, STORE_POSTGRES, GObject)

/* Prepared statements kept for reuse, the least recently used deallocated beyond that */
#define BATON_STORE_POSTGRES_MAX_STATEMENTS 512

/* url: a libpq connection URI (postgresql://…) or key=value string. */
BatonStore *baton_store_postgres_open           (const char          *url,
                                                 GError             **error);
int         baton_store_postgres_schema_version (BatonStorePostgres  *self,
                                                 GError             **error);
/* The SQL as the server runs it: "?" placeholders numbered in order ($1, $2 …), "?N" as
 * $N, quoted text and names left alone. */
char       *baton_store_postgres_translate      (const char          *sql);

G_END_DECLS
