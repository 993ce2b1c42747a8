/* baton-template-picker.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-template-picker"

#include "config.h"

#include <glib/gi18n.h>

#include "baton-describe.h"
#include "baton-template-picker.h"
#include "baton-toast.h"

struct _BatonTemplatePicker
{
  AdwWindow parent_instance;

  /* template widgets */
  AdwToastOverlay *toasts;
  AdwWindowTitle *window_title;
  GtkWidget *back_button;
  GtkWidget *cancel_button;
  GtkWidget *send_button;
  GtkStack *stack;
  AdwStatusPage *error_page;
  GtkListBox *templates_list;
  GtkLabel *header_label;
  GtkLabel *preview_label;
  GtkLabel *footer_label;
  GtkLabel *buttons_label;
  AdwPreferencesGroup *parameters_group;
  GtkListBox *parameters_list;

  /* owned */
  BatonClient *client;
  char *channel_id;
  char *conversation_id;
  /* the templates as the server listed them, and the one being filled */
  GPtrArray *templates;
  BatonTemplate *chosen;
  /* the parameter entry rows, in order */
  GPtrArray *parameter_rows;
  GCancellable *cancellable;

  /* state */
  gboolean sending;
};

enum {
  SENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BatonTemplatePicker, baton_template_picker, ADW_TYPE_WINDOW)

static void
show_toast (BatonTemplatePicker *self,
            const char          *message)
{
  adw_toast_overlay_add_toast (self->toasts, baton_toast_new (message));
}

/* Reads "{{n}}" at text; returns n (from 1) and the length in *length, or 0. */
static guint
placeholder_at (const char *text,
                gsize      *length)
{
  const char *p = text + 2;
  guint64 n = 0;

  if (text[0] != '{' || text[1] != '{' || !g_ascii_isdigit (*p))
    return 0;
  while (g_ascii_isdigit (*p) && n < 1000)
    n = n * 10 + (guint64) (*p++ - '0');
  if (p[0] != '}' || p[1] != '}' || n == 0 || n >= 1000)
    return 0;
  *length = (gsize) (p + 2 - text);
  return (guint) n;
}

static char *
current_parameter (BatonTemplatePicker *self,
                   guint                i)
{
  GtkEditable *row = GTK_EDITABLE (self->parameter_rows->pdata[i]);

  return g_strstrip (g_strdup (gtk_editable_get_text (row)));
}

static GStrv
current_parameters (BatonTemplatePicker *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < self->parameter_rows->len; i++)
    {
      g_autofree char *value = current_parameter (self, i);

      g_strv_builder_add (builder, value);
    }
  return g_strv_builder_end (builder);
}

static gboolean
parameters_complete (BatonTemplatePicker *self)
{
  for (guint i = 0; i < self->parameter_rows->len; i++)
    {
      g_autofree char *value = current_parameter (self, i);

      if (*value == '\0')
        return FALSE;
    }
  return TRUE;
}

static void
update_actions (BatonTemplatePicker *self)
{
  gboolean form = self->chosen != NULL;

  gtk_widget_set_visible (self->back_button, form);
  gtk_widget_set_visible (self->cancel_button, !form);
  gtk_widget_set_visible (self->send_button, form);
  /* WhatsApp refuses a template with a parameter missing. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "picker.send",
                                 form && !self->sending && parameters_complete (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "picker.back", form && !self->sending);
}

static void
update_preview (BatonTemplatePicker *self)
{
  g_auto(GStrv) parameters = NULL;
  g_autofree char *text = NULL;

  if (self->chosen == NULL)
    return;
  parameters = current_parameters (self);
  text = baton_template_picker_render (self->chosen->body,
                                       (const char * const *) parameters);
  gtk_label_set_label (self->preview_label, text);
  update_actions (self);
}

static void
parameter_changed_cb (BatonTemplatePicker *self)
{
  for (guint i = 0; i < self->parameter_rows->len; i++)
    gtk_widget_remove_css_class (self->parameter_rows->pdata[i], "error");
  update_preview (self);
}

static void
parameter_activated_cb (BatonTemplatePicker *self,
                        AdwEntryRow         *row)
{
  guint index = 0;

  /* Enter moves on to the next parameter, and sends from the last one. */
  if (g_ptr_array_find (self->parameter_rows, row, &index) && index + 1 < self->parameter_rows->len)
    gtk_widget_grab_focus (self->parameter_rows->pdata[index + 1]);
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "picker.send", NULL);
}

