/* test-demo.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>

#include "baton-test-server.h"

/* `batond demo` on an empty directory: the harness runs init + serve, so this test starts
 * batond itself the same way (reading "listening on" from stdout) and keeps the login lines
 * batond prints on stderr in a file. The harness's HTTP helpers do the rest. */

static BatonTestServer *server;
static char *log_path;

typedef struct {
  char *role;
  char *email;
  char *password;
} Login;

static void
login_free (Login *login)
{
  g_free (login->role);
  g_free (login->email);
  g_free (login->password);
  g_free (login);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Login, login_free)

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
start_demo (const char *simulate)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *data_dir = g_build_filename (server->data_dir, "data", NULL);
  g_autofree char *line = NULL;

  g_assert_null (server->process);
  g_ptr_array_add (argv, g_strdup (g_getenv ("BATOND")));
  g_ptr_array_add (argv, g_strdup ("demo"));
  g_ptr_array_add (argv, g_strdup ("--data-dir"));
  g_ptr_array_add (argv, g_strdup (data_dir));
  g_ptr_array_add (argv, g_strdup ("--listen"));
  g_ptr_array_add (argv, g_strdup ("127.0.0.1:0"));
  if (simulate)
    {
      g_ptr_array_add (argv, g_strdup ("--simulate"));
      g_ptr_array_add (argv, g_strdup (simulate));
    }
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_stderr_file_path (launcher, log_path);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server->process = g_subprocess_launcher_spawnv (launcher,
                                                  (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:"));
  g_free (server->url);
  server->url = g_strdup (line + strlen ("listening on "));
}

/* The "  ROLE EMAIL password: PASSWORD  (NAME)" lines batond printed before listening. */
static GPtrArray *
read_logins (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *logins = g_ptr_array_new_with_free_func ((GDestroyNotify) login_free);

  g_file_get_contents (log_path, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_auto(GStrv) words = NULL;
      g_autoptr(GPtrArray) kept = g_ptr_array_new ();
      Login *login = NULL;

      if (strstr (lines[i], " password: ") == NULL)
        continue;
      words = g_strsplit (lines[i], " ", -1);
      for (guint w = 0; words[w]; w++)
        if (*words[w])
          g_ptr_array_add (kept, words[w]);
      g_assert_cmpuint (kept->len, >=, 4);
      g_assert_cmpstr (kept->pdata[2], ==, "password:");
      login = g_new0 (Login, 1);
      login->role = g_strdup (kept->pdata[0]);
      login->email = g_strdup (kept->pdata[1]);
      login->password = g_strdup (kept->pdata[3]);
      g_ptr_array_add (logins, login);
    }
  return logins;
}

static char *
sign_in_as_manager (void)
{
  g_autoptr(GPtrArray) logins = read_logins ();

  for (guint i = 0; i < logins->len; i++)
    {
      Login *login = logins->pdata[i];

      if (g_str_equal (login->role, "manager"))
        return baton_test_login (server, login->email, login->password);
    }
  g_assert_not_reached ();
  return NULL;
}

static guint
count_items (const char *path)
{
  g_autoptr(JsonNode) node = baton_test_expect (server, "GET", path, server->manager_token,
                                                NULL, 200, NULL);

  g_assert_null (baton_test_get_string (node, "next_cursor"));
  return json_array_get_length (json_node_get_array (
    json_object_get_member (json_node_get_object (node), "items")));
}

static JsonArray *
items_of (JsonNode *node)
{
  return json_object_get_array_member (json_node_get_object (node), "items");
}

static gint64
time_ms (const char *text)
{
  g_autoptr(GDateTime) parsed = NULL;

  g_assert_nonnull (text);
  parsed = g_date_time_new_from_iso8601 (text, NULL);
  g_assert_nonnull (parsed);
  return g_date_time_to_unix (parsed) * 1000 + g_date_time_get_microsecond (parsed) / 1000;
}

static gboolean
writes_french (const char *phone)
{
  return g_str_has_prefix (phone, "+33") || g_str_has_prefix (phone, "+32")
         || g_str_has_prefix (phone, "+41");
}

#define AFTER_HOURS_REPLY \
  "Thanks for your message! Our team is offline right now; our night crew will get back to" \
  " you shortly."

static gboolean
array_has (JsonArray  *array,
           const char *text)
{
  for (guint i = 0; array && i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), text) == 0)
      return TRUE;
  return FALSE;
}

