/* baton-team.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "baton-enums.h"

G_BEGIN_DECLS

#define BATON_TYPE_TEAM (baton_team_get_type ())

typedef struct {
  char *id;
  char *name;
  GStrv member_ids;
  BatonStrategy strategy;
  char *default_user_id;
  char *backup_user_id;
  gboolean only_online;
  /* 0 means unlimited / off, shown as null. */
  int max_active_per_agent;
  int reassign_after_minutes;
  gint64 created_at;
  gint64 updated_at;
} BatonTeam;

GType      baton_team_get_type (void) G_GNUC_CONST;
BatonTeam *baton_team_new      (void);
BatonTeam *baton_team_ref      (BatonTeam *team);
void       baton_team_unref    (BatonTeam *team);
JsonNode  *baton_team_to_json  (BatonTeam *team);

BatonTeam *baton_team_from_json (JsonNode *node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonTeam, baton_team_unref)

G_END_DECLS
