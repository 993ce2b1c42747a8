/* test-demo.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "baton-test-helpers.h"

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
start_demo (const char *simulate)
{
  g_autofree char *data_dir = g_build_filename (server->data_dir, "data", NULL);
  const char *argv[] = {
    g_getenv ("BATOND"), "demo", "--data-dir", data_dir, "--listen", "127.0.0.1:0",
    simulate ? "--simulate" : NULL, simulate, NULL
  };

  baton_test_server_spawn (server, argv, log_path);
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
  return json_array_get_length (baton_test_items (node));
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

/* The team of that name, as GET /api/v1/teams gives it; asserts there is one. */
static JsonObject *
find_team (JsonNode   *teams,
           const char *name)
{
  JsonArray *items = baton_test_items (teams);

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

/* The id of the demo's channel of that kind ("api": the website chat, "whatsapp": its
 * WhatsApp number); asserts there is exactly one. */
static char *
channel_of_kind (const char *kind)
{
  g_autoptr(JsonNode) channels = baton_test_expect (server, "GET", "/api/v1/channels",
                                                    server->manager_token, NULL, 200, NULL);
  JsonArray *items = baton_test_items (channels);
  char *id = NULL;

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *channel = json_array_get_object_element (items, i);

      if (g_str_equal (json_object_get_string_member (channel, "kind"), kind))
        {
          g_assert_null (id);
          id = g_strdup (json_object_get_string_member (channel, "id"));
        }
    }
  g_assert_nonnull (id);
  return id;
}

/* Every item of a list (path ends with its query string), page after page, in order. */
static JsonArray *
list_all (const char *path)
{
  JsonArray *all = json_array_new ();
  g_autofree char *cursor = NULL;

  do
    {
      g_autofree char *page_path = cursor
                                   ? g_strdup_printf ("%s&limit=500&cursor=%s", path, cursor)
                                   : g_strdup_printf ("%s&limit=500", path);
      g_autoptr(JsonNode) page = baton_test_expect (server, "GET", page_path,
                                                    server->manager_token, NULL, 200, NULL);
      JsonArray *items = baton_test_items (page);

      for (guint i = 0; i < json_array_get_length (items); i++)
        json_array_add_element (all, json_node_copy (json_array_get_element (items, i)));
      g_free (cursor);
      cursor = g_strdup (baton_test_get_string (page, "next_cursor"));
    }
  while (cursor);
  return all;
}

/* The conversations of one channel, in the list's order. */
static JsonArray *
conversations_of (const char *channel_id)
{
  g_autoptr(JsonArray) all = list_all ("/api/v1/conversations?");
  JsonArray *kept = json_array_new ();

  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      JsonNode *conversation = json_array_get_element (all, i);

      if (g_strcmp0 (baton_test_get_string (conversation, "channel_id"), channel_id) == 0)
        json_array_add_element (kept, json_node_copy (conversation));
    }
  return kept;
}

/* The website chat's hand-written threads: the first started 6 days and 6 hours before the
 * demo did, the generated history an hour before that. */
static JsonArray *
hand_written_conversations (void)
{
  g_autofree char *chat = channel_of_kind ("api");
  g_autoptr(JsonArray) all = conversations_of (chat);
  JsonArray *kept = json_array_new ();
  gint64 since = g_get_real_time () / 1000 - (gint64) (6 * 24 + 6) * 3600 * 1000 - 30 * 60 * 1000;

  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      JsonNode *conversation = json_array_get_element (all, i);

      if (time_ms (baton_test_get_string (conversation, "created_at")) >= since)
        json_array_add_element (kept, json_node_copy (conversation));
    }
  return kept;
}

/* The contacts the website chat brought (WhatsApp's have a wa_id). */
static guint
count_chat_contacts (void)
{
  g_autoptr(JsonArray) contacts = list_all ("/api/v1/contacts?");
  guint count = 0;

  for (guint i = 0; i < json_array_get_length (contacts); i++)
    count += json_object_get_null_member (json_array_get_object_element (contacts, i), "wa_id");
  return count;
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
  g_autoptr(JsonArray) contacts = list_all ("/api/v1/contacts?");
  const char *support_id = NULL;
  JsonObject *support = NULL, *sales = NULL, *vip_desk = NULL, *night = NULL;
  JsonArray *vip_members = NULL;
  const char *default_user = NULL, *backup_user = NULL;
  guint managers = 0, owned = 0, tagged = 0, with_fields = 0;
  gboolean round_robin = FALSE, least_busy = FALSE, default_user_strategy = FALSE;

  g_assert_cmpuint (json_array_get_length (baton_test_items (agents)), ==, 6);
  for (guint i = 0; i < 6; i++)
    {
      JsonObject *agent = json_array_get_object_element (baton_test_items (agents), i);

      g_assert_true (g_str_has_suffix (json_object_get_string_member (agent, "email"),
                                       "@demo.baton.chat"));
      managers += g_str_equal (json_object_get_string_member (agent, "role"), "manager");
    }
  g_assert_cmpuint (managers, ==, 1);

  /* One team per strategy, and more */
  g_assert_cmpuint (json_array_get_length (baton_test_items (teams)), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      JsonObject *team = json_array_get_object_element (baton_test_items (teams), i);
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

  /* the website chat first, then the WhatsApp number (see /demo/whatsapp-channel) */
  g_assert_cmpuint (json_array_get_length (baton_test_items (channels)), ==, 2);
  g_assert_cmpstr (baton_test_get_string (channels, "items.0.kind"), ==, "api");
  g_assert_cmpstr (baton_test_get_string (channels, "items.0.default_team_id"), ==, support_id);
  g_assert_cmpstr (baton_test_get_string (channels, "items.1.kind"), ==, "whatsapp");

  /* WhatsApp's customers (with a wa_id) may be arriving while this runs; the 30
   * hand-written customers and the history's hundreds wrote on the website chat. */
  g_assert_cmpuint (count_chat_contacts (), >=, 30 + 200);
  for (guint i = 0; i < json_array_get_length (contacts); i++)
    {
      JsonObject *contact = json_array_get_object_element (contacts, i);

      if (!json_object_get_null_member (contact, "wa_id"))
        continue;
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

  g_assert_cmpuint (json_array_get_length (baton_test_items (schedules)), ==, 1);
  g_assert_null (baton_test_get_string (schedules, "next_cursor"));
  schedule_id = baton_test_get_string (schedules, "items.0.id");
  g_assert_nonnull (schedule_id);
  g_assert_cmpstr (baton_test_get_string (schedules, "items.0.name"), ==, "Business hours");
  g_assert_cmpstr (baton_test_get_string (schedules, "items.0.timezone"), ==, "Europe/London");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json_object_get_member (
    json_array_get_object_element (baton_test_items (schedules), 0), "weekly"))), ==, 6);
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
    json_array_get_object_element (baton_test_items (schedules), 0), "holidays"))), ==, 2);

  g_assert_cmpuint (json_array_get_length (baton_test_items (flows)), ==, 2);
  g_assert_null (baton_test_get_string (flows, "next_cursor"));
  for (guint i = 0; i < 2; i++)
    {
      JsonNode *flow = json_array_get_element (baton_test_items (flows), i);

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
  g_autoptr(JsonArray) items = hand_written_conversations ();
  g_autoptr(GHashTable) statuses = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) kinds = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) vias = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 now = g_get_real_time () / 1000;
  g_autofree char *vip_desk = team_id ("VIP desk");
  g_autofree char *night = team_id ("Night");
  guint french = 0, french_words = 0, queued = 0, assigned_new = 0, teamless = 0, tagged = 0;
  guint long_threads = 0;

  /* the website chat's hand-written threads (/demo/history checks the generated ones);
   * WhatsApp's conversations are /demo/whatsapp-conversations' */
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
      JsonArray *thread = baton_test_items (messages);
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

