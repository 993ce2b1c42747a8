/* baton-workspace.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-workspace"

#include "config.h"

#include <unistd.h>

#include "baton-auth.h"
#include "baton-error.h"
#include "baton-id.h"
#include "baton-json.h"
#include "baton-store-agents.h"
#include "baton-store-contacts.h"
#include "baton-store-conversations.h"
#include "baton-store-counts.h"
#include "baton-store-events.h"
#include "baton-store-logins.h"
#include "baton-store-messages.h"
#include "baton-store-search.h"
#include "baton-store-settings.h"
#include "baton-store-snapshot.h"
#include "baton-whatsapp-channel.h"
#include "baton-workspace-private.h"

enum {
  EVENT,
  EVENTS_PUBLISHED,
  PRESENCE_CHANGED,
  OUTBOX_QUEUED,
  CHANNEL_SAVED,
  SESSION_REVOKED,
  WRITTEN_ELSEWHERE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BatonWorkspace, baton_workspace, G_TYPE_OBJECT)

/* The log keeps at least 7 days and at least the last million events. */
#define EVENT_RETENTION_MS ((gint64) 7 * 24 * 3600 * 1000)
#define EVENT_RETENTION_COUNT 1000000

typedef struct {
  BatonWorkspace *workspace;
  char *agent_id;
  int streams;
  guint grace_timer;
} Presence;

static void
presence_free (Presence *presence)
{
  if (presence->grace_timer)
    baton_timers_remove (presence->workspace->timers, presence->grace_timer);
  g_free (presence->agent_id);
  g_free (presence);
}

static void
baton_workspace_dispose (GObject *object)
{
  BatonWorkspace *self = BATON_WORKSPACE (object);

  if (self->store)
    baton_workspace_flush (self);
  g_clear_handle_id (&self->tail_timer, g_source_remove);
  baton_workspace_cluster_leave (self);
  if (self->shared)
    baton_store_watch_events (self->store, NULL, NULL);
  self->shared = FALSE;
  g_clear_pointer (&self->presence, g_hash_table_unref);
  g_clear_object (&self->timers);
  g_clear_object (&self->store);
  g_clear_object (&self->clock);

  G_OBJECT_CLASS (baton_workspace_parent_class)->dispose (object);
}

static void
baton_workspace_finalize (GObject *object)
{
  BatonWorkspace *self = BATON_WORKSPACE (object);

  g_clear_pointer (&self->login_failures, g_hash_table_unref);
  g_clear_pointer (&self->flow_versions, g_hash_table_unref);
  g_clear_pointer (&self->directory, baton_workspace_directory_free);
  g_clear_pointer (&self->pending_events, g_ptr_array_unref);
  g_clear_pointer (&self->unflushed_events, g_ptr_array_unref);
  g_clear_pointer (&self->unflushed_texts, g_ptr_array_unref);
  g_clear_pointer (&self->revoked_tokens, g_ptr_array_unref);
  g_clear_pointer (&self->node_id, g_free);

  G_OBJECT_CLASS (baton_workspace_parent_class)->finalize (object);
}

static void
baton_workspace_class_init (BatonWorkspaceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = baton_workspace_dispose;
  object_class->finalize = baton_workspace_finalize;

  /* A committed event, in sequence order. */
  signals[EVENT] = g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 1, BATON_TYPE_EVENT);
  /* The events of one commit, or those other nodes committed that were read at once, have
   * all been emitted: a reader may hand them on together. */
  signals[EVENTS_PUBLISHED] = g_signal_new ("events-published", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 0);
  /* An agent's effective online state changed (the engine drains queues on it). */
  signals[PRESENCE_CHANGED] = g_signal_new ("presence-changed", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 1, G_TYPE_STRING);
  /* A committed change queued something for a channel to send. */
  signals[OUTBOX_QUEUED] = g_signal_new ("outbox-queued", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 0);
  /* A manager created or edited a channel (its credentials may be new). */
  signals[CHANNEL_SAVED] = g_signal_new ("channel-saved", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_STRING);
  /* A session ended (sign-out, revocation, new password, idle): its token's SHA-256. */
  signals[SESSION_REVOKED] = g_signal_new ("session-revoked", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, G_TYPE_STRING);
  /* Another node committed events or stored work (a webhook), after its events were
   * published here: a hint, which may come late or twice. */
  signals[WRITTEN_ELSEWHERE] = g_signal_new ("written-elsewhere", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                             G_TYPE_NONE, 0);
}

static void
baton_workspace_init (BatonWorkspace *self)
{
  self->presence = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify) presence_free);
  self->login_failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                (GDestroyNotify) g_array_unref);
  self->pending_events = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_event_unref);
  self->unflushed_events = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_event_unref);
  self->unflushed_texts = g_ptr_array_new ();
  self->directory = baton_workspace_directory_new ();
  self->revoked_tokens = g_ptr_array_new_with_free_func (g_free);
  self->session_idle_ms = BATON_SESSION_IDLE_DEFAULT_MS;
  self->node_id = g_strdup_printf ("%s-%d", g_get_host_name (), (int) getpid ());
  self->revoked_seen = -1;
  self->verify_mirrors = g_getenv ("BATON_VERIFY_MIRRORS") != NULL;
}

/* Other nodes */

/* What an event another node wrote means here, besides its place in the streams. */
static void
apply_written_elsewhere (BatonWorkspace *self,
                         BatonEvent     *event)
{
  baton_workspace_directory_forget (self, baton_event_get_kind (event));
  baton_workspace_cluster_event (self, baton_event_get_kind (event));
  if (baton_event_get_kind (event) == BATON_EVENT_CHANNEL_UPDATED
      && baton_event_get_object_id (event))
    g_signal_emit (self, signals[CHANNEL_SAVED], 0, baton_event_get_object_id (event));
}

