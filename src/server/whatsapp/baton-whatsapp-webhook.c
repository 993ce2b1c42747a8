/* baton-whatsapp-webhook.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-whatsapp"

#include "config.h"

#include <math.h>
#include <string.h>

#include "baton-error.h"
#include "baton-json.h"
#include "baton-whatsapp-webhook.h"

/* The webhook body is read in two steps. baton_json_parse makes the text safe for json-glib
 * (REFERENCE.md §6: \u0000 and lone surrogate escapes become \ufffd, integers beyond int64
 * become doubles) and wants exactly one RFC 8259 value. Then the tree is walked with type
 * checks on every member; a broken item is skipped and counted, only the envelope can fail.
 * Every string kept goes through g_utf8_make_valid, every copied subtree through
 * sanitize(). */

/* Same nesting limit as baton_json_is_strict. */
#define MAX_DEPTH 64
/* Levels kept in a copied subtree (raw messages, cards, referral, Flow responses): the
 * server nests them again in its own JSON, which must stay within MAX_DEPTH. */
#define MAX_COPY_LEVELS 32

#define WABA_OBJECT "whatsapp_business_account"

/* Typed member access: json_object_get_*_member on the wrong type logs a critical */

static JsonNode *
member (JsonObject *object,
        const char *name)
{
  return object ? json_object_get_member (object, name) : NULL;
}

static gboolean
node_is_string (JsonNode *node)
{
  return node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static JsonObject *
get_object (JsonObject *object,
            const char *name)
{
  JsonNode *node = member (object, name);

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
get_array (JsonObject *object,
           const char *name)
{
  JsonNode *node = member (object, name);

  return node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static gboolean
get_bool (JsonObject *object,
          const char *name)
{
  JsonNode *node = member (object, name);

  return node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN
         && json_node_get_boolean (node);
}

static gboolean
has_bool (JsonObject *object,
          const char *name)
{
  JsonNode *node = member (object, name);

  return node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN;
}

static gboolean
present (JsonObject *object,
         const char *name)
{
  JsonNode *node = member (object, name);

  return node && !JSON_NODE_HOLDS_NULL (node);
}

/* Absent, null, or of the JSON type WhatsApp writes it with. */
static gboolean
absent_or (JsonObject *object,
           const char *name,
           GType       type)
{
  JsonNode *node = member (object, name);

  return node == NULL || JSON_NODE_HOLDS_NULL (node)
         || (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type);
}

/* FALSE when one of the NULL-terminated members is there with another type than a string:
 * content written otherwise than WhatsApp writes it is kept whole, never read as empty. */
static gboolean
strings_or_absent (JsonObject *object,
                   ...)
{
  va_list names;
  gboolean valid = TRUE;

  va_start (names, object);
  for (const char *name = va_arg (names, const char *); name && valid;
       name = va_arg (names, const char *))
    valid = absent_or (object, name, G_TYPE_STRING);
  va_end (names);
  return valid;
}

static char *
clean (const char *text)
{
  return text ? g_utf8_make_valid (text, -1) : NULL;
}

static char *
dup_string (JsonObject *object,
            const char *name)
{
  return clean (baton_json_peek_string (object, name));
}

/* An id member (contract 4): TRUE with *value NULL when absent or null, TRUE with the
 * string when it is a non-empty string, FALSE when it is anything else. */
static gboolean
read_id (JsonObject  *object,
         const char  *name,
         const char **value)
{
  JsonNode *node = member (object, name);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!node_is_string (node) || *json_node_get_string (node) == '\0')
    return FALSE;
  *value = json_node_get_string (node);
  return TRUE;
}

/* Decimal digits only, 0 < value < 2^63. */
static gboolean
parse_positive_digits (const char *text,
                       gint64     *value)
{
  guint64 result = 0;

  if (text == NULL || *text == '\0')
    return FALSE;
  for (const char *p = text; *p; p++)
    {
      guint digit;

      if (!g_ascii_isdigit (*p))
        return FALSE;
      digit = (guint) (*p - '0');
      if (result > ((guint64) G_MAXINT64 - digit) / 10)
        return FALSE;
      result = result * 10 + digit;
    }
  if (result == 0)
    return FALSE;
  *value = (gint64) result;
  return TRUE;
}

/* A timestamp or a code: a string of digits or a JSON integer, 0 < t < 2^63. */
static gboolean
read_positive (JsonObject *object,
               const char *name,
               gint64     *value)
{
  JsonNode *node = member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return parse_positive_digits (json_node_get_string (node), value);
  if (json_node_get_value_type (node) == G_TYPE_INT64 && json_node_get_int (node) > 0)
    {
      *value = json_node_get_int (node);
      return TRUE;
    }
  return FALSE;
}

/* A node holding object, taking over the caller's reference. */
static JsonNode *
object_node (JsonObject *object)
{
  JsonNode *node = json_node_init_object (json_node_alloc (), object);

  json_object_unref (object);
  return node;
}

/* A deep copy where every string (member names too) is valid UTF-8 and every number is
 * finite (json-glib would write inf as a bare word); containers below `levels` levels
 * become null. */
static JsonNode *
sanitize_levels (JsonNode *node,
                 guint     levels)
{
  if ((JSON_NODE_HOLDS_OBJECT (node) || JSON_NODE_HOLDS_ARRAY (node)) && levels == 0)
    return json_node_init_null (json_node_alloc ());
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        JsonObject *copy = json_object_new ();
        GList *names = json_object_get_members (object);

        for (GList *l = names; l; l = l->next)
          {
            g_autofree char *name = clean (l->data);

            json_object_set_member (copy, name,
                                    sanitize_levels (json_object_get_member (object, l->data),
                                                     levels - 1));
          }
        g_list_free (names);
        return object_node (copy);
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        JsonArray *copy = json_array_sized_new (json_array_get_length (array));
        JsonNode *result = NULL;

        for (guint i = 0; i < json_array_get_length (array); i++)
          json_array_add_element (copy, sanitize_levels (json_array_get_element (array, i),
                                                         levels - 1));
        result = json_node_init_array (json_node_alloc (), copy);
        json_array_unref (copy);
        return result;
      }
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        {
          g_autofree char *text = clean (json_node_get_string (node));

          return json_node_init_string (json_node_alloc (), text);
        }
      if (json_node_get_value_type (node) == G_TYPE_DOUBLE
          && !isfinite (json_node_get_double (node)))
        return json_node_init_null (json_node_alloc ());
      return json_node_copy (node);
    case JSON_NODE_NULL:
    default:
      return json_node_init_null (json_node_alloc ());
    }
}

