/* baton-workspace-flow-test.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-workspace"

#include "config.h"

#include "baton-error.h"
#include "baton-json.h"
#include "baton-router.h"
#include "baton-store-channels.h"
#include "baton-store-snapshot.h"
#include "baton-time.h"
#include "baton-workspace-private.h"

/* A flow's dry run (API.md "Testing a flow"): the engine's traced walk over a sample, and
 * each action resolved against the workspace as it is now. It only reads: no row, no event,
 * no round-robin cursor moves. */

typedef struct {
  BatonWorkspace *self;
  GPtrArray *teams;
  GPtrArray *schedules;
  GHashTable *team_index;
  GHashTable *schedule_index;
  BatonAgentStates *states;
  /* a copy of the stored cursors, moved by this run's picks alone */
  GHashTable *cursors;
  BatonContact *contact;
  gboolean returning;
  gint64 now_ms;
} Trial;

static void
trial_clear (Trial *trial)
{
  g_clear_pointer (&trial->teams, g_ptr_array_unref);
  g_clear_pointer (&trial->schedules, g_ptr_array_unref);
  g_clear_pointer (&trial->team_index, g_hash_table_unref);
  g_clear_pointer (&trial->schedule_index, g_hash_table_unref);
  g_clear_pointer (&trial->states, g_hash_table_unref);
  g_clear_pointer (&trial->cursors, g_hash_table_unref);
  g_clear_pointer (&trial->contact, baton_contact_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Trial, trial_clear)

/* The sample's channel and contact must exist: they are named in the request body. */
static gboolean
sample_load (Trial                  *trial,
             const BatonFlowSample  *sample,
             GError                **error)
{
  BatonWorkspace *self = trial->self;
  g_autoptr(BatonChannelRow) channel = NULL;
  g_autoptr(GError) local_error = NULL;

  if (sample->channel_id)
    {
      channel = baton_store_channels_get (self->store, sample->channel_id, &local_error);
      if (channel == NULL && local_error)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (channel == NULL)
        {
          baton_set_field_error (error, "sample.channel_id", "No channel with id %s",
                                 sample->channel_id);
          return FALSE;
        }
    }
  if (sample->contact_id == NULL)
    return TRUE;
  trial->contact = baton_workspace_load_contact (self, sample->contact_id, &local_error);
  if (trial->contact == NULL)
    {
      if (!g_error_matches (local_error, BATON_ERROR, BATON_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      baton_set_field_error (error, "sample.contact_id", "No contact with id %s",
                             sample->contact_id);
      return FALSE;
    }
  return TRUE;
}

static gboolean
trial_load (Trial                  *trial,
            const BatonFlowSample  *sample,
            GError                **error)
{
  BatonWorkspace *self = trial->self;
  g_auto(BatonRoutingState) routing = { 0 };

  if (!sample_load (trial, sample, error)
      || (trial->teams = baton_workspace_list_teams (self, error)) == NULL
      || (trial->schedules = baton_workspace_list_schedules (self, error)) == NULL
      || !baton_store_snapshot_routing (self->store, NULL, sample->contact_id, &routing,
                                        error))
    return FALSE;
  trial->states = baton_workspace_agent_states (self, routing.agents);
  trial->returning = routing.returning;
  trial->team_index = baton_workspace_index_by_id (trial->teams,
                                                   G_STRUCT_OFFSET (BatonTeam, id));
  trial->schedule_index = baton_workspace_index_by_id (trial->schedules,
                                                       G_STRUCT_OFFSET (BatonSchedule, id));
  /* the run's own copy: its picks move these alone */
  trial->cursors = g_steal_pointer (&routing.cursors);
  trial->now_ms = sample->at_ms > 0 ? sample->at_ms : baton_workspace_now (self);
  return TRUE;
}

/* {id, name, online, load}, or null for an agent who is not in the workspace. */
static void
add_agent (Trial       *trial,
           JsonBuilder *builder,
           const char  *id)
{
  g_autoptr(BatonAgent) agent = id ? baton_workspace_load_agent (trial->self, id, NULL) : NULL;
  BatonAgentState *state = id ? g_hash_table_lookup (trial->states, id) : NULL;

  json_builder_set_member_name (builder, "agent");
  if (agent == NULL || state == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, agent->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, agent->name);
  json_builder_set_member_name (builder, "online");
  json_builder_add_boolean_value (builder, state->online);
  json_builder_set_member_name (builder, "load");
  json_builder_add_int_value (builder, state->load);
  json_builder_end_object (builder);
}

static void
add_member (JsonBuilder *builder,
            JsonObject  *step,
            const char  *member)
{
  JsonNode *value = json_object_get_member (step, member);

  json_builder_set_member_name (builder, member);
  if (value)
    json_builder_add_value (builder, json_node_copy (value));
  else
    json_builder_add_null_value (builder);
}

/* The team, its strategy and whom it would pick now (the stored cursor, as moved by the
 * picks before in this run), or that the conversation would wait in its queue. */
static void
add_assign_team (Trial       *trial,
                 JsonBuilder *builder,
                 JsonObject  *step)
{
  const char *team_id = baton_json_peek_string (step, "team_id");
  BatonTeam *team = team_id ? g_hash_table_lookup (trial->team_index, team_id) : NULL;
  const char *via = NULL;
  gint64 due = 0;
  g_autofree char *picked = NULL;

  json_builder_set_member_name (builder, "team");
  if (team)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, team->id);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, team->name);
      json_builder_set_member_name (builder, "strategy");
      json_builder_add_string_value (builder, baton_strategy_to_string (team->strategy));
      json_builder_end_object (builder);
      picked = baton_team_pick (team, g_hash_table_lookup (trial->cursors, team->id),
                                trial->states, NULL, trial->now_ms, &via, &due);
      if (picked)
        g_hash_table_insert (trial->cursors, g_strdup (team->id), g_strdup (picked));
    }
  else
    {
      json_builder_add_null_value (builder);
    }
  add_agent (trial, builder, picked);
  json_builder_set_member_name (builder, "queued");
  json_builder_add_boolean_value (builder, picked == NULL);
  json_builder_set_member_name (builder, "add_tags");
  json_builder_add_boolean_value (builder, !baton_json_has (step, "add_tags")
                                           || baton_json_get_bool (step, "add_tags"));
  add_member (builder, step, "conversation_tags");
  add_member (builder, step, "contact_tags");
}

