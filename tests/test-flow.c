/* test-flow.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-error.h"
#include "baton-flow.h"
#include "baton-flow-step.h"
#include "baton-json.h"
#include "baton-time.h"
#include "flow-wrong-types.h"

static gboolean
known (const char *id,
       gpointer    user_data)
{
  return g_str_has_prefix (id, user_data) || g_str_has_prefix (id, "known");
}

static gboolean
team_exists (const char *id, gpointer user_data) { return known (id, "tem_"); }
static gboolean
agent_exists (const char *id, gpointer user_data) { return known (id, "agt_"); }
static gboolean
schedule_exists (const char *id, gpointer user_data) { return known (id, "sch_"); }
static gboolean
channel_exists (const char *id, gpointer user_data) { return known (id, "chn_"); }

static const BatonFlowLookup lookup = {
  team_exists, agent_exists, schedule_exists, channel_exists, NULL
};

static BatonFlow *
flow_from (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = baton_json_parse_object (json, strlen (json), &error);
  BatonFlow *flow = baton_flow_new ();

  g_assert_no_error (error);
  g_assert_true (baton_flow_update (flow, object, TRUE, &lookup, &error));
  g_assert_no_error (error);
  return flow;
}

static void
expect_field (const char *json,
              const char *field)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = baton_json_parse_object (json, strlen (json), NULL);
  g_autoptr(BatonFlow) flow = baton_flow_new ();

  g_assert_nonnull (object);
  g_assert_false (baton_flow_update (flow, object, TRUE, &lookup, &error));
  g_assert_error (error, BATON_ERROR, BATON_ERROR_UNPROCESSABLE);
  g_assert_cmpstr (baton_error_get_field (error), ==, field);
}

#define TRIGGER "\"name\":\"f\",\"trigger\":{\"on\":\"conversation.created\"}"

static void
test_validation (void)
{
  g_autoptr(GString) deep = g_string_new ("{" TRIGGER ",\"steps\":");
  g_autoptr(GString) many = g_string_new ("{" TRIGGER ",\"steps\":[");

  expect_field ("{\"trigger\":{\"on\":\"conversation.created\"},\"steps\":[]}", "name");
  expect_field ("{\"name\":\"f\",\"trigger\":{\"on\":\"lunch\"},\"steps\":[]}", "trigger.on");
  expect_field ("{\"name\":\"f\",\"trigger\":{\"on\":\"message.received\","
                "\"channel_ids\":[\"chn_1\",\"nope\"]},\"steps\":[]}", "trigger.channel_ids[1]");
  expect_field ("{" TRIGGER "}", "steps");
  expect_field ("{" TRIGGER ",\"steps\":[{\"type\":\"close\"},{\"type\":\"unassign\"},"
                "{\"type\":\"assign_team\",\"team_id\":\"ghost\"}]}", "steps[2].team_id");
  expect_field ("{" TRIGGER ",\"steps\":[{\"type\":\"assign_user\",\"user_id\":\"ghost\"}]}",
                "steps[0].user_id");
  expect_field ("{" TRIGGER ",\"steps\":[{\"type\":\"dance\"}]}", "steps[0].type");
  expect_field ("{" TRIGGER ",\"steps\":[{\"type\":\"send_message\",\"body\":\"\"}]}",
                "steps[0].body");
  expect_field ("{" TRIGGER ",\"steps\":[{\"type\":\"assign_team\",\"team_id\":\"tem_1\","
                "\"conversation_tags\":[\"ok\",\"not ok\"]}]}",
                "steps[0].conversation_tags[1]");
  expect_field ("{" TRIGGER ",\"steps\":[{\"type\":\"condition\",\"conditions\":["
                "{\"field\":\"message.text\",\"op\":\"matches\",\"value\":\"(unclosed\"}]}]}",
                "steps[0].conditions[0].value");
  expect_field ("{" TRIGGER ",\"steps\":[{\"type\":\"condition\",\"conditions\":["
                "{\"field\":\"time\",\"op\":\"within\",\"value\":\"ghost\"}]}]}",
                "steps[0].conditions[0].value");
  expect_field ("{" TRIGGER ",\"steps\":[{\"type\":\"condition\",\"conditions\":["
                "{\"field\":\"contact.mood\",\"op\":\"is\",\"value\":1}]}]}",
                "steps[0].conditions[0].field");
  expect_field ("{" TRIGGER ",\"steps\":[{\"type\":\"condition\",\"conditions\":["
                "{\"field\":\"message.text\",\"op\":\"contains\",\"value\":\"a\"}],"
                "\"then\":[{\"type\":\"assign_team\",\"team_id\":\"ghost\"}]}]}",
                "steps[0].then[0].team_id");

  /* A flow's patterns compile to 10,000 instructions in all (a{4999} is 5,000 with the end;
   * the same pattern twice counts once). */
  expect_field ("{" TRIGGER ",\"steps\":[{\"type\":\"condition\",\"conditions\":["
                "{\"field\":\"message.text\",\"op\":\"matches\",\"value\":\"a{4999}\"},"
                "{\"field\":\"message.text\",\"op\":\"matches\",\"value\":\"a{4999}\"},"
                "{\"field\":\"message.text\",\"op\":\"matches\",\"value\":\"b{4999}\"}],"
                "\"then\":[{\"type\":\"condition\",\"conditions\":[{\"field\":"
                "\"message.text\",\"op\":\"matches\",\"value\":\"c\"}]}]}]}",
                "steps[0].then[0].conditions[0].value");

  /* Nine nested conditions is one too deep. */
  for (int i = 0; i < 9; i++)
    g_string_append (deep, "[{\"type\":\"condition\",\"conditions\":[{\"field\":"
                           "\"message.text\",\"op\":\"contains\",\"value\":\"x\"}],\"then\":");
  g_string_append (deep, "[]");
  for (int i = 0; i < 9; i++)
    g_string_append (deep, "}]");
  g_string_append (deep, "}");
  expect_field (deep->str, "steps[0].then[0].then[0].then[0].then[0].then[0].then[0].then[0]"
                           ".then[0]");

  for (int i = 0; i < 101; i++)
    g_string_append_printf (many, "%s{\"type\":\"close\"}", i ? "," : "");
  g_string_append (many, "]}");
  expect_field (many->str, "steps[100]");
}

