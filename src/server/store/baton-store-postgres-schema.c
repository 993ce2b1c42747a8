/* baton-store-postgres-schema.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-store-postgres-schema.h"

/* The SQLite backend's migrations (baton-store-sqlite.c) written for PostgreSQL 15: the same
 * tables, columns in the same order, constraints, indexes and trigger effects, so that the
 * SQL the aggregates share runs on both. INTEGER is BIGINT (times in milliseconds, counts,
 * 0/1 flags), an INTEGER PRIMARY KEY an identity. A SQLite trigger is a plpgsql function of
 * the same name and a trigger that runs it for each row; a WHEN with a subquery moves into
 * the function. Each migration runs once, in order, in its own transaction (the backend
 * records the version). Never edit a migration that has shipped: add the next one, here and
 * in the SQLite backend. From 17 on, the two number their migrations each for itself: what
 * only several nodes need is PostgreSQL's alone. */
/* The search index of the rows there are: migration 10, and a copied workspace */
#define CONTACT_SEARCH_BUILD \
  "INSERT INTO contact_search (contact_id, document)" \
  "  SELECT id, to_tsvector('simple', search_text(concat_ws(' ', name, phone, wa_id)))" \
  "  FROM contacts;"
#define MESSAGE_SEARCH_BUILD \
  "INSERT INTO message_search (n, conversation_id, document)" \
  "  SELECT n, conversation_id, to_tsvector('simple', search_text(body)) FROM messages" \
  "  WHERE kind <> 'activity';"

const char *const baton_store_postgres_search_build[] = {
  CONTACT_SEARCH_BUILD, MESSAGE_SEARCH_BUILD, NULL,
};

