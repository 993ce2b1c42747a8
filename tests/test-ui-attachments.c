/* test-ui-attachments.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "baton-attachment.h"
#include "baton-composer.h"
#include "baton-conversation-view.h"
#include "baton-message-item.h"
#include "baton-message-list.h"
#include "baton-test-helpers.h"
#include "baton-test-ui.h"

/* Files in the composer against a real batond: a file added (as the Attach button's chooser
 * adds it) shows as a chip, uploads with a progress bar in the thread, and the reply shows it
 * as sent; an image pasted becomes a chip. */

static BatonTestServer *server;
static char *channel_id;
static char *channel_secret;

/* A customer writes in through the api channel: the conversation's id. */
static char *
new_conversation (const char *phone,
                  const char *name,
                  const char *text)
{
  return baton_test_customer_writes (server, channel_id, channel_secret, phone, name, text);
}

static GtkWidget *
view_in_window (BatonClient  *client,
                GtkWindow   **window)
{
  GtkWidget *view = baton_conversation_view_new ();

  *window = GTK_WINDOW (adw_window_new ());
  gtk_window_set_default_size (*window, 800, 720);
  adw_window_set_content (ADW_WINDOW (*window), view);
  gtk_window_present (*window);
  baton_conversation_view_set_client (BATON_CONVERSATION_VIEW (view), client);
  return view;
}

/* A photo of width × height pixels of noise (which PNG cannot make small). */
static GdkTexture *
noise_texture (int width,
               int height)
{
  gsize size = (gsize) width * height * 3;
  guint8 *data = g_malloc (size);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) (g_rand_int (rand) >> 24);
  /* a light band, so that the picture shows something */
  for (int y = height / 3; y < height / 2; y++)
    memset (data + (gsize) y * width * 3, 0xee, (gsize) width * 3);
  bytes = g_bytes_new_take (data, size);
  return gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8, bytes, (gsize) width * 3);
}

static gboolean
is_visible_chip (GtkWidget     *widget,
                 gconstpointer  data)
{
  return gtk_widget_has_css_class (widget, "attachment-chip") && gtk_widget_get_mapped (widget);
}

static gboolean
is_label_with (GtkWidget     *widget,
               gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), data) == 0
         && gtk_widget_get_mapped (widget);
}

static gboolean
is_moving_bar (GtkWidget     *widget,
               gconstpointer  data)
{
  return GTK_IS_PROGRESS_BAR (widget) && gtk_widget_get_mapped (widget)
         && gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (widget)) > 0;
}

typedef struct {
  GtkWidget *root;
  BatonTestWidgetMatch match;
  gconstpointer data;
} Find;

static gboolean
found (gpointer user_data)
{
  Find *find = user_data;

  return baton_test_ui_find (find->root, find->match, find->data) != NULL;
}

typedef struct {
  BatonConversationView *view;
  const char *body;
  const char *status;
  guint n_attachments;
} ReplyWait;

/* The newest reply (an activity line may follow it) has that body, status and that many
 * attachments. */
static gboolean
reply_is (gpointer user_data)
{
  ReplyWait *wait = user_data;
  GListModel *messages = baton_conversation_view_get_messages (wait->view);

  for (guint i = g_list_model_get_n_items (messages); i > 0; i--)
    {
      g_autoptr(BatonMessageItem) item = g_list_model_get_item (messages, i - 1);
      BatonMessage *message = baton_message_item_get_message (item);
      g_autoptr(GPtrArray) attachments = NULL;

      if (message->kind != BATON_MESSAGE_OUTBOUND)
        continue;
      attachments = baton_message_dup_attachments (message);
      return g_strcmp0 (message->body, wait->body) == 0
             && g_strcmp0 (message->status, wait->status) == 0
             && attachments->len == wait->n_attachments;
    }
  return FALSE;
}

static gboolean
n_files_is (gpointer user_data)
{
  BatonComposer *composer = user_data;

  return baton_composer_get_n_files (composer) == 1;
}

