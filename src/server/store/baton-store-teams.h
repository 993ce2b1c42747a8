/* baton-store-teams.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-store.h"
#include "baton-team.h"

G_BEGIN_DECLS

/* Teams and their members, in order. */

/* NULL without an error: no such team */
BatonTeam *baton_store_teams_get         (BatonStore          *store,
                                          const char          *id,
                                          GError             **error);
/* by name */
GPtrArray *baton_store_teams_list        (BatonStore          *store,
                                          GError             **error);
/* the team's row (its members apart); 0 limits are stored as none */
gboolean   baton_store_teams_insert      (BatonStore          *store,
                                          const BatonTeam     *team,
                                          GError             **error);
gboolean   baton_store_teams_update      (BatonStore          *store,
                                          const BatonTeam     *team,
                                          GError             **error);
/* replaces the members with these, in order */
gboolean   baton_store_teams_set_members (BatonStore          *store,
                                          const char          *id,
                                          const char * const  *agent_ids,
                                          GError             **error);
gboolean   baton_store_teams_delete      (BatonStore          *store,
                                          const char          *id,
                                          GError             **error);

/* the member a round-robin team picked last */
gboolean  baton_store_teams_set_cursor           (BatonStore   *store,
                                                  const char   *id,
                                                  const char   *agent_id,
                                                  GError      **error);

G_END_DECLS
