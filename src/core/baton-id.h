/* baton-id.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *baton_id_new (const char *prefix,
                    gint64      now_ms);

G_END_DECLS
