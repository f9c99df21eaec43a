"""The corpus run as a PySpark job: JSONL(.gz) and WARC from any Spark-readable path in,
Parquet datasets of the export schema out (the same tables `chronik export --format parquet`
writes from the event database, partitioned by date).

The rows come from the same functions as in the DuckDB path (`chronik.store.article_rows`), the
same copy detection (content key, word key, MinHash bands) decides what is analysed, and the
aggregation follows the `events` view column by column, so both paths give the same output for
the same input. Each Python worker builds the pipeline once and keeps it (Spark reuses its Python
workers).

Command line: `chronik spark INPUT... OUTPUT`, or through spark-submit with this file (in the
activated virtual environment: spark-submit finds PySpark through `python3` on the PATH):

    spark-submit --master local[2] src/chronik/spark.py corpus.jsonl out/

(chronik must be importable on the driver and the executors: installed, or `--py-files`.)
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from chronik import store
from chronik.corpus import Dictionaries
from chronik.errors import ChronikError
from chronik.export import EVENT_COLUMNS, REP_FIELDS
from chronik.reader import Article, ReadFailure
from chronik.store import REP_ORDER, TABLES

#: analysed rows are built once and used for several tables: keep them
_OUTPUT_TABLES = ("events", "event_mentions", "quotes", "actors", "documents", "failures")


class SparkJobError(ChronikError):
    """The Spark job cannot run (no Java, a bad input path, an existing output)."""


# --- schemas -------------------------------------------------------------------------------------


def spark_type(duckdb_type: str) -> Any:
    from pyspark.sql import types as T

    if duckdb_type.endswith("[]"):
        return T.ArrayType(spark_type(duckdb_type[:-2]))
    return {
        "VARCHAR": T.StringType(),
        "INTEGER": T.IntegerType(),
        "BIGINT": T.LongType(),
        "DOUBLE": T.DoubleType(),
        "BOOLEAN": T.BooleanType(),
        "DATE": T.DateType(),
        "TIMESTAMP": T.TimestampType(),
    }[duckdb_type]


def table_schema(table: str) -> Any:
    """The Spark schema of a store table, from `chronik.store.TABLES`."""
    from pyspark.sql import types as T

    return T.StructType(
        [T.StructField(name, spark_type(kind), True) for name, kind in TABLES[table]]
    )


def _failure_schema() -> Any:
    from pyspark.sql import types as T

    return T.StructType(
        [
            T.StructField(name, T.StringType(), True)
            for name in ("failure_key", "origin", "article_id", "stage", "reason", "payload")
        ]
    )


# --- reading -------------------------------------------------------------------------------------


def _local_name(uri: str) -> str:
    """A Spark file URI as the DuckDB path names it (file:///a/b -> /a/b)."""
    for prefix in ("file://", "file:"):
        if uri.startswith(prefix):
            return uri[len(prefix) :]
    return uri


def _is_warc(path: str) -> bool:
    return path.lower().endswith((".warc", ".warc.gz"))


def _jsonl_items(rows: Iterable[tuple[tuple[str, str], int]]) -> Iterator[tuple[Any, ...]]:
    """(file, line number, Article | ReadFailure) from (file URI, line) with a global index."""
    from chronik.reader import article_from_record

    for (uri, line), number in rows:
        name = _local_name(uri)
        origin = f"{name}: line {number}"
        if not line.strip():
            continue
        try:
            item: Article | ReadFailure = article_from_record(json.loads(line), origin)
        except json.JSONDecodeError as exc:
            item = ReadFailure(origin, f"{origin} is not valid JSON ({exc.msg})")
        except ChronikError as exc:
            item = ReadFailure(origin, str(exc))
        yield name, number, item


def _warc_items(pair: tuple[str, bytes]) -> Iterator[tuple[Any, ...]]:
    import io

    from chronik.sources import read_warc_stream

    uri, data = pair
    name = _local_name(uri)
    for position, item in enumerate(read_warc_stream(io.BytesIO(data), name)):
        yield name, position, item


def _read(spark: Any, inputs: Sequence[str]) -> Any:
    """An RDD of (file, position, Article | ReadFailure)."""
    from pyspark.sql import functions as F

    jsonl = [p for p in inputs if not _is_warc(p)]
    warc = [p for p in inputs if _is_warc(p)]
    parts = []
    if jsonl:
        lines = spark.read.text(jsonl).select(F.input_file_name().alias("file"), "value")
        indexed = lines.rdd.map(lambda r: (r[0], r[1])).zipWithIndex()
        # line numbers within each file: the global index minus the file's first index
        first = indexed.map(lambda x: (x[0][0], x[1])).reduceByKey(min).collectAsMap()
        numbered = indexed.map(lambda x: (x[0], x[1] - first[x[0][0]] + 1))
        parts.append(numbered.mapPartitions(_jsonl_items))
    if warc:
        for path in warc:
            parts.append(spark.sparkContext.binaryFiles(path).flatMap(_warc_items))
    if not parts:
        raise SparkJobError("no inputs")
    return parts[0] if len(parts) == 1 else spark.sparkContext.union(parts)


def _keyed(item: tuple[str, int, Article | ReadFailure]) -> dict[str, Any]:
    """What triage needs of one read item, computed where it was read."""
    name, position, article = item
    if isinstance(article, ReadFailure):
        return {
            "file": name,
            "pos": position,
            "doc_key": None,
            "norm_key": None,
            "signature": None,
            "bands": None,
            "payload": None,
            "failure": json.dumps(
                {
                    "failure_key": store.read_failure_key(article.origin),
                    "origin": article.origin,
                    "article_id": article.id,
                    "stage": "read",
                    "reason": article.reason,
                    "payload": None,
                }
            ),
        }
    signature = store.minhash(article.text)
    return {
        "file": name,
        "pos": position,
        "doc_key": store.content_key(article.text),
        "norm_key": store.norm_key(article.text),
        "signature": signature,
        "bands": store.minhash_bands(signature) if signature is not None else None,
        "payload": store.article_payload(article),
        "failure": None,
    }


# --- analysis in the workers ---------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def _analyse_partition(
    rows: Iterable[Any], published: str | None, language: str | None, dictionaries: Any
) -> Iterator[tuple[str, str]]:
    """(table, JSON row) for every row of every article of the partition. `dictionaries`: the
    broadcast `chronik.corpus.Dictionaries` (read on the driver; the files need not exist on
    the executors)."""
    from chronik.corpus import _init_worker, _Task, analyse

    loaded = dictionaries.value
    _init_worker(language, loaded, owned=True)
    for row in rows:
        article = store.article_from_payload(row["payload"])
        signature = list(row["signature"]) if row["signature"] is not None else None
        task = _Task(row["doc_key"], article, published, language, signature, loaded.fingerprint)
        result = analyse(task)
        if isinstance(result, store.Failure):
            failure = {
                "failure_key": result.failure_key,
                "origin": result.origin,
                "article_id": result.article_id,
                "stage": result.stage,
                "reason": result.reason,
                "payload": result.payload,
            }
            yield "failures", json.dumps(failure, ensure_ascii=False)
            continue
        for table, table_rows in result.tables.items():
            for table_row in table_rows:
                yield table, json.dumps(table_row, ensure_ascii=False, default=str)


