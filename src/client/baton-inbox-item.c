/* baton-inbox-item.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-inbox-item"

#include "config.h"

#include "baton-inbox-item.h"

struct _BatonInboxItem
{
  GObject parent_instance;

  /* owned refs */
  BatonConversation *conversation;

  /* state: how many of the customer's messages the agent has seen */
  gint64 seen_count;
};

G_DEFINE_FINAL_TYPE (BatonInboxItem, baton_inbox_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONVERSATION,
  PROP_ID,
  PROP_CONTACT_NAME,
  PROP_CONTACT_PHONE,
  PROP_PREVIEW,
  PROP_DIRECTION,
  PROP_LAST_AT,
  PROP_STATUS,
  PROP_TEAM_ID,
  PROP_ASSIGNEE_IDS,
  PROP_TAGS,
  PROP_VERSION,
  PROP_WINDOW_EXPIRES_AT,
  PROP_UNREAD,
  PROP_SEEN_COUNT,
  PROP_UNREAD_COUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The time the row shows: the last message, or the last change when there is none (the list
 * sorts by the server's activity_at, which also moves on assignment). */
static gint64
shown_at (BatonConversation *conversation)
{
  if (conversation == NULL)
    return 0;
  return conversation->last_at > 0 ? conversation->last_at : conversation->updated_at;
}

static gint64
unread_count (BatonInboxItem *self)
{
  return MAX (0, self->conversation->inbound_count - self->seen_count);
}

/* After a change of inbound_count or seen_count: what follows from the unread count before */
static void
notify_unread (BatonInboxItem *self,
               gint64          old_unread)
{
  gint64 unread = unread_count (self);

  if (unread == old_unread)
    return;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNREAD_COUNT]);
  if ((unread > 0) != (old_unread > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNREAD]);
}

static gboolean
strv_equal (char **a,
            char **b)
{
  if (a == NULL || b == NULL)
    return (a == NULL || a[0] == NULL) && (b == NULL || b[0] == NULL);
  return g_strv_equal ((const char * const *) a, (const char * const *) b);
}

static void
baton_inbox_item_finalize (GObject *object)
{
  BatonInboxItem *self = BATON_INBOX_ITEM (object);

  g_clear_pointer (&self->conversation, baton_conversation_unref);

  G_OBJECT_CLASS (baton_inbox_item_parent_class)->finalize (object);
}

