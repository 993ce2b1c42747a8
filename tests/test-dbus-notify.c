/* test-dbus-notify.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <libnotify/notify.h>

#include "baton-directory.h"
#include "baton-notifier.h"
#include "baton-settings.h"
#include "baton-test-helpers.h"
#include "baton-test-ui.h"

/* BatonNotifier as a desktop sees it: a real batond, an agent's client with its stream, and
 * python3-dbusmock's notification_daemon on a private session bus. Each case reads the Notify
 * and CloseNotification calls the mock logged (org.freedesktop.DBus.Mock.GetCalls) and clicks
 * buttons by emitting ActionInvoked through org.freedesktop.DBus.Mock.EmitSignal. */

#define MOCK_NAME "org.freedesktop.Notifications"
#define MOCK_PATH "/org/freedesktop/Notifications"
#define MOCK_IFACE "org.freedesktop.DBus.Mock"
#define TIMEOUT_MS 15000

static BatonTestServer *server;
static char *channel_id;
static char *channel_secret;
static char *agent_id;
static GDBusConnection *bus;
static GApplication *app;
static BatonSettings *settings;
static BatonClient *agent_client;
static BatonNotifier *notifier;
/* What app.open-conversation was activated with. */
static GPtrArray *opened;
/* The notification events the agent's client received: "<kind> <conversation id>". */
static GPtrArray *received;
/* How often the app was activated (a click on a summary). */
static guint activations;

typedef struct {
  char *method;
  /* Notify: the id the mock answered; CloseNotification: the id to close. */
  guint32 id;
  guint32 replaces_id;
  char *app_icon;
  char *summary;
  char *body;
  GStrv actions;
  GVariant *hints;
} Call;

static void
call_free (gpointer data)
{
  Call *call = data;

  /* Taken out of its list (g_steal_pointer). */
  if (call == NULL)
    return;
  g_free (call->method);
  g_free (call->app_icon);
  g_free (call->summary);
  g_free (call->body);
  g_strfreev (call->actions);
  g_clear_pointer (&call->hints, g_variant_unref);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Call, call_free)

static GVariant *
arg (GVariant *args,
     gsize     index)
{
  g_autoptr(GVariant) boxed = g_variant_get_child_value (args, index);

  return g_variant_get_variant (boxed);
}

/* Every call the mock logged since it started, in order. The mock numbers notifications
 * from 1 and answers a Notify with replaces_id (when not 0) or the next number. */
static GPtrArray *
mock_calls (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_sync (bus, MOCK_NAME, MOCK_PATH, MOCK_IFACE,
                                                           "GetCalls", NULL,
                                                           G_VARIANT_TYPE ("(a(tsav))"),
                                                           G_DBUS_CALL_FLAGS_NONE, 5000, NULL,
                                                           &error);
  g_autoptr(GVariant) list = NULL;
  GPtrArray *calls = g_ptr_array_new_with_free_func (call_free);
  guint32 next_id = 1;

  g_assert_no_error (error);
  list = g_variant_get_child_value (reply, 0);
  for (gsize i = 0; i < g_variant_n_children (list); i++)
    {
      g_autoptr(GVariant) entry = g_variant_get_child_value (list, i);
      g_autoptr(GVariant) args = g_variant_get_child_value (entry, 2);
      Call *call = g_new0 (Call, 1);

      g_variant_get_child (entry, 1, "s", &call->method);
      if (g_str_equal (call->method, "Notify"))
        {
          g_autoptr(GVariant) replaces = arg (args, 1);
          g_autoptr(GVariant) app_icon = arg (args, 2);
          g_autoptr(GVariant) summary = arg (args, 3);
          g_autoptr(GVariant) body = arg (args, 4);
          g_autoptr(GVariant) actions = arg (args, 5);

          call->replaces_id = g_variant_get_uint32 (replaces);
          call->app_icon = g_variant_dup_string (app_icon, NULL);
          call->id = call->replaces_id ? call->replaces_id : next_id++;
          call->summary = g_variant_dup_string (summary, NULL);
          call->body = g_variant_dup_string (body, NULL);
          call->actions = g_variant_dup_strv (actions, NULL);
          call->hints = arg (args, 6);
        }
      else if (g_str_equal (call->method, "CloseNotification"))
        {
          g_autoptr(GVariant) id = arg (args, 0);

          /* The mock declares it "i", libnotify sends "u". */
          call->id = g_variant_is_of_type (id, G_VARIANT_TYPE_INT32)
                     ? (guint32) g_variant_get_int32 (id) : g_variant_get_uint32 (id);
        }
      g_ptr_array_add (calls, call);
    }
  return calls;
}

