/* baton-store-sqlite.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-store-sqlite"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "baton-error.h"
#include "baton-store-private.h"
#include "baton-store-sqlite.h"
#include "baton-store-syncer.h"

struct _BatonStoreSqlite
{
  GObject parent_instance;

  /* owned */
  sqlite3 *db;
  /* prepared statements (sqlite3_stmt) by their SQL text */
  BatonStatementCache *statements;

  /* the -wal file for the durability barrier, opened at its first sync; or -1 */
  int wal_fd;
  BatonStoreSyncer *syncer;

  /* state */
  gboolean in_transaction;
  /* a connection of its own that only reads (store_open_reader) */
  gboolean reader;
  char *path;
  /* whether the database keeps a WAL (else each commit syncs itself: FULL) */
  gboolean wal;
  /* commits written: the commit hook counts them */
  guint64 n_commits;
  gboolean directory_synced;
  /* frames in the WAL after the last commit, and the connection that checkpoints it in a
   * thread (NULL while a checkpoint runs) */
  int wal_frames;
  sqlite3 *checkpointer;
  gboolean checkpointing;
  /* the thread's checkpoint is done: the frames committed meanwhile are left */
  gboolean checkpoint_tail;
  guint64 n_checkpoints;
};

/* SQLite's own default for its automatic checkpoints */
#define CHECKPOINT_FRAMES 1000

static void store_iface_init (BatonStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BatonStoreSqlite, baton_store_sqlite, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BATON_TYPE_STORE, store_iface_init))

/* Each migration runs once, in order, in its own transaction; user_version records how many
 * ran. Never edit a migration that has shipped: add the next one. */
