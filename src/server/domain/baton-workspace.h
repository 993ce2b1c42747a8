/* baton-workspace.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-agent.h"
#include "baton-clock.h"
#include "baton-contact.h"
#include "baton-conversation.h"
#include "baton-event.h"
#include "baton-flow.h"
#include "baton-message.h"
#include "baton-schedule.h"
#include "baton-session.h"
#include "baton-store.h"
#include "baton-store-conversations.h"
#include "baton-store-seen.h"
#include "baton-store-replies.h"
#include "baton-store-uploads.h"
#include "baton-strategy.h"
#include "baton-team.h"
#include "baton-timers.h"
#include "baton-whatsapp-channel.h"
#include "baton-whatsapp-status.h"

G_BEGIN_DECLS

/* The domain of one workspace: every change goes through here, in one store transaction
 * with the events it causes, which are published once committed. */

#define BATON_TYPE_WORKSPACE (baton_workspace_get_type ())

G_DECLARE_FINAL_TYPE (BatonWorkspace, baton_workspace, BATON, WORKSPACE, GObject)

typedef struct {
  gboolean first_responder_becomes_owner;
  gboolean first_reply_takes_assignment;
  gboolean unassign_on_resolve;
  char *timezone;
} BatonWorkspaceSettings;

/* What an assignment request asks for; unset members stay as they are. */
typedef struct {
  gboolean set_team;
  const char *team_id;
  gboolean set_assignees;
  const char * const *assignee_ids;
  gboolean check_version;
  gint64 expected_version;
} BatonAssignment;

typedef struct {
  const char *from;
  const char *name;
  const char *body;
  const char *external_id;
  gint64 sent_at;
  /* WhatsApp: the sender's wa_id, or NULL and its BSUID in user_id; the contact is found by
   * either (or a former wa_id) before its phone */
  const char *wa_id;
  const char *user_id;
  JsonNode *attachments;
  /* the channel's id of the quoted message */
  const char *quoted_external_id;
  JsonNode *referral;
  /* a message the customer wrote (not a reaction or a system notice): it opens the 24-h
   * window from sent_at */
  gboolean opens_window;
  /* the channel's media behind the attachments: [{id, media_id, mime_type, sha256}] */
  JsonNode *media;
} BatonInbound;

/* An agent's outbound message: text, or a WhatsApp template; a note stays inside. */
typedef struct {
  const char *body;
  gboolean note;
  /* the Baton message id quoted, or NULL */
  const char *in_reply_to;
  const char *template_name;
  const char *template_language;
  const char * const *template_parameters;
  /* the quick-reply buttons' payloads, in order */
  const char * const *template_button_payloads;
  /* the id the agent's app gave the reply, or NULL: a repeat with it sends nothing new */
  const char *client_id;
  /* the agent's uploads it carries (POST /attachments), or NULL */
  const char * const *attachment_ids;
  /* set by the domain: the attachments those uploads become */
  JsonNode *attachments;
} BatonReply;

BatonWorkspace    *baton_workspace_new                (BatonStore        *store,
                                                       BatonClock        *clock);
BatonStore        *baton_workspace_get_store          (BatonWorkspace    *self);
BatonClock        *baton_workspace_get_clock          (BatonWorkspace    *self);
/* every rule reads the workspace's clock: another clock makes what follows happen at its
 * time (the demo writes its history in the past this way) */
void               baton_workspace_set_clock          (BatonWorkspace    *self,
                                                       BatonClock        *clock);
BatonTimers       *baton_workspace_get_timers         (BatonWorkspace    *self);
gint64             baton_workspace_now                (BatonWorkspace    *self);
gboolean           baton_workspace_exists             (BatonWorkspace    *self);
gboolean           baton_workspace_healthy            (BatonWorkspace    *self);
/* This batond's name among the nodes that share its database; HOST-PID by default. */
const char        *baton_workspace_get_node_id        (BatonWorkspace    *self);
void               baton_workspace_set_node_id        (BatonWorkspace    *self,
                                                       const char        *node_id);
