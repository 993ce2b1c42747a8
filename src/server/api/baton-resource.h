/* baton-resource.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-request.h"

G_BEGIN_DECLS

/* What the workspace objects a manager edits (teams, flows, schedules) have in common: one
 * table, one loader, one JSON form, and <name>.created|updated|deleted events. */
typedef struct {
  const char *name;
  const char *table;
  gpointer  (*load)    (BatonWorkspace  *workspace,
                        const char      *id,
                        GError         **error);
  GPtrArray *(*list)   (BatonWorkspace  *workspace,
                        GError         **error);
  JsonNode *(*to_json) (gpointer         object);
  GDestroyNotify unref;
} BatonResource;

/* Writes an object inside the caller's transaction. */
typedef gboolean (*BatonResourceSave) (BatonWorkspace  *workspace,
                                       gpointer         object,
                                       gboolean         creating,
                                       GError         **error);
/* Extra work of a deletion, inside its transaction (a check, or dependants to update). */
typedef gboolean (*BatonResourceHook) (BatonWorkspace  *workspace,
                                       const char      *id,
                                       GError         **error);

void     baton_resource_reply            (const BatonResource *resource,
                                          BatonRequest        *request,
                                          guint                status,
                                          const char          *id);
void     baton_resource_reply_list       (const BatonResource *resource,
                                          BatonRequest        *request);
gboolean baton_resource_emit             (const BatonResource *resource,
                                          BatonWorkspace      *workspace,
                                          const char          *change,
                                          const char          *id,
                                          GError             **error);
void     baton_resource_save_and_reply   (const BatonResource *resource,
                                          BatonRequest        *request,
                                          BatonResourceSave    save,
                                          gpointer             object,
                                          const char          *id,
                                          gboolean             creating);
void     baton_resource_delete_and_reply (const BatonResource *resource,
                                          BatonRequest        *request,
                                          BatonResourceHook    before,
                                          BatonResourceHook    after);

G_END_DECLS
