/* baton-graph-sandbox.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-graph-sandbox"

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "baton-graph-sandbox.h"
#include "baton-json.h"

/* The answers follow REFERENCE.md §4 and the corpus: 65 and 66 for a send and a mark-as-read,
 * 67–79 for the errors. */

#define DOWNLOAD_PREFIX "/download/"
#define DEFAULT_PAGE_SIZE 25
#define MAX_TEXT_LENGTH 4096
/* a media url is short-lived (REFERENCE.md §3) */
#define MEDIA_URL_LIFETIME_S 300
#define JSON_CONTENT_TYPE "application/json; charset=UTF-8"

/* A send the sandbox accepted: what ::message-accepted tells once the answer is out. */
typedef struct {
  char *phone_number_id;
  char *wamid;
  char *wa_id;
  char *user_id;
  char *category;
} Accepted;

/* An answer ready to send. */
typedef struct {
  BatonGraphSandboxMatch match;
  guint status;
  GBytes *body;
  char *content_type;
  char *retry_after;
  char *authenticate;
  guint delay_ms;
  gboolean chunked;
  Accepted *accepted;
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

/* One request being answered. */
typedef struct {
  BatonGraphSandboxRequest *request;
  GHashTable *query;
  /* "scheme://host:port<prefix>", as the caller reached the sandbox */
  char *root;
  /* the version segment of the path, NULL without one */
  char *version;
} Call;

/* An answer waiting for its delay, in the serving thread. */
typedef struct {
  BatonGraphSandbox *self;
  SoupServerMessage *msg;
  Answer *answer;
  GSource *timeout;
  gulong finished_id;
} Pending;

struct _BatonGraphSandbox
{
  GObject parent_instance;

  /* set when it starts serving, then read-only */
  GMainContext *context;
  char *prefix;
  GMainLoop *loop;
  GThread *thread;
  char *base_url;

  /* guarded by mutex */
  GMutex mutex;
  GCond cond;
  gboolean started;
  GError *listen_error;
  GHashTable *scripted;
  GHashTable *numbers;
  GHashTable *media;
  GHashTable *templates;
  GPtrArray *requests;
  gboolean recording;
  guint delay_ms;
  char *access_token;

  /* the serving thread only */
  SoupServer *server;
  GHashTable *pending;

  gint serial;
};

G_DEFINE_FINAL_TYPE (BatonGraphSandbox, baton_graph_sandbox, G_TYPE_OBJECT)

enum {
  MESSAGE_ACCEPTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- the parts ---- */

static void
accepted_free (Accepted *accepted)
{
  g_free (accepted->phone_number_id);
  g_free (accepted->wamid);
  g_free (accepted->wa_id);
  g_free (accepted->user_id);
  g_free (accepted->category);
  g_free (accepted);
}

static void
answer_free (Answer *answer)
{
  g_clear_pointer (&answer->body, g_bytes_unref);
  g_free (answer->content_type);
  g_free (answer->retry_after);
  g_free (answer->authenticate);
  g_clear_pointer (&answer->accepted, accepted_free);
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
request_free (BatonGraphSandboxRequest *request)
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

static void
call_free (Call *call)
{
  g_clear_pointer (&call->request, request_free);
  g_free (call->root);
  g_free (call->version);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Call, call_free)

static void
add_string (JsonBuilder *builder,
            const char  *member,
            const char  *value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
}

static JsonObject *
element_object (JsonArray *array,
                guint      index)
{
  JsonNode *node = json_array_get_element (array, index);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static char *
random_text (const char *alphabet,
             guint       length)
{
  GString *text = g_string_sized_new (length);
  gint32 size = (gint32) strlen (alphabet);

  for (guint i = 0; i < length; i++)
    g_string_append_c (text, alphabet[g_random_int_range (0, size)]);
  return g_string_free (text, FALSE);
}

/* ---- answers ---- */

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

static Answer *
json_answer (guint        status,
             JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  Answer *answer = g_new0 (Answer, 1);

  answer->status = status;
  answer->body = baton_json_to_bytes (root);
  answer->content_type = g_strdup (JSON_CONTENT_TYPE);
  return answer;
}

/* Graph's error object (REFERENCE.md §4): branch on code, details for diagnostics. */
static Answer *
error_answer (guint       status,
              gint64      code,
              const char *type,
              const char *message,
              const char *details)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autofree char *trace = random_text ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                        "0123456789", 21);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  add_string (builder, "message", message);
  add_string (builder, "type", type);
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, code);
  if (details)
    {
      json_builder_set_member_name (builder, "error_data");
      json_builder_begin_object (builder);
      add_string (builder, "messaging_product", "whatsapp");
      add_string (builder, "details", details);
      json_builder_end_object (builder);
    }
  add_string (builder, "fbtrace_id", trace);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_answer (status, builder);
}

/* What Graph says of an id it does not know or a call it does not offer. */
static Answer *
unsupported_answer (const char *method,
                    const char *object_id)
{
  g_autofree char *lower = g_ascii_strdown (method, -1);
  g_autofree char *message = g_strdup_printf ("Unsupported %s request. Object with ID '%s' does "
                                              "not exist, cannot be loaded due to missing "
                                              "permissions, or does not support this "
                                              "operation.", lower, object_id);

  return error_answer (400, 100, "GraphMethodException", message, NULL);
}

static Answer *
invalid_parameter_answer (const char *details)
{
  return error_answer (400, 100, "OAuthException", "(#100) Invalid parameter", details);
}

static Answer *
unauthorized_answer (const BatonGraphSandboxRequest *request)
{
  Answer *answer = error_answer (401, 190, "OAuthException",
                                 request->authorization
                                 ? "Invalid OAuth access token - Cannot parse access token"
                                 : "An active access token must be used to query information "
                                   "about the current user.", NULL);

  answer->authenticate = g_strdup ("OAuth \"Facebook Platform\" \"invalid_token\" "
                                   "\"Invalid OAuth access token\"");
  return answer;
}

/* Whether the request bears the token expected (NULL: any). */
static gboolean
is_authorized (const BatonGraphSandboxRequest *request,
               const char                     *expected)
{
  const char *header = request->authorization;

  if (expected == NULL)
    return TRUE;
  return header && g_ascii_strncasecmp (header, "Bearer ", 7) == 0
         && g_str_equal (header + 7, expected);
}

/* ---- POST /{phone_number_id}/messages (the mutex is held) ---- */

static gboolean
is_read_request (const BatonGraphSandboxRequest *request)
{
  g_autoptr(JsonNode) root = baton_graph_sandbox_request_json (request);
  JsonObject *object = root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root)
                                                             : NULL;

  return g_strcmp0 (baton_json_peek_string (object, "status"), "read") == 0;
}

