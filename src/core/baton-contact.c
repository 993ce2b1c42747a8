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

/* The members of PROTOCOL.md's contact object, without its braces: a caller may add its
 * own (an event's "via"). */
void
baton_contact_write_members (BatonContact    *contact,
                             BatonJsonWriter *writer)
{
  g_autoptr(GList) keys = NULL;

  baton_json_writer_member (writer, "id");
  baton_json_writer_string (writer, contact->id);
  baton_json_writer_member (writer, "name");
  baton_json_writer_string (writer, contact->name);
  baton_json_writer_member (writer, "phone");
  baton_json_writer_string (writer, contact->phone ? contact->phone : "");
  baton_json_writer_member (writer, "wa_id");
  baton_json_writer_string (writer, contact->wa_id);
  baton_json_writer_member (writer, "tags");
  baton_json_writer_strv (writer, (const char * const *) contact->tags);
  baton_json_writer_member (writer, "fields");
  baton_json_writer_begin_object (writer);
  keys = g_list_sort (g_hash_table_get_keys (contact->fields), (GCompareFunc) g_strcmp0);
  for (GList *l = keys; l; l = l->next)
    {
      baton_json_writer_member (writer, l->data);
      baton_json_writer_string (writer, g_hash_table_lookup (contact->fields, l->data));
    }
  baton_json_writer_end_object (writer);
  baton_json_writer_member (writer, "owner_ids");
  baton_json_writer_strv (writer, (const char * const *) contact->owner_ids);
  baton_json_writer_member (writer, "created_at");
  baton_json_writer_time (writer, contact->created_at);
  baton_json_writer_member (writer, "last_inbound_at");
  baton_json_writer_time (writer, contact->last_inbound_at);
}

void
baton_contact_write (BatonContact    *contact,
                     BatonJsonWriter *writer)
{
  baton_json_writer_begin_object (writer);
  baton_contact_write_members (contact, writer);
  baton_json_writer_end_object (writer);
}

JsonNode *
baton_contact_to_json (BatonContact *contact)
{
  return baton_json_describe_tree ((BatonJsonDescribe) baton_contact_write, contact);
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
