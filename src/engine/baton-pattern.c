/* baton-pattern.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "baton-pattern"

#include "config.h"

#include "baton-error.h"
#include "baton-pattern.h"

/* A flow's `matches` pattern. Parsing builds a tree, compiling turns it into a program, and a
 * match runs the program as a Thompson NFA (a Pike VM without captures): every live thread
 * advances one character at a time and a thread is at most once in a list, so a match costs
 * at most a few steps per instruction and character, whatever the pattern. */

/* groups and repeats nest at most this deep (the parser and the compiler recurse) */
#define MAX_DEPTH 100
/* POSIX's RE_DUP_MAX as glibc has it */
#define MAX_COUNT 32767
#define UNBOUNDED (-1)
/* a byte of the text that is not UTF-8: one character that only . and [^…] match */
#define INVALID_CHAR 0x110000
#define END_OF_TEXT 0x110001

typedef enum {
  CLASS_ALPHA = 1 << 0,
  CLASS_DIGIT = 1 << 1,
  CLASS_ALNUM = 1 << 2,
  CLASS_UPPER = 1 << 3,
  CLASS_LOWER = 1 << 4,
  CLASS_SPACE = 1 << 5,
  CLASS_BLANK = 1 << 6,
  CLASS_PUNCT = 1 << 7,
  CLASS_PRINT = 1 << 8,
  CLASS_GRAPH = 1 << 9,
  CLASS_CNTRL = 1 << 10,
  CLASS_XDIGIT = 1 << 11,
  CLASS_WORD = 1 << 12,
} CharClass;

static const struct {
  const char *name;
  CharClass bit;
} class_names[] = {
  { "alpha", CLASS_ALPHA }, { "digit", CLASS_DIGIT }, { "alnum", CLASS_ALNUM },
  { "upper", CLASS_UPPER }, { "lower", CLASS_LOWER }, { "space", CLASS_SPACE },
  { "blank", CLASS_BLANK }, { "punct", CLASS_PUNCT }, { "print", CLASS_PRINT },
  { "graph", CLASS_GRAPH }, { "cntrl", CLASS_CNTRL }, { "xdigit", CLASS_XDIGIT },
};

typedef enum {
  ASSERT_START,
  ASSERT_END,
  ASSERT_WORD_BOUNDARY,
  ASSERT_NOT_WORD_BOUNDARY,
  ASSERT_WORD_START,
  ASSERT_WORD_END,
} Assertion;

typedef struct {
  gunichar lo;
  gunichar hi;
} Range;

/* A bracket expression or an escape such as \w. */
typedef struct {
  gboolean negated;
  guint classes;
  GArray *ranges;
  /* the answer for each ASCII character, worked out once compiled */
  guint32 ascii[4];
} CharSet;

typedef enum {
  NODE_EMPTY,
  NODE_CHAR,
  NODE_ANY,
  NODE_SET,
  NODE_ASSERT,
  NODE_CAT,
  NODE_ALT,
  NODE_REPEAT,
} NodeType;

typedef struct {
  NodeType type;
  /* NODE_CHAR: the folded character; NODE_SET: the set's index; NODE_ASSERT: an Assertion */
  guint value;
  int min;
  int max;
  guint depth;
  /* the instructions it compiles to, once counted (node_size) */
  guint64 size;
  gboolean sized;
  /* NODE_CAT, NODE_ALT: Node *, borrowed from the parser's list; NODE_REPEAT: one */
  GPtrArray *kids;
} Node;

typedef enum {
  OP_CHAR,
  OP_ANY,
  OP_SET,
  OP_ASSERT,
  OP_SPLIT,
  OP_JUMP,
  OP_MATCH,
} Opcode;

typedef struct {
  Opcode op;
  /* OP_CHAR: the folded character; OP_SET: the set; OP_ASSERT: the assertion; OP_SPLIT,
   * OP_JUMP: the target */
  guint x;
  /* OP_SPLIT: the other target */
  guint y;
} Instruction;

struct _BatonPattern {
  Instruction *program;
  guint size;
  GArray *sets;
  /* it starts with ^: no thread starts after the first character */
  gboolean anchored;
};