/* a read receipt, maybe with a typing indicator: corpus 63, 64 → 66 */
static Answer *
read_answer (JsonObject *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  const char *wamid = baton_json_peek_string (request, "message_id");

  if (g_strcmp0 (baton_json_peek_string (request, "status"), "read") != 0
      || wamid == NULL || !g_str_has_prefix (wamid, "wamid."))
    return error_answer (400, 131009, "OAuthException", "(#131009) Parameter value is not valid",
                         "status must be read and message_id a received message's wamid");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "success");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_end_object (builder);
  return json_answer (200, builder);
}

static guint
count_parameters (const char *text)
{
  guint count = 0;

  for (const char *p = text ? strstr (text, "{{") : NULL; p; p = strstr (p + 2, "{{"))
    count++;
  return count;
}

/* The text of a template's component of that type (BODY, HEADER…), NULL when it has none. */
static const char *
component_text (JsonObject *template,
                const char *type)
{
  JsonArray *components = baton_json_get_array (template, "components");

  for (guint i = 0; components && i < json_array_get_length (components); i++)
    {
      JsonObject *component = element_object (components, i);

      const char *component_type = baton_json_peek_string (component, "type");

      if (component_type && g_ascii_strcasecmp (component_type, type) == 0)
        return baton_json_peek_string (component, "text");
    }
  return NULL;
}

/* How many body parameters a template send gives. */
static guint
count_given (JsonObject *template)
{
  JsonArray *components = baton_json_get_array (template, "components");
  guint given = 0;

  for (guint i = 0; components && i < json_array_get_length (components); i++)
    {
      JsonObject *component = element_object (components, i);
      JsonArray *parameters = baton_json_get_array (component, "parameters");

      if (g_strcmp0 (baton_json_peek_string (component, "type"), "body") == 0 && parameters)
        given += json_array_get_length (parameters);
    }
  return given;
}

static JsonObject *
find_template (Templates  *templates,
               const char *name,
               const char *language)
{
  for (guint i = 0; i < json_array_get_length (templates->templates); i++)
    {
      JsonObject *object = element_object (templates->templates, i);

      if (g_strcmp0 (baton_json_peek_string (object, "name"), name) == 0
          && g_strcmp0 (baton_json_peek_string (object, "language"), language) == 0)
        return object;
    }
  return NULL;
}

/* A template send checked against the number's WABA when the sandbox knows it: an error
 * answer, or NULL with the pricing category. */
static Answer *
check_template (BatonGraphSandbox *self,
                const char        *phone_number_id,
                JsonObject        *request,
                char             **category)
{
  JsonObject *template = baton_json_get_object (request, "template");
  const char *name = baton_json_peek_string (template, "name");
  const char *language = baton_json_peek_string (baton_json_get_object (template, "language"),
                                                 "code");
  const char *waba_id = g_hash_table_lookup (self->numbers, phone_number_id);
  Templates *templates = waba_id ? g_hash_table_lookup (self->templates, waba_id) : NULL;
  JsonObject *known = NULL;
  const char *known_category = NULL;
  guint expected = 0;

  if (name == NULL || language == NULL)
    return invalid_parameter_answer ("template['name'] and template['language']['code'] are "
                                     "required");
  if (templates == NULL)
    {
      *category = g_strdup ("utility");
      return NULL;
    }
  known = find_template (templates, name, language);
  if (known == NULL)
    {
      g_autofree char *details = g_strdup_printf ("template name (%s) does not exist in %s",
                                                  name, language);

      return error_answer (404, 132001, "OAuthException",
                           "(#132001) Template name does not exist in the translation", details);
    }
  expected = count_parameters (component_text (known, "BODY"));
  if (count_given (template) != expected)
    {
      g_autofree char *details = g_strdup_printf ("body: number of localizable_params (%u) "
                                                  "does not match the expected number of "
                                                  "params (%u)", count_given (template),
                                                  expected);

      return error_answer (400, 132000, "OAuthException",
                           "(#132000) Number of parameters does not match the expected number "
                           "of params", details);
    }
  /* Meta prices a template send by its category: "UTILITY" → "utility" */
  known_category = baton_json_peek_string (known, "category");
  *category = g_ascii_strdown (known_category ? known_category : "utility", -1);
  return NULL;
}

static gboolean
is_media_type (const char *type)
{
  return g_str_equal (type, "image") || g_str_equal (type, "video")
         || g_str_equal (type, "audio") || g_str_equal (type, "document")
         || g_str_equal (type, "sticker");
}

/* A media message names uploaded media by id (or gives a link); audio has no caption. */
static Answer *
check_media (BatonGraphSandbox *self,
             JsonObject        *media,
             const char        *type)
{
  const char *id = baton_json_peek_string (media, "id");

  if (id == NULL && baton_json_peek_string (media, "link") == NULL)
    return error_answer (400, 100, "OAuthException",
                         "(#100) The parameter id or link is required.", NULL);
  if (id && !g_hash_table_contains (self->media, id))
    return error_answer (400, 131053, "OAuthException", "Media upload error",
                         "The media id is not known");
  if (json_object_has_member (media, "caption") && g_str_equal (type, "audio"))
    return error_answer (400, 100, "OAuthException",
                         "(#100) Param audio['caption'] is not allowed.", NULL);
  return NULL;
}

