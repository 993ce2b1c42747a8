/* baton-fake-graph.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-test"

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "baton-fake-graph.h"

#define VERSION_PREFIX "/v25.0"
#define DOWNLOAD_PREFIX "/download/"
#define DEFAULT_PAGE_SIZE 25

/* An answer ready to send. */
typedef struct {
  BatonFakeMatch match;
  guint status;
  GBytes *body;
  char *content_type;
  char *retry_after;
  guint delay_ms;
  gboolean chunked;
} Answer;

typedef struct {
  char *mime_type;
  GBytes *bytes;
  /* the Authorization header of the last metadata request: the download wants the same */
  char *fetched_with;
} Media;

typedef struct {
  JsonArray *templates;
  guint page_size;
} Templates;

/* An answer waiting for its delay, in the server thread. */
typedef struct {
  BatonFakeGraph *fake;
  SoupServerMessage *msg;
  Answer *answer;
  GSource *timeout;
  gulong finished_id;
} Pending;

struct _BatonFakeGraph
{
  /* set before the thread runs, then read-only */
  GMainContext *context;
  GMainLoop *loop;
  GThread *thread;
  char *origin;
  char *base_url;

  /* guarded by mutex */
  GMutex mutex;
  GCond cond;
  gboolean listening;
  GHashTable *scripted;
  GHashTable *media;
  GHashTable *templates;
  GPtrArray *requests;
  guint sent;
  guint delay_ms;
  char *access_token;

  /* the server thread only */
  SoupServer *server;
  GHashTable *pending;
};

static void
answer_free (Answer *answer)
{
  g_clear_pointer (&answer->body, g_bytes_unref);
  g_free (answer->content_type);
  g_free (answer->retry_after);
  g_free (answer);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Answer, answer_free)

static void
media_free (Media *media)
{
  g_free (media->mime_type);
  g_bytes_unref (media->bytes);
  g_free (media->fetched_with);
  g_free (media);
}

static void
templates_free (Templates *templates)
{
  json_array_unref (templates->templates);
  g_free (templates);
}

static void
request_free (BatonFakeRequest *request)
{
  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
  g_free (request->authorization);
  g_free (request->content_type);
  g_bytes_unref (request->body);
  g_free (request);
}

static void
queue_free (GQueue *queue)
{
  g_queue_free_full (queue, (GDestroyNotify) answer_free);
}

static Answer *
answer_new (guint       status,
            const char *body)
{
  Answer *answer = g_new0 (Answer, 1);

  answer->status = status;
  if (body)
    answer->body = g_bytes_new (body, strlen (body));
  return answer;
}

/* A Graph error answer. */
static Answer *
error_answer (guint       status,
              gint64      code,
              const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *trace = g_uuid_string_random ();
  g_autofree char *json = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "OAuthException");
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, code);
  json_builder_set_member_name (builder, "fbtrace_id");
  json_builder_add_string_value (builder, trace);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json = json_to_string (root, FALSE);
  return answer_new (status, json);
}

static Answer *
json_answer (guint     status,
             JsonNode *root)
{
  g_autofree char *json = json_to_string (root, FALSE);

  return answer_new (status, json);
}

static gboolean
path_matches (const BatonFakeRequest *request,
              const char             *method,
              const char             *path)
{
  return (method == NULL || g_strcmp0 (request->method, method) == 0)
         && (path == NULL || g_strcmp0 (request->path, path) == 0);
}

static JsonObject *
request_object (const BatonFakeRequest *request,
                JsonNode              **root)
{
  *root = baton_fake_request_json (request);
  if (*root == NULL || !JSON_NODE_HOLDS_OBJECT (*root))
    return NULL;
  return json_node_get_object (*root);
}

static const char *
string_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = NULL;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;
  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
is_read_request (const BatonFakeRequest *request)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = request_object (request, &root);

  return g_strcmp0 (string_member (object, "status"), "read") == 0;
}

static gboolean
answer_accepts (const Answer           *answer,
                const BatonFakeRequest *request)
{
  switch (answer->match)
    {
    case BATON_FAKE_MATCH_SEND:
      return !is_read_request (request);
    case BATON_FAKE_MATCH_READ:
      return is_read_request (request);
    case BATON_FAKE_MATCH_ANY:
    default:
      return TRUE;
    }
}