typedef struct {
  const gunichar *start;
  const gunichar *p;
  const gunichar *end;
  /* owns the nodes */
  GPtrArray *nodes;
  GArray *sets;
  guint depth;
  GError **error;
} Parser;

/* The pcs a list holds: a sparse set, so that adding, testing and clearing are O(1). */
typedef struct {
  guint *dense;
  guint *sparse;
  guint n;
} List;

/* What assertions look at: the characters either side of the position. */
typedef struct {
  gunichar before;
  gunichar after;
  gboolean at_start;
  gboolean at_end;
} Position;

typedef struct {
  BatonPattern *pattern;
  guint *stack;
  guint64 steps;
} Machine;

G_DEFINE_BOXED_TYPE (BatonPattern, baton_pattern, baton_pattern_ref, baton_pattern_unref)

static Node *parse_alternation (Parser *parser);

/* Characters */

static gunichar
fold (gunichar c)
{
  return c >= INVALID_CHAR ? c : g_unichar_tolower (g_unichar_toupper (c));
}

static gboolean
is_word (gunichar c)
{
  return c < INVALID_CHAR && (c == '_' || g_unichar_isalnum (c));
}

static gboolean
in_classes (gunichar c,
            guint    classes)
{
  gboolean digit = c >= '0' && c <= '9';

  return ((classes & CLASS_ALPHA) && g_unichar_isalpha (c))
         || ((classes & CLASS_DIGIT) && digit)
         || ((classes & CLASS_ALNUM) && (digit || g_unichar_isalpha (c)))
         || ((classes & CLASS_UPPER) && g_unichar_isupper (c))
         || ((classes & CLASS_LOWER) && g_unichar_islower (c))
         || ((classes & CLASS_SPACE) && g_unichar_isspace (c))
         || ((classes & CLASS_BLANK) && (c == '\t'
                                         || g_unichar_type (c) == G_UNICODE_SPACE_SEPARATOR))
         || ((classes & CLASS_PUNCT) && g_unichar_ispunct (c))
         || ((classes & CLASS_PRINT) && g_unichar_isprint (c))
         || ((classes & CLASS_GRAPH) && g_unichar_isgraph (c))
         || ((classes & CLASS_CNTRL) && g_unichar_iscntrl (c))
         || ((classes & CLASS_XDIGIT) && g_unichar_isxdigit (c) && c < 0x80)
         || ((classes & CLASS_WORD) && is_word (c));
}

static gboolean
set_has (const CharSet *set,
         gunichar       c)
{
  if (c >= INVALID_CHAR)
    return FALSE;
  for (guint i = 0; i < set->ranges->len; i++)
    {
      Range *range = &g_array_index (set->ranges, Range, i);

      if (c >= range->lo && c <= range->hi)
        return TRUE;
    }
  return in_classes (c, set->classes);
}

/* Case-insensitive, as regcomp's REG_ICASE: the character or either of its cases. */
static gboolean
set_matches (const CharSet *set,
             gunichar       c)
{
  gboolean found = set_has (set, c)
                   || (c < INVALID_CHAR && (set_has (set, g_unichar_tolower (c))
                                            || set_has (set, g_unichar_toupper (c))));

  return found != set->negated;
}

static gboolean
set_matches_ascii (const CharSet *set,
                   gunichar       c)
{
  return (set->ascii[c / 32] >> (c % 32)) & 1;
}

static void
set_prepare (CharSet *set)
{
  for (gunichar c = 0; c < 128; c++)
    if (set_matches (set, c))
      set->ascii[c / 32] |= 1u << (c % 32);
}

static void
set_clear (CharSet *set)
{
  g_clear_pointer (&set->ranges, g_array_unref);
}

/* Parsing */

static gboolean
parse_error (Parser     *parser,
             const char *message)
{
  if (*parser->error == NULL)
    g_set_error (parser->error, BATON_ERROR, BATON_ERROR_UNPROCESSABLE,
                 "%s at character %ld", message, (long) (parser->p - parser->start) + 1);
  return FALSE;
}

