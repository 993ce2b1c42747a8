/* baton-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-window"

#include "config.h"

#include <glib/gi18n.h>

#include "baton-application.h"
#include "baton-assignment-sidebar.h"
#include "baton-conversation-view.h"
#include "baton-describe.h"
#include "baton-directory.h"
#include "baton-inbox.h"
#include "baton-inbox-row.h"
#include "baton-login-page.h"
#include "baton-notifier.h"
#include "baton-seen-tracker.h"
#include "baton-window.h"
#include "baton-toast.h"

struct _BatonWindow
{
  AdwApplicationWindow parent_instance;

  /* template widgets */
  GtkStack *stack;
  BatonLoginPage *login_page;
  AdwLeaflet *leaflet;
  AdwToastOverlay *toasts;
  GtkDropDown *scope_dropdown;
  GtkDropDown *status_dropdown;
  GtkDropDown *team_dropdown;
  GtkMenuButton *agents_button;
  GtkListBox *agents_list;
  GtkSearchEntry *search_entry;
  GtkListView *list_view;
  GtkStack *list_stack;
  GtkLabel *connection_label;
  GtkMenuButton *availability_button;
  /* "win.availability": the agent's availability as the server has it (a radio menu) */
  GSimpleAction *availability_action;
  BatonConversationView *conversation_view;
  GtkRevealer *sidebar_revealer;
  GtkWidget *sidebar_separator;
  BatonAssignmentSidebar *sidebar;
  GtkRevealer *new_pill_revealer;

  /* owned */
  BatonClient *client;
  BatonInbox *inbox;
  GtkSingleSelection *selection;
  GHashTable *agent_names;
  GHashTable *team_names;
  GSignalGroup *client_signals;
  GSignalGroup *directory_signals;
  char *open_conversation_id;
  /* the team drop-down's ids, in its order after "All teams" */
  GPtrArray *team_ids;
  /* the agents picked in the agents filter */
  GHashTable *picked_agents;
  BatonSeenTracker *seen_tracker;
  /* BatonInboxRow: rows of list items GTK let go, for the next ones (setup_row_cb) */
  GPtrArray *spare_rows;

  /* state */
  gboolean seen_online;
  gboolean sidebar_wanted;
  guint fold_id;
  /* the inbox list was scrolled to its top before its last change */
  gboolean list_at_top;
};

G_DEFINE_FINAL_TYPE (BatonWindow, baton_window, ADW_TYPE_APPLICATION_WINDOW)

static void filters_changed_cb (BatonWindow *self);
static void apply_filters      (BatonWindow *self);

static const char *status_filters[] = { "new,in_progress", "new", "in_progress", "resolved", NULL };

/* A filter's name with its unread conversations, when there are any: "Mine · 2". */
static char *
with_unread (const char           *name,
             const BatonOpenCount *count)
{
  if (count == NULL || count->unread <= 0)
    return g_strdup (name);
  return g_strdup_printf ("%s · %" G_GINT64_FORMAT, name, count->unread);
}

static BatonConversationCounts *
counts (BatonWindow *self)
{
  return self->inbox ? baton_inbox_get_counts (self->inbox) : NULL;
}

static void
update_connection (BatonWindow *self)
{
  const char *text = "";

  switch (self->client ? baton_client_get_state (self->client) : BATON_CLIENT_STATE_OFFLINE)
    {
    case BATON_CLIENT_STATE_ONLINE:
      text = "";
      /* The stream's first connect starts live: what happened between the first page and
       * it is read again once. Later reconnects resume without a gap. */
      if (!self->seen_online && self->inbox)
        baton_inbox_reload (self->inbox);
      self->seen_online = TRUE;
      break;
    case BATON_CLIENT_STATE_CONNECTING:
      text = _("Connecting…");
      break;
    case BATON_CLIENT_STATE_OFFLINE:
      text = _("Offline");
      break;
    case BATON_CLIENT_STATE_AUTH_FAILED:
      text = _("Signed out");
      break;
    default:
      break;
    }
  gtk_label_set_label (self->connection_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->connection_label), *text != '\0');
}

static void
update_availability (BatonWindow *self)
{
  BatonAgent *me = self->client ? baton_client_get_me (self->client) : NULL;
  const char *icon = "user-offline-symbolic";

  if (me && me->availability == BATON_AVAILABILITY_ONLINE)
    icon = "user-available-symbolic";
  else if (me && me->availability == BATON_AVAILABILITY_AWAY)
    icon = "user-away-symbolic";
  gtk_menu_button_set_icon_name (self->availability_button, icon);
  g_simple_action_set_state (self->availability_action,
                             g_variant_new_string (baton_availability_to_string (
                               me ? me->availability : BATON_AVAILABILITY_OFFLINE)));
}