/* ---- default answers (the mutex is held) ---- */

static Answer *
answer_messages (BatonFakeGraph         *fake,
                 const BatonFakeRequest *request)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *wamid = NULL;
  JsonObject *object = request_object (request, &root);
  const char *to = NULL;
  const char *recipient = NULL;

  if (object == NULL)
    return error_answer (400, 100, "(#100) The parameter messaging_product is required.");
  if (g_strcmp0 (string_member (object, "messaging_product"), "whatsapp") != 0)
    return error_answer (400, 100, "(#100) The parameter messaging_product is required.");
  if (json_object_has_member (object, "status"))
    {
      if (g_strcmp0 (string_member (object, "status"), "read") != 0
          || string_member (object, "message_id") == NULL)
        return error_answer (400, 100, "(#100) Invalid parameter");
      return answer_new (200, "{\"success\":true}");
    }
  to = string_member (object, "to");
  recipient = string_member (object, "recipient");
  if (to == NULL && recipient == NULL)
    return error_answer (400, 100, "(#100) The parameter to is required.");
  if (string_member (object, "type") == NULL)
    return error_answer (400, 100, "(#100) Invalid parameter");

  wamid = g_strdup_printf ("wamid.FAKE%u", ++fake->sent);
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "messaging_product");
  json_builder_add_string_value (builder, "whatsapp");
  json_builder_set_member_name (builder, "contacts");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "input");
  json_builder_add_string_value (builder, to ? to : recipient);
  json_builder_set_member_name (builder, to ? "wa_id" : "user_id");
  json_builder_add_string_value (builder, to ? to : recipient);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, wamid);
  json_builder_set_member_name (builder, "message_status");
  json_builder_add_string_value (builder, "accepted");
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  reply = json_builder_get_root (builder);
  return json_answer (200, reply);
}

static Answer *
answer_media (BatonFakeGraph         *fake,
              const BatonFakeRequest *request,
              const char             *media_id)
{
  Media *media = g_hash_table_lookup (fake->media, media_id);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *url = NULL;
  g_autofree char *sha256 = NULL;

  if (media == NULL)
    return error_answer (400, 100, "Unsupported get request. Object does not exist, cannot be "
                         "loaded due to missing permissions, or does not support this "
                         "operation.");
  g_free (media->fetched_with);
  media->fetched_with = g_strdup (request->authorization);
  /* signed like Meta's lookaside urls, which expire */
  url = g_strdup_printf ("%s" DOWNLOAD_PREFIX "%s?ext=%" G_GINT64_FORMAT "&hash=fake", fake->origin,
                         media_id, request->time_us);
  sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, media->bytes);
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "messaging_product");
  json_builder_add_string_value (builder, "whatsapp");
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, url);
  json_builder_set_member_name (builder, "mime_type");
  json_builder_add_string_value (builder, media->mime_type);
  json_builder_set_member_name (builder, "sha256");
  json_builder_add_string_value (builder, sha256);
  json_builder_set_member_name (builder, "file_size");
  json_builder_add_int_value (builder, (gint64) g_bytes_get_size (media->bytes));
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, media_id);
  json_builder_end_object (builder);
  reply = json_builder_get_root (builder);
  return json_answer (200, reply);
}

static Answer *
answer_download (BatonFakeGraph         *fake,
                 const BatonFakeRequest *request,
                 const char             *media_id)
{
  Media *media = g_hash_table_lookup (fake->media, media_id);
  g_autofree char *expected = NULL;
  Answer *answer = NULL;

  if (media == NULL)
    return answer_new (404, NULL);
  if (fake->access_token)
    expected = g_strconcat ("Bearer ", fake->access_token, NULL);
  else
    expected = g_strdup (media->fetched_with);
  if (request->authorization == NULL
      || !g_str_has_prefix (request->authorization, "Bearer ")
      || (expected && strcmp (request->authorization, expected) != 0))
    return error_answer (401, 190, "Error validating access token");
  answer = g_new0 (Answer, 1);
  answer->status = 200;
  answer->body = g_bytes_ref (media->bytes);
  answer->content_type = g_strdup (media->mime_type);
  return answer;
}

