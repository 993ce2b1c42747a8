/* baton-directory-entry.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-directory-entry"

#include "config.h"

#include "baton-directory-entry.h"

struct _BatonDirectoryEntry
{
  GObject parent_instance;

  /* owned refs */
  GType value_type;
  gpointer value;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (BatonDirectoryEntry, baton_directory_entry, G_TYPE_OBJECT)

/* The four types share their first two members: id, then name (a reply's shortcut). */
typedef struct {
  char *id;
  char *name;
} Named;

G_STATIC_ASSERT (G_STRUCT_OFFSET (BatonAgent, id) == 0 && G_STRUCT_OFFSET (BatonTeam, id) == 0
                 && G_STRUCT_OFFSET (BatonChannel, id) == 0
                 && G_STRUCT_OFFSET (BatonCannedReply, id) == 0);
G_STATIC_ASSERT (G_STRUCT_OFFSET (BatonAgent, name) == G_STRUCT_OFFSET (Named, name));
G_STATIC_ASSERT (G_STRUCT_OFFSET (BatonTeam, name) == G_STRUCT_OFFSET (Named, name));
G_STATIC_ASSERT (G_STRUCT_OFFSET (BatonChannel, name) == G_STRUCT_OFFSET (Named, name));
G_STATIC_ASSERT (G_STRUCT_OFFSET (BatonCannedReply, shortcut) == G_STRUCT_OFFSET (Named, name));

static void
baton_directory_entry_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  BatonDirectoryEntry *self = BATON_DIRECTORY_ENTRY (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, baton_directory_entry_get_id (self));
      break;
    case PROP_NAME:
      g_value_set_string (value, baton_directory_entry_get_name (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
baton_directory_entry_finalize (GObject *object)
{
  BatonDirectoryEntry *self = BATON_DIRECTORY_ENTRY (object);

  if (self->value)
    g_boxed_free (self->value_type, self->value);
  G_OBJECT_CLASS (baton_directory_entry_parent_class)->finalize (object);
}

static void
baton_directory_entry_class_init (BatonDirectoryEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = baton_directory_entry_get_property;
  object_class->finalize = baton_directory_entry_finalize;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL,
                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL,
                                               G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY
                                               | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
baton_directory_entry_init (BatonDirectoryEntry *self)
{
}

BatonDirectoryEntry *
baton_directory_entry_new (GType    value_type,
                           gpointer value)
{
  BatonDirectoryEntry *self = NULL;

  g_return_val_if_fail (value_type == BATON_TYPE_AGENT || value_type == BATON_TYPE_TEAM
                        || value_type == BATON_TYPE_CHANNEL
                        || value_type == BATON_TYPE_CANNED_REPLY, NULL);
  g_return_val_if_fail (value != NULL, NULL);

  self = g_object_new (BATON_TYPE_DIRECTORY_ENTRY, NULL);
  self->value_type = value_type;
  self->value = g_boxed_copy (value_type, value);
  return self;
}

void
baton_directory_entry_update (BatonDirectoryEntry *self,
                              gpointer             value)
{
  gpointer old = NULL;
  gboolean renamed = FALSE;

  g_return_if_fail (BATON_IS_DIRECTORY_ENTRY (self));
  g_return_if_fail (value != NULL);

  old = self->value;
  if (old == value)
    return;
  renamed = g_strcmp0 (((Named *) old)->name, ((Named *) value)->name) != 0;
  self->value = g_boxed_copy (self->value_type, value);
  g_boxed_free (self->value_type, old);
  if (renamed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
baton_directory_entry_get_id (BatonDirectoryEntry *self)
{
  g_return_val_if_fail (BATON_IS_DIRECTORY_ENTRY (self), NULL);

  return ((Named *) self->value)->id;
}

const char *
baton_directory_entry_get_name (BatonDirectoryEntry *self)
{
  g_return_val_if_fail (BATON_IS_DIRECTORY_ENTRY (self), NULL);

  return ((Named *) self->value)->name;
}

BatonAgent *
baton_directory_entry_get_agent (BatonDirectoryEntry *self)
{
  g_return_val_if_fail (BATON_IS_DIRECTORY_ENTRY (self), NULL);

  return self->value_type == BATON_TYPE_AGENT ? self->value : NULL;
}

BatonTeam *
baton_directory_entry_get_team (BatonDirectoryEntry *self)
{
  g_return_val_if_fail (BATON_IS_DIRECTORY_ENTRY (self), NULL);

  return self->value_type == BATON_TYPE_TEAM ? self->value : NULL;
}

BatonChannel *
baton_directory_entry_get_channel (BatonDirectoryEntry *self)
{
  g_return_val_if_fail (BATON_IS_DIRECTORY_ENTRY (self), NULL);

  return self->value_type == BATON_TYPE_CHANNEL ? self->value : NULL;
}

BatonCannedReply *
baton_directory_entry_get_reply (BatonDirectoryEntry *self)
{
  g_return_val_if_fail (BATON_IS_DIRECTORY_ENTRY (self), NULL);

  return self->value_type == BATON_TYPE_CANNED_REPLY ? self->value : NULL;
}
