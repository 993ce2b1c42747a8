/* test-ui-flows.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "baton-flow-editor.h"
#include "baton-flow-step-list.h"
#include "baton-flow-step-page.h"
#include "baton-flow-tester.h"
#include "baton-flows-page.h"
#include "baton-preferences-window.h"
#include "baton-settings.h"
#include "baton-test-helpers.h"
#include "baton-test-server.h"
#include "baton-test-ui.h"

/* Routing flows in the Preferences of a manager against a real batond, built in the app
 * alone: a VIP flow (a condition on the contact's tags, then a least-busy team that tags the
 * conversation) stored exactly so and routing a VIP's new conversation; an after-hours flow
 * (outside business hours, an automatic reply); the order changed by a drop and by the row
 * menu, and a flow disabled, as the server then has them; a team deleted behind the editor's
 * back refused on the step that names it; a flow deleted after the question; one made
 * elsewhere renamed without losing the rest. Run twice: as is, and in French
 * (test-ui-flows-fr). */

#define TIMEOUT_MS 10000

static BatonTestServer *server;
/* "" or "-fr", for the screenshots' names */
static const char *locale_suffix = "";
static BatonSettings *settings;

typedef struct {
  BatonClient *client;
  GtkWidget *preferences;
  GtkWidget *page;
  char *team_id;
  char *schedule_id;
  char *vip_flow;
  char *night_flow;
} Fixture;

static void
screenshot (GtkWidget  *widget,
            const char *name)
{
  g_autofree char *full = g_strconcat (name, locale_suffix, NULL);

  baton_test_ui_screenshot (widget, full);
}

typedef struct {
  GtkWidget *root;
  const char *title;
  gboolean present;
} RowWait;

static gboolean
row_is (gpointer user_data)
{
  RowWait *wait = user_data;

  return (baton_test_ui_find_row (wait->root, wait->title) != NULL) == wait->present;
}

static GtkWidget *
wait_row (GtkWidget  *root,
          const char *title,
          gboolean    present)
{
  RowWait wait = { root, title, present };

  baton_test_ui_wait_until (row_is, &wait, TIMEOUT_MS, title);
  return baton_test_ui_find_row (root, title);
}

static GtkWidget *
row (GtkWidget  *root,
     const char *title)
{
  GtkWidget *found = baton_test_ui_find_row (root, title);

  if (found == NULL)
    g_error ("no row titled %s", title);
  return found;
}

static gboolean
tooltip_is (GtkWidget     *widget,
            gconstpointer  text)
{
  return g_strcmp0 (gtk_widget_get_tooltip_text (widget), text) == 0;
}

static void
click (GtkWidget  *root,
       const char *tooltip)
{
  GtkWidget *button = baton_test_ui_find (root, tooltip_is, tooltip);

  g_assert_nonnull (button);
  /* at once: activating a button clicks it after a moment */
  g_signal_emit_by_name (button, "clicked");
}

/* The step page shown in the editor now. */
static GtkWidget *
top_page (GtkWidget *editor)
{
  GtkStack *stack = GTK_STACK (baton_test_ui_find_type (editor, GTK_TYPE_STACK));
  GtkWidget *page = gtk_stack_get_visible_child (stack);

  g_assert_true (BATON_IS_FLOW_STEP_PAGE (page));
  return page;
}

/* The first step list of root (on a condition's page: its Then). */
static GtkWidget *
step_list (GtkWidget *root)
{
  GtkWidget *list = baton_test_ui_find_type (root, BATON_TYPE_FLOW_STEP_LIST);

  g_assert_nonnull (list);
  return list;
}

static void
add_step (GtkWidget  *list,
          const char *type)
{
  g_assert_true (gtk_widget_activate_action (list, "steps.add", "s", type));
}

static void
select_item (GtkWidget  *combo,
             const char *label)
{
  GListModel *model = adw_combo_row_get_model (ADW_COMBO_ROW (combo));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (model), i), label))
      {
        adw_combo_row_set_selected (ADW_COMBO_ROW (combo), i);
        return;
      }
  g_error ("no item %s", label);
}

