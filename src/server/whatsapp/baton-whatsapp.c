/* baton-whatsapp.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-whatsapp"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>

#include "baton-error.h"
#include "baton-id.h"
#include "baton-json.h"
#include "baton-pace.h"
#include "baton-store-deliveries.h"
#include "baton-store-nodes.h"
#include "baton-store-media.h"
#include "baton-store-outbox.h"
#include "baton-store-templates.h"
#include "baton-store-uploads.h"
#include "baton-whatsapp.h"
#include "baton-whatsapp-channel.h"
#include "baton-whatsapp-signature.h"
#include "baton-whatsapp-webhook.h"

/* Stored deliveries are processed in turns of at most this long, at the priority of requests:
 * under a burst of webhooks, routing keeps pace instead of waiting for the burst to end,
 * and no turn holds up the answers for long. */
#define PROCESS_TURN_US (10 * 1000)
#define DELIVERIES_PER_QUERY 20
#define PROCESS_BEHIND_MS 250
/* Webhooks arriving faster than routing can follow: a short turn of routing at most this
 * often, so that answering them keeps the machine's cores (see process_schedule). */
#define PROCESS_YIELD_MS 25
#define PROCESS_YIELD_TURN_US (2 * 1000)
/* the share of this thread routing would need for the arrivals, past which it cannot follow */
#define ROUTING_SHARE_MAX 0.9
/* outbox requests in flight at once, over every number */
#define MAX_IN_FLIGHT 16
#define MAX_ATTEMPTS 12
#define FIRST_BACKOFF_MS 2000
#define MAX_BACKOFF_MS (15 * 60 * 1000)
/* Meta's pair rate limit: about one message every 6 s to one user */
#define RECIPIENT_BACKOFF_MS 6000
/* a status can beat the send answer that tells us its wamid (REFERENCE.md §5) */
#define HOLD_STATUS_MS (60 * 1000)
#define TEMPLATES_MAX_AGE_MS (10 * 60 * 1000)
#define MAX_MEDIA_BYTES (100 * 1024 * 1024)
#define DELIVERY_RETENTION_MS ((gint64) 7 * 24 * 60 * 60 * 1000)
/* Several nodes: an outbox entry is the sending node's this long (a media reply is an
 * upload and a send, each up to the Graph client's 30 s), and each node looks for work
 * every few seconds, since the node that queued it or received it may have died. */
#define OUTBOX_CLAIM_MS (2 * 60 * 1000)
#define SHARED_POLL_S 2
/* Stored webhooks are processed by one node at a time, in the order they were stored, as
 * one node does; another takes over once the lease lapses. */
#define PROCESSING_LEASE "webhook-deliveries"
#define PROCESSING_LEASE_MS (10 * 1000)

typedef struct {
  char *channel_id;
  BatonWaStatus *status;
  gint64 expires_at;
} HeldStatus;

struct _BatonWhatsapp
{
  GObject parent_instance;

  BatonWorkspace *workspace;
  BatonWhatsappGraph *graph;
  GCancellable *cancellable;
  char *media_dir;
  gulong outbox_handler;
  gulong channel_handler;
  gulong elsewhere_handler;

  guint process_source;
  /* routing fell PROCESS_BEHIND_MS behind: webhooks are answered first */
  gboolean processing_behind;
  /* webhooks accepted, and what routing one costs this thread */
  BatonPace pace;
  guint outbox_source;
  guint outbox_timer;
  gint64 outbox_timer_due;
  /* outbox entries being sent (n) */
  GHashTable *in_flight;
  /* channel id → when the number may send again (130429) */
  GHashTable *number_blocked_until;
  GPtrArray *held_statuses;
  /* conversation id → the wamid last marked as read */
  GHashTable *read_marked;
  /* channel id → when its templates were last synced */
  GHashTable *templates_synced;
  guint64 alerts;
  /* broken webhook items skipped (an id that is not a string, …) */
  guint64 skipped_items;
  gboolean stopped;
  /* other nodes share the database: their deliveries and outbox are looked at too */
  guint shared_poll;
  /* stored webhooks this node processed (/metrics) */
  guint64 deliveries_processed;
};

G_DEFINE_FINAL_TYPE (BatonWhatsapp, baton_whatsapp, G_TYPE_OBJECT)

static void outbox_schedule (BatonWhatsapp *self);
static void process_schedule (BatonWhatsapp *self);

static void
held_status_free (HeldStatus *held)
{
  g_free (held->channel_id);
  baton_wa_status_free (held->status);
  g_free (held);
}

static void
baton_whatsapp_dispose (GObject *object)
{
  BatonWhatsapp *self = BATON_WHATSAPP (object);

  baton_whatsapp_stop (self);
  g_clear_object (&self->graph);
  g_clear_object (&self->cancellable);
  if (self->workspace)
    {
      g_clear_signal_handler (&self->outbox_handler, self->workspace);
      g_clear_signal_handler (&self->channel_handler, self->workspace);
      g_clear_signal_handler (&self->elsewhere_handler, self->workspace);
    }
  g_clear_object (&self->workspace);
  G_OBJECT_CLASS (baton_whatsapp_parent_class)->dispose (object);
}

static void
baton_whatsapp_finalize (GObject *object)
{
  BatonWhatsapp *self = BATON_WHATSAPP (object);

  g_free (self->media_dir);
  g_hash_table_unref (self->in_flight);
  g_hash_table_unref (self->number_blocked_until);
  g_ptr_array_unref (self->held_statuses);
  g_hash_table_unref (self->read_marked);
  g_hash_table_unref (self->templates_synced);
  G_OBJECT_CLASS (baton_whatsapp_parent_class)->finalize (object);
}

static void
baton_whatsapp_class_init (BatonWhatsappClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = baton_whatsapp_dispose;
  object_class->finalize = baton_whatsapp_finalize;
}

static void
baton_whatsapp_init (BatonWhatsapp *self)
{
  self->graph = baton_whatsapp_graph_new ();
  self->cancellable = g_cancellable_new ();
  self->in_flight = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->number_blocked_until = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->held_statuses = g_ptr_array_new_with_free_func ((GDestroyNotify) held_status_free);
  self->read_marked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->templates_synced = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static BatonStore *
store_of (BatonWhatsapp *self)
{
  return baton_workspace_get_store (self->workspace);
}

static gint64
now_ms (BatonWhatsapp *self)
{
  return baton_workspace_now (self->workspace);
}

static void
outbox_queued_cb (BatonWorkspace *workspace,
                  BatonWhatsapp  *self)
{
  outbox_schedule (self);
}

static void
channel_saved_cb (BatonWorkspace *workspace,
                  const char     *channel_id,
                  BatonWhatsapp  *self)
{
  /* New credentials: templates are fetched again and a paused queue moves. */
  g_hash_table_remove (self->templates_synced, channel_id);
  g_hash_table_remove (self->number_blocked_until, channel_id);
  outbox_schedule (self);
}

BatonWhatsapp *
baton_whatsapp_new (BatonWorkspace *workspace,
                    const char     *media_dir)
{
  BatonWhatsapp *self = g_object_new (BATON_TYPE_WHATSAPP, NULL);

  self->workspace = g_object_ref (workspace);
  self->media_dir = g_strdup (media_dir);
  self->outbox_handler = g_signal_connect (workspace, "outbox-queued",
                                           G_CALLBACK (outbox_queued_cb), self);
  self->channel_handler = g_signal_connect (workspace, "channel-saved",
                                            G_CALLBACK (channel_saved_cb), self);
  self->elsewhere_handler = g_signal_connect_swapped (workspace, "written-elsewhere",
                                                      G_CALLBACK (process_schedule), self);
  return self;
}

const char *
baton_whatsapp_get_media_dir (BatonWhatsapp *self)
{
  return self->media_dir;
}

void
baton_whatsapp_stop (BatonWhatsapp *self)
{
  self->stopped = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->process_source, g_source_remove);
  g_clear_handle_id (&self->outbox_source, g_source_remove);
  g_clear_handle_id (&self->shared_poll, g_source_remove);
  if (self->outbox_timer && self->workspace)
    baton_timers_remove (baton_workspace_get_timers (self->workspace), self->outbox_timer);
  self->outbox_timer = 0;
}

