/* test-api-reports.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-test-helpers.h"

/* GET /reports/summary and .csv against a small workspace built at known times on the test
 * clock, in Europe/Paris across the end of summer time (2026-10-25, 03:00 CEST becomes
 * 02:00 CET, at 01:00 UTC). The test clock also runs with real time, so a duration may be
 * longer than planned by the time the steps took: SLACK seconds are allowed (the planned
 * durations are far more apart, and every time is far from an hour's boundary). */

#define START "2026-10-24T10:00:00Z"
#define SLACK 60
#define PERIOD "from=2026-10-24T00:00:00Z&to=2026-10-26T00:00:00Z"

static BatonTestServer *server;
static char *channel_id;
static char *channel_secret;
static char *alice;
static char *alice_token;
static char *bob;
static char *bob_token;
static char *team_id;

static JsonNode *
conversation_post (const char *id,
                   const char *action,
                   const char *token,
                   const char *body)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/%s", id, action);

  return baton_test_expect (server, action[0] == 'a' ? "PUT" : "POST", path, token, body,
                            g_str_equal (action, "messages") ? 201 : 200, NULL);
}

static void
reply (const char *id,
       const char *token)
{
  g_autoptr(JsonNode) node = conversation_post (id, "messages", token, "{\"body\":\"Hello\"}");
}

static void
act (const char *id,
     const char *action,
     const char *token)
{
  g_autoptr(JsonNode) node = conversation_post (id, action, token, NULL);
}

static char *
customer_writes (void)
{
  g_autofree char *phone = baton_test_new_phone ();

  return baton_test_customer_writes (server, channel_id, channel_secret, phone, NULL, "Hi");
}

/* The history every test reads (times UTC, seconds from the start):
 * C1: written 0 (Paris Saturday 12:00), assigned to Alice 60, Alice replies 120, resolves 300;
 * C2: written Sunday 00:30 (Paris 02:30 CEST), Bob replies 600 s later (which assigns him);
 * C3: written Sunday 01:30 (Paris 02:30 CET), assigned to Alice 60 s later, her reply at
 *     02:00 (1800 s after), then C3 moves to a team;
 * Alice reopens C1 at 02:00 and resolves it at 02:10; Bob resolves C2 at 02:20. */
static void
build_history (void)
{
  g_autofree char *c1 = NULL;
  g_autofree char *c2 = NULL;
  g_autofree char *c3 = NULL;
  g_autofree char *team_body = NULL;

  c1 = customer_writes ();
  baton_test_advance_clock (server, 60);
  baton_test_assign_to (server, c1, alice);
  baton_test_advance_clock (server, 60);
  reply (c1, alice_token);
  baton_test_advance_clock (server, 180);
  act (c1, "resolve", alice_token);
  /* to Sunday 00:30 UTC */
  baton_test_advance_clock (server, 14 * 3600 + 30 * 60 - 300);
  c2 = customer_writes ();
  baton_test_advance_clock (server, 600);
  reply (c2, bob_token);
  /* to 01:30 UTC */
  baton_test_advance_clock (server, 3000);
  c3 = customer_writes ();
  baton_test_advance_clock (server, 60);
  baton_test_assign_to (server, c3, alice);
  baton_test_advance_clock (server, 1740);
  reply (c3, alice_token);
  team_body = g_strdup_printf ("{\"team_id\":\"%s\"}", team_id);
  {
    g_autoptr(JsonNode) node = conversation_post (c3, "assignment", server->manager_token,
                                                  team_body);
  }
  act (c1, "reopen", alice_token);
  baton_test_advance_clock (server, 600);
  act (c1, "resolve", alice_token);
  baton_test_advance_clock (server, 600);
  act (c2, "resolve", bob_token);
}

static JsonNode *
summary (const char *token,
         const char *query)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/reports/summary?%s", query);

  return baton_test_expect (server, "GET", path, token, NULL, 200, NULL);
}

static JsonNode *
agent_row (JsonNode   *report,
           const char *agent_id)
{
  JsonArray *agents = json_object_get_array_member (json_node_get_object (report), "agents");

  for (guint i = 0; i < json_array_get_length (agents); i++)
    {
      JsonNode *row = json_array_get_element (agents, i);

      if (g_strcmp0 (baton_test_get_string (row, "id"), agent_id) == 0)
        return row;
    }
  g_assert_not_reached ();
}