static void
update_list_page (BatonWindow *self)
{
  guint n = self->inbox ? g_list_model_get_n_items (G_LIST_MODEL (self->inbox)) : 0;

  if (n > 0)
    gtk_stack_set_visible_child_name (self->list_stack, "list");
  else if (self->inbox && baton_inbox_get_loading (self->inbox))
    gtk_stack_set_visible_child_name (self->list_stack, "loading");
  else
    gtk_stack_set_visible_child_name (self->list_stack, "empty");
}

static int
compare_names (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  GHashTable *names = user_data;

  return g_utf8_collate (g_hash_table_lookup (names, *(const char * const *) a),
                         g_hash_table_lookup (names, *(const char * const *) b));
}

/* Ids of a names table, sorted by name. */
static GPtrArray *
sorted_ids (GHashTable *names)
{
  GPtrArray *ids = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer id;

  g_hash_table_iter_init (&iter, names);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    g_ptr_array_add (ids, id);
  g_ptr_array_sort_with_data (ids, compare_names, names);
  return ids;
}

/* The team filter: "All teams", then the teams by name; the selection follows its id. */
static void
rebuild_team_filter (BatonWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->team_dropdown);
  g_autofree char *selected_id = selected > 0 && selected <= self->team_ids->len
                                 ? g_strdup (self->team_ids->pdata[selected - 1]) : NULL;
  g_autoptr(GPtrArray) ids = sorted_ids (self->team_names);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint reselect = 0;

  gtk_string_list_append (names, _("All teams"));
  g_ptr_array_set_size (self->team_ids, 0);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *name = with_unread (g_hash_table_lookup (self->team_names, ids->pdata[i]),
                                           counts (self)
                                           ? baton_conversation_counts_get_team (counts (self),
                                                                                 ids->pdata[i])
                                           : NULL);

      gtk_string_list_append (names, name);
      g_ptr_array_add (self->team_ids, g_strdup (ids->pdata[i]));
      if (g_strcmp0 (selected_id, ids->pdata[i]) == 0)
        reselect = i + 1;
    }
  g_signal_handlers_block_by_func (self->team_dropdown, filters_changed_cb, self);
  gtk_drop_down_set_model (self->team_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->team_dropdown, reselect);
  g_signal_handlers_unblock_by_func (self->team_dropdown, filters_changed_cb, self);
}

/* The scope filter: Mine, Unassigned and All, each with its unread conversations. */
static void
rebuild_scope_filter (BatonWindow *self)
{
  BatonConversationCounts *all = counts (self);
  guint selected = gtk_drop_down_get_selected (self->scope_dropdown);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *mine = with_unread (_("Mine"), all ? &all->mine : NULL);
  g_autofree char *unassigned = with_unread (_("Unassigned"), all ? &all->unassigned : NULL);
  g_autofree char *everyone = with_unread (_("All"), all ? &all->all : NULL);

  gtk_string_list_append (names, mine);
  gtk_string_list_append (names, unassigned);
  gtk_string_list_append (names, everyone);
  g_signal_handlers_block_by_func (self->scope_dropdown, filters_changed_cb, self);
  gtk_drop_down_set_model (self->scope_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->scope_dropdown, selected);
  g_signal_handlers_unblock_by_func (self->scope_dropdown, filters_changed_cb, self);
}

static void
counts_changed_cb (BatonWindow *self)
{
  rebuild_scope_filter (self);
  rebuild_team_filter (self);
}

static void
update_agents_label (BatonWindow *self)
{
  guint n = g_hash_table_size (self->picked_agents);
  g_autofree char *label = NULL;

  if (n == 1)
    {
      GHashTableIter iter;
      gpointer id;

      g_hash_table_iter_init (&iter, self->picked_agents);
      g_hash_table_iter_next (&iter, &id, NULL);
      label = g_strdup (g_hash_table_lookup (self->agent_names, id));
    }
  else if (n > 1)
    {
      label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u agent", "%u agents", n), n);
    }
  gtk_menu_button_set_label (self->agents_button, label ? label : _("Any agent"));
}

static void
agent_toggled_cb (GtkCheckButton *check,
                  BatonWindow    *self)
{
  const char *id = g_object_get_data (G_OBJECT (check), "agent-id");

  if (gtk_check_button_get_active (check))
    g_hash_table_add (self->picked_agents, g_strdup (id));
  else
    g_hash_table_remove (self->picked_agents, id);
  update_agents_label (self);
  /* Other agents' conversations are in the whole inbox: the filter looks there. */
  if (g_hash_table_size (self->picked_agents) > 0)
    gtk_drop_down_set_selected (self->scope_dropdown, 2);
  apply_filters (self);
}

