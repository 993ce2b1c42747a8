/* baton-api-schedules.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-api-schedules"

#include "config.h"

#include "baton-api.h"
#include "baton-resource.h"
#include "baton-id.h"
#include "baton-json.h"

static gboolean
save_schedule (BatonWorkspace  *workspace,
               gpointer         object,
               gboolean         creating,
               GError         **error)
{
  BatonSchedule *schedule = object;
  BatonStore *store = baton_workspace_get_store (workspace);
  gint64 now = baton_workspace_now (workspace);
  g_autoptr(JsonNode) node = baton_schedule_to_json (schedule);
  JsonObject *wire = json_node_get_object (node);
  /* stored in their wire shape, which the loader reads back */
  g_autofree char *weekly = baton_json_to_string (json_object_get_member (wire, "weekly"));
  g_autofree char *holidays = baton_json_to_string (json_object_get_member (wire, "holidays"));

  if (creating)
    return baton_store_exec (store, error,
                             "INSERT INTO schedules (id, name, timezone, weekly, holidays,"
                             " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                             "sssssii", schedule->id, schedule->name, schedule->timezone,
                             weekly, holidays, now, now) >= 0;
  return baton_store_exec (store, error,
                           "UPDATE schedules SET name = ?, timezone = ?, weekly = ?,"
                           " holidays = ?, updated_at = ? WHERE id = ?",
                           "ssssis", schedule->name, schedule->timezone, weekly, holidays, now,
                           schedule->id) >= 0;
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
      JsonNode *conditions = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (step_node))
        continue;
      step = json_node_get_object (step_node);
      conditions = json_object_get_member (step, "conditions");
      for (guint c = 0; conditions && JSON_NODE_HOLDS_ARRAY (conditions)
                        && c < json_array_get_length (json_node_get_array (conditions)); c++)
        {
          JsonNode *condition = json_array_get_element (json_node_get_array (conditions), c);

          JsonObject *object = JSON_NODE_HOLDS_OBJECT (condition)
                               ? json_node_get_object (condition) : NULL;

          /* stored steps, read leniently as routing reads them */
          if (g_strcmp0 (baton_json_peek_string (object, "field"), "time") == 0
              && g_strcmp0 (baton_json_peek_string (object, "value"), schedule_id) == 0)
            return TRUE;
        }
      if (steps_use_schedule (json_object_get_member (step, "then"), schedule_id)
          || steps_use_schedule (json_object_get_member (step, "else"), schedule_id))
        return TRUE;
    }
  return FALSE;
}

/* A schedule named by a flow's time condition stays, so that flows never point at nothing. */
static gboolean
check_unused (BatonWorkspace  *workspace,
              const char      *schedule_id,
              GError         **error)
{
  g_autoptr(GPtrArray) flows = baton_workspace_list_flows (workspace, error);

  if (flows == NULL)
    return FALSE;
  for (guint i = 0; i < flows->len; i++)
    {
      BatonFlow *flow = flows->pdata[i];

      if (steps_use_schedule (flow->steps, schedule_id))
        {
          g_set_error (error, BATON_ERROR, BATON_ERROR_CONFLICT,
                       "Schedule %s is used by flow %s (%s)", schedule_id, flow->id,
                       flow->name);
          return FALSE;
        }
    }
  return TRUE;
}

static gpointer
load_schedule (BatonWorkspace  *workspace,
               const char      *id,
               GError         **error)
{
  return baton_workspace_load_schedule (workspace, id, error);
}

static JsonNode *
schedule_to_json (gpointer schedule)
{
  return baton_schedule_to_json (schedule);
}

static const BatonResource schedule_resource = {
  "schedule", "schedules", load_schedule, baton_workspace_list_schedules, schedule_to_json,
  (GDestroyNotify) baton_schedule_unref,
};

void
baton_api_list_schedules (BatonRequest *request)
{
  baton_resource_reply_list (&schedule_resource, request);
}

void
baton_api_get_schedule (BatonRequest *request)
{
  baton_resource_reply (&schedule_resource, request, 200, baton_request_param (request, 0));
}

void
baton_api_create_schedule (BatonRequest *request)
{
  BatonWorkspace *workspace = request->workspace;
  JsonObject *body = baton_request_body (request);
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonSchedule) schedule = baton_schedule_new ();

  if (body == NULL)
    return;
  if (!baton_schedule_update (schedule, body, TRUE, &error))
    {
      baton_request_reply_error (request, error);
      return;
    }
  schedule->id = baton_id_new ("sch", baton_workspace_now (workspace));
  baton_resource_save_and_reply (&schedule_resource, request, save_schedule, schedule,
                                 schedule->id, TRUE);
}

/* Only the members given change, validated as the create does (nothing is stored when one
 * is invalid). */
void
baton_api_update_schedule (BatonRequest *request)
{
  BatonWorkspace *workspace = request->workspace;
  const char *id = baton_request_param (request, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonSchedule) schedule = baton_workspace_load_schedule (workspace, id, &error);
  JsonObject *body = NULL;

  if (schedule == NULL)
    {
      baton_request_reply_error (request, error);
      return;
    }
  body = baton_request_body (request);
  if (body == NULL)
    return;
  if (!baton_schedule_update (schedule, body, FALSE, &error))
    {
      baton_request_reply_error (request, error);
      return;
    }
  baton_resource_save_and_reply (&schedule_resource, request, save_schedule, schedule, id,
                                 FALSE);
}

void
baton_api_delete_schedule (BatonRequest *request)
{
  /* Flows never point at nothing: a schedule in use stays. */
  baton_resource_delete_and_reply (&schedule_resource, request, check_unused, NULL);
}
