/* baton-notifier.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-notifier"

#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>
#include <libnotify/notify.h>

#include "baton-describe.h"
#include "baton-notifier.h"
#include "baton-window.h"

/* Events are shown once none came for COALESCE_MS, at most BURST_MS after the first: a
 * customer sending three lines makes one notification, and a burst (a backlog at sign-in)
 * of more than MAX_SEPARATE of one kind makes one summary. */
#define COALESCE_MS 300
#define BURST_MS 1000
#define MAX_SEPARATE 3

typedef struct _Entry Entry;

struct _BatonNotifier
{
  GObject parent_instance;

  /* borrowed: the application owns us */
  GApplication *app;

  /* owned */
  BatonSettings *settings;
  BatonClient *client;
  GCancellable *cancellable;
  /* conversation id → Entry */
  GHashTable *entries;
  /* kind → the NotifyNotification summing up its last burst */
  GHashTable *summaries;
  /* the ids of the conversations with an event to show, in the order they came */
  GPtrArray *pending;
  char *visible_conversation_id;

  /* state */
  gulong event_handler;
  gboolean visible_conversation_known;
  guint burst_id;
  gint64 burst_started;
};

/* One conversation's notification, and the event waiting to replace it. */
struct _Entry
{
  BatonNotifier *notifier;
  char *conversation_id;
  NotifyNotification *notification;
  gboolean shown;
  gboolean claiming;
  /* a newer event waits in the burst to be shown */
  gboolean pending;
  char *kind;
  char *title;
  char *body;
};

/* An "Assign to me" in flight. */
typedef struct {
  BatonNotifier *notifier;
  char *conversation_id;
  NotifyNotification *notification;
} Claim;

G_DEFINE_FINAL_TYPE (BatonNotifier, baton_notifier, G_TYPE_OBJECT)

/* We may be inside one of the notification's own signal handlers (an action): let it return
 * before the object goes. */
static void
release_notification (NotifyNotification *notification,
                      gpointer            handler_data)
{
  g_signal_handlers_disconnect_by_data (notification, handler_data);
  notify_notification_clear_actions (notification);
  g_idle_add_once ((GSourceOnceFunc) g_object_unref, notification);
}

static void
release_summary (gpointer data)
{
  NotifyNotification *summary = data;

  release_notification (summary, g_object_get_data (G_OBJECT (summary), "baton-notifier"));
}

static void
entry_free (Entry *entry)
{
  if (entry->notification)
    release_notification (entry->notification, entry);
  g_free (entry->conversation_id);
  g_free (entry->kind);
  g_free (entry->title);
  g_free (entry->body);
  g_free (entry);
}

static void
claim_free (Claim *claim)
{
  g_object_unref (claim->notifier);
  g_free (claim->conversation_id);
  g_object_unref (claim->notification);
  g_free (claim);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Claim, claim_free)

static void
close_notification (NotifyNotification *notification)
{
  g_autoptr(GError) error = NULL;

  if (!notify_notification_close (notification, &error))
    g_debug ("Cannot close a notification: %s", error->message);
}

static void
close_entry (Entry *entry)
{
  if (entry->notification && entry->shown)
    close_notification (entry->notification);
  entry->shown = FALSE;
}

/* Out of the table first: closing may call back into notification_closed_cb. */
static void
withdraw_entry (BatonNotifier *self,
                Entry         *entry)
{
  g_hash_table_steal (self->entries, entry->conversation_id);
  close_entry (entry);
  entry_free (entry);
}

static void
withdraw_all (BatonNotifier *self)
{
  g_autoptr(GList) entries = g_hash_table_get_values (self->entries);
  g_autoptr(GList) summaries = g_hash_table_get_values (self->summaries);

  g_clear_handle_id (&self->burst_id, g_source_remove);
  g_ptr_array_set_size (self->pending, 0);
  for (GList *l = entries; l; l = l->next)
    withdraw_entry (self, l->data);
  for (GList *l = summaries; l; l = l->next)
    close_notification (l->data);
  g_hash_table_remove_all (self->summaries);
}

