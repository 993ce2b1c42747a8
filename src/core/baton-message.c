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
write_node_or (BatonJsonWriter *writer,
               const char      *member,
               JsonNode        *node,
               gboolean         empty_array)
{
  baton_json_writer_member (writer, member);
  if (node || !empty_array)
    {
      baton_json_writer_node (writer, node);
    }
  else
    {
      baton_json_writer_begin_array (writer);
      baton_json_writer_end_array (writer);
    }
}

/* PROTOCOL.md's message object, described once for both kinds of writer. */
void
baton_message_write (BatonMessage    *message,
                     BatonJsonWriter *writer)
{
  baton_json_writer_begin_object (writer);
  baton_json_writer_member (writer, "id");
  baton_json_writer_string (writer, message->id);
  baton_json_writer_member (writer, "conversation_id");
  baton_json_writer_string (writer, message->conversation_id);
  baton_json_writer_member (writer, "kind");
  baton_json_writer_string (writer, baton_message_kind_to_string (message->kind));
  baton_json_writer_member (writer, "author");
  baton_json_writer_begin_object (writer);
  baton_json_writer_member (writer, "type");
  baton_json_writer_string (writer, message->author_type);
  baton_json_writer_member (writer, "id");
  baton_json_writer_string (writer, message->author_id);
  baton_json_writer_member (writer, "name");
  baton_json_writer_string (writer, message->author_name ? message->author_name : "");
  baton_json_writer_end_object (writer);
  baton_json_writer_member (writer, "body");
  baton_json_writer_string (writer, message->body ? message->body : "");
  write_node_or (writer, "attachments", message->attachments, TRUE);
  baton_json_writer_member (writer, "external_id");
  baton_json_writer_string (writer, message->external_id);
  baton_json_writer_member (writer, "in_reply_to");
  baton_json_writer_string (writer, message->in_reply_to);
  write_node_or (writer, "reactions", message->reactions, TRUE);
  baton_json_writer_member (writer, "status");
  baton_json_writer_string (writer, message->status);
  write_node_or (writer, "error", message->error, FALSE);
  write_node_or (writer, "activity", message->activity, FALSE);
  baton_json_writer_member (writer, "created_at");
  baton_json_writer_time (writer, message->created_at);
  if (message->client_id)
    {
      baton_json_writer_member (writer, "client_id");
      baton_json_writer_string (writer, message->client_id);
    }
  baton_json_writer_end_object (writer);
}

JsonNode *
baton_message_to_json (BatonMessage *message)
{
  return baton_json_describe_tree ((BatonJsonDescribe) baton_message_write, message);
}

char *
baton_message_to_text (BatonMessage *message)
{
  return baton_json_describe_text ((BatonJsonDescribe) baton_message_write, message);
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
