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
  guint managers = 0, owned = 0, tagged = 0, with_fields = 0;
  gboolean round_robin = FALSE, least_busy = FALSE;

  g_assert_cmpuint (json_array_get_length (items_of (agents)), ==, 6);
  for (guint i = 0; i < 6; i++)
    {
      JsonObject *agent = json_array_get_object_element (items_of (agents), i);

      g_assert_true (g_str_has_suffix (json_object_get_string_member (agent, "email"),
                                       "@demo.baton.chat"));
      managers += g_str_equal (json_object_get_string_member (agent, "role"), "manager");
    }
  g_assert_cmpuint (managers, ==, 1);

  g_assert_cmpuint (json_array_get_length (items_of (teams)), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *team = json_array_get_object_element (items_of (teams), i);
      const char *name = json_object_get_string_member (team, "name");
      const char *strategy = json_object_get_string_member (team, "strategy");

      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (team, "member_ids")),
                        >=, 2);
      round_robin |= g_str_equal (strategy, "round_robin");
      least_busy |= g_str_equal (strategy, "least_busy");
      if (g_str_equal (name, "Support"))
        support_id = json_object_get_string_member (team, "id");
      else
        g_assert_cmpstr (name, ==, "Sales");
    }
  g_assert_true (round_robin && least_busy);
  g_assert_nonnull (support_id);

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
  g_assert_cmpuint (count_items ("/api/v1/teams"), ==, 2);
  g_assert_cmpuint (count_items ("/api/v1/channels"), ==, 1);
  g_assert_cmpuint (count_items ("/api/v1/contacts?limit=500"), ==, 30);
  g_assert_cmpuint (count_items ("/api/v1/conversations?limit=500"), ==, 60);
}

static void
test_simulate (void)
{
  g_autoptr(JsonObject) frame = NULL;
  BatonTestStream *stream = NULL;
  gint64 deadline = 0;
  guint http_status = 0;

  baton_test_server_stop (server);
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
  g_test_add_func ("/demo/conversations", test_conversations);
  g_test_add_func ("/demo/logins", test_logins);
  g_test_add_func ("/demo/restart", test_restart);
  g_test_add_func ("/demo/simulate", test_simulate);

  status = g_test_run ();
  baton_test_server_free (server);
  g_free (log_path);
  return status;
}
