/* baton-test-domain.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "baton-test-store.h"
#include "baton-workspace.h"

G_BEGIN_DECLS

/* The domain in process, for the domain tests: a workspace over a temporary store and a test
 * clock (2026-01-01T00:00:00Z). */
typedef struct {
  BatonTestStore store;
  BatonClock *clock;
  BatonWorkspace *workspace;
  /* the customers written so far, for their numbers */
  guint n_phones;
} BatonTestDomain;

void               baton_test_domain_setup          (BatonTestDomain *domain,
                                                     gconstpointer    data);
void               baton_test_domain_teardown       (BatonTestDomain *domain,
                                                     gconstpointer    data);
/* an api channel whose customers go to team_id (or to nobody); its id */
char              *baton_test_domain_new_channel    (BatonTestDomain *domain,
                                                     const char      *team_id);
/* a new customer writes on the channel; the conversation as routing left it */
BatonConversation *baton_test_domain_customer_writes (BatonTestDomain *domain,
                                                      const char      *channel_id);

G_END_DECLS