static const char *migrations[] = {
  /* 1: the v1 schema */
  "CREATE TABLE settings ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL);"
  "CREATE TABLE agents ("
  "  id TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  email TEXT NOT NULL,"
  "  email_key TEXT NOT NULL UNIQUE,"
  "  role TEXT NOT NULL,"
  "  password_hash TEXT NOT NULL,"
  "  availability TEXT NOT NULL DEFAULT 'online',"
  "  last_assigned_at INTEGER NOT NULL DEFAULT 0,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL);"
  "CREATE TABLE tokens ("
  "  token_hash TEXT PRIMARY KEY,"
  "  agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,"
  "  created_at INTEGER NOT NULL);"
  "CREATE INDEX tokens_agent ON tokens(agent_id);"
  "CREATE TABLE teams ("
  "  id TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  strategy TEXT NOT NULL,"
  "  default_user_id TEXT REFERENCES agents(id) ON DELETE SET NULL,"
  "  backup_user_id TEXT REFERENCES agents(id) ON DELETE SET NULL,"
  "  only_online INTEGER NOT NULL DEFAULT 1,"
  "  max_active_per_agent INTEGER,"
  "  reassign_after_minutes INTEGER,"
  "  rr_cursor TEXT,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL);"
  "CREATE TABLE team_members ("
  "  team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,"
  "  agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  PRIMARY KEY (team_id, agent_id));"
  "CREATE INDEX team_members_agent ON team_members(agent_id);"
  "CREATE TABLE channels ("
  "  id TEXT PRIMARY KEY,"
  "  kind TEXT NOT NULL,"
  "  name TEXT NOT NULL,"
  "  default_team_id TEXT REFERENCES teams(id) ON DELETE SET NULL,"
  "  default_user_id TEXT REFERENCES agents(id) ON DELETE SET NULL,"
  "  inbound_secret_hash TEXT,"
  "  config TEXT NOT NULL DEFAULT '{}',"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL);"
  "CREATE TABLE contacts ("
  "  id TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  phone TEXT NOT NULL,"
  "  wa_id TEXT,"
  "  fields TEXT NOT NULL DEFAULT '{}',"
  "  created_at INTEGER NOT NULL,"
  "  last_inbound_at INTEGER);"
  "CREATE UNIQUE INDEX contacts_phone ON contacts(phone);"
  "CREATE INDEX contacts_wa_id ON contacts(wa_id);"
  "CREATE TABLE contact_tags ("
  "  contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,"
  "  tag TEXT NOT NULL,"
  "  position INTEGER NOT NULL,"
  "  PRIMARY KEY (contact_id, tag));"
  "CREATE TABLE contact_owners ("
  "  contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,"
  "  agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  PRIMARY KEY (contact_id, agent_id));"
  "CREATE INDEX contact_owners_agent ON contact_owners(agent_id);"
  "CREATE TABLE conversations ("
  "  id TEXT PRIMARY KEY,"
  "  channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,"
  "  contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,"
  "  status TEXT NOT NULL,"
  "  team_id TEXT REFERENCES teams(id) ON DELETE SET NULL,"
  "  version INTEGER NOT NULL DEFAULT 1,"
  "  last_preview TEXT,"
  "  last_direction TEXT,"
  "  last_at INTEGER,"
  "  activity_at INTEGER NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  first_response_at INTEGER,"
  "  resolved_at INTEGER,"
  "  window_expires_at INTEGER,"
  "  referral TEXT,"
  "  queued_at INTEGER,"
  "  reassign_due_at INTEGER);"
  "CREATE INDEX conversations_thread ON conversations(contact_id, channel_id, created_at);"
  "CREATE INDEX conversations_activity ON conversations(activity_at DESC, id DESC);"
  "CREATE INDEX conversations_status ON conversations(status, activity_at DESC);"
  "CREATE INDEX conversations_team ON conversations(team_id, status);"
  "CREATE TABLE conversation_assignees ("
  "  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,"
  "  agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  assigned_at INTEGER NOT NULL,"
  "  via TEXT NOT NULL,"
  "  PRIMARY KEY (conversation_id, agent_id));"
  "CREATE INDEX conversation_assignees_agent ON conversation_assignees(agent_id);"
  "CREATE TABLE conversation_tags ("
  "  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,"
  "  tag TEXT NOT NULL,"
  "  position INTEGER NOT NULL,"
  "  PRIMARY KEY (conversation_id, tag));"
  "CREATE TABLE conversation_lapses ("
  "  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,"
  "  agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,"
  "  PRIMARY KEY (conversation_id, agent_id));"
  "CREATE TABLE messages ("
  "  n INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  id TEXT NOT NULL UNIQUE,"
  "  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,"
  "  channel_id TEXT NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  author_type TEXT NOT NULL,"
  "  author_id TEXT,"
  "  author_name TEXT NOT NULL,"
  "  body TEXT NOT NULL,"
  "  attachments TEXT,"
  "  external_id TEXT,"
  "  in_reply_to TEXT,"
  "  reactions TEXT,"
  "  status TEXT,"
  "  error TEXT,"
  "  activity TEXT,"
  "  created_at INTEGER NOT NULL);"
  "CREATE UNIQUE INDEX messages_external ON messages(channel_id, external_id)"
  "  WHERE external_id IS NOT NULL;"
  "CREATE INDEX messages_conversation ON messages(conversation_id, n);"
  "CREATE TABLE events ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  type TEXT NOT NULL,"
  "  at INTEGER NOT NULL,"
  "  agent_id TEXT,"
  "  data TEXT NOT NULL);"
  "CREATE INDEX events_at ON events(at);"
  "CREATE TABLE flows ("
  "  id TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  enabled INTEGER NOT NULL DEFAULT 1,"
  "  position INTEGER NOT NULL,"
  "  trigger TEXT NOT NULL,"
  "  steps TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL);"
  "CREATE TABLE schedules ("
  "  id TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  timezone TEXT NOT NULL,"
  "  weekly TEXT NOT NULL,"
  "  holidays TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL);",
  /* 2: team queues and no-reply timers are found without scanning */
  "ALTER TABLE conversations ADD COLUMN reassign_agent_id TEXT;"
  "CREATE INDEX conversations_queued ON conversations(queued_at)"
  "  WHERE queued_at IS NOT NULL;"
  "CREATE INDEX conversations_reassign ON conversations(reassign_due_at)"
  "  WHERE reassign_due_at IS NOT NULL;",
  /* 3: each agent's load (active conversations listing them) kept by the database itself,
   * so a team pick reads it instead of counting every assignment */
  "ALTER TABLE agents ADD COLUMN active_count INTEGER NOT NULL DEFAULT 0;"
  "UPDATE agents SET active_count = (SELECT COUNT(*) FROM conversation_assignees ca"
  "  JOIN conversations c ON c.id = ca.conversation_id"
  "  WHERE ca.agent_id = agents.id AND c.status <> 'resolved');"
  "CREATE TRIGGER assignee_added AFTER INSERT ON conversation_assignees"
  "  WHEN (SELECT status FROM conversations WHERE id = NEW.conversation_id) <> 'resolved'"
  "  BEGIN UPDATE agents SET active_count = active_count + 1 WHERE id = NEW.agent_id; END;"
  "CREATE TRIGGER assignee_removed AFTER DELETE ON conversation_assignees"
  "  WHEN (SELECT status FROM conversations WHERE id = OLD.conversation_id) <> 'resolved'"
  "  BEGIN UPDATE agents SET active_count = active_count - 1 WHERE id = OLD.agent_id; END;"
  "CREATE TRIGGER conversation_resolved AFTER UPDATE OF status ON conversations"
  "  WHEN OLD.status <> 'resolved' AND NEW.status = 'resolved'"
  "  BEGIN UPDATE agents SET active_count = active_count - 1 WHERE id IN"
  "  (SELECT agent_id FROM conversation_assignees WHERE conversation_id = NEW.id); END;"
  "CREATE TRIGGER conversation_reopened AFTER UPDATE OF status ON conversations"
  "  WHEN OLD.status = 'resolved' AND NEW.status <> 'resolved'"
  "  BEGIN UPDATE agents SET active_count = active_count + 1 WHERE id IN"
  "  (SELECT agent_id FROM conversation_assignees WHERE conversation_id = NEW.id); END;",
  /* 4: WhatsApp: numbers, raw webhook deliveries, the outbox, status log, media, templates */
  "ALTER TABLE channels ADD COLUMN phone_number_id TEXT;"
  "ALTER TABLE channels ADD COLUMN secrets TEXT;"
  "ALTER TABLE channels ADD COLUMN paused_reason TEXT;"
  "CREATE UNIQUE INDEX channels_phone_number ON channels(phone_number_id)"
  "  WHERE phone_number_id IS NOT NULL;"
  "ALTER TABLE contacts ADD COLUMN user_id TEXT;"
  "CREATE INDEX contacts_user_id ON contacts(user_id);"
  "CREATE TABLE contact_aliases ("
  "  wa_id TEXT PRIMARY KEY,"
  "  contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE);"
  "CREATE TABLE webhook_deliveries ("
  "  n INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  received_at INTEGER NOT NULL,"
  "  body TEXT NOT NULL,"
  "  app_secret_hash TEXT NOT NULL,"
  "  processed_at INTEGER);"
  "CREATE INDEX webhook_deliveries_pending ON webhook_deliveries(n)"
  "  WHERE processed_at IS NULL;"
  "CREATE TABLE outbox ("
  "  n INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,"
  "  message_id TEXT REFERENCES messages(id) ON DELETE CASCADE,"
  "  kind TEXT NOT NULL,"
  "  recipient TEXT NOT NULL,"
  "  payload TEXT NOT NULL,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  next_attempt_at INTEGER NOT NULL,"
  "  created_at INTEGER NOT NULL);"
  "CREATE INDEX outbox_due ON outbox(next_attempt_at);"
  "CREATE TABLE message_statuses ("
  "  n INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,"
  "  status TEXT NOT NULL,"
  "  at INTEGER NOT NULL,"
  "  detail TEXT);"
  "CREATE INDEX message_statuses_message ON message_statuses(message_id, n);"
  "CREATE TABLE media ("
  "  id TEXT PRIMARY KEY,"
  "  channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,"
  "  media_id TEXT NOT NULL,"
  "  mime_type TEXT,"
  "  sha256 TEXT,"
  "  filename TEXT,"
  "  file TEXT,"
  "  size INTEGER,"
  "  created_at INTEGER NOT NULL);"
  "CREATE TABLE templates ("
  "  channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,"
  "  name TEXT NOT NULL,"
  "  language TEXT NOT NULL,"
  "  status TEXT NOT NULL,"
  "  category TEXT,"
  "  components TEXT NOT NULL,"
  "  synced_at INTEGER NOT NULL,"
  "  PRIMARY KEY (channel_id, name, language));",
  /* 5: sessions: a token gets an id to be listed and revoked by, its last use (idle expiry)
   * and where it signed in from */
  "ALTER TABLE tokens ADD COLUMN id TEXT;"
  "ALTER TABLE tokens ADD COLUMN last_used_at INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE tokens ADD COLUMN address TEXT;"
  "ALTER TABLE tokens ADD COLUMN user_agent TEXT;"
  "UPDATE tokens SET id = 'ses_' || upper(hex(randomblob(13))), last_used_at = created_at;"
  "CREATE UNIQUE INDEX tokens_id ON tokens(id);"
  "CREATE INDEX tokens_last_used ON tokens(last_used_at);",
  /* 6: when each person's last reaction to a message was made (a removal leaves no
   * reaction): an older reaction event, a webhook replayed, changes nothing */
  "CREATE TABLE reaction_times ("
  "  message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,"
  "  reactor TEXT NOT NULL,"
  "  at INTEGER NOT NULL,"
  "  PRIMARY KEY (message_id, reactor));",
  /* 7: messages by kind and conversations by status, counted as they change: /metrics (which
   * anyone may read) no longer scans every message */
  "CREATE TABLE message_counts (kind TEXT PRIMARY KEY, n INTEGER NOT NULL);"
  "INSERT INTO message_counts (kind, n) SELECT kind, COUNT(*) FROM messages GROUP BY kind;"
  "CREATE TRIGGER message_counted AFTER INSERT ON messages BEGIN"
  "  INSERT INTO message_counts (kind, n) VALUES (NEW.kind, 1)"
  "    ON CONFLICT (kind) DO UPDATE SET n = n + 1;"
  "END;"
  "CREATE TRIGGER message_uncounted AFTER DELETE ON messages BEGIN"
  "  UPDATE message_counts SET n = n - 1 WHERE kind = OLD.kind;"
  "END;"
  "CREATE TABLE conversation_counts (status TEXT PRIMARY KEY, n INTEGER NOT NULL);"
  "INSERT INTO conversation_counts (status, n)"
  "  SELECT status, COUNT(*) FROM conversations GROUP BY status;"
  "CREATE TRIGGER conversation_counted AFTER INSERT ON conversations BEGIN"
  "  INSERT INTO conversation_counts (status, n) VALUES (NEW.status, 1)"
  "    ON CONFLICT (status) DO UPDATE SET n = n + 1;"
  "END;"
  "CREATE TRIGGER conversation_recounted AFTER UPDATE OF status ON conversations"
  "  WHEN OLD.status IS NOT NEW.status BEGIN"
  "  UPDATE conversation_counts SET n = n - 1 WHERE status = OLD.status;"
  "  INSERT INTO conversation_counts (status, n) VALUES (NEW.status, 1)"
  "    ON CONFLICT (status) DO UPDATE SET n = n + 1;"
  "END;"
  "CREATE TRIGGER conversation_uncounted AFTER DELETE ON conversations BEGIN"
  "  UPDATE conversation_counts SET n = n - 1 WHERE status = OLD.status;"
  "END;",
  /* 8: an agent's reply carries the id their app gave it: a repeat of the request finds
   * the message instead of sending it again, and the index lets only one through */
  "ALTER TABLE messages ADD COLUMN client_id TEXT;"
  "CREATE UNIQUE INDEX messages_client ON messages(author_id, client_id)"
  "  WHERE client_id IS NOT NULL;",
  /* 9: read state: each conversation counts its customer messages as they come, and each
   * agent's place in a thread is how many of them they have seen */
  "ALTER TABLE conversations ADD COLUMN inbound_count INTEGER NOT NULL DEFAULT 0;"
  "UPDATE conversations SET inbound_count = (SELECT COUNT(*) FROM messages m"
  "  WHERE m.conversation_id = conversations.id AND m.kind = 'inbound');"
  "CREATE TABLE conversation_seen ("
  "  agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,"
  "  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,"
  "  seen_count INTEGER NOT NULL,"
  "  PRIMARY KEY (agent_id, conversation_id));"
  "CREATE INDEX conversation_seen_conversation ON conversation_seen(conversation_id);"
  /* the counts of open and unread conversations read one index, not every open thread:
   * how many assignees each has is kept by the database itself */
  "ALTER TABLE conversations ADD COLUMN assignee_count INTEGER NOT NULL DEFAULT 0;"
  "UPDATE conversations SET assignee_count = (SELECT COUNT(*) FROM conversation_assignees a"
  "  WHERE a.conversation_id = conversations.id);"
  "CREATE TRIGGER conversation_assignee_added AFTER INSERT ON conversation_assignees BEGIN"
  "  UPDATE conversations SET assignee_count = assignee_count + 1"
  "    WHERE id = NEW.conversation_id;"
  "END;"
  "CREATE TRIGGER conversation_assignee_removed AFTER DELETE ON conversation_assignees BEGIN"
  "  UPDATE conversations SET assignee_count = assignee_count - 1"
  "    WHERE id = OLD.conversation_id;"
  "END;"
  "CREATE INDEX conversations_open_counts"
  "  ON conversations(status, team_id, inbound_count, assignee_count);",
  /* 10: full-text search, ignoring case and accents: the contacts' names and numbers, and
   * the text of the messages (not the activity lines, the server's own sentences). The
   * contacts' index keeps its own copy and is found by contact_id (a contact's rowid is not
   * stable: it has no INTEGER PRIMARY KEY); the messages' index reads the messages table. */
  "CREATE VIRTUAL TABLE contact_search USING fts5(contact_id UNINDEXED, name, phone, wa_id,"
  "  tokenize = 'unicode61 remove_diacritics 2');"
  "INSERT INTO contact_search (contact_id, name, phone, wa_id)"
  "  SELECT id, name, phone, wa_id FROM contacts;"
  "CREATE TRIGGER contact_searchable AFTER INSERT ON contacts BEGIN"
  "  INSERT INTO contact_search (contact_id, name, phone, wa_id)"
  "    VALUES (NEW.id, NEW.name, NEW.phone, NEW.wa_id);"
  "END;"
  "CREATE TRIGGER contact_research AFTER UPDATE OF name, phone, wa_id ON contacts"
  "  WHEN OLD.name IS NOT NEW.name OR OLD.phone IS NOT NEW.phone"
  "    OR OLD.wa_id IS NOT NEW.wa_id BEGIN"
  "  DELETE FROM contact_search WHERE contact_id = OLD.id;"
  "  INSERT INTO contact_search (contact_id, name, phone, wa_id)"
  "    VALUES (NEW.id, NEW.name, NEW.phone, NEW.wa_id);"
  "END;"
  "CREATE TRIGGER contact_unsearchable AFTER DELETE ON contacts BEGIN"
  "  DELETE FROM contact_search WHERE contact_id = OLD.id;"
  "END;"
  "CREATE VIRTUAL TABLE message_search USING fts5(body, conversation_id UNINDEXED,"
  "  content = 'messages', content_rowid = 'n',"
  "  tokenize = 'unicode61 remove_diacritics 2');"
  "INSERT INTO message_search (rowid, body)"
  "  SELECT n, body FROM messages WHERE kind <> 'activity';"
  "CREATE TRIGGER message_searchable AFTER INSERT ON messages"
  "  WHEN NEW.kind <> 'activity' BEGIN"
  "  INSERT INTO message_search (rowid, body) VALUES (NEW.n, NEW.body);"
  "END;"
  /* an external content index forgets a row by the values it indexed */
  "CREATE TRIGGER message_unsearchable AFTER DELETE ON messages"
  "  WHEN OLD.kind <> 'activity' BEGIN"
  "  INSERT INTO message_search (message_search, rowid, body)"
  "    VALUES ('delete', OLD.n, OLD.body);"
  "END;"
  "CREATE TRIGGER message_research AFTER UPDATE OF body, kind ON messages"
  "  WHEN OLD.body IS NOT NEW.body OR OLD.kind IS NOT NEW.kind BEGIN"
  "  INSERT INTO message_search (message_search, rowid, body)"
  "    SELECT 'delete', OLD.n, OLD.body WHERE OLD.kind <> 'activity';"
  "  INSERT INTO message_search (rowid, body)"
  "    SELECT NEW.n, NEW.body WHERE NEW.kind <> 'activity';"
  "END;",
  /* 11: canned replies, the workspace's (owner_id NULL) and each agent's own; a shortcut is
   * once in each of them (the domain also keeps personal ones apart from the workspace's) */
  "CREATE TABLE replies ("
  "  id TEXT PRIMARY KEY,"
  "  shortcut TEXT NOT NULL,"
  "  title TEXT NOT NULL,"
  "  body TEXT NOT NULL,"
  "  owner_id TEXT REFERENCES agents(id) ON DELETE CASCADE,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL);"
  "CREATE UNIQUE INDEX replies_shortcut ON replies(IFNULL(owner_id, ''), shortcut);",
  /* 12: files agents upload to send: whose they are, and the reply that carries them once
   * sent; unused ones expire. A row outlives its agent or message (set to NULL): its file
   * is deleted with it when it expires. */
  "CREATE TABLE uploads ("
  "  id TEXT PRIMARY KEY,"
  "  agent_id TEXT REFERENCES agents(id) ON DELETE SET NULL,"
  "  filename TEXT NOT NULL,"
  "  mime_type TEXT NOT NULL,"
  "  size INTEGER NOT NULL,"
  "  file TEXT NOT NULL,"
  "  message_id TEXT REFERENCES messages(id) ON DELETE SET NULL,"
  "  created_at INTEGER NOT NULL);"
  "CREATE INDEX uploads_unused ON uploads(created_at) WHERE message_id IS NULL;",
  /* 13: reports read a period's messages (replies, activity lines) by time instead of
   * scanning them all: a week's queries on a million messages took 1.3 s without it and
   * 0.2 s with it (tests/bench/bench-reports, on a loaded machine) */
  "CREATE INDEX messages_created ON messages(created_at);",
  /* 14: the inbox's lists by team and by assignee at 100,000 conversations. A team's list
   * walks its own conversations in the list's order (sorting a team's open ones took some
   * 50 ms, tests/bench/bench-inbox). Each assignment keeps its conversation's activity time,
   * so that an agent's list walks their own assignments in that order (walking every
   * conversation for a manager's few took 90–110 ms). */
  "CREATE INDEX conversations_team_activity ON conversations(team_id, activity_at DESC, id DESC);"
  "ALTER TABLE conversation_assignees ADD COLUMN activity_at INTEGER NOT NULL DEFAULT 0;"
  "UPDATE conversation_assignees SET activity_at = (SELECT c.activity_at FROM conversations c"
  "  WHERE c.id = conversation_assignees.conversation_id);"
  "CREATE TRIGGER conversation_assignee_activity AFTER INSERT ON conversation_assignees BEGIN"
  "  UPDATE conversation_assignees SET activity_at = (SELECT c.activity_at"
  "    FROM conversations c WHERE c.id = NEW.conversation_id)"
  "    WHERE conversation_id = NEW.conversation_id AND agent_id = NEW.agent_id;"
  "END;"
  "CREATE TRIGGER conversation_activity_moved AFTER UPDATE OF activity_at ON conversations"
  "  WHEN OLD.activity_at IS NOT NEW.activity_at BEGIN"
  "  UPDATE conversation_assignees SET activity_at = NEW.activity_at"
  "    WHERE conversation_id = NEW.id;"
  "END;"
  "CREATE INDEX conversation_assignees_agent_activity"
  "  ON conversation_assignees(agent_id, activity_at DESC, conversation_id DESC);"
  "DROP INDEX conversation_assignees_agent;",
  /* 15: the search index is written in batches (baton_store_search_catch_up). Written a row
   * at a time, FTS5 wrote a segment of its own for each message and each new contact (at
   * every statement's savepoint) and merged them over and over: a routed message committed
   * some 55 pages to the WAL, now 41. A new or edited row waits in a pending table; rows
   * indexed are taken out of the index as they were indexed (an external content index
   * forgets a row by the values it indexed). */
  "CREATE TABLE message_search_pending (n INTEGER PRIMARY KEY);"
  "CREATE TABLE contact_search_pending (contact_id TEXT PRIMARY KEY) WITHOUT ROWID;"
  "DROP TRIGGER message_searchable;"
  "DROP TRIGGER message_unsearchable;"
  "DROP TRIGGER message_research;"
  "DROP TRIGGER contact_searchable;"
  "DROP TRIGGER contact_research;"
  "DROP TRIGGER contact_unsearchable;"
  "CREATE TRIGGER message_searchable AFTER INSERT ON messages"
  "  WHEN NEW.kind <> 'activity' BEGIN"
  "  INSERT INTO message_search_pending (n) VALUES (NEW.n);"
  "END;"
  "CREATE TRIGGER message_unsearchable AFTER DELETE ON messages"
  "  WHEN OLD.kind <> 'activity' BEGIN"
  "  INSERT INTO message_search (message_search, rowid, body)"
  "    SELECT 'delete', OLD.n, OLD.body"
  "    WHERE NOT EXISTS (SELECT 1 FROM message_search_pending WHERE n = OLD.n);"
  "  DELETE FROM message_search_pending WHERE n = OLD.n;"
  "END;"
  "CREATE TRIGGER message_research AFTER UPDATE OF body, kind ON messages"
  "  WHEN OLD.body IS NOT NEW.body OR OLD.kind IS NOT NEW.kind BEGIN"
  "  INSERT INTO message_search (message_search, rowid, body)"
  "    SELECT 'delete', OLD.n, OLD.body WHERE OLD.kind <> 'activity'"
  "    AND NOT EXISTS (SELECT 1 FROM message_search_pending WHERE n = OLD.n);"
  "  DELETE FROM message_search_pending WHERE n = OLD.n;"
  "  INSERT INTO message_search_pending (n) SELECT NEW.n WHERE NEW.kind <> 'activity';"
  "END;"
  "CREATE TRIGGER contact_searchable AFTER INSERT ON contacts BEGIN"
  "  INSERT INTO contact_search_pending (contact_id) VALUES (NEW.id);"
  "END;"
  "CREATE TRIGGER contact_research AFTER UPDATE OF name, phone, wa_id ON contacts"
  "  WHEN OLD.name IS NOT NEW.name OR OLD.phone IS NOT NEW.phone"
  "    OR OLD.wa_id IS NOT NEW.wa_id BEGIN"
  "  DELETE FROM contact_search WHERE contact_id = OLD.id"
  "    AND NOT EXISTS (SELECT 1 FROM contact_search_pending WHERE contact_id = OLD.id);"
  "  INSERT OR IGNORE INTO contact_search_pending (contact_id) VALUES (NEW.id);"
  "END;"
  "CREATE TRIGGER contact_unsearchable AFTER DELETE ON contacts BEGIN"
  "  DELETE FROM contact_search WHERE contact_id = OLD.id;"
  "  DELETE FROM contact_search_pending WHERE contact_id = OLD.id;"
  "END;",
  /* 16: an assignment is its agent's latest (round robin and least busy read it), kept by
   * the database itself: one statement less for each assignment */
  "CREATE TRIGGER assignee_last_assigned AFTER INSERT ON conversation_assignees BEGIN"
  "  UPDATE agents SET last_assigned_at = NEW.assigned_at WHERE id = NEW.agent_id;"
  "END;",
};