/* What the cursor names: "after-<index>". */
static gboolean
parse_cursor (const char *cursor,
              guint      *index)
{
  guint64 value = 0;

  if (!g_str_has_prefix (cursor, "after-")
      || !g_ascii_string_to_unsigned (cursor + strlen ("after-"), 10, 0, G_MAXUINT, &value,
                                      NULL))
    return FALSE;
  *index = (guint) value;
  return TRUE;
}

static Answer *
answer_templates (BatonFakeGraph *fake,
                  const char     *waba_id,
                  GHashTable     *query)
{
  Templates *templates = g_hash_table_lookup (fake->templates, waba_id);
  const char *limit_text = query ? g_hash_table_lookup (query, "limit") : NULL;
  const char *after = query ? g_hash_table_lookup (query, "after") : NULL;
  const char *status = query ? g_hash_table_lookup (query, "status") : NULL;
  g_autoptr(JsonArray) selected = json_array_new ();
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) reply = NULL;
  guint64 limit = 0;
  guint start = 0;
  guint end = 0;

  if (templates == NULL)
    return error_answer (400, 100, "Unsupported get request. Object does not exist, cannot be "
                         "loaded due to missing permissions, or does not support this "
                         "operation.");
  limit = templates->page_size ? templates->page_size : DEFAULT_PAGE_SIZE;
  if (limit_text
      && !g_ascii_string_to_unsigned (limit_text, 10, 1, 1000, &limit, NULL))
    return error_answer (400, 100, "(#100) Param limit must be a positive number");
  if (after && !parse_cursor (after, &start))
    return error_answer (400, 100, "(#100) Invalid cursor");

  for (guint i = 0; i < json_array_get_length (templates->templates); i++)
    {
      JsonNode *node = json_array_get_element (templates->templates, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      if (status == NULL || g_strcmp0 (string_member (object, "status"), status) == 0)
        json_array_add_element (selected, json_node_copy (node));
    }
  start = MIN (start, json_array_get_length (selected));
  end = (guint) MIN ((guint64) start + limit, json_array_get_length (selected));

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_array (builder);
  for (guint i = start; i < end; i++)
    json_builder_add_value (builder, json_node_copy (json_array_get_element (selected, i)));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "paging");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "cursors");
  json_builder_begin_object (builder);
  {
    g_autofree char *before = g_strdup_printf ("before-%u", start);
    g_autofree char *cursor = g_strdup_printf ("after-%u", end);

    json_builder_set_member_name (builder, "before");
    json_builder_add_string_value (builder, before);

    json_builder_set_member_name (builder, "after");
    json_builder_add_string_value (builder, cursor);
    json_builder_end_object (builder);
    if (end < json_array_get_length (selected))
      {
        g_autofree char *next = NULL;
        g_autofree char *status_query = status ? g_strdup_printf ("&status=%s", status) : NULL;

        next = g_strdup_printf ("%s/%s/message_templates?limit=%" G_GUINT64_FORMAT "&after=%s%s",
                                fake->base_url, waba_id, limit, cursor,
                                status_query ? status_query : "");
        json_builder_set_member_name (builder, "next");
        json_builder_add_string_value (builder, next);
      }
  }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  reply = json_builder_get_root (builder);
  return json_answer (200, reply);
}

static gboolean
is_authorized (BatonFakeGraph         *fake,
               const BatonFakeRequest *request)
{
  g_autofree char *expected = NULL;

  if (fake->access_token == NULL)
    return TRUE;
  expected = g_strconcat ("Bearer ", fake->access_token, NULL);
  return g_strcmp0 (request->authorization, expected) == 0;
}

