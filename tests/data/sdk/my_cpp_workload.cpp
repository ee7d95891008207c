// my_cpp_workload.cpp: a workload written in C++ against the installed
// parlab/plugin.h: task i returns i*i, verify checks the sum.
#include <parlab/plugin.h>

#include <cstring>

namespace {

struct config {
	int64_t tasks;
};

const px_param params[] = {
	{ "tasks", PX_INT, offsetof(config, tasks), "8", 1, 100000,
	  "tasks to run", nullptr },
	PX_PARAM_END,
};

struct state {
	uint64_t sum = 0;
};

int64_t setup(px_worker *ctl)
{
	ctl->wl_state = new state;
	return static_cast<const config *>(ctl->wl_config)->tasks;
}

int run_task(px_worker *w, uint64_t task, void *result)
{
	uint64_t v = task * task;

	px_tick(w);
	std::memcpy(result, &v, sizeof(v));
	return 0;
}

void combine(px_worker *ctl, const void *results, uint64_t n)
{
	auto *s = static_cast<state *>(ctl->wl_state);
	const auto *r = static_cast<const uint64_t *>(results);

	for (uint64_t i = 0; i < n; i++)
		s->sum += r[i];
}

int verify(px_worker *ctl)
{
	const auto *c = static_cast<const config *>(ctl->wl_config);
	uint64_t want = 0;

	for (int64_t i = 0; i < c->tasks; i++)
		want += static_cast<uint64_t>(i * i);
	return static_cast<state *>(ctl->wl_state)->sum == want ? 0 : 1;
}

void teardown(px_worker *ctl)
{
	delete static_cast<state *>(ctl->wl_state);
}

px_workload_ops make_ops()
{
	px_workload_ops o{};
	o.result_size = sizeof(uint64_t);
	o.setup = setup;
	o.run_task = run_task;
	o.combine = combine;
	o.verify = verify;
	o.teardown = teardown;
	return o;
}
const px_workload_ops ops = make_ops();

// C++17 has no designated initializers: the header's fields one by one.
px_plugin make_desc()
{
	px_plugin d{};
	d.abi_major = PX_ABI_MAJOR;
	d.abi_minor = PX_ABI_MINOR;
	d.struct_size = sizeof(px_plugin);
	d.kind = PX_KIND_WORKLOAD;
	d.name = "my-cpp-workload";
	d.summary = "sums squares, in C++";
	d.params = params;
	d.config_size = sizeof(config);
	d.workload = &ops;
	return d;
}
const px_plugin desc = make_desc();

} // namespace

PX_PLUGIN(desc)
