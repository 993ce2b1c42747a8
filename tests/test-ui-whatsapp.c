/* test-ui-whatsapp.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "baton-attachment-cache.h"
#include "baton-channel-editor.h"
#include "baton-conversation-view.h"
#include "baton-test-graph.h"
#include "baton-message-item.h"
#include "baton-message-row.h"
#include "baton-preferences-window.h"
#include "baton-settings.h"
#include "baton-template-picker.h"
#include "baton-test-server.h"
#include "baton-test-ui.h"
#include "baton-time.h"

/* The app's WhatsApp features.
 *
 * Widget cases, driven with JSON the test constructs and a small stand-in API (a SoupServer
 * in this process) for what the widgets fetch: message rows (inline images fetched once and
 * cached, files saved under generated names and opened, locations, contact cards, the tapped
 * chip, delivery ticks and failures, quotes, reactions), the conversation's 24-hour window
 * (open, closed, and closed by the server's window_closed), the template picker, and
 * POST …/read on open.
 *
 * Against a real batond (started here): the preferences' Channels page for managers only,
 * the channel editor's form; and, once batond creates WhatsApp channels (POST /channels kind
 * whatsapp: they skip otherwise), the editor saving a channel and showing refused fields,
 * and a WhatsApp conversation end to end with a Graph sandbox: signed webhooks in, replies
 * out with their ticks, media, quotes, templates and a paused channel. */

#define TIMEOUT_MS 10000
#define APP_SECRET "ui-app-secret-5f2c"
#define WABA_ID "271839406512287"

static BatonTestServer *server;
static BatonSettings *settings;
static char *cache_home;
static gboolean whatsapp_ready;
static char *api_channel_id;

/* ------------------------------------------------------------------------------------ */
/* Helpers: waiting, finding widgets                                                     */

typedef gboolean (*Match) (GtkWidget  *widget,
                           const char *data);

typedef struct {
  GtkWidget *root;
  Match match;
  const char *data;
} Lookup;

static GtkWidget *
find (GtkWidget  *root,
      Match       match,
      const char *data)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = NULL;

      if (match (child, data))
        return child;
      found = find (child, match, data);
      if (found)
        return found;
    }
  return NULL;
}

static guint
count (GtkWidget  *root,
       Match       match,
       const char *data)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    n += (match (child, data) ? 1 : 0) + count (child, match, data);
  return n;
}

static gboolean
found (gpointer user_data)
{
  Lookup *lookup = user_data;

  return find (lookup->root, lookup->match, lookup->data) != NULL;
}

static GtkWidget *
wait_for (GtkWidget  *root,
          Match       match,
          const char *data)
{
  Lookup lookup = { root, match, data };
  g_autofree char *what = g_strdup_printf ("a widget matching “%s”", data ? data : "");

  baton_test_ui_wait_until (found, &lookup, TIMEOUT_MS, what);
  return find (root, match, data);
}

static gboolean
is_shown (GtkWidget *widget)
{
  for (GtkWidget *w = widget; w; w = gtk_widget_get_parent (w))
    if (!gtk_widget_get_visible (w))
      return FALSE;
  return TRUE;
}

/* A visible label with exactly this text. */
static gboolean
is_label (GtkWidget  *widget,
          const char *text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0
         && is_shown (widget);
}

static gboolean
is_label_containing (GtkWidget  *widget,
                     const char *text)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL
         && is_shown (widget);
}

static gboolean
has_class (GtkWidget  *widget,
           const char *css_class)
{
  return gtk_widget_has_css_class (widget, css_class);
}

static gboolean
is_type_named (GtkWidget  *widget,
               const char *type_name)
{
  return g_str_equal (G_OBJECT_TYPE_NAME (widget), type_name);
}

static gboolean
is_row_titled (GtkWidget  *widget,
               const char *title)
{
  return ADW_IS_PREFERENCES_ROW (widget)
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static gboolean
is_page_named (GtkWidget  *widget,
               const char *name)
{
  return ADW_IS_PREFERENCES_PAGE (widget)
         && g_strcmp0 (adw_preferences_page_get_name (ADW_PREFERENCES_PAGE (widget)), name) == 0;
}

static gboolean
is_message_row (GtkWidget  *widget,
                const char *message_id)
{
  BatonMessage *message = BATON_IS_MESSAGE_ROW (widget)
                          ? baton_message_row_get_message (BATON_MESSAGE_ROW (widget)) : NULL;

  return message && g_strcmp0 (message->id, message_id) == 0 && gtk_widget_get_mapped (widget);
}

static GtkWidget *
row_widget (GtkWidget  *root,
            const char *title)
{
  GtkWidget *row = find (root, is_row_titled, title);

  g_assert_nonnull (row);
  return row;
}

static const char *
label_text (GtkWidget  *root,
            const char *css_class)
{
  GtkWidget *label = find (root, has_class, css_class);

  g_assert_true (GTK_IS_LABEL (label));
  return gtk_label_get_text (GTK_LABEL (label));
}

static const char *
status_icon_name (GtkWidget *row)
{
  GtkWidget *icon = find (row, has_class, "delivery-status");

  g_assert_true (GTK_IS_IMAGE (icon));
  return gtk_widget_get_visible (icon) ? gtk_image_get_icon_name (GTK_IMAGE (icon)) : NULL;
}

static void
click (GtkWidget *button)
{
  g_assert_true (GTK_IS_BUTTON (button));
  g_signal_emit_by_name (button, "clicked");
}

/* Light, then dark. */
/* The hint is cut short: the pane is narrower than it. */
static gboolean
narrow (gpointer user_data)
{
  GtkLabel *hint = user_data;

  return pango_layout_is_ellipsized (gtk_label_get_layout (hint));
}

static void
screenshots (GtkWidget  *widget,
             const char *name)
{
  g_autofree char *dark = g_strdup_printf ("%s-dark", name);

  baton_test_ui_screenshot (widget, name);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  baton_test_ui_screenshot (widget, dark);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

/* A JSON string literal, or null. */
static char *
jstr (const char *value)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);

  if (value == NULL)
    return g_strdup ("null");
  json_node_set_string (node, value);
  return json_to_string (node, FALSE);
}

static char *
time_from_now (gint64 seconds)
{
  return baton_time_format (g_get_real_time () / 1000 + seconds * 1000);
}

/* A PNG of width × height in two colours, for the media the tests serve. */
static GBytes *
png_bytes (int width,
           int height)
{
  gsize stride = (gsize) width * 4;
  guchar *pixels = g_malloc (stride * height);
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guchar *p = pixels + y * stride + x * 4;

        p[0] = (guchar) (40 + 180 * x / width);
        p[1] = (guchar) (120 + 100 * y / height);
        p[2] = (guchar) (200 - 120 * x / width);
        p[3] = 255;
      }
  data = g_bytes_new_take (pixels, stride * height);
  texture = gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, data, stride);
  return gdk_texture_save_to_png_bytes (texture);
}

/* A client of the real batond, signed in, its stream up. */
static BatonClient *
signed_in_client (const char *email)
{
  return baton_test_ui_sign_in (server->url, email, BATON_TEST_PASSWORD);
}

/* ------------------------------------------------------------------------------------ */
/* A stand-in for the parts of /api/v1 the widgets call                                  */

typedef struct {
  SoupServer *soup;
  char *url;
  /* conversation id → JSON text of the conversation, of its messages page */
  GHashTable *conversations;
  GHashTable *messages;
  /* channel id → JSON text of GET …/templates */
  GHashTable *templates;
  /* attachment id → GBytes, its Content-Type */
  GHashTable *media;
  GHashTable *media_types;
  /* "METHOD /path" and the body of each request, in order */
  GPtrArray *requests;
  GPtrArray *bodies;
  /* the answer to the next POST …/messages: status and body */
  guint post_status;
  char *post_answer;
} MockApi;

static MockApi *mock;

static void
answer (SoupServerMessage *msg,
        guint              status,
        const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  if (json)
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json,
                                      strlen (json));
}

static void
mock_handler (SoupServer        *soup,
              SoupServerMessage *msg,
              const char        *full_path,
              GHashTable        *query,
              gpointer           user_data)
{
  MockApi *api = user_data;
  const char *method = soup_server_message_get_method (msg);
  const char *path = full_path + strlen ("/api/v1");
  g_autoptr(GBytes) request = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_auto(GStrv) parts = g_strsplit (path + 1, "/", -1);
  guint n_parts = g_strv_length (parts);

  g_ptr_array_add (api->requests, g_strdup_printf ("%s %s", method, path));
  g_ptr_array_add (api->bodies, g_strndup (g_bytes_get_data (request, NULL),
                                           g_bytes_get_size (request)));
  if (n_parts >= 2 && g_str_equal (parts[0], "conversations"))
    {
      if (n_parts == 2 && g_str_equal (method, "GET"))
        {
          const char *json = g_hash_table_lookup (api->conversations, parts[1]);

          answer (msg, json ? 200 : 404,
                  json ? json : "{\"error\":{\"code\":\"not_found\",\"message\":\"No such conversation\"}}");
          return;
        }
      if (n_parts == 3 && g_str_equal (parts[2], "messages") && g_str_equal (method, "GET"))
        {
          const char *items = g_hash_table_lookup (api->messages, parts[1]);
          g_autofree char *page = g_strdup_printf ("{\"items\":%s,\"next_cursor\":null}",
                                                   items ? items : "[]");

          answer (msg, 200, page);
          return;
        }
      if (n_parts == 3 && g_str_equal (parts[2], "messages") && g_str_equal (method, "POST"))
        {
          answer (msg, api->post_status, api->post_answer);
          return;
        }
      if (n_parts == 3 && g_str_equal (parts[2], "read") && g_str_equal (method, "POST"))
        {
          answer (msg, 204, NULL);
          return;
        }
    }
  if (n_parts == 3 && g_str_equal (parts[0], "channels") && g_str_equal (parts[2], "templates"))
    {
      const char *json = g_hash_table_lookup (api->templates, parts[1]);

      answer (msg, json ? 200 : 404,
              json ? json : "{\"error\":{\"code\":\"not_found\",\"message\":\"No such channel\"}}");
      return;
    }
  if (n_parts == 2 && g_str_equal (parts[0], "attachments"))
    {
      GBytes *bytes = g_hash_table_lookup (api->media, parts[1]);

      if (bytes == NULL)
        {
          answer (msg, 404, "{\"error\":{\"code\":\"not_found\",\"message\":\"No attachment\"}}");
          return;
        }
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, g_hash_table_lookup (api->media_types, parts[1]),
                                        SOUP_MEMORY_COPY, g_bytes_get_data (bytes, NULL),
                                        g_bytes_get_size (bytes));
      return;
    }
  answer (msg, 404, "{\"error\":{\"code\":\"not_found\",\"message\":\"Not here\"}}");
}

static MockApi *
mock_api_new (void)
{
  MockApi *api = g_new0 (MockApi, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris = NULL;

  api->conversations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  api->messages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  api->templates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  api->media = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) g_bytes_unref);
  api->media_types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  api->requests = g_ptr_array_new_with_free_func (g_free);
  api->bodies = g_ptr_array_new_with_free_func (g_free);
  api->post_status = 500;
  api->soup = soup_server_new (NULL, NULL);
  soup_server_add_handler (api->soup, "/api/v1", mock_handler, api, NULL);
  soup_server_listen_local (api->soup, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (api->soup);
  api->url = g_uri_to_string_partial (uris->data, G_URI_HIDE_PASSWORD);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  /* No trailing slash: the client appends /api/v1/…. */
  if (g_str_has_suffix (api->url, "/"))
    api->url[strlen (api->url) - 1] = '\0';
  return api;
}

static void
mock_api_free (MockApi *api)
{
  soup_server_disconnect (api->soup);
  g_object_unref (api->soup);
  g_free (api->url);
  g_hash_table_unref (api->conversations);
  g_hash_table_unref (api->messages);
  g_hash_table_unref (api->templates);
  g_hash_table_unref (api->media);
  g_hash_table_unref (api->media_types);
  g_ptr_array_unref (api->requests);
  g_ptr_array_unref (api->bodies);
  g_free (api->post_answer);
  g_free (api);
}

static void
mock_post_answer (guint       status,
                  const char *json)
{
  mock->post_status = status;
  g_free (mock->post_answer);
  mock->post_answer = g_strdup (json);
}

static guint
mock_count (const char *request)
{
  guint n = 0;

  for (guint i = 0; i < mock->requests->len; i++)
    n += g_str_equal (mock->requests->pdata[i], request) ? 1 : 0;
  return n;
}