static Node *
node_error (Parser     *parser,
            const char *message)
{
  parse_error (parser, message);
  return NULL;
}

static Node *
new_node (Parser   *parser,
          NodeType  type,
          guint     value)
{
  Node *node = g_new0 (Node, 1);

  node->type = type;
  node->value = value;
  g_ptr_array_add (parser->nodes, node);
  return node;
}

static void
node_free (Node *node)
{
  g_clear_pointer (&node->kids, g_ptr_array_unref);
  g_free (node);
}

static gboolean
add_kid (Parser *parser,
         Node   *node,
         Node   *kid)
{
  if (node->kids == NULL)
    node->kids = g_ptr_array_new ();
  g_ptr_array_add (node->kids, kid);
  node->depth = MAX (node->depth, kid->depth + 1);
  if (node->depth > MAX_DEPTH)
    return parse_error (parser, "The pattern nests too deep");
  return TRUE;
}

static guint
new_set (Parser   *parser,
         guint     classes,
         gboolean  negated)
{
  CharSet set = { negated, classes, g_array_new (FALSE, FALSE, sizeof (Range)) };

  g_array_append_val (parser->sets, set);
  return parser->sets->len - 1;
}

static gboolean
at (Parser   *parser,
    gunichar  c)
{
  return parser->p < parser->end && *parser->p == c;
}

/* "[:alpha:]", "[=a=]" or "[.a.]" after the "[" of a bracket expression: a class (its bit in
 * *classes) or one character (*c). */
static gboolean
parse_bracket_term (Parser   *parser,
                    guint    *classes,
                    gunichar *c)
{
  gunichar kind = parser->p[1];
  const gunichar *name = parser->p + 2;
  const gunichar *close = name;
  g_autoptr(GString) text = g_string_new (NULL);

  while (close + 1 < parser->end && !(close[0] == kind && close[1] == ']'))
    close++;
  if (close + 1 >= parser->end)
    return parse_error (parser, "Unmatched [ in a bracket expression");
  for (const gunichar *q = name; q < close; q++)
    g_string_append_unichar (text, *q);
  parser->p = close + 2;
  if (kind != ':')
    {
      if (close - name != 1)
        return parse_error (parser, "A collating element is one character");
      *c = name[0];
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (class_names); i++)
    if (g_str_equal (text->str, class_names[i].name))
      {
        *classes = class_names[i].bit;
        return TRUE;
      }
  return parse_error (parser, "Unknown character class");
}

/* One end of a range, or a class; *classes stays 0 for a character. */
static gboolean
parse_bracket_item (Parser   *parser,
                    guint    *classes,
                    gunichar *c)
{
  *classes = 0;
  if (parser->p >= parser->end)
    return parse_error (parser, "Unmatched [");
  if (*parser->p == '[' && parser->p + 1 < parser->end
      && (parser->p[1] == ':' || parser->p[1] == '=' || parser->p[1] == '.'))
    return parse_bracket_term (parser, classes, c);
  *c = *parser->p++;
  return TRUE;
}

/* After the "[": POSIX bracket syntax, where a backslash is an ordinary character. */
static Node *
parse_bracket (Parser *parser)
{
  guint index = new_set (parser, 0, FALSE);
  CharSet *set = &g_array_index (parser->sets, CharSet, index);
  gboolean first = TRUE;

  if (at (parser, '^'))
    {
      set->negated = TRUE;
      parser->p++;
    }
  for (;; first = FALSE)
    {
      Range range = { 0, 0 };
      guint classes = 0;

      if (parser->p >= parser->end)
        return node_error (parser, "Unmatched [");
      if (*parser->p == ']' && !first)
        break;
      if (!parse_bracket_item (parser, &classes, &range.lo))
        return NULL;
      range.hi = range.lo;
      if (at (parser, '-') && parser->p + 1 < parser->end && parser->p[1] != ']')
        {
          guint end_classes = 0;

          parser->p++;
          if (classes || !parse_bracket_item (parser, &end_classes, &range.hi) || end_classes
              || range.hi < range.lo || (at (parser, '-') && parser->p + 1 < parser->end
                                         && parser->p[1] != ']'))
            return node_error (parser, "Invalid range in a bracket expression");
        }
      set->classes |= classes;
      if (!classes)
        g_array_append_val (set->ranges, range);
    }
  parser->p++;
  return new_node (parser, NODE_SET, index);
}