/* A user step assigns whoever it names; eligible says whether a team would pick them now. */
static void
add_assign_user (Trial       *trial,
                 JsonBuilder *builder,
                 JsonObject  *step)
{
  const char *id = baton_json_peek_string (step, "user_id");
  BatonAgentState *state = id ? g_hash_table_lookup (trial->states, id) : NULL;

  add_agent (trial, builder, id);
  json_builder_set_member_name (builder, "eligible");
  json_builder_add_boolean_value (builder, state && state->online);
}

static void
add_conditions (JsonBuilder    *builder,
                BatonFlowVisit *visit)
{
  JsonArray *conditions = baton_json_get_array (visit->step, "conditions");

  json_builder_set_member_name (builder, "match");
  json_builder_add_string_value (builder, g_strcmp0 (baton_json_peek_string (visit->step,
                                                                             "match"),
                                                     "any") == 0 ? "any" : "all");
  json_builder_set_member_name (builder, "conditions");
  json_builder_begin_array (builder);
  for (guint c = 0; c < visit->results->len; c++)
    {
      JsonNode *node = json_array_get_element (conditions, c);
      JsonObject *condition = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node)
                                                            : NULL;
      g_autofree char *path = g_strdup_printf ("%s.conditions[%u]", visit->path, c);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, path);
      baton_json_add_nullable_string (builder, "field",
                                      baton_json_peek_string (condition, "field"));
      baton_json_add_nullable_string (builder, "op", baton_json_peek_string (condition, "op"));
      if (condition)
        add_member (builder, condition, "value");
      json_builder_set_member_name (builder, "held");
      json_builder_add_boolean_value (builder, g_array_index (visit->results, gboolean, c));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "held");
  json_builder_add_boolean_value (builder, visit->held);
  json_builder_set_member_name (builder, "branch");
  json_builder_add_string_value (builder, visit->held ? "then" : "else");
}

