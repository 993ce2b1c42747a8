/* flow-wrong-types.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

/* Flow bodies with one member of a JSON type it cannot have, for the engine's unit test and
 * the server's HTTP test: each value of wrong_type_values whose letter is in `kinds` goes
 * where the body says VALUE, and the answer is 422 on `field`. TEAM_ID stands for a team that
 * exists. */

typedef struct {
  const char *kinds;
  const char *field;
  const char *body;
} WrongType;

/* a: array, o: object, n: null, i: number, b: boolean */
static const struct {
  char kind;
  const char *json;
} wrong_type_values[] = {
  { 'a', "[\"x\"]" }, { 'o', "{\"k\":\"x\"}" }, { 'n', "null" }, { 'i', "7" },
  { 'i', "-1.5" }, { 'b', "true" },
};

#define WT_TRIGGER "\"name\":\"F\",\"trigger\":{\"on\":\"conversation.created\"}"
#define WT_STEP(step) "{" WT_TRIGGER ",\"steps\":[" step "]}"
#define WT_CONDITION(condition) \
  WT_STEP ("{\"type\":\"condition\",\"conditions\":[" condition "]}")

static const WrongType wrong_types[] = {
  { "aonib", "trigger.on", "{\"name\":\"F\",\"trigger\":{\"on\":VALUE},\"steps\":[]}" },
  { "oib", "trigger.channel_ids",
    "{\"name\":\"F\",\"trigger\":{\"on\":\"message.received\",\"channel_ids\":VALUE},"
    "\"steps\":[]}" },
  { "aonib", "trigger.channel_ids",
    "{\"name\":\"F\",\"trigger\":{\"on\":\"message.received\",\"channel_ids\":[VALUE]},"
    "\"steps\":[]}" },
  { "aoib", "trigger.tag",
    "{\"name\":\"F\",\"trigger\":{\"on\":\"contact.tag_added\",\"tag\":VALUE},\"steps\":[]}" },
  { "anib", "trigger", "{\"name\":\"F\",\"trigger\":VALUE,\"steps\":[]}" },
  { "onib", "steps", "{" WT_TRIGGER ",\"steps\":VALUE}" },
  { "anib", "steps[0]", WT_STEP ("VALUE") },
  { "aonib", "steps[0].type", WT_STEP ("{\"type\":VALUE}") },
  { "aonib", "steps[0].team_id", WT_STEP ("{\"type\":\"assign_team\",\"team_id\":VALUE}") },
  { "aoni", "steps[0].add_tags",
    WT_STEP ("{\"type\":\"assign_team\",\"team_id\":\"TEAM_ID\",\"add_tags\":VALUE}") },
  { "onib", "steps[0].conversation_tags",
    WT_STEP ("{\"type\":\"assign_team\",\"team_id\":\"TEAM_ID\",\"conversation_tags\":VALUE}") },
  { "aonib", "steps[0].contact_tags[1]",
    WT_STEP ("{\"type\":\"assign_team\",\"team_id\":\"TEAM_ID\","
             "\"contact_tags\":[\"ok\",VALUE]}") },
  { "aonib", "steps[0].user_id", WT_STEP ("{\"type\":\"assign_user\",\"user_id\":VALUE}") },
  { "aonib", "steps[0].body", WT_STEP ("{\"type\":\"send_message\",\"body\":VALUE}") },
  { "onib", "steps[0].add_tags", WT_STEP ("{\"type\":\"update_contact\",\"add_tags\":VALUE}") },
  { "aonib", "steps[0].remove_tags[0]",
    WT_STEP ("{\"type\":\"update_contact\",\"remove_tags\":[VALUE]}") },
  { "anib", "steps[0].set_fields", WT_STEP ("{\"type\":\"update_contact\",\"set_fields\":VALUE}") },
  { "aonib", "steps[0].set_fields.plan",
    WT_STEP ("{\"type\":\"update_contact\",\"set_fields\":{\"plan\":VALUE}}") },
  { "aonib", "steps[0].match",
    WT_STEP ("{\"type\":\"condition\",\"match\":VALUE,\"conditions\":[{\"field\":"
             "\"contact.is_returning\",\"op\":\"is\",\"value\":true}]}") },
  { "onib", "steps[0].conditions",
    WT_STEP ("{\"type\":\"condition\",\"conditions\":VALUE}") },
  { "oib", "steps[0].then",
    WT_STEP ("{\"type\":\"condition\",\"conditions\":[{\"field\":\"contact.is_returning\","
             "\"op\":\"is\",\"value\":true}],\"then\":VALUE}") },
  { "oib", "steps[0].else",
    WT_STEP ("{\"type\":\"condition\",\"conditions\":[{\"field\":\"contact.is_returning\","
             "\"op\":\"is\",\"value\":true}],\"else\":VALUE}") },
  { "anib", "steps[0].conditions[0]", WT_CONDITION ("VALUE") },
  { "aonib", "steps[0].conditions[0].field",
    WT_CONDITION ("{\"field\":VALUE,\"op\":\"is\",\"value\":true}") },
  { "aonib", "steps[0].conditions[0].op",
    WT_CONDITION ("{\"field\":\"message.text\",\"op\":VALUE,\"value\":\"x\"}") },
  { "aonib", "steps[0].conditions[0].value",
    WT_CONDITION ("{\"field\":\"message.text\",\"op\":\"contains\",\"value\":VALUE}") },
  { "aonib", "steps[0].conditions[0].value",
    WT_CONDITION ("{\"field\":\"message.text\",\"op\":\"matches\",\"value\":VALUE}") },
  { "aonib", "steps[0].conditions[0].value",
    WT_CONDITION ("{\"field\":\"contact.tags\",\"op\":\"includes\",\"value\":VALUE}") },
  { "aonib", "steps[0].conditions[0].value",
    WT_CONDITION ("{\"field\":\"contact.fields.plan\",\"op\":\"equals\",\"value\":VALUE}") },
  { "aoni", "steps[0].conditions[0].value",
    WT_CONDITION ("{\"field\":\"contact.fields.plan\",\"op\":\"exists\",\"value\":VALUE}") },
  { "aoni", "steps[0].conditions[0].value",
    WT_CONDITION ("{\"field\":\"contact.is_returning\",\"op\":\"is\",\"value\":VALUE}") },
  { "onib", "steps[0].conditions[0].value",
    WT_CONDITION ("{\"field\":\"channel.id\",\"op\":\"in\",\"value\":VALUE}") },
  { "aonib", "steps[0].conditions[0].value[0]",
    WT_CONDITION ("{\"field\":\"channel.id\",\"op\":\"in\",\"value\":[VALUE]}") },
  { "aoni", "steps[0].conditions[0].value",
    WT_CONDITION ("{\"field\":\"conversation.referral\",\"op\":\"exists\",\"value\":VALUE}") },
  { "aonib", "steps[0].conditions[0].value",
    WT_CONDITION ("{\"field\":\"time\",\"op\":\"within\",\"value\":VALUE}") },
};

/* Calls check (body, field) for every case; team_id replaces TEAM_ID. */
static inline void
wrong_types_foreach (const char  *team_id,
                     void       (*check) (const char *body,
                                          const char *field,
                                          gpointer    user_data),
                     gpointer     user_data)
{
  for (guint c = 0; c < G_N_ELEMENTS (wrong_types); c++)
    for (guint v = 0; v < G_N_ELEMENTS (wrong_type_values); v++)
      {
        g_autoptr(GString) body = NULL;

        if (strchr (wrong_types[c].kinds, wrong_type_values[v].kind) == NULL)
          continue;
        body = g_string_new (wrong_types[c].body);
        g_string_replace (body, "VALUE", wrong_type_values[v].json, 1);
        g_string_replace (body, "TEAM_ID", team_id, 0);
        check (body->str, wrong_types[c].field, user_data);
      }
}