static void
baton_inbox_item_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  BatonInboxItem *self = BATON_INBOX_ITEM (object);
  BatonConversation *conversation = self->conversation;

  switch (prop_id)
    {
    case PROP_CONVERSATION:
      g_value_set_boxed (value, conversation);
      break;
    case PROP_ID:
      g_value_set_string (value, conversation->id);
      break;
    case PROP_CONTACT_NAME:
      g_value_set_string (value, conversation->contact_name);
      break;
    case PROP_CONTACT_PHONE:
      g_value_set_string (value, conversation->contact_phone);
      break;
    case PROP_PREVIEW:
      g_value_set_string (value, conversation->last_preview);
      break;
    case PROP_DIRECTION:
      g_value_set_string (value, conversation->last_direction);
      break;
    case PROP_LAST_AT:
      g_value_set_int64 (value, shown_at (conversation));
      break;
    case PROP_STATUS:
      g_value_set_string (value, baton_status_to_string (conversation->status));
      break;
    case PROP_TEAM_ID:
      g_value_set_string (value, conversation->team_id);
      break;
    case PROP_ASSIGNEE_IDS:
      g_value_set_boxed (value, conversation->assignee_ids);
      break;
    case PROP_TAGS:
      g_value_set_boxed (value, conversation->tags);
      break;
    case PROP_VERSION:
      g_value_set_int64 (value, conversation->version);
      break;
    case PROP_WINDOW_EXPIRES_AT:
      g_value_set_int64 (value, conversation->window_expires_at);
      break;
    case PROP_UNREAD:
      g_value_set_boolean (value, unread_count (self) > 0);
      break;
    case PROP_SEEN_COUNT:
      g_value_set_int64 (value, self->seen_count);
      break;
    case PROP_UNREAD_COUNT:
      g_value_set_int64 (value, unread_count (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
baton_inbox_item_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  BatonInboxItem *self = BATON_INBOX_ITEM (object);

  switch (prop_id)
    {
    case PROP_CONVERSATION:
      self->conversation = g_value_dup_boxed (value);
      break;
    case PROP_SEEN_COUNT:
      baton_inbox_item_set_seen_count (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
baton_inbox_item_class_init (BatonInboxItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags read_only = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = baton_inbox_item_finalize;
  object_class->get_property = baton_inbox_item_get_property;
  object_class->set_property = baton_inbox_item_set_property;

  properties[PROP_CONVERSATION] =
    g_param_spec_boxed ("conversation", NULL, NULL, BATON_TYPE_CONVERSATION,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, read_only);
  properties[PROP_CONTACT_NAME] = g_param_spec_string ("contact-name", NULL, NULL, NULL,
                                                       read_only);
  properties[PROP_CONTACT_PHONE] = g_param_spec_string ("contact-phone", NULL, NULL, NULL,
                                                        read_only);
  properties[PROP_PREVIEW] = g_param_spec_string ("preview", NULL, NULL, NULL, read_only);
  properties[PROP_DIRECTION] = g_param_spec_string ("direction", NULL, NULL, NULL, read_only);
  properties[PROP_LAST_AT] = g_param_spec_int64 ("last-at", NULL, NULL, 0, G_MAXINT64, 0,
                                                 read_only);
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL, read_only);
  properties[PROP_TEAM_ID] = g_param_spec_string ("team-id", NULL, NULL, NULL, read_only);
  properties[PROP_ASSIGNEE_IDS] = g_param_spec_boxed ("assignee-ids", NULL, NULL, G_TYPE_STRV,
                                                      read_only);
  properties[PROP_TAGS] = g_param_spec_boxed ("tags", NULL, NULL, G_TYPE_STRV, read_only);
  properties[PROP_VERSION] = g_param_spec_int64 ("version", NULL, NULL, 0, G_MAXINT64, 0,
                                                 read_only);
  properties[PROP_WINDOW_EXPIRES_AT] = g_param_spec_int64 ("window-expires-at", NULL, NULL, 0,
                                                           G_MAXINT64, 0, read_only);
  properties[PROP_UNREAD] = g_param_spec_boolean ("unread", NULL, NULL, FALSE, read_only);
  properties[PROP_SEEN_COUNT] =
    g_param_spec_int64 ("seen-count", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UNREAD_COUNT] = g_param_spec_int64 ("unread-count", NULL, NULL, 0, G_MAXINT64,
                                                      0, read_only);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
baton_inbox_item_init (BatonInboxItem *self)
{
}

BatonInboxItem *
baton_inbox_item_new (BatonConversation *conversation)
{
  g_return_val_if_fail (conversation != NULL, NULL);
  g_return_val_if_fail (conversation->id != NULL, NULL);

  return g_object_new (BATON_TYPE_INBOX_ITEM, "conversation", conversation, NULL);
}

BatonConversation *
baton_inbox_item_get_conversation (BatonInboxItem *self)
{
  g_return_val_if_fail (BATON_IS_INBOX_ITEM (self), NULL);

  return self->conversation;
}

void
baton_inbox_item_update (BatonInboxItem    *self,
                         BatonConversation *conversation)
{
  g_autoptr(BatonConversation) old = NULL;
  BatonConversation *new = conversation;
  GParamSpec *changed[N_PROPS];
  guint n_changed = 0;
  gint64 old_unread = 0;

  g_return_if_fail (BATON_IS_INBOX_ITEM (self));
  g_return_if_fail (conversation != NULL);
  g_return_if_fail (g_strcmp0 (conversation->id, self->conversation->id) == 0);

  if (conversation == self->conversation)
    return;
  old_unread = unread_count (self);
  old = g_steal_pointer (&self->conversation);
  self->conversation = baton_conversation_ref (conversation);

  if (g_strcmp0 (old->contact_name, new->contact_name) != 0)
    changed[n_changed++] = properties[PROP_CONTACT_NAME];
  if (g_strcmp0 (old->contact_phone, new->contact_phone) != 0)
    changed[n_changed++] = properties[PROP_CONTACT_PHONE];
  if (g_strcmp0 (old->last_preview, new->last_preview) != 0)
    changed[n_changed++] = properties[PROP_PREVIEW];
  if (g_strcmp0 (old->last_direction, new->last_direction) != 0)
    changed[n_changed++] = properties[PROP_DIRECTION];
  if (shown_at (old) != shown_at (new))
    changed[n_changed++] = properties[PROP_LAST_AT];
  if (old->status != new->status)
    changed[n_changed++] = properties[PROP_STATUS];
  if (g_strcmp0 (old->team_id, new->team_id) != 0)
    changed[n_changed++] = properties[PROP_TEAM_ID];
  if (!strv_equal (old->assignee_ids, new->assignee_ids))
    changed[n_changed++] = properties[PROP_ASSIGNEE_IDS];
  if (!strv_equal (old->tags, new->tags))
    changed[n_changed++] = properties[PROP_TAGS];
  if (old->version != new->version)
    changed[n_changed++] = properties[PROP_VERSION];
  if (old->window_expires_at != new->window_expires_at)
    changed[n_changed++] = properties[PROP_WINDOW_EXPIRES_AT];
  if (n_changed == 0 && old->inbound_count == new->inbound_count)
    return;

  /* One batch, so a row rebinding on "conversation" sees every field already new. */
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONVERSATION]);
  for (guint i = 0; i < n_changed; i++)
    g_object_notify_by_pspec (G_OBJECT (self), changed[i]);
  notify_unread (self, old_unread);
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
baton_inbox_item_get_id (BatonInboxItem *self)
{
  g_return_val_if_fail (BATON_IS_INBOX_ITEM (self), NULL);

  return self->conversation->id;
}

gint64
baton_inbox_item_get_last_at (BatonInboxItem *self)
{
  g_return_val_if_fail (BATON_IS_INBOX_ITEM (self), 0);

  return shown_at (self->conversation);
}

gboolean
baton_inbox_item_get_unread (BatonInboxItem *self)
{
  g_return_val_if_fail (BATON_IS_INBOX_ITEM (self), FALSE);

  return unread_count (self) > 0;
}

gint64
baton_inbox_item_get_unread_count (BatonInboxItem *self)
{
  g_return_val_if_fail (BATON_IS_INBOX_ITEM (self), 0);

  return unread_count (self);
}

gint64
baton_inbox_item_get_seen_count (BatonInboxItem *self)
{
  g_return_val_if_fail (BATON_IS_INBOX_ITEM (self), 0);

  return self->seen_count;
}

void
baton_inbox_item_set_seen_count (BatonInboxItem *self,
                                 gint64          seen_count)
{
  gint64 old_unread = 0;

  g_return_if_fail (BATON_IS_INBOX_ITEM (self));
  g_return_if_fail (seen_count >= 0);

  if (self->seen_count == seen_count)
    return;
  old_unread = unread_count (self);
  self->seen_count = seen_count;
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEEN_COUNT]);
  notify_unread (self, old_unread);
  g_object_thaw_notify (G_OBJECT (self));
}
