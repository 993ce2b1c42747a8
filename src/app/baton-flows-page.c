/* baton-flows-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-flows-page"

#include "config.h"

#include <glib/gi18n.h>

#include "baton-describe.h"
#include "baton-flow-editor.h"
#include "baton-flow-summary.h"
#include "baton-flows-page.h"
#include "baton-toast.h"
#include "baton-widget-util.h"

struct _BatonFlowsPage
{
  AdwPreferencesPage parent_instance;

  /* template widgets */
  GtkListBox *list;

  /* owned refs */
  BatonClient *client;
  GCancellable *cancellable;
  /* BatonFlow, in routing order */
  GPtrArray *flows;
};

G_DEFINE_FINAL_TYPE (BatonFlowsPage, baton_flows_page, ADW_TYPE_PREFERENCES_PAGE)

static int
find_index (BatonFlowsPage *self,
            const char     *id)
{
  for (guint i = 0; self->flows && i < self->flows->len; i++)
    if (g_strcmp0 (((BatonFlow *) self->flows->pdata[i])->id, id) == 0)
      return i;
  return -1;
}

static const char *
row_flow_id (GtkWidget *widget)
{
  GtkWidget *row = gtk_widget_get_ancestor (widget, GTK_TYPE_LIST_BOX_ROW);

  return row ? gtk_widget_get_name (row) : NULL;
}

static void
toast_error (BatonFlowsPage *self,
             const GError   *error)
{
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    baton_toast_tell (GTK_WIDGET (self), baton_describe_error (error));
}

static void
patched_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(BatonFlow) flow = NULL;
  g_autoptr(GError) error = NULL;

  flow = baton_client_update_flow_finish (BATON_CLIENT (source), result, &error);
  if (flow == NULL)
    toast_error (user_data, error);
}

static void
enabled_cb (GtkSwitch      *toggle,
            GParamSpec     *pspec,
            BatonFlowsPage *self)
{
  int index = find_index (self, row_flow_id (GTK_WIDGET (toggle)));
  BatonFlow *flow = index >= 0 ? self->flows->pdata[index] : NULL;

  if (flow == NULL || flow->enabled == gtk_switch_get_active (toggle))
    return;
  flow->enabled = gtk_switch_get_active (toggle);
  baton_client_update_flow_async (self->client, flow, BATON_FLOW_MEMBER_ENABLED,
                                  self->cancellable, patched_cb, self);
}

static void
open_editor (BatonFlowsPage *self,
             BatonFlow      *flow)
{
  BatonFlowEditor *editor = baton_flow_editor_new (self->client, flow);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (root));
  gtk_window_present (GTK_WINDOW (editor));
}

static void
edit_clicked_cb (GtkWidget      *button,
                 BatonFlowsPage *self)
{
  int index = find_index (self, row_flow_id (button));

  if (index >= 0 && self->client)
    open_editor (self, self->flows->pdata[index]);
}

static void
move_clicked_cb (GtkWidget      *button,
                 BatonFlowsPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "baton-flow");
  int delta = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "baton-delta"));
  int index = find_index (self, id);
  g_autofree char *kept = g_strdup (id);

  gtk_popover_popdown (GTK_POPOVER (gtk_widget_get_ancestor (button, GTK_TYPE_POPOVER)));
  if (index >= 0 && index + delta >= 0 && index + delta < (int) self->flows->len)
    baton_flows_page_move (self, kept, index + delta);
}

static void
deleted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!baton_client_delete_flow_finish (BATON_CLIENT (source), result, &error)
      && !g_error_matches (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_NOT_FOUND))
    toast_error (user_data, error);
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    BatonFlowsPage   *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "baton-flow");

  if (g_str_equal (response, "delete") && self->client)
    baton_client_delete_flow_async (self->client, id, self->cancellable, deleted_cb, self);
}

