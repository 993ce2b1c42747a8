/* test-ui-teams.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-application.h"
#include "baton-team-editor.h"
#include "baton-teams-dialog.h"
#include "baton-test-server.h"
#include "baton-test-ui.h"

/* The managers' teams dialog against a real batond: create a team through the editor, reorder
 * its members, see the server's 422 on the row it names, change the strategy, delete with
 * the confirmation; the list follows other managers' changes live; only managers get the
 * app.teams action. */

#define TIMEOUT_MS 10000

static BatonTestServer *server;
static BatonClient *manager;
static char *ana_id;
static char *ben_id;
static char *chloe_id;

/* Widget lookup ---------------------------------------------------------------------------- */


static gboolean
has_title (GtkWidget     *widget,
           gconstpointer  data)
{
  return ADW_IS_PREFERENCES_ROW (widget)
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

static gboolean
has_title_outside_popovers (GtkWidget     *widget,
                            gconstpointer  data)
{
  return has_title (widget, data) && gtk_widget_get_ancestor (widget, GTK_TYPE_POPOVER) == NULL;
}

/* The row a person reads that title on (the picker's rows do not count). */
static GtkWidget *
find_row (GtkWidget  *root,
          const char *title)
{
  return baton_test_ui_find (root, has_title_outside_popovers, title);
}

static gboolean
has_action (GtkWidget     *widget,
            gconstpointer  data)
{
  return GTK_IS_BUTTON (widget)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), data) == 0;
}

static gboolean
has_tooltip (GtkWidget     *widget,
             gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_widget_get_tooltip_text (widget), data) == 0;
}

static void
click (GtkWidget            *root,
       BatonTestWidgetMatch  match,
       const char           *what)
{
  GtkWidget *button = baton_test_ui_find (root, match, what);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  /* As a click does; gtk_widget_activate would click only after a delay. */
  g_signal_emit_by_name (button, "clicked");
}

/* The open question (AdwMessageDialog), if any. */
static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  AdwMessageDialog *found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window))
        found = ADW_MESSAGE_DIALOG (window);
    }
  return found;
}

/* Escape as the window's shortcuts see it. */
static void
press_escape (GtkWidget *window)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (window);
  g_autoptr(GtkShortcutTrigger) escape = gtk_keyval_trigger_new (GDK_KEY_Escape, 0);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      for (guint j = 0; GTK_IS_SHORTCUT_CONTROLLER (controller)
                        && j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), escape))
            {
              g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0,
                                                           window,
                                                           gtk_shortcut_get_arguments (shortcut)));
              return;
            }
        }
    }
  g_assert_not_reached ();
}

/* The dialog's parts ------------------------------------------------------------------------ */

typedef struct {
  BatonTeamsDialog *dialog;
  GtkWidget *parent;
  BatonTeamEditor *editor;
  GtkWidget *editor_page;
  AdwLeaflet *leaflet;
} Fixture;

static void
open_dialog (Fixture *fixture)
{
  fixture->parent = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->parent), 900, 700);
  gtk_window_present (GTK_WINDOW (fixture->parent));
  fixture->dialog = baton_teams_dialog_new (GTK_WINDOW (fixture->parent), manager);
  gtk_window_present (GTK_WINDOW (fixture->dialog));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (fixture->dialog)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (fixture->dialog))
                 == GTK_WINDOW (fixture->parent));
  fixture->editor = BATON_TEAM_EDITOR (baton_test_ui_find_type (GTK_WIDGET (fixture->dialog),
                                                  BATON_TYPE_TEAM_EDITOR));
  g_assert_nonnull (fixture->editor);
  fixture->editor_page = gtk_widget_get_parent (GTK_WIDGET (fixture->editor));
  fixture->leaflet = ADW_LEAFLET (baton_test_ui_find_type (GTK_WIDGET (fixture->dialog), ADW_TYPE_LEAFLET));
  g_assert_nonnull (fixture->leaflet);
}

static void
close_dialog (Fixture *fixture)
{
  gtk_window_destroy (GTK_WINDOW (fixture->dialog));
  gtk_window_destroy (GTK_WINDOW (fixture->parent));
}

static gboolean
on_editor (Fixture *fixture)
{
  return adw_leaflet_get_visible_child (fixture->leaflet) == fixture->editor_page;
}

typedef struct {
  Fixture *fixture;
  const char *title;
} RowWanted;

/* A row of the team list (not of the editor). */
static GtkWidget *
team_row (Fixture    *fixture,
          const char *name)
{
  GtkWidget *list_page = gtk_widget_get_ancestor (GTK_WIDGET (fixture->editor_page),
                                                  ADW_TYPE_LEAFLET);

  g_assert_nonnull (list_page);
  for (GtkWidget *child = gtk_widget_get_first_child (list_page); child;
       child = gtk_widget_get_next_sibling (child))
    if (child != fixture->editor_page)
      {
        GtkWidget *row = find_row (child, name);

        if (row)
          return row;
      }
  return NULL;
}

