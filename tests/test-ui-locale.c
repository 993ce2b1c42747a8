/* test-ui-locale.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "baton-application.h"
#include "baton-test-ui.h"
#include "baton-uninstalled.h"
#include "baton-window.h"

/* The app run from its build tree, as build-aux/run-demo.sh runs it, with nothing installed:
 * in a French locale (meson sets LANGUAGE=fr and LC_ALL=fr_FR.UTF-8) it speaks French, and
 * its icon resolves. Installed, it reads its translations under the install prefix. */

static char *
app_program (void)
{
  return g_test_build_filename (G_TEST_BUILT, "..", "src", "app", "baton", NULL);
}

static void
test_locale_dir (void)
{
  g_autofree char *program = app_program ();
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *mo = g_build_filename (baton_locale_dir_for (program), "fr", "LC_MESSAGES",
                                          GETTEXT_PACKAGE ".mo", NULL);

  /* Installed: under the prefix. */
  g_assert_cmpstr (baton_locale_dir_for ("/usr/bin/baton"), ==, LOCALEDIR);
  g_assert_cmpstr (baton_locale_dir_for (NULL), ==, LOCALEDIR);
  /* From the build tree (the app, and this test beside it): the build's .mo files. */
  g_assert_cmpstr (baton_locale_dir_for (program), !=, LOCALEDIR);
  g_assert_true (g_file_test (mo, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpstr (baton_locale_dir_for (self_path), ==, baton_locale_dir_for (program));
}

static gboolean
has_button_label (GtkWidget     *widget,
                  gconstpointer  data)
{
  return GTK_IS_BUTTON (widget)
         && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0;
}

static gboolean
is_image (GtkWidget     *widget,
          gconstpointer  data)
{
  return GTK_IS_IMAGE (widget)
         && g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (widget)), data) == 0;
}

static void
test_french_and_icon (void)
{
  g_autoptr(BatonApplication) app = baton_application_new ();
  g_autoptr(GError) error = NULL;
  GtkIconTheme *theme = NULL;
  GtkWindow *window = NULL;
  g_autofree char *symbolic = g_strconcat (APP_ID, "-symbolic", NULL);

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  /* Registering runs the application's startup. */
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  g_assert_true (gtk_icon_theme_has_icon (theme, APP_ID));
  g_assert_true (gtk_icon_theme_has_icon (theme, symbolic));

  window = GTK_WINDOW (baton_window_new (ADW_APPLICATION (app)));
  gtk_window_set_default_size (window, 900, 640);
  gtk_window_present (window);
  /* The login page, in French, with the app's icon. */
  g_assert_nonnull (baton_test_ui_find (GTK_WIDGET (window), has_button_label,
                                        "Essayer la _démo"));
  g_assert_null (baton_test_ui_find (GTK_WIDGET (window), has_button_label, "Try the _Demo"));
  g_assert_nonnull (baton_test_ui_find (GTK_WIDGET (window), is_image, APP_ID));
  baton_test_ui_screenshot (GTK_WIDGET (window), "locale-french-login");
  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  /* As the app's main() does. */
  baton_init_i18n ();
  g_test_init (&argc, &argv, NULL);
  /* Without fr_FR.UTF-8 generated (build-aux/install-deps.sh does it), C.UTF-8 still lets
   * LANGUAGE choose the translation. */
  if (g_strcmp0 (setlocale (LC_MESSAGES, NULL), "C") == 0)
    {
      g_printerr ("# %s is not available here: C.UTF-8 with LANGUAGE=%s\n",
                  g_getenv ("LC_ALL"), g_getenv ("LANGUAGE"));
      /* GTK sets the locale from the environment again. */
      g_setenv ("LC_ALL", "C.UTF-8", TRUE);
      g_assert_nonnull (setlocale (LC_ALL, ""));
    }
  if (!gtk_init_check ())
    return 77;
  adw_init ();

  g_test_add_func ("/ui/locale/dir", test_locale_dir);
  g_test_add_func ("/ui/locale/french-and-icon", test_french_and_icon);
  return g_test_run ();
}
