/* fuzz-whatsapp-webhook.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>

#include "baton-json.h"
#include "baton-whatsapp-signature.h"
#include "baton-whatsapp-webhook.h"
#include "whatsapp-corpus.h"

/* Fuzz target for what an unauthenticated POST /webhooks/whatsapp reaches: the signature
 * check and the webhook parser. Built with libFuzzer under -Dfuzzing=true (clang), and run
 * over the corpus and deterministic mutations of it by fuzz-driver.c in every build. Beyond
 * "no crash, no leak", it checks what the parser promises: an error exactly when no batch,
 * and only valid UTF-8 and valid JSON in the records. */

#define MAX_HEADER 80

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check_string (const char *text)
{
  if (text && !g_utf8_validate (text, -1, NULL))
    abort ();
}

static void
check_node (JsonNode *node)
{
  g_autofree char *text = NULL;

  if (node == NULL)
    return;
  text = json_to_string (node, FALSE);
  /* also catches a non-finite double, written as a bare inf */
  if (!g_utf8_validate (text, -1, NULL) || !baton_json_is_strict (text, strlen (text)))
    abort ();
}

static void
check_batch (BatonWaBatch *batch)
{
  for (guint i = 0; i < batch->messages->len; i++)
    {
      BatonWaMessage *message = g_ptr_array_index (batch->messages, i);

      if (message->wamid == NULL || message->phone_number_id == NULL || message->type == NULL
          || message->body == NULL || message->timestamp <= 0
          || (message->from == NULL && message->from_user_id == NULL))
        abort ();
      check_string (message->phone_number_id);
      check_string (message->display_phone_number);
      check_string (message->wamid);
      check_string (message->from);
      check_string (message->from_user_id);
      check_string (message->profile_name);
      check_string (message->username);
      check_string (message->type);
      check_string (message->body);
      check_string (message->context_id);
      check_string (message->reaction_to);
      check_string (message->reaction_emoji);
      check_string (message->system_type);
      check_string (message->system_new_wa_id);
      check_string (message->system_new_user_id);
      check_string (message->system_previous_user_id);
      check_node (message->attachments);
      check_node (message->data);
      check_node (message->referral);
    }
  for (guint i = 0; i < batch->statuses->len; i++)
    {
      BatonWaStatus *status = g_ptr_array_index (batch->statuses, i);

      if (status->wamid == NULL || status->status == NULL || status->timestamp <= 0)
        abort ();
      check_string (status->phone_number_id);
      check_string (status->wamid);
      check_string (status->status);
      check_string (status->recipient_id);
      check_string (status->recipient_user_id);
      check_node (status->conversation);
      check_node (status->pricing);
      check_node (status->error);
    }
  for (guint i = 0; i < batch->errors->len; i++)
    {
      BatonWaError *error = g_ptr_array_index (batch->errors, i);

      check_string (error->phone_number_id);
      check_string (error->title);
      check_string (error->message);
      check_string (error->details);
    }
  for (guint i = 0; i < batch->phone_number_ids->len; i++)
    check_string (g_ptr_array_index (batch->phone_number_ids, i));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static gboolean initialised = FALSE;
  g_autoptr(BatonWaBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) check_error = NULL;
  char header[MAX_HEADER + 1] = { 0 };

  if (!initialised)
    {
      /* a critical from json-glib means a member was read with the wrong type */
      g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
      if (sodium_init () < 0)
        abort ();
      initialised = TRUE;
    }

  batch = baton_wa_batch_parse ((const char *) data, size, &error);
  if ((batch == NULL) == (error == NULL))
    abort ();
  /* the check a webhook's answer waits for says what the parse says */
  if (baton_wa_batch_check ((const char *) data, size, &check_error) != (batch != NULL)
      || (error && g_strcmp0 (error->message, check_error->message) != 0))
    abort ();
  if (batch)
    check_batch (batch);

  /* the body under a fixed header, then the body's start as the header */
  baton_whatsapp_signature_matches (APP_SECRET, (const char *) data, size,
                                    "sha256=1b162beba99677f88b08d9c22b89830d"
                                    "f1855c965cbc590a3fbf78e1ff8101fe");
  memcpy (header, data, MIN (size, MAX_HEADER));
  baton_whatsapp_signature_matches (APP_SECRET, (const char *) data, size, header);
  return 0;
}
