/* baton-hours-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-hours-page"

#include "config.h"

#include <glib/gi18n.h>

#include "baton-describe.h"
#include "baton-hours-page.h"
#include "baton-schedule-editor.h"
#include "baton-toast.h"
#include "baton-widget-util.h"

struct _BatonHoursPage
{
  AdwPreferencesPage parent_instance;

  /* template widgets */
  GtkListBox *list;

  /* owned refs */
  BatonClient *client;
  GCancellable *cancellable;
  GPtrArray *schedules;
  GPtrArray *flows;
};

G_DEFINE_FINAL_TYPE (BatonHoursPage, baton_hours_page, ADW_TYPE_PREFERENCES_PAGE)

static const char *
day_abbreviation (int day)
{
  const char *names[] = { N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"),
                          N_("Sun") };

  return _(names[day]);
}

/* "Mon–Fri 09:00–18:00 · Sat 22:00–02:00": runs of days with the same hours. */
static char *
summarize (BatonSchedule *schedule)
{
  GString *summary = g_string_new (NULL);
  int day = 0;

  while (day < 7)
    {
      g_autofree char *hours = baton_schedule_format_day (schedule, day);
      int last = day;

      while (last + 1 < 7)
        {
          g_autofree char *next = baton_schedule_format_day (schedule, last + 1);

          if (!g_str_equal (next, hours))
            break;
          last++;
        }
      if (*hours != '\0')
        {
          if (summary->len > 0)
            g_string_append (summary, " · ");
          g_string_append (summary, day_abbreviation (day));
          if (last > day)
            g_string_append_printf (summary, "–%s", day_abbreviation (last));
          g_string_append_printf (summary, " %s", hours);
        }
      day = last + 1;
    }
  if (summary->len == 0)
    g_string_append (summary, _("Never open"));
  return g_string_free (summary, FALSE);
}

static BatonSchedule *
find_schedule (BatonHoursPage *self,
               const char     *id)
{
  for (guint i = 0; self->schedules && i < self->schedules->len; i++)
    if (g_str_equal (((BatonSchedule *) self->schedules->pdata[i])->id, id))
      return self->schedules->pdata[i];
  return NULL;
}

/* The first flow that names the schedule, or NULL. */
static BatonFlow *
find_user (BatonHoursPage *self,
           const char     *schedule_id)
{
  for (guint i = 0; self->flows && i < self->flows->len; i++)
    if (baton_flow_uses_schedule (self->flows->pdata[i], schedule_id))
      return self->flows->pdata[i];
  return NULL;
}

static GtkWidget *
row_button (const char *icon_name,
            const char *tooltip,
            const char *action_name,
            const char *id)
{
  GtkWidget *button = baton_icon_button_new (icon_name, tooltip);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", id);
  return button;
}

static GtkWidget *
create_row (BatonSchedule *schedule)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *week = summarize (schedule);
  g_autofree char *subtitle = g_strdup_printf ("%s · %s", schedule->timezone, week);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), schedule->name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             row_button ("document-edit-symbolic", _("Edit"), "hours.edit",
                                         schedule->id));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             row_button ("user-trash-symbolic", _("Delete"), "hours.delete",
                                         schedule->id));
  gtk_widget_set_name (row, schedule->id);
  return row;
}

static void
show_schedules (BatonHoursPage *self)
{
  GtkWidget *child = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; self->schedules && i < self->schedules->len; i++)
    gtk_list_box_append (self->list, create_row (self->schedules->pdata[i]));
}

static void
flows_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GPtrArray) flows = NULL;
  g_autoptr(GError) error = NULL;

  flows = baton_client_list_flows_finish (BATON_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (flows)
    {
      BatonHoursPage *self = user_data;

      g_clear_pointer (&self->flows, g_ptr_array_unref);
      self->flows = g_steal_pointer (&flows);
    }
}

static void
schedules_loaded_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GPtrArray) schedules = NULL;
  g_autoptr(GError) error = NULL;
  BatonHoursPage *self = NULL;

  schedules = baton_client_list_schedules_finish (BATON_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  if (schedules == NULL)
    {
      baton_toast_tell (GTK_WIDGET (self), baton_describe_error (error));
      return;
    }
  g_clear_pointer (&self->schedules, g_ptr_array_unref);
  self->schedules = g_steal_pointer (&schedules);
  show_schedules (self);
}

static void
reload (BatonHoursPage *self)
{
  if (self->client == NULL)
    return;
  baton_client_list_flows_async (self->client, self->cancellable, flows_loaded_cb, self);
  baton_client_list_schedules_async (self->client, self->cancellable, schedules_loaded_cb,
                                     self);
}

