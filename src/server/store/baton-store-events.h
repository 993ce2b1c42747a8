/* baton-store-events.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-event.h"
#include "baton-store.h"

G_BEGIN_DECLS

/* Events: the workspace's log, in sequence order */

/* the last sequence number written (0 for none); -1 when it failed */
gint64     baton_store_events_last_seq  (BatonStore    *store,
                                         GError       **error);
/* the oldest one kept (0 for none); -1 when it failed */
gint64     baton_store_events_first_seq (BatonStore    *store,
                                         GError       **error);
/* writes n events (texts: their data as JSON text) and sets their seqs, in order */
gboolean   baton_store_events_insert_many (BatonStore  *store,
                                           BatonEvent **events,
                                           const char **texts,
                                           guint        n,
                                           GError     **error);
/* the events after since for everyone or for agent_id, oldest first (BatonEvent) */
/* the events after since up to up_to, in order, that agent_id may see */
GPtrArray *baton_store_events_since     (BatonStore    *store,
                                         gint64         since,
                                         gint64         up_to,
                                         const char    *agent_id,
                                         guint          limit,
                                         GError       **error);
/* Takes rows of (seq, type, at, agent_id, data): their events (NULL for NULL rows). */
GPtrArray *baton_store_events_from_rows (BatonRows     *rows);
/* every event after since up to up_to, in order */
GPtrArray *baton_store_events_after     (BatonStore    *store,
                                         gint64         since,
                                         gint64         up_to,
                                         guint          limit,
                                         GError       **error);
/* deletes the events older than before_at up to up_to_seq */
gboolean   baton_store_events_prune     (BatonStore    *store,
                                         gint64         before_at,
                                         gint64         up_to_seq,
                                         GError       **error);

G_END_DECLS
