/* baton-api-workspace.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-api-workspace"

#include "config.h"

#include "baton-api.h"
#include "baton-whatsapp.h"
#include "baton-auth.h"
#include "baton-id.h"
#include "baton-json.h"
#include "baton-time.h"
#include "baton-whatsapp-channel.h"

#define MAX_IDENTIFIER 200

static void
reply_settings (BatonRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_auto(BatonWorkspaceSettings) settings = { 0 };

  if (!baton_workspace_load_settings (request->workspace, &settings, &error))
    baton_request_reply_error (request, error);
  else
    baton_request_reply (request, 200, baton_workspace_settings_to_json (&settings));
}

void
baton_api_get_settings (BatonRequest *request)
{
  reply_settings (request);
}

void
baton_api_update_settings (BatonRequest *request)
{
  static const char *flags[] = {
    "first_responder_becomes_owner",
    "first_reply_takes_assignment",
    "unassign_on_resolve",
  };
  JsonObject *body = baton_request_body (request);
  g_autoptr(GError) error = NULL;
  gboolean values[G_N_ELEMENTS (flags)] = { FALSE };
  const char *changes[2 * G_N_ELEMENTS (flags) + 3] = { NULL };
  const char *timezone = NULL;
  JsonNode *settings = NULL;
  guint n = 0;

  if (body == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    if (!baton_json_read_bool (body, flags[i], 0, &values[i], &error))
      {
        baton_request_reply_error (request, error);
        return;
      }
  if (!baton_json_read_string (body, "timezone", 0, &timezone, &error))
    {
      baton_request_reply_error (request, error);
      return;
    }
  if (timezone)
    {
      g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (timezone);

      if (zone == NULL || strlen (timezone) > 64)
        {
          baton_set_field_error (&error, "timezone",
                                 "timezone must be an IANA time zone such as Europe/Paris");
          baton_request_reply_error (request, error);
          return;
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    if (baton_json_has (body, flags[i]))
      {
        changes[n++] = flags[i];
        changes[n++] = values[i] ? "true" : "false";
      }
  if (timezone)
    {
      changes[n++] = "timezone";
      changes[n++] = timezone;
    }
  settings = baton_workspace_update_settings (request->workspace, changes, &error);
  if (settings == NULL)
    baton_request_reply_error (request, error);
  else
    baton_request_reply (request, 200, settings);
}

void
baton_api_list_channels (BatonRequest *request)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *channels = baton_workspace_list_channels (request->workspace, &error);

  if (channels == NULL)
    baton_request_reply_error (request, error);
  else
    baton_request_reply_list (request, channels, NULL);
}

/* default_team_id and default_user_id: null or an existing team / agent. */
static gboolean
read_channel_defaults (BatonWorkspace     *workspace,
                       JsonObject         *body,
                       BatonChannelPatch  *patch,
                       GError            **error)
{
  if (!baton_json_read_string (body, "default_team_id", BATON_JSON_NULLABLE,
                               &patch->default_team_id, error)
      || !baton_json_read_string (body, "default_user_id", BATON_JSON_NULLABLE,
                                  &patch->default_user_id, error))
    return FALSE;
  patch->set_default_team = baton_json_has (body, "default_team_id");
  patch->set_default_user = baton_json_has (body, "default_user_id");
  if (patch->default_team_id)
    {
      g_autoptr(BatonTeam) team = baton_workspace_load_team (workspace, patch->default_team_id,
                                                             NULL);

      if (team == NULL)
        {
          baton_set_field_error (error, "default_team_id", "No team with id %s",
                                 patch->default_team_id);
          return FALSE;
        }
    }
  if (patch->default_user_id && !baton_workspace_agent_exists (workspace,
                                                               patch->default_user_id))
    {
      baton_set_field_error (error, "default_user_id", "No agent with id %s",
                             patch->default_user_id);
      return FALSE;
    }
  return TRUE;
}

