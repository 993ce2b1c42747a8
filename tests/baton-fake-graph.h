/* baton-fake-graph.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-graph-sandbox.h"

G_BEGIN_DECLS

/* The tests' Graph API: the sandbox batond demo serves (baton-graph-sandbox.h, where its answers,
 * scripting and records are described), here on a server and thread of its own on 127.0.0.1,
 * so that it answers while a test blocks in a synchronous call to batond or runs its own main
 * loop. baton_fake_graph_base_url () ends in "/v25.0". Fixtures are named by their file in
 * tests/fixtures/whatsapp/, e.g. "67-api-error-130429-throughput.json". */

typedef BatonGraphSandbox BatonFakeGraph;
typedef BatonGraphSandboxReply BatonFakeReply;
typedef BatonGraphSandboxRequest BatonFakeRequest;
typedef BatonGraphSandboxMatch BatonFakeMatch;

#define BATON_FAKE_MATCH_ANY BATON_GRAPH_SANDBOX_MATCH_ANY
#define BATON_FAKE_MATCH_SEND BATON_GRAPH_SANDBOX_MATCH_SEND
#define BATON_FAKE_MATCH_READ BATON_GRAPH_SANDBOX_MATCH_READ

#define baton_fake_graph_base_url baton_graph_sandbox_get_base_url
#define baton_fake_graph_set_access_token baton_graph_sandbox_set_access_token
#define baton_fake_graph_set_delay baton_graph_sandbox_set_delay
#define baton_fake_graph_push_reply baton_graph_sandbox_push_reply
#define baton_fake_graph_push baton_graph_sandbox_push
#define baton_fake_graph_push_sent baton_graph_sandbox_push_sent
#define baton_fake_graph_add_media baton_graph_sandbox_add_media
#define baton_fake_graph_n_requests baton_graph_sandbox_n_requests
#define baton_fake_graph_request baton_graph_sandbox_request
#define baton_fake_graph_count baton_graph_sandbox_count
#define baton_fake_graph_find baton_graph_sandbox_find
#define baton_fake_graph_wait baton_graph_sandbox_wait
#define baton_fake_request_json baton_graph_sandbox_request_json

/* A sandbox listening on its own thread. */
BatonFakeGraph *baton_fake_graph_new             (void);
void            baton_fake_graph_free            (BatonFakeGraph *fake);

void            baton_fake_graph_push_file       (BatonFakeGraph *fake,
                                                  const char     *method,
                                                  const char     *path,
                                                  guint           status,
                                                  const char     *fixture);
/* The next send on that number fails with this fixture and HTTP status. */
void            baton_fake_graph_push_send_error (BatonFakeGraph *fake,
                                                  const char     *phone_number_id,
                                                  guint           status,
                                                  const char     *fixture);
/* templates_json: a JSON array of Graph template objects; page_size: 0 for Graph's 25. */
void            baton_fake_graph_set_templates   (BatonFakeGraph *fake,
                                                  const char     *waba_id,
                                                  const char     *templates_json,
                                                  guint           page_size);

G_END_DECLS
