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
#include "baton-store.h"
#include "baton-strategy.h"
#include "baton-team.h"
#include "baton-timers.h"

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
} BatonInbound;

BatonWorkspace    *baton_workspace_new                (BatonStore        *store,
                                                       BatonClock        *clock);
BatonStore        *baton_workspace_get_store          (BatonWorkspace    *self);
BatonClock        *baton_workspace_get_clock          (BatonWorkspace    *self);
BatonTimers       *baton_workspace_get_timers         (BatonWorkspace    *self);
gint64             baton_workspace_now                (BatonWorkspace    *self);
gboolean           baton_workspace_exists             (BatonWorkspace    *self);
gboolean           baton_workspace_initialize         (BatonWorkspace    *self,
                                                       const char        *admin_name,
                                                       const char        *admin_email,
                                                       const char        *admin_password,
                                                       GError           **error);

/* transactions and events */
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
gint64             baton_workspace_last_seq           (BatonWorkspace    *self);
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
gboolean           baton_workspace_touch_conversation (BatonWorkspace    *self,
                                                       const char        *id,
                                                       GError           **error);

/* a change may have made a team member eligible: try the team queues after the commit */
void               baton_workspace_request_drain      (BatonWorkspace    *self);

/* no-reply timers (ASSIGNMENT.md §5) */
void               baton_workspace_schedule_reassign  (BatonWorkspace    *self,
                                                       const char        *conversation_id,
                                                       gint64             due_ms);
gboolean           baton_workspace_restore_timers     (BatonWorkspace    *self,
                                                       GError           **error);

/* what the team strategies read of every agent: effective online, load, last assigned */
GHashTable        *baton_workspace_agent_states       (BatonWorkspace    *self,
                                                       GError           **error);

/* presence: effective online = availability online and a live stream, or one within 60 s */
void               baton_workspace_stream_opened      (BatonWorkspace    *self,
                                                       const char        *agent_id);
void               baton_workspace_stream_closed      (BatonWorkspace    *self,
                                                       const char        *agent_id);
gboolean           baton_workspace_is_connected       (BatonWorkspace    *self,
                                                       const char        *agent_id);

/* login throttling */
gint64             baton_workspace_throttled_until    (BatonWorkspace    *self,
                                                       const char        *email,
                                                       const char        *address);
void               baton_workspace_record_login_failure (BatonWorkspace  *self,
                                                       const char        *email,
                                                       const char        *address);

/* conversations (baton-workspace-conversations.c) */
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

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BatonWorkspaceSettings, baton_workspace_settings_clear)

G_END_DECLS
