/* baton-flow.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "baton-schedule.h"

G_BEGIN_DECLS

#define BATON_TYPE_FLOW (baton_flow_get_type ())

#define BATON_FLOW_MAX_STEPS 100
#define BATON_FLOW_MAX_DEPTH 8

/* A routing rule (PROTOCOL.md "Flow"): a trigger, then steps. */
typedef struct {
  char *id;
  char *name;
  gboolean enabled;
  int position;
  char *trigger_on;
  /* NULL: any channel */
  GStrv channel_ids;
  char *trigger_tag;
  /* the validated array of steps, as given */
  JsonNode *steps;
  /* the steps' `matches` patterns, compiled (baton_flow_patterns_new) */
  GHashTable *patterns;
  gint64 created_at;
  gint64 updated_at;
} BatonFlow;

/* Which ids exist, for validation. */
typedef struct {
  gboolean (*team_exists)     (const char *id, gpointer user_data);
  gboolean (*agent_exists)    (const char *id, gpointer user_data);
  gboolean (*schedule_exists) (const char *id, gpointer user_data);
  gboolean (*channel_exists)  (const char *id, gpointer user_data);
  gpointer user_data;
} BatonFlowLookup;

/* What conditions read. */
typedef struct {
  const char *message_text;
  const char * const *contact_tags;
  /* string → string */
  GHashTable *contact_fields;
  gboolean is_returning;
  const char *channel_id;
  gboolean has_referral;
  gint64 now_ms;
  /* schedule id → BatonSchedule */
  GHashTable *schedules;
} BatonFlowContext;

/* One step a traced run visited (baton_flow_trace). */
typedef struct {
  /* where it is in the flow, in the notation of validation errors: "steps[1].then[0]" */
  char *path;
  /* its type, or NULL when the step has none (it does nothing) */
  char *type;
  JsonObject *step;
  /* a condition step: each condition's result (gboolean) in order, and whether they held
   * (then ran) or not (else ran) */
  GArray *results;
  gboolean held;
} BatonFlowVisit;

GType      baton_flow_get_type   (void) G_GNUC_CONST;
BatonFlow *baton_flow_new        (void);
BatonFlow *baton_flow_ref        (BatonFlow              *flow);
void       baton_flow_unref      (BatonFlow              *flow);
gboolean   baton_flow_update     (BatonFlow              *flow,
                                  JsonObject             *object,
                                  gboolean                creating,
                                  const BatonFlowLookup  *lookup,
                                  GError                **error);
JsonNode  *baton_flow_to_json    (BatonFlow              *flow);
BatonFlow *baton_flow_from_json  (JsonNode               *node);
gboolean   baton_flow_uses_schedule (BatonFlow           *flow,
                                     const char          *schedule_id);
gboolean   baton_flow_triggers   (BatonFlow              *flow,
                                  const char             *event,
                                  const char             *channel_id,
                                  const char             *tag);
GPtrArray *baton_flow_run        (BatonFlow              *flow,
                                  const BatonFlowContext *context);
GHashTable *baton_flow_patterns_new (void);
GPtrArray *baton_flow_trace      (BatonFlow              *flow,
                                  const BatonFlowContext *context);
void       baton_flow_visit_free (BatonFlowVisit         *visit);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonFlow, baton_flow_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonFlowVisit, baton_flow_visit_free)

G_END_DECLS