static JsonNode *
sanitize (JsonNode *node)
{
  return sanitize_levels (node, MAX_COPY_LEVELS);
}

static JsonNode *
sanitize_object (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return sanitize (node);
}

/* Sets name to the cleaned string, or null. */
static void
set_string (JsonObject *object,
            const char *name,
            const char *value)
{
  if (value)
    {
      g_autofree char *text = clean (value);

      json_object_set_string_member (object, name, text);
    }
  else
    {
      json_object_set_null_member (object, name);
    }
}

/* {code, title, message, details} of a WhatsApp error object */
static JsonNode *
error_node (JsonObject *error)
{
  JsonObject *result = json_object_new ();
  gint64 code = 0;

  read_positive (error, "code", &code);
  json_object_set_int_member (result, "code", code);
  set_string (result, "title", baton_json_peek_string (error, "title"));
  set_string (result, "message", baton_json_peek_string (error, "message"));
  set_string (result, "details",
              baton_json_peek_string (get_object (error, "error_data"), "details"));
  return object_node (result);
}

static JsonObject *
first_error (JsonObject *object)
{
  JsonArray *errors = get_array (object, "errors");
  JsonNode *first = errors && json_array_get_length (errors) > 0
                    ? json_array_get_element (errors, 0) : NULL;

  return first && JSON_NODE_HOLDS_OBJECT (first) ? json_node_get_object (first) : NULL;
}

/* Records */

static void
message_free (gpointer data)
{
  BatonWaMessage *message = data;

  g_free (message->phone_number_id);
  g_free (message->display_phone_number);
  g_free (message->wamid);
  g_free (message->from);
  g_free (message->from_user_id);
  g_free (message->profile_name);
  g_free (message->username);
  g_free (message->type);
  g_free (message->body);
  g_clear_pointer (&message->attachments, json_node_unref);
  g_clear_pointer (&message->data, json_node_unref);
  g_free (message->context_id);
  g_clear_pointer (&message->referral, json_node_unref);
  g_free (message->reaction_to);
  g_free (message->reaction_emoji);
  g_free (message->system_type);
  g_free (message->system_new_wa_id);
  g_free (message->system_new_user_id);
  g_free (message->system_previous_user_id);
  g_free (message);
}

