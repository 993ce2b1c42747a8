/* baton-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-server"

#include "config.h"

#include <string.h>

#include "baton-auth.h"
#include "baton-error.h"
#include "baton-mailbox.h"
#include "baton-proxies.h"
#include "baton-routes.h"
#include "baton-server.h"
#include "baton-store.h"
#include "baton-stream.h"

#define BODY_LIMIT (1024 * 1024)
#define WEBHOOK_BODY_LIMIT (4 * 1024 * 1024)
/* an agent's file to send: up to WhatsApp's largest (a 100 MB document) */
#define UPLOAD_BODY_LIMIT 100000000
#define LISTEN_BACKLOG 1024

typedef struct {
  BatonMetricsWriter write;
  gpointer data;
} MetricsWriter;

struct _BatonServer
{
  GObject parent_instance;

  /* owned */
  BatonWorkspace *workspace;
  BatonWhatsapp *whatsapp;
  const BatonRoute *routes;
  guint n_routes;
  /* MetricsWriter: what the channels add to /metrics */
  GPtrArray *metrics_writers;
  SoupServer *soup;
  /* calls to the workspace's thread (the global default context) and back to the network's
   * (the context the server was made on) */
  BatonMailbox *to_workspace;
  BatonMailbox *to_network;
  BatonConnections *connections;
  BatonStream *stream;
  GHashTable *status_counts;
  /* GInetAddressMasks of the proxies whose X-Forwarded-For is believed */
  GPtrArray *trusted_proxies;

  /* state */
  gboolean test_clock;
  guint in_flight;
  guint64 requests_total;
};

G_DEFINE_FINAL_TYPE (BatonServer, baton_server, G_TYPE_OBJECT)

static void
count_status (BatonServer *self,
              guint        status)
{
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (self->status_counts,
                                                       GUINT_TO_POINTER (status)));

  g_hash_table_insert (self->status_counts, GUINT_TO_POINTER (status),
                       GUINT_TO_POINTER (count + 1));
  self->requests_total++;
}

static int
compare_status (gconstpointer a,
                gconstpointer b)
{
  return (int) GPOINTER_TO_UINT (a) - (int) GPOINTER_TO_UINT (b);
}

static void
write_sync_metrics (BatonServer *self,
                    GString     *text)
{
  guint64 n_syncs = 0;
  guint n_waiting = 0;

  baton_store_sync_counts (baton_workspace_get_store (self->workspace), &n_syncs, &n_waiting);
  g_string_append_printf (text, "# HELP baton_store_syncs_total Syncs of the database's log, "
                                "each making the changes before it durable.\n"
                                "# TYPE baton_store_syncs_total counter\n"
                                "baton_store_syncs_total %" G_GUINT64_FORMAT "\n"
                                "# HELP baton_store_sync_waiting Answers held until their "
                                "change is synced.\n"
                                "# TYPE baton_store_sync_waiting gauge\n"
                                "baton_store_sync_waiting %u\n",
                          n_syncs, n_waiting);
}

/* /metrics, the workspace's figures, after the network's (network_metrics). */
static void
write_workspace_metrics (BatonServer *self,
                         GString     *text)
{
  g_string_append_printf (text, "# HELP baton_event_seq The last event sequence number.\n"
                                "# TYPE baton_event_seq gauge\n"
                                "baton_event_seq %" G_GINT64_FORMAT "\n",
                          baton_workspace_published_seq (self->workspace));
  g_string_append_printf (text, "# HELP baton_password_checks_in_flight Password hashes and "
                                "checks running.\n"
                                "# TYPE baton_password_checks_in_flight gauge\n"
                                "baton_password_checks_in_flight %u\n"
                                "# HELP baton_password_checks_queued Password hashes and checks "
                                "waiting for a slot.\n"
                                "# TYPE baton_password_checks_queued gauge\n"
                                "baton_password_checks_queued %u\n",
                          baton_auth_get_in_flight (), baton_auth_get_queued ());
  baton_workspace_write_metrics (self->workspace, text);
  write_sync_metrics (self, text);
  for (guint i = 0; i < self->metrics_writers->len; i++)
    {
      MetricsWriter *writer = self->metrics_writers->pdata[i];

      writer->write (writer->data, text);
    }
}

