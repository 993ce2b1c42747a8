/* baton-client.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "baton-agent.h"
#include "baton-canned-reply.h"
#include "baton-channel.h"
#include "baton-contact.h"
#include "baton-conversation.h"
#include "baton-event.h"
#include "baton-flow-step.h"
#include "baton-flow.h"
#include "baton-flow-trial.h"
#include "baton-message.h"
#include "baton-schedule.h"
#include "baton-report.h"
#include "baton-seen.h"
#include "baton-session.h"
#include "baton-workspace-config.h"
#include "baton-team.h"
#include "baton-template.h"

G_BEGIN_DECLS

/* One signed-in account on one batond: the REST calls of PROTOCOL.md §3 as _async/_finish
 * pairs, and the event stream of §4, kept connected (exponential backoff with jitter, reset
 * on success; resumed with since=<last seq> so no event is missed; resync_required makes the
 * client emit "resync" so its models reload). No GTK.
 *
 * Properties: "server-url", "token", "me" (BatonAgent, boxed), "state" (BatonClientState).
 * Signals: "event" (BatonEvent *): every stream event, in seq order, exactly once, across
 * reconnects; "resync": events may have been missed (resync_required, or a resume the
 * server refused): reload what you show by REST. */

#define BATON_TYPE_CLIENT (baton_client_get_type ())

G_DECLARE_FINAL_TYPE (BatonClient, baton_client, BATON, CLIENT, GObject)

/* baton-attachment.h (not included here: its BatonContactCard is not the app's) */
typedef struct _BatonAttachment BatonAttachment;

/* How much of a request body is written: written of total bytes. */
typedef void (*BatonClientProgressFunc) (guint64  written,
                                         guint64  total,
                                         gpointer user_data);

typedef enum {
  BATON_CLIENT_STATE_OFFLINE,
  BATON_CLIENT_STATE_CONNECTING,
  BATON_CLIENT_STATE_ONLINE,
  BATON_CLIENT_STATE_AUTH_FAILED,
} BatonClientState;

#define BATON_TYPE_CLIENT_STATE (baton_client_state_get_type ())

GType             baton_client_state_get_type     (void) G_GNUC_CONST;

#define BATON_CLIENT_ERROR (baton_client_error_quark ())

/* Errors of the calls: the protocol's codes, plus transport failures. */
typedef enum {
  BATON_CLIENT_ERROR_UNREACHABLE,
  BATON_CLIENT_ERROR_BAD_REQUEST,
  BATON_CLIENT_ERROR_UNAUTHORIZED,
  BATON_CLIENT_ERROR_FORBIDDEN,
  BATON_CLIENT_ERROR_NOT_FOUND,
  BATON_CLIENT_ERROR_CONFLICT,
  BATON_CLIENT_ERROR_UNPROCESSABLE,
  BATON_CLIENT_ERROR_RATE_LIMITED,
  BATON_CLIENT_ERROR_SERVER,
  BATON_CLIENT_ERROR_INVALID_RESPONSE,
} BatonClientError;

GQuark            baton_client_error_quark        (void);
/* The field of a 422 (error.field), or NULL. */
const char       *baton_client_error_get_field    (const GError        *error);
/* The error's code as the server sent it ("window_closed", "conflict", …), or NULL for
 * transport failures. */
const char       *baton_client_error_get_name     (const GError        *error);
/* An error as an answer of the server makes it: code, its name and field (both nullable). */
GError           *baton_client_error_new          (BatonClientError     code,
                                                   const char          *name,
                                                   const char          *field,
                                                   const char          *message);

BatonClient      *baton_client_new                (const char          *server_url);
const char       *baton_client_get_server_url     (BatonClient         *self);
const char       *baton_client_get_token          (BatonClient         *self);
/* A token kept from an earlier sign-in (silent sign-in); call refresh_me to check it. */
void              baton_client_set_token          (BatonClient         *self,
                                                   const char          *token);
BatonAgent       *baton_client_get_me             (BatonClient         *self);
BatonClientState  baton_client_get_state          (BatonClient         *self);
gint64            baton_client_get_last_seq       (BatonClient         *self);
/* Resumes the stream after this seq on its next connect (e.g. a seq kept from an earlier
 * run); a seq the server no longer has ends in "resync". */