/* The body of the last request, NULL when there was none. */
static const char *
mock_last_body (const char *request)
{
  for (guint i = mock->requests->len; i > 0; i--)
    if (g_str_equal (mock->requests->pdata[i - 1], request))
      return mock->bodies->pdata[i - 1];
  return NULL;
}

typedef struct {
  const char *request;
  guint n;
} MockWait;

static gboolean
mock_has (gpointer user_data)
{
  MockWait *wait = user_data;

  return mock_count (wait->request) >= wait->n;
}

static void
mock_wait (const char *request,
           guint       n)
{
  MockWait wait = { request, n };

  baton_test_ui_wait_until (mock_has, &wait, TIMEOUT_MS, request);
}

/* A client of the stand-in (no sign-in: the token is taken as it is). */
static BatonClient *
mock_client (void)
{
  BatonClient *client = baton_client_new (mock->url);

  baton_client_set_token (client, "mock-token");
  return client;
}

/* A conversation as the server sends it; window_seconds from now, or no window (api). */
static void
mock_conversation (const char *id,
                   const char *contact_name,
                   gboolean    whatsapp,
                   gint64      window_seconds,
                   const char *messages_json)
{
  g_autofree char *now = time_from_now (-120);
  g_autofree char *expires = whatsapp ? time_from_now (window_seconds) : NULL;
  g_autofree char *expires_json = jstr (expires);
  g_autofree char *name_json = jstr (contact_name);
  g_autofree char *json = g_strdup_printf (
    "{\"id\":\"%s\",\"channel_id\":\"%s\",\"contact\":{\"id\":\"ctc_%s\",\"name\":%s,"
    "\"phone\":\"+447700900123\"},\"status\":\"new\",\"team_id\":null,\"assignee_ids\":[],"
    "\"tags\":[],\"version\":1,\"last_message\":null,\"created_at\":\"%s\",\"updated_at\":\"%s\","
    "\"first_response_at\":null,\"resolved_at\":null,\"window_expires_at\":%s,\"referral\":null}",
    id, whatsapp ? "chn_wa" : "chn_api", id, name_json, now, now, expires_json);

  g_hash_table_replace (mock->conversations, g_strdup (id), g_steal_pointer (&json));
  g_hash_table_replace (mock->messages, g_strdup (id), g_strdup (messages_json ? messages_json : "[]"));
}

/* One message's JSON. kind: inbound, outbound; extra: more members (raw JSON) or NULL. */
static char *
message_json (const char *id,
              const char *conversation_id,
              const char *kind,
              const char *author_name,
              const char *body,
              const char *extra)
{
  g_autofree char *now = time_from_now (-60);
  g_autofree char *author_json = jstr (author_name);
  g_autofree char *body_json = jstr (body);
  gboolean inbound = g_str_equal (kind, "inbound");
  GString *json = g_string_new (NULL);

  g_string_append_printf (json, "{\"id\":\"%s\",\"conversation_id\":\"%s\",\"kind\":\"%s\","
                          "\"author\":{\"type\":\"%s\",\"id\":null,\"name\":%s},\"body\":%s,"
                          "\"external_id\":null,\"activity\":null,\"created_at\":\"%s\"",
                          id, conversation_id, kind, inbound ? "contact" : "agent", author_json,
                          body_json, now);
  /* Defaults the extra members may replace (json-glib keeps the last of a duplicate). */
  g_string_append (json, ",\"attachments\":[],\"reactions\":[],\"in_reply_to\":null,"
                         "\"error\":null");
  g_string_append_printf (json, ",\"status\":%s", inbound ? "null" : "\"sent\"");
  if (extra)
    g_string_append_printf (json, ",%s", extra);
  g_string_append (json, "}");
  return g_string_free (json, FALSE);
}

static BatonMessage *
message_from (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return baton_message_from_json (node);
}

/* ------------------------------------------------------------------------------------ */
/* Message rows                                                                          */

typedef struct {
  GPtrArray *uris;
  guint wanted;
} Opened;

static gboolean
open_uri_cb (BatonAttachmentCache *cache,
             const char           *uri,
             Opened               *opened)
{
  /* Nothing is launched in a test: only what would have opened is kept. */
  g_ptr_array_add (opened->uris, g_strdup (uri));
  return TRUE;
}

static gboolean
has_wanted_uris (gpointer user_data)
{
  Opened *opened = user_data;

  return opened->uris->len >= opened->wanted;
}

static void click (GtkWidget *button);

/* Clicks an attachment; returns the URI it hands to the desktop (at once for a file saved
 * before, after the download otherwise). */
static const char *
click_opens (Opened    *opened,
             GtkWidget *button)
{
  opened->wanted = opened->uris->len + 1;
  click (button);
  baton_test_ui_wait_until (has_wanted_uris, opened, TIMEOUT_MS, "an attachment to open");
  return opened->uris->pdata[opened->wanted - 1];
}

static GtkWidget *
add_row (GtkBox               *box,
         BatonAttachmentCache *cache,
         const char           *json,
         BatonMessage         *quoted)
{
  g_autoptr(BatonMessage) message = message_from (json);
  GtkWidget *row = baton_message_row_new ();

  baton_message_row_set_attachment_cache (BATON_MESSAGE_ROW (row), cache);
  baton_message_row_set_quoted (BATON_MESSAGE_ROW (row), quoted);
  baton_message_row_set_message (BATON_MESSAGE_ROW (row), message);
  gtk_box_append (box, row);
  return row;
}

static gboolean
picture_loaded (GtkWidget  *widget,
                const char *unused)
{
  return gtk_widget_has_css_class (widget, "image-attachment")
         && gtk_widget_has_css_class (widget, "loaded")
         && GTK_IS_PICTURE (gtk_button_get_child (GTK_BUTTON (widget)));
}

#define EVIL_FILENAME "../../invoices/Faktura März 2026 (final).pdf"
#define FAILED_REASON "Message failed to send because more than 24 hours have passed since the customer last replied to this number."

