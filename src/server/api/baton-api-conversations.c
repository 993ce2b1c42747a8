/* baton-api-conversations.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-api-conversations"

#include "config.h"

#include "baton-api.h"
#include "baton-json.h"

#define MAX_BODY_CHARS 4096

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

static void
add_param (GArray     *params,
           const char *text)
{
  BatonValue value = { .type = BATON_VALUE_TEXT, .s = g_strdup (text) };

  g_array_append_val (params, value);
}

static void
add_int_param (GArray *params,
               gint64  number)
{
  BatonValue value = { .type = BATON_VALUE_INT, .i = number };

  g_array_append_val (params, value);
}

static void
clear_value (BatonValue *value)
{
  g_free (value->s);
}

/* "?,?,?" for n parameters */
static void
append_placeholders (GString *sql,
                     guint    n)
{
  for (guint i = 0; i < n; i++)
    g_string_append (sql, i ? ", ?" : "?");
}

void
baton_api_list_conversations (BatonRequest *request)
{
  const char *status = baton_request_query (request, "status");
  const char *assignee = baton_request_query (request, "assignee");
  const char *team = baton_request_query (request, "team");
  const char *q = baton_request_query (request, "q");
  const char *after_id = NULL;
  gint64 after_at = 0;
  g_autoptr(GString) sql = g_string_new ("SELECT c.id, c.activity_at FROM conversations c"
                                         " JOIN contacts k ON k.id = c.contact_id WHERE 1 = 1");
  g_autoptr(GArray) params = g_array_new (FALSE, TRUE, sizeof (BatonValue));
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonRows) rows = NULL;
  g_autofree char *next = NULL;
  GPtrArray *items = NULL;
  guint limit;

  g_array_set_clear_func (params, (GDestroyNotify) clear_value);
  if (!baton_request_read_limit (request, &limit))
    return;

  if (status)
    {
      g_auto(GStrv) statuses = g_strsplit (status, ",", -1);

      for (guint i = 0; statuses[i]; i++)
        if (baton_status_from_string (statuses[i]) < 0)
          {
            baton_request_fail (request, BATON_ERROR_BAD_REQUEST,
                                "Unknown status %s (new, in_progress or resolved)", statuses[i]);
            return;
          }
      /* One status: its index gives the rows in order. Several ("new,in_progress", the
       * inbox's default) would make the planner gather every match from that index and sort
       * them all (some 90 ms at 100,000 conversations, tests/bench/bench-inbox): comparing
       * an expression keeps the index out, so the list is walked in activity order and the
       * scan stops at the page. "|| ''" is plain SQL, unlike SQLite's unary "+". */
      g_string_append (sql, g_strv_length (statuses) > 1 ? " AND (c.status || '') IN ("
                                                          : " AND c.status IN (");
      append_placeholders (sql, g_strv_length (statuses));
      g_string_append (sql, ")");
      for (guint i = 0; statuses[i]; i++)
        add_param (params, statuses[i]);
    }
  if (assignee && g_str_equal (assignee, "none"))
    {
      g_string_append (sql, " AND NOT EXISTS (SELECT 1 FROM conversation_assignees a"
                            " WHERE a.conversation_id = c.id)");
    }
  else if (assignee)
    {
      g_auto(GStrv) ids = g_strsplit (assignee, ",", -1);

      g_string_append (sql, " AND EXISTS (SELECT 1 FROM conversation_assignees a"
                            " WHERE a.conversation_id = c.id AND a.agent_id IN (");
      append_placeholders (sql, g_strv_length (ids));
      g_string_append (sql, "))");
      for (guint i = 0; ids[i]; i++)
        add_param (params, g_str_equal (ids[i], "me") ? request->agent->id : ids[i]);
    }
  if (team)
    {
      g_string_append (sql, " AND c.team_id = ?");
      add_param (params, team);
    }
  if (q && *q)
    {
      g_autofree char *pattern = baton_store_like_pattern (q);

      g_string_append (sql, " AND (k.name LIKE ? ESCAPE '\\' OR k.phone LIKE ? ESCAPE '\\'"
                            " OR c.last_preview LIKE ? ESCAPE '\\')");
      add_param (params, pattern);
      add_param (params, pattern);
      add_param (params, pattern);
    }
  /* The cursor is the sort key of the last item shown: activity time and id. */
  if (!baton_request_read_position (request, &after_at, &after_id))
    return;
  if (after_id)
    {
      g_string_append (sql, " AND (c.activity_at < ? OR (c.activity_at = ? AND c.id < ?))");
      add_int_param (params, after_at);
      add_int_param (params, after_at);
      add_param (params, after_id);
    }
  g_string_append (sql, " ORDER BY c.activity_at DESC, c.id DESC LIMIT ?");
  add_int_param (params, limit + 1);

  rows = baton_store_query_values (baton_workspace_get_store (request->workspace), sql->str,
                                   (BatonValue *) params->data, params->len, &error);
  if (rows == NULL)
    {
      baton_request_reply_error (request, error);
      return;
    }
  items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  for (guint r = 0; r < MIN (baton_rows_count (rows), limit); r++)
    {
      g_autoptr(BatonConversation) conversation =
        baton_workspace_load_conversation (request->workspace, baton_rows_text (rows, r, 0),
                                           NULL);

      if (conversation)
        g_ptr_array_add (items, baton_conversation_to_json (conversation));
    }
  if (baton_rows_count (rows) > limit)
    next = g_strdup_printf ("%" G_GINT64_FORMAT ".%s", baton_rows_int (rows, limit - 1, 1),
                            baton_rows_text (rows, limit - 1, 0));
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
  BatonStore *store = baton_workspace_get_store (request->workspace);
  const char *id = baton_request_param (request, 0);
  const char *before = baton_request_query (request, "before");
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonConversation) conversation = NULL;
  g_autoptr(BatonRows) anchor = NULL;
  g_autoptr(BatonRows) rows = NULL;
  GPtrArray *items = NULL;
  gint64 before_n = G_MAXINT64;
  guint limit;

  if (before == NULL)
    before = baton_request_query (request, "cursor");
  if (!baton_request_read_limit (request, &limit))
    return;
  conversation = baton_workspace_load_conversation (request->workspace, id, &error);
  if (conversation == NULL)
    {
      baton_request_reply_error (request, error);
      return;
    }
  if (before)
    {
      anchor = baton_store_query (store, &error,
                                  "SELECT n FROM messages WHERE id = ? AND conversation_id = ?",
                                  "ss", before, id);
      if (anchor == NULL || baton_rows_count (anchor) == 0)
        {
          baton_request_fail (request, BATON_ERROR_BAD_REQUEST,
                              "before names no message of this conversation");
          return;
        }
      before_n = baton_rows_int (anchor, 0, 0);
    }
  rows = baton_store_query (store, &error,
                            "SELECT id FROM messages WHERE conversation_id = ? AND n < ?"
                            " ORDER BY n DESC LIMIT ?", "sii", id, before_n, (gint64) limit + 1);
  if (rows == NULL)
    {
      baton_request_reply_error (request, error);
      return;
    }
  items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  for (guint r = 0; r < MIN (baton_rows_count (rows), limit); r++)
    {
      g_autoptr(BatonMessage) message = baton_workspace_load_message (request->workspace,
                                                                      baton_rows_text (rows, r, 0),
                                                                      NULL);

      if (message)
        g_ptr_array_add (items, baton_message_to_json (message));
    }
  baton_request_reply_list (request, items,
                            baton_rows_count (rows) > limit
                            ? baton_rows_text (rows, limit - 1, 0) : NULL);
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
                                                request->agent, &reply, &error);
  if (message)
    conversation = baton_workspace_load_conversation (request->workspace,
                                                      message->conversation_id, &error);
  if (conversation == NULL)
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

