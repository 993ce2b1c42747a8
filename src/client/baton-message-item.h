/* baton-message-item.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "baton-message.h"

G_BEGIN_DECLS

/* One message in a BatonMessageList: a GObject that keeps its identity while
 * message.updated events replace the message it holds ("message" is notified). A reply the
 * app is sending with files has their upload's "progress" (0 to 1; -1 otherwise). */

#define BATON_TYPE_MESSAGE_ITEM (baton_message_item_get_type ())

G_DECLARE_FINAL_TYPE (BatonMessageItem, baton_message_item, BATON, MESSAGE_ITEM, GObject)

BatonMessageItem *baton_message_item_new         (BatonMessage     *message);
BatonMessage     *baton_message_item_get_message (BatonMessageItem *self);
const char       *baton_message_item_get_id      (BatonMessageItem *self);
void              baton_message_item_update      (BatonMessageItem *self,
                                                  BatonMessage     *message);
double            baton_message_item_get_progress (BatonMessageItem *self);
void              baton_message_item_set_progress (BatonMessageItem *self,
                                                  double            progress);

G_END_DECLS
