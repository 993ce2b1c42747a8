/* baton-inbox.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-inbox"

#include "config.h"

#include "baton-client-private.h"
#include "baton-inbox.h"
#include "baton-json.h"
#include "baton-search.h"

#define DEFAULT_PAGE_SIZE 50
/* counts are asked again this long after the last event that may change them: one request
 * for a burst of events */
#define COUNTS_DELAY_MS 1000

struct _BatonInbox
{
  GObject parent_instance;

  /* owned refs */
  BatonClient *client;
  /* BatonInboxItem, newest activity first */
  GPtrArray *items;
  /* id → item, borrowed from items */
  GHashTable *by_id;
  /* id → BatonConversation: what events said while a page was on its way, newer than it */
  GHashTable *live;
  GCancellable *load_cancellable;
  /* read state: conversation id → BatonSeen (GET /me/seen, then seen.updated) */
  GHashTable *seen;
  GCancellable *seen_cancellable;
  /* GET /conversations/counts, as last answered, or NULL */
  BatonConversationCounts *counts;
  GCancellable *counts_cancellable;

  /* filters */
  BatonInboxScope scope;
  GStrv agent_ids;
  char *team_id;
  char *statuses;
  GStrv status_list;
  char *search;
  char *contact_id;
  /* the agent "mine" and "me" stand for */
  char *me_id;

  /* state */
  char *next_cursor;
  guint page_size;
  gboolean loading;
  gboolean loading_first_page;
  guint reload_id;
  guint counts_id;
  /* an event came while counts were on their way: ask again once they are here */
  gboolean counts_stale;
  /* the read state and the counts were asked for since the last sign-in or resync */
  gboolean read_state_loaded;
};

static void baton_inbox_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BatonInbox, baton_inbox, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      baton_inbox_list_model_init))

G_DEFINE_ENUM_TYPE (BatonInboxScope, baton_inbox_scope,
                    G_DEFINE_ENUM_VALUE (BATON_INBOX_ALL, "all"),
                    G_DEFINE_ENUM_VALUE (BATON_INBOX_MINE, "mine"),
                    G_DEFINE_ENUM_VALUE (BATON_INBOX_UNASSIGNED, "unassigned"))

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_LOADING,
  PROP_HAS_MORE,
  PROP_PAGE_SIZE,
  PROP_SCOPE,
  PROP_AGENT_IDS,
  PROP_TEAM_ID,
  PROP_STATUSES,
  PROP_SEARCH,
  PROP_COUNTS,
  PROP_CONTACT_ID,
  N_PROPS
};

