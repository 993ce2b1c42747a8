/* baton-metered-stream.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BATON_TYPE_METERED_STREAM (baton_metered_stream_get_type ())

G_DECLARE_FINAL_TYPE (BatonMeteredStream, baton_metered_stream, BATON, METERED_STREAM, GIOStream)

BatonMeteredStream *baton_metered_stream_new         (GIOStream          *base);
guint64             baton_metered_stream_get_written (BatonMeteredStream *self);

G_END_DECLS
