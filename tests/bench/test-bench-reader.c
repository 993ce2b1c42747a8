/* test-bench-reader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "bench-reader.h"

/* The benchmarks' stream reader against a scripted server on a thread: the upgrade, the
 * frame lengths and fragments of RFC 6455, the answers to both kinds of ping, the events of
 * an array frame, and the end of the program on a close. */

typedef struct {
  GSocketListener *listener;
  char *url;
  /* the frames the server sends after its 101, in the same write */
  GByteArray *frames;
  /* what the server read: the client's frames, unmasked, one line each "opcode payload" */
  GString *heard;
  gboolean all_masked;
} Script;

static void
add_frame (GByteArray *frames,
           guint8      first,
           const char *payload,
           gsize       length)
{
  guint8 header[10] = { first };
  guint size = 2;

  if (length < 126)
    header[1] = (guint8) length;
  else if (length < 65536)
    {
      header[1] = 126;
      header[2] = (guint8) (length >> 8);
      header[3] = (guint8) length;
      size = 4;
    }
  else
    {
      header[1] = 127;
      for (guint i = 0; i < 8; i++)
        header[2 + i] = (guint8) ((guint64) length >> (56 - 8 * i));
      size = 10;
    }
  g_byte_array_append (frames, header, size);
  g_byte_array_append (frames, (const guint8 *) payload, (guint) length);
}

static void
add_text (GByteArray *frames,
          const char *text)
{
  add_frame (frames, 0x81, text, strlen (text));
}

static char *
accept_for (const char *key)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize length = sizeof digest;

  g_checksum_update (checksum, (const guchar *) key, -1);
  g_checksum_update (checksum, (const guchar *) "258EAFA5-E914-47DA-95CA-C5AB0DC85B11", -1);
  g_checksum_get_digest (checksum, digest, &length);
  return g_base64_encode (digest, length);
}

/* Reads the client's frames until its close or the end. */
static void
hear (Script       *script,
      GInputStream *input)
{
  for (;;)
    {
      guint8 header[2 + 4];
      guint8 payload[125];
      gsize length = 0;

      if (!g_input_stream_read_all (input, header, sizeof header, &length, NULL, NULL)
          || length < sizeof header)
        return;
      length = header[1] & 0x7f;
      script->all_masked = script->all_masked && (header[1] & 0x80) != 0;
      g_assert_true (g_input_stream_read_all (input, payload, length, NULL, NULL, NULL));
      for (gsize i = 0; i < length; i++)
        payload[i] ^= header[2 + i % 4];
      if ((header[0] & 0x0f) == 0x8)
        {
          g_string_append_printf (script->heard, "8 %u\n", payload[0] << 8 | payload[1]);
          return;
        }
      g_string_append_printf (script->heard, "%x %.*s\n", header[0] & 0x0f, (int) length,
                              payload);
    }
}

static gpointer
serve (gpointer user_data)
{
  Script *script = user_data;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GDataInputStream) input = NULL;
  g_autofree char *key = NULL;
  g_autofree char *accept = NULL;
  g_autofree char *answer = NULL;
  char *line = NULL;
  gboolean authorized = FALSE;

  connection = g_socket_listener_accept (script->listener, NULL, NULL, NULL);
  g_assert_nonnull (connection);
  input = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  g_assert_cmpstr ((line = g_data_input_stream_read_line (input, NULL, NULL, NULL)), ==,
                   "GET /api/v1/stream HTTP/1.1\r");
  g_free (line);
  while ((line = g_data_input_stream_read_line (input, NULL, NULL, NULL)) != NULL
         && strcmp (line, "\r") != 0)
    {
      g_strchomp (line);
      if (g_str_has_prefix (line, "Sec-WebSocket-Key: "))
        key = g_strdup (line + strlen ("Sec-WebSocket-Key: "));
      authorized = authorized || strcmp (line, "Authorization: Bearer secret") == 0;
      g_free (line);
    }
  g_free (line);
  g_assert_true (authorized);
  g_assert_nonnull (key);
  accept = accept_for (key);
  answer = g_strdup_printf ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                            "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n", accept);
  g_byte_array_prepend (script->frames, (const guint8 *) answer, (guint) strlen (answer));
  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                            script->frames->data, script->frames->len, NULL,
                                            NULL, NULL));
  hear (script, G_INPUT_STREAM (input));
  return NULL;
}

