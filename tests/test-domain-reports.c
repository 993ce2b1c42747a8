/* test-domain-reports.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-test-store.h"
#include "baton-workspace-reports.h"

/* The reports' summary in process: computed on a thread over a connection of its own, it
 * reads what is committed and leaves the main connection free. The figures themselves are
 * checked through HTTP in test-api-reports. */

#define HOUR_MS ((gint64) 3600 * 1000)

typedef struct {
  BatonTestStore store;
  BatonClock *clock;
  BatonWorkspace *workspace;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  baton_test_store_setup (&fixture->store, data);
  fixture->clock = baton_clock_new_test (1767225600000);
  fixture->workspace = baton_workspace_new (fixture->store.store, fixture->clock);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->workspace);
  g_clear_object (&fixture->clock);
  baton_test_store_teardown (&fixture->store, data);
}

/* A customer writes on a new api channel: one conversation created now. */
static void
customer_writes (Fixture    *fixture,
                 const char *channel_id,
                 const char *phone)
{
  BatonInbound inbound = { .from = phone, .name = "Customer", .body = "Hello",
                           .sent_at = baton_clock_now_ms (fixture->clock),
                           .opens_window = TRUE };
  g_autofree char *message_id = NULL;
  g_autofree char *conversation_id = NULL;
  g_autoptr(GError) error = NULL;
  gboolean duplicate = TRUE;

  g_assert_true (baton_workspace_receive (fixture->workspace, channel_id, &inbound, &message_id,
                                          &conversation_id, &duplicate, &error));
  g_assert_no_error (error);
}

static char *
new_channel (Fixture *fixture)
{
  BatonChannelPatch patch = { .kind = "api", .name = "Web" };
  g_autoptr(JsonNode) channel = NULL;
  g_autoptr(GError) error = NULL;

  channel = baton_workspace_create_channel (fixture->workspace, &patch, NULL, &error);
  g_assert_no_error (error);
  return g_strdup (json_object_get_string_member (json_node_get_object (channel), "id"));
}

static void
summary_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  BatonReport **report = user_data;
  g_autoptr(GError) error = NULL;

  *report = baton_workspace_report_summary_finish (BATON_WORKSPACE (source), result, &error);
  g_assert_no_error (error);
}

/* While the main connection holds a write that is not committed (here: every conversation
 * moved out of the period), the summary is computed all the same, from what was committed:
 * on the main connection it would wait for nothing and count the uncommitted change. */
static void
test_summary_reads_committed (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *channel_id = new_channel (fixture);
  gint64 now = baton_clock_now_ms (fixture->clock);
  BatonReportFilter filter = { NULL, NULL, now - HOUR_MS, now + HOUR_MS };
  BatonStore *store = fixture->store.store;
  g_autoptr(BatonReport) inside = NULL;
  g_autoptr(BatonReport) report = NULL;
  g_autoptr(GError) error = NULL;

  customer_writes (fixture, channel_id, "+31610000001");
  customer_writes (fixture, channel_id, "+31610000002");

  g_assert_true (baton_store_begin (store, &error));
  g_assert_no_error (error);
  baton_test_store_exec (&fixture->store, "UPDATE conversations SET created_at = 0");
  inside = baton_workspace_report_summary (fixture->workspace, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpint (inside->created, ==, 0);

  baton_workspace_report_summary_async (fixture->workspace, &filter, summary_cb, &report);
  while (report == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (report->created, ==, 2);
  g_assert_cmpint (report->by_hour[0] + report->by_hour[23], ==, 2);
  baton_store_rollback (store);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/domain/reports/summary-reads-committed", Fixture, NULL, fixture_setup,
              test_summary_reads_committed, fixture_teardown);
  return g_test_run ();
}
