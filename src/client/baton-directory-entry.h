/* baton-directory-entry.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "baton-agent.h"
#include "baton-canned-reply.h"
#include "baton-channel.h"
#include "baton-team.h"

G_BEGIN_DECLS

/* One agent, team, channel or canned reply of a BatonDirectory list: a GObject that keeps its
 * identity while events replace what it holds, with "id" and "name" properties rows can bind
 * to (a canned reply's "name" is its shortcut). */

#define BATON_TYPE_DIRECTORY_ENTRY (baton_directory_entry_get_type ())

G_DECLARE_FINAL_TYPE (BatonDirectoryEntry, baton_directory_entry, BATON, DIRECTORY_ENTRY, GObject)

/* value: a BatonAgent, BatonTeam, BatonChannel or BatonCannedReply (of boxed type
 * value_type), reffed. */
BatonDirectoryEntry *baton_directory_entry_new         (GType                value_type,
                                                        gpointer             value);
/* Replaces the value (same type and id) and notifies "name" when it changed. */
void                 baton_directory_entry_update      (BatonDirectoryEntry *self,
                                                        gpointer             value);
const char          *baton_directory_entry_get_id      (BatonDirectoryEntry *self);
const char          *baton_directory_entry_get_name    (BatonDirectoryEntry *self);
/* The value, or NULL when the entry holds another type. */
BatonAgent          *baton_directory_entry_get_agent   (BatonDirectoryEntry *self);
BatonTeam           *baton_directory_entry_get_team    (BatonDirectoryEntry *self);
BatonChannel        *baton_directory_entry_get_channel (BatonDirectoryEntry *self);
BatonCannedReply    *baton_directory_entry_get_reply   (BatonDirectoryEntry *self);

G_END_DECLS
