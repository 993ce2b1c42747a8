/* baton-store-borrowed.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-store"

#include "config.h"

#include "baton-json.h"
#include "baton-store-borrowed.h"

void
baton_agent_load_row_free (BatonAgentLoadRow *row)
{
  g_free (row->id);
  g_free (row->availability);
  g_free (row);
}

GPtrArray *
baton_store_snapshot_agents (BatonStore  *store,
                             GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT id, availability, last_assigned_at,"
                                                 " active_count FROM agents", "");
  GPtrArray *loads = NULL;

  if (rows == NULL)
    return NULL;
  loads = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_agent_load_row_free);
  for (guint r = 0; r < baton_rows_count (rows); r++)
    {
      BatonAgentLoadRow *row = g_new0 (BatonAgentLoadRow, 1);

      row->id = baton_rows_dup_text (rows, r, 0);
      row->availability = baton_rows_dup_text (rows, r, 1);
      row->last_assigned_at = baton_rows_int (rows, r, 2);
      row->active_count = (int) baton_rows_int (rows, r, 3);
      g_ptr_array_add (loads, row);
    }
  return loads;
}

GStrv
baton_store_conversations_detach_team (BatonStore  *store,
                                       const char  *team_id,
                                       GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "UPDATE conversations SET team_id = NULL,"
                                                 " queued_at = NULL WHERE team_id = ?"
                                                 " RETURNING id", "s", team_id);

  return rows ? baton_rows_column_strv (rows, 0) : NULL;
}

gboolean
baton_store_conversations_cancel_reassign (BatonStore  *store,
                                           const char  *team_id,
                                           GError     **error)
{
  return baton_store_exec (store, error,
                           "UPDATE conversations SET reassign_due_at = NULL WHERE team_id = ?",
                           "s", team_id) >= 0;
}

gint64
baton_store_conversations_count_channel (BatonStore  *store,
                                         const char  *channel_id,
                                         GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT COUNT(*) FROM conversations"
                                                 " WHERE channel_id = ?", "s", channel_id);

  return rows ? baton_rows_int (rows, 0, 0) : -1;
}

/* Events */

static gint64
single_int (BatonRows *rows)
{
  gint64 value = -1;

  if (rows)
    value = baton_rows_is_null (rows, 0, 0) ? 0 : baton_rows_int (rows, 0, 0);
  g_clear_pointer (&rows, baton_rows_free);
  return value;
}

gint64
baton_store_events_last_seq (BatonStore  *store,
                             GError     **error)
{
  return single_int (baton_store_query (store, error, "SELECT MAX(seq) FROM events", ""));
}

gint64
baton_store_events_first_seq (BatonStore  *store,
                              GError     **error)
{
  return single_int (baton_store_query (store, error, "SELECT MIN(seq) FROM events", ""));
}

gboolean
baton_store_events_insert (BatonStore  *store,
                           BatonEvent  *event,
                           const char  *data,
                           GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "INSERT INTO events (type, at, agent_id, data)"
                                                 " VALUES (?, ?, ?, ?) RETURNING seq", "siss",
                                                 event->type, event->at, event->agent_id, data);

  if (rows == NULL)
    return FALSE;
  event->seq = baton_rows_int (rows, 0, 0);
  return TRUE;
}

GPtrArray *
baton_store_events_since (BatonStore  *store,
                          gint64       since,
                          const char  *agent_id,
                          guint        limit,
                          GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT seq, type, at, agent_id, data"
                                                 " FROM events WHERE seq > ?"
                                                 " AND (agent_id IS NULL OR agent_id = ?)"
                                                 " ORDER BY seq LIMIT ?", "isi", since,
                                                 agent_id, (gint64) limit);
  GPtrArray *events = NULL;

  if (rows == NULL)
    return NULL;
  events = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_event_unref);
  for (guint r = 0; r < baton_rows_count (rows); r++)
    {
      JsonNode *data = baton_json_parse_text (baton_rows_text (rows, r, 4));
      BatonEvent *event = baton_event_new (baton_rows_text (rows, r, 1),
                                           baton_rows_int (rows, r, 2),
                                           baton_rows_text (rows, r, 3), data);

      event->seq = baton_rows_int (rows, r, 0);
      g_ptr_array_add (events, event);
    }
  return events;
}

gboolean
baton_store_events_prune (BatonStore  *store,
                          gint64       before_at,
                          gint64       up_to_seq,
                          GError     **error)
{
  return baton_store_exec (store, error, "DELETE FROM events WHERE at < ? AND seq <= ?", "ii",
                           before_at, up_to_seq) >= 0;
}

/* Contacts and messages */

static void
set_string_fields (GHashTable *fields,
                   const char *text)
{
  g_autoptr(JsonNode) node = baton_json_parse_text (text);
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;
  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &key, &value))
    if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
      g_hash_table_insert (fields, g_strdup (key), g_strdup (json_node_get_string (value)));
}

/* one column of the rows a statement gives, or NULL when it failed */
static GStrv
column_of (BatonRows *rows)
{
  GStrv strv = rows ? baton_rows_column_strv (rows, 0) : NULL;

  g_clear_pointer (&rows, baton_rows_free);
  return strv;
}