enum {
  LOAD_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The server's order: activity_at, newest first, then id, highest first; the same field
 * live and after a reload, so an assignment moves a thread the same way both times. */
static int
compare_conversations (BatonConversation *a,
                       BatonConversation *b)
{
  if (a->activity_at != b->activity_at)
    return a->activity_at > b->activity_at ? -1 : 1;
  return -g_strcmp0 (a->id, b->id);
}

static int
compare_items (gconstpointer a,
               gconstpointer b)
{
  BatonInboxItem *item_a = *(BatonInboxItem * const *) a;
  BatonInboxItem *item_b = *(BatonInboxItem * const *) b;

  return compare_conversations (baton_inbox_item_get_conversation (item_a),
                                baton_inbox_item_get_conversation (item_b));
}

/* Where conversation goes in the list: before the first item that sorts after it. */
static guint
insertion_position (BatonInbox        *self,
                    BatonConversation *conversation)
{
  guint low = 0;
  guint high = self->items->len;

  while (low < high)
    {
      guint middle = low + (high - low) / 2;
      BatonInboxItem *item = self->items->pdata[middle];

      if (compare_conversations (baton_inbox_item_get_conversation (item), conversation) < 0)
        low = middle + 1;
      else
        high = middle;
    }
  return low;
}

static gboolean
find_position (BatonInbox     *self,
               BatonInboxItem *item,
               guint          *position)
{
  return g_ptr_array_find (self->items, item, position);
}

/* The server found words of the search in the name, number or some message; here only the
 * name, number and last message are known: a conversation listed stays, a newcomer joins
 * when they have every word. */
static gboolean
matches_search (BatonInbox        *self,
                BatonConversation *conversation,
                gboolean           listed)
{
  const char *texts[4] = { NULL };
  guint n = 0;

  if (self->search == NULL || listed)
    return TRUE;
  if (conversation->contact_name)
    texts[n++] = conversation->contact_name;
  if (conversation->contact_phone)
    texts[n++] = conversation->contact_phone;
  if (conversation->last_preview)
    texts[n++] = conversation->last_preview;
  return baton_search_matches (self->search, texts);
}

static gboolean
assigned_to_any (BatonInbox        *self,
                 BatonConversation *conversation)
{
  BatonAgent *me = baton_client_get_me (self->client);

  for (guint i = 0; self->agent_ids[i]; i++)
    {
      const char *id = self->agent_ids[i];

      if (g_str_equal (id, "me"))
        id = me ? me->id : NULL;
      if (id && baton_conversation_has_assignee (conversation, id))
        return TRUE;
    }
  return FALSE;
}

/* The filters of GET /conversations, evaluated here for what events bring. Without "me" the
 * scope mine cannot be judged: what is listed stays, nothing joins. */
static gboolean
matches (BatonInbox        *self,
         BatonConversation *conversation,
         gboolean           listed)
{
  BatonAgent *me = baton_client_get_me (self->client);

  switch (self->scope)
    {
    case BATON_INBOX_MINE:
      if (me == NULL)
        {
          if (!listed)
            return FALSE;
        }
      else if (!baton_conversation_has_assignee (conversation, me->id))
        {
          return FALSE;
        }
      break;
    case BATON_INBOX_UNASSIGNED:
      if (conversation->assignee_ids && conversation->assignee_ids[0])
        return FALSE;
      break;
    case BATON_INBOX_ALL:
    default:
      if (self->agent_ids && self->agent_ids[0] && !assigned_to_any (self, conversation))
        return FALSE;
      break;
    }
  if (self->team_id && g_strcmp0 (conversation->team_id, self->team_id) != 0)
    return FALSE;
  if (self->status_list
      && !g_strv_contains ((const char * const *) self->status_list,
                           baton_status_to_string (conversation->status)))
    return FALSE;
  if (self->contact_id && g_strcmp0 (conversation->contact_id, self->contact_id) != 0)
    return FALSE;
  return matches_search (self, conversation, listed);
}

static void
set_loading (BatonInbox *self,
             gboolean    loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
set_next_cursor (BatonInbox *self,
                 const char *cursor)
{
  gboolean had_more = self->next_cursor != NULL;

  g_free (self->next_cursor);
  self->next_cursor = cursor && *cursor ? g_strdup (cursor) : NULL;
  if (had_more != (self->next_cursor != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_MORE]);
}

static void
remove_at (BatonInbox *self,
           guint       position)
{
  BatonInboxItem *item = self->items->pdata[position];

  g_hash_table_remove (self->by_id, baton_inbox_item_get_id (item));
  g_ptr_array_remove_index (self->items, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

/* An item for the list, with the agent's read state of it. */
static BatonInboxItem *
item_new (BatonInbox        *self,
          BatonConversation *conversation)
{
  BatonInboxItem *item = baton_inbox_item_new (conversation);
  BatonSeen *seen = g_hash_table_lookup (self->seen, conversation->id);

  if (seen)
    baton_inbox_item_set_seen_count (item, seen->seen_count);
  return item;
}

typedef enum {
  APPLY_EVENT = 0,
  /* from the next page: it may go past the last item loaded */
  APPLY_EXTENDING = 1 << 0,
  /* the server listed it under the filters: no need to judge them here */
  APPLY_LISTED = 1 << 1,
} ApplyFlags;

/* Brings the list in line with one conversation. What sorts past the last item loaded waits
 * for its page, unless it comes with that page. */
static void
apply_conversation (BatonInbox        *self,
                    BatonConversation *conversation,
                    ApplyFlags         flags)
{
  BatonInboxItem *item = g_hash_table_lookup (self->by_id, conversation->id);
  gboolean more_pages = self->next_cursor != NULL && !(flags & APPLY_EXTENDING);
  gboolean listed = (flags & APPLY_LISTED) != 0;
  guint position = 0;
  guint new_position = 0;

  if (item == NULL)
    {
      BatonInboxItem *new_item = NULL;

      if (!listed && !matches (self, conversation, FALSE))
        return;
      position = insertion_position (self, conversation);
      if (more_pages && position == self->items->len)
        return;
      new_item = item_new (self, conversation);
      g_ptr_array_insert (self->items, position, new_item);
      g_hash_table_insert (self->by_id, g_strdup (conversation->id), new_item);
      g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
      return;
    }

  if (conversation->version < baton_inbox_item_get_conversation (item)->version)
    return;
  if (!find_position (self, item, &position))
    g_assert_not_reached ();
  if (!listed && !matches (self, conversation, TRUE))
    {
      remove_at (self, position);
      return;
    }

  /* Moved with one items_changed over the span it crosses: a selection model finds the same
   * item among the added ones and keeps it selected. */
  g_ptr_array_steal_index (self->items, position);
  baton_inbox_item_update (item, conversation);
  new_position = insertion_position (self, conversation);
  if (more_pages && new_position == self->items->len)
    {
      g_hash_table_remove (self->by_id, conversation->id);
      g_object_unref (item);
      g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
      return;
    }
  g_ptr_array_insert (self->items, new_position, item);
  if (new_position != position)
    {
      guint first = MIN (position, new_position);
      guint span = MAX (position, new_position) - first + 1;

      g_list_model_items_changed (G_LIST_MODEL (self), first, span, span);
    }
}

/* A conversation of a page, or what an event said of it since, if newer. */
static BatonConversation *
freshest (BatonInbox *self,
          JsonNode   *node,
          gboolean   *from_event)
{
  g_autoptr(BatonConversation) conversation = baton_conversation_from_json (node);
  BatonConversation *live = NULL;

  *from_event = FALSE;
  if (conversation == NULL)
    return NULL;
  live = g_hash_table_lookup (self->live, conversation->id);
  if (live && live->version >= conversation->version)
    {
      *from_event = TRUE;
      return baton_conversation_ref (live);
    }
  return g_steal_pointer (&conversation);
}

/* The first page replaces the list; items already shown are reused, updated. */
static void
replace_items (BatonInbox *self,
               JsonArray  *page)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer value = NULL;
  guint old_n = self->items->len;

  for (guint i = 0; page && i < json_array_get_length (page); i++)
    {
      gboolean from_event = FALSE;
      g_autoptr(BatonConversation) conversation =
        freshest (self, json_array_get_element (page, i), &from_event);
      BatonInboxItem *item = NULL;

      /* The server filtered the page; only what changed since is judged here. */
      if (conversation == NULL || g_hash_table_contains (by_id, conversation->id)
          || (from_event && !matches (self, conversation, TRUE)))
        continue;
      item = g_hash_table_lookup (self->by_id, conversation->id);
      if (item)
        baton_inbox_item_update (item, conversation);
      item = item ? g_object_ref (item) : item_new (self, conversation);
      g_ptr_array_add (items, item);
      g_hash_table_insert (by_id, g_strdup (conversation->id), item);
    }
  /* Conversations that events brought while the page was on its way. */
  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      BatonConversation *conversation = value;
      BatonInboxItem *item = NULL;

      if (g_hash_table_contains (by_id, conversation->id)
          || !matches (self, conversation, FALSE))
        continue;
      item = g_hash_table_lookup (self->by_id, conversation->id);
      if (item)
        baton_inbox_item_update (item, conversation);
      item = item ? g_object_ref (item) : item_new (self, conversation);
      g_ptr_array_add (items, item);
      g_hash_table_insert (by_id, g_strdup (conversation->id), item);
    }
  g_ptr_array_sort (items, compare_items);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  self->items = g_steal_pointer (&items);
  self->by_id = g_steal_pointer (&by_id);
  if (old_n > 0 || self->items->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, self->items->len);
}

static void
append_page (BatonInbox *self,
             JsonArray  *page)
{
  for (guint i = 0; page && i < json_array_get_length (page); i++)
    {
      gboolean from_event = FALSE;
      g_autoptr(BatonConversation) conversation =
        freshest (self, json_array_get_element (page, i), &from_event);

      if (conversation)
        apply_conversation (self, conversation,
                            APPLY_EXTENDING | (from_event ? APPLY_EVENT : APPLY_LISTED));
    }
}

static void
page_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = baton_client_call_finish (BATON_CLIENT (source), result, &error);
  BatonInbox *self = NULL;
  JsonObject *object = NULL;
  JsonNode *items = NULL;

  /* A newer load or dispose cancelled this one: self may be gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = BATON_INBOX (user_data);
  g_clear_object (&self->load_cancellable);
  if (error == NULL && (node == NULL || !JSON_NODE_HOLDS_OBJECT (node)))
    g_set_error (&error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_INVALID_RESPONSE,
                 "The server sent no list of conversations");
  if (error)
    {
      g_debug ("Cannot load conversations: %s", error->message);
      g_hash_table_remove_all (self->live);
      set_loading (self, FALSE);
      g_signal_emit (self, signals[LOAD_FAILED], 0, error);
      return;
    }

  object = json_node_get_object (node);
  items = json_object_get_member (object, "items");
  if (self->loading_first_page)
    replace_items (self, items && JSON_NODE_HOLDS_ARRAY (items) ? json_node_get_array (items)
                                                                 : NULL);
  else
    append_page (self, items && JSON_NODE_HOLDS_ARRAY (items) ? json_node_get_array (items)
                                                               : NULL);
  set_next_cursor (self, baton_json_get_string (object, "next_cursor"));
  g_hash_table_remove_all (self->live);
  set_loading (self, FALSE);
}

static void
append_param (GString    *path,
              const char *name,
              const char *value)
{
  g_autofree char *escaped = NULL;

  if (value == NULL || *value == '\0')
    return;
  escaped = g_uri_escape_string (value, ",", FALSE);
  g_string_append_printf (path, "&%s=%s", name, escaped);
}

static char *
build_path (BatonInbox *self,
            const char *cursor)
{
  GString *path = g_string_new (NULL);
  g_autofree char *agents = NULL;

  g_string_append_printf (path, "/conversations?limit=%u", self->page_size);
  if (self->scope == BATON_INBOX_MINE)
    append_param (path, "assignee", "me");
  else if (self->scope == BATON_INBOX_UNASSIGNED)
    append_param (path, "assignee", "none");
  else if (self->agent_ids && self->agent_ids[0])
    {
      agents = g_strjoinv (",", self->agent_ids);
      append_param (path, "assignee", agents);
    }
  append_param (path, "team", self->team_id);
  append_param (path, "status", self->statuses);
  append_param (path, "q", self->search);
  append_param (path, "contact", self->contact_id);
  append_param (path, "cursor", cursor);
  return g_string_free (path, FALSE);
}

/* The agent's read state of a conversation, as the server said it; it never goes back,
 * whatever order the list and the events arrive in. */
static void
apply_seen (BatonInbox *self,
            BatonSeen  *seen)
{
  BatonSeen *known = g_hash_table_lookup (self->seen, seen->conversation_id);
  BatonInboxItem *item = NULL;

  if (known && known->seen_count >= seen->seen_count)
    return;
  known = baton_seen_new (seen->conversation_id, seen->seen_count);
  g_hash_table_replace (self->seen, known->conversation_id, known);
  item = g_hash_table_lookup (self->by_id, seen->conversation_id);
  if (item)
    baton_inbox_item_set_seen_count (item, seen->seen_count);
}

static void
seen_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) seen = baton_client_list_seen_finish (BATON_CLIENT (source), result,
                                                             &error);
  BatonInbox *self = NULL;

