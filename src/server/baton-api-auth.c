/* baton-api-auth.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-api-auth"

#include "config.h"

#include "baton-api.h"
#include "baton-auth.h"
#include "baton-json.h"
#include "baton-workspace-private.h"

typedef struct {
  BatonWorkspace *workspace;
  SoupServerMessage *msg;
  guint *in_flight;
  char *email;
  char *password;
  char *address;
  char *agent_id;
  char *password_hash;
} Login;

static void
login_free (Login *login)
{
  g_object_unref (login->workspace);
  g_object_unref (login->msg);
  g_free (login->email);
  if (login->password)
    memset (login->password, 0, strlen (login->password));
  g_free (login->password);
  g_free (login->address);
  g_free (login->agent_id);
  g_free (login->password_hash);
  g_free (login);
}

/* A fixed Argon2id hash to verify against when the email is unknown, so that both cases
 * take the same time and give the same answer. */
static const char *
decoy_hash (void)
{
  static char *hash;

  if (hash == NULL)
    hash = baton_auth_hash_password ("decoy password for unknown accounts");
  return hash;
}

/* 429 with Retry-After in whole seconds until the window has passed. */
static void
reply_throttled (BatonRequest *request,
                 gint64        until)
{
  gint64 wait_ms = until - baton_workspace_now (request->workspace);
  g_autofree char *retry = g_strdup_printf ("%" G_GINT64_FORMAT, MAX (1, (wait_ms + 999) / 1000));

  baton_request_fail (request, BATON_ERROR_RATE_LIMITED,
                      "Too many failed sign-ins; try again later");
  soup_message_headers_replace (soup_server_message_get_response_headers (request->msg),
                                "Retry-After", retry);
}

static void
verify_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Login *login = task_data;
  gboolean ok = baton_auth_verify_password (login->password_hash ? login->password_hash
                                                                 : decoy_hash (),
                                            login->password);

  g_task_return_boolean (task, ok && login->agent_id != NULL);
}

static void
login_verified_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Login *login = user_data;
  BatonRequest request = { .workspace = login->workspace, .msg = login->msg };
  BatonStore *store = baton_workspace_get_store (login->workspace);
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonAgent) agent = NULL;
  g_autofree char *token = NULL;
  g_autofree char *hash = NULL;
  gint64 until = 0;

  /* Another attempt may have tipped the throttle while this one was verified. */
  until = baton_workspace_throttled_until (login->workspace, login->email, login->address);
  if (!g_task_propagate_boolean (G_TASK (result), NULL))
    {
      if (until == 0)
        baton_workspace_record_login_failure (login->workspace, login->email, login->address);
      baton_request_fail (&request, BATON_ERROR_UNAUTHORIZED, "Wrong email or password");
    }
  else if (until > 0)
    {
      reply_throttled (&request, until);
    }
  else
    {
      token = baton_auth_new_secret ();
      hash = baton_auth_hash_secret (token);
      agent = baton_workspace_load_agent (login->workspace, login->agent_id, &error);
      if (agent == NULL
          || baton_store_exec (store, &error,
                               "INSERT INTO tokens (token_hash, agent_id, created_at)"
                               " VALUES (?, ?, ?)", "ssi", hash, login->agent_id,
                               baton_workspace_now (login->workspace)) < 0)
        {
          baton_request_reply_error (&request, error);
        }
      else
        {
          g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "token");
          json_builder_add_string_value (builder, token);
          json_builder_set_member_name (builder, "agent");
          json_builder_add_value (builder, baton_agent_to_json (agent));
          json_builder_end_object (builder);
          baton_request_reply (&request, 200, json_builder_get_root (builder));
        }
    }
  soup_server_message_unpause (login->msg);
  (*login->in_flight)--;
  login_free (login);
}

