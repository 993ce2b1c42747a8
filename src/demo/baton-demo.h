/* baton-demo.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-demo-graph.h"
#include "baton-workspace.h"

G_BEGIN_DECLS

typedef struct {
  const char *name;
  const char *email;
  const char *password;
  const char *role;
} BatonDemoLogin;

const BatonDemoLogin *baton_demo_logins    (guint          *n_logins);
gboolean              baton_demo_populate  (BatonWorkspace *workspace,
                                            GError        **error);
/* once batond listens at server_url: the demo's WhatsApp number calls the sandbox there */
gboolean              baton_demo_connect_whatsapp (BatonWorkspace *workspace,
                                                   const char     *server_url,
                                                   GError        **error);
/* the WhatsApp conversations of a new demo workspace, played through the sandbox */
void                  baton_demo_play_whatsapp (BatonWorkspace *workspace,
                                                BatonDemoGraph *graph);
/* graph (may be NULL): some simulated customers write on WhatsApp through it */
void                  baton_demo_simulate  (BatonWorkspace *workspace,
                                            BatonDemoGraph *graph,
                                            double          per_minute);

G_END_DECLS