/* What is wrong with a send's content, NULL when Graph takes it. */
static Answer *
check_content (BatonGraphSandbox *self,
               const char        *phone_number_id,
               JsonObject        *request,
               const char        *type,
               char             **category)
{
  if (g_str_equal (type, "template"))
    return check_template (self, phone_number_id, request, category);
  *category = g_strdup ("service");
  if (g_str_equal (type, "text"))
    {
      const char *text = baton_json_peek_string (baton_json_get_object (request, "text"), "body");

      if (text == NULL || *text == '\0')
        return error_answer (400, 100, "OAuthException",
                             "(#100) The parameter text['body'] is required.", NULL);
      if (g_utf8_strlen (text, -1) > MAX_TEXT_LENGTH)
        return error_answer (400, 100, "OAuthException",
                             "(#100) Param text['body'] must be at most 4096 characters long.",
                             NULL);
    }
  else if (baton_json_get_object (request, type) == NULL)
    {
      g_autofree char *message = g_strdup_printf ("(#100) The parameter %s is required.", type);

      return error_answer (400, 100, "OAuthException", message, NULL);
    }
  else if (is_media_type (type))
    return check_media (self, baton_json_get_object (request, type), type);
  return NULL;
}

static char *
digits_of (const char *text)
{
  GString *digits = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
  return g_string_free (digits, FALSE);
}

/* The answer of corpus 65; ::message-accepted follows it. */
static Answer *
accept_send (BatonGraphSandbox *self,
             const char        *phone_number_id,
             const char        *to,
             const char        *recipient,
             char              *category)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  Accepted *accepted = g_new0 (Accepted, 1);
  Answer *answer = NULL;

  accepted->phone_number_id = g_strdup (phone_number_id);
  accepted->category = category;
  if (to)
    accepted->wa_id = digits_of (to);
  else
    accepted->user_id = g_strdup (recipient);
  accepted->wamid = baton_graph_sandbox_new_wamid (self, to ? accepted->wa_id : recipient,
                                                   FALSE);

  json_builder_begin_object (builder);
  add_string (builder, "messaging_product", "whatsapp");
  json_builder_set_member_name (builder, "contacts");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  add_string (builder, "input", to ? to : recipient);
  add_string (builder, to ? "wa_id" : "user_id", to ? accepted->wa_id : recipient);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  add_string (builder, "id", accepted->wamid);
  add_string (builder, "message_status", "accepted");
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  answer = json_answer (200, builder);
  answer->accepted = accepted;
  return answer;
}

static Answer *
send_answer (BatonGraphSandbox *self,
             const char        *phone_number_id,
             JsonObject        *request)
{
  const char *to = baton_json_peek_string (request, "to");
  const char *recipient = baton_json_peek_string (request, "recipient");
  const char *type = baton_json_peek_string (request, "type");
  g_autofree char *category = NULL;
  Answer *refused = NULL;

  if (to && *to == '\0')
    to = NULL;
  if (recipient && *recipient == '\0')
    recipient = NULL;
  if (to == NULL && recipient == NULL)
    return error_answer (400, 100, "OAuthException", "(#100) The parameter to is required.",
                         NULL);
  refused = check_content (self, phone_number_id, request, type ? type : "text", &category);
  if (refused)
    return refused;
  return accept_send (self, phone_number_id, to, recipient, g_steal_pointer (&category));
}

static Answer *
messages_answer (BatonGraphSandbox *self,
                 Call              *call,
                 const char        *phone_number_id)
{
  GBytes *body = call->request->body;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *request = NULL;

  if (g_hash_table_size (self->numbers) > 0
      && !g_hash_table_contains (self->numbers, phone_number_id))
    return unsupported_answer (call->request->method, phone_number_id);
  root = baton_json_parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return invalid_parameter_answer ("The request body must be a JSON object");
  request = json_node_get_object (root);
  if (g_strcmp0 (baton_json_peek_string (request, "messaging_product"), "whatsapp") != 0)
    return error_answer (400, 100, "OAuthException",
                         "(#100) The parameter messaging_product is required.", NULL);
  if (json_object_has_member (request, "status"))
    return read_answer (request);
  return send_answer (self, phone_number_id, request);
}

/* ---- media (the mutex is held) ---- */

static Answer *
media_answer (BatonGraphSandbox *self,
              Call              *call,
              const char        *media_id)
{
  Media *media = g_hash_table_lookup (self->media, media_id);
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autofree char *url = NULL;
  g_autofree char *sha256 = NULL;

  if (media == NULL)
    return unsupported_answer (call->request->method, media_id);
  g_free (media->fetched_with);
  media->fetched_with = g_strdup (call->request->authorization);
  /* signed and short-lived like Meta's lookaside urls, on the host Baton called */
  url = g_strdup_printf ("%s" DOWNLOAD_PREFIX "%s?mid=%s&ext=%" G_GINT64_FORMAT, call->root,
                         media_id, media_id,
                         g_get_real_time () / G_USEC_PER_SEC + MEDIA_URL_LIFETIME_S);
  sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, media->bytes);

  json_builder_begin_object (builder);
  add_string (builder, "messaging_product", "whatsapp");
  add_string (builder, "url", url);
  add_string (builder, "mime_type", media->mime_type);
  add_string (builder, "sha256", sha256);
  json_builder_set_member_name (builder, "file_size");
  json_builder_add_int_value (builder, (gint64) g_bytes_get_size (media->bytes));
  add_string (builder, "id", media_id);
  json_builder_end_object (builder);
  return json_answer (200, builder);
}

static Answer *
download_answer (BatonGraphSandbox *self,
                 Call              *call,
                 const char        *media_id)
{
  Media *media = g_hash_table_lookup (self->media, media_id);
  const char *expected = self->access_token;
  Answer *answer = NULL;

  if (media == NULL)
    return error_answer (404, 100, "GraphMethodException", "The media was not found", NULL);
  if (expected == NULL && media->fetched_with)
    expected = g_ascii_strncasecmp (media->fetched_with, "Bearer ", 7) == 0
               ? media->fetched_with + 7 : "";
  if (call->request->authorization == NULL || !is_authorized (call->request, expected))
    return unauthorized_answer (call->request);
  answer = g_new0 (Answer, 1);
  answer->status = 200;
  answer->body = g_bytes_ref (media->bytes);
  answer->content_type = g_strdup (media->mime_type);
  return answer;
}

