/* test-websocket.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "baton-websocket.h"

/* The server's WebSocket, on one end of a socket pair; the test is the client on the other,
 * writing and reading raw frames. */

typedef struct {
  BatonWebsocket *websocket;
  GSocketConnection *server;
  GSocket *client;
  GPtrArray *messages;
  guint heard;
  guint written;
  gboolean closed;
} Fixture;

static void
message_cb (BatonWebsocket *websocket,
            GBytes         *message,
            Fixture        *fixture)
{
  g_ptr_array_add (fixture->messages, g_bytes_ref (message));
}

static void
heard_cb (BatonWebsocket *websocket,
          Fixture        *fixture)
{
  fixture->heard++;
}

static void
written_cb (BatonWebsocket *websocket,
            Fixture        *fixture)
{
  fixture->written++;
}

static void
closed_cb (BatonWebsocket *websocket,
           Fixture        *fixture)
{
  fixture->closed = TRUE;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  int fds[2];
  g_autoptr(GSocket) server = NULL;

  g_assert_no_errno (socketpair (AF_UNIX, SOCK_STREAM, 0, fds));
  server = g_socket_new_from_fd (fds[0], NULL);
  fixture->client = g_socket_new_from_fd (fds[1], NULL);
  g_assert_nonnull (server);
  g_assert_nonnull (fixture->client);
  g_socket_set_blocking (fixture->client, FALSE);
  fixture->server = g_socket_connection_factory_create_connection (server);
  fixture->websocket = baton_websocket_new (G_IO_STREAM (fixture->server));
  fixture->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_signal_connect (fixture->websocket, "message", G_CALLBACK (message_cb), fixture);
  g_signal_connect (fixture->websocket, "heard", G_CALLBACK (heard_cb), fixture);
  g_signal_connect (fixture->websocket, "written", G_CALLBACK (written_cb), fixture);
  g_signal_connect (fixture->websocket, "closed", G_CALLBACK (closed_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->websocket);
  g_clear_object (&fixture->server);
  g_clear_object (&fixture->client);
  g_ptr_array_unref (fixture->messages);
}

/* A client's frame, masked unless told not to. */
static void
client_send (Fixture    *fixture,
             guint8      first,
             const void *payload,
             gsize       length,
             gboolean    masked)
{
  g_autoptr(GByteArray) frame = g_byte_array_new ();
  const guint8 mask[4] = { 0x12, 0x34, 0x56, 0x78 };
  guint8 second = masked ? 0x80 : 0;
  gsize at = 0;

  g_byte_array_append (frame, &first, 1);
  if (length < 126)
    {
      second |= (guint8) length;
      g_byte_array_append (frame, &second, 1);
    }
  else
    {
      guint8 extended[9] = { second | 127 };

      for (guint i = 0; i < 8; i++)
        extended[1 + i] = (guint8) ((guint64) length >> (56 - 8 * i));
      g_byte_array_append (frame, extended, 9);
    }
  if (masked)
    g_byte_array_append (frame, mask, 4);
  for (gsize i = 0; i < length; i++)
    {
      guint8 byte = ((const guint8 *) payload)[i] ^ (masked ? mask[i % 4] : 0);

      g_byte_array_append (frame, &byte, 1);
    }
  while (at < frame->len)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_send (fixture->client, (const char *) frame->data + at,
                                frame->len - at, NULL, &error);

      /* the server may stop reading half-way: a frame too big */
      if (n < 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return;
      if (n > 0)
        at += (gsize) n;
      g_main_context_iteration (NULL, n < 0);
    }
}

/* Exactly length bytes from the server, the loop running meanwhile. */
static GBytes *
client_read (Fixture *fixture,
             gsize    length)
{
  guint8 *data = g_malloc (length + 1);
  gsize at = 0;

  while (at < length)
    {
      gssize n = g_socket_receive (fixture->client, (char *) data + at, length - at, NULL,
                                   NULL);

      if (n > 0)
        at += (gsize) n;
      else
        g_assert_cmpint (n, !=, 0);
      if (n < 0)
        g_main_context_iteration (NULL, TRUE);
    }
  return g_bytes_new_take (data, length);
}

/* A server frame's opcode and payload. */
static GBytes *
client_read_frame (Fixture *fixture,
                   guint8  *opcode)
{
  g_autoptr(GBytes) header = client_read (fixture, 2);
  const guint8 *bytes = g_bytes_get_data (header, NULL);
  guint64 length = bytes[1] & 0x7f;

  g_assert_cmphex (bytes[0] & 0xf0, ==, 0x80);
  g_assert_cmphex (bytes[1] & 0x80, ==, 0);
  *opcode = bytes[0] & 0x0f;
  if (length >= 126)
    {
      gsize size = length == 126 ? 2 : 8;
      g_autoptr(GBytes) extended = client_read (fixture, size);
      const guint8 *more = g_bytes_get_data (extended, NULL);

      length = 0;
      for (gsize i = 0; i < size; i++)
        length = length << 8 | more[i];
      /* the shortest form */
      g_assert_cmpuint (length, >=, size == 2 ? 126 : 65536);
    }
  return client_read (fixture, length);
}

static void
assert_close (Fixture *fixture,
              guint    code)
{
  guint8 opcode = 0;
  g_autoptr(GBytes) payload = client_read_frame (fixture, &opcode);
  const guint8 *bytes = g_bytes_get_data (payload, NULL);

  g_assert_cmpuint (opcode, ==, 0x8);
  g_assert_cmpuint (g_bytes_get_size (payload), >=, 2);
  g_assert_cmpuint ((guint) bytes[0] << 8 | bytes[1], ==, code);
}

static void
wait_closed (Fixture *fixture)
{
  while (!fixture->closed)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (baton_websocket_is_open (fixture->websocket));
}

static void
test_sends_text (Fixture       *fixture,
                 gconstpointer  data)
{
  /* the three length forms of §5.2 */
  const gsize sizes[] = { 5, 300, 70000 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      char *text = g_malloc (sizes[i]);
      g_autoptr(GBytes) sent = NULL;
      g_autoptr(GBytes) received = NULL;
      guint8 opcode = 0;

      memset (text, 'a' + i, sizes[i]);
      sent = g_bytes_new_take (text, sizes[i]);
      baton_websocket_send_text (fixture->websocket, sent);
      received = client_read_frame (fixture, &opcode);
      g_assert_cmpuint (opcode, ==, 0x1);
      g_assert_true (g_bytes_equal (sent, received));
    }
  g_assert_cmpuint (baton_websocket_get_queued (fixture->websocket), ==, 0);
}

/* A frame sent in pieces is one frame, its payload the pieces joined; more pieces than one
 * write takes go out in several. */
static void
test_sends_pieces (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) pieces = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autoptr(GBytes) received = NULL;
  guint8 opcode = 0;

  for (guint i = 0; i < 600; i++)
    {
      g_autofree char *piece = g_strdup_printf ("%s{\"n\":%u}", i ? "," : "[", i);

      g_string_append (expected, piece);
      g_ptr_array_add (pieces, g_bytes_new (piece, strlen (piece)));
    }
  g_string_append (expected, "]");
  g_ptr_array_add (pieces, g_bytes_new_static ("]", 1));
  baton_websocket_send_text_pieces (fixture->websocket, (GBytes **) pieces->pdata, pieces->len);
  received = client_read_frame (fixture, &opcode);
  g_assert_cmpuint (opcode, ==, 0x1);
  g_assert_cmpmem (g_bytes_get_data (received, NULL), g_bytes_get_size (received),
                   expected->str, expected->len);
  g_assert_cmpuint (baton_websocket_get_queued (fixture->websocket), ==, 0);
}