/* The agents filter: a check button per agent, by name; picked ones stay picked. */
static void
rebuild_agents_filter (BatonWindow *self)
{
  g_autoptr(GPtrArray) ids = sorted_ids (self->agent_names);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->agents_list))) != NULL)
    gtk_list_box_remove (self->agents_list, child);
  for (guint i = 0; i < ids->len; i++)
    {
      GtkWidget *check = gtk_check_button_new_with_label (g_hash_table_lookup (self->agent_names,
                                                                               ids->pdata[i]));

      g_object_set_data_full (G_OBJECT (check), "agent-id", g_strdup (ids->pdata[i]), g_free);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                   g_hash_table_contains (self->picked_agents, ids->pdata[i]));
      g_signal_connect (check, "toggled", G_CALLBACK (agent_toggled_cb), self);
      gtk_list_box_append (self->agents_list, check);
    }
  update_agents_label (self);
}

static void
apply_team_and_agents (BatonWindow *self)
{
  guint team = gtk_drop_down_get_selected (self->team_dropdown);
  g_autoptr(GPtrArray) agents = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer id;

  baton_inbox_set_team_id (self->inbox, team > 0 && team <= self->team_ids->len
                                        ? self->team_ids->pdata[team - 1] : NULL);
  g_hash_table_iter_init (&iter, self->picked_agents);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    g_ptr_array_add (agents, id);
  g_ptr_array_add (agents, NULL);
  baton_inbox_set_agent_ids (self->inbox, (const char * const *) agents->pdata);
}

static void
apply_filters (BatonWindow *self)
{
  guint scope = gtk_drop_down_get_selected (self->scope_dropdown);
  guint status = gtk_drop_down_get_selected (self->status_dropdown);

  if (self->inbox == NULL)
    return;
  baton_inbox_set_scope (self->inbox, scope == 0 ? BATON_INBOX_MINE
                                      : scope == 1 ? BATON_INBOX_UNASSIGNED : BATON_INBOX_ALL);
  baton_inbox_set_statuses (self->inbox, status < 4 ? status_filters[status] : NULL);
  baton_inbox_set_search (self->inbox, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  apply_team_and_agents (self);
}

static void
filters_changed_cb (BatonWindow *self)
{
  apply_filters (self);
}

/* Fills names (id → name) from a directory list. */
static void
fill_names (GHashTable *names,
            GListModel *entries)
{
  g_hash_table_remove_all (names);
  for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
    {
      g_autoptr(BatonDirectoryEntry) entry = g_list_model_get_item (entries, i);
      const char *name = baton_directory_entry_get_name (entry);

      if (name)
        g_hash_table_insert (names, g_strdup (baton_directory_entry_get_id (entry)),
                             g_strdup (name));
    }
}

/* The names rows and filters show follow the client's directory; a removed agent or team
 * leaves the filters. */
static void
directory_changed_cb (BatonWindow    *self,
                      BatonDirectory *directory)
{
  guint team = gtk_drop_down_get_selected (self->team_dropdown);
  gboolean team_gone = team > 0 && team <= self->team_ids->len
                       && !baton_directory_lookup_team (directory, self->team_ids->pdata[team - 1]);
  gboolean agent_gone = FALSE;
  GHashTableIter iter;
  gpointer id = NULL;

  fill_names (self->agent_names, baton_directory_get_agents (directory));
  fill_names (self->team_names, baton_directory_get_teams (directory));
  g_hash_table_iter_init (&iter, self->picked_agents);
  while (baton_directory_get_loaded (directory) && g_hash_table_iter_next (&iter, &id, NULL))
    if (!g_hash_table_contains (self->agent_names, id))
      {
        g_hash_table_iter_remove (&iter);
        agent_gone = TRUE;
      }
  rebuild_team_filter (self);
  rebuild_agents_filter (self);
  if (team_gone || agent_gone)
    apply_filters (self);
}

/* GTK 4.8's list makes a list item for each new item shown and drops those of the items
 * gone: a filter switch made 50 rows and destroyed 50, some 1 ms each with their styles
 * (tests/bench/bench-inbox). A row let go waits here to show the next item. Each list item
 * keeps its row: GTK has taken it off by the time it tears the list item down. */
#define MAX_SPARE_ROWS 200

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              BatonWindow              *self)
{
  GtkWidget *row = NULL;

  if (self->spare_rows && self->spare_rows->len > 0)
    row = g_ptr_array_steal_index_fast (self->spare_rows, self->spare_rows->len - 1);
  else
    row = g_object_ref_sink (g_object_new (BATON_TYPE_INBOX_ROW, NULL));
  gtk_list_item_set_child (list_item, row);
  g_object_set_data_full (G_OBJECT (list_item), "baton-row", row, g_object_unref);
}