static gboolean
team_listed (gpointer user_data)
{
  RowWanted *wanted = user_data;

  return team_row (wanted->fixture, wanted->title) != NULL;
}

static gboolean
team_unlisted (gpointer user_data)
{
  return !team_listed (user_data);
}

static void
wait_for_team_row (Fixture    *fixture,
                   const char *name,
                   gboolean    listed)
{
  RowWanted wanted = { fixture, name };

  baton_test_ui_wait_until (listed ? team_listed : team_unlisted, &wanted, TIMEOUT_MS,
                            listed ? "a team in the list" : "a team gone from the list");
}

static void
open_team (Fixture    *fixture,
           const char *name)
{
  wait_for_team_row (fixture, name, TRUE);
  gtk_widget_activate (team_row (fixture, name));
  g_assert_true (on_editor (fixture));
}

static GtkWidget *
editor_row (Fixture    *fixture,
            const char *title)
{
  GtkWidget *row = find_row (GTK_WIDGET (fixture->editor), title);

  g_assert_nonnull (row);
  return row;
}

typedef struct {
  GtkWidget *popover;
  const char *name;
  GtkMenuButton *button;
} Candidate;

static gboolean
candidate_shown (gpointer user_data)
{
  Candidate *candidate = user_data;

  /* A popup asked for while the button was not mapped yet (a page sliding in) does
   * nothing: ask again. */
  if (candidate->button && !gtk_widget_get_visible (candidate->popover)
      && gtk_widget_get_mapped (GTK_WIDGET (candidate->button)))
    gtk_menu_button_popup (candidate->button);
  return baton_test_ui_find (candidate->popover, has_title, candidate->name) != NULL;
}

/* Picks an agent in the "Add Member" popover (filled once the agents are in). */
static void
add_member (Fixture    *fixture,
            const char *name)
{
  GtkMenuButton *button = GTK_MENU_BUTTON (baton_test_ui_find_type (GTK_WIDGET (fixture->editor),
                                                      GTK_TYPE_MENU_BUTTON));
  Candidate candidate = { GTK_WIDGET (gtk_menu_button_get_popover (button)), name, button };

  gtk_menu_button_popup (button);
  baton_test_ui_wait_until (candidate_shown, &candidate, TIMEOUT_MS, "the member picker");
  gtk_widget_activate (baton_test_ui_find (candidate.popover, has_title, name));
  g_assert_false (gtk_widget_get_visible (candidate.popover));
  g_assert_nonnull (find_row (GTK_WIDGET (fixture->editor), name));
}

static gboolean
save_done (gpointer user_data)
{
  Fixture *fixture = user_data;

  return !baton_team_editor_get_busy (fixture->editor);
}

static void
save (Fixture *fixture)
{
  click (GTK_WIDGET (fixture->dialog), has_action, "teams.save");
  g_assert_true (baton_team_editor_get_busy (fixture->editor));
  baton_test_ui_wait_until (save_done, fixture, TIMEOUT_MS, "the save");
}

/* Server state ------------------------------------------------------------------------------ */

static JsonNode *
find_team_on_server (const char *name)
{
  g_autoptr(JsonNode) page = baton_test_expect (server, "GET", "/api/v1/teams",
                                                server->manager_token, NULL, 200, NULL);
  JsonArray *items = json_object_get_array_member (json_node_get_object (page), "items");

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *team = json_array_get_element (items, i);

      if (g_strcmp0 (baton_test_get_string (team, "name"), name) == 0)
        return json_node_copy (team);
    }
  return NULL;
}

static void
assert_members (JsonNode   *team,
                const char *first,
                ...)
{
  JsonArray *members = json_object_get_array_member (json_node_get_object (team), "member_ids");
  guint count = 0;
  va_list args;

  va_start (args, first);
  for (const char *id = first; id; id = va_arg (args, const char *), count++)
    {
      g_assert_cmpuint (count, <, json_array_get_length (members));
      g_assert_cmpstr (json_array_get_string_element (members, count), ==, id);
    }
  va_end (args);
  g_assert_cmpuint (json_array_get_length (members), ==, count);
}

static gboolean
is_null (JsonNode   *team,
         const char *member)
{
  JsonNode *value = json_object_get_member (json_node_get_object (team), member);

  g_assert_nonnull (value);
  return JSON_NODE_HOLDS_NULL (value);
}

static char *
create_team_by_api (const char *name)
{
  g_autofree char *body = baton_test_strdup_printf_json (
    "{\"name\":%s,\"member_ids\":[%s,%s],\"strategy\":\"least_busy\"}", name, ben_id, ana_id);
  g_autoptr(JsonNode) team = baton_test_expect (server, "POST", "/api/v1/teams",
                                                server->manager_token, body, 201, NULL);

  return g_strdup (baton_test_get_string (team, "id"));
}

/* Tests ------------------------------------------------------------------------------------- */

