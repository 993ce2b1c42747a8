/* baton-demo-graph.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-demo"

#include "config.h"

#include <math.h>
#include <string.h>

#include "baton-demo-graph.h"
#include "baton-graph-sandbox.h"
#include "baton-json.h"

/* The demo's use of the Graph API sandbox (see the header): the demo number, its templates and
 * media (generated here, without any image or PDF library), and what WhatsApp posts to the
 * webhook, following the corpus (18–20 for the statuses, 01–13 for what customers send). */

/* when WhatsApp reports a message sent, delivered to the phone, read by the customer */
#define SENT_AFTER_MS 1000
#define DELIVERED_AFTER_MS 2000
#define READ_AFTER_MS 5000
/* BATON_DEMO_GRAPH_DISPLAY_NUMBER as Meta writes it in metadata: digits only */
#define DISPLAY_DIGITS "442079460100"

struct _BatonDemoGraph
{
  GObject parent_instance;

  BatonWhatsapp *whatsapp;
  BatonGraphSandbox *sandbox;
  /* media id → GBytes */
  GHashTable *media_bytes;
  /* the sources of statuses not delivered yet */
  GHashTable *pending;
  GMutex pending_lock;
};

G_DEFINE_FINAL_TYPE (BatonDemoGraph, baton_demo_graph, G_TYPE_OBJECT)

/* ---- the sandbox's media ---- */

typedef struct {
  const char *id;
  /* the messages[] type a customer sends it as */
  const char *type;
  const char *mime_type;
  const char *filename;
  GBytes *(*make) (void);
} DemoMedia;

static GBytes *make_photo      (void);
static GBytes *make_order_form (void);

static const DemoMedia demo_media[] = {
  { BATON_DEMO_GRAPH_MEDIA_PHOTO, "image", "image/png", NULL, make_photo },
  { BATON_DEMO_GRAPH_MEDIA_ORDER_FORM, "document", "application/pdf",
    "Bon de commande RL-21177.pdf", make_order_form },
};

static const DemoMedia *
find_media (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (demo_media); i++)
    if (g_strcmp0 (demo_media[i].id, id) == 0)
      return &demo_media[i];
  return NULL;
}

/* ---- PNG, written by hand: stored (uncompressed) deflate blocks in a zlib stream ---- */

static guint32
crc32_update (guint32       crc,
              const guchar *data,
              gsize         length)
{
  static guint32 table[256];
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      for (guint32 n = 0; n < 256; n++)
        {
          guint32 c = n;

          for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
          table[n] = c;
        }
      g_once_init_leave (&initialized, 1);
    }
  for (gsize i = 0; i < length; i++)
    crc = table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  return crc;
}

static void
append_be32 (GByteArray *array,
             guint32     value)
{
  guchar bytes[4] = { value >> 24, value >> 16, value >> 8, value };

  g_byte_array_append (array, bytes, 4);
}

static void
append_chunk (GByteArray   *png,
              const char   *type,
              const guchar *data,
              gsize         length)
{
  guint32 crc = crc32_update (0xffffffffu, (const guchar *) type, 4);

  crc = crc32_update (crc, data, length);
  append_be32 (png, (guint32) length);
  g_byte_array_append (png, (const guchar *) type, 4);
  g_byte_array_append (png, data, (guint) length);
  append_be32 (png, crc ^ 0xffffffffu);
}

/* RFC 1950 around RFC 1951 stored blocks (at most 65535 bytes each), then Adler-32 */
static GByteArray *
zlib_stored (const guchar *data,
             gsize         length)
{
  GByteArray *out = g_byte_array_sized_new (length + length / 65535 * 5 + 16);
  static const guchar header[2] = { 0x78, 0x01 };
  guint32 a = 1, b = 0;
  gsize offset = 0;

  g_byte_array_append (out, header, 2);
  do
    {
      gsize block = MIN (length - offset, (gsize) 65535);
      guchar head[5] = { offset + block == length, block & 0xff, block >> 8,
                         ~block & 0xff, (~block >> 8) & 0xff };

      g_byte_array_append (out, head, 5);
      g_byte_array_append (out, data + offset, (guint) block);
      offset += block;
    }
  while (offset < length);
  for (gsize i = 0; i < length; i++)
    {
      a = (a + data[i]) % 65521;
      b = (b + a) % 65521;
    }
  append_be32 (out, (b << 16) | a);
  return out;
}

typedef struct {
  double r, g, b;
} Colour;

