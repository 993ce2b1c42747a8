/* test-ui-search.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "baton-assignment-sidebar.h"
#include "baton-contact-card.h"
#include "baton-inbox-item.h"
#include "baton-inbox-row.h"
#include "baton-test-helpers.h"
#include "baton-test-server.h"
#include "baton-test-ui.h"
#include "baton-window.h"

/* Search in the window, a word without its accent finding an accented name, the words in
 * bold in the rows; the contact tab beside a conversation: the contact's other
 * conversations, one click away, and its name and fields edited there. */

static BatonTestServer *server;
static char *channel_a;
static char *secret_a;
static char *channel_b;
static char *secret_b;

static char *
customer_writes (const char *channel_id,
                 const char *secret,
                 const char *phone,
                 const char *name,
                 const char *body)
{
  return baton_test_customer_writes (server, channel_id, secret, phone, name, body);
}

static BatonClient *
signed_in_manager (void)
{
  return baton_test_ui_log_in (server->url, BATON_TEST_MANAGER_EMAIL, BATON_TEST_PASSWORD);
}

typedef struct {
  GListModel *model;
  guint n;
} Count;

static gboolean
has_n_items (gpointer user_data)
{
  Count *count = user_data;

  return g_list_model_get_n_items (count->model) == count->n;
}

/* Widgets */

static gboolean
is_type_named (GtkWidget     *widget,
               gconstpointer  data)
{
  return g_str_equal (G_OBJECT_TYPE_NAME (widget), data);
}

static gboolean
is_inbox_search (GtkWidget     *widget,
                 gconstpointer  data)
{
  g_autofree char *placeholder = NULL;

  if (!GTK_IS_SEARCH_ENTRY (widget))
    return FALSE;
  g_object_get (widget, "placeholder-text", &placeholder, NULL);
  return g_strcmp0 (placeholder, "Search conversations") == 0;
}

static gboolean
is_titled (GtkWidget     *widget,
           gconstpointer  data)
{
  return ADW_IS_PREFERENCES_ROW (widget)
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && gtk_widget_get_mapped (widget))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, found);
}

/* the markup of the labels of the inbox rows on screen, one string */
static char *
rows_markup (GtkWidget *window)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GString *markup = g_string_new (NULL);

  collect (window, BATON_TYPE_INBOX_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      g_autoptr(GPtrArray) labels = g_ptr_array_new ();

      collect (rows->pdata[i], GTK_TYPE_LABEL, labels);
      for (guint l = 0; l < labels->len; l++)
        g_string_append_printf (markup, "%s\n", gtk_label_get_label (labels->pdata[l]));
    }
  return g_string_free (markup, FALSE);
}

/* a window, and a text to see there */
typedef struct {
  BatonWindow *window;
  const char *text;
} Look;

static gboolean
rows_show (gpointer user_data)
{
  Look *look = user_data;
  g_autofree char *markup = rows_markup (GTK_WIDGET (look->window));

  return strstr (markup, look->text) != NULL;
}

typedef struct {
  GtkListBox *list;
  guint n;
} RowCount;

static gboolean
list_has_rows (gpointer user_data)
{
  RowCount *count = user_data;
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (count->list)); child;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && gtk_widget_get_visible (child)
        && gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (child)))
      n++;
  return n == count->n;
}

/* Waits for what the eye would see: ten frames without a transition running. */
static gboolean
frames_passed (gpointer user_data)
{
  return *(guint *) user_data >= 10;
}

static gboolean
count_frame_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  (*(guint *) user_data)++;
  return G_SOURCE_CONTINUE;
}

static void
screenshot (GtkWidget  *widget,
            const char *name)
{
  guint frames = 0;
  guint tick = gtk_widget_add_tick_callback (widget, count_frame_cb, &frames, NULL);

  baton_test_ui_wait_until (frames_passed, &frames, 10000, "frames to pass");
  gtk_widget_remove_tick_callback (widget, tick);
  baton_test_ui_screenshot (widget, name);
}

/* The server's contact */

