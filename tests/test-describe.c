/* test-describe.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "baton-client.h"
#include "baton-describe.h"
#include "baton-flow-summary.h"
#include "baton-json.h"
#include "baton-uninstalled.h"

/* The app writes activity lines, notifications and errors in the agent's language from the
 * server's structured fields (PROTOCOL.md §5). Run in French (meson sets LANGUAGE=fr and
 * LC_ALL=fr_FR.UTF-8) against the build's translations: no English sentence of the server and
 * no internal field name reaches the agent. */

#define NBSP "\302\240"

static BatonMessage *
activity_message (const char *activity,
                  const char *body)
{
  g_autofree char *json = g_strdup_printf ("{\"id\":\"msg_1\",\"conversation_id\":\"cnv_1\","
                                           "\"kind\":\"activity\",\"author\":{\"type\":"
                                           "\"system\",\"id\":null,\"name\":\"Baton\"},"
                                           "\"body\":\"%s\",\"activity\":%s,"
                                           "\"created_at\":\"2026-12-06T10:00:00Z\"}",
                                           body, activity);
  g_autoptr(JsonNode) node = baton_json_parse_text (json);

  g_assert_nonnull (node);
  return baton_message_from_json (node);
}

static void
assert_line (const char *activity,
             const char *expected)
{
  g_autoptr(BatonMessage) message = activity_message (activity, "English fallback");
  g_autofree char *line = baton_describe_activity (message);

  g_assert_cmpstr (line, ==, expected);
}

#define ANA "\"agt_a\""
#define BEN "\"agt_b\""
#define NAMES "\"names\":{\"agt_a\":\"Ana Lima\",\"agt_b\":\"Ben Ode\",\"team_s\":\"Support\"," \
              "\"flw_1\":\"VIP\"}"
#define BY_ANA "\"actor\":{\"type\":\"agent\",\"id\":" ANA ",\"name\":\"Ana Lima\"}"
#define BY_BATON "\"actor\":{\"type\":\"system\",\"id\":null,\"name\":\"Baton\"}"

static void
test_activity (void)
{
  /* Taking a conversation over says who was replaced. */
  assert_line ("{\"action\":\"assigned\"," BY_ANA ",\"via\":\"manual\","
               "\"from\":{\"team_id\":null,\"assignee_ids\":[" BEN "]},"
               "\"to\":{\"team_id\":null,\"assignee_ids\":[" ANA "]}," NAMES "}",
               "Ana Lima s’est attribué cette conversation, à la place de Ben Ode");
  assert_line ("{\"action\":\"assigned\"," BY_ANA ",\"via\":\"manual\","
               "\"from\":{\"team_id\":null,\"assignee_ids\":[]},"
               "\"to\":{\"team_id\":\"team_s\",\"assignee_ids\":[" ANA "," BEN "]}," NAMES "}",
               "Attribuée à Ana Lima et Ben Ode dans Support par Ana Lima");
  /* A rule, said in French too. */
  assert_line ("{\"action\":\"assigned\"," BY_BATON ",\"via\":\"team:round_robin\","
               "\"from\":{\"team_id\":\"team_s\",\"assignee_ids\":[]},"
               "\"to\":{\"team_id\":\"team_s\",\"assignee_ids\":[" BEN "]}," NAMES "}",
               "Attribuée à Ben Ode dans Support (tour de rôle)");
  assert_line ("{\"action\":\"assigned\"," BY_BATON ",\"via\":\"reassign_timeout\","
               "\"agent_id\":" ANA ",\"minutes\":5,"
               "\"from\":{\"team_id\":\"team_s\",\"assignee_ids\":[" ANA "]},"
               "\"to\":{\"team_id\":\"team_s\",\"assignee_ids\":[" BEN "]}," NAMES "}",
               "Réattribuée de Ana Lima à Ben Ode" NBSP ": pas de réponse en 5 minutes");
  assert_line ("{\"action\":\"team_changed\"," BY_BATON ",\"via\":\"team:round_robin\","
               "\"flow_id\":\"flw_1\",\"from\":{\"team_id\":null,\"assignee_ids\":[]},"
               "\"to\":{\"team_id\":\"team_s\",\"assignee_ids\":[]}," NAMES "}",
               "Envoyée à l’équipe Support par le flux VIP");
  assert_line ("{\"action\":\"unassigned\"," BY_ANA ",\"via\":\"agent_removed\","
               "\"agent_id\":" BEN ",\"from\":{\"team_id\":null,\"assignee_ids\":[" BEN "]},"
               "\"to\":{\"team_id\":null,\"assignee_ids\":[]}," NAMES "}",
               "Ben Ode a été retiré·e de l’espace de travail par Ana Lima");
  assert_line ("{\"action\":\"resolved\"," BY_ANA ",\"via\":\"resolve\","
               "\"from\":{\"team_id\":null,\"assignee_ids\":[]},"
               "\"to\":{\"team_id\":null,\"assignee_ids\":[]}," NAMES "}",
               "Résolue par Ana Lima");

  /* A line from before the server sent names, or naming someone it lacks: the server's. */
  assert_line ("{\"action\":\"resolved\"," BY_ANA ",\"via\":\"resolve\"}", "English fallback");
  assert_line ("{\"action\":\"assigned\"," BY_ANA ",\"via\":\"manual\","
               "\"from\":{\"team_id\":null,\"assignee_ids\":[]},"
               "\"to\":{\"team_id\":null,\"assignee_ids\":[\"agt_z\"]}," NAMES "}",
               "English fallback");
}

