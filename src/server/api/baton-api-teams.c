/* baton-api-teams.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-api-teams"

#include "config.h"

#include "baton-api.h"
#include "baton-resource.h"
#include "baton-json.h"

#define MAX_REASSIGN_MINUTES 10080

static gboolean
read_nullable_count (JsonObject  *body,
                     const char  *member,
                     gint64       min,
                     gint64       max,
                     int         *value,
                     GError     **error)
{
  gint64 number = 0;
  gboolean is_null = FALSE;

  if (!baton_json_has (body, member))
    return TRUE;
  if (!baton_json_read_int (body, member, BATON_JSON_NULLABLE, &number, &is_null, error))
    return FALSE;
  if (is_null)
    {
      *value = 0;
      return TRUE;
    }
  if (number < min || number > max)
    {
      baton_set_field_error (error, member, "%s must be from %" G_GINT64_FORMAT " to %"
                             G_GINT64_FORMAT " or null", member, min, max);
      return FALSE;
    }
  *value = (int) number;
  return TRUE;
}

static gboolean
read_nullable_id (JsonObject  *body,
                  const char  *member,
                  char       **value,
                  GError     **error)
{
  const char *id = NULL;

  if (!baton_json_has (body, member))
    return TRUE;
  if (!baton_json_read_string (body, member, BATON_JSON_NULLABLE, &id, error))
    return FALSE;
  g_free (*value);
  *value = g_strdup (id);
  return TRUE;
}

/* Applies the members present in body onto team. */
static gboolean
read_team (BatonWorkspace  *workspace,
           JsonObject      *body,
           BatonTeam       *team,
           gboolean         creating,
           GError         **error)
{
  const char *name = NULL;
  const char *strategy = NULL;
  g_auto(GStrv) member_ids = NULL;

  if (!baton_json_read_string (body, "name", creating ? BATON_JSON_REQUIRED : 0, &name, error)
      || (name && !baton_validate_name ("name", name, error))
      || !baton_json_read_strv (body, "member_ids", 0, &member_ids, error)
      || (member_ids && !baton_workspace_check_agent_ids (workspace, "member_ids",
                                                          (const char * const *) member_ids,
                                                          error))
      || !baton_json_read_string (body, "strategy", 0, &strategy, error)
      || !read_nullable_id (body, "default_user_id", &team->default_user_id, error)
      || !read_nullable_id (body, "backup_user_id", &team->backup_user_id, error)
      || !baton_json_read_bool (body, "only_online", 0, &team->only_online, error)
      || !read_nullable_count (body, "max_active_per_agent", 1, G_MAXINT,
                               &team->max_active_per_agent, error)
      || !read_nullable_count (body, "reassign_after_minutes", 1, MAX_REASSIGN_MINUTES,
                               &team->reassign_after_minutes, error))
    return FALSE;
  if (name)
    {
      g_free (team->name);
      team->name = g_strdup (name);
    }
  if (member_ids)
    {
      g_strfreev (team->member_ids);
      team->member_ids = g_steal_pointer (&member_ids);
    }
  if (strategy)
    {
      int value = baton_strategy_from_string (strategy);

      if (value < 0)
        {
          baton_set_field_error (error, "strategy",
                                 "strategy must be round_robin, least_busy or default_user");
          return FALSE;
        }
      team->strategy = value;
    }
  return TRUE;
}

static gboolean
is_member (BatonTeam  *team,
           const char *agent_id)
{
  return team->member_ids && g_strv_contains ((const char * const *) team->member_ids, agent_id);
}

/* The rules that tie the fields together (PROTOCOL.md "Team"). */
static gboolean
validate_team (BatonTeam  *team,
               GError    **error)
{
  if (team->strategy == BATON_STRATEGY_DEFAULT_USER && team->default_user_id == NULL)
    {
      baton_set_field_error (error, "default_user_id",
                             "The default_user strategy needs a default_user_id");
      return FALSE;
    }
  if (team->default_user_id && !is_member (team, team->default_user_id))
    {
      baton_set_field_error (error, "default_user_id",
                             "The default user must be a member of the team");
      return FALSE;
    }
  if (team->backup_user_id && !is_member (team, team->backup_user_id))
    {
      baton_set_field_error (error, "backup_user_id",
                             "The backup user must be a member of the team");
      return FALSE;
    }
  if (team->backup_user_id && g_strcmp0 (team->backup_user_id, team->default_user_id) == 0)
    {
      baton_set_field_error (error, "backup_user_id",
                             "The backup user must differ from the default user");
      return FALSE;
    }
  if (team->reassign_after_minutes > 0 && team->strategy == BATON_STRATEGY_DEFAULT_USER)
    {
      baton_set_field_error (error, "reassign_after_minutes",
                             "Reassignment on no reply is only for round_robin and least_busy");
      return FALSE;
    }
  return TRUE;
}

static gpointer
load_team (BatonWorkspace  *workspace,
           const char      *id,
           GError         **error)
{
  return baton_workspace_load_team (workspace, id, error);
}

static JsonNode *
team_to_json (gpointer team)
{
  return baton_team_to_json (team);
}

static gpointer
save_team (BatonWorkspace  *workspace,
           gpointer         team,
           gboolean         creating,
           GError         **error)
{
  return baton_workspace_save_team (workspace, team, creating, error);
}

static const BatonResource team_resource = {
  load_team, baton_workspace_list_teams, team_to_json, (GDestroyNotify) baton_team_unref,
  save_team, baton_workspace_delete_team,
};

void
baton_api_list_teams (BatonRequest *request)
{
  baton_resource_reply_list (&team_resource, request);
}

void
baton_api_get_team (BatonRequest *request)
{
  baton_resource_reply (&team_resource, request, 200, baton_request_param (request, 0));
}

void
baton_api_create_team (BatonRequest *request)
{
  BatonWorkspace *workspace = request->workspace;
  JsonObject *body = baton_request_body (request);
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonTeam) team = baton_team_new ();

  if (body == NULL)
    return;
  team->member_ids = g_new0 (char *, 1);
  if (!read_team (workspace, body, team, TRUE, &error) || !validate_team (team, &error))
    {
      baton_request_reply_error (request, error);
      return;
    }
  baton_resource_save_and_reply (&team_resource, request, team, TRUE);
}

void
baton_api_update_team (BatonRequest *request)
{
  BatonWorkspace *workspace = request->workspace;
  const char *id = baton_request_param (request, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonTeam) team = baton_workspace_load_team (workspace, id, &error);
  JsonObject *body = NULL;

  if (team == NULL)
    {
      baton_request_reply_error (request, error);
      return;
    }
  body = baton_request_body (request);
  if (body == NULL)
    return;
  if (!read_team (workspace, body, team, FALSE, &error) || !validate_team (team, &error))
    {
      baton_request_reply_error (request, error);
      return;
    }
  baton_resource_save_and_reply (&team_resource, request, team, FALSE);
}

void
baton_api_delete_team (BatonRequest *request)
{
  baton_resource_delete_and_reply (&team_resource, request);
}
