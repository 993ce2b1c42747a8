/* baton-login-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-login-page"

#include "config.h"

#include <glib/gi18n.h>
#include <signal.h>

#include "baton-login-page.h"

#define DEMO_EMAIL "maya@demo.baton.chat"
#define DEMO_PASSWORD "demo-manager"

struct _BatonLoginPage
{
  AdwBin parent_instance;

  /* template widgets */
  AdwEntryRow *server_row;
  AdwEntryRow *email_row;
  AdwPasswordEntryRow *password_row;
  GtkButton *sign_in_button;
  GtkButton *demo_button;
  GtkLabel *error_label;
  GtkSpinner *spinner;

  /* owned */
  BatonClient *client;
  GSubprocess *demo;
  GCancellable *cancellable;

  /* state */
  gboolean busy;
  gboolean signing_in_demo;
};

enum {
  SIGNED_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BatonLoginPage, baton_login_page, ADW_TYPE_BIN)

static void
set_busy (BatonLoginPage *self,
          gboolean        busy)
{
  self->busy = busy;
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->demo_button), !busy);
}

static void
show_error (BatonLoginPage *self,
            const char     *message)
{
  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/* What a person can do about each failure. */
static const char *
describe_error (const GError *error)
{
  if (g_error_matches (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_UNREACHABLE))
    return _("The server cannot be reached. Check its address and your connection.");
  if (g_error_matches (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_UNAUTHORIZED))
    return _("Wrong email or password.");
  if (g_error_matches (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_RATE_LIMITED))
    return _("Too many failed attempts. Wait a few minutes, then try again.");
  if (g_error_matches (error, BATON_CLIENT_ERROR, BATON_CLIENT_ERROR_UNPROCESSABLE))
    return _("Enter an email address and a password.");
  /* 503: too many sign-ins at once on the server */
  if (g_strcmp0 (baton_client_error_get_name (error), "unavailable") == 0)
    return _("The server is busy. Try again in a moment.");
  return error->message;
}

static void
login_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(BatonLoginPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonClient) client = BATON_CLIENT (g_object_ref (source));
  g_autofree char *email = NULL;

  /* Cancelled: the page is disposed, its widgets are gone. */
  if (!baton_client_login_finish (client, result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_busy (self, FALSE);
  if (error)
    {
      show_error (self, describe_error (error));
      return;
    }
  email = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->email_row)));
  /* The demo's server ends with the app: nobody should try to sign in to it again. */
  if (self->signing_in_demo)
    g_object_set_data (G_OBJECT (client), "baton-demo", GINT_TO_POINTER (TRUE));
  self->signing_in_demo = FALSE;
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  g_signal_emit (self, signals[SIGNED_IN], 0, client, email);
}

static void
sign_in (BatonLoginPage *self,
         const char     *server_url,
         const char     *email,
         const char     *password)
{
  g_autoptr(BatonClient) client = NULL;

  show_error (self, NULL);
  set_busy (self, TRUE);
  self->signing_in_demo = FALSE;
  client = baton_client_new (server_url);
  baton_client_login_async (client, email, password, self->cancellable, login_done_cb,
                            g_object_ref (self));
}

static char *
normalize_url (const char *text)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  if (*stripped == '\0')
    return NULL;
  if (!g_str_has_prefix (stripped, "http://") && !g_str_has_prefix (stripped, "https://"))
    return g_strconcat ("https://", stripped, NULL);
  while (g_str_has_suffix (stripped, "/"))
    stripped[strlen (stripped) - 1] = '\0';
  return g_steal_pointer (&stripped);
}

