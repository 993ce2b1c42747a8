/* baton-workspace-pipeline.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-workspace"

#include "config.h"

#include "baton-error.h"
#include "baton-json.h"
#include "baton-store-contacts.h"
#include "baton-store-snapshot.h"
#include "baton-operation.h"

/* The routing pipeline of ASSIGNMENT.md §2 and the contact.tag_added flows of §8: a snapshot
 * of the workspace for the engine's baton_route (), and its decision applied. */

static gboolean
save_contact_fields (BatonWorkspace  *self,
                     BatonContact    *contact,
                     GHashTable      *fields,
                     GError         **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, fields);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (contact->fields, g_strdup (key), g_strdup (value));
  node = baton_contact_to_json (contact);
  text = baton_json_to_string (json_object_get_member (json_node_get_object (node), "fields"));
  return baton_store_contacts_update (baton_workspace_get_store (self), contact->id, NULL, text,
                                     error);
}

/* The flow's automatic replies. On WhatsApp one goes out like an agent's, and only inside
 * the 24-h window (a flow cannot pick a template). */
static gboolean
send_automatic_replies (BatonOperation     *op,
                        BatonConversation  *conversation,
                        GPtrArray          *messages,
                        GError            **error)
{
  BatonWorkspace *self = op->self;

  for (guint i = 0; i < messages->len; i++)
    {
      BatonReply reply = { .body = messages->pdata[i] };
      g_auto(BatonOutgoing) outgoing = { 0 };
      g_autoptr(GError) refused = NULL;
      BatonMessageRow message = {
        .kind = BATON_MESSAGE_OUTBOUND,
        .author_type = "system",
        .author_name = "Baton",
        .body = messages->pdata[i],
        .status = "sent",
      };
      g_autofree char *id = NULL;

      if (!baton_workspace_prepare_outgoing (self, conversation, &reply, &outgoing, &refused))
        {
          if (!g_error_matches (refused, BATON_ERROR, BATON_ERROR_UNPROCESSABLE))
            {
              g_propagate_error (error, g_steal_pointer (&refused));
              return FALSE;
            }
          g_message ("Automatic reply in %s not sent: %s", conversation->id, refused->message);
          continue;
        }
      if (outgoing.payload)
        message.status = "pending";
      id = baton_operation_insert_message (op, conversation->channel_id, &message, error);
      if (id == NULL
          || (outgoing.payload
              && !baton_workspace_queue_outbox (self, conversation->channel_id, id, "message",
                                                outgoing.recipient, outgoing.payload, error)))
        return FALSE;
    }
  return TRUE;
}

/* Applies what the engine decided, inside the operation's transaction. */
static gboolean
apply_decision (BatonOperation     *op,
                BatonConversation  *conversation,
                BatonContact       *contact,
                BatonDecision      *decision,
                gboolean           *contact_changed,
                GError            **error)
{
  BatonWorkspace *self = op->self;
  BatonStore *store = baton_workspace_get_store (self);
  gint64 now = baton_workspace_now (self);

  if (decision->unassign
      && !baton_operation_set_assignees (op, NULL, decision->via ? decision->via : "manual",
                                         error))
    return FALSE;
  if (decision->team_changed && !baton_operation_set_team (op, decision->team_id, error))
    return FALSE;
  if (!baton_operation_apply_picks (op, decision, error))
    return FALSE;
  if (decision->queued)
    {
      if (!baton_store_conversations_set_queued (store, op->conversation_id, now, error))
        return FALSE;
      op->queued = TRUE;
    }
  if (decision->conversation_tags)
    {
      if (!baton_store_conversations_set_tags (store, op->conversation_id,
                                               (const char * const *) decision->conversation_tags,
                                               error))
        return FALSE;
      baton_operation_forget (op);
    }
  if (decision->contact_tags || decision->contact_fields)
    g_clear_pointer (&op->contact, baton_contact_unref);
  if (decision->contact_tags)
    {
      if (!baton_store_contacts_set_tags (store, contact->id,
                                          (const char * const *) decision->contact_tags, error))
        return FALSE;
      *contact_changed = TRUE;
    }
  if (decision->contact_fields)
    {
      if (!save_contact_fields (self, contact, decision->contact_fields, error))
        return FALSE;
      *contact_changed = TRUE;
    }
  if (!send_automatic_replies (op, conversation, decision->messages, error))
    return FALSE;
  if (decision->close && !baton_operation_resolve (op, error))
    return FALSE;
  if (decision->via)
    baton_operation_set_via (op, decision->via);
  if (decision->flow_id)
    {
      g_autoptr(BatonFlow) flow = baton_workspace_load_flow (self, decision->flow_id, NULL);

      g_free (op->flow_id);
      op->flow_id = g_strdup (decision->flow_id);
      g_free (op->flow_name);
      op->flow_name = flow ? g_strdup (flow->name) : g_strdup (decision->flow_id);
    }
  return TRUE;
}

