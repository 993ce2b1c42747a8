/* baton-schedule-editor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-schedule-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "baton-describe.h"
#include "baton-schedule-editor.h"
#include "baton-widget-util.h"

#define N_DAYS 7

struct _BatonScheduleEditor
{
  AdwWindow parent_instance;

  /* template widgets */
  AdwEntryRow *name_row;
  AdwEntryRow *timezone_row;
  AdwPreferencesGroup *weekly_group;
  AdwEntryRow *holidays_row;
  AdwPreferencesGroup *used_group;
  GtkListBox *used_list;
  GtkLabel *error_label;
  GtkWidget *save_button;

  AdwEntryRow *day_rows[N_DAYS];

  /* owned refs */
  BatonClient *client;
  BatonSchedule *schedule;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (BatonScheduleEditor, baton_schedule_editor, ADW_TYPE_WINDOW)

static const char *
day_title (int day)
{
  const char *titles[N_DAYS] = { N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"),
                                 N_("Friday"), N_("Saturday"), N_("Sunday") };

  return _(titles[day]);
}

char *
baton_schedule_format_day (BatonSchedule *schedule,
                           int            day)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < schedule->weekly->len; i++)
    {
      BatonInterval *interval = &g_array_index (schedule->weekly, BatonInterval, i);

      if (interval->day != day)
        continue;
      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append_printf (text, "%02d:%02d–%02d:%02d", interval->from / 60,
                              interval->from % 60, interval->to / 60, interval->to % 60);
    }
  return g_string_free (text, FALSE);
}

/* Reads "09:00–18:00, 22:00-02:00" into weekly; FALSE on a malformed interval. */
static gboolean
parse_day (const char *text,
           int         day,
           GArray     *weekly)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);

  for (guint i = 0; parts[i]; i++)
    {
      g_autofree char *part = g_strstrip (g_strdup (parts[i]));
      g_auto(GStrv) ends = NULL;
      BatonInterval interval = { day, 0, 0 };

      if (*part == '\0')
        continue;
      ends = g_regex_split_simple ("\\s*(?:-|–)\\s*", part, 0, 0);
      if (g_strv_length (ends) != 2
          || !baton_schedule_parse_clock (ends[0], &interval.from)
          || !baton_schedule_parse_clock (ends[1], &interval.to))
        return FALSE;
      g_array_append_val (weekly, interval);
    }
  return TRUE;
}

/* Marks the row (or none) in error and says why under the form. */
static void
show_error (BatonScheduleEditor *self,
            AdwEntryRow         *row,
            const char          *text)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->timezone_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->name_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->holidays_row), "error");
  for (int day = 0; day < N_DAYS; day++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->day_rows[day]), "error");
  if (row)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  gtk_label_set_text (self->error_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
}

/* The row a 422's field names: "timezone", "weekly[3].from", "holidays[0]". */
static AdwEntryRow *
row_of_field (BatonScheduleEditor *self,
              const char          *field)
{
  if (field == NULL)
    return NULL;
  if (g_str_equal (field, "name"))
    return self->name_row;
  if (g_str_equal (field, "timezone"))
    return self->timezone_row;
  if (g_str_has_prefix (field, "holidays"))
    return self->holidays_row;
  return NULL;
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  BatonScheduleEditor *self = user_data;
  g_autoptr(BatonSchedule) saved = NULL;
  g_autoptr(GError) error = NULL;

  if (self->schedule->id)
    saved = baton_client_update_schedule_finish (BATON_CLIENT (source), result, &error);
  else
    saved = baton_client_create_schedule_finish (BATON_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_widget_set_sensitive (self->save_button, TRUE);
  if (saved == NULL)
    {
      show_error (self, row_of_field (self, baton_client_error_get_field (error)),
                  baton_describe_error (error));
      return;
    }
  gtk_window_destroy (GTK_WINDOW (self));
}

/* The form read into a schedule to send, or NULL after saying which row is wrong. */
static BatonSchedule *
read_form (BatonScheduleEditor *self)
{
  g_autoptr(BatonSchedule) draft = baton_schedule_new ();
  g_auto(GStrv) holidays = NULL;
  guint kept = 0;

  draft->id = g_strdup (self->schedule->id);
  draft->name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  g_free (draft->timezone);
  draft->timezone = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->timezone_row))));
  for (int day = 0; day < N_DAYS; day++)
    if (!parse_day (gtk_editable_get_text (GTK_EDITABLE (self->day_rows[day])), day,
                    draft->weekly))
      {
        show_error (self, self->day_rows[day],
                    _("Write intervals as 09:00–18:00, separated by commas."));
        return NULL;
      }
  holidays = g_strsplit_set (gtk_editable_get_text (GTK_EDITABLE (self->holidays_row)), ", ", -1);
  for (guint i = 0; holidays[i]; i++)
    if (*holidays[i] != '\0')
      holidays[kept++] = holidays[i];
    else
      g_free (holidays[i]);
  holidays[kept] = NULL;
  g_strfreev (draft->holidays);
  draft->holidays = g_steal_pointer (&holidays);
  return g_steal_pointer (&draft);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BatonScheduleEditor *self = BATON_SCHEDULE_EDITOR (widget);
  g_autoptr(BatonSchedule) draft = read_form (self);

  if (draft == NULL)
    return;
  show_error (self, NULL, NULL);
  gtk_widget_set_sensitive (self->save_button, FALSE);
  if (draft->id)
    baton_client_update_schedule_async (self->client, draft, self->cancellable, saved_cb, self);
  else
    baton_client_create_schedule_async (self->client, draft, self->cancellable, saved_cb, self);
}