static void
client_event_cb (BatonHoursPage *self,
                 BatonEvent     *event)
{
  switch (baton_event_get_kind (event))
    {
    case BATON_EVENT_SCHEDULE_CREATED:
    case BATON_EVENT_SCHEDULE_UPDATED:
    case BATON_EVENT_SCHEDULE_DELETED:
    case BATON_EVENT_FLOW_CREATED:
    case BATON_EVENT_FLOW_UPDATED:
    case BATON_EVENT_FLOW_DELETED:
    case BATON_EVENT_RESYNC_REQUIRED:
      reload (self);
      break;
    default:
      break;
    }
}

static void
open_editor (BatonHoursPage *self,
             BatonSchedule  *schedule)
{
  BatonScheduleEditor *editor = baton_schedule_editor_new (self->client, schedule, self->flows);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (root));
  gtk_window_present (GTK_WINDOW (editor));
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  BatonHoursPage *self = BATON_HOURS_PAGE (widget);

  if (self->client)
    open_editor (self, NULL);
}

/* A signal, not the action: the page is taken out of the window and put back as the role
 * changes, and its own button would keep the action's state from while it was out. */
static void
add_clicked_cb (BatonHoursPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "hours.add", NULL);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BatonHoursPage *self = BATON_HOURS_PAGE (widget);
  BatonSchedule *schedule = find_schedule (self, g_variant_get_string (parameter, NULL));

  if (schedule && self->client)
    open_editor (self, schedule);
}

static void
deleted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (baton_client_delete_schedule_finish (BATON_CLIENT (source), result, &error)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_error_matches (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_NOT_FOUND))
    return;
  /* a flow named it since the page last looked */
  if (g_error_matches (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_CONFLICT))
    baton_toast_tell (GTK_WIDGET (user_data),
                      _("A flow uses these hours: remove them from the flow first."));
  else
    baton_toast_tell (GTK_WIDGET (user_data), baton_describe_error (error));
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    BatonHoursPage   *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "baton-schedule-id");

  if (g_str_equal (response, "delete") && self->client)
    baton_client_delete_schedule_async (self->client, id, self->cancellable, deleted_cb, self);
}

/* Asks first; for hours a flow uses, says which flow instead. */
static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BatonHoursPage *self = BATON_HOURS_PAGE (widget);
  BatonSchedule *schedule = find_schedule (self, g_variant_get_string (parameter, NULL));
  GtkRoot *root = gtk_widget_get_root (widget);
  AdwMessageDialog *dialog = NULL;
  BatonFlow *user = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;

  if (schedule == NULL)
    return;
  user = find_user (self, schedule->id);
  /* Translators: %s is the name of business hours */
  heading = g_strdup_printf (user ? _("“%s” Cannot Be Deleted") : _("Delete “%s”?"),
                             schedule->name);
  /* Translators: %s is the name of a routing flow */
  body = user ? g_strdup_printf (_("Used by the flow “%s”: remove it from the flow first."),
                                 user->name) : NULL;
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                       : NULL, heading, body));
  if (user)
    adw_message_dialog_add_responses (dialog, "cancel", _("_Close"), NULL);
  else
    {
      adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "delete", _("_Delete"),
                                        NULL);
      adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
    }
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "baton-schedule-id", g_strdup (schedule->id),
                          g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
baton_hours_page_dispose (GObject *object)
{
  BatonHoursPage *self = BATON_HOURS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_pointer (&self->schedules, g_ptr_array_unref);
  g_clear_pointer (&self->flows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), BATON_TYPE_HOURS_PAGE);

  G_OBJECT_CLASS (baton_hours_page_parent_class)->dispose (object);
}

static void
baton_hours_page_class_init (BatonHoursPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = baton_hours_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/baton/Baton/ui/baton-hours-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BatonHoursPage, list);
  gtk_widget_class_bind_template_callback (widget_class, add_clicked_cb);

  gtk_widget_class_install_action (widget_class, "hours.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "hours.edit", "s", edit_action);
  gtk_widget_class_install_action (widget_class, "hours.delete", "s", delete_action);
}

static void
baton_hours_page_init (BatonHoursPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  baton_list_box_set_placeholder_text (self->list, _("No business hours yet"));
}

void
baton_hours_page_set_client (BatonHoursPage *self,
                             BatonClient    *client)
{
  g_return_if_fail (BATON_IS_HOURS_PAGE (self));
  g_return_if_fail (client == NULL || BATON_IS_CLIENT (client));

  if (self->client)
    g_signal_handlers_disconnect_by_data (self->client, self);
  if (!g_set_object (&self->client, client))
    return;
  if (client)
    g_signal_connect_object (client, "event", G_CALLBACK (client_event_cb), self,
                             G_CONNECT_SWAPPED);
  reload (self);
}
