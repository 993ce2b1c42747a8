/* baton-workspace-seen.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-workspace"

#include "config.h"

#include "baton-error.h"
#include "baton-store-messages.h"
#include "baton-workspace-private.h"

/* Read state, per agent: how far each agent has seen each thread, counted in customer
 * messages, so that it survives a restart of the app and is the same on every device. */

typedef struct {
  const char *conversation_id;
  const char *agent_id;
  const char *message_id;
} SeenRequest;

static gpointer
seen_change (BatonWorkspace  *self,
             gpointer         data,
             GError         **error)
{
  const SeenRequest *request = data;
  BatonStore *store = baton_workspace_get_store (self);
  g_autoptr(BatonConversation) conversation = NULL;
  g_autoptr(BatonSeen) seen = baton_seen_new (request->conversation_id, 0);
  GError *local_error = NULL;
  gboolean changed = FALSE;
  gint64 count = 0;

  conversation = baton_workspace_load_conversation (self, request->conversation_id, error);
  if (conversation == NULL)
    return NULL;
  if (!baton_store_messages_inbound_through (store, request->conversation_id,
                                             request->message_id, &count, &local_error))
    {
      if (local_error == NULL)
        {
          baton_set_field_error (&local_error, "message_id",
                                 "message_id is no message of this conversation");
          local_error->code = BATON_ERROR_BAD_REQUEST;
        }
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (!baton_store_seen_record (store, request->agent_id, request->conversation_id, count,
                                &changed, &seen->seen_count, error))
    return NULL;
  /* for that agent only: it is their place in the thread */
  if (changed && !baton_workspace_emit (self, "seen.updated", request->agent_id,
                                        baton_seen_to_json (seen),
                                        error))
    return NULL;
  return g_steal_pointer (&seen);
}

BatonSeen *
baton_workspace_mark_seen (BatonWorkspace  *self,
                           const char      *conversation_id,
                           const char      *agent_id,
                           const char      *message_id,
                           GError         **error)
{
  SeenRequest request = { conversation_id, agent_id, message_id };

  return baton_workspace_run (self, seen_change, &request,
                              (GDestroyNotify) baton_seen_free, error);
}

GPtrArray *
baton_workspace_list_seen (BatonWorkspace  *self,
                           const char      *agent_id,
                           GError         **error)
{
  return baton_store_seen_list (baton_workspace_get_store (self), agent_id, error);
}

BatonConversationCounts *
baton_workspace_conversation_counts (BatonWorkspace  *self,
                                     const char      *agent_id,
                                     GError         **error)
{
  return baton_store_seen_counts (baton_workspace_get_store (self), agent_id, error);
}
