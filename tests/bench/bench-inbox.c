/* bench-inbox.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>

#include "baton-auth.h"
#include "baton-client.h"
#include "baton-id.h"
#include "baton-inbox.h"
#include "baton-inbox-row.h"
#include "baton-store-sqlite.h"
#include "baton-test-server.h"
#include "baton-window.h"
#include "baton-workspace-private.h"

/* The desktop app's inbox on a workspace of 100,000 conversations: how long after sign-in
 * the list is on screen, how much memory the app holds, and how long a filter takes to show
 * its list, against a real batond. The workspace is written straight into a data dir (one
 * transaction, no HTTP), and kept with --data-dir for the next run. The app's window runs in
 * this process, so the figures are the app's own code: BatonClient, BatonInbox, BatonWindow
 * and its rows. The server's time for the same list requests is timed apart, so a slow
 * switch can be put on one side or the other. Needs a display: run under xvfb-run. */

#define N_AGENTS 20
#define N_TEAMS 3
#define SEED 20261122
/* Conversations spread over the last 90 days, newest most often open. */
#define SPAN_MS (90 * 24 * 3600 * G_GINT64_CONSTANT (1000))
#define MANAGER_EMAIL "manager@bench.baton.chat"
#define PASSWORD "bench-password"
#define PAGE_SIZE 50
#define EXTRA_PAGES 10
#define EXIT_SKIP 77

static const struct {
  const char *name;
  const char *strategy;
  guint first_agent;
  guint n_agents;
} team_specs[N_TEAMS] = {
  { "Support", "round_robin", 0, 8 },
  { "Sales", "least_busy", 8, 6 },
  { "Billing", "round_robin", 14, 6 },
};

static const char *first_names[] = {
  "Olivia", "Noah", "Chloé", "James", "Amara", "Lucas", "Sofia", "Mateo", "Hannah", "Yusuf",
  "Léa", "Tomás", "Ines", "Kenji", "Maya", "Arjun", "Zoé", "Emil", "Fatima", "Oskar",
};

static const char *last_names[] = {
  "Bennett", "Lambert", "Whitaker", "Okafor", "Moreau", "Rossi", "García", "Fischer", "Novak",
  "Haddad", "Tanaka", "Silva", "Dubois", "Jensen", "Kowalski", "Murphy", "Nguyen", "Schmidt",
  "Costa", "Ivanova",
};

static const char *texts[] = {
  "Hi! Where is my order?",
  "Bonjour, mon vélo est prêt ?",
  "Quote for 40 hire bikes please",
  "Can I change my delivery address?",
  "I want a refund for order #1234",
  "My invoice is wrong, it shows the old VAT number",
  "Do you ship to Belgium?",
  "The parcel arrived damaged, photos attached",
  "Is the blue model back in stock?",
  "Thanks, that solved it!",
};

/* Data */

typedef struct {
  guint conversations;
  guint by_status[3];
  guint assigned;
  guint mine;
  gint64 active_count_sum;
  gint64 active_assignments;
} Census;

static gboolean
exec_ok (gint64 changes)
{
  return changes >= 0;
}

/* A count, or -1 with error set. */
static gint64
count (BatonStore  *store,
       GError     **error,
       const char  *sql,
       const char  *param)
{
  g_autoptr(BatonRows) rows = param ? baton_store_query (store, error, sql, "s", param)
                                    : baton_store_query (store, error, sql, "");

  return rows ? baton_rows_int (rows, 0, 0) : -1;
}

/* What the data dir holds, and whether the agents' loads (kept by migration 3's triggers)
 * match their active assignments. */
static gboolean
take_census (BatonStore  *store,
             Census      *census,
             GError     **error)
{
  static const char *statuses[] = { "new", "in_progress", "resolved" };
  g_autofree char *manager_key = baton_workspace_email_key (MANAGER_EMAIL);
  gint64 counts[8] = { 0 };

  counts[0] = count (store, error, "SELECT COUNT(*) FROM conversations", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (statuses) && counts[i] >= 0; i++)
    counts[i + 1] = count (store, error, "SELECT COUNT(*) FROM conversations WHERE status = ?",
                           statuses[i]);
  if (counts[3] >= 0)
    counts[4] = count (store, error, "SELECT COUNT(DISTINCT conversation_id)"
                                     " FROM conversation_assignees", NULL);
  if (counts[4] >= 0)
    counts[5] = count (store, error, "SELECT COUNT(*) FROM conversation_assignees a"
                                     " JOIN agents g ON g.id = a.agent_id"
                                     " WHERE g.email_key = ?", manager_key);
  if (counts[5] >= 0)
    counts[6] = count (store, error, "SELECT COALESCE(SUM(active_count), 0) FROM agents", NULL);
  if (counts[6] >= 0)
    counts[7] = count (store, error, "SELECT COUNT(*) FROM conversation_assignees a"
                                     " JOIN conversations c ON c.id = a.conversation_id"
                                     " WHERE c.status <> 'resolved'", NULL);
  if (counts[7] < 0)
    return FALSE;
  census->conversations = (guint) counts[0];
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    census->by_status[i] = (guint) counts[i + 1];
  census->assigned = (guint) counts[4];
  census->mine = (guint) counts[5];
  census->active_count_sum = counts[6];
  census->active_assignments = counts[7];
  return TRUE;
}

