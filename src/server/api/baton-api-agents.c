/* baton-api-agents.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-api-agents"

#include "config.h"

#include "baton-api.h"
#include "baton-auth.h"
#include "baton-json.h"

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

/* A creation or change of an agent, waiting for its password's hash (Argon2id runs off the
 * main loop, a few at a time). */
typedef struct {
  BatonDeferred *deferred;
  /* the agent changed, or NULL for a creation */
  char *id;
  char *name;
  char *email;
  char *password;
  char *role;
  char *availability;
  /* the session making the change: it stays signed in after a new password */
  char *token_hash;
} AgentWrite;

static void
agent_write_free (AgentWrite *write)
{
  if (write->deferred)
    baton_deferred_finish (write->deferred);
  g_free (write->id);
  g_free (write->name);
  g_free (write->email);
  if (write->password)
    memset (write->password, 0, strlen (write->password));
  g_free (write->password);
  g_free (write->role);
  g_free (write->availability);
  g_free (write->token_hash);
  g_free (write);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AgentWrite, agent_write_free)

/* The agent created or changed: 201 or 200 with it. */
static void
write_agent (BatonRequest *request,
             AgentWrite   *write,
             const char   *hash)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonAgent) agent = NULL;
  BatonAgentPatch patch = {
    .name = write->name, .email = write->email, .role = write->role,
    .availability = write->availability, .password_hash = hash,
  };

  if (write->id)
    agent = baton_workspace_update_agent (request->workspace, write->id, &patch,
                                          write->token_hash, &error);
  else
    agent = baton_workspace_create_agent (request->workspace, &patch, &error);
  if (agent == NULL)
    baton_request_reply_error (request, error);
  else
    baton_request_reply (request, write->id ? 200 : 201, baton_agent_to_json (agent));
}

static void
password_hashed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(AgentWrite) write = user_data;
  BatonRequest *request = baton_deferred_request (write->deferred);
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = baton_auth_hash_password_finish (result, &error);

  if (hash == NULL && g_error_matches (error, BATON_ERROR, BATON_ERROR_UNAVAILABLE))
    baton_api_reply_busy (request, error);
  else if (hash == NULL)
    baton_request_reply_error (request, error);
  else
    write_agent (request, write, hash);
}

/* Takes write: writes it now, or once its password is hashed. */
static void
save_agent (BatonRequest *request,
            AgentWrite   *write)
{
  g_autoptr(AgentWrite) owned = write;

  if (owned->password == NULL)
    {
      write_agent (request, owned, NULL);
      return;
    }
  owned->deferred = baton_request_defer (request);
  baton_auth_hash_password_async (write->password, password_hashed_cb,
                                  g_steal_pointer (&owned));
}

void
baton_api_create_agent (BatonRequest *request)
{
  JsonObject *body = baton_request_body (request);
  g_autoptr(GError) error = NULL;
  AgentWrite *write = NULL;
  const char *name = NULL, *email = NULL, *password = NULL, *role = "agent";

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
  if (baton_workspace_email_taken (request->workspace, email, NULL))
    {
      baton_request_fail (request, BATON_ERROR_CONFLICT, "An agent with this email exists");
      return;
    }
  write = g_new0 (AgentWrite, 1);
  write->name = g_strdup (name);
  write->email = g_strdup (email);
  write->password = g_strdup (password);
  write->role = g_strdup (role);
  save_agent (request, write);
}

/* The PATCH body, checked; NULL when it was refused (answered). */
static AgentWrite *
read_update (BatonRequest *request,
             BatonAgent   *agent)
{
  JsonObject *body = baton_request_body (request);
  g_autoptr(GError) error = NULL;
  g_autoptr(AgentWrite) write = NULL;
  const char *name = NULL, *email = NULL, *password = NULL, *role = NULL, *availability = NULL;

  if (body == NULL)
    return NULL;
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
      return NULL;
    }
  if (role && baton_role_from_string (role) < 0)
    baton_set_field_error (&error, "role", "role must be agent or manager");
  else if (availability && baton_availability_from_string (availability) < 0)
    baton_set_field_error (&error, "availability",
                           "availability must be online, away or offline");
  if (error)
    {
      baton_request_reply_error (request, error);
      return NULL;
    }
  if (email && baton_workspace_email_taken (request->workspace, email, agent->id))
    {
      baton_request_fail (request, BATON_ERROR_CONFLICT, "An agent with this email exists");
      return NULL;
    }
  write = g_new0 (AgentWrite, 1);
  write->id = g_strdup (agent->id);
  write->name = g_strdup (name);
  write->email = g_strdup (email);
  write->password = g_strdup (password);
  write->role = g_strdup (role);
  write->availability = g_strdup (availability);
  write->token_hash = g_strdup (request->token_hash);
  return g_steal_pointer (&write);
}

void
baton_api_update_agent (BatonRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonAgent) agent = baton_workspace_load_agent (request->workspace,
                                                            baton_request_param (request, 0),
                                                            &error);
  AgentWrite *write = NULL;

  if (agent == NULL)
    {
      baton_request_reply_error (request, error);
      return;
    }
  write = read_update (request, agent);
  if (write)
    save_agent (request, write);
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
