/* One pass over a part of a workbook, for intake's guards (validator/read/native.py says how it is
 * used; validator/read/wellformed.py and sheetscan.py are the reference it must agree with).
 *
 * scan(xml) answers None unless it is certain the part is well-formed XML as expat judges it: it
 * accepts only a plain subset (UTF-8, ASCII names, no document type, comment, CDATA or
 * instruction, no entities but the five predefined ones) and leaves everything else, damaged or
 * merely unusual, to expat, which then says what and where. Where it is certain, it answers
 * (max_row, max_column, merges, formula, strings):
 * - max_row, max_column over every attribute r="letters digits" of the part — what sheetscan's
 *   searches find — or -1, -1 where the part holds a spelling those searches would read otherwise
 *   (sheetscan.measure then measures it);
 * - formula: sheetscan.may_hold_formula's answer; merges and strings: what intake's searches over
 *   the raw bytes find, byte for byte (_scan_raw.c).
 *
 * Bounded: one forward pass, no recursion, no allocation; a part nested deeper than MAX_DEPTH,
 * an element with more than MAX_ATTRIBUTES, a number too long to hold are left to Python.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

#include "_scan_raw.h"

#define MAX_DEPTH 256
#define MAX_ATTRIBUTES 64
#define MAX_ROW_DIGITS 15
#define MAX_COLUMN_LETTERS 6

typedef struct {
    Byte start, end;
} Span;

typedef struct {
    Byte first, p, end; /* the part's first byte, where the pass is, the end */
    Span open[MAX_DEPTH]; /* names of the elements open, innermost last */
    int depth;
    int plain;            /* no spelling sheetscan's searches read otherwise */
    int formula;          /* an element named f, or prefix:f */
    long long max_row, max_column;
} Scan;

enum { NAME_START = 1, NAME = 2, SPACE = 4, TEXT_SPECIAL = 8 };
static unsigned char kind[256];

static void init_kinds(void) {
    for (int c = 0; c < 256; c++) {
        int k = 0;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ':') k |= NAME_START | NAME;
        if ((c >= '0' && c <= '9') || c == '.' || c == '-') k |= NAME;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') k |= SPACE;
        /* bytes a run of text or a value cannot pass over unread */
        if (c < 0x20 || c >= 0x80 || c == '<' || c == '&' || c == ']' || c == '"' || c == '\'' || c == '=' || c == ':')
            k |= TEXT_SPECIAL;
        kind[c] = (unsigned char)k;
    }
}

static int is_space(Byte p, Byte end) { return p < end && (kind[*p] & SPACE); }

static Byte skip_space(Byte p, Byte end) {
    while (p < end && (kind[*p] & SPACE)) p++;
    return p;
}

static int xml_char(unsigned long c) {
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
           (c >= 0x10000 && c <= 0x10FFFF);
}

/* One UTF-8 sequence at *pp (its first byte 0x80 or above): a character XML allows, or 0. */
static int utf8(Byte *pp, Byte end) {
    Byte p = *pp;
    unsigned long c;
    int more;
    if (*p >= 0xC2 && *p <= 0xDF) c = *p & 0x1F, more = 1;
    else if (*p >= 0xE0 && *p <= 0xEF) c = *p & 0x0F, more = 2;
    else if (*p >= 0xF0 && *p <= 0xF4) c = *p & 0x07, more = 3;
    else return 0;
    if (end - p <= more) return 0;
    for (int i = 1; i <= more; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;
        c = (c << 6) | (p[i] & 0x3F);
    }
    if ((more == 2 && c < 0x800) || (more == 3 && c < 0x10000)) return 0; /* overlong */
    if (!xml_char(c)) return 0;                                          /* surrogates, U+FFFE, past U+10FFFF */
    *pp = p + more + 1;
    return 1;
}