static void
set_sqlite_error (GError     **error,
                  sqlite3     *db,
                  const char  *what)
{
  int code = sqlite3_extended_errcode (db);

  if ((code & 0xff) == SQLITE_CONSTRAINT)
    g_set_error (error, BATON_ERROR, BATON_ERROR_CONFLICT, "%s: %s", what, sqlite3_errmsg (db));
  else
    g_set_error (error, BATON_ERROR, BATON_ERROR_INTERNAL, "%s: %s", what, sqlite3_errmsg (db));
}

static gboolean
exec_script (BatonStoreSqlite  *self,
             const char        *sql,
             GError           **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, self->db, "SQL");
      return FALSE;
    }
  return TRUE;
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

/* The statement for sql from the cache, or newly prepared and kept. */
static sqlite3_stmt *
cached_statement (BatonStoreSqlite  *self,
                  const char        *sql,
                  GError           **error)
{
  sqlite3_stmt *stmt = baton_statement_cache_lookup (self->statements, sql);

  if (stmt)
    return stmt;
  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL)
      != SQLITE_OK)
    {
      set_sqlite_error (error, self->db, "Prepare");
      return NULL;
    }
  baton_statement_cache_add (self->statements, sql, stmt);
  return stmt;
}

static sqlite3_stmt *
prepare (BatonStoreSqlite  *self,
         const char        *sql,
         const BatonValue  *params,
         guint              n_params,
         GError           **error)
{
  sqlite3_stmt *stmt = cached_statement (self, sql, error);

  if (stmt == NULL)
    return NULL;
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  for (guint i = 0; i < n_params; i++)
    {
      switch (params[i].type)
        {
        case BATON_VALUE_NULL:
          sqlite3_bind_null (stmt, (int) i + 1);
          break;
        case BATON_VALUE_INT:
          sqlite3_bind_int64 (stmt, (int) i + 1, params[i].i);
          break;
        case BATON_VALUE_TEXT:
          sqlite3_bind_text (stmt, (int) i + 1, params[i].s, -1, SQLITE_TRANSIENT);
          break;
        case BATON_VALUE_DOUBLE:
          sqlite3_bind_double (stmt, (int) i + 1, params[i].d);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  return stmt;
}

/* A statement without parameters or rows (BEGIN, SAVEPOINT, RELEASE, COMMIT …), kept
 * prepared: a change runs two and a turn two more, and compiling them each time cost as
 * much as the change's own INSERT. */
static gboolean
run_control (BatonStoreSqlite  *self,
             const char        *sql,
             GError           **error)
{
  sqlite3_stmt *stmt = cached_statement (self, sql, error);
  int rc = SQLITE_OK;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, "SQL");
      return FALSE;
    }
  return TRUE;
}

