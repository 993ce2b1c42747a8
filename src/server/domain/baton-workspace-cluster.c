/* baton-workspace-cluster.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-workspace"

#include "config.h"

#include "baton-store-logins.h"
#include "baton-store-nodes.h"
#include "baton-workspace-private.h"

/* Presence across the nodes that share a database (SCALE-OUT.md): an agent is connected
 * when any live node holds them, with a stream open or closed less than the grace period
 * ago. Each node writes the agents it holds (node_agents) in the same transaction as the
 * agent.updated that says so; the others read the rows again after such an event, which
 * every node reads before it writes (baton_workspace_begin), so routing on any node sees
 * presence as the last commit left it.
 *
 * A node beats every few seconds. One silent for longer than the grace period is dead:
 * the first node to notice forgets what it held and publishes the agents it held. A node
 * starting again under its name forgets what it held before.
 *
 * Each beat also runs the no-reply timers due and tries the team queues: the node that
 * armed a timer or queued a conversation may have died since; and it closes the streams of
 * sessions another node ended (sign-out, revocation, a new password). */

#define BEAT_INTERVAL_S 2

static void
forget_held_elsewhere (BatonWorkspace *self)
{
  g_clear_pointer (&self->held_elsewhere, g_hash_table_unref);
}

/* Whether another node holds agent_id online. */
gboolean
baton_workspace_held_elsewhere (BatonWorkspace *self,
                                const char     *agent_id)
{
  if (!self->shared)
    return FALSE;
  if (self->held_elsewhere == NULL)
    {
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) agents = baton_store_nodes_held_elsewhere (self->store, self->node_id,
                                                               &error);

      if (agents == NULL)
        {
          g_warning ("Cannot read the agents other nodes hold online: %s", error->message);
          return FALSE;
        }
      self->held_elsewhere = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint i = 0; agents[i]; i++)
        g_hash_table_add (self->held_elsewhere, g_steal_pointer (&agents[i]));
    }
  return g_hash_table_contains (self->held_elsewhere, agent_id);
}

/* Inside the change that publishes the agent's presence. */
gboolean
baton_workspace_cluster_hold (BatonWorkspace  *self,
                              const char      *agent_id,
                              gboolean         held,
                              GError         **error)
{
  return !self->shared
         || baton_store_nodes_hold (self->store, self->node_id, agent_id, held, error);
}

/* An event another node wrote may say another node holds someone, or no longer does. */
void
baton_workspace_cluster_event (BatonWorkspace *self,
                               BatonEventKind  kind)
{
  if (kind == BATON_EVENT_AGENT_UPDATED || kind == BATON_EVENT_AGENT_DELETED)
    forget_held_elsewhere (self);
}

static gpointer
forget_change (BatonWorkspace  *self,
               gpointer         data,
               GError         **error)
{
  const char *node_id = data;
  g_auto(GStrv) agents = NULL;

  agents = baton_store_nodes_forget (self->store,
                                     baton_workspace_now (self) - BATON_ONLINE_GRACE_MS,
                                     node_id, error);
  if (agents == NULL)
    return NULL;
  forget_held_elsewhere (self);
  for (guint i = 0; agents[i]; i++)
    if (!baton_workspace_emit_agent (self, agents[i], error))
      return NULL;
  if (agents[0])
    baton_workspace_request_drain (self);
  return g_steal_pointer (&agents);
}

/* Forgets the dead nodes (and, when node_id is not NULL, what that node held before). */
static void
forget_nodes (BatonWorkspace *self,
              const char     *node_id)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) agents = baton_workspace_run (self, forget_change, (gpointer) node_id,
                                              (GDestroyNotify) g_strfreev, &error);

  forget_held_elsewhere (self);
  if (agents == NULL)
    {
      g_warning ("Cannot forget the nodes gone: %s", error->message);
      return;
    }
  for (guint i = 0; agents[i]; i++)
    baton_workspace_presence_changed (self, agents[i]);
}

