/* baton-mailbox.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Calls posted from any thread and run on one main context, in the order they were posted:
 * how the network's thread and the workspace's hand work to each other. Calls posted
 * together run in one turn of that context's loop. */
typedef struct _BatonMailbox BatonMailbox;

typedef void (*BatonMailboxFunc) (gpointer data);

/* context: where the calls run (NULL: the global default context) */
BatonMailbox *baton_mailbox_new  (GMainContext     *context);
/* calls not run yet are dropped, their data freed */
void          baton_mailbox_free (BatonMailbox     *self);
void          baton_mailbox_post (BatonMailbox     *self,
                                  BatonMailboxFunc  func,
                                  gpointer          data,
                                  GDestroyNotify    free_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonMailbox, baton_mailbox_free)

G_END_DECLS