/* Is the conversation in front of the agent right now? */
static gboolean
is_on_screen (BatonNotifier *self,
              const char    *conversation_id)
{
  if (self->app == NULL || !GTK_IS_APPLICATION (self->app))
    return FALSE;
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self->app)); l; l = l->next)
    {
      const char *visible = NULL;

      if (!BATON_IS_WINDOW (l->data) || !gtk_window_is_active (GTK_WINDOW (l->data)))
        continue;
      /* What the window told us wins; until it does, ask it what it shows. */
      visible = self->visible_conversation_known
                ? self->visible_conversation_id
                : baton_window_get_open_conversation_id (BATON_WINDOW (l->data));
      if (g_strcmp0 (visible, conversation_id) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
set_common_hints (BatonNotifier      *self,
                  NotifyNotification *notification,
                  gboolean            sound)
{
  notify_notification_clear_hints (notification);
  notify_notification_set_category (notification, "im.received");
  /* The shell shows the app's name and icon from its .desktop file. */
  notify_notification_set_hint_string (notification, "desktop-entry", APP_ID);
  if (sound)
    notify_notification_set_hint_string (notification, "sound-name", "message-new-instant");
}

static void
show_notification (NotifyNotification *notification)
{
  g_autoptr(GError) error = NULL;

  /* No notification server is not worth a warning: the inbox shows everything anyway. */
  if (!notify_notification_show (notification, &error))
    g_debug ("Cannot show a notification: %s", error->message);
}

/* Says how an "Assign to me" went, with nothing left to click. */
static void
tell_claim_failed (BatonNotifier *self,
                   Entry         *entry,
                   const char    *message)
{
  notify_notification_clear_actions (entry->notification);
  set_common_hints (self, entry->notification, FALSE);
  notify_notification_update (entry->notification, entry->title ? entry->title : _("Baton"),
                              message, NULL);
  show_notification (entry->notification);
  entry->shown = TRUE;
}

static void
claim_lost_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Claim) claim = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonConversation) conversation = baton_client_get_conversation_finish (
    BATON_CLIENT (source), result, &error);
  BatonNotifier *self = claim->notifier;
  g_autofree char *taken = NULL;
  Entry *entry = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  entry = g_hash_table_lookup (self->entries, claim->conversation_id);
  if (entry == NULL || entry->notification != claim->notification)
    return;
  entry->claiming = FALSE;
  if (conversation)
    taken = baton_describe_taken (baton_client_get_directory (self->client), conversation);
  tell_claim_failed (self, entry, taken ? taken
                                        : _("Someone changed this conversation at the same time."));
}

static void
claim_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Claim) claim = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonConversation) conversation = baton_client_act_finish (BATON_CLIENT (source),
                                                                       result, &error);
  BatonNotifier *self = claim->notifier;
  Entry *entry = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  entry = g_hash_table_lookup (self->entries, claim->conversation_id);
  /* Withdrawn meanwhile (opened, signed out): nothing left to say. */
  if (entry == NULL || entry->notification != claim->notification)
    return;
  entry->claiming = FALSE;
  if (conversation)
    {
      baton_notifier_withdraw (self, claim->conversation_id);
      return;
    }
  /* Someone was faster: say who, once the conversation as it is now has come. */
  if (g_error_matches (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_CONFLICT))
    {
      entry->claiming = TRUE;
      baton_client_get_conversation_async (self->client, entry->conversation_id,
                                           self->cancellable, claim_lost_cb,
                                           g_steal_pointer (&claim));
      return;
    }
  tell_claim_failed (self, entry, baton_describe_error (error));
}

static void
claim (BatonNotifier *self,
       Entry         *entry)
{
  Claim *data = NULL;

  if (self->client == NULL)
    return;
  entry->claiming = TRUE;
  data = g_new0 (Claim, 1);
  data->notifier = g_object_ref (self);
  data->conversation_id = g_strdup (entry->conversation_id);
  data->notification = g_object_ref (entry->notification);
  baton_client_act_async (self->client, entry->conversation_id, BATON_CONVERSATION_ACTION_CLAIM,
                          self->cancellable, claim_done_cb, data);
}

