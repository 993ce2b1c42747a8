/* baton-event.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-event"

#include "config.h"

#include "baton-event.h"
#include "baton-json.h"

G_DEFINE_BOXED_TYPE (BatonEvent, baton_event, baton_event_ref, baton_event_unref)

/* Takes data. */
BatonEvent *
baton_event_new (const char *type,
                 gint64      at,
                 const char *agent_id,
                 JsonNode   *data)
{
  BatonEvent *event = g_rc_box_new0 (BatonEvent);

  event->type = g_strdup (type);
  event->at = at;
  event->agent_id = g_strdup (agent_id);
  event->data = data;
  return event;
}

BatonEvent *
baton_event_ref (BatonEvent *event)
{
  return g_rc_box_acquire (event);
}

static void
event_clear (BatonEvent *event)
{
  g_free (event->type);
  g_free (event->agent_id);
  g_clear_pointer (&event->data, json_node_unref);
}

void
baton_event_unref (BatonEvent *event)
{
  g_rc_box_release_full (event, (GDestroyNotify) event_clear);
}

/* The stream frame: {"seq", "type", "at", "data"}. */
char *
baton_event_to_string (BatonEvent *event)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "seq");
  json_builder_add_int_value (builder, event->seq);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, event->type);
  baton_json_add_time (builder, "at", event->at);
  json_builder_set_member_name (builder, "data");
  if (event->data)
    json_builder_add_value (builder, json_node_ref (event->data));
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return baton_json_to_string (root);
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
