/* baton-attachment-cache.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-attachment-cache"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "baton-attachment-cache.h"

struct _BatonAttachmentCache
{
  GObject parent_instance;

  /* owned */
  BatonClient *client;
  /* attachment id → GdkTexture */
  GHashTable *textures;
  /* attachment id → GPtrArray of the GTasks waiting for that texture */
  GHashTable *pending;
  /* cancelled in dispose */
  GCancellable *cancellable;
};

/* One fetch of an image, shared by everyone waiting for it. */
typedef struct {
  BatonAttachmentCache *self;
  char *attachment_id;
} Load;

/* One open: the file it saves to, or the URI it opens. */
typedef struct {
  GFile *file;
  char *uri;
} Open;

enum {
  OPEN_URI,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BatonAttachmentCache, baton_attachment_cache, G_TYPE_OBJECT)

/* Known media types and the extension their files get when the filename has none. */
static const struct {
  const char *mime_type;
  const char *extension;
} extensions[] = {
  { "image/jpeg", "jpg" },
  { "image/png", "png" },
  { "image/webp", "webp" },
  { "image/gif", "gif" },
  { "audio/ogg", "ogg" },
  { "audio/opus", "opus" },
  { "audio/mpeg", "mp3" },
  { "audio/mp4", "m4a" },
  { "audio/aac", "aac" },
  { "audio/amr", "amr" },
  { "video/mp4", "mp4" },
  { "video/3gpp", "3gp" },
  { "application/pdf", "pdf" },
  { "text/plain", "txt" },
  { "application/msword", "doc" },
  { "application/vnd.ms-excel", "xls" },
  { "application/vnd.ms-powerpoint", "ppt" },
  { "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx" },
  { "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx" },
  { "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx" },
};

/* At most this many characters after the last dot count as an extension. */
#define MAX_EXTENSION 8

static void
load_free (Load *load)
{
  g_clear_object (&load->self);
  g_free (load->attachment_id);
  g_free (load);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Load, load_free)

static void
open_free (Open *open)
{
  g_clear_object (&open->file);
  g_free (open->uri);
  g_free (open);
}

static char *
extension_from_filename (const char *filename)
{
  const char *dot = filename ? strrchr (filename, '.') : NULL;
  gsize length = dot ? strlen (dot + 1) : 0;

  if (length == 0 || length > MAX_EXTENSION)
    return NULL;
  for (const char *p = dot + 1; *p; p++)
    if (!g_ascii_isalnum (*p))
      return NULL;
  return g_ascii_strdown (dot + 1, -1);
}

static const char *
extension_from_mime_type (const char *mime_type)
{
  g_autofree char *bare = NULL;
  char *end = NULL;

  if (mime_type == NULL)
    return NULL;
  /* "audio/ogg; codecs=opus" is an audio/ogg. */
  bare = g_ascii_strdown (mime_type, -1);
  end = strchr (bare, ';');
  if (end)
    *end = '\0';
  g_strstrip (bare);
  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    if (g_str_equal (bare, extensions[i].mime_type))
      return extensions[i].extension;
  return NULL;
}

static void
finish_waiters (BatonAttachmentCache *self,
                const char           *attachment_id,
                GdkTexture           *texture,
                const GError         *error)
{
  g_autoptr(GPtrArray) waiters = NULL;
  gpointer key = NULL;

  if (!g_hash_table_steal_extended (self->pending, attachment_id, &key, (gpointer *) &waiters))
    return;
  g_free (key);
  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = waiters->pdata[i];

      if (g_task_return_error_if_cancelled (task))
        continue;
      if (texture)
        g_task_return_pointer (task, g_object_ref (texture), g_object_unref);
      else
        g_task_return_error (task, g_error_copy (error));
    }
}

static void
decode_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  GdkTexture *texture = gdk_texture_new_from_bytes (task_data, &error);

  if (texture)
    g_task_return_pointer (task, texture, g_object_unref);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
texture_decoded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Load) load = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = g_task_propagate_pointer (G_TASK (result), &error);

  if (texture)
    g_hash_table_replace (load->self->textures, g_strdup (load->attachment_id),
                          g_object_ref (texture));
  else
    g_debug ("Attachment %s is not an image Baton can show: %s", load->attachment_id,
             error->message);
  finish_waiters (load->self, load->attachment_id, texture, error);
}

static void
texture_fetched_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Load) load = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = baton_client_fetch_attachment_finish (BATON_CLIENT (source), result,
                                                                  NULL, &error);
  g_autoptr(GTask) decode = NULL;

  if (bytes == NULL)
    {
      finish_waiters (load->self, load->attachment_id, NULL, error);
      return;
    }
  /* Decoding a photo takes long enough to be felt: off the main thread. */
  decode = g_task_new (load->self, load->self->cancellable, texture_decoded_cb, load);
  g_task_set_source_tag (decode, texture_fetched_cb);
  g_task_set_task_data (decode, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
  g_steal_pointer (&load);
  g_task_run_in_thread (decode, decode_in_thread);
}