/* paints colour over a pixel with coverage (0: nothing, 1: opaque) */
static void
paint (Colour       *pixel,
       const Colour *colour,
       double        coverage)
{
  coverage = CLAMP (coverage, 0.0, 1.0);
  pixel->r += (colour->r - pixel->r) * coverage;
  pixel->g += (colour->g - pixel->g) * coverage;
  pixel->b += (colour->b - pixel->b) * coverage;
}

/* how much of a pixel at distance d from a line's middle a line of that width covers */
static double
stroke (double distance,
        double width)
{
  return width / 2 + 0.5 - distance;
}

static double
segment_distance (double x,
                  double y,
                  double x1,
                  double y1,
                  double x2,
                  double y2)
{
  double dx = x2 - x1, dy = y2 - y1;
  double t = ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy);

  t = CLAMP (t, 0.0, 1.0);
  return hypot (x - (x1 + t * dx), y - (y1 + t * dy));
}

/* A wheel: tyre, rim, 16 spokes and the hub; dent pushes part of the rim in (a pothole). */
static void
paint_wheel (Colour *pixel,
             double  x,
             double  y,
             double  cx,
             double  cy,
             double  dent)
{
  static const Colour tyre = { 34, 34, 38 }, rim = { 176, 181, 188 }, spoke = { 150, 154, 160 };
  static const Colour hub = { 90, 92, 98 };
  double dx = x - cx, dy = y - cy;
  double r = hypot (dx, dy);
  double angle = atan2 (dy, dx);
  double off = remainder (angle + 0.8, 2 * G_PI);
  double radius = 44 - dent * exp (-(off * off) / 0.06);

  paint (pixel, &tyre, stroke (fabs (r - (radius - 3)), 6));
  paint (pixel, &rim, stroke (fabs (r - (radius - 7.5)), 3));
  if (r < radius - 8)
    for (int k = 0; k < 16; k++)
      {
        double across = r * sin (angle - k * G_PI / 8);

        paint (pixel, &spoke, stroke (fabs (across), 1.0) * (r > 4));
      }
  paint (pixel, &hub, stroke (r, 9));
}

/* A gravel bike in Rouleur red on a sky and a road, its front wheel dented. */
static void
photo_pixel (double  x,
             double  y,
             Colour *pixel)
{
  static const Colour frame = { 196, 38, 52 }, dark = { 28, 28, 30 }, steel = { 120, 124, 130 };
  static const Colour shadow = { 62, 64, 68 };
  static const double tubes[][4] = {
    { 92, 128, 156, 130 },   /* chainstay */
    { 92, 128, 142, 74 },    /* seatstay */
    { 142, 74, 156, 130 },   /* seat tube */
    { 142, 74, 212, 72 },    /* top tube */
    { 208, 88, 156, 130 },   /* down tube */
    { 212, 70, 208, 90 },    /* head tube */
    { 208, 90, 228, 128 },   /* fork */
  };
  double sky = CLAMP (y / 170, 0.0, 1.0);

  if (y < 170)
    {
      pixel->r = 150 + 86 * sky;
      pixel->g = 200 + 44 * sky;
      pixel->b = 240 + 10 * sky;
    }
  else
    {
      double road = (y - 170) / 30;

      pixel->r = 104 - 30 * road;
      pixel->g = 106 - 30 * road;
      pixel->b = 112 - 30 * road;
    }
  /* the road's edge and the bike's shadow */
  paint (pixel, &(Colour) { 236, 236, 226 }, stroke (fabs (y - 171), 2));
  paint (pixel, &shadow, 0.6 * (1.0 - hypot ((x - 160) / 110, (y - 176) / 6)));

  paint_wheel (pixel, x, y, 92, 128, 0);
  paint_wheel (pixel, x, y, 228, 128, 7);
  for (guint i = 0; i < G_N_ELEMENTS (tubes); i++)
    paint (pixel, &frame, stroke (segment_distance (x, y, tubes[i][0], tubes[i][1], tubes[i][2],
                                                    tubes[i][3]), i == 4 ? 7 : 5));
  /* seat post, saddle, stem, drop bar, chainring and crank */
  paint (pixel, &steel, stroke (segment_distance (x, y, 142, 74, 138, 58), 4));
  paint (pixel, &dark, stroke (segment_distance (x, y, 126, 56, 150, 56), 5));
  paint (pixel, &steel, stroke (segment_distance (x, y, 212, 70, 222, 64), 4));
  paint (pixel, &dark, stroke (segment_distance (x, y, 222, 64, 236, 66), 4));
  paint (pixel, &dark, stroke (segment_distance (x, y, 236, 66, 234, 80), 4));
  paint (pixel, &steel, stroke (fabs (hypot (x - 156, y - 130) - 10), 3));
  paint (pixel, &dark, stroke (segment_distance (x, y, 156, 130, 164, 147), 4));
}