static void
test_notification (void)
{
  g_autoptr(JsonNode) away = baton_json_parse_text (
    "{\"kind\":\"reassigned_away\",\"conversation_id\":\"cnv_1\",\"title\":\"Conversation "
    "reassigned\",\"body\":\"English\",\"actor\":null,\"contact_name\":\"Chloé\","
    "\"preview\":\"Bonjour\",\"assignee_names\":[\"Ana Lima\"]}");
  g_autoptr(JsonNode) old = baton_json_parse_text (
    "{\"kind\":\"assigned\",\"conversation_id\":\"cnv_1\",\"title\":\"Assigned to you\","
    "\"body\":\"Chloé: Bonjour\"}");
  g_autoptr(BatonNotification) reassigned = baton_notification_from_json (away);
  g_autoptr(BatonNotification) from_old_server = baton_notification_from_json (old);
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;

  baton_describe_notification (reassigned, &title, &body);
  g_assert_cmpstr (title, ==, "Conversation réattribuée");
  g_assert_cmpstr (body, ==, "La conversation avec Chloé est maintenant à Ana Lima");
  g_clear_pointer (&title, g_free);
  g_clear_pointer (&body, g_free);

  g_free (reassigned->kind);
  reassigned->kind = g_strdup ("assigned");
  baton_describe_notification (reassigned, &title, &body);
  g_assert_cmpstr (title, ==, "Vous est attribuée");
  g_assert_cmpstr (body, ==, "Chloé" NBSP ": Bonjour");
  g_clear_pointer (&title, g_free);
  g_clear_pointer (&body, g_free);

  baton_describe_notification (from_old_server, &title, &body);
  g_assert_cmpstr (title, ==, "Assigned to you");
}

static GError *
server_error (BatonClientError  code,
              const char       *name,
              const char       *field,
              const char       *message)
{
  return baton_client_error_new (code, name, field, message);
}