/* A reference after '&': one of the five predefined entities or a character XML allows. */
static int reference(Byte *pp, Byte end) {
    static const char *named[] = {"lt;", "gt;", "amp;", "apos;", "quot;"};
    Byte p = *pp + 1;
    if (p < end && *p == '#') {
        unsigned long c = 0;
        int hex = ++p < end && *p == 'x', digits = 0;
        p += hex;
        for (; p < end && *p != ';'; p++, digits++) {
            int d = (*p >= '0' && *p <= '9') ? *p - '0'
                    : hex && (*p | 0x20) >= 'a' && (*p | 0x20) <= 'f' ? (*p | 0x20) - 'a' + 10
                                                                    : -1;
            if (d < 0 || digits >= 8) return 0;
            c = c * (hex ? 16 : 10) + (unsigned long)d;
        }
        if (p >= end || digits == 0 || !xml_char(c)) return 0;
        *pp = p + 1;
        return 1;
    }
    for (int i = 0; i < 5; i++) {
        size_t n = strlen(named[i]);
        if ((size_t)(end - p) >= n && memcmp(p, named[i], n) == 0) {
            *pp = p + n;
            return 1;
        }
    }
    return 0;
}

/* Whether the bytes before p, back to the part's first, end with white space then r, then any
 * white space: where sheetscan's search for an odd attribute r would find one at this '='. */
static int r_before(Byte first, Byte p) {
    while (p > first && (kind[p[-1]] & SPACE)) p--;
    return p - first >= 2 && p[-1] == 'r' && (kind[p[-2]] & SPACE);
}

static int local_is(Byte p, Byte end, const char *name) {
    size_t n = strlen(name);
    return (size_t)(end - p) > n && memcmp(p, name, n) == 0 &&
           ((kind[p[n]] & SPACE) || p[n] == '/' || p[n] == '>');
}

/* Characters of text or of an attribute value, up to `stop` ('<' for text, the quote for a value).
 * Also marks the part not plain where these raw bytes hold what sheetscan's searches would take
 * for a reference or an odd spelling: r=" , white space r = , :c or :row. */
static int characters(Scan *s, unsigned char stop) {
    Byte p = s->p, end = s->end, first = s->first;
    for (;;) {
        while (p < end && !(kind[*p] & TEXT_SPECIAL)) p++;
        if (p >= end) break;
        unsigned char c = *p;
        if (c == stop) break;
        if (c == '<') return 0;
        if (c == '&') {
            if (!reference(&p, end)) return 0;
            continue;
        }
        if (c >= 0x80) {
            if (!utf8(&p, end)) return 0;
            continue;
        }
        if (c < 0x20 && !(kind[c] & SPACE)) return 0;
        if (c == ']' && stop == '<' && end - p >= 3 && p[1] == ']' && p[2] == '>') return 0;
        if (c == '"' && p - first >= 2 && p[-1] == '=' && p[-2] == 'r') s->plain = 0;
        if (c == '=' && r_before(first, p)) s->plain = 0;
        if (c == ':' && (local_is(p + 1, end, "c") || local_is(p + 1, end, "row"))) s->plain = 0;
        p++;
    }
    s->p = p;
    return 1;
}

static Byte name(Byte p, Byte end) {
    if (p >= end || !(kind[*p] & NAME_START)) return NULL;
    while (++p < end && (kind[*p] & NAME)) {
    }
    return p;
}

static int same(Span a, Span b) {
    return a.end - a.start == b.end - b.start && memcmp(a.start, b.start, (size_t)(a.end - a.start)) == 0;
}

static int is(Span a, const char *text) {
    size_t n = strlen(text);
    return (size_t)(a.end - a.start) == n && memcmp(a.start, text, n) == 0;
}

