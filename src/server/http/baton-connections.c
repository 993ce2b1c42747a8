/* baton-connections.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-connections"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "baton-connection-input.h"
#include "baton-connections.h"
#include "baton-source.h"

/* batond accepts connections itself instead of letting libsoup do it: libsoup 3.2 stops
 * accepting for good the first time accept() fails (out of descriptors), and it has no
 * limit on connections nor any time-out for idle or slow clients. Each connection is
 * handed to libsoup through a stream that shows batond every byte first, and its phase
 * (waiting, reading a request, answering, …) follows libsoup's message signals. */

/* a whole burst per turn: each turn of the loop costs more the more connections are open */
#define ACCEPT_BATCH 1024
/* evicted connections keep their descriptor until libsoup lets go on a later turn */
#define CLOSING_BEFORE_YIELD 8
#define ACCEPT_RETRY_MS 100
#define SWEEP_INTERVAL_S 1
#define LINGER_US (2 * G_USEC_PER_SEC)
#define WARN_INTERVAL_US (10 * G_USEC_PER_SEC)
/* below libsoup's own 64 KiB, past which it resets the connection without an answer */
#define REQUEST_LINE_LIMIT (16 * 1024)
#define REQUEST_HEAD_LIMIT (48 * 1024)
#define DESCRIPTOR_RESERVE_MIN 16
#define CONNECTIONS_WITHOUT_LIMIT 100000

typedef enum {
  PHASE_WAITING,   /* for a request: nothing of it has arrived */
  PHASE_READING,   /* a request is arriving */
  PHASE_HANDLING,  /* batond is answering it */
  PHASE_WRITING,   /* the answer is being sent */
  PHASE_UPGRADED,  /* an event stream, which watches its own liveness */
  PHASE_CLOSING,   /* refused or timed out; libsoup has yet to let go */
} Phase;

typedef enum {
  CLOSED_IDLE,
  CLOSED_SLOW,
  CLOSED_EVICTED,
  CLOSED_URI_TOO_LONG,
  CLOSED_HEADERS_TOO_LARGE,
  CLOSED_BUSY,
  CLOSED_NO_DESCRIPTOR,
  N_CLOSED_REASONS
} ClosedReason;

static const char * const closed_reason_names[N_CLOSED_REASONS] = {
  "idle", "slow", "evicted", "uri_too_long", "headers_too_large", "busy", "no_descriptor",
};

typedef struct {
  BatonConnections *owner;
  GSocket *socket;
  GSocketAddress *remote;
  BatonConnectionInput *input;
  Phase phase;
  gint64 since;
  gint64 deadline;
  gsize head_bytes;
  gsize line_bytes;
  gboolean line_done;
  gboolean head_done;
  /* an answer was sent and the connection kept for the next request, of which nothing came */
  gboolean kept_alive;
} Connection;

struct _BatonConnections
{
  GObject parent_instance;

  SoupServer *soup;
  BatonConnectionLimits limits;
  guint max;
  GPtrArray *listeners;
  GPtrArray *accept_sources;
  GSocket *keepalive[2];
  GHashTable *connections;
  guint n_closing;
  int spare_fd;
  guint retry_id;
  guint sweep_id;
  gint64 warned_at;
  guint64 closed[N_CLOSED_REASONS];
};

G_DEFINE_FINAL_TYPE (BatonConnections, baton_connections, G_TYPE_OBJECT)

static GQuark
connection_quark (void)
{
  return g_quark_from_static_string ("baton-connection");
}

static gboolean resume_accepting (gpointer user_data);

static void
connection_free (Connection *conn)
{
  if (conn->phase == PHASE_CLOSING)
    conn->owner->n_closing--;
  g_object_set_qdata (G_OBJECT (conn->remote), connection_quark (), NULL);
  if (conn->input)
    baton_connection_input_detach (conn->input);
  g_object_unref (conn->remote);
  g_object_unref (conn->socket);
  g_free (conn);
}