static gboolean
insert_agents_and_teams (BatonStore  *store,
                         gint64       now,
                         char       **agent_ids,
                         const char **agent_vias,
                         char       **team_ids,
                         guint       *agent_team,
                         GError     **error)
{
  /* One password for all: argon2 once, not twenty times. */
  g_autofree char *hash = baton_auth_hash_password (PASSWORD);

  for (guint i = 0; i < N_AGENTS; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s %s", first_names[i % G_N_ELEMENTS (first_names)],
                                               last_names[(i * 7) % G_N_ELEMENTS (last_names)]);
      g_autofree char *email = g_strdup_printf ("agent%02u@bench.baton.chat", i + 1);
      g_autofree char *key = baton_workspace_email_key (email);

      agent_ids[i] = baton_id_new ("agt", now);
      if (!exec_ok (baton_store_exec (store, error,
                                      "INSERT INTO agents (id, name, email, email_key, role,"
                                      " password_hash, availability, created_at, updated_at)"
                                      " VALUES (?, ?, ?, ?, 'agent', ?, ?, ?, ?)",
                                      "ssssssii", agent_ids[i], name, email, key, hash,
                                      i % 4 == 3 ? "away" : "online", now, now)))
        return FALSE;
    }
  for (guint t = 0; t < N_TEAMS; t++)
    {
      team_ids[t] = baton_id_new ("tem", now);
      if (!exec_ok (baton_store_exec (store, error,
                                      "INSERT INTO teams (id, name, strategy, only_online,"
                                      " created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)",
                                      "sssii", team_ids[t], team_specs[t].name,
                                      team_specs[t].strategy, now, now)))
        return FALSE;
      for (guint m = 0; m < team_specs[t].n_agents; m++)
        {
          guint agent = team_specs[t].first_agent + m;

          agent_team[agent] = t;
          agent_vias[agent] = g_str_equal (team_specs[t].strategy, "least_busy")
                              ? "team:least_busy" : "team:round_robin";
          if (!exec_ok (baton_store_exec (store, error,
                                          "INSERT INTO team_members (team_id, agent_id, position)"
                                          " VALUES (?, ?, ?)", "ssd", team_ids[t],
                                          agent_ids[agent], (int) m)))
            return FALSE;
        }
    }
  return TRUE;
}

/* 100,000 contacts, each with one conversation holding one inbound message. The age decides
 * the status: the older, the likelier resolved (40 % overall); open ones are new (a third)
 * or in progress. In progress: one assignee; new: half of them routed to an agent, half
 * waiting unassigned; resolved: none left (unassign_on_resolve). About 1 % of the
 * assignments go to the manager, whose "Mine" is thus a sparse filter. Each conversation is
 * inserted before its assignee, so the triggers of migration 3 count the agents' loads. */
static gboolean
insert_conversations (BatonStore  *store,
                      GRand       *prng,
                      gint64       now,
                      guint        n,
                      const char  *manager_id,
                      char       **agent_ids,
                      const char **agent_vias,
                      char       **team_ids,
                      const guint *agent_team,
                      const char  *channel_id,
                      GError     **error)
{
  for (guint i = 0; i < n; i++)
    {
      double age = n > 1 ? (double) (n - 1 - i) / (n - 1) : 0;
      gint64 at = now - (gint64) (age * SPAN_MS) - g_rand_int_range (prng, 1000, 60000);
      gint64 created_at = at - g_rand_int_range (prng, 0, 3600 * 1000);
      const char *body = texts[g_rand_int_range (prng, 0, G_N_ELEMENTS (texts))];
      guint first = (guint) g_rand_int_range (prng, 0, G_N_ELEMENTS (first_names));
      guint last = (guint) g_rand_int_range (prng, 0, G_N_ELEMENTS (last_names));
      g_autofree char *name = g_strdup_printf ("%s %s", first_names[first], last_names[last]);
      g_autofree char *phone = g_strdup_printf ("+3361%07u", i);
      g_autofree char *contact_id = baton_id_new ("ctc", created_at);
      g_autofree char *conversation_id = baton_id_new ("cnv", created_at);
      g_autofree char *message_id = baton_id_new ("msg", at);
      const char *status = "in_progress";
      const char *assignee = NULL;
      const char *via = NULL;
      const char *team_id = NULL;
      gint64 first_response_at = 0;
      gint64 resolved_at = 0;

      if (g_rand_double (prng) < 0.8 * age)
        status = "resolved";
      else if (g_rand_double (prng) < 1.0 / 3)
        status = "new";
      if (g_str_equal (status, "in_progress")
          || (g_str_equal (status, "new") && g_rand_boolean (prng)))
        {
          if (g_rand_double (prng) < 0.01)
            {
              assignee = manager_id;
              via = "manual";
            }
          else
            {
              guint agent = (guint) g_rand_int_range (prng, 0, N_AGENTS);

              assignee = agent_ids[agent];
              via = agent_vias[agent];
              team_id = team_ids[agent_team[agent]];
            }
        }
      else if (g_str_equal (status, "resolved"))
        {
          team_id = team_ids[g_rand_int_range (prng, 0, N_TEAMS)];
          resolved_at = MIN (at + g_rand_int_range (prng, 60000, 3600000), now);
        }
      if (!g_str_equal (status, "new"))
        first_response_at = MIN (at + g_rand_int_range (prng, 10000, 600000), now);

      if (!exec_ok (baton_store_exec (store, error,
                                      "INSERT INTO contacts (id, name, phone, created_at,"
                                      " last_inbound_at) VALUES (?, ?, ?, ?, ?)",
                                      "sssii", contact_id, name, phone, created_at, at))
          || !exec_ok (baton_store_exec (store, error,
                                         "INSERT INTO conversations (id, channel_id, contact_id,"
                                         " status, team_id, version, last_preview,"
                                         " last_direction, last_at, activity_at, created_at,"
                                         " updated_at, first_response_at, resolved_at,"
                                         " window_expires_at, inbound_count) VALUES (?, ?, ?, ?,"
                                         " ?, 1, ?, 'inbound', ?, ?, ?, ?, NULLIF(?, 0),"
                                         " NULLIF(?, 0), ?, 1)",
                                         "ssssssiiiiiii", conversation_id, channel_id,
                                         contact_id, status, team_id, body, at, at, created_at,
                                         MAX (at, resolved_at), first_response_at, resolved_at,
                                         at + 24 * 3600 * G_GINT64_CONSTANT (1000)))
          || !exec_ok (baton_store_exec (store, error,
                                         "INSERT INTO messages (id, conversation_id, channel_id,"
                                         " kind, author_type, author_id, author_name, body,"
                                         " created_at) VALUES (?, ?, ?, 'inbound', 'contact',"
                                         " ?, ?, ?, ?)",
                                         "ssssssi", message_id, conversation_id, channel_id,
                                         contact_id, name, body, at)))
        return FALSE;
      if (assignee
          && !exec_ok (baton_store_exec (store, error,
                                         "INSERT INTO conversation_assignees (conversation_id,"
                                         " agent_id, position, assigned_at, via)"
                                         " VALUES (?, ?, 1, ?, ?)",
                                         "ssis", conversation_id, assignee,
                                         at + g_rand_int_range (prng, 0, 5000), via)))
        return FALSE;
    }
  return exec_ok (baton_store_exec (store, error,
                                    "UPDATE agents SET last_assigned_at = COALESCE((SELECT"
                                    " MAX(assigned_at) FROM conversation_assignees"
                                    " WHERE agent_id = agents.id), 0)", ""));
}

