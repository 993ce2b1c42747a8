/* baton-seen.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-seen"

#include "config.h"

#include "baton-json.h"
#include "baton-seen.h"

BatonSeen *
baton_seen_new (const char *conversation_id,
                gint64      seen_count)
{
  BatonSeen *seen = g_new0 (BatonSeen, 1);

  seen->conversation_id = g_strdup (conversation_id);
  seen->seen_count = seen_count;
  return seen;
}

void
baton_seen_free (BatonSeen *seen)
{
  g_free (seen->conversation_id);
  g_free (seen);
}

JsonNode *
baton_seen_to_json (BatonSeen *seen)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "conversation_id");
  json_builder_add_string_value (builder, seen->conversation_id);
  json_builder_set_member_name (builder, "seen_count");
  json_builder_add_int_value (builder, seen->seen_count);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

BatonSeen *
baton_seen_from_json (JsonNode *node)
{
  JsonObject *object = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

  if (object == NULL || *baton_json_get_string (object, "conversation_id") == '\0')
    return NULL;
  return baton_seen_new (baton_json_get_string (object, "conversation_id"),
                         MAX (0, baton_json_get_int (object, "seen_count")));
}

G_DEFINE_BOXED_TYPE (BatonConversationCounts, baton_conversation_counts,
                     baton_conversation_counts_ref, baton_conversation_counts_unref)

static void
team_count_free (BatonTeamCount *team)
{
  g_free (team->team_id);
  g_free (team);
}

BatonConversationCounts *
baton_conversation_counts_new (void)
{
  BatonConversationCounts *counts = g_rc_box_new0 (BatonConversationCounts);

  counts->teams = g_ptr_array_new_with_free_func ((GDestroyNotify) team_count_free);
  return counts;
}

BatonConversationCounts *
baton_conversation_counts_ref (BatonConversationCounts *counts)
{
  return g_rc_box_acquire (counts);
}

static void
counts_clear (BatonConversationCounts *counts)
{
  g_clear_pointer (&counts->teams, g_ptr_array_unref);
}

void
baton_conversation_counts_unref (BatonConversationCounts *counts)
{
  g_rc_box_release_full (counts, (GDestroyNotify) counts_clear);
}

const BatonOpenCount *
baton_conversation_counts_get_team (BatonConversationCounts *counts,
                                    const char              *team_id)
{
  for (guint i = 0; team_id && i < counts->teams->len; i++)
    {
      BatonTeamCount *team = counts->teams->pdata[i];

      if (g_str_equal (team->team_id, team_id))
        return &team->count;
    }
  return NULL;
}

BatonOpenCount *
baton_conversation_counts_add_team (BatonConversationCounts *counts,
                                    const char              *team_id)
{
  const BatonOpenCount *found = baton_conversation_counts_get_team (counts, team_id);
  BatonTeamCount *team = NULL;

  if (found)
    return (BatonOpenCount *) found;
  team = g_new0 (BatonTeamCount, 1);
  team->team_id = g_strdup (team_id);
  g_ptr_array_add (counts->teams, team);
  return &team->count;
}

static void
add_count (JsonBuilder          *builder,
           const BatonOpenCount *count)
{
  json_builder_set_member_name (builder, "open");
  json_builder_add_int_value (builder, count->open);
  json_builder_set_member_name (builder, "unread");
  json_builder_add_int_value (builder, count->unread);
}

static void
add_filter (JsonBuilder          *builder,
            const char           *name,
            const BatonOpenCount *count)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  add_count (builder, count);
  json_builder_end_object (builder);
}

JsonNode *
baton_conversation_counts_to_json (BatonConversationCounts *counts)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  add_filter (builder, "mine", &counts->mine);
  add_filter (builder, "unassigned", &counts->unassigned);
  add_filter (builder, "all", &counts->all);
  json_builder_set_member_name (builder, "teams");
  json_builder_begin_array (builder);
  for (guint i = 0; i < counts->teams->len; i++)
    {
      BatonTeamCount *team = counts->teams->pdata[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "team_id");
      json_builder_add_string_value (builder, team->team_id);
      add_count (builder, &team->count);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
read_count (JsonObject     *object,
            BatonOpenCount *count)
{
  count->open = object ? MAX (0, baton_json_get_int (object, "open")) : 0;
  count->unread = object ? MAX (0, baton_json_get_int (object, "unread")) : 0;
}

static JsonObject *
get_object (JsonObject *object,
            const char *name)
{
  JsonNode *member = json_object_get_member (object, name);

  return member && JSON_NODE_HOLDS_OBJECT (member) ? json_node_get_object (member) : NULL;
}

BatonConversationCounts *
baton_conversation_counts_from_json (JsonNode *node)
{
  JsonObject *object = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonNode *teams = NULL;
  BatonConversationCounts *counts = NULL;

  if (object == NULL)
    return NULL;
  counts = baton_conversation_counts_new ();
  read_count (get_object (object, "mine"), &counts->mine);
  read_count (get_object (object, "unassigned"), &counts->unassigned);
  read_count (get_object (object, "all"), &counts->all);
  teams = json_object_get_member (object, "teams");
  for (guint i = 0; teams && JSON_NODE_HOLDS_ARRAY (teams)
                    && i < json_array_get_length (json_node_get_array (teams)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (teams), i);
      JsonObject *team = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;

      if (team && *baton_json_get_string (team, "team_id") != '\0')
        read_count (team, baton_conversation_counts_add_team (counts,
                                                              baton_json_get_string (team,
                                                                                     "team_id")));
    }
  return counts;
}
