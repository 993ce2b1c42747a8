/* baton-flow-summary.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-flow-summary"

#include "config.h"

#include <glib/gi18n.h>

#include "baton-describe.h"
#include "baton-flow-summary.h"

const char *
baton_strategy_label (BatonStrategy strategy)
{
  switch (strategy)
    {
    case BATON_STRATEGY_ROUND_ROBIN:
      return _("Round robin");
    case BATON_STRATEGY_LEAST_BUSY:
      return _("Least busy");
    case BATON_STRATEGY_DEFAULT_USER:
      return _("Default user");
    default:
      return "";
    }
}

const char *
baton_flow_step_type_label (BatonFlowStepType type)
{
  switch (type)
    {
    case BATON_FLOW_STEP_CONDITION:
      return _("Condition");
    case BATON_FLOW_STEP_ASSIGN_TEAM:
      return _("Assign to a Team");
    case BATON_FLOW_STEP_ASSIGN_USER:
      return _("Assign to an Agent");
    case BATON_FLOW_STEP_UNASSIGN:
      return _("Unassign");
    case BATON_FLOW_STEP_CLOSE:
      return _("Close");
    case BATON_FLOW_STEP_SEND_MESSAGE:
      return _("Automatic Reply");
    case BATON_FLOW_STEP_UPDATE_CONTACT:
      return _("Tag the Contact");
    case BATON_FLOW_STEP_UNKNOWN:
    default:
      return _("Unknown Step");
    }
}

static char *
tag_list (GStrv tags)
{
  return g_strjoinv (", ", tags ? tags : (char *[]) { NULL });
}

static char *
channel_names (const char * const *ids,
               BatonDirectory     *directory)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;

  for (guint i = 0; ids && ids[i]; i++)
    {
      BatonChannel *channel = directory ? baton_directory_lookup_channel (directory, ids[i])
                                        : NULL;

      g_strv_builder_add (names, channel ? channel->name : ids[i]);
    }
  strv = g_strv_builder_end (names);
  return baton_describe_list ((const char * const *) strv);
}

char *
baton_flow_describe_trigger (BatonFlow      *flow,
                             BatonDirectory *directory)
{
  const char *on = flow->trigger_on ? flow->trigger_on : "";
  g_autofree char *when = NULL;
  g_autofree char *channels = NULL;

  if (g_str_equal (on, "conversation.reopened"))
    when = g_strdup (_("When a conversation reopens"));
  else if (g_str_equal (on, "message.received"))
    when = g_strdup (_("When a message arrives"));
  else if (g_str_equal (on, "contact.tag_added") && flow->trigger_tag)
    /* Translators: %s is a tag */
    when = g_strdup_printf (_("When a contact is tagged %s"), flow->trigger_tag);
  else if (g_str_equal (on, "contact.tag_added"))
    when = g_strdup (_("When a contact is tagged"));
  else
    when = g_strdup (_("When a conversation starts"));
  if (flow->channel_ids == NULL || flow->channel_ids[0] == NULL)
    return g_steal_pointer (&when);
  channels = channel_names ((const char * const *) flow->channel_ids, directory);
  /* Translators: "When a message arrives, on WhatsApp Sales" */
  return g_strdup_printf (_("%s, on %s"), when, channels);
}

static const char *
schedule_name (const char *id,
               GPtrArray  *schedules)
{
  for (guint i = 0; id && schedules && i < schedules->len; i++)
    if (g_str_equal (((BatonSchedule *) schedules->pdata[i])->id, id))
      return ((BatonSchedule *) schedules->pdata[i])->name;
  return id ? id : "";
}

/* A flag condition given no value means true, as routing reads it. */
static gboolean
flag_of (BatonFlowCondition *condition)
{
  return condition->value_kind != BATON_FLOW_VALUE_FLAG || condition->flag;
}

static char *
describe_message (BatonFlowCondition *condition)
{
  const char *text = condition->text ? condition->text : "";

  /* Translators: the conditions on the message's text; %s is what the manager wrote */
  if (g_strcmp0 (condition->op, "equals") == 0)
    return g_strdup_printf (_("the message is “%s”"), text);
  if (g_strcmp0 (condition->op, "starts_with") == 0)
    return g_strdup_printf (_("the message starts with “%s”"), text);
  if (g_strcmp0 (condition->op, "matches") == 0)
    return g_strdup_printf (_("the message matches %s"), text);
  return g_strdup_printf (_("the message contains “%s”"), text);
}

static char *
describe_contact_field (BatonFlowCondition *condition)
{
  const char *key = condition->field + strlen ("contact.fields.");

  if (g_strcmp0 (condition->op, "equals") == 0)
    /* Translators: "contact field plan is “gold”" */
    return g_strdup_printf (_("contact field %s is “%s”"), key,
                            condition->text ? condition->text : "");
  return g_strdup_printf (flag_of (condition) ? _("contact field %s is set")
                                              : _("contact field %s is not set"), key);
}

