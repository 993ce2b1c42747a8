/* baton-test-server.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "baton-store.h"

G_BEGIN_DECLS

/* A real batond for the server tests: a subprocess on 127.0.0.1, port 0, with its own data
 * directory and a test clock, talked to over real HTTP and WebSocket connections. */
typedef struct {
  char *data_dir;
  /* with BATON_TEST_STORE=postgresql, batond's database (a PostgreSQL URL) */
  char *database;
  GSubprocess *process;
  char *url;
  SoupSession *session;
  char *manager_token;
  char *manager_id;
  GPtrArray *extra_args;
  /* Set to TRUE to have the next starts listen on the port of the last one (the url stays,
   * as for a client that reconnects to a restarted server). */
  gboolean keep_port;
  /* When set, the next starts run batond with this many file descriptors at most (soft and
   * hard limit, as `prlimit --nofile=N` does). */
  guint descriptor_limit;
  /* The last barrier of baton_test_set_barrier. */
  char *barrier_id;
} BatonTestServer;

typedef struct {
  SoupWebsocketConnection *connection;
  /* the events received, an array frame's one by one */
  GQueue frames;
  /* how many events each text frame held, in the order received (1 for an object) */
  GArray *frame_lengths;
  gboolean closed;
  gushort close_code;
} BatonTestStream;

#define BATON_TEST_MANAGER_EMAIL "manager@example.com"
#define BATON_TEST_PASSWORD "correct horse battery"

/* Extra arguments for 'batond serve', ending with NULL; baton_test_server_new (NULL) for none. */
BatonTestServer *baton_test_server_new          (const char       *first_arg,
                                                 ...);
/* Another batond on first's database (several nodes: first runs on PostgreSQL), with a
 * data directory of its own and these extra arguments, ending with NULL. */
BatonTestServer *baton_test_server_new_node     (BatonTestServer  *first,
                                                 const char       *first_arg,
                                                 ...);
void             baton_test_server_start        (BatonTestServer  *server);
/* Runs argv (NULL-terminated, argv[0] the program) as the server's process, its stderr to
 * stderr_path unless NULL, and waits for its "listening on" line. */
void             baton_test_server_spawn        (BatonTestServer   *server,
                                                 const char *const *argv,
                                                 const char        *stderr_path);
void             baton_test_server_stop         (BatonTestServer  *server);
void             baton_test_server_kill         (BatonTestServer  *server);
/* The server's database opened beside it, SQLite's file or its PostgreSQL database, to
 * read or write what the API cannot (best with batond stopped). */
BatonStore      *baton_test_server_open_store   (BatonTestServer  *server);
/* SIGSTOP, returning once batond is stopped; SIGCONT */
void             baton_test_server_pause        (BatonTestServer  *server);
void             baton_test_server_resume       (BatonTestServer  *server);
void             baton_test_server_free         (BatonTestServer  *server);

/* One HTTP call; body may be NULL. Returns the parsed JSON body or NULL, the status in
 * *status. */
JsonNode        *baton_test_request             (BatonTestServer  *server,
                                                 const char       *method,
                                                 const char       *path,
                                                 const char       *token,
                                                 const char       *body,
                                                 guint            *status);
SoupMessage     *baton_test_send_raw            (BatonTestServer  *server,
                                                 const char       *method,
                                                 const char       *path,
                                                 const char       *token,
                                                 GBytes           *body,
                                                 GBytes          **response);
/* POST /webhooks/whatsapp with the raw body and an X-Hub-Signature-256 header (none when
 * signature is NULL); returns the HTTP status. */
guint            baton_test_post_webhook        (BatonTestServer  *server,
                                                 GBytes           *body,
                                                 const char       *signature);
/* Waits until batond has processed every webhook body it acknowledged. */
void             baton_test_whatsapp_settle     (BatonTestServer  *server);
/* A message of a conversation (its last 100), NULL when absent. */
JsonNode        *baton_test_find_message        (BatonTestServer  *server,
                                                 const char       *conversation_id,
                                                 const char       *message_id);
/* Asserts the status and, for errors, the error code; returns the body. */
JsonNode        *baton_test_expect              (BatonTestServer  *server,
                                                 const char       *method,
                                                 const char       *path,
                                                 const char       *token,
                                                 const char       *body,
                                                 guint             expected_status,
                                                 const char       *expected_code);
char            *baton_test_login               (BatonTestServer  *server,
                                                 const char       *email,
                                                 const char       *password);
/* POST /auth/login with an X-Forwarded-For header (none when forwarded_for is NULL);
 * returns the status, with the token of a 200 and the Retry-After of a 429 or 503. */
guint            baton_test_login_status        (BatonTestServer  *server,
                                                 const char       *email,
                                                 const char       *password,
                                                 const char       *forwarded_for,
                                                 char            **token,
                                                 char            **retry_after);
