/* test-strategy.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-strategy.h"

typedef struct {
  BatonTeam *team;
  GHashTable *states;
} Fixture;

static void
add_agent (Fixture    *fixture,
           const char *id,
           gboolean    online,
           int         load,
           gint64      last_assigned_at)
{
  BatonAgentState *state = g_new0 (BatonAgentState, 1);

  state->online = online;
  state->load = load;
  state->last_assigned_at = last_assigned_at;
  g_hash_table_insert (fixture->states, g_strdup (id), state);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  const char *members[] = { "ana", "ben", "cleo", "dev", NULL };

  fixture->team = baton_team_new ();
  fixture->team->id = g_strdup ("sales");
  fixture->team->member_ids = g_strdupv ((char **) members);
  fixture->states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; members[i]; i++)
    add_agent (fixture, members[i], TRUE, 0, 0);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  baton_team_unref (fixture->team);
  g_hash_table_unref (fixture->states);
}

static BatonAgentState *
state_of (Fixture    *fixture,
          const char *id)
{
  return g_hash_table_lookup (fixture->states, id);
}

/* Picks n times, moving the cursor as the server does, and returns the picks joined. */
static char *
pick_sequence (Fixture            *fixture,
               const char         *cursor,
               guint               n,
               const char * const *excluded)
{
  g_autoptr(GString) sequence = g_string_new (NULL);
  g_autofree char *last = g_strdup (cursor);

  for (guint i = 0; i < n; i++)
    {
      const char *via = NULL;
      g_autofree char *picked = baton_strategy_pick (fixture->team, last, fixture->states,
                                                     excluded, &via);

      if (sequence->len)
        g_string_append_c (sequence, ' ');
      g_string_append (sequence, picked ? picked : "-");
      if (picked)
        {
          g_free (last);
          last = g_strdup (picked);
        }
    }
  return g_strdup (sequence->str);
}

static void
test_round_robin_order (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *sequence = pick_sequence (fixture, NULL, 9, NULL);
  const char *via = NULL;
  g_autofree char *picked = baton_strategy_pick (fixture->team, NULL, fixture->states, NULL, &via);

  /* From first to last, then back to the first. */
  g_assert_cmpstr (sequence, ==, "ana ben cleo dev ana ben cleo dev ana");
  g_assert_cmpstr (via, ==, "team:round_robin");
}

static void
test_round_robin_skips_not_consumes (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  state_of (fixture, "ben")->online = FALSE;
  first = pick_sequence (fixture, "ana", 3, NULL);
  g_assert_cmpstr (first, ==, "cleo dev ana");
  /* Ben back online takes his turn at once: being skipped did not cost it. */
  state_of (fixture, "ben")->online = TRUE;
  second = pick_sequence (fixture, "ana", 2, NULL);
  g_assert_cmpstr (second, ==, "ben cleo");
}

static void
test_round_robin_cursor_left_team (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autofree char *sequence = pick_sequence (fixture, "zoe", 2, NULL);

  g_assert_cmpstr (sequence, ==, "ana ben");
}

static void
test_round_robin_wraps_from_last (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autofree char *sequence = pick_sequence (fixture, "dev", 1, NULL);

  g_assert_cmpstr (sequence, ==, "ana");
}

static void
test_only_online (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *online_only = NULL;
  g_autofree char *anyone = NULL;

  for (guint i = 0; fixture->team->member_ids[i]; i++)
    state_of (fixture, fixture->team->member_ids[i])->online = FALSE;
  fixture->team->only_online = TRUE;
  online_only = pick_sequence (fixture, NULL, 1, NULL);
  g_assert_cmpstr (online_only, ==, "-");
  fixture->team->only_online = FALSE;
  anyone = pick_sequence (fixture, NULL, 1, NULL);
  g_assert_cmpstr (anyone, ==, "ana");
}

static void
test_capacity (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *sequence = NULL;

  fixture->team->max_active_per_agent = 2;
  state_of (fixture, "ana")->load = 2;
  state_of (fixture, "ben")->load = 1;
  state_of (fixture, "cleo")->load = 3;
  state_of (fixture, "dev")->load = 2;
  sequence = pick_sequence (fixture, NULL, 2, NULL);
  g_assert_cmpstr (sequence, ==, "ben ben");
  state_of (fixture, "ben")->load = 2;
  g_clear_pointer (&sequence, g_free);
  sequence = pick_sequence (fixture, NULL, 1, NULL);
  g_assert_cmpstr (sequence, ==, "-");
}

static void
test_excluded (Fixture       *fixture,
               gconstpointer  data)
{
  const char *lapsed[] = { "ben", "cleo", NULL };
  g_autofree char *sequence = pick_sequence (fixture, "ana", 3, lapsed);

  g_assert_cmpstr (sequence, ==, "dev ana dev");
}

