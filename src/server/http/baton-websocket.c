/* baton-websocket.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-websocket"

#include "config.h"

#include <string.h>

#include "baton-source.h"
#include "baton-websocket.h"

/* The server's side of a WebSocket (RFC 6455) on a connection taken from libsoup after the
 * 101: the event stream's.
 *
 * libsoup's SoupWebsocketConnection (3.2) copies every frame it is given into a buffer of its
 * own and writes one frame per write. Every stream is sent the same events each turn, so that
 * copy was most of what the streams cost. Here a frame is its header and references to the
 * caller's pieces of its payload (events shared by every stream sent them, and the
 * punctuation between them), and the queued frames go out together in one writev. What is
 * queued is known exactly, which the stream's too-slow check needs.
 *
 * Frames sent are never fragmented and no extension is negotiated; frames received may be
 * fragmented, and must be masked (§5.3). A close frame ends sending: it follows what is
 * queued, and the connection is dropped once the peer has answered it, or 5 s after it was
 * queued, whichever comes first. */

/* as libsoup's default max-incoming-payload-size: clients send pings and pongs */
#define MAX_INCOMING (128 * 1024)
#define CLOSE_TIMEOUT_S 5
#define READ_CHUNK 4096
/* reads in one turn before others get theirs */
#define READS_PER_TURN 16
/* at most IOV_MAX (1024) */
#define MAX_VECTORS 256
#define MAX_CONTROL_PAYLOAD 125

typedef struct {
  guint8 header[10];
  guint8 header_length;
  /* the payload, in pieces */
  GBytes **pieces;
  guint n_pieces;
  /* of header and payload, the bytes there are and those already written */
  gsize size;
  gsize done;
} Frame;

struct _BatonWebsocket
{
  GObject parent_instance;

  /* owned */
  GIOStream *stream;
  GSource *read_source;
  GSource *write_source;
  guint close_timeout_id;
  /* Frame */
  GQueue frames;
  GByteArray *incoming;
  /* the fragments of the message being received */
  GByteArray *message;

  /* borrowed: the stream's */
  GPollableInputStream *input;
  GPollableOutputStream *output;

  /* state */
  guint64 queued;
  /* the opcode of the message being received, 0 between messages */
  guint8 message_opcode;
  gboolean close_sent;
  gboolean close_received;
  /* a protocol error: the connection drops once the close frame is written */
  gboolean failed;
  gboolean io_closed;
};

G_DEFINE_FINAL_TYPE (BatonWebsocket, baton_websocket, G_TYPE_OBJECT)