/* the store's backend: "sqlite" or "postgresql" */
const char        *baton_workspace_get_backend        (BatonWorkspace    *self);
gboolean           baton_workspace_initialize         (BatonWorkspace    *self,
                                                       const char        *admin_name,
                                                       const char        *admin_email,
                                                       const char        *admin_password,
                                                       GError           **error);

/* Changes. Every change of the workspace is a BatonChange run by baton_workspace_run ():
 * inside one transaction it writes through the store and queues its events, activity lines
 * and notifications (baton_workspace_emit); after the commit, and only then, they are
 * published, queues are drained and the outbox senders woken.
 *
 * A change returns its result (what the caller answers with), or NULL: with error set it
 * failed and everything is rolled back; without, it found nothing to change (a duplicate, an
 * unknown target), which is rolled back too and is not an error. */
typedef gpointer (*BatonChange) (BatonWorkspace  *self,
                                 gpointer         data,
                                 GError         **error);

/* free_result frees a result the commit then refuses */
gpointer           baton_workspace_run                (BatonWorkspace    *self,
                                                       BatonChange        change,
                                                       gpointer           data,
                                                       GDestroyNotify     free_result,
                                                       GError           **error);
/* baton_workspace_run () for a change whose result is not needed: FALSE when it failed */
/* batond's mode: the changes of one turn of the main loop share a transaction, each in a
 * savepoint, committed and published at the start of the next turn (before the sync its
 * answers wait for). Off (the default), each change is its own transaction. Turning it off
 * commits the open turn. */
void               baton_workspace_set_batching       (BatonWorkspace    *self,
                                                       gboolean           batching);
/* commits and publishes the open turn now */
void               baton_workspace_flush              (BatonWorkspace    *self);
gboolean           baton_workspace_apply              (BatonWorkspace    *self,
                                                       BatonChange        change,
                                                       gpointer           data,
                                                       GDestroyNotify     free_result,
                                                       GError           **error);

/* the transaction baton_workspace_run () holds; begin/commit by hand only where a change
 * spans several runs of the main loop is impossible to express as one BatonChange */
gboolean           baton_workspace_begin              (BatonWorkspace    *self,
                                                       GError           **error);
gboolean           baton_workspace_commit             (BatonWorkspace    *self,
                                                       GError           **error);
void               baton_workspace_rollback           (BatonWorkspace    *self);
gboolean           baton_workspace_emit               (BatonWorkspace    *self,
                                                       const char        *type,
                                                       const char        *agent_id,
                                                       JsonNode          *data,
                                                       GError           **error);
gboolean           baton_workspace_emit_text          (BatonWorkspace    *self,
                                                       const char        *type,
                                                       const char        *agent_id,
                                                       char              *text,
                                                       GError           **error);
/* writes the events emitted since the last flush; baton_workspace_run () does it when its
 * change returns, baton_workspace_commit () before it commits */
gboolean           baton_workspace_flush_events       (BatonWorkspace    *self,
                                                       GError           **error);
/* the last event written (in the open transaction, if any) */
gint64             baton_workspace_last_seq           (BatonWorkspace    *self);
/* the last event committed and signalled: what streams and replays may send */
gint64             baton_workspace_published_seq      (BatonWorkspace    *self);
gint64             baton_workspace_first_seq          (BatonWorkspace    *self);
GPtrArray         *baton_workspace_events_since       (BatonWorkspace    *self,
                                                       gint64             since,
                                                       const char        *agent_id,
                                                       guint              limit,
                                                       GError           **error);
void               baton_workspace_prune_events       (BatonWorkspace    *self);

/* loading */
BatonAgent        *baton_workspace_load_agent         (BatonWorkspace    *self,
                                                       const char        *id,
                                                       GError           **error);
GPtrArray         *baton_workspace_list_agents        (BatonWorkspace    *self,
                                                       GError           **error);
BatonTeam         *baton_workspace_load_team          (BatonWorkspace    *self,
                                                       const char        *id,
                                                       GError           **error);
GPtrArray         *baton_workspace_list_teams         (BatonWorkspace    *self,
                                                       GError           **error);
BatonContact      *baton_workspace_load_contact       (BatonWorkspace    *self,
                                                       const char        *id,
                                                       GError           **error);