/* GNU's escapes as glibc's regcomp has them, and \d for a digit */
static const struct {
  gunichar escape;
  NodeType type;
  /* NODE_SET: a class; NODE_ASSERT: an Assertion */
  guint value;
  gboolean negated;
} escapes[] = {
  { 'w', NODE_SET, CLASS_WORD, FALSE }, { 'W', NODE_SET, CLASS_WORD, TRUE },
  { 's', NODE_SET, CLASS_SPACE, FALSE }, { 'S', NODE_SET, CLASS_SPACE, TRUE },
  { 'd', NODE_SET, CLASS_DIGIT, FALSE }, { 'D', NODE_SET, CLASS_DIGIT, TRUE },
  { 'b', NODE_ASSERT, ASSERT_WORD_BOUNDARY, FALSE },
  { 'B', NODE_ASSERT, ASSERT_NOT_WORD_BOUNDARY, FALSE },
  { '<', NODE_ASSERT, ASSERT_WORD_START, FALSE }, { '>', NODE_ASSERT, ASSERT_WORD_END, FALSE },
  { '`', NODE_ASSERT, ASSERT_START, FALSE }, { '\'', NODE_ASSERT, ASSERT_END, FALSE },
};

/* After a backslash: one of the escapes, or any other character stands for itself. */
static Node *
parse_escape (Parser *parser)
{
  gunichar c;

  if (parser->p >= parser->end)
    return node_error (parser, "Trailing backslash");
  c = *parser->p++;
  for (guint i = 0; i < G_N_ELEMENTS (escapes); i++)
    if (escapes[i].escape == c)
      return new_node (parser, escapes[i].type,
                       escapes[i].type == NODE_SET
                       ? new_set (parser, escapes[i].value, escapes[i].negated)
                       : escapes[i].value);
  if (c >= '1' && c <= '9')
    {
      parser->p--;
      return node_error (parser, "Back-references are not supported");
    }
  return new_node (parser, NODE_CHAR, fold (c));
}

static Node *
parse_group (Parser *parser)
{
  Node *inner = NULL;

  if (++parser->depth > MAX_DEPTH)
    return node_error (parser, "The pattern nests too deep");
  inner = parse_alternation (parser);
  if (inner == NULL)
    return NULL;
  if (!at (parser, ')'))
    return node_error (parser, "Unmatched (");
  parser->p++;
  parser->depth--;
  return inner;
}

static gboolean
is_repeat (gunichar c)
{
  return c == '*' || c == '+' || c == '?' || c == '{';
}

/* An atom, or NULL at the end of a branch (*done) or on an error. */
static Node *
parse_atom (Parser   *parser,
            gboolean *done)
{
  gunichar c;

  *done = parser->p >= parser->end || *parser->p == '|'
          || (*parser->p == ')' && parser->depth > 0);
  if (*done)
    return NULL;
  c = *parser->p++;
  switch (c)
    {
    case '(':
      return parse_group (parser);
    case '[':
      return parse_bracket (parser);
    case '\\':
      return parse_escape (parser);
    case '.':
      return new_node (parser, NODE_ANY, 0);
    case '^':
      return new_node (parser, NODE_ASSERT, ASSERT_START);
    case '$':
      return new_node (parser, NODE_ASSERT, ASSERT_END);
    default:
      if (is_repeat (c))
        {
          parser->p--;
          return node_error (parser, "Nothing to repeat");
        }
      return new_node (parser, NODE_CHAR, fold (c));
    }
}

