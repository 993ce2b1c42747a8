/* baton-describe.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "baton-client.h"
#include "baton-describe.h"
#include "baton-json.h"
#include "baton-strv.h"

char *
baton_describe_list (const char * const *names)
{
  guint n = names ? g_strv_length ((char **) names) : 0;
  g_autofree char *list = NULL;

  if (n == 0)
    return g_strdup ("");
  list = g_strdup (names[0]);
  for (guint i = 1; i < n; i++)
    {
      g_autofree char *longer = NULL;

      if (i == n - 1)
        /* Translators: the last two names of a list, "Ana, Ben and Carl" */
        longer = g_strdup_printf (_("%s and %s"), list, names[i]);
      else
        /* Translators: names in a list, "Ana, Ben" */
        longer = g_strdup_printf (_("%s, %s"), list, names[i]);
      g_free (list);
      list = g_steal_pointer (&longer);
    }
  return g_steal_pointer (&list);
}

/* Activity lines */

typedef struct {
  JsonObject *activity;
  JsonObject *names;
  const char *action;
  const char *via;
  const char *actor;
  gboolean by_agent;
  /* set when a name the sentence needs is missing: the server's sentence is used instead */
  gboolean incomplete;
} Line;

static const char *
name_of (Line       *line,
         const char *id)
{
  const char *name = id ? baton_json_peek_string (line->names, id) : NULL;

  if (id && name == NULL)
    line->incomplete = TRUE;
  return name ? name : "";
}

static const char *
side_team (Line       *line,
           const char *side)
{
  const char *id = baton_json_peek_string (baton_json_get_object (line->activity, side),
                                           "team_id");

  return id ? name_of (line, id) : NULL;
}

static GStrv
side_assignees (Line       *line,
                const char *side)
{
  return baton_json_dup_strv (baton_json_get_object (line->activity, side), "assignee_ids");
}

static char *
names_of (Line               *line,
          const char * const *ids)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) names = NULL;

  for (guint i = 0; ids && ids[i]; i++)
    g_strv_builder_add (builder, name_of (line, ids[i]));
  names = g_strv_builder_end (builder);
  return baton_describe_list ((const char * const *) names);
}

/* The rule that chose, as the line says it: "Assigned to Ana (round robin)" */
static const char *
rule_of (const char *via)
{
  if (g_strcmp0 (via, "contact_owner") == 0)
    return C_("assignment rule", "contact owner");
  if (g_strcmp0 (via, "channel_default") == 0)
    return C_("assignment rule", "channel default");
  if (g_strcmp0 (via, "team:round_robin") == 0)
    return C_("assignment rule", "round robin");
  if (g_strcmp0 (via, "team:least_busy") == 0)
    return C_("assignment rule", "least busy");
  if (g_strcmp0 (via, "team:default_user") == 0)
    return C_("assignment rule", "default user");
  if (g_strcmp0 (via, "team:backup_user") == 0)
    return C_("assignment rule", "backup user");
  return NULL;
}

static char *
with_rule (char       *sentence,
           const char *rule)
{
  char *longer = NULL;

  if (rule == NULL)
    return sentence;
  /* Translators: an activity line and the rule that decided, "Assigned to Ana (round robin)" */
  longer = g_strdup_printf (_("%s (%s)"), sentence, rule);
  g_free (sentence);
  return longer;
}

static char *
describe_flow (Line *line)
{
  const char *flow = name_of (line, baton_json_peek_string (line->activity, "flow_id"));
  const char *team = side_team (line, "to");
  g_auto(GStrv) ids = side_assignees (line, "to");
  g_autofree char *names = names_of (line, (const char * const *) ids);

  if (g_str_equal (line->action, "assigned") && team)
    return g_strdup_printf (_("Assigned to %s in %s by flow %s"), names, team, flow);
  if (g_str_equal (line->action, "assigned"))
    return g_strdup_printf (_("Assigned to %s by flow %s"), names, flow);
  if (g_str_equal (line->action, "team_changed"))
    return g_strdup_printf (_("Sent to team %s by flow %s"), team ? team : "", flow);
  if (g_str_equal (line->action, "resolved"))
    return g_strdup_printf (_("Closed by flow %s"), flow);
  if (g_str_equal (line->action, "unassigned"))
    return g_strdup_printf (_("Unassigned by flow %s"), flow);
  return NULL;
}

