/* baton-operation.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-router.h"
#include "baton-store-messages.h"
#include "baton-strv.h"
#include "baton-workspace-private.h"

G_BEGIN_DECLS

/* Every change to a conversation is a BatonOperation: it remembers the state before, makes
 * its changes, then baton_operation_finish () writes the one activity message the change
 * deserves, bumps the version, and emits the conversation, its new messages and the
 * notifications, in that order, all inside the caller's transaction. */

typedef struct {
  BatonWorkspace *self;
  char *conversation_id;
  BatonConversation *before;
  gboolean created;
  /* the conversation as the store holds it, kept in step by the changes the operation
   * mirrors (a thread started, a message shown, its team, its assignees, a bump), or NULL:
   * read it again. A change the operation does not mirror forgets it. */
  BatonConversation *current;
  /* a thread started (current) that is written with its first message */
  gboolean unsaved;
  /* a window extended (baton_operation_extend_window), written with the next message shown */
  gint64 window_due;
  /* it was put in a queue during the operation: a thread started and never queued has no
   * queued_at to clear when someone gets it */
  gboolean queued;
  /* its contact as last read or written (routing reads it, the change publishes it), or
   * NULL: not known, or changed since */
  BatonContact *contact;
  /* its assignees as last read (routing) or written (baton_operation_set_assignees), or
   * NULL: read them */
  GStrv assignee_ids;

  /* who acts: "agent", "contact" or "system" */
  char *actor_type;
  char *actor_id;
  char *actor_name;

  /* what routing decided, for the activity line */
  char *via;

  /* the flow that decided, for the activity line */
  char *flow_id;
  char *flow_name;

  /* the agent the line is about beside the assignees: who lapsed on a no-reply timeout
   * (after lapsed_minutes), or who was removed from the workspace */
  char *subject_id;
  char *subject_name;
  int lapsed_minutes;

  /* the messages it wrote (BatonMessage), as written */
  GPtrArray *messages;
  GHashTable *notified;
} BatonOperation;

typedef enum {
  BATON_FINISH_DEFAULT = 0,
  /* a customer started a conversation: new_conversation when nobody got it */
  BATON_FINISH_CREATED = 1 << 0,
  /* a customer reopened it: reopened when nobody got it */
  BATON_FINISH_REOPENED = 1 << 1,
  /* a customer wrote in an active conversation: new_message to its assignees */
  BATON_FINISH_NEW_MESSAGE = 1 << 2,
  /* resolving notifies nobody of assignment changes */
  BATON_FINISH_QUIET = 1 << 3,
} BatonFinishFlags;

/* the operation's life (baton-operation.c): init, then load its conversation, change it,
 * and finish inside the caller's transaction */
void               baton_operation_init           (BatonOperation      *op,
                                                   BatonWorkspace      *self,
                                                   const char          *actor_type,
                                                   const char          *actor_id,
                                                   const char          *actor_name);
void               baton_operation_init_agent     (BatonOperation      *op,
                                                   BatonWorkspace      *self,
                                                   BatonAgent          *actor);
void               baton_operation_clear          (BatonOperation      *op);
gboolean           baton_operation_load           (BatonOperation      *op,
                                                   const char          *conversation_id,
                                                   GError             **error);
/* a new conversation of the contact on the channel as it starts: status new, version 1 */
BatonConversation *baton_workspace_new_thread     (BatonWorkspace      *self,
                                                   const char          *channel_id,
                                                   const char          *contact_id);
/* a new thread of the contact on the channel, in memory until its first message; the
 * contact's phone may be NULL when it is not known */
void               baton_operation_start_thread   (BatonOperation      *op,
                                                   const char          *channel_id,
                                                   const char          *contact_id,
                                                   const char          *contact_name,
                                                   const char          *contact_phone);
/* the conversation as the store holds it now: a copy of the caller's own */
BatonConversation *baton_operation_read           (BatonOperation      *op,
                                                   GError             **error);
/* a change the operation does not mirror was written: read the conversation again */
void               baton_operation_forget         (BatonOperation      *op);
gboolean           baton_operation_set_team       (BatonOperation      *op,
                                                   const char          *team_id,
                                                   GError             **error);
/* the customer's latest message opens WhatsApp's window until expires_at (the latest
 * counts), written with the next message the operation shows; the referral that started the
 * thread is kept once */
gboolean           baton_operation_extend_window  (BatonOperation      *op,
                                                   gint64               expires_at,
                                                   GError             **error);
gboolean           baton_operation_set_referral   (BatonOperation      *op,
                                                   JsonNode            *referral,
                                                   GError             **error);
/* what decided, for the activity line */
void               baton_operation_set_via        (BatonOperation      *op,
                                                   const char          *via);
/* every message of a conversation is written here: the new message's id */
char              *baton_operation_insert_message (BatonOperation      *op,
                                                   const char          *channel_id,
                                                   const BatonMessageRow *message,
                                                   GError             **error);
/* the assignees replaced: those kept keep their place, new ones are appended */
gboolean           baton_operation_set_assignees  (BatonOperation      *op,
                                                   const char * const  *agent_ids,
                                                   const char          *via,
                                                   GError             **error);
gboolean           baton_operation_add_assignee   (BatonOperation      *op,
                                                   const char          *agent_id,
                                                   const char          *via,
                                                   GError             **error);
/* resolved by a person or a flow alike (ASSIGNMENT.md §7) */
gboolean           baton_operation_resolve        (BatonOperation      *op,
                                                   GError             **error);
/* the activity line, the version bump, the events and notifications: the conversation after */
BatonConversation *baton_operation_finish         (BatonOperation      *op,
                                                   BatonFinishFlags     flags,
                                                   GError             **error);

/* the agents' names joined for a sentence ("Ana and Ben") */
char              *baton_workspace_agent_names    (BatonWorkspace      *self,
                                                   const char * const  *ids);

/* team picks, queues and no-reply timers (baton-workspace-queues.c) */
gboolean           baton_operation_apply_picks    (BatonOperation      *op,
                                                   BatonDecision       *decision,
                                                   GError             **error);
gboolean           baton_operation_hand_to_team   (BatonOperation      *op,
                                                   const char          *team_id,
                                                   GError             **error);

/* the routing pipeline (baton-workspace-pipeline.c) */
gboolean           baton_operation_route          (BatonOperation      *op,
                                                   const char          *event,
                                                   const char          *tag,
                                                   const char          *message_text,
                                                   gboolean            *contact_changed,
                                                   GError             **error);

/* receiving (baton-workspace-receive.c): the contact an inbound message (or an agent's first
 * message) is for, created when new (TRUE in *changed when it was created or learnt more),
 * and its name now when contact_name is not NULL; with created, the contact when it was
 * created (it has nothing yet beside what the message told), NULL otherwise */
char              *baton_workspace_find_or_create_contact (BatonWorkspace  *self,
                                                   const BatonInbound  *inbound,
                                                   char               **contact_name,
                                                   gboolean            *changed,
                                                   BatonContact       **created,
                                                   GError             **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BatonOperation, baton_operation_clear)

G_END_DECLS
