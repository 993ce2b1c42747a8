/* baton-api-schedules.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-api-schedules"

#include "config.h"

#include "baton-api.h"
#include "baton-resource.h"
#include "baton-json.h"

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

static gpointer
save_schedule (BatonWorkspace  *workspace,
               gpointer         schedule,
               gboolean         creating,
               GError         **error)
{
  return baton_workspace_save_schedule (workspace, schedule, creating, error);
}

static const BatonResource schedule_resource = {
  load_schedule, baton_workspace_list_schedules, schedule_to_json,
  (GDestroyNotify) baton_schedule_unref, save_schedule, baton_workspace_delete_schedule,
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
  baton_resource_save_and_reply (&schedule_resource, request, schedule, TRUE);
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
  baton_resource_save_and_reply (&schedule_resource, request, schedule, FALSE);
}

void
baton_api_delete_schedule (BatonRequest *request)
{
  /* Flows never point at nothing: a schedule in use stays. */
  baton_resource_delete_and_reply (&schedule_resource, request);
}