static void
error_free (gpointer data)
{
  BatonWaError *error = data;

  g_free (error->phone_number_id);
  g_free (error->title);
  g_free (error->message);
  g_free (error->details);
  g_free (error);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonWaMessage, message_free)

/* The metadata and contacts of one `messages` change */
typedef struct {
  const char *phone_number_id;
  const char *display_phone_number;
  /* wa_id / user_id -> contacts[] object, first one wins */
  GHashTable *by_wa_id;
  GHashTable *by_user_id;
} Change;

static void
index_contacts (Change     *change,
                JsonObject *value)
{
  JsonArray *contacts = get_array (value, "contacts");

  for (guint i = 0; contacts && i < json_array_get_length (contacts); i++)
    {
      JsonNode *node = json_array_get_element (contacts, i);
      JsonObject *contact = NULL;
      const char *wa_id = NULL;
      const char *user_id = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      contact = json_node_get_object (node);
      wa_id = baton_json_peek_string (contact, "wa_id");
      user_id = baton_json_peek_string (contact, "user_id");
      if (wa_id && !g_hash_table_contains (change->by_wa_id, wa_id))
        g_hash_table_insert (change->by_wa_id, (gpointer) wa_id, contact);
      if (user_id && !g_hash_table_contains (change->by_user_id, user_id))
        g_hash_table_insert (change->by_user_id, (gpointer) user_id, contact);
    }
}

static JsonObject *
data_object (BatonWaMessage *message)
{
  if (message->data == NULL)
    message->data = object_node (json_object_new ());
  return json_node_get_object (message->data);
}

static void
set_attachment (BatonWaMessage *message,
                const char     *kind,
                const char     *mime_type,
                const char     *filename,
                const char     *caption,
                JsonNode       *data,
                const char     *media_id,
                const char     *sha256)
{
  JsonObject *attachment = json_object_new ();
  JsonArray *array = json_array_new ();

  g_clear_pointer (&message->attachments, json_node_unref);
  json_object_set_string_member (attachment, "kind", kind);
  set_string (attachment, "mime_type", mime_type);
  set_string (attachment, "filename", filename);
  set_string (attachment, "caption", caption);
  if (data)
    json_object_set_member (attachment, "data", data);
  else
    json_object_set_null_member (attachment, "data");
  set_string (attachment, "media_id", media_id);
  set_string (attachment, "sha256", sha256);
  json_array_add_object_element (array, attachment);
  message->attachments = json_node_init_array (json_node_alloc (), array);
  json_array_unref (array);
}

/* What reading a message's content gave */
typedef enum {
  CONTENT_READ,
  /* not as WhatsApp writes it (a member of another JSON type, a missing object): the message
   * is kept whole as a placeholder */
  CONTENT_UNREADABLE,
  /* an id that is not a string, coordinates that are not finite numbers in range (contract
   * 4): the item is skipped */
  CONTENT_BROKEN,
} Content;

/* A type whose content cannot be read (unknown, missing, or with members of other JSON
 * types than WhatsApp writes): a placeholder with the message as sent. type is valid
 * UTF-8. */
static void
read_placeholder (BatonWaMessage *message,
                  JsonObject     *object,
                  const char     *type)
{
  JsonObject *data = json_object_new ();

  set_string (data, "type", type);
  if (object)
    json_object_set_member (data, "raw", sanitize_object (object));
  g_free (message->body);
  message->body = g_strdup_printf ("unsupported (%s)", type);
  set_attachment (message, "unsupported", NULL, NULL, NULL, object_node (data), NULL, NULL);
}

static const char * const media_flags[] = { "voice", "animated" };