static void
test_rows (void)
{
  g_autoptr(BatonClient) client = mock_client ();
  g_autoptr(BatonAttachmentCache) cache = baton_attachment_cache_new (client);
  g_autoptr(GBytes) photo = png_bytes (640, 480);
  g_autoptr(GBytes) sticker = png_bytes (300, 300);
  g_autoptr(GBytes) pdf = g_bytes_new_static ("%PDF-1.4 invoice", 16);
  g_autoptr(GBytes) ogg = g_bytes_new_static ("OggS voice", 10);
  g_autoptr(GBytes) saved = NULL;
  g_autoptr(BatonMessage) quoted = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *generated = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *size_text = g_format_size (48213);
  g_autofree char *directory = baton_attachment_cache_get_directory ();
  g_autoptr(GError) error = NULL;
  Opened opened = { g_ptr_array_new_with_free_func (g_free), 0 };
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkBox *box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 0));
  GtkWidget *image_row, *again_row, *doc_row, *audio_row, *sticker_row, *place_row, *pin_row;
  GtkWidget *cards_row, *tapped_row, *pending_row, *sent_row, *delivered_row, *read_row;
  GtkWidget *failed_row, *reply_row, *earlier_row, *reactions_row, *image_button;
  g_autofree char *image_json = NULL;
  g_autofree char *quoted_json = NULL;

  g_hash_table_replace (mock->media, g_strdup ("att_img"), g_bytes_ref (photo));
  g_hash_table_replace (mock->media_types, g_strdup ("att_img"), g_strdup ("image/png"));
  g_hash_table_replace (mock->media, g_strdup ("att_sticker"), g_bytes_ref (sticker));
  g_hash_table_replace (mock->media_types, g_strdup ("att_sticker"), g_strdup ("image/webp"));
  g_hash_table_replace (mock->media, g_strdup ("att_doc"), g_bytes_ref (pdf));
  g_hash_table_replace (mock->media_types, g_strdup ("att_doc"), g_strdup ("application/pdf"));
  g_hash_table_replace (mock->media, g_strdup ("att_audio"), g_bytes_ref (ogg));
  g_hash_table_replace (mock->media_types, g_strdup ("att_audio"), g_strdup ("audio/ogg"));
  g_signal_connect (cache, "open-uri", G_CALLBACK (open_uri_cb), &opened);

  gtk_widget_add_css_class (GTK_WIDGET (box), "view");
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (box));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_window_set_child (window, scroller);
  gtk_window_set_default_size (window, 800, 760);

  image_json = message_json ("msg_img", "cnv_1", "inbound", "Harriet Quill",
                             "Water under the door seal",
                             "\"attachments\":[{\"id\":\"att_img\",\"kind\":\"image\","
                             "\"mime_type\":\"image/png\",\"filename\":null,"
                             "\"caption\":\"Water under the door seal\",\"size\":null,"
                             "\"url\":\"/api/v1/attachments/att_img\",\"data\":null}],"
                             "\"reactions\":[{\"emoji\":\"👍\",\"author\":\"Ana Lima\"}]");
  image_row = add_row (box, cache, image_json, NULL);
  {
    g_autofree char *json = message_json ("msg_doc", "cnv_1", "inbound", "Harriet Quill", "",
                                          "\"attachments\":[{\"id\":\"att_doc\",\"kind\":\"document\","
                                          "\"mime_type\":\"application/pdf\",\"filename\":\"" EVIL_FILENAME "\","
                                          "\"caption\":null,\"size\":48213,"
                                          "\"url\":\"/api/v1/attachments/att_doc\",\"data\":null}]");

    doc_row = add_row (box, cache, json, NULL);
  }
  {
    g_autofree char *json = message_json ("msg_audio", "cnv_1", "inbound", "Harriet Quill", "",
                                          "\"attachments\":[{\"id\":\"att_audio\",\"kind\":\"audio\","
                                          "\"mime_type\":\"audio/ogg; codecs=opus\",\"filename\":null,"
                                          "\"caption\":null,\"size\":5120,"
                                          "\"url\":\"/api/v1/attachments/att_audio\",\"data\":null}]");

    audio_row = add_row (box, cache, json, NULL);
  }
  {
    g_autofree char *json = message_json ("msg_sticker", "cnv_1", "inbound", "Harriet Quill", "",
                                          "\"attachments\":[{\"id\":\"att_sticker\",\"kind\":\"sticker\","
                                          "\"mime_type\":\"image/webp\",\"filename\":null,"
                                          "\"caption\":null,\"size\":null,"
                                          "\"url\":\"/api/v1/attachments/att_sticker\",\"data\":null}]");

    sticker_row = add_row (box, cache, json, NULL);
  }
  {
    g_autofree char *json = message_json ("msg_place", "cnv_1", "inbound", "Harriet Quill", "",
                                          "\"attachments\":[{\"id\":\"att_place\",\"kind\":\"location\","
                                          "\"mime_type\":null,\"filename\":null,\"caption\":null,"
                                          "\"size\":null,\"url\":null,\"data\":{\"latitude\":51.50135,"
                                          "\"longitude\":-0.14189,\"name\":\"Buckingham Palace\","
                                          "\"address\":\"London SW1A 1AA\","
                                          "\"url\":\"https://maps.example.com/?q=51.50135,-0.14189\"}}]");

    place_row = add_row (box, cache, json, NULL);
  }
  {
    g_autofree char *json = message_json ("msg_pin", "cnv_1", "inbound", "Harriet Quill", "",
                                          "\"attachments\":[{\"id\":\"att_pin\",\"kind\":\"location\","
                                          "\"mime_type\":null,\"filename\":null,\"caption\":null,"
                                          "\"size\":null,\"url\":null,\"data\":{\"latitude\":51.50135,"
                                          "\"longitude\":-0.14189}}]");

    pin_row = add_row (box, cache, json, NULL);
  }
  {
    g_autofree char *json = message_json ("msg_cards", "cnv_1", "inbound", "Harriet Quill", "",
                                          "\"attachments\":[{\"id\":\"att_cards\",\"kind\":\"contacts\","
                                          "\"mime_type\":null,\"filename\":null,\"caption\":null,"
                                          "\"size\":null,\"url\":null,\"data\":{\"cards\":["
                                          "{\"name\":{\"formatted_name\":\"Priya Raman\",\"first_name\":\"Priya\"},"
                                          "\"phones\":[{\"phone\":\"+44 7700 900461\",\"wa_id\":\"447700900461\",\"type\":\"CELL\"}]},"
                                          "{\"name\":{\"first_name\":\"Ben\",\"last_name\":\"Ode\"},"
                                          "\"phones\":[{\"phone\":\"+1 202-555-0188\",\"type\":\"WORK\"}]}]}}]");

    cards_row = add_row (box, cache, json, NULL);
  }
  {
    g_autofree char *json = message_json ("msg_tap", "cnv_1", "inbound", "Harriet Quill", "Reschedule",
                                          "\"attachments\":[{\"id\":\"att_tap\",\"kind\":\"interactive\","
                                          "\"mime_type\":null,\"filename\":null,\"caption\":null,"
                                          "\"size\":null,\"url\":null,\"data\":{\"type\":\"button_reply\","
                                          "\"id\":\"btn_reschedule\",\"title\":\"Reschedule\"}}]");

    tapped_row = add_row (box, cache, json, NULL);
  }
  quoted_json = message_json ("msg_question", "cnv_1", "inbound", "Harriet Quill",
                              "Can you come on Friday?\nMorning if possible", NULL);
  quoted = message_from (quoted_json);
  {
    g_autofree char *json = message_json ("msg_reply", "cnv_1", "outbound", "Ana Lima",
                                          "Yes, Friday 10:00 works.",
                                          "\"in_reply_to\":\"msg_question\",\"status\":\"pending\"");

    reply_row = add_row (box, cache, json, quoted);
    pending_row = reply_row;
  }
  {
    g_autofree char *json = message_json ("msg_sent", "cnv_1", "outbound", "Ana Lima",
                                          "Sent to WhatsApp.", "\"status\":\"sent\"");

    sent_row = add_row (box, cache, json, NULL);
  }
  {
    g_autofree char *json = message_json ("msg_delivered", "cnv_1", "outbound", "Ana Lima",
                                          "On the customer's phone.", "\"status\":\"delivered\"");

    delivered_row = add_row (box, cache, json, NULL);
  }
  {
    g_autofree char *json = message_json ("msg_read", "cnv_1", "outbound", "Ana Lima",
                                          "Read by the customer.", "\"status\":\"read\"");

    read_row = add_row (box, cache, json, NULL);
  }
  {
    g_autofree char *json = message_json ("msg_failed", "cnv_1", "outbound", "Ana Lima",
                                          "Are you still there?",
                                          "\"status\":\"failed\",\"error\":{\"code\":\"131047\","
                                          "\"message\":\"" FAILED_REASON "\"}");

    failed_row = add_row (box, cache, json, NULL);
  }
  {
    g_autofree char *json = message_json ("msg_earlier", "cnv_1", "inbound", "Harriet Quill",
                                          "About that, the seal again.",
                                          "\"in_reply_to\":\"msg_not_loaded\","
                                          "\"reactions\":[{\"emoji\":\"❤️\",\"author\":\"Ana Lima\"},"
                                          "{\"emoji\":\"❤️\",\"author\":\"Ben Ode\"},"
                                          "{\"emoji\":\"😮\",\"author\":\"Ana Lima\"}]");

    earlier_row = add_row (box, cache, json, NULL);
    reactions_row = earlier_row;
  }
  gtk_window_present (window);

  /* The photo: fetched through the client, shown scaled within 280 px. */
  image_button = wait_for (image_row, picture_loaded, NULL);
  {
    GtkWidget *picture = gtk_button_get_child (GTK_BUTTON (image_button));
    int width = 0, height = 0;

    gtk_widget_get_size_request (picture, &width, &height);
    g_assert_cmpint (width, ==, 280);
    g_assert_cmpint (height, ==, 210);
  }
  g_assert_cmpuint (mock_count ("GET /attachments/att_img"), ==, 1);
  g_assert_nonnull (baton_attachment_cache_lookup_texture (cache, "att_img"));
  /* The caption is the text too: said once. */
  g_assert_cmpuint (count (image_row, is_label, "Water under the door seal"), ==, 1);
  /* Shown again (a row recycled by the list): from the cache, at once, no second fetch. */
  again_row = add_row (box, cache, image_json, NULL);
  g_assert_nonnull (find (again_row, picture_loaded, NULL));
  g_assert_cmpuint (mock_count ("GET /attachments/att_img"), ==, 1);
  gtk_box_remove (box, again_row);
  /* A sticker shows inline too, smaller. */
  {
    GtkWidget *button = wait_for (sticker_row, picture_loaded, NULL);
    int width = 0, height = 0;

    gtk_widget_get_size_request (gtk_button_get_child (GTK_BUTTON (button)), &width, &height);
    g_assert_cmpint (width, ==, 140);
    g_assert_cmpint (height, ==, 140);
  }

  /* The document: its name as it came, its size; opened from a cache file with a generated
   * name that keeps only the extension. */
  g_assert_nonnull (find (doc_row, is_label, EVIL_FILENAME));
  g_assert_nonnull (find (doc_row, is_label_containing, size_text));
  file = g_file_new_for_uri (click_opens (&opened, find (doc_row, has_class, "attachment-file")));
  basename = g_file_get_basename (file);
  generated = baton_attachment_cache_file_name ("att_doc", EVIL_FILENAME, "application/pdf");
  g_assert_cmpstr (basename, ==, generated);
  g_assert_true (g_str_has_suffix (basename, ".pdf"));
  g_assert_cmpuint (strlen (basename), ==, 32 + strlen (".pdf"));
  g_assert_null (strchr (basename, ' '));
  {
    g_autoptr(GFile) parent = g_file_get_parent (file);
    g_autofree char *parent_path = g_file_get_path (parent);

    g_assert_cmpstr (parent_path, ==, directory);
    g_assert_true (g_str_has_prefix (parent_path, cache_home));
  }
  saved = g_file_load_bytes (file, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (saved, pdf));
  g_assert_cmpuint (mock_count ("GET /attachments/att_doc"), ==, 1);
  /* Opened again: the saved file, not a second download. */
  g_assert_cmpstr (click_opens (&opened, find (doc_row, has_class, "attachment-file")), ==,
                   opened.uris->pdata[0]);
  g_assert_cmpuint (mock_count ("GET /attachments/att_doc"), ==, 1);

  /* A voice note: a file row; its type gives the extension. */
  g_assert_nonnull (find (audio_row, is_label, "Audio"));
  g_assert_true (g_str_has_suffix (click_opens (&opened, find (audio_row, has_class, "attachment-file")),
                                   ".ogg"));

  /* Locations: the name and address; the url opens, or else a geo: URI. */
  g_assert_nonnull (find (place_row, is_label, "Buckingham Palace"));
  g_assert_nonnull (find (place_row, is_label, "London SW1A 1AA"));
  g_assert_cmpstr (click_opens (&opened, find (place_row, has_class, "attachment-location")), ==,
                   "https://maps.example.com/?q=51.50135,-0.14189");
  g_assert_nonnull (find (pin_row, is_label, "51.50135, -0.14189"));
  g_assert_cmpstr (click_opens (&opened, find (pin_row, has_class, "attachment-location")), ==,
                   "geo:51.50135,-0.14189");

  /* Contact cards: one row each, name and phone. */
  g_assert_cmpuint (count (cards_row, has_class, "attachment-contact"), ==, 2);
  g_assert_nonnull (find (cards_row, is_label, "Priya Raman"));
  g_assert_nonnull (find (cards_row, is_label, "+44 7700 900461"));
  g_assert_nonnull (find (cards_row, is_label, "Ben Ode"));
  g_assert_nonnull (find (cards_row, is_label, "+1 202-555-0188"));

  /* The tapped button: a chip, and not the same word again as text. */
  g_assert_nonnull (find (tapped_row, is_label, "Tapped: Reschedule"));
  g_assert_null (find (tapped_row, is_label, "Reschedule"));

  /* Ticks: a clock, ✓, ✓✓, ✓✓ in the accent colour; a failure says why under the bubble. */
  g_assert_cmpstr (status_icon_name (pending_row), ==, "baton-pending-symbolic");
  g_assert_cmpstr (status_icon_name (sent_row), ==, "baton-sent-symbolic");
  g_assert_cmpstr (status_icon_name (delivered_row), ==, "baton-delivered-symbolic");
  g_assert_false (gtk_widget_has_css_class (find (delivered_row, has_class, "delivery-status"),
                                            "read"));
  g_assert_cmpstr (status_icon_name (read_row), ==, "baton-delivered-symbolic");
  g_assert_true (gtk_widget_has_css_class (find (read_row, has_class, "delivery-status"), "read"));
  g_assert_cmpstr (status_icon_name (failed_row), ==, "dialog-error-symbolic");
  g_assert_nonnull (find (failed_row, is_label, FAILED_REASON));
  g_assert_false (is_shown (find (read_row, has_class, "delivery-error")));
  /* Our tick icons are found (the rows add the app's icons to the theme). */
  g_assert_true (gtk_icon_theme_has_icon (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                          "baton-delivered-symbolic"));

  /* Quotes: the quoted author and first line; "Earlier message" when not loaded. */
  g_assert_true (is_shown (find (reply_row, has_class, "quote")));
  g_assert_nonnull (find (reply_row, is_label, "Harriet Quill"));
  g_assert_nonnull (find (reply_row, is_label, "Can you come on Friday?"));
  g_assert_null (find (reply_row, is_label_containing, "Morning if possible"));
  g_assert_true (baton_message_row_get_quoted (BATON_MESSAGE_ROW (reply_row)) == quoted);
  g_assert_nonnull (find (earlier_row, is_label, "Earlier message"));
  g_assert_false (is_shown (find (sent_row, has_class, "quote")));

  /* Reactions: each emoji once, with who chose it. */
  g_assert_cmpstr (label_text (image_row, "reactions"), ==, "👍 Ana Lima");
  g_assert_cmpstr (label_text (reactions_row, "reactions"), ==, "❤️ Ana Lima, Ben Ode   😮 Ana Lima");

  /* The whole list, taller than the window. */
  screenshots (GTK_WIDGET (box), "whatsapp-rows");
  gtk_window_destroy (window);
  g_ptr_array_unref (opened.uris);
}

static void
test_file_names (void)
{
  g_autofree char *pdf = baton_attachment_cache_file_name ("att_1", "../../x/Faktura (1).PDF", NULL);
  g_autofree char *traversal = baton_attachment_cache_file_name ("att_1", "evil.pdf/../../../etc",
                                                                 "image/jpeg");
  g_autofree char *none = baton_attachment_cache_file_name ("att_1", "no extension", NULL);
  g_autofree char *voice = baton_attachment_cache_file_name ("att_2", NULL, "audio/ogg; codecs=opus");
  g_autofree char *long_ext = baton_attachment_cache_file_name ("att_3", "a.verylongextension",
                                                                "video/mp4");
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "att_1", -1);
  g_autofree char *hash_pdf = NULL;
  g_autofree char *hash_jpg = NULL;
  g_autoptr(JsonNode) located_json = json_from_string (
    "{\"kind\":\"location\",\"data\":{\"latitude\":-33.8568,\"longitude\":151.2153,"
    "\"url\":\"javascript:alert(1)\"}}", NULL);
  g_autoptr(JsonNode) nowhere_json = json_from_string (
    "{\"kind\":\"location\",\"data\":{\"latitude\":\"north\",\"longitude\":1}}", NULL);
  g_autoptr(BatonAttachment) located = baton_attachment_from_json (located_json);
  g_autoptr(BatonAttachment) nowhere = baton_attachment_from_json (nowhere_json);
  g_autofree char *geo = baton_attachment_cache_location_uri (located);
  g_autofree char *none_uri = baton_attachment_cache_location_uri (nowhere);

  hash[32] = '\0';
  hash_pdf = g_strconcat (hash, ".pdf", NULL);
  hash_jpg = g_strconcat (hash, ".jpg", NULL);
  /* The extension, lower-cased; never a path, whatever the name holds. */
  g_assert_cmpstr (pdf, ==, hash_pdf);
  g_assert_cmpstr (traversal, ==, hash_jpg);
  g_assert_cmpstr (none, ==, hash);
  g_assert_true (g_str_has_suffix (voice, ".ogg"));
  g_assert_true (g_str_has_suffix (long_ext, ".mp4"));
  /* Only http(s) links open as links; anything else falls back to the coordinates. */
  g_assert_cmpstr (geo, ==, "geo:-33.8568,151.2153");
  g_assert_null (none_uri);
}

/* ------------------------------------------------------------------------------------ */
/* The conversation view: the 24-hour window, read, quotes, templates                    */

static GtkWidget *
view_in_window (BatonClient  *client,
                GtkWindow   **window)
{
  GtkWidget *view = baton_conversation_view_new ();
  GtkWidget *toasts = adw_toast_overlay_new ();

  *window = GTK_WINDOW (adw_window_new ());
  gtk_window_set_default_size (*window, 800, 640);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (toasts), view);
  adw_window_set_content (ADW_WINDOW (*window), toasts);
  gtk_window_present (*window);
  baton_conversation_view_set_client (BATON_CONVERSATION_VIEW (view), client);
  return view;
}

