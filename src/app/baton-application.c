/* baton-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-application"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>

#include "baton-application.h"
#include "baton-notifier.h"
#include "baton-preferences-window.h"
#include "baton-reports-window.h"
#include "baton-secret-store.h"
#include "baton-teams-dialog.h"
#include "baton-uninstalled.h"
#include "baton-window.h"

struct _BatonApplication
{
  AdwApplication parent_instance;

  /* owned */
  BatonSettings *settings;
  BatonNotifier *notifier;
  BatonClient *client;
  /* the local demo batond, made when first asked for; it ends with the application */
  BatonDemoServer *demo_server;
  char *email;
  GCancellable *cancellable;

  /* state */
  gboolean demo;
  /* SIGTERM, SIGINT and SIGHUP quit as Ctrl+Q does (and so stop the demo server) */
  guint signal_ids[3];
};

G_DEFINE_FINAL_TYPE (BatonApplication, baton_application, ADW_TYPE_APPLICATION)

static BatonWindow *
main_window (BatonApplication *self)
{
  GtkWindow *window = NULL;

  /* The most recently focused BatonWindow: the preferences window is an app window too. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l && !window; l = l->next)
    if (BATON_IS_WINDOW (l->data))
      window = l->data;
  if (window == NULL)
    {
      BatonWindow *created = baton_window_new (ADW_APPLICATION (self));
      GSettings *gsettings = baton_settings_get_gsettings (self->settings);

      gtk_window_set_default_size (GTK_WINDOW (created),
                                   g_settings_get_int (gsettings, "window-width"),
                                   g_settings_get_int (gsettings, "window-height"));
      if (g_settings_get_boolean (gsettings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (created));
      window = GTK_WINDOW (created);
    }
  return BATON_WINDOW (window);
}

/* Only managers edit teams: agents do not get the menu item. */
static void
update_teams_action (BatonApplication *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "teams");
  BatonAgent *me = self->client ? baton_client_get_me (self->client) : NULL;

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), me && me->role == BATON_ROLE_MANAGER);
}

static void
show_signed_in (BatonApplication *self)
{
  BatonWindow *window = main_window (self);

  baton_window_set_client (window, self->client);
  baton_notifier_set_client (self->notifier, self->client);
  baton_client_start_stream (self->client);
  /* A role can change while signed in (agent.updated updates "me"). */
  g_signal_handlers_disconnect_by_func (self->client, update_teams_action, self);
  g_signal_connect_object (self->client, "notify::me", G_CALLBACK (update_teams_action), self,
                           G_CONNECT_SWAPPED);
  update_teams_action (self);
  gtk_window_present (GTK_WINDOW (window));
}

static void
token_saved_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!baton_secret_store_save_finish (result, &error))
    g_warning ("Cannot keep the sign-in in the keyring: %s", error->message);
}

void
baton_application_sign_in (BatonApplication *self,
                           BatonClient      *client,
                           const char       *email)
{
  g_return_if_fail (BATON_IS_APPLICATION (self));
  g_return_if_fail (BATON_IS_CLIENT (client));

  if (self->client && self->client != client)
    baton_client_stop_stream (self->client);
  g_set_object (&self->client, client);
  g_free (self->email);
  self->email = g_strdup (email);
  if (g_object_get_data (G_OBJECT (client), "baton-demo") == NULL)
    baton_settings_set_last_account (self->settings, baton_client_get_server_url (client),
                                     email);
  /* The demo's server is gone with the app: there is no point keeping its token. */
  if (!self->demo && g_object_get_data (G_OBJECT (client), "baton-demo") == NULL)
    baton_secret_store_save_async (baton_client_get_server_url (client), email,
                                   baton_client_get_token (client), NULL, token_saved_cb, NULL);
  show_signed_in (self);
}

static void
logged_out_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The token is dead or will be: nothing more to do about a failure. */
  baton_client_logout_finish (BATON_CLIENT (source), result, &error);
}

static void
token_cleared_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  baton_secret_store_clear_finish (result, NULL);
}

void
baton_application_sign_out (BatonApplication *self)
{
  g_return_if_fail (BATON_IS_APPLICATION (self));

  if (self->client == NULL)
    return;
  baton_client_stop_stream (self->client);
  baton_client_logout_async (self->client, NULL, logged_out_cb, NULL);
  baton_secret_store_clear_async (baton_client_get_server_url (self->client), self->email, NULL,
                                  token_cleared_cb, NULL);
  g_signal_handlers_disconnect_by_func (self->client, update_teams_action, self);
  g_clear_object (&self->client);
  update_teams_action (self);
  baton_notifier_set_client (self->notifier, NULL);
  baton_window_set_client (main_window (self), NULL);
}

