/* test-whatsapp-webhook.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-error.h"
#include "baton-json.h"
#include "baton-test-helpers.h"
#include "baton-whatsapp-webhook.h"
#include "whatsapp-corpus.h"

/* The WhatsApp webhook parser against every webhook file of the corpus
 * (tests/fixtures/whatsapp, the expected effects of its README) and hostile bodies:
 * mistyped ids, overflowing timestamps, non-finite coordinates, \u0000, lone surrogates,
 * deep nesting, duplicate keys, broken arrays. */

#define DISPLAY_A "15557014422"
#define OUT_UNKNOWN "wamid.HBgLMTIwNjU1NTAxNzcVAgARGBJGMUExQ0YzNjkyMTNEQUQ2MzUA"

/* Helpers */

static void
assert_valid_string (const char *text)
{
  if (text)
    g_assert_true (g_utf8_validate (text, -1, NULL));
}

/* A record's JSON serialises to strict RFC 8259 JSON in valid UTF-8. */
static void
assert_valid_node (JsonNode *node)
{
  g_autofree char *text = NULL;

  if (node == NULL)
    return;
  text = json_to_string (node, FALSE);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_true (baton_json_is_strict (text, strlen (text)));
}

/* Every string of every record is valid UTF-8, every node valid JSON. */
static void
assert_batch_valid (BatonWaBatch *batch)
{
  for (guint i = 0; i < batch->messages->len; i++)
    {
      BatonWaMessage *message = g_ptr_array_index (batch->messages, i);
      const char *strings[] = {
        message->display_phone_number, message->from, message->from_user_id,
        message->profile_name, message->username, message->context_id, message->reaction_to,
        message->reaction_emoji, message->system_type, message->system_new_wa_id,
        message->system_new_user_id, message->system_previous_user_id,
      };

      g_assert_nonnull (message->phone_number_id);
      g_assert_nonnull (message->wamid);
      g_assert_nonnull (message->type);
      g_assert_nonnull (message->body);
      g_assert_true (message->from || message->from_user_id);
      g_assert_cmpint (message->timestamp, >, 0);
      assert_valid_string (message->phone_number_id);
      assert_valid_string (message->wamid);
      assert_valid_string (message->type);
      assert_valid_string (message->body);
      for (guint j = 0; j < G_N_ELEMENTS (strings); j++)
        assert_valid_string (strings[j]);
      assert_valid_node (message->attachments);
      assert_valid_node (message->data);
      assert_valid_node (message->referral);
    }
  for (guint i = 0; i < batch->statuses->len; i++)
    {
      BatonWaStatus *status = g_ptr_array_index (batch->statuses, i);

      g_assert_nonnull (status->phone_number_id);
      g_assert_nonnull (status->wamid);
      g_assert_nonnull (status->status);
      g_assert_cmpint (status->timestamp, >, 0);
      assert_valid_string (status->phone_number_id);
      assert_valid_string (status->wamid);
      assert_valid_string (status->status);
      assert_valid_string (status->recipient_id);
      assert_valid_string (status->recipient_user_id);
      assert_valid_node (status->conversation);
      assert_valid_node (status->pricing);
      assert_valid_node (status->error);
    }
  for (guint i = 0; i < batch->errors->len; i++)
    {
      BatonWaError *error = g_ptr_array_index (batch->errors, i);

      assert_valid_string (error->phone_number_id);
      assert_valid_string (error->title);
      assert_valid_string (error->message);
      assert_valid_string (error->details);
    }
  for (guint i = 0; i < batch->phone_number_ids->len; i++)
    assert_valid_string (g_ptr_array_index (batch->phone_number_ids, i));
}

static BatonWaBatch *
parse_text (const char *body,
            gsize       length)
{
  g_autoptr(GError) error = NULL;
  BatonWaBatch *batch = NULL;

  /* the check a webhook's answer waits for agrees with the parse */
  g_assert_true (baton_wa_batch_check (body, length, &error));
  g_assert_no_error (error);
  batch = baton_wa_batch_parse (body, length, &error);
  g_assert_no_error (error);
  g_assert_nonnull (batch);
  assert_batch_valid (batch);
  return batch;
}

static BatonWaBatch *
parse (const char *body)
{
  return parse_text (body, strlen (body));
}

static void
assert_envelope_error (const char *body,
                       gsize       length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) check_error = NULL;
  g_autoptr(BatonWaBatch) batch = baton_wa_batch_parse (body, length, &error);

  g_assert_null (batch);
  g_assert_error (error, BATON_ERROR, BATON_ERROR_BAD_REQUEST);
  g_assert_false (baton_wa_batch_check (body, length, &check_error));
  g_assert_error (check_error, BATON_ERROR, BATON_ERROR_BAD_REQUEST);
  g_assert_cmpstr (check_error->message, ==, error->message);
}

static void
assert_counts (BatonWaBatch *batch,
               guint         messages,
               guint         statuses,
               guint         errors,
               guint         ignored,
               guint         skipped)
{
  g_assert_cmpuint (batch->messages->len, ==, messages);
  g_assert_cmpuint (batch->statuses->len, ==, statuses);
  g_assert_cmpuint (batch->errors->len, ==, errors);
  g_assert_cmpuint (batch->ignored_changes, ==, ignored);
  g_assert_cmpuint (batch->skipped_items, ==, skipped);
}

static void
assert_numbers (BatonWaBatch *batch,
                const char   *first,
                ...)
{
  va_list args;
  guint count = 0;

  va_start (args, first);
  for (const char *number = first; number; number = va_arg (args, const char *))
    {
      g_assert_cmpuint (count, <, batch->phone_number_ids->len);
      g_assert_cmpstr (g_ptr_array_index (batch->phone_number_ids, count), ==, number);
      count++;
    }
  va_end (args);
  g_assert_cmpuint (batch->phone_number_ids->len, ==, count);
}

static BatonWaMessage *
message_at (BatonWaBatch *batch,
            guint         index)
{
  g_assert_cmpuint (index, <, batch->messages->len);
  return g_ptr_array_index (batch->messages, index);
}

/* The only item of the batch: one message, nothing else, from inbox A. */
static BatonWaMessage *
only_message (BatonWaBatch *batch)
{
  BatonWaMessage *message = NULL;

  assert_counts (batch, 1, 0, 0, 0, 0);
  assert_numbers (batch, NUMBER_A, NULL);
  message = message_at (batch, 0);
  g_assert_cmpstr (message->phone_number_id, ==, NUMBER_A);
  g_assert_cmpstr (message->display_phone_number, ==, DISPLAY_A);
  return message;
}

static BatonWaStatus *
only_status (BatonWaBatch *batch)
{
  BatonWaStatus *status = NULL;

  assert_counts (batch, 0, 1, 0, 0, 0);
  assert_numbers (batch, NUMBER_A, NULL);
  status = g_ptr_array_index (batch->statuses, 0);
  g_assert_cmpstr (status->phone_number_id, ==, NUMBER_A);
  return status;
}

/* The node at a dotted path ("0.data.cards.1.name"), NULL when absent. */
static JsonNode *
at (JsonNode   *node,
    const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);

  for (guint i = 0; node && parts[i]; i++)
    {
      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          node = json_object_get_member (json_node_get_object (node), parts[i]);
        }
      else if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);
          guint64 index = g_ascii_strtoull (parts[i], NULL, 10);

          node = index < json_array_get_length (array)
                 ? json_array_get_element (array, (guint) index) : NULL;
        }
      else
        {
          node = NULL;
        }
    }
  return node;
}

/* expected NULL: the member is JSON null */
static void
assert_string_at (JsonNode   *root,
                  const char *path,
                  const char *expected)
{
  JsonNode *node = at (root, path);

  if (node == NULL)
    g_error ("%s is absent", path);
  if (expected == NULL)
    {
      if (!JSON_NODE_HOLDS_NULL (node))
        g_error ("%s is not null", path);
      return;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    g_error ("%s is not a string", path);
  g_assert_cmpstr (json_node_get_string (node), ==, expected);
}

static void
assert_bool_at (JsonNode   *root,
                const char *path,
                gboolean    expected)
{
  JsonNode *node = at (root, path);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    g_error ("%s is not a boolean", path);
  g_assert_cmpint (json_node_get_boolean (node), ==, expected);
}

static void
assert_int_at (JsonNode   *root,
               const char *path,
               gint64      expected)
{
  JsonNode *node = at (root, path);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    g_error ("%s is not an integer", path);
  g_assert_cmpint (json_node_get_int (node), ==, expected);
}

static void
assert_double_at (JsonNode   *root,
                  const char *path,
                  double      expected)
{
  JsonNode *node = at (root, path);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_DOUBLE)
    g_error ("%s is not a double", path);
  g_assert_cmpfloat_with_epsilon (json_node_get_double (node), expected, 1e-9);
}

static guint
length_at (JsonNode   *root,
           const char *path)
{
  JsonNode *node = at (root, path);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    g_error ("%s is not an array", path);
  return json_array_get_length (json_node_get_array (node));
}

static guint
object_size (JsonNode *node)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_get_size (json_node_get_object (node));
}

/* A text message, asserting what every plain text has. */
static void
assert_text (BatonWaMessage *message,
             const char     *from,
             const char     *name,
             const char     *wamid,
             gint64          timestamp,
             const char     *body)
{
  g_assert_cmpstr (message->from, ==, from);
  g_assert_null (message->from_user_id);
  g_assert_cmpstr (message->profile_name, ==, name);
  g_assert_null (message->username);
  g_assert_cmpstr (message->wamid, ==, wamid);
  g_assert_cmpint (message->timestamp, ==, timestamp);
  g_assert_cmpstr (message->type, ==, "text");
  g_assert_cmpstr (message->body, ==, body);
  g_assert_null (message->attachments);
  g_assert_null (message->reaction_to);
  g_assert_null (message->reaction_emoji);
  g_assert_null (message->system_type);
  g_assert_true (message->opens_window);
  g_assert_cmpint (message->error_code, ==, 0);
}

