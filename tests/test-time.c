/* test-time.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-clock.h"
#include "baton-id.h"
#include "baton-time.h"

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* baton_time_format */

static void
assert_format (gint64      ms,
               const char *expected)
{
  g_autofree char *text = baton_time_format (ms);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_format (void)
{
  assert_format (0, "1970-01-01T00:00:00.000Z");
  assert_format (1, "1970-01-01T00:00:00.001Z");
  assert_format (999, "1970-01-01T00:00:00.999Z");
  assert_format (1000, "1970-01-01T00:00:01.000Z");
  assert_format (61001, "1970-01-01T00:01:01.001Z");
  /* Before the epoch the milliseconds still count forward within the second. */
  assert_format (-1, "1969-12-31T23:59:59.999Z");
  assert_format (-1000, "1969-12-31T23:59:59.000Z");
  assert_format (-1500, "1969-12-31T23:59:58.500Z");
  assert_format (G_GINT64_CONSTANT (1795339800000), "2026-11-22T09:30:00.000Z");
  assert_format (G_GINT64_CONSTANT (1795339800123), "2026-11-22T09:30:00.123Z");
  assert_format (G_GINT64_CONSTANT (1767225600000), "2026-01-01T00:00:00.000Z");
  assert_format (G_GINT64_CONSTANT (1767225599999), "2025-12-31T23:59:59.999Z");
  assert_format (G_GINT64_CONSTANT (1772323199999), "2026-02-28T23:59:59.999Z");
  assert_format (G_GINT64_CONSTANT (1772323200000), "2026-03-01T00:00:00.000Z");
  assert_format (G_GINT64_CONSTANT (1798761599999), "2026-12-31T23:59:59.999Z");
  /* 2028 is a leap year. */
  assert_format (G_GINT64_CONSTANT (1835395200000), "2028-02-29T00:00:00.000Z");
}

static void
test_format_shape (void)
{
  const gint64 samples[] = { 0, 5, 50, 500, -5, G_GINT64_CONSTANT (1795339800007),
                             G_GINT64_CONSTANT (1795339800070), g_get_real_time () / 1000 };

  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autofree char *text = baton_time_format (samples[i]);

      /* Always YYYY-MM-DDTHH:MM:SS.mmmZ: 24 characters, three digits of milliseconds. */
      g_assert_cmpuint (strlen (text), ==, 24);
      g_assert_cmpint (text[10], ==, 'T');
      g_assert_cmpint (text[19], ==, '.');
      g_assert_true (g_ascii_isdigit (text[20]) && g_ascii_isdigit (text[21])
                     && g_ascii_isdigit (text[22]));
      g_assert_cmpint (text[23], ==, 'Z');
    }
}

/* baton_time_parse */

static void
assert_parse (const char *text,
              gint64      expected)
{
  gint64 ms = G_MININT64;

  g_assert_true (baton_time_parse (text, &ms));
  g_assert_cmpint (ms, ==, expected);
}

static void
assert_parse_refused (const char *text)
{
  gint64 ms = 12345;

  g_assert_false (baton_time_parse (text, &ms));
  /* A refused text leaves the output alone. */
  g_assert_cmpint (ms, ==, 12345);
}

static void
test_parse (void)
{
  const gint64 base = G_GINT64_CONSTANT (1795339800000);

  assert_parse ("2026-11-22T09:30:00.000Z", base);
  assert_parse ("2026-11-22T09:30:00Z", base);
  assert_parse ("2026-11-22t09:30:00Z", base);
  assert_parse ("2026-11-22t09:30:00.123z", base + 123);
  assert_parse ("2026-11-22T09:30:00.123Z", base + 123);
  /* Offsets are folded into UTC. */
  assert_parse ("2026-11-22T10:30:00+01:00", base);
  assert_parse ("2026-11-22T10:30:00.250+01:00", base + 250);
  assert_parse ("2026-11-22T04:00:00-05:30", base);
  assert_parse ("2026-11-23T00:30:00+15:00", base);
  assert_parse ("2026-11-22T09:30:00+00:00", base);
  /* Fractions of any length; below a millisecond they are dropped. */
  assert_parse ("2026-11-22T09:30:00.5Z", base + 500);
  assert_parse ("2026-11-22T09:30:00.05Z", base + 50);
  assert_parse ("2026-11-22T09:30:00.123456Z", base + 123);
  assert_parse ("2026-11-22T09:30:00.999999Z", base + 999);
  assert_parse ("1970-01-01T00:00:00.000Z", 0);
  assert_parse ("1969-12-31T23:59:59.999Z", -1);
  assert_parse ("2028-02-29T00:00:00Z", G_GINT64_CONSTANT (1835395200000));
}