static JsonNode *
get_path (const char *format,
          const char *id)
{
  g_autofree char *path = g_strdup_printf (format, id);

  return baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
}

/* The team of that name, as GET /api/v1/teams gives it; asserts there is one. */
static JsonObject *
find_team (JsonNode   *teams,
           const char *name)
{
  JsonArray *items = json_object_get_array_member (json_node_get_object (teams), "items");

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *team = json_array_get_object_element (items, i);

      if (g_str_equal (json_object_get_string_member (team, "name"), name))
        return team;
    }
  g_error ("No team named %s", name);
  return NULL;
}

static char *
team_id (const char *name)
{
  g_autoptr(JsonNode) teams = baton_test_expect (server, "GET", "/api/v1/teams",
                                                 server->manager_token, NULL, 200, NULL);

  return g_strdup (json_object_get_string_member (find_team (teams, name), "id"));
}

/* The demo's "Business hours": Monday to Friday 9:00–18:00 and Saturday 10:00–14:00 in
 * London, closed on the holidays given. */
static gboolean
business_hours (gint64     ms,
                JsonArray *holidays)
{
  g_autoptr(GTimeZone) london = g_time_zone_new_identifier ("Europe/London");
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *date = NULL;
  int day, minute;

  g_assert_nonnull (london);
  local = g_date_time_to_timezone (utc, london);
  date = g_date_time_format (local, "%Y-%m-%d");
  if (array_has (holidays, date))
    return FALSE;
  day = g_date_time_get_day_of_week (local);
  minute = g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local);
  if (day <= 5)
    return minute >= 9 * 60 && minute < 18 * 60;
  if (day == 6)
    return minute >= 10 * 60 && minute < 14 * 60;
  return FALSE;
}

