/* baton-store-contacts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-store-contacts"

#include "config.h"

#include "baton-json.h"
#include "baton-store-contacts.h"
#include "baton-store-private.h"

static void
read_fields (BatonContact *contact,
             const char   *text)
{
  g_autoptr(JsonNode) node = baton_json_parse_text (text);
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;
  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &key, &value))
    if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
      g_hash_table_insert (contact->fields, g_strdup (key),
                           g_strdup (json_node_get_string (value)));
}

BatonContact *
baton_store_contacts_get (BatonStore  *store,
                          const char  *id,
                          GError     **error)
{
  g_autoptr(BatonRows) rows = NULL;
  g_autoptr(BatonContact) contact = NULL;

  /* one statement: a message's handling reads its contact more than once */
  rows = baton_store_query (store, error,
                            "SELECT id, name, phone, wa_id, fields, created_at, last_inbound_at,"
                            " (SELECT json_group_array (tag) FROM"
                            "   (SELECT tag FROM contact_tags WHERE contact_id = k.id"
                            "    ORDER BY position) AS list),"
                            " (SELECT json_group_array (agent_id) FROM"
                            "   (SELECT agent_id FROM contact_owners WHERE contact_id = k.id"
                            "    ORDER BY position) AS list)"
                            " FROM contacts k WHERE id = ?", "s", id);
  if (rows == NULL || baton_rows_count (rows) == 0)
    return NULL;
  contact = baton_contact_new ();
  contact->id = baton_rows_dup_text (rows, 0, 0);
  contact->name = baton_rows_dup_text (rows, 0, 1);
  contact->phone = baton_rows_dup_text (rows, 0, 2);
  contact->wa_id = baton_rows_dup_text (rows, 0, 3);
  read_fields (contact, baton_rows_text (rows, 0, 4));
  contact->created_at = baton_rows_int (rows, 0, 5);
  contact->last_inbound_at = baton_rows_int (rows, 0, 6);
  contact->tags = baton_rows_json_strv (rows, 0, 7);
  contact->owner_ids = baton_rows_json_strv (rows, 0, 8);
  return g_steal_pointer (&contact);
}

char *
baton_store_contacts_get_name (BatonStore  *store,
                               const char  *id,
                               GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT name FROM contacts WHERE id = ?", "s",
                                                 id);

  if (rows == NULL || baton_rows_count (rows) == 0)
    return NULL;
  return baton_rows_dup_text (rows, 0, 0);
}

gboolean
baton_store_contacts_get_whatsapp_ids (BatonStore  *store,
                                       const char  *id,
                                       char       **wa_id,
                                       char       **user_id,
                                       GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT wa_id, user_id FROM contacts"
                                                 " WHERE id = ?", "s", id);

  if (rows == NULL || baton_rows_count (rows) == 0)
    return FALSE;
  *wa_id = baton_rows_dup_text (rows, 0, 0);
  *user_id = baton_rows_dup_text (rows, 0, 1);
  return TRUE;
}

GPtrArray *
baton_store_contacts_search (BatonStore  *store,
                             const char  *text,
                             guint        limit,
                             guint64      offset,
                             GError     **error)
{
  g_autofree char *pattern = baton_store_like_pattern (text ? text : "");
  g_autoptr(BatonRows) rows = NULL;
  g_autoptr(GPtrArray) contacts = NULL;

  rows = baton_store_query (store, error,
                            /* lower (): LIKE ignores ASCII case in SQLite only */
                            "SELECT id FROM contacts WHERE lower(name) LIKE lower(?) ESCAPE '\\'"
                            " OR phone LIKE ? ESCAPE '\\'"
                            " ORDER BY lower(name), id LIMIT ? OFFSET ?",
                            "ssii", pattern, pattern, (gint64) limit + 1, (gint64) offset);
  if (rows == NULL)
    return NULL;
  contacts = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_contact_unref);
  for (guint r = 0; r < baton_rows_count (rows); r++)
    {
      g_autoptr(GError) local_error = NULL;
      BatonContact *contact = baton_store_contacts_get (store, baton_rows_text (rows, r, 0),
                                                        &local_error);

      if (local_error)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (contact)
        g_ptr_array_add (contacts, contact);
    }
  return g_steal_pointer (&contacts);
}

