/* baton-flow.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-flow"

#include "config.h"

#include "baton-error.h"
#include "baton-flow.h"
#include "baton-json.h"
#include "baton-pattern.h"

static const char *triggers[] = {
  "conversation.created", "conversation.reopened", "message.received", "contact.tag_added", NULL
};

G_DEFINE_BOXED_TYPE (BatonFlow, baton_flow, baton_flow_ref, baton_flow_unref)

BatonFlow *
baton_flow_new (void)
{
  BatonFlow *flow = g_rc_box_new0 (BatonFlow);

  flow->enabled = TRUE;
  flow->patterns = baton_flow_patterns_new ();
  return flow;
}

static void
pattern_free (gpointer pattern)
{
  if (pattern)
    baton_pattern_unref (pattern);
}

/* The compiled patterns of one version of a flow's steps: source → BatonPattern, or NULL
 * for one that does not compile (stored before it was refused). */
GHashTable *
baton_flow_patterns_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, pattern_free);
}

BatonFlow *
baton_flow_ref (BatonFlow *flow)
{
  return g_rc_box_acquire (flow);
}

static void
flow_clear (BatonFlow *flow)
{
  g_free (flow->id);
  g_free (flow->name);
  g_free (flow->trigger_on);
  g_strfreev (flow->channel_ids);
  g_free (flow->trigger_tag);
  g_clear_pointer (&flow->steps, json_node_unref);
  g_clear_pointer (&flow->patterns, g_hash_table_unref);
}

void
baton_flow_unref (BatonFlow *flow)
{
  g_rc_box_release_full (flow, (GDestroyNotify) flow_clear);
}

/* Validation: every error names its path in the request body ("steps[2].then[0].team_id"). */

typedef struct {
  const BatonFlowLookup *lookup;
  guint n_steps;
  /* the patterns compiled on the way, and their instructions in all */
  GHashTable *patterns;
  guint program_size;
} Validation;

static gboolean steps_valid (Validation  *validation,
                             JsonNode    *node,
                             const char  *path,
                             guint        depth,
                             GError     **error);

static gboolean
fail (GError     **error,
      const char  *path,
      const char  *member,
      const char  *message)
{
  g_autofree char *field = member ? g_strdup_printf ("%s.%s", path, member) : g_strdup (path);

  baton_set_field_error (error, field, "%s: %s", field, message);
  return FALSE;
}

