/* baton-connection-input.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-connection-input"

#include "config.h"

#include "baton-connection-input.h"

#define DISCARD_CHUNK 16384

/* The input of one accepted connection, as libsoup reads it: the owner sees every byte
 * before libsoup does (to enforce request limits and time-outs), and closing the stream
 * closes the connection's descriptor. */
struct _BatonConnectionInput
{
  GFilterInputStream parent_instance;

  GSocketConnection *connection;
  const BatonConnectionInputHooks *hooks;
  gpointer user_data;
  gboolean discarding;
  gboolean nudged;
};

static void pollable_iface_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BatonConnectionInput, baton_connection_input,
                               G_TYPE_FILTER_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      pollable_iface_init))

static GInputStream *
base_of (BatonConnectionInput *self)
{
  return g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (self));
}

/* Shows what was read to the owner; FALSE when it refused it. */
static gboolean
offer (BatonConnectionInput *self,
       const void           *data,
       gssize                length)
{
  if (length <= 0 || self->discarding || self->hooks == NULL)
    return !self->discarding;
  if (!self->hooks->received (self->user_data, data, (gsize) length))
    self->discarding = TRUE;
  return !self->discarding;
}

/* Reads and drops what has arrived; returns 0 at the end of input, -1 otherwise. */
static gssize
drain (BatonConnectionInput  *self,
       gboolean               blocking,
       GCancellable          *cancellable,
       GError               **error)
{
  guint8 scratch[DISCARD_CHUNK];
  gssize n;

  do
    n = g_pollable_stream_read (base_of (self), scratch, sizeof scratch, blocking, cancellable,
                                error);
  while (n > 0);
  return n;
}

/* libsoup 3.2 does not notice that a kept-alive connection ended before the next request
 * began (it has nobody to tell until a first byte came): it is handed a line feed once,
 * a request it cannot parse, and then the end, which it does act on. */
static gboolean
nudge (BatonConnectionInput  *self,
       gssize                 n,
       void                  *buffer,
       GError               **error)
{
  gboolean ended = n == 0 || (n < 0 && !g_error_matches (error ? *error : NULL, G_IO_ERROR,
                                                          G_IO_ERROR_WOULD_BLOCK));

  if (!ended || self->nudged || self->hooks == NULL || !self->hooks->ended (self->user_data))
    return FALSE;
  self->nudged = TRUE;
  if (error)
    g_clear_error (error);
  ((char *) buffer)[0] = '\n';
  return TRUE;
}

static gssize
read_nonblocking (GPollableInputStream  *pollable,
                  void                  *buffer,
                  gsize                  count,
                  GError               **error)
{
  BatonConnectionInput *self = BATON_CONNECTION_INPUT (pollable);
  gssize n;

  if (self->discarding)
    return drain (self, FALSE, NULL, error);
  n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (base_of (self)),
                                                buffer, count, NULL, error);
  if (count > 0 && nudge (self, n, buffer, error))
    return 1;
  if (offer (self, buffer, n))
    return n;
  return drain (self, FALSE, NULL, error);
}

static gssize
read_blocking (GInputStream  *stream,
               void          *buffer,
               gsize          count,
               GCancellable  *cancellable,
               GError       **error)
{
  BatonConnectionInput *self = BATON_CONNECTION_INPUT (stream);
  gssize n;

  if (self->discarding)
    return drain (self, TRUE, cancellable, error);
  n = g_input_stream_read (base_of (self), buffer, count, cancellable, error);
  if (count > 0 && nudge (self, n, buffer, error))
    return 1;
  if (offer (self, buffer, n))
    return n;
  return drain (self, TRUE, cancellable, error);
}

static gboolean
can_poll (GPollableInputStream *pollable)
{
  return TRUE;
}

static gboolean
is_readable (GPollableInputStream *pollable)
{
  BatonConnectionInput *self = BATON_CONNECTION_INPUT (pollable);

  return g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (base_of (self)));
}

static GSource *
create_source (GPollableInputStream *pollable,
               GCancellable         *cancellable)
{
  BatonConnectionInput *self = BATON_CONNECTION_INPUT (pollable);
  g_autoptr(GSource) base_source = NULL;

  base_source = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (base_of (self)),
                                                       NULL);
  /* the reader's callback is given this stream, not the socket's */
  return g_pollable_source_new_full (pollable, base_source, cancellable);
}

static gboolean
close_stream (GInputStream  *stream,
              GCancellable  *cancellable,
              GError       **error)
{
  BatonConnectionInput *self = BATON_CONNECTION_INPUT (stream);
  const BatonConnectionInputHooks *hooks = self->hooks;

  self->hooks = NULL;
  if (hooks)
    hooks->closed (self->user_data);
  return g_io_stream_close (G_IO_STREAM (self->connection), cancellable, error);
}

static void
baton_connection_input_dispose (GObject *object)
{
  BatonConnectionInput *self = BATON_CONNECTION_INPUT (object);
  const BatonConnectionInputHooks *hooks = self->hooks;

  /* dropped without being closed: the owner still has to forget the connection */
  self->hooks = NULL;
  if (hooks)
    hooks->closed (self->user_data);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (baton_connection_input_parent_class)->dispose (object);
}

static void
pollable_iface_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = can_poll;
  iface->is_readable = is_readable;
  iface->create_source = create_source;
  iface->read_nonblocking = read_nonblocking;
}

static void
baton_connection_input_class_init (BatonConnectionInputClass *klass)
{
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = baton_connection_input_dispose;
  stream_class->read_fn = read_blocking;
  stream_class->close_fn = close_stream;
}

static void
baton_connection_input_init (BatonConnectionInput *self)
{
}

GInputStream *
baton_connection_input_new (GSocketConnection               *connection,
                            const BatonConnectionInputHooks *hooks,
                            gpointer                         user_data)
{
  BatonConnectionInput *self;

  g_return_val_if_fail (G_IS_SOCKET_CONNECTION (connection), NULL);

  self = g_object_new (BATON_TYPE_CONNECTION_INPUT,
                       "base-stream", g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                       "close-base-stream", FALSE,
                       NULL);
  self->connection = g_object_ref (connection);
  self->hooks = hooks;
  self->user_data = user_data;
  return G_INPUT_STREAM (self);
}

void
baton_connection_input_detach (BatonConnectionInput *self)
{
  g_return_if_fail (BATON_IS_CONNECTION_INPUT (self));

  self->hooks = NULL;
}

void
baton_connection_input_discard (BatonConnectionInput *self)
{
  g_return_if_fail (BATON_IS_CONNECTION_INPUT (self));

  self->discarding = TRUE;
}
