/* baton-api-schedules.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-api-schedules"

#include "config.h"

#include "baton-api.h"
#include "baton-id.h"
#include "baton-json.h"

static gboolean
save_schedule (BatonWorkspace  *workspace,
               BatonSchedule   *schedule,
               gboolean         creating,
               GError         **error)
{
  BatonStore *store = baton_workspace_get_store (workspace);
  gint64 now = baton_workspace_now (workspace);
  g_autoptr(JsonNode) node = baton_schedule_to_json (schedule);
  JsonObject *object = json_node_get_object (node);
  /* stored in their wire shape, which the loader reads back */
  g_autofree char *weekly = json_to_string (json_object_get_member (object, "weekly"), FALSE);
  g_autofree char *holidays = json_to_string (json_object_get_member (object, "holidays"),
                                              FALSE);

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

static void
reply_schedule (BatonRequest *request,
                guint         status,
                const char   *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonSchedule) schedule = baton_workspace_load_schedule (request->workspace, id,
                                                                     &error);

  if (schedule == NULL)
    baton_request_reply_error (request, error);
  else
    baton_request_reply (request, status, baton_schedule_to_json (schedule));
}

static gboolean
emit_schedule (BatonWorkspace  *workspace,
               const char      *type,
               const char      *id,
               GError         **error)
{
  g_autoptr(BatonSchedule) schedule = baton_workspace_load_schedule (workspace, id, error);

  return schedule && baton_workspace_emit (workspace, type, NULL,
                                           baton_schedule_to_json (schedule), error);
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

          if (JSON_NODE_HOLDS_OBJECT (condition)
              && g_strcmp0 (json_object_get_string_member_with_default (
                              json_node_get_object (condition), "field", NULL), "time") == 0
              && g_strcmp0 (json_object_get_string_member_with_default (
                              json_node_get_object (condition), "value", NULL),
                            schedule_id) == 0)
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

void
baton_api_list_schedules (BatonRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) schedules = baton_workspace_list_schedules (request->workspace, &error);
  GPtrArray *items = NULL;

  if (schedules == NULL)
    {
      baton_request_reply_error (request, error);
      return;
    }
  items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  for (guint i = 0; i < schedules->len; i++)
    g_ptr_array_add (items, baton_schedule_to_json (schedules->pdata[i]));
  baton_request_reply_list (request, items, NULL);
}

void
baton_api_get_schedule (BatonRequest *request)
{
  reply_schedule (request, 200, baton_request_param (request, 0));
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
  if (!baton_workspace_begin (workspace, &error)
      || !save_schedule (workspace, schedule, TRUE, &error)
      || !emit_schedule (workspace, "schedule.created", schedule->id, &error)
      || !baton_workspace_commit (workspace, &error))
    {
      baton_workspace_rollback (workspace);
      baton_request_reply_error (request, error);
      return;
    }
  reply_schedule (request, 201, schedule->id);
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
  if (!baton_workspace_begin (workspace, &error)
      || !save_schedule (workspace, schedule, FALSE, &error)
      || !emit_schedule (workspace, "schedule.updated", id, &error)
      || !baton_workspace_commit (workspace, &error))
    {
      baton_workspace_rollback (workspace);
      baton_request_reply_error (request, error);
      return;
    }
  reply_schedule (request, 200, id);
}

void
baton_api_delete_schedule (BatonRequest *request)
{
  BatonWorkspace *workspace = request->workspace;
  BatonStore *store = baton_workspace_get_store (workspace);
  const char *id = baton_request_param (request, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonSchedule) schedule = baton_workspace_load_schedule (workspace, id, &error);
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  if (schedule == NULL)
    {
      baton_request_reply_error (request, error);
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_end_object (builder);

  if (!baton_workspace_begin (workspace, &error)
      || !check_unused (workspace, id, &error)
      || baton_store_exec (store, &error, "DELETE FROM schedules WHERE id = ?", "s", id) < 0
      || !baton_workspace_emit (workspace, "schedule.deleted", NULL,
                                json_builder_get_root (builder), &error)
      || !baton_workspace_commit (workspace, &error))
    {
      baton_workspace_rollback (workspace);
      baton_request_reply_error (request, error);
      return;
    }
  baton_request_reply_empty (request, 204);
}
