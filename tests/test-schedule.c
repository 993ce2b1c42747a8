/* test-schedule.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-error.h"
#include "baton-json.h"
#include "baton-schedule.h"
#include "baton-time.h"

static BatonSchedule *
schedule_from (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = baton_json_parse_object (json, strlen (json), &error);
  BatonSchedule *schedule = baton_schedule_new ();

  g_assert_no_error (error);
  g_assert_true (baton_schedule_update (schedule, object, TRUE, &error));
  g_assert_no_error (error);
  return schedule;
}

static gboolean
open_at (BatonSchedule *schedule,
         const char    *time)
{
  gint64 ms = 0;

  g_assert_true (baton_time_parse (time, &ms));
  return baton_schedule_contains (schedule, ms);
}

static const char office_hours[] =
  "{\"name\":\"Office\",\"timezone\":\"Europe/Paris\",\"weekly\":["
  "{\"day\":\"mon\",\"from\":\"09:00\",\"to\":\"18:00\"},"
  "{\"day\":\"tue\",\"from\":\"09:00\",\"to\":\"18:00\"},"
  "{\"day\":\"wed\",\"from\":\"09:00\",\"to\":\"18:00\"},"
  "{\"day\":\"thu\",\"from\":\"09:00\",\"to\":\"18:00\"},"
  "{\"day\":\"fri\",\"from\":\"09:00\",\"to\":\"18:00\"}],"
  "\"holidays\":[\"2026-12-25\"]}";

static void
test_office_hours (void)
{
  g_autoptr(BatonSchedule) schedule = schedule_from (office_hours);

  /* Thursday 2026-11-19, Paris is UTC+1. */
  g_assert_true (open_at (schedule, "2026-11-19T08:00:00Z"));
  g_assert_false (open_at (schedule, "2026-11-19T07:59:59Z"));
  g_assert_true (open_at (schedule, "2026-11-19T16:59:00Z"));
  g_assert_false (open_at (schedule, "2026-11-19T17:00:00Z"));
  /* Saturday */
  g_assert_false (open_at (schedule, "2026-11-21T10:00:00Z"));
  /* Christmas is a Friday: a holiday is closed all day; the day before is open. */
  g_assert_false (open_at (schedule, "2026-12-25T10:00:00Z"));
  g_assert_true (open_at (schedule, "2026-12-24T10:00:00Z"));
}

/* Spring forward: Sunday 2026-03-29 02:00 CET becomes 03:00 CEST. */
static void
test_dst_spring (void)
{
  g_autoptr(BatonSchedule) schedule = schedule_from (office_hours);

  /* Friday before: 09:30 CET = 08:30 UTC. */
  g_assert_true (open_at (schedule, "2026-03-27T08:30:00Z"));
  g_assert_false (open_at (schedule, "2026-03-27T07:30:00Z"));
  /* Monday after: 09:30 CEST = 07:30 UTC; 08:30 CEST = 06:30 UTC is still closed. */
  g_assert_true (open_at (schedule, "2026-03-30T07:30:00Z"));
  g_assert_false (open_at (schedule, "2026-03-30T06:30:00Z"));
  /* 18:00 CEST = 16:00 UTC closes. */
  g_assert_true (open_at (schedule, "2026-03-30T15:59:00Z"));
  g_assert_false (open_at (schedule, "2026-03-30T16:00:00Z"));
}

/* Fall back: Sunday 2026-10-25 03:00 CEST becomes 02:00 CET. */
static void
test_dst_autumn (void)
{
  g_autoptr(BatonSchedule) schedule = schedule_from (office_hours);

  g_assert_true (open_at (schedule, "2026-10-23T07:30:00Z"));
  g_assert_false (open_at (schedule, "2026-10-23T06:30:00Z"));
  g_assert_true (open_at (schedule, "2026-10-26T08:30:00Z"));
  g_assert_false (open_at (schedule, "2026-10-26T07:30:00Z"));
}

static void
test_overnight (void)
{
  g_autoptr(BatonSchedule) schedule = schedule_from (
    "{\"name\":\"Night\",\"timezone\":\"Europe/Paris\",\"weekly\":["
    "{\"day\":\"sat\",\"from\":\"22:00\",\"to\":\"06:00\"}],\"holidays\":[]}");

  /* Saturday 2026-11-21, UTC+1 */
  g_assert_false (open_at (schedule, "2026-11-21T20:59:00Z"));
  g_assert_true (open_at (schedule, "2026-11-21T21:00:00Z"));
  g_assert_true (open_at (schedule, "2026-11-21T23:30:00Z"));
  /* into Sunday until 06:00 local */
  g_assert_true (open_at (schedule, "2026-11-22T04:59:00Z"));
  g_assert_false (open_at (schedule, "2026-11-22T05:00:00Z"));
  /* Across the spring DST change: Sunday 2026-03-29 03:30 CEST = 01:30 UTC. */
  g_assert_true (open_at (schedule, "2026-03-29T01:30:00Z"));
  /* 06:00 CEST = 04:00 UTC */
  g_assert_false (open_at (schedule, "2026-03-29T04:00:00Z"));
}

