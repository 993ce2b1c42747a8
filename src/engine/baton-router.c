/* baton-router.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-router"

#include "config.h"

#include "baton-json.h"
#include "baton-router.h"

/* The routing pipeline of ASSIGNMENT.md §2 as one pure function: contact owners, then the
 * first matching flow, then the kept team, then the channel default. */

static void
assign_free (BatonAssign *assign)
{
  g_free (assign->agent_id);
  g_free (assign->via);
  g_free (assign);
}

void
baton_decision_free (BatonDecision *decision)
{
  g_free (decision->team_id);
  g_ptr_array_unref (decision->assign);
  g_strfreev (decision->conversation_tags);
  g_strfreev (decision->contact_tags);
  g_clear_pointer (&decision->contact_fields, g_hash_table_unref);
  g_ptr_array_unref (decision->messages);
  g_free (decision->flow_id);
  g_hash_table_unref (decision->cursors);
  g_free (decision->via);
  g_free (decision);
}

/* The assignees after the decision, given those before it. */
GStrv
baton_decision_assignees (const BatonDecision *decision,
                          const char * const  *before)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();

  for (guint i = 0; !decision->unassign && before && before[i]; i++)
    {
      g_strv_builder_add (builder, before[i]);
      g_ptr_array_add (seen, (gpointer) before[i]);
    }
  for (guint i = 0; i < decision->assign->len; i++)
    {
      BatonAssign *assign = decision->assign->pdata[i];
      gboolean known = FALSE;

      for (guint j = 0; j < seen->len && !known; j++)
        known = g_str_equal (seen->pdata[j], assign->agent_id);
      if (known)
        continue;
      g_strv_builder_add (builder, assign->agent_id);
      g_ptr_array_add (seen, assign->agent_id);
    }
  return g_strv_builder_end (builder);
}

static gboolean
has_assignee (BatonDecision      *decision,
              const char * const *before)
{
  g_auto(GStrv) now = baton_decision_assignees (decision, before);

  return now[0] != NULL;
}

static void
add_assign (BatonDecision *decision,
            const char    *agent_id,
            const char    *via)
{
  BatonAssign *assign = g_new0 (BatonAssign, 1);

  assign->agent_id = g_strdup (agent_id);
  assign->via = g_strdup (via);
  g_ptr_array_add (decision->assign, assign);
  g_free (decision->via);
  decision->via = g_strdup (via);
}

/* Picks a member of team by its strategy, and when the strategy reassigns on silence, when
 * the pick must have replied by. */
char *
baton_team_pick (BatonTeam          *team,
                 const char         *cursor,
                 BatonAgentStates   *agents,
                 const char * const *excluded,
                 gint64              now_ms,
                 const char        **via,
                 gint64             *reassign_due_at)
{
  char *picked = baton_strategy_pick (team, cursor, agents, excluded, via);

  *reassign_due_at = 0;
  if (picked && team->reassign_after_minutes > 0
      && team->strategy != BATON_STRATEGY_DEFAULT_USER)
    *reassign_due_at = now_ms + (gint64) team->reassign_after_minutes * 60 * 1000;
  return picked;
}

static void
hand_to_team (BatonDecision         *decision,
              const BatonRouteInput *input,
              const char            *team_id)
{
  BatonTeam *team = g_hash_table_lookup (input->teams, team_id);
  const char *cursor = NULL;
  const char *via = NULL;
  g_autofree char *picked = NULL;

  if (g_strcmp0 (decision->team_id, team_id) != 0)
    {
      g_free (decision->team_id);
      decision->team_id = g_strdup (team_id);
      decision->team_changed = TRUE;
    }
  if (team == NULL)
    {
      decision->queued = TRUE;
      return;
    }
  cursor = g_hash_table_lookup (decision->cursors, team_id);
  if (cursor == NULL && input->cursors)
    cursor = g_hash_table_lookup (input->cursors, team_id);
  picked = baton_team_pick (team, cursor, input->agents, input->excluded, input->now_ms, &via,
                            &decision->reassign_due_at);
  if (picked == NULL)
    {
      decision->queued = TRUE;
      return;
    }
  decision->queued = FALSE;
  g_hash_table_insert (decision->cursors, g_strdup (team_id), g_strdup (picked));
  add_assign (decision, picked, via);
}

