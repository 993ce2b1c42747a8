/* bench-reports.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>

#include "baton-store-reports.h"
#include "baton-store-sqlite.h"
#include "baton-workspace-reports.h"

/* The queries of GET /reports/summary over a week, on a year of history: N conversations of
 * ten messages each (a customer message, an agent reply, an activity line, in turn), every
 * one of them as the whole workspace and for one agent, with the messages' time index and
 * without it; then the whole summary (queries, days, tables) over 30 days. The database is
 * written once into a temporary file. */

#define N_CONVERSATIONS 100000
#define N_AGENTS 30
#define YEAR_MS (365 * 24 * 3600 * G_GINT64_CONSTANT (1000))
#define WEEK_MS (7 * 24 * 3600 * G_GINT64_CONSTANT (1000))
#define DAY_MS (24 * 3600 * G_GINT64_CONSTANT (1000))
#define START_MS G_GINT64_CONSTANT (1760000000000)

static void
fill (BatonStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 n = 0;

  g_assert_true (baton_store_begin (store, &error));
  baton_store_exec (store, &error, "INSERT INTO channels (id, kind, name, created_at,"
                    " updated_at) VALUES ('chn_1', 'api', 'Bench', 0, 0)", "");
  baton_store_exec (store, &error, "INSERT INTO contacts (id, name, phone, created_at)"
                    " VALUES ('con_1', 'Bench', '+15550000000', 0)", "");
  for (gint64 i = 0; i < N_CONVERSATIONS; i++)
    {
      g_autofree char *id = g_strdup_printf ("cnv_%" G_GINT64_FORMAT, i);
      g_autofree char *agent = g_strdup_printf ("agt_%" G_GINT64_FORMAT, i % N_AGENTS);
      g_autofree char *activity = g_strdup_printf ("{\"action\":\"assigned\",\"actor\":"
                                                   "{\"type\":\"system\",\"id\":null},"
                                                   "\"from\":{\"assignee_ids\":[]},"
                                                   "\"to\":{\"assignee_ids\":[\"%s\"]},"
                                                   "\"via\":\"manual\"}", agent);
      gint64 at = START_MS + i * (YEAR_MS / N_CONVERSATIONS);

      baton_store_exec (store, &error, "INSERT INTO conversations (id, channel_id, contact_id,"
                        " status, activity_at, created_at, updated_at)"
                        " VALUES (?, 'chn_1', 'con_1', 'resolved', ?, ?, ?)", "siii",
                        id, at, at, at);
      for (guint k = 0; k < 10; k++, n++)
        {
          g_autofree char *message = g_strdup_printf ("msg_%" G_GINT64_FORMAT, n);
          const char *kind = k % 3 == 0 ? "inbound" : k % 3 == 1 ? "outbound" : "activity";

          baton_store_exec (store, &error, "INSERT INTO messages (id, conversation_id,"
                            " channel_id, kind, author_type, author_id, author_name, body,"
                            " activity, created_at) VALUES (?, ?, 'chn_1', ?, ?, ?, 'Bench',"
                            " 'Hello', ?, ?)", "ssssssi", message, id, kind,
                            k % 3 == 1 ? "agent" : "contact", k % 3 == 1 ? agent : NULL,
                            k % 3 == 2 ? activity : NULL, at + k * 60000);
        }
    }
  g_assert_no_error (error);
  g_assert_true (baton_store_commit (store, &error));
}

static void
time_queries (BatonStore *store,
              const char *label)
{
  const char *agents[] = { NULL, "agt_3" };

  for (guint a = 0; a < G_N_ELEMENTS (agents); a++)
    {
      BatonReportFilter filter = {
        .agent_id = agents[a], .from = START_MS + YEAR_MS - WEEK_MS, .to = START_MS + YEAR_MS,
      };
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      g_autoptr(GPtrArray) created = baton_store_reports_created (store, &filter, &error);
      g_autoptr(GPtrArray) lines = baton_store_reports_activity (store, &filter, &error);
      g_autoptr(GPtrArray) replies = baton_store_reports_replies (store, &filter, &error);
      g_autoptr(GPtrArray) open = baton_store_reports_open (store, &filter, &error);

      g_assert_no_error (error);
      printf ("%-16s %-10s %6u created %6u activity lines: %7.1f ms\n", label,
              agents[a] ? "one agent" : "all", created->len, lines->len,
              (g_get_monotonic_time () - start) / 1000.0);
    }
}

/* the summary as the server computes it, over the last 30 days of the year */
static void
time_summary (BatonStore *store)
{
  g_autoptr(BatonClock) clock = baton_clock_new_test (START_MS + YEAR_MS);
  g_autoptr(BatonWorkspace) workspace = baton_workspace_new (store, clock);
  const char *agents[] = { NULL, "agt_3" };

  for (guint a = 0; a < G_N_ELEMENTS (agents); a++)
    {
      BatonReportFilter filter = {
        .agent_id = agents[a], .from = START_MS + YEAR_MS - 30 * DAY_MS,
        .to = START_MS + YEAR_MS,
      };
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      g_autoptr(BatonReport) report = baton_workspace_report_summary (workspace, &filter,
                                                                      &error);

      g_assert_no_error (error);
      printf ("30-day summary    %-10s %6" G_GINT64_FORMAT " created %3u days: %7.1f ms\n",
              agents[a] ? "one agent" : "all", report->created, report->days->len,
              (g_get_monotonic_time () - start) / 1000.0);
    }
}

int
main (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bench-reports-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "baton.db", NULL);
  g_autoptr(BatonStore) store = baton_store_sqlite_open (path, &error);

  g_assert_no_error (error);
  g_assert_true (baton_store_migrate (store, &error));
  fill (store);
  printf ("%d conversations, %d messages over a year; the last week's report:\n",
          N_CONVERSATIONS, N_CONVERSATIONS * 10);
  time_queries (store, "time index");
  time_summary (store);
  g_assert_cmpint (baton_store_exec (store, &error, "DROP INDEX messages_created", ""), >=, 0);
  time_queries (store, "no time index");
  baton_store_close (store);
  g_remove (path);
  g_remove (dir);
  return 0;
}