static gboolean
generate (const char  *data_dir,
          guint        n,
          GError     **error)
{
  g_autofree char *path = g_build_filename (data_dir, "baton.db", NULL);
  g_autoptr(GRand) prng = g_rand_new_with_seed (SEED);
  g_autoptr(BatonClock) clock = baton_clock_new ();
  g_autoptr(BatonStore) store = NULL;
  g_autoptr(BatonWorkspace) workspace = NULL;
  g_autoptr(BatonRows) manager = NULL;
  g_autofree char *channel_id = NULL;
  g_autofree char *secret = baton_auth_new_secret ();
  g_autofree char *secret_hash = baton_auth_hash_secret (secret);
  char *agent_ids[N_AGENTS] = { NULL };
  const char *agent_vias[N_AGENTS] = { NULL };
  guint agent_team[N_AGENTS] = { 0 };
  char *team_ids[N_TEAMS] = { NULL };
  gint64 now = 0;
  gint64 started = g_get_monotonic_time ();
  gint64 inserted = 0;
  gboolean ok = FALSE;

  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "Cannot create %s: %s",
                   data_dir, g_strerror (errno));
      return FALSE;
    }
  store = baton_store_sqlite_open (path, error);
  if (store == NULL || !baton_store_migrate (store, error))
    return FALSE;
  workspace = baton_workspace_new (store, clock);
  if (!baton_workspace_initialize (workspace, "Bench Manager", MANAGER_EMAIL, PASSWORD, error))
    return FALSE;
  manager = baton_store_query (store, error, "SELECT id FROM agents", "");
  if (manager == NULL)
    return FALSE;
  now = baton_workspace_now (workspace);
  channel_id = baton_id_new ("chn", now);

  if (!baton_store_begin (store, error))
    return FALSE;
  ok = insert_agents_and_teams (store, now, agent_ids, agent_vias, team_ids, agent_team,
                                error)
       && exec_ok (baton_store_exec (store, error,
                                     "INSERT INTO channels (id, kind, name, inbound_secret_hash,"
                                     " created_at, updated_at)"
                                     " VALUES (?, 'api', 'Website chat', ?, ?, ?)",
                                     "ssii", channel_id, secret_hash, now, now))
       && insert_conversations (store, prng, now, n, baton_rows_text (manager, 0, 0), agent_ids,
                                agent_vias, team_ids, agent_team, channel_id, error);
  inserted = g_get_monotonic_time ();
  if (ok)
    ok = baton_store_commit (store, error);
  else
    baton_store_rollback (store);
  for (guint i = 0; i < N_AGENTS; i++)
    g_free (agent_ids[i]);
  for (guint t = 0; t < N_TEAMS; t++)
    g_free (team_ids[t]);
  if (!ok)
    return FALSE;
  g_clear_object (&workspace);
  baton_store_close (store);
  printf ("generated %u conversations in %.2f s (inserts %.2f s, commit and checkpoint %.2f s)\n",
          n, (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC,
          (inserted - started) / (double) G_USEC_PER_SEC,
          (g_get_monotonic_time () - inserted) / (double) G_USEC_PER_SEC);
  return TRUE;
}

static gboolean
describe_data (const char  *data_dir,
               GError     **error)
{
  g_autofree char *path = g_build_filename (data_dir, "baton.db", NULL);
  g_autoptr(BatonStore) store = baton_store_sqlite_open (path, error);
  Census census = { 0 };

  if (store == NULL || !baton_store_migrate (store, error) || !take_census (store, &census, error))
    return FALSE;
  baton_store_close (store);
  printf ("%s: %u conversations (new %u, in_progress %u, resolved %u), %u assigned (%u to the "
          "manager), agents' loads %" G_GINT64_FORMAT " for %" G_GINT64_FORMAT
          " active assignments%s\n", data_dir, census.conversations, census.by_status[0],
          census.by_status[1], census.by_status[2], census.assigned, census.mine,
          census.active_count_sum, census.active_assignments,
          census.active_count_sum == census.active_assignments ? "" : " (MISMATCH)");
  return census.active_count_sum == census.active_assignments;
}

