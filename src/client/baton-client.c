/* baton-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-client"

#include "config.h"

#include <libsoup/soup.h>

#include "baton-client-private.h"
#include "baton-directory.h"
#include "baton-json.h"

#define API_PREFIX "/api/v1"
/* A call the server has not answered within this time has failed: a stopped or cut-off
 * server shows within seconds, not after TCP gives up. */
#define HTTP_TIMEOUT_S 15
#define BACKOFF_INITIAL_MS 500
#define BACKOFF_MAX_MS 60000
/* The stream is pinged this often, and a ping not answered (nor anything else heard)
 * within PONG_TIMEOUT_S means a dead connection that TCP has not noticed yet. */
#define KEEPALIVE_S 10
#define PONG_TIMEOUT_S 10
#define SILENCE_LIMIT_US ((gint64) (KEEPALIVE_S + PONG_TIMEOUT_S) * G_USEC_PER_SEC)
#define WATCHDOG_S 2
/* batond closes an upgraded stream with this code when the token died meanwhile. */
#define CLOSE_UNAUTHORIZED 4401

struct _BatonClient
{
  GObject parent_instance;

  /* owned refs */
  SoupSession *session;
  GCancellable *cancellable;
  char *server_url;
  char *token;
  BatonAgent *me;
  BatonDirectory *directory;

  /* the event stream */
  SoupWebsocketConnection *websocket;
  GCancellable *connect_cancellable;

  /* state */
  BatonClientState state;
  gint64 last_seq;
  gboolean stream_wanted;
  /* the stream dropped before any seq was known: the next connect cannot resume */
  gboolean need_resync;
  guint attempts;
  guint reconnect_id;
  guint watchdog_id;
  gint64 last_heard_us;
};

/* One stream connection attempt. self is not reffed: dispose cancels the attempt, and the
 * callback checks the cancellable before it touches self. */
typedef struct {
  BatonClient *self;
  SoupMessage *msg;
  GCancellable *cancellable;
} Attempt;

static void connect_stream (BatonClient *self);
static void resync         (BatonClient *self);

G_DEFINE_FINAL_TYPE (BatonClient, baton_client, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (BatonClientState, baton_client_state,
                    G_DEFINE_ENUM_VALUE (BATON_CLIENT_STATE_OFFLINE, "offline"),
                    G_DEFINE_ENUM_VALUE (BATON_CLIENT_STATE_CONNECTING, "connecting"),
                    G_DEFINE_ENUM_VALUE (BATON_CLIENT_STATE_ONLINE, "online"),
                    G_DEFINE_ENUM_VALUE (BATON_CLIENT_STATE_AUTH_FAILED, "auth-failed"))

enum {
  PROP_0,
  PROP_SERVER_URL,
  PROP_TOKEN,
  PROP_ME,
  PROP_STATE,
  N_PROPS
};

enum {
  EVENT,
  RESYNC,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* A 422 names the field at fault and some errors have a more precise code than their
 * status ("window_closed"): an extended GError keeps both. */
typedef struct {
  char *field;
  char *name;
} BatonClientErrorPrivate;

static void
baton_client_error_private_init (BatonClientErrorPrivate *priv)
{
  priv->field = NULL;
  priv->name = NULL;
}

static void
baton_client_error_private_copy (const BatonClientErrorPrivate *src,
                                 BatonClientErrorPrivate       *dest)
{
  dest->field = g_strdup (src->field);
  dest->name = g_strdup (src->name);
}

static void
baton_client_error_private_clear (BatonClientErrorPrivate *priv)
{
  g_clear_pointer (&priv->field, g_free);
  g_clear_pointer (&priv->name, g_free);
}

G_DEFINE_EXTENDED_ERROR (BatonClientError, baton_client_error)

GError *
baton_client_error_new (BatonClientError  code,
                        const char       *name,
                        const char       *field,
                        const char       *message)
{
  GError *error = g_error_new_literal (BATON_CLIENT_ERROR, code, message);
  BatonClientErrorPrivate *priv = baton_client_error_get_private (error);

  priv->field = g_strdup (field);
  priv->name = g_strdup (name);
  return error;
}

static void
attempt_free (Attempt *attempt)
{
  g_clear_object (&attempt->msg);
  g_clear_object (&attempt->cancellable);
  g_free (attempt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Attempt, attempt_free)

static BatonClientError
error_for_status (guint status)
{
  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      return BATON_CLIENT_ERROR_UNAUTHORIZED;
    case SOUP_STATUS_FORBIDDEN:
      return BATON_CLIENT_ERROR_FORBIDDEN;
    case SOUP_STATUS_NOT_FOUND:
      return BATON_CLIENT_ERROR_NOT_FOUND;
    case SOUP_STATUS_CONFLICT:
      return BATON_CLIENT_ERROR_CONFLICT;
    case SOUP_STATUS_UNPROCESSABLE_ENTITY:
      return BATON_CLIENT_ERROR_UNPROCESSABLE;
    case 429: /* Too Many Requests: libsoup 3.2 has no name for it */
      return BATON_CLIENT_ERROR_RATE_LIMITED;
    default:
      return status >= 500 ? BATON_CLIENT_ERROR_SERVER : BATON_CLIENT_ERROR_BAD_REQUEST;
    }
}

/* The status decides the code; the body's {"error":{code, message, field}} adds the rest. */
static GError *
error_from_response (SoupMessage *msg,
                     GBytes      *bytes)
{
  guint status = soup_message_get_status (msg);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *details = NULL;
  const char *message = NULL;
  gsize length = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &length) : NULL;

  root = baton_json_parse (data, length, NULL);
  if (root)
    {
      JsonNode *member = NULL;

      if (JSON_NODE_HOLDS_OBJECT (root))
        member = json_object_get_member (json_node_get_object (root), "error");
      if (member && JSON_NODE_HOLDS_OBJECT (member))
        details = json_node_get_object (member);
    }
  message = baton_json_get_string (details, "message");
  if (*message == '\0')
    message = soup_message_get_reason_phrase (msg);
  if (message == NULL || *message == '\0')
    message = soup_status_get_phrase (status);
  return baton_client_error_new (error_for_status (status),
                                 baton_json_peek_string (details, "code"),
                                 baton_json_peek_string (details, "field"), message);
}

static void
set_me (BatonClient *self,
        BatonAgent  *me)
{
  if (self->me == me)
    return;
  g_clear_pointer (&self->me, baton_agent_unref);
  self->me = me ? baton_agent_ref (me) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ME]);
}

