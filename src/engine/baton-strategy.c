/* baton-strategy.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-strategy"

#include "config.h"

#include "baton-strategy.h"

static gboolean
is_member (const BatonTeam *team,
           const char      *agent_id)
{
  return agent_id && team->member_ids
         && g_strv_contains ((const char * const *) team->member_ids, agent_id);
}

/* In the team, online when the team wants it, below capacity when it has one, and not one
 * who already let this conversation lapse. */
gboolean
baton_strategy_is_eligible (const BatonTeam    *team,
                            const char         *agent_id,
                            BatonAgentStates   *states,
                            const char * const *excluded)
{
  BatonAgentState *state = NULL;

  if (!is_member (team, agent_id))
    return FALSE;
  state = g_hash_table_lookup (states, agent_id);
  if (state == NULL)
    return FALSE;
  if (team->only_online && !state->online)
    return FALSE;
  if (team->max_active_per_agent > 0 && state->load >= team->max_active_per_agent)
    return FALSE;
  if (excluded && g_strv_contains (excluded, agent_id))
    return FALSE;
  return TRUE;
}

static char *
pick_round_robin (const BatonTeam    *team,
                  const char         *cursor,
                  BatonAgentStates   *states,
                  const char * const *excluded)
{
  guint n = g_strv_length (team->member_ids);
  guint start = 0;

  /* The first eligible member after the last one picked, wrapping; ineligible members are
   * skipped without taking their turn. A cursor that left the team restarts at the top. */
  for (guint i = 0; cursor && i < n; i++)
    if (g_str_equal (team->member_ids[i], cursor))
      start = i + 1;
  for (guint k = 0; k < n; k++)
    {
      const char *candidate = team->member_ids[(start + k) % n];

      if (baton_strategy_is_eligible (team, candidate, states, excluded))
        return g_strdup (candidate);
    }
  return NULL;
}

static char *
pick_least_busy (const BatonTeam    *team,
                 BatonAgentStates   *states,
                 const char * const *excluded)
{
  const char *best = NULL;
  BatonAgentState *best_state = NULL;

  /* Lowest load; ties to the one assigned least recently (never first), then member order,
   * which the strict comparisons keep. */
  for (guint i = 0; team->member_ids[i]; i++)
    {
      const char *candidate = team->member_ids[i];
      BatonAgentState *state = NULL;

      if (!baton_strategy_is_eligible (team, candidate, states, excluded))
        continue;
      state = g_hash_table_lookup (states, candidate);
      if (best == NULL || state->load < best_state->load
          || (state->load == best_state->load
              && state->last_assigned_at < best_state->last_assigned_at))
        {
          best = candidate;
          best_state = state;
        }
    }
  return g_strdup (best);
}

static gboolean
is_online (BatonAgentStates *states,
           const char       *agent_id)
{
  BatonAgentState *state = agent_id ? g_hash_table_lookup (states, agent_id) : NULL;

  return state && state->online;
}

static char *
pick_default_user (const BatonTeam    *team,
                   BatonAgentStates   *states,
                   const char * const *excluded,
                   const char        **via)
{
  const char *main_user = team->default_user_id;
  const char *backup = team->backup_user_id;

  /* The default user; the backup when the default user is not online and the backup is. */
  if (is_online (states, main_user)
      && baton_strategy_is_eligible (team, main_user, states, excluded))
    return g_strdup (main_user);
  if (is_online (states, backup) && baton_strategy_is_eligible (team, backup, states, excluded))
    {
      *via = "team:backup_user";
      return g_strdup (backup);
    }
  if (baton_strategy_is_eligible (team, main_user, states, excluded))
    return g_strdup (main_user);
  return NULL;
}

/* The member the team's strategy picks, or NULL when nobody is eligible (the conversation
 * then waits in the team's queue). via tells which rule picked. */
char *
baton_strategy_pick (const BatonTeam    *team,
                     const char         *cursor,
                     BatonAgentStates   *states,
                     const char * const *excluded,
                     const char        **via)
{
  const char *rule = NULL;
  char *picked = NULL;

  if (team->member_ids == NULL || team->member_ids[0] == NULL)
    return NULL;
  switch (team->strategy)
    {
    case BATON_STRATEGY_ROUND_ROBIN:
      rule = "team:round_robin";
      picked = pick_round_robin (team, cursor, states, excluded);
      break;
    case BATON_STRATEGY_LEAST_BUSY:
      rule = "team:least_busy";
      picked = pick_least_busy (team, states, excluded);
      break;
    case BATON_STRATEGY_DEFAULT_USER:
      rule = "team:default_user";
      picked = pick_default_user (team, states, excluded, &rule);
      break;
    default:
      g_assert_not_reached ();
    }
  if (via)
    *via = rule;
  return picked;
}
