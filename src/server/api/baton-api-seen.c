/* baton-api-seen.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-api-seen"

#include "config.h"

#include "baton-api.h"
#include "baton-json.h"

/* Read state: each agent's own, kept by the server (API.md, "Read state"). */

void
baton_api_mark_seen (BatonRequest *request)
{
  JsonObject *body = baton_request_body (request);
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonSeen) seen = NULL;
  const char *message_id = NULL;

  if (body == NULL)
    return;
  if (!baton_json_read_string (body, "message_id", BATON_JSON_REQUIRED, &message_id, &error))
    {
      baton_request_reply_error (request, error);
      return;
    }
  seen = baton_workspace_mark_seen (request->workspace, baton_request_param (request, 0),
                                    request->agent->id, message_id, &error);
  if (seen == NULL)
    baton_request_reply_error (request, error);
  else
    baton_request_reply (request, 200, baton_seen_to_json (seen));
}

void
baton_api_list_seen (BatonRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) seen = baton_workspace_list_seen (request->workspace,
                                                         request->agent->id, &error);
  GPtrArray *items = NULL;

  if (seen == NULL)
    {
      baton_request_reply_error (request, error);
      return;
    }
  items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  for (guint i = 0; i < seen->len; i++)
    g_ptr_array_add (items, baton_seen_to_json (seen->pdata[i]));
  baton_request_reply_list (request, items, NULL);
}

void
baton_api_conversation_counts (BatonRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonConversationCounts) counts =
    baton_workspace_conversation_counts (request->workspace, request->agent->id, &error);

  if (counts == NULL)
    baton_request_reply_error (request, error);
  else
    baton_request_reply (request, 200, baton_conversation_counts_to_json (counts));
}
