/* baton-message-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "baton-attachment-cache.h"
#include "baton-message.h"

G_BEGIN_DECLS

/* One message of a conversation: a bubble (inbound on the left, outbound on the right,
 * internal notes tinted), or a centred activity line; with author, time, delivery status
 * (a clock, ✓ sent, ✓✓ delivered, ✓✓ read in the accent colour, or the error under the
 * bubble; a reply the app is still sending says "Sending…" with a clock, one it could not
 * send says so with a Retry button that activates thread.retry with its client_id),
 * attachments (images inline and other media as file rows when an attachment cache
 * is set, locations, contact cards, the "Tapped:" chip of an interactive reply), the quote of
 * the message it replies to, reactions with who chose them, and a day separator above it
 * when "show-day" is set. */

#define BATON_TYPE_MESSAGE_ROW (baton_message_row_get_type ())

G_DECLARE_FINAL_TYPE (BatonMessageRow, baton_message_row, BATON, MESSAGE_ROW, GtkWidget)

GtkWidget    *baton_message_row_new          (void);
BatonMessage *baton_message_row_get_message  (BatonMessageRow *self);
void          baton_message_row_set_message  (BatonMessageRow *self,
                                              BatonMessage    *message);
/* The message this one replies to (message->in_reply_to), or NULL when it is not loaded:
 * the quote then says "Earlier message". */
BatonMessage *baton_message_row_get_quoted   (BatonMessageRow *self);
void          baton_message_row_set_quoted   (BatonMessageRow *self,
                                              BatonMessage    *quoted);
/* Where images and files come from; without one, media show as rows that cannot open. */
BatonAttachmentCache *baton_message_row_get_attachment_cache (BatonMessageRow      *self);
void                  baton_message_row_set_attachment_cache (BatonMessageRow      *self,
                                                              BatonAttachmentCache *cache);
gboolean      baton_message_row_get_show_day (BatonMessageRow *self);
void          baton_message_row_set_show_day (BatonMessageRow *self,
                                              gboolean         show_day);
/* How much of the files of a reply being sent are uploaded (0 to 1), shown as a bar in the
 * bubble; -1 hides it. */
void          baton_message_row_set_progress (BatonMessageRow *self,
                                              double           progress);
/* "Today", "Yesterday", or the date, for the day separator of a time (ms since the epoch). */
char         *baton_message_row_format_day   (gint64           ms);

G_END_DECLS
