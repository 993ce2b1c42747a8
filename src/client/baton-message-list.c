/* baton-message-list.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-message-list"

#include "config.h"

#include "baton-attachment.h"
#include "baton-message-list.h"

#define DEFAULT_PAGE_SIZE 50

struct _BatonMessageList
{
  GObject parent_instance;

  /* owned refs */
  BatonClient *client;
  char *conversation_id;
  /* BatonMessageItem, oldest first */
  GPtrArray *items;
  /* id → BatonMessageItem, borrowed from items */
  GHashTable *by_id;
  /* client_id → the BatonMessageItem of a local message (sending or unsent), borrowed */
  GHashTable *local;
  /* client_id → the Uploads of a local message with files */
  GHashTable *uploads;
  GCancellable *cancellable;

  /* state */
  guint page_size;
  gboolean loading;
  gboolean loading_older;
  gboolean has_older;
};

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_CONVERSATION_ID,
  PROP_LOADING,
  PROP_HAS_OLDER,
  PROP_PAGE_SIZE,
  N_PROPS
};

enum {
  LOAD_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BatonMessageList, baton_message_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
set_loading (BatonMessageList *self,
             gboolean          loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
set_has_older (BatonMessageList *self,
               gboolean          has_older)
{
  if (self->has_older == has_older)
    return;
  self->has_older = has_older;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_OLDER]);
}

/* Whether message is an older copy of the one shown: an answer or a page read before the
 * stream brought a later delivery status. */
static gboolean
is_older (BatonMessage *message,
          BatonMessage *shown)
{
  return baton_message_status_rank (message->status) < baton_message_status_rank (shown->status);
}

/* The server's copy of a message listed as local takes its place (the same item: the row
 * stays); FALSE when it is none of ours. */
static gboolean
settle (BatonMessageList *self,
        BatonMessage     *message)
{
  BatonMessageItem *item = message->client_id ? g_hash_table_lookup (self->local,
                                                                     message->client_id)
                                              : NULL;

  if (item == NULL)
    return FALSE;
  g_hash_table_remove (self->local, message->client_id);
  g_hash_table_remove (self->by_id, baton_message_item_get_id (item));
  g_hash_table_insert (self->by_id, g_strdup (message->id), item);
  baton_message_item_set_progress (item, -1);
  baton_message_item_update (item, message);
  return TRUE;
}

static gboolean
is_local (BatonMessageItem *item)
{
  return g_str_has_prefix (baton_message_item_get_id (item), BATON_MESSAGE_LOCAL_PREFIX);
}

/* Replaces a listed message in place (the item notifies "message": a list view keeps its
 * rows and its scroll anchor), unless it is an older copy; FALSE when it is not listed. */
static gboolean
replace (BatonMessageList *self,
         BatonMessage     *message)
{
  BatonMessageItem *item = NULL;

  if (settle (self, message))
    return TRUE;
  item = g_hash_table_lookup (self->by_id, message->id);
  if (item == NULL)
    return FALSE;
  if (!is_older (message, baton_message_item_get_message (item)))
    baton_message_item_update (item, message);
  return TRUE;
}

static void
append (BatonMessageList *self,
        BatonMessage     *message)
{
  BatonMessageItem *item = baton_message_item_new (message);

  g_hash_table_insert (self->by_id, g_strdup (message->id), item);
  g_ptr_array_add (self->items, item);
  g_list_model_items_changed (G_LIST_MODEL (self), self->items->len - 1, 0, 1);
}

/* The newest page (newest first) replaces the list; what came live meanwhile, newer than
 * the page, stays after it. */