static void
set_text (GtkWidget  *root,
          const char *title,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row (root, title)), text);
}

static char *
stored_flow (const char *id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/flows/%s", id);
  g_autoptr(JsonNode) node = baton_test_expect (server, "GET", path, server->manager_token, NULL,
                                                200, NULL);
  JsonObject *object = json_node_get_object (node);

  json_object_remove_member (object, "id");
  json_object_remove_member (object, "created_at");
  json_object_remove_member (object, "updated_at");
  return json_to_string (node, FALSE);
}

static gboolean
is_add_button (GtkWidget     *widget,
               gconstpointer  unused)
{
  return GTK_IS_BUTTON (widget)
         && ADW_IS_BUTTON_CONTENT (gtk_button_get_child (GTK_BUTTON (widget)));
}

static gboolean
named (GtkWidget     *widget,
       gconstpointer  name)
{
  return GTK_IS_LIST_BOX_ROW (widget) && g_strcmp0 (gtk_widget_get_name (widget), name) == 0;
}

static GtkWidget *
open_new_editor (Fixture *fixture)
{
  GtkWidget *editor = NULL;

  g_assert_true (gtk_widget_activate (baton_test_ui_find (fixture->page, is_add_button, NULL)));
  editor = baton_test_ui_wait_toplevel (BATON_TYPE_FLOW_EDITOR, "the flow editor");
  gtk_window_set_default_size (GTK_WINDOW (editor), 800, 720);
  return editor;
}

/* Saves, and returns the id of the row the page then shows. */
static char *
save (GtkWidget  *editor,
      Fixture    *fixture,
      const char *name)
{
  GtkWidget *flow_row = NULL;

  g_assert_true (gtk_widget_activate_action (editor, "flow.save", NULL));
  baton_test_ui_wait_closed (BATON_TYPE_FLOW_EDITOR, "the editor to close");
  flow_row = wait_row (fixture->page, name, TRUE);
  return g_strdup (gtk_widget_get_name (gtk_widget_get_ancestor (flow_row,
                                                                 GTK_TYPE_LIST_BOX_ROW)));
}

/* On a condition's page: one condition on the contact's tags. */
static void
condition_on_tag (GtkWidget *page)
{
  g_autofree char *summary = g_strdup_printf (_("contact tags include %s"), "vip");

  click (page, _("Add Condition"));
  set_text (page, _("Tag"), "vip");
  g_assert_nonnull (row (page, summary));
}

static void
team_step (GtkWidget *editor,
           GtkWidget *condition_page)
{
  GtkWidget *page = NULL;
  GtkWidget *team = NULL;
  g_autofree char *strategy = g_utf8_strdown (_("Least busy"), -1);
  g_autofree char *subtitle = g_strdup_printf (_("Assigns by %s"), strategy);

  add_step (step_list (condition_page), "assign_team");
  page = top_page (editor);
  g_assert_true (page != condition_page);
  team = row (page, _("Team"));
  select_item (team, "Sales");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (team)), ==, subtitle);
  set_text (page, _("Tag the Conversation"), "vip");
  baton_test_ui_assert_named (page, "team step page");
  screenshot (editor, "flow-editor-team");
  g_assert_true (gtk_widget_activate_action (editor, "flow.back", NULL));
}

static gboolean
row_mentions (GtkWidget     *widget,
              gconstpointer  text)
{
  return ADW_IS_PREFERENCES_ROW (widget)
         && strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), text) != NULL;
}

static gboolean
tester_answered (gpointer tester)
{
  return baton_test_ui_find (tester, row_mentions, "Sales") != NULL;
}

/* "Test this flow" on the flow as edited, not saved: a VIP message meets the condition and
 * goes to Sales (its least busy member, or its queue); nothing is saved meanwhile. */