/* The attachment of a media message; caption NULL when absent. */
static void
assert_media (BatonWaMessage *message,
              const char     *kind,
              const char     *mime_type,
              const char     *caption,
              const char     *media_id,
              const char     *sha256)
{
  g_assert_cmpstr (message->type, ==, kind);
  g_assert_cmpstr (message->body, ==, caption ? caption : "");
  g_assert_cmpuint (length_at (message->attachments, ""), ==, 1);
  assert_string_at (message->attachments, "0.kind", kind);
  assert_string_at (message->attachments, "0.mime_type", mime_type);
  assert_string_at (message->attachments, "0.caption", caption);
  assert_string_at (message->attachments, "0.media_id", media_id);
  assert_string_at (message->attachments, "0.sha256", sha256);
  g_assert_true (message->opens_window);
  g_assert_null (message->reaction_to);
}

/* Corpus files: the README's expected effect, as far as the parser decides it */

static void
check_01 (BatonWaBatch *batch)
{
  BatonWaMessage *message = only_message (batch);

  assert_text (message, "447700900123", "Harriet Quill",
               "wamid.HBgMNDQ3NzAwOTAwMTIzFQIAEhgUMEM0MTM3MjZBRUY2QTk5MjhGRjEA", 1773840000,
               "Hi, my washing machine is leaking again. Can someone come this week?");
  g_assert_null (message->context_id);
  g_assert_null (message->data);
  g_assert_null (message->referral);
}

static void
check_02 (BatonWaBatch *batch)
{
  BatonWaMessage *message = only_message (batch);

  assert_text (message, "447700900123", "Harriet Quill",
               "wamid.HBgMNDQ3NzAwOTAwMTIzFQIAEhgURUIwQzAyNDcwQ0RENUJCQzkwMkUA", 1773840420,
               "Friday works, thank you!");
  /* context.id is the quoted message; context.from (our own number) is not kept */
  g_assert_cmpstr (message->context_id, ==, OUT1);
  g_assert_null (message->data);
}

static void
check_03 (BatonWaBatch *batch)
{
  BatonWaMessage *message = only_message (batch);

  g_assert_cmpstr (message->profile_name, ==, "Harriet Quill");
  g_assert_cmpint (message->timestamp, ==, 1773840600);
  assert_media (message, "image", "image/jpeg", "Water under the door seal 😕",
                "3948005930982324", "vjUnG0XVd96x6BOG2SG2h9erUDIaQgb/F1ZITM7uSpM=");
  assert_string_at (message->attachments, "0.filename", NULL);
  assert_string_at (message->attachments, "0.data", NULL);
  /* the payload's url is informational: the server fetches by media id */
  g_assert_null (at (message->attachments, "0.url"));
  g_assert_null (message->data);
}

static void
check_04 (BatonWaBatch *batch)
{
  BatonWaMessage *message = only_message (batch);

  assert_media (message, "audio", "audio/ogg; codecs=opus", NULL, "8532096855804652",
                "n05Rd1Sa3heOZzplIXzCOLePT9rtp8S3K9Fo1C1hi0M=");
  assert_bool_at (message->data, "voice", TRUE);
  g_assert_cmpuint (object_size (message->data), ==, 1);
  assert_bool_at (message->attachments, "0.data.voice", TRUE);
}

static void
check_05 (BatonWaBatch *batch)
{
  BatonWaMessage *message = only_message (batch);

  g_assert_cmpstr (message->from, ==, "12025550143");
  g_assert_cmpstr (message->profile_name, ==, "Tomasz Wiśniewski");
  assert_media (message, "video", "video/mp4", NULL, "1735504193906666",
                "ofkfELSJSpx8WlgUs4ntf/SJjucnDbUiIkhDua3hIcE=");
  /* a forward is not a reply */
  g_assert_null (message->context_id);
  assert_bool_at (message->data, "forwarded", TRUE);
  assert_bool_at (message->data, "frequently_forwarded", TRUE);
  g_assert_cmpuint (object_size (message->data), ==, 2);
}

static void
check_06 (BatonWaBatch *batch)
{
  BatonWaMessage *message = only_message (batch);

  assert_media (message, "document", "application/pdf", "Faktura za marzec",
                "8132871860861322", "c77PYKZI25MyIyzM7id2AR/09/XerRH1amFCdTBUEmo=");
  /* shown as-is, never interpreted */
  assert_string_at (message->attachments, "0.filename",
                    "../../invoices/Faktura März 2026 (final).pdf");
  g_assert_null (message->data);
}

static void
check_07 (BatonWaBatch *batch)
{
  BatonWaMessage *message = only_message (batch);

  g_assert_cmpstr (message->from, ==, "61491570156");
  g_assert_cmpstr (message->profile_name, ==, "Amira Haddad");
  assert_media (message, "sticker", "image/webp", NULL, "1546608944747205",
                "hRt+d4ZO7OlTy4J4xfp+nPtr+pY/AALnZ9kYJTBw7k8=");
  assert_bool_at (message->data, "animated", TRUE);
  assert_bool_at (message->attachments, "0.data.animated", TRUE);
}

static void
check_08 (BatonWaBatch *batch)
{
  BatonWaMessage *message = only_message (batch);

  g_assert_cmpstr (message->type, ==, "location");
  g_assert_cmpstr (message->body, ==, "");
  g_assert_true (message->opens_window);
  g_assert_cmpuint (length_at (message->attachments, ""), ==, 1);
  assert_string_at (message->attachments, "0.kind", "location");
  assert_string_at (message->attachments, "0.media_id", NULL);
  assert_string_at (message->attachments, "0.mime_type", NULL);
  assert_double_at (message->attachments, "0.data.latitude", 51.50135);
  assert_double_at (message->attachments, "0.data.longitude", -0.14189);
  assert_string_at (message->attachments, "0.data.name", "Green Park Station");
  assert_string_at (message->attachments, "0.data.address", "Piccadilly, London W1J 9DZ");
  assert_string_at (message->attachments, "0.data.url",
                    "https://maps.example.org/place/green-park");
}

static void
check_09 (BatonWaBatch *batch)
{
  BatonWaMessage *message = only_message (batch);

  /* one message holding two cards; the sender is the value's contact, not a card */
  g_assert_cmpstr (message->type, ==, "contacts");
  g_assert_cmpstr (message->from, ==, "61491570156");
  g_assert_cmpstr (message->profile_name, ==, "Amira Haddad");
  g_assert_cmpstr (message->body, ==, "");
  g_assert_true (message->opens_window);
  assert_string_at (message->attachments, "0.kind", "contacts");
  g_assert_cmpuint (length_at (message->attachments, "0.data.cards"), ==, 2);
  assert_string_at (message->attachments, "0.data.cards.0.name.formatted_name",
                    "Dr. Olusegun Bankole-Adeyemi");
  assert_string_at (message->attachments, "0.data.cards.0.phones.0.wa_id", "447700900314");
  assert_string_at (message->attachments, "0.data.cards.0.org.company", "Riverside Clinic");
  assert_string_at (message->attachments, "0.data.cards.0.birthday", "1979-11-02");
  assert_string_at (message->attachments, "0.data.cards.1.name.formatted_name", "Mum");
  assert_string_at (message->attachments, "0.data.cards.1.phones.0.phone", "+61 491 570 110");
  g_assert_null (at (message->attachments, "0.data.cards.1.phones.0.wa_id"));
}

static void
check_10 (BatonWaBatch *batch)
{
  BatonWaMessage *message = only_message (batch);

  g_assert_cmpstr (message->profile_name, ==, "Tomasz Wiśniewski");
  g_assert_cmpstr (message->type, ==, "interactive");
  g_assert_cmpstr (message->body, ==, "Reschedule");
  g_assert_cmpstr (message->context_id, ==, OUT2);
  g_assert_null (message->attachments);
  g_assert_true (message->opens_window);
  assert_string_at (message->data, "type", "button_reply");
  assert_string_at (message->data, "id", "btn_reschedule");
  assert_string_at (message->data, "title", "Reschedule");
  g_assert_cmpuint (object_size (message->data), ==, 3);
}

static void
check_11 (BatonWaBatch *batch)
{
  BatonWaMessage *message = only_message (batch);

  g_assert_cmpstr (message->profile_name, ==, "Amira Haddad");
  g_assert_cmpstr (message->body, ==, "Family 5 GB");
  g_assert_cmpstr (message->context_id, ==, OUT3);
  g_assert_null (message->attachments);
  assert_string_at (message->data, "type", "list_reply");
  assert_string_at (message->data, "id", "plan_family_5gb");
  assert_string_at (message->data, "title", "Family 5 GB");
  assert_string_at (message->data, "description", "Up to 4 lines, €19.90/month");
}

static void
check_12 (BatonWaBatch *batch)
{
  BatonWaMessage *message = only_message (batch);

  g_assert_cmpstr (message->from, ==, "12065550177");
  g_assert_cmpstr (message->profile_name, ==, "Kenji Watanabe");
  g_assert_cmpstr (message->type, ==, "button");
  g_assert_cmpstr (message->body, ==, "Yes, confirm");
  g_assert_cmpstr (message->context_id, ==, OUT4);
  g_assert_true (message->opens_window);
  assert_string_at (message->data, "type", "button");
  assert_string_at (message->data, "payload", "CONFIRM_APPT_88213");
  assert_string_at (message->data, "text", "Yes, confirm");
}

static void
check_13 (BatonWaBatch *batch)
{
  BatonWaMessage *message = only_message (batch);
  const char *emoji = NULL;

  g_assert_cmpstr (message->type, ==, "reaction");
  g_assert_cmpstr (message->reaction_to, ==, OUT1);
  emoji = message->reaction_emoji;
  g_assert_nonnull (emoji);
  /* ❤️ is two code points: U+2764 U+FE0F */
  g_assert_cmpint (g_utf8_strlen (emoji, -1), ==, 2);
  g_assert_cmpuint (g_utf8_get_char (emoji), ==, 0x2764);
  g_assert_cmpuint (g_utf8_get_char (g_utf8_next_char (emoji)), ==, 0xfe0f);
  g_assert_cmpstr (message->body, ==, "");
  g_assert_null (message->attachments);
  g_assert_null (message->context_id);
  /* a reaction is not a new chat bubble and does not open the window */
  g_assert_false (message->opens_window);
  g_assert_cmpstr (message->profile_name, ==, "Harriet Quill");
}

