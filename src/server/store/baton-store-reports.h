/* baton-store-reports.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-store-counts.h"

G_BEGIN_DECLS

/* What the reports are computed from: the stored conversations, messages and activity lines
 * of a period [from, to) in milliseconds, so that they cover history from before reports.
 *
 * Every query takes the same filter: team_id (or NULL) keeps the conversations of that team
 * now; agent_id (or NULL) keeps the conversations the agent is in: assigned now, wrote in,
 * or named by an activity line (as actor, assignee or subject). */
typedef struct {
  const char *team_id;
  const char *agent_id;
  gint64 from;
  gint64 to;
} BatonReportFilter;

/* a conversation created in the period */
typedef struct {
  char *id;
  gint64 created_at;
  /* the customer's first message and the first agent reply (who sent it): 0 / NULL if none */
  gint64 first_inbound_at;
  gint64 first_reply_at;
  char *first_reply_by;
} BatonReportConversation;

/* an activity line of the period */
typedef struct {
  gint64 at;
  /* when its conversation was created */
  gint64 conversation_created_at;
  /* the line's JSON text */
  char *activity;
} BatonReportActivity;

void       baton_report_conversation_free (BatonReportConversation *conversation);
void       baton_report_activity_free     (BatonReportActivity     *activity);

/* BatonReportConversation, oldest first */
GPtrArray *baton_store_reports_created    (BatonStore              *store,
                                           const BatonReportFilter *filter,
                                           GError                 **error);
/* BatonReportActivity, oldest first */
GPtrArray *baton_store_reports_activity   (BatonStore              *store,
                                           const BatonReportFilter *filter,
                                           GError                 **error);
/* BatonCountRow: the agents' replies (outbound messages) of the period, per agent */
GPtrArray *baton_store_reports_replies    (BatonStore              *store,
                                           const BatonReportFilter *filter,
                                           GError                 **error);
/* BatonCountRow: the conversations not resolved now, per assignee (the period unused) */
GPtrArray *baton_store_reports_open       (BatonStore              *store,
                                           const BatonReportFilter *filter,
                                           GError                 **error);

G_END_DECLS
