/* baton-contact.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-contact"

#include "config.h"

#include "baton-contact.h"
#include "baton-json.h"

G_DEFINE_BOXED_TYPE (BatonContact, baton_contact, baton_contact_ref, baton_contact_unref)

BatonContact *
baton_contact_new (void)
{
  BatonContact *contact = g_rc_box_new0 (BatonContact);

  contact->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return contact;
}

BatonContact *
baton_contact_ref (BatonContact *contact)
{
  return g_rc_box_acquire (contact);
}

static void
contact_clear (BatonContact *contact)
{
  g_free (contact->id);
  g_free (contact->name);
  g_free (contact->phone);
  g_free (contact->wa_id);
  g_strfreev (contact->tags);
  g_hash_table_unref (contact->fields);
  g_strfreev (contact->owner_ids);
}

void
baton_contact_unref (BatonContact *contact)
{
  g_rc_box_release_full (contact, (GDestroyNotify) contact_clear);
}

JsonNode *
baton_contact_to_json (BatonContact *contact)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(GList) keys = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, contact->id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, contact->name);
  json_builder_set_member_name (builder, "phone");
  json_builder_add_string_value (builder, contact->phone ? contact->phone : "");
  baton_json_add_nullable_string (builder, "wa_id", contact->wa_id);
  baton_json_add_strv (builder, "tags", (const char * const *) contact->tags);
  json_builder_set_member_name (builder, "fields");
  json_builder_begin_object (builder);
  keys = g_list_sort (g_hash_table_get_keys (contact->fields), (GCompareFunc) g_strcmp0);
  for (GList *l = keys; l; l = l->next)
    {
      json_builder_set_member_name (builder, l->data);
      json_builder_add_string_value (builder, g_hash_table_lookup (contact->fields, l->data));
    }
  json_builder_end_object (builder);
  baton_json_add_strv (builder, "owner_ids", (const char * const *) contact->owner_ids);
  baton_json_add_time (builder, "created_at", contact->created_at);
  baton_json_add_time (builder, "last_inbound_at", contact->last_inbound_at);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Reads an object the server sent; NULL when node is not an object with an id. */
BatonContact *
baton_contact_from_json (JsonNode *node)
{
  JsonObject *object = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonNode *fields = NULL;
  BatonContact *contact = NULL;

  if (object == NULL || !json_object_has_member (object, "id"))
    return NULL;
  contact = baton_contact_new ();
  contact->id = baton_json_dup_string (object, "id");
  contact->name = baton_json_dup_string (object, "name");
  contact->phone = baton_json_dup_string (object, "phone");
  contact->wa_id = baton_json_dup_string (object, "wa_id");
  contact->tags = baton_json_dup_strv (object, "tags");
  contact->owner_ids = baton_json_dup_strv (object, "owner_ids");
  contact->created_at = baton_json_get_time (object, "created_at");
  contact->last_inbound_at = baton_json_get_time (object, "last_inbound_at");
  fields = json_object_get_member (object, "fields");
  if (fields && JSON_NODE_HOLDS_OBJECT (fields))
    {
      JsonObjectIter iter;
      const char *key;
      JsonNode *value;

      json_object_iter_init (&iter, json_node_get_object (fields));
      while (json_object_iter_next (&iter, &key, &value))
        if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
          g_hash_table_insert (contact->fields, g_strdup (key),
                               g_strdup (json_node_get_string (value)));
    }
  return contact;
}