GHashTable *
baton_workspace_index_by_id (GPtrArray *items,
                             gsize      id_offset)
{
  GHashTable *index = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < items->len; i++)
    g_hash_table_insert (index, G_STRUCT_MEMBER (char *, items->pdata[i], id_offset),
                         items->pdata[i]);
  return index;
}

/* What the engine reads besides the conversation: one snapshot of the workspace. */
typedef struct {
  BatonContact *contact;
  GPtrArray *flows;
  GHashTable *teams;
  GHashTable *schedules;
  GHashTable *states;
  BatonRoutingState routing;
  char *default_team_id;
  char *default_user_id;
} RouteSnapshot;

static void
route_snapshot_clear (RouteSnapshot *snapshot)
{
  g_clear_pointer (&snapshot->contact, baton_contact_unref);
  g_clear_pointer (&snapshot->flows, g_ptr_array_unref);
  g_clear_pointer (&snapshot->teams, g_hash_table_unref);
  g_clear_pointer (&snapshot->schedules, g_hash_table_unref);
  g_clear_pointer (&snapshot->states, g_hash_table_unref);
  baton_routing_state_clear (&snapshot->routing);
  g_clear_pointer (&snapshot->default_team_id, g_free);
  g_clear_pointer (&snapshot->default_user_id, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RouteSnapshot, route_snapshot_clear)

/* the channel's default team and user; a channel gone has none */
static gboolean
load_channel_defaults (RouteSnapshot   *snapshot,
                       BatonWorkspace  *self,
                       const char      *channel_id,
                       GError         **error)
{
  const char *team_id = NULL;
  const char *user_id = NULL;

  if (!baton_workspace_directory_channel_defaults (self, channel_id, &team_id, &user_id, error))
    return FALSE;
  snapshot->default_team_id = g_strdup (team_id);
  snapshot->default_user_id = g_strdup (user_id);
  return TRUE;
}

/* what the snapshot keeps of the directory, which a change may drop meanwhile */
static gpointer
ref_table (GHashTable *table)
{
  return table ? g_hash_table_ref (table) : NULL;
}

static gpointer
ref_array (GPtrArray *array)
{
  return array ? g_ptr_array_ref (array) : NULL;
}

/* Stops at the first read that fails, so that error holds that failure alone. */
static gboolean
route_snapshot_load (RouteSnapshot      *snapshot,
                     BatonOperation     *op,
                     BatonConversation  *current,
                     GError            **error)
{
  BatonWorkspace *self = op->self;
  BatonStore *store = baton_workspace_get_store (self);

  snapshot->contact = op->contact ? baton_contact_ref (op->contact)
                                  : baton_workspace_load_contact (self, current->contact_id,
                                                                  error);
  if (snapshot->contact == NULL)
    return FALSE;
  /* the change publishes the contact as routing read it, unless the decision changes it */
  if (op->contact == NULL)
    op->contact = baton_contact_ref (snapshot->contact);
  return (snapshot->flows = ref_array (baton_workspace_directory_flows (self,
                                                                           error))) != NULL
         && (snapshot->teams = ref_table (baton_workspace_directory_team_index (self,
                                                                                error))) != NULL
         && (snapshot->schedules = ref_table (baton_workspace_directory_schedule_index
                                                (self, error))) != NULL
         && load_channel_defaults (snapshot, self, current->channel_id, error)
         && baton_store_snapshot_routing (store, op->conversation_id, current->contact_id,
                                          &snapshot->routing, error)
         && (snapshot->states = baton_workspace_agent_states (self,
                                                              snapshot->routing.agents)) != NULL;
}

/* Runs the routing of ASSIGNMENT.md §2 (or, for message.received and contact.tag_added,
 * only the flows) through the engine, over a snapshot of the workspace. */
gboolean
baton_operation_route (BatonOperation  *op,
                       const char      *event,
                       const char      *tag,
                       const char      *message_text,
                       gboolean        *contact_changed,
                       GError         **error)
{
  BatonWorkspace *self = op->self;
  g_autoptr(BatonConversation) current = NULL;
  g_auto(RouteSnapshot) snapshot = { 0 };
  g_autoptr(BatonDecision) decision = NULL;
  BatonRouteInput input = { 0 };
  gboolean reopened = g_strcmp0 (event, "conversation.reopened") == 0;

  current = baton_operation_read (op, error);
  if (current == NULL || !route_snapshot_load (&snapshot, op, current, error))
    return FALSE;
  g_strfreev (op->assignee_ids);
  op->assignee_ids = g_strdupv (current->assignee_ids);

  input.event = event;
  input.tag = tag;
  input.channel_id = current->channel_id;
  input.message_text = message_text;
  input.has_referral = current->referral != NULL;
  input.is_returning = reopened || snapshot.routing.returning;
  input.team_id = current->team_id;
  input.assignee_ids = (const char * const *) current->assignee_ids;
  input.conversation_tags = (const char * const *) current->tags;
  input.owner_ids = (const char * const *) snapshot.contact->owner_ids;
  input.contact_tags = (const char * const *) snapshot.contact->tags;
  input.contact_fields = snapshot.contact->fields;
  input.flows = snapshot.flows;
  input.teams = snapshot.teams;
  input.cursors = snapshot.routing.cursors;
  input.agents = snapshot.states;
  input.schedules = snapshot.schedules;
  input.default_team_id = snapshot.default_team_id;
  input.default_user_id = snapshot.default_user_id;
  input.excluded = (const char * const *) snapshot.routing.lapsed;
  input.now_ms = baton_workspace_now (self);

  decision = baton_route (&input);
  return apply_decision (op, current, snapshot.contact, decision, contact_changed, error);
}

/* ASSIGNMENT.md §8: a tag added to a contact runs the contact.tag_added flows on the
 * contact's active conversations that have no assignee. Inside the caller's transaction. */
gboolean
baton_workspace_contact_tag_added (BatonWorkspace  *self,
                                   const char      *contact_id,
                                   const char      *tag,
                                   GError         **error)
{
  g_auto(GStrv) ids = baton_store_conversations_unassigned_of_contact
                        (baton_workspace_get_store (self), contact_id, error);

  if (ids == NULL)
    return FALSE;
  for (guint i = 0; ids[i]; i++)
    {
      g_auto(BatonOperation) op = { 0 };
      g_autoptr(BatonConversation) after = NULL;
      gboolean contact_changed = FALSE;

      baton_operation_init (&op, self, "system", NULL, "Baton");
      if (!baton_operation_load (&op, ids[i], error)
          || !baton_operation_route (&op, "contact.tag_added", tag, NULL, &contact_changed, error))
        return FALSE;
      after = baton_operation_finish (&op, BATON_FINISH_DEFAULT, error);
      if (after == NULL)
        return FALSE;
    }
  return TRUE;
}
