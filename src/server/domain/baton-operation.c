/* baton-operation.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-workspace"

#include "config.h"

#include "baton-id.h"
#include "baton-json.h"
#include "baton-store-agents.h"
#include "baton-operation.h"

/* Every change of a conversation is a BatonOperation (baton-operation.h): its state before,
 * the assignees it sets, its messages, and at the end its one activity line, version bump,
 * events and notifications. */

void
baton_operation_init (BatonOperation *op,
                      BatonWorkspace *self,
                      const char     *actor_type,
                      const char     *actor_id,
                      const char     *actor_name)
{
  memset (op, 0, sizeof *op);
  op->self = self;
  op->actor_type = g_strdup (actor_type);
  op->actor_id = g_strdup (actor_id);
  op->actor_name = g_strdup (actor_name);
  op->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_message_unref);
  op->notified = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

void
baton_operation_clear (BatonOperation *op)
{
  g_free (op->conversation_id);
  g_clear_pointer (&op->before, baton_conversation_unref);
  g_clear_pointer (&op->current, baton_conversation_unref);
  g_clear_pointer (&op->contact, baton_contact_unref);
  g_strfreev (op->assignee_ids);
  g_free (op->actor_type);
  g_free (op->actor_id);
  g_free (op->actor_name);
  g_free (op->via);
  g_free (op->subject_id);
  g_free (op->subject_name);
  g_free (op->flow_id);
  g_free (op->flow_name);
  g_clear_pointer (&op->messages, g_ptr_array_unref);
  g_clear_pointer (&op->notified, g_hash_table_unref);
}

void
baton_operation_init_agent (BatonOperation *op,
                            BatonWorkspace *self,
                            BatonAgent     *actor)
{
  baton_operation_init (op, self, "agent", actor->id, actor->name);
}

gboolean
baton_operation_load (BatonOperation  *op,
                      const char      *conversation_id,
                      GError         **error)
{
  op->conversation_id = g_strdup (conversation_id);
  op->before = baton_workspace_load_conversation (op->self, conversation_id, error);
  return op->before != NULL;
}

void
baton_operation_set_via (BatonOperation *op,
                         const char     *via)
{
  g_free (op->via);
  op->via = g_strdup (via);
}

BatonConversation *
baton_workspace_new_thread (BatonWorkspace *self,
                            const char     *channel_id,
                            const char     *contact_id)
{
  gint64 now = baton_workspace_now (self);
  BatonConversation *thread = baton_conversation_new ();

  thread->id = baton_id_new ("cnv", now);
  thread->channel_id = g_strdup (channel_id);
  thread->contact_id = g_strdup (contact_id);
  thread->status = BATON_STATUS_NEW;
  thread->assignee_ids = g_new0 (char *, 1);
  thread->tags = g_new0 (char *, 1);
  thread->version = 1;
  thread->created_at = thread->updated_at = thread->activity_at = now;
  return thread;
}

void
baton_operation_start_thread (BatonOperation *op,
                              const char     *channel_id,
                              const char     *contact_id,
                              const char     *contact_name,
                              const char     *contact_phone)
{
  BatonConversation *thread = baton_workspace_new_thread (op->self, channel_id, contact_id);

  thread->contact_name = g_strdup (contact_name);
  thread->contact_phone = g_strdup (contact_phone);
  op->created = TRUE;
  op->unsaved = TRUE;
  op->conversation_id = g_strdup (thread->id);
  g_clear_pointer (&op->current, baton_conversation_unref);
  op->current = thread;
}

BatonConversation *
baton_operation_read (BatonOperation  *op,
                      GError         **error)
{
  if (op->current)
    return baton_conversation_copy (op->current);
  return baton_workspace_load_conversation (op->self, op->conversation_id, error);
}

void
baton_operation_forget (BatonOperation *op)
{
  g_return_if_fail (!op->unsaved);

  g_clear_pointer (&op->current, baton_conversation_unref);
}

gboolean
baton_operation_set_team (BatonOperation  *op,
                          const char      *team_id,
                          GError         **error)
{
  g_return_val_if_fail (!op->unsaved, FALSE);

  if (!baton_store_conversations_set_team (baton_workspace_get_store (op->self),
                                           op->conversation_id, team_id, error))
    return FALSE;
  if (op->current)
    {
      g_free (op->current->team_id);
      op->current->team_id = g_strdup (team_id);
    }
  return TRUE;
}