static void
test_edit (void)
{
  Fixture fixture = { NULL };
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) reordered = NULL;
  g_autoptr(JsonNode) unchanged = NULL;
  g_autoptr(JsonNode) round_robin = NULL;
  g_autofree char *path = NULL;
  GtkWidget *default_user_row = NULL;
  GtkWidget *reassign_row = NULL;
  GtkWidget *max_active_row = NULL;
  GtkWidget *message_dialog = NULL;
  const char *team_id = NULL;

  open_dialog (&fixture);

  /* Create: name and three members, appended in the order picked. */
  click (GTK_WIDGET (fixture.dialog), has_action, "teams.new");
  g_assert_true (on_editor (&fixture));
  gtk_editable_set_text (GTK_EDITABLE (editor_row (&fixture, "Name")), "Billing");
  add_member (&fixture, "Ana Lima");
  add_member (&fixture, "Ben Ode");
  add_member (&fixture, "Chloé Martin");
  /* Round robin: reassignment is offered, default and backup user are not. */
  g_assert_true (gtk_widget_get_visible (editor_row (&fixture, "Reassign If No Reply")));
  g_assert_false (gtk_widget_get_visible (editor_row (&fixture, "Default User")));
  g_assert_false (gtk_widget_get_visible (editor_row (&fixture, "Backup User")));
  save (&fixture);
  g_assert_false (on_editor (&fixture));
  wait_for_team_row (&fixture, "Billing", TRUE);
  created = find_team_on_server ("Billing");
  g_assert_nonnull (created);
  assert_members (created, ana_id, ben_id, chloe_id, NULL);
  g_assert_cmpstr (baton_test_get_string (created, "strategy"), ==, "round_robin");
  g_assert_true (baton_test_get_bool (created, "only_online"));
  g_assert_true (is_null (created, "reassign_after_minutes"));
  g_assert_true (is_null (created, "max_active_per_agent"));
  g_assert_true (is_null (created, "default_user_id"));
  team_id = baton_test_get_string (created, "id");
  path = g_strdup_printf ("/api/v1/teams/%s", team_id);

  /* Reorder: Chloé up, then Ana down: Chloé, Ana, Ben. */
  open_team (&fixture, "Billing");
  g_assert_cmpstr (baton_team_editor_get_team_id (fixture.editor), ==, team_id);
  click (editor_row (&fixture, "Chloé Martin"), has_tooltip, "Move Up");
  click (editor_row (&fixture, "Ana Lima"), has_tooltip, "Move Down");
  /* The first member cannot move up, the last cannot move down. */
  g_assert_false (gtk_widget_get_sensitive (baton_test_ui_find (editor_row (&fixture, "Chloé Martin"),
                                                         has_tooltip, "Move Up")));
  g_assert_false (gtk_widget_get_sensitive (baton_test_ui_find (editor_row (&fixture, "Ben Ode"),
                                                         has_tooltip, "Move Down")));
  save (&fixture);
  reordered = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  assert_members (reordered, chloe_id, ana_id, ben_id, NULL);

  /* default_user without a default user: the server's 422 lands on that row, nothing saved. */
  open_team (&fixture, "Billing");
  adw_combo_row_set_selected (ADW_COMBO_ROW (editor_row (&fixture, "Strategy")),
                              BATON_STRATEGY_DEFAULT_USER);
  default_user_row = editor_row (&fixture, "Default User");
  g_assert_true (gtk_widget_get_visible (default_user_row));
  g_assert_true (gtk_widget_get_visible (editor_row (&fixture, "Backup User")));
  g_assert_false (gtk_widget_get_visible (editor_row (&fixture, "Reassign If No Reply")));
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (default_user_row)), ==, 0);
  save (&fixture);
  g_assert_true (on_editor (&fixture));
  g_assert_true (gtk_widget_has_css_class (default_user_row, "error"));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (default_user_row)), ==,
                   "Choose a default user among the team’s members.");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (default_user_row), ==,
                   "Choose a default user among the team’s members.");
  g_assert_false (gtk_widget_has_css_class (editor_row (&fixture, "Name"), "error"));
  unchanged = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (unchanged, "strategy"), ==, "round_robin");
  g_assert_cmpstr (baton_test_get_string (unchanged, "updated_at"), ==,
                   baton_test_get_string (reordered, "updated_at"));

  /* Back to round robin with reassignment after 10 minutes, at most 3 active, anyone. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (editor_row (&fixture, "Strategy")),
                              BATON_STRATEGY_ROUND_ROBIN);
  reassign_row = editor_row (&fixture, "Reassign If No Reply");
  g_assert_true (gtk_widget_get_visible (reassign_row));
  g_assert_false (gtk_widget_get_visible (default_user_row));
  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (reassign_row), TRUE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (baton_test_ui_find_type (reassign_row, GTK_TYPE_SPIN_BUTTON)), 10);
  max_active_row = editor_row (&fixture, "Limit Active Conversations");
  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (max_active_row), TRUE);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (baton_test_ui_find_type (max_active_row, GTK_TYPE_SPIN_BUTTON)), 3);
  gtk_switch_set_active (GTK_SWITCH (baton_test_ui_find_type (editor_row (&fixture, "Only Online Members"),
                                                GTK_TYPE_SWITCH)), FALSE);
  save (&fixture);
  g_assert_false (on_editor (&fixture));
  g_assert_false (gtk_widget_has_css_class (default_user_row, "error"));
  round_robin = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (round_robin, "strategy"), ==, "round_robin");
  g_assert_cmpint (baton_test_get_int (round_robin, "reassign_after_minutes"), ==, 10);
  g_assert_cmpint (baton_test_get_int (round_robin, "max_active_per_agent"), ==, 3);
  g_assert_false (baton_test_get_bool (round_robin, "only_online"));
  g_assert_true (is_null (round_robin, "default_user_id"));
  assert_members (round_robin, chloe_id, ana_id, ben_id, NULL);

  /* Delete: the confirmation comes first; "Cancel" keeps the team, "Delete" removes it. */
  open_team (&fixture, "Billing");
  click (GTK_WIDGET (fixture.editor), has_action, "editor.delete");
  message_dialog = GTK_WIDGET (find_message_dialog ());
  g_assert_nonnull (message_dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (message_dialog))
                 == GTK_WINDOW (fixture.dialog));
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (message_dialog)), ==,
                   "Delete Team?");
  g_assert_true (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (message_dialog), "delete"));
  g_assert_false (baton_team_editor_get_busy (fixture.editor));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (message_dialog), "delete");
  gtk_window_destroy (GTK_WINDOW (message_dialog));
  g_assert_true (baton_team_editor_get_busy (fixture.editor));
  baton_test_ui_wait_until (save_done, &fixture, TIMEOUT_MS, "the deletion");
  g_assert_false (on_editor (&fixture));
  wait_for_team_row (&fixture, "Billing", FALSE);
  g_clear_pointer (&created, json_node_unref);
  created = baton_test_expect (server, "GET", path, server->manager_token, NULL, 404,
                               "not_found");

  close_dialog (&fixture);
}

