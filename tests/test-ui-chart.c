/* test-ui-chart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "baton-chart.h"
#include "baton-test-ui.h"

/* BatonChart alone: how it writes values, when it is empty, its table, what a screen reader
 * says of it, and that every kind draws (screenshots to look at, light and dark). */

static const char * const days[] = { "24 Oct", "25 Oct", "26 Oct", NULL };
static const char * const series[] = { "Created", "Resolved", NULL };

static gboolean
label_is (GtkWidget     *widget,
          gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static const char *
cell (GtkWidget *table,
      int        column,
      int        row)
{
  return gtk_label_get_text (GTK_LABEL (gtk_grid_get_child_at (GTK_GRID (table), column, row)));
}

static void
assert_description (GtkWidget  *chart,
                    const char *expected)
{
  g_autofree char *error = gtk_test_accessible_check_property (GTK_ACCESSIBLE (chart),
                                                               GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                                               expected);

  g_assert_cmpstr (error, ==, NULL);
}

static void
test_format (void)
{
  g_autoptr(GtkWidget) counts = g_object_ref_sink (baton_chart_new (BATON_CHART_BARS,
                                                                    BATON_CHART_COUNTS));
  g_autoptr(GtkWidget) times = g_object_ref_sink (baton_chart_new (BATON_CHART_LINES,
                                                                   BATON_CHART_DURATIONS));
  const struct { GtkWidget *chart; double value; const char *text; } cases[] = {
    { counts, 3, "3" }, { counts, NAN, "—" }, { times, 0, "0" }, { times, 600, "10 min" },
    { times, 7800, "2 h 10 min" }, { times, NAN, "—" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = baton_chart_format (BATON_CHART (cases[i].chart), cases[i].value);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* nothing above 0 is empty, whatever the labels; one value is not */
static void
test_empty (void)
{
  g_autoptr(GtkWidget) chart = g_object_ref_sink (baton_chart_new (BATON_CHART_LINES,
                                                                   BATON_CHART_DURATIONS));
  const double none[] = { NAN, 0, NAN, 0, NAN, NAN };
  const double one[] = { NAN, 0, NAN, 0, 90, NAN };

  g_assert_true (baton_chart_is_empty (BATON_CHART (chart)));
  baton_chart_set_data (BATON_CHART (chart), days, series, none);
  g_assert_true (baton_chart_is_empty (BATON_CHART (chart)));
  assert_description (chart, "No data for this period");
  baton_chart_set_data (BATON_CHART (chart), days, series, one);
  g_assert_false (baton_chart_is_empty (BATON_CHART (chart)));
  assert_description (chart, "Resolved: at most 1 min (25 Oct)");
}

/* a row per category, a column per series; a heat map the other way round */
static void
test_table (void)
{
  g_autoptr(GtkWidget) bars = g_object_ref_sink (baton_chart_new (BATON_CHART_BARS,
                                                                  BATON_CHART_COUNTS));
  g_autoptr(GtkWidget) heat = g_object_ref_sink (baton_chart_new (BATON_CHART_HEAT_MAP,
                                                                  BATON_CHART_COUNTS));
  const double values[] = { 1, 3, 0, 0, 2, 5 };
  g_autoptr(GtkWidget) table = NULL;
  g_autoptr(GtkWidget) heat_table = NULL;

  baton_chart_set_data (BATON_CHART (bars), days, series, values);
  baton_chart_set_data (BATON_CHART (heat), days, series, values);
  table = g_object_ref_sink (baton_chart_build_table (BATON_CHART (bars)));
  heat_table = g_object_ref_sink (baton_chart_build_table (BATON_CHART (heat)));
  g_assert_cmpstr (cell (table, 1, 0), ==, "Created");
  g_assert_cmpstr (cell (table, 2, 0), ==, "Resolved");
  g_assert_cmpstr (cell (table, 0, 2), ==, "25 Oct");
  g_assert_cmpstr (cell (table, 1, 2), ==, "3");
  g_assert_cmpstr (cell (table, 2, 3), ==, "5");
  g_assert_null (gtk_grid_get_child_at (GTK_GRID (table), 3, 0));
  g_assert_cmpstr (cell (heat_table, 0, 2), ==, "Resolved");
  g_assert_cmpstr (cell (heat_table, 3, 0), ==, "26 Oct");
  g_assert_cmpstr (cell (heat_table, 3, 2), ==, "5");
  g_assert_nonnull (baton_test_ui_find (table, label_is, "24 Oct"));
  assert_description (bars, "Created: at most 3 (25 Oct); Resolved: at most 5 (26 Oct)");
}

/* every kind, and the empty state, drawn in a window: look at the screenshots */
static void
test_draw (void)
{
  const BatonChartKind kinds[] = { BATON_CHART_BARS, BATON_CHART_STACKED, BATON_CHART_LINES,
                                   BATON_CHART_HEAT_MAP };
  const double values[] = { 1, 3, NAN, 0, 2, 5 };
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  AdwStyleManager *style = adw_style_manager_get_default ();

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      GtkWidget *chart = baton_chart_new (kinds[i], BATON_CHART_COUNTS);

      baton_chart_set_data (BATON_CHART (chart), days, series, values);
      gtk_box_append (GTK_BOX (box), chart);
    }
  /* more series than a line holds: the legend takes two */
  {
    const char * const many[] = { "round robin", "least busy", "default user", "backup user",
                                  "manual", "self-assigned", "first reply", NULL };
    double counts[7 * 3];
    GtkWidget *chart = baton_chart_new (BATON_CHART_STACKED, BATON_CHART_COUNTS);

    for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
      counts[i] = i % 4;
    baton_chart_set_data (BATON_CHART (chart), days, many, counts);
    gtk_box_append (GTK_BOX (box), chart);
  }
  gtk_box_append (GTK_BOX (box), baton_chart_new (BATON_CHART_BARS, BATON_CHART_COUNTS));
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 600, 1200);
  gtk_window_present (GTK_WINDOW (window));
  baton_test_ui_screenshot (window, "chart-kinds");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  baton_test_ui_screenshot (window, "chart-kinds-dark");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    return 77;
  adw_init ();
  baton_test_ui_load_stylesheet ();

  g_test_add_func ("/ui/chart/format", test_format);
  g_test_add_func ("/ui/chart/empty", test_empty);
  g_test_add_func ("/ui/chart/table", test_table);
  g_test_add_func ("/ui/chart/draw", test_draw);

  return g_test_run ();
}