/* The value of an attribute r as sheetscan's searches read it: letters, then digits. */
static int reference_value(Scan *s, Span value) {
    Byte p = value.start;
    long long column = 0, row = 0;
    int letters = 0, digits = 0;
    for (; p < value.end && ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z'); p++, letters++)
        column = column * 26 + ((*p | 0x20) - 'a' + 1);
    while (p < value.end && *p == '0') p++, digits++;
    for (; p < value.end && *p >= '0' && *p <= '9'; p++) {
        row = row * 10 + (*p - '0');
        if (row > 0 && ++digits > MAX_ROW_DIGITS) return 0;
    }
    if (p != value.end || digits == 0 || letters > MAX_COLUMN_LETTERS) return 0;
    if (row > s->max_row) s->max_row = row;
    if (column > s->max_column) s->max_column = column;
    return 1;
}

/* A name ending in :c or :row, which sheetscan's search for prefixed cells and rows finds. */
static int prefixed_c_or_row(Span name) {
    size_t n = (size_t)(name.end - name.start);
    return (n >= 2 && memcmp(name.end - 2, ":c", 2) == 0) || (n >= 4 && memcmp(name.end - 4, ":row", 4) == 0);
}

/* An element sheetscan's _FORMULA finds: f, or f after one prefix of word characters, . and -. */
static int is_formula(Span name) {
    Py_ssize_t n = name.end - name.start;
    if (name.end[-1] != 'f' || n == 2 || (n > 2 && name.end[-2] != ':')) return 0;
    for (Byte p = name.start; p < name.end - 2; p++)
        if (*p == ':') return 0;
    return 1;
}

/* What an attribute tells of the sheet's extent, or that the part is not plain. */
static void attribute(Scan *s, Span key, Span value, Byte after_key, int quoted_at_once) {
    if (is(key, "r")) {
        if (!quoted_at_once || value.start[-1] != '"' || !reference_value(s, value)) s->plain = 0;
        return;
    }
    if (key.end[-1] == 'r' && after_key[0] == '=' && after_key[1] == '"') {
        /* the searches for columns take r=" after any name: operator="between" and xmlns:r="http:"
         * are nothing to them, a column reference after x:r or xr would be something */
        Byte p = value.start;
        while (p < value.end && ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z')) p++;
        if (p > value.start && p < value.end && *p >= '0' && *p <= '9') s->plain = 0;
    }
}

/* A start tag, after its '<': its name, attributes (each once), and '>' or '/>'. */
static int start_tag(Scan *s) {
    Byte end = s->end, p = s->p;
    Span element = {p, name(p, end)}, keys[MAX_ATTRIBUTES];
    int count = 0;
    if (!element.end) return 0;
    if (prefixed_c_or_row(element)) s->plain = 0;
    if (is_formula(element)) s->formula = 1;
    if ((is(element, "c") || is(element, "row")) &&
        !(end - element.end > 4 && memcmp(element.end, " r=\"", 4) == 0))
        s->plain = 0;
    p = element.end;
    for (;;) {
        Byte spaced = p;
        p = skip_space(p, end);
        if (p >= end) return 0;
        if (*p == '>' || *p == '/') break;
        if (p == spaced || count == MAX_ATTRIBUTES) return 0;
        Span key = {p, name(p, end)};
        if (!key.end) return 0;
        for (int i = 0; i < count; i++)
            if (same(keys[i], key)) return 0;
        keys[count++] = key;
        if (prefixed_c_or_row(key)) s->plain = 0;
        Byte after_key = key.end;
        p = skip_space(after_key, end);
        if (p >= end || *p != '=') return 0;
        p = skip_space(p + 1, end);
        if (p >= end || (*p != '"' && *p != '\'')) return 0;
        int at_once = after_key + 1 == p;
        s->p = p + 1;
        if (!characters(s, *p) || s->p >= end) return 0;
        attribute(s, key, (Span){p + 1, s->p}, after_key, at_once);
        p = s->p + 1;
    }
    if (*p == '/') {
        if (end - p < 2 || p[1] != '>') return 0;
        s->p = p + 2;
        return 1;
    }
    if (s->depth == MAX_DEPTH) return 0;
    s->open[s->depth++] = element;
    s->p = p + 1;
    return 1;
}

static int end_tag(Scan *s) {
    Span element = {s->p, name(s->p, s->end)};
    if (!element.end || s->depth == 0 || !same(element, s->open[s->depth - 1])) return 0;
    Byte p = skip_space(element.end, s->end);
    if (p >= s->end || *p != '>') return 0;
    s->depth--;
    s->p = p + 1;
    return 1;
}

static int starts(Byte p, Byte end, const char *text) {
    size_t n = strlen(text);
    return (size_t)(end - p) >= n && memcmp(p, text, n) == 0;
}

/* One pseudo-attribute of the XML declaration, after white space: key="value" with either quote,
 * the value one of `allowed` (compared without case where `any_case`). */
static int declared(Byte *pp, Byte end, const char *key, const char **allowed, int any_case) {
    Byte p = *pp;
    if (!starts(p, end, key)) return 0;
    p = skip_space(p + strlen(key), end);
    if (p >= end || *p != '=') return 0;
    p = skip_space(p + 1, end);
    if (p >= end || (*p != '"' && *p != '\'')) return 0;
    unsigned char quote = *p++;
    Byte close = memchr(p, quote, (size_t)(end - p));
    if (!close) return 0;
    for (; *allowed; allowed++) {
        size_t n = strlen(*allowed);
        if ((size_t)(close - p) == n && (any_case ? PyOS_strnicmp((const char *)p, *allowed, n) : memcmp(p, *allowed, n)) == 0) {
            *pp = close + 1;
            return 1;
        }
    }
    return 0;
}

/* After "<?xml": version, then encoding (UTF-8 only) and standalone where given, then "?>". */
static int declaration(Scan *s) {
    static const char *version[] = {"1.0", NULL}, *encoding[] = {"UTF-8", NULL}, *standalone[] = {"yes", "no", NULL};
    Byte p = s->p, end = s->end;
    if (!is_space(p, end)) return 0;
    p = skip_space(p, end);
    if (!declared(&p, end, "version", version, 0)) return 0;
    if (is_space(p, end) && starts(skip_space(p, end), end, "encoding")) {
        p = skip_space(p, end);
        if (!declared(&p, end, "encoding", encoding, 1)) return 0;
    }
    if (is_space(p, end) && starts(skip_space(p, end), end, "standalone")) {
        p = skip_space(p, end);
        if (!declared(&p, end, "standalone", standalone, 0)) return 0;
    }
    p = skip_space(p, end);
    if (!starts(p, end, "?>")) return 0;
    s->p = p + 2;
    return 1;
}

/* The whole part: a declaration, the root element and its content, white space around them. */
static int part(Scan *s) {
    if (starts(s->p, s->end, "\xEF\xBB\xBF")) s->p += 3;
    if (starts(s->p, s->end, "<?xml")) {
        s->p += 5;
        if (!declaration(s)) return 0;
    }
    s->p = skip_space(s->p, s->end);
    if (s->p >= s->end || *s->p != '<') return 0;
    s->p++;
    if (!start_tag(s)) return 0;
    while (s->depth > 0) {
        if (!characters(s, '<') || s->p >= s->end) return 0;
        s->p++;
        if (s->p >= s->end) return 0;
        if (*s->p == '/') {
            s->p++;
            if (!end_tag(s)) return 0;
        } else if (*s->p == '!' || *s->p == '?') {
            return 0; /* a comment, CDATA, a processing instruction: no spreadsheet program writes one */
        } else if (!start_tag(s)) {
            return 0;
        }
    }
    return skip_space(s->p, s->end) == s->end;
}

static PyObject *scan(PyObject *module, PyObject *arg) {
    Py_buffer xml;
    Scan s;
    int certain;
    (void)module;
    if (PyObject_GetBuffer(arg, &xml, PyBUF_SIMPLE) < 0) return NULL;
    s.first = s.p = xml.buf;
    s.end = s.p + xml.len;
    s.depth = 0;
    s.plain = 1;
    s.max_row = s.max_column = 0;
    s.formula = 0;
    Py_BEGIN_ALLOW_THREADS
    certain = part(&s);
    Py_END_ALLOW_THREADS
    if (!certain) {
        PyBuffer_Release(&xml);
        Py_RETURN_NONE;
    }
    if (!s.plain) s.max_row = s.max_column = -1;
    PyObject *strings = raw_string_cells(s.first, s.end);
    PyObject *found = strings ? Py_BuildValue("(LLnOO)", s.max_row, s.max_column, raw_merges(s.first, s.end),
                                              s.formula ? Py_True : Py_False, strings)
                              : NULL;
    Py_XDECREF(strings);
    PyBuffer_Release(&xml);
    return found;
}

static PyMethodDef methods[] = {
    {"scan", scan, METH_O,
     "scan(xml) -> None | (max_row, max_column, merges, formula, strings): None unless the part is "
     "certainly well-formed; the extent -1, -1 where sheetscan must measure it, strings None where "
     "sheetscan must read them."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef definition = {PyModuleDef_HEAD_INIT, "validator.read._scan", NULL, -1, methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__scan(void) {
    init_kinds();
    return PyModule_Create(&definition);
}