static void
test_draft (GtkWidget *editor)
{
  GtkWidget *tester = NULL;
  g_autofree char *condition = g_strdup_printf (_("contact tags include %s"), "vip");
  g_autofree char *met = g_strdup_printf (_("Condition met: %s → then branch"), condition);

  g_signal_emit_by_name (row (editor, _("Try It on a Sample Message")), "activated");
  tester = baton_test_ui_find_type (editor, BATON_TYPE_FLOW_TESTER);
  g_assert_nonnull (tester);
  g_assert_true (gtk_widget_get_mapped (tester));
  set_text (tester, _("Message"), "Where is my order?");
  set_text (tester, _("Contact Tags, Comma-Separated"), "vip");
  baton_flow_tester_run (BATON_FLOW_TESTER (tester));
  baton_test_ui_wait_until (tester_answered, tester, TIMEOUT_MS, "the test's answer");
  g_assert_nonnull (row (tester, _("Trigger matched: the flow would run")));
  g_assert_nonnull (row (tester, met));
  baton_test_ui_assert_named (editor, "the flow tester in the editor");
  screenshot (editor, "flow-editor-test");
  g_assert_true (gtk_widget_activate_action (editor, "flow.back", NULL));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (baton_test_ui_find_type (
                     editor, GTK_TYPE_STACK))), ==, "main");
}

