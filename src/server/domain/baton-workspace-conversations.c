/* baton-workspace-conversations.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-workspace"

#include "config.h"

#include "baton-error.h"
#include "baton-id.h"
#include "baton-rules.h"
#include "baton-store-agents.h"
#include "baton-store-channels.h"
#include "baton-store-contacts.h"
#include "baton-store-messages.h"
#include "baton-operation.h"

/* What agents do to conversations: replies and notes, a first message, assign, claim,
 * resolve, reopen, tags; an agent's removal; the inbox and message lists. */

/* What is asked of one conversation, and by whom: the data of its BatonChange, which returns
 * what the caller answers with (the conversation or the new message as they now stand). */
typedef struct {
  const char *conversation_id;
  BatonAgent *actor;
  gconstpointer details;
} Request;

/* Starts what a request asks of its conversation: as its agent, or as the system. */
static gboolean
operation_start (BatonOperation  *op,
                 BatonWorkspace  *self,
                 const Request   *request,
                 GError         **error)
{
  if (request->actor)
    baton_operation_init_agent (op, self, request->actor);
  else
    baton_operation_init (op, self, "system", NULL, "Baton");
  return baton_operation_load (op, request->conversation_id, error);
}

/* Runs change over the conversation as actor asks it (NULL: the system), in one
 * transaction; the conversation as it then stands. */
static BatonConversation *
change_conversation (BatonWorkspace  *self,
                     BatonChange      change,
                     const char      *conversation_id,
                     BatonAgent      *actor,
                     gconstpointer    details,
                     GError         **error)
{
  Request request = { conversation_id, actor, details };

  return baton_workspace_run (self, change, &request,
                              (GDestroyNotify) baton_conversation_unref, error);
}

/* An agent answered the customer: the conversation is in progress and responded to, a
 * no-reply timer of theirs has nothing left to do, and the settings may make them its
 * assignee (first_reply_takes_assignment) or the contact's owner
 * (first_responder_becomes_owner: TRUE in *owner_added). */
static gboolean
agent_replied (BatonOperation                *op,
               BatonAgent                    *actor,
               const BatonWorkspaceSettings  *settings,
               gboolean                      *owner_added,
               GError                       **error)
{
  BatonStore *store = baton_workspace_get_store (op->self);
  gboolean first_response = op->before->first_response_at == 0;
  const char *owner_ids[] = { actor->id, NULL };
  gboolean has_owners = FALSE;

  if (!baton_store_conversations_responded (store, op->conversation_id,
                                            baton_workspace_now (op->self), error)
      || (baton_conversation_has_assignee (op->before, actor->id)
          && !baton_store_conversations_set_reassign (store, op->conversation_id, 0, NULL,
                                                      error)))
    return FALSE;
  if (settings->first_reply_takes_assignment
      && baton_strv_is_empty ((const char * const *) op->before->assignee_ids)
      && baton_conversation_is_active (op->before)
      && !baton_operation_add_assignee (op, actor->id, "first_reply", error))
    return FALSE;
  if (!settings->first_responder_becomes_owner || !first_response)
    return TRUE;
  if (!baton_store_contacts_has_owners (store, op->before->contact_id, &has_owners, error))
    return FALSE;
  if (has_owners)
    return TRUE;
  *owner_added = TRUE;
  return baton_store_contacts_set_owners (store, op->before->contact_id, owner_ids, error);
}

