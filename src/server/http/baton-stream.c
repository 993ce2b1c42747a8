/* baton-stream.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-stream"

#include "config.h"

#include "baton-json.h"
#include "baton-mailbox.h"
#include "baton-request.h"
#include "baton-source.h"
#include "baton-stream.h"
#include "baton-websocket.h"

/* The event stream of PROTOCOL.md §4: a WebSocket per agent connection, replay from the
 * persisted log, then live events as they are committed.
 *
 * A replay is read from the log a slice at a time, one slice per low-priority turn of the main
 * loop, so that requests and live events are served meanwhile. While a connection replays,
 * live events are not sent to it: they are in the log, and the replay reaches them in order.
 *
 * Live events are written out once per turn of the loop: each stream collects, in seq order,
 * the events of the turn it may see, and a source of the next turn sends each stream one
 * frame: the event itself, or the JSON array of them. Every event is serialized once, and
 * streams that see the same events share one frame's text.
 * Each connection knows how many bytes it has queued for the peer; a replay waits while that
 * is above a window, and a peer whose queue passes the limit is closed.
 *
 * The streams live on the network's thread, the workspace on its own: what they ask of it (a
 * token checked, a slice of the log, an agent online or gone) goes through the workspace's
 * mailbox, and its events come back through the network's, in the order they were
 * committed. */

#define STREAM_PATH "/api/v1/stream"
#define PING_INTERVAL_S 30
#define IDLE_LIMIT_US ((gint64) 90 * G_USEC_PER_SEC)
#define REPLAY_SLICE 250
/* an array frame stays under libsoup's default limit of what a client takes (128 KiB) */
#define FRAME_LIMIT (64 * 1024)
/* past this many events behind, reloading by REST is cheaper than a replay */
#define DEFAULT_REPLAY_LIMIT 5000
#define DEFAULT_QUEUE_LIMIT ((guint64) 8 * 1024 * 1024)
/* a replay waits while more than queue_limit / REPLAY_WINDOW_DIVISOR is queued */
#define REPLAY_WINDOW_DIVISOR 16
#define CLOSE_UNAUTHORIZED 4401
#define CLOSE_TOO_SLOW 4429

struct _BatonStream
{
  GObject parent_instance;

  /* borrowed: the workspace is touched only through to_workspace */
  BatonWorkspace *workspace;
  BatonMailbox *to_workspace;
  BatonMailbox *to_network;

  /* owned */
  BatonClock *clock;
  GPtrArray *connections;
  /* handshakes waiting for their token's check: SoupServerMessage by serial */
  GHashTable *handshakes;
  /* the texts (GBytes) of the events of this turn that some stream will be sent */
  GPtrArray *turn;
  guint flush_id;

  /* the workspace's: the events of the commit being published, handed over together */
  GPtrArray *handing;

  /* state */
  gulong event_id;
  gulong published_id;
  /* the last seq the workspace handed over */
  gint64 published_seq;
  guint64 next_serial;
  guint64 replay_limit;
  guint64 queue_limit;
  /* streams closed with CLOSE_TOO_SLOW */
  guint64 n_too_slow;
};

typedef struct {
  BatonStream *stream;
  guint64 serial;
  BatonWebsocket *websocket;
  char *agent_id;
  /* the SHA-256 of the token that opened it: revoking that session closes it */
  char *token_hash;
  gint64 last_heard_us;
  guint ping_id;

  /* what was sent: every event up to cursor the agent may see */
  gint64 cursor;
  /* the texts of this turn's events for this stream, borrowed from the stream's turn */
  GPtrArray *batch;
  /* TRUE while the cursor is behind the log; reading while the workspace reads a slice */
  gboolean replaying;
  gboolean reading;
} Connection;

G_DEFINE_FINAL_TYPE (BatonStream, baton_stream, G_TYPE_OBJECT)

static void read_slice (Connection *connection,
                        gboolean    first);
static void flush_turn (BatonStream *self);