static gboolean
tags_valid (JsonObject  *object,
            const char  *path,
            const char  *member,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);
  JsonArray *array = NULL;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, path, member, "must be an array of tags");
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *field = g_strdup_printf ("%s.%s[%u]", path, member, i);
      g_autofree char *tag = NULL;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        return fail (error, field, NULL, "must be a tag");
      tag = baton_tag_normalize (field, json_node_get_string (element), error);
      if (tag == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
id_valid (JsonObject  *object,
          const char  *path,
          const char  *member,
          gboolean   (*exists) (const char *, gpointer),
          gpointer     user_data,
          const char  *what,
          GError     **error)
{
  const char *id = baton_json_peek_string (object, member);

  if (id == NULL)
    return fail (error, path, member, "is required");
  if (exists && !exists (id, user_data))
    {
      g_autofree char *message = g_strdup_printf ("no %s with id %s", what, id);

      return fail (error, path, member, message);
    }
  return TRUE;
}

static gboolean
holds_type (JsonNode *value,
            GType     type)
{
  return value && JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == type;
}

/* A pattern is compiled here, once, and kept for the flow's routing; a flow's patterns have
 * BATON_PATTERN_MAX_PROGRAM instructions in all. */
static gboolean
text_condition_valid (Validation  *validation,
                      const char  *op,
                      JsonNode    *value,
                      const char  *path,
                      GError     **error)
{
  g_autoptr(GError) pattern_error = NULL;
  g_autofree char *message = NULL;
  const char *source = NULL;
  BatonPattern *pattern = NULL;

  if (!g_strv_contains ((const char *[]) { "contains", "equals", "starts_with", "matches",
                                           NULL }, op))
    return fail (error, path, "op", "must be contains, equals, starts_with or matches");
  if (!holds_type (value, G_TYPE_STRING))
    return fail (error, path, "value", "must be a string");
  source = json_node_get_string (value);
  if (!g_str_equal (op, "matches") || g_hash_table_contains (validation->patterns, source))
    return TRUE;
  pattern = baton_pattern_new (source, &pattern_error);
  if (pattern == NULL)
    {
      message = g_strdup_printf ("is not a valid POSIX extended regular expression: %s",
                                 pattern_error->message);
      return fail (error, path, "value", message);
    }
  g_hash_table_insert (validation->patterns, g_strdup (source), pattern);
  /* One flow runs per message: this bounds the pattern work a message costs. */
  validation->program_size += baton_pattern_get_size (pattern);
  if (validation->program_size > BATON_PATTERN_MAX_PROGRAM)
    {
      message = g_strdup_printf ("makes the flow's patterns exceed %d instructions in all",
                                 BATON_PATTERN_MAX_PROGRAM);
      return fail (error, path, "value", message);
    }
  return TRUE;
}

static gboolean
channels_valid (const BatonFlowLookup  *lookup,
                JsonNode               *value,
                const char             *path,
                GError                **error)
{
  JsonArray *array = NULL;

  if (value == NULL || !JSON_NODE_HOLDS_ARRAY (value))
    return fail (error, path, "value", "must be an array of channel ids");
  array = json_node_get_array (value);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *element_path = g_strdup_printf ("%s.value[%u]", path, i);

      if (!holds_type (element, G_TYPE_STRING)
          || (lookup->channel_exists
              && !lookup->channel_exists (json_node_get_string (element), lookup->user_data)))
        return fail (error, element_path, NULL, "names no channel");
    }
  return TRUE;
}

static gboolean
condition_valid (Validation  *validation,
                 JsonNode    *node,
                 const char  *path,
                 GError     **error)
{
  const BatonFlowLookup *lookup = validation->lookup;
  JsonObject *object = NULL;
  const char *field = NULL;
  const char *op = NULL;
  JsonNode *value = NULL;
  gboolean value_is_string = FALSE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, path, NULL, "a condition is {field, op, value}");
  object = json_node_get_object (node);
  field = baton_json_peek_string (object, "field");
  op = baton_json_peek_string (object, "op");
  value = json_object_get_member (object, "value");
  value_is_string = holds_type (value, G_TYPE_STRING);
  if (field == NULL)
    return fail (error, path, "field", "is required");
  if (op == NULL)
    return fail (error, path, "op", "is required");

  if (g_str_equal (field, "message.text"))
    return text_condition_valid (validation, op, value, path, error);
  if (g_str_equal (field, "contact.tags"))
    {
      g_autofree char *value_path = g_strdup_printf ("%s.value", path);
      g_autofree char *tag = NULL;

      if (!g_str_equal (op, "includes") && !g_str_equal (op, "excludes"))
        return fail (error, path, "op", "must be includes or excludes");
      if (!value_is_string)
        return fail (error, path, "value", "must be a tag");
      tag = baton_tag_normalize (value_path, json_node_get_string (value), error);
      return tag != NULL;
    }
  if (g_str_has_prefix (field, "contact.fields."))
    {
      if (field[strlen ("contact.fields.")] == '\0')
        return fail (error, path, "field", "names no contact field");
      if (!g_str_equal (op, "equals") && !g_str_equal (op, "exists"))
        return fail (error, path, "op", "must be equals or exists");
      if (g_str_equal (op, "equals") && !value_is_string)
        return fail (error, path, "value", "must be a string");
      if (g_str_equal (op, "exists") && value && !holds_type (value, G_TYPE_BOOLEAN))
        return fail (error, path, "value", "must be true or false");
      return TRUE;
    }
  if (g_str_equal (field, "contact.is_returning"))
    {
      if (!g_str_equal (op, "is"))
        return fail (error, path, "op", "must be is");
      if (!holds_type (value, G_TYPE_BOOLEAN))
        return fail (error, path, "value", "must be true or false");
      return TRUE;
    }
  if (g_str_equal (field, "channel.id"))
    {
      if (!g_str_equal (op, "in"))
        return fail (error, path, "op", "must be in");
      return channels_valid (lookup, value, path, error);
    }
  if (g_str_equal (field, "conversation.referral"))
    {
      if (!g_str_equal (op, "exists"))
        return fail (error, path, "op", "must be exists");
      if (value && !holds_type (value, G_TYPE_BOOLEAN))
        return fail (error, path, "value", "must be true or false");
      return TRUE;
    }
  if (g_str_equal (field, "time"))
    {
      if (!g_str_equal (op, "within") && !g_str_equal (op, "outside"))
        return fail (error, path, "op", "must be within or outside");
      if (!value_is_string)
        return fail (error, path, "value", "must be a schedule id");
      if (lookup->schedule_exists
          && !lookup->schedule_exists (json_node_get_string (value), lookup->user_data))
        return fail (error, path, "value", "names no schedule");
      return TRUE;
    }
  return fail (error, path, "field", "is not a known condition field");
}

