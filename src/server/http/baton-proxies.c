/* baton-proxies.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-proxies"

#include "config.h"

#include "baton-proxies.h"

GPtrArray *
baton_proxies_parse (const char  *list,
                     GError     **error)
{
  g_autoptr(GPtrArray) masks = g_ptr_array_new_with_free_func (g_object_unref);
  g_auto(GStrv) items = g_strsplit (list ? list : "", ",", -1);

  for (guint i = 0; items[i]; i++)
    {
      const char *item = g_strstrip (items[i]);
      GInetAddressMask *mask = NULL;

      if (*item == '\0')
        continue;
      mask = g_inet_address_mask_new_from_string (item, NULL);
      if (mask == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "“%s” is not an IP address or network (such as 10.0.0.0/8)", item);
          return NULL;
        }
      g_ptr_array_add (masks, mask);
    }
  return g_steal_pointer (&masks);
}

/* An address such as "203.0.113.7" or "[2001:db8::1]"; NULL when it is not one. */
static GInetAddress *
parse_address (const char *text)
{
  g_autofree char *bare = NULL;

  if (text[0] == '[' && g_str_has_suffix (text, "]"))
    bare = g_strndup (text + 1, strlen (text) - 2);
  return g_inet_address_new_from_string (bare ? bare : text);
}

static gboolean
is_trusted (GPtrArray    *trusted,
            GInetAddress *address)
{
  for (guint i = 0; trusted && i < trusted->len; i++)
    if (g_inet_address_mask_matches (trusted->pdata[i], address))
      return TRUE;
  return FALSE;
}

char *
baton_proxies_client_address (GPtrArray  *trusted,
                              const char *peer,
                              const char *forwarded_for)
{
  g_autoptr(GInetAddress) peer_address = peer ? parse_address (peer) : NULL;
  g_auto(GStrv) hops = NULL;
  g_autofree char *client = g_strdup (peer ? peer : "");

  if (forwarded_for == NULL || peer_address == NULL || !is_trusted (trusted, peer_address))
    return g_steal_pointer (&client);
  hops = g_strsplit (forwarded_for, ",", -1);
  for (guint i = g_strv_length (hops); i > 0; i--)
    {
      const char *hop = g_strstrip (hops[i - 1]);
      g_autoptr(GInetAddress) address = parse_address (hop);

      /* Not an address: whoever wrote it is not to be believed further left. */
      if (address == NULL)
        break;
      g_free (client);
      client = g_inet_address_to_string (address);
      if (!is_trusted (trusted, address))
        break;
    }
  return g_steal_pointer (&client);
}