/* Events other nodes committed, after the last one published here: published in order,
 * as if written here. Every node reads every event this way or writes it itself, so each
 * publishes one order, gap-free (SCALE-OUT.md). */
static void
publish_written_elsewhere (BatonWorkspace *self,
                          GPtrArray      *events)
{
  for (guint i = 0; i < events->len; i++)
    {
      BatonEvent *event = events->pdata[i];

      self->published_seq = self->last_seq = event->seq;
      apply_written_elsewhere (self, event);
      g_signal_emit (self, signals[EVENT], 0, event);
    }
  if (events->len > 0)
    g_signal_emit (self, signals[EVENTS_PUBLISHED], 0);
}

#define READ_ELSEWHERE_LIMIT 512

/* Reads and publishes every event other nodes committed after the last one published. */
static gboolean
read_written_elsewhere (BatonWorkspace  *self,
                        GError         **error)
{
  for (;;)
    {
      g_autoptr(GPtrArray) events = baton_store_events_after (self->store, self->published_seq,
                                                              G_MAXINT64, READ_ELSEWHERE_LIMIT,
                                                              error);

      if (events == NULL)
        return FALSE;
      publish_written_elsewhere (self, events);
      if (events->len < READ_ELSEWHERE_LIMIT)
        return TRUE;
    }
}

/* Outside a transaction: inside one, this node holds the writer's place, and its begin read
 * what came before. */
static void
tail_events (BatonWorkspace *self)
{
  g_autoptr(GError) error = NULL;

  if (baton_store_in_transaction (self->store))
    return;
  if (read_written_elsewhere (self, &error))
    {
      self->tail_failing = FALSE;
      return;
    }
  if (!self->tail_failing)
    g_warning ("Cannot read the events of other nodes: %s", error->message);
  self->tail_failing = TRUE;
}

static void
events_written_cb (gpointer user_data)
{
  BatonWorkspace *self = user_data;

  tail_events (self);
  g_signal_emit (self, signals[WRITTEN_ELSEWHERE], 0);
}

/* A notification lost (its connection was) is made up for within a second. */
static gboolean
tail_timer_cb (gpointer user_data)
{
  tail_events (user_data);
  return G_SOURCE_CONTINUE;
}

static void
prune_timer_cb (gpointer user_data)
{
  BatonWorkspace *self = user_data;

  self->prune_timer = 0;
  baton_workspace_prune_events (self);
}

BatonWorkspace *
baton_workspace_new (BatonStore *store,
                     BatonClock *clock)
{
  BatonWorkspace *self = g_object_new (BATON_TYPE_WORKSPACE, NULL);

  self->store = g_object_ref (store);
  self->clock = g_object_ref (clock);
  self->timers = baton_timers_new (clock);
  self->last_seq = MAX (0, baton_store_events_last_seq (store, NULL));
  self->published_seq = self->last_seq;
  self->shared = baton_store_watch_events (store, events_written_cb, self);
  if (self->shared)
    self->tail_timer = g_timeout_add_seconds (1, tail_timer_cb, self);
  return self;
}

BatonStore *
baton_workspace_get_store (BatonWorkspace *self)
{
  return self->store;
}

BatonClock *
baton_workspace_get_clock (BatonWorkspace *self)
{
  return self->clock;
}

void
baton_workspace_set_clock (BatonWorkspace *self,
                           BatonClock     *clock)
{
  g_set_object (&self->clock, clock);
}

BatonTimers *
baton_workspace_get_timers (BatonWorkspace *self)
{
  return self->timers;
}

gint64
baton_workspace_now (BatonWorkspace *self)
{
  return baton_clock_now_ms (self->clock);
}

gboolean
baton_workspace_exists (BatonWorkspace *self)
{
  return baton_store_agents_count (self->store, NULL, NULL) > 0;
}

/* whether the store answers (/healthz) */
gboolean
baton_workspace_healthy (BatonWorkspace *self)
{
  return baton_store_ping (self->store, NULL);
}

const char *
baton_workspace_get_node_id (BatonWorkspace *self)
{
  return self->node_id;
}

void
baton_workspace_set_node_id (BatonWorkspace *self,
                             const char     *node_id)
{
  g_return_if_fail (node_id != NULL && *node_id != '\0');

  g_free (self->node_id);
  self->node_id = g_strdup (node_id);
}

gboolean
baton_workspace_is_shared (BatonWorkspace *self)
{
  return self->shared;
}

const char *
baton_workspace_get_backend (BatonWorkspace *self)
{
  return baton_store_backend (self->store);
}

char *
baton_workspace_email_key (const char *email)
{
  g_autofree char *stripped = g_strstrip (g_strdup (email));

  return g_utf8_casefold (stripped, -1);
}

/* what a new workspace starts with */
static const char *default_settings[][2] = {
  { "first_responder_becomes_owner", "false" },
  { "first_reply_takes_assignment", "true" },
  { "unassign_on_resolve", "true" },
  { "timezone", "Etc/UTC" },
};

static gpointer
initialize_change (BatonWorkspace  *self,
                   gpointer         data,
                   GError         **error)
{
  const BatonAgentRow *admin = data;

  /* the first agent has no event: nobody can listen yet */
  baton_workspace_directory_clear (self->directory);
  if (!baton_store_agents_insert (self->store, admin, error))
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (default_settings); i++)
    if (!baton_store_settings_set_default (self->store, default_settings[i][0],
                                           default_settings[i][1], error))
      return NULL;
  return self;
}