static GBytes *
make_png (guint width,
          guint height,
          void  (*draw) (double x, double y, Colour *pixel))
{
  gsize row = 1 + (gsize) width * 3;
  g_autofree guchar *raw = g_malloc0 (row * height);
  g_autoptr(GByteArray) compressed = NULL;
  GByteArray *png = g_byte_array_new ();
  static const guchar signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  guchar header[13] = {
    width >> 24, width >> 16, width >> 8, width,
    height >> 24, height >> 16, height >> 8, height,
    8,  /* bit depth */
    2,  /* truecolour */
    0, 0, 0,  /* deflate, adaptive filtering, no interlace */
  };

  for (guint y = 0; y < height; y++)
    {
      guchar *line = raw + y * row;

      line[0] = 0;  /* filter: none */
      for (guint x = 0; x < width; x++)
        {
          Colour pixel = { 0, 0, 0 };

          draw (x + 0.5, y + 0.5, &pixel);
          line[1 + x * 3] = (guchar) CLAMP (lround (pixel.r), 0, 255);
          line[2 + x * 3] = (guchar) CLAMP (lround (pixel.g), 0, 255);
          line[3 + x * 3] = (guchar) CLAMP (lround (pixel.b), 0, 255);
        }
    }
  compressed = zlib_stored (raw, row * height);
  g_byte_array_append (png, signature, 8);
  append_chunk (png, "IHDR", header, sizeof header);
  append_chunk (png, "IDAT", compressed->data, compressed->len);
  append_chunk (png, "IEND", NULL, 0);
  return g_byte_array_free_to_bytes (png);
}

static GBytes *
make_photo (void)
{
  return make_png (320, 200, photo_pixel);
}

/* ---- PDF, written by hand: one page of Helvetica text ---- */

