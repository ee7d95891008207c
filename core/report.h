/* report.h: the charts (SVG) and the self-contained report.html of a
 * results directory, drawn by parlab itself. */
#ifndef PX_REPORT_H
#define PX_REPORT_H

#include "expect.h"
#include "plan.h"

/* Writes speedup.svg, time.svg, latency.svg (when the workload samples a
 * metric) and report.html into dir. report.html holds everything inline:
 * it opens in a browser with no network. Returns 0 or a negative errno. */
int px__report_write(const char *dir, const struct plan *plan,
                     const struct verdict_result *verdicts);

#endif
