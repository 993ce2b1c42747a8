/* baton-template.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define BATON_TYPE_TEMPLATE (baton_template_get_type ())

/* An approved WhatsApp message template, as GET /channels/{id}/templates lists it. */
typedef struct {
  char *name;
  char *language;
  char *category;
  char *header;
  char *body;
  char *footer;
  /* how many {{n}} parameters the body takes */
  guint n_parameters;
  /* the buttons' texts */
  GStrv buttons;
} BatonTemplate;

GType          baton_template_get_type  (void) G_GNUC_CONST;
BatonTemplate *baton_template_new       (void);
BatonTemplate *baton_template_ref       (BatonTemplate *template_);
void           baton_template_unref     (BatonTemplate *template_);
/* NULL unless node is an object with a name and a language. */
BatonTemplate *baton_template_from_json (JsonNode      *node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonTemplate, baton_template_unref)

G_END_DECLS
