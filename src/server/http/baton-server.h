/* baton-server.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "baton-connections.h"
#include "baton-stream.h"
#include "baton-routes.h"
#include "baton-workspace.h"

G_BEGIN_DECLS

#define BATON_TYPE_SERVER (baton_server_get_type ())

G_DECLARE_FINAL_TYPE (BatonServer, baton_server, BATON, SERVER, GObject)

/* writes lines of the Prometheus text format to text */
typedef void (*BatonMetricsWriter) (gpointer  data,
                                    GString  *text);

/* routes: the table requests are routed by, which must outlive the server */
BatonServer    *baton_server_new            (BatonWorkspace  *workspace,
                                             BatonWhatsapp   *whatsapp,
                                             const BatonRoute *routes,
                                             guint            n_routes,
                                             gboolean         test_clock);
/* adds what write writes to /metrics; data must outlive the server */
void            baton_server_add_metrics    (BatonServer     *self,
                                             BatonMetricsWriter write,
                                             gpointer         data);
gboolean        baton_server_listen         (BatonServer     *self,
                                             const char      *host,
                                             guint            port,
                                             const BatonConnectionLimits *limits,
                                             GError         **error);
char           *baton_server_get_url        (BatonServer     *self);
void            baton_server_shutdown       (BatonServer     *self);
void            baton_server_set_trusted_proxies (BatonServer *self,
                                             GPtrArray       *trusted);
guint           baton_server_get_n_in_flight (BatonServer    *self);
BatonWorkspace *baton_server_get_workspace  (BatonServer     *self);
BatonStream    *baton_server_get_stream     (BatonServer     *self);
/* serves the paths under prefix with another handler (batond demo's Graph API sandbox) */
void            baton_server_add_handler    (BatonServer     *self,
                                             const char      *prefix,
                                             SoupServerCallback callback,
                                             gpointer         user_data,
                                             GDestroyNotify   destroy);

G_END_DECLS