static char *
describe_timeout (Line *line)
{
  const char *lapsed = name_of (line, baton_json_peek_string (line->activity, "agent_id"));
  int minutes = (int) baton_json_get_int (line->activity, "minutes");
  const char *team = side_team (line, "to");
  g_auto(GStrv) ids = side_assignees (line, "to");
  g_autofree char *names = names_of (line, (const char * const *) ids);

  if (g_str_equal (line->action, "assigned"))
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Reassigned from %s to %s: no reply in %d minute",
                                         "Reassigned from %s to %s: no reply in %d minutes",
                                         minutes),
                            lapsed, names, minutes);
  if (team)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%s did not reply in %d minute: back in the %s queue",
                                         "%s did not reply in %d minutes: back in the %s queue",
                                         minutes),
                            lapsed, minutes, team);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%s did not reply in %d minute: back in the queue",
                                       "%s did not reply in %d minutes: back in the queue",
                                       minutes),
                          lapsed, minutes);
}

static char *
describe_reopened (Line *line)
{
  g_auto(GStrv) ids = side_assignees (line, "to");
  g_autofree char *names = names_of (line, (const char * const *) ids);

  if (line->by_agent)
    return g_strdup_printf (_("Reopened by %s"), line->actor);
  if (!baton_strv_is_empty ((const char * const *) ids))
    return with_rule (g_strdup_printf (_("Reopened by a new message from %s and assigned to %s"),
                                       line->actor, names),
                      rule_of (line->via));
  return g_strdup_printf (_("Reopened by a new message from %s"), line->actor);
}

static char *
describe_assigned (Line *line)
{
  g_auto(GStrv) from = side_assignees (line, "from");
  g_auto(GStrv) to = side_assignees (line, "to");
  g_auto(GStrv) removed = baton_strv_minus ((const char * const *) from,
                                            (const char * const *) to);
  g_autofree char *names = names_of (line, (const char * const *) to);
  g_autofree char *removed_names = names_of (line, (const char * const *) removed);
  const char *actor_id = baton_json_peek_string (baton_json_get_object (line->activity, "actor"),
                                                 "id");
  const char *team = side_team (line, "to");
  gboolean self_assigned = g_strcmp0 (line->via, "claim") == 0
                           || (line->by_agent && g_strcmp0 (line->via, "manual") == 0
                               && to[0] && to[1] == NULL && g_strcmp0 (to[0], actor_id) == 0);
  char *sentence = NULL;

  if (self_assigned && removed[0])
    return g_strdup_printf (_("%s self-assigned this conversation, replacing %s"), line->actor,
                            removed_names);
  if (self_assigned)
    return g_strdup_printf (_("%s self-assigned this conversation"), line->actor);
  if (g_strcmp0 (line->via, "first_reply") == 0)
    return g_strdup_printf (_("%s took this conversation by replying"), line->actor);
  if (line->by_agent && team)
    sentence = g_strdup_printf (_("Assigned to %s in %s by %s"), names, team, line->actor);
  else if (line->by_agent)
    sentence = g_strdup_printf (_("Assigned to %s by %s"), names, line->actor);
  else if (team)
    sentence = g_strdup_printf (_("Assigned to %s in %s"), names, team);
  else
    sentence = g_strdup_printf (_("Assigned to %s"), names);
  sentence = with_rule (sentence, rule_of (line->via));
  if (removed[0])
    {
      /* Translators: "Assigned to Ana by Ben, replacing Carl" */
      char *longer = g_strdup_printf (_("%s, replacing %s"), sentence, removed_names);

      g_free (sentence);
      sentence = longer;
    }
  return sentence;
}

static char *
describe_team_changed (Line *line)
{
  const char *team = side_team (line, "to");
  const char *old_team = side_team (line, "from");

  if (team && g_strcmp0 (line->via, "channel_default") == 0)
    return g_strdup_printf (_("Sent to team %s (channel default)"), team);
  if (team && line->by_agent)
    return g_strdup_printf (_("Moved to team %s by %s"), team, line->actor);
  if (team)
    return g_strdup_printf (_("Moved to team %s"), team);
  if (line->by_agent)
    return g_strdup_printf (_("Removed from team %s by %s"), old_team ? old_team : "",
                            line->actor);
  return g_strdup_printf (_("Removed from team %s"), old_team ? old_team : "");
}

