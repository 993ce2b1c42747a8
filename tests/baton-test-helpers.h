/* baton-test-helpers.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-test-server.h"

G_BEGIN_DECLS

/* The workspace steps the server tests share. Each acts as the server's manager unless it
 * takes a token, and asserts the answer it expects. */

/* Runs the tests (g_test_run), then frees the server; returns what g_test_run returned. */
int              baton_test_run                 (BatonTestServer  *server);
/* A phone number no earlier call returned: "+1555" and seven digits. */
char            *baton_test_new_phone           (void);
/* An agent with an email no earlier call used (role "agent" or "manager"); returns its id
 * and, when token is not NULL, a session of it. */
char            *baton_test_new_agent           (BatonTestServer  *server,
                                                 const char       *name,
                                                 const char       *role,
                                                 char            **token);
/* Whether the server counts the agent online (GET /agents/{id}). */
gboolean         baton_test_is_online           (BatonTestServer  *server,
                                                 const char       *agent_id);
/* Waits until the server counts the agent online (its event stream registered), iterating the
 * default main context meanwhile; fails after 10 s. */
void             baton_test_wait_online         (BatonTestServer  *server,
                                                 const char       *agent_id);
/* PUT /me/availability as the agent of that token; asserts the availability answered. */
void             baton_test_set_availability    (BatonTestServer  *server,
                                                 const char       *token,
                                                 const char       *availability);
/* POST body to path, expecting 201; returns the id of what was created. */
char            *baton_test_create              (BatonTestServer  *server,
                                                 const char       *path,
                                                 const char       *body);
/* A customer message through an api channel (name NULL: none); returns the conversation id. */
char            *baton_test_customer_writes     (BatonTestServer  *server,
                                                 const char       *channel_id,
                                                 const char       *secret,
                                                 const char       *phone,
                                                 const char       *name,
                                                 const char       *text);
/* GET of the path made from format, as the manager, expecting 200; returns the body. */
JsonNode        *baton_test_get                 (BatonTestServer  *server,
                                                 const char       *format,
                                                 ...) G_GNUC_PRINTF (2, 3);
JsonNode        *baton_test_get_conversation    (BatonTestServer  *server,
                                                 const char       *conversation_id);
/* The id of the conversation's contact. */
char            *baton_test_contact_of          (BatonTestServer  *server,
                                                 const char       *conversation_id);
JsonNode        *baton_test_get_contact         (BatonTestServer  *server,
                                                 const char       *contact_id);
JsonNode        *baton_test_get_agent           (BatonTestServer  *server,
                                                 const char       *agent_id);
/* The manager assigns the conversation to that agent alone. */
void             baton_test_assign_to           (BatonTestServer  *server,
                                                 const char       *conversation_id,
                                                 const char       *agent_id);
/* The newest activity message of a conversation (among its last 500); fails when none. */
JsonNode        *baton_test_latest_activity     (BatonTestServer  *server,
                                                 const char       *conversation_id);
/* The "items" array of a list reply (asserted present). */
JsonArray       *baton_test_items               (JsonNode         *list);
/* Asserts that the array of strings at path holds exactly the arguments, in order. */
void             baton_test_assert_strings      (JsonNode         *node,
                                                 const char       *path,
                                                 ...) G_GNUC_NULL_TERMINATED;
/* Asserts a 422 "unprocessable" naming that field. */
void             baton_test_expect_invalid      (BatonTestServer  *server,
                                                 const char       *method,
                                                 const char       *path,
                                                 const char       *body,
                                                 const char       *field);
/* Creates, patches and deletes an object of a collection ("flows") as the manager, and
 * asserts the events a stream receives: "<type>.created" and "<type>.updated" with the
 * object as answered, "<type>.deleted" with its id alone. */
void             baton_test_assert_crud_events  (BatonTestServer  *server,
                                                 const char       *collection,
                                                 const char       *type,
                                                 const char       *create_body,
                                                 const char       *patch_body);
/* Publishes a barrier (baton_test_barrier) for the next baton_test_read_until_barrier. */
void             baton_test_set_barrier         (BatonTestServer  *server);
/* The event frames of a stream up to and including the last barrier set. */
GPtrArray       *baton_test_read_until_barrier  (BatonTestServer  *server,
                                                 BatonTestStream  *stream);
/* Asserts that only a manager writes a collection ("teams") and every agent reads it: an
 * object created from create_body cannot be created, patched or deleted by an agent (403)
 * nor by anyone signed out (401, reading included), and stays as it was. */
void             baton_test_assert_manager_only (BatonTestServer  *server,
                                                 const char       *collection,
                                                 const char       *create_body);
/* Moves the test clock (batond --test-clock) forward. */
void             baton_test_advance_clock       (BatonTestServer  *server,
                                                 gint64            seconds);
/* The seq of the last event published. */
gint64           baton_test_current_seq         (BatonTestServer  *server);
/* Polls a message until its member (a dotted path) has the expected value; returns it. */
JsonNode        *baton_test_wait_message        (BatonTestServer  *server,
                                                 const char       *conversation_id,
                                                 const char       *message_id,
                                                 const char       *member,
                                                 const char       *expected);
/* The X-Hub-Signature-256 of a webhook body under that app secret. */
char            *baton_test_webhook_signature   (const char       *app_secret,
                                                 const char       *body,
                                                 gsize             length);
/* POST /webhooks/whatsapp with the body signed under that app secret; returns the status. */
guint            baton_test_post_signed_webhook (BatonTestServer  *server,
                                                 const char       *app_secret,
                                                 const char       *body);
/* A webhook body: a customer ("Customer", wa_id from) sends text to phone_number_id. */
char            *baton_test_text_webhook        (const char       *phone_number_id,
                                                 const char       *from,
                                                 const char       *wamid,
                                                 gint64            timestamp_s,
                                                 const char       *text);
/* The contents of tests/fixtures/whatsapp/name (NUL-terminated, as text). */
char            *baton_test_fixture_text        (const char       *name);
GBytes          *baton_test_fixture_bytes       (const char       *name);
/* POST /api/v1/attachments?filename= with the bytes as the body (content_type NULL: no
 * Content-Type; filename NULL: no parameter) as the agent of token; asserts the status and,
 * for errors, the code. Returns the answer. */
JsonNode        *baton_test_upload              (BatonTestServer  *server,
                                                 const char       *token,
                                                 const char       *filename,
                                                 const char       *content_type,
                                                 GBytes           *bytes,
                                                 guint             expected_status,
                                                 const char       *expected_code);

G_END_DECLS
