/* baton-demo-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-demo-server"

#include "config.h"

#include <glib/gi18n.h>
#include <signal.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "baton-demo-server.h"

#define LISTENING "listening on "
/* batond stops cleanly on SIGTERM within about a second; past this, it is killed. */
#define STOP_TIMEOUT_MS 5000

struct _BatonDemoServer
{
  GObject parent_instance;

  /* owned refs */
  GSubprocess *process;
};

G_DEFINE_FINAL_TYPE (BatonDemoServer, baton_demo_server, G_TYPE_OBJECT)

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

typedef struct {
  gboolean done;
  gboolean exited;
} Wait;

static void
exited_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *wait = user_data;

  wait->exited = g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  wait->done = TRUE;
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* Waits at most timeout_ms for the process to exit (and be reaped), on a context of its own:
 * the application is quitting, none of its sources may run again. */
static gboolean
wait_for_exit (GSubprocess *process,
               guint        timeout_ms)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSource) timeout = g_timeout_source_new (timeout_ms);
  Wait wait = { FALSE, FALSE };

  g_main_context_push_thread_default (context);
  g_subprocess_wait_async (process, cancellable, exited_cb, &wait);
  g_source_set_callback (timeout, cancel_cb, cancellable, NULL);
  g_source_attach (timeout, context);
  while (!wait.done)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timeout);
  g_main_context_pop_thread_default (context);
  return wait.exited;
}

/* In the child, before batond starts: should the app die without stopping it (a crash, a
 * SIGKILL), the kernel sends it SIGTERM. Only async-signal-safe calls here. */
static void
die_with_parent (gpointer user_data)
{
#ifdef __linux__
  pid_t parent = GPOINTER_TO_INT (user_data);

  prctl (PR_SET_PDEATHSIG, SIGTERM);
  /* The app died before that call. */
  if (getppid () != parent)
    _exit (1);
#endif
}

static void
line_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source),
                                                                     result, NULL, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_steal_pointer (&error));
  else if (line == NULL || !g_str_has_prefix (line, LISTENING))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                             _("The demo server did not start."));
  else
    g_task_return_pointer (task, g_strdup (line + strlen (LISTENING)), g_free);
}

static void
baton_demo_server_finalize (GObject *object)
{
  /* The demo server lives as long as its owner. */
  baton_demo_server_stop (BATON_DEMO_SERVER (object));
  G_OBJECT_CLASS (baton_demo_server_parent_class)->finalize (object);
}

static void
baton_demo_server_class_init (BatonDemoServerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = baton_demo_server_finalize;
}

static void
baton_demo_server_init (BatonDemoServer *self)
{
}

BatonDemoServer *
baton_demo_server_new (void)
{
  return g_object_new (BATON_TYPE_DEMO_SERVER, NULL);
}

void
baton_demo_server_start_async (BatonDemoServer     *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *batond = find_batond ();
  g_autofree char *data_dir = g_build_filename (g_get_user_data_dir (), "baton", "demo", NULL);

  g_return_if_fail (BATON_IS_DEMO_SERVER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, baton_demo_server_start_async);
  if (batond == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("The demo needs batond, which is not installed."));
      return;
    }
  /* Never two on the same data dir. */
  baton_demo_server_stop (self);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, GINT_TO_POINTER (getpid ()),
                                         NULL);
  self->process = g_subprocess_launcher_spawn (launcher, &error, batond, "demo", "--data-dir",
                                               data_dir, "--listen", "127.0.0.1:0",
                                               "--simulate", "3", NULL);
  if (self->process == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  g_data_input_stream_read_line_async (lines, G_PRIORITY_DEFAULT, cancellable, line_read_cb,
                                       g_steal_pointer (&task));
}

char *
baton_demo_server_start_finish (BatonDemoServer  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == baton_demo_server_start_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Ends batond and waits until it is gone, however it was started (a start in flight holds a
 * reference: the owner stops it rather than counting on the last unref). */
void
baton_demo_server_stop (BatonDemoServer *self)
{
  g_autoptr(GSubprocess) process = NULL;

  g_return_if_fail (BATON_IS_DEMO_SERVER (self));

  process = g_steal_pointer (&self->process);
  if (process == NULL)
    return;
  g_subprocess_send_signal (process, SIGTERM);
  if (wait_for_exit (process, STOP_TIMEOUT_MS))
    return;
  g_warning ("The demo server did not stop in time: killed");
  g_subprocess_force_exit (process);
  g_subprocess_wait (process, NULL, NULL);
}
