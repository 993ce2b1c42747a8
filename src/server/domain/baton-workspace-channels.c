/* baton-workspace-channels.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-workspace"

#include "config.h"

#include "baton-auth.h"
#include "baton-error.h"
#include "baton-id.h"
#include "baton-json.h"
#include "baton-store-channels.h"
#include "baton-store-contacts.h"
#include "baton-store-conversations.h"
#include "baton-store-events.h"
#include "baton-store-messages.h"
#include "baton-store-snapshot.h"
#include "baton-workspace-private.h"

/* Channels: where conversations come from. An api channel has an inbound URL and secret,
 * a WhatsApp one a business number and its credentials (baton-whatsapp-channel.c). */

static JsonNode *
channel_to_json (BatonWorkspace  *self,
                 BatonChannelRow *row)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, row->id);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, row->kind);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, row->name);
  baton_json_add_nullable_string (builder, "default_team_id", row->default_team_id);
  baton_json_add_nullable_string (builder, "default_user_id", row->default_user_id);
  if (g_strcmp0 (row->kind, "api") == 0)
    {
      g_autofree char *inbound_url = g_strdup_printf ("/api/v1/channels/%s/inbound", row->id);

      json_builder_set_member_name (builder, "inbound_url");
      json_builder_add_string_value (builder, inbound_url);
    }
  else if (g_strcmp0 (row->kind, "whatsapp") == 0)
    {
      baton_whatsapp_channel_add_public (self->store, row->id, builder);
    }
  baton_json_add_time (builder, "created_at", row->created_at);
  baton_json_add_time (builder, "updated_at", row->updated_at);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static BatonChannelRow *
get_channel (BatonWorkspace  *self,
             const char      *id,
             GError         **error)
{
  GError *local_error = NULL;

  return baton_workspace_found (baton_store_channels_get (self->store, id, &local_error),
                                local_error, error, "channel", id);
}

JsonNode *
baton_workspace_load_channel (BatonWorkspace  *self,
                              const char      *id,
                              GError         **error)
{
  g_autoptr(BatonChannelRow) row = get_channel (self, id, error);

  return row ? channel_to_json (self, row) : NULL;
}

/* a WhatsApp channel's number and credentials, to change them */
BatonWhatsappChannel *
baton_workspace_load_whatsapp_channel (BatonWorkspace  *self,
                                       const char      *id,
                                       GError         **error)
{
  return baton_whatsapp_channel_load (self->store, id, error);
}

/* every channel's JSON, oldest first */
GPtrArray *
baton_workspace_list_channels (BatonWorkspace  *self,
                               GError         **error)
{
  g_autoptr(GPtrArray) rows = baton_store_channels_list (self->store, NULL, error);
  GPtrArray *channels = NULL;

  if (rows == NULL)
    return NULL;
  channels = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (channels, channel_to_json (self, rows->pdata[i]));
  return channels;
}

/* NOT_FOUND unless id is an api channel, UNAUTHORIZED unless secret is its secret. */
gboolean
baton_workspace_check_inbound_secret (BatonWorkspace  *self,
                                      const char      *id,
                                      const char      *secret,
                                      GError         **error)
{
  GError *local_error = NULL;
  const BatonChannelRow *row = baton_workspace_directory_channel (self, id, &local_error);

  if (local_error)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (row == NULL || g_strcmp0 (row->kind, "api") != 0)
    {
      g_set_error (error, BATON_ERROR, BATON_ERROR_NOT_FOUND, "No api channel with id %s", id);
      return FALSE;
    }
  if (!baton_auth_secret_matches (row->inbound_secret_hash, secret))
    {
      g_set_error_literal (error, BATON_ERROR, BATON_ERROR_UNAUTHORIZED,
                           "X-Baton-Channel-Secret is missing or wrong");
      return FALSE;
    }
  return TRUE;
}

typedef struct {
  const char *id;
  const BatonChannelPatch *patch;
  BatonWhatsappChannel *whatsapp;
  const char *secret_hash;
} ChannelChange;

/* The channel as it now is, published as "channel.updated". */
static JsonNode *
emit_channel (BatonWorkspace  *self,
              const char      *id,
              GError         **error)
{
  JsonNode *channel = baton_workspace_load_channel (self, id, error);

  if (channel == NULL)
    return NULL;
  if (!baton_workspace_emit (self, "channel.updated", NULL, json_node_copy (channel), error))
    {
      json_node_unref (channel);
      return NULL;
    }
  return channel;
}