static void
check_14 (BatonWaBatch *batch)
{
  BatonWaMessage *message = only_message (batch);

  g_assert_cmpstr (message->type, ==, "reaction");
  g_assert_cmpstr (message->reaction_to, ==, OUT1);
  g_assert_null (message->reaction_emoji);
  g_assert_false (message->opens_window);
}

static void
check_15 (BatonWaBatch *batch)
{
  BatonWaMessage *message = only_message (batch);

  assert_text (message, "12065550131", "Carlos Mendoza",
               "wamid.HBgLMTIwNjU1NTAxMzEVAgASGBQ1QjE5RjAzMjg1NUY1RTA5QzkyRAA=", 1773841320,
               "Hi! Is the spring tune-up offer still on?");
  assert_string_at (message->referral, "source_id", "120214563378120455");
  assert_string_at (message->referral, "source_type", "ad");
  assert_string_at (message->referral, "source_url", "https://fb.me/7Tq2vXc4K");
  assert_string_at (message->referral, "headline", "Spring tune-up: 20% off");
  assert_string_at (message->referral, "body",
                    "Book a full bike service before 31 March and save 20%.");
  assert_string_at (message->referral, "media_type", "image");
  assert_string_at (message->referral, "ctwa_clid",
                    "ARAkf2WUHbq9K3ByVMn1Tblpvrjl9fyNmUALIobWVPEs_k7zQc8B");
  assert_string_at (message->referral, "welcome_message.text",
                    "Hi 👋 what can we do for your bike?");
}

static void
check_16 (BatonWaBatch *batch)
{
  BatonWaMessage *message = only_message (batch);

  g_assert_cmpstr (message->type, ==, "unsupported");
  g_assert_cmpstr (message->body, ==, "unsupported (poll_creation)");
  g_assert_cmpint (message->error_code, ==, 131051);
  g_assert_true (message->opens_window);
  assert_string_at (message->attachments, "0.kind", "unsupported");
  assert_string_at (message->attachments, "0.data.type", "poll_creation");
  assert_string_at (message->attachments, "0.media_id", NULL);
}

static void
check_17 (BatonWaBatch *batch)
{
  BatonWaMessage *message = only_message (batch);

  g_assert_cmpstr (message->type, ==, "system");
  g_assert_cmpstr (message->from, ==, "447700900123");
  /* system messages come without contacts */
  g_assert_null (message->profile_name);
  g_assert_cmpstr (message->system_type, ==, "user_changed_number");
  g_assert_cmpstr (message->system_new_wa_id, ==, "447700900987");
  g_assert_null (message->system_new_user_id);
  g_assert_null (message->system_previous_user_id);
  g_assert_cmpstr (message->body, ==,
                   "User Harriet Quill changed from 447700900123 to 447700900987");
  g_assert_null (message->attachments);
  g_assert_false (message->opens_window);
}

static void
check_18 (BatonWaBatch *batch)
{
  BatonWaStatus *status = only_status (batch);

  g_assert_cmpstr (status->wamid, ==, OUT1);
  g_assert_cmpstr (status->status, ==, "sent");
  g_assert_cmpint (status->timestamp, ==, 1773840061);
  g_assert_cmpstr (status->recipient_id, ==, "447700900123");
  g_assert_null (status->recipient_user_id);
  assert_string_at (status->conversation, "id", "0df07565907b93198ac232c502042cec");
  assert_string_at (status->conversation, "expiration_timestamp", "1773926461");
  assert_string_at (status->conversation, "origin.type", "service");
  assert_bool_at (status->pricing, "billable", FALSE);
  assert_string_at (status->pricing, "pricing_model", "PMP");
  assert_string_at (status->pricing, "category", "service");
  assert_string_at (status->pricing, "type", "free_customer_service");
  g_assert_null (status->error);
}

static void
check_19 (BatonWaBatch *batch)
{
  BatonWaStatus *status = only_status (batch);

  g_assert_cmpstr (status->wamid, ==, OUT1);
  g_assert_cmpstr (status->status, ==, "delivered");
  g_assert_cmpint (status->timestamp, ==, 1773840063);
  g_assert_null (at (status->conversation, "expiration_timestamp"));
  assert_string_at (status->pricing, "pricing_model", "PMP");
  g_assert_null (status->error);
}

static void
check_20 (BatonWaBatch *batch)
{
  BatonWaStatus *status = only_status (batch);

  g_assert_cmpstr (status->wamid, ==, OUT1);
  g_assert_cmpstr (status->status, ==, "read");
  g_assert_cmpint (status->timestamp, ==, 1773840340);
  g_assert_cmpstr (status->recipient_id, ==, "447700900123");
  g_assert_cmpstr (status->recipient_user_id, ==, "GB.4410937265518820913");
  g_assert_null (status->conversation);
  g_assert_null (status->pricing);
  g_assert_null (status->error);
}

static void
check_21 (BatonWaBatch *batch)
{
  BatonWaStatus *status = only_status (batch);

  g_assert_cmpstr (status->wamid, ==, OUT5);
  g_assert_cmpstr (status->status, ==, "failed");
  g_assert_cmpint (status->timestamp, ==, 1773841500);
  g_assert_cmpstr (status->recipient_id, ==, "61491570156");
  g_assert_null (status->pricing);
  assert_int_at (status->error, "code", 131047);
  assert_string_at (status->error, "title", "Re-engagement message");
  assert_string_at (status->error, "message", "Re-engagement message");
  assert_string_at (status->error, "details",
                    "Message failed to send because more than 24 hours have passed since "
                    "the customer last replied to this number.");
  g_assert_cmpuint (object_size (status->error), ==, 4);
}

static void
check_22 (BatonWaBatch *batch)
{
  BatonWaStatus *status = only_status (batch);

  g_assert_cmpstr (status->wamid, ==, OUT6);
  g_assert_cmpstr (status->status, ==, "failed");
  g_assert_cmpstr (status->recipient_id, ==, "12025550188");
  assert_int_at (status->error, "code", 131026);
  assert_string_at (status->error, "title", "Message undeliverable");
  assert_string_at (status->error, "details", "Message Undeliverable.");
}

static void
check_23 (BatonWaBatch *batch)
{
  BatonWaStatus *status = only_status (batch);

  /* parsed like any status; the server finds no such message */
  g_assert_cmpstr (status->wamid, ==, OUT_UNKNOWN);
  g_assert_cmpstr (status->status, ==, "delivered");
  g_assert_cmpint (status->timestamp, ==, 1773841620);
  g_assert_cmpstr (status->recipient_id, ==, "12065550177");
  assert_bool_at (status->pricing, "billable", TRUE);
  assert_string_at (status->pricing, "category", "utility");
  assert_string_at (status->pricing, "type", "regular");
}

static void
check_24 (BatonWaBatch *batch)
{
  BatonWaError *error = NULL;

  assert_counts (batch, 0, 0, 1, 0, 0);
  assert_numbers (batch, NUMBER_A, NULL);
  error = g_ptr_array_index (batch->errors, 0);
  g_assert_cmpstr (error->phone_number_id, ==, NUMBER_A);
  g_assert_cmpint (error->code, ==, 131016);
  g_assert_cmpstr (error->title, ==, "Service unavailable");
  g_assert_cmpstr (error->message, ==, "(#131016) Service unavailable");
  g_assert_cmpstr (error->details, ==,
                   "A service is temporarily unavailable. Please retry your request later.");
}

static void
check_27 (BatonWaBatch *batch)
{
  BatonWaMessage *message = only_message (batch);
  g_autofree char *sha256 = NULL;

  g_assert_cmpstr (message->from, ==, "61491570199");
  g_assert_cmpstr (message->profile_name, ==, "يوسف الأمين 🌙");
  g_assert_cmpstr (message->type, ==, "text");
  /* byte-exact */
  g_assert_cmpuint (strlen (message->body), ==, 241);
  g_assert_cmpint (g_utf8_strlen (message->body, -1), ==, 155);
  sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, message->body, -1);
  g_assert_cmpstr (sha256, ==, "bef1b149ae5b6269f84c61e1b172844b57d6e03adf7d08bf98d21174fcc554f7");
}

static void
check_29 (BatonWaBatch *batch)
{
  BatonWaMessage *message = only_message (batch);
  g_autofree char *sha256 = NULL;

  g_assert_cmpstr (message->profile_name, ==, "Tomasz Wiśniewski");
  /* stored in full: the 4,096 limit is for what we send */
  g_assert_cmpuint (strlen (message->body), ==, 13477);
  g_assert_cmpint (g_utf8_strlen (message->body, -1), ==, 12000);
  g_assert_true (g_str_has_prefix (message->body, "Line 0001: Grüße aus Zürich"));
  sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256, message->body, -1);
  g_assert_cmpstr (sha256, ==, "c79bca35232b0000a7730b5ee6465796275acfb11d1889ef8753ced1f6c54938");
}

static void
check_31 (BatonWaBatch *batch)
{
  BatonWaMessage *message = only_message (batch);

  g_assert_cmpstr (message->type, ==, "hologram");
  g_assert_cmpstr (message->body, ==, "unsupported (hologram)");
  g_assert_cmpint (message->error_code, ==, 0);
  g_assert_true (message->opens_window);
  g_assert_cmpstr (message->profile_name, ==, "Kenji Watanabe");
  assert_string_at (message->attachments, "0.kind", "unsupported");
  assert_string_at (message->attachments, "0.data.type", "hologram");
  /* the raw message, kept */
  assert_string_at (message->attachments, "0.data.raw.id", message->wamid);
  assert_string_at (message->attachments, "0.data.raw.hologram.id", "8795398482774258");
  assert_int_at (message->attachments, "0.data.raw.hologram.duration_ms", 4200);
}

