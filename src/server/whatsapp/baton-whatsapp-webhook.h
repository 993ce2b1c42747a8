/* baton-whatsapp-webhook.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "baton-whatsapp-status.h"

G_BEGIN_DECLS

/* The WhatsApp Cloud API webhook body, read into plain records (REFERENCE.md §3). Pure: no
 * store, no network, no clock. Only envelope errors fail the parse (corpus README, contract 2);
 * a broken item is skipped and counted, the rest is kept. Every string in the records is
 * valid UTF-8 without NUL; every JsonNode is a sanitised copy (valid UTF-8, finite numbers,
 * at most 32 levels: deeper containers read as null) that serialises to RFC 8259 JSON.
 * A message or status is broken when its id is not a non-empty string, when it names neither
 * from nor from_user_id (a message) or no status (a status), when its timestamp is not a
 * string of digits or a JSON integer in 0 < t < 2^63, when a media id or a reaction's
 * message_id is not a string, when a location's coordinates are not finite numbers within
 * ±90/±180, or when its change has no string metadata.phone_number_id. */

typedef struct {
  /* metadata of the change the item came in; display_phone_number NULL when absent */
  char *phone_number_id;
  char *display_phone_number;

  char *wamid;
  /* the sender: wa_id, or NULL for a username-only user, then user_id holds the BSUID */
  char *from;
  char *from_user_id;
  /* profile.name / profile.username of the first contacts[] entry of the same change whose
   * wa_id == from (else whose user_id == from_user_id), NULL when absent */
  char *profile_name;
  char *username;
  /* Unix seconds, > 0 */
  gint64 timestamp;
  /* the type as sent: "text", "image", …, "hologram" */
  char *type;
  /* what an agent reads, never NULL: the text, a caption, a button or list title, the Flow
   * reply's nfm_reply.body or "Sent", system.body, a placeholder "unsupported (poll_creation)"
   * for unsupported and unknown types (also for a known type whose object is missing, e.g.
   * "unsupported (image)"); "" for media without caption, location, contacts, reactions */
  char *body;
  /* protocol attachments without id, url and size (the server adds them):
   * one element [{kind, mime_type|null, filename|null, caption|null, data|null,
   *   media_id|null, sha256|null}] (every key present); NULL when the message has none.
   * Kinds: image, audio, video, document, sticker (media_id set; filename for documents
   * only, as sent, never a path; data {voice: bool} / {animated: bool} when the payload has
   * the flag, else null), location (data {latitude, longitude: doubles, name|null,
   * address|null, url|null}), contacts (data {cards: [the cards as sent, sanitised]}),
   * unsupported (data {type: unsupported.type or "unknown"} for type "unsupported";
   * {type, raw: the message object} for unknown types and placeholders); interactive,
   * button and nfm replies carry no attachment but `data` below. */
  JsonNode *attachments;
  /* structured content of replies: {type:"button_reply", id, title} | {type:"list_reply",
   * id, title, description (only when sent)} | {type:"button", payload, text} |
   * {type:"nfm_reply", name, body, response: the parsed response_json, or its string when
   * it is not JSON, or null}; strings null when absent. Also media flags {voice: bool} /
   * {animated: bool}; forwards {forwarded: true, frequently_forwarded: bool}, merged into
   * the same object; NULL if none */
  JsonNode *data;
  /* context.id: the quoted wamid, NULL when not a reply (context.from is not kept) */
  char *context_id;
  /* the click-to-WhatsApp referral: a sanitised copy of the referral object with every
   * member as sent ({source_type, source_id, source_url, headline, body, media_type,
   * ctwa_clid, welcome_message, ...}), NULL when absent or not an object */
  JsonNode *referral;
  /* reactions: the wamid reacted to, and the emoji (NULL: the reaction was removed, emoji
   * absent or "") */
  char *reaction_to;
  char *reaction_emoji;
  /* system messages: "user_changed_number" (also for "customer_changed_number"),
   * "user_changed_user_id", or the type as sent (NULL when absent); system.wa_id (or the
   * older new_wa_id), system.user_id (or new_user_id), system.previous_user_id as given */
  char *system_type;
  char *system_new_wa_id;
  char *system_new_user_id;
  char *system_previous_user_id;
  /* corpus README contract 9: text, media, location, contacts, interactive, button,
   * unsupported and unknown types open the 24-h window; reactions and system do not */
  gboolean opens_window;
  /* errors[0].code of the message (integer or string of digits), 0 when none */
  gint64 error_code;
} BatonWaMessage;

typedef struct {
  /* NULL when the change has no metadata.phone_number_id (errors are kept anyway) */
  char *phone_number_id;
  /* 0 when absent; title, message, details (error_data.details) NULL when absent */
  gint64 code;
  char *title;
  char *message;
  char *details;
} BatonWaError;

typedef struct {
  /* "whatsapp_business_account" batches only; another object parses to an empty batch */
  GPtrArray *messages;  /* BatonWaMessage */
  GPtrArray *statuses;  /* BatonWaStatus */
  GPtrArray *errors;    /* BatonWaError: value.errors[] */
  /* every phone_number_id named by a messages change, once each, in order */
  GPtrArray *phone_number_ids;
  /* changes of another field (message_template_status_update, …): counted, ignored */
  guint ignored_changes;
  /* items skipped as broken (an id that is not a string, a bad timestamp, …; also an entry,
   * change or item that is not an object, a messages-field change without an object value,
   * and a changes/messages/statuses/errors member that is not an array) */
  guint skipped_items;
} BatonWaBatch;

/* Envelope errors (BATON_ERROR_BAD_REQUEST): empty body, invalid UTF-8 (or a NUL byte), not
 * JSON (RFC 8259, with \u0000 and lone surrogate escapes allowed and read as U+FFFD), nested
 * deeper than 64, an object with more than 1000 members, a top level that is not an object,
 * `entry` present (even null) but not an array. Everything else parses. */
BatonWaBatch *baton_wa_batch_parse (const char  *body,
                                    gsize        length,
                                    GError     **error);
/* The envelope checked as baton_wa_batch_parse checks it, with the same errors, without
 * reading the items: what a webhook's answer waits for. */
gboolean      baton_wa_batch_check (const char  *body,
                                    gsize        length,
                                    GError     **error);
void          baton_wa_batch_free  (BatonWaBatch *batch);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonWaBatch, baton_wa_batch_free)

G_END_DECLS
