/* baton-inbox-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "baton-inbox.h"

G_BEGIN_DECLS

/* One conversation in the inbox list: contact, last message preview and time, status,
 * assignees' initials, team, unread marker and the WhatsApp 24-hour window. */

#define BATON_TYPE_INBOX_ROW (baton_inbox_row_get_type ())

G_DECLARE_FINAL_TYPE (BatonInboxRow, baton_inbox_row, BATON, INBOX_ROW, GtkWidget)

BatonInboxItem *baton_inbox_row_get_item   (BatonInboxRow  *self);
void            baton_inbox_row_set_item   (BatonInboxRow  *self,
                                            BatonInboxItem *item);
/* agent id → display name, team id → team name, for the labels (may be NULL) */
void            baton_inbox_row_set_names  (BatonInboxRow  *self,
                                            GHashTable     *agent_names,
                                            GHashTable     *team_names);
/* the inbox the row's item is of: the words of its "search" are in bold (may be NULL) */
void            baton_inbox_row_set_inbox  (BatonInboxRow  *self,
                                            BatonInbox     *inbox);

G_END_DECLS
