/* baton-whatsapp-status.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* One delivery status of a message sent on WhatsApp, as the webhook parser reads it and the
 * domain records it on the message. */
typedef struct {
  char *phone_number_id;
  char *wamid;
  /* "sent", "delivered", "read", "played", "failed", or what was sent */
  char *status;
  gint64 timestamp;
  char *recipient_id;
  char *recipient_user_id;
  /* recipient_id / recipient_user_id NULL when absent or not strings; conversation and
   * pricing as sent, sanitised, NULL when absent or not objects */
  JsonNode *conversation;
  JsonNode *pricing;
  /* errors[0] whenever the status has one (failed ones do): {code: int (0 when absent),
   * title|null, message|null, details: error_data.details|null}; NULL otherwise */
  JsonNode *error;
} BatonWaStatus;

BatonWaStatus *baton_wa_status_copy (const BatonWaStatus *status);
void           baton_wa_status_free (BatonWaStatus       *status);

G_END_DECLS
