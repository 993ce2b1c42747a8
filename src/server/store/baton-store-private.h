/* baton-store-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-store.h"

G_BEGIN_DECLS

/* Helpers of the store's typed functions, not for the domain. */

/* Replaces an ordered list that belongs to id (tags, owners): delete_sql takes id, and
 * insert_sql (id, value, position) for each value in turn. */
gboolean baton_store_replace_list (BatonStore          *store,
                                   const char          *delete_sql,
                                   const char          *insert_sql,
                                   const char          *id,
                                   const char * const  *values,
                                   GError             **error);

/* Takes rows of (name, count): a GPtrArray of BatonCountRow (baton-store-counts.h), or NULL
 * when rows is NULL (the query failed). */
GPtrArray *baton_store_take_counts (BatonRows *rows);

/* Takes rows: the strings of their first column (NULL cells left out), NULL when rows is
 * NULL (the query failed). */
GStrv baton_store_take_strings (BatonRows *rows);

/* The strings of a JSON array cell (an ordered list read with json_group_array in the same
 * statement as its owner); NULL elements are left out. */
GStrv baton_rows_json_strv (BatonRows *rows,
                            guint      row,
                            guint      col);

/* A backend's prepared statements by their SQL text, the most recently used kept: SQL
 * built per request (an IN list as long as the request's) must not grow it without end.
 * Each handle (a sqlite3_stmt, a PostgreSQL statement's name) is freed by free_handle when
 * it is dropped, replaced, or the cache cleared. */
typedef struct _BatonStatementCache BatonStatementCache;

BatonStatementCache *baton_statement_cache_new    (guint                limit,
                                                   GDestroyNotify       free_handle);
void                 baton_statement_cache_free   (BatonStatementCache *cache);
/* the handle of sql, now the most recently used; NULL when it is not kept */
gpointer             baton_statement_cache_lookup (BatonStatementCache *cache,
                                                   const char          *sql);
/* keeps handle for sql; the least recently used beyond the limit is dropped */
void                 baton_statement_cache_add    (BatonStatementCache *cache,
                                                   const char          *sql,
                                                   gpointer             handle);
void                 baton_statement_cache_clear  (BatonStatementCache *cache);

/* A backend waited for its server's answer (baton_store_get_round_trip_count); main thread
 * only. */
void baton_store_count_round_trip (void);

G_END_DECLS