enum {
  MESSAGE,
  HEARD,
  WRITTEN,
  CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void write_queue (BatonWebsocket *self);

/* Frames */

static Frame *
frame_new (guint8         opcode,
           GBytes *const *pieces,
           guint          n_pieces)
{
  Frame *frame = g_new0 (Frame, 1);
  guint64 size = 0;

  frame->pieces = g_new (GBytes *, MAX (n_pieces, 1));
  for (guint i = 0; i < n_pieces; i++)
    {
      frame->pieces[i] = g_bytes_ref (pieces[i]);
      size += g_bytes_get_size (pieces[i]);
    }
  frame->n_pieces = n_pieces;
  frame->header[0] = 0x80 | opcode;
  if (size < 126)
    {
      frame->header[1] = (guint8) size;
      frame->header_length = 2;
    }
  else if (size < 65536)
    {
      frame->header[1] = 126;
      frame->header[2] = (guint8) (size >> 8);
      frame->header[3] = (guint8) size;
      frame->header_length = 4;
    }
  else
    {
      frame->header[1] = 127;
      for (guint i = 0; i < 8; i++)
        frame->header[2 + i] = (guint8) (size >> (56 - 8 * i));
      frame->header_length = 10;
    }
  frame->size = frame->header_length + size;
  return frame;
}

static void
frame_free (Frame *frame)
{
  for (guint i = 0; i < frame->n_pieces; i++)
    g_bytes_unref (frame->pieces[i]);
  g_free (frame->pieces);
  g_free (frame);
}

/* The connection */

static gboolean
emit_closed_cb (gpointer user_data)
{
  g_signal_emit (user_data, signals[CLOSED], 0);
  return G_SOURCE_REMOVE;
}

static void
destroy_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static void
drop_queue (BatonWebsocket *self)
{
  g_queue_clear_full (&self->frames, (GDestroyNotify) frame_free);
  self->queued = 0;
}

/* Drops the connection; "closed" follows in a turn of its own, so that no caller sees its
 * connection closed under it. */
static void
close_io (BatonWebsocket *self)
{
  if (self->io_closed)
    return;
  self->io_closed = TRUE;
  destroy_source (&self->read_source);
  destroy_source (&self->write_source);
  g_clear_handle_id (&self->close_timeout_id, baton_source_remove_local);
  drop_queue (self);
  g_io_stream_close (self->stream, NULL, NULL);
  baton_idle_add_local (G_PRIORITY_DEFAULT, emit_closed_cb, g_object_ref (self),
                        g_object_unref);
}

/* Takes written bytes off the queue's head. */
static void
consume (BatonWebsocket *self,
         gsize           written)
{
  while (written > 0)
    {
      Frame *frame = g_queue_peek_head (&self->frames);
      gsize left = frame->size - frame->done;

      if (written < left)
        {
          frame->done += written;
          self->queued -= written;
          return;
        }
      written -= left;
      self->queued -= left;
      frame_free (g_queue_pop_head (&self->frames));
    }
}

/* Adds what of data is left past *skip; FALSE once the vectors are full. */
static gboolean
add_vector (GOutputVector *vectors,
            guint         *n,
            gconstpointer  data,
            gsize          size,
            gsize         *skip)
{
  if (*skip >= size)
    {
      *skip -= size;
      return TRUE;
    }
  if (*n == MAX_VECTORS)
    return FALSE;
  vectors[*n].buffer = (const guint8 *) data + *skip;
  vectors[(*n)++].size = size - *skip;
  *skip = 0;
  return TRUE;
}

/* The vectors of the queue's first frames, from what is not written yet. */
static guint
fill_vectors (BatonWebsocket *self,
              GOutputVector  *vectors)
{
  guint n = 0;

  for (GList *l = self->frames.head; l != NULL; l = l->next)
    {
      Frame *frame = l->data;
      gsize skip = frame->done;

      if (!add_vector (vectors, &n, frame->header, frame->header_length, &skip))
        return n;
      for (guint i = 0; i < frame->n_pieces; i++)
        {
          gsize size = 0;
          gconstpointer data = g_bytes_get_data (frame->pieces[i], &size);

          if (!add_vector (vectors, &n, data, size, &skip))
            return n;
        }
    }
  return n;
}

static gboolean
writable_cb (GObject  *pollable,
             gpointer  user_data)
{
  BatonWebsocket *self = user_data;
  g_autoptr(BatonWebsocket) keep = g_object_ref (self);
  guint64 before = self->queued;

  g_clear_pointer (&self->write_source, g_source_unref);
  write_queue (self);
  if (!self->io_closed && self->queued < before)
    g_signal_emit (self, signals[WRITTEN], 0);
  /* write_queue attached a new source if it must wait again */
  return G_SOURCE_REMOVE;
}

/* Writes what the socket takes now; FALSE when the connection failed. */
static gboolean
write_now (BatonWebsocket *self)
{
  while (!g_queue_is_empty (&self->frames))
    {
      GOutputVector vectors[MAX_VECTORS];
      guint n = fill_vectors (self, vectors);
      gsize written = 0;
      g_autoptr(GError) error = NULL;
      GPollableReturn result;

      result = g_pollable_output_stream_writev_nonblocking (self->output, vectors, n,
                                                             &written, NULL, &error);
      if (result == G_POLLABLE_RETURN_WOULD_BLOCK)
        break;
      if (result == G_POLLABLE_RETURN_FAILED)
        {
          g_debug ("Cannot write to a WebSocket: %s", error->message);
          return FALSE;
        }
      consume (self, written);
    }
  return TRUE;
}

/* Writes what the socket takes now, and waits for it to take the rest. */
static void
write_queue (BatonWebsocket *self)
{
  if (self->io_closed)
    return;
  if (!write_now (self))
    {
      close_io (self);
      return;
    }
  if (g_queue_is_empty (&self->frames))
    {
      /* the close frame is written: a peer that answered it, or broke the protocol, is done */
      if (self->close_sent && (self->close_received || self->failed))
        close_io (self);
      return;
    }
  if (self->write_source == NULL)
    {
      self->write_source = g_pollable_output_stream_create_source (self->output, NULL);
      g_source_set_callback (self->write_source, G_SOURCE_FUNC (writable_cb), self, NULL);
      g_source_attach (self->write_source, g_main_context_get_thread_default ());
    }
}

static void
enqueue_pieces (BatonWebsocket *self,
                guint8          opcode,
                GBytes *const  *pieces,
                guint           n_pieces)
{
  Frame *frame = frame_new (opcode, pieces, n_pieces);

  self->queued += frame->size;
  g_queue_push_tail (&self->frames, frame);
  if (self->write_source == NULL)
    write_queue (self);
}

/* payload NULL: empty */
static void
enqueue (BatonWebsocket *self,
         guint8          opcode,
         GBytes         *payload)
{
  enqueue_pieces (self, opcode, &payload, payload ? 1 : 0);
}

static gboolean
close_timeout_cb (gpointer user_data)
{
  BatonWebsocket *self = user_data;

  self->close_timeout_id = 0;
  close_io (self);
  return G_SOURCE_REMOVE;
}

/* code 0: a close frame without a status */
static void
send_close (BatonWebsocket *self,
            gushort         code,
            const char     *reason)
{
  g_autoptr(GByteArray) payload = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  guint8 status[2] = { code >> 8, code & 0xff };

  if (self->close_sent || self->io_closed)
    return;
  self->close_sent = TRUE;
  if (code != 0)
    {
      g_byte_array_append (payload, status, 2);
      if (reason)
        g_byte_array_append (payload, (const guint8 *) reason,
                             MIN (strlen (reason), MAX_CONTROL_PAYLOAD - 2));
    }
  self->close_timeout_id = baton_timeout_add_seconds_local (CLOSE_TIMEOUT_S, close_timeout_cb,
                                                            self);
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&payload));
  enqueue (self, BATON_WEBSOCKET_OPCODE_CLOSE, bytes);
}