/* Removes a directory and everything below it. */
void             baton_test_remove_tree         (const char       *path);
/* A [batond] configuration file with these lines, for "--config"; g_unlink it after. */
char            *baton_test_write_config        (const char       *lines);
char            *baton_test_create_agent        (BatonTestServer  *server,
                                                 const char       *name,
                                                 const char       *email,
                                                 const char       *role,
                                                 char            **token);
char            *baton_test_create_channel      (BatonTestServer  *server,
                                                 const char       *extra_json,
                                                 char            **secret);
char            *baton_test_inbound             (BatonTestServer  *server,
                                                 const char       *channel_id,
                                                 const char       *secret,
                                                 const char       *from,
                                                 const char       *body);
/* POST /channels/{id}/inbound with a raw JSON body (secret NULL: no header); asserts the
 * status and, for errors, the code. Returns the body. */
JsonNode        *baton_test_inbound_expect      (BatonTestServer  *server,
                                                 const char       *channel_id,
                                                 const char       *secret,
                                                 const char       *body,
                                                 guint             expected_status,
                                                 const char       *expected_code);

BatonTestStream *baton_test_stream_open         (BatonTestServer  *server,
                                                 const char       *token,
                                                 const char       *since,
                                                 guint            *http_status);
/* query: what follows '?' in the stream URL (e.g. "access_token=…"), or NULL. */
BatonTestStream *baton_test_stream_open_query   (BatonTestServer  *server,
                                                 const char       *token,
                                                 const char       *query,
                                                 guint            *http_status);
/* The next frame of any kind (control frames such as pings and pongs included), or NULL
 * after timeout_ms. */
JsonObject      *baton_test_stream_next_frame   (BatonTestStream  *stream,
                                                 guint             timeout_ms);
/* The next event frame (pings skipped), or NULL after timeout_ms. */
JsonObject      *baton_test_stream_next         (BatonTestStream  *stream,
                                                 guint             timeout_ms);
/* Skips frames until one of that type (and, when given, that notification kind). */
JsonObject      *baton_test_stream_wait         (BatonTestStream  *stream,
                                                 const char       *type,
                                                 const char       *kind,
                                                 guint             timeout_ms);
/* Whether the server closed the stream within timeout_ms (its code in close_code). */
gboolean         baton_test_stream_wait_closed  (BatonTestStream  *stream,
                                                 guint             timeout_ms);
void             baton_test_stream_close        (BatonTestStream  *stream);
/* Publishes an event every stream receives after all earlier ones (a team.created); returns
 * its id for baton_test_stream_until_barrier. */
char            *baton_test_barrier             (BatonTestServer  *server);
/* The event frames up to and including the barrier's; fails after timeout_ms. */
GPtrArray       *baton_test_stream_until_barrier (BatonTestStream *stream,
                                                  const char      *barrier_id,
                                                  guint            timeout_ms);

const char      *baton_test_get_string          (JsonNode         *node,
                                                 const char       *path);
/* a path ending in ".#" gives the length of the array */
gint64           baton_test_get_int             (JsonNode         *node,
                                                 const char       *path);
gboolean         baton_test_get_bool            (JsonNode         *node,
                                                 const char       *path);
/* The value of a gauge or counter of GET /metrics, a labelled one by its whole series name
 * ('baton_messages{kind="inbound"}'). */
gint64           baton_test_get_metric          (BatonTestServer  *server,
                                                 const char       *name);
/* Stops the server, appends n events everyone may see to its log (settings.updated, data
 * {"seeded": i, "pad": pad_length × "x"}) and starts it again; returns the last seq before
 * them. */
gint64           baton_test_seed_events         (BatonTestServer  *server,
                                                 guint             n,
                                                 guint             pad_length);
/* A stream as the manager on a plain socket, read only when the caller chooses to (rcvbuf:
 * the socket's receive buffer, 0 for the system's); query follows '?'. Returns after the
 * 101. */
GSocket         *baton_test_raw_stream_open     (BatonTestServer  *server,
                                                 const char       *query,
                                                 int               rcvbuf);
/* Waits until the metric has that value; fails after timeout_ms. */
void             baton_test_wait_metric         (BatonTestServer  *server,
                                                 const char       *name,
                                                 gint64            value,
                                                 guint             timeout_ms);
/* A size field of batond's /proc/PID/status in KiB ("VmRSS", "VmHWM"). */
gint64           baton_test_server_status_kib   (BatonTestServer  *server,
                                                 const char       *field);
char            *baton_test_strdup_printf_json  (const char       *format,
                                                 ...) G_GNUC_PRINTF (1, 2);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BatonTestServer, baton_test_server_free)

G_END_DECLS
