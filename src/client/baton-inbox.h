/* baton-inbox.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-client.h"
#include "baton-inbox-item.h"

G_BEGIN_DECLS

/* The conversations an agent sees, as a GListModel of BatonInboxItem sorted by last activity
 * (newest first), loaded page by page from GET /conversations and kept current by the
 * client's events: new conversations and changes appear without reload, and an item keeps
 * its identity (the same BatonInboxItem object) across updates so selections stay put.
 *
 * Properties: "client", "loading", "has-more" (another page to load), "page-size" (items per
 * request, 50), and the filters "scope", "agent-ids", "team-id", "statuses", "search",
 * "contact-id";
 * "counts" (GET /conversations/counts, asked again after events that change it). Items
 * carry the agent's read state (GET /me/seen at each reload, then seen.updated).
 * Signals: "load-failed" (GError *): a page could not be loaded; the list stays as it was. */

#define BATON_TYPE_INBOX (baton_inbox_get_type ())

G_DECLARE_FINAL_TYPE (BatonInbox, baton_inbox, BATON, INBOX, GObject)

typedef enum {
  BATON_INBOX_ALL,
  BATON_INBOX_MINE,
  BATON_INBOX_UNASSIGNED,
} BatonInboxScope;

#define BATON_TYPE_INBOX_SCOPE (baton_inbox_scope_get_type ())

GType             baton_inbox_scope_get_type   (void) G_GNUC_CONST;

BatonInbox       *baton_inbox_new              (BatonClient        *client);
BatonClient      *baton_inbox_get_client       (BatonInbox         *self);
/* Filters (PROTOCOL.md §3 GET /conversations): each change reloads. */
void              baton_inbox_set_scope        (BatonInbox         *self,
                                                BatonInboxScope     scope);
BatonInboxScope   baton_inbox_get_scope        (BatonInbox         *self);
/* NULL or an empty array: any agent; else conversations assigned to any of them ("me" names
 * the signed-in agent). Applies with BATON_INBOX_ALL: the scopes mine and unassigned win. */
void              baton_inbox_set_agent_ids    (BatonInbox         *self,
                                                const char * const *agent_ids);
void              baton_inbox_set_team_id      (BatonInbox         *self,
                                                const char         *team_id);
/* "new,in_progress" style, NULL for any status. */
void              baton_inbox_set_statuses     (BatonInbox         *self,
                                                const char         *statuses);
/* every word in the name, number or a message (API.md "Search and a contact's history") */
void              baton_inbox_set_search       (BatonInbox         *self,
                                                const char         *text);
const char       *baton_inbox_get_search       (BatonInbox         *self);
/* the contact's conversations only (their history), or NULL */
void              baton_inbox_set_contact_id   (BatonInbox         *self,
                                                const char         *contact_id);
/* (Re)loads the first page; "loading" is TRUE meanwhile. */
void              baton_inbox_reload           (BatonInbox         *self);
/* Loads the next page, if any (for scrolling). */
void              baton_inbox_load_more        (BatonInbox         *self);
gboolean          baton_inbox_get_loading      (BatonInbox         *self);
gboolean          baton_inbox_get_has_more     (BatonInbox         *self);
BatonInboxItem   *baton_inbox_lookup           (BatonInbox         *self,
                                                const char         *conversation_id);
/* The open and unread conversations of each filter for the agent ("counts"), or NULL. */
BatonConversationCounts *baton_inbox_get_counts (BatonInbox        *self);

G_END_DECLS
