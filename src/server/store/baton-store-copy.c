/* baton-store-copy.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-store"

#include "config.h"

#include "baton-error.h"
#include "baton-store-copy.h"
#include "baton-store-postgres-schema.h"
#include "baton-store-private.h"

/* A SQLite workspace copied into an empty PostgreSQL database, row for row: every table
 * both schemas have, in the target's column order, parents before children (its foreign
 * keys stay checked). The target's own triggers are off meanwhile, since the counts,
 * activity lines and last assignments they keep are copied as they are; its search index
 * is built afterwards from the rows, and its identities continue after the largest
 * number copied, so events keep their seqs and new ones follow. One transaction: a copy
 * that fails leaves the target as it was. */

/* built by the target from the rows, not copied: the search indexes and SQLite's queues of
 * rows waiting for its own */
static const char *const not_copied[] = {
  "contact_search", "message_search", "contact_search_pending", "message_search_pending",
  NULL,
};

/* rows a new workspace has: any of them, and the target is not empty */
static const char *const workspace_tables[] = {
  "agents", "channels", "contacts", "conversations", "events", "teams", NULL,
};

#define ROWS_PER_INSERT 200

/* The target's tables, each after those its foreign keys name. */
static GPtrArray *
tables_in_order (BatonStore  *to,
                 GError     **error)
{
  g_auto(GStrv) tables = NULL;
  g_autoptr(BatonRows) references = NULL;
  GPtrArray *ordered = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) placed = g_hash_table_new (g_str_hash, g_str_equal);

  tables = baton_store_take_strings (
    baton_store_query (to, error,
                       "SELECT c.relname FROM pg_class c JOIN pg_namespace n"
                       " ON n.oid = c.relnamespace WHERE c.relkind = 'r'"
                       " AND n.nspname = current_schema() ORDER BY 1", ""));
  references = baton_store_query (to, error,
                                  "SELECT c.relname, p.relname FROM pg_constraint k"
                                  " JOIN pg_class c ON c.oid = k.conrelid"
                                  " JOIN pg_class p ON p.oid = k.confrelid"
                                  " WHERE k.contype = 'f' AND k.conrelid <> k.confrelid", "");
  if (tables == NULL || references == NULL)
    {
      g_ptr_array_unref (ordered);
      return NULL;
    }
  while (ordered->len < g_strv_length (tables))
    {
      guint before = ordered->len;

      for (guint t = 0; tables[t]; t++)
        {
          const char *table = tables[t];
          gboolean ready = !g_hash_table_contains (placed, table);

          for (guint r = 0; ready && r < baton_rows_count (references); r++)
            if (g_str_equal (baton_rows_text (references, r, 0), table)
                && !g_hash_table_contains (placed, baton_rows_text (references, r, 1)))
              ready = FALSE;
          if (!ready)
            continue;
          g_hash_table_add (placed, (gpointer) table);
          g_ptr_array_add (ordered, g_strdup (table));
        }
      if (ordered->len == before)
        {
          g_set_error_literal (error, BATON_ERROR, BATON_ERROR_INTERNAL,
                               "The target's foreign keys form a cycle");
          g_ptr_array_unref (ordered);
          return NULL;
        }
    }
  return ordered;
}

static gboolean
target_is_empty (BatonStore  *to,
                 GError     **error)
{
  for (guint i = 0; workspace_tables[i]; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM \"%s\"",
                                              workspace_tables[i]);
      g_autoptr(BatonRows) rows = baton_store_query (to, error, sql, "");

      if (rows == NULL)
        return FALSE;
      if (baton_rows_int (rows, 0, 0) > 0)
        {
          g_set_error (error, BATON_ERROR, BATON_ERROR_CONFLICT,
                       "The target database already holds a workspace (%s has rows): "
                       "copy into an empty database", workspace_tables[i]);
          return FALSE;
        }
    }
  return TRUE;
}

