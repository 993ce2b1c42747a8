/* baton-resource.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-request.h"

G_BEGIN_DECLS

/* What the workspace objects a manager edits (teams, flows, schedules) have in common for
 * the API: a loader, a list, one JSON form, and the domain's save and delete. */
typedef struct {
  gpointer  (*load)    (BatonWorkspace  *workspace,
                        const char      *id,
                        GError         **error);
  GPtrArray *(*list)   (BatonWorkspace  *workspace,
                        GError         **error);
  JsonNode *(*to_json) (gpointer         object);
  GDestroyNotify unref;
  /* the object as saved */
  gpointer  (*save)    (BatonWorkspace  *workspace,
                        gpointer         object,
                        gboolean         creating,
                        GError         **error);
  gboolean  (*remove)  (BatonWorkspace  *workspace,
                        const char      *id,
                        GError         **error);
} BatonResource;

void     baton_resource_reply            (const BatonResource *resource,
                                          BatonRequest        *request,
                                          guint                status,
                                          const char          *id);
void     baton_resource_reply_list       (const BatonResource *resource,
                                          BatonRequest        *request);
void     baton_resource_save_and_reply   (const BatonResource *resource,
                                          BatonRequest        *request,
                                          gpointer             object,
                                          gboolean             creating);
void     baton_resource_delete_and_reply (const BatonResource *resource,
                                          BatonRequest        *request);

G_END_DECLS
