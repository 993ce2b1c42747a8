/* baton-attachment.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-attachment"

#include "config.h"

#include "baton-attachment.h"
#include "baton-json.h"

G_DEFINE_BOXED_TYPE (BatonAttachment, baton_attachment, baton_attachment_ref,
                     baton_attachment_unref)

static void
contact_card_free (BatonContactCard *card)
{
  g_free (card->formatted_name);
  g_free (card->first_name);
  g_free (card->last_name);
  g_strfreev (card->phones);
  g_free (card);
}

static void
reaction_free (BatonReaction *reaction)
{
  g_free (reaction->emoji);
  g_free (reaction->author);
  g_free (reaction);
}

BatonAttachment *
baton_attachment_ref (BatonAttachment *attachment)
{
  return g_rc_box_acquire (attachment);
}

static void
attachment_clear (BatonAttachment *attachment)
{
  g_free (attachment->id);
  g_free (attachment->kind);
  g_free (attachment->mime_type);
  g_free (attachment->filename);
  g_free (attachment->caption);
  g_free (attachment->url);
  g_free (attachment->choice);
  g_free (attachment->place_name);
  g_free (attachment->address);
  g_free (attachment->place_url);
  g_clear_pointer (&attachment->cards, g_ptr_array_unref);
}

void
baton_attachment_unref (BatonAttachment *attachment)
{
  g_rc_box_release_full (attachment, (GDestroyNotify) attachment_clear);
}

/* A nonempty string member, else NULL. */
static char *
dup_text (JsonObject *object,
          const char *member)
{
  const char *text = baton_json_get_string (object, member);

  return *text ? g_strdup (text) : NULL;
}

static GPtrArray *
read_cards (JsonArray *cards)
{
  GPtrArray *read = g_ptr_array_new_with_free_func ((GDestroyNotify) contact_card_free);

  for (guint i = 0; cards && i < json_array_get_length (cards); i++)
    {
      JsonNode *node = json_array_get_element (cards, i);
      JsonObject *card = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonObject *name = baton_json_get_object (card, "name");
      JsonArray *phones = baton_json_get_array (card, "phones");
      g_autoptr(GStrvBuilder) numbers = g_strv_builder_new ();
      BatonContactCard *read_card = NULL;

      if (card == NULL)
        continue;
      for (guint j = 0; phones && j < json_array_get_length (phones); j++)
        {
          JsonNode *phone = json_array_get_element (phones, j);
          const char *number = JSON_NODE_HOLDS_OBJECT (phone)
                               ? baton_json_get_string (json_node_get_object (phone), "phone") : "";

          if (*number)
            g_strv_builder_add (numbers, number);
        }
      read_card = g_new0 (BatonContactCard, 1);
      read_card->formatted_name = dup_text (name, "formatted_name");
      read_card->first_name = dup_text (name, "first_name");
      read_card->last_name = dup_text (name, "last_name");
      read_card->phones = g_strv_builder_end (numbers);
      g_ptr_array_add (read, read_card);
    }
  return read;
}

static void
read_data (BatonAttachment *attachment,
           JsonObject      *data)
{
  attachment->choice = dup_text (data, "title");
  if (attachment->choice == NULL)
    attachment->choice = dup_text (data, "text");
  attachment->has_position = baton_json_get_double (data, "latitude", &attachment->latitude)
                             && baton_json_get_double (data, "longitude", &attachment->longitude);
  attachment->place_name = dup_text (data, "name");
  attachment->address = dup_text (data, "address");
  attachment->place_url = baton_json_dup_string (data, "url");
  attachment->cards = read_cards (baton_json_get_array (data, "cards"));
}

BatonAttachment *
baton_attachment_from_json (JsonNode *node)
{
  JsonObject *object = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  BatonAttachment *attachment = NULL;
  JsonNode *size = NULL;

  if (object == NULL)
    return NULL;
  attachment = g_rc_box_new0 (BatonAttachment);
  attachment->id = baton_json_dup_string (object, "id");
  attachment->kind = baton_json_dup_string (object, "kind");
  attachment->mime_type = baton_json_dup_string (object, "mime_type");
  attachment->filename = baton_json_dup_string (object, "filename");
  attachment->caption = baton_json_dup_string (object, "caption");
  attachment->url = baton_json_dup_string (object, "url");
  size = json_object_get_member (object, "size");
  attachment->size = size && JSON_NODE_HOLDS_VALUE (size)
                     && json_node_get_value_type (size) == G_TYPE_INT64
                     && json_node_get_int (size) >= 0 ? json_node_get_int (size) : -1;
  read_data (attachment, baton_json_get_object (object, "data"));
  return attachment;
}

static JsonArray *
array_of (JsonNode *node)
{
  return node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

GPtrArray *
baton_message_dup_attachments (BatonMessage *message)
{
  JsonArray *attachments = NULL;
  GPtrArray *read = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_attachment_unref);

  g_return_val_if_fail (message != NULL, read);

  attachments = array_of (message->attachments);
  for (guint i = 0; attachments && i < json_array_get_length (attachments); i++)
    {
      BatonAttachment *attachment = baton_attachment_from_json (
        json_array_get_element (attachments, i));

      if (attachment)
        g_ptr_array_add (read, attachment);
    }
  return read;
}

GPtrArray *
baton_message_dup_reactions (BatonMessage *message)
{
  JsonArray *reactions = NULL;
  GPtrArray *read = g_ptr_array_new_with_free_func ((GDestroyNotify) reaction_free);

  g_return_val_if_fail (message != NULL, read);

  reactions = array_of (message->reactions);
  for (guint i = 0; reactions && i < json_array_get_length (reactions); i++)
    {
      JsonNode *node = json_array_get_element (reactions, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      BatonReaction *reaction = NULL;

      if (*baton_json_get_string (object, "emoji") == '\0')
        continue;
      reaction = g_new0 (BatonReaction, 1);
      reaction->emoji = baton_json_dup_string (object, "emoji");
      reaction->author = baton_json_dup_string (object, "author");
      g_ptr_array_add (read, reaction);
    }
  return read;
}

const char *
baton_message_get_error_text (BatonMessage *message)
{
  JsonObject *error = NULL;

  g_return_val_if_fail (message != NULL, NULL);

  error = message->error && JSON_NODE_HOLDS_OBJECT (message->error)
          ? json_node_get_object (message->error) : NULL;
  return baton_json_peek_string (error, "message");
}
