/* baton-workspace-conversations.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-workspace"

#include "config.h"

#include "baton-error.h"
#include "baton-id.h"
#include "baton-json.h"
#include "baton-router.h"
#include "baton-rules.h"
#include "baton-store-agents.h"
#include "baton-store-channels.h"
#include "baton-store-contacts.h"
#include "baton-store-conversations.h"
#include "baton-store-messages.h"
#include "baton-store-snapshot.h"
#include "baton-store-teams.h"
#include "baton-workspace-private.h"

/* Every change to a conversation is an Operation: it remembers the state before, makes its
 * changes, then finish() writes the one activity message the change deserves, bumps the
 * version, and emits the conversation, its new messages and the notifications, in that order,
 * all inside the caller's transaction. */

typedef struct {
  BatonWorkspace *self;
  char *conversation_id;
  BatonConversation *before;
  gboolean created;

  /* who acts: "agent", "contact" or "system" */
  char *actor_type;
  char *actor_id;
  char *actor_name;

  /* what routing decided, for the activity line */
  char *via;

  /* the flow that decided, for the activity line */
  char *flow_name;

  /* a no-reply timeout: who lapsed, after how long */
  char *lapsed_name;
  int lapsed_minutes;

  GPtrArray *message_ids;
  GHashTable *notified;
  char *removed_agent_name;
} Operation;

typedef enum {
  FINISH_DEFAULT = 0,
  /* a customer started a conversation: new_conversation when nobody got it */
  FINISH_CREATED = 1 << 0,
  /* a customer reopened it: reopened when nobody got it */
  FINISH_REOPENED = 1 << 1,
  /* a customer wrote in an active conversation: new_message to its assignees */
  FINISH_NEW_MESSAGE = 1 << 2,
  /* resolving notifies nobody of assignment changes */
  FINISH_QUIET = 1 << 3,
} FinishFlags;

