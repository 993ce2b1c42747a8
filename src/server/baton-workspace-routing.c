/* baton-workspace-routing.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-workspace-routing"

#include "config.h"

#include "baton-error.h"
#include "baton-json.h"
#include "baton-workspace-private.h"

/* The routing rules as stored: flows (trigger and steps as JSON text) and schedules (weekly
 * intervals and holidays as JSON text), loaded into the engine's types. */

#define FLOW_COLUMNS "id, name, enabled, position, trigger, steps, created_at, updated_at"
#define SCHEDULE_COLUMNS "id, name, timezone, weekly, holidays, created_at, updated_at"

static void
set_not_found (GError     **error,
               const char  *what,
               const char  *id)
{
  g_set_error (error, BATON_ERROR, BATON_ERROR_NOT_FOUND, "No %s with id %s", what, id);
}

static void
set_damaged (GError     **error,
             const char  *what,
             const char  *id)
{
  g_set_error (error, BATON_ERROR, BATON_ERROR_INTERNAL, "The stored %s %s is damaged", what,
               id);
}

static gboolean
exists (BatonWorkspace *self,
        const char     *sql,
        const char     *id)
{
  g_autoptr(BatonRows) rows = baton_store_query (self->store, NULL, sql, "s", id);

  return rows != NULL && baton_rows_count (rows) > 0;
}

static gboolean
team_exists (const char *id,
             gpointer    user_data)
{
  return exists (user_data, "SELECT 1 FROM teams WHERE id = ?", id);
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
  return exists (user_data, "SELECT 1 FROM schedules WHERE id = ?", id);
}

static gboolean
channel_exists (const char *id,
                gpointer    user_data)
{
  return exists (user_data, "SELECT 1 FROM channels WHERE id = ?", id);
}

/* Built from the stored columns without validating again: a flow saved once stays loadable
 * even when a team or schedule it names has gone since. */
static BatonFlow *
flow_from_row (BatonRows  *rows,
               guint       r,
               GError    **error)
{
  g_autoptr(BatonFlow) flow = baton_flow_new ();
  g_autoptr(JsonNode) trigger = baton_json_parse_text (baton_rows_text (rows, r, 4));
  g_autoptr(JsonNode) steps = baton_json_parse_text (baton_rows_text (rows, r, 5));
  JsonObject *trigger_object = NULL;
  JsonNode *channel_ids = NULL;

  flow->id = baton_rows_dup_text (rows, r, 0);
  if (trigger == NULL || !JSON_NODE_HOLDS_OBJECT (trigger)
      || steps == NULL || !JSON_NODE_HOLDS_ARRAY (steps))
    {
      set_damaged (error, "flow", flow->id);
      return NULL;
    }
  trigger_object = json_node_get_object (trigger);
  flow->name = baton_rows_dup_text (rows, r, 1);
  flow->enabled = baton_rows_int (rows, r, 2) != 0;
  flow->position = (int) baton_rows_int (rows, r, 3);
  flow->trigger_on = g_strdup (json_object_get_string_member_with_default (trigger_object, "on",
                                                                           NULL));
  flow->trigger_tag = g_strdup (json_object_get_string_member_with_default (trigger_object,
                                                                            "tag", NULL));
  channel_ids = json_object_get_member (trigger_object, "channel_ids");
  if (channel_ids && JSON_NODE_HOLDS_ARRAY (channel_ids))
    {
      JsonArray *array = json_node_get_array (channel_ids);
      GPtrArray *ids = g_ptr_array_new ();

      for (guint i = 0; i < json_array_get_length (array); i++)
        g_ptr_array_add (ids, g_strdup (json_array_get_string_element (array, i)));
      g_ptr_array_add (ids, NULL);
      flow->channel_ids = (GStrv) g_ptr_array_free (ids, FALSE);
    }
  flow->steps = g_steal_pointer (&steps);
  flow->created_at = baton_rows_int (rows, r, 6);
  flow->updated_at = baton_rows_int (rows, r, 7);
  return g_steal_pointer (&flow);
}