/* a PDF string literal of UTF-8 text in WinAnsiEncoding (cp1252) */
static void
append_pdf_string (GString    *out,
                   const char *text)
{
  g_autofree char *latin = g_convert_with_fallback (text, -1, "CP1252", "UTF-8", "?", NULL,
                                                    NULL, NULL);
  const char *p = latin ? latin : text;

  g_string_append_c (out, '(');
  for (; *p; p++)
    {
      guchar c = (guchar) *p;

      if (c == '(' || c == ')' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c < 0x20 || c >= 0x7f)
        g_string_append_printf (out, "\\%03o", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, ')');
}

static void
append_text_at (GString    *content,
                const char *font,
                guint       size,
                guint       x,
                guint       y,
                const char *text)
{
  g_string_append_printf (content, "/%s %u Tf 1 0 0 1 %u %u Tm ", font, size, x, y);
  append_pdf_string (content, text);
  g_string_append (content, " Tj\n");
}

static GBytes *
make_order_form (void)
{
  /* label, amount */
  static const char * const rows[][2] = {
    { "1 × Carga Pro, vélo cargo électrique, vert sauge", "4 290,00 €" },
    { "1 × Housse de pluie pour caisse Carga", "89,00 €" },
    { "Livraison à l'atelier", "offerte" },
  };
  GString *content = g_string_new ("BT\n");
  GString *pdf = g_string_new (NULL);
  gsize offsets[7] = { 0 };
  gsize xref = 0;
  guint y = 620;

  append_text_at (content, "F2", 22, 56, 770, "ROULEUR");
  append_text_at (content, "F1", 10, 56, 754, "Vélos, ateliers et livraisons · Londres · Lyon");
  append_text_at (content, "F2", 16, 56, 706, "Bon de commande RL-21177");
  append_text_at (content, "F1", 11, 56, 676, "Client : Atelier Petit & Fils");
  append_text_at (content, "F1", 11, 56, 660,
                  "Livraison : 12 rue de la Charité, 69002 Lyon");
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++, y -= 18)
    {
      append_text_at (content, "F1", 11, 56, y, rows[i][0]);
      append_text_at (content, "F1", 11, 440, y, rows[i][1]);
    }
  append_text_at (content, "F2", 11, 56, y - 10, "Total TTC");
  append_text_at (content, "F2", 11, 440, y - 10, "4 379,00 €");
  append_text_at (content, "F1", 11, 56, y - 60, "Bon pour accord :");
  append_text_at (content, "F1", 11, 56, y - 76, "Léna Rousseau, gérante");
  g_string_append (content, "ET\n");

  g_string_append (pdf, "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n");
  offsets[1] = pdf->len;
  g_string_append (pdf, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
  offsets[2] = pdf->len;
  g_string_append (pdf, "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
  offsets[3] = pdf->len;
  g_string_append (pdf, "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
                        " /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >>"
                        " /Contents 6 0 R >>\nendobj\n");
  offsets[4] = pdf->len;
  g_string_append (pdf, "4 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica"
                        " /Encoding /WinAnsiEncoding >>\nendobj\n");
  offsets[5] = pdf->len;
  g_string_append (pdf, "5 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold"
                        " /Encoding /WinAnsiEncoding >>\nendobj\n");
  offsets[6] = pdf->len;
  g_string_append_printf (pdf, "6 0 obj\n<< /Length %" G_GSIZE_FORMAT " >>\nstream\n",
                          content->len);
  g_string_append_len (pdf, content->str, (gssize) content->len);
  g_string_append (pdf, "endstream\nendobj\n");
  xref = pdf->len;
  /* every entry is exactly 20 bytes */
  g_string_append (pdf, "xref\n0 7\n0000000000 65535 f \n");
  for (guint i = 1; i < G_N_ELEMENTS (offsets); i++)
    g_string_append_printf (pdf, "%010" G_GSIZE_MODIFIER "u 00000 n \n", offsets[i]);
  g_string_append_printf (pdf, "trailer\n<< /Size 7 /Root 1 0 R >>\nstartxref\n%" G_GSIZE_FORMAT
                               "\n%%%%EOF\n", xref);
  g_string_free (content, TRUE);
  return g_string_free_to_bytes (pdf);
}

/* ---- the message templates of the demo's WhatsApp Business Account ---- */

typedef struct {
  const char *id;
  const char *name;
  const char *language;
  const char *category;
  const char *header;
  const char *body;
  /* example values of the body's parameters, as Meta asks for at submission */
  const char *examples[3];
  const char *footer;
  const char *buttons[3];
} DemoTemplate;

static const DemoTemplate demo_templates[] = {
  { "3000000000000011", "order_ready", "en_GB", "UTILITY", "Your order is ready",
    "Hi {{1}}, your order {{2}} is ready for collection at the Rouleur shop in {{3}}. "
    "We're open until 18:00, see you soon!", { "Olivia", "RL-21034", "London" },
    "Rouleur · bikes & workshops", { NULL } },
  { "3000000000000012", "order_ready", "fr", "UTILITY", "Votre commande est prête",
    "Bonjour {{1}}, votre commande {{2}} vous attend à la boutique Rouleur de {{3}}. "
    "Nous sommes ouverts jusqu'à 19 h, à bientôt !", { "Camille", "RL-21034", "Lyon" },
    "Rouleur · vélos & ateliers", { NULL } },
  { "3000000000000021", "service_reminder", "en_GB", "UTILITY", NULL,
    "Hi {{1}}, your {{2}} is due for its yearly service. Would you like us to book it in at "
    "the workshop?", { "Liam", "Gravel 500" }, NULL, { "Book a service", "Not now", NULL } },
  { "3000000000000022", "service_reminder", "fr", "UTILITY", NULL,
    "Bonjour {{1}}, votre {{2}} est prêt pour sa révision annuelle. Voulez-vous un "
    "rendez-vous à l'atelier ?", { "Hugo", "Urban 3" }, NULL,
    { "Prendre rendez-vous", "Plus tard", NULL } },
  { "3000000000000031", "follow_up", "en_GB", "UTILITY", NULL,
    "Hi {{1}}, it's Rouleur getting back to you about {{2}}. Sorry for the wait! Just reply "
    "to this message and we'll pick it up from here.", { "Poppy", "the Urban 3 in size S" },
    NULL, { NULL } },
  { "3000000000000032", "follow_up", "fr", "UTILITY", NULL,
    "Bonjour {{1}}, ici Rouleur : nous revenons vers vous au sujet de {{2}}. Désolés pour "
    "l'attente ! Répondez simplement à ce message pour reprendre la conversation.",
    { "Jules", "votre révision" }, NULL, { NULL } },
};

static void
add_string (JsonBuilder *builder,
            const char  *member,
            const char  *value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
}

static void
add_template_components (JsonBuilder        *builder,
                         const DemoTemplate *template)
{
  json_builder_begin_array (builder);
  if (template->header)
    {
      json_builder_begin_object (builder);
      add_string (builder, "type", "HEADER");
      add_string (builder, "format", "TEXT");
      add_string (builder, "text", template->header);
      json_builder_end_object (builder);
    }
  json_builder_begin_object (builder);
  add_string (builder, "type", "BODY");
  add_string (builder, "text", template->body);
  json_builder_set_member_name (builder, "example");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "body_text");
  json_builder_begin_array (builder);
  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (template->examples) && template->examples[i]; i++)
    json_builder_add_string_value (builder, template->examples[i]);
  json_builder_end_array (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  if (template->footer)
    {
      json_builder_begin_object (builder);
      add_string (builder, "type", "FOOTER");
      add_string (builder, "text", template->footer);
      json_builder_end_object (builder);
    }
  if (template->buttons[0])
    {
      json_builder_begin_object (builder);
      add_string (builder, "type", "BUTTONS");
      json_builder_set_member_name (builder, "buttons");
      json_builder_begin_array (builder);
      for (guint i = 0; i < G_N_ELEMENTS (template->buttons) && template->buttons[i]; i++)
        {
          json_builder_begin_object (builder);
          add_string (builder, "type", "QUICK_REPLY");
          add_string (builder, "text", template->buttons[i]);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

/* ---- webhook deliveries ---- */

/* The envelope of REFERENCE.md §3 around one messages[] or statuses[] item; contact, when
 * given, is the customer's contacts[] item. Takes item and contact. */
static char *
envelope (const char *member,
          JsonNode   *item,
          JsonNode   *contact)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  add_string (builder, "object", "whatsapp_business_account");
  json_builder_set_member_name (builder, "entry");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  add_string (builder, "id", BATON_DEMO_GRAPH_WABA_ID);
  json_builder_set_member_name (builder, "changes");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "value");
  json_builder_begin_object (builder);
  add_string (builder, "messaging_product", "whatsapp");
  json_builder_set_member_name (builder, "metadata");
  json_builder_begin_object (builder);
  add_string (builder, "display_phone_number", DISPLAY_DIGITS);
  add_string (builder, "phone_number_id", BATON_DEMO_GRAPH_PHONE_NUMBER_ID);
  json_builder_end_object (builder);
  if (contact)
    {
      json_builder_set_member_name (builder, "contacts");
      json_builder_begin_array (builder);
      json_builder_add_value (builder, contact);
      json_builder_end_array (builder);
    }
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  json_builder_add_value (builder, item);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  add_string (builder, "field", "messages");
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return baton_json_to_string (root);
}

/* Posts a body to the webhook as Meta does: signed with the app secret (REFERENCE.md §2),
 * checked and stored by the WhatsApp service like any delivery. */
static gboolean
deliver (BatonDemoGraph *self,
         const char     *body)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hmac = g_compute_hmac_for_string (G_CHECKSUM_SHA256,
                                                     (const guchar *) BATON_DEMO_GRAPH_APP_SECRET,
                                                     strlen (BATON_DEMO_GRAPH_APP_SECRET),
                                                     body, -1);
  g_autofree char *signature = g_strconcat ("sha256=", hmac, NULL);
  g_autofree char *digest = baton_whatsapp_authenticate (self->whatsapp, body, strlen (body),
                                                         signature);

  if (digest == NULL)
    {
      /* a manager gave the demo number another app secret: Meta's posts would be refused */
      g_message ("The WhatsApp sandbox's webhook delivery was refused: no WhatsApp channel has "
                 "the demo's app secret");
      return FALSE;
    }
  if (!baton_whatsapp_accept (self->whatsapp, body, strlen (body), digest, &error))
    {
      g_warning ("The WhatsApp sandbox's webhook delivery was not stored: %s", error->message);
      return FALSE;
    }
  return TRUE;
}

typedef struct {
  BatonDemoGraph *self;  /* weak: the sandbox removes its sources when it goes */
  char *body;
} Pending;

static void
pending_free (Pending *pending)
{
  g_free (pending->body);
  g_free (pending);
}

static gboolean
pending_cb (gpointer user_data)
{
  Pending *pending = user_data;
  GSource *source = g_main_current_source ();

  g_mutex_lock (&pending->self->pending_lock);
  g_hash_table_remove (pending->self->pending, GUINT_TO_POINTER (g_source_get_id (source)));
  g_mutex_unlock (&pending->self->pending_lock);
  deliver (pending->self, pending->body);
  return G_SOURCE_REMOVE;
}

/* From any thread (the sandbox answers sends on the server's): delivered on the global
 * default context, the workspace's. */
static void
deliver_later (BatonDemoGraph *self,
               guint           delay_ms,
               char           *body)
{
  Pending *pending = g_new0 (Pending, 1);
  guint id;

  pending->self = self;
  pending->body = body;
  g_mutex_lock (&self->pending_lock);
  id = g_timeout_add_full (G_PRIORITY_DEFAULT, delay_ms, pending_cb, pending,
                           (GDestroyNotify) pending_free);
  g_hash_table_add (self->pending, GUINT_TO_POINTER (id));
  g_mutex_unlock (&self->pending_lock);
}

/* A statuses[] item like corpus 18–20: pricing and conversation with sent and delivered. */
static JsonNode *
status_item (const char *wamid,
             const char *status,
             gint64      timestamp,
             const char *wa_id,
             const char *user_id,
             const char *category,
             const char *conversation_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autofree char *time_text = g_strdup_printf ("%" G_GINT64_FORMAT, timestamp);
  gboolean service = g_strcmp0 (category, "service") == 0;

  json_builder_begin_object (builder);
  add_string (builder, "id", wamid);
  add_string (builder, "status", status);
  add_string (builder, "timestamp", time_text);
  if (wa_id)
    add_string (builder, "recipient_id", wa_id);
  if (user_id)
    add_string (builder, "recipient_user_id", user_id);
  if (!g_str_equal (status, "read"))
    {
      g_autofree char *expiry = g_strdup_printf ("%" G_GINT64_FORMAT, timestamp + 24 * 3600);

      json_builder_set_member_name (builder, "conversation");
      json_builder_begin_object (builder);
      add_string (builder, "id", conversation_id);
      if (g_str_equal (status, "sent"))
        add_string (builder, "expiration_timestamp", expiry);
      json_builder_set_member_name (builder, "origin");
      json_builder_begin_object (builder);
      add_string (builder, "type", category);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "pricing");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "billable");
      json_builder_add_boolean_value (builder, !service);
      add_string (builder, "pricing_model", "PMP");
      add_string (builder, "category", category);
      add_string (builder, "type", service ? "free_customer_service" : "regular");
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Like WhatsApp after an accepted send: the phone gets the message, then the customer opens
 * it. */
static void
message_accepted_cb (BatonGraphSandbox *sandbox,
                     const char        *phone_number_id,
                     const char        *wamid,
                     const char        *wa_id,
                     const char        *user_id,
                     const char        *category,
                     BatonDemoGraph    *self)
{
  static const struct { const char *status; guint after_ms; } steps[] = {
    { "sent", SENT_AFTER_MS }, { "delivered", DELIVERED_AFTER_MS }, { "read", READ_AFTER_MS },
  };
  /* 32 hex digits, like Meta's conversation ids */
  g_autofree char *conversation_id = g_compute_checksum_for_string (G_CHECKSUM_MD5, wamid, -1);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    deliver_later (self, steps[i].after_ms,
                   envelope ("statuses",
                             status_item (wamid, steps[i].status, now + steps[i].after_ms / 1000,
                                          wa_id, user_id, category, conversation_id),
                             NULL));
}

/* ---- customers ---- */

static JsonNode *
contact_item (const char *wa_id,
              const char *name)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "profile");
  json_builder_begin_object (builder);
  add_string (builder, "name", name);
  json_builder_end_object (builder);
  add_string (builder, "wa_id", wa_id);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Starts a messages[] item (from, id, timestamp, type) the caller completes and ends. */
