/* baton-contact.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "baton-json-writer.h"

G_BEGIN_DECLS

#define BATON_TYPE_CONTACT (baton_contact_get_type ())

typedef struct {
  char *id;
  char *name;
  char *phone;
  char *wa_id;
  GStrv tags;
  /* string → string */
  GHashTable *fields;
  GStrv owner_ids;
  gint64 created_at;
  gint64 last_inbound_at;
} BatonContact;

GType         baton_contact_get_type (void) G_GNUC_CONST;
BatonContact *baton_contact_new      (void);
BatonContact *baton_contact_ref      (BatonContact *contact);
void          baton_contact_unref    (BatonContact *contact);
void          baton_contact_write_members (BatonContact    *contact,
                                           BatonJsonWriter *writer);
void          baton_contact_write    (BatonContact    *contact,
                                      BatonJsonWriter *writer);
JsonNode     *baton_contact_to_json  (BatonContact *contact);

BatonContact *baton_contact_from_json (JsonNode *node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonContact, baton_contact_unref)

G_END_DECLS
