/* baton-canned-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "baton-client.h"

G_BEGIN_DECLS

/* The Preferences page of canned replies: the agent's own, which they add, edit and delete,
 * and the workspace's, which managers write and agents only read. Kept current from the
 * client's directory. */

#define BATON_TYPE_CANNED_PAGE (baton_canned_page_get_type ())

G_DECLARE_FINAL_TYPE (BatonCannedPage, baton_canned_page, BATON, CANNED_PAGE, AdwPreferencesPage)

void baton_canned_page_set_client (BatonCannedPage *self,
                                   BatonClient     *client);

G_END_DECLS