guint64
baton_whatsapp_get_alerts (BatonWhatsapp *self)
{
  return self->alerts;
}

guint64
baton_whatsapp_get_skipped_items (BatonWhatsapp *self)
{
  return self->skipped_items;
}

guint
baton_whatsapp_get_unprocessed (BatonWhatsapp *self)
{
  gint64 count = baton_store_deliveries_count_unprocessed (store_of (self), NULL);

  return count > 0 ? (guint) count : 0;
}

guint
baton_whatsapp_get_pending (BatonWhatsapp *self)
{
  gint64 count = baton_store_outbox_count (store_of (self), NULL);

  return count > 0 ? (guint) count : 0;
}

/* Webhook: handshake and authentication */

gboolean
baton_whatsapp_verify_token (BatonWhatsapp *self,
                             const char    *token)
{
  g_autoptr(GPtrArray) channels = baton_whatsapp_channel_list (store_of (self), NULL);
  gboolean matches = FALSE;

  if (token == NULL || channels == NULL)
    return FALSE;
  /* every number is compared, in constant time, whichever matches */
  for (guint i = 0; i < channels->len; i++)
    {
      BatonWhatsappChannel *channel = channels->pdata[i];
      gsize length = channel->verify_token ? strlen (channel->verify_token) : 0;

      if (length > 0 && length == strlen (token)
          && sodium_memcmp (channel->verify_token, token, length) == 0)
        matches = TRUE;
    }
  return matches;
}

static char *
secret_digest (const char *secret)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, secret, -1);
}

char *
baton_whatsapp_authenticate (BatonWhatsapp *self,
                             const char    *body,
                             gsize          length,
                             const char    *signature)
{
  g_autoptr(GPtrArray) channels = NULL;

  if (signature == NULL)
    return NULL;
  channels = baton_workspace_list_whatsapp_channels (self->workspace, NULL);
  for (guint i = 0; channels && i < channels->len; i++)
    {
      BatonWhatsappChannel *channel = channels->pdata[i];

      if (channel->app_secret
          && baton_whatsapp_signature_matches (channel->app_secret, body, length, signature))
        return secret_digest (channel->app_secret);
    }
  return NULL;
}

static gboolean process_cb    (gpointer user_data);
static gboolean outbox_run_cb (gpointer user_data);

/* Work for a coming main loop turn, once however often it is asked for. */
static void
schedule (BatonWhatsapp *self,
          guint         *source,
          int            priority,
          GSourceFunc    func)
{
  if (*source == 0 && !self->stopped)
    *source = g_idle_add_full (priority, func, self, NULL);
}

/* Whether webhooks arrive faster than this thread could route them, even doing nothing
 * else: routing cannot catch up before the burst ends. */
static gboolean
routing_outpaced (BatonWhatsapp *self)
{
  return baton_pace_outpaced (&self->pace, g_get_monotonic_time (), ROUTING_SHARE_MAX);
}

/* Deliveries are processed as soon as possible, in turns of PROCESS_TURN_US between the
 * loop's other work; but once routing is more than PROCESS_BEHIND_MS behind, the server is
 * overloaded and answering webhooks comes first (Meta redelivers what it waits too long
 * for, adding to the load): processing then waits until this thread has nothing else to
 * do. When webhooks even arrive faster than routing could follow, it takes only a short
 * turn every PROCESS_YIELD_MS: the network's thread, answering them, needs the other core
 * whole, and the backlog is routed once the burst ends. */
static void
process_schedule (BatonWhatsapp *self)
{
  if (self->process_source || self->stopped)
    return;
  if (!self->processing_behind)
    schedule (self, &self->process_source, G_PRIORITY_DEFAULT, process_cb);
  else if (routing_outpaced (self))
    self->process_source = g_timeout_add_full (G_PRIORITY_DEFAULT_IDLE, PROCESS_YIELD_MS,
                                               process_cb, self, NULL);
  else
    schedule (self, &self->process_source, G_PRIORITY_DEFAULT_IDLE, process_cb);
}

typedef struct {
  gint64 received_at;
  const char *text;
  const char *digest;
} Accepted;

static gpointer
accept_change (BatonWorkspace  *workspace,
               gpointer         data,
               GError         **error)
{
  Accepted *accepted = data;

  return baton_store_deliveries_insert (baton_workspace_get_store (workspace),
                                        accepted->received_at, accepted->text,
                                        accepted->digest, error) ? accepted : NULL;
}

gboolean
baton_whatsapp_accept (BatonWhatsapp  *self,
                       const char     *body,
                       gsize           length,
                       const char     *digest,
                       GError        **error)
{
  g_autofree char *text = g_strndup (body, length);
  Accepted accepted = { now_ms (self), text, digest };

  /* Meta will not send it again once answered 200: the server answers after the commit is
   * synced (baton_store_sync_async), power cut included. A change like any other, the body
   * shares its turn's commit instead of being a commit of its own. */
  if (!baton_workspace_apply (self->workspace, accept_change, &accepted, NULL, error))
    return FALSE;
  baton_pace_arrived (&self->pace, g_get_monotonic_time ());
  process_schedule (self);
  return TRUE;
}

/* Processing a delivery */

typedef struct {
  BatonWhatsapp *self;
  const char *digest;
  /* phone_number_id → channel id, or "" for a number this delivery may not speak for */
  GHashTable *channels;
} Delivery;

static const char *
delivery_channel (Delivery   *delivery,
                  const char *phone_number_id)
{
  const char *known = NULL;
  g_autoptr(GPtrArray) channels = NULL;
  BatonWhatsappChannel *channel = NULL;
  g_autofree char *digest = NULL;

  if (phone_number_id == NULL)
    return NULL;
  known = g_hash_table_lookup (delivery->channels, phone_number_id);
  if (known)
    return *known ? known : NULL;
  channels = baton_workspace_list_whatsapp_channels (delivery->self->workspace, NULL);
  for (guint i = 0; channels && i < channels->len && channel == NULL; i++)
    if (g_strcmp0 (((BatonWhatsappChannel *) channels->pdata[i])->phone_number_id,
                   phone_number_id) == 0)
      channel = channels->pdata[i];
  if (channel && channel->app_secret)
    digest = secret_digest (channel->app_secret);
  /* A body signed with one app's secret only speaks for that app's numbers. */
  if (channel == NULL || g_strcmp0 (digest, delivery->digest) != 0)
    {
      g_message ("WhatsApp delivery for number %s ignored: %s", phone_number_id,
                 channel ? "signed with another app's secret" : "no channel has this number");
      g_hash_table_insert (delivery->channels, g_strdup (phone_number_id), g_strdup (""));
      return NULL;
    }
  g_hash_table_insert (delivery->channels, g_strdup (phone_number_id),
                       g_strdup (channel->id));
  return g_hash_table_lookup (delivery->channels, phone_number_id);
}

/* The parser's attachments become the protocol's (with ids and urls) and the media rows
 * the attachments endpoint fetches from. */
/* a member the parser left empty is no value */
static const char *
nonempty (JsonObject *object,
          const char *member)
{
  const char *value = baton_json_get_string (object, member);

  return value && *value ? value : NULL;
}

/* the channel's media behind attachment id: {id, media_id, mime_type, sha256, filename} */
static void
add_media (JsonBuilder *rows,
           const char  *id,
           const char  *media_id,
           JsonObject  *item)
{
  json_builder_begin_object (rows);
  json_builder_set_member_name (rows, "id");
  json_builder_add_string_value (rows, id);
  json_builder_set_member_name (rows, "media_id");
  json_builder_add_string_value (rows, media_id);
  baton_json_add_nullable_string (rows, "mime_type", nonempty (item, "mime_type"));
  baton_json_add_nullable_string (rows, "sha256", nonempty (item, "sha256"));
  baton_json_add_nullable_string (rows, "filename", nonempty (item, "filename"));
  json_builder_end_object (rows);
}