typedef struct {
  BatonConversationView *view;
  const char *id;
} Loaded;

static gboolean
conversation_loaded (gpointer user_data)
{
  Loaded *loaded = user_data;
  BatonConversation *conversation = baton_conversation_view_get_conversation (loaded->view);

  return conversation && g_strcmp0 (conversation->id, loaded->id) == 0
         && g_list_model_get_n_items (baton_conversation_view_get_messages (loaded->view)) > 0;
}

static void
open_conversation (GtkWidget  *view,
                   const char *id)
{
  Loaded loaded = { BATON_CONVERSATION_VIEW (view), id };

  baton_conversation_view_set_conversation_id (BATON_CONVERSATION_VIEW (view), id);
  baton_test_ui_wait_until (conversation_loaded, &loaded, TIMEOUT_MS, id);
}

static gboolean
is_revealer_shown (GtkWidget  *widget,
                   const char *unused)
{
  return GTK_IS_REVEALER (widget) && gtk_revealer_get_reveal_child (GTK_REVEALER (widget));
}

static gboolean
is_button_for (GtkWidget  *widget,
               const char *action)
{
  return GTK_IS_ACTIONABLE (widget)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0;
}

static GtkWidget *
notice (GtkWidget *view)
{
  GtkWidget *box = find (view, has_class, "window-notice");

  g_assert_nonnull (box);
  return box;
}

static const char *
notice_text (GtkWidget *view)
{
  GtkWidget *box = notice (view);
  GtkWidget *label = find (box, is_type_named, "GtkLabel");

  /* The button's label comes after the notice's own. */
  return gtk_label_get_text (GTK_LABEL (label));
}

static void
type_text (GtkWidget  *view,
           const char *text)
{
  GtkTextView *text_view = GTK_TEXT_VIEW (find (view, is_type_named, "GtkTextView"));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (text_view), text, -1);
}

static gboolean
composer_ready (gpointer user_data)
{
  GtkTextView *text_view = GTK_TEXT_VIEW (find (user_data, is_type_named, "GtkTextView"));

  return gtk_text_view_get_editable (text_view)
         && gtk_text_buffer_get_char_count (gtk_text_view_get_buffer (text_view)) == 0;
}

/* The composer takes the next reply once the server answered the last one. */
static void
wait_composer_ready (GtkWidget *view)
{
  baton_test_ui_wait_until (composer_ready, view, TIMEOUT_MS, "the composer");
}

static gboolean
send_enabled (GtkWidget *view)
{
  return gtk_widget_get_sensitive (find (view, is_button_for, "conversation.send"));
}

static void
test_window (void)
{
  g_autoptr(BatonClient) client = mock_client ();
  g_autofree char *open_messages = message_json ("msg_w1", "cnv_open", "inbound", "Harriet Quill",
                                                 "Is the van free on Friday?", NULL);
  g_autofree char *closed_messages = message_json ("msg_w2", "cnv_closed", "inbound", "Tomasz Wiśniewski",
                                                   "Thanks, see you then.", NULL);
  g_autofree char *api_messages = message_json ("msg_w3", "cnv_api", "inbound", "Web visitor",
                                                "Hello from the website", NULL);
  g_autofree char *race_messages = message_json ("msg_w4", "cnv_race", "inbound", "Amira Haddad",
                                                 "Can I change the plan?", NULL);
  g_autofree char *items = NULL;
  GtkWindow *window = NULL;
  GtkWidget *view = NULL;
  GtkWidget *template_button = NULL;
  GtkWidget *composer = NULL;

  items = g_strdup_printf ("[%s]", open_messages);
  /* 3 h 12 min and half a minute: the minute shown holds for the test's run. */
  mock_conversation ("cnv_open", "Harriet Quill", TRUE, 3 * 3600 + 12 * 60 + 30, items);
  g_free (items);
  items = g_strdup_printf ("[%s]", closed_messages);
  mock_conversation ("cnv_closed", "Tomasz Wiśniewski", TRUE, -3600, items);
  g_free (items);
  items = g_strdup_printf ("[%s]", api_messages);
  mock_conversation ("cnv_api", "Web visitor", FALSE, 0, items);
  g_free (items);
  items = g_strdup_printf ("[%s]", race_messages);
  mock_conversation ("cnv_race", "Amira Haddad", TRUE, 2 * 3600 + 30, items);

  view = view_in_window (client, &window);
  template_button = find (view, is_button_for, "conversation.choose-template");
  g_assert_nonnull (template_button);

  /* Open: the time left, replies allowed, no template button; marked read on open. */
  open_conversation (view, "cnv_open");
  g_assert_nonnull (find (view, is_revealer_shown, NULL));
  g_assert_cmpstr (notice_text (view), ==, "Replies allowed for 3 h 12 min");
  g_assert_false (gtk_widget_get_visible (template_button));
  g_assert_false (gtk_widget_has_css_class (notice (view), "closed"));
  type_text (view, "Yes, it is.");
  g_assert_true (send_enabled (view));
  mock_wait ("POST /conversations/cnv_open/read", 1);
  screenshots (GTK_WIDGET (window), "whatsapp-window-open");

  /* Closed: said so, replies locked, the template button; notes still work. */
  type_text (view, "");
  open_conversation (view, "cnv_closed");
  g_assert_cmpstr (notice_text (view), ==, "The 24-hour window closed: send an approved template");
  g_assert_true (gtk_widget_has_css_class (notice (view), "closed"));
  g_assert_true (gtk_widget_get_visible (template_button));
  g_assert_true (gtk_widget_get_sensitive (template_button));
  {
    /* The long placeholder shrinks with the pane (at its least width it would otherwise
     * run past the composer into the sidebar). */
    GtkWidget *hint = find (view, is_label, "Only an approved template can reach the customer now");
    int minimum = 0, natural = 0;

    g_assert_nonnull (hint);
    gtk_widget_measure (hint, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
    g_assert_cmpint (minimum, <, natural / 2);
    gtk_window_set_default_size (window, 420, 640);
    baton_test_ui_wait_until (narrow, hint, 10000, "the narrow pane");
    screenshots (GTK_WIDGET (window), "whatsapp-window-closed-narrow");
    gtk_window_set_default_size (window, 800, 640);
  }
  composer = gtk_widget_get_parent (find (view, is_type_named, "GtkTextView"));
  g_assert_false (gtk_widget_get_sensitive (composer));
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (find (view, is_type_named, "GtkTextView"))));
  type_text (view, "Free text is not allowed now");
  g_assert_false (send_enabled (view));
  g_assert_true (gtk_widget_activate_action (view, "conversation.toggle-note", NULL));
  g_assert_true (gtk_widget_get_sensitive (composer));
  g_assert_true (send_enabled (view));
  g_assert_true (gtk_widget_activate_action (view, "conversation.toggle-note", NULL));
  g_assert_false (send_enabled (view));
  type_text (view, "");
  mock_wait ("POST /conversations/cnv_closed/read", 1);
  screenshots (GTK_WIDGET (window), "whatsapp-window-closed");

  /* Not WhatsApp: no window, nothing marked read. */
  open_conversation (view, "cnv_api");
  g_assert_null (find (view, is_revealer_shown, NULL));
  g_assert_false (gtk_widget_get_visible (template_button));
  type_text (view, "Hello!");
  g_assert_true (send_enabled (view));
  type_text (view, "");

  /* The window closed while the agent typed: the server's window_closed closes it here. */
  open_conversation (view, "cnv_race");
  g_assert_cmpstr (notice_text (view), ==, "Replies allowed for 2 h");
  mock_post_answer (422, "{\"error\":{\"code\":\"window_closed\",\"message\":\"The customer's "
                         "24-hour window closed\"}}");
  type_text (view, "Of course, which one?");
  g_assert_true (gtk_widget_activate_action (view, "conversation.send", NULL));
  wait_for (GTK_WIDGET (window), is_label, "The 24-hour window is closed: send a template instead");
  g_assert_cmpstr (notice_text (view), ==, "The 24-hour window closed: send an approved template");
  g_assert_true (gtk_widget_get_visible (template_button));
  g_assert_false (send_enabled (view));
  {
    g_autoptr(JsonNode) sent = json_from_string (mock_last_body ("POST /conversations/cnv_race/"
                                                                 "messages"), NULL);
    JsonObject *object = json_node_get_object (sent);

    g_assert_cmpstr (json_object_get_string_member (object, "body"), ==,
                     "Of course, which one?");
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (find (view, is_type_named,
                                                                           "GtkTextView")));
    GtkTextIter start, end;
    g_autofree char *text = NULL;

    /* every reply names itself, so that a retry is written once */
    g_assert_cmpuint (strlen (json_object_get_string_member (object, "client_id")), ==, 36);
    /* the refused reply is back in the composer, to be sent otherwise */
    gtk_text_buffer_get_bounds (buffer, &start, &end);
    text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_cmpstr (text, ==, "Of course, which one?");
  }
  g_assert_cmpuint (mock_count ("POST /conversations/cnv_api/read"), ==, 0);

  /* The refusal held for that conversation while it was open: opened again, the window shows
   * as the server last said. */
  type_text (view, "");
  open_conversation (view, "cnv_open");
  open_conversation (view, "cnv_race");
  g_assert_true (g_str_has_prefix (notice_text (view), "Replies allowed for "));
  g_assert_false (gtk_widget_has_css_class (notice (view), "closed"));
  g_assert_false (gtk_widget_get_visible (template_button));
  type_text (view, "Of course, which one?");
  g_assert_true (send_enabled (view));
  type_text (view, "");

  gtk_window_destroy (window);
}

static void
test_quotes (void)
{
  g_autoptr(BatonClient) client = mock_client ();
  g_autofree char *question = message_json ("msg_q1", "cnv_quote", "inbound", "Chloé Lambert",
                                            "Can you look at the brakes?\nThe rear one squeaks",
                                            NULL);
  g_autofree char *answer_json = message_json ("msg_q2", "cnv_quote", "outbound", "Ana Lima",
                                               "Yes, on Friday.", "\"in_reply_to\":\"msg_q1\"");
  g_autofree char *earlier = message_json ("msg_q3", "cnv_quote", "inbound", "Chloé Lambert",
                                           "And that one?", "\"in_reply_to\":\"msg_gone\"");
  /* The page is newest first. */
  g_autofree char *items = g_strdup_printf ("[%s,%s,%s]", earlier, answer_json, question);
  GtkWindow *window = NULL;
  GtkWidget *view = NULL;
  GtkWidget *answer_row = NULL;
  GtkWidget *earlier_row = NULL;

  mock_conversation ("cnv_quote", "Chloé Lambert", TRUE, 20 * 3600, items);
  view = view_in_window (client, &window);
  open_conversation (view, "cnv_quote");
  answer_row = wait_for (view, is_message_row, "msg_q2");
  earlier_row = wait_for (view, is_message_row, "msg_q3");
  g_assert_nonnull (find (answer_row, is_label, "Chloé Lambert"));
  g_assert_nonnull (find (answer_row, is_label, "Can you look at the brakes?"));
  g_assert_cmpstr (baton_message_row_get_quoted (BATON_MESSAGE_ROW (answer_row))->id, ==, "msg_q1");
  g_assert_nonnull (find (earlier_row, is_label, "Earlier message"));
  g_assert_null (baton_message_row_get_quoted (BATON_MESSAGE_ROW (earlier_row)));
  baton_test_ui_screenshot (GTK_WIDGET (window), "whatsapp-quotes");
  gtk_window_destroy (window);
}

static BatonTemplatePicker *
find_picker (void)
{
  return (BatonTemplatePicker *) baton_test_ui_find_window_of_type (BATON_TYPE_TEMPLATE_PICKER);
}

static gboolean
picker_shown (gpointer user_data)
{
  return find_picker () != NULL;
}

static gboolean
picker_gone (gpointer user_data)
{
  return find_picker () == NULL;
}

static GtkWidget *
entry_row (GtkWidget  *root,
           const char *title)
{
  GtkWidget *row = find (root, is_row_titled, title);

  g_assert_true (ADW_IS_ENTRY_ROW (row));
  return row;
}

static const char *
preview_text (BatonTemplatePicker *picker)
{
  GtkWidget *card = find (GTK_WIDGET (picker), has_class, "template-preview");
  GtkWidget *label = NULL;

  g_assert_nonnull (card);
  /* The preview is the card's selectable label. */
  for (label = gtk_widget_get_first_child (card); label; label = gtk_widget_get_next_sibling (label))
    if (GTK_IS_LABEL (label) && gtk_label_get_selectable (GTK_LABEL (label)))
      return gtk_label_get_text (GTK_LABEL (label));
  g_assert_not_reached ();
  return NULL;
}