static void
create_vip_flow (Fixture *fixture)
{
  GtkWidget *editor = open_new_editor (fixture);
  GtkWidget *condition_page = NULL;
  g_autofree char *strategy = g_utf8_strdown (_("Least busy"), -1);
  g_autofree char *team_summary = g_strdup_printf (_("Assign to %s (%s)"), "Sales", strategy);
  g_autofree char *tagged = g_strdup_printf (_("%s and tag %s"), team_summary, "vip");
  g_autofree char *condition = g_strdup_printf (_("contact tags include %s"), "vip");
  g_autofree char *if_summary = g_strdup_printf (_("If %s …"), condition);

  set_text (editor, _("Name"), "VIP customers");
  add_step (step_list (editor), "condition");
  condition_page = top_page (editor);
  condition_on_tag (condition_page);
  team_step (editor, condition_page);
  g_assert_true (top_page (editor) == condition_page);
  g_assert_nonnull (row (condition_page, tagged));
  baton_test_ui_assert_named (condition_page, "condition page");
  screenshot (editor, "flow-editor-condition");
  g_assert_true (gtk_widget_activate_action (editor, "flow.back", NULL));
  g_assert_nonnull (row (editor, if_summary));
  baton_test_ui_assert_named (editor, "flow editor");
  screenshot (editor, "flow-editor");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  screenshot (editor, "flow-editor-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);
  test_draft (editor);
  fixture->vip_flow = save (editor, fixture, "VIP customers");
}

static void
check_vip_flow (Fixture *fixture)
{
  g_autofree char *stored = stored_flow (fixture->vip_flow);
  g_autofree char *expected = g_strdup_printf (
    "{\"name\":\"VIP customers\",\"enabled\":true,\"position\":0,\"trigger\":{\"on\":"
    "\"conversation.created\",\"channel_ids\":null,\"tag\":null},\"steps\":[{\"type\":"
    "\"condition\",\"match\":\"all\",\"conditions\":[{\"field\":\"contact.tags\",\"op\":"
    "\"includes\",\"value\":\"vip\"}],\"then\":[{\"type\":\"assign_team\",\"team_id\":\"%s\","
    "\"conversation_tags\":[\"vip\"],\"contact_tags\":[],\"add_tags\":true}],\"else\":[]}]}",
    fixture->team_id);
  g_autofree char *secret = NULL;
  g_autofree char *other_secret = NULL;
  g_autofree char *channel = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *other = baton_test_create_channel (server, NULL, &other_secret);
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *first = baton_test_customer_writes (server, other, other_secret, phone, NULL,
                                                       "Hello");
  g_autofree char *contact = baton_test_contact_of (server, first);
  g_autofree char *contact_path = g_strdup_printf ("/api/v1/contacts/%s", contact);
  g_autoptr(JsonNode) tagged = baton_test_expect (server, "PATCH", contact_path,
                                                  server->manager_token, "{\"tags\":[\"vip\"]}",
                                                  200, NULL);
  g_autofree char *routed = NULL;
  g_autoptr(JsonNode) conversation = NULL;

  g_assert_cmpstr (stored, ==, expected);
  /* the VIP's new conversation goes to the least busy team, tagged */
  routed = baton_test_customer_writes (server, channel, secret, phone, NULL, "Bonjour");
  conversation = baton_test_get_conversation (server, routed);
  g_assert_cmpstr (baton_test_get_string (conversation, "team_id"), ==, fixture->team_id);
  baton_test_assert_strings (conversation, "tags", "vip", NULL);
}

static void
create_night_flow (Fixture *fixture)
{
  GtkWidget *editor = open_new_editor (fixture);
  GtkWidget *page = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *stored = NULL;

  set_text (editor, _("Name"), "After hours");
  add_step (step_list (editor), "condition");
  page = top_page (editor);
  click (page, _("Add Condition"));
  select_item (row (page, _("Check")), _("Business hours"));
  /* the rows for hours come from an idle */
  wait_row (page, _("Business Hours"), TRUE);
  select_item (row (page, _("Test")), _("outside"));
  wait_row (page, _("Business Hours"), TRUE);
  select_item (row (page, _("Business Hours")), "Office");
  add_step (step_list (page), "send_message");
  set_text (top_page (editor), _("Message"), "We are closed: we answer at 9.");
  g_assert_true (gtk_widget_activate_action (editor, "flow.back", NULL));
  g_assert_true (gtk_widget_activate_action (editor, "flow.back", NULL));
  fixture->night_flow = save (editor, fixture, "After hours");
  stored = stored_flow (fixture->night_flow);
  expected = g_strdup_printf (
    "{\"name\":\"After hours\",\"enabled\":true,\"position\":1,\"trigger\":{\"on\":"
    "\"conversation.created\",\"channel_ids\":null,\"tag\":null},\"steps\":[{\"type\":"
    "\"condition\",\"match\":\"all\",\"conditions\":[{\"field\":\"time\",\"op\":\"outside\","
    "\"value\":\"%s\"}],\"then\":[{\"type\":\"send_message\",\"body\":"
    "\"We are closed: we answer at 9.\"}],\"else\":[]}]}", fixture->schedule_id);
  g_assert_cmpstr (stored, ==, expected);
}

static gint64
stored_position (const char *id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/flows/%s", id);
  g_autoptr(JsonNode) node = baton_test_expect (server, "GET", path, server->manager_token, NULL,
                                                200, NULL);

  return json_object_get_int_member (json_node_get_object (node), "position");
}

typedef struct {
  const char *id;
  gint64 position;
} PositionWait;

static gboolean
position_is (gpointer user_data)
{
  PositionWait *wait = user_data;

  return stored_position (wait->id) == wait->position;
}

static void
wait_position (const char *id,
               gint64      position)
{
  PositionWait wait = { id, position };

  baton_test_ui_wait_until (position_is, &wait, TIMEOUT_MS, "the position on the server");
}


static GtkWidget *
flow_row (Fixture    *fixture,
          const char *id)
{
  GtkWidget *found = baton_test_ui_find (fixture->page, named, id);

  g_assert_nonnull (found);
  return found;
}

/* Drops the row of one flow onto the row of another, as a drag ends. */
static void
drop_onto (Fixture    *fixture,
           const char *dragged,
           const char *target_id)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (flow_row (fixture,
                                                                                target_id));
  GValue value = G_VALUE_INIT;
  gboolean taken = FALSE;

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, dragged);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        g_signal_emit_by_name (controller, "drop", &value, 1.0, 1.0, &taken);
    }
  g_value_unset (&value);
  g_assert_true (taken);
}

static gboolean
is_switch (GtkWidget     *widget,
           gconstpointer  unused)
{
  return GTK_IS_SWITCH (widget);
}

