/* baton-attachment.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "baton-message.h"

G_BEGIN_DECLS

#define BATON_TYPE_ATTACHMENT (baton_attachment_get_type ())

/* A shared contact of a "contacts" attachment (data.cards). */
typedef struct {
  char *formatted_name;
  char *first_name;
  char *last_name;
  GStrv phones;
} BatonContactCard;

/* One attachment of a message (PROTOCOL.md §2 Message, API.md "WhatsApp"), with what its
 * data says for the kinds that carry some. */
typedef struct _BatonAttachment {
  char *id;
  /* "image", "audio", …, "interactive", "unsupported" */
  char *kind;
  char *mime_type;
  char *filename;
  char *caption;
  /* -1 when unknown */
  gint64 size;
  /* set for fetchable media */
  char *url;
  /* interactive: what the customer chose (data.title, else data.text) */
  char *choice;
  /* location: data.latitude and data.longitude (finite numbers), name, address, url */
  gboolean has_position;
  double latitude;
  double longitude;
  char *place_name;
  char *address;
  char *place_url;
  /* contacts: BatonContactCard, never NULL */
  GPtrArray *cards;
} BatonAttachment;

/* A reaction: its emoji, and who chose it (NULL when the server gave no name as text). */
typedef struct {
  char *emoji;
  char *author;
} BatonReaction;

GType            baton_attachment_get_type      (void) G_GNUC_CONST;
BatonAttachment *baton_attachment_ref           (BatonAttachment *attachment);
void             baton_attachment_unref         (BatonAttachment *attachment);
/* NULL unless node is an object. */
BatonAttachment *baton_attachment_from_json     (JsonNode        *node);

/* A message's attachments (BatonAttachment) and reactions (BatonReaction, with an emoji),
 * in order; empty arrays when it has none. */
GPtrArray       *baton_message_dup_attachments  (BatonMessage    *message);
GPtrArray       *baton_message_dup_reactions    (BatonMessage    *message);
/* error.message of a failed message, or NULL. */
const char      *baton_message_get_error_text   (BatonMessage    *message);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonAttachment, baton_attachment_unref)

G_END_DECLS