static void
build_attachments (BatonWhatsapp        *self,
                   const BatonWaMessage *message,
                   JsonNode            **attachments,
                   JsonNode            **media)
{
  g_autoptr(JsonBuilder) list = json_builder_new_immutable ();
  g_autoptr(JsonBuilder) rows = json_builder_new_immutable ();
  JsonArray *parsed = message->attachments && JSON_NODE_HOLDS_ARRAY (message->attachments)
                      ? json_node_get_array (message->attachments) : NULL;
  JsonObject *data = message->data && JSON_NODE_HOLDS_OBJECT (message->data)
                     ? json_node_get_object (message->data) : NULL;
  guint count = 0;
  guint media_count = 0;

  json_builder_begin_array (list);
  json_builder_begin_array (rows);
  for (guint i = 0; parsed && i < json_array_get_length (parsed); i++)
    {
      JsonNode *node = json_array_get_element (parsed, i);
      JsonObject *item = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *media_id = nonempty (item, "media_id");
      JsonNode *item_data = item ? json_object_get_member (item, "data") : NULL;
      g_autofree char *id = baton_id_new ("att", now_ms (self));
      g_autofree char *url = NULL;

      if (item == NULL)
        continue;
      json_builder_begin_object (list);
      json_builder_set_member_name (list, "id");
      json_builder_add_string_value (list, id);
      baton_json_add_nullable_string (list, "kind", nonempty (item, "kind"));
      baton_json_add_nullable_string (list, "mime_type",
                                      nonempty (item, "mime_type"));
      baton_json_add_nullable_string (list, "filename",
                                      nonempty (item, "filename"));
      baton_json_add_nullable_string (list, "caption", nonempty (item, "caption"));
      json_builder_set_member_name (list, "size");
      json_builder_add_null_value (list);
      if (media_id)
        url = g_strdup_printf ("/api/v1/attachments/%s", id);
      baton_json_add_nullable_string (list, "url", url);
      json_builder_set_member_name (list, "data");
      /* media flags (voice, animated, forwarded) go with the first attachment */
      if (item_data && !JSON_NODE_HOLDS_NULL (item_data))
        json_builder_add_value (list, json_node_copy (item_data));
      else if (count == 0 && data && !json_object_has_member (data, "type"))
        json_builder_add_value (list, json_node_copy (message->data));
      else
        json_builder_add_null_value (list);
      json_builder_end_object (list);
      count++;

      if (media_id)
        {
          add_media (rows, id, media_id, item);
          media_count++;
        }
    }
  /* a tapped button, list row or Flow: what was chosen, as structured data */
  if (data && json_object_has_member (data, "type"))
    {
      g_autofree char *id = baton_id_new ("att", now_ms (self));

      json_builder_begin_object (list);
      json_builder_set_member_name (list, "id");
      json_builder_add_string_value (list, id);
      json_builder_set_member_name (list, "kind");
      json_builder_add_string_value (list, "interactive");
      for (guint m = 0; m < 4; m++)
        {
          json_builder_set_member_name (list, (const char *[]) { "mime_type", "filename",
                                                                 "caption", "size" }[m]);
          json_builder_add_null_value (list);
        }
      json_builder_set_member_name (list, "url");
      json_builder_add_null_value (list);
      json_builder_set_member_name (list, "data");
      json_builder_add_value (list, json_node_copy (message->data));
      json_builder_end_object (list);
      count++;
    }
  json_builder_end_array (list);
  json_builder_end_array (rows);
  *attachments = count ? json_builder_get_root (list) : NULL;
  *media = media_count ? json_builder_get_root (rows) : NULL;
}

static void
receive_message (Delivery             *delivery,
                 const char           *channel_id,
                 const BatonWaMessage *message)
{
  BatonWhatsapp *self = delivery->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) attachments = NULL;
  g_autoptr(JsonNode) media = NULL;
  g_autofree char *from = NULL;
  g_autofree char *message_id = NULL;
  g_autofree char *conversation_id = NULL;
  gboolean duplicate = FALSE;
  BatonInbound inbound = { 0 };

  if (message->error_code)
    g_message ("WhatsApp message %s came with error %" G_GINT64_FORMAT, message->wamid,
               message->error_code);
  build_attachments (self, message, &attachments, &media);
  from = message->from ? g_strconcat ("+", message->from, NULL) : g_strdup (message->from_user_id);
  inbound.from = from;
  inbound.name = message->profile_name ? message->profile_name : message->username;
  inbound.body = message->body ? message->body : "";
  inbound.external_id = message->wamid;
  inbound.sent_at = message->timestamp * 1000;
  inbound.wa_id = message->from;
  inbound.user_id = message->from_user_id;
  inbound.attachments = attachments;
  inbound.quoted_external_id = message->context_id;
  inbound.referral = message->referral;
  inbound.opens_window = message->opens_window;
  inbound.media = media;
  if (!baton_workspace_receive (self->workspace, channel_id, &inbound, &message_id,
                                &conversation_id, &duplicate, &error))
    g_warning ("WhatsApp message %s not stored: %s", message->wamid, error->message);
}

static void
apply_message (Delivery             *delivery,
               const BatonWaMessage *message)
{
  BatonWhatsapp *self = delivery->self;
  const char *channel_id = delivery_channel (delivery, message->phone_number_id);
  g_autoptr(GError) error = NULL;

  if (channel_id == NULL || message->wamid == NULL
      || (message->from == NULL && message->from_user_id == NULL))
    return;
  if (message->reaction_to)
    {
      BatonWhatsappSender sender = { message->from, message->from_user_id,
                                     message->profile_name };

      if (!baton_workspace_whatsapp_react (self->workspace, channel_id, &sender,
                                           message->reaction_to, message->reaction_emoji,
                                           message->timestamp * 1000, &error))
        g_warning ("WhatsApp reaction %s not stored: %s", message->wamid, error->message);
      return;
    }
  if (message->system_type)
    {
      if (message->from && message->system_new_wa_id
          && g_strcmp0 (message->from, message->system_new_wa_id) != 0)
        {
          if (!baton_workspace_whatsapp_number_changed (self->workspace, channel_id,
                                                        message->from,
                                                        message->system_new_wa_id,
                                                        message->wamid,
                                                        message->timestamp * 1000, &error))
            g_warning ("WhatsApp number change %s not stored: %s", message->wamid,
                       error->message);
        }
      else
        {
          g_message ("WhatsApp system message %s (%s) noted", message->wamid,
                     message->system_type);
        }
      return;
    }
  receive_message (delivery, channel_id, message);
}

static void
hold_status (BatonWhatsapp       *self,
             const char          *channel_id,
             const BatonWaStatus *status)
{
  HeldStatus *held = g_new0 (HeldStatus, 1);

  held->channel_id = g_strdup (channel_id);
  held->status = baton_wa_status_copy (status);
  held->expires_at = g_get_monotonic_time () / 1000 + HOLD_STATUS_MS;
  g_ptr_array_add (self->held_statuses, held);
}

static void
apply_status (BatonWhatsapp       *self,
              const char          *channel_id,
              const BatonWaStatus *status,
              gboolean             hold_unknown)
{
  g_autoptr(GError) error = NULL;
  gboolean known = FALSE;

  if (status->wamid == NULL || status->status == NULL)
    return;
  if (!baton_workspace_whatsapp_status (self->workspace, channel_id, status, &known, &error))
    {
      g_warning ("WhatsApp status of %s not stored: %s", status->wamid, error->message);
      return;
    }
  if (!known && hold_unknown)
    {
      /* It may be ours, its send answer not back yet; otherwise another app's. */
      g_debug ("Status %s for unknown message %s held", status->status, status->wamid);
      hold_status (self, channel_id, status);
    }
}

/* Statuses held for a wamid now known are applied; expired ones are dropped. */
static void
release_held_statuses (BatonWhatsapp *self,
                       const char    *wamid)
{
  gint64 now = g_get_monotonic_time () / 1000;

  for (guint i = 0; i < self->held_statuses->len;)
    {
      HeldStatus *held = self->held_statuses->pdata[i];

      if (wamid && g_strcmp0 (held->status->wamid, wamid) == 0)
        {
          apply_status (self, held->channel_id, held->status, FALSE);
          g_ptr_array_remove_index (self->held_statuses, i);
        }
      else if (held->expires_at < now)
        {
          g_message ("Status %s for unknown WhatsApp message %s dropped", held->status->status,
                     held->status->wamid);
          g_ptr_array_remove_index (self->held_statuses, i);
        }
      else
        {
          i++;
        }
    }
}