/* Deleting asks first: cancelling keeps the team. */
static void
test_delete_cancelled (void)
{
  Fixture fixture = { NULL };
  g_autofree char *team_id = create_team_by_api ("Returns");
  g_autofree char *path = g_strdup_printf ("/api/v1/teams/%s", team_id);
  g_autoptr(JsonNode) kept = NULL;
  AdwMessageDialog *message_dialog = NULL;

  open_dialog (&fixture);
  open_team (&fixture, "Returns");
  gtk_widget_activate_action (GTK_WIDGET (fixture.editor), "editor.delete", NULL);
  message_dialog = find_message_dialog ();
  g_assert_nonnull (message_dialog);
  adw_message_dialog_response (message_dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (message_dialog));
  g_assert_false (baton_team_editor_get_busy (fixture.editor));
  g_assert_true (on_editor (&fixture));
  kept = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  baton_test_expect (server, "DELETE", path, server->manager_token, NULL, 204, NULL);
  close_dialog (&fixture);
}

static guint
count_teams_on_server (void)
{
  g_autoptr(JsonNode) page = baton_test_expect (server, "GET", "/api/v1/teams",
                                                server->manager_token, NULL, 200, NULL);

  return json_array_get_length (json_object_get_array_member (json_node_get_object (page),
                                                              "items"));
}

/* The question asked before unsaved edits are dropped: answers it with response. */
static void
answer_discard (Fixture    *fixture,
                const char *heading,
                const char *response)
{
  AdwMessageDialog *question = find_message_dialog ();

  g_assert_nonnull (question);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (question))
                 == GTK_WINDOW (fixture->dialog));
  g_assert_cmpstr (adw_message_dialog_get_heading (question), ==, heading);
  g_assert_true (adw_message_dialog_has_response (question, "discard"));
  g_assert_true (adw_message_dialog_has_response (question, "keep"));
  /* Escape or closing the question keeps the edits. */
  g_assert_cmpstr (adw_message_dialog_get_close_response (question), ==, "keep");
  /* Held: "Discard" on closing may take the question along with the window. */
  g_object_ref (question);
  adw_message_dialog_response (question, response);
  gtk_window_destroy (GTK_WINDOW (question));
  g_object_unref (question);
}

/* Escape on a new team with something entered asks before dropping it; an empty one goes
 * back at once. */