const char *const baton_store_postgres_migrations[] = {
  /* 1: the v1 schema. AUTOINCREMENT keys (messages.n, events.seq) are identities: like
   * AUTOINCREMENT they never hand out a number twice, but a transaction rolled back leaves
   * a gap. SQLite's json_group_array, which the shared SQL reads a row's lists with, is an
   * aggregate here: the values in the order they come, [] for none. */
  "CREATE AGGREGATE json_group_array (text) (SFUNC = array_append, STYPE = text[],"
  "  INITCOND = '{}', FINALFUNC = array_to_json);"
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
  "  last_assigned_at BIGINT NOT NULL DEFAULT 0,"
  "  created_at BIGINT NOT NULL,"
  "  updated_at BIGINT NOT NULL);"
  "CREATE TABLE tokens ("
  "  token_hash TEXT PRIMARY KEY,"
  "  agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,"
  "  created_at BIGINT NOT NULL);"
  "CREATE INDEX tokens_agent ON tokens(agent_id);"
  "CREATE TABLE teams ("
  "  id TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  strategy TEXT NOT NULL,"
  "  default_user_id TEXT REFERENCES agents(id) ON DELETE SET NULL,"
  "  backup_user_id TEXT REFERENCES agents(id) ON DELETE SET NULL,"
  "  only_online BIGINT NOT NULL DEFAULT 1,"
  "  max_active_per_agent BIGINT,"
  "  reassign_after_minutes BIGINT,"
  "  rr_cursor TEXT,"
  "  created_at BIGINT NOT NULL,"
  "  updated_at BIGINT NOT NULL);"
  "CREATE TABLE team_members ("
  "  team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,"
  "  agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,"
  "  position BIGINT NOT NULL,"
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
  "  created_at BIGINT NOT NULL,"
  "  updated_at BIGINT NOT NULL);"
  "CREATE TABLE contacts ("
  "  id TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  phone TEXT NOT NULL,"
  "  wa_id TEXT,"
  "  fields TEXT NOT NULL DEFAULT '{}',"
  "  created_at BIGINT NOT NULL,"
  "  last_inbound_at BIGINT);"
  "CREATE UNIQUE INDEX contacts_phone ON contacts(phone);"
  "CREATE INDEX contacts_wa_id ON contacts(wa_id);"
  "CREATE TABLE contact_tags ("
  "  contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,"
  "  tag TEXT NOT NULL,"
  "  position BIGINT NOT NULL,"
  "  PRIMARY KEY (contact_id, tag));"
  "CREATE TABLE contact_owners ("
  "  contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,"
  "  agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,"
  "  position BIGINT NOT NULL,"
  "  PRIMARY KEY (contact_id, agent_id));"
  "CREATE INDEX contact_owners_agent ON contact_owners(agent_id);"
  "CREATE TABLE conversations ("
  "  id TEXT PRIMARY KEY,"
  "  channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,"
  "  contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,"
  "  status TEXT NOT NULL,"
  "  team_id TEXT REFERENCES teams(id) ON DELETE SET NULL,"
  "  version BIGINT NOT NULL DEFAULT 1,"
  "  last_preview TEXT,"
  "  last_direction TEXT,"
  "  last_at BIGINT,"
  "  activity_at BIGINT NOT NULL,"
  "  created_at BIGINT NOT NULL,"
  "  updated_at BIGINT NOT NULL,"
  "  first_response_at BIGINT,"
  "  resolved_at BIGINT,"
  "  window_expires_at BIGINT,"
  "  referral TEXT,"
  "  queued_at BIGINT,"
  "  reassign_due_at BIGINT);"
  "CREATE INDEX conversations_thread ON conversations(contact_id, channel_id, created_at);"
  "CREATE INDEX conversations_activity ON conversations(activity_at DESC, id DESC);"
  "CREATE INDEX conversations_status ON conversations(status, activity_at DESC);"
  "CREATE INDEX conversations_team ON conversations(team_id, status);"
  "CREATE TABLE conversation_assignees ("
  "  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,"
  "  agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,"
  "  position BIGINT NOT NULL,"
  "  assigned_at BIGINT NOT NULL,"
  "  via TEXT NOT NULL,"
  "  PRIMARY KEY (conversation_id, agent_id));"
  "CREATE INDEX conversation_assignees_agent ON conversation_assignees(agent_id);"
  "CREATE TABLE conversation_tags ("
  "  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,"
  "  tag TEXT NOT NULL,"
  "  position BIGINT NOT NULL,"
  "  PRIMARY KEY (conversation_id, tag));"
  "CREATE TABLE conversation_lapses ("
  "  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,"
  "  agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,"
  "  PRIMARY KEY (conversation_id, agent_id));"
  "CREATE TABLE messages ("
  "  n BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
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
  "  created_at BIGINT NOT NULL);"
  "CREATE UNIQUE INDEX messages_external ON messages(channel_id, external_id)"
  "  WHERE external_id IS NOT NULL;"
  "CREATE INDEX messages_conversation ON messages(conversation_id, n);"
  "CREATE TABLE events ("
  "  seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  type TEXT NOT NULL,"
  "  at BIGINT NOT NULL,"
  "  agent_id TEXT,"
  "  data TEXT NOT NULL);"
  "CREATE INDEX events_at ON events(at);"
  "CREATE TABLE flows ("
  "  id TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  enabled BIGINT NOT NULL DEFAULT 1,"
  "  position BIGINT NOT NULL,"
  "  trigger TEXT NOT NULL,"
  "  steps TEXT NOT NULL,"
  "  created_at BIGINT NOT NULL,"
  "  updated_at BIGINT NOT NULL);"
  "CREATE TABLE schedules ("
  "  id TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  timezone TEXT NOT NULL,"
  "  weekly TEXT NOT NULL,"
  "  holidays TEXT NOT NULL,"
  "  created_at BIGINT NOT NULL,"
  "  updated_at BIGINT NOT NULL);",
  /* 2: team queues and no-reply timers are found without scanning */
  "ALTER TABLE conversations ADD COLUMN reassign_agent_id TEXT;"
  "CREATE INDEX conversations_queued ON conversations(queued_at)"
  "  WHERE queued_at IS NOT NULL;"
  "CREATE INDEX conversations_reassign ON conversations(reassign_due_at)"
  "  WHERE reassign_due_at IS NOT NULL;",
  /* 3: each agent's load (active conversations listing them) kept by the database itself.
   * PostgreSQL: the WHEN of assignee_added and assignee_removed holds a subquery, so it is
   * an IF in their functions. As in SQLite, an assignment deleted with its conversation (ON
   * DELETE CASCADE) finds no conversation and changes no count. */
  "ALTER TABLE agents ADD COLUMN active_count BIGINT NOT NULL DEFAULT 0;"
  "UPDATE agents SET active_count = (SELECT COUNT(*) FROM conversation_assignees ca"
  "  JOIN conversations c ON c.id = ca.conversation_id"
  "  WHERE ca.agent_id = agents.id AND c.status <> 'resolved');"
  "CREATE FUNCTION assignee_added() RETURNS trigger LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  IF (SELECT status FROM conversations WHERE id = NEW.conversation_id) <> 'resolved' THEN"
  "    UPDATE agents SET active_count = active_count + 1 WHERE id = NEW.agent_id;"
  "  END IF;"
  "  RETURN NULL;"
  "END $$;"
  "CREATE TRIGGER assignee_added AFTER INSERT ON conversation_assignees"
  "  FOR EACH ROW EXECUTE FUNCTION assignee_added();"
  "CREATE FUNCTION assignee_removed() RETURNS trigger LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  IF (SELECT status FROM conversations WHERE id = OLD.conversation_id) <> 'resolved' THEN"
  "    UPDATE agents SET active_count = active_count - 1 WHERE id = OLD.agent_id;"
  "  END IF;"
  "  RETURN NULL;"
  "END $$;"
  "CREATE TRIGGER assignee_removed AFTER DELETE ON conversation_assignees"
  "  FOR EACH ROW EXECUTE FUNCTION assignee_removed();"
  "CREATE FUNCTION conversation_resolved() RETURNS trigger LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  UPDATE agents SET active_count = active_count - 1 WHERE id IN"
  "    (SELECT agent_id FROM conversation_assignees WHERE conversation_id = NEW.id);"
  "  RETURN NULL;"
  "END $$;"
  "CREATE TRIGGER conversation_resolved AFTER UPDATE OF status ON conversations"
  "  FOR EACH ROW WHEN (OLD.status <> 'resolved' AND NEW.status = 'resolved')"
  "  EXECUTE FUNCTION conversation_resolved();"
  "CREATE FUNCTION conversation_reopened() RETURNS trigger LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  UPDATE agents SET active_count = active_count + 1 WHERE id IN"
  "    (SELECT agent_id FROM conversation_assignees WHERE conversation_id = NEW.id);"
  "  RETURN NULL;"
  "END $$;"
  "CREATE TRIGGER conversation_reopened AFTER UPDATE OF status ON conversations"
  "  FOR EACH ROW WHEN (OLD.status = 'resolved' AND NEW.status <> 'resolved')"
  "  EXECUTE FUNCTION conversation_reopened();",
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
  "  n BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  received_at BIGINT NOT NULL,"
  "  body TEXT NOT NULL,"
  "  app_secret_hash TEXT NOT NULL,"
  "  processed_at BIGINT);"
  "CREATE INDEX webhook_deliveries_pending ON webhook_deliveries(n)"
  "  WHERE processed_at IS NULL;"
  "CREATE TABLE outbox ("
  "  n BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,"
  "  message_id TEXT REFERENCES messages(id) ON DELETE CASCADE,"
  "  kind TEXT NOT NULL,"
  "  recipient TEXT NOT NULL,"
  "  payload TEXT NOT NULL,"
  "  attempts BIGINT NOT NULL DEFAULT 0,"
  "  next_attempt_at BIGINT NOT NULL,"
  "  created_at BIGINT NOT NULL);"
  "CREATE INDEX outbox_due ON outbox(next_attempt_at);"
  "CREATE TABLE message_statuses ("
  "  n BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,"
  "  status TEXT NOT NULL,"
  "  at BIGINT NOT NULL,"
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
  "  size BIGINT,"
  "  created_at BIGINT NOT NULL);"
  "CREATE TABLE templates ("
  "  channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,"
  "  name TEXT NOT NULL,"
  "  language TEXT NOT NULL,"
  "  status TEXT NOT NULL,"
  "  category TEXT,"
  "  components TEXT NOT NULL,"
  "  synced_at BIGINT NOT NULL,"
  "  PRIMARY KEY (channel_id, name, language));",
  /* 5: sessions: a token gets an id to be listed and revoked by, its last use (idle expiry)
   * and where it signed in from. PostgreSQL has no randomblob(): the 13 random bytes of an
   * existing session's id are the start of the SHA-256 of a random UUID, the same shape
   * ('ses_' and 26 upper-case hex digits). */
  "ALTER TABLE tokens ADD COLUMN id TEXT;"
  "ALTER TABLE tokens ADD COLUMN last_used_at BIGINT NOT NULL DEFAULT 0;"
  "ALTER TABLE tokens ADD COLUMN address TEXT;"
  "ALTER TABLE tokens ADD COLUMN user_agent TEXT;"
  "UPDATE tokens SET id = 'ses_'"
  "  || upper(encode(substr(sha256(uuid_send(gen_random_uuid())), 1, 13), 'hex')),"
  "  last_used_at = created_at;"
  "CREATE UNIQUE INDEX tokens_id ON tokens(id);"
  "CREATE INDEX tokens_last_used ON tokens(last_used_at);",
  /* 6: when each person's last reaction to a message was made (a removal leaves no
   * reaction): an older reaction event, a webhook replayed, changes nothing */
  "CREATE TABLE reaction_times ("
  "  message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,"
  "  reactor TEXT NOT NULL,"
  "  at BIGINT NOT NULL,"
  "  PRIMARY KEY (message_id, reactor));",
  /* 7: messages by kind and conversations by status, counted as they change. PostgreSQL:
   * "n = n + 1" in an upsert names the row already there (message_counts.n); SQLite's
   * "IS NOT" is IS DISTINCT FROM. */
  "CREATE TABLE message_counts (kind TEXT PRIMARY KEY, n BIGINT NOT NULL);"
  "INSERT INTO message_counts (kind, n) SELECT kind, COUNT(*) FROM messages GROUP BY kind;"
  "CREATE FUNCTION message_counted() RETURNS trigger LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  INSERT INTO message_counts (kind, n) VALUES (NEW.kind, 1)"
  "    ON CONFLICT (kind) DO UPDATE SET n = message_counts.n + 1;"
  "  RETURN NULL;"
  "END $$;"
  "CREATE TRIGGER message_counted AFTER INSERT ON messages"
  "  FOR EACH ROW EXECUTE FUNCTION message_counted();"
  "CREATE FUNCTION message_uncounted() RETURNS trigger LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  UPDATE message_counts SET n = n - 1 WHERE kind = OLD.kind;"
  "  RETURN NULL;"
  "END $$;"
  "CREATE TRIGGER message_uncounted AFTER DELETE ON messages"
  "  FOR EACH ROW EXECUTE FUNCTION message_uncounted();"
  "CREATE TABLE conversation_counts (status TEXT PRIMARY KEY, n BIGINT NOT NULL);"
  "INSERT INTO conversation_counts (status, n)"
  "  SELECT status, COUNT(*) FROM conversations GROUP BY status;"
  "CREATE FUNCTION conversation_counted() RETURNS trigger LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  INSERT INTO conversation_counts (status, n) VALUES (NEW.status, 1)"
  "    ON CONFLICT (status) DO UPDATE SET n = conversation_counts.n + 1;"
  "  RETURN NULL;"
  "END $$;"
  "CREATE TRIGGER conversation_counted AFTER INSERT ON conversations"
  "  FOR EACH ROW EXECUTE FUNCTION conversation_counted();"
  "CREATE FUNCTION conversation_recounted() RETURNS trigger LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  UPDATE conversation_counts SET n = n - 1 WHERE status = OLD.status;"
  "  INSERT INTO conversation_counts (status, n) VALUES (NEW.status, 1)"
  "    ON CONFLICT (status) DO UPDATE SET n = conversation_counts.n + 1;"
  "  RETURN NULL;"
  "END $$;"
  "CREATE TRIGGER conversation_recounted AFTER UPDATE OF status ON conversations"
  "  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)"
  "  EXECUTE FUNCTION conversation_recounted();"
  "CREATE FUNCTION conversation_uncounted() RETURNS trigger LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  UPDATE conversation_counts SET n = n - 1 WHERE status = OLD.status;"
  "  RETURN NULL;"
  "END $$;"
  "CREATE TRIGGER conversation_uncounted AFTER DELETE ON conversations"
  "  FOR EACH ROW EXECUTE FUNCTION conversation_uncounted();",
  /* 8: an agent's reply carries the id their app gave it: a repeat of the request finds
   * the message instead of sending it again, and the index lets only one through */
  "ALTER TABLE messages ADD COLUMN client_id TEXT;"
  "CREATE UNIQUE INDEX messages_client ON messages(author_id, client_id)"
  "  WHERE client_id IS NOT NULL;",
  /* 9: read state: each conversation counts its customer messages as they come, and each
   * agent's place in a thread is how many of them they have seen; how many assignees each
   * conversation has is kept by the database itself */
  "ALTER TABLE conversations ADD COLUMN inbound_count BIGINT NOT NULL DEFAULT 0;"
  "UPDATE conversations SET inbound_count = (SELECT COUNT(*) FROM messages m"
  "  WHERE m.conversation_id = conversations.id AND m.kind = 'inbound');"
  "CREATE TABLE conversation_seen ("
  "  agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,"
  "  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,"
  "  seen_count BIGINT NOT NULL,"
  "  PRIMARY KEY (agent_id, conversation_id));"
  "CREATE INDEX conversation_seen_conversation ON conversation_seen(conversation_id);"
  "ALTER TABLE conversations ADD COLUMN assignee_count BIGINT NOT NULL DEFAULT 0;"
  "UPDATE conversations SET assignee_count = (SELECT COUNT(*) FROM conversation_assignees a"
  "  WHERE a.conversation_id = conversations.id);"
  "CREATE FUNCTION conversation_assignee_added() RETURNS trigger LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  UPDATE conversations SET assignee_count = assignee_count + 1"
  "    WHERE id = NEW.conversation_id;"
  "  RETURN NULL;"
  "END $$;"
  "CREATE TRIGGER conversation_assignee_added AFTER INSERT ON conversation_assignees"
  "  FOR EACH ROW EXECUTE FUNCTION conversation_assignee_added();"
  "CREATE FUNCTION conversation_assignee_removed() RETURNS trigger LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  UPDATE conversations SET assignee_count = assignee_count - 1"
  "    WHERE id = OLD.conversation_id;"
  "  RETURN NULL;"
  "END $$;"
  "CREATE TRIGGER conversation_assignee_removed AFTER DELETE ON conversation_assignees"
  "  FOR EACH ROW EXECUTE FUNCTION conversation_assignee_removed();"
  "CREATE INDEX conversations_open_counts"
  "  ON conversations(status, team_id, inbound_count, assignee_count);",
  /* 10: full-text search, ignoring case and accents: the contacts' names and numbers, and
   * the text of the messages (not the activity lines, the server's own sentences).
   * PostgreSQL has no FTS5: each index is a table of tsvector documents with a GIN index,
   * kept by triggers. contact_search has a contact's name, phone and wa_id in one document;
   * message_search a message's body and its conversation_id (which FTS5 read from
   * messages), keyed by n. search_text() is how a text becomes words, as FTS5's unicode61
   * with remove_diacritics 2 does: lower case, unaccent, and every ASCII character that is
   * not a letter or a digit a space (else PostgreSQL's parser would keep "a.b@c.com",
   * "+33", "12-34", "3.14" or "/usr/bin" as one word, and drop "<b>"); the search's
   * queries must write their words through it too. A deleted contact or message leaves
   * its index by the foreign key (ON DELETE CASCADE): that is contact_unsearchable and
   * message_unsearchable, which have no trigger here. message_research also follows a
   * message's conversation_id, which FTS5 read from the messages table. Non-ASCII
   * separators are left to the parser, which reads them by the database's LC_CTYPE (in
   * a C-locale database every non-ASCII character is a letter): create it in a UTF-8
   * locale. unaccent is a trusted extension: a database owner may create it. */
  "CREATE EXTENSION IF NOT EXISTS unaccent;"
  "CREATE FUNCTION search_text(text) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$"
  "  SELECT regexp_replace(unaccent(lower($1)),"
  "    '[\\x01-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7f]+', ' ', 'g')"
  "$$;"
  "CREATE TABLE contact_search ("
  "  contact_id TEXT PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,"
  "  document tsvector NOT NULL);"
  "CREATE INDEX contact_search_document ON contact_search USING gin (document);"
  CONTACT_SEARCH_BUILD
  "CREATE FUNCTION contact_searchable() RETURNS trigger LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  INSERT INTO contact_search (contact_id, document) VALUES (NEW.id,"
  "    to_tsvector('simple', search_text(concat_ws(' ', NEW.name, NEW.phone, NEW.wa_id))));"
  "  RETURN NULL;"
  "END $$;"
  "CREATE TRIGGER contact_searchable AFTER INSERT ON contacts"
  "  FOR EACH ROW EXECUTE FUNCTION contact_searchable();"
  /* SQLite deletes the row and inserts it again: the same row, written once */
  "CREATE FUNCTION contact_research() RETURNS trigger LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  INSERT INTO contact_search (contact_id, document) VALUES (NEW.id,"
  "    to_tsvector('simple', search_text(concat_ws(' ', NEW.name, NEW.phone, NEW.wa_id))))"
  "    ON CONFLICT (contact_id) DO UPDATE SET document = excluded.document;"
  "  RETURN NULL;"
  "END $$;"
  "CREATE TRIGGER contact_research AFTER UPDATE OF name, phone, wa_id ON contacts"
  "  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name"
  "    OR OLD.phone IS DISTINCT FROM NEW.phone OR OLD.wa_id IS DISTINCT FROM NEW.wa_id)"
  "  EXECUTE FUNCTION contact_research();"
  "CREATE TABLE message_search ("
  "  n BIGINT PRIMARY KEY REFERENCES messages(n) ON DELETE CASCADE,"
  "  conversation_id TEXT NOT NULL,"
  "  document tsvector NOT NULL);"
  "CREATE INDEX message_search_document ON message_search USING gin (document);"
  MESSAGE_SEARCH_BUILD
  "CREATE FUNCTION message_searchable() RETURNS trigger LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  INSERT INTO message_search (n, conversation_id, document)"
  "    VALUES (NEW.n, NEW.conversation_id, to_tsvector('simple', search_text(NEW.body)));"
  "  RETURN NULL;"
  "END $$;"
  "CREATE TRIGGER message_searchable AFTER INSERT ON messages"
  "  FOR EACH ROW WHEN (NEW.kind <> 'activity')"
  "  EXECUTE FUNCTION message_searchable();"
  "CREATE FUNCTION message_research() RETURNS trigger LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  IF NEW.kind <> 'activity' THEN"
  "    INSERT INTO message_search (n, conversation_id, document)"
  "      VALUES (NEW.n, NEW.conversation_id, to_tsvector('simple', search_text(NEW.body)))"
  "      ON CONFLICT (n) DO UPDATE SET conversation_id = excluded.conversation_id,"
  "      document = excluded.document;"
  "  ELSE"
  "    DELETE FROM message_search WHERE n = OLD.n;"
  "  END IF;"
  "  RETURN NULL;"
  "END $$;"
  "CREATE TRIGGER message_research AFTER UPDATE OF body, kind, conversation_id ON messages"
  "  FOR EACH ROW WHEN (OLD.body IS DISTINCT FROM NEW.body"
  "    OR OLD.kind IS DISTINCT FROM NEW.kind"
  "    OR OLD.conversation_id IS DISTINCT FROM NEW.conversation_id)"
  "  EXECUTE FUNCTION message_research();",
  /* 11: canned replies, the workspace's (owner_id NULL) and each agent's own; a shortcut is
   * once in each of them (the domain also keeps personal ones apart from the workspace's).
   * PostgreSQL: COALESCE for IFNULL. */
  "CREATE TABLE replies ("
  "  id TEXT PRIMARY KEY,"
  "  shortcut TEXT NOT NULL,"
  "  title TEXT NOT NULL,"
  "  body TEXT NOT NULL,"
  "  owner_id TEXT REFERENCES agents(id) ON DELETE CASCADE,"
  "  created_at BIGINT NOT NULL,"
  "  updated_at BIGINT NOT NULL);"
  "CREATE UNIQUE INDEX replies_shortcut ON replies(COALESCE(owner_id, ''), shortcut);",
  /* 12: files agents upload to send: whose they are, and the reply that carries them once
   * sent; unused ones expire. A row outlives its agent or message (set to NULL). */
  "CREATE TABLE uploads ("
  "  id TEXT PRIMARY KEY,"
  "  agent_id TEXT REFERENCES agents(id) ON DELETE SET NULL,"
  "  filename TEXT NOT NULL,"
  "  mime_type TEXT NOT NULL,"
  "  size BIGINT NOT NULL,"
  "  file TEXT NOT NULL,"
  "  message_id TEXT REFERENCES messages(id) ON DELETE SET NULL,"
  "  created_at BIGINT NOT NULL);"
  "CREATE INDEX uploads_unused ON uploads(created_at) WHERE message_id IS NULL;",
  /* 13: reports read a period's messages (replies, activity lines) by time instead of
   * scanning them all */
  "CREATE INDEX messages_created ON messages(created_at);",
  /* 14: the inbox's lists by team and by assignee: each assignment keeps its conversation's
   * activity time, so that an agent's list walks their own assignments in that order.
   * PostgreSQL: conversation_assignee_activity runs BEFORE the insert and sets the new
   * row's activity_at, where SQLite's updates the row after it: the same row, written
   * once. */
  "CREATE INDEX conversations_team_activity ON conversations(team_id, activity_at DESC, id DESC);"
  "ALTER TABLE conversation_assignees ADD COLUMN activity_at BIGINT NOT NULL DEFAULT 0;"
  "UPDATE conversation_assignees SET activity_at = (SELECT c.activity_at FROM conversations c"
  "  WHERE c.id = conversation_assignees.conversation_id);"
  "CREATE FUNCTION conversation_assignee_activity() RETURNS trigger LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  NEW.activity_at := (SELECT c.activity_at FROM conversations c"
  "    WHERE c.id = NEW.conversation_id);"
  "  RETURN NEW;"
  "END $$;"
  "CREATE TRIGGER conversation_assignee_activity BEFORE INSERT ON conversation_assignees"
  "  FOR EACH ROW EXECUTE FUNCTION conversation_assignee_activity();"
  "CREATE FUNCTION conversation_activity_moved() RETURNS trigger LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  UPDATE conversation_assignees SET activity_at = NEW.activity_at"
  "    WHERE conversation_id = NEW.id;"
  "  RETURN NULL;"
  "END $$;"
  "CREATE TRIGGER conversation_activity_moved AFTER UPDATE OF activity_at ON conversations"
  "  FOR EACH ROW WHEN (OLD.activity_at IS DISTINCT FROM NEW.activity_at)"
  "  EXECUTE FUNCTION conversation_activity_moved();"
  "CREATE INDEX conversation_assignees_agent_activity"
  "  ON conversation_assignees(agent_id, activity_at DESC, conversation_id DESC);"
  "DROP INDEX conversation_assignees_agent;",
  /* 15: the search index is written in batches (baton_store_search_catch_up): a new or
   * edited row waits in a pending table. PostgreSQL: only the pending tables, of the same
   * shape, so that the SQL that empties them runs; they stay empty. The triggers of
   * migration 10 keep the indexes current as rows change: GIN's own pending list
   * (fastupdate, gin_pending_list_limit) batches the index's writes, which is what FTS5
   * needed the tables for. */
  "CREATE TABLE message_search_pending (n BIGINT PRIMARY KEY);"
  "CREATE TABLE contact_search_pending (contact_id TEXT PRIMARY KEY);",
  /* 16: an assignment is its agent's latest (round robin and least busy read it), kept by
   * the database itself */
  "CREATE FUNCTION assignee_last_assigned() RETURNS trigger LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  UPDATE agents SET last_assigned_at = NEW.assigned_at WHERE id = NEW.agent_id;"
  "  RETURN NULL;"
  "END $$;"
  "CREATE TRIGGER assignee_last_assigned AFTER INSERT ON conversation_assignees"
  "  FOR EACH ROW EXECUTE FUNCTION assignee_last_assigned();",
  /* 17 (PostgreSQL's own): a transaction that writes events wakes the other nodes at its
   * commit (PostgreSQL sends one notification of a kind per transaction) */
  "CREATE FUNCTION events_written() RETURNS trigger LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  PERFORM pg_notify('baton_events', '');"
  "  RETURN NULL;"
  "END $$;"
  "CREATE TRIGGER events_written AFTER INSERT ON events"
  "  FOR EACH STATEMENT EXECUTE FUNCTION events_written();",
  /* 18 (PostgreSQL's own): the nodes alive and the agents each holds online, the cluster's
   * presence (baton-store-nodes.h) */
  "CREATE TABLE nodes ("
  "  id TEXT PRIMARY KEY,"
  "  seen_at BIGINT NOT NULL);"
  "CREATE TABLE node_agents ("
  "  node_id TEXT NOT NULL,"
  "  agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,"
  "  PRIMARY KEY (node_id, agent_id));",
  /* 19 (PostgreSQL's own): work the nodes share. An outbox entry being sent is the sending
   * node's until claimed_until (baton_store_outbox_claim); a lease is one node's until it
   * lapses (baton_store_leases_take); a webhook stored wakes the other nodes, as events do,
   * since the node processing deliveries may be another. */
  "ALTER TABLE outbox ADD COLUMN claimed_by TEXT;"
  "ALTER TABLE outbox ADD COLUMN claimed_until BIGINT;"
  "CREATE TABLE leases ("
  "  name TEXT PRIMARY KEY,"
  "  node_id TEXT NOT NULL,"
  "  until BIGINT NOT NULL);"
  "CREATE TRIGGER deliveries_written AFTER INSERT ON webhook_deliveries"
  "  FOR EACH STATEMENT EXECUTE FUNCTION events_written();",
  /* 20 (PostgreSQL's own): failed sign-ins, counted by every node (baton-store-logins.h) */
  "CREATE TABLE login_failures ("
  "  key TEXT NOT NULL,"
  "  at BIGINT NOT NULL);"
  "CREATE INDEX login_failures_key ON login_failures(key, at);",
  /* 21 (PostgreSQL's own): sessions ended, as every node learns of them to close their
   * event streams (baton_store_nodes_revoked_after), whatever deleted the token */
  "CREATE TABLE token_revocations ("
  "  n BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
  "  token_hash TEXT NOT NULL,"
  "  at BIGINT NOT NULL);"
  "CREATE FUNCTION token_revoked() RETURNS trigger LANGUAGE plpgsql AS $$"
  "BEGIN"
  "  INSERT INTO token_revocations (token_hash, at)"
  "    VALUES (OLD.token_hash, (extract(epoch FROM clock_timestamp()) * 1000)::bigint);"
  "  RETURN NULL;"
  "END $$;"
  "CREATE TRIGGER token_revoked AFTER DELETE ON tokens"
  "  FOR EACH ROW EXECUTE FUNCTION token_revoked();",
  /* 22 (PostgreSQL's own): a WhatsApp number held after its throughput limit (130429), on
   * every node (baton_store_nodes_hold_number) */
  "CREATE TABLE number_holds ("
  "  channel_id TEXT PRIMARY KEY REFERENCES channels(id) ON DELETE CASCADE,"
  "  until BIGINT NOT NULL);",
  /* 23 (PostgreSQL's own): the durability barrier's write, a row added and deleted in the
   * synchronous commit that flushes the log (baton-store-postgres.c) */
  "CREATE TABLE store_syncs (backend INTEGER NOT NULL);",
};

const guint baton_store_postgres_n_migrations = G_N_ELEMENTS (baton_store_postgres_migrations);