/* ---- GET /{waba_id}/message_templates (the mutex is held) ---- */

/* The page a request asks for: an error answer, or NULL with limit and first. A cursor is the
 * base64 of an index. */
static Answer *
read_page (Call      *call,
           Templates *templates,
           guint      n_selected,
           guint64   *limit,
           guint64   *first)
{
  const char *limit_text = call->query ? g_hash_table_lookup (call->query, "limit") : NULL;
  const char *after = call->query ? g_hash_table_lookup (call->query, "after") : NULL;

  *limit = templates->page_size ? templates->page_size : DEFAULT_PAGE_SIZE;
  *first = 0;
  if (limit_text && !g_ascii_string_to_unsigned (limit_text, 10, 1, 1000, limit, NULL))
    return invalid_parameter_answer ("limit must be a positive number");
  if (after)
    {
      gsize length = 0;
      g_autofree char *decoded = (char *) g_base64_decode (after, &length);
      g_autofree char *index = g_strndup (decoded, length);

      if (!g_ascii_string_to_unsigned (index, 10, 0, n_selected, first, NULL))
        return invalid_parameter_answer ("after is not a cursor of this list");
    }
  return NULL;
}

/* The templates a status=… query keeps, as Graph filters them. */
static JsonArray *
select_templates (Templates  *templates,
                  const char *status)
{
  JsonArray *selected = json_array_new ();

  for (guint i = 0; i < json_array_get_length (templates->templates); i++)
    {
      JsonNode *node = json_array_get_element (templates->templates, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      if (status == NULL || g_strcmp0 (baton_json_peek_string (object, "status"), status) == 0)
        json_array_add_element (selected, json_node_copy (node));
    }
  return selected;
}

/* A template with the fields asked for: Graph always gives the id, without fields all. */
static void
add_template (JsonBuilder *builder,
              JsonObject  *template,
              const char  *fields)
{
  g_auto(GStrv) names = fields ? g_strsplit (fields, ",", -1) : NULL;
  g_autoptr(GList) members = template ? json_object_get_members (template) : NULL;

  json_builder_begin_object (builder);
  for (GList *l = members; l; l = l->next)
    if (names == NULL || g_str_equal (l->data, "id")
        || g_strv_contains ((const char * const *) names, l->data))
      {
        json_builder_set_member_name (builder, l->data);
        json_builder_add_value (builder,
                                json_node_copy (json_object_get_member (template, l->data)));
      }
  json_builder_end_object (builder);
}

static char *
cursor_of (guint64 index)
{
  g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, index);

  return g_base64_encode ((const guchar *) text, strlen (text));
}

/* Graph's paging object: the cursors, and next while there is more, with the same query. */
static void
add_paging (JsonBuilder *builder,
            Call        *call,
            const char  *waba_id,
            guint64      limit,
            guint64      first,
            guint64      end,
            guint        n_selected)
{
  g_autofree char *before = cursor_of (first);
  g_autofree char *after = cursor_of (end);
  GString *next = NULL;

  json_builder_set_member_name (builder, "paging");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "cursors");
  json_builder_begin_object (builder);
  add_string (builder, "before", before);
  add_string (builder, "after", after);
  json_builder_end_object (builder);
  if (end < n_selected)
    {
      static const char * const kept[] = { "fields", "status" };

      next = g_string_new (call->root);
      g_string_append_printf (next, "/%s/%s/message_templates?",
                              call->version ? call->version : BATON_GRAPH_SANDBOX_VERSION,
                              waba_id);
      for (guint i = 0; i < G_N_ELEMENTS (kept); i++)
        {
          const char *value = call->query ? g_hash_table_lookup (call->query, kept[i]) : NULL;

          if (value)
            {
              g_string_append_printf (next, "%s=", kept[i]);
              g_string_append_uri_escaped (next, value, ",", FALSE);
              g_string_append_c (next, '&');
            }
        }
      g_string_append_printf (next, "limit=%" G_GUINT64_FORMAT "&after=", limit);
      g_string_append_uri_escaped (next, after, "=", FALSE);
      add_string (builder, "next", next->str);
      g_string_free (next, TRUE);
    }
  json_builder_end_object (builder);
}

static Answer *
templates_answer (BatonGraphSandbox *self,
                  Call              *call,
                  const char        *waba_id)
{
  Templates *templates = g_hash_table_lookup (self->templates, waba_id);
  const char *fields = call->query ? g_hash_table_lookup (call->query, "fields") : NULL;
  const char *status = call->query ? g_hash_table_lookup (call->query, "status") : NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonArray) selected = NULL;
  guint64 limit = 0;
  guint64 first = 0;
  guint64 end = 0;
  Answer *refused = NULL;

  if (templates == NULL)
    return unsupported_answer (call->request->method, waba_id);
  selected = select_templates (templates, status);
  refused = read_page (call, templates, json_array_get_length (selected), &limit, &first);
  if (refused)
    return refused;
  end = MIN (first + limit, json_array_get_length (selected));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_array (builder);
  for (guint64 i = first; i < end; i++)
    add_template (builder, element_object (selected, (guint) i), fields);
  json_builder_end_array (builder);
  if (end > first)
    add_paging (builder, call, waba_id, limit, first, end, json_array_get_length (selected));
  json_builder_end_object (builder);
  return json_answer (200, builder);
}

/* POST /{phone_number_id}/media: a multipart form with messaging_product "whatsapp", the
 * file and its type; the media is kept (served like added media) and its id answered. */