static void
assert_seconds (gint64 seconds,
                gint64 expected)
{
  g_assert_cmpint (seconds, >=, expected);
  g_assert_cmpint (seconds, <=, expected + SLACK);
}

static void
assert_durations (JsonNode   *node,
                  const char *name,
                  gint64      count,
                  gint64      median,
                  gint64      p90)
{
  g_autofree char *count_path = g_strdup_printf ("%s.count", name);
  g_autofree char *median_path = g_strdup_printf ("%s.median", name);
  g_autofree char *p90_path = g_strdup_printf ("%s.p90", name);

  g_assert_cmpint (baton_test_get_int (node, count_path), ==, count);
  assert_seconds (baton_test_get_int (node, median_path), median);
  assert_seconds (baton_test_get_int (node, p90_path), p90);
}

static gint64
hour (JsonNode *report,
      guint     h)
{
  JsonArray *hours = json_object_get_array_member (json_node_get_object (report),
                                                   "created_by_hour");

  g_assert_cmpuint (json_array_get_length (hours), ==, 24);
  return json_array_get_int_element (hours, h);
}

static void
test_manager_summary (void)
{
  g_autoptr(JsonNode) report = summary (server->manager_token, PERIOD);
  JsonNode *row = NULL;

  g_assert_cmpstr (baton_test_get_string (report, "from"), ==, "2026-10-24T00:00:00.000Z");
  g_assert_cmpstr (baton_test_get_string (report, "to"), ==, "2026-10-26T00:00:00.000Z");
  g_assert_cmpstr (baton_test_get_string (report, "timezone"), ==, "Europe/Paris");
  g_assert_cmpint (baton_test_get_int (report, "created"), ==, 3);
  g_assert_cmpint (baton_test_get_int (report, "resolved"), ==, 3);
  g_assert_cmpint (baton_test_get_int (report, "reopened"), ==, 1);
  g_assert_cmpint (baton_test_get_int (report, "replies"), ==, 3);
  /* first responses 120, 600, 1800 s; resolutions 300, 6600, 58200 s (nearest rank) */
  assert_durations (report, "first_response", 3, 600, 1800);
  assert_durations (report, "resolution", 3, 6600, 58200);

  row = agent_row (report, alice);
  g_assert_cmpstr (baton_test_get_string (row, "name"), ==, "Alice Report");
  g_assert_cmpint (baton_test_get_int (row, "assigned"), ==, 2);
  g_assert_cmpint (baton_test_get_int (row, "resolved"), ==, 2);
  g_assert_cmpint (baton_test_get_int (row, "open"), ==, 1);
  g_assert_cmpint (baton_test_get_int (row, "replies"), ==, 2);
  assert_durations (row, "first_response", 2, 120, 1800);
  row = agent_row (report, bob);
  g_assert_cmpint (baton_test_get_int (row, "assigned"), ==, 1);
  g_assert_cmpint (baton_test_get_int (row, "resolved"), ==, 1);
  g_assert_cmpint (baton_test_get_int (row, "open"), ==, 0);
  g_assert_cmpint (baton_test_get_int (row, "replies"), ==, 1);
  assert_durations (row, "first_response", 1, 600, 600);
  row = agent_row (report, server->manager_id);
  g_assert_cmpint (baton_test_get_int (row, "assigned"), ==, 0);
  g_assert_null (baton_test_get_string (row, "first_response.median"));

  g_assert_cmpstr (baton_test_get_string (report, "assignments_by_via.0.via"), ==,
                   "first_reply");
  g_assert_cmpint (baton_test_get_int (report, "assignments_by_via.0.count"), ==, 1);
  g_assert_cmpstr (baton_test_get_string (report, "assignments_by_via.1.via"), ==, "manual");
  g_assert_cmpint (baton_test_get_int (report, "assignments_by_via.1.count"), ==, 2);
  g_assert_cmpint (baton_test_get_int (report, "assignments_by_via.#"), ==, 2);
}

/* 00:30 UTC is 02:30 in Paris before the clocks go back, 01:30 UTC is 02:30 after: both
 * in hour 2 (a fixed offset would split them into 1 and 2, or 2 and 3). */