gboolean
baton_operation_extend_window (BatonOperation  *op,
                               gint64           expires_at,
                               GError         **error)
{
  if (op->current)
    op->current->window_expires_at = MAX (op->current->window_expires_at, expires_at);
  /* a new thread is written with it */
  if (!op->unsaved)
    op->window_due = MAX (op->window_due, expires_at);
  return TRUE;
}

/* a window not written yet: an operation that showed no message since */
static gboolean
write_window (BatonOperation  *op,
              GError         **error)
{
  gint64 due = op->window_due;

  op->window_due = 0;
  return due == 0
         || baton_store_conversations_extend_window (baton_workspace_get_store (op->self),
                                                     op->conversation_id, due, error);
}

gboolean
baton_operation_set_referral (BatonOperation  *op,
                              JsonNode        *referral,
                              GError         **error)
{
  g_autofree char *text = NULL;

  if (op->unsaved)
    {
      /* what a stored referral reads back as: an object, or nothing */
      if (op->current->referral == NULL && JSON_NODE_HOLDS_OBJECT (referral))
        op->current->referral = json_object_ref (json_node_get_object (referral));
      return TRUE;
    }
  text = baton_json_to_string (referral);
  if (!baton_store_conversations_set_referral (baton_workspace_get_store (op->self),
                                               op->conversation_id, text, error))
    return FALSE;
  baton_operation_forget (op);
  return TRUE;
}

static char *
make_preview (const char *body)
{
  g_autofree char *flat = g_strdup (body ? body : "");
  GString *preview = NULL;
  glong length;

  g_strdelimit (flat, "\r\n\t", ' ');
  g_strstrip (flat);
  length = g_utf8_strlen (flat, -1);
  if (length <= 140)
    return g_steal_pointer (&flat);
  preview = g_string_new_len (flat, g_utf8_offset_to_pointer (flat, 139) - flat);
  g_string_append (preview, "…");
  return g_string_free (preview, FALSE);
}

/* The message as the row just written stores it, for its event. */
static BatonMessage *
message_from_row (const BatonMessageRow *row)
{
  BatonMessage *message = baton_message_new ();

  message->id = g_strdup (row->id);
  message->conversation_id = g_strdup (row->conversation_id);
  message->kind = row->kind;
  message->author_type = g_strdup (row->author_type);
  message->author_id = g_strdup (row->author_id);
  message->author_name = g_strdup (row->author_name);
  message->body = g_strdup (row->body);
  message->attachments = row->attachments ? json_node_copy (row->attachments) : NULL;
  message->external_id = g_strdup (row->external_id);
  message->in_reply_to = g_strdup (row->in_reply_to);
  message->status = g_strdup (row->status);
  message->activity = row->activity ? json_node_copy (row->activity) : NULL;
  message->created_at = row->created_at;
  message->client_id = g_strdup (row->client_id);
  return message;
}

/* baton_store_conversations_show_message () on the operation's mirror */
static void
show_message (BatonConversation       *current,
              const BatonShownMessage *shown)
{
  if (shown->replaces_preview || current->last_preview == NULL)
    {
      g_free (current->last_preview);
      current->last_preview = g_strdup (shown->preview);
      g_free (current->last_direction);
      current->last_direction = g_strdup (shown->direction);
      current->last_at = shown->at;
    }
  current->activity_at = shown->now;
  if (shown->inbound)
    current->inbound_count++;
  if (shown->bump)
    {
      current->version += shown->increment;
      current->updated_at = shown->now;
    }
}

/* Writes the message (its id, conversation and channel are set here) in the operation's
 * conversation, which shows it in the inbox at now; with bump, the same statement bumps the
 * conversation's version by increment (and its updated_at is now). */
