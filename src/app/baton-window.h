/* baton-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "baton-client.h"
#include "baton-demo-server.h"

G_BEGIN_DECLS

#define BATON_TYPE_WINDOW (baton_window_get_type ())

G_DECLARE_FINAL_TYPE (BatonWindow, baton_window, BATON, WINDOW, AdwApplicationWindow)

BatonWindow *baton_window_new                (AdwApplication *application);
/* Shows the sign-in page (NULL) or the inbox of a signed-in client. */
void         baton_window_set_client         (BatonWindow    *self,
                                              BatonClient    *client);
BatonClient *baton_window_get_client         (BatonWindow    *self);
void         baton_window_open_conversation  (BatonWindow    *self,
                                              const char     *conversation_id);
/* The conversation on screen, or NULL. */
const char  *baton_window_get_open_conversation_id (BatonWindow *self);
void         baton_window_prefill_login      (BatonWindow    *self,
                                              const char     *server_url,
                                              const char     *email);
void         baton_window_start_demo         (BatonWindow     *self,
                                              BatonDemoServer *server);
/* The conversations the inbox shows (BatonInboxItem), or NULL when signed out. */
GListModel  *baton_window_get_inbox          (BatonWindow    *self);
void         baton_window_show_toast         (BatonWindow    *self,
                                              const char     *message);

G_END_DECLS
