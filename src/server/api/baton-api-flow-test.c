/* baton-api-flow-test.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-api-flows"

#include "config.h"

#include "baton-api.h"
#include "baton-error.h"
#include "baton-json.h"
#include "baton-time.h"

/* POST /api/v1/flows/test (API.md "Testing a flow"). */

static const char *events[] = {
  "conversation.created", "conversation.reopened", "message.received", "contact.tag_added", NULL
};

typedef struct {
  BatonFlowSample sample;
  GStrv contact_tags;
  GHashTable *contact_fields;
  char *tag;
} ParsedSample;

static void
parsed_sample_clear (ParsedSample *parsed)
{
  g_clear_pointer (&parsed->contact_tags, g_strfreev);
  g_clear_pointer (&parsed->contact_fields, g_hash_table_unref);
  g_clear_pointer (&parsed->tag, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ParsedSample, parsed_sample_clear)

/* sample.contact: {tags, fields}, each replacing the contact's when given */
static gboolean
read_contact (ParsedSample  *parsed,
              JsonObject    *contact,
              GError       **error)
{
  g_auto(GStrv) tags = NULL;
  JsonObject *fields = NULL;
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (!baton_json_read_strv (contact, "tags", BATON_JSON_NULLABLE, &tags, error)
      || !baton_json_read_object (contact, "fields", BATON_JSON_NULLABLE, &fields, error))
    return FALSE;
  if (tags && !(parsed->contact_tags = baton_tags_normalize ("tags",
                                                             (const char * const *) tags,
                                                             error)))
    return FALSE;
  parsed->sample.contact_tags = (const char * const *) parsed->contact_tags;
  if (fields == NULL)
    return TRUE;
  parsed->contact_fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  parsed->sample.contact_fields = parsed->contact_fields;
  json_object_iter_init (&iter, fields);
  while (json_object_iter_next (&iter, &key, &value))
    {
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        {
          g_autofree char *field = g_strdup_printf ("fields.%s", key);

          baton_set_field_error (error, field, "%s must be a string", field);
          return FALSE;
        }
      g_hash_table_insert (parsed->contact_fields, g_strdup (key),
                           g_strdup (json_node_get_string (value)));
    }
  return TRUE;
}

/* The members of sample, checked; a field error names the member inside sample. */
static gboolean
read_sample_members (ParsedSample  *parsed,
                     JsonObject    *object,
                     GError       **error)
{
  BatonFlowSample *sample = &parsed->sample;
  JsonObject *contact = NULL;
  const char *at = NULL;
  const char *tag = NULL;
  gboolean returning = FALSE;
  JsonNode *given = NULL;

  if (!baton_json_read_string (object, "text", BATON_JSON_NULLABLE, &sample->text, error)
      || !baton_json_read_string (object, "channel_id", BATON_JSON_NULLABLE,
                                  &sample->channel_id, error)
      || !baton_json_read_string (object, "contact_id", BATON_JSON_NULLABLE,
                                  &sample->contact_id, error)
      || !baton_json_read_object (object, "contact", BATON_JSON_NULLABLE, &contact, error)
      || !baton_json_read_bool (object, "is_returning", BATON_JSON_NULLABLE, &returning, error)
      || !baton_json_read_bool (object, "referral", 0, &sample->referral, error)
      || !baton_json_read_string (object, "at", BATON_JSON_NULLABLE, &at, error)
      || !baton_json_read_string (object, "event", BATON_JSON_NULLABLE, &sample->event, error)
      || !baton_json_read_string (object, "tag", BATON_JSON_NULLABLE, &tag, error))
    return FALSE;
  if (contact && !read_contact (parsed, contact, error))
    {
      baton_prefix_field_error (*error, "contact.");
      return FALSE;
    }
  given = json_object_get_member (object, "is_returning");
  sample->is_returning = given && !JSON_NODE_HOLDS_NULL (given) ? returning : -1;
  if (at && !baton_time_parse (at, &sample->at_ms))
    {
      baton_set_field_error (error, "at", "at must be an RFC 3339 time");
      return FALSE;
    }
  if (sample->event && !g_strv_contains (events, sample->event))
    {
      baton_set_field_error (error, "event", "event must be conversation.created,"
                             " conversation.reopened, message.received or contact.tag_added");
      return FALSE;
    }
  return tag == NULL || (sample->tag = parsed->tag = baton_tag_normalize ("tag", tag, error));
}

static gboolean
read_sample (ParsedSample  *parsed,
             JsonObject    *body,
             GError       **error)
{
  JsonObject *object = NULL;

  if (!baton_json_read_object (body, "sample", BATON_JSON_REQUIRED, &object, error))
    return FALSE;
  if (!read_sample_members (parsed, object, error))
    {
      baton_prefix_field_error (*error, "sample.");
      return FALSE;
    }
  return TRUE;
}

/* The flow to try: one given whole (validated as POST /flows does, with the same error
 * paths), or a saved one by id. */
static BatonFlow *
read_flow (BatonWorkspace  *workspace,
           JsonObject      *body,
           GError         **error)
{
  g_autoptr(BatonFlow) flow = NULL;
  JsonObject *given = NULL;
  const char *id = NULL;
  BatonFlowLookup lookup = { 0 };

  if (!baton_json_read_object (body, "flow", BATON_JSON_NULLABLE, &given, error)
      || !baton_json_read_string (body, "flow_id", BATON_JSON_NULLABLE, &id, error))
    return NULL;
  if ((given == NULL) == (id == NULL))
    {
      baton_set_field_error (error, "flow", "Give either flow or flow_id");
      return NULL;
    }
  if (id)
    {
      g_autoptr(GError) local_error = NULL;

      flow = baton_workspace_load_flow (workspace, id, &local_error);
      if (flow == NULL && g_error_matches (local_error, BATON_ERROR, BATON_ERROR_NOT_FOUND))
        baton_set_field_error (error, "flow_id", "No flow with id %s", id);
      else if (flow == NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return g_steal_pointer (&flow);
    }
  flow = baton_flow_new ();
  baton_workspace_flow_lookup (workspace, &lookup);
  if (!baton_flow_update (flow, given, TRUE, &lookup, error))
    return NULL;
  return g_steal_pointer (&flow);
}

void
baton_api_test_flow (BatonRequest *request)
{
  JsonObject *body = baton_request_body (request);
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonFlow) flow = NULL;
  g_auto(ParsedSample) parsed = { 0 };
  g_autoptr(JsonNode) answer = NULL;

  if (body == NULL)
    return;
  if ((flow = read_flow (request->workspace, body, &error)) == NULL
      || !read_sample (&parsed, body, &error)
      || (answer = baton_workspace_test_flow (request->workspace, flow, &parsed.sample,
                                              &error)) == NULL)
    {
      baton_request_reply_error (request, error);
      return;
    }
  baton_request_reply (request, 200, g_steal_pointer (&answer));
}