gboolean
baton_workspace_initialize (BatonWorkspace  *self,
                            const char      *admin_name,
                            const char      *admin_email,
                            const char      *admin_password,
                            GError         **error)
{
  g_autofree char *hash = baton_auth_hash_password (admin_password);
  g_autofree char *id = NULL;
  g_autofree char *key = baton_workspace_email_key (admin_email);
  gint64 now = baton_workspace_now (self);
  BatonAgentRow admin = {
    .name = admin_name, .email = admin_email, .email_key = key, .role = "manager",
    .password_hash = hash, .availability = "online", .created_at = now, .updated_at = now,
  };

  if (hash == NULL)
    {
      g_set_error_literal (error, BATON_ERROR, BATON_ERROR_INTERNAL,
                           "Cannot hash the password (out of memory?)");
      return FALSE;
    }
  if (baton_workspace_exists (self))
    {
      g_set_error_literal (error, BATON_ERROR, BATON_ERROR_CONFLICT,
                           "This data directory already holds a workspace");
      return FALSE;
    }
  id = baton_id_new ("agt", now);
  admin.id = id;
  return baton_workspace_apply (self, initialize_change, &admin, NULL, error);
}

/* Transactions */

gboolean
baton_workspace_begin (BatonWorkspace  *self,
                       GError         **error)
{
  g_autoptr(GPtrArray) written = NULL;

  g_return_val_if_fail (self->pending_events->len == 0, FALSE);

  if (!self->shared)
    return baton_store_begin (self->store, error);
  /* what other nodes wrote first, read in BEGIN's round trip: the directory as they left
   * it, and seqs after theirs */
  written = baton_store_events_from_rows (baton_store_begin_after (self->store,
                                                                   self->published_seq,
                                                                   READ_ELSEWHERE_LIMIT,
                                                                   error));
  if (written == NULL)
    return FALSE;
  publish_written_elsewhere (self, written);
  if (written->len == READ_ELSEWHERE_LIMIT && !read_written_elsewhere (self, error))
    {
      baton_store_rollback (self->store);
      return FALSE;
    }
  return TRUE;
}

/* Indexes the rows waiting for the search index, in a step of the transaction about to be
 * committed; one that fails leaves them waiting for the next time. */
static void
catch_up_search (BatonWorkspace *self)
{
  g_autoptr(GError) error = NULL;

  if (baton_store_savepoint (self->store, &error)
      && baton_store_search_catch_up (self->store, &error)
      && baton_store_release (self->store, &error))
    {
      self->search_backlog = 0;
      return;
    }
  baton_store_rollback_to (self->store);
  g_warning ("The search index did not catch up: %s", error->message);
}

static gpointer
catch_up_search_change (BatonWorkspace  *self,
                        gpointer         data,
                        GError         **error)
{
  if (!baton_store_search_catch_up (self->store, error))
    return NULL;
  self->search_backlog = 0;
  return self;
}

/* A search sees every message and contact written before it. */
gboolean
baton_workspace_catch_up_search (BatonWorkspace  *self,
                                 GError         **error)
{
  return baton_workspace_apply (self, catch_up_search_change, NULL, NULL, error);
}

gboolean
baton_workspace_commit (BatonWorkspace  *self,
                        GError         **error)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) revoked = NULL;

  /* events emitted by hand between begin and commit */
  if (!baton_workspace_flush_events (self, error))
    {
      baton_workspace_rollback (self);
      return FALSE;
    }
  if (self->search_backlog >= BATON_SEARCH_BATCH)
    catch_up_search (self);
  if (!baton_store_commit (self->store, error))
    {
      baton_workspace_directory_clear (self->directory);
      g_ptr_array_set_size (self->pending_events, 0);
      g_ptr_array_set_size (self->revoked_tokens, 0);
      self->last_seq = self->published_seq;
      return FALSE;
    }
  /* Publish only what is durable, in order. A handler may start a new transaction. */
  self->published_seq = self->last_seq;
  events = g_steal_pointer (&self->pending_events);
  self->pending_events = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_event_unref);
  revoked = g_steal_pointer (&self->revoked_tokens);
  self->revoked_tokens = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < events->len; i++)
    baton_workspace_directory_forget (self, baton_event_get_kind (events->pdata[i]));
  for (guint i = 0; i < events->len; i++)
    g_signal_emit (self, signals[EVENT], 0, g_ptr_array_index (events, i));
  if (events->len > 0)
    g_signal_emit (self, signals[EVENTS_PUBLISHED], 0);
  for (guint i = 0; i < revoked->len; i++)
    g_signal_emit (self, signals[SESSION_REVOKED], 0, g_ptr_array_index (revoked, i));
  /* Queued conversations move in the same turn as the change that freed a member. */
  if (self->drain_requested && !self->draining)
    baton_workspace_drain_queues (self);
  if (self->outbox_requested)
    {
      self->outbox_requested = FALSE;
      g_signal_emit (self, signals[OUTBOX_QUEUED], 0);
    }
  return TRUE;
}

/* The end of a turn of the main loop: its changes are committed together, then published.
 * Changes made while publishing (by the signals' handlers) are committed in turn. */
static gboolean
turn_end_cb (gpointer user_data)
{
  BatonWorkspace *self = user_data;
  g_autoptr(GError) error = NULL;

  self->turn_source = 0;
  while (baton_store_in_transaction (self->store))
    if (!baton_workspace_commit (self, &error))
      {
        /* those waiting for the sync of these changes are told they were not saved */
        g_warning ("Cannot commit the changes of a turn: %s", error->message);
        g_clear_error (&error);
      }
  return G_SOURCE_REMOVE;
}