static void
check_32 (BatonWaBatch *batch)
{
  BatonWaMessage *text = NULL, *image = NULL;

  assert_counts (batch, 2, 0, 0, 0, 0);
  text = message_at (batch, 0);
  image = message_at (batch, 1);
  /* no contacts array: no name */
  assert_text (text, "61491570177", NULL,
               "wamid.HBgLNjE0OTE1NzAxNzcVAgASGBRFNDJCMkNCQkQzMzBGQkZCODNGNgA=", 1773842200,
               "hello?");
  g_assert_cmpstr (image->from, ==, "61491570177");
  g_assert_null (image->profile_name);
  g_assert_cmpint (image->timestamp, ==, 1773842210);
  assert_media (image, "image", "image/jpeg", NULL, "6603964673271854", NULL);
}

static void
check_33 (BatonWaBatch *batch)
{
  assert_counts (batch, 0, 0, 0, 1, 0);
  assert_numbers (batch, NULL);
}

static void
check_empty (BatonWaBatch *batch)
{
  assert_counts (batch, 0, 0, 0, 0, 0);
  assert_numbers (batch, NULL);
}

static void
check_44 (BatonWaBatch *batch)
{
  BatonWaMessage *message = only_message (batch);

  g_assert_cmpstr (message->type, ==, "interactive");
  g_assert_cmpstr (message->body, ==, "Sent");
  g_assert_cmpstr (message->context_id, ==, OUT4);
  g_assert_cmpstr (message->profile_name, ==, "Kenji Watanabe");
  g_assert_null (message->attachments);
  g_assert_true (message->opens_window);
  assert_string_at (message->data, "type", "nfm_reply");
  assert_string_at (message->data, "name", "flow");
  assert_string_at (message->data, "body", "Sent");
  /* response_json, a string holding JSON, as structured data */
  assert_string_at (message->data, "response.flow_token", "ft_7731_kw");
  assert_string_at (message->data, "response.slot", "2026-03-21T09:00");
  assert_string_at (message->data, "response.notes", "ring twice");
}

typedef struct {
  const char *file;
  /* NULL: an envelope error */
  void (*check) (BatonWaBatch *batch);
} Fixture;

static const Fixture fixtures[] = {
  { "01-text-basic.json", check_01 },
  { "02-text-reply-context.json", check_02 },
  { "03-image-caption.json", check_03 },
  { "04-audio-voice-note.json", check_04 },
  { "05-video-forwarded-no-caption.json", check_05 },
  { "06-document-pdf.json", check_06 },
  { "07-sticker-animated.json", check_07 },
  { "08-location.json", check_08 },
  { "09-contacts-card.json", check_09 },
  { "10-interactive-button-reply.json", check_10 },
  { "11-interactive-list-reply.json", check_11 },
  { "12-template-quick-reply-button.json", check_12 },
  { "13-reaction-add.json", check_13 },
  { "14-reaction-remove.json", check_14 },
  { "15-referral-ctwa-ad.json", check_15 },
  { "16-unsupported-type.json", check_16 },
  { "17-system-user-changed-number.json", check_17 },
  { "18-status-sent.json", check_18 },
  { "19-status-delivered.json", check_19 },
  { "20-status-read.json", check_20 },
  { "21-status-failed-131047.json", check_21 },
  { "22-status-failed-131026.json", check_22 },
  { "23-status-unknown-message.json", check_23 },
  { "24-value-errors.json", check_24 },
  { "27-unicode-emoji-rtl.json", check_27 },
  { "29-long-text.json", check_29 },
  { "31-unknown-future-type.json", check_31 },
  { "32-missing-optional-fields.json", check_32 },
  { "33-other-field-ignored.json", check_33 },
  { "34-wrong-object.json", check_empty },
  { "35-empty-entry.json", check_empty },
  { "39-malformed-truncated.json", NULL },
  { "40-malformed-entry-not-array.json", NULL },
  { "41-malformed-top-level-array.json", NULL },
  { "44-interactive-nfm-flow-reply.json", check_44 },
};

static void
test_fixture (gconstpointer data)
{
  const Fixture *fixture = data;
  g_autoptr(GBytes) body = baton_test_fixture_bytes (fixture->file);
  gsize length = 0;
  const char *text = g_bytes_get_data (body, &length);

  if (fixture->check)
    {
      g_autoptr(BatonWaBatch) batch = parse_text (text, length);

      fixture->check (batch);
    }
  else
    {
      assert_envelope_error (text, length);
    }
}

/* Every webhook file of the fixtures (01–59) has its check above. */
static void
test_fixtures_covered (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "whatsapp", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
  const char *name = NULL;
  guint count = 0;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)))
    {
      gboolean found = FALSE;

      if (!g_str_has_suffix (name, ".json") || !g_ascii_isdigit (name[0])
          || g_ascii_digit_value (name[0]) >= 6)
        continue;
      for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
        found = found || g_str_equal (fixtures[i].file, name);
      if (!found)
        g_error ("%s has no expected effect in this test", name);
      count++;
    }
  g_assert_cmpuint (count, ==, G_N_ELEMENTS (fixtures));
}

/* Hostile bodies */

/* One messages change of inbox A with these contacts and messages (JSON texts). */
static char *
envelope (const char *contacts,
          const char *messages)
{
  return g_strdup_printf ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\","
                          "\"changes\":[{\"field\":\"messages\",\"value\":{"
                          "\"messaging_product\":\"whatsapp\",\"metadata\":{"
                          "\"display_phone_number\":\"" DISPLAY_A "\","
                          "\"phone_number_id\":\"" NUMBER_A "\"},"
                          "\"contacts\":%s,\"messages\":%s}}]}]}",
                          contacts ? contacts : "[]", messages);
}

/* A text message with this id, from and timestamp (JSON texts) and body. */
static char *
text_message (const char *id,
              const char *from,
              const char *timestamp,
              const char *body)
{
  return g_strdup_printf ("{\"from\":%s,\"id\":%s,\"timestamp\":%s,\"type\":\"text\","
                          "\"text\":{\"body\":\"%s\"}}", from, id, timestamp, body);
}

static BatonWaBatch *
parse_messages (const char *messages)
{
  g_autofree char *body = envelope (NULL, messages);

  return parse (body);
}

/* The body of the one text message whose JSON body text is given. */
static char *
text_body (const char *json_body)
{
  g_autofree char *message = text_message ("\"wamid.T\"", "\"1\"", "\"1\"", json_body);
  g_autofree char *messages = g_strdup_printf ("[%s]", message);
  g_autoptr(BatonWaBatch) batch = parse_messages (messages);

  g_assert_cmpuint (batch->messages->len, ==, 1);
  return g_strdup (message_at (batch, 0)->body);
}

static void
test_ids_not_strings (void)
{
  g_autoptr(BatonWaBatch) batch = NULL;
  g_autoptr(BatonWaBatch) statuses = NULL;
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *joined = NULL;
  g_autofree char *messages = NULL;
  g_autofree char *body = NULL;

  g_ptr_array_add (parts, text_message ("12345", "\"447700900123\"", "\"1773840000\"", "a"));
  g_ptr_array_add (parts, text_message ("\"wamid.B\"", "447700900123", "\"1773840000\"", "b"));
  g_ptr_array_add (parts, text_message ("\"wamid.C\"", "[\"x\"]", "\"1773840000\"", "c"));
  g_ptr_array_add (parts, text_message ("null", "\"447700900123\"", "\"1773840000\"", "d"));
  g_ptr_array_add (parts, text_message ("\"\"", "\"447700900123\"", "\"1773840000\"", "e"));
  /* a media id and a reacted-to id that are numbers */
  g_ptr_array_add (parts, g_strdup ("{\"from\":\"447700900123\",\"id\":\"wamid.F\","
                                    "\"timestamp\":\"1773840000\",\"type\":\"image\","
                                    "\"image\":{\"id\":3948005930982324}}"));
  g_ptr_array_add (parts, g_strdup ("{\"from\":\"447700900123\",\"id\":\"wamid.G\","
                                    "\"timestamp\":\"1773840000\",\"type\":\"reaction\","
                                    "\"reaction\":{\"message_id\":1,\"emoji\":\"x\"}}"));
  /* neither from nor from_user_id */
  g_ptr_array_add (parts, g_strdup ("{\"id\":\"wamid.H\",\"timestamp\":\"1773840000\","
                                    "\"type\":\"text\",\"text\":{\"body\":\"h\"}}"));
  /* not an object */
  g_ptr_array_add (parts, g_strdup ("\"wamid.I\""));
  g_ptr_array_add (parts, text_message ("\"wamid.OK\"", "\"447700900123\"", "\"1773840000\"",
                                        "kept"));
  g_ptr_array_add (parts, NULL);
  joined = g_strjoinv (",", (char **) parts->pdata);
  messages = g_strdup_printf ("[%s]", joined);
  batch = parse_messages (messages);
  assert_counts (batch, 1, 0, 0, 0, 9);
  g_assert_cmpstr (message_at (batch, 0)->wamid, ==, "wamid.OK");
  g_assert_cmpstr (message_at (batch, 0)->body, ==, "kept");

  /* statuses: an id that is a number is skipped, the other kept */
  body = g_strdup ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{"
                   "\"field\":\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"7\"},"
                   "\"statuses\":[{\"id\":99,\"status\":\"read\",\"timestamp\":\"5\"},"
                   "{\"id\":\"wamid.S\",\"status\":\"read\",\"timestamp\":\"5\","
                   "\"recipient_id\":447700900123},"
                   "{\"id\":\"wamid.T\",\"timestamp\":\"5\"}]}}]}]}");
  statuses = parse (body);
  assert_counts (statuses, 0, 1, 0, 0, 2);
  g_assert_cmpstr (((BatonWaStatus *) g_ptr_array_index (statuses->statuses, 0))->wamid, ==,
                   "wamid.S");
  g_assert_null (((BatonWaStatus *) g_ptr_array_index (statuses->statuses, 0))->recipient_id);
}