static void
open_conversation (BatonNotifier *self,
                   const char    *conversation_id)
{
  g_autofree char *id = g_strdup (conversation_id);

  baton_notifier_withdraw (self, id);
  if (self->app && g_action_group_has_action (G_ACTION_GROUP (self->app), "open-conversation"))
    g_action_group_activate_action (G_ACTION_GROUP (self->app), "open-conversation",
                                    g_variant_new_string (id));
}

static void
action_cb (NotifyNotification *notification,
           char               *action,
           gpointer            user_data)
{
  Entry *entry = user_data;
  BatonNotifier *self = entry->notifier;

  if (g_str_equal (action, "assign-to-me"))
    claim (self, entry);
  else
    open_conversation (self, entry->conversation_id);
}

/* The notification server closed it (dismissed, expired, or our own close). */
static void
notification_closed_cb (NotifyNotification *notification,
                        Entry              *entry)
{
  entry->shown = FALSE;
  /* Keep the entry when a newer event is about to show it again, or when an "Assign to me"
   * (after which servers close the notification) still has to say how it went. */
  if (!entry->pending && !entry->claiming)
    g_hash_table_remove (entry->notifier->entries, entry->conversation_id);
}

static void
add_action (Entry      *entry,
            const char *action,
            const char *label)
{
  notify_notification_add_action (entry->notification, action, label, action_cb, entry, NULL);
}

static void
add_actions (Entry *entry)
{
  const char *kind = entry->kind ? entry->kind : "";
  gboolean can_claim = g_str_equal (kind, "new_conversation") || g_str_equal (kind, "unassigned")
                       || g_str_equal (kind, "reopened");

  notify_notification_clear_actions (entry->notification);
  if (can_claim)
    add_action (entry, "assign-to-me", _("Assign to me"));
  /* Opening is a click on the notification itself, not a button beside "Assign to me". The
   * verb; the inbox's status filter has its own "Open" (an adjective). */
  add_action (entry, "default", C_("notification action", "Open"));
}

static void
show_entry (BatonNotifier *self,
            Entry         *entry)
{
  const char *title = entry->title && *entry->title ? entry->title : _("Baton");

  if (entry->notification == NULL)
    {
      entry->notification = notify_notification_new (title, entry->body, APP_ID);
      g_signal_connect (entry->notification, "closed", G_CALLBACK (notification_closed_cb),
                        entry);
    }
  else
    {
      notify_notification_update (entry->notification, title, entry->body, APP_ID);
    }
  set_common_hints (self, entry->notification,
                    baton_settings_get_notification_sound (self->settings));
  add_actions (entry);
  show_notification (entry->notification);
  entry->shown = TRUE;
}

/* The summary's text for a burst of n notifications of one kind. */
static char *
summary_text (const char *kind,
              guint       n)
{
  const char *format = NULL;

  if (g_str_equal (kind, "assigned"))
    format = g_dngettext (GETTEXT_PACKAGE, "%u conversation assigned to you",
                          "%u conversations assigned to you", n);
  else if (g_str_equal (kind, "new_conversation"))
    format = g_dngettext (GETTEXT_PACKAGE, "%u new conversation", "%u new conversations", n);
  else if (g_str_equal (kind, "unassigned"))
    format = g_dngettext (GETTEXT_PACKAGE, "%u conversation unassigned",
                          "%u conversations unassigned", n);
  else if (g_str_equal (kind, "reassigned_away"))
    format = g_dngettext (GETTEXT_PACKAGE, "%u conversation handed to someone else",
                          "%u conversations handed to someone else", n);
  else if (g_str_equal (kind, "new_message"))
    format = g_dngettext (GETTEXT_PACKAGE, "New messages in %u conversation",
                          "New messages in %u conversations", n);
  else if (g_str_equal (kind, "reopened"))
    format = g_dngettext (GETTEXT_PACKAGE, "%u conversation reopened",
                          "%u conversations reopened", n);
  else
    format = g_dngettext (GETTEXT_PACKAGE, "%u conversation to look at",
                          "%u conversations to look at", n);
  return g_strdup_printf (format, n);
}

static void
summary_action_cb (NotifyNotification *summary,
                   char               *action,
                   gpointer            user_data)
{
  BatonNotifier *self = user_data;

  /* The inbox, where they all are. */
  if (self->app)
    g_application_activate (self->app);
}

