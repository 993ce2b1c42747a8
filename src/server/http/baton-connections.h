/* baton-connections.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define BATON_TYPE_CONNECTIONS (baton_connections_get_type ())

G_DECLARE_FINAL_TYPE (BatonConnections, baton_connections, BATON, CONNECTIONS, GObject)

typedef struct {
  /* open connections at most; 0 derives it from the descriptor limit */
  guint max_connections;
  /* seconds a connection may wait for a request, and a request may take to arrive */
  guint idle_timeout;
  guint request_timeout;
} BatonConnectionLimits;

#define BATON_CONNECTIONS_IDLE_TIMEOUT 60
#define BATON_CONNECTIONS_REQUEST_TIMEOUT 30

BatonConnections *baton_connections_new             (SoupServer                  *soup,
                                                     const BatonConnectionLimits *limits);
gboolean          baton_connections_listen          (BatonConnections            *self,
                                                     GSocket                     *socket,
                                                     GError                     **error);
GSocketAddress   *baton_connections_get_address     (BatonConnections            *self);
void              baton_connections_stop_accepting  (BatonConnections            *self);
guint             baton_connections_get_n           (BatonConnections            *self);
guint             baton_connections_get_max         (BatonConnections            *self);
void              baton_connections_write_metrics   (BatonConnections            *self,
                                                     GString                     *text);

G_END_DECLS