/* One change inside the open transaction, in a savepoint: undone alone if it fails. */
static gpointer
run_step (BatonWorkspace  *self,
          BatonChange      change,
          gpointer         data,
          GDestroyNotify   free_result,
          GError         **error)
{
  guint n_events = self->pending_events->len;
  guint n_revoked = self->revoked_tokens->len;
  gint64 last_seq = self->last_seq;
  GError *local_error = NULL;
  gpointer result;

  if (!baton_store_savepoint (self->store, error))
    return NULL;
  result = change (self, data, &local_error);
  if (result && (!baton_workspace_flush_events (self, &local_error)
                 || !baton_store_release (self->store, &local_error)))
    {
      if (free_result)
        free_result (result);
      result = NULL;
    }
  if (result == NULL)
    {
      baton_store_rollback_to (self->store);
      baton_workspace_directory_clear (self->directory);
      g_ptr_array_set_size (self->pending_events, n_events);
      g_ptr_array_set_size (self->unflushed_events, 0);
      g_ptr_array_set_size (self->unflushed_texts, 0);
      g_ptr_array_set_size (self->revoked_tokens, n_revoked);
      self->last_seq = last_seq;
      if (local_error)
        g_propagate_error (error, local_error);
    }
  return result;
}

/* Batching, the change joins the turn's transaction (committed by turn_end_cb); otherwise
 * it is a transaction of its own. */
gpointer
baton_workspace_run (BatonWorkspace  *self,
                     BatonChange      change,
                     gpointer         data,
                     GDestroyNotify   free_result,
                     GError         **error)
{
  gpointer result;

  if (!self->batching || !baton_store_in_transaction (self->store))
    {
      if (!baton_workspace_begin (self, error))
        return NULL;
      /* before anything else of the next turn, the sync of this one's answers included */
      if (self->batching && self->turn_source == 0)
        self->turn_source = g_idle_add_full (G_PRIORITY_HIGH, turn_end_cb, self, NULL);
    }
  result = run_step (self, change, data, free_result, error);
  if (self->batching)
    return result;
  if (result == NULL)
    {
      baton_workspace_rollback (self);
      return NULL;
    }
  if (!baton_workspace_commit (self, error))
    {
      if (free_result)
        free_result (result);
      return NULL;
    }
  return result;
}

void
baton_workspace_set_batching (BatonWorkspace *self,
                              gboolean        batching)
{
  if (!batching)
    baton_workspace_flush (self);
  self->batching = batching;
}

void
baton_workspace_flush (BatonWorkspace *self)
{
  if (self->turn_source == 0)
    return;
  g_clear_handle_id (&self->turn_source, g_source_remove);
  turn_end_cb (self);
}