static void
set_phase (Connection *conn,
           Phase       phase,
           guint       timeout_s)
{
  gint64 now = g_get_monotonic_time ();

  if (conn->phase == PHASE_CLOSING)
    return;
  if (phase == PHASE_CLOSING)
    conn->owner->n_closing++;
  conn->phase = phase;
  conn->since = now;
  conn->deadline = timeout_s ? now + (gint64) timeout_s * G_USEC_PER_SEC : 0;
}

/* Ends a connection libsoup holds: it sees the end of input (or a failed write) at its next
 * turn and lets the connection go, which removes it from the table. */
static void
close_connection (Connection   *conn,
                  ClosedReason  reason)
{
  conn->owner->closed[reason]++;
  set_phase (conn, PHASE_CLOSING, 0);
  g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);
}

/* An answer written straight to the socket, for a request libsoup never sees whole. */
static void
send_refusal (GSocket    *socket,
              guint       status,
              const char *reason,
              const char *code,
              const char *message)
{
  g_autofree char *body = g_strdup_printf ("{\"error\":{\"code\":\"%s\",\"message\":\"%s\"}}",
                                           code, message);
  g_autofree char *text = g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                                           "Content-Type: application/json\r\n"
                                           "Content-Length: %zu\r\n"
                                           "Connection: close\r\n"
                                           "\r\n%s",
                                           status, reason, strlen (body), body);

  /* A fresh connection's send buffer takes this at once; if not, the client gets a reset. */
  g_socket_send (socket, text, strlen (text), NULL, NULL);
}

/* Refuses a request whose head is too large: the answer, then the rest of what the client
 * sends is read and dropped for a moment, so that its reset does not destroy the answer. */
static void
refuse_request (Connection   *conn,
                ClosedReason  reason)
{
  if (reason == CLOSED_URI_TOO_LONG)
    send_refusal (conn->socket, 414, "URI Too Long", "uri_too_long",
                  "The request line is too long");
  else
    send_refusal (conn->socket, 431, "Request Header Fields Too Large", "headers_too_large",
                  "The request headers are too large");
  g_socket_shutdown (conn->socket, FALSE, TRUE, NULL);
  conn->owner->closed[reason]++;
  set_phase (conn, PHASE_CLOSING, 0);
  conn->deadline = g_get_monotonic_time () + LINGER_US;
}

/* Measures the request line and head as they arrive; FALSE when they are too long. */
static gboolean
measure_head (Connection   *conn,
              const guint8 *data,
              gsize         length)
{
  if (!conn->line_done)
    {
      const guint8 *end = memchr (data, '\n', length);

      conn->line_bytes += end ? (gsize) (end - data) : length;
      conn->line_done = end != NULL;
      if (conn->line_bytes > REQUEST_LINE_LIMIT)
        {
          refuse_request (conn, CLOSED_URI_TOO_LONG);
          return FALSE;
        }
    }
  conn->head_bytes += length;
  if (conn->head_bytes > REQUEST_HEAD_LIMIT)
    {
      refuse_request (conn, CLOSED_HEADERS_TOO_LARGE);
      return FALSE;
    }
  return TRUE;
}

static gboolean
input_received_cb (gpointer      user_data,
                   const guint8 *data,
                   gsize         length)
{
  Connection *conn = user_data;

  conn->kept_alive = FALSE;
  if (conn->phase == PHASE_WAITING)
    {
      set_phase (conn, PHASE_READING, conn->owner->limits.request_timeout);
      conn->head_bytes = conn->line_bytes = 0;
      conn->line_done = conn->head_done = FALSE;
    }
  if (conn->phase != PHASE_READING || conn->head_done)
    return TRUE;
  return measure_head (conn, data, length);
}

static gboolean
input_ended_cb (gpointer user_data)
{
  Connection *conn = user_data;

  /* the answer to the request libsoup is about to fail to parse goes nowhere */
  if (conn->kept_alive)
    g_socket_shutdown (conn->socket, FALSE, TRUE, NULL);
  return conn->kept_alive;
}