static gpointer
post_change (BatonWorkspace  *self,
             gpointer         data,
             GError         **error)
{
  const Request *request = data;
  BatonAgent *actor = request->actor;
  BatonReply reply_copy = *(const BatonReply *) request->details;
  BatonReply *reply = &reply_copy;
  gboolean note = reply->note;
  g_autoptr(JsonNode) attachments = NULL;
  g_auto(BatonOperation) op = { 0 };
  g_auto(BatonWorkspaceSettings) settings = { 0 };
  g_auto(BatonOutgoing) outgoing = { 0 };
  g_autoptr(BatonConversation) after = NULL;
  g_autofree char *id = NULL;
  gboolean owner_added = FALSE;
  BatonMessageRow message = {
    .kind = note ? BATON_MESSAGE_NOTE : BATON_MESSAGE_OUTBOUND,
    .author_type = "agent",
    .author_id = actor->id,
    .author_name = actor->name,
    .body = reply->body ? reply->body : "",
    .in_reply_to = reply->in_reply_to,
    .status = note ? NULL : "sent",
    .client_id = reply->client_id,
  };

  if (reply->attachment_ids
      && (attachments = baton_workspace_reply_attachments (self, actor, reply->attachment_ids,
                                                           error)) == NULL)
    return NULL;
  reply->attachments = message.attachments = attachments;
  if (!operation_start (&op, self, request, error)
      || !baton_workspace_load_settings (self, &settings, error)
      || !baton_workspace_prepare_outgoing (self, op.before, reply, &outgoing, error))
    return NULL;
  if (outgoing.channel)
    {
      /* pending until the channel's API accepts it */
      message.status = note ? NULL : "pending";
      message.body = outgoing.body;
    }
  id = baton_operation_insert_message (&op, op.before->channel_id, &message, error);
  if (id == NULL
      || (attachments && !baton_workspace_use_uploads (self, attachments, id, error))
      || !baton_workspace_queue_outgoing (self, op.before->channel_id, id, &outgoing, error))
    return NULL;
  if (!note && !agent_replied (&op, actor, &settings, &owner_added, error))
    return NULL;
  after = baton_operation_finish (&op, BATON_FINISH_DEFAULT, error);
  if (after == NULL)
    return NULL;
  if (owner_added
      && !baton_workspace_emit_contact (self, op.before->contact_id, "first_responder", error))
    return NULL;
  return baton_workspace_load_message (self, id, error);
}

BatonMessage *
baton_workspace_post_message (BatonWorkspace  *self,
                              const char      *conversation_id,
                              BatonAgent      *actor,
                              const char      *body,
                              gboolean         note,
                              GError         **error)
{
  BatonReply reply = { .body = body, .note = note };

  return baton_workspace_send_reply (self, conversation_id, actor, &reply, NULL, error);
}

typedef struct {
  const char *channel_id;
  const char *to;
  const BatonReply *reply;
} Start;

/* An agent writes first (a template, on WhatsApp): the contact is found or created by number,
 * and an active thread with it on this channel is reused. */
static gpointer
start_change (BatonWorkspace  *self,
              gpointer         data,
              GError         **error)
{
  const Request *request = data;
  const Start *start = request->details;
  BatonStore *store = baton_workspace_get_store (self);
  g_autoptr(BatonConversation) conversation = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *contact_id = NULL;
  g_autofree char *conversation_id = NULL;
  GError *local_error = NULL;
  gboolean contact_changed = FALSE;
  BatonInbound contact = { .from = start->to, .wa_id = start->to + 1 };

  kind = baton_store_channels_get_kind (store, start->channel_id, &local_error);
  if (local_error)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (g_strcmp0 (kind, "whatsapp") != 0)
    {
      baton_set_field_error (error, "channel_id", "No WhatsApp channel with id %s",
                             start->channel_id);
      return NULL;
    }
  contact_id = baton_workspace_find_or_create_contact (self, &contact, NULL, &contact_changed,
                                                       NULL, error);
  if (contact_id == NULL)
    return NULL;
  conversation_id = baton_store_conversations_find_open (store, contact_id, start->channel_id,
                                                         &local_error);
  if (local_error)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (conversation_id == NULL)
    {
      g_autoptr(BatonConversation) thread = baton_workspace_new_thread (self, start->channel_id,
                                                                        contact_id);

      conversation_id = g_strdup (thread->id);
      if (!baton_store_conversations_insert (store, thread, error)
          || (conversation = baton_workspace_load_conversation (self, conversation_id,
                                                                error)) == NULL
          || !baton_workspace_emit_text (self, "conversation.created", NULL,
                                         baton_conversation_to_text (conversation), error))
        return NULL;
    }
  if (contact_changed && !baton_workspace_emit_contact (self, contact_id, NULL, error))
    return NULL;
  return post_change (self, &(Request) { conversation_id, request->actor, start->reply }, error);
}