static void
summary_closed_cb (NotifyNotification *summary,
                   BatonNotifier      *self)
{
  g_hash_table_remove (self->summaries, g_object_get_data (G_OBJECT (summary), "baton-kind"));
}

/* One notification for the burst's n conversations of that kind, replacing the last burst's. */
static void
show_summary (BatonNotifier *self,
              const char    *kind,
              guint          n)
{
  NotifyNotification *summary = g_hash_table_lookup (self->summaries, kind);
  g_autofree char *text = summary_text (kind, n);

  if (summary == NULL)
    {
      summary = notify_notification_new (text, NULL, APP_ID);
      g_object_set_data_full (G_OBJECT (summary), "baton-kind", g_strdup (kind), g_free);
      g_object_set_data (G_OBJECT (summary), "baton-notifier", self);
      g_signal_connect (summary, "closed", G_CALLBACK (summary_closed_cb), self);
      g_hash_table_insert (self->summaries, g_strdup (kind), summary);
    }
  else
    {
      notify_notification_update (summary, text, NULL, APP_ID);
    }
  set_common_hints (self, summary, baton_settings_get_notification_sound (self->settings));
  notify_notification_clear_actions (summary);
  notify_notification_add_action (summary, "default", C_("notification action", "Open"),
                                  summary_action_cb, self, NULL);
  show_notification (summary);
}

/* The pending entries (not on screen) by kind, in the order they came. */
static GHashTable *
take_pending (BatonNotifier *self)
{
  GHashTable *by_kind = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) ids = g_steal_pointer (&self->pending);

  self->pending = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < ids->len; i++)
    {
      Entry *entry = g_hash_table_lookup (self->entries, ids->pdata[i]);
      GPtrArray *entries = NULL;

      /* Withdrawn meanwhile, or read right now. */
      if (entry == NULL || !entry->pending)
        continue;
      entry->pending = FALSE;
      if (is_on_screen (self, entry->conversation_id))
        {
          withdraw_entry (self, entry);
          continue;
        }
      entries = g_hash_table_lookup (by_kind, entry->kind);
      if (entries == NULL)
        {
          entries = g_ptr_array_new ();
          g_hash_table_insert (by_kind, g_strdup (entry->kind), entries);
        }
      g_ptr_array_add (entries, entry);
    }
  return by_kind;
}

static void
burst_ended_cb (gpointer user_data)
{
  BatonNotifier *self = user_data;
  g_autoptr(GHashTable) by_kind = NULL;
  GHashTableIter iter;
  gpointer kind, value;

  self->burst_id = 0;
  by_kind = take_pending (self);
  g_hash_table_iter_init (&iter, by_kind);
  while (g_hash_table_iter_next (&iter, &kind, &value))
    {
      GPtrArray *entries = value;

      if (entries->len <= MAX_SEPARATE)
        {
          for (guint i = 0; i < entries->len; i++)
            show_entry (self, entries->pdata[i]);
          continue;
        }
      /* Summed up: their own notifications, if any, go. */
      for (guint i = 0; i < entries->len; i++)
        withdraw_entry (self, entries->pdata[i]);
      show_summary (self, kind, entries->len);
    }
}

/* Waits COALESCE_MS more for the burst to go on, unless it began BURST_MS ago. */
static void
extend_burst (BatonNotifier *self)
{
  gint64 now = g_get_monotonic_time ();

  if (self->burst_id == 0)
    self->burst_started = now;
  else if (now - self->burst_started + COALESCE_MS * 1000 > BURST_MS * 1000)
    return;
  g_clear_handle_id (&self->burst_id, g_source_remove);
  self->burst_id = g_timeout_add_once (COALESCE_MS, burst_ended_cb, self);
}