static void
process_delivery (BatonWhatsapp *self,
                  const char    *body,
                  const char    *digest)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonWaBatch) batch = baton_wa_batch_parse (body, strlen (body), &error);
  g_autoptr(GHashTable) channels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          g_free);
  Delivery delivery = { self, digest, channels };

  if (batch == NULL)
    {
      g_warning ("Stored WhatsApp delivery unreadable: %s", error->message);
      return;
    }
  if (batch->skipped_items > 0)
    g_message ("WhatsApp delivery: %u broken items skipped", batch->skipped_items);
  self->skipped_items += batch->skipped_items;
  for (guint i = 0; i < batch->messages->len; i++)
    apply_message (&delivery, batch->messages->pdata[i]);
  for (guint i = 0; i < batch->statuses->len; i++)
    {
      BatonWaStatus *status = batch->statuses->pdata[i];
      const char *channel_id = delivery_channel (&delivery, status->phone_number_id);

      if (channel_id)
        apply_status (self, channel_id, status, TRUE);
    }
  for (guint i = 0; i < batch->errors->len; i++)
    {
      BatonWaError *problem = batch->errors->pdata[i];

      /* an operator's problem, not a conversation's: logged as a warning and counted in
       * /metrics (baton_whatsapp_alerts_total) */
      self->alerts++;
      g_warning ("WhatsApp reported error %" G_GINT64_FORMAT " for number %s: %s%s%s",
                 problem->code, problem->phone_number_id ? problem->phone_number_id : "?",
                 problem->title ? problem->title : "",
                 problem->details ? " – " : "", problem->details ? problem->details : "");
    }
}

/* Whether this node processes the stored webhooks now: with several nodes, the one that
 * holds the lease (taken, or renewed, here). */
static gboolean
holds_processing_lease (BatonWhatsapp *self)
{
  g_autoptr(GError) error = NULL;
  gint64 now = now_ms (self);
  int held;

  if (!baton_workspace_is_shared (self->workspace))
    return TRUE;
  held = baton_store_leases_take (store_of (self), PROCESSING_LEASE,
                                  baton_workspace_get_node_id (self->workspace), now,
                                  now + PROCESSING_LEASE_MS, &error);
  if (held < 0)
    g_warning ("Cannot take the lease of webhook processing: %s", error->message);
  return held > 0;
}

static gboolean
process_cb (gpointer user_data)
{
  BatonWhatsapp *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) deliveries = NULL;
  gint64 started = g_get_monotonic_time ();
  gint64 deadline = started + (self->processing_behind && routing_outpaced (self)
                               ? PROCESS_YIELD_TURN_US : PROCESS_TURN_US);
  guint done = 0;

  self->process_source = 0;
  if (!holds_processing_lease (self))
    return G_SOURCE_REMOVE;
  deliveries = baton_store_deliveries_unprocessed (store_of (self), DELIVERIES_PER_QUERY, &error);
  if (deliveries == NULL)
    {
      g_warning ("WhatsApp deliveries not read: %s", error->message);
      return G_SOURCE_REMOVE;
    }
  self->processing_behind = deliveries->len > 0
                            && now_ms (self) - ((BatonDelivery *) deliveries->pdata[0])->received_at
                               > PROCESS_BEHIND_MS;
  /* at least one per turn, then as many as the turn allows */
  while (done < deliveries->len && (done == 0 || g_get_monotonic_time () < deadline))
    {
      BatonDelivery *delivery = g_ptr_array_index (deliveries, done);

      process_delivery (self, delivery->body, delivery->app_secret_hash);
      done++;
    }
  self->deliveries_processed += done;
  baton_pace_done (&self->pace, done, g_get_monotonic_time () - started);
  /* those processed, the oldest first, marked together */
  if (done > 0
      && !baton_store_deliveries_mark_processed (store_of (self),
                                              ((BatonDelivery *) deliveries->pdata[done - 1])->n,
                                              now_ms (self), &error))
    {
      g_warning ("WhatsApp deliveries not marked processed: %s", error->message);
      return G_SOURCE_REMOVE;
    }
  if (done < deliveries->len || deliveries->len == DELIVERIES_PER_QUERY)
    process_schedule (self);
  release_held_statuses (self, NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
shared_poll_cb (gpointer user_data)
{
  BatonWhatsapp *self = user_data;

  process_schedule (self);
  outbox_schedule (self);
  return G_SOURCE_CONTINUE;
}

void
baton_whatsapp_start (BatonWhatsapp *self)
{
  g_autoptr(GError) error = NULL;

  /* The raw bodies are kept a week for diagnosis (Meta redelivers for as long). */
  if (!baton_store_deliveries_prune (store_of (self), now_ms (self) - DELIVERY_RETENTION_MS,
                                     &error))
    g_warning ("Old WhatsApp deliveries not pruned: %s", error->message);
  process_schedule (self);
  outbox_schedule (self);
  if (baton_workspace_is_shared (self->workspace) && self->shared_poll == 0)
    self->shared_poll = g_timeout_add_seconds (SHARED_POLL_S, shared_poll_cb, self);
}

/* The outbox */

typedef struct {
  BatonWhatsapp *self;
  gint64 n;
  char *channel_id;
  char *message_id;
  char *kind;
  gint64 attempts;
  /* a media entry's: where it is uploaded, and the message that then sends it */
  char *base_url;
  char *access_token;
  char *phone_number_id;
  char *upload_id;
  JsonNode *message;
} Send;

static void
send_free (Send *send)
{
  g_object_unref (send->self);
  g_free (send->channel_id);
  g_free (send->message_id);
  g_free (send->kind);
  g_free (send->base_url);
  g_free (send->access_token);
  g_free (send->phone_number_id);
  g_free (send->upload_id);
  g_clear_pointer (&send->message, json_node_unref);
  g_free (send);
}

static gint64
backoff_ms (gint64 attempts,
            gint64 retry_after_s)
{
  gint64 delay = FIRST_BACKOFF_MS;

  for (gint64 i = 0; i < attempts && delay < MAX_BACKOFF_MS; i++)
    delay *= 2;
  delay = MIN (delay, MAX_BACKOFF_MS);
  return MAX (delay, retry_after_s * 1000);
}

static void
report (GError     *error,
        const char *what)
{
  if (error)
    g_warning ("%s: %s", what, error->message);
}

static void
block_number (BatonWhatsapp *self,
              const char    *channel_id,
              gint64         until)
{
  gint64 *blocked = g_hash_table_lookup (self->number_blocked_until, channel_id);

  if (blocked == NULL || *blocked < until)
    g_hash_table_insert (self->number_blocked_until, g_strdup (channel_id),
                         g_memdup2 (&until, sizeof until));
}

/* A number WhatsApp holds (130429) sends nothing before until, from any node. */
static void
hold_number (BatonWhatsapp *self,
             const char    *channel_id,
             gint64         until)
{
  g_autoptr(GError) error = NULL;

  block_number (self, channel_id, until);
  if (baton_workspace_is_shared (self->workspace)
      && !baton_store_nodes_hold_number (store_of (self), channel_id, until, &error))
    report (error, "Number's hold not shared");
}

/* The holds other nodes met. */
static void
read_number_holds (BatonWhatsapp *self,
                   gint64         now)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonRows) holds = NULL;

  if (!baton_workspace_is_shared (self->workspace))
    return;
  holds = baton_store_nodes_number_holds (store_of (self), now, &error);
  if (holds == NULL)
    {
      report (error, "Numbers' holds not read");
      return;
    }
  for (guint r = 0; r < baton_rows_count (holds); r++)
    block_number (self, baton_rows_text (holds, r, 0), baton_rows_int (holds, r, 1));
}


