/* bench-reader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <libsoup/soup.h>

#include "baton-websocket.h"
#include "bench-reader.h"

#define READ_SIZE (64 * 1024)
#define MAX_HEAD 8192
#define WEBSOCKET_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

struct _BenchReaderStream {
  /* set by the opening, then only read */
  char *name;
  BenchNotificationFunc func;
  gpointer user_data;
  GSocketConnection *connection;
  int fd;
  /* the reader thread's own once the stream is added: bytes read and not parsed yet, a
   * fragmented message so far (its opcode, 0 when none), frames not written yet */
  GByteArray *input;
  GByteArray *message;
  guint8 message_opcode;
  GByteArray *output;
};

typedef enum {
  COMMAND_NONE,
  COMMAND_ADD,
  COMMAND_REMOVE,
  COMMAND_STOP,
} Command;

/* An assigned notification on its way to the main thread. */
typedef struct {
  BenchReaderStream *stream;
  JsonObject *notification;
  gint64 arrived_us;
} Arrival;

/* The one reader: started with the first stream, stopped with the last. The main thread
 * hands it a command (under lock, waking it by wakeup_fd) and waits for it to be done, so
 * that a stream's state is only ever touched by the reader thread while it reads it. */
static struct {
  GThread *thread;
  int epoll_fd;
  int wakeup_fd;
  guint n_streams;
  GMutex lock;
  GCond done;
  /* under lock */
  Command command;
  BenchReaderStream *subject;
  GQueue arrivals;
  gboolean draining;
} reader;

static void
arrival_free (Arrival *arrival)
{
  json_object_unref (arrival->notification);
  g_free (arrival);
}

static void
watch (BenchReaderStream *stream,
       int                operation)
{
  struct epoll_event event = { .events = EPOLLIN, .data.ptr = stream };

  if (stream->output->len > 0)
    event.events |= EPOLLOUT;
  if (epoll_ctl (reader.epoll_fd, operation, stream->fd, &event) < 0)
    g_error ("epoll_ctl: %s", g_strerror (errno));
}

/* Writes what it can; FALSE on an error, with errno. */
static gboolean
flush (BenchReaderStream *stream)
{
  while (stream->output->len > 0)
    {
      ssize_t n = send (stream->fd, stream->output->data, stream->output->len, MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return errno == EAGAIN || errno == EWOULDBLOCK;
      g_byte_array_remove_range (stream->output, 0, (guint) n);
    }
  return TRUE;
}

/* Queues a frame from the client, masked as RFC 6455 §5.3 requires; payloads stay small
 * (pongs and a close), under 126 bytes. */
static void
queue_frame (BenchReaderStream *stream,
             guint8             opcode,
             const guint8      *payload,
             gsize              length)
{
  guint32 key = g_random_int ();
  guint8 header[6] = { 0x80 | opcode, 0x80 | (guint8) length };
  guint start = 0;

  g_assert (length < 126);
  memcpy (header + 2, &key, 4);
  g_byte_array_append (stream->output, header, sizeof header);
  start = stream->output->len;
  g_byte_array_append (stream->output, payload, (guint) length);
  for (gsize i = 0; i < length; i++)
    stream->output->data[start + i] ^= header[2 + i % 4];
}

static void
send_frame (BenchReaderStream *stream,
            guint8             opcode,
            const guint8      *payload,
            gsize              length)
{
  gboolean was_waiting = stream->output->len > 0;

  queue_frame (stream, opcode, payload, length);
  if (!flush (stream))
    g_error ("Writing to the stream of %s: %s", stream->name, g_strerror (errno));
  if (!was_waiting && stream->output->len > 0)
    watch (stream, EPOLL_CTL_MOD);
}

static void
collect_assigned (JsonNode  *node,
                  GPtrArray *found)
{
  JsonObject *event = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonObject *data = NULL;

  if (event == NULL
      || g_strcmp0 (json_object_get_string_member_with_default (event, "type", ""),
                    "notification") != 0)
    return;
  data = json_object_get_object_member (event, "data");
  if (data != NULL
      && g_strcmp0 (json_object_get_string_member_with_default (data, "kind", ""),
                    "assigned") == 0)
    g_ptr_array_add (found, json_object_ref (data));
}

static gboolean
drain_cb (gpointer user_data)
{
  GQueue arrivals = G_QUEUE_INIT;
  Arrival *arrival = NULL;

  g_mutex_lock (&reader.lock);
  arrivals = reader.arrivals;
  g_queue_init (&reader.arrivals);
  reader.draining = FALSE;
  g_mutex_unlock (&reader.lock);
  while ((arrival = g_queue_pop_head (&arrivals)) != NULL)
    {
      arrival->stream->func (arrival->stream->user_data, arrival->notification,
                             arrival->arrived_us);
      arrival_free (arrival);
    }
  return G_SOURCE_REMOVE;
}

/* found holds the only references to its notifications (their parsers are gone): they move
 * to the main thread. */
static void
hand_over (BenchReaderStream *stream,
           GPtrArray         *found,
           gint64             arrived_us)
{
  g_mutex_lock (&reader.lock);
  for (guint i = 0; i < found->len; i++)
    {
      Arrival *arrival = g_new (Arrival, 1);

      arrival->stream = stream;
      arrival->notification = found->pdata[i];
      arrival->arrived_us = arrived_us;
      g_queue_push_tail (&reader.arrivals, arrival);
    }
  if (found->len > 0 && !reader.draining)
    {
      reader.draining = TRUE;
      g_idle_add_full (G_PRIORITY_DEFAULT, drain_cb, NULL, NULL);
    }
  g_mutex_unlock (&reader.lock);
}

static gboolean
may_be_assigned (const char *data,
                 gsize       length)
{
  return memmem (data, length, "\"notification\"", 14) != NULL
         && memmem (data, length, "\"assigned\"", 10) != NULL;
}

static void
parse_event (BenchReaderStream *stream,
             const char        *data,
             gsize              length,
             GPtrArray         *found)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_data (parser, data, (gssize) length, NULL))
    g_error ("An event on the stream of %s is not JSON: %.*s", stream->name, (int) length, data);
  collect_assigned (json_parser_get_root (parser), found);
}

