/* test-store-directory.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-error.h"
#include "baton-store-agents.h"
#include "baton-store-channels.h"
#include "baton-store-contacts.h"
#include "baton-store-conversations.h"
#include "baton-store-counts.h"
#include "baton-store-events.h"
#include "baton-store-flows.h"
#include "baton-store-messages.h"
#include "baton-store-schedules.h"
#include "baton-store-settings.h"
#include "baton-store-snapshot.h"
#include "baton-store-sqlite.h"
#include "baton-store-teams.h"
#include "baton-store-tokens.h"

/* The store's typed functions for the workspace's directory (sessions, agents, teams,
 * channels, routing rules, settings) and the counts of /metrics, each test against a fresh
 * migrated SQLite store in memory. */

typedef struct {
  BatonStore *store;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->store = baton_store_sqlite_open (":memory:", &error);
  g_assert_no_error (error);
  g_assert_true (baton_store_migrate (fixture->store, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  baton_store_close (fixture->store);
  g_clear_object (&fixture->store);
}

static void
add_agent_as (Fixture    *fixture,
              const char *id,
              const char *role,
              gint64      created_at)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *email = g_strdup_printf ("%s@Example.com", id);
  g_autofree char *key = g_ascii_strdown (email, -1);
  BatonAgentRow row = {
    .id = id, .name = id, .email = email, .email_key = key, .role = role,
    .password_hash = "hash", .created_at = created_at, .updated_at = created_at,
  };

  g_assert_true (baton_store_agents_insert (fixture->store, &row, &error));
  g_assert_no_error (error);
}

static void
add_agent (Fixture    *fixture,
           const char *id)
{
  add_agent_as (fixture, id, "agent", 1);
}

/* Agents */

static void
test_agents_get_list (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonAgent) agent = NULL;
  g_autoptr(GPtrArray) agents = NULL;

  add_agent_as (fixture, "agt_b", "manager", 10);
  add_agent_as (fixture, "agt_a", "agent", 20);
  agent = baton_store_agents_get (fixture->store, "agt_b", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (agent->name, ==, "agt_b");
  g_assert_cmpstr (agent->email, ==, "agt_b@Example.com");
  g_assert_cmpint (agent->role, ==, BATON_ROLE_MANAGER);
  g_assert_cmpint (agent->availability, ==, BATON_AVAILABILITY_ONLINE);
  g_assert_cmpint (agent->created_at, ==, 10);
  g_assert_false (agent->online);
  g_assert_null (baton_store_agents_get (fixture->store, "agt_none", &error));
  g_assert_no_error (error);
  /* oldest first */
  agents = baton_store_agents_list (fixture->store, &error);
  g_assert_cmpuint (agents->len, ==, 2);
  g_assert_cmpstr (((BatonAgent *) agents->pdata[0])->id, ==, "agt_b");
  g_assert_cmpint (baton_store_agents_count (fixture->store, NULL, &error), ==, 2);
  g_assert_cmpint (baton_store_agents_count (fixture->store, "manager", &error), ==, 1);
}

static void
test_agents_email (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *id = NULL;
  BatonAgentRow twin = {
    .id = "agt_2", .name = "Twin", .email = "AGT_1@example.com",
    .email_key = "agt_1@example.com", .role = "agent", .password_hash = "h",
  };

  add_agent (fixture, "agt_1");
  id = baton_store_agents_find_email (fixture->store, "agt_1@example.com", &hash, &error);
  g_assert_cmpstr (id, ==, "agt_1");
  g_assert_cmpstr (hash, ==, "hash");
  g_assert_null (baton_store_agents_find_email (fixture->store, "AGT_1@example.com", NULL,
                                                &error));
  g_assert_no_error (error);
  /* the email key is unique */
  g_assert_false (baton_store_agents_insert (fixture->store, &twin, &error));
  g_assert_error (error, BATON_ERROR, BATON_ERROR_CONFLICT);
}

static void
test_agents_update (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonAgent) agent = NULL;
  g_autofree char *hash = NULL;
  BatonAgentRow change = { .id = "agt_1", .availability = "away", .updated_at = 50 };

  add_agent (fixture, "agt_1");
  /* the members not given stay */
  g_assert_true (baton_store_agents_update (fixture->store, &change, &error));
  g_assert_no_error (error);
  agent = baton_store_agents_get (fixture->store, "agt_1", &error);
  g_assert_cmpint (agent->availability, ==, BATON_AVAILABILITY_AWAY);
  g_assert_cmpstr (agent->name, ==, "agt_1");
  g_free (baton_store_agents_find_email (fixture->store, "agt_1@example.com", &hash, &error));
  g_assert_cmpstr (hash, ==, "hash");
  g_assert_true (baton_store_agents_delete (fixture->store, "agt_1", &error));
  g_assert_cmpint (baton_store_agents_count (fixture->store, NULL, &error), ==, 0);
}