static void
test_timestamps (void)
{
  const struct {
    const char *json;
    gint64 expected;  /* 0: the message is skipped */
  } cases[] = {
    { "\"1773840000\"", 1773840000 },
    { "1773840000", 1773840000 },
    { "\"9223372036854775807\"", G_MAXINT64 },
    { "9223372036854775807", G_MAXINT64 },
    { "\"9223372036854775808\"", 0 },
    { "9223372036854775808", 0 },
    /* json-glib wraps these without error: 2^64 + 1773840000 would read as 1773840000 */
    { "18446744075483391616", 0 },
    { "123456789012345678901234567890", 0 },
    { "\"123456789012345678901234567890\"", 0 },
    { "-9223372036854775808", 0 },
    { "-1773840000", 0 },
    { "0", 0 },
    { "\"0\"", 0 },
    { "\"\"", 0 },
    { "\"-5\"", 0 },
    { "\"+5\"", 0 },
    { "\" 5\"", 0 },
    { "\"17738400 00\"", 0 },
    { "\"1e9\"", 0 },
    { "1773840000.5", 0 },
    { "1e400", 0 },
    { "true", 0 },
    { "null", 0 },
    { "{}", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *message = text_message ("\"wamid.A\"", "\"1\"", cases[i].json, "x");
      g_autofree char *messages = g_strdup_printf ("[%s]", message);
      g_autoptr(BatonWaBatch) batch = parse_messages (messages);

      if (cases[i].expected == 0)
        {
          if (batch->messages->len != 0)
            g_error ("timestamp %s is accepted", cases[i].json);
          g_assert_cmpuint (batch->skipped_items, ==, 1);
        }
      else
        {
          if (batch->messages->len != 1)
            g_error ("timestamp %s is refused", cases[i].json);
          g_assert_cmpint (message_at (batch, 0)->timestamp, ==, cases[i].expected);
        }
    }
}

static char *
location_message (const char *latitude,
                  const char *longitude)
{
  return g_strdup_printf ("{\"from\":\"1\",\"id\":\"wamid.L\",\"timestamp\":\"5\","
                          "\"type\":\"location\",\"location\":{\"latitude\":%s,"
                          "\"longitude\":%s}}", latitude, longitude);
}

static void
test_coordinates (void)
{
  const char *refused[][2] = {
    { "1e400", "0" }, { "0", "-1e400" }, { "-1e400", "1" }, { "null", "0" }, { "91", "0" },
    { "0", "180.5" }, { "123456789012345678901234567890", "0" }, { "\"51.5\"", "1e400" },
  };
  const char *unreadable[][2] = {
    { "\"51.5\"", "0" }, { "true", "0" }, { "[1]", "0" }, { "0", "{}" },
  };
  g_autofree char *integers = location_message ("51", "-1");
  g_autofree char *messages = g_strdup_printf ("[%s]", integers);
  g_autoptr(BatonWaBatch) batch = parse_messages (messages);
  g_autofree char *no_location = NULL;
  g_autoptr(BatonWaBatch) placeholder = NULL;

  /* integers are numbers too; absent name, address and url are null */
  assert_counts (batch, 1, 0, 0, 0, 0);
  assert_double_at (message_at (batch, 0)->attachments, "0.data.latitude", 51);
  assert_double_at (message_at (batch, 0)->attachments, "0.data.longitude", -1);
  assert_string_at (message_at (batch, 0)->attachments, "0.data.name", NULL);
  assert_string_at (message_at (batch, 0)->attachments, "0.data.url", NULL);

  /* numbers that are not finite or out of range (contract 4): skipped */
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *message = location_message (refused[i][0], refused[i][1]);
      g_autofree char *array = g_strdup_printf ("[%s]", message);
      g_autoptr(BatonWaBatch) refused_batch = parse_messages (array);

      if (refused_batch->messages->len != 0)
        g_error ("coordinates %s, %s are accepted", refused[i][0], refused[i][1]);
      g_assert_cmpuint (refused_batch->skipped_items, ==, 1);
    }
  /* coordinates that are no numbers: a placeholder keeping what was sent */
  for (guint i = 0; i < G_N_ELEMENTS (unreadable); i++)
    {
      g_autofree char *message = location_message (unreadable[i][0], unreadable[i][1]);
      g_autofree char *array = g_strdup_printf ("[%s]", message);
      g_autoptr(BatonWaBatch) kept = parse_messages (array);

      assert_counts (kept, 1, 0, 0, 0, 0);
      if (g_strcmp0 (message_at (kept, 0)->body, "unsupported (location)") != 0)
        g_error ("coordinates %s, %s are read", unreadable[i][0], unreadable[i][1]);
      assert_string_at (message_at (kept, 0)->attachments, "0.data.raw.type", "location");
    }

  /* 1e400 in a copied subtree becomes null: the copy stays valid JSON */
  no_location = g_strdup ("[{\"from\":\"1\",\"id\":\"wamid.X\",\"timestamp\":\"5\","
                          "\"type\":\"location\",\"location\":null,\"extra\":[1e400,-1e400,"
                          "123456789012345678901234567890]}]");
  placeholder = parse_messages (no_location);
  assert_counts (placeholder, 1, 0, 0, 0, 0);
  g_assert_cmpstr (message_at (placeholder, 0)->body, ==, "unsupported (location)");
  assert_string_at (message_at (placeholder, 0)->attachments, "0.data.raw.extra.0", NULL);
  assert_string_at (message_at (placeholder, 0)->attachments, "0.data.raw.extra.1", NULL);
  assert_double_at (message_at (placeholder, 0)->attachments, "0.data.raw.extra.2",
                    123456789012345678901234567890.0);
}

/* Content whose members have other JSON types than WhatsApp writes them with never reads
 * as an empty message: it is kept as an unsupported placeholder with the message as sent. */
static void
test_content_wrong_types (void)
{
  static const struct {
    const char *type;
    const char *content;
  } cases[] = {
    { "text", "\"text\":{\"body\":42}" },
    { "text", "\"text\":\"hello\"" },
    { "text", "\"text\":{}" },
    { "text", "\"text\":[\"hello\"]" },
    { "image", "\"image\":{\"id\":\"m1\",\"caption\":7}" },
    { "image", "\"image\":{\"id\":\"m1\",\"mime_type\":[\"image/jpeg\"]}" },
    { "image", "\"image\":\"m1\"" },
    { "video", "\"video\":{\"id\":\"m1\",\"sha256\":{}}" },
    { "audio", "\"audio\":{\"id\":\"m1\",\"voice\":\"yes\"}" },
    { "document", "\"document\":{\"id\":\"m1\",\"filename\":12}" },
    { "sticker", "\"sticker\":{\"id\":\"m1\",\"animated\":1}" },
    { "location", "\"location\":{\"latitude\":1,\"longitude\":2,\"name\":3}" },
    { "location", "\"location\":\"51.5,-0.1\"" },
    { "contacts", "\"contacts\":[\"Ann\"]" },
    { "contacts", "\"contacts\":{\"name\":{}}" },
    { "interactive", "\"interactive\":{\"type\":\"button_reply\",\"button_reply\":"
      "{\"id\":\"b1\",\"title\":5}}" },
    { "interactive", "\"interactive\":{\"type\":\"list_reply\",\"list_reply\":"
      "{\"id\":\"r1\",\"title\":\"Row\",\"description\":true}}" },
    { "interactive", "\"interactive\":{\"type\":\"nfm_reply\",\"nfm_reply\":"
      "{\"name\":\"flow\",\"body\":1,\"response_json\":\"{}\"}}" },
    { "interactive", "\"interactive\":{\"type\":\"nfm_reply\",\"nfm_reply\":"
      "{\"name\":\"flow\",\"response_json\":5}}" },
    { "button", "\"button\":{\"payload\":\"p\",\"text\":9}" },
    { "reaction", "\"reaction\":{\"message_id\":\"wamid.X\",\"emoji\":1}" },
    { "system", "\"system\":{\"type\":\"user_changed_number\",\"body\":1,"
      "\"wa_id\":\"447700900999\"}" },
    { "system", "\"system\":\"changed\"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *messages = g_strdup_printf (
        "[{\"from\":\"1\",\"id\":\"wamid.W%u\",\"timestamp\":\"5\",\"type\":\"%s\",%s}]",
        i, cases[i].type, cases[i].content);
      g_autofree char *expected = g_strdup_printf ("unsupported (%s)", cases[i].type);
      g_autoptr(BatonWaBatch) batch = parse_messages (messages);
      BatonWaMessage *message = NULL;

      assert_counts (batch, 1, 0, 0, 0, 0);
      message = message_at (batch, 0);
      if (g_strcmp0 (message->body, expected) != 0)
        g_error ("%s: read as \"%s\"", messages, message->body);
      g_assert_null (message->reaction_to);
      g_assert_null (message->system_type);
      g_assert_cmpuint (length_at (message->attachments, ""), ==, 1);
      assert_string_at (message->attachments, "0.kind", "unsupported");
      assert_string_at (message->attachments, "0.data.type", cases[i].type);
      assert_string_at (message->attachments, "0.data.raw.type", cases[i].type);
      g_assert_nonnull (at (message->attachments, "0.data.raw.from"));
    }
}

static void
test_nul_escape (void)
{
  g_autofree char *replaced = text_body ("a\\u0000b");
  /* an escaped backslash followed by u0000 is text, not an escape */
  g_autofree char *escaped_backslash = text_body ("a\\\\u0000b");
  g_autofree char *double_escape = text_body ("a\\\\\\u0000b");
  g_autofree char *in_id = NULL;
  g_autofree char *messages = NULL;
  g_autoptr(BatonWaBatch) batch = NULL;

  g_assert_cmpstr (replaced, ==, "a\xef\xbf\xbd" "b");
  g_assert_cmpstr (escaped_backslash, ==, "a\\u0000b");
  g_assert_cmpstr (double_escape, ==, "a\\\xef\xbf\xbd" "b");

  /* also in ids, keys and copied subtrees */
  in_id = text_message ("\"wamid.\\u0000x\"", "\"1\"", "\"5\"", "\\u0000");
  messages = g_strdup_printf ("[%s,{\"from\":\"1\",\"id\":\"wamid.Y\",\"timestamp\":\"5\","
                              "\"type\":\"order\",\"order\":{\"k\\u0000\":\"v\\u0000\"}}]",
                              in_id);
  batch = parse_messages (messages);
  assert_counts (batch, 2, 0, 0, 0, 0);
  g_assert_cmpstr (message_at (batch, 0)->wamid, ==, "wamid.\xef\xbf\xbdx");
  g_assert_cmpstr (message_at (batch, 0)->body, ==, "\xef\xbf\xbd");
  assert_string_at (message_at (batch, 1)->attachments, "0.data.raw.order.k\xef\xbf\xbd",
                    "v\xef\xbf\xbd");

  /* a raw NUL byte is not JSON */
  assert_envelope_error ("{\"object\":\"a\0\"}", sizeof "{\"object\":\"a\0\"}" - 1);
}

