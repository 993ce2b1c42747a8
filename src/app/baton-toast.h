/* baton-toast.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Toasts showing plain text (a server's message may hold '&' or '<'; toast titles are
 * markup). */
AdwToast *baton_toast_new  (const char *text);
/* Shows text through the "window.toast" action of the window around widget, or else in the
 * nearest AdwToastOverlay around it; FALSE when there is neither. */
gboolean  baton_toast_show (GtkWidget  *widget,
                            const char *text);
/* baton_toast_show(), or a log message when nothing around widget shows toasts. */
void      baton_toast_tell (GtkWidget  *widget,
                            const char *text);

G_END_DECLS
