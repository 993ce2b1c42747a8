/* baton-flow-step.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-flow"

#include "config.h"

#include "baton-flow-step.h"
#include "baton-json.h"

static const char *step_types[] = {
  [BATON_FLOW_STEP_CONDITION] = "condition",
  [BATON_FLOW_STEP_ASSIGN_TEAM] = "assign_team",
  [BATON_FLOW_STEP_ASSIGN_USER] = "assign_user",
  [BATON_FLOW_STEP_UNASSIGN] = "unassign",
  [BATON_FLOW_STEP_CLOSE] = "close",
  [BATON_FLOW_STEP_SEND_MESSAGE] = "send_message",
  [BATON_FLOW_STEP_UPDATE_CONTACT] = "update_contact",
  [BATON_FLOW_STEP_UNKNOWN] = NULL,
};

const char *
baton_flow_step_type_to_string (BatonFlowStepType type)
{
  return type < BATON_FLOW_STEP_UNKNOWN ? step_types[type] : NULL;
}

/* Conditions */

BatonFlowCondition *
baton_flow_condition_new (const char *field,
                          const char *op)
{
  BatonFlowCondition *condition = g_new0 (BatonFlowCondition, 1);

  condition->field = g_strdup (field);
  condition->op = g_strdup (op);
  return condition;
}

void
baton_flow_condition_clear_value (BatonFlowCondition *condition)
{
  condition->value_kind = BATON_FLOW_VALUE_NONE;
  g_clear_pointer (&condition->text, g_free);
  g_clear_pointer (&condition->list, g_strfreev);
  condition->flag = FALSE;
}

void
baton_flow_condition_set_text (BatonFlowCondition *condition,
                               const char         *text)
{
  g_autofree char *kept = g_strdup (text);

  baton_flow_condition_clear_value (condition);
  condition->value_kind = BATON_FLOW_VALUE_TEXT;
  condition->text = g_steal_pointer (&kept);
}

void
baton_flow_condition_set_flag (BatonFlowCondition *condition,
                               gboolean            flag)
{
  baton_flow_condition_clear_value (condition);
  condition->value_kind = BATON_FLOW_VALUE_FLAG;
  condition->flag = flag;
}

void
baton_flow_condition_set_list (BatonFlowCondition *condition,
                               const char * const *list)
{
  GStrv kept = g_strdupv ((char **) list);

  baton_flow_condition_clear_value (condition);
  condition->value_kind = BATON_FLOW_VALUE_LIST;
  condition->list = kept ? kept : g_new0 (char *, 1);
}

BatonFlowCondition *
baton_flow_condition_copy (const BatonFlowCondition *condition)
{
  BatonFlowCondition *copy = baton_flow_condition_new (condition->field, condition->op);

  copy->value_kind = condition->value_kind;
  copy->text = g_strdup (condition->text);
  copy->flag = condition->flag;
  copy->list = g_strdupv (condition->list);
  return copy;
}

void
baton_flow_condition_free (BatonFlowCondition *condition)
{
  if (condition == NULL)
    return;
  g_free (condition->field);
  g_free (condition->op);
  baton_flow_condition_clear_value (condition);
  g_free (condition);
}

static void
add_condition (JsonBuilder        *builder,
               BatonFlowCondition *condition)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "field");
  json_builder_add_string_value (builder, condition->field ? condition->field : "");
  json_builder_set_member_name (builder, "op");
  json_builder_add_string_value (builder, condition->op ? condition->op : "");
  switch (condition->value_kind)
    {
    case BATON_FLOW_VALUE_TEXT:
      json_builder_set_member_name (builder, "value");
      json_builder_add_string_value (builder, condition->text ? condition->text : "");
      break;
    case BATON_FLOW_VALUE_FLAG:
      json_builder_set_member_name (builder, "value");
      json_builder_add_boolean_value (builder, condition->flag);
      break;
    case BATON_FLOW_VALUE_LIST:
      baton_json_add_strv (builder, "value", (const char * const *) condition->list);
      break;
    case BATON_FLOW_VALUE_NONE:
    default:
      break;
    }
  json_builder_end_object (builder);
}

/* One condition as written, read leniently; NULL when it is not an object. */
BatonFlowCondition *
baton_flow_condition_from_json (JsonNode *node)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonNode *value = object ? json_object_get_member (object, "value") : NULL;
  BatonFlowCondition *condition = NULL;

  if (object == NULL)
    return NULL;
  condition = baton_flow_condition_new (baton_json_get_string (object, "field"),
                                        baton_json_get_string (object, "op"));
  if (value && JSON_NODE_HOLDS_ARRAY (value))
    {
      g_auto(GStrv) list = baton_json_dup_strv (object, "value");

      baton_flow_condition_set_list (condition, (const char * const *) list);
    }
  else if (value && JSON_NODE_HOLDS_VALUE (value)
           && json_node_get_value_type (value) == G_TYPE_BOOLEAN)
    baton_flow_condition_set_flag (condition, json_node_get_boolean (value));
  else if (value && JSON_NODE_HOLDS_VALUE (value)
           && json_node_get_value_type (value) == G_TYPE_STRING)
    baton_flow_condition_set_text (condition, json_node_get_string (value));
  return condition;
}

