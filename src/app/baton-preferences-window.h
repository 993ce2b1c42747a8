/* baton-preferences-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "baton-client.h"
#include "baton-settings.h"

G_BEGIN_DECLS

#define BATON_TYPE_PREFERENCES_WINDOW (baton_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (BatonPreferencesWindow, baton_preferences_window, BATON,
                      PREFERENCES_WINDOW, AdwPreferencesWindow)

/* client: the signed-in account, or NULL. Managers also get the workspace's settings. */
BatonPreferencesWindow *baton_preferences_window_new (BatonSettings *settings,
                                                      BatonClient   *client);

G_END_DECLS