static void
test_templates (void)
{
  g_autoptr(BatonClient) client = mock_client ();
  g_autofree char *closed_messages = message_json ("msg_t1", "cnv_tpl", "inbound", "Kenji Watanabe",
                                                   "Thanks!", NULL);
  g_autofree char *items = g_strdup_printf ("[%s]", closed_messages);
  g_autofree char *sent = message_json ("msg_t2", "cnv_tpl", "outbound", "Maya Manager",
                                        "Hi Kenji, see you on Fri 21 Mar, 10:00.",
                                        "\"status\":\"pending\"");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parameters = NULL;
  g_autofree char *rendered = NULL;
  GtkWindow *window = NULL;
  GtkWidget *view = NULL;
  BatonTemplatePicker *picker = NULL;
  GtkWidget *list = NULL;
  GtkWidget *first = NULL;
  GtkWidget *second = NULL;

  /* Rendering: {{n}} from 1, empty ones and unknown ones kept as they are. */
  g_strv_builder_add_many (builder, "A", "", NULL);
  parameters = g_strv_builder_end (builder);
  rendered = baton_template_picker_render ("Hi {{1}}, {{2}} and {{1}} {{x}} {{3}}{{",
                                           (const char * const *) parameters);
  g_assert_cmpstr (rendered, ==, "Hi A, {{2}} and A {{x}} {{3}}{{");
  g_assert_cmpuint (baton_template_picker_count_parameters ("{{2}} then {{10}}, not {{0}}"), ==, 10);
  g_assert_cmpuint (baton_template_picker_count_parameters ("No parameters"), ==, 0);

  mock_conversation ("cnv_tpl", "Kenji Watanabe", TRUE, -7200, items);
  g_hash_table_replace (mock->templates, g_strdup ("chn_wa"), g_strdup (
    "{\"items\":[{\"name\":\"appointment_reminder_v2\",\"language\":\"en_GB\","
    "\"category\":\"UTILITY\",\"status\":\"APPROVED\",\"body\":\"Hi {{1}}, see you on {{2}}.\","
    "\"parameters\":2,\"header\":\"Appointment reminder\",\"footer\":\"Reply STOP to opt out\","
    "\"buttons\":[{\"type\":\"QUICK_REPLY\",\"text\":\"Confirm\"},"
    "{\"type\":\"QUICK_REPLY\",\"text\":\"Reschedule\"}]},"
    "{\"name\":\"order_ready\",\"language\":\"fr\",\"category\":\"UTILITY\",\"status\":\"APPROVED\","
    "\"body\":\"Votre commande est prête.\",\"parameters\":0,\"header\":null,\"footer\":null,"
    "\"buttons\":[]}],\"next_cursor\":null}"));
  view = view_in_window (client, &window);
  open_conversation (view, "cnv_tpl");

  /* From the closed window's button: the channel's templates. */
  g_assert_true (gtk_widget_activate_action (view, "conversation.choose-template", NULL));
  baton_test_ui_wait_until (picker_shown, NULL, TIMEOUT_MS, "the template picker");
  picker = find_picker ();
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (picker)) == window);
  first = wait_for (GTK_WIDGET (picker), is_row_titled, "appointment_reminder_v2");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (first)), ==,
                   "en_GB · Hi {{1}}, see you on {{2}}.");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row_widget (GTK_WIDGET (picker),
                                                                            "order_ready"))), ==,
                   "fr · Votre commande est prête.");
  g_assert_cmpuint (mock_count ("GET /channels/chn_wa/templates"), ==, 1);
  screenshots (GTK_WIDGET (picker), "whatsapp-template-list");

  /* Chosen: one entry per parameter, a live preview, Send once all are filled. */
  list = gtk_widget_get_parent (first);
  g_signal_emit_by_name (list, "row-activated", first);
  g_assert_cmpstr (preview_text (picker), ==, "Hi {{1}}, see you on {{2}}.");
  g_assert_nonnull (find (GTK_WIDGET (picker), is_label, "Appointment reminder"));
  g_assert_nonnull (find (GTK_WIDGET (picker), is_label, "Reply STOP to opt out"));
  g_assert_nonnull (find (GTK_WIDGET (picker), is_label, "Confirm · Reschedule"));
  g_assert_false (gtk_widget_get_sensitive (find (GTK_WIDGET (picker), is_button_for, "picker.send")));
  first = entry_row (GTK_WIDGET (picker), "{{1}}");
  second = entry_row (GTK_WIDGET (picker), "{{2}}");
  gtk_editable_set_text (GTK_EDITABLE (first), "Kenji");
  g_assert_cmpstr (preview_text (picker), ==, "Hi Kenji, see you on {{2}}.");
  g_assert_false (gtk_widget_get_sensitive (find (GTK_WIDGET (picker), is_button_for, "picker.send")));
  gtk_editable_set_text (GTK_EDITABLE (second), "Fri 21 Mar, 10:00");
  g_assert_cmpstr (preview_text (picker), ==, "Hi Kenji, see you on Fri 21 Mar, 10:00.");
  g_assert_true (gtk_widget_get_sensitive (find (GTK_WIDGET (picker), is_button_for, "picker.send")));
  screenshots (GTK_WIDGET (picker), "whatsapp-template-form");

  /* Refused: a toast in the picker, the parameter marked, the picker stays. */
  mock_post_answer (422, "{\"error\":{\"code\":\"unprocessable\",\"message\":\"Parameter 2 is "
                         "too long\",\"field\":\"template.parameters[1]\"}}");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (picker), "picker.send", NULL));
  wait_for (GTK_WIDGET (picker), is_label,
            "Fill in each parameter of the template, up to 1024 bytes each.");
  g_assert_true (gtk_widget_has_css_class (second, "error"));
  g_assert_false (gtk_widget_has_css_class (first, "error"));
  g_assert_true (find_picker () == picker);

  /* Taken: the body the server got, the picker closes, the message shows. */
  mock_post_answer (201, sent);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (picker), "picker.send", NULL));
  baton_test_ui_wait_until (picker_gone, NULL, TIMEOUT_MS, "the picker to close");
  g_assert_cmpstr (mock_last_body ("POST /conversations/cnv_tpl/messages"), ==,
                   "{\"template\":{\"name\":\"appointment_reminder_v2\",\"language\":\"en_GB\","
                   "\"parameters\":[\"Kenji\",\"Fri 21 Mar, 10:00\"]}}");
  g_assert_nonnull (baton_conversation_view_lookup_message (BATON_CONVERSATION_VIEW (view), "msg_t2"));
  wait_for (view, is_message_row, "msg_t2");

  /* A template without parameters can go at once. */
  g_assert_true (gtk_widget_activate_action (view, "conversation.choose-template", NULL));
  baton_test_ui_wait_until (picker_shown, NULL, TIMEOUT_MS, "the template picker");
  picker = find_picker ();
  first = wait_for (GTK_WIDGET (picker), is_row_titled, "order_ready");
  g_signal_emit_by_name (gtk_widget_get_parent (first), "row-activated", first);
  g_assert_cmpstr (preview_text (picker), ==, "Votre commande est prête.");
  g_assert_true (gtk_widget_get_sensitive (find (GTK_WIDGET (picker), is_button_for, "picker.send")));
  gtk_window_destroy (GTK_WINDOW (picker));
  gtk_window_destroy (window);
}

/* ------------------------------------------------------------------------------------ */
/* Preferences: the Channels page and the channel editor (real batond)                    */

static gboolean
has_channels_page (gpointer window)
{
  return find (GTK_WIDGET (window), is_page_named, "channels") != NULL;
}

static BatonChannelEditor *
find_editor (void)
{
  return (BatonChannelEditor *) baton_test_ui_find_window_of_type (BATON_TYPE_CHANNEL_EDITOR);
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static gboolean
lookup_gone (gpointer user_data)
{
  return !found (user_data);
}

static gboolean
editor_shown (gpointer user_data)
{
  return find_editor () != NULL;
}

static gboolean
editor_gone (gpointer user_data)
{
  return find_editor () == NULL;
}

static BatonChannelEditor *
open_editor (BatonPreferencesWindow *window,
             const char             *action,
             const char             *channel_id)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), action,
                                             channel_id ? "s" : NULL, channel_id));
  baton_test_ui_wait_until (editor_shown, NULL, TIMEOUT_MS, "the channel editor");
  return find_editor ();
}

typedef struct {
  AdwComboRow *row;
  const char *name;
} ComboWait;

static gboolean
combo_offers (gpointer user_data)
{
  ComboWait *wait = user_data;
  GListModel *model = adw_combo_row_get_model (wait->row);

  for (guint i = 0; model && i < g_list_model_get_n_items (model); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (model), i), wait->name))
      return TRUE;
  return FALSE;
}

static void
select_in_combo (AdwComboRow *row,
                 const char  *name)
{
  ComboWait wait = { row, name };
  GListModel *model = NULL;

  baton_test_ui_wait_until (combo_offers, &wait, TIMEOUT_MS, name);
  model = adw_combo_row_get_model (row);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (model), i), name))
      adw_combo_row_set_selected (row, i);
}

static const char *
combo_selected (AdwComboRow *row)
{
  return gtk_string_list_get_string (GTK_STRING_LIST (adw_combo_row_get_model (row)),
                                     adw_combo_row_get_selected (row));
}

static void
set_row_text (GtkWidget  *root,
              const char *title,
              const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (entry_row (root, title)), text);
}

static const char *
row_text (GtkWidget  *root,
          const char *title)
{
  return gtk_editable_get_text (GTK_EDITABLE (entry_row (root, title)));
}

static char *
create_team (const char *name)
{
  g_autofree char *body = baton_test_strdup_printf_json ("{\"name\":%s}", name);
  g_autoptr(JsonNode) team = baton_test_expect (server, "POST", "/api/v1/teams",
                                                server->manager_token, body, 201, NULL);

  return g_strdup (baton_test_get_string (team, "id"));
}

static JsonObject *server_channel (const char  *name,
                                   JsonNode   **page);

