/* What intake's regular expressions over a sheet's raw bytes find, byte for byte, for the native
 * pass (_scan.c): the merged ranges intake counts, and the shared-string cells sheetscan reads the
 * quick way. Searches, not parsing: they see text, values and tags alike, as the regexes do.
 */
#define _GNU_SOURCE /* memmem */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

#include "_scan_raw.h"

/* White space as Python's regular expressions over bytes take \s: XML's four, and \f and \v. */
static int re_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

static Byte find(Byte p, Byte end, const char *text) {
    return p < end ? memmem(p, (size_t)(end - p), text, strlen(text)) : NULL;
}

static Py_ssize_t occurrences(Byte p, Byte end, const char *text) {
    Py_ssize_t count = 0;
    for (Byte hit; (hit = find(p, end, text)); p = hit + strlen(text)) count++;
    return count;
}

/* intake's _MERGE: `mergeCell` then white space, / or >, anywhere. */
Py_ssize_t raw_merges(Byte p, Byte end) {
    Py_ssize_t count = 0;
    static const char name[] = "mergeCell";
    const size_t n = sizeof name - 1;
    for (Byte hit; (hit = find(p, end, name)); p = hit + n)
        if (hit + n < end && (re_space(hit[n]) || hit[n] == '/' || hit[n] == '>')) count++;
    return count;
}

/* `c`, white space, then one of `after`: sheetscan's _SPACED_T (t, =) and _SPACED_VALUE (=, quotes). */
static int spaced(Byte first, Byte end, unsigned char c, const char *after) {
    for (Byte p = first; (p = p < end ? memchr(p, c, (size_t)(end - p)) : NULL); p++) {
        Byte q = p + 1;
        while (q < end && re_space(*q)) q++;
        if (q > p + 1 && q < end && *q && strchr(after, *q)) return 1;
    }
    return 0;
}

/* sheetscan's _STRING_HINT: white space, t, =, a quote, s, a quote; white space around the =. */
static int string_hint(Byte first, Byte end) {
    for (Byte p = first; (p = p < end ? memchr(p, 't', (size_t)(end - p)) : NULL); p++) {
        if (p == first || !re_space(p[-1])) continue;
        Byte q = p + 1;
        while (q < end && re_space(*q)) q++;
        if (q >= end || *q != '=') continue;
        for (q++; q < end && re_space(*q); q++) {
        }
        if (end - q >= 3 && (*q == '"' || *q == '\'') && q[1] == 's' && (q[2] == '"' || q[2] == '\'')) return 1;
    }
    return 0;
}

/* sheetscan.strings up to the sizes: [] where no cell names a shared string, the indexes of
 * `t="s"><v>digits</v>` where every such cell is spelt so, None where sheetscan must read them. */
PyObject *raw_string_cells(Byte first, Byte end) {
    if ((!find(first, end, "\"s\"") && !find(first, end, "'s'")) || !string_hint(first, end)) return PyList_New(0);
    if (find(first, end, "'s'") || spaced(first, end, 't', "=") || spaced(first, end, '=', "\"'")) Py_RETURN_NONE;
    PyObject *found = PyList_New(0);
    Byte p = first, hit;
    static const char cell[] = "t=\"s\"><v>";
    while (found && (hit = find(p, end, cell))) {
        Byte q = hit + sizeof cell - 1;
        long long index = 0;
        int digits = 0;
        for (; q < end && *q >= '0' && *q <= '9' && digits <= 18; q++, digits++) index = index * 10 + (*q - '0');
        if (digits > 18) {
            Py_DECREF(found);
            Py_RETURN_NONE;
        }
        if (digits == 0 || end - q < 4 || memcmp(q, "</v>", 4) != 0) {
            p = hit + 1;
            continue;
        }
        PyObject *number = PyLong_FromLongLong(index);
        if (!number || PyList_Append(found, number) < 0) Py_CLEAR(found);
        Py_XDECREF(number);
        p = q + 4;
    }
    if (found && PyList_GET_SIZE(found) != occurrences(first, end, "t=\"s\"")) {
        Py_DECREF(found);
        Py_RETURN_NONE;
    }
    return found;
}