BatonMessage *
baton_workspace_start_conversation (BatonWorkspace     *self,
                                    const char         *channel_id,
                                    const char         *to,
                                    BatonAgent         *actor,
                                    const BatonReply   *reply,
                                    BatonConversation **conversation,
                                    GError            **error)
{
  Start start = { channel_id, to, reply };
  Request request = { NULL, actor, &start };
  g_autoptr(BatonMessage) message = NULL;

  message = baton_workspace_run (self, start_change, &request,
                                 (GDestroyNotify) baton_message_unref, error);
  if (message == NULL)
    return NULL;
  *conversation = baton_workspace_load_conversation (self, message->conversation_id, error);
  return *conversation ? g_steal_pointer (&message) : NULL;
}

/* The reply the agent already sent with this client_id (NULL without error: none); one of
 * another conversation is a conflict, as the id names one message only. */
static BatonMessage *
find_repeat (BatonWorkspace  *self,
             const char      *conversation_id,
             BatonAgent      *actor,
             const char      *client_id,
             GError         **error)
{
  g_autoptr(BatonMessage) message = NULL;

  message = baton_store_messages_find_client_id (baton_workspace_get_store (self), actor->id,
                                                 client_id, error);
  if (message && g_strcmp0 (message->conversation_id, conversation_id) != 0)
    {
      g_set_error (error, BATON_ERROR, BATON_ERROR_CONFLICT,
                   "client_id %s was used for a message of another conversation", client_id);
      return NULL;
    }
  return g_steal_pointer (&message);
}

BatonMessage *
baton_workspace_send_reply (BatonWorkspace    *self,
                            const char        *conversation_id,
                            BatonAgent        *actor,
                            const BatonReply  *reply,
                            gboolean          *repeated,
                            GError           **error)
{
  Request request = { conversation_id, actor, reply };
  g_autoptr(GError) local_error = NULL;
  BatonMessage *message = NULL;
  gboolean found = FALSE;

  if (reply->client_id)
    {
      message = find_repeat (self, conversation_id, actor, reply->client_id, &local_error);
      found = message != NULL;
    }
  if (message == NULL && local_error == NULL)
    message = baton_workspace_run (self, post_change, &request,
                                   (GDestroyNotify) baton_message_unref, &local_error);
  /* Two requests at once: the unique index let the other one in first, and this one
   * answers with its message. */
  if (message == NULL && reply->client_id
      && g_error_matches (local_error, BATON_ERROR, BATON_ERROR_CONFLICT))
    {
      g_autoptr(GError) winner_error = NULL;

      message = find_repeat (self, conversation_id, actor, reply->client_id, &winner_error);
      found = message != NULL;
      if (found)
        g_clear_error (&local_error);
    }
  if (repeated)
    *repeated = found;
  if (local_error)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return message;
}

gboolean
baton_workspace_add_channel_message (BatonWorkspace  *self,
                                     const char      *conversation_id,
                                     const char      *author_name,
                                     const char      *body,
                                     const char      *external_id,
                                     gint64           created_at,
                                     GError         **error)
{
  g_auto(BatonOperation) op = { 0 };
  g_autofree char *id = NULL;
  g_autoptr(BatonConversation) after = NULL;
  BatonMessageRow message = {
    .kind = BATON_MESSAGE_INBOUND,
    .author_type = "system",
    .author_name = author_name,
    .body = body,
    .external_id = external_id,
    .created_at = created_at,
  };

  baton_operation_init (&op, self, "system", NULL, author_name);
  if (!baton_operation_load (&op, conversation_id, error))
    return FALSE;
  id = baton_operation_insert_message (&op, op.before->channel_id, &message, error);
  if (id == NULL)
    return FALSE;
  after = baton_operation_finish (&op, BATON_FINISH_QUIET, error);
  return after != NULL;
}

static gboolean
may_change_assignment (BatonConversation  *conversation,
                       BatonAgent         *actor,
                       GError            **error)
{
  if (baton_rules_may_reassign (actor, conversation))
    return TRUE;
  g_set_error_literal (error, BATON_ERROR, BATON_ERROR_FORBIDDEN,
                       "Only an assignee of this conversation or a manager may reassign it");
  return FALSE;
}