typedef struct {
  const char *id;
  const char *expected;
} EnabledWait;

static gboolean
enabled_is (gpointer user_data)
{
  EnabledWait *wait = user_data;
  g_autofree char *path = g_strdup_printf ("/api/v1/flows/%s", wait->id);
  g_autoptr(JsonNode) node = baton_test_expect (server, "GET", path, server->manager_token, NULL,
                                                200, NULL);
  g_autofree char *enabled = json_to_string (json_object_get_member (json_node_get_object (node),
                                                                     "enabled"), FALSE);

  return g_str_equal (enabled, wait->expected);
}

static gboolean
labelled (GtkWidget     *widget,
          gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)),
                                              label) == 0;
}

/* An item of the row's menu, clicked. */
static void
menu (Fixture    *fixture,
      const char *id,
      const char *label)
{
  GtkWidget *button = baton_test_ui_find_type (flow_row (fixture, id), GTK_TYPE_MENU_BUTTON);
  GtkWidget *popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button)));
  GtkWidget *item = baton_test_ui_find (popover, labelled, label);

  g_assert_nonnull (item);
  g_signal_emit_by_name (item, "clicked");
}

/* The after-hours flow goes first by a drop, back by the menu, first again; then it answers
 * a new conversation (the office never opens) until it is disabled. */
static void
reorder_and_disable (Fixture *fixture)
{
  g_autofree char *secret = NULL;
  g_autofree char *channel = baton_test_create_channel (server, NULL, &secret);
  g_autofree char *phone = baton_test_new_phone ();
  g_autofree char *later_phone = baton_test_new_phone ();
  g_autofree char *answered = NULL;
  g_autofree char *unanswered = NULL;
  g_autoptr(JsonNode) thread = NULL;
  g_autoptr(JsonNode) quiet = NULL;
  EnabledWait disabled = { fixture->night_flow, "false" };

  drop_onto (fixture, fixture->night_flow, fixture->vip_flow);
  wait_position (fixture->night_flow, 0);
  wait_position (fixture->vip_flow, 1);
  g_assert_true (gtk_widget_get_prev_sibling (flow_row (fixture, fixture->night_flow)) == NULL);
  menu (fixture, fixture->night_flow, _("Move _Down"));
  wait_position (fixture->vip_flow, 0);
  wait_position (fixture->night_flow, 1);
  menu (fixture, fixture->night_flow, _("Move _Up"));
  wait_position (fixture->night_flow, 0);
  wait_position (fixture->vip_flow, 1);
  answered = baton_test_customer_writes (server, channel, secret, phone, NULL, "Open?");
  thread = baton_test_get (server, "/api/v1/conversations/%s/messages", answered);
  g_assert_cmpstr (baton_test_get_string (thread, "items.0.body"), ==,
                   "We are closed: we answer at 9.");

  gtk_switch_set_active (GTK_SWITCH (baton_test_ui_find (flow_row (fixture, fixture->night_flow),
                                                         is_switch, NULL)), FALSE);
  baton_test_ui_wait_until (enabled_is, &disabled, TIMEOUT_MS, "the flow disabled");
  unanswered = baton_test_customer_writes (server, channel, secret, later_phone, NULL, "Open?");
  quiet = baton_test_get (server, "/api/v1/conversations/%s/messages", unanswered);
  g_assert_cmpstr (baton_test_get_string (quiet, "items.0.body"), ==, "Open?");
  screenshot (fixture->preferences, "flows-page");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  screenshot (fixture->preferences, "flows-page-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);
}

static gboolean
is_error_label (GtkWidget     *widget,
                gconstpointer  unused)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "error");
}

typedef struct {
  GtkWidget *list;
  const char *path;
} StepWait;

static gboolean
step_in_error (gpointer user_data)
{
  StepWait *wait = user_data;
  GtkWidget *found = baton_test_ui_find (wait->list, named, wait->path);

  return found && gtk_widget_has_css_class (found, "error");
}