/* image, video, audio, document, sticker */
static Content
read_media (BatonWaMessage *message,
            JsonObject     *object,
            const char     *type)
{
  JsonObject *media = get_object (object, type);
  const char *media_id = NULL;
  const char *caption = NULL;
  JsonObject *flags = NULL;

  if (media == NULL)
    return CONTENT_UNREADABLE;
  if (!read_id (media, "id", &media_id) || media_id == NULL)
    return CONTENT_BROKEN;
  if (!strings_or_absent (media, "mime_type", "sha256", "caption", "filename", "url", NULL))
    return CONTENT_UNREADABLE;
  for (guint i = 0; i < G_N_ELEMENTS (media_flags); i++)
    if (!absent_or (media, media_flags[i], G_TYPE_BOOLEAN))
      return CONTENT_UNREADABLE;
  caption = baton_json_peek_string (media, "caption");
  message->body = caption ? clean (caption) : g_strdup ("");
  /* voice notes and animated stickers: the flag as sent, on the message and on the
   * attachment */
  for (guint i = 0; i < G_N_ELEMENTS (media_flags); i++)
    {
      const char *flag = media_flags[i];

      if (!has_bool (media, flag))
        continue;
      json_object_set_boolean_member (data_object (message), flag, get_bool (media, flag));
      if (flags == NULL)
        flags = json_object_new ();
      json_object_set_boolean_member (flags, flag, get_bool (media, flag));
    }
  set_attachment (message, type, baton_json_peek_string (media, "mime_type"),
                  g_str_equal (type, "document") ? baton_json_peek_string (media, "filename")
                                                 : NULL,
                  caption, flags ? object_node (flags) : NULL, media_id,
                  baton_json_peek_string (media, "sha256"));
  return CONTENT_READ;
}

/* Absent and null (what a number beyond a double reads as) are no finite number; a string,
 * a boolean or a container is no number at all. */
static Content
read_coordinate (JsonObject *location,
                 const char *name,
                 double      limit,
                 double     *value)
{
  JsonNode *node = member (location, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return CONTENT_BROKEN;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_DOUBLE)
    *value = json_node_get_double (node);
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    *value = (double) json_node_get_int (node);
  else
    return CONTENT_UNREADABLE;
  return isfinite (*value) && *value >= -limit && *value <= limit ? CONTENT_READ
                                                                  : CONTENT_BROKEN;
}

static Content
read_location (BatonWaMessage *message,
               JsonObject     *object)
{
  JsonObject *location = get_object (object, "location");
  JsonObject *data = NULL;
  double latitude = 0, longitude = 0;
  Content content = CONTENT_READ;

  if (location == NULL)
    return CONTENT_UNREADABLE;
  content = MAX (read_coordinate (location, "latitude", 90, &latitude),
                 read_coordinate (location, "longitude", 180, &longitude));
  if (content != CONTENT_READ)
    return content;
  if (!strings_or_absent (location, "name", "address", "url", NULL))
    return CONTENT_UNREADABLE;
  data = json_object_new ();
  json_object_set_double_member (data, "latitude", latitude);
  json_object_set_double_member (data, "longitude", longitude);
  set_string (data, "name", baton_json_peek_string (location, "name"));
  set_string (data, "address", baton_json_peek_string (location, "address"));
  set_string (data, "url", baton_json_peek_string (location, "url"));
  message->body = g_strdup ("");
  set_attachment (message, "location", NULL, NULL, NULL, object_node (data), NULL, NULL);
  return CONTENT_READ;
}

/* FALSE when the cards are not an array of objects */
static gboolean
read_contact_cards (BatonWaMessage *message,
                    JsonObject     *object)
{
  JsonArray *cards = get_array (object, "contacts");
  JsonArray *copies = NULL;
  JsonObject *data = NULL;

  if (cards == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (cards); i++)
    if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (cards, i)))
      return FALSE;
  copies = json_array_new ();
  for (guint i = 0; i < json_array_get_length (cards); i++)
    json_array_add_element (copies, sanitize (json_array_get_element (cards, i)));
  data = json_object_new ();
  json_object_set_array_member (data, "cards", copies);
  message->body = g_strdup ("");
  set_attachment (message, "contacts", NULL, NULL, NULL, object_node (data), NULL, NULL);
  return TRUE;
}

/* response_json: the parsed JSON when it is, else the string as sent */
static JsonNode *
flow_response (JsonObject *reply)
{
  JsonNode *node = member (reply, "response_json");

  if (node_is_string (node))
    {
      const char *text = json_node_get_string (node);
      g_autoptr(JsonNode) parsed = baton_json_parse (text, strlen (text), NULL);

      return sanitize (parsed ? parsed : node);
    }
  if (node && (JSON_NODE_HOLDS_OBJECT (node) || JSON_NODE_HOLDS_ARRAY (node)))
    return sanitize (node);
  return json_node_init_null (json_node_alloc ());
}

