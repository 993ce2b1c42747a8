/* baton-demo-graph.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-server.h"
#include "baton-whatsapp.h"

G_BEGIN_DECLS

/* Meta for `batond demo`'s business number: the Graph API sandbox (BatonGraphSandbox, the one
 * the tests use) mounted on batond's own server under BATON_DEMO_GRAPH_PREFIX, set up with the
 * demo number, its templates and media, and what WhatsApp would post to the webhook (the
 * statuses of the messages the sandbox accepted, what the demo's customers write) as signed
 * webhook bodies handed to the WhatsApp service. Nothing here runs under `batond serve`. */

#define BATON_DEMO_GRAPH_PREFIX "/demo/graph"

/* The demo number as Meta's dashboard would show it: what the demo's channel is set up with.
 * The sandbox accepts no other token and signs with this app secret. */
#define BATON_DEMO_GRAPH_PHONE_NUMBER_ID "100000000000001"
#define BATON_DEMO_GRAPH_DISPLAY_NUMBER "+44 20 7946 0100"
#define BATON_DEMO_GRAPH_WABA_ID "200000000000001"
#define BATON_DEMO_GRAPH_ACCESS_TOKEN "EAARouleurDemoSandboxAccessToken"
#define BATON_DEMO_GRAPH_APP_SECRET "rouleur-demo-app-secret"
#define BATON_DEMO_GRAPH_VERIFY_TOKEN "rouleur-demo-verify-token"

/* Media a demo customer can send, made by the sandbox: a photo of a bike (PNG) and a signed
 * order form (PDF). */
#define BATON_DEMO_GRAPH_MEDIA_PHOTO "1480000000000001"
#define BATON_DEMO_GRAPH_MEDIA_ORDER_FORM "1480000000000002"

#define BATON_TYPE_DEMO_GRAPH (baton_demo_graph_get_type ())

G_DECLARE_FINAL_TYPE (BatonDemoGraph, baton_demo_graph, BATON, DEMO_GRAPH, GObject)

BatonDemoGraph *baton_demo_graph_new               (BatonWhatsapp  *whatsapp);
/* serves the sandbox's paths on the server */
void            baton_demo_graph_mount             (BatonDemoGraph *self,
                                                    BatonServer    *server);
/* the graph_base_url of the sandbox on a server listening at server_url ("http://host:port") */
char           *baton_demo_graph_base_url          (const char     *server_url);

/* A demo customer (wa_id: digits; name: the WhatsApp profile name) writes to the business
 * number at timestamp (Unix seconds). Each call delivers one webhook body at once and returns
 * the message's wamid, or NULL when it could not be delivered (logged). */
char           *baton_demo_graph_customer_text     (BatonDemoGraph *self,
                                                    const char     *wa_id,
                                                    const char     *name,
                                                    gint64          timestamp,
                                                    const char     *body,
                                                    const char     *quoted_wamid);
/* one of the sandbox's media (BATON_DEMO_GRAPH_MEDIA_…), caption may be NULL */
char           *baton_demo_graph_customer_media    (BatonDemoGraph *self,
                                                    const char     *wa_id,
                                                    const char     *name,
                                                    gint64          timestamp,
                                                    const char     *media_id,
                                                    const char     *caption);
char           *baton_demo_graph_customer_location (BatonDemoGraph *self,
                                                    const char     *wa_id,
                                                    const char     *name,
                                                    gint64          timestamp,
                                                    double          latitude,
                                                    double          longitude,
                                                    const char     *place,
                                                    const char     *address);
char           *baton_demo_graph_customer_reaction (BatonDemoGraph *self,
                                                    const char     *wa_id,
                                                    const char     *name,
                                                    gint64          timestamp,
                                                    const char     *wamid,
                                                    const char     *emoji);

G_END_DECLS
