/* baton-demo.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

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
void                  baton_demo_simulate  (BatonWorkspace *workspace,
                                            double          per_minute);

G_END_DECLS