static gboolean
condition_step_valid (Validation  *validation,
                      JsonObject  *object,
                      const char  *path,
                      guint        depth,
                      GError     **error)
{
  const char *match = baton_json_peek_string (object, "match");
  JsonNode *conditions = json_object_get_member (object, "conditions");
  g_autofree char *then_path = g_strdup_printf ("%s.then", path);
  g_autofree char *else_path = g_strdup_printf ("%s.else", path);

  if (depth >= BATON_FLOW_MAX_DEPTH)
    return fail (error, path, NULL, "steps nest at most 8 deep");
  if (json_object_has_member (object, "match") && match == NULL)
    return fail (error, path, "match", "must be all or any");
  if (match && !g_str_equal (match, "all") && !g_str_equal (match, "any"))
    return fail (error, path, "match", "must be all or any");
  if (conditions == NULL || !JSON_NODE_HOLDS_ARRAY (conditions)
      || json_array_get_length (json_node_get_array (conditions)) == 0)
    return fail (error, path, "conditions", "must be a non-empty array");
  for (guint i = 0; i < json_array_get_length (json_node_get_array (conditions)); i++)
    {
      g_autofree char *condition_path = g_strdup_printf ("%s.conditions[%u]", path, i);

      if (!condition_valid (validation,
                            json_array_get_element (json_node_get_array (conditions), i),
                            condition_path, error))
        return FALSE;
    }
  return steps_valid (validation, json_object_get_member (object, "then"), then_path,
                      depth + 1, error)
         && steps_valid (validation, json_object_get_member (object, "else"), else_path,
                         depth + 1, error);
}

static gboolean
assign_team_step_valid (Validation  *validation,
                        JsonObject  *object,
                        const char  *path,
                        GError     **error)
{
  const BatonFlowLookup *lookup = validation->lookup;
  JsonNode *add_tags = json_object_get_member (object, "add_tags");

  if (add_tags && !(JSON_NODE_HOLDS_VALUE (add_tags)
                    && json_node_get_value_type (add_tags) == G_TYPE_BOOLEAN))
    return fail (error, path, "add_tags", "must be true or false");
  return id_valid (object, path, "team_id", lookup->team_exists, lookup->user_data, "team",
                   error)
         && tags_valid (object, path, "conversation_tags", error)
         && tags_valid (object, path, "contact_tags", error);
}