static void
replace_all (BatonMessageList *self,
             GPtrArray        *page)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 newest = page->len ? ((BatonMessage *) page->pdata[0])->created_at : G_MININT64;
  guint removed = self->items->len;

  for (guint i = page->len; i > 0; i--)
    {
      BatonMessage *message = page->pdata[i - 1];
      BatonMessageItem *item = NULL;

      if (g_hash_table_contains (by_id, message->id))
        continue;
      settle (self, message);
      item = g_hash_table_lookup (self->by_id, message->id);
      if (item == NULL)
        {
          item = baton_message_item_new (message);
        }
      else
        {
          g_object_ref (item);
          if (!is_older (message, baton_message_item_get_message (item)))
            baton_message_item_update (item, message);
        }
      g_ptr_array_add (items, item);
      g_hash_table_insert (by_id, g_strdup (message->id), item);
    }
  for (guint i = 0; i < self->items->len; i++)
    {
      BatonMessageItem *item = self->items->pdata[i];
      BatonMessage *message = baton_message_item_get_message (item);

      /* what is being sent stays, whatever the clocks say */
      if ((message->created_at >= newest || is_local (item))
          && !g_hash_table_contains (by_id, message->id))
        {
          g_ptr_array_add (items, g_object_ref (item));
          g_hash_table_insert (by_id, g_strdup (message->id), item);
        }
    }
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  self->items = g_steal_pointer (&items);
  self->by_id = g_steal_pointer (&by_id);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->items->len);
}

/* An older page (newest first) goes before the oldest listed. */
static void
prepend_page (BatonMessageList *self,
              GPtrArray        *page)
{
  g_autoptr(GPtrArray) added = g_ptr_array_new ();

  for (guint i = page->len; i > 0; i--)
    {
      BatonMessage *message = page->pdata[i - 1];
      BatonMessageItem *item = NULL;

      if (g_hash_table_contains (self->by_id, message->id))
        continue;
      item = baton_message_item_new (message);
      g_hash_table_insert (self->by_id, g_strdup (message->id), item);
      g_ptr_array_add (added, item);
    }
  for (guint i = added->len; i > 0; i--)
    g_ptr_array_insert (self->items, 0, added->pdata[i - 1]);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, added->len);
}

static void
page_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean has_more = FALSE;
  g_autoptr(GPtrArray) page = baton_client_list_messages_finish (BATON_CLIENT (source), result,
                                                                 &has_more, &error);
  BatonMessageList *self = NULL;
  gboolean older = FALSE;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = BATON_MESSAGE_LIST (user_data);
  older = self->loading_older;
  self->loading_older = FALSE;
  if (page == NULL)
    {
      set_loading (self, FALSE);
      g_signal_emit (self, signals[LOAD_FAILED], 0, error);
      return;
    }
  if (older)
    prepend_page (self, page);
  else
    replace_all (self, page);
  set_has_older (self, has_more);
  set_loading (self, FALSE);
}

static void
load_page (BatonMessageList *self,
           const char       *before)
{
  self->loading_older = before != NULL;
  set_loading (self, TRUE);
  baton_client_list_messages_async (self->client, self->conversation_id, before,
                                    self->page_size, self->cancellable, page_loaded_cb, self);
}

static void
client_event_cb (BatonMessageList *self,
                 BatonEvent       *event)
{
  g_autoptr(BatonMessage) message = baton_event_dup_message (event);

  if (message == NULL || message->id == NULL
      || g_strcmp0 (message->conversation_id, self->conversation_id) != 0)
    return;
  /* An update of a message not listed (an older page not read) changes nothing shown. */
  if (!replace (self, message) && baton_event_get_kind (event) == BATON_EVENT_MESSAGE_CREATED)
    append (self, message);
}

/* Sending */

BatonOutgoingFile *
baton_outgoing_file_new (const char *filename,
                         const char *content_type,
                         GBytes     *bytes)
{
  BatonOutgoingFile *file = g_new0 (BatonOutgoingFile, 1);

  g_return_val_if_fail (filename != NULL && content_type != NULL && bytes != NULL, NULL);

  file->filename = g_strdup (filename);
  file->content_type = g_strdup (content_type);
  file->bytes = g_bytes_ref (bytes);
  return file;
}

void
baton_outgoing_file_free (BatonOutgoingFile *file)
{
  g_free (file->filename);
  g_free (file->content_type);
  g_bytes_unref (file->bytes);
  g_free (file);
}

/* The files of a local message, and the attachment ids of those uploaded already: a retry
 * goes on from there. */
typedef struct {
  GPtrArray *files;
  GPtrArray *attachment_ids;
  guint64 total;
  guint64 uploaded;
} Uploads;