#define DAY_MS ((gint64) 24 * 3600 * 1000)

/* GET /reports/summary for [from, to) as the manager of that server. */
static JsonNode *
report (BatonTestServer *on,
        gint64           from,
        gint64           to)
{
  g_autoptr(GDateTime) from_time = g_date_time_new_from_unix_utc (from / 1000);
  g_autoptr(GDateTime) to_time = g_date_time_new_from_unix_utc (to / 1000);
  g_autofree char *from_text = g_date_time_format_iso8601 (from_time);
  g_autofree char *to_text = g_date_time_format_iso8601 (to_time);
  g_autofree char *path = g_strdup_printf ("/api/v1/reports/summary?from=%s&to=%s",
                                           from_text, to_text);

  return baton_test_expect (on, "GET", path, on->manager_token, NULL, 200, NULL);
}

/* Today's date in London, where the demo's history is anchored. */
static char *
london_date (void)
{
  g_autoptr(GTimeZone) london = g_time_zone_new_identifier ("Europe/London");
  g_autoptr(GDateTime) local = g_date_time_new_now (london);

  return g_date_time_format (local, "%F");
}

static char *demo_date;

/* Several weeks of history: a manager's report of the last 30 days has hundreds of
 * conversations, answered, resolved and some reopened, every agent with work, a fast and a
 * slow agent; the 30 days before the hand-written week (whose threads follow the time the
 * demo started, today's the most) are busier on weekdays than at weekends, busiest in working
 * hours, with a few messages late in the evening. */