/* Waits for the refusal on the row of the step at path (the rows are made again for it). */
static GtkWidget *
wait_step_error (GtkWidget  *list,
                 const char *path)
{
  StepWait wait = { list, path };

  baton_test_ui_wait_until (step_in_error, &wait, TIMEOUT_MS, "the step in error");
  return baton_test_ui_find (list, named, path);
}

/* The team of the VIP flow is deleted while its editor is open: saving is refused on the
 * condition step that holds the team step, and on the team step inside; nothing is lost. */
static void
refused_step (Fixture *fixture)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/teams/%s", fixture->team_id);
  g_autoptr(JsonNode) gone = NULL;
  GtkWidget *editor = NULL;
  GtkWidget *list = NULL;
  GtkWidget *step_row = NULL;
  GtkWidget *page = NULL;
  GtkWidget *nested = NULL;

  click (flow_row (fixture, fixture->vip_flow), _("Edit"));
  editor = baton_test_ui_wait_toplevel (BATON_TYPE_FLOW_EDITOR, "the flow editor");
  gtk_window_set_default_size (GTK_WINDOW (editor), 800, 720);
  gone = baton_test_expect (server, "DELETE", path, server->manager_token, NULL, 204, NULL);
  g_assert_true (gtk_widget_activate_action (editor, "flow.save", NULL));
  list = step_list (editor);
  step_row = wait_step_error (list, "steps[0]");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (step_row)), ==,
                   _("This team no longer exists."));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row (editor, _("Name")))), ==,
                   "VIP customers");
  screenshot (editor, "flow-editor-refused");
  g_assert_true (gtk_widget_activate_action (list, "steps.edit", "i", 0));
  page = top_page (editor);
  nested = baton_test_ui_find (step_list (page), named, "steps[0].then[0]");
  g_assert_nonnull (nested);
  g_assert_true (gtk_widget_has_css_class (nested, "error"));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (nested)), ==,
                   _("This team no longer exists."));
  /* said on the step, not over the condition's page */
  g_assert_false (gtk_widget_get_visible (baton_test_ui_find (page, is_error_label, NULL)));
  screenshot (editor, "flow-editor-refused-step");
  gtk_window_destroy (GTK_WINDOW (editor));
}

/* A pattern that does not compile, in a condition that the step menu moved second: the
 * refusal shows on that step and, on its page, on the condition. */
static void
refused_pattern (Fixture *fixture)
{
  GtkWidget *editor = open_new_editor (fixture);
  GtkWidget *list = step_list (editor);
  GtkWidget *page = NULL;
  GtkWidget *step_row = NULL;
  GtkWidget *condition = NULL;
  const char *message = _("Check this condition’s value: a valid pattern, a tag, hours and "
                          "channels that still exist.");

  set_text (editor, _("Name"), "Prices");
  add_step (list, "condition");
  page = top_page (editor);
  click (page, _("Add Condition"));
  select_item (row (page, _("Check")), _("Message text"));
  wait_row (page, _("Text"), TRUE);
  select_item (row (page, _("Test")), _("matches the pattern"));
  set_text (page, _("Text"), "(price");
  add_step (step_list (page), "close");
  g_assert_true (gtk_widget_activate_action (editor, "flow.back", NULL));
  add_step (list, "close");
  g_assert_true (gtk_widget_activate_action (list, "steps.up", "i", 1));
  g_assert_nonnull (row (list, _("Close the conversation")));
  g_assert_true (gtk_widget_activate_action (editor, "flow.save", NULL));
  step_row = wait_step_error (list, "steps[1]");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (step_row)), ==, message);
  g_assert_false (gtk_widget_has_css_class (baton_test_ui_find (list, named, "steps[0]"),
                                            "error"));
  g_assert_true (gtk_widget_activate_action (list, "steps.edit", "i", 1));
  condition = baton_test_ui_find (top_page (editor), named, "steps[1].conditions[0]");
  g_assert_nonnull (condition);
  g_assert_true (gtk_widget_has_css_class (condition, "error"));
  screenshot (editor, "flow-editor-refused-pattern");
  gtk_window_destroy (GTK_WINDOW (editor));
}