static void
test_snapshot_agents (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(BatonRoutingState) routing = { 0 };
  BatonAgentLoadRow *row = NULL;

  add_agent (fixture, "agt_1");
  g_assert_true (baton_store_snapshot_routing (fixture->store, NULL, NULL, &routing, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (routing.agents->len, ==, 1);
  g_assert_false (routing.returning);
  row = routing.agents->pdata[0];
  g_assert_cmpstr (row->id, ==, "agt_1");
  g_assert_cmpstr (row->availability, ==, "online");
  /* never assigned (test-store-conversations /assignees: an assignment sets it) */
  g_assert_cmpint (row->last_assigned_at, ==, 0);
  g_assert_cmpint (row->active_count, ==, 0);
}

/* Teams */

static BatonTeam *
new_team (const char *id,
          const char *name)
{
  BatonTeam *team = baton_team_new ();

  team->id = g_strdup (id);
  team->name = g_strdup (name);
  team->strategy = BATON_STRATEGY_LEAST_BUSY;
  team->only_online = TRUE;
  team->created_at = 5;
  team->updated_at = 5;
  return team;
}

static void
add_team (Fixture    *fixture,
          const char *id,
          const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonTeam) team = new_team (id, name);

  g_assert_true (baton_store_teams_insert (fixture->store, team, &error));
  g_assert_no_error (error);
}

static void
test_teams (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonTeam) team = NULL;
  g_autoptr(BatonTeam) changed = new_team ("tem_1", "Sales");
  g_autoptr(GPtrArray) teams = NULL;
  const char *members[] = { "agt_2", "agt_1", NULL };
  const char *fewer[] = { "agt_1", NULL };

  add_agent (fixture, "agt_1");
  add_agent (fixture, "agt_2");
  add_team (fixture, "tem_1", "Support");
  add_team (fixture, "tem_2", "Billing");
  g_assert_true (baton_store_teams_set_members (fixture->store, "tem_1", members, &error));
  team = baton_store_teams_get (fixture->store, "tem_1", &error);
  g_assert_no_error (error);
  /* members in the order given; 0 limits read back as none */
  g_assert_cmpstrv (team->member_ids, members);
  g_assert_cmpint (team->strategy, ==, BATON_STRATEGY_LEAST_BUSY);
  g_assert_cmpint (team->max_active_per_agent, ==, 0);
  g_assert_null (baton_store_teams_get (fixture->store, "tem_none", &error));
  g_assert_no_error (error);

  /* a new list replaces the old one */
  g_assert_true (baton_store_teams_set_members (fixture->store, "tem_1", fewer, &error));
  changed->max_active_per_agent = 3;
  changed->default_user_id = g_strdup ("agt_1");
  changed->updated_at = 9;
  g_assert_true (baton_store_teams_update (fixture->store, changed, &error));
  g_clear_pointer (&team, baton_team_unref);
  team = baton_store_teams_get (fixture->store, "tem_1", &error);
  g_assert_cmpstrv (team->member_ids, fewer);
  g_assert_cmpstr (team->name, ==, "Sales");
  g_assert_cmpstr (team->default_user_id, ==, "agt_1");
  g_assert_cmpint (team->max_active_per_agent, ==, 3);
  g_assert_cmpint (team->created_at, ==, 5);
  g_assert_cmpint (team->updated_at, ==, 9);

  /* by name */
  teams = baton_store_teams_list (fixture->store, &error);
  g_assert_cmpuint (teams->len, ==, 2);
  g_assert_cmpstr (((BatonTeam *) teams->pdata[0])->name, ==, "Billing");
  g_assert_true (baton_store_teams_delete (fixture->store, "tem_2", &error));
  g_assert_null (baton_store_teams_get (fixture->store, "tem_2", &error));
  g_assert_no_error (error);
}