void
baton_api_create_channel (BatonRequest *request)
{
  BatonWorkspace *workspace = request->workspace;
  JsonObject *body = baton_request_body (request);
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonWhatsappChannel) whatsapp = NULL;
  BatonChannelPatch patch = { 0 };
  JsonNode *channel = NULL;

  if (body == NULL)
    return;
  if (!baton_json_read_string (body, "kind", BATON_JSON_REQUIRED, &patch.kind, &error)
      || !baton_json_read_string (body, "name", BATON_JSON_REQUIRED, &patch.name, &error)
      || !baton_validate_name ("name", patch.name, &error)
      || !read_channel_defaults (workspace, body, &patch, &error))
    {
      baton_request_reply_error (request, error);
      return;
    }
  if (baton_channel_kind_from_string (patch.kind) < 0)
    {
      baton_set_field_error (&error, "kind", "kind must be api or whatsapp");
      baton_request_reply_error (request, error);
      return;
    }
  if (g_str_equal (patch.kind, "whatsapp"))
    {
      whatsapp = g_new0 (BatonWhatsappChannel, 1);
      if (!baton_whatsapp_channel_read (whatsapp, body, TRUE, &error))
        {
          baton_request_reply_error (request, error);
          return;
        }
    }
  channel = baton_workspace_create_channel (workspace, &patch, whatsapp, &error);
  if (channel == NULL)
    baton_request_reply_error (request, error);
  else
    baton_request_reply (request, 201, channel);
}

void
baton_api_update_channel (BatonRequest *request)
{
  BatonWorkspace *workspace = request->workspace;
  const char *id = baton_request_param (request, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) existing = baton_workspace_load_channel (workspace, id, &error);
  g_autoptr(BatonWhatsappChannel) whatsapp = NULL;
  BatonChannelPatch patch = { 0 };
  JsonObject *body = NULL;
  JsonNode *channel = NULL;

  if (existing == NULL)
    {
      baton_request_reply_error (request, error);
      return;
    }
  body = baton_request_body (request);
  if (body == NULL)
    return;
  if (!baton_json_read_string (body, "name", 0, &patch.name, &error)
      || (patch.name && !baton_validate_name ("name", patch.name, &error))
      || !read_channel_defaults (workspace, body, &patch, &error))
    {
      baton_request_reply_error (request, error);
      return;
    }
  if (g_strcmp0 (baton_json_get_string (json_node_get_object (existing), "kind"),
                 "whatsapp") == 0)
    {
      whatsapp = baton_workspace_load_whatsapp_channel (workspace, id, &error);
      if (whatsapp == NULL || !baton_whatsapp_channel_read (whatsapp, body, FALSE, &error))
        {
          baton_request_reply_error (request, error);
          return;
        }
    }
  channel = baton_workspace_update_channel (workspace, id, &patch, whatsapp, &error);
  if (channel == NULL)
    baton_request_reply_error (request, error);
  else
    baton_request_reply (request, 200, channel);
}

void
baton_api_delete_channel (BatonRequest *request)
{
  g_autoptr(GError) error = NULL;

  if (!baton_workspace_delete_channel (request->workspace, baton_request_param (request, 0),
                                       &error))
    baton_request_reply_error (request, error);
  else
    baton_request_reply_empty (request, 204);
}

static gboolean
read_identifier (JsonObject   *body,
                 const char   *member,
                 BatonJsonFlags flags,
                 const char  **value,
                 GError      **error)
{
  if (!baton_json_read_string (body, member, flags, value, error))
    return FALSE;
  if (*value && (g_utf8_strlen (*value, -1) < 1 || g_utf8_strlen (*value, -1) > MAX_IDENTIFIER))
    {
      baton_set_field_error (error, member, "%s must be 1 to %d characters", member,
                             MAX_IDENTIFIER);
      return FALSE;
    }
  return TRUE;
}

