/* baton-store-schedules.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-store.h"

G_BEGIN_DECLS

/* Schedules: opening hours in a time zone, the weekly intervals and holidays as JSON texts
 * in their wire shape. */
typedef struct {
  char *id;
  char *name;
  char *timezone;
  char *weekly;
  char *holidays;
  gint64 created_at;
  gint64 updated_at;
} BatonScheduleRow;

void              baton_schedule_row_free       (BatonScheduleRow        *row);

/* NULL without an error: no such schedule */
BatonScheduleRow *baton_store_schedules_get     (BatonStore              *store,
                                                 const char              *id,
                                                 GError                 **error);
/* by name */
GPtrArray        *baton_store_schedules_list    (BatonStore              *store,
                                                 GError                 **error);
gboolean          baton_store_schedules_insert  (BatonStore              *store,
                                                 const BatonScheduleRow  *row,
                                                 GError                 **error);
/* every column but created_at */
gboolean          baton_store_schedules_update  (BatonStore              *store,
                                                 const BatonScheduleRow  *row,
                                                 GError                 **error);
gboolean          baton_store_schedules_delete  (BatonStore              *store,
                                                 const char              *id,
                                                 GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonScheduleRow, baton_schedule_row_free)

G_END_DECLS