static gboolean
parse_count (Parser *parser,
             int    *count)
{
  const gunichar *start = parser->p;

  *count = 0;
  while (parser->p < parser->end && *parser->p >= '0' && *parser->p <= '9')
    {
      *count = *count * 10 + (int) (*parser->p++ - '0');
      if (*count > MAX_COUNT)
        return parse_error (parser, "A count is at most 32767");
    }
  return parser->p > start;
}

/* After the "{": "n}", "n,}", "n,m}" or ",m}". */
static gboolean
parse_interval (Parser *parser,
                int    *min,
                int    *max)
{
  gboolean has_min = parse_count (parser, min);

  if (*parser->error)
    return FALSE;
  *max = *min;
  if (at (parser, ','))
    {
      parser->p++;
      if (!parse_count (parser, max))
        *max = UNBOUNDED;
      if (*parser->error)
        return FALSE;
    }
  else if (!has_min)
    {
      return parse_error (parser, "Unmatched {");
    }
  if (!at (parser, '}'))
    return parse_error (parser, "Unmatched {");
  parser->p++;
  if (*max != UNBOUNDED && *max < *min)
    return parse_error (parser, "A count's maximum is below its minimum");
  return TRUE;
}

/* An atom and its repeats: *, +, ?, {n}, {n,}, {n,m}, {,m}. */
static Node *
parse_piece (Parser   *parser,
             gboolean *done)
{
  Node *node = parse_atom (parser, done);

  while (node && parser->p < parser->end && is_repeat (*parser->p))
    {
      gunichar op = *parser->p;
      int min = op == '+' ? 1 : 0;
      int max = op == '?' ? 1 : UNBOUNDED;
      Node *repeat = NULL;

      /* as glibc: an anchor or a word boundary does not repeat */
      if (node->type == NODE_ASSERT)
        return node_error (parser, "Nothing to repeat");
      parser->p++;
      if (op == '{' && !parse_interval (parser, &min, &max))
        return NULL;
      repeat = new_node (parser, NODE_REPEAT, 0);
      repeat->min = min;
      repeat->max = max;
      if (!add_kid (parser, repeat, node))
        return NULL;
      node = repeat;
    }
  return node;
}

static Node *
parse_branch (Parser *parser)
{
  Node *branch = new_node (parser, NODE_CAT, 0);

  for (;;)
    {
      gboolean done = FALSE;
      Node *piece = parse_piece (parser, &done);

      if (done)
        return branch;
      if (piece == NULL || !add_kid (parser, branch, piece))
        return NULL;
    }
}

static Node *
parse_alternation (Parser *parser)
{
  Node *alternation = new_node (parser, NODE_ALT, 0);

  for (;;)
    {
      Node *branch = parse_branch (parser);

      if (branch == NULL || !add_kid (parser, alternation, branch))
        return NULL;
      if (!at (parser, '|'))
        return alternation;
      parser->p++;
    }
}

/* Compiling */

/* The instructions node compiles to, saturated just above the limit; counted once. */
static guint64
node_size (Node *node)
{
  guint64 size = 0;
  guint64 kid = 0;

  if (node->sized)
    return node->size;
  switch (node->type)
    {
    case NODE_EMPTY:
      return 0;
    case NODE_CHAR: case NODE_ANY: case NODE_SET: case NODE_ASSERT:
      return 1;
    case NODE_CAT: case NODE_ALT:
      for (guint i = 0; node->kids && i < node->kids->len; i++)
        size += node_size (node->kids->pdata[i]) + (node->type == NODE_ALT && i > 0 ? 2 : 0);
      break;
    case NODE_REPEAT:
      kid = node_size (node->kids->pdata[0]);
      if (node->max == UNBOUNDED)
        size = node->min == 0 ? kid + 2 : (guint64) node->min * kid + 1;
      else
        size = (guint64) node->min * kid + (guint64) (node->max - node->min) * (kid + 1);
      break;
    default:
      g_assert_not_reached ();
    }
  node->sized = TRUE;
  node->size = MIN (size, (guint64) BATON_PATTERN_MAX_PROGRAM + 1);
  return node->size;
}

static guint
emit (GArray *program,
      Opcode  op,
      guint   x,
      guint   y)
{
  Instruction instruction = { op, x, y };

  g_array_append_val (program, instruction);
  return program->len - 1;
}

