/* baton-event.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "baton-contact.h"
#include "baton-conversation.h"
#include "baton-message.h"
#include "baton-notification.h"
#include "baton-workspace-config.h"

G_BEGIN_DECLS

#define BATON_TYPE_EVENT (baton_event_get_type ())

/* The event types of PROTOCOL.md §4 and API.md, as one enum: compare kinds, not strings. */
typedef enum {
  BATON_EVENT_UNKNOWN,
  BATON_EVENT_CONVERSATION_CREATED,
  BATON_EVENT_CONVERSATION_UPDATED,
  BATON_EVENT_MESSAGE_CREATED,
  BATON_EVENT_MESSAGE_UPDATED,
  BATON_EVENT_AGENT_UPDATED,
  BATON_EVENT_AGENT_DELETED,
  BATON_EVENT_TEAM_CREATED,
  BATON_EVENT_TEAM_UPDATED,
  BATON_EVENT_TEAM_DELETED,
  BATON_EVENT_CONTACT_UPDATED,
  BATON_EVENT_SETTINGS_UPDATED,
  BATON_EVENT_CHANNEL_UPDATED,
  BATON_EVENT_FLOW_CREATED,
  BATON_EVENT_FLOW_UPDATED,
  BATON_EVENT_FLOW_DELETED,
  BATON_EVENT_SCHEDULE_CREATED,
  BATON_EVENT_SCHEDULE_UPDATED,
  BATON_EVENT_SCHEDULE_DELETED,
  BATON_EVENT_SEEN_UPDATED,
  BATON_EVENT_REPLY_CREATED,
  BATON_EVENT_REPLY_UPDATED,
  BATON_EVENT_REPLY_DELETED,
  BATON_EVENT_NOTIFICATION,
  BATON_EVENT_RESYNC_REQUIRED,
} BatonEventKind;

/* One event of the stream (PROTOCOL.md §4). agent_id names the one agent a notification is
 * for; NULL means every agent. */
typedef struct {
  gint64 seq;
  char *type;
  gint64 at;
  char *agent_id;
  JsonNode *data;
  /* data as JSON text, once written (the server's events are): the frame reuses it */
  char *data_text;
} BatonEvent;

GType       baton_event_get_type  (void) G_GNUC_CONST;
BatonEvent *baton_event_new       (const char *type,
                                   gint64      at,
                                   const char *agent_id,
                                   JsonNode   *data);
BatonEvent *baton_event_ref       (BatonEvent *event);
void        baton_event_unref     (BatonEvent *event);
char       *baton_event_to_string (BatonEvent *event);
BatonEvent *baton_event_from_json (JsonNode   *node);

/* "team.created" and back; an unknown type (a newer server's) is BATON_EVENT_UNKNOWN, which
 * reads as NULL. */
BatonEventKind  baton_event_kind_from_string (const char     *type);
const char     *baton_event_kind_to_string   (BatonEventKind  kind);
BatonEventKind  baton_event_get_kind         (BatonEvent     *event);
/* data.id, or NULL: the object the event is about (for *.deleted, all there is). */
const char     *baton_event_get_object_id    (BatonEvent     *event);
/* channel.updated {id, deleted: true} (API.md): the channel is gone. */
gboolean        baton_event_is_deletion      (BatonEvent     *event);

/* The event's data read as the object its kind carries, or NULL when it carries another
 * (or an unreadable one). */
BatonConversation *baton_event_dup_conversation (BatonEvent *event);
BatonMessage      *baton_event_dup_message      (BatonEvent *event);
BatonContact      *baton_event_dup_contact      (BatonEvent *event);
BatonNotification *baton_event_dup_notification (BatonEvent *event);
BatonWorkspaceConfig *baton_event_dup_workspace_config (BatonEvent *event);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonEvent, baton_event_unref)

G_END_DECLS