static gboolean
update_contact_step_valid (JsonObject  *object,
                           const char  *path,
                           GError     **error)
{
  JsonNode *fields = json_object_get_member (object, "set_fields");

  if (fields)
    {
      JsonObjectIter iter;
      const char *key;
      JsonNode *value;

      if (!JSON_NODE_HOLDS_OBJECT (fields))
        return fail (error, path, "set_fields", "must be an object of strings");
      json_object_iter_init (&iter, json_node_get_object (fields));
      while (json_object_iter_next (&iter, &key, &value))
        if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
          {
            g_autofree char *member = g_strdup_printf ("set_fields.%s", key);

            return fail (error, path, member, "must be a string");
          }
    }
  return tags_valid (object, path, "add_tags", error)
         && tags_valid (object, path, "remove_tags", error);
}

static gboolean
step_valid (Validation  *validation,
            JsonNode    *node,
            const char  *path,
            guint        depth,
            GError     **error)
{
  const BatonFlowLookup *lookup = validation->lookup;
  JsonObject *object = NULL;
  const char *type = NULL;

  if (++validation->n_steps > BATON_FLOW_MAX_STEPS)
    return fail (error, path, NULL, "a flow has at most 100 steps");
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, path, NULL, "a step is an object with a type");
  object = json_node_get_object (node);
  type = baton_json_peek_string (object, "type");
  if (type == NULL)
    return fail (error, path, "type", "is required");

  if (g_str_equal (type, "condition"))
    return condition_step_valid (validation, object, path, depth, error);
  if (g_str_equal (type, "assign_team"))
    return assign_team_step_valid (validation, object, path, error);
  if (g_str_equal (type, "assign_user"))
    return id_valid (object, path, "user_id", lookup->agent_exists, lookup->user_data, "agent",
                     error);
  if (g_str_equal (type, "unassign") || g_str_equal (type, "close"))
    return TRUE;
  if (g_str_equal (type, "send_message"))
    {
      const char *body = baton_json_peek_string (object, "body");

      if (body == NULL || g_utf8_strlen (body, -1) < 1 || g_utf8_strlen (body, -1) > 4096)
        return fail (error, path, "body", "must be 1 to 4096 characters");
      return TRUE;
    }
  if (g_str_equal (type, "update_contact"))
    return update_contact_step_valid (object, path, error);
  return fail (error, path, "type", "is not a known step type");
}

static gboolean
steps_valid (Validation  *validation,
             JsonNode    *node,
             const char  *path,
             guint        depth,
             GError     **error)
{
  JsonArray *array = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, path, NULL, "must be an array of steps");
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *step_path = g_strdup_printf ("%s[%u]", path, i);

      if (!step_valid (validation, json_array_get_element (array, i), step_path, depth, error))
        return FALSE;
    }
  return TRUE;
}

/* The trigger of a request body, validated: what it holds goes to the out arguments. */
static gboolean
read_trigger (JsonObject             *trigger,
              const BatonFlowLookup  *lookup,
              const char            **on,
              GStrv                  *channel_ids,
              char                  **tag,
              GError                **error)
{
  const char *given_tag = NULL;

  if (!baton_json_read_string (trigger, "on", BATON_JSON_REQUIRED, on, NULL)
      || !g_strv_contains (triggers, *on))
    {
      baton_set_field_error (error, "trigger.on", "trigger.on must be conversation.created,"
                             " conversation.reopened, message.received or"
                             " contact.tag_added");
      return FALSE;
    }
  if (!baton_json_read_strv (trigger, "channel_ids", BATON_JSON_NULLABLE, channel_ids, NULL))
    {
      baton_set_field_error (error, "trigger.channel_ids",
                             "trigger.channel_ids must be an array of channel ids or null");
      return FALSE;
    }
  for (guint i = 0; *channel_ids && (*channel_ids)[i]; i++)
    if (lookup->channel_exists && !lookup->channel_exists ((*channel_ids)[i], lookup->user_data))
      {
        g_autofree char *field = g_strdup_printf ("trigger.channel_ids[%u]", i);

        baton_set_field_error (error, field, "No channel with id %s", (*channel_ids)[i]);
        return FALSE;
      }
  if (!baton_json_read_string (trigger, "tag", BATON_JSON_NULLABLE, &given_tag, NULL))
    {
      baton_set_field_error (error, "trigger.tag", "trigger.tag must be a tag or null");
      return FALSE;
    }
  return given_tag == NULL || (*tag = baton_tag_normalize ("trigger.tag", given_tag, error));
}

