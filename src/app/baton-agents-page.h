/* baton-agents-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "baton-client.h"

G_BEGIN_DECLS

/* The managers' Preferences page of the workspace's agents: each with their email, role,
 * presence and load, kept current from the client's directory. Managers invite an agent
 * (the server chooses the password, shown once), change a role, reset a password and
 * remove an agent. */

#define BATON_TYPE_AGENTS_PAGE (baton_agents_page_get_type ())

G_DECLARE_FINAL_TYPE (BatonAgentsPage, baton_agents_page, BATON, AGENTS_PAGE, AdwPreferencesPage)

BatonAgentsPage *baton_agents_page_new        (void);
void             baton_agents_page_set_client (BatonAgentsPage *self,
                                               BatonClient     *client);

G_END_DECLS