static void
begin_message (JsonBuilder *builder,
               const char  *wa_id,
               const char  *wamid,
               gint64       timestamp,
               const char  *type)
{
  g_autofree char *time_text = g_strdup_printf ("%" G_GINT64_FORMAT, timestamp);

  json_builder_begin_object (builder);
  add_string (builder, "from", wa_id);
  add_string (builder, "id", wamid);
  add_string (builder, "timestamp", time_text);
  add_string (builder, "type", type);
}

static char *
deliver_message (BatonDemoGraph *self,
                 const char     *wa_id,
                 const char     *name,
                 char           *wamid,
                 JsonBuilder    *builder)
{
  g_autofree char *owned = wamid;
  g_autofree char *body = NULL;

  json_builder_end_object (builder);
  body = envelope ("messages", json_builder_get_root (builder), contact_item (wa_id, name));
  if (!deliver (self, body))
    return NULL;
  return g_steal_pointer (&owned);
}

char *
baton_demo_graph_customer_text (BatonDemoGraph *self,
                                const char     *wa_id,
                                const char     *name,
                                gint64          timestamp,
                                const char     *body,
                                const char     *quoted_wamid)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  char *wamid = baton_graph_sandbox_new_wamid (self->sandbox, wa_id, TRUE);

  g_return_val_if_fail (BATON_IS_DEMO_GRAPH (self), NULL);

  begin_message (builder, wa_id, wamid, timestamp, "text");
  json_builder_set_member_name (builder, "text");
  json_builder_begin_object (builder);
  add_string (builder, "body", body);
  json_builder_end_object (builder);
  if (quoted_wamid)
    {
      /* a reply quoting one of the business's messages (corpus 02) */
      json_builder_set_member_name (builder, "context");
      json_builder_begin_object (builder);
      add_string (builder, "from", DISPLAY_DIGITS);
      add_string (builder, "id", quoted_wamid);
      json_builder_end_object (builder);
    }
  return deliver_message (self, wa_id, name, wamid, builder);
}