static void
test_hours_across_dst (void)
{
  g_autoptr(JsonNode) report = summary (server->manager_token, PERIOD);

  for (guint h = 0; h < 24; h++)
    g_assert_cmpint (hour (report, h), ==, h == 2 ? 2 : h == 12 ? 1 : 0);
  g_assert_cmpint (baton_test_get_int (report, "created_by_weekday.sat"), ==, 1);
  g_assert_cmpint (baton_test_get_int (report, "created_by_weekday.sun"), ==, 2);
  g_assert_cmpint (baton_test_get_int (report, "created_by_weekday.mon"), ==, 0);
}

/* a day's figures: created, resolved, first response and resolution medians (-1: null) */
static void
assert_day (JsonNode   *report,
            guint       index,
            const char *date,
            gint64      created,
            gint64      resolved,
            gint64      first_response,
            gint64      resolution)
{
  g_autofree char *prefix = g_strdup_printf ("days.%u.", index);
  g_autofree char *date_path = g_strconcat (prefix, "date", NULL);
  g_autofree char *created_path = g_strconcat (prefix, "created", NULL);
  g_autofree char *resolved_path = g_strconcat (prefix, "resolved", NULL);
  g_autofree char *first_path = g_strconcat (prefix, "first_response_median", NULL);
  g_autofree char *resolution_path = g_strconcat (prefix, "resolution_median", NULL);

  g_assert_cmpstr (baton_test_get_string (report, date_path), ==, date);
  g_assert_cmpint (baton_test_get_int (report, created_path), ==, created);
  g_assert_cmpint (baton_test_get_int (report, resolved_path), ==, resolved);
  if (first_response < 0)
    g_assert_null (baton_test_get_string (report, first_path));
  else
    assert_seconds (baton_test_get_int (report, first_path), first_response);
  if (resolution < 0)
    g_assert_null (baton_test_get_string (report, resolution_path));
  else
    assert_seconds (baton_test_get_int (report, resolution_path), resolution);
}

/* Paris days: Saturday 24 (C1 and its first resolution), Sunday 25, 25 hours long (C2 and C3
 * written, C1 and C2 resolved), Monday 26 (its first hour is in the period, nothing happens) */
static void
test_days (void)
{
  g_autoptr(JsonNode) report = summary (server->manager_token, PERIOD);

  g_assert_cmpint (baton_test_get_int (report, "days.#"), ==, 3);
  assert_day (report, 0, "2026-10-24", 1, 1, 120, 300);
  g_assert_cmpint (baton_test_get_int (report, "days.0.assignments_by_via.#"), ==, 1);
  g_assert_cmpstr (baton_test_get_string (report, "days.0.assignments_by_via.0.via"), ==,
                   "manual");
  g_assert_cmpint (baton_test_get_int (report, "days.0.assignments_by_via.0.count"), ==, 1);
  /* first responses 600 and 1800 s, resolutions 58200 and 6600 s: the lower middles */
  assert_day (report, 1, "2026-10-25", 2, 2, 600, 6600);
  g_assert_cmpint (baton_test_get_int (report, "days.1.assignments_by_via.#"), ==, 2);
  g_assert_cmpstr (baton_test_get_string (report, "days.1.assignments_by_via.0.via"), ==,
                   "first_reply");
  g_assert_cmpint (baton_test_get_int (report, "days.1.assignments_by_via.0.count"), ==, 1);
  g_assert_cmpstr (baton_test_get_string (report, "days.1.assignments_by_via.1.via"), ==,
                   "manual");
  g_assert_cmpint (baton_test_get_int (report, "days.1.assignments_by_via.1.count"), ==, 1);
  assert_day (report, 2, "2026-10-26", 0, 0, -1, -1);
  g_assert_cmpint (baton_test_get_int (report, "days.2.assignments_by_via.#"), ==, 0);
}

/* From Saturday 00:00 CEST to Monday 00:00 CET: two local days, although the period is 49
 * hours (a fixed offset would end it at Monday 01:00 and add a day); a period of an hour
 * across midnight has two days. */
