/* baton-store-conversations.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-conversation.h"
#include "baton-store.h"

G_BEGIN_DECLS

/* Conversations: one thread of a contact on a channel, its assignment and its state. */

/* NULL without error: no such conversation */
BatonConversation *baton_store_conversations_get   (BatonStore          *store,
                                                    const char          *id,
                                                    GError             **error);

/* What a list of conversations shows; unset members do not filter. */
typedef struct {
  /* any of */
  const char * const *statuses;
  /* nobody assigned, or one of assignee_ids */
  gboolean unassigned;
  const char * const *assignee_ids;
  const char *team_id;
  /* every word of it (baton_store_search_terms) in the contact's name, phone or WhatsApp id,
   * or in a message of the conversation; more than BATON_SEARCH_MAX_TERMS words: a
   * BATON_ERROR_BAD_REQUEST */
  const char *text;
  /* the contact's conversations */
  const char *contact_id;
  /* the page starts after this position (activity time and id) */
  const char *after_id;
  gint64 after_activity_at;
  guint limit;
} BatonConversationQuery;

typedef struct {
  /* BatonConversation, at most limit, the latest activity first */
  GPtrArray *conversations;
  /* where the next page starts, or NULL: no more */
  char *next_id;
  gint64 next_activity_at;
} BatonConversationPage;

void          baton_conversation_page_free         (BatonConversationPage *page);
BatonConversationPage *baton_store_conversations_list (BatonStore       *store,
                                                    const BatonConversationQuery *query,
                                                    GError             **error);

/* the ids of a contact's conversations, on every channel */
GStrv         baton_store_conversations_of_contact (BatonStore          *store,
                                                    const char          *contact_id,
                                                    GError             **error);

/* the contact's latest conversation on the channel (and its status when status is not NULL),
 * or NULL without error: none */
char         *baton_store_conversations_latest     (BatonStore          *store,
                                                    const char          *contact_id,
                                                    const char          *channel_id,
                                                    char               **status,
                                                    GError             **error);

/* the same, read whole (NULL without error: none) */
BatonConversation *baton_store_conversations_get_latest (BatonStore     *store,
                                                    const char          *contact_id,
                                                    const char          *channel_id,
                                                    GError             **error);

/* the contact's latest conversation on the channel that is not resolved, or NULL without
 * error: none */
char         *baton_store_conversations_find_open  (BatonStore          *store,
                                                    const char          *contact_id,
                                                    const char          *channel_id,
                                                    GError             **error);
/* the contact's active conversations that nobody is assigned, oldest first */
GStrv         baton_store_conversations_unassigned_of_contact (BatonStore *store,
                                                    const char          *contact_id,
                                                    GError             **error);
/* the active conversations the agent is assigned */
GStrv         baton_store_conversations_of_assignee (BatonStore         *store,
                                                    const char          *agent_id,
                                                    GError             **error);

/* a new conversation as it starts: its status, version, last message, window and referral
 * (no team, assignees or tags yet) */
gboolean      baton_store_conversations_insert     (BatonStore          *store,
                                                    const BatonConversation *conversation,
                                                    GError             **error);
/* A message written in a thread, in one statement: the thread shows its preview and
 * direction (an activity line only while the thread has nothing else: replaces_preview
 * FALSE), moves up the list (now), counts a customer's message (inbound), and with bump its
 * version goes up by increment and updated_at is now; a window_expires_at > 0 extends
 * WhatsApp's window to it (the latest counts). */
typedef struct {
  const char *preview;
  const char *direction;
  gint64 at;
  gint64 now;
  gboolean replaces_preview;
  gboolean inbound;
  gboolean bump;
  gint64 increment;
  gint64 window_expires_at;
} BatonShownMessage;

gboolean      baton_store_conversations_show_message (BatonStore        *store,
                                                    const char          *id,
                                                    const BatonShownMessage *shown,
                                                    GError             **error);
/* the version goes up by increment; updated_at is now */
gboolean      baton_store_conversations_bump       (BatonStore          *store,
                                                    const char          *id,
                                                    gint64               increment,
                                                    gint64               now,
                                                    GError             **error);
gboolean      baton_store_conversations_set_team   (BatonStore          *store,
                                                    const char          *id,
                                                    const char          *team_id,
                                                    GError             **error);
/* waiting in its team's queue since queued_at, or 0: in no queue */
gboolean      baton_store_conversations_set_queued (BatonStore          *store,
                                                    const char          *id,
                                                    gint64               queued_at,
                                                    GError             **error);
/* waiting in its team's queue from now, unless it already waits there */
gboolean      baton_store_conversations_enqueue    (BatonStore          *store,
                                                    const char          *id,
                                                    gint64               now,
                                                    GError             **error);
/* queued at now when it has a team and nobody is assigned */
gboolean      baton_store_conversations_requeue_if_unassigned (BatonStore *store,
                                                    const char          *id,
                                                    gint64               now,
                                                    GError             **error);
