/* baton-api-flows.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-api-flows"

#include "config.h"

#include "baton-api.h"
#include "baton-resource.h"
#include "baton-json.h"

static gpointer
load_flow (BatonWorkspace  *workspace,
           const char      *id,
           GError         **error)
{
  return baton_workspace_load_flow (workspace, id, error);
}

static JsonNode *
flow_to_json (gpointer flow)
{
  return baton_flow_to_json (flow);
}

static gpointer
save_flow (BatonWorkspace  *workspace,
           gpointer         flow,
           gboolean         creating,
           GError         **error)
{
  return baton_workspace_save_flow (workspace, flow, creating, error);
}

static const BatonResource flow_resource = {
  load_flow, baton_workspace_list_flows, flow_to_json, (GDestroyNotify) baton_flow_unref,
  save_flow, baton_workspace_delete_flow,
};

void
baton_api_list_flows (BatonRequest *request)
{
  baton_resource_reply_list (&flow_resource, request);
}

void
baton_api_get_flow (BatonRequest *request)
{
  baton_resource_reply (&flow_resource, request, 200, baton_request_param (request, 0));
}

void
baton_api_create_flow (BatonRequest *request)
{
  BatonWorkspace *workspace = request->workspace;
  JsonObject *body = baton_request_body (request);
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonFlow) flow = baton_flow_new ();
  BatonFlowLookup lookup = { 0 };

  if (body == NULL)
    return;
  baton_workspace_flow_lookup (workspace, &lookup);
  if (!baton_flow_update (flow, body, TRUE, &lookup, &error))
    {
      baton_request_reply_error (request, error);
      return;
    }
  /* A flow saved without a position goes last. */
  if (!baton_json_has (body, "position"))
    flow->position = -1;
  baton_resource_save_and_reply (&flow_resource, request, flow, TRUE);
}

/* Only the members given change; they are validated as the create does, against the flow
 * they are merged into (nothing is stored when one is invalid). */
void
baton_api_update_flow (BatonRequest *request)
{
  BatonWorkspace *workspace = request->workspace;
  const char *id = baton_request_param (request, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonFlow) flow = baton_workspace_load_flow (workspace, id, &error);
  BatonFlowLookup lookup = { 0 };
  JsonObject *body = NULL;

  if (flow == NULL)
    {
      baton_request_reply_error (request, error);
      return;
    }
  body = baton_request_body (request);
  if (body == NULL)
    return;
  baton_workspace_flow_lookup (workspace, &lookup);
  if (!baton_flow_update (flow, body, FALSE, &lookup, &error))
    {
      baton_request_reply_error (request, error);
      return;
    }
  baton_resource_save_and_reply (&flow_resource, request, flow, FALSE);
}

void
baton_api_delete_flow (BatonRequest *request)
{
  baton_resource_delete_and_reply (&flow_resource, request);
}
