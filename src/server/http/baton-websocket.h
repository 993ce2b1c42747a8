/* baton-websocket.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BATON_TYPE_WEBSOCKET (baton_websocket_get_type ())

G_DECLARE_FINAL_TYPE (BatonWebsocket, baton_websocket, BATON, WEBSOCKET, GObject)

/* RFC 6455 §5.2 opcodes, for the server here and the benchmarks' client alike */
typedef enum {
  BATON_WEBSOCKET_OPCODE_CONTINUATION = 0x0,
  BATON_WEBSOCKET_OPCODE_TEXT = 0x1,
  BATON_WEBSOCKET_OPCODE_BINARY = 0x2,
  BATON_WEBSOCKET_OPCODE_CLOSE = 0x8,
  BATON_WEBSOCKET_OPCODE_PING = 0x9,
  BATON_WEBSOCKET_OPCODE_PONG = 0xA,
} BatonWebsocketOpcode;

/* RFC 6455 close codes batond uses */
#define BATON_WEBSOCKET_CLOSE_GOING_AWAY       1001
#define BATON_WEBSOCKET_CLOSE_PROTOCOL_ERROR   1002
#define BATON_WEBSOCKET_CLOSE_BAD_DATA         1007
#define BATON_WEBSOCKET_CLOSE_POLICY_VIOLATION 1008
#define BATON_WEBSOCKET_CLOSE_TOO_BIG          1009

BatonWebsocket *baton_websocket_new              (GIOStream      *stream);
gboolean        baton_websocket_is_open          (BatonWebsocket *self);
void            baton_websocket_send_text        (BatonWebsocket *self,
                                                  GBytes         *text);
void            baton_websocket_send_text_pieces (BatonWebsocket *self,
                                                  GBytes *const  *pieces,
                                                  guint           n_pieces);
void            baton_websocket_send_ping        (BatonWebsocket *self);
void            baton_websocket_close            (BatonWebsocket *self,
                                                  gushort         code,
                                                  const char     *reason);
guint64         baton_websocket_get_queued       (BatonWebsocket *self);

G_END_DECLS
