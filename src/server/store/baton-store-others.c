/* baton-store-others.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-store-others"

#include "config.h"

#include "baton-store-others.h"

char *
baton_store_channels_get_kind (BatonStore  *store,
                               const char  *id,
                               GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT kind FROM channels WHERE id = ?", "s",
                                                 id);

  if (rows == NULL || baton_rows_count (rows) == 0)
    return NULL;
  return baton_rows_dup_text (rows, 0, 0);
}

gboolean
baton_store_teams_set_cursor (BatonStore  *store,
                              const char  *id,
                              const char  *agent_id,
                              GError     **error)
{
  return baton_store_exec (store, error, "UPDATE teams SET rr_cursor = ? WHERE id = ?", "ss",
                           agent_id, id) >= 0;
}
