/* baton-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-store"

#include "config.h"

#include "baton-json.h"
#include "baton-store.h"
#include "baton-store-private.h"
#include "baton-store-syncer.h"

struct _BatonRows
{
  guint n_cols;
  GArray *cells;
};

G_DEFINE_INTERFACE (BatonStore, baton_store, G_TYPE_OBJECT)

static void
baton_store_default_init (BatonStoreInterface *iface)
{
}

gboolean
baton_store_migrate (BatonStore  *self,
                     GError     **error)
{
  return BATON_STORE_GET_IFACE (self)->migrate (self, error);
}

gboolean
baton_store_begin (BatonStore  *self,
                   GError     **error)
{
  return BATON_STORE_GET_IFACE (self)->begin (self, error);
}

gboolean
baton_store_commit (BatonStore  *self,
                    GError     **error)
{
  return BATON_STORE_GET_IFACE (self)->commit (self, error);
}

void
baton_store_rollback (BatonStore *self)
{
  BATON_STORE_GET_IFACE (self)->rollback (self);
}

gboolean
baton_store_in_transaction (BatonStore *self)
{
  return BATON_STORE_GET_IFACE (self)->in_transaction (self);
}

gboolean
baton_store_savepoint (BatonStore  *self,
                       GError     **error)
{
  return BATON_STORE_GET_IFACE (self)->savepoint (self, error);
}

gboolean
baton_store_release (BatonStore  *self,
                     GError     **error)
{
  return BATON_STORE_GET_IFACE (self)->release (self, error);
}

void
baton_store_rollback_to (BatonStore *self)
{
  BATON_STORE_GET_IFACE (self)->rollback_to (self);
}

void
baton_store_sync_async (BatonStore          *self,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  baton_store_syncer_wait (BATON_STORE_GET_IFACE (self)->syncer (self),
                           baton_store_in_transaction (self), callback, user_data);
}

gboolean
baton_store_sync_finish (BatonStore    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return baton_store_syncer_finish (G_OBJECT (self), result, error);
}

void
baton_store_sync_counts (BatonStore *self,
                         guint64    *n_syncs,
                         guint      *n_waiting)
{
  baton_store_syncer_counts (BATON_STORE_GET_IFACE (self)->syncer (self), n_syncs, n_waiting);
}

BatonStore *
baton_store_open_reader (BatonStore  *self,
                         GError     **error)
{
  return BATON_STORE_GET_IFACE (self)->open_reader (self, error);
}

void
baton_store_close (BatonStore *self)
{
  BATON_STORE_GET_IFACE (self)->close (self);
}

const char *
baton_store_backend (BatonStore *self)
{
  return BATON_STORE_GET_IFACE (self)->backend (self);
}

BatonRows *
baton_store_begin_after (BatonStore  *self,
                         gint64       after,
                         guint        limit,
                         GError     **error)
{
  BatonStoreInterface *iface = BATON_STORE_GET_IFACE (self);

  if (iface->begin_after)
    return iface->begin_after (self, after, limit, error);
  return baton_store_begin (self, error) ? baton_rows_new (5) : NULL;
}

gboolean
baton_store_watch_events (BatonStore          *self,
                          BatonStoreWatchFunc  func,
                          gpointer             user_data)
{
  BatonStoreInterface *iface = BATON_STORE_GET_IFACE (self);

  return iface->watch_events != NULL && iface->watch_events (self, func, user_data);
}

static GArray *
collect_params (const char *types,
                va_list     args)
{
  GArray *params = g_array_new (FALSE, TRUE, sizeof (BatonValue));

  for (const char *t = types; t && *t; t++)
    {
      BatonValue value = { 0 };

      switch (*t)
        {
        case 's':
          value.s = (char *) va_arg (args, const char *);
          value.type = value.s ? BATON_VALUE_TEXT : BATON_VALUE_NULL;
          break;
        case 'i':
          value.i = va_arg (args, gint64);
          value.type = BATON_VALUE_INT;
          break;
        case 'd':
        case 'b':
          value.i = va_arg (args, int);
          value.type = BATON_VALUE_INT;
          break;
        case 'f':
          value.d = va_arg (args, double);
          value.type = BATON_VALUE_DOUBLE;
          break;
        default:
          g_assert_not_reached ();
        }
      g_array_append_val (params, value);
    }
  return params;
}

/* The store is used from the main thread only. */
static guint64 n_statements;
static guint64 n_round_trips;

guint64
baton_store_get_statement_count (void)
{
  return n_statements;
}

guint64
baton_store_get_round_trip_count (void)
{
  return n_round_trips;
}

