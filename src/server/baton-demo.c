/* baton-demo.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-demo"

#include "config.h"

#include "baton-demo.h"
#include "baton-error.h"
#include "baton-workspace-private.h"

static const BatonDemoLogin logins[] = {
  { "Maya Okafor", "maya@demo.baton.chat", "demo-manager", "manager" },
};

const BatonDemoLogin *
baton_demo_logins (guint *n_logins)
{
  *n_logins = G_N_ELEMENTS (logins);
  return logins;
}

gboolean
baton_demo_populate (BatonWorkspace  *workspace,
                     GError         **error)
{
  return baton_workspace_initialize (workspace, logins[0].name, logins[0].email,
                                     logins[0].password, error);
}

void
baton_demo_simulate (BatonWorkspace *workspace,
                     double          per_minute)
{
}
