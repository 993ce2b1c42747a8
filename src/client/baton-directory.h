/* baton-directory.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-client.h"
#include "baton-directory-entry.h"

G_BEGIN_DECLS

/* The workspace's agents, teams and channels, and the canned replies the signed-in agent
 * sees, as GListModels of BatonDirectoryEntry, in the server's order: loaded once the client
 * is signed in (again once its stream is up, and on "resync"), then kept current by the
 * stream's events (agent.updated/deleted, team.*, channel.updated, reply.*). One per client (baton_client_get_directory), shared by every widget.
 *
 * Properties: "loaded" (every list has been read at least once).
 * Signals: "changed": one of the lists or an entry in it changed; "load-failed" (GError *): a
 * list could not be read, it stays as it was. */

#define BATON_TYPE_DIRECTORY (baton_directory_get_type ())

G_DECLARE_FINAL_TYPE (BatonDirectory, baton_directory, BATON, DIRECTORY, GObject)

/* client is not reffed: the client owns its directory. */
BatonDirectory *baton_directory_new            (BatonClient    *client);
GListModel     *baton_directory_get_agents     (BatonDirectory *self);
GListModel     *baton_directory_get_teams      (BatonDirectory *self);
GListModel     *baton_directory_get_channels   (BatonDirectory *self);
GListModel     *baton_directory_get_replies    (BatonDirectory *self);
BatonAgent     *baton_directory_lookup_agent   (BatonDirectory *self,
                                                const char     *agent_id);
BatonTeam      *baton_directory_lookup_team    (BatonDirectory *self,
                                                const char     *team_id);
BatonChannel   *baton_directory_lookup_channel (BatonDirectory *self,
                                                const char     *channel_id);
gboolean        baton_directory_get_loaded     (BatonDirectory *self);
BatonCannedReply *baton_directory_lookup_reply (BatonDirectory *self,
                                                const char     *reply_id);
/* Reads the lists again. */
void            baton_directory_reload         (BatonDirectory *self);

G_END_DECLS
