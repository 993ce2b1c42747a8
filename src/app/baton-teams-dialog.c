/* baton-teams-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-teams-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "baton-describe.h"
#include "baton-directory.h"
#include "baton-flow-summary.h"
#include "baton-team-editor.h"
#include "baton-teams-dialog.h"
#include "baton-toast.h"
#include "baton-widget-util.h"

struct _BatonTeamsDialog
{
  AdwWindow parent_instance;

  /* template widgets */
  AdwToastOverlay *toasts;
  AdwLeaflet *leaflet;
  GtkWidget *list_page;
  GtkStack *list_stack;
  AdwStatusPage *error_page;
  GtkListBox *team_list;
  GtkWidget *editor_page;
  AdwWindowTitle *editor_title;
  GtkButton *save_button;

  /* borrowed: a child of editor_page */
  BatonTeamEditor *editor;

  /* borrowed: the client's */
  BatonDirectory *directory;

  /* owned */
  BatonClient *client;
  GListStore *team_ids;       /* GtkStringObject ids, sorted by team name */
  GHashTable *teams;          /* id → BatonTeam */

  /* state */
  gboolean loaded;
};

enum {
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (BatonTeamsDialog, baton_teams_dialog, ADW_TYPE_WINDOW)

static void
show_toast (BatonTeamsDialog *self,
            const char       *message)
{
  adw_toast_overlay_add_toast (self->toasts, baton_toast_new (message));
}

static GtkWidget *
create_team_row (gpointer item,
                 gpointer user_data)
{
  BatonTeamsDialog *self = BATON_TEAMS_DIALOG (user_data);
  const char *team_id = gtk_string_object_get_string (GTK_STRING_OBJECT (item));
  BatonTeam *team = g_hash_table_lookup (self->teams, team_id);
  guint members = team && team->member_ids ? g_strv_length (team->member_ids) : 0;
  g_autofree char *count = g_strdup_printf (ngettext ("%u member", "%u members", members),
                                               members);
  /* TRANSLATORS: a team's strategy and member count, e.g. "Round robin · 3 members" */
  g_autofree char *subtitle = g_strdup_printf (_("%s · %s"),
                                               baton_strategy_label (team ? team->strategy : 0),
                                               count);
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), team ? team->name : team_id);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "team-id", g_strdup (team_id), g_free);
  return row;
}

static int
compare_teams (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  BatonTeamsDialog *self = BATON_TEAMS_DIALOG (user_data);
  const char *first_id = gtk_string_object_get_string (GTK_STRING_OBJECT ((gpointer) a));
  const char *second_id = gtk_string_object_get_string (GTK_STRING_OBJECT ((gpointer) b));
  BatonTeam *first = g_hash_table_lookup (self->teams, first_id);
  BatonTeam *second = g_hash_table_lookup (self->teams, second_id);
  g_autofree char *first_key = g_utf8_casefold (first && first->name ? first->name : "", -1);
  g_autofree char *second_key = g_utf8_casefold (second && second->name ? second->name : "", -1);
  int order = g_utf8_collate (first_key, second_key);

  return order != 0 ? order : g_strcmp0 (first_id, second_id);
}

static void
update_list_page (BatonTeamsDialog *self)
{
  if (!self->loaded)
    return;
  gtk_stack_set_visible_child_name (self->list_stack,
                                    g_list_model_get_n_items (G_LIST_MODEL (self->team_ids)) > 0
                                    ? "list" : "empty");
}

static gboolean
find_team (BatonTeamsDialog *self,
           const char       *team_id,
           guint            *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->team_ids));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (G_LIST_MODEL (self->team_ids), i);

      if (g_str_equal (gtk_string_object_get_string (item), team_id))
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
remove_team (BatonTeamsDialog *self,
             const char       *team_id)
{
  guint position = 0;

  if (find_team (self, team_id, &position))
    g_list_store_remove (self->team_ids, position);
  g_hash_table_remove (self->teams, team_id);
  update_list_page (self);
}

