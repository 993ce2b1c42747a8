/* baton-store-channels.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-store"

#include "config.h"

#include <string.h>

#include "baton-store-channels.h"

#define CHANNEL_COLUMNS \
  "id, kind, name, default_team_id, default_user_id, inbound_secret_hash, phone_number_id," \
  " config, secrets, paused_reason, created_at, updated_at"

void
baton_channel_row_free (BatonChannelRow *row)
{
  if (row == NULL)
    return;
  g_free (row->id);
  g_free (row->kind);
  g_free (row->name);
  g_free (row->default_team_id);
  g_free (row->default_user_id);
  g_free (row->inbound_secret_hash);
  g_free (row->phone_number_id);
  g_free (row->config);
  if (row->secrets)
    explicit_bzero (row->secrets, strlen (row->secrets));
  g_free (row->secrets);
  g_free (row->paused_reason);
  g_free (row);
}

static BatonChannelRow *
channel_from_row (BatonRows *rows,
                  guint      r)
{
  BatonChannelRow *row = g_new0 (BatonChannelRow, 1);

  row->id = baton_rows_dup_text (rows, r, 0);
  row->kind = baton_rows_dup_text (rows, r, 1);
  row->name = baton_rows_dup_text (rows, r, 2);
  row->default_team_id = baton_rows_dup_text (rows, r, 3);
  row->default_user_id = baton_rows_dup_text (rows, r, 4);
  row->inbound_secret_hash = baton_rows_dup_text (rows, r, 5);
  row->phone_number_id = baton_rows_dup_text (rows, r, 6);
  row->config = baton_rows_dup_text (rows, r, 7);
  row->secrets = baton_rows_dup_text (rows, r, 8);
  row->paused_reason = baton_rows_dup_text (rows, r, 9);
  row->created_at = baton_rows_int (rows, r, 10);
  row->updated_at = baton_rows_int (rows, r, 11);
  return row;
}

static BatonChannelRow *
first_channel (BatonRows *rows)
{
  BatonChannelRow *row = NULL;

  if (rows && baton_rows_count (rows) > 0)
    row = channel_from_row (rows, 0);
  g_clear_pointer (&rows, baton_rows_free);
  return row;
}

BatonChannelRow *
baton_store_channels_get (BatonStore  *store,
                          const char  *id,
                          GError     **error)
{
  return first_channel (baton_store_query (store, error,
                                           "SELECT " CHANNEL_COLUMNS " FROM channels"
                                           " WHERE id = ?", "s", id));
}

BatonChannelRow *
baton_store_channels_find_number (BatonStore  *store,
                                  const char  *phone_number_id,
                                  GError     **error)
{
  return first_channel (baton_store_query (store, error,
                                           "SELECT " CHANNEL_COLUMNS " FROM channels"
                                           " WHERE phone_number_id = ? AND kind = 'whatsapp'",
                                           "s", phone_number_id));
}

GPtrArray *
baton_store_channels_list (BatonStore  *store,
                           const char  *kind,
                           GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT " CHANNEL_COLUMNS " FROM channels"
                                                 " WHERE kind = COALESCE(?, kind)"
                                                 " ORDER BY created_at, id", "s", kind);
  GPtrArray *channels = NULL;

  if (rows == NULL)
    return NULL;
  channels = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_channel_row_free);
  for (guint r = 0; r < baton_rows_count (rows); r++)
    g_ptr_array_add (channels, channel_from_row (rows, r));
  return channels;
}

gboolean
baton_store_channels_insert (BatonStore             *store,
                             const BatonChannelRow  *row,
                             GError                **error)
{
  return baton_store_exec (store, error,
                           "INSERT INTO channels (id, kind, name, default_team_id,"
                           " default_user_id, inbound_secret_hash, created_at, updated_at)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", "ssssssii", row->id, row->kind,
                           row->name, row->default_team_id, row->default_user_id,
                           row->inbound_secret_hash, row->created_at, row->updated_at) >= 0;
}

gboolean
baton_store_channels_update (BatonStore  *store,
                             const char  *id,
                             const char  *name,
                             gboolean     set_team,
                             const char  *default_team_id,
                             gboolean     set_user,
                             const char  *default_user_id,
                             gint64       updated_at,
                             GError     **error)
{
  return baton_store_exec (store, error,
                           "UPDATE channels SET name = COALESCE(?, name),"
                           " default_team_id = CASE WHEN ? <> 0 THEN ? ELSE default_team_id END,"
                           " default_user_id = CASE WHEN ? <> 0 THEN ? ELSE default_user_id END,"
                           " updated_at = ? WHERE id = ?", "sbsbsis", name, set_team,
                           default_team_id, set_user, default_user_id, updated_at, id) >= 0;
}

gboolean
baton_store_channels_set_whatsapp (BatonStore             *store,
                                   const BatonChannelRow  *row,
                                   GError                **error)
{
  return baton_store_exec (store, error,
                           "UPDATE channels SET phone_number_id = ?, config = ?, secrets = ?,"
                           " paused_reason = ? WHERE id = ?", "sssss", row->phone_number_id,
                           row->config, row->secrets, row->paused_reason, row->id) >= 0;
}

GStrv
baton_store_channels_clear_default_team (BatonStore  *store,
                                         const char  *team_id,
                                         GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "UPDATE channels SET default_team_id = NULL"
                                                 " WHERE default_team_id = ? RETURNING id",
                                                 "s", team_id);

  return rows ? baton_rows_column_strv (rows, 0) : NULL;
}

gboolean
baton_store_channels_delete (BatonStore  *store,
                             const char  *id,
                             GError     **error)
{
  return baton_store_exec (store, error, "DELETE FROM channels WHERE id = ?", "s", id) >= 0;
}

gboolean
baton_store_channels_set_paused_reason (BatonStore  *store,
                                        const char  *id,
                                        const char  *reason,
                                        GError     **error)
{
  return baton_store_exec (store, error, "UPDATE channels SET paused_reason = ? WHERE id = ?",
                           "ss", reason, id) >= 0;
}

char *
baton_store_channels_get_kind (BatonStore  *store,
                               const char  *id,
                               GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT kind FROM channels WHERE id = ?", "s",
                                                 id);

  if (rows == NULL || baton_rows_count (rows) == 0)
    return NULL;
  return baton_rows_dup_text (rows, 0, 0);
}
