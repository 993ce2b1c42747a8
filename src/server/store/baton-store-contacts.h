/* baton-store-contacts.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-contact.h"
#include "baton-store.h"

G_BEGIN_DECLS

/* Contacts, their tags, owners and former WhatsApp numbers (aliases). */

typedef struct {
  const char *id;
  const char *name;
  const char *phone;
  const char *wa_id;
  /* the WhatsApp BSUID, or NULL */
  const char *user_id;
  gint64 created_at;
  /* 0: none yet */
  gint64 last_inbound_at;
} BatonContactRow;

/* NULL without error: no such contact */
BatonContact *baton_store_contacts_get             (BatonStore          *store,
                                                    const char          *id,
                                                    GError             **error);
char         *baton_store_contacts_get_name        (BatonStore          *store,
                                                    const char          *id,
                                                    GError             **error);
/* the WhatsApp ids a reply goes to; FALSE with no error: no such contact */
gboolean      baton_store_contacts_get_whatsapp_ids (BatonStore         *store,
                                                    const char          *id,
                                                    char               **wa_id,
                                                    char               **user_id,
                                                    GError             **error);
/* contacts whose name or phone contains text, by name; limit + 1 are read so that the
 * caller knows whether there are more */
GPtrArray    *baton_store_contacts_search          (BatonStore          *store,
                                                    const char          *text,
                                                    guint                limit,
                                                    guint64              offset,
                                                    GError             **error);
/* The contact id (and its name when name is not NULL) or NULL without error: a WhatsApp
 * sender by wa_id, then a former wa_id of a contact, or else by BSUID (user_id); failing
 * those, by phone (NULL: not by phone). */
char         *baton_store_contacts_find_whatsapp   (BatonStore          *store,
                                                    const char          *wa_id,
                                                    const char          *user_id,
                                                    const char          *phone,
                                                    char               **name,
                                                    GError             **error);
char         *baton_store_contacts_find_by_phone   (BatonStore          *store,
                                                    const char          *phone,
                                                    char               **name,
                                                    GError             **error);
gboolean      baton_store_contacts_phone_taken     (BatonStore          *store,
                                                    const char          *phone,
                                                    const char          *except_id,
                                                    gboolean            *taken,
                                                    GError             **error);
GStrv         baton_store_contacts_owned_by        (BatonStore          *store,
                                                    const char          *agent_id,
                                                    GError             **error);
gboolean      baton_store_contacts_has_owners      (BatonStore          *store,
                                                    const char          *id,
                                                    gboolean            *has_owners,
                                                    GError             **error);

gboolean      baton_store_contacts_insert          (BatonStore          *store,
                                                    const BatonContactRow *row,
                                                    GError             **error);
/* name and fields (a JSON object's text): NULL keeps what is stored */
gboolean      baton_store_contacts_update          (BatonStore          *store,
                                                    const char          *id,
                                                    const char          *name,
                                                    const char          *fields,
                                                    GError             **error);
/* sets wa_id and user_id where the contact has none yet (either may be NULL), and with
 * seen_at > 0 notes a customer message sent then: the latest one counts, whatever the order
 * of arrival */
gboolean      baton_store_contacts_learn_whatsapp  (BatonStore          *store,
                                                    const char          *id,
                                                    const char          *wa_id,
                                                    const char          *user_id,
                                                    gint64               seen_at,
                                                    GError             **error);
/* a customer message sent at row's last_inbound_at (the latest counts), noted on the contact
 * of row's phone, which is created as row when there is none, in one statement: its id
 * (row's when it was created) and name */
char         *baton_store_contacts_saw_inbound_by_phone (BatonStore      *store,
                                                    const BatonContactRow *row,
                                                    char               **name,
                                                    GError             **error);
/* A WhatsApp number change: old_wa_id becomes an alias of the contact, which takes
 * new_wa_id, and phone unless phone is NULL. */
gboolean      baton_store_contacts_change_number   (BatonStore          *store,
                                                    const char          *id,
                                                    const char          *old_wa_id,
                                                    const char          *new_wa_id,
                                                    const char          *phone,
                                                    GError             **error);
/* replace the whole list, in order */
gboolean      baton_store_contacts_set_tags        (BatonStore          *store,
                                                    const char          *id,
                                                    const char * const  *tags,
                                                    GError             **error);
gboolean      baton_store_contacts_set_owners      (BatonStore          *store,
                                                    const char          *id,
                                                    const char * const  *agent_ids,
                                                    GError             **error);
/* a contact without conversations */
gboolean      baton_store_contacts_delete          (BatonStore          *store,
                                                    const char          *id,
                                                    GError             **error);

G_END_DECLS