/* Where the JSON value at data[at] ends: a scan of its brackets and strings, no parse. */
static gsize
value_end (const char *data,
           gsize       length,
           gsize       at)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  for (; at < length; at++)
    {
      if (in_string && data[at] == '\\')
        at++;
      else if (data[at] == '"')
        in_string = !in_string;
      else if (in_string)
        continue;
      else if (data[at] == '{' || data[at] == '[')
        depth++;
      else if ((data[at] == '}' || data[at] == ']') && depth > 0)
        {
          if (--depth == 0)
            return at + 1;
        }
      else if (depth == 0 && (data[at] == ',' || data[at] == ']' || data[at] == '}'))
        return at;
    }
  return length;
}

/* A frame is an event or an array of events (PROTOCOL.md §4): a frame that holds one agent's
 * notification holds all the events of its turn beside it, so only the events that may be an
 * assigned notification are parsed. Their arrival is stamped first, as a client would see
 * the frame. */
static void
text_received (BenchReaderStream *stream,
               const char        *data,
               gsize              length)
{
  static const char pong[] = "{\"type\":\"pong\"}";
  gint64 arrived_us = 0;
  g_autoptr(GPtrArray) found = NULL;
  gsize at = 0;

  /* batond's own keepalive: any frame from the client counts as heard */
  if (length < 128 && memmem (data, length, "\"type\":\"ping\"", 13) != NULL)
    {
      send_frame (stream, BATON_WEBSOCKET_OPCODE_TEXT, (const guint8 *) pong, strlen (pong));
      return;
    }
  if (!may_be_assigned (data, length))
    return;
  arrived_us = g_get_monotonic_time ();
  found = g_ptr_array_new ();
  while (at < length && g_ascii_isspace (data[at]))
    at++;
  if (at == length || data[at] != '[')
    parse_event (stream, data, length, found);
  else
    for (at++; at < length && data[at] != ']';)
      {
        gsize end = 0;

        if (g_ascii_isspace (data[at]) || data[at] == ',')
          {
            at++;
            continue;
          }
        end = value_end (data, length, at);
        if (may_be_assigned (data + at, end - at))
          parse_event (stream, data + at, end - at, found);
        at = MAX (end, at + 1);
      }
  hand_over (stream, found, arrived_us);
}

static void
close_received (BenchReaderStream *stream,
                const guint8      *payload,
                gsize              length)
{
  guint code = length >= 2 ? (guint) payload[0] << 8 | payload[1] : 1005;
  g_autofree char *reason = length > 2 ? g_strndup ((const char *) payload + 2, length - 2)
                                       : g_strdup ("");

  g_error ("The stream of %s closed (code %u: %s)", stream->name, code, reason);
}

/* A whole frame, its payload still in the read buffer: only a fragmented message is copied,
 * to join its fragments. */