char *
baton_demo_graph_customer_media (BatonDemoGraph *self,
                                 const char     *wa_id,
                                 const char     *name,
                                 gint64          timestamp,
                                 const char     *media_id,
                                 const char     *caption)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  const DemoMedia *media = find_media (media_id);
  g_autofree guchar *digest = NULL;
  g_autofree char *sha256 = NULL;
  GChecksum *checksum = NULL;
  gsize length = 32;
  GBytes *bytes = NULL;
  char *wamid = NULL;

  g_return_val_if_fail (BATON_IS_DEMO_GRAPH (self), NULL);
  g_return_val_if_fail (media != NULL, NULL);

  /* WhatsApp gives the file's SHA-256 in base64 in the webhook (corpus 03) */
  bytes = g_hash_table_lookup (self->media_bytes, media->id);
  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  digest = g_malloc (length);
  g_checksum_get_digest (checksum, digest, &length);
  g_checksum_free (checksum);
  sha256 = g_base64_encode (digest, length);

  wamid = baton_graph_sandbox_new_wamid (self->sandbox, wa_id, TRUE);
  begin_message (builder, wa_id, wamid, timestamp, media->type);
  json_builder_set_member_name (builder, media->type);
  json_builder_begin_object (builder);
  if (caption)
    add_string (builder, "caption", caption);
  if (media->filename)
    add_string (builder, "filename", media->filename);
  add_string (builder, "mime_type", media->mime_type);
  add_string (builder, "sha256", sha256);
  add_string (builder, "id", media->id);
  json_builder_end_object (builder);
  return deliver_message (self, wa_id, name, wamid, builder);
}

