/* baton-contact-card.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-contact-card"

#include "config.h"

#include <glib/gi18n.h>

#include "baton-agent-row.h"
#include "baton-contact-card.h"
#include "baton-describe.h"
#include "baton-directory.h"
#include "baton-inbox.h"
#include "baton-toast.h"
#include "baton-widget-util.h"

struct _BatonContactCard
{
  AdwBin parent_instance;

  /* template widgets */
  AdwAvatar *avatar;
  GtkLabel *name_label;
  AdwEntryRow *name_row;
  AdwEntryRow *new_field_row;
  GtkListBox *history_list;
  AdwActionRow *phone_row;
  AdwActionRow *wa_id_row;
  GtkLabel *no_tags_label;
  GtkFlowBox *tags_box;
  GtkEntry *tag_entry;
  GtkLabel *tag_error_label;
  GtkListBox *fields_list;
  GtkPopover *owner_popover;
  GtkListBox *owners_list;
  GtkListBox *owner_picker_list;

  /* owned refs */
  BatonClient *client;
  GSignalGroup *client_signals;
  GSignalGroup *directory_signals;
  BatonContact *contact;
  /* the contact's conversations (but the one shown) */
  BatonInbox *history;
  GtkCustomFilter *history_filter;

  /* state */
  /* the conversation the card is shown beside, left out of the history */
  char *conversation_id;
  /* The contact shown, or being read while contact is still NULL. */
  char *contact_id;
  /* The contact's calls: cancelled with the widget, another client or another contact. */
  GCancellable *cancellable;
};

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_CONTACT_ID,
  PROP_CONTACT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void field_row_applied_cb (BatonContactCard *self,
                                  AdwEntryRow      *row);

G_DEFINE_FINAL_TYPE (BatonContactCard, baton_contact_card, ADW_TYPE_BIN)

/* Helpers */

static BatonDirectory *
directory (BatonContactCard *self)
{
  return self->client ? baton_client_get_directory (self->client) : NULL;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static GtkWidget *
new_tag_chip (const char *tag)
{
  GtkWidget *chip = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *label = gtk_label_new (tag);
  g_autofree char *tooltip = g_strdup_printf (_("Remove tag %s"), tag);
  GtkWidget *button = baton_remove_button_new ("contact.remove-tag", tag, tooltip);

  gtk_widget_set_margin_start (label, 10);
  gtk_widget_set_margin_end (label, 2);
  gtk_box_append (GTK_BOX (chip), label);
  gtk_box_append (GTK_BOX (chip), button);
  gtk_widget_add_css_class (chip, "card");
  gtk_widget_set_halign (chip, GTK_ALIGN_START);
  return chip;
}

/* Showing */

static void
update_actions (BatonContactCard *self)
{
  gboolean editable = self->contact != NULL && self->client != NULL;
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "contact.add-owner", editable);
  gtk_widget_action_set_enabled (widget, "contact.remove-owner", editable);
  gtk_widget_action_set_enabled (widget, "contact.add-tag", editable);
  gtk_widget_action_set_enabled (widget, "contact.remove-tag", editable);
  gtk_widget_action_set_enabled (widget, "contact.remove-field", editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->name_row), editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->new_field_row), editable);
}

static void
update_owners (BatonContactCard *self)
{
  BatonContact *contact = self->contact;
  BatonDirectory *people = directory (self);
  g_autoptr(GPtrArray) agents = baton_agents_by_name (people);

  baton_list_box_remove_all (self->owners_list);
  baton_list_box_remove_all (self->owner_picker_list);
  if (contact == NULL)
    return;
  baton_list_box_offer_agents (self->owner_picker_list, agents,
                               (const char * const *) contact->owner_ids, "contact.add-owner");
  for (guint i = 0; contact->owner_ids && contact->owner_ids[i]; i++)
    {
      const char *id = contact->owner_ids[i];
      GtkWidget *row = baton_agent_row_new (people ? baton_directory_lookup_agent (people, id)
                                                   : NULL);

      baton_agent_row_add_remove_button (BATON_AGENT_ROW (row), "contact.remove-owner", id);
      gtk_list_box_append (self->owners_list, row);
    }
}