static void
test_history (void)
{
  gint64 now = g_get_real_time () / 1000;
  g_autoptr(JsonNode) summary = report (server, now - 30 * DAY_MS, now);
  g_autoptr(JsonNode) before = report (server, now - 37 * DAY_MS, now - 7 * DAY_MS);
  JsonObject *object = json_node_get_object (before);
  JsonArray *hours = json_object_get_array_member (object, "created_by_hour");
  JsonObject *weekdays = json_object_get_object_member (object, "created_by_weekday");
  JsonArray *agents = json_object_get_array_member (json_node_get_object (summary), "agents");
  static const char * const days[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
  gint64 working = 0, weekend = 0, tom = -1, sofia = -1;
  guint peak = 0;

  g_assert_cmpint (baton_test_get_int (summary, "created"), >=, 180);
  g_assert_cmpint (baton_test_get_int (summary, "created"), <, 1000);
  g_assert_cmpint (baton_test_get_int (summary, "first_response.count"), >, 100);
  g_assert_cmpint (baton_test_get_int (summary, "resolution.count"), >, 100);
  g_assert_cmpint (baton_test_get_int (summary, "reopened"), >, 0);
  /* from minutes to days */
  g_assert_cmpint (baton_test_get_int (summary, "resolution.median"), <,
                   baton_test_get_int (summary, "resolution.p90"));
  g_assert_cmpint (baton_test_get_int (summary, "resolution.p90"), >, 24 * 3600);

  g_assert_cmpuint (json_array_get_length (agents), ==, 6);
  for (guint i = 0; i < json_array_get_length (agents); i++)
    {
      JsonNode *agent = json_array_get_element (agents, i);
      const char *name = baton_test_get_string (agent, "name");

      g_assert_cmpint (baton_test_get_int (agent, "assigned"), >, 0);
      g_assert_cmpint (baton_test_get_int (agent, "replies"), >, 0);
      /* both answer many chats, Tom fast and Sofia slowly */
      if (g_str_equal (name, "Tom Becker"))
        tom = baton_test_get_int (agent, "first_response.median");
      else if (g_str_equal (name, "Sofia Rossi"))
        sofia = baton_test_get_int (agent, "first_response.median");
      if (g_str_equal (name, "Tom Becker") || g_str_equal (name, "Sofia Rossi"))
        g_assert_cmpint (baton_test_get_int (agent, "first_response.count"), >, 20);
    }
  g_assert_cmpint (tom, >, 0);
  g_assert_cmpint (tom, <, sofia);

  /* per day of the week: Monday to Friday against Saturday and Sunday */
  for (guint i = 0; i < 7; i++)
    if (i < 5)
      working += json_object_get_int_member (weekdays, days[i]);
    else
      weekend += json_object_get_int_member (weekdays, days[i]);
  g_assert_cmpint (working / 5, >, weekend / 2);
  for (guint hour = 0; hour < 24; hour++)
    if (json_array_get_int_element (hours, hour) > json_array_get_int_element (hours, peak))
      peak = hour;
  g_assert_cmpuint (peak, >=, 9);
  g_assert_cmpuint (peak, <, 18);
  g_assert_cmpint (json_array_get_int_element (hours, 21)
                   + json_array_get_int_element (hours, 22), >, 0);
}

/* The summary without what differs from one workspace to another: the agents' ids, and what
 * they have open now (the WhatsApp story may still be playing). */
static char *
comparable (JsonNode *summary)
{
  JsonArray *agents = json_object_get_array_member (json_node_get_object (summary), "agents");

  for (guint i = 0; i < json_array_get_length (agents); i++)
    {
      JsonObject *agent = json_array_get_object_element (agents, i);

      json_object_remove_member (agent, "id");
      json_object_remove_member (agent, "open");
    }
  return json_to_string (summary, FALSE);
}

/* Another demo started from scratch has the same history: the same figures for the 30 days
 * before the hand-written week (whose moments follow each start to the second). */
static void
test_history_repeats (void)
{
  g_autoptr(GError) error = NULL;
  BatonTestServer *first = server;
  BatonTestServer *second = g_new0 (BatonTestServer, 1);
  gint64 now = g_get_real_time () / 1000;
  g_autofree char *first_log = log_path;
  g_autofree char *today = NULL;
  g_autoptr(JsonNode) expected = report (first, now - 37 * DAY_MS, now - 7 * DAY_MS);
  g_autoptr(JsonNode) found = NULL;
  g_autofree char *expected_text = NULL;
  g_autofree char *found_text = NULL;

  second->data_dir = g_dir_make_tmp ("batond-demo-XXXXXX", &error);
  g_assert_no_error (error);
  second->extra_args = g_ptr_array_new_with_free_func (g_free);
  second->session = soup_session_new_with_options ("timeout", 30, NULL);
  server = second;
  log_path = g_build_filename (second->data_dir, "batond.log", NULL);
  start_demo (NULL);
  second->manager_token = sign_in_as_manager ();
  today = london_date ();
  found = report (second, now - 37 * DAY_MS, now - 7 * DAY_MS);
  baton_test_server_free (second);
  g_free (log_path);
  log_path = g_steal_pointer (&first_log);
  server = first;
  if (!g_str_equal (today, demo_date))
    {
      g_test_skip ("The two demos started on different days");
      return;
    }
  expected_text = comparable (expected);
  found_text = comparable (found);
  g_assert_cmpint (baton_test_get_int (expected, "created"), >, 150);
  g_assert_cmpstr (found_text, ==, expected_text);
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

/* Canned replies: the shop's, and an agent's own that only they see. */
static void
test_canned_replies (void)
{
  g_autofree char *lea = baton_test_login (server, "lea@demo.baton.chat", "demo-agent");
  g_autofree char *tom = baton_test_login (server, "tom@demo.baton.chat", "demo-agent");
  g_autoptr(JsonNode) leas = baton_test_expect (server, "GET", "/api/v1/replies", lea, NULL, 200,
                                                NULL);
  g_autoptr(JsonNode) toms = baton_test_expect (server, "GET", "/api/v1/replies", tom, NULL, 200,
                                                NULL);
  g_autofree char *leas_text = json_to_string (leas, FALSE);
  g_autofree char *toms_text = json_to_string (toms, FALSE);

  g_assert_cmpint (baton_test_get_int (leas, "items.#"), ==, 5);
  g_assert_cmpint (baton_test_get_int (toms, "items.#"), ==, 4);
  g_assert_nonnull (strstr (leas_text, "\"shortcut\":\"bonjour\""));
  g_assert_nonnull (strstr (toms_text, "\"shortcut\":\"greet\""));
  g_assert_null (strstr (toms_text, "\"shortcut\":\"bonjour\""));
}

/* WhatsApp: the demo's number, whose Graph API is the sandbox batond serves itself in demo
 * mode. The tests know the sandbox's settings as a manager copying them from Meta would. */

#define SANDBOX_PHONE_NUMBER_ID "100000000000001"
#define SANDBOX_WABA_ID "200000000000001"
#define SANDBOX_TOKEN "EAARouleurDemoSandboxAccessToken"
#define SANDBOX_PATH "/demo/graph/v25.0"

static char *
path_for (const char *format,
          const char *id)
{
  return g_strdup_printf (format, id);
}

/* The WhatsApp conversation of the contact of that name (NULL before it exists). */
static JsonNode *
find_whatsapp_conversation (const char *name)
{
  g_autofree char *whatsapp = channel_of_kind ("whatsapp");
  g_autoptr(JsonArray) conversations = conversations_of (whatsapp);

  for (guint i = 0; i < json_array_get_length (conversations); i++)
    {
      JsonNode *conversation = json_array_get_element (conversations, i);

      if (g_strcmp0 (baton_test_get_string (conversation, "contact.name"), name) == 0)
        return json_node_copy (conversation);
    }
  return NULL;
}

/* A conversation's messages, oldest first. */
static JsonArray *
thread_of (JsonNode *conversation)
{
  g_autofree char *path = path_for ("/api/v1/conversations/%s/messages?limit=100",
                                    baton_test_get_string (conversation, "id"));
  g_autoptr(JsonNode) list = baton_test_expect (server, "GET", path, server->manager_token, NULL,
                                                200, NULL);
  JsonArray *thread = json_array_new ();

  for (guint i = json_array_get_length (baton_test_items (list)); i > 0; i--)
    json_array_add_element (thread, json_node_copy (json_array_get_element (baton_test_items (list),
                                                                                     i - 1)));
  return thread;
}

/* The thread's messages of a kind, oldest first. */
static GPtrArray *
messages_of_kind (JsonArray  *thread,
                  const char *kind)
{
  GPtrArray *kept = g_ptr_array_new ();

  for (guint i = 0; i < json_array_get_length (thread); i++)
    if (g_strcmp0 (baton_test_get_string (json_array_get_element (thread, i), "kind"), kind) == 0)
      g_ptr_array_add (kept, json_array_get_element (thread, i));
  return kept;
}

/* The demo plays its WhatsApp conversations live for some seconds after its first start:
 * George's reaction and Jules's answer quoting the agent come last. */
static gboolean
whatsapp_story_done (void)
{
  g_autoptr(JsonNode) george = find_whatsapp_conversation ("George Hall");
  g_autoptr(JsonNode) jules = find_whatsapp_conversation ("Jules Laurent");
  g_autoptr(JsonArray) george_thread = NULL;
  g_autoptr(JsonArray) jules_thread = NULL;
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GPtrArray) answers = NULL;
  gboolean liked = FALSE;

  if (george == NULL || jules == NULL)
    return FALSE;
  george_thread = thread_of (george);
  jules_thread = thread_of (jules);
  replies = messages_of_kind (george_thread, "outbound");
  answers = messages_of_kind (jules_thread, "inbound");
  for (guint i = 0; i < replies->len; i++)
    liked |= baton_test_get_int (replies->pdata[i], "reactions.#") == 1;
  return liked && answers->len == 2
         && baton_test_get_string (answers->pdata[1], "in_reply_to") != NULL;
}

static void
wait_for_whatsapp_story (void)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!whatsapp_story_done ())
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (200 * 1000);
    }
}

/* Waits until the message has that status (WhatsApp's webhooks come from the sandbox). */
static JsonNode *
wait_for_status (const char *conversation_id,
                 const char *message_id,
                 const char *status)
{
  gint64 deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(JsonNode) message = baton_test_find_message (server, conversation_id,
                                                             message_id);

      g_assert_nonnull (message);
      g_assert_cmpstr (baton_test_get_string (message, "status"), !=, "failed");
      if (g_strcmp0 (baton_test_get_string (message, "status"), status) == 0)
        return g_steal_pointer (&message);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (100 * 1000);
    }
}

/* The number as the demo sets it up, its Graph API the sandbox on the server's own port. */
static void
assert_whatsapp_channel (void)
{
  g_autoptr(JsonNode) channels = baton_test_expect (server, "GET", "/api/v1/channels",
                                                    server->manager_token, NULL, 200, NULL);
  g_autofree char *sales = team_id ("Sales");
  g_autofree char *graph = g_strconcat (server->url, SANDBOX_PATH, NULL);
  JsonNode *channel = json_array_get_element (baton_test_items (channels), 1);

  g_assert_cmpstr (baton_test_get_string (channel, "kind"), ==, "whatsapp");
  g_assert_cmpstr (baton_test_get_string (channel, "name"), ==, "Rouleur WhatsApp");
  g_assert_cmpstr (baton_test_get_string (channel, "phone_number_id"), ==,
                   SANDBOX_PHONE_NUMBER_ID);
  g_assert_cmpstr (baton_test_get_string (channel, "display_phone_number"), ==,
                   "+44 20 7946 0100");
  g_assert_cmpstr (baton_test_get_string (channel, "waba_id"), ==, SANDBOX_WABA_ID);
  g_assert_cmpstr (baton_test_get_string (channel, "default_team_id"), ==, sales);
  g_assert_cmpstr (baton_test_get_string (channel, "graph_base_url"), ==, graph);
  g_assert_true (baton_test_get_bool (channel, "has_access_token"));
  g_assert_true (baton_test_get_bool (channel, "has_app_secret"));
  g_assert_true (baton_test_get_bool (channel, "has_verify_token"));
  g_assert_cmpstr (baton_test_get_string (channel, "state"), ==, "ok");
  g_assert_null (baton_test_get_string (channel, "access_token"));
  g_assert_null (baton_test_get_string (channel, "app_secret"));
}