/* /metrics, the network's figures: read on its thread. */
static GString *
network_metrics (BatonServer *self)
{
  g_autoptr(GList) statuses = NULL;
  GString *text = g_string_new (NULL);

  g_string_append (text, "# HELP baton_http_requests_total HTTP requests answered, by status.\n"
                         "# TYPE baton_http_requests_total counter\n");
  statuses = g_list_sort (g_hash_table_get_keys (self->status_counts), compare_status);
  for (GList *l = statuses; l; l = l->next)
    g_string_append_printf (text, "baton_http_requests_total{status=\"%u\"} %u\n",
                            GPOINTER_TO_UINT (l->data),
                            GPOINTER_TO_UINT (g_hash_table_lookup (self->status_counts,
                                                                   l->data)));
  if (self->connections)
    baton_connections_write_metrics (self->connections, text);
  g_string_append_printf (text, "# HELP baton_stream_connections Open event streams.\n"
                                "# TYPE baton_stream_connections gauge\n"
                                "baton_stream_connections %u\n",
                          baton_stream_get_n_connections (self->stream));
  g_string_append_printf (text, "# HELP baton_stream_too_slow_total Streams closed because their"
                                " client did not read (4429).\n"
                                "# TYPE baton_stream_too_slow_total counter\n"
                                "baton_stream_too_slow_total %" G_GUINT64_FORMAT "\n",
                          baton_stream_get_n_too_slow (self->stream));
  return text;
}

/* The largest request body a path takes. */
static gsize
body_limit_of (const char *path)
{
  if (g_str_has_prefix (path, "/webhooks/"))
    return WEBHOOK_BODY_LIMIT;
  if (g_str_equal (path, "/api/v1/attachments"))
    return UPLOAD_BODY_LIMIT;
  return BODY_LIMIT;
}

/* A request on its way through the workspace, and back to the connection it came on. */
typedef struct {
  BatonServer *server;
  SoupServerMessage *msg;
  /* NULL for /metrics, which has the network's figures in metrics */
  const BatonRoute *route;
  GString *metrics;
  BatonRequest *request;
} Call;

static void
call_free (Call *call)
{
  baton_request_free (call->request);
  if (call->metrics)
    g_string_free (call->metrics, TRUE);
  g_object_unref (call->msg);
  g_object_unref (call->server);
  g_free (call);
}

/* On the network's thread: the answer is written out. */
static void
write_answer_cb (gpointer data)
{
  Call *call = data;

  baton_request_write_answer (call->request, call->msg);
  soup_server_message_unpause (call->msg);
  call->server->in_flight--;
  call_free (call);
}

/* On the workspace's thread: the request is answered, and its changes durable. */
static void
answered_cb (BatonRequest *request,
             gpointer      user_data)
{
  Call *call = user_data;

  baton_mailbox_post (call->server->to_network, write_answer_cb, call, NULL);
}

/* On the workspace's thread: who calls, whether they may, and the handler's answer. */
static void
run_call_cb (gpointer data)
{
  Call *call = data;
  BatonRequest *request = call->request;
  const BatonRoute *route = call->route;

  if (call->metrics)
    {
      g_autoptr(GBytes) text = NULL;

      write_workspace_metrics (call->server, call->metrics);
      text = g_string_free_to_bytes (g_steal_pointer (&call->metrics));
      baton_request_respond (request, 200, "text/plain; version=0.0.4", text);
    }
  else if (route->access != BATON_ACCESS_NONE)
    {
      request->agent = baton_workspace_authenticate (request->workspace,
                                                     baton_request_bearer_token (request->headers),
                                                     &request->token_hash);
      if (request->agent == NULL)
        baton_request_fail (request, BATON_ERROR_UNAUTHORIZED,
                            "A valid bearer token is required");
      else if (route->access == BATON_ACCESS_MANAGER)
        baton_request_require_manager (request);
    }
  if (request->status == 0 && route)
    route->handler (request);
  baton_request_settle (request);
}