void              baton_client_set_last_seq       (BatonClient         *self,
                                                   gint64               seq);

void              baton_client_login_async        (BatonClient         *self,
                                                   const char          *email,
                                                   const char          *password,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean          baton_client_login_finish       (BatonClient         *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
void              baton_client_logout_async       (BatonClient         *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean          baton_client_logout_finish      (BatonClient         *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
/* GET /me: checks the token and updates "me". */
void              baton_client_refresh_me_async   (BatonClient         *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean          baton_client_refresh_me_finish  (BatonClient         *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

/* GET /me/sessions: the account's sessions (BatonSession), newest first, "current" marking
 * this client's. */
void              baton_client_list_sessions_async   (BatonClient         *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
GPtrArray        *baton_client_list_sessions_finish  (BatonClient         *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
/* DELETE /me/sessions/{id}: signs that session out (its streams close at once). */
void              baton_client_revoke_session_async  (BatonClient         *self,
                                                      const char          *session_id,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean          baton_client_revoke_session_finish (BatonClient         *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* The typed calls of PROTOCOL.md §3 the app uses: one _async/_finish pair each, answering
 * core objects (lists as GPtrArrays of them). Ids go into paths escaped; errors are
 * BATON_CLIENT_ERROR as above. */

/* PUT /me/availability: updates "me" too. */
void              baton_client_set_availability_async  (BatonClient         *self,
                                                        BatonAvailability    availability,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
BatonAgent       *baton_client_set_availability_finish (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* GET /agents, whole (the server does not page it): BatonAgent. */
void              baton_client_list_agents_async       (BatonClient         *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
GPtrArray        *baton_client_list_agents_finish      (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* GET /teams, whole: BatonTeam in the server's order. */
void              baton_client_list_teams_async        (BatonClient         *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
GPtrArray        *baton_client_list_teams_finish       (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* POST /teams (create) and PATCH /teams/{team->id} (update): the team's writable members,
 * 0 counts and NULL users as null. */
void              baton_client_create_team_async       (BatonClient         *self,
                                                        BatonTeam           *team,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
BatonTeam        *baton_client_create_team_finish      (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void              baton_client_update_team_async       (BatonClient         *self,
                                                        BatonTeam           *team,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
BatonTeam        *baton_client_update_team_finish      (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void              baton_client_delete_team_async       (BatonClient         *self,
                                                        const char          *team_id,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean          baton_client_delete_team_finish      (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* Managers' writes to agents. POST /agents with no password: the server chooses one and
 * answers with it once (password out); PATCH /agents/{id} {role}; POST
 * /agents/{id}/password: a new password chosen by the server, the agent's sessions ended;
 * DELETE /agents/{id}. */
void              baton_client_create_agent_async      (BatonClient         *self,
                                                        const char          *name,
                                                        const char          *email,
                                                        BatonRole            role,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
BatonAgent       *baton_client_create_agent_finish     (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        char               **password,
                                                        GError             **error);
void              baton_client_set_agent_role_async    (BatonClient         *self,
                                                        const char          *agent_id,
                                                        BatonRole            role,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
BatonAgent       *baton_client_set_agent_role_finish   (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void              baton_client_reset_agent_password_async  (BatonClient         *self,
                                                            const char          *agent_id,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
BatonAgent       *baton_client_reset_agent_password_finish (BatonClient         *self,
                                                            GAsyncResult        *result,
                                                            char               **password,
                                                            GError             **error);
void              baton_client_delete_agent_async      (BatonClient         *self,
                                                        const char          *agent_id,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean          baton_client_delete_agent_finish     (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* GET /contacts/{id}. */
void              baton_client_get_contact_async       (BatonClient         *self,
                                                        const char          *contact_id,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
BatonContact     *baton_client_get_contact_finish      (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* PATCH /contacts/{id} {tags}: the whole list. */
void              baton_client_set_contact_tags_async  (BatonClient         *self,
                                                        const char          *contact_id,
                                                        const char * const  *tags,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
BatonContact     *baton_client_set_contact_tags_finish (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* PUT /contacts/{id}/owners {owner_ids}. */
void              baton_client_set_contact_owners_async  (BatonClient         *self,
                                                          const char          *contact_id,
                                                          const char * const  *owner_ids,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
BatonContact     *baton_client_set_contact_owners_finish (BatonClient         *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);
/* PATCH /contacts/{id} {name, fields}: name NULL leaves it; fields (NULL: none) maps each key
 * to change to its new value, or to NULL to remove it; the other keys stay. */
void              baton_client_update_contact_async    (BatonClient         *self,
                                                        const char          *contact_id,
                                                        const char          *name,
                                                        GHashTable          *fields,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
BatonContact     *baton_client_update_contact_finish   (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* GET /conversations/{id}. */
void              baton_client_get_conversation_async  (BatonClient         *self,
                                                        const char          *conversation_id,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
BatonConversation *baton_client_get_conversation_finish (BatonClient        *self,
                                                         GAsyncResult       *result,
                                                         GError            **error);
/* GET /conversations/{id}/messages?limit=&before=: BatonMessage, newest first; before may
 * be NULL (the newest page). has_more (may be NULL): an older page exists. */
void              baton_client_list_messages_async     (BatonClient         *self,
                                                        const char          *conversation_id,
                                                        const char          *before,
                                                        guint                limit,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
GPtrArray        *baton_client_list_messages_finish    (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        gboolean            *has_more,
                                                        GError             **error);
/* POST /conversations/{id}/messages {body[, note: true], client_id}: the reply or note
 * written. client_id names this reply (NULL: a new random one): sent again with the same
 * client_id, as after a timeout, it is still written once. */
void              baton_client_send_message_async      (BatonClient         *self,
                                                        const char          *conversation_id,
                                                        const char          *body,
                                                        gboolean             note,
                                                        const char          *client_id,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
BatonMessage     *baton_client_send_message_finish     (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* As baton_client_send_message_async (), with attachments: attachment_ids (may be NULL) are
 * the caller's uploads (baton_client_upload_attachment_async ()), sent in order; body may be
 * NULL when there are some. */
void              baton_client_send_reply_async        (BatonClient         *self,
                                                        const char          *conversation_id,
                                                        const char          *body,
                                                        gboolean             note,
                                                        const char * const  *attachment_ids,
                                                        const char          *client_id,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
BatonMessage     *baton_client_send_reply_finish       (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* POST /attachments?filename=: a file for a reply to carry, as the Attachment the server
 * keeps (its id for attachment_ids). progress_func, when not NULL, is called with the bytes
 * written so far as the body goes out; progress_data must live until the call finishes. */
void              baton_client_upload_attachment_async (BatonClient             *self,
                                                        const char              *filename,
                                                        const char              *content_type,
                                                        GBytes                  *bytes,
                                                        BatonClientProgressFunc  progress_func,
                                                        gpointer                 progress_data,
                                                        GCancellable            *cancellable,
                                                        GAsyncReadyCallback      callback,
                                                        gpointer                 user_data);
BatonAttachment  *baton_client_upload_attachment_finish (BatonClient        *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* POST /conversations/{id}/messages {template: {name, language, parameters}}. */
void              baton_client_send_template_async     (BatonClient         *self,
                                                        const char          *conversation_id,
                                                        const char          *name,
                                                        const char          *language,
                                                        const char * const  *parameters,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
BatonMessage     *baton_client_send_template_finish    (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* PUT /conversations/{id}/assignment: team_id when set_team (NULL: no team), assignee_ids
 * when not NULL, expected_version when 0 or more (a stale one is 409). */
void              baton_client_assign_async            (BatonClient         *self,
                                                        const char          *conversation_id,
                                                        gboolean             set_team,
                                                        const char          *team_id,
                                                        const char * const  *assignee_ids,
                                                        gint64               expected_version,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
BatonConversation *baton_client_assign_finish          (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

typedef enum {
  BATON_CONVERSATION_ACTION_CLAIM,
  BATON_CONVERSATION_ACTION_RESOLVE,
  BATON_CONVERSATION_ACTION_REOPEN,
} BatonConversationAction;

/* POST /conversations/{id}/claim, /resolve or /reopen: the conversation after it. */
void              baton_client_act_async               (BatonClient             *self,
                                                        const char              *conversation_id,
                                                        BatonConversationAction  action,
                                                        GCancellable            *cancellable,
                                                        GAsyncReadyCallback      callback,
                                                        gpointer                 user_data);
BatonConversation *baton_client_act_finish             (BatonClient             *self,
                                                        GAsyncResult            *result,
                                                        GError                 **error);
/* POST /conversations/{id}/read: the customer's WhatsApp messages show as read. */
void              baton_client_mark_read_async         (BatonClient         *self,
                                                        const char          *conversation_id,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean          baton_client_mark_read_finish        (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* GET /attachments/{id}: the media's bytes and, in content_type (may be NULL), its
 * Content-Type without parameters ("image/jpeg"), or NULL when the server sent none. */
void              baton_client_fetch_attachment_async  (BatonClient         *self,
                                                        const char          *attachment_id,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
GBytes           *baton_client_fetch_attachment_finish (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        char               **content_type,
                                                        GError             **error);

/* GET /settings; PATCH /settings with the given fields of settings. */
void              baton_client_get_settings_async      (BatonClient         *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
BatonWorkspaceConfig *baton_client_get_settings_finish    (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void              baton_client_update_settings_async   (BatonClient         *self,
                                                        BatonWorkspaceConfig *settings,
                                                        BatonWorkspaceConfigFields fields,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
BatonWorkspaceConfig *baton_client_update_settings_finish (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* GET /channels, whole: BatonChannel. */
void              baton_client_list_channels_async     (BatonClient         *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
GPtrArray        *baton_client_list_channels_finish    (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* POST /channels (with its kind) and PATCH /channels/{channel->id}. */
void              baton_client_create_channel_async    (BatonClient         *self,
                                                        BatonChannel        *channel,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
BatonChannel     *baton_client_create_channel_finish   (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void              baton_client_update_channel_async    (BatonClient         *self,
                                                        BatonChannel        *channel,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
BatonChannel     *baton_client_update_channel_finish   (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void              baton_client_delete_channel_async    (BatonClient         *self,
                                                        const char          *channel_id,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean          baton_client_delete_channel_finish   (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* GET /channels/{id}/templates: BatonTemplate. */
void              baton_client_list_templates_async    (BatonClient         *self,
                                                        const char          *channel_id,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
GPtrArray        *baton_client_list_templates_finish   (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* Read state (API.md, "Read state") */

/* POST /conversations/{id}/seen: the agent has seen the thread up to the message; the
 * seen_count the server now keeps (it never goes back). */
void              baton_client_mark_seen_async         (BatonClient         *self,
                                                        const char          *conversation_id,
                                                        const char          *message_id,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
BatonSeen        *baton_client_mark_seen_finish        (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* GET /me/seen: BatonSeen, every conversation the agent has marked seen. */
void              baton_client_list_seen_async         (BatonClient         *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
GPtrArray        *baton_client_list_seen_finish        (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* GET /conversations/counts: open and unread conversations for the agent per filter. */
void              baton_client_get_counts_async        (BatonClient         *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
BatonConversationCounts *baton_client_get_counts_finish (BatonClient        *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* GET /replies: BatonCannedReply, the workspace's and the agent's own, by shortcut. */
void              baton_client_list_replies_async      (BatonClient         *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
GPtrArray        *baton_client_list_replies_finish     (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* POST /replies: shortcut, title, body and owner_id (NULL: the workspace's, managers only;
 * else the agent's own id). */
void              baton_client_create_reply_async      (BatonClient         *self,
                                                        BatonCannedReply    *reply,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
BatonCannedReply *baton_client_create_reply_finish     (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* PATCH /replies/{reply->id}: shortcut, title and body. */
void              baton_client_update_reply_async      (BatonClient         *self,
                                                        BatonCannedReply    *reply,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
BatonCannedReply *baton_client_update_reply_finish     (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void              baton_client_delete_reply_async      (BatonClient         *self,
                                                        const char          *reply_id,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean          baton_client_delete_reply_finish     (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* GET /schedules: BatonSchedule, the workspace's business hours. */
void              baton_client_list_schedules_async    (BatonClient         *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
GPtrArray        *baton_client_list_schedules_finish   (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* POST /schedules: name, timezone, weekly and holidays (managers only). */
void              baton_client_create_schedule_async   (BatonClient         *self,
                                                        BatonSchedule       *schedule,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
BatonSchedule    *baton_client_create_schedule_finish  (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* PATCH /schedules/{schedule->id}: name, timezone, weekly and holidays. */
void              baton_client_update_schedule_async   (BatonClient         *self,
                                                        BatonSchedule       *schedule,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
BatonSchedule    *baton_client_update_schedule_finish  (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* DELETE /schedules/{id}: CONFLICT while a flow's time condition names it. */
void              baton_client_delete_schedule_async   (BatonClient         *self,
                                                        const char          *schedule_id,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean          baton_client_delete_schedule_finish  (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* GET /flows: BatonFlow, read as the server gives them (baton_flow_uses_schedule tells which
 * name a schedule). */
void              baton_client_list_flows_async        (BatonClient         *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
GPtrArray        *baton_client_list_flows_finish       (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* The members of a flow a write sends. */
typedef enum {
  BATON_FLOW_MEMBER_NAME     = 1 << 0,
  BATON_FLOW_MEMBER_ENABLED  = 1 << 1,
  BATON_FLOW_MEMBER_POSITION = 1 << 2,
  BATON_FLOW_MEMBER_TRIGGER  = 1 << 3,
  BATON_FLOW_MEMBER_STEPS    = 1 << 4,
  /* what an editor saves: all but the position, which the list decides */
  BATON_FLOW_MEMBERS_EDITED  = BATON_FLOW_MEMBER_NAME | BATON_FLOW_MEMBER_ENABLED
                               | BATON_FLOW_MEMBER_TRIGGER | BATON_FLOW_MEMBER_STEPS,
} BatonFlowMembers;

/* POST /flows: name, enabled, trigger and steps (baton_flow_set_steps); the server puts it
 * last (managers only). */
void              baton_client_create_flow_async       (BatonClient         *self,
                                                        BatonFlow           *flow,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
BatonFlow        *baton_client_create_flow_finish      (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* PATCH /flows/{flow->id}: the members of flow given, such as only ENABLED or POSITION.
 * A 422 names the member in baton_client_error_get_field ("steps[1].then[0].team_id"). */
void              baton_client_update_flow_async       (BatonClient         *self,
                                                        BatonFlow           *flow,
                                                        BatonFlowMembers     members,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
BatonFlow        *baton_client_update_flow_finish      (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* DELETE /flows/{id} */
void              baton_client_delete_flow_async       (BatonClient         *self,
                                                        const char          *flow_id,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean          baton_client_delete_flow_finish      (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* POST /flows/test: a dry run of the flow against the sample (managers only); nothing
 * changes on the server. A flow with an id is the saved one, by id; without, its content
 * (name, trigger, steps) is sent and validated as a save would be: an invalid one fails with
 * the field of the step at fault ("steps[0].then[1].team_id"). */
void              baton_client_test_flow_async         (BatonClient         *self,
                                                        BatonFlow           *flow,
                                                        const BatonFlowTrialSample *sample,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
BatonFlowTrial   *baton_client_test_flow_finish        (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* Reports */

/* GET /reports/summary: the period [from, to) in ms since the epoch (0: the server's
 * default, the 7 days up to now), team_id and agent_id NULL for all. An agent other than a
 * manager gets their own figures only (agent_id must be NULL or theirs). */
void              baton_client_get_report_async        (BatonClient         *self,
                                                        gint64               from,
                                                        gint64               to,
                                                        const char          *team_id,
                                                        const char          *agent_id,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
BatonReport      *baton_client_get_report_finish       (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* GET /reports/summary.csv: the same figures as a CSV file's bytes. */
void              baton_client_get_report_csv_async    (BatonClient         *self,
                                                        gint64               from,
                                                        gint64               to,
                                                        const char          *team_id,
                                                        const char          *agent_id,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
GBytes           *baton_client_get_report_csv_finish   (BatonClient         *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

/* The workspace's agents, teams and channels kept current by the stream (a BatonDirectory,
 * made on first use): one per client, shared by every widget. */
typedef struct _BatonDirectory BatonDirectory;
BatonDirectory   *baton_client_get_directory      (BatonClient         *self);

/* The event stream: started after sign-in, kept up until stop or logout. The first connect
 * of a session starts live, so load what you show by REST once "state" is ONLINE; later
 * connects resume after the last seq seen. A sign-in while the stream runs restarts it for
 * the new session. */
void              baton_client_start_stream       (BatonClient         *self);
void              baton_client_stop_stream        (BatonClient         *self);

G_END_DECLS
