/* baton-store-teams.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-store"

#include "config.h"

#include "baton-store-teams.h"

#define TEAM_COLUMNS \
  "id, name, strategy, default_user_id, backup_user_id, only_online," \
  " max_active_per_agent, reassign_after_minutes, created_at, updated_at"

static BatonTeam *
team_from_row (BatonStore  *store,
               BatonRows   *rows,
               guint        r,
               GError     **error)
{
  g_autoptr(BatonTeam) team = baton_team_new ();
  g_autoptr(BatonRows) members = NULL;

  team->id = baton_rows_dup_text (rows, r, 0);
  team->name = baton_rows_dup_text (rows, r, 1);
  team->strategy = MAX (0, baton_strategy_from_string (baton_rows_text (rows, r, 2)));
  team->default_user_id = baton_rows_dup_text (rows, r, 3);
  team->backup_user_id = baton_rows_dup_text (rows, r, 4);
  team->only_online = baton_rows_int (rows, r, 5) != 0;
  team->max_active_per_agent = (int) baton_rows_int (rows, r, 6);
  team->reassign_after_minutes = (int) baton_rows_int (rows, r, 7);
  team->created_at = baton_rows_int (rows, r, 8);
  team->updated_at = baton_rows_int (rows, r, 9);
  members = baton_store_query (store, error,
                               "SELECT agent_id FROM team_members WHERE team_id = ?"
                               " ORDER BY position", "s", team->id);
  if (members == NULL)
    return NULL;
  team->member_ids = baton_rows_column_strv (members, 0);
  return g_steal_pointer (&team);
}

BatonTeam *
baton_store_teams_get (BatonStore  *store,
                       const char  *id,
                       GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT " TEAM_COLUMNS
                                                 " FROM teams WHERE id = ?", "s", id);

  if (rows == NULL || baton_rows_count (rows) == 0)
    return NULL;
  return team_from_row (store, rows, 0, error);
}

GPtrArray *
baton_store_teams_list (BatonStore  *store,
                        GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT " TEAM_COLUMNS
                                                 " FROM teams ORDER BY name, id", "");
  g_autoptr(GPtrArray) teams = NULL;

  if (rows == NULL)
    return NULL;
  teams = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_team_unref);
  for (guint r = 0; r < baton_rows_count (rows); r++)
    {
      BatonTeam *team = team_from_row (store, rows, r, error);

      if (team == NULL)
        return NULL;
      g_ptr_array_add (teams, team);
    }
  return g_steal_pointer (&teams);
}

gboolean
baton_store_teams_insert (BatonStore       *store,
                          const BatonTeam  *team,
                          GError          **error)
{
  return baton_store_exec (store, error,
                           "INSERT INTO teams (id, name, strategy, default_user_id,"
                           " backup_user_id, only_online, max_active_per_agent,"
                           " reassign_after_minutes, created_at, updated_at)"
                           " VALUES (?, ?, ?, ?, ?, ?, NULLIF(?, 0), NULLIF(?, 0), ?, ?)",
                           "sssssbddii", team->id, team->name,
                           baton_strategy_to_string (team->strategy), team->default_user_id,
                           team->backup_user_id, team->only_online, team->max_active_per_agent,
                           team->reassign_after_minutes, team->created_at,
                           team->updated_at) >= 0;
}

gboolean
baton_store_teams_update (BatonStore       *store,
                          const BatonTeam  *team,
                          GError          **error)
{
  return baton_store_exec (store, error,
                           "UPDATE teams SET name = ?, strategy = ?, default_user_id = ?,"
                           " backup_user_id = ?, only_online = ?,"
                           " max_active_per_agent = NULLIF(?, 0),"
                           " reassign_after_minutes = NULLIF(?, 0), updated_at = ?"
                           " WHERE id = ?", "ssssbddis", team->name,
                           baton_strategy_to_string (team->strategy), team->default_user_id,
                           team->backup_user_id, team->only_online, team->max_active_per_agent,
                           team->reassign_after_minutes, team->updated_at, team->id) >= 0;
}

gboolean
baton_store_teams_set_members (BatonStore          *store,
                               const char          *id,
                               const char * const  *agent_ids,
                               GError             **error)
{
  if (baton_store_exec (store, error, "DELETE FROM team_members WHERE team_id = ?", "s",
                        id) < 0)
    return FALSE;
  for (guint i = 0; agent_ids && agent_ids[i]; i++)
    if (baton_store_exec (store, error,
                          "INSERT INTO team_members (team_id, agent_id, position)"
                          " VALUES (?, ?, ?)", "ssd", id, agent_ids[i], (int) i) < 0)
      return FALSE;
  return TRUE;
}

gboolean
baton_store_teams_delete (BatonStore  *store,
                          const char  *id,
                          GError     **error)
{
  return baton_store_exec (store, error, "DELETE FROM teams WHERE id = ?", "s", id) >= 0;
}

gboolean
baton_store_teams_set_cursor (BatonStore  *store,
                              const char  *id,
                              const char  *agent_id,
                              GError     **error)
{
  return baton_store_exec (store, error, "UPDATE teams SET rr_cursor = ? WHERE id = ?", "ss",
                           agent_id, id) >= 0;
}