static void
test_days_across_dst (void)
{
  g_autoptr(JsonNode) weekend = summary (server->manager_token,
                                         "from=2026-10-23T22:00:00Z&to=2026-10-25T23:00:00Z");
  g_autoptr(JsonNode) midnight = summary (server->manager_token,
                                          "from=2026-10-25T22:30:00Z&to=2026-10-25T23:30:00Z");

  g_assert_cmpint (baton_test_get_int (weekend, "days.#"), ==, 2);
  assert_day (weekend, 0, "2026-10-24", 1, 1, 120, 300);
  assert_day (weekend, 1, "2026-10-25", 2, 2, 600, 6600);
  g_assert_cmpint (baton_test_get_int (midnight, "days.#"), ==, 2);
  assert_day (midnight, 0, "2026-10-25", 0, 0, -1, -1);
  assert_day (midnight, 1, "2026-10-26", 0, 0, -1, -1);
}

/* the heat map: Saturday 12:00 (C1), Sunday 02:30 twice (C2 and C3, across the change) */
static void
test_weekday_hours (void)
{
  g_autoptr(JsonNode) report = summary (server->manager_token, PERIOD);
  JsonArray *days = json_object_get_array_member (json_node_get_object (report),
                                                  "created_by_weekday_hour");

  g_assert_cmpuint (json_array_get_length (days), ==, 7);
  for (guint d = 0; d < 7; d++)
    {
      JsonArray *hours = json_array_get_array_element (days, d);

      g_assert_cmpuint (json_array_get_length (hours), ==, 24);
      for (guint h = 0; h < 24; h++)
        g_assert_cmpint (json_array_get_int_element (hours, h), ==,
                         d == 5 && h == 12 ? 1 : d == 6 && h == 2 ? 2 : 0);
    }
}

/* [from, to): C1 is written at from itself and resolved at to. */
static void
test_period_bounds (void)
{
  g_autoptr(JsonNode) report = summary (server->manager_token,
                                        "from=" START "&to=2026-10-24T12:05:00%2B02:00");

  g_assert_cmpint (baton_test_get_int (report, "created"), ==, 1);
  g_assert_cmpint (baton_test_get_int (report, "replies"), ==, 1);
  g_assert_cmpint (baton_test_get_int (report, "resolved"), ==, 0);
  assert_durations (report, "first_response", 1, 120, 120);
  g_assert_cmpint (baton_test_get_int (report, "resolution.count"), ==, 0);
  g_assert_null (baton_test_get_string (report, "resolution.median"));
  /* open now, whatever the period: C3 */
  g_assert_cmpint (baton_test_get_int (agent_row (report, alice), "open"), ==, 1);
}

/* Without from and to: the 7 days up to now (the test clock). */
static void
test_default_period (void)
{
  g_autoptr(JsonNode) report = summary (server->manager_token, "");
  g_autoptr(GDateTime) from = g_date_time_new_from_iso8601 (baton_test_get_string (report,
                                                                                   "from"),
                                                            NULL);
  g_autoptr(GDateTime) to = g_date_time_new_from_iso8601 (baton_test_get_string (report, "to"),
                                                          NULL);

  g_assert_cmpint (g_date_time_difference (to, from), ==, 7 * G_TIME_SPAN_DAY);
  assert_seconds (g_date_time_to_unix (to), 1792894800 /* 2026-10-25T02:20:00Z */);
  g_assert_cmpint (baton_test_get_int (report, "created"), ==, 3);
}

