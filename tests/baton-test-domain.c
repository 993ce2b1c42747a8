/* baton-test-domain.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-test-domain.h"

void
baton_test_domain_setup (BatonTestDomain *domain,
                         gconstpointer    data)
{
  baton_test_store_setup (&domain->store, data);
  domain->clock = baton_clock_new_test (1767225600000);
  domain->workspace = baton_workspace_new (domain->store.store, domain->clock);
}

void
baton_test_domain_teardown (BatonTestDomain *domain,
                            gconstpointer    data)
{
  g_clear_object (&domain->workspace);
  g_clear_object (&domain->clock);
  baton_test_store_teardown (&domain->store, data);
}

char *
baton_test_domain_new_channel (BatonTestDomain *domain,
                               const char      *team_id)
{
  BatonChannelPatch patch = { .kind = "api", .name = "Web", .set_default_team = team_id != NULL,
                              .default_team_id = team_id };
  g_autoptr(JsonNode) channel = NULL;
  g_autoptr(GError) error = NULL;

  channel = baton_workspace_create_channel (domain->workspace, &patch, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (json_object_get_string_member (json_node_get_object (channel), "id"));
}

BatonConversation *
baton_test_domain_customer_writes (BatonTestDomain *domain,
                                   const char      *channel_id)
{
  g_autofree char *phone = g_strdup_printf ("+3161000%04u", ++domain->n_phones);
  BatonInbound inbound = { .from = phone, .name = "Customer", .body = "Hello",
                           .sent_at = baton_clock_now_ms (domain->clock),
                           .opens_window = TRUE };
  g_autofree char *message_id = NULL;
  g_autofree char *conversation_id = NULL;
  g_autoptr(GError) error = NULL;
  gboolean duplicate = TRUE;
  BatonConversation *conversation = NULL;

  g_assert_true (baton_workspace_receive (domain->workspace, channel_id, &inbound, &message_id,
                                          &conversation_id, &duplicate, &error));
  g_assert_no_error (error);
  g_assert_false (duplicate);
  conversation = baton_workspace_load_conversation (domain->workspace, conversation_id, &error);
  g_assert_no_error (error);
  return conversation;
}
