/* baton-mailbox.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-mailbox"

#include "config.h"

#include "baton-mailbox.h"

typedef struct {
  BatonMailboxFunc func;
  gpointer data;
  GDestroyNotify free_data;
} Call;

struct _BatonMailbox {
  GMutex lock;
  /* Call, oldest first */
  GQueue calls;
  /* ready (ready time 0) while calls wait */
  GSource *source;
};

static void
call_free (Call *call)
{
  if (call->free_data)
    call->free_data (call->data);
  g_free (call);
}

static gboolean
dispatch_cb (gpointer user_data)
{
  BatonMailbox *self = user_data;
  GQueue calls = G_QUEUE_INIT;
  Call *call;

  g_mutex_lock (&self->lock);
  calls = self->calls;
  g_queue_init (&self->calls);
  g_source_set_ready_time (self->source, -1);
  g_mutex_unlock (&self->lock);
  while ((call = g_queue_pop_head (&calls)))
    {
      call->func (call->data);
      call_free (call);
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
source_dispatch (GSource     *source,
                 GSourceFunc  callback,
                 gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs mailbox_funcs = {
  .dispatch = source_dispatch,
};

BatonMailbox *
baton_mailbox_new (GMainContext *context)
{
  BatonMailbox *self = g_new0 (BatonMailbox, 1);

  g_mutex_init (&self->lock);
  g_queue_init (&self->calls);
  self->source = g_source_new (&mailbox_funcs, sizeof (GSource));
  g_source_set_name (self->source, "BatonMailbox");
  g_source_set_callback (self->source, dispatch_cb, self, NULL);
  g_source_set_ready_time (self->source, -1);
  g_source_attach (self->source, context);
  return self;
}

void
baton_mailbox_free (BatonMailbox *self)
{
  g_source_destroy (self->source);
  g_source_unref (self->source);
  g_queue_clear_full (&self->calls, (GDestroyNotify) call_free);
  g_mutex_clear (&self->lock);
  g_free (self);
}

void
baton_mailbox_post (BatonMailbox     *self,
                    BatonMailboxFunc  func,
                    gpointer          data,
                    GDestroyNotify    free_data)
{
  Call *call = g_new (Call, 1);

  call->func = func;
  call->data = data;
  call->free_data = free_data;
  g_mutex_lock (&self->lock);
  if (g_queue_is_empty (&self->calls))
    g_source_set_ready_time (self->source, 0);
  g_queue_push_tail (&self->calls, call);
  g_mutex_unlock (&self->lock);
}
