/* baton-api-conversations.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-api-conversations"

#include "config.h"

#include "baton-api.h"
#include "baton-json.h"

#define MAX_BODY_CHARS 4096
#define MAX_CLIENT_ID_CHARS 64
#define MAX_SEARCH_CHARS 200

static void
reply_conversation (BatonRequest      *request,
                    BatonConversation *conversation,
                    const GError      *error)
{
  if (conversation == NULL)
    baton_request_reply_error (request, error);
  else
    baton_request_reply (request, 200, baton_conversation_to_json (conversation));
}

/* status: "new,in_progress", each a known status */
static gboolean
read_statuses (BatonRequest  *request,
               GStrv         *statuses)
{
  const char *status = baton_request_query (request, "status");

  if (status == NULL)
    return TRUE;
  *statuses = g_strsplit (status, ",", -1);
  for (guint i = 0; (*statuses)[i]; i++)
    if (baton_status_from_string ((*statuses)[i]) < 0)
      {
        baton_request_fail (request, BATON_ERROR_BAD_REQUEST,
                            "Unknown status %s (new, in_progress or resolved)", (*statuses)[i]);
        return FALSE;
      }
  return TRUE;
}

/* assignee: "none", or agent ids where "me" is the caller */
static void
read_assignees (BatonRequest            *request,
                BatonConversationQuery  *query,
                GStrv                   *ids)
{
  const char *assignee = baton_request_query (request, "assignee");

  if (assignee && g_str_equal (assignee, "none"))
    query->unassigned = TRUE;
  else if (assignee)
    {
      *ids = g_strsplit (assignee, ",", -1);
      for (guint i = 0; (*ids)[i]; i++)
        if (g_str_equal ((*ids)[i], "me"))
          {
            g_free ((*ids)[i]);
            (*ids)[i] = g_strdup (request->agent->id);
          }
      query->assignee_ids = (const char * const *) *ids;
    }
}

/* q: UTF-8 text of a reasonable length (its words are counted by the store) */
static gboolean
check_search (BatonRequest *request,
              const char   *text)
{
  if (text == NULL)
    return TRUE;
  if (!g_utf8_validate (text, -1, NULL))
    baton_request_fail (request, BATON_ERROR_BAD_REQUEST, "q is not valid UTF-8");
  else if (g_utf8_strlen (text, -1) > MAX_SEARCH_CHARS)
    baton_request_fail (request, BATON_ERROR_BAD_REQUEST, "q has at most %d characters",
                        MAX_SEARCH_CHARS);
  else
    return TRUE;
  return FALSE;
}

void
baton_api_list_conversations (BatonRequest *request)
{
  g_auto(GStrv) statuses = NULL;
  g_auto(GStrv) assignee_ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonConversationPage) page = NULL;
  g_autofree char *next = NULL;
  BatonConversationQuery query = {
    .team_id = baton_request_query (request, "team"),
    .text = baton_request_query (request, "q"),
    .contact_id = baton_request_query (request, "contact"),
  };
  GPtrArray *items = NULL;

  if (!baton_request_read_limit (request, &query.limit) || !read_statuses (request, &statuses)
      || !check_search (request, query.text))
    return;
  query.statuses = (const char * const *) statuses;
  read_assignees (request, &query, &assignee_ids);
  /* The cursor is the sort key of the last item shown: activity time and id. */
  if (!baton_request_read_position (request, &query.after_activity_at, &query.after_id))
    return;
  page = baton_workspace_list_conversations (request->workspace, &query, &error);
  if (page == NULL)
    {
      baton_request_reply_error (request, error);
      return;
    }
  items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  for (guint i = 0; i < page->conversations->len; i++)
    g_ptr_array_add (items, baton_conversation_to_json (g_ptr_array_index (page->conversations,
                                                                           i)));
  if (page->next_id)
    next = g_strdup_printf ("%" G_GINT64_FORMAT ".%s", page->next_activity_at, page->next_id);
  baton_request_reply_list (request, items, next);
}

void
baton_api_get_conversation (BatonRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonConversation) conversation =
    baton_workspace_load_conversation (request->workspace, baton_request_param (request, 0),
                                       &error);

  reply_conversation (request, conversation, error);
}

void
baton_api_list_messages (BatonRequest *request)
{
  const char *before = baton_request_query (request, "before");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  GPtrArray *items = NULL;
  guint limit;

  if (before == NULL)
    before = baton_request_query (request, "cursor");
  if (!baton_request_read_limit (request, &limit))
    return;
  messages = baton_workspace_list_messages (request->workspace,
                                            baton_request_param (request, 0), before, limit,
                                            &error);
  if (messages == NULL)
    {
      baton_request_reply_error (request, error);
      return;
    }
  items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  for (guint i = 0; i < MIN (messages->len, limit); i++)
    g_ptr_array_add (items, baton_message_to_json (g_ptr_array_index (messages, i)));
  baton_request_reply_list (request, items,
                            messages->len > limit
                            ? ((BatonMessage *) g_ptr_array_index (messages, limit - 1))->id
                            : NULL);
}