static void
frame_received (BenchReaderStream *stream,
                guint8             first,
                const guint8      *payload,
                gsize              length)
{
  gboolean fin = (first & 0x80) != 0;
  guint8 opcode = first & 0x0f;

  if ((first & 0x70) != 0)
    g_error ("A frame on the stream of %s has reserved bits set", stream->name);
  if ((opcode == BATON_WEBSOCKET_OPCODE_CONTINUATION) == (stream->message_opcode == 0)
      && (opcode == BATON_WEBSOCKET_OPCODE_CONTINUATION
          || opcode == BATON_WEBSOCKET_OPCODE_TEXT
          || opcode == BATON_WEBSOCKET_OPCODE_BINARY))
    g_error ("A data frame on the stream of %s is out of order", stream->name);
  switch (opcode)
    {
    case BATON_WEBSOCKET_OPCODE_TEXT:
    case BATON_WEBSOCKET_OPCODE_BINARY:
    case BATON_WEBSOCKET_OPCODE_CONTINUATION:
      if (fin && opcode == BATON_WEBSOCKET_OPCODE_TEXT)
        text_received (stream, (const char *) payload, length);
      if (fin && opcode != BATON_WEBSOCKET_OPCODE_CONTINUATION)
        break;
      if (opcode != BATON_WEBSOCKET_OPCODE_CONTINUATION)
        stream->message_opcode = opcode;
      g_byte_array_append (stream->message, payload, (guint) length);
      if (fin && stream->message_opcode == BATON_WEBSOCKET_OPCODE_TEXT)
        text_received (stream, (const char *) stream->message->data, stream->message->len);
      if (fin)
        {
          stream->message_opcode = 0;
          g_byte_array_set_size (stream->message, 0);
        }
      break;
    case BATON_WEBSOCKET_OPCODE_CLOSE:
      close_received (stream, payload, length);
      break;
    case BATON_WEBSOCKET_OPCODE_PING:
      send_frame (stream, BATON_WEBSOCKET_OPCODE_PONG, payload, length);
      break;
    case BATON_WEBSOCKET_OPCODE_PONG:
      break;
    default:
      g_error ("A frame on the stream of %s has the unknown opcode %u", stream->name, opcode);
    }
}

/* Handles the whole frames at the start of the read buffer (RFC 6455 §5.2: unmasked from
 * the server, a 7, 16 or 64-bit length); returns the bytes they took. */
static gsize
parse_frames (BenchReaderStream *stream)
{
  const guint8 *data = stream->input->data;
  gsize length = stream->input->len;
  gsize at = 0;

  for (;;)
    {
      const guint8 *frame = data + at;
      gsize left = length - at;
      gsize header = 2;
      guint64 payload = 0;

      if (left < 2)
        break;
      if ((frame[1] & 0x80) != 0)
        g_error ("The server masked a frame on the stream of %s", stream->name);
      payload = frame[1] & 0x7f;
      if (payload >= 126)
        header = payload == 126 ? 4 : 10;
      if (left < header)
        break;
      if (header > 2)
        payload = 0;
      for (gsize i = 2; i < header; i++)
        payload = payload << 8 | frame[i];
      if (left - header < payload)
        break;
      frame_received (stream, frame[0], frame + header, (gsize) payload);
      at += header + (gsize) payload;
    }
  return at;
}

static void
readable (BenchReaderStream *stream)
{
  for (;;)
    {
      guint had = stream->input->len;
      ssize_t n = 0;

      g_byte_array_set_size (stream->input, had + READ_SIZE);
      n = recv (stream->fd, stream->input->data + had, READ_SIZE, 0);
      g_byte_array_set_size (stream->input, had + (guint) MAX (n, 0));
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return;
      if (n < 0)
        g_error ("Reading the stream of %s: %s", stream->name, g_strerror (errno));
      if (n == 0)
        g_error ("The stream of %s ended without a close frame", stream->name);
      g_byte_array_remove_range (stream->input, 0, (guint) parse_frames (stream));
      if (n < READ_SIZE)
        return;
    }
}

static void
ready (BenchReaderStream *stream,
       guint32            events)
{
  gboolean was_waiting = stream->output->len > 0;

  if ((events & EPOLLOUT) != 0 && !flush (stream))
    g_error ("Writing to the stream of %s: %s", stream->name, g_strerror (errno));
  if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) != 0)
    readable (stream);
  if (was_waiting && stream->output->len == 0)
    watch (stream, EPOLL_CTL_MOD);
}