BatonConversation *baton_workspace_load_conversation  (BatonWorkspace    *self,
                                                       const char        *id,
                                                       GError           **error);
BatonMessage      *baton_workspace_load_message       (BatonWorkspace    *self,
                                                       const char        *id,
                                                       GError           **error);
JsonNode          *baton_workspace_load_channel       (BatonWorkspace    *self,
                                                       const char        *id,
                                                       GError           **error);
gboolean           baton_workspace_load_settings      (BatonWorkspace    *self,
                                                       BatonWorkspaceSettings     *settings,
                                                       GError           **error);
void               baton_workspace_settings_clear               (BatonWorkspaceSettings     *settings);
JsonNode          *baton_workspace_settings_to_json             (BatonWorkspaceSettings     *settings);
gboolean           baton_workspace_agent_exists       (BatonWorkspace    *self,
                                                       const char        *id);
gboolean           baton_workspace_check_agent_ids    (BatonWorkspace    *self,
                                                       const char        *field,
                                                       const char * const *ids,
                                                       GError           **error);

/* emitting the current state of an object */
gboolean           baton_workspace_emit_agent         (BatonWorkspace    *self,
                                                       const char        *id,
                                                       GError           **error);
gboolean           baton_workspace_emit_contact       (BatonWorkspace    *self,
                                                       const char        *id,
                                                       const char        *via,
                                                       GError           **error);
gboolean           baton_workspace_emit_contact_of    (BatonWorkspace    *self,
                                                       BatonContact      *contact,
                                                       const char        *via,
                                                       GError           **error);
gboolean           baton_workspace_touch_conversation (BatonWorkspace    *self,
                                                       const char        *id,
                                                       GError           **error);

/* a change may have made a team member eligible: try the team queues after the commit */
void               baton_workspace_request_drain      (BatonWorkspace    *self);
/* a change queued outbound channel messages: "outbox-queued" is emitted after the commit */
void               baton_workspace_request_outbox     (BatonWorkspace    *self);
void               baton_workspace_channel_saved      (BatonWorkspace    *self,
                                                       const char        *channel_id);

/* no-reply timers (ASSIGNMENT.md §5) */
void               baton_workspace_schedule_reassign  (BatonWorkspace    *self,
                                                       const char        *conversation_id,
                                                       gint64             due_ms);
gboolean           baton_workspace_restore_timers     (BatonWorkspace    *self,
                                                       GError           **error);

/* what the team strategies read of every agent: effective online, load, last assigned, from
 * the rows of the store's routing snapshot (BatonAgentLoadRow) */
GHashTable        *baton_workspace_agent_states       (BatonWorkspace    *self,
                                                       GPtrArray         *loads);

/* presence: effective online = availability online and a live stream, or one within 60 s */
void               baton_workspace_stream_opened      (BatonWorkspace    *self,
                                                       const char        *agent_id);
void               baton_workspace_stream_closed      (BatonWorkspace    *self,
                                                       const char        *agent_id);
/* whether other nodes share the database */
gboolean           baton_workspace_is_shared          (BatonWorkspace    *self);
/* Takes this node's place among the nodes sharing the database, before it serves (nothing
 * when it is the only one) */
void               baton_workspace_cluster_join       (BatonWorkspace    *self);
gboolean           baton_workspace_is_connected       (BatonWorkspace    *self,
                                                       const char        *agent_id);

/* login throttling */
gint64             baton_workspace_throttled_until    (BatonWorkspace    *self,
                                                       const char        *email,
                                                       const char        *address);
void               baton_workspace_record_login_failure (BatonWorkspace  *self,
                                                       const char        *email,
                                                       const char        *address);

/* sessions (baton-workspace-sessions.c); "session-revoked" (token hash) once one ended */
void               baton_workspace_set_session_idle   (BatonWorkspace    *self,
                                                       gint64             idle_ms);
char              *baton_workspace_open_session       (BatonWorkspace    *self,
                                                       const char        *agent_id,
                                                       const char        *address,
                                                       const char        *user_agent,
                                                       GError           **error);
BatonAgent        *baton_workspace_authenticate       (BatonWorkspace    *self,
                                                       const char        *token,
                                                       char             **token_hash);