static void
test_discard_new (void)
{
  Fixture fixture = { NULL };
  guint teams_before = count_teams_on_server ();
  GtkWidget *name_row = NULL;

  open_dialog (&fixture);
  click (GTK_WIDGET (fixture.dialog), has_action, "teams.new");
  press_escape (GTK_WIDGET (fixture.dialog));
  g_assert_null (find_message_dialog ());
  g_assert_false (on_editor (&fixture));

  click (GTK_WIDGET (fixture.dialog), has_action, "teams.new");
  name_row = editor_row (&fixture, "Name");
  gtk_editable_set_text (GTK_EDITABLE (name_row), "Escalations");
  add_member (&fixture, "Ana Lima");
  press_escape (GTK_WIDGET (fixture.dialog));
  g_assert_true (on_editor (&fixture));
  answer_discard (&fixture, "Discard the New Team?", "keep");
  g_assert_true (on_editor (&fixture));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, "Escalations");
  g_assert_nonnull (find_row (GTK_WIDGET (fixture.editor), "Ana Lima"));

  press_escape (GTK_WIDGET (fixture.dialog));
  answer_discard (&fixture, "Discard the New Team?", "discard");
  g_assert_false (on_editor (&fixture));
  g_assert_cmpuint (count_teams_on_server (), ==, teams_before);
  /* The next new team starts empty. */
  click (GTK_WIDGET (fixture.dialog), has_action, "teams.new");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, "");
  g_assert_null (find_row (GTK_WIDGET (fixture.editor), "Ana Lima"));
  close_dialog (&fixture);
}

/* Unsaved changes to a team: Escape and closing the window ask first. */
static void
test_discard_changes (void)
{
  Fixture fixture = { NULL };
  g_autofree char *team_id = create_team_by_api ("Refunds");
  g_autofree char *path = g_strdup_printf ("/api/v1/teams/%s", team_id);
  g_autoptr(JsonNode) kept = NULL;
  AdwComboRow *strategy_row = NULL;
  GtkWidget *dialog = NULL;

  open_dialog (&fixture);
  /* No swipe or back button around the question. */
  g_assert_false (adw_leaflet_get_can_navigate_back (fixture.leaflet));
  /* Unchanged: back at once. */
  open_team (&fixture, "Refunds");
  press_escape (GTK_WIDGET (fixture.dialog));
  g_assert_null (find_message_dialog ());
  g_assert_false (on_editor (&fixture));

  open_team (&fixture, "Refunds");
  strategy_row = ADW_COMBO_ROW (editor_row (&fixture, "Strategy"));
  adw_combo_row_set_selected (strategy_row, BATON_STRATEGY_ROUND_ROBIN);
  press_escape (GTK_WIDGET (fixture.dialog));
  answer_discard (&fixture, "Discard Changes?", "keep");
  g_assert_true (on_editor (&fixture));
  g_assert_cmpuint (adw_combo_row_get_selected (strategy_row), ==, BATON_STRATEGY_ROUND_ROBIN);

  /* Closing the window asks too. */
  dialog = GTK_WIDGET (fixture.dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  gtk_window_close (GTK_WINDOW (fixture.dialog));
  answer_discard (&fixture, "Discard Changes?", "keep");
  g_assert_nonnull (dialog);
  g_assert_true (gtk_widget_get_visible (dialog));
  g_assert_true (on_editor (&fixture));

  press_escape (GTK_WIDGET (fixture.dialog));
  answer_discard (&fixture, "Discard Changes?", "discard");
  g_assert_false (on_editor (&fixture));
  kept = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  g_assert_cmpstr (baton_test_get_string (kept, "strategy"), ==, "least_busy");
  open_team (&fixture, "Refunds");
  g_assert_cmpuint (adw_combo_row_get_selected (strategy_row), ==, BATON_STRATEGY_LEAST_BUSY);

  adw_combo_row_set_selected (strategy_row, BATON_STRATEGY_ROUND_ROBIN);
  gtk_window_close (GTK_WINDOW (fixture.dialog));
  answer_discard (&fixture, "Discard Changes?", "discard");
  g_assert_null (dialog);
  gtk_window_destroy (GTK_WINDOW (fixture.parent));
  baton_test_expect (server, "DELETE", path, server->manager_token, NULL, 204, NULL);
}

/* A new team without a name: the server's 422 (field "name") shows on the name row. */
static void
test_name_required (void)
{
  Fixture fixture = { NULL };
  guint teams_before = count_teams_on_server ();
  GtkWidget *name_row = NULL;
  const char *message = NULL;

  open_dialog (&fixture);
  click (GTK_WIDGET (fixture.dialog), has_action, "teams.new");
  add_member (&fixture, "Ben Ode");
  name_row = editor_row (&fixture, "Name");
  gtk_editable_set_text (GTK_EDITABLE (name_row), "   ");
  save (&fixture);
  g_assert_true (on_editor (&fixture));
  g_assert_true (gtk_widget_has_css_class (name_row, "error"));
  message = gtk_widget_get_tooltip_text (name_row);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "name"));
  g_assert_cmpuint (count_teams_on_server (), ==, teams_before);

  /* Still blank, it stays red; as soon as the name is valid, before saving, it is not. */
  gtk_editable_set_text (GTK_EDITABLE (name_row), " ");
  g_assert_true (gtk_widget_has_css_class (name_row, "error"));
  g_assert_nonnull (gtk_widget_get_tooltip_text (name_row));
  gtk_editable_set_text (GTK_EDITABLE (name_row), "Night Shift");
  g_assert_false (gtk_widget_has_css_class (name_row, "error"));
  g_assert_null (gtk_widget_get_tooltip_text (name_row));
  /* Fixed, it saves. */
  save (&fixture);
  g_assert_false (on_editor (&fixture));
  g_assert_false (gtk_widget_has_css_class (name_row, "error"));
  g_assert_null (gtk_widget_get_tooltip_text (name_row));
  g_assert_cmpuint (count_teams_on_server (), ==, teams_before + 1);
  {
    g_autoptr(JsonNode) team = find_team_on_server ("Night Shift");
    g_autofree char *path = NULL;

    g_assert_nonnull (team);
    assert_members (team, ben_id, NULL);
    path = g_strdup_printf ("/api/v1/teams/%s", baton_test_get_string (team, "id"));
    g_clear_pointer (&team, json_node_unref);
    team = baton_test_expect (server, "DELETE", path, server->manager_token, NULL, 204, NULL);
  }
  close_dialog (&fixture);
}

