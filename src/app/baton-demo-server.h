/* baton-demo-server.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A local batond with the demo workspace under the user's data dir, on a free port: started
 * on demand, ended (SIGTERM) with this object or by baton_demo_server_stop (the application
 * stops it when it shuts down). */

#define BATON_DEMO_EMAIL "maya@demo.baton.chat"
#define BATON_DEMO_PASSWORD "demo-manager"

#define BATON_TYPE_DEMO_SERVER (baton_demo_server_get_type ())

G_DECLARE_FINAL_TYPE (BatonDemoServer, baton_demo_server, BATON, DEMO_SERVER, GObject)

BatonDemoServer *baton_demo_server_new          (void);
/* Starts batond (again: a running one is ended first) and answers its URL once it listens. */
void             baton_demo_server_start_async  (BatonDemoServer      *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
char            *baton_demo_server_start_finish (BatonDemoServer      *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
/* Ends batond (SIGTERM, then SIGKILL if it does not stop) and returns once it is reaped. */
void             baton_demo_server_stop         (BatonDemoServer      *self);

G_END_DECLS