void
baton_api_login (BatonRequest *request)
{
  BatonStore *store = baton_workspace_get_store (request->workspace);
  JsonObject *body = baton_request_body (request);
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonRows) rows = NULL;
  g_autoptr(GTask) task = NULL;
  g_autofree char *key = NULL;
  const char *email = NULL;
  const char *password = NULL;
  Login *login = NULL;
  gint64 until;

  if (body == NULL)
    return;
  if (!baton_json_read_string (body, "email", BATON_JSON_REQUIRED, &email, &error)
      || !baton_json_read_string (body, "password", BATON_JSON_REQUIRED, &password, &error))
    {
      baton_request_reply_error (request, error);
      return;
    }
  until = baton_workspace_throttled_until (request->workspace, email,
                                           baton_request_address (request));
  if (until > 0)
    {
      reply_throttled (request, until);
      return;
    }

  key = baton_workspace_email_key (email);
  rows = baton_store_query (store, &error,
                            "SELECT id, password_hash FROM agents WHERE email_key = ?", "s", key);
  if (rows == NULL)
    {
      baton_request_reply_error (request, error);
      return;
    }

  login = g_new0 (Login, 1);
  login->workspace = g_object_ref (request->workspace);
  login->msg = g_object_ref (request->msg);
  login->in_flight = request->in_flight;
  login->email = g_strdup (email);
  login->password = g_strdup (password);
  login->address = g_strdup (baton_request_address (request));
  if (baton_rows_count (rows) == 1)
    {
      login->agent_id = baton_rows_dup_text (rows, 0, 0);
      login->password_hash = baton_rows_dup_text (rows, 0, 1);
    }
  /* Argon2id takes a tenth of a second on purpose: keep it off the main loop. */
  decoy_hash ();
  (*login->in_flight)++;
  soup_server_message_pause (request->msg);
  task = g_task_new (NULL, NULL, login_verified_cb, login);
  g_task_set_source_tag (task, baton_api_login);
  g_task_set_task_data (task, login, NULL);
  g_task_run_in_thread (task, verify_in_thread);
}

void
baton_api_logout (BatonRequest *request)
{
  g_autoptr(GError) error = NULL;

  if (baton_store_exec (baton_workspace_get_store (request->workspace), &error,
                        "DELETE FROM tokens WHERE token_hash = ?", "s", request->token_hash) < 0)
    {
      baton_request_reply_error (request, error);
      return;
    }
  baton_request_reply_empty (request, 204);
}

void
baton_api_me (BatonRequest *request)
{
  baton_request_reply (request, 200, baton_agent_to_json (request->agent));
}

void
baton_api_set_availability (BatonRequest *request)
{
  BatonWorkspace *workspace = request->workspace;
  JsonObject *body = baton_request_body (request);
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonAgent) agent = NULL;
  const char *availability = NULL;

  if (body == NULL)
    return;
  if (!baton_json_read_string (body, "availability", BATON_JSON_REQUIRED, &availability, &error))
    {
      baton_request_reply_error (request, error);
      return;
    }
  if (baton_availability_from_string (availability) < 0)
    {
      baton_set_field_error (&error, "availability",
                             "availability must be online, away or offline");
      baton_request_reply_error (request, error);
      return;
    }
  if (!baton_workspace_begin (workspace, &error)
      || baton_store_exec (baton_workspace_get_store (workspace), &error,
                           "UPDATE agents SET availability = ?, updated_at = ? WHERE id = ?",
                           "sis", availability, baton_workspace_now (workspace),
                           request->agent->id) < 0
      || !baton_workspace_emit_agent (workspace, request->agent->id, &error)
      || !baton_workspace_commit (workspace, &error))
    {
      baton_workspace_rollback (workspace);
      baton_request_reply_error (request, error);
      return;
    }
  agent = baton_workspace_load_agent (workspace, request->agent->id, &error);
  if (agent == NULL)
    {
      baton_request_reply_error (request, error);
      return;
    }
  baton_request_reply (request, 200, baton_agent_to_json (agent));
}
