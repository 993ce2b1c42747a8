/* baton-api-agents.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-api-agents"

#include "config.h"

#include <string.h>

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

/* What a save answers with: its status, and the password the server chose, shown once. */
typedef struct {
  BatonDeferred *deferred;
  guint status;
  char *password;
} SaveReply;

static gpointer
save_reply_new (BatonRequest *request,
                guint         status,
                const char   *password)
{
  SaveReply *reply = g_new0 (SaveReply, 1);

  reply->deferred = baton_request_defer (request);
  reply->status = status;
  reply->password = g_strdup (password);
  return reply;
}

static JsonNode *
saved_to_json (BatonAgent *agent,
               const char *password)
{
  JsonNode *node = baton_agent_to_json (agent);

  if (password)
    json_object_set_string_member (json_node_get_object (node), "password", password);
  return node;
}

static void
agent_saved_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  SaveReply *reply = user_data;
  BatonRequest *request = baton_deferred_request (reply->deferred);
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonAgent) agent = baton_workspace_save_agent_finish (BATON_WORKSPACE (source),
                                                                   result, &error);

  if (g_error_matches (error, BATON_ERROR, BATON_ERROR_UNAVAILABLE))
    baton_api_reply_busy (request, error);
  else if (agent == NULL)
    baton_request_reply_error (request, error);
  else
    baton_request_reply (request, reply->status, saved_to_json (agent, reply->password));
  baton_deferred_finish (reply->deferred);
  if (reply->password)
    memset (reply->password, 0, strlen (reply->password));
  g_free (reply->password);
  g_free (reply);
}

/* The password given, else one the server chooses and answers with once. */
static gboolean
read_new_password (JsonObject  *body,
                   const char **password,
                   char       **generated,
                   GError     **error)
{
  if (!baton_json_read_string (body, "password", BATON_JSON_OPTIONAL, password, error)
      || (*password && !validate_password (*password, error)))
    return FALSE;
  if (*password == NULL)
    *password = *generated = baton_auth_new_password ();
  return TRUE;
}

void
baton_api_create_agent (BatonRequest *request)
{
  JsonObject *body = baton_request_body (request);
  g_autoptr(GError) error = NULL;
  BatonAgentPatch patch = { .role = "agent" };
  g_autofree char *generated = NULL;

  if (body == NULL)
    return;
  if (!baton_json_read_string (body, "name", BATON_JSON_REQUIRED, &patch.name, &error)
      || !baton_validate_name ("name", patch.name, &error)
      || !baton_json_read_string (body, "email", BATON_JSON_REQUIRED, &patch.email, &error)
      || !validate_email (patch.email, &error)
      || !read_new_password (body, &patch.password, &generated, &error)
      || !baton_json_read_string (body, "role", BATON_JSON_OPTIONAL, &patch.role, &error))
    {
      baton_request_reply_error (request, error);
      return;
    }
  if (baton_role_from_string (patch.role) < 0)
    {
      baton_set_field_error (&error, "role", "role must be agent or manager");
      baton_request_reply_error (request, error);
      return;
    }
  /* before hashing the password; the domain checks again when it writes */
  if (!baton_workspace_check_email_free (request->workspace, patch.email, NULL, &error))
    {
      baton_request_reply_error (request, error);
      return;
    }
  /* Argon2id runs off the main loop, a few at a time. */
  baton_workspace_save_agent_async (request->workspace, NULL, &patch, NULL, agent_saved_cb,
                                    save_reply_new (request, 201, generated));
  if (generated)
    memset (generated, 0, strlen (generated));
}

/* The PATCH body, checked into patch; FALSE when it was refused (answered). */
static gboolean
read_update (BatonRequest    *request,
             BatonAgent      *agent,
             BatonAgentPatch *patch)
{
  JsonObject *body = baton_request_body (request);
  g_autoptr(GError) error = NULL;

  if (body == NULL)
    return FALSE;
  if (!baton_json_read_string (body, "name", BATON_JSON_OPTIONAL, &patch->name, &error)
      || (patch->name && !baton_validate_name ("name", patch->name, &error))
      || !baton_json_read_string (body, "email", BATON_JSON_OPTIONAL, &patch->email, &error)
      || (patch->email && !validate_email (patch->email, &error))
      || !baton_json_read_string (body, "password", BATON_JSON_OPTIONAL, &patch->password,
                                  &error)
      || (patch->password && !validate_password (patch->password, &error))
      || !baton_json_read_string (body, "role", BATON_JSON_OPTIONAL, &patch->role, &error)
      || !baton_json_read_string (body, "availability", BATON_JSON_OPTIONAL,
                                  &patch->availability, &error))
    {
      baton_request_reply_error (request, error);
      return FALSE;
    }
  if (patch->role && baton_role_from_string (patch->role) < 0)
    baton_set_field_error (&error, "role", "role must be agent or manager");
  else if (patch->availability && baton_availability_from_string (patch->availability) < 0)
    baton_set_field_error (&error, "availability",
                           "availability must be online, away or offline");
  if (error)
    {
      baton_request_reply_error (request, error);
      return FALSE;
    }
  if (!baton_workspace_check_email_free (request->workspace, patch->email, agent->id, &error))
    {
      baton_request_reply_error (request, error);
      return FALSE;
    }
  return TRUE;
}

void
baton_api_update_agent (BatonRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonAgent) agent = baton_workspace_load_agent (request->workspace,
                                                            baton_request_param (request, 0),
                                                            &error);
  BatonAgentPatch patch = { 0 };

  if (agent == NULL)
    {
      baton_request_reply_error (request, error);
      return;
    }
  /* A new password ends the agent's other sessions, never the one making the change. */
  if (read_update (request, agent, &patch))
    baton_workspace_save_agent_async (request->workspace, agent->id, &patch,
                                      request->token_hash, agent_saved_cb,
                                      save_reply_new (request, 200, NULL));
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

/* A manager's reset: a password the server chooses, answered once; the agent's other
 * sessions end, as with a new password set through PATCH. */
void
baton_api_reset_agent_password (BatonRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonAgent) agent = baton_workspace_load_agent (request->workspace,
                                                            baton_request_param (request, 0),
                                                            &error);
  g_autofree char *password = NULL;
  BatonAgentPatch patch = { 0 };

  if (agent == NULL)
    {
      baton_request_reply_error (request, error);
      return;
    }
  password = baton_auth_new_password ();
  patch.password = password;
  baton_workspace_save_agent_async (request->workspace, agent->id, &patch,
                                    request->token_hash, agent_saved_cb,
                                    save_reply_new (request, 200, password));
  memset (password, 0, strlen (password));
}
