/* baton-workspace-routing.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-workspace-routing"

#include "config.h"

#include "baton-error.h"
#include "baton-json.h"
#include "baton-store-channels.h"
#include "baton-store-flows.h"
#include "baton-store-schedules.h"
#include "baton-store-teams.h"
#include "baton-workspace-private.h"

/* The routing rules as stored: flows (trigger and steps as JSON text) and schedules (weekly
 * intervals and holidays as JSON text), loaded into the engine's types. */

static void
set_damaged (GError     **error,
             const char  *what,
             const char  *id)
{
  g_set_error (error, BATON_ERROR, BATON_ERROR_INTERNAL, "The stored %s %s is damaged", what,
               id);
}

static gboolean
team_exists (const char *id,
             gpointer    user_data)
{
  BatonWorkspace *self = user_data;
  g_autoptr(BatonTeam) team = baton_store_teams_get (self->store, id, NULL);

  return team != NULL;
}

static gboolean
agent_exists (const char *id,
              gpointer    user_data)
{
  return baton_workspace_agent_exists (user_data, id);
}

static gboolean
schedule_exists (const char *id,
                 gpointer    user_data)
{
  BatonWorkspace *self = user_data;
  g_autoptr(BatonScheduleRow) schedule = baton_store_schedules_get (self->store, id, NULL);

  return schedule != NULL;
}

static gboolean
channel_exists (const char *id,
                gpointer    user_data)
{
  BatonWorkspace *self = user_data;
  g_autoptr(BatonChannelRow) channel = baton_store_channels_get (self->store, id, NULL);

  return channel != NULL;
}

/* One version of a flow's steps, kept between routings so that a message does not parse
 * them and compile their patterns again: the stored text, parsed, and the patterns (compiled
 * on first use). */
typedef struct {
  char *text;
  JsonNode *steps;
  GHashTable *patterns;
} FlowVersion;

static void
flow_version_free (FlowVersion *version)
{
  g_free (version->text);
  json_node_unref (version->steps);
  g_hash_table_unref (version->patterns);
  g_free (version);
}

/* Sets the flow's steps from their stored text, from the cache when the text is the one
 * seen last for this flow. */
static gboolean
load_steps (BatonWorkspace *self,
            BatonFlow      *flow,
            const char     *text)
{
  FlowVersion *version = NULL;

  if (self->flow_versions == NULL)
    self->flow_versions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                 (GDestroyNotify) flow_version_free);
  version = g_hash_table_lookup (self->flow_versions, flow->id);
  if (version == NULL || g_strcmp0 (version->text, text) != 0)
    {
      g_autoptr(JsonNode) steps = baton_json_parse_text (text);

      if (steps == NULL || !JSON_NODE_HOLDS_ARRAY (steps))
        return FALSE;
      version = g_new0 (FlowVersion, 1);
      version->text = g_strdup (text);
      version->steps = g_steal_pointer (&steps);
      version->patterns = baton_flow_patterns_new ();
      g_hash_table_insert (self->flow_versions, g_strdup (flow->id), version);
    }
  /* the parser's nodes are immutable: every copy of the flow can share them */
  g_clear_pointer (&flow->steps, json_node_unref);
  flow->steps = json_node_ref (version->steps);
  g_hash_table_unref (flow->patterns);
  flow->patterns = g_hash_table_ref (version->patterns);
  return TRUE;
}

/* The cache keeps only the flows that still exist. */
static void
forget_deleted_flows (BatonWorkspace *self,
                      GPtrArray      *flows)
{
  g_autoptr(GHashTable) live = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer id = NULL;

  if (self->flow_versions == NULL)
    return;
  for (guint i = 0; i < flows->len; i++)
    g_hash_table_add (live, ((BatonFlow *) flows->pdata[i])->id);
  g_hash_table_iter_init (&iter, self->flow_versions);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    if (!g_hash_table_contains (live, id))
      g_hash_table_iter_remove (&iter);
}

/* Built from the stored columns without validating again: a flow saved once stays loadable
 * even when a team or schedule it names has gone since. */