static void
uri_launched_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (g_app_info_launch_default_for_uri_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/* Ends an open: a handler of "open-uri", or the desktop's default application. */
static void
open_uri (GTask *task)
{
  BatonAttachmentCache *self = g_task_get_source_object (task);
  Open *open = g_task_get_task_data (task);
  g_autoptr(GAppLaunchContext) context = NULL;
  GdkDisplay *display = gdk_display_get_default ();
  gboolean handled = FALSE;

  g_signal_emit (self, signals[OPEN_URI], 0, open->uri, &handled);
  if (handled)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (display)
    context = G_APP_LAUNCH_CONTEXT (gdk_display_get_app_launch_context (display));
  g_app_info_launch_default_for_uri_async (open->uri, context, g_task_get_cancellable (task),
                                           uri_launched_cb, g_object_ref (task));
}

static void
file_saved_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  open_uri (task);
}

static void
media_fetched_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Open *open = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = baton_client_fetch_attachment_finish (BATON_CLIENT (source), result,
                                                                  NULL, &error);
  g_autoptr(GFile) directory = NULL;
  GCancellable *cancellable = NULL;

  if (bytes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  directory = g_file_get_parent (open->file);
  if (!g_file_make_directory_with_parents (directory, NULL, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  cancellable = g_task_get_cancellable (task);
  g_file_replace_contents_bytes_async (open->file, bytes, NULL, FALSE,
                                       G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                       cancellable, file_saved_cb, g_steal_pointer (&task));
}

static void
baton_attachment_cache_dispose (GObject *object)
{
  BatonAttachmentCache *self = BATON_ATTACHMENT_CACHE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (baton_attachment_cache_parent_class)->dispose (object);
}

static void
baton_attachment_cache_finalize (GObject *object)
{
  BatonAttachmentCache *self = BATON_ATTACHMENT_CACHE (object);

  g_clear_pointer (&self->textures, g_hash_table_unref);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (baton_attachment_cache_parent_class)->finalize (object);
}

static void
baton_attachment_cache_class_init (BatonAttachmentCacheClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = baton_attachment_cache_dispose;
  object_class->finalize = baton_attachment_cache_finalize;

  signals[OPEN_URI] = g_signal_new ("open-uri", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    g_signal_accumulator_true_handled, NULL, NULL,
                                    G_TYPE_BOOLEAN, 1, G_TYPE_STRING);
}

static void
baton_attachment_cache_init (BatonAttachmentCache *self)
{
  self->cancellable = g_cancellable_new ();
  self->textures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_ptr_array_unref);
}

BatonAttachmentCache *
baton_attachment_cache_new (BatonClient *client)
{
  BatonAttachmentCache *self = NULL;

  g_return_val_if_fail (BATON_IS_CLIENT (client), NULL);

  self = g_object_new (BATON_TYPE_ATTACHMENT_CACHE, NULL);
  self->client = g_object_ref (client);
  return self;
}

BatonClient *
baton_attachment_cache_get_client (BatonAttachmentCache *self)
{
  g_return_val_if_fail (BATON_IS_ATTACHMENT_CACHE (self), NULL);

  return self->client;
}

GdkTexture *
baton_attachment_cache_lookup_texture (BatonAttachmentCache *self,
                                       const char           *attachment_id)
{
  g_return_val_if_fail (BATON_IS_ATTACHMENT_CACHE (self), NULL);
  g_return_val_if_fail (attachment_id != NULL, NULL);

  return g_hash_table_lookup (self->textures, attachment_id);
}

void
baton_attachment_cache_load_texture_async (BatonAttachmentCache *self,
                                           const char           *attachment_id,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  GdkTexture *texture = NULL;
  GPtrArray *waiters = NULL;
  Load *load = NULL;

  g_return_if_fail (BATON_IS_ATTACHMENT_CACHE (self));
  g_return_if_fail (attachment_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, baton_attachment_cache_load_texture_async);
  texture = g_hash_table_lookup (self->textures, attachment_id);
  if (texture)
    {
      g_task_return_pointer (task, g_object_ref (texture), g_object_unref);
      return;
    }
  if (self->client == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The cache was closed");
      return;
    }
  /* Rows come and go while the list scrolls: one fetch per attachment. */
  waiters = g_hash_table_lookup (self->pending, attachment_id);
  if (waiters)
    {
      g_ptr_array_add (waiters, g_steal_pointer (&task));
      return;
    }
  waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (waiters, g_steal_pointer (&task));
  g_hash_table_insert (self->pending, g_strdup (attachment_id), waiters);
  load = g_new0 (Load, 1);
  load->self = g_object_ref (self);
  load->attachment_id = g_strdup (attachment_id);
  baton_client_fetch_attachment_async (self->client, attachment_id, self->cancellable,
                                       texture_fetched_cb, load);
}

GdkTexture *
baton_attachment_cache_load_texture_finish (BatonAttachmentCache  *self,
                                            GAsyncResult          *result,
                                            GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == baton_attachment_cache_load_texture_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
baton_attachment_cache_open_async (BatonAttachmentCache *self,
                                   BatonAttachment      *attachment,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *kind = NULL;
  const char *attachment_id = NULL;
  g_autofree char *directory = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  Open *open = NULL;

  g_return_if_fail (BATON_IS_ATTACHMENT_CACHE (self));
  g_return_if_fail (attachment != NULL);

  task = g_task_new (self, cancellable ? cancellable : self->cancellable, callback, user_data);
  g_task_set_source_tag (task, baton_attachment_cache_open_async);
  open = g_new0 (Open, 1);
  g_task_set_task_data (task, open, (GDestroyNotify) open_free);
  kind = attachment->kind;
  attachment_id = attachment->id;

  if (g_strcmp0 (kind, "location") == 0)
    {
      open->uri = baton_attachment_cache_location_uri (attachment);
      if (open->uri == NULL)
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                   _("The location has no coordinates"));
          return;
        }
      open_uri (task);
      return;
    }
  if (attachment_id == NULL || attachment->url == NULL || self->client == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("This attachment cannot be opened"));
      return;
    }
  directory = baton_attachment_cache_get_directory ();
  name = baton_attachment_cache_file_name (attachment_id, attachment->filename,
                                           attachment->mime_type);
  path = g_build_filename (directory, name, NULL);
  open->file = g_file_new_for_path (path);
  open->uri = g_file_get_uri (open->file);
  /* Media never change: a file saved before is the same. */
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      open_uri (task);
      return;
    }
  cancellable = g_task_get_cancellable (task);
  baton_client_fetch_attachment_async (self->client, attachment_id, cancellable,
                                       media_fetched_cb, g_steal_pointer (&task));
}