/* An answer the network's side gives alone: no such endpoint or method. */
static void
refuse_call (BatonServer       *self,
             SoupServerMessage *msg,
             BatonRouteResult   found,
             const char        *method,
             const char        *path)
{
  BatonRequest *request = baton_request_new (self->workspace, self->whatsapp, msg, NULL, 0,
                                             NULL, NULL);

  if (found == BATON_ROUTE_METHOD_NOT_ALLOWED)
    {
      baton_request_fail (request, BATON_ERROR_BAD_REQUEST, "%s is not allowed on %s", method,
                          path);
      request->status = 405;
    }
  else
    {
      baton_request_fail (request, BATON_ERROR_NOT_FOUND, "No such endpoint: %s %s", method,
                          path);
    }
  baton_request_write_answer (request, msg);
  baton_request_free (request);
}

static Call *
new_call (BatonServer       *self,
          SoupServerMessage *msg,
          GHashTable        *query,
          const char        *path,
          const BatonRoute  *route)
{
  Call *call = g_new0 (Call, 1);
  char *address = NULL;

  call->server = g_object_ref (self);
  call->msg = g_object_ref (msg);
  call->route = route;
  call->request = baton_request_new (self->workspace, self->whatsapp, msg, query,
                                     body_limit_of (path), answered_cb, call);
  address = baton_proxies_client_address (
    self->trusted_proxies, soup_server_message_get_remote_host (msg),
    soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                   "X-Forwarded-For"));
  if (address)
    {
      g_free (call->request->address);
      call->request->address = address;
    }
  return call;
}

/* The client waits while the workspace's thread answers. */
static void
post_call (BatonServer *self,
           Call        *call)
{
  self->in_flight++;
  soup_server_message_pause (call->msg);
  baton_mailbox_post (self->to_workspace, run_call_cb, call, NULL);
}

static void
dispatch (BatonServer       *self,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query)
{
  const char *method = soup_server_message_get_method (msg);
  const BatonRoute *route = NULL;
  char *params[BATON_ROUTE_MAX_PARAMS] = { NULL, };
  BatonRouteResult found;
  Call *call = NULL;

  if (g_str_equal (path, "/metrics") && g_str_equal (method, "GET"))
    {
      call = new_call (self, msg, query, path, NULL);
      call->metrics = network_metrics (self);
      post_call (self, call);
      return;
    }
  found = baton_routes_find (self->routes, self->n_routes, method, path, &route, params);
  /* the test clock's endpoint exists only for a server started with it */
  if (found == BATON_ROUTE_FOUND && route->test_clock && !self->test_clock)
    found = BATON_ROUTE_NOT_FOUND;
  if (found != BATON_ROUTE_FOUND)
    {
      for (guint i = 0; i < G_N_ELEMENTS (params); i++)
        g_free (params[i]);
      refuse_call (self, msg, found, method, path);
      return;
    }

  call = new_call (self, msg, query, path, route);
  memcpy (call->request->params, params, sizeof params);
  post_call (self, call);
}

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  BatonServer *self = user_data;

  /* A body refused early (413) is not handled again. */
  if (soup_server_message_get_status (msg) != 0)
    return;
  dispatch (self, msg, path, query);
}

static void
request_finished_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     BatonServer       *self)
{
  /* A request line libsoup could not parse (e.g. a bad %-escape) has no URI. */
  GUri *uri = soup_server_message_get_uri (msg);

  count_status (self, soup_server_message_get_status (msg));
  g_debug ("%s %s %u", soup_server_message_get_method (msg),
           uri ? g_uri_get_path (uri) : "(unparsable)",
           soup_server_message_get_status (msg));
}

static goffset
body_limit_for (SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);

  return uri ? body_limit_of (g_uri_get_path (uri)) : BODY_LIMIT;
}