static BatonFlow *
flow_from_row (BatonWorkspace  *self,
               BatonFlowRow    *row,
               GError         **error)
{
  g_autoptr(BatonFlow) flow = baton_flow_new ();
  g_autoptr(JsonNode) trigger = baton_json_parse_text (row->trigger);
  JsonObject *trigger_object = NULL;

  flow->id = g_strdup (row->id);
  if (trigger == NULL || !JSON_NODE_HOLDS_OBJECT (trigger)
      || !load_steps (self, flow, row->steps))
    {
      set_damaged (error, "flow", flow->id);
      return NULL;
    }
  trigger_object = json_node_get_object (trigger);
  flow->name = g_strdup (row->name);
  flow->enabled = row->enabled;
  flow->position = row->position;
  flow->trigger_on = baton_json_dup_string (trigger_object, "on");
  flow->trigger_tag = baton_json_dup_string (trigger_object, "tag");
  if (baton_json_get_array (trigger_object, "channel_ids"))
    flow->channel_ids = baton_json_dup_strv (trigger_object, "channel_ids");
  flow->created_at = row->created_at;
  flow->updated_at = row->updated_at;
  return g_steal_pointer (&flow);
}

static BatonSchedule *
schedule_from_row (BatonScheduleRow  *row,
                   GError           **error)
{
  g_autoptr(BatonSchedule) schedule = baton_schedule_new ();
  g_autoptr(JsonObject) object = json_object_new ();
  JsonNode *weekly = baton_json_parse_text (row->weekly);
  JsonNode *holidays = baton_json_parse_text (row->holidays);

  /* The engine's own reader parses the stored shape, which is the wire shape. */
  json_object_set_string_member (object, "name", row->name);
  json_object_set_string_member (object, "timezone", row->timezone);
  json_object_set_member (object, "weekly", weekly ? weekly : json_node_new (JSON_NODE_NULL));
  json_object_set_member (object, "holidays",
                          holidays ? holidays : json_node_new (JSON_NODE_NULL));
  schedule->id = g_strdup (row->id);
  if (!baton_schedule_update (schedule, object, TRUE, NULL))
    {
      set_damaged (error, "schedule", schedule->id);
      return NULL;
    }
  schedule->created_at = row->created_at;
  schedule->updated_at = row->updated_at;
  return g_steal_pointer (&schedule);
}

/* Lookups that answer from the store, for baton_flow_update. */
void
baton_workspace_flow_lookup (BatonWorkspace  *self,
                             BatonFlowLookup *lookup)
{
  g_return_if_fail (BATON_IS_WORKSPACE (self));

  lookup->team_exists = team_exists;
  lookup->agent_exists = agent_exists;
  lookup->schedule_exists = schedule_exists;
  lookup->channel_exists = channel_exists;
  lookup->user_data = self;
}

BatonFlow *
baton_workspace_load_flow (BatonWorkspace  *self,
                           const char      *id,
                           GError         **error)
{
  GError *local_error = NULL;
  g_autoptr(BatonFlowRow) row = NULL;

  g_return_val_if_fail (BATON_IS_WORKSPACE (self), NULL);

  row = baton_store_flows_get (self->store, id, &local_error);
  if (!baton_workspace_found (row, local_error, error, "flow", id))
    return NULL;
  return flow_from_row (self, row, error);
}

/* Every flow in the order routing tries them: position, then age. */
GPtrArray *
baton_workspace_list_flows (BatonWorkspace  *self,
                            GError         **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) flows = NULL;

  g_return_val_if_fail (BATON_IS_WORKSPACE (self), NULL);

  rows = baton_store_flows_list (self->store, error);
  if (rows == NULL)
    return NULL;
  flows = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_flow_unref);
  for (guint i = 0; i < rows->len; i++)
    {
      BatonFlow *flow = flow_from_row (self, rows->pdata[i], error);

      if (flow == NULL)
        return NULL;
      g_ptr_array_add (flows, flow);
    }
  forget_deleted_flows (self, flows);
  return g_steal_pointer (&flows);
}

BatonSchedule *
baton_workspace_load_schedule (BatonWorkspace  *self,
                               const char      *id,
                               GError         **error)
{
  GError *local_error = NULL;
  g_autoptr(BatonScheduleRow) row = NULL;

  g_return_val_if_fail (BATON_IS_WORKSPACE (self), NULL);

  row = baton_store_schedules_get (self->store, id, &local_error);
  if (!baton_workspace_found (row, local_error, error, "schedule", id))
    return NULL;
  return schedule_from_row (row, error);
}

GPtrArray *
baton_workspace_list_schedules (BatonWorkspace  *self,
                                GError         **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) schedules = NULL;

  g_return_val_if_fail (BATON_IS_WORKSPACE (self), NULL);

  rows = baton_store_schedules_list (self->store, error);
  if (rows == NULL)
    return NULL;
  schedules = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_schedule_unref);
  for (guint i = 0; i < rows->len; i++)
    {
      BatonSchedule *schedule = schedule_from_row (rows->pdata[i], error);

      if (schedule == NULL)
        return NULL;
      g_ptr_array_add (schedules, schedule);
    }
  return g_steal_pointer (&schedules);
}