/* The tags of a step added to current, or replacing them; repeats dropped. */
static GStrv
apply_tags (const char * const *current,
            JsonObject         *step,
            const char         *member,
            gboolean            add)
{
  g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) given = baton_json_dup_strv (step, member);

  for (guint i = 0; add && current && current[i]; i++)
    g_ptr_array_add (tags, g_strdup (current[i]));
  for (guint i = 0; given[i]; i++)
    {
      char *tag = g_utf8_strdown (given[i], -1);

      if (g_ptr_array_find_with_equal_func (tags, tag, g_str_equal, NULL))
        g_free (tag);
      else
        g_ptr_array_add (tags, tag);
    }
  g_ptr_array_add (tags, NULL);
  return (GStrv) g_ptr_array_steal (tags, NULL);
}

static const char * const *
current_conversation_tags (BatonDecision         *decision,
                           const BatonRouteInput *input)
{
  return decision->conversation_tags ? (const char * const *) decision->conversation_tags
                                     : input->conversation_tags;
}

static const char * const *
current_contact_tags (BatonDecision         *decision,
                      const BatonRouteInput *input)
{
  return decision->contact_tags ? (const char * const *) decision->contact_tags
                                : input->contact_tags;
}

static void
replace_strv (GStrv *field,
              GStrv  value)
{
  g_strfreev (*field);
  *field = value;
}

/* Steps are read leniently: flows come back from storage without validating again, and a
 * step missing what it acts on does nothing. */
static void
assign_team (BatonDecision         *decision,
             const BatonRouteInput *input,
             JsonObject            *step,
             const char            *via)
{
  const char *team_id = baton_json_peek_string (step, "team_id");
  gboolean add = !baton_json_has (step, "add_tags") || baton_json_get_bool (step, "add_tags");

  if (team_id == NULL)
    return;
  if (baton_json_has (step, "conversation_tags"))
    replace_strv (&decision->conversation_tags,
                  apply_tags (current_conversation_tags (decision, input), step,
                              "conversation_tags", add));
  if (baton_json_has (step, "contact_tags"))
    replace_strv (&decision->contact_tags,
                  apply_tags (current_contact_tags (decision, input), step, "contact_tags",
                              add));
  hand_to_team (decision, input, team_id);
  /* The member row keeps the strategy that picked; the change is the flow's doing. */
  g_free (decision->via);
  decision->via = g_strdup (via);
}

static void
update_contact (BatonDecision         *decision,
                const BatonRouteInput *input,
                JsonObject            *step)
{
  const char * const *current = current_contact_tags (decision, input);
  g_auto(GStrv) remove = baton_json_dup_strv (step, "remove_tags");
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func (g_free);
  JsonObject *fields = baton_json_get_object (step, "set_fields");
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  for (guint i = 0; remove[i]; i++)
    {
      char *tag = g_utf8_strdown (remove[i], -1);

      g_free (remove[i]);
      remove[i] = tag;
    }
  for (guint i = 0; current && current[i]; i++)
    if (!g_strv_contains ((const char * const *) remove, current[i]))
      g_ptr_array_add (kept, g_strdup (current[i]));
  g_ptr_array_add (kept, NULL);
  replace_strv (&decision->contact_tags,
                apply_tags ((const char * const *) kept->pdata, step, "add_tags", TRUE));
  if (fields == NULL)
    return;
  if (decision->contact_fields == NULL)
    decision->contact_fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  json_object_iter_init (&iter, fields);
  while (json_object_iter_next (&iter, &key, &value))
    if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
      g_hash_table_insert (decision->contact_fields, g_strdup (key),
                           g_strdup (json_node_get_string (value)));
}