static void
test_channels_page (void)
{
  g_autoptr(BatonClient) manager = signed_in_client (BATON_TEST_MANAGER_EMAIL);
  g_autoptr(BatonClient) agent = NULL;
  g_autofree char *team_id = create_team ("Repairs desk");
  g_autofree char *webhook = g_strconcat (server->url, "/webhooks/whatsapp", NULL);
  g_autofree char *agent_id = baton_test_create_agent (server, "Lea Agent", "lea-wa@example.com",
                                                       "agent", NULL);
  BatonPreferencesWindow *window = baton_preferences_window_new (settings, manager);
  BatonPreferencesWindow *agent_window = NULL;
  BatonChannelEditor *editor = NULL;
  GtkWidget *api_row = NULL;
  const char *token = NULL;

  /* A manager: the Channels page, the api channel with its kind, nothing to edit on it. */
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 640);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (has_channels_page (window));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), "channels");
  api_row = wait_for (GTK_WIDGET (window), is_row_titled, "Website chat");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (api_row)), ==, "API");
  g_assert_null (find (api_row, is_button_for, "channels.edit"));
  g_assert_nonnull (find (api_row, is_button_for, "channels.delete"));
  g_assert_nonnull (find (GTK_WIDGET (window), is_button_for, "channels.add-whatsapp"));
  screenshots (GTK_WIDGET (window), "whatsapp-channels-page");

  /* Add: a random verify token, the webhook URL to paste, the defaults. */
  editor = open_editor (window, "channels.add-whatsapp", NULL);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (editor)) == GTK_WINDOW (window));
  g_assert_null (baton_channel_editor_get_channel_id (editor));
  g_assert_cmpstr (baton_channel_editor_get_webhook_url (editor), ==, webhook);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row_widget (GTK_WIDGET (editor),
                                                                            "Webhook URL"))), ==,
                   webhook);
  token = row_text (GTK_WIDGET (editor), "Verify Token");
  g_assert_cmpuint (strlen (token), ==, 24);
  for (const char *p = token; *p; p++)
    g_assert_true (g_ascii_isalnum (*p) || *p == '-' || *p == '_');
  {
    g_autofree char *other = baton_channel_editor_generate_token ();

    g_assert_cmpstr (other, !=, token);
  }
  g_assert_cmpstr (row_text (GTK_WIDGET (editor), "Graph API Base URL"), ==,
                   "https://graph.facebook.com/v25.0");
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (entry_row (GTK_WIDGET (editor), "Access Token")));
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (entry_row (GTK_WIDGET (editor), "App Secret")));
  g_assert_nonnull (find (GTK_WIDGET (editor), is_label_containing, "App Dashboard"));
  select_in_combo (ADW_COMBO_ROW (row_widget (GTK_WIDGET (editor), "Default Team")), "Repairs desk");
  select_in_combo (ADW_COMBO_ROW (row_widget (GTK_WIDGET (editor), "Default User")), "Lea Agent");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (adw_combo_row_get_model (
                     ADW_COMBO_ROW (row_widget (GTK_WIDGET (editor), "Default Team")))), 0), ==, "None");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (adw_combo_row_get_model (
                     ADW_COMBO_ROW (row_widget (GTK_WIDGET (editor), "Default User")))), 0), ==, "None");
  set_row_text (GTK_WIDGET (editor), "Name", "Front desk");
  screenshots (GTK_WIDGET (editor), "whatsapp-channel-editor");
  /* And the end of the form. */
  {
    GtkWidget *clamp = find (GTK_WIDGET (editor), is_type_named, "AdwClamp");
    GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (
                                  GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (clamp, GTK_TYPE_SCROLLED_WINDOW)));

    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
    baton_test_ui_screenshot (GTK_WIDGET (editor), "whatsapp-channel-editor-end");
  }
  gtk_window_close (GTK_WINDOW (editor));
  baton_test_ui_wait_until (editor_gone, NULL, TIMEOUT_MS, "the editor to close");

  /* Delete, after asking. */
  {
    g_autofree char *old_id = baton_test_create_channel (server, "\"name\":\"Old web form\"", NULL);
    g_autoptr(JsonNode) missing = NULL;
    GtkWidget *old_row = NULL;
    AdwMessageDialog *dialog = NULL;
    Lookup gone = { GTK_WIDGET (window), is_row_titled, "Old web form" };

    /* Live: channel.updated makes the page read the list again. */
    old_row = wait_for (GTK_WIDGET (window), is_row_titled, "Old web form");
    g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (old_row)), ==, "API");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "channels.delete", "s", old_id));
    dialog = find_dialog ();
    g_assert_nonnull (dialog);
    g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Delete “Old web form”?");
    adw_message_dialog_response (dialog, "delete");
    baton_test_ui_wait_until (lookup_gone, &gone, TIMEOUT_MS, "the deleted channel's row to go");
    g_assert_null (server_channel ("Old web form", &missing));
  }

  /* An agent: no Channels page. */
  agent = signed_in_client ("lea-wa@example.com");
  agent_window = baton_preferences_window_new (settings, agent);
  gtk_window_present (GTK_WINDOW (agent_window));
  g_assert_false (has_channels_page (agent_window));
  /* Even asked directly, the editor does not open for an agent. */
  gtk_widget_activate_action (GTK_WIDGET (agent_window), "channels.add-whatsapp", NULL);
  g_assert_null (find_editor ());

  gtk_window_destroy (GTK_WINDOW (agent_window));
  gtk_window_destroy (GTK_WINDOW (window));
  baton_client_stop_stream (agent);
  baton_client_stop_stream (manager);
}

/* The channel of that name as GET /channels lists it, or NULL. */
static JsonObject *
server_channel (const char *name,
                JsonNode  **page)
{
  JsonArray *items = NULL;

  g_clear_pointer (page, json_node_unref);
  *page = baton_test_expect (server, "GET", "/api/v1/channels?limit=500", server->manager_token,
                             NULL, 200, NULL);
  items = json_object_get_array_member (json_node_get_object (*page), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *channel = json_array_get_object_element (items, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (channel, "name", NULL), name) == 0)
        return channel;
    }
  return NULL;
}

typedef struct {
  GtkWidget *root;
  const char *title;
  const char *text;
} SubtitleWait;

static gboolean
row_subtitle_has (gpointer user_data)
{
  SubtitleWait *wait = user_data;
  GtkWidget *row = find (wait->root, is_row_titled, wait->title);
  const char *subtitle = row ? adw_action_row_get_subtitle (ADW_ACTION_ROW (row)) : NULL;

  return subtitle && strstr (subtitle, wait->text) != NULL;
}

static void
save_editor (BatonChannelEditor *editor)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
}

/* What the server says about a create body (to compare with what the editor shows). */
static char *
server_refusal (const char *body,
                guint       expected_status)
{
  g_autoptr(JsonNode) answer_node = baton_test_expect (server, "POST", "/api/v1/channels",
                                                       server->manager_token, body,
                                                       expected_status, NULL);

  return g_strdup (baton_test_get_string (answer_node, "error.message"));
}

#define PHONE_NUMBER_ID_MESSAGE \
  "Enter the number’s id from the WhatsApp Manager (digits), used by no other channel."

static gboolean
field_error_shown (gpointer user_data)
{
  return baton_channel_editor_get_field_error (find_editor (), user_data) != NULL;
}

static void
test_channel_editor (void)
{
  g_autoptr(BatonClient) manager = NULL;
  g_autoptr(JsonNode) page = NULL;
  g_autofree char *team_id = NULL;
  g_autofree char *bad_message = NULL;
  g_autofree char *conflict_message = NULL;
  g_autofree char *verify_token = NULL;
  BatonPreferencesWindow *window = NULL;
  BatonChannelEditor *editor = NULL;
  JsonObject *channel = NULL;
  g_autofree char *channel_id = NULL;
  SubtitleWait subtitle = { NULL, "Shop front", "+44 20 7946 0135" };

  if (!whatsapp_ready)
    {
      g_test_skip ("batond does not create WhatsApp channels yet (POST /channels kind whatsapp)");
      return;
    }
  manager = signed_in_client (BATON_TEST_MANAGER_EMAIL);
  team_id = create_team ("Shop floor");
  window = baton_preferences_window_new (settings, manager);
  gtk_window_present (GTK_WINDOW (window));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), "channels");
  subtitle.root = GTK_WIDGET (window);

  /* Create: every field reaches the server; the secrets are never listed. */
  editor = open_editor (window, "channels.add-whatsapp", NULL);
  set_row_text (GTK_WIDGET (editor), "Name", "Shop front");
  set_row_text (GTK_WIDGET (editor), "Phone Number", "+44 20 7946 0135");
  set_row_text (GTK_WIDGET (editor), "Phone Number ID", "402557813396021");
  set_row_text (GTK_WIDGET (editor), "WhatsApp Business Account ID", "198662045173390");
  set_row_text (GTK_WIDGET (editor), "Access Token", "EAAG-ui-test-token");
  set_row_text (GTK_WIDGET (editor), "App Secret", "ui-test-app-secret");
  set_row_text (GTK_WIDGET (editor), "Graph API Base URL", "http://127.0.0.1:9/v25.0");
  verify_token = g_strdup (row_text (GTK_WIDGET (editor), "Verify Token"));
  select_in_combo (ADW_COMBO_ROW (row_widget (GTK_WIDGET (editor), "Default Team")), "Shop floor");
  save_editor (editor);
  baton_test_ui_wait_until (editor_gone, NULL, TIMEOUT_MS, "the editor to close after saving");
  channel = server_channel ("Shop front", &page);
  g_assert_nonnull (channel);
  channel_id = g_strdup (json_object_get_string_member (channel, "id"));
  g_assert_cmpstr (json_object_get_string_member (channel, "kind"), ==, "whatsapp");
  g_assert_cmpstr (json_object_get_string_member (channel, "phone_number_id"), ==, "402557813396021");
  g_assert_cmpstr (json_object_get_string_member (channel, "display_phone_number"), ==,
                   "+44 20 7946 0135");
  g_assert_cmpstr (json_object_get_string_member (channel, "waba_id"), ==, "198662045173390");
  g_assert_cmpstr (json_object_get_string_member (channel, "graph_base_url"), ==,
                   "http://127.0.0.1:9/v25.0");
  g_assert_cmpstr (json_object_get_string_member (channel, "default_team_id"), ==, team_id);
  g_assert_true (json_object_get_null_member (channel, "default_user_id"));
  g_assert_true (json_object_get_boolean_member (channel, "has_access_token"));
  g_assert_true (json_object_get_boolean_member (channel, "has_app_secret"));
  g_assert_true (json_object_get_boolean_member (channel, "has_verify_token"));
  g_assert_false (json_object_has_member (channel, "access_token"));
  g_assert_false (json_object_has_member (channel, "verify_token"));
  /* The verify token works in Meta's handshake. */
  {
    g_autofree char *path = g_strdup_printf ("/webhooks/whatsapp?hub.mode=subscribe"
                                             "&hub.challenge=1158201444&hub.verify_token=%s",
                                             verify_token);
    g_autoptr(GBytes) response = NULL;
    g_autoptr(SoupMessage) msg = baton_test_send_raw (server, "GET", path, NULL, NULL, &response);

    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    g_assert_cmpmem (g_bytes_get_data (response, NULL), g_bytes_get_size (response),
                     "1158201444", 10);
  }
  /* The list shows it, live. */
  baton_test_ui_wait_until (row_subtitle_has, &subtitle, TIMEOUT_MS, "the new channel's row");
  g_assert_nonnull (find (row_widget (GTK_WIDGET (window), "Shop front"), is_label, "Active"));

  /* Edit: the secrets are not shown again, empty keeps them. */
  editor = open_editor (window, "channels.edit", channel_id);
  g_assert_cmpstr (baton_channel_editor_get_channel_id (editor), ==, channel_id);
  g_assert_cmpstr (row_text (GTK_WIDGET (editor), "Name"), ==, "Shop front");
  g_assert_cmpstr (row_text (GTK_WIDGET (editor), "Phone Number ID"), ==, "402557813396021");
  g_assert_cmpstr (row_text (GTK_WIDGET (editor), "Access Token"), ==, "");
  g_assert_cmpstr (row_text (GTK_WIDGET (editor), "App Secret"), ==, "");
  g_assert_cmpstr (row_text (GTK_WIDGET (editor), "Verify Token"), ==, "");
  g_assert_nonnull (find (GTK_WIDGET (editor), is_label, "Leave empty to keep the saved value."));
  {
    ComboWait wait = { ADW_COMBO_ROW (row_widget (GTK_WIDGET (editor), "Default Team")), "Shop floor" };

    baton_test_ui_wait_until (combo_offers, &wait, TIMEOUT_MS, "the teams");
  }
  g_assert_cmpstr (combo_selected (ADW_COMBO_ROW (row_widget (GTK_WIDGET (editor), "Default Team"))), ==,
                   "Shop floor");
  screenshots (GTK_WIDGET (editor), "whatsapp-channel-editor-edit");
  set_row_text (GTK_WIDGET (editor), "Name", "Shop front desk");
  save_editor (editor);
  baton_test_ui_wait_until (editor_gone, NULL, TIMEOUT_MS, "the editor to close after editing");
  channel = server_channel ("Shop front desk", &page);
  g_assert_nonnull (channel);
  g_assert_true (json_object_get_boolean_member (channel, "has_access_token"));
  g_assert_true (json_object_get_boolean_member (channel, "has_app_secret"));
  g_assert_true (json_object_get_boolean_member (channel, "has_verify_token"));
  g_assert_cmpstr (json_object_get_string_member (channel, "default_team_id"), ==, team_id);
  /* The handshake still takes the token it had. */
  {
    g_autofree char *path = g_strdup_printf ("/webhooks/whatsapp?hub.mode=subscribe"
                                             "&hub.challenge=77&hub.verify_token=%s", verify_token);
    g_autoptr(GBytes) response = NULL;
    g_autoptr(SoupMessage) msg = baton_test_send_raw (server, "GET", path, NULL, NULL, &response);

    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  }

  /* A refused field: marked on its row with what to do (in the agent's language, from the
   * server's field); the editor stays. */
  bad_message = server_refusal ("{\"kind\":\"whatsapp\",\"name\":\"Bad\",\"phone_number_id\":\"12ab\","
                                "\"access_token\":\"t\",\"app_secret\":\"s\",\"verify_token\":\"v\"}",
                                422);
  editor = open_editor (window, "channels.add-whatsapp", NULL);
  set_row_text (GTK_WIDGET (editor), "Name", "Bad");
  set_row_text (GTK_WIDGET (editor), "Phone Number ID", "12ab");
  set_row_text (GTK_WIDGET (editor), "Access Token", "t");
  set_row_text (GTK_WIDGET (editor), "App Secret", "s");
  save_editor (editor);
  baton_test_ui_wait_until (field_error_shown, "phone_number_id", TIMEOUT_MS, "the field error");
  g_assert_cmpstr (baton_channel_editor_get_field_error (editor, "phone_number_id"), ==,
                   PHONE_NUMBER_ID_MESSAGE);
  g_assert_nonnull (bad_message);
  g_assert_true (gtk_widget_has_css_class (entry_row (GTK_WIDGET (editor), "Phone Number ID"), "error"));
  g_assert_false (gtk_widget_has_css_class (entry_row (GTK_WIDGET (editor), "Name"), "error"));
  g_assert_nonnull (find (GTK_WIDGET (editor), is_label, PHONE_NUMBER_ID_MESSAGE));
  screenshots (GTK_WIDGET (editor), "whatsapp-channel-editor-error");
  /* Another number's id: a conflict, on the same field. */
  conflict_message = server_refusal ("{\"kind\":\"whatsapp\",\"name\":\"Twin\","
                                     "\"phone_number_id\":\"402557813396021\",\"access_token\":\"t\","
                                     "\"app_secret\":\"s\",\"verify_token\":\"v\"}", 409);
  set_row_text (GTK_WIDGET (editor), "Phone Number ID", "402557813396021");
  g_assert_false (gtk_widget_has_css_class (entry_row (GTK_WIDGET (editor), "Phone Number ID"), "error"));
  save_editor (editor);
  baton_test_ui_wait_until (field_error_shown, "phone_number_id", TIMEOUT_MS, "the conflict");
  g_assert_cmpstr (baton_channel_editor_get_field_error (editor, "phone_number_id"), ==,
                   PHONE_NUMBER_ID_MESSAGE);
  g_assert_nonnull (conflict_message);
  g_assert_null (server_channel ("Bad", &page));
  gtk_window_destroy (GTK_WINDOW (editor));

  gtk_window_destroy (GTK_WINDOW (window));
  baton_client_stop_stream (manager);
}