static void
test_people (void)
{
  g_autoptr(JsonNode) agents = baton_test_expect (server, "GET", "/api/v1/agents",
                                                  server->manager_token, NULL, 200, NULL);
  g_autoptr(JsonNode) teams = baton_test_expect (server, "GET", "/api/v1/teams",
                                                 server->manager_token, NULL, 200, NULL);
  g_autoptr(JsonNode) channels = baton_test_expect (server, "GET", "/api/v1/channels",
                                                    server->manager_token, NULL, 200, NULL);
  g_autoptr(JsonNode) contacts = baton_test_expect (server, "GET", "/api/v1/contacts?limit=500",
                                                    server->manager_token, NULL, 200, NULL);
  const char *support_id = NULL;
  JsonObject *support = NULL, *sales = NULL, *vip_desk = NULL, *night = NULL;
  JsonArray *vip_members = NULL;
  const char *default_user = NULL, *backup_user = NULL;
  guint managers = 0, owned = 0, tagged = 0, with_fields = 0;
  gboolean round_robin = FALSE, least_busy = FALSE, default_user_strategy = FALSE;

  g_assert_cmpuint (json_array_get_length (items_of (agents)), ==, 6);
  for (guint i = 0; i < 6; i++)
    {
      JsonObject *agent = json_array_get_object_element (items_of (agents), i);

      g_assert_true (g_str_has_suffix (json_object_get_string_member (agent, "email"),
                                       "@demo.baton.chat"));
      managers += g_str_equal (json_object_get_string_member (agent, "role"), "manager");
    }
  g_assert_cmpuint (managers, ==, 1);

  /* One team per strategy, and more */
  g_assert_cmpuint (json_array_get_length (items_of (teams)), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      JsonObject *team = json_array_get_object_element (items_of (teams), i);
      const char *strategy = json_object_get_string_member (team, "strategy");

      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (team, "member_ids")),
                        >=, 2);
      round_robin |= g_str_equal (strategy, "round_robin");
      least_busy |= g_str_equal (strategy, "least_busy");
      default_user_strategy |= g_str_equal (strategy, "default_user");
    }
  g_assert_true (round_robin && least_busy && default_user_strategy);

  support = find_team (teams, "Support");
  support_id = json_object_get_string_member (support, "id");
  g_assert_cmpstr (json_object_get_string_member (support, "strategy"), ==, "round_robin");
  g_assert_true (json_object_get_boolean_member (support, "only_online"));
  g_assert_cmpint (json_object_get_int_member (support, "reassign_after_minutes"), ==, 15);

  sales = find_team (teams, "Sales");
  g_assert_cmpstr (json_object_get_string_member (sales, "strategy"), ==, "least_busy");
  g_assert_true (json_object_get_null_member (sales, "reassign_after_minutes"));

  /* A default user and a backup, both members, who take VIPs even when signed out */
  vip_desk = find_team (teams, "VIP desk");
  vip_members = json_object_get_array_member (vip_desk, "member_ids");
  default_user = json_object_get_string_member (vip_desk, "default_user_id");
  backup_user = json_object_get_string_member (vip_desk, "backup_user_id");
  g_assert_cmpstr (json_object_get_string_member (vip_desk, "strategy"), ==, "default_user");
  g_assert_nonnull (default_user);
  g_assert_nonnull (backup_user);
  g_assert_cmpstr (default_user, !=, backup_user);
  g_assert_true (array_has (vip_members, default_user));
  g_assert_true (array_has (vip_members, backup_user));
  g_assert_false (json_object_get_boolean_member (vip_desk, "only_online"));
  g_assert_true (json_object_get_null_member (vip_desk, "reassign_after_minutes"));

  /* The night crew takes conversations while nobody is signed in. */
  night = find_team (teams, "Night");
  g_assert_cmpstr (json_object_get_string_member (night, "strategy"), ==, "round_robin");
  g_assert_false (json_object_get_boolean_member (night, "only_online"));
  g_assert_true (json_object_get_null_member (night, "default_user_id"));

  g_assert_cmpuint (json_array_get_length (items_of (channels)), ==, 1);
  g_assert_cmpstr (baton_test_get_string (channels, "items.0.kind"), ==, "api");
  g_assert_cmpstr (baton_test_get_string (channels, "items.0.default_team_id"), ==, support_id);

  g_assert_cmpuint (json_array_get_length (items_of (contacts)), ==, 30);
  for (guint i = 0; i < 30; i++)
    {
      JsonObject *contact = json_array_get_object_element (items_of (contacts), i);

      owned += json_array_get_length (json_object_get_array_member (contact, "owner_ids")) > 0;
      tagged += json_array_get_length (json_object_get_array_member (contact, "tags")) > 0;
      with_fields += json_object_get_size (json_object_get_object_member (contact, "fields")) > 0;
    }
  g_assert_cmpuint (owned, >=, 2);
  g_assert_cmpuint (tagged, >=, 2);
  g_assert_cmpuint (with_fields, >=, 2);
}

/* Business hours, and the two flows in routing order: the same rules for a new conversation
 * and for a returning customer (one flow runs per event): VIPs to the VIP desk, else outside
 * business hours to the night crew with a reply. */
