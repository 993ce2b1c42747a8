/* test-ui-flow-tester.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "baton-flow-tester.h"
#include "baton-test-helpers.h"
#include "baton-test-ui.h"

/* The "test this flow" panel alone in a window against a real batond with a VIP flow (the
 * VIP tag sends the conversation to a least-busy team): a test with the tag says who would
 * get it, one without tells the else branch, a refused draft reports the step's path; the
 * server is left as it was. Run twice: as is, and in French (test-ui-flow-tester-fr). */

#define TIMEOUT_MS 10000

static BatonTestServer *server;
/* "" or "-fr", for the screenshots' names */
static const char *locale_suffix = "";

typedef struct {
  GtkWidget *root;
  const char *title;
} RowWait;

static gboolean
row_shown (gpointer user_data)
{
  RowWait *wait = user_data;
  GtkWidget *row = baton_test_ui_find_row (wait->root, wait->title);

  return row != NULL && gtk_widget_get_mapped (row);
}

static GtkWidget *
wait_row (GtkWidget  *root,
          const char *title)
{
  RowWait wait = { root, title };

  baton_test_ui_wait_until (row_shown, &wait, TIMEOUT_MS, title);
  return baton_test_ui_find_row (root, title);
}

static void
screenshot (GtkWidget  *widget,
            const char *name)
{
  g_autofree char *named = g_strconcat (name, locale_suffix, NULL);

  baton_test_ui_screenshot (widget, named);
}

static guint
count_conversations (void)
{
  g_autoptr(JsonNode) list = baton_test_get (server, "/api/v1/conversations?limit=100");

  return json_array_get_length (baton_test_items (list));
}

static void
field_error_cb (BatonFlowTester *tester,
                const char      *path,
                const char      *message,
                char           **reported)
{
  g_free (*reported);
  *reported = g_strdup (path);
}

static gboolean
reported (gpointer user_data)
{
  return *(char **) user_data != NULL;
}

/* The seeded workspace: Ana Lopez in Sales (least busy), a channel, and the VIP flow. */
static BatonFlow *
seed_vip_flow (void)
{
  g_autofree char *ana = baton_test_new_agent (server, "Ana Lopez", "agent", NULL);
  g_autofree char *team_body = baton_test_strdup_printf_json (
    "{\"name\":\"Sales\",\"strategy\":\"least_busy\",\"only_online\":false,"
    "\"member_ids\":[%s]}", ana);
  g_autofree char *team = baton_test_create (server, "/api/v1/teams", team_body);
  g_autofree char *channel = baton_test_create_channel (server, NULL, NULL);
  g_autofree char *flow_body = baton_test_strdup_printf_json (
    "{\"name\":\"VIP customers\",\"trigger\":{\"on\":\"conversation.created\"},\"steps\":["
    "{\"type\":\"condition\",\"conditions\":["
    "{\"field\":\"contact.tags\",\"op\":\"includes\",\"value\":\"vip\"}],"
    "\"then\":[{\"type\":\"assign_team\",\"team_id\":%s,\"conversation_tags\":[\"vip\"]}],"
    "\"else\":[{\"type\":\"send_message\",\"body\":\"Thanks, we will be right with you\"}]}"
    "]}", team);
  g_autoptr(JsonNode) flow = baton_test_expect (server, "POST", "/api/v1/flows",
                                                server->manager_token, flow_body, 201, NULL);

  return baton_flow_from_json (flow);
}