/* ------------------------------------------------------------------------------------ */
/* A WhatsApp conversation end to end: batond, signed webhooks, a Graph sandbox          */

static guint wamid_counter;

static void
post_webhook (const char *json)
{
  g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));
  g_autofree char *hex = g_compute_hmac_for_string (G_CHECKSUM_SHA256, (const guchar *) APP_SECRET,
                                                    strlen (APP_SECRET), json, -1);
  g_autofree char *signature = g_strdup_printf ("sha256=%s", hex);

  g_assert_cmpuint (baton_test_post_webhook (server, body, signature), ==, 200);
}

/* A customer's message; payload: the type's members, e.g. "\"type\":\"text\",\"text\":{…}". */
static char *
customer_message (const char *phone_number_id,
                  const char *wa_id,
                  const char *name,
                  gint64      timestamp,
                  const char *payload,
                  const char *context_id)
{
  g_autofree char *wamid = g_strdup_printf ("wamid.UI-IN-%u", ++wamid_counter);
  g_autofree char *name_json = jstr (name);
  g_autofree char *context = context_id
                             ? g_strdup_printf (",\"context\":{\"from\":\"15557014422\",\"id\":\"%s\"}",
                                                context_id)
                             : g_strdup ("");
  g_autofree char *json = g_strdup_printf (
    "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" WABA_ID "\",\"changes\":[{"
    "\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{"
    "\"display_phone_number\":\"15557014422\",\"phone_number_id\":\"%s\"},"
    "\"contacts\":[{\"profile\":{\"name\":%s},\"wa_id\":\"%s\"}],"
    "\"messages\":[{\"from\":\"%s\",\"id\":\"%s\",\"timestamp\":\"%" G_GINT64_FORMAT "\",%s%s}]}}]}]}",
    phone_number_id, name_json, wa_id, wa_id, wamid, timestamp, payload, context);

  post_webhook (json);
  return g_steal_pointer (&wamid);
}

static void
message_status (const char *phone_number_id,
                const char *wamid,
                const char *wa_id,
                const char *status,
                const char *errors)
{
  g_autofree char *json = g_strdup_printf (
    "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" WABA_ID "\",\"changes\":[{"
    "\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{"
    "\"display_phone_number\":\"15557014422\",\"phone_number_id\":\"%s\"},"
    "\"statuses\":[{\"id\":\"%s\",\"status\":\"%s\",\"timestamp\":\"%" G_GINT64_FORMAT "\","
    "\"recipient_id\":\"%s\"%s%s}]}}]}]}",
    phone_number_id, wamid, status, g_get_real_time () / G_USEC_PER_SEC, wa_id,
    errors ? ",\"errors\":" : "", errors ? errors : "");

  post_webhook (json);
}

typedef struct {
  const char *channel_id;
  const char *contact_name;
  char *conversation_id;
} ConversationWait;

static gboolean
conversation_exists (gpointer user_data)
{
  ConversationWait *wait = user_data;
  g_autoptr(JsonNode) page = baton_test_expect (server, "GET", "/api/v1/conversations?limit=500",
                                                server->manager_token, NULL, 200, NULL);
  JsonArray *items = json_object_get_array_member (json_node_get_object (page), "items");

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *conversation = json_array_get_object_element (items, i);
      JsonObject *contact = json_object_get_object_member (conversation, "contact");

      if (g_strcmp0 (json_object_get_string_member (conversation, "channel_id"), wait->channel_id) == 0
          && g_strcmp0 (json_object_get_string_member_with_default (contact, "name", NULL),
                        wait->contact_name) == 0)
        {
          g_free (wait->conversation_id);
          wait->conversation_id = g_strdup (json_object_get_string_member (conversation, "id"));
          return TRUE;
        }
    }
  g_usleep (20000);
  return FALSE;
}

static char *
wait_conversation (const char *channel_id,
                   const char *contact_name)
{
  ConversationWait wait = { channel_id, contact_name, NULL };

  baton_test_ui_wait_until (conversation_exists, &wait, TIMEOUT_MS, contact_name);
  return wait.conversation_id;
}

typedef struct {
  BatonConversationView *view;
  BatonMessageKind kind;
  const char *body;
  const char *status;
  const char *id;
} MessageWait;

/* The view's newest message of that kind and body (and status, when given). */
static gboolean
view_has_message (gpointer user_data)
{
  MessageWait *wait = user_data;
  GListModel *messages = baton_conversation_view_get_messages (wait->view);

  for (guint i = g_list_model_get_n_items (messages); i > 0; i--)
    {
      g_autoptr(BatonMessageItem) item = g_list_model_get_item (messages, i - 1);
      const char *id = baton_message_item_get_id (item);
      BatonMessage *message = baton_conversation_view_lookup_message (wait->view, id);

      if (message->kind == wait->kind && g_strcmp0 (message->body, wait->body) == 0
          && (wait->status == NULL || g_strcmp0 (message->status, wait->status) == 0))
        {
          wait->id = message->id;
          return TRUE;
        }
    }
  return FALSE;
}

/* A reference: the view replaces its messages as they change. */
static BatonMessage *
wait_message (GtkWidget        *view,
              BatonMessageKind  kind,
              const char       *body,
              const char       *status)
{
  MessageWait wait = { BATON_CONVERSATION_VIEW (view), kind, body, status, NULL };
  g_autofree char *what = g_strdup_printf ("“%s” (%s)", body, status ? status : "any status");

  baton_test_ui_wait_until (view_has_message, &wait, TIMEOUT_MS, what);
  return baton_message_ref (baton_conversation_view_lookup_message (BATON_CONVERSATION_VIEW (view),
                                                                    wait.id));
}

typedef struct {
  BatonGraphSandbox *sandbox;
  const char *path;
  const char *type;
  guint n;
} GraphWait;

/* Requests of a kind: a send's "type" ("text", "template"), or "read" for mark-as-read. */
static guint
graph_count (BatonGraphSandbox *sandbox,
             const char     *path,
             const char     *type)
{
  guint n = 0;

  for (guint i = 0; i < baton_graph_sandbox_count (sandbox, "POST", path); i++)
    {
      g_autoptr(JsonNode) body = baton_graph_sandbox_request_json (baton_graph_sandbox_find (sandbox, "POST", path, i));
      JsonObject *object = body && JSON_NODE_HOLDS_OBJECT (body) ? json_node_get_object (body) : NULL;

      if (object == NULL)
        continue;
      if (g_str_equal (type, "read"))
        n += g_strcmp0 (json_object_get_string_member_with_default (object, "status", NULL), "read") == 0;
      else
        n += g_strcmp0 (json_object_get_string_member_with_default (object, "type", NULL), type) == 0;
    }
  return n;
}

static gboolean
graph_has (gpointer user_data)
{
  GraphWait *wait = user_data;

  return graph_count (wait->sandbox, wait->path, wait->type) >= wait->n;
}

static void
wait_graph (BatonGraphSandbox *sandbox,
            const char     *path,
            const char     *type,
            guint           n)
{
  GraphWait wait = { sandbox, path, type, n };
  g_autofree char *what = g_strdup_printf ("%u Graph %s request(s) to %s", n, type, path);

  baton_test_ui_wait_until (graph_has, &wait, TIMEOUT_MS, what);
}

/* The body of the nth send of that type to path. */
static JsonNode *
graph_send (BatonGraphSandbox *sandbox,
            const char     *path,
            const char     *type,
            guint           nth)
{
  for (guint i = 0; i < baton_graph_sandbox_count (sandbox, "POST", path); i++)
    {
      g_autoptr(JsonNode) body = baton_graph_sandbox_request_json (baton_graph_sandbox_find (sandbox, "POST", path, i));

      if (body && JSON_NODE_HOLDS_OBJECT (body)
          && g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (body),
                                                                    "type", NULL), type) == 0
          && nth-- == 0)
        return g_steal_pointer (&body);
    }
  return NULL;
}

typedef struct {
  GtkWidget *root;
  const char *message_id;
  const char *icon;
  const char *css_class;
} TickWait;

static gboolean
tick_is (gpointer user_data)
{
  TickWait *wait = user_data;
  GtkWidget *row = find (wait->root, is_message_row, wait->message_id);
  GtkWidget *icon = row ? find (row, has_class, "delivery-status") : NULL;

  return icon && gtk_widget_get_visible (icon)
         && g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (icon)), wait->icon) == 0
         && (wait->css_class == NULL || gtk_widget_has_css_class (icon, wait->css_class));
}

static void
wait_tick (GtkWidget  *view,
           const char *message_id,
           const char *icon,
           const char *css_class)
{
  TickWait wait = { view, message_id, icon, css_class };

  baton_test_ui_wait_until (tick_is, &wait, TIMEOUT_MS, icon);
}

static char *
create_whatsapp_channel (BatonGraphSandbox *sandbox,
                         const char     *phone_number_id,
                         const char     *name)
{
  g_autofree char *body = baton_test_strdup_printf_json (
    "{\"kind\":\"whatsapp\",\"name\":%s,\"phone_number_id\":%s,\"display_phone_number\":"
    "\"15557014422\",\"waba_id\":\"" WABA_ID "\",\"access_token\":\"EAAG-ui-token\","
    "\"app_secret\":\"" APP_SECRET "\",\"verify_token\":\"ui-verify\",\"graph_base_url\":%s}",
    name, phone_number_id, baton_graph_sandbox_get_base_url (sandbox));
  g_autoptr(JsonNode) channel = baton_test_expect (server, "POST", "/api/v1/channels",
                                                   server->manager_token, body, 201, NULL);

  return g_strdup (baton_test_get_string (channel, "id"));
}

