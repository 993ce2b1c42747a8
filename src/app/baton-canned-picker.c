/* baton-canned-picker.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-canned-picker"

#include "config.h"

#include <glib/gi18n.h>

#include "baton-canned-picker.h"
#include "baton-directory-entry.h"

struct _BatonCannedPicker
{
  GtkPopover parent_instance;

  /* template widgets */
  GtkScrolledWindow *scroller;
  GtkListBox *list;

  /* owned refs */
  GListModel *replies;

  /* state: what the previews fill in */
  char *contact_name;
  char *agent_name;
};

enum {
  CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BatonCannedPicker, baton_canned_picker, GTK_TYPE_POPOVER)

#define ROW_REPLY "baton-canned-reply"

static int
compare_shortcuts (gconstpointer a,
                   gconstpointer b)
{
  const BatonCannedReply *first = *(BatonCannedReply * const *) a;
  const BatonCannedReply *second = *(BatonCannedReply * const *) b;

  return g_strcmp0 (first->shortcut, second->shortcut);
}

/* "/greet  Greeting" over the text as it will be inserted */
static GtkWidget *
new_row (BatonCannedPicker *self,
         BatonCannedReply  *reply)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  g_autofree char *shortcut = g_strdup_printf ("/%s", reply->shortcut);
  g_autofree char *filled = baton_canned_reply_fill (reply->body, self->contact_name,
                                                     self->agent_name);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *body = gtk_label_new (filled);
  g_autofree char *markup = g_markup_printf_escaped ("<b>%s</b>  %s", shortcut, reply->title);

  gtk_label_set_markup (GTK_LABEL (title), markup);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (body), 0);
  gtk_label_set_ellipsize (GTK_LABEL (body), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (body), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (body), 48);
  gtk_widget_add_css_class (body, "dim-label");
  gtk_widget_add_css_class (body, "caption");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), body);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  /* a click chooses without taking the focus from the composer */
  gtk_widget_set_focusable (row, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  reply->title, -1);
  g_object_set_data_full (G_OBJECT (row), ROW_REPLY, baton_canned_reply_ref (reply),
                          (GDestroyNotify) baton_canned_reply_unref);
  return row;
}

static void
row_activated_cb (BatonCannedPicker *self,
                  GtkListBoxRow     *row)
{
  BatonCannedReply *reply = g_object_get_data (G_OBJECT (row), ROW_REPLY);

  if (reply)
    g_signal_emit (self, signals[CHOSEN], 0, reply);
}

static void
baton_canned_picker_dispose (GObject *object)
{
  BatonCannedPicker *self = BATON_CANNED_PICKER (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BATON_TYPE_CANNED_PICKER);
  g_clear_object (&self->replies);

  G_OBJECT_CLASS (baton_canned_picker_parent_class)->dispose (object);
}

static void
baton_canned_picker_finalize (GObject *object)
{
  BatonCannedPicker *self = BATON_CANNED_PICKER (object);

  g_free (self->contact_name);
  g_free (self->agent_name);

  G_OBJECT_CLASS (baton_canned_picker_parent_class)->finalize (object);
}

static void
baton_canned_picker_class_init (BatonCannedPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = baton_canned_picker_dispose;
  object_class->finalize = baton_canned_picker_finalize;

  signals[CHOSEN] = g_signal_new ("chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 1, BATON_TYPE_CANNED_REPLY);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/baton/Baton/ui/baton-canned-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, BatonCannedPicker, scroller);
  gtk_widget_class_bind_template_child (widget_class, BatonCannedPicker, list);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
}

static void
baton_canned_picker_init (BatonCannedPicker *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
baton_canned_picker_new (void)
{
  return g_object_new (BATON_TYPE_CANNED_PICKER, NULL);
}

void
baton_canned_picker_set_replies (BatonCannedPicker *self,
                                 GListModel        *replies)
{
  g_return_if_fail (BATON_IS_CANNED_PICKER (self));
  g_return_if_fail (replies == NULL || G_IS_LIST_MODEL (replies));

  g_set_object (&self->replies, replies);
}

void
baton_canned_picker_set_names (BatonCannedPicker *self,
                               const char        *contact_name,
                               const char        *agent_name)
{
  g_return_if_fail (BATON_IS_CANNED_PICKER (self));

  g_free (self->contact_name);
  self->contact_name = g_strdup (contact_name);
  g_free (self->agent_name);
  self->agent_name = g_strdup (agent_name);
}

guint
baton_canned_picker_filter (BatonCannedPicker *self,
                            const char        *query)
{
  g_autoptr(GPtrArray) matches = g_ptr_array_new ();
  GtkWidget *child = NULL;
  guint n = self->replies ? g_list_model_get_n_items (self->replies) : 0;

  g_return_val_if_fail (BATON_IS_CANNED_PICKER (self), 0);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))))
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BatonDirectoryEntry) entry = g_list_model_get_item (self->replies, i);
      BatonCannedReply *reply = baton_directory_entry_get_reply (entry);

      /* the model keeps the entry, and the entry its reply */
      if (reply && baton_canned_reply_matches (reply, query))
        g_ptr_array_add (matches, reply);
    }
  g_ptr_array_sort (matches, compare_shortcuts);
  for (guint i = 0; i < matches->len; i++)
    gtk_list_box_append (self->list, new_row (self, matches->pdata[i]));
  gtk_list_box_select_row (self->list, gtk_list_box_get_row_at_index (self->list, 0));
  return matches->len;
}

void
baton_canned_picker_move (BatonCannedPicker *self,
                          int                delta)
{
  GtkListBoxRow *selected = NULL;
  GtkListBoxRow *row = NULL;
  int count = 0;
  int index = 0;
  double y = 0;

  g_return_if_fail (BATON_IS_CANNED_PICKER (self));

  while (gtk_list_box_get_row_at_index (self->list, count))
    count++;
  if (count == 0)
    return;
  selected = gtk_list_box_get_selected_row (self->list);
  index = selected ? gtk_list_box_row_get_index (selected) : 0;
  index = ((index + delta) % count + count) % count;
  row = gtk_list_box_get_row_at_index (self->list, index);
  gtk_list_box_select_row (self->list, row);
  /* in view in a long list, without taking the focus from the composer */
  if (gtk_widget_translate_coordinates (GTK_WIDGET (row), GTK_WIDGET (self->list), 0, 0, NULL,
                                        &y))
    gtk_adjustment_clamp_page (gtk_scrolled_window_get_vadjustment (self->scroller), y,
                               y + gtk_widget_get_height (GTK_WIDGET (row)));
}

gboolean
baton_canned_picker_choose (BatonCannedPicker *self)
{
  GtkListBoxRow *row = NULL;

  g_return_val_if_fail (BATON_IS_CANNED_PICKER (self), FALSE);

  row = gtk_list_box_get_selected_row (self->list);
  if (row == NULL)
    return FALSE;
  row_activated_cb (self, row);
  return TRUE;
}