static GThread *
script_start (Script *script)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  script->listener = g_socket_listener_new ();
  g_assert_true (g_socket_listener_add_address (script->listener, address, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, NULL, &bound, NULL));
  script->url = g_strdup_printf ("http://127.0.0.1:%u", g_inet_socket_address_get_port (
                                   G_INET_SOCKET_ADDRESS (bound)));
  script->heard = g_string_new (NULL);
  script->all_masked = TRUE;
  return g_thread_new ("script", serve, script);
}

static void
script_clear (Script *script)
{
  g_clear_object (&script->listener);
  g_clear_pointer (&script->url, g_free);
  g_byte_array_unref (script->frames);
  g_string_free (script->heard, TRUE);
}

static void
assigned_cb (gpointer    user_data,
             JsonObject *notification,
             gint64      arrived_us)
{
  GArray *numbers = user_data;
  gint64 number = json_object_get_int_member (notification, "n");

  g_assert_true (arrived_us > 0 && arrived_us <= g_get_monotonic_time ());
  g_array_append_val (numbers, number);
}

/* An event with n and a string of padding bytes. */
static char *
padded (const char *kind,
        guint       n,
        gsize       padding)
{
  g_autofree char *pad = g_strnfill (padding, 'x');

  return g_strdup_printf ("{\"type\":\"notification\",\"data\":{\"kind\":\"%s\",\"n\":%u,"
                          "\"pad\":\"%s\"}}", kind, n, pad);
}

static void
add_script_frames (GByteArray *frames)
{
  g_autofree char *fragmented = padded ("assigned", 2, 0);
  g_autofree char *medium = padded ("assigned", 3, 1000);
  g_autofree char *large = padded ("assigned", 4, 70000);
  g_autofree char *mention = padded ("mention", 9, 0);

  /* the words, and brackets in a string, in another event of the array */
  add_text (frames, "[{\"type\":\"event\",\"data\":{\"notification\":\"assigned\","
                    "\"text\":\"} ]\\\"\"}}, {\"type\":\"notification\",\"data\":"
                    "{\"kind\":\"assigned\",\"n\":1}} ]");
  add_frame (frames, 0x01, fragmented, 20);
  add_frame (frames, 0x89, "hi", 2);
  add_frame (frames, 0x80, fragmented + 20, strlen (fragmented) - 20);
  add_text (frames, medium);
  add_frame (frames, 0x82, "\"notification\" \"assigned\"", 26);
  add_text (frames, mention);
  add_text (frames, "{\"type\":\"ping\",\"at\":\"2026-12-07T05:00:00Z\"}");
  add_text (frames, large);
}

static void
test_reader_frames (void)
{
  Script script = { .frames = g_byte_array_new () };
  g_autoptr(GArray) numbers = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  GThread *thread = NULL;
  BenchReaderStream *stream = NULL;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  add_script_frames (script.frames);
  thread = script_start (&script);
  stream = bench_reader_open (script.url, "secret", "Agent", assigned_cb, numbers, &error);
  g_assert_no_error (error);
  while (numbers->len < 4 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (numbers->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpint (g_array_index (numbers, gint64, i), ==, i + 1);
  bench_reader_close (stream);
  g_thread_join (thread);
  g_assert_cmpstr (script.heard->str, ==, "a hi\n1 {\"type\":\"pong\"}\n8 1000\n");
  g_assert_true (script.all_masked);
  script_clear (&script);
}

static void
test_reader_close (void)
{
  Script script = { 0 };
  g_autoptr(GError) error = NULL;

  if (g_test_subprocess ())
    {
      /* the subprocess ends in g_error: what it holds is not freed */
      script.frames = g_byte_array_new ();
      add_frame (script.frames, 0x88, "\x11\x7dtoo slow", 10);
      script_start (&script);
      bench_reader_open (script.url, "secret", "Agent 7", assigned_cb, NULL, &error);
      g_assert_no_error (error);
      for (;;)
        g_main_context_iteration (NULL, TRUE);
    }
  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*The stream of Agent 7 closed (code 4477: too slow)*");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/bench-reader/frames", test_reader_frames);
  g_test_add_func ("/bench-reader/close", test_reader_close);
  return g_test_run ();
}
