/* baton-store-uploads.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-store.h"

G_BEGIN_DECLS

/* Files an agent uploaded to send (POST /attachments): the bytes are a file in the media
 * folder; the row says whose it is and which reply, once sent, carries it. */
typedef struct {
  char *id;
  /* NULL once the agent is deleted */
  char *agent_id;
  char *filename;
  char *mime_type;
  gint64 size;
  /* the file's name in the media folder */
  char *file;
  /* the reply that carries it, NULL while unused */
  char *message_id;
  gint64 created_at;
} BatonUpload;

void         baton_upload_free            (BatonUpload  *upload);

gboolean     baton_store_uploads_insert   (BatonStore   *store,
                                           const BatonUpload *upload,
                                           GError      **error);
/* NULL without error: no such upload */
BatonUpload *baton_store_uploads_get      (BatonStore   *store,
                                           const char   *id,
                                           GError      **error);
/* The upload becomes the attachment of message_id; FALSE without error when it was
 * already used. */
gboolean     baton_store_uploads_use      (BatonStore   *store,
                                           const char   *id,
                                           const char   *message_id,
                                           GError      **error);
/* Deletes the unused uploads created before before: their files' names, to be removed. */
GStrv        baton_store_uploads_expire   (BatonStore   *store,
                                           gint64        before,
                                           GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonUpload, baton_upload_free)

G_END_DECLS