/* Channels */

static void
add_channel (Fixture    *fixture,
             const char *id,
             const char *kind,
             const char *team_id,
             gint64      created_at)
{
  g_autoptr(GError) error = NULL;
  BatonChannelRow row = {
    .id = (char *) id, .kind = (char *) kind, .name = (char *) id,
    .default_team_id = (char *) team_id, .inbound_secret_hash = "secret-hash",
    .created_at = created_at, .updated_at = created_at,
  };

  g_assert_true (baton_store_channels_insert (fixture->store, &row, &error));
  g_assert_no_error (error);
}

static void
test_channels (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonChannelRow) row = NULL;
  g_autoptr(BatonChannelRow) found = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) whatsapp = NULL;
  g_auto(GStrv) cleared = NULL;
  BatonChannelRow number = {
    .id = "chn_b", .phone_number_id = "1234", .config = "{}", .secrets = "{\"app_secret\":\"s\"}",
  };

  add_team (fixture, "tem_1", "Support");
  add_channel (fixture, "chn_b", "whatsapp", "tem_1", 20);
  add_channel (fixture, "chn_a", "api", "tem_1", 10);
  add_channel (fixture, "chn_c", "whatsapp", NULL, 30);
  g_assert_true (baton_store_channels_set_whatsapp (fixture->store, &number, &error));
  found = baton_store_channels_find_number (fixture->store, "1234", &error);
  g_assert_cmpstr (found->id, ==, "chn_b");
  g_assert_cmpstr (found->secrets, ==, "{\"app_secret\":\"s\"}");
  /* one channel a number */
  number.id = "chn_c";
  g_assert_false (baton_store_channels_set_whatsapp (fixture->store, &number, &error));
  g_assert_error (error, BATON_ERROR, BATON_ERROR_CONFLICT);
  g_clear_error (&error);

  all = baton_store_channels_list (fixture->store, NULL, &error);
  g_assert_cmpuint (all->len, ==, 3);
  g_assert_cmpstr (((BatonChannelRow *) all->pdata[0])->id, ==, "chn_a");
  whatsapp = baton_store_channels_list (fixture->store, "whatsapp", &error);
  g_assert_cmpuint (whatsapp->len, ==, 2);

  /* only the defaults flagged change */
  g_assert_true (baton_store_channels_update (fixture->store, "chn_a", NULL, FALSE, NULL, TRUE,
                                              NULL, 40, &error));
  row = baton_store_channels_get (fixture->store, "chn_a", &error);
  g_assert_cmpstr (row->name, ==, "chn_a");
  g_assert_cmpstr (row->default_team_id, ==, "tem_1");
  g_assert_cmpint (row->updated_at, ==, 40);

  cleared = baton_store_channels_clear_default_team (fixture->store, "tem_1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (cleared), ==, 2);
  g_assert_true (g_strv_contains ((const char * const *) cleared, "chn_a"));
  g_assert_true (g_strv_contains ((const char * const *) cleared, "chn_b"));
  g_assert_true (baton_store_channels_set_paused_reason (fixture->store, "chn_b",
                                                         "token refused", &error));
  g_clear_pointer (&found, baton_channel_row_free);
  found = baton_store_channels_get (fixture->store, "chn_b", &error);
  g_assert_null (found->default_team_id);
  g_assert_cmpstr (found->paused_reason, ==, "token refused");
  g_assert_true (baton_store_channels_delete (fixture->store, "chn_c", &error));
  g_assert_null (baton_store_channels_get (fixture->store, "chn_c", &error));
  g_assert_no_error (error);
}

/* The conversations of a team or a channel */