static guint
count_calls (void)
{
  g_autoptr(GPtrArray) calls = mock_calls ();

  return calls->len;
}

typedef struct {
  guint from;
  const char *method;
  const char *body;
  guint32 id;
  Call *found;
} Wanted;

static gboolean
call_arrived (gpointer user_data)
{
  Wanted *wanted = user_data;
  g_autoptr(GPtrArray) calls = mock_calls ();

  for (guint i = wanted->from; i < calls->len; i++)
    {
      Call *call = calls->pdata[i];

      if (g_str_equal (call->method, wanted->method)
          && (wanted->body == NULL || g_strcmp0 (call->body, wanted->body) == 0)
          && (wanted->id == 0 || call->id == wanted->id))
        {
          wanted->found = g_ptr_array_steal_index (calls, i);
          return TRUE;
        }
    }
  return FALSE;
}

/* The first call of that method after call number from (with that body, or for that id). */
static Call *
wait_for_call (guint       from,
               const char *method,
               const char *body,
               guint32     id)
{
  Wanted wanted = { from, method, body, id, NULL };

  baton_test_ui_wait_until (call_arrived, &wanted, TIMEOUT_MS, method);
  return wanted.found;
}

/* A string hint, or NULL; valid as long as the call. */
static const char *
hint_string (Call       *call,
             const char *name)
{
  const char *value = NULL;

  if (!g_variant_lookup (call->hints, name, "&s", &value))
    return NULL;
  return value;
}

static gboolean
has_hint (Call       *call,
          const char *name)
{
  g_autoptr(GVariant) value = g_variant_lookup_value (call->hints, name, NULL);

  return value != NULL;
}

/* The label offered for an action id, or NULL. Actions are (id, label) pairs in no order. */
static const char *
action_label (Call       *call,
              const char *action)
{
  for (guint i = 0; call->actions[i] && call->actions[i + 1]; i += 2)
    if (g_str_equal (call->actions[i], action))
      return call->actions[i + 1];
  return NULL;
}

static void
invoke_action (guint32     id,
               const char *action)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  GVariantBuilder args;

  g_variant_builder_init (&args, G_VARIANT_TYPE ("av"));
  g_variant_builder_add (&args, "v", g_variant_new_uint32 (id));
  g_variant_builder_add (&args, "v", g_variant_new_string (action));
  reply = g_dbus_connection_call_sync (bus, MOCK_NAME, MOCK_PATH, MOCK_IFACE, "EmitSignal",
                                       g_variant_new ("(sssav)", MOCK_NAME, "ActionInvoked", "us",
                                                      &args),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
  g_assert_no_error (error);
}

/* A customer writes; returns the conversation. */
static char *
customer_writes (const char *phone,
                 const char *name,
                 const char *text)
{
  return baton_test_customer_writes (server, channel_id, channel_secret, phone, name, text);
}

/* A conversation assigned to the agent, its "Assigned to you" notification shown. */
static char *
assigned_conversation (const char *phone,
                       const char *name,
                       Call      **assigned)
{
  guint mark = count_calls ();
  char *conversation_id = customer_writes (phone, name, "Hello");
  g_autofree char *about = g_strdup_printf ("%s: Hello", name);
  g_autoptr(Call) created = NULL;

  /* Its new_conversation notification first, so the assignment's cannot merge with it. */
  created = wait_for_call (mark, "Notify", about, 0);
  mark = count_calls ();
  baton_test_assign_to (server, conversation_id, agent_id);
  *assigned = wait_for_call (mark, "Notify", about, created->id);
  g_assert_cmpstr ((*assigned)->summary, ==, "Assigned to you");
  return conversation_id;
}