/* The agents and the team an assignment names exist. */
static gboolean
check_assignment (BatonWorkspace         *self,
                  const BatonAssignment  *assignment,
                  GError                **error)
{
  g_autoptr(BatonTeam) team = NULL;

  if (assignment->assignee_ids
      && !baton_workspace_check_agent_ids (self, "assignee_ids", assignment->assignee_ids,
                                           error))
    return FALSE;
  if (assignment->team_id == NULL)
    return TRUE;
  team = baton_workspace_load_team (self, assignment->team_id, NULL);
  if (team == NULL)
    {
      baton_set_field_error (error, "team_id", "No team with id %s", assignment->team_id);
      return FALSE;
    }
  return TRUE;
}

static gpointer
assign_change (BatonWorkspace  *self,
               gpointer         data,
               GError         **error)
{
  const Request *request = data;
  const char *conversation_id = request->conversation_id;
  BatonAgent *actor = request->actor;
  const BatonAssignment *assignment = request->details;
  BatonStore *store = baton_workspace_get_store (self);
  g_auto(BatonOperation) op = { 0 };
  gboolean team_changes = FALSE;
  gboolean assignees_change = FALSE;
  gboolean hand_over = FALSE;

  if (!operation_start (&op, self, request, error)
      || !check_assignment (self, assignment, error))
    return NULL;
  if (assignment->check_version && assignment->expected_version != op.before->version)
    {
      g_set_error (error, BATON_ERROR, BATON_ERROR_CONFLICT,
                   "The conversation changed (version %" G_GINT64_FORMAT ", expected %"
                   G_GINT64_FORMAT ")", op.before->version, assignment->expected_version);
      return NULL;
    }
  team_changes = assignment->set_team
                 && g_strcmp0 (assignment->team_id, op.before->team_id) != 0;
  assignees_change = assignment->set_assignees
                     && !baton_strv_equal_sets ((const char * const *) op.before->assignee_ids,
                                                assignment->assignee_ids);
  /* A team alone for an unassigned conversation hands it to the team, the team it already
   * has included (PROTOCOL.md §3): its strategy picks, or it waits in the team's queue. */
  hand_over = assignment->set_team && assignment->team_id && !assignment->set_assignees
              && baton_strv_is_empty ((const char * const *) op.before->assignee_ids);
  if ((team_changes || assignees_change) && !may_change_assignment (op.before, actor, error))
    return NULL;
  if (!team_changes && !assignees_change && !hand_over)
    return baton_conversation_ref (op.before);

  baton_operation_set_via (&op, "manual");
  if (team_changes && !baton_operation_set_team (&op, assignment->team_id, error))
    return NULL;
  if (assignees_change
      && !baton_operation_set_assignees (&op, assignment->assignee_ids, "manual", error))
    return NULL;
  /* A person decided: no earlier no-reply timer stands, and a conversation a person left
   * unassigned waits for a person, not in a queue; one handed again to the team whose queue
   * it is in keeps its place there. */
  if (!baton_store_conversations_set_reassign (store, conversation_id, 0, NULL, error)
      || (!(hand_over && !team_changes)
          && !baton_store_conversations_set_queued (store, conversation_id, 0, error)))
    return NULL;
  if (hand_over && !baton_operation_hand_to_team (&op, assignment->team_id, error))
    return NULL;
  return baton_operation_finish (&op, BATON_FINISH_DEFAULT, error);
}

BatonConversation *
baton_workspace_assign (BatonWorkspace         *self,
                        const char             *conversation_id,
                        BatonAgent             *actor,
                        const BatonAssignment  *assignment,
                        GError                **error)
{
  return change_conversation (self, assign_change, conversation_id, actor, assignment, error);
}

