/* baton-workspace-sessions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-workspace"

#include "config.h"

#include "baton-auth.h"
#include "baton-error.h"
#include "baton-id.h"
#include "baton-store-tokens.h"
#include "baton-workspace-private.h"

/* Sessions: the bearer tokens of signed-in agents. A token is stored as its SHA-256 with an
 * id (what the agent sees and revokes), its last use and where it signed in from. One not
 * used for the idle limit is refused and deleted. A revoked token's streams close at once:
 * "session-revoked" is emitted with its hash after the deletion is committed. */

/* The last use is written at most this often per token, not on every request. */
#define LAST_USE_PRECISION_MS (60 * 1000)

void
baton_workspace_set_session_idle (BatonWorkspace *self,
                                  gint64          idle_ms)
{
  g_return_if_fail (idle_ms > 0);

  self->session_idle_ms = idle_ms;
}

/* Keeps the hashes of the tokens a change deleted, for "session-revoked" after the commit;
 * FALSE when the deletion failed. */
static gboolean
keep_revoked (BatonWorkspace *self,
              GStrv           hashes)
{
  if (hashes == NULL)
    return FALSE;
  for (guint i = 0; hashes[i]; i++)
    g_ptr_array_add (self->revoked_tokens, hashes[i]);
  g_free (hashes);
  return TRUE;
}

static gpointer
expire_change (BatonWorkspace  *self,
               gpointer         data,
               GError         **error)
{
  gint64 used_until = baton_workspace_now (self) - self->session_idle_ms;

  if (!keep_revoked (self, baton_store_tokens_delete_idle (self->store, used_until, error)))
    return NULL;
  return self;
}

/* Tokens idle past the limit: gone, with their streams. */
static void
expire_sessions (BatonWorkspace *self)
{
  g_autoptr(GError) error = NULL;

  if (!baton_workspace_apply (self, expire_change, NULL, NULL, &error))
    g_warning ("Cannot delete idle sessions: %s", error->message);
}

/* A new session for the agent; returns its token (shown once, only its hash is kept). */
char *
baton_workspace_open_session (BatonWorkspace  *self,
                              const char      *agent_id,
                              const char      *address,
                              const char      *user_agent,
                              GError         **error)
{
  g_autofree char *token = baton_auth_new_secret ();
  g_autofree char *hash = baton_auth_hash_secret (token);
  gint64 now = baton_workspace_now (self);
  g_autofree char *id = baton_id_new ("ses", now);
  BatonTokenRow row = {
    .token_hash = hash, .agent_id = (char *) agent_id, .id = id, .created_at = now,
    .last_used_at = now, .address = (char *) address, .user_agent = (char *) user_agent,
  };

  expire_sessions (self);
  if (!baton_store_tokens_insert (self->store, &row, error))
    return NULL;
  return g_steal_pointer (&token);
}

/* The agent a token signs in, or NULL when it is unknown or idle too long (then deleted);
 * its hash in *token_hash. Records the use, to the minute. */
BatonAgent *
baton_workspace_authenticate (BatonWorkspace  *self,
                              const char      *token,
                              char           **token_hash)
{
  g_autofree char *hash = NULL;
  g_autoptr(BatonTokenRow) row = NULL;
  BatonAgent *agent = NULL;
  gint64 now = baton_workspace_now (self);

  if (token == NULL || *token == '\0')
    return NULL;
  hash = baton_auth_hash_secret (token);
  row = baton_store_tokens_find (self->store, hash, NULL);
  if (row == NULL)
    return NULL;
  if (now - row->last_used_at >= self->session_idle_ms)
    {
      expire_sessions (self);
      return NULL;
    }
  if (now - row->last_used_at >= LAST_USE_PRECISION_MS
      && !baton_store_tokens_touch (self->store, hash, now, NULL))
    g_warning ("Cannot record the use of a session");
  agent = baton_workspace_load_agent (self, row->agent_id, NULL);
  if (agent && token_hash)
    *token_hash = g_steal_pointer (&hash);
  return agent;
}

/* The agent's sessions, newest first (BatonSession); current_hash marks the caller's. */
GPtrArray *
baton_workspace_list_sessions (BatonWorkspace  *self,
                               const char      *agent_id,
                               const char      *current_hash,
                               GError         **error)
{
  g_autoptr(GPtrArray) tokens = NULL;
  GPtrArray *sessions = NULL;

  tokens = baton_store_tokens_list_agent (self->store, agent_id,
                                          baton_workspace_now (self) - self->session_idle_ms,
                                          error);
  if (tokens == NULL)
    return NULL;
  sessions = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_session_unref);
  for (guint i = 0; i < tokens->len; i++)
    {
      BatonTokenRow *row = tokens->pdata[i];
      BatonSession *session = baton_session_new ();

      session->id = g_strdup (row->id);
      session->created_at = row->created_at;
      session->last_used_at = row->last_used_at;
      session->address = g_strdup (row->address);
      session->user_agent = g_strdup (row->user_agent);
      session->current = g_strcmp0 (row->token_hash, current_hash) == 0;
      g_ptr_array_add (sessions, session);
    }
  return sessions;
}

typedef struct {
  const char *agent_id;
  const char *session_id;
  const char *token_hash;
} CloseSession;

