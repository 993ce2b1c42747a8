/* baton-settings.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The app's local settings (GSettings org.baton.Baton) as typed properties, so widgets bind
 * to them and tests set them with g_object_set. */

#define BATON_TYPE_SETTINGS (baton_settings_get_type ())

G_DECLARE_FINAL_TYPE (BatonSettings, baton_settings, BATON, SETTINGS, GObject)

BatonSettings *baton_settings_new                (void);
GSettings     *baton_settings_get_gsettings      (BatonSettings *self);
/* kind: a notification kind of the protocol ("new_conversation", "assigned", …) */
gboolean       baton_settings_get_notify_kind    (BatonSettings *self,
                                                  const char    *kind);
gboolean       baton_settings_get_notification_sound (BatonSettings *self);
char          *baton_settings_dup_last_server_url (BatonSettings *self);
char          *baton_settings_dup_last_email     (BatonSettings *self);
void           baton_settings_set_last_account   (BatonSettings *self,
                                                  const char    *server_url,
                                                  const char    *email);

G_END_DECLS