char *
baton_flow_describe_condition (BatonFlowCondition *condition,
                               BatonDirectory     *directory,
                               GPtrArray          *schedules)
{
  const char *field = condition->field ? condition->field : "";
  gboolean excludes = g_strcmp0 (condition->op, "excludes") == 0;
  g_autofree char *channels = NULL;

  if (g_str_equal (field, "message.text"))
    return describe_message (condition);
  if (g_str_equal (field, "contact.tags"))
    return g_strdup_printf (excludes ? _("contact tags exclude %s") : _("contact tags include %s"),
                            condition->text ? condition->text : "");
  if (g_str_has_prefix (field, "contact.fields."))
    return describe_contact_field (condition);
  if (g_str_equal (field, "contact.is_returning"))
    return g_strdup (flag_of (condition) ? _("the contact is returning")
                                         : _("the contact is new"));
  if (g_str_equal (field, "channel.id"))
    {
      channels = channel_names ((const char * const *) condition->list, directory);
      return g_strdup_printf (_("the channel is %s"), channels);
    }
  if (g_str_equal (field, "conversation.referral"))
    return g_strdup (flag_of (condition) ? _("it came from an ad or a link")
                                         : _("it did not come from an ad or a link"));
  if (g_str_equal (field, "time"))
    return g_strdup_printf (g_strcmp0 (condition->op, "within") == 0 ? _("within %s")
                                                                     : _("outside %s"),
                            schedule_name (condition->text, schedules));
  return g_strdup (field);
}

static char *
describe_team_step (BatonFlowStep  *step,
                    BatonDirectory *directory)
{
  BatonTeam *team = directory && step->team_id ? baton_directory_lookup_team (directory,
                                                                             step->team_id)
                                               : NULL;
  g_autofree char *assign = NULL;
  g_autofree char *tags = tag_list (step->conversation_tags);
  g_autofree char *contact_tags = tag_list (step->contact_tags);
  g_autofree char *tagged = NULL;
  g_autofree char *strategy = team ? g_utf8_strdown (baton_strategy_label (team->strategy), -1)
                                   : NULL;

  /* Translators: "Assign to Sales (least busy)": a team and its strategy */
  assign = team ? g_strdup_printf (_("Assign to %s (%s)"), team->name, strategy)
                : g_strdup (_("Assign to a team that no longer exists"));
  if (*tags == '\0')
    tagged = g_steal_pointer (&assign);
  else
    tagged = g_strdup_printf (step->add_tags ? _("%s and tag %s")
                                             : _("%s and replace its tags with %s"),
                              assign, tags);
  if (*contact_tags == '\0')
    return g_steal_pointer (&tagged);
  /* Translators: "Assign to Sales (least busy), the contact tagged lead" */
  return g_strdup_printf (_("%s, the contact tagged %s"), tagged, contact_tags);
}

static char *
describe_condition_step (BatonFlowStep  *step,
                         BatonDirectory *directory,
                         GPtrArray      *schedules)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < step->conditions->len; i++)
    {
      g_autofree char *condition = baton_flow_describe_condition (step->conditions->pdata[i],
                                                                  directory, schedules);

      if (i > 0)
        g_string_append (text, step->match_any ? _(" or ") : _(" and "));
      g_string_append (text, condition);
    }
  if (step->conditions->len == 0)
    return g_strdup (_("If … (no condition yet)"));
  /* Translators: "If contact tags include vip …" */
  return g_strdup_printf (_("If %s …"), text->str);
}

static char *
describe_contact_step (BatonFlowStep *step)
{
  g_autofree char *added = tag_list (step->contact_add_tags);
  g_autofree char *removed = tag_list (step->contact_remove_tags);

  if (*added && *removed)
    return g_strdup_printf (_("Tag the contact %s, untag %s"), added, removed);
  if (*removed)
    return g_strdup_printf (_("Untag the contact %s"), removed);
  if (*added)
    return g_strdup_printf (_("Tag the contact %s"), added);
  return g_strdup (_("Update the contact"));
}

char *
baton_flow_describe_step (BatonFlowStep  *step,
                          BatonDirectory *directory,
                          GPtrArray      *schedules)
{
  BatonAgent *agent = NULL;

  switch (step->type)
    {
    case BATON_FLOW_STEP_CONDITION:
      return describe_condition_step (step, directory, schedules);
    case BATON_FLOW_STEP_ASSIGN_TEAM:
      return describe_team_step (step, directory);
    case BATON_FLOW_STEP_ASSIGN_USER:
      agent = directory && step->user_id ? baton_directory_lookup_agent (directory, step->user_id)
                                         : NULL;
      return agent ? g_strdup_printf (_("Assign to %s"), agent->name)
                   : g_strdup (_("Assign to an agent who no longer exists"));
    case BATON_FLOW_STEP_UNASSIGN:
      return g_strdup (_("Unassign the conversation"));
    case BATON_FLOW_STEP_CLOSE:
      return g_strdup (_("Close the conversation"));
    case BATON_FLOW_STEP_SEND_MESSAGE:
      /* Translators: an automatic reply, quoted */
      return g_strdup_printf (_("Reply “%s”"), step->body ? step->body : "");
    case BATON_FLOW_STEP_UPDATE_CONTACT:
      return describe_contact_step (step);
    case BATON_FLOW_STEP_UNKNOWN:
    default:
      return g_strdup (_("A step this version of Baton does not know, kept as it is"));
    }
}