static void
connection_free (Connection *connection)
{
  g_clear_handle_id (&connection->ping_id, baton_source_remove_local);
  g_signal_handlers_disconnect_by_data (connection->websocket, connection);
  baton_websocket_close (connection->websocket, BATON_WEBSOCKET_CLOSE_GOING_AWAY,
                         "server shutting down");
  g_object_unref (connection->websocket);
  g_free (connection->agent_id);
  g_free (connection->token_hash);
  g_ptr_array_unref (connection->batch);
  g_free (connection);
}

/* Ends a stream: the close frame follows what is queued, and the connection drops 5 s later
 * if the peer has not read that far. */
static void
close_connection (Connection *connection,
                  gushort     code,
                  const char *reason)
{
  connection->replaying = FALSE;
  baton_websocket_close (connection->websocket, code, reason);
}

typedef gboolean (*ConnectionMatchFunc) (Connection    *connection,
                                         gconstpointer  data);

static void
close_matching (BatonStream         *self,
                ConnectionMatchFunc  match,
                gconstpointer        data,
                gushort              code,
                const char          *reason)
{
  /* what the turn gave them goes before the close */
  flush_turn (self);
  for (guint i = 0; i < self->connections->len; i++)
    {
      Connection *connection = self->connections->pdata[i];

      if (match (connection, data))
        close_connection (connection, code, reason);
    }
}

static gboolean
connection_has_agent (Connection    *connection,
                      gconstpointer  agent_id)
{
  return g_strcmp0 (connection->agent_id, agent_id) == 0;
}

static guint64
queued (Connection *connection)
{
  return baton_websocket_get_queued (connection->websocket);
}

/* One text frame, its payload in pieces (baton_websocket_send_text_pieces). */
static void
send_pieces (Connection    *connection,
             GBytes *const *pieces,
             guint          n_pieces)
{
  if (!baton_websocket_is_open (connection->websocket))
    return;
  baton_websocket_send_text_pieces (connection->websocket, pieces, n_pieces);
  if (queued (connection) > connection->stream->queue_limit)
    {
      connection->stream->n_too_slow++;
      close_connection (connection, CLOSE_TOO_SLOW, "the client does not read the stream");
    }
}

/* frames: each the GPtrArray of its pieces (frames_of) */
static void
send_frames (Connection *connection,
             GPtrArray  *frames)
{
  for (guint i = 0; i < frames->len; i++)
    {
      GPtrArray *pieces = frames->pdata[i];

      send_pieces (connection, (GBytes **) pieces->pdata, pieces->len);
    }
}

static GBytes *
event_text (BatonEvent *event)
{
  char *text = baton_event_to_string (event);

  return g_bytes_new_take (text, strlen (text));
}

/* The pieces of one array of texts[0..n), n > 1: the texts themselves, shared, and the
 * punctuation between them. */
static GPtrArray *
array_pieces (GBytes *const *texts,
              guint          n)
{
  /* the streams are the main thread's */
  static GBytes *open, *comma, *close;
  GPtrArray *pieces = g_ptr_array_new_full (2 * n + 1, (GDestroyNotify) g_bytes_unref);

  if (open == NULL)
    {
      open = g_bytes_new_static ("[", 1);
      comma = g_bytes_new_static (",", 1);
      close = g_bytes_new_static ("]", 1);
    }
  for (guint i = 0; i < n; i++)
    {
      g_ptr_array_add (pieces, g_bytes_ref (i == 0 ? open : comma));
      g_ptr_array_add (pieces, g_bytes_ref (texts[i]));
    }
  g_ptr_array_add (pieces, g_bytes_ref (close));
  return pieces;
}

/* The frames that carry the event texts in order, each the GPtrArray of its pieces: one
 * event alone as its object, several as arrays of at most FRAME_LIMIT bytes (an event larger
 * than that goes alone). */