gboolean      baton_store_conversations_resolve    (BatonStore          *store,
                                                    const char          *id,
                                                    gint64               at,
                                                    GError             **error);
/* resolved no more, with status ("new" or "in_progress") */
gboolean      baton_store_conversations_reopen     (BatonStore          *store,
                                                    const char          *id,
                                                    const char          *status,
                                                    GError             **error);
/* an agent's first reply: a new conversation is in progress */
gboolean      baton_store_conversations_responded  (BatonStore          *store,
                                                    const char          *id,
                                                    gint64               at,
                                                    GError             **error);
/* the customer service window closes at expires_at, unless it already closes later */
gboolean      baton_store_conversations_extend_window (BatonStore       *store,
                                                    const char          *id,
                                                    gint64               expires_at,
                                                    GError             **error);
/* the referral (JSON text) that started the thread, kept once */
gboolean      baton_store_conversations_set_referral (BatonStore        *store,
                                                    const char          *id,
                                                    const char          *referral,
                                                    GError             **error);
gboolean      baton_store_conversations_set_tags   (BatonStore          *store,
                                                    const char          *id,
                                                    const char * const  *tags,
                                                    GError             **error);

/* assignees */
gboolean      baton_store_conversations_add_assignee (BatonStore        *store,
                                                    const char          *id,
                                                    const char          *agent_id,
                                                    gint64               at,
                                                    const char          *via,
                                                    GError             **error);
gboolean      baton_store_conversations_remove_assignee (BatonStore     *store,
                                                    const char          *id,
                                                    const char          *agent_id,
                                                    GError             **error);

/* The no-reply timer (ASSIGNMENT.md §5): due at due_at for agent_id; 0 cancels it. */
gboolean      baton_store_conversations_set_reassign (BatonStore        *store,
                                                    const char          *id,
                                                    gint64               due_at,
                                                    const char          *agent_id,
                                                    GError             **error);
typedef struct {
  char *conversation_id;
  /* the no-reply timer: when, and whom it concerns */
  gint64 due_at;
  char *agent_id;
  /* a queued conversation's team */
  char *team_id;
} BatonPendingConversation;

void          baton_pending_conversation_free      (BatonPendingConversation *pending);
/* the timer of an active conversation: FALSE without error when it has none or is resolved
 * (due_at 0: none armed) */
gboolean      baton_store_conversations_get_reassign (BatonStore        *store,
                                                    const char          *id,
                                                    BatonPendingConversation *timer,
                                                    GError             **error);
/* every armed timer due by due_by (BatonPendingConversation: id and due_at) */
GPtrArray    *baton_store_conversations_timers     (BatonStore          *store,
                                                    gint64               due_by,
                                                    GError             **error);
/* the active conversations waiting in their team's queue with nobody assigned, the oldest
 * first (BatonPendingConversation: id and team_id) */
GPtrArray    *baton_store_conversations_queued     (BatonStore          *store,
                                                    GError             **error);
/* the agent let the no-reply timer lapse on it (read by baton_store_snapshot_routing) */
gboolean      baton_store_conversations_add_lapse  (BatonStore          *store,
                                                    const char          *id,
                                                    const char          *agent_id,
                                                    GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonPendingConversation, baton_pending_conversation_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonConversationPage, baton_conversation_page_free)

/* the team's conversations lose it (and their place in its queue); their ids */
GStrv      baton_store_conversations_detach_team     (BatonStore   *store,
                                                      const char   *team_id,
                                                      GError      **error);
/* the no-reply timers of the team's conversations are off */
gboolean   baton_store_conversations_cancel_reassign (BatonStore   *store,
                                                      const char   *team_id,
                                                      GError      **error);
/* how many conversations came on the channel; -1 when it failed */
gint64     baton_store_conversations_count_channel   (BatonStore   *store,
                                                      const char   *channel_id,
                                                      GError      **error);

/* The demo's story */

/* the contact's conversations become another contact's */
gboolean   baton_store_conversations_move_contact    (BatonStore   *store,
                                                      const char   *from_contact_id,
                                                      const char   *to_contact_id,
                                                      GError      **error);

/* a customer the demo's simulation writes as, and the conversation it writes into */
typedef struct {
  char *channel_id;
  char *phone;
  char *wa_id;
  char *name;
  /* of the conversation's last message */
  char *last_direction;
} BatonCustomerPick;

void       baton_customer_pick_free                  (BatonCustomerPick *pick);
/* an active conversation on a channel of that kind (of that WhatsApp number when
 * phone_number_id is set; with a wa_id on WhatsApp), at random, those whose last message
 * went out first; NULL without an error when there is none */
BatonCustomerPick *baton_store_conversations_pick_open (BatonStore *store,
                                                      const char   *kind,
                                                      const char   *phone_number_id,
                                                      GError      **error);
/* a resolved conversation, its contact's last one on its channel, at random */
BatonCustomerPick *baton_store_conversations_pick_resolved (BatonStore *store,
                                                      const char   *kind,
                                                      GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonCustomerPick, baton_customer_pick_free)

G_END_DECLS