static void
expect_wrong_type (const char *body,
                   const char *field,
                   gpointer    user_data)
{
  g_test_message ("%s", body);
  expect_field (body, field);
}

/* A member of another JSON type than it can have is 422 on its path; json-glib's assertions
 * are never reached (the suite makes a critical fatal). */
static void
test_wrong_types (void)
{
  wrong_types_foreach ("tem_1", expect_wrong_type, NULL);
}

static GPtrArray *
run (BatonFlow        *flow,
     BatonFlowContext *context)
{
  return baton_flow_run (flow, context);
}

static const char *
step_type (GPtrArray *actions,
           guint      index)
{
  g_assert_cmpuint (index, <, actions->len);
  return json_object_get_string_member (actions->pdata[index], "type");
}

static void
test_conditions (void)
{
  g_autoptr(BatonFlow) flow = flow_from (
    "{" TRIGGER ",\"steps\":["
    "{\"type\":\"condition\",\"match\":\"any\",\"conditions\":["
    "  {\"field\":\"message.text\",\"op\":\"contains\",\"value\":\"REFUND\"},"
    "  {\"field\":\"message.text\",\"op\":\"matches\",\"value\":\"^order #[0-9]+$\"}],"
    " \"then\":[{\"type\":\"assign_team\",\"team_id\":\"tem_support\"}],"
    " \"else\":[{\"type\":\"condition\",\"conditions\":["
    "    {\"field\":\"contact.tags\",\"op\":\"includes\",\"value\":\"VIP\"},"
    "    {\"field\":\"contact.fields.plan\",\"op\":\"equals\",\"value\":\"gold\"}],"
    "   \"then\":[{\"type\":\"assign_user\",\"user_id\":\"agt_ana\"}],"
    "   \"else\":[{\"type\":\"send_message\",\"body\":\"Hello!\"},{\"type\":\"close\"}]}]}]}");
  const char *vip[] = { "vip", NULL };
  g_autoptr(GHashTable) fields = g_hash_table_new (g_str_hash, g_str_equal);
  BatonFlowContext context = { .message_text = "I want a refund", .contact_fields = fields };
  g_autoptr(GPtrArray) refund = NULL;
  g_autoptr(GPtrArray) order = NULL;
  g_autoptr(GPtrArray) plain = NULL;
  g_autoptr(GPtrArray) gold = NULL;

  refund = run (flow, &context);
  g_assert_cmpuint (refund->len, ==, 1);
  g_assert_cmpstr (step_type (refund, 0), ==, "assign_team");

  context.message_text = "ORDER #1234";
  order = run (flow, &context);
  g_assert_cmpstr (step_type (order, 0), ==, "assign_team");

  context.message_text = "hello";
  context.contact_tags = vip;
  plain = run (flow, &context);
  /* VIP but no gold plan: "all" fails, else branch. */
  g_assert_cmpuint (plain->len, ==, 2);
  g_assert_cmpstr (step_type (plain, 0), ==, "send_message");
  g_assert_cmpstr (step_type (plain, 1), ==, "close");

  g_hash_table_insert (fields, "plan", "Gold");
  gold = run (flow, &context);
  g_assert_cmpuint (gold->len, ==, 1);
  g_assert_cmpstr (step_type (gold, 0), ==, "assign_user");
}