gboolean
baton_workspace_apply (BatonWorkspace  *self,
                       BatonChange      change,
                       gpointer         data,
                       GDestroyNotify   free_result,
                       GError         **error)
{
  GError *local_error = NULL;
  gpointer result = baton_workspace_run (self, change, data, free_result, &local_error);

  if (result && free_result)
    free_result (result);
  if (local_error)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

void
baton_workspace_request_drain (BatonWorkspace *self)
{
  self->drain_requested = TRUE;
}

void
baton_workspace_request_outbox (BatonWorkspace *self)
{
  self->outbox_requested = TRUE;
}

void
baton_workspace_channel_saved (BatonWorkspace *self,
                               const char     *channel_id)
{
  g_signal_emit (self, signals[CHANNEL_SAVED], 0, channel_id);
}

void
baton_workspace_rollback (BatonWorkspace *self)
{
  baton_store_rollback (self->store);
  baton_workspace_directory_clear (self->directory);
  g_ptr_array_set_size (self->revoked_tokens, 0);
  g_ptr_array_set_size (self->unflushed_events, 0);
  g_ptr_array_set_size (self->unflushed_texts, 0);
  if (self->pending_events->len > 0)
    {
      BatonEvent *first = g_ptr_array_index (self->pending_events, 0);

      /* an event not written yet has no seq, and nor have those after it */
      if (first->seq > 0)
        self->last_seq = first->seq - 1;
      g_ptr_array_set_size (self->pending_events, 0);
    }
}

/* Takes data (NULL when the event carries only its text) and text. */
static void
queue_event (BatonWorkspace *self,
             const char     *type,
             const char     *agent_id,
             JsonNode       *data,
             char           *text)
{
  g_autoptr(BatonEvent) event = baton_event_new (type, baton_workspace_now (self), agent_id,
                                                 data);

  event->data_text = text;
  g_ptr_array_add (self->unflushed_texts, event->data_text);
  g_ptr_array_add (self->unflushed_events, baton_event_ref (event));
  baton_workspace_directory_forget (self, baton_event_get_kind (event));
  g_ptr_array_add (self->pending_events, g_steal_pointer (&event));
}

/* Takes data. Must run inside a transaction: the event is queued, and written with the
 * change's other events when it ends (baton_workspace_flush_events). */
gboolean
baton_workspace_emit (BatonWorkspace  *self,
                      const char      *type,
                      const char      *agent_id,
                      JsonNode        *data,
                      GError         **error)
{
  g_autoptr(JsonNode) owned = data;
  char *text = NULL;

  g_return_val_if_fail (baton_store_in_transaction (self->store), FALSE);

  /* the text as the data is now (the caller may keep a reference), stored and sent alike */
  text = baton_json_to_string (owned);
  queue_event (self, type, agent_id, g_steal_pointer (&owned), text);
  return TRUE;
}

/* As baton_workspace_emit, for an event whose data only its text needs (takes text): the
 * event carries no tree, so the "event" signal's handlers see data NULL. */
gboolean
baton_workspace_emit_text (BatonWorkspace  *self,
                           const char      *type,
                           const char      *agent_id,
                           char            *text,
                           GError         **error)
{
  g_autofree char *owned = text;

  g_return_val_if_fail (baton_store_in_transaction (self->store), FALSE);

  queue_event (self, type, agent_id, NULL, g_steal_pointer (&owned));
  return TRUE;
}

/* Writes the events emitted since the last flush, in one statement, and sets their seqs. */
gboolean
baton_workspace_flush_events (BatonWorkspace  *self,
                              GError         **error)
{
  guint n = self->unflushed_events->len;

  if (n == 0)
    return TRUE;
  if (!baton_store_events_insert_many (self->store, (BatonEvent **) self->unflushed_events->pdata,
                                       (const char **) self->unflushed_texts->pdata, n, error))
    return FALSE;
  self->last_seq = MAX (self->last_seq,
                        ((BatonEvent *) self->unflushed_events->pdata[n - 1])->seq);
  g_ptr_array_set_size (self->unflushed_events, 0);
  g_ptr_array_set_size (self->unflushed_texts, 0);
  return TRUE;
}

gint64
baton_workspace_last_seq (BatonWorkspace *self)
{
  return self->last_seq;
}

gint64
baton_workspace_published_seq (BatonWorkspace *self)
{
  return self->published_seq;
}

gint64
baton_workspace_first_seq (BatonWorkspace *self)
{
  gint64 first = baton_store_events_first_seq (self->store, NULL);

  return first > 0 ? first : self->last_seq + 1;
}

/* The events after since that agent_id may see, oldest first. */
GPtrArray *
baton_workspace_events_since (BatonWorkspace  *self,
                              gint64           since,
                              const char      *agent_id,
                              guint            limit,
                              GError         **error)
{
  return baton_store_events_since (self->store, since, self->published_seq, agent_id, limit,
                                   error);
}

void
baton_workspace_prune_events (BatonWorkspace *self)
{
  g_autoptr(GError) error = NULL;
  gint64 now = baton_workspace_now (self);

  if (!baton_store_events_prune (self->store, now - EVENT_RETENTION_MS,
                                 self->last_seq - EVENT_RETENTION_COUNT, &error))
    g_warning ("Cannot prune the event log: %s", error->message);
  if (self->prune_timer == 0)
    self->prune_timer = baton_timers_add (self->timers, now + 3600 * 1000, prune_timer_cb,
                                          self, NULL);
}

/* Loading */

static gboolean
is_online (BatonWorkspace    *self,
           const char        *agent_id,
           BatonAvailability  availability)
{
  return availability == BATON_AVAILABILITY_ONLINE
         && (g_hash_table_contains (self->presence, agent_id)
             || baton_workspace_held_elsewhere (self, agent_id));
}

static void
set_not_found (GError     **error,
               const char  *what,
               const char  *id)
{
  g_set_error (error, BATON_ERROR, BATON_ERROR_NOT_FOUND, "No %s with id %s", what, id);
}

/* What a store's get gave: the object, or NULL with its error, or NOT_FOUND ("No <what>
 * with id <id>") when the store found none. Takes local_error. */
gpointer
baton_workspace_found (gpointer     object,
                       GError      *local_error,
                       GError     **error,
                       const char  *what,
                       const char  *id)
{
  if (local_error)
    g_propagate_error (error, local_error);
  else if (object == NULL)
    set_not_found (error, what, id);
  return object;
}

BatonAgent *
baton_workspace_load_agent (BatonWorkspace  *self,
                            const char      *id,
                            GError         **error)
{
  GError *local_error = NULL;
  BatonAgent *agent = baton_workspace_found (baton_store_agents_get (self->store, id, &local_error),
                             local_error, error, "agent", id);

  if (agent == NULL)
    return NULL;
  agent->online = is_online (self, agent->id, agent->availability);
  return agent;
}

GPtrArray *
baton_workspace_list_agents (BatonWorkspace  *self,
                             GError         **error)
{
  GPtrArray *agents = baton_store_agents_list (self->store, error);

  for (guint i = 0; agents && i < agents->len; i++)
    {
      BatonAgent *agent = agents->pdata[i];

      agent->online = is_online (self, agent->id, agent->availability);
    }
  return agents;
}

char *
baton_workspace_agent_name (BatonWorkspace *self,
                            const char     *agent_id)
{
  return g_strdup (baton_workspace_directory_agent_name (self, agent_id));
}

gboolean
baton_workspace_agent_exists (BatonWorkspace *self,
                              const char     *id)
{
  g_autoptr(BatonAgent) agent = baton_store_agents_get (self->store, id, NULL);

  return agent != NULL;
}

/* Every id must name an agent; repeats are refused, since lists of agents are sets. */
gboolean
baton_workspace_check_agent_ids (BatonWorkspace      *self,
                                 const char          *field,
                                 const char * const  *ids,
                                 GError             **error)
{
  for (guint i = 0; ids && ids[i]; i++)
    {
      g_autofree char *element = g_strdup_printf ("%s[%u]", field, i);

      if (!baton_workspace_agent_exists (self, ids[i]))
        {
          baton_set_field_error (error, element, "No agent with id %s", ids[i]);
          return FALSE;
        }
      for (guint j = 0; j < i; j++)
        if (g_str_equal (ids[i], ids[j]))
          {
            baton_set_field_error (error, element, "Agent %s is listed twice", ids[i]);
            return FALSE;
          }
    }
  return TRUE;
}

BatonContact *
baton_workspace_load_contact (BatonWorkspace  *self,
                              const char      *id,
                              GError         **error)
{
  GError *local_error = NULL;

  return baton_workspace_found (baton_store_contacts_get (self->store, id, &local_error), local_error, error,
                "contact", id);
}

BatonConversation *
baton_workspace_load_conversation (BatonWorkspace  *self,
                                   const char      *id,
                                   GError         **error)
{
  GError *local_error = NULL;

  return baton_workspace_found (baton_store_conversations_get (self->store, id, &local_error), local_error,
                error, "conversation", id);
}

BatonMessage *
baton_workspace_load_message (BatonWorkspace  *self,
                              const char      *id,
                              GError         **error)
{
  GError *local_error = NULL;

  return baton_workspace_found (baton_store_messages_get (self->store, id, &local_error), local_error, error,
                "message", id);
}

gboolean
baton_workspace_load_settings (BatonWorkspace  *self,
                               BatonWorkspaceSettings   *settings,
                               GError         **error)
{
  g_autoptr(GHashTable) values = baton_store_settings_list (self->store, error);
  const char *timezone = NULL;

  settings->first_responder_becomes_owner = FALSE;
  settings->first_reply_takes_assignment = TRUE;
  settings->unassign_on_resolve = TRUE;
  settings->timezone = NULL;
  if (values == NULL)
    return FALSE;
  if (g_hash_table_contains (values, "first_responder_becomes_owner"))
    settings->first_responder_becomes_owner =
      g_strcmp0 (g_hash_table_lookup (values, "first_responder_becomes_owner"), "true") == 0;
  if (g_hash_table_contains (values, "first_reply_takes_assignment"))
    settings->first_reply_takes_assignment =
      g_strcmp0 (g_hash_table_lookup (values, "first_reply_takes_assignment"), "true") == 0;
  if (g_hash_table_contains (values, "unassign_on_resolve"))
    settings->unassign_on_resolve =
      g_strcmp0 (g_hash_table_lookup (values, "unassign_on_resolve"), "true") == 0;
  timezone = g_hash_table_lookup (values, "timezone");
  settings->timezone = g_strdup (timezone ? timezone : "Etc/UTC");
  return TRUE;
}

static gpointer
update_settings_change (BatonWorkspace  *self,
                        gpointer         data,
                        GError         **error)
{
  const char * const *changes = data;
  g_auto(BatonWorkspaceSettings) settings = { 0 };
  JsonNode *node = NULL;

  for (guint i = 0; changes[i] && changes[i + 1]; i += 2)
    if (!baton_store_settings_set (self->store, changes[i], changes[i + 1], error))
      return NULL;
  if (!baton_workspace_load_settings (self, &settings, error))
    return NULL;
  node = baton_workspace_settings_to_json (&settings);
  if (!baton_workspace_emit (self, "settings.updated", NULL, json_node_ref (node), error))
    {
      json_node_unref (node);
      return NULL;
    }
  return node;
}

/* changes: key, value, key, value, …, NULL; the settings as they now are */
JsonNode *
baton_workspace_update_settings (BatonWorkspace      *self,
                                 const char * const  *changes,
                                 GError             **error)
{
  return baton_workspace_run (self, update_settings_change, (gpointer) changes,
                              (GDestroyNotify) json_node_unref, error);
}

void
baton_workspace_settings_clear (BatonWorkspaceSettings *settings)
{
  g_clear_pointer (&settings->timezone, g_free);
}

JsonNode *
baton_workspace_settings_to_json (BatonWorkspaceSettings *settings)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "first_responder_becomes_owner");
  json_builder_add_boolean_value (builder, settings->first_responder_becomes_owner);
  json_builder_set_member_name (builder, "first_reply_takes_assignment");
  json_builder_add_boolean_value (builder, settings->first_reply_takes_assignment);
  json_builder_set_member_name (builder, "unassign_on_resolve");
  json_builder_add_boolean_value (builder, settings->unassign_on_resolve);
  json_builder_set_member_name (builder, "timezone");
  json_builder_add_string_value (builder, settings->timezone);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Emitting the state of an object, inside the caller's transaction */