/* FALSE when the reply is of no known type or a member has another type */
static gboolean
read_interactive (BatonWaMessage *message,
                  JsonObject     *object)
{
  JsonObject *interactive = get_object (object, "interactive");
  const char *type = baton_json_peek_string (interactive, "type");
  JsonObject *reply = type ? get_object (interactive, type) : NULL;
  JsonNode *response = member (reply, "response_json");
  JsonObject *data = NULL;
  const char *title = NULL;

  if (reply == NULL
      || !(g_str_equal (type, "button_reply") || g_str_equal (type, "list_reply")
           || g_str_equal (type, "nfm_reply"))
      || !strings_or_absent (reply, "id", "title", "description", "name", "body", NULL)
      || !(response == NULL || JSON_NODE_HOLDS_NULL (response) || node_is_string (response)
           || JSON_NODE_HOLDS_OBJECT (response) || JSON_NODE_HOLDS_ARRAY (response)))
    return FALSE;
  data = data_object (message);
  json_object_set_string_member (data, "type", type);
  if (g_str_equal (type, "nfm_reply"))
    {
      const char *body = baton_json_peek_string (reply, "body");

      set_string (data, "name", baton_json_peek_string (reply, "name"));
      set_string (data, "body", body);
      json_object_set_member (data, "response", flow_response (reply));
      message->body = clean (body && *body ? body : "Sent");
      return TRUE;
    }
  title = baton_json_peek_string (reply, "title");
  set_string (data, "id", baton_json_peek_string (reply, "id"));
  set_string (data, "title", title);
  if (g_str_equal (type, "list_reply") && baton_json_peek_string (reply, "description"))
    set_string (data, "description", baton_json_peek_string (reply, "description"));
  message->body = clean (title ? title : "");
  return TRUE;
}

static gboolean
read_button (BatonWaMessage *message,
             JsonObject     *object)
{
  JsonObject *button = get_object (object, "button");
  const char *text = baton_json_peek_string (button, "text");
  JsonObject *data = NULL;

  if (button == NULL || !strings_or_absent (button, "payload", "text", NULL))
    return FALSE;
  data = data_object (message);
  json_object_set_string_member (data, "type", "button");
  set_string (data, "payload", baton_json_peek_string (button, "payload"));
  set_string (data, "text", text);
  message->body = clean (text ? text : "");
  return TRUE;
}

static Content
read_reaction (BatonWaMessage *message,
               JsonObject     *object)
{
  JsonObject *reaction = get_object (object, "reaction");
  const char *message_id = NULL;
  const char *emoji = baton_json_peek_string (reaction, "emoji");

  if (reaction == NULL)
    return CONTENT_UNREADABLE;
  if (!read_id (reaction, "message_id", &message_id) || message_id == NULL)
    return CONTENT_BROKEN;
  if (!strings_or_absent (reaction, "emoji", NULL))
    return CONTENT_UNREADABLE;
  message->reaction_to = clean (message_id);
  /* absent (or empty) when the customer removed the reaction */
  message->reaction_emoji = emoji && *emoji ? clean (emoji) : NULL;
  message->body = g_strdup ("");
  return CONTENT_READ;
}

/* FALSE when there is no system object or a member has another type */
static gboolean
read_system (BatonWaMessage *message,
             JsonObject     *object)
{
  JsonObject *system = get_object (object, "system");
  const char *type = baton_json_peek_string (system, "type");
  const char *new_wa_id = baton_json_peek_string (system, "wa_id");
  const char *new_user_id = baton_json_peek_string (system, "user_id");
  const char *body = baton_json_peek_string (system, "body");

  if (system == NULL
      || !strings_or_absent (system, "type", "wa_id", "user_id", "body", "new_wa_id",
                             "new_user_id", "previous_user_id", NULL))
    return FALSE;
  /* customer_changed_number and new_wa_id are the older spelling */
  if (type && g_str_equal (type, "customer_changed_number"))
    type = "user_changed_number";
  message->system_type = clean (type);
  message->system_new_wa_id = clean (new_wa_id ? new_wa_id
                                               : baton_json_peek_string (system, "new_wa_id"));
  message->system_new_user_id = clean (new_user_id
                                       ? new_user_id
                                       : baton_json_peek_string (system, "new_user_id"));
  message->system_previous_user_id = dup_string (system, "previous_user_id");
  message->body = clean (body ? body : "");
  return TRUE;
}