/* The conversation is loaded and its composer may send. */
static gboolean
can_send (gpointer user_data)
{
  GtkWidget *view = user_data;
  BatonComposer *composer = BATON_COMPOSER (baton_test_ui_find_type (view, BATON_TYPE_COMPOSER));

  return baton_conversation_view_get_conversation (BATON_CONVERSATION_VIEW (view)) != NULL
         && baton_composer_get_can_send (composer);
}

/* A photo and a PDF added to the composer show as chips; sent, they upload with a progress
 * bar (the server stopped meanwhile, so that the bar is seen), then the thread shows them
 * sent. */
static void
test_attach_and_send (void)
{
  g_autoptr(BatonClient) client = baton_test_ui_sign_in (server->url, BATON_TEST_MANAGER_EMAIL,
                                                         BATON_TEST_PASSWORD);
  g_autofree char *conversation_id = new_conversation ("+33645450001", "Inès Durand",
                                                       "Can you send a photo of the part?");
  g_autoptr(GdkTexture) texture = noise_texture (1000, 800);
  g_autoptr(GBytes) png = gdk_texture_save_to_png_bytes (texture);
  /* large enough for the upload to stall while the server is stopped */
  g_autoptr(GBytes) manual = g_bytes_new_take (g_malloc0 (24 * 1000 * 1000), 24 * 1000 * 1000);
  GtkWindow *window = NULL;
  GtkWidget *widget = view_in_window (client, &window);
  BatonConversationView *view = BATON_CONVERSATION_VIEW (widget);
  BatonComposer *composer = BATON_COMPOSER (baton_test_ui_find_type (widget,
                                                                     BATON_TYPE_COMPOSER));
  ReplyWait wait = { view, "Here it is", "sent", 2 };
  Find chip = { widget, is_visible_chip, NULL };
  Find bar = { widget, is_moving_bar, NULL };
  Find name = { widget, is_label_with, "brake-pads.png" };

  g_assert_cmpuint (g_bytes_get_size (png), >, 1000000);
  g_assert_cmpuint (g_bytes_get_size (png), <, 5000000);
  baton_conversation_view_set_conversation_id (view, conversation_id);
  baton_composer_add_file (composer, "brake-pads.png", "image/png", png);
  baton_composer_add_file (composer, "Fitting manual.pdf", "application/pdf", manual);
  baton_test_ui_wait_until (found, &chip, 10000, "the file's chip");
  baton_test_ui_wait_until (found, &name, 10000, "the file's name on its chip");
  baton_test_ui_wait_until (can_send, widget, 10000, "the conversation to be ready");
  baton_test_ui_screenshot (GTK_WIDGET (window), "composer-attachment-chip");

  baton_test_server_pause (server);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (baton_test_ui_find_type (
                              GTK_WIDGET (composer), GTK_TYPE_TEXT_VIEW))), "Here it is", -1);
  g_assert_true (gtk_widget_activate_action (widget, "conversation.send", NULL));
  /* the composer is free at once; the reply uploads in the thread */
  g_assert_cmpuint (baton_composer_get_n_files (composer), ==, 0);
  baton_test_ui_wait_until (found, &bar, 10000, "the upload's progress bar");
  baton_test_ui_screenshot (GTK_WIDGET (window), "conversation-attachment-uploading");
  baton_test_server_resume (server);

  baton_test_ui_wait_until (reply_is, &wait, 30000, "the reply with its photo, sent");
  g_assert_null (baton_test_ui_find (widget, is_moving_bar, NULL));
  /* give the thread the photo from the server */
  for (int i = 0; i < 20; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (20000);
    }
  baton_test_ui_screenshot (GTK_WIDGET (window), "conversation-attachment-sent");
  baton_client_stop_stream (client);
  gtk_window_destroy (window);
}

static gboolean
is_shown_retry (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_ACTIONABLE (widget)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)),
                       "thread.retry") == 0
         && gtk_widget_get_mapped (widget);
}

/* The server does not answer while a file uploads: the reply turns "Not sent" with its file
 * and a Retry, which sends it once the server is back. */