static char *
buttons_text (BatonTemplate *template_)
{
  if (template_->buttons == NULL || template_->buttons[0] == NULL)
    return NULL;
  return g_strjoinv (" · ", template_->buttons);
}

static void
set_optional_label (GtkLabel   *label,
                    const char *text)
{
  gtk_label_set_label (label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text && *text);
}

static void
show_form (BatonTemplatePicker *self,
           BatonTemplate       *template_)
{
  const char *body = template_->body;
  guint count = baton_template_picker_count_parameters (body);
  g_autofree char *buttons = buttons_text (template_);
  GtkWidget *child = NULL;

  /* The server counts them too: trust the larger, a placeholder without a value fails. */
  count = MAX (count, template_->n_parameters);
  g_clear_pointer (&self->chosen, baton_template_unref);
  self->chosen = baton_template_ref (template_);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->parameters_list))) != NULL)
    gtk_list_box_remove (self->parameters_list, child);
  g_ptr_array_set_size (self->parameter_rows, 0);
  for (guint i = 0; i < count; i++)
    {
      GtkWidget *row = adw_entry_row_new ();
      g_autofree char *title = g_strdup_printf ("{{%u}}", i + 1);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_entry_row_set_activates_default (ADW_ENTRY_ROW (row), FALSE);
      g_signal_connect_object (row, "changed", G_CALLBACK (parameter_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (row, "entry-activated", G_CALLBACK (parameter_activated_cb), self,
                               G_CONNECT_SWAPPED);
      gtk_list_box_append (self->parameters_list, row);
      g_ptr_array_add (self->parameter_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->parameters_group), count > 0);
  set_optional_label (self->header_label, template_->header);
  set_optional_label (self->footer_label, template_->footer);
  set_optional_label (self->buttons_label, buttons);
  adw_window_title_set_title (self->window_title, template_->name);
  adw_window_title_set_subtitle (self->window_title, template_->language);
  gtk_stack_set_visible_child_name (self->stack, "form");
  update_preview (self);
  if (self->parameter_rows->len > 0)
    gtk_widget_grab_focus (self->parameter_rows->pdata[0]);
}

static void
show_list (BatonTemplatePicker *self)
{
  g_clear_pointer (&self->chosen, baton_template_unref);
  adw_window_title_set_title (self->window_title, _("Choose a Template"));
  adw_window_title_set_subtitle (self->window_title, NULL);
  gtk_stack_set_visible_child_name (self->stack, self->templates->len ? "list" : "empty");
  update_actions (self);
}

static GtkWidget *
create_template_row (BatonTemplate *template_)
{
  GtkWidget *row = adw_action_row_new ();
  const char *language = template_->language;
  const char *body = template_->body;
  const char *category = template_->category;
  g_autofree char *subtitle = NULL;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), template_->name);
  /* Translators: a template's language and the start of its text, "en_GB · Hi {{1}}, …" */
  subtitle = g_strdup_printf (_("%s · %s"), language ? language : "", body ? body : "");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  if (category && *category)
    {
      g_autofree char *lower = g_ascii_strdown (category, -1);
      GtkWidget *label = gtk_label_new (lower);

      gtk_widget_add_css_class (label, "caption");
      gtk_widget_add_css_class (label, "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  return row;
}

static void
templates_loaded_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) templates = baton_client_list_templates_finish (BATON_CLIENT (source),
                                                                       result, &error);
  BatonTemplatePicker *self = NULL;
  GtkWidget *child = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = BATON_TEMPLATE_PICKER (user_data);
  if (templates == NULL)
    {
      adw_status_page_set_description (self->error_page, baton_describe_error (error));
      gtk_stack_set_visible_child_name (self->stack, "error");
      show_toast (self, baton_describe_error (error));
      return;
    }
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->templates_list))) != NULL)
    gtk_list_box_remove (self->templates_list, child);
  g_ptr_array_set_size (self->templates, 0);
  for (guint i = 0; i < templates->len; i++)
    {
      g_ptr_array_add (self->templates, baton_template_ref (templates->pdata[i]));
      gtk_list_box_append (self->templates_list, create_template_row (templates->pdata[i]));
    }
  show_list (self);
}

