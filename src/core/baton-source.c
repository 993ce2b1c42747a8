/* baton-source.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-source"

#include "config.h"

#include "baton-source.h"

static guint
attach_local (GSource        *source,
              gint            priority,
              GSourceFunc     func,
              gpointer        data,
              GDestroyNotify  notify)
{
  guint id;

  g_source_set_priority (source, priority);
  g_source_set_callback (source, func, data, notify);
  id = g_source_attach (source, g_main_context_get_thread_default ());
  g_source_unref (source);
  return id;
}

guint
baton_idle_add_local (gint           priority,
                      GSourceFunc    func,
                      gpointer       data,
                      GDestroyNotify notify)
{
  return attach_local (g_idle_source_new (), priority, func, data, notify);
}

guint
baton_timeout_add_local (guint       interval_ms,
                         GSourceFunc func,
                         gpointer    data)
{
  return attach_local (g_timeout_source_new (interval_ms), G_PRIORITY_DEFAULT, func, data,
                       NULL);
}

guint
baton_timeout_add_seconds_local (guint       interval_s,
                                 GSourceFunc func,
                                 gpointer    data)
{
  return attach_local (g_timeout_source_new_seconds (interval_s), G_PRIORITY_DEFAULT, func,
                       data, NULL);
}

void
baton_source_remove_local (guint id)
{
  GMainContext *context = g_main_context_get_thread_default ();
  GSource *source = g_main_context_find_source_by_id (context, id);

  if (source)
    g_source_destroy (source);
  else
    g_critical ("Source ID %u was not found on the thread's context", id);
}