def _duplicate_partition(rows: Iterable[Any]) -> Iterator[tuple[str, str]]:
    for row in rows:
        article = store.article_from_payload(row["payload"])
        signature = list(row["signature"]) if row["signature"] is not None else None
        result = store.duplicate_rows(
            article, doc_key=row["doc_key"], of=row["of"], added=_now(), signature=signature
        )
        for table, table_rows in result.tables.items():
            for table_row in table_rows:
                yield table, json.dumps(table_row, ensure_ascii=False, default=str)


# --- the job -------------------------------------------------------------------------------------


def _triage(spark: Any, keyed: Any) -> tuple[Any, Any, Any]:
    """(to analyse, copies with `of`, read failures) as DataFrames, by the DuckDB path's rules:
    a text seen before is skipped; the same words, or a MinHash-similar text, as an earlier
    article make a copy of that article's first copy."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    failures = keyed.filter(F.col("failure").isNotNull()).select("failure")
    articles = keyed.filter(F.col("failure").isNull())
    order = Window.partitionBy("doc_key").orderBy("file", "pos")
    articles = (
        articles.withColumn("rank", F.row_number().over(order)).filter("rank = 1").drop("rank")
    )
    by_norm = Window.partitionBy("norm_key").orderBy("file", "pos")
    articles = articles.withColumn("norm_first", F.first("doc_key").over(by_norm))

    banded = articles.filter(F.col("bands").isNotNull()).select(
        "doc_key", "file", "pos", "signature", F.explode("bands").alias("band")
    )

    def side(prefix: str) -> Any:
        columns = (("doc_key", "key"), ("file", "file"), ("pos", "pos"), ("signature", "sig"))
        return banded.select(
            *(F.col(column).alias(f"{prefix}_{alias}") for column, alias in columns), "band"
        )

    a, b = side("a"), side("b")
    same = F.expr(
        "aggregate(zip_with(a_sig, b_sig, (x, y) -> IF(x = y, 1, 0)), 0, (s, v) -> s + v)"
    )
    earlier = (F.col("a_file") < F.col("b_file")) | (
        (F.col("a_file") == F.col("b_file")) & (F.col("a_pos") < F.col("b_pos"))
    )
    near = (
        a.join(b, "band")
        .filter(earlier)
        .filter(same >= F.lit(store.NEAR_JACCARD * store.MINHASH_PERMUTATIONS))
        .groupBy("b_key")
        .agg(F.min(F.struct("a_file", "a_pos", "a_key")).alias("first"))
        .select(F.col("b_key").alias("doc_key"), F.col("first.a_key").alias("near_of"))
        .distinct()
    )
    articles = articles.join(near, "doc_key", "left")
    of = F.when(F.col("norm_first") != F.col("doc_key"), F.col("norm_first")).otherwise(
        F.col("near_of")
    )
    articles = articles.withColumn("of", of)
    # a copy of a copy points at the first copy (one step suffices: the first is no copy)
    heads = articles.select(F.col("doc_key").alias("of"), F.col("of").alias("of_of"))
    articles = articles.join(heads, "of", "left").withColumn(
        "of", F.coalesce(F.col("of_of"), F.col("of"))
    )
    analyse = articles.filter(F.col("of").isNull())
    copies = articles.filter(F.col("of").isNotNull())
    return analyse, copies, failures


def _events(mentions: Any) -> Any:
    """The `events` view of the store, in Spark, as the export schema."""
    from pyspark.sql import functions as F

    order = [
        F.coalesce(F.col("published"), F.lit("9999-12-31").cast("date")).alias("published")
        if name == "published"
        else F.col(name)
        for name in REP_ORDER
    ]
    aggregated = mentions.groupBy("event_key").agg(
        F.min("type").alias("type"),
        F.min("cameo").alias("cameo"),
        F.min("quad_class").alias("quad_class"),
        F.min("negated").alias("negated"),
        F.min("day").alias("day"),
        F.min("actor1_key").alias("actor1_key"),
        F.min("actor2_key").alias("actor2_key"),
        F.min_by(F.struct(*REP_FIELDS), F.struct(*order)).alias("rep"),
        F.count(F.lit(1)).alias("num_mentions"),
        F.count_distinct("outlet").alias("num_sources"),
        F.count_distinct("doc_key").alias("num_articles"),
        F.expr("bool_or(is_root)").alias("is_root"),
        F.max("confidence").alias("confidence"),
        F.min("published").alias("first_published"),
        F.min("added").alias("date_added"),
    )
    columns = []
    for name, _, expr in EVENT_COLUMNS:
        if name == "event_id":
            expr = "CAST(conv(substr(event_key, 1, 15), 16, 10) AS BIGINT)"
        columns.append(F.expr(expr).alias(name))
    return aggregated.select(*columns)


def build(
    spark: Any,
    inputs: Sequence[str],
    output: str,
    *,
    published: str | None = None,
    language: str | None = None,
    partitions: int | None = None,
    overwrite: bool = False,
    dictionaries: Dictionaries | None = None,
) -> dict[str, int]:
    """Run the job on a SparkSession; returns the rows written per table. `dictionaries`:
    users' actor dictionaries, read on the driver and broadcast to the executors."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    keyed_schema = T.StructType(
        [
            T.StructField("file", T.StringType()),
            T.StructField("pos", T.LongType()),
            T.StructField("doc_key", T.StringType()),
            T.StructField("norm_key", T.StringType()),
            T.StructField("signature", T.ArrayType(T.IntegerType())),
            T.StructField("bands", T.ArrayType(T.LongType())),
            T.StructField("payload", T.StringType()),
            T.StructField("failure", T.StringType()),
        ]
    )
    keyed = spark.createDataFrame(
        _read(spark, inputs).map(_keyed).map(lambda d: tuple(d[f.name] for f in keyed_schema)),
        keyed_schema,
    ).persist(StorageLevel.MEMORY_AND_DISK)
    analyse, copies, read_failures = _triage(spark, keyed)

    # one small file is one partition: spread the analysis over every core
    to_analyse = analyse.select("doc_key", "signature", "payload").rdd.repartition(
        partitions or spark.sparkContext.defaultParallelism
    )
    shipped = spark.sparkContext.broadcast(dictionaries or Dictionaries())
    rows = to_analyse.mapPartitions(
        lambda part: _analyse_partition(part, published, language, shipped)
    ).union(
        copies.select("doc_key", "signature", "payload", "of").rdd.mapPartitions(
            _duplicate_partition
        )
    )
    rows = rows.persist(StorageLevel.MEMORY_AND_DISK)

    def frame(table: str) -> Any:
        data = rows.filter(lambda r, t=table: r[0] == t).map(lambda r: r[1])
        schema = _failure_schema() if table == "failures" else table_schema(table)
        return spark.read.json(
            data, schema=schema, timestampFormat="yyyy-MM-dd HH:mm:ss", mode="FAILFAST"
        )

    documents = frame("documents")
    mentions = frame("event_mentions")
    tables = {
        "events": (_events(mentions), "day"),
        "event_mentions": (mentions.drop("added"), "day"),
        "quotes": (
            frame("quotes").join(
                documents.select("doc_key", "url", "source", "title", "article_id"),
                "doc_key",
            ),
            "published",
        ),
        "actors": (frame("actors"), "published"),
        "documents": (documents.drop("minhash"), "published"),
    }
    failures = frame("failures").unionByName(
        spark.read.json(read_failures.rdd.map(lambda r: r[0]), schema=_failure_schema())
    )
    counts: dict[str, int] = {}
    mode = "overwrite" if overwrite else "errorifexists"
    root = output.rstrip("/")
    try:
        for table, (df, column) in tables.items():
            df = df.withColumn("date", F.date_format(column, "yyyy-MM-dd"))
            df.write.mode(mode).partitionBy("date").parquet(f"{root}/{table}")
        failures.write.mode(mode).parquet(f"{root}/failures")
    except Exception as exc:
        if "already exists" in str(exc):
            raise SparkJobError(
                f"{output}: the output exists; choose another folder or use --overwrite"
            ) from None
        raise
    finally:
        rows.unpersist()
        keyed.unpersist()
    for table in (*tables, "failures"):
        counts[table] = _count(spark, f"{root}/{table}")
    return counts


