"""glaneur as Ray tasks: N tasks, task K running `glaneur extract --shard K/N
INPUT_DIR` and writing OUTPUT_DIR/part-0000K.jsonl.

    python glaneur_ray.py INPUT_DIR OUTPUT_DIR

RAY_ADDRESS picks a cluster (default: a local Ray); GLANEUR_BIN, GLANEUR_SHARDS,
GLANEUR_THREADS and GLANEUR_OPTIONS are those of examples/spark. INPUT_DIR,
OUTPUT_DIR and the binary must be at the same paths on every node.
"""

import os
import shlex
import shutil
import subprocess
import sys

import ray


@ray.remote
def shard(part, shards, binary, input_dir, output_dir, threads, options):
    """Runs one shard into its part file (glaneur writes it aside and
    renames it when complete: a failed task leaves no half file)."""
    target = os.path.join(output_dir, f"part-{part:05d}.jsonl")
    command = [binary, "extract", "--quiet", "--format", "jsonl", "--threads", str(threads),
               "--shard", f"{part}/{shards}", "--output", target, *options, input_dir]
    run = subprocess.run(command, stderr=subprocess.PIPE)
    # Status 1: some inputs failed, each with its `error` record in the part.
    if run.returncode not in (0, 1):
        raise RuntimeError(f"{shlex.join(command)} exited with {run.returncode}: "
                           f"{run.stderr.decode('utf-8', 'replace')[-4000:]}")
    return target


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    input_dir, output_dir = (os.path.abspath(a) for a in argv[1:])
    binary = os.environ.get("GLANEUR_BIN") or shutil.which("glaneur")
    if not binary:
        sys.exit("glaneur_ray: set GLANEUR_BIN to the glaneur binary, or put glaneur on PATH")
    os.makedirs(output_dir)
    ray.init(address=os.environ.get("RAY_ADDRESS"))
    shards = int(os.environ.get("GLANEUR_SHARDS") or ray.available_resources().get("CPU", 1))
    threads = int(os.environ.get("GLANEUR_THREADS") or 1)
    options = shlex.split(os.environ.get("GLANEUR_OPTIONS", "--no-text"))
    task = shard.options(num_cpus=threads)
    parts = ray.get([task.remote(k, shards, os.path.abspath(binary), input_dir, output_dir, threads, options)
                     for k in range(1, shards + 1)])
    print(f"{len(parts)} part files in {output_dir}")


if __name__ == "__main__":
    main(sys.argv)