static char *
insert_message (BatonOperation         *op,
                const char             *channel_id,
                const BatonMessageRow  *message,
                gint64                  now,
                gboolean                bump,
                gint64                  increment,
                GError                **error)
{
  BatonWorkspace *self = op->self;
  BatonStore *store = baton_workspace_get_store (self);
  g_autofree char *id = baton_id_new ("msg", now);
  g_autofree char *preview = make_preview (message->body && *message->body
                                           ? message->body
                                           : baton_message_attachments_preview (message->attachments));
  BatonMessageRow row = *message;
  BatonShownMessage shown = {
    .preview = preview, .direction = baton_message_kind_to_string (row.kind), .now = now,
    /* The inbox shows what people said: an activity line is the preview only of a thread
     * that has nothing else yet. Any message moves the thread up the list. */
    .replaces_preview = row.kind != BATON_MESSAGE_ACTIVITY,
    .inbound = row.kind == BATON_MESSAGE_INBOUND, .bump = bump, .increment = increment,
    .window_expires_at = op->window_due,
  };

  row.id = id;
  row.conversation_id = op->conversation_id;
  row.channel_id = channel_id;
  row.created_at = message->created_at > 0 ? message->created_at : now;
  shown.at = row.created_at;
  if (op->current)
    show_message (op->current, &shown);
  if (op->unsaved)
    {
      /* a new thread is written once, showing its first message */
      if (!baton_store_conversations_insert (store, op->current, error)
          || !baton_store_messages_insert (store, &row, error))
        return NULL;
      op->unsaved = FALSE;
      if (op->current->contact_phone == NULL)
        baton_operation_forget (op);
    }
  else if (!baton_store_messages_insert (store, &row, error)
           || !baton_store_conversations_show_message (store, op->conversation_id, &shown,
                                                       error))
    {
      return NULL;
    }
  op->window_due = 0;
  g_ptr_array_add (op->messages, message_from_row (&row));
  if (row.kind != BATON_MESSAGE_ACTIVITY)
    baton_workspace_search_backlog_add (self);
  return g_steal_pointer (&id);
}

char *
baton_operation_insert_message (BatonOperation         *op,
                                const char             *channel_id,
                                const BatonMessageRow  *message,
                                GError                **error)
{
  return insert_message (op, channel_id, message, baton_workspace_now (op->self), FALSE, 0,
                         error);
}

/* Replaces the assignees (current, as they are now): those kept keep their place, new ones
 * are appended. */
static gboolean
replace_assignees (BatonOperation      *op,
                   const char * const  *current,
                   const char * const  *agent_ids,
                   const char          *via,
                   GError             **error)
{
  BatonStore *store = baton_workspace_get_store (op->self);
  gint64 now = baton_workspace_now (op->self);
  g_autoptr(GStrvBuilder) after = g_strv_builder_new ();

  for (guint i = 0; current[i]; i++)
    if (agent_ids == NULL || !g_strv_contains (agent_ids, current[i]))
      {
        if (!baton_store_conversations_remove_assignee (store, op->conversation_id, current[i],
                                                        error))
          return FALSE;
        /* The removed agent has room for one more. */
        baton_workspace_request_drain (op->self);
      }
    else
      {
        g_strv_builder_add (after, current[i]);
      }
  for (guint i = 0; agent_ids && agent_ids[i]; i++)
    {
      if (g_strv_contains (current, agent_ids[i]))
        continue;
      /* the store notes it as the agent's latest assignment */
      if (!baton_store_conversations_add_assignee (store, op->conversation_id, agent_ids[i],
                                                   now, via, error))
        return FALSE;
      g_strv_builder_add (after, agent_ids[i]);
    }
  /* Someone has it now: it waits in no queue and no earlier timer applies. */
  if (!baton_strv_is_empty (agent_ids) && (!op->created || op->queued)
      && !baton_store_conversations_set_queued (store, op->conversation_id, 0, error))
    return FALSE;
  baton_operation_set_via (op, via);
  g_strfreev (op->assignee_ids);
  op->assignee_ids = g_strv_builder_end (after);
  if (op->current)
    {
      g_strfreev (op->current->assignee_ids);
      op->current->assignee_ids = g_strdupv (op->assignee_ids);
    }
  return TRUE;
}

/* The assignees as the operation last read or wrote them, or as stored (NULL: it cannot be
 * read); owned by the operation. */
static const char * const *
current_assignees (BatonOperation  *op,
                   GError         **error)
{
  if (op->assignee_ids == NULL)
    {
      g_autoptr(BatonConversation) current = baton_operation_read (op, error);

      if (current == NULL)
        return NULL;
      op->assignee_ids = g_steal_pointer (&current->assignee_ids);
    }
  return (const char * const *) op->assignee_ids;
}

gboolean
baton_operation_set_assignees (BatonOperation      *op,
                               const char * const  *agent_ids,
                               const char          *via,
                               GError             **error)
{
  const char * const *current = current_assignees (op, error);

  return current != NULL && replace_assignees (op, current, agent_ids, via, error);
}

