/* fuzz-request-bodies.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "baton-error.h"
#include "baton-flow.h"
#include "baton-json.h"
#include "baton-schedule.h"
#include "baton-whatsapp-channel.h"

/* Fuzz target for what an authenticated caller's body goes through before anything is
 * stored: the REST body parser (baton_request_body's), the readers of flows, schedules and
 * WhatsApp channels (create and update), and the typed member readers every handler uses, on
 * each member name the handlers read. A handler itself needs a live SoupServerMessage; these
 * are the functions it hands the body to. Beyond "no crash, no leak, no critical", it checks
 * that each reader fails exactly when it sets an error, with a BATON_ERROR, and that what
 * was read writes back as strict JSON. */

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* the members the handlers of baton-api-*.c read from bodies */
static const char * const members[] = {
  "assignee_ids", "availability", "body", "button_payloads", "channel_id", "default_team_id",
  "default_user_id", "email", "expected_version", "fields", "in_reply_to", "kind", "language",
  "member_ids", "mode", "name", "note", "only_online", "owner_ids", "parameters", "password",
  "role", "seconds", "sent_at", "strategy", "tags", "team_id", "template", "timezone", "to",
  "position", "enabled", "trigger", "steps", "weekly", "holidays", "phone_number_id",
  "client_id", "shortcut", "title", "owner_id", "attachment_ids",
};

static gboolean
exists (const char *id,
        gpointer    user_data)
{
  /* ids the fuzzer can find in the seeds exist, others do not */
  return id && g_str_has_suffix (id, "_1");
}

static void
check_result (gboolean  read,
              GError   *error)
{
  if (read == (error != NULL) || (error && error->domain != BATON_ERROR))
    abort ();
}

static void
check_json (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  if (!g_utf8_validate (text, -1, NULL) || !baton_json_is_strict (text, strlen (text)))
    abort ();
  json_node_unref (node);
}

static void
read_members (JsonObject *body)
{
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    for (BatonJsonFlags flags = 0; flags <= (BATON_JSON_REQUIRED | BATON_JSON_NULLABLE);
         flags++)
      {
        g_autoptr(GError) string_error = NULL;
        g_autoptr(GError) int_error = NULL;
        g_autoptr(GError) bool_error = NULL;
        g_autoptr(GError) strv_error = NULL;
        g_autoptr(GError) object_error = NULL;
        g_autoptr(GError) name_error = NULL;
        g_autoptr(GError) tags_error = NULL;
        g_auto(GStrv) strv = NULL;
        g_auto(GStrv) tags = NULL;
        const char *string = NULL;
        JsonObject *object = NULL;
        gint64 number = 0;
        gboolean is_null = FALSE;
        gboolean flag = FALSE;
        gboolean read = FALSE;

        read = baton_json_read_string (body, members[i], flags, &string, &string_error);
        check_result (read, string_error);
        if (read && string)
          {
            read = baton_validate_name (members[i], string, &name_error);
            check_result (read, name_error);
          }
        read = baton_json_read_int (body, members[i], flags, &number, &is_null, &int_error);
        check_result (read, int_error);
        read = baton_json_read_bool (body, members[i], flags, &flag, &bool_error);
        check_result (read, bool_error);
        read = baton_json_read_strv (body, members[i], flags, &strv, &strv_error);
        check_result (read, strv_error);
        if (read && strv)
          {
            tags = baton_tags_normalize (members[i], (const char * const *) strv, &tags_error);
            check_result (tags != NULL, tags_error);
          }
        read = baton_json_read_object (body, members[i], flags, &object, &object_error);
        check_result (read, object_error);
      }
}

static void
read_flow (JsonObject *body,
           gboolean    creating)
{
  g_autoptr(BatonFlow) flow = baton_flow_new ();
  g_autoptr(GError) error = NULL;
  BatonFlowLookup lookup = { exists, exists, exists, exists, NULL };
  gboolean read = baton_flow_update (flow, body, creating, &lookup, &error);

  check_result (read, error);
  if (read)
    check_json (baton_flow_to_json (flow));
}

static void
read_schedule (JsonObject *body,
               gboolean    creating)
{
  g_autoptr(BatonSchedule) schedule = baton_schedule_new ();
  g_autoptr(GError) error = NULL;
  gboolean read = baton_schedule_update (schedule, body, creating, &error);

  check_result (read, error);
  if (read)
    {
      check_json (baton_schedule_to_json (schedule));
      baton_schedule_contains (schedule, G_GINT64_CONSTANT (1773841200000));
    }
}

static void
read_channel (JsonObject *body,
              gboolean    creating)
{
  g_autoptr(BatonWhatsappChannel) channel = g_new0 (BatonWhatsappChannel, 1);
  g_autoptr(GError) error = NULL;
  gboolean read = FALSE;

  channel->id = g_strdup ("chn_1");
  read = baton_whatsapp_channel_read (channel, body, creating, &error);
  check_result (read, error);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static gboolean initialised = FALSE;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;

  if (!initialised)
    {
      /* a critical from json-glib means a member was read with the wrong type */
      g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
      initialised = TRUE;
    }
  body = baton_json_parse_object ((const char *) data, size, &error);
  check_result (body != NULL, error);
  if (body == NULL)
    return 0;
  read_members (body);
  for (int creating = 0; creating < 2; creating++)
    {
      read_flow (body, creating);
      read_schedule (body, creating);
      read_channel (body, creating);
    }
  return 0;
}