static void
test_lone_surrogates (void)
{
  const struct {
    const char *json;
    const char *expected;
  } cases[] = {
    /* json-glib alone: invalid UTF-8 and the next character dropped */
    { "a\\ud83dbc", "a\xef\xbf\xbd" "bc" },
    { "a\\udc00b", "a\xef\xbf\xbd" "b" },
    /* json-glib alone: the whole parse fails */
    { "a\\ud83d\\u0041b", "a\xef\xbf\xbd" "Ab" },
    { "a\\ud83d", "a\xef\xbf\xbd" },
    { "\\ud83d\\ud83d\\ude00", "\xef\xbf\xbd\xf0\x9f\x98\x80" },
    { "\\ude00\\ud83d", "\xef\xbf\xbd\xef\xbf\xbd" },
    /* a pair is a character */
    { "\\ud83d\\ude00!", "\xf0\x9f\x98\x80!" },
    { "\\uD83D\\uDE00", "\xf0\x9f\x98\x80" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *body = text_body (cases[i].json);

      g_assert_true (g_utf8_validate (body, -1, NULL));
      g_assert_cmpstr (body, ==, cases[i].expected);
    }
}

static void
test_invalid_utf8 (void)
{
  const char *bodies[] = {
    "{\"object\":\"\xff\"}",
    "{\"object\":\"\xed\xa0\xbd\"}",  /* a surrogate encoded in UTF-8 */
    "{\"object\":\"\xc3\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    assert_envelope_error (bodies[i], strlen (bodies[i]));
}

/* Truncated escapes, in buffers of exactly their length: the scan must not read past the
 * end (libFuzzer found baton_json_is_strict doing so on "o\\ub). */
static void
test_truncated_escapes (void)
{
  const char *bodies[] = {
    "\"\\", "\"\\u", "\"o\\ub", "\"\\u12", "\"\\u123", "\"\\u1234",
    "{\"a\":\"\\ud83d\\u", "{\"a\":\"\\ud83d\\ude0", "{\"a\":\"\\u0000",
    "{\"a\":\"\\ud83d", "{\"a\":1234567890123456789012", "{\"a\":-",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      gsize length = strlen (bodies[i]);
      g_autofree char *exact = g_memdup2 (bodies[i], length);

      assert_envelope_error (exact, length);
    }
}

static void
test_envelope (void)
{
  const char *bodies[] = {
    " ",
    "{",
    "null",
    "\"whatsapp_business_account\"",
    "[]",
    "42",
    "{\"object\":\"whatsapp_business_account\",\"entry\":null}",
    "{\"object\":\"whatsapp_business_account\",\"entry\":\"x\"}",
    "{\"object\":\"instagram\",\"entry\":{}}",
    "{\"object\":\"whatsapp_business_account\",\"entry\":[]} x",
    "{\"object\":\"whatsapp_business_account\",\"entry\":[]}{}",
    /* json-glib accepts these, RFC 8259 does not */
    "{\"object\":'whatsapp_business_account',\"entry\":[]}",
    "{\"entry\":[],}",
    "/* c */ {\"entry\":[]}",
    "{\"entry\":[0x10]}",
    "{\"entry\":[01]}",
    "{\"entry\":[\"\\x41\"]}",
    "{\"entry\":[\"a\tb\"]}",
    /* the last of two members wins, and a name may be written with escapes */
    "{\"entry\":[],\"entry\":{}}",
    "{\"\\u0065ntry\":7}",
    "{\"object\":\"whatsapp_business_account\",\"ent\\u0072y\":[],\"entr\\u0079\":\"x\"}",
  };
  g_autoptr(BatonWaBatch) empty = NULL;

  assert_envelope_error (NULL, 0);
  assert_envelope_error ("", 0);
  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    assert_envelope_error (bodies[i], strlen (bodies[i]));

  /* no object, no entry: an empty batch, not an error */
  empty = parse ("{}");
  check_empty (empty);
  g_clear_pointer (&empty, baton_wa_batch_free);
  empty = parse ("{\"object\":\"whatsapp_business_account\"}");
  check_empty (empty);
  g_clear_pointer (&empty, baton_wa_batch_free);
  empty = parse ("{\"object\":7,\"entry\":[{\"changes\":[]}]}");
  check_empty (empty);
  g_clear_pointer (&empty, baton_wa_batch_free);
  empty = parse (" \r\n\t{\"object\":\"whatsapp_business_account\",\"entry\":[]}\n");
  check_empty (empty);
  g_clear_pointer (&empty, baton_wa_batch_free);
  empty = parse ("{\"entry\":7,\"nested\":{\"entry\":7},\"\\u0065ntry\":[],\"entry\":[]}");
  check_empty (empty);
}

static void
test_deep_nesting (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) allowed = g_string_new (NULL);
  g_autofree char *huge = NULL;
  g_autofree char *too_deep = NULL;
  g_autofree char *messages = NULL;
  g_autoptr(BatonWaBatch) batch = NULL;
  JsonNode *node = NULL;
  guint depth = 0;

  /* 65 levels: refused */
  for (guint i = 0; i < 65; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 65; i++)
    g_string_append_c (deep, ']');
  assert_envelope_error (deep->str, deep->len);
  huge = g_malloc (1000000);
  memset (huge, '[', 1000000);
  assert_envelope_error (huge, 1000000);
  memset (huge, '{', 1000000);
  assert_envelope_error (huge, 1000000);

  /* 64 levels in all (the envelope takes 8), inside an unknown message: parsed, and the
   * copy cut at 32 levels (the message object is the first); one more level is refused */
  for (guint i = 0; i < 64 - 8; i++)
    g_string_append (allowed, "{\"a\":");
  g_string_append (allowed, "1");
  for (guint i = 0; i < 64 - 8; i++)
    g_string_append_c (allowed, '}');
  messages = g_strdup_printf ("[{\"from\":\"1\",\"id\":\"wamid.D\",\"timestamp\":\"5\","
                              "\"type\":\"order\",\"order\":[%s]}]", allowed->str);
  too_deep = envelope (NULL, messages);
  assert_envelope_error (too_deep, strlen (too_deep));
  g_free (messages);
  messages = g_strdup_printf ("[{\"from\":\"1\",\"id\":\"wamid.D\",\"timestamp\":\"5\","
                              "\"type\":\"order\",\"order\":%s}]", allowed->str);
  batch = parse_messages (messages);
  assert_counts (batch, 1, 0, 0, 0, 0);
  node = at (message_at (batch, 0)->attachments, "0.data.raw.order");
  for (; node && JSON_NODE_HOLDS_OBJECT (node);
       node = json_object_get_member (json_node_get_object (node), "a"))
    depth++;
  g_assert_cmpuint (depth, ==, 31);
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_NULL (node));
}

static void
test_many_members (void)
{
  g_autoptr(GString) object = g_string_new ("{\"object\":\"whatsapp_business_account\"");
  g_autoptr(BatonWaBatch) batch = NULL;

  /* a thousand members per object are fine, more are not (json-glib's duplicate keys are
   * quadratic) */
  for (guint i = 1; i < 1000; i++)
    g_string_append_printf (object, ",\"k%u\":%u", i, i);
  g_string_append_c (object, '}');
  batch = parse (object->str);
  check_empty (batch);
  g_string_truncate (object, object->len - 1);
  g_string_append (object, ",\"k\":0}");
  assert_envelope_error (object->str, object->len);

  /* a long array is not an object */
  g_string_assign (object, "{\"object\":\"whatsapp_business_account\",\"entry\":[");
  for (guint i = 0; i < 5000; i++)
    g_string_append (object, i ? ",{}" : "{}");
  g_string_append (object, "]}");
  g_clear_pointer (&batch, baton_wa_batch_free);
  batch = parse (object->str);
  check_empty (batch);
}

static void
test_duplicate_keys (void)
{
  g_autoptr(BatonWaBatch) batch = NULL;

  /* the last one wins, as json-glib reads them */
  batch = parse ("{\"object\":\"instagram\",\"object\":\"whatsapp_business_account\","
                 "\"entry\":{},\"entry\":[{\"changes\":[{\"field\":\"messages\",\"value\":{"
                 "\"metadata\":{\"phone_number_id\":5,\"phone_number_id\":\"" NUMBER_A "\"},"
                 "\"messages\":[{\"id\":7,\"from\":\"1\",\"id\":\"wamid.K\","
                 "\"timestamp\":\"x\",\"timestamp\":\"9\",\"type\":\"text\","
                 "\"text\":{\"body\":\"first\",\"body\":\"second\"}}]}}]}]}");
  assert_counts (batch, 1, 0, 0, 0, 0);
  assert_numbers (batch, NUMBER_A, NULL);
  g_assert_cmpstr (message_at (batch, 0)->wamid, ==, "wamid.K");
  g_assert_cmpint (message_at (batch, 0)->timestamp, ==, 9);
  g_assert_cmpstr (message_at (batch, 0)->body, ==, "second");
}