static void
teardown_row_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 BatonWindow              *self)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (list_item), "baton-row");

  if (row == NULL || self->spare_rows == NULL || self->spare_rows->len >= MAX_SPARE_ROWS)
    return;
  if (gtk_list_item_get_child (list_item) == row)
    gtk_list_item_set_child (list_item, NULL);
  g_ptr_array_add (self->spare_rows, g_object_ref (row));
  g_object_set_data (G_OBJECT (list_item), "baton-row", NULL);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             BatonWindow              *self)
{
  BatonInboxRow *row = BATON_INBOX_ROW (gtk_list_item_get_child (list_item));

  baton_inbox_row_set_names (row, self->agent_names, self->team_names);
  baton_inbox_row_set_inbox (row, self->inbox);
  baton_inbox_row_set_item (row, gtk_list_item_get_item (list_item));
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               BatonWindow              *self)
{
  baton_inbox_row_set_item (BATON_INBOX_ROW (gtk_list_item_get_child (list_item)), NULL);
}

static void
row_activated_cb (BatonWindow *self,
                  guint        position)
{
  g_autoptr(BatonInboxItem) item = g_list_model_get_item (G_LIST_MODEL (self->inbox), position);

  if (item)
    baton_window_open_conversation (self, baton_inbox_item_get_id (item));
}

static void
inbox_changed_cb (BatonWindow *self)
{
  update_list_page (self);
}

/* The highlighted row is the open conversation's, or none when the list does not show it:
 * after the list changes (a new message moves rows, a handover takes it out or brings it
 * back, a filter reloads) and when it is opened from elsewhere (a notification). */
static void
select_open_conversation (BatonWindow *self)
{
  BatonInboxItem *open = NULL;
  guint position = GTK_INVALID_LIST_POSITION;
  guint n = 0;

  if (self->selection == NULL)
    return;
  open = self->open_conversation_id ? baton_inbox_lookup (self->inbox, self->open_conversation_id)
                                    : NULL;
  if (open && gtk_single_selection_get_selected_item (self->selection) == open)
    return;
  n = open ? g_list_model_get_n_items (G_LIST_MODEL (self->inbox)) : 0;
  for (guint i = 0; i < n && position == GTK_INVALID_LIST_POSITION; i++)
    {
      g_autoptr(BatonInboxItem) item = g_list_model_get_item (G_LIST_MODEL (self->inbox), i);

      if (item == open)
        position = i;
    }
  gtk_single_selection_set_selected (self->selection, position);
}

/* After the selection model has followed the change itself. */
static void
selection_items_changed_cb (BatonWindow *self)
{
  select_open_conversation (self);
}

/* New conversations come in at the top. At the top, the list stays there and shows them;
 * scrolled down, the view stays on what the agent reads and a "New conversations" pill over
 * the list takes them up. */
static void
scroll_list_to_top (BatonWindow *self)
{
  if (self->inbox && g_list_model_get_n_items (G_LIST_MODEL (self->inbox)) > 0)
    gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", 0);
}

static void
list_scrolled_cb (BatonWindow   *self,
                  GtkAdjustment *adjustment)
{
  /* The window's widgets going away. */
  if (self->new_pill_revealer == NULL)
    return;
  self->list_at_top = gtk_adjustment_get_value (adjustment) < 1;
  if (self->list_at_top)
    gtk_revealer_set_reveal_child (self->new_pill_revealer, FALSE);
}

/* After the list view has placed its rows for the change. */
static void
list_items_changed_cb (BatonWindow *self,
                       guint        position,
                       guint        removed,
                       guint        added)
{
  gboolean arrived = position == 0 && removed == 0 && added > 0;

  if (self->new_pill_revealer == NULL)
    return;
  if (self->list_at_top)
    scroll_list_to_top (self);
  else if (arrived)
    gtk_revealer_set_reveal_child (self->new_pill_revealer, TRUE);
  /* A reload (another filter) lists something else: nothing new to point at. */
  if (removed > 0 && position == 0 && added > 0 && removed != added)
    gtk_revealer_set_reveal_child (self->new_pill_revealer, FALSE);
}