static BatonRows *
store_query (BatonStore        *store,
             const char        *sql,
             const BatonValue  *params,
             guint              n_params,
             GError           **error)
{
  BatonStoreSqlite *self = BATON_STORE_SQLITE (store);
  sqlite3_stmt *stmt = prepare (self, sql, params, n_params, error);
  g_autoptr(BatonRows) rows = NULL;
  int n_cols;
  int rc;

  if (stmt == NULL)
    return NULL;
  n_cols = sqlite3_column_count (stmt);
  rows = baton_rows_new ((guint) n_cols);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree BatonValue *cells = g_new0 (BatonValue, n_cols);

      for (int c = 0; c < n_cols; c++)
        {
          switch (sqlite3_column_type (stmt, c))
            {
            case SQLITE_NULL:
              cells[c].type = BATON_VALUE_NULL;
              break;
            case SQLITE_INTEGER:
              cells[c].type = BATON_VALUE_INT;
              cells[c].i = sqlite3_column_int64 (stmt, c);
              break;
            case SQLITE_FLOAT:
              cells[c].type = BATON_VALUE_DOUBLE;
              cells[c].d = sqlite3_column_double (stmt, c);
              break;
            default:
              cells[c].type = BATON_VALUE_TEXT;
              cells[c].s = g_strdup ((const char *) sqlite3_column_text (stmt, c));
              break;
            }
        }
      baton_rows_add (rows, cells);
    }
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, "Query");
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);
  return g_steal_pointer (&rows);
}

