/* baton-chart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-chart"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "baton-chart.h"
#include "baton-describe.h"

struct _BatonChart
{
  GtkWidget parent_instance;

  BatonChartKind kind;
  BatonChartUnit unit;
  GStrv categories;
  GStrv series;
  /* series by series */
  double *values;
};

G_DEFINE_FINAL_TYPE (BatonChart, baton_chart, GTK_TYPE_WIDGET)

#define PAD 8.0
#define LEGEND_SWATCH 10.0

/* Adwaita's palette, read from the theme; the values are the fallbacks */
static const struct {
  const char *name;
  const char *fallback;
} palette[] = {
  { "blue_3", "#3584e4" }, { "green_5", "#26a269" }, { "orange_3", "#ff7800" },
  { "purple_3", "#9141ac" }, { "red_3", "#e01b24" }, { "yellow_5", "#e5a50a" },
  { "brown_3", "#986a44" },
};

/* What a frame is drawn with. */
typedef struct {
  BatonChart *self;
  cairo_t *cr;
  GdkRGBA fg;
  /* the plot's area, inside the labels and the legend */
  double x, y, width, height;
  double max;
} Frame;

static guint
n_categories (BatonChart *self)
{
  return self->categories ? g_strv_length (self->categories) : 0;
}

static guint
n_series (BatonChart *self)
{
  return self->series ? g_strv_length (self->series) : 0;
}

static double
value_at (BatonChart *self,
          guint       s,
          guint       c)
{
  return self->values[s * n_categories (self) + c];
}

static GdkRGBA
series_color (BatonChart *self,
              guint       s)
{
  GtkStyleContext *style = gtk_widget_get_style_context (GTK_WIDGET (self));
  guint i = s % G_N_ELEMENTS (palette);
  GdkRGBA color;

  if (!gtk_style_context_lookup_color (style, palette[i].name, &color))
    gdk_rgba_parse (&color, palette[i].fallback);
  return color;
}

static GdkRGBA
accent_color (BatonChart *self)
{
  GtkStyleContext *style = gtk_widget_get_style_context (GTK_WIDGET (self));
  GdkRGBA color;

  if (!gtk_style_context_lookup_color (style, "accent_bg_color", &color))
    gdk_rgba_parse (&color, palette[0].fallback);
  return color;
}

char *
baton_chart_format (BatonChart *self,
                    double      value)
{
  g_return_val_if_fail (BATON_IS_CHART (self), NULL);

  if (isnan (value))
    return g_strdup ("—");
  if (self->unit == BATON_CHART_DURATIONS && value > 0)
    return baton_describe_duration ((gint64) value);
  return g_strdup_printf ("%.0f", value);
}

/* the largest value drawn: a bar's, a stack's, a point's or a cell's */
static double
largest (BatonChart *self)
{
  double max = 0;

  for (guint c = 0; c < n_categories (self); c++)
    {
      double stack = 0;

      for (guint s = 0; s < n_series (self); s++)
        {
          double value = value_at (self, s, c);

          if (isnan (value))
            continue;
          stack += value;
          max = MAX (max, self->kind == BATON_CHART_STACKED ? stack : value);
        }
    }
  return max;
}

gboolean
baton_chart_is_empty (BatonChart *self)
{
  g_return_val_if_fail (BATON_IS_CHART (self), TRUE);

  return largest (self) <= 0;
}

/* a step of the y axis that gives about four lines up to max: 1, 2 or 5 × 10ⁿ, or for
 * durations a round one (a minute, 5, 10, 30 min, an hour…) */
static double
axis_step (BatonChart *self,
           double      max)
{
  static const double durations[] = { 1, 5, 10, 30, 60, 300, 600, 900, 1800, 3600, 7200,
                                      10800, 21600, 43200, 86400, 172800, 604800 };
  double magnitude = 1;

  if (self->unit == BATON_CHART_DURATIONS)
    {
      for (guint i = 0; i < G_N_ELEMENTS (durations); i++)
        if (max / durations[i] <= 5)
          return durations[i];
      return ceil (max / 5 / 604800) * 604800;
    }
  while (max / magnitude > 50)
    magnitude *= 10;
  if (max / magnitude <= 5)
    return magnitude;
  return max / magnitude <= 10 ? 2 * magnitude : max / magnitude <= 25 ? 5 * magnitude
                                                                      : 10 * magnitude;
}

static void
set_color (cairo_t       *cr,
           const GdkRGBA *color,
           double         alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

static PangoLayout *
layout_new (Frame      *frame,
            const char *text)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (frame->self), text);

  return layout;
}