static void
input_closed_cb (gpointer user_data)
{
  Connection *conn = user_data;

  conn->input = NULL;
  g_hash_table_remove (conn->owner->connections, conn);
}

static const BatonConnectionInputHooks input_hooks = {
  .received = input_received_cb,
  .ended = input_ended_cb,
  .closed = input_closed_cb,
};

/* The connection to close for a newcomer: the one waiting longest for a request, else the
 * one slowest to send its request; NULL when every one is busy. */
static Connection *
eviction_candidate (BatonConnections *self)
{
  Connection *best = NULL;
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      Connection *conn = key;

      if (conn->phase != PHASE_WAITING && conn->phase != PHASE_READING)
        continue;
      if (best == NULL || conn->phase < best->phase
          || (conn->phase == best->phase && conn->since < best->since))
        best = conn;
    }
  return best;
}

static gboolean
evict_one (BatonConnections *self)
{
  Connection *conn = eviction_candidate (self);

  if (conn == NULL)
    return FALSE;
  close_connection (conn, CLOSED_EVICTED);
  return TRUE;
}

static void
refuse_socket (BatonConnections *self,
               GSocket          *socket,
               ClosedReason      reason)
{
  self->closed[reason]++;
  send_refusal (socket, 503, "Service Unavailable", "unavailable",
                "The server has too many connections; try again");
  g_socket_close (socket, NULL);
}

static Connection *
connection_new (BatonConnections *self,
                GSocket          *socket,
                GSocketAddress   *remote)
{
  Connection *conn = g_new0 (Connection, 1);

  conn->owner = self;
  conn->socket = g_object_ref (socket);
  conn->remote = g_object_ref (remote);
  g_object_set_qdata (G_OBJECT (remote), connection_quark (), conn);
  g_hash_table_add (self->connections, conn);
  set_phase (conn, PHASE_WAITING, self->limits.idle_timeout);
  return conn;
}

/* Hands an accepted socket to libsoup, unless batond has as many connections as it takes. */
static void
take_socket (BatonConnections *self,
             GSocket          *socket)
{
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GSocketAddress) remote = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(GIOStream) stream = NULL;
  Connection *conn;

  if (g_hash_table_size (self->connections) - self->n_closing >= self->max
      && !evict_one (self))
    {
      refuse_socket (self, socket, CLOSED_BUSY);
      return;
    }
  remote = g_socket_get_remote_address (socket, NULL);
  local = g_socket_get_local_address (socket, NULL);
  if (remote == NULL || local == NULL)
    return;
  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  connection = g_socket_connection_factory_create_connection (socket);
  conn = connection_new (self, socket, remote);
  input = baton_connection_input_new (connection, &input_hooks, conn);
  conn->input = BATON_CONNECTION_INPUT (input);
  stream = g_simple_io_stream_new (input, g_io_stream_get_output_stream (G_IO_STREAM (connection)));
  soup_server_accept_iostream (self->soup, stream, local, remote, NULL);
}

static void
warn_out_of_descriptors (BatonConnections *self)
{
  gint64 now = g_get_monotonic_time ();

  if (self->warned_at && now - self->warned_at < WARN_INTERVAL_US)
    return;
  self->warned_at = now;
  g_warning ("Out of file descriptors with %u connections open: refusing new ones until "
             "some close", g_hash_table_size (self->connections));
}

static void
pause_accepting (BatonConnections *self)
{
  for (guint i = 0; i < self->accept_sources->len; i++)
    g_source_destroy (self->accept_sources->pdata[i]);
  g_ptr_array_set_size (self->accept_sources, 0);
  if (self->retry_id == 0)
    self->retry_id = baton_timeout_add_local (ACCEPT_RETRY_MS, resume_accepting, self);
}

/* accept() failed for want of a descriptor: one is kept in reserve to accept and refuse the
 * waiting client cleanly (rather than leave it hanging), and idle connections make room. */
