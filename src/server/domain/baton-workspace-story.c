/* baton-workspace-story.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-workspace"

#include "config.h"

#include "baton-id.h"
#include "baton-store-contacts.h"
#include "baton-workspace-private.h"

/* What the demo's story and simulated customers ask of the workspace besides the operations
 * every client uses: where a customer's thread is, who writes next, and a way to start a
 * new thread for a customer whose earlier ones would otherwise reopen. */

typedef struct {
  const char *contact_id;
  const char *parking_id;
} Parking;

static gpointer
set_aside (BatonWorkspace  *self,
           gpointer         data,
           GError         **error)
{
  Parking *parking = data;
  BatonContactRow row = {
    .id = parking->parking_id, .name = "Earlier threads", .phone = parking->parking_id,
    .created_at = baton_workspace_now (self),
  };

  if (!baton_store_contacts_insert (self->store, &row, error)
      || !baton_store_conversations_move_contact (self->store, parking->contact_id,
                                                  parking->parking_id, error))
    return NULL;
  return self;
}

/* One thread per contact and channel: a message on the contact's last, resolved, thread
 * would reopen it. So while the customer starts a new thread, the earlier ones wait on a
 * parking contact, in a change that publishes nothing; its id. */
char *
baton_workspace_set_threads_aside (BatonWorkspace  *self,
                                   const char      *contact_id,
                                   GError         **error)
{
  g_autofree char *parking_id = baton_id_new ("ctc", baton_workspace_now (self));
  Parking parking = { contact_id, parking_id };

  if (!baton_workspace_apply (self, set_aside, &parking, NULL, error))
    return NULL;
  return g_steal_pointer (&parking_id);
}

static gpointer
bring_back (BatonWorkspace  *self,
            gpointer         data,
            GError         **error)
{
  Parking *parking = data;

  if (!baton_store_conversations_move_contact (self->store, parking->parking_id,
                                               parking->contact_id, error)
      || !baton_store_contacts_delete (self->store, parking->parking_id, error))
    return NULL;
  return self;
}

/* The threads baton_workspace_set_threads_aside () parked are the contact's again. */
gboolean
baton_workspace_bring_threads_back (BatonWorkspace  *self,
                                    const char      *parking_id,
                                    const char      *contact_id,
                                    GError         **error)
{
  Parking parking = { contact_id, parking_id };

  return baton_workspace_apply (self, bring_back, &parking, NULL, error);
}

/* The contact's thread on the channel that is not resolved, or NULL (without an error when
 * there is none). */
char *
baton_workspace_find_open_conversation (BatonWorkspace  *self,
                                        const char      *contact_id,
                                        const char      *channel_id,
                                        GError         **error)
{
  return baton_store_conversations_find_open (self->store, contact_id, channel_id, error);
}

/* The latest thread of a WhatsApp sender on the channel, or NULL (without an error when
 * there is none). */
char *
baton_workspace_latest_whatsapp_conversation (BatonWorkspace  *self,
                                              const char      *channel_id,
                                              const char      *wa_id,
                                              GError         **error)
{
  GError *local_error = NULL;
  g_autofree char *contact_id = baton_store_contacts_find_whatsapp (self->store, wa_id, NULL,
                                                                    NULL, NULL, &local_error);

  if (contact_id == NULL)
    {
      if (local_error)
        g_propagate_error (error, local_error);
      return NULL;
    }
  return baton_store_conversations_latest (self->store, contact_id, channel_id, NULL, error);
}

/* A customer who writes again, at random: in an active conversation on a channel of that
 * kind (of that WhatsApp number when phone_number_id is set), those waiting for the
 * customer first; or, resolved, a customer whose last thread there was resolved. NULL
 * (without an error) when there is none. */
BatonCustomerPick *
baton_workspace_pick_customer (BatonWorkspace  *self,
                               gboolean         resolved,
                               const char      *kind,
                               const char      *phone_number_id,
                               GError         **error)
{
  if (resolved)
    return baton_store_conversations_pick_resolved (self->store, kind, error);
  return baton_store_conversations_pick_open (self->store, kind, phone_number_id, error);
}
