/* baton-store-messages.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-store-messages"

#include "config.h"

#include "baton-json.h"
#include "baton-store-messages.h"

BatonMessage *
baton_store_messages_get (BatonStore  *store,
                          const char  *id,
                          GError     **error)
{
  g_autoptr(BatonRows) rows = NULL;
  BatonMessage *message = NULL;

  rows = baton_store_query (store, error,
                            "SELECT id, conversation_id, kind, author_type, author_id,"
                            " author_name, body, attachments, external_id, in_reply_to,"
                            " reactions, status, error, activity, created_at, client_id"
                            " FROM messages WHERE id = ?", "s", id);
  if (rows == NULL || baton_rows_count (rows) == 0)
    return NULL;
  message = baton_message_new ();
  message->id = baton_rows_dup_text (rows, 0, 0);
  message->conversation_id = baton_rows_dup_text (rows, 0, 1);
  message->kind = MAX (0, baton_message_kind_from_string (baton_rows_text (rows, 0, 2)));
  message->author_type = baton_rows_dup_text (rows, 0, 3);
  message->author_id = baton_rows_dup_text (rows, 0, 4);
  message->author_name = baton_rows_dup_text (rows, 0, 5);
  message->body = baton_rows_dup_text (rows, 0, 6);
  message->attachments = baton_json_parse_text (baton_rows_text (rows, 0, 7));
  message->external_id = baton_rows_dup_text (rows, 0, 8);
  message->in_reply_to = baton_rows_dup_text (rows, 0, 9);
  message->reactions = baton_json_parse_text (baton_rows_text (rows, 0, 10));
  message->status = baton_rows_dup_text (rows, 0, 11);
  message->error = baton_json_parse_text (baton_rows_text (rows, 0, 12));
  message->activity = baton_json_parse_text (baton_rows_text (rows, 0, 13));
  message->created_at = baton_rows_int (rows, 0, 14);
  message->client_id = baton_rows_dup_text (rows, 0, 15);
  return message;
}

/* where the message is in its conversation (its n), or 0: not in it */
static gint64
position (BatonStore  *store,
          const char  *id,
          const char  *conversation_id,
          GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT n FROM messages"
                                                 " WHERE id = ? AND conversation_id = ?", "ss",
                                                 id, conversation_id);

  return rows && baton_rows_count (rows) > 0 ? baton_rows_int (rows, 0, 0) : 0;
}

GPtrArray *
baton_store_messages_list (BatonStore  *store,
                           const char  *conversation_id,
                           const char  *before_id,
                           guint        limit,
                           GError     **error)
{
  GError *local_error = NULL;
  gint64 before_n = G_MAXINT64;
  g_autoptr(BatonRows) rows = NULL;
  g_autoptr(GPtrArray) messages = NULL;

  if (before_id)
    {
      before_n = position (store, before_id, conversation_id, &local_error);
      if (before_n == 0)
        {
          if (local_error)
            g_propagate_error (error, local_error);
          return NULL;
        }
    }
  rows = baton_store_query (store, error,
                            "SELECT id FROM messages WHERE conversation_id = ? AND n < ?"
                            " ORDER BY n DESC LIMIT ?", "sii", conversation_id, before_n,
                            (gint64) limit + 1);
  if (rows == NULL)
    return NULL;
  messages = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_message_unref);
  for (guint r = 0; r < baton_rows_count (rows); r++)
    {
      BatonMessage *message = baton_store_messages_get (store, baton_rows_text (rows, r, 0),
                                                        &local_error);

      if (local_error)
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
      if (message)
        g_ptr_array_add (messages, message);
    }
  return g_steal_pointer (&messages);
}