static void
test_conversations_of_team (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) detached = NULL;
  g_autoptr(BatonRows) rows = NULL;
  g_autoptr(BatonConversation) conversation = NULL;

  add_team (fixture, "tem_1", "Support");
  add_channel (fixture, "chn_a", "api", NULL, 10);
  add_channel (fixture, "chn_b", "api", NULL, 10);
  g_assert_cmpint (baton_store_exec (fixture->store, &error,
                                     "INSERT INTO contacts (id, name, phone, created_at)"
                                     " VALUES ('cnt_1', 'Ana', '+1', 1)", ""), >=, 0);
  g_assert_cmpint (baton_store_exec (fixture->store, &error,
                                     "INSERT INTO conversations (id, channel_id, contact_id,"
                                     " status, team_id, activity_at, created_at, updated_at,"
                                     " queued_at, reassign_due_at) VALUES"
                                     " ('cnv_1', 'chn_a', 'cnt_1', 'open', 'tem_1', 1, 1, 1, 5, 9),"
                                     " ('cnv_2', 'chn_a', 'cnt_1', 'open', NULL, 1, 1, 1, NULL, 9)",
                                     ""), >=, 0);
  g_assert_no_error (error);
  g_assert_cmpint (baton_store_conversations_count_channel (fixture->store, "chn_a", &error),
                   ==, 2);
  g_assert_cmpint (baton_store_conversations_count_channel (fixture->store, "chn_b", &error),
                   ==, 0);
  g_assert_true (baton_store_conversations_cancel_reassign (fixture->store, "tem_1", &error));
  detached = baton_store_conversations_detach_team (fixture->store, "tem_1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (detached), ==, 1);
  g_assert_cmpstr (detached[0], ==, "cnv_1");
  rows = baton_store_query (fixture->store, &error,
                            "SELECT id, team_id, queued_at, reassign_due_at FROM conversations"
                            " ORDER BY id", "");
  g_assert_true (baton_rows_is_null (rows, 0, 1));
  g_assert_true (baton_rows_is_null (rows, 0, 2));
  g_assert_true (baton_rows_is_null (rows, 0, 3));
  /* another team's, or none's, stay as they are */
  g_assert_cmpint (baton_rows_int (rows, 1, 3), ==, 9);

  g_assert_true (baton_store_conversations_bump (fixture->store, "cnv_1", 1, 50, &error));
  conversation = baton_store_conversations_get (fixture->store, "cnv_1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (conversation->version, ==, 2);
  g_assert_cmpint (conversation->updated_at, ==, 50);
  g_assert_cmpstr (conversation->contact_name, ==, "Ana");
  g_assert_null (conversation->team_id);
}

/* Flows and schedules */

static void
add_flow (Fixture    *fixture,
          const char *id,
          int         position,
          gint64      created_at)
{
  g_autoptr(GError) error = NULL;
  BatonFlowRow row = {
    .id = (char *) id, .name = (char *) id, .enabled = TRUE, .position = position,
    .trigger = "{\"on\":\"message\"}", .steps = "[]", .created_at = created_at,
    .updated_at = created_at,
  };

  g_assert_true (baton_store_flows_insert (fixture->store, &row, &error));
  g_assert_no_error (error);
}

static void
test_flows (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) flows = NULL;
  g_autoptr(BatonFlowRow) flow = NULL;
  BatonFlowRow change = {
    .id = "flw_a", .name = "Renamed", .enabled = FALSE, .position = 7, .trigger = "{}",
    .steps = "[{}]", .updated_at = 99,
  };

  g_assert_cmpint (baton_store_flows_next_position (fixture->store, &error), ==, 0);
  add_flow (fixture, "flw_a", 2, 10);
  add_flow (fixture, "flw_b", 1, 30);
  add_flow (fixture, "flw_c", 1, 20);
  g_assert_cmpint (baton_store_flows_next_position (fixture->store, &error), ==, 3);
  /* position, then age */
  flows = baton_store_flows_list (fixture->store, &error);
  g_assert_cmpuint (flows->len, ==, 3);
  g_assert_cmpstr (((BatonFlowRow *) flows->pdata[0])->id, ==, "flw_c");
  g_assert_cmpstr (((BatonFlowRow *) flows->pdata[1])->id, ==, "flw_b");
  g_assert_cmpstr (((BatonFlowRow *) flows->pdata[2])->id, ==, "flw_a");

  g_assert_true (baton_store_flows_update (fixture->store, &change, &error));
  flow = baton_store_flows_get (fixture->store, "flw_a", &error);
  g_assert_cmpstr (flow->name, ==, "Renamed");
  g_assert_false (flow->enabled);
  g_assert_cmpint (flow->position, ==, 7);
  g_assert_cmpstr (flow->steps, ==, "[{}]");
  g_assert_cmpint (flow->created_at, ==, 10);
  g_assert_cmpint (flow->updated_at, ==, 99);
  g_assert_true (baton_store_flows_delete (fixture->store, "flw_a", &error));
  g_assert_null (baton_store_flows_get (fixture->store, "flw_a", &error));
  g_assert_no_error (error);
}