static void
sign_in_clicked_cb (BatonLoginPage *self)
{
  g_autofree char *url = normalize_url (gtk_editable_get_text (GTK_EDITABLE (self->server_row)));
  const char *email = gtk_editable_get_text (GTK_EDITABLE (self->email_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  if (self->busy)
    return;
  if (url == NULL)
    {
      show_error (self, _("Enter the address of your Baton server."));
      gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
      return;
    }
  sign_in (self, url, email, password);
}

/* batond lives next to baton in a build tree, or in the same bindir once installed. */
static char *
find_batond (void)
{
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = self_path ? g_path_get_dirname (self_path) : NULL;
  const char *env = g_getenv ("BATOND");
  char *candidate = NULL;

  if (env && *env)
    return g_strdup (env);
  if (dir)
    {
      candidate = g_build_filename (dir, "..", "server", "batond", NULL);
      if (g_file_test (candidate, G_FILE_TEST_IS_EXECUTABLE))
        return candidate;
      g_free (candidate);
      candidate = g_build_filename (dir, "batond", NULL);
      if (g_file_test (candidate, G_FILE_TEST_IS_EXECUTABLE))
        return candidate;
      g_free (candidate);
    }
  return g_find_program_in_path ("batond");
}

static void
demo_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(BatonLoginPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source),
                                                                     result, NULL, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (line == NULL || !g_str_has_prefix (line, "listening on "))
    {
      set_busy (self, FALSE);
      show_error (self, _("The demo server did not start."));
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), line + strlen ("listening on "));
  gtk_editable_set_text (GTK_EDITABLE (self->email_row), DEMO_EMAIL);
  sign_in (self, line + strlen ("listening on "), DEMO_EMAIL, DEMO_PASSWORD);
  self->signing_in_demo = TRUE;
}

/* A local batond with the demo workspace under the user's data dir, on a free port; it ends
 * with the app. */
void
baton_login_page_start_demo (BatonLoginPage *self)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *batond = find_batond ();
  g_autofree char *data_dir = g_build_filename (g_get_user_data_dir (), "baton", "demo", NULL);

  g_return_if_fail (BATON_IS_LOGIN_PAGE (self));

  if (self->busy)
    return;
  show_error (self, NULL);
  if (batond == NULL)
    {
      show_error (self, _("The demo needs batond, which is not installed."));
      return;
    }
  if (self->demo)
    g_subprocess_force_exit (self->demo);
  g_clear_object (&self->demo);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  self->demo = g_subprocess_launcher_spawn (launcher, &error, batond, "demo", "--data-dir",
                                            data_dir, "--listen", "127.0.0.1:0", "--simulate",
                                            "3", NULL);
  if (self->demo == NULL)
    {
      show_error (self, error->message);
      return;
    }
  set_busy (self, TRUE);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->demo));
  g_data_input_stream_read_line_async (lines, G_PRIORITY_DEFAULT, self->cancellable,
                                       demo_line_cb, g_object_ref (self));
}

static void
demo_clicked_cb (BatonLoginPage *self)
{
  baton_login_page_start_demo (self);
}

static void
baton_login_page_dispose (GObject *object)
{
  BatonLoginPage *self = BATON_LOGIN_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  gtk_widget_dispose_template (GTK_WIDGET (self), BATON_TYPE_LOGIN_PAGE);

  G_OBJECT_CLASS (baton_login_page_parent_class)->dispose (object);
}

static void
baton_login_page_finalize (GObject *object)
{
  BatonLoginPage *self = BATON_LOGIN_PAGE (object);

  /* The demo server lives as long as the app that started it. */
  if (self->demo)
    g_subprocess_send_signal (self->demo, SIGTERM);
  g_clear_object (&self->demo);

  G_OBJECT_CLASS (baton_login_page_parent_class)->finalize (object);
}

static void
baton_login_page_class_init (BatonLoginPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = baton_login_page_dispose;
  object_class->finalize = baton_login_page_finalize;

  /* (client, email) */
  signals[SIGNED_IN] = g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 2, BATON_TYPE_CLIENT,
                                     G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/baton/Baton/ui/baton-login-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BatonLoginPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, BatonLoginPage, email_row);
  gtk_widget_class_bind_template_child (widget_class, BatonLoginPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, BatonLoginPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, BatonLoginPage, demo_button);
  gtk_widget_class_bind_template_child (widget_class, BatonLoginPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, BatonLoginPage, spinner);
  gtk_widget_class_bind_template_callback (widget_class, sign_in_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, demo_clicked_cb);
}

static void
baton_login_page_init (BatonLoginPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

GtkWidget *
baton_login_page_new (void)
{
  return g_object_new (BATON_TYPE_LOGIN_PAGE, NULL);
}

void
baton_login_page_prefill (BatonLoginPage *self,
                          const char     *server_url,
                          const char     *email)
{
  g_return_if_fail (BATON_IS_LOGIN_PAGE (self));

  if (server_url && *server_url)
    gtk_editable_set_text (GTK_EDITABLE (self->server_row), server_url);
  if (email && *email)
    gtk_editable_set_text (GTK_EDITABLE (self->email_row), email);
}
