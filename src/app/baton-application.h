/* baton-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "baton-client.h"
#include "baton-notifier.h"
#include "baton-settings.h"

G_BEGIN_DECLS

#define BATON_TYPE_APPLICATION (baton_application_get_type ())

G_DECLARE_FINAL_TYPE (BatonApplication, baton_application, BATON, APPLICATION,
                      AdwApplication)

BatonApplication *baton_application_new          (void);
BatonSettings    *baton_application_get_settings (BatonApplication *self);
/* The signed-in account, or NULL. */
BatonClient      *baton_application_get_client   (BatonApplication *self);
/* The desktop notifications: the window tells it what is on screen. */
BatonNotifier    *baton_application_get_notifier (BatonApplication *self);
void              baton_application_sign_in      (BatonApplication *self,
                                                  BatonClient      *client,
                                                  const char       *email);
void              baton_application_sign_out     (BatonApplication *self);

G_END_DECLS