static gboolean
holds (const char       *condition,
       BatonFlowContext *context)
{
  g_autofree char *json = g_strdup_printf ("{" TRIGGER ",\"steps\":[{\"type\":\"condition\","
                                           "\"conditions\":[%s],\"then\":[{\"type\":\"close\"}]"
                                           "}]}", condition);
  g_autoptr(BatonFlow) flow = flow_from (json);
  g_autoptr(GPtrArray) actions = baton_flow_run (flow, context);

  return actions->len == 1;
}

static void
test_each_condition (void)
{
  g_autoptr(GHashTable) fields = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) schedules = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                           (GDestroyNotify) baton_schedule_unref);
  g_autoptr(JsonObject) hours = NULL;
  BatonSchedule *schedule = baton_schedule_new ();
  const char *tags[] = { "wholesale", NULL };
  const char *hours_json = "{\"name\":\"h\",\"timezone\":\"Europe/Paris\",\"weekly\":"
                           "[{\"day\":\"mon\",\"from\":\"09:00\",\"to\":\"17:00\"}]}";
  BatonFlowContext context = {
    .message_text = "Bonjour, où est ma commande ?",
    .contact_tags = tags,
    .contact_fields = fields,
    .is_returning = TRUE,
    .channel_id = "chn_web",
    .has_referral = FALSE,
    .schedules = schedules,
  };

  hours = baton_json_parse_object (hours_json, strlen (hours_json), NULL);
  g_assert_true (baton_schedule_update (schedule, hours, TRUE, NULL));
  g_hash_table_insert (schedules, "sch_hours", schedule);
  g_hash_table_insert (fields, "company", "Vélo SARL");

  g_assert_true (holds ("{\"field\":\"message.text\",\"op\":\"contains\",\"value\":\"COMMANDE\"}", &context));
  g_assert_true (holds ("{\"field\":\"message.text\",\"op\":\"starts_with\",\"value\":\"bonjour\"}", &context));
  g_assert_false (holds ("{\"field\":\"message.text\",\"op\":\"equals\",\"value\":\"bonjour\"}", &context));
  g_assert_true (holds ("{\"field\":\"message.text\",\"op\":\"equals\",\"value\":\"BONJOUR, OÙ EST MA COMMANDE ?\"}", &context));
  g_assert_true (holds ("{\"field\":\"message.text\",\"op\":\"matches\",\"value\":\"commande|order\"}", &context));
  g_assert_true (holds ("{\"field\":\"contact.tags\",\"op\":\"includes\",\"value\":\"Wholesale\"}", &context));
  g_assert_false (holds ("{\"field\":\"contact.tags\",\"op\":\"excludes\",\"value\":\"wholesale\"}", &context));
  g_assert_true (holds ("{\"field\":\"contact.fields.company\",\"op\":\"exists\"}", &context));
  g_assert_false (holds ("{\"field\":\"contact.fields.plan\",\"op\":\"exists\"}", &context));
  g_assert_true (holds ("{\"field\":\"contact.fields.company\",\"op\":\"equals\",\"value\":\"vélo sarl\"}", &context));
  g_assert_true (holds ("{\"field\":\"contact.is_returning\",\"op\":\"is\",\"value\":true}", &context));
  g_assert_true (holds ("{\"field\":\"channel.id\",\"op\":\"in\",\"value\":[\"chn_x\",\"chn_web\"]}", &context));
  g_assert_false (holds ("{\"field\":\"channel.id\",\"op\":\"in\",\"value\":[\"chn_x\"]}", &context));
  g_assert_false (holds ("{\"field\":\"conversation.referral\",\"op\":\"exists\"}", &context));
  context.has_referral = TRUE;
  g_assert_true (holds ("{\"field\":\"conversation.referral\",\"op\":\"exists\"}", &context));

  /* Monday 2026-11-23 10:00 Paris = 09:00 UTC */
  g_assert_true (baton_time_parse ("2026-11-23T09:00:00Z", &context.now_ms));
  g_assert_true (holds ("{\"field\":\"time\",\"op\":\"within\",\"value\":\"sch_hours\"}", &context));
  g_assert_false (holds ("{\"field\":\"time\",\"op\":\"outside\",\"value\":\"sch_hours\"}", &context));
  g_assert_true (baton_time_parse ("2026-11-23T19:00:00Z", &context.now_ms));
  g_assert_true (holds ("{\"field\":\"time\",\"op\":\"outside\",\"value\":\"sch_hours\"}", &context));
}

