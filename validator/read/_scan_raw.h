/* The raw searches of _scan_raw.c, for _scan.c. */
#ifndef FORMCHECK_SCAN_RAW_H
#define FORMCHECK_SCAN_RAW_H

typedef const unsigned char *Byte;

/* intake's _MERGE count: `mergeCell` then white space, / or >, anywhere in [p, end). */
Py_ssize_t raw_merges(Byte p, Byte end);

/* A new list of the shared-string indexes of the cells in [first, end) as sheetscan's
 * _as_excel_writes reads them, [] where sheetscan.strings finds no such cell, None where it must
 * read them the general way; NULL with an exception set where memory ran out. */
PyObject *raw_string_cells(Byte first, Byte end);

#endif