static Answer *
upload_answer (BatonGraphSandbox *self,
               Call              *call,
               const char        *phone_number_id)
{
  const BatonGraphSandboxRequest *request = call->request;
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  g_autoptr(SoupMultipart) multipart = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autofree char *media_id = NULL;
  g_autofree char *product = NULL;
  GBytes *file = NULL;
  const char *file_type = NULL;
  Media *media = NULL;

  if (g_hash_table_size (self->numbers) > 0
      && !g_hash_table_contains (self->numbers, phone_number_id))
    return unsupported_answer (request->method, phone_number_id);
  if (request->content_type)
    soup_message_headers_replace (headers, "Content-Type", request->content_type);
  multipart = soup_multipart_new_from_message (headers, request->body);
  for (int i = 0; multipart && i < soup_multipart_get_length (multipart); i++)
    {
      SoupMessageHeaders *part_headers = NULL;
      GBytes *part_body = NULL;
      g_autofree char *disposition = NULL;
      g_autoptr(GHashTable) params = NULL;
      const char *name = NULL;

      soup_multipart_get_part (multipart, i, &part_headers, &part_body);
      if (!soup_message_headers_get_content_disposition (part_headers, &disposition, &params))
        continue;
      name = g_hash_table_lookup (params, "name");
      if (g_strcmp0 (name, "messaging_product") == 0)
        product = g_strndup (g_bytes_get_data (part_body, NULL), g_bytes_get_size (part_body));
      else if (g_strcmp0 (name, "file") == 0)
        {
          file = part_body;
          file_type = soup_message_headers_get_content_type (part_headers, NULL);
        }
    }
  if (g_strcmp0 (product, "whatsapp") != 0)
    return error_answer (400, 100, "OAuthException",
                         "(#100) The parameter messaging_product is required.", NULL);
  if (file == NULL || g_bytes_get_size (file) == 0 || file_type == NULL)
    return error_answer (400, 100, "OAuthException", "(#100) The parameter file is required.",
                         NULL);
  media_id = random_text ("0123456789", 16);
  media = g_new0 (Media, 1);
  media->mime_type = g_strdup (file_type);
  media->bytes = g_bytes_ref (file);
  g_hash_table_replace (self->media, g_strdup (media_id), media);
  json_builder_begin_object (builder);
  add_string (builder, "id", media_id);
  json_builder_end_object (builder);
  return json_answer (200, builder);
}

/* ---- choosing the answer (the mutex is held) ---- */

static Answer *
default_answer (BatonGraphSandbox *self,
                Call              *call)
{
  const BatonGraphSandboxRequest *request = call->request;
  const char *method = request->method;
  g_auto(GStrv) parts = NULL;
  guint n = 0;

  if (call->version == NULL && g_str_has_prefix (request->path, DOWNLOAD_PREFIX))
    {
      if (!g_str_equal (method, "GET"))
        return unsupported_answer (method, request->path + strlen (DOWNLOAD_PREFIX));
      return download_answer (self, call, request->path + strlen (DOWNLOAD_PREFIX));
    }
  /* Graph checks the token before anything else */
  if (!is_authorized (request, self->access_token))
    return unauthorized_answer (request);

  parts = g_strsplit (request->path + 1, "/", -1);
  n = g_strv_length (parts);
  if (n == 2 && g_str_equal (method, "POST") && g_str_equal (parts[1], "messages"))
    return messages_answer (self, call, parts[0]);
  if (n == 2 && g_str_equal (method, "POST") && g_str_equal (parts[1], "media"))
    return upload_answer (self, call, parts[0]);
  if (n == 1 && g_str_equal (method, "GET") && *parts[0] != '\0')
    return media_answer (self, call, parts[0]);
  if (n == 2 && g_str_equal (method, "GET") && g_str_equal (parts[1], "message_templates"))
    return templates_answer (self, call, parts[0]);
  return unsupported_answer (method, n >= 1 ? parts[0] : "");
}

static gboolean
answer_accepts (const Answer                   *answer,
                const BatonGraphSandboxRequest *request)
{
  switch (answer->match)
    {
    case BATON_GRAPH_SANDBOX_MATCH_SEND:
      return !is_read_request (request);
    case BATON_GRAPH_SANDBOX_MATCH_READ:
      return is_read_request (request);
    case BATON_GRAPH_SANDBOX_MATCH_ANY:
    default:
      return TRUE;
    }
}

static Answer *
take_scripted (BatonGraphSandbox              *self,
               const BatonGraphSandboxRequest *request)
{
  g_autofree char *key = g_strconcat (request->method, " ", request->path, NULL);
  GQueue *queue = g_hash_table_lookup (self->scripted, key);

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

/* ---- serving ---- */

static void
write_answer (SoupServerMessage *msg,
              const Answer      *answer)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *content_type = answer->content_type ? answer->content_type : "application/json";
  gsize length = 0;
  const char *data = answer->body ? g_bytes_get_data (answer->body, &length) : NULL;

  if (answer->retry_after)
    soup_message_headers_replace (headers, "Retry-After", answer->retry_after);
  if (answer->authenticate)
    soup_message_headers_replace (headers, "WWW-Authenticate", answer->authenticate);
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

/* Answers (status 0: drops the connection), then tells of an accepted send. */
static void
deliver_answer (BatonGraphSandbox *self,
                SoupServerMessage *msg,
                const Answer      *answer)
{
  const Accepted *accepted = answer->accepted;

  if (answer->status == 0)
    {
      g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

      if (stream)
        g_io_stream_close (stream, NULL, NULL);
      return;
    }
  write_answer (msg, answer);
  if (accepted)
    g_signal_emit (self, signals[MESSAGE_ACCEPTED], 0, accepted->phone_number_id,
                   accepted->wamid, accepted->wa_id, accepted->user_id, accepted->category);
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
  BatonGraphSandbox *self = pending->self;
  g_autoptr(SoupServerMessage) msg = g_object_ref (pending->msg);
  g_autoptr(Answer) answer = g_steal_pointer (&pending->answer);

  /* forgotten first: answering may finish the message, which must not find it */
  g_clear_pointer (&pending->timeout, g_source_unref);
  g_hash_table_remove (self->pending, pending);
  deliver_answer (self, msg, answer);
  /* a stolen connection is no longer the server's to resume */
  if (answer->status != 0)
    soup_server_message_unpause (msg);
  return G_SOURCE_REMOVE;
}

/* The client went away while the answer waited. */
static void
pending_finished_cb (SoupServerMessage *msg,
                     Pending           *pending)
{
  g_hash_table_remove (pending->self->pending, pending);
}

static void
answer_later (BatonGraphSandbox *self,
              SoupServerMessage *msg,
              Answer            *answer,
              guint              delay_ms)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->self = self;
  pending->msg = g_object_ref (msg);
  pending->answer = answer;
  pending->timeout = g_timeout_source_new (delay_ms);
  g_source_set_callback (pending->timeout, pending_due_cb, pending, NULL);
  g_source_attach (pending->timeout, self->context);
  pending->finished_id = g_signal_connect (msg, "finished",
                                           G_CALLBACK (pending_finished_cb), pending);
  g_hash_table_add (self->pending, pending);
  soup_server_message_pause (msg);
}