/* Silent sign-in with the token kept from last time. */
static void
me_refreshed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(BatonApplication) self = user_data;
  g_autoptr(BatonClient) client = BATON_CLIENT (g_object_ref (source));
  g_autoptr(GError) error = NULL;

  if (!baton_client_refresh_me_finish (client, result, &error))
    {
      gtk_window_present (GTK_WINDOW (main_window (self)));
      return;
    }
  g_set_object (&self->client, client);
  /* The account the token was kept for: sign-out clears it from the keyring. */
  g_free (self->email);
  self->email = baton_settings_dup_last_email (self->settings);
  show_signed_in (self);
}

static void
token_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(BatonApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = baton_secret_store_load_finish (result, &error);
  g_autofree char *server_url = baton_settings_dup_last_server_url (self->settings);
  g_autoptr(BatonClient) client = NULL;

  if (token == NULL)
    {
      gtk_window_present (GTK_WINDOW (main_window (self)));
      return;
    }
  client = baton_client_new (server_url);
  baton_client_set_token (client, token);
  baton_client_refresh_me_async (client, self->cancellable, me_refreshed_cb,
                                 g_object_ref (self));
}

static void
baton_application_activate (GApplication *application)
{
  BatonApplication *self = BATON_APPLICATION (application);
  BatonWindow *window = main_window (self);
  g_autofree char *server_url = baton_settings_dup_last_server_url (self->settings);
  g_autofree char *email = baton_settings_dup_last_email (self->settings);

  if (self->client)
    {
      gtk_window_present (GTK_WINDOW (window));
      return;
    }
  baton_window_set_client (window, NULL);
  if (self->demo)
    {
      g_action_group_activate_action (G_ACTION_GROUP (self), "start-demo", NULL);
      return;
    }
  baton_window_prefill_login (window, server_url, email);
  if (*server_url && *email)
    baton_secret_store_load_async (server_url, email, self->cancellable, token_loaded_cb,
                                   g_object_ref (self));
  else
    gtk_window_present (GTK_WINDOW (window));
}

static int
baton_application_handle_local_options (GApplication *application,
                                        GVariantDict *options)
{
  BatonApplication *self = BATON_APPLICATION (application);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("baton %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }
  self->demo = g_variant_dict_contains (options, "demo");
  return -1;
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
sign_out_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  baton_application_sign_out (BATON_APPLICATION (user_data));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  BatonApplication *self = BATON_APPLICATION (user_data);
  const char *developers[] = { "The Baton developers", NULL };
  GtkWidget *about = adw_about_window_new ();

  g_object_set (about,
                "transient-for", main_window (self),
                "application-name", _("Baton"),
                "application-icon", APP_ID,
                "version", PACKAGE_VERSION,
                "developer-name", _("The Baton developers"),
                "developers", developers,
                "comments", _("A team inbox for WhatsApp customer conversations"),
                "license-type", GTK_LICENSE_GPL_3_0,
                "translator-credits", _("translator-credits"),
                NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  BatonApplication *self = BATON_APPLICATION (user_data);
  BatonPreferencesWindow *preferences = baton_preferences_window_new (self->settings,
                                                                      self->client);

  gtk_window_set_application (GTK_WINDOW (preferences), GTK_APPLICATION (self));
  gtk_window_set_transient_for (GTK_WINDOW (preferences), GTK_WINDOW (main_window (self)));
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
teams_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  BatonApplication *self = BATON_APPLICATION (user_data);

  if (self->client == NULL)
    return;
  gtk_window_present (GTK_WINDOW (baton_teams_dialog_new (GTK_WINDOW (main_window (self)),
                                                          self->client)));
}

static void
reports_action (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  BatonApplication *self = BATON_APPLICATION (user_data);
  BatonReportsWindow *reports = NULL;

  if (self->client == NULL || baton_client_get_me (self->client) == NULL)
    return;
  reports = baton_reports_window_new (self->client);
  gtk_window_set_application (GTK_WINDOW (reports), GTK_APPLICATION (self));
  gtk_window_set_transient_for (GTK_WINDOW (reports), GTK_WINDOW (main_window (self)));
  gtk_window_present (GTK_WINDOW (reports));
}

static BatonDemoServer *
demo_server (BatonApplication *self)
{
  if (self->demo_server == NULL)
    self->demo_server = baton_demo_server_new ();
  return self->demo_server;
}

/* "Try the demo" on the login page, and --demo. */
static void
start_demo_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  BatonApplication *self = BATON_APPLICATION (user_data);
  BatonWindow *window = main_window (self);

  gtk_window_present (GTK_WINDOW (window));
  baton_window_start_demo (window, demo_server (self));
}

static void
open_conversation_action (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  BatonApplication *self = BATON_APPLICATION (user_data);
  BatonWindow *window = main_window (self);

  baton_window_open_conversation (window, g_variant_get_string (parameter, NULL));
  gtk_window_present (GTK_WINDOW (window));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "sign-out", sign_out_action },
  { "about", about_action },
  { "preferences", preferences_action },
  { "teams", teams_action },
  { "open-conversation", open_conversation_action, "s" },
  { "start-demo", start_demo_action },
  { "reports", reports_action },
};

