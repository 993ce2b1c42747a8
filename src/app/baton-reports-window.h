/* baton-reports-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "baton-client.h"

G_BEGIN_DECLS

/* The figures of a period (today, the last 7 or 30 days, or two dates: whole days of the
 * workspace's time zone, as the server counts them), from the server's summary: headline figures, charts that also show as tables, and the agents' table. A
 * manager filters by team and agent; an agent sees their own figures. "reports.export-to"
 * (a path) saves the server's CSV of what is shown; "reports.export" asks where first. */

#define BATON_TYPE_REPORTS_WINDOW (baton_reports_window_get_type ())

G_DECLARE_FINAL_TYPE (BatonReportsWindow, baton_reports_window, BATON, REPORTS_WINDOW, AdwWindow)

BatonReportsWindow *baton_reports_window_new        (BatonClient        *client);
/* the report shown, or NULL while one loads */
BatonReport        *baton_reports_window_get_report (BatonReportsWindow *self);

G_END_DECLS
