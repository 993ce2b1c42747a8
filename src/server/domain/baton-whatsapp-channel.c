/* baton-whatsapp-channel.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-whatsapp"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "baton-error.h"
#include "baton-json.h"
#include "baton-store-channels.h"
#include "baton-whatsapp-channel.h"

static void
free_secret (char *secret)
{
  if (secret)
    sodium_memzero (secret, strlen (secret));
  g_free (secret);
}

void
baton_whatsapp_channel_free (BatonWhatsappChannel *channel)
{
  if (channel == NULL)
    return;
  g_free (channel->id);
  g_free (channel->name);
  g_free (channel->phone_number_id);
  g_free (channel->display_phone_number);
  g_free (channel->waba_id);
  g_free (channel->graph_base_url);
  free_secret (channel->access_token);
  free_secret (channel->app_secret);
  free_secret (channel->verify_token);
  g_free (channel->paused_reason);
  g_free (channel);
}

static BatonWhatsappChannel *
channel_from_row (BatonChannelRow *row)
{
  BatonWhatsappChannel *channel = g_new0 (BatonWhatsappChannel, 1);
  g_autoptr(JsonObject) config = NULL;
  g_autoptr(JsonObject) secrets = NULL;

  channel->id = g_strdup (row->id);
  channel->name = g_strdup (row->name);
  channel->phone_number_id = g_strdup (row->phone_number_id);
  config = row->config ? baton_json_parse_object (row->config, strlen (row->config), NULL)
                       : NULL;
  secrets = row->secrets ? baton_json_parse_object (row->secrets, strlen (row->secrets), NULL)
                         : NULL;
  channel->display_phone_number = baton_json_dup_string (config, "display_phone_number");
  channel->waba_id = baton_json_dup_string (config, "waba_id");
  channel->graph_base_url = baton_json_dup_string (config, "graph_base_url");
  if (channel->graph_base_url == NULL)
    channel->graph_base_url = g_strdup (BATON_WHATSAPP_GRAPH_DEFAULT_BASE_URL);
  channel->access_token = baton_json_dup_string (secrets, "access_token");
  channel->app_secret = baton_json_dup_string (secrets, "app_secret");
  channel->verify_token = baton_json_dup_string (secrets, "verify_token");
  channel->paused_reason = g_strdup (row->paused_reason);
  return channel;
}

BatonWhatsappChannel *
baton_whatsapp_channel_load (BatonStore  *store,
                             const char  *id,
                             GError     **error)
{
  GError *local_error = NULL;
  g_autoptr(BatonChannelRow) row = baton_store_channels_get (store, id, &local_error);

  if (local_error)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (row == NULL || g_strcmp0 (row->kind, "whatsapp") != 0)
    {
      g_set_error (error, BATON_ERROR, BATON_ERROR_NOT_FOUND, "No WhatsApp channel with id %s",
                   id);
      return NULL;
    }
  return channel_from_row (row);
}

BatonWhatsappChannel *
baton_whatsapp_channel_find_number (BatonStore  *store,
                                    const char  *phone_number_id,
                                    GError     **error)
{
  GError *local_error = NULL;
  g_autoptr(BatonChannelRow) row = baton_store_channels_find_number (store, phone_number_id,
                                                                     &local_error);

  if (local_error)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (row == NULL)
    {
      g_set_error (error, BATON_ERROR, BATON_ERROR_NOT_FOUND,
                   "No WhatsApp channel for phone number id %s", phone_number_id);
      return NULL;
    }
  return channel_from_row (row);
}

GPtrArray *
baton_whatsapp_channel_list (BatonStore  *store,
                             GError     **error)
{
  g_autoptr(GPtrArray) rows = baton_store_channels_list (store, "whatsapp", error);
  GPtrArray *channels = NULL;

  if (rows == NULL)
    return NULL;
  channels = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_whatsapp_channel_free);
  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (channels, channel_from_row (rows->pdata[i]));
  return channels;
}

/* Graph ids are decimal strings; a number is kept as the string it was given. */
static gboolean
is_graph_id (const char *value)
{
  gsize length = strlen (value);

  if (length == 0 || length > 32)
    return FALSE;
  for (const char *p = value; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

/* Tokens and secrets are printable ASCII without spaces: what Meta issues and what a header
 * can carry. */
static gboolean
is_token (const char *value,
          gsize       max_length)
{
  gsize length = strlen (value);

  if (length == 0 || length > max_length)
    return FALSE;
  for (const char *p = value; *p; p++)
    if (*p <= ' ' || *p > '~')
      return FALSE;
  return TRUE;
}

static gboolean
is_display_number (const char *value)
{
  gsize length = strlen (value);

  if (length == 0 || length > 32)
    return FALSE;
  for (const char *p = value; *p; p++)
    if (!g_ascii_isdigit (*p) && !strchr ("+ -()", *p))
      return FALSE;
  return TRUE;
}

static char *
normalize_base_url (const char  *value,
                    GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (value, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri ? g_uri_get_scheme (uri) : NULL;
  g_autofree char *url = NULL;

  if (uri == NULL || strlen (value) > 512
      || (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0)
      || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0'
      || g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      baton_set_field_error (error, "graph_base_url",
                             "graph_base_url must be an http(s) URL with the API version, "
                             "such as %s", BATON_WHATSAPP_GRAPH_DEFAULT_BASE_URL);
      return NULL;
    }
  url = g_strdup (value);
  while (g_str_has_suffix (url, "/"))
    url[strlen (url) - 1] = '\0';
  return g_steal_pointer (&url);
}

typedef gboolean (*Check) (const char *value);

static gboolean
read_member (JsonObject  *body,
             const char  *member,
             gboolean     required,
             gboolean     nullable,
             Check        check,
             const char  *explanation,
             char       **target,
             GError     **error)
{
  const char *value = NULL;
  BatonJsonFlags flags = (required ? BATON_JSON_REQUIRED : 0)
                         | (nullable ? BATON_JSON_NULLABLE : 0);

  if (!baton_json_read_string (body, member, flags, &value, error))
    return FALSE;
  if (!baton_json_has (body, member))
    return TRUE;
  if (value && !check (value))
    {
      baton_set_field_error (error, member, "%s %s", member, explanation);
      return FALSE;
    }
  g_free (*target);
  *target = g_strdup (value);
  return TRUE;
}

static gboolean
is_access_token (const char *value)
{
  return is_token (value, 4096);
}

static gboolean
is_short_secret (const char *value)
{
  return is_token (value, 256);
}

gboolean
baton_whatsapp_channel_read (BatonWhatsappChannel  *channel,
                             JsonObject            *body,
                             gboolean               creating,
                             GError               **error)
{
  const char *base_url = NULL;

  if (!read_member (body, "phone_number_id", creating, FALSE, is_graph_id,
                    "must be the number's id from the WhatsApp Manager (digits)",
                    &channel->phone_number_id, error)
      || !read_member (body, "display_phone_number", FALSE, TRUE, is_display_number,
                       "must be a phone number", &channel->display_phone_number, error)
      || !read_member (body, "waba_id", FALSE, TRUE, is_graph_id,
                       "must be the WhatsApp Business Account id (digits)",
                       &channel->waba_id, error)
      || !read_member (body, "access_token", creating, FALSE, is_access_token,
                       "must be the system user's access token (no spaces)",
                       &channel->access_token, error)
      || !read_member (body, "app_secret", creating, FALSE, is_short_secret,
                       "must be the app secret (no spaces, at most 256 characters)",
                       &channel->app_secret, error)
      || !read_member (body, "verify_token", creating, FALSE, is_short_secret,
                       "must be printable without spaces, at most 256 characters",
                       &channel->verify_token, error)
      || !baton_json_read_string (body, "graph_base_url", BATON_JSON_NULLABLE, &base_url,
                                  error))
    return FALSE;
  if (base_url)
    {
      g_autofree char *url = normalize_base_url (base_url, error);

      if (url == NULL)
        return FALSE;
      g_free (channel->graph_base_url);
      channel->graph_base_url = g_steal_pointer (&url);
    }
  else if (baton_json_has (body, "graph_base_url") || channel->graph_base_url == NULL)
    {
      g_free (channel->graph_base_url);
      channel->graph_base_url = g_strdup (BATON_WHATSAPP_GRAPH_DEFAULT_BASE_URL);
    }
  /* New credentials deserve a new try: a pause for a refused token ends with the edit. */
  if (baton_json_has (body, "access_token"))
    g_clear_pointer (&channel->paused_reason, g_free);
  return TRUE;
}

gboolean
baton_whatsapp_channel_save (BatonWhatsappChannel  *channel,
                             BatonStore            *store,
                             GError               **error)
{
  g_autoptr(JsonBuilder) config = json_builder_new_immutable ();
  g_autoptr(JsonBuilder) secrets = json_builder_new_immutable ();
  g_autoptr(JsonNode) config_root = NULL;
  g_autoptr(JsonNode) secrets_root = NULL;
  g_autofree char *config_text = NULL;
  g_autofree char *secrets_text = NULL;
  BatonChannelRow row = { 0 };
  gboolean saved;

  json_builder_begin_object (config);
  baton_json_add_nullable_string (config, "display_phone_number",
                                  channel->display_phone_number);
  baton_json_add_nullable_string (config, "waba_id", channel->waba_id);
  baton_json_add_nullable_string (config, "graph_base_url", channel->graph_base_url);
  json_builder_end_object (config);
  json_builder_begin_object (secrets);
  baton_json_add_nullable_string (secrets, "access_token", channel->access_token);
  baton_json_add_nullable_string (secrets, "app_secret", channel->app_secret);
  baton_json_add_nullable_string (secrets, "verify_token", channel->verify_token);
  json_builder_end_object (secrets);
  config_root = json_builder_get_root (config);
  secrets_root = json_builder_get_root (secrets);
  config_text = baton_json_to_string (config_root);
  secrets_text = baton_json_to_string (secrets_root);

  row.id = channel->id;
  row.phone_number_id = channel->phone_number_id;
  row.config = config_text;
  row.secrets = secrets_text;
  row.paused_reason = channel->paused_reason;
  saved = baton_store_channels_set_whatsapp (store, &row, error);
  if (secrets_text)
    sodium_memzero (secrets_text, strlen (secrets_text));
  if (!saved)
    {
      if (g_error_matches (*error, BATON_ERROR, BATON_ERROR_CONFLICT))
        {
          g_clear_error (error);
          baton_set_field_error (error, "phone_number_id",
                                 "Another channel already uses phone number id %s",
                                 channel->phone_number_id);
          (*error)->code = BATON_ERROR_CONFLICT;
        }
      return FALSE;
    }
  return TRUE;
}

void
baton_whatsapp_channel_add_public (BatonStore  *store,
                                   const char  *id,
                                   JsonBuilder *builder)
{
  g_autoptr(BatonWhatsappChannel) channel = baton_whatsapp_channel_load (store, id, NULL);

  if (channel == NULL)
    return;
  baton_json_add_nullable_string (builder, "phone_number_id", channel->phone_number_id);
  baton_json_add_nullable_string (builder, "display_phone_number",
                                  channel->display_phone_number);
  baton_json_add_nullable_string (builder, "waba_id", channel->waba_id);
  baton_json_add_nullable_string (builder, "graph_base_url", channel->graph_base_url);
  json_builder_set_member_name (builder, "has_access_token");
  json_builder_add_boolean_value (builder, channel->access_token != NULL);
  json_builder_set_member_name (builder, "has_app_secret");
  json_builder_add_boolean_value (builder, channel->app_secret != NULL);
  json_builder_set_member_name (builder, "has_verify_token");
  json_builder_add_boolean_value (builder, channel->verify_token != NULL);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, channel->paused_reason ? "paused" : "ok");
  baton_json_add_nullable_string (builder, "state_message", channel->paused_reason);
  json_builder_set_member_name (builder, "webhook_path");
  json_builder_add_string_value (builder, "/webhooks/whatsapp");
}
