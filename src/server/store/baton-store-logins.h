/* baton-store-logins.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-store.h"

G_BEGIN_DECLS

/* Failed sign-ins by throttling key, kept where every node sharing the database counts
 * them (PostgreSQL only; one node keeps them in memory). */

gboolean baton_store_logins_add_failure (BatonStore  *store,
                                         const char  *key,
                                         gint64       at,
                                         GError     **error);
/* The time of the nth most recent failure of key after since (nth from 1): 0 when there are
 * fewer, -1 when it failed. */
gint64   baton_store_logins_nth_recent  (BatonStore  *store,
                                         const char  *key,
                                         gint64       since,
                                         guint        nth,
                                         GError     **error);
/* forgets the failures at or before before */
gboolean baton_store_logins_prune       (BatonStore  *store,
                                         gint64       before,
                                         GError     **error);

G_END_DECLS