typedef struct {
  const char *contact_id;
  const char *path;
  const char *value;
} ContactHas;

static gboolean
contact_has (gpointer user_data)
{
  ContactHas *has = user_data;
  g_autoptr(JsonNode) contact = baton_test_get_contact (server, has->contact_id);

  return g_strcmp0 (baton_test_get_string (contact, has->path), has->value) == 0;
}

static gboolean
contact_shown (gpointer user_data)
{
  return baton_contact_card_get_contact (user_data) != NULL;
}

static gboolean
is_mapped (gpointer user_data)
{
  return gtk_widget_get_mapped (user_data);
}

static gboolean
is_group_titled (GtkWidget     *widget,
                 gconstpointer  data)
{
  return ADW_IS_PREFERENCES_GROUP (widget)
         && g_strcmp0 (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (widget)),
                       data) == 0;
}

/* a row titled "plan" (the field) in the card */
static gboolean
has_titled (gpointer user_data)
{
  return baton_test_ui_find (user_data, is_titled, "plan") != NULL;
}

static gboolean
is_open (gpointer user_data)
{
  Look *look = user_data;

  return g_strcmp0 (baton_window_get_open_conversation_id (look->window), look->text) == 0;
}

/* An entry row's text set and applied, as a person typing and pressing Enter. */
static void
apply_text (GtkWidget  *root,
            const char *title,
            const char *text)
{
  GtkWidget *row = baton_test_ui_find (root, is_titled, title);

  g_assert_nonnull (row);
  g_assert_true (ADW_IS_ENTRY_ROW (row));
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  g_signal_emit_by_name (row, "apply");
}