static char *
describe_line (Line *line)
{
  const char *action = line->action;

  if (baton_json_peek_string (line->activity, "flow_id"))
    return describe_flow (line);
  if (g_strcmp0 (line->via, "reassign_timeout") == 0)
    return describe_timeout (line);
  if (g_strcmp0 (line->via, "agent_removed") == 0)
    {
      const char *removed = name_of (line, baton_json_peek_string (line->activity, "agent_id"));

      return line->by_agent
        ? g_strdup_printf (_("%s was removed from the workspace by %s"), removed, line->actor)
        : g_strdup_printf (_("%s was removed from the workspace"), removed);
    }
  if (g_str_equal (action, "resolved"))
    return line->by_agent ? g_strdup_printf (_("Resolved by %s"), line->actor)
                          : g_strdup (_("Resolved"));
  if (g_str_equal (action, "reopened"))
    return describe_reopened (line);
  if (g_str_equal (action, "assigned"))
    return describe_assigned (line);
  if (g_str_equal (action, "unassigned"))
    return line->by_agent ? g_strdup_printf (_("Conversation unassigned by %s"), line->actor)
                          : g_strdup (_("Conversation unassigned"));
  if (g_str_equal (action, "team_changed"))
    return describe_team_changed (line);
  return NULL;
}

char *
baton_describe_activity (BatonMessage *message)
{
  JsonObject *activity = NULL;
  JsonObject *actor = NULL;
  g_autofree char *sentence = NULL;
  Line line = { 0 };

  if (message->activity && JSON_NODE_HOLDS_OBJECT (message->activity))
    activity = json_node_get_object (message->activity);
  line.activity = activity;
  line.names = baton_json_get_object (activity, "names");
  line.action = baton_json_peek_string (activity, "action");
  line.via = baton_json_peek_string (activity, "via");
  actor = baton_json_get_object (activity, "actor");
  line.actor = baton_json_get_string (actor, "name");
  line.by_agent = g_strcmp0 (baton_json_peek_string (actor, "type"), "agent") == 0;

  /* A line from before the server sent names, or of an action this app does not know. */
  if (line.names == NULL || line.action == NULL)
    return g_strdup (message->body ? message->body : "");
  sentence = describe_line (&line);
  if (sentence == NULL || line.incomplete)
    return g_strdup (message->body ? message->body : "");
  return g_steal_pointer (&sentence);
}

/* Notifications */

void
baton_describe_notification (BatonNotification  *notification,
                             char              **title,
                             char              **body)
{
  const char *kind = notification->kind;
  const char *contact = notification->contact_name;
  const char *preview = notification->preview ? notification->preview : "";
  g_autofree char *holders = baton_describe_list ((const char * const *)
                                                  notification->assignee_names);

  if (contact == NULL)
    {
      *title = g_strdup (notification->title);
      *body = g_strdup (notification->body);
      return;
    }
  /* Translators: a notification's body: the contact and what they wrote, "Chloé: Hello" */
  *body = g_strdup_printf (_("%s: %s"), contact, preview);
  if (g_str_equal (kind, "assigned"))
    *title = g_strdup (_("Assigned to you"));
  else if (g_str_equal (kind, "new_conversation"))
    *title = g_strdup (_("New conversation"));
  else if (g_str_equal (kind, "reopened"))
    *title = g_strdup (_("Conversation reopened"));
  else if (g_str_equal (kind, "new_message"))
    {
      *title = g_strdup (contact);
      g_free (*body);
      *body = g_strdup (preview);
    }
  else if (g_str_equal (kind, "unassigned"))
    {
      *title = g_strdup (_("Conversation unassigned"));
      g_free (*body);
      *body = g_strdup_printf (_("%s needs an agent"), contact);
    }
  else if (g_str_equal (kind, "reassigned_away"))
    {
      *title = g_strdup (_("Conversation reassigned"));
      g_free (*body);
      *body = *holders
        ? g_strdup_printf (_("The conversation with %s now belongs to %s"), contact, holders)
        : g_strdup_printf (_("You were removed from the conversation with %s"), contact);
    }
  else
    {
      *title = g_strdup (notification->title);
      g_free (*body);
      *body = g_strdup (notification->body);
    }
}