static gboolean
has_group_title (GtkWidget     *widget,
                 gconstpointer  data)
{
  return ADW_IS_PREFERENCES_GROUP (widget)
         && g_strcmp0 (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (widget)), data) == 0;
}

/* The help under the strategy, the members and "Only Online Members" is the chosen
 * strategy's. */
static void
test_strategy_help (void)
{
  static const struct {
    BatonStrategy strategy;
    const char *strategy_help;
    const char *members_help;
    const char *only_online_help;
  } expected[] = {
    { BATON_STRATEGY_DEFAULT_USER, "One member takes every conversation",
      "The default and backup user are chosen among these members.",
      "Hold conversations while neither the default nor the backup user is online" },
    { BATON_STRATEGY_LEAST_BUSY, "The member with the fewest active conversations gets the next one",
      "Least busy hands each conversation to the member with the fewest active ones.",
      "Skip members who are away or offline" },
    { BATON_STRATEGY_ROUND_ROBIN, "Members take turns, in the order of the list",
      "Round robin hands out conversations in this order.",
      "Skip members who are away or offline" },
  };
  Fixture fixture = { NULL };
  AdwPreferencesGroup *members = NULL;
  GtkWidget *strategy_row = NULL;
  GtkWidget *only_online_row = NULL;

  open_dialog (&fixture);
  click (GTK_WIDGET (fixture.dialog), has_action, "teams.new");
  members = ADW_PREFERENCES_GROUP (baton_test_ui_find (GTK_WIDGET (fixture.editor),
                                                       has_group_title, "Members"));
  g_assert_nonnull (members);
  strategy_row = editor_row (&fixture, "Strategy");
  only_online_row = editor_row (&fixture, "Only Online Members");
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      adw_combo_row_set_selected (ADW_COMBO_ROW (strategy_row), expected[i].strategy);
      g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (strategy_row)), ==,
                       expected[i].strategy_help);
      g_assert_cmpstr (adw_preferences_group_get_description (members), ==,
                       expected[i].members_help);
      g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (only_online_row)), ==,
                       expected[i].only_online_help);
    }
  close_dialog (&fixture);
}

typedef struct {
  Fixture *fixture;
  const char *title;
  const char *subtitle;
} RowText;

static gboolean
row_shows (gpointer user_data)
{
  RowText *text = user_data;
  GtkWidget *row = team_row (text->fixture, text->title);

  return row && g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                           text->subtitle) == 0;
}

static gboolean
back_on_list (gpointer user_data)
{
  return !on_editor (user_data);
}

/* Another manager's changes show up without a reload. */
static void
test_live (void)
{
  Fixture fixture = { NULL };
  g_autofree char *team_id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  RowText created = { &fixture, "Wholesale", "Least busy · 2 members" };
  RowText renamed = { &fixture, "Wholesale EU", "Default user · 3 members" };
  g_autoptr(JsonNode) updated = NULL;

  open_dialog (&fixture);
  baton_test_ui_wait_until (back_on_list, &fixture, TIMEOUT_MS, "the list");
  team_id = create_team_by_api ("Wholesale");
  path = g_strdup_printf ("/api/v1/teams/%s", team_id);
  baton_test_ui_wait_until (row_shows, &created, TIMEOUT_MS, "the new team");

  body = baton_test_strdup_printf_json ("{\"name\":\"Wholesale EU\",\"member_ids\":[%s,%s,%s],"
                                        "\"strategy\":\"default_user\",\"default_user_id\":%s}",
                                        ana_id, ben_id, chloe_id, ben_id);
  updated = baton_test_expect (server, "PATCH", path, server->manager_token, body, 200, NULL);
  baton_test_ui_wait_until (row_shows, &renamed, TIMEOUT_MS, "the renamed team");
  wait_for_team_row (&fixture, "Wholesale", FALSE);

  /* The team open in the editor is deleted elsewhere: back to the list. */
  open_team (&fixture, "Wholesale EU");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (editor_row (&fixture,
                                                                           "Default User"))),
                    ==, 2);
  baton_test_expect (server, "DELETE", path, server->manager_token, NULL, 204, NULL);
  baton_test_ui_wait_until (back_on_list, &fixture, TIMEOUT_MS, "the way back to the list");
  wait_for_team_row (&fixture, "Wholesale EU", FALSE);
  close_dialog (&fixture);
}

