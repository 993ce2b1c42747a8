/* baton-directory.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-directory"

#include "config.h"

#include "baton-directory.h"

typedef enum {
  LIST_AGENTS,
  LIST_TEAMS,
  LIST_CHANNELS,
  LIST_REPLIES,
  N_LISTS
} ListKind;

/* One list: its entries in the server's order, and by id. */
typedef struct {
  GListStore *store;
  /* id → BatonDirectoryEntry, borrowed from store */
  GHashTable *by_id;
} List;

struct _BatonDirectory
{
  GObject parent_instance;

  /* borrowed: the client owns the directory */
  BatonClient *client;

  /* owned refs */
  List lists[N_LISTS];
  GCancellable *cancellable;
  /* events that came while a list loaded, applied again over its answer */
  GPtrArray *pending;

  /* state */
  guint loading;
  guint loaded_mask;
  gboolean loaded_offline;
};

enum {
  PROP_0,
  PROP_LOADED,
  N_PROPS
};

enum {
  CHANGED,
  LOAD_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BatonDirectory, baton_directory, G_TYPE_OBJECT)

/* What each list holds and how its GET ends. */
typedef GPtrArray *(*ListFinish) (BatonClient *, GAsyncResult *, GError **);

typedef void (*ListStart) (BatonClient *, GCancellable *, GAsyncReadyCallback, gpointer);
typedef gpointer (*ValueRead) (JsonNode *);

/* In the order of ListKind. */
static const struct {
  GType (*value_type) (void);
  ValueRead read;
  ListStart start;
  ListFinish finish;
} list_kinds[N_LISTS] = {
  { baton_agent_get_type, (ValueRead) baton_agent_from_json, baton_client_list_agents_async,
    baton_client_list_agents_finish },
  { baton_team_get_type, (ValueRead) baton_team_from_json, baton_client_list_teams_async,
    baton_client_list_teams_finish },
  { baton_channel_get_type, (ValueRead) baton_channel_from_json,
    baton_client_list_channels_async, baton_client_list_channels_finish },
  { baton_canned_reply_get_type, (ValueRead) baton_canned_reply_from_json,
    baton_client_list_replies_async, baton_client_list_replies_finish },
};

static GType
value_type_of (ListKind kind)
{
  return list_kinds[kind].value_type ();
}

static const char *
id_of (gpointer value)
{
  /* Agents, teams and channels all start with their id. */
  return *(char **) value;
}

static gpointer
lookup (BatonDirectory *self,
        ListKind        kind,
        const char     *id)
{
  BatonDirectoryEntry *entry = id ? g_hash_table_lookup (self->lists[kind].by_id, id) : NULL;

  if (entry == NULL)
    return NULL;
  return kind == LIST_AGENTS ? (gpointer) baton_directory_entry_get_agent (entry)
         : kind == LIST_TEAMS ? (gpointer) baton_directory_entry_get_team (entry)
         : kind == LIST_CHANNELS ? (gpointer) baton_directory_entry_get_channel (entry)
         : (gpointer) baton_directory_entry_get_reply (entry);
}

static void
changed (BatonDirectory *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Adds the value at the end, or replaces the entry of its id in place. */
static void
put (BatonDirectory *self,
     ListKind        kind,
     gpointer        value)
{
  List *list = &self->lists[kind];
  BatonDirectoryEntry *entry = g_hash_table_lookup (list->by_id, id_of (value));
  g_autoptr(BatonDirectoryEntry) added = NULL;

  if (entry)
    {
      baton_directory_entry_update (entry, value);
      return;
    }
  added = baton_directory_entry_new (value_type_of (kind), value);
  g_hash_table_insert (list->by_id, g_strdup (id_of (value)), added);
  g_list_store_append (list->store, added);
}

static void
drop (BatonDirectory *self,
      ListKind        kind,
      const char     *id)
{
  List *list = &self->lists[kind];
  BatonDirectoryEntry *entry = id ? g_hash_table_lookup (list->by_id, id) : NULL;
  guint position = 0;

  if (entry == NULL)
    return;
  if (g_list_store_find (list->store, entry, &position))
    g_list_store_remove (list->store, position);
  g_hash_table_remove (list->by_id, id);
}

/* The answer of a list's GET replaces it; entries keep their identity. */
static void
replace (BatonDirectory *self,
         ListKind        kind,
         GPtrArray      *values)
{
  List *list = &self->lists[kind];
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < values->len; i++)
    {
      gpointer value = values->pdata[i];
      BatonDirectoryEntry *entry = g_hash_table_lookup (list->by_id, id_of (value));

      if (g_hash_table_contains (by_id, id_of (value)))
        continue;
      if (entry)
        {
          baton_directory_entry_update (entry, value);
          g_object_ref (entry);
        }
      else
        entry = baton_directory_entry_new (value_type_of (kind), value);
      g_ptr_array_add (entries, entry);
      g_hash_table_insert (by_id, g_strdup (id_of (value)), entry);
    }
  g_clear_pointer (&list->by_id, g_hash_table_unref);
  list->by_id = g_steal_pointer (&by_id);
  g_list_store_splice (list->store, 0, g_list_model_get_n_items (G_LIST_MODEL (list->store)),
                       entries->pdata, entries->len);
}