static void
test_schedules (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) schedules = NULL;
  g_autoptr(BatonScheduleRow) schedule = NULL;
  BatonScheduleRow row = {
    .id = "sch_1", .name = "Office", .timezone = "Europe/Paris", .weekly = "{}",
    .holidays = "[]", .created_at = 1, .updated_at = 1,
  };

  g_assert_true (baton_store_schedules_insert (fixture->store, &row, &error));
  row.id = "sch_2";
  row.name = "Nights";
  g_assert_true (baton_store_schedules_insert (fixture->store, &row, &error));
  row.timezone = "Etc/UTC";
  row.holidays = "[\"2026-12-25\"]";
  row.updated_at = 8;
  g_assert_true (baton_store_schedules_update (fixture->store, &row, &error));
  g_assert_no_error (error);
  schedule = baton_store_schedules_get (fixture->store, "sch_2", &error);
  g_assert_cmpstr (schedule->timezone, ==, "Etc/UTC");
  g_assert_cmpstr (schedule->holidays, ==, "[\"2026-12-25\"]");
  g_assert_cmpint (schedule->updated_at, ==, 8);
  /* by name */
  schedules = baton_store_schedules_list (fixture->store, &error);
  g_assert_cmpuint (schedules->len, ==, 2);
  g_assert_cmpstr (((BatonScheduleRow *) schedules->pdata[0])->name, ==, "Nights");
  g_assert_true (baton_store_schedules_delete (fixture->store, "sch_2", &error));
  g_assert_null (baton_store_schedules_get (fixture->store, "sch_2", &error));
  g_assert_no_error (error);
}

/* Events */

static void
add_event (Fixture    *fixture,
           const char *type,
           gint64      at,
           const char *agent_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonEvent) event = baton_event_new (type, at, agent_id, NULL);
  const char *text = "{\"n\":1}";

  g_assert_true (baton_store_events_insert_many (fixture->store, &event, &text, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (event->seq, >, 0);
}

static void
test_events (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) seen = NULL;
  g_autoptr(GPtrArray) after = NULL;
  BatonEvent *event = NULL;

  g_assert_cmpint (baton_store_events_last_seq (fixture->store, &error), ==, 0);
  g_assert_cmpint (baton_store_events_first_seq (fixture->store, &error), ==, 0);
  add_agent (fixture, "agt_1");
  add_agent (fixture, "agt_2");
  add_event (fixture, "a.one", 100, NULL);
  add_event (fixture, "a.two", 200, "agt_1");
  add_event (fixture, "a.three", 300, "agt_2");
  add_event (fixture, "a.four", 400, NULL);
  g_assert_cmpint (baton_store_events_last_seq (fixture->store, &error), ==, 4);
  /* everyone's and agt_1's own, oldest first, up to the limit */
  seen = baton_store_events_since (fixture->store, 0, G_MAXINT64, "agt_1", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seen->len, ==, 3);
  event = seen->pdata[1];
  g_assert_cmpstr (event->type, ==, "a.two");
  g_assert_cmpint (event->seq, ==, 2);
  g_assert_cmpint (event->at, ==, 200);
  g_assert_cmpstr (event->agent_id, ==, "agt_1");
  after = baton_store_events_since (fixture->store, 1, G_MAXINT64, "agt_2", 1, &error);
  g_assert_cmpuint (after->len, ==, 1);
  g_assert_cmpstr (((BatonEvent *) after->pdata[0])->type, ==, "a.three");
  /* both limits hold: older than the time, and not past the sequence number */
  g_assert_true (baton_store_events_prune (fixture->store, 300, 1, &error));
  g_assert_cmpint (baton_store_events_first_seq (fixture->store, &error), ==, 2);
  g_assert_true (baton_store_events_prune (fixture->store, 1000, 3, &error));
  g_assert_cmpint (baton_store_events_first_seq (fixture->store, &error), ==, 4);
  g_assert_no_error (error);
}

