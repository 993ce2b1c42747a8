/* test-mailbox.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "baton-mailbox.h"
#include "baton-source.h"

#define N_POSTS 2000

typedef struct {
  /* the posts run, as (sender << 16 | n), in the order they ran */
  GArray *ran;
  GThread *runner;
  guint turns;
} Log;

typedef struct {
  Log *log;
  guint value;
} Post;

static void
post_cb (gpointer data)
{
  Post *post = data;

  g_assert_true (g_thread_self () == post->log->runner);
  g_array_append_val (post->log->ran, post->value);
}

typedef struct {
  BatonMailbox *mailbox;
  Log *log;
  guint sender;
} Sender;

static gpointer
send_thread (gpointer data)
{
  Sender *sender = data;

  for (guint i = 0; i < N_POSTS; i++)
    {
      Post *post = g_new (Post, 1);

      post->log = sender->log;
      post->value = sender->sender << 16 | i;
      baton_mailbox_post (sender->mailbox, post_cb, post, g_free);
    }
  return NULL;
}

/* Posts from other threads run on the mailbox's context, each sender's in its order. */
static void
test_order_across_threads (void)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(BatonMailbox) mailbox = baton_mailbox_new (context);
  Log log = { .ran = g_array_new (FALSE, FALSE, sizeof (guint)), .runner = g_thread_self () };
  Sender senders[2] = { { mailbox, &log, 1 }, { mailbox, &log, 2 } };
  GThread *threads[2];
  guint next[3] = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("sender", send_thread, &senders[i]);
  while (log.ran->len < 2 * N_POSTS)
    g_main_context_iteration (context, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);

  for (guint i = 0; i < log.ran->len; i++)
    {
      guint value = g_array_index (log.ran, guint, i);
      guint sender = value >> 16;

      g_assert_cmpuint (value & 0xffff, ==, next[sender]);
      next[sender]++;
    }
  g_assert_cmpuint (next[1], ==, N_POSTS);
  g_assert_cmpuint (next[2], ==, N_POSTS);
  g_array_unref (log.ran);
}

static void
count_turn_cb (gpointer data)
{
  Log *log = data;

  g_array_append_val (log->ran, log->turns);
}

static gboolean
turn_ended_cb (gpointer data)
{
  Log *log = data;

  log->turns++;
  return G_SOURCE_CONTINUE;
}

/* What was posted together runs in one turn of the loop: a source of the same priority does
 * not run between. */
static void
test_one_turn (void)
{
  g_autoptr(BatonMailbox) mailbox = baton_mailbox_new (NULL);
  Log log = { .ran = g_array_new (FALSE, FALSE, sizeof (guint)), .runner = g_thread_self () };
  guint idle = baton_idle_add_local (G_PRIORITY_DEFAULT, turn_ended_cb, &log, NULL);

  for (guint i = 0; i < 10; i++)
    baton_mailbox_post (mailbox, count_turn_cb, &log, NULL);
  while (log.ran->len < 10)
    g_main_context_iteration (NULL, TRUE);
  for (guint i = 1; i < 10; i++)
    g_assert_cmpuint (g_array_index (log.ran, guint, i), ==, g_array_index (log.ran, guint, 0));
  g_clear_handle_id (&idle, baton_source_remove_local);
  g_array_unref (log.ran);
}

static void
never_cb (gpointer data)
{
  g_assert_not_reached ();
}

static void
count_free (gpointer data)
{
  (*(guint *) data)++;
}

/* Calls a mailbox did not run when it goes are dropped, their data freed. */
static void
test_free_drops (void)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  BatonMailbox *mailbox = baton_mailbox_new (context);
  guint freed = 0;

  baton_mailbox_post (mailbox, never_cb, &freed, count_free);
  baton_mailbox_post (mailbox, never_cb, &freed, count_free);
  baton_mailbox_free (mailbox);
  g_assert_cmpuint (freed, ==, 2);
  g_assert_false (g_main_context_iteration (context, FALSE));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mailbox/order-across-threads", test_order_across_threads);
  g_test_add_func ("/mailbox/one-turn", test_one_turn);
  g_test_add_func ("/mailbox/free-drops", test_free_drops);

  return g_test_run ();
}