static JsonObject *
find_template (JsonArray  *items,
               const char *name,
               const char *language)
{
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *template = json_array_get_object_element (items, i);

      if (g_str_equal (json_object_get_string_member (template, "name"), name)
          && g_str_equal (json_object_get_string_member (template, "language"), language))
        return template;
    }
  g_error ("No template %s in %s", name, language);
  return NULL;
}

static void
test_whatsapp_channel (void)
{
  g_autofree char *whatsapp = channel_of_kind ("whatsapp");
  g_autofree char *path = path_for ("/api/v1/channels/%s/templates", whatsapp);
  g_autoptr(JsonNode) templates = NULL;
  JsonArray *items = NULL;
  JsonObject *template = NULL;
  JsonArray *buttons = NULL;

  assert_whatsapp_channel ();

  /* synced from the sandbox's message_templates: three templates in English and French */
  templates = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  items = baton_test_items (templates);
  g_assert_cmpuint (json_array_get_length (items), ==, 6);
  for (guint i = 0; i < json_array_get_length (items); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, i),
                                                    "status"), ==, "APPROVED");
  template = find_template (items, "order_ready", "en_GB");
  g_assert_cmpint (json_object_get_int_member (template, "parameters"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (template, "header"), ==,
                   "Your order is ready");
  template = find_template (items, "order_ready", "fr");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (template,
                                                                  "body"), "Bonjour {{1}}, "));
  template = find_template (items, "follow_up", "en_GB");
  g_assert_cmpint (json_object_get_int_member (template, "parameters"), ==, 2);
  template = find_template (items, "service_reminder", "fr");
  buttons = json_object_get_array_member (template, "buttons");
  g_assert_cmpuint (json_array_get_length (buttons), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (buttons, 0),
                                                  "type"), ==, "QUICK_REPLY");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (buttons, 0),
                                                  "text"), ==, "Prendre rendez-vous");
  template = find_template (items, "service_reminder", "en_GB");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (template, "buttons")),
                    ==, 2);
}

/* Four conversations came through the real webhook pipeline: text, a photo, a location, a
 * document, a reaction and a quote; Poppy's window closed 6 hours ago. */
static void
test_whatsapp_conversations (void)
{
  g_autofree char *whatsapp = channel_of_kind ("whatsapp");
  g_autoptr(JsonNode) george = NULL;
  g_autoptr(JsonNode) lena = NULL;
  g_autoptr(JsonNode) jules = NULL;
  g_autoptr(JsonNode) poppy = NULL;
  g_autoptr(JsonArray) thread = NULL;
  g_autoptr(GPtrArray) inbound = NULL;
  g_autoptr(GPtrArray) outbound = NULL;
  gint64 now = g_get_real_time () / 1000;
  JsonNode *photo = NULL, *reply = NULL;

  wait_for_whatsapp_story ();
  george = find_whatsapp_conversation ("George Hall");
  lena = find_whatsapp_conversation ("Léna Rousseau");
  jules = find_whatsapp_conversation ("Jules Laurent");
  poppy = find_whatsapp_conversation ("Poppy Ward");
  g_assert_nonnull (lena);
  g_assert_nonnull (poppy);
  g_assert_cmpstr (baton_test_get_string (george, "contact.phone"), ==, "+447700900871");
  g_assert_cmpstr (baton_test_get_string (jules, "contact.phone"), ==, "+33639985521");

  /* George: a question, his photo, Hannah's (or the night crew's) answer he liked */
  thread = thread_of (george);
  inbound = messages_of_kind (thread, "inbound");
  outbound = messages_of_kind (thread, "outbound");
  g_assert_cmpuint (inbound->len, ==, 2);
  g_assert_true (g_str_has_prefix (baton_test_get_string (inbound->pdata[0], "body"),
                                   "Hi! I hit a pothole"));
  g_assert_true (g_str_has_prefix (baton_test_get_string (inbound->pdata[0], "external_id"),
                                   "wamid."));
  photo = inbound->pdata[1];
  g_assert_cmpint (baton_test_get_int (photo, "attachments.#"), ==, 1);
  g_assert_cmpstr (baton_test_get_string (photo, "attachments.0.kind"), ==, "image");
  g_assert_cmpstr (baton_test_get_string (photo, "attachments.0.mime_type"), ==, "image/png");
  g_assert_true (g_str_has_prefix (baton_test_get_string (photo, "attachments.0.caption"),
                                   "That's the bike"));
  g_assert_true (g_str_has_prefix (baton_test_get_string (photo, "attachments.0.url"),
                                   "/api/v1/attachments/"));
  /* the automatic reply of the after-hours flow may come first */
  reply = outbound->pdata[outbound->len - 1];
  g_assert_cmpstr (baton_test_get_string (reply, "author.type"), ==, "agent");
  g_assert_cmpstr (baton_test_get_string (reply, "status"), ==, "read");
  g_assert_true (g_str_has_prefix (baton_test_get_string (reply, "external_id"), "wamid."));
  g_assert_cmpint (baton_test_get_int (reply, "reactions.#"), ==, 1);
  g_assert_cmpstr (baton_test_get_string (reply, "reactions.0.emoji"), ==, "👍");
  g_assert_cmpstr (baton_test_get_string (reply, "reactions.0.author.name"), ==, "George Hall");
  g_clear_pointer (&thread, json_array_unref);
  g_clear_pointer (&inbound, g_ptr_array_unref);
  g_clear_pointer (&outbound, g_ptr_array_unref);

  /* Léna, in French: a location and a signed order form */
  thread = thread_of (lena);
  inbound = messages_of_kind (thread, "inbound");
  g_assert_cmpuint (inbound->len, ==, 3);
  g_assert_true (g_str_has_prefix (baton_test_get_string (inbound->pdata[0], "body"),
                                   "Bonjour !"));
  g_assert_cmpstr (baton_test_get_string (inbound->pdata[1], "attachments.0.kind"), ==,
                   "location");
  g_assert_null (baton_test_get_string (inbound->pdata[1], "attachments.0.url"));
  g_assert_cmpstr (baton_test_get_string (inbound->pdata[1], "attachments.0.data.name"), ==,
                   "Atelier Petit & Fils");
  g_assert_cmpstr (baton_test_get_string (inbound->pdata[1], "attachments.0.data.address"), ==,
                   "12 rue de la Charité, 69002 Lyon");
  g_assert_cmpstr (baton_test_get_string (inbound->pdata[2], "attachments.0.kind"), ==,
                   "document");
  g_assert_cmpstr (baton_test_get_string (inbound->pdata[2], "attachments.0.mime_type"), ==,
                   "application/pdf");
  g_assert_cmpstr (baton_test_get_string (inbound->pdata[2], "attachments.0.filename"), ==,
                   "Bon de commande RL-21177.pdf");
  g_clear_pointer (&thread, json_array_unref);
  g_clear_pointer (&inbound, g_ptr_array_unref);

  /* Jules books by quoting the agent's offer */
  thread = thread_of (jules);
  inbound = messages_of_kind (thread, "inbound");
  outbound = messages_of_kind (thread, "outbound");
  reply = outbound->pdata[outbound->len - 1];
  g_assert_cmpuint (inbound->len, ==, 2);
  g_assert_true (g_str_has_prefix (baton_test_get_string (reply, "body"), "Bonjour Jules !"));
  g_assert_cmpstr (baton_test_get_string (reply, "status"), ==, "read");
  g_assert_cmpstr (baton_test_get_string (inbound->pdata[1], "in_reply_to"), ==,
                   baton_test_get_string (reply, "id"));
  g_assert_cmpstr (baton_test_get_string (inbound->pdata[1], "body"), ==,
                   "Vendredi matin, parfait. Merci beaucoup !");
  g_clear_pointer (&thread, json_array_unref);
  g_clear_pointer (&inbound, g_ptr_array_unref);

  /* Poppy wrote 30 hours ago: her window closed 6 hours ago */
  thread = thread_of (poppy);
  inbound = messages_of_kind (thread, "inbound");
  g_assert_cmpuint (inbound->len, ==, 1);
  g_assert_cmpint (time_ms (baton_test_get_string (inbound->pdata[0], "created_at")), <,
                   now - 29 * 3600 * 1000);
  g_assert_cmpint (time_ms (baton_test_get_string (poppy, "window_expires_at")), <,
                   now - 5 * 3600 * 1000);
  g_assert_cmpint (time_ms (baton_test_get_string (george, "window_expires_at")), >,
                   now + 23 * 3600 * 1000);
  g_assert_cmpstr (baton_test_get_string (poppy, "channel_id"), ==, whatsapp);
}