static void
operation_init (Operation      *op,
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
  op->message_ids = g_ptr_array_new_with_free_func (g_free);
  op->notified = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static void
operation_clear (Operation *op)
{
  g_free (op->conversation_id);
  g_clear_pointer (&op->before, baton_conversation_unref);
  g_free (op->actor_type);
  g_free (op->actor_id);
  g_free (op->actor_name);
  g_free (op->via);
  g_free (op->removed_agent_name);
  g_free (op->lapsed_name);
  g_free (op->flow_name);
  g_clear_pointer (&op->message_ids, g_ptr_array_unref);
  g_clear_pointer (&op->notified, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Operation, operation_clear)

/* What is asked of one conversation, and by whom: the data of its BatonChange, which returns
 * what the caller answers with (the conversation or the new message as they now stand). */
typedef struct {
  const char *conversation_id;
  BatonAgent *actor;
  gconstpointer details;
} Request;

static void
operation_init_agent (Operation      *op,
                      BatonWorkspace *self,
                      BatonAgent     *actor)
{
  operation_init (op, self, "agent", actor->id, actor->name);
}

static gboolean
operation_load (Operation   *op,
                const char  *conversation_id,
                GError     **error)
{
  op->conversation_id = g_strdup (conversation_id);
  op->before = baton_workspace_load_conversation (op->self, conversation_id, error);
  return op->before != NULL;
}

/* Starts what a request asks of its conversation: as its agent, or as the system. */
static gboolean
operation_start (Operation      *op,
                 BatonWorkspace *self,
                 const Request  *request,
                 GError        **error)
{
  if (request->actor)
    operation_init_agent (op, self, request->actor);
  else
    operation_init (op, self, "system", NULL, "Baton");
  return operation_load (op, request->conversation_id, error);
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

static void
set_via (Operation  *op,
         const char *via)
{
  g_free (op->via);
  op->via = g_strdup (via);
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

/* Adds the message (its id, conversation and channel are set here) to the operation's
 * conversation, which shows it in the inbox. */
static char *
insert_message (Operation              *op,
                const char             *channel_id,
                const BatonMessageRow  *message,
                GError                **error)
{
  BatonWorkspace *self = op->self;
  BatonStore *store = baton_workspace_get_store (self);
  gint64 now = baton_workspace_now (self);
  g_autofree char *id = baton_id_new ("msg", now);
  g_autofree char *preview = make_preview (message->body && *message->body
                                           ? message->body
                                           : baton_message_attachments_preview (message->attachments));
  BatonMessageRow row = *message;

  row.id = id;
  row.conversation_id = op->conversation_id;
  row.channel_id = channel_id;
  row.created_at = message->created_at > 0 ? message->created_at : now;
  /* The inbox shows what people said: an activity line is the preview only of a thread that
   * has nothing else yet. Any message moves the thread up the list. */
  if (!baton_store_messages_insert (store, &row, error)
      || !baton_store_conversations_show_message (store, op->conversation_id, preview,
                                                  baton_message_kind_to_string (row.kind),
                                                  row.created_at, now,
                                                  row.kind != BATON_MESSAGE_ACTIVITY, error))
    return NULL;
  g_ptr_array_add (op->message_ids, g_strdup (id));
  return g_steal_pointer (&id);
}

static gboolean
strv_equal_sets (const char * const *a,
                 const char * const *b)
{
  guint na = a ? g_strv_length ((char **) a) : 0;
  guint nb = b ? g_strv_length ((char **) b) : 0;

  if (na != nb)
    return FALSE;
  for (guint i = 0; i < na; i++)
    if (!g_strv_contains (b, a[i]))
      return FALSE;
  return TRUE;
}

static gboolean
is_empty (const char * const *strv)
{
  return strv == NULL || strv[0] == NULL;
}

/* Replaces the assignees: those kept keep their place, new ones are appended. */
static gboolean
set_assignees (Operation           *op,
               const char * const  *agent_ids,
               const char          *via,
               GError             **error)
{
  BatonStore *store = baton_workspace_get_store (op->self);
  g_autoptr(BatonConversation) current = NULL;
  gint64 now = baton_workspace_now (op->self);

  current = baton_workspace_load_conversation (op->self, op->conversation_id, error);
  if (current == NULL)
    return FALSE;
  for (guint i = 0; current->assignee_ids[i]; i++)
    if (agent_ids == NULL || !g_strv_contains (agent_ids, current->assignee_ids[i]))
      {
        if (!baton_store_conversations_remove_assignee (store, op->conversation_id,
                                                        current->assignee_ids[i], error))
          return FALSE;
        /* The removed agent has room for one more. */
        baton_workspace_request_drain (op->self);
      }
  for (guint i = 0; agent_ids && agent_ids[i]; i++)
    {
      if (g_strv_contains ((const char * const *) current->assignee_ids, agent_ids[i]))
        continue;
      if (!baton_store_conversations_add_assignee (store, op->conversation_id, agent_ids[i],
                                                   now, via, error)
          || !baton_store_agents_set_last_assigned (store, agent_ids[i], now, error))
        return FALSE;
    }
  /* Someone has it now: it waits in no queue and no earlier timer applies. */
  if (!is_empty (agent_ids)
      && !baton_store_conversations_set_queued (store, op->conversation_id, 0, error))
    return FALSE;
  set_via (op, via);
  return TRUE;
}

static gboolean
add_assignee (Operation   *op,
              const char  *agent_id,
              const char  *via,
              GError     **error)
{
  g_autoptr(BatonConversation) current = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;

  current = baton_workspace_load_conversation (op->self, op->conversation_id, error);
  if (current == NULL)
    return FALSE;
  if (baton_conversation_has_assignee (current, agent_id))
    return TRUE;
  g_strv_builder_addv (builder, (const char **) current->assignee_ids);
  g_strv_builder_add (builder, agent_id);
  ids = g_strv_builder_end (builder);
  return set_assignees (op, (const char * const *) ids, via, error);
}

/* Resolved by a person or a flow alike: it counts toward nobody's load, and with
 * unassign_on_resolve nobody holds it any more. */
static gboolean
resolve_conversation (Operation  *op,
                      GError    **error)
{
  g_auto(BatonWorkspaceSettings) settings = { 0 };

  if (!baton_workspace_load_settings (op->self, &settings, error)
      || !baton_store_conversations_resolve (baton_workspace_get_store (op->self),
                                             op->conversation_id,
                                             baton_workspace_now (op->self), error)
      || (settings.unassign_on_resolve && !set_assignees (op, NULL, "resolve", error)))
    return FALSE;
  baton_workspace_request_drain (op->self);
  set_via (op, "resolve");
  return TRUE;
}

static char *
join_agent_names (BatonWorkspace     *self,
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
  g_autoptr(BatonTeam) team = NULL;

  if (team_id == NULL)
    return NULL;
  team = baton_workspace_load_team (self, team_id, NULL);
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

/* The readable sentence of an activity line. */
static char *
describe (Operation         *op,
          const char        *action,
          BatonConversation *before,
          BatonConversation *after)
{
  BatonWorkspace *self = op->self;
  g_autofree char *names = join_agent_names (self, (const char * const *) after->assignee_ids);
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
    return g_strdup_printf ("Reassigned from %s to %s: no reply in %d min", op->lapsed_name,
                            names, op->lapsed_minutes);
  if (g_strcmp0 (via, "reassign_timeout") == 0)
    return g_strdup_printf ("%s did not reply in %d min: back in the %s queue", op->lapsed_name,
                            op->lapsed_minutes, team ? team : "team");
  if (g_strcmp0 (via, "agent_removed") == 0)
    return g_strdup_printf ("%s was removed from the workspace%s", op->removed_agent_name, by);
  if (g_str_equal (action, "resolved"))
    return g_strdup_printf ("Resolved%s", by);
  if (g_str_equal (action, "reopened"))
    {
      if (!by_agent && !is_empty ((const char * const *) after->assignee_ids))
        return g_strdup_printf ("Reopened by a new message from %s and assigned to %s%s%s%s%s",
                                after->contact_name, names, in_team, rule ? " (" : "",
                                rule ? rule : "", rule ? ")" : "");
      if (!by_agent)
        return g_strdup_printf ("Reopened by a new message from %s", after->contact_name);
      return g_strdup_printf ("Reopened%s", by);
    }
  if (g_str_equal (action, "assigned"))
    {
      if (g_strcmp0 (via, "claim") == 0
          || (by_agent && g_strcmp0 (via, "manual") == 0 && after->assignee_ids[1] == NULL
              && g_strcmp0 (after->assignee_ids[0], op->actor_id) == 0))
        return g_strdup_printf ("%s self-assigned this conversation", op->actor_name);
      if (g_strcmp0 (via, "first_reply") == 0)
        return g_strdup_printf ("%s took this conversation by replying", op->actor_name);
      if (rule)
        return g_strdup_printf ("Assigned to %s%s (%s)", names, in_team, rule);
      return g_strdup_printf ("Assigned to %s%s%s", names, in_team, by);
    }
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

static JsonNode *
build_activity (Operation         *op,
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
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static gboolean
notify_agent (Operation          *op,
              BatonConversation  *conversation,
              const char         *agent_id,
              const char         *kind,
              const char         *title,
              const char         *body,
              GError            **error)
{
  g_autoptr(JsonBuilder) builder = NULL;

  if (agent_id == NULL || g_strcmp0 (agent_id, op->actor_id) == 0
      || g_hash_table_contains (op->notified, agent_id))
    return TRUE;
  g_hash_table_add (op->notified, g_strdup (agent_id));

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, kind);
  json_builder_set_member_name (builder, "conversation_id");
  json_builder_add_string_value (builder, conversation->id);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, title);
  json_builder_set_member_name (builder, "body");
  json_builder_add_string_value (builder, body);
  json_builder_set_member_name (builder, "actor");
  if (op->actor_type && !g_str_equal (op->actor_type, "contact"))
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, op->actor_type);
      baton_json_add_nullable_string (builder, "id", op->actor_id);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, op->actor_name ? op->actor_name : "Baton");
      json_builder_end_object (builder);
    }
  else
    {
      json_builder_add_null_value (builder);
    }
  json_builder_end_object (builder);
  return baton_workspace_emit (op->self, "notification", agent_id,
                               json_builder_get_root (builder), error);
}

/* Every agent, or the team's members when the conversation has a team. */
static GStrv
audience (Operation         *op,
          BatonConversation *conversation)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) agents = NULL;

  if (conversation->team_id)
    {
      g_autoptr(BatonTeam) team = baton_workspace_load_team (op->self, conversation->team_id,
                                                             NULL);

      return team ? g_strdupv (team->member_ids) : g_new0 (char *, 1);
    }
  agents = baton_workspace_list_agents (op->self, NULL);
  for (guint i = 0; agents && i < agents->len; i++)
    g_strv_builder_add (builder, ((BatonAgent *) g_ptr_array_index (agents, i))->id);
  return g_strv_builder_end (builder);
}