static void
update_fields (BatonContactCard *self)
{
  GHashTable *fields = self->contact ? self->contact->fields : NULL;
  g_autofree char **keys = NULL;
  guint n_keys = 0;

  baton_list_box_remove_all (self->fields_list);
  if (fields)
    keys = (char **) g_hash_table_get_keys_as_array (fields, &n_keys);
  if (keys)
    g_qsort_with_data (keys, n_keys, sizeof (char *), compare_strings, NULL);
  for (guint i = 0; i < n_keys; i++)
    {
      GtkWidget *row = adw_entry_row_new ();
      g_autofree char *tooltip = g_strdup_printf (_("Remove field %s"), keys[i]);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), keys[i]);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      keys[i], -1);
      gtk_editable_set_text (GTK_EDITABLE (row), g_hash_table_lookup (fields, keys[i]));
      adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), TRUE);
      adw_entry_row_add_suffix (ADW_ENTRY_ROW (row),
                                baton_remove_button_new ("contact.remove-field", keys[i],
                                                         tooltip));
      g_object_set_data_full (G_OBJECT (row), "field-key", g_strdup (keys[i]), g_free);
      g_signal_connect_object (row, "apply", G_CALLBACK (field_row_applied_cb), self,
                               G_CONNECT_SWAPPED);
      gtk_list_box_append (self->fields_list, row);
    }
}

static void
update_tags (BatonContactCard *self)
{
  GStrv tags = self->contact ? self->contact->tags : NULL;
  gboolean none = baton_strv_is_empty ((const char * const *) tags);
  GtkWidget *child = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->tags_box))) != NULL)
    gtk_flow_box_remove (self->tags_box, child);
  if (self->contact == NULL)
    return;
  for (guint i = 0; tags && tags[i]; i++)
    gtk_flow_box_append (self->tags_box, new_tag_chip (tags[i]));
  gtk_widget_set_visible (GTK_WIDGET (self->tags_box), !none);
  gtk_widget_set_visible (GTK_WIDGET (self->no_tags_label), none);
}

static void
update_all (BatonContactCard *self)
{
  BatonContact *contact = self->contact;

  update_fields (self);
  update_owners (self);
  update_tags (self);
  update_actions (self);
  if (contact == NULL)
    return;
  adw_avatar_set_text (self->avatar, contact->name);
  gtk_label_set_label (self->name_label, contact->name);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), contact->name ? contact->name : "");
  adw_action_row_set_subtitle (self->phone_row, contact->phone ? contact->phone : "");
  gtk_widget_set_visible (GTK_WIDGET (self->wa_id_row), contact->wa_id != NULL);
  adw_action_row_set_subtitle (self->wa_id_row, contact->wa_id ? contact->wa_id : "");
}

/* Shows a state of the contact shown; one of another contact (a late answer) is dropped. */
static void
show_contact (BatonContactCard *self,
              BatonContact     *contact)
{
  if (g_strcmp0 (contact->id, self->contact_id) != 0)
    return;
  g_clear_pointer (&self->contact, baton_contact_unref);
  self->contact = baton_contact_ref (contact);
  update_all (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTACT]);
}

/* The contact's history: each other conversation, its status, last activity and last
 * message, opening it when activated. */

static void
show_history_item (AdwActionRow   *row,
                   BatonInboxItem *item)
{
  BatonConversation *conversation = baton_inbox_item_get_conversation (item);
  g_autofree char *when = baton_format_when (conversation->activity_at);
  g_autofree char *title = NULL;

  /* TRANSLATORS: a conversation's status and when it last moved: "Resolved · 12 Nov" */
  title = g_strdup_printf (_("%s · %s"),
                           baton_status_label (baton_status_to_string (conversation->status)),
                           when);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (row, conversation->last_preview ? conversation->last_preview
                                                               : "");
}

