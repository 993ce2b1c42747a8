/* test-stream-replay.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <unistd.h>

#include "baton-test-server.h"

/* The event stream under load: a long replay beside other requests and live events, clients
 * that do not read, and a since too far behind to replay. The logs are seeded by writing the
 * database of a stopped batond. */

#define N_SEEDED 100000
/* ~300 bytes of data an event: the seeded log (~30 MB) is far more than the sockets hold */
#define PAD_LENGTH 300
#define N_IDLE_STREAMS 5
/* what five idle streams may add to batond's memory (times BATON_TEST_MEMORY_FACTOR, for
 * AddressSanitizer builds) */
#define IDLE_STREAMS_CEILING_KIB (48 * 1024)
#define SMALL_REPLAY_LIMIT 50
#define SMALL_QUEUE_LIMIT (256 * 1024)
#define CLOSE_TOO_SLOW 4429

/* Replays up to 200,000 events, with the default queue limit. */
static BatonTestServer *big;
/* Replays up to 50 events, closes a client at 256 KiB queued. */
static BatonTestServer *small;
static GPtrArray *config_files;
static gint64 seeded_base;

/* Helpers */

static BatonTestServer *
server_with_config (const char *config)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("batond-XXXXXX.conf", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (path, config, -1, &error));
  g_ptr_array_add (config_files, path);
  return baton_test_server_new ("--config", path, NULL);
}

static double
memory_factor (void)
{
  const char *text = g_getenv ("BATON_TEST_MEMORY_FACTOR");
  double factor = text ? g_ascii_strtod (text, NULL) : 1;

  return factor >= 1 ? factor : 1;
}

/* The seqs after since up to until that agent_id may see, as the log has them (read with
 * batond stopped, then started again). */
static GArray *
stored_seqs (BatonTestServer *server,
             gint64           since,
             gint64           until,
             const char      *agent_id)
{
  g_autoptr(BatonStore) store = NULL;
  g_autoptr(BatonRows) rows = NULL;
  g_autoptr(GError) error = NULL;
  GArray *seqs = g_array_new (FALSE, FALSE, sizeof (gint64));

  baton_test_server_stop (server);
  store = baton_test_server_open_store (server);
  rows = baton_store_query (store, &error, "SELECT seq FROM events WHERE seq > ? AND seq <= ?"
                            " AND (agent_id IS NULL OR agent_id = ?) ORDER BY seq", "iis",
                            since, until, agent_id);
  g_assert_no_error (error);
  for (guint i = 0; i < baton_rows_count (rows); i++)
    {
      gint64 seq = baton_rows_int (rows, i, 0);

      g_array_append_val (seqs, seq);
    }
  baton_store_close (store);
  baton_test_server_start (server);
  return seqs;
}

static char *
since_text (gint64 since)
{
  return g_strdup_printf ("since=%" G_GINT64_FORMAT, since);
}

static gboolean
receive_exactly (GSocket *socket,
                 guint8  *buffer,
                 gsize    size)
{
  while (size > 0)
    {
      gssize n = g_socket_receive (socket, (char *) buffer, size, NULL, NULL);

      if (n <= 0)
        return FALSE;
      buffer += n;
      size -= (gsize) n;
    }
  return TRUE;
}

/* Reads frames to the close frame: its code, or 0 when the connection ends without one. */
static guint
raw_stream_close_code (GSocket *socket)
{
  for (;;)
    {
      guint8 header[2] = { 0 };
      guint8 extended[8] = { 0 };
      guint64 length = 0;
      g_autofree guint8 *payload = NULL;

      if (!receive_exactly (socket, header, 2))
        return 0;
      length = header[1] & 0x7f;
      if (length >= 126)
        {
          gsize size = length == 126 ? 2 : 8;

          if (!receive_exactly (socket, extended, size))
            return 0;
          length = 0;
          for (gsize i = 0; i < size; i++)
            length = (length << 8) | extended[i];
        }
      payload = g_malloc (MAX (length, 2));
      if (!receive_exactly (socket, payload, length))
        return 0;
      if ((header[0] & 0x0f) == 0x8)
        return length >= 2 ? (guint) (payload[0] << 8 | payload[1]) : 0;
    }
}

/* Tests */

/* While one stream replays 100,000 events, other requests are answered and live events are
 * committed; the stream gets the log in order, then the live events, nothing twice, nothing
 * missed. */