static void
test_unsent_retry (void)
{
  g_autoptr(BatonClient) client = baton_test_ui_sign_in (server->url, BATON_TEST_MANAGER_EMAIL,
                                                         BATON_TEST_PASSWORD);
  g_autofree char *conversation_id = new_conversation ("+33645450005", "Hugo Fabre",
                                                       "Is the quote ready?");
  g_autoptr(GBytes) quote = g_bytes_new_static ("%PDF-1.4\n% quote 4471\n", 22);
  GtkWindow *window = NULL;
  GtkWidget *widget = view_in_window (client, &window);
  BatonConversationView *view = BATON_CONVERSATION_VIEW (widget);
  BatonComposer *composer = BATON_COMPOSER (baton_test_ui_find_type (widget,
                                                                     BATON_TYPE_COMPOSER));
  ReplyWait unsent = { view, "", BATON_MESSAGE_STATUS_UNSENT, 1 };
  ReplyWait sent = { view, "", "sent", 1 };
  Find retry = { widget, is_shown_retry, NULL };

  baton_conversation_view_set_conversation_id (view, conversation_id);
  baton_composer_add_file (composer, "Quote 4471.pdf", "application/pdf", quote);
  /* the thread loaded, where the reply goes */
  baton_test_ui_wait_until (can_send, widget, 10000, "the conversation to be ready");
  baton_test_server_pause (server);
  g_assert_true (gtk_widget_activate_action (widget, "conversation.send", NULL));
  /* the call's timeout (15 s) and room for a loaded machine */
  baton_test_ui_wait_until (reply_is, &unsent, 60000, "the reply to count as not sent");
  baton_test_ui_wait_until (found, &retry, 10000, "its Retry button");
  g_assert_null (baton_test_ui_find (widget, is_moving_bar, NULL));
  baton_test_ui_screenshot (GTK_WIDGET (window), "conversation-attachment-unsent");
  baton_test_server_resume (server);
  gtk_widget_activate (baton_test_ui_find (widget, is_shown_retry, NULL));
  baton_test_ui_wait_until (reply_is, &sent, 60000, "the retried reply, sent");
  baton_client_stop_stream (client);
  gtk_window_destroy (window);
}

/* Ctrl+V with an image on the clipboard attaches it as a PNG; the chip stays with its
 * conversation and its button removes it. */
static void
test_paste_image (void)
{
  g_autoptr(BatonClient) client = baton_test_ui_sign_in (server->url, BATON_TEST_MANAGER_EMAIL,
                                                         BATON_TEST_PASSWORD);
  g_autofree char *conversation_id = new_conversation ("+33645450002", "Jules Moreau",
                                                       "What does the error say?");
  g_autofree char *other_id = new_conversation ("+33645450003", "Léa Roux", "Hello?");
  g_autoptr(GdkTexture) texture = noise_texture (64, 48);
  GtkWindow *window = NULL;
  GtkWidget *widget = view_in_window (client, &window);
  BatonConversationView *view = BATON_CONVERSATION_VIEW (widget);
  BatonComposer *composer = BATON_COMPOSER (baton_test_ui_find_type (widget,
                                                                     BATON_TYPE_COMPOSER));
  GtkWidget *text_view = baton_test_ui_find_type (GTK_WIDGET (composer), GTK_TYPE_TEXT_VIEW);
  Find name = { widget, is_label_with, "Pasted image.png" };

  baton_conversation_view_set_conversation_id (view, conversation_id);
  gdk_clipboard_set_texture (gtk_widget_get_clipboard (text_view), texture);
  g_signal_emit_by_name (text_view, "paste-clipboard");
  baton_test_ui_wait_until (n_files_is, composer, 10000, "the pasted image's chip");
  baton_test_ui_wait_until (found, &name, 10000, "the pasted image's name");
  baton_test_ui_screenshot (GTK_WIDGET (window), "composer-pasted-image");
  /* files wait with their conversation, as its text does */
  baton_conversation_view_set_conversation_id (view, other_id);
  g_assert_cmpuint (baton_composer_get_n_files (composer), ==, 0);
  baton_conversation_view_set_conversation_id (view, conversation_id);
  g_assert_cmpuint (baton_composer_get_n_files (composer), ==, 1);
  /* its remove button takes it off */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (composer), "composer.remove-file", "u",
                                             0));
  g_assert_cmpuint (baton_composer_get_n_files (composer), ==, 0);
  g_assert_null (baton_test_ui_find (widget, is_visible_chip, NULL));
  baton_client_stop_stream (client);
  gtk_window_destroy (window);
}

