/* baton-rules.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-rules"

#include "config.h"

#include "baton-rules.h"

gboolean
baton_rules_may_reassign (const BatonAgent        *agent,
                          const BatonConversation *conversation)
{
  GStrv holders = NULL;

  g_return_val_if_fail (agent != NULL, FALSE);
  g_return_val_if_fail (conversation != NULL, FALSE);

  holders = conversation->assignee_ids;
  if (holders == NULL || holders[0] == NULL || agent->role == BATON_ROLE_MANAGER)
    return TRUE;
  return agent->id != NULL && g_strv_contains ((const char * const *) holders, agent->id);
}
