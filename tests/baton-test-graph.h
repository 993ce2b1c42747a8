/* baton-test-graph.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-graph-sandbox.h"

G_BEGIN_DECLS

/* The tests' Graph API is the sandbox batond demo serves (baton-graph-sandbox.h, where its
 * answers, scripting and records are described), here on a server and thread of its own on
 * 127.0.0.1, so that it answers while a test blocks in a synchronous call to batond or runs
 * its own main loop; its base URL ends in "/v25.0". Fixtures are named by their file in
 * tests/fixtures/whatsapp/, e.g. "67-api-error-130429-throughput.json". */

/* A sandbox listening on its own thread. */
BatonGraphSandbox *baton_test_graph_new             (void);

void               baton_test_graph_push_file       (BatonGraphSandbox *graph,
                                                     const char        *method,
                                                     const char        *path,
                                                     guint              status,
                                                     const char        *fixture);
/* The next send on that number fails with this fixture and HTTP status. */
void               baton_test_graph_push_send_error (BatonGraphSandbox *graph,
                                                     const char        *phone_number_id,
                                                     guint              status,
                                                     const char        *fixture);
/* templates_json: a JSON array of Graph template objects; page_size: 0 for Graph's 25. */
void               baton_test_graph_set_templates   (BatonGraphSandbox *graph,
                                                     const char        *waba_id,
                                                     const char        *templates_json,
                                                     guint              page_size);

G_END_DECLS