/* A pattern compiles once per version of the steps: validation compiles it, and a flow
 * loaded without validation (its table empty) compiles it on its first run only. */
static void
test_patterns_compiled_once (void)
{
  g_autoptr(BatonFlow) flow = flow_from (
    "{" TRIGGER ",\"steps\":[{\"type\":\"condition\",\"conditions\":[{\"field\":"
    "\"message.text\",\"op\":\"matches\",\"value\":\"^order #[0-9]+$\"}],"
    "\"then\":[{\"type\":\"close\"}]}]}");
  g_autoptr(BatonFlow) loaded = baton_flow_new ();
  BatonFlowContext context = { .message_text = "Order #42" };
  gpointer compiled = NULL;

  g_assert_cmpuint (g_hash_table_size (flow->patterns), ==, 1);
  compiled = g_hash_table_lookup (flow->patterns, "^order #[0-9]+$");
  g_assert_nonnull (compiled);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GPtrArray) actions = baton_flow_run (flow, &context);

      g_assert_cmpuint (actions->len, ==, 1);
      g_assert_true (g_hash_table_lookup (flow->patterns, "^order #[0-9]+$") == compiled);
    }

  loaded->steps = json_node_ref (flow->steps);
  g_assert_cmpuint (g_hash_table_size (loaded->patterns), ==, 0);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GPtrArray) actions = baton_flow_run (loaded, &context);

      g_assert_cmpuint (actions->len, ==, 1);
      if (i == 0)
        compiled = g_hash_table_lookup (loaded->patterns, "^order #[0-9]+$");
      g_assert_nonnull (compiled);
      g_assert_true (g_hash_table_lookup (loaded->patterns, "^order #[0-9]+$") == compiled);
    }
  g_assert_cmpuint (g_hash_table_size (loaded->patterns), ==, 1);
}