/* An agent changed (availability, role, presence): they may have become eligible. */
gboolean
baton_workspace_emit_agent (BatonWorkspace  *self,
                            const char      *id,
                            GError         **error)
{
  baton_workspace_request_drain (self);
  g_autoptr(BatonAgent) agent = baton_workspace_load_agent (self, id, error);

  if (agent == NULL)
    return FALSE;
  return baton_workspace_emit (self, "agent.updated", NULL, baton_agent_to_json (agent), error);
}

/* contact as it now is (the change knows it: no read) */
gboolean
baton_workspace_emit_contact_of (BatonWorkspace  *self,
                                 BatonContact    *contact,
                                 const char      *via,
                                 GError         **error)
{
  BatonJsonWriter *writer = baton_json_writer_new_text ();

  baton_json_writer_begin_object (writer);
  baton_contact_write_members (contact, writer);
  if (via)
    {
      baton_json_writer_member (writer, "via");
      baton_json_writer_string (writer, via);
    }
  baton_json_writer_end_object (writer);
  return baton_workspace_emit_text (self, "contact.updated", NULL,
                                    baton_json_writer_free_to_text (writer), error);
}

gboolean
baton_workspace_emit_contact (BatonWorkspace  *self,
                              const char      *id,
                              const char      *via,
                              GError         **error)
{
  g_autoptr(BatonContact) contact = baton_workspace_load_contact (self, id, error);

  return contact != NULL && baton_workspace_emit_contact_of (self, contact, via, error);
}

