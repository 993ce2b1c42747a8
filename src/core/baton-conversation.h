/* baton-conversation.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "baton-enums.h"
#include "baton-json-writer.h"

G_BEGIN_DECLS

#define BATON_TYPE_CONVERSATION (baton_conversation_get_type ())

typedef struct {
  char *id;
  char *channel_id;
  char *contact_id;
  char *contact_name;
  char *contact_phone;
  BatonStatus status;
  char *team_id;
  GStrv assignee_ids;
  GStrv tags;
  gint64 version;
  /* the customer's messages so far: unread is this less what an agent has seen */
  gint64 inbound_count;
  /* last_message; NULL preview means none */
  char *last_preview;
  char *last_direction;
  gint64 last_at;
  gint64 created_at;
  gint64 updated_at;
  /* the inbox's order: the last message or change of assignment, status or team */
  gint64 activity_at;
  gint64 first_response_at;
  gint64 resolved_at;
  gint64 window_expires_at;
  JsonObject *referral;
  /* in search results only: words around the search's words in the newest message that has
   * them, when that is not the last message; NULL otherwise */
  char *match;
} BatonConversation;

GType              baton_conversation_get_type     (void) G_GNUC_CONST;
BatonConversation *baton_conversation_new          (void);
BatonConversation *baton_conversation_ref          (BatonConversation *conversation);
void               baton_conversation_unref        (BatonConversation *conversation);
BatonConversation *baton_conversation_copy         (BatonConversation *conversation);
void               baton_conversation_write        (BatonConversation *conversation,
                                                    BatonJsonWriter   *writer);
JsonNode          *baton_conversation_to_json      (BatonConversation *conversation);
/* as baton_json_to_string () writes baton_conversation_to_json (), without the tree */
char              *baton_conversation_to_text      (BatonConversation *conversation);
gboolean           baton_conversation_is_active    (BatonConversation *conversation);
gboolean           baton_conversation_has_assignee (BatonConversation *conversation,
                                                    const char        *agent_id);

BatonConversation *baton_conversation_from_json (JsonNode *node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonConversation, baton_conversation_unref)

G_END_DECLS
