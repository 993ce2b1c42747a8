/* baton-api-contacts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-api-contacts"

#include "config.h"

#include "baton-api.h"
#include "baton-json.h"

#define MAX_FIELD_KEY 64
#define MAX_FIELD_VALUE 1000
#define MAX_FIELDS 100

static void
reply_contact (BatonRequest *request,
               const char   *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonContact) contact = baton_workspace_load_contact (request->workspace, id, &error);

  if (contact == NULL)
    baton_request_reply_error (request, error);
  else
    baton_request_reply (request, 200, baton_contact_to_json (contact));
}

void
baton_api_list_contacts (BatonRequest *request)
{
  const char *q = baton_request_query (request, "q");
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonRows) rows = NULL;
  g_autofree char *pattern = baton_store_like_pattern (q ? q : "");
  g_autofree char *next = NULL;
  GPtrArray *items = NULL;
  guint64 offset = 0;
  guint limit;

  if (!baton_request_read_limit (request, &limit)
      || !baton_request_read_offset (request, &offset))
    return;
  rows = baton_store_query (baton_workspace_get_store (request->workspace), &error,
                            "SELECT id FROM contacts WHERE name LIKE ? ESCAPE '\\'"
                            " OR phone LIKE ? ESCAPE '\\'"
                            " ORDER BY lower(name), id LIMIT ? OFFSET ?",
                            "ssii", pattern, pattern, (gint64) limit + 1, (gint64) offset);
  if (rows == NULL)
    {
      baton_request_reply_error (request, error);
      return;
    }
  items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  for (guint r = 0; r < MIN (baton_rows_count (rows), limit); r++)
    {
      g_autoptr(BatonContact) contact = baton_workspace_load_contact (request->workspace,
                                                                      baton_rows_text (rows, r, 0),
                                                                      NULL);

      if (contact)
        g_ptr_array_add (items, baton_contact_to_json (contact));
    }
  if (baton_rows_count (rows) > limit)
    next = g_strdup_printf ("%" G_GUINT64_FORMAT, offset + limit);
  baton_request_reply_list (request, items, next);
}

void
baton_api_get_contact (BatonRequest *request)
{
  reply_contact (request, baton_request_param (request, 0));
}

static gboolean
write_fields (BatonContact  *contact,
              JsonObject    *fields,
              GError       **error)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  json_object_iter_init (&iter, fields);
  while (json_object_iter_next (&iter, &key, &value))
    {
      g_autofree char *field = g_strdup_printf ("fields.%s", key);

      if (g_utf8_strlen (key, -1) < 1 || g_utf8_strlen (key, -1) > MAX_FIELD_KEY)
        {
          baton_set_field_error (error, field, "A field name has 1 to %d characters",
                                 MAX_FIELD_KEY);
          return FALSE;
        }
      if (JSON_NODE_HOLDS_NULL (value))
        {
          g_hash_table_remove (contact->fields, key);
          continue;
        }
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING
          || g_utf8_strlen (json_node_get_string (value), -1) > MAX_FIELD_VALUE)
        {
          baton_set_field_error (error, field,
                                 "A field value is a string of at most %d characters, or null",
                                 MAX_FIELD_VALUE);
          return FALSE;
        }
      g_hash_table_insert (contact->fields, g_strdup (key),
                           g_strdup (json_node_get_string (value)));
    }
  if (g_hash_table_size (contact->fields) > MAX_FIELDS)
    {
      baton_set_field_error (error, "fields", "A contact has at most %d fields", MAX_FIELDS);
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

void
baton_api_update_contact (BatonRequest *request)
{
  BatonWorkspace *workspace = request->workspace;
  BatonStore *store = baton_workspace_get_store (workspace);
  const char *id = baton_request_param (request, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonContact) contact = baton_workspace_load_contact (workspace, id, &error);
  g_auto(GStrv) raw_tags = NULL;
  g_auto(GStrv) tags = NULL;
  g_autofree char *fields_text = NULL;
  JsonObject *body = NULL;
  JsonObject *fields = NULL;
  const char *name = NULL;

  if (contact == NULL)
    {
      baton_request_reply_error (request, error);
      return;
    }
  body = baton_request_body (request);
  if (body == NULL)
    return;
  if (!baton_json_read_string (body, "name", 0, &name, &error)
      || (name && !baton_validate_name ("name", name, &error))
      || !baton_json_read_strv (body, "tags", 0, &raw_tags, &error)
      || (raw_tags && !(tags = baton_tags_normalize ("tags", (const char * const *) raw_tags,
                                                     &error)))
      || !baton_json_read_object (body, "fields", 0, &fields, &error)
      || (fields && !write_fields (contact, fields, &error)))
    {
      baton_request_reply_error (request, error);
      return;
    }
  fields_text = fields_to_text (contact);

  if (!baton_workspace_begin (workspace, &error)
      || baton_store_exec (store, &error,
                           "UPDATE contacts SET name = COALESCE(?, name), fields = ? WHERE id = ?",
                           "sss", name, fields_text, id) < 0)
    goto failed;
  if (tags)
    {
      if (baton_store_exec (store, &error, "DELETE FROM contact_tags WHERE contact_id = ?", "s",
                            id) < 0)
        goto failed;
      for (guint i = 0; tags[i]; i++)
        if (baton_store_exec (store, &error,
                              "INSERT INTO contact_tags (contact_id, tag, position)"
                              " VALUES (?, ?, ?)", "ssd", id, tags[i], (int) i) < 0)
          goto failed;
    }
  if (!baton_workspace_emit_contact (workspace, id, NULL, &error))
    goto failed;
  /* Tag-based routing: contact.tag_added flows run for each tag the contact did not have. */
  for (guint i = 0; tags && tags[i]; i++)
    if (!g_strv_contains ((const char * const *) contact->tags, tags[i])
        && !baton_workspace_contact_tag_added (workspace, id, tags[i], &error))
      goto failed;
  /* Conversations show the contact's name. */
  if (name)
    {
      g_autoptr(BatonRows) conversations = baton_store_query (store, &error,
                                                              "SELECT id FROM conversations"
                                                              " WHERE contact_id = ?", "s", id);

      if (conversations == NULL)
        goto failed;
      for (guint r = 0; r < baton_rows_count (conversations); r++)
        if (!baton_workspace_touch_conversation (workspace,
                                                 baton_rows_text (conversations, r, 0), &error))
          goto failed;
    }
  if (!baton_workspace_commit (workspace, &error))
    goto failed;
  reply_contact (request, id);
  return;

