/* baton-workspace-receive.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-workspace"

#include "config.h"

#include "baton-error.h"
#include "baton-id.h"
#include "baton-store-contacts.h"
#include "baton-operation.h"

/* A customer's message received: its contact found or created, the thread it continues,
 * starts or reopens, and for a start the routing pipeline (ASSIGNMENT.md §2). */

/* A WhatsApp sender is known by wa_id, a former wa_id (a number change), or its BSUID;
 * anyone by phone. Any other channel's sender is found or created as row in one statement,
 * which notes the message as the contact's latest (at). */
static char *
find_contact (BatonStore             *store,
              const BatonInbound     *inbound,
              const BatonContactRow  *row,
              char                  **name,
              GError                **error)
{
  GError *local_error = NULL;
  char *id = NULL;

  if (inbound->wa_id || inbound->user_id)
    return baton_store_contacts_find_whatsapp (store, inbound->wa_id, inbound->user_id,
                                               inbound->from, name, error);
  id = baton_store_contacts_saw_inbound_by_phone (store, row, name, &local_error);
  if (id == NULL && local_error == NULL)
    g_set_error (&local_error, BATON_ERROR, BATON_ERROR_INTERNAL,
                 "The contact of %s was neither found nor created", inbound->from);
  if (local_error)
    g_propagate_error (error, local_error);
  return id;
}

/* A contact just written has no tags, owners or fields yet. */
static BatonContact *
contact_from_row (const BatonContactRow *row)
{
  BatonContact *contact = baton_contact_new ();

  contact->id = g_strdup (row->id);
  contact->name = g_strdup (row->name);
  contact->phone = g_strdup (row->phone);
  contact->wa_id = g_strdup (row->wa_id);
  contact->tags = g_new0 (char *, 1);
  contact->owner_ids = g_new0 (char *, 1);
  contact->created_at = row->created_at;
  contact->last_inbound_at = row->last_inbound_at;
  return contact;
}

char *
baton_workspace_find_or_create_contact (BatonWorkspace      *self,
                                        const BatonInbound  *inbound,
                                        char               **contact_name,
                                        gboolean            *changed,
                                        BatonContact       **created,
                                        GError             **error)
{
  BatonStore *store = baton_workspace_get_store (self);
  GError *local_error = NULL;
  gint64 now = baton_workspace_now (self);
  gboolean whatsapp = inbound->wa_id != NULL || inbound->user_id != NULL;
  gint64 inbound_at = whatsapp && inbound->sent_at > 0 ? inbound->sent_at : now;
  g_autofree char *new_id = baton_id_new ("ctc", now);
  BatonContactRow row = {
    .id = new_id,
    .name = inbound->name ? inbound->name : inbound->from,
    .phone = inbound->from,
    .wa_id = inbound->wa_id,
    .user_id = inbound->user_id,
    .created_at = now,
    .last_inbound_at = inbound->opens_window || !whatsapp ? inbound_at : 0,
  };
  g_autofree char *name = NULL;
  g_autofree char *id = find_contact (store, inbound, &row, &name, &local_error);

  if (local_error)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (id == NULL && !baton_store_contacts_insert (store, &row, error))
    return NULL;
  if (id == NULL || g_str_equal (id, new_id))
    {
      baton_workspace_search_backlog_add (self);
      *changed = TRUE;
      if (created)
        *created = contact_from_row (&row);
      if (contact_name)
        *contact_name = g_strdup (row.name);
      return g_steal_pointer (&new_id);
    }
  /* A contact first known by number alone takes the name the channel gives later. */
  if (inbound->name && g_strcmp0 (name, inbound->from) == 0)
    {
      if (!baton_store_contacts_update (store, id, inbound->name, NULL, error))
        return NULL;
      g_free (name);
      name = g_strdup (inbound->name);
    }
  /* Messages can arrive out of order: the latest customer message counts. */
  if (whatsapp
      && !baton_store_contacts_learn_whatsapp (store, id, inbound->wa_id, inbound->user_id,
                                               inbound->opens_window ? inbound_at : 0, error))
    return NULL;
  *changed = TRUE;
  if (contact_name)
    *contact_name = g_steal_pointer (&name);
  return g_steal_pointer (&id);
}