/* the id of the first row, and its name in the second column */
static char *
take_id_and_name (BatonRows  *rows,
                  char      **name)
{
  if (rows == NULL || baton_rows_count (rows) == 0)
    return NULL;
  if (name)
    *name = baton_rows_dup_text (rows, 0, 1);
  return baton_rows_dup_text (rows, 0, 0);
}

char *
baton_store_contacts_find_whatsapp (BatonStore  *store,
                                    const char  *wa_id,
                                    const char  *user_id,
                                    const char  *phone,
                                    char       **name,
                                    GError     **error)
{
  g_autoptr(BatonRows) rows = NULL;

  /* one statement, in order of precedence: the wa_id, a former one, the phone */
  if (wa_id)
    rows = baton_store_query (store, error,
                              "SELECT id, name FROM contacts WHERE wa_id = ?1 OR id ="
                              " (SELECT contact_id FROM contact_aliases WHERE wa_id = ?1)"
                              " OR phone = ?2"
                              " ORDER BY CASE WHEN wa_id = ?1 THEN 0 WHEN phone = ?2 THEN 2"
                              " ELSE 1 END LIMIT 1", "ss", wa_id, phone);
  else
    rows = baton_store_query (store, error,
                              "SELECT id, name FROM contacts WHERE user_id = ?1 OR phone = ?2"
                              " ORDER BY CASE WHEN user_id = ?1 THEN 0 ELSE 1 END LIMIT 1",
                              "ss", user_id ? user_id : "", phone);
  return take_id_and_name (rows, name);
}

char *
baton_store_contacts_find_by_phone (BatonStore  *store,
                                    const char  *phone,
                                    char       **name,
                                    GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT id, name FROM contacts WHERE phone = ?",
                                                 "s", phone);

  return take_id_and_name (rows, name);
}

gboolean
baton_store_contacts_phone_taken (BatonStore  *store,
                                  const char  *phone,
                                  const char  *except_id,
                                  gboolean    *taken,
                                  GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT 1 FROM contacts"
                                                 " WHERE phone = ? AND id <> ?", "ss", phone,
                                                 except_id);

  if (rows == NULL)
    return FALSE;
  *taken = baton_rows_count (rows) > 0;
  return TRUE;
}

GStrv
baton_store_contacts_owned_by (BatonStore  *store,
                               const char  *agent_id,
                               GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT contact_id FROM contact_owners"
                                                 " WHERE agent_id = ? ORDER BY contact_id", "s",
                                                 agent_id);

  return rows ? baton_rows_column_strv (rows, 0) : NULL;
}

gboolean
baton_store_contacts_has_owners (BatonStore  *store,
                                 const char  *id,
                                 gboolean    *has_owners,
                                 GError     **error)
{
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "SELECT 1 FROM contact_owners"
                                                 " WHERE contact_id = ? LIMIT 1", "s", id);

  if (rows == NULL)
    return FALSE;
  *has_owners = baton_rows_count (rows) > 0;
  return TRUE;
}

gboolean
baton_store_contacts_insert (BatonStore             *store,
                             const BatonContactRow  *row,
                             GError                **error)
{
  return baton_store_exec (store, error,
                           "INSERT INTO contacts (id, name, phone, wa_id, user_id, created_at,"
                           " last_inbound_at) VALUES (?, ?, ?, ?, ?, ?, ?)", "sssssii", row->id,
                           row->name, row->phone, row->wa_id, row->user_id, row->created_at,
                           row->last_inbound_at) >= 0;
}

gboolean
baton_store_contacts_update (BatonStore  *store,
                             const char  *id,
                             const char  *name,
                             const char  *fields,
                             GError     **error)
{
  return baton_store_exec (store, error,
                           "UPDATE contacts SET name = COALESCE(?, name),"
                           " fields = COALESCE(?, fields) WHERE id = ?", "sss", name, fields,
                           id) >= 0;
}

