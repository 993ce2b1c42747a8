/* test-domain-routing.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-test-domain.h"

/* The domain in process, over a temporary store and a test clock: who gets a conversation
 * (ASSIGNMENT.md §2–§5), what a change publishes, and what a refused change leaves behind.
 * The same rules are checked through HTTP in test-routing; here each step is one call. */

typedef struct {
  BatonTestDomain domain;
  /* the types of the events published, in order */
  GPtrArray *events;
  guint n_agents;
} Fixture;

static void
event_cb (BatonWorkspace *workspace,
          BatonEvent     *event,
          Fixture        *fixture)
{
  g_ptr_array_add (fixture->events, g_strdup (event->type));
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  baton_test_domain_setup (&fixture->domain, data);
  fixture->events = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (fixture->domain.workspace, "event", G_CALLBACK (event_cb), fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer (&fixture->events, g_ptr_array_unref);
  baton_test_domain_teardown (&fixture->domain, data);
}

static void
agent_saved_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  BatonAgent **agent = user_data;
  g_autoptr(GError) error = NULL;

  *agent = baton_workspace_save_agent_finish (BATON_WORKSPACE (source), result, &error);
  g_assert_no_error (error);
}

/* An agent created as a manager does; online (a live stream) when asked. */
static BatonAgent *
new_agent (Fixture  *fixture,
           gboolean  online)
{
  g_autofree char *name = g_strdup_printf ("Agent %u", ++fixture->n_agents);
  g_autofree char *email = g_strdup_printf ("agent%u@example.com", fixture->n_agents);
  BatonAgentPatch patch = { name, email, "agent", NULL, "a long enough password" };
  BatonAgent *agent = NULL;

  baton_workspace_save_agent_async (fixture->domain.workspace, NULL, &patch, NULL, agent_saved_cb,
                                    &agent);
  while (agent == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (online)
    baton_workspace_stream_opened (fixture->domain.workspace, agent->id);
  return agent;
}

static BatonTeam *
new_team (Fixture       *fixture,
          BatonStrategy  strategy,
          BatonAgent    *first,
          BatonAgent    *second)
{
  g_autoptr(BatonTeam) team = baton_team_new ();
  g_autoptr(GError) error = NULL;
  const char *members[] = { first->id, second ? second->id : NULL, NULL };
  BatonTeam *saved = NULL;

  team->name = g_strdup ("Support");
  team->strategy = strategy;
  team->member_ids = g_strdupv ((char **) members);
  saved = baton_workspace_save_team (fixture->domain.workspace, team, TRUE, &error);
  g_assert_no_error (error);
  return saved;
}

static BatonConversation *
reload (Fixture           *fixture,
        BatonConversation *conversation)
{
  g_autoptr(GError) error = NULL;
  BatonConversation *now = NULL;

  now = baton_workspace_load_conversation (fixture->domain.workspace, conversation->id, &error);
  g_assert_no_error (error);
  return now;
}

static void
assert_assignees (BatonConversation *conversation,
                  const char        *expected)
{
  g_autofree char *joined = g_strjoinv (",", conversation->assignee_ids);

  g_assert_cmpstr (joined, ==, expected);
}

static guint
count_events (Fixture    *fixture,
              const char *type)
{
  guint n = 0;

  for (guint i = 0; i < fixture->events->len; i++)
    n += g_str_equal (fixture->events->pdata[i], type);
  return n;
}

/* Customers of a channel whose default team picks by round robin take turns, each new
 * conversation published once, after its commit. */
static void
test_round_robin (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(BatonAgent) ana = new_agent (fixture, TRUE);
  g_autoptr(BatonAgent) ben = new_agent (fixture, TRUE);
  g_autoptr(BatonTeam) team = new_team (fixture, BATON_STRATEGY_ROUND_ROBIN, ana, ben);
  g_autofree char *channel = baton_test_domain_new_channel (&fixture->domain, team->id);
  const char *expected[] = { ana->id, ben->id, ana->id };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr(BatonConversation) conversation = NULL;

      conversation = baton_test_domain_customer_writes (&fixture->domain, channel);
      assert_assignees (conversation, expected[i]);
      g_assert_cmpstr (conversation->team_id, ==, team->id);
      g_assert_cmpuint (count_events (fixture, "conversation.created"), ==, i + 1);
    }
}

