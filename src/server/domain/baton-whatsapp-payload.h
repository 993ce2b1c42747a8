/* baton-whatsapp-payload.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The Graph API message bodies a reply becomes. The domain writes them into the outbox in the
 * reply's transaction, so a retried send repeats the very request that was stored. */

/* request bodies (corpus 60–64). to is a wa_id; when it is NULL, recipient (a BSUID) is
 * used instead. context_id quotes a wamid, NULL for none. */
JsonNode        *baton_whatsapp_text_payload          (const char           *to,
                                                       const char           *recipient,
                                                       const char           *body,
                                                       const char           *context_id,
                                                       gboolean              preview_url);
/* body parameters in order, then one quick-reply payload per button (NULL-terminated
 * vectors; either may be NULL) */
JsonNode        *baton_whatsapp_template_payload      (const char           *to,
                                                       const char           *recipient,
                                                       const char           *name,
                                                       const char           *language,
                                                       const char * const   *body_parameters,
                                                       const char * const   *button_payloads);
/* A media message (REFERENCE.md §4: type image, video, audio or document) of the file an agent
 * uploaded: the outbox entry {"upload": upload_id, "message": <the Graph body>}, whose
 * <kind>.id the sender fills with the Graph media id once the file is uploaded. caption: NULL
 * for none (audio takes none); filename: documents only. */
JsonNode        *baton_whatsapp_media_payload         (const char           *to,
                                                       const char           *recipient,
                                                       const char           *kind,
                                                       const char           *upload_id,
                                                       const char           *caption,
                                                       const char           *filename,
                                                       const char           *context_id);

G_END_DECLS