static void
new_pill_clicked_cb (BatonWindow *self)
{
  gtk_revealer_set_reveal_child (self->new_pill_revealer, FALSE);
  scroll_list_to_top (self);
}

static void
signed_in_cb (BatonWindow    *self,
              BatonClient    *client,
              const char     *email,
              BatonLoginPage *page)
{
  baton_application_sign_in (BATON_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))),
                             client, email);
}

static void
set_availability_done_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(BatonWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonAgent) agent = baton_client_set_availability_finish (BATON_CLIENT (source),
                                                                      result, &error);

  if (agent == NULL)
    baton_window_show_toast (self, baton_describe_error (error));
  else
    update_availability (self);
}

/* The state changes when the server has the new one (update_availability), so that a refusal
 * leaves the menu showing what is. */
static void
set_availability_action (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  BatonWindow *self = BATON_WINDOW (user_data);
  int availability = baton_availability_from_string (g_variant_get_string (parameter, NULL));

  if (self->client == NULL || availability < 0)
    return;
  baton_client_set_availability_async (self->client, availability, NULL,
                                       set_availability_done_cb, g_object_ref (self));
}

/* "window.toast" (s): how the widgets inside tell the person something. */
static void
toast_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  baton_window_show_toast (BATON_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

/* "window.open-conversation" (s): a widget inside opens a conversation here (the contact
 * card's history) */
static void
open_conversation_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  baton_window_open_conversation (BATON_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
focus_search_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  BatonWindow *self = BATON_WINDOW (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Keyboard: the next or previous conversation of the list (-unread: the next or previous one
 * with unread messages, going round the list), opened as a click on its row does. */
static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BatonWindow *self = BATON_WINDOW (widget);
  GListModel *model = self->selection ? G_LIST_MODEL (self->selection) : NULL;
  guint n = model ? g_list_model_get_n_items (model) : 0;
  gboolean forward = g_str_has_prefix (action_name, "window.next");
  gboolean unread_only = g_str_has_suffix (action_name, "-unread");
  guint from = n ? gtk_single_selection_get_selected (self->selection) : 0;

  for (guint step = 1; step <= n; step++)
    {
      g_autoptr(BatonInboxItem) item = NULL;
      guint position;

      if (from == GTK_INVALID_LIST_POSITION)
        position = forward ? step - 1 : n - step;
      else if (unread_only)
        position = forward ? (from + step) % n : (from + n - step % n) % n;
      else if (forward ? from + step >= n : step > from)
        break;
      else
        position = forward ? from + step : from - step;
      item = g_list_model_get_item (model, position);
      if (unread_only && !baton_inbox_item_get_unread (item))
        continue;
      baton_window_open_conversation (self, baton_inbox_item_get_id (item));
      gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u",
                                  position);
      return;
    }
  gtk_widget_error_bell (widget);
}

/* Keyboard: what the open conversation's panes do, from anywhere in the window. */
static void
forward_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  BatonWindow *self = BATON_WINDOW (widget);
  GtkWidget *target = GTK_WIDGET (self->conversation_view);
  const char *name = NULL;

  if (self->open_conversation_id == NULL)
    {
      gtk_widget_error_bell (widget);
      return;
    }
  if (g_str_equal (action_name, "window.resolve"))
    name = "conversation.resolve";
  else if (g_str_equal (action_name, "window.focus-composer"))
    name = "conversation.focus-composer";
  else
    {
      target = GTK_WIDGET (self->sidebar);
      name = "sidebar.claim";
    }
  if (!gtk_widget_activate_action (target, name, NULL))
    gtk_widget_error_bell (widget);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BatonWindow *self = BATON_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

/* Unfolded, the sidebar sits right of the conversation and its toggle shows or hides it
 * (remembered in sidebar_wanted); folded, each pane takes the whole window and the toggle
 * says whether the sidebar is the pane on screen. */
static void
update_sidebar (BatonWindow *self)
{
  gboolean folded = adw_leaflet_get_folded (self->leaflet);
  gboolean shown = self->sidebar_wanted && self->open_conversation_id != NULL;

  baton_conversation_view_set_folded (self->conversation_view, folded);
  baton_assignment_sidebar_set_folded (self->sidebar, folded);
  /* The leaflet's own children never change visibility (it would snapshot one unallocated):
   * the revealer inside the last one opens and closes instead. */
  gtk_revealer_set_reveal_child (self->sidebar_revealer, folded || shown);
  gtk_widget_set_visible (self->sidebar_separator, !folded);
  g_object_set (self->conversation_view, "show-end-title-buttons", folded || !shown, NULL);
}

static gboolean
sidebar_on_screen (BatonWindow *self)
{
  return adw_leaflet_get_visible_child (self->leaflet) == GTK_WIDGET (self->sidebar_revealer);
}

static void
apply_folded_cb (gpointer user_data)
{
  BatonWindow *self = user_data;

  self->fold_id = 0;
  baton_conversation_view_set_show_sidebar (self->conversation_view,
                                            adw_leaflet_get_folded (self->leaflet)
                                            ? sidebar_on_screen (self) : self->sidebar_wanted);
  update_sidebar (self);
}

/* The leaflet folds while it allocates its children: changing which ones are visible must
 * wait for the allocation to end. */
static void
folded_changed_cb (BatonWindow *self)
{
  if (self->fold_id == 0)
    self->fold_id = g_timeout_add_once (0, apply_folded_cb, self);
}

static void
show_sidebar_changed_cb (BatonWindow *self)
{
  gboolean show = baton_conversation_view_get_show_sidebar (self->conversation_view);

  if (!adw_leaflet_get_folded (self->leaflet))
    {
      self->sidebar_wanted = show;
      update_sidebar (self);
      return;
    }
  if (show != sidebar_on_screen (self))
    adw_leaflet_set_visible_child (self->leaflet,
                                   show ? GTK_WIDGET (self->sidebar_revealer)
                                        : GTK_WIDGET (self->conversation_view));
}

static void
leaflet_child_changed_cb (BatonWindow *self)
{
  if (adw_leaflet_get_folded (self->leaflet))
    baton_conversation_view_set_show_sidebar (self->conversation_view,
                                              sidebar_on_screen (self));
}

static BatonNotifier *
notifier (BatonWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return BATON_IS_APPLICATION (app) ? baton_application_get_notifier (BATON_APPLICATION (app))
                                    : NULL;
}

/* The notifier stays quiet about the conversation on screen while the window is active. */
static void
update_visible_conversation (BatonWindow *self)
{
  BatonNotifier *notifier_ = notifier (self);

  if (notifier_)
    baton_notifier_set_visible_conversation (notifier_,
                                             gtk_window_is_active (GTK_WINDOW (self))
                                             ? self->open_conversation_id : NULL);
}

static void
save_window_size (BatonWindow *self)
{
  BatonApplication *app = BATON_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  GSettings *settings = NULL;
  int width, height;

  if (app == NULL)
    return;
  settings = baton_settings_get_gsettings (baton_application_get_settings (app));
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
  g_settings_set_boolean (settings, "window-maximized", gtk_window_is_maximized (GTK_WINDOW (self)));
}

static gboolean
baton_window_close_request (GtkWindow *window)
{
  save_window_size (BATON_WINDOW (window));

  return GTK_WINDOW_CLASS (baton_window_parent_class)->close_request (window);
}

static void
baton_window_dispose (GObject *object)
{
  BatonWindow *self = BATON_WINDOW (object);

  g_clear_handle_id (&self->fold_id, g_source_remove);
  g_clear_object (&self->client_signals);
  g_clear_object (&self->directory_signals);
  g_clear_object (&self->selection);
  g_clear_object (&self->seen_tracker);
  g_clear_object (&self->inbox);
  g_clear_object (&self->client);
  g_clear_pointer (&self->agent_names, g_hash_table_unref);
  g_clear_pointer (&self->team_names, g_hash_table_unref);
  g_clear_pointer (&self->open_conversation_id, g_free);
  g_clear_pointer (&self->team_ids, g_ptr_array_unref);
  g_clear_pointer (&self->picked_agents, g_hash_table_unref);
  g_clear_object (&self->availability_action);
  /* first: the list's items, torn down with it, keep their rows */
  g_clear_pointer (&self->spare_rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), BATON_TYPE_WINDOW);

  G_OBJECT_CLASS (baton_window_parent_class)->dispose (object);
}