static gboolean
out_of_descriptors (BatonConnections *self,
                    GSocket          *listener)
{
  g_autoptr(GSocket) socket = NULL;

  warn_out_of_descriptors (self);
  evict_one (self);
  if (self->spare_fd < 0)
    return FALSE;
  close (self->spare_fd);
  socket = g_socket_accept (listener, NULL, NULL);
  if (socket)
    refuse_socket (self, socket, CLOSED_NO_DESCRIPTOR);
  self->spare_fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  return socket != NULL && self->spare_fd >= 0;
}

static gboolean
accept_cb (GSocket      *listener,
           GIOCondition  condition,
           gpointer      user_data)
{
  BatonConnections *self = user_data;

  for (guint i = 0; i < ACCEPT_BATCH && self->n_closing < CLOSING_BEFORE_YIELD; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) socket = g_socket_accept (listener, NULL, &error);

      if (socket)
        take_socket (self, socket);
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES)
               && !out_of_descriptors (self, listener))
        {
          /* nothing more can be done until descriptors come back: try again shortly */
          pause_accepting (self);
          break;
        }
    }
  return G_SOURCE_CONTINUE;
}

static void
watch_listener (BatonConnections *self,
                GSocket          *listener)
{
  GSource *source = g_socket_create_source (listener, G_IO_IN, NULL);

  g_source_set_callback (source, G_SOURCE_FUNC (accept_cb), self, NULL);
  g_source_attach (source, g_main_context_get_thread_default ());
  g_ptr_array_add (self->accept_sources, source);
}

static gboolean
resume_accepting (gpointer user_data)
{
  BatonConnections *self = user_data;

  self->retry_id = 0;
  for (guint i = 0; i < self->listeners->len; i++)
    watch_listener (self, self->listeners->pdata[i]);
  return G_SOURCE_REMOVE;
}

/* Time-outs: a connection waiting too long for a request, a request arriving too slowly, an
 * answer the client does not read, and the end of a refused connection's linger. */
static gboolean
sweep_cb (gpointer user_data)
{
  BatonConnections *self = user_data;
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      Connection *conn = key;

      if (conn->deadline == 0 || now < conn->deadline)
        continue;
      conn->deadline = 0;
      if (conn->phase == PHASE_CLOSING)
        g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);
      else
        close_connection (conn, conn->phase == PHASE_WAITING ? CLOSED_IDLE : CLOSED_SLOW);
    }
  return G_SOURCE_CONTINUE;
}

static Connection *
connection_of (SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  return remote ? g_object_get_qdata (G_OBJECT (remote), connection_quark ()) : NULL;
}

static void
got_headers_cb (SoupServerMessage *msg)
{
  Connection *conn = connection_of (msg);

  if (conn)
    conn->head_done = TRUE;
}

static void
got_body_cb (SoupServerMessage *msg)
{
  Connection *conn = connection_of (msg);

  if (conn)
    set_phase (conn, PHASE_HANDLING, 0);
}

static void
wrote_informational_cb (SoupServerMessage *msg)
{
  Connection *conn = connection_of (msg);

  if (conn && soup_server_message_get_status (msg) == SOUP_STATUS_SWITCHING_PROTOCOLS)
    set_phase (conn, PHASE_UPGRADED, 0);
}

/* Writing the answer must make progress: each piece written gives it more time. */
static void
wrote_cb (SoupServerMessage *msg)
{
  Connection *conn = connection_of (msg);

  if (conn && conn->phase != PHASE_UPGRADED)
    set_phase (conn, PHASE_WRITING, conn->owner->limits.request_timeout);
}

/* libsoup drops the length of a 204 as it writes it, and then takes the answer to end at
 * the end of the connection and closes it (without saying so): it has no body at all. */
static void
wrote_headers_cb (SoupServerMessage *msg)
{
  guint status = soup_server_message_get_status (msg);

  if (status == SOUP_STATUS_NO_CONTENT || status == SOUP_STATUS_NOT_MODIFIED)
    soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg),
                                       SOUP_ENCODING_NONE);
  wrote_cb (msg);
}