char *
baton_describe_taken (BatonDirectory    *directory,
                      BatonConversation *conversation)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) names = NULL;
  g_autofree char *holders = NULL;

  for (guint i = 0; conversation->assignee_ids && conversation->assignee_ids[i]; i++)
    {
      BatonAgent *agent = directory ? baton_directory_lookup_agent (directory,
                                                                    conversation->assignee_ids[i])
                                    : NULL;

      g_strv_builder_add (builder, agent ? agent->name : _("Someone"));
    }
  names = g_strv_builder_end (builder);
  if (names[0] == NULL)
    return NULL;
  holders = baton_describe_list ((const char * const *) names);
  /* Translators: after "Assign to me" lost to someone faster: "Ana Lima already took it" */
  return g_strdup_printf (_("%s already took it"), holders);
}

/* Errors */

typedef struct {
  const char *field;
  const char *message;
} FieldMessage;

/* What to do about a refused value, by the field the server names (its message may be English
 * and name the field as the API spells it). */
static const FieldMessage field_messages[] = {
  { "name", N_("Enter a name of 1 to 200 characters.") },
  { "email", N_("Enter an email address such as ana@example.com.") },
  { "password", N_("A password has at least 8 characters.") },
  { "role", N_("Choose agent or manager.") },
  { "availability", N_("Choose online, away or offline.") },
  { "strategy", N_("Choose how the team assigns its conversations.") },
  { "default_user_id", N_("Choose a default user among the team’s members.") },
  { "backup_user_id",
    N_("Choose a backup user among the team’s members, other than the default user.") },
  { "reassign_after_minutes",
    N_("Reassigning when nobody replies works with round robin and least busy, after 1 to 10080 minutes.") },
  { "max_active_per_agent", N_("Enter a number of conversations of at least 1, or no limit.") },
  { "timezone", N_("Enter a time zone such as Europe/Paris.") },
  { "body", N_("A message has 1 to 4096 characters.") },
  { "note", N_("A template message cannot be a note.") },
  { "to", N_("Enter a phone number with its country code, such as +447700900123.") },
  { "team_id", N_("This team no longer exists.") },
  { "default_team_id", N_("This team no longer exists.") },
  { "channel_id", N_("This channel no longer exists.") },
  { "in_reply_to", N_("The message replied to is not in this conversation.") },
  { "template", N_("Templates are for WhatsApp channels only.") },
  { "template.name", N_("This channel has no such approved template.") },
  { "template.parameters", N_("Fill in each parameter of the template, up to 1024 bytes each.") },
  { "fields", N_("A contact has at most 100 fields: a name of 1 to 64 characters and a value of at most 1000.") },
  { "tags", N_("A tag has 1 to 64 characters: letters, digits and _ . : -") },
  { "phone_number_id", N_("Enter the number’s id from the WhatsApp Manager (digits), used by no other channel.") },
  { "display_phone_number", N_("Enter a phone number.") },
  { "business_account_id", N_("Enter the WhatsApp Business Account id (digits).") },
  { "access_token", N_("Enter the system user’s access token (no spaces).") },
  { "app_secret", N_("Enter the app secret (no spaces, at most 256 characters).") },
  { "verify_token", N_("Enter a verify token without spaces, at most 256 characters.") },
  { "graph_base_url", N_("Enter the Graph API address with its version, such as https://graph.facebook.com/v21.0.") },
  /* a flow's members, said by their last name in paths such as steps[0].then[1].team_id */
  { "value", N_("Check this condition’s value: a valid pattern, a tag, hours and channels that still exist.") },
  { "user_id", N_("This agent no longer exists.") },
  { "conversation_tags", N_("A tag has 1 to 64 characters: letters, digits and _ . : -") },
  { "contact_tags", N_("A tag has 1 to 64 characters: letters, digits and _ . : -") },
  { "add_tags", N_("A tag has 1 to 64 characters: letters, digits and _ . : -") },
  { "remove_tags", N_("A tag has 1 to 64 characters: letters, digits and _ . : -") },
  { "conditions", N_("A condition step needs at least one condition.") },
  { "trigger.tag", N_("A tag has 1 to 64 characters: letters, digits and _ . : -") },
  { "trigger.channel_ids", N_("One of these channels no longer exists.") },
};

static const char *
describe_field (const char *field)
{
  const char *message = NULL;
  g_autofree char *base = NULL;
  char *cut = NULL;

  if (field == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (field_messages); i++)
    if (g_str_equal (field_messages[i].field, field))
      return _(field_messages[i].message);
  /* "steps[0].then[1].team_id": a member of a flow's step (or of a dry run's sample), said
   * as that member */
  cut = strrchr (field, '.');
  if (cut && (g_str_has_prefix (field, "steps[") || g_str_has_prefix (field, "sample."))
      && (message = describe_field (cut + 1)))
    return message;
  /* "assignee_ids[1]", "fields.plan": said as the list or object they belong to */
  base = g_strdup (field);
  cut = MAX (strrchr (base, '['), strrchr (base, '.'));
  if (cut == NULL)
    {
      if (g_str_has_suffix (base, "_ids"))
        return _("One of these agents no longer exists.");
      return NULL;
    }
  *cut = '\0';
  return describe_field (base);
}

