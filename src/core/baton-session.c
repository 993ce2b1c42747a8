/* baton-session.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-session"

#include "config.h"

#include "baton-json.h"
#include "baton-session.h"

G_DEFINE_BOXED_TYPE (BatonSession, baton_session, baton_session_ref, baton_session_unref)

BatonSession *
baton_session_new (void)
{
  return g_rc_box_new0 (BatonSession);
}

BatonSession *
baton_session_ref (BatonSession *session)
{
  return g_rc_box_acquire (session);
}

static void
session_clear (BatonSession *session)
{
  g_free (session->id);
  g_free (session->address);
  g_free (session->user_agent);
}

void
baton_session_unref (BatonSession *session)
{
  g_rc_box_release_full (session, (GDestroyNotify) session_clear);
}

JsonNode *
baton_session_to_json (BatonSession *session)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, session->id);
  baton_json_add_time (builder, "created_at", session->created_at);
  baton_json_add_time (builder, "last_used_at", session->last_used_at);
  baton_json_add_nullable_string (builder, "address", session->address);
  baton_json_add_nullable_string (builder, "user_agent", session->user_agent);
  json_builder_set_member_name (builder, "current");
  json_builder_add_boolean_value (builder, session->current);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

BatonSession *
baton_session_from_json (JsonNode *node)
{
  JsonObject *object = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  BatonSession *session = NULL;

  if (object == NULL || *baton_json_get_string (object, "id") == '\0')
    return NULL;
  session = baton_session_new ();
  session->id = baton_json_dup_string (object, "id");
  session->created_at = baton_json_get_time (object, "created_at");
  session->last_used_at = baton_json_get_time (object, "last_used_at");
  session->address = baton_json_dup_string (object, "address");
  session->user_agent = baton_json_dup_string (object, "user_agent");
  session->current = baton_json_get_bool (object, "current");
  return session;
}