static void
set_state (BatonClient      *self,
           BatonClientState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static char *
normalize_url (const char *url)
{
  char *copy = g_strdup (url);
  gsize length = copy ? strlen (copy) : 0;

  while (length > 0 && copy[length - 1] == '/')
    copy[--length] = '\0';
  return copy;
}

/* http → ws, https → wss, with since= when there is something to resume from. */
static char *
stream_url (BatonClient *self)
{
  GString *url = g_string_new (NULL);

  if (g_str_has_prefix (self->server_url, "https://"))
    g_string_append_printf (url, "wss://%s", self->server_url + strlen ("https://"));
  else if (g_str_has_prefix (self->server_url, "http://"))
    g_string_append_printf (url, "ws://%s", self->server_url + strlen ("http://"));
  else
    g_string_append (url, self->server_url);
  g_string_append (url, API_PREFIX "/stream");
  if (self->last_seq > 0)
    g_string_append_printf (url, "?since=%" G_GINT64_FORMAT, self->last_seq);
  return g_string_free (url, FALSE);
}

static void
set_bearer (BatonClient *self,
            SoupMessage *msg)
{
  g_autofree char *header = NULL;

  if (self->token == NULL)
    return;
  header = g_strdup_printf ("Bearer %s", self->token);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
}

static void
drop_websocket (BatonClient *self,
                gboolean     close)
{
  g_clear_handle_id (&self->watchdog_id, g_source_remove);
  if (self->websocket == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->websocket, self);
  if (close && soup_websocket_connection_get_state (self->websocket) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (self->websocket, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_clear_object (&self->websocket);
}

/* Ends the connection and any attempt, leaving stream_wanted as it is. */
static void
disconnect_stream (BatonClient *self)
{
  g_clear_handle_id (&self->reconnect_id, g_source_remove);
  if (self->connect_cancellable)
    g_cancellable_cancel (self->connect_cancellable);
  g_clear_object (&self->connect_cancellable);
  drop_websocket (self, TRUE);
}

static void
reconnect_cb (gpointer user_data)
{
  BatonClient *self = user_data;

  self->reconnect_id = 0;
  connect_stream (self);
}

/* Exponential backoff with equal jitter: the n-th retry waits between half and all of
 * min (0.5 s × 2ⁿ, 60 s), so clients cut off together do not come back together. */
static void
schedule_reconnect (BatonClient *self)
{
  guint base = BACKOFF_MAX_MS;
  guint delay = 0;

  if (!self->stream_wanted || self->reconnect_id != 0)
    return;
  if (self->attempts < 7)
    base = MIN ((guint) BACKOFF_INITIAL_MS << self->attempts, (guint) BACKOFF_MAX_MS);
  delay = base / 2 + (guint) g_random_int_range (0, (gint32) (base / 2) + 1);
  self->attempts++;
  g_debug ("Stream reconnects in %u ms (attempt %u)", delay, self->attempts);
  self->reconnect_id = g_timeout_add_once (delay, reconnect_cb, self);
}

static void
send_pong (BatonClient *self)
{
  if (self->websocket
      && soup_websocket_connection_get_state (self->websocket) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (self->websocket, "{\"type\":\"pong\"}");
}

static void
handle_frame (BatonClient *self,
              JsonObject  *frame,
              JsonNode    *root)
{
  g_autoptr(BatonEvent) event = NULL;
  const char *type = baton_json_get_string (frame, "type");
  gint64 seq = 0;

  if (*type == '\0')
    return;
  /* The log no longer reaches back to our seq: start again from the server's. */
  if (baton_event_kind_from_string (type) == BATON_EVENT_RESYNC_REQUIRED)
    {
      self->last_seq = baton_json_get_int (frame, "seq");
      resync (self);
      return;
    }
  if (!json_object_has_member (frame, "seq"))
    {
      if (g_str_equal (type, "ping"))
        send_pong (self);
      return;
    }
  seq = baton_json_get_int (frame, "seq");
  if (seq <= self->last_seq)
    return;
  event = baton_event_from_json (root);
  if (event == NULL)
    return;
  self->last_seq = seq;
  if (baton_event_get_kind (event) == BATON_EVENT_AGENT_UPDATED && self->me && event->data)
    {
      g_autoptr(BatonAgent) agent = baton_agent_from_json (event->data);

      if (agent && g_strcmp0 (agent->id, self->me->id) == 0)
        set_me (self, agent);
    }
  g_signal_emit (self, signals[EVENT], 0, event);
}

static void
websocket_message_cb (SoupWebsocketConnection *websocket,
                      int                      type,
                      GBytes                  *message,
                      BatonClient             *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  gsize length = 0;
  const char *data = g_bytes_get_data (message, &length);

  self->last_heard_us = g_get_monotonic_time ();
  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    return;
  root = baton_json_parse (data, length, &error);
  if (root == NULL)
    {
      g_debug ("Ignoring a stream frame that is not JSON: %s", error->message);
      return;
    }
  if (JSON_NODE_HOLDS_OBJECT (root))
    handle_frame (self, json_node_get_object (root), root);
  /* several events of one moment (PROTOCOL.md §4), the same as sent one by one */
  else if (JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *events = json_node_get_array (root);

      /* a handler may stop the stream: what follows is not for us then */
      for (guint i = 0; i < json_array_get_length (events) && self->websocket == websocket; i++)
        {
          JsonNode *item = json_array_get_element (events, i);

          if (JSON_NODE_HOLDS_OBJECT (item))
            handle_frame (self, json_node_get_object (item), item);
        }
    }
}

static void
websocket_pong_cb (SoupWebsocketConnection *websocket,
                   GBytes                  *message,
                   BatonClient             *self)
{
  self->last_heard_us = g_get_monotonic_time ();
}

static void
websocket_error_cb (SoupWebsocketConnection *websocket,
                    GError                  *error,
                    BatonClient             *self)
{
  g_debug ("Stream error: %s", error->message);
}

/* The stream is gone (closed with code, or given up on): reconnect, unless the server
 * refused our token. */
static void
stream_lost (BatonClient *self,
             gushort      code)
{
  if (code == CLOSE_UNAUTHORIZED)
    {
      set_state (self, BATON_CLIENT_STATE_AUTH_FAILED);
      return;
    }
  /* Without a seq there is nothing to resume from: whatever happens until the next
   * connection is lost, so the models must reload then. */
  if (self->last_seq == 0)
    self->need_resync = TRUE;
  set_state (self, BATON_CLIENT_STATE_OFFLINE);
  schedule_reconnect (self);
}

static void
websocket_closed_cb (SoupWebsocketConnection *websocket,
                     BatonClient             *self)
{
  gushort code = soup_websocket_connection_get_close_code (websocket);

  g_debug ("Stream closed (%u)", code);
  drop_websocket (self, FALSE);
  stream_lost (self, code);
}

/* A server that does not answer does not answer a close either: the stream is dropped at
 * once, not after the closing handshake times out. */
static gboolean
watchdog_cb (gpointer user_data)
{
  BatonClient *self = user_data;

  if (self->websocket && g_get_monotonic_time () - self->last_heard_us > SILENCE_LIMIT_US)
    {
      g_debug ("Stream silent for too long, dropping it");
      self->watchdog_id = 0;
      drop_websocket (self, TRUE);
      stream_lost (self, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
websocket_connected_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupWebsocketConnection) websocket = NULL;
  BatonClient *self = NULL;
  guint status = 0;

  websocket = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (g_cancellable_is_cancelled (attempt->cancellable))
    {
      if (websocket)
        soup_websocket_connection_close (websocket, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      return;
    }
  self = attempt->self;
  status = soup_message_get_status (attempt->msg);
  g_clear_object (&self->connect_cancellable);

  if (websocket == NULL)
    {
      g_debug ("Stream connection failed (HTTP %u): %s", status, error->message);
      if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
        {
          set_state (self, BATON_CLIENT_STATE_AUTH_FAILED);
          return;
        }
      /* The server refused our resume point: start live, and reload. */
      if (status == SOUP_STATUS_BAD_REQUEST && self->last_seq > 0)
        {
          self->last_seq = 0;
          self->need_resync = TRUE;
        }
      set_state (self, BATON_CLIENT_STATE_OFFLINE);
      schedule_reconnect (self);
      return;
    }

  self->websocket = g_steal_pointer (&websocket);
  g_signal_connect (self->websocket, "message", G_CALLBACK (websocket_message_cb), self);
  g_signal_connect (self->websocket, "pong", G_CALLBACK (websocket_pong_cb), self);
  g_signal_connect (self->websocket, "error", G_CALLBACK (websocket_error_cb), self);
  g_signal_connect (self->websocket, "closed", G_CALLBACK (websocket_closed_cb), self);
  soup_websocket_connection_set_keepalive_interval (self->websocket, KEEPALIVE_S);
  self->last_heard_us = g_get_monotonic_time ();
  self->watchdog_id = g_timeout_add_seconds (WATCHDOG_S, watchdog_cb, self);
  self->attempts = 0;
  set_state (self, BATON_CLIENT_STATE_ONLINE);
  if (self->need_resync && self->websocket)
    resync (self);
}

static void
connect_stream (BatonClient *self)
{
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  Attempt *attempt = NULL;

  disconnect_stream (self);
  if (self->token == NULL)
    {
      set_state (self, BATON_CLIENT_STATE_AUTH_FAILED);
      return;
    }
  url = stream_url (self);
  msg = soup_message_new ("GET", url);
  if (msg == NULL)
    {
      g_warning ("Cannot open the event stream: %s is not a valid address", url);
      set_state (self, BATON_CLIENT_STATE_OFFLINE);
      return;
    }
  set_bearer (self, msg);
  self->connect_cancellable = g_cancellable_new ();
  attempt = g_new0 (Attempt, 1);
  attempt->self = self;
  attempt->msg = g_object_ref (msg);
  attempt->cancellable = g_object_ref (self->connect_cancellable);
  set_state (self, BATON_CLIENT_STATE_CONNECTING);
  soup_session_websocket_connect_async (self->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        self->connect_cancellable, websocket_connected_cb,
                                        attempt);
}

/* Back on the network: skip what is left of the backoff. */
static void
network_changed_cb (BatonClient *self,
                    gboolean     available)
{
  if (available && self->reconnect_id != 0)
    {
      self->attempts = 0;
      connect_stream (self);
    }
}

/* The body of a successful answer; otherwise the task has returned the error. */
static GBytes *
answer_body (GTask        *task,
             GObject      *source,
             GAsyncResult *result)
{
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (bytes == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        g_task_return_new_error (task, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_UNREACHABLE,
                                 "The server did not answer within %d seconds",
                                 HTTP_TIMEOUT_S);
      else
        g_task_return_new_error (task, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_UNREACHABLE,
                                 "Cannot reach the server: %s", error->message);
      return NULL;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    {
      g_task_return_error (task, error_from_response (msg, bytes));
      return NULL;
    }
  return g_steal_pointer (&bytes);
}

static void
call_sent_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = answer_body (task, source, result);
  JsonNode *root = NULL;
  gsize length = 0;
  const char *data = NULL;

  if (bytes == NULL)
    return;
  data = g_bytes_get_data (bytes, &length);
  if (length == 0)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  root = baton_json_parse (data, length, &error);
  if (root == NULL)
    {
      g_task_return_new_error (task, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_INVALID_RESPONSE,
                               "The server sent malformed JSON: %s", error->message);
      return;
    }
  g_task_return_pointer (task, root, (GDestroyNotify) json_node_unref);
}

/* The message of a request for the task, kept as its data; NULL when the address is not
 * one (the task has then returned, and is unreffed). accept: the Accept header, or NULL. */
static SoupMessage *
new_request (BatonClient *self,
             GTask       *task,
             const char  *method,
             const char  *path,
             gboolean     with_token,
             const char  *accept)
{
  SoupMessage *msg = NULL;
  g_autofree char *url = g_strconcat (self->server_url, API_PREFIX, path, NULL);

  msg = soup_message_new (method, url);
  if (msg == NULL)
    {
      g_task_return_new_error (task, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_UNREACHABLE,
                               "%s is not a valid address", url);
      g_object_unref (task);
      return NULL;
    }
  if (accept)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept", accept);
  if (with_token)
    set_bearer (self, msg);
  g_task_set_task_data (task, msg, g_object_unref);
  return msg;
}

/* Sends a request for the task (taken), which done finishes with answer_body. */
static void
send_request (BatonClient         *self,
              GTask               *task,
              const char          *method,
              const char          *path,
              JsonNode            *body,
              gboolean             with_token,
              const char          *accept,
              GAsyncReadyCallback  done)
{
  SoupMessage *msg = new_request (self, task, method, path, with_token, accept);

  if (msg == NULL)
    return;
  if (body)
    {
      g_autoptr(GBytes) bytes = baton_json_to_bytes (body);

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), done, task);
}

static void
send_call (BatonClient         *self,
           const char          *method,
           const char          *path,
           JsonNode            *body,
           gboolean             with_token,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable ? cancellable : self->cancellable, callback,
                            user_data);

  g_task_set_source_tag (task, baton_client_call_async);
  send_request (self, task, method, path, body, with_token, "application/json", call_sent_cb);
}

/* The bytes and content type of a fetch, as the task's result. */
typedef struct {
  GBytes *bytes;
  char *content_type;
} Fetched;

static void
fetched_free (Fetched *fetched)
{
  g_clear_pointer (&fetched->bytes, g_bytes_unref);
  g_free (fetched->content_type);
  g_free (fetched);
}

static void
fetch_sent_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = answer_body (task, source, result);
  Fetched *fetched = NULL;

  if (bytes == NULL)
    return;
  fetched = g_new0 (Fetched, 1);
  fetched->bytes = g_steal_pointer (&bytes);
  fetched->content_type = g_strdup (soup_message_headers_get_content_type (
                                      soup_message_get_response_headers (msg), NULL));
  g_task_return_pointer (task, fetched, (GDestroyNotify) fetched_free);
}

static void
login_called_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  BatonClient *self = BATON_CLIENT (source);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = baton_client_call_finish (self, result, &error);
  g_autoptr(BatonAgent) agent = NULL;
  JsonObject *object = NULL;
  const char *token = NULL;
  gboolean restart = self->stream_wanted;

  if (error)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  object = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  token = baton_json_get_string (object, "token");
  agent = baton_agent_from_json (object ? json_object_get_member (object, "agent") : NULL);
  if (*token == '\0' || agent == NULL)
    {
      g_task_return_new_error (task, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_INVALID_RESPONSE,
                               "The server answered the sign-in without a token");
      return;
    }

  /* A new session: what the last one saw says nothing about this one. */
  baton_client_stop_stream (self);
  self->last_seq = 0;
  self->need_resync = FALSE;
  baton_client_set_token (self, token);
  set_me (self, agent);
  if (restart)
    baton_client_start_stream (self);
  g_task_return_boolean (task, TRUE);
}

static void
logout_called_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  BatonClient *self = BATON_CLIENT (source);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = baton_client_call_finish (self, result, &error);

  /* The token is forgotten here whatever the server said; a 401 means it was dead already. */
  baton_client_set_token (self, NULL);
  set_me (self, NULL);
  self->last_seq = 0;
  self->need_resync = FALSE;
  if (error && !g_error_matches (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_UNAUTHORIZED))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
me_called_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  BatonClient *self = BATON_CLIENT (source);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = baton_client_call_finish (self, result, &error);
  g_autoptr(BatonAgent) agent = NULL;

  if (error)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  agent = baton_agent_from_json (node);
  if (agent == NULL)
    {
      g_task_return_new_error (task, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_INVALID_RESPONSE,
                               "The server sent no agent for /me");
      return;
    }
  set_me (self, agent);
  g_task_return_boolean (task, TRUE);
}

/* What the stream did not bring is reloaded by REST as on a fresh start: the models on
 * "resync", the signed-in agent here. */
static void
resync (BatonClient *self)
{
  self->need_resync = FALSE;
  if (self->token)
    send_call (self, "GET", "/me", NULL, TRUE, NULL, me_called_cb,
               g_task_new (self, self->cancellable, NULL, NULL));
  g_signal_emit (self, signals[RESYNC], 0);
}

static void
sessions_listed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  BatonClient *self = BATON_CLIENT (source);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = baton_client_call_finish (self, result, &error);
  g_autoptr(GPtrArray) sessions = NULL;
  JsonObject *object = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonNode *items = object ? json_object_get_member (object, "items") : NULL;

  if (error)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (items == NULL || !JSON_NODE_HOLDS_ARRAY (items))
    {
      g_task_return_new_error (task, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_INVALID_RESPONSE,
                               "The server sent no list of sessions");
      return;
    }
  sessions = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_session_unref);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (items)); i++)
    {
      BatonSession *session = baton_session_from_json (
        json_array_get_element (json_node_get_array (items), i));

      if (session)
        g_ptr_array_add (sessions, session);
    }
  g_task_return_pointer (task, g_steal_pointer (&sessions), (GDestroyNotify) g_ptr_array_unref);
}

