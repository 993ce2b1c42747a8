/* baton-workspace-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-workspace.h"

G_BEGIN_DECLS

struct _BatonWorkspace
{
  GObject parent_instance;

  /* owned */
  BatonStore *store;
  BatonClock *clock;
  BatonTimers *timers;
  GHashTable *presence;
  GHashTable *login_failures;
  GPtrArray *pending_events;

  /* state */
  gint64 last_seq;
  guint prune_timer;
  /* something may have made a team member eligible: queues are tried after the commit */
  gboolean drain_requested;
  gboolean draining;
};

#define BATON_ONLINE_GRACE_MS (60 * 1000)
#define BATON_LOGIN_WINDOW_MS (15 * 60 * 1000)
#define BATON_LOGIN_MAX_FAILURES 10

void  baton_workspace_drain_queues  (BatonWorkspace *self);
char *baton_workspace_email_key  (const char     *email);
char *baton_workspace_agent_name (BatonWorkspace *self,
                                  const char     *agent_id);

G_END_DECLS
