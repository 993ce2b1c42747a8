/* baton-toast.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-toast"

#include "config.h"

#include "baton-toast.h"

AdwToast *
baton_toast_new (const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  return adw_toast_new (escaped);
}

gboolean
baton_toast_show (GtkWidget  *widget,
                  const char *text)
{
  GtkWidget *overlay = NULL;

  /* In the main window, its window.toast action; in a dialog, the dialog's own overlay. */
  if (gtk_widget_activate_action (widget, "window.toast", "s", text))
    return TRUE;
  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    return FALSE;
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), baton_toast_new (text));
  return TRUE;
}

void
baton_toast_tell (GtkWidget  *widget,
                  const char *text)
{
  if (!baton_toast_show (widget, text))
    g_message ("%s", text);
}