static gboolean
is_version (const char *segment)
{
  return segment[0] == 'v' && g_ascii_isdigit (segment[1]) && strchr (segment, '.') != NULL;
}

/* The request as recorded, its path after the prefix and the version. */
static Call *
read_call (BatonGraphSandbox *self,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query)
{
  BatonGraphSandboxRequest *request = g_new0 (BatonGraphSandboxRequest, 1);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  GUri *uri = soup_server_message_get_uri (msg);
  const char *rest = path + strlen (self->prefix);
  const char *slash = rest[0] == '/' ? strchr (rest + 1, '/') : NULL;
  g_autofree char *first = NULL;
  Call *call = g_new0 (Call, 1);

  first = slash ? g_strndup (rest + 1, slash - rest - 1) : g_strdup (rest[0] ? rest + 1 : "");
  if (is_version (first))
    {
      call->version = g_steal_pointer (&first);
      rest = slash ? slash : "";
    }
  request->time_us = g_get_monotonic_time ();
  request->method = g_strdup (soup_server_message_get_method (msg));
  request->path = rest[0] == '/' ? g_strdup (rest) : g_strconcat ("/", rest, NULL);
  request->query = g_strdup (g_uri_get_query (uri));
  request->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  request->content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  request->body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  call->request = request;
  call->query = query;
  call->root = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                           g_uri_get_port (uri), self->prefix, NULL, NULL);
  return call;
}

static void
request_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  BatonGraphSandbox *self = user_data;
  g_autoptr(Call) call = NULL;
  g_autoptr(Answer) answer = NULL;
  guint delay_ms = 0;

  /* a body refused early (413) is not handled again */
  if (soup_server_message_get_status (msg) != 0)
    return;
  call = read_call (self, msg, path, query);

  g_mutex_lock (&self->mutex);
  answer = take_scripted (self, call->request);
  if (answer == NULL)
    answer = default_answer (self, call);
  delay_ms = answer->delay_ms + self->delay_ms;
  if (self->recording)
    g_ptr_array_add (self->requests, g_steal_pointer (&call->request));
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  if (delay_ms > 0)
    answer_later (self, msg, g_steal_pointer (&answer), delay_ms);
  else
    deliver_answer (self, msg, answer);
}

/* ---- a server of its own ---- */

static gboolean
start_server (BatonGraphSandbox *self,
              GError           **error)
{
  GSList *uris = NULL;

  self->server = soup_server_new ("server-header", "graph-sandbox", NULL);
  soup_server_add_handler (self->server, NULL, request_cb, self, NULL);
  if (!soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return FALSE;
  uris = soup_server_get_uris (self->server);
  self->base_url = g_strdup_printf ("http://127.0.0.1:%d/" BATON_GRAPH_SANDBOX_VERSION,
                                    g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return TRUE;
}

static gpointer
serve (gpointer user_data)
{
  BatonGraphSandbox *self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean listening = FALSE;

  g_main_context_push_thread_default (self->context);
  listening = start_server (self, &error);
  g_mutex_lock (&self->mutex);
  self->listen_error = g_steal_pointer (&error);
  self->started = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);

  if (listening)
    g_main_loop_run (self->loop);

  g_hash_table_remove_all (self->pending);
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* ---- the object ---- */

static void
baton_graph_sandbox_dispose (GObject *object)
{
  BatonGraphSandbox *self = BATON_GRAPH_SANDBOX (object);

  if (self->thread)
    {
      GSource *source = g_idle_source_new ();

      g_source_set_callback (source, quit_cb, self->loop, NULL);
      g_source_attach (source, self->context);
      g_source_unref (source);
      g_thread_join (g_steal_pointer (&self->thread));
    }
  g_hash_table_remove_all (self->pending);
  G_OBJECT_CLASS (baton_graph_sandbox_parent_class)->dispose (object);
}

static void
baton_graph_sandbox_finalize (GObject *object)
{
  BatonGraphSandbox *self = BATON_GRAPH_SANDBOX (object);

  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_hash_table_unref (self->pending);
  g_hash_table_unref (self->scripted);
  g_hash_table_unref (self->numbers);
  g_hash_table_unref (self->media);
  g_hash_table_unref (self->templates);
  g_ptr_array_unref (self->requests);
  g_clear_error (&self->listen_error);
  g_free (self->access_token);
  g_free (self->prefix);
  g_free (self->base_url);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (baton_graph_sandbox_parent_class)->finalize (object);
}

static void
baton_graph_sandbox_class_init (BatonGraphSandboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = baton_graph_sandbox_dispose;
  object_class->finalize = baton_graph_sandbox_finalize;

  /**
   * BatonGraphSandbox::message-accepted:
   * @phone_number_id: the business number that sends
   * @wamid: the id the answer gave the message
   * @wa_id: (nullable): the customer's number, digits only
   * @user_id: (nullable): the customer's user id, when the send named no number
   * @category: the pricing category: "service", or the template's ("utility", …)
   *
   * A send was accepted with its answer out: WhatsApp would now report its statuses.
   */
  signals[MESSAGE_ACCEPTED] = g_signal_new ("message-accepted", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 5, G_TYPE_STRING, G_TYPE_STRING,
                                            G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
}

static void
baton_graph_sandbox_init (BatonGraphSandbox *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->scripted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) queue_free);
  self->numbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->media = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) media_free);
  self->templates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) templates_free);
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_free);
  self->pending = g_hash_table_new_full (NULL, NULL, (GDestroyNotify) pending_free, NULL);
  self->recording = TRUE;
}