void
baton_store_count_round_trip (void)
{
  n_round_trips++;
}

/* Counts a statement; with G_MESSAGES_DEBUG=baton-store, prints it to find the statements an
 * operation repeats (on stderr: batond's stdout is its listening line). */
static void
count_statement (const char *sql)
{
  static int log_statements = -1;

  n_statements++;
  if (G_UNLIKELY (log_statements < 0))
    log_statements = !g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN);
  if (G_UNLIKELY (log_statements))
    g_printerr ("%s: statement %" G_GUINT64_FORMAT ": %s\n", G_LOG_DOMAIN, n_statements, sql);
}

BatonRows *
baton_store_query_values (BatonStore        *self,
                          const char        *sql,
                          const BatonValue  *params,
                          guint              n_params,
                          GError           **error)
{
  count_statement (sql);
  return BATON_STORE_GET_IFACE (self)->query (self, sql, params, n_params, error);
}

BatonRows *
baton_store_query (BatonStore  *self,
                   GError     **error,
                   const char  *sql,
                   const char  *types,
                   ...)
{
  g_autoptr(GArray) params = NULL;
  va_list args;

  va_start (args, types);
  params = collect_params (types, args);
  va_end (args);
  count_statement (sql);
  return BATON_STORE_GET_IFACE (self)->query (self, sql, (BatonValue *) params->data,
                                              params->len, error);
}

/* Returns the number of rows changed, or -1 on error. */
gint64
baton_store_exec (BatonStore  *self,
                  GError     **error,
                  const char  *sql,
                  const char  *types,
                  ...)
{
  g_autoptr(GArray) params = NULL;
  va_list args;

  va_start (args, types);
  params = collect_params (types, args);
  va_end (args);
  count_statement (sql);
  return BATON_STORE_GET_IFACE (self)->exec (self, sql, (BatonValue *) params->data,
                                             params->len, error);
}

static void
value_clear (BatonValue *value)
{
  g_clear_pointer (&value->s, g_free);
}

BatonRows *
baton_rows_new (guint n_cols)
{
  BatonRows *rows = g_new0 (BatonRows, 1);

  rows->n_cols = n_cols;
  rows->cells = g_array_new (FALSE, TRUE, sizeof (BatonValue));
  g_array_set_clear_func (rows->cells, (GDestroyNotify) value_clear);
  return rows;
}

/* Takes the n_cols cells (and their strings). */
void
baton_rows_add (BatonRows  *rows,
                BatonValue *cells)
{
  g_array_append_vals (rows->cells, cells, rows->n_cols);
}

void
baton_rows_free (BatonRows *rows)
{
  g_array_unref (rows->cells);
  g_free (rows);
}

guint
baton_rows_count (BatonRows *rows)
{
  return rows->n_cols ? rows->cells->len / rows->n_cols : 0;
}

static BatonValue *
cell (BatonRows *rows,
      guint      row,
      guint      col)
{
  g_return_val_if_fail (col < rows->n_cols, NULL);
  g_return_val_if_fail (row < baton_rows_count (rows), NULL);
  return &g_array_index (rows->cells, BatonValue, row * rows->n_cols + col);
}

const BatonValue *
baton_rows_value (BatonRows *rows,
                  guint      row,
                  guint      col)
{
  return cell (rows, row, col);
}

const char *
baton_rows_text (BatonRows *rows,
                 guint      row,
                 guint      col)
{
  BatonValue *value = cell (rows, row, col);

  return value && value->type == BATON_VALUE_TEXT ? value->s : NULL;
}

gint64
baton_rows_int (BatonRows *rows,
                guint      row,
                guint      col)
{
  BatonValue *value = cell (rows, row, col);

  if (value == NULL)
    return 0;
  if (value->type == BATON_VALUE_TEXT)
    return g_ascii_strtoll (value->s, NULL, 10);
  if (value->type == BATON_VALUE_DOUBLE)
    return (gint64) value->d;
  return value->i;
}

double
baton_rows_double (BatonRows *rows,
                   guint      row,
                   guint      col)
{
  BatonValue *value = cell (rows, row, col);

  if (value == NULL)
    return 0;
  if (value->type == BATON_VALUE_TEXT)
    return g_ascii_strtod (value->s, NULL);
  if (value->type == BATON_VALUE_DOUBLE)
    return value->d;
  return (double) value->i;
}

gboolean
baton_rows_is_null (BatonRows *rows,
                    guint      row,
                    guint      col)
{
  BatonValue *value = cell (rows, row, col);

  return value == NULL || value->type == BATON_VALUE_NULL;
}

char *
baton_rows_dup_text (BatonRows *rows,
                     guint      row,
                     guint      col)
{
  return g_strdup (baton_rows_text (rows, row, col));
}