void
baton_api_post_message (BatonRequest *request)
{
  const char *id = baton_request_param (request, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonConversation) conversation = NULL;
  g_autoptr(BatonMessage) message = NULL;
  JsonObject *body = NULL;
  JsonObject *template = NULL;
  g_auto(GStrv) parameters = NULL;
  g_auto(GStrv) payloads = NULL;
  BatonReply reply = { 0 };
  const char *text = NULL;
  gboolean note = FALSE;
  glong length;

  conversation = baton_workspace_load_conversation (request->workspace, id, &error);
  if (conversation == NULL)
    {
      baton_request_reply_error (request, error);
      return;
    }
  body = baton_request_body (request);
  if (body == NULL)
    return;
  if (!baton_json_read_object (body, "template", 0, &template, &error)
      || !baton_json_read_string (body, "body", template ? 0 : BATON_JSON_REQUIRED, &text,
                                  &error)
      || !baton_json_read_bool (body, "note", 0, &note, &error)
      || !baton_json_read_string (body, "in_reply_to", BATON_JSON_NULLABLE, &reply.in_reply_to,
                                  &error))
    {
      baton_request_reply_error (request, error);
      return;
    }
  if (template)
    {
      if (text || note)
        {
          baton_set_field_error (&error, text ? "body" : "note",
                                 "A template message has no body and is not a note");
          baton_request_reply_error (request, error);
          return;
        }
      if (!read_template (template, &reply, &parameters, &payloads, &error))
        {
          baton_request_reply_error (request, error);
          return;
        }
    }
  else
    {
      length = g_utf8_strlen (text, -1);
      if (length < 1 || length > MAX_BODY_CHARS)
        {
          baton_set_field_error (&error, "body", "body must be 1 to %d characters",
                                 MAX_BODY_CHARS);
          baton_request_reply_error (request, error);
          return;
        }
    }
  reply.body = text;
  reply.note = note;
  message = baton_workspace_send_reply (request->workspace, id, request->agent, &reply, &error);
  if (message == NULL)
    baton_request_reply_error (request, error);
  else
    baton_request_reply (request, 201, baton_message_to_json (message));
}