static void
session_revoked_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = baton_client_call_finish (BATON_CLIENT (source), result, &error);

  if (error)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
baton_client_dispose (GObject *object)
{
  BatonClient *self = BATON_CLIENT (object);

  self->stream_wanted = FALSE;
  g_clear_object (&self->directory);
  g_cancellable_cancel (self->cancellable);
  disconnect_stream (self);
  if (self->session)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->me, baton_agent_unref);

  G_OBJECT_CLASS (baton_client_parent_class)->dispose (object);
}

static void
baton_client_finalize (GObject *object)
{
  BatonClient *self = BATON_CLIENT (object);

  g_free (self->server_url);
  g_free (self->token);

  G_OBJECT_CLASS (baton_client_parent_class)->finalize (object);
}

static void
baton_client_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  BatonClient *self = BATON_CLIENT (object);

  switch (prop_id)
    {
    case PROP_SERVER_URL:
      g_value_set_string (value, self->server_url);
      break;
    case PROP_TOKEN:
      g_value_set_string (value, self->token);
      break;
    case PROP_ME:
      g_value_set_boxed (value, self->me);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
baton_client_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  BatonClient *self = BATON_CLIENT (object);

  switch (prop_id)
    {
    case PROP_SERVER_URL:
      self->server_url = normalize_url (g_value_get_string (value));
      break;
    case PROP_TOKEN:
      baton_client_set_token (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
baton_client_class_init (BatonClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = baton_client_dispose;
  object_class->finalize = baton_client_finalize;
  object_class->get_property = baton_client_get_property;
  object_class->set_property = baton_client_set_property;

  properties[PROP_SERVER_URL] =
    g_param_spec_string ("server-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ME] =
    g_param_spec_boxed ("me", NULL, NULL, BATON_TYPE_AGENT,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, BATON_TYPE_CLIENT_STATE,
                       BATON_CLIENT_STATE_OFFLINE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, BATON_TYPE_EVENT | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[RESYNC] =
    g_signal_new ("resync", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
baton_client_init (BatonClient *self)
{
  g_autofree char *user_agent = g_strdup_printf ("Baton/%s (%s)", PACKAGE_VERSION,
                                                 g_get_host_name ());

  /* what the account's sessions list shows for this device */
  self->session = soup_session_new_with_options ("timeout", HTTP_TIMEOUT_S,
                                                 "user-agent", user_agent, NULL);
  self->cancellable = g_cancellable_new ();
  self->state = BATON_CLIENT_STATE_OFFLINE;
  g_signal_connect_object (g_network_monitor_get_default (), "network-changed",
                           G_CALLBACK (network_changed_cb), self, G_CONNECT_SWAPPED);
}

const char *
baton_client_error_get_field (const GError *error)
{
  if (error == NULL || error->domain != BATON_CLIENT_ERROR)
    return NULL;
  return baton_client_error_get_private (error)->field;
}

const char *
baton_client_error_get_name (const GError *error)
{
  if (error == NULL || error->domain != BATON_CLIENT_ERROR)
    return NULL;
  return baton_client_error_get_private (error)->name;
}

BatonClient *
baton_client_new (const char *server_url)
{
  g_return_val_if_fail (server_url != NULL, NULL);

  return g_object_new (BATON_TYPE_CLIENT, "server-url", server_url, NULL);
}

const char *
baton_client_get_server_url (BatonClient *self)
{
  g_return_val_if_fail (BATON_IS_CLIENT (self), NULL);

  return self->server_url;
}

const char *
baton_client_get_token (BatonClient *self)
{
  g_return_val_if_fail (BATON_IS_CLIENT (self), NULL);

  return self->token;
}

void
baton_client_set_token (BatonClient *self,
                        const char  *token)
{
  g_return_if_fail (BATON_IS_CLIENT (self));

  if (g_strcmp0 (self->token, token) == 0)
    return;
  g_free (self->token);
  self->token = g_strdup (token);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
  /* A running stream belongs to the old token. */
  if (self->stream_wanted)
    {
      self->attempts = 0;
      connect_stream (self);
    }
}

void
baton_client_update_me (BatonClient *self,
                        BatonAgent  *me)
{
  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (me != NULL);

  if (self->me && g_strcmp0 (self->me->id, me->id) == 0)
    set_me (self, me);
}

BatonAgent *
baton_client_get_me (BatonClient *self)
{
  g_return_val_if_fail (BATON_IS_CLIENT (self), NULL);

  return self->me;
}

BatonClientState
baton_client_get_state (BatonClient *self)
{
  g_return_val_if_fail (BATON_IS_CLIENT (self), BATON_CLIENT_STATE_OFFLINE);

  return self->state;
}

gint64
baton_client_get_last_seq (BatonClient *self)
{
  g_return_val_if_fail (BATON_IS_CLIENT (self), 0);

  return self->last_seq;
}

void
baton_client_set_last_seq (BatonClient *self,
                           gint64       seq)
{
  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (seq >= 0);

  self->last_seq = seq;
}

void
baton_client_login_async (BatonClient         *self,
                          const char          *email,
                          const char          *password,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (email != NULL);
  g_return_if_fail (password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, baton_client_login_async);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, email);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  send_call (self, "POST", "/auth/login", body, FALSE, cancellable, login_called_cb,
             g_steal_pointer (&task));
}

gboolean
baton_client_login_finish (BatonClient   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == baton_client_login_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
baton_client_logout_async (BatonClient         *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, baton_client_logout_async);
  baton_client_stop_stream (self);
  if (self->token == NULL)
    {
      set_me (self, NULL);
      g_task_return_boolean (task, TRUE);
      return;
    }
  send_call (self, "POST", "/auth/logout", NULL, TRUE, cancellable, logout_called_cb,
             g_steal_pointer (&task));
}

gboolean
baton_client_logout_finish (BatonClient   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == baton_client_logout_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
baton_client_refresh_me_async (BatonClient         *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, baton_client_refresh_me_async);
  send_call (self, "GET", "/me", NULL, TRUE, cancellable, me_called_cb,
             g_steal_pointer (&task));
}

gboolean
baton_client_refresh_me_finish (BatonClient   *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == baton_client_refresh_me_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
baton_client_list_sessions_async (BatonClient         *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, baton_client_list_sessions_async);
  send_call (self, "GET", "/me/sessions", NULL, TRUE, cancellable, sessions_listed_cb,
             g_steal_pointer (&task));
}

GPtrArray *
baton_client_list_sessions_finish (BatonClient   *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == baton_client_list_sessions_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
baton_client_revoke_session_async (BatonClient         *self,
                                   const char          *session_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (session_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, baton_client_revoke_session_async);
  escaped = g_uri_escape_string (session_id, NULL, FALSE);
  path = g_strdup_printf ("/me/sessions/%s", escaped);
  send_call (self, "DELETE", path, NULL, TRUE, cancellable, session_revoked_cb,
             g_steal_pointer (&task));
}

gboolean
baton_client_revoke_session_finish (BatonClient   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == baton_client_revoke_session_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
baton_client_call_async (BatonClient         *self,
                         const char          *method,
                         const char          *path,
                         JsonNode            *body,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL && path[0] == '/');

  send_call (self, method, path, body, TRUE, cancellable, callback, user_data);
}

JsonNode *
baton_client_call_finish (BatonClient   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == baton_client_call_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
baton_client_fetch_bytes_async (BatonClient         *self,
                                const char          *path,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (path != NULL && path[0] == '/');

  task = g_task_new (self, cancellable ? cancellable : self->cancellable, callback, user_data);
  g_task_set_source_tag (task, baton_client_fetch_bytes_async);
  send_request (self, task, "GET", path, NULL, TRUE, NULL, fetch_sent_cb);
}

GBytes *
baton_client_fetch_bytes_finish (BatonClient   *self,
                                 GAsyncResult  *result,
                                 char         **content_type,
                                 GError       **error)
{
  Fetched *fetched = NULL;
  GBytes *bytes = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == baton_client_fetch_bytes_async, NULL);

  fetched = g_task_propagate_pointer (G_TASK (result), error);
  if (content_type)
    *content_type = fetched ? g_steal_pointer (&fetched->content_type) : NULL;
  if (fetched == NULL)
    return NULL;
  bytes = g_steal_pointer (&fetched->bytes);
  fetched_free (fetched);
  return bytes;
}

/* How much of a body is written, for its caller's progress function. */
typedef struct {
  BatonClientProgressFunc func;
  gpointer data;
  guint64 written;
  guint64 total;
} Progress;

static void
wrote_body_data_cb (SoupMessage *msg,
                    guint        chunk_size,
                    Progress    *progress)
{
  progress->written += chunk_size;
  progress->func (MIN (progress->written, progress->total), progress->total, progress->data);
}

void
baton_client_post_bytes_async (BatonClient             *self,
                               const char              *path,
                               const char              *content_type,
                               GBytes                  *body,
                               BatonClientProgressFunc  progress_func,
                               gpointer                 progress_data,
                               GCancellable            *cancellable,
                               GAsyncReadyCallback      callback,
                               gpointer                 user_data)
{
  GTask *task = NULL;
  SoupMessage *msg = NULL;

  g_return_if_fail (BATON_IS_CLIENT (self));
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (content_type != NULL && body != NULL);

  task = g_task_new (self, cancellable ? cancellable : self->cancellable, callback, user_data);
  g_task_set_source_tag (task, baton_client_call_async);
  msg = new_request (self, task, "POST", path, TRUE, "application/json");
  if (msg == NULL)
    return;
  soup_message_set_request_body_from_bytes (msg, content_type, body);
  if (progress_func)
    {
      Progress *progress = g_new0 (Progress, 1);

      progress->func = progress_func;
      progress->data = progress_data;
      progress->total = g_bytes_get_size (body);
      g_signal_connect_data (msg, "wrote-body-data", G_CALLBACK (wrote_body_data_cb), progress,
                             (GClosureNotify) G_CALLBACK (g_free), 0);
    }
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), call_sent_cb, task);
}

BatonDirectory *
baton_client_get_directory (BatonClient *self)
{
  g_return_val_if_fail (BATON_IS_CLIENT (self), NULL);

  if (self->directory == NULL)
    self->directory = baton_directory_new (self);
  return self->directory;
}

void
baton_client_start_stream (BatonClient *self)
{
  g_return_if_fail (BATON_IS_CLIENT (self));

  self->stream_wanted = TRUE;
  if (self->websocket || self->connect_cancellable)
    return;
  self->attempts = 0;
  connect_stream (self);
}

void
baton_client_stop_stream (BatonClient *self)
{
  g_return_if_fail (BATON_IS_CLIENT (self));

  self->stream_wanted = FALSE;
  self->attempts = 0;
  disconnect_stream (self);
  set_state (self, BATON_CLIENT_STATE_OFFLINE);
}