static void
history_item_changed_cb (AdwActionRow   *row,
                         GParamSpec     *pspec,
                         BatonInboxItem *item)
{
  show_history_item (row, item);
}

static GtkWidget *
create_history_row (gpointer item,
                    gpointer user_data)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  /* the window's own way to open a conversation */
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "window.open-conversation");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", baton_inbox_item_get_id (item));
  show_history_item (ADW_ACTION_ROW (row), item);
  g_signal_connect_object (item, "notify", G_CALLBACK (history_item_changed_cb), row,
                           G_CONNECT_SWAPPED);
  return row;
}

static gboolean
is_other_conversation (gpointer item,
                       gpointer user_data)
{
  BatonContactCard *self = user_data;

  return g_strcmp0 (baton_inbox_item_get_id (item), self->conversation_id) != 0;
}

/* A new list of the contact's conversations, live (none without a client or a contact). */
static void
follow_history (BatonContactCard *self)
{
  GtkFilterListModel *others = NULL;

  g_clear_object (&self->history);
  if (self->client == NULL || self->contact_id == NULL)
    {
      gtk_list_box_bind_model (self->history_list, NULL, NULL, NULL, NULL);
      return;
    }
  self->history = baton_inbox_new (self->client);
  baton_inbox_set_contact_id (self->history, self->contact_id);
  others = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->history)),
                                      GTK_FILTER (g_object_ref (self->history_filter)));
  gtk_list_box_bind_model (self->history_list, G_LIST_MODEL (others), create_history_row, self,
                           NULL);
  g_object_unref (others);
}

/* Loading */

static void
contact_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonContact) contact = baton_client_get_contact_finish (BATON_CLIENT (source),
                                                                     result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (contact == NULL)
    baton_toast_tell (GTK_WIDGET (user_data), baton_describe_error (error));
  else
    show_contact (BATON_CONTACT_CARD (user_data), contact);
}

static void
load_contact (BatonContactCard *self)
{
  if (self->client == NULL || self->contact_id == NULL)
    return;
  baton_client_get_contact_async (self->client, self->contact_id, self->cancellable,
                                  contact_loaded_cb, self);
}

/* Changing */

static void
contact_changed (BatonContactCard *self,
                 BatonContact     *contact,
                 GError           *error)
{
  const char *field = error ? baton_client_error_get_field (error) : NULL;

  if (field && g_str_has_prefix (field, "tags"))
    {
      /* A refused tag: the message goes on the tag field. */
      gtk_label_set_label (self->tag_error_label, baton_describe_error (error));
      gtk_widget_set_visible (GTK_WIDGET (self->tag_error_label), TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self->tag_entry), "error");
      return;
    }
  if (contact == NULL)
    {
      baton_toast_tell (GTK_WIDGET (self), baton_describe_error (error));
      load_contact (self);
      return;
    }
  show_contact (self, contact);
}

static void
tags_set_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonContact) contact = baton_client_set_contact_tags_finish (BATON_CLIENT (source),
                                                                          result, &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    contact_changed (BATON_CONTACT_CARD (user_data), contact, error);
}

static void
owners_set_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonContact) contact = baton_client_set_contact_owners_finish (
    BATON_CLIENT (source), result, &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    contact_changed (BATON_CONTACT_CARD (user_data), contact, error);
}

static void
contact_updated_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonContact) contact = baton_client_update_contact_finish (BATON_CLIENT (source),
                                                                        result, &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    contact_changed (BATON_CONTACT_CARD (user_data), contact, error);
}

/* A new name unless NULL; the field key set to value (NULL: removed) unless key is NULL. */
static void
update_contact (BatonContactCard *self,
                const char       *name,
                const char       *key,
                const char       *value)
{
  g_autoptr(GHashTable) fields = NULL;

  if (self->client == NULL || self->contact == NULL)
    return;
  if (key)
    {
      fields = g_hash_table_new (g_str_hash, g_str_equal);
      g_hash_table_insert (fields, (char *) key, (char *) value);
    }
  baton_client_update_contact_async (self->client, self->contact->id, name, fields,
                                     self->cancellable, contact_updated_cb, self);
}

