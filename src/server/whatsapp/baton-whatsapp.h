/* baton-whatsapp.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-whatsapp-graph.h"
#include "baton-workspace.h"

G_BEGIN_DECLS

/* The WhatsApp Cloud API channel at work: webhook deliveries stored then processed, the
 * outbox sent to the Graph API with its retries, media fetched on first use, templates
 * synced. Everything it changes goes through the workspace. */

#define BATON_TYPE_WHATSAPP (baton_whatsapp_get_type ())

G_DECLARE_FINAL_TYPE (BatonWhatsapp, baton_whatsapp, BATON, WHATSAPP, GObject)

BatonWhatsapp *baton_whatsapp_new               (BatonWorkspace  *workspace,
                                                 const char      *media_dir);
/* where media files are kept: customers' once fetched, agents' uploads */
const char    *baton_whatsapp_get_media_dir     (BatonWhatsapp   *self);
/* processes deliveries stored but not processed (the server stopped in between) and starts
 * the outbox */
void           baton_whatsapp_start             (BatonWhatsapp   *self);
void           baton_whatsapp_stop              (BatonWhatsapp   *self);

/* the GET handshake (REFERENCE.md §1): the challenge to echo, or NULL (403) */
gboolean       baton_whatsapp_verify_token      (BatonWhatsapp   *self,
                                                 const char      *token);
/* X-Hub-Signature-256 against every configured app secret: the matching secret's digest,
 * NULL when none matches */
char          *baton_whatsapp_authenticate      (BatonWhatsapp   *self,
                                                 const char      *body,
                                                 gsize            length,
                                                 const char      *signature);
/* stores a checked body durably; it is processed soon after */
gboolean       baton_whatsapp_accept            (BatonWhatsapp   *self,
                                                 const char      *body,
                                                 gsize            length,
                                                 const char      *secret_digest,
                                                 GError         **error);

/* marks the customer's last message of a conversation as read on WhatsApp (best effort) */
gboolean       baton_whatsapp_mark_read         (BatonWhatsapp   *self,
                                                 const char      *conversation_id,
                                                 GError         **error);

/* the media of an attachment: from the media directory, fetched through the Graph API the
 * first time */
void           baton_whatsapp_fetch_media_async (BatonWhatsapp       *self,
                                                 const char          *attachment_id,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GBytes        *baton_whatsapp_fetch_media_finish (BatonWhatsapp      *self,
                                                 GAsyncResult        *result,
                                                 char               **content_type,
                                                 char               **filename,
                                                 GError             **error);

/* the approved templates of a channel, synced from the Graph API when older than a few
 * minutes or when refresh is set */
void           baton_whatsapp_templates_async   (BatonWhatsapp       *self,
                                                 const char          *channel_id,
                                                 gboolean             refresh,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GPtrArray     *baton_whatsapp_templates_finish  (BatonWhatsapp       *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* counters for /metrics */
guint64        baton_whatsapp_get_alerts        (BatonWhatsapp   *self);
guint64        baton_whatsapp_get_skipped_items (BatonWhatsapp   *self);
guint          baton_whatsapp_get_pending       (BatonWhatsapp   *self);
guint          baton_whatsapp_get_unprocessed   (BatonWhatsapp   *self);

/* the channel's lines of /metrics (a BatonMetricsWriter: data is the BatonWhatsapp) */
void           baton_whatsapp_write_metrics     (gpointer         data,
                                                 GString         *text);

G_END_DECLS