static void
test_broken_arrays (void)
{
  g_autoptr(BatonWaBatch) batch = NULL;

  /* messages not an array: one broken item; the statuses of the same change are kept */
  batch = parse ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{"
                 "\"field\":\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"1\"},"
                 "\"contacts\":{\"wa_id\":\"1\"},"
                 "\"messages\":{\"from\":\"1\",\"id\":\"wamid.M\",\"timestamp\":\"5\"},"
                 "\"statuses\":[{\"id\":\"wamid.S\",\"status\":\"sent\",\"timestamp\":5}],"
                 "\"errors\":\"boom\"}}]}]}");
  assert_counts (batch, 0, 1, 0, 0, 2);
  assert_numbers (batch, "1", NULL);
  g_clear_pointer (&batch, baton_wa_batch_free);

  /* broken entries and changes are skipped, the good ones read */
  batch = parse ("{\"object\":\"whatsapp_business_account\",\"entry\":[1,\"x\",null,"
                 "{\"changes\":{}},{\"changes\":[7,{\"field\":\"messages\"},"
                 "{\"field\":\"messages\",\"value\":[]},{\"field\":3,\"value\":{}},"
                 "{\"value\":{}},"
                 "{\"field\":\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"2\"},"
                 "\"messages\":[{\"from\":\"1\",\"id\":\"wamid.N\",\"timestamp\":\"5\","
                 "\"type\":\"text\",\"text\":{\"body\":\"ok\"}}]}}]}]}");
  /* 3 entries + 1 changes + 1 change + 2 values = 7 skipped; field 3 and no field: ignored */
  assert_counts (batch, 1, 0, 0, 2, 7);
  assert_numbers (batch, "2", NULL);
  g_assert_cmpstr (message_at (batch, 0)->body, ==, "ok");
}

static void
test_missing_metadata (void)
{
  g_autoptr(BatonWaBatch) batch = NULL;
  BatonWaError *error = NULL;

  /* nothing can be routed: messages and statuses skipped, errors kept without a number */
  batch = parse ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":["
                 "{\"field\":\"messages\",\"value\":{"
                 "\"messages\":[{\"from\":\"1\",\"id\":\"wamid.M\",\"timestamp\":\"5\","
                 "\"type\":\"text\",\"text\":{\"body\":\"x\"}},{}],"
                 "\"statuses\":[{\"id\":\"wamid.S\",\"status\":\"sent\",\"timestamp\":5}],"
                 "\"errors\":[{\"code\":\"131016\",\"title\":\"t\"}]}},"
                 "{\"field\":\"messages\",\"value\":{\"metadata\":\"x\","
                 "\"messages\":[{\"from\":\"1\",\"id\":\"wamid.M\",\"timestamp\":\"5\","
                 "\"type\":\"text\",\"text\":{\"body\":\"x\"}}]}},"
                 "{\"field\":\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":42},"
                 "\"statuses\":[{\"id\":\"wamid.S\",\"status\":\"sent\",\"timestamp\":5}]}}"
                 "]}]}");
  assert_counts (batch, 0, 0, 1, 0, 5);
  assert_numbers (batch, NULL);
  error = g_ptr_array_index (batch->errors, 0);
  g_assert_null (error->phone_number_id);
  g_assert_cmpint (error->code, ==, 131016);
  g_assert_cmpstr (error->title, ==, "t");
  g_assert_null (error->message);
  g_assert_null (error->details);
}

static void
test_contacts_matching (void)
{
  const char *contacts =
    "[7,{\"profile\":{\"name\":\"Somebody Else\"},\"wa_id\":\"447700900999\"},"
    "{\"profile\":\"x\",\"wa_id\":\"447700900555\"},"
    "{\"profile\":{\"name\":\"Harriet Quill\"},\"wa_id\":\"447700900123\"},"
    "{\"profile\":{\"name\":\"Second Harriet\"},\"wa_id\":\"447700900123\"},"
    "{\"profile\":{\"name\":\"Number\"},\"wa_id\":447700900777},"
    "{\"profile\":{\"name\":\"Lin\",\"username\":\"lin.codes\"},"
    "\"user_id\":\"GB.7731940258816604172\"}]";
  const char *messages =
    "[{\"from\":\"447700900123\",\"id\":\"wamid.1\",\"timestamp\":\"5\",\"type\":\"text\","
    "\"text\":{\"body\":\"a\"}},"
    "{\"from\":\"447700900888\",\"id\":\"wamid.2\",\"timestamp\":\"5\",\"type\":\"text\","
    "\"text\":{\"body\":\"b\"}},"
    "{\"from_user_id\":\"GB.7731940258816604172\",\"id\":\"wamid.3\",\"timestamp\":\"5\","
    "\"type\":\"text\",\"text\":{\"body\":\"c\"}},"
    "{\"from\":\"447700900555\",\"id\":\"wamid.4\",\"timestamp\":\"5\",\"type\":\"text\","
    "\"text\":{\"body\":\"d\"}},"
    "{\"from\":\"447700900777\",\"id\":\"wamid.5\",\"timestamp\":\"5\",\"type\":\"text\","
    "\"text\":{\"body\":\"e\"}}]";
  g_autofree char *body = envelope (contacts, messages);
  g_autoptr(BatonWaBatch) batch = parse (body);
  g_autofree char *not_array = envelope ("{\"wa_id\":\"447700900123\"}", messages);
  g_autoptr(BatonWaBatch) unmatched = parse (not_array);

  assert_counts (batch, 5, 0, 0, 0, 0);
  /* by wa_id, not by index; the first match wins */
  g_assert_cmpstr (message_at (batch, 0)->profile_name, ==, "Harriet Quill");
  g_assert_null (message_at (batch, 1)->profile_name);
  /* a username-only user: no from, the BSUID instead */
  g_assert_null (message_at (batch, 2)->from);
  g_assert_cmpstr (message_at (batch, 2)->from_user_id, ==, "GB.7731940258816604172");
  g_assert_cmpstr (message_at (batch, 2)->profile_name, ==, "Lin");
  g_assert_cmpstr (message_at (batch, 2)->username, ==, "lin.codes");
  g_assert_null (message_at (batch, 3)->profile_name);
  /* a wa_id that is a number matches nothing */
  g_assert_null (message_at (batch, 4)->profile_name);

  assert_counts (unmatched, 5, 0, 0, 0, 0);
  for (guint i = 0; i < 5; i++)
    g_assert_null (message_at (unmatched, i)->profile_name);
}

static void
test_several_entries (void)
{
  g_autoptr(BatonWaBatch) batch = NULL;

  batch = parse ("{\"object\":\"whatsapp_business_account\",\"entry\":["
                 "{\"id\":\"w1\",\"changes\":[{\"field\":\"messages\",\"value\":{"
                 "\"metadata\":{\"phone_number_id\":\"A\",\"display_phone_number\":\"1\"},"
                 "\"contacts\":[{\"wa_id\":\"9\",\"profile\":{\"name\":\"In A\"}}],"
                 "\"messages\":[{\"from\":\"9\",\"id\":\"wamid.1\",\"timestamp\":\"1\","
                 "\"type\":\"text\",\"text\":{\"body\":\"one\"}},"
                 "{\"from\":\"9\",\"id\":\"wamid.2\",\"timestamp\":\"2\","
                 "\"type\":\"text\",\"text\":{\"body\":\"two\"}}]}},"
                 "{\"field\":\"account_update\",\"value\":{\"metadata\":"
                 "{\"phone_number_id\":\"C\"}}},"
                 "{\"field\":\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"B\"},"
                 "\"messages\":[{\"from\":\"9\",\"id\":\"wamid.3\",\"timestamp\":\"3\","
                 "\"type\":\"text\",\"text\":{\"body\":\"three\"}}]}}]},"
                 "{\"id\":\"w2\",\"changes\":[{\"field\":\"messages\",\"value\":{"
                 "\"metadata\":{\"phone_number_id\":\"A\"},"
                 "\"statuses\":[{\"id\":\"wamid.S\",\"status\":\"played\",\"timestamp\":4,"
                 "\"errors\":[{\"code\":1}]}],"
                 "\"errors\":[{\"code\":131000},{}]}}]}]}");
  assert_counts (batch, 3, 1, 2, 1, 0);
  /* distinct, in order; the other field's number is not named */
  assert_numbers (batch, "A", "B", NULL);
  g_assert_cmpstr (message_at (batch, 0)->body, ==, "one");
  g_assert_cmpstr (message_at (batch, 1)->body, ==, "two");
  g_assert_cmpstr (message_at (batch, 2)->body, ==, "three");
  g_assert_cmpstr (message_at (batch, 0)->phone_number_id, ==, "A");
  g_assert_cmpstr (message_at (batch, 0)->display_phone_number, ==, "1");
  g_assert_cmpstr (message_at (batch, 0)->profile_name, ==, "In A");
  /* contacts belong to their change */
  g_assert_cmpstr (message_at (batch, 2)->phone_number_id, ==, "B");
  g_assert_null (message_at (batch, 2)->display_phone_number);
  g_assert_null (message_at (batch, 2)->profile_name);
  g_assert_cmpstr (((BatonWaStatus *) g_ptr_array_index (batch->statuses, 0))->status, ==,
                   "played");
  assert_int_at (((BatonWaStatus *) g_ptr_array_index (batch->statuses, 0))->error, "code", 1);
  assert_string_at (((BatonWaStatus *) g_ptr_array_index (batch->statuses, 0))->error,
                    "details", NULL);
  g_assert_cmpint (((BatonWaError *) g_ptr_array_index (batch->errors, 0))->code, ==, 131000);
  g_assert_cmpstr (((BatonWaError *) g_ptr_array_index (batch->errors, 0))->phone_number_id,
                   ==, "A");
  g_assert_cmpint (((BatonWaError *) g_ptr_array_index (batch->errors, 1))->code, ==, 0);
}

static BatonWaMessage *
one_of (BatonWaBatch *batch)
{
  assert_counts (batch, 1, 0, 0, 0, 0);
  return message_at (batch, 0);
}

