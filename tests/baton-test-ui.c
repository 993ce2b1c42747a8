/* baton-test-ui.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-test-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "baton-test-ui.h"
#include "baton-uninstalled.h"

const char *
baton_test_ui_use_translations (void)
{
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);

  bindtextdomain (GETTEXT_PACKAGE, baton_locale_dir_for (self_path));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  return g_str_has_prefix (setlocale (LC_MESSAGES, NULL), "fr") ? "-fr" : "";
}

void
baton_test_ui_wait_until (BatonTestCondition  condition,
                          gpointer            user_data,
                          guint               timeout_ms,
                          const char         *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!condition (user_data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

typedef struct {
  guint frames;
  gint64 since;
} Settle;

/* Transitions (a stack's crossfade, a leaflet's slide) take a few hundred ms: wait them out. */
static gboolean
settled (gpointer user_data)
{
  Settle *settle = user_data;

  gint64 elapsed = g_get_monotonic_time () - settle->since;

  /* A widget that is not on screen draws no frames: then only the time counts. */
  return (settle->frames >= 3 && elapsed > 600 * 1000) || elapsed > 3 * G_USEC_PER_SEC;
}

static gboolean
drawn_cb (GtkWidget     *widget,
          GdkFrameClock *clock,
          gpointer       user_data)
{
  Settle *settle = user_data;

  settle->frames++;
  return G_SOURCE_CONTINUE;
}


/* The widget as drawn once settled, or NULL when it draws nothing. */
static GskRenderNode *
settled_node (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GskRenderNode *node = NULL;
  Settle settle = { 0, g_get_monotonic_time () };
  guint tick = gtk_widget_add_tick_callback (widget, drawn_cb, &settle, NULL);

  /* Let layout, drawing and transitions settle first. */
  baton_test_ui_wait_until (settled, &settle, 5000, "the window to draw");
  gtk_widget_remove_tick_callback (widget, tick);
  /* A widget not drawn yet snapshots to nothing: draw frames until it has content. */
  for (int attempt = 0; node == NULL && attempt < 100; attempt++)
    {
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();

      if (gtk_widget_get_width (widget) > 0 && gtk_widget_get_mapped (widget))
        {
          gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot),
                                  gtk_widget_get_width (widget), gtk_widget_get_height (widget));
          node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
        }
      if (node == NULL)
        {
          gtk_widget_queue_draw (widget);
          for (int i = 0; i < 50; i++)
            {
              g_main_context_iteration (NULL, FALSE);
              g_usleep (1000);
            }
        }
    }
  return node;
}

static void
save_node (GtkWidget     *widget,
           GskRenderNode *node,
           const char    *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR")
                                                                         : ".",
                                           "screenshots", NULL);
  g_autofree char *file = g_strdup_printf ("%s.png", name);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  g_autoptr(GdkTexture) texture = NULL;

  /* A picture is a by-product of the test, not its verdict: report it and go on. */
  if (node == NULL)
    {
      g_test_message ("Screenshot %s: the widget drew nothing", name);
      return;
    }
  texture = gsk_renderer_render_texture (renderer, node, NULL);
  g_mkdir_with_parents (dir, 0755);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot: %s", path);
}

void
baton_test_ui_screenshot (GtkWidget  *widget,
                          const char *name)
{
  g_autoptr(GskRenderNode) node = settled_node (widget);

  save_node (widget, node, name);
}

void
baton_test_ui_screenshot_popover (GtkWidget  *window,
                                  GtkPopover *popover,
                                  const char *name)
{
  g_autoptr(GskRenderNode) window_node = settled_node (window);
  g_autoptr(GskRenderNode) popover_node = settled_node (GTK_WIDGET (popover));
  g_autoptr(GskRenderNode) moved = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GskTransform) shift = NULL;
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (popover));
  double window_x = 0, window_y = 0, popover_x = 0, popover_y = 0;
  GskRenderNode *layers[2];

  if (window_node == NULL || popover_node == NULL || !GDK_IS_POPUP (surface))
    {
      save_node (window, window_node, name);
      return;
    }
  /* the popup's place in the window's surface, both less their shadows */
  gtk_native_get_surface_transform (GTK_NATIVE (gtk_widget_get_native (window)), &window_x,
                                    &window_y);
  gtk_native_get_surface_transform (GTK_NATIVE (popover), &popover_x, &popover_y);
  shift = gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (
                                     gdk_popup_get_position_x (GDK_POPUP (surface)) + popover_x
                                     - window_x,
                                     gdk_popup_get_position_y (GDK_POPUP (surface)) + popover_y
                                     - window_y));
  moved = gsk_transform_node_new (popover_node, shift);
  layers[0] = window_node;
  layers[1] = moved;
  node = gsk_container_node_new (layers, 2);
  save_node (window, node, name);
}

GtkWidget *
baton_test_ui_find (GtkWidget            *root,
                    BatonTestWidgetMatch  match,
                    gconstpointer         data)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = NULL;

      if (match (child, data))
        return child;
      found = baton_test_ui_find (child, match, data);
      if (found)
        return found;
    }
  return NULL;
}

static gboolean
is_type (GtkWidget     *widget,
         gconstpointer  data)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (data));
}

GtkWidget *
baton_test_ui_find_type (GtkWidget *root,
                         GType      type)
{
  return baton_test_ui_find (root, is_type, GSIZE_TO_POINTER (type));
}