/* The frames that came with the answer to the upgrade are read at once, not with the next. */
static void
add_stream (BenchReaderStream *stream)
{
  watch (stream, EPOLL_CTL_ADD);
  g_byte_array_remove_range (stream->input, 0, (guint) parse_frames (stream));
}

/* The normal end, on the reader thread: a close frame if it can go at once, no wait for the
 * server's answer. */
static void
remove_stream (BenchReaderStream *stream)
{
  static const guint8 normal[] = { 1000 >> 8, 1000 & 0xff };

  if (epoll_ctl (reader.epoll_fd, EPOLL_CTL_DEL, stream->fd, NULL) < 0)
    g_error ("epoll_ctl: %s", g_strerror (errno));
  queue_frame (stream, BATON_WEBSOCKET_OPCODE_CLOSE, normal, sizeof normal);
  (void) flush (stream);
  g_io_stream_close (G_IO_STREAM (stream->connection), NULL, NULL);
}

/* Runs the main thread's command; FALSE to stop. */
static gboolean
run_command (void)
{
  guint64 count = 0;
  Command what = COMMAND_NONE;
  BenchReaderStream *subject = NULL;

  if (read (reader.wakeup_fd, &count, sizeof count) < 0 && errno != EAGAIN)
    g_error ("Reading the reader's wakeup: %s", g_strerror (errno));
  /* the main thread waits until it is done: no lock while it runs, which may hand over
   * notifications */
  g_mutex_lock (&reader.lock);
  what = reader.command;
  subject = reader.subject;
  g_mutex_unlock (&reader.lock);
  if (what == COMMAND_ADD)
    add_stream (subject);
  else if (what == COMMAND_REMOVE)
    remove_stream (subject);
  g_mutex_lock (&reader.lock);
  reader.command = COMMAND_NONE;
  g_cond_broadcast (&reader.done);
  g_mutex_unlock (&reader.lock);
  return what != COMMAND_STOP;
}

static gpointer
reader_thread (gpointer user_data)
{
  struct epoll_event events[64];

  for (;;)
    {
      int n = epoll_wait (reader.epoll_fd, events, G_N_ELEMENTS (events), -1);
      gboolean woken = FALSE;

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        g_error ("epoll_wait: %s", g_strerror (errno));
      for (int i = 0; i < n; i++)
        {
          if (events[i].data.ptr == NULL)
            woken = TRUE;
          else
            ready (events[i].data.ptr, events[i].events);
        }
      /* after the others: a stream removed must not be among the events left to handle */
      if (woken && !run_command ())
        return NULL;
    }
}

static void
command (Command            what,
         BenchReaderStream *subject)
{
  guint64 one = 1;

  g_mutex_lock (&reader.lock);
  reader.command = what;
  reader.subject = subject;
  if (write (reader.wakeup_fd, &one, sizeof one) < 0)
    g_error ("Waking the reader: %s", g_strerror (errno));
  while (reader.command != COMMAND_NONE)
    g_cond_wait (&reader.done, &reader.lock);
  g_mutex_unlock (&reader.lock);
}

static void
start_reader (void)
{
  struct epoll_event event = { .events = EPOLLIN, .data.ptr = NULL };

  reader.epoll_fd = epoll_create1 (EPOLL_CLOEXEC);
  reader.wakeup_fd = eventfd (0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (reader.epoll_fd < 0 || reader.wakeup_fd < 0
      || epoll_ctl (reader.epoll_fd, EPOLL_CTL_ADD, reader.wakeup_fd, &event) < 0)
    g_error ("Starting the stream reader: %s", g_strerror (errno));
  reader.thread = g_thread_new ("bench-reader", reader_thread, NULL);
}

static void
stop_reader (void)
{
  command (COMMAND_STOP, NULL);
  g_clear_pointer (&reader.thread, g_thread_join);
  close (reader.epoll_fd);
  close (reader.wakeup_fd);
}

/* Reads the answer's head into stream->input, leaving there what follows it (the first
 * frames may come with it). */
static char *
read_head (BenchReaderStream *stream,
           GError           **error)
{
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (stream->connection));
  guint8 chunk[1024];
  const guint8 *end = NULL;
  char *head = NULL;

  while ((end = memmem (stream->input->data, stream->input->len, "\r\n\r\n", 4)) == NULL)
    {
      gssize n = 0;

      if (stream->input->len > MAX_HEAD)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "The answer's head is too long");
          return NULL;
        }
      n = g_input_stream_read (input, chunk, sizeof chunk, NULL, error);
      if (n < 0)
        return NULL;
      if (n == 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "No answer to the upgrade");
          return NULL;
        }
      g_byte_array_append (stream->input, chunk, (guint) n);
    }
  head = g_strndup ((const char *) stream->input->data, (gsize) (end + 4 - stream->input->data));
  g_byte_array_remove_range (stream->input, 0, (guint) strlen (head));
  return head;
}