static void
set_tags (BatonContactCard *self,
          GStrv             tags)
{
  if (self->client == NULL || self->contact == NULL)
    return;
  baton_client_set_contact_tags_async (self->client, self->contact->id,
                                       (const char * const *) tags, self->cancellable,
                                       tags_set_cb, self);
}

static void
set_owners (BatonContactCard *self,
            GStrv             owner_ids)
{
  if (self->client == NULL || self->contact == NULL)
    return;
  baton_client_set_contact_owners_async (self->client, self->contact->id,
                                         (const char * const *) owner_ids, self->cancellable,
                                         owners_set_cb, self);
}

static void
add_tag (BatonContactCard *self,
         const char       *text)
{
  g_autofree char *tag = g_strstrip (g_utf8_strdown (text, -1));
  g_auto(GStrv) tags = NULL;

  if (self->contact == NULL || *tag == '\0')
    return;
  if (self->contact->tags && g_strv_contains ((const char * const *) self->contact->tags, tag))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->tag_entry), "");
      return;
    }
  tags = baton_strv_with ((const char * const *) self->contact->tags, tag);
  set_tags (self, tags);
}

/* Signal callbacks */

static void
client_event_cb (BatonContactCard *self,
                 BatonEvent       *event)
{
  g_autoptr(BatonContact) contact = baton_event_dup_contact (event);

  if (contact)
    show_contact (self, contact);
}

static void
client_state_changed_cb (BatonContactCard *self)
{
  /* The stream's first connect starts live: reread what may have changed before it. */
  if (baton_client_get_state (self->client) == BATON_CLIENT_STATE_ONLINE)
    load_contact (self);
}

static void
owner_popover_shown_cb (BatonContactCard *self)
{
  /* Loads (active_count) change with every conversation anywhere and no event says so:
   * read them fresh for the picker. */
  if (self->client)
    baton_directory_reload (directory (self));
}

static void
name_row_applied_cb (BatonContactCard *self)
{
  g_autofree char *name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));

  update_contact (self, g_strstrip (name), NULL, NULL);
}

static void
field_row_applied_cb (BatonContactCard *self,
                      AdwEntryRow      *row)
{
  update_contact (self, NULL, g_object_get_data (G_OBJECT (row), "field-key"),
                  gtk_editable_get_text (GTK_EDITABLE (row)));
}

/* A field by that name, empty, to be filled in its own row. */
static void
new_field_row_applied_cb (BatonContactCard *self)
{
  g_autofree char *key = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->new_field_row)));

  g_strstrip (key);
  if (*key && !(self->contact && self->contact->fields
                && g_hash_table_contains (self->contact->fields, key)))
    update_contact (self, NULL, key, "");
  gtk_editable_set_text (GTK_EDITABLE (self->new_field_row), "");
}

static void
tag_entry_activated_cb (BatonContactCard *self)
{
  add_tag (self, gtk_editable_get_text (GTK_EDITABLE (self->tag_entry)));
}

static void
tag_entry_changed_cb (BatonContactCard *self)
{
  /* Also reached while the template is torn down. */
  if (self->tag_error_label == NULL)
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->tag_error_label), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->tag_entry), "error");
}

/* Actions */

static void
owner_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  BatonContactCard *self = BATON_CONTACT_CARD (widget);
  const char *agent_id = g_variant_get_string (parameter, NULL);
  const char * const *owner_ids = NULL;
  g_auto(GStrv) changed = NULL;

  if (self->contact == NULL)
    return;
  owner_ids = (const char * const *) self->contact->owner_ids;
  if (g_str_equal (action_name, "contact.add-owner"))
    {
      gtk_popover_popdown (self->owner_popover);
      changed = baton_strv_with (owner_ids, agent_id);
    }
  else
    changed = baton_strv_without (owner_ids, agent_id);
  set_owners (self, changed);
}

