/* baton-uninstalled.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-uninstalled"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdlib.h>

#include "baton-uninstalled.h"

/* Is program_path inside the build tree? Both resolved: the build dir may be reached through
 * a symbolic link, /proc/self/exe never is. */
static gboolean
in_build_tree (const char *program_path)
{
  g_autofree char *build_root = realpath (BATON_BUILD_ROOT, NULL);
  g_autofree char *program = program_path ? realpath (program_path, NULL) : NULL;
  g_autofree char *prefix = NULL;

  if (build_root == NULL || program == NULL)
    return FALSE;
  prefix = g_strconcat (build_root, G_DIR_SEPARATOR_S, NULL);
  return g_str_has_prefix (program, prefix);
}

static gboolean
runs_uninstalled (void)
{
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);

  return in_build_tree (self_path);
}

const char *
baton_locale_dir_for (const char *program_path)
{
  return in_build_tree (program_path) ? BATON_BUILD_LOCALEDIR : LOCALEDIR;
}

void
baton_init_i18n (void)
{
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, baton_locale_dir_for (self_path));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

void
baton_add_build_icons (GdkDisplay *display)
{
  g_return_if_fail (GDK_IS_DISPLAY (display));

  if (runs_uninstalled ())
    gtk_icon_theme_add_search_path (gtk_icon_theme_get_for_display (display),
                                    BATON_BUILD_ICONDIR);
}
