"""The same DAG on a real cluster scheduler: the tiny build through SLURM equals the local one.

A single-node SLURM cluster (Debian ``slurm-wlm`` and ``munge``) is started for the test by
``tools/slurm/cluster.sh`` and stopped afterwards by PID. The tiny config (City of London)
on two releases and six indicators (``tests/configs/tiny_slurm.yaml``: every kind of job,
fewer of them, as each SLURM job loads the workflow anew) is built with the project's SLURM
profile (``profiles/slurm``, the ``snakemake-executor-plugin-slurm`` executor, job status
by ``squeue``, no accounting), and every output file under ``data/processed`` and ``site``
must equal, byte for byte, a local build of the same config. Without SLURM the test is
skipped locally and fails in CI (``CI=true``), as the browser and QGIS tests do.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from _pipeline import ROOT, SNAKEMAKE, TINY, copy_project, run_snakemake

pytestmark = pytest.mark.integration

CLUSTER = ROOT / "tools" / "slurm" / "cluster.sh"
SLURM_CONFIG = ROOT / "tests" / "configs" / "tiny_slurm.yaml"
CONFIGS = ("--configfile", "config.yaml", str(TINY), str(SLURM_CONFIG))
"""The tiny build on two releases and six indicators (``tests/configs/tiny_slurm.yaml``)."""
IN_CI = os.environ.get("CI", "").lower() == "true"
OUTPUTS = ("data/processed", "site")


def _files(repo: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(repo)): p.read_bytes()
        for root in OUTPUTS
        for p in sorted((repo / root).rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def slurm_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    missing = [
        c for c in ("munged", "slurmctld", "slurmd", "sbatch", "squeue") if not shutil.which(c)
    ]
    if missing:
        reason = f"SLURM is not installed ({', '.join(missing)}): apt-get install slurm-wlm munge"
        if IN_CI:
            pytest.fail(f"the scheduler test must run in CI: {reason}")
        pytest.skip(reason)
    state = tmp_path_factory.mktemp("slurm")
    started = subprocess.run(
        ["bash", str(CLUSTER), "start", str(state)], capture_output=True, text=True
    )
    if started.returncode != 0:
        pytest.fail(f"could not start the SLURM cluster:\n{started.stdout}\n{started.stderr}")
    try:
        yield state
    finally:
        subprocess.run(["bash", str(CLUSTER), "stop", str(state)], check=False)


@pytest.fixture(scope="module")
def slurm_build(
    slurm_cluster: Path, tmp_path_factory: pytest.TempPathFactory, mirror: Path
) -> tuple[Path, str]:
    repo = copy_project(tmp_path_factory.mktemp("tiny_slurm"))
    cmd = [SNAKEMAKE, "--nocolor", "--profile", "profiles/slurm"]
    cmd += list(CONFIGS)
    env = {**os.environ, "PATH": f"{Path(SNAKEMAKE).parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(cmd, cwd=repo, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        logs = sorted((repo / ".snakemake" / "slurm_logs").rglob("*.log"))
        tails = "\n".join(f"== {p}\n{p.read_text()[-2000:]}" for p in logs[-3:])
        pytest.fail(f"the SLURM build failed:\n{result.stderr[-6000:]}\n{tails}")
    return repo, result.stderr


def test_jobs_went_through_the_scheduler(slurm_build: tuple[Path, str]) -> None:
    _, log = slurm_build
    logs = re.findall(r"has been submitted with SLURM jobid \d+ \(log: (.+)\)\.$", log, re.M)
    assert len(logs) >= 10, log[-4000:]
    # a group job's log folder is group_<group>_<its rules>
    groups = {Path(p).parent.name.split("_")[1] for p in logs if "/group_" in p}
    assert groups == {"retrieve", "indicators"}, "small jobs go as group jobs"


@pytest.fixture(scope="module")
def local_build(tmp_path_factory: pytest.TempPathFactory, mirror: Path) -> Path:
    """The same configuration built locally (``-c2``)."""
    repo = copy_project(tmp_path_factory.mktemp("tiny_local"))
    run_snakemake(repo, *CONFIGS)
    return repo


def test_slurm_outputs_equal_the_local_build_byte_for_byte(
    slurm_build: tuple[Path, str], local_build: Path
) -> None:
    remote, local = _files(slurm_build[0]), _files(local_build)
    assert len(local) > 100  # every kind of output, not an empty build
    assert sorted(remote) == sorted(local)
    differ = [path for path in local if remote[path] != local[path]]
    assert differ == []