/* Frames received */

static void
fail (BatonWebsocket *self,
      gushort         code,
      const char     *reason)
{
  g_debug ("Closing a WebSocket: %s", reason);
  self->failed = TRUE;
  g_byte_array_set_size (self->message, 0);
  send_close (self, code, reason);
  if (g_queue_is_empty (&self->frames))
    close_io (self);
}

static gboolean
valid_close_code (guint code)
{
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011)
         || (code >= 3000 && code <= 4999);
}

static void
receive_close (BatonWebsocket *self,
               const guint8   *payload,
               gsize           length)
{
  guint code = length >= 2 ? (guint) payload[0] << 8 | payload[1] : 0;

  if (length == 1 || (length >= 2 && !valid_close_code (code))
      || (length > 2 && !g_utf8_validate_len ((const char *) payload + 2, length - 2, NULL)))
    {
      fail (self, BATON_WEBSOCKET_CLOSE_PROTOCOL_ERROR, "invalid close frame");
      return;
    }
  self->close_received = TRUE;
  if (self->close_sent)
    {
      if (g_queue_is_empty (&self->frames))
        close_io (self);
      return;
    }
  /* the peer is going: what it was not sent yet is dropped (a frame begun stays whole) */
  while (self->frames.length > 1)
    {
      Frame *frame = g_queue_pop_tail (&self->frames);

      self->queued -= frame->size;
      frame_free (frame);
    }
  if (!g_queue_is_empty (&self->frames) && ((Frame *) self->frames.head->data)->done == 0)
    drop_queue (self);
  send_close (self, code, NULL);
}

static void
receive_message (BatonWebsocket *self,
                 guint8          opcode,
                 const guint8   *data,
                 gsize           length)
{
  g_autoptr(GBytes) message = NULL;

  if (self->close_sent || opcode != BATON_WEBSOCKET_OPCODE_TEXT)
    return;
  if (!g_utf8_validate_len ((const char *) data, length, NULL))
    {
      fail (self, BATON_WEBSOCKET_CLOSE_BAD_DATA, "a text message is not UTF-8");
      return;
    }
  message = g_bytes_new (data, length);
  g_signal_emit (self, signals[MESSAGE], 0, message);
}

/* A data frame: a message whole, or one of its fragments. */
static void
receive_data (BatonWebsocket *self,
              gboolean        fin,
              guint8          opcode,
              const guint8   *payload,
              gsize           length)
{
  if ((opcode == BATON_WEBSOCKET_OPCODE_CONTINUATION) == (self->message_opcode == 0))
    {
      fail (self, BATON_WEBSOCKET_CLOSE_PROTOCOL_ERROR, "unexpected continuation");
      return;
    }
  if (opcode != BATON_WEBSOCKET_OPCODE_CONTINUATION && fin)
    {
      receive_message (self, opcode, payload, length);
      return;
    }
  if (self->message->len + length > MAX_INCOMING)
    {
      fail (self, BATON_WEBSOCKET_CLOSE_TOO_BIG, "message too big");
      return;
    }
  if (opcode != BATON_WEBSOCKET_OPCODE_CONTINUATION)
    self->message_opcode = opcode;
  g_byte_array_append (self->message, payload, length);
  if (!fin)
    return;
  receive_message (self, self->message_opcode, self->message->data, self->message->len);
  self->message_opcode = 0;
  g_byte_array_set_size (self->message, 0);
}