static GPtrArray *
frames_of (GBytes *const *texts,
           guint          n)
{
  GPtrArray *frames = g_ptr_array_new_full (1, (GDestroyNotify) g_ptr_array_unref);
  guint start = 0;

  while (start < n)
    {
      gsize size = g_bytes_get_size (texts[start]) + 2;
      guint end = start + 1;

      while (end < n && size + g_bytes_get_size (texts[end]) + 1 <= FRAME_LIMIT)
        size += g_bytes_get_size (texts[end++]) + 1;
      if (end - start == 1)
        {
          GPtrArray *alone = g_ptr_array_new_full (1, (GDestroyNotify) g_bytes_unref);

          g_ptr_array_add (alone, g_bytes_ref (texts[start]));
          g_ptr_array_add (frames, alone);
        }
      else
        {
          g_ptr_array_add (frames, array_pieces (texts + start, end - start));
        }
      start = end;
    }
  return frames;
}

static guint64
replay_window (Connection *connection)
{
  return connection->stream->queue_limit / REPLAY_WINDOW_DIVISOR;
}

/* Asks for the next slice of a replay unless more than window is queued; the WebSocket's
 * progress (written_cb) tries again. */
static void
resume_replay (Connection *connection,
               guint64     window)
{
  if (connection->replaying && !connection->reading && queued (connection) < window)
    read_slice (connection, FALSE);
}

static void
written_cb (BatonWebsocket *websocket,
            Connection     *connection)
{
  /* half the window: a replay does not wake for every frame written */
  resume_replay (connection, replay_window (connection) / 2);
}

static guint
batch_hash (gconstpointer key)
{
  const GPtrArray *batch = key;
  guint hash = batch->len;

  for (guint i = 0; i < batch->len; i++)
    hash = hash * 31 + g_direct_hash (batch->pdata[i]);
  return hash;
}

static gboolean
batch_equal (gconstpointer a,
             gconstpointer b)
{
  const GPtrArray *one = a;
  const GPtrArray *other = b;

  return one->len == other->len
         && memcmp (one->pdata, other->pdata, one->len * sizeof (gpointer)) == 0;
}

/* Sends every stream what it collected this turn. Streams given the same events (all but
 * those with a notification of their own, usually) share the frames. */
