#!/usr/bin/env python3
"""Extract facts from a folder of reports with Spark, through `extract --input jsonl`.

Every report becomes one JSON line, {"id": <folder/relative path>, "text": <its text>},
piped through `extract --input jsonl --quiet` with `RDD.pipe`. The output lines are facts
(`doc` = the id) or error records ({"doc": id, "error": ...}); facts are written as JSON
lines sorted by document and then in the order extract wrote them, so the result is the
same, line for line, as `extract <the same files>`.

    python facts_job.py corpus --extract target/release/extract --master 'local[2]' \
        --out facts.jsonl                              # local: facts collected into one file
    spark-submit --files extract facts_job.py hdfs:///archive --extract extract \
        --out-dir hdfs:///facts                        # cluster: DIR/facts/, DIR/errors/

Reports that are not UTF-8 text (.docx, or legacy-encoded .txt) cannot travel as JSON
text; their bytes are written to a spool folder beside the task and passed as
{"id": ..., "path": <spooled copy>} so extract reads the bytes itself (format from the
id's extension, encoding guessed as for a file).
"""

import argparse
import json
import os
import re
import shlex
import shutil
import sys

from pyspark import SparkConf, SparkContext, SparkFiles, StorageLevel, TaskContext

# The extensions extract reads when it walks a folder (src/inputs.rs).
READABLE = (".txt", ".md", ".markdown", ".docx")

