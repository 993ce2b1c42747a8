/* baton-store-outbox.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-store-outbox"

#include "config.h"

#include "baton-json.h"
#include "baton-store-outbox.h"

void
baton_outbox_entry_free (BatonOutboxEntry *entry)
{
  g_free (entry->channel_id);
  g_free (entry->message_id);
  g_free (entry->kind);
  g_clear_pointer (&entry->payload, json_node_unref);
  g_free (entry);
}

gboolean
baton_store_outbox_insert (BatonStore  *store,
                           const char  *channel_id,
                           const char  *message_id,
                           const char  *kind,
                           const char  *recipient,
                           JsonNode    *payload,
                           gint64       now,
                           GError     **error)
{
  g_autofree char *text = baton_json_to_string (payload);

  return baton_store_exec (store, error,
                           "INSERT INTO outbox (channel_id, message_id, kind, recipient, payload,"
                           " next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           "sssssii", channel_id, message_id, kind, recipient, text, now,
                           now) >= 0;
}

gint64
baton_store_outbox_count (BatonStore  *store,
                          GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error, "SELECT COUNT(*) FROM outbox",
                                                 "");

  return rows ? baton_rows_int (rows, 0, 0) : -1;
}

GPtrArray *
baton_store_outbox_heads (BatonStore  *store,
                          guint        limit,
                          GError     **error)
{
  g_autoptr(BatonRows) rows = NULL;
  GPtrArray *entries = NULL;

  rows = baton_store_query (store, error,
                            "SELECT o.n, o.channel_id, o.message_id, o.kind, o.payload,"
                            " o.attempts, o.next_attempt_at FROM outbox o"
                            " WHERE o.n = (SELECT MIN(p.n) FROM outbox p"
                            " WHERE p.channel_id = o.channel_id AND p.recipient = o.recipient)"
                            " ORDER BY o.next_attempt_at, o.n LIMIT ?", "i", (gint64) limit);
  if (rows == NULL)
    return NULL;
  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_outbox_entry_free);
  for (guint r = 0; r < baton_rows_count (rows); r++)
    {
      BatonOutboxEntry *entry = g_new0 (BatonOutboxEntry, 1);

      entry->n = baton_rows_int (rows, r, 0);
      entry->channel_id = baton_rows_dup_text (rows, r, 1);
      entry->message_id = baton_rows_dup_text (rows, r, 2);
      entry->kind = baton_rows_dup_text (rows, r, 3);
      entry->payload = baton_json_parse_text (baton_rows_text (rows, r, 4));
      entry->attempts = baton_rows_int (rows, r, 5);
      entry->next_attempt_at = baton_rows_int (rows, r, 6);
      g_ptr_array_add (entries, entry);
    }
  return entries;
}

int
baton_store_outbox_claim (BatonStore  *store,
                          gint64       n,
                          const char  *node_id,
                          gint64       now,
                          gint64       until,
                          GError     **error)
{
  gint64 changed = baton_store_exec (store, error,
                                     "UPDATE outbox SET claimed_by = ?1, claimed_until = ?2"
                                     " WHERE n = ?3 AND (claimed_until IS NULL"
                                     " OR claimed_until < ?4 OR claimed_by = ?1)", "siii",
                                     node_id, until, n, now);

  return changed < 0 ? -1 : changed > 0;
}

gboolean
baton_store_outbox_delete (BatonStore  *store,
                           gint64       n,
                           GError     **error)
{
  return baton_store_exec (store, error, "DELETE FROM outbox WHERE n = ?", "i", n) >= 0;
}

gboolean
baton_store_outbox_retry_at (BatonStore  *store,
                             gint64       n,
                             gboolean     count_attempt,
                             gint64       next_attempt_at,
                             GError     **error)
{
  return baton_store_exec (store, error,
                           "UPDATE outbox SET attempts = attempts + ?, next_attempt_at = ?"
                           " WHERE n = ?", "iii", (gint64) (count_attempt ? 1 : 0),
                           next_attempt_at, n) >= 0;
}

gboolean
baton_store_outbox_delete_message (BatonStore  *store,
                                   const char  *message_id,
                                   GError     **error)
{
  return baton_store_exec (store, error, "DELETE FROM outbox WHERE message_id = ?", "s",
                           message_id) >= 0;
}

gint64
baton_store_outbox_count_message (BatonStore  *store,
                                  const char  *message_id,
                                  GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT COUNT(*) FROM outbox"
                                                 " WHERE message_id = ?", "s", message_id);

  return rows ? baton_rows_int (rows, 0, 0) : -1;
}

gboolean
baton_store_outbox_set_payload (BatonStore  *store,
                                gint64       n,
                                JsonNode    *payload,
                                GError     **error)
{
  g_autofree char *text = baton_json_to_string (payload);

  return baton_store_exec (store, error, "UPDATE outbox SET payload = ? WHERE n = ?", "si",
                           text, n) >= 0;
}