static void
pause_channel (BatonWhatsapp     *self,
               const char        *channel_id,
               BatonGraphReply   *reply)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *text = baton_whatsapp_error_text (reply->code, reply->message,
                                                     reply->details);

  reason = g_strdup_printf ("%s (code %" G_GINT64_FORMAT "): sending is paused until the "
                            "channel is edited", text, reply->code);
  self->alerts++;
  g_warning ("WhatsApp channel %s paused: %s", channel_id, reason);
  if (!baton_workspace_pause_channel (self->workspace, channel_id, reason, &error))
    report (error, "Channel not paused");
}

/* The Graph API may take the entry later: it waits (the number or the recipient too, when
 * WhatsApp said so), unless it is a read receipt or was tried too often. */
static void
retry_send (BatonWhatsapp   *self,
            Send            *send,
            BatonGraphReply *reply,
            gboolean         is_read)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) message_error = NULL;
  gint64 now = now_ms (self);
  gint64 next = 0;

  if (is_read)
    {
      /* marking as read is best effort: not worth a retry */
      if (!baton_workspace_outbox_failed (self->workspace, send->n, NULL, NULL, &error))
        report (error, "Read receipt not dropped");
      return;
    }
  if (send->attempts + 1 >= MAX_ATTEMPTS)
    {
      message_error = baton_whatsapp_error_json (reply->code, reply->message,
                                                 reply->details
                                                 ? reply->details
                                                 : "WhatsApp did not accept the message "
                                                   "after repeated attempts");
      if (!baton_workspace_outbox_failed (self->workspace, send->n, send->message_id,
                                          message_error, &error))
        report (error, "Failed message not recorded");
      return;
    }
  if (reply->outcome == BATON_GRAPH_RETRY_RECIPIENT)
    next = now + MAX (RECIPIENT_BACKOFF_MS, reply->retry_after * 1000);
  else
    next = now + backoff_ms (send->attempts, reply->retry_after);
  if (reply->outcome == BATON_GRAPH_RETRY_NUMBER)
    hold_number (self, send->channel_id, next);
  if (!baton_workspace_outbox_retry_at (self->workspace, send->n, TRUE, next, &error))
    report (error, "Retry not recorded");
}

/* What Graph answered to an entry (the upload of a media entry, or its send). */
static void
send_answered (Send            *send,
               BatonGraphReply *reply)
{
  BatonWhatsapp *self = send->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) message_error = NULL;
  g_autofree char *wamid = NULL;
  gboolean is_read = g_strcmp0 (send->kind, "read") == 0;

  g_hash_table_remove (self->in_flight, &send->n);
  if (self->stopped)
    {
      send_free (send);
      return;
    }
  if (reply->outcome != BATON_GRAPH_OK)
    g_message ("WhatsApp %s %" G_GINT64_FORMAT " answered %u, code %" G_GINT64_FORMAT
               " (%s), fbtrace_id %s", send->kind, send->n, reply->http_status, reply->code,
               baton_graph_outcome_to_string (reply->outcome),
               reply->fbtrace_id ? reply->fbtrace_id : "-");

  switch (reply->outcome)
    {
    case BATON_GRAPH_OK:
      wamid = is_read ? NULL : baton_whatsapp_sent_wamid (reply->body);
      if (!baton_workspace_outbox_accepted (self->workspace, send->n, send->message_id, wamid,
                                            &error))
        report (error, "Sent message not recorded");
      if (wamid)
        release_held_statuses (self, wamid);
      break;

    case BATON_GRAPH_PAUSE:
      /* the message stays queued for when the token is replaced */
      pause_channel (self, send->channel_id, reply);
      break;

    case BATON_GRAPH_RETRY:
    case BATON_GRAPH_RETRY_NUMBER:
    case BATON_GRAPH_RETRY_RECIPIENT:
      retry_send (self, send, reply, is_read);
      break;

    case BATON_GRAPH_BLOCKED:
    case BATON_GRAPH_WINDOW_CLOSED:
    case BATON_GRAPH_PERMANENT:
    default:
      message_error = baton_whatsapp_error_json (reply->code, reply->message, reply->details);
      if (!baton_workspace_outbox_failed (self->workspace, send->n,
                                          is_read ? NULL : send->message_id, message_error,
                                          &error))
        report (error, "Failed message not recorded");
      if (reply->outcome == BATON_GRAPH_BLOCKED)
        pause_channel (self, send->channel_id, reply);
      break;
    }
  send_free (send);
  outbox_schedule (self);
}

static void
send_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Send *send = user_data;
  g_autoptr(BatonGraphReply) reply = baton_whatsapp_graph_finish (send->self->graph, result);

  send_answered (send, reply);
}

static void
post_media_message (BatonWhatsapp *self,
                    Send          *send)
{
  g_autofree char *path = g_strdup_printf ("%s/messages", send->phone_number_id);

  baton_whatsapp_graph_post_async (self->graph, send->base_url, send->access_token, path,
                                   send->message, self->cancellable, send_done_cb, send);
}

/* The entry now names the media Graph keeps (for 30 days): its retries send that. */
static void
remember_media (BatonWhatsapp *self,
                Send          *send)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) payload = NULL;
  g_autoptr(GError) error = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "upload");
  json_builder_add_string_value (builder, send->upload_id);
  json_builder_set_member_name (builder, "message");
  json_builder_add_value (builder, json_node_copy (send->message));
  json_builder_end_object (builder);
  payload = json_builder_get_root (builder);
  if (!baton_workspace_outbox_set_payload (self->workspace, send->n, payload, &error))
    report (error, "Uploaded media not recorded");
}

/* The file is Graph's: the message names it by the media id Graph gave. */
static void
media_uploaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Send *send = user_data;
  BatonWhatsapp *self = send->self;
  g_autoptr(BatonGraphReply) reply = baton_whatsapp_graph_finish (self->graph, result);
  JsonObject *message = json_node_get_object (send->message);
  const char *kind = baton_json_get_string (message, "type");
  JsonObject *media = baton_json_get_object (message, kind);
  const char *media_id = reply->body && JSON_NODE_HOLDS_OBJECT (reply->body)
                         ? baton_json_peek_string (json_node_get_object (reply->body), "id")
                         : NULL;

  if (reply->outcome == BATON_GRAPH_OK && (media_id == NULL || media == NULL))
    {
      reply->outcome = BATON_GRAPH_RETRY;
      g_free (reply->message);
      reply->message = g_strdup ("WhatsApp did not give the uploaded file an id");
    }
  if (self->stopped || reply->outcome != BATON_GRAPH_OK)
    {
      send_answered (send, reply);
      return;
    }
  json_object_set_string_member (media, "id", media_id);
  remember_media (self, send);
  post_media_message (self, send);
}

/* A media entry ({upload, message}): the agent's file goes to Graph's media endpoint, then
 * the message is sent. The entry keeps the media id Graph gave, so that a retry of the send
 * does not upload the file again; an attempt whose upload failed uploads it again. */
static void
send_media (BatonWhatsapp *self,
            Send          *send,
            JsonNode      *payload)
{
  JsonObject *entry = JSON_NODE_HOLDS_OBJECT (payload) ? json_node_get_object (payload) : NULL;
  JsonNode *message = entry ? json_object_get_member (entry, "message") : NULL;
  g_autoptr(BatonUpload) upload = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *path = NULL;

  if (message && JSON_NODE_HOLDS_OBJECT (message))
    {
      JsonObject *object = json_node_get_object (message);
      JsonObject *media = baton_json_get_object (object, baton_json_get_string (object, "type"));

      send->message = json_node_copy (message);
      send->upload_id = g_strdup (baton_json_peek_string (entry, "upload"));
      /* uploaded by an earlier attempt */
      if (baton_json_peek_string (media, "id"))
        {
          post_media_message (self, send);
          return;
        }
    }
  if (send->upload_id)
    upload = baton_store_uploads_get (store_of (self), send->upload_id, &error);
  if (upload)
    {
      path = g_build_filename (self->media_dir, upload->file, NULL);
      file = g_mapped_file_new (path, FALSE, &error);
    }
  if (file == NULL || message == NULL || !JSON_NODE_HOLDS_OBJECT (message))
    {
      g_autoptr(BatonGraphReply) reply = g_new0 (BatonGraphReply, 1);

      g_warning ("Outbox entry %" G_GINT64_FORMAT ": the file to send is gone%s%s", send->n,
                 error ? ": " : "", error ? error->message : "");
      reply->outcome = BATON_GRAPH_PERMANENT;
      reply->message = g_strdup ("The attached file could not be read on the server");
      send_answered (send, reply);
      return;
    }
  bytes = g_mapped_file_get_bytes (file);
  baton_whatsapp_graph_upload_async (self->graph, send->base_url, send->access_token,
                                     send->phone_number_id, upload->mime_type, upload->filename,
                                     bytes, self->cancellable, media_uploaded_cb, send);
}