char *
baton_demo_graph_customer_location (BatonDemoGraph *self,
                                    const char     *wa_id,
                                    const char     *name,
                                    gint64          timestamp,
                                    double          latitude,
                                    double          longitude,
                                    const char     *place,
                                    const char     *address)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  char *wamid = NULL;

  g_return_val_if_fail (BATON_IS_DEMO_GRAPH (self), NULL);

  wamid = baton_graph_sandbox_new_wamid (self->sandbox, wa_id, TRUE);
  begin_message (builder, wa_id, wamid, timestamp, "location");
  json_builder_set_member_name (builder, "location");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "latitude");
  json_builder_add_double_value (builder, latitude);
  json_builder_set_member_name (builder, "longitude");
  json_builder_add_double_value (builder, longitude);
  if (place)
    add_string (builder, "name", place);
  if (address)
    add_string (builder, "address", address);
  json_builder_end_object (builder);
  return deliver_message (self, wa_id, name, wamid, builder);
}

char *
baton_demo_graph_customer_reaction (BatonDemoGraph *self,
                                    const char     *wa_id,
                                    const char     *name,
                                    gint64          timestamp,
                                    const char     *wamid,
                                    const char     *emoji)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  char *reaction_id = NULL;

  g_return_val_if_fail (BATON_IS_DEMO_GRAPH (self), NULL);

  reaction_id = baton_graph_sandbox_new_wamid (self->sandbox, wa_id, TRUE);
  begin_message (builder, wa_id, reaction_id, timestamp, "reaction");
  json_builder_set_member_name (builder, "reaction");
  json_builder_begin_object (builder);
  add_string (builder, "message_id", wamid);
  if (emoji)
    add_string (builder, "emoji", emoji);
  json_builder_end_object (builder);
  return deliver_message (self, wa_id, name, reaction_id, builder);
}


/* ---- the object ---- */

/* The demo WABA's templates as Graph lists them. */
static JsonArray *
templates_json (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (demo_templates); i++)
    {
      const DemoTemplate *template = &demo_templates[i];

      json_builder_begin_object (builder);
      add_string (builder, "name", template->name);
      add_string (builder, "parameter_format", "POSITIONAL");
      json_builder_set_member_name (builder, "components");
      add_template_components (builder, template);
      add_string (builder, "language", template->language);
      add_string (builder, "status", "APPROVED");
      add_string (builder, "category", template->category);
      add_string (builder, "id", template->id);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  return json_array_ref (json_node_get_array (root));
}