/* Answers 413 and stops keeping the body: libsoup still reads what the client sends (unless
 * it asked "Expect: 100-continue"), but it is dropped instead of piling up in memory. */
static void
refuse_too_large (SoupServerMessage *msg)
{
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  static const char body[] =
    "{\"error\":{\"code\":\"payload_too_large\",\"message\":\"The request body is too large\"}}";

  soup_message_body_set_accumulate (request_body, FALSE);
  soup_message_body_truncate (request_body);
  soup_server_message_set_status (msg, 413, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body,
                                    strlen (body));
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                "close");
}

/* Refuses an oversized body from its Content-Length, as soon as the headers are in. */
static void
got_headers_cb (SoupServerMessage *msg,
                BatonServer       *self)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
      && soup_message_headers_get_content_length (headers) > body_limit_for (msg))
    refuse_too_large (msg);
}

/* A chunked body has no length up front: it is refused once it grows past the limit. */
static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              BatonServer       *self)
{
  if (soup_server_message_get_status (msg) == 0
      && soup_server_message_get_request_body (msg)->length > body_limit_for (msg))
    refuse_too_large (msg);
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    BatonServer       *self)
{
  g_signal_connect (msg, "got-headers", G_CALLBACK (got_headers_cb), self);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), self);
}

static void
baton_server_dispose (GObject *object)
{
  BatonServer *self = BATON_SERVER (object);

  g_clear_object (&self->connections);
  if (self->soup)
    soup_server_disconnect (self->soup);
  if (self->workspace)
    g_signal_handlers_disconnect_by_data (self->workspace, self);
  /* what the threads still had for each other is dropped: they have stopped */
  g_clear_pointer (&self->to_workspace, baton_mailbox_free);
  g_clear_pointer (&self->to_network, baton_mailbox_free);
  g_clear_object (&self->stream);
  g_clear_object (&self->soup);
  g_clear_object (&self->whatsapp);
  g_clear_object (&self->workspace);
  g_clear_pointer (&self->status_counts, g_hash_table_unref);
  g_clear_pointer (&self->metrics_writers, g_ptr_array_unref);
  g_clear_pointer (&self->trusted_proxies, g_ptr_array_unref);

  G_OBJECT_CLASS (baton_server_parent_class)->dispose (object);
}

static void
baton_server_class_init (BatonServerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = baton_server_dispose;
}

static void
baton_server_init (BatonServer *self)
{
  self->status_counts = g_hash_table_new (NULL, NULL);
  self->metrics_writers = g_ptr_array_new_with_free_func (g_free);
}

typedef struct {
  BatonServer *server;
  char *token_hash;
} Revoked;

static void
revoked_free (Revoked *revoked)
{
  g_free (revoked->token_hash);
  g_free (revoked);
}

static void
close_revoked_cb (gpointer data)
{
  Revoked *revoked = data;

  baton_stream_close_token (revoked->server->stream, revoked->token_hash);
}

/* On the workspace's thread: a session ended, and its streams with it. */
static void
session_revoked_cb (BatonWorkspace *workspace,
                    const char     *token_hash,
                    BatonServer    *self)
{
  Revoked *revoked = g_new (Revoked, 1);

  revoked->server = self;
  revoked->token_hash = g_strdup (token_hash);
  baton_mailbox_post (self->to_network, close_revoked_cb, revoked,
                      (GDestroyNotify) revoked_free);
}

/* The server runs on the thread-default context it is made on, the network's; the workspace
 * on the global default context, which may be another thread's. */
