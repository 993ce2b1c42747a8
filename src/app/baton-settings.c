/* baton-settings.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-settings"

#include "config.h"

#include "baton-settings.h"

struct _BatonSettings
{
  GObject parent_instance;

  /* owned */
  GSettings *settings;

  /* state: mirrored from GSettings by g_settings_bind */
  gboolean notify_new_conversation;
  gboolean notify_assigned;
  gboolean notify_unassigned;
  gboolean notify_reassigned_away;
  gboolean notify_new_message;
  gboolean notify_reopened;
  gboolean notification_sound;
};

enum {
  PROP_0,
  PROP_NOTIFY_NEW_CONVERSATION,
  PROP_NOTIFY_ASSIGNED,
  PROP_NOTIFY_UNASSIGNED,
  PROP_NOTIFY_REASSIGNED_AWAY,
  PROP_NOTIFY_NEW_MESSAGE,
  PROP_NOTIFY_REOPENED,
  PROP_NOTIFICATION_SOUND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Property, GSettings key and notification kind, in one table. */
static const struct {
  guint prop;
  const char *name;
  const char *key;
  const char *kind;
  gsize offset;
} switches[] = {
  { PROP_NOTIFY_NEW_CONVERSATION, "notify-new-conversation", "notify-new-conversation",
    "new_conversation", G_STRUCT_OFFSET (BatonSettings, notify_new_conversation) },
  { PROP_NOTIFY_ASSIGNED, "notify-assigned", "notify-assigned", "assigned",
    G_STRUCT_OFFSET (BatonSettings, notify_assigned) },
  { PROP_NOTIFY_UNASSIGNED, "notify-unassigned", "notify-unassigned", "unassigned",
    G_STRUCT_OFFSET (BatonSettings, notify_unassigned) },
  { PROP_NOTIFY_REASSIGNED_AWAY, "notify-reassigned-away", "notify-reassigned-away",
    "reassigned_away", G_STRUCT_OFFSET (BatonSettings, notify_reassigned_away) },
  { PROP_NOTIFY_NEW_MESSAGE, "notify-new-message", "notify-new-message", "new_message",
    G_STRUCT_OFFSET (BatonSettings, notify_new_message) },
  { PROP_NOTIFY_REOPENED, "notify-reopened", "notify-reopened", "reopened",
    G_STRUCT_OFFSET (BatonSettings, notify_reopened) },
  { PROP_NOTIFICATION_SOUND, "notification-sound", "notification-sound", NULL,
    G_STRUCT_OFFSET (BatonSettings, notification_sound) },
};

G_DEFINE_FINAL_TYPE (BatonSettings, baton_settings, G_TYPE_OBJECT)

static gboolean *
field_of (BatonSettings *self,
          guint          prop_id)
{
  for (guint i = 0; i < G_N_ELEMENTS (switches); i++)
    if (switches[i].prop == prop_id)
      return &G_STRUCT_MEMBER (gboolean, self, switches[i].offset);
  g_return_val_if_reached (NULL);
}

static void
baton_settings_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  g_value_set_boolean (value, *field_of (BATON_SETTINGS (object), prop_id));
}

static void
baton_settings_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  BatonSettings *self = BATON_SETTINGS (object);
  gboolean *field = field_of (self, prop_id);

  if (*field == g_value_get_boolean (value))
    return;
  *field = g_value_get_boolean (value);
  g_object_notify_by_pspec (object, pspec);
}

static void
baton_settings_dispose (GObject *object)
{
  BatonSettings *self = BATON_SETTINGS (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (baton_settings_parent_class)->dispose (object);
}

static void
baton_settings_class_init (BatonSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = baton_settings_get_property;
  object_class->set_property = baton_settings_set_property;
  object_class->dispose = baton_settings_dispose;

  for (guint i = 0; i < G_N_ELEMENTS (switches); i++)
    properties[switches[i].prop] = g_param_spec_boolean (switches[i].name, NULL, NULL, TRUE,
                                                         G_PARAM_READWRITE
                                                         | G_PARAM_EXPLICIT_NOTIFY
                                                         | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
baton_settings_init (BatonSettings *self)
{
  self->settings = g_settings_new ("org.baton.Baton");
  for (guint i = 0; i < G_N_ELEMENTS (switches); i++)
    g_settings_bind (self->settings, switches[i].key, self, switches[i].name,
                     G_SETTINGS_BIND_DEFAULT);
}

BatonSettings *
baton_settings_new (void)
{
  return g_object_new (BATON_TYPE_SETTINGS, NULL);
}

GSettings *
baton_settings_get_gsettings (BatonSettings *self)
{
  g_return_val_if_fail (BATON_IS_SETTINGS (self), NULL);

  return self->settings;
}

gboolean
baton_settings_get_notify_kind (BatonSettings *self,
                                const char    *kind)
{
  g_return_val_if_fail (BATON_IS_SETTINGS (self), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (switches); i++)
    if (g_strcmp0 (switches[i].kind, kind) == 0)
      return G_STRUCT_MEMBER (gboolean, self, switches[i].offset);
  /* A kind this version does not know: better shown than lost. */
  return TRUE;
}

gboolean
baton_settings_get_notification_sound (BatonSettings *self)
{
  g_return_val_if_fail (BATON_IS_SETTINGS (self), FALSE);

  return self->notification_sound;
}

char *
baton_settings_dup_last_server_url (BatonSettings *self)
{
  g_return_val_if_fail (BATON_IS_SETTINGS (self), NULL);

  return g_settings_get_string (self->settings, "last-server-url");
}

char *
baton_settings_dup_last_email (BatonSettings *self)
{
  g_return_val_if_fail (BATON_IS_SETTINGS (self), NULL);

  return g_settings_get_string (self->settings, "last-email");
}

void
baton_settings_set_last_account (BatonSettings *self,
                                 const char    *server_url,
                                 const char    *email)
{
  g_return_if_fail (BATON_IS_SETTINGS (self));

  g_settings_set_string (self->settings, "last-server-url", server_url ? server_url : "");
  g_settings_set_string (self->settings, "last-email", email ? email : "");
}
