/* test-domain-reports.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-test-domain.h"
#include "baton-workspace-reports.h"

/* The reports' summary in process: computed on a thread over a connection of its own, it
 * reads what is committed and leaves the main connection free. The figures themselves are
 * checked through HTTP in test-api-reports. */

#define HOUR_MS ((gint64) 3600 * 1000)

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
test_summary_reads_committed (BatonTestDomain *domain,
                              gconstpointer    data)
{
  g_autofree char *channel_id = baton_test_domain_new_channel (domain, NULL);
  gint64 now = baton_clock_now_ms (domain->clock);
  BatonReportFilter filter = { NULL, NULL, now - HOUR_MS, now + HOUR_MS };
  BatonStore *store = domain->store.store;
  g_autoptr(BatonConversation) first = baton_test_domain_customer_writes (domain, channel_id);
  g_autoptr(BatonConversation) second = baton_test_domain_customer_writes (domain, channel_id);
  g_autoptr(BatonReport) inside = NULL;
  g_autoptr(BatonReport) report = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (baton_store_begin (store, &error));
  g_assert_no_error (error);
  baton_test_store_exec (&domain->store, "UPDATE conversations SET created_at = 0");
  inside = baton_workspace_report_summary (domain->workspace, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpint (inside->created, ==, 0);

  baton_workspace_report_summary_async (domain->workspace, &filter, summary_cb, &report);
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

  g_test_add ("/domain/reports/summary-reads-committed", BatonTestDomain, NULL,
              baton_test_domain_setup, test_summary_reads_committed, baton_test_domain_teardown);
  return g_test_run ();
}
