/* baton-api-agents.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-api-agents"

#include "config.h"

#include "baton-api.h"
#include "baton-auth.h"
#include "baton-id.h"
#include "baton-json.h"
#include "baton-workspace-private.h"

#define MIN_PASSWORD_LENGTH 8

static gboolean
validate_email (const char  *email,
                GError     **error)
{
  const char *at = strchr (email, '@');

  if (at == NULL || at == email || at[1] == '\0' || strchr (at + 1, '@') != NULL
      || strchr (email, ' ') != NULL || strlen (email) > 254)
    {
      baton_set_field_error (error, "email", "email must be an address such as ana@example.com");
      return FALSE;
    }
  return TRUE;
}

static gboolean
validate_password (const char  *password,
                   GError     **error)
{
  if (g_utf8_strlen (password, -1) < MIN_PASSWORD_LENGTH || strlen (password) > 1024)
    {
      baton_set_field_error (error, "password", "password must have at least %d characters",
                             MIN_PASSWORD_LENGTH);
      return FALSE;
    }
  return TRUE;
}

static gboolean
email_taken (BatonWorkspace *workspace,
             const char     *email,
             const char     *except_id)
{
  g_autofree char *key = baton_workspace_email_key (email);
  g_autoptr(BatonRows) rows = baton_store_query (baton_workspace_get_store (workspace), NULL,
                                                 "SELECT id FROM agents WHERE email_key = ?",
                                                 "s", key);

  return rows && baton_rows_count (rows) > 0
         && g_strcmp0 (baton_rows_text (rows, 0, 0), except_id) != 0;
}

void
baton_api_list_agents (BatonRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) agents = baton_workspace_list_agents (request->workspace, &error);
  GPtrArray *items = NULL;

  if (agents == NULL)
    {
      baton_request_reply_error (request, error);
      return;
    }
  items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  for (guint i = 0; i < agents->len; i++)
    g_ptr_array_add (items, baton_agent_to_json (agents->pdata[i]));
  baton_request_reply_list (request, items, NULL);
}

void
baton_api_get_agent (BatonRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonAgent) agent = baton_workspace_load_agent (request->workspace,
                                                            baton_request_param (request, 0),
                                                            &error);

  if (agent == NULL)
    baton_request_reply_error (request, error);
  else
    baton_request_reply (request, 200, baton_agent_to_json (agent));
}

void
baton_api_create_agent (BatonRequest *request)
{
  BatonWorkspace *workspace = request->workspace;
  JsonObject *body = baton_request_body (request);
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonAgent) agent = NULL;
  g_autofree char *id = NULL;
  g_autofree char *key = NULL;
  g_autofree char *hash = NULL;
  const char *name = NULL, *email = NULL, *password = NULL, *role = "agent";
  gint64 now = baton_workspace_now (workspace);

  if (body == NULL)
    return;
  if (!baton_json_read_string (body, "name", BATON_JSON_REQUIRED, &name, &error)
      || !baton_validate_name ("name", name, &error)
      || !baton_json_read_string (body, "email", BATON_JSON_REQUIRED, &email, &error)
      || !validate_email (email, &error)
      || !baton_json_read_string (body, "password", BATON_JSON_REQUIRED, &password, &error)
      || !validate_password (password, &error)
      || !baton_json_read_string (body, "role", BATON_JSON_OPTIONAL, &role, &error))
    {
      baton_request_reply_error (request, error);
      return;
    }
  if (baton_role_from_string (role) < 0)
    {
      baton_set_field_error (&error, "role", "role must be agent or manager");
      baton_request_reply_error (request, error);
      return;
    }
  if (email_taken (workspace, email, NULL))
    {
      baton_request_fail (request, BATON_ERROR_CONFLICT, "An agent with this email exists");
      return;
    }
  hash = baton_auth_hash_password (password);
  id = baton_id_new ("agt", now);
  key = baton_workspace_email_key (email);
  if (!baton_workspace_begin (workspace, &error)
      || baton_store_exec (baton_workspace_get_store (workspace), &error,
                           "INSERT INTO agents (id, name, email, email_key, role, password_hash,"
                           " availability, created_at, updated_at)"
                           " VALUES (?, ?, ?, ?, ?, ?, 'online', ?, ?)",
                           "ssssssii", id, name, email, key, role, hash, now, now) < 0
      || !baton_workspace_emit_agent (workspace, id, &error)
      || !baton_workspace_commit (workspace, &error))
    {
      baton_workspace_rollback (workspace);
      baton_request_reply_error (request, error);
      return;
    }
  agent = baton_workspace_load_agent (workspace, id, &error);
  if (agent == NULL)
    baton_request_reply_error (request, error);
  else
    baton_request_reply (request, 201, baton_agent_to_json (agent));
}

void
baton_api_update_agent (BatonRequest *request)
{
  BatonWorkspace *workspace = request->workspace;
  BatonStore *store = baton_workspace_get_store (workspace);
  const char *id = baton_request_param (request, 0);
  JsonObject *body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonAgent) agent = NULL;
  g_autoptr(BatonRows) managers = NULL;
  const char *name = NULL, *email = NULL, *password = NULL, *role = NULL, *availability = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *key = NULL;
  gint64 now = baton_workspace_now (workspace);

  agent = baton_workspace_load_agent (workspace, id, &error);
  if (agent == NULL)
    {
      baton_request_reply_error (request, error);
      return;
    }
  body = baton_request_body (request);
  if (body == NULL)
    return;
  if (!baton_json_read_string (body, "name", BATON_JSON_OPTIONAL, &name, &error)
      || (name && !baton_validate_name ("name", name, &error))
      || !baton_json_read_string (body, "email", BATON_JSON_OPTIONAL, &email, &error)
      || (email && !validate_email (email, &error))
      || !baton_json_read_string (body, "password", BATON_JSON_OPTIONAL, &password, &error)
      || (password && !validate_password (password, &error))
      || !baton_json_read_string (body, "role", BATON_JSON_OPTIONAL, &role, &error)
      || !baton_json_read_string (body, "availability", BATON_JSON_OPTIONAL, &availability,
                                  &error))
    {
      baton_request_reply_error (request, error);
      return;
    }
  if (role && baton_role_from_string (role) < 0)
    baton_set_field_error (&error, "role", "role must be agent or manager");
  else if (availability && baton_availability_from_string (availability) < 0)
    baton_set_field_error (&error, "availability",
                           "availability must be online, away or offline");
  if (error)
    {
      baton_request_reply_error (request, error);
      return;
    }
  if (email && email_taken (workspace, email, id))
    {
      baton_request_fail (request, BATON_ERROR_CONFLICT, "An agent with this email exists");
      return;
    }
  managers = baton_store_query (store, NULL,
                                "SELECT COUNT(*) FROM agents WHERE role = 'manager'", "");
  if (role && g_str_equal (role, "agent") && agent->role == BATON_ROLE_MANAGER
      && managers && baton_rows_int (managers, 0, 0) <= 1)
    {
      baton_request_fail (request, BATON_ERROR_CONFLICT,
                          "The workspace's last manager must stay a manager");
      return;
    }
  if (password)
    hash = baton_auth_hash_password (password);
  if (email)
    key = baton_workspace_email_key (email);

  if (!baton_workspace_begin (workspace, &error)
      || baton_store_exec (store, &error,
                           "UPDATE agents SET name = COALESCE(?, name),"
                           " email = COALESCE(?, email), email_key = COALESCE(?, email_key),"
                           " role = COALESCE(?, role), password_hash = COALESCE(?, password_hash),"
                           " availability = COALESCE(?, availability), updated_at = ?"
                           " WHERE id = ?", "ssssssis", name, email, key, role, hash,
                           availability, now, id) < 0
      /* A new password signs the agent out everywhere else. */
      || (hash && baton_store_exec (store, &error,
                                    "DELETE FROM tokens WHERE agent_id = ? AND token_hash <> ?",
                                    "ss", id, request->token_hash) < 0)
      || !baton_workspace_emit_agent (workspace, id, &error)
      || !baton_workspace_commit (workspace, &error))
    {
      baton_workspace_rollback (workspace);
      baton_request_reply_error (request, error);
      return;
    }
  g_clear_pointer (&agent, baton_agent_unref);
  agent = baton_workspace_load_agent (workspace, id, &error);
  if (agent == NULL)
    baton_request_reply_error (request, error);
  else
    baton_request_reply (request, 200, baton_agent_to_json (agent));
}

void
baton_api_delete_agent (BatonRequest *request)
{
  g_autoptr(GError) error = NULL;

  if (!baton_workspace_remove_agent (request->workspace, request->agent,
                                     baton_request_param (request, 0), &error))
    baton_request_reply_error (request, error);
  else
    baton_request_reply_empty (request, 204);
}
