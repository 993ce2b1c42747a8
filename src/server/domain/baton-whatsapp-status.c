/* baton-whatsapp-status.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-whatsapp-status.h"

void
baton_wa_status_free (BatonWaStatus *status)
{
  if (status == NULL)
    return;
  g_free (status->phone_number_id);
  g_free (status->wamid);
  g_free (status->status);
  g_free (status->recipient_id);
  g_free (status->recipient_user_id);
  g_clear_pointer (&status->conversation, json_node_unref);
  g_clear_pointer (&status->pricing, json_node_unref);
  g_clear_pointer (&status->error, json_node_unref);
  g_free (status);
}

BatonWaStatus *
baton_wa_status_copy (const BatonWaStatus *status)
{
  BatonWaStatus *copy = g_new0 (BatonWaStatus, 1);

  copy->phone_number_id = g_strdup (status->phone_number_id);
  copy->wamid = g_strdup (status->wamid);
  copy->status = g_strdup (status->status);
  copy->timestamp = status->timestamp;
  copy->recipient_id = g_strdup (status->recipient_id);
  copy->recipient_user_id = g_strdup (status->recipient_user_id);
  copy->conversation = status->conversation ? json_node_copy (status->conversation) : NULL;
  copy->pricing = status->pricing ? json_node_copy (status->pricing) : NULL;
  copy->error = status->error ? json_node_copy (status->error) : NULL;
  return copy;
}