static gboolean
has_list_page (GtkWidget     *widget,
               gconstpointer  data)
{
  return GTK_IS_STACK (widget) && gtk_stack_get_child_by_name (GTK_STACK (widget), "list");
}

/* Loaded, and no page sliding in or out. */
static gboolean
settled (gpointer user_data)
{
  Fixture *fixture = user_data;
  GtkStack *list_stack = GTK_STACK (baton_test_ui_find (GTK_WIDGET (fixture->dialog), has_list_page,
                                                 NULL));

  return g_strcmp0 (gtk_stack_get_visible_child_name (list_stack), "list") == 0
         && !gtk_stack_get_transition_running (list_stack)
         && !adw_leaflet_get_child_transition_running (fixture->leaflet);
}

static void
screenshot (Fixture    *fixture,
            const char *name,
            const char *suffix)
{
  g_autofree char *file = g_strdup_printf ("teams-dialog-%s%s", name, suffix);

  baton_test_ui_wait_until (settled, fixture, TIMEOUT_MS, "the dialog to settle");
  baton_test_ui_screenshot (GTK_WIDGET (fixture->dialog), file);
}

static void
take_screenshots (const char *suffix)
{
  Fixture fixture = { NULL };
  Candidate candidate = { NULL, "Dev Patel" };
  g_autofree char *picker_file = NULL;
  g_autofree char *question_file = NULL;
  AdwMessageDialog *question = NULL;
  GtkMenuButton *picker = NULL;
  GtkScrolledWindow *scrolled = NULL;
  GtkAdjustment *adjustment = NULL;

  open_dialog (&fixture);
  wait_for_team_row (&fixture, "Front Desk", TRUE);
  wait_for_team_row (&fixture, "VIP Customers", TRUE);
  screenshot (&fixture, "list", suffix);
  baton_test_ui_assert_named (GTK_WIDGET (fixture.dialog), "the teams dialog");
  open_team (&fixture, "Front Desk");
  screenshot (&fixture, "editor", suffix);
  baton_test_ui_assert_named (GTK_WIDGET (fixture.dialog), "the team editor");
  /* The help texts follow the strategy (default user: the "error" picture below). */
  adw_combo_row_set_selected (ADW_COMBO_ROW (editor_row (&fixture, "Strategy")),
                              BATON_STRATEGY_LEAST_BUSY);
  screenshot (&fixture, "least-busy", suffix);
  picker = GTK_MENU_BUTTON (baton_test_ui_find_type (GTK_WIDGET (fixture.editor), GTK_TYPE_MENU_BUTTON));
  candidate.popover = GTK_WIDGET (gtk_menu_button_get_popover (picker));
  candidate.button = picker;
  gtk_menu_button_popup (picker);
  baton_test_ui_wait_until (candidate_shown, &candidate, TIMEOUT_MS, "the member picker");
  picker_file = g_strdup_printf ("teams-dialog-picker%s", suffix);
  baton_test_ui_screenshot (candidate.popover, picker_file);
  gtk_menu_button_popdown (picker);
  adw_combo_row_set_selected (ADW_COMBO_ROW (editor_row (&fixture, "Strategy")),
                              BATON_STRATEGY_DEFAULT_USER);
  save (&fixture);
  g_assert_true (gtk_widget_has_css_class (editor_row (&fixture, "Default User"), "error"));
  screenshot (&fixture, "error", suffix);
  /* Escape with the unsaved strategy asks first. */
  press_escape (GTK_WIDGET (fixture.dialog));
  question = find_message_dialog ();
  g_assert_nonnull (question);
  question_file = g_strdup_printf ("teams-dialog-discard%s", suffix);
  baton_test_ui_screenshot (GTK_WIDGET (question), question_file);
  answer_discard (&fixture, "Discard Changes?", "keep");
  /* A blank name is refused; typing a valid one takes the red away at once. */
  gtk_editable_set_text (GTK_EDITABLE (editor_row (&fixture, "Name")), "");
  save (&fixture);
  g_assert_true (gtk_widget_has_css_class (editor_row (&fixture, "Name"), "error"));
  screenshot (&fixture, "name-error", suffix);
  gtk_editable_set_text (GTK_EDITABLE (editor_row (&fixture, "Name")), "Front Desk");
  g_assert_false (gtk_widget_has_css_class (editor_row (&fixture, "Name"), "error"));
  screenshot (&fixture, "name-fixed", suffix);
  /* The end of the form (Delete), 800 px wide. */
  gtk_window_set_default_size (GTK_WINDOW (fixture.dialog), 800, 680);
  scrolled = GTK_SCROLLED_WINDOW (baton_test_ui_find_type (GTK_WIDGET (fixture.editor),
                                             GTK_TYPE_SCROLLED_WINDOW));
  adjustment = gtk_scrolled_window_get_vadjustment (scrolled);
  screenshot (&fixture, "editor-wide", suffix);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  screenshot (&fixture, "editor-end", suffix);
  close_dialog (&fixture);
}