def _count(spark: Any, path: str) -> int:
    """Rows of a written Parquet dataset, from its footers (DuckDB reads local ones at once;
    Spark would start two jobs)."""
    if "://" in path and not path.startswith("file:"):
        return spark.read.parquet(path).count()
    import duckdb

    local = _local_name(path)
    if not any(Path(local).rglob("*.parquet")):
        return 0
    rows = duckdb.sql(f"SELECT count(*) FROM read_parquet('{local}/**/*.parquet')").fetchall()
    return int(rows[0][0])


def session(master: str | None = None, app_name: str = "chronik") -> Any:
    """A SparkSession whose Python workers use this interpreter (and so this chronik)."""
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.appName(app_name)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.python.worker.reuse", "true")
        .config("spark.ui.enabled", "false")
    )
    if master:
        builder = builder.master(master)
    elif "PYSPARK_GATEWAY_PORT" not in os.environ:
        # not under spark-submit (whose --master stands): run locally on every core
        builder = builder.master(os.environ.get("SPARK_MASTER", "local[*]"))
    spark = builder.getOrCreate()
    # a shuffle partition per core: the default 200 are mostly empty tasks on a small cluster
    spark.conf.set("spark.sql.shuffle.partitions", str(spark.sparkContext.defaultParallelism))
    return spark