static void
install_keyboard_actions (GtkWidgetClass *widget_class)
{
  const char *steps[] = { "window.next", "window.previous", "window.next-unread",
                          "window.previous-unread" };
  const char *forwarded[] = { "window.resolve", "window.focus-composer",
                              "window.assign-to-me" };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    gtk_widget_class_install_action (widget_class, steps[i], NULL, step_action);
  for (guint i = 0; i < G_N_ELEMENTS (forwarded); i++)
    gtk_widget_class_install_action (widget_class, forwarded[i], NULL, forward_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, GDK_ALT_MASK,
                                       "window.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_CONTROL_MASK,
                                       "window.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_ALT_MASK,
                                       "window.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, GDK_CONTROL_MASK,
                                       "window.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, GDK_ALT_MASK | GDK_SHIFT_MASK,
                                       "window.next-unread", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_ALT_MASK | GDK_SHIFT_MASK,
                                       "window.previous-unread", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "window.resolve", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "window.assign-to-me", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK,
                                       "window.focus-composer", NULL);
}

static void
baton_window_class_init (BatonWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = baton_window_dispose;
  window_class->close_request = baton_window_close_request;

  g_type_ensure (BATON_TYPE_LOGIN_PAGE);
  g_type_ensure (BATON_TYPE_CONVERSATION_VIEW);
  g_type_ensure (BATON_TYPE_ASSIGNMENT_SIDEBAR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/baton/Baton/ui/baton-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BatonWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, BatonWindow, login_page);
  gtk_widget_class_bind_template_child (widget_class, BatonWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, BatonWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, BatonWindow, scope_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BatonWindow, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BatonWindow, team_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BatonWindow, agents_button);
  gtk_widget_class_bind_template_child (widget_class, BatonWindow, agents_list);
  gtk_widget_class_bind_template_child (widget_class, BatonWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, BatonWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, BatonWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, BatonWindow, connection_label);
  gtk_widget_class_bind_template_child (widget_class, BatonWindow, availability_button);
  gtk_widget_class_bind_template_child (widget_class, BatonWindow, conversation_view);
  gtk_widget_class_bind_template_child (widget_class, BatonWindow, sidebar_revealer);
  gtk_widget_class_bind_template_child (widget_class, BatonWindow, sidebar_separator);
  gtk_widget_class_bind_template_child (widget_class, BatonWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, BatonWindow, new_pill_revealer);
  gtk_widget_class_bind_template_callback (widget_class, filters_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, signed_in_cb);
  gtk_widget_class_bind_template_callback (widget_class, new_pill_clicked_cb);

  gtk_widget_class_install_action (widget_class, "window.focus-search", NULL,
                                   focus_search_action);
  gtk_widget_class_install_action (widget_class, "window.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "window.toast", "s", toast_action);
  gtk_widget_class_install_action (widget_class, "window.open-conversation", "s",
                                   open_conversation_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "window.focus-search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "window.back", NULL);
  install_keyboard_actions (widget_class);
}

static void
baton_window_init (BatonWindow *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->availability_action = g_simple_action_new_stateful (
    "availability", G_VARIANT_TYPE_STRING, g_variant_new_string ("offline"));
  g_signal_connect_object (self->availability_action, "change-state",
                           G_CALLBACK (set_availability_action), self, 0);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (self->availability_action));
  self->agent_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->team_ids = g_ptr_array_new_with_free_func (g_free);
  self->picked_agents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->team_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->spare_rows = g_ptr_array_new_with_free_func (g_object_unref);

  self->sidebar_wanted = TRUE;
  baton_conversation_view_set_show_sidebar (self->conversation_view, TRUE);
  g_signal_connect_swapped (self->leaflet, "notify::folded", G_CALLBACK (folded_changed_cb),
                            self);
  g_signal_connect_swapped (self->leaflet, "notify::visible-child",
                            G_CALLBACK (leaflet_child_changed_cb), self);
  g_signal_connect_swapped (self->conversation_view, "notify::show-sidebar",
                            G_CALLBACK (show_sidebar_changed_cb), self);
  g_signal_connect_swapped (self, "notify::is-active", G_CALLBACK (update_visible_conversation),
                            self);
  self->list_at_top = TRUE;
  g_signal_connect_swapped (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->list_view)),
                            "value-changed", G_CALLBACK (list_scrolled_cb), self);
  update_sidebar (self);
  self->seen_tracker = baton_seen_tracker_new (GTK_WINDOW (self), self->leaflet,
                                               self->conversation_view);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  g_signal_connect (factory, "teardown", G_CALLBACK (teardown_row_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);

  self->client_signals = g_signal_group_new (BATON_TYPE_CLIENT);
  g_signal_group_connect_swapped (self->client_signals, "notify::state",
                                  G_CALLBACK (update_connection), self);
  g_signal_group_connect_swapped (self->client_signals, "notify::me",
                                  G_CALLBACK (update_availability), self);
  self->directory_signals = g_signal_group_new (BATON_TYPE_DIRECTORY);
  g_signal_group_connect_swapped (self->directory_signals, "changed",
                                  G_CALLBACK (directory_changed_cb), self);
}