GStrv
baton_rows_column_strv (BatonRows *rows,
                        guint      col)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  /* NULL cells have no place in a string vector: they are left out. */
  for (guint r = 0; r < baton_rows_count (rows); r++)
    if (baton_rows_text (rows, r, col))
      g_strv_builder_add (builder, baton_rows_text (rows, r, col));
  return g_strv_builder_end (builder);
}

GStrv
baton_store_take_strings (BatonRows *rows)
{
  g_autoptr(BatonRows) owned = rows;

  return owned ? baton_rows_column_strv (owned, 0) : NULL;
}

GStrv
baton_rows_json_strv (BatonRows *rows,
                      guint      row,
                      guint      col)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(JsonNode) node = baton_json_parse_text (baton_rows_text (rows, row, col));
  JsonArray *array = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

  for (guint i = 0; array && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (element));
    }
  return g_strv_builder_end (builder);
}

/* A LIKE pattern matching text anywhere, with LIKE's wildcards escaped (ESCAPE '\\'). */
char *
baton_store_like_pattern (const char *text)
{
  GString *pattern = g_string_new ("%");

  for (const char *p = text; *p; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '%');
  return g_string_free (pattern, FALSE);
}

gboolean
baton_store_ping (BatonStore  *self,
                  GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (self, error, "SELECT 1", "");

  return rows != NULL;
}

gboolean
baton_store_replace_list (BatonStore          *store,
                          const char          *delete_sql,
                          const char          *insert_sql,
                          const char          *id,
                          const char * const  *values,
                          GError             **error)
{
  if (baton_store_exec (store, error, delete_sql, "s", id) < 0)
    return FALSE;
  for (guint i = 0; values && values[i]; i++)
    if (baton_store_exec (store, error, insert_sql, "ssd", id, values[i], (int) i) < 0)
      return FALSE;
  return TRUE;
}

/* Statement caches */

struct _BatonStatementCache
{
  guint limit;
  GDestroyNotify free_handle;
  /* CachedStatement, most recently used first, and their links by SQL text */
  GQueue statements;
  GHashTable *links;
};

typedef struct {
  char *sql;
  gpointer handle;
} CachedStatement;

static void
cached_statement_free (BatonStatementCache *cache,
                       CachedStatement     *cached)
{
  cache->free_handle (cached->handle);
  g_free (cached->sql);
  g_free (cached);
}

BatonStatementCache *
baton_statement_cache_new (guint          limit,
                           GDestroyNotify free_handle)
{
  BatonStatementCache *cache = g_new0 (BatonStatementCache, 1);

  cache->limit = MAX (limit, 1);
  cache->free_handle = free_handle;
  g_queue_init (&cache->statements);
  cache->links = g_hash_table_new (g_str_hash, g_str_equal);
  return cache;
}

void
baton_statement_cache_clear (BatonStatementCache *cache)
{
  CachedStatement *cached = NULL;

  g_hash_table_remove_all (cache->links);
  while ((cached = g_queue_pop_head (&cache->statements)) != NULL)
    cached_statement_free (cache, cached);
}

void
baton_statement_cache_free (BatonStatementCache *cache)
{
  if (cache == NULL)
    return;
  baton_statement_cache_clear (cache);
  g_hash_table_unref (cache->links);
  g_free (cache);
}

gpointer
baton_statement_cache_lookup (BatonStatementCache *cache,
                              const char          *sql)
{
  GList *link = g_hash_table_lookup (cache->links, sql);

  if (link == NULL)
    return NULL;
  g_queue_unlink (&cache->statements, link);
  g_queue_push_head_link (&cache->statements, link);
  return ((CachedStatement *) link->data)->handle;
}

void
baton_statement_cache_add (BatonStatementCache *cache,
                           const char          *sql,
                           gpointer             handle)
{
  CachedStatement *cached = g_new0 (CachedStatement, 1);
  GList *link = g_hash_table_lookup (cache->links, sql);

  if (link)
    {
      g_hash_table_remove (cache->links, sql);
      cached_statement_free (cache, link->data);
      g_queue_delete_link (&cache->statements, link);
    }
  cached->sql = g_strdup (sql);
  cached->handle = handle;
  g_queue_push_head (&cache->statements, cached);
  g_hash_table_insert (cache->links, cached->sql, cache->statements.head);
  if (cache->statements.length > cache->limit)
    {
      CachedStatement *oldest = g_queue_pop_tail (&cache->statements);

      g_hash_table_remove (cache->links, oldest->sql);
      cached_statement_free (cache, oldest);
    }
}