/* text at (x, y); align 0: its left edge there, 0.5: its middle, 1: its right edge */
static void
draw_text (Frame      *frame,
           const char *text,
           double      x,
           double      y,
           double      align,
           double      alpha)
{
  g_autoptr(PangoLayout) layout = layout_new (frame, text);
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  cairo_move_to (frame->cr, x - align * width, y - height / 2.0);
  set_color (frame->cr, &frame->fg, alpha);
  pango_cairo_show_layout (frame->cr, layout);
}

static int
text_width (Frame      *frame,
            const char *text)
{
  g_autoptr(PangoLayout) layout = layout_new (frame, text);
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  return width;
}

static int
line_height (Frame *frame)
{
  g_autoptr(PangoLayout) layout = layout_new (frame, "0");
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  return height;
}

/* The series' names with their colours above the plot, from top on as many lines of height
 * line as the plot's width needs; paint: draw them, else only count. Returns the lines. */
static guint
place_legend (Frame    *frame,
              double    top,
              double    line,
              gboolean  paint)
{
  double x = frame->x;
  guint lines = 1;

  for (guint s = 0; s < n_series (frame->self); s++)
    {
      const char *name = frame->self->series[s];
      double item = LEGEND_SWATCH + 4 + text_width (frame, name);
      double y = 0;
      GdkRGBA color = series_color (frame->self, s);

      if (x > frame->x && x + item > frame->x + frame->width)
        {
          x = frame->x;
          lines++;
        }
      y = top + (lines - 0.5) * line;
      if (paint)
        {
          set_color (frame->cr, &color, 1);
          cairo_rectangle (frame->cr, x, y - LEGEND_SWATCH / 2, LEGEND_SWATCH, LEGEND_SWATCH);
          cairo_fill (frame->cr);
          draw_text (frame, name, x + LEGEND_SWATCH + 4, y, 0, 0.8);
        }
      x += item + 2 * PAD;
    }
  return lines;
}

/* the y axis: a faint line and a label at each step */
static void
draw_value_axis (Frame *frame)
{
  double step = axis_step (frame->self, frame->max);

  frame->max = ceil (frame->max / step) * step;
  cairo_set_line_width (frame->cr, 1);
  for (double value = 0; value <= frame->max + step / 2; value += step)
    {
      double y = round (frame->y + frame->height - value / frame->max * frame->height) + 0.5;
      g_autofree char *label = baton_chart_format (frame->self, value);

      set_color (frame->cr, &frame->fg, value == 0 ? 0.4 : 0.12);
      cairo_move_to (frame->cr, frame->x, y);
      cairo_line_to (frame->cr, frame->x + frame->width, y);
      cairo_stroke (frame->cr);
      draw_text (frame, label, frame->x - PAD, y, 1, 0.7);
    }
}

/* the categories under the plot, every one or fewer when they would overlap */
static void
draw_category_axis (Frame  *frame,
                    double  y)
{
  guint n = n_categories (frame->self);
  double slot = frame->width / MAX (n, 1);
  int widest = 1;
  guint every = 1;

  for (guint c = 0; c < n; c++)
    widest = MAX (widest, text_width (frame, frame->self->categories[c]));
  while (every * slot < widest + PAD && every < n)
    every++;
  for (guint c = 0; c < n; c += every)
    draw_text (frame, frame->self->categories[c], frame->x + (c + 0.5) * slot, y, 0.5, 0.7);
}

static void
draw_bars (Frame *frame)
{
  BatonChart *self = frame->self;
  guint n = n_categories (self);
  guint series = self->kind == BATON_CHART_STACKED ? 1 : n_series (self);
  double slot = frame->width / MAX (n, 1);
  double bar = slot * 0.8 / MAX (series, 1);

  for (guint c = 0; c < n; c++)
    {
      double base = 0;

      for (guint s = 0; s < n_series (self); s++)
        {
          double value = value_at (self, s, c);
          double x = frame->x + c * slot + slot * 0.1
                     + (self->kind == BATON_CHART_STACKED ? 0 : s * bar);
          GdkRGBA color = series_color (self, s);

          if (isnan (value) || value <= 0)
            continue;
          set_color (frame->cr, &color, 1);
          cairo_rectangle (frame->cr, x + 1, frame->y + frame->height
                                             - (base + value) / frame->max * frame->height,
                           MAX (bar - 2, 1), value / frame->max * frame->height);
          cairo_fill (frame->cr);
          if (self->kind == BATON_CHART_STACKED)
            base += value;
        }
    }
}