BatonContact *
baton_store_contacts_get (BatonStore  *store,
                          const char  *id,
                          GError     **error)
{
  g_autoptr(BatonRows) rows = NULL;
  g_autoptr(BatonContact) contact = NULL;

  rows = baton_store_query (store, error,
                            "SELECT id, name, phone, wa_id, fields, created_at, last_inbound_at"
                            " FROM contacts WHERE id = ?", "s", id);
  if (rows == NULL || baton_rows_count (rows) == 0)
    return NULL;
  contact = baton_contact_new ();
  contact->id = baton_rows_dup_text (rows, 0, 0);
  contact->name = baton_rows_dup_text (rows, 0, 1);
  contact->phone = baton_rows_dup_text (rows, 0, 2);
  contact->wa_id = baton_rows_dup_text (rows, 0, 3);
  contact->created_at = baton_rows_int (rows, 0, 5);
  contact->last_inbound_at = baton_rows_int (rows, 0, 6);
  set_string_fields (contact->fields, baton_rows_text (rows, 0, 4));
  contact->tags = column_of (baton_store_query (store, error,
                                                "SELECT tag FROM contact_tags"
                                                " WHERE contact_id = ? ORDER BY position",
                                                "s", id));
  if (contact->tags == NULL)
    return NULL;
  contact->owner_ids = column_of (baton_store_query (store, error,
                                                     "SELECT agent_id FROM contact_owners"
                                                     " WHERE contact_id = ? ORDER BY position",
                                                     "s", id));
  if (contact->owner_ids == NULL)
    return NULL;
  return g_steal_pointer (&contact);
}

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
                            " reactions, status, error, activity, created_at"
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
  return message;
}

/* Conversations */

static void
set_conversation_columns (BatonConversation *conversation,
                          BatonRows         *rows)
{
  g_autoptr(JsonNode) referral = baton_json_parse_text (baton_rows_text (rows, 0, 16));

  conversation->id = baton_rows_dup_text (rows, 0, 0);
  conversation->channel_id = baton_rows_dup_text (rows, 0, 1);
  conversation->contact_id = baton_rows_dup_text (rows, 0, 2);
  conversation->contact_name = baton_rows_dup_text (rows, 0, 3);
  conversation->contact_phone = baton_rows_dup_text (rows, 0, 4);
  conversation->status = MAX (0, baton_status_from_string (baton_rows_text (rows, 0, 5)));
  conversation->team_id = baton_rows_dup_text (rows, 0, 6);
  conversation->version = baton_rows_int (rows, 0, 7);
  conversation->last_preview = baton_rows_dup_text (rows, 0, 8);
  conversation->last_direction = baton_rows_dup_text (rows, 0, 9);
  conversation->last_at = baton_rows_int (rows, 0, 10);
  conversation->created_at = baton_rows_int (rows, 0, 11);
  conversation->updated_at = baton_rows_int (rows, 0, 12);
  conversation->first_response_at = baton_rows_int (rows, 0, 13);
  conversation->resolved_at = baton_rows_int (rows, 0, 14);
  conversation->window_expires_at = baton_rows_int (rows, 0, 15);
  conversation->activity_at = baton_rows_int (rows, 0, 17);
  if (referral && JSON_NODE_HOLDS_OBJECT (referral))
    conversation->referral = json_object_ref (json_node_get_object (referral));
}

BatonConversation *
baton_store_conversations_get (BatonStore  *store,
                               const char  *id,
                               GError     **error)
{
  g_autoptr(BatonRows) rows = NULL;
  g_autoptr(BatonConversation) conversation = NULL;

  rows = baton_store_query (store, error,
                            "SELECT c.id, c.channel_id, c.contact_id, k.name, k.phone, c.status,"
                            " c.team_id, c.version, c.last_preview, c.last_direction, c.last_at,"
                            " c.created_at, c.updated_at, c.first_response_at, c.resolved_at,"
                            " c.window_expires_at, c.referral, c.activity_at"
                            " FROM conversations c JOIN contacts k ON k.id = c.contact_id"
                            " WHERE c.id = ?", "s", id);
  if (rows == NULL || baton_rows_count (rows) == 0)
    return NULL;
  conversation = baton_conversation_new ();
  set_conversation_columns (conversation, rows);
  conversation->assignee_ids = column_of (baton_store_query (store, error,
                                                             "SELECT agent_id FROM"
                                                             " conversation_assignees"
                                                             " WHERE conversation_id = ?"
                                                             " ORDER BY position", "s", id));
  if (conversation->assignee_ids == NULL)
    return NULL;
  conversation->tags = column_of (baton_store_query (store, error,
                                                     "SELECT tag FROM conversation_tags"
                                                     " WHERE conversation_id = ?"
                                                     " ORDER BY position", "s", id));
  if (conversation->tags == NULL)
    return NULL;
  return g_steal_pointer (&conversation);
}

gboolean
baton_store_conversations_bump (BatonStore  *store,
                                const char  *id,
                                gint64       increment,
                                gint64       now,
                                GError     **error)
{
  return baton_store_exec (store, error,
                           "UPDATE conversations SET version = version + ?, updated_at = ?"
                           " WHERE id = ?", "iis", increment, now, id) >= 0;
}