static gint64
store_exec (BatonStore        *store,
            const char        *sql,
            const BatonValue  *params,
            guint              n_params,
            GError           **error)
{
  BatonStoreSqlite *self = BATON_STORE_SQLITE (store);
  sqlite3_stmt *stmt = prepare (self, sql, params, n_params, error);
  int rc;

  if (stmt == NULL)
    return -1;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, "Statement");
      sqlite3_reset (stmt);
      return -1;
    }
  sqlite3_reset (stmt);
  return sqlite3_changes64 (self->db);
}

static gboolean
store_begin (BatonStore  *store,
             GError     **error)
{
  BatonStoreSqlite *self = BATON_STORE_SQLITE (store);

  g_return_val_if_fail (!self->in_transaction, FALSE);

  if (!run_control (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  self->in_transaction = TRUE;
  return TRUE;
}

static void sync_committed (BatonStoreSqlite *self);
static void sync_abandon   (BatonStoreSqlite *self,
                            const GError     *cause);

static gboolean
store_commit (BatonStore  *store,
              GError     **error)
{
  BatonStoreSqlite *self = BATON_STORE_SQLITE (store);
  g_autoptr(GError) local_error = NULL;
  guint64 n_commits = self->n_commits;

  g_return_val_if_fail (self->in_transaction, FALSE);

  self->in_transaction = FALSE;
  if (run_control (self, "COMMIT", &local_error))
    {
      sync_committed (self);
      return TRUE;
    }
  /* the commit hook may have counted it */
  self->n_commits = n_commits;
  exec_script (self, "ROLLBACK", NULL);
  sync_abandon (self, local_error);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static void
store_rollback (BatonStore *store)
{
  BatonStoreSqlite *self = BATON_STORE_SQLITE (store);

  if (!self->in_transaction)
    return;
  exec_script (self, "ROLLBACK", NULL);
  self->in_transaction = FALSE;
  sync_abandon (self, NULL);
}

static gboolean
store_savepoint (BatonStore  *store,
                 GError     **error)
{
  BatonStoreSqlite *self = BATON_STORE_SQLITE (store);

  g_return_val_if_fail (self->in_transaction, FALSE);

  return run_control (self, "SAVEPOINT step", error);
}

static gboolean
store_release (BatonStore  *store,
               GError     **error)
{
  return run_control (BATON_STORE_SQLITE (store), "RELEASE step", error);
}

static void
store_rollback_to (BatonStore *store)
{
  exec_script (BATON_STORE_SQLITE (store), "ROLLBACK TO step; RELEASE step", NULL);
}

static gboolean
store_in_transaction (BatonStore *store)
{
  return BATON_STORE_SQLITE (store)->in_transaction;
}

int
baton_store_sqlite_schema_version (BatonStoreSqlite *self)
{
  sqlite3_stmt *stmt = NULL;
  int version = 0;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

guint64
baton_store_sqlite_get_checkpoints (BatonStoreSqlite *self)
{
  return self->n_checkpoints;
}

int
baton_store_sqlite_latest_version (void)
{
  return G_N_ELEMENTS (migrations);
}

static gboolean
store_migrate (BatonStore  *store,
               GError     **error)
{
  BatonStoreSqlite *self = BATON_STORE_SQLITE (store);
  int version = baton_store_sqlite_schema_version (self);

  if (version > (int) G_N_ELEMENTS (migrations))
    {
      g_set_error (error, BATON_ERROR, BATON_ERROR_INTERNAL,
                   "The database has schema version %d; this batond knows up to %u. "
                   "Use a newer batond.", version, (guint) G_N_ELEMENTS (migrations));
      return FALSE;
    }
  for (int i = version; i < (int) G_N_ELEMENTS (migrations); i++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", i + 1);

      if (!run_control (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!exec_script (self, migrations[i], error) || !exec_script (self, bump, error))
        {
          exec_script (self, "ROLLBACK", NULL);
          g_prefix_error (error, "Migration %d: ", i + 1);
          return FALSE;
        }
      if (!exec_script (self, "COMMIT", error))
        return FALSE;
      g_debug ("Applied schema migration %d", i + 1);
    }
  return TRUE;
}

/* The durability barrier (baton-store-syncer.h).
 *
 * Commits run with synchronous = NORMAL: in WAL mode a commit is written to the -wal file
 * without an fsync, so it survives batond being killed but not a power cut. A sync makes
 * every commit written before it durable with one fdatasync of the -wal file.
 *
 * The file is opened once. SQLite keeps its inode while the database is open: a checkpoint
 * syncs the WAL before copying it into the database and syncs the database before the WAL
 * is reused, which happens in place (written again from its start, truncated to
 * journal_size_limit, or to zero by a TRUNCATE checkpoint); only closing the last
 * connection deletes it. Whatever a checkpoint moved was durable before it moved. */

typedef struct {
  int fd;
  /* the database's directory, synced once: the -wal file's entry is new */
  char *directory;
} SyncJob;

static void
sync_job_free (gpointer data)
{
  SyncJob *job = data;

  g_free (job->directory);
  g_free (job);
}

/* The WAL is checkpointed (copied into the database, which the checkpoint syncs, so that the
 * WAL can start again from its beginning) in a thread, on a connection of its own, rather
 * than by SQLite's automatic checkpoint, which would copy the 1,000 pages in a commit on
 * the main loop. It runs beside the syncs, never delaying their answers. The WAL starts
 * again only once a checkpoint has copied every frame, which one running beside commits
 * never does: the frames committed meanwhile are copied after the next commit on the main
 * connection, a few pages. */
static int
wal_hook_cb (void       *data,
             sqlite3    *db,
             const char *name,
             int         n_frames)
{
  BatonStoreSqlite *self = data;

  self->wal_frames = n_frames;
  return SQLITE_OK;
}

static sqlite3 *
open_checkpointer (BatonStoreSqlite *self)
{
  sqlite3 *db = NULL;

  if (sqlite3_open_v2 (self->path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      g_warning ("Cannot open %s to checkpoint it: %s", self->path,
                 db ? sqlite3_errmsg (db) : "out of memory");
      sqlite3_close_v2 (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, 5000);
  return db;
}

/* Copies what it can of the WAL into the database without waiting for writers. */
static void
checkpoint_passive (sqlite3 *db)
{
  int rc = sqlite3_wal_checkpoint_v2 (db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);

  if (rc != SQLITE_OK && rc != SQLITE_BUSY)
    g_warning ("Cannot checkpoint the database: %s", sqlite3_errmsg (db));
}

static void
checkpoint_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  checkpoint_passive (task_data);
  g_task_return_boolean (task, TRUE);
}

static void
checkpoint_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  BatonStoreSqlite *self = BATON_STORE_SQLITE (source);
  sqlite3 *db = g_task_get_task_data (G_TASK (result));

  self->checkpointing = FALSE;
  self->checkpoint_tail = TRUE;
  /* kept for the next checkpoint while the database is open */
  if (self->db && self->checkpointer == NULL)
    self->checkpointer = db;
  else
    sqlite3_close_v2 (db);
}

/* After a commit: the tail of the last checkpoint, or a new one in a thread. */
static void
checkpoint_start (BatonStoreSqlite *self)
{
  g_autoptr(GTask) task = NULL;
  sqlite3 *db = NULL;

  if (self->checkpointing)
    return;
  if (self->checkpoint_tail)
    {
      checkpoint_passive (self->db);
      self->checkpoint_tail = FALSE;
      self->n_checkpoints++;
      return;
    }
  if (self->wal_frames < CHECKPOINT_FRAMES)
    return;
  db = self->checkpointer ? g_steal_pointer (&self->checkpointer) : open_checkpointer (self);
  if (db == NULL)
    return;
  task = g_task_new (self, NULL, checkpoint_done_cb, NULL);
  g_task_set_source_tag (task, checkpoint_start);
  /* the connection comes back in checkpoint_done_cb */
  g_task_set_task_data (task, db, NULL);
  self->checkpointing = TRUE;
  g_task_run_in_thread (task, checkpoint_thread);
}

static int
commit_hook_cb (void *data)
{
  BatonStoreSqlite *self = data;

  self->n_commits++;
  return 0;
}

static gboolean
sync_fd (int          fd,
         GError     **error)
{
  if (fdatasync (fd) == 0)
    return TRUE;
  g_set_error (error, BATON_ERROR, BATON_ERROR_UNAVAILABLE,
               "The change may not be on disk: syncing the database failed: %s",
               g_strerror (errno));
  return FALSE;
}

static gboolean
sync_run (gpointer   data,
          GError   **error)
{
  SyncJob *job = data;

  if (job->directory)
    {
      int dir_fd = g_open (job->directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

      if (dir_fd >= 0)
        {
          fsync (dir_fd);
          g_close (dir_fd, NULL);
        }
    }
  return sync_fd (job->fd, error);
}

static gboolean
open_wal (BatonStoreSqlite  *self,
          GError           **error)
{
  const char *wal = sqlite3_filename_wal (sqlite3_db_filename (self->db, "main"));

  if (self->wal_fd >= 0)
    return TRUE;
  self->wal_fd = g_open (wal, O_RDONLY | O_CLOEXEC, 0);
  if (self->wal_fd < 0)
    {
      g_set_error (error, BATON_ERROR, BATON_ERROR_UNAVAILABLE,
                   "The change may not be on disk: cannot open %s: %s", wal,
                   g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

static gpointer
sync_prepare (GObject  *owner,
              GError  **error)
{
  BatonStoreSqlite *self = BATON_STORE_SQLITE (owner);
  SyncJob *job = NULL;

  if (self->db == NULL)
    {
      g_set_error_literal (error, BATON_ERROR, BATON_ERROR_UNAVAILABLE,
                           "The database is closed");
      return NULL;
    }
  if (!open_wal (self, error))
    return NULL;
  job = g_new0 (SyncJob, 1);
  job->fd = self->wal_fd;
  if (!self->directory_synced)
    job->directory = g_path_get_dirname (sqlite3_db_filename (self->db, "main"));
  return job;
}

static void
sync_done (GObject  *owner,
           gpointer  job,
           gboolean  synced)
{
  if (synced)
    BATON_STORE_SQLITE (owner)->directory_synced = TRUE;
  sync_job_free (job);
}

static guint64
count_commits (GObject *owner)
{
  return BATON_STORE_SQLITE (owner)->n_commits;
}

static const BatonStoreSyncerFuncs syncer_funcs = {
  count_commits, sync_prepare, sync_run, sync_done,
};

/* A transaction was committed. */
static void
sync_committed (BatonStoreSqlite *self)
{
  checkpoint_start (self);
  baton_store_syncer_committed (self->syncer);
}

/* A transaction was rolled back or failed to commit: those waiting for it fail. */
static void
sync_abandon (BatonStoreSqlite *self,
              const GError     *cause)
{
  baton_store_syncer_abandon (self->syncer, cause);
}

static BatonStoreSyncer *
store_syncer (BatonStore *store)
{
  return BATON_STORE_SQLITE (store)->syncer;
}

static void
store_close (BatonStore *store)
{
  BatonStoreSqlite *self = BATON_STORE_SQLITE (store);

  if (self->db == NULL)
    return;
  baton_statement_cache_clear (self->statements);
  if (self->checkpointer)
    sqlite3_close_v2 (g_steal_pointer (&self->checkpointer));
  /* Folds the WAL back into the database so the data dir is one file at rest. */
  if (!self->reader)
    sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
  sqlite3_close_v2 (self->db);
  self->db = NULL;
}

static gboolean
open_connection (BatonStoreSqlite  *self,
                 const char        *path,
                 int                flags,
                 GError           **error)
{
  self->path = g_strdup (path);
  if (sqlite3_open_v2 (path, &self->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      g_set_error (error, BATON_ERROR, BATON_ERROR_INTERNAL, "Cannot open %s: %s", path,
                   self->db ? sqlite3_errmsg (self->db) : "out of memory");
      return FALSE;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 5000);
  return TRUE;
}

/* In WAL mode a reader sees the last commit when its read began, never waits for the writer
 * and never blocks it. An in-memory database has no second connection. */
static BatonStore *
store_open_reader (BatonStore  *store,
                   GError     **error)
{
  BatonStoreSqlite *self = BATON_STORE_SQLITE (store);
  g_autoptr(BatonStoreSqlite) reader = NULL;

  if (self->path == NULL || self->path[0] == '\0' || g_str_equal (self->path, ":memory:"))
    return NULL;
  reader = g_object_new (BATON_TYPE_STORE_SQLITE, NULL);
  reader->reader = TRUE;
  if (!open_connection (reader, self->path, SQLITE_OPEN_READONLY, error)
      || !exec_script (reader, "PRAGMA query_only = ON;", error))
    return NULL;
  return BATON_STORE (g_steal_pointer (&reader));
}

static const char *
store_backend (BatonStore *store)
{
  return "sqlite";
}

static void
store_iface_init (BatonStoreInterface *iface)
{
  iface->migrate = store_migrate;
  iface->begin = store_begin;
  iface->commit = store_commit;
  iface->rollback = store_rollback;
  iface->in_transaction = store_in_transaction;
  iface->savepoint = store_savepoint;
  iface->release = store_release;
  iface->rollback_to = store_rollback_to;
  iface->query = store_query;
  iface->exec = store_exec;
  iface->close = store_close;
  iface->open_reader = store_open_reader;
  iface->syncer = store_syncer;
  iface->backend = store_backend;
}

static void
baton_store_sqlite_finalize (GObject *object)
{
  BatonStoreSqlite *self = BATON_STORE_SQLITE (object);

  store_close (BATON_STORE (self));
  g_clear_pointer (&self->statements, baton_statement_cache_free);
  g_free (self->path);
  g_clear_pointer (&self->syncer, baton_store_syncer_free);
  if (self->wal_fd >= 0)
    g_close (self->wal_fd, NULL);

  G_OBJECT_CLASS (baton_store_sqlite_parent_class)->finalize (object);
}

static void
baton_store_sqlite_class_init (BatonStoreSqliteClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = baton_store_sqlite_finalize;
}

static void
baton_store_sqlite_init (BatonStoreSqlite *self)
{
  self->statements = baton_statement_cache_new (BATON_STORE_SQLITE_MAX_STATEMENTS,
                                               finalize_statement);
  self->syncer = baton_store_syncer_new (G_OBJECT (self), &syncer_funcs);
  self->wal_fd = -1;
}

static gboolean
journal_is_wal (BatonStoreSqlite *self)
{
  sqlite3_stmt *stmt = NULL;
  gboolean wal = FALSE;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA journal_mode", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    wal = g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") == 0;
  sqlite3_finalize (stmt);
  return wal;
}

BatonStore *
baton_store_sqlite_open (const char  *path,
                         GError     **error)
{
  g_autoptr(BatonStoreSqlite) self = g_object_new (BATON_TYPE_STORE_SQLITE, NULL);

  if (!open_connection (self, path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, error))
    return NULL;
  /* temp_store: the savepoints' journals stay in memory instead of a file written for every
   * change of a batched turn */
  if (!exec_script (self, "PRAGMA journal_mode = WAL;"
                          "PRAGMA foreign_keys = ON;"
                          "PRAGMA temp_store = MEMORY;", error))
    return NULL;
  /* WAL: a commit survives the process being killed; NORMAL syncs only at checkpoints, and
   * the durability barrier for what is acknowledged. Without a WAL (an in-memory database)
   * each commit syncs itself. */
  self->wal = journal_is_wal (self);
  baton_store_syncer_set_each_durable (self->syncer, !self->wal);
  if (!exec_script (self, self->wal ? "PRAGMA synchronous = NORMAL"
                                    : "PRAGMA synchronous = FULL", error))
    return NULL;
  sqlite3_commit_hook (self->db, commit_hook_cb, self);
  if (self->wal)
    sqlite3_wal_hook (self->db, wal_hook_cb, self);
  return BATON_STORE (g_steal_pointer (&self));
}
