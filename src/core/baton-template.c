/* baton-template.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-template"

#include "config.h"

#include "baton-json.h"
#include "baton-template.h"

G_DEFINE_BOXED_TYPE (BatonTemplate, baton_template, baton_template_ref, baton_template_unref)

BatonTemplate *
baton_template_new (void)
{
  return g_rc_box_new0 (BatonTemplate);
}

BatonTemplate *
baton_template_ref (BatonTemplate *template_)
{
  return g_rc_box_acquire (template_);
}

static void
template_clear (BatonTemplate *template_)
{
  g_free (template_->name);
  g_free (template_->language);
  g_free (template_->category);
  g_free (template_->header);
  g_free (template_->body);
  g_free (template_->footer);
  g_strfreev (template_->buttons);
}

void
baton_template_unref (BatonTemplate *template_)
{
  g_rc_box_release_full (template_, (GDestroyNotify) template_clear);
}

/* The texts of the buttons that have one. */
static GStrv
read_buttons (JsonObject *object)
{
  JsonArray *buttons = baton_json_get_array (object, "buttons");
  g_autoptr(GStrvBuilder) texts = g_strv_builder_new ();

  for (guint i = 0; buttons && i < json_array_get_length (buttons); i++)
    {
      JsonNode *button = json_array_get_element (buttons, i);
      const char *text = JSON_NODE_HOLDS_OBJECT (button)
                         ? baton_json_get_string (json_node_get_object (button), "text") : "";

      if (*text)
        g_strv_builder_add (texts, text);
    }
  return g_strv_builder_end (texts);
}

BatonTemplate *
baton_template_from_json (JsonNode *node)
{
  JsonObject *object = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  BatonTemplate *template_ = NULL;

  if (object == NULL || *baton_json_get_string (object, "name") == '\0'
      || *baton_json_get_string (object, "language") == '\0')
    return NULL;
  template_ = baton_template_new ();
  template_->name = baton_json_dup_string (object, "name");
  template_->language = baton_json_dup_string (object, "language");
  template_->category = baton_json_dup_string (object, "category");
  template_->header = baton_json_dup_string (object, "header");
  template_->body = baton_json_dup_string (object, "body");
  template_->footer = baton_json_dup_string (object, "footer");
  template_->n_parameters = (guint) CLAMP (baton_json_get_int (object, "parameters"), 0, 100);
  template_->buttons = read_buttons (object);
  return template_;
}
