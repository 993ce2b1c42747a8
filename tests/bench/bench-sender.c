/* bench-sender.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/timerfd.h>

#include "bench-sender.h"

/* Why not libsoup: on two cores a SoupSession on the main thread kept an open-loop schedule
 * to about 500 requests a second, each costing a SoupMessage, its headers, a GTask and the
 * session's queue; and the agents' streams parsed on the same thread delayed the sends.
 * Here a request is its bytes and a write, on a thread that does nothing else, woken on
 * time by a timerfd (epoll's own timeout counts in whole milliseconds). */

/* requests built ahead of their due time, one per turn of the loop, so that a burst of due
 * requests goes out without building any */
#define LOOKAHEAD 64
#define MAX_EVENTS 64
#define READ_CHUNK 4096
/* epoll data of the two descriptors that are not connections; a connection's is its index
 * and, above, its generation */
#define TIMER_KEY G_MAXUINT32
#define WAKE_KEY (G_MAXUINT32 - 1)

typedef enum {
  CONNECTION_CLOSED,
  CONNECTION_CONNECTING,
  CONNECTION_IDLE,
  CONNECTION_BUSY,
  /* could not connect: left alone until the next run */
  CONNECTION_FAILED,
} ConnectionState;

typedef struct {
  int fd;
  ConnectionState state;
  /* registered with epoll */
  guint32 events;
  /* counts its sockets: an event that waited while the socket was replaced is ignored */
  guint32 generation;
  /* in the idle queue (maybe no longer idle: such an entry is skipped) */
  gboolean queued;
  /* the request in flight, and how much of it is written */
  guint index;
  GBytes *request;
  gsize written;
  GByteArray *input;
} Connection;

typedef struct {
  struct sockaddr_storage address;
  socklen_t length;
} Peer;

struct _BenchSender {
  /* the servers the requests go to (Peer): connection i to peer i modulo their number */
  GArray *peers;
  /* "POST <path> HTTP/1.1\r\nHost: <host>\r\n…" up to the request's own headers */
  char *head;
  Connection *connections;
  guint n_connections;
  /* idle connections, first in first out: every connection gets used, and none sits idle
   * long enough for the server to close it */
  guint *idle;
  guint idle_first;
  guint n_idle;
  int epoll;
  int timer;
  gint64 timer_armed;
  int wake;
  GThread *thread;
  gint stopping;
  BenchRun *run;
  /* a request was due while no connection was free, and the backlog is not sent yet */
  gboolean starved;
  GBytes *built[LOOKAHEAD];
  guint built_until;
};

gint64
bench_run_due (const BenchRun *run,
               guint           index)
{
  if (run->rate == 0)
    return run->sent_at[index];
  return run->start + (gint64) (index * (double) G_USEC_PER_SEC / run->rate);
}

void
bench_run_clear (BenchRun *run)
{
  g_clear_pointer (&run->first_error, g_free);
}

G_GNUC_PRINTF (2, 3)
static void
record_error (BenchRun   *run,
              const char *format,
              ...)
{
  va_list args;

  if (run->first_error == NULL)
    {
      va_start (args, format);
      run->first_error = g_strdup_vprintf (format, args);
      va_end (args);
    }
  g_atomic_int_inc (&run->n_errors);
}

static void
watch (BenchSender *sender,
       Connection  *conn,
       guint32      events)
{
  struct epoll_event event = { .events = events,
                               .data.u64 = (guint64) conn->generation << 32
                                           | (guint64) (conn - sender->connections) };

  if (conn->events == events)
    return;
  if (epoll_ctl (sender->epoll, conn->events ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, conn->fd,
                 &event) != 0)
    g_error ("epoll_ctl: %s", g_strerror (errno));
  conn->events = events;
}