static void
test_error (void)
{
  g_autoptr(GError) default_user = server_error (BATON_CLIENT_ERROR_UNPROCESSABLE,
                                                 "unprocessable", "default_user_id",
                                                 "The default_user strategy needs a "
                                                 "default_user_id");
  g_autoptr(GError) timezone = server_error (BATON_CLIENT_ERROR_UNPROCESSABLE, "unprocessable",
                                             "timezone", "timezone must be an IANA time zone");
  g_autoptr(GError) parameter = server_error (BATON_CLIENT_ERROR_UNPROCESSABLE,
                                              "unprocessable", "template.parameters[1]",
                                              "Parameter 2 is too long");
  g_autoptr(GError) window = server_error (BATON_CLIENT_ERROR_UNPROCESSABLE, "window_closed",
                                           NULL, "The 24-hour customer service window closed");
  g_autoptr(GError) forbidden = server_error (BATON_CLIENT_ERROR_FORBIDDEN, "forbidden", NULL,
                                              "Only a manager may do this");
  g_autoptr(GError) taken = server_error (BATON_CLIENT_ERROR_CONFLICT, "conflict", "email",
                                          "An agent with this email exists");
  g_autoptr(GError) step = server_error (BATON_CLIENT_ERROR_UNPROCESSABLE, "unprocessable",
                                         "steps[0].then[1].team_id",
                                         "steps[0].then[1].team_id: no team with id tem_x");
  g_autoptr(GError) local = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                                 "No such file");
  g_autoptr(GError) nested_team = server_error (BATON_CLIENT_ERROR_UNPROCESSABLE,
                                                "unprocessable", "steps[1].then[0].team_id",
                                                "steps[1].then[0].team_id: no team with id x");
  g_autoptr(GError) nested_tag = server_error (BATON_CLIENT_ERROR_UNPROCESSABLE,
                                               "unprocessable",
                                               "steps[0].else[2].conversation_tags[1]",
                                               "not a tag");

  g_assert_cmpstr (baton_describe_error (default_user), ==,
                   "Choisissez une personne par défaut parmi les membres de l’équipe.");
  g_assert_cmpstr (baton_describe_error (timezone), ==,
                   "Saisissez un fuseau horaire comme Europe/Paris.");
  g_assert_cmpstr (baton_describe_error (parameter), ==,
                   "Remplissez chaque paramètre du modèle, 1024 octets au plus chacun.");
  g_assert_cmpstr (baton_describe_error (window), ==,
                   "La fenêtre de 24" NBSP "heures est fermée" NBSP
                   ": seul un modèle approuvé peut être envoyé.");
  g_assert_cmpstr (baton_describe_error (forbidden), ==, "Votre rôle ne le permet pas.");
  g_assert_cmpstr (baton_describe_error (taken), ==,
                   "Un autre agent a déjà cette adresse e-mail.");
  /* a flow step's member is said as that member */
  g_assert_cmpstr (baton_describe_error (step), ==, "Cette équipe n’existe plus.");
  g_assert_cmpstr (baton_describe_error (local), ==, "No such file");
  /* a flow's nested step: said by the member it names */
  g_assert_cmpstr (baton_describe_error (nested_team), ==, "Cette équipe n’existe plus.");
  g_assert_cmpstr (baton_describe_error (nested_tag), ==,
                   "Une étiquette compte de 1 à 64 caractères" NBSP ": lettres, chiffres et _ . : -");
}

static void
test_list (void)
{
  const char *three[] = { "Ana", "Ben", "Carl", NULL };
  const char *one[] = { "Ana", NULL };
  g_autofree char *list_three = baton_describe_list (three);
  g_autofree char *list_one = baton_describe_list (one);
  g_autofree char *list_none = baton_describe_list (NULL);

  g_assert_cmpstr (list_three, ==, "Ana, Ben et Carl");
  g_assert_cmpstr (list_one, ==, "Ana");
  g_assert_cmpstr (list_none, ==, "");
}

static BatonFlowCondition *
condition (const char *field,
           const char *op,
           const char *text)
{
  BatonFlowCondition *made = baton_flow_condition_new (field, op);

  if (text)
    baton_flow_condition_set_text (made, text);
  return made;
}

static void
assert_condition (BatonFlowCondition *made,
                  GPtrArray          *schedules,
                  const char         *expected)
{
  g_autofree char *said = baton_flow_describe_condition (made, NULL, schedules);

  g_assert_cmpstr (said, ==, expected);
  baton_flow_condition_free (made);
}

/* A flow's parts in plain words, each kind of condition and the steps' summaries; ids nobody
 * knows are shown as they are. */