void               baton_workspace_sign_in_async      (BatonWorkspace    *self,
                                                       const char        *email,
                                                       const char        *password,
                                                       const char        *address,
                                                       const char        *user_agent,
                                                       GAsyncReadyCallback callback,
                                                       gpointer           user_data);
char              *baton_workspace_sign_in_finish     (BatonWorkspace    *self,
                                                       GAsyncResult      *result,
                                                       BatonAgent       **agent,
                                                       gint64            *throttled_until,
                                                       GError           **error);
GPtrArray         *baton_workspace_list_sessions      (BatonWorkspace    *self,
                                                       const char        *agent_id,
                                                       const char        *current_hash,
                                                       GError           **error);
gboolean           baton_workspace_close_session      (BatonWorkspace    *self,
                                                       const char        *agent_id,
                                                       const char        *session_id,
                                                       const char        *token_hash,
                                                       GError           **error);
gboolean           baton_workspace_revoke_sessions    (BatonWorkspace    *self,
                                                       const char        *agent_id,
                                                       const char        *keep_hash,
                                                       GError           **error);

/* contacts (baton-workspace-contacts.c) */
#define BATON_CONTACT_MAX_FIELDS 100

/* a change of a contact; unset members stay as they are */
typedef struct {
  const char *name;
  /* normalized, in order */
  const char * const *tags;
  /* name → string, or null to remove it */
  JsonObject *fields;
} BatonContactPatch;

/* contacts whose name or phone contains text, by name: limit + 1 when there are more */
GPtrArray         *baton_workspace_list_contacts      (BatonWorkspace    *self,
                                                       const char        *text,
                                                       guint              limit,
                                                       guint64            offset,
                                                       GError           **error);
BatonContact      *baton_workspace_update_contact     (BatonWorkspace    *self,
                                                       const char        *id,
                                                       const BatonContactPatch *patch,
                                                       GError           **error);
BatonContact      *baton_workspace_set_contact_owners (BatonWorkspace    *self,
                                                       const char        *id,
                                                       const char * const *owner_ids,
                                                       GError           **error);
char              *baton_workspace_find_contact       (BatonWorkspace    *self,
                                                       const char        *phone,
                                                       GError           **error);
BatonContact      *baton_workspace_add_contact        (BatonWorkspace    *self,
                                                       const char        *phone,
                                                       const BatonContactPatch *patch,
                                                       GError           **error);

/* conversations (baton-workspace-conversations.c) */
BatonConversationPage *baton_workspace_list_conversations (BatonWorkspace *self,
                                                       const BatonConversationQuery *query,
                                                       GError           **error);
/* a page of the conversation's messages, the newest first, before before_id (or from the
 * newest): limit + 1 when there are more */
GPtrArray         *baton_workspace_list_messages      (BatonWorkspace    *self,
                                                       const char        *conversation_id,
                                                       const char        *before_id,
                                                       guint              limit,
                                                       GError           **error);
gboolean           baton_workspace_receive            (BatonWorkspace    *self,
                                                       const char        *channel_id,
                                                       const BatonInbound *inbound,
                                                       char             **message_id,
                                                       char             **conversation_id,
                                                       gboolean          *duplicate,
                                                       GError           **error);
BatonMessage      *baton_workspace_post_message       (BatonWorkspace    *self,
                                                       const char        *conversation_id,
                                                       BatonAgent        *actor,
                                                       const char        *body,
                                                       gboolean           note,
                                                       GError           **error);
/* the new message, or with reply->client_id the one the agent already sent with it (TRUE in
 * *repeated, which may be NULL): it must be of that conversation, else a conflict */
BatonMessage      *baton_workspace_send_reply         (BatonWorkspace    *self,
                                                       const char        *conversation_id,
                                                       BatonAgent        *actor,
                                                       const BatonReply  *reply,
                                                       gboolean          *repeated,
                                                       GError           **error);
/* an agent writes first to a number (E.164, "+…") on a WhatsApp channel: the message, and
 * in conversation the thread it started or continued */
