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

static void
reply_contact (BatonRequest *request,
               BatonContact *contact,
               GError       *error)
{
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
  g_autoptr(GPtrArray) contacts = NULL;
  g_autofree char *next = NULL;
  GPtrArray *items = NULL;
  guint64 offset = 0;
  guint limit;

  if (!baton_request_read_limit (request, &limit)
      || !baton_request_read_offset (request, &offset))
    return;
  contacts = baton_workspace_list_contacts (request->workspace, q, limit, offset, &error);
  if (contacts == NULL)
    {
      baton_request_reply_error (request, error);
      return;
    }
  items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  for (guint i = 0; i < MIN (contacts->len, limit); i++)
    g_ptr_array_add (items, baton_contact_to_json (g_ptr_array_index (contacts, i)));
  if (contacts->len > limit)
    next = g_strdup_printf ("%" G_GUINT64_FORMAT, offset + limit);
  baton_request_reply_list (request, items, next);
}

void
baton_api_get_contact (BatonRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonContact) contact = baton_workspace_load_contact (request->workspace,
                                                                  baton_request_param (request,
                                                                                       0),
                                                                  &error);

  reply_contact (request, contact, error);
}

/* Each field is named by 1 to MAX_FIELD_KEY characters and set to a string, or null. */
static gboolean
check_fields (JsonObject  *fields,
              GError     **error)
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
      if (!JSON_NODE_HOLDS_NULL (value)
          && (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING
              || g_utf8_strlen (json_node_get_string (value), -1) > MAX_FIELD_VALUE))
        {
          baton_set_field_error (error, field,
                                 "A field value is a string of at most %d characters, or null",
                                 MAX_FIELD_VALUE);
          return FALSE;
        }
    }
  return TRUE;
}

void
baton_api_update_contact (BatonRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonContact) contact = NULL;
  g_auto(GStrv) raw_tags = NULL;
  g_auto(GStrv) tags = NULL;
  BatonContactPatch patch = { 0 };
  JsonObject *body = baton_request_body (request);

  if (body == NULL)
    return;
  if (!baton_json_read_string (body, "name", 0, &patch.name, &error)
      || (patch.name && !baton_validate_name ("name", patch.name, &error))
      || !baton_json_read_strv (body, "tags", 0, &raw_tags, &error)
      || (raw_tags && !(tags = baton_tags_normalize ("tags", (const char * const *) raw_tags,
                                                     &error)))
      || !baton_json_read_object (body, "fields", 0, &patch.fields, &error)
      || (patch.fields && !check_fields (patch.fields, &error)))
    {
      baton_request_reply_error (request, error);
      return;
    }
  patch.tags = (const char * const *) tags;
  contact = baton_workspace_update_contact (request->workspace, baton_request_param (request, 0),
                                            &patch, &error);
  reply_contact (request, contact, error);
}

void
baton_api_set_contact_owners (BatonRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonContact) contact = NULL;
  g_auto(GStrv) owner_ids = NULL;
  JsonObject *body = baton_request_body (request);

  if (body == NULL)
    return;
  if (!baton_json_read_strv (body, "owner_ids", BATON_JSON_REQUIRED, &owner_ids, &error))
    {
      baton_request_reply_error (request, error);
      return;
    }
  contact = baton_workspace_set_contact_owners (request->workspace,
                                                baton_request_param (request, 0),
                                                (const char * const *) owner_ids, &error);
  reply_contact (request, contact, error);
}