/* A stored pattern that does not compile (saved before it was refused) never matches. */
static void
test_stored_invalid_pattern (void)
{
  g_autoptr(BatonFlow) loaded = baton_flow_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) actions = NULL;
  BatonFlowContext context = { .message_text = "aa" };

  g_assert_true (json_parser_load_from_data (parser,
    "[{\"type\":\"condition\",\"conditions\":[{\"field\":\"message.text\",\"op\":"
    "\"matches\",\"value\":\"(a)\\\\1\"}],\"then\":[{\"type\":\"close\"}]}]", -1, NULL));
  loaded->steps = json_parser_steal_root (parser);
  actions = baton_flow_run (loaded, &context);
  g_assert_cmpuint (actions->len, ==, 0);
  g_assert_true (g_hash_table_contains (loaded->patterns, "(a)\\1"));
  g_assert_null (g_hash_table_lookup (loaded->patterns, "(a)\\1"));
}

static void
test_triggers (void)
{
  g_autoptr(BatonFlow) any_channel = flow_from ("{" TRIGGER ",\"steps\":[]}");
  g_autoptr(BatonFlow) one_channel = flow_from (
    "{\"name\":\"f\",\"trigger\":{\"on\":\"message.received\",\"channel_ids\":[\"chn_wa\"]},"
    "\"steps\":[]}");
  g_autoptr(BatonFlow) tagged = flow_from (
    "{\"name\":\"f\",\"trigger\":{\"on\":\"contact.tag_added\",\"tag\":\"VIP\"},\"steps\":[]}");
  g_autoptr(BatonFlow) disabled = flow_from (
    "{\"name\":\"f\",\"enabled\":false,\"trigger\":{\"on\":\"conversation.created\"},"
    "\"steps\":[]}");

  g_assert_true (baton_flow_triggers (any_channel, "conversation.created", "chn_web", NULL));
  g_assert_false (baton_flow_triggers (any_channel, "conversation.reopened", "chn_web", NULL));
  g_assert_true (baton_flow_triggers (one_channel, "message.received", "chn_wa", NULL));
  g_assert_false (baton_flow_triggers (one_channel, "message.received", "chn_web", NULL));
  g_assert_true (baton_flow_triggers (tagged, "contact.tag_added", "chn_web", "vip"));
  g_assert_false (baton_flow_triggers (tagged, "contact.tag_added", "chn_web", "new"));
  g_assert_false (baton_flow_triggers (disabled, "conversation.created", "chn_web", NULL));
}

