/* baton-workspace-reports.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-store-reports.h"
#include "baton-workspace.h"

G_BEGIN_DECLS

/* The summary of a period (API.md, "Reports"), computed from the stored messages and activity
 * lines. Durations are in milliseconds here; the API gives seconds. */

/* a duration's median and 90th percentile by the nearest-rank method: the value at rank
 * ceil (p / 100 * n) of the n durations sorted, so always one of them */
typedef struct {
  guint count;
  gint64 median;
  gint64 p90;
} BatonReportDurations;

typedef struct {
  char *id;
  char *name;
  gint64 assigned;
  gint64 resolved;
  gint64 open;
  gint64 replies;
  BatonReportDurations first_response;
} BatonReportAgent;

/* one local day of the period, in the workspace's time zone */
typedef struct {
  GDate date;
  /* conversations created that day, and the first responses among them */
  gint64 created;
  BatonReportDurations first_response;
  /* the resolved lines of that day */
  gint64 resolved;
  BatonReportDurations resolution;
  /* BatonCountRow: that day's assignment lines per via, by via */
  GPtrArray *assignments_by_via;
} BatonReportDay;

typedef struct {
  gint64 from;
  gint64 to;
  char *timezone;
  char *team_id;
  char *agent_id;
  gint64 created;
  gint64 resolved;
  gint64 reopened;
  gint64 replies;
  BatonReportDurations first_response;
  BatonReportDurations resolution;
  /* BatonReportAgent, by name */
  GPtrArray *agents;
  /* BatonCountRow: assignment lines per via, by via */
  GPtrArray *assignments_by_via;
  /* conversations created, in the workspace's time zone; weekday 0 is Monday */
  gint64 by_hour[24];
  gint64 by_weekday[7];
  /* the same by weekday then hour */
  gint64 by_weekday_hour[7][24];
  /* BatonReportDay: every local day of the period, the first one first */
  GPtrArray *days;
} BatonReport;

void         baton_report_free              (BatonReport             *report);
/* the durations of values (gint64, sorted in place) */
void         baton_report_durations_compute (BatonReportDurations    *durations,
                                             GArray                  *values);
/* filter's from and to are set (the caller checks them); NULL team and agent: all */
BatonReport *baton_workspace_report_summary (BatonWorkspace          *self,
                                             const BatonReportFilter *filter,
                                             GError                 **error);
/* the same, its queries on a thread over a connection of their own */
void         baton_workspace_report_summary_async  (BatonWorkspace          *self,
                                                    const BatonReportFilter *filter,
                                                    GAsyncReadyCallback      callback,
                                                    gpointer                 user_data);
BatonReport *baton_workspace_report_summary_finish (BatonWorkspace          *self,
                                                    GAsyncResult            *result,
                                                    GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonReport, baton_report_free)

G_END_DECLS