#define AT(program, pc) (&g_array_index ((program), Instruction, (pc)))

static void compile_node (GArray *program,
                          Node   *node);

static void
compile_alternation (GArray *program,
                     Node   *node)
{
  g_autoptr(GArray) jumps = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < node->kids->len; i++)
    {
      guint split = 0;

      if (i + 1 < node->kids->len)
        split = emit (program, OP_SPLIT, program->len + 1, 0);
      compile_node (program, node->kids->pdata[i]);
      if (i + 1 < node->kids->len)
        {
          guint jump = emit (program, OP_JUMP, 0, 0);

          g_array_append_val (jumps, jump);
          AT (program, split)->y = program->len;
        }
    }
  for (guint i = 0; i < jumps->len; i++)
    AT (program, g_array_index (jumps, guint, i))->x = program->len;
}

/* x{min,max} as min copies, then x* (or x+ for the last copy), or max - min nested x?. */
static void
compile_repeat (GArray *program,
                Node   *node)
{
  Node *kid = node->kids->pdata[0];
  g_autoptr(GArray) splits = g_array_new (FALSE, FALSE, sizeof (guint));
  int copies = node->max == UNBOUNDED && node->min > 0 ? node->min - 1 : node->min;

  for (int i = 0; i < copies; i++)
    compile_node (program, kid);
  if (node->max == UNBOUNDED)
    {
      guint top = program->len;

      if (node->min > 0)
        {
          compile_node (program, kid);
          emit (program, OP_SPLIT, top, program->len + 1);
          return;
        }
      emit (program, OP_SPLIT, top + 1, 0);
      compile_node (program, kid);
      emit (program, OP_JUMP, top, 0);
      AT (program, top)->y = program->len;
      return;
    }
  for (int i = node->min; i < node->max; i++)
    {
      guint split = emit (program, OP_SPLIT, program->len + 1, 0);

      g_array_append_val (splits, split);
      compile_node (program, kid);
    }
  for (guint i = 0; i < splits->len; i++)
    AT (program, g_array_index (splits, guint, i))->y = program->len;
}