/* Which list an event is about, or N_LISTS. */
static ListKind
list_of (BatonEventKind kind)
{
  switch (kind)
    {
    case BATON_EVENT_AGENT_UPDATED:
    case BATON_EVENT_AGENT_DELETED:
      return LIST_AGENTS;
    case BATON_EVENT_TEAM_CREATED:
    case BATON_EVENT_TEAM_UPDATED:
    case BATON_EVENT_TEAM_DELETED:
      return LIST_TEAMS;
    case BATON_EVENT_CHANNEL_UPDATED:
      return LIST_CHANNELS;
    case BATON_EVENT_REPLY_CREATED:
    case BATON_EVENT_REPLY_UPDATED:
    case BATON_EVENT_REPLY_DELETED:
      return LIST_REPLIES;
    default:
      return N_LISTS;
    }
}

/* TRUE when the event changed a list. */
static gboolean
apply_event (BatonDirectory *self,
             BatonEvent     *event)
{
  ListKind kind = list_of (baton_event_get_kind (event));
  gpointer value = NULL;

  if (kind == N_LISTS)
    return FALSE;
  if (baton_event_is_deletion (event))
    {
      drop (self, kind, baton_event_get_object_id (event));
      return TRUE;
    }
  value = list_kinds[kind].read (event->data);
  if (value == NULL)
    return FALSE;
  put (self, kind, value);
  g_boxed_free (value_type_of (kind), value);
  return TRUE;
}

typedef struct {
  BatonDirectory *self;
  ListKind kind;
} Load;

static void
list_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autofree Load *load = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) values = list_kinds[load->kind].finish (BATON_CLIENT (source), result,
                                                               &error);
  BatonDirectory *self = load->self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading--;
  if (values)
    {
      replace (self, load->kind, values);
      for (guint i = 0; i < self->pending->len; i++)
        if (list_of (baton_event_get_kind (self->pending->pdata[i])) == load->kind)
          apply_event (self, self->pending->pdata[i]);
      self->loaded_mask |= 1 << load->kind;
    }
  else
    g_signal_emit (self, signals[LOAD_FAILED], 0, error);
  if (self->loading == 0)
    g_ptr_array_set_size (self->pending, 0);
  if (values)
    changed (self);
  if (self->loaded_mask == (1 << N_LISTS) - 1)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

static void
clear (BatonDirectory *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->loading = 0;
  g_ptr_array_set_size (self->pending, 0);
  for (guint i = 0; i < N_LISTS; i++)
    {
      g_hash_table_remove_all (self->lists[i].by_id);
      g_list_store_remove_all (self->lists[i].store);
    }
}

static void
client_event_cb (BatonDirectory *self,
                 BatonEvent     *event)
{
  if (list_of (baton_event_get_kind (event)) == N_LISTS)
    return;
  if (self->loading > 0)
    g_ptr_array_add (self->pending, baton_event_ref (event));
  if (apply_event (self, event))
    changed (self);
}

/* The first connect of a stream starts live: what changed before it is read again. */
static void
client_state_cb (BatonDirectory *self)
{
  if (self->loaded_offline
      && baton_client_get_state (self->client) == BATON_CLIENT_STATE_ONLINE)
    baton_directory_reload (self);
}

static void
client_me_cb (BatonDirectory *self)
{
  if (baton_client_get_me (self->client) == NULL)
    {
      clear (self);
      self->loaded_mask = 0;
      changed (self);
      return;
    }
  baton_directory_reload (self);
}