static void
flush_turn (BatonStream *self)
{
  /* the frames of a batch, by the batch: the keys are the streams' batches */
  g_autoptr(GHashTable) frames = NULL;

  g_clear_handle_id (&self->flush_id, baton_source_remove_local);
  if (self->turn->len == 0)
    return;
  frames = g_hash_table_new_full (batch_hash, batch_equal, NULL,
                                  (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < self->connections->len; i++)
    {
      Connection *connection = self->connections->pdata[i];
      GPtrArray *batch = connection->batch;
      GPtrArray *sent = NULL;

      if (batch->len == 0)
        continue;
      sent = g_hash_table_lookup (frames, batch);
      if (sent == NULL)
        {
          sent = frames_of ((GBytes **) batch->pdata, batch->len);
          g_hash_table_insert (frames, batch, sent);
        }
      send_frames (connection, sent);
    }
  g_clear_pointer (&frames, g_hash_table_unref);
  for (guint i = 0; i < self->connections->len; i++)
    g_ptr_array_set_size (((Connection *) self->connections->pdata[i])->batch, 0);
  g_ptr_array_set_size (self->turn, 0);
}

static gboolean
flush_cb (gpointer user_data)
{
  BatonStream *self = user_data;

  self->flush_id = 0;
  flush_turn (self);
  return G_SOURCE_REMOVE;
}

/* An event as the network's thread sends it, made on the workspace's: what was allocated
 * there is freed there, and the text is made once for every stream. */
typedef struct {
  gint64 seq;
  char *agent_id;
  GBytes *text;
  /* agent.deleted: the agent removed */
  char *removed_id;
} Sent;

static void
sent_free (Sent *sent)
{
  g_free (sent->agent_id);
  g_bytes_unref (sent->text);
  g_free (sent->removed_id);
  g_free (sent);
}

static Sent *
sent_new (BatonEvent *event)
{
  Sent *sent = g_new0 (Sent, 1);

  sent->seq = event->seq;
  sent->agent_id = g_strdup (event->agent_id);
  sent->text = event_text (event);
  if (g_str_equal (event->type, "agent.deleted") && event->data
      && JSON_NODE_HOLDS_OBJECT (event->data))
    sent->removed_id = g_strdup (json_object_get_string_member_with_default (
                                   json_node_get_object (event->data), "id", NULL));
  return sent;
}

static void
deliver_event (BatonStream *self,
               Sent        *event)
{
  /* the same text for every stream: written out once, not once per stream */
  GBytes *text = NULL;

  for (guint i = 0; i < self->connections->len; i++)
    {
      Connection *connection = self->connections->pdata[i];

      /* a replaying stream reads this event from the log after the ones before it */
      if (connection->replaying || event->seq <= connection->cursor)
        continue;
      connection->cursor = event->seq;
      if (event->agent_id && g_strcmp0 (event->agent_id, connection->agent_id) != 0)
        continue;
      if (text == NULL)
        {
          text = g_bytes_ref (event->text);
          g_ptr_array_add (self->turn, text);
        }
      g_ptr_array_add (connection->batch, text);
    }
  if (text && self->flush_id == 0)
    self->flush_id = baton_idle_add_local (G_PRIORITY_DEFAULT, flush_cb, self, NULL);

  /* A removed agent's token is dead: so are their streams. */
  if (event->removed_id)
    close_matching (self, connection_has_agent, event->removed_id, CLOSE_UNAUTHORIZED,
                    "agent removed");
}

typedef struct {
  BatonStream *stream;
  GPtrArray *events;
} Handed;

static void
handed_free (Handed *handed)
{
  g_ptr_array_unref (handed->events);
  g_free (handed);
}

/* On the network's thread: the events of a commit, sent in the same frames. */
static void
handed_cb (gpointer data)
{
  Handed *handed = data;

  for (guint i = 0; i < handed->events->len; i++)
    {
      Sent *event = handed->events->pdata[i];

      handed->stream->published_seq = MAX (handed->stream->published_seq, event->seq);
      deliver_event (handed->stream, event);
    }
}

/* On the workspace's thread: a committed event, kept until its commit's are all out. */
static void
workspace_event_cb (BatonStream *self,
                    BatonEvent  *event)
{
  g_ptr_array_add (self->handing, sent_new (event));
}

static void
events_published_cb (BatonStream *self)
{
  Handed *handed = g_new (Handed, 1);

  handed->stream = self;
  handed->events = g_steal_pointer (&self->handing);
  self->handing = g_ptr_array_new_with_free_func ((GDestroyNotify) sent_free);
  baton_mailbox_post (self->to_network, handed_cb, handed, (GDestroyNotify) handed_free);
}

typedef struct {
  BatonWorkspace *workspace;
  char *agent_id;
  gboolean opened;
} Presence;

static void
presence_free (Presence *presence)
{
  g_free (presence->agent_id);
  g_free (presence);
}

static void
presence_cb (gpointer data)
{
  Presence *presence = data;

  if (presence->opened)
    baton_workspace_stream_opened (presence->workspace, presence->agent_id);
  else
    baton_workspace_stream_closed (presence->workspace, presence->agent_id);
}

/* Tells the workspace that a stream of the agent opened or closed. */
static void
post_presence (BatonStream *self,
               const char  *agent_id,
               gboolean     opened)
{
  Presence *presence = g_new (Presence, 1);

  presence->workspace = self->workspace;
  presence->agent_id = g_strdup (agent_id);
  presence->opened = opened;
  baton_mailbox_post (self->to_workspace, presence_cb, presence,
                      (GDestroyNotify) presence_free);
}

static void
send_control (Connection *connection,
              const char *type,
              gint64      seq)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GBytes) frame = NULL;
  gsize length = 0;

  json_builder_begin_object (builder);
  if (seq >= 0)
    {
      json_builder_set_member_name (builder, "seq");
      json_builder_add_int_value (builder, seq);
    }
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
  baton_json_add_time (builder, "at", baton_clock_now_ms (connection->stream->clock));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = baton_json_to_string (root);
  length = strlen (text);
  frame = g_bytes_new_take (g_steal_pointer (&text), length);
  send_pieces (connection, &frame, 1);
}