static void
outbox_timer_cb (gpointer user_data)
{
  BatonWhatsapp *self = user_data;

  self->outbox_timer = 0;
  outbox_schedule (self);
}

static void
arm_timer (BatonWhatsapp *self,
           gint64         due)
{
  BatonTimers *timers = baton_workspace_get_timers (self->workspace);

  if (self->outbox_timer && self->outbox_timer_due <= due)
    return;
  if (self->outbox_timer)
    baton_timers_remove (timers, self->outbox_timer);
  self->outbox_timer_due = due;
  self->outbox_timer = baton_timers_add (timers, due, outbox_timer_cb, self, NULL);
}

/* Whether this node sends entry n: with several nodes, the one that claims it first. */
static gboolean
claim (BatonWhatsapp *self,
       gint64         n,
       gint64         now)
{
  g_autoptr(GError) error = NULL;
  int claimed;

  if (!baton_workspace_is_shared (self->workspace))
    return TRUE;
  claimed = baton_store_outbox_claim (store_of (self), n,
                                      baton_workspace_get_node_id (self->workspace), now,
                                      now + OUTBOX_CLAIM_MS, &error);
  if (claimed < 0)
    report (error, "Outbox entry not claimed");
  return claimed > 0;
}

static gboolean
outbox_run_cb (gpointer user_data)
{
  BatonWhatsapp *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GHashTable) channels = NULL;
  gint64 now = now_ms (self);
  gint64 earliest = G_MAXINT64;

  self->outbox_source = 0;
  /* claims are commits of their own, not a part of the turn's changes */
  if (baton_workspace_is_shared (self->workspace))
    baton_workspace_flush (self->workspace);
  read_number_holds (self, now);
  /* Per recipient, only the oldest entry moves: a customer reads replies in order. */
  entries = baton_store_outbox_heads (store_of (self), 500, &error);
  if (entries == NULL)
    {
      report (error, "Outbox not read");
      return G_SOURCE_REMOVE;
    }
  channels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                    (GDestroyNotify) baton_whatsapp_channel_free);
  for (guint i = 0; i < entries->len; i++)
    {
      BatonOutboxEntry *entry = g_ptr_array_index (entries, i);
      gint64 n = entry->n;
      const char *channel_id = entry->channel_id;
      gint64 due = entry->next_attempt_at;
      gint64 *blocked = g_hash_table_lookup (self->number_blocked_until, channel_id);
      BatonWhatsappChannel *channel = NULL;
      g_autofree char *path = NULL;
      Send *send = NULL;

      if (g_hash_table_contains (self->in_flight, &n))
        continue;
      if (blocked && *blocked > due)
        due = *blocked;
      if (due > now)
        {
          earliest = MIN (earliest, due);
          continue;
        }
      if (g_hash_table_size (self->in_flight) >= MAX_IN_FLIGHT)
        break;
      if (!g_hash_table_contains (channels, channel_id))
        g_hash_table_insert (channels, g_strdup (channel_id),
                             baton_whatsapp_channel_load (store_of (self), channel_id, NULL));
      channel = g_hash_table_lookup (channels, channel_id);
      /* a paused number keeps its queue until a manager edits it */
      if (channel == NULL || channel->paused_reason || channel->access_token == NULL)
        continue;
      if (entry->payload == NULL || !claim (self, n, now))
        continue;

      send = g_new0 (Send, 1);
      send->self = g_object_ref (self);
      send->n = n;
      send->channel_id = g_strdup (channel_id);
      send->message_id = g_strdup (entry->message_id);
      send->kind = g_strdup (entry->kind);
      send->attempts = entry->attempts;
      send->base_url = g_strdup (channel->graph_base_url);
      send->access_token = g_strdup (channel->access_token);
      send->phone_number_id = g_strdup (channel->phone_number_id);
      g_hash_table_add (self->in_flight, g_memdup2 (&n, sizeof n));
      if (g_strcmp0 (entry->kind, "media") == 0)
        {
          send_media (self, send, entry->payload);
          continue;
        }
      path = g_strdup_printf ("%s/messages", channel->phone_number_id);
      baton_whatsapp_graph_post_async (self->graph, channel->graph_base_url,
                                       channel->access_token, path, entry->payload,
                                       self->cancellable, send_done_cb, send);
    }
  if (earliest < G_MAXINT64)
    arm_timer (self, earliest);
  return G_SOURCE_REMOVE;
}

static void
outbox_schedule (BatonWhatsapp *self)
{
  schedule (self, &self->outbox_source, G_PRIORITY_DEFAULT, outbox_run_cb);
}

gboolean
baton_whatsapp_mark_read (BatonWhatsapp  *self,
                          const char     *conversation_id,
                          GError        **error)
{
  g_autofree char *wamid = NULL;
  g_autofree char *channel_id = NULL;
  g_autofree char *recipient = NULL;
  g_autoptr(JsonNode) payload = NULL;
  GError *local_error = NULL;

  wamid = baton_workspace_whatsapp_last_inbound (self->workspace, conversation_id, &channel_id,
                                                 &recipient, &local_error);
  if (local_error)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (wamid == NULL
      || g_strcmp0 (g_hash_table_lookup (self->read_marked, conversation_id), wamid) == 0)
    return TRUE;
  payload = baton_whatsapp_read_payload (wamid, FALSE);
  if (!baton_workspace_whatsapp_queue_receipt (self->workspace, channel_id, recipient, payload,
                                               error))
    return FALSE;
  g_hash_table_insert (self->read_marked, g_strdup (conversation_id),
                       g_steal_pointer (&wamid));
  return TRUE;
}

/* Media */

typedef struct {
  char *attachment_id;
  char *channel_id;
  char *mime_type;
  char *filename;
  char *access_token;
  char *expected_sha256;
  GBytes *bytes;
} MediaFetch;

static void
media_fetch_free (MediaFetch *fetch)
{
  g_free (fetch->attachment_id);
  g_free (fetch->channel_id);
  g_free (fetch->mime_type);
  g_free (fetch->filename);
  if (fetch->access_token)
    sodium_memzero (fetch->access_token, strlen (fetch->access_token));
  g_free (fetch->access_token);
  g_free (fetch->expected_sha256);
  g_clear_pointer (&fetch->bytes, g_bytes_unref);
  g_free (fetch);
}

static char *
media_path (BatonWhatsapp *self,
            const char    *file)
{
  return g_build_filename (self->media_dir, file, NULL);
}

static void
fail_channel (GTask           *task,
              const char      *what,
              BatonGraphReply *reply)
{
  g_task_return_new_error (task, BATON_ERROR, BATON_ERROR_CHANNEL,
                           "WhatsApp would not give %s: HTTP %u, code %" G_GINT64_FORMAT "%s%s",
                           what, reply->http_status, reply->code,
                           reply->message ? ", " : "", reply->message ? reply->message : "");
}

/* Graph gives the file's SHA-256 in hex or base64: the download must match it. */
static gboolean
checksum_matches (GBytes     *bytes,
                  const char *expected)
{
  g_autofree char *hex = NULL;
  g_autofree guchar *decoded = NULL;
  g_autofree char *decoded_hex = NULL;
  gsize length = 0;

  if (expected == NULL || *expected == '\0')
    return TRUE;
  hex = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  if (g_ascii_strcasecmp (hex, expected) == 0)
    return TRUE;
  decoded = g_base64_decode (expected, &length);
  if (length != 32)
    return FALSE;
  decoded_hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) "", 0);
  g_clear_pointer (&decoded_hex, g_free);
  {
    GString *text = g_string_new (NULL);

    for (gsize i = 0; i < length; i++)
      g_string_append_printf (text, "%02x", decoded[i]);
    decoded_hex = g_string_free (text, FALSE);
  }
  return g_ascii_strcasecmp (hex, decoded_hex) == 0;
}

