/* baton-event.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define BATON_TYPE_EVENT (baton_event_get_type ())

/* One event of the stream (PROTOCOL.md §4). agent_id names the one agent a notification is
 * for; NULL means every agent. */
typedef struct {
  gint64 seq;
  char *type;
  gint64 at;
  char *agent_id;
  JsonNode *data;
} BatonEvent;

GType       baton_event_get_type  (void) G_GNUC_CONST;
BatonEvent *baton_event_new       (const char *type,
                                   gint64      at,
                                   const char *agent_id,
                                   JsonNode   *data);
BatonEvent *baton_event_ref       (BatonEvent *event);
void        baton_event_unref     (BatonEvent *event);
char       *baton_event_to_string (BatonEvent *event);
BatonEvent *baton_event_from_json (JsonNode   *node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonEvent, baton_event_unref)

G_END_DECLS