static gpointer
close_change (BatonWorkspace  *self,
              gpointer         data,
              GError         **error)
{
  CloseSession *close = data;
  guint before = self->revoked_tokens->len;

  if (!keep_revoked (self, baton_store_tokens_delete_one (self->store, close->agent_id,
                                                          close->session_id, close->token_hash,
                                                          error)))
    return NULL;
  if (self->revoked_tokens->len == before)
    {
      g_set_error_literal (error, BATON_ERROR, BATON_ERROR_NOT_FOUND, "No such session");
      return NULL;
    }
  return self;
}

/* Ends one session of the agent: by its token's hash (sign-out) or by its id (NOT_FOUND
 * when the agent has no such session). */
gboolean
baton_workspace_close_session (BatonWorkspace  *self,
                               const char      *agent_id,
                               const char      *session_id,
                               const char      *token_hash,
                               GError         **error)
{
  CloseSession close = { agent_id, session_id, token_hash };

  return baton_workspace_apply (self, close_change, &close, NULL, error);
}

/* Inside a transaction: ends every session of the agent but keep_hash's (may be NULL). */
gboolean
baton_workspace_revoke_sessions (BatonWorkspace  *self,
                                 const char      *agent_id,
                                 const char      *keep_hash,
                                 GError         **error)
{
  return keep_revoked (self, baton_store_tokens_delete_agent (self->store, agent_id, keep_hash,
                                                             error));
}

/* Signing in: the throttle, the password check (off the main loop) and a new session. */

typedef struct {
  char *email;
  char *address;
  char *user_agent;
  char *agent_id;
  gint64 throttled_until;
  BatonAgent *agent;
} SignIn;

static void
sign_in_free (SignIn *sign_in)
{
  g_free (sign_in->email);
  g_free (sign_in->address);
  g_free (sign_in->user_agent);
  g_free (sign_in->agent_id);
  g_clear_pointer (&sign_in->agent, baton_agent_unref);
  g_free (sign_in);
}

static void
return_throttled (GTask  *task,
                  gint64  until)
{
  SignIn *sign_in = g_task_get_task_data (task);

  sign_in->throttled_until = until;
  g_task_return_new_error (task, BATON_ERROR, BATON_ERROR_RATE_LIMITED,
                           "Too many failed sign-ins; try again later");
}

static void
password_verified_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BatonWorkspace *self = g_task_get_source_object (task);
  SignIn *sign_in = g_task_get_task_data (task);
  GError *error = NULL;
  gboolean matches = baton_auth_verify_password_finish (result, &error);
  gint64 until = 0;
  char *token = NULL;

  if (error)
    {
      g_task_return_error (task, error);
      return;
    }
  /* Another attempt may have tipped the throttle while this one was verified. */
  until = baton_workspace_throttled_until (self, sign_in->email, sign_in->address);
  if (!matches)
    {
      if (until == 0)
        baton_workspace_record_login_failure (self, sign_in->email, sign_in->address);
      g_task_return_new_error (task, BATON_ERROR, BATON_ERROR_UNAUTHORIZED,
                               "Wrong email or password");
      return;
    }
  if (until > 0)
    {
      return_throttled (task, until);
      return;
    }
  sign_in->agent = baton_workspace_load_agent (self, sign_in->agent_id, &error);
  if (sign_in->agent)
    token = baton_workspace_open_session (self, sign_in->agent_id, sign_in->address,
                                          sign_in->user_agent, &error);
  if (token == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, token, g_free);
}

/* A new session for the agent with this email and password, from address (user_agent may
 * be NULL). */
void
baton_workspace_sign_in_async (BatonWorkspace      *self,
                               const char          *email,
                               const char          *password,
                               const char          *address,
                               const char          *user_agent,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);
  SignIn *sign_in = g_new0 (SignIn, 1);
  g_autofree char *hash = NULL;
  GError *error = NULL;
  gint64 until = baton_workspace_throttled_until (self, email, address);

  sign_in->email = g_strdup (email);
  sign_in->address = g_strdup (address);
  sign_in->user_agent = g_strdup (user_agent);
  g_task_set_task_data (task, sign_in, (GDestroyNotify) sign_in_free);
  if (until > 0)
    {
      return_throttled (task, until);
      return;
    }
  sign_in->agent_id = baton_workspace_find_login (self, email, &hash, &error);
  if (error)
    {
      g_task_return_error (task, error);
      return;
    }
  baton_auth_verify_password_async (hash, password, password_verified_cb,
                                    g_steal_pointer (&task));
}

/* The session's token and its agent. RATE_LIMITED with the time the throttle lifts in
 * *throttled_until, UNAUTHORIZED for a wrong email or password, UNAVAILABLE when too many
 * password checks wait. */
char *
baton_workspace_sign_in_finish (BatonWorkspace  *self,
                                GAsyncResult    *result,
                                BatonAgent     **agent,
                                gint64          *throttled_until,
                                GError         **error)
{
  GTask *task = G_TASK (result);
  SignIn *sign_in = g_task_get_task_data (task);
  char *token = g_task_propagate_pointer (task, error);

  *throttled_until = sign_in->throttled_until;
  if (token && agent)
    *agent = g_steal_pointer (&sign_in->agent);
  return token;
}
