/* baton-message.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "baton-enums.h"
#include "baton-json-writer.h"

G_BEGIN_DECLS

#define BATON_TYPE_MESSAGE (baton_message_get_type ())

typedef struct {
  char *id;
  char *conversation_id;
  BatonMessageKind kind;
  /* author: "contact", "agent" or "system" */
  char *author_type;
  char *author_id;
  char *author_name;
  char *body;
  char *external_id;
  char *in_reply_to;
  /* the id the author's app gave an agent's reply (sent once whatever the retries), or NULL */
  char *client_id;
  /* delivery status of outbound messages, NULL otherwise */
  char *status;
  /* structured parts as stored; NULL means none (an empty array for lists) */
  JsonNode *attachments;
  JsonNode *reactions;
  JsonNode *error;
  JsonNode *activity;
  gint64 created_at;
} BatonMessage;

GType         baton_message_get_type (void) G_GNUC_CONST;
BatonMessage *baton_message_new      (void);
BatonMessage *baton_message_ref      (BatonMessage *message);
void          baton_message_unref    (BatonMessage *message);
void          baton_message_write    (BatonMessage    *message,
                                      BatonJsonWriter *writer);
JsonNode     *baton_message_to_json  (BatonMessage *message);
/* as baton_json_to_string () writes baton_message_to_json (), without the tree */
char         *baton_message_to_text  (BatonMessage *message);

BatonMessage *baton_message_from_json (JsonNode *node);

/* How far an outbound message's delivery status has come (REFERENCE.md §5): pending < sent <
 * failed < delivered < read = played; -1 for none or an unknown one. A status never goes back,
 * so a copy of a message with a lower rank is an older copy. */
int           baton_message_status_rank (const char *status);
/* what a message with no text shows in a preview: "Photo", "Document: menu.pdf", … */
const char   *baton_message_attachments_preview (JsonNode *attachments);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonMessage, baton_message_unref)

G_END_DECLS