static void
test_new_conversation (void)
{
  guint mark = count_calls ();
  g_autofree char *conversation_id = customer_writes ("+447700900123", "Olivia Bennett",
                                                      "Hi! Where is my order?");
  g_autoptr(Call) created = wait_for_call (mark, "Notify", "Olivia Bennett: Hi! Where is my order?",
                                           0);
  g_autoptr(Call) assigned = NULL;
  g_autoptr(Call) message = NULL;
  g_autoptr(Call) closed = NULL;

  /* Nobody has it: something to take, or to open with a click on the notification (no
   * "Open" button). */
  g_assert_cmpstr (created->summary, ==, "New conversation");
  g_assert_cmpuint (created->replaces_id, ==, 0);
  g_assert_cmpstr (action_label (created, "assign-to-me"), ==, "Assign to me");
  g_assert_null (action_label (created, "open"));
  g_assert_cmpstr (action_label (created, "default"), ==, "Open");
  g_assert_cmpuint (g_strv_length (created->actions), ==, 4);
  /* The shell shows the app's icon and name. */
  g_assert_cmpstr (created->app_icon, ==, APP_ID);
  g_assert_cmpstr (hint_string (created, "desktop-entry"), ==, APP_ID);
  g_assert_cmpstr (hint_string (created, "category"), ==, "im.received");
  g_assert_false (has_hint (created, "sound-name"));

  /* Assigned by the manager: the same notification, replaced in place. */
  mark = count_calls ();
  baton_test_assign_to (server, conversation_id, agent_id);
  assigned = wait_for_call (mark, "Notify", "Olivia Bennett: Hi! Where is my order?", created->id);
  g_assert_cmpstr (assigned->summary, ==, "Assigned to you");
  g_assert_cmpuint (assigned->replaces_id, ==, created->id);
  g_assert_null (action_label (assigned, "assign-to-me"));
  g_assert_null (action_label (assigned, "open"));
  g_assert_cmpstr (action_label (assigned, "default"), ==, "Open");
  g_assert_cmpstr (assigned->app_icon, ==, APP_ID);

  /* A second message, with the sound switched on: still the same notification. */
  g_object_set (settings, "notification-sound", TRUE, NULL);
  mark = count_calls ();
  g_free (customer_writes ("+447700900123", "Olivia Bennett", "Any news?"));
  message = wait_for_call (mark, "Notify", "Any news?", 0);
  g_object_set (settings, "notification-sound", FALSE, NULL);
  g_assert_cmpstr (message->summary, ==, "Olivia Bennett");
  g_assert_cmpuint (message->replaces_id, ==, created->id);
  g_assert_cmpstr (hint_string (message, "sound-name"), ==, "message-new-instant");
  g_assert_cmpstr (hint_string (message, "category"), ==, "im.received");
  g_assert_null (action_label (message, "assign-to-me"));
  g_assert_null (action_label (message, "open"));
  g_assert_cmpstr (action_label (message, "default"), ==, "Open");

  /* A click opens the conversation in the app and takes the notification away. */
  mark = count_calls ();
  invoke_action (created->id, "default");
  closed = wait_for_call (mark, "CloseNotification", NULL, created->id);
  g_assert_cmpuint (opened->len, ==, 1);
  g_assert_cmpstr (opened->pdata[0], ==, conversation_id);
  g_ptr_array_set_size (opened, 0);
}

static void
test_assign_to_me (void)
{
  guint mark = count_calls ();
  g_autofree char *conversation_id = customer_writes ("+33639988765", "Chloé Lambert",
                                                      "Bonjour, mon vélo est prêt ?");
  g_autoptr(Call) created = wait_for_call (mark, "Notify",
                                           "Chloé Lambert: Bonjour, mon vélo est prêt ?", 0);
  g_autoptr(Call) closed = NULL;
  g_autoptr(JsonNode) conversation = baton_test_get_conversation (server, conversation_id);

  g_assert_cmpint (json_array_get_length (json_object_get_array_member (
                     json_node_get_object (conversation), "assignee_ids")), ==, 0);

  /* The button claims it on the server, then the notification goes. */
  mark = count_calls ();
  invoke_action (created->id, "assign-to-me");
  closed = wait_for_call (mark, "CloseNotification", NULL, created->id);
  g_clear_pointer (&conversation, json_node_unref);
  conversation = baton_test_get_conversation (server, conversation_id);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (
                     json_node_get_object (conversation), "assignee_ids")), ==, 1);
  g_assert_cmpstr (baton_test_get_string (conversation, "assignee_ids.0"), ==, agent_id);
  g_assert_cmpuint (opened->len, ==, 0);
}