gboolean
baton_store_contacts_learn_whatsapp (BatonStore  *store,
                                     const char  *id,
                                     const char  *wa_id,
                                     const char  *user_id,
                                     gint64       seen_at,
                                     GError     **error)
{
  /* the later of the two, written with CASE: SQLite's MAX (a, b) is GREATEST elsewhere */
  return baton_store_exec (store, error,
                           "UPDATE contacts SET wa_id = COALESCE(wa_id, ?1),"
                           " user_id = COALESCE(user_id, ?2),"
                           " last_inbound_at = CASE WHEN ?3 > COALESCE(last_inbound_at, 0)"
                           " THEN ?3 ELSE last_inbound_at END WHERE id = ?4", "ssis", wa_id,
                           user_id,
                           seen_at, id) >= 0;
}

char *
baton_store_contacts_saw_inbound_by_phone (BatonStore             *store,
                                           const BatonContactRow  *row,
                                           char                  **name,
                                           GError                **error)
{
  /* DO UPDATE (not NOTHING): RETURNING then names the contact that was there */
  g_autoptr(BatonRows) rows = baton_store_query (store, error,
                                                 "INSERT INTO contacts (id, name, phone, wa_id,"
                                                 " user_id, created_at, last_inbound_at)"
                                                 " VALUES (?, ?, ?, ?, ?, ?, ?)"
                                                 " ON CONFLICT (phone) DO UPDATE SET"
                                                 " last_inbound_at = CASE"
                                                 " WHEN excluded.last_inbound_at >"
                                                 " COALESCE(contacts.last_inbound_at, 0)"
                                                 " THEN excluded.last_inbound_at"
                                                 " ELSE contacts.last_inbound_at END"
                                                 " RETURNING id, name", "sssssii", row->id,
                                                 row->name, row->phone, row->wa_id,
                                                 row->user_id, row->created_at,
                                                 row->last_inbound_at);

  return take_id_and_name (rows, name);
}

gboolean
baton_store_contacts_change_number (BatonStore  *store,
                                    const char  *id,
                                    const char  *old_wa_id,
                                    const char  *new_wa_id,
                                    const char  *phone,
                                    GError     **error)
{
  return baton_store_exec (store, error,
                           "INSERT INTO contact_aliases (wa_id, contact_id) VALUES (?, ?)"
                           " ON CONFLICT (wa_id) DO UPDATE SET contact_id = excluded.contact_id",
                           "ss", old_wa_id, id) >= 0
         && baton_store_exec (store, error,
                              "UPDATE contacts SET wa_id = ?, phone = COALESCE(?, phone)"
                              " WHERE id = ?", "sss", new_wa_id, phone, id) >= 0
         && baton_store_exec (store, error, "DELETE FROM contact_aliases WHERE wa_id = ?", "s",
                              new_wa_id) >= 0;
}

gboolean
baton_store_contacts_set_tags (BatonStore          *store,
                               const char          *id,
                               const char * const  *tags,
                               GError             **error)
{
  return baton_store_replace_list (store, "DELETE FROM contact_tags WHERE contact_id = ?",
                                   "INSERT INTO contact_tags (contact_id, tag, position)"
                                   " VALUES (?, ?, ?)", id, tags, error);
}

gboolean
baton_store_contacts_set_owners (BatonStore          *store,
                                 const char          *id,
                                 const char * const  *agent_ids,
                                 GError             **error)
{
  return baton_store_replace_list (store, "DELETE FROM contact_owners WHERE contact_id = ?",
                                   "INSERT INTO contact_owners (contact_id, agent_id, position)"
                                   " VALUES (?, ?, ?)", id, agent_ids, error);
}

gboolean
baton_store_contacts_delete (BatonStore  *store,
                             const char  *id,
                             GError     **error)
{
  return baton_store_exec (store, error, "DELETE FROM contacts WHERE id = ?", "s", id) >= 0;
}