BatonMessage      *baton_workspace_start_conversation (BatonWorkspace    *self,
                                                       const char        *channel_id,
                                                       const char        *to,
                                                       BatonAgent        *actor,
                                                       const BatonReply  *reply,
                                                       BatonConversation **conversation,
                                                       GError           **error);
BatonConversation *baton_workspace_assign             (BatonWorkspace    *self,
                                                       const char        *conversation_id,
                                                       BatonAgent        *actor,
                                                       const BatonAssignment *assignment,
                                                       GError           **error);
BatonConversation *baton_workspace_claim              (BatonWorkspace    *self,
                                                       const char        *conversation_id,
                                                       BatonAgent        *actor,
                                                       GError           **error);
BatonConversation *baton_workspace_resolve            (BatonWorkspace    *self,
                                                       const char        *conversation_id,
                                                       BatonAgent        *actor,
                                                       GError           **error);
BatonConversation *baton_workspace_reopen             (BatonWorkspace    *self,
                                                       const char        *conversation_id,
                                                       BatonAgent        *actor,
                                                       GError           **error);
BatonConversation *baton_workspace_set_tags           (BatonWorkspace    *self,
                                                       const char        *conversation_id,
                                                       const char * const *tags,
                                                       const char        *mode,
                                                       GError           **error);
gboolean           baton_workspace_contact_tag_added  (BatonWorkspace    *self,
                                                       const char        *contact_id,
                                                       const char        *tag,
                                                       GError           **error);
gboolean           baton_workspace_remove_agent       (BatonWorkspace    *self,
                                                       BatonAgent        *actor,
                                                       const char        *agent_id,
                                                       GError           **error);

/* agents (baton-workspace-agents.c) */

/* an agent created, or the members of one that change (NULL: unchanged) */
typedef struct {
  const char *name;
  const char *email;
  const char *role;
  const char *availability;
  const char *password;
} BatonAgentPatch;

gboolean           baton_workspace_check_email_free   (BatonWorkspace    *self,
                                                       const char        *email,
                                                       const char        *except_id,
                                                       GError           **error);
char              *baton_workspace_find_login         (BatonWorkspace    *self,
                                                       const char        *email,
                                                       char             **password_hash,
                                                       GError           **error);
BatonAgent        *baton_workspace_update_agent       (BatonWorkspace    *self,
                                                       const char        *id,
                                                       const BatonAgentPatch *patch,
                                                       GError           **error);
void               baton_workspace_save_agent_async   (BatonWorkspace    *self,
                                                       const char        *id,
                                                       const BatonAgentPatch *patch,
                                                       const char        *keep_token_hash,
                                                       GAsyncReadyCallback callback,
                                                       gpointer           user_data);
BatonAgent        *baton_workspace_save_agent_finish  (BatonWorkspace    *self,
                                                       GAsyncResult      *result,
                                                       GError           **error);
BatonAgent        *baton_workspace_create_agent       (BatonWorkspace    *self,
                                                       const BatonAgentPatch *patch,
                                                       const char        *password_hash,
                                                       GError           **error);

/* channels (baton-workspace-channels.c) */

/* a channel created, or the members of one that change */
typedef struct {
  /* on creation: api or whatsapp */
  const char *kind;
  /* NULL: unchanged */
  const char *name;
  gboolean set_default_team;
  const char *default_team_id;
  gboolean set_default_user;
  const char *default_user_id;
} BatonChannelPatch;

GPtrArray         *baton_workspace_list_channels      (BatonWorkspace    *self,
                                                       GError           **error);
BatonWhatsappChannel *baton_workspace_load_whatsapp_channel (BatonWorkspace *self,
                                                       const char        *id,
                                                       GError           **error);
gboolean           baton_workspace_check_inbound_secret (BatonWorkspace  *self,
                                                       const char        *id,
                                                       const char        *secret,
                                                       GError           **error);
JsonNode          *baton_workspace_create_channel     (BatonWorkspace    *self,
                                                       const BatonChannelPatch *patch,
                                                       BatonWhatsappChannel *whatsapp,
                                                       GError           **error);