typedef struct {
  GtkWidget *row;
  const char *subtitle;
} SubtitleWait;

static gboolean
subtitle_renamed (gpointer user_data)
{
  SubtitleWait *wait = user_data;
  GtkWidget *found = baton_test_ui_find_row (wait->row, "Web");

  return found && g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (found)),
                             wait->subtitle) == 0;
}

/* A flow's trigger names its channel; renamed, the row says the new name (no flow event). */
static void
channel_renamed (Fixture *fixture)
{
  g_autofree char *channel = baton_test_create (server, "/api/v1/channels",
                                                "{\"kind\":\"api\",\"name\":\"Web shop\"}");
  g_autofree char *body = g_strdup_printf ("{\"name\":\"Web\",\"enabled\":false,\"trigger\":"
                                           "{\"on\":\"message.received\",\"channel_ids\":"
                                           "[\"%s\"]},\"steps\":[]}", channel);
  g_autofree char *flow = baton_test_create (server, "/api/v1/flows", body);
  g_autofree char *path = g_strdup_printf ("/api/v1/channels/%s", channel);
  g_autofree char *before = g_strdup_printf (_("%s, on %s"), _("When a message arrives"),
                                             "Web shop");
  g_autofree char *after = g_strdup_printf (_("%s, on %s"), _("When a message arrives"),
                                            "Online shop");
  g_autoptr(JsonNode) renamed = NULL;
  SubtitleWait wait = { NULL, before };

  wait.row = fixture->page;
  wait_row (fixture->page, "Web", TRUE);
  baton_test_ui_wait_until (subtitle_renamed, &wait, TIMEOUT_MS, before);
  renamed = baton_test_expect (server, "PATCH", path, server->manager_token,
                               "{\"name\":\"Online shop\"}", 200, NULL);
  wait.subtitle = after;
  wait.row = fixture->page;
  baton_test_ui_wait_until (subtitle_renamed, &wait, TIMEOUT_MS, after);
}

/* A flow made elsewhere, with a tag trigger on one channel, an agent step and a contact
 * step with fields, is renamed in the editor: everything else is stored as it was. */
static void
edited_elsewhere_kept (Fixture *fixture)
{
  g_autofree char *agent = baton_test_new_agent (server, "Ana Tags", "agent", NULL);
  g_autofree char *channel = baton_test_create (server, "/api/v1/channels",
                                                "{\"kind\":\"api\",\"name\":\"Kiosk\"}");
  g_autofree char *steps = g_strdup_printf (
    "[{\"type\":\"assign_user\",\"user_id\":\"%s\"},{\"type\":\"update_contact\","
    "\"add_tags\":[\"lead\"],\"remove_tags\":[],\"set_fields\":{\"source\":\"kiosk\"}}]",
    agent);
  g_autofree char *trigger = g_strdup_printf (
    "{\"on\":\"contact.tag_added\",\"channel_ids\":[\"%s\"],\"tag\":\"vip\"}", channel);
  g_autofree char *body = g_strdup_printf ("{\"name\":\"Kiosk\",\"enabled\":false,"
                                           "\"trigger\":%s,\"steps\":%s}", trigger, steps);
  g_autofree char *flow = baton_test_create (server, "/api/v1/flows", body);
  g_autofree char *stored = NULL;
  g_autofree char *path = g_strdup_printf ("/api/v1/flows/%s", flow);
  g_autoptr(JsonNode) node = NULL;
  GtkWidget *editor = NULL;

  wait_row (fixture->page, "Kiosk", TRUE);
  click (flow_row (fixture, flow), _("Edit"));
  editor = baton_test_ui_wait_toplevel (BATON_TYPE_FLOW_EDITOR, "the flow editor");
  g_assert_true (gtk_widget_get_visible (row (editor, _("Tag Added"))));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row (editor, _("Tag Added")))), ==,
                   "vip");
  set_text (editor, _("Name"), "Kiosk leads");
  save (editor, fixture, "Kiosk leads");
  node = baton_test_expect (server, "GET", path, server->manager_token, NULL, 200, NULL);
  stored = json_to_string (json_object_get_member (json_node_get_object (node), "trigger"),
                           FALSE);
  g_assert_cmpstr (stored, ==, trigger);
  g_clear_pointer (&stored, g_free);
  stored = json_to_string (json_object_get_member (json_node_get_object (node), "steps"), FALSE);
  g_assert_cmpstr (stored, ==, steps);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (node), "enabled"));
}