/* Bumps the version and publishes the conversation as it now is. */
gboolean
baton_workspace_touch_conversation (BatonWorkspace  *self,
                                    const char      *id,
                                    GError         **error)
{
  g_autoptr(BatonConversation) conversation = NULL;

  if (!baton_store_conversations_bump (self->store, id, 1, baton_workspace_now (self), error))
    return FALSE;
  conversation = baton_workspace_load_conversation (self, id, error);
  if (conversation == NULL)
    return FALSE;
  return baton_workspace_emit_text (self, "conversation.updated", NULL,
                                    baton_conversation_to_text (conversation), error);
}

/* Team strategies */

GHashTable *
baton_workspace_agent_states (BatonWorkspace *self,
                              GPtrArray      *loads)
{
  GHashTable *states = NULL;

  states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < loads->len; i++)
    {
      BatonAgentLoadRow *row = loads->pdata[i];
      BatonAgentState *state = g_new0 (BatonAgentState, 1);
      int availability = baton_availability_from_string (row->availability);

      state->online = is_online (self, row->id, MAX (availability, 0));
      state->last_assigned_at = row->last_assigned_at;
      state->load = row->active_count;
      g_hash_table_insert (states, g_strdup (row->id), state);
    }
  return states;
}

/* Presence */

static gpointer
presence_change (BatonWorkspace  *self,
                 gpointer         data,
                 GError         **error)
{
  const char *agent_id = data;

  if (!baton_workspace_cluster_hold (self, agent_id,
                                     g_hash_table_contains (self->presence, agent_id), error))
    return NULL;
  return baton_workspace_emit_agent (self, agent_id, error) ? self : NULL;
}

void
baton_workspace_presence_changed (BatonWorkspace *self,
                                  const char     *agent_id)
{
  g_signal_emit (self, signals[PRESENCE_CHANGED], 0, agent_id);
}

void
baton_workspace_session_revoked (BatonWorkspace *self,
                                 const char     *token_hash)
{
  g_signal_emit (self, signals[SESSION_REVOKED], 0, token_hash);
}

static void
publish_presence (BatonWorkspace *self,
                  const char     *agent_id)
{
  g_autoptr(GError) error = NULL;

  /* An agent removed since the stream closed has nothing to publish. */
  if (!baton_workspace_agent_exists (self, agent_id))
    return;
  baton_workspace_request_drain (self);
  if (!baton_workspace_apply (self, presence_change, (gpointer) agent_id, NULL, &error))
    {
      g_warning ("Cannot publish the presence of %s: %s", agent_id, error->message);
      return;
    }
  baton_workspace_presence_changed (self, agent_id);
}

void
baton_workspace_stream_opened (BatonWorkspace *self,
                               const char     *agent_id)
{
  Presence *presence = g_hash_table_lookup (self->presence, agent_id);

  baton_workspace_cluster_join (self);
  if (presence == NULL)
    {
      presence = g_new0 (Presence, 1);
      presence->workspace = self;
      presence->agent_id = g_strdup (agent_id);
      g_hash_table_insert (self->presence, presence->agent_id, presence);
      presence->streams = 1;
      publish_presence (self, agent_id);
      return;
    }
  presence->streams++;
  if (presence->grace_timer)
    {
      baton_timers_remove (self->timers, presence->grace_timer);
      presence->grace_timer = 0;
    }
}

static void
grace_ended_cb (gpointer user_data)
{
  Presence *presence = user_data;
  BatonWorkspace *self = presence->workspace;
  g_autofree char *agent_id = g_strdup (presence->agent_id);

  presence->grace_timer = 0;
  g_hash_table_remove (self->presence, agent_id);
  publish_presence (self, agent_id);
}

void
baton_workspace_stream_closed (BatonWorkspace *self,
                               const char     *agent_id)
{
  Presence *presence = g_hash_table_lookup (self->presence, agent_id);

  if (presence == NULL || presence->streams == 0)
    return;
  if (--presence->streams == 0)
    presence->grace_timer = baton_timers_add (self->timers,
                                              baton_workspace_now (self) + BATON_ONLINE_GRACE_MS,
                                              grace_ended_cb, presence, NULL);
}

gboolean
baton_workspace_is_connected (BatonWorkspace *self,
                              const char     *agent_id)
{
  return g_hash_table_contains (self->presence, agent_id);
}

/* Login throttling: failures per account (the email, known or not) and per account and
 * client address, within a sliding window. Nothing counts per address alone: behind a proxy
 * many people share one, and failures for one account must never throttle another. */

typedef struct {
  char *key;
  guint limit;
} ThrottleKey;

static void
throttle_keys (const char  *email,
               const char  *address,
               ThrottleKey  keys[2])
{
  g_autofree char *account = baton_workspace_email_key (email ? email : "");

  keys[0].key = g_strconcat ("account:", account, NULL);
  keys[0].limit = BATON_LOGIN_MAX_ACCOUNT_FAILURES;
  /* an email cannot hold a newline */
  keys[1].key = g_strconcat ("pair:", account, "\n", address ? address : "", NULL);
  keys[1].limit = BATON_LOGIN_MAX_FAILURES;
}

static GArray *
recent_failures (BatonWorkspace *self,
                 const char     *key,
                 gint64          now)
{
  GArray *times = g_hash_table_lookup (self->login_failures, key);

  if (times == NULL)
    return NULL;
  while (times->len > 0 && g_array_index (times, gint64, 0) <= now - BATON_LOGIN_WINDOW_MS)
    g_array_remove_index (times, 0);
  if (times->len == 0)
    {
      g_hash_table_remove (self->login_failures, key);
      return NULL;
    }
  return times;
}

/* The time of the failure that, limit failures ago, started the key's throttling; 0 when
 * the key has had fewer within the window. Several nodes count in the store. */
