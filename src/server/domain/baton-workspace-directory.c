/* baton-workspace-directory.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-workspace"

#include "config.h"

#include "baton-store-agents.h"
#include "baton-store-channels.h"
#include "baton-store-teams.h"
#include "baton-whatsapp-channel.h"
#include "baton-workspace-private.h"

/* The directory kept in memory, so that routing a message reads no teams, flows, schedules,
 * channel defaults or agent names from the database: each piece is loaded on first use and
 * kept until a change of its kind.
 *
 * Channels are kept too, so that an api message finds its channel and checks its secret
 * without a read.
 *
 * The rule that keeps it current: every change of a team, flow, schedule, channel, agent or
 * the settings publishes its event (team.*, flow.*, schedule.*, channel.*, agent.*,
 * settings.*), and baton_workspace_emit () drops the piece of that kind as soon as the event
 * is written, inside the transaction, and again when it is committed. A transaction rolled
 * back (or a commit that fails) drops the whole directory, since a piece loaded during it
 * may hold what it changed. A store function that writes those tables without an event
 * must call baton_workspace_directory_forget () itself.
 *
 * What changes with every assignment (agents' loads and last assignment, round robin
 * cursors) and presence are not part of it: routing reads them each time. */

/* What the directory keeps of a channel: its kind, inbound secret's hash and defaults. The
 * WhatsApp part (credentials, pause) is read where it is used. */
static BatonChannelRow *
directory_row (BatonChannelRow *row)
{
  g_clear_pointer (&row->phone_number_id, g_free);
  g_clear_pointer (&row->config, g_free);
  if (row->secrets)
    explicit_bzero (row->secrets, strlen (row->secrets));
  g_clear_pointer (&row->secrets, g_free);
  g_clear_pointer (&row->paused_reason, g_free);
  return row;
}

/* a list as the workspace lists it, and its items by id; both NULL until loaded */
typedef struct {
  GPtrArray *items;
  GHashTable *index;
} IndexedList;

typedef GPtrArray *(*ListFunc) (BatonWorkspace  *self,
                                GError         **error);

static void
indexed_list_forget (IndexedList *list)
{
  g_clear_pointer (&list->index, g_hash_table_unref);
  g_clear_pointer (&list->items, g_ptr_array_unref);
}

/* The items, listed by list_func on first use; id_offset: where each item keeps its id. */
static GPtrArray *
indexed_list_load (IndexedList     *list,
                   BatonWorkspace  *self,
                   ListFunc         list_func,
                   gsize            id_offset,
                   GError         **error)
{
  if (list->items == NULL)
    {
      list->items = list_func (self, error);
      if (list->items == NULL)
        return NULL;
      list->index = baton_workspace_index_by_id (list->items, id_offset);
    }
  return list->items;
}

struct _BatonWorkspaceDirectory
{
  /* each NULL until loaded */
  IndexedList teams;
  GPtrArray *flows;
  IndexedList schedules;
  /* channel id → BatonChannelRow (directory_row), filled as they are asked for; agent id →
   * name, every
   * agent's (empty until first asked for) */
  GHashTable *channels;
  GHashTable *agent_names;
  /* every WhatsApp channel (BatonWhatsappChannel) with its number and credentials, NULL until
   * loaded: a webhook finds the secret it is signed with and its number's channel here */
  GPtrArray *whatsapp_channels;
};

BatonWorkspaceDirectory *
baton_workspace_directory_new (void)
{
  BatonWorkspaceDirectory *directory = g_new0 (BatonWorkspaceDirectory, 1);

  directory->channels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) baton_channel_row_free);
  directory->agent_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return directory;
}

void
baton_workspace_directory_clear (BatonWorkspaceDirectory *directory)
{
  indexed_list_forget (&directory->teams);
  indexed_list_forget (&directory->schedules);
  g_clear_pointer (&directory->flows, g_ptr_array_unref);
  g_hash_table_remove_all (directory->channels);
  g_hash_table_remove_all (directory->agent_names);
  g_clear_pointer (&directory->whatsapp_channels, g_ptr_array_unref);
}

void
baton_workspace_directory_free (BatonWorkspaceDirectory *directory)
{
  baton_workspace_directory_clear (directory);
  g_hash_table_unref (directory->channels);
  g_hash_table_unref (directory->agent_names);
  g_free (directory);
}

/* Drops what an event of that kind may have changed. */
void
baton_workspace_directory_forget (BatonWorkspace *self,
                                  BatonEventKind  kind)
{
  BatonWorkspaceDirectory *directory = self->directory;

  switch (kind)
    {
    case BATON_EVENT_TEAM_CREATED:
    case BATON_EVENT_TEAM_UPDATED:
    case BATON_EVENT_TEAM_DELETED:
      indexed_list_forget (&directory->teams);
      break;
    case BATON_EVENT_FLOW_CREATED:
    case BATON_EVENT_FLOW_UPDATED:
    case BATON_EVENT_FLOW_DELETED:
      g_clear_pointer (&directory->flows, g_ptr_array_unref);
      break;
    case BATON_EVENT_SCHEDULE_CREATED:
    case BATON_EVENT_SCHEDULE_UPDATED:
    case BATON_EVENT_SCHEDULE_DELETED:
      indexed_list_forget (&directory->schedules);
      break;
    case BATON_EVENT_CHANNEL_UPDATED:
      g_hash_table_remove_all (directory->channels);
      g_clear_pointer (&directory->whatsapp_channels, g_ptr_array_unref);
      break;
    case BATON_EVENT_AGENT_UPDATED:
      g_hash_table_remove_all (directory->agent_names);
      break;
    /* a removed agent leaves its teams and the defaults that named it */
    case BATON_EVENT_AGENT_DELETED:
    case BATON_EVENT_SETTINGS_UPDATED:
      baton_workspace_directory_clear (directory);
      break;
    default:
      break;
    }
}