  /* A newer load or dispose cancelled this one: self may be gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = BATON_INBOX (user_data);
  g_clear_object (&self->seen_cancellable);
  if (seen == NULL)
    {
      g_debug ("Cannot load the read state: %s", error->message);
      return;
    }
  for (guint i = 0; i < seen->len; i++)
    apply_seen (self, seen->pdata[i]);
}

static void
load_seen (BatonInbox *self)
{
  if (self->seen_cancellable)
    g_cancellable_cancel (self->seen_cancellable);
  g_clear_object (&self->seen_cancellable);
  self->seen_cancellable = g_cancellable_new ();
  baton_client_list_seen_async (self->client, self->seen_cancellable, seen_loaded_cb, self);
}

static void load_counts (BatonInbox *self);

static void
counts_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonConversationCounts) counts =
    baton_client_get_counts_finish (BATON_CLIENT (source), result, &error);
  BatonInbox *self = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = BATON_INBOX (user_data);
  g_clear_object (&self->counts_cancellable);
  if (counts)
    {
      g_clear_pointer (&self->counts, baton_conversation_counts_unref);
      self->counts = g_steal_pointer (&counts);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNTS]);
    }
  else
    {
      g_debug ("Cannot load the counts: %s", error->message);
    }
  if (self->counts_stale)
    load_counts (self);
}

/* One request at a time: what changes meanwhile asks again when it answers. */
static void
load_counts (BatonInbox *self)
{
  g_clear_handle_id (&self->counts_id, g_source_remove);
  self->counts_stale = self->counts_cancellable != NULL;
  if (self->counts_stale)
    return;
  self->counts_cancellable = g_cancellable_new ();
  baton_client_get_counts_async (self->client, self->counts_cancellable, counts_loaded_cb,
                                 self);
}

static void
counts_due_cb (gpointer user_data)
{
  BatonInbox *self = user_data;

  self->counts_id = 0;
  load_counts (self);
}

static void
queue_counts (BatonInbox *self)
{
  if (self->counts_id == 0)
    self->counts_id = g_timeout_add_once (COUNTS_DELAY_MS, counts_due_cb, self);
}

static void
start_load (BatonInbox *self,
            gboolean    first_page)
{
  g_autofree char *path = build_path (self, first_page ? NULL : self->next_cursor);

  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->load_cancellable)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  self->loading_first_page = first_page;
  g_hash_table_remove_all (self->live);
  set_loading (self, TRUE);
  baton_client_call_async (self->client, "GET", path, NULL, self->load_cancellable,
                           page_loaded_cb, self);
}

