/* baton-store-flows.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-store.h"

G_BEGIN_DECLS

/* Flows: routing rules, their trigger and steps as JSON texts (the domain keeps the steps it
 * compiled by their text). */
typedef struct {
  char *id;
  char *name;
  gboolean enabled;
  int position;
  char *trigger;
  char *steps;
  gint64 created_at;
  gint64 updated_at;
} BatonFlowRow;

void          baton_flow_row_free             (BatonFlowRow        *row);

/* NULL without an error: no such flow */
BatonFlowRow *baton_store_flows_get           (BatonStore          *store,
                                               const char          *id,
                                               GError             **error);
/* in the order routing tries them: position, then age */
GPtrArray    *baton_store_flows_list          (BatonStore          *store,
                                               GError             **error);
/* the position after every flow's (0 when there is none); -1 when it failed */
int           baton_store_flows_next_position (BatonStore          *store,
                                               GError             **error);
gboolean      baton_store_flows_insert        (BatonStore          *store,
                                               const BatonFlowRow  *row,
                                               GError             **error);
/* every column but created_at */
gboolean      baton_store_flows_update        (BatonStore          *store,
                                               const BatonFlowRow  *row,
                                               GError             **error);
gboolean      baton_store_flows_delete        (BatonStore          *store,
                                               const char          *id,
                                               GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonFlowRow, baton_flow_row_free)

G_END_DECLS
