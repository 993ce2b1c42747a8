/* baton-channel-editor.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "baton-client.h"

G_BEGIN_DECLS

/* A manager's window to add or edit a WhatsApp number (a channel of kind "whatsapp"): name,
 * phone number id, display number, WhatsApp Business Account id, the access token and app
 * secret (write-only: when editing, empty keeps what is saved), the verify token (a random
 * one is offered for a new number), the Graph API base URL, the default team and user, and
 * the webhook URL to paste in Meta's App Dashboard (the client's server URL +
 * /webhooks/whatsapp). Save sends POST /channels or PATCH /channels/{id}; a refused field
 * (error.field) is marked on its row, other errors show as toasts.
 *
 * Signal "saved" (BatonChannel *channel): the server's channel after a save; the window closes
 * after it. */

#define BATON_TYPE_CHANNEL_EDITOR (baton_channel_editor_get_type ())

G_DECLARE_FINAL_TYPE (BatonChannelEditor, baton_channel_editor, BATON, CHANNEL_EDITOR, AdwWindow)

/* channel: the WhatsApp channel to edit, or NULL for a new one. */
BatonChannelEditor *baton_channel_editor_new              (BatonClient        *client,
                                                           BatonChannel       *channel);
/* The channel's id, or NULL while it is a new one. */
const char         *baton_channel_editor_get_channel_id   (BatonChannelEditor *self);
const char         *baton_channel_editor_get_webhook_url  (BatonChannelEditor *self);
/* The message shown on a field's row after the server refused it ("phone_number_id"), or
 * NULL. */
const char         *baton_channel_editor_get_field_error  (BatonChannelEditor *self,
                                                           const char         *field);
/* A random verify token: 24 URL-safe characters. */
char               *baton_channel_editor_generate_token   (void);

G_END_DECLS