/* {name, language, parameters?, button_payloads?}: a WhatsApp template message */
static gboolean
read_template (JsonObject   *template,
               BatonReply   *reply,
               GStrv        *parameters,
               GStrv        *payloads,
               GError      **error)
{
  if (!baton_json_read_string (template, "name", BATON_JSON_REQUIRED, &reply->template_name,
                               error)
      || !baton_json_read_string (template, "language", BATON_JSON_REQUIRED,
                                  &reply->template_language, error)
      || !baton_json_read_strv (template, "parameters", 0, parameters, error)
      || !baton_json_read_strv (template, "button_payloads", 0, payloads, error))
    {
      baton_prefix_field_error (*error, "template.");
      return FALSE;
    }
  reply->template_parameters = (const char * const *) *parameters;
  reply->template_button_payloads = (const char * const *) *payloads;
  return TRUE;
}

void
baton_api_start_conversation (BatonRequest *request)
{
  JsonObject *body = baton_request_body (request);
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonMessage) message = NULL;
  g_autoptr(BatonConversation) conversation = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_auto(GStrv) parameters = NULL;
  g_auto(GStrv) payloads = NULL;
  JsonObject *template = NULL;
  const char *channel_id = NULL, *to = NULL;
  BatonReply reply = { 0 };

  if (body == NULL)
    return;
  if (!baton_json_read_string (body, "channel_id", BATON_JSON_REQUIRED, &channel_id, &error)
      || !baton_json_read_string (body, "to", BATON_JSON_REQUIRED, &to, &error)
      || !baton_json_read_object (body, "template", BATON_JSON_REQUIRED, &template, &error)
      || !read_template (template, &reply, &parameters, &payloads, &error))
    {
      baton_request_reply_error (request, error);
      return;
    }
  /* E.164: a plus and 6 to 15 digits */
  if (!g_regex_match_simple ("^\\+[1-9][0-9]{5,14}$", to, 0, 0))
    {
      baton_set_field_error (&error, "to", "to must be a phone number such as +447700900123");
      baton_request_reply_error (request, error);
      return;
    }
  message = baton_workspace_start_conversation (request->workspace, channel_id, to,
                                                request->agent, &reply, &conversation, &error);
  if (message == NULL)
    {
      baton_request_reply_error (request, error);
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "conversation");
  json_builder_add_value (builder, baton_conversation_to_json (conversation));
  json_builder_set_member_name (builder, "message");
  json_builder_add_value (builder, baton_message_to_json (message));
  json_builder_end_object (builder);
  baton_request_reply (request, 201, json_builder_get_root (builder));
}

static gboolean
is_client_id (const char *value)
{
  gsize length = strlen (value);

  if (length < 1 || length > MAX_CLIENT_ID_CHARS)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isprint (value[i]))
      return FALSE;
  return TRUE;
}

/* client_id: absent, or 1 to 64 printable ASCII characters; anything else is a 400 on the
 * field, as a request that cannot be matched with its repeats must not be sent at all */
static gboolean
read_client_id (JsonObject   *body,
                const char  **client_id,
                GError      **error)
{
  const char *value = NULL;

  if (baton_json_read_string (body, "client_id", 0, &value, NULL)
      && (value == NULL || is_client_id (value)))
    {
      *client_id = value;
      return TRUE;
    }
  baton_set_field_error (error, "client_id",
                         "client_id must be 1 to %d printable ASCII characters",
                         MAX_CLIENT_ID_CHARS);
  (*error)->code = BATON_ERROR_BAD_REQUEST;
  return FALSE;
}

/* The content of a reply: text (1 to 4096 characters), attachments (the caller's uploads,
 * with or without text), or a template (neither of them, not a note). */
static gboolean
read_reply_content (JsonObject   *body,
                    BatonReply   *reply,
                    GStrv        *attachment_ids,
                    GStrv        *parameters,
                    GStrv        *payloads,
                    GError      **error)
{
  JsonObject *template = NULL;
  glong length;

  if (!baton_json_read_object (body, "template", 0, &template, error)
      || !baton_json_read_strv (body, "attachment_ids", 0, attachment_ids, error))
    return FALSE;
  if (*attachment_ids && (*attachment_ids)[0] == NULL)
    g_clear_pointer (attachment_ids, g_strfreev);
  reply->attachment_ids = (const char * const *) *attachment_ids;
  if (!baton_json_read_string (body, "body", template || *attachment_ids
                                             ? 0 : BATON_JSON_REQUIRED, &reply->body, error)
      || !baton_json_read_bool (body, "note", 0, &reply->note, error))
    return FALSE;
  if (template)
    {
      if (reply->body || reply->note || *attachment_ids)
        {
          baton_set_field_error (error, reply->body ? "body"
                                        : reply->note ? "note" : "attachment_ids",
                                 "A template message has no body or attachments and is not "
                                 "a note");
          return FALSE;
        }
      return read_template (template, reply, parameters, payloads, error);
    }
  if (reply->body == NULL)
    return TRUE;
  length = g_utf8_strlen (reply->body, -1);
  if (length < 1 || length > MAX_BODY_CHARS)
    {
      baton_set_field_error (error, "body", "body must be 1 to %d characters", MAX_BODY_CHARS);
      return FALSE;
    }
  return TRUE;
}

