/* baton-store-nodes.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-store.h"

G_BEGIN_DECLS

/* The batond nodes sharing a database, their leases, and the agents each holds online (a stream open, or
 * closed less than the grace period ago): the cluster's presence (SCALE-OUT.md). Only a
 * database several nodes share has them (PostgreSQL). */

/* node_id is alive at now: 0, or 1 when it was not known (new, or forgotten as dead), or
 * -1 when it failed */
int        baton_store_nodes_beat         (BatonStore  *store,
                                           const char  *node_id,
                                           gint64       now,
                                           GError     **error);
/* whether node_id holds agent_id online */
gboolean   baton_store_nodes_hold         (BatonStore  *store,
                                           const char  *node_id,
                                           const char  *agent_id,
                                           gboolean     held,
                                           GError     **error);
/* the agents other nodes hold online */
GStrv      baton_store_nodes_held_elsewhere (BatonStore  *store,
                                             const char  *node_id,
                                             GError     **error);
/* Forgets the nodes last alive before before (and node_id, starting again, when not NULL),
 * with what they held: the agents they held, each once. */
GStrv      baton_store_nodes_forget       (BatonStore  *store,
                                           gint64       before,
                                           const char  *node_id,
                                           GError     **error);
/* whether a node was last alive before before: 1, 0, or -1 when it failed */
int        baton_store_nodes_any_silent   (BatonStore  *store,
                                           gint64       before,
                                           GError     **error);

/* A lease: work only one node does at a time (processing stored webhooks in order), taken
 * by node_id until until unless another node's runs past now; taking it again renews it. 1
 * when node_id holds it, 0 when another node does, -1 when it failed. */
int        baton_store_leases_take        (BatonStore  *store,
                                           const char  *name,
                                           const char  *node_id,
                                           gint64       now,
                                           gint64       until,
                                           GError     **error);

/* Sessions ended (their tokens deleted) after the nth: their hashes (strings), *last set to
 * the last n; FALSE when it failed. */
GPtrArray *baton_store_nodes_revoked_after (BatonStore  *store,
                                            gint64      *last,
                                            GError     **error);
/* forgets the sessions ended before before */
gboolean   baton_store_nodes_prune_revoked (BatonStore  *store,
                                            gint64       before,
                                            GError     **error);

/* The channel's WhatsApp number sends nothing before until (WhatsApp's error 130429), on
 * any node; a later hold wins. */
gboolean   baton_store_nodes_hold_number  (BatonStore  *store,
                                           const char  *channel_id,
                                           gint64       until,
                                           GError     **error);
/* the numbers held past now: rows of (channel_id, until) */
BatonRows *baton_store_nodes_number_holds (BatonStore  *store,
                                           gint64       now,
                                           GError     **error);

G_END_DECLS
