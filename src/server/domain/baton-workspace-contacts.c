/* baton-workspace-contacts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-workspace-contacts"

#include "config.h"

#include "baton-error.h"
#include "baton-id.h"
#include "baton-json.h"
#include "baton-store-contacts.h"
#include "baton-store-conversations.h"
#include "baton-workspace-private.h"

GPtrArray *
baton_workspace_list_contacts (BatonWorkspace  *self,
                               const char      *text,
                               guint            limit,
                               guint64          offset,
                               GError         **error)
{
  return baton_store_contacts_search (baton_workspace_get_store (self), text, limit, offset,
                                      error);
}

/* Applies a patch of fields (a value, or null to remove one) to the contact's. */
static gboolean
merge_fields (BatonContact  *contact,
              JsonObject    *patch,
              GError       **error)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  json_object_iter_init (&iter, patch);
  while (json_object_iter_next (&iter, &key, &value))
    if (JSON_NODE_HOLDS_NULL (value))
      g_hash_table_remove (contact->fields, key);
    else
      g_hash_table_insert (contact->fields, g_strdup (key),
                           g_strdup (json_node_get_string (value)));
  if (g_hash_table_size (contact->fields) > BATON_CONTACT_MAX_FIELDS)
    {
      baton_set_field_error (error, "fields", "A contact has at most %d fields",
                             BATON_CONTACT_MAX_FIELDS);
      return FALSE;
    }
  return TRUE;
}

static char *
fields_to_text (BatonContact *contact)
{
  g_autoptr(JsonNode) node = baton_contact_to_json (contact);
  JsonNode *fields = json_object_get_member (json_node_get_object (node), "fields");

  return baton_json_to_string (fields);
}

/* Conversations show the contact's name: they are published again. */
static gboolean
touch_conversations (BatonWorkspace  *self,
                     const char      *contact_id,
                     GError         **error)
{
  g_auto(GStrv) ids = baton_store_conversations_of_contact (baton_workspace_get_store (self),
                                                           contact_id, error);

  if (ids == NULL)
    return FALSE;
  for (guint i = 0; ids[i]; i++)
    if (!baton_workspace_touch_conversation (self, ids[i], error))
      return FALSE;
  return TRUE;
}

typedef struct {
  const char *id;
  const BatonContactPatch *patch;
} ContactUpdate;

static gpointer
update_contact (BatonWorkspace  *self,
                gpointer         data,
                GError         **error)
{
  ContactUpdate *update = data;
  const BatonContactPatch *patch = update->patch;
  BatonStore *store = baton_workspace_get_store (self);
  g_autoptr(BatonContact) contact = baton_workspace_load_contact (self, update->id, error);
  g_autofree char *fields = NULL;

  if (contact == NULL || (patch->fields && !merge_fields (contact, patch->fields, error)))
    return NULL;
  fields = fields_to_text (contact);
  if (!baton_store_contacts_update (store, update->id, patch->name, fields, error)
      || (patch->tags && !baton_store_contacts_set_tags (store, update->id, patch->tags, error))
      || !baton_workspace_emit_contact (self, update->id, NULL, error))
    return NULL;
  /* Tag-based routing: contact.tag_added flows run for each tag the contact did not have. */
  for (guint i = 0; patch->tags && patch->tags[i]; i++)
    if (!g_strv_contains ((const char * const *) contact->tags, patch->tags[i])
        && !baton_workspace_contact_tag_added (self, update->id, patch->tags[i], error))
      return NULL;
  if (patch->name && !touch_conversations (self, update->id, error))
    return NULL;
  return baton_workspace_load_contact (self, update->id, error);
}

BatonContact *
baton_workspace_update_contact (BatonWorkspace           *self,
                                const char               *id,
                                const BatonContactPatch  *patch,
                                GError                  **error)
{
  ContactUpdate update = { id, patch };

  return baton_workspace_run (self, update_contact, &update,
                              (GDestroyNotify) baton_contact_unref, error);
}

typedef struct {
  const char *id;
  const char * const *owner_ids;
} OwnersUpdate;

static gpointer
set_contact_owners (BatonWorkspace  *self,
                    gpointer         data,
                    GError         **error)
{
  OwnersUpdate *update = data;
  g_autoptr(BatonContact) contact = baton_workspace_load_contact (self, update->id, error);

  if (contact == NULL
      || !baton_workspace_check_agent_ids (self, "owner_ids", update->owner_ids, error)
      || !baton_store_contacts_set_owners (baton_workspace_get_store (self), update->id,
                                           update->owner_ids, error)
      || !baton_workspace_emit_contact (self, update->id, "manual", error))
    return NULL;
  return baton_workspace_load_contact (self, update->id, error);
}

BatonContact *
baton_workspace_set_contact_owners (BatonWorkspace      *self,
                                    const char          *id,
                                    const char * const  *owner_ids,
                                    GError             **error)
{
  OwnersUpdate update = { id, owner_ids };

  return baton_workspace_run (self, set_contact_owners, &update,
                              (GDestroyNotify) baton_contact_unref, error);
}

/* The contact with this phone number (E.164), or NULL (without an error when there is
 * none). */
char *
baton_workspace_find_contact (BatonWorkspace  *self,
                              const char      *phone,
                              GError         **error)
{
  return baton_store_contacts_find_by_phone (baton_workspace_get_store (self), phone, NULL,
                                             error);
}

typedef struct {
  const char *phone;
  const BatonContactPatch *patch;
} ContactAddition;

static gpointer
add_contact (BatonWorkspace  *self,
             gpointer         data,
             GError         **error)
{
  ContactAddition *addition = data;
  gint64 now = baton_workspace_now (self);
  g_autofree char *id = baton_id_new ("ctc", now);
  BatonContactRow row = {
    .id = id, .name = addition->patch->name, .phone = addition->phone, .created_at = now,
  };
  ContactUpdate update = { id, addition->patch };

  if (!baton_store_contacts_insert (baton_workspace_get_store (self), &row, error))
    return NULL;
  return update_contact (self, &update, error);
}

/* A contact known before writing (someone who signed up in a shop): patch's name is
 * required. As saved, published. */
BatonContact *
baton_workspace_add_contact (BatonWorkspace           *self,
                             const char               *phone,
                             const BatonContactPatch  *patch,
                             GError                  **error)
{
  ContactAddition addition = { phone, patch };

  g_return_val_if_fail (patch->name != NULL, NULL);

  return baton_workspace_run (self, add_contact, &addition,
                              (GDestroyNotify) baton_contact_unref, error);
}