/* The columns both have, in the target's order, and whether the target's is text. */
static gboolean
common_columns (BatonStore  *from,
                BatonStore  *to,
                const char  *table,
                GPtrArray  **columns,
                GArray     **is_text,
                GError     **error)
{
  g_auto(GStrv) source = baton_store_take_strings (
    baton_store_query (from, error, "SELECT name FROM pragma_table_info (?)", "s", table));
  g_autoptr(BatonRows) target = NULL;

  if (source == NULL)
    return FALSE;
  target = baton_store_query (to, error,
                              "SELECT column_name, data_type = 'text'"
                              " FROM information_schema.columns"
                              " WHERE table_schema = current_schema() AND table_name = ?"
                              " ORDER BY ordinal_position", "s", table);
  if (target == NULL)
    return FALSE;
  *columns = g_ptr_array_new_with_free_func (g_free);
  *is_text = g_array_new (FALSE, FALSE, sizeof (gboolean));
  for (guint r = 0; r < baton_rows_count (target); r++)
    if (g_strv_contains ((const char *const *) source, baton_rows_text (target, r, 0)))
      {
        gboolean text = baton_rows_int (target, r, 1) != 0;

        g_ptr_array_add (*columns, baton_rows_dup_text (target, r, 0));
        g_array_append_val (*is_text, text);
      }
  return TRUE;
}

static char *
column_list (GPtrArray *columns)
{
  g_autoptr(GString) list = g_string_new (NULL);

  for (guint c = 0; c < columns->len; c++)
    g_string_append_printf (list, "%s\"%s\"", c ? ", " : "", (char *) columns->pdata[c]);
  return g_string_free (g_steal_pointer (&list), FALSE);
}

/* Writes rows (rowid, then the columns) in one INSERT; a number read where the target
 * keeps text is written as text. */
static gboolean
insert_rows (BatonStore  *to,
             const char  *table,
             const char  *columns_sql,
             GArray      *is_text,
             BatonRows   *rows,
             GError     **error)
{
  guint n_rows = baton_rows_count (rows);
  guint n_cols = is_text->len;
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
  g_autofree BatonValue *params = g_new0 (BatonValue, (gsize) n_rows * n_cols);
  g_autoptr(BatonRows) result = NULL;

  g_string_printf (sql, "INSERT INTO \"%s\" (%s) VALUES", table, columns_sql);
  for (guint r = 0; r < n_rows; r++)
    {
      g_string_append (sql, r ? ", (" : " (");
      for (guint c = 0; c < n_cols; c++)
        {
          BatonValue *param = &params[r * n_cols + c];

          *param = *baton_rows_value (rows, r, c + 1);
          if (param->type == BATON_VALUE_INT && g_array_index (is_text, gboolean, c))
            {
              param->type = BATON_VALUE_TEXT;
              param->s = g_strdup_printf ("%" G_GINT64_FORMAT, param->i);
              g_ptr_array_add (owned, param->s);
            }
          g_string_append (sql, c ? ", ?" : "?");
        }
      g_string_append_c (sql, ')');
    }
  result = baton_store_query_values (to, sql->str, params, n_rows * n_cols, error);
  return result != NULL;
}

static gboolean
copy_table (BatonStore    *from,
            BatonStore    *to,
            const char    *table,
            BatonCopyStats *stats,
            GError       **error)
{
  g_autoptr(GPtrArray) columns = NULL;
  g_autoptr(GArray) is_text = NULL;
  g_autofree char *columns_sql = NULL;
  g_autofree char *select_sql = NULL;
  gint64 after = G_MININT64;

  if (!common_columns (from, to, table, &columns, &is_text, error))
    return FALSE;
  if (columns->len == 0)
    return TRUE;
  columns_sql = column_list (columns);
  select_sql = g_strdup_printf ("SELECT rowid, %s FROM \"%s\" WHERE rowid > ? ORDER BY rowid"
                                " LIMIT %d", columns_sql, table, ROWS_PER_INSERT);
  for (;;)
    {
      g_autoptr(BatonRows) rows = baton_store_query (from, error, select_sql, "i", after);
      guint n = rows ? baton_rows_count (rows) : 0;

      if (rows == NULL)
        return FALSE;
      if (n == 0)
        break;
      if (!insert_rows (to, table, columns_sql, is_text, rows, error))
        return FALSE;
      stats->rows += n;
      after = baton_rows_int (rows, n - 1, 0);
      if (n < ROWS_PER_INSERT)
        break;
    }
  stats->tables++;
  return TRUE;
}

