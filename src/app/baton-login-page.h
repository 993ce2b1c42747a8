/* baton-login-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "baton-client.h"
#include "baton-demo-server.h"

G_BEGIN_DECLS

/* Sign in: server URL, email, password, with clear errors; or "Try the demo", which asks the
 * application (app.start-demo) to start its demo server, then signs in to it. Emits
 * "signed-in" with the client and the email. */

#define BATON_TYPE_LOGIN_PAGE (baton_login_page_get_type ())

G_DECLARE_FINAL_TYPE (BatonLoginPage, baton_login_page, BATON, LOGIN_PAGE, AdwBin)

GtkWidget *baton_login_page_new        (void);
void       baton_login_page_prefill    (BatonLoginPage *self,
                                        const char     *server_url,
                                        const char     *email);
void       baton_login_page_start_demo (BatonLoginPage  *self,
                                        BatonDemoServer *server);

G_END_DECLS