gboolean
baton_operation_add_assignee (BatonOperation  *op,
                              const char      *agent_id,
                              const char      *via,
                              GError         **error)
{
  const char * const *current = current_assignees (op, error);
  g_auto(GStrv) ids = NULL;

  if (current == NULL)
    return FALSE;
  if (g_strv_contains (current, agent_id))
    return TRUE;
  ids = baton_strv_with (current, agent_id);
  return replace_assignees (op, current, (const char * const *) ids, via, error);
}

/* Resolved by a person or a flow alike: it counts toward nobody's load, and with
 * unassign_on_resolve nobody holds it any more. */
gboolean
baton_operation_resolve (BatonOperation  *op,
                         GError         **error)
{
  g_auto(BatonWorkspaceSettings) settings = { 0 };

  if (!baton_workspace_load_settings (op->self, &settings, error)
      || !baton_store_conversations_resolve (baton_workspace_get_store (op->self),
                                             op->conversation_id,
                                             baton_workspace_now (op->self), error))
    return FALSE;
  baton_operation_forget (op);
  if (settings.unassign_on_resolve && !baton_operation_set_assignees (op, NULL, "resolve", error))
    return FALSE;
  baton_workspace_request_drain (op->self);
  baton_operation_set_via (op, "resolve");
  return TRUE;
}

char *
baton_workspace_agent_names (BatonWorkspace     *self,
                             const char * const *ids)
{
  GString *names = g_string_new (NULL);
  guint n = ids ? g_strv_length ((char **) ids) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = baton_workspace_agent_name (self, ids[i]);

      if (i > 0)
        g_string_append (names, i == n - 1 ? " and " : ", ");
      g_string_append (names, name);
    }
  return g_string_free (names, FALSE);
}

static char *
team_name (BatonWorkspace *self,
           const char     *team_id)
{
  BatonTeam *team = NULL;

  if (team_id == NULL)
    return NULL;
  team = baton_workspace_directory_team (self, team_id);
  return g_strdup (team ? team->name : team_id);
}

static const char *
describe_via (const char *via)
{
  if (g_strcmp0 (via, "contact_owner") == 0)
    return "contact owner";
  if (g_strcmp0 (via, "channel_default") == 0)
    return "channel default";
  if (g_strcmp0 (via, "team:round_robin") == 0)
    return "round robin";
  if (g_strcmp0 (via, "team:least_busy") == 0)
    return "least busy";
  if (g_strcmp0 (via, "team:default_user") == 0)
    return "default user";
  if (g_strcmp0 (via, "team:backup_user") == 0)
    return "backup user";
  return NULL;
}

/* An assignment says who was taken off the conversation, if anyone was. */
static char *
describe_assigned (BatonOperation    *op,
                   BatonConversation *before,
                   BatonConversation *after,
                   const char        *names,
                   const char        *in_team,
                   const char        *by,
                   const char        *rule)
{
  g_auto(GStrv) removed = baton_strv_minus ((const char * const *) before->assignee_ids,
                                            (const char * const *) after->assignee_ids);
  g_autofree char *removed_names = baton_workspace_agent_names (op->self,
                                                                (const char * const *) removed);
  g_autofree char *replacing = removed[0] ? g_strdup_printf (", replacing %s", removed_names)
                                          : g_strdup ("");
  gboolean by_agent = g_strcmp0 (op->actor_type, "agent") == 0;
  const char *via = op->via;

  if (g_strcmp0 (via, "claim") == 0
      || (by_agent && g_strcmp0 (via, "manual") == 0 && after->assignee_ids[1] == NULL
          && g_strcmp0 (after->assignee_ids[0], op->actor_id) == 0))
    return g_strdup_printf ("%s self-assigned this conversation%s", op->actor_name, replacing);
  if (g_strcmp0 (via, "first_reply") == 0)
    return g_strdup_printf ("%s took this conversation by replying%s", op->actor_name,
                            replacing);
  if (rule)
    return g_strdup_printf ("Assigned to %s%s (%s)%s", names, in_team, rule, replacing);
  return g_strdup_printf ("Assigned to %s%s%s%s", names, in_team, by, replacing);
}