/* A handover picks by the team's strategy and moves the same cursor routing reads: after a
 * least-busy pick of Ana, round robin goes on with Ben. */
static void
test_handover_keeps_cursor (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(BatonAgent) ana = new_agent (fixture, TRUE);
  g_autoptr(BatonAgent) ben = new_agent (fixture, TRUE);
  g_autoptr(BatonTeam) team = new_team (fixture, BATON_STRATEGY_LEAST_BUSY, ana, ben);
  g_autoptr(BatonTeam) switched = NULL;
  g_autofree char *plain = baton_test_domain_new_channel (&fixture->domain, NULL);
  g_autofree char *routed = baton_test_domain_new_channel (&fixture->domain, team->id);
  g_autoptr(BatonConversation) held = baton_test_domain_customer_writes (&fixture->domain, plain);
  g_autoptr(BatonConversation) handed = baton_test_domain_customer_writes (&fixture->domain, plain);
  g_autoptr(BatonConversation) after = NULL;
  g_autoptr(BatonConversation) next = NULL;
  g_autoptr(GError) error = NULL;
  const char *only_ben[] = { ben->id, NULL };
  BatonAssignment to_ben = { .set_assignees = TRUE, .assignee_ids = only_ben };
  BatonAssignment to_team = { .set_team = TRUE, .team_id = team->id };

  after = baton_workspace_assign (fixture->domain.workspace, held->id, ben, &to_ben, &error);
  g_assert_no_error (error);
  g_clear_pointer (&after, baton_conversation_unref);
  after = baton_workspace_assign (fixture->domain.workspace, handed->id, ben, &to_team, &error);
  g_assert_no_error (error);
  assert_assignees (after, ana->id);

  team->strategy = BATON_STRATEGY_ROUND_ROBIN;
  switched = baton_workspace_save_team (fixture->domain.workspace, team, FALSE, &error);
  g_assert_no_error (error);
  next = baton_test_domain_customer_writes (&fixture->domain, routed);
  assert_assignees (next, ben->id);
}

/* Nobody eligible: the conversation waits in its team's queue, and the member who comes
 * online takes it in the same turn. */
static void
test_queue_drains_on_presence (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(BatonAgent) cleo = new_agent (fixture, FALSE);
  g_autoptr(BatonTeam) team = NULL;
  g_autofree char *channel = NULL;
  g_autoptr(BatonConversation) waiting = NULL;
  g_autoptr(BatonConversation) taken = NULL;

  {
    g_autoptr(BatonTeam) draft = baton_team_new ();
    g_autoptr(GError) error = NULL;
    const char *members[] = { cleo->id, NULL };

    draft->name = g_strdup ("Night");
    draft->strategy = BATON_STRATEGY_ROUND_ROBIN;
    draft->only_online = TRUE;
    draft->member_ids = g_strdupv ((char **) members);
    team = baton_workspace_save_team (fixture->domain.workspace, draft, TRUE, &error);
    g_assert_no_error (error);
  }
  channel = baton_test_domain_new_channel (&fixture->domain, team->id);
  waiting = baton_test_domain_customer_writes (&fixture->domain, channel);
  assert_assignees (waiting, "");
  g_assert_cmpstr (waiting->team_id, ==, team->id);

  baton_workspace_stream_opened (fixture->domain.workspace, cleo->id);
  taken = reload (fixture, waiting);
  assert_assignees (taken, cleo->id);
}

/* A change refused halfway leaves the conversation as it was and publishes nothing. */
static void
test_refused_change_rolls_back (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(BatonAgent) ana = new_agent (fixture, TRUE);
  g_autofree char *channel = baton_test_domain_new_channel (&fixture->domain, NULL);
  g_autoptr(BatonConversation) before = baton_test_domain_customer_writes (&fixture->domain,
                                                                          channel);
  g_autoptr(BatonConversation) after = NULL;
  g_autoptr(BatonConversation) refused = NULL;
  g_autoptr(GError) error = NULL;
  const char *ids[] = { ana->id, "agt_nobody", NULL };
  BatonAssignment assignment = { .set_assignees = TRUE, .assignee_ids = ids };
  guint n_events = fixture->events->len;

  refused = baton_workspace_assign (fixture->domain.workspace, before->id, ana, &assignment,
                                    &error);
  g_assert_null (refused);
  g_assert_nonnull (error);
  g_assert_cmpuint (fixture->events->len, ==, n_events);
  after = reload (fixture, before);
  assert_assignees (after, "");
  g_assert_cmpint (after->version, ==, before->version);
}