static char *
expected_accept (const char *key)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize length = sizeof digest;

  g_checksum_update (checksum, (const guchar *) key, -1);
  g_checksum_update (checksum, (const guchar *) WEBSOCKET_GUID, -1);
  g_checksum_get_digest (checksum, digest, &length);
  return g_base64_encode (digest, length);
}

/* The HTTP/1.1 upgrade, RFC 6455 §4.1. */
static gboolean
upgrade (BenchReaderStream *stream,
         GUri              *uri,
         const char        *token,
         GError           **error)
{
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (stream->connection));
  guint8 nonce[16];
  g_autofree char *key = NULL;
  g_autofree char *request = NULL;
  g_autofree char *head = NULL;
  g_autofree char *accept = NULL;
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  guint status = 0;

  for (gsize i = 0; i < sizeof nonce; i++)
    nonce[i] = (guint8) g_random_int_range (0, 256);
  key = g_base64_encode (nonce, sizeof nonce);
  request = g_strdup_printf ("GET /api/v1/stream HTTP/1.1\r\nHost: %s:%d\r\n"
                             "Authorization: Bearer %s\r\nUpgrade: websocket\r\n"
                             "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                             "Sec-WebSocket-Key: %s\r\n\r\n",
                             g_uri_get_host (uri), g_uri_get_port (uri), token, key);
  if (!g_output_stream_write_all (output, request, strlen (request), NULL, NULL, error)
      || (head = read_head (stream, error)) == NULL)
    return FALSE;
  accept = expected_accept (key);
  if (!soup_headers_parse_response (head, (int) strlen (head), headers, NULL, &status, NULL)
      || status != SOUP_STATUS_SWITCHING_PROTOCOLS
      || g_strcmp0 (soup_message_headers_get_one (headers, "Sec-WebSocket-Accept"), accept) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The upgrade failed: %.*s",
                   (int) strcspn (head, "\r\n"), head);
      return FALSE;
    }
  return TRUE;
}

static void
stream_free (BenchReaderStream *stream)
{
  g_clear_object (&stream->connection);
  g_byte_array_unref (stream->input);
  g_byte_array_unref (stream->message);
  g_byte_array_unref (stream->output);
  g_free (stream->name);
  g_free (stream);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BenchReaderStream, stream_free)

BenchReaderStream *
bench_reader_open (const char             *url,
                   const char             *token,
                   const char             *name,
                   BenchNotificationFunc   func,
                   gpointer                user_data,
                   GError                **error)
{
  g_autoptr(BenchReaderStream) stream = g_new0 (BenchReaderStream, 1);
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, error);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  GSocket *socket = NULL;

  stream->name = g_strdup (name);
  stream->func = func;
  stream->user_data = user_data;
  stream->input = g_byte_array_sized_new (READ_SIZE);
  stream->message = g_byte_array_new ();
  stream->output = g_byte_array_new ();
  if (uri == NULL)
    return NULL;
  stream->connection = g_socket_client_connect_to_host (client, g_uri_get_host (uri),
                                                        (guint16) g_uri_get_port (uri), NULL,
                                                        error);
  if (stream->connection == NULL || !upgrade (stream, uri, token, error))
    return NULL;
  socket = g_socket_connection_get_socket (stream->connection);
  g_socket_set_blocking (socket, FALSE);
  stream->fd = g_socket_get_fd (socket);
  if (reader.n_streams++ == 0)
    start_reader ();
  command (COMMAND_ADD, stream);
  return g_steal_pointer (&stream);
}

void
bench_reader_close (BenchReaderStream *stream)
{
  GList *link = NULL;

  command (COMMAND_REMOVE, stream);
  g_mutex_lock (&reader.lock);
  link = reader.arrivals.head;
  while (link != NULL)
    {
      GList *next = link->next;
      Arrival *arrival = link->data;

      if (arrival->stream == stream)
        {
          g_queue_delete_link (&reader.arrivals, link);
          arrival_free (arrival);
        }
      link = next;
    }
  g_mutex_unlock (&reader.lock);
  if (--reader.n_streams == 0)
    stop_reader ();
  stream_free (stream);
}
