/* baton-demo-history.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-workspace.h"

G_BEGIN_DECLS

/* The demo's people, in the order of its logins. */
enum {
  BATON_DEMO_MAYA,
  BATON_DEMO_LEA,
  BATON_DEMO_TOM,
  BATON_DEMO_SOFIA,
  BATON_DEMO_JULIEN,
  BATON_DEMO_HANNAH,
  BATON_DEMO_N_AGENTS
};

/* What the history is played with: the demo's agents, its website chat, the Sales team, and
 * the numbers its hand-written customers have (no generated customer takes one). */
typedef struct {
  BatonWorkspace *workspace;
  BatonAgent * const *agents;
  const char *channel_id;
  const char *sales_team_id;
  GHashTable *reserved_phones;
} BatonDemoCast;

typedef struct _BatonDemoHistory BatonDemoHistory;

/* Weeks of generated conversations, the same every time on a given day: they start in the
 * eight weeks before until (some six days before now, local days in London), and what follows
 * them never reaches past now. */
BatonDemoHistory *baton_demo_history_new        (const BatonDemoCast  *cast,
                                                 gint64                until,
                                                 gint64                now);
/* plays, with the workspace's clock set to each moment, every step due at or before at */
gboolean          baton_demo_history_play_until (BatonDemoHistory     *self,
                                                 gint64                at,
                                                 GError              **error);
/* The customer's first message in a new thread, even when an earlier one of theirs was
 * resolved (which a message would otherwise reopen): the conversation, and whether the
 * contact is new. */
gboolean          baton_demo_start_thread       (BatonWorkspace       *workspace,
                                                 const char           *channel_id,
                                                 const BatonInbound   *inbound,
                                                 char                **conversation_id,
                                                 gboolean             *new_contact,
                                                 GError              **error);
guint             baton_demo_history_n_threads  (BatonDemoHistory     *self);
void              baton_demo_history_free       (BatonDemoHistory     *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonDemoHistory, baton_demo_history_free)

G_END_DECLS
