/* baton-contact-card.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "baton-client.h"

G_BEGIN_DECLS

/* A conversation's contact, as the sidebar's "Contact" page shows it: avatar, name, phone,
 * WhatsApp id, tags (added from an entry, removed by their chip; a refused tag is explained
 * under the entry), fields, and the contact owners (new conversations of the contact go to
 * them) with a picker to add one. Reads the contact, follows its events and rereads it after
 * a resync; every change goes to the server and shows once the server answered.
 *
 * Properties: "client" (BatonClient), "contact-id" (string, NULL = nothing shown),
 * "contact" (BatonContact, read-only: as last read, or NULL).
 * Widget actions: contact.add-owner, contact.remove-owner, contact.add-tag, contact.remove-tag
 * (each with the agent id or tag as a string). */

#define BATON_TYPE_CONTACT_CARD (baton_contact_card_get_type ())

G_DECLARE_FINAL_TYPE (BatonContactCard, baton_contact_card, BATON, CONTACT_CARD, AdwBin)

GtkWidget    *baton_contact_card_new            (void);
BatonClient  *baton_contact_card_get_client     (BatonContactCard *self);
void          baton_contact_card_set_client     (BatonContactCard *self,
                                                 BatonClient      *client);
const char   *baton_contact_card_get_contact_id (BatonContactCard *self);
void          baton_contact_card_set_contact_id (BatonContactCard *self,
                                                 const char       *contact_id);
BatonContact *baton_contact_card_get_contact    (BatonContactCard *self);
/* the conversation the card is shown beside (NULL: none), left out of its history */
void          baton_contact_card_set_conversation_id (BatonContactCard *self,
                                                      const char       *conversation_id);

G_END_DECLS
