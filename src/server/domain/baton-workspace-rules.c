/* baton-workspace-rules.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-workspace-routing"

#include "config.h"

#include "baton-error.h"
#include "baton-id.h"
#include "baton-json.h"
#include "baton-store-flows.h"
#include "baton-store-schedules.h"
#include "baton-workspace-private.h"

/* Changes of the routing rules: flows and schedules, saved in their wire shape. */

/* Flows */

static gboolean
write_flow (BatonWorkspace  *self,
            gpointer         object,
            gboolean         creating,
            GError         **error)
{
  BatonFlow *flow = object;
  g_autoptr(JsonNode) node = baton_flow_to_json (flow);
  /* the trigger as stored: the "trigger" member of the wire form */
  g_autofree char *trigger = baton_json_to_string (json_object_get_member (
                                                     json_node_get_object (node), "trigger"));
  g_autofree char *steps = flow->steps ? baton_json_to_string (flow->steps) : g_strdup ("[]");
  gint64 now = baton_workspace_now (self);
  BatonFlowRow row = {
    .id = flow->id, .name = flow->name, .enabled = flow->enabled, .position = flow->position,
    .trigger = trigger, .steps = steps, .created_at = now, .updated_at = now,
  };

  /* A flow created without a position goes after every other one. */
  if (creating && flow->position < 0)
    {
      row.position = baton_store_flows_next_position (self->store, error);
      if (row.position < 0)
        return FALSE;
    }
  if (creating)
    return baton_store_flows_insert (self->store, &row, error);
  return baton_store_flows_update (self->store, &row, error);
}

static gpointer
load_flow (BatonWorkspace  *self,
           const char      *id,
           GError         **error)
{
  return baton_workspace_load_flow (self, id, error);
}

static JsonNode *
flow_to_json (gpointer flow)
{
  return baton_flow_to_json (flow);
}

static gboolean
remove_flow (BatonWorkspace  *self,
             const char      *id,
             GError         **error)
{
  return baton_store_flows_delete (self->store, id, error);
}

static const BatonObjectKind flow_kind = {
  "flow", load_flow, flow_to_json, (GDestroyNotify) baton_flow_unref, write_flow, remove_flow,
};

/* A validated flow, created (with a new id; a negative position puts it last) or changed;
 * as saved, published. */
BatonFlow *
baton_workspace_save_flow (BatonWorkspace  *self,
                           BatonFlow       *flow,
                           gboolean         creating,
                           GError         **error)
{
  if (creating)
    {
      g_free (flow->id);
      flow->id = baton_id_new ("flw", baton_workspace_now (self));
    }
  return baton_workspace_save_object (self, &flow_kind, flow, flow->id, creating, error);
}

gboolean
baton_workspace_delete_flow (BatonWorkspace  *self,
                             const char      *id,
                             GError         **error)
{
  return baton_workspace_delete_object (self, &flow_kind, id, error);
}

/* Schedules */

static gboolean
write_schedule (BatonWorkspace  *self,
                gpointer         object,
                gboolean         creating,
                GError         **error)
{
  BatonSchedule *schedule = object;
  g_autoptr(JsonNode) node = baton_schedule_to_json (schedule);
  JsonObject *wire = json_node_get_object (node);
  /* stored in their wire shape, which the loader reads back */
  g_autofree char *weekly = baton_json_to_string (json_object_get_member (wire, "weekly"));
  g_autofree char *holidays = baton_json_to_string (json_object_get_member (wire, "holidays"));
  gint64 now = baton_workspace_now (self);
  BatonScheduleRow row = {
    .id = schedule->id, .name = schedule->name, .timezone = schedule->timezone,
    .weekly = weekly, .holidays = holidays, .created_at = now, .updated_at = now,
  };

  if (creating)
    return baton_store_schedules_insert (self->store, &row, error);
  return baton_store_schedules_update (self->store, &row, error);
}

/* A schedule named by a flow's time condition stays, so that flows never point at nothing. */
static gboolean
remove_schedule (BatonWorkspace  *self,
                 const char      *id,
                 GError         **error)
{
  g_autoptr(GPtrArray) flows = baton_workspace_list_flows (self, error);

  if (flows == NULL)
    return FALSE;
  for (guint i = 0; i < flows->len; i++)
    {
      BatonFlow *flow = flows->pdata[i];

      if (baton_flow_uses_schedule (flow, id))
        {
          g_set_error (error, BATON_ERROR, BATON_ERROR_CONFLICT,
                       "Schedule %s is used by flow %s (%s)", id, flow->id, flow->name);
          return FALSE;
        }
    }
  return baton_store_schedules_delete (self->store, id, error);
}

static gpointer
load_schedule (BatonWorkspace  *self,
               const char      *id,
               GError         **error)
{
  return baton_workspace_load_schedule (self, id, error);
}

static JsonNode *
schedule_to_json (gpointer schedule)
{
  return baton_schedule_to_json (schedule);
}

static const BatonObjectKind schedule_kind = {
  "schedule", load_schedule, schedule_to_json, (GDestroyNotify) baton_schedule_unref,
  write_schedule, remove_schedule,
};

BatonSchedule *
baton_workspace_save_schedule (BatonWorkspace  *self,
                               BatonSchedule   *schedule,
                               gboolean         creating,
                               GError         **error)
{
  if (creating)
    {
      g_free (schedule->id);
      schedule->id = baton_id_new ("sch", baton_workspace_now (self));
    }
  return baton_workspace_save_object (self, &schedule_kind, schedule, schedule->id, creating,
                                      error);
}

/* CONFLICT while a flow uses the schedule. */
gboolean
baton_workspace_delete_schedule (BatonWorkspace  *self,
                                 const char      *id,
                                 GError         **error)
{
  return baton_workspace_delete_object (self, &schedule_kind, id, error);
}