static void
test_tester (void)
{
  g_autoptr(BatonClient) client = baton_test_ui_sign_in (server->url, BATON_TEST_MANAGER_EMAIL,
                                                         BATON_TEST_PASSWORD);
  g_autoptr(BatonFlow) flow = seed_vip_flow ();
  g_autoptr(BatonFlow) draft = baton_flow_new ();
  g_autoptr(JsonObject) broken = json_object_new ();
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkWidget *window = gtk_window_new ();
  BatonFlowTester *tester = baton_flow_tester_new (client);
  GtkWidget *root = GTK_WIDGET (tester);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  g_autofree char *assigned = g_strdup_printf (_("Would assign to %s in %s (%s)"), "Ana Lopez",
                                               "Sales", _("Least busy"));
  g_autofree char *vip = g_strdup_printf (_("contact tags include %s"), "vip");
  g_autofree char *met = g_strdup_printf (_("Condition met: %s → then branch"), vip);
  g_autofree char *not_met = NULL;
  g_autofree char *reply = g_strdup_printf (_("Would reply: %s"),
                                            "Thanks, we will be right with you");
  g_autofree char *path = NULL;
  gint64 seq = 0;
  guint conversations = count_conversations ();

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), root);
  gtk_window_set_child (GTK_WINDOW (window), scrolled);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 900);
  gtk_window_present (GTK_WINDOW (window));
  baton_flow_tester_set_flow (tester, flow);
  g_signal_connect (tester, "field-error", G_CALLBACK (field_error_cb), &path);
  seq = baton_test_current_seq (server);

  /* a VIP: the team would get it, Ana picked */
  baton_test_ui_set_row_text (root, _("Message"), "Where is my order?");
  baton_test_ui_set_row_text (root, _("Contact Tags, Comma-Separated"), "VIP");
  baton_flow_tester_run (tester);
  wait_row (root, assigned);
  g_assert_nonnull (wait_row (root, _("Trigger matched: the flow would run")));
  g_assert_nonnull (wait_row (root, met));
  baton_test_ui_assert_named (window, "the flow tester");
  screenshot (window, "flow-tester");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  screenshot (window, "flow-tester-dark");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);

  /* no tag: the else branch and its reply, at 800 px */
  baton_test_ui_set_row_text (root, _("Contact Tags, Comma-Separated"), "");
  not_met = g_strdup_printf (_("Condition not met: %s → else branch"), vip);
  baton_flow_tester_run (tester);
  wait_row (root, not_met);
  wait_row (root, reply);
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 900);
  screenshot (window, "flow-tester-800");

  /* a date that does not read is said before anything is sent */
  baton_test_ui_set_row_text (root, _("Date and Time (YYYY-MM-DD HH:MM)"), "next monday");
  baton_flow_tester_run (tester);
  wait_row (root, _("Enter the date and time as YYYY-MM-DD HH:MM, or leave it empty"
                    " for now."));
  baton_test_ui_set_row_text (root, _("Date and Time (YYYY-MM-DD HH:MM)"), "");

  /* nothing changed on the server */
  g_assert_cmpint (baton_test_current_seq (server), ==, seq);
  g_assert_cmpuint (count_conversations (), ==, conversations);

  /* an unsaved draft the server refuses: the step's path is reported */
  json_object_set_string_member (broken, "name", "Draft");
  json_object_set_object_member (broken, "trigger", json_object_new ());
  json_object_set_string_member (json_object_get_object_member (broken, "trigger"), "on",
                                 "conversation.created");
  {
    g_autoptr(JsonNode) steps = json_from_string ("[{\"type\":\"assign_team\","
                                                  "\"team_id\":\"tem_gone\"}]", NULL);

    json_object_set_member (broken, "steps", g_steal_pointer (&steps));
  }
  g_assert_true (baton_flow_update (draft, broken, TRUE, &(BatonFlowLookup) { 0 }, NULL));
  baton_flow_tester_set_flow (tester, draft);
  baton_flow_tester_run (tester);
  baton_test_ui_wait_until (reported, &path, TIMEOUT_MS, "the field error");
  g_assert_cmpstr (path, ==, "steps[0].team_id");
  /* the refusal is told in the agent's language, never the server's English */
  wait_row (root, _("This team no longer exists."));
  g_assert_null (baton_test_ui_find_row (root, "steps[0].team_id: no team with id tem_gone"));

  gtk_window_destroy (GTK_WINDOW (window));
  baton_client_stop_stream (client);
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
  server = baton_test_server_new (NULL);

  g_test_add_func ("/ui/flow-tester/run", test_tester);

  status = g_test_run ();
  baton_test_server_free (server);
  return status;
}