/* The readable sentence of an activity line. */
static char *
describe (BatonOperation    *op,
          const char        *action,
          BatonConversation *before,
          BatonConversation *after)
{
  BatonWorkspace *self = op->self;
  g_autofree char *names = baton_workspace_agent_names (self, (const char * const *)
                                                              after->assignee_ids);
  g_autofree char *team = team_name (self, after->team_id);
  g_autofree char *old_team = team_name (self, before->team_id);
  gboolean by_agent = g_strcmp0 (op->actor_type, "agent") == 0;
  const char *via = op->via;
  const char *rule = describe_via (via);
  g_autofree char *by = by_agent ? g_strdup_printf (" by %s", op->actor_name) : g_strdup ("");
  g_autofree char *in_team = team ? g_strdup_printf (" in %s", team) : g_strdup ("");

  if (op->flow_name && g_str_equal (action, "assigned"))
    return g_strdup_printf ("Assigned to %s%s by flow %s", names, in_team, op->flow_name);
  if (op->flow_name && g_str_equal (action, "team_changed"))
    return g_strdup_printf ("Sent to team %s by flow %s", team ? team : "", op->flow_name);
  if (op->flow_name && g_str_equal (action, "resolved"))
    return g_strdup_printf ("Closed by flow %s", op->flow_name);
  if (op->flow_name && g_str_equal (action, "unassigned"))
    return g_strdup_printf ("Unassigned by flow %s", op->flow_name);
  if (g_strcmp0 (via, "reassign_timeout") == 0 && g_str_equal (action, "assigned"))
    return g_strdup_printf ("Reassigned from %s to %s: no reply in %d min", op->subject_name,
                            names, op->lapsed_minutes);
  if (g_strcmp0 (via, "reassign_timeout") == 0)
    return g_strdup_printf ("%s did not reply in %d min: back in the %s queue", op->subject_name,
                            op->lapsed_minutes, team ? team : "team");
  if (g_strcmp0 (via, "agent_removed") == 0)
    return g_strdup_printf ("%s was removed from the workspace%s", op->subject_name, by);
  if (g_str_equal (action, "resolved"))
    return g_strdup_printf ("Resolved%s", by);
  if (g_str_equal (action, "reopened"))
    {
      if (!by_agent && !baton_strv_is_empty ((const char * const *) after->assignee_ids))
        return g_strdup_printf ("Reopened by a new message from %s and assigned to %s%s%s%s%s",
                                after->contact_name, names, in_team, rule ? " (" : "",
                                rule ? rule : "", rule ? ")" : "");
      if (!by_agent)
        return g_strdup_printf ("Reopened by a new message from %s", after->contact_name);
      return g_strdup_printf ("Reopened%s", by);
    }
  if (g_str_equal (action, "assigned"))
    return describe_assigned (op, before, after, names, in_team, by, rule);
  if (g_str_equal (action, "unassigned"))
    {
      return g_strdup_printf ("Conversation unassigned%s", by);
    }
  if (team && g_strcmp0 (via, "channel_default") == 0)
    return g_strdup_printf ("Sent to team %s (channel default)", team);
  if (team)
    return g_strdup_printf ("Moved to team %s%s", team, by);
  return g_strdup_printf ("Removed from team %s%s", old_team ? old_team : "", by);
}

static void
add_side (JsonBuilder       *builder,
          const char        *member,
          BatonConversation *conversation)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_object (builder);
  baton_json_add_nullable_string (builder, "team_id", conversation->team_id);
  baton_json_add_strv (builder, "assignee_ids",
                       (const char * const *) conversation->assignee_ids);
  json_builder_end_object (builder);
}

static void
add_side_names (BatonOperation    *op,
                GHashTable        *names,
                BatonConversation *side)
{
  for (guint i = 0; side->assignee_ids && side->assignee_ids[i]; i++)
    if (!g_hash_table_contains (names, side->assignee_ids[i]))
      g_hash_table_insert (names, g_strdup (side->assignee_ids[i]),
                           baton_workspace_agent_name (op->self, side->assignee_ids[i]));
  if (side->team_id && !g_hash_table_contains (names, side->team_id))
    g_hash_table_insert (names, g_strdup (side->team_id), team_name (op->self, side->team_id));
}

/* The names of the agents, teams and flow the line mentions, as they were then, so that a
 * client writes the sentence in its own language even once they are renamed or gone. */
