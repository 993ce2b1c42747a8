/* baton-conversation.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-conversation"

#include "config.h"

#include "baton-conversation.h"
#include "baton-json.h"

G_DEFINE_BOXED_TYPE (BatonConversation, baton_conversation,
                     baton_conversation_ref, baton_conversation_unref)

BatonConversation *
baton_conversation_new (void)
{
  return g_rc_box_new0 (BatonConversation);
}

BatonConversation *
baton_conversation_ref (BatonConversation *conversation)
{
  return g_rc_box_acquire (conversation);
}

static void
conversation_clear (BatonConversation *conversation)
{
  g_free (conversation->id);
  g_free (conversation->channel_id);
  g_free (conversation->contact_id);
  g_free (conversation->contact_name);
  g_free (conversation->contact_phone);
  g_free (conversation->team_id);
  g_strfreev (conversation->assignee_ids);
  g_strfreev (conversation->tags);
  g_free (conversation->last_preview);
  g_free (conversation->last_direction);
  g_clear_pointer (&conversation->referral, json_object_unref);
  g_free (conversation->match);
}

void
baton_conversation_unref (BatonConversation *conversation)
{
  g_rc_box_release_full (conversation, (GDestroyNotify) conversation_clear);
}

/* A copy of its own, which the original's later changes do not reach. */
BatonConversation *
baton_conversation_copy (BatonConversation *conversation)
{
  BatonConversation *copy = baton_conversation_new ();

  *copy = *conversation;
  copy->id = g_strdup (conversation->id);
  copy->channel_id = g_strdup (conversation->channel_id);
  copy->contact_id = g_strdup (conversation->contact_id);
  copy->contact_name = g_strdup (conversation->contact_name);
  copy->contact_phone = g_strdup (conversation->contact_phone);
  copy->team_id = g_strdup (conversation->team_id);
  copy->assignee_ids = g_strdupv (conversation->assignee_ids);
  copy->tags = g_strdupv (conversation->tags);
  copy->last_preview = g_strdup (conversation->last_preview);
  copy->last_direction = g_strdup (conversation->last_direction);
  copy->referral = conversation->referral ? json_object_ref (conversation->referral) : NULL;
  copy->match = g_strdup (conversation->match);
  return copy;
}

gboolean
baton_conversation_is_active (BatonConversation *conversation)
{
  return conversation->status != BATON_STATUS_RESOLVED;
}

gboolean
baton_conversation_has_assignee (BatonConversation *conversation,
                                 const char        *agent_id)
{
  return conversation->assignee_ids != NULL
         && g_strv_contains ((const char * const *) conversation->assignee_ids, agent_id);
}

/* PROTOCOL.md's conversation object, described once for both kinds of writer. */
void
baton_conversation_write (BatonConversation *conversation,
                          BatonJsonWriter   *writer)
{
  baton_json_writer_begin_object (writer);
  baton_json_writer_member (writer, "id");
  baton_json_writer_string (writer, conversation->id);
  baton_json_writer_member (writer, "channel_id");
  baton_json_writer_string (writer, conversation->channel_id);
  baton_json_writer_member (writer, "contact");
  baton_json_writer_begin_object (writer);
  baton_json_writer_member (writer, "id");
  baton_json_writer_string (writer, conversation->contact_id);
  baton_json_writer_member (writer, "name");
  baton_json_writer_string (writer, conversation->contact_name);
  baton_json_writer_member (writer, "phone");
  baton_json_writer_string (writer, conversation->contact_phone ? conversation->contact_phone
                                                                : "");
  baton_json_writer_end_object (writer);
  baton_json_writer_member (writer, "status");
  baton_json_writer_string (writer, baton_status_to_string (conversation->status));
  baton_json_writer_member (writer, "team_id");
  baton_json_writer_string (writer, conversation->team_id);
  baton_json_writer_member (writer, "assignee_ids");
  baton_json_writer_strv (writer, (const char * const *) conversation->assignee_ids);
  baton_json_writer_member (writer, "tags");
  baton_json_writer_strv (writer, (const char * const *) conversation->tags);
  baton_json_writer_member (writer, "version");
  baton_json_writer_int (writer, conversation->version);
  baton_json_writer_member (writer, "inbound_count");
  baton_json_writer_int (writer, conversation->inbound_count);
  baton_json_writer_member (writer, "last_message");
  if (conversation->last_preview)
    {
      baton_json_writer_begin_object (writer);
      baton_json_writer_member (writer, "preview");
      baton_json_writer_string (writer, conversation->last_preview);
      baton_json_writer_member (writer, "direction");
      baton_json_writer_string (writer, conversation->last_direction);
      baton_json_writer_member (writer, "at");
      baton_json_writer_time (writer, conversation->last_at);
      baton_json_writer_end_object (writer);
    }
  else
    {
      baton_json_writer_null (writer);
    }
  baton_json_writer_member (writer, "created_at");
  baton_json_writer_time (writer, conversation->created_at);
  baton_json_writer_member (writer, "updated_at");
  baton_json_writer_time (writer, conversation->updated_at);
  baton_json_writer_member (writer, "activity_at");
  baton_json_writer_time (writer, conversation->activity_at);
  baton_json_writer_member (writer, "first_response_at");
  baton_json_writer_time (writer, conversation->first_response_at);
  baton_json_writer_member (writer, "resolved_at");
  baton_json_writer_time (writer, conversation->resolved_at);
  baton_json_writer_member (writer, "window_expires_at");
  baton_json_writer_time (writer, conversation->window_expires_at);
  baton_json_writer_member (writer, "referral");
  if (conversation->referral)
    {
      g_autoptr(JsonNode) referral = json_node_init_object (json_node_alloc (),
                                                            conversation->referral);

      baton_json_writer_node (writer, referral);
    }
  else
    {
      baton_json_writer_null (writer);
    }
  if (conversation->match)
    {
      baton_json_writer_member (writer, "match");
      baton_json_writer_string (writer, conversation->match);
    }
  baton_json_writer_end_object (writer);
}