failed:
  baton_workspace_rollback (workspace);
  baton_request_reply_error (request, error);
}

void
baton_api_set_contact_owners (BatonRequest *request)
{
  BatonWorkspace *workspace = request->workspace;
  BatonStore *store = baton_workspace_get_store (workspace);
  const char *id = baton_request_param (request, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonContact) contact = baton_workspace_load_contact (workspace, id, &error);
  g_auto(GStrv) owner_ids = NULL;
  JsonObject *body = NULL;

  if (contact == NULL)
    {
      baton_request_reply_error (request, error);
      return;
    }
  body = baton_request_body (request);
  if (body == NULL)
    return;
  if (!baton_json_read_strv (body, "owner_ids", BATON_JSON_REQUIRED, &owner_ids, &error)
      || !baton_workspace_check_agent_ids (workspace, "owner_ids",
                                           (const char * const *) owner_ids, &error))
    {
      baton_request_reply_error (request, error);
      return;
    }
  if (!baton_workspace_begin (workspace, &error)
      || baton_store_exec (store, &error, "DELETE FROM contact_owners WHERE contact_id = ?",
                           "s", id) < 0)
    goto failed;
  for (guint i = 0; owner_ids[i]; i++)
    if (baton_store_exec (store, &error,
                          "INSERT INTO contact_owners (contact_id, agent_id, position)"
                          " VALUES (?, ?, ?)", "ssd", id, owner_ids[i], (int) i) < 0)
      goto failed;
  if (!baton_workspace_emit_contact (workspace, id, "manual", &error)
      || !baton_workspace_commit (workspace, &error))
    goto failed;
  reply_contact (request, id);
  return;

failed:
  baton_workspace_rollback (workspace);
  baton_request_reply_error (request, error);
}