static void
add_names (BatonOperation    *op,
           JsonBuilder       *builder,
           BatonConversation *before,
           BatonConversation *after)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree const char **ids = NULL;
  guint n = 0;

  if (op->subject_id)
    g_hash_table_insert (names, g_strdup (op->subject_id), g_strdup (op->subject_name));
  if (op->flow_id)
    g_hash_table_insert (names, g_strdup (op->flow_id), g_strdup (op->flow_name));
  add_side_names (op, names, before);
  add_side_names (op, names, after);

  ids = (const char **) g_hash_table_get_keys_as_array (names, &n);
  baton_strv_sort (ids);
  json_builder_set_member_name (builder, "names");
  json_builder_begin_object (builder);
  for (guint i = 0; i < n; i++)
    {
      json_builder_set_member_name (builder, ids[i]);
      json_builder_add_string_value (builder, g_hash_table_lookup (names, ids[i]));
    }
  json_builder_end_object (builder);
}

static JsonNode *
build_activity (BatonOperation    *op,
                const char        *action,
                const char        *via,
                BatonConversation *before,
                BatonConversation *after)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "action");
  json_builder_add_string_value (builder, action);
  json_builder_set_member_name (builder, "actor");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, op->actor_type);
  baton_json_add_nullable_string (builder, "id", op->actor_id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, op->actor_name ? op->actor_name : "Baton");
  json_builder_end_object (builder);
  add_side (builder, "from", before);
  add_side (builder, "to", after);
  json_builder_set_member_name (builder, "via");
  json_builder_add_string_value (builder, via);
  if (op->flow_id)
    baton_json_add_nullable_string (builder, "flow_id", op->flow_id);
  if (op->subject_id)
    baton_json_add_nullable_string (builder, "agent_id", op->subject_id);
  if (op->lapsed_minutes > 0)
    {
      json_builder_set_member_name (builder, "minutes");
      json_builder_add_int_value (builder, op->lapsed_minutes);
    }
  add_names (op, builder, before, after);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* What the app writes a notification's sentence from, in the agent's language: the contact,
 * what they wrote last and who holds the conversation now. */
static void
write_notification_subject (BatonOperation    *op,
                            BatonJsonWriter   *writer,
                            BatonConversation *conversation)
{
  baton_json_writer_member (writer, "contact_name");
  baton_json_writer_string (writer, conversation->contact_name ? conversation->contact_name
                                                               : "");
  baton_json_writer_member (writer, "preview");
  baton_json_writer_string (writer, conversation->last_preview ? conversation->last_preview
                                                               : "");
  baton_json_writer_member (writer, "assignee_names");
  baton_json_writer_begin_array (writer);
  for (guint i = 0; conversation->assignee_ids && conversation->assignee_ids[i]; i++)
    {
      g_autofree char *name = baton_workspace_agent_name (op->self,
                                                          conversation->assignee_ids[i]);

      baton_json_writer_string (writer, name);
    }
  baton_json_writer_end_array (writer);
}

static gboolean
notify_agent (BatonOperation     *op,
              BatonConversation  *conversation,
              const char         *agent_id,
              const char         *kind,
              const char         *title,
              const char         *body,
              GError            **error)
{
  BatonJsonWriter *writer = NULL;

  if (agent_id == NULL || g_strcmp0 (agent_id, op->actor_id) == 0
      || g_hash_table_contains (op->notified, agent_id))
    return TRUE;
  g_hash_table_add (op->notified, g_strdup (agent_id));

  writer = baton_json_writer_new_text ();
  baton_json_writer_begin_object (writer);
  baton_json_writer_member (writer, "kind");
  baton_json_writer_string (writer, kind);
  baton_json_writer_member (writer, "conversation_id");
  baton_json_writer_string (writer, conversation->id);
  baton_json_writer_member (writer, "title");
  baton_json_writer_string (writer, title);
  baton_json_writer_member (writer, "body");
  baton_json_writer_string (writer, body);
  write_notification_subject (op, writer, conversation);
  baton_json_writer_member (writer, "actor");
  if (op->actor_type && !g_str_equal (op->actor_type, "contact"))
    {
      baton_json_writer_begin_object (writer);
      baton_json_writer_member (writer, "type");
      baton_json_writer_string (writer, op->actor_type);
      baton_json_writer_member (writer, "id");
      baton_json_writer_string (writer, op->actor_id);
      baton_json_writer_member (writer, "name");
      baton_json_writer_string (writer, op->actor_name ? op->actor_name : "Baton");
      baton_json_writer_end_object (writer);
    }
  else
    {
      baton_json_writer_null (writer);
    }
  baton_json_writer_end_object (writer);
  return baton_workspace_emit_text (op->self, "notification", agent_id,
                                    baton_json_writer_free_to_text (writer), error);
}