/* Resolved with unassign_on_resolve (the default): nobody holds it, once. */
static void
test_resolve_unassigns (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(BatonAgent) ana = new_agent (fixture, TRUE);
  g_autoptr(BatonAgent) ben = new_agent (fixture, TRUE);
  g_autoptr(BatonTeam) team = new_team (fixture, BATON_STRATEGY_ROUND_ROBIN, ana, ben);
  g_autofree char *channel = baton_test_domain_new_channel (&fixture->domain, team->id);
  g_autoptr(BatonConversation) conversation = baton_test_domain_customer_writes (&fixture->domain,
                                                                                 channel);
  g_autoptr(BatonConversation) resolved = NULL;
  g_autoptr(BatonConversation) again = NULL;
  g_autoptr(GError) error = NULL;
  guint n_updates = 0;

  assert_assignees (conversation, ana->id);
  resolved = baton_workspace_resolve (fixture->domain.workspace, conversation->id, ana, &error);
  g_assert_no_error (error);
  g_assert_cmpint (resolved->status, ==, BATON_STATUS_RESOLVED);
  assert_assignees (resolved, "");
  n_updates = count_events (fixture, "conversation.updated");
  again = baton_workspace_resolve (fixture->domain.workspace, conversation->id, ana, &error);
  g_assert_no_error (error);
  g_assert_cmpint (again->version, ==, resolved->version);
  g_assert_cmpuint (count_events (fixture, "conversation.updated"), ==, n_updates);
}

/* The pick of a team that reassigns on silence must answer in time; when it does not, the
 * next member gets it and the first one lapses (ASSIGNMENT.md §5). */
static void
test_reassign_on_silence (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(BatonAgent) ana = new_agent (fixture, TRUE);
  g_autoptr(BatonAgent) ben = new_agent (fixture, TRUE);
  g_autoptr(BatonTeam) team = NULL;
  g_autofree char *channel = NULL;
  g_autoptr(BatonConversation) conversation = NULL;
  g_autoptr(BatonConversation) moved = NULL;

  {
    g_autoptr(BatonTeam) draft = baton_team_new ();
    g_autoptr(GError) error = NULL;
    const char *members[] = { ana->id, ben->id, NULL };

    draft->name = g_strdup ("Fast");
    draft->strategy = BATON_STRATEGY_ROUND_ROBIN;
    draft->reassign_after_minutes = 5;
    draft->member_ids = g_strdupv ((char **) members);
    team = baton_workspace_save_team (fixture->domain.workspace, draft, TRUE, &error);
    g_assert_no_error (error);
  }
  channel = baton_test_domain_new_channel (&fixture->domain, team->id);
  conversation = baton_test_domain_customer_writes (&fixture->domain, channel);
  assert_assignees (conversation, ana->id);

  baton_clock_advance (fixture->domain.clock, 5 * 60 * 1000);
  baton_timers_run_due (baton_workspace_get_timers (fixture->domain.workspace));
  moved = reload (fixture, conversation);
  assert_assignees (moved, ben->id);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ((path), Fixture, NULL, fixture_setup, (func), fixture_teardown)
  ADD ("/domain/routing/round-robin", test_round_robin);
  ADD ("/domain/routing/handover-keeps-cursor", test_handover_keeps_cursor);
  ADD ("/domain/routing/queue-drains-on-presence", test_queue_drains_on_presence);
  ADD ("/domain/routing/reassign-on-silence", test_reassign_on_silence);
  ADD ("/domain/change/refused-rolls-back", test_refused_change_rolls_back);
  ADD ("/domain/change/resolve-unassigns", test_resolve_unassigns);
#undef ADD

  return g_test_run ();
}