static guint32
read_be32 (const guchar *data)
{
  return (guint32) data[0] << 24 | (guint32) data[1] << 16 | (guint32) data[2] << 8 | data[3];
}

/* A PNG checked without an image library: its chunks, an IHDR of that size (8-bit RGB), a
 * zlib stream of stored deflate blocks whose Adler-32 matches, one filter byte a row. The
 * CRCs of IHDR and IEND are fixed for these values. */
static void
assert_png (GBytes *bytes,
            guint   width,
            guint   height)
{
  static const guchar signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  gsize length = 0;
  const guchar *data = g_bytes_get_data (bytes, &length);
  g_autoptr(GByteArray) idat = g_byte_array_new ();
  g_autoptr(GByteArray) raw = g_byte_array_new ();
  gsize offset = 8, position = 2;
  gboolean ended = FALSE, last_block = FALSE;
  guint32 a = 1, b = 0;

  g_assert_cmpuint (length, >, 8 + 25 + 12 + 12);
  g_assert_cmpmem (data, 8, signature, 8);
  while (offset < length)
    {
      guint32 chunk_length = 0;
      const guchar *type = data + offset + 4;
      const guchar *chunk = data + offset + 8;
      guint32 crc = 0;

      g_assert_false (ended);
      g_assert_cmpuint (offset + 12, <=, length);
      chunk_length = read_be32 (data + offset);
      g_assert_cmpuint (offset + 12 + chunk_length, <=, length);
      crc = read_be32 (chunk + chunk_length);
      if (memcmp (type, "IHDR", 4) == 0)
        {
          g_assert_cmpuint (offset, ==, 8);
          g_assert_cmpuint (chunk_length, ==, 13);
          g_assert_cmpuint (read_be32 (chunk), ==, width);
          g_assert_cmpuint (read_be32 (chunk + 4), ==, height);
          g_assert_cmpuint (chunk[8], ==, 8);
          g_assert_cmpuint (chunk[9], ==, 2);
          g_assert_cmpuint (chunk[10] | chunk[11] | chunk[12], ==, 0);
          if (width == 320 && height == 200)
            g_assert_cmphex (crc, ==, 0x1666affc);
        }
      else if (memcmp (type, "IDAT", 4) == 0)
        {
          g_byte_array_append (idat, chunk, chunk_length);
        }
      else if (memcmp (type, "IEND", 4) == 0)
        {
          g_assert_cmpuint (chunk_length, ==, 0);
          g_assert_cmphex (crc, ==, 0xae426082);
          ended = TRUE;
        }
      offset += 12 + chunk_length;
    }
  g_assert_true (ended);

  /* zlib: deflate with a 32K window, no dictionary, header check */
  g_assert_cmpuint (idat->len, >=, 2 + 5 + 4);
  g_assert_cmpuint (idat->data[0], ==, 0x78);
  g_assert_cmpuint ((idat->data[0] * 256 + idat->data[1]) % 31, ==, 0);
  g_assert_cmpuint (idat->data[1] & 0x20, ==, 0);
  while (!last_block)
    {
      guint block = 0, complement = 0;

      g_assert_cmpuint (position + 5, <=, idat->len);
      last_block = idat->data[position] & 1;
      /* BTYPE 00: stored */
      g_assert_cmpuint ((idat->data[position] >> 1) & 3, ==, 0);
      block = idat->data[position + 1] | idat->data[position + 2] << 8;
      complement = idat->data[position + 3] | idat->data[position + 4] << 8;
      g_assert_cmpuint (block, ==, ~complement & 0xffff);
      g_assert_cmpuint (position + 5 + block, <=, idat->len);
      g_byte_array_append (raw, idat->data + position + 5, block);
      position += 5 + block;
    }
  g_assert_cmpuint (position + 4, ==, idat->len);
  for (guint i = 0; i < raw->len; i++)
    {
      a = (a + raw->data[i]) % 65521;
      b = (b + a) % 65521;
    }
  g_assert_cmphex (read_be32 (idat->data + position), ==, (b << 16) | a);
  g_assert_cmpuint (raw->len, ==, height * (1 + width * 3));
  for (guint y = 0; y < height; y++)
    g_assert_cmpuint (raw->data[y * (1 + width * 3)], <=, 4);
}

/* GET /api/v1/attachments/{id}: Baton fetches the media from the sandbox (metadata, then the
 * download, checked against its SHA-256) and serves it. */
static GBytes *
get_attachment (const char  *url,
                const char  *content_type,
                char       **disposition)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(SoupMessage) msg = baton_test_send_raw (server, "GET", url, server->manager_token,
                                                    NULL, &body);
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);

  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==, content_type);
  if (disposition)
    *disposition = g_strdup (soup_message_headers_get_one (headers, "Content-Disposition"));
  return g_steal_pointer (&body);
}