static void
finished_cb (SoupServerMessage *msg)
{
  Connection *conn = connection_of (msg);

  if (conn == NULL || conn->phase == PHASE_UPGRADED)
    return;
  set_phase (conn, PHASE_WAITING, conn->owner->limits.idle_timeout);
  conn->kept_alive = TRUE;
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    BatonConnections  *self)
{
  g_signal_connect (msg, "got-headers", G_CALLBACK (got_headers_cb), NULL);
  g_signal_connect (msg, "got-body", G_CALLBACK (got_body_cb), NULL);
  g_signal_connect (msg, "wrote-informational", G_CALLBACK (wrote_informational_cb), NULL);
  g_signal_connect (msg, "wrote-headers", G_CALLBACK (wrote_headers_cb), NULL);
  g_signal_connect (msg, "wrote-body-data", G_CALLBACK (wrote_cb), NULL);
  g_signal_connect (msg, "finished", G_CALLBACK (finished_cb), NULL);
}

static guint
count_open_descriptors (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint count = 0;

  if (dir == NULL)
    return 64;
  while (g_dir_read_name (dir))
    count++;
  return count;
}

/* As many connections as descriptors allow, keeping some for the database, media files,
 * the WhatsApp client and the like. */
static guint
max_for_descriptors (void)
{
  struct rlimit limit;
  guint64 available;
  guint64 reserve;
  guint open_now = count_open_descriptors ();

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY)
    return CONNECTIONS_WITHOUT_LIMIT;
  reserve = MAX (DESCRIPTOR_RESERVE_MIN, limit.rlim_cur / 8);
  if (limit.rlim_cur <= open_now + reserve)
    return 1;
  available = limit.rlim_cur - open_now - reserve;
  return (guint) MIN (available, CONNECTIONS_WITHOUT_LIMIT);
}

/* libsoup 3.2 keeps a connection alive after an answer only while it has a listener of its
 * own (soup-server.c, request_finished): it gets one that never receives a connection, the
 * end of a socket pair whose other end stays silent. */
static void
keep_connections_alive (BatonConnections *self)
{
  g_autoptr(GError) error = NULL;
  int pair[2];

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
    {
      g_warning ("No keep-alive: cannot create a socket pair: %s", g_strerror (errno));
      return;
    }
  self->keepalive[0] = g_socket_new_from_fd (pair[0], NULL);
  self->keepalive[1] = g_socket_new_from_fd (pair[1], NULL);
  if (self->keepalive[0] == NULL || self->keepalive[1] == NULL
      || !soup_server_listen_socket (self->soup, self->keepalive[0], 0, &error))
    g_warning ("No keep-alive: %s", error ? error->message : "cannot wrap a socket pair");
}

static void
baton_connections_dispose (GObject *object)
{
  BatonConnections *self = BATON_CONNECTIONS (object);

  baton_connections_stop_accepting (self);
  g_clear_handle_id (&self->sweep_id, baton_source_remove_local);
  if (self->soup)
    g_signal_handlers_disconnect_by_data (self->soup, self);
  g_clear_pointer (&self->connections, g_hash_table_unref);
  g_clear_object (&self->keepalive[0]);
  g_clear_object (&self->keepalive[1]);
  g_clear_object (&self->soup);
  if (self->spare_fd >= 0)
    close (self->spare_fd);
  self->spare_fd = -1;

  G_OBJECT_CLASS (baton_connections_parent_class)->dispose (object);
}

static void
baton_connections_finalize (GObject *object)
{
  BatonConnections *self = BATON_CONNECTIONS (object);

  g_ptr_array_unref (self->listeners);
  g_ptr_array_unref (self->accept_sources);

  G_OBJECT_CLASS (baton_connections_parent_class)->finalize (object);
}

static void
baton_connections_class_init (BatonConnectionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = baton_connections_dispose;
  object_class->finalize = baton_connections_finalize;
}

static void
baton_connections_init (BatonConnections *self)
{
  self->listeners = g_ptr_array_new_with_free_func (g_object_unref);
  self->accept_sources = g_ptr_array_new_with_free_func ((GDestroyNotify) g_source_unref);
  self->connections = g_hash_table_new_full (NULL, NULL, (GDestroyNotify) connection_free, NULL);
  self->spare_fd = -1;
}