/* The 24-h window (REFERENCE.md §4) runs from the customer's latest message, by its own
 * timestamp; the referral of the ad or post that started the thread is kept once. */
static gboolean
update_whatsapp_thread (BatonOperation      *op,
                        const BatonInbound  *inbound,
                        GError             **error)
{
  return (!inbound->opens_window || inbound->sent_at <= 0
          || baton_operation_extend_window (op, inbound->sent_at + BATON_WHATSAPP_WINDOW_MS,
                                            error))
         && (inbound->referral == NULL
             || baton_operation_set_referral (op, inbound->referral, error));
}

/* The message the channel knows as external_id (if any): its id and conversation, or NULL
 * when there is none. FALSE when it cannot be read. */
static gboolean
find_by_external (BatonStore   *store,
                  const char   *channel_id,
                  const char   *external_id,
                  char        **id,
                  char        **conversation_id,
                  GError      **error)
{
  g_autoptr(BatonChannelMessage) known = NULL;
  GError *local_error = NULL;

  if (external_id)
    known = baton_store_messages_find_external (store, channel_id, external_id, &local_error);
  if (local_error)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  *id = known ? g_steal_pointer (&known->id) : NULL;
  if (conversation_id)
    *conversation_id = known ? g_steal_pointer (&known->conversation_id) : NULL;
  return TRUE;
}

/* The thread an inbound message goes to: the contact's active one on the channel continues
 * (no pipeline, only message.received flows; the assignees hear of it), the last one, if
 * resolved, reopens (assignees kept through the resolve hear of the message too), or a new
 * one starts; with the routing event and how the change finishes. */
static gboolean
open_thread (BatonOperation     *op,
             const char         *channel_id,
             const char         *contact_id,
             const char         *contact_name,
             const char         *contact_phone,
             BatonConversation  *latest,
             const char        **event,
             BatonFinishFlags   *flags,
             GError            **error)
{
  BatonStore *store = baton_workspace_get_store (op->self);

  if (latest == NULL)
    {
      baton_operation_start_thread (op, channel_id, contact_id, contact_name, contact_phone);
      *event = "conversation.created";
      *flags = BATON_FINISH_CREATED;
      return TRUE;
    }
  op->conversation_id = g_strdup (latest->id);
  op->before = baton_conversation_ref (latest);
  if (latest->status != BATON_STATUS_RESOLVED)
    {
      /* as just read */
      op->current = baton_conversation_copy (latest);
      *event = "message.received";
      *flags = BATON_FINISH_NEW_MESSAGE;
      return TRUE;
    }
  *event = "conversation.reopened";
  *flags = BATON_FINISH_REOPENED | BATON_FINISH_NEW_MESSAGE;
  return baton_store_conversations_reopen (store, op->conversation_id, "new", error);
}