static gboolean
quit_signalled_cb (gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}

static void
watch_signals (BatonApplication *self)
{
  const int signals[] = { SIGTERM, SIGINT, SIGHUP };

  G_STATIC_ASSERT (G_N_ELEMENTS (signals) == G_N_ELEMENTS (self->signal_ids));
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    self->signal_ids[i] = g_unix_signal_add (signals[i], quit_signalled_cb, self);
}

static void
unwatch_signals (BatonApplication *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->signal_ids); i++)
    g_clear_handle_id (&self->signal_ids[i], g_source_remove);
}

static void
baton_application_startup (GApplication *application)
{
  BatonApplication *self = BATON_APPLICATION (application);
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *preferences_accels[] = { "<Control>comma", NULL };
  const char *reports_accels[] = { "<Control><Alt>r", NULL };

  G_APPLICATION_CLASS (baton_application_parent_class)->startup (application);
  baton_add_build_icons (gdk_display_get_default ());

  self->settings = baton_settings_new ();
  self->notifier = baton_notifier_new (application, self->settings);
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  update_teams_action (self);
  watch_signals (self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.reports", reports_accels);
}

/* The demo batond ends with the application, whoever still holds a reference to it (a start
 * in flight does), and is gone before the process exits. */
static void
baton_application_shutdown (GApplication *application)
{
  BatonApplication *self = BATON_APPLICATION (application);

  unwatch_signals (self);
  if (self->demo_server)
    baton_demo_server_stop (self->demo_server);
  g_clear_object (&self->demo_server);
  G_APPLICATION_CLASS (baton_application_parent_class)->shutdown (application);
}

static void
baton_application_dispose (GObject *object)
{
  BatonApplication *self = BATON_APPLICATION (object);

  /* Started up but never run (registered only): nothing must call back into us. */
  unwatch_signals (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->client)
    baton_client_stop_stream (self->client);
  g_clear_object (&self->client);
  g_clear_object (&self->demo_server);
  g_clear_object (&self->notifier);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->email, g_free);

  G_OBJECT_CLASS (baton_application_parent_class)->dispose (object);
}

static void
baton_application_class_init (BatonApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = baton_application_dispose;
  app_class->activate = baton_application_activate;
  app_class->startup = baton_application_startup;
  app_class->shutdown = baton_application_shutdown;
  app_class->handle_local_options = baton_application_handle_local_options;
}

static void
baton_application_init (BatonApplication *self)
{
  const GOptionEntry options[] = {
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Start a local demo server and sign in to it"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version"), NULL },
    { NULL }
  };

  self->cancellable = g_cancellable_new ();
  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

BatonApplication *
baton_application_new (void)
{
  return g_object_new (BATON_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/org/baton/Baton",
                       NULL);
}

BatonSettings *
baton_application_get_settings (BatonApplication *self)
{
  g_return_val_if_fail (BATON_IS_APPLICATION (self), NULL);

  return self->settings;
}

BatonClient *
baton_application_get_client (BatonApplication *self)
{
  g_return_val_if_fail (BATON_IS_APPLICATION (self), NULL);

  return self->client;
}

BatonNotifier *
baton_application_get_notifier (BatonApplication *self)
{
  g_return_val_if_fail (BATON_IS_APPLICATION (self), NULL);

  return self->notifier;
}