static gpointer
create_channel_change (BatonWorkspace  *self,
                       gpointer         data,
                       GError         **error)
{
  ChannelChange *change = data;
  const BatonChannelPatch *patch = change->patch;
  gint64 now = baton_workspace_now (self);
  BatonChannelRow row = {
    .id = (char *) change->id, .kind = (char *) patch->kind, .name = (char *) patch->name,
    .default_team_id = (char *) patch->default_team_id,
    .default_user_id = (char *) patch->default_user_id,
    .inbound_secret_hash = (char *) change->secret_hash, .created_at = now, .updated_at = now,
  };

  if (!baton_store_channels_insert (self->store, &row, error)
      || (change->whatsapp && !baton_whatsapp_channel_save (change->whatsapp, self->store, error)))
    return NULL;
  return emit_channel (self, change->id, error);
}

/* A new channel of patch->kind: a WhatsApp one with whatsapp's number and credentials, an
 * api one with a new inbound secret, shown this once ("inbound_secret"). Its JSON. */
JsonNode *
baton_workspace_create_channel (BatonWorkspace           *self,
                                const BatonChannelPatch  *patch,
                                BatonWhatsappChannel     *whatsapp,
                                GError                  **error)
{
  g_autofree char *id = baton_id_new ("chn", baton_workspace_now (self));
  g_autofree char *secret = whatsapp ? NULL : baton_auth_new_secret ();
  g_autofree char *secret_hash = secret ? baton_auth_hash_secret (secret) : NULL;
  ChannelChange change = { id, patch, whatsapp, secret_hash };
  JsonNode *channel = NULL;

  if (whatsapp)
    {
      g_free (whatsapp->id);
      whatsapp->id = g_strdup (id);
    }
  channel = baton_workspace_run (self, create_channel_change, &change,
                                 (GDestroyNotify) json_node_unref, error);
  if (channel == NULL)
    return NULL;
  if (whatsapp)
    baton_workspace_channel_saved (self, id);
  else
    json_object_set_string_member (json_node_get_object (channel), "inbound_secret", secret);
  return channel;
}

static gpointer
update_channel_change (BatonWorkspace  *self,
                       gpointer         data,
                       GError         **error)
{
  ChannelChange *change = data;
  const BatonChannelPatch *patch = change->patch;
  g_autoptr(BatonChannelRow) row = get_channel (self, change->id, error);

  if (row == NULL
      || !baton_store_channels_update (self->store, change->id, patch->name,
                                       patch->set_default_team, patch->default_team_id,
                                       patch->set_default_user, patch->default_user_id,
                                       baton_workspace_now (self), error)
      || (change->whatsapp && !baton_whatsapp_channel_save (change->whatsapp, self->store, error)))
    return NULL;
  return emit_channel (self, change->id, error);
}

/* The members patch sets change, and whatsapp's number and credentials for a WhatsApp
 * channel. Its JSON. */
JsonNode *
baton_workspace_update_channel (BatonWorkspace           *self,
                                const char               *id,
                                const BatonChannelPatch  *patch,
                                BatonWhatsappChannel     *whatsapp,
                                GError                  **error)
{
  ChannelChange change = { id, patch, whatsapp, NULL };
  JsonNode *channel = baton_workspace_run (self, update_channel_change, &change,
                                           (GDestroyNotify) json_node_unref, error);

  if (channel && whatsapp)
    baton_workspace_channel_saved (self, id);
  return channel;
}

static gpointer
delete_channel_change (BatonWorkspace  *self,
                       gpointer         data,
                       GError         **error)
{
  const char *id = data;
  g_autoptr(BatonChannelRow) row = get_channel (self, id, error);
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  gint64 used;

  if (row == NULL)
    return NULL;
  /* Deleting would take its conversations with it: messages are never lost that way. */
  used = baton_store_conversations_count_channel (self->store, id, error);
  if (used < 0)
    return NULL;
  if (used > 0)
    {
      g_set_error (error, BATON_ERROR, BATON_ERROR_CONFLICT,
                   "This channel has %" G_GINT64_FORMAT " conversations; it cannot be deleted",
                   used);
      return NULL;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "deleted");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_end_object (builder);
  if (!baton_store_channels_delete (self->store, id, error)
      || !baton_workspace_emit (self, "channel.updated", NULL, json_builder_get_root (builder),
                                error))
    return NULL;
  return self;
}

/* NOT_FOUND, or CONFLICT while the channel has conversations. */
gboolean
baton_workspace_delete_channel (BatonWorkspace  *self,
                                const char      *id,
                                GError         **error)
{
  return baton_workspace_apply (self, delete_channel_change, (gpointer) id, NULL, error);
}

/* The WhatsApp channel of this business number; NOT_FOUND when there is none. */
BatonWhatsappChannel *
baton_workspace_find_whatsapp_number (BatonWorkspace  *self,
                                      const char      *phone_number_id,
                                      GError         **error)
{
  return baton_whatsapp_channel_find_number (self->store, phone_number_id, error);
}
