/* baton-flow-trial.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-flow-trial"

#include "config.h"

#include "baton-flow-trial.h"
#include "baton-json.h"
#include "baton-time.h"

G_DEFINE_BOXED_TYPE (BatonFlowTrial, baton_flow_trial, baton_flow_trial_ref,
                     baton_flow_trial_unref)

static void
condition_free (BatonTrialCondition *condition)
{
  g_free (condition->path);
  g_clear_pointer (&condition->condition, baton_flow_condition_free);
  g_free (condition);
}

static void
step_free (BatonTrialStep *step)
{
  g_free (step->path);
  g_free (step->type);
  g_clear_pointer (&step->conditions, g_ptr_array_unref);
  g_free (step->team_id);
  g_free (step->team_name);
  g_strfreev (step->conversation_tags);
  g_strfreev (step->contact_tags);
  g_free (step->agent_id);
  g_free (step->agent_name);
  g_free (step->body);
  g_strfreev (step->contact_add_tags);
  g_strfreev (step->contact_remove_tags);
  g_strfreev (step->contact_set_fields);
  g_free (step);
}

BatonFlowTrial *
baton_flow_trial_ref (BatonFlowTrial *trial)
{
  return g_rc_box_acquire (trial);
}

static void
trial_clear (BatonFlowTrial *trial)
{
  g_free (trial->flow_id);
  g_free (trial->event);
  g_clear_pointer (&trial->steps, g_ptr_array_unref);
}

void
baton_flow_trial_unref (BatonFlowTrial *trial)
{
  g_rc_box_release_full (trial, (GDestroyNotify) trial_clear);
}

/* A condition's value as one line of text. */
static char *
value_text (JsonNode *value)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) parts = NULL;
  JsonArray *array = NULL;

  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return g_strdup ("");
  if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (value));
  if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (value) ? "true" : "false");
  if (!JSON_NODE_HOLDS_ARRAY (value))
    return g_strdup ("");
  builder = g_strv_builder_new ();
  array = json_node_get_array (value);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (element));
    }
  parts = g_strv_builder_end (builder);
  return g_strjoinv (", ", parts);
}

static GPtrArray *
conditions_from_json (JsonArray *array)
{
  GPtrArray *conditions = g_ptr_array_new_with_free_func ((GDestroyNotify) condition_free);

  for (guint i = 0; array && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      BatonTrialCondition *condition = g_new0 (BatonTrialCondition, 1);

      condition->path = baton_json_dup_string (object, "path");
      condition->condition = object ? baton_flow_condition_from_json (node)
                                    : baton_flow_condition_new (NULL, NULL);
      condition->held = baton_json_get_bool (object, "held");
      g_ptr_array_add (conditions, condition);
    }
  return conditions;
}

/* set_fields as key, value, key, value… */
static GStrv
fields_from_json (JsonObject *fields)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (fields == NULL)
    return NULL;
  json_object_iter_init (&iter, fields);
  while (json_object_iter_next (&iter, &key, &value))
    {
      g_autofree char *text = value_text (value);

      g_strv_builder_add (builder, key);
      g_strv_builder_add (builder, text);
    }
  return g_strv_builder_end (builder);
}

static void
agent_from_json (BatonTrialStep *step,
                 JsonObject     *agent)
{
  if (agent == NULL)
    return;
  step->agent_id = baton_json_dup_string (agent, "id");
  step->agent_name = baton_json_dup_string (agent, "name");
  step->agent_online = baton_json_get_bool (agent, "online");
  step->agent_load = (int) baton_json_get_int (agent, "load");
}