static Answer *
default_answer (BatonFakeGraph         *fake,
                const BatonFakeRequest *request,
                GHashTable             *query)
{
  g_auto(GStrv) parts = NULL;
  guint n_parts = 0;

  if (g_str_has_prefix (request->path, DOWNLOAD_PREFIX))
    {
      if (strcmp (request->method, "GET") != 0)
        return answer_new (405, NULL);
      return answer_download (fake, request, request->path + strlen (DOWNLOAD_PREFIX));
    }
  if (!is_authorized (fake, request))
    return error_answer (401, 190, "Invalid OAuth access token - Cannot parse access token");

  parts = g_strsplit (request->path + 1, "/", -1);
  n_parts = g_strv_length (parts);
  if (n_parts == 2 && strcmp (request->method, "POST") == 0
      && strcmp (parts[1], "messages") == 0)
    return answer_messages (fake, request);
  if (n_parts == 1 && strcmp (request->method, "GET") == 0 && *parts[0] != '\0')
    return answer_media (fake, request, parts[0]);
  if (n_parts == 2 && strcmp (request->method, "GET") == 0
      && strcmp (parts[1], "message_templates") == 0)
    return answer_templates (fake, parts[0], query);
  return error_answer (400, 100, "Unsupported request");
}

static Answer *
take_scripted (BatonFakeGraph         *fake,
               const BatonFakeRequest *request)
{
  g_autofree char *key = g_strconcat (request->method, " ", request->path, NULL);
  GQueue *queue = g_hash_table_lookup (fake->scripted, key);

  if (queue == NULL)
    return NULL;
  for (GList *link = queue->head; link; link = link->next)
    {
      Answer *answer = link->data;

      if (answer_accepts (answer, request))
        {
          g_queue_delete_link (queue, link);
          return answer;
        }
    }
  return NULL;
}

/* ---- the server thread ---- */

static void
send_answer (SoupServerMessage *msg,
             const Answer      *answer)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *content_type = answer->content_type ? answer->content_type : "application/json";
  gsize length = 0;
  const char *data = answer->body ? g_bytes_get_data (answer->body, &length) : NULL;

  if (answer->status == 0)
    {
      g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

      if (stream)
        g_io_stream_close (stream, NULL, NULL);
      return;
    }
  if (answer->retry_after)
    soup_message_headers_replace (headers, "Retry-After", answer->retry_after);
  soup_server_message_set_status (msg, answer->status, NULL);
  if (answer->chunked)
    {
      SoupMessageBody *body = soup_server_message_get_response_body (msg);
      gsize chunk = MAX (length / 4, (gsize) 1);

      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      soup_message_headers_replace (headers, "Content-Type", content_type);
      for (gsize offset = 0; offset < length; offset += chunk)
        soup_message_body_append (body, SOUP_MEMORY_COPY, data + offset,
                                  MIN (chunk, length - offset));
      soup_message_body_complete (body);
    }
  else if (length > 0)
    soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, data, length);
}

static void
pending_free (Pending *pending)
{
  g_clear_signal_handler (&pending->finished_id, pending->msg);
  if (pending->timeout)
    {
      g_source_destroy (pending->timeout);
      g_source_unref (pending->timeout);
    }
  g_object_unref (pending->msg);
  g_clear_pointer (&pending->answer, answer_free);
  g_free (pending);
}

static gboolean
pending_due_cb (gpointer user_data)
{
  Pending *pending = user_data;
  SoupServerMessage *msg = g_object_ref (pending->msg);
  g_autoptr(Answer) answer = g_steal_pointer (&pending->answer);

  /* forgotten first: answering may finish the message, which must not find it */
  g_clear_pointer (&pending->timeout, g_source_unref);
  g_hash_table_remove (pending->fake->pending, pending);
  send_answer (msg, answer);
  /* a stolen connection is no longer the server's to resume */
  if (answer->status != 0)
    soup_server_message_unpause (msg);
  g_object_unref (msg);
  return G_SOURCE_REMOVE;
}

/* The client went away while the answer waited. */
static void
pending_finished_cb (SoupServerMessage *msg,
                     Pending           *pending)
{
  g_hash_table_remove (pending->fake->pending, pending);
}

