/* baton-workspace-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-store-channels.h"
#include "baton-workspace.h"

G_BEGIN_DECLS

typedef struct _BatonWorkspaceDirectory BatonWorkspaceDirectory;

struct _BatonWorkspace
{
  GObject parent_instance;

  /* owned */
  BatonStore *store;
  BatonClock *clock;
  BatonTimers *timers;
  GHashTable *presence;
  /* failed sign-ins by throttling key (one node; several count in the store) */
  GHashTable *login_failures;
  GPtrArray *pending_events;
  /* the pending events not written yet, and their data as JSON text (the events' own):
   * written together by baton_workspace_flush_events () */
  GPtrArray *unflushed_events;
  GPtrArray *unflushed_texts;
  /* hashes of the tokens deleted by the transaction: "session-revoked" after the commit */
  GPtrArray *revoked_tokens;
  /* flow id → the version of its steps last loaded (baton-workspace-routing.c) */
  GHashTable *flow_versions;
  /* teams, flows, schedules, channel defaults and agent names in memory
   * (baton-workspace-directory.c, which says how it stays current) */
  BatonWorkspaceDirectory *directory;

  /* state */
  /* the last event written, and the last one published (committed and signalled) */
  gint64 last_seq;
  gint64 published_seq;
  /* changes share one transaction per turn of the main loop, committed by turn_source */
  gboolean batching;
  guint turn_source;
  gint64 session_idle_ms;
  /* this batond's name among the nodes sharing the database (/healthz) */
  char *node_id;
  /* other nodes write the database too: their events are read in (baton-workspace.c) */
  gboolean shared;
  guint tail_timer;
  gboolean tail_failing;
  /* the cluster's presence (baton-workspace-cluster.c): this node beats once joined; the
   * agents other nodes hold online, NULL until read again */
  gboolean joined;
  /* the first beat is done: a later one that finds this node unknown was forgotten */
  gboolean beaten;
  guint beats;
  guint beat_timer;
  /* the last ended session read (token_revocations), -1 before the first look */
  gint64 revoked_seen;
  GHashTable *held_elsewhere;
  guint prune_timer;
  /* something may have made a team member eligible: queues are tried after the commit */
  gboolean drain_requested;
  gboolean draining;
  /* a change queued outbound messages: the senders hear of it after the commit */
  gboolean outbox_requested;
  /* messages and contacts written since the search index last caught up (about: a change
   * rolled back still counts) */
  guint search_backlog;
  /* BATON_VERIFY_MIRRORS is set (the tests set it): each conversation an operation publishes
   * from its mirror is compared with the stored one (baton-operation.c) */
  gboolean verify_mirrors;
  /* customers' messages received (not duplicates), and the statements they ran: /metrics */
  guint64 inbound_messages;
  guint64 inbound_statements;
};

/* WhatsApp's customer service window */
#define BATON_WHATSAPP_WINDOW_MS (24 * 60 * 60 * 1000)
#define BATON_ONLINE_GRACE_MS (60 * 1000)
#define BATON_LOGIN_WINDOW_MS (15 * 60 * 1000)
/* failures within the window for one account from one client address, and for one account
 * from all addresses together */
#define BATON_LOGIN_MAX_FAILURES 10
#define BATON_LOGIN_MAX_ACCOUNT_FAILURES 30
#define BATON_SESSION_IDLE_DEFAULT_MS ((gint64) 30 * 24 * 3600 * 1000)

void  baton_workspace_drain_queues  (BatonWorkspace *self);
void  baton_workspace_run_due_timers (BatonWorkspace *self);

/* an agent's effective online state changed: "presence-changed" */
void  baton_workspace_presence_changed (BatonWorkspace *self,
                                        const char     *agent_id);
/* a session ended (its token's SHA-256): "session-revoked" */
void  baton_workspace_session_revoked  (BatonWorkspace *self,
                                        const char     *token_hash);

/* Presence across nodes (baton-workspace-cluster.c); each does nothing on a database only
 * this process writes. */
gboolean baton_workspace_held_elsewhere (BatonWorkspace  *self,
                                         const char      *agent_id);
gboolean baton_workspace_cluster_hold   (BatonWorkspace  *self,
                                         const char      *agent_id,
                                         gboolean         held,
                                         GError         **error);
void     baton_workspace_cluster_event  (BatonWorkspace  *self,
                                         BatonEventKind   kind);
void     baton_workspace_cluster_leave  (BatonWorkspace  *self);

/* A message or contact written waits for the search index: a commit indexes the waiting
 * ones every BATON_SEARCH_BATCH, in one segment (baton_store_search_catch_up). */
#define BATON_SEARCH_BATCH 256

static inline void
baton_workspace_search_backlog_add (BatonWorkspace *self)
{
  self->search_backlog++;
}

gboolean baton_workspace_catch_up_search (BatonWorkspace  *self,
                                          GError         **error);

/* what a reply becomes on its channel (baton-workspace-whatsapp.c): channel is set for a
 * WhatsApp conversation, with the text stored and, unless it is a note, the API request */