static void
media_downloaded_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BatonWhatsapp *self = g_task_get_source_object (task);
  MediaFetch *fetch = g_task_get_task_data (task);
  g_autoptr(BatonGraphReply) reply = baton_whatsapp_graph_finish (self->graph, result);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *file = NULL;

  if (reply->outcome != BATON_GRAPH_OK || reply->bytes == NULL)
    {
      fail_channel (task, "this media", reply);
      return;
    }
  if (!checksum_matches (reply->bytes, fetch->expected_sha256))
    {
      g_task_return_new_error (task, BATON_ERROR, BATON_ERROR_CHANNEL,
                               "The media WhatsApp gave does not match its checksum");
      return;
    }
  /* A generated name: nothing the customer sent becomes part of a path. */
  file = g_strdup_printf ("%s.media", fetch->attachment_id);
  path = media_path (self, file);
  if (g_mkdir_with_parents (self->media_dir, 0700) != 0
      || !g_file_set_contents_full (path, g_bytes_get_data (reply->bytes, NULL),
                                    g_bytes_get_size (reply->bytes),
                                    G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    {
      g_task_return_new_error (task, BATON_ERROR, BATON_ERROR_INTERNAL,
                               "The media could not be stored: %s",
                               error ? error->message : g_strerror (errno));
      return;
    }
  if (fetch->mime_type == NULL && reply->content_type)
    fetch->mime_type = g_strdup (reply->content_type);
  if (!baton_store_media_set_file (store_of (self), fetch->attachment_id, file,
                                  (gint64) g_bytes_get_size (reply->bytes), fetch->mime_type,
                                  &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  fetch->bytes = g_bytes_ref (reply->bytes);
  g_task_return_boolean (task, TRUE);
}

static void
media_metadata_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BatonWhatsapp *self = g_task_get_source_object (task);
  MediaFetch *fetch = g_task_get_task_data (task);
  g_autoptr(BatonGraphReply) reply = baton_whatsapp_graph_finish (self->graph, result);
  JsonObject *metadata = reply->body && JSON_NODE_HOLDS_OBJECT (reply->body)
                         ? json_node_get_object (reply->body) : NULL;
  const char *url = baton_json_get_string (metadata, "url");
  GCancellable *cancellable = NULL;

  if (reply->outcome != BATON_GRAPH_OK || url == NULL)
    {
      fail_channel (task, "this media (it may be older than 7 days)", reply);
      return;
    }
  if (nonempty (metadata, "mime_type"))
    {
      g_free (fetch->mime_type);
      fetch->mime_type = g_strdup (nonempty (metadata, "mime_type"));
    }
  fetch->expected_sha256 = baton_json_dup_string (metadata, "sha256");
  cancellable = g_task_get_cancellable (task);
  baton_whatsapp_graph_download_async (self->graph, url, fetch->access_token, MAX_MEDIA_BYTES,
                                       cancellable, media_downloaded_cb,
                                       g_steal_pointer (&task));
}

void
baton_whatsapp_fetch_media_async (BatonWhatsapp       *self,
                                  const char          *attachment_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonMedia) media = NULL;
  g_autoptr(BatonWhatsappChannel) channel = NULL;
  MediaFetch *fetch = NULL;

  g_task_set_source_tag (task, baton_whatsapp_fetch_media_async);
  media = baton_store_media_get (store_of (self), attachment_id, &error);
  if (error)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (media == NULL)
    {
      g_task_return_new_error (task, BATON_ERROR, BATON_ERROR_NOT_FOUND,
                               "No attachment with id %s", attachment_id);
      return;
    }
  fetch = g_new0 (MediaFetch, 1);
  fetch->attachment_id = g_strdup (attachment_id);
  fetch->channel_id = g_strdup (media->channel_id);
  fetch->mime_type = g_strdup (media->mime_type);
  fetch->filename = g_strdup (media->filename);
  g_task_set_task_data (task, fetch, (GDestroyNotify) media_fetch_free);

  if (media->file)
    {
      g_autofree char *path = media_path (self, media->file);
      g_autoptr(GMappedFile) mapped = g_mapped_file_new (path, FALSE, NULL);

      if (mapped)
        {
          fetch->bytes = g_mapped_file_get_bytes (mapped);
          g_task_return_boolean (task, TRUE);
          return;
        }
      g_message ("Stored media %s is gone; fetching it again", attachment_id);
    }
  channel = baton_whatsapp_channel_load (store_of (self), fetch->channel_id, &error);
  if (channel == NULL || channel->access_token == NULL)
    {
      g_task_return_new_error (task, BATON_ERROR, BATON_ERROR_CHANNEL,
                               "The WhatsApp channel of this attachment has no access token");
      return;
    }
  fetch->access_token = g_strdup (channel->access_token);
  baton_whatsapp_graph_get_async (self->graph, channel->graph_base_url, channel->access_token,
                                  media->media_id, cancellable, media_metadata_cb,
                                  g_steal_pointer (&task));
}

GBytes *
baton_whatsapp_fetch_media_finish (BatonWhatsapp  *self,
                                   GAsyncResult   *result,
                                   char          **content_type,
                                   char          **filename,
                                   GError        **error)
{
  MediaFetch *fetch = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  *content_type = g_strdup (fetch->mime_type ? fetch->mime_type : "application/octet-stream");
  *filename = g_strdup (fetch->filename);
  return g_bytes_ref (fetch->bytes);
}

/* Templates */

typedef struct {
  char *channel_id;
  char *base_url;
  char *access_token;
  char *waba_id;
  JsonBuilder *collected;
  guint pages;
} TemplateSync;

static void
template_sync_free (TemplateSync *sync)
{
  g_free (sync->channel_id);
  g_free (sync->base_url);
  if (sync->access_token)
    sodium_memzero (sync->access_token, strlen (sync->access_token));
  g_free (sync->access_token);
  g_free (sync->waba_id);
  g_clear_object (&sync->collected);
  g_free (sync);
}

/* A template as the app needs it: its body with {{n}} placeholders and how many there are. */
static JsonNode *
template_to_json (const char *name,
                  const char *language,
                  const char *status,
                  const char *category,
                  const char *components_text)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) components = baton_json_parse_text (components_text);
  JsonArray *array = components && JSON_NODE_HOLDS_ARRAY (components)
                     ? json_node_get_array (components) : NULL;
  const char *body = NULL, *header = NULL, *footer = NULL;
  guint parameters = 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "language");
  json_builder_add_string_value (builder, language);
  baton_json_add_nullable_string (builder, "category", category);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, status);
  json_builder_set_member_name (builder, "buttons");
  json_builder_begin_array (builder);
  for (guint i = 0; array && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *component = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *type = baton_json_get_string (component, "type");
      JsonNode *buttons = component ? json_object_get_member (component, "buttons") : NULL;

      if (g_ascii_strcasecmp (type ? type : "", "BODY") == 0)
        body = baton_json_get_string (component, "text");
      else if (g_ascii_strcasecmp (type ? type : "", "HEADER") == 0)
        header = baton_json_get_string (component, "text");
      else if (g_ascii_strcasecmp (type ? type : "", "FOOTER") == 0)
        footer = baton_json_get_string (component, "text");
      for (guint b = 0; buttons && JSON_NODE_HOLDS_ARRAY (buttons)
                        && b < json_array_get_length (json_node_get_array (buttons)); b++)
        {
          JsonNode *button = json_array_get_element (json_node_get_array (buttons), b);
          JsonObject *object = JSON_NODE_HOLDS_OBJECT (button) ? json_node_get_object (button)
                                                               : NULL;

          json_builder_begin_object (builder);
          baton_json_add_nullable_string (builder, "type", baton_json_get_string (object, "type"));
          baton_json_add_nullable_string (builder, "text", baton_json_get_string (object, "text"));
          json_builder_end_object (builder);
        }
    }
  json_builder_end_array (builder);
  for (const char *p = body ? strstr (body, "{{") : NULL; p; p = strstr (p + 2, "{{"))
    {
      char *end = NULL;
      guint64 n = g_ascii_strtoull (p + 2, &end, 10);

      if (end != p + 2 && g_str_has_prefix (end, "}}") && n > parameters && n <= 100)
        parameters = (guint) n;
    }
  json_builder_set_member_name (builder, "body");
  json_builder_add_string_value (builder, body ? body : "");
  json_builder_set_member_name (builder, "parameters");
  json_builder_add_int_value (builder, parameters);
  baton_json_add_nullable_string (builder, "header", header);
  baton_json_add_nullable_string (builder, "footer", footer);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static GPtrArray *