static void
remove_connection (Connection *connection)
{
  BatonStream *self = connection->stream;
  g_autofree char *agent_id = g_strdup (connection->agent_id);

  if (g_ptr_array_remove (self->connections, connection))
    post_presence (self, agent_id, FALSE);
}

static void
closed_cb (BatonWebsocket *websocket,
           Connection     *connection)
{
  remove_connection (connection);
}

static void
message_cb (BatonWebsocket *websocket,
            GBytes         *message,
            Connection     *connection)
{
  g_autoptr(JsonObject) object = NULL;
  const char *kind = NULL;
  gsize length = 0;
  const char *data = g_bytes_get_data (message, &length);

  object = baton_json_parse_object (data, length, NULL);
  if (object && baton_json_read_string (object, "type", BATON_JSON_OPTIONAL, &kind, NULL)
      && g_strcmp0 (kind, "ping") == 0)
    send_control (connection, "pong", -1);
}

static void
heard_cb (BatonWebsocket *websocket,
          Connection     *connection)
{
  connection->last_heard_us = g_get_monotonic_time ();
}

/* Pings both ways a client may answer: a WebSocket ping and a {"type":"ping"} text frame;
 * silence (no frame of any kind) for 90 s ends the stream. */
static gboolean
ping_cb (gpointer user_data)
{
  Connection *connection = user_data;

  if (g_get_monotonic_time () - connection->last_heard_us > IDLE_LIMIT_US)
    {
      connection->ping_id = 0;
      close_connection (connection, BATON_WEBSOCKET_CLOSE_POLICY_VIOLATION, "no pong for 90 s");
      return G_SOURCE_REMOVE;
    }
  baton_websocket_send_ping (connection->websocket);
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

/* Live from seq, the workspace's last: the client reloads by REST (PROTOCOL.md §4). */
static void
resync (Connection *connection,
        gint64      seq)
{
  connection->cursor = seq;
  connection->replaying = FALSE;
  send_control (connection, "resync_required", connection->cursor);
}

/* A slice of the log for a replaying stream: asked on the network's thread, read on the
 * workspace's, sent on the network's. */
typedef struct {
  BatonStream *stream;
  guint64 serial;
  char *agent_id;
  gint64 cursor;
  /* the first slice checks that the log still holds what follows the cursor */
  gboolean first;

  /* what the workspace read: the events' texts (GBytes) and the last one's seq, or resync;
   * and its last published seq */
  GPtrArray *texts;
  gint64 last_read;
  gboolean resync;
  gint64 published_seq;
} Slice;

static void
slice_release (Slice *slice)
{
  g_free (slice->agent_id);
  g_clear_pointer (&slice->texts, g_ptr_array_unref);
}

static void
slice_unref (Slice *slice)
{
  g_atomic_rc_box_release_full (slice, (GDestroyNotify) slice_release);
}

static Connection *
find_connection (BatonStream *self,
                 guint64      serial)
{
  for (guint i = 0; i < self->connections->len; i++)
    if (((Connection *) self->connections->pdata[i])->serial == serial)
      return self->connections->pdata[i];
  return NULL;
}

/* On the network's thread: the slice read, sent; once the log has nothing after it, the
 * stream is live from the published seq. */
static void
slice_read_cb (gpointer data)
{
  Slice *slice = data;
  Connection *connection = find_connection (slice->stream, slice->serial);
  GPtrArray *texts = slice->texts;

  if (connection == NULL || !connection->replaying)
    return;
  connection->reading = FALSE;
  if (slice->resync)
    {
      resync (connection, slice->published_seq);
      return;
    }
  if (texts->len > 0)
    {
      g_autoptr(GPtrArray) frames = frames_of ((GBytes **) texts->pdata, texts->len);

      connection->cursor = slice->last_read;
      send_frames (connection, frames);
    }
  if (texts->len < REPLAY_SLICE && connection->replaying)
    {
      /* later events are on their way here, and skipped up to this seq */
      connection->cursor = MAX (connection->cursor, slice->published_seq);
      connection->replaying = FALSE;
    }
  /* the next slice, or waiting for the queue to drain (written_cb) */
  resume_replay (connection, replay_window (connection));
}

/* On the workspace's thread: a slice up to the last published seq (a turn's transaction may
 * hold later ones, which the stream gets live). */
static void
read_slice_cb (gpointer data)
{
  Slice *slice = data;
  BatonStream *self = slice->stream;
  BatonWorkspace *workspace = self->workspace;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  gint64 last = baton_workspace_published_seq (workspace);

  slice->published_seq = last;
  if (slice->first
      && (slice->cursor > last || slice->cursor < baton_workspace_first_seq (workspace) - 1
          || (guint64) (last - slice->cursor) > self->replay_limit))
    slice->resync = TRUE;
  else
    events = baton_workspace_events_since (workspace, slice->cursor, slice->agent_id,
                                           REPLAY_SLICE, &error);
  if (!slice->resync && events == NULL)
    {
      g_warning ("Cannot replay events: %s", error->message);
      slice->resync = TRUE;
    }
  if (events)
    {
      slice->texts = g_ptr_array_new_full (events->len, (GDestroyNotify) g_bytes_unref);
      for (guint i = 0; i < events->len; i++)
        g_ptr_array_add (slice->texts, event_text (events->pdata[i]));
      if (events->len > 0)
        slice->last_read = ((BatonEvent *) events->pdata[events->len - 1])->seq;
    }
  baton_mailbox_post (self->to_network, slice_read_cb, g_atomic_rc_box_acquire (slice),
                      (GDestroyNotify) slice_unref);
}

static void
read_slice (Connection *connection,
            gboolean    first)
{
  Slice *slice = g_atomic_rc_box_new0 (Slice);

  slice->stream = connection->stream;
  slice->serial = connection->serial;
  slice->agent_id = g_strdup (connection->agent_id);
  slice->cursor = connection->cursor;
  slice->first = first;
  connection->reading = TRUE;
  baton_mailbox_post (connection->stream->to_workspace, read_slice_cb, slice,
                      (GDestroyNotify) slice_unref);
}

/* since < 0: live only */
static void
start_stream (Connection *connection,
              gint64      since)
{
  connection->cursor = connection->stream->published_seq;
  if (since < 0)
    return;
  connection->cursor = since;
  connection->replaying = TRUE;
  read_slice (connection, TRUE);
}

static gint64
query_since (SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);
  g_autoptr(GHashTable) query = NULL;
  gint64 since = -1;

  if (g_uri_get_query (uri))
    query = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);
  if (query == NULL || !parse_since (g_hash_table_lookup (query, "since"), &since))
    return -1;
  return since;
}