static void
draw_lines (Frame *frame)
{
  BatonChart *self = frame->self;
  guint n = n_categories (self);
  double slot = frame->width / MAX (n, 1);

  cairo_set_line_width (frame->cr, 2);
  cairo_set_line_join (frame->cr, CAIRO_LINE_JOIN_ROUND);
  for (guint s = 0; s < n_series (self); s++)
    {
      GdkRGBA color = series_color (self, s);
      gboolean drawing = FALSE;

      set_color (frame->cr, &color, 1);
      for (guint c = 0; c < n; c++)
        {
          double value = value_at (self, s, c);
          double x = frame->x + (c + 0.5) * slot;
          double y = frame->y + frame->height - value / frame->max * frame->height;

          if (isnan (value))
            {
              drawing = FALSE;
              continue;
            }
          cairo_new_sub_path (frame->cr);
          cairo_arc (frame->cr, x, y, 3, 0, 2 * G_PI);
          cairo_fill (frame->cr);
          if (drawing)
            {
              double px = x - slot;
              double py = frame->y + frame->height
                          - value_at (self, s, c - 1) / frame->max * frame->height;

              cairo_move_to (frame->cr, px, py);
              cairo_line_to (frame->cr, x, y);
              cairo_stroke (frame->cr);
            }
          drawing = TRUE;
        }
    }
}

/* rows of cells, the more the stronger the accent colour; the series' names on the left */
static void
draw_heat_map (Frame *frame)
{
  BatonChart *self = frame->self;
  guint n = n_categories (self);
  guint rows = n_series (self);
  double width = frame->width / MAX (n, 1);
  double height = frame->height / MAX (rows, 1);
  GdkRGBA accent = accent_color (self);

  for (guint s = 0; s < rows; s++)
    {
      draw_text (frame, self->series[s], frame->x - PAD, frame->y + (s + 0.5) * height, 1, 0.7);
      for (guint c = 0; c < n; c++)
        {
          double value = value_at (self, s, c);

          if (value > 0)
            set_color (frame->cr, &accent, 0.2 + 0.8 * value / frame->max);
          else
            set_color (frame->cr, &frame->fg, 0.06);
          cairo_rectangle (frame->cr, frame->x + c * width + 1, frame->y + s * height + 1,
                           width - 2, height - 2);
          cairo_fill (frame->cr);
        }
    }
}

/* "0 ▢▢▢▢ 12": the heat map's scale, above it */
static void
draw_heat_legend (Frame  *frame,
                  double  y)
{
  GdkRGBA accent = accent_color (frame->self);
  g_autofree char *max = baton_chart_format (frame->self, frame->max);
  double x = frame->x + text_width (frame, "0") + 4;

  draw_text (frame, "0", frame->x, y, 0, 0.7);
  for (guint i = 0; i < 5; i++)
    {
      set_color (frame->cr, &accent, 0.2 + 0.2 * i);
      cairo_rectangle (frame->cr, x + i * (LEGEND_SWATCH + 2), y - LEGEND_SWATCH / 2,
                       LEGEND_SWATCH, LEGEND_SWATCH);
      cairo_fill (frame->cr);
    }
  draw_text (frame, max, x + 5 * (LEGEND_SWATCH + 2) + 2, y, 0, 0.7);
}

/* the left margin: the widest value label, or the series' names of a heat map */
static double
label_margin (Frame *frame)
{
  BatonChart *self = frame->self;
  double step = axis_step (self, frame->max);
  int widest = 0;

  if (self->kind == BATON_CHART_HEAT_MAP)
    {
      for (guint s = 0; s < n_series (self); s++)
        widest = MAX (widest, text_width (frame, self->series[s]));
      return widest + 2 * PAD;
    }
  for (double value = 0; value <= ceil (frame->max / step) * step + step / 2; value += step)
    {
      g_autofree char *label = baton_chart_format (self, value);

      widest = MAX (widest, text_width (frame, label));
    }
  return widest + 2 * PAD;
}

static void
draw_empty (Frame  *frame,
            double  width,
            double  height)
{
  draw_text (frame, _("No data for this period"), width / 2, height / 2, 0.5, 0.55);
}

static void
draw (BatonChart *self,
      cairo_t    *cr,
      double      width,
      double      height)
{
  Frame frame = { self, cr };
  int line = 0;

  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &frame.fg);
  if (baton_chart_is_empty (self))
    {
      draw_empty (&frame, width, height);
      return;
    }
  line = line_height (&frame);
  frame.max = largest (self);
  frame.x = label_margin (&frame);
  frame.width = MAX (width - frame.x - PAD, 1);
  frame.y = PAD + PAD + line * (self->kind == BATON_CHART_HEAT_MAP
                                ? 1 : place_legend (&frame, PAD, line, FALSE));
  frame.height = MAX (height - frame.y - line - 2 * PAD, 1);
  if (self->kind == BATON_CHART_HEAT_MAP)
    {
      draw_heat_legend (&frame, PAD + line / 2.0);
      draw_heat_map (&frame);
    }
  else
    {
      place_legend (&frame, PAD, line, TRUE);
      draw_value_axis (&frame);
      if (self->kind == BATON_CHART_LINES)
        draw_lines (&frame);
      else
        draw_bars (&frame);
    }
  draw_category_axis (&frame, frame.y + frame.height + PAD + line / 2.0);
}