/* The read state and the counts do not depend on the filters: asked for with the first list
 * and on explicit reloads (online again, a resync), kept by events in between. */
static void
load_read_state (BatonInbox *self)
{
  self->read_state_loaded = TRUE;
  load_seen (self);
  /* after the list: the counts take the server longer than a page */
  queue_counts (self);
}

static void
reload_cb (gpointer user_data)
{
  BatonInbox *self = user_data;

  self->reload_id = 0;
  start_load (self, TRUE);
  if (!self->read_state_loaded)
    load_read_state (self);
}

/* Filters often change together: one reload for all of them, once they are set. */
static void
queue_reload (BatonInbox *self)
{
  /* At default priority, not idle: a GTK frame clock kept busy by an animation (a loading
   * spinner) would starve an idle source, and the list would never load. */
  if (self->reload_id == 0)
    self->reload_id = g_timeout_add_once (0, reload_cb, self);
  set_loading (self, TRUE);
}

static void
client_event_cb (BatonInbox *self,
                 BatonEvent *event)
{
  BatonEventKind kind = baton_event_get_kind (event);

  if (kind == BATON_EVENT_CONVERSATION_CREATED || kind == BATON_EVENT_CONVERSATION_UPDATED)
    {
      g_autoptr(BatonConversation) conversation = baton_conversation_from_json (event->data);
      BatonConversation *live = NULL;

      if (conversation == NULL)
        return;
      if (self->load_cancellable)
        {
          live = g_hash_table_lookup (self->live, conversation->id);
          if (live == NULL || live->version <= conversation->version)
            g_hash_table_replace (self->live, g_strdup (conversation->id),
                                  baton_conversation_ref (conversation));
        }
      /* a customer message raises inbound_count here: the conversation's event comes
       * before its message.created, in the same commit */
      apply_conversation (self, conversation, APPLY_EVENT);
      queue_counts (self);
    }
  else if (kind == BATON_EVENT_SEEN_UPDATED)
    {
      g_autoptr(BatonSeen) seen = baton_seen_from_json (event->data);

      if (seen)
        apply_seen (self, seen);
      queue_counts (self);
    }
  else if (kind == BATON_EVENT_TEAM_CREATED || kind == BATON_EVENT_TEAM_DELETED)
    {
      queue_counts (self);
    }
}

