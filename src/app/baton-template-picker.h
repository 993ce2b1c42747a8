/* baton-template-picker.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "baton-client.h"

G_BEGIN_DECLS

/* A window to send an approved WhatsApp template to a conversation's customer (the only kind
 * of message allowed once their 24-hour window has closed): the channel's templates
 * (GET /channels/{id}/templates: name, language, body with its {{n}} placeholders), then an
 * entry per parameter with a live preview of the text, and Send
 * (POST /conversations/{id}/messages {template: {name, language, parameters}}). Errors from
 * the server show as toasts in the window.
 *
 * Signal "sent" (BatonMessage *): the server took the message; the window closes after it. */

#define BATON_TYPE_TEMPLATE_PICKER (baton_template_picker_get_type ())

G_DECLARE_FINAL_TYPE (BatonTemplatePicker, baton_template_picker, BATON, TEMPLATE_PICKER,
                      AdwWindow)

BatonTemplatePicker *baton_template_picker_new              (BatonClient         *client,
                                                             const char          *channel_id,
                                                             const char          *conversation_id);
/* The body with {{n}} replaced by parameters[n-1] where that is not empty (n from 1). */
char                *baton_template_picker_render           (const char          *body,
                                                             const char * const  *parameters);
/* The highest {{n}} of a body (0 when it has none). */
guint                baton_template_picker_count_parameters (const char          *body);

G_END_DECLS