static gpointer
hold_again_change (BatonWorkspace  *self,
                   gpointer         data,
                   GError         **error)
{
  GHashTableIter iter;
  gpointer agent_id;

  g_hash_table_iter_init (&iter, self->presence);
  while (g_hash_table_iter_next (&iter, &agent_id, NULL))
    if (!baton_store_nodes_hold (self->store, self->node_id, agent_id, TRUE, error)
        || !baton_workspace_emit_agent (self, agent_id, error))
      return NULL;
  return self;
}

/* This node was taken for dead (silent longer than the grace period: stopped, or its clock
 * behind the others') and forgotten: it holds its agents again. */
static void
hold_again (BatonWorkspace *self)
{
  g_autoptr(GError) error = NULL;

  g_message ("This node was taken for dead by the others: it holds its agents again");
  if (!baton_workspace_apply (self, hold_again_change, NULL, NULL, &error))
    g_warning ("Cannot hold this node's agents again: %s", error->message);
}

/* Sessions ended on any node: their streams on this one close too. The first look only
 * learns where the list stands: what ended before this node started had no stream here. */
static void
close_revoked_sessions (BatonWorkspace *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hashes = NULL;
  gboolean first = self->revoked_seen < 0;

  if (first)
    self->revoked_seen = 0;
  hashes = baton_store_nodes_revoked_after (self->store, &self->revoked_seen, &error);
  if (hashes == NULL)
    {
      g_warning ("Cannot read the sessions ended: %s", error->message);
      return;
    }
  for (guint i = 0; !first && i < hashes->len; i++)
    baton_workspace_session_revoked (self, hashes->pdata[i]);
}

static void
beat (BatonWorkspace *self)
{
  g_autoptr(GError) error = NULL;
  gint64 now = baton_workspace_now (self);
  int beaten;

  baton_workspace_cluster_join (self);
  beaten = baton_store_nodes_beat (self->store, self->node_id, now, &error);
  if (beaten < 0)
    {
      g_warning ("Cannot tell the other nodes this one is alive: %s", error->message);
      return;
    }
  if (beaten > 0 && self->beaten)
    hold_again (self);
  self->beaten = TRUE;
  switch (baton_store_nodes_any_silent (self->store, now - BATON_ONLINE_GRACE_MS, &error))
    {
    case 1:
      forget_nodes (self, NULL);
      break;
    case -1:
      g_warning ("Cannot look for nodes gone: %s", error->message);
      g_clear_error (&error);
      break;
    default:
      break;
    }
  close_revoked_sessions (self);
  /* failed sign-ins out of the window and sessions ended an hour ago (the database's
   * time), once a minute or so */
  if (++self->beats % 30 == 0
      && (!baton_store_logins_prune (self->store, now - BATON_LOGIN_WINDOW_MS, &error)
          || !baton_store_nodes_prune_revoked (self->store,
                                               g_get_real_time () / 1000 - 3600 * 1000,
                                               &error)))
    g_warning ("Cannot forget old failed sign-ins or ended sessions: %s", error->message);
  /* work that has no owner: any node alive does it, the writer's lock once */
  baton_workspace_run_due_timers (self);
  if (!self->draining)
    baton_workspace_drain_queues (self);
}

static gboolean
beat_cb (gpointer user_data)
{
  beat (user_data);
  return G_SOURCE_CONTINUE;
}

/* Before this node holds anyone: what it held under its name before (a restart) is
 * forgotten, and it beats. */
void
baton_workspace_cluster_join (BatonWorkspace *self)
{
  if (!self->shared || self->joined)
    return;
  self->joined = TRUE;
  forget_nodes (self, self->node_id);
  beat (self);
  if (self->beat_timer == 0)
    self->beat_timer = g_timeout_add_seconds (BEAT_INTERVAL_S, beat_cb, self);
}

void
baton_workspace_cluster_leave (BatonWorkspace *self)
{
  g_clear_handle_id (&self->beat_timer, g_source_remove);
  forget_held_elsewhere (self);
}