static void
test_claim_race (void)
{
  guint mark = count_calls ();
  g_autofree char *conversation_id = customer_writes ("+447700900456", "James Whitaker",
                                                      "Quote for 40 hire bikes please");
  g_autoptr(Call) created = wait_for_call (mark, "Notify",
                                           "James Whitaker: Quote for 40 hire bikes please", 0);
  g_autofree char *claim_path = g_strdup_printf ("/api/v1/conversations/%s/claim",
                                                 conversation_id);
  g_autoptr(JsonNode) claimed = NULL;
  g_autoptr(Call) lost = NULL;
  g_autoptr(JsonNode) conversation = NULL;

  /* The manager is faster. */
  claimed = baton_test_expect (server, "POST", claim_path, server->manager_token, NULL, 200, NULL);

  mark = count_calls ();
  invoke_action (created->id, "assign-to-me");
  lost = wait_for_call (mark, "Notify", "Maya Manager already took it", created->id);
  g_assert_cmpuint (lost->replaces_id, ==, created->id);
  g_assert_cmpstr (lost->summary, ==, "New conversation");
  g_assert_cmpuint (g_strv_length (lost->actions), ==, 0);
  g_assert_cmpstr (hint_string (lost, "desktop-entry"), ==, APP_ID);

  conversation = baton_test_get_conversation (server, conversation_id);
  g_assert_cmpstr (baton_test_get_string (conversation, "assignee_ids.0"), ==,
                   server->manager_id);
}

static gboolean
received_event (gpointer user_data)
{
  for (guint i = 0; i < received->len; i++)
    if (g_str_equal (received->pdata[i], user_data))
      return TRUE;
  return FALSE;
}

static void
test_switched_off (void)
{
  g_autoptr(Call) assigned = NULL;
  g_autofree char *mine = assigned_conversation ("+4915112345678", "Hannah Vogel", &assigned);
  g_autofree char *quiet = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(Call) barrier = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  guint mark = 0;

  g_object_set (settings, "notify-new-conversation", FALSE, NULL);
  mark = count_calls ();
  quiet = customer_writes ("+14155550132", "Noah Fisher", "Do you ship to California?");
  expected = g_strdup_printf ("new_conversation %s", quiet);
  baton_test_ui_wait_until (received_event, expected, TIMEOUT_MS, "the new_conversation event");

  /* A kind still on, later: had the first been shown, it would have come before. */
  g_free (customer_writes ("+4915112345678", "Hannah Vogel", "Still there?"));
  barrier = wait_for_call (mark, "Notify", "Still there?", 0);
  g_object_set (settings, "notify-new-conversation", TRUE, NULL);
  g_assert_cmpuint (barrier->replaces_id, ==, assigned->id);
  calls = mock_calls ();
  for (guint i = mark; i < calls->len; i++)
    {
      Call *call = calls->pdata[i];

      if (g_str_equal (call->method, "Notify"))
        g_assert_cmpstr (call->body, ==, "Still there?");
    }
}

static void
test_coalesce (void)
{
  g_autoptr(Call) assigned = NULL;
  g_autofree char *conversation_id = assigned_conversation ("+447700900789", "Amelia Clarke",
                                                            &assigned);
  g_autoptr(Call) last = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  guint mark = count_calls ();

  /* Two lines in a burst (the main loop does not run in between, so the client gets both
   * events together): one notification, showing the last. */
  g_free (customer_writes ("+447700900789", "Amelia Clarke", "First line"));
  g_free (customer_writes ("+447700900789", "Amelia Clarke", "Second line"));
  last = wait_for_call (mark, "Notify", "Second line", assigned->id);
  calls = mock_calls ();
  for (guint i = mark; i < calls->len; i++)
    g_assert_cmpstr (((Call *) calls->pdata[i])->body, !=, "First line");

  /* Read in the app: withdrawn. */
  mark = count_calls ();
  baton_notifier_withdraw (notifier, conversation_id);
  g_clear_pointer (&last, call_free);
  last = wait_for_call (mark, "CloseNotification", NULL, assigned->id);
}

static gboolean
activated_since (gpointer user_data)
{
  return activations > GPOINTER_TO_UINT (user_data);
}

/* The Notify calls since call number from. */
static GPtrArray *
notify_calls_since (guint from)
{
  g_autoptr(GPtrArray) calls = mock_calls ();
  GPtrArray *notified = g_ptr_array_new_with_free_func (call_free);

  for (guint i = from; i < calls->len; i++)
    if (g_str_equal (((Call *) calls->pdata[i])->method, "Notify"))
      g_ptr_array_add (notified, g_steal_pointer (&calls->pdata[i]));
  return notified;
}

/* n customers write in, then the manager assigns all n conversations to the agent, each
 * time without the test's main loop running in between: the agent's client gets the events
 * together, as when signing in to a backlog. Returns the Notify calls of the assignments. */