static void
client_resync_cb (BatonInbox *self)
{
  baton_inbox_reload (self);
}

/* "me" is renewed by every agent.updated about us; only another agent changes the lists. */
static void
client_me_changed_cb (BatonInbox *self)
{
  BatonAgent *me = baton_client_get_me (self->client);
  const char *me_id = me ? me->id : NULL;

  if (g_strcmp0 (self->me_id, me_id) == 0)
    return;
  g_free (self->me_id);
  self->me_id = g_strdup (me_id);
  if (self->scope == BATON_INBOX_MINE
      || (self->agent_ids && g_strv_contains ((const char * const *) self->agent_ids, "me")))
    queue_reload (self);
}

static GType
baton_inbox_get_item_type (GListModel *model)
{
  return BATON_TYPE_INBOX_ITEM;
}

static guint
baton_inbox_get_n_items (GListModel *model)
{
  return BATON_INBOX (model)->items->len;
}

static gpointer
baton_inbox_get_item (GListModel *model,
                      guint       position)
{
  BatonInbox *self = BATON_INBOX (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (self->items->pdata[position]);
}

static void
baton_inbox_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = baton_inbox_get_item_type;
  iface->get_n_items = baton_inbox_get_n_items;
  iface->get_item = baton_inbox_get_item;
}

