/* fuzz-whatsapp-inbox.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdint.h>
#include <stdlib.h>

#include "baton-json.h"
#include "baton-store-sqlite.h"
#include "baton-whatsapp-channel.h"
#include "baton-whatsapp-webhook.h"
#include "baton-whatsapp.h"
#include "whatsapp-corpus.h"

/* Fuzz target for what a signed webhook body does to the inbox: the body is signed with the
 * app secret of number A, authenticated, stored and processed as batond does (contacts,
 * conversations, messages, reactions, number changes, statuses), in a workspace of its own
 * on a fresh copy of a template database each time, so that every input starts from the
 * same state and a finding replays alone. Number B belongs to another app: what the body says
 * for it must be ignored. Beyond "no crash, no leak, no critical", it checks that the body
 * was processed and that what was stored is valid UTF-8 and strict JSON. */

#define OTHER_APP_SECRET "another_app_secret_0b7e11"
#define NUMBER_B "402557813396021"
#define START_MS G_GINT64_CONSTANT (1773840000000)
#define MAX_TURNS 1000

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static char *dir;
static char *db_path;
static GBytes *template;

static void
remove_database (void)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (db_path, suffixes[i], NULL);

      g_unlink (path);
    }
}

static void
remove_dir (void)
{
  remove_database ();
  g_rmdir (dir);
}

static void
add_channel (BatonWorkspace *workspace,
             const char     *id,
             const char     *number,
             const char     *secret)
{
  BatonStore *store = baton_workspace_get_store (workspace);
  g_autoptr(GError) error = NULL;
  BatonWhatsappChannel channel = {
    .id = (char *) id, .name = (char *) id, .phone_number_id = (char *) number,
    .display_phone_number = (char *) "15557014422", .waba_id = (char *) "271839406512287",
    /* nothing listens there: nothing is sent anyway */
    .graph_base_url = (char *) "http://127.0.0.1:9", .access_token = (char *) "token",
    .app_secret = (char *) secret, .verify_token = (char *) "verify",
  };

  if (baton_store_exec (store, &error,
                        "INSERT INTO channels (id, kind, name, created_at, updated_at)"
                        " VALUES (?, 'whatsapp', ?, ?, ?)", "ssii", id, id, START_MS,
                        START_MS) < 0
      || !baton_whatsapp_channel_save (&channel, store, &error))
    g_error ("%s: %s", id, error->message);
}

static BatonStore *
open_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonStore) store = baton_store_sqlite_open (db_path, &error);

  if (store == NULL || !baton_store_migrate (store, &error))
    g_error ("%s: %s", db_path, error->message);
  return g_steal_pointer (&store);
}

/* The workspace every input starts from: a manager and the two numbers. */
static void
make_template (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonStore) store = NULL;
  g_autoptr(BatonClock) clock = baton_clock_new_test (START_MS);
  g_autoptr(BatonWorkspace) workspace = NULL;
  char *bytes = NULL;
  gsize length = 0;

  /* a tmpfs when there is one: the store syncs every accepted body */
  dir = g_build_filename (g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) ? "/dev/shm"
                                                                       : g_get_tmp_dir (),
                          "baton-fuzz-inbox-XXXXXX", NULL);
  if (g_mkdtemp (dir) == NULL)
    g_error ("%s: %s", dir, g_strerror (errno));
  db_path = g_build_filename (dir, "baton.db", NULL);
  atexit (remove_dir);
  store = open_store ();
  workspace = baton_workspace_new (store, clock);
  if (!baton_workspace_initialize (workspace, "Manager", "manager@example.com",
                                   "manager-password", &error))
    g_error ("%s", error->message);
  add_channel (workspace, "chn_a", NUMBER_A, APP_SECRET);
  add_channel (workspace, "chn_b", NUMBER_B, OTHER_APP_SECRET);
  g_clear_object (&workspace);
  baton_store_close (store);
  if (!g_file_get_contents (db_path, &bytes, &length, &error))
    g_error ("%s", error->message);
  template = g_bytes_new_take (bytes, length);
}

static void
check_stored (BatonStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonRows) rows = baton_store_query (store, &error,
                                                 "SELECT body, attachments, reactions"
                                                 " FROM messages", "");

  if (rows == NULL)
    g_error ("%s", error->message);
  for (guint r = 0; r < baton_rows_count (rows); r++)
    for (guint c = 0; c < 3; c++)
      {
        const char *text = baton_rows_text (rows, r, c);

        if (text && (!g_utf8_validate (text, -1, NULL)
                     || (c > 0 && !baton_json_is_strict (text, strlen (text)))))
          abort ();
      }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BatonStore) store = NULL;
  g_autoptr(BatonClock) clock = NULL;
  g_autoptr(BatonWorkspace) workspace = NULL;
  g_autoptr(BatonWhatsapp) whatsapp = NULL;
  g_autoptr(BatonWaBatch) batch = NULL;
  g_autofree char *hex = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *digest = NULL;
  const char *body = (const char *) data;

  if (template == NULL)
    {
      /* a critical from json-glib means a member was read with the wrong type */
      g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL);
      make_template ();
    }
  /* the webhook handler stores only what has an envelope */
  batch = baton_wa_batch_parse (body, size, NULL);
  if (batch == NULL)
    return 0;

  remove_database ();
  if (!g_file_set_contents (db_path, g_bytes_get_data (template, NULL),
                            (gssize) g_bytes_get_size (template), &error))
    g_error ("%s", error->message);
  store = open_store ();
  clock = baton_clock_new_test (START_MS + 3600 * 1000);
  workspace = baton_workspace_new (store, clock);
  whatsapp = baton_whatsapp_new (workspace, dir);

  hex = g_compute_hmac_for_data (G_CHECKSUM_SHA256, (const guchar *) APP_SECRET,
                                 strlen (APP_SECRET), data, size);
  signature = g_strconcat ("sha256=", hex, NULL);
  digest = baton_whatsapp_authenticate (whatsapp, body, size, signature);
  if (digest == NULL)
    abort ();
  if (!baton_whatsapp_accept (whatsapp, body, size, digest, &error))
    g_error ("not stored: %s", error->message);
  for (guint turn = 0; turn < MAX_TURNS && baton_whatsapp_get_unprocessed (whatsapp) > 0;
       turn++)
    g_main_context_iteration (NULL, FALSE);
  if (baton_whatsapp_get_unprocessed (whatsapp) > 0)
    abort ();
  check_stored (store);

  baton_whatsapp_stop (whatsapp);
  g_clear_object (&whatsapp);
  g_clear_object (&workspace);
  baton_store_close (store);
  /* what the workspace left on the main loop (none should touch it now) runs out */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return 0;
}