static void
load_templates (BatonTemplatePicker *self)
{
  gtk_stack_set_visible_child_name (self->stack, "loading");
  baton_client_list_templates_async (self->client, self->channel_id, self->cancellable,
                                     templates_loaded_cb, self);
}

static void
template_activated_cb (BatonTemplatePicker *self,
                       GtkListBoxRow       *row)
{
  int index = gtk_list_box_row_get_index (row);

  if (index >= 0 && (guint) index < self->templates->len)
    show_form (self, self->templates->pdata[index]);
}

/* "template.parameters[1]" names the second entry. */
static gboolean
show_field_error (BatonTemplatePicker *self,
                  const char          *field)
{
  const char *prefix = "template.parameters[";
  guint64 index = 0;

  if (field == NULL || !g_str_has_prefix (field, prefix))
    return FALSE;
  index = g_ascii_strtoull (field + strlen (prefix), NULL, 10);
  if (index >= self->parameter_rows->len)
    return FALSE;
  gtk_widget_add_css_class (self->parameter_rows->pdata[index], "error");
  gtk_widget_grab_focus (self->parameter_rows->pdata[index]);
  return TRUE;
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonMessage) message = baton_client_send_template_finish (BATON_CLIENT (source),
                                                                       result, &error);
  BatonTemplatePicker *self = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = BATON_TEMPLATE_PICKER (user_data);
  self->sending = FALSE;
  update_actions (self);
  if (message == NULL)
    {
      show_field_error (self, baton_client_error_get_field (error));
      show_toast (self, baton_describe_error (error));
      return;
    }
  g_signal_emit (self, signals[SENT], 0, message);
  gtk_window_close (GTK_WINDOW (self));
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BatonTemplatePicker *self = BATON_TEMPLATE_PICKER (widget);
  g_auto(GStrv) parameters = NULL;

  if (self->chosen == NULL || self->sending || !parameters_complete (self))
    return;
  parameters = current_parameters (self);
  self->sending = TRUE;
  update_actions (self);
  baton_client_send_template_async (self->client, self->conversation_id, self->chosen->name,
                                    self->chosen->language, (const char * const *) parameters,
                                    self->cancellable, sent_cb, self);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  show_list (BATON_TEMPLATE_PICKER (widget));
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  load_templates (BATON_TEMPLATE_PICKER (widget));
}

static void
baton_template_picker_dispose (GObject *object)
{
  BatonTemplatePicker *self = BATON_TEMPLATE_PICKER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->client);
  g_clear_pointer (&self->chosen, baton_template_unref);
  g_clear_pointer (&self->templates, g_ptr_array_unref);
  g_clear_pointer (&self->parameter_rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), BATON_TYPE_TEMPLATE_PICKER);

  G_OBJECT_CLASS (baton_template_picker_parent_class)->dispose (object);
}

static void
baton_template_picker_finalize (GObject *object)
{
  BatonTemplatePicker *self = BATON_TEMPLATE_PICKER (object);

  g_clear_object (&self->cancellable);
  g_free (self->channel_id);
  g_free (self->conversation_id);

  G_OBJECT_CLASS (baton_template_picker_parent_class)->finalize (object);
}

