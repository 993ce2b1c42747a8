/* baton-store-agents.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-agent.h"
#include "baton-store.h"

G_BEGIN_DECLS

/* Agents: the people of the workspace, their role, credentials and availability. */

/* An agent written: on an update, the NULL members keep what is stored (id, updated_at
 * always count). */
typedef struct {
  const char *id;
  const char *name;
  const char *email;
  /* the email as compared for uniqueness */
  const char *email_key;
  const char *role;
  const char *password_hash;
  const char *availability;
  gint64 created_at;
  gint64 updated_at;
} BatonAgentRow;

/* NULL without an error: no such agent. online is left FALSE (presence is not stored). */
BatonAgent *baton_store_agents_get               (BatonStore           *store,
                                                  const char           *id,
                                                  GError              **error);
/* by creation, oldest first */
GPtrArray  *baton_store_agents_list              (BatonStore           *store,
                                                  GError              **error);
/* how many agents have the role (every agent when role is NULL); -1 when it failed */
gint64      baton_store_agents_count             (BatonStore           *store,
                                                  const char           *role,
                                                  GError              **error);
/* the id of the agent with this email key, and its password hash; NULL without an error
 * when there is none */
char       *baton_store_agents_find_email        (BatonStore           *store,
                                                  const char           *email_key,
                                                  char                **password_hash,
                                                  GError              **error);
/* CONFLICT when the email key is taken */
gboolean    baton_store_agents_insert            (BatonStore           *store,
                                                  const BatonAgentRow  *row,
                                                  GError              **error);
gboolean    baton_store_agents_update            (BatonStore           *store,
                                                  const BatonAgentRow  *row,
                                                  GError              **error);
gboolean    baton_store_agents_delete            (BatonStore           *store,
                                                  const char           *id,
                                                  GError              **error);

G_END_DECLS