static void
test_search_and_history (void)
{
  g_autoptr(BatonClient) client = signed_in_manager ();
  BatonWindow *window = baton_window_new (NULL);
  GtkWidget *search_entry = NULL;
  GtkWidget *card = NULL;
  GtkWidget *stack = NULL;
  GListModel *inbox = NULL;
  g_autofree char *chloe_a = customer_writes (channel_a, secret_a, "+33639988765",
                                              "Chloé Lambert", "Bonjour, mon vélo est prêt ?");
  g_autofree char *olivia = customer_writes (channel_a, secret_a, "+447700900123",
                                             "Olivia Bennett", "Hi! Where is my order?");
  g_autofree char *chloe_b = customer_writes (channel_b, secret_b, "+33639988765", NULL,
                                              "Et ma facture <b>urgente</b> ?");
  g_autofree char *contact_id = baton_test_contact_of (server, chloe_a);
  Count all = { NULL, 3 };
  Count found = { NULL, 2 };
  Look bold_name = { window, "<b>Chloé</b> Lambert" };
  Look escaped = { window, "Et ma facture &lt;b&gt;urgente&lt;/b&gt; ?" };
  Look bold_word = { window, "mon <b>vélo</b> est" };
  Look opened_b = { window, chloe_b };
  RowCount one_other = { NULL, 1 };

  /* an agent answered: the bike is no longer in the last message */
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/conversations/%s/messages", chloe_a);
    g_autoptr(JsonNode) reply = baton_test_expect (server, "POST", path, server->manager_token,
                                                   "{\"body\":\"Oui, il est prêt !\"}", 201,
                                                   NULL);
  }
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 760);
  gtk_window_present (GTK_WINDOW (window));
  baton_window_set_client (window, client);
  baton_client_start_stream (client);
  inbox = baton_window_get_inbox (window);
  all.model = found.model = inbox;
  baton_test_ui_wait_until (has_n_items, &all, 10000, "three conversations");

  /* "chloe" without its accent finds both of Chloé's, the name in bold */
  search_entry = baton_test_ui_find (GTK_WIDGET (window), is_inbox_search, NULL);
  g_assert_nonnull (search_entry);
  gtk_editable_set_text (GTK_EDITABLE (search_entry), "chloe");
  baton_test_ui_wait_until (has_n_items, &found, 10000, "Chloé's two conversations");
  baton_test_ui_wait_until (rows_show, &bold_name, 10000, "the name in bold");
  /* the preview is text, not markup */
  baton_test_ui_wait_until (rows_show, &escaped, 10000, "the preview escaped");
  /* a word of an older message, without its accent, being typed: that message shows */
  gtk_editable_set_text (GTK_EDITABLE (search_entry), "chloe vel");
  found.n = 1;
  baton_test_ui_wait_until (has_n_items, &found, 10000, "the thread that speaks of a bike");
  baton_test_ui_wait_until (rows_show, &bold_name, 10000, "the name in bold");
  baton_test_ui_wait_until (rows_show, &bold_word, 10000, "the message word in bold");
  screenshot (GTK_WIDGET (window), "search-results");

  /* beside the first: the contact tab lists the other conversation */
  baton_window_open_conversation (window, chloe_a);
  card = baton_test_ui_find_type (GTK_WIDGET (window), BATON_TYPE_CONTACT_CARD);
  g_assert_nonnull (card);
  stack = baton_test_ui_find (baton_test_ui_find_type (GTK_WIDGET (window),
                                                       BATON_TYPE_ASSIGNMENT_SIDEBAR),
                              is_type_named, "AdwViewStack");
  g_assert_nonnull (stack);
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), "contact");
  {
    GtkWidget *group = baton_test_ui_find (card, is_group_titled, "Conversations");
    g_autoptr(GPtrArray) lists = g_ptr_array_new ();

    g_assert_nonnull (group);
    baton_test_ui_wait_until (is_mapped, group, 10000, "the contact tab");
    collect (group, GTK_TYPE_LIST_BOX, lists);
    g_assert_cmpuint (lists->len, ==, 1);
    one_other.list = lists->pdata[0];
  }
  g_assert_nonnull (one_other.list);
  baton_test_ui_wait_until (list_has_rows, &one_other, 10000, "the other conversation");
  {
    GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (one_other.list));

    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                     "Et ma facture <b>urgente</b> ?");
    screenshot (GTK_WIDGET (window), "contact-history");
    /* one click away */
    g_signal_emit_by_name (row, "activate");
    baton_test_ui_wait_until (is_open, &opened_b, 10000, "the other conversation open");
  }

  /* the name and a new field, edited in the card, reach the server */
  {
    ContactHas renamed = { contact_id, "name", "Chloé Lambert-Roux" };
    ContactHas added = { contact_id, "fields.plan", "" };
    ContactHas filled = { contact_id, "fields.plan", "Pro" };
    ContactHas removed = { contact_id, "fields.plan", NULL };

    adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), "contact");
    baton_test_ui_wait_until (contact_shown, card, 10000, "the contact in the card");
    apply_text (card, "Name", "Chloé Lambert-Roux");
    baton_test_ui_wait_until (contact_has, &renamed, 10000, "the new name on the server");
    apply_text (card, "New Field Name", "plan");
    baton_test_ui_wait_until (contact_has, &added, 10000, "the new field on the server");
    baton_test_ui_wait_until (has_titled, (gpointer) card, 10000, "the field's own row");
    apply_text (card, "plan", "Pro");
    baton_test_ui_wait_until (contact_has, &filled, 10000, "the field's value on the server");
    screenshot (GTK_WIDGET (window), "contact-fields");
    gtk_widget_activate_action (card, "contact.remove-field", "s", "plan");
    baton_test_ui_wait_until (contact_has, &removed, 10000, "the field removed on the server");
  }
  baton_client_stop_stream (client);
  gtk_window_destroy (GTK_WINDOW (window));
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
  baton_test_ui_load_stylesheet ();
  server = baton_test_server_new (NULL);
  channel_a = baton_test_create_channel (server, NULL, &secret_a);
  channel_b = baton_test_create_channel (server, NULL, &secret_b);

  g_test_add_func ("/ui/search/search-and-history", test_search_and_history);

  status = g_test_run ();
  baton_test_server_free (server);
  g_free (channel_a);
  g_free (secret_a);
  g_free (channel_b);
  g_free (secret_b);
  return status;
}