static void
compile_node (GArray *program,
              Node   *node)
{
  /* what compiles to nothing is not walked: ((x{99}){0}){999} would take long to */
  if (node_size (node) == 0)
    return;
  switch (node->type)
    {
    case NODE_EMPTY:
      break;
    case NODE_CHAR:
      emit (program, OP_CHAR, node->value, 0);
      break;
    case NODE_ANY:
      emit (program, OP_ANY, 0, 0);
      break;
    case NODE_SET:
      emit (program, OP_SET, node->value, 0);
      break;
    case NODE_ASSERT:
      emit (program, OP_ASSERT, node->value, 0);
      break;
    case NODE_CAT:
      for (guint i = 0; node->kids && i < node->kids->len; i++)
        compile_node (program, node->kids->pdata[i]);
      break;
    case NODE_ALT:
      compile_alternation (program, node);
      break;
    case NODE_REPEAT:
      compile_repeat (program, node);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
pattern_clear (BatonPattern *pattern)
{
  g_free (pattern->program);
  g_array_unref (pattern->sets);
}

/* Compiles source, a POSIX extended regular expression (API.md, "Flows"); a pattern that is
 * not valid, or whose program would exceed BATON_PATTERN_MAX_PROGRAM instructions, is
 * BATON_ERROR_UNPROCESSABLE with a message that says why and where. */
BatonPattern *
baton_pattern_new (const char  *source,
                   GError     **error)
{
  g_autoptr(GPtrArray) nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) node_free);
  g_autoptr(GArray) sets = g_array_new (FALSE, FALSE, sizeof (CharSet));
  g_autoptr(GArray) program = g_array_new (FALSE, FALSE, sizeof (Instruction));
  g_autofree gunichar *chars = NULL;
  g_autoptr(GError) local_error = NULL;
  glong length = 0;
  Parser parser = { 0 };
  Node *root = NULL;
  BatonPattern *pattern = NULL;

  g_return_val_if_fail (source != NULL, NULL);

  g_array_set_clear_func (sets, (GDestroyNotify) set_clear);
  if (!g_utf8_validate (source, -1, NULL)
      || (chars = g_utf8_to_ucs4_fast (source, -1, &length)) == NULL)
    {
      g_set_error_literal (error, BATON_ERROR, BATON_ERROR_UNPROCESSABLE,
                           "The pattern is not UTF-8");
      return NULL;
    }
  if (length > BATON_PATTERN_MAX_PROGRAM)
    {
      g_set_error (error, BATON_ERROR, BATON_ERROR_UNPROCESSABLE,
                   "A pattern has at most %d characters", BATON_PATTERN_MAX_PROGRAM);
      return NULL;
    }
  /* the parser tells an error by the one it has set */
  parser = (Parser) { chars, chars, chars + length, nodes, sets, 0, &local_error };
  /* A ")" with no "(" is itself, as glibc reads it: only the end stops the top level. */
  root = parse_alternation (&parser);
  if (root == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (node_size (root) + 1 > BATON_PATTERN_MAX_PROGRAM)
    {
      g_set_error (error, BATON_ERROR, BATON_ERROR_UNPROCESSABLE,
                   "The pattern is too large: it would take more than %d instructions",
                   BATON_PATTERN_MAX_PROGRAM);
      return NULL;
    }
  compile_node (program, root);
  emit (program, OP_MATCH, 0, 0);
  for (guint i = 0; i < sets->len; i++)
    set_prepare (&g_array_index (sets, CharSet, i));

  pattern = g_rc_box_new0 (BatonPattern);
  pattern->size = program->len;
  pattern->program = (Instruction *) g_array_free (g_steal_pointer (&program), FALSE);
  pattern->sets = g_steal_pointer (&sets);
  pattern->anchored = pattern->program[0].op == OP_ASSERT
                      && pattern->program[0].x == ASSERT_START;
  return pattern;
}

BatonPattern *
baton_pattern_ref (BatonPattern *pattern)
{
  return g_rc_box_acquire (pattern);
}

void
baton_pattern_unref (BatonPattern *pattern)
{
  g_rc_box_release_full (pattern, (GDestroyNotify) pattern_clear);
}

/* The number of instructions of the compiled program. */
guint
baton_pattern_get_size (BatonPattern *pattern)
{
  return pattern->size;
}

/* Matching */

static gboolean
assertion_holds (Assertion        assertion,
                 const Position  *position)
{
  gboolean before = is_word (position->before);
  gboolean after = is_word (position->after);

  switch (assertion)
    {
    case ASSERT_START:
      return position->at_start;
    case ASSERT_END:
      return position->at_end;
    case ASSERT_WORD_BOUNDARY:
      return before != after;
    case ASSERT_NOT_WORD_BOUNDARY:
      return before == after;
    case ASSERT_WORD_START:
      return !before && after;
    case ASSERT_WORD_END:
      return before && !after;
    default:
      g_assert_not_reached ();
    }
}

/* Adds the thread at pc to list, following jumps, splits and assertions that hold here;
 * TRUE when one reaches the end of the program: the text matches. */
static gboolean
add_thread (Machine        *machine,
            List           *list,
            guint           pc,
            const Position *position)
{
  guint top = 0;

  machine->stack[top++] = pc;
  while (top > 0)
    {
      Instruction *instruction = NULL;

      pc = machine->stack[--top];
      machine->steps++;
      if (list->sparse[pc] < list->n && list->dense[list->sparse[pc]] == pc)
        continue;
      list->sparse[pc] = list->n;
      list->dense[list->n++] = pc;
      instruction = &machine->pattern->program[pc];
      switch (instruction->op)
        {
        case OP_MATCH:
          return TRUE;
        case OP_JUMP:
          machine->stack[top++] = instruction->x;
          break;
        case OP_SPLIT:
          machine->stack[top++] = instruction->y;
          machine->stack[top++] = instruction->x;
          break;
        case OP_ASSERT:
          if (assertion_holds (instruction->x, position))
            machine->stack[top++] = pc + 1;
          break;
        default:
          break;
        }
    }
  return FALSE;
}

static gboolean
consumes (BatonPattern *pattern,
          Instruction  *instruction,
          gunichar      c,
          gunichar      folded)
{
  switch (instruction->op)
    {
    case OP_CHAR:
      return folded == instruction->x;
    case OP_ANY:
      return c != END_OF_TEXT;
    case OP_SET:
      if (c < 128)
        return set_matches_ascii (&g_array_index (pattern->sets, CharSet, instruction->x), c);
      return c != END_OF_TEXT
             && set_matches (&g_array_index (pattern->sets, CharSet, instruction->x), c);
    default:
      return FALSE;
    }
}

/* The character at *p, moving *p past it; END_OF_TEXT at limit. */
static gunichar
next_char (const char **p,
           const char  *limit)
{
  gunichar c;

  if (*p >= limit)
    return END_OF_TEXT;
  c = g_utf8_get_char_validated (*p, limit - *p);
  if (c == (gunichar) -1 || c == (gunichar) -2)
    {
      (*p)++;
      return INVALID_CHAR;
    }
  *p = g_utf8_next_char (*p);
  return c;
}

/* Whether the pattern matches somewhere in text[0, limit); $ matches at limit only when the
 * text ends there. */
static gboolean
run (BatonPattern *pattern,
     const char   *text,
     const char   *limit,
     const char   *end,
     guint64      *steps)
{
  const char *p = text;
  g_autofree guint *memory = g_new0 (guint, 6 * (gsize) pattern->size + 2);
  List lists[2] = {
    { memory, memory + pattern->size, 0 },
    { memory + 2 * pattern->size, memory + 3 * pattern->size, 0 },
  };
  List *current = &lists[0];
  List *next = &lists[1];
  Machine machine = { pattern, memory + 4 * pattern->size, 0 };
  gunichar after = next_char (&p, limit);
  Position position = { END_OF_TEXT, after, TRUE, after == END_OF_TEXT && p == end };
  gboolean matched = FALSE;

  while (!matched)
    {
      gunichar c = position.after;
      gunichar folded = fold (c);

      if (position.at_start || !pattern->anchored)
        matched = add_thread (&machine, current, 0, &position);
      if (matched || c == END_OF_TEXT || current->n == 0)
        break;
      after = next_char (&p, limit);
      position = (Position) { c, after, FALSE, after == END_OF_TEXT && p == end };
      next->n = 0;
      for (guint i = 0; i < current->n && !matched; i++)
        {
          guint pc = current->dense[i];

          machine.steps++;
          if (consumes (pattern, &pattern->program[pc], c, folded))
            matched = add_thread (&machine, next, pc + 1, &position);
        }
      current = next;
      next = current == &lists[0] ? &lists[1] : &lists[0];
    }
  if (steps)
    *steps = machine.steps;
  return matched;
}

/* Whether the pattern matches somewhere in the whole text (length bytes, or up to a NUL when
 * negative). *steps counts the work: at most 4 × size + 1 steps per character, and once
 * more at the end. */
gboolean
baton_pattern_match_counted (BatonPattern *pattern,
                             const char   *text,
                             gssize        length,
                             guint64      *steps)
{
  const char *end = text + (length < 0 ? strlen (text) : (gsize) length);

  return run (pattern, text, end, end, steps);
}

/* Whether the pattern matches somewhere in the first BATON_PATTERN_MAX_TEXT characters of
 * text (length bytes, or up to a NUL when negative); $ does not match where the text is cut.
 * Bounded: a few steps per instruction and character. */
gboolean
baton_pattern_match (BatonPattern *pattern,
                     const char   *text,
                     gssize        length)
{
  const char *end = text + (length < 0 ? strlen (text) : (gsize) length);
  const char *limit = text;

  for (guint i = 0; i < BATON_PATTERN_MAX_TEXT && limit < end; i++)
    next_char (&limit, end);
  return run (pattern, text, limit, end, NULL);
}
