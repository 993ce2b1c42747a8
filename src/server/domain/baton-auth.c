/* baton-auth.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-auth"

#include "config.h"

#include <sodium.h>

#include "baton-auth.h"
#include "baton-error.h"

gboolean
baton_auth_init (void)
{
  return sodium_init () >= 0;
}

/* Argon2id with libsodium's interactive limits: about a tenth of a second and 64 MiB. */
char *
baton_auth_hash_password (const char *password)
{
  char hash[crypto_pwhash_STRBYTES];

  if (crypto_pwhash_str_alg (hash, password, strlen (password),
                             crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE,
                             crypto_pwhash_ALG_ARGON2ID13) != 0)
    return NULL;
  return g_strdup (hash);
}

/* Verified when an account is unknown, so that both cases take the same time. */
static const char *
decoy_hash (void)
{
  static char *hash;

  if (g_once_init_enter (&hash))
    g_once_init_leave (&hash, baton_auth_hash_password ("decoy password for unknown accounts"));
  return hash;
}

gboolean
baton_auth_verify_password (const char *hash,
                            const char *password)
{
  if (hash == NULL || password == NULL)
    return FALSE;
  return crypto_pwhash_str_verify (hash, password, strlen (password)) == 0;
}

/* 32 random bytes, base64url without padding: the tokens and channel secrets. */
char *
baton_auth_new_secret (void)
{
  guchar bytes[32];
  char encoded[sodium_base64_ENCODED_LEN (32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2base64 (encoded, sizeof encoded, bytes, sizeof bytes,
                     sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero (bytes, sizeof bytes);
  return g_strdup (encoded);
}

/* A password a manager can read out or type: 16 letters and digits in groups of four, none
 * that look alike (0 O 1 l I), about 80 bits. */
char *
baton_auth_new_password (void)
{
  static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";
  GString *password = g_string_sized_new (20);

  for (guint i = 0; i < 16; i++)
    {
      if (i > 0 && i % 4 == 0)
        g_string_append_c (password, '-');
      g_string_append_c (password, alphabet[randombytes_uniform (sizeof alphabet - 1)]);
    }
  return g_string_free (password, FALSE);
}

/* Secrets are stored as their SHA-256, so a copy of the database grants nothing. */
char *
baton_auth_hash_secret (const char *secret)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, secret, -1);
}

gboolean
baton_auth_secret_matches (const char *hash,
                           const char *secret)
{
  g_autofree char *computed = NULL;

  if (hash == NULL || secret == NULL)
    return FALSE;
  computed = baton_auth_hash_secret (secret);
  if (strlen (computed) != strlen (hash))
    return FALSE;
  return sodium_memcmp (computed, hash, strlen (hash)) == 0;
}

/* Password work off the main loop, bounded: each Argon2id takes 64 MiB, so at most
 * max_in_flight run at once and the rest wait in order; past max_queued waiting, a request
 * is refused (BATON_ERROR_UNAVAILABLE) rather than held. All on the main context. */

#define ARGON2_MS 100

typedef struct {
  char *hash;
  char *password;
  gboolean verify;
} Job;

static guint max_in_flight;
static guint max_queued = 256;
static guint in_flight;
static GQueue waiting = G_QUEUE_INIT;

static void
job_free (Job *job)
{
  g_free (job->hash);
  if (job->password)
    sodium_memzero (job->password, strlen (job->password));
  g_free (job->password);
  g_free (job);
}

void
baton_auth_set_limits (guint max_checks,
                       guint max_waiting)
{
  max_in_flight = max_checks;
  max_queued = max_waiting;
}

static guint
limit (void)
{
  if (max_in_flight == 0)
    max_in_flight = MAX (2, g_get_num_processors ());
  return max_in_flight;
}

guint
baton_auth_get_in_flight (void)
{
  return in_flight;
}

guint
baton_auth_get_queued (void)
{
  return waiting.length;
}

static void
job_run (GTask        *task,
         gpointer      source_object,
         gpointer      task_data,
         GCancellable *cancellable)
{
  Job *job = task_data;

  if (job->verify)
    {
      /* no account: the decoy, for the same time and answer */
      gboolean ok = baton_auth_verify_password (job->hash ? job->hash : decoy_hash (),
                                                job->password);

      g_task_return_boolean (task, ok && job->hash != NULL);
      return;
    }
  g_task_return_pointer (task, baton_auth_hash_password (job->password), g_free);
}

static void start_next (void);

/* The job's thread is done: its slot goes to the next in line, its answer to the caller. */
static void
job_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GTask *inner = G_TASK (result);
  Job *job = g_task_get_task_data (task);

  in_flight--;
  start_next ();
  if (job->verify)
    g_task_return_boolean (task, g_task_propagate_boolean (inner, NULL));
  else
    g_task_return_pointer (task, g_task_propagate_pointer (inner, NULL), g_free);
}

static void
start (GTask *task)
{
  g_autoptr(GTask) inner = g_task_new (NULL, NULL, job_done_cb, task);

  in_flight++;
  g_task_set_task_data (inner, g_task_get_task_data (task), NULL);
  g_task_run_in_thread (inner, job_run);
}

static void
start_next (void)
{
  while (in_flight < limit () && waiting.length > 0)
    start (g_queue_pop_head (&waiting));
}

static void
submit (GTask *task)
{
  if (in_flight < limit ())
    {
      start (task);
      return;
    }
  if (waiting.length >= max_queued)
    {
      g_task_return_new_error (task, BATON_ERROR, BATON_ERROR_UNAVAILABLE,
                               "Too many sign-ins at once; try again shortly");
      g_object_unref (task);
      return;
    }
  g_queue_push_tail (&waiting, task);
}

/* How long the waiting line takes to clear, in whole seconds: a Retry-After. */
guint
baton_auth_retry_after (void)
{
  return MAX (1, (waiting.length + limit ()) * ARGON2_MS / limit () / 1000 + 1);
}

/* hash NULL: an unknown account, checked against a decoy, never matches. */
void
baton_auth_verify_password_async (const char          *hash,
                                  const char          *password,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task = g_task_new (NULL, NULL, callback, user_data);
  Job *job = g_new0 (Job, 1);

  job->hash = g_strdup (hash);
  job->password = g_strdup (password);
  job->verify = TRUE;
  g_task_set_source_tag (task, baton_auth_verify_password_async);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  submit (task);
}

/* TRUE when the password matches; FALSE with an error when it could not be checked. */
gboolean
baton_auth_verify_password_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
baton_auth_hash_password_async (const char          *password,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task = g_task_new (NULL, NULL, callback, user_data);
  Job *job = g_new0 (Job, 1);

  job->password = g_strdup (password);
  g_task_set_source_tag (task, baton_auth_hash_password_async);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  submit (task);
}

char *
baton_auth_hash_password_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_autofree char *hash = NULL;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  hash = g_task_propagate_pointer (G_TASK (result), error);
  if (hash == NULL && error && *error == NULL)
    g_set_error_literal (error, BATON_ERROR, BATON_ERROR_INTERNAL,
                         "Cannot hash the password (out of memory?)");
  return g_steal_pointer (&hash);
}