static void
uploads_free (Uploads *uploads)
{
  g_ptr_array_unref (uploads->files);
  g_ptr_array_unref (uploads->attachment_ids);
  g_free (uploads);
}

/* A reply on its way: the list it is listed in (reffed: the send outlives a list the view
 * dropped), its client_id and content, and the caller's task (NULL for a retry). */
typedef struct {
  BatonMessageList *self;
  char *client_id;
  char *body;
  gboolean note;
  GTask *task;
} Send;

static void
send_free (Send *send)
{
  g_clear_object (&send->self);
  g_free (send->client_id);
  g_free (send->body);
  g_clear_object (&send->task);
  g_free (send);
}

static BatonMessage *
copy_with_status (BatonMessage *message,
                  const char   *status)
{
  g_autoptr(JsonNode) node = baton_message_to_json (message);
  BatonMessage *copy = baton_message_from_json (node);

  g_free (copy->status);
  copy->status = g_strdup (status);
  return copy;
}

static const char *
kind_of (const char *content_type)
{
  if (g_str_has_prefix (content_type, "image/"))
    return "image";
  if (g_str_has_prefix (content_type, "video/"))
    return "video";
  if (g_str_has_prefix (content_type, "audio/"))
    return "audio";
  return "document";
}

/* What the thread shows of files not sent yet: attachments with no url. */
static JsonNode *
local_attachments (const char *client_id,
                   GPtrArray  *files)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < files->len; i++)
    {
      BatonOutgoingFile *file = files->pdata[i];
      g_autofree char *id = g_strdup_printf (BATON_MESSAGE_LOCAL_PREFIX "%s:%u", client_id, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, id);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, kind_of (file->content_type));
      json_builder_set_member_name (builder, "mime_type");
      json_builder_add_string_value (builder, file->content_type);
      json_builder_set_member_name (builder, "filename");
      json_builder_add_string_value (builder, file->filename);
      json_builder_set_member_name (builder, "size");
      json_builder_add_int_value (builder, (gint64) g_bytes_get_size (file->bytes));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

static BatonMessage *
local_message (BatonMessageList *self,
               const char       *body,
               gboolean          note,
               const char       *client_id)
{
  BatonAgent *me = baton_client_get_me (self->client);
  BatonMessage *message = baton_message_new ();

  message->id = g_strconcat (BATON_MESSAGE_LOCAL_PREFIX, client_id, NULL);
  message->conversation_id = g_strdup (self->conversation_id);
  message->kind = note ? BATON_MESSAGE_NOTE : BATON_MESSAGE_OUTBOUND;
  message->author_type = g_strdup ("agent");
  message->author_id = me ? g_strdup (me->id) : NULL;
  message->author_name = me ? g_strdup (me->name) : NULL;
  message->body = g_strdup (body);
  message->client_id = g_strdup (client_id);
  message->status = g_strdup (BATON_MESSAGE_STATUS_SENDING);
  message->created_at = g_get_real_time () / 1000;
  return message;
}

static void
remove_item (BatonMessageList *self,
             BatonMessageItem *item)
{
  guint position = 0;

  if (!g_ptr_array_find (self->items, item, &position))
    return;
  g_hash_table_remove (self->by_id, baton_message_item_get_id (item));
  g_ptr_array_remove_index (self->items, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

gboolean
baton_message_list_keeps_unsent (const GError *error)
{
  return error->domain == BATON_CLIENT_ERROR
         && (error->code == BATON_CLIENT_ERROR_UNREACHABLE
             || error->code == BATON_CLIENT_ERROR_SERVER
             || error->code == BATON_CLIENT_ERROR_RATE_LIMITED
             || error->code == BATON_CLIENT_ERROR_INVALID_RESPONSE);
}

/* The send ended: with the server's message, unsent (what was uploaded stays so), or
 * refused (the local message leaves). */
static void
send_done (Send         *send,
           BatonMessage *message,
           GError       *error)
{
  BatonMessageList *self = send->self;
  BatonMessageItem *item = g_hash_table_lookup (self->local, send->client_id);

  if (item)
    baton_message_item_set_progress (item, -1);
  if (message)
    {
      g_hash_table_remove (self->uploads, send->client_id);
      baton_message_list_put (self, message);
    }
  else if (item && baton_message_list_keeps_unsent (error))
    {
      g_autoptr(BatonMessage) unsent = NULL;

      unsent = copy_with_status (baton_message_item_get_message (item),
                                 BATON_MESSAGE_STATUS_UNSENT);
      baton_message_item_update (item, unsent);
    }
  else if (item)
    {
      g_hash_table_remove (self->uploads, send->client_id);
      g_hash_table_remove (self->local, send->client_id);
      remove_item (self, item);
    }
  if (send->task && message)
    g_task_return_pointer (send->task, baton_message_ref (message),
                           (GDestroyNotify) baton_message_unref);
  else if (send->task)
    g_task_return_error (send->task, g_error_copy (error));
  send_free (send);
}

static void
local_sent_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonMessage) message = baton_client_send_reply_finish (BATON_CLIENT (source),
                                                                    result, &error);

  send_done (user_data, message, error);
}