static void
receive_frame (BatonWebsocket *self,
               gboolean        fin,
               guint8          opcode,
               const guint8   *payload,
               gsize           length)
{
  gboolean control = (opcode & 0x8) != 0;

  if (control && (!fin || length > MAX_CONTROL_PAYLOAD))
    {
      fail (self, BATON_WEBSOCKET_CLOSE_PROTOCOL_ERROR, "invalid control frame");
      return;
    }
  g_signal_emit (self, signals[HEARD], 0);
  switch (opcode)
    {
    case BATON_WEBSOCKET_OPCODE_CONTINUATION:
    case BATON_WEBSOCKET_OPCODE_TEXT:
    case BATON_WEBSOCKET_OPCODE_BINARY:
      receive_data (self, fin, opcode, payload, length);
      break;
    case BATON_WEBSOCKET_OPCODE_CLOSE:
      receive_close (self, payload, length);
      break;
    case BATON_WEBSOCKET_OPCODE_PING:
      /* a peer that pings without reading gets no more pongs than one buffer holds */
      if (!self->close_sent && self->queued < MAX_INCOMING)
        {
          g_autoptr(GBytes) pong = g_bytes_new (payload, length);

          enqueue (self, BATON_WEBSOCKET_OPCODE_PONG, pong);
        }
      break;
    case BATON_WEBSOCKET_OPCODE_PONG:
      break;
    default:
      fail (self, BATON_WEBSOCKET_CLOSE_PROTOCOL_ERROR, "unknown opcode");
    }
}

/* The length of the frame at data (header, mask and payload), 0 while incomplete; sets
 * *error to a close code when the frame is refused. */
static gsize
frame_extent (const guint8 *data,
              gsize         available,
              gsize        *header,
              guint64      *length,
              gushort      *error)
{
  *header = 2;
  *length = data[1] & 0x7f;
  if (*length == 126)
    *header = 4;
  else if (*length == 127)
    *header = 10;
  if (available < *header)
    return 0;
  if (*header == 4)
    *length = (guint64) data[2] << 8 | data[3];
  else if (*header == 10)
    for (guint i = 0; i < 8; i++)
      *length = i == 0 ? data[2] : *length << 8 | data[2 + i];
  if ((data[0] & 0x70) != 0 || (data[1] & 0x80) == 0)
    *error = BATON_WEBSOCKET_CLOSE_PROTOCOL_ERROR;
  else if (*length > MAX_INCOMING)
    *error = BATON_WEBSOCKET_CLOSE_TOO_BIG;
  if (*error)
    return 0;
  *header += 4;
  return available < *header + *length ? 0 : *header + (gsize) *length;
}

static void
receive_frames (BatonWebsocket *self)
{
  gsize at = 0;

  while (!self->io_closed && !self->failed && self->incoming->len - at >= 2)
    {
      guint8 *data = self->incoming->data + at;
      gsize header = 0;
      guint64 length = 0;
      gushort error = 0;
      gsize extent = frame_extent (data, self->incoming->len - at, &header, &length, &error);
      const guint8 *mask = NULL;

      if (error)
        {
          fail (self, error, error == BATON_WEBSOCKET_CLOSE_TOO_BIG ? "frame too big"
                                                                   : "unmasked or reserved bits");
          break;
        }
      if (extent == 0)
        break;
      mask = data + header - 4;
      for (gsize i = 0; i < length; i++)
        data[header + i] ^= mask[i % 4];
      receive_frame (self, (data[0] & 0x80) != 0, data[0] & 0x0f, data + header, length);
      at += extent;
    }
  if (self->failed)
    at = self->incoming->len;
  g_byte_array_remove_range (self->incoming, 0, at);
}