static void
baton_inbox_constructed (GObject *object)
{
  BatonInbox *self = BATON_INBOX (object);

  G_OBJECT_CLASS (baton_inbox_parent_class)->constructed (object);

  if (baton_client_get_me (self->client))
    self->me_id = g_strdup (baton_client_get_me (self->client)->id);

  g_signal_connect_object (self->client, "event", G_CALLBACK (client_event_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "resync", G_CALLBACK (client_resync_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->client, "notify::me", G_CALLBACK (client_me_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
baton_inbox_dispose (GObject *object)
{
  BatonInbox *self = BATON_INBOX (object);

  g_clear_handle_id (&self->reload_id, g_source_remove);
  g_clear_handle_id (&self->counts_id, g_source_remove);
  if (self->load_cancellable)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  if (self->seen_cancellable)
    g_cancellable_cancel (self->seen_cancellable);
  g_clear_object (&self->seen_cancellable);
  if (self->counts_cancellable)
    g_cancellable_cancel (self->counts_cancellable);
  g_clear_object (&self->counts_cancellable);
  if (self->client)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);
  g_hash_table_remove_all (self->live);

  G_OBJECT_CLASS (baton_inbox_parent_class)->dispose (object);
}

static void
baton_inbox_finalize (GObject *object)
{
  BatonInbox *self = BATON_INBOX (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->live, g_hash_table_unref);
  g_clear_pointer (&self->seen, g_hash_table_unref);
  g_clear_pointer (&self->counts, baton_conversation_counts_unref);
  g_strfreev (self->agent_ids);
  g_free (self->team_id);
  g_free (self->statuses);
  g_strfreev (self->status_list);
  g_free (self->search);
  g_free (self->contact_id);
  g_free (self->me_id);
  g_free (self->next_cursor);

  G_OBJECT_CLASS (baton_inbox_parent_class)->finalize (object);
}

static void
baton_inbox_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  BatonInbox *self = BATON_INBOX (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_HAS_MORE:
      g_value_set_boolean (value, self->next_cursor != NULL);
      break;
    case PROP_PAGE_SIZE:
      g_value_set_uint (value, self->page_size);
      break;
    case PROP_SCOPE:
      g_value_set_enum (value, self->scope);
      break;
    case PROP_AGENT_IDS:
      g_value_set_boxed (value, self->agent_ids);
      break;
    case PROP_TEAM_ID:
      g_value_set_string (value, self->team_id);
      break;
    case PROP_STATUSES:
      g_value_set_string (value, self->statuses);
      break;
    case PROP_SEARCH:
      g_value_set_string (value, self->search);
      break;
    case PROP_COUNTS:
      g_value_set_boxed (value, self->counts);
      break;
    case PROP_CONTACT_ID:
      g_value_set_string (value, self->contact_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
baton_inbox_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  BatonInbox *self = BATON_INBOX (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_PAGE_SIZE:
      if (self->page_size != g_value_get_uint (value))
        {
          self->page_size = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_SCOPE:
      baton_inbox_set_scope (self, g_value_get_enum (value));
      break;
    case PROP_AGENT_IDS:
      baton_inbox_set_agent_ids (self, g_value_get_boxed (value));
      break;
    case PROP_TEAM_ID:
      baton_inbox_set_team_id (self, g_value_get_string (value));
      break;
    case PROP_STATUSES:
      baton_inbox_set_statuses (self, g_value_get_string (value));
      break;
    case PROP_SEARCH:
      baton_inbox_set_search (self, g_value_get_string (value));
      break;
    case PROP_CONTACT_ID:
      baton_inbox_set_contact_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
baton_inbox_class_init (BatonInboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags filter_flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY
                             | G_PARAM_STATIC_STRINGS;

  object_class->constructed = baton_inbox_constructed;
  object_class->dispose = baton_inbox_dispose;
  object_class->finalize = baton_inbox_finalize;
  object_class->get_property = baton_inbox_get_property;
  object_class->set_property = baton_inbox_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, BATON_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_MORE] =
    g_param_spec_boolean ("has-more", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAGE_SIZE] =
    g_param_spec_uint ("page-size", NULL, NULL, 1, 500, DEFAULT_PAGE_SIZE, filter_flags);
  properties[PROP_SCOPE] =
    g_param_spec_enum ("scope", NULL, NULL, BATON_TYPE_INBOX_SCOPE, BATON_INBOX_ALL,
                       filter_flags);
  properties[PROP_AGENT_IDS] =
    g_param_spec_boxed ("agent-ids", NULL, NULL, G_TYPE_STRV, filter_flags);
  properties[PROP_TEAM_ID] = g_param_spec_string ("team-id", NULL, NULL, NULL, filter_flags);
  properties[PROP_STATUSES] = g_param_spec_string ("statuses", NULL, NULL, NULL, filter_flags);
  properties[PROP_SEARCH] = g_param_spec_string ("search", NULL, NULL, NULL, filter_flags);
  properties[PROP_COUNTS] =
    g_param_spec_boxed ("counts", NULL, NULL, BATON_TYPE_CONVERSATION_COUNTS,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONTACT_ID] =
    g_param_spec_string ("contact-id", NULL, NULL, NULL, filter_flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[LOAD_FAILED] =
    g_signal_new ("load-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
baton_inbox_init (BatonInbox *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->live = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) baton_conversation_unref);
  self->seen = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                      (GDestroyNotify) baton_seen_free);
  self->page_size = DEFAULT_PAGE_SIZE;
  self->scope = BATON_INBOX_ALL;
}

BatonInbox *
baton_inbox_new (BatonClient *client)
{
  g_return_val_if_fail (BATON_IS_CLIENT (client), NULL);

  return g_object_new (BATON_TYPE_INBOX, "client", client, NULL);
}

BatonClient *
baton_inbox_get_client (BatonInbox *self)
{
  g_return_val_if_fail (BATON_IS_INBOX (self), NULL);

  return self->client;
}

void
baton_inbox_set_scope (BatonInbox      *self,
                       BatonInboxScope  scope)
{
  g_return_if_fail (BATON_IS_INBOX (self));
  g_return_if_fail (scope <= BATON_INBOX_UNASSIGNED);

  if (self->scope == scope)
    return;
  self->scope = scope;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCOPE]);
  queue_reload (self);
}

BatonInboxScope
baton_inbox_get_scope (BatonInbox *self)
{
  g_return_val_if_fail (BATON_IS_INBOX (self), BATON_INBOX_ALL);

  return self->scope;
}

void
baton_inbox_set_agent_ids (BatonInbox         *self,
                           const char * const *agent_ids)
{
  gboolean empty = agent_ids == NULL || agent_ids[0] == NULL;

  g_return_if_fail (BATON_IS_INBOX (self));

  if ((empty && self->agent_ids == NULL)
      || (!empty && self->agent_ids
          && g_strv_equal (agent_ids, (const char * const *) self->agent_ids)))
    return;
  g_clear_pointer (&self->agent_ids, g_strfreev);
  if (!empty)
    self->agent_ids = g_strdupv ((char **) agent_ids);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AGENT_IDS]);
  queue_reload (self);
}

void
baton_inbox_set_team_id (BatonInbox *self,
                         const char *team_id)
{
  g_return_if_fail (BATON_IS_INBOX (self));

  if (team_id && *team_id == '\0')
    team_id = NULL;
  if (g_strcmp0 (self->team_id, team_id) == 0)
    return;
  g_free (self->team_id);
  self->team_id = g_strdup (team_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEAM_ID]);
  queue_reload (self);
}

void
baton_inbox_set_statuses (BatonInbox *self,
                          const char *statuses)
{
  g_return_if_fail (BATON_IS_INBOX (self));

  if (statuses && *statuses == '\0')
    statuses = NULL;
  if (g_strcmp0 (self->statuses, statuses) == 0)
    return;
  g_free (self->statuses);
  g_strfreev (self->status_list);
  self->statuses = g_strdup (statuses);
  self->status_list = statuses ? g_strsplit (statuses, ",", -1) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUSES]);
  queue_reload (self);
}

