/* baton-workspace-agents.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-workspace"

#include "config.h"

#include <string.h>

#include "baton-auth.h"
#include "baton-error.h"
#include "baton-id.h"
#include "baton-store-agents.h"
#include "baton-workspace-private.h"

/* Agents: created and changed by managers, their availability by themselves. */

/* FALSE with a conflict on `email` when another agent than except_id (may be NULL) has this
 * email; a NULL email is free. */
gboolean
baton_workspace_check_email_free (BatonWorkspace  *self,
                                  const char      *email,
                                  const char      *except_id,
                                  GError         **error)
{
  g_autofree char *key = NULL;
  g_autofree char *id = NULL;

  if (email == NULL)
    return TRUE;
  key = baton_workspace_email_key (email);
  id = baton_store_agents_find_email (self->store, key, NULL, NULL);
  if (id != NULL && g_strcmp0 (id, except_id) != 0)
    {
      baton_set_conflict_error (error, "email", "An agent with this email exists");
      return FALSE;
    }
  return TRUE;
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

typedef struct {
  const char *id;
  const BatonAgentPatch *patch;
  const char *password_hash;
  const char *keep_token_hash;
} AgentChange;

static gpointer
create_change (BatonWorkspace  *self,
               gpointer         data,
               GError         **error)
{
  AgentChange *change = data;
  const BatonAgentPatch *patch = change->patch;
  gint64 now = baton_workspace_now (self);
  g_autofree char *id = baton_id_new ("agt", now);
  g_autofree char *key = baton_workspace_email_key (patch->email);
  BatonAgentRow row = {
    .id = id, .name = patch->name, .email = patch->email, .email_key = key,
    .role = patch->role ? patch->role : "agent", .password_hash = change->password_hash,
    .availability = "online", .created_at = now, .updated_at = now,
  };

  if (!baton_workspace_check_email_free (self, patch->email, NULL, error)
      || !baton_store_agents_insert (self->store, &row, error))
    return NULL;
  return emit_and_load (self, id, error);
}

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
  AgentChange *change = data;
  const BatonAgentPatch *patch = change->patch;
  g_autoptr(BatonAgent) agent = baton_workspace_load_agent (self, change->id, error);
  g_autofree char *key = patch->email ? baton_workspace_email_key (patch->email) : NULL;
  BatonAgentRow row = {
    .id = change->id, .name = patch->name, .email = patch->email, .email_key = key,
    .role = patch->role, .password_hash = change->password_hash,
    .availability = patch->availability, .updated_at = baton_workspace_now (self),
  };

  if (agent == NULL
      || !baton_workspace_check_email_free (self, patch->email, change->id, error)
      || !check_keeps_a_manager (self, agent, patch->role, error)
      || !baton_store_agents_update (self->store, &row, error))
    return NULL;
  /* A new password signs the agent out everywhere else, streams included. */
  if (change->password_hash
      && !baton_workspace_revoke_sessions (self, change->id, change->keep_token_hash, error))
    return NULL;
  return emit_and_load (self, change->id, error);
}

static BatonAgent *
save_agent (BatonWorkspace  *self,
            AgentChange     *change,
            GError         **error)
{
  return baton_workspace_run (self, change->id ? update_change : create_change, change,
                              (GDestroyNotify) baton_agent_unref, error);
}

/* The members patch sets change (a password only through baton_workspace_save_agent_async);
 * the agent as it now is, published. */
BatonAgent *
baton_workspace_update_agent (BatonWorkspace         *self,
                              const char             *id,
                              const BatonAgentPatch  *patch,
                              GError                **error)
{
  AgentChange change = { id, patch, NULL, NULL };

  g_return_val_if_fail (patch->password == NULL, NULL);

  return save_agent (self, &change, error);
}

/* What a save waits with for its password's hash. */
typedef struct {
  char *id;
  char *name;
  char *email;
  char *password;
  char *role;
  char *availability;
  char *keep_token_hash;
} AgentSave;

static void
agent_save_free (AgentSave *save)
{
  g_free (save->id);
  g_free (save->name);
  g_free (save->email);
  if (save->password)
    memset (save->password, 0, strlen (save->password));
  g_free (save->password);
  g_free (save->role);
  g_free (save->availability);
  g_free (save->keep_token_hash);
  g_free (save);
}

static void
return_saved (GTask      *task,
              const char *password_hash)
{
  AgentSave *save = g_task_get_task_data (task);
  BatonAgentPatch patch = { save->name, save->email, save->role, save->availability, NULL };
  AgentChange change = { save->id, &patch, password_hash, save->keep_token_hash };
  GError *error = NULL;
  BatonAgent *agent = save_agent (g_task_get_source_object (task), &change, &error);

  if (agent == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, agent, (GDestroyNotify) baton_agent_unref);
}

static void
password_hashed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autofree char *hash = baton_auth_hash_password_finish (result, &error);

  if (hash == NULL)
    g_task_return_error (task, error);
  else
    return_saved (task, hash);
}

/* Creates an agent (id NULL: name, email and password are required) or changes the members
 * patch sets. A new password is hashed off the main loop, a few at a time, and ends every
 * session of the agent but keep_token_hash's. */
void
baton_workspace_save_agent_async (BatonWorkspace         *self,
                                  const char             *id,
                                  const BatonAgentPatch  *patch,
                                  const char             *keep_token_hash,
                                  GAsyncReadyCallback     callback,
                                  gpointer                user_data)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);
  AgentSave *save = g_new0 (AgentSave, 1);

  save->id = g_strdup (id);
  save->name = g_strdup (patch->name);
  save->email = g_strdup (patch->email);
  save->password = g_strdup (patch->password);
  save->role = g_strdup (patch->role);
  save->availability = g_strdup (patch->availability);
  save->keep_token_hash = g_strdup (keep_token_hash);
  g_task_set_task_data (task, save, (GDestroyNotify) agent_save_free);
  if (patch->password == NULL)
    return_saved (task, NULL);
  else
    baton_auth_hash_password_async (patch->password, password_hashed_cb,
                                    g_steal_pointer (&task));
}

/* The agent as saved; UNAVAILABLE when too many password checks wait. */
BatonAgent *
baton_workspace_save_agent_finish (BatonWorkspace  *self,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Creates an agent whose password was hashed before (baton_auth_hash_password), at once:
 * for a workspace set up in one go, such as the demo's. */
BatonAgent *
baton_workspace_create_agent (BatonWorkspace         *self,
                              const BatonAgentPatch  *patch,
                              const char             *password_hash,
                              GError                **error)
{
  AgentChange change = { NULL, patch, password_hash, NULL };

  g_return_val_if_fail (patch->password == NULL, NULL);

  return save_agent (self, &change, error);
}
