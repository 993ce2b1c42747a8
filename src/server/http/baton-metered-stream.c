/* baton-metered-stream.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-metered-stream"

#include "config.h"

#include "baton-metered-stream.h"

/* A connection's streams, passed through, counting the bytes written to the peer.
 *
 * SoupWebsocketConnection (libsoup 3.2) keeps the frames it could not write yet in a private
 * queue and has no way to ask how large that queue is: each send appends a frame and writes
 * what the socket takes, a frame at a time, as the socket becomes writable. What the caller
 * gave it minus what reached the socket is that queue; this stream counts the second part.
 * The output side is a small private class: a GIOStream needs a GOutputStream to hand out. */

G_DECLARE_FINAL_TYPE (BatonMeteredOutput, baton_metered_output, BATON, METERED_OUTPUT,
                      GOutputStream)

struct _BatonMeteredStream
{
  GIOStream parent_instance;

  /* owned */
  GIOStream *base;
  GOutputStream *output;

  /* state */
  guint64 written;
};

struct _BatonMeteredOutput
{
  GOutputStream parent_instance;

  /* borrowed: the stream owns its output */
  BatonMeteredStream *owner;
  GOutputStream *base;
};

static void baton_metered_output_pollable_init (GPollableOutputStreamInterface *iface);

G_DEFINE_FINAL_TYPE (BatonMeteredStream, baton_metered_stream, G_TYPE_IO_STREAM)
G_DEFINE_FINAL_TYPE_WITH_CODE (BatonMeteredOutput, baton_metered_output, G_TYPE_OUTPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_OUTPUT_STREAM,
                                                      baton_metered_output_pollable_init))

enum {
  PROP_0,
  PROP_WRITTEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gssize
count (BatonMeteredOutput *self,
       gssize              n)
{
  if (n > 0)
    {
      self->owner->written += (guint64) n;
      g_object_notify_by_pspec (G_OBJECT (self->owner), properties[PROP_WRITTEN]);
    }
  return n;
}

/* The output stream */

static gssize
baton_metered_output_write (GOutputStream  *stream,
                            const void     *buffer,
                            gsize           size,
                            GCancellable   *cancellable,
                            GError        **error)
{
  BatonMeteredOutput *self = BATON_METERED_OUTPUT (stream);

  return count (self, g_output_stream_write (self->base, buffer, size, cancellable, error));
}

static gboolean
baton_metered_output_flush (GOutputStream  *stream,
                            GCancellable   *cancellable,
                            GError        **error)
{
  return g_output_stream_flush (BATON_METERED_OUTPUT (stream)->base, cancellable, error);
}

/* The base connection is closed with the stream as a whole (baton_metered_stream_close). */
static gboolean
baton_metered_output_close (GOutputStream  *stream,
                            GCancellable   *cancellable,
                            GError        **error)
{
  return TRUE;
}

static gboolean
baton_metered_output_can_poll (GPollableOutputStream *stream)
{
  BatonMeteredOutput *self = BATON_METERED_OUTPUT (stream);

  return G_IS_POLLABLE_OUTPUT_STREAM (self->base)
         && g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (self->base));
}

static gboolean
baton_metered_output_is_writable (GPollableOutputStream *stream)
{
  BatonMeteredOutput *self = BATON_METERED_OUTPUT (stream);

  return g_pollable_output_stream_is_writable (G_POLLABLE_OUTPUT_STREAM (self->base));
}

static GSource *
baton_metered_output_create_source (GPollableOutputStream *stream,
                                    GCancellable          *cancellable)
{
  BatonMeteredOutput *self = BATON_METERED_OUTPUT (stream);
  g_autoptr(GSource) base_source = NULL;

  base_source = g_pollable_output_stream_create_source (G_POLLABLE_OUTPUT_STREAM (self->base),
                                                        NULL);
  /* g_pollable_source_new_full gives it its dummy callback: a second one would destroy it */
  return g_pollable_source_new_full (self, base_source, cancellable);
}

static gssize
baton_metered_output_write_nonblocking (GPollableOutputStream  *stream,
                                        const void             *buffer,
                                        gsize                   size,
                                        GError                **error)
{
  BatonMeteredOutput *self = BATON_METERED_OUTPUT (stream);

  return count (self,
                g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (self->base),
                                                            buffer, size, NULL, error));
}