typedef struct {
  char *channel;
  char *body;
  char *recipient;
  JsonNode *payload;
  /* the attachments' media messages (baton_whatsapp_media_payload), after payload */
  GPtrArray *media;
} BatonOutgoing;

/* WhatsApp takes captions of at most this many characters */
#define BATON_WHATSAPP_MAX_CAPTION 1024

void     baton_outgoing_clear             (BatonOutgoing      *outgoing);
gboolean baton_workspace_prepare_outgoing (BatonWorkspace     *self,
                                           BatonConversation  *conversation,
                                           const BatonReply   *reply,
                                           BatonOutgoing      *outgoing,
                                           GError            **error);

/* the outbox entries of a prepared reply: its text, then its media messages */
gboolean baton_workspace_queue_outgoing   (BatonWorkspace     *self,
                                           const char         *channel_id,
                                           const char         *message_id,
                                           BatonOutgoing      *outgoing,
                                           GError            **error);
gboolean baton_workspace_store_media      (BatonWorkspace     *self,
                                           const char         *channel_id,
                                           JsonNode           *media,
                                           GError            **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BatonOutgoing, baton_outgoing_clear)
/* A line the channel writes into a conversation (a WhatsApp number change), inside the
 * caller's transaction and the way every message is written: it moves the preview and
 * activity_at, bumps the version and emits the conversation and the message. */
gboolean baton_workspace_add_channel_message (BatonWorkspace  *self,
                                              const char      *conversation_id,
                                              const char      *author_name,
                                              const char      *body,
                                              const char      *external_id,
                                              gint64           created_at,
                                              GError         **error);

/* What the objects a manager edits (teams, flows, schedules) have in common
 * (baton-workspace-objects.c): <name>.created|updated|deleted events. */
typedef struct {
  const char *name;
  gpointer  (*load)    (BatonWorkspace  *self,
                        const char      *id,
                        GError         **error);
  JsonNode *(*to_json) (gpointer         object);
  GDestroyNotify unref;
  /* writes the object inside the change */
  gboolean  (*write)   (BatonWorkspace  *self,
                        gpointer         object,
                        gboolean         creating,
                        GError         **error);
  /* deletes it inside the change, with what depends on it */
  gboolean  (*remove)  (BatonWorkspace  *self,
                        const char      *id,
                        GError         **error);
} BatonObjectKind;

gpointer baton_workspace_save_object   (BatonWorkspace         *self,
                                        const BatonObjectKind  *kind,
                                        gpointer                object,
                                        const char             *id,
                                        gboolean                creating,
                                        GError                **error);
gboolean baton_workspace_delete_object (BatonWorkspace         *self,
                                        const BatonObjectKind  *kind,
                                        const char             *id,
                                        GError                **error);

gpointer baton_workspace_found        (gpointer                object,
                                        GError                 *local_error,
                                        GError                **error,
                                        const char             *what,
                                        const char             *id);

char *baton_workspace_email_key  (const char     *email);
/* items (structs whose char * id is at id_offset) by id; the table owns nothing */
GHashTable *baton_workspace_index_by_id (GPtrArray *items,
                                         gsize      id_offset);
char *baton_workspace_agent_name (BatonWorkspace *self,
                                  const char     *agent_id);

/* the directory in memory (baton-workspace-directory.c): what it returns is owned by it and
 * valid until the next change of its kind (take a reference to keep it) */
BatonWorkspaceDirectory *baton_workspace_directory_new   (void);
void        baton_workspace_directory_clear (BatonWorkspaceDirectory  *directory);
void        baton_workspace_directory_free  (BatonWorkspaceDirectory  *directory);
void        baton_workspace_directory_forget         (BatonWorkspace  *self,
                                                      BatonEventKind   kind);
GPtrArray  *baton_workspace_directory_teams          (BatonWorkspace  *self,
                                                      GError         **error);
GHashTable *baton_workspace_directory_team_index     (BatonWorkspace  *self,
                                                      GError         **error);
BatonTeam  *baton_workspace_directory_team           (BatonWorkspace  *self,
                                                      const char      *id);
GPtrArray  *baton_workspace_directory_flows          (BatonWorkspace  *self,
                                                      GError         **error);
GPtrArray  *baton_workspace_directory_schedules      (BatonWorkspace  *self,
                                                      GError         **error);
GHashTable *baton_workspace_directory_schedule_index (BatonWorkspace  *self,
                                                      GError         **error);
const BatonChannelRow *baton_workspace_directory_channel (BatonWorkspace  *self,
                                                         const char      *channel_id,
                                                         GError         **error);
gboolean    baton_workspace_directory_channel_defaults (BatonWorkspace  *self,
                                                        const char      *channel_id,
                                                        const char     **team_id,
                                                        const char     **user_id,
                                                        GError         **error);
const char *baton_workspace_directory_agent_name     (BatonWorkspace  *self,
                                                      const char      *agent_id);

G_END_DECLS