/* What a screen reader says of the data: each series' largest value and where it is. */
static void
update_description (BatonChart *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint s = 0; s < n_series (self) && !baton_chart_is_empty (self); s++)
    {
      double max = -1;
      guint at = 0;
      g_autofree char *value = NULL;

      for (guint c = 0; c < n_categories (self); c++)
        if (!isnan (value_at (self, s, c)) && value_at (self, s, c) > max)
          {
            max = value_at (self, s, c);
            at = c;
          }
      /* a series with nothing in it says nothing */
      if (max <= 0)
        continue;
      value = baton_chart_format (self, max);
      if (text->len)
        g_string_append (text, "; ");
      /* a series' largest value in a chart: "Created: at most 3 (24 Oct)" */
      g_string_append_printf (text, _("%s: at most %s (%s)"), self->series[s], value,
                              self->categories[at]);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text->len ? text->str : _("No data for this period"), -1);
}

static void
baton_chart_snapshot (GtkWidget   *widget,
                      GtkSnapshot *snapshot)
{
  BatonChart *self = BATON_CHART (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  draw (self, cr, width, height);
  cairo_destroy (cr);
}

static void
baton_chart_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 240 : 200;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 480 : 240;
}

static void
baton_chart_finalize (GObject *object)
{
  BatonChart *self = BATON_CHART (object);

  g_strfreev (self->categories);
  g_strfreev (self->series);
  g_free (self->values);

  G_OBJECT_CLASS (baton_chart_parent_class)->finalize (object);
}

static void
baton_chart_class_init (BatonChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = baton_chart_finalize;
  widget_class->snapshot = baton_chart_snapshot;
  widget_class->measure = baton_chart_measure;
  gtk_widget_class_set_css_name (widget_class, "chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
baton_chart_init (BatonChart *self)
{
}

GtkWidget *
baton_chart_new (BatonChartKind kind,
                 BatonChartUnit unit)
{
  BatonChart *self = g_object_new (BATON_TYPE_CHART, NULL);

  self->kind = kind;
  self->unit = unit;
  return GTK_WIDGET (self);
}

void
baton_chart_set_data (BatonChart         *self,
                      const char * const *categories,
                      const char * const *series,
                      const double       *values)
{
  g_return_if_fail (BATON_IS_CHART (self));

  g_strfreev (self->categories);
  g_strfreev (self->series);
  self->categories = g_strdupv ((char **) categories);
  self->series = g_strdupv ((char **) series);
  g_free (self->values);
  self->values = g_memdup2 (values,
                            sizeof (double) * MAX (n_categories (self) * n_series (self), 1));
  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static GtkWidget *
cell_new (const char *text,
          gboolean    header,
          float       xalign)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  if (header)
    gtk_widget_add_css_class (label, "heading");
  else
    gtk_widget_add_css_class (label, "numeric");
  return label;
}

GtkWidget *
baton_chart_build_table (BatonChart *self)
{
  gboolean by_series = FALSE;
  guint rows, columns;
  char **row_names, **column_names;
  GtkWidget *grid = NULL;

  g_return_val_if_fail (BATON_IS_CHART (self), NULL);

  by_series = self->kind == BATON_CHART_HEAT_MAP;
  rows = by_series ? n_series (self) : n_categories (self);
  columns = by_series ? n_categories (self) : n_series (self);
  row_names = by_series ? self->series : self->categories;
  column_names = by_series ? self->categories : self->series;
  grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_widget_add_css_class (grid, "chart-table");
  for (guint col = 0; col < columns; col++)
    gtk_grid_attach (GTK_GRID (grid), cell_new (column_names[col], TRUE, 1), col + 1, 0, 1, 1);
  for (guint row = 0; row < rows; row++)
    {
      gtk_grid_attach (GTK_GRID (grid), cell_new (row_names[row], TRUE, 0), 0, row + 1, 1, 1);
      for (guint col = 0; col < columns; col++)
        {
          g_autofree char *text = baton_chart_format (self, by_series
                                                            ? value_at (self, row, col)
                                                            : value_at (self, col, row));

          gtk_grid_attach (GTK_GRID (grid), cell_new (text, FALSE, 1), col + 1, row + 1, 1, 1);
        }
    }
  return grid;
}
