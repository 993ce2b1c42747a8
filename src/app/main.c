/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "baton-application.h"
#include "baton-uninstalled.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BatonApplication) app = NULL;

  baton_init_i18n ();
  app = baton_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
