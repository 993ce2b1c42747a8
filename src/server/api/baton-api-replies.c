/* baton-api-replies.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-api-replies"

#include "config.h"

#include "baton-api.h"
#include "baton-json.h"

/* Canned replies (API.md, "Canned replies"): the workspace's and the caller's own. */

/* The members of a POST or PATCH body; a create needs shortcut, title and body. */
static gboolean
read_edit (JsonObject            *body,
           gboolean               creating,
           BatonCannedReplyEdit  *edit,
           GError               **error)
{
  BatonJsonFlags required = creating ? BATON_JSON_REQUIRED : BATON_JSON_OPTIONAL;

  edit->owner_given = baton_json_has (body, "owner_id");
  return baton_json_read_string (body, "shortcut", required, &edit->shortcut, error)
         && baton_json_read_string (body, "title", required, &edit->title, error)
         && baton_json_read_string (body, "body", required, &edit->body, error)
         && baton_json_read_string (body, "owner_id", BATON_JSON_NULLABLE, &edit->owner_id,
                                    error);
}

static void
reply_with (BatonRequest      *request,
            guint              status,
            BatonCannedReply  *reply,
            const GError      *error)
{
  if (reply == NULL)
    baton_request_reply_error (request, error);
  else
    baton_request_reply (request, status, baton_canned_reply_to_json (reply));
}

void
baton_api_list_replies (BatonRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) replies = baton_workspace_list_replies (request->workspace,
                                                               request->agent, &error);
  GPtrArray *items = NULL;

  if (replies == NULL)
    {
      baton_request_reply_error (request, error);
      return;
    }
  items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  for (guint i = 0; i < replies->len; i++)
    g_ptr_array_add (items, baton_canned_reply_to_json (replies->pdata[i]));
  baton_request_reply_list (request, items, NULL);
}

void
baton_api_get_reply (BatonRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonCannedReply) reply = NULL;

  reply = baton_workspace_load_reply (request->workspace, request->agent,
                                      baton_request_param (request, 0), &error);
  reply_with (request, 200, reply, error);
}

static void
save_reply (BatonRequest *request,
            gboolean      creating)
{
  JsonObject *body = baton_request_body (request);
  BatonCannedReplyEdit edit = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonCannedReply) reply = NULL;

  if (body == NULL)
    return;
  if (!read_edit (body, creating, &edit, &error))
    {
      baton_request_reply_error (request, error);
      return;
    }
  if (creating)
    reply = baton_workspace_create_reply (request->workspace, request->agent, &edit, &error);
  else
    reply = baton_workspace_update_reply (request->workspace, request->agent,
                                          baton_request_param (request, 0), &edit, &error);
  reply_with (request, creating ? 201 : 200, reply, error);
}

void
baton_api_create_reply (BatonRequest *request)
{
  save_reply (request, TRUE);
}

void
baton_api_update_reply (BatonRequest *request)
{
  save_reply (request, FALSE);
}

void
baton_api_delete_reply (BatonRequest *request)
{
  g_autoptr(GError) error = NULL;

  if (!baton_workspace_delete_reply (request->workspace, request->agent,
                                     baton_request_param (request, 0), &error))
    baton_request_reply_error (request, error);
  else
    baton_request_reply_empty (request, 204);
}