static void
test_agent_sees_own (void)
{
  g_autoptr(JsonNode) report = summary (alice_token, PERIOD);
  g_autofree char *own = g_strdup_printf (PERIOD "&agent=%s", alice);
  g_autoptr(JsonNode) same = summary (alice_token, own);
  g_autofree char *other = g_strdup_printf ("/api/v1/reports/summary?agent=%s", bob);
  g_autoptr(JsonNode) forbidden = baton_test_expect (server, "GET", other, alice_token, NULL,
                                                     403, "forbidden");

  g_assert_cmpstr (baton_test_get_string (report, "agent_id"), ==, alice);
  /* C1 and C3, hers; not C2 */
  g_assert_cmpint (baton_test_get_int (report, "created"), ==, 2);
  g_assert_cmpint (baton_test_get_int (report, "resolved"), ==, 2);
  g_assert_cmpint (baton_test_get_int (report, "reopened"), ==, 1);
  g_assert_cmpint (baton_test_get_int (report, "replies"), ==, 2);
  assert_durations (report, "first_response", 2, 120, 1800);
  g_assert_cmpint (hour (report, 2), ==, 1);
  g_assert_cmpint (hour (report, 12), ==, 1);
  g_assert_cmpint (baton_test_get_int (report, "agents.#"), ==, 1);
  g_assert_cmpint (baton_test_get_int (agent_row (report, alice), "assigned"), ==, 2);
  g_assert_cmpint (baton_test_get_int (same, "created"), ==, 2);
  /* her days: C1 on Saturday, C3 on Sunday (her reply 1800 s after) */
  assert_day (report, 0, "2026-10-24", 1, 1, 120, 300);
  assert_day (report, 1, "2026-10-25", 1, 1, 1800, 58200);
  g_assert_cmpstr (baton_test_get_string (forbidden, "error.code"), ==, "forbidden");
}

static void
test_filters (void)
{
  g_autofree char *by_bob = g_strdup_printf (PERIOD "&agent=%s", bob);
  g_autofree char *by_team = g_strdup_printf (PERIOD "&team=%s", team_id);
  g_autoptr(JsonNode) bob_report = summary (server->manager_token, by_bob);
  g_autoptr(JsonNode) team_report = summary (server->manager_token, by_team);
  g_autoptr(JsonNode) unknown = summary (server->manager_token, PERIOD "&team=tea_nosuch");
  g_autoptr(JsonNode) nobody = summary (server->manager_token, PERIOD "&agent=agt_nosuch");

  /* C2 alone */
  g_assert_cmpint (baton_test_get_int (bob_report, "created"), ==, 1);
  g_assert_cmpint (baton_test_get_int (bob_report, "replies"), ==, 1);
  g_assert_cmpint (baton_test_get_int (bob_report, "agents.#"), ==, 1);
  assert_durations (bob_report, "first_response", 1, 600, 600);
  /* C3 alone: Alice's reply 1800 s after it was written */
  g_assert_cmpint (baton_test_get_int (team_report, "created"), ==, 1);
  g_assert_cmpint (baton_test_get_int (team_report, "replies"), ==, 1);
  g_assert_cmpint (baton_test_get_int (team_report, "resolved"), ==, 0);
  assert_durations (team_report, "first_response", 1, 1800, 1800);
  g_assert_cmpint (baton_test_get_int (agent_row (team_report, alice), "open"), ==, 1);
  /* an unknown team filters everything out, as the conversation list's filter does */
  g_assert_cmpint (baton_test_get_int (unknown, "created"), ==, 0);
  g_assert_cmpint (baton_test_get_int (unknown, "replies"), ==, 0);
  g_assert_cmpint (baton_test_get_int (unknown, "first_response.count"), ==, 0);
  g_assert_cmpint (baton_test_get_int (nobody, "created"), ==, 0);
  g_assert_cmpint (baton_test_get_int (nobody, "agents.#"), ==, 0);
}

static void
expect_bad (const char *query,
            const char *field)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/reports/summary?%s", query);
  g_autofree char *csv_path = g_strdup_printf ("/api/v1/reports/summary.csv?%s", query);
  g_autoptr(JsonNode) node = baton_test_expect (server, "GET", path, server->manager_token,
                                                NULL, 400, "bad_request");
  g_autoptr(JsonNode) csv = baton_test_expect (server, "GET", csv_path, server->manager_token,
                                               NULL, 400, "bad_request");

  g_assert_cmpstr (baton_test_get_string (node, "error.field"), ==, field);
  g_assert_cmpstr (baton_test_get_string (csv, "error.field"), ==, field);
}