/* The server */

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GSubprocess *
start_batond (const char  *data_dir,
              char       **url,
              GError     **error)
{
  const char *batond = g_getenv ("BATOND") ? g_getenv ("BATOND") : BENCH_BATOND;
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  process = g_subprocess_launcher_spawn (launcher, error, batond, "serve", "--data-dir", data_dir,
                                         "--listen", "127.0.0.1:0", NULL);
  if (process == NULL)
    return NULL;
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, error);
  if (line == NULL || !g_str_has_prefix (line, "listening on "))
    {
      if (error && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s did not start", batond);
      return NULL;
    }
  *url = g_strdup (line + strlen ("listening on "));
  printf ("batond %s serving on %s\n", batond, *url);
  return g_steal_pointer (&process);
}

static void
stop_batond (GSubprocess *process)
{
  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, NULL);
}

/* Memory */

static double
rss_mb (const char *pid,
        const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status", pid);
  g_autofree char *status = NULL;
  const char *line = NULL;

  if (!g_file_get_contents (path, &status, NULL, NULL)
      || (line = strstr (status, field)) == NULL)
    return -1;
  return g_ascii_strtod (line + strlen (field), NULL) / 1024.0;
}

/* Statistics */

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double left = *(const double *) a;
  double right = *(const double *) b;

  return (left > right) - (left < right);
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_doubles);
  return values->len ? g_array_index (values, double, (values->len - 1) / 2) : 0;
}

/* the value under which 95 % of them are (sorted) */
static double
p95 (GArray *values)
{
  return values->len ? g_array_index (values, double, (values->len * 95 + 99) / 100 - 1) : 0;
}

static double
maximum (GArray *values)
{
  double most = 0;

  for (guint i = 0; i < values->len; i++)
    most = MAX (most, g_array_index (values, double, i));
  return most;
}

/* The server's own time: the list requests the app makes, one at a time on a kept-alive
 * connection, as curl would time them (request sent to body received). */

typedef struct {
  SoupSession *session;
  char *base;
  char *token;
} Http;

static JsonNode *
http_get (Http        *http,
          const char  *path,
          double      *ms,
          gsize       *size)
{
  g_autofree char *url = g_strconcat (http->base, "/api/v1", path, NULL);
  g_autofree char *header = g_strdup_printf ("Bearer %s", http->token);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gint64 started = 0;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
  started = g_get_monotonic_time ();
  body = soup_session_send_and_read (http->session, msg, NULL, &error);
  *ms = (g_get_monotonic_time () - started) / 1000.0;
  if (body == NULL || soup_message_get_status (msg) != 200)
    g_error ("GET %s: %s", path, error ? error->message : soup_message_get_reason_phrase (msg));
  *size = g_bytes_get_size (body);
  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                   (gssize) g_bytes_get_size (body), &error))
    g_error ("GET %s: %s", path, error->message);
  return json_node_ref (json_parser_get_root (parser));
}

static void
time_list (Http       *http,
           const char *label,
           const char *path,
           guint       repeats)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  guint n_items = 0;
  gsize size = 0;

  for (guint i = 0; i < repeats + 2; i++)
    {
      double ms = 0;
      g_autoptr(JsonNode) page = http_get (http, path, &ms, &size);
      JsonObject *object = json_node_get_object (page);
      /* an answer that is not a list (the counts) counts no items */
      JsonArray *items = json_object_has_member (object, "items")
                         ? json_object_get_array_member (object, "items") : NULL;

      n_items = items ? json_array_get_length (items) : 0;
      /* the first two warm the connection and the page cache */
      if (i >= 2)
        g_array_append_val (times, ms);
    }
  printf ("  %-30s %5u %8.1f %8.2f %8.2f   %s\n", label, n_items, size / 1024.0, median (times),
          maximum (times), path);
}

/* Full-text search (q=) as an agent types: names (accents folded), the first letter, words
 * of messages, two words found in different places, a phone number in groups, nothing. */
static void
time_search (Http  *http,
             guint  repeats)
{
  static const struct {
    const char *label;
    const char *query;
  } searches[] = {
    { "a last name", "q=lambert" },
    { "a first name, no accent", "q=chloe" },
    { "a first name, open", "q=chloe&status=new,in_progress" },
    { "a word being typed", "q=chlo" },
    { "the first letter typed", "q=c" },
    { "a message word (10 %)", "q=velo" },
    { "a message word (20 %)", "q=order" },
    { "name and message words", "q=chloe%20refund" },
    { "a phone number in groups", "q=%2B33%2061%2000%2012" },
    { "a word found nowhere", "q=zanzibar" },
  };

  printf ("\nserver: search (q=), %u timed requests each after 2 warm-ups\n", repeats);
  printf ("  %-30s %5s %8s %8s %8s\n", "search", "items", "median", "p95", "max (ms)");
  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    {
      g_autofree char *path = g_strdup_printf ("/conversations?limit=50&%s", searches[i].query);
      g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
      guint n_items = 0;

      for (guint r = 0; r < repeats + 2; r++)
        {
          double ms = 0;
          gsize size = 0;
          g_autoptr(JsonNode) page = http_get (http, path, &ms, &size);

          n_items = json_array_get_length (json_object_get_array_member (
            json_node_get_object (page), "items"));
          if (r >= 2)
            g_array_append_val (times, ms);
        }
      g_array_sort (times, compare_doubles);
      printf ("  %-30s %5u %8.2f %8.2f %8.2f   %s\n", searches[i].label, n_items,
              median (times), p95 (times), maximum (times), path);
    }
}

static char *
first_id (Http       *http,
          const char *path,
          const char *role)
{
  double ms = 0;
  gsize size = 0;
  g_autoptr(JsonNode) page = http_get (http, path, &ms, &size);
  JsonArray *items = json_object_get_array_member (json_node_get_object (page), "items");

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (role == NULL
          || g_strcmp0 (json_object_get_string_member_with_default (item, "role", ""), role) == 0)
        return g_strdup (json_object_get_string_member (item, "id"));
    }
  g_error ("GET %s: nothing found", path);
}