static void
test_routing (void)
{
  g_autoptr(JsonNode) schedules = baton_test_expect (server, "GET", "/api/v1/schedules",
                                                     server->manager_token, NULL, 200, NULL);
  g_autoptr(JsonNode) flows = baton_test_expect (server, "GET", "/api/v1/flows",
                                                 server->manager_token, NULL, 200, NULL);
  g_autofree char *vip_desk = team_id ("VIP desk");
  g_autofree char *night = team_id ("Night");
  static const char * const days[] = { "mon", "tue", "wed", "thu", "fri", "sat" };
  static const char * const events[] = { "conversation.created", "conversation.reopened" };
  static const char * const names[] = { "New conversations", "Returning customers" };
  const char *schedule_id = NULL;

  g_assert_cmpuint (json_array_get_length (items_of (schedules)), ==, 1);
  g_assert_null (baton_test_get_string (schedules, "next_cursor"));
  schedule_id = baton_test_get_string (schedules, "items.0.id");
  g_assert_nonnull (schedule_id);
  g_assert_cmpstr (baton_test_get_string (schedules, "items.0.name"), ==, "Business hours");
  g_assert_cmpstr (baton_test_get_string (schedules, "items.0.timezone"), ==, "Europe/London");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json_object_get_member (
    json_array_get_object_element (items_of (schedules), 0), "weekly"))), ==, 6);
  for (guint i = 0; i < G_N_ELEMENTS (days); i++)
    {
      g_autofree char *day = g_strdup_printf ("items.0.weekly.%u.day", i);
      g_autofree char *from = g_strdup_printf ("items.0.weekly.%u.from", i);
      g_autofree char *to = g_strdup_printf ("items.0.weekly.%u.to", i);
      gboolean saturday = g_str_equal (days[i], "sat");

      g_assert_cmpstr (baton_test_get_string (schedules, day), ==, days[i]);
      g_assert_cmpstr (baton_test_get_string (schedules, from), ==, saturday ? "10:00" : "09:00");
      g_assert_cmpstr (baton_test_get_string (schedules, to), ==, saturday ? "14:00" : "18:00");
    }
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json_object_get_member (
    json_array_get_object_element (items_of (schedules), 0), "holidays"))), ==, 2);

  g_assert_cmpuint (json_array_get_length (items_of (flows)), ==, 2);
  g_assert_null (baton_test_get_string (flows, "next_cursor"));
  for (guint i = 0; i < 2; i++)
    {
      JsonNode *flow = json_array_get_element (items_of (flows), i);

      g_assert_cmpstr (baton_test_get_string (flow, "name"), ==, names[i]);
      g_assert_cmpint (baton_test_get_int (flow, "position"), ==, i + 1);
      g_assert_true (baton_test_get_bool (flow, "enabled"));
      g_assert_cmpstr (baton_test_get_string (flow, "trigger.on"), ==, events[i]);
      g_assert_null (baton_test_get_string (flow, "trigger.channel_ids"));
      /* VIPs first */
      g_assert_cmpstr (baton_test_get_string (flow, "steps.0.type"), ==, "condition");
      g_assert_cmpstr (baton_test_get_string (flow, "steps.0.conditions.0.field"), ==,
                       "contact.tags");
      g_assert_cmpstr (baton_test_get_string (flow, "steps.0.conditions.0.op"), ==, "includes");
      g_assert_cmpstr (baton_test_get_string (flow, "steps.0.conditions.0.value"), ==, "vip");
      g_assert_cmpstr (baton_test_get_string (flow, "steps.0.then.0.type"), ==, "assign_team");
      g_assert_cmpstr (baton_test_get_string (flow, "steps.0.then.0.team_id"), ==, vip_desk);
      /* then the time of day */
      g_assert_cmpstr (baton_test_get_string (flow, "steps.0.else.0.conditions.0.field"), ==,
                       "time");
      g_assert_cmpstr (baton_test_get_string (flow, "steps.0.else.0.conditions.0.op"), ==,
                       "outside");
      g_assert_cmpstr (baton_test_get_string (flow, "steps.0.else.0.conditions.0.value"), ==,
                       schedule_id);
      g_assert_cmpstr (baton_test_get_string (flow, "steps.0.else.0.then.0.type"), ==,
                       "assign_team");
      g_assert_cmpstr (baton_test_get_string (flow, "steps.0.else.0.then.0.team_id"), ==, night);
      g_assert_cmpstr (baton_test_get_string (flow, "steps.0.else.0.then.0.conversation_tags.0"),
                       ==, "after-hours");
      g_assert_cmpstr (baton_test_get_string (flow, "steps.0.else.0.then.1.type"), ==,
                       "send_message");
      g_assert_cmpstr (baton_test_get_string (flow, "steps.0.else.0.then.1.body"), ==,
                       AFTER_HOURS_REPLY);
    }
}

