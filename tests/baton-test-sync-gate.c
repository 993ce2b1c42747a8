/* baton-test-sync-gate.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Preloaded into a batond under test: the fdatasync of batond's sync thread (not SQLite's own,
 * which run on the main thread) waits while "<gate>.hold" exists and fails with EIO while
 * "<gate>.fail" exists, <gate> being $BATON_TEST_SYNC_GATE. A test can so hold the disk
 * and see what batond answers meanwhile.
 */
#define _GNU_SOURCE

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int fdatasync (int fd);

static int
gate_exists (const char *gate,
             const char *suffix)
{
  char path[4096];

  snprintf (path, sizeof path, "%s.%s", gate, suffix);
  return access (path, F_OK) == 0;
}

int
fdatasync (int fd)
{
  static int (*real) (int);
  const char *gate = getenv ("BATON_TEST_SYNC_GATE");

  if (gate && gettid () != getpid ())
    {
      if (gate_exists (gate, "fail"))
        {
          errno = EIO;
          return -1;
        }
      while (gate_exists (gate, "hold"))
        usleep (5000);
    }
  if (real == NULL)
    real = (int (*) (int)) dlsym (RTLD_NEXT, "fdatasync");
  return real (fd);
}
