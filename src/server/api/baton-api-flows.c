/* baton-api-flows.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-api-flows"

#include "config.h"

#include "baton-api.h"
#include "baton-resource.h"
#include "baton-id.h"
#include "baton-json.h"

/* The flow's trigger as stored: the "trigger" member of its wire form. */
static char *
trigger_to_string (BatonFlow *flow)
{
  g_autoptr(JsonNode) node = baton_flow_to_json (flow);
  JsonNode *trigger = json_object_get_member (json_node_get_object (node), "trigger");

  return baton_json_to_string (trigger);
}

static char *
steps_to_string (BatonFlow *flow)
{
  if (flow->steps == NULL)
    return g_strdup ("[]");
  return baton_json_to_string (flow->steps);
}

/* A flow created without a position goes after every other one. */
static gboolean
read_last_position (BatonStore  *store,
                    int         *position,
                    GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT MAX(position) FROM flows", "");

  if (rows == NULL)
    return FALSE;
  if (baton_rows_is_null (rows, 0, 0))
    *position = 0;
  else
    *position = (int) MIN (baton_rows_int (rows, 0, 0) + 1, G_MAXINT);
  return TRUE;
}

static gboolean
save_flow (BatonWorkspace  *workspace,
           gpointer         object,
           gboolean         creating,
           GError         **error)
{
  BatonFlow *flow = object;
  BatonStore *store = baton_workspace_get_store (workspace);
  gint64 now = baton_workspace_now (workspace);
  g_autofree char *trigger = trigger_to_string (flow);
  g_autofree char *steps = steps_to_string (flow);

  if (creating)
    return baton_store_exec (store, error,
                             "INSERT INTO flows (id, name, enabled, position, trigger, steps,"
                             " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                             "ssbdssii", flow->id, flow->name, flow->enabled, flow->position,
                             trigger, steps, now, now) >= 0;
  return baton_store_exec (store, error,
                           "UPDATE flows SET name = ?, enabled = ?, position = ?, trigger = ?,"
                           " steps = ?, updated_at = ? WHERE id = ?",
                           "sbdssis", flow->name, flow->enabled, flow->position, trigger, steps,
                           now, flow->id) >= 0;
}

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

static const BatonResource flow_resource = {
  "flow", "flows", load_flow, baton_workspace_list_flows, flow_to_json,
  (GDestroyNotify) baton_flow_unref,
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
  if (!baton_json_has (body, "position")
      && !read_last_position (baton_workspace_get_store (workspace), &flow->position, &error))
    {
      baton_request_reply_error (request, error);
      return;
    }
  flow->id = baton_id_new ("flw", baton_workspace_now (workspace));
  baton_resource_save_and_reply (&flow_resource, request, save_flow, flow, flow->id, TRUE);
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
  baton_resource_save_and_reply (&flow_resource, request, save_flow, flow, id, FALSE);
}

void
baton_api_delete_flow (BatonRequest *request)
{
  baton_resource_delete_and_reply (&flow_resource, request, NULL, NULL);
}