/* Every agent, or the team's members when the conversation has a team. */
static GStrv
audience (BatonOperation    *op,
          BatonConversation *conversation)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) agents = NULL;

  if (conversation->team_id)
    {
      BatonTeam *team = baton_workspace_directory_team (op->self, conversation->team_id);

      return team ? g_strdupv (team->member_ids) : g_new0 (char *, 1);
    }
  agents = baton_workspace_list_agents (op->self, NULL);
  for (guint i = 0; agents && i < agents->len; i++)
    g_strv_builder_add (builder, ((BatonAgent *) g_ptr_array_index (agents, i))->id);
  return g_strv_builder_end (builder);
}

static gboolean
notify_audience (BatonOperation     *op,
                 BatonConversation  *conversation,
                 const char         *kind,
                 const char         *title,
                 const char         *body,
                 GError            **error)
{
  g_auto(GStrv) agents = audience (op, conversation);

  for (guint i = 0; agents[i]; i++)
    if (!notify_agent (op, conversation, agents[i], kind, title, body, error))
      return FALSE;
  return TRUE;
}

static gboolean
send_notifications (BatonOperation     *op,
                    BatonConversation  *before,
                    BatonConversation  *after,
                    BatonFinishFlags    flags,
                    GError            **error)
{
  const char * const *was = (const char * const *) before->assignee_ids;
  const char * const *now = (const char * const *) after->assignee_ids;
  const char *preview = after->last_preview ? after->last_preview : "";
  g_autofree char *about = g_strdup_printf ("%s: %s", after->contact_name, preview);
  g_autofree char *names = baton_workspace_agent_names (op->self, now);

  if (!(flags & BATON_FINISH_QUIET))
    {
      for (guint i = 0; now[i]; i++)
        if ((was == NULL || !g_strv_contains (was, now[i]))
            && !notify_agent (op, after, now[i], "assigned", "Assigned to you", about, error))
          return FALSE;
      for (guint i = 0; was && was[i]; i++)
        {
          g_autofree char *body = baton_strv_is_empty (now)
            ? g_strdup_printf ("You were removed from the conversation with %s",
                               after->contact_name)
            : g_strdup_printf ("The conversation with %s now belongs to %s",
                               after->contact_name, names);

          if (!g_strv_contains (now, was[i])
              && !notify_agent (op, after, was[i], "reassigned_away", "Conversation reassigned",
                                body, error))
            return FALSE;
        }
    }
  if (baton_strv_is_empty (now) && baton_conversation_is_active (after))
    {
      if (flags & BATON_FINISH_CREATED)
        {
          if (!notify_audience (op, after, "new_conversation", "New conversation", about, error))
            return FALSE;
        }
      else if (flags & BATON_FINISH_REOPENED)
        {
          if (!notify_audience (op, after, "reopened", "Conversation reopened", about, error))
            return FALSE;
        }
      else if (!(flags & BATON_FINISH_QUIET) && !baton_strv_is_empty (was))
        {
          g_autofree char *body = g_strdup_printf ("%s needs an agent", after->contact_name);

          if (!notify_audience (op, after, "unassigned", "Conversation unassigned", body, error))
            return FALSE;
        }
    }
  if (flags & BATON_FINISH_NEW_MESSAGE)
    for (guint i = 0; now[i]; i++)
      if (!notify_agent (op, after, now[i], "new_message", after->contact_name, preview, error))
        return FALSE;
  return TRUE;
}

static const char *
activity_action (BatonConversation *before,
                 BatonConversation *after)
{
  if (after->status == BATON_STATUS_RESOLVED && before->status != BATON_STATUS_RESOLVED)
    return "resolved";
  if (after->status != BATON_STATUS_RESOLVED && before->status == BATON_STATUS_RESOLVED)
    return "reopened";
  if (!baton_strv_equal_sets ((const char * const *) before->assignee_ids,
                              (const char * const *) after->assignee_ids))
    return baton_strv_is_empty ((const char * const *) after->assignee_ids) ? "unassigned"
                                                                             : "assigned";
  if (g_strcmp0 (before->team_id, after->team_id) != 0)
    return "team_changed";
  return NULL;
}

/* A new message has no reactions, error or delivery yet: its event is built from what was
 * written, not read back. */
static gboolean
emit_messages (BatonOperation  *op,
               GError         **error)
{
  for (guint i = 0; i < op->messages->len; i++)
    if (!baton_workspace_emit_text (op->self, "message.created", NULL,
                                    baton_message_to_text (op->messages->pdata[i]), error))
      return FALSE;
  return TRUE;
}

