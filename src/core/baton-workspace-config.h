/* baton-workspace-config.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define BATON_TYPE_WORKSPACE_CONFIG (baton_workspace_config_get_type ())

/* The workspace's settings (PROTOCOL.md §2 Settings); BatonSettings is the app's own. */
typedef struct {
  gboolean first_responder_becomes_owner;
  gboolean first_reply_takes_assignment;
  gboolean unassign_on_resolve;
  char *timezone;
} BatonWorkspaceConfig;

/* Which members a PATCH /settings sends. */
typedef enum {
  BATON_WORKSPACE_CONFIG_FIRST_RESPONDER_BECOMES_OWNER = 1 << 0,
  BATON_WORKSPACE_CONFIG_FIRST_REPLY_TAKES_ASSIGNMENT  = 1 << 1,
  BATON_WORKSPACE_CONFIG_UNASSIGN_ON_RESOLVE           = 1 << 2,
  BATON_WORKSPACE_CONFIG_TIMEZONE                      = 1 << 3,
  BATON_WORKSPACE_CONFIG_ALL                           = 0xf,
} BatonWorkspaceConfigFields;

GType                 baton_workspace_config_get_type  (void) G_GNUC_CONST;
BatonWorkspaceConfig *baton_workspace_config_new       (void);
BatonWorkspaceConfig *baton_workspace_config_ref       (BatonWorkspaceConfig       *settings);
void                  baton_workspace_config_unref     (BatonWorkspaceConfig       *settings);
BatonWorkspaceConfig *baton_workspace_config_copy      (BatonWorkspaceConfig       *settings);
/* Copies the given fields of from into settings. */
void                  baton_workspace_config_merge     (BatonWorkspaceConfig       *settings,
                                                        BatonWorkspaceConfig       *from,
                                                        BatonWorkspaceConfigFields  fields);
JsonNode             *baton_workspace_config_to_json   (BatonWorkspaceConfig       *settings,
                                                        BatonWorkspaceConfigFields  fields);
/* NULL unless node holds whole settings (a timezone at least). */
BatonWorkspaceConfig *baton_workspace_config_from_json (JsonNode                   *node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonWorkspaceConfig, baton_workspace_config_unref)

G_END_DECLS
