/* baton-team.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-team"

#include "config.h"

#include "baton-json.h"
#include "baton-team.h"

G_DEFINE_BOXED_TYPE (BatonTeam, baton_team, baton_team_ref, baton_team_unref)

BatonTeam *
baton_team_new (void)
{
  BatonTeam *team = g_rc_box_new0 (BatonTeam);

  team->only_online = TRUE;
  return team;
}

BatonTeam *
baton_team_ref (BatonTeam *team)
{
  return g_rc_box_acquire (team);
}

static void
team_clear (BatonTeam *team)
{
  g_free (team->id);
  g_free (team->name);
  g_strfreev (team->member_ids);
  g_free (team->default_user_id);
  g_free (team->backup_user_id);
}

void
baton_team_unref (BatonTeam *team)
{
  g_rc_box_release_full (team, (GDestroyNotify) team_clear);
}

JsonNode *
baton_team_to_json (BatonTeam *team)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, team->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, team->name);
  baton_json_add_strv (builder, "member_ids", (const char * const *) team->member_ids);
  json_builder_set_member_name (builder, "strategy");
  json_builder_add_string_value (builder, baton_strategy_to_string (team->strategy));
  baton_json_add_nullable_string (builder, "default_user_id", team->default_user_id);
  baton_json_add_nullable_string (builder, "backup_user_id", team->backup_user_id);
  json_builder_set_member_name (builder, "only_online");
  json_builder_add_boolean_value (builder, team->only_online);
  baton_json_add_positive_int (builder, "max_active_per_agent", team->max_active_per_agent);
  baton_json_add_positive_int (builder, "reassign_after_minutes", team->reassign_after_minutes);
  baton_json_add_time (builder, "created_at", team->created_at);
  baton_json_add_time (builder, "updated_at", team->updated_at);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Reads an object the server sent; NULL when node is not an object with an id. */
BatonTeam *
baton_team_from_json (JsonNode *node)
{
  JsonObject *object = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  BatonTeam *team = NULL;

  if (object == NULL || !json_object_has_member (object, "id"))
    return NULL;
  team = baton_team_new ();
  team->id = baton_json_dup_string (object, "id");
  team->name = baton_json_dup_string (object, "name");
  team->member_ids = baton_json_dup_strv (object, "member_ids");
  team->strategy = MAX (0, baton_strategy_from_string (baton_json_get_string (object, "strategy")));
  team->default_user_id = baton_json_dup_string (object, "default_user_id");
  team->backup_user_id = baton_json_dup_string (object, "backup_user_id");
  team->only_online = baton_json_get_bool (object, "only_online");
  team->max_active_per_agent = (int) baton_json_get_int (object, "max_active_per_agent");
  team->reassign_after_minutes = (int) baton_json_get_int (object, "reassign_after_minutes");
  team->created_at = baton_json_get_time (object, "created_at");
  team->updated_at = baton_json_get_time (object, "updated_at");
  return team;
}