BatonWindow *
baton_window_new (AdwApplication *application)
{
  return g_object_new (BATON_TYPE_WINDOW, "application", application, NULL);
}

void
baton_window_set_client (BatonWindow *self,
                         BatonClient *client)
{
  g_return_if_fail (BATON_IS_WINDOW (self));

  if (!g_set_object (&self->client, client) && client != NULL)
    return;
  g_signal_group_set_target (self->client_signals, client);
  g_signal_group_set_target (self->directory_signals, NULL);
  gtk_list_view_set_model (self->list_view, NULL);
  g_clear_object (&self->selection);
  baton_seen_tracker_set_inbox (self->seen_tracker, NULL);
  g_clear_object (&self->inbox);
  g_clear_pointer (&self->open_conversation_id, g_free);
  self->seen_online = FALSE;
  g_hash_table_remove_all (self->agent_names);
  g_hash_table_remove_all (self->team_names);
  g_hash_table_remove_all (self->picked_agents);
  rebuild_scope_filter (self);
  rebuild_team_filter (self);
  rebuild_agents_filter (self);

  baton_conversation_view_set_client (self->conversation_view, client);
  baton_assignment_sidebar_set_client (self->sidebar, client);
  baton_conversation_view_set_conversation_id (self->conversation_view, NULL);
  baton_assignment_sidebar_set_conversation_id (self->sidebar, NULL);
  update_sidebar (self);
  if (client == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "login");
      return;
    }
  self->inbox = baton_inbox_new (client);
  g_signal_connect_object (self->inbox, "items-changed", G_CALLBACK (inbox_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->inbox, "notify::loading", G_CALLBACK (inbox_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->inbox, "notify::counts", G_CALLBACK (counts_changed_cb), self,
                           G_CONNECT_SWAPPED);
  baton_seen_tracker_set_inbox (self->seen_tracker, self->inbox);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->inbox)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "items-changed",
                           G_CALLBACK (selection_items_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "items-changed", G_CALLBACK (list_items_changed_cb),
                           self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  gtk_revealer_set_reveal_child (self->new_pill_revealer, FALSE);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  /* Agents start with their own conversations, managers with the whole inbox. */
  if (baton_client_get_me (client))
    gtk_drop_down_set_selected (self->scope_dropdown,
                                baton_client_get_me (client)->role == BATON_ROLE_MANAGER ? 2 : 0);
  g_signal_group_set_target (self->directory_signals, baton_client_get_directory (client));
  directory_changed_cb (self, baton_client_get_directory (client));
  apply_filters (self);
  update_connection (self);
  update_availability (self);
  update_list_page (self);
  gtk_stack_set_visible_child_name (self->stack, "main");
}

BatonClient *
baton_window_get_client (BatonWindow *self)
{
  g_return_val_if_fail (BATON_IS_WINDOW (self), NULL);

  return self->client;
}

void
baton_window_open_conversation (BatonWindow *self,
                                const char  *conversation_id)
{
  BatonNotifier *notifier_ = NULL;

  g_return_if_fail (BATON_IS_WINDOW (self));

  g_free (self->open_conversation_id);
  self->open_conversation_id = g_strdup (conversation_id);
  baton_conversation_view_set_conversation_id (self->conversation_view, conversation_id);
  baton_assignment_sidebar_set_conversation_id (self->sidebar, conversation_id);
  /* Opening a conversation answers its notification. */
  notifier_ = notifier (self);
  if (notifier_ && conversation_id)
    baton_notifier_withdraw (notifier_, conversation_id);
  select_open_conversation (self);
  update_visible_conversation (self);
  update_sidebar (self);
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->conversation_view));
}

const char *
baton_window_get_open_conversation_id (BatonWindow *self)
{
  g_return_val_if_fail (BATON_IS_WINDOW (self), NULL);

  return self->open_conversation_id;
}

void
baton_window_show_toast (BatonWindow *self,
                         const char  *message)
{
  g_return_if_fail (BATON_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toasts, baton_toast_new (message));
}

void
baton_window_prefill_login (BatonWindow *self,
                            const char  *server_url,
                            const char  *email)
{
  g_return_if_fail (BATON_IS_WINDOW (self));

  baton_login_page_prefill (self->login_page, server_url, email);
}

void
baton_window_start_demo (BatonWindow     *self,
                         BatonDemoServer *server)
{
  g_return_if_fail (BATON_IS_WINDOW (self));

  baton_login_page_start_demo (self->login_page, server);
}

GListModel *
baton_window_get_inbox (BatonWindow *self)
{
  g_return_val_if_fail (BATON_IS_WINDOW (self), NULL);

  return self->inbox ? G_LIST_MODEL (self->inbox) : NULL;
}