/* Adds or replaces a team; its row moves to where its (maybe new) name sorts. */
static void
upsert_team (BatonTeamsDialog *self,
             BatonTeam        *team)
{
  g_autoptr(GtkStringObject) item = gtk_string_object_new (team->id);
  guint position = 0;

  if (find_team (self, team->id, &position))
    g_list_store_remove (self->team_ids, position);
  g_hash_table_replace (self->teams, g_strdup (team->id), baton_team_ref (team));
  g_list_store_insert_sorted (self->team_ids, item, compare_teams, self);
  update_list_page (self);
}

static gboolean
editing (BatonTeamsDialog *self,
         const char       *team_id)
{
  return adw_leaflet_get_visible_child (self->leaflet) == self->editor_page
         && g_strcmp0 (baton_team_editor_get_team_id (self->editor), team_id) == 0;
}

static void
show_editor (BatonTeamsDialog *self,
             BatonTeam        *team)
{
  baton_team_editor_set_team (self->editor, team);
  adw_window_title_set_title (self->editor_title, team ? team->name : _("New Team"));
  gtk_button_set_label (self->save_button, team ? _("_Save") : _("_Create"));
  adw_leaflet_set_visible_child (self->leaflet, self->editor_page);
}

static void
show_list (BatonTeamsDialog *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->list_page);
}

/* The teams shown are the client's directory's; a team saved here shows at once, before
 * its event. */
static void
directory_changed_cb (BatonTeamsDialog *self)
{
  GListModel *teams = baton_directory_get_teams (self->directory);
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer id = NULL;

  if (!baton_directory_get_loaded (self->directory))
    return;
  self->loaded = TRUE;
  g_hash_table_iter_init (&iter, self->teams);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    if (baton_directory_lookup_team (self->directory, id) == NULL)
      g_ptr_array_add (gone, g_strdup (id));
  for (guint i = 0; i < gone->len; i++)
    remove_team (self, gone->pdata[i]);
  for (guint i = 0; i < g_list_model_get_n_items (teams); i++)
    {
      g_autoptr(BatonDirectoryEntry) entry = g_list_model_get_item (teams, i);
      BatonTeam *team = baton_directory_entry_get_team (entry);
      BatonTeam *shown = g_hash_table_lookup (self->teams, team->id);

      if (shown != team)
        upsert_team (self, team);
    }
  update_list_page (self);
}

static void
directory_failed_cb (BatonTeamsDialog *self,
                     GError           *error)
{
  if (self->loaded)
    return;
  adw_status_page_set_description (self->error_page, baton_describe_error (error));
  gtk_stack_set_visible_child_name (self->list_stack, "error");
}

static void
load_teams (BatonTeamsDialog *self)
{
  if (!self->loaded)
    gtk_stack_set_visible_child_name (self->list_stack, "loading");
  baton_directory_reload (self->directory);
}

/* Other managers' changes arrive as team.* events: the directory has them already (it
 * heard them first); what is open in the editor follows. */
static void
client_event_cb (BatonTeamsDialog *self,
                 BatonEvent       *event)
{
  BatonEventKind kind = baton_event_get_kind (event);
  const char *team_id = baton_event_get_object_id (event);
  BatonTeam *team = NULL;

  if (team_id == NULL || !editing (self, team_id) || baton_team_editor_get_busy (self->editor))
    return;
  if (kind == BATON_EVENT_TEAM_DELETED)
    {
      /* While our own deletion runs, its answer takes us back. */
      show_list (self);
      show_toast (self, _("Someone else deleted this team."));
    }
  else if (kind == BATON_EVENT_TEAM_UPDATED)
    {
      team = baton_directory_lookup_team (self->directory, team_id);
      /* Unsaved edits win over someone else's change; saving replaces it. */
      if (team && !baton_team_editor_get_modified (self->editor))
        show_editor (self, team);
    }
}