static BatonFakeRequest *
record_request (SoupServerMessage *msg,
                const char        *path)
{
  BatonFakeRequest *request = g_new0 (BatonFakeRequest, 1);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));

  request->time_us = g_get_monotonic_time ();
  request->method = g_strdup (soup_server_message_get_method (msg));
  if (g_str_has_prefix (path, VERSION_PREFIX "/"))
    path += strlen (VERSION_PREFIX);
  request->path = g_strdup (path);
  request->query = g_strdup (query);
  request->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  request->content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  request->body = soup_message_body_flatten (body);
  return request;
}

static void
request_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  BatonFakeGraph *fake = user_data;
  BatonFakeRequest *request = record_request (msg, path);
  g_autoptr(Answer) answer = NULL;
  guint delay_ms = 0;

  g_mutex_lock (&fake->mutex);
  g_ptr_array_add (fake->requests, request);
  answer = take_scripted (fake, request);
  if (answer == NULL)
    answer = default_answer (fake, request, query);
  delay_ms = answer->delay_ms + fake->delay_ms;
  g_cond_broadcast (&fake->cond);
  g_mutex_unlock (&fake->mutex);

  if (delay_ms == 0)
    {
      send_answer (msg, answer);
      return;
    }

  {
    Pending *pending = g_new0 (Pending, 1);

    pending->fake = fake;
    pending->msg = g_object_ref (msg);
    pending->answer = g_steal_pointer (&answer);
    pending->timeout = g_timeout_source_new (delay_ms);
    g_source_set_callback (pending->timeout, pending_due_cb, pending, NULL);
    g_source_attach (pending->timeout, fake->context);
    pending->finished_id = g_signal_connect (msg, "finished",
                                             G_CALLBACK (pending_finished_cb), pending);
    g_hash_table_add (fake->pending, pending);
    soup_server_message_pause (msg);
  }
}

static gpointer
serve (gpointer user_data)
{
  BatonFakeGraph *fake = user_data;
  g_autoptr(GError) error = NULL;
  GSList *uris = NULL;

  g_main_context_push_thread_default (fake->context);
  fake->server = soup_server_new ("server-header", "fake-graph", NULL);
  fake->pending = g_hash_table_new_full (NULL, NULL, (GDestroyNotify) pending_free, NULL);
  soup_server_add_handler (fake->server, NULL, request_cb, fake, NULL);
  soup_server_listen_local (fake->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (fake->server);
  g_assert_nonnull (uris);

  g_mutex_lock (&fake->mutex);
  fake->origin = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  fake->base_url = g_strconcat (fake->origin, VERSION_PREFIX, NULL);
  fake->listening = TRUE;
  g_cond_broadcast (&fake->cond);
  g_mutex_unlock (&fake->mutex);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (fake->loop);

  g_hash_table_remove_all (fake->pending);
  soup_server_disconnect (fake->server);
  g_clear_object (&fake->server);
  while (g_main_context_iteration (fake->context, FALSE))
    ;
  g_clear_pointer (&fake->pending, g_hash_table_unref);
  g_main_context_pop_thread_default (fake->context);
  return NULL;
}

static gboolean
quit_cb (gpointer user_data)
{
  BatonFakeGraph *fake = user_data;

  g_main_loop_quit (fake->loop);
  return G_SOURCE_REMOVE;
}

/* ---- public API ---- */

BatonFakeGraph *
baton_fake_graph_new (void)
{
  BatonFakeGraph *fake = g_new0 (BatonFakeGraph, 1);

  g_mutex_init (&fake->mutex);
  g_cond_init (&fake->cond);
  fake->scripted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) queue_free);
  fake->media = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) media_free);
  fake->templates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) templates_free);
  fake->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_free);
  fake->context = g_main_context_new ();
  fake->loop = g_main_loop_new (fake->context, FALSE);
  fake->thread = g_thread_new ("fake-graph", serve, fake);

  g_mutex_lock (&fake->mutex);
  while (!fake->listening)
    g_cond_wait (&fake->cond, &fake->mutex);
  g_mutex_unlock (&fake->mutex);
  return fake;
}