static void
test_whatsapp_media (void)
{
  g_autoptr(JsonNode) george = NULL;
  g_autoptr(JsonNode) lena = NULL;
  g_autoptr(JsonArray) george_thread = NULL;
  g_autoptr(JsonArray) lena_thread = NULL;
  g_autoptr(GPtrArray) george_inbound = NULL;
  g_autoptr(GPtrArray) lena_inbound = NULL;
  g_autoptr(GBytes) photo = NULL;
  g_autoptr(GBytes) again = NULL;
  g_autoptr(GBytes) document = NULL;
  g_autofree char *disposition = NULL;
  const char *photo_url = NULL;
  const char *pdf = NULL;
  gsize pdf_length = 0;

  wait_for_whatsapp_story ();
  george = find_whatsapp_conversation ("George Hall");
  lena = find_whatsapp_conversation ("Léna Rousseau");
  george_thread = thread_of (george);
  lena_thread = thread_of (lena);
  george_inbound = messages_of_kind (george_thread, "inbound");
  lena_inbound = messages_of_kind (lena_thread, "inbound");

  photo_url = baton_test_get_string (george_inbound->pdata[1], "attachments.0.url");
  photo = get_attachment (photo_url, "image/png", NULL);
  assert_png (photo, 320, 200);
  /* the second time from Baton's media directory: the same bytes */
  again = get_attachment (photo_url, "image/png", NULL);
  g_assert_true (g_bytes_equal (photo, again));

  document = get_attachment (baton_test_get_string (lena_inbound->pdata[2], "attachments.0.url"),
                             "application/pdf", &disposition);
  g_assert_nonnull (strstr (disposition, "attachment"));
  g_assert_nonnull (strstr (disposition, "Bon de commande RL-21177.pdf"));
  pdf = g_bytes_get_data (document, &pdf_length);
  g_assert_cmpuint (pdf_length, >, 200);
  g_assert_true (g_str_has_prefix (pdf, "%PDF-1.4\n"));
  g_assert_cmpmem (pdf + pdf_length - 6, 6, "%%EOF\n", 6);
}

/* An agent's reply goes out through the outbox to the sandbox, which accepts it and reports
 * it sent, delivered and read, as WhatsApp does, a few seconds apart. */
static void
test_whatsapp_reply (void)
{
  g_autoptr(JsonNode) george = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(JsonNode) read = NULL;
  g_autoptr(GString) seen = g_string_new (NULL);
  g_autofree char *path = NULL;
  const char *id = NULL;
  const char *last = "pending";
  BatonTestStream *stream = NULL;
  guint http_status = 0;
  gint64 deadline = 0;

  wait_for_whatsapp_story ();
  george = find_whatsapp_conversation ("George Hall");
  stream = baton_test_stream_open (server, server->manager_token, NULL, &http_status);
  g_assert_nonnull (stream);
  path = path_for ("/api/v1/conversations/%s/messages", baton_test_get_string (george, "id"));
  reply = baton_test_expect (server, "POST", path, server->manager_token,
                             "{\"body\":\"Great, see you tomorrow at the London workshop!\"}",
                             201, NULL);
  id = baton_test_get_string (reply, "id");
  g_assert_cmpstr (baton_test_get_string (reply, "status"), ==, "pending");
  g_assert_null (baton_test_get_string (reply, "external_id"));

  deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  while (g_strcmp0 (last, "read") != 0 && g_get_monotonic_time () < deadline)
    {
      guint left = (guint) ((deadline - g_get_monotonic_time ()) / 1000) + 1;
      g_autoptr(JsonObject) frame = baton_test_stream_wait (stream, "message.updated", NULL,
                                                            left);
      JsonObject *message = frame ? json_object_get_object_member (frame, "data") : NULL;
      const char *status = NULL;

      if (message == NULL || g_strcmp0 (json_object_get_string_member (message, "id"), id) != 0)
        continue;
      status = json_object_get_string_member (message, "status");
      if (g_strcmp0 (status, last) != 0)
        {
          g_string_append_printf (seen, "%s%s", seen->len ? "," : "", status);
          last = g_intern_string (status);
        }
    }
  baton_test_stream_close (stream);
  g_assert_cmpstr (seen->str, ==, "sent,delivered,read");
  read = baton_test_find_message (server, baton_test_get_string (george, "id"), id);
  g_assert_cmpstr (baton_test_get_string (read, "status"), ==, "read");
  g_assert_true (g_str_has_prefix (baton_test_get_string (read, "external_id"), "wamid."));
  g_assert_null (baton_test_get_string (read, "error"));
}

/* Poppy's window closed: free text is refused, a template goes out and is read. An agent can
 * also write first to a new number with a template. */
static void
test_whatsapp_window (void)
{
  g_autofree char *whatsapp = channel_of_kind ("whatsapp");
  g_autoptr(JsonNode) poppy = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(JsonNode) sent = NULL;
  g_autoptr(JsonNode) read = NULL;
  g_autoptr(JsonNode) started = NULL;
  g_autoptr(JsonNode) opened = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;

  wait_for_whatsapp_story ();
  poppy = find_whatsapp_conversation ("Poppy Ward");
  path = path_for ("/api/v1/conversations/%s/messages", baton_test_get_string (poppy, "id"));
  refused = baton_test_expect (server, "POST", path, server->manager_token,
                               "{\"body\":\"Hi Poppy, yes we have it!\"}", 422, "window_closed");

  sent = baton_test_expect (server, "POST", path, server->manager_token,
                            "{\"template\":{\"name\":\"follow_up\",\"language\":\"en_GB\","
                            "\"parameters\":[\"Poppy\",\"the Urban 3 in size S\"]}}", 201, NULL);
  g_assert_cmpstr (baton_test_get_string (sent, "body"), ==,
                   "Hi Poppy, it's Rouleur getting back to you about the Urban 3 in size S. "
                   "Sorry for the wait! Just reply to this message and we'll pick it up from "
                   "here.");
  g_assert_cmpstr (baton_test_get_string (sent, "status"), ==, "pending");
  read = wait_for_status (baton_test_get_string (poppy, "id"),
                          baton_test_get_string (sent, "id"), "read");
  g_assert_true (g_str_has_prefix (baton_test_get_string (read, "external_id"), "wamid."));

  /* a service reminder, with its quick-reply buttons' payloads, opens a conversation */
  body = baton_test_strdup_printf_json ("{\"channel_id\":%s,\"to\":\"+447700900990\","
                                        "\"template\":{\"name\":\"service_reminder\","
                                        "\"language\":\"en_GB\",\"parameters\":[\"Ava\","
                                        "\"Urban 3\"],\"button_payloads\":[\"BOOK\","
                                        "\"LATER\"]}}", whatsapp);
  started = baton_test_expect (server, "POST", "/api/v1/conversations", server->manager_token,
                               body, 201, NULL);
  g_assert_cmpstr (baton_test_get_string (started, "message.body"), ==,
                   "Hi Ava, your Urban 3 is due for its yearly service. Would you like us to "
                   "book it in at the workshop?");
  opened = wait_for_status (baton_test_get_string (started, "conversation.id"),
                            baton_test_get_string (started, "message.id"), "sent");
  g_assert_true (g_str_has_prefix (baton_test_get_string (opened, "external_id"), "wamid."));
  g_assert_cmpstr (baton_test_get_string (started, "conversation.channel_id"), ==, whatsapp);
}