static void
team_activated_cb (BatonTeamsDialog *self,
                   GtkListBoxRow    *row)
{
  const char *team_id = g_object_get_data (G_OBJECT (row), "team-id");
  BatonTeam *team = team_id ? g_hash_table_lookup (self->teams, team_id) : NULL;

  if (team)
    show_editor (self, team);
}

static void
editor_saved_cb (BatonTeamsDialog *self,
                 BatonTeam        *team)
{
  g_autofree char *message = g_strdup_printf (_("Saved “%s”"), team->name);

  upsert_team (self, team);
  show_list (self);
  show_toast (self, message);
}

static void
editor_deleted_cb (BatonTeamsDialog *self,
                   const char       *team_id)
{
  BatonTeam *team = g_hash_table_lookup (self->teams, team_id);
  g_autofree char *message = g_strdup_printf (_("Deleted “%s”"), team ? team->name : "");

  show_list (self);
  show_toast (self, message);
  remove_team (self, team_id);
}

static void
editor_busy_cb (BatonTeamsDialog *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "teams.save",
                                 !baton_team_editor_get_busy (self->editor));
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  show_editor (BATON_TEAMS_DIALOG (widget), NULL);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BatonTeamsDialog *self = BATON_TEAMS_DIALOG (widget);

  if (adw_leaflet_get_visible_child (self->leaflet) == self->editor_page)
    baton_team_editor_save (self->editor);
}

static void
discard_response_cb (BatonTeamsDialog *self,
                     const char       *response,
                     AdwMessageDialog *question)
{
  if (!g_str_equal (response, "discard"))
    return;
  if (g_object_get_data (G_OBJECT (question), "baton-closing"))
    gtk_window_destroy (GTK_WINDOW (self));
  else
    show_list (self);
}

/* Leaving the editor (back to the list, or closing the window) would drop unsaved edits:
 * asks first and returns TRUE; "Discard" then leaves. */