static void
test_conversations (void)
{
  static const char * const expected_kinds[] = { "inbound", "outbound", "note", "activity" };
  static const char * const expected_vias[] = {
    "channel_default", "contact_owner", "first_reply", "claim", "manual", "resolve", "reopen",
  };
  g_autoptr(JsonNode) list = baton_test_expect (server, "GET", "/api/v1/conversations?limit=500",
                                                server->manager_token, NULL, 200, NULL);
  g_autoptr(GHashTable) statuses = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) kinds = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) vias = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *items = items_of (list);
  gint64 now = g_get_real_time () / 1000;
  g_autofree char *vip_desk = team_id ("VIP desk");
  g_autofree char *night = team_id ("Night");
  guint french = 0, french_words = 0, queued = 0, assigned_new = 0, teamless = 0, tagged = 0;
  guint long_threads = 0;

  g_assert_null (baton_test_get_string (list, "next_cursor"));
  g_assert_cmpuint (json_array_get_length (items), ==, 60);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *conversation = json_array_get_object_element (items, i);
      const char *id = json_object_get_string_member (conversation, "id");
      const char *status = json_object_get_string_member (conversation, "status");
      const char *phone = json_object_get_string_member (
        json_object_get_object_member (conversation, "contact"), "phone");
      gboolean has_team = !json_object_get_null_member (conversation, "team_id");
      guint assignees = json_array_get_length (
        json_object_get_array_member (conversation, "assignee_ids"));
      g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/messages?limit=100",
                                               id);
      g_autoptr(JsonNode) messages = baton_test_expect (server, "GET", path,
                                                        server->manager_token, NULL, 200, NULL);
      JsonArray *thread = items_of (messages);
      guint n = json_array_get_length (thread);
      guint said = 0;
      gint64 newer = G_MAXINT64;

      /* The history was written before the flows: none of it went their way. */
      g_assert_cmpstr (json_object_get_string_member (conversation, "team_id"), !=, vip_desk);
      g_assert_cmpstr (json_object_get_string_member (conversation, "team_id"), !=, night);
      g_hash_table_add (statuses, (gpointer) g_intern_string (status));
      tagged += json_array_get_length (json_object_get_array_member (conversation, "tags")) > 0;
      if (g_str_equal (status, "new"))
        {
          queued += has_team && assignees == 0;
          assigned_new += assignees > 0;
          teamless += !has_team && assignees == 0;
        }
      else if (g_str_equal (status, "resolved"))
        {
          /* unassign_on_resolve is on */
          g_assert_cmpuint (assignees, ==, 0);
        }
      if (writes_french (phone))
        french++;

      /* Newest first: a history in the past, in time order, started by the customer. */
      g_assert_cmpuint (n, >=, 2);
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (thread,
                                                                                    n - 1),
                                                      "kind"), ==, "inbound");
      for (guint m = 0; m < n; m++)
        {
          JsonObject *message = json_array_get_object_element (thread, m);
          const char *kind = json_object_get_string_member (message, "kind");
          gint64 at = time_ms (json_object_get_string_member (message, "created_at"));

          g_assert_cmpint (at, <=, now);
          g_assert_cmpint (at, <=, newer);
          newer = at;
          g_hash_table_add (kinds, (gpointer) g_intern_string (kind));
          if (g_str_equal (kind, "activity"))
            g_hash_table_add (vias, g_strdup (baton_test_get_string (
              json_array_get_element (thread, m), "activity.via")));
          else if (g_str_equal (kind, "inbound") || g_str_equal (kind, "outbound"))
            said++;
          if (g_str_equal (kind, "inbound") && writes_french (phone)
              && strstr (json_object_get_string_member (message, "body"), "Bonjour"))
            french_words++;
        }
      if (g_str_equal (status, "in_progress"))
        {
          g_assert_cmpuint (said, >=, 3);
          g_assert_cmpuint (said, <=, 10);
          long_threads++;
        }
    }

  g_assert_true (g_hash_table_contains (statuses, "new"));
  g_assert_true (g_hash_table_contains (statuses, "in_progress"));
  g_assert_true (g_hash_table_contains (statuses, "resolved"));
  g_assert_cmpuint (queued, >=, 1);
  g_assert_cmpuint (assigned_new, >=, 1);
  g_assert_cmpuint (teamless, >=, 1);
  g_assert_cmpuint (long_threads, >=, 5);
  g_assert_cmpuint (tagged, >=, 10);
  /* About a third in French. */
  g_assert_cmpuint (french, >=, 15);
  g_assert_cmpuint (french, <=, 30);
  g_assert_cmpuint (french_words, >=, 1);
  for (guint i = 0; i < G_N_ELEMENTS (expected_kinds); i++)
    g_assert_true (g_hash_table_contains (kinds, expected_kinds[i]));
  for (guint i = 0; i < G_N_ELEMENTS (expected_vias); i++)
    g_assert_true (g_hash_table_contains (vias, expected_vias[i]));
}