static gboolean
notify_audience (Operation          *op,
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
send_notifications (Operation          *op,
                    BatonConversation  *before,
                    BatonConversation  *after,
                    FinishFlags         flags,
                    GError            **error)
{
  const char * const *was = (const char * const *) before->assignee_ids;
  const char * const *now = (const char * const *) after->assignee_ids;
  const char *preview = after->last_preview ? after->last_preview : "";
  g_autofree char *about = g_strdup_printf ("%s: %s", after->contact_name, preview);
  g_autofree char *names = join_agent_names (op->self, now);

  if (!(flags & FINISH_QUIET))
    {
      for (guint i = 0; now[i]; i++)
        if ((was == NULL || !g_strv_contains (was, now[i]))
            && !notify_agent (op, after, now[i], "assigned", "Assigned to you", about, error))
          return FALSE;
      for (guint i = 0; was && was[i]; i++)
        {
          g_autofree char *body = is_empty (now)
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
  if (is_empty (now) && baton_conversation_is_active (after))
    {
      if (flags & FINISH_CREATED)
        {
          if (!notify_audience (op, after, "new_conversation", "New conversation", about, error))
            return FALSE;
        }
      else if (flags & FINISH_REOPENED)
        {
          if (!notify_audience (op, after, "reopened", "Conversation reopened", about, error))
            return FALSE;
        }
      else if (!(flags & FINISH_QUIET) && !is_empty (was))
        {
          g_autofree char *body = g_strdup_printf ("%s needs an agent", after->contact_name);

          if (!notify_audience (op, after, "unassigned", "Conversation unassigned", body, error))
            return FALSE;
        }
    }
  if (flags & FINISH_NEW_MESSAGE)
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
  if (!strv_equal_sets ((const char * const *) before->assignee_ids,
                        (const char * const *) after->assignee_ids))
    return is_empty ((const char * const *) after->assignee_ids) ? "unassigned" : "assigned";
  if (g_strcmp0 (before->team_id, after->team_id) != 0)
    return "team_changed";
  return NULL;
}

static gboolean
emit_messages (Operation  *op,
               GError    **error)
{
  for (guint i = 0; i < op->message_ids->len; i++)
    {
      g_autoptr(BatonMessage) message = baton_workspace_load_message (op->self,
                                                                      op->message_ids->pdata[i],
                                                                      error);

      if (message == NULL
          || !baton_workspace_emit (op->self, "message.created", NULL,
                                    baton_message_to_json (message), error))
        return FALSE;
    }
  return TRUE;
}

static BatonConversation *
finish (Operation    *op,
        FinishFlags   flags,
        GError      **error)
{
  BatonWorkspace *self = op->self;
  BatonStore *store = baton_workspace_get_store (self);
  g_autoptr(BatonConversation) before = NULL;
  g_autoptr(BatonConversation) after = NULL;
  const char *action = NULL;

  after = baton_workspace_load_conversation (self, op->conversation_id, error);
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
      const char *via = op->via ? op->via : (g_str_equal (action, "resolved") ? "resolve"
                                             : g_str_equal (action, "reopened") ? "reopen"
                                             : "manual");
      g_autofree char *body = describe (op, action, before, after);
      BatonMessageRow activity = {
        .kind = BATON_MESSAGE_ACTIVITY,
        .author_type = "system",
        .author_name = "Baton",
        .body = body,
        .activity = build_activity (op, action, via, before, after),
      };
      g_autofree char *id = insert_message (op, after->channel_id, &activity, error);

      json_node_unref (activity.activity);
      if (id == NULL)
        return NULL;
    }

  /* A new conversation is published once, at version 1. */
  if (!baton_store_conversations_bump (store, op->conversation_id, op->created ? 0 : 1,
                                       baton_workspace_now (self), error))
    return NULL;
  g_clear_pointer (&after, baton_conversation_unref);
  after = baton_workspace_load_conversation (self, op->conversation_id, error);
  if (after == NULL
      || !baton_workspace_emit (self, op->created ? "conversation.created"
                                                  : "conversation.updated",
                                NULL, baton_conversation_to_json (after), error)
      || !emit_messages (op, error)
      || !send_notifications (op, before, after, flags, error))
    return NULL;
  return g_steal_pointer (&after);
}

/* The members the engine picked, the strategy cursors it moved, and, when the last pick must
 * answer in time, its no-reply timer (ASSIGNMENT.md §5): the same for every team pick. */
static gboolean
apply_picks (Operation      *op,
             BatonDecision  *decision,
             GError        **error)
{
  BatonStore *store = baton_workspace_get_store (op->self);
  GHashTableIter iter;
  gpointer team_id, agent_id;

  for (guint i = 0; i < decision->assign->len; i++)
    {
      BatonAssign *assign = decision->assign->pdata[i];

      if (!add_assignee (op, assign->agent_id, assign->via, error))
        return FALSE;
    }
  g_hash_table_iter_init (&iter, decision->cursors);
  while (g_hash_table_iter_next (&iter, &team_id, &agent_id))
    if (!baton_store_teams_set_cursor (store, team_id, agent_id, error))
      return FALSE;
  if (decision->reassign_due_at > 0 && decision->assign->len > 0)
    {
      BatonAssign *last = g_ptr_array_index (decision->assign, decision->assign->len - 1);

      if (!baton_store_conversations_set_reassign (store, op->conversation_id,
                                                   decision->reassign_due_at, last->agent_id,
                                                   error))
        return FALSE;
      baton_workspace_schedule_reassign (op->self, op->conversation_id,
                                         decision->reassign_due_at);
    }
  return TRUE;
}

/* The engine's pick of a member of team_id for the conversation, over a snapshot of the team,
 * the agents, the strategy cursors and who already lapsed (the one team pick of routing). */
static BatonDecision *
decide_team_pick (Operation   *op,
                  const char  *team_id,
                  GError     **error)
{
  BatonStore *store = baton_workspace_get_store (op->self);
  g_autoptr(BatonTeam) team = NULL;
  g_autoptr(GHashTable) teams = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) states = NULL;
  g_autoptr(GHashTable) cursors = NULL;
  g_auto(GStrv) excluded = NULL;
  BatonRouteInput input = { 0 };

  if ((team = baton_workspace_load_team (op->self, team_id, error)) == NULL
      || (states = baton_workspace_agent_states (op->self, error)) == NULL
      || (cursors = baton_store_snapshot_cursors (store, error)) == NULL
      || (excluded = baton_store_conversations_lapsed (store, op->conversation_id,
                                                       error)) == NULL)
    return NULL;
  g_hash_table_insert (teams, team->id, team);
  input.team_id = team_id;
  input.teams = teams;
  input.cursors = cursors;
  input.agents = states;
  input.excluded = (const char * const *) excluded;
  input.now_ms = baton_workspace_now (op->self);
  return baton_route_to_team (&input, team_id);
}

/* Lets the team's strategy pick a member for the conversation and assigns them; FALSE in
 * *assigned when nobody is eligible. */
static gboolean
pick_from_team (Operation   *op,
                const char  *team_id,
                gboolean    *assigned,
                GError     **error)
{
  g_autoptr(BatonDecision) decision = decide_team_pick (op, team_id, error);

  *assigned = FALSE;
  if (decision == NULL || !apply_picks (op, decision, error))
    return FALSE;
  *assigned = decision->assign->len > 0;
  return TRUE;
}

/* Hands the conversation to a team: its strategy picks an eligible member, or, when there is
 * none, the conversation waits in the team's queue (ASSIGNMENT.md §3). */
static gboolean
hand_to_team (Operation   *op,
              const char  *team_id,
              GError     **error)
{
  BatonStore *store = baton_workspace_get_store (op->self);
  gboolean assigned = FALSE;

  if (!baton_store_conversations_set_team (store, op->conversation_id, team_id, error)
      || !pick_from_team (op, team_id, &assigned, error))
    return FALSE;
  if (assigned)
    return TRUE;
  return baton_store_conversations_enqueue (store, op->conversation_id,
                                            baton_workspace_now (op->self), error);
}

/* The member a team picked did not reply in time: they lapse for this conversation, and the
 * strategy picks another member (excluding everyone who lapsed), or the conversation goes
 * back to the team's queue (ASSIGNMENT.md §5). */
static gpointer
reassign_change (BatonWorkspace  *self,
                 gpointer         data,
                 GError         **error)
{
  const Request *request = data;
  const char *conversation_id = request->conversation_id;
  BatonStore *store = baton_workspace_get_store (self);
  g_auto(Operation) op = { 0 };
  g_autoptr(BatonTeam) team = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) remaining = NULL;
  g_autofree char *lapsed_id = NULL;
  g_autofree char *lapsed_name = NULL;
  g_autofree char *team_id = NULL;
  BatonPendingConversation timer = { 0 };
  GError *local_error = NULL;
  gint64 now = baton_workspace_now (self);
  gboolean assigned = FALSE;

  if (!baton_store_conversations_get_reassign (store, conversation_id, &timer, &local_error)
      && local_error)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  g_free (timer.conversation_id);
  lapsed_id = timer.agent_id;
  team_id = timer.team_id;
  /* Cancelled (a reply, a person's decision, a resolve) or moved later: nothing to do. */
  if (timer.due_at == 0 || timer.due_at > now || team_id == NULL)
    return baton_workspace_load_conversation (self, conversation_id, error);
  team = baton_workspace_load_team (self, team_id, error);
  if (team == NULL)
    return NULL;

  operation_init (&op, self, "system", NULL, "Baton");
  if (!operation_load (&op, conversation_id, error)
      || !baton_store_conversations_set_reassign (store, conversation_id, 0, NULL, error))
    return NULL;
  if (team->reassign_after_minutes == 0 || lapsed_id == NULL
      || !baton_conversation_has_assignee (op.before, lapsed_id))
    return baton_workspace_load_conversation (self, conversation_id, error);

  lapsed_name = baton_workspace_agent_name (self, lapsed_id);
  if (!baton_store_conversations_add_lapse (store, conversation_id, lapsed_id, error))
    return NULL;
  for (guint i = 0; op.before->assignee_ids[i]; i++)
    if (!g_str_equal (op.before->assignee_ids[i], lapsed_id))
      g_strv_builder_add (builder, op.before->assignee_ids[i]);
  remaining = g_strv_builder_end (builder);
  if (!set_assignees (&op, (const char * const *) remaining, "reassign_timeout", error)
      || !pick_from_team (&op, team->id, &assigned, error))
    return NULL;
  if (!assigned && remaining[0] == NULL
      && !baton_store_conversations_set_queued (store, conversation_id, now, error))
    return NULL;
  set_via (&op, "reassign_timeout");
  op.lapsed_name = g_steal_pointer (&lapsed_name);
  op.lapsed_minutes = team->reassign_after_minutes;
  return finish (&op, FINISH_DEFAULT, error);
}

