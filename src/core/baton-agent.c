/* baton-agent.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-agent"

#include "config.h"

#include "baton-agent.h"
#include "baton-json.h"

G_DEFINE_BOXED_TYPE (BatonAgent, baton_agent, baton_agent_ref, baton_agent_unref)

BatonAgent *
baton_agent_new (void)
{
  return g_atomic_rc_box_new0 (BatonAgent);
}

BatonAgent *
baton_agent_ref (BatonAgent *agent)
{
  return g_atomic_rc_box_acquire (agent);
}

static void
agent_clear (BatonAgent *agent)
{
  g_free (agent->id);
  g_free (agent->name);
  g_free (agent->email);
}

void
baton_agent_unref (BatonAgent *agent)
{
  g_atomic_rc_box_release_full (agent, (GDestroyNotify) agent_clear);
}

JsonNode *
baton_agent_to_json (BatonAgent *agent)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, agent->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, agent->name);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, agent->email);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, baton_role_to_string (agent->role));
  json_builder_set_member_name (builder, "availability");
  json_builder_add_string_value (builder, baton_availability_to_string (agent->availability));
  json_builder_set_member_name (builder, "online");
  json_builder_add_boolean_value (builder, agent->online);
  json_builder_set_member_name (builder, "active_count");
  json_builder_add_int_value (builder, agent->active_count);
  baton_json_add_time (builder, "created_at", agent->created_at);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Reads an object the server sent; NULL when node is not an object with an id. */
BatonAgent *
baton_agent_from_json (JsonNode *node)
{
  JsonObject *object = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  BatonAgent *agent = NULL;

  if (object == NULL || !json_object_has_member (object, "id"))
    return NULL;
  agent = baton_agent_new ();
  agent->id = baton_json_dup_string (object, "id");
  agent->name = baton_json_dup_string (object, "name");
  agent->email = baton_json_dup_string (object, "email");
  agent->role = MAX (0, baton_role_from_string (baton_json_get_string (object, "role")));
  agent->availability = MAX (0, baton_availability_from_string (
                                  baton_json_get_string (object, "availability")));
  agent->online = baton_json_get_bool (object, "online");
  agent->active_count = (int) baton_json_get_int (object, "active_count");
  agent->created_at = baton_json_get_time (object, "created_at");
  return agent;
}
