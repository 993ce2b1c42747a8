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
}

void
baton_conversation_unref (BatonConversation *conversation)
{
  g_rc_box_release_full (conversation, (GDestroyNotify) conversation_clear);
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

JsonNode *
baton_conversation_to_json (BatonConversation *conversation)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, conversation->id);
  json_builder_set_member_name (builder, "channel_id");
  json_builder_add_string_value (builder, conversation->channel_id);
  json_builder_set_member_name (builder, "contact");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, conversation->contact_id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, conversation->contact_name);
  json_builder_set_member_name (builder, "phone");
  json_builder_add_string_value (builder,
                                 conversation->contact_phone ? conversation->contact_phone : "");
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, baton_status_to_string (conversation->status));
  baton_json_add_nullable_string (builder, "team_id", conversation->team_id);
  baton_json_add_strv (builder, "assignee_ids",
                       (const char * const *) conversation->assignee_ids);
  baton_json_add_strv (builder, "tags", (const char * const *) conversation->tags);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, conversation->version);
  json_builder_set_member_name (builder, "last_message");
  if (conversation->last_preview)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "preview");
      json_builder_add_string_value (builder, conversation->last_preview);
      json_builder_set_member_name (builder, "direction");
      json_builder_add_string_value (builder, conversation->last_direction);
      baton_json_add_time (builder, "at", conversation->last_at);
      json_builder_end_object (builder);
    }
  else
    {
      json_builder_add_null_value (builder);
    }
  baton_json_add_time (builder, "created_at", conversation->created_at);
  baton_json_add_time (builder, "updated_at", conversation->updated_at);
  baton_json_add_time (builder, "first_response_at", conversation->first_response_at);
  baton_json_add_time (builder, "resolved_at", conversation->resolved_at);
  baton_json_add_time (builder, "window_expires_at", conversation->window_expires_at);
  json_builder_set_member_name (builder, "referral");
  if (conversation->referral)
    json_builder_add_value (builder, json_node_init_object (json_node_alloc (),
                                                            conversation->referral));
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