char *
baton_store_messages_last_whatsapp_inbound (BatonStore  *store,
                                            const char  *conversation_id,
                                            char       **channel_id,
                                            char       **wa_id,
                                            char       **user_id,
                                            GError     **error)
{
  g_autoptr(BatonRows) rows = NULL;

  rows = baton_store_query (store, error,
                            "SELECT m.external_id, c.channel_id, ct.wa_id, ct.user_id"
                            " FROM conversations c JOIN channels ch ON ch.id = c.channel_id"
                            " JOIN contacts ct ON ct.id = c.contact_id"
                            " LEFT JOIN messages m ON m.n = (SELECT MAX(n) FROM messages"
                            " WHERE conversation_id = c.id AND kind = 'inbound'"
                            " AND author_type = 'contact' AND external_id IS NOT NULL)"
                            " WHERE c.id = ? AND ch.kind = 'whatsapp'", "s", conversation_id);
  if (rows == NULL || baton_rows_count (rows) == 0 || baton_rows_is_null (rows, 0, 0))
    return NULL;
  *channel_id = baton_rows_dup_text (rows, 0, 1);
  *wa_id = baton_rows_dup_text (rows, 0, 2);
  *user_id = baton_rows_dup_text (rows, 0, 3);
  return baton_rows_dup_text (rows, 0, 0);
}

void
baton_channel_message_free (BatonChannelMessage *message)
{
  g_free (message->id);
  g_free (message->conversation_id);
  g_free (message->contact_id);
  g_free (message->status);
  g_free (message->reactions);
  g_free (message);
}

gboolean
baton_store_messages_insert (BatonStore             *store,
                             const BatonMessageRow  *row,
                             GError                **error)
{
  g_autofree char *activity = row->activity ? baton_json_to_string (row->activity) : NULL;
  g_autofree char *attachments = row->attachments ? baton_json_to_string (row->attachments)
                                                  : NULL;

  /* The thread counts the customer's messages as it shows them
   * (baton_store_conversations_show_message), so that unread counts never count messages. */
  return baton_store_exec (store, error,
                           "INSERT INTO messages (id, conversation_id, channel_id, kind,"
                           " author_type, author_id, author_name, body, external_id, status,"
                           " activity, attachments, in_reply_to, created_at, client_id)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           "sssssssssssssis", row->id, row->conversation_id, row->channel_id,
                           baton_message_kind_to_string (row->kind), row->author_type,
                           row->author_id, row->author_name, row->body, row->external_id,
                           row->status, activity, attachments, row->in_reply_to,
                           row->created_at, row->client_id) >= 0;
}

BatonMessage *
baton_store_messages_find_client_id (BatonStore  *store,
                                     const char  *author_id,
                                     const char  *client_id,
                                     GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT id FROM messages"
                                                 " WHERE author_id = ? AND client_id = ?", "ss",
                                                 author_id, client_id);

  if (rows == NULL || baton_rows_count (rows) == 0)
    return NULL;
  return baton_store_messages_get (store, baton_rows_text (rows, 0, 0), error);
}

BatonChannelMessage *
baton_store_messages_find_external (BatonStore  *store,
                                    const char  *channel_id,
                                    const char  *external_id,
                                    GError     **error)
{
  g_autoptr(BatonRows) rows = NULL;
  BatonChannelMessage *message = NULL;

  rows = baton_store_query (store, error,
                            "SELECT m.id, m.conversation_id, c.contact_id, m.kind, m.status,"
                            " m.reactions"
                            " FROM messages m JOIN conversations c ON c.id = m.conversation_id"
                            " WHERE m.channel_id = ? AND m.external_id = ?", "ss", channel_id,
                            external_id);
  if (rows == NULL || baton_rows_count (rows) == 0)
    return NULL;
  message = g_new0 (BatonChannelMessage, 1);
  message->id = baton_rows_dup_text (rows, 0, 0);
  message->conversation_id = baton_rows_dup_text (rows, 0, 1);
  message->contact_id = baton_rows_dup_text (rows, 0, 2);
  message->kind = baton_message_kind_from_string (baton_rows_text (rows, 0, 3));
  message->status = baton_rows_dup_text (rows, 0, 4);
  message->reactions = baton_rows_dup_text (rows, 0, 5);
  return message;
}