static void
test_parse_refused (void)
{
  gint64 ms = 0;

  assert_parse_refused ("2026-11-22");
  assert_parse_refused ("2026-11-22T");
  assert_parse_refused ("2026-11-22T09:30");
  assert_parse_refused ("2026-11-22T09:30:00");
  /* A date-time without a zone is ambiguous. */
  assert_parse_refused ("2026-11-22T09:30:00.000");
  assert_parse_refused ("2026-11-22 09:30:00Z");
  assert_parse_refused ("20261122T093000Z");
  assert_parse_refused ("2026-13-01T00:00:00Z");
  assert_parse_refused ("2026-02-30T00:00:00Z");
  assert_parse_refused ("2026-11-22T25:00:00Z");
  assert_parse_refused ("2026-11-22T09:61:00Z");
  assert_parse_refused ("2026-11-22T09:30:00.000Q");
  assert_parse_refused ("garbage");
  assert_parse_refused ("garbage that is long enough");
  assert_parse_refused ("");
  assert_parse_refused ("1795339800000");
  g_assert_false (baton_time_parse (NULL, &ms));
}

static void
test_round_trip (void)
{
  const char *canonical[] = {
    "1970-01-01T00:00:00.000Z",
    "1969-07-20T20:17:40.000Z",
    "2026-01-01T00:00:00.001Z",
    "2026-06-15T12:34:56.789Z",
    "2026-11-22T09:30:00.000Z",
    "2026-12-31T23:59:59.999Z",
    "2099-12-31T23:59:59.999Z",
  };
  GRand *rand = g_rand_new_with_seed (2026);

  for (guint i = 0; i < G_N_ELEMENTS (canonical); i++)
    {
      gint64 ms = 0;
      g_autofree char *again = NULL;

      g_assert_true (baton_time_parse (canonical[i], &ms));
      again = baton_time_format (ms);
      g_assert_cmpstr (again, ==, canonical[i]);
    }

  /* Any millisecond between 1950 and 2100 survives format then parse. */
  for (guint i = 0; i < 2000; i++)
    {
      gint64 ms = (gint64) g_rand_double_range (rand, -631152000000.0, 4102444800000.0);
      gint64 parsed = G_MININT64;
      g_autofree char *text = baton_time_format (ms);

      g_assert_true (baton_time_parse (text, &parsed));
      g_assert_cmpint (parsed, ==, ms);
    }
  g_rand_free (rand);
}

/* baton_id_new */

static gint64
decode_time (const char *time_part)
{
  gint64 value = 0;

  for (guint i = 0; i < 10; i++)
    {
      const char *digit = strchr (crockford, time_part[i]);

      g_assert_nonnull (digit);
      value = value * 32 + (digit - crockford);
    }
  return value;
}

static void
assert_crockford (const char *text)
{
  for (const char *p = text; *p; p++)
    {
      /* I, L, O and U are left out of the alphabet, and it is upper-case only. */
      g_assert_nonnull (strchr (crockford, *p));
      g_assert_cmpint (*p, !=, '\0');
    }
}

static void
test_id_shape (void)
{
  const gint64 now = G_GINT64_CONSTANT (1795339800123);
  g_autofree char *id = baton_id_new ("cnv", now);
  g_autofree char *agent = baton_id_new ("agt", now);
  g_autofree char *epoch = baton_id_new ("msg", 0);
  g_autofree char *before = baton_id_new ("msg", -5000);

  g_assert_cmpuint (strlen (id), ==, 4 + 26);
  g_assert_true (g_str_has_prefix (id, "cnv_"));
  g_assert_true (g_str_has_prefix (agent, "agt_"));
  assert_crockford (id + 4);
  assert_crockford (agent + 4);
  /* The first 10 characters are the creation time. */
  g_assert_cmpint (decode_time (id + 4), ==, now);
  g_assert_true (g_str_has_prefix (epoch, "msg_0000000000"));
  g_assert_cmpuint (strlen (epoch), ==, 4 + 26);
  /* A time before the epoch is clamped, never a garbled id. */
  g_assert_true (g_str_has_prefix (before, "msg_0000000000"));
  assert_crockford (before + 4);
}

/* Ids of the same millisecond (a busy server, or a test clock standing still) sort in the
 * order they were made. */
static void
test_id_same_millisecond (void)
{
  const gint64 now = G_GINT64_CONSTANT (1795339800123);
  g_autofree char *previous = baton_id_new ("msg", now);

  for (guint i = 0; i < 5000; i++)
    {
      g_autofree char *next = baton_id_new ("msg", now);

      g_assert_cmpstr (previous, <, next);
      g_assert_cmpint (decode_time (next + 4), ==, now);
      assert_crockford (next + 4);
      g_free (previous);
      previous = g_steal_pointer (&next);
    }
}

static void
test_id_sorts (void)
{
  const gint64 start = G_GINT64_CONSTANT (1795339800000);
  g_autofree char *previous = baton_id_new ("evt", start);
  const gint64 steps[] = { 1, 2, 31, 32, 33, 1000, 1023, 1024, 60000, 86400000,
                           G_GINT64_CONSTANT (31536000000) };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autofree char *later = baton_id_new ("evt", start + steps[i]);
      g_autofree char *earlier = baton_id_new ("evt", start + steps[i] - 1);

      /* Later ids sort after earlier ones, byte-wise, whatever their random part. */
      g_assert_cmpint (strcmp (earlier, later), <, 0);
      g_assert_cmpint (strcmp (previous, later), <, 0);
      g_free (previous);
      previous = g_steal_pointer (&later);
    }
}