void
baton_fake_graph_free (BatonFakeGraph *fake)
{
  GSource *source = NULL;

  if (fake == NULL)
    return;
  source = g_idle_source_new ();
  g_source_set_callback (source, quit_cb, fake, NULL);
  g_source_attach (source, fake->context);
  g_source_unref (source);
  g_thread_join (fake->thread);

  g_main_loop_unref (fake->loop);
  g_main_context_unref (fake->context);
  g_hash_table_unref (fake->scripted);
  g_hash_table_unref (fake->media);
  g_hash_table_unref (fake->templates);
  g_ptr_array_unref (fake->requests);
  g_free (fake->access_token);
  g_free (fake->origin);
  g_free (fake->base_url);
  g_mutex_clear (&fake->mutex);
  g_cond_clear (&fake->cond);
  g_free (fake);
}

const char *
baton_fake_graph_base_url (BatonFakeGraph *fake)
{
  return fake->base_url;
}

void
baton_fake_graph_set_access_token (BatonFakeGraph *fake,
                                   const char     *token)
{
  g_mutex_lock (&fake->mutex);
  g_free (fake->access_token);
  fake->access_token = g_strdup (token);
  g_mutex_unlock (&fake->mutex);
}

void
baton_fake_graph_set_delay (BatonFakeGraph *fake,
                            guint           delay_ms)
{
  g_mutex_lock (&fake->mutex);
  fake->delay_ms = delay_ms;
  g_mutex_unlock (&fake->mutex);
}

void
baton_fake_graph_push_reply (BatonFakeGraph       *fake,
                             const BatonFakeReply *reply)
{
  g_autofree char *key = NULL;
  Answer *answer = g_new0 (Answer, 1);
  GQueue *queue = NULL;

  g_assert_nonnull (reply->method);
  g_assert_true (reply->path && reply->path[0] == '/');
  answer->match = reply->match;
  answer->status = reply->status;
  if (reply->body)
    answer->body = g_bytes_new (reply->body,
                                reply->body_length ? reply->body_length : strlen (reply->body));
  answer->content_type = g_strdup (reply->content_type);
  answer->retry_after = g_strdup (reply->retry_after);
  answer->delay_ms = reply->delay_ms;
  answer->chunked = reply->chunked;
  key = g_strconcat (reply->method, " ", reply->path, NULL);

  g_mutex_lock (&fake->mutex);
  queue = g_hash_table_lookup (fake->scripted, key);
  if (queue == NULL)
    {
      queue = g_queue_new ();
      g_hash_table_insert (fake->scripted, g_steal_pointer (&key), queue);
    }
  g_queue_push_tail (queue, answer);
  g_mutex_unlock (&fake->mutex);
}

void
baton_fake_graph_push (BatonFakeGraph *fake,
                       const char     *method,
                       const char     *path,
                       guint           status,
                       const char     *body)
{
  BatonFakeReply reply = { .method = method, .path = path, .status = status, .body = body };

  baton_fake_graph_push_reply (fake, &reply);
}

static char *
read_fixture (const char *fixture)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "whatsapp", fixture,
                                                 NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

void
baton_fake_graph_push_file (BatonFakeGraph *fake,
                            const char     *method,
                            const char     *path,
                            guint           status,
                            const char     *fixture)
{
  g_autofree char *body = read_fixture (fixture);

  baton_fake_graph_push (fake, method, path, status, body);
}

void
baton_fake_graph_push_sent (BatonFakeGraph *fake,
                            const char     *phone_number_id,
                            const char     *wamid)
{
  g_autofree char *path = g_strdup_printf ("/%s/messages", phone_number_id);
  g_autofree char *body = g_strdup_printf ("{\"messaging_product\":\"whatsapp\",\"contacts\":[],"
                                           "\"messages\":[{\"id\":\"%s\","
                                           "\"message_status\":\"accepted\"}]}", wamid);
  BatonFakeReply reply = {
    .method = "POST", .path = path, .match = BATON_FAKE_MATCH_SEND, .status = 200,
    .body = body,
  };

  baton_fake_graph_push_reply (fake, &reply);
}

