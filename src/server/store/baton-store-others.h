/* baton-store-others.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-store.h"

G_BEGIN_DECLS

/* Questions the conversations and the WhatsApp channel ask of the channels, agents and
 * teams, kept together until they join those aggregates' own files. */

/* the channel's kind ("whatsapp", ...), or NULL without error: no such channel */
char     *baton_store_channels_get_kind          (BatonStore   *store,
                                                  const char   *id,
                                                  GError      **error);
/* the member a round-robin team picked last */
gboolean  baton_store_teams_set_cursor           (BatonStore   *store,
                                                  const char   *id,
                                                  const char   *agent_id,
                                                  GError      **error);

G_END_DECLS
