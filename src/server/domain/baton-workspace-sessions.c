/* baton-workspace-sessions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-workspace"

#include "config.h"

#include "baton-auth.h"
#include "baton-error.h"
#include "baton-id.h"
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

/* Keeps the hashes a "DELETE … RETURNING token_hash" gave, for "session-revoked" after the
 * commit; FALSE when the statement failed. */
static gboolean
keep_revoked (BatonWorkspace *self,
              BatonRows      *rows)
{
  if (rows == NULL)
    return FALSE;
  for (guint r = 0; r < baton_rows_count (rows); r++)
    g_ptr_array_add (self->revoked_tokens, baton_rows_dup_text (rows, r, 0));
  baton_rows_free (rows);
  return TRUE;
}

/* Tokens idle past the limit: gone, with their streams. */
static void
expire_sessions (BatonWorkspace *self)
{
  g_autoptr(GError) error = NULL;

  if (!baton_workspace_begin (self, &error)
      || !keep_revoked (self, baton_store_query (self->store, &error,
                                                 "DELETE FROM tokens WHERE last_used_at <= ?"
                                                 " RETURNING token_hash", "i",
                                                 baton_workspace_now (self)
                                                 - self->session_idle_ms))
      || !baton_workspace_commit (self, &error))
    {
      baton_workspace_rollback (self);
      g_warning ("Cannot delete idle sessions: %s", error->message);
    }
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

  expire_sessions (self);
  if (baton_store_exec (self->store, error,
                        "INSERT INTO tokens (token_hash, agent_id, created_at, id, last_used_at,"
                        " address, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?)", "ssisiss", hash,
                        agent_id, now, id, now, address, user_agent) < 0)
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
  g_autoptr(BatonRows) rows = NULL;
  BatonAgent *agent = NULL;
  gint64 now = baton_workspace_now (self);
  gint64 last_used;

  if (token == NULL || *token == '\0')
    return NULL;
  hash = baton_auth_hash_secret (token);
  rows = baton_store_query (self->store, NULL,
                            "SELECT agent_id, last_used_at FROM tokens WHERE token_hash = ?",
                            "s", hash);
  if (rows == NULL || baton_rows_count (rows) == 0)
    return NULL;
  last_used = baton_rows_int (rows, 0, 1);
  if (now - last_used >= self->session_idle_ms)
    {
      expire_sessions (self);
      return NULL;
    }
  if (now - last_used >= LAST_USE_PRECISION_MS
      && baton_store_exec (self->store, NULL,
                           "UPDATE tokens SET last_used_at = ? WHERE token_hash = ?", "is", now,
                           hash) < 0)
    g_warning ("Cannot record the use of a session");
  agent = baton_workspace_load_agent (self, baton_rows_text (rows, 0, 0), NULL);
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
  g_autoptr(BatonRows) rows = NULL;
  GPtrArray *sessions = NULL;

  rows = baton_store_query (self->store, error,
                            "SELECT id, created_at, last_used_at, address, user_agent, token_hash"
                            " FROM tokens WHERE agent_id = ? AND last_used_at > ?"
                            " ORDER BY created_at DESC, id DESC", "si", agent_id,
                            baton_workspace_now (self) - self->session_idle_ms);
  if (rows == NULL)
    return NULL;
  sessions = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_session_unref);
  for (guint r = 0; r < baton_rows_count (rows); r++)
    {
      BatonSession *session = baton_session_new ();

      session->id = baton_rows_dup_text (rows, r, 0);
      session->created_at = baton_rows_int (rows, r, 1);
      session->last_used_at = baton_rows_int (rows, r, 2);
      session->address = baton_rows_dup_text (rows, r, 3);
      session->user_agent = baton_rows_dup_text (rows, r, 4);
      session->current = g_strcmp0 (baton_rows_text (rows, r, 5), current_hash) == 0;
      g_ptr_array_add (sessions, session);
    }
  return sessions;
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
  guint before;

  if (!baton_workspace_begin (self, error))
    return FALSE;
  before = self->revoked_tokens->len;
  if (!keep_revoked (self, baton_store_query (self->store, error,
                                              "DELETE FROM tokens WHERE agent_id = ?"
                                              " AND (id = ? OR token_hash = ?)"
                                              " RETURNING token_hash", "sss", agent_id,
                                              session_id, token_hash)))
    {
      baton_workspace_rollback (self);
      return FALSE;
    }
  if (self->revoked_tokens->len == before)
    {
      baton_workspace_rollback (self);
      g_set_error_literal (error, BATON_ERROR, BATON_ERROR_NOT_FOUND, "No such session");
      return FALSE;
    }
  return baton_workspace_commit (self, error);
}

/* Inside a transaction: ends every session of the agent but keep_hash's (may be NULL). */
gboolean
baton_workspace_revoke_sessions (BatonWorkspace  *self,
                                 const char      *agent_id,
                                 const char      *keep_hash,
                                 GError         **error)
{
  return keep_revoked (self, baton_store_query (self->store, error,
                                               "DELETE FROM tokens WHERE agent_id = ?"
                                               " AND token_hash IS NOT ? RETURNING token_hash",
                                               "ss", agent_id, keep_hash));
}
