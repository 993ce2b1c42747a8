/* baton-message.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-message"

#include "config.h"

#include "baton-json.h"
#include "baton-message.h"

G_DEFINE_BOXED_TYPE (BatonMessage, baton_message, baton_message_ref, baton_message_unref)

BatonMessage *
baton_message_new (void)
{
  return g_rc_box_new0 (BatonMessage);
}

BatonMessage *
baton_message_ref (BatonMessage *message)
{
  return g_rc_box_acquire (message);
}

static void
message_clear (BatonMessage *message)
{
  g_free (message->id);
  g_free (message->conversation_id);
  g_free (message->author_type);
  g_free (message->author_id);
  g_free (message->author_name);
  g_free (message->body);
  g_free (message->external_id);
  g_free (message->in_reply_to);
  g_free (message->client_id);
  g_free (message->status);
  g_clear_pointer (&message->attachments, json_node_unref);
  g_clear_pointer (&message->reactions, json_node_unref);
  g_clear_pointer (&message->error, json_node_unref);
  g_clear_pointer (&message->activity, json_node_unref);
}

void
baton_message_unref (BatonMessage *message)
{
  g_rc_box_release_full (message, (GDestroyNotify) message_clear);
}

static void
add_node_or (JsonBuilder *builder,
             const char  *member,
             JsonNode    *node,
             gboolean     empty_array)
{
  json_builder_set_member_name (builder, member);
  if (node)
    {
      json_builder_add_value (builder, json_node_copy (node));
    }
  else if (empty_array)
    {
      json_builder_begin_array (builder);
      json_builder_end_array (builder);
    }
  else
    {
      json_builder_add_null_value (builder);
    }
}

JsonNode *
baton_message_to_json (BatonMessage *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, message->id);
  json_builder_set_member_name (builder, "conversation_id");
  json_builder_add_string_value (builder, message->conversation_id);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, baton_message_kind_to_string (message->kind));
  json_builder_set_member_name (builder, "author");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, message->author_type);
  baton_json_add_nullable_string (builder, "id", message->author_id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, message->author_name ? message->author_name : "");
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "body");
  json_builder_add_string_value (builder, message->body ? message->body : "");
  add_node_or (builder, "attachments", message->attachments, TRUE);
  baton_json_add_nullable_string (builder, "external_id", message->external_id);
  baton_json_add_nullable_string (builder, "in_reply_to", message->in_reply_to);
  add_node_or (builder, "reactions", message->reactions, TRUE);
  baton_json_add_nullable_string (builder, "status", message->status);
  add_node_or (builder, "error", message->error, FALSE);
  add_node_or (builder, "activity", message->activity, FALSE);
  baton_json_add_time (builder, "created_at", message->created_at);
  if (message->client_id)
    {
      json_builder_set_member_name (builder, "client_id");
      json_builder_add_string_value (builder, message->client_id);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Reads an object the server sent; NULL when node is not an object with an id. */
BatonMessage *
baton_message_from_json (JsonNode *node)
{
  JsonObject *object = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonNode *author = NULL;
  BatonMessage *message = NULL;

  if (object == NULL || !json_object_has_member (object, "id"))
    return NULL;
  message = baton_message_new ();
  message->id = baton_json_dup_string (object, "id");
  message->conversation_id = baton_json_dup_string (object, "conversation_id");
  message->kind = MAX (0, baton_message_kind_from_string (baton_json_get_string (object, "kind")));
  author = json_object_get_member (object, "author");
  if (author && JSON_NODE_HOLDS_OBJECT (author))
    {
      message->author_type = baton_json_dup_string (json_node_get_object (author), "type");
      message->author_id = baton_json_dup_string (json_node_get_object (author), "id");
      message->author_name = baton_json_dup_string (json_node_get_object (author), "name");
    }
  message->body = baton_json_dup_string (object, "body");
  message->external_id = baton_json_dup_string (object, "external_id");
  message->in_reply_to = baton_json_dup_string (object, "in_reply_to");
  message->status = baton_json_dup_string (object, "status");
  message->attachments = baton_json_dup_member (object, "attachments");
  message->reactions = baton_json_dup_member (object, "reactions");
  message->error = baton_json_dup_member (object, "error");
  message->activity = baton_json_dup_member (object, "activity");
  message->created_at = baton_json_get_time (object, "created_at");
  message->client_id = baton_json_dup_string (object, "client_id");
  return message;
}

const char *
baton_message_attachments_preview (JsonNode *attachments)
{
  static const struct {
    const char *kind;
    const char *text;
  } previews[] = {
    { "image", "Photo" },
    { "audio", "Audio" },
    { "video", "Video" },
    { "document", "Document" },
    { "sticker", "Sticker" },
    { "location", "Location" },
    { "contacts", "Contact card" },
    { "unsupported", "Unsupported message" },
  };
  JsonArray *array = NULL;
  JsonNode *first = NULL;
  const char *kind = NULL;

  if (attachments == NULL || !JSON_NODE_HOLDS_ARRAY (attachments))
    return "";
  array = json_node_get_array (attachments);
  if (json_array_get_length (array) == 0)
    return "";
  first = json_array_get_element (array, 0);
  if (!JSON_NODE_HOLDS_OBJECT (first))
    return "";
  kind = baton_json_get_string (json_node_get_object (first), "kind");
  for (guint i = 0; i < G_N_ELEMENTS (previews); i++)
    if (g_strcmp0 (kind, previews[i].kind) == 0)
      return previews[i].text;
  return "";
}

int
baton_message_status_rank (const char *status)
{
  static const char *order[] = { "pending", "sent", "failed", "delivered", "read", "played" };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (g_strcmp0 (status, order[i]) == 0)
      return g_str_equal (order[i], "played") ? baton_message_status_rank ("read") : (int) i;
  return -1;
}