static void
test_least_busy (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *via = NULL;
  g_autofree char *picked = NULL;

  fixture->team->strategy = BATON_STRATEGY_LEAST_BUSY;
  state_of (fixture, "ana")->load = 3;
  state_of (fixture, "ben")->load = 1;
  state_of (fixture, "cleo")->load = 1;
  state_of (fixture, "dev")->load = 2;
  state_of (fixture, "ben")->last_assigned_at = 2000;
  state_of (fixture, "cleo")->last_assigned_at = 1000;
  picked = baton_strategy_pick (fixture->team, NULL, fixture->states, NULL, &via);
  /* Ben and Cleo tie on load; Cleo was assigned less recently. */
  g_assert_cmpstr (picked, ==, "cleo");
  g_assert_cmpstr (via, ==, "team:least_busy");
}

static void
test_least_busy_ties (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *never = NULL;
  g_autofree char *order = NULL;

  fixture->team->strategy = BATON_STRATEGY_LEAST_BUSY;
  state_of (fixture, "ana")->last_assigned_at = 5000;
  state_of (fixture, "ben")->last_assigned_at = 4000;
  state_of (fixture, "cleo")->last_assigned_at = 0;
  state_of (fixture, "dev")->last_assigned_at = 0;
  /* Never assigned counts as least recent; between two such, member order decides. */
  never = baton_strategy_pick (fixture->team, NULL, fixture->states, NULL, NULL);
  g_assert_cmpstr (never, ==, "cleo");
  state_of (fixture, "cleo")->last_assigned_at = 7000;
  state_of (fixture, "dev")->last_assigned_at = 7000;
  state_of (fixture, "ana")->last_assigned_at = 7000;
  state_of (fixture, "ben")->last_assigned_at = 7000;
  order = baton_strategy_pick (fixture->team, NULL, fixture->states, NULL, NULL);
  g_assert_cmpstr (order, ==, "ana");
}

static void
test_least_busy_many_picks (Fixture       *fixture,
                            gconstpointer  data)
{
  /* Assigning the pick each time spreads 400 conversations evenly. */
  fixture->team->strategy = BATON_STRATEGY_LEAST_BUSY;
  for (int i = 0; i < 400; i++)
    {
      g_autofree char *picked = baton_strategy_pick (fixture->team, NULL, fixture->states, NULL,
                                                     NULL);
      BatonAgentState *state = state_of (fixture, picked);

      state->load++;
      state->last_assigned_at = i + 1;
    }
  for (guint i = 0; fixture->team->member_ids[i]; i++)
    g_assert_cmpint (state_of (fixture, fixture->team->member_ids[i])->load, ==, 100);
}

static void
test_default_user (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *via = NULL;
  g_autofree char *main_pick = NULL;
  g_autofree char *backup_pick = NULL;
  g_autofree char *nobody = NULL;
  g_autofree char *offline_main = NULL;

  fixture->team->strategy = BATON_STRATEGY_DEFAULT_USER;
  fixture->team->default_user_id = g_strdup ("cleo");
  fixture->team->backup_user_id = g_strdup ("dev");
  main_pick = baton_strategy_pick (fixture->team, NULL, fixture->states, NULL, &via);
  g_assert_cmpstr (main_pick, ==, "cleo");
  g_assert_cmpstr (via, ==, "team:default_user");

  state_of (fixture, "cleo")->online = FALSE;
  backup_pick = baton_strategy_pick (fixture->team, NULL, fixture->states, NULL, &via);
  g_assert_cmpstr (backup_pick, ==, "dev");
  g_assert_cmpstr (via, ==, "team:backup_user");

  state_of (fixture, "dev")->online = FALSE;
  fixture->team->only_online = TRUE;
  nobody = baton_strategy_pick (fixture->team, NULL, fixture->states, NULL, &via);
  g_assert_null (nobody);

  /* Without only_online the default user gets it even offline. */
  fixture->team->only_online = FALSE;
  offline_main = baton_strategy_pick (fixture->team, NULL, fixture->states, NULL, &via);
  g_assert_cmpstr (offline_main, ==, "cleo");
  g_assert_cmpstr (via, ==, "team:default_user");
}

static void
test_empty_team (Fixture       *fixture,
                 gconstpointer  data)
{
  g_strfreev (fixture->team->member_ids);
  fixture->team->member_ids = g_new0 (char *, 1);
  g_assert_null (baton_strategy_pick (fixture->team, NULL, fixture->states, NULL, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/strategy/round-robin/order", test_round_robin_order);
  ADD ("/strategy/round-robin/skips-not-consumes", test_round_robin_skips_not_consumes);
  ADD ("/strategy/round-robin/cursor-left-team", test_round_robin_cursor_left_team);
  ADD ("/strategy/round-robin/wraps", test_round_robin_wraps_from_last);
  ADD ("/strategy/only-online", test_only_online);
  ADD ("/strategy/capacity", test_capacity);
  ADD ("/strategy/excluded", test_excluded);
  ADD ("/strategy/least-busy/load", test_least_busy);
  ADD ("/strategy/least-busy/ties", test_least_busy_ties);
  ADD ("/strategy/least-busy/spread", test_least_busy_many_picks);
  ADD ("/strategy/default-user", test_default_user);
  ADD ("/strategy/empty-team", test_empty_team);
#undef ADD

  return g_test_run ();
}
