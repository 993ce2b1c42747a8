/* baton-store-messages.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-message.h"
#include "baton-store.h"

G_BEGIN_DECLS

/* Messages of the conversations, their delivery statuses and reactions. */

/* NULL without error: no such message */
BatonMessage *baton_store_messages_get                   (BatonStore   *store,
                                                          const char   *id,
                                                          GError      **error);
/* A page of a conversation's messages, the newest first, before the message before_id
 * (NULL: from the newest): limit + 1 when there are more. NULL without error: before_id
 * is no message of this conversation. */
GPtrArray    *baton_store_messages_list                  (BatonStore   *store,
                                                          const char   *conversation_id,
                                                          const char   *before_id,
                                                          guint         limit,
                                                          GError      **error);

/* a new message; JSON members may be NULL */
typedef struct {
  const char *id;
  const char *conversation_id;
  const char *channel_id;
  BatonMessageKind kind;
  const char *author_type;
  const char *author_id;
  const char *author_name;
  const char *body;
  const char *external_id;
  const char *status;
  JsonNode *activity;
  JsonNode *attachments;
  const char *in_reply_to;
  gint64 created_at;
  /* an agent's reply: the id their app gave it, unique per author, or NULL */
  const char *client_id;
} BatonMessageRow;

/* a message found by its channel's id */
typedef struct {
  char *id;
  char *conversation_id;
  char *contact_id;
  BatonMessageKind kind;
  char *status;
  /* JSON text, or NULL */
  char *reactions;
} BatonChannelMessage;

void          baton_channel_message_free                 (BatonChannelMessage *message);

/* the thread shows (and counts) it with baton_store_conversations_show_message */
gboolean      baton_store_messages_insert                (BatonStore   *store,
                                                          const BatonMessageRow *row,
                                                          GError      **error);
/* the reply author_id sent with client_id; NULL without error: none */
BatonMessage *baton_store_messages_find_client_id        (BatonStore   *store,
                                                          const char   *author_id,
                                                          const char   *client_id,
                                                          GError      **error);
/* NULL without error: no message of the channel has that id */
BatonChannelMessage *baton_store_messages_find_external  (BatonStore   *store,
                                                          const char   *channel_id,
                                                          const char   *external_id,
                                                          GError      **error);
/* the channel's id of a message of the conversation; FALSE without error: no such
 * message in it (*external_id is then NULL too) */
gboolean      baton_store_messages_get_external_id       (BatonStore   *store,
                                                          const char   *id,
                                                          const char   *conversation_id,
                                                          char        **external_id,
                                                          GError      **error);
/* the channel took the message under external_id: a pending one is now sent */
gboolean      baton_store_messages_set_sent              (BatonStore   *store,
                                                          const char   *id,
                                                          const char   *external_id,
                                                          GError      **error);
/* the delivery status and its error (JSON text, or NULL) */
gboolean      baton_store_messages_set_status            (BatonStore   *store,
                                                          const char   *id,
                                                          const char   *status,
                                                          const char   *error_text,
                                                          GError      **error);
/* the history of a message's delivery statuses; detail is JSON text or NULL */
gboolean      baton_store_messages_add_status            (BatonStore   *store,
                                                          const char   *id,
                                                          const char   *status,
                                                          gint64        at,
                                                          const char   *detail,
                                                          GError      **error);
/* whether the history has status at that time */
gboolean      baton_store_messages_has_status            (BatonStore   *store,
                                                          const char   *id,
                                                          const char   *status,
                                                          gint64        at,
                                                          gboolean     *has_status,
                                                          GError      **error);
/* reactions: a JSON array's text */
gboolean      baton_store_messages_set_reactions         (BatonStore   *store,
                                                          const char   *id,
                                                          const char   *reactions,
                                                          GError      **error);
/* when reactor last reacted to the message: 0 when never */
gboolean      baton_store_messages_get_reaction_time     (BatonStore   *store,
                                                          const char   *id,
                                                          const char   *reactor,
                                                          gint64       *at,
                                                          GError      **error);
gboolean      baton_store_messages_set_reaction_time     (BatonStore   *store,
                                                          const char   *id,
                                                          const char   *reactor,
                                                          gint64        at,
                                                          GError      **error);

/* The channel's id (wamid) of the customer's latest message in a WhatsApp conversation, or
 * NULL without error: none; with the conversation's channel and the contact's WhatsApp ids. */
char         *baton_store_messages_last_whatsapp_inbound (BatonStore   *store,
                                                          const char   *conversation_id,
                                                          char        **channel_id,
                                                          char        **wa_id,
                                                          char        **user_id,
                                                          GError      **error);

/* How many of the conversation's customer messages there are up to the message, itself
 * included; FALSE without error: it is no message of that conversation. */
gboolean      baton_store_messages_inbound_through       (BatonStore   *store,
                                                          const char   *conversation_id,
                                                          const char   *id,
                                                          gint64       *count,
                                                          GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonChannelMessage, baton_channel_message_free)

G_END_DECLS