/* ---- public API ---- */

BatonGraphSandbox *
baton_graph_sandbox_new (void)
{
  return g_object_new (BATON_TYPE_GRAPH_SANDBOX, NULL);
}

void
baton_graph_sandbox_mount (BatonGraphSandbox *self,
                           BatonServer       *server,
                           const char        *prefix)
{
  g_return_if_fail (BATON_IS_GRAPH_SANDBOX (self));
  g_return_if_fail (self->context == NULL);
  g_return_if_fail (prefix != NULL && prefix[0] == '/');

  self->context = g_main_context_ref_thread_default ();
  self->prefix = g_strdup (prefix);
  baton_server_add_handler (server, prefix, request_cb, g_object_ref (self), g_object_unref);
}

gboolean
baton_graph_sandbox_listen (BatonGraphSandbox *self,
                            GError           **error)
{
  gboolean listening = FALSE;

  g_return_val_if_fail (BATON_IS_GRAPH_SANDBOX (self), FALSE);
  g_return_val_if_fail (self->context == NULL, FALSE);

  self->prefix = g_strdup ("");
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->thread = g_thread_new ("graph-sandbox", serve, self);

  g_mutex_lock (&self->mutex);
  while (!self->started)
    g_cond_wait (&self->cond, &self->mutex);
  listening = self->listen_error == NULL;
  if (!listening)
    g_propagate_error (error, g_steal_pointer (&self->listen_error));
  g_mutex_unlock (&self->mutex);
  return listening;
}

const char *
baton_graph_sandbox_get_base_url (BatonGraphSandbox *self)
{
  g_return_val_if_fail (BATON_IS_GRAPH_SANDBOX (self), NULL);

  return self->base_url;
}

void
baton_graph_sandbox_set_access_token (BatonGraphSandbox *self,
                                      const char        *token)
{
  g_return_if_fail (BATON_IS_GRAPH_SANDBOX (self));

  g_mutex_lock (&self->mutex);
  g_free (self->access_token);
  self->access_token = g_strdup (token);
  g_mutex_unlock (&self->mutex);
}

void
baton_graph_sandbox_set_delay (BatonGraphSandbox *self,
                               guint              delay_ms)
{
  g_return_if_fail (BATON_IS_GRAPH_SANDBOX (self));

  g_mutex_lock (&self->mutex);
  self->delay_ms = delay_ms;
  g_mutex_unlock (&self->mutex);
}

void
baton_graph_sandbox_set_recording (BatonGraphSandbox *self,
                                   gboolean           recording)
{
  g_return_if_fail (BATON_IS_GRAPH_SANDBOX (self));

  g_mutex_lock (&self->mutex);
  self->recording = recording;
  g_mutex_unlock (&self->mutex);
}

void
baton_graph_sandbox_add_number (BatonGraphSandbox *self,
                                const char        *phone_number_id,
                                const char        *waba_id)
{
  g_return_if_fail (BATON_IS_GRAPH_SANDBOX (self));
  g_return_if_fail (phone_number_id != NULL && waba_id != NULL);

  g_mutex_lock (&self->mutex);
  g_hash_table_replace (self->numbers, g_strdup (phone_number_id), g_strdup (waba_id));
  g_mutex_unlock (&self->mutex);
}

void
baton_graph_sandbox_add_media (BatonGraphSandbox *self,
                               const char        *media_id,
                               const char        *mime_type,
                               GBytes            *bytes)
{
  Media *media = NULL;

  g_return_if_fail (BATON_IS_GRAPH_SANDBOX (self));
  g_return_if_fail (media_id != NULL && mime_type != NULL && bytes != NULL);

  media = g_new0 (Media, 1);
  media->mime_type = g_strdup (mime_type);
  media->bytes = g_bytes_ref (bytes);
  g_mutex_lock (&self->mutex);
  g_hash_table_replace (self->media, g_strdup (media_id), media);
  g_mutex_unlock (&self->mutex);
}

void
baton_graph_sandbox_set_templates (BatonGraphSandbox *self,
                                   const char        *waba_id,
                                   JsonArray         *templates,
                                   guint              page_size)
{
  Templates *set = NULL;

  g_return_if_fail (BATON_IS_GRAPH_SANDBOX (self));
  g_return_if_fail (waba_id != NULL && templates != NULL);

  set = g_new0 (Templates, 1);
  set->templates = json_array_ref (templates);
  set->page_size = page_size;
  g_mutex_lock (&self->mutex);
  g_hash_table_replace (self->templates, g_strdup (waba_id), set);
  g_mutex_unlock (&self->mutex);
}

void
baton_graph_sandbox_push_reply (BatonGraphSandbox            *self,
                                const BatonGraphSandboxReply *reply)
{
  g_autofree char *key = NULL;
  Answer *answer = NULL;
  GQueue *queue = NULL;

  g_return_if_fail (BATON_IS_GRAPH_SANDBOX (self));
  g_return_if_fail (reply->method != NULL);
  g_return_if_fail (reply->path != NULL && reply->path[0] == '/');

  answer = answer_new (reply->status, NULL);
  answer->match = reply->match;
  if (reply->body)
    answer->body = g_bytes_new (reply->body,
                                reply->body_length ? reply->body_length : strlen (reply->body));
  answer->content_type = g_strdup (reply->content_type);
  answer->retry_after = g_strdup (reply->retry_after);
  answer->delay_ms = reply->delay_ms;
  answer->chunked = reply->chunked;
  key = g_strconcat (reply->method, " ", reply->path, NULL);

  g_mutex_lock (&self->mutex);
  queue = g_hash_table_lookup (self->scripted, key);
  if (queue == NULL)
    {
      queue = g_queue_new ();
      g_hash_table_insert (self->scripted, g_steal_pointer (&key), queue);
    }
  g_queue_push_tail (queue, answer);
  g_mutex_unlock (&self->mutex);
}