static void
test_conversation (void)
{
  BatonGraphSandbox *sandbox = NULL;
  g_autoptr(BatonClient) client = NULL;
  g_autoptr(GBytes) photo = png_bytes (800, 600);
  g_autofree char *channel_id = NULL;
  g_autofree char *conversation_id = NULL;
  g_autofree char *closed_id = NULL;
  g_autofree char *messages_path = NULL;
  g_autofree char *payload = NULL;
  g_autoptr(JsonNode) template_send = NULL;
  g_autoptr(BatonMessage) reply = NULL;
  g_autoptr(BatonMessage) failing = NULL;
  g_autoptr(BatonMessage) photo_message = NULL;
  g_autoptr(BatonMessage) quoting = NULL;
  g_autoptr(BatonMessage) template_message = NULL;
  GtkWindow *window = NULL;
  GtkWidget *view = NULL;
  BatonTemplatePicker *picker = NULL;
  GtkWidget *row = NULL;
  const char *pnid = "389104726650318";
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (!whatsapp_ready)
    {
      g_test_skip ("batond does not create WhatsApp channels yet (POST /channels kind whatsapp)");
      return;
    }
  sandbox = baton_test_graph_new ();
  baton_test_graph_set_templates (sandbox, WABA_ID,
    "[{\"name\":\"appointment_reminder_v2\",\"language\":\"en_GB\",\"status\":\"APPROVED\","
    "\"category\":\"UTILITY\",\"components\":[{\"type\":\"BODY\",\"text\":\"Hi {{1}}, see you on "
    "{{2}}.\"},{\"type\":\"FOOTER\",\"text\":\"Reply STOP to opt out\"}]},"
    "{\"name\":\"draft_offer\",\"language\":\"en_GB\",\"status\":\"PENDING\",\"category\":"
    "\"MARKETING\",\"components\":[{\"type\":\"BODY\",\"text\":\"Not approved yet\"}]}]", 0);
  baton_graph_sandbox_add_media (sandbox, "media-ui-1", "image/png", photo);
  channel_id = create_whatsapp_channel (sandbox, pnid, "Harbour shop");
  messages_path = g_strdup_printf ("/%s/messages", pnid);

  /* A customer writes: the conversation, its window open, marked read when opened. */
  g_free (customer_message (pnid, "447700900123", "Harriet Quill", now - 60,
                            "\"type\":\"text\",\"text\":{\"body\":\"Is the van free on Friday?\"}",
                            NULL));
  conversation_id = wait_conversation (channel_id, "Harriet Quill");
  client = signed_in_client (BATON_TEST_MANAGER_EMAIL);
  view = view_in_window (client, &window);
  open_conversation (view, conversation_id);
  g_assert_true (g_str_has_prefix (notice_text (view), "Replies allowed for 23 h"));
  wait_graph (sandbox, messages_path, "read", 1);

  /* A reply: pending, then sent once Graph took it, then delivered and read. */
  baton_graph_sandbox_push_sent (sandbox, pnid, "wamid.UI-REPLY-1");
  type_text (view, "Yes, from 9:00.\nBring the keys back by 18:00.");
  g_assert_true (gtk_widget_activate_action (view, "conversation.send", NULL));
  reply = wait_message (view, BATON_MESSAGE_OUTBOUND, "Yes, from 9:00.\nBring the keys back by 18:00.",
                        "sent");
  wait_tick (view, reply->id, "baton-sent-symbolic", NULL);
  message_status (pnid, "wamid.UI-REPLY-1", "447700900123", "delivered", NULL);
  wait_tick (view, reply->id, "baton-delivered-symbolic", NULL);
  message_status (pnid, "wamid.UI-REPLY-1", "447700900123", "read", NULL);
  wait_tick (view, reply->id, "baton-delivered-symbolic", "read");

  /* A failure: the reason under the bubble. */
  baton_graph_sandbox_push_sent (sandbox, pnid, "wamid.UI-REPLY-2");
  wait_composer_ready (view);
  type_text (view, "Are you still there?");
  g_assert_true (gtk_widget_activate_action (view, "conversation.send", NULL));
  g_clear_pointer (&failing, baton_message_unref);
  failing = wait_message (view, BATON_MESSAGE_OUTBOUND, "Are you still there?", "sent");
  message_status (pnid, "wamid.UI-REPLY-2", "447700900123", "failed",
                  "[{\"code\":131026,\"title\":\"Message undeliverable\",\"message\":"
                  "\"Message undeliverable\",\"error_data\":{\"details\":\"The recipient is not "
                  "on WhatsApp.\"}}]");
  g_clear_pointer (&failing, baton_message_unref);
  failing = wait_message (view, BATON_MESSAGE_OUTBOUND, "Are you still there?", "failed");
  g_assert_nonnull (failing->error);
  {
    const char *reason = json_object_get_string_member (json_node_get_object (failing->error),
                                                        "message");

    wait_tick (view, failing->id, "dialog-error-symbolic", "error");
    row = find (view, is_message_row, failing->id);
    g_assert_nonnull (find (row, is_label, reason));
  }

  /* A photo: fetched through batond from Graph, shown inline. */
  wait_composer_ready (view);
  g_free (customer_message (pnid, "447700900123", "Harriet Quill", now - 30,
                            "\"type\":\"image\",\"image\":{\"id\":\"media-ui-1\",\"mime_type\":"
                            "\"image/png\",\"sha256\":\"x\",\"caption\":\"The scratch\"}", NULL));
  photo_message = wait_message (view, BATON_MESSAGE_INBOUND, "The scratch", NULL);
  row = wait_for (view, is_message_row, photo_message->id);
  wait_for (row, picture_loaded, NULL);

  /* A quote of our reply. */
  g_free (customer_message (pnid, "447700900123", "Harriet Quill", now - 20,
                            "\"type\":\"text\",\"text\":{\"body\":\"Great, thanks!\"}",
                            "wamid.UI-REPLY-1"));
  quoting = wait_message (view, BATON_MESSAGE_INBOUND, "Great, thanks!", NULL);
  g_assert_cmpstr (quoting->in_reply_to, ==, reply->id);
  row = wait_for (view, is_message_row, quoting->id);
  g_assert_nonnull (find (row, is_label, "Yes, from 9:00."));
  g_assert_nonnull (find (row, is_label, "Maya Manager"));
  screenshots (GTK_WIDGET (window), "whatsapp-conversation");
  /* Rows changed height (the photo) and state (the ticks): the view still shows the newest. */
  g_assert_nonnull (find (view, is_message_row, quoting->id));

  /* Another customer, last heard 25 hours ago: the window is closed; a template goes. */
  g_free (customer_message (pnid, "12065550177", "Kenji Watanabe", now - 25 * 3600,
                            "\"type\":\"text\",\"text\":{\"body\":\"Please remind me.\"}", NULL));
  closed_id = wait_conversation (channel_id, "Kenji Watanabe");
  open_conversation (view, closed_id);
  g_assert_cmpstr (notice_text (view), ==, "The 24-hour window closed: send an approved template");
  g_assert_true (gtk_widget_activate_action (view, "conversation.choose-template", NULL));
  baton_test_ui_wait_until (picker_shown, NULL, TIMEOUT_MS, "the template picker");
  picker = find_picker ();
  row = wait_for (GTK_WIDGET (picker), is_row_titled, "appointment_reminder_v2");
  /* Only approved ones. */
  g_assert_null (find (GTK_WIDGET (picker), is_row_titled, "draft_offer"));
  g_signal_emit_by_name (gtk_widget_get_parent (row), "row-activated", row);
  gtk_editable_set_text (GTK_EDITABLE (entry_row (GTK_WIDGET (picker), "{{1}}")), "Kenji");
  gtk_editable_set_text (GTK_EDITABLE (entry_row (GTK_WIDGET (picker), "{{2}}")), "Fri 21 Mar, 10:00");
  baton_graph_sandbox_push_sent (sandbox, pnid, "wamid.UI-TEMPLATE-1");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (picker), "picker.send", NULL));
  baton_test_ui_wait_until (picker_gone, NULL, TIMEOUT_MS, "the picker to close");
  template_message = wait_message (view, BATON_MESSAGE_OUTBOUND,
                                   "Hi Kenji, see you on Fri 21 Mar, 10:00.", NULL);
  wait_graph (sandbox, messages_path, "template", 1);
  template_send = graph_send (sandbox, messages_path, "template", 0);
  g_assert_cmpstr (baton_test_get_string (template_send, "template.name"), ==, "appointment_reminder_v2");
  g_assert_cmpstr (baton_test_get_string (template_send, "template.language.code"), ==, "en_GB");
  g_assert_cmpstr (baton_test_get_string (template_send, "template.components.0.parameters.0.text"), ==,
                   "Kenji");
  g_assert_cmpstr (baton_test_get_string (template_send, "template.components.0.parameters.1.text"), ==,
                   "Fri 21 Mar, 10:00");
  screenshots (GTK_WIDGET (window), "whatsapp-conversation-closed");

  baton_client_stop_stream (client);
  gtk_window_destroy (window);
  g_object_unref (sandbox);
}

/* A refused token pauses the channel: the Channels page says so, with the reason. */
static void
test_paused (void)
{
  BatonGraphSandbox *sandbox = NULL;
  g_autoptr(BatonClient) manager = NULL;
  g_autofree char *channel_id = NULL;
  g_autofree char *conversation_id = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) sent = NULL;
  g_autoptr(JsonNode) page = NULL;
  BatonPreferencesWindow *window = NULL;
  const char *pnid = "402557813390000";
  SubtitleWait paused = { NULL, "Paused number", NULL };
  JsonObject *channel = NULL;
  gint64 deadline = 0;

  if (!whatsapp_ready)
    {
      g_test_skip ("batond does not create WhatsApp channels yet (POST /channels kind whatsapp)");
      return;
    }
  sandbox = baton_test_graph_new ();
  baton_graph_sandbox_set_access_token (sandbox, "another-token");
  channel_id = create_whatsapp_channel (sandbox, pnid, "Paused number");
  g_free (customer_message (pnid, "61491570156", "Amira Haddad", g_get_real_time () / G_USEC_PER_SEC - 60,
                            "\"type\":\"text\",\"text\":{\"body\":\"Hello?\"}", NULL));
  conversation_id = wait_conversation (channel_id, "Amira Haddad");
  path = g_strdup_printf ("/api/v1/conversations/%s/messages", conversation_id);
  sent = baton_test_expect (server, "POST", path, server->manager_token, "{\"body\":\"Hi Amira\"}",
                            201, NULL);
  /* Graph refuses the token (190): the channel pauses. */
  deadline = g_get_monotonic_time () + TIMEOUT_MS * 1000;
  while ((channel = server_channel ("Paused number", &page)) != NULL
         && g_strcmp0 (json_object_get_string_member (channel, "state"), "paused") != 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (50000);
    }
  g_assert_nonnull (channel);
  paused.text = json_object_get_string_member (channel, "state_message");
  g_assert_nonnull (paused.text);

  manager = signed_in_client (BATON_TEST_MANAGER_EMAIL);
  window = baton_preferences_window_new (settings, manager);
  gtk_window_present (GTK_WINDOW (window));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), "channels");
  paused.root = GTK_WIDGET (window);
  baton_test_ui_wait_until (row_subtitle_has, &paused, TIMEOUT_MS, "the paused state");
  g_assert_nonnull (find (row_widget (GTK_WIDGET (window), "Paused number"), is_label, "Paused"));
  screenshots (GTK_WIDGET (window), "whatsapp-channels-paused");
  gtk_window_destroy (GTK_WINDOW (window));
  baton_client_stop_stream (manager);
  g_object_unref (sandbox);
}

/* ------------------------------------------------------------------------------------ */

/* Whether this batond creates WhatsApp channels (the server side may not have landed). */
static gboolean
probe_whatsapp (void)
{
  guint status = 0;
  g_autoptr(JsonNode) channel = baton_test_request (server, "POST", "/api/v1/channels",
                                                    server->manager_token,
                                                    "{\"kind\":\"whatsapp\",\"name\":\"Probe\","
                                                    "\"phone_number_id\":\"100000000000001\","
                                                    "\"access_token\":\"probe\",\"app_secret\":\"probe\","
                                                    "\"verify_token\":\"probe\","
                                                    "\"graph_base_url\":\"http://127.0.0.1:9/v25.0\"}",
                                                    &status);
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) deleted = NULL;

  if (status != 201)
    {
      g_test_message ("POST /channels kind whatsapp: %u: WhatsApp cases skip", status);
      return FALSE;
    }
  path = g_strdup_printf ("/api/v1/channels/%s", baton_test_get_string (channel, "id"));
  deleted = baton_test_expect (server, "DELETE", path, server->manager_token, NULL, 204, NULL);
  return TRUE;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name = NULL;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* Saved attachments go to a cache of our own (read before GLib caches the path). */
  cache_home = g_dir_make_tmp ("baton-ui-cache-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_CACHE_HOME", cache_home, TRUE);
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    return 77;
  adw_init ();
  baton_test_ui_load_stylesheet ();
  settings = baton_settings_new ();
  mock = mock_api_new ();
  server = baton_test_server_new (NULL);
  api_channel_id = baton_test_create_channel (server, NULL, NULL);
  whatsapp_ready = probe_whatsapp ();

  g_test_add_func ("/ui/whatsapp/file-names", test_file_names);
  g_test_add_func ("/ui/whatsapp/rows", test_rows);
  g_test_add_func ("/ui/whatsapp/window", test_window);
  g_test_add_func ("/ui/whatsapp/quotes", test_quotes);
  g_test_add_func ("/ui/whatsapp/templates", test_templates);
  g_test_add_func ("/ui/whatsapp/channels-page", test_channels_page);
  g_test_add_func ("/ui/whatsapp/server/channel-editor", test_channel_editor);
  g_test_add_func ("/ui/whatsapp/server/conversation", test_conversation);
  g_test_add_func ("/ui/whatsapp/server/paused", test_paused);

  status = g_test_run ();
  baton_test_server_free (server);
  mock_api_free (mock);
  g_clear_object (&settings);
  g_free (api_channel_id);
  remove_tree (cache_home);
  g_free (cache_home);
  return status;
}