static const char *
describe_code (const GError *error)
{
  const char *name = baton_client_error_get_name (error);

  if (g_strcmp0 (name, "window_closed") == 0)
    return _("The 24-hour window has closed: only an approved template can be sent.");
  if (g_strcmp0 (name, "unavailable") == 0)
    return _("The server is busy. Try again in a moment.");
  if (g_strcmp0 (name, "payload_too_large") == 0)
    return _("This is too large to send.");
  if (g_strcmp0 (name, "channel_error") == 0)
    return _("WhatsApp refused it. Check the channel’s settings, then try again.");
  switch ((BatonClientError) error->code)
    {
    case BATON_CLIENT_ERROR_UNREACHABLE:
      return _("Cannot reach the server. Check your connection.");
    case BATON_CLIENT_ERROR_UNAUTHORIZED:
      return _("Your session has ended. Sign in again.");
    case BATON_CLIENT_ERROR_FORBIDDEN:
      return _("Your role does not allow this.");
    case BATON_CLIENT_ERROR_NOT_FOUND:
      return _("This no longer exists: someone may have deleted it.");
    case BATON_CLIENT_ERROR_CONFLICT:
      return _("Someone changed this at the same time. Look again, then try again.");
    case BATON_CLIENT_ERROR_UNPROCESSABLE:
    case BATON_CLIENT_ERROR_BAD_REQUEST:
      return _("The server refused this request.");
    case BATON_CLIENT_ERROR_RATE_LIMITED:
      return _("Too many attempts. Wait a moment, then try again.");
    case BATON_CLIENT_ERROR_SERVER:
      return _("The server ran into a problem. Try again later.");
    case BATON_CLIENT_ERROR_INVALID_RESPONSE:
    default:
      return _("The server gave an answer this app does not understand.");
    }
}

const char *
baton_describe_error (const GError *error)
{
  const char *field_message = NULL;

  if (error->domain != BATON_CLIENT_ERROR)
    return error->message;
  /* a value another object has: the field's own message would ask for a valid one */
  if (error->code == BATON_CLIENT_ERROR_CONFLICT
      && g_strcmp0 (baton_client_error_get_field (error), "email") == 0)
    return _("Another agent already has this email address.");
  field_message = describe_field (baton_client_error_get_field (error));
  return field_message ? field_message : describe_code (error);
}

/* Reports */

const char *
baton_describe_via (const char *via)
{
  const char *rule = rule_of (via);

  if (rule)
    return rule;
  if (g_strcmp0 (via, "manual") == 0)
    return C_("assignment rule", "manual");
  if (g_strcmp0 (via, "claim") == 0)
    return C_("assignment rule", "self-assigned");
  if (g_strcmp0 (via, "first_reply") == 0)
    return C_("assignment rule", "first reply");
  if (g_strcmp0 (via, "reassign_timeout") == 0)
    return C_("assignment rule", "no reply in time");
  if (g_strcmp0 (via, "agent_removed") == 0)
    return C_("assignment rule", "agent removed");
  return via ? via : "";
}

char *
baton_describe_duration (gint64 seconds)
{
  gint64 minutes = seconds / 60;
  gint64 hours = minutes / 60;
  gint64 days = hours / 24;

  if (seconds < 0)
    return g_strdup ("—");
  if (seconds < 60)
    return g_strdup_printf (C_("duration", "%d s"), (int) seconds);
  if (minutes < 60)
    return g_strdup_printf (C_("duration", "%d min"), (int) minutes);
  if (hours < 24 && minutes % 60 == 0)
    return g_strdup_printf (C_("duration", "%d h"), (int) hours);
  if (hours < 24)
    return g_strdup_printf (C_("duration", "%d h %d min"), (int) hours, (int) (minutes % 60));
  if (hours % 24 == 0)
    return g_strdup_printf (C_("duration", "%d d"), (int) days);
  return g_strdup_printf (C_("duration", "%d d %d h"), (int) days, (int) (hours % 24));
}