/* Applies and validates the members of object (a request body); nothing changes on error. */
gboolean
baton_flow_update (BatonFlow              *flow,
                   JsonObject             *object,
                   gboolean                creating,
                   const BatonFlowLookup  *lookup,
                   GError                **error)
{
  BatonJsonFlags required = creating ? BATON_JSON_REQUIRED : BATON_JSON_OPTIONAL;
  g_autoptr(GHashTable) patterns = baton_flow_patterns_new ();
  Validation validation = { .lookup = lookup, .patterns = patterns };
  JsonObject *trigger = NULL;
  const char *name = NULL;
  const char *on = NULL;
  g_auto(GStrv) channel_ids = NULL;
  g_autofree char *tag = NULL;
  gboolean enabled = flow->enabled;
  gint64 position = flow->position;
  JsonNode *steps = json_object_get_member (object, "steps");

  if (!baton_json_read_string (object, "name", required, &name, error)
      || (name && !baton_validate_name ("name", name, error))
      || !baton_json_read_bool (object, "enabled", 0, &enabled, error)
      || !baton_json_read_int (object, "position", 0, &position, NULL, error)
      || !baton_json_read_object (object, "trigger", required, &trigger, error)
      || (trigger && !read_trigger (trigger, lookup, &on, &channel_ids, &tag, error)))
    return FALSE;
  if (position < 0 || position > G_MAXINT)
    {
      baton_set_field_error (error, "position", "position must be 0 or more");
      return FALSE;
    }
  if (creating && steps == NULL)
    {
      baton_set_field_error (error, "steps", "steps is required");
      return FALSE;
    }
  if (steps && (!JSON_NODE_HOLDS_ARRAY (steps)
                || !steps_valid (&validation, steps, "steps", 0, error)))
    {
      if (!JSON_NODE_HOLDS_ARRAY (steps))
        baton_set_field_error (error, "steps", "steps must be an array");
      return FALSE;
    }

  if (name)
    {
      g_free (flow->name);
      flow->name = g_strdup (name);
    }
  flow->enabled = enabled;
  flow->position = (int) position;
  if (trigger)
    {
      g_free (flow->trigger_on);
      flow->trigger_on = g_strdup (on);
      g_strfreev (flow->channel_ids);
      flow->channel_ids = g_steal_pointer (&channel_ids);
      g_free (flow->trigger_tag);
      flow->trigger_tag = g_steal_pointer (&tag);
    }
  if (steps)
    {
      g_clear_pointer (&flow->steps, json_node_unref);
      flow->steps = json_node_copy (steps);
      g_hash_table_unref (flow->patterns);
      flow->patterns = g_steal_pointer (&patterns);
    }
  return TRUE;
}