static void
make_idle (BenchSender *sender,
           Connection  *conn)
{
  conn->state = CONNECTION_IDLE;
  /* to see the server close it */
  watch (sender, conn, EPOLLIN);
  if (conn->queued)
    return;
  conn->queued = TRUE;
  sender->idle[(sender->idle_first + sender->n_idle) % sender->n_connections] =
    (guint) (conn - sender->connections);
  sender->n_idle++;
}

static Connection *
take_idle (BenchSender *sender)
{
  while (sender->n_idle > 0)
    {
      Connection *conn = &sender->connections[sender->idle[sender->idle_first]];

      sender->idle_first = (sender->idle_first + 1) % sender->n_connections;
      sender->n_idle--;
      conn->queued = FALSE;
      if (conn->state == CONNECTION_IDLE)
        return conn;
    }
  return NULL;
}

static void
connect_one (BenchSender *sender,
             Connection  *conn)
{
  const Peer *peer = &g_array_index (sender->peers, Peer,
                                     (guint) (conn - sender->connections) % sender->peers->len);
  int one = 1;

  conn->fd = socket (peer->address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (conn->fd < 0)
    g_error ("socket: %s", g_strerror (errno));
  setsockopt (conn->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  conn->events = 0;
  conn->generation++;
  g_byte_array_set_size (conn->input, 0);
  if (connect (conn->fd, (const struct sockaddr *) &peer->address, peer->length) == 0)
    {
      make_idle (sender, conn);
      return;
    }
  if (errno != EINPROGRESS)
    {
      record_error (sender->run, "connect: %s", g_strerror (errno));
      close (conn->fd);
      conn->fd = -1;
      conn->state = CONNECTION_FAILED;
      return;
    }
  conn->state = CONNECTION_CONNECTING;
  watch (sender, conn, EPOLLOUT);
}

/* Closes conn, the request in flight on it without an answer; reconnects unless the run is
 * over. */
static void
drop (BenchSender *sender,
      Connection  *conn,
      gboolean     reconnect)
{
  if (conn->state == CONNECTION_BUSY)
    g_atomic_int_dec_and_test (&sender->run->outstanding);
  g_clear_pointer (&conn->request, g_bytes_unref);
  if (conn->fd >= 0)
    close (conn->fd);
  conn->fd = -1;
  conn->events = 0;
  conn->state = CONNECTION_CLOSED;
  if (reconnect)
    connect_one (sender, conn);
}

static void
connected (BenchSender *sender,
           Connection  *conn)
{
  int error = 0;
  socklen_t length = sizeof error;

  if (getsockopt (conn->fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0)
    error = errno;
  if (error == 0)
    {
      make_idle (sender, conn);
      return;
    }
  record_error (sender->run, "connect: %s", g_strerror (error));
  drop (sender, conn, FALSE);
  conn->state = CONNECTION_FAILED;
}

static GBytes *
build (BenchSender *sender,
       guint        index)
{
  BenchRun *run = sender->run;
  g_autoptr(GString) headers = g_string_new (NULL);
  g_autoptr(GBytes) body = run->body (index, headers, run->user_data);
  gsize length = 0;
  const char *data = g_bytes_get_data (body, &length);
  GString *request = g_string_sized_new (strlen (sender->head) + headers->len + length + 64);

  g_string_append_printf (request, "%sContent-Length: %" G_GSIZE_FORMAT "\r\n%s\r\n",
                          sender->head, length, headers->str);
  g_string_append_len (request, data, (gssize) length);
  return g_string_free_to_bytes (request);
}

/* Builds the next request not yet built, if it is near enough. */
static gboolean
build_ahead (BenchSender *sender)
{
  BenchRun *run = sender->run;
  guint next = run->next;

  if (sender->built_until < next)
    sender->built_until = next;
  if (sender->built_until >= run->n_total || sender->built_until >= next + LOOKAHEAD)
    return FALSE;
  sender->built[sender->built_until % LOOKAHEAD] = build (sender, sender->built_until);
  sender->built_until++;
  return TRUE;
}

static GBytes *
take_built (BenchSender *sender,
            guint        index)
{
  if (index < sender->built_until)
    return g_steal_pointer (&sender->built[index % LOOKAHEAD]);
  return build (sender, index);
}

static void
write_request (BenchSender *sender,
               Connection  *conn)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (conn->request, &length);

  while (conn->written < length)
    {
      ssize_t n = send (conn->fd, data + conn->written, length - conn->written, MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno == EAGAIN)
        {
          watch (sender, conn, EPOLLIN | EPOLLOUT);
          return;
        }
      if (n < 0)
        {
          record_error (sender->run, "request %u: %s", conn->index, g_strerror (errno));
          drop (sender, conn, TRUE);
          return;
        }
      conn->written += (gsize) n;
    }
  g_clear_pointer (&conn->request, g_bytes_unref);
  watch (sender, conn, EPOLLIN);
}

/* Whether the next request may go now: due in an open loop, in a closed one while fewer
 * than in_flight are. */
static gboolean
next_may_go (BenchSender *sender,
             gint64       now)
{
  BenchRun *run = sender->run;

  if (run->next >= run->n_total)
    return FALSE;
  if (run->rate == 0)
    return now < run->closed_until && (guint) run->outstanding < run->in_flight;
  return bench_run_due (run, run->next) <= now;
}

static void
send_due (BenchSender *sender)
{
  BenchRun *run = sender->run;
  gint64 now = g_get_monotonic_time ();

  while (next_may_go (sender, now))
    {
      Connection *conn = take_idle (sender);
      guint index = run->next;

      if (conn == NULL)
        {
          sender->starved = TRUE;
          return;
        }
      if (sender->starved)
        run->n_waited++;
      conn->state = CONNECTION_BUSY;
      conn->index = index;
      conn->request = take_built (sender, index);
      conn->written = 0;
      g_atomic_int_inc (&run->outstanding);
      run->sent_at[index] = g_get_monotonic_time ();
      /* after sent_at: the caller takes a request below next as sent */
      g_atomic_int_set (&run->next, index + 1);
      write_request (sender, conn);
      now = g_get_monotonic_time ();
    }
  sender->starved = FALSE;
}

/* "close" among the comma-separated tokens of a Connection header */
static gboolean
names_close (const char *value,
             gsize       length)
{
  g_autofree char *text = g_strndup (value, length);
  g_auto(GStrv) tokens = g_strsplit (text, ",", -1);

  for (guint i = 0; tokens[i]; i++)
    if (g_ascii_strcasecmp (g_strstrip (tokens[i]), "close") == 0)
      return TRUE;
  return FALSE;
}

typedef struct {
  guint status;
  gboolean closes;
  gsize head_length;
  gsize body_length;
} Answer;

/* Reads one header line of an answer into it; FALSE with *problem on what this sender does
 * not read (a chunked body). */
static gboolean
read_header (const char  *line,
             gsize        length,
             Answer      *answer,
             const char **problem)
{
  const char *colon = memchr (line, ':', length);
  gsize name_length = colon ? (gsize) (colon - line) : 0;
  const char *value = colon ? colon + 1 : NULL;
  gsize value_length = colon ? length - name_length - 1 : 0;

  if (colon == NULL)
    return TRUE;
  while (value_length > 0 && (*value == ' ' || *value == '\t'))
    value++, value_length--;
  if (name_length == 14 && g_ascii_strncasecmp (line, "Content-Length", 14) == 0)
    answer->body_length = (gsize) g_ascii_strtoull (value, NULL, 10);
  else if (name_length == 10 && g_ascii_strncasecmp (line, "Connection", 10) == 0)
    answer->closes = answer->closes || names_close (value, value_length);
  else if (name_length == 17 && g_ascii_strncasecmp (line, "Transfer-Encoding", 17) == 0)
    {
      /* batond and the hello world give each of these answers its Content-Length */
      *problem = "a chunked answer, which this sender does not read";
      return FALSE;
    }
  return TRUE;
}

/* Parses the answer at the start of data: 0 while its head is incomplete, 1 once it is (in
 * *answer), -1 on what this sender cannot read (in *problem). */
static int
parse_head (const char  *data,
            gsize        length,
            Answer      *answer,
            const char **problem)
{
  const char *end = memmem (data, length, "\r\n\r\n", 4);
  const char *line = NULL;

  if (end == NULL)
    return 0;
  *answer = (Answer) { 0 };
  answer->head_length = (gsize) (end - data) + 4;
  if (answer->head_length < 13 || memcmp (data, "HTTP/1.", 7) != 0)
    {
      *problem = "not an HTTP/1 answer";
      return -1;
    }
  /* HTTP/1.0 closes unless told otherwise; batond answers in 1.1 */
  answer->closes = data[7] == '0';
  answer->status = (guint) g_ascii_strtoull (data + 9, NULL, 10);
  line = (const char *) memmem (data, answer->head_length, "\r\n", 2) + 2;
  while (line < end)
    {
      const char *eol = memmem (line, (gsize) (end + 2 - line), "\r\n", 2);

      if (!read_header (line, (gsize) (eol - line), answer, problem))
        return -1;
      line = eol + 2;
    }
  return 1;
}

/* The whole answer has arrived: stamps it, checks its status, frees the connection. */
static void
answered (BenchSender  *sender,
          Connection   *conn,
          const Answer *answer)
{
  BenchRun *run = sender->run;
  gint64 now = g_get_monotonic_time ();
  gsize length = answer->head_length + answer->body_length;

  if (answer->status == run->status)
    {
      run->acked_at[conn->index] = now;
      g_atomic_int_inc (&run->n_acked);
    }
  else
    record_error (run, "status %u, not %u: %.*s", answer->status, run->status,
                  (int) MIN (answer->body_length, 200),
                  (const char *) conn->input->data + answer->head_length);
  g_atomic_int_dec_and_test (&run->outstanding);
  conn->state = CONNECTION_IDLE;
  if (conn->input->len > length)
    {
      record_error (run, "%" G_GSIZE_FORMAT " bytes after the answer to request %u",
                    conn->input->len - length, conn->index);
      drop (sender, conn, TRUE);
    }
  else if (answer->closes)
    drop (sender, conn, TRUE);
  else
    {
      g_byte_array_set_size (conn->input, 0);
      make_idle (sender, conn);
    }
  /* the caller's loop waits for the last answer */
  if (run->outstanding == 0
      && (run->rate == 0 ? now >= run->closed_until : run->next == run->n_total))
    g_main_context_wakeup (NULL);
}

/* Reads what has arrived; FALSE when the server has closed. Reads again only after a full
 * chunk: an answer is usually all there, and epoll tells of anything left. */
static gboolean
read_input (Connection *conn)
{
  for (;;)
    {
      guint had = conn->input->len;
      ssize_t n = 0;

      g_byte_array_set_size (conn->input, had + READ_CHUNK);
      n = recv (conn->fd, conn->input->data + had, READ_CHUNK, 0);
      g_byte_array_set_size (conn->input, had + (guint) MAX (n, 0));
      if (n == READ_CHUNK || (n < 0 && errno == EINTR))
        continue;
      return n > 0 || (n < 0 && errno == EAGAIN);
    }
}

static void
readable (BenchSender *sender,
          Connection  *conn)
{
  gboolean open = read_input (conn);
  Answer answer = { 0 };
  const char *problem = NULL;
  int parsed = 0;

  if (conn->state != CONNECTION_BUSY)
    {
      const char *eol = memchr (conn->input->data, '\r', conn->input->len);

      /* an idle connection the server closed, or an answer to no request (a refusal) */
      if (conn->input->len > 0)
        record_error (sender->run, "an answer to no request: %.*s",
                      (int) (eol ? (guint) (eol - (const char *) conn->input->data)
                                 : MIN (conn->input->len, 200)),
                      (const char *) conn->input->data);
      if (conn->input->len > 0 || !open)
        drop (sender, conn, TRUE);
      return;
    }
  parsed = parse_head ((const char *) conn->input->data, conn->input->len, &answer, &problem);
  if (parsed < 0)
    {
      record_error (sender->run, "request %u: %s", conn->index, problem);
      drop (sender, conn, TRUE);
    }
  else if (parsed > 0 && conn->input->len >= answer.head_length + answer.body_length)
    answered (sender, conn, &answer);
  else if (!open)
    {
      record_error (sender->run, "the connection closed before the answer to request %u",
                    conn->index);
      drop (sender, conn, TRUE);
    }
}

static void
handle_event (BenchSender              *sender,
              const struct epoll_event *event)
{
  guint32 key = (guint32) (event->data.u64 & G_MAXUINT32);
  Connection *conn = NULL;
  guint64 count = 0;

  if (key == TIMER_KEY || key == WAKE_KEY)
    {
      if (read (key == TIMER_KEY ? sender->timer : sender->wake, &count, sizeof count) < 0
          && errno != EAGAIN)
        g_error ("read: %s", g_strerror (errno));
      if (key == TIMER_KEY)
        sender->timer_armed = 0;
      return;
    }
  conn = &sender->connections[key];
  if (conn->generation != (guint32) (event->data.u64 >> 32))
    return;
  if (conn->state == CONNECTION_CONNECTING)
    connected (sender, conn);
  else if (conn->state == CONNECTION_BUSY && conn->request && (event->events & EPOLLOUT))
    write_request (sender, conn);
  else if (conn->fd >= 0 && (event->events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
    readable (sender, conn);
}

/* Has the timer ring when the next request is due, if it can go then. */
static void
arm_timer (BenchSender *sender)
{
  BenchRun *run = sender->run;
  gint64 due = 0;
  struct itimerspec when = { { 0, 0 }, { 0, 0 } };

  if (run->rate == 0 || run->next >= run->n_total || sender->n_idle == 0)
    return;
  due = bench_run_due (run, run->next);
  if (due == sender->timer_armed)
    return;
  /* g_get_monotonic_time () is CLOCK_MONOTONIC */
  when.it_value.tv_sec = due / G_USEC_PER_SEC;
  when.it_value.tv_nsec = (due % G_USEC_PER_SEC) * 1000;
  if (timerfd_settime (sender->timer, TFD_TIMER_ABSTIME, &when, NULL) != 0)
    g_error ("timerfd_settime: %s", g_strerror (errno));
  sender->timer_armed = due;
}

static gpointer
sender_thread (gpointer user_data)
{
  BenchSender *sender = user_data;
  struct epoll_event events[MAX_EVENTS];

  /* wake on time to the microsecond, not the default 50 µs slack */
  prctl (PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
  for (guint i = 0; i < sender->n_connections; i++)
    if (sender->connections[i].state == CONNECTION_CLOSED
        || sender->connections[i].state == CONNECTION_FAILED)
      connect_one (sender, &sender->connections[i]);
  while (!g_atomic_int_get (&sender->stopping))
    {
      int n = 0;

      send_due (sender);
      if (build_ahead (sender))
        continue;
      arm_timer (sender);
      n = epoll_wait (sender->epoll, events, MAX_EVENTS, -1);
      if (n < 0 && errno != EINTR)
        g_error ("epoll_wait: %s", g_strerror (errno));
      for (int i = 0; i < n; i++)
        handle_event (sender, &events[i]);
    }
  return NULL;
}

static Peer
peer_of (GUri *uri)
{
  g_autoptr(GInetAddress) host = g_inet_address_new_from_string (g_uri_get_host (uri));
  g_autoptr(GSocketAddress) address = NULL;
  Peer peer = { 0 };

  if (host == NULL)
    g_error ("the sender posts to an IP address, not %s", g_uri_get_host (uri));
  address = g_inet_socket_address_new (host, (guint16) g_uri_get_port (uri));
  peer.length = (socklen_t) g_socket_address_get_native_size (address);
  if (!g_socket_address_to_native (address, &peer.address, sizeof peer.address, NULL))
    g_error ("the sender cannot use %s", g_uri_get_host (uri));
  return peer;
}

BenchSender *
bench_sender_new (GUri  *uri,
                  guint  connections)
{
  BenchSender *sender = g_new0 (BenchSender, 1);
  Peer peer = peer_of (uri);
  struct epoll_event timer = { .events = EPOLLIN, .data.u64 = TIMER_KEY };
  struct epoll_event wake = { .events = EPOLLIN, .data.u64 = WAKE_KEY };
  const char *query = g_uri_get_query (uri);

  sender->peers = g_array_new (FALSE, FALSE, sizeof (Peer));
  g_array_append_val (sender->peers, peer);
  sender->head = g_strdup_printf ("POST %s%s%s HTTP/1.1\r\nHost: %s:%d\r\n"
                                  "Content-Type: application/json\r\n", g_uri_get_path (uri),
                                  query ? "?" : "", query ? query : "", g_uri_get_host (uri),
                                  g_uri_get_port (uri));
  sender->n_connections = connections;
  sender->connections = g_new0 (Connection, connections);
  sender->idle = g_new0 (guint, connections);
  for (guint i = 0; i < connections; i++)
    {
      sender->connections[i].fd = -1;
      sender->connections[i].input = g_byte_array_sized_new (READ_CHUNK);
    }
  sender->epoll = epoll_create1 (EPOLL_CLOEXEC);
  sender->timer = timerfd_create (CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  sender->wake = eventfd (0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (sender->epoll < 0 || sender->timer < 0 || sender->wake < 0
      || epoll_ctl (sender->epoll, EPOLL_CTL_ADD, sender->timer, &timer) != 0
      || epoll_ctl (sender->epoll, EPOLL_CTL_ADD, sender->wake, &wake) != 0)
    g_error ("the sender's epoll: %s", g_strerror (errno));
  return sender;
}

void
bench_sender_add_peer (BenchSender *sender,
                       GUri        *uri)
{
  Peer peer = peer_of (uri);

  g_assert (sender->thread == NULL);
  g_array_append_val (sender->peers, peer);
}

void
bench_sender_free (BenchSender *sender)
{
  if (sender->thread)
    bench_sender_stop (sender);
  for (guint i = 0; i < sender->n_connections; i++)
    {
      if (sender->connections[i].fd >= 0)
        close (sender->connections[i].fd);
      g_byte_array_unref (sender->connections[i].input);
    }
  close (sender->epoll);
  close (sender->timer);
  close (sender->wake);
  g_free (sender->connections);
  g_free (sender->idle);
  g_free (sender->head);
  g_array_unref (sender->peers);
  g_free (sender);
}

void
bench_sender_start (BenchSender *sender,
                    BenchRun    *run)
{
  g_assert (sender->thread == NULL);
  sender->run = run;
  sender->starved = FALSE;
  sender->built_until = 0;
  sender->timer_armed = 0;
  g_atomic_int_set (&sender->stopping, 0);
  sender->thread = g_thread_new ("bench-sender", sender_thread, sender);
}

void
bench_sender_stop (BenchSender *sender)
{
  guint64 one = 1;

  g_atomic_int_set (&sender->stopping, 1);
  if (write (sender->wake, &one, sizeof one) < 0)
    g_error ("write: %s", g_strerror (errno));
  g_thread_join (g_steal_pointer (&sender->thread));
  /* an answer arriving later would be taken for the next run's */
  for (guint i = 0; i < sender->n_connections; i++)
    if (sender->connections[i].state == CONNECTION_BUSY)
      drop (sender, &sender->connections[i], FALSE);
  for (guint i = 0; i < LOOKAHEAD; i++)
    g_clear_pointer (&sender->built[i], g_bytes_unref);
  sender->run = NULL;
}
