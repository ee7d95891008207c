/* slurm_script.c: the text of the sbatch scripts `parlab slurm` submits
 * (or prints): POSIX sh, every path single-quoted, the sbatch options as
 * #SBATCH lines so that the script alone says how it was submitted. */
#include "cmd/slurm.h"

#include "base/util.h"

/* s single-quoted for sh. */
static void quoted(struct strbuf *sb, const char *s)
{
	px__sb_add(sb, "'");
	for (; *s; s++) {
		if (*s == '\'')
			px__sb_add(sb, "'\\''");
		else
			px__sb_addf(sb, "%c", *s);
	}
	px__sb_add(sb, "'");
}

/* The #SBATCH lines both scripts share: where SLURM's own log goes and
 * what the user passed through. */
static void shared_options(struct strbuf *sb, const struct slurm_job *j,
                           const char *log)
{
	const struct cli *c = j->c;

	px__sb_addf(sb, "#SBATCH --output=%s/%s\n", j->batch, log);
	if (c->partition)
		px__sb_addf(sb, "#SBATCH --partition=%s\n", c->partition);
	if (c->slurm_time)
		px__sb_addf(sb, "#SBATCH --time=%s\n", c->slurm_time);
	if (c->account)
		px__sb_addf(sb, "#SBATCH --account=%s\n", c->account);
	for (size_t i = 0; i < c->sbatch_args.n; i++)
		px__sb_addf(sb, "#SBATCH %s\n", c->sbatch_args.v[i]);
}

/* The `parlab run` options that pass through to every task. */
static void run_options(struct strbuf *sb, const struct cli *c)
{
	if (c->plugin_path) {
		px__sb_add(sb, " --plugin-path ");
		quoted(sb, c->plugin_path);
	}
	if (c->repetitions)
		px__sb_addf(sb, " --repetitions %u", c->repetitions);
}

/* The case statement: array task index -> file and directory name. */
static void task_table(struct strbuf *sb, const struct slurm_job *j)
{
	px__sb_add(sb, "case \"${SLURM_ARRAY_TASK_ID:?not run as a SLURM array task}\" in\n");
	for (size_t i = 0; i < j->n; i++) {
		px__sb_addf(sb, "%zu) file=", i);
		quoted(sb, j->files[i]);
		px__sb_add(sb, " name=");
		quoted(sb, j->names[i]);
		px__sb_add(sb, " ;;\n");
	}
	px__sb_add(sb, "*) echo \"parlab slurm: no experiment file for array task $SLURM_ARRAY_TASK_ID\" >&2; exit 2 ;;\nesac\n");
}

/* Run, resume or skip the task's experiment directory on this node. */
static const char task_body[] =
	"if [ -f \"$dir/meta.json\" ] && grep -q '\"state\": \"complete\"' \"$dir/meta.json\"; then\n"
	"\techo \"parlab slurm: $dir is complete; skipped\"\n"
	"\texit 0\n"
	"fi\n"
	"if [ -f \"$dir/meta.json\" ] || [ -f \"$dir/batch.json\" ]; then\n"
	"\techo \"parlab slurm: resuming $dir on $(hostname)\"\n"
	"\texec \"$parlab\" run --resume \"$dir\"\n"
	"fi\n"
	"# made but stopped before its first result: nothing measured is lost\n"
	"[ -e \"$dir\" ] && mv \"$dir\" \"$dir.unstarted-$$\"\n"
	"echo \"parlab slurm: running $file into $dir on $(hostname)\"\n";

char *px__slurm_array_script(const struct slurm_job *j)
{
	const struct cli *c = j->c;
	bool spread = c->nodes > 1 || c->nodelist;
	struct strbuf sb = { 0 };

	px__sb_add(&sb, "#!/bin/sh\n"
	           "# parlab slurm: one array task per experiment file, each running\n"
	           "# `parlab run` alone on its node into the shared batch directory\n"
	           "# (resuming what an earlier submission left unfinished).\n"
	           "#SBATCH --job-name=parlab\n");
	px__sb_addf(&sb, "#SBATCH --array=0-%zu\n#SBATCH --exclusive\n", j->n - 1);
	if (c->nodes > 1)
		px__sb_addf(&sb, "#SBATCH --nodes=%u\n", c->nodes);
	if (c->nodelist)
		px__sb_addf(&sb, "#SBATCH --nodelist=%s\n", c->nodelist);
	shared_options(&sb, j, "slurm-%A_%a.out");
	px__sb_add(&sb, "set -u\nparlab=");
	quoted(&sb, j->parlab);
	px__sb_add(&sb, "\nbatch=");
	quoted(&sb, j->batch);
	px__sb_add(&sb, "\n");
	task_table(&sb, j);
	if (spread)
		px__sb_add(&sb, "# every node of the allocation runs the file, each into its own directory\n"
		           "if [ \"${1:-}\" != node ]; then\n"
		           "\texec srun --ntasks-per-node=1 sh \"$batch/slurm-array.sh\" node\n"
		           "fi\n"
		           "dir=\"$batch/$name@$(hostname -s)\"\n");
	else
		px__sb_add(&sb, "dir=\"$batch/$name\"\n");
	px__sb_add(&sb, task_body);
	px__sb_add(&sb, "exec \"$parlab\" run --output-dir \"$dir\"");
	run_options(&sb, c);
	px__sb_add(&sb, " \"$file\"\n");
	return px__sb_take(&sb);
}

char *px__slurm_merge_script(const struct slurm_job *j)
{
	struct strbuf sb = { 0 };

	px__sb_add(&sb, "#!/bin/sh\n"
	           "# parlab slurm: after every array task ended (afterany), the batch\n"
	           "# overview of the shared directory: batch.json, summary.md, index.html.\n"
	           "#SBATCH --job-name=parlab-merge\n");
	shared_options(&sb, j, "slurm-merge-%j.out");
	px__sb_add(&sb, "exec ");
	quoted(&sb, j->parlab);
	px__sb_add(&sb, " merge -o ");
	quoted(&sb, j->batch);
	px__sb_add(&sb, " ");
	quoted(&sb, j->batch);
	px__sb_add(&sb, "\n");
	return px__sb_take(&sb);
}