void
baton_inbox_set_search (BatonInbox *self,
                        const char *text)
{
  g_return_if_fail (BATON_IS_INBOX (self));

  if (text && *text == '\0')
    text = NULL;
  if (g_strcmp0 (self->search, text) == 0)
    return;
  g_free (self->search);
  self->search = g_strdup (text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH]);
  queue_reload (self);
}

const char *
baton_inbox_get_search (BatonInbox *self)
{
  g_return_val_if_fail (BATON_IS_INBOX (self), NULL);

  return self->search;
}

void
baton_inbox_set_contact_id (BatonInbox *self,
                            const char *contact_id)
{
  g_return_if_fail (BATON_IS_INBOX (self));

  if (contact_id && *contact_id == '\0')
    contact_id = NULL;
  if (g_strcmp0 (self->contact_id, contact_id) == 0)
    return;
  g_free (self->contact_id);
  self->contact_id = g_strdup (contact_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTACT_ID]);
  queue_reload (self);
}

void
baton_inbox_reload (BatonInbox *self)
{
  g_return_if_fail (BATON_IS_INBOX (self));

  start_load (self, TRUE);
  load_read_state (self);
}

void
baton_inbox_load_more (BatonInbox *self)
{
  g_return_if_fail (BATON_IS_INBOX (self));

  if (self->next_cursor == NULL || self->loading)
    return;
  start_load (self, FALSE);
}

gboolean
baton_inbox_get_loading (BatonInbox *self)
{
  g_return_val_if_fail (BATON_IS_INBOX (self), FALSE);

  return self->loading;
}

gboolean
baton_inbox_get_has_more (BatonInbox *self)
{
  g_return_val_if_fail (BATON_IS_INBOX (self), FALSE);

  return self->next_cursor != NULL;
}

BatonInboxItem *
baton_inbox_lookup (BatonInbox *self,
                    const char *conversation_id)
{
  g_return_val_if_fail (BATON_IS_INBOX (self), NULL);
  g_return_val_if_fail (conversation_id != NULL, NULL);

  return g_hash_table_lookup (self->by_id, conversation_id);
}

/* GET /conversations/counts as last answered (asked again after the events that may change
 * it), or NULL before the first answer. */
BatonConversationCounts *
baton_inbox_get_counts (BatonInbox *self)
{
  g_return_val_if_fail (BATON_IS_INBOX (self), NULL);

  return self->counts;
}