/* Every step type and condition kind the engine knows, as the typed model writes them. */
#define ALL_STEPS                                                                             \
  "[{\"type\":\"condition\",\"match\":\"any\",\"conditions\":["                               \
  "{\"field\":\"message.text\",\"op\":\"matches\",\"value\":\"^(price|quote)\"},"             \
  "{\"field\":\"contact.tags\",\"op\":\"includes\",\"value\":\"vip\"},"                       \
  "{\"field\":\"contact.fields.plan\",\"op\":\"equals\",\"value\":\"gold\"},"                 \
  "{\"field\":\"contact.fields.city\",\"op\":\"exists\",\"value\":false},"                    \
  "{\"field\":\"contact.is_returning\",\"op\":\"is\",\"value\":true},"                        \
  "{\"field\":\"channel.id\",\"op\":\"in\",\"value\":[\"chn_wa\",\"chn_web\"]},"              \
  "{\"field\":\"conversation.referral\",\"op\":\"exists\"},"                                  \
  "{\"field\":\"time\",\"op\":\"outside\",\"value\":\"sch_office\"}],"                        \
  "\"then\":[{\"type\":\"assign_team\",\"team_id\":\"tem_sales\","                            \
  "\"conversation_tags\":[\"vip\"],\"contact_tags\":[],\"add_tags\":false},"                  \
  "{\"type\":\"condition\",\"match\":\"all\",\"conditions\":[{\"field\":\"contact.tags\","   \
  "\"op\":\"excludes\",\"value\":\"new\"}],\"then\":[{\"type\":\"close\"}],\"else\":[]}],"    \
  "\"else\":[{\"type\":\"send_message\",\"body\":\"We are closed\"},{\"type\":\"unassign\"}]},"\
  "{\"type\":\"assign_user\",\"user_id\":\"agt_ana\"},"                                       \
  "{\"type\":\"update_contact\",\"add_tags\":[\"lead\"],\"remove_tags\":[\"cold\"],"          \
  "\"set_fields\":{\"source\":\"flow\",\"stage\":\"new\"}}]"

static char *
steps_string (GPtrArray *steps)
{
  g_autoptr(JsonNode) node = baton_flow_steps_to_json (steps);

  return baton_json_to_string (node);
}

/* JSON → typed → JSON gives the same text; a copy and a flow's steps too; the server's
 * validation accepts what the model writes. */
static void
test_steps_round_trip (void)
{
  g_autoptr(JsonNode) node = json_from_string (ALL_STEPS, NULL);
  g_autoptr(GPtrArray) steps = baton_flow_steps_from_json (node);
  g_autofree char *written = steps_string (steps);
  g_autoptr(BatonFlowStep) copy = baton_flow_step_copy (steps->pdata[0]);
  g_autoptr(GPtrArray) one = baton_flow_steps_new ();
  g_autoptr(GPtrArray) first = g_ptr_array_new ();
  g_autofree char *copied = NULL;
  g_autofree char *original = NULL;
  g_autofree char *body = g_strdup_printf ("{" TRIGGER ",\"steps\":%s}", written);
  g_autoptr(BatonFlow) flow = flow_from (body);
  g_autoptr(GPtrArray) again = baton_flow_dup_steps (flow);
  g_autofree char *rewritten = steps_string (again);
  BatonFlowStep *condition = steps->pdata[0];
  BatonFlowCondition *channels = condition->conditions->pdata[5];

  g_assert_cmpstr (written, ==, ALL_STEPS);
  g_assert_cmpstr (rewritten, ==, ALL_STEPS);
  g_assert_cmpuint (steps->len, ==, 3);
  g_assert_cmpint (condition->type, ==, BATON_FLOW_STEP_CONDITION);
  g_assert_true (condition->match_any);
  g_assert_cmpuint (condition->conditions->len, ==, 8);
  g_assert_cmpint (channels->value_kind, ==, BATON_FLOW_VALUE_LIST);
  g_assert_cmpstrv (channels->list, ((const char *[]) { "chn_wa", "chn_web", NULL }));
  g_assert_cmpint (((BatonFlowCondition *) condition->conditions->pdata[6])->value_kind, ==,
                   BATON_FLOW_VALUE_NONE);
  g_assert_false (((BatonFlowStep *) condition->then_steps->pdata[0])->add_tags);
  g_assert_cmpint (((BatonFlowStep *) condition->else_steps->pdata[1])->type, ==,
                   BATON_FLOW_STEP_UNASSIGN);
  g_assert_cmpstrv (((BatonFlowStep *) steps->pdata[2])->field_keys,
                    ((const char *[]) { "source", "stage", NULL }));

  g_ptr_array_add (one, g_steal_pointer (&copy));
  g_ptr_array_add (first, steps->pdata[0]);
  copied = steps_string (one);
  original = steps_string (first);
  g_assert_cmpstr (copied, ==, original);
}