static void
add_visit (Trial          *trial,
           JsonBuilder    *builder,
           BatonFlowVisit *visit)
{
  const char *type = visit->type ? visit->type : "";

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, visit->path);
  baton_json_add_nullable_string (builder, "type", visit->type);
  if (visit->results)
    add_conditions (builder, visit);
  else if (g_str_equal (type, "assign_team"))
    add_assign_team (trial, builder, visit->step);
  else if (g_str_equal (type, "assign_user"))
    add_assign_user (trial, builder, visit->step);
  else if (g_str_equal (type, "send_message"))
    add_member (builder, visit->step, "body");
  else if (g_str_equal (type, "update_contact"))
    {
      add_member (builder, visit->step, "add_tags");
      add_member (builder, visit->step, "remove_tags");
      add_member (builder, visit->step, "set_fields");
    }
  json_builder_end_object (builder);
}

/* Whether the flow listens to the event, channel and tag; a disabled flow can be tried too
 * (the answer says apart that it is disabled). */
static void
add_trigger (JsonBuilder           *builder,
             BatonFlow             *flow,
             const BatonFlowSample *sample)
{
  const char *event = sample->event ? sample->event : flow->trigger_on;
  const char *tag = sample->tag ? sample->tag : flow->trigger_tag;
  gboolean enabled = flow->enabled;
  gboolean matched = FALSE;

  flow->enabled = TRUE;
  matched = baton_flow_triggers (flow, event, sample->channel_id, tag);
  flow->enabled = enabled;
  json_builder_set_member_name (builder, "trigger");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "on");
  json_builder_add_string_value (builder, flow->trigger_on);
  json_builder_set_member_name (builder, "event");
  json_builder_add_string_value (builder, event);
  baton_json_add_nullable_string (builder, "tag", tag);
  json_builder_set_member_name (builder, "enabled");
  json_builder_add_boolean_value (builder, enabled);
  json_builder_set_member_name (builder, "matched");
  json_builder_add_boolean_value (builder, matched);
  json_builder_end_object (builder);
}

JsonNode *
baton_workspace_test_flow (BatonWorkspace         *self,
                           BatonFlow              *flow,
                           const BatonFlowSample  *sample,
                           GError                **error)
{
  g_auto(Trial) trial = { .self = self };
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(GPtrArray) visits = NULL;
  BatonFlowContext context = { 0 };

  g_return_val_if_fail (BATON_IS_WORKSPACE (self), NULL);

  if (!trial_load (&trial, sample, error))
    return NULL;
  context.message_text = sample->text;
  context.contact_tags = sample->contact_tags ? sample->contact_tags
                         : trial.contact ? (const char * const *) trial.contact->tags : NULL;
  context.contact_fields = sample->contact_fields ? sample->contact_fields
                           : trial.contact ? trial.contact->fields : NULL;
  context.is_returning = sample->is_returning >= 0 ? sample->is_returning : trial.returning;
  context.channel_id = sample->channel_id;
  context.has_referral = sample->referral;
  context.now_ms = trial.now_ms;
  context.schedules = trial.schedule_index;
  visits = baton_flow_trace (flow, &context);

  json_builder_begin_object (builder);
  baton_json_add_nullable_string (builder, "flow_id", flow->id);
  baton_json_add_time (builder, "at", trial.now_ms);
  add_trigger (builder, flow, sample);
  json_builder_set_member_name (builder, "steps");
  json_builder_begin_array (builder);
  for (guint i = 0; i < visits->len; i++)
    add_visit (&trial, builder, visits->pdata[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