static void
test_bad_parameters (void)
{
  g_autoptr(JsonNode) year = summary (server->manager_token,
                                      "from=2024-01-01T00:00:00Z&to=2025-01-01T00:00:00Z");
  g_autoptr(JsonNode) signed_out = baton_test_expect (server, "GET", "/api/v1/reports/summary",
                                                      NULL, NULL, 401, "unauthorized");

  expect_bad ("from=yesterday", "from");
  expect_bad ("from=2026-10-24", "from");
  expect_bad ("to=2026-10-24T00:00:00", "to");
  expect_bad ("from=2026-10-24T00:00:00Z&to=2026-10-24T00:00:00Z", "to");
  expect_bad ("from=2026-10-25T00:00:00Z&to=2026-10-24T00:00:00Z", "to");
  /* 366 days is the most (a leap year, above); one more millisecond is too long */
  expect_bad ("from=2024-01-01T00:00:00Z&to=2025-01-01T00:00:00.001Z", "to");
  g_assert_cmpint (baton_test_get_int (year, "created"), ==, 0);
}

/* the number after prefix in text (which must hold prefix) */
static gint64
number_after (const char *text,
              const char *prefix)
{
  const char *at = strstr (text, prefix);

  g_assert_nonnull (at);
  return g_ascii_strtoll (at + strlen (prefix), NULL, 10);
}

/* the two durations ending an agent's row, which starts with prefix */
static void
assert_row_durations (const char *text,
                      const char *prefix,
                      gint64      median,
                      gint64      p90)
{
  const char *at = strstr (text, prefix);
  char *end = NULL;

  g_assert_nonnull (at);
  assert_seconds (g_ascii_strtoll (at + strlen (prefix), &end, 10), median);
  g_assert_cmpint (*end, ==, ',');
  assert_seconds (g_ascii_strtoll (end + 1, &end, 10), p90);
  g_assert_true (g_str_has_prefix (end, "\r\n"));
}