static void
test_receives_text (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *long_text = g_strnfill (1000, 'x');

  client_send (fixture, 0x81, "{\"type\":\"ping\"}", 15, TRUE);
  /* a message in three fragments, a ping between them */
  client_send (fixture, 0x01, long_text, 400, TRUE);
  client_send (fixture, 0x89, "hi", 2, TRUE);
  client_send (fixture, 0x00, long_text + 400, 300, TRUE);
  client_send (fixture, 0x80, long_text + 700, 300, TRUE);
  while (fixture->messages->len < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpmem (g_bytes_get_data (fixture->messages->pdata[0], NULL),
                   g_bytes_get_size (fixture->messages->pdata[0]), "{\"type\":\"ping\"}", 15);
  g_assert_cmpmem (g_bytes_get_data (fixture->messages->pdata[1], NULL),
                   g_bytes_get_size (fixture->messages->pdata[1]), long_text, 1000);
  g_assert_cmpuint (fixture->heard, ==, 5);
  g_assert_true (baton_websocket_is_open (fixture->websocket));
}

static void
test_pong (Fixture       *fixture,
           gconstpointer  data)
{
  guint8 opcode = 0;
  g_autoptr(GBytes) pong = NULL;

  client_send (fixture, 0x89, "are you there", 13, TRUE);
  pong = client_read_frame (fixture, &opcode);
  g_assert_cmpuint (opcode, ==, 0xA);
  g_assert_cmpmem (g_bytes_get_data (pong, NULL), g_bytes_get_size (pong), "are you there", 13);
}

/* A peer that breaks the protocol gets a close frame with the reason's code and is dropped
 * without waiting for its answer. */
static void
test_protocol_errors (void)
{
  static const struct {
    const char *name;
    guint8 first;
    gsize length;
    gboolean masked;
    guint code;
  } cases[] = {
    { "unmasked", 0x81, 4, FALSE, 1002 },
    { "reserved bits", 0xC1, 4, TRUE, 1002 },
    { "unknown opcode", 0x83, 4, TRUE, 1002 },
    { "continuation first", 0x80, 4, TRUE, 1002 },
    { "fragmented ping", 0x09, 4, TRUE, 1002 },
    { "control too long", 0x89, 126, TRUE, 1002 },
    { "too big", 0x82, 200 * 1024, TRUE, 1009 },
    { "not UTF-8", 0x81, 4, TRUE, 1007 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Fixture fixture = { 0 };
      g_autofree guint8 *payload = g_malloc0 (cases[i].length);

      g_test_message ("%s", cases[i].name);
      fixture_set_up (&fixture, NULL);
      if (cases[i].code == 1007)
        memcpy (payload, "\xff\xfe\xfd\xfc", 4);
      else
        memset (payload, 'a', cases[i].length);
      client_send (&fixture, cases[i].first, payload, cases[i].length, cases[i].masked);
      assert_close (&fixture, cases[i].code);
      wait_closed (&fixture);
      g_assert_cmpuint (fixture.messages->len, ==, 0);
      fixture_tear_down (&fixture, NULL);
    }
}

/* The client closes: the server answers with the same code and drops the connection. */
static void
test_client_closes (Fixture       *fixture,
                    gconstpointer  data)
{
  client_send (fixture, 0x88, "\x03\xe8" "bye", 5, TRUE);
  assert_close (fixture, 1000);
  wait_closed (fixture);
  g_assert_false (baton_websocket_is_open (fixture->websocket));
}

/* The server closes: its close frame follows what is queued; the client's answer ends it. */
static void
test_server_closes (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GBytes) text = g_bytes_new_static ("last", 4);
  g_autoptr(GBytes) received = NULL;
  guint8 opcode = 0;

  baton_websocket_send_text (fixture->websocket, text);
  baton_websocket_close (fixture->websocket, 4429, "the client does not read the stream");
  g_assert_false (baton_websocket_is_open (fixture->websocket));
  /* nothing is sent after the close */
  baton_websocket_send_text (fixture->websocket, text);
  received = client_read_frame (fixture, &opcode);
  g_assert_cmpuint (opcode, ==, 0x1);
  g_assert_true (g_bytes_equal (received, text));
  assert_close (fixture, 4429);
  g_assert_false (fixture->closed);
  client_send (fixture, 0x88, "\x11\x7d", 2, TRUE);
  wait_closed (fixture);
}

/* A client that does not answer the close is dropped 5 s later. */
static void
test_close_times_out (Fixture       *fixture,
                      gconstpointer  data)
{
  gint64 start = g_get_monotonic_time ();

  baton_websocket_close (fixture->websocket, 1001, "server shutting down");
  assert_close (fixture, 1001);
  wait_closed (fixture);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 4 * G_USEC_PER_SEC);
}

