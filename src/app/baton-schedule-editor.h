/* baton-schedule-editor.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "baton-client.h"

G_BEGIN_DECLS

/* A window to create (schedule NULL) or edit business hours: name, time zone, the intervals
 * of each weekday, holidays, and the flows that use it. Saves through the client; the page
 * follows the schedule.* events. */

#define BATON_TYPE_SCHEDULE_EDITOR (baton_schedule_editor_get_type ())

G_DECLARE_FINAL_TYPE (BatonScheduleEditor, baton_schedule_editor, BATON, SCHEDULE_EDITOR,
                      AdwWindow)

BatonScheduleEditor *baton_schedule_editor_new (BatonClient   *client,
                                                BatonSchedule *schedule,
                                                GPtrArray     *flows);

/* "09:00–18:00, 22:00–02:00": the intervals of one day of the week (0 = Monday). */
char                *baton_schedule_format_day (BatonSchedule *schedule,
                                                int            day);

G_END_DECLS