gboolean
baton_store_messages_get_external_id (BatonStore  *store,
                                      const char  *id,
                                      const char  *conversation_id,
                                      char       **external_id,
                                      GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT external_id FROM messages"
                                                 " WHERE id = ? AND conversation_id = ?", "ss",
                                                 id, conversation_id);

  *external_id = NULL;
  if (rows == NULL || baton_rows_count (rows) == 0)
    return FALSE;
  *external_id = baton_rows_dup_text (rows, 0, 0);
  return TRUE;
}

gboolean
baton_store_messages_set_sent (BatonStore  *store,
                               const char  *id,
                               const char  *external_id,
                               GError     **error)
{
  return baton_store_exec (store, error,
                           "UPDATE messages SET external_id = ?, status = CASE WHEN"
                           " status = 'pending' THEN 'sent' ELSE status END, error = NULL"
                           " WHERE id = ?", "ss", external_id, id) >= 0;
}

gboolean
baton_store_messages_set_status (BatonStore  *store,
                                 const char  *id,
                                 const char  *status,
                                 const char  *error_text,
                                 GError     **error)
{
  return baton_store_exec (store, error, "UPDATE messages SET status = ?, error = ? WHERE id = ?",
                           "sss", status, error_text, id) >= 0;
}

gboolean
baton_store_messages_add_status (BatonStore  *store,
                                 const char  *id,
                                 const char  *status,
                                 gint64       at,
                                 const char  *detail,
                                 GError     **error)
{
  return baton_store_exec (store, error,
                           "INSERT INTO message_statuses (message_id, status, at, detail)"
                           " VALUES (?, ?, ?, ?)", "ssis", id, status, at, detail) >= 0;
}

gboolean
baton_store_messages_has_status (BatonStore  *store,
                                 const char  *id,
                                 const char  *status,
                                 gint64       at,
                                 gboolean    *has_status,
                                 GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT 1 FROM message_statuses"
                                                 " WHERE message_id = ? AND status = ?"
                                                 " AND at = ? LIMIT 1", "ssi", id, status, at);

  if (rows == NULL)
    return FALSE;
  *has_status = baton_rows_count (rows) > 0;
  return TRUE;
}

gboolean
baton_store_messages_set_reactions (BatonStore  *store,
                                    const char  *id,
                                    const char  *reactions,
                                    GError     **error)
{
  return baton_store_exec (store, error, "UPDATE messages SET reactions = ? WHERE id = ?", "ss",
                           reactions, id) >= 0;
}

gboolean
baton_store_messages_get_reaction_time (BatonStore  *store,
                                        const char  *id,
                                        const char  *reactor,
                                        gint64      *at,
                                        GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT at FROM reaction_times"
                                                 " WHERE message_id = ? AND reactor = ?", "ss",
                                                 id, reactor);

  if (rows == NULL)
    return FALSE;
  *at = baton_rows_count (rows) > 0 ? baton_rows_int (rows, 0, 0) : 0;
  return TRUE;
}

gboolean
baton_store_messages_set_reaction_time (BatonStore  *store,
                                        const char  *id,
                                        const char  *reactor,
                                        gint64       at,
                                        GError     **error)
{
  return baton_store_exec (store, error,
                           "INSERT INTO reaction_times (message_id, reactor, at) VALUES (?, ?, ?)"
                           " ON CONFLICT (message_id, reactor) DO UPDATE SET at = excluded.at",
                           "ssi", id, reactor, at) >= 0;
}

gboolean
baton_store_messages_inbound_through (BatonStore  *store,
                                      const char  *conversation_id,
                                      const char  *id,
                                      gint64      *count,
                                      GError     **error)
{
  GError *local_error = NULL;
  gint64 n = position (store, id, conversation_id, &local_error);
  g_autoptr(BatonRows) rows = NULL;

  if (n == 0)
    {
      if (local_error)
        g_propagate_error (error, local_error);
      return FALSE;
    }
  rows = baton_store_query (store, error,
                            "SELECT COUNT(*) FROM messages WHERE conversation_id = ?"
                            " AND n <= ? AND kind = 'inbound'", "si", conversation_id, n);
  if (rows == NULL)
    return FALSE;
  *count = baton_rows_int (rows, 0, 0);
  return TRUE;
}