static void
test_flow_summary (void)
{
  g_autoptr(GPtrArray) schedules = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                   baton_schedule_unref);
  BatonSchedule *office = baton_schedule_new ();
  BatonFlowCondition *made = NULL;
  g_autoptr(BatonFlowStep) step = baton_flow_step_new (BATON_FLOW_STEP_CONDITION);
  g_autoptr(BatonFlowStep) team = baton_flow_step_new (BATON_FLOW_STEP_ASSIGN_TEAM);
  g_autoptr(BatonFlow) flow = baton_flow_new ();
  g_autofree char *step_said = NULL;
  g_autofree char *team_said = NULL;
  g_autofree char *trigger_said = NULL;

  office->id = g_strdup ("sch_1");
  office->name = g_strdup ("Bureau");
  g_ptr_array_add (schedules, office);
  assert_condition (condition ("message.text", "contains", "prix"), NULL,
                    "le message contient «" NBSP "prix" NBSP "»");
  assert_condition (condition ("message.text", "matches", "^prix"), NULL,
                    "le message correspond à ^prix");
  assert_condition (condition ("contact.fields.plan", "equals", "or"), NULL,
                    "le champ plan du contact est «" NBSP "or" NBSP "»");
  made = condition ("contact.fields.ville", "exists", NULL);
  baton_flow_condition_set_flag (made, FALSE);
  assert_condition (made, NULL, "le champ ville du contact n’est pas renseigné");
  made = condition ("channel.id", "in", NULL);
  baton_flow_condition_set_list (made, (const char *[]) { "chn_a", "chn_b", NULL });
  assert_condition (made, NULL, "le canal est chn_a et chn_b");
  /* no value: true, as routing reads it */
  assert_condition (condition ("conversation.referral", "exists", NULL), NULL,
                    "elle vient d’une publicité ou d’un lien");
  assert_condition (condition ("time", "outside", "sch_1"), schedules, "en dehors de Bureau");

  g_ptr_array_add (step->conditions, condition ("contact.tags", "includes", "vip"));
  made = condition ("contact.is_returning", "is", NULL);
  baton_flow_condition_set_flag (made, TRUE);
  g_ptr_array_add (step->conditions, made);
  step->match_any = TRUE;
  step_said = baton_flow_describe_step (step, NULL, schedules);
  g_assert_cmpstr (step_said, ==,
                   "Si les étiquettes du contact incluent vip ou le contact revient …");
  team->team_id = g_strdup ("tem_gone");
  team->conversation_tags = g_strdupv ((char *[]) { "vip", "or", NULL });
  team->add_tags = FALSE;
  team_said = baton_flow_describe_step (team, NULL, NULL);
  g_assert_cmpstr (team_said, ==, "Attribuer à une équipe qui n’existe plus et remplacer ses "
                                  "étiquettes par vip, or");
  flow->trigger_on = g_strdup ("contact.tag_added");
  flow->trigger_tag = g_strdup ("vip");
  flow->channel_ids = g_strdupv ((char *[]) { "chn_a", NULL });
  trigger_said = baton_flow_describe_trigger (flow, NULL);
  g_assert_cmpstr (trigger_said, ==, "Quand un contact reçoit l’étiquette vip, sur chn_a");
}

/* durations in their two largest units, rounded down; a via in a legend */
static void
test_duration (void)
{
  const struct { gint64 seconds; const char *text; } cases[] = {
    { -1, "—" }, { 0, "0 s" }, { 59, "59 s" }, { 240, "4 min" }, { 3599, "59 min" },
    { 7200, "2 h" }, { 7859, "2 h 10 min" }, { 2 * 86400, "2 j" }, { 3 * 86400 + 7300, "3 j 2 h" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = baton_describe_duration (cases[i].seconds);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
  g_assert_cmpstr (baton_describe_via ("team:round_robin"), ==, "tour de rôle");
  g_assert_cmpstr (baton_describe_via ("first_reply"), ==, "première réponse");
  g_assert_cmpstr (baton_describe_via ("flow:later"), ==, "flow:later");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, baton_locale_dir_for (self_path));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/describe/activity", test_activity);
  g_test_add_func ("/describe/notification", test_notification);
  g_test_add_func ("/describe/error", test_error);
  g_test_add_func ("/describe/list", test_list);
  g_test_add_func ("/describe/flow-summary", test_flow_summary);
  g_test_add_func ("/describe/duration", test_duration);
  return g_test_run ();
}
