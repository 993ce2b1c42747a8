/* baton-api-routes.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-api.h"

/* The table of PROTOCOL.md §3, in the order it is searched. */
static const BatonRoute routes[] = {
  { "POST", "/api/v1/auth/login", BATON_ACCESS_NONE, baton_api_login },
  { "POST", "/api/v1/auth/logout", BATON_ACCESS_AGENT, baton_api_logout },
  { "GET", "/api/v1/me", BATON_ACCESS_AGENT, baton_api_me },
  { "PUT", "/api/v1/me/availability", BATON_ACCESS_AGENT, baton_api_set_availability },
  { "GET", "/api/v1/me/sessions", BATON_ACCESS_AGENT, baton_api_list_sessions },
  { "DELETE", "/api/v1/me/sessions/*", BATON_ACCESS_AGENT, baton_api_revoke_session },

  { "GET", "/api/v1/agents", BATON_ACCESS_AGENT, baton_api_list_agents },
  { "POST", "/api/v1/agents", BATON_ACCESS_MANAGER, baton_api_create_agent },
  { "GET", "/api/v1/agents/*", BATON_ACCESS_AGENT, baton_api_get_agent },
  { "PATCH", "/api/v1/agents/*", BATON_ACCESS_MANAGER, baton_api_update_agent },
  { "DELETE", "/api/v1/agents/*", BATON_ACCESS_MANAGER, baton_api_delete_agent },
  { "POST", "/api/v1/agents/*/password", BATON_ACCESS_MANAGER, baton_api_reset_agent_password },

  { "GET", "/api/v1/teams", BATON_ACCESS_AGENT, baton_api_list_teams },
  { "POST", "/api/v1/teams", BATON_ACCESS_MANAGER, baton_api_create_team },
  { "GET", "/api/v1/teams/*", BATON_ACCESS_AGENT, baton_api_get_team },
  { "PATCH", "/api/v1/teams/*", BATON_ACCESS_MANAGER, baton_api_update_team },
  { "DELETE", "/api/v1/teams/*", BATON_ACCESS_MANAGER, baton_api_delete_team },

  { "GET", "/api/v1/contacts", BATON_ACCESS_AGENT, baton_api_list_contacts },
  { "GET", "/api/v1/contacts/*", BATON_ACCESS_AGENT, baton_api_get_contact },
  { "PATCH", "/api/v1/contacts/*", BATON_ACCESS_AGENT, baton_api_update_contact },
  { "PUT", "/api/v1/contacts/*/owners", BATON_ACCESS_AGENT, baton_api_set_contact_owners },

  { "GET", "/api/v1/conversations", BATON_ACCESS_AGENT, baton_api_list_conversations },
  { "POST", "/api/v1/conversations", BATON_ACCESS_AGENT, baton_api_start_conversation },
  /* before /conversations/{id}, which would take "counts" for an id */
  { "GET", "/api/v1/conversations/counts", BATON_ACCESS_AGENT, baton_api_conversation_counts },
  { "GET", "/api/v1/conversations/*", BATON_ACCESS_AGENT, baton_api_get_conversation },
  { "GET", "/api/v1/conversations/*/messages", BATON_ACCESS_AGENT, baton_api_list_messages },
  { "POST", "/api/v1/conversations/*/messages", BATON_ACCESS_AGENT, baton_api_post_message },
  { "PUT", "/api/v1/conversations/*/assignment", BATON_ACCESS_AGENT, baton_api_assign },
  { "POST", "/api/v1/conversations/*/claim", BATON_ACCESS_AGENT, baton_api_claim },
  { "POST", "/api/v1/conversations/*/resolve", BATON_ACCESS_AGENT, baton_api_resolve },
  { "POST", "/api/v1/conversations/*/reopen", BATON_ACCESS_AGENT, baton_api_reopen },
  { "PUT", "/api/v1/conversations/*/tags", BATON_ACCESS_AGENT, baton_api_set_tags },
  { "GET", "/api/v1/attachments/*", BATON_ACCESS_AGENT, baton_api_get_attachment },
  { "POST", "/api/v1/attachments", BATON_ACCESS_AGENT, baton_api_upload_attachment },

  { "GET", "/api/v1/settings", BATON_ACCESS_AGENT, baton_api_get_settings },
  { "PATCH", "/api/v1/settings", BATON_ACCESS_MANAGER, baton_api_update_settings },
  { "GET", "/api/v1/channels", BATON_ACCESS_AGENT, baton_api_list_channels },
  { "POST", "/api/v1/channels", BATON_ACCESS_MANAGER, baton_api_create_channel },
  { "PATCH", "/api/v1/channels/*", BATON_ACCESS_MANAGER, baton_api_update_channel },
  { "DELETE", "/api/v1/channels/*", BATON_ACCESS_MANAGER, baton_api_delete_channel },
  { "GET", "/api/v1/channels/*/templates", BATON_ACCESS_AGENT, baton_api_channel_templates },
  { "POST", "/api/v1/channels/*/inbound", BATON_ACCESS_NONE, baton_api_channel_inbound },

  { "GET", "/api/v1/flows", BATON_ACCESS_AGENT, baton_api_list_flows },
  { "POST", "/api/v1/flows", BATON_ACCESS_MANAGER, baton_api_create_flow },
  /* before /flows/{id}: a dry run, it changes nothing */
  { "POST", "/api/v1/flows/test", BATON_ACCESS_MANAGER, baton_api_test_flow },
  { "GET", "/api/v1/flows/*", BATON_ACCESS_AGENT, baton_api_get_flow },
  { "PATCH", "/api/v1/flows/*", BATON_ACCESS_MANAGER, baton_api_update_flow },
  { "DELETE", "/api/v1/flows/*", BATON_ACCESS_MANAGER, baton_api_delete_flow },
  { "GET", "/api/v1/schedules", BATON_ACCESS_AGENT, baton_api_list_schedules },
  { "POST", "/api/v1/schedules", BATON_ACCESS_MANAGER, baton_api_create_schedule },
  { "GET", "/api/v1/schedules/*", BATON_ACCESS_AGENT, baton_api_get_schedule },
  { "PATCH", "/api/v1/schedules/*", BATON_ACCESS_MANAGER, baton_api_update_schedule },
  { "DELETE", "/api/v1/schedules/*", BATON_ACCESS_MANAGER, baton_api_delete_schedule },

  { "POST", "/api/v1/conversations/*/read", BATON_ACCESS_AGENT, baton_api_mark_read },
  { "POST", "/api/v1/conversations/*/seen", BATON_ACCESS_AGENT, baton_api_mark_seen },
  { "GET", "/api/v1/me/seen", BATON_ACCESS_AGENT, baton_api_list_seen },
  { "GET", "/api/v1/replies", BATON_ACCESS_AGENT, baton_api_list_replies },
  { "POST", "/api/v1/replies", BATON_ACCESS_AGENT, baton_api_create_reply },
  { "GET", "/api/v1/replies/*", BATON_ACCESS_AGENT, baton_api_get_reply },
  { "PATCH", "/api/v1/replies/*", BATON_ACCESS_AGENT, baton_api_update_reply },
  { "DELETE", "/api/v1/replies/*", BATON_ACCESS_AGENT, baton_api_delete_reply },
  { "GET", "/api/v1/reports/summary", BATON_ACCESS_AGENT, baton_api_report_summary },
  { "GET", "/api/v1/reports/summary.csv", BATON_ACCESS_AGENT, baton_api_report_summary_csv },
  { "GET", "/webhooks/whatsapp", BATON_ACCESS_NONE, baton_api_whatsapp_handshake },
  { "POST", "/webhooks/whatsapp", BATON_ACCESS_NONE, baton_api_whatsapp_webhook },

  { "GET", "/healthz", BATON_ACCESS_NONE, baton_api_healthz },
  { "POST", "/api/v1/test/clock/advance", BATON_ACCESS_MANAGER, baton_api_advance_clock, TRUE },
};

const BatonRoute *
baton_api_routes (guint *n_routes)
{
  *n_routes = G_N_ELEMENTS (routes);
  return routes;
}
