/* bench-agents.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "baton-test-helpers.h"
#include "bench-agents.h"

/* On the main thread, where the counts are read. */
static void
assigned_received (gpointer    user_data,
                   JsonObject *notification,
                   gint64      arrived_us)
{
  BenchAgent *agent = user_data;

  agent->assigned++;
  agent->func (agent->user_data, notification, arrived_us);
}

BenchAgent *
bench_agent_new (BatonTestServer   *server,
                 guint              number,
                 BenchAssignedFunc  func,
                 gpointer           user_data)
{
  BenchAgent *agent = g_new0 (BenchAgent, 1);
  g_autofree char *name = g_strdup_printf ("Bench Agent %u", number);
  g_autoptr(GError) error = NULL;

  agent->func = func;
  agent->user_data = user_data;
  agent->id = baton_test_new_agent (server, name, "agent", &agent->token);
  /* Read on a thread of its own: every stream receives every event. */
  agent->stream = bench_reader_open (server->url, agent->token, name, assigned_received, agent,
                                     &error);
  if (agent->stream == NULL)
    g_error ("The stream of %s did not open: %s", name, error->message);
  return agent;
}

void
bench_agent_free (BenchAgent *agent)
{
  bench_reader_close (agent->stream);
  g_free (agent->id);
  g_free (agent->token);
  g_free (agent);
}


char *
bench_online_team (BatonTestServer   *server,
                   guint              n_agents,
                   BenchAssignedFunc  func,
                   gpointer           user_data,
                   GPtrArray         *agents)
{
  g_autoptr(GString) members = g_string_new (NULL);
  g_autofree char *body = NULL;

  for (guint i = 0; i < n_agents; i++)
    {
      BenchAgent *agent = bench_agent_new (server, i + 1, func, user_data);

      g_ptr_array_add (agents, agent);
      g_string_append_printf (members, "%s\"%s\"", i ? "," : "", agent->id);
    }
  for (guint i = 0; i < agents->len; i++)
    baton_test_wait_online (server, ((BenchAgent *) agents->pdata[i])->id);
  body = g_strdup_printf ("{\"name\":\"Bench\",\"strategy\":\"round_robin\","
                          "\"member_ids\":[%s]}", members->str);
  return baton_test_create (server, "/api/v1/teams", body);
}

void
bench_assignment_spread (GPtrArray *agents,
                         guint     *fewest,
                         guint     *most)
{
  *fewest = G_MAXUINT;
  *most = 0;
  for (guint i = 0; i < agents->len; i++)
    {
      BenchAgent *agent = agents->pdata[i];

      *fewest = MIN (*fewest, agent->assigned);
      *most = MAX (*most, agent->assigned);
    }
}

gboolean
bench_parse_command_line (GOptionContext   *context,
                          int              *argc,
                          char           ***argv)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }
  if (*argc > 1)
    g_setenv ("BATOND", (*argv)[1], TRUE);
  if (g_getenv ("BATOND") == NULL)
    {
      g_printerr ("Give the batond to run: BATOND=path/to/batond %s, or %s path/to/batond\n",
                  g_get_prgname (), g_get_prgname ());
      return FALSE;
    }
  return TRUE;
}

static int
compare_latencies (gconstpointer a,
                   gconstpointer b)
{
  gint64 left = *(const gint64 *) a;
  gint64 right = *(const gint64 *) b;

  return (left > right) - (left < right);
}

void
bench_sort_latencies (GArray *latencies)
{
  g_array_sort (latencies, compare_latencies);
}

/* Nearest rank: the smallest latency at or above the given fraction of them. */
double
bench_percentile_ms (GArray *sorted,
                     double  fraction)
{
  guint rank = (guint) MAX (1.0, fraction * sorted->len + 0.999999);

  return g_array_index (sorted, gint64, MIN (rank, sorted->len) - 1) / 1000.0;
}

/* Process CPU time in µs: this process's (getrusage) or batond's (/proc/PID/stat). */
gint64
bench_cpu_us (BatonTestServer *server)
{
  g_autofree char *path = NULL;
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  struct rusage usage;

  if (server == NULL)
    {
      getrusage (RUSAGE_SELF, &usage);
      return (gint64) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * G_USEC_PER_SEC
             + usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
    }
  path = g_strdup_printf ("/proc/%s/stat", g_subprocess_get_identifier (server->process));
  if (!g_file_get_contents (path, &stat, NULL, NULL) || strrchr (stat, ')') == NULL)
    return 0;
  /* after "pid (comm) ": state is field 3; utime and stime are 14 and 15 */
  fields = g_strsplit (strrchr (stat, ')') + 2, " ", 0);
  return (gint64) ((g_ascii_strtoull (fields[11], NULL, 10)
                    + g_ascii_strtoull (fields[12], NULL, 10))
                   * G_USEC_PER_SEC / sysconf (_SC_CLK_TCK));
}