JsonNode *
baton_flow_to_json (BatonFlow *flow)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, flow->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, flow->name);
  json_builder_set_member_name (builder, "enabled");
  json_builder_add_boolean_value (builder, flow->enabled);
  json_builder_set_member_name (builder, "position");
  json_builder_add_int_value (builder, flow->position);
  json_builder_set_member_name (builder, "trigger");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "on");
  json_builder_add_string_value (builder, flow->trigger_on);
  json_builder_set_member_name (builder, "channel_ids");
  if (flow->channel_ids)
    {
      json_builder_begin_array (builder);
      for (guint i = 0; flow->channel_ids[i]; i++)
        json_builder_add_string_value (builder, flow->channel_ids[i]);
      json_builder_end_array (builder);
    }
  else
    {
      json_builder_add_null_value (builder);
    }
  baton_json_add_nullable_string (builder, "tag", flow->trigger_tag);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "steps");
  if (flow->steps)
    json_builder_add_value (builder, json_node_copy (flow->steps));
  else
    {
      json_builder_begin_array (builder);
      json_builder_end_array (builder);
    }
  if (flow->created_at > 0)
    {
      baton_json_add_time (builder, "created_at", flow->created_at);
      baton_json_add_time (builder, "updated_at", flow->updated_at);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Whether the flow listens to this event, on this channel (and, for contact.tag_added, this
 * tag). Conditions are not part of the trigger. */
gboolean
baton_flow_triggers (BatonFlow  *flow,
                     const char *event,
                     const char *channel_id,
                     const char *tag)
{
  if (!flow->enabled || g_strcmp0 (flow->trigger_on, event) != 0)
    return FALSE;
  if (flow->channel_ids && (channel_id == NULL
                            || !g_strv_contains ((const char * const *) flow->channel_ids,
                                                 channel_id)))
    return FALSE;
  if (flow->trigger_tag && g_strcmp0 (flow->trigger_tag, tag) != 0)
    return FALSE;
  return TRUE;
}

/* Evaluation */

/* A pattern compiled once per version of the steps: by validation, or here on first use
 * for a flow that came back from storage (flow->patterns is shared by its copies). */
static gboolean
pattern_matches (BatonFlow  *flow,
                 const char *source,
                 const char *text)
{
  BatonPattern *pattern = NULL;

  if (!g_hash_table_lookup_extended (flow->patterns, source, NULL, (gpointer *) &pattern))
    {
      pattern = baton_pattern_new (source, NULL);
      g_hash_table_insert (flow->patterns, g_strdup (source), pattern);
    }
  return pattern && baton_pattern_match (pattern, text ? text : "", -1);
}

static gboolean
text_matches (const char *text,
              const char *op,
              const char *value)
{
  g_autofree char *haystack = g_utf8_casefold (text ? text : "", -1);
  g_autofree char *needle = g_utf8_casefold (value, -1);

  if (g_str_equal (op, "contains"))
    return strstr (haystack, needle) != NULL;
  if (g_str_equal (op, "equals"))
    return g_str_equal (haystack, needle);
  if (g_str_equal (op, "starts_with"))
    return g_str_has_prefix (haystack, needle);
  return FALSE;
}

/* An optional flag: absent means true. */
static gboolean
flag_member (JsonObject *object,
             const char *member)
{
  return !baton_json_has (object, member) || baton_json_get_bool (object, member);
}

/* Evaluation reads the steps leniently: flows come back from storage without validating
 * again, and a member of another type than validation allows makes its condition false. */
static gboolean
condition_holds (BatonFlow              *flow,
                 JsonObject             *condition,
                 const BatonFlowContext *context)
{
  const char *field = baton_json_peek_string (condition, "field");
  const char *op = baton_json_peek_string (condition, "op");
  const char *text = baton_json_peek_string (condition, "value");

  if (field == NULL || op == NULL)
    return FALSE;
  if (g_str_equal (field, "message.text") && g_str_equal (op, "matches"))
    return text && pattern_matches (flow, text, context->message_text);
  if (g_str_equal (field, "message.text"))
    return text && text_matches (context->message_text, op, text);
  if (g_str_equal (field, "contact.tags"))
    {
      g_autofree char *tag = text ? g_utf8_strdown (text, -1) : NULL;
      gboolean has = tag && context->contact_tags && g_strv_contains (context->contact_tags, tag);

      return g_str_equal (op, "includes") ? has : !has;
    }
  if (g_str_has_prefix (field, "contact.fields."))
    {
      const char *actual = context->contact_fields
                           ? g_hash_table_lookup (context->contact_fields,
                                                  field + strlen ("contact.fields."))
                           : NULL;

      if (g_str_equal (op, "exists"))
        return actual != NULL && flag_member (condition, "value");
      return actual != NULL && text && text_matches (actual, "equals", text);
    }
  if (g_str_equal (field, "contact.is_returning"))
    return baton_json_has (condition, "value")
           && context->is_returning == baton_json_get_bool (condition, "value");
  if (g_str_equal (field, "channel.id"))
    {
      g_auto(GStrv) ids = baton_json_dup_strv (condition, "value");

      return context->channel_id && g_strv_contains ((const char * const *) ids,
                                                     context->channel_id);
    }
  if (g_str_equal (field, "conversation.referral"))
    return context->has_referral == flag_member (condition, "value");
  if (g_str_equal (field, "time"))
    {
      BatonSchedule *schedule = context->schedules && text
                                ? g_hash_table_lookup (context->schedules, text) : NULL;
      gboolean within = schedule && baton_schedule_contains (schedule, context->now_ms);

      /* A schedule deleted since the flow was saved counts as never open. */
      return g_str_equal (op, "within") ? within : !within;
    }
  return FALSE;
}

/* Whether the step's conditions hold. With results, every condition is evaluated and its
 * result appended; routing alone stops at the first that decides. */
static gboolean
conditions_hold (BatonFlow              *flow,
                 JsonObject             *step,
                 const BatonFlowContext *context,
                 GArray                 *results)
{
  JsonArray *conditions = baton_json_get_array (step, "conditions");
  gboolean any = g_strcmp0 (baton_json_peek_string (step, "match"), "any") == 0;
  gboolean decided = FALSE;

  for (guint c = 0; conditions && c < json_array_get_length (conditions); c++)
    {
      JsonNode *condition = json_array_get_element (conditions, c);
      gboolean holds = JSON_NODE_HOLDS_OBJECT (condition)
                       && condition_holds (flow, json_node_get_object (condition), context);

      if (results)
        g_array_append_val (results, holds);
      if (any == holds)
        {
          decided = TRUE;
          if (results == NULL)
            break;
        }
    }
  return decided ? any : !any;
}

void
baton_flow_visit_free (BatonFlowVisit *visit)
{
  g_free (visit->path);
  g_free (visit->type);
  g_clear_pointer (&visit->step, json_object_unref);
  g_clear_pointer (&visit->results, g_array_unref);
  g_free (visit);
}

/* The walk behind both routing and tracing: action steps go to actions; with visits, every
 * step visited goes there too, with its path (prefix[i]). */
static void
walk (BatonFlow              *flow,
      JsonNode               *steps,
      const char             *prefix,
      const BatonFlowContext *context,
      GPtrArray              *actions,
      GPtrArray              *visits)
{
  JsonArray *array = NULL;

  if (steps == NULL || !JSON_NODE_HOLDS_ARRAY (steps))
    return;
  array = json_node_get_array (steps);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *step = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *type = baton_json_peek_string (step, "type");
      BatonFlowVisit *visit = NULL;
      g_autofree char *branch = NULL;
      gboolean held = FALSE;

      if (visits)
        {
          visit = g_new0 (BatonFlowVisit, 1);
          visit->path = g_strdup_printf ("%s[%u]", prefix, i);
          visit->type = g_strdup (type);
          visit->step = step ? json_object_ref (step) : NULL;
          g_ptr_array_add (visits, visit);
        }
      if (type == NULL)
        continue;
      if (!g_str_equal (type, "condition"))
        {
          g_ptr_array_add (actions, json_object_ref (step));
          continue;
        }
      if (visit)
        visit->results = g_array_new (FALSE, FALSE, sizeof (gboolean));
      held = conditions_hold (flow, step, context, visit ? visit->results : NULL);
      if (visit)
        {
          visit->held = held;
          branch = g_strdup_printf ("%s.%s", visit->path, held ? "then" : "else");
        }
      walk (flow, json_object_get_member (step, held ? "then" : "else"), branch, context,
            actions, visits);
    }
}