void
baton_fake_graph_push_send_error (BatonFakeGraph *fake,
                                  const char     *phone_number_id,
                                  guint           status,
                                  const char     *fixture)
{
  g_autofree char *path = g_strdup_printf ("/%s/messages", phone_number_id);
  g_autofree char *body = read_fixture (fixture);
  BatonFakeReply reply = {
    .method = "POST", .path = path, .match = BATON_FAKE_MATCH_SEND, .status = status,
    .body = body,
  };

  baton_fake_graph_push_reply (fake, &reply);
}

void
baton_fake_graph_add_media (BatonFakeGraph *fake,
                            const char     *media_id,
                            const char     *mime_type,
                            GBytes         *bytes)
{
  Media *media = g_new0 (Media, 1);

  media->mime_type = g_strdup (mime_type);
  media->bytes = g_bytes_ref (bytes);
  g_mutex_lock (&fake->mutex);
  g_hash_table_replace (fake->media, g_strdup (media_id), media);
  g_mutex_unlock (&fake->mutex);
}

void
baton_fake_graph_set_templates (BatonFakeGraph *fake,
                                const char     *waba_id,
                                const char     *templates_json,
                                guint           page_size)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  Templates *templates = g_new0 (Templates, 1);
  JsonNode *root = NULL;

  json_parser_load_from_data (parser, templates_json, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  templates->templates = json_array_ref (json_node_get_array (root));
  templates->page_size = page_size;
  g_mutex_lock (&fake->mutex);
  g_hash_table_replace (fake->templates, g_strdup (waba_id), templates);
  g_mutex_unlock (&fake->mutex);
}

guint
baton_fake_graph_n_requests (BatonFakeGraph *fake)
{
  guint n = 0;

  g_mutex_lock (&fake->mutex);
  n = fake->requests->len;
  g_mutex_unlock (&fake->mutex);
  return n;
}

const BatonFakeRequest *
baton_fake_graph_request (BatonFakeGraph *fake,
                          guint           index)
{
  const BatonFakeRequest *request = NULL;

  g_mutex_lock (&fake->mutex);
  if (index < fake->requests->len)
    request = g_ptr_array_index (fake->requests, index);
  g_mutex_unlock (&fake->mutex);
  return request;
}

static guint
count_locked (BatonFakeGraph *fake,
              const char     *method,
              const char     *path)
{
  guint count = 0;

  for (guint i = 0; i < fake->requests->len; i++)
    if (path_matches (g_ptr_array_index (fake->requests, i), method, path))
      count++;
  return count;
}

guint
baton_fake_graph_count (BatonFakeGraph *fake,
                        const char     *method,
                        const char     *path)
{
  guint count = 0;

  g_mutex_lock (&fake->mutex);
  count = count_locked (fake, method, path);
  g_mutex_unlock (&fake->mutex);
  return count;
}

const BatonFakeRequest *
baton_fake_graph_find (BatonFakeGraph *fake,
                       const char     *method,
                       const char     *path,
                       guint           nth)
{
  const BatonFakeRequest *found = NULL;

  g_mutex_lock (&fake->mutex);
  for (guint i = 0; i < fake->requests->len && found == NULL; i++)
    {
      const BatonFakeRequest *request = g_ptr_array_index (fake->requests, i);

      if (path_matches (request, method, path) && nth-- == 0)
        found = request;
    }
  g_mutex_unlock (&fake->mutex);
  return found;
}

gboolean
baton_fake_graph_wait (BatonFakeGraph *fake,
                       const char     *method,
                       const char     *path,
                       guint           count,
                       guint           timeout_ms)
{
  gint64 end_time = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gboolean reached = FALSE;

  g_mutex_lock (&fake->mutex);
  while (!(reached = count_locked (fake, method, path) >= count))
    if (!g_cond_wait_until (&fake->cond, &fake->mutex, end_time))
      {
        reached = count_locked (fake, method, path) >= count;
        break;
      }
  g_mutex_unlock (&fake->mutex);
  return reached;
}

JsonNode *
baton_fake_request_json (const BatonFakeRequest *request)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length = 0;
  const char *data = g_bytes_get_data (request->body, &length);

  if (length == 0 || !json_parser_load_from_data (parser, data, (gssize) length, NULL))
    return NULL;
  return json_node_ref (json_parser_get_root (parser));
}