GtkWidget *
baton_test_ui_find_window (BatonTestWidgetMatch match,
                           gconstpointer        data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (gtk_widget_get_visible (window) && (match == NULL || match (window, data)))
        return window;
    }
  return NULL;
}

GtkWidget *
baton_test_ui_find_window_of_type (GType type)
{
  return baton_test_ui_find_window (is_type, GSIZE_TO_POINTER (type));
}

static void
signed_in_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (baton_client_login_finish (BATON_CLIENT (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static gboolean
is_true (gpointer user_data)
{
  return *(gboolean *) user_data;
}

static gboolean
is_online (gpointer user_data)
{
  return baton_client_get_state (BATON_CLIENT (user_data)) == BATON_CLIENT_STATE_ONLINE;
}

BatonClient *
baton_test_ui_log_in (const char *url,
                      const char *email,
                      const char *password)
{
  BatonClient *client = baton_client_new (url);
  gboolean done = FALSE;

  baton_client_login_async (client, email, password, NULL, signed_in_cb, &done);
  baton_test_ui_wait_until (is_true, &done, 10000, "sign-in");
  return client;
}

BatonClient *
baton_test_ui_sign_in (const char *url,
                       const char *email,
                       const char *password)
{
  BatonClient *client = baton_test_ui_log_in (url, email, password);

  baton_client_start_stream (client);
  baton_test_ui_wait_until (is_online, client, 10000, "the event stream");
  return client;
}

/* A control a screen reader announces by its name. */
static gboolean
needs_name (GtkWidget *widget)
{
  switch (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget)))
    {
    case GTK_ACCESSIBLE_ROLE_BUTTON:
    case GTK_ACCESSIBLE_ROLE_CHECKBOX:
    case GTK_ACCESSIBLE_ROLE_SWITCH:
    case GTK_ACCESSIBLE_ROLE_SEARCH_BOX:
    case GTK_ACCESSIBLE_ROLE_TEXT_BOX:
    case GTK_ACCESSIBLE_ROLE_COMBO_BOX:
    case GTK_ACCESSIBLE_ROLE_SPIN_BUTTON:
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
has_text_inside (GtkWidget *widget)
{
  if (!gtk_widget_get_mapped (widget))
    return FALSE;
  if (GTK_IS_LABEL (widget)
      && *gtk_label_get_text (GTK_LABEL (widget)) != '\0')
    return TRUE;
  if (GTK_IS_EDITABLE (widget) && *gtk_editable_get_text (GTK_EDITABLE (widget)) != '\0')
    return FALSE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    if (has_text_inside (child))
      return TRUE;
  return FALSE;
}

/* Named as assistive technologies name it: its label property, or the text it shows (a
 * button's label). An icon, a tooltip or a placeholder is no name. */
static gboolean
is_named (GtkWidget *widget)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);

  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
    return TRUE;
  /* the inner button of a menu button carries its parent's name */
  if (parent && (GTK_IS_MENU_BUTTON (parent) || ADW_IS_SPLIT_BUTTON (parent))
      && gtk_test_accessible_has_property (GTK_ACCESSIBLE (parent),
                                           GTK_ACCESSIBLE_PROPERTY_LABEL))
    return TRUE;
  return !GTK_IS_EDITABLE (widget) && has_text_inside (widget);
}

static void
collect_unnamed (GtkWidget *widget,
                 GString   *unnamed)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (needs_name (widget) && !is_named (widget))
    g_string_append_printf (unnamed, "\n  %s (%s, tooltip \"%s\")", G_OBJECT_TYPE_NAME (widget),
                            gtk_widget_get_css_name (widget),
                            gtk_widget_get_tooltip_text (widget)
                            ? gtk_widget_get_tooltip_text (widget) : "");
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    collect_unnamed (child, unnamed);
}

void
baton_test_ui_assert_named (GtkWidget  *root,
                            const char *where)
{
  g_autoptr(GString) unnamed = g_string_new (NULL);

  collect_unnamed (root, unnamed);
  if (unnamed->len)
    g_error ("Controls without an accessible name in %s:%s", where, unnamed->str);
}

void
baton_test_ui_load_stylesheet (void)
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (css, "/org/baton/Baton/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static gboolean
row_titled (GtkWidget     *widget,
            gconstpointer  title)
{
  return ADW_IS_PREFERENCES_ROW (widget)
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

GtkWidget *
baton_test_ui_find_row (GtkWidget  *root,
                        const char *title)
{
  return baton_test_ui_find (root, row_titled, title);
}

void
baton_test_ui_set_row_text (GtkWidget  *root,
                            const char *title,
                            const char *text)
{
  GtkWidget *row = baton_test_ui_find_row (root, title);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static GtkWidget *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (window))
        return window;
    }
  return NULL;
}

static gboolean
toplevel_open (gpointer type)
{
  return find_toplevel (GPOINTER_TO_SIZE (type)) != NULL;
}

static gboolean
toplevel_closed (gpointer type)
{
  return find_toplevel (GPOINTER_TO_SIZE (type)) == NULL;
}

GtkWidget *
baton_test_ui_wait_toplevel (GType       type,
                             const char *what)
{
  baton_test_ui_wait_until (toplevel_open, GSIZE_TO_POINTER (type), 10000, what);
  return find_toplevel (type);
}

void
baton_test_ui_wait_closed (GType       type,
                           const char *what)
{
  baton_test_ui_wait_until (toplevel_closed, GSIZE_TO_POINTER (type), 10000, what);
}
