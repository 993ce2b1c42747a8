/* baton-workspace-teams.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-workspace"

#include "config.h"

#include "baton-error.h"
#include "baton-id.h"
#include "baton-store-channels.h"
#include "baton-store-contacts.h"
#include "baton-store-conversations.h"
#include "baton-store-events.h"
#include "baton-store-messages.h"
#include "baton-store-snapshot.h"
#include "baton-store-teams.h"
#include "baton-workspace-private.h"

/* Teams: who shares a queue of conversations, and how a member is picked. */

BatonTeam *
baton_workspace_load_team (BatonWorkspace  *self,
                           const char      *id,
                           GError         **error)
{
  GError *local_error = NULL;

  return baton_workspace_found (baton_store_teams_get (self->store, id, &local_error),
                                local_error, error, "team", id);
}

GPtrArray *
baton_workspace_list_teams (BatonWorkspace  *self,
                            GError         **error)
{
  return baton_store_teams_list (self->store, error);
}

static gboolean
write_team (BatonWorkspace  *self,
            gpointer         object,
            gboolean         creating,
            GError         **error)
{
  BatonTeam *team = object;

  /* New members or looser limits may let queued conversations move. */
  baton_workspace_request_drain (self);
  team->updated_at = baton_workspace_now (self);
  if (creating)
    team->created_at = team->updated_at;
  if (!(creating ? baton_store_teams_insert : baton_store_teams_update) (self->store, team,
                                                                          error)
      || !baton_store_teams_set_members (self->store, team->id,
                                         (const char * const *) team->member_ids, error))
    return FALSE;
  /* Reassignment turned off: its pending timers have nothing left to do. */
  return team->reassign_after_minutes > 0
         || baton_store_conversations_cancel_reassign (self->store, team->id, error);
}

/* The team's conversations lose it and its channels' default goes: each is published. */
static gboolean
remove_team (BatonWorkspace  *self,
             const char      *id,
             GError         **error)
{
  g_auto(GStrv) conversations = baton_store_conversations_detach_team (self->store, id, error);
  g_auto(GStrv) channels = NULL;

  if (conversations == NULL)
    return FALSE;
  channels = baton_store_channels_clear_default_team (self->store, id, error);
  if (channels == NULL || !baton_store_teams_delete (self->store, id, error))
    return FALSE;
  for (guint i = 0; conversations[i]; i++)
    if (!baton_workspace_touch_conversation (self, conversations[i], error))
      return FALSE;
  for (guint i = 0; channels[i]; i++)
    {
      JsonNode *channel = baton_workspace_load_channel (self, channels[i], error);

      if (channel == NULL
          || !baton_workspace_emit (self, "channel.updated", NULL, channel, error))
        return FALSE;
    }
  return TRUE;
}

static gpointer
load_team (BatonWorkspace  *self,
           const char      *id,
           GError         **error)
{
  return baton_workspace_load_team (self, id, error);
}

static JsonNode *
team_to_json (gpointer team)
{
  return baton_team_to_json (team);
}

static const BatonObjectKind team_kind = {
  "team", load_team, team_to_json, (GDestroyNotify) baton_team_unref, write_team, remove_team,
};

/* A validated team, created (with a new id) or changed; as saved, published. */
BatonTeam *
baton_workspace_save_team (BatonWorkspace  *self,
                           BatonTeam       *team,
                           gboolean         creating,
                           GError         **error)
{
  if (creating)
    {
      g_free (team->id);
      team->id = baton_id_new ("tem", baton_workspace_now (self));
    }
  return baton_workspace_save_object (self, &team_kind, team, team->id, creating, error);
}

gboolean
baton_workspace_delete_team (BatonWorkspace  *self,
                             const char      *id,
                             GError         **error)
{
  return baton_workspace_delete_object (self, &team_kind, id, error);
}