static void upload_next (Send *send);

static void
upload_progress_cb (guint64  written,
                    guint64  total,
                    gpointer user_data)
{
  Send *send = user_data;
  Uploads *uploads = g_hash_table_lookup (send->self->uploads, send->client_id);
  BatonMessageItem *item = g_hash_table_lookup (send->self->local, send->client_id);

  if (uploads && item && uploads->total > 0)
    baton_message_item_set_progress (item, (double) (uploads->uploaded + written)
                                           / (double) uploads->total);
}

static void
uploaded_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Send *send = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonAttachment) attachment = NULL;
  Uploads *uploads = g_hash_table_lookup (send->self->uploads, send->client_id);
  BatonOutgoingFile *file = NULL;

  attachment = baton_client_upload_attachment_finish (BATON_CLIENT (source), result, &error);
  if (attachment == NULL || uploads == NULL)
    {
      if (error == NULL)
        g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The send was dropped");
      send_done (send, NULL, error);
      return;
    }
  file = uploads->files->pdata[uploads->attachment_ids->len];
  uploads->uploaded += g_bytes_get_size (file->bytes);
  g_ptr_array_add (uploads->attachment_ids, g_strdup (attachment->id));
  upload_next (send);
}

/* Uploads the next file not uploaded yet; once none is left, sends the reply with them. */
static void
upload_next (Send *send)
{
  BatonMessageList *self = send->self;
  Uploads *uploads = g_hash_table_lookup (self->uploads, send->client_id);
  guint done = uploads ? uploads->attachment_ids->len : 0;

  if (uploads && done < uploads->files->len)
    {
      BatonOutgoingFile *file = uploads->files->pdata[done];

      upload_progress_cb (0, 0, send);
      baton_client_upload_attachment_async (self->client, file->filename, file->content_type,
                                            file->bytes, upload_progress_cb, send, NULL,
                                            uploaded_cb, send);
      return;
    }
  baton_client_send_reply_async (self->client, self->conversation_id,
                                 *send->body ? send->body : NULL, send->note,
                                 uploads ? (const char * const *) uploads->attachment_ids->pdata
                                         : NULL,
                                 send->client_id, NULL, local_sent_cb, send);
}

static void
send_local (BatonMessageList *self,
            BatonMessage     *local,
            GTask            *task)
{
  Send *send = g_new0 (Send, 1);

  send->self = g_object_ref (self);
  send->client_id = g_strdup (local->client_id);
  send->body = g_strdup (local->body);
  send->note = local->kind == BATON_MESSAGE_NOTE;
  send->task = task;
  upload_next (send);
}

static GType
list_get_item_type (GListModel *model)
{
  return BATON_TYPE_MESSAGE_ITEM;
}

static guint
list_get_n_items (GListModel *model)
{
  return BATON_MESSAGE_LIST (model)->items->len;
}

static gpointer
list_get_item (GListModel *model,
               guint       position)
{
  BatonMessageList *self = BATON_MESSAGE_LIST (model);

  return position < self->items->len ? g_object_ref (self->items->pdata[position]) : NULL;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_get_item_type;
  iface->get_n_items = list_get_n_items;
  iface->get_item = list_get_item;
}