/* Deleted from the row's menu, after the question. */
static void
delete_flow (Fixture *fixture)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/flows/%s", fixture->night_flow);
  g_autoptr(JsonNode) gone = NULL;
  AdwMessageDialog *dialog = NULL;
  g_autofree char *heading = g_strdup_printf (_("Delete “%s”?"), "After hours");

  menu (fixture, fixture->night_flow, _("_Delete…"));
  dialog = ADW_MESSAGE_DIALOG (baton_test_ui_wait_toplevel (ADW_TYPE_MESSAGE_DIALOG,
                                                            "the question"));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, heading);
  adw_message_dialog_response (dialog, "delete");
  gtk_window_destroy (GTK_WINDOW (dialog));
  wait_row (fixture->page, "After hours", FALSE);
  gone = baton_test_expect (server, "GET", path, server->manager_token, NULL, 404, NULL);
}

static void
test_flows (void)
{
  g_autoptr(BatonClient) client = baton_test_ui_sign_in (server->url, BATON_TEST_MANAGER_EMAIL,
                                                         BATON_TEST_PASSWORD);
  g_autofree char *member = baton_test_new_agent (server, "Sam Sales", "agent", NULL);
  g_autofree char *team_body = g_strdup_printf ("{\"name\":\"Sales\",\"strategy\":"
                                                "\"least_busy\",\"only_online\":false,"
                                                "\"member_ids\":[\"%s\"]}", member);
  Fixture fixture = { client };

  fixture.team_id = baton_test_create (server, "/api/v1/teams", team_body);
  fixture.schedule_id = baton_test_create (server, "/api/v1/schedules",
                                           "{\"name\":\"Office\",\"timezone\":\"Europe/Paris\","
                                           "\"weekly\":[]}");
  fixture.preferences = GTK_WIDGET (baton_preferences_window_new (settings, client));
  gtk_window_set_default_size (GTK_WINDOW (fixture.preferences), 800, 640);
  gtk_window_present (GTK_WINDOW (fixture.preferences));
  fixture.page = baton_test_ui_find_type (fixture.preferences, BATON_TYPE_FLOWS_PAGE);
  g_assert_nonnull (fixture.page);
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (fixture.preferences),
                                           ADW_PREFERENCES_PAGE (fixture.page));

  create_vip_flow (&fixture);
  check_vip_flow (&fixture);
  create_night_flow (&fixture);
  baton_test_ui_assert_named (fixture.page, "routing page");
  reorder_and_disable (&fixture);
  refused_step (&fixture);
  refused_pattern (&fixture);
  delete_flow (&fixture);
  channel_renamed (&fixture);
  edited_elsewhere_kept (&fixture);

  gtk_window_destroy (GTK_WINDOW (fixture.preferences));
  baton_client_stop_stream (client);
  g_free (fixture.team_id);
  g_free (fixture.schedule_id);
  g_free (fixture.vip_flow);
  g_free (fixture.night_flow);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    return 77;
  locale_suffix = baton_test_ui_use_translations ();
  adw_init ();
  baton_test_ui_load_stylesheet ();
  settings = baton_settings_new ();
  server = baton_test_server_new (NULL);

  g_test_add_func ("/ui/flows/vip-after-hours-order-refused", test_flows);

  status = g_test_run ();
  baton_test_server_free (server);
  g_clear_object (&settings);
  return status;
}
