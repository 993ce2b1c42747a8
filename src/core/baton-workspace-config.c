/* baton-workspace-config.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-workspace-config"

#include "config.h"

#include "baton-json.h"
#include "baton-workspace-config.h"

G_DEFINE_BOXED_TYPE (BatonWorkspaceConfig, baton_workspace_config, baton_workspace_config_ref,
                     baton_workspace_config_unref)

static const struct {
  BatonWorkspaceConfigFields field;
  const char *member;
  gsize offset;
} flags[] = {
  { BATON_WORKSPACE_CONFIG_FIRST_RESPONDER_BECOMES_OWNER, "first_responder_becomes_owner",
    G_STRUCT_OFFSET (BatonWorkspaceConfig, first_responder_becomes_owner) },
  { BATON_WORKSPACE_CONFIG_FIRST_REPLY_TAKES_ASSIGNMENT, "first_reply_takes_assignment",
    G_STRUCT_OFFSET (BatonWorkspaceConfig, first_reply_takes_assignment) },
  { BATON_WORKSPACE_CONFIG_UNASSIGN_ON_RESOLVE, "unassign_on_resolve",
    G_STRUCT_OFFSET (BatonWorkspaceConfig, unassign_on_resolve) },
};

#define FLAG_AT(settings, i) G_STRUCT_MEMBER (gboolean, (settings), flags[i].offset)

BatonWorkspaceConfig *
baton_workspace_config_new (void)
{
  return g_rc_box_new0 (BatonWorkspaceConfig);
}

BatonWorkspaceConfig *
baton_workspace_config_ref (BatonWorkspaceConfig *settings)
{
  return g_rc_box_acquire (settings);
}

static void
workspace_config_clear (BatonWorkspaceConfig *settings)
{
  g_free (settings->timezone);
}

void
baton_workspace_config_unref (BatonWorkspaceConfig *settings)
{
  g_rc_box_release_full (settings, (GDestroyNotify) workspace_config_clear);
}

BatonWorkspaceConfig *
baton_workspace_config_copy (BatonWorkspaceConfig *settings)
{
  BatonWorkspaceConfig *copy = baton_workspace_config_new ();

  baton_workspace_config_merge (copy, settings, BATON_WORKSPACE_CONFIG_ALL);
  return copy;
}

void
baton_workspace_config_merge (BatonWorkspaceConfig       *settings,
                      BatonWorkspaceConfig       *from,
                      BatonWorkspaceConfigFields  fields)
{
  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    if (fields & flags[i].field)
      FLAG_AT (settings, i) = FLAG_AT (from, i);
  if ((fields & BATON_WORKSPACE_CONFIG_TIMEZONE) && settings->timezone != from->timezone)
    {
      g_free (settings->timezone);
      settings->timezone = g_strdup (from->timezone);
    }
}

JsonNode *
baton_workspace_config_to_json (BatonWorkspaceConfig       *settings,
                        BatonWorkspaceConfigFields  fields)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    if (fields & flags[i].field)
      {
        json_builder_set_member_name (builder, flags[i].member);
        json_builder_add_boolean_value (builder, FLAG_AT (settings, i));
      }
  if (fields & BATON_WORKSPACE_CONFIG_TIMEZONE)
    baton_json_add_nullable_string (builder, "timezone", settings->timezone);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

BatonWorkspaceConfig *
baton_workspace_config_from_json (JsonNode *node)
{
  JsonObject *object = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  BatonWorkspaceConfig *settings = NULL;

  /* Whole settings only: a part would read as false flags. */
  if (*baton_json_get_string (object, "timezone") == '\0')
    return NULL;
  settings = baton_workspace_config_new ();
  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    FLAG_AT (settings, i) = baton_json_get_bool (object, flags[i].member);
  settings->timezone = baton_json_dup_string (object, "timezone");
  return settings;
}