/* Every team with its members, in the order of baton_workspace_list_teams (); owned by the
 * directory, valid until the next change: callers that keep them take a reference. */
GPtrArray *
baton_workspace_directory_teams (BatonWorkspace  *self,
                                 GError         **error)
{
  return indexed_list_load (&self->directory->teams, self, baton_workspace_list_teams,
                            G_STRUCT_OFFSET (BatonTeam, id), error);
}

/* The team, NULL when there is none (or it cannot be read); owned by the directory. */
BatonTeam *
baton_workspace_directory_team (BatonWorkspace *self,
                                const char     *id)
{
  if (id == NULL || baton_workspace_directory_teams (self, NULL) == NULL)
    return NULL;
  return g_hash_table_lookup (self->directory->teams.index, id);
}

GPtrArray *
baton_workspace_directory_flows (BatonWorkspace  *self,
                                 GError         **error)
{
  BatonWorkspaceDirectory *directory = self->directory;

  if (directory->flows == NULL)
    directory->flows = baton_workspace_list_flows (self, error);
  return directory->flows;
}

GPtrArray *
baton_workspace_directory_schedules (BatonWorkspace  *self,
                                     GError         **error)
{
  return indexed_list_load (&self->directory->schedules, self, baton_workspace_list_schedules,
                            G_STRUCT_OFFSET (BatonSchedule, id), error);
}

GHashTable *
baton_workspace_directory_schedule_index (BatonWorkspace  *self,
                                          GError         **error)
{
  if (baton_workspace_directory_schedules (self, error) == NULL)
    return NULL;
  return self->directory->schedules.index;
}

GHashTable *
baton_workspace_directory_team_index (BatonWorkspace  *self,
                                      GError         **error)
{
  if (baton_workspace_directory_teams (self, error) == NULL)
    return NULL;
  return self->directory->teams.index;
}

/* The channel (its kind, inbound secret's hash and defaults), NULL without error when there
 * is none; owned by the directory. */
const BatonChannelRow *
baton_workspace_directory_channel (BatonWorkspace  *self,
                                   const char      *channel_id,
                                   GError         **error)
{
  BatonChannelRow *row = g_hash_table_lookup (self->directory->channels, channel_id);

  /* a channel that does not exist is not kept: anyone can ask for any id */
  if (row == NULL)
    {
      row = baton_store_channels_get (self->store, channel_id, error);
      if (row == NULL)
        return NULL;
      g_hash_table_insert (self->directory->channels, g_strdup (channel_id), directory_row (row));
    }
  return row;
}

GPtrArray *
baton_workspace_list_whatsapp_channels (BatonWorkspace  *self,
                                        GError         **error)
{
  BatonWorkspaceDirectory *directory = self->directory;

  g_return_val_if_fail (BATON_IS_WORKSPACE (self), NULL);

  if (directory->whatsapp_channels == NULL)
    directory->whatsapp_channels = baton_whatsapp_channel_list (self->store, error);
  return directory->whatsapp_channels ? g_ptr_array_ref (directory->whatsapp_channels) : NULL;
}

/* The channel's default team and user (borrowed; both NULL for a channel gone). */
gboolean
baton_workspace_directory_channel_defaults (BatonWorkspace  *self,
                                            const char      *channel_id,
                                            const char     **team_id,
                                            const char     **user_id,
                                            GError         **error)
{
  GError *local_error = NULL;
  const BatonChannelRow *row = baton_workspace_directory_channel (self, channel_id,
                                                                  &local_error);

  if (local_error)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  *team_id = row ? row->default_team_id : NULL;
  *user_id = row ? row->default_user_id : NULL;
  return TRUE;
}

/* The agent's name, or the id of one removed. */
const char *
baton_workspace_directory_agent_name (BatonWorkspace *self,
                                      const char     *agent_id)
{
  BatonWorkspaceDirectory *directory = self->directory;
  const char *name = NULL;

  if (g_hash_table_size (directory->agent_names) == 0)
    {
      g_autoptr(GPtrArray) agents = baton_store_agents_list (self->store, NULL);

      for (guint i = 0; agents && i < agents->len; i++)
        {
          BatonAgent *agent = agents->pdata[i];

          g_hash_table_insert (directory->agent_names, g_steal_pointer (&agent->id),
                               g_steal_pointer (&agent->name));
        }
    }
  name = g_hash_table_lookup (directory->agent_names, agent_id);
  return name ? name : agent_id;
}
