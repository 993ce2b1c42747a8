/* baton-stream.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "baton-mailbox.h"
#include "baton-workspace.h"

G_BEGIN_DECLS

#define BATON_TYPE_STREAM (baton_stream_get_type ())

G_DECLARE_FINAL_TYPE (BatonStream, baton_stream, BATON, STREAM, GObject)

BatonStream *baton_stream_new              (BatonWorkspace        *workspace,
                                            BatonMailbox          *to_workspace,
                                            BatonMailbox          *to_network);
void         baton_stream_attach           (BatonStream           *self,
                                            SoupServer            *server);
guint        baton_stream_get_n_connections (BatonStream          *self);
guint64      baton_stream_get_n_too_slow   (BatonStream           *self);
void         baton_stream_close_all        (BatonStream           *self);
/* A session ended: its streams close with 4401. */
void         baton_stream_close_token      (BatonStream           *self,
                                            const char            *token_hash);
void         baton_stream_set_limits       (BatonStream           *self,
                                            guint64                replay_limit,
                                            guint64                queue_limit);

G_END_DECLS