static BatonSchedule *
schedule_from_row (BatonRows  *rows,
                   guint       r,
                   GError    **error)
{
  g_autoptr(BatonSchedule) schedule = baton_schedule_new ();
  g_autoptr(JsonObject) object = json_object_new ();
  JsonNode *weekly = baton_json_parse_text (baton_rows_text (rows, r, 3));
  JsonNode *holidays = baton_json_parse_text (baton_rows_text (rows, r, 4));

  /* The engine's own reader parses the stored shape, which is the wire shape. */
  json_object_set_string_member (object, "name", baton_rows_text (rows, r, 1));
  json_object_set_string_member (object, "timezone", baton_rows_text (rows, r, 2));
  json_object_set_member (object, "weekly", weekly ? weekly : json_node_new (JSON_NODE_NULL));
  json_object_set_member (object, "holidays",
                          holidays ? holidays : json_node_new (JSON_NODE_NULL));
  schedule->id = baton_rows_dup_text (rows, r, 0);
  if (!baton_schedule_update (schedule, object, TRUE, NULL))
    {
      set_damaged (error, "schedule", schedule->id);
      return NULL;
    }
  schedule->created_at = baton_rows_int (rows, r, 5);
  schedule->updated_at = baton_rows_int (rows, r, 6);
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
  g_autoptr(BatonRows) rows = NULL;

  g_return_val_if_fail (BATON_IS_WORKSPACE (self), NULL);

  rows = baton_store_query (self->store, error,
                            "SELECT " FLOW_COLUMNS " FROM flows WHERE id = ?", "s", id);
  if (rows == NULL)
    return NULL;
  if (baton_rows_count (rows) == 0)
    {
      set_not_found (error, "flow", id);
      return NULL;
    }
  return flow_from_row (rows, 0, error);
}

/* Every flow in the order routing tries them: position, then age. */
GPtrArray *
baton_workspace_list_flows (BatonWorkspace  *self,
                            GError         **error)
{
  g_autoptr(BatonRows) rows = NULL;
  g_autoptr(GPtrArray) flows = NULL;

  g_return_val_if_fail (BATON_IS_WORKSPACE (self), NULL);

  rows = baton_store_query (self->store, error,
                            "SELECT " FLOW_COLUMNS " FROM flows"
                            " ORDER BY position, created_at, id", "");
  if (rows == NULL)
    return NULL;
  flows = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_flow_unref);
  for (guint r = 0; r < baton_rows_count (rows); r++)
    {
      BatonFlow *flow = flow_from_row (rows, r, error);

      if (flow == NULL)
        return NULL;
      g_ptr_array_add (flows, flow);
    }
  return g_steal_pointer (&flows);
}

BatonSchedule *
baton_workspace_load_schedule (BatonWorkspace  *self,
                               const char      *id,
                               GError         **error)
{
  g_autoptr(BatonRows) rows = NULL;

  g_return_val_if_fail (BATON_IS_WORKSPACE (self), NULL);

  rows = baton_store_query (self->store, error,
                            "SELECT " SCHEDULE_COLUMNS " FROM schedules WHERE id = ?", "s", id);
  if (rows == NULL)
    return NULL;
  if (baton_rows_count (rows) == 0)
    {
      set_not_found (error, "schedule", id);
      return NULL;
    }
  return schedule_from_row (rows, 0, error);
}

GPtrArray *
baton_workspace_list_schedules (BatonWorkspace  *self,
                                GError         **error)
{
  g_autoptr(BatonRows) rows = NULL;
  g_autoptr(GPtrArray) schedules = NULL;

  g_return_val_if_fail (BATON_IS_WORKSPACE (self), NULL);

  rows = baton_store_query (self->store, error,
                            "SELECT " SCHEDULE_COLUMNS " FROM schedules ORDER BY name, id", "");
  if (rows == NULL)
    return NULL;
  schedules = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_schedule_unref);
  for (guint r = 0; r < baton_rows_count (rows); r++)
    {
      BatonSchedule *schedule = schedule_from_row (rows, r, error);

      if (schedule == NULL)
        return NULL;
      g_ptr_array_add (schedules, schedule);
    }
  return g_steal_pointer (&schedules);
}
