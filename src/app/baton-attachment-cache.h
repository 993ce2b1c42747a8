/* baton-attachment-cache.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "baton-attachment.h"
#include "baton-client.h"

G_BEGIN_DECLS

/* The media of message attachments, fetched through the signed-in client
 * (GET /attachments/{id}): images decoded once and kept in memory by attachment id, other
 * media saved under the user's cache directory with a generated name (the customer's
 * filename is only ever shown, never used as a path) and opened with the default
 * application.
 *
 * Signal "open-uri" (const char *uri) → gboolean: emitted before a file or a location is
 * handed to the desktop; a handler returning TRUE has opened it (tests use it to see what
 * would open). */

#define BATON_TYPE_ATTACHMENT_CACHE (baton_attachment_cache_get_type ())

G_DECLARE_FINAL_TYPE (BatonAttachmentCache, baton_attachment_cache, BATON, ATTACHMENT_CACHE,
                      GObject)

BatonAttachmentCache *baton_attachment_cache_new                 (BatonClient           *client);
BatonClient          *baton_attachment_cache_get_client          (BatonAttachmentCache  *self);
/* The decoded image of an attachment loaded before, or NULL. */
GdkTexture           *baton_attachment_cache_lookup_texture      (BatonAttachmentCache  *self,
                                                                  const char            *attachment_id);
void                  baton_attachment_cache_load_texture_async  (BatonAttachmentCache  *self,
                                                                  const char            *attachment_id,
                                                                  GCancellable          *cancellable,
                                                                  GAsyncReadyCallback    callback,
                                                                  gpointer               user_data);
GdkTexture           *baton_attachment_cache_load_texture_finish (BatonAttachmentCache  *self,
                                                                  GAsyncResult          *result,
                                                                  GError               **error);
/* Opens an attachment of a message: media are fetched and saved
 * to a cache file first (once), locations open their url or a geo: URI. */
void                  baton_attachment_cache_open_async          (BatonAttachmentCache  *self,
                                                                  BatonAttachment       *attachment,
                                                                  GCancellable          *cancellable,
                                                                  GAsyncReadyCallback    callback,
                                                                  gpointer               user_data);
gboolean              baton_attachment_cache_open_finish         (BatonAttachmentCache  *self,
                                                                  GAsyncResult          *result,
                                                                  GError               **error);
/* The cache file's name for an attachment: a hash of its id and an extension taken from the
 * filename (letters and digits only) or the MIME type. */
char                 *baton_attachment_cache_file_name           (const char            *attachment_id,
                                                                  const char            *filename,
                                                                  const char            *mime_type);
/* The directory the files go to (<user cache dir>/baton/attachments). */
char                 *baton_attachment_cache_get_directory       (void);
/* The URI a location attachment opens: its http(s) url, else geo:<lat>,<lon>; NULL when it
 * has neither. */
char                 *baton_attachment_cache_location_uri        (BatonAttachment       *attachment);

G_END_DECLS
