/* baton-store-tokens.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-store.h"

G_BEGIN_DECLS

/* Sessions: a signed-in agent's bearer token, kept only as its SHA-256. */
typedef struct {
  char *token_hash;
  char *agent_id;
  /* what the agent sees and revokes */
  char *id;
  gint64 created_at;
  gint64 last_used_at;
  char *address;
  char *user_agent;
} BatonTokenRow;

void           baton_token_row_free              (BatonTokenRow  *row);

gboolean       baton_store_tokens_insert         (BatonStore           *store,
                                                  const BatonTokenRow  *row,
                                                  GError              **error);
/* NULL without an error when no token has this hash */
BatonTokenRow *baton_store_tokens_find           (BatonStore           *store,
                                                  const char           *token_hash,
                                                  GError              **error);
gboolean       baton_store_tokens_touch          (BatonStore           *store,
                                                  const char           *token_hash,
                                                  gint64                used_at,
                                                  GError              **error);
/* the agent's tokens used after used_after, newest first (BatonTokenRow) */
GPtrArray     *baton_store_tokens_list_agent     (BatonStore           *store,
                                                  const char           *agent_id,
                                                  gint64                used_after,
                                                  GError              **error);

/* The deletions return the hashes of the tokens deleted (an empty vector when none), or
 * NULL when the statement failed. */
GStrv          baton_store_tokens_delete_idle    (BatonStore           *store,
                                                  gint64                used_until,
                                                  GError              **error);
/* the agent's token with this id or this hash (either may be NULL) */
GStrv          baton_store_tokens_delete_one     (BatonStore           *store,
                                                  const char           *agent_id,
                                                  const char           *id,
                                                  const char           *token_hash,
                                                  GError              **error);
/* every token of the agent but keep_hash (may be NULL) */
GStrv          baton_store_tokens_delete_agent   (BatonStore           *store,
                                                  const char           *agent_id,
                                                  const char           *keep_hash,
                                                  GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonTokenRow, baton_token_row_free)

G_END_DECLS