static void
delete_clicked_cb (GtkWidget      *button,
                   BatonFlowsPage *self)
{
  int index = find_index (self, g_object_get_data (G_OBJECT (button), "baton-flow"));
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  BatonFlow *flow = index >= 0 ? self->flows->pdata[index] : NULL;
  AdwMessageDialog *dialog = NULL;
  g_autofree char *heading = NULL;

  gtk_popover_popdown (GTK_POPOVER (gtk_widget_get_ancestor (button, GTK_TYPE_POPOVER)));
  if (flow == NULL)
    return;
  /* Translators: %s is the name of a routing flow */
  heading = g_strdup_printf (_("Delete “%s”?"), flow->name);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                       : NULL, heading, NULL));
  adw_message_dialog_set_body (dialog, _("Conversations are no longer routed by it."));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "baton-flow", g_strdup (flow->id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWidget *
menu_item (BatonFlowsPage *self,
           const char     *label,
           const char     *id,
           int             delta,
           GCallback       callback)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_halign (gtk_button_get_child (GTK_BUTTON (button)), GTK_ALIGN_START);
  g_object_set_data_full (G_OBJECT (button), "baton-flow", g_strdup (id), g_free);
  g_object_set_data (G_OBJECT (button), "baton-delta", GINT_TO_POINTER (delta));
  g_signal_connect_object (button, "clicked", callback, self, 0);
  return button;
}

/* Move Up, Move Down and Delete: buttons, not a menu model, as the page's actions do not
 * survive its being taken out of the window and put back. */
static GtkWidget *
create_menu (BatonFlowsPage *self,
             BatonFlow      *flow)
{
  GtkWidget *button = baton_menu_button_new ("view-more-symbolic", _("Flow Menu"));
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_box_append (GTK_BOX (box), menu_item (self, _("Move _Up"), flow->id, -1,
                                            G_CALLBACK (move_clicked_cb)));
  gtk_box_append (GTK_BOX (box), menu_item (self, _("Move _Down"), flow->id, 1,
                                            G_CALLBACK (move_clicked_cb)));
  gtk_box_append (GTK_BOX (box), menu_item (self, _("_Delete…"), flow->id, 0,
                                            G_CALLBACK (delete_clicked_cb)));
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  return button;
}

static GdkContentProvider *
drag_prepare_cb (GtkDragSource *source,
                 double         x,
                 double         y,
                 GtkWidget     *row)
{
  return gdk_content_provider_new_typed (G_TYPE_STRING, gtk_widget_get_name (row));
}

static void
drag_begin_cb (GtkDragSource *source,
               GdkDrag       *drag,
               GtkWidget     *row)
{
  g_autoptr(GdkPaintable) icon = gtk_widget_paintable_new (row);

  gtk_drag_source_set_icon (source, icon, 0, 0);
}

static gboolean
drop_cb (GtkDropTarget  *target,
         const GValue   *value,
         double          x,
         double          y,
         BatonFlowsPage *self)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (target));
  int index = find_index (self, gtk_widget_get_name (row));
  g_autofree char *id = g_value_dup_string (value);

  if (index < 0 || find_index (self, id) < 0)
    return FALSE;
  baton_flows_page_move (self, id, index);
  return TRUE;
}

static void
add_drag_and_drop (BatonFlowsPage *self,
                   GtkWidget      *row)
{
  GtkDragSource *source = gtk_drag_source_new ();
  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_MOVE);

  gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
  g_signal_connect (source, "prepare", G_CALLBACK (drag_prepare_cb), row);
  g_signal_connect (source, "drag-begin", G_CALLBACK (drag_begin_cb), row);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (source));
  g_signal_connect_object (target, "drop", G_CALLBACK (drop_cb), self, 0);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (target));
}

static GtkWidget *
create_row (BatonFlowsPage *self,
            BatonFlow      *flow)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *trigger = baton_flow_describe_trigger (flow, baton_client_get_directory (
                                                            self->client));
  GtkWidget *handle = gtk_image_new_from_icon_name ("list-drag-handle-symbolic");
  GtkWidget *toggle = gtk_switch_new ();
  GtkWidget *edit = baton_icon_button_new ("document-edit-symbolic", _("Edit"));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), flow->name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), trigger);
  gtk_widget_add_css_class (handle, "dim-label");
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), handle);
  gtk_switch_set_active (GTK_SWITCH (toggle), flow->enabled);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (toggle, _("Enabled"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Enabled"), -1);
  g_signal_connect_object (toggle, "notify::active", G_CALLBACK (enabled_cb), self, 0);
  g_signal_connect_object (edit, "clicked", G_CALLBACK (edit_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), edit);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), create_menu (self, flow));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), edit);
  gtk_widget_set_name (row, flow->id);
  add_drag_and_drop (self, row);
  return row;
}

