/* baton-api-whatsapp.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-api"

#include "config.h"

#include <string.h>

#include "baton-api.h"
#include "baton-whatsapp.h"
#include "baton-json.h"
#include "baton-whatsapp-webhook.h"

/* The WhatsApp webhook (REFERENCE.md §1, §2, §7) and the endpoints that reach the Graph API:
 * templates, read receipts (attachments: baton-api-attachments.c). */

static void
reply_text (BatonRequest *request,
            guint         status,
            const char   *text)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  baton_request_respond (request, status, "text/plain; charset=utf-8", bytes);
}

void
baton_api_whatsapp_handshake (BatonRequest *request)
{
  const char *mode = baton_request_query (request, "hub.mode");
  const char *token = baton_request_query (request, "hub.verify_token");
  const char *challenge = baton_request_query (request, "hub.challenge");

  if (challenge == NULL || *challenge == '\0')
    {
      reply_text (request, 400, "hub.challenge is missing");
      return;
    }
  if (g_strcmp0 (mode, "subscribe") != 0
      || !baton_whatsapp_verify_token (request->whatsapp, token))
    {
      /* no hint of which part was wrong */
      reply_text (request, 403, "Verification refused");
      return;
    }
  /* echoed verbatim, whatever it looks like (not parsed as a number) */
  reply_text (request, 200, challenge);
}

void
baton_api_whatsapp_webhook (BatonRequest *request)
{
  g_autoptr(GBytes) raw = baton_request_raw_body (request);
  g_autoptr(GError) error = NULL;
  g_autofree char *digest = NULL;
  gsize length = 0;
  const char *body = g_bytes_get_data (raw, &length);

  if (length > request->body_limit)
    {
      baton_request_fail (request, BATON_ERROR_PAYLOAD_TOO_LARGE,
                          "The request body is larger than %" G_GSIZE_FORMAT " bytes",
                          request->body_limit);
      return;
    }
  /* The signature is checked over the bytes as received, before anything reads them. */
  digest = baton_whatsapp_authenticate (request->whatsapp, body, length,
                                        baton_request_header (request, "X-Hub-Signature-256"));
  if (digest == NULL)
    {
      g_message ("WhatsApp webhook with a missing or wrong signature refused");
      baton_request_fail (request, BATON_ERROR_UNAUTHORIZED,
                          "X-Hub-Signature-256 is missing or does not match any app secret");
      return;
    }
  /* Only a broken envelope is refused; Meta would redeliver it for days otherwise. */
  if (!baton_wa_batch_check (body, length, &error))
    {
      baton_request_reply_error (request, error);
      return;
    }
  if (!baton_whatsapp_accept (request->whatsapp, body, length, digest, &error))
    {
      baton_request_reply_error (request, error);
      return;
    }
  reply_text (request, 200, "EVENT_RECEIVED");
}

static void
templates_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  BatonDeferred *deferred = user_data;
  BatonRequest *request = baton_deferred_request (deferred);
  g_autoptr(GError) error = NULL;
  GPtrArray *templates = baton_whatsapp_templates_finish (BATON_WHATSAPP (source), result,
                                                          &error);

  if (templates == NULL)
    baton_request_reply_error (request, error);
  else
    baton_request_reply_list (request, templates, NULL);
  baton_deferred_finish (deferred);
}

void
baton_api_channel_templates (BatonRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) channel = baton_workspace_load_channel (request->workspace,
                                                              baton_request_param (request, 0),
                                                              &error);
  const char *refresh = baton_request_query (request, "refresh");

  if (channel == NULL)
    {
      baton_request_reply_error (request, error);
      return;
    }
  /* Only WhatsApp has templates; an api channel has none. */
  if (g_strcmp0 (baton_json_get_string (json_node_get_object (channel), "kind"), "whatsapp") != 0)
    {
      baton_request_reply_list (request,
                                g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref),
                                NULL);
      return;
    }
  baton_whatsapp_templates_async (request->whatsapp, baton_request_param (request, 0),
                                  g_strcmp0 (refresh, "true") == 0
                                  || g_strcmp0 (refresh, "1") == 0, NULL, templates_cb,
                                  baton_request_defer (request));
}

void
baton_api_mark_read (BatonRequest *request)
{
  const char *id = baton_request_param (request, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonConversation) conversation = NULL;

  conversation = baton_workspace_load_conversation (request->workspace, id, &error);
  if (conversation == NULL || !baton_whatsapp_mark_read (request->whatsapp, id, &error))
    {
      baton_request_reply_error (request, error);
      return;
    }
  baton_request_reply_empty (request, 204);
}
