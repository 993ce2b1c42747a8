/* baton-canned-picker.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "baton-canned-reply.h"

G_BEGIN_DECLS

/* The composer's list of canned replies for what the agent typed after "/": the ones that
 * match (baton_canned_reply_matches), by shortcut, the first selected. It never takes the
 * focus: the composer moves the selection (Up/Down) and chooses (Enter/Tab) for it.
 *
 * Signals: "chosen" (BatonCannedReply *): a reply was clicked or chosen. */

#define BATON_TYPE_CANNED_PICKER (baton_canned_picker_get_type ())

G_DECLARE_FINAL_TYPE (BatonCannedPicker, baton_canned_picker, BATON, CANNED_PICKER, GtkPopover)

GtkWidget *baton_canned_picker_new         (void);
/* replies: BatonDirectoryEntry of canned replies (baton_directory_get_replies), or NULL */
void       baton_canned_picker_set_replies (BatonCannedPicker *self,
                                            GListModel        *replies);
/* The names the rows' previews fill in (NULL: none). */
void       baton_canned_picker_set_names   (BatonCannedPicker *self,
                                            const char        *contact_name,
                                            const char        *agent_name);
/* Lists the replies that match query; returns how many. */
guint      baton_canned_picker_filter      (BatonCannedPicker *self,
                                            const char        *query);
/* Moves the selection by delta rows, wrapping around. */
void       baton_canned_picker_move        (BatonCannedPicker *self,
                                            int                delta);
/* Emits "chosen" for the selected reply; FALSE when none is. */
gboolean   baton_canned_picker_choose      (BatonCannedPicker *self);

G_END_DECLS