JsonNode *
baton_conversation_to_json (BatonConversation *conversation)
{
  return baton_json_describe_tree ((BatonJsonDescribe) baton_conversation_write, conversation);
}

char *
baton_conversation_to_text (BatonConversation *conversation)
{
  return baton_json_describe_text ((BatonJsonDescribe) baton_conversation_write, conversation);
}

/* Reads an object the server sent; NULL when node is not an object with an id. */
BatonConversation *
baton_conversation_from_json (JsonNode *node)
{
  JsonObject *object = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonNode *member = NULL;
  BatonConversation *conversation = NULL;

  if (object == NULL || !json_object_has_member (object, "id"))
    return NULL;
  conversation = baton_conversation_new ();
  conversation->id = baton_json_dup_string (object, "id");
  conversation->channel_id = baton_json_dup_string (object, "channel_id");
  member = json_object_get_member (object, "contact");
  if (member && JSON_NODE_HOLDS_OBJECT (member))
    {
      JsonObject *contact = json_node_get_object (member);

      conversation->contact_id = baton_json_dup_string (contact, "id");
      conversation->contact_name = baton_json_dup_string (contact, "name");
      conversation->contact_phone = baton_json_dup_string (contact, "phone");
    }
  conversation->status = MAX (0, baton_status_from_string (
                                   baton_json_get_string (object, "status")));
  conversation->team_id = baton_json_dup_string (object, "team_id");
  conversation->assignee_ids = baton_json_dup_strv (object, "assignee_ids");
  conversation->tags = baton_json_dup_strv (object, "tags");
  conversation->version = baton_json_get_int (object, "version");
  conversation->inbound_count = baton_json_get_int (object, "inbound_count");
  member = json_object_get_member (object, "last_message");
  if (member && JSON_NODE_HOLDS_OBJECT (member))
    {
      JsonObject *last = json_node_get_object (member);

      conversation->last_preview = baton_json_dup_string (last, "preview");
      conversation->last_direction = baton_json_dup_string (last, "direction");
      conversation->last_at = baton_json_get_time (last, "at");
    }
  conversation->created_at = baton_json_get_time (object, "created_at");
  conversation->updated_at = baton_json_get_time (object, "updated_at");
  conversation->activity_at = baton_json_get_time (object, "activity_at");
  conversation->first_response_at = baton_json_get_time (object, "first_response_at");
  conversation->resolved_at = baton_json_get_time (object, "resolved_at");
  conversation->window_expires_at = baton_json_get_time (object, "window_expires_at");
  member = json_object_get_member (object, "referral");
  if (member && JSON_NODE_HOLDS_OBJECT (member))
    conversation->referral = json_object_ref (json_node_get_object (member));
  conversation->match = baton_json_dup_string (object, "match");
  return conversation;
}
