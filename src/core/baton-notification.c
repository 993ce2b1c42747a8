/* baton-notification.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-notification"

#include "config.h"

#include "baton-json.h"
#include "baton-notification.h"

G_DEFINE_BOXED_TYPE (BatonNotification, baton_notification, baton_notification_ref,
                     baton_notification_unref)

BatonNotification *
baton_notification_new (void)
{
  return g_rc_box_new0 (BatonNotification);
}

BatonNotification *
baton_notification_ref (BatonNotification *notification)
{
  return g_rc_box_acquire (notification);
}

static void
notification_clear (BatonNotification *notification)
{
  g_free (notification->kind);
  g_free (notification->conversation_id);
  g_free (notification->title);
  g_free (notification->body);
  g_free (notification->actor_name);
  g_free (notification->contact_name);
  g_free (notification->preview);
  g_strfreev (notification->assignee_names);
}

void
baton_notification_unref (BatonNotification *notification)
{
  g_rc_box_release_full (notification, (GDestroyNotify) notification_clear);
}

BatonNotification *
baton_notification_from_json (JsonNode *node)
{
  JsonObject *object = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  BatonNotification *notification = NULL;

  if (*baton_json_get_string (object, "kind") == '\0'
      || *baton_json_get_string (object, "conversation_id") == '\0')
    return NULL;
  notification = baton_notification_new ();
  notification->kind = baton_json_dup_string (object, "kind");
  notification->conversation_id = baton_json_dup_string (object, "conversation_id");
  notification->title = baton_json_dup_string (object, "title");
  notification->body = baton_json_dup_string (object, "body");
  notification->actor_name = baton_json_dup_string (baton_json_get_object (object, "actor"),
                                                    "name");
  notification->contact_name = baton_json_dup_string (object, "contact_name");
  notification->preview = baton_json_dup_string (object, "preview");
  notification->assignee_names = baton_json_dup_strv (object, "assignee_names");
  return notification;
}
