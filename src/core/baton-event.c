/* baton-event.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-event"

#include "config.h"

#include "baton-event.h"
#include "baton-json.h"
#include "baton-time.h"

G_DEFINE_BOXED_TYPE (BatonEvent, baton_event, baton_event_ref, baton_event_unref)

/* In the order of BatonEventKind. */
static const char *kind_names[] = {
  NULL,
  "conversation.created",
  "conversation.updated",
  "message.created",
  "message.updated",
  "agent.updated",
  "agent.deleted",
  "team.created",
  "team.updated",
  "team.deleted",
  "contact.updated",
  "settings.updated",
  "channel.updated",
  "flow.created",
  "flow.updated",
  "flow.deleted",
  "schedule.created",
  "schedule.updated",
  "schedule.deleted",
  "seen.updated",
  "reply.created",
  "reply.updated",
  "reply.deleted",
  "notification",
  "resync_required",
};

G_STATIC_ASSERT (G_N_ELEMENTS (kind_names) == BATON_EVENT_RESYNC_REQUIRED + 1);

BatonEventKind
baton_event_kind_from_string (const char *type)
{
  for (guint i = 1; type && i < G_N_ELEMENTS (kind_names); i++)
    if (g_str_equal (kind_names[i], type))
      return (BatonEventKind) i;
  return BATON_EVENT_UNKNOWN;
}

const char *
baton_event_kind_to_string (BatonEventKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (kind_names), NULL);

  return kind_names[kind];
}

BatonEventKind
baton_event_get_kind (BatonEvent *event)
{
  g_return_val_if_fail (event != NULL, BATON_EVENT_UNKNOWN);

  return baton_event_kind_from_string (event->type);
}

static JsonObject *
data_object (BatonEvent *event)
{
  return event->data && JSON_NODE_HOLDS_OBJECT (event->data) ? json_node_get_object (event->data)
                                                             : NULL;
}

const char *
baton_event_get_object_id (BatonEvent *event)
{
  const char *id = NULL;

  g_return_val_if_fail (event != NULL, NULL);

  id = baton_json_get_string (data_object (event), "id");
  return *id ? id : NULL;
}

gboolean
baton_event_is_deletion (BatonEvent *event)
{
  g_return_val_if_fail (event != NULL, FALSE);

  switch (baton_event_get_kind (event))
    {
    case BATON_EVENT_AGENT_DELETED:
    case BATON_EVENT_TEAM_DELETED:
    case BATON_EVENT_FLOW_DELETED:
    case BATON_EVENT_SCHEDULE_DELETED:
    case BATON_EVENT_REPLY_DELETED:
      return TRUE;
    case BATON_EVENT_CHANNEL_UPDATED:
      return baton_json_get_bool (data_object (event), "deleted");
    default:
      return FALSE;
    }
}

/* Takes data. */
BatonEvent *
baton_event_new (const char *type,
                 gint64      at,
                 const char *agent_id,
                 JsonNode   *data)
{
  BatonEvent *event = g_atomic_rc_box_new0 (BatonEvent);

  event->type = g_strdup (type);
  event->at = at;
  event->agent_id = g_strdup (agent_id);
  event->data = data;
  return event;
}

BatonEvent *
baton_event_ref (BatonEvent *event)
{
  return g_atomic_rc_box_acquire (event);
}

static void
event_clear (BatonEvent *event)
{
  g_free (event->type);
  g_free (event->agent_id);
  g_clear_pointer (&event->data, json_node_unref);
  g_free (event->data_text);
}

void
baton_event_unref (BatonEvent *event)
{
  g_atomic_rc_box_release_full (event, (GDestroyNotify) event_clear);
}

/* The stream frame: {"seq", "type", "at", "data"}, written around the data's text when the
 * event has it. */
char *
baton_event_to_string (BatonEvent *event)
{
  GString *out = g_string_sized_new (event->data_text ? strlen (event->data_text) + 96 : 256);

  g_string_append_printf (out, "{\"seq\":%" G_GINT64_FORMAT ",\"type\":", event->seq);
  baton_json_append_string (out, event->type);
  g_string_append (out, ",\"at\":");
  if (event->at > 0)
    {
      g_autofree char *at = baton_time_format (event->at);

      baton_json_append_string (out, at);
    }
  else
    {
      g_string_append (out, "null");
    }
  g_string_append (out, ",\"data\":");
  if (event->data_text)
    {
      g_string_append (out, event->data_text);
    }
  else
    {
      g_autofree char *data = baton_json_to_string (event->data);

      g_string_append (out, data);
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

/* Reads a frame the server sent; NULL when node is not an object with a type. The wire does
 * not carry agent_id, so it stays NULL. */
BatonEvent *
baton_event_from_json (JsonNode *node)
{
  JsonObject *object = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  BatonEvent *event = NULL;

  if (object == NULL || *baton_json_get_string (object, "type") == '\0')
    return NULL;
  event = baton_event_new (baton_json_get_string (object, "type"),
                           baton_json_get_time (object, "at"), NULL,
                           baton_json_dup_member (object, "data"));
  event->seq = baton_json_get_int (object, "seq");
  return event;
}

BatonConversation *
baton_event_dup_conversation (BatonEvent *event)
{
  BatonEventKind kind = BATON_EVENT_UNKNOWN;

  g_return_val_if_fail (event != NULL, NULL);

  kind = baton_event_get_kind (event);
  if (kind != BATON_EVENT_CONVERSATION_CREATED && kind != BATON_EVENT_CONVERSATION_UPDATED)
    return NULL;
  return baton_conversation_from_json (event->data);
}

BatonMessage *
baton_event_dup_message (BatonEvent *event)
{
  BatonEventKind kind = BATON_EVENT_UNKNOWN;

  g_return_val_if_fail (event != NULL, NULL);

  kind = baton_event_get_kind (event);
  if (kind != BATON_EVENT_MESSAGE_CREATED && kind != BATON_EVENT_MESSAGE_UPDATED)
    return NULL;
  return baton_message_from_json (event->data);
}

BatonContact *
baton_event_dup_contact (BatonEvent *event)
{
  g_return_val_if_fail (event != NULL, NULL);

  if (baton_event_get_kind (event) != BATON_EVENT_CONTACT_UPDATED)
    return NULL;
  return baton_contact_from_json (event->data);
}

BatonNotification *
baton_event_dup_notification (BatonEvent *event)
{
  g_return_val_if_fail (event != NULL, NULL);

  if (baton_event_get_kind (event) != BATON_EVENT_NOTIFICATION)
    return NULL;
  return baton_notification_from_json (event->data);
}

BatonWorkspaceConfig *
baton_event_dup_workspace_config (BatonEvent *event)
{
  g_return_val_if_fail (event != NULL, NULL);

  if (baton_event_get_kind (event) != BATON_EVENT_SETTINGS_UPDATED)
    return NULL;
  return baton_workspace_config_from_json (event->data);
}