static void
test_logins (void)
{
  g_autoptr(GPtrArray) logins = read_logins ();
  guint managers = 0;

  g_assert_cmpuint (logins->len, ==, 6);
  for (guint i = 0; i < logins->len; i++)
    {
      Login *login = logins->pdata[i];
      g_autofree char *token = baton_test_login (server, login->email, login->password);
      g_autoptr(JsonNode) me = baton_test_expect (server, "GET", "/api/v1/me", token, NULL, 200,
                                                  NULL);

      g_assert_cmpstr (baton_test_get_string (me, "email"), ==, login->email);
      g_assert_cmpstr (baton_test_get_string (me, "role"), ==, login->role);
      managers += g_str_equal (login->role, "manager");
    }
  g_assert_cmpuint (managers, ==, 1);
}

/* A second start finds the workspace: it serves it as it is and prints the logins again. */
static void
test_restart (void)
{
  g_autoptr(GPtrArray) logins = NULL;

  baton_test_server_stop (server);
  g_assert_cmpint (g_unlink (log_path), ==, 0);
  start_demo (NULL);
  logins = read_logins ();
  g_assert_cmpuint (logins->len, ==, 6);
  g_free (server->manager_token);
  server->manager_token = sign_in_as_manager ();
  g_assert_cmpuint (count_items ("/api/v1/agents"), ==, 6);
  g_assert_cmpuint (count_items ("/api/v1/teams"), ==, 4);
  g_assert_cmpuint (count_items ("/api/v1/schedules"), ==, 1);
  g_assert_cmpuint (count_items ("/api/v1/flows"), ==, 2);
  g_assert_cmpuint (count_items ("/api/v1/channels"), ==, 1);
  g_assert_cmpuint (count_items ("/api/v1/contacts?limit=500"), ==, 30);
  g_assert_cmpuint (count_items ("/api/v1/conversations?limit=500"), ==, 60);
}

/* Whether a conversation the simulation started went where the flow "New conversations"
 * sends it; FALSE when it cannot tell (too close to opening or closing time). *vip says
 * which rule applied. */
