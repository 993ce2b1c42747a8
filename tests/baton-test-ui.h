/* baton-test-ui.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "baton-client.h"

G_BEGIN_DECLS

/* Helpers for the UI tests (suite "ui", under Xvfb). */

typedef gboolean (*BatonTestCondition) (gpointer user_data);

/* Iterates the main loop until condition holds; fails the test after timeout_ms. */
void baton_test_ui_wait_until  (BatonTestCondition  condition,
                                gpointer            user_data,
                                guint               timeout_ms,
                                const char         *what);
/* Widget lookup in a tree, depth first. */
typedef gboolean (*BatonTestWidgetMatch) (GtkWidget     *widget,
                                          gconstpointer  data);

GtkWidget *baton_test_ui_find      (GtkWidget            *root,
                                    BatonTestWidgetMatch  match,
                                    gconstpointer         data);
GtkWidget *baton_test_ui_find_type (GtkWidget            *root,
                                    GType                 type);

/* The first shown toplevel window that match accepts, or NULL. */
GtkWidget *baton_test_ui_find_window  (BatonTestWidgetMatch  match,
                                       gconstpointer         data);
/* The same, by type. */
GtkWidget *baton_test_ui_find_window_of_type (GType          type);
/* A client of the batond at url, signed in as email, its event stream not started (as the
 * application gets it from its sign-in page). */
BatonClient *baton_test_ui_log_in  (const char         *url,
                                    const char         *email,
                                    const char         *password);
/* The same, its event stream up. */
BatonClient *baton_test_ui_sign_in (const char         *url,
                                    const char         *email,
                                    const char         *password);

/* Binds the app's translations from the build tree, as the app finds them; the suffix of
 * the screenshots' names in this locale: "-fr" in French, else "". */
const char *baton_test_ui_use_translations (void);
/* Loads the app's stylesheet, as the application does (these tests have none). */
void baton_test_ui_load_stylesheet (void);

/* Writes a PNG of widget (as drawn now) into the build dir's screenshots/. */
void baton_test_ui_screenshot  (GtkWidget          *widget,
                                const char         *name);
/* The same of a window with one of its popovers open, drawn where it shows. */
void baton_test_ui_screenshot_popover (GtkWidget   *window,
                                       GtkPopover  *popover,
                                       const char  *name);

/* Fails the test, listing them, when a mapped button, toggle, check, switch, entry, drop-down
 * or spin button under root has no name a screen reader says: its accessible label, the
 * text it shows, or (inside a menu button) the menu button's label. Needs GTK_A11Y=test. */
void baton_test_ui_assert_named (GtkWidget          *root,
                                 const char         *where);

/* The first preferences row under root with that title, or NULL. */
GtkWidget *baton_test_ui_find_row  (GtkWidget          *root,
                                    const char         *title);
/* Types text into the editable row of that title under root (which must be there). */
void       baton_test_ui_set_row_text (GtkWidget       *root,
                                       const char      *title,
                                       const char      *text);
/* Waits for a visible toplevel of that type, and returns it; or for none to be left. */
GtkWidget *baton_test_ui_wait_toplevel (GType           type,
                                        const char     *what);
void       baton_test_ui_wait_closed   (GType           type,
                                        const char     *what);

G_END_DECLS