/* The action steps (every type but condition) the flow takes in this context, in order. */
GPtrArray *
baton_flow_run (BatonFlow              *flow,
                const BatonFlowContext *context)
{
  GPtrArray *actions = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  walk (flow, flow->steps, NULL, context, actions, NULL);
  return actions;
}

/* The same run, told step by step (BatonFlowVisit, in the order visited): what a dry run
 * shows. The action steps among them are those baton_flow_run () returns. */
GPtrArray *
baton_flow_trace (BatonFlow              *flow,
                  const BatonFlowContext *context)
{
  g_autoptr(GPtrArray) actions = NULL;
  GPtrArray *visits = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_flow_visit_free);

  actions = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  walk (flow, flow->steps, "steps", context, actions, visits);
  return visits;
}

static gboolean
conditions_use_schedule (JsonNode   *conditions,
                         const char *schedule_id)
{
  JsonArray *array = NULL;

  if (conditions == NULL || !JSON_NODE_HOLDS_ARRAY (conditions))
    return FALSE;
  array = json_node_get_array (conditions);
  for (guint c = 0; c < json_array_get_length (array); c++)
    {
      JsonNode *condition = json_array_get_element (array, c);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (condition)
                           ? json_node_get_object (condition) : NULL;

      /* stored steps, read leniently as routing reads them */
      if (g_strcmp0 (baton_json_peek_string (object, "field"), "time") == 0
          && g_strcmp0 (baton_json_peek_string (object, "value"), schedule_id) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
steps_use_schedule (JsonNode   *steps,
                    const char *schedule_id)
{
  JsonArray *array = NULL;

  if (steps == NULL || !JSON_NODE_HOLDS_ARRAY (steps))
    return FALSE;
  array = json_node_get_array (steps);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *step_node = json_array_get_element (array, i);
      JsonObject *step = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (step_node))
        continue;
      step = json_node_get_object (step_node);
      if (conditions_use_schedule (json_object_get_member (step, "conditions"), schedule_id)
          || steps_use_schedule (json_object_get_member (step, "then"), schedule_id)
          || steps_use_schedule (json_object_get_member (step, "else"), schedule_id))
        return TRUE;
    }
  return FALSE;
}

/* Whether a time condition anywhere in the flow's steps names the schedule. */
gboolean
baton_flow_uses_schedule (BatonFlow  *flow,
                          const char *schedule_id)
{
  return steps_use_schedule (flow->steps, schedule_id);
}

/* A flow as the server answers it, read leniently (no validation: the server did it), or
 * NULL when it is not one. */
BatonFlow *
baton_flow_from_json (JsonNode *node)
{
  JsonObject *object = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonObject *trigger = NULL;
  JsonNode *channel_ids = NULL;
  JsonNode *steps = NULL;
  BatonFlow *flow = NULL;

  if (object == NULL || *baton_json_get_string (object, "id") == '\0')
    return NULL;
  flow = baton_flow_new ();
  flow->id = baton_json_dup_string (object, "id");
  flow->name = baton_json_dup_string (object, "name");
  flow->enabled = json_object_get_boolean_member_with_default (object, "enabled", TRUE);
  flow->position = (int) CLAMP (baton_json_get_int (object, "position"), 0, G_MAXINT);
  trigger = baton_json_get_object (object, "trigger");
  flow->trigger_on = baton_json_dup_string (trigger, "on");
  channel_ids = trigger ? json_object_get_member (trigger, "channel_ids") : NULL;
  if (channel_ids && JSON_NODE_HOLDS_ARRAY (channel_ids))
    flow->channel_ids = baton_json_dup_strv (trigger, "channel_ids");
  flow->trigger_tag = g_strdup (baton_json_peek_string (trigger, "tag"));
  steps = json_object_get_member (object, "steps");
  flow->steps = steps ? json_node_copy (steps) : NULL;
  flow->created_at = baton_json_get_time (object, "created_at");
  flow->updated_at = baton_json_get_time (object, "updated_at");
  return flow;
}