typedef struct {
  BatonWorkspace *workspace;
  char *conversation_id;
} ReassignTimer;

static void
reassign_timer_free (ReassignTimer *timer)
{
  g_free (timer->conversation_id);
  g_free (timer);
}

static void
reassign_due_cb (gpointer user_data)
{
  ReassignTimer *timer = user_data;
  Request request = { timer->conversation_id, NULL, NULL };
  g_autoptr(BatonConversation) conversation = NULL;
  g_autoptr(GError) error = NULL;

  conversation = baton_workspace_run (timer->workspace, reassign_change, &request,
                                      (GDestroyNotify) baton_conversation_unref, &error);
  if (conversation == NULL)
    g_warning ("Cannot reassign %s after its timeout: %s", timer->conversation_id,
               error->message);
}

/* Arms the no-reply timer of a conversation. The store is the truth: when it fires, a timer
 * that was cancelled or moved in the meantime finds nothing to do. */
void
baton_workspace_schedule_reassign (BatonWorkspace *self,
                                   const char     *conversation_id,
                                   gint64          due_ms)
{
  ReassignTimer *timer = g_new0 (ReassignTimer, 1);

  timer->workspace = self;
  timer->conversation_id = g_strdup (conversation_id);
  baton_timers_add (baton_workspace_get_timers (self), due_ms, reassign_due_cb, timer,
                    (GDestroyNotify) reassign_timer_free);
}

/* Re-arms the timers stored with the conversations; one that expired while the server was
 * down fires once, right after start-up. */
gboolean
baton_workspace_restore_timers (BatonWorkspace  *self,
                                GError         **error)
{
  g_autoptr(GPtrArray) timers = baton_store_conversations_timers (baton_workspace_get_store (self),
                                                                  error);

  if (timers == NULL)
    return FALSE;
  for (guint i = 0; i < timers->len; i++)
    {
      BatonPendingConversation *timer = g_ptr_array_index (timers, i);

      baton_workspace_schedule_reassign (self, timer->conversation_id, timer->due_at);
    }
  return TRUE;
}

typedef struct {
  const char *conversation_id;
  const char *team_id;
} Drain;

/* The queued conversation as its team assigned it, or NULL (without error: nobody is
 * eligible, and nothing changed). */
