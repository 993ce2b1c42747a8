/* baton-connection-input.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BATON_TYPE_CONNECTION_INPUT (baton_connection_input_get_type ())

G_DECLARE_FINAL_TYPE (BatonConnectionInput, baton_connection_input, BATON, CONNECTION_INPUT,
                      GFilterInputStream)

/* What the owner of a connection is told about its input. */
typedef struct {
  /* Bytes arrived; FALSE refuses them (the stream then discards all it receives). */
  gboolean (*received) (gpointer      user_data,
                        const guint8 *data,
                        gsize         length);
  /* The input ended (or failed); TRUE when the reader waits for a request it has not begun
   * and must be nudged to notice. */
  gboolean (*ended)    (gpointer      user_data);
  /* The stream was closed: the connection's descriptor is closed with it. */
  void     (*closed)   (gpointer      user_data);
} BatonConnectionInputHooks;

GInputStream *baton_connection_input_new     (GSocketConnection               *connection,
                                              const BatonConnectionInputHooks *hooks,
                                              gpointer                         user_data);
/* From now on the owner is not told anything (it has gone). */
void          baton_connection_input_detach  (BatonConnectionInput            *self);
/* From now on everything received is read and dropped, unseen by the reader. */
void          baton_connection_input_discard (BatonConnectionInput            *self);

G_END_DECLS
