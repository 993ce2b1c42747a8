/* baton-report.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The summary of a period as GET /reports/summary gives it (API.md, "Reports"). Durations
 * are whole seconds, -1 when there is none. */

#define BATON_TYPE_REPORT (baton_report_get_type ())

typedef struct {
  guint count;
  gint64 median;
  gint64 p90;
} BatonReportTimes;

typedef struct {
  char *id;
  char *name;
  gint64 assigned;
  gint64 resolved;
  gint64 open;
  gint64 replies;
  BatonReportTimes first_response;
} BatonReportAgentRow;

typedef struct {
  char *via;
  gint64 count;
} BatonReportViaCount;

typedef struct {
  /* "YYYY-MM-DD", a local day of the workspace */
  char *date;
  gint64 created;
  gint64 resolved;
  gint64 first_response_median;
  gint64 resolution_median;
  /* BatonReportViaCount, by via */
  GPtrArray *assignments_by_via;
} BatonReportDayRow;

typedef struct {
  /* the period [from, to), ms since the epoch */
  gint64 from;
  gint64 to;
  char *timezone;
  char *team_id;
  char *agent_id;
  gint64 created;
  gint64 resolved;
  gint64 reopened;
  gint64 replies;
  BatonReportTimes first_response;
  BatonReportTimes resolution;
  /* BatonReportAgentRow, by name */
  GPtrArray *agents;
  /* BatonReportViaCount, by via */
  GPtrArray *assignments_by_via;
  /* BatonReportDayRow, one per local day of the period, in order */
  GPtrArray *days;
  /* conversations created by local hour (0 first), weekday (Monday first), both */
  gint64 created_by_hour[24];
  gint64 created_by_weekday[7];
  gint64 created_by_weekday_hour[7][24];
} BatonReport;

GType        baton_report_get_type  (void) G_GNUC_CONST;
BatonReport *baton_report_ref       (BatonReport *report);
void         baton_report_unref     (BatonReport *report);
/* NULL when node is not a summary */
BatonReport *baton_report_from_json (JsonNode    *node);
/* every via of the days' assignments, sorted (for a legend shared by all days) */
GStrv        baton_report_day_vias  (BatonReport *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonReport, baton_report_unref)

G_END_DECLS