static void
test_other_types (void)
{
  g_autoptr(BatonWaBatch) order = NULL;
  g_autoptr(BatonWaBatch) flow = NULL;
  g_autoptr(BatonWaBatch) flow_text = NULL;
  g_autoptr(BatonWaBatch) other_interactive = NULL;
  g_autoptr(BatonWaBatch) system = NULL;
  g_autoptr(BatonWaBatch) user_id = NULL;
  g_autoptr(BatonWaBatch) reaction = NULL;
  g_autoptr(BatonWaBatch) unsupported = NULL;
  g_autoptr(BatonWaBatch) missing = NULL;
  g_autoptr(BatonWaBatch) mistyped = NULL;
  BatonWaMessage *message = NULL;

  order = parse_messages ("[{\"from\":\"1\",\"id\":\"wamid.O\",\"timestamp\":\"5\","
                          "\"type\":\"order\",\"order\":{\"catalog_id\":\"c\"},"
                          "\"context\":{\"forwarded\":true},"
                          "\"errors\":[{\"code\":131051}]}]");
  message = one_of (order);
  g_assert_cmpstr (message->body, ==, "unsupported (order)");
  g_assert_true (message->opens_window);
  g_assert_cmpint (message->error_code, ==, 131051);
  assert_string_at (message->attachments, "0.kind", "unsupported");
  assert_string_at (message->attachments, "0.data.type", "order");
  assert_string_at (message->attachments, "0.data.raw.order.catalog_id", "c");
  assert_bool_at (message->data, "forwarded", TRUE);
  assert_bool_at (message->data, "frequently_forwarded", FALSE);

  /* a response_json that is not JSON stays the string; a body with text is shown */
  flow = parse_messages ("[{\"from\":\"1\",\"id\":\"wamid.F\",\"timestamp\":\"5\","
                         "\"type\":\"interactive\",\"interactive\":{\"type\":\"nfm_reply\","
                         "\"nfm_reply\":{\"response_json\":\"{not json\\u0000\"}}}]");
  message = one_of (flow);
  g_assert_cmpstr (message->body, ==, "Sent");
  assert_string_at (message->data, "response", "{not json\xef\xbf\xbd");
  assert_string_at (message->data, "name", NULL);
  assert_string_at (message->data, "body", NULL);
  flow_text = parse_messages ("[{\"from\":\"1\",\"id\":\"wamid.F\",\"timestamp\":\"5\","
                              "\"type\":\"interactive\",\"interactive\":{\"type\":\"nfm_reply\","
                              "\"nfm_reply\":{\"body\":\"Booked for Friday\",\"response_json\":"
                              "\"{\\\"n\\\":[1e400,\\\"\\\\ud800\\\"]}\"}}}]");
  message = one_of (flow_text);
  g_assert_cmpstr (message->body, ==, "Booked for Friday");
  assert_string_at (message->data, "response.n.0", NULL);
  assert_string_at (message->data, "response.n.1", "\xef\xbf\xbd");

  /* an interactive type the parser does not know: a placeholder */
  other_interactive = parse_messages ("[{\"from\":\"1\",\"id\":\"wamid.I\",\"timestamp\":\"5\","
                                      "\"type\":\"interactive\",\"interactive\":{\"type\":"
                                      "\"call_permission_reply\",\"call_permission_reply\":"
                                      "{\"response\":\"accept\"}}}]");
  message = one_of (other_interactive);
  g_assert_cmpstr (message->body, ==, "unsupported (interactive)");
  assert_string_at (message->attachments, "0.data.raw.interactive.type",
                    "call_permission_reply");

  /* the older system spelling */
  system = parse_messages ("[{\"from\":\"1\",\"id\":\"wamid.Y\",\"timestamp\":\"5\","
                           "\"type\":\"system\",\"system\":{\"body\":\"changed\","
                           "\"new_wa_id\":\"2\",\"type\":\"customer_changed_number\"}}]");
  message = one_of (system);
  g_assert_cmpstr (message->system_type, ==, "user_changed_number");
  g_assert_cmpstr (message->system_new_wa_id, ==, "2");
  g_assert_cmpstr (message->body, ==, "changed");
  g_assert_false (message->opens_window);
  user_id = parse_messages ("[{\"from_user_id\":\"GB.1\",\"id\":\"wamid.Y\",\"timestamp\":\"5\","
                            "\"type\":\"system\",\"system\":{\"type\":\"user_changed_user_id\","
                            "\"user_id\":\"GB.2\",\"previous_user_id\":\"GB.1\"}}]");
  message = one_of (user_id);
  g_assert_cmpstr (message->system_type, ==, "user_changed_user_id");
  g_assert_null (message->system_new_wa_id);
  g_assert_cmpstr (message->system_new_user_id, ==, "GB.2");
  g_assert_cmpstr (message->system_previous_user_id, ==, "GB.1");
  g_assert_cmpstr (message->body, ==, "");

  /* an empty emoji is a removal */
  reaction = parse_messages ("[{\"from\":\"1\",\"id\":\"wamid.R\",\"timestamp\":\"5\","
                             "\"type\":\"reaction\",\"reaction\":{\"message_id\":\"wamid.Q\","
                             "\"emoji\":\"\"}}]");
  message = one_of (reaction);
  g_assert_cmpstr (message->reaction_to, ==, "wamid.Q");
  g_assert_null (message->reaction_emoji);

  unsupported = parse_messages ("[{\"from\":\"1\",\"id\":\"wamid.U\",\"timestamp\":\"5\","
                                "\"type\":\"unsupported\",\"unsupported\":{\"type\":7}}]");
  message = one_of (unsupported);
  g_assert_cmpstr (message->body, ==, "unsupported (unknown)");
  assert_string_at (message->attachments, "0.data.type", "unknown");

  /* a known type without its object, or with members of other types: a placeholder, not a
   * crash nor an empty message; no type: skipped */
  missing = parse_messages ("[{\"from\":\"1\",\"id\":\"wamid.1\",\"timestamp\":\"5\","
                            "\"type\":\"image\"},"
                            "{\"from\":\"1\",\"id\":\"wamid.2\",\"timestamp\":\"5\","
                            "\"type\":\"text\",\"text\":{\"body\":5}},"
                            "{\"from\":\"1\",\"id\":\"wamid.3\",\"timestamp\":\"5\","
                            "\"type\":\"button\",\"button\":[]},"
                            "{\"from\":\"1\",\"id\":\"wamid.4\",\"timestamp\":\"5\","
                            "\"type\":\"contacts\",\"contacts\":[1,{\"name\":{}}]},"
                            "{\"from\":\"1\",\"id\":\"wamid.5\",\"timestamp\":\"5\","
                            "\"type\":\"reaction\"},"
                            "{\"from\":\"1\",\"id\":\"wamid.6\",\"timestamp\":\"5\"},"
                            "{\"from\":\"1\",\"id\":\"wamid.7\",\"timestamp\":\"5\","
                            "\"type\":\"\"},"
                            "{\"from\":\"1\",\"id\":\"wamid.8\",\"timestamp\":\"5\","
                            "\"type\":[\"text\"]}]");
  assert_counts (missing, 5, 0, 0, 0, 3);
  g_assert_cmpstr (message_at (missing, 0)->body, ==, "unsupported (image)");
  g_assert_cmpstr (message_at (missing, 1)->body, ==, "unsupported (text)");
  g_assert_cmpstr (message_at (missing, 2)->body, ==, "unsupported (button)");
  g_assert_cmpstr (message_at (missing, 3)->body, ==, "unsupported (contacts)");
  g_assert_cmpuint (length_at (message_at (missing, 3)->attachments, "0.data.raw.contacts"), ==,
                    2);
  g_assert_cmpstr (message_at (missing, 4)->body, ==, "unsupported (reaction)");

  /* mistyped optional members around the content are absent, not crashes */
  mistyped = parse_messages ("[{\"from\":\"1\",\"id\":\"wamid.1\",\"timestamp\":\"5\","
                             "\"type\":\"document\",\"document\":{\"id\":\"m\"},"
                             "\"context\":{\"id\":5,\"forwarded\":\"yes\"},\"referral\":\"ad\","
                             "\"errors\":[{\"code\":\"x\"}]}]");
  message = one_of (mistyped);
  assert_media (message, "document", NULL, NULL, "m", NULL);
  assert_string_at (message->attachments, "0.filename", NULL);
  g_assert_null (message->context_id);
  g_assert_null (message->data);
  g_assert_null (message->referral);
  g_assert_cmpint (message->error_code, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      g_autofree char *path = g_strdup_printf ("/whatsapp/webhook/corpus/%.2s", fixtures[i].file);

      g_test_add_data_func (path, &fixtures[i], test_fixture);
    }
  g_test_add_func ("/whatsapp/webhook/corpus/covered", test_fixtures_covered);
  g_test_add_func ("/whatsapp/webhook/ids-not-strings", test_ids_not_strings);
  g_test_add_func ("/whatsapp/webhook/timestamps", test_timestamps);
  g_test_add_func ("/whatsapp/webhook/coordinates", test_coordinates);
  g_test_add_func ("/whatsapp/webhook/content-wrong-types", test_content_wrong_types);
  g_test_add_func ("/whatsapp/webhook/nul-escape", test_nul_escape);
  g_test_add_func ("/whatsapp/webhook/lone-surrogates", test_lone_surrogates);
  g_test_add_func ("/whatsapp/webhook/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/whatsapp/webhook/envelope", test_envelope);
  g_test_add_func ("/whatsapp/webhook/truncated-escapes", test_truncated_escapes);
  g_test_add_func ("/whatsapp/webhook/deep-nesting", test_deep_nesting);
  g_test_add_func ("/whatsapp/webhook/many-members", test_many_members);
  g_test_add_func ("/whatsapp/webhook/duplicate-keys", test_duplicate_keys);
  g_test_add_func ("/whatsapp/webhook/broken-arrays", test_broken_arrays);
  g_test_add_func ("/whatsapp/webhook/missing-metadata", test_missing_metadata);
  g_test_add_func ("/whatsapp/webhook/contacts-matching", test_contacts_matching);
  g_test_add_func ("/whatsapp/webhook/several-entries", test_several_entries);
  g_test_add_func ("/whatsapp/webhook/other-types", test_other_types);

  return g_test_run ();
}