/* Members the protocol lets go unsaid read as routing reads them; an unknown step type is
 * kept whole, so saving an edited flow does not drop it. */
static void
test_steps_lenient (void)
{
  g_autoptr(JsonNode) node = json_from_string (
    "[{\"type\":\"condition\",\"conditions\":[{\"field\":\"contact.tags\",\"op\":\"includes\","
    "\"value\":\"vip\"}],\"then\":[{\"type\":\"assign_team\",\"team_id\":\"tem_a\"}]},"
    "{\"type\":\"escalate\",\"to\":\"boss\"},42]", NULL);
  g_autoptr(GPtrArray) steps = baton_flow_steps_from_json (node);
  g_autofree char *written = steps_string (steps);

  g_assert_cmpuint (steps->len, ==, 2);
  g_assert_cmpstr (written, ==,
    "[{\"type\":\"condition\",\"match\":\"all\",\"conditions\":[{\"field\":\"contact.tags\","
    "\"op\":\"includes\",\"value\":\"vip\"}],\"then\":[{\"type\":\"assign_team\","
    "\"team_id\":\"tem_a\",\"conversation_tags\":[],\"contact_tags\":[],\"add_tags\":true}],"
    "\"else\":[]},{\"type\":\"escalate\",\"to\":\"boss\"}]");
  g_assert_cmpint (((BatonFlowStep *) steps->pdata[1])->type, ==, BATON_FLOW_STEP_UNKNOWN);
}

/* A flow as the server answers it reads back with its position, trigger and steps. */
static void
test_from_json (void)
{
  g_autoptr(BatonFlow) flow = flow_from (
    "{\"name\":\"VIP\",\"enabled\":false,\"position\":7,\"trigger\":{\"on\":"
    "\"contact.tag_added\",\"channel_ids\":[\"chn_wa\"],\"tag\":\"vip\"},\"steps\":"
    "[{\"type\":\"close\"}]}");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(BatonFlow) read = NULL;
  g_autoptr(BatonFlow) any = NULL;
  g_autoptr(JsonNode) any_node = NULL;

  flow->id = g_strdup ("flw_1");
  node = baton_flow_to_json (flow);
  read = baton_flow_from_json (node);
  g_assert_cmpstr (read->name, ==, "VIP");
  g_assert_false (read->enabled);
  g_assert_cmpint (read->position, ==, 7);
  g_assert_cmpstr (read->trigger_on, ==, "contact.tag_added");
  g_assert_cmpstrv (read->channel_ids, ((const char *[]) { "chn_wa", NULL }));
  g_assert_cmpstr (read->trigger_tag, ==, "vip");
  g_assert_true (json_node_equal (read->steps, flow->steps));

  any = flow_from ("{" TRIGGER ",\"steps\":[]}");
  any->id = g_strdup ("flw_2");
  any_node = baton_flow_to_json (any);
  g_clear_pointer (&read, baton_flow_unref);
  read = baton_flow_from_json (any_node);
  g_assert_null (read->channel_ids);
  g_assert_null (read->trigger_tag);
}

/* A traced run tells each visited step with its path, each condition's result (all of them,
 * even past the one that decided) and the branch; its actions are those of the plain run. */