static gboolean
readable_cb (GObject  *pollable,
             gpointer  user_data)
{
  BatonWebsocket *self = user_data;
  g_autoptr(BatonWebsocket) keep = g_object_ref (self);

  for (guint i = 0; i < READS_PER_TURN && !self->io_closed; i++)
    {
      guint old = self->incoming->len;
      g_autoptr(GError) error = NULL;
      gssize n = 0;

      g_byte_array_set_size (self->incoming, old + READ_CHUNK);
      n = g_pollable_input_stream_read_nonblocking (self->input, self->incoming->data + old,
                                                    READ_CHUNK, NULL, &error);
      g_byte_array_set_size (self->incoming, old + MAX (n, 0));
      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;
      if (n <= 0)
        {
          g_debug ("A WebSocket's peer is gone: %s", error ? error->message : "end of stream");
          close_io (self);
          break;
        }
      if (!self->failed)
        receive_frames (self);
      else
        g_byte_array_set_size (self->incoming, 0);
    }
  return self->io_closed ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

/* GObject */

static void
baton_websocket_dispose (GObject *object)
{
  BatonWebsocket *self = BATON_WEBSOCKET (object);

  if (!self->io_closed)
    {
      /* what the socket takes now: the close frame, as often as not */
      destroy_source (&self->write_source);
      write_now (self);
      self->io_closed = TRUE;
      g_io_stream_close (self->stream, NULL, NULL);
    }
  destroy_source (&self->read_source);
  g_clear_handle_id (&self->close_timeout_id, baton_source_remove_local);
  drop_queue (self);
  g_clear_object (&self->stream);

  G_OBJECT_CLASS (baton_websocket_parent_class)->dispose (object);
}

static void
baton_websocket_finalize (GObject *object)
{
  BatonWebsocket *self = BATON_WEBSOCKET (object);

  g_byte_array_unref (self->incoming);
  g_byte_array_unref (self->message);

  G_OBJECT_CLASS (baton_websocket_parent_class)->finalize (object);
}

static void
baton_websocket_class_init (BatonWebsocketClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = baton_websocket_dispose;
  object_class->finalize = baton_websocket_finalize;

  /* a text message, whole and valid UTF-8 */
  signals[MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BYTES);
  /* any frame from the peer: it is alive */
  signals[HEARD] = g_signal_new ("heard", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* the queue shrank after waiting for the socket */
  signals[WRITTEN] = g_signal_new ("written", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
baton_websocket_init (BatonWebsocket *self)
{
  g_queue_init (&self->frames);
  self->incoming = g_byte_array_new ();
  self->message = g_byte_array_new ();
}

/* stream: the connection after the 101, pollable both ways */
BatonWebsocket *
baton_websocket_new (GIOStream *stream)
{
  BatonWebsocket *self = g_object_new (BATON_TYPE_WEBSOCKET, NULL);

  self->stream = g_object_ref (stream);
  self->input = G_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (stream));
  self->output = G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (stream));
  self->read_source = g_pollable_input_stream_create_source (self->input, NULL);
  g_source_set_callback (self->read_source, G_SOURCE_FUNC (readable_cb), self, NULL);
  g_source_attach (self->read_source, g_main_context_get_thread_default ());
  return self;
}

/* Open: text can be sent; FALSE once a close frame was sent or the connection dropped. */
gboolean
baton_websocket_is_open (BatonWebsocket *self)
{
  g_return_val_if_fail (BATON_IS_WEBSOCKET (self), FALSE);

  return !self->close_sent && !self->io_closed;
}

/* text is kept, not copied, until written: it must not change */
void
baton_websocket_send_text (BatonWebsocket *self,
                           GBytes         *text)
{
  baton_websocket_send_text_pieces (self, &text, 1);
}

/* One text frame whose payload is the pieces one after the other; they are kept, not copied
 * or joined, until written. */
void
baton_websocket_send_text_pieces (BatonWebsocket *self,
                                  GBytes *const  *pieces,
                                  guint           n_pieces)
{
  g_return_if_fail (BATON_IS_WEBSOCKET (self));

  if (baton_websocket_is_open (self))
    enqueue_pieces (self, BATON_WEBSOCKET_OPCODE_TEXT, pieces, n_pieces);
}

void
baton_websocket_send_ping (BatonWebsocket *self)
{
  g_return_if_fail (BATON_IS_WEBSOCKET (self));

  if (baton_websocket_is_open (self))
    enqueue (self, BATON_WEBSOCKET_OPCODE_PING, NULL);
}

/* The close frame follows what is queued; the connection drops when the peer answers, or
 * 5 s later. */
void
baton_websocket_close (BatonWebsocket *self,
                       gushort         code,
                       const char     *reason)
{
  g_return_if_fail (BATON_IS_WEBSOCKET (self));

  send_close (self, code, reason);
}

/* The bytes of the frames given and not yet written to the socket. */
guint64
baton_websocket_get_queued (BatonWebsocket *self)
{
  g_return_val_if_fail (BATON_IS_WEBSOCKET (self), 0);

  return self->queued;
}