static void
show_flows (BatonFlowsPage *self)
{
  baton_list_box_remove_all (self->list);
  for (guint i = 0; self->flows && i < self->flows->len; i++)
    gtk_list_box_append (self->list, create_row (self, self->flows->pdata[i]));
}

/* The order changes here at once; each flow whose place changed gets it as its position
 * (the server never renumbers them). */
void
baton_flows_page_move (BatonFlowsPage *self,
                       const char     *flow_id,
                       guint           index)
{
  int from = find_index (self, flow_id);
  BatonFlow *flow = NULL;

  g_return_if_fail (BATON_IS_FLOWS_PAGE (self));

  if (from < 0 || index >= self->flows->len || (guint) from == index)
    return;
  flow = g_ptr_array_steal_index (self->flows, from);
  g_ptr_array_insert (self->flows, index, flow);
  for (guint i = 0; i < self->flows->len; i++)
    {
      BatonFlow *moved = self->flows->pdata[i];

      if (moved->position == (int) i)
        continue;
      moved->position = i;
      baton_client_update_flow_async (self->client, moved, BATON_FLOW_MEMBER_POSITION,
                                      self->cancellable, patched_cb, self);
    }
  show_flows (self);
}

static void
flows_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GPtrArray) flows = NULL;
  g_autoptr(GError) error = NULL;
  BatonFlowsPage *self = NULL;

  flows = baton_client_list_flows_finish (BATON_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = user_data;
  if (flows == NULL)
    {
      toast_error (self, error);
      return;
    }
  g_clear_pointer (&self->flows, g_ptr_array_unref);
  self->flows = g_steal_pointer (&flows);
  show_flows (self);
}

static void
reload (BatonFlowsPage *self)
{
  if (self->client)
    baton_client_list_flows_async (self->client, self->cancellable, flows_loaded_cb, self);
}

static void
client_event_cb (BatonFlowsPage *self,
                 BatonEvent     *event)
{
  switch (baton_event_get_kind (event))
    {
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

/* A signal, not an action: the page is taken out of the window and put back as the role
 * changes. */
static void
add_clicked_cb (BatonFlowsPage *self)
{
  if (self->client)
    open_editor (self, NULL);
}

static void
baton_flows_page_dispose (GObject *object)
{
  BatonFlowsPage *self = BATON_FLOWS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_pointer (&self->flows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), BATON_TYPE_FLOWS_PAGE);

  G_OBJECT_CLASS (baton_flows_page_parent_class)->dispose (object);
}

static void
baton_flows_page_class_init (BatonFlowsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = baton_flows_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/baton/Baton/ui/baton-flows-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BatonFlowsPage, list);
  gtk_widget_class_bind_template_callback (widget_class, add_clicked_cb);
}

static void
baton_flows_page_init (BatonFlowsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  baton_list_box_set_placeholder_text (self->list, _("No routing flows yet"));
}

void
baton_flows_page_set_client (BatonFlowsPage *self,
                             BatonClient    *client)
{
  g_return_if_fail (BATON_IS_FLOWS_PAGE (self));
  g_return_if_fail (client == NULL || BATON_IS_CLIENT (client));

  if (self->client)
    {
      g_signal_handlers_disconnect_by_data (self->client, self);
      g_signal_handlers_disconnect_by_data (baton_client_get_directory (self->client), self);
    }
  if (!g_set_object (&self->client, client))
    return;
  if (client)
    {
      g_signal_connect_object (client, "event", G_CALLBACK (client_event_cb), self,
                               G_CONNECT_SWAPPED);
      /* the triggers name channels */
      g_signal_connect_object (baton_client_get_directory (client), "changed",
                               G_CALLBACK (show_flows), self, G_CONNECT_SWAPPED);
    }
  reload (self);
}