static gboolean
check_routed (JsonObject *conversation,
              JsonArray  *holidays,
              JsonObject *vip_desk,
              const char *support,
              const char *night,
              gboolean   *vip)
{
  const char *id = json_object_get_string_member (conversation, "id");
  const char *team = json_object_get_string_member (conversation, "team_id");
  JsonArray *tags = json_object_get_array_member (conversation, "tags");
  JsonArray *assignees = json_object_get_array_member (conversation, "assignee_ids");
  gint64 created = time_ms (json_object_get_string_member (conversation, "created_at"));
  g_autoptr(JsonNode) contact = get_path ("/api/v1/contacts/%s", json_object_get_string_member (
    json_object_get_object_member (conversation, "contact"), "id"));
  g_autoptr(JsonNode) thread = NULL;
  JsonArray *messages = NULL;
  gboolean open = business_hours (created, holidays);
  gboolean replied = FALSE;

  *vip = array_has (json_object_get_array_member (json_node_get_object (contact), "tags"),
                    "vip");
  if (*vip)
    {
      g_autoptr(JsonNode) default_user = get_path ("/api/v1/agents/%s",
                                                   json_object_get_string_member (
                                                     vip_desk, "default_user_id"));
      g_autofree char *line = g_strdup_printf ("Assigned to %s in VIP desk by flow"
                                               " New conversations",
                                               baton_test_get_string (default_user, "name"));

      /* Nobody of the VIP desk is signed in: its default user gets the chat all the same. */
      thread = get_path ("/api/v1/conversations/%s/messages?limit=100", id);
      g_assert_cmpstr (team, ==, json_object_get_string_member (vip_desk, "id"));
      g_assert_cmpuint (json_array_get_length (assignees), ==, 1);
      g_assert_cmpstr (json_array_get_string_element (assignees, 0), ==,
                       json_object_get_string_member (vip_desk, "default_user_id"));
      g_assert_true (array_has (tags, "vip"));
      messages = items_of (thread);
      for (guint m = 0; m < json_array_get_length (messages); m++)
        {
          JsonNode *message = json_array_get_element (messages, m);

          if (g_strcmp0 (baton_test_get_string (message, "kind"), "activity") == 0)
            {
              g_assert_cmpstr (baton_test_get_string (message, "body"), ==, line);
              g_assert_true (g_str_has_prefix (baton_test_get_string (message, "activity.via"),
                                               "flow:"));
              return TRUE;
            }
        }
      g_assert_not_reached ();
    }
  if (open != business_hours (created - 5000, holidays)
      || open != business_hours (created + 5000, holidays))
    return FALSE;
  if (open)
    {
      /* Nothing matched: the channel's default team */
      g_assert_cmpstr (team, ==, support);
      g_assert_false (array_has (tags, "after-hours"));
      return TRUE;
    }
  thread = get_path ("/api/v1/conversations/%s/messages?limit=100", id);
  messages = items_of (thread);
  g_assert_cmpstr (team, ==, night);
  g_assert_cmpuint (json_array_get_length (assignees), ==, 1);
  g_assert_true (array_has (tags, "after-hours"));
  for (guint m = 0; m < json_array_get_length (messages); m++)
    {
      JsonNode *message = json_array_get_element (messages, m);

      replied |= g_strcmp0 (baton_test_get_string (message, "kind"), "outbound") == 0
                 && g_strcmp0 (baton_test_get_string (message, "author.type"), "system") == 0
                 && g_strcmp0 (baton_test_get_string (message, "body"), AFTER_HOURS_REPLY) == 0;
    }
  g_assert_true (replied);
  return TRUE;
}

/* The simulated customers' new conversations go through the flows: the first simulated
 * message comes from a VIP, and the others go to Support or, outside business hours, to the
 * night crew. */