/* The cursor to page `pages` + 1 of the unfiltered list, escaped, or NULL if it is shorter. */
static char *
deep_cursor (Http  *http,
             guint  pages)
{
  g_autofree char *cursor = NULL;

  for (guint i = 0; i < pages && (i == 0 || cursor); i++)
    {
      g_autofree char *escaped = cursor ? g_uri_escape_string (cursor, NULL, FALSE) : NULL;
      g_autofree char *path = g_strdup_printf ("/conversations?limit=%u%s%s", PAGE_SIZE,
                                               escaped ? "&cursor=" : "",
                                               escaped ? escaped : "");
      double ms = 0;
      gsize size = 0;
      g_autoptr(JsonNode) page = http_get (http, path, &ms, &size);

      g_free (cursor);
      cursor = g_strdup (json_object_get_string_member_with_default (json_node_get_object (page),
                                                                     "next_cursor", NULL));
    }
  return cursor ? g_uri_escape_string (cursor, NULL, FALSE) : NULL;
}

static void
time_server (const char *url,
             const char *token,
             guint       repeats)
{
  Http http = { soup_session_new (), g_strdup (url), g_strdup (token) };
  g_autofree char *agent_id = first_id (&http, "/agents", "agent");
  g_autofree char *team_id = first_id (&http, "/teams", NULL);
  g_autofree char *cursor = deep_cursor (&http, EXTRA_PAGES);
  g_autofree char *by_agent = g_strdup_printf ("/conversations?limit=50&assignee=%s", agent_id);
  g_autofree char *by_team = g_strdup_printf ("/conversations?limit=50&team=%s"
                                              "&status=new,in_progress", team_id);
  g_autofree char *deep = g_strdup_printf ("/conversations?limit=50&cursor=%s", cursor);
  g_autofree char *deep_open = g_strdup_printf ("/conversations?limit=50&status=new,in_progress"
                                                "&cursor=%s", cursor);

  printf ("\nserver: GET /conversations, %u timed requests each after 2 warm-ups\n", repeats);
  printf ("  %-30s %5s %8s %8s %8s\n", "list", "items", "KiB", "median", "max (ms)");
  time_list (&http, "all", "/conversations?limit=50", repeats);
  time_list (&http, "open (the app's default)", "/conversations?limit=50&status=new,in_progress",
             repeats);
  time_list (&http, "new", "/conversations?limit=50&status=new", repeats);
  time_list (&http, "in progress", "/conversations?limit=50&status=in_progress", repeats);
  time_list (&http, "resolved", "/conversations?limit=50&status=resolved", repeats);
  time_list (&http, "mine", "/conversations?limit=50&assignee=me", repeats);
  time_list (&http, "mine, open", "/conversations?limit=50&assignee=me&status=new,in_progress",
             repeats);
  time_list (&http, "unassigned", "/conversations?limit=50&assignee=none", repeats);
  time_list (&http, "unassigned, open",
             "/conversations?limit=50&assignee=none&status=new,in_progress", repeats);
  time_list (&http, "one agent's", by_agent, repeats);
  time_list (&http, "an agent with none, open",
             "/conversations?limit=50&assignee=agt_none&status=new,in_progress", repeats);
  time_list (&http, "one team's, open", by_team, repeats);
  if (cursor)
    {
      time_list (&http, "all, page 11", deep, repeats);
      time_list (&http, "open, after page 11 of all", deep_open, repeats);
    }
  time_search (&http, repeats);
  /* every open conversation is counted for the caller: the cost grows with them */
  time_list (&http, "unread counts", "/conversations/counts", repeats);
  g_object_unref (http.session);
  g_free (http.base);
  g_free (http.token);
}

/* The app */

/* One change timed: from `started` until its page is on screen. */
typedef struct {
  gint64 started;
  /* the inbox began announcing the new items: the rows get bound from here */
  gint64 changing_at;
  /* the page is in the model ("loading" went FALSE) */
  gint64 arrived_at;
  /* the next frame was painted */
  gint64 painted_at;
} Step;

typedef struct {
  BatonWindow *window;
  BatonInbox *inbox;
  BatonClient *client;
  GtkListView *list_view;
  guint n_paints;
  guint n_loads;
  /* the step being timed, or NULL */
  Step *step;
  guint loads_before;
  gboolean signed_in;
  double rss_first_paint;
  /* how long each frame took to update, lay out and paint, in ms */
  gint64 frame_started;
  GArray *frame_times;
} App;

typedef struct {
  GArray *request;
  GArray *rows;
  GArray *paint;
  GArray *total;
} Timings;

static void
timings_init (Timings *timings)
{
  timings->request = g_array_new (FALSE, FALSE, sizeof (double));
  timings->rows = g_array_new (FALSE, FALSE, sizeof (double));
  timings->paint = g_array_new (FALSE, FALSE, sizeof (double));
  timings->total = g_array_new (FALSE, FALSE, sizeof (double));
}

static void
timings_clear (Timings *timings)
{
  g_clear_pointer (&timings->request, g_array_unref);
  g_clear_pointer (&timings->rows, g_array_unref);
  g_clear_pointer (&timings->paint, g_array_unref);
  g_clear_pointer (&timings->total, g_array_unref);
}

static double
ms_between (gint64 from,
            gint64 to)
{
  return (to - from) / 1000.0;
}

static void
timings_add (Timings    *timings,
             const Step *step)
{
  /* A page that changes nothing announces nothing. */
  gint64 changing_at = step->changing_at ? step->changing_at : step->arrived_at;
  double request = ms_between (step->started, changing_at);
  double rows = ms_between (changing_at, step->arrived_at);
  double paint = ms_between (step->arrived_at, step->painted_at);
  double total = ms_between (step->started, step->painted_at);

  g_array_append_val (timings->request, request);
  g_array_append_val (timings->rows, rows);
  g_array_append_val (timings->paint, paint);
  g_array_append_val (timings->total, total);
}

