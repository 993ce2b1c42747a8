/* baton-notifier.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-notifier"

#include "config.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>
#include <libnotify/notify.h>

#include "baton-notifier.h"
#include "baton-window.h"

/* Bursts for one conversation (a customer sending three lines) become one notification. */
#define COALESCE_MS 300

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
  char *visible_conversation_id;

  /* state */
  gulong event_handler;
  gboolean visible_conversation_known;
};

/* One conversation's notification, and the event waiting to replace it. */
struct _Entry
{
  BatonNotifier *notifier;
  char *conversation_id;
  NotifyNotification *notification;
  gboolean shown;
  gboolean claiming;
  guint coalesce_id;
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

static void
entry_free (Entry *entry)
{
  g_clear_handle_id (&entry->coalesce_id, g_source_remove);
  if (entry->notification)
    {
      g_signal_handlers_disconnect_by_data (entry->notification, entry);
      notify_notification_clear_actions (entry->notification);
      /* We may be inside one of the notification's own signal handlers (an action): let it
       * return before the object goes. */
      g_idle_add_once ((GSourceOnceFunc) g_object_unref, entry->notification);
    }
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
close_entry (Entry *entry)
{
  g_autoptr(GError) error = NULL;

  if (entry->notification && entry->shown
      && !notify_notification_close (entry->notification, &error))
    g_debug ("Cannot close a notification: %s", error->message);
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

  for (GList *l = entries; l; l = l->next)
    withdraw_entry (self, l->data);
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
  /* Someone was faster (409: "<names> already took it"), or the call failed: say so, with
   * nothing left to click. */
  notify_notification_clear_actions (entry->notification);
  set_common_hints (self, entry->notification, FALSE);
  notify_notification_update (entry->notification, entry->title ? entry->title : _("Baton"),
                              error->message, NULL);
  show_notification (entry->notification);
  entry->shown = TRUE;
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
  if (entry->coalesce_id == 0 && !entry->claiming)
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
  /* An unassigned conversation is something to take, not to read. */
  gboolean can_open = !g_str_equal (kind, "unassigned");

  notify_notification_clear_actions (entry->notification);
  if (can_claim)
    add_action (entry, "assign-to-me", _("Assign to me"));
  /* The verb; the inbox's status filter has its own "Open" (an adjective). */
  if (can_open)
    add_action (entry, "open", C_("notification action", "Open"));
  /* A click on the notification itself. */
  add_action (entry, "default", C_("notification action", "Open"));
}

static void
coalesced_cb (gpointer user_data)
{
  Entry *entry = user_data;
  BatonNotifier *self = entry->notifier;
  const char *title = entry->title && *entry->title ? entry->title : _("Baton");

  entry->coalesce_id = 0;
  if (is_on_screen (self, entry->conversation_id))
    {
      baton_notifier_withdraw (self, entry->conversation_id);
      return;
    }
  if (entry->notification == NULL)
    {
      entry->notification = notify_notification_new (title, entry->body, NULL);
      g_signal_connect (entry->notification, "closed", G_CALLBACK (notification_closed_cb),
                        entry);
    }
  else
    {
      notify_notification_update (entry->notification, title, entry->body, NULL);
    }
  set_common_hints (self, entry->notification,
                    baton_settings_get_notification_sound (self->settings));
  add_actions (entry);
  show_notification (entry->notification);
  entry->shown = TRUE;
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
  entry->title = g_strdup (notification->title);
  g_free (entry->body);
  entry->body = g_strdup (notification->body);
  if (entry->coalesce_id == 0)
    entry->coalesce_id = g_timeout_add_once (COALESCE_MS, coalesced_cb, entry);
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
  if (client)
    self->event_handler = g_signal_connect_object (client, "event",
                                                   G_CALLBACK (client_event_cb), self,
                                                   G_CONNECT_SWAPPED);
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