static void
check_simulated_routing (gint64 started)
{
  g_autoptr(JsonNode) teams = baton_test_expect (server, "GET", "/api/v1/teams",
                                                 server->manager_token, NULL, 200, NULL);
  g_autoptr(JsonNode) schedules = baton_test_expect (server, "GET", "/api/v1/schedules",
                                                     server->manager_token, NULL, 200, NULL);
  JsonObject *vip_desk = find_team (teams, "VIP desk");
  const char *support = json_object_get_string_member (find_team (teams, "Support"), "id");
  const char *night = json_object_get_string_member (find_team (teams, "Night"), "id");
  JsonArray *holidays = json_object_get_array_member (
    json_array_get_object_element (items_of (schedules), 0), "holidays");
  gint64 deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  g_autoptr(GHashTable) checked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint vips = 0, others = 0;

  while ((vips == 0 || others == 0) && g_get_monotonic_time () < deadline)
    {
      g_autoptr(JsonNode) list = baton_test_expect (server, "GET",
                                                    "/api/v1/conversations?limit=500",
                                                    server->manager_token, NULL, 200, NULL);
      JsonArray *items = items_of (list);

      g_assert_null (baton_test_get_string (list, "next_cursor"));
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *conversation = json_array_get_object_element (items, i);
          const char *id = json_object_get_string_member (conversation, "id");
          gboolean vip = FALSE;

          /* Reopened threads were created long ago. */
          if (time_ms (json_object_get_string_member (conversation, "created_at")) < started
              || g_hash_table_contains (checked, id))
            continue;
          g_hash_table_add (checked, g_strdup (id));
          if (check_routed (conversation, holidays, vip_desk, support, night, &vip))
            {
              vips += vip;
              others += !vip;
            }
        }
      if (vips == 0 || others == 0)
        g_usleep (200 * 1000);
    }
  g_assert_cmpuint (vips, >=, 1);
  g_assert_cmpuint (others, >=, 1);
}

static void
test_simulate (void)
{
  g_autoptr(JsonObject) frame = NULL;
  BatonTestStream *stream = NULL;
  gint64 deadline = 0;
  gint64 started = 0;
  guint http_status = 0;

  baton_test_server_stop (server);
  started = g_get_real_time () / 1000;
  start_demo ("600");
  g_free (server->manager_token);
  server->manager_token = sign_in_as_manager ();
  stream = baton_test_stream_open (server, server->manager_token, NULL, &http_status);
  g_assert_nonnull (stream);

  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (frame == NULL && g_get_monotonic_time () < deadline)
    {
      guint left = (guint) ((deadline - g_get_monotonic_time ()) / 1000) + 1;

      frame = baton_test_stream_wait (stream, "message.created", NULL, left);
      if (frame && g_strcmp0 (json_object_get_string_member (
                                json_object_get_object_member (frame, "data"), "kind"),
                              "inbound") != 0)
        g_clear_pointer (&frame, json_object_unref);
    }
  baton_test_stream_close (stream);
  g_assert_nonnull (frame);

  {
    JsonObject *message = json_object_get_object_member (frame, "data");
    g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s",
                                             json_object_get_string_member (message,
                                                                            "conversation_id"));
    g_autoptr(JsonNode) conversation = baton_test_expect (server, "GET", path,
                                                          server->manager_token, NULL, 200,
                                                          NULL);

    g_assert_nonnull (json_object_get_string_member (message, "external_id"));
    g_assert_cmpstr (baton_test_get_string (conversation, "status"), !=, "resolved");
    g_assert_cmpint (time_ms (json_object_get_string_member (message, "created_at")), >,
                     g_get_real_time () / 1000 - 60 * 1000);
  }
  check_simulated_routing (started);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (g_getenv ("BATOND"));

  server = g_new0 (BatonTestServer, 1);
  server->data_dir = g_dir_make_tmp ("batond-demo-XXXXXX", &error);
  g_assert_no_error (error);
  server->extra_args = g_ptr_array_new_with_free_func (g_free);
  server->session = soup_session_new_with_options ("timeout", 30, NULL);
  log_path = g_build_filename (server->data_dir, "batond.log", NULL);
  start_demo (NULL);
  server->manager_token = sign_in_as_manager ();

  g_test_add_func ("/demo/people", test_people);
  g_test_add_func ("/demo/routing", test_routing);
  g_test_add_func ("/demo/conversations", test_conversations);
  g_test_add_func ("/demo/logins", test_logins);
  g_test_add_func ("/demo/restart", test_restart);
  g_test_add_func ("/demo/simulate", test_simulate);

  status = g_test_run ();
  baton_test_server_free (server);
  g_free (log_path);
  return status;
}