static void
test_id_unique (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const gint64 now = G_GINT64_CONSTANT (1795339800000);

  /* All in the same millisecond: only the random part tells them apart. */
  for (guint i = 0; i < 10000; i++)
    {
      char *id = baton_id_new ("cnv", now);

      g_assert_cmpuint (strlen (id), ==, 30);
      assert_crockford (id + 4);
      g_assert_true (g_hash_table_add (seen, id));
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 10000);
}

/* BatonClock */

static void
test_clock_real (void)
{
  g_autoptr(BatonClock) clock = baton_clock_new ();
  gint64 before = g_get_real_time () / 1000;
  gint64 now = baton_clock_now_ms (clock);
  gint64 after = g_get_real_time () / 1000;

  g_assert_false (baton_clock_is_test (clock));
  g_assert_cmpint (now, >=, before);
  g_assert_cmpint (now, <=, after);

  /* Only a test clock may be moved. */
  g_test_expect_message ("baton-clock", G_LOG_LEVEL_CRITICAL, "*self->test*");
  baton_clock_advance (clock, 60);
  g_test_assert_expected_messages ();
  g_assert_cmpint (baton_clock_now_ms (clock), <, g_get_real_time () / 1000 + 30000);
}

static void
count_advanced_cb (BatonClock *clock,
                   guint      *count)
{
  (*count)++;
}

static void
test_clock_test (void)
{
  const gint64 start = G_GINT64_CONSTANT (1795339800000);
  g_autoptr(BatonClock) clock = baton_clock_new_test (start);
  guint advanced = 0;
  gint64 now;
  gint64 later;

  g_assert_true (baton_clock_is_test (clock));
  g_signal_connect (clock, "advanced", G_CALLBACK (count_advanced_cb), &advanced);

  now = baton_clock_now_ms (clock);
  g_assert_cmpint (now, >=, start);
  g_assert_cmpint (now, <, start + 1000);

  /* It keeps ticking with real time between advances. */
  g_usleep (20 * 1000);
  later = baton_clock_now_ms (clock);
  g_assert_cmpint (later, >=, now + 15);
  g_assert_cmpint (later, <, start + 2000);
  g_assert_cmpuint (advanced, ==, 0);

  baton_clock_advance (clock, 3600);
  g_assert_cmpuint (advanced, ==, 1);
  now = baton_clock_now_ms (clock);
  g_assert_cmpint (now, >=, start + 3600 * 1000);
  g_assert_cmpint (now, <, start + 3600 * 1000 + 2000);

  baton_clock_advance (clock, 24 * 3600);
  g_assert_cmpuint (advanced, ==, 2);
  g_assert_cmpint (baton_clock_now_ms (clock), >=, start + 25 * 3600 * 1000);

  /* Advancing by nothing still announces itself, so due timers run. */
  baton_clock_advance (clock, 0);
  g_assert_cmpuint (advanced, ==, 3);
}

/* A fixed clock stands still until moved: what a slow machine does at an instant still
 * carries that instant. */
static void
test_clock_fixed (void)
{
  const gint64 at = G_GINT64_CONSTANT (1795339800123);
  g_autoptr(BatonClock) clock = baton_clock_new_fixed (at);
  guint advanced = 0;

  g_assert_true (baton_clock_is_test (clock));
  g_signal_connect (clock, "advanced", G_CALLBACK (count_advanced_cb), &advanced);
  g_assert_cmpint (baton_clock_now_ms (clock), ==, at);
  g_usleep (20 * 1000);
  g_assert_cmpint (baton_clock_now_ms (clock), ==, at);

  baton_clock_advance (clock, 60);
  g_assert_cmpuint (advanced, ==, 1);
  g_assert_cmpint (baton_clock_now_ms (clock), ==, at + 60 * 1000);
}

static void
test_clock_past (void)
{
  /* A test clock can start long before now, e.g. at the epoch. */
  g_autoptr(BatonClock) clock = baton_clock_new_test (0);
  gint64 now = baton_clock_now_ms (clock);

  g_assert_cmpint (now, >=, 0);
  g_assert_cmpint (now, <, 1000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/time/format", test_format);
  g_test_add_func ("/time/format-shape", test_format_shape);
  g_test_add_func ("/time/parse", test_parse);
  g_test_add_func ("/time/parse-refused", test_parse_refused);
  g_test_add_func ("/time/round-trip", test_round_trip);
  g_test_add_func ("/time/id/shape", test_id_shape);
  g_test_add_func ("/time/id/sorts", test_id_sorts);
  g_test_add_func ("/time/id/same-millisecond", test_id_same_millisecond);
  g_test_add_func ("/time/id/unique", test_id_unique);
  g_test_add_func ("/time/clock/real", test_clock_real);
  g_test_add_func ("/time/clock/fixed", test_clock_fixed);
  g_test_add_func ("/time/clock/test", test_clock_test);
  g_test_add_func ("/time/clock/past", test_clock_past);

  return g_test_run ();
}
