/* baton-schedule.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define BATON_TYPE_SCHEDULE (baton_schedule_get_type ())

/* Business hours: weekly intervals on the local wall clock of a time zone, and holidays. */
typedef struct {
  /* 0 = Monday … 6 = Sunday */
  int day;
  /* minutes after local midnight; to <= from runs past midnight into the next day */
  int from;
  int to;
} BatonInterval;

typedef struct {
  char *id;
  char *name;
  char *timezone;
  GArray *weekly;
  /* "YYYY-MM-DD", sorted */
  GStrv holidays;
  GTimeZone *zone;
  gint64 created_at;
  gint64 updated_at;
} BatonSchedule;

GType          baton_schedule_get_type   (void) G_GNUC_CONST;
BatonSchedule *baton_schedule_new        (void);
BatonSchedule *baton_schedule_ref        (BatonSchedule *schedule);
void           baton_schedule_unref      (BatonSchedule *schedule);
gboolean       baton_schedule_update     (BatonSchedule *schedule,
                                          JsonObject    *object,
                                          gboolean       creating,
                                          GError       **error);
JsonNode      *baton_schedule_to_json    (BatonSchedule *schedule);
BatonSchedule *baton_schedule_from_json  (JsonNode      *node);
gboolean       baton_schedule_parse_clock (const char   *text,
                                           int          *minutes);
gboolean       baton_schedule_contains   (BatonSchedule *schedule,
                                          gint64         ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonSchedule, baton_schedule_unref)

G_END_DECLS