/* The sandbox answers like Graph: the bearer token first (401, code 190), Graph's error
 * codes, paged templates, media metadata whose sha256 matches its download. */
static void
test_whatsapp_sandbox (void)
{
  g_autoptr(BatonTestServer) plain = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) download = NULL;
  g_autoptr(GBytes) unsupported_body = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(SoupMessage) fetched = NULL;
  g_autoptr(JsonNode) page = NULL;
  g_autoptr(JsonNode) last_page = NULL;
  g_autoptr(JsonNode) error = NULL;
  g_autoptr(JsonNode) metadata = NULL;
  g_autoptr(JsonNode) not_found = NULL;
  g_autofree char *hex = NULL;
  const char *next = NULL;
  guint status = 0;

  msg = baton_test_send_raw (server, "GET", SANDBOX_PATH "/" SANDBOX_WABA_ID
                             "/message_templates", NULL, NULL, &body);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 401);
  g_assert_nonnull (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                  "WWW-Authenticate"));
  error = baton_test_request (server, "GET", SANDBOX_PATH "/" SANDBOX_WABA_ID
                              "/message_templates", "not-the-token", NULL, &status);
  g_assert_cmpuint (status, ==, 401);
  g_assert_cmpint (baton_test_get_int (error, "error.code"), ==, 190);
  g_assert_cmpstr (baton_test_get_string (error, "error.type"), ==, "OAuthException");
  g_clear_pointer (&error, json_node_unref);

  /* an unknown number, an unknown template */
  error = baton_test_request (server, "POST", SANDBOX_PATH "/123456/messages", SANDBOX_TOKEN,
                              "{\"messaging_product\":\"whatsapp\",\"to\":\"447700900871\","
                              "\"type\":\"text\",\"text\":{\"body\":\"Hi\"}}", &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpint (baton_test_get_int (error, "error.code"), ==, 100);
  g_clear_pointer (&error, json_node_unref);
  error = baton_test_request (server, "POST", SANDBOX_PATH "/" SANDBOX_PHONE_NUMBER_ID
                              "/messages", SANDBOX_TOKEN,
                              "{\"messaging_product\":\"whatsapp\",\"to\":\"447700900871\","
                              "\"type\":\"template\",\"template\":{\"name\":\"spring_sale\","
                              "\"language\":{\"code\":\"en_GB\"}}}", &status);
  g_assert_cmpuint (status, ==, 404);
  g_assert_cmpint (baton_test_get_int (error, "error.code"), ==, 132001);

  /* Graph's paging: cursors, and next while there is more */
  page = baton_test_request (server, "GET", SANDBOX_PATH "/" SANDBOX_WABA_ID
                             "/message_templates?limit=4", SANDBOX_TOKEN, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (baton_test_get_int (page, "data.#"), ==, 4);
  g_assert_nonnull (baton_test_get_string (page, "paging.cursors.after"));
  next = baton_test_get_string (page, "paging.next");
  g_assert_true (g_str_has_prefix (next, server->url));
  last_page = baton_test_request (server, "GET", next + strlen (server->url), SANDBOX_TOKEN,
                                  NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (baton_test_get_int (last_page, "data.#"), ==, 2);
  g_assert_null (baton_test_get_string (last_page, "paging.next"));

  /* media: metadata, then its url (on this server), with the same bearer */
  metadata = baton_test_request (server, "GET", SANDBOX_PATH "/1480000000000001", SANDBOX_TOKEN,
                                 NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (baton_test_get_string (metadata, "mime_type"), ==, "image/png");
  g_assert_cmpstr (baton_test_get_string (metadata, "id"), ==, "1480000000000001");
  g_assert_true (g_str_has_prefix (baton_test_get_string (metadata, "url"), server->url));
  fetched = baton_test_send_raw (server, "GET",
                                 baton_test_get_string (metadata, "url") + strlen (server->url),
                                 SANDBOX_TOKEN, NULL, &download);
  g_assert_cmpuint (soup_message_get_status (fetched), ==, 200);
  hex = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, download);
  g_assert_cmpstr (baton_test_get_string (metadata, "sha256"), ==, hex);
  g_assert_cmpint (baton_test_get_int (metadata, "file_size"), ==, g_bytes_get_size (download));

  /* `batond serve` has no sandbox */
  plain = baton_test_server_new (NULL);
  not_found = baton_test_expect (plain, "GET", SANDBOX_PATH "/" SANDBOX_WABA_ID
                                 "/message_templates", NULL, NULL, 404, "not_found");
}

/* Simulated customers also write on WhatsApp. */
static void
check_simulated_whatsapp (gint64 started)
{
  g_autofree char *whatsapp = channel_of_kind ("whatsapp");
  gint64 deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  gboolean wrote = FALSE;

  while (!wrote)
    {
      g_autoptr(JsonArray) conversations = conversations_of (whatsapp);

      for (guint i = 0; i < json_array_get_length (conversations); i++)
        {
          JsonNode *conversation = json_array_get_element (conversations, i);

          wrote |= g_strcmp0 (baton_test_get_string (conversation, "last_message.direction"),
                              "inbound") == 0
                   && time_ms (baton_test_get_string (conversation, "last_message.at"))
                      >= started;
        }
      if (!wrote)
        {
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
          g_usleep (200 * 1000);
        }
    }
}

/* A second start finds the workspace: it serves it as it is and prints the logins again. */
static void
test_restart (void)
{
  g_autoptr(GPtrArray) logins = NULL;
  g_autofree char *chat = NULL;
  g_autofree char *whatsapp = channel_of_kind ("whatsapp");
  g_autoptr(JsonArray) chat_conversations = NULL;
  g_autoptr(JsonArray) chat_before = NULL;
  g_autoptr(JsonArray) whatsapp_before = NULL;
  g_autoptr(JsonArray) whatsapp_after = NULL;
  g_autoptr(JsonNode) lena = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *lena_messages = NULL;
  guint chat_contacts = 0;

  wait_for_whatsapp_story ();
  whatsapp_before = conversations_of (whatsapp);
  chat = channel_of_kind ("api");
  chat_before = conversations_of (chat);
  chat_contacts = count_chat_contacts ();
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
  g_assert_cmpuint (count_items ("/api/v1/channels"), ==, 2);
  g_assert_cmpuint (count_chat_contacts (), ==, chat_contacts);
  chat_conversations = conversations_of (chat);
  g_assert_cmpuint (json_array_get_length (chat_conversations), ==,
                    json_array_get_length (chat_before));

  /* WhatsApp's story is not played again, and the number calls the sandbox on the new port. */
  whatsapp_after = conversations_of (whatsapp);
  g_assert_cmpuint (json_array_get_length (whatsapp_after), ==,
                    json_array_get_length (whatsapp_before));
  assert_whatsapp_channel ();
  lena = find_whatsapp_conversation ("Léna Rousseau");
  lena_messages = path_for ("/api/v1/conversations/%s/messages",
                            baton_test_get_string (lena, "id"));
  reply = baton_test_expect (server, "POST", lena_messages, server->manager_token,
                             "{\"body\":\"Bonjour Léna, c'est noté : livraison à l'atelier "
                             "jeudi.\"}", 201, NULL);
  g_assert_cmpstr (baton_test_get_string (reply, "status"), ==, "pending");
  json_node_unref (wait_for_status (baton_test_get_string (lena, "id"),
                                    baton_test_get_string (reply, "id"), "read"));
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
  g_autoptr(JsonNode) contact = baton_test_get (server, "/api/v1/contacts/%s",
                                                json_object_get_string_member (
                                                  json_object_get_object_member (conversation,
                                                                                 "contact"),
                                                  "id"));
  g_autoptr(JsonNode) thread = NULL;
  JsonArray *messages = NULL;
  gboolean open = business_hours (created, holidays);
  gboolean replied = FALSE;

  *vip = array_has (json_object_get_array_member (json_node_get_object (contact), "tags"),
                    "vip");
  if (*vip)
    {
      g_autoptr(JsonNode) default_user = baton_test_get (server, "/api/v1/agents/%s",
                                                         json_object_get_string_member (
                                                           vip_desk, "default_user_id"));
      g_autofree char *line = g_strdup_printf ("Assigned to %s in VIP desk by flow"
                                               " New conversations",
                                               baton_test_get_string (default_user, "name"));

      /* a Care+ member known before writing */
      g_assert_cmpstr (baton_test_get_string (contact, "fields.plan"), ==, "Care+");
      /* Nobody of the VIP desk is signed in: its default user gets the chat all the same. */
      thread = baton_test_get (server, "/api/v1/conversations/%s/messages?limit=100", id);
      g_assert_cmpstr (team, ==, json_object_get_string_member (vip_desk, "id"));
      g_assert_cmpuint (json_array_get_length (assignees), ==, 1);
      g_assert_cmpstr (json_array_get_string_element (assignees, 0), ==,
                       json_object_get_string_member (vip_desk, "default_user_id"));
      g_assert_true (array_has (tags, "vip"));
      messages = baton_test_items (thread);
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
  thread = baton_test_get (server, "/api/v1/conversations/%s/messages?limit=100", id);
  messages = baton_test_items (thread);
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
  g_autofree char *chat = channel_of_kind ("api");
  g_autoptr(JsonNode) teams = baton_test_expect (server, "GET", "/api/v1/teams",
                                                 server->manager_token, NULL, 200, NULL);
  g_autoptr(JsonNode) schedules = baton_test_expect (server, "GET", "/api/v1/schedules",
                                                     server->manager_token, NULL, 200, NULL);
  JsonObject *vip_desk = find_team (teams, "VIP desk");
  const char *support = json_object_get_string_member (find_team (teams, "Support"), "id");
  const char *night = json_object_get_string_member (find_team (teams, "Night"), "id");
  JsonArray *holidays = json_object_get_array_member (
    json_array_get_object_element (baton_test_items (schedules), 0), "holidays");
  gint64 deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  g_autoptr(GHashTable) checked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint vips = 0, others = 0;

  while ((vips == 0 || others == 0) && g_get_monotonic_time () < deadline)
    {
      g_autoptr(JsonArray) items = list_all ("/api/v1/conversations?");

      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *conversation = json_array_get_object_element (items, i);
          const char *id = json_object_get_string_member (conversation, "id");
          gboolean vip = FALSE;

          /* Reopened threads were created long ago; WhatsApp goes to Sales. */
          if (time_ms (json_object_get_string_member (conversation, "created_at")) < started
              || g_hash_table_contains (checked, id)
              || g_strcmp0 (json_object_get_string_member (conversation, "channel_id"),
                            chat) != 0)
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

/* The ids of the website chat's resolved conversations. */
static GHashTable *
resolved_chat_conversations (void)
{
  g_autofree char *chat = channel_of_kind ("api");
  g_autoptr(JsonArray) conversations = conversations_of (chat);
  GHashTable *resolved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < json_array_get_length (conversations); i++)
    {
      JsonNode *conversation = json_array_get_element (conversations, i);

      if (g_strcmp0 (baton_test_get_string (conversation, "status"), "resolved") == 0)
        g_hash_table_add (resolved, g_strdup (baton_test_get_string (conversation, "id")));
    }
  return resolved;
}

/* Now and then a customer whose last thread was resolved writes again, which reopens it. */
static void
check_simulated_return (GHashTable *resolved,
                        gint64      started)
{
  g_autofree char *chat = channel_of_kind ("api");
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  gboolean returned = FALSE;

  g_assert_cmpuint (g_hash_table_size (resolved), >, 0);
  while (!returned)
    {
      g_autoptr(JsonArray) conversations = conversations_of (chat);

      for (guint i = 0; i < json_array_get_length (conversations); i++)
        {
          JsonNode *conversation = json_array_get_element (conversations, i);

          returned |= g_hash_table_contains (resolved,
                                             baton_test_get_string (conversation, "id"))
                      && g_strcmp0 (baton_test_get_string (conversation, "status"),
                                    "resolved") != 0
                      && g_strcmp0 (baton_test_get_string (conversation,
                                                           "last_message.direction"),
                                    "inbound") == 0
                      && time_ms (baton_test_get_string (conversation, "last_message.at"))
                         >= started;
        }
      if (!returned)
        {
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
          g_usleep (200 * 1000);
        }
    }
}

static void
test_simulate (void)
{
  g_autoptr(JsonObject) frame = NULL;
  g_autoptr(GHashTable) resolved = resolved_chat_conversations ();
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
  check_simulated_whatsapp (started);
  check_simulated_return (resolved, started);
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
  demo_date = london_date ();
  start_demo (NULL);
  server->manager_token = sign_in_as_manager ();

  g_test_add_func ("/demo/people", test_people);
  g_test_add_func ("/demo/routing", test_routing);
  g_test_add_func ("/demo/conversations", test_conversations);
  g_test_add_func ("/demo/history", test_history);
  g_test_add_func ("/demo/history-repeats", test_history_repeats);
  g_test_add_func ("/demo/logins", test_logins);
  g_test_add_func ("/demo/canned-replies", test_canned_replies);
  g_test_add_func ("/demo/whatsapp-channel", test_whatsapp_channel);
  g_test_add_func ("/demo/whatsapp-conversations", test_whatsapp_conversations);
  g_test_add_func ("/demo/whatsapp-media", test_whatsapp_media);
  g_test_add_func ("/demo/whatsapp-reply", test_whatsapp_reply);
  g_test_add_func ("/demo/whatsapp-window", test_whatsapp_window);
  g_test_add_func ("/demo/whatsapp-sandbox", test_whatsapp_sandbox);
  g_test_add_func ("/demo/restart", test_restart);
  g_test_add_func ("/demo/simulate", test_simulate);

  status = baton_test_run (server);
  g_free (log_path);
  g_free (demo_date);
  return status;
}