static void
baton_directory_dispose (GObject *object)
{
  BatonDirectory *self = BATON_DIRECTORY (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  for (guint i = 0; i < N_LISTS; i++)
    {
      g_clear_pointer (&self->lists[i].by_id, g_hash_table_unref);
      g_clear_object (&self->lists[i].store);
    }
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  G_OBJECT_CLASS (baton_directory_parent_class)->dispose (object);
}

static void
baton_directory_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  BatonDirectory *self = BATON_DIRECTORY (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, baton_directory_get_loaded (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
baton_directory_class_init (BatonDirectoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = baton_directory_dispose;
  object_class->get_property = baton_directory_get_property;

  properties[PROP_LOADED] = g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                                                  G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY
                                                  | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[LOAD_FAILED] = g_signal_new ("load-failed", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                       G_TYPE_ERROR);
}

static void
baton_directory_init (BatonDirectory *self)
{
  for (guint i = 0; i < N_LISTS; i++)
    {
      self->lists[i].store = g_list_store_new (BATON_TYPE_DIRECTORY_ENTRY);
      self->lists[i].by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    }
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_event_unref);
}

BatonDirectory *
baton_directory_new (BatonClient *client)
{
  BatonDirectory *self = NULL;

  g_return_val_if_fail (BATON_IS_CLIENT (client), NULL);

  self = g_object_new (BATON_TYPE_DIRECTORY, NULL);
  self->client = client;
  g_signal_connect_object (client, "event", G_CALLBACK (client_event_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (client, "resync", G_CALLBACK (baton_directory_reload), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (client, "notify::state", G_CALLBACK (client_state_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (client, "notify::me", G_CALLBACK (client_me_cb), self,
                           G_CONNECT_SWAPPED);
  if (baton_client_get_me (client))
    baton_directory_reload (self);
  return self;
}

GListModel *
baton_directory_get_agents (BatonDirectory *self)
{
  g_return_val_if_fail (BATON_IS_DIRECTORY (self), NULL);

  return G_LIST_MODEL (self->lists[LIST_AGENTS].store);
}

GListModel *
baton_directory_get_teams (BatonDirectory *self)
{
  g_return_val_if_fail (BATON_IS_DIRECTORY (self), NULL);

  return G_LIST_MODEL (self->lists[LIST_TEAMS].store);
}

GListModel *
baton_directory_get_channels (BatonDirectory *self)
{
  g_return_val_if_fail (BATON_IS_DIRECTORY (self), NULL);

  return G_LIST_MODEL (self->lists[LIST_CHANNELS].store);
}

/* The workspace's canned replies and the signed-in agent's own, in the server's order
 * (shortcut) and then as they came. */
GListModel *
baton_directory_get_replies (BatonDirectory *self)
{
  g_return_val_if_fail (BATON_IS_DIRECTORY (self), NULL);

  return G_LIST_MODEL (self->lists[LIST_REPLIES].store);
}

BatonAgent *
baton_directory_lookup_agent (BatonDirectory *self,
                              const char     *agent_id)
{
  g_return_val_if_fail (BATON_IS_DIRECTORY (self), NULL);

  return lookup (self, LIST_AGENTS, agent_id);
}

BatonTeam *
baton_directory_lookup_team (BatonDirectory *self,
                             const char     *team_id)
{
  g_return_val_if_fail (BATON_IS_DIRECTORY (self), NULL);

  return lookup (self, LIST_TEAMS, team_id);
}

BatonChannel *
baton_directory_lookup_channel (BatonDirectory *self,
                                const char     *channel_id)
{
  g_return_val_if_fail (BATON_IS_DIRECTORY (self), NULL);

  return lookup (self, LIST_CHANNELS, channel_id);
}

BatonCannedReply *
baton_directory_lookup_reply (BatonDirectory *self,
                              const char     *reply_id)
{
  g_return_val_if_fail (BATON_IS_DIRECTORY (self), NULL);

  return lookup (self, LIST_REPLIES, reply_id);
}

gboolean
baton_directory_get_loaded (BatonDirectory *self)
{
  g_return_val_if_fail (BATON_IS_DIRECTORY (self), FALSE);

  return self->loaded_mask == (1 << N_LISTS) - 1;
}

void
baton_directory_reload (BatonDirectory *self)
{

  g_return_if_fail (BATON_IS_DIRECTORY (self));

  if (baton_client_get_me (self->client) == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->loaded_offline = baton_client_get_state (self->client) != BATON_CLIENT_STATE_ONLINE;
  /* Events queued for a load this one replaces are older than its answers: replayed after
   * them, they would bring back what was (an agent's load before a change). */
  g_ptr_array_set_size (self->pending, 0);
  self->loading = N_LISTS;
  for (ListKind kind = 0; kind < N_LISTS; kind++)
    {
      Load *load = g_new0 (Load, 1);

      load->self = self;
      load->kind = kind;
      list_kinds[kind].start (self->client, self->cancellable, list_loaded_cb, load);
    }
}