void
baton_api_post_message (BatonRequest *request)
{
  const char *id = baton_request_param (request, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonMessage) message = NULL;
  JsonObject *body = NULL;
  g_auto(GStrv) attachment_ids = NULL;
  g_auto(GStrv) parameters = NULL;
  g_auto(GStrv) payloads = NULL;
  BatonReply reply = { 0 };
  gboolean repeated = FALSE;

  body = baton_request_body (request);
  if (body == NULL)
    return;
  if (!read_reply_content (body, &reply, &attachment_ids, &parameters, &payloads, &error)
      || !baton_json_read_string (body, "in_reply_to", BATON_JSON_NULLABLE, &reply.in_reply_to,
                                  &error)
      || !read_client_id (body, &reply.client_id, &error))
    {
      baton_request_reply_error (request, error);
      return;
    }
  message = baton_workspace_send_reply (request->workspace, id, request->agent, &reply,
                                        &repeated, &error);
  if (message == NULL)
    baton_request_reply_error (request, error);
  else
    baton_request_reply (request, repeated ? 200 : 201, baton_message_to_json (message));
}

void
baton_api_assign (BatonRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonConversation) conversation = NULL;
  g_auto(GStrv) assignee_ids = NULL;
  BatonAssignment assignment = { 0 };
  JsonObject *body = NULL;

  body = baton_request_body (request);
  if (body == NULL)
    return;
  assignment.set_team = baton_json_has (body, "team_id");
  assignment.set_assignees = baton_json_has (body, "assignee_ids");
  assignment.check_version = baton_json_has (body, "expected_version");
  if (!baton_json_read_string (body, "team_id", BATON_JSON_NULLABLE, &assignment.team_id, &error)
      || !baton_json_read_strv (body, "assignee_ids", 0, &assignee_ids, &error)
      || !baton_json_read_int (body, "expected_version", 0, &assignment.expected_version, NULL,
                               &error))
    {
      baton_request_reply_error (request, error);
      return;
    }
  assignment.assignee_ids = (const char * const *) assignee_ids;
  conversation = baton_workspace_assign (request->workspace, baton_request_param (request, 0),
                                         request->agent, &assignment, &error);
  reply_conversation (request, conversation, error);
}

void
baton_api_claim (BatonRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonConversation) conversation =
    baton_workspace_claim (request->workspace, baton_request_param (request, 0), request->agent,
                           &error);

  reply_conversation (request, conversation, error);
}

void
baton_api_resolve (BatonRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonConversation) conversation =
    baton_workspace_resolve (request->workspace, baton_request_param (request, 0),
                             request->agent, &error);

  reply_conversation (request, conversation, error);
}

void
baton_api_reopen (BatonRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonConversation) conversation =
    baton_workspace_reopen (request->workspace, baton_request_param (request, 0),
                            request->agent, &error);

  reply_conversation (request, conversation, error);
}

void
baton_api_set_tags (BatonRequest *request)
{
  const char *id = baton_request_param (request, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonConversation) conversation = NULL;
  g_auto(GStrv) raw_tags = NULL;
  g_auto(GStrv) tags = NULL;
  const char *mode = "replace";
  JsonObject *body = NULL;

  body = baton_request_body (request);
  if (body == NULL)
    return;
  if (!baton_json_read_strv (body, "tags", BATON_JSON_REQUIRED, &raw_tags, &error)
      || !(tags = baton_tags_normalize ("tags", (const char * const *) raw_tags, &error))
      || !baton_json_read_string (body, "mode", 0, &mode, &error))
    {
      baton_request_reply_error (request, error);
      return;
    }
  if (!g_str_equal (mode, "add") && !g_str_equal (mode, "replace")
      && !g_str_equal (mode, "remove"))
    {
      baton_set_field_error (&error, "mode", "mode must be add, replace or remove");
      baton_request_reply_error (request, error);
      return;
    }
  conversation = baton_workspace_set_tags (request->workspace, id,
                                           (const char * const *) tags, mode, &error);
  reply_conversation (request, conversation, error);
}