static void
open_connection (BatonStream       *self,
                 SoupServerMessage *msg,
                 BatonWebsocket    *websocket)
{
  BatonAgent *agent = g_object_get_data (G_OBJECT (msg), "baton-agent");
  Connection *connection = NULL;

  if (agent == NULL)
    {
      baton_websocket_close (websocket, CLOSE_UNAUTHORIZED, "unauthorized");
      return;
    }

  connection = g_new0 (Connection, 1);
  connection->stream = self;
  connection->serial = ++self->next_serial;
  connection->websocket = g_object_ref (websocket);
  connection->agent_id = g_strdup (agent->id);
  connection->token_hash = g_strdup (g_object_get_data (G_OBJECT (msg), "baton-token-hash"));
  connection->batch = g_ptr_array_sized_new (8);
  connection->last_heard_us = g_get_monotonic_time ();
  g_signal_connect (websocket, "closed", G_CALLBACK (closed_cb), connection);
  g_signal_connect (websocket, "message", G_CALLBACK (message_cb), connection);
  g_signal_connect (websocket, "heard", G_CALLBACK (heard_cb), connection);
  g_signal_connect (websocket, "written", G_CALLBACK (written_cb), connection);
  connection->ping_id = baton_timeout_add_seconds_local (PING_INTERVAL_S, ping_cb,
                                                         connection);

  /* The cursor is set and the stream registered in one turn of the loop: no event handed
   * over can slip between. */
  g_ptr_array_add (self->connections, connection);
  start_stream (connection, query_since (msg));
  post_presence (self, connection->agent_id, TRUE);
}