static gpointer
drain_change (BatonWorkspace  *self,
              gpointer         data,
              GError         **error)
{
  Drain *drain = data;
  g_auto(Operation) op = { 0 };
  gboolean assigned = FALSE;

  operation_init (&op, self, "system", NULL, "Baton");
  if (!operation_load (&op, drain->conversation_id, error)
      || !pick_from_team (&op, drain->team_id, &assigned, error) || !assigned)
    return NULL;
  return finish (&op, FINISH_DEFAULT, error);
}

/* Tries the oldest queued conversation of a team; FALSE in *assigned when nobody is eligible
 * (and nothing changed). */
static gboolean
drain_one (BatonWorkspace  *self,
           const char      *conversation_id,
           const char      *team_id,
           gboolean        *assigned,
           GError         **error)
{
  Drain drain = { conversation_id, team_id };
  g_autoptr(BatonConversation) after = NULL;
  GError *local_error = NULL;

  after = baton_workspace_run (self, drain_change, &drain,
                               (GDestroyNotify) baton_conversation_unref, &local_error);
  *assigned = after != NULL;
  if (local_error)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

/* Assigns queued conversations, oldest first, while their team has an eligible member
 * (ASSIGNMENT.md §3): run after any commit that may have freed or woken a member. */
void
baton_workspace_drain_queues (BatonWorkspace *self)
{
  g_autoptr(GHashTable) exhausted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                           NULL);
  g_autoptr(GPtrArray) queued = NULL;
  g_autoptr(GError) error = NULL;

  self->draining = TRUE;
  self->drain_requested = FALSE;
  queued = baton_store_conversations_queued (baton_workspace_get_store (self), &error);
  for (guint i = 0; queued && i < queued->len; i++)
    {
      BatonPendingConversation *pending = g_ptr_array_index (queued, i);
      const char *team_id = pending->team_id;
      gboolean assigned = FALSE;

      if (g_hash_table_contains (exhausted, team_id))
        continue;
      if (!drain_one (self, pending->conversation_id, team_id, &assigned, &error))
        {
          g_warning ("Cannot assign a queued conversation: %s", error->message);
          g_clear_error (&error);
          g_hash_table_add (exhausted, g_strdup (team_id));
        }
      else if (!assigned)
        {
          g_hash_table_add (exhausted, g_strdup (team_id));
        }
    }
  if (error)
    g_warning ("Cannot read the team queues: %s", error->message);
  self->draining = FALSE;
}

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
send_automatic_replies (Operation          *op,
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
      id = insert_message (op, conversation->channel_id, &message, error);
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
apply_decision (Operation          *op,
                BatonConversation  *conversation,
                BatonContact       *contact,
                BatonDecision      *decision,
                gboolean           *contact_changed,
                GError            **error)
{
  BatonWorkspace *self = op->self;
  BatonStore *store = baton_workspace_get_store (self);
  gint64 now = baton_workspace_now (self);

  if (decision->unassign && !set_assignees (op, NULL, decision->via ? decision->via : "manual",
                                            error))
    return FALSE;
  if (decision->team_changed
      && !baton_store_conversations_set_team (store, op->conversation_id, decision->team_id,
                                              error))
    return FALSE;
  if (!apply_picks (op, decision, error))
    return FALSE;
  if (decision->queued
      && !baton_store_conversations_set_queued (store, op->conversation_id, now, error))
    return FALSE;
  if (decision->conversation_tags
      && !baton_store_conversations_set_tags (store, op->conversation_id,
                                              (const char * const *) decision->conversation_tags,
                                              error))
    return FALSE;
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
  if (decision->close && !resolve_conversation (op, error))
    return FALSE;
  if (decision->via)
    set_via (op, decision->via);
  if (decision->flow_id)
    {
      g_autoptr(BatonFlow) flow = baton_workspace_load_flow (self, decision->flow_id, NULL);

      g_free (op->flow_name);
      op->flow_name = flow ? g_strdup (flow->name) : g_strdup (decision->flow_id);
    }
  return TRUE;
}

static GHashTable *
index_by_id (GPtrArray *items,
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
  GPtrArray *teams;
  GPtrArray *schedules;
  GHashTable *states;
  GHashTable *cursors;
  GStrv lapsed;
  char *default_team_id;
  char *default_user_id;
  gboolean returning;
} RouteSnapshot;

static void
route_snapshot_clear (RouteSnapshot *snapshot)
{
  g_clear_pointer (&snapshot->contact, baton_contact_unref);
  g_clear_pointer (&snapshot->flows, g_ptr_array_unref);
  g_clear_pointer (&snapshot->teams, g_ptr_array_unref);
  g_clear_pointer (&snapshot->schedules, g_ptr_array_unref);
  g_clear_pointer (&snapshot->states, g_hash_table_unref);
  g_clear_pointer (&snapshot->cursors, g_hash_table_unref);
  g_clear_pointer (&snapshot->lapsed, g_strfreev);
  g_clear_pointer (&snapshot->default_team_id, g_free);
  g_clear_pointer (&snapshot->default_user_id, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RouteSnapshot, route_snapshot_clear)

/* the channel's default team and user; a channel gone has none */
static gboolean
load_channel_defaults (RouteSnapshot  *snapshot,
                       BatonStore     *store,
                       const char     *channel_id,
                       GError        **error)
{
  GError *local_error = NULL;

  if (!baton_store_snapshot_channel_defaults (store, channel_id, &snapshot->default_team_id,
                                              &snapshot->default_user_id, &local_error)
      && local_error)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

/* Stops at the first read that fails, so that error holds that failure alone. */
static gboolean
route_snapshot_load (RouteSnapshot      *snapshot,
                     Operation          *op,
                     BatonConversation  *current,
                     GError            **error)
{
  BatonWorkspace *self = op->self;
  BatonStore *store = baton_workspace_get_store (self);

  return (snapshot->contact = baton_workspace_load_contact (self, current->contact_id,
                                                            error)) != NULL
         && (snapshot->flows = baton_workspace_list_flows (self, error)) != NULL
         && (snapshot->teams = baton_workspace_list_teams (self, error)) != NULL
         && (snapshot->schedules = baton_workspace_list_schedules (self, error)) != NULL
         && (snapshot->states = baton_workspace_agent_states (self, error)) != NULL
         && (snapshot->cursors = baton_store_snapshot_cursors (store, error)) != NULL
         && load_channel_defaults (snapshot, store, current->channel_id, error)
         && (snapshot->lapsed = baton_store_conversations_lapsed (store, op->conversation_id,
                                                                  error)) != NULL
         && baton_store_snapshot_is_returning (store, current->contact_id, op->conversation_id,
                                               &snapshot->returning, error);
}

/* Runs the routing of ASSIGNMENT.md §2 (or, for message.received and contact.tag_added,
 * only the flows) through the engine, over a snapshot of the workspace. */
static gboolean
route (Operation   *op,
       const char  *event,
       const char  *tag,
       const char  *message_text,
       gboolean    *contact_changed,
       GError     **error)
{
  BatonWorkspace *self = op->self;
  g_autoptr(BatonConversation) current = NULL;
  g_auto(RouteSnapshot) snapshot = { 0 };
  g_autoptr(GHashTable) team_index = NULL;
  g_autoptr(GHashTable) schedule_index = NULL;
  g_autoptr(BatonDecision) decision = NULL;
  BatonRouteInput input = { 0 };
  gboolean reopened = g_strcmp0 (event, "conversation.reopened") == 0;

  current = baton_workspace_load_conversation (self, op->conversation_id, error);
  if (current == NULL || !route_snapshot_load (&snapshot, op, current, error))
    return FALSE;

  team_index = index_by_id (snapshot.teams, G_STRUCT_OFFSET (BatonTeam, id));
  schedule_index = index_by_id (snapshot.schedules, G_STRUCT_OFFSET (BatonSchedule, id));

  input.event = event;
  input.tag = tag;
  input.channel_id = current->channel_id;
  input.message_text = message_text;
  input.has_referral = current->referral != NULL;
  input.is_returning = reopened || snapshot.returning;
  input.team_id = current->team_id;
  input.assignee_ids = (const char * const *) current->assignee_ids;
  input.conversation_tags = (const char * const *) current->tags;
  input.owner_ids = (const char * const *) snapshot.contact->owner_ids;
  input.contact_tags = (const char * const *) snapshot.contact->tags;
  input.contact_fields = snapshot.contact->fields;
  input.flows = snapshot.flows;
  input.teams = team_index;
  input.cursors = snapshot.cursors;
  input.agents = snapshot.states;
  input.schedules = schedule_index;
  input.default_team_id = snapshot.default_team_id;
  input.default_user_id = snapshot.default_user_id;
  input.excluded = (const char * const *) snapshot.lapsed;
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
      g_auto(Operation) op = { 0 };
      g_autoptr(BatonConversation) after = NULL;
      gboolean contact_changed = FALSE;

      operation_init (&op, self, "system", NULL, "Baton");
      if (!operation_load (&op, ids[i], error)
          || !route (&op, "contact.tag_added", tag, NULL, &contact_changed, error))
        return FALSE;
      after = finish (&op, FINISH_DEFAULT, error);
      if (after == NULL)
        return FALSE;
    }
  return TRUE;
}

/* A WhatsApp sender is known by wa_id, a former wa_id (a number change), or its BSUID;
 * anyone by phone. */
static char *
find_contact (BatonStore          *store,
              const BatonInbound  *inbound,
              char               **name,
              GError             **error)
{
  GError *local_error = NULL;
  char *id = NULL;

  if (inbound->wa_id || inbound->user_id)
    {
      id = baton_store_contacts_find_whatsapp (store, inbound->wa_id, inbound->user_id, name,
                                               &local_error);
      if (id || local_error)
        {
          if (local_error)
            g_propagate_error (error, local_error);
          return id;
        }
    }
  return baton_store_contacts_find_by_phone (store, inbound->from, name, error);
}

static char *
find_or_create_contact (BatonWorkspace      *self,
                        const BatonInbound  *inbound,
                        gboolean            *changed,
                        GError             **error)
{
  BatonStore *store = baton_workspace_get_store (self);
  GError *local_error = NULL;
  gint64 now = baton_workspace_now (self);
  gboolean whatsapp = inbound->wa_id != NULL || inbound->user_id != NULL;
  gint64 inbound_at = whatsapp && inbound->sent_at > 0 ? inbound->sent_at : now;
  g_autofree char *name = NULL;
  g_autofree char *id = find_contact (store, inbound, &name, &local_error);

  if (local_error)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (id == NULL)
    {
      BatonContactRow row = {
        .id = id = baton_id_new ("ctc", now),
        .name = inbound->name ? inbound->name : inbound->from,
        .phone = inbound->from,
        .wa_id = inbound->wa_id,
        .user_id = inbound->user_id,
        .created_at = now,
        .last_inbound_at = inbound->opens_window || !whatsapp ? inbound_at : 0,
      };

      if (!baton_store_contacts_insert (store, &row, error))
        return NULL;
      *changed = TRUE;
      return g_steal_pointer (&id);
    }
  /* A contact first known by number alone takes the name the channel gives later. */
  if ((inbound->name && g_strcmp0 (name, inbound->from) == 0
       && !baton_store_contacts_update (store, id, inbound->name, NULL, error))
      || (whatsapp && !baton_store_contacts_learn_whatsapp (store, id, inbound->wa_id,
                                                            inbound->user_id, error))
      /* Messages can arrive out of order: the latest customer message counts. */
      || ((inbound->opens_window || !whatsapp)
          && !baton_store_contacts_saw_inbound (store, id, inbound_at, error)))
    return NULL;
  *changed = TRUE;
  return g_steal_pointer (&id);
}

/* The 24-h window (REFERENCE.md §4) runs from the customer's latest message, by its own
 * timestamp; the referral of the ad or post that started the thread is kept once. */
static gboolean
update_whatsapp_thread (Operation           *op,
                        const BatonInbound  *inbound,
                        const char          *referral,
                        GError             **error)
{
  BatonStore *store = baton_workspace_get_store (op->self);

  return (!inbound->opens_window || inbound->sent_at <= 0
          || baton_store_conversations_extend_window (store, op->conversation_id,
                                                      inbound->sent_at
                                                      + BATON_WHATSAPP_WINDOW_MS, error))
         && (referral == NULL
             || baton_store_conversations_set_referral (store, op->conversation_id, referral,
                                                        error));
}

/* The message the channel knows as external_id (if any): its id and conversation, or NULL
 * when there is none. FALSE when it cannot be read. */
static gboolean
find_by_external (BatonStore   *store,
                  const char   *channel_id,
                  const char   *external_id,
                  char        **id,
                  char        **conversation_id,
                  GError      **error)
{
  g_autoptr(BatonChannelMessage) known = NULL;
  GError *local_error = NULL;

  if (external_id)
    known = baton_store_messages_find_external (store, channel_id, external_id, &local_error);
  if (local_error)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  *id = known ? g_steal_pointer (&known->id) : NULL;
  if (conversation_id)
    *conversation_id = known ? g_steal_pointer (&known->conversation_id) : NULL;
  return TRUE;
}

/* The thread an inbound message goes to: the contact's active one on the channel continues
 * (no pipeline, only message.received flows; the assignees hear of it), the last one, if
 * resolved, reopens (assignees kept through the resolve hear of the message too), or a new
 * one starts; with the routing event and how the change finishes. */
static gboolean
open_thread (Operation    *op,
             const char   *channel_id,
             const char   *contact_id,
             const char   *latest_id,
             const char   *latest_status,
             const char  **event,
             FinishFlags  *flags,
             GError      **error)
{
  BatonStore *store = baton_workspace_get_store (op->self);
  gint64 now = baton_workspace_now (op->self);

  if (latest_id == NULL)
    {
      op->created = TRUE;
      op->conversation_id = baton_id_new ("cnv", now);
      *event = "conversation.created";
      *flags = FINISH_CREATED;
      return baton_store_conversations_insert (store, op->conversation_id, channel_id,
                                               contact_id, now, error);
    }
  if (!operation_load (op, latest_id, error))
    return FALSE;
  if (g_strcmp0 (latest_status, "resolved") != 0)
    {
      *event = "message.received";
      *flags = FINISH_NEW_MESSAGE;
      return TRUE;
    }
  *event = "conversation.reopened";
  *flags = FINISH_REOPENED | FINISH_NEW_MESSAGE;
  return baton_store_conversations_reopen (store, op->conversation_id, "new", error);
}

static gboolean
receive_in_transaction (BatonWorkspace      *self,
                        const char          *channel_id,
                        const BatonInbound  *inbound,
                        char               **message_id,
                        char               **conversation_id,
                        gboolean            *duplicate,
                        GError             **error)
{
  BatonStore *store = baton_workspace_get_store (self);
  g_auto(Operation) op = { 0 };
  g_autofree char *contact_id = NULL;
  g_autofree char *contact_name = NULL;
  g_autofree char *latest_id = NULL;
  g_autofree char *latest_status = NULL;
  g_autofree char *quoted_id = NULL;
  g_autoptr(BatonConversation) conversation = NULL;
  g_autofree char *referral = NULL;
  GError *local_error = NULL;
  gboolean contact_changed = FALSE;
  gint64 now = baton_workspace_now (self);
  FinishFlags flags = FINISH_DEFAULT;
  const char *event = NULL;
  BatonMessageRow message = { 0 };

  /* a message the channel delivered before: where it went */
  if (!find_by_external (store, channel_id, inbound->external_id, message_id, conversation_id,
                         error))
    return FALSE;
  *duplicate = *message_id != NULL;
  if (*duplicate)
    return TRUE;
  contact_id = find_or_create_contact (self, inbound, &contact_changed, error);
  if (contact_id == NULL)
    return FALSE;
  contact_name = baton_store_contacts_get_name (store, contact_id, error);
  if (contact_name == NULL)
    return FALSE;

  operation_init (&op, self, "contact", contact_id, contact_name);
  latest_id = baton_store_conversations_latest (store, contact_id, channel_id, &latest_status,
                                                &local_error);
  if (local_error)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  /* the message the customer quoted, when Baton has it */
  if (!find_by_external (store, channel_id, inbound->quoted_external_id, &quoted_id, NULL,
                         error))
    return FALSE;
  if (inbound->referral)
    referral = baton_json_to_string (inbound->referral);

  message.kind = BATON_MESSAGE_INBOUND;
  message.author_type = "contact";
  message.author_id = contact_id;
  message.author_name = contact_name;
  message.body = inbound->body;
  message.external_id = inbound->external_id;
  message.attachments = inbound->attachments;
  message.in_reply_to = quoted_id;
  message.created_at = inbound->sent_at > 0 && inbound->sent_at <= now ? inbound->sent_at : 0;

  if (!open_thread (&op, channel_id, contact_id, latest_id, latest_status, &event, &flags,
                    error)
      || !update_whatsapp_thread (&op, inbound, referral, error))
    return FALSE;
  *message_id = insert_message (&op, channel_id, &message, error);
  if (*message_id == NULL
      || !route (&op, event, NULL, inbound->body, &contact_changed, error))
    return FALSE;

  if (inbound->media && !baton_workspace_store_media (self, channel_id, inbound->media, error))
    return FALSE;
  g_clear_pointer (&conversation, baton_conversation_unref);
  conversation = finish (&op, flags, error);
  if (conversation == NULL)
    return FALSE;
  if (contact_changed && !baton_workspace_emit_contact (self, contact_id, NULL, error))
    return FALSE;
  *conversation_id = g_strdup (conversation->id);
  return TRUE;
}

typedef struct {
  const char *channel_id;
  const BatonInbound *inbound;
  char *message_id;
  char *conversation_id;
  gboolean duplicate;
} Reception;

/* leaves the reception empty: a commit that failed may have cleared it already */
static void
reception_clear (Reception *reception)
{
  g_clear_pointer (&reception->message_id, g_free);
  g_clear_pointer (&reception->conversation_id, g_free);
}

/* the reception, filled; a duplicate changes nothing */
static gpointer
receive_change (BatonWorkspace  *self,
                gpointer         data,
                GError         **error)
{
  Reception *reception = data;

  if (!receive_in_transaction (self, reception->channel_id, reception->inbound,
                               &reception->message_id, &reception->conversation_id,
                               &reception->duplicate, error))
    return NULL;
  return reception;
}

gboolean
baton_workspace_receive (BatonWorkspace      *self,
                         const char          *channel_id,
                         const BatonInbound  *inbound,
                         char               **message_id,
                         char               **conversation_id,
                         gboolean            *duplicate,
                         GError             **error)
{
  Reception reception = { channel_id, inbound };

  *message_id = NULL;
  *conversation_id = NULL;
  *duplicate = FALSE;
  if (baton_workspace_run (self, receive_change, &reception, (GDestroyNotify) reception_clear,
                           error) == NULL)
    {
      reception_clear (&reception);
      return FALSE;
    }
  *message_id = g_steal_pointer (&reception.message_id);
  *conversation_id = g_steal_pointer (&reception.conversation_id);
  *duplicate = reception.duplicate;
  return TRUE;
}

/* An agent answered the customer: the conversation is in progress and responded to, a
 * no-reply timer of theirs has nothing left to do, and the settings may make them its
 * assignee (first_reply_takes_assignment) or the contact's owner
 * (first_responder_becomes_owner: TRUE in *owner_added). */
static gboolean
agent_replied (Operation                     *op,
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
      && is_empty ((const char * const *) op->before->assignee_ids)
      && baton_conversation_is_active (op->before)
      && !add_assignee (op, actor->id, "first_reply", error))
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
  const BatonReply *reply = request->details;
  gboolean note = reply->note;
  g_auto(Operation) op = { 0 };
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
    .body = reply->body,
    .in_reply_to = reply->in_reply_to,
    .status = note ? NULL : "sent",
  };

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
  id = insert_message (&op, op.before->channel_id, &message, error);
  if (id == NULL)
    return NULL;
  if (outgoing.payload
      && !baton_workspace_queue_outbox (self, op.before->channel_id, id, "message",
                                        outgoing.recipient, outgoing.payload, error))
    return NULL;
  if (!note && !agent_replied (&op, actor, &settings, &owner_added, error))
    return NULL;
  after = finish (&op, FINISH_DEFAULT, error);
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

  return baton_workspace_send_reply (self, conversation_id, actor, &reply, error);
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
  gint64 now = baton_workspace_now (self);
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
  contact_id = find_or_create_contact (self, &contact, &contact_changed, error);
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
      conversation_id = baton_id_new ("cnv", now);
      if (!baton_store_conversations_insert (store, conversation_id, start->channel_id,
                                             contact_id, now, error)
          || (conversation = baton_workspace_load_conversation (self, conversation_id,
                                                                error)) == NULL
          || !baton_workspace_emit (self, "conversation.created", NULL,
                                    baton_conversation_to_json (conversation), error))
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

BatonMessage *
baton_workspace_send_reply (BatonWorkspace    *self,
                            const char        *conversation_id,
                            BatonAgent        *actor,
                            const BatonReply  *reply,
                            GError           **error)
{
  Request request = { conversation_id, actor, reply };

  return baton_workspace_run (self, post_change, &request,
                              (GDestroyNotify) baton_message_unref, error);
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
  g_auto(Operation) op = { 0 };
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

  operation_init (&op, self, "system", NULL, author_name);
  if (!operation_load (&op, conversation_id, error))
    return FALSE;
  id = insert_message (&op, op.before->channel_id, &message, error);
  if (id == NULL)
    return FALSE;
  after = finish (&op, FINISH_QUIET, error);
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
  g_auto(Operation) op = { 0 };
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
                     && !strv_equal_sets ((const char * const *) op.before->assignee_ids,
                                          assignment->assignee_ids);
  /* A team alone for an unassigned conversation hands it to the team, the team it already
   * has included (PROTOCOL.md §3): its strategy picks, or it waits in the team's queue. */
  hand_over = assignment->set_team && assignment->team_id && !assignment->set_assignees
              && is_empty ((const char * const *) op.before->assignee_ids);
  if ((team_changes || assignees_change) && !may_change_assignment (op.before, actor, error))
    return NULL;
  if (!team_changes && !assignees_change && !hand_over)
    return baton_conversation_ref (op.before);

  set_via (&op, "manual");
  if (team_changes
      && !baton_store_conversations_set_team (store, conversation_id, assignment->team_id,
                                              error))
    return NULL;
  if (assignees_change && !set_assignees (&op, assignment->assignee_ids, "manual", error))
    return NULL;
  /* A person decided: no earlier no-reply timer stands, and a conversation a person left
   * unassigned waits for a person, not in a queue; one handed again to the team whose queue
   * it is in keeps its place there. */
  if (!baton_store_conversations_set_reassign (store, conversation_id, 0, NULL, error)
      || (!(hand_over && !team_changes)
          && !baton_store_conversations_set_queued (store, conversation_id, 0, error)))
    return NULL;
  if (hand_over && !hand_to_team (&op, assignment->team_id, error))
    return NULL;
  return finish (&op, FINISH_DEFAULT, error);
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
  g_auto(Operation) op = { 0 };
  const char * const only_me[] = { actor->id, NULL };

  if (!operation_start (&op, self, request, error))
    return NULL;
  if (strv_equal_sets ((const char * const *) op.before->assignee_ids, only_me))
    return baton_conversation_ref (op.before);
  if (!is_empty ((const char * const *) op.before->assignee_ids))
    {
      g_autofree char *holders = join_agent_names (self, (const char * const *)
                                                         op.before->assignee_ids);

      g_set_error (error, BATON_ERROR, BATON_ERROR_CONFLICT, "%s already took it", holders);
      return NULL;
    }
  if (!set_assignees (&op, only_me, "claim", error)
      || !baton_store_conversations_set_reassign (baton_workspace_get_store (self),
                                                  conversation_id, 0, NULL, error))
    return NULL;
  return finish (&op, FINISH_DEFAULT, error);
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
  g_auto(Operation) op = { 0 };

  if (!operation_start (&op, self, request, error))
    return NULL;
  if (op.before->status == BATON_STATUS_RESOLVED)
    return baton_conversation_ref (op.before);
  if (!resolve_conversation (&op, error))
    return NULL;
  return finish (&op, FINISH_QUIET, error);
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
  g_auto(Operation) op = { 0 };

  if (!operation_start (&op, self, request, error))
    return NULL;
  if (op.before->status != BATON_STATUS_RESOLVED)
    return baton_conversation_ref (op.before);
  if (!baton_store_conversations_reopen (baton_workspace_get_store (self), conversation_id,
                                         "in_progress", error))
    return NULL;
  set_via (&op, "reopen");
  return finish (&op, FINISH_DEFAULT, error);
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
  g_auto(Operation) op = { 0 };
  g_autoptr(BatonConversation) after = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) remaining = NULL;

  operation_init_agent (&op, self, actor);
  if (!operation_load (&op, conversation_id, error))
    return FALSE;
  for (guint i = 0; op.before->assignee_ids[i]; i++)
    if (!g_str_equal (op.before->assignee_ids[i], agent->id))
      g_strv_builder_add (builder, op.before->assignee_ids[i]);
  remaining = g_strv_builder_end (builder);
  op.removed_agent_name = g_strdup (agent->name);
  if (!set_assignees (&op, (const char * const *) remaining, "agent_removed", error))
    return FALSE;
  /* Removing the agent takes nothing from them to notify about. */
  g_hash_table_add (op.notified, g_strdup (agent->id));
  after = finish (&op, FINISH_DEFAULT, error);
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
  return baton_store_conversations_list (baton_workspace_get_store (self), query, error);
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