static void
add_tag_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  add_tag (BATON_CONTACT_CARD (widget), g_variant_get_string (parameter, NULL));
}

static void
remove_tag_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  BatonContactCard *self = BATON_CONTACT_CARD (widget);
  g_auto(GStrv) tags = NULL;

  if (self->contact == NULL)
    return;
  tags = baton_strv_without ((const char * const *) self->contact->tags,
                             g_variant_get_string (parameter, NULL));
  set_tags (self, tags);
}

static void
remove_field_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  update_contact (BATON_CONTACT_CARD (widget), NULL, g_variant_get_string (parameter, NULL),
                  NULL);
}

/* Overrides */

static void
baton_contact_card_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  BatonContactCard *self = BATON_CONTACT_CARD (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_CONTACT_ID:
      g_value_set_string (value, self->contact_id);
      break;
    case PROP_CONTACT:
      g_value_set_boxed (value, self->contact);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
baton_contact_card_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  BatonContactCard *self = BATON_CONTACT_CARD (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      baton_contact_card_set_client (self, g_value_get_object (value));
      break;
    case PROP_CONTACT_ID:
      baton_contact_card_set_contact_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
baton_contact_card_dispose (GObject *object)
{
  BatonContactCard *self = BATON_CONTACT_CARD (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->client_signals);
  g_clear_object (&self->directory_signals);
  gtk_widget_dispose_template (GTK_WIDGET (self), BATON_TYPE_CONTACT_CARD);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->history);
  g_clear_object (&self->history_filter);
  g_clear_pointer (&self->contact, baton_contact_unref);

  G_OBJECT_CLASS (baton_contact_card_parent_class)->dispose (object);
}

static void
baton_contact_card_finalize (GObject *object)
{
  BatonContactCard *self = BATON_CONTACT_CARD (object);

  g_free (self->contact_id);
  g_free (self->conversation_id);

  G_OBJECT_CLASS (baton_contact_card_parent_class)->finalize (object);
}

static void
baton_contact_card_class_init (BatonContactCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = baton_contact_card_get_property;
  object_class->set_property = baton_contact_card_set_property;
  object_class->dispose = baton_contact_card_dispose;
  object_class->finalize = baton_contact_card_finalize;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, BATON_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONTACT_ID] =
    g_param_spec_string ("contact-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONTACT] =
    g_param_spec_boxed ("contact", NULL, NULL, BATON_TYPE_CONTACT,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/baton/Baton/ui/baton-contact-card.ui");
  gtk_widget_class_bind_template_child (widget_class, BatonContactCard, avatar);
  gtk_widget_class_bind_template_child (widget_class, BatonContactCard, name_label);
  gtk_widget_class_bind_template_child (widget_class, BatonContactCard, name_row);
  gtk_widget_class_bind_template_child (widget_class, BatonContactCard, new_field_row);
  gtk_widget_class_bind_template_child (widget_class, BatonContactCard, history_list);
  gtk_widget_class_bind_template_child (widget_class, BatonContactCard, phone_row);
  gtk_widget_class_bind_template_child (widget_class, BatonContactCard, wa_id_row);
  gtk_widget_class_bind_template_child (widget_class, BatonContactCard, no_tags_label);
  gtk_widget_class_bind_template_child (widget_class, BatonContactCard, tags_box);
  gtk_widget_class_bind_template_child (widget_class, BatonContactCard, tag_entry);
  gtk_widget_class_bind_template_child (widget_class, BatonContactCard, tag_error_label);
  gtk_widget_class_bind_template_child (widget_class, BatonContactCard, fields_list);
  gtk_widget_class_bind_template_child (widget_class, BatonContactCard, owner_popover);
  gtk_widget_class_bind_template_child (widget_class, BatonContactCard, owners_list);
  gtk_widget_class_bind_template_child (widget_class, BatonContactCard, owner_picker_list);
  gtk_widget_class_bind_template_callback (widget_class, owner_popover_shown_cb);
  gtk_widget_class_bind_template_callback (widget_class, tag_entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, name_row_applied_cb);
  gtk_widget_class_bind_template_callback (widget_class, new_field_row_applied_cb);
  gtk_widget_class_bind_template_callback (widget_class, tag_entry_changed_cb);

  gtk_widget_class_install_action (widget_class, "contact.add-owner", "s", owner_action);
  gtk_widget_class_install_action (widget_class, "contact.remove-owner", "s", owner_action);
  gtk_widget_class_install_action (widget_class, "contact.add-tag", "s", add_tag_action);
  gtk_widget_class_install_action (widget_class, "contact.remove-tag", "s", remove_tag_action);
  gtk_widget_class_install_action (widget_class, "contact.remove-field", "s",
                                   remove_field_action);
}

static void
baton_contact_card_init (BatonContactCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->history_filter = gtk_custom_filter_new (is_other_conversation, self, NULL);
  self->directory_signals = g_signal_group_new (BATON_TYPE_DIRECTORY);
  g_signal_group_connect_swapped (self->directory_signals, "changed",
                                  G_CALLBACK (update_owners), self);
  self->client_signals = g_signal_group_new (BATON_TYPE_CLIENT);
  g_signal_group_connect_swapped (self->client_signals, "event",
                                  G_CALLBACK (client_event_cb), self);
  g_signal_group_connect_swapped (self->client_signals, "resync",
                                  G_CALLBACK (load_contact), self);
  g_signal_group_connect_swapped (self->client_signals, "notify::state",
                                  G_CALLBACK (client_state_changed_cb), self);
  update_all (self);
}

/* Public API */

GtkWidget *
baton_contact_card_new (void)
{
  return g_object_new (BATON_TYPE_CONTACT_CARD, NULL);
}

BatonClient *
baton_contact_card_get_client (BatonContactCard *self)
{
  g_return_val_if_fail (BATON_IS_CONTACT_CARD (self), NULL);

  return self->client;
}

/* Nothing of the last client's or contact's answers may land here. */
static void
restart (BatonContactCard *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_pointer (&self->contact, baton_contact_unref);
  load_contact (self);
  follow_history (self);
  update_all (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTACT]);
}

void
baton_contact_card_set_client (BatonContactCard *self,
                               BatonClient      *client)
{
  g_return_if_fail (BATON_IS_CONTACT_CARD (self));
  g_return_if_fail (client == NULL || BATON_IS_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;
  g_signal_group_set_target (self->client_signals, client);
  g_signal_group_set_target (self->directory_signals, directory (self));
  restart (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

const char *
baton_contact_card_get_contact_id (BatonContactCard *self)
{
  g_return_val_if_fail (BATON_IS_CONTACT_CARD (self), NULL);

  return self->contact_id;
}

void
baton_contact_card_set_contact_id (BatonContactCard *self,
                                   const char       *contact_id)
{
  g_return_if_fail (BATON_IS_CONTACT_CARD (self));

  if (g_strcmp0 (self->contact_id, contact_id) == 0)
    return;
  g_free (self->contact_id);
  self->contact_id = g_strdup (contact_id);
  gtk_popover_popdown (self->owner_popover);
  gtk_editable_set_text (GTK_EDITABLE (self->tag_entry), "");
  restart (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTACT_ID]);
}

BatonContact *
baton_contact_card_get_contact (BatonContactCard *self)
{
  g_return_val_if_fail (BATON_IS_CONTACT_CARD (self), NULL);

  return self->contact;
}

/* The conversation the card is shown beside: the history lists the others. */
void
baton_contact_card_set_conversation_id (BatonContactCard *self,
                                        const char       *conversation_id)
{
  g_return_if_fail (BATON_IS_CONTACT_CARD (self));

  if (g_strcmp0 (self->conversation_id, conversation_id) == 0)
    return;
  g_free (self->conversation_id);
  self->conversation_id = g_strdup (conversation_id);
  gtk_filter_changed (GTK_FILTER (self->history_filter), GTK_FILTER_CHANGE_DIFFERENT);
}