static gboolean
set_triggers (BatonStore  *to,
              GPtrArray   *tables,
              gboolean     enabled,
              GError     **error)
{
  for (guint t = 0; t < tables->len; t++)
    {
      g_autofree char *sql = g_strdup_printf ("ALTER TABLE \"%s\" %s TRIGGER USER",
                                              (char *) tables->pdata[t],
                                              enabled ? "ENABLE" : "DISABLE");

      if (baton_store_exec (to, error, sql, "") < 0)
        return FALSE;
    }
  return TRUE;
}

/* Each identity continues after the largest number copied. */
static gboolean
continue_identities (BatonStore  *to,
                     GError     **error)
{
  g_autoptr(BatonRows) identities = baton_store_query (to, error,
                                                       "SELECT c.relname, a.attname"
                                                       " FROM pg_attribute a"
                                                       " JOIN pg_class c ON c.oid = a.attrelid"
                                                       " JOIN pg_namespace n"
                                                       " ON n.oid = c.relnamespace"
                                                       " WHERE a.attidentity <> ''"
                                                       " AND n.nspname = current_schema()", "");

  if (identities == NULL)
    return FALSE;
  for (guint r = 0; r < baton_rows_count (identities); r++)
    {
      const char *table = baton_rows_text (identities, r, 0);
      const char *column = baton_rows_text (identities, r, 1);
      g_autofree char *sql = g_strdup_printf ("SELECT setval (pg_get_serial_sequence"
                                              " ('\"%s\"', '%s'), coalesce (max (\"%s\"), 0)"
                                              " + 1, false) FROM \"%s\"", table, column,
                                              column, table);
      g_autoptr(BatonRows) rows = baton_store_query (to, error, sql, "");

      if (rows == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
copy_locked (BatonStore      *from,
             BatonStore      *to,
             BatonCopyStats  *stats,
             GError         **error)
{
  g_autoptr(GPtrArray) tables = NULL;
  g_auto(GStrv) source_tables = NULL;

  if (!target_is_empty (to, error))
    return FALSE;
  tables = tables_in_order (to, error);
  source_tables = baton_store_take_strings (
    baton_store_query (from, error, "SELECT name FROM sqlite_master WHERE type = 'table'", ""));
  if (tables == NULL || source_tables == NULL || !set_triggers (to, tables, FALSE, error))
    return FALSE;
  for (guint t = 0; t < tables->len; t++)
    {
      const char *table = tables->pdata[t];

      if (g_strv_contains (not_copied, table)
          || !g_strv_contains ((const char *const *) source_tables, table))
        continue;
      if (!copy_table (from, to, table, stats, error))
        {
          g_prefix_error (error, "Copying %s: ", table);
          return FALSE;
        }
    }
  if (!set_triggers (to, tables, TRUE, error))
    return FALSE;
  for (guint i = 0; baton_store_postgres_search_build[i]; i++)
    if (baton_store_exec (to, error, baton_store_postgres_search_build[i], "") < 0)
      return FALSE;
  return continue_identities (to, error);
}

gboolean
baton_store_copy (BatonStore      *from,
                  BatonStore      *to,
                  BatonCopyStats  *stats,
                  GError         **error)
{
  BatonCopyStats counted = { 0 };

  g_return_val_if_fail (g_str_equal (baton_store_backend (from), "sqlite"), FALSE);
  g_return_val_if_fail (g_str_equal (baton_store_backend (to), "postgresql"), FALSE);

  /* the source as one snapshot; the target all or nothing */
  if (!baton_store_begin (from, error))
    return FALSE;
  if (!baton_store_begin (to, error))
    {
      baton_store_rollback (from);
      return FALSE;
    }
  if (!copy_locked (from, to, &counted, error) || !baton_store_commit (to, error))
    {
      baton_store_rollback (to);
      baton_store_rollback (from);
      return FALSE;
    }
  baton_store_rollback (from);
  if (stats)
    *stats = counted;
  return TRUE;
}