/* Settings */

static void
test_settings (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) settings = NULL;

  g_assert_true (baton_store_settings_set_default (fixture->store, "timezone", "Etc/UTC",
                                                   &error));
  g_assert_true (baton_store_settings_set (fixture->store, "timezone", "Europe/Paris", &error));
  /* a default never replaces a value */
  g_assert_true (baton_store_settings_set_default (fixture->store, "timezone", "Etc/UTC",
                                                   &error));
  g_assert_true (baton_store_settings_set (fixture->store, "unassign_on_resolve", "false",
                                           &error));
  g_assert_no_error (error);
  settings = baton_store_settings_list (fixture->store, &error);
  g_assert_cmpuint (g_hash_table_size (settings), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (settings, "timezone"), ==, "Europe/Paris");
  g_assert_cmpstr (g_hash_table_lookup (settings, "unassign_on_resolve"), ==, "false");
}

/* Sessions */

static void
add_token (Fixture    *fixture,
           const char *agent_id,
           const char *id,
           gint64      created_at,
           gint64      last_used_at)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = g_strconcat ("hash-", id, NULL);
  BatonTokenRow row = {
    .token_hash = hash, .agent_id = (char *) agent_id, .id = (char *) id,
    .created_at = created_at, .last_used_at = last_used_at, .address = "192.0.2.1",
    .user_agent = NULL,
  };

  g_assert_true (baton_store_tokens_insert (fixture->store, &row, &error));
  g_assert_no_error (error);
}

static void
assert_hashes (GStrv       hashes,
               const char *expected)
{
  g_autofree char *joined = NULL;

  g_assert_nonnull (hashes);
  joined = g_strjoinv (",", hashes);
  g_assert_cmpstr (joined, ==, expected);
  g_strfreev (hashes);
}

static void
test_tokens_find_touch (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonTokenRow) row = NULL;
  g_autoptr(BatonTokenRow) touched = NULL;

  add_agent (fixture, "agt_1");
  add_token (fixture, "agt_1", "ses_1", 100, 200);
  row = baton_store_tokens_find (fixture->store, "hash-ses_1", &error);
  g_assert_no_error (error);
  g_assert_nonnull (row);
  g_assert_cmpstr (row->agent_id, ==, "agt_1");
  g_assert_cmpstr (row->id, ==, "ses_1");
  g_assert_cmpint (row->created_at, ==, 100);
  g_assert_cmpint (row->last_used_at, ==, 200);
  g_assert_cmpstr (row->address, ==, "192.0.2.1");
  g_assert_null (row->user_agent);
  g_assert_null (baton_store_tokens_find (fixture->store, "hash-unknown", &error));
  g_assert_no_error (error);

  g_assert_true (baton_store_tokens_touch (fixture->store, "hash-ses_1", 900, &error));
  touched = baton_store_tokens_find (fixture->store, "hash-ses_1", &error);
  g_assert_cmpint (touched->last_used_at, ==, 900);
}