def run_job(
    inputs: Sequence[str],
    output: str,
    *,
    master: str | None = None,
    published: str | None = None,
    language: str | None = None,
    partitions: int | None = None,
    overwrite: bool = False,
    actors: Sequence[str | Path] = (),
) -> dict[str, int]:
    """Start Spark, run the job, stop Spark. Local paths may be given plainly; folders are
    expanded to the JSONL and WARC files in them. `actors`: users' actor dictionaries (local
    files, CSV or PETRARCH/TABARI, as `chronik process --actors`)."""
    paths = [path for item in inputs for path in _spark_paths(item)]
    dictionaries = Dictionaries.load(actors)
    local_output = output if "://" in output else str(Path(output).resolve())
    try:
        spark = session(master)
    except Exception as exc:  # Java missing or misconfigured: say so plainly
        raise SparkJobError(f"cannot start Spark ({exc}); is Java 17 installed?") from None
    try:
        return build(
            spark,
            paths,
            local_output,
            published=published,
            language=language,
            partitions=partitions,
            overwrite=overwrite,
            dictionaries=dictionaries,
        )
    finally:
        spark.stop()


def _spark_paths(path: str) -> list[str]:
    if "://" in path:
        return [path]
    from chronik.sources import expand

    files = [p for p in expand([Path(path)]) if p.name.lower().endswith((".jsonl", ".jsonl.gz"))]
    files += [p for p in expand([Path(path)]) if _is_warc(p.name)]
    if not files:
        raise SparkJobError(f"{path}: the Spark job reads .jsonl(.gz) and .warc(.gz) files")
    return [str(p.resolve()) for p in files]


def main(argv: Sequence[str] | None = None) -> int:
    """spark-submit entry point: `spark.py [--published D] [--language L] INPUT... OUTPUT`."""
    import argparse

    parser = argparse.ArgumentParser(prog="chronik-spark", description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="+", help="INPUT... OUTPUT")
    parser.add_argument("--published")
    parser.add_argument("--language")
    parser.add_argument("--partitions", type=int)
    parser.add_argument("--overwrite", action="store_true")
    parser.add_argument("--actors", action="append", default=[], help="actor dictionary")
    args = parser.parse_args(argv)
    if len(args.paths) < 2:
        parser.error("give at least one INPUT and the OUTPUT folder")
    try:
        counts = run_job(
            args.paths[:-1],
            args.paths[-1],
            published=args.published,
            language=args.language,
            partitions=args.partitions,
            overwrite=args.overwrite,
            actors=args.actors,
        )
    except ChronikError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    print(json.dumps(counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
