/* baton-channel.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-channel"

#include "config.h"

#include "baton-channel.h"
#include "baton-json.h"

G_DEFINE_BOXED_TYPE (BatonChannel, baton_channel, baton_channel_ref, baton_channel_unref)

BatonChannel *
baton_channel_new (void)
{
  return g_rc_box_new0 (BatonChannel);
}

BatonChannel *
baton_channel_ref (BatonChannel *channel)
{
  return g_rc_box_acquire (channel);
}

static void
channel_clear (BatonChannel *channel)
{
  g_free (channel->id);
  g_free (channel->name);
  g_free (channel->default_team_id);
  g_free (channel->default_user_id);
  g_free (channel->inbound_url);
  g_free (channel->inbound_secret);
  g_free (channel->phone_number_id);
  g_free (channel->display_phone_number);
  g_free (channel->waba_id);
  g_free (channel->graph_base_url);
  g_free (channel->state_message);
  g_free (channel->webhook_path);
  g_free (channel->access_token);
  g_free (channel->app_secret);
  g_free (channel->verify_token);
}

void
baton_channel_unref (BatonChannel *channel)
{
  g_rc_box_release_full (channel, (GDestroyNotify) channel_clear);
}

static void
add_string_if_set (JsonBuilder *builder,
                   const char  *member,
                   const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
}

JsonNode *
baton_channel_to_json (BatonChannel *channel,
                       gboolean      with_kind)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  gboolean whatsapp = channel->kind == BATON_CHANNEL_WHATSAPP;

  json_builder_begin_object (builder);
  if (with_kind)
    add_string_if_set (builder, "kind", baton_channel_kind_to_string (channel->kind));
  add_string_if_set (builder, "name", channel->name);
  baton_json_add_nullable_string (builder, "default_team_id", channel->default_team_id);
  baton_json_add_nullable_string (builder, "default_user_id", channel->default_user_id);
  if (whatsapp)
    {
      add_string_if_set (builder, "phone_number_id", channel->phone_number_id);
      baton_json_add_nullable_string (builder, "display_phone_number",
                                      channel->display_phone_number);
      baton_json_add_nullable_string (builder, "waba_id", channel->waba_id);
      baton_json_add_nullable_string (builder, "graph_base_url", channel->graph_base_url);
      add_string_if_set (builder, "access_token", channel->access_token);
      add_string_if_set (builder, "app_secret", channel->app_secret);
      add_string_if_set (builder, "verify_token", channel->verify_token);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Reads an object the server sent; NULL when node is not an object with an id. */
BatonChannel *
baton_channel_from_json (JsonNode *node)
{
  JsonObject *object = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  BatonChannel *channel = NULL;

  if (object == NULL || *baton_json_get_string (object, "id") == '\0')
    return NULL;
  channel = baton_channel_new ();
  channel->id = baton_json_dup_string (object, "id");
  channel->kind = MAX (0, baton_channel_kind_from_string (baton_json_get_string (object, "kind")));
  channel->name = baton_json_dup_string (object, "name");
  channel->default_team_id = baton_json_dup_string (object, "default_team_id");
  channel->default_user_id = baton_json_dup_string (object, "default_user_id");
  channel->inbound_url = baton_json_dup_string (object, "inbound_url");
  channel->inbound_secret = baton_json_dup_string (object, "inbound_secret");
  channel->phone_number_id = baton_json_dup_string (object, "phone_number_id");
  channel->display_phone_number = baton_json_dup_string (object, "display_phone_number");
  channel->waba_id = baton_json_dup_string (object, "waba_id");
  channel->graph_base_url = baton_json_dup_string (object, "graph_base_url");
  channel->has_access_token = baton_json_get_bool (object, "has_access_token");
  channel->has_app_secret = baton_json_get_bool (object, "has_app_secret");
  channel->has_verify_token = baton_json_get_bool (object, "has_verify_token");
  channel->paused = g_str_equal (baton_json_get_string (object, "state"), "paused");
  channel->state_message = baton_json_dup_string (object, "state_message");
  channel->webhook_path = baton_json_dup_string (object, "webhook_path");
  return channel;
}
