/* baton-proxies.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Reverse proxies trusted to say who their client is (X-Forwarded-For). */

/* "127.0.0.1, ::1, 10.0.0.0/8" into GInetAddressMasks; NULL or "" gives an empty list. */
GPtrArray *baton_proxies_parse          (const char  *list,
                                         GError     **error);
/* The client's address: the peer's own, unless the peer is trusted; then, reading
 * X-Forwarded-For from the right, the first address that is not a trusted proxy. */
char      *baton_proxies_client_address (GPtrArray   *trusted,
                                         const char  *peer,
                                         const char  *forwarded_for);

G_END_DECLS