/* The 101 is written: the connection is ours (baton-websocket.c says why not libsoup's). */
static void
upgraded_cb (BatonStream       *self,
             SoupServerMessage *msg)
{
  g_autoptr(SoupServerMessage) keep = g_object_ref (msg);
  g_autoptr(GIOStream) base = soup_server_message_steal_connection (msg);
  g_autoptr(BatonWebsocket) websocket = baton_websocket_new (base);

  open_connection (self, msg, websocket);
}

static void
refuse (SoupServerMessage *msg,
        guint              status,
        const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body,
                                    strlen (body));
}

/* A handshake's token, checked on the workspace's thread. */
typedef struct {
  BatonStream *stream;
  guint64 serial;
  char *token;
  BatonAgent *agent;
  char *token_hash;
} Check;

static void
check_release (Check *check)
{
  g_free (check->token);
  g_clear_pointer (&check->agent, baton_agent_unref);
  g_free (check->token_hash);
}

static void
check_unref (Check *check)
{
  g_atomic_rc_box_release_full (check, (GDestroyNotify) check_release);
}

/* On the network's thread: the handshake answered, 101 or 401. */
static void
checked_cb (gpointer data)
{
  Check *check = data;
  BatonStream *self = check->stream;
  g_autoptr(SoupServerMessage) msg = NULL;
  g_autofree guint64 *serial = NULL;

  if (!g_hash_table_steal_extended (self->handshakes, &check->serial, (gpointer *) &serial,
                                    (gpointer *) &msg))
    return;
  if (check->agent == NULL)
    {
      refuse (msg, 401,
              "{\"error\":{\"code\":\"unauthorized\",\"message\":\"A valid token is required\"}}");
    }
  else if (soup_websocket_server_process_handshake (msg, NULL, NULL, NULL, NULL))
    {
      g_object_set_data_full (G_OBJECT (msg), "baton-agent", g_steal_pointer (&check->agent),
                              (GDestroyNotify) baton_agent_unref);
      g_object_set_data_full (G_OBJECT (msg), "baton-token-hash",
                              g_steal_pointer (&check->token_hash), g_free);
      g_signal_connect_object (msg, "wrote-informational", G_CALLBACK (upgraded_cb), self,
                               G_CONNECT_SWAPPED);
    }
  soup_server_message_unpause (msg);
}

static void
check_cb (gpointer data)
{
  Check *check = data;

  check->agent = baton_workspace_authenticate (check->stream->workspace, check->token,
                                               &check->token_hash);
  baton_mailbox_post (check->stream->to_network, checked_cb, g_atomic_rc_box_acquire (check),
                      (GDestroyNotify) check_unref);
}

/* The bearer token, or ?access_token= for clients that cannot set headers. */
static const char *
stream_token (SoupServerMessage *msg,
              GHashTable        *query)
{
  const char *token = baton_request_bearer_token (soup_server_message_get_request_headers (msg));

  if (token == NULL && query)
    token = g_hash_table_lookup (query, "access_token");
  return token;
}

/* No extension is accepted: frames are sent as given, shared by every stream. */
static void
handshake_cb (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  BatonStream *self = user_data;
  Check *check = NULL;

  if (soup_server_message_get_status (msg) != 0)
    return;
  check = g_atomic_rc_box_new0 (Check);
  check->stream = self;
  check->serial = ++self->next_serial;
  check->token = g_strdup (stream_token (msg, query));
  g_hash_table_insert (self->handshakes, g_memdup2 (&check->serial, sizeof check->serial),
                       g_object_ref (msg));
  soup_server_message_pause (msg);
  baton_mailbox_post (self->to_workspace, check_cb, check, (GDestroyNotify) check_unref);
}