static void
test_trace (void)
{
  g_autoptr(BatonFlow) flow = flow_from (
    "{" TRIGGER ",\"steps\":["
    "{\"type\":\"send_message\",\"body\":\"Hi\"},"
    "{\"type\":\"condition\",\"match\":\"any\",\"conditions\":["
    "  {\"field\":\"message.text\",\"op\":\"contains\",\"value\":\"refund\"},"
    "  {\"field\":\"contact.tags\",\"op\":\"includes\",\"value\":\"vip\"}],"
    " \"then\":[{\"type\":\"assign_team\",\"team_id\":\"tem_support\"}],"
    " \"else\":[{\"type\":\"condition\",\"conditions\":["
    "    {\"field\":\"contact.is_returning\",\"op\":\"is\",\"value\":true}],"
    "   \"then\":[{\"type\":\"close\"}],"
    "   \"else\":[{\"type\":\"unassign\"},{\"type\":\"assign_user\",\"user_id\":\"agt_a\"}]}]}]}");
  const char *vip[] = { "vip", NULL };
  BatonFlowContext context = { .message_text = "a refund please", .contact_tags = vip };
  g_autoptr(GPtrArray) visits = baton_flow_trace (flow, &context);
  g_autoptr(GPtrArray) actions = baton_flow_run (flow, &context);
  BatonFlowVisit *visit = NULL;

  g_assert_cmpuint (visits->len, ==, 3);
  visit = visits->pdata[0];
  g_assert_cmpstr (visit->path, ==, "steps[0]");
  g_assert_cmpstr (visit->type, ==, "send_message");
  g_assert_null (visit->results);
  visit = visits->pdata[1];
  g_assert_cmpstr (visit->path, ==, "steps[1]");
  g_assert_cmpstr (visit->type, ==, "condition");
  g_assert_true (visit->held);
  /* "any": the first held, the second is still told */
  g_assert_cmpuint (visit->results->len, ==, 2);
  g_assert_true (g_array_index (visit->results, gboolean, 0));
  g_assert_true (g_array_index (visit->results, gboolean, 1));
  visit = visits->pdata[2];
  g_assert_cmpstr (visit->path, ==, "steps[1].then[0]");
  g_assert_cmpstr (visit->type, ==, "assign_team");
  g_assert_cmpuint (actions->len, ==, 2);
  g_assert_true (actions->pdata[1] == visit->step);
  g_clear_pointer (&visits, g_ptr_array_unref);

  context.message_text = "hello";
  context.contact_tags = NULL;
  visits = baton_flow_trace (flow, &context);
  g_assert_cmpuint (visits->len, ==, 5);
  visit = visits->pdata[1];
  g_assert_false (visit->held);
  g_assert_false (g_array_index (visit->results, gboolean, 0));
  g_assert_false (g_array_index (visit->results, gboolean, 1));
  visit = visits->pdata[2];
  g_assert_cmpstr (visit->path, ==, "steps[1].else[0]");
  g_assert_false (visit->held);
  g_assert_cmpuint (visit->results->len, ==, 1);
  g_assert_cmpstr (((BatonFlowVisit *) visits->pdata[3])->path, ==, "steps[1].else[0].else[0]");
  g_assert_cmpstr (((BatonFlowVisit *) visits->pdata[3])->type, ==, "unassign");
  g_assert_cmpstr (((BatonFlowVisit *) visits->pdata[4])->path, ==, "steps[1].else[0].else[1]");
  g_clear_pointer (&actions, g_ptr_array_unref);
  actions = baton_flow_run (flow, &context);
  g_assert_cmpuint (actions->len, ==, 3);
  g_assert_cmpstr (step_type (actions, 1), ==, "unassign");
  g_assert_cmpstr (step_type (actions, 2), ==, "assign_user");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/flow/validation", test_validation);
  g_test_add_func ("/flow/wrong-types", test_wrong_types);
  g_test_add_func ("/flow/conditions", test_conditions);
  g_test_add_func ("/flow/each-condition", test_each_condition);
  g_test_add_func ("/flow/triggers", test_triggers);
  g_test_add_func ("/flow/patterns-compiled-once", test_patterns_compiled_once);
  g_test_add_func ("/flow/stored-invalid-pattern", test_stored_invalid_pattern);
  g_test_add_func ("/flow/steps-round-trip", test_steps_round_trip);
  g_test_add_func ("/flow/steps-lenient", test_steps_lenient);
  g_test_add_func ("/flow/from-json", test_from_json);
  g_test_add_func ("/flow/trace", test_trace);

  return g_test_run ();
}
