"""glaneur as a Spark map stage.

    python glaneur_job.py INPUT_DIR OUTPUT_DIR
    python glaneur_job.py --listing LISTING OUTPUT_DIR

With INPUT_DIR (a directory every executor sees at the same path), N tasks
each run `glaneur extract --shard K/N INPUT_DIR`: together their records are
those of one `glaneur extract INPUT_DIR` run, `doc` ids included.

With --listing, LISTING is a text file (any path Spark reads: local, hdfs://,
s3a://) of input files, one a line: local paths, http(s):// URLs, or s3://
keys (read with boto3, which the executors then need). Each task copies its
files to local disk one at a time and runs glaneur on each.

Records are written as JSONL part files (part-00000, ...) in OUTPUT_DIR,
which must not exist yet.

Environment:
  SPARK_MASTER     the master URL (run.sh sets local[2]); unset under
                   spark-submit, whose --master is used
  GLANEUR_BIN      the glaneur binary (default: `glaneur` on PATH); it is
                   shipped to the executors with SparkContext.addFile
  GLANEUR_SHARDS   tasks (default: Spark's default parallelism)
  GLANEUR_THREADS  glaneur threads a task (default 1: Spark runs a task a core)
  GLANEUR_OPTIONS  more `glaneur extract` options (default: --no-text)
"""

import os
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request

from pyspark import SparkFiles
from pyspark.sql import SparkSession


def glaneur_binary():
    """The binary the driver ships: GLANEUR_BIN, else `glaneur` on PATH."""
    binary = os.environ.get("GLANEUR_BIN") or shutil.which("glaneur")
    if not binary or not os.path.isfile(binary):
        sys.exit("glaneur_job: set GLANEUR_BIN to the glaneur binary, or put glaneur on PATH")
    return os.path.abspath(binary)


def shipped(name):
    """The executor's copy of the binary, executable."""
    path = SparkFiles.get(name)
    mode = os.stat(path).st_mode
    if not mode & stat.S_IXUSR:
        os.chmod(path, mode | stat.S_IXUSR)
    return path


def run_glaneur(command, cwd=None):
    """The output lines of one glaneur run, streamed. Status 1 means some
    inputs failed, each with its `error` record in the output: the task
    goes on. Status 2 (usage, output) fails the task."""
    with tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, cwd=cwd)
        for line in process.stdout:
            yield line.decode("utf-8").rstrip("\n")
        status = process.wait()
        if status not in (0, 1):
            stderr.seek(0)
            message = stderr.read().decode("utf-8", "replace")[-4000:]
            raise RuntimeError(f"{shlex.join(command)} exited with {status}: {message}")


def shard_task(binary_name, input_dir, shards, threads, options):
    def task(index, _):
        command = [shipped(binary_name), "extract", "--quiet", "--format", "jsonl",
                   "--threads", str(threads), "--shard", f"{index + 1}/{shards}",
                   *options, input_dir]
        return run_glaneur(command)
    return task


REMOTE_SCHEMES = ("http", "https", "s3", "s3a")


def fetch(location, directory):
    """Copies one listed remote file under `directory`, keeping its path,
    so that glaneur's `source` names the object (`bucket/key@OFFSET`)."""
    parsed = urllib.parse.urlparse(location)
    relative = (parsed.netloc + parsed.path).lstrip("/")
    local = os.path.join(directory, relative)
    os.makedirs(os.path.dirname(local), exist_ok=True)
    if parsed.scheme in ("http", "https"):
        with urllib.request.urlopen(location) as response, open(local, "wb") as out:
            shutil.copyfileobj(response, out)
    else:
        import boto3
        boto3.client("s3").download_file(parsed.netloc, parsed.path.lstrip("/"), local)
    return relative


def listing_task(binary_name, threads, options):
    def task(locations):
        binary = shipped(binary_name)
        command = [binary, "extract", "--quiet", "--format", "jsonl", "--threads", str(threads), *options]
        for location in locations:
            location = location.strip()
            if not location:
                continue
            if urllib.parse.urlparse(location).scheme not in REMOTE_SCHEMES:
                yield from run_glaneur([*command, location])
                continue
            with tempfile.TemporaryDirectory(prefix="glaneur-") as directory:
                relative = fetch(location, directory)
                yield from run_glaneur([*command, relative], cwd=directory)
    return task


def main(argv):
    listing = len(argv) == 4 and argv[1] == "--listing"
    if len(argv) != 3 and not listing:
        sys.exit(__doc__)
    source, output_dir = argv[-2], argv[-1]

    builder = SparkSession.builder.appName("glaneur")
    if os.environ.get("SPARK_MASTER"):
        builder = builder.master(os.environ["SPARK_MASTER"])
    spark = builder.getOrCreate()
    sc = spark.sparkContext

    binary = glaneur_binary()
    sc.addFile(binary)
    binary_name = os.path.basename(binary)
    shards = int(os.environ.get("GLANEUR_SHARDS") or sc.defaultParallelism)
    threads = int(os.environ.get("GLANEUR_THREADS") or 1)
    options = shlex.split(os.environ.get("GLANEUR_OPTIONS", "--no-text"))

    if listing:
        if not urllib.parse.urlparse(source).scheme:
            source = os.path.abspath(source)
        records = (sc.textFile(source)
                   .repartition(shards)
                   .mapPartitions(listing_task(binary_name, threads, options)))
    else:
        input_dir = os.path.abspath(source)
        if not os.path.isdir(input_dir):
            sys.exit(f"glaneur_job: {source} is not a directory")
        records = (sc.parallelize(range(shards), shards)
                   .mapPartitionsWithIndex(shard_task(binary_name, input_dir, shards, threads, options)))
    records.saveAsTextFile(output_dir)
    spark.stop()


if __name__ == "__main__":
    main(sys.argv)