static void
test_tokens_list_agent (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tokens = NULL;

  add_agent (fixture, "agt_1");
  add_agent (fixture, "agt_2");
  add_token (fixture, "agt_1", "ses_a", 100, 500);
  add_token (fixture, "agt_1", "ses_b", 300, 500);
  /* idle: used at the limit or before */
  add_token (fixture, "agt_1", "ses_c", 200, 400);
  add_token (fixture, "agt_2", "ses_d", 400, 500);
  tokens = baton_store_tokens_list_agent (fixture->store, "agt_1", 400, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tokens->len, ==, 2);
  /* newest first */
  g_assert_cmpstr (((BatonTokenRow *) tokens->pdata[0])->id, ==, "ses_b");
  g_assert_cmpstr (((BatonTokenRow *) tokens->pdata[1])->id, ==, "ses_a");
}

static void
test_tokens_delete (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonTokenRow) kept = NULL;

  add_agent (fixture, "agt_1");
  add_agent (fixture, "agt_2");
  add_token (fixture, "agt_1", "ses_a", 100, 100);
  add_token (fixture, "agt_1", "ses_b", 100, 500);
  add_token (fixture, "agt_1", "ses_c", 100, 500);
  add_token (fixture, "agt_1", "ses_d", 100, 500);
  add_token (fixture, "agt_2", "ses_e", 100, 500);

  assert_hashes (baton_store_tokens_delete_idle (fixture->store, 100, &error), "hash-ses_a");
  /* by id, by hash, and never another agent's */
  assert_hashes (baton_store_tokens_delete_one (fixture->store, "agt_1", "ses_b", NULL, &error),
                 "hash-ses_b");
  assert_hashes (baton_store_tokens_delete_one (fixture->store, "agt_1", NULL, "hash-ses_c",
                                                &error), "hash-ses_c");
  assert_hashes (baton_store_tokens_delete_one (fixture->store, "agt_1", "ses_e", NULL, &error),
                 "");
  add_token (fixture, "agt_1", "ses_f", 100, 500);
  /* all of an agent's but the one kept; with nothing kept, all */
  assert_hashes (baton_store_tokens_delete_agent (fixture->store, "agt_1", "hash-ses_d", &error),
                 "hash-ses_f");
  assert_hashes (baton_store_tokens_delete_agent (fixture->store, "agt_1", NULL, &error),
                 "hash-ses_d");
  g_assert_no_error (error);
  kept = baton_store_tokens_find (fixture->store, "hash-ses_e", NULL);
  g_assert_nonnull (kept);
}

/* Counts */

static void
test_counts (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GPtrArray) conversations = NULL;

  g_assert_cmpint (baton_store_exec (fixture->store, &error,
                                     "INSERT INTO message_counts (kind, n)"
                                     " VALUES ('text', 3), ('note', 0), ('activity', 2)", ""),
                   >=, 0);
  messages = baton_store_counts_messages_by_kind (fixture->store, &error);
  g_assert_no_error (error);
  /* the zero counts are left out, the others come by name */
  g_assert_cmpuint (messages->len, ==, 2);
  g_assert_cmpstr (((BatonCountRow *) messages->pdata[0])->name, ==, "activity");
  g_assert_cmpint (((BatonCountRow *) messages->pdata[0])->n, ==, 2);
  g_assert_cmpstr (((BatonCountRow *) messages->pdata[1])->name, ==, "text");
  conversations = baton_store_counts_conversations_by_status (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conversations->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/store/agents/get-list", test_agents_get_list);
  ADD ("/store/agents/email", test_agents_email);
  ADD ("/store/agents/update", test_agents_update);
  ADD ("/store/snapshot/agents", test_snapshot_agents);
  ADD ("/store/teams", test_teams);
  ADD ("/store/channels", test_channels);
  ADD ("/store/conversations/of-team", test_conversations_of_team);
  ADD ("/store/flows", test_flows);
  ADD ("/store/schedules", test_schedules);
  ADD ("/store/events", test_events);
  ADD ("/store/settings", test_settings);
  ADD ("/store/tokens/find-touch", test_tokens_find_touch);
  ADD ("/store/tokens/list-agent", test_tokens_list_agent);
  ADD ("/store/tokens/delete", test_tokens_delete);
  ADD ("/store/counts", test_counts);
#undef ADD

  return g_test_run ();
}
