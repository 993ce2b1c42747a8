/* baton-store-media.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-store.h"

G_BEGIN_DECLS

/* media a customer sent: what the channel said of it, and the file once fetched */
typedef struct {
  char *id;
  char *channel_id;
  char *media_id;
  char *mime_type;
  char *sha256;
  char *filename;
  /* the file's name in the media folder, or NULL: not fetched yet */
  char *file;
} BatonMedia;

void        baton_media_free            (BatonMedia        *media);

gboolean    baton_store_media_insert    (BatonStore        *store,
                                         const char        *id,
                                         const char        *channel_id,
                                         const char        *media_id,
                                         const char        *mime_type,
                                         const char        *sha256,
                                         const char        *filename,
                                         gint64             created_at,
                                         GError           **error);
/* NULL without error: no such media */
BatonMedia *baton_store_media_get       (BatonStore        *store,
                                         const char        *id,
                                         GError           **error);
gboolean    baton_store_media_set_file  (BatonStore        *store,
                                         const char        *id,
                                         const char        *file,
                                         gint64             size,
                                         const char        *mime_type,
                                         GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonMedia, baton_media_free)

G_END_DECLS