static GtkDropTarget *
drop_target_of (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }
  g_assert_not_reached ();
  return NULL;
}

typedef struct {
  BatonConversationView *view;
  const char *mime_type;
} AttachmentWait;

/* The newest reply carries one attachment of that type. */
static gboolean
sent_attachment_is (gpointer user_data)
{
  AttachmentWait *wait = user_data;
  GListModel *messages = baton_conversation_view_get_messages (wait->view);

  for (guint i = g_list_model_get_n_items (messages); i > 0; i--)
    {
      g_autoptr(BatonMessageItem) item = g_list_model_get_item (messages, i - 1);
      BatonMessage *message = baton_message_item_get_message (item);
      g_autoptr(GPtrArray) attachments = NULL;

      if (message->kind != BATON_MESSAGE_OUTBOUND)
        continue;
      attachments = baton_message_dup_attachments (message);
      return g_strcmp0 (message->status, "sent") == 0 && attachments->len == 1
             && g_strcmp0 (((BatonAttachment *) attachments->pdata[0])->mime_type,
                           wait->mime_type) == 0;
    }
  return FALSE;
}

/* A file dropped on the composer is read and attached with the type its name and contents
 * tell; it goes without text. */
static void
test_drop_file (void)
{
  g_autoptr(BatonClient) client = baton_test_ui_sign_in (server->url, BATON_TEST_MANAGER_EMAIL,
                                                         BATON_TEST_PASSWORD);
  g_autofree char *conversation_id = new_conversation ("+33645450004", "Rose Lambert",
                                                       "Could I have the invoice?");
  g_autofree char *dir = g_dir_make_tmp ("baton-drop-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "Invoice 2026-118.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GFile *files[] = { file };
  GdkFileList *list = NULL;
  GValue value = G_VALUE_INIT;
  GtkWindow *window = NULL;
  GtkWidget *widget = view_in_window (client, &window);
  BatonConversationView *view = BATON_CONVERSATION_VIEW (widget);
  BatonComposer *composer = BATON_COMPOSER (baton_test_ui_find_type (widget,
                                                                     BATON_TYPE_COMPOSER));
  Find name = { widget, is_label_with, "Invoice 2026-118.pdf" };
  AttachmentWait wait = { view, "application/pdf" };
  gboolean dropped = FALSE;

  g_assert_true (g_file_set_contents (path, "%PDF-1.4\n% an invoice\n", -1, NULL));
  baton_conversation_view_set_conversation_id (view, conversation_id);
  list = gdk_file_list_new_from_array (files, 1);
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, list);
  g_signal_emit_by_name (drop_target_of (GTK_WIDGET (composer)), "drop", &value, 10.0, 10.0,
                         &dropped);
  g_value_unset (&value);
  g_assert_true (dropped);
  baton_test_ui_wait_until (n_files_is, composer, 10000, "the dropped file's chip");
  baton_test_ui_wait_until (found, &name, 10000, "the dropped file's name");
  baton_test_ui_wait_until (can_send, widget, 10000, "the conversation to be ready");
  g_assert_true (gtk_widget_activate_action (widget, "conversation.send", NULL));
  baton_test_ui_wait_until (sent_attachment_is, &wait, 30000, "the PDF, sent");
  g_unlink (path);
  g_rmdir (dir);
  baton_client_stop_stream (client);
  gtk_window_destroy (window);
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
  channel_id = baton_test_create_channel (server, NULL, &channel_secret);

  g_test_add_func ("/ui/attachments/attach-and-send", test_attach_and_send);
  g_test_add_func ("/ui/attachments/paste-image", test_paste_image);
  g_test_add_func ("/ui/attachments/drop-file", test_drop_file);
  g_test_add_func ("/ui/attachments/unsent-retry", test_unsent_retry);

  status = g_test_run ();
  baton_test_server_free (server);
  g_free (channel_id);
  g_free (channel_secret);
  return status;
}