static BatonTrialStep *
step_from_json (JsonObject *object)
{
  BatonTrialStep *step = g_new0 (BatonTrialStep, 1);
  JsonObject *team = baton_json_get_object (object, "team");
  int strategy = baton_strategy_from_string (baton_json_get_string (team, "strategy"));

  step->path = baton_json_dup_string (object, "path");
  step->type = baton_json_dup_string (object, "type");
  step->match_any = g_strcmp0 (baton_json_get_string (object, "match"), "any") == 0;
  if (baton_json_get_array (object, "conditions"))
    step->conditions = conditions_from_json (baton_json_get_array (object, "conditions"));
  step->held = baton_json_get_bool (object, "held");
  step->team_id = team ? baton_json_dup_string (team, "id") : NULL;
  step->team_name = team ? baton_json_dup_string (team, "name") : NULL;
  step->strategy = MAX (strategy, 0);
  step->queued = baton_json_get_bool (object, "queued");
  step->add_tags = baton_json_get_bool (object, "add_tags");
  if (baton_json_get_array (object, "conversation_tags"))
    step->conversation_tags = baton_json_dup_strv (object, "conversation_tags");
  if (baton_json_get_array (object, "contact_tags"))
    step->contact_tags = baton_json_dup_strv (object, "contact_tags");
  agent_from_json (step, baton_json_get_object (object, "agent"));
  step->eligible = baton_json_get_bool (object, "eligible");
  step->body = baton_json_get_string (object, "body")[0]
               ? baton_json_dup_string (object, "body") : NULL;
  if (g_strcmp0 (step->type, "update_contact") == 0)
    {
      step->contact_add_tags = baton_json_dup_strv (object, "add_tags");
      step->contact_remove_tags = baton_json_dup_strv (object, "remove_tags");
      step->contact_set_fields = fields_from_json (baton_json_get_object (object,
                                                                          "set_fields"));
    }
  return step;
}

/* A dry run's answer read leniently (the server wrote it), or NULL when it is not one. */
BatonFlowTrial *
baton_flow_trial_from_json (JsonNode *node)
{
  JsonObject *object = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonObject *trigger = baton_json_get_object (object, "trigger");
  JsonArray *steps = baton_json_get_array (object, "steps");
  BatonFlowTrial *trial = NULL;

  if (trigger == NULL || steps == NULL)
    return NULL;
  trial = g_rc_box_new0 (BatonFlowTrial);
  trial->flow_id = baton_json_get_string (object, "flow_id")[0]
                   ? baton_json_dup_string (object, "flow_id") : NULL;
  trial->at = baton_json_get_time (object, "at");
  trial->event = baton_json_dup_string (trigger, "event");
  trial->enabled = baton_json_get_bool (trigger, "enabled");
  trial->matched = baton_json_get_bool (trigger, "matched");
  trial->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) step_free);
  for (guint i = 0; i < json_array_get_length (steps); i++)
    {
      JsonNode *element = json_array_get_element (steps, i);

      if (JSON_NODE_HOLDS_OBJECT (element))
        g_ptr_array_add (trial->steps, step_from_json (json_node_get_object (element)));
    }
  return trial;
}

/* The sample's wire shape: only what the caller set. */
JsonNode *
baton_flow_trial_sample_to_json (const BatonFlowTrialSample *sample)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  baton_json_add_nullable_string (builder, "text", sample->text);
  baton_json_add_nullable_string (builder, "channel_id", sample->channel_id);
  baton_json_add_nullable_string (builder, "contact_id", sample->contact_id);
  if (sample->contact_tags)
    {
      json_builder_set_member_name (builder, "contact");
      json_builder_begin_object (builder);
      baton_json_add_strv (builder, "tags", sample->contact_tags);
      json_builder_end_object (builder);
    }
  if (sample->is_returning >= 0)
    {
      json_builder_set_member_name (builder, "is_returning");
      json_builder_add_boolean_value (builder, sample->is_returning != 0);
    }
  json_builder_set_member_name (builder, "referral");
  json_builder_add_boolean_value (builder, sample->referral);
  if (sample->at > 0)
    baton_json_add_time (builder, "at", sample->at);
  baton_json_add_nullable_string (builder, "event", sample->event);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