static void
early_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  const char *since = query ? g_hash_table_lookup (query, "since") : NULL;
  gint64 value = 0;

  if (since && !parse_since (since, &value))
    refuse (msg, 400,
            "{\"error\":{\"code\":\"bad_request\",\"message\":\"since must be a sequence number\"}}");
}

static void
baton_stream_dispose (GObject *object)
{
  BatonStream *self = BATON_STREAM (object);

  if (self->workspace)
    {
      g_clear_signal_handler (&self->event_id, self->workspace);
      g_clear_signal_handler (&self->published_id, self->workspace);
    }
  g_clear_pointer (&self->handing, g_ptr_array_unref);
  g_clear_handle_id (&self->flush_id, baton_source_remove_local);
  g_clear_pointer (&self->connections, g_ptr_array_unref);
  g_clear_pointer (&self->handshakes, g_hash_table_unref);
  g_clear_object (&self->clock);
  g_clear_pointer (&self->turn, g_ptr_array_unref);
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
  self->handing = g_ptr_array_new_with_free_func ((GDestroyNotify) sent_free);
  self->handshakes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                            g_object_unref);
  self->turn = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  self->replay_limit = DEFAULT_REPLAY_LIMIT;
  self->queue_limit = DEFAULT_QUEUE_LIMIT;
}

/* Before the workspace's thread runs, or on it: the stream starts from its published seq. */
BatonStream *
baton_stream_new (BatonWorkspace *workspace,
                  BatonMailbox   *to_workspace,
                  BatonMailbox   *to_network)
{
  BatonStream *self = g_object_new (BATON_TYPE_STREAM, NULL);

  self->workspace = g_object_ref (workspace);
  self->to_workspace = to_workspace;
  self->to_network = to_network;
  self->clock = g_object_ref (baton_workspace_get_clock (workspace));
  self->published_seq = baton_workspace_published_seq (workspace);
  self->event_id = g_signal_connect_swapped (workspace, "event",
                                             G_CALLBACK (workspace_event_cb), self);
  self->published_id = g_signal_connect_swapped (workspace, "events-published",
                                                 G_CALLBACK (events_published_cb), self);
  return self;
}

void
baton_stream_attach (BatonStream *self,
                     SoupServer  *server)
{
  soup_server_add_early_handler (server, STREAM_PATH, early_cb, self, NULL);
  soup_server_add_handler (server, STREAM_PATH, handshake_cb, self, NULL);
}

guint
baton_stream_get_n_connections (BatonStream *self)
{
  return self->connections->len;
}

guint64
baton_stream_get_n_too_slow (BatonStream *self)
{
  return self->n_too_slow;
}

void
baton_stream_close_all (BatonStream *self)
{
  g_ptr_array_set_size (self->connections, 0);
}

static gboolean
connection_has_token (Connection    *connection,
                      gconstpointer  token_hash)
{
  return g_strcmp0 (connection->token_hash, token_hash) == 0;
}

void
baton_stream_close_token (BatonStream *self,
                          const char  *token_hash)
{
  close_matching (self, connection_has_token, token_hash, CLOSE_UNAUTHORIZED, "session ended");
}

/* replay_limit: how far behind (in seq) a stream may start and still be replayed rather than
 * told to resync; queue_limit: the bytes queued for a client that close its stream. 0 keeps
 * the current value. */
void
baton_stream_set_limits (BatonStream *self,
                         guint64      replay_limit,
                         guint64      queue_limit)
{
  g_return_if_fail (BATON_IS_STREAM (self));

  if (replay_limit > 0)
    self->replay_limit = replay_limit;
  if (queue_limit > 0)
    self->queue_limit = queue_limit;
}