static gpointer
claim_change (BatonWorkspace  *self,
              gpointer         data,
              GError         **error)
{
  const Request *request = data;
  const char *conversation_id = request->conversation_id;
  BatonAgent *actor = request->actor;
  g_auto(BatonOperation) op = { 0 };
  const char * const only_me[] = { actor->id, NULL };

  if (!operation_start (&op, self, request, error))
    return NULL;
  if (baton_strv_equal_sets ((const char * const *) op.before->assignee_ids, only_me))
    return baton_conversation_ref (op.before);
  if (!baton_strv_is_empty ((const char * const *) op.before->assignee_ids))
    {
      g_autofree char *holders = baton_workspace_agent_names (self, (const char * const *)
                                                                    op.before->assignee_ids);

      g_set_error (error, BATON_ERROR, BATON_ERROR_CONFLICT, "%s already took it", holders);
      return NULL;
    }
  if (!baton_operation_set_assignees (&op, only_me, "claim", error)
      || !baton_store_conversations_set_reassign (baton_workspace_get_store (self),
                                                  conversation_id, 0, NULL, error))
    return NULL;
  return baton_operation_finish (&op, BATON_FINISH_DEFAULT, error);
}

BatonConversation *
baton_workspace_claim (BatonWorkspace  *self,
                       const char      *conversation_id,
                       BatonAgent      *actor,
                       GError         **error)
{
  return change_conversation (self, claim_change, conversation_id, actor, NULL, error);
}

static gpointer
resolve_change (BatonWorkspace  *self,
                gpointer         data,
                GError         **error)
{
  const Request *request = data;
  g_auto(BatonOperation) op = { 0 };

  if (!operation_start (&op, self, request, error))
    return NULL;
  if (op.before->status == BATON_STATUS_RESOLVED)
    return baton_conversation_ref (op.before);
  if (!baton_operation_resolve (&op, error))
    return NULL;
  return baton_operation_finish (&op, BATON_FINISH_QUIET, error);
}

BatonConversation *
baton_workspace_resolve (BatonWorkspace  *self,
                         const char      *conversation_id,
                         BatonAgent      *actor,
                         GError         **error)
{
  return change_conversation (self, resolve_change, conversation_id, actor, NULL, error);
}

static gpointer
reopen_change (BatonWorkspace  *self,
               gpointer         data,
               GError         **error)
{
  const Request *request = data;
  const char *conversation_id = request->conversation_id;
  g_auto(BatonOperation) op = { 0 };

  if (!operation_start (&op, self, request, error))
    return NULL;
  if (op.before->status != BATON_STATUS_RESOLVED)
    return baton_conversation_ref (op.before);
  if (!baton_store_conversations_reopen (baton_workspace_get_store (self), conversation_id,
                                         "in_progress", error))
    return NULL;
  baton_operation_set_via (&op, "reopen");
  return baton_operation_finish (&op, BATON_FINISH_DEFAULT, error);
}

BatonConversation *
baton_workspace_reopen (BatonWorkspace  *self,
                        const char      *conversation_id,
                        BatonAgent      *actor,
                        GError         **error)
{
  return change_conversation (self, reopen_change, conversation_id, actor, NULL, error);
}

typedef struct {
  const char * const *tags;
  const char *mode;
} TagChange;

static gpointer
set_tags_change (BatonWorkspace  *self,
                 gpointer         data,
                 GError         **error)
{
  const Request *request = data;
  const char *conversation_id = request->conversation_id;
  const TagChange *change = request->details;
  const char * const *tags = change->tags;
  const char *mode = change->mode;
  BatonStore *store = baton_workspace_get_store (self);
  g_autoptr(BatonConversation) before = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) result = NULL;

  before = baton_workspace_load_conversation (self, conversation_id, error);
  if (before == NULL)
    return NULL;
  if (g_str_equal (mode, "add"))
    {
      g_strv_builder_addv (builder, (const char **) before->tags);
      for (guint i = 0; tags[i]; i++)
        if (!g_strv_contains ((const char * const *) before->tags, tags[i]))
          g_strv_builder_add (builder, tags[i]);
    }
  else if (g_str_equal (mode, "remove"))
    {
      for (guint i = 0; before->tags[i]; i++)
        if (!g_strv_contains (tags, before->tags[i]))
          g_strv_builder_add (builder, before->tags[i]);
    }
  else
    {
      g_strv_builder_addv (builder, (const char **) tags);
    }
  result = g_strv_builder_end (builder);
  if (g_strv_equal ((const char * const *) result, (const char * const *) before->tags))
    return g_steal_pointer (&before);

  if (!baton_store_conversations_set_tags (store, conversation_id,
                                           (const char * const *) result, error)
      || !baton_workspace_touch_conversation (self, conversation_id, error))
    return NULL;
  return baton_workspace_load_conversation (self, conversation_id, error);
}