JsonNode          *baton_workspace_update_channel     (BatonWorkspace    *self,
                                                       const char        *id,
                                                       const BatonChannelPatch *patch,
                                                       BatonWhatsappChannel *whatsapp,
                                                       GError           **error);
gboolean           baton_workspace_delete_channel     (BatonWorkspace    *self,
                                                       const char        *id,
                                                       GError           **error);
BatonWhatsappChannel *baton_workspace_find_whatsapp_number (BatonWorkspace *self,
                                                       const char        *phone_number_id,
                                                       GError           **error);
/* Every WhatsApp channel with its number and credentials, from memory (kept current by the
 * channel.updated events): a reference of the caller's own to an array nobody changes. */
GPtrArray         *baton_workspace_list_whatsapp_channels (BatonWorkspace *self,
                                                       GError           **error);

/* teams (baton-workspace-teams.c) */
BatonTeam         *baton_workspace_save_team          (BatonWorkspace    *self,
                                                       BatonTeam         *team,
                                                       gboolean           creating,
                                                       GError           **error);
gboolean           baton_workspace_delete_team        (BatonWorkspace    *self,
                                                       const char        *id,
                                                       GError           **error);

/* settings: changes are key, value, key, value, …, NULL; returns the settings' JSON */
JsonNode          *baton_workspace_update_settings    (BatonWorkspace    *self,
                                                       const char * const *changes,
                                                       GError           **error);

/* the workspace's lines of /metrics (conversations by status, messages by kind) */
void               baton_workspace_write_metrics      (BatonWorkspace    *self,
                                                       GString           *text);

/* WhatsApp (baton-workspace-whatsapp.c) */
typedef struct {
  const char *wa_id;
  const char *user_id;
  const char *name;
} BatonWhatsappSender;

/* sent_at: when the customer reacted; an event older than the person's last one on that
 * message (a webhook replayed) changes nothing */
gboolean           baton_workspace_whatsapp_react     (BatonWorkspace    *self,
                                                       const char        *channel_id,
                                                       const BatonWhatsappSender *sender,
                                                       const char        *target_wamid,
                                                       const char        *emoji,
                                                       gint64             sent_at,
                                                       GError           **error);
gboolean           baton_workspace_whatsapp_number_changed (BatonWorkspace *self,
                                                       const char        *channel_id,
                                                       const char        *old_wa_id,
                                                       const char        *new_wa_id,
                                                       const char        *wamid,
                                                       gint64             at,
                                                       GError           **error);
gboolean           baton_workspace_whatsapp_status    (BatonWorkspace    *self,
                                                       const char        *channel_id,
                                                       const BatonWaStatus *status,
                                                       gboolean          *known,
                                                       GError           **error);
/* inside a transaction: an entry for the channel's sender, sent after the commit */
gboolean           baton_workspace_queue_outbox       (BatonWorkspace    *self,
                                                       const char        *channel_id,
                                                       const char        *message_id,
                                                       const char        *kind,
                                                       const char        *recipient,
                                                       JsonNode          *payload,
                                                       GError           **error);
gboolean           baton_workspace_outbox_accepted    (BatonWorkspace    *self,
                                                       gint64             n,
                                                       const char        *message_id,
                                                       const char        *wamid,
                                                       GError           **error);
gboolean           baton_workspace_outbox_failed      (BatonWorkspace    *self,
                                                       gint64             n,
                                                       const char        *message_id,
                                                       JsonNode          *message_error,
                                                       GError           **error);
gboolean           baton_workspace_outbox_set_payload (BatonWorkspace    *self,
                                                       gint64             n,
                                                       JsonNode          *payload,
                                                       GError           **error);
gboolean           baton_workspace_outbox_retry_at    (BatonWorkspace    *self,
                                                       gint64             n,
                                                       gboolean           count_attempt,
                                                       gint64             next_attempt_at,
                                                       GError           **error);
gboolean           baton_workspace_pause_channel      (BatonWorkspace    *self,
                                                       const char        *channel_id,
                                                       const char        *reason,
                                                       GError           **error);
/* The channel's id of the customer's latest message in a WhatsApp conversation, with the
 * channel and whom a read receipt goes to; NULL without error: none. */