/* Steps */

GPtrArray *
baton_flow_steps_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) baton_flow_step_free);
}

BatonFlowStep *
baton_flow_step_new (BatonFlowStepType type)
{
  BatonFlowStep *step = g_new0 (BatonFlowStep, 1);

  step->type = type;
  step->conditions = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_flow_condition_free);
  step->then_steps = baton_flow_steps_new ();
  step->else_steps = baton_flow_steps_new ();
  step->add_tags = TRUE;
  return step;
}

void
baton_flow_step_free (BatonFlowStep *step)
{
  if (step == NULL)
    return;
  g_ptr_array_unref (step->conditions);
  g_ptr_array_unref (step->then_steps);
  g_ptr_array_unref (step->else_steps);
  g_free (step->team_id);
  g_strfreev (step->conversation_tags);
  g_strfreev (step->contact_tags);
  g_free (step->user_id);
  g_free (step->body);
  g_strfreev (step->contact_add_tags);
  g_strfreev (step->contact_remove_tags);
  g_strfreev (step->field_keys);
  g_strfreev (step->field_values);
  g_clear_pointer (&step->raw, json_node_unref);
  g_free (step);
}

static void add_steps (JsonBuilder *builder,
                       const char  *member,
                       GPtrArray   *steps);

static void
add_condition_step (JsonBuilder   *builder,
                    BatonFlowStep *step)
{
  json_builder_set_member_name (builder, "match");
  json_builder_add_string_value (builder, step->match_any ? "any" : "all");
  json_builder_set_member_name (builder, "conditions");
  json_builder_begin_array (builder);
  for (guint i = 0; i < step->conditions->len; i++)
    add_condition (builder, step->conditions->pdata[i]);
  json_builder_end_array (builder);
  add_steps (builder, "then", step->then_steps);
  add_steps (builder, "else", step->else_steps);
}

static void
add_update_contact_step (JsonBuilder   *builder,
                         BatonFlowStep *step)
{
  baton_json_add_strv (builder, "add_tags", (const char * const *) step->contact_add_tags);
  baton_json_add_strv (builder, "remove_tags", (const char * const *) step->contact_remove_tags);
  json_builder_set_member_name (builder, "set_fields");
  json_builder_begin_object (builder);
  for (guint i = 0; step->field_keys && step->field_keys[i]; i++)
    {
      json_builder_set_member_name (builder, step->field_keys[i]);
      json_builder_add_string_value (builder, step->field_values
                                              && i < g_strv_length (step->field_values)
                                              ? step->field_values[i] : "");
    }
  json_builder_end_object (builder);
}

/* Every member of the step's type is written, lists empty rather than absent. */
static void
add_step (JsonBuilder   *builder,
          BatonFlowStep *step)
{
  if (step->type == BATON_FLOW_STEP_UNKNOWN)
    {
      json_builder_add_value (builder, json_node_copy (step->raw));
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, baton_flow_step_type_to_string (step->type));
  switch (step->type)
    {
    case BATON_FLOW_STEP_CONDITION:
      add_condition_step (builder, step);
      break;
    case BATON_FLOW_STEP_ASSIGN_TEAM:
      json_builder_set_member_name (builder, "team_id");
      json_builder_add_string_value (builder, step->team_id ? step->team_id : "");
      baton_json_add_strv (builder, "conversation_tags",
                           (const char * const *) step->conversation_tags);
      baton_json_add_strv (builder, "contact_tags", (const char * const *) step->contact_tags);
      json_builder_set_member_name (builder, "add_tags");
      json_builder_add_boolean_value (builder, step->add_tags);
      break;
    case BATON_FLOW_STEP_ASSIGN_USER:
      json_builder_set_member_name (builder, "user_id");
      json_builder_add_string_value (builder, step->user_id ? step->user_id : "");
      break;
    case BATON_FLOW_STEP_SEND_MESSAGE:
      json_builder_set_member_name (builder, "body");
      json_builder_add_string_value (builder, step->body ? step->body : "");
      break;
    case BATON_FLOW_STEP_UPDATE_CONTACT:
      add_update_contact_step (builder, step);
      break;
    default:
      break;
    }
  json_builder_end_object (builder);
}