static void
test_overnight_holidays (void)
{
  g_autoptr(BatonSchedule) schedule = schedule_from (
    "{\"name\":\"Night\",\"timezone\":\"Etc/UTC\",\"weekly\":["
    "{\"day\":\"fri\",\"from\":\"20:00\",\"to\":\"04:00\"}],\"holidays\":[\"2026-12-26\"]}");

  /* Friday 2026-12-25 20:00 opens; Saturday the 26th is a holiday, so it ends at midnight. */
  g_assert_true (open_at (schedule, "2026-12-25T23:00:00Z"));
  g_assert_false (open_at (schedule, "2026-12-26T01:00:00Z"));
  /* A week earlier, no holiday: open past midnight. */
  g_assert_true (open_at (schedule, "2026-12-19T01:00:00Z"));
}

static void
test_full_day (void)
{
  g_autoptr(BatonSchedule) schedule = schedule_from (
    "{\"name\":\"Sunday\",\"timezone\":\"America/New_York\",\"weekly\":["
    "{\"day\":\"sun\",\"from\":\"00:00\",\"to\":\"24:00\"}]}");

  /* Sunday 2026-11-22 in New York (UTC-5) */
  g_assert_true (open_at (schedule, "2026-11-22T05:00:00Z"));
  g_assert_true (open_at (schedule, "2026-11-23T04:59:00Z"));
  g_assert_false (open_at (schedule, "2026-11-23T05:00:00Z"));
}

static void
expect_field (const char *json,
              const char *field)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = baton_json_parse_object (json, strlen (json), NULL);
  g_autoptr(BatonSchedule) schedule = baton_schedule_new ();

  g_assert_nonnull (object);
  g_assert_false (baton_schedule_update (schedule, object, TRUE, &error));
  g_assert_error (error, BATON_ERROR, BATON_ERROR_UNPROCESSABLE);
  g_assert_cmpstr (baton_error_get_field (error), ==, field);
}

static void
test_validation (void)
{
  expect_field ("{\"timezone\":\"Europe/Paris\",\"weekly\":[]}", "name");
  expect_field ("{\"name\":\"x\",\"timezone\":\"Mars/Olympus\",\"weekly\":[]}", "timezone");
  expect_field ("{\"name\":\"x\",\"timezone\":\"Europe/Paris\"}", "weekly");
  expect_field ("{\"name\":\"x\",\"timezone\":\"UTC\",\"weekly\":{}}", "weekly");
  expect_field ("{\"name\":\"x\",\"timezone\":\"UTC\",\"weekly\":["
                "{\"day\":\"mon\",\"from\":\"09:00\",\"to\":\"10:00\"},"
                "{\"day\":\"funday\",\"from\":\"09:00\",\"to\":\"10:00\"}]}", "weekly[1].day");
  expect_field ("{\"name\":\"x\",\"timezone\":\"UTC\",\"weekly\":["
                "{\"day\":\"mon\",\"from\":\"9:00\",\"to\":\"10:00\"}]}", "weekly[0].from");
  expect_field ("{\"name\":\"x\",\"timezone\":\"UTC\",\"weekly\":["
                "{\"day\":\"mon\",\"from\":\"09:00\",\"to\":\"24:30\"}]}", "weekly[0].to");
  expect_field ("{\"name\":\"x\",\"timezone\":\"UTC\",\"weekly\":[],"
                "\"holidays\":[\"2026-12-25\",\"2026-13-01\"]}", "holidays[1]");
}

/* An interval member of any other JSON type than a string is refused with its path, without
 * json-glib's assertions (the suite makes a critical fatal). */
static void
test_interval_types (void)
{
  static const char * const members[] = { "day", "from", "to" };
  static const char * const values[] = { "[\"mon\"]", "{\"a\":1}", "null", "9", "1.5",
                                          "true" };

  for (guint m = 0; m < G_N_ELEMENTS (members); m++)
    for (guint v = 0; v < G_N_ELEMENTS (values); v++)
      {
        g_autofree char *interval = g_strdup_printf ("{\"day\":%s,\"from\":%s,\"to\":%s}",
                                                     m == 0 ? values[v] : "\"mon\"",
                                                     m == 1 ? values[v] : "\"09:00\"",
                                                     m == 2 ? values[v] : "\"10:00\"");
        g_autofree char *json = g_strdup_printf ("{\"name\":\"x\",\"timezone\":\"UTC\","
                                                 "\"weekly\":[%s]}", interval);
        g_autofree char *field = g_strdup_printf ("weekly[0].%s", members[m]);

        expect_field (json, field);
      }
}

static void
test_json_round_trip (void)
{
  g_autoptr(BatonSchedule) schedule = schedule_from (office_hours);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  schedule->id = g_strdup ("sch_1");
  node = baton_schedule_to_json (schedule);
  text = json_to_string (node, FALSE);
  g_assert_nonnull (strstr (text, "{\"day\":\"mon\",\"from\":\"09:00\",\"to\":\"18:00\"}"));
  g_assert_nonnull (strstr (text, "\"holidays\":[\"2026-12-25\"]"));
  g_assert_nonnull (strstr (text, "\"timezone\":\"Europe/Paris\""));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/schedule/office-hours", test_office_hours);
  g_test_add_func ("/schedule/dst/spring", test_dst_spring);
  g_test_add_func ("/schedule/dst/autumn", test_dst_autumn);
  g_test_add_func ("/schedule/overnight", test_overnight);
  g_test_add_func ("/schedule/overnight-holidays", test_overnight_holidays);
  g_test_add_func ("/schedule/full-day", test_full_day);
  g_test_add_func ("/schedule/validation", test_validation);
  g_test_add_func ("/schedule/interval-types", test_interval_types);
  g_test_add_func ("/schedule/json", test_json_round_trip);

  return g_test_run ();
}
