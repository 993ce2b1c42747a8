/* baton-workspace-agents.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-workspace"

#include "config.h"

#include "baton-error.h"
#include "baton-id.h"
#include "baton-store-agents.h"
#include "baton-workspace-private.h"

/* Agents: created and changed by managers, their availability by themselves. */

/* Whether another agent than except_id (may be NULL) has this email. */
gboolean
baton_workspace_email_taken (BatonWorkspace *self,
                             const char     *email,
                             const char     *except_id)
{
  g_autofree char *key = baton_workspace_email_key (email);
  g_autofree char *id = baton_store_agents_find_email (self->store, key, NULL, NULL);

  return id != NULL && g_strcmp0 (id, except_id) != 0;
}

/* The agent signing in with this email (NULL without an error when none) and its password
 * hash. */
char *
baton_workspace_find_login (BatonWorkspace  *self,
                            const char      *email,
                            char           **password_hash,
                            GError         **error)
{
  g_autofree char *key = baton_workspace_email_key (email);

  return baton_store_agents_find_email (self->store, key, password_hash, error);
}

static gboolean
check_email_free (BatonWorkspace  *self,
                  const char      *email,
                  const char      *except_id,
                  GError         **error)
{
  if (email && baton_workspace_email_taken (self, email, except_id))
    {
      g_set_error_literal (error, BATON_ERROR, BATON_ERROR_CONFLICT,
                           "An agent with this email exists");
      return FALSE;
    }
  return TRUE;
}

/* The agent as it now is, published (inside the change). */
static BatonAgent *
emit_and_load (BatonWorkspace  *self,
               const char      *id,
               GError         **error)
{
  if (!baton_workspace_emit_agent (self, id, error))
    return NULL;
  return baton_workspace_load_agent (self, id, error);
}

static gpointer
create_change (BatonWorkspace  *self,
               gpointer         data,
               GError         **error)
{
  const BatonAgentPatch *patch = data;
  gint64 now = baton_workspace_now (self);
  g_autofree char *id = baton_id_new ("agt", now);
  g_autofree char *key = baton_workspace_email_key (patch->email);
  BatonAgentRow row = {
    .id = id, .name = patch->name, .email = patch->email, .email_key = key,
    .role = patch->role ? patch->role : "agent", .password_hash = patch->password_hash,
    .availability = "online", .created_at = now, .updated_at = now,
  };

  if (!check_email_free (self, patch->email, NULL, error)
      || !baton_store_agents_insert (self->store, &row, error))
    return NULL;
  return emit_and_load (self, id, error);
}

/* name, email and password_hash are required; the new agent, published */
BatonAgent *
baton_workspace_create_agent (BatonWorkspace         *self,
                              const BatonAgentPatch  *patch,
                              GError                **error)
{
  return baton_workspace_run (self, create_change, (gpointer) patch,
                              (GDestroyNotify) baton_agent_unref, error);
}

typedef struct {
  const char *id;
  const BatonAgentPatch *patch;
  const char *keep_token_hash;
} AgentUpdate;

/* The last manager stays one: someone must be able to manage the workspace. */
static gboolean
check_keeps_a_manager (BatonWorkspace  *self,
                       BatonAgent      *agent,
                       const char      *role,
                       GError         **error)
{
  if (role == NULL || agent->role != BATON_ROLE_MANAGER
      || baton_role_from_string (role) == BATON_ROLE_MANAGER
      || baton_store_agents_count (self->store, "manager", NULL) > 1)
    return TRUE;
  g_set_error_literal (error, BATON_ERROR, BATON_ERROR_CONFLICT,
                       "The workspace's last manager must stay a manager");
  return FALSE;
}

static gpointer
update_change (BatonWorkspace  *self,
               gpointer         data,
               GError         **error)
{
  AgentUpdate *update = data;
  const BatonAgentPatch *patch = update->patch;
  g_autoptr(BatonAgent) agent = baton_workspace_load_agent (self, update->id, error);
  g_autofree char *key = patch->email ? baton_workspace_email_key (patch->email) : NULL;
  BatonAgentRow row = {
    .id = update->id, .name = patch->name, .email = patch->email, .email_key = key,
    .role = patch->role, .password_hash = patch->password_hash,
    .availability = patch->availability, .updated_at = baton_workspace_now (self),
  };

  if (agent == NULL
      || !check_email_free (self, patch->email, update->id, error)
      || !check_keeps_a_manager (self, agent, patch->role, error)
      || !baton_store_agents_update (self->store, &row, error))
    return NULL;
  /* A new password signs the agent out everywhere else, streams included. */
  if (patch->password_hash
      && !baton_workspace_revoke_sessions (self, update->id, update->keep_token_hash, error))
    return NULL;
  return emit_and_load (self, update->id, error);
}

/* The members set change; a new password ends every session of the agent but
 * keep_token_hash's. The agent as it now is, published. */
BatonAgent *
baton_workspace_update_agent (BatonWorkspace         *self,
                              const char             *id,
                              const BatonAgentPatch  *patch,
                              const char             *keep_token_hash,
                              GError                **error)
{
  AgentUpdate update = { id, patch, keep_token_hash };

  return baton_workspace_run (self, update_change, &update,
                              (GDestroyNotify) baton_agent_unref, error);
}