static void
client_event_cb (BatonNotifier *self,
                 BatonEvent    *event)
{
  g_autoptr(BatonNotification) notification = NULL;
  const char *conversation_id = NULL;
  Entry *entry = NULL;

  notification = baton_event_dup_notification (event);
  if (notification == NULL
      || !baton_settings_get_notify_kind (self->settings, notification->kind))
    return;
  conversation_id = notification->conversation_id;

  entry = g_hash_table_lookup (self->entries, conversation_id);
  if (entry == NULL)
    {
      entry = g_new0 (Entry, 1);
      entry->notifier = self;
      entry->conversation_id = g_strdup (conversation_id);
      g_hash_table_insert (self->entries, entry->conversation_id, entry);
    }
  /* The latest event of a burst is the one shown. */
  g_free (entry->kind);
  entry->kind = g_strdup (notification->kind);
  g_free (entry->title);
  g_free (entry->body);
  baton_describe_notification (notification, &entry->title, &entry->body);
  if (!entry->pending)
    g_ptr_array_add (self->pending, g_strdup (conversation_id));
  entry->pending = TRUE;
  extend_burst (self);
}

static void
baton_notifier_dispose (GObject *object)
{
  BatonNotifier *self = BATON_NOTIFIER (object);

  g_cancellable_cancel (self->cancellable);
  if (self->client)
    g_clear_signal_handler (&self->event_handler, self->client);
  if (self->entries)
    withdraw_all (self);
  g_clear_object (&self->client);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_weak_pointer (&self->app);

  G_OBJECT_CLASS (baton_notifier_parent_class)->dispose (object);
}

static void
baton_notifier_finalize (GObject *object)
{
  BatonNotifier *self = BATON_NOTIFIER (object);

  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_pointer (&self->summaries, g_hash_table_unref);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_pointer (&self->visible_conversation_id, g_free);

  G_OBJECT_CLASS (baton_notifier_parent_class)->finalize (object);
}

static void
baton_notifier_class_init (BatonNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = baton_notifier_dispose;
  object_class->finalize = baton_notifier_finalize;
}

static void
baton_notifier_init (BatonNotifier *self)
{
  self->cancellable = g_cancellable_new ();
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) entry_free);
  self->summaries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, release_summary);
  self->pending = g_ptr_array_new_with_free_func (g_free);
}

BatonNotifier *
baton_notifier_new (GApplication  *app,
                    BatonSettings *settings)
{
  BatonNotifier *self = NULL;

  g_return_val_if_fail (G_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (BATON_IS_SETTINGS (settings), NULL);

  self = g_object_new (BATON_TYPE_NOTIFIER, NULL);
  g_set_weak_pointer (&self->app, app);
  self->settings = g_object_ref (settings);
  if (!notify_is_initted ())
    {
      const char *app_id = g_application_get_application_id (app);

      notify_init (app_id ? app_id : APP_ID);
    }
  return self;
}

void
baton_notifier_set_client (BatonNotifier *self,
                           BatonClient   *client)
{
  g_return_if_fail (BATON_IS_NOTIFIER (self));
  g_return_if_fail (client == NULL || BATON_IS_CLIENT (client));

  if (self->client == client)
    return;
  /* Another account's notifications (or none): what the last one showed is stale. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (self->client)
    g_clear_signal_handler (&self->event_handler, self->client);
  withdraw_all (self);
  g_set_object (&self->client, client);
  if (client == NULL)
    return;
  self->event_handler = g_signal_connect_object (client, "event", G_CALLBACK (client_event_cb),
                                                 self, G_CONNECT_SWAPPED);
  /* Loaded from now on: a lost "Assign to me" names who was faster. */
  baton_client_get_directory (client);
}

void
baton_notifier_withdraw (BatonNotifier *self,
                         const char    *conversation_id)
{
  Entry *entry = NULL;

  g_return_if_fail (BATON_IS_NOTIFIER (self));

  if (conversation_id == NULL)
    return;
  entry = g_hash_table_lookup (self->entries, conversation_id);
  if (entry)
    withdraw_entry (self, entry);
}

void
baton_notifier_set_visible_conversation (BatonNotifier *self,
                                         const char    *conversation_id)
{
  g_return_if_fail (BATON_IS_NOTIFIER (self));

  self->visible_conversation_known = TRUE;
  g_free (self->visible_conversation_id);
  self->visible_conversation_id = g_strdup (conversation_id);
  baton_notifier_withdraw (self, conversation_id);
}