static void
read_unsupported (BatonWaMessage *message,
                  JsonObject     *object)
{
  const char *sent = baton_json_peek_string (get_object (object, "unsupported"), "type");
  g_autofree char *type = clean (sent && *sent ? sent : "unknown");
  JsonObject *data = json_object_new ();

  json_object_set_string_member (data, "type", type);
  message->body = g_strdup_printf ("unsupported (%s)", type);
  set_attachment (message, "unsupported", NULL, NULL, NULL, object_node (data), NULL, NULL);
}

static Content
content_if (gboolean read)
{
  return read ? CONTENT_READ : CONTENT_UNREADABLE;
}

/* The content of one message by type. */
static Content
read_content (BatonWaMessage *message,
              JsonObject     *object,
              const char     *type)
{
  if (g_str_equal (type, "text"))
    {
      message->body = dup_string (get_object (object, "text"), "body");
      return content_if (message->body != NULL);
    }
  if (g_str_equal (type, "image") || g_str_equal (type, "video") || g_str_equal (type, "audio")
      || g_str_equal (type, "document") || g_str_equal (type, "sticker"))
    return read_media (message, object, type);
  if (g_str_equal (type, "location"))
    return read_location (message, object);
  if (g_str_equal (type, "reaction"))
    return read_reaction (message, object);
  if (g_str_equal (type, "contacts"))
    return content_if (read_contact_cards (message, object));
  if (g_str_equal (type, "interactive"))
    return content_if (read_interactive (message, object));
  if (g_str_equal (type, "button"))
    return content_if (read_button (message, object));
  if (g_str_equal (type, "system"))
    return content_if (read_system (message, object));
  if (g_str_equal (type, "unsupported"))
    read_unsupported (message, object);
  else
    read_placeholder (message, object, type);
  return CONTENT_READ;
}

static void
read_context (BatonWaMessage *message,
              JsonObject     *object)
{
  JsonObject *context = get_object (object, "context");
  gboolean forwarded = get_bool (context, "forwarded");
  gboolean frequently = get_bool (context, "frequently_forwarded");

  message->context_id = dup_string (context, "id");
  if (message->context_id && *message->context_id == '\0')
    g_clear_pointer (&message->context_id, g_free);
  if (forwarded || frequently)
    {
      JsonObject *data = data_object (message);

      json_object_set_boolean_member (data, "forwarded", TRUE);
      json_object_set_boolean_member (data, "frequently_forwarded", frequently);
    }
}

static BatonWaMessage *
read_message (const Change *change,
              JsonObject   *object)
{
  g_autoptr(BatonWaMessage) message = g_new0 (BatonWaMessage, 1);
  const char *wamid = NULL, *from = NULL, *from_user_id = NULL;
  const char *type = baton_json_peek_string (object, "type");
  JsonObject *contact = NULL;
  JsonObject *referral = get_object (object, "referral");
  JsonObject *error = first_error (object);
  Content content = CONTENT_READ;

  if (!read_id (object, "id", &wamid) || wamid == NULL
      || !read_id (object, "from", &from) || !read_id (object, "from_user_id", &from_user_id)
      || (from == NULL && from_user_id == NULL)
      || !read_positive (object, "timestamp", &message->timestamp)
      || type == NULL || *type == '\0')
    return NULL;

  message->phone_number_id = clean (change->phone_number_id);
  message->display_phone_number = clean (change->display_phone_number);
  message->wamid = clean (wamid);
  message->from = clean (from);
  message->from_user_id = clean (from_user_id);
  message->type = clean (type);

  read_context (message, object);
  content = read_content (message, object, message->type);
  if (content == CONTENT_BROKEN)
    return NULL;
  /* Content that cannot be read is kept as sent, for the agent to see: never an empty
   * message. */
  if (content == CONTENT_UNREADABLE)
    read_placeholder (message, object, message->type);

  if (from)
    contact = g_hash_table_lookup (change->by_wa_id, from);
  if (contact == NULL && from_user_id)
    contact = g_hash_table_lookup (change->by_user_id, from_user_id);
  if (contact)
    {
      JsonObject *profile = get_object (contact, "profile");

      message->profile_name = dup_string (profile, "name");
      message->username = dup_string (profile, "username");
    }
  if (referral)
    message->referral = sanitize_object (referral);
  if (error)
    read_positive (error, "code", &message->error_code);
  /* corpus contract 9: reactions and system notes are not the customer writing */
  message->opens_window = !g_str_equal (type, "reaction") && !g_str_equal (type, "system");
  return g_steal_pointer (&message);
}