static void
add_steps (JsonBuilder *builder,
           const char  *member,
           GPtrArray   *steps)
{
  if (member)
    json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; steps && i < steps->len; i++)
    add_step (builder, steps->pdata[i]);
  json_builder_end_array (builder);
}

JsonNode *
baton_flow_steps_to_json (GPtrArray *steps)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  add_steps (builder, NULL, steps);
  return json_builder_get_root (builder);
}

static BatonFlowStepType
step_type_from_string (const char *type)
{
  for (guint i = 0; i < BATON_FLOW_STEP_UNKNOWN; i++)
    if (g_strcmp0 (step_types[i], type) == 0)
      return i;
  return BATON_FLOW_STEP_UNKNOWN;
}

static void
read_fields (BatonFlowStep *step,
             JsonObject    *fields)
{
  g_autoptr(GStrvBuilder) keys = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) values = g_strv_builder_new ();
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  json_object_iter_init (&iter, fields);
  while (json_object_iter_next (&iter, &key, &value))
    if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
      {
        g_strv_builder_add (keys, key);
        g_strv_builder_add (values, json_node_get_string (value));
      }
  step->field_keys = g_strv_builder_end (keys);
  step->field_values = g_strv_builder_end (values);
}

static void
read_condition_step (BatonFlowStep *step,
                     JsonObject    *object)
{
  JsonArray *conditions = baton_json_get_array (object, "conditions");

  step->match_any = g_strcmp0 (baton_json_peek_string (object, "match"), "any") == 0;
  for (guint i = 0; conditions && i < json_array_get_length (conditions); i++)
    {
      BatonFlowCondition *condition = baton_flow_condition_from_json (json_array_get_element (conditions,
                                                                                   i));

      if (condition)
        g_ptr_array_add (step->conditions, condition);
    }
  g_ptr_array_unref (step->then_steps);
  step->then_steps = baton_flow_steps_from_json (json_object_get_member (object, "then"));
  g_ptr_array_unref (step->else_steps);
  step->else_steps = baton_flow_steps_from_json (json_object_get_member (object, "else"));
}

static BatonFlowStep *
step_from_json (JsonNode *node)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  BatonFlowStep *step = NULL;
  JsonObject *fields = NULL;

  if (object == NULL)
    return NULL;
  step = baton_flow_step_new (step_type_from_string (baton_json_peek_string (object, "type")));
  if (step->type == BATON_FLOW_STEP_UNKNOWN)
    step->raw = json_node_copy (node);
  if (step->type == BATON_FLOW_STEP_CONDITION)
    read_condition_step (step, object);
  step->team_id = g_strdup (baton_json_peek_string (object, "team_id"));
  step->user_id = g_strdup (baton_json_peek_string (object, "user_id"));
  step->body = g_strdup (baton_json_peek_string (object, "body"));
  if (step->type == BATON_FLOW_STEP_ASSIGN_TEAM)
    {
      step->conversation_tags = baton_json_dup_strv (object, "conversation_tags");
      step->contact_tags = baton_json_dup_strv (object, "contact_tags");
      /* absent means added, as routing reads it */
      step->add_tags = !baton_json_has (object, "add_tags")
                       || baton_json_get_bool (object, "add_tags");
    }
  if (step->type == BATON_FLOW_STEP_UPDATE_CONTACT)
    {
      step->contact_add_tags = baton_json_dup_strv (object, "add_tags");
      step->contact_remove_tags = baton_json_dup_strv (object, "remove_tags");
      fields = baton_json_get_object (object, "set_fields");
      if (fields)
        read_fields (step, fields);
    }
  return step;
}

GPtrArray *
baton_flow_steps_from_json (JsonNode *node)
{
  GPtrArray *steps = baton_flow_steps_new ();

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return steps;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      BatonFlowStep *step = step_from_json (json_array_get_element (json_node_get_array (node),
                                                                    i));

      if (step)
        g_ptr_array_add (steps, step);
    }
  return steps;
}

BatonFlowStep *
baton_flow_step_copy (const BatonFlowStep *step)
{
  g_autoptr(GPtrArray) one = g_ptr_array_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) copies = NULL;

  g_ptr_array_add (one, (gpointer) step);
  node = baton_flow_steps_to_json (one);
  copies = baton_flow_steps_from_json (node);
  return g_ptr_array_steal_index (copies, 0);
}

GPtrArray *
baton_flow_dup_steps (BatonFlow *flow)
{
  return baton_flow_steps_from_json (flow->steps);
}

/* The steps change: the compiled patterns of the old ones go with them. */
void
baton_flow_set_steps (BatonFlow *flow,
                      GPtrArray *steps)
{
  g_clear_pointer (&flow->steps, json_node_unref);
  flow->steps = baton_flow_steps_to_json (steps);
  g_hash_table_unref (flow->patterns);
  flow->patterns = baton_flow_patterns_new ();
}
