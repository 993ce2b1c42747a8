/* baton-source.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sources on the calling thread's own main context (g_main_context_get_thread_default ()).
 * g_idle_add (), g_timeout_add () and g_source_remove () always use the global default
 * context, which a thread running a context of its own does not iterate. */
guint baton_idle_add_local            (gint            priority,
                                       GSourceFunc     func,
                                       gpointer        data,
                                       GDestroyNotify  notify);
guint baton_timeout_add_local         (guint           interval_ms,
                                       GSourceFunc     func,
                                       gpointer        data);
guint baton_timeout_add_seconds_local (guint           interval_s,
                                       GSourceFunc     func,
                                       gpointer        data);
/* for g_clear_handle_id () */
void  baton_source_remove_local       (guint           id);

G_END_DECLS
