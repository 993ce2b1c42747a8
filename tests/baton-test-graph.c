/* baton-test-graph.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-test"

#include "config.h"

#include "baton-test-graph.h"

BatonGraphSandbox *
baton_test_graph_new (void)
{
  g_autoptr(BatonGraphSandbox) sandbox = baton_graph_sandbox_new ();
  g_autoptr(GError) error = NULL;

  baton_graph_sandbox_listen (sandbox, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&sandbox);
}

static char *
fixture_path (const char *fixture)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "whatsapp", fixture, NULL);
}

void
baton_test_graph_push_file (BatonGraphSandbox *graph,
                            const char        *method,
                            const char        *path,
                            guint              status,
                            const char        *fixture)
{
  g_autofree char *filename = fixture_path (fixture);
  g_autoptr(GError) error = NULL;

  baton_graph_sandbox_push_file (graph, method, path, status, filename, &error);
  g_assert_no_error (error);
}

void
baton_test_graph_push_send_error (BatonGraphSandbox *graph,
                                  const char        *phone_number_id,
                                  guint              status,
                                  const char        *fixture)
{
  g_autofree char *filename = fixture_path (fixture);
  g_autofree char *body = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (filename, &body, NULL, &error);
  g_assert_no_error (error);
  baton_graph_sandbox_push_send_error (graph, phone_number_id, status, body);
}

void
baton_test_graph_set_templates (BatonGraphSandbox *graph,
                                const char        *waba_id,
                                const char        *templates_json,
                                guint              page_size)
{
  g_autoptr(JsonNode) root = json_from_string (templates_json, NULL);

  g_assert_true (root != NULL && JSON_NODE_HOLDS_ARRAY (root));
  baton_graph_sandbox_set_templates (graph, waba_id, json_node_get_array (root), page_size);
}
