/* baton-hours-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "baton-client.h"

G_BEGIN_DECLS

/* The managers' Preferences page of business hours: the schedules with a summary of their
 * week, added, edited and deleted here; one a flow uses is not deleted, and the page says
 * which flow. Reloaded on schedule.* and flow.* events. */

#define BATON_TYPE_HOURS_PAGE (baton_hours_page_get_type ())

G_DECLARE_FINAL_TYPE (BatonHoursPage, baton_hours_page, BATON, HOURS_PAGE, AdwPreferencesPage)

void baton_hours_page_set_client (BatonHoursPage *self,
                                  BatonClient    *client);

G_END_DECLS
