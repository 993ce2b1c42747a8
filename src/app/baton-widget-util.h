/* baton-widget-util.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "baton-directory.h"
#include "baton-strv.h"

G_BEGIN_DECLS

/* Small pieces the app's widgets share: list boxes, icon and remove buttons (id lists are
 * baton-strv.h's). */

void       baton_list_box_remove_all    (GtkListBox         *list);
/* A flat button showing an icon, named by tooltip for its tooltip and screen readers. */
GtkWidget *baton_icon_button_new        (const char         *icon_name,
                                         const char         *tooltip);
/* libadwaita 1.2 names some of its own controls for sighted people only: gives the search
 * button its tooltip and an expander row's switch the row's title as their accessible names.
 * Call once the template is built. */
void       baton_name_adwaita_controls  (GtkWidget          *root);
/* A flat round "×" button that activates action_name (with target as its string
 * parameter, unless NULL). */
GtkWidget *baton_remove_button_new      (const char         *action_name,
                                         const char         *target,
                                         const char         *tooltip);
/* Every agent of the directory (NULL: none), by name (borrowed). */
GPtrArray *baton_agents_by_name         (BatonDirectory     *directory);
/* Fills list with a BatonAgentRow per agent not in excluded, each activating action_name
 * with the agent's id. */
void       baton_list_box_offer_agents  (GtkListBox         *list,
                                         GPtrArray          *agents,
                                         const char * const *excluded,
                                         const char         *action_name);
/* text as Pango markup (escaped) with the words a search matches in bold, by the server's
 * rule (baton_search_find); query NULL or without words: text escaped */
char      *baton_markup_highlight       (const char         *text,
                                         const char         *query);
/* a conversation's status ("in_progress") for people, "" for none */
const char *baton_status_label          (const char         *status);
/* when a time (ms since the epoch) was, short: "14:02" today, "Mon" this week, "12 Nov"
 * before; "" for 0 */
char      *baton_format_when            (gint64              ms);

/* A flat menu button showing an icon, named by tooltip as baton_icon_button_new does. */
GtkWidget *baton_menu_button_new        (const char         *icon_name,
                                         const char         *tooltip);
/* A row titled title (plain text) with a check button at its start, named the same, which
 * activating the row toggles; the check button goes to *check. */
GtkWidget *baton_check_row_new          (const char         *title,
                                         gboolean            active,
                                         GtkCheckButton    **check);
/* A dimmed line in list when it has no rows. */
void       baton_list_box_set_placeholder_text (GtkListBox  *list,
                                                const char  *text);

G_END_DECLS
