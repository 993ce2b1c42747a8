/* baton-api-auth.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-api-auth"

#include "config.h"

#include "baton-api.h"
#include "baton-auth.h"
#include "baton-json.h"

#define USER_AGENT_MAX_CHARS 256

/* What the sessions list shows of the client: valid UTF-8, not too long; NULL if none. */
static char *
clean_user_agent (const char *header)
{
  g_autofree char *valid = header && *header ? g_utf8_make_valid (header, -1) : NULL;

  return valid ? g_utf8_substring (valid, 0, MIN (g_utf8_strlen (valid, -1),
                                                  USER_AGENT_MAX_CHARS))
               : NULL;
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
  soup_message_headers_replace (baton_request_response_headers (request), "Retry-After", retry);
}

/* 503 with Retry-After: too many password checks already wait. */
void
baton_api_reply_busy (BatonRequest *request,
                      const GError *error)
{
  g_autofree char *retry = g_strdup_printf ("%u", baton_auth_retry_after ());

  baton_request_reply_error (request, error);
  soup_message_headers_replace (baton_request_response_headers (request), "Retry-After", retry);
}

static void
signed_in_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  BatonDeferred *deferred = user_data;
  BatonRequest *request = baton_deferred_request (deferred);
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonAgent) agent = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *token = NULL;
  gint64 until = 0;

  token = baton_workspace_sign_in_finish (BATON_WORKSPACE (source), result, &agent, &until,
                                          &error);
  if (g_error_matches (error, BATON_ERROR, BATON_ERROR_RATE_LIMITED))
    {
      reply_throttled (request, until);
    }
  else if (g_error_matches (error, BATON_ERROR, BATON_ERROR_UNAVAILABLE))
    {
      baton_api_reply_busy (request, error);
    }
  else if (token == NULL)
    {
      baton_request_reply_error (request, error);
    }
  else
    {
      builder = json_builder_new_immutable ();
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "token");
      json_builder_add_string_value (builder, token);
      json_builder_set_member_name (builder, "agent");
      json_builder_add_value (builder, baton_agent_to_json (agent));
      json_builder_end_object (builder);
      baton_request_reply (request, 200, json_builder_get_root (builder));
    }
  baton_deferred_finish (deferred);
}

void
baton_api_login (BatonRequest *request)
{
  JsonObject *body = baton_request_body (request);
  g_autoptr(GError) error = NULL;
  g_autofree char *user_agent = NULL;
  const char *email = NULL;
  const char *password = NULL;

  if (body == NULL)
    return;
  if (!baton_json_read_string (body, "email", BATON_JSON_REQUIRED, &email, &error)
      || !baton_json_read_string (body, "password", BATON_JSON_REQUIRED, &password, &error))
    {
      baton_request_reply_error (request, error);
      return;
    }
  user_agent = clean_user_agent (baton_request_header (request, "User-Agent"));
  /* Argon2id takes a tenth of a second and 64 MiB on purpose: off the main loop, a few at
   * a time. */
  baton_workspace_sign_in_async (request->workspace, email, password,
                                 baton_request_address (request), user_agent, signed_in_cb,
                                 baton_request_defer (request));
}

void
baton_api_logout (BatonRequest *request)
{
  g_autoptr(GError) error = NULL;

  if (!baton_workspace_close_session (request->workspace, request->agent->id, NULL,
                                      request->token_hash, &error))
    {
      baton_request_reply_error (request, error);
      return;
    }
  baton_request_reply_empty (request, 204);
}

void
baton_api_list_sessions (BatonRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sessions = baton_workspace_list_sessions (request->workspace,
                                                                 request->agent->id,
                                                                 request->token_hash, &error);
  GPtrArray *items = NULL;

  if (sessions == NULL)
    {
      baton_request_reply_error (request, error);
      return;
    }
  items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  for (guint i = 0; i < sessions->len; i++)
    g_ptr_array_add (items, baton_session_to_json (sessions->pdata[i]));
  baton_request_reply_list (request, items, NULL);
}

void
baton_api_revoke_session (BatonRequest *request)
{
  g_autoptr(GError) error = NULL;

  if (!baton_workspace_close_session (request->workspace, request->agent->id,
                                      baton_request_param (request, 0), NULL, &error))
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
  BatonAgentPatch patch = { 0 };

  if (body == NULL)
    return;
  if (!baton_json_read_string (body, "availability", BATON_JSON_REQUIRED, &patch.availability,
                               &error))
    {
      baton_request_reply_error (request, error);
      return;
    }
  if (baton_availability_from_string (patch.availability) < 0)
    {
      baton_set_field_error (&error, "availability",
                             "availability must be online, away or offline");
      baton_request_reply_error (request, error);
      return;
    }
  agent = baton_workspace_update_agent (workspace, request->agent->id, &patch, &error);
  if (agent == NULL)
    {
      baton_request_reply_error (request, error);
      return;
    }
  baton_request_reply (request, 200, baton_agent_to_json (agent));
}