BatonConnections *
baton_connections_new (SoupServer                  *soup,
                       const BatonConnectionLimits *limits)
{
  BatonConnections *self = g_object_new (BATON_TYPE_CONNECTIONS, NULL);
  guint max = max_for_descriptors ();

  self->soup = g_object_ref (soup);
  self->limits = *limits;
  if (self->limits.idle_timeout == 0)
    self->limits.idle_timeout = BATON_CONNECTIONS_IDLE_TIMEOUT;
  if (self->limits.request_timeout == 0)
    self->limits.request_timeout = BATON_CONNECTIONS_REQUEST_TIMEOUT;
  if (limits->max_connections > max)
    g_warning ("max-connections=%u is more than the descriptor limit allows: %u",
               limits->max_connections, max);
  self->max = limits->max_connections ? MIN (limits->max_connections, max) : max;
  self->spare_fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  keep_connections_alive (self);
  g_signal_connect (soup, "request-started", G_CALLBACK (request_started_cb), self);
  self->sweep_id = baton_timeout_add_seconds_local (SWEEP_INTERVAL_S, sweep_cb, self);
  return self;
}

gboolean
baton_connections_listen (BatonConnections  *self,
                          GSocket           *socket,
                          GError           **error)
{
  g_return_val_if_fail (BATON_IS_CONNECTIONS (self), FALSE);

  g_socket_set_blocking (socket, FALSE);
  g_ptr_array_add (self->listeners, g_object_ref (socket));
  watch_listener (self, socket);
  return TRUE;
}

GSocketAddress *
baton_connections_get_address (BatonConnections *self)
{
  g_return_val_if_fail (BATON_IS_CONNECTIONS (self), NULL);

  if (self->listeners->len == 0)
    return NULL;
  return g_socket_get_local_address (self->listeners->pdata[0], NULL);
}

/* Closes the listening sockets; connections already open carry on. */
void
baton_connections_stop_accepting (BatonConnections *self)
{
  g_return_if_fail (BATON_IS_CONNECTIONS (self));

  for (guint i = 0; i < self->accept_sources->len; i++)
    g_source_destroy (self->accept_sources->pdata[i]);
  g_ptr_array_set_size (self->accept_sources, 0);
  g_clear_handle_id (&self->retry_id, baton_source_remove_local);
  for (guint i = 0; i < self->listeners->len; i++)
    g_socket_close (self->listeners->pdata[i], NULL);
  g_ptr_array_set_size (self->listeners, 0);
}

guint
baton_connections_get_n (BatonConnections *self)
{
  g_return_val_if_fail (BATON_IS_CONNECTIONS (self), 0);

  return g_hash_table_size (self->connections);
}

guint
baton_connections_get_max (BatonConnections *self)
{
  g_return_val_if_fail (BATON_IS_CONNECTIONS (self), 0);

  return self->max;
}

void
baton_connections_write_metrics (BatonConnections *self,
                                 GString          *text)
{
  g_return_if_fail (BATON_IS_CONNECTIONS (self));

  g_string_append_printf (text, "# HELP baton_connections Open HTTP and event stream connections.\n"
                                "# TYPE baton_connections gauge\n"
                                "baton_connections %u\n"
                                "# HELP baton_connections_max Connections batond keeps open at most.\n"
                                "# TYPE baton_connections_max gauge\n"
                                "baton_connections_max %u\n"
                                "# HELP baton_connections_closed_total Connections batond closed "
                                "or refused, by reason.\n"
                                "# TYPE baton_connections_closed_total counter\n",
                          g_hash_table_size (self->connections), self->max);
  for (guint i = 0; i < N_CLOSED_REASONS; i++)
    g_string_append_printf (text, "baton_connections_closed_total{reason=\"%s\"} %" G_GUINT64_FORMAT "\n",
                            closed_reason_names[i], self->closed[i]);
}
