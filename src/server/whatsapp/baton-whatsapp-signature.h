/* baton-whatsapp-signature.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean baton_whatsapp_signature_matches (const char *app_secret,
                                           const char *body,
                                           gsize       length,
                                           const char *header);
char    *baton_whatsapp_escape_body       (const char *body,
                                           gsize       length,
                                           gsize      *escaped_length);

G_END_DECLS
