/* baton-notification.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define BATON_TYPE_NOTIFICATION (baton_notification_get_type ())

/* The data of a notification event (PROTOCOL.md §4), addressed to one agent. */
typedef struct {
  /* "new_conversation", "assigned", "unassigned", "reassigned_away", "new_message",
   * "reopened" */
  char *kind;
  char *conversation_id;
  char *title;
  char *body;
  /* who did it, or NULL */
  char *actor_name;
  /* what the app writes title and body from, in the agent's language; NULL from a server
   * that does not send them (then title and body are all there is) */
  char *contact_name;
  char *preview;
  /* who holds the conversation now, by name */
  GStrv assignee_names;
} BatonNotification;

GType              baton_notification_get_type  (void) G_GNUC_CONST;
BatonNotification *baton_notification_new       (void);
BatonNotification *baton_notification_ref       (BatonNotification *notification);
void               baton_notification_unref     (BatonNotification *notification);
/* NULL unless node is an object with a kind and a conversation_id. */
BatonNotification *baton_notification_from_json (JsonNode          *node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonNotification, baton_notification_unref)

G_END_DECLS