/* The sandbox as Meta's dashboard shows the demo number: its token, WABA, templates, media. */
static void
set_up_sandbox (BatonDemoGraph *self)
{
  g_autoptr(JsonArray) templates = templates_json ();

  self->sandbox = baton_graph_sandbox_new ();
  /* a demo runs for days: nothing reads the requests back */
  baton_graph_sandbox_set_recording (self->sandbox, FALSE);
  baton_graph_sandbox_set_access_token (self->sandbox, BATON_DEMO_GRAPH_ACCESS_TOKEN);
  baton_graph_sandbox_add_number (self->sandbox, BATON_DEMO_GRAPH_PHONE_NUMBER_ID,
                                  BATON_DEMO_GRAPH_WABA_ID);
  baton_graph_sandbox_set_templates (self->sandbox, BATON_DEMO_GRAPH_WABA_ID, templates, 0);
  for (guint i = 0; i < G_N_ELEMENTS (demo_media); i++)
    {
      GBytes *bytes = demo_media[i].make ();

      g_hash_table_insert (self->media_bytes, (gpointer) demo_media[i].id, bytes);
      baton_graph_sandbox_add_media (self->sandbox, demo_media[i].id, demo_media[i].mime_type,
                                     bytes);
    }
  g_signal_connect (self->sandbox, "message-accepted", G_CALLBACK (message_accepted_cb), self);
}

static void
remove_source (gpointer key,
               gpointer value,
               gpointer user_data)
{
  g_source_remove (GPOINTER_TO_UINT (key));
}

static void
baton_demo_graph_dispose (GObject *object)
{
  BatonDemoGraph *self = BATON_DEMO_GRAPH (object);

  if (self->sandbox)
    g_signal_handlers_disconnect_by_data (self->sandbox, self);
  g_clear_object (&self->sandbox);
  if (self->pending)
    {
      g_mutex_lock (&self->pending_lock);
      g_hash_table_foreach (self->pending, remove_source, NULL);
      g_hash_table_remove_all (self->pending);
      g_mutex_unlock (&self->pending_lock);
    }
  g_clear_object (&self->whatsapp);
  G_OBJECT_CLASS (baton_demo_graph_parent_class)->dispose (object);
}

static void
baton_demo_graph_finalize (GObject *object)
{
  BatonDemoGraph *self = BATON_DEMO_GRAPH (object);

  g_hash_table_unref (self->media_bytes);
  g_hash_table_unref (self->pending);
  g_mutex_clear (&self->pending_lock);
  G_OBJECT_CLASS (baton_demo_graph_parent_class)->finalize (object);
}

static void
baton_demo_graph_class_init (BatonDemoGraphClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = baton_demo_graph_dispose;
  object_class->finalize = baton_demo_graph_finalize;
}

static void
baton_demo_graph_init (BatonDemoGraph *self)
{
  self->media_bytes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                             (GDestroyNotify) g_bytes_unref);
  self->pending = g_hash_table_new (NULL, NULL);
  g_mutex_init (&self->pending_lock);
}

BatonDemoGraph *
baton_demo_graph_new (BatonWhatsapp *whatsapp)
{
  BatonDemoGraph *self = g_object_new (BATON_TYPE_DEMO_GRAPH, NULL);

  self->whatsapp = g_object_ref (whatsapp);
  set_up_sandbox (self);
  return self;
}

void
baton_demo_graph_mount (BatonDemoGraph *self,
                        BatonServer    *server)
{
  g_return_if_fail (BATON_IS_DEMO_GRAPH (self));

  baton_graph_sandbox_mount (self->sandbox, server, BATON_DEMO_GRAPH_PREFIX);
}

char *
baton_demo_graph_base_url (const char *server_url)
{
  g_autoptr(GUri) uri = g_uri_parse (server_url, G_URI_FLAGS_NONE, NULL);
  const char *host = uri ? g_uri_get_host (uri) : NULL;
  g_autofree char *origin = NULL;

  if (host == NULL)
    return NULL;
  /* a server listening on every address is reached on the loopback */
  if (g_str_equal (host, "0.0.0.0"))
    host = "127.0.0.1";
  else if (g_str_equal (host, "::"))
    host = "::1";
  origin = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, host,
                       g_uri_get_port (uri), "", NULL, NULL);
  return g_strconcat (origin, BATON_DEMO_GRAPH_PREFIX "/" BATON_GRAPH_SANDBOX_VERSION, NULL);
}
