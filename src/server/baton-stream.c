/* baton-stream.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-stream"

#include "config.h"

#include "baton-json.h"
#include "baton-stream.h"

/* The event stream of PROTOCOL.md §4: a WebSocket per agent connection, replay from the
 * persisted log, then live events as they are committed. */

#define STREAM_PATH "/api/v1/stream"
#define PING_INTERVAL_S 30
#define IDLE_LIMIT_US ((gint64) 90 * G_USEC_PER_SEC)
#define REPLAY_BATCH 1000

struct _BatonStream
{
  GObject parent_instance;

  /* borrowed */
  BatonWorkspace *workspace;
  BatonAuthenticateFunc authenticate;
  gpointer authenticate_data;

  /* owned */
  GPtrArray *connections;

  /* state */
  gulong event_id;
};

typedef struct {
  BatonStream *stream;
  SoupWebsocketConnection *connection;
  char *agent_id;
  /* the SHA-256 of the token that opened it: revoking that session closes it */
  char *token_hash;
  gint64 last_heard_us;
  guint ping_id;
} Connection;

G_DEFINE_FINAL_TYPE (BatonStream, baton_stream, G_TYPE_OBJECT)

static void
connection_free (Connection *connection)
{
  g_clear_handle_id (&connection->ping_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (connection->connection, connection);
  if (soup_websocket_connection_get_state (connection->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (connection->connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY,
                                     "server shutting down");
  g_object_unref (connection->connection);
  g_free (connection->agent_id);
  g_free (connection->token_hash);
  g_free (connection);
}

static void
send_text (Connection *connection,
           const char *text)
{
  if (soup_websocket_connection_get_state (connection->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (connection->connection, text);
}

/* text: the event already written out, or NULL */
static void
send_event (Connection  *connection,
            BatonEvent  *event,
            char       **text)
{
  if (event->agent_id && g_strcmp0 (event->agent_id, connection->agent_id) != 0)
    return;
  if (*text == NULL)
    *text = baton_event_to_string (event);
  send_text (connection, *text);
}

static void
workspace_event_cb (BatonStream *self,
                    BatonEvent  *event)
{
  const char *removed = NULL;
  /* the same frame for every stream: written out once, not once per stream */
  g_autofree char *text = NULL;

  for (guint i = 0; i < self->connections->len; i++)
    send_event (self->connections->pdata[i], event, &text);

  /* A removed agent's token is dead: so are their streams. */
  if (g_str_equal (event->type, "agent.deleted") && event->data
      && JSON_NODE_HOLDS_OBJECT (event->data))
    removed = json_object_get_string_member_with_default (json_node_get_object (event->data),
                                                          "id", NULL);
  for (guint i = self->connections->len; removed && i > 0; i--)
    {
      Connection *connection = self->connections->pdata[i - 1];

      if (g_strcmp0 (connection->agent_id, removed) == 0)
        soup_websocket_connection_close (connection->connection, 4401, "agent removed");
    }
}

static void
send_control (Connection *connection,
              const char *type,
              gint64      seq)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  if (seq >= 0)
    {
      json_builder_set_member_name (builder, "seq");
      json_builder_add_int_value (builder, seq);
    }
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
  baton_json_add_time (builder, "at", baton_workspace_now (connection->stream->workspace));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = baton_json_to_string (root);
  send_text (connection, text);
}

static void
remove_connection (Connection *connection)
{
  BatonStream *self = connection->stream;
  g_autofree char *agent_id = g_strdup (connection->agent_id);

  if (g_ptr_array_remove (self->connections, connection))
    baton_workspace_stream_closed (self->workspace, agent_id);
}

static void
closed_cb (SoupWebsocketConnection *websocket,
           Connection              *connection)
{
  remove_connection (connection);
}

static void
message_cb (SoupWebsocketConnection *websocket,
            int                      type,
            GBytes                  *message,
            Connection              *connection)
{
  g_autoptr(JsonObject) object = NULL;
  const char *kind = NULL;
  gsize length = 0;
  const char *data = g_bytes_get_data (message, &length);

  connection->last_heard_us = g_get_monotonic_time ();
  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    return;
  object = baton_json_parse_object (data, length, NULL);
  if (object && baton_json_read_string (object, "type", BATON_JSON_OPTIONAL, &kind, NULL)
      && g_strcmp0 (kind, "ping") == 0)
    send_control (connection, "pong", -1);
}

static void
pong_cb (SoupWebsocketConnection *websocket,
         GBytes                  *message,
         Connection              *connection)
{
  connection->last_heard_us = g_get_monotonic_time ();
}

/* Pings both ways a client may answer: a WebSocket ping (libsoup's keepalive) and a
 * {"type":"ping"} text frame; silence for 90 s ends the stream. */
static gboolean
ping_cb (gpointer user_data)
{
  Connection *connection = user_data;

  if (g_get_monotonic_time () - connection->last_heard_us > IDLE_LIMIT_US)
    {
      connection->ping_id = 0;
      soup_websocket_connection_close (connection->connection, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION,
                                       "no pong for 90 s");
      return G_SOURCE_REMOVE;
    }
  send_control (connection, "ping", -1);
  return G_SOURCE_CONTINUE;
}

static gboolean
parse_since (const char *text,
             gint64     *since)
{
  guint64 value = 0;

  if (text == NULL)
    return FALSE;
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &value, NULL))
    return FALSE;
  *since = (gint64) value;
  return TRUE;
}

static void
replay (Connection *connection,
        gint64      since)
{
  BatonWorkspace *workspace = connection->stream->workspace;
  gint64 last = baton_workspace_last_seq (workspace);
  gint64 first = baton_workspace_first_seq (workspace);

  if (since > last || since < first - 1)
    {
      send_control (connection, "resync_required", last);
      return;
    }
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) events = baton_workspace_events_since (workspace, since,
                                                                  connection->agent_id,
                                                                  REPLAY_BATCH, &error);

      if (events == NULL)
        {
          g_warning ("Cannot replay events: %s", error->message);
          send_control (connection, "resync_required", last);
          return;
        }
      for (guint i = 0; i < events->len; i++)
        {
          g_autofree char *text = NULL;

          send_event (connection, events->pdata[i], &text);
        }
      if (events->len < REPLAY_BATCH)
        return;
      since = ((BatonEvent *) events->pdata[events->len - 1])->seq;
    }
}

