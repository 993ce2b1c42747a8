/* baton-store-agents.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-store"

#include "config.h"

#include "baton-store-agents.h"

#define AGENT_COLUMNS "id, name, email, role, availability, created_at, active_count"

static BatonAgent *
agent_from_row (BatonRows *rows,
                guint      r)
{
  BatonAgent *agent = baton_agent_new ();

  agent->id = baton_rows_dup_text (rows, r, 0);
  agent->name = baton_rows_dup_text (rows, r, 1);
  agent->email = baton_rows_dup_text (rows, r, 2);
  agent->role = MAX (0, baton_role_from_string (baton_rows_text (rows, r, 3)));
  agent->availability = MAX (0, baton_availability_from_string (baton_rows_text (rows, r, 4)));
  agent->created_at = baton_rows_int (rows, r, 5);
  agent->active_count = (int) baton_rows_int (rows, r, 6);
  return agent;
}

BatonAgent *
baton_store_agents_get (BatonStore  *store,
                        const char  *id,
                        GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT " AGENT_COLUMNS
                                                 " FROM agents WHERE id = ?", "s", id);

  if (rows == NULL || baton_rows_count (rows) == 0)
    return NULL;
  return agent_from_row (rows, 0);
}

GPtrArray *
baton_store_agents_list (BatonStore  *store,
                         GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT " AGENT_COLUMNS
                                                 " FROM agents ORDER BY created_at, id", "");
  GPtrArray *agents = NULL;

  if (rows == NULL)
    return NULL;
  agents = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_agent_unref);
  for (guint r = 0; r < baton_rows_count (rows); r++)
    g_ptr_array_add (agents, agent_from_row (rows, r));
  return agents;
}

gint64
baton_store_agents_count (BatonStore  *store,
                          const char  *role,
                          GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT COUNT(*) FROM agents"
                                                 " WHERE role = COALESCE(?, role)", "s", role);

  return rows ? baton_rows_int (rows, 0, 0) : -1;
}

char *
baton_store_agents_find_email (BatonStore  *store,
                               const char  *email_key,
                               char       **password_hash,
                               GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT id, password_hash FROM agents"
                                                 " WHERE email_key = ?", "s", email_key);

  if (rows == NULL || baton_rows_count (rows) == 0)
    return NULL;
  if (password_hash)
    *password_hash = baton_rows_dup_text (rows, 0, 1);
  return baton_rows_dup_text (rows, 0, 0);
}

gboolean
baton_store_agents_insert (BatonStore           *store,
                           const BatonAgentRow  *row,
                           GError              **error)
{
  return baton_store_exec (store, error,
                           "INSERT INTO agents (id, name, email, email_key, role, password_hash,"
                           " availability, created_at, updated_at)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", "sssssssii", row->id,
                           row->name, row->email, row->email_key, row->role, row->password_hash,
                           row->availability ? row->availability : "online", row->created_at,
                           row->updated_at) >= 0;
}

gboolean
baton_store_agents_update (BatonStore           *store,
                           const BatonAgentRow  *row,
                           GError              **error)
{
  return baton_store_exec (store, error,
                           "UPDATE agents SET name = COALESCE(?, name),"
                           " email = COALESCE(?, email), email_key = COALESCE(?, email_key),"
                           " role = COALESCE(?, role), password_hash = COALESCE(?, password_hash),"
                           " availability = COALESCE(?, availability), updated_at = ?"
                           " WHERE id = ?", "ssssssis", row->name, row->email, row->email_key,
                           row->role, row->password_hash, row->availability, row->updated_at,
                           row->id) >= 0;
}

gboolean
baton_store_agents_delete (BatonStore  *store,
                           const char  *id,
                           GError     **error)
{
  return baton_store_exec (store, error, "DELETE FROM agents WHERE id = ?", "s", id) >= 0;
}