gboolean
baton_attachment_cache_open_finish (BatonAttachmentCache  *self,
                                    GAsyncResult          *result,
                                    GError               **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == baton_attachment_cache_open_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

char *
baton_attachment_cache_file_name (const char *attachment_id,
                                  const char *filename,
                                  const char *mime_type)
{
  g_autofree char *hash = NULL;
  g_autofree char *extension = NULL;

  g_return_val_if_fail (attachment_id != NULL, NULL);

  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, attachment_id, -1);
  hash[32] = '\0';
  extension = extension_from_filename (filename);
  if (extension == NULL)
    extension = g_strdup (extension_from_mime_type (mime_type));
  return extension ? g_strdup_printf ("%s.%s", hash, extension) : g_strdup (hash);
}

char *
baton_attachment_cache_get_directory (void)
{
  return g_build_filename (g_get_user_cache_dir (), "baton", "attachments", NULL);
}

/* Six decimals (about 10 cm), a dot whatever the locale, no trailing zeros. */
static void
format_coordinate (char   *buffer,
                   gsize   size,
                   double  value)
{
  gsize length = 0;

  g_ascii_formatd (buffer, (int) size, "%.6f", value);
  length = strlen (buffer);
  while (length > 0 && buffer[length - 1] == '0')
    buffer[--length] = '\0';
  if (length > 0 && buffer[length - 1] == '.')
    buffer[--length] = '\0';
}

char *
baton_attachment_cache_location_uri (BatonAttachment *attachment)
{
  const char *url = attachment->place_url;
  double latitude = attachment->latitude;
  double longitude = attachment->longitude;
  char latitude_text[G_ASCII_DTOSTR_BUF_SIZE];
  char longitude_text[G_ASCII_DTOSTR_BUF_SIZE];

  if (url && (g_ascii_strncasecmp (url, "https://", 8) == 0
              || g_ascii_strncasecmp (url, "http://", 7) == 0)
      && g_uri_is_valid (url, G_URI_FLAGS_NONE, NULL))
    return g_strdup (url);
  if (!attachment->has_position || fabs (latitude) > 90 || fabs (longitude) > 180)
    return NULL;
  format_coordinate (latitude_text, sizeof latitude_text, latitude);
  format_coordinate (longitude_text, sizeof longitude_text, longitude);
  return g_strdup_printf ("geo:%s,%s", latitude_text, longitude_text);
}