char              *baton_workspace_whatsapp_last_inbound (BatonWorkspace *self,
                                                       const char        *conversation_id,
                                                       char             **channel_id,
                                                       char             **recipient,
                                                       GError           **error);
gboolean           baton_workspace_whatsapp_queue_receipt (BatonWorkspace *self,
                                                       const char        *channel_id,
                                                       const char        *recipient,
                                                       JsonNode          *payload,
                                                       GError           **error);
/* the channel's templates as the Graph API lists them, replacing those stored */
gboolean           baton_workspace_whatsapp_save_templates (BatonWorkspace *self,
                                                       const char        *channel_id,
                                                       JsonArray         *templates,
                                                       GError           **error);
char              *baton_whatsapp_error_text          (gint64             code,
                                                       const char        *title,
                                                       const char        *details);
JsonNode          *baton_whatsapp_error_json          (gint64             code,
                                                       const char        *title,
                                                       const char        *details);

/* routing rules (baton-workspace-routing.c) */
void               baton_workspace_flow_lookup        (BatonWorkspace    *self,
                                                       BatonFlowLookup   *lookup);
BatonFlow         *baton_workspace_load_flow          (BatonWorkspace    *self,
                                                       const char        *id,
                                                       GError           **error);
GPtrArray         *baton_workspace_list_flows         (BatonWorkspace    *self,
                                                       GError           **error);
BatonSchedule     *baton_workspace_load_schedule      (BatonWorkspace    *self,
                                                       const char        *id,
                                                       GError           **error);
GPtrArray         *baton_workspace_list_schedules     (BatonWorkspace    *self,
                                                       GError           **error);

/* a flow's dry run (baton-workspace-flow-test.c): what a sample would make it do, resolved
 * against the workspace now; nothing is written */
typedef struct {
  /* NULL: the flow's trigger event and tag */
  const char *event;
  const char *tag;
  const char *text;
  const char *channel_id;
  const char *contact_id;
  /* given: instead of the contact's (a sample without contact has none) */
  const char * const *contact_tags;
  GHashTable *contact_fields;
  /* -1: the contact's (whether it has a conversation) */
  int is_returning;
  gboolean referral;
  /* 0: now */
  gint64 at_ms;
} BatonFlowSample;

JsonNode          *baton_workspace_test_flow          (BatonWorkspace    *self,
                                                       BatonFlow         *flow,
                                                       const BatonFlowSample *sample,
                                                       GError           **error);

/* changes of the routing rules (baton-workspace-rules.c): validated objects, created with a
 * new id or changed; as saved, published */
BatonFlow         *baton_workspace_save_flow          (BatonWorkspace    *self,
                                                       BatonFlow         *flow,
                                                       gboolean           creating,
                                                       GError           **error);
gboolean           baton_workspace_delete_flow        (BatonWorkspace    *self,
                                                       const char        *id,
                                                       GError           **error);
BatonSchedule     *baton_workspace_save_schedule      (BatonWorkspace    *self,
                                                       BatonSchedule     *schedule,
                                                       gboolean           creating,
                                                       GError           **error);
gboolean           baton_workspace_delete_schedule    (BatonWorkspace    *self,
                                                       const char        *id,
                                                       GError           **error);

/* the demo's story and simulated customers (baton-workspace-story.c) */
char              *baton_workspace_set_threads_aside  (BatonWorkspace    *self,
                                                       const char        *contact_id,
                                                       GError           **error);
gboolean           baton_workspace_bring_threads_back (BatonWorkspace    *self,
                                                       const char        *parking_id,
                                                       const char        *contact_id,
                                                       GError           **error);
char              *baton_workspace_find_open_conversation (BatonWorkspace *self,
                                                       const char        *contact_id,
                                                       const char        *channel_id,
                                                       GError           **error);
char              *baton_workspace_latest_whatsapp_conversation (BatonWorkspace *self,
                                                       const char        *channel_id,
                                                       const char        *wa_id,
                                                       GError           **error);
BatonCustomerPick *baton_workspace_pick_customer      (BatonWorkspace    *self,
                                                       gboolean           resolved,
                                                       const char        *kind,
                                                       const char        *phone_number_id,
                                                       GError           **error);