BatonServer *
baton_server_new (BatonWorkspace   *workspace,
                  BatonWhatsapp    *whatsapp,
                  const BatonRoute *routes,
                  guint             n_routes,
                  gboolean          test_clock)
{
  BatonServer *self = g_object_new (BATON_TYPE_SERVER, NULL);

  self->workspace = g_object_ref (workspace);
  self->whatsapp = g_object_ref (whatsapp);
  self->routes = routes;
  self->n_routes = n_routes;
  self->test_clock = test_clock;
  self->soup = soup_server_new ("server-header", "batond/" PACKAGE_VERSION " ", NULL);
  self->to_workspace = baton_mailbox_new (g_main_context_default ());
  self->to_network = baton_mailbox_new (g_main_context_get_thread_default ());
  self->stream = baton_stream_new (workspace, self->to_workspace, self->to_network);
  baton_stream_attach (self->stream, self->soup);
  g_signal_connect (workspace, "session-revoked", G_CALLBACK (session_revoked_cb), self);
  soup_server_add_handler (self->soup, NULL, handler_cb, self, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (request_started_cb), self);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (request_finished_cb), self);
  return self;
}

gboolean
baton_server_listen (BatonServer                 *self,
                     const char                  *host,
                     guint                        port,
                     const BatonConnectionLimits *limits,
                     GError                     **error)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (host);
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocket) socket = NULL;

  if (inet == NULL)
    {
      g_autoptr(GResolver) resolver = g_resolver_get_default ();
      g_autolist(GInetAddress) addresses = g_resolver_lookup_by_name (resolver, host, NULL,
                                                                     error);

      if (addresses == NULL)
        return FALSE;
      inet = g_object_ref (addresses->data);
    }
  address = g_inet_socket_address_new (inet, (guint16) port);
  socket = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  /* A burst of clients must wait in the kernel's queue while the loop is busy, not be
   * refused: GLib's default backlog is 10. */
  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  if (!g_socket_bind (socket, address, TRUE, error) || !g_socket_listen (socket, error))
    return FALSE;
  if (self->connections == NULL)
    self->connections = baton_connections_new (self->soup, limits);
  return baton_connections_listen (self->connections, socket, error);
}

char *
baton_server_get_url (BatonServer *self)
{
  g_autoptr(GSocketAddress) address = NULL;
  g_autofree char *host = NULL;
  GInetAddress *inet;

  if (self->connections == NULL)
    return NULL;
  address = baton_connections_get_address (self->connections);
  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return NULL;
  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address));
  host = g_inet_address_to_string (inet);
  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("http://[%s]:%u", host,
                            g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)));
  return g_strdup_printf ("http://%s:%u", host,
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)));
}

/* Stops accepting connections and ends the streams; requests already being answered
 * (paused ones included) still complete while the main loop runs. */
void
baton_server_shutdown (BatonServer *self)
{
  if (self->connections)
    baton_connections_stop_accepting (self->connections);
  baton_stream_close_all (self->stream);
}

/* Takes trusted (GInetAddressMasks, see baton_proxies_parse). */
void
baton_server_set_trusted_proxies (BatonServer *self,
                                  GPtrArray   *trusted)
{
  g_return_if_fail (BATON_IS_SERVER (self));

  g_clear_pointer (&self->trusted_proxies, g_ptr_array_unref);
  self->trusted_proxies = trusted;
}

guint
baton_server_get_n_in_flight (BatonServer *self)
{
  return self->in_flight;
}

BatonWorkspace *
baton_server_get_workspace (BatonServer *self)
{
  return self->workspace;
}

BatonStream *
baton_server_get_stream (BatonServer *self)
{
  return self->stream;
}

void
baton_server_add_handler (BatonServer        *self,
                          const char         *prefix,
                          SoupServerCallback  callback,
                          gpointer            user_data,
                          GDestroyNotify      destroy)
{
  g_return_if_fail (BATON_IS_SERVER (self));
  g_return_if_fail (prefix != NULL && prefix[0] == '/');

  soup_server_add_handler (self->soup, prefix, callback, user_data, destroy);
}

void
baton_server_add_metrics (BatonServer        *self,
                          BatonMetricsWriter  write,
                          gpointer            data)
{
  MetricsWriter *writer = g_new0 (MetricsWriter, 1);

  writer->write = write;
  writer->data = data;
  g_ptr_array_add (self->metrics_writers, writer);
}
