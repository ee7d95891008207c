#!/bin/sh
# tools/slurm-local.sh: installs (Debian's slurm-wlm and munge, by apt) and
# starts a one-node SLURM cluster on this machine, for `parlab slurm` and
# its system test: munged, slurmctld and slurmd, as root, with no cgroup
# setup (proctrack/linuxproc, task/none), one node with this machine's
# hostname, CPUs and memory (`slurmd -C`), and a partition `debug`.
# Idempotent: daemons already running are kept; it waits (at most 60 s)
# until `sinfo` shows the node idle. It never overwrites a slurm.conf that
# it did not write. Exit codes: 0 ready, 1 SLURM could not start (the
# reason on stderr, one line starting "slurm-local: cannot start:").
set -u
conf=/etc/slurm/slurm.conf
marker="# written by parlab tools/slurm-local.sh"

cannot() {
	echo "slurm-local: cannot start: $*" >&2
	exit 1
}

[ "$(id -u)" -eq 0 ] || cannot "needs root (it runs slurmctld and slurmd as root)"

if ! command -v slurmctld >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
	command -v apt-get >/dev/null 2>&1 || cannot "no slurmctld/munged and no apt-get to install them"
	echo "slurm-local: installing slurm-wlm and munge" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurm-wlm munge \
		>/tmp/slurm-local-apt.log 2>&1 ||
		{ apt-get update -q >/dev/null 2>&1 &&
		  DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurm-wlm munge \
			>/tmp/slurm-local-apt.log 2>&1; } ||
		cannot "apt-get install slurm-wlm munge failed (see /tmp/slurm-local-apt.log)"
fi

# munge: a key, its folders, the daemon (as the munge user, which owns the key)
mkdir -p /etc/munge /var/lib/munge /var/log/munge /run/munge
if [ ! -s /etc/munge/munge.key ]; then
	if command -v mungekey >/dev/null 2>&1; then
		mungekey --create --keyfile=/etc/munge/munge.key >/dev/null 2>&1
	fi
	[ -s /etc/munge/munge.key ] ||
		dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 2>/dev/null
fi
muser=root
id munge >/dev/null 2>&1 && muser=munge
chown -R "$muser" /etc/munge /var/lib/munge /var/log/munge /run/munge
chmod 0700 /etc/munge /var/lib/munge /var/log/munge
chmod 0755 /run/munge
chmod 0400 /etc/munge/munge.key
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
	if [ "$muser" = root ]; then
		munged --force || cannot "munged did not start"
	else
		su -s /bin/sh "$muser" -c munged || cannot "munged did not start"
	fi
	i=0
	until munge -n 2>/dev/null | unmunge >/dev/null 2>&1; do
		i=$((i + 1))
		[ "$i" -le 20 ] || cannot "munged does not answer (munge -n | unmunge)"
		sleep 0.5
	done
fi

# slurm.conf for this one node
host=$(hostname -s)
node=$(slurmd -C 2>/dev/null | grep '^NodeName=')
[ -n "$node" ] || cannot "slurmd -C does not describe this machine"
if [ -f "$conf" ] && ! grep -q "^$marker" "$conf"; then
	cannot "$conf exists and was not written by this script; not touching a real cluster's configuration"
fi
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
cat >"$conf.new" <<EOF
$marker
ClusterName=parlab-local
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
MinJobAge=3600
$node
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
# NodeName as `hostname -s` names it, the name slurmd registers with
sed -i "s/^NodeName=[^ ]*/NodeName=$host/" "$conf.new"
if cmp -s "$conf.new" "$conf"; then
	rm -f "$conf.new"
else
	mv "$conf.new" "$conf"
	changed=1
fi

alive() {
	[ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}
if alive /run/slurmctld.pid && [ "${changed:-0}" = 1 ]; then
	scontrol reconfigure >/dev/null 2>&1
fi
alive /run/slurmctld.pid || slurmctld || cannot "slurmctld did not start (see /var/log/slurm/slurmctld.log)"
alive /run/slurmd.pid || slurmd || cannot "slurmd did not start (see /var/log/slurm/slurmd.log)"

# wait until the node is idle (or mixed/allocated: it works already)
i=0
while :; do
	state=$(sinfo -h -n "$host" -o %T 2>/dev/null | head -n 1)
	case "$state" in
	idle* | mixed* | allocated*) break ;;
	down* | drain*)
		scontrol update NodeName="$host" State=RESUME >/dev/null 2>&1 ;;
	esac
	i=$((i + 1))
	[ "$i" -le 60 ] || cannot "the node $host is not idle after 60 s (sinfo says '${state:-nothing}'; see /var/log/slurm/)"
	sleep 1
done
echo "slurm-local: ready: node $host ($state), partition debug" >&2