static void
test_replay_beside_live (void)
{
  g_autofree char *since = since_text (seeded_base);
  BatonTestStream *stream = NULL;
  g_autoptr(GPtrArray) frames = NULL;
  g_autoptr(GArray) stored = NULL;
  char *live[3] = { NULL, NULL, NULL };
  gint64 started = 0;
  guint status = 0;
  guint next_live = 0;

  stream = baton_test_stream_open_query (big, big->manager_token, since, &status);
  g_assert_cmpuint (status, ==, 101);

  /* The test reads nothing of the stream until the live events are in: with ~30 MB to send,
   * the replay is far from over while /healthz is answered. */
  started = g_get_monotonic_time ();
  {
    g_autoptr(JsonNode) health = baton_test_request (big, "GET", "/healthz", NULL, NULL,
                                                     &status);
  }
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 2 * G_USEC_PER_SEC);
  for (guint i = 0; i < G_N_ELEMENTS (live); i++)
    live[i] = baton_test_barrier (big);
  g_assert_cmpuint (g_queue_get_length (&stream->frames), <, N_SEEDED);

  frames = baton_test_stream_until_barrier (stream, live[2], 300000);
  baton_test_stream_close (stream);
  stored = stored_seqs (big, seeded_base,
                        json_object_get_int_member (frames->pdata[frames->len - 1], "seq"),
                        big->manager_id);
  g_assert_cmpuint (frames->len, ==, stored->len);
  for (guint i = 0; i < frames->len; i++)
    {
      JsonObject *frame = frames->pdata[i];
      JsonObject *data = json_object_get_object_member (frame, "data");

      g_assert_cmpint (json_object_get_int_member (frame, "seq"), ==,
                       g_array_index (stored, gint64, i));
      if (i < N_SEEDED)
        {
          g_assert_cmpint (json_object_get_int_member (data, "seeded"), ==, i);
          continue;
        }
      if (g_str_equal (json_object_get_string_member (frame, "type"), "team.created")
          && next_live < G_N_ELEMENTS (live))
        g_assert_cmpstr (json_object_get_string_member (data, "id"), ==, live[next_live++]);
    }
  g_assert_cmpuint (next_live, ==, G_N_ELEMENTS (live));

  for (guint i = 0; i < G_N_ELEMENTS (live); i++)
    g_free (live[i]);
  baton_test_wait_metric (big, "baton_stream_connections", 0, 10000);
}

/* Five clients that ask for the whole log and never read: batond queues a bounded amount for
 * each and waits. */
static void
test_idle_streams_memory (void)
{
  g_autofree char *since = since_text (seeded_base);
  GSocket *sockets[N_IDLE_STREAMS] = { NULL };
  gint64 before = baton_test_server_status_kib (big, "VmRSS");
  gint64 peak = before;
  gint64 ceiling = before + (gint64) (IDLE_STREAMS_CEILING_KIB * memory_factor ());
  gint64 grew_at = 0;

  for (guint i = 0; i < N_IDLE_STREAMS; i++)
    sockets[i] = baton_test_raw_stream_open (big, since, 0);
  baton_test_wait_metric (big, "baton_stream_connections", N_IDLE_STREAMS, 30000);
  {
    guint status = 0;
    g_autoptr(JsonNode) health = baton_test_request (big, "GET", "/healthz", NULL, NULL,
                                                     &status);

    g_assert_cmpuint (status, ==, 200);
  }
  /* until the replays have filled what they may: a second without growth */
  grew_at = g_get_monotonic_time ();
  while (g_get_monotonic_time () - grew_at < G_USEC_PER_SEC)
    {
      gint64 rss = baton_test_server_status_kib (big, "VmRSS");

      if (rss > peak)
        {
          peak = rss;
          grew_at = g_get_monotonic_time ();
        }
      g_assert_cmpint (peak, <, ceiling);
      g_usleep (50000);
    }
  g_test_message ("batond RSS: %" G_GINT64_FORMAT " KiB before, %" G_GINT64_FORMAT
                  " KiB with %u idle streams", before, peak, N_IDLE_STREAMS);
  g_assert_cmpint (baton_test_get_metric (big, "baton_stream_connections"), ==, N_IDLE_STREAMS);

  for (guint i = 0; i < N_IDLE_STREAMS; i++)
    {
      g_socket_close (sockets[i], NULL);
      g_object_unref (sockets[i]);
    }
  baton_test_wait_metric (big, "baton_stream_connections", 0, 10000);
}

/* A client that does not read while live events pile up is closed with 4429 once more than
 * the queue limit waits for it. The sockets take a few MB first (the kernel grows the
 * server's send buffer up to net.ipv4.tcp_wmem's maximum, 4 MiB by default), so 200 kB
 * messages are posted until batond counts the close; the test then reads what was queued
 * and the close frame, within the 5 s libsoup gives a peer to read them. */
static void
test_slow_client_closed (void)
{
  g_autofree char *secret = NULL;
  g_autofree char *channel_id = baton_test_create_channel (small, NULL, &secret);
  g_autofree char *text = g_strnfill (200000, 'y');
  g_autoptr(GSocket) socket = baton_test_raw_stream_open (small, "", 4096);
  gint64 closed_before = baton_test_get_metric (small, "baton_stream_too_slow_total");
  guint posted = 0;

  baton_test_wait_metric (small, "baton_stream_connections", 1, 10000);
  while (baton_test_get_metric (small, "baton_stream_too_slow_total") == closed_before)
    {
      /* 100 MB: far more than any socket holds */
      g_assert_cmpuint (posted++, <, 500);
      g_free (baton_test_inbound (small, channel_id, secret, "+15550190001", text));
    }
  g_assert_cmpuint (raw_stream_close_code (socket), ==, CLOSE_TOO_SLOW);
  baton_test_wait_metric (small, "baton_stream_connections", 0, 10000);
}

