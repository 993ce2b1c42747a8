/* baton-login-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-login-page"

#include "config.h"

#include <glib/gi18n.h>

#include "baton-describe.h"
#include "baton-login-page.h"

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
  return baton_describe_error (error);
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

static void
demo_started_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(BatonLoginPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = baton_demo_server_start_finish (BATON_DEMO_SERVER (source), result,
                                                         &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (url == NULL)
    {
      set_busy (self, FALSE);
      show_error (self, error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), url);
  gtk_editable_set_text (GTK_EDITABLE (self->email_row), BATON_DEMO_EMAIL);
  sign_in (self, url, BATON_DEMO_EMAIL, BATON_DEMO_PASSWORD);
  self->signing_in_demo = TRUE;
}

/* Starts the demo server (its owner's, which decides how long it lives) and signs in to it. */
void
baton_login_page_start_demo (BatonLoginPage  *self,
                             BatonDemoServer *server)
{
  g_return_if_fail (BATON_IS_LOGIN_PAGE (self));
  g_return_if_fail (BATON_IS_DEMO_SERVER (server));

  if (self->busy)
    return;
  show_error (self, NULL);
  set_busy (self, TRUE);
  baton_demo_server_start_async (server, self->cancellable, demo_started_cb,
                                 g_object_ref (self));
}

/* The application owns the demo server: the button asks it through app.start-demo. */
static void
demo_clicked_cb (BatonLoginPage *self)
{
  if (!gtk_widget_activate_action (GTK_WIDGET (self), "app.start-demo", NULL))
    show_error (self, _("The demo is not available here."));
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
baton_login_page_class_init (BatonLoginPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = baton_login_page_dispose;

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
