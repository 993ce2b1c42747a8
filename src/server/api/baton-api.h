/* baton-api.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-request.h"
#include "baton-routes.h"

G_BEGIN_DECLS

/* The handlers of PROTOCOL.md §3, one file per resource. */

void baton_api_login                 (BatonRequest *request);
void baton_api_logout                (BatonRequest *request);
void baton_api_me                    (BatonRequest *request);
void baton_api_set_availability      (BatonRequest *request);
void baton_api_list_sessions         (BatonRequest *request);
void baton_api_revoke_session        (BatonRequest *request);
/* 503 with Retry-After, when password work is refused for now (BATON_ERROR_UNAVAILABLE) */
void baton_api_reply_busy            (BatonRequest *request,
                                      const GError *error);

void baton_api_list_agents           (BatonRequest *request);
void baton_api_get_agent             (BatonRequest *request);
void baton_api_create_agent          (BatonRequest *request);
void baton_api_update_agent          (BatonRequest *request);
void baton_api_delete_agent          (BatonRequest *request);
void baton_api_reset_agent_password  (BatonRequest *request);

void baton_api_list_teams            (BatonRequest *request);
void baton_api_get_team              (BatonRequest *request);
void baton_api_create_team           (BatonRequest *request);
void baton_api_update_team           (BatonRequest *request);
void baton_api_delete_team           (BatonRequest *request);

void baton_api_list_contacts         (BatonRequest *request);
void baton_api_get_contact           (BatonRequest *request);
void baton_api_update_contact        (BatonRequest *request);
void baton_api_set_contact_owners    (BatonRequest *request);

void baton_api_list_conversations    (BatonRequest *request);
void baton_api_get_conversation      (BatonRequest *request);
void baton_api_list_messages         (BatonRequest *request);
void baton_api_post_message          (BatonRequest *request);
void baton_api_start_conversation    (BatonRequest *request);
void baton_api_assign                (BatonRequest *request);
void baton_api_claim                 (BatonRequest *request);
void baton_api_resolve               (BatonRequest *request);
void baton_api_reopen                (BatonRequest *request);
void baton_api_set_tags              (BatonRequest *request);
void baton_api_get_attachment        (BatonRequest *request);
void baton_api_upload_attachment     (BatonRequest *request);

void baton_api_get_settings          (BatonRequest *request);
void baton_api_update_settings       (BatonRequest *request);
void baton_api_list_channels         (BatonRequest *request);
void baton_api_create_channel        (BatonRequest *request);
void baton_api_update_channel        (BatonRequest *request);
void baton_api_delete_channel        (BatonRequest *request);
void baton_api_channel_templates     (BatonRequest *request);
void baton_api_channel_inbound       (BatonRequest *request);

void baton_api_list_flows            (BatonRequest *request);
void baton_api_get_flow              (BatonRequest *request);
void baton_api_create_flow           (BatonRequest *request);
void baton_api_update_flow           (BatonRequest *request);
void baton_api_delete_flow           (BatonRequest *request);

void baton_api_list_schedules        (BatonRequest *request);
void baton_api_get_schedule          (BatonRequest *request);
void baton_api_create_schedule       (BatonRequest *request);
void baton_api_update_schedule       (BatonRequest *request);
void baton_api_delete_schedule       (BatonRequest *request);

void baton_api_mark_read             (BatonRequest *request);
void baton_api_whatsapp_handshake    (BatonRequest *request);
void baton_api_whatsapp_webhook      (BatonRequest *request);


void baton_api_mark_seen             (BatonRequest *request);
void baton_api_list_seen             (BatonRequest *request);
void baton_api_list_replies          (BatonRequest *request);
void baton_api_get_reply             (BatonRequest *request);
void baton_api_create_reply          (BatonRequest *request);
void baton_api_update_reply          (BatonRequest *request);
void baton_api_delete_reply          (BatonRequest *request);
void baton_api_conversation_counts   (BatonRequest *request);

void baton_api_report_summary        (BatonRequest *request);
void baton_api_report_summary_csv    (BatonRequest *request);

void baton_api_test_flow             (BatonRequest *request);

void baton_api_healthz               (BatonRequest *request);
void baton_api_advance_clock         (BatonRequest *request);

/* the table of PROTOCOL.md §3 the server routes by */
const BatonRoute *baton_api_routes (guint *n_routes);

G_END_DECLS