/* since more than the replay limit behind: resync_required with the current seq, then live;
 * at the limit: a replay. */
static void
test_far_behind_resync (void)
{
  gint64 last = baton_test_seed_events (small, SMALL_REPLAY_LIMIT + 10, PAD_LENGTH)
                + SMALL_REPLAY_LIMIT + 10;
  g_autofree char *far = g_strdup_printf ("%" G_GINT64_FORMAT, last - SMALL_REPLAY_LIMIT - 1);
  g_autofree char *near = g_strdup_printf ("%" G_GINT64_FORMAT, last - SMALL_REPLAY_LIMIT);
  g_autofree char *barrier = NULL;
  BatonTestStream *behind = NULL;
  BatonTestStream *within = NULL;
  g_autoptr(GPtrArray) behind_frames = NULL;
  g_autoptr(GPtrArray) within_frames = NULL;
  JsonObject *frame = NULL;
  gint64 resync_seq = 0;

  g_assert_cmpint (baton_test_get_metric (small, "baton_event_seq"), ==, last);
  /* (opening a stream may publish the agent's presence: within first, then behind is even
   * further behind) */
  within = baton_test_stream_open (small, small->manager_token, near, NULL);
  behind = baton_test_stream_open (small, small->manager_token, far, NULL);
  frame = baton_test_stream_next (behind, 5000);
  g_assert_nonnull (frame);
  g_assert_cmpstr (json_object_get_string_member (frame, "type"), ==, "resync_required");
  resync_seq = json_object_get_int_member (frame, "seq");
  g_assert_cmpint (resync_seq, >=, last);
  json_object_unref (frame);

  /* then live only */
  barrier = baton_test_barrier (small);
  behind_frames = baton_test_stream_until_barrier (behind, barrier, 10000);
  for (guint i = 0; i < behind_frames->len; i++)
    g_assert_cmpint (json_object_get_int_member (behind_frames->pdata[i], "seq"), >,
                     resync_seq);
  /* the 50 events after since, then live */
  within_frames = baton_test_stream_until_barrier (within, barrier, 10000);
  g_assert_cmpuint (within_frames->len, >, SMALL_REPLAY_LIMIT);
  for (guint i = 0; i < within_frames->len; i++)
    {
      gint64 seq = json_object_get_int_member (within_frames->pdata[i], "seq");

      if (i < SMALL_REPLAY_LIMIT)
        g_assert_cmpint (seq, ==, last - SMALL_REPLAY_LIMIT + 1 + i);
      else
        g_assert_cmpint (seq, >, last);
    }

  baton_test_stream_close (behind);
  baton_test_stream_close (within);
}

/* A limit that is not a positive integer stops batond at start, naming the key. */
static void
test_bad_limit (void)
{
  const char *configs[] = {
    "[batond]\nstream-replay-limit=lots\n",
    "[batond]\nstream-queue-limit=0\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (configs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = NULL;
      g_autofree char *err = NULL;
      g_autoptr(GSubprocess) batond = NULL;
      int fd = g_file_open_tmp ("batond-XXXXXX.conf", &path, &error);

      g_assert_no_error (error);
      close (fd);
      g_assert_true (g_file_set_contents (path, configs[i], -1, &error));
      batond = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                 &error, g_getenv ("BATOND"), "serve", "--data-dir",
                                 small->data_dir, "--listen", "127.0.0.1:0", "--config", path,
                                 NULL);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_communicate_utf8 (batond, NULL, NULL, NULL, &err, &error));
      g_assert_no_error (error);
      g_assert_false (g_subprocess_get_successful (batond));
      g_assert_nonnull (strstr (err, i == 0 ? "stream-replay-limit" : "stream-queue-limit"));
      g_unlink (path);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *big_config = g_strdup_printf ("[batond]\nstream-replay-limit=%u\n",
                                                 2 * N_SEEDED);
  g_autofree char *small_config = g_strdup_printf ("[batond]\nstream-replay-limit=%u\n"
                                                   "stream-queue-limit=%u\n",
                                                   SMALL_REPLAY_LIMIT, SMALL_QUEUE_LIMIT);
  int status;

  g_test_init (&argc, &argv, NULL);

  config_files = g_ptr_array_new_with_free_func (g_free);
  big = server_with_config (big_config);
  small = server_with_config (small_config);
  seeded_base = baton_test_seed_events (big, N_SEEDED, PAD_LENGTH);

  g_test_add_func ("/stream-replay/beside-live", test_replay_beside_live);
  g_test_add_func ("/stream-replay/idle-streams-memory", test_idle_streams_memory);
  g_test_add_func ("/stream-replay/slow-client-closed", test_slow_client_closed);
  g_test_add_func ("/stream-replay/far-behind-resync", test_far_behind_resync);
  g_test_add_func ("/stream-replay/bad-limit", test_bad_limit);

  status = g_test_run ();
  baton_test_server_free (big);
  baton_test_server_free (small);
  for (guint i = 0; i < config_files->len; i++)
    g_unlink (config_files->pdata[i]);
  g_ptr_array_unref (config_files);
  return status;
}