static void
baton_metered_output_pollable_init (GPollableOutputStreamInterface *iface)
{
  iface->can_poll = baton_metered_output_can_poll;
  iface->is_writable = baton_metered_output_is_writable;
  iface->create_source = baton_metered_output_create_source;
  iface->write_nonblocking = baton_metered_output_write_nonblocking;
}

static void
baton_metered_output_finalize (GObject *object)
{
  g_clear_object (&BATON_METERED_OUTPUT (object)->base);

  G_OBJECT_CLASS (baton_metered_output_parent_class)->finalize (object);
}

static void
baton_metered_output_class_init (BatonMeteredOutputClass *klass)
{
  GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = baton_metered_output_finalize;
  stream_class->write_fn = baton_metered_output_write;
  stream_class->flush = baton_metered_output_flush;
  stream_class->close_fn = baton_metered_output_close;
}

static void
baton_metered_output_init (BatonMeteredOutput *self)
{
}

/* The stream */

static GInputStream *
baton_metered_stream_get_input_stream (GIOStream *stream)
{
  return g_io_stream_get_input_stream (BATON_METERED_STREAM (stream)->base);
}

static GOutputStream *
baton_metered_stream_get_output_stream (GIOStream *stream)
{
  return BATON_METERED_STREAM (stream)->output;
}

static gboolean
baton_metered_stream_close (GIOStream     *stream,
                            GCancellable  *cancellable,
                            GError       **error)
{
  return g_io_stream_close (BATON_METERED_STREAM (stream)->base, cancellable, error);
}

static void
base_closed_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_io_stream_close_finish (G_IO_STREAM (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Closes the base connection without the thread GIOStream's default would close it in. */
static void
baton_metered_stream_close_async (GIOStream           *stream,
                                  int                  io_priority,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, baton_metered_stream_close_async);
  g_io_stream_close_async (BATON_METERED_STREAM (stream)->base, io_priority, cancellable,
                           base_closed_cb, task);
}

static gboolean
baton_metered_stream_close_finish (GIOStream     *stream,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
baton_metered_stream_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  BatonMeteredStream *self = BATON_METERED_STREAM (object);

  switch (prop_id)
    {
    case PROP_WRITTEN:
      g_value_set_uint64 (value, self->written);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
baton_metered_stream_finalize (GObject *object)
{
  BatonMeteredStream *self = BATON_METERED_STREAM (object);

  g_clear_object (&self->output);
  g_clear_object (&self->base);

  G_OBJECT_CLASS (baton_metered_stream_parent_class)->finalize (object);
}

static void
baton_metered_stream_class_init (BatonMeteredStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  object_class->get_property = baton_metered_stream_get_property;
  object_class->finalize = baton_metered_stream_finalize;
  stream_class->get_input_stream = baton_metered_stream_get_input_stream;
  stream_class->get_output_stream = baton_metered_stream_get_output_stream;
  stream_class->close_fn = baton_metered_stream_close;
  stream_class->close_async = baton_metered_stream_close_async;
  stream_class->close_finish = baton_metered_stream_close_finish;

  /* bytes that reached the base stream: notified on every write */
  properties[PROP_WRITTEN] =
    g_param_spec_uint64 ("written", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
baton_metered_stream_init (BatonMeteredStream *self)
{
}

BatonMeteredStream *
baton_metered_stream_new (GIOStream *base)
{
  BatonMeteredStream *self = NULL;
  BatonMeteredOutput *output = NULL;

  g_return_val_if_fail (G_IS_IO_STREAM (base), NULL);

  self = g_object_new (BATON_TYPE_METERED_STREAM, NULL);
  self->base = g_object_ref (base);
  output = g_object_new (baton_metered_output_get_type (), NULL);
  output->owner = self;
  output->base = g_object_ref (g_io_stream_get_output_stream (base));
  self->output = G_OUTPUT_STREAM (output);
  return self;
}

guint64
baton_metered_stream_get_written (BatonMeteredStream *self)
{
  g_return_val_if_fail (BATON_IS_METERED_STREAM (self), 0);

  return self->written;
}
