/* baton-canned-reply.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-canned-reply"

#include "config.h"

#include <string.h>

#include "baton-canned-reply.h"
#include "baton-json.h"

G_DEFINE_BOXED_TYPE (BatonCannedReply, baton_canned_reply, baton_canned_reply_ref,
                     baton_canned_reply_unref)

BatonCannedReply *
baton_canned_reply_new (void)
{
  return g_rc_box_new0 (BatonCannedReply);
}

BatonCannedReply *
baton_canned_reply_ref (BatonCannedReply *reply)
{
  return g_rc_box_acquire (reply);
}

static void
canned_reply_clear (BatonCannedReply *reply)
{
  g_free (reply->id);
  g_free (reply->shortcut);
  g_free (reply->title);
  g_free (reply->body);
  g_free (reply->owner_id);
}

void
baton_canned_reply_unref (BatonCannedReply *reply)
{
  g_rc_box_release_full (reply, (GDestroyNotify) canned_reply_clear);
}

JsonNode *
baton_canned_reply_to_json (BatonCannedReply *reply)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, reply->id);
  json_builder_set_member_name (builder, "shortcut");
  json_builder_add_string_value (builder, reply->shortcut);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, reply->title);
  json_builder_set_member_name (builder, "body");
  json_builder_add_string_value (builder, reply->body);
  baton_json_add_nullable_string (builder, "owner_id", reply->owner_id);
  baton_json_add_time (builder, "created_at", reply->created_at);
  baton_json_add_time (builder, "updated_at", reply->updated_at);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

BatonCannedReply *
baton_canned_reply_from_json (JsonNode *node)
{
  JsonObject *object = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  BatonCannedReply *reply = NULL;

  if (object == NULL || *baton_json_get_string (object, "id") == '\0')
    return NULL;
  reply = baton_canned_reply_new ();
  reply->id = baton_json_dup_string (object, "id");
  reply->shortcut = baton_json_dup_string (object, "shortcut");
  reply->title = baton_json_dup_string (object, "title");
  reply->body = baton_json_dup_string (object, "body");
  reply->owner_id = baton_json_dup_string (object, "owner_id");
  reply->created_at = baton_json_get_time (object, "created_at");
  reply->updated_at = baton_json_get_time (object, "updated_at");
  return reply;
}

char *
baton_canned_reply_fill (const char *body,
                         const char *contact_name,
                         const char *agent_name)
{
  static const char *const names[] = { "{{contact.name}}", "{{agent.name}}" };
  const char *values[] = { contact_name ? contact_name : "", agent_name ? agent_name : "" };
  GString *filled = g_string_new (NULL);
  const char *p = body;

  g_return_val_if_fail (body != NULL, NULL);

  /* one pass: a name that itself holds "{{agent.name}}" is not filled again */
  while (*p)
    {
      gboolean replaced = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (names) && !replaced; i++)
        if (g_str_has_prefix (p, names[i]))
          {
            g_string_append (filled, values[i]);
            p += strlen (names[i]);
            replaced = TRUE;
          }
      if (!replaced)
        g_string_append_c (filled, *p++);
    }
  return g_string_free (filled, FALSE);
}

gboolean
baton_canned_reply_matches (BatonCannedReply *reply,
                            const char       *query)
{
  g_autofree char *wanted = NULL;
  g_autofree char *shortcut = NULL;
  g_autofree char *title = NULL;

  g_return_val_if_fail (reply != NULL, FALSE);

  if (query == NULL || *query == '\0')
    return TRUE;
  wanted = g_utf8_casefold (query, -1);
  shortcut = g_utf8_casefold (reply->shortcut ? reply->shortcut : "", -1);
  title = g_utf8_casefold (reply->title ? reply->title : "", -1);
  return g_str_has_prefix (shortcut, wanted) || strstr (title, wanted) != NULL;
}