static BatonWaStatus *
read_status (const Change *change,
             JsonObject   *object)
{
  BatonWaStatus *status = NULL;
  const char *wamid = NULL;
  const char *state = baton_json_peek_string (object, "status");
  JsonObject *conversation = get_object (object, "conversation");
  JsonObject *pricing = get_object (object, "pricing");
  JsonObject *error = first_error (object);
  gint64 timestamp = 0;

  if (!read_id (object, "id", &wamid) || wamid == NULL || state == NULL || *state == '\0'
      || !read_positive (object, "timestamp", &timestamp))
    return NULL;
  status = g_new0 (BatonWaStatus, 1);
  status->phone_number_id = clean (change->phone_number_id);
  status->wamid = clean (wamid);
  status->status = clean (state);
  status->timestamp = timestamp;
  status->recipient_id = dup_string (object, "recipient_id");
  status->recipient_user_id = dup_string (object, "recipient_user_id");
  status->conversation = conversation ? sanitize_object (conversation) : NULL;
  status->pricing = pricing ? sanitize_object (pricing) : NULL;
  status->error = error ? error_node (error) : NULL;
  return status;
}

static BatonWaError *
read_error (const Change *change,
            JsonObject   *object)
{
  BatonWaError *error = g_new0 (BatonWaError, 1);

  error->phone_number_id = clean (change->phone_number_id);
  read_positive (object, "code", &error->code);
  error->title = dup_string (object, "title");
  error->message = dup_string (object, "message");
  error->details = dup_string (get_object (object, "error_data"), "details");
  return error;
}

/* The elements of value[name]; a member that is present but not an array is one broken item. */
static JsonArray *
items (BatonWaBatch *batch,
       JsonObject   *value,
       const char   *name)
{
  JsonArray *array = get_array (value, name);

  if (array == NULL && present (value, name))
    batch->skipped_items++;
  return array;
}

static JsonObject *
item_object (JsonArray *array,
             guint      index)
{
  JsonNode *node = json_array_get_element (array, index);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static void
read_change (BatonWaBatch *batch,
             GHashTable   *seen_numbers,
             JsonObject   *value)
{
  g_autoptr(GHashTable) by_wa_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) by_user_id = g_hash_table_new (g_str_hash, g_str_equal);
  JsonObject *metadata = get_object (value, "metadata");
  Change change = { NULL, NULL, by_wa_id, by_user_id };
  JsonArray *messages = items (batch, value, "messages");
  JsonArray *statuses = items (batch, value, "statuses");
  JsonArray *errors = items (batch, value, "errors");
  gboolean routable = read_id (metadata, "phone_number_id", &change.phone_number_id)
                      && change.phone_number_id != NULL;

  change.display_phone_number = baton_json_peek_string (metadata, "display_phone_number");
  if (routable && !g_hash_table_contains (seen_numbers, change.phone_number_id))
    {
      g_hash_table_add (seen_numbers, (gpointer) change.phone_number_id);
      g_ptr_array_add (batch->phone_number_ids, clean (change.phone_number_id));
    }
  /* without a phone_number_id nothing can be routed: every message and status is broken */
  if (!routable)
    {
      batch->skipped_items += messages ? json_array_get_length (messages) : 0;
      batch->skipped_items += statuses ? json_array_get_length (statuses) : 0;
      messages = statuses = NULL;
      change.phone_number_id = NULL;
    }
  index_contacts (&change, value);

  for (guint i = 0; messages && i < json_array_get_length (messages); i++)
    {
      JsonObject *object = item_object (messages, i);
      BatonWaMessage *message = object ? read_message (&change, object) : NULL;

      if (message)
        g_ptr_array_add (batch->messages, message);
      else
        batch->skipped_items++;
    }
  for (guint i = 0; statuses && i < json_array_get_length (statuses); i++)
    {
      JsonObject *object = item_object (statuses, i);
      BatonWaStatus *status = object ? read_status (&change, object) : NULL;

      if (status)
        g_ptr_array_add (batch->statuses, status);
      else
        batch->skipped_items++;
    }
  for (guint i = 0; errors && i < json_array_get_length (errors); i++)
    {
      JsonObject *object = item_object (errors, i);

      if (object)
        g_ptr_array_add (batch->errors, read_error (&change, object));
      else
        batch->skipped_items++;
    }
}