static gint64
limit_failure_at (BatonWorkspace   *self,
                  const ThrottleKey *key,
                  gint64            now)
{
  g_autoptr(GError) error = NULL;
  GArray *times = NULL;
  gint64 at;

  if (!self->shared)
    {
      times = recent_failures (self, key->key, now);
      return times && times->len >= key->limit
             ? g_array_index (times, gint64, times->len - key->limit) : 0;
    }
  at = baton_store_logins_nth_recent (self->store, key->key, now - BATON_LOGIN_WINDOW_MS,
                                      key->limit, &error);
  if (at < 0)
    g_warning ("Cannot read the failed sign-ins: %s", error->message);
  return MAX (at, 0);
}

gint64
baton_workspace_throttled_until (BatonWorkspace *self,
                                 const char     *email,
                                 const char     *address)
{
  ThrottleKey keys[2];
  gint64 now = baton_workspace_now (self);
  gint64 until = 0;

  throttle_keys (email, address, keys);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      gint64 at = limit_failure_at (self, &keys[i], now);

      if (at > 0)
        until = MAX (until, at + BATON_LOGIN_WINDOW_MS);
      g_free (keys[i].key);
    }
  return until;
}

/* Guessed emails each add a key: past a size, the ones out of the window go. */
static void
forget_old_failures (BatonWorkspace *self,
                     gint64          now)
{
  GHashTableIter iter;
  GArray *times = NULL;

  if (g_hash_table_size (self->login_failures) < 4096)
    return;
  g_hash_table_iter_init (&iter, self->login_failures);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &times))
    if (g_array_index (times, gint64, times->len - 1) <= now - BATON_LOGIN_WINDOW_MS)
      g_hash_table_iter_remove (&iter);
}

void
baton_workspace_record_login_failure (BatonWorkspace *self,
                                      const char     *email,
                                      const char     *address)
{
  ThrottleKey keys[2];
  gint64 now = baton_workspace_now (self);

  forget_old_failures (self, now);
  throttle_keys (email, address, keys);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      GArray *times = NULL;

      if (self->shared)
        {
          g_autoptr(GError) error = NULL;

          if (!baton_store_logins_add_failure (self->store, keys[i].key, now, &error))
            g_warning ("Cannot count a failed sign-in: %s", error->message);
          g_free (keys[i].key);
          continue;
        }
      times = g_hash_table_lookup (self->login_failures, keys[i].key);
      if (times == NULL)
        {
          times = g_array_new (FALSE, FALSE, sizeof (gint64));
          g_hash_table_insert (self->login_failures, g_strdup (keys[i].key), times);
        }
      g_array_append_val (times, now);
      /* Only the last window's worth matters. */
      if (times->len > keys[i].limit * 4)
        g_array_remove_range (times, 0, times->len - keys[i].limit * 4);
      g_free (keys[i].key);
    }
}

static void
write_counts (GString    *text,
              const char *metric,
              const char *help,
              const char *label,
              GPtrArray  *counts)
{
  g_string_append_printf (text, "# HELP %s %s\n# TYPE %s gauge\n", metric, help, metric);
  for (guint i = 0; counts && i < counts->len; i++)
    {
      BatonCountRow *row = counts->pdata[i];

      g_string_append_printf (text, "%s{%s=\"%s\"} %" G_GINT64_FORMAT "\n", metric, label,
                              row->name, row->n);
    }
}

/* Counts the store keeps as rows change, so /metrics never scans the messages. */
void
baton_workspace_write_metrics (BatonWorkspace *self,
                               GString        *text)
{
  g_autoptr(GPtrArray) conversations = baton_store_counts_conversations_by_status (self->store,
                                                                                   NULL);
  g_autoptr(GPtrArray) messages = baton_store_counts_messages_by_kind (self->store, NULL);
  char per_message[G_ASCII_DTOSTR_BUF_SIZE];

  write_counts (text, "baton_conversations", "Conversations, by status.", "status",
                conversations);
  write_counts (text, "baton_messages", "Stored messages, by kind.", "kind", messages);
  g_string_append_printf (text, "# HELP baton_store_statements_total SQL statements run by the "
                                "store (these counts included).\n"
                                "# TYPE baton_store_statements_total counter\n"
                                "baton_store_statements_total %" G_GUINT64_FORMAT "\n",
                          baton_store_get_statement_count ());
  g_string_append_printf (text, "# HELP baton_store_round_trips_total Waits for the database"
                                " server's answer (PostgreSQL; 0 on SQLite).\n"
                                "# TYPE baton_store_round_trips_total counter\n"
                                "baton_store_round_trips_total %" G_GUINT64_FORMAT "\n",
                          baton_store_get_round_trip_count ());
  g_string_append_printf (text, "# HELP baton_inbound_messages_total Customers' messages"
                                " received and routed (a channel's duplicates not counted).\n"
                                "# TYPE baton_inbound_messages_total counter\n"
                                "baton_inbound_messages_total %" G_GUINT64_FORMAT "\n"
                                "# HELP baton_inbound_statements_total SQL statements those"
                                " messages ran, from finding the contact to writing the"
                                " events.\n"
                                "# TYPE baton_inbound_statements_total counter\n"
                                "baton_inbound_statements_total %" G_GUINT64_FORMAT "\n"
                                "# HELP baton_inbound_statements_per_message The same per"
                                " message, since batond started.\n"
                                "# TYPE baton_inbound_statements_per_message gauge\n"
                                "baton_inbound_statements_per_message %s\n",
                          self->inbound_messages, self->inbound_statements,
                          g_ascii_formatd (per_message, sizeof per_message, "%.2f",
                                           self->inbound_messages
                                           ? (double) self->inbound_statements
                                             / self->inbound_messages
                                           : 0.0));
}
