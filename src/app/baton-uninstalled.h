/* baton-uninstalled.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Where the app finds its translations and its icon. Installed, under the install prefix;
 * run from its build tree (build-aux/run-demo.sh, the tests), where nothing is installed, in
 * that tree: the build compiles the .mo files into <build>/po and copies the icons into
 * <build>/data/icons. */

/* The translations' directory for the program at program_path (an absolute path). */
const char *baton_locale_dir_for        (const char *program_path);
/* setlocale, then the text domain bound to this program's translations. For main(). */
void        baton_init_i18n             (void);
/* Lets the icon theme find the app's icon when this program runs from the build tree. */
void        baton_add_build_icons       (GdkDisplay *display);

G_END_DECLS
