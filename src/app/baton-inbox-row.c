/* baton-inbox-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-inbox-row"

#include "config.h"

#include <glib/gi18n.h>

#include "baton-inbox-row.h"
#include "baton-widget-util.h"

struct _BatonInboxRow
{
  GtkWidget parent_instance;

  /* template widgets */
  AdwAvatar *avatar;
  GtkLabel *name_label;
  GtkLabel *time_label;
  GtkLabel *preview_label;
  GtkLabel *status_label;
  GtkLabel *assignees_label;
  GtkWidget *unread_dot;
  GtkImage *window_icon;

  /* owned */
  BatonInboxItem *item;
  GHashTable *agent_names;
  GHashTable *team_names;
  GSignalGroup *item_signals;
  /* the inbox, for its search */
  GSignalGroup *inbox_signals;
};

enum {
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (BatonInboxRow, baton_inbox_row, GTK_TYPE_WIDGET)

/* "AL, BO · Sales", initials of the assignees and the team. */
static char *
assignees_text (BatonInboxRow     *self,
                BatonConversation *conversation)
{
  GString *text = g_string_new (NULL);
  const char *team = NULL;

  for (guint i = 0; conversation->assignee_ids && conversation->assignee_ids[i]; i++)
    {
      const char *name = self->agent_names ? g_hash_table_lookup (self->agent_names,
                                                                  conversation->assignee_ids[i])
                                           : NULL;
      g_auto(GStrv) words = g_strsplit (name ? name : "?", " ", 3);

      if (i > 0)
        g_string_append (text, ", ");
      for (guint w = 0; words[w] && w < 2; w++)
        if (*words[w])
          g_string_append_unichar (text, g_unichar_toupper (g_utf8_get_char (words[w])));
    }
  if (conversation->team_id && self->team_names)
    team = g_hash_table_lookup (self->team_names, conversation->team_id);
  if (team)
    g_string_append_printf (text, "%s%s", text->len ? " · " : "", team);
  if (text->len == 0)
    g_string_append (text, _("Unassigned"));
  return g_string_free (text, FALSE);
}

/* The dot, and for those who do not see it, the row's description. */
static void
show_unread (BatonInboxRow *self)
{
  gint64 unread = baton_inbox_item_get_unread_count (self->item);
  g_autofree char *description = NULL;

  gtk_widget_set_visible (self->unread_dot, unread > 0);
  if (unread == 0)
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      return;
    }
  description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d unread message",
                                              "%d unread messages", (gulong) unread),
                                 (int) MIN (unread, G_MAXINT));
  gtk_widget_set_tooltip_text (self->unread_dot, description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description, -1);
}

/* the inbox's search, or NULL */
static char *
dup_search (BatonInboxRow *self)
{
  g_autoptr(BatonInbox) inbox = g_signal_group_dup_target (self->inbox_signals);

  return inbox ? g_strdup (baton_inbox_get_search (inbox)) : NULL;
}

/* text with the words of the search in bold */
static void
show_highlighted (GtkLabel   *label,
                  const char *text,
                  const char *query)
{
  g_autofree char *markup = baton_markup_highlight (text, query);

  gtk_label_set_markup (label, markup);
}

static void
update (BatonInboxRow *self)
{
  BatonConversation *conversation = NULL;
  g_autofree char *when = NULL;
  g_autofree char *assignees = NULL;
  g_autofree char *search = NULL;
  gint64 now_ms = g_get_real_time () / 1000;

  if (self->item == NULL)
    return;
  search = dup_search (self);
  conversation = baton_inbox_item_get_conversation (self->item);
  when = baton_format_when (baton_inbox_item_get_last_at (self->item));
  assignees = assignees_text (self, conversation);

  adw_avatar_set_text (self->avatar, conversation->contact_name);
  show_highlighted (self->name_label, conversation->contact_name, search);
  gtk_label_set_label (self->time_label, when);
  /* a search found it in an older message: that one shows */
  show_highlighted (self->preview_label,
                    conversation->match ? conversation->match : conversation->last_preview,
                    search);
  gtk_label_set_label (self->status_label, baton_status_label (baton_status_to_string (conversation->status)));
  gtk_label_set_label (self->assignees_label, assignees);
  show_unread (self);
  /* WhatsApp allows free-form replies for 24 h after the customer's last message. */
  gtk_widget_set_visible (GTK_WIDGET (self->window_icon),
                          conversation->window_expires_at > 0
                          && conversation->window_expires_at < now_ms);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->window_icon),
                               _("The 24-hour window is closed: only templates can be sent"));
  if (baton_inbox_item_get_unread (self->item))
    gtk_widget_add_css_class (GTK_WIDGET (self->name_label), "heading");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->name_label), "heading");
}