static void
websocket_cb (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *websocket,
              gpointer                 user_data)
{
  BatonStream *self = user_data;
  BatonAgent *agent = g_object_get_data (G_OBJECT (msg), "baton-agent");
  GUri *uri = soup_server_message_get_uri (msg);
  g_autoptr(GHashTable) query = NULL;
  Connection *connection = NULL;
  gint64 since = 0;

  if (agent == NULL)
    {
      soup_websocket_connection_close (websocket, 4401, "unauthorized");
      return;
    }
  if (g_uri_get_query (uri))
    query = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);

  connection = g_new0 (Connection, 1);
  connection->stream = self;
  connection->connection = g_object_ref (websocket);
  connection->agent_id = g_strdup (agent->id);
  connection->token_hash = g_strdup (g_object_get_data (G_OBJECT (msg), "baton-token-hash"));
  connection->last_heard_us = g_get_monotonic_time ();
  g_signal_connect (websocket, "closed", G_CALLBACK (closed_cb), connection);
  g_signal_connect (websocket, "message", G_CALLBACK (message_cb), connection);
  g_signal_connect (websocket, "pong", G_CALLBACK (pong_cb), connection);
  soup_websocket_connection_set_keepalive_interval (websocket, PING_INTERVAL_S);
  connection->ping_id = g_timeout_add_seconds (PING_INTERVAL_S, ping_cb, connection);

  /* Replay and registration happen in one turn of the loop: no commit can slip between. */
  if (query && parse_since (g_hash_table_lookup (query, "since"), &since))
    replay (connection, since);
  g_ptr_array_add (self->connections, connection);
  baton_workspace_stream_opened (self->workspace, connection->agent_id);
}

static void
early_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  BatonStream *self = user_data;
  g_autofree char *token_hash = NULL;
  BatonAgent *agent = self->authenticate (msg, &token_hash, self->authenticate_data);
  const char *since = query ? g_hash_table_lookup (query, "since") : NULL;
  gint64 value = 0;

  if (agent == NULL)
    {
      static const char body[] =
        "{\"error\":{\"code\":\"unauthorized\",\"message\":\"A valid token is required\"}}";

      soup_server_message_set_status (msg, 401, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body,
                                        strlen (body));
      return;
    }
  if (since && !parse_since (since, &value))
    {
      static const char body[] =
        "{\"error\":{\"code\":\"bad_request\",\"message\":\"since must be a sequence number\"}}";

      baton_agent_unref (agent);
      soup_server_message_set_status (msg, 400, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body,
                                        strlen (body));
      return;
    }
  g_object_set_data_full (G_OBJECT (msg), "baton-agent", agent,
                          (GDestroyNotify) baton_agent_unref);
  g_object_set_data_full (G_OBJECT (msg), "baton-token-hash", g_steal_pointer (&token_hash),
                          g_free);
}

static void
baton_stream_dispose (GObject *object)
{
  BatonStream *self = BATON_STREAM (object);

  if (self->workspace)
    g_clear_signal_handler (&self->event_id, self->workspace);
  g_clear_pointer (&self->connections, g_ptr_array_unref);
  g_clear_object (&self->workspace);

  G_OBJECT_CLASS (baton_stream_parent_class)->dispose (object);
}

static void
baton_stream_class_init (BatonStreamClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = baton_stream_dispose;
}

static void
baton_stream_init (BatonStream *self)
{
  self->connections = g_ptr_array_new_with_free_func ((GDestroyNotify) connection_free);
}

BatonStream *
baton_stream_new (BatonWorkspace *workspace)
{
  BatonStream *self = g_object_new (BATON_TYPE_STREAM, NULL);

  self->workspace = g_object_ref (workspace);
  self->event_id = g_signal_connect_swapped (workspace, "event",
                                             G_CALLBACK (workspace_event_cb), self);
  return self;
}

void
baton_stream_attach (BatonStream           *self,
                     SoupServer            *server,
                     BatonAuthenticateFunc  authenticate,
                     gpointer               user_data)
{
  self->authenticate = authenticate;
  self->authenticate_data = user_data;
  soup_server_add_early_handler (server, STREAM_PATH, early_cb, self, NULL);
  soup_server_add_websocket_handler (server, STREAM_PATH, NULL, NULL, websocket_cb, self, NULL);
}

guint
baton_stream_get_n_connections (BatonStream *self)
{
  return self->connections->len;
}

void
baton_stream_close_all (BatonStream *self)
{
  g_ptr_array_set_size (self->connections, 0);
}

void
baton_stream_close_token (BatonStream *self,
                          const char  *token_hash)
{
  for (guint i = self->connections->len; i > 0; i--)
    {
      Connection *connection = self->connections->pdata[i - 1];

      if (g_strcmp0 (connection->token_hash, token_hash) == 0
          && soup_websocket_connection_get_state (connection->connection)
             == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (connection->connection, 4401, "session ended");
    }
}
