/* baton-time.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Times travel as milliseconds since the Unix epoch, UTC. */
char     *baton_time_format (gint64      ms);
gboolean  baton_time_parse  (const char *text,
                             gint64     *ms);

G_END_DECLS