static void
baton_template_picker_class_init (BatonTemplatePickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = baton_template_picker_dispose;
  object_class->finalize = baton_template_picker_finalize;

  signals[SENT] = g_signal_new ("sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                NULL, NULL, G_TYPE_NONE, 1, BATON_TYPE_MESSAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/baton/Baton/ui/baton-template-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, BatonTemplatePicker, toasts);
  gtk_widget_class_bind_template_child (widget_class, BatonTemplatePicker, window_title);
  gtk_widget_class_bind_template_child (widget_class, BatonTemplatePicker, back_button);
  gtk_widget_class_bind_template_child (widget_class, BatonTemplatePicker, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, BatonTemplatePicker, send_button);
  gtk_widget_class_bind_template_child (widget_class, BatonTemplatePicker, stack);
  gtk_widget_class_bind_template_child (widget_class, BatonTemplatePicker, error_page);
  gtk_widget_class_bind_template_child (widget_class, BatonTemplatePicker, templates_list);
  gtk_widget_class_bind_template_child (widget_class, BatonTemplatePicker, header_label);
  gtk_widget_class_bind_template_child (widget_class, BatonTemplatePicker, preview_label);
  gtk_widget_class_bind_template_child (widget_class, BatonTemplatePicker, footer_label);
  gtk_widget_class_bind_template_child (widget_class, BatonTemplatePicker, buttons_label);
  gtk_widget_class_bind_template_child (widget_class, BatonTemplatePicker, parameters_group);
  gtk_widget_class_bind_template_child (widget_class, BatonTemplatePicker, parameters_list);
  gtk_widget_class_bind_template_callback (widget_class, template_activated_cb);

  gtk_widget_class_install_action (widget_class, "picker.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "picker.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "picker.reload", NULL, reload_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
baton_template_picker_init (BatonTemplatePicker *self)
{
  self->cancellable = g_cancellable_new ();
  self->templates = g_ptr_array_new_with_free_func ((GDestroyNotify) baton_template_unref);
  self->parameter_rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  adw_window_title_set_title (self->window_title, _("Choose a Template"));
  update_actions (self);
}

BatonTemplatePicker *
baton_template_picker_new (BatonClient *client,
                           const char  *channel_id,
                           const char  *conversation_id)
{
  BatonTemplatePicker *self = NULL;

  g_return_val_if_fail (BATON_IS_CLIENT (client), NULL);
  g_return_val_if_fail (channel_id != NULL, NULL);
  g_return_val_if_fail (conversation_id != NULL, NULL);

  self = g_object_new (BATON_TYPE_TEMPLATE_PICKER, NULL);
  self->client = g_object_ref (client);
  self->channel_id = g_strdup (channel_id);
  self->conversation_id = g_strdup (conversation_id);
  load_templates (self);
  return self;
}

char *
baton_template_picker_render (const char         *body,
                              const char * const *parameters)
{
  GString *text = g_string_new (NULL);
  guint n_parameters = parameters ? g_strv_length ((GStrv) parameters) : 0;

  for (const char *p = body ? body : ""; *p;)
    {
      gsize length = 0;
      guint n = placeholder_at (p, &length);

      if (n > 0 && n <= n_parameters && parameters[n - 1][0] != '\0')
        {
          g_string_append (text, parameters[n - 1]);
          p += length;
        }
      else if (n > 0)
        {
          g_string_append_len (text, p, (gssize) length);
          p += length;
        }
      else
        g_string_append_c (text, *p++);
    }
  return g_string_free (text, FALSE);
}

guint
baton_template_picker_count_parameters (const char *body)
{
  guint highest = 0;

  for (const char *p = body ? body : ""; *p; p++)
    {
      gsize length = 0;
      guint n = placeholder_at (p, &length);

      highest = MAX (highest, n);
    }
  return highest;
}