static GPtrArray *
assign_burst (guint       n,
              const char *created_summary)
{
  g_autoptr(GPtrArray) conversations = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(Call) created = NULL;
  guint mark = count_calls ();

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *phone = g_strdup_printf ("+4478009%05u", g_random_int_range (0, 99999));
      g_autofree char *name = g_strdup_printf ("Backlog customer %u", i + 1);

      g_ptr_array_add (conversations, customer_writes (phone, name, "Hello?"));
    }
  /* Their new_conversation notifications first, so that they cannot merge with the
   * assignments'. */
  created = wait_for_call (mark, "Notify", created_summary ? NULL : "Backlog customer 1: Hello?",
                           0);
  if (created_summary)
    g_assert_cmpstr (created->summary, ==, created_summary);
  mark = count_calls ();
  for (guint i = 0; i < n; i++)
    baton_test_assign_to (server, conversations->pdata[i], agent_id);
  g_clear_pointer (&created, call_free);
  /* A burst is shown at once: when its first Notify is logged, so are the others. */
  created = wait_for_call (mark, "Notify", NULL, 0);
  return notify_calls_since (mark);
}

static void
test_burst (void)
{
  g_autoptr(GPtrArray) seven = assign_burst (7, "7 new conversations");
  g_autoptr(GPtrArray) two = NULL;
  Call *summary = NULL;
  guint activated = activations;

  /* Seven together: one summary, with the app's icon, opened by a click on it alone. */
  g_assert_cmpuint (seven->len, ==, 1);
  summary = seven->pdata[0];
  g_assert_cmpstr (summary->summary, ==, "7 conversations assigned to you");
  g_assert_cmpuint (summary->replaces_id, ==, 0);
  g_assert_cmpstr (summary->app_icon, ==, APP_ID);
  g_assert_cmpstr (hint_string (summary, "desktop-entry"), ==, APP_ID);
  g_assert_cmpstr (hint_string (summary, "category"), ==, "im.received");
  g_assert_cmpuint (g_strv_length (summary->actions), ==, 2);
  g_assert_cmpstr (action_label (summary, "default"), ==, "Open");
  invoke_action (summary->id, "default");
  baton_test_ui_wait_until (activated_since, GUINT_TO_POINTER (activated), TIMEOUT_MS,
                            "the app to be activated");

  /* Two together: each its own. */
  two = assign_burst (2, NULL);
  g_assert_cmpuint (two->len, ==, 2);
  for (guint i = 0; i < two->len; i++)
    {
      Call *call = two->pdata[i];

      g_assert_cmpstr (call->summary, ==, "Assigned to you");
      g_assert_cmpuint (call->replaces_id, !=, 0);
      g_assert_cmpstr (call->app_icon, ==, APP_ID);
      g_assert_cmpstr (hint_string (call, "desktop-entry"), ==, APP_ID);
      g_assert_null (action_label (call, "open"));
      g_assert_cmpstr (action_label (call, "default"), ==, "Open");
    }
  g_assert_cmpuint (((Call *) two->pdata[0])->id, !=, ((Call *) two->pdata[1])->id);
}

static void
app_activate_cb (GApplication *application)
{
  activations++;
}

static void
open_conversation_cb (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  g_ptr_array_add (opened, g_variant_dup_string (parameter, NULL));
}

static void
client_event_cb (BatonClient *client,
                 BatonEvent  *event,
                 gpointer     user_data)
{
  JsonObject *data = NULL;

  if (!g_str_equal (event->type, "notification"))
    return;
  data = json_node_get_object (event->data);
  g_ptr_array_add (received, g_strdup_printf ("%s %s",
                                              json_object_get_string_member (data, "kind"),
                                              json_object_get_string_member (data,
                                                                             "conversation_id")));
}

static gboolean
done (gpointer user_data)
{
  return *(gboolean *) user_data;
}