static void
baton_inbox_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  BatonInboxRow *self = BATON_INBOX_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
baton_inbox_row_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  BatonInboxRow *self = BATON_INBOX_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      baton_inbox_row_set_item (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
baton_inbox_row_dispose (GObject *object)
{
  BatonInboxRow *self = BATON_INBOX_ROW (object);
  GtkWidget *child = NULL;

  g_clear_object (&self->item_signals);
  g_clear_object (&self->inbox_signals);
  g_clear_object (&self->item);
  g_clear_pointer (&self->agent_names, g_hash_table_unref);
  g_clear_pointer (&self->team_names, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), BATON_TYPE_INBOX_ROW);
  /* A plain GtkWidget owns its template's root box: it goes with the row. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (baton_inbox_row_parent_class)->dispose (object);
}

static void
baton_inbox_row_class_init (BatonInboxRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = baton_inbox_row_get_property;
  object_class->set_property = baton_inbox_row_set_property;
  object_class->dispose = baton_inbox_row_dispose;

  properties[PROP_ITEM] = g_param_spec_object ("item", NULL, NULL, BATON_TYPE_INBOX_ITEM,
                                               G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY
                                               | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "inboxrow");
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/baton/Baton/ui/baton-inbox-row.ui");
  gtk_widget_class_bind_template_child (widget_class, BatonInboxRow, avatar);
  gtk_widget_class_bind_template_child (widget_class, BatonInboxRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, BatonInboxRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, BatonInboxRow, preview_label);
  gtk_widget_class_bind_template_child (widget_class, BatonInboxRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, BatonInboxRow, assignees_label);
  gtk_widget_class_bind_template_child (widget_class, BatonInboxRow, unread_dot);
  gtk_widget_class_bind_template_child (widget_class, BatonInboxRow, window_icon);
}

static void
baton_inbox_row_init (BatonInboxRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Follow whichever item the row shows: any change of it redraws the labels. */
  self->item_signals = g_signal_group_new (BATON_TYPE_INBOX_ITEM);
  g_signal_group_connect_swapped (self->item_signals, "notify", G_CALLBACK (update), self);
  self->inbox_signals = g_signal_group_new (BATON_TYPE_INBOX);
  g_signal_group_connect_swapped (self->inbox_signals, "notify::search", G_CALLBACK (update),
                                  self);
}

BatonInboxItem *
baton_inbox_row_get_item (BatonInboxRow *self)
{
  g_return_val_if_fail (BATON_IS_INBOX_ROW (self), NULL);

  return self->item;
}

void
baton_inbox_row_set_item (BatonInboxRow  *self,
                          BatonInboxItem *item)
{
  g_return_if_fail (BATON_IS_INBOX_ROW (self));

  if (!g_set_object (&self->item, item))
    return;
  g_signal_group_set_target (self->item_signals, item);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}

void
baton_inbox_row_set_names (BatonInboxRow *self,
                           GHashTable    *agent_names,
                           GHashTable    *team_names)
{
  g_return_if_fail (BATON_IS_INBOX_ROW (self));

  g_clear_pointer (&self->agent_names, g_hash_table_unref);
  g_clear_pointer (&self->team_names, g_hash_table_unref);
  self->agent_names = agent_names ? g_hash_table_ref (agent_names) : NULL;
  self->team_names = team_names ? g_hash_table_ref (team_names) : NULL;
  update (self);
}

void
baton_inbox_row_set_inbox (BatonInboxRow *self,
                           BatonInbox    *inbox)
{
  g_autoptr(BatonInbox) shown = NULL;

  g_return_if_fail (BATON_IS_INBOX_ROW (self));

  shown = g_signal_group_dup_target (self->inbox_signals);
  if (shown == inbox)
    return;
  g_signal_group_set_target (self->inbox_signals, inbox);
  update (self);
}