void
baton_api_assign (BatonRequest *request)
{
  BatonWorkspace *workspace = request->workspace;
  const char *id = baton_request_param (request, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonConversation) conversation = NULL;
  g_auto(GStrv) assignee_ids = NULL;
  BatonAssignment assignment = { 0 };
  JsonObject *body = NULL;

  conversation = baton_workspace_load_conversation (workspace, id, &error);
  if (conversation == NULL)
    {
      baton_request_reply_error (request, error);
      return;
    }
  g_clear_pointer (&conversation, baton_conversation_unref);
  body = baton_request_body (request);
  if (body == NULL)
    return;
  assignment.set_team = baton_json_has (body, "team_id");
  assignment.set_assignees = baton_json_has (body, "assignee_ids");
  assignment.check_version = baton_json_has (body, "expected_version");
  if (!baton_json_read_string (body, "team_id", BATON_JSON_NULLABLE, &assignment.team_id, &error)
      || !baton_json_read_strv (body, "assignee_ids", 0, &assignee_ids, &error)
      || !baton_json_read_int (body, "expected_version", 0, &assignment.expected_version, NULL,
                               &error)
      || (assignee_ids && !baton_workspace_check_agent_ids (workspace, "assignee_ids",
                                                            (const char * const *) assignee_ids,
                                                            &error)))
    {
      baton_request_reply_error (request, error);
      return;
    }
  if (assignment.team_id)
    {
      g_autoptr(BatonTeam) team = baton_workspace_load_team (workspace, assignment.team_id, NULL);

      if (team == NULL)
        {
          baton_set_field_error (&error, "team_id", "No team with id %s", assignment.team_id);
          baton_request_reply_error (request, error);
          return;
        }
    }
  assignment.assignee_ids = (const char * const *) assignee_ids;
  conversation = baton_workspace_assign (workspace, id, request->agent, &assignment, &error);
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

  conversation = baton_workspace_load_conversation (request->workspace, id, &error);
  if (conversation == NULL)
    {
      baton_request_reply_error (request, error);
      return;
    }
  g_clear_pointer (&conversation, baton_conversation_unref);
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