void
baton_graph_sandbox_push (BatonGraphSandbox *self,
                          const char        *method,
                          const char        *path,
                          guint              status,
                          const char        *body)
{
  BatonGraphSandboxReply reply = {
    .method = method, .path = path, .status = status, .body = body,
  };

  baton_graph_sandbox_push_reply (self, &reply);
}

gboolean
baton_graph_sandbox_push_file (BatonGraphSandbox *self,
                               const char        *method,
                               const char        *path,
                               guint              status,
                               const char        *filename,
                               GError           **error)
{
  g_autofree char *body = NULL;

  if (!g_file_get_contents (filename, &body, NULL, error))
    return FALSE;
  baton_graph_sandbox_push (self, method, path, status, body);
  return TRUE;
}

static void
push_send (BatonGraphSandbox *self,
           const char        *phone_number_id,
           guint              status,
           const char        *body)
{
  g_autofree char *path = g_strdup_printf ("/%s/messages", phone_number_id);
  BatonGraphSandboxReply reply = {
    .method = "POST", .path = path, .match = BATON_GRAPH_SANDBOX_MATCH_SEND, .status = status,
    .body = body,
  };

  baton_graph_sandbox_push_reply (self, &reply);
}

void
baton_graph_sandbox_push_sent (BatonGraphSandbox *self,
                               const char        *phone_number_id,
                               const char        *wamid)
{
  g_autofree char *body = g_strdup_printf ("{\"messaging_product\":\"whatsapp\",\"contacts\":[],"
                                           "\"messages\":[{\"id\":\"%s\","
                                           "\"message_status\":\"accepted\"}]}", wamid);

  push_send (self, phone_number_id, 200, body);
}

void
baton_graph_sandbox_push_send_error (BatonGraphSandbox *self,
                                     const char        *phone_number_id,
                                     guint              status,
                                     const char        *body)
{
  push_send (self, phone_number_id, status, body);
}

/* "wamid." and base64 of what Meta's ids hold: the other party's number, a direction flag
 * (0x11 sent by the business, 0x12 received) and a random id. */
char *
baton_graph_sandbox_new_wamid (BatonGraphSandbox *self,
                               const char        *number,
                               gboolean           inbound)
{
  g_autoptr(GByteArray) raw = g_byte_array_new ();
  g_autofree char *random = random_text ("0123456789ABCDEF", 14);
  guint serial = (guint) g_atomic_int_add (&self->serial, 1) + 1;
  g_autofree char *unique = g_strdup_printf ("%s%04X", random, serial & 0xffff);
  g_autofree char *encoded = NULL;
  guchar head[3] = { 0x1c, 0x18, (guchar) MIN (strlen (number), 255) };
  guchar middle[6] = { 0x15, 0x02, 0x00, inbound ? 0x12 : 0x11, 0x18, (guchar) strlen (unique) };

  g_byte_array_append (raw, head, 3);
  g_byte_array_append (raw, (const guchar *) number, head[2]);
  g_byte_array_append (raw, middle, 6);
  g_byte_array_append (raw, (const guchar *) unique, (guint) strlen (unique));
  g_byte_array_append (raw, (const guchar *) "", 1);
  encoded = g_base64_encode (raw->data, raw->len);
  return g_strconcat ("wamid.", encoded, NULL);
}

guint
baton_graph_sandbox_n_requests (BatonGraphSandbox *self)
{
  guint n = 0;

  g_mutex_lock (&self->mutex);
  n = self->requests->len;
  g_mutex_unlock (&self->mutex);
  return n;
}

const BatonGraphSandboxRequest *
baton_graph_sandbox_request (BatonGraphSandbox *self,
                             guint              index)
{
  const BatonGraphSandboxRequest *request = NULL;

  g_mutex_lock (&self->mutex);
  if (index < self->requests->len)
    request = g_ptr_array_index (self->requests, index);
  g_mutex_unlock (&self->mutex);
  return request;
}

static gboolean
path_matches (const BatonGraphSandboxRequest *request,
              const char                     *method,
              const char                     *path)
{
  return (method == NULL || g_strcmp0 (request->method, method) == 0)
         && (path == NULL || g_strcmp0 (request->path, path) == 0);
}

static guint
count_locked (BatonGraphSandbox *self,
              const char        *method,
              const char        *path)
{
  guint count = 0;

  for (guint i = 0; i < self->requests->len; i++)
    if (path_matches (g_ptr_array_index (self->requests, i), method, path))
      count++;
  return count;
}

guint
baton_graph_sandbox_count (BatonGraphSandbox *self,
                           const char        *method,
                           const char        *path)
{
  guint count = 0;

  g_mutex_lock (&self->mutex);
  count = count_locked (self, method, path);
  g_mutex_unlock (&self->mutex);
  return count;
}

const BatonGraphSandboxRequest *
baton_graph_sandbox_find (BatonGraphSandbox *self,
                          const char        *method,
                          const char        *path,
                          guint              nth)
{
  const BatonGraphSandboxRequest *found = NULL;

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->requests->len && found == NULL; i++)
    {
      const BatonGraphSandboxRequest *request = g_ptr_array_index (self->requests, i);

      if (path_matches (request, method, path) && nth-- == 0)
        found = request;
    }
  g_mutex_unlock (&self->mutex);
  return found;
}

gboolean
baton_graph_sandbox_wait (BatonGraphSandbox *self,
                          const char        *method,
                          const char        *path,
                          guint              count,
                          guint              timeout_ms)
{
  gint64 end_time = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gboolean reached = FALSE;

  g_mutex_lock (&self->mutex);
  while (!(reached = count_locked (self, method, path) >= count))
    if (!g_cond_wait_until (&self->cond, &self->mutex, end_time))
      {
        reached = count_locked (self, method, path) >= count;
        break;
      }
  g_mutex_unlock (&self->mutex);
  return reached;
}

JsonNode *
baton_graph_sandbox_request_json (const BatonGraphSandboxRequest *request)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (request->body, &length);

  if (length == 0)
    return NULL;
  return baton_json_parse (data, length, NULL);
}