/* read state (baton-workspace-seen.c) */

/* the agent has seen the conversation up to the message: their seen_count as it now stands
 * (it never goes back; a change is published to them as seen.updated) */
BatonSeen         *baton_workspace_mark_seen          (BatonWorkspace    *self,
                                                       const char        *conversation_id,
                                                       const char        *agent_id,
                                                       const char        *message_id,
                                                       GError           **error);
/* BatonSeen: the agent's read state */
GPtrArray         *baton_workspace_list_seen          (BatonWorkspace    *self,
                                                       const char        *agent_id,
                                                       GError           **error);
BatonConversationCounts *baton_workspace_conversation_counts (BatonWorkspace *self,
                                                       const char        *agent_id,
                                                       GError           **error);

/* canned replies (baton-workspace-replies.c): the workspace's and the agent's own */

/* What a create or update gives; NULL members stay as they are (a create needs them all). */
typedef struct {
  const char *shortcut;
  const char *title;
  const char *body;
  /* owner_id given: NULL is the workspace's reply (managers only), else it must be the
   * agent's own id; not given, a create makes the agent's own. An update cannot change it. */
  gboolean owner_given;
  const char *owner_id;
} BatonCannedReplyEdit;

/* BatonCannedReply: the workspace's and the agent's own, by shortcut */
GPtrArray         *baton_workspace_list_replies       (BatonWorkspace    *self,
                                                       const BatonAgent  *agent,
                                                       GError           **error);
/* NOT_FOUND also for another agent's own reply */
BatonCannedReply  *baton_workspace_load_reply         (BatonWorkspace    *self,
                                                       const BatonAgent  *agent,
                                                       const char        *id,
                                                       GError           **error);
BatonCannedReply  *baton_workspace_create_reply       (BatonWorkspace    *self,
                                                       const BatonAgent  *agent,
                                                       const BatonCannedReplyEdit *edit,
                                                       GError           **error);
BatonCannedReply  *baton_workspace_update_reply       (BatonWorkspace    *self,
                                                       const BatonAgent  *agent,
                                                       const char        *id,
                                                       const BatonCannedReplyEdit *edit,
                                                       GError           **error);
gboolean           baton_workspace_delete_reply       (BatonWorkspace    *self,
                                                       const BatonAgent  *agent,
                                                       const char        *id,
                                                       GError           **error);

/* outgoing attachments (baton-workspace-uploads.c) */

/* how long an upload no reply carries is kept */
#define BATON_UPLOAD_LIFETIME_MS ((gint64) 24 * 3600 * 1000)

/* the kind WhatsApp sends a file of this type as (image, video, audio, document) and in
 * *max_size its limit in bytes; NULL: a type WhatsApp cannot send */
const char        *baton_upload_kind                  (const char        *mime_type,
                                                       gint64            *max_size);
/* the Attachment of PROTOCOL.md, with expires_at while unused */
JsonNode          *baton_upload_to_json               (const BatonUpload *upload);
/* the agent's file, kept in media_dir until a reply carries it or it expires; refused
 * (unsupported_media_type, payload_too_large) when WhatsApp cannot send it */
BatonUpload       *baton_workspace_add_upload         (BatonWorkspace    *self,
                                                       const char        *media_dir,
                                                       BatonAgent        *actor,
                                                       const char        *filename,
                                                       const char        *mime_type,
                                                       GBytes            *bytes,
                                                       GError           **error);
/* an upload viewer may fetch: a sent one, or their own; else not found */
BatonUpload       *baton_workspace_get_upload         (BatonWorkspace    *self,
                                                       const char        *id,
                                                       BatonAgent        *viewer,
                                                       GError           **error);
JsonNode          *baton_workspace_reply_attachments  (BatonWorkspace    *self,
                                                       BatonAgent        *actor,
                                                       const char * const *ids,
                                                       GError           **error);
gboolean           baton_workspace_use_uploads        (BatonWorkspace    *self,
                                                       JsonNode          *attachments,
                                                       const char        *message_id,
                                                       GError           **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BatonWorkspaceSettings, baton_workspace_settings_clear)

G_END_DECLS