static gboolean
receive_in_transaction (BatonWorkspace      *self,
                        const char          *channel_id,
                        const BatonInbound  *inbound,
                        char               **message_id,
                        char               **conversation_id,
                        gboolean            *duplicate,
                        GError             **error)
{
  BatonStore *store = baton_workspace_get_store (self);
  g_auto(BatonOperation) op = { 0 };
  g_autofree char *contact_id = NULL;
  g_autofree char *contact_name = NULL;
  g_autoptr(BatonConversation) latest = NULL;
  g_autofree char *quoted_id = NULL;
  g_autoptr(BatonConversation) conversation = NULL;
  BatonContact *created = NULL;
  GError *local_error = NULL;
  gboolean contact_changed = FALSE;
  gint64 now = baton_workspace_now (self);
  BatonFinishFlags flags = BATON_FINISH_DEFAULT;
  const char *event = NULL;
  BatonMessageRow message = { 0 };

  /* a message the channel delivered before: where it went */
  if (!find_by_external (store, channel_id, inbound->external_id, message_id, conversation_id,
                         error))
    return FALSE;
  *duplicate = *message_id != NULL;
  if (*duplicate)
    return TRUE;
  contact_id = baton_workspace_find_or_create_contact (self, inbound, &contact_name,
                                                       &contact_changed, &created, error);
  if (contact_id == NULL)
    return FALSE;

  baton_operation_init (&op, self, "contact", contact_id, contact_name);
  op.contact = created;
  /* a contact created now has no thread yet */
  if (op.contact == NULL)
    latest = baton_store_conversations_get_latest (store, contact_id, channel_id, &local_error);
  if (local_error)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  /* the message the customer quoted, when Baton has it */
  if (!find_by_external (store, channel_id, inbound->quoted_external_id, &quoted_id, NULL,
                         error))
    return FALSE;

  message.kind = BATON_MESSAGE_INBOUND;
  message.author_type = "contact";
  message.author_id = contact_id;
  message.author_name = contact_name;
  message.body = inbound->body;
  message.external_id = inbound->external_id;
  message.attachments = inbound->attachments;
  message.in_reply_to = quoted_id;
  message.created_at = inbound->sent_at > 0 && inbound->sent_at <= now ? inbound->sent_at : 0;

  /* a contact found by phone, or created now, has the phone the message came from */
  if (!open_thread (&op, channel_id, contact_id, contact_name,
                    created || !(inbound->wa_id || inbound->user_id) ? inbound->from : NULL,
                    latest, &event, &flags, error)
      || !update_whatsapp_thread (&op, inbound, error))
    return FALSE;
  *message_id = baton_operation_insert_message (&op, channel_id, &message, error);
  if (*message_id == NULL
      || !baton_operation_route (&op, event, NULL, inbound->body, &contact_changed, error))
    return FALSE;

  if (inbound->media && !baton_workspace_store_media (self, channel_id, inbound->media, error))
    return FALSE;
  g_clear_pointer (&conversation, baton_conversation_unref);
  conversation = baton_operation_finish (&op, flags, error);
  if (conversation == NULL)
    return FALSE;
  if (contact_changed
      && !(op.contact ? baton_workspace_emit_contact_of (self, op.contact, NULL, error)
                      : baton_workspace_emit_contact (self, contact_id, NULL, error)))
    return FALSE;
  *conversation_id = g_strdup (conversation->id);
  return TRUE;
}

typedef struct {
  const char *channel_id;
  const BatonInbound *inbound;
  char *message_id;
  char *conversation_id;
  gboolean duplicate;
} Reception;

/* leaves the reception empty: a commit that failed may have cleared it already */
static void
reception_clear (Reception *reception)
{
  g_clear_pointer (&reception->message_id, g_free);
  g_clear_pointer (&reception->conversation_id, g_free);
}

/* the reception, filled; a duplicate changes nothing */
static gpointer
receive_change (BatonWorkspace  *self,
                gpointer         data,
                GError         **error)
{
  Reception *reception = data;

  if (!receive_in_transaction (self, reception->channel_id, reception->inbound,
                               &reception->message_id, &reception->conversation_id,
                               &reception->duplicate, error))
    return NULL;
  return reception;
}

gboolean
baton_workspace_receive (BatonWorkspace      *self,
                         const char          *channel_id,
                         const BatonInbound  *inbound,
                         char               **message_id,
                         char               **conversation_id,
                         gboolean            *duplicate,
                         GError             **error)
{
  Reception reception = { channel_id, inbound };
  guint64 statements = baton_store_get_statement_count ();

  *message_id = NULL;
  *conversation_id = NULL;
  *duplicate = FALSE;
  if (baton_workspace_run (self, receive_change, &reception, (GDestroyNotify) reception_clear,
                           error) == NULL)
    {
      reception_clear (&reception);
      return FALSE;
    }
  if (!reception.duplicate)
    {
      self->inbound_messages++;
      self->inbound_statements += baton_store_get_statement_count () - statements;
    }
  *message_id = g_steal_pointer (&reception.message_id);
  *conversation_id = g_steal_pointer (&reception.conversation_id);
  *duplicate = reception.duplicate;
  return TRUE;
}
