#!/usr/bin/env bash
# A single-node SLURM cluster on this machine, for the scheduler test of CI and for trying the
# SLURM profile (profiles/slurm) without a real cluster.
#
#   tools/slurm/cluster.sh start STATE_DIR   # munged, slurmctld, slurmd; waits until the node is idle
#   tools/slurm/cluster.sh stop STATE_DIR    # stops exactly the daemons it started, by PID
#
# Needs Debian's slurm-wlm and munge (apt-get install slurm-wlm munge) and root or the munge
# user. Everything it writes (keys, spool, logs, PID files) stays under STATE_DIR except
# /etc/slurm/slurm.conf: the job steps Snakemake starts inside each job drop SLURM_CONF and
# read the system path, as on a real cluster. An existing slurm.conf that this script did
# not write is never replaced (start fails instead); stop removes only its own. The
# partition is called "local".
set -euo pipefail

usage() { echo "usage: $0 start|stop STATE_DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
action=$1
state=$(mkdir -p "$2" && cd "$2" && pwd)
conf="$state/slurm.conf"
system_conf=/etc/slurm/slurm.conf
marker="# written by tools/slurm/cluster.sh"

stop() {
  for name in slurmd slurmctld munged; do
    pidfile="$state/$name.pid"
    if [ -s "$pidfile" ]; then
      pid=$(cat "$pidfile")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$pidfile"
    fi
  done
  if [ -f "$system_conf" ] && head -n 1 "$system_conf" | grep -qF "$marker"; then
    rm -f "$system_conf"
  fi
}

start() {
  for cmd in munged slurmctld slurmd sinfo; do
    command -v "$cmd" >/dev/null || { echo "$cmd not found: apt-get install slurm-wlm munge" >&2; exit 1; }
  done
  mkdir -p "$state/munge" "$state/spool/ctld" "$state/spool/d" "$state/log"
  chmod 700 "$state/munge"
  # munged refuses keys and sockets that other users can read or write.
  if [ ! -s "$state/munge/munge.key" ]; then
    dd if=/dev/urandom of="$state/munge/munge.key" bs=1024 count=1 status=none
  fi
  chmod 400 "$state/munge/munge.key"
  user=$(id -un)
  chown -R "$user" "$state"
  munged --key-file="$state/munge/munge.key" --socket="$state/munge/munge.socket" \
    --pid-file="$state/munged.pid" --log-file="$state/log/munged.log" \
    --seed-file="$state/munge/munge.seed" --force

  host=$(hostname -s)
  # RealMemory below what is free, so slurmd registers the node rather than draining it.
  free_mb=$(awk '/MemAvailable/ {print int($2 / 1024)}' /proc/meminfo)
  mem=$(( free_mb * 3 / 4 ))
  cpus=$(nproc)
  if [ -f "$system_conf" ] && ! head -n 1 "$system_conf" | grep -qF "$marker"; then
    echo "$system_conf exists and was not written by this script: not replacing it" >&2
    exit 1
  fi
  cat > "$conf" <<CONF
$marker for $state
ClusterName=local
SlurmctldHost=$host
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
AuthInfo=socket=$state/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$state/spool/ctld
SlurmdSpoolDir=$state/spool/d
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
SlurmctldPort=6817
SlurmdPort=6818
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
MpiDefault=none
SchedulerType=sched/backfill
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  mkdir -p "$(dirname "$system_conf")"
  cp "$conf" "$system_conf"
  slurmctld -f "$system_conf"
  slurmd -f "$system_conf"
  for _ in $(seq 100); do
    if sinfo -h -o '%T' 2>/dev/null | grep -qx idle; then
      echo "single-node SLURM cluster up: partition local, config $system_conf"
      return 0
    fi
    sleep 0.2
  done
  echo "the SLURM node did not become idle; logs in $state/log:" >&2
  tail -n 20 "$state"/log/*.log >&2 || true
  stop
  exit 1
}

case "$action" in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