BatonConversation *
baton_workspace_set_tags (BatonWorkspace      *self,
                          const char          *conversation_id,
                          const char * const  *tags,
                          const char          *mode,
                          GError             **error)
{
  TagChange change = { tags, mode };

  return change_conversation (self, set_tags_change, conversation_id, NULL, &change, error);
}

typedef struct {
  BatonAgent *actor;
  const char *agent_id;
} RemoveAgent;

/* The workspace keeps a manager, and a default_user team its default user (it would route
 * nowhere without): the manager chooses another one first. */
static gboolean
check_removable (BatonWorkspace  *self,
                 BatonAgent      *agent,
                 GPtrArray       *teams,
                 GError         **error)
{
  gint64 managers = baton_store_agents_count (baton_workspace_get_store (self), "manager",
                                              error);

  if (managers < 0)
    return FALSE;
  if (agent->role == BATON_ROLE_MANAGER && managers <= 1)
    {
      g_set_error_literal (error, BATON_ERROR, BATON_ERROR_CONFLICT,
                           "The workspace's last manager cannot be removed");
      return FALSE;
    }
  for (guint i = 0; i < teams->len; i++)
    {
      BatonTeam *team = g_ptr_array_index (teams, i);

      if (team->strategy == BATON_STRATEGY_DEFAULT_USER
          && g_strcmp0 (team->default_user_id, agent->id) == 0)
        {
          g_set_error (error, BATON_ERROR, BATON_ERROR_CONFLICT,
                       "%s is the default user of team %s; choose another default user first",
                       agent->name, team->name);
          return FALSE;
        }
    }
  return TRUE;
}

/* Takes the agent off an active conversation, which goes back to its team's queue when
 * nobody is left (ASSIGNMENT.md §8) once the agent is gone. */
static gboolean
unassign_removed (BatonWorkspace  *self,
                  BatonAgent      *actor,
                  BatonAgent      *agent,
                  const char      *conversation_id,
                  GError         **error)
{
  g_auto(BatonOperation) op = { 0 };
  g_autoptr(BatonConversation) after = NULL;
  g_auto(GStrv) remaining = NULL;

  baton_operation_init_agent (&op, self, actor);
  if (!baton_operation_load (&op, conversation_id, error))
    return FALSE;
  remaining = baton_strv_without ((const char * const *) op.before->assignee_ids, agent->id);
  op.subject_id = g_strdup (agent->id);
  op.subject_name = g_strdup (agent->name);
  if (!baton_operation_set_assignees (&op, (const char * const *) remaining, "agent_removed",
                                      error))
    return FALSE;
  /* Removing the agent takes nothing from them to notify about. */
  g_hash_table_add (op.notified, g_strdup (agent->id));
  after = baton_operation_finish (&op, BATON_FINISH_DEFAULT, error);
  return after != NULL;
}