/* Says on the row when one of the day's intervals runs past midnight: an entry row has no
 * subtitle, so a label at its end. */
static void
day_changed_cb (AdwEntryRow *row,
                GtkWidget   *overnight_label)
{
  g_autoptr(GArray) weekly = g_array_new (FALSE, TRUE, sizeof (BatonInterval));
  gboolean overnight = FALSE;

  if (parse_day (gtk_editable_get_text (GTK_EDITABLE (row)), 0, weekly))
    for (guint i = 0; i < weekly->len; i++)
      overnight |= g_array_index (weekly, BatonInterval, i).to
                   <= g_array_index (weekly, BatonInterval, i).from;
  gtk_widget_set_tooltip_text (GTK_WIDGET (row),
                               overnight ? _("Runs overnight into the next day") : NULL);
  gtk_widget_set_visible (overnight_label, overnight);
}

static void
baton_schedule_editor_dispose (GObject *object)
{
  BatonScheduleEditor *self = BATON_SCHEDULE_EDITOR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_pointer (&self->schedule, baton_schedule_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), BATON_TYPE_SCHEDULE_EDITOR);

  G_OBJECT_CLASS (baton_schedule_editor_parent_class)->dispose (object);
}

static void
baton_schedule_editor_class_init (BatonScheduleEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = baton_schedule_editor_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/baton/Baton/ui/baton-schedule-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, BatonScheduleEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, BatonScheduleEditor, timezone_row);
  gtk_widget_class_bind_template_child (widget_class, BatonScheduleEditor, weekly_group);
  gtk_widget_class_bind_template_child (widget_class, BatonScheduleEditor, holidays_row);
  gtk_widget_class_bind_template_child (widget_class, BatonScheduleEditor, used_group);
  gtk_widget_class_bind_template_child (widget_class, BatonScheduleEditor, used_list);
  gtk_widget_class_bind_template_child (widget_class, BatonScheduleEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, BatonScheduleEditor, save_button);

  gtk_widget_class_install_action (widget_class, "schedule.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
baton_schedule_editor_init (BatonScheduleEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  for (int day = 0; day < N_DAYS; day++)
    {
      GtkWidget *overnight_label = gtk_label_new (_("Overnight"));

      self->day_rows[day] = ADW_ENTRY_ROW (adw_entry_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->day_rows[day]), day_title (day));
      gtk_widget_add_css_class (overnight_label, "dim-label");
      gtk_widget_set_visible (overnight_label, FALSE);
      adw_entry_row_add_suffix (self->day_rows[day], overnight_label);
      g_signal_connect (self->day_rows[day], "changed", G_CALLBACK (day_changed_cb),
                        overnight_label);
      adw_preferences_group_add (self->weekly_group, GTK_WIDGET (self->day_rows[day]));
    }
  baton_name_adwaita_controls (GTK_WIDGET (self));
}

/* The flows that name the schedule, or that none does. */
static void
show_users (BatonScheduleEditor *self,
            GPtrArray           *flows)
{
  for (guint i = 0; flows && self->schedule->id && i < flows->len; i++)
    {
      BatonFlow *flow = flows->pdata[i];
      GtkWidget *row = NULL;

      if (!baton_flow_uses_schedule (flow, self->schedule->id))
        continue;
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), flow->name);
      gtk_list_box_append (self->used_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->used_group), self->schedule->id != NULL);
}

BatonScheduleEditor *
baton_schedule_editor_new (BatonClient   *client,
                           BatonSchedule *schedule,
                           GPtrArray     *flows)
{
  BatonScheduleEditor *self = NULL;
  g_autofree char *holidays = NULL;

  g_return_val_if_fail (BATON_IS_CLIENT (client), NULL);

  self = g_object_new (BATON_TYPE_SCHEDULE_EDITOR, NULL);
  self->client = g_object_ref (client);
  self->schedule = schedule ? baton_schedule_ref (schedule) : baton_schedule_new ();
  gtk_window_set_title (GTK_WINDOW (self), schedule ? _("Edit Business Hours")
                                                    : _("New Business Hours"));
  gtk_editable_set_text (GTK_EDITABLE (self->name_row),
                         self->schedule->name ? self->schedule->name : "");
  gtk_editable_set_text (GTK_EDITABLE (self->timezone_row), self->schedule->timezone);
  for (int day = 0; day < N_DAYS; day++)
    {
      g_autofree char *text = baton_schedule_format_day (self->schedule, day);

      gtk_editable_set_text (GTK_EDITABLE (self->day_rows[day]), text);
    }
  holidays = g_strjoinv (", ", self->schedule->holidays);
  gtk_editable_set_text (GTK_EDITABLE (self->holidays_row), holidays);
  show_users (self, flows);
  return self;
}
