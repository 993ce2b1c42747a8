/* baton-agent.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "baton-enums.h"

G_BEGIN_DECLS

#define BATON_TYPE_AGENT (baton_agent_get_type ())

typedef struct {
  char *id;
  char *name;
  char *email;
  BatonRole role;
  BatonAvailability availability;
  gboolean online;
  int active_count;
  gint64 created_at;
} BatonAgent;

GType       baton_agent_get_type (void) G_GNUC_CONST;
BatonAgent *baton_agent_new      (void);
BatonAgent *baton_agent_ref      (BatonAgent *agent);
void        baton_agent_unref    (BatonAgent *agent);
JsonNode   *baton_agent_to_json  (BatonAgent *agent);

BatonAgent *baton_agent_from_json (JsonNode *node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonAgent, baton_agent_unref)

G_END_DECLS