static gboolean
ask_before_discarding (BatonTeamsDialog *self,
                       gboolean          closing)
{
  AdwMessageDialog *question = NULL;
  gboolean new_team = baton_team_editor_get_team_id (self->editor) == NULL;

  if (adw_leaflet_get_visible_child (self->leaflet) != self->editor_page
      || !baton_team_editor_get_modified (self->editor))
    return FALSE;
  question = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                         new_team ? _("Discard the New Team?")
                                                                  : _("Discard Changes?"),
                                                         NULL));
  if (new_team)
    adw_message_dialog_set_body (question, _("It has not been created yet: what you entered "
                                             "will be lost."));
  else
    /* TRANSLATORS: %s is the team's name */
    adw_message_dialog_format_body (question, _("Your changes to “%s” have not been saved."),
                                    adw_window_title_get_title (self->editor_title));
  adw_message_dialog_add_responses (question,
                                    "keep", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (question, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (question, "keep");
  adw_message_dialog_set_close_response (question, "keep");
  /* Closing, the window goes before its question: the question keeps it until it goes
   * too (GTK unhooks a window from its transient parent only then). */
  if (closing)
    g_object_set_data_full (G_OBJECT (question), "baton-closing", g_object_ref (self),
                            g_object_unref);
  g_signal_connect_object (question, "response", G_CALLBACK (discard_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (question));
  return TRUE;
}

/* Back from the editor (asking before unsaved edits are dropped), or close from the list. */
static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BatonTeamsDialog *self = BATON_TEAMS_DIALOG (widget);

  if (adw_leaflet_get_visible_child (self->leaflet) != self->editor_page)
    gtk_window_close (GTK_WINDOW (self));
  else if (!ask_before_discarding (self, FALSE))
    show_list (self);
}

static gboolean
baton_teams_dialog_close_request (GtkWindow *window)
{
  if (ask_before_discarding (BATON_TEAMS_DIALOG (window), TRUE))
    return TRUE;
  return GTK_WINDOW_CLASS (baton_teams_dialog_parent_class)->close_request (window);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  load_teams (BATON_TEAMS_DIALOG (widget));
}

static void
baton_teams_dialog_constructed (GObject *object)
{
  BatonTeamsDialog *self = BATON_TEAMS_DIALOG (object);

  G_OBJECT_CLASS (baton_teams_dialog_parent_class)->constructed (object);

  self->editor = BATON_TEAM_EDITOR (baton_team_editor_new (self->client));
  gtk_box_append (GTK_BOX (self->editor_page), GTK_WIDGET (self->editor));
  g_signal_connect_object (self->editor, "saved", G_CALLBACK (editor_saved_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->editor, "deleted", G_CALLBACK (editor_deleted_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->editor, "notify::busy", G_CALLBACK (editor_busy_cb), self,
                           G_CONNECT_SWAPPED);
  /* Made before the event handler is connected, the directory hears events first. */
  self->directory = baton_client_get_directory (self->client);
  g_signal_connect_object (self->client, "event", G_CALLBACK (client_event_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->directory, "changed", G_CALLBACK (directory_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->directory, "load-failed", G_CALLBACK (directory_failed_cb),
                           self, G_CONNECT_SWAPPED);
  if (baton_directory_get_loaded (self->directory))
    directory_changed_cb (self);
  else
    gtk_stack_set_visible_child_name (self->list_stack, "loading");
}

static void
baton_teams_dialog_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  BatonTeamsDialog *self = BATON_TEAMS_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
baton_teams_dialog_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  BatonTeamsDialog *self = BATON_TEAMS_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
baton_teams_dialog_dispose (GObject *object)
{
  BatonTeamsDialog *self = BATON_TEAMS_DIALOG (object);

  if (self->team_list)
    gtk_list_box_bind_model (self->team_list, NULL, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), BATON_TYPE_TEAMS_DIALOG);
  self->editor = NULL;
  g_clear_object (&self->team_ids);
  g_clear_pointer (&self->teams, g_hash_table_unref);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (baton_teams_dialog_parent_class)->dispose (object);
}

static void
baton_teams_dialog_class_init (BatonTeamsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = baton_teams_dialog_constructed;
  object_class->get_property = baton_teams_dialog_get_property;
  object_class->set_property = baton_teams_dialog_set_property;
  object_class->dispose = baton_teams_dialog_dispose;
  window_class->close_request = baton_teams_dialog_close_request;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, BATON_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/baton/Baton/ui/baton-teams-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, BatonTeamsDialog, toasts);
  gtk_widget_class_bind_template_child (widget_class, BatonTeamsDialog, leaflet);
  gtk_widget_class_bind_template_child (widget_class, BatonTeamsDialog, list_page);
  gtk_widget_class_bind_template_child (widget_class, BatonTeamsDialog, list_stack);
  gtk_widget_class_bind_template_child (widget_class, BatonTeamsDialog, error_page);
  gtk_widget_class_bind_template_child (widget_class, BatonTeamsDialog, team_list);
  gtk_widget_class_bind_template_child (widget_class, BatonTeamsDialog, editor_page);
  gtk_widget_class_bind_template_child (widget_class, BatonTeamsDialog, editor_title);
  gtk_widget_class_bind_template_child (widget_class, BatonTeamsDialog, save_button);
  gtk_widget_class_bind_template_callback (widget_class, team_activated_cb);

  gtk_widget_class_install_action (widget_class, "teams.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "teams.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "teams.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "teams.reload", NULL, reload_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "teams.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "teams.save", NULL);
}

static void
baton_teams_dialog_init (BatonTeamsDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->teams = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) baton_team_unref);
  self->team_ids = g_list_store_new (GTK_TYPE_STRING_OBJECT);
  gtk_list_box_bind_model (self->team_list, G_LIST_MODEL (self->team_ids), create_team_row,
                           self, NULL);
}

BatonTeamsDialog *
baton_teams_dialog_new (GtkWindow   *parent,
                        BatonClient *client)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (BATON_IS_CLIENT (client), NULL);

  return g_object_new (BATON_TYPE_TEAMS_DIALOG,
                       "transient-for", parent,
                       "client", client,
                       NULL);
}