/* the teams the agent was in, as member, default or backup user: published again */
static gboolean
emit_teams_of (BatonWorkspace  *self,
               const char      *agent_id,
               GPtrArray       *teams,
               GError         **error)
{
  for (guint i = 0; i < teams->len; i++)
    {
      BatonTeam *team = g_ptr_array_index (teams, i);
      g_autoptr(BatonTeam) now = NULL;

      if (!g_strv_contains ((const char * const *) team->member_ids, agent_id)
          && g_strcmp0 (team->default_user_id, agent_id) != 0
          && g_strcmp0 (team->backup_user_id, agent_id) != 0)
        continue;
      now = baton_workspace_load_team (self, team->id, error);
      if (now == NULL
          || !baton_workspace_emit (self, "team.updated", NULL, baton_team_to_json (now),
                                    error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
emit_agent_deleted (BatonWorkspace  *self,
                    const char      *agent_id,
                    GError         **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, agent_id);
  json_builder_end_object (builder);
  return baton_workspace_emit (self, "agent.deleted", NULL, json_builder_get_root (builder),
                               error);
}

static gpointer
remove_agent_in_transaction (BatonWorkspace  *self,
                             gpointer         data,
                             GError         **error)
{
  RemoveAgent *remove = data;
  BatonStore *store = baton_workspace_get_store (self);
  g_autoptr(BatonAgent) agent = NULL;
  g_autoptr(GPtrArray) teams = NULL;
  g_auto(GStrv) conversations = NULL;
  g_auto(GStrv) contacts = NULL;
  gint64 now = baton_workspace_now (self);

  agent = baton_workspace_load_agent (self, remove->agent_id, error);
  if (agent == NULL
      || (teams = baton_workspace_list_teams (self, error)) == NULL
      || !check_removable (self, agent, teams, error))
    return NULL;
  conversations = baton_store_conversations_of_assignee (store, agent->id, error);
  contacts = baton_store_contacts_owned_by (store, agent->id, error);
  if (conversations == NULL || contacts == NULL)
    return NULL;
  for (guint i = 0; conversations[i]; i++)
    if (!unassign_removed (self, remove->actor, agent, conversations[i], error))
      return NULL;
  if (!baton_store_agents_delete (store, agent->id, error))
    return NULL;
  /* its memberships and the defaults that named it went with it, before any event says so */
  baton_workspace_directory_clear (self->directory);
  /* Team conversations left with nobody go back to their team's queue, to be re-picked once
   * the agent is gone (ASSIGNMENT.md §8). */
  for (guint i = 0; conversations[i]; i++)
    if (!baton_store_conversations_requeue_if_unassigned (store, conversations[i], now, error))
      return NULL;
  baton_workspace_request_drain (self);
  if (!emit_teams_of (self, agent->id, teams, error))
    return NULL;
  for (guint i = 0; contacts[i]; i++)
    if (!baton_workspace_emit_contact (self, contacts[i], NULL, error))
      return NULL;
  if (!emit_agent_deleted (self, agent->id, error))
    return NULL;
  return self;
}

gboolean
baton_workspace_remove_agent (BatonWorkspace  *self,
                              BatonAgent      *actor,
                              const char      *agent_id,
                              GError         **error)
{
  RemoveAgent remove = { actor, agent_id };

  return baton_workspace_apply (self, remove_agent_in_transaction, &remove, NULL, error);
}

BatonConversationPage *
baton_workspace_list_conversations (BatonWorkspace                *self,
                                    const BatonConversationQuery  *query,
                                    GError                       **error)
{
  BatonStore *store = baton_workspace_get_store (self);
  g_autofree char *name = NULL;
  GError *local_error = NULL;

  /* a contact's history: a contact that does not exist is a mistake, not an empty list */
  if (query->contact_id)
    {
      name = baton_store_contacts_get_name (store, query->contact_id, &local_error);
      if (local_error)
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
      if (name == NULL)
        {
          g_set_error_literal (error, BATON_ERROR, BATON_ERROR_BAD_REQUEST,
                               "contact names no contact");
          return NULL;
        }
    }
  if (query->text && *query->text && !baton_workspace_catch_up_search (self, error))
    return NULL;
  return baton_store_conversations_list (store, query, error);
}

GPtrArray *
baton_workspace_list_messages (BatonWorkspace  *self,
                               const char      *conversation_id,
                               const char      *before_id,
                               guint            limit,
                               GError         **error)
{
  g_autoptr(BatonConversation) conversation = NULL;
  GError *local_error = NULL;
  GPtrArray *messages = NULL;

  conversation = baton_workspace_load_conversation (self, conversation_id, error);
  if (conversation == NULL)
    return NULL;
  messages = baton_store_messages_list (baton_workspace_get_store (self), conversation_id,
                                        before_id, limit, &local_error);
  if (local_error)
    g_propagate_error (error, local_error);
  else if (messages == NULL)
    g_set_error_literal (error, BATON_ERROR, BATON_ERROR_BAD_REQUEST,
                         "before names no message of this conversation");
  return messages;
}