static void
test_screenshots (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autofree char *front_desk = NULL;
  g_autofree char *vip = NULL;
  g_autofree char *body = baton_test_strdup_printf_json (
    "{\"name\":\"Front Desk\",\"member_ids\":[%s,%s,%s],\"strategy\":\"round_robin\","
    "\"reassign_after_minutes\":15,\"max_active_per_agent\":4}", ana_id, ben_id, chloe_id);
  g_autoptr(JsonNode) team = baton_test_expect (server, "POST", "/api/v1/teams",
                                                server->manager_token, body, 201, NULL);
  g_autofree char *path = g_strdup_printf ("/api/v1/teams/%s", baton_test_get_string (team, "id"));
  g_autofree char *vip_path = NULL;

  vip = create_team_by_api ("VIP Customers");
  vip_path = g_strdup_printf ("/api/v1/teams/%s", vip);
  take_screenshots ("");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  take_screenshots ("-dark");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  baton_test_expect (server, "DELETE", path, server->manager_token, NULL, 204, NULL);
  baton_test_expect (server, "DELETE", vip_path, server->manager_token, NULL, 204, NULL);
}

/* app.teams: on for a manager, off for an agent; it opens the dialog. */
static BatonClient *
sign_in (const char *email)
{
  return baton_test_ui_log_in (server->url, email, BATON_TEST_PASSWORD);
}

static BatonTeamsDialog *
find_teams_dialog (void)
{
  return (BatonTeamsDialog *) baton_test_ui_find_window_of_type (BATON_TYPE_TEAMS_DIALOG);
}

static void
test_manager_only (void)
{
  g_autoptr(BatonApplication) app = baton_application_new ();
  g_autoptr(BatonClient) agent = sign_in ("ana@example.com");
  g_autoptr(BatonClient) boss = sign_in (BATON_TEST_MANAGER_EMAIL);
  g_autoptr(GError) error = NULL;
  BatonTeamsDialog *dialog = NULL;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "teams"));

  baton_application_sign_in (app, agent, "ana@example.com");
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "teams"));
  g_action_group_activate_action (G_ACTION_GROUP (app), "teams", NULL);
  g_assert_null (find_teams_dialog ());

  baton_application_sign_in (app, boss, BATON_TEST_MANAGER_EMAIL);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "teams"));
  g_action_group_activate_action (G_ACTION_GROUP (app), "teams", NULL);
  dialog = find_teams_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog))
                 == gtk_application_get_active_window (GTK_APPLICATION (app)));
  gtk_window_destroy (GTK_WINDOW (dialog));

  baton_application_sign_out (app);
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "teams"));
  gtk_window_destroy (gtk_application_get_active_window (GTK_APPLICATION (app)));
}

static gboolean
stream_online (gpointer user_data)
{
  return baton_client_get_state (user_data) == BATON_CLIENT_STATE_ONLINE;
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    return 77;
  adw_init ();
  server = baton_test_server_new (NULL);
  ana_id = baton_test_create_agent (server, "Ana Lima", "ana@example.com", "agent", NULL);
  ben_id = baton_test_create_agent (server, "Ben Ode", "ben@example.com", "agent", NULL);
  chloe_id = baton_test_create_agent (server, "Chloé Martin", "chloe@example.com", "agent", NULL);
  baton_test_create_agent (server, "Dev Patel", "dev@example.com", "agent", NULL);
  manager = sign_in (BATON_TEST_MANAGER_EMAIL);
  baton_client_start_stream (manager);
  /* The first connect starts live: be on the stream before changing things by API. */
  baton_test_ui_wait_until (stream_online, manager, TIMEOUT_MS, "the event stream");

  g_test_add_func ("/ui/teams/edit", test_edit);
  g_test_add_func ("/ui/teams/delete-cancelled", test_delete_cancelled);
  g_test_add_func ("/ui/teams/discard-new", test_discard_new);
  g_test_add_func ("/ui/teams/discard-changes", test_discard_changes);
  g_test_add_func ("/ui/teams/name-required", test_name_required);
  g_test_add_func ("/ui/teams/strategy-help", test_strategy_help);
  g_test_add_func ("/ui/teams/live", test_live);
  g_test_add_func ("/ui/teams/screenshots", test_screenshots);
  g_test_add_func ("/ui/teams/manager-only", test_manager_only);

  status = g_test_run ();
  baton_client_stop_stream (manager);
  g_clear_object (&manager);
  baton_test_server_free (server);
  return status;
}