/* A mirror that strays from the store would publish what was never stored. */
static void
verify_mirror (BatonWorkspace    *self,
               BatonConversation *mirror)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonConversation) stored = baton_workspace_load_conversation (self, mirror->id,
                                                                           &error);
  g_autofree char *mirrored = baton_conversation_to_text (mirror);
  g_autofree char *read = NULL;

  if (stored == NULL)
    {
      g_critical ("Conversation %s mirrored but not stored: %s", mirror->id, error->message);
      return;
    }
  read = baton_conversation_to_text (stored);
  if (!g_str_equal (mirrored, read))
    g_critical ("Conversation %s mirrored as %s but stored as %s", mirror->id, mirrored, read);
}

/* The one activity line a change deserves: it bumps the version by increment in the
 * statement that shows it. */
static gboolean
write_activity_line (BatonOperation     *op,
                     const char         *action,
                     BatonConversation  *before,
                     BatonConversation  *after,
                     gint64              now,
                     gint64              increment,
                     GError            **error)
{
  const char *via = op->via ? op->via : (g_str_equal (action, "resolved") ? "resolve"
                                         : g_str_equal (action, "reopened") ? "reopen"
                                         : "manual");
  g_autofree char *body = describe (op, action, before, after);
  g_autoptr(JsonNode) line = build_activity (op, action, via, before, after);
  BatonMessageRow activity = {
    .kind = BATON_MESSAGE_ACTIVITY,
    .author_type = "system",
    .author_name = "Baton",
    .body = body,
    .activity = line,
  };
  g_autofree char *id = insert_message (op, after->channel_id, &activity, now, TRUE, increment,
                                        error);

  return id != NULL;
}

/* The conversation as the change leaves it, from after (taken), as read before the line or
 * bump: the mirror; or after with what they changed; or read again when the line became
 * the preview of a thread that had none. */
static BatonConversation *
conversation_after (BatonOperation     *op,
                    BatonConversation  *after,
                    gboolean            line,
                    gint64              increment,
                    gint64              now,
                    GError            **error)
{
  if (op->current)
    {
      baton_conversation_unref (after);
      after = baton_conversation_copy (op->current);
      if (op->self->verify_mirrors)
        verify_mirror (op->self, after);
      return after;
    }
  if (line && after->last_preview == NULL)
    {
      baton_conversation_unref (after);
      return baton_workspace_load_conversation (op->self, op->conversation_id, error);
    }
  after->version += increment;
  after->updated_at = now;
  if (line)
    after->activity_at = now;
  return after;
}

BatonConversation *
baton_operation_finish (BatonOperation    *op,
                        BatonFinishFlags   flags,
                        GError           **error)
{
  BatonWorkspace *self = op->self;
  BatonStore *store = baton_workspace_get_store (self);
  g_autoptr(BatonConversation) before = NULL;
  g_autoptr(BatonConversation) after = NULL;
  const char *action = NULL;
  gint64 now = baton_workspace_now (self);
  /* A new conversation is published once, at version 1. */
  gint64 increment = op->created ? 0 : 1;

  if (!write_window (op, error))
    return NULL;
  after = baton_operation_read (op, error);
  if (after == NULL)
    return NULL;
  if (op->before)
    {
      before = baton_conversation_ref (op->before);
    }
  else
    {
      /* A new conversation starts unassigned, with no team. */
      before = baton_conversation_new ();
      before->status = BATON_STATUS_NEW;
      before->assignee_ids = g_new0 (char *, 1);
      before->contact_name = g_strdup (after->contact_name);
    }

  action = activity_action (before, after);
  if (action)
    {
      if (!write_activity_line (op, action, before, after, now, increment, error))
        return NULL;
    }
  else if (!baton_store_conversations_bump (store, op->conversation_id, increment, now, error))
    {
      return NULL;
    }
  else if (op->current)
    {
      op->current->version += increment;
      op->current->updated_at = now;
    }
  after = conversation_after (op, g_steal_pointer (&after), action != NULL, increment, now,
                              error);
  if (after == NULL
      || !baton_workspace_emit_text (self, op->created ? "conversation.created"
                                                       : "conversation.updated",
                                     NULL, baton_conversation_to_text (after), error)
      || !emit_messages (op, error)
      || !send_notifications (op, before, after, flags, error))
    return NULL;
  return g_steal_pointer (&after);
}