/* What the client does not read is queued, counted to the byte, and shared: the same bytes
 * given to the socket as they come. */
static void
test_queue (Fixture       *fixture,
            gconstpointer  data)
{
  gsize size = 60000;
  g_autoptr(GBytes) text = g_bytes_new_take (g_strnfill (size, 'q'), size);
  guint64 given = 0;

  /* until the socket takes no more */
  while (baton_websocket_get_queued (fixture->websocket) == 0)
    {
      baton_websocket_send_text (fixture->websocket, text);
      given++;
    }
  for (guint i = 0; i < 10; i++)
    baton_websocket_send_text (fixture->websocket, text);
  given += 10;
  g_assert_cmpuint (baton_websocket_get_queued (fixture->websocket), >, 10 * size);
  g_assert_cmpuint (baton_websocket_get_queued (fixture->websocket), <=, 11 * (size + 4));
  for (guint64 i = 0; i < given; i++)
    {
      guint8 opcode = 0;
      g_autoptr(GBytes) received = client_read_frame (fixture, &opcode);

      g_assert_true (g_bytes_equal (received, text));
    }
  g_assert_cmpuint (baton_websocket_get_queued (fixture->websocket), ==, 0);
  g_assert_cmpuint (fixture->written, >, 0);
}

/* A peer gone without a close frame */
static void
test_peer_gone (Fixture       *fixture,
                gconstpointer  data)
{
  g_socket_close (fixture->client, NULL);
  wait_closed (fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/websocket/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("sends-text", test_sends_text);
  ADD ("sends-pieces", test_sends_pieces);
  ADD ("receives-text", test_receives_text);
  ADD ("pong", test_pong);
  ADD ("client-closes", test_client_closes);
  ADD ("server-closes", test_server_closes);
  ADD ("close-times-out", test_close_times_out);
  ADD ("queue", test_queue);
  ADD ("peer-gone", test_peer_gone);
#undef ADD
  g_test_add_func ("/websocket/protocol-errors", test_protocol_errors);

  return g_test_run ();
}
