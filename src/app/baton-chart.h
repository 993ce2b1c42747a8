/* baton-chart.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A chart of a report's figures drawn with cairo: values per category (the x axis) for one
 * or more series, in the theme's colours, with axis labels, a legend, and an empty state.
 * The same numbers as a table: baton_chart_build_table (). */

typedef enum {
  /* the series side by side in each category */
  BATON_CHART_BARS,
  /* the series on top of each other in each category */
  BATON_CHART_STACKED,
  /* a line per series; a NAN value is no point (a gap) */
  BATON_CHART_LINES,
  /* a row per series, a cell per category, darker for more */
  BATON_CHART_HEAT_MAP,
} BatonChartKind;

typedef enum {
  BATON_CHART_COUNTS,
  /* seconds, written as "4 min", "2 h 10 min" */
  BATON_CHART_DURATIONS,
} BatonChartUnit;

#define BATON_TYPE_CHART (baton_chart_get_type ())

G_DECLARE_FINAL_TYPE (BatonChart, baton_chart, BATON, CHART, GtkWidget)

GtkWidget *baton_chart_new         (BatonChartKind      kind,
                                    BatonChartUnit      unit);
/* categories and series: the labels; values: n_series × n_categories, series by series
 * (values[s * n_categories + c]), copied */
void       baton_chart_set_data    (BatonChart         *self,
                                    const char * const *categories,
                                    const char * const *series,
                                    const double       *values);
/* whether there is nothing to draw (no value above 0) */
gboolean   baton_chart_is_empty    (BatonChart         *self);
/* a value as the chart's labels write it: "3", "4 min", "—" for none */
char      *baton_chart_format      (BatonChart         *self,
                                    double              value);
/* a grid of the same numbers: a row per category, a column per series (the heat map: a row
 * per series, a column per category) */
GtkWidget *baton_chart_build_table (BatonChart         *self);

G_END_DECLS