static void
run_step (BatonDecision         *decision,
          const BatonRouteInput *input,
          JsonObject            *step)
{
  const char *type = baton_json_peek_string (step, "type");
  const char *text = NULL;
  g_autofree char *via = g_strdup_printf ("flow:%s", decision->flow_id);

  if (g_strcmp0 (type, "assign_team") == 0)
    {
      assign_team (decision, input, step, via);
    }
  else if (g_strcmp0 (type, "assign_user") == 0)
    {
      if ((text = baton_json_peek_string (step, "user_id")))
        add_assign (decision, text, via);
    }
  else if (g_strcmp0 (type, "unassign") == 0)
    {
      decision->unassign = TRUE;
      decision->queued = FALSE;
      decision->reassign_due_at = 0;
      g_ptr_array_set_size (decision->assign, 0);
    }
  else if (g_strcmp0 (type, "close") == 0)
    {
      decision->close = TRUE;
    }
  else if (g_strcmp0 (type, "send_message") == 0)
    {
      if ((text = baton_json_peek_string (step, "body")))
        g_ptr_array_add (decision->messages, g_strdup (text));
    }
  else if (g_strcmp0 (type, "update_contact") == 0)
    {
      update_contact (decision, input, step);
    }
}

static BatonFlow *
first_matching_flow (const BatonRouteInput *input)
{
  for (guint i = 0; input->flows && i < input->flows->len; i++)
    {
      BatonFlow *flow = input->flows->pdata[i];

      if (baton_flow_triggers (flow, input->event, input->channel_id, input->tag))
        return flow;
    }
  return NULL;
}

static BatonDecision *
decision_new (const BatonRouteInput *input)
{
  BatonDecision *decision = g_new0 (BatonDecision, 1);

  decision->assign = g_ptr_array_new_with_free_func ((GDestroyNotify) assign_free);
  decision->messages = g_ptr_array_new_with_free_func (g_free);
  decision->cursors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  decision->team_id = g_strdup (input->team_id);
  return decision;
}

BatonDecision *
baton_route_to_team (const BatonRouteInput *input,
                     const char            *team_id)
{
  BatonDecision *decision = decision_new (input);

  hand_to_team (decision, input, team_id);
  return decision;
}

BatonDecision *
baton_route (const BatonRouteInput *input)
{
  BatonDecision *decision = decision_new (input);
  BatonFlow *flow = NULL;
  gboolean starting;

  starting = g_strcmp0 (input->event, "conversation.created") == 0
             || g_strcmp0 (input->event, "conversation.reopened") == 0;

  /* 1. Contact owners stay involved whatever follows. */
  for (guint i = 0; starting && input->owner_ids && input->owner_ids[i]; i++)
    if (g_hash_table_contains (input->agents, input->owner_ids[i]))
      add_assign (decision, input->owner_ids[i], "contact_owner");

  /* 2. The first enabled flow whose trigger matches runs, and no other. */
  flow = first_matching_flow (input);
  if (flow)
    {
      g_autoptr(GPtrArray) actions = NULL;
      BatonFlowContext context = {
        .message_text = input->message_text,
        .contact_tags = input->contact_tags,
        .contact_fields = input->contact_fields,
        .is_returning = input->is_returning,
        .channel_id = input->channel_id,
        .has_referral = input->has_referral,
        .now_ms = input->now_ms,
        .schedules = input->schedules,
      };

      decision->flow_id = g_strdup (flow->id);
      actions = baton_flow_run (flow, &context);
      for (guint i = 0; i < actions->len; i++)
        run_step (decision, input, actions->pdata[i]);
    }

  /* 3. A reopened conversation keeps its team; the team picks when nobody got it. */
  if (g_strcmp0 (input->event, "conversation.reopened") == 0 && decision->team_id
      && !decision->team_changed && !has_assignee (decision, input->assignee_ids))
    {
      g_autofree char *team_id = g_strdup (decision->team_id);

      hand_to_team (decision, input, team_id);
    }

  /* 4. With no team and nobody, the channel's default team, else its default user. */
  if (starting && decision->team_id == NULL && !has_assignee (decision, input->assignee_ids))
    {
      if (input->default_team_id)
        {
          hand_to_team (decision, input, input->default_team_id);
          /* The member a team picks says which strategy did; a queue says why the team. */
          if (decision->queued)
            {
              g_free (decision->via);
              decision->via = g_strdup ("channel_default");
            }
        }
      else if (input->default_user_id && g_hash_table_contains (input->agents,
                                                                input->default_user_id))
        {
          add_assign (decision, input->default_user_id, "channel_default");
        }
    }
  return decision;
}