# In stream mode a document that failed is an error record and extract exits 0; exit 1 is
# let through as well (a failure extract could not record). Anything else (2: usage or I/O error, 126/127: binary not runnable,
# 128+n: killed by a signal) fails the task, so Spark retries it or stops the job instead
# of losing a partition's facts without a word. RDD.pipe's checkCode only knows zero or
# not, hence this wrapper. The binary's execute bit is restored if shipping dropped it.
WRAPPER = (
    '[ -x "$0" ] || chmod +x "$0" 2>/dev/null; '
    '"$0" "$@"; rc=$?; [ "$rc" -le 1 ] || exit "$rc"'
)


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Run extract over a folder of reports with Spark (RDD.pipe)."
    )
    parser.add_argument(
        "folder",
        help="folder of reports (.txt, .md, .markdown, .docx, walked recursively): "
        "a local path or any Hadoop URI (hdfs://, s3a://, file://)",
    )
    parser.add_argument(
        "--extract",
        default="extract",
        help="the extract binary: a path, a name on PATH, or a URI Spark can fetch "
        "(default: extract on PATH); shipped to executors with SparkContext.addFile",
    )
    out = parser.add_mutually_exclusive_group(required=True)
    out.add_argument(
        "--out",
        metavar="FILE",
        help="collect the sorted facts into this local JSON lines file (local runs)",
    )
    out.add_argument(
        "--out-dir",
        metavar="DIR",
        help="write sorted facts to DIR/facts/ and error records to DIR/errors/ "
        "(part files, any Hadoop file system)",
    )
    parser.add_argument(
        "--errors",
        metavar="FILE",
        help="with --out: also write the error records to this local file",
    )
    parser.add_argument(
        "--partitions",
        type=int,
        help="minimum number of partitions (default: Spark's default parallelism)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        help="threads per extract process (default: spark.task.cpus, i.e. 1: Spark "
        "already runs one task per core)",
    )
    parser.add_argument(
        "--master",
        help="Spark master when run with plain python (e.g. local[2]); "
        "spark-submit's --master otherwise",
    )
    return parser.parse_args(argv)


def qualified(sc, folder):
    """The folder as the fully qualified URI that binaryFiles names its files under."""
    jvm = sc._jvm
    path = jvm.org.apache.hadoop.fs.Path(folder)
    fs = path.getFileSystem(sc._jsc.hadoopConfiguration())
    return fs.makeQualified(path).toString().rstrip("/")


def ship_binary(sc, extract):
    """Ship extract to every executor; the path the tasks run it from."""
    name = os.path.basename(extract.rstrip("/"))
    conf = sc.getConf()
    shipped = ",".join(conf.get(key, "") for key in ("spark.files", "spark.yarn.dist.files"))
    # YARN names a file `uri#alias` by its alias.
    names = {f.split("#")[-1] if "#" in f else os.path.basename(f) for f in shipped.split(",")}
    if name in names - {""}:
        pass  # spark-submit --files already ships it
    elif "://" in extract:
        sc.addFile(extract)  # hdfs://, s3a://, https://: Spark fetches it
    else:
        source = shutil.which(extract) or extract
        if not os.path.isfile(source):
            raise ValueError(f"no extract binary at {extract!r} (give --extract PATH)")
        sc.addFile(os.path.abspath(source))
    if re.fullmatch(r"local(\[[^\]]*\])?", sc.master):
        # Tasks run in the driver's JVM: the file sits in the driver's SparkFiles folder.
        return SparkFiles.get(name)
    # Executors of a cluster fetch added files (and --files) into their working
    # directory, where tasks run; SparkFiles.get on the driver would name the driver's.
    return "./" + name


def to_records(prefix, folder, counter):
    """(uri, bytes) pairs -> stream-mode JSON lines, on the executors.

    The id is the folder as given joined with the path below it, the name extract gives a
    file it finds walking that folder (`extract corpus/` names `corpus/a.txt`)."""

    def records(pairs):
        spooled = 0
        for uri, data in pairs:
            counter.add(1)
            relative = uri[len(prefix) :].lstrip("/")
            doc_id = f"{folder}/{relative}"
            record = {"id": doc_id}
            text = None
            if not relative.lower().endswith(".docx"):
                try:
                    text = bytes(data).decode("utf-8")
                except UnicodeDecodeError:
                    text = None  # a legacy encoding: extract guesses it from the bytes
            if text is not None:
                # Exactly the file's bytes (a BOM, CRLF and NFD survive), so the facts
                # are those of the file.
                record["text"] = text
            else:
                spool = spool_dir()
                os.makedirs(spool, exist_ok=True)
                spooled += 1
                path = os.path.join(spool, f"{spooled}{os.path.splitext(relative)[1]}")
                with open(path, "wb") as f:
                    f.write(data)
                record["path"] = path
            # json.dumps escapes newlines and controls: one record, one line.
            yield json.dumps(record, ensure_ascii=False)

    return records


def spool_dir():
    """This task's folder for the bytes of reports passed by path.

    Building the records, piping them through extract and numbering its output run in one
    task (one Python worker): the folder is made by the first and removed by the last.
    It lies in the task's SparkFiles folder (the executor's working directory on a
    cluster, a temporary folder in local mode), which Spark removes with the application.
    """
    task = TaskContext.get()
    name = f"{task.stageId()}-{task.partitionId()}-{task.attemptNumber()}"
    return os.path.join(os.path.abspath(SparkFiles.getRootDirectory()), "baocao-spool", name)


def number_lines(index, lines):
    """Keep where each output line came from: RDD.pipe keeps order within a partition."""
    yield from number(index, lines)
    # extract has exited (its output ended): the spooled copies are read.
    shutil.rmtree(spool_dir(), ignore_errors=True)


def number(index, lines):
    for position, line in enumerate(lines):
        try:
            record = json.loads(line)
            doc = record.get("doc")
            is_error = "error" in record and "indicator" not in record
        except (ValueError, AttributeError):
            doc, is_error = None, True
            line = json.dumps({"doc": None, "error": f"not a JSON record: {line[:200]}"})
        yield (str(doc), index, position, is_error, line)


def order(item):
    doc, index, position, _, _ = item
    return (doc, index, position)


def main(argv=None):
    args = parse_args(argv)
    conf = SparkConf().setAppName("baocao-facts")
    if args.master:
        conf.setMaster(args.master)
    # Folders of folders, as extract walks them.
    conf.set("spark.hadoop.mapreduce.input.fileinputformat.input.dir.recursive", "true")
    conf.setIfMissing("spark.ui.showConsoleProgress", "false")
    sc = SparkContext.getOrCreate(conf)
    sc.setLogLevel("WARN")

    folder = args.folder.rstrip("/") or "/"
    binary = ship_binary(sc, args.extract)
    jobs = args.jobs or int(sc.getConf().get("spark.task.cpus", "1"))
    # RDD.pipe splits the command with shlex.split: quote it the same way.
    command = shlex.join(
        ["/bin/sh", "-c", WRAPPER, binary, "--input", "jsonl", "--quiet", "-j", str(jobs)]
    )

    prefix = qualified(sc, folder)
    partitions = args.partitions or sc.defaultParallelism
    files = sc.binaryFiles(folder, minPartitions=partitions).filter(
        lambda pair: pair[0].lower().endswith(READABLE)
    )
    if files.getNumPartitions() < partitions:
        # binaryFiles packs small files into splits of up to 128 MB: a small folder is
        # one partition. Spread it so every core gets work (cheap: it is small).
        files = files.repartition(partitions)
    documents = sc.accumulator(0)
    records = files.mapPartitions(to_records(prefix, folder, documents))
    # RDD.pipe gives the process an empty environment (no PATH), which extract does not
    # mind: the binary is named by its path, the shell by its absolute path.
    lines = records.pipe(command, checkCode=True).mapPartitionsWithIndex(number_lines)
    lines.persist(StorageLevel.MEMORY_AND_DISK)

    facts = lines.filter(lambda item: not item[3])
    errors = lines.filter(lambda item: item[3])
    fact_count = facts.count()
    error_lines = [item[4] for item in sorted(errors.collect(), key=order)]

    if args.out:
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        partial = args.out + ".tmp"
        with open(partial, "w", encoding="utf-8") as f:
            if fact_count:
                for line in facts.sortBy(order).map(lambda item: item[4]).toLocalIterator():
                    f.write(line + "\n")
        os.replace(partial, args.out)
        if args.errors:
            with open(args.errors, "w", encoding="utf-8") as f:
                f.writelines(line + "\n" for line in error_lines)
    else:
        out_dir = args.out_dir.rstrip("/")
        facts.sortBy(order).map(lambda item: item[4]).saveAsTextFile(out_dir + "/facts")
        sc.parallelize(error_lines, 1).saveAsTextFile(out_dir + "/errors")

    for line in error_lines[:20]:
        print(f"facts_job: {line}", file=sys.stderr)
    print(
        f"facts_job: {documents.value} documents, {fact_count} facts, "
        f"{len(error_lines)} error records",
        file=sys.stderr,
    )
    sc.stop()
    return 1 if error_lines else 0


if __name__ == "__main__":
    # Like extract: 0 all documents read, 1 some documents failed (error records), 2 the
    # job itself failed (a task failed for good, a bad argument, an unreachable folder).
    try:
        sys.exit(main())
    except Exception as err:  # noqa: BLE001 - the whole job failed; say why and exit 2
        print(f"facts_job: failed: {err}", file=sys.stderr)
        sys.exit(2)
