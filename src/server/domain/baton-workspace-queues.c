/* baton-workspace-queues.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-workspace"

#include "config.h"

#include "baton-store-snapshot.h"
#include "baton-store-teams.h"
#include "baton-operation.h"

/* Team picks outside routing (a handover, a no-reply timeout, a queue drain, an agent's
 * removal), all decided by the engine's baton_route_to_team (); the team queues and the
 * no-reply timers (ASSIGNMENT.md §3, §5). */

/* The members the engine picked, the strategy cursors it moved, and, when the last pick must
 * answer in time, its no-reply timer (ASSIGNMENT.md §5): the same for every team pick. */
gboolean
baton_operation_apply_picks (BatonOperation  *op,
                             BatonDecision   *decision,
                             GError         **error)
{
  BatonStore *store = baton_workspace_get_store (op->self);
  GHashTableIter iter;
  gpointer team_id, agent_id;

  for (guint i = 0; i < decision->assign->len; i++)
    {
      BatonAssign *assign = decision->assign->pdata[i];

      if (!baton_operation_add_assignee (op, assign->agent_id, assign->via, error))
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
decide_team_pick (BatonOperation  *op,
                  const char      *team_id,
                  GError         **error)
{
  BatonStore *store = baton_workspace_get_store (op->self);
  g_autoptr(BatonTeam) team = NULL;
  g_autoptr(GHashTable) teams = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) states = NULL;
  g_auto(BatonRoutingState) routing = { 0 };
  BatonRouteInput input = { 0 };

  if ((team = baton_workspace_load_team (op->self, team_id, error)) == NULL
      || !baton_store_snapshot_routing (store, op->conversation_id, NULL, &routing, error))
    return NULL;
  states = baton_workspace_agent_states (op->self, routing.agents);
  g_hash_table_insert (teams, team->id, team);
  input.team_id = team_id;
  input.teams = teams;
  input.cursors = routing.cursors;
  input.agents = states;
  input.excluded = (const char * const *) routing.lapsed;
  input.now_ms = baton_workspace_now (op->self);
  return baton_route_to_team (&input, team_id);
}

/* Lets the team's strategy pick a member for the conversation and assigns them; FALSE in
 * *assigned when nobody is eligible. */
static gboolean
pick_from_team (BatonOperation  *op,
                const char      *team_id,
                gboolean        *assigned,
                GError         **error)
{
  g_autoptr(BatonDecision) decision = decide_team_pick (op, team_id, error);

  *assigned = FALSE;
  if (decision == NULL || !baton_operation_apply_picks (op, decision, error))
    return FALSE;
  *assigned = decision->assign->len > 0;
  return TRUE;
}

/* Hands the conversation to a team: its strategy picks an eligible member, or, when there is
 * none, the conversation waits in the team's queue (ASSIGNMENT.md §3). */
gboolean
baton_operation_hand_to_team (BatonOperation  *op,
                              const char      *team_id,
                              GError         **error)
{
  BatonStore *store = baton_workspace_get_store (op->self);
  gboolean assigned = FALSE;

  if (!baton_operation_set_team (op, team_id, error)
      || !pick_from_team (op, team_id, &assigned, error))
    return FALSE;
  if (assigned)
    return TRUE;
  op->queued = TRUE;
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
  const char *conversation_id = data;
  BatonStore *store = baton_workspace_get_store (self);
  g_auto(BatonOperation) op = { 0 };
  g_autoptr(BatonTeam) team = NULL;
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

  baton_operation_init (&op, self, "system", NULL, "Baton");
  if (!baton_operation_load (&op, conversation_id, error)
      || !baton_store_conversations_set_reassign (store, conversation_id, 0, NULL, error))
    return NULL;
  if (team->reassign_after_minutes == 0 || lapsed_id == NULL
      || !baton_conversation_has_assignee (op.before, lapsed_id))
    return baton_workspace_load_conversation (self, conversation_id, error);

  lapsed_name = baton_workspace_agent_name (self, lapsed_id);
  if (!baton_store_conversations_add_lapse (store, conversation_id, lapsed_id, error))
    return NULL;
  remaining = baton_strv_without ((const char * const *) op.before->assignee_ids, lapsed_id);
  if (!baton_operation_set_assignees (&op, (const char * const *) remaining, "reassign_timeout",
                                      error)
      || !pick_from_team (&op, team->id, &assigned, error))
    return NULL;
  if (!assigned && remaining[0] == NULL
      && !baton_store_conversations_set_queued (store, conversation_id, now, error))
    return NULL;
  baton_operation_set_via (&op, "reassign_timeout");
  op.subject_id = g_steal_pointer (&lapsed_id);
  op.subject_name = g_steal_pointer (&lapsed_name);
  op.lapsed_minutes = team->reassign_after_minutes;
  return baton_operation_finish (&op, BATON_FINISH_DEFAULT, error);
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
reassign_now (BatonWorkspace *self,
              const char     *conversation_id)
{
  g_autoptr(BatonConversation) conversation = NULL;
  g_autoptr(GError) error = NULL;

  conversation = baton_workspace_run (self, reassign_change, (gpointer) conversation_id,
                                      (GDestroyNotify) baton_conversation_unref, &error);
  if (conversation == NULL)
    g_warning ("Cannot reassign %s after its timeout: %s", conversation_id, error->message);
}

static void
reassign_due_cb (gpointer user_data)
{
  ReassignTimer *timer = user_data;

  reassign_now (timer->workspace, timer->conversation_id);
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
                                                                  G_MAXINT64, error);

  if (timers == NULL)
    return FALSE;
  for (guint i = 0; i < timers->len; i++)
    {
      BatonPendingConversation *timer = g_ptr_array_index (timers, i);

      baton_workspace_schedule_reassign (self, timer->conversation_id, timer->due_at);
    }
  return TRUE;
}

/* Runs the timers due now, wherever they were armed: with several nodes, one armed on a
 * node that died is run by another (the store says whether it is still due, so a timer run
 * twice acts once). */
void
baton_workspace_run_due_timers (BatonWorkspace *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) due = baton_store_conversations_timers (baton_workspace_get_store (self),
                                                               baton_workspace_now (self),
                                                               &error);

  if (due == NULL)
    {
      g_warning ("Cannot read the timers due: %s", error->message);
      return;
    }
  for (guint i = 0; i < due->len; i++)
    reassign_now (self, ((BatonPendingConversation *) due->pdata[i])->conversation_id);
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
  g_auto(BatonOperation) op = { 0 };
  gboolean assigned = FALSE;

  baton_operation_init (&op, self, "system", NULL, "Baton");
  if (!baton_operation_load (&op, drain->conversation_id, error)
      || !pick_from_team (&op, drain->team_id, &assigned, error) || !assigned)
    return NULL;
  return baton_operation_finish (&op, BATON_FINISH_DEFAULT, error);
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