#define TIMINGS_HEADER "%-20s %5s %8s %8s %8s %8s %8s"
#define TIMINGS_ROW "%-20s %5u %8.1f %8.1f %8.1f %8.1f %8.1f"

static void
print_timings_header (void)
{
  printf ("  " TIMINGS_HEADER "   %s\n", "", "items", "request", "rows", "paint", "median",
          "max", "query");
}

static void
print_timings (const char *label,
               guint       n_items,
               Timings    *timings,
               const char *query)
{
  printf ("  " TIMINGS_ROW "   %s\n", label, n_items, median (timings->request),
          median (timings->rows), median (timings->paint), median (timings->total),
          maximum (timings->total), query ? query : "");
}

static void
before_paint_cb (GdkFrameClock *clock,
                 App           *app)
{
  app->frame_started = g_get_monotonic_time ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                App           *app)
{
  double frame_ms = ms_between (app->frame_started, g_get_monotonic_time ());

  if (app->frame_times)
    g_array_append_val (app->frame_times, frame_ms);
  app->n_paints++;
  if (app->step && app->step->arrived_at && app->step->painted_at == 0)
    {
      app->step->painted_at = g_get_monotonic_time ();
      if (app->rss_first_paint == 0 && app->signed_in)
        app->rss_first_paint = rss_mb ("self", "VmRSS:");
    }
}

static void
loading_changed_cb (BatonInbox *inbox,
                    GParamSpec *pspec,
                    App        *app)
{
  if (baton_inbox_get_loading (inbox))
    return;
  app->n_loads++;
  if (app->step && app->step->arrived_at == 0 && app->n_loads > app->loads_before)
    app->step->arrived_at = g_get_monotonic_time ();
}

/* Runs before the handlers of items-changed, so that the time GTK takes to bind the rows can
 * be told from the time the page took to come. */
static gboolean
items_changing_hook (GSignalInvocationHint *hint,
                     guint                  n_values,
                     const GValue          *values,
                     gpointer               user_data)
{
  App *app = user_data;

  if (app->step && app->step->changing_at == 0 && app->step->arrived_at == 0
      && g_value_get_object (&values[0]) == (gpointer) app->inbox)
    app->step->changing_at = g_get_monotonic_time ();
  return TRUE;
}

static gboolean
wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

typedef gboolean (*Condition) (App *app);

/* Runs the main loop until condition holds; the wake-up only lets the deadline be checked. */
static void
wait_for (App        *app,
          Condition   condition,
          guint       timeout_s,
          const char *what)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;
  guint wake_id = g_timeout_add (250, wake_cb, NULL);

  while (!condition (app))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Waited %u s for %s", timeout_s, what);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake_id);
}

static gboolean
painted_once (App *app)
{
  return app->n_paints > 0;
}

static gboolean
signed_in (App *app)
{
  return app->signed_in;
}

/* The step's page landed and a frame showed it. A page that changes nothing may queue no
 * frame: a redraw is asked for after a second, so that the wait ends. */
static gboolean
step_painted (App *app)
{
  if (app->step->arrived_at && app->step->painted_at == 0
      && g_get_monotonic_time () - app->step->arrived_at > G_USEC_PER_SEC)
    gtk_widget_queue_draw (GTK_WIDGET (app->window));
  return app->step->painted_at != 0;
}

static gboolean
settled (App *app)
{
  return baton_client_get_state (app->client) == BATON_CLIENT_STATE_ONLINE
         && !baton_inbox_get_loading (app->inbox);
}

static void
start_step (App  *app,
            Step *step)
{
  *step = (Step) { .started = g_get_monotonic_time () };
  app->step = step;
  app->loads_before = app->n_loads;
}

static void
finish_step (App *app)
{
  wait_for (app, step_painted, 60, "the list to repaint");
  app->step = NULL;
}

static void
logged_in_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  App *app = user_data;
  g_autoptr(GError) error = NULL;

  if (!baton_client_login_finish (BATON_CLIENT (source), result, &error))
    g_error ("Sign-in: %s", error->message);
  app->signed_in = TRUE;
}

static void
collect (GtkWidget  *widget,
         GType       type,
         GPtrArray  *found)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        g_ptr_array_add (found, child);
      collect (child, type, found);
    }
}

static guint
count_rows (App *app)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect (GTK_WIDGET (app->window), BATON_TYPE_INBOX_ROW, rows);
  return rows->len;
}

/* The inbox's filter, found by its first choice, so that the switch goes through the
 * window as a click would. */
static GtkDropDown *
find_dropdown (App        *app,
               const char *first_item)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect (GTK_WIDGET (app->window), GTK_TYPE_DROP_DOWN, found);
  for (guint i = 0; i < found->len; i++)
    {
      GListModel *model = gtk_drop_down_get_model (found->pdata[i]);
      const char *first = GTK_IS_STRING_LIST (model)
                          ? gtk_string_list_get_string (GTK_STRING_LIST (model), 0) : NULL;

      /* a choice may be followed by its unread count ("Mine · 3") */
      if (first && (g_str_has_prefix (first, first_item)
                    || g_str_has_prefix (first, g_dgettext (GETTEXT_PACKAGE, first_item))))
        return found->pdata[i];
    }
  g_error ("No filter starting with \"%s\" in the window", first_item);
}

static GtkListView *
find_inbox_list (App *app)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect (GTK_WIDGET (app->window), GTK_TYPE_LIST_VIEW, found);
  for (guint i = 0; i < found->len; i++)
    {
      GtkSelectionModel *model = gtk_list_view_get_model (found->pdata[i]);

      if (GTK_IS_SINGLE_SELECTION (model)
          && gtk_single_selection_get_model (GTK_SINGLE_SELECTION (model))
             == G_LIST_MODEL (app->inbox))
        return found->pdata[i];
    }
  g_error ("The inbox list is not in the window");
}

