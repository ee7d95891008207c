/* calibration.h: a calibration file (tools/calibrate.py) mapped onto the
 * parameters of the plugins an experiment uses. */
#ifndef PX_CALIBRATION_H
#define PX_CALIBRATION_H

#include "base/diag.h"
#include "input/experiment.h"
#include "input/yaml_tree.h"

/* The file's `params` map: plugin name -> {parameter: value}, and the
 * entries already reported as wrong (each is reported once, however many
 * experiments use its plugin). */
struct calibration {
	struct ynode *root;
	const struct ynode *params;
	const struct ynode **reported;
	size_t n_reported, cap_reported;
};

/* Reads `path` (YAML or JSON). Returns 0, or -EINVAL after reporting to d
 * where the file is not a map with a `params` map of maps. */
int px__calibration_load(const char *path, struct diag *d,
                         struct calibration *cal);

/* Sets, in e's workload and strategies, each parameter the calibration
 * gives for that plugin and the experiment file does not set (the file
 * wins). Returns 0, or -EINVAL for an unknown parameter or a bad value,
 * reported to d at its place in the calibration file the first time. */
int px__calibration_apply(struct calibration *cal, struct experiment *e,
                          struct diag *d);

void px__calibration_free(struct calibration *cal);

#endif