stored_templates (BatonWhatsapp  *self,
                  const char     *channel_id,
                  GError        **error)
{
  g_autoptr(GPtrArray) rows = baton_store_templates_approved (store_of (self), channel_id, error);
  GPtrArray *templates = NULL;

  if (rows == NULL)
    return NULL;
  templates = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  for (guint i = 0; i < rows->len; i++)
    {
      BatonTemplate *template = g_ptr_array_index (rows, i);

      g_ptr_array_add (templates,
                       template_to_json (template->name, template->language, template->status,
                                         template->category, template->components));
    }
  return templates;
}

static gboolean
save_templates (BatonWhatsapp  *self,
                TemplateSync   *sync,
                GError        **error)
{
  g_autoptr(JsonNode) root = NULL;
  gint64 now = now_ms (self);

  json_builder_end_array (sync->collected);
  root = json_builder_get_root (sync->collected);
  if (!baton_workspace_whatsapp_save_templates (self->workspace, sync->channel_id,
                                                json_node_get_array (root), error))
    return FALSE;
  g_hash_table_insert (self->templates_synced, g_strdup (sync->channel_id),
                       g_memdup2 (&now, sizeof now));
  return TRUE;
}

static void templates_fetch_page (GTask      *task,
                                  const char *after);

static void
templates_page_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BatonWhatsapp *self = g_task_get_source_object (task);
  TemplateSync *sync = g_task_get_task_data (task);
  g_autoptr(BatonGraphReply) reply = baton_whatsapp_graph_finish (self->graph, result);
  g_autoptr(GError) error = NULL;
  JsonObject *page = reply->body && JSON_NODE_HOLDS_OBJECT (reply->body)
                     ? json_node_get_object (reply->body) : NULL;
  JsonNode *data = page ? json_object_get_member (page, "data") : NULL;
  JsonObject *paging = baton_json_get_object (page, "paging");
  const char *after = baton_json_get_string (baton_json_get_object (paging, "cursors"), "after");
  GPtrArray *templates = NULL;

  if (reply->outcome != BATON_GRAPH_OK || data == NULL || !JSON_NODE_HOLDS_ARRAY (data))
    {
      /* the last synced list still serves */
      g_message ("WhatsApp templates of %s not synced: HTTP %u, code %" G_GINT64_FORMAT,
                 sync->channel_id, reply->http_status, reply->code);
      templates = stored_templates (self, sync->channel_id, &error);
      if (templates == NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else if (templates->len == 0 && !g_hash_table_contains (self->templates_synced,
                                                               sync->channel_id))
        {
          g_ptr_array_unref (templates);
          fail_channel (task, "the templates", reply);
        }
      else
        g_task_return_pointer (task, templates, (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (data)); i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (data), i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        json_builder_add_value (sync->collected, json_node_copy (node));
    }
  /* baton_json_get_string gives "" for an absent member: the last page has no next */
  if (*baton_json_get_string (paging, "next") && *after && ++sync->pages < 50)
    {
      templates_fetch_page (g_steal_pointer (&task), after);
      return;
    }
  if (!save_templates (self, sync, &error)
      || (templates = stored_templates (self, sync->channel_id, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, templates, (GDestroyNotify) g_ptr_array_unref);
}

static void
templates_fetch_page (GTask      *task,
                      const char *after)
{
  BatonWhatsapp *self = g_task_get_source_object (task);
  TemplateSync *sync = g_task_get_task_data (task);
  g_autofree char *escaped = after ? g_uri_escape_string (after, NULL, FALSE) : NULL;
  g_autofree char *path = g_strdup_printf ("%s/message_templates?fields=name,language,status,"
                                           "category,components&limit=100%s%s", sync->waba_id,
                                           escaped ? "&after=" : "", escaped ? escaped : "");

  baton_whatsapp_graph_get_async (self->graph, sync->base_url, sync->access_token, path,
                                  g_task_get_cancellable (task), templates_page_cb, task);
}

void
baton_whatsapp_templates_async (BatonWhatsapp       *self,
                                const char          *channel_id,
                                gboolean             refresh,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonWhatsappChannel) channel = NULL;
  gint64 *synced = g_hash_table_lookup (self->templates_synced, channel_id);
  TemplateSync *sync = NULL;
  GPtrArray *templates = NULL;

  g_task_set_source_tag (task, baton_whatsapp_templates_async);
  channel = baton_whatsapp_channel_load (store_of (self), channel_id, &error);
  if (channel == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if ((!refresh && synced && now_ms (self) - *synced < TEMPLATES_MAX_AGE_MS)
      || channel->waba_id == NULL || channel->access_token == NULL)
    {
      templates = stored_templates (self, channel_id, &error);
      if (templates == NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_pointer (task, templates, (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  sync = g_new0 (TemplateSync, 1);
  sync->channel_id = g_strdup (channel_id);
  sync->base_url = g_strdup (channel->graph_base_url);
  sync->access_token = g_strdup (channel->access_token);
  sync->waba_id = g_strdup (channel->waba_id);
  sync->collected = json_builder_new_immutable ();
  json_builder_begin_array (sync->collected);
  g_task_set_task_data (task, sync, (GDestroyNotify) template_sync_free);
  templates_fetch_page (g_steal_pointer (&task), NULL);
}

GPtrArray *
baton_whatsapp_templates_finish (BatonWhatsapp  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
baton_whatsapp_write_metrics (gpointer  data,
                              GString  *text)
{
  BatonWhatsapp *self = BATON_WHATSAPP (data);

  g_string_append_printf (text, "# HELP baton_whatsapp_alerts_total WhatsApp problems an operator "
                                "should look at (value.errors, paused numbers).\n"
                                "# TYPE baton_whatsapp_alerts_total counter\n"
                                "baton_whatsapp_alerts_total %" G_GUINT64_FORMAT "\n"
                                "# HELP baton_whatsapp_items_skipped_total Webhook items "
                                "skipped as broken (an id that is not a string, …).\n"
                                "# TYPE baton_whatsapp_items_skipped_total counter\n"
                                "baton_whatsapp_items_skipped_total %" G_GUINT64_FORMAT "\n"
                                "# HELP baton_whatsapp_outbox Messages waiting to be sent to "
                                "WhatsApp.\n"
                                "# TYPE baton_whatsapp_outbox gauge\n"
                                "baton_whatsapp_outbox %u\n"
                                "# HELP baton_whatsapp_deliveries_unprocessed Webhook bodies "
                                "stored, not yet processed.\n"
                                "# TYPE baton_whatsapp_deliveries_unprocessed gauge\n"
                                "baton_whatsapp_deliveries_unprocessed %u\n"
                                "# HELP baton_whatsapp_deliveries_processed_total Webhook "
                                "bodies this node processed (with several nodes, the one "
                                "holding the lease).\n"
                                "# TYPE baton_whatsapp_deliveries_processed_total counter\n"
                                "baton_whatsapp_deliveries_processed_total %" G_GUINT64_FORMAT
                                "\n",
                          baton_whatsapp_get_alerts (self),
                          baton_whatsapp_get_skipped_items (self),
                          baton_whatsapp_get_pending (self),
                          baton_whatsapp_get_unprocessed (self),
                          self->deliveries_processed);
}
