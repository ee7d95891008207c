/* report.h: the charts (SVG) and the self-contained report.html of a
 * results directory, drawn by parlab itself from the directory's files
 * (summary.csv, verdicts, meta.json): a live run and `parlab report DIR`
 * draw the same page. */
#ifndef PX_REPORT_H
#define PX_REPORT_H

#include <stddef.h>
#include <stdio.h>

/* Writes speedup.svg, time.svg, latency.svg (when the workload samples a
 * metric), gil.svg (when a trial ran under gil-threads) and report.html
 * into dir, from dir's own files. report.html
 * holds everything inline: it opens in a browser with no network. When
 * table is not NULL the trial table is printed there too. Every file is
 * written whole or not at all (base/afile.h), and one that cannot be
 * written does not stop the others. Returns 0; PX_REPORT_UNREADABLE when
 * dir's own files cannot be read (nothing is written); else the number
 * of files that could not be written. Says why on stderr. */
int px__report_write(const char *dir, FILE *table);

#define PX_REPORT_UNREADABLE (-1)

/* The width of a text table's trial column, for the longest label it
 * shows: 44 at least, so short labels line up as they always did; the
 * whole label up to 1000 characters. The run's table and the report's
 * share it. */
int px__label_width(size_t longest);

#endif
