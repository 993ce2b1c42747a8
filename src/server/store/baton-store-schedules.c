/* baton-store-schedules.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-store"

#include "config.h"

#include "baton-store-schedules.h"

#define SCHEDULE_COLUMNS "id, name, timezone, weekly, holidays, created_at, updated_at"

void
baton_schedule_row_free (BatonScheduleRow *row)
{
  if (row == NULL)
    return;
  g_free (row->id);
  g_free (row->name);
  g_free (row->timezone);
  g_free (row->weekly);
  g_free (row->holidays);
  g_free (row);
}

static BatonScheduleRow *
schedule_from_row (BatonRows *rows,
                   guint      r)
{
  BatonScheduleRow *row = g_new0 (BatonScheduleRow, 1);

  row->id = baton_rows_dup_text (rows, r, 0);
  row->name = baton_rows_dup_text (rows, r, 1);
  row->timezone = baton_rows_dup_text (rows, r, 2);
  row->weekly = baton_rows_dup_text (rows, r, 3);
  row->holidays = baton_rows_dup_text (rows, r, 4);
  row->created_at = baton_rows_int (rows, r, 5);
  row->updated_at = baton_rows_int (rows, r, 6);
  return row;
}

BatonScheduleRow *
baton_store_schedules_get (BatonStore  *store,
                           const char  *id,
                           GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT " SCHEDULE_COLUMNS " FROM schedules"
                                                 " WHERE id = ?", "s", id);

  if (rows == NULL || baton_rows_count (rows) == 0)
    return NULL;
  return schedule_from_row (rows, 0);
}

GPtrArray *
baton_store_schedules_list (BatonStore  *store,
                            GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT " SCHEDULE_COLUMNS " FROM schedules"
                                                 " ORDER BY name, id", "");
  GPtrArray *schedules = NULL;

  if (rows == NULL)
    return NULL;
  schedules = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_schedule_row_free);
  for (guint r = 0; r < baton_rows_count (rows); r++)
    g_ptr_array_add (schedules, schedule_from_row (rows, r));
  return schedules;
}

gboolean
baton_store_schedules_insert (BatonStore              *store,
                              const BatonScheduleRow  *row,
                              GError                 **error)
{
  return baton_store_exec (store, error,
                           "INSERT INTO schedules (" SCHEDULE_COLUMNS ")"
                           " VALUES (?, ?, ?, ?, ?, ?, ?)", "sssssii", row->id, row->name,
                           row->timezone, row->weekly, row->holidays, row->created_at,
                           row->updated_at) >= 0;
}

gboolean
baton_store_schedules_update (BatonStore              *store,
                              const BatonScheduleRow  *row,
                              GError                 **error)
{
  return baton_store_exec (store, error,
                           "UPDATE schedules SET name = ?, timezone = ?, weekly = ?,"
                           " holidays = ?, updated_at = ? WHERE id = ?", "ssssis", row->name,
                           row->timezone, row->weekly, row->holidays, row->updated_at,
                           row->id) >= 0;
}

gboolean
baton_store_schedules_delete (BatonStore  *store,
                              const char  *id,
                              GError     **error)
{
  return baton_store_exec (store, error, "DELETE FROM schedules WHERE id = ?", "s", id) >= 0;
}