void
baton_api_channel_inbound (BatonRequest *request)
{
  const char *id = baton_request_param (request, 0);
  const char *secret = baton_request_header (request, "X-Baton-Channel-Secret");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *message_id = NULL;
  g_autofree char *conversation_id = NULL;
  BatonInbound inbound = { 0 };
  const char *sent_at = NULL;
  JsonObject *body = NULL;
  gboolean duplicate = FALSE;

  if (!baton_workspace_check_inbound_secret (request->workspace, id, secret, &error))
    {
      baton_request_reply_error (request, error);
      return;
    }
  body = baton_request_body (request);
  if (body == NULL)
    return;
  if (!read_identifier (body, "from", BATON_JSON_REQUIRED, &inbound.from, &error)
      || !baton_json_read_string (body, "name", BATON_JSON_NULLABLE, &inbound.name, &error)
      || (inbound.name && !baton_validate_name ("name", inbound.name, &error))
      || !baton_json_read_string (body, "body", BATON_JSON_REQUIRED, &inbound.body, &error)
      || !read_identifier (body, "external_id", BATON_JSON_NULLABLE, &inbound.external_id,
                           &error)
      || !baton_json_read_string (body, "sent_at", BATON_JSON_NULLABLE, &sent_at, &error))
    {
      baton_request_reply_error (request, error);
      return;
    }
  if (*inbound.body == '\0')
    {
      baton_set_field_error (&error, "body", "body must not be empty");
      baton_request_reply_error (request, error);
      return;
    }
  if (sent_at && !baton_time_parse (sent_at, &inbound.sent_at))
    {
      baton_set_field_error (&error, "sent_at", "sent_at must be an RFC 3339 time");
      baton_request_reply_error (request, error);
      return;
    }
  if (!baton_workspace_receive (request->workspace, id, &inbound, &message_id, &conversation_id,
                                &duplicate, &error))
    {
      baton_request_reply_error (request, error);
      return;
    }
  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "message_id");
  json_builder_add_string_value (builder, message_id);
  json_builder_set_member_name (builder, "conversation_id");
  json_builder_add_string_value (builder, conversation_id);
  json_builder_end_object (builder);
  baton_request_reply (request, duplicate ? 200 : 202, json_builder_get_root (builder));
}

void
baton_api_healthz (BatonRequest *request)
{
  gboolean healthy = baton_workspace_healthy (request->workspace);
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, healthy ? "ok" : "unavailable");
  json_builder_set_member_name (builder, "node");
  json_builder_add_string_value (builder, baton_workspace_get_node_id (request->workspace));
  json_builder_set_member_name (builder, "database");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "backend");
  json_builder_add_string_value (builder, baton_workspace_get_backend (request->workspace));
  json_builder_set_member_name (builder, "reachable");
  json_builder_add_boolean_value (builder, healthy);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  baton_request_reply (request, healthy ? 200 : 503, json_builder_get_root (builder));
}

void
baton_api_advance_clock (BatonRequest *request)
{
  BatonClock *clock = baton_workspace_get_clock (request->workspace);
  JsonObject *body = baton_request_body (request);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  gint64 seconds = 0;

  if (body == NULL)
    return;
  if (!baton_json_read_int (body, "seconds", BATON_JSON_REQUIRED, &seconds, NULL, &error))
    {
      baton_request_reply_error (request, error);
      return;
    }
  if (seconds < 0 || seconds > (gint64) 366 * 24 * 3600 * 10)
    {
      baton_set_field_error (&error, "seconds", "seconds must be from 0 to ten years");
      baton_request_reply_error (request, error);
      return;
    }
  /* Runs every timer that became due, each committing its own events, before answering. */
  baton_clock_advance (clock, seconds);
  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  baton_json_add_time (builder, "now", baton_clock_now_ms (clock));
  json_builder_end_object (builder);
  baton_request_reply (request, 200, json_builder_get_root (builder));
}
