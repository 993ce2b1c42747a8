/* baton-message-item.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-message-item"

#include "config.h"

#include "baton-message-item.h"

struct _BatonMessageItem
{
  GObject parent_instance;

  /* owned refs */
  BatonMessage *message;

  /* how much of its files a local message has uploaded, -1 when none are on their way */
  double progress;
};

enum {
  PROP_0,
  PROP_MESSAGE,
  PROP_PROGRESS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (BatonMessageItem, baton_message_item, G_TYPE_OBJECT)

static void
baton_message_item_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  BatonMessageItem *self = BATON_MESSAGE_ITEM (object);

  switch (prop_id)
    {
    case PROP_MESSAGE:
      g_value_set_boxed (value, self->message);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
baton_message_item_finalize (GObject *object)
{
  BatonMessageItem *self = BATON_MESSAGE_ITEM (object);

  g_clear_pointer (&self->message, baton_message_unref);
  G_OBJECT_CLASS (baton_message_item_parent_class)->finalize (object);
}

static void
baton_message_item_class_init (BatonMessageItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = baton_message_item_get_property;
  object_class->finalize = baton_message_item_finalize;

  properties[PROP_MESSAGE] = g_param_spec_boxed ("message", NULL, NULL, BATON_TYPE_MESSAGE,
                                                 G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY
                                                 | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, -1, 1, -1,
                                                   G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY
                                                   | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
baton_message_item_init (BatonMessageItem *self)
{
  self->progress = -1;
}

BatonMessageItem *
baton_message_item_new (BatonMessage *message)
{
  BatonMessageItem *self = NULL;

  g_return_val_if_fail (message != NULL && message->id != NULL, NULL);

  self = g_object_new (BATON_TYPE_MESSAGE_ITEM, NULL);
  self->message = baton_message_ref (message);
  return self;
}

BatonMessage *
baton_message_item_get_message (BatonMessageItem *self)
{
  g_return_val_if_fail (BATON_IS_MESSAGE_ITEM (self), NULL);

  return self->message;
}

const char *
baton_message_item_get_id (BatonMessageItem *self)
{
  g_return_val_if_fail (BATON_IS_MESSAGE_ITEM (self), NULL);

  return self->message->id;
}

void
baton_message_item_update (BatonMessageItem *self,
                           BatonMessage     *message)
{
  g_return_if_fail (BATON_IS_MESSAGE_ITEM (self));
  g_return_if_fail (message != NULL);

  if (self->message == message)
    return;
  baton_message_ref (message);
  g_clear_pointer (&self->message, baton_message_unref);
  self->message = message;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

double
baton_message_item_get_progress (BatonMessageItem *self)
{
  g_return_val_if_fail (BATON_IS_MESSAGE_ITEM (self), -1);

  return self->progress;
}

void
baton_message_item_set_progress (BatonMessageItem *self,
                                 double            progress)
{
  g_return_if_fail (BATON_IS_MESSAGE_ITEM (self));

  progress = progress < 0 ? -1 : MIN (progress, 1);
  if (self->progress == progress)
    return;
  self->progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}