typedef struct {
  const char *label;
  /* the scope filter (TRUE) or the status filter */
  gboolean scope;
  guint choice;
  const char *query;
} Switch;

/* From All + Open (a manager's start), through every choice, back to All + Open. */
static const Switch switches[] = {
  { "scope Mine", TRUE, 0, "assignee=me&status=new,in_progress" },
  { "scope Unassigned", TRUE, 1, "assignee=none&status=new,in_progress" },
  { "scope All", TRUE, 2, "status=new,in_progress" },
  { "status New", FALSE, 1, "status=new" },
  { "status In progress", FALSE, 2, "status=in_progress" },
  { "status Resolved", FALSE, 3, "status=resolved" },
  { "status Any", FALSE, 4, "(no filter)" },
  { "status Open", FALSE, 0, "status=new,in_progress" },
};

static void
time_switches (App   *app,
               guint  rounds)
{
  GtkDropDown *scope = find_dropdown (app, "Mine");
  GtkDropDown *status = find_dropdown (app, "Open");
  Timings timings[G_N_ELEMENTS (switches)];
  guint n_items[G_N_ELEMENTS (switches)] = { 0 };
  g_autoptr(GArray) all_totals = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint s = 0; s < G_N_ELEMENTS (switches); s++)
    timings_init (&timings[s]);
  for (guint r = 0; r < rounds; r++)
    for (guint s = 0; s < G_N_ELEMENTS (switches); s++)
      {
        Step step = { 0 };
        double total = 0;

        start_step (app, &step);
        gtk_drop_down_set_selected (switches[s].scope ? scope : status, switches[s].choice);
        if (switches[s].scope && switches[s].choice == 0)
          g_assert_cmpint (baton_inbox_get_scope (app->inbox), ==, BATON_INBOX_MINE);
        finish_step (app);
        timings_add (&timings[s], &step);
        total = ms_between (step.started, step.painted_at);
        g_array_append_val (all_totals, total);
        n_items[s] = g_list_model_get_n_items (G_LIST_MODEL (app->inbox));
      }

  printf ("\nfilter switches in the window, %u rounds, medians in ms: request (choice to the "
          "page parsed), rows (GTK binding the rows), paint (to the next frame painted)\n",
          rounds);
  print_timings_header ();
  for (guint s = 0; s < G_N_ELEMENTS (switches); s++)
    {
      print_timings (switches[s].label, n_items[s], &timings[s], switches[s].query);
      timings_clear (&timings[s]);
    }
  printf ("  %-20s %5s %8s %8s %8s %8.1f %8.1f\n", "every switch", "", "", "", "",
          median (all_totals), maximum (all_totals));
}

static void
scroll_to_end (App *app)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (app->list_view));

  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment)
                                        - gtk_adjustment_get_page_size (adjustment));
}

/* More pages, each scrolled into view as someone reading down the list would. */
static void
load_pages (App   *app,
            guint  pages)
{
  Timings timings = { NULL };

  timings_init (&timings);
  for (guint p = 0; p < pages && baton_inbox_get_has_more (app->inbox); p++)
    {
      Step step = { 0 };
      Step scroll = { 0 };

      start_step (app, &step);
      baton_inbox_load_more (app->inbox);
      finish_step (app);
      timings_add (&timings, &step);
      /* The frame that showed the page also grew the list's height: scroll to its end. */
      start_step (app, &scroll);
      scroll.arrived_at = scroll.started;
      scroll_to_end (app);
      finish_step (app);
    }
  printf ("\nload more, %u pages scrolled to, medians in ms:\n", timings.total->len);
  print_timings_header ();
  print_timings ("next page", PAGE_SIZE, &timings, "cursor=…");
  timings_clear (&timings);
}