static void
read_entry (BatonWaBatch *batch,
            GHashTable   *seen_numbers,
            JsonObject   *entry)
{
  JsonArray *changes = items (batch, entry, "changes");

  for (guint i = 0; changes && i < json_array_get_length (changes); i++)
    {
      JsonObject *change = item_object (changes, i);
      const char *field = baton_json_peek_string (change, "field");
      JsonObject *value = get_object (change, "value");

      if (change == NULL)
        batch->skipped_items++;
      else if (field == NULL || !g_str_equal (field, "messages"))
        batch->ignored_changes++;
      else if (value == NULL)
        batch->skipped_items++;
      else
        read_change (batch, seen_numbers, value);
    }
}

/* The only refusals: a body that is not an object, or whose entry is not an array. */
static gboolean
check_envelope (gboolean   is_object,
                gboolean   entry_is_array,
                GError   **error)
{
  if (!is_object)
    {
      g_set_error_literal (error, BATON_ERROR, BATON_ERROR_BAD_REQUEST,
                           "The body must be a JSON object");
      return FALSE;
    }
  if (!entry_is_array)
    {
      g_set_error_literal (error, BATON_ERROR, BATON_ERROR_BAD_REQUEST,
                           "entry must be an array");
      return FALSE;
    }
  return TRUE;
}

gboolean
baton_wa_batch_check (const char  *body,
                      gsize        length,
                      GError     **error)
{
  BatonJsonOutline outline = { 0 };

  if (!baton_json_outline (body, length, "entry", &outline, error))
    return FALSE;
  if (!outline.exact)
    {
      g_autoptr(BatonWaBatch) batch = baton_wa_batch_parse (body, length, error);

      return batch != NULL;
    }
  return check_envelope (outline.kind == '{',
                         outline.member_kind == 0 || outline.member_kind == '[', error);
}

BatonWaBatch *
baton_wa_batch_parse (const char  *body,
                      gsize        length,
                      GError     **error)
{
  g_autoptr(JsonNode) root = baton_json_parse (body, length, error);
  g_autoptr(BatonWaBatch) batch = NULL;
  g_autoptr(GHashTable) seen_numbers = NULL;
  JsonObject *top = NULL;
  JsonNode *entry = NULL;
  const char *object = NULL;
  JsonArray *entries = NULL;

  if (root == NULL)
    return NULL;
  top = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  entry = top ? json_object_get_member (top, "entry") : NULL;
  if (!check_envelope (top != NULL, entry == NULL || JSON_NODE_HOLDS_ARRAY (entry), error))
    return NULL;

  batch = g_new0 (BatonWaBatch, 1);
  batch->messages = g_ptr_array_new_with_free_func (message_free);
  batch->statuses = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_wa_status_free);
  batch->errors = g_ptr_array_new_with_free_func (error_free);
  batch->phone_number_ids = g_ptr_array_new_with_free_func (g_free);

  object = baton_json_peek_string (top, "object");
  if (object == NULL || !g_str_equal (object, WABA_OBJECT) || entry == NULL)
    return g_steal_pointer (&batch);

  seen_numbers = g_hash_table_new (g_str_hash, g_str_equal);
  entries = json_node_get_array (entry);
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry_object = item_object (entries, i);

      if (entry_object)
        read_entry (batch, seen_numbers, entry_object);
      else
        batch->skipped_items++;
    }
  return g_steal_pointer (&batch);
}

void
baton_wa_batch_free (BatonWaBatch *batch)
{
  if (batch == NULL)
    return;
  g_ptr_array_unref (batch->messages);
  g_ptr_array_unref (batch->statuses);
  g_ptr_array_unref (batch->errors);
  g_ptr_array_unref (batch->phone_number_ids);
  g_free (batch);
}