static void
refreshed_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (baton_client_refresh_me_finish (BATON_CLIENT (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static gboolean
client_online (gpointer user_data)
{
  return baton_client_get_state (BATON_CLIENT (user_data)) == BATON_CLIENT_STATE_ONLINE;
}

static gboolean
mock_on_bus (gpointer user_data)
{
  g_autoptr(GVariant) reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus",
                                                           "/org/freedesktop/DBus",
                                                           "org.freedesktop.DBus", "NameHasOwner",
                                                           g_variant_new ("(s)", MOCK_NAME),
                                                           G_VARIANT_TYPE ("(b)"),
                                                           G_DBUS_CALL_FLAGS_NONE, 5000, NULL,
                                                           NULL);
  gboolean owned = FALSE;

  if (reply)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

static gboolean
have_dbusmock (void)
{
  int status = -1;
  const char *argv[] = { "/usr/bin/python3", "-c", "import dbusmock", NULL };

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL
                     | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL))
    return FALSE;
  return g_spawn_check_wait_status (status, NULL);
}

static gboolean
directory_loaded (gpointer client)
{
  return baton_directory_get_loaded (baton_client_get_directory (client));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GTestDBus) test_bus = NULL;
  g_autoptr(GSubprocess) mock = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *agent_token = NULL;
  g_autoptr(GSimpleAction) open_action = NULL;
  gboolean refreshed = FALSE;
  int status;

  g_test_init (&argc, &argv, NULL);
  if (!have_dbusmock ())
    {
      g_printerr ("python3-dbusmock is missing: skipped\n");
      return 77;
    }
  /* meson runs this under dbus-run-session; by hand, bring a private bus. */
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      test_bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      g_test_dbus_up (test_bus);
    }
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  mock = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "/usr/bin/python3", "-m", "dbusmock",
                           "--template", "notification_daemon", NULL);
  g_assert_no_error (error);
  baton_test_ui_wait_until (mock_on_bus, NULL, TIMEOUT_MS, "the mock notification daemon");

  /* The app's side: app.open-conversation, and the settings (memory backend). */
  opened = g_ptr_array_new_with_free_func (g_free);
  received = g_ptr_array_new_with_free_func (g_free);
  app = g_application_new ("org.baton.Baton.TestNotify", G_APPLICATION_NON_UNIQUE);
  open_action = g_simple_action_new ("open-conversation", G_VARIANT_TYPE_STRING);
  g_signal_connect (open_action, "activate", G_CALLBACK (open_conversation_cb), NULL);
  g_action_map_add_action (G_ACTION_MAP (app), G_ACTION (open_action));
  g_signal_connect (app, "activate", G_CALLBACK (app_activate_cb), NULL);
  g_assert_true (g_application_register (app, NULL, &error));
  g_assert_no_error (error);
  settings = baton_settings_new ();

  server = baton_test_server_new (NULL);
  channel_id = baton_test_create_channel (server, NULL, &channel_secret);
  agent_id = baton_test_create_agent (server, "Lea Agent", "lea@example.com", "agent",
                                      &agent_token);
  agent_client = baton_client_new (server->url);
  baton_client_set_token (agent_client, agent_token);
  baton_client_refresh_me_async (agent_client, NULL, refreshed_cb, &refreshed);
  baton_test_ui_wait_until (done, &refreshed, TIMEOUT_MS, "the agent's sign-in");
  g_signal_connect (agent_client, "event", G_CALLBACK (client_event_cb), NULL);

  notifier = baton_notifier_new (app, settings);
  baton_notifier_set_client (notifier, agent_client);
  baton_client_start_stream (agent_client);
  baton_test_ui_wait_until (client_online, agent_client, TIMEOUT_MS, "the agent's stream");
  baton_test_ui_wait_until (directory_loaded, agent_client, TIMEOUT_MS, "the directory");

  g_test_add_func ("/dbus/notify/new-conversation", test_new_conversation);
  g_test_add_func ("/dbus/notify/assign-to-me", test_assign_to_me);
  g_test_add_func ("/dbus/notify/claim-race", test_claim_race);
  g_test_add_func ("/dbus/notify/switched-off", test_switched_off);
  g_test_add_func ("/dbus/notify/coalesce", test_coalesce);
  g_test_add_func ("/dbus/notify/burst", test_burst);

  status = g_test_run ();

  baton_client_stop_stream (agent_client);
  g_clear_object (&notifier);
  g_clear_object (&agent_client);
  g_clear_object (&settings);
  g_clear_object (&app);
  g_clear_pointer (&opened, g_ptr_array_unref);
  g_clear_pointer (&received, g_ptr_array_unref);
  baton_test_server_free (server);
  g_subprocess_force_exit (mock);
  g_subprocess_wait (mock, NULL, NULL);
  /* libnotify keeps a proxy on the bus: let go of it, and of what is queued. */
  notify_uninit ();
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&bus);
  if (test_bus)
    g_test_dbus_down (test_bus);
  return status;
}
