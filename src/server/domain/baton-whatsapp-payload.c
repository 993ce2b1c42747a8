/* baton-whatsapp-payload.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-whatsapp-payload"

#include "config.h"

#include "baton-whatsapp-payload.h"

static void
add_addressee (JsonBuilder *builder,
               const char  *to,
               const char  *recipient)
{
  json_builder_set_member_name (builder, "messaging_product");
  json_builder_add_string_value (builder, "whatsapp");
  json_builder_set_member_name (builder, "recipient_type");
  json_builder_add_string_value (builder, "individual");
  json_builder_set_member_name (builder, to ? "to" : "recipient");
  json_builder_add_string_value (builder, to ? to : recipient);
}

static void
add_context (JsonBuilder *builder,
             const char  *context_id)
{
  if (context_id == NULL)
    return;
  json_builder_set_member_name (builder, "context");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "message_id");
  json_builder_add_string_value (builder, context_id);
  json_builder_end_object (builder);
}

JsonNode *
baton_whatsapp_text_payload (const char *to,
                             const char *recipient,
                             const char *body,
                             const char *context_id,
                             gboolean    preview_url)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (to != NULL || recipient != NULL, NULL);
  g_return_val_if_fail (body != NULL, NULL);

  json_builder_begin_object (builder);
  add_addressee (builder, to, recipient);
  add_context (builder, context_id);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "text");
  json_builder_set_member_name (builder, "text");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "preview_url");
  json_builder_add_boolean_value (builder, preview_url);
  json_builder_set_member_name (builder, "body");
  json_builder_add_string_value (builder, body);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
add_typed_parameter (JsonBuilder *builder,
                     const char  *type,
                     const char  *value)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
  json_builder_set_member_name (builder, type);
  json_builder_add_string_value (builder, value);
  json_builder_end_object (builder);
}

JsonNode *
baton_whatsapp_template_payload (const char         *to,
                                 const char         *recipient,
                                 const char         *name,
                                 const char         *language,
                                 const char * const *body_parameters,
                                 const char * const *button_payloads)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean has_body = body_parameters && body_parameters[0];
  gboolean has_buttons = button_payloads && button_payloads[0];

  g_return_val_if_fail (to != NULL || recipient != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (language != NULL, NULL);

  json_builder_begin_object (builder);
  add_addressee (builder, to, recipient);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "template");
  json_builder_set_member_name (builder, "template");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "language");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, language);
  json_builder_end_object (builder);
  /* a template without variables or buttons is sent without components */
  if (has_body || has_buttons)
    {
      json_builder_set_member_name (builder, "components");
      json_builder_begin_array (builder);
      if (has_body)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "type");
          json_builder_add_string_value (builder, "body");
          json_builder_set_member_name (builder, "parameters");
          json_builder_begin_array (builder);
          for (guint i = 0; body_parameters[i]; i++)
            add_typed_parameter (builder, "text", body_parameters[i]);
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      for (guint i = 0; has_buttons && button_payloads[i]; i++)
        {
          g_autofree char *index = g_strdup_printf ("%u", i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "type");
          json_builder_add_string_value (builder, "button");
          json_builder_set_member_name (builder, "sub_type");
          json_builder_add_string_value (builder, "quick_reply");
          /* Graph wants the button's position as a string */
          json_builder_set_member_name (builder, "index");
          json_builder_add_string_value (builder, index);
          json_builder_set_member_name (builder, "parameters");
          json_builder_begin_array (builder);
          add_typed_parameter (builder, "payload", button_payloads[i]);
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
baton_whatsapp_media_payload (const char *to,
                              const char *recipient,
                              const char *kind,
                              const char *upload_id,
                              const char *caption,
                              const char *filename,
                              const char *context_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (to != NULL || recipient != NULL, NULL);
  g_return_val_if_fail (kind != NULL && upload_id != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "upload");
  json_builder_add_string_value (builder, upload_id);
  json_builder_set_member_name (builder, "message");
  json_builder_begin_object (builder);
  add_addressee (builder, to, recipient);
  add_context (builder, context_id);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, kind);
  json_builder_set_member_name (builder, kind);
  json_builder_begin_object (builder);
  if (caption)
    {
      json_builder_set_member_name (builder, "caption");
      json_builder_add_string_value (builder, caption);
    }
  if (filename)
    {
      json_builder_set_member_name (builder, "filename");
      json_builder_add_string_value (builder, filename);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