static int
run_app (const char *url,
         guint       rounds,
         guint       repeats,
         const char *batond_pid)
{
  App app = { 0 };
  Timings first = { NULL };
  Step step = { 0 };
  gint64 login_started = 0;
  double rss_signed_out = 0;
  double rss_pages = 0;
  double rss_switched = 0;
  guint rows_first = 0;
  guint rows_pages = 0;
  guint n_loaded = 0;
  guint hook_id = 0;
  GdkFrameClock *frame_clock = NULL;

  app.client = baton_client_new (url);
  login_started = g_get_monotonic_time ();
  baton_client_login_async (app.client, MANAGER_EMAIL, PASSWORD, NULL, logged_in_cb, &app);
  wait_for (&app, signed_in, 30, "sign-in");
  printf ("sign-in (POST /auth/login, argon2 on the server): %.1f ms\n",
          ms_between (login_started, g_get_monotonic_time ()));

  /* The window as the app shows it before sign-in, painted once, so that what follows is
   * the inbox alone. */
  app.window = baton_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (app.window), 1100, 720);
  gtk_window_present (GTK_WINDOW (app.window));
  frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (app.window));
  g_signal_connect (frame_clock, "before-paint", G_CALLBACK (before_paint_cb), &app);
  g_signal_connect (frame_clock, "after-paint", G_CALLBACK (after_paint_cb), &app);
  wait_for (&app, painted_once, 30, "the window");
  rss_signed_out = rss_mb ("self", "VmRSS:");
  printf ("window 1100x720, renderer %s\n",
          G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (app.window))));
  hook_id = g_signal_add_emission_hook (g_signal_lookup ("items-changed", G_TYPE_LIST_MODEL), 0,
                                        items_changing_hook, &app, NULL);

  start_step (&app, &step);
  baton_window_set_client (app.window, app.client);
  app.inbox = BATON_INBOX (baton_window_get_inbox (app.window));
  g_signal_connect (app.inbox, "notify::loading", G_CALLBACK (loading_changed_cb), &app);
  /* What the application does on sign-in, after setting the client. */
  baton_client_start_stream (app.client);
  finish_step (&app);
  rows_first = count_rows (&app);
  timings_init (&first);
  timings_add (&first, &step);
  printf ("\nfirst page after sign-in (set_client to the list painted), ms:\n");
  print_timings_header ();
  print_timings ("first paint", g_list_model_get_n_items (G_LIST_MODEL (app.inbox)), &first,
                 "status=new,in_progress");
  timings_clear (&first);
  /* The stream's first connect reloads the page once (BatonWindow): let that pass. */
  wait_for (&app, settled, 60, "the stream and its reload");
  app.list_view = find_inbox_list (&app);

  load_pages (&app, EXTRA_PAGES);
  rows_pages = count_rows (&app);
  n_loaded = g_list_model_get_n_items (G_LIST_MODEL (app.inbox));
  rss_pages = rss_mb ("self", "VmRSS:");
  app.frame_times = g_array_new (FALSE, FALSE, sizeof (double));
  time_switches (&app, rounds);
  rss_switched = rss_mb ("self", "VmRSS:");
  printf ("frames during the switches: %u, each %.1f ms (median) to %.1f ms to update, lay out "
          "and paint\n", app.frame_times->len, median (app.frame_times),
          maximum (app.frame_times));
  g_clear_pointer (&app.frame_times, g_array_unref);

  printf ("\nrow widgets alive: %u with the first page, %u with %u items\n", rows_first,
          rows_pages, n_loaded);
  printf ("memory (VmRSS, MB): signed out %.1f, first paint %.1f, %u items loaded %.1f, "
          "after the switches %.1f, peak %.1f; batond %.1f\n", rss_signed_out,
          app.rss_first_paint, n_loaded, rss_pages, rss_switched,
          rss_mb ("self", "VmHWM:"), rss_mb (batond_pid, "VmRSS:"));

  time_server (url, baton_client_get_token (app.client), repeats);

  g_signal_remove_emission_hook (g_signal_lookup ("items-changed", G_TYPE_LIST_MODEL), hook_id);
  g_signal_handlers_disconnect_by_data (frame_clock, &app);
  g_signal_handlers_disconnect_by_data (app.inbox, &app);
  baton_client_stop_stream (app.client);
  gtk_window_destroy (GTK_WINDOW (app.window));
  g_object_unref (app.client);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_dir = NULL;
  gint64 n_conversations = 100000;
  gint64 rounds = 5;
  gint64 repeats = 20;
  GOptionEntry entries[] = {
    { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir,
      "Keep the generated workspace here; a workspace already there is used as it is "
      "(default: a temporary one)", "DIR" },
    { "conversations", 'n', 0, G_OPTION_ARG_INT64, &n_conversations,
      "Conversations to generate (default 100000; not with a kept workspace)", "N" },
    { "rounds", 'r', 0, G_OPTION_ARG_INT64, &rounds,
      "Rounds of filter switches (default 5)", "N" },
    { "requests", 0, 0, G_OPTION_ARG_INT64, &repeats,
      "Timed server requests per list (default 20)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- time the app's inbox on a large "
                                                            "workspace");
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) batond = NULL;
  g_autofree char *url = NULL;
  g_autofree char *database = NULL;
  gboolean temporary = FALSE;
  int status;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (n_conversations < 1 || n_conversations > 10000000 || rounds < 1 || rounds > 100
      || repeats < 1 || repeats > 10000)
    {
      g_printerr ("--conversations 1 to 10000000, --rounds 1 to 100, --requests 1 to 10000\n");
      return 2;
    }
  /* No accessibility bus under Xvfb; set GTK_A11Y yourself to measure with one. */
  g_setenv ("GTK_A11Y", "none", FALSE);
  if (!gtk_init_check ())
    {
      g_printerr ("bench-inbox: no display; run it under xvfb-run -a -s \"-screen 0 "
                  "1280x800x24\"\n");
      return EXIT_SKIP;
    }
  adw_init ();
  if (!baton_auth_init ())
    g_error ("Cannot initialise libsodium");

  if (data_dir == NULL)
    {
      data_dir = g_dir_make_tmp ("bench-inbox-XXXXXX", &error);
      if (data_dir == NULL)
        g_error ("%s", error->message);
      temporary = TRUE;
    }
  database = g_build_filename (data_dir, "baton.db", NULL);
  if (!temporary && g_file_test (database, G_FILE_TEST_EXISTS))
    printf ("reusing the workspace in %s (delete it to generate a new one)\n", data_dir);
  else if (!generate (data_dir, (guint) n_conversations, &error))
    {
      g_autofree char *wal = g_strconcat (database, "-wal", NULL);
      g_autofree char *shm = g_strconcat (database, "-shm", NULL);

      /* Half a workspace must not be taken for a kept one next time. */
      g_remove (database);
      g_remove (wal);
      g_remove (shm);
      g_error ("Generating the workspace: %s", error->message);
    }
  if (!describe_data (data_dir, &error))
    g_error ("The workspace in %s: %s", data_dir,
             error ? error->message : "agents' loads do not match their assignments");

  batond = start_batond (data_dir, &url, &error);
  if (batond == NULL)
    g_error ("Starting batond: %s", error->message);
  printf ("\n");
  fflush (stdout);

  status = run_app (url, (guint) rounds, (guint) repeats,
                    g_subprocess_get_identifier (batond));

  stop_batond (batond);
  if (temporary)
    baton_test_remove_tree (data_dir);
  return status;
}