static void
baton_message_list_dispose (GObject *object)
{
  BatonMessageList *self = BATON_MESSAGE_LIST (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  G_OBJECT_CLASS (baton_message_list_parent_class)->dispose (object);
}

static void
baton_message_list_finalize (GObject *object)
{
  BatonMessageList *self = BATON_MESSAGE_LIST (object);

  g_clear_pointer (&self->local, g_hash_table_unref);
  g_clear_pointer (&self->uploads, g_hash_table_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_free (self->conversation_id);
  G_OBJECT_CLASS (baton_message_list_parent_class)->finalize (object);
}

static void
baton_message_list_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  BatonMessageList *self = BATON_MESSAGE_LIST (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_CONVERSATION_ID:
      g_value_set_string (value, self->conversation_id);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_HAS_OLDER:
      g_value_set_boolean (value, self->has_older);
      break;
    case PROP_PAGE_SIZE:
      g_value_set_uint (value, self->page_size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
baton_message_list_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  BatonMessageList *self = BATON_MESSAGE_LIST (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_CONVERSATION_ID:
      self->conversation_id = g_value_dup_string (value);
      break;
    case PROP_PAGE_SIZE:
      baton_message_list_set_page_size (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
baton_message_list_class_init (BatonMessageListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  GParamFlags readable = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = baton_message_list_dispose;
  object_class->finalize = baton_message_list_finalize;
  object_class->get_property = baton_message_list_get_property;
  object_class->set_property = baton_message_list_set_property;

  properties[PROP_CLIENT] = g_param_spec_object ("client", NULL, NULL, BATON_TYPE_CLIENT,
                                                 construct);
  properties[PROP_CONVERSATION_ID] = g_param_spec_string ("conversation-id", NULL, NULL, NULL,
                                                          construct);
  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE, readable);
  properties[PROP_HAS_OLDER] = g_param_spec_boolean ("has-older", NULL, NULL, FALSE, readable);
  properties[PROP_PAGE_SIZE] = g_param_spec_uint ("page-size", NULL, NULL, 1, 500,
                                                  DEFAULT_PAGE_SIZE,
                                                  G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY
                                                  | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[LOAD_FAILED] = g_signal_new ("load-failed", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                       G_TYPE_ERROR);
}

static void
baton_message_list_init (BatonMessageList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->local = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->uploads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) uploads_free);
  self->cancellable = g_cancellable_new ();
  self->page_size = DEFAULT_PAGE_SIZE;
}

BatonMessageList *
baton_message_list_new (BatonClient *client,
                        const char  *conversation_id)
{
  BatonMessageList *self = NULL;

  g_return_val_if_fail (BATON_IS_CLIENT (client), NULL);
  g_return_val_if_fail (conversation_id != NULL, NULL);

  self = g_object_new (BATON_TYPE_MESSAGE_LIST, "client", client,
                       "conversation-id", conversation_id, NULL);
  g_signal_connect_object (client, "event", G_CALLBACK (client_event_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (client, "resync", G_CALLBACK (baton_message_list_reload), self,
                           G_CONNECT_SWAPPED);
  return self;
}

const char *
baton_message_list_get_conversation_id (BatonMessageList *self)
{
  g_return_val_if_fail (BATON_IS_MESSAGE_LIST (self), NULL);

  return self->conversation_id;
}

void
baton_message_list_set_page_size (BatonMessageList *self,
                                  guint             page_size)
{
  g_return_if_fail (BATON_IS_MESSAGE_LIST (self));
  g_return_if_fail (page_size > 0 && page_size <= 500);

  if (self->page_size == page_size)
    return;
  self->page_size = page_size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE_SIZE]);
}

void
baton_message_list_reload (BatonMessageList *self)
{
  g_return_if_fail (BATON_IS_MESSAGE_LIST (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  load_page (self, NULL);
}

void
baton_message_list_load_older (BatonMessageList *self)
{
  BatonMessage *oldest = NULL;

  g_return_if_fail (BATON_IS_MESSAGE_LIST (self));

  if (self->loading || !self->has_older || self->items->len == 0)
    return;
  oldest = baton_message_item_get_message (self->items->pdata[0]);
  load_page (self, oldest->id);
}

gboolean
baton_message_list_get_loading (BatonMessageList *self)
{
  g_return_val_if_fail (BATON_IS_MESSAGE_LIST (self), FALSE);

  return self->loading;
}

gboolean
baton_message_list_get_has_older (BatonMessageList *self)
{
  g_return_val_if_fail (BATON_IS_MESSAGE_LIST (self), FALSE);

  return self->has_older;
}

BatonMessage *
baton_message_list_lookup (BatonMessageList *self,
                           const char       *message_id)
{
  BatonMessageItem *item = NULL;

  g_return_val_if_fail (BATON_IS_MESSAGE_LIST (self), NULL);

  item = message_id ? g_hash_table_lookup (self->by_id, message_id) : NULL;
  return item ? baton_message_item_get_message (item) : NULL;
}

void
baton_message_list_put (BatonMessageList *self,
                        BatonMessage     *message)
{
  g_return_if_fail (BATON_IS_MESSAGE_LIST (self));
  g_return_if_fail (message != NULL && message->id != NULL);

  if (g_strcmp0 (message->conversation_id, self->conversation_id) != 0)
    return;
  if (!replace (self, message))
    append (self, message);
}

void
baton_message_list_send_async (BatonMessageList    *self,
                               const char          *body,
                               gboolean             note,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (BATON_IS_MESSAGE_LIST (self));
  g_return_if_fail (body != NULL);

  baton_message_list_send_files_async (self, body, note, NULL, cancellable, callback,
                                       user_data);
}

void
baton_message_list_send_files_async (BatonMessageList    *self,
                                     const char          *body,
                                     gboolean             note,
                                     GPtrArray           *files,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autofree char *client_id = NULL;
  g_autoptr(BatonMessage) local = NULL;
  GTask *task = NULL;

  g_return_if_fail (BATON_IS_MESSAGE_LIST (self));
  g_return_if_fail (body != NULL);
  g_return_if_fail (*body != '\0' || (files && files->len > 0));

  client_id = g_uuid_string_random ();
  local = local_message (self, body, note, client_id);
  if (files && files->len > 0)
    {
      Uploads *uploads = g_new0 (Uploads, 1);

      uploads->files = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_outgoing_file_free);
      for (guint i = 0; i < files->len; i++)
        {
          BatonOutgoingFile *file = files->pdata[i];

          g_ptr_array_add (uploads->files, baton_outgoing_file_new (file->filename,
                                                                    file->content_type,
                                                                    file->bytes));
          uploads->total += g_bytes_get_size (file->bytes);
        }
      /* NULL-terminated, for attachment_ids */
      uploads->attachment_ids = g_ptr_array_new_null_terminated (files->len, g_free, TRUE);
      local->attachments = local_attachments (client_id, uploads->files);
      g_hash_table_insert (self->uploads, g_strdup (client_id), uploads);
    }
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, baton_message_list_send_async);
  append (self, local);
  g_hash_table_insert (self->local, g_strdup (client_id),
                       g_ptr_array_index (self->items, self->items->len - 1));
  send_local (self, local, task);
}

BatonMessage *
baton_message_list_send_finish (BatonMessageList  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == baton_message_list_send_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
baton_message_list_retry (BatonMessageList *self,
                          const char       *client_id)
{
  BatonMessageItem *item = NULL;
  g_autoptr(BatonMessage) sending = NULL;

  g_return_if_fail (BATON_IS_MESSAGE_LIST (self));

  item = client_id ? g_hash_table_lookup (self->local, client_id) : NULL;
  if (item == NULL || g_strcmp0 (baton_message_item_get_message (item)->status,
                                 BATON_MESSAGE_STATUS_UNSENT) != 0)
    return;
  sending = copy_with_status (baton_message_item_get_message (item),
                              BATON_MESSAGE_STATUS_SENDING);
  baton_message_item_update (item, sending);
  send_local (self, sending, NULL);
}