/* the days and heat map sections that end the CSV */
static void
assert_csv_days (const char *text)
{
  g_autoptr(GString) heat = g_string_new ("\r\n\r\ncreated_by_weekday_hour\r\nweekday");
  const char *names[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

  g_assert_nonnull (strstr (text, "\r\n\r\ndays\r\ndate,created,resolved,"
                                  "first_response_median,resolution_median\r\n"
                                  "2026-10-24,1,1,"));
  assert_row_durations (text, "\r\n2026-10-24,1,1,", 120, 300);
  assert_row_durations (text, "\r\n2026-10-25,2,2,", 600, 6600);
  g_assert_nonnull (strstr (text, "\r\n2026-10-26,0,0,,\r\n\r\nassignments_by_day\r\n"
                                  "date,via,count\r\n2026-10-24,manual,1\r\n"
                                  "2026-10-25,first_reply,1\r\n2026-10-25,manual,1\r\n"));
  for (guint h = 0; h < 24; h++)
    g_string_append_printf (heat, ",%u", h);
  g_string_append (heat, "\r\n");
  for (guint d = 0; d < 7; d++)
    {
      g_string_append (heat, names[d]);
      for (guint h = 0; h < 24; h++)
        g_string_append (heat, d == 5 && h == 12 ? ",1" : d == 6 && h == 2 ? ",2" : ",0");
      g_string_append (heat, "\r\n");
    }
  g_assert_true (g_str_has_suffix (text, heat->str));
}

static void
test_csv (void)
{
  g_autoptr(GBytes) response = NULL;
  g_autoptr(SoupMessage) msg = baton_test_send_raw (server, "GET",
                                                    "/api/v1/reports/summary.csv?" PERIOD,
                                                    server->manager_token, NULL, &response);
  g_autofree char *text = g_strndup (g_bytes_get_data (response, NULL),
                                     g_bytes_get_size (response));
  g_autofree char *alice_row = g_strdup_printf ("\r\n%s,Alice Report,2,2,1,2,2,", alice);
  /* a name with a comma and quotes is quoted, its quotes doubled */
  g_autofree char *bob_row = g_strdup_printf ("\r\n%s,\"Bob, \"\"Reports\"\"\",1,1,0,1,1,",
                                              bob);
  const char *hours = NULL;

  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (
                   soup_message_get_response_headers (msg), NULL), "text/csv"));
  g_assert_true (g_str_has_prefix (text, "summary\r\nfigure,value\r\n"
                                   "from,2026-10-24T00:00:00.000Z\r\n"
                                   "to,2026-10-26T00:00:00.000Z\r\n"
                                   "timezone,Europe/Paris\r\nteam_id,\r\nagent_id,\r\n"
                                   "created,3\r\nresolved,3\r\nreopened,1\r\nreplies,3\r\n"
                                   "first_response_count,3\r\nfirst_response_median,"));
  assert_seconds (number_after (text, "\r\nfirst_response_median,"), 600);
  assert_seconds (number_after (text, "\r\nfirst_response_p90,"), 1800);
  g_assert_cmpint (number_after (text, "\r\nresolution_count,"), ==, 3);
  assert_seconds (number_after (text, "\r\nresolution_median,"), 6600);
  assert_seconds (number_after (text, "\r\nresolution_p90,"), 58200);
  g_assert_nonnull (strstr (text, "\r\n\r\nagents\r\nid,name,assigned,resolved,open,replies,"
                                  "first_response_count,first_response_median,"
                                  "first_response_p90\r\n"));
  assert_row_durations (text, alice_row, 120, 1800);
  assert_row_durations (text, bob_row, 600, 600);
  g_assert_nonnull (strstr (text, "\r\n\r\nassignments_by_via\r\nvia,count\r\n"
                                  "first_reply,1\r\nmanual,2\r\n\r\n"));
  hours = strstr (text, "\r\ncreated_by_hour\r\nhour,created\r\n0,0\r\n1,0\r\n2,2\r\n"
                        "3,0\r\n");
  g_assert_nonnull (hours);
  g_assert_nonnull (strstr (hours, "\r\n12,1\r\n13,0\r\n"));
  g_assert_nonnull (strstr (text, "\r\n\r\ncreated_by_weekday\r\nweekday,created\r\n"
                                  "mon,0\r\ntue,0\r\nwed,0\r\nthu,0\r\nfri,0\r\n"
                                  "sat,1\r\nsun,2\r\n\r\n"));
  assert_csv_days (text);

  /* A name a spreadsheet would run as a formula stays text. */
  {
    g_autofree char *formula_id = baton_test_new_agent (server, "=SUM(1)", "agent", NULL);
    g_autofree char *formula_row = g_strdup_printf ("\r\n%s,\"'=SUM(1)\",", formula_id);
    g_autoptr(GBytes) again = NULL;
    g_autoptr(SoupMessage) again_msg = baton_test_send_raw (server, "GET",
                                                            "/api/v1/reports/summary.csv?"
                                                            PERIOD, server->manager_token,
                                                            NULL, &again);
    g_autofree char *again_text = g_strndup (g_bytes_get_data (again, NULL),
                                             g_bytes_get_size (again));

    g_assert_cmpuint (soup_message_get_status (again_msg), ==, 200);
    g_assert_nonnull (strstr (again_text, formula_row));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *team_body = NULL;

  g_test_init (&argc, &argv, NULL);
  server = baton_test_server_new ("--test-clock=" START, NULL);
  channel_id = baton_test_create_channel (server, NULL, &channel_secret);
  alice = baton_test_new_agent (server, "Alice Report", "agent", &alice_token);
  bob = baton_test_new_agent (server, "Bob, \"Reports\"", "agent", &bob_token);
  team_body = g_strdup_printf ("{\"name\":\"Reports team\",\"strategy\":\"round_robin\","
                               "\"member_ids\":[\"%s\"]}", alice);
  team_id = baton_test_create (server, "/api/v1/teams", team_body);
  {
    g_autoptr(JsonNode) node = baton_test_expect (server, "PATCH", "/api/v1/settings",
                                                  server->manager_token,
                                                  "{\"timezone\":\"Europe/Paris\"}", 200, NULL);
  }
  build_history ();

  g_test_add_func ("/reports/manager-summary", test_manager_summary);
  g_test_add_func ("/reports/hours-across-dst", test_hours_across_dst);
  g_test_add_func ("/reports/days", test_days);
  g_test_add_func ("/reports/days-across-dst", test_days_across_dst);
  g_test_add_func ("/reports/weekday-hours", test_weekday_hours);
  g_test_add_func ("/reports/period-bounds", test_period_bounds);
  g_test_add_func ("/reports/default-period", test_default_period);
  g_test_add_func ("/reports/agent-sees-own", test_agent_sees_own);
  g_test_add_func ("/reports/filters", test_filters);
  g_test_add_func ("/reports/bad-parameters", test_bad_parameters);
  g_test_add_func ("/reports/csv", test_csv);

  return baton_test_run (server);
}
