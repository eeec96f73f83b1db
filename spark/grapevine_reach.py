#!/usr/bin/env python3
"""grapevine's `reach` on Apache Spark (PySpark DataFrame API only: no
GraphFrames, no RDDs, no Python UDFs). docs/scale.md describes the tables.

    python spark/grapevine_reach.py PQ OUT --from ENTITY [--since TIME] [options]
    python spark/grapevine_reach.py PQ OUT --message MSG [--mode message|contacts] [options]
      options: --threshold confirmed|reported|alleged|unknown  --strict  --until TIME
               --master URL (default: the cluster spark-submit gives, else local[*])
    python spark/grapevine_reach.py prepare CALLS PQ [--format csv|parquet|delta]
           [--caller COL] [--callee COL] [--time COL] [--certainty COL]
                                                      # the tables from your own calls
    python spark/grapevine_reach.py --batch FILE      # one line `PQ OUT options` (or
                                                      # `prepare ...`) a case,
                                                      # all in one Spark session
    spark-submit spark/grapevine_reach.py PQ OUT ...  # the same on a cluster
    GRAPEVINE_SPARK_METRICS=1 python ...              # also rows per superstep

PQ and OUT may be URLs the session's Hadoop file systems read (s3a://, gs://,
abfss://, hdfs://, file://).

PQ holds the tables of `grapevine export INPUT --to parquet -o PQ`; OUT
receives the job's numbers (`query`, `levels`, `definite`), which
`grapevine reach --answer OUT --json` prints exactly as `grapevine reach
INPUT <options> --json` does.

The job computes every pass grapevine's engine runs, one superstep per hop:
for each certainty level from the threshold up, the earliest arrival of every
node (the entities whose arrival improved last step join their outgoing
channels; per receiver the least time; kept where it beats the receiver's
best), then the chains' tree (the fewest hops over the channels that deliver
at the receiver's earliest time, then the least channel in grapevine's
canonical order), and at the threshold the definite times.
"""

import argparse
import datetime
import os
import re
import shlex
import sys
import time
import unicodedata
import zoneinfo

NO_LOWER = -(2**63)
NO_UPPER = 2**63 - 1
LEVELS = {"unknown": 0, "alleged": 1, "reported": 2, "confirmed": 3}


class Refused(Exception):
    """A question the tables cannot answer: printed, exit code 2."""


# ---------------------------------------------------------------- options


def parser():
    p = argparse.ArgumentParser(
        prog="grapevine_reach.py",
        description="grapevine's reach on Apache Spark (docs/scale.md)",
    )
    p.add_argument("tables", metavar="PQ", help="the tables of `grapevine export --to parquet`")
    p.add_argument("out", metavar="OUT", help="the folder for the answer's numbers")
    p.add_argument("--from", dest="source", help="an entity (id, name or alias, in any case): contacts from it")
    p.add_argument("--message", help="a message id: its origin and time")
    p.add_argument("--since", help="start time: a time expression or Unix seconds, as `reach` reads it")
    p.add_argument("--mode", choices=["message", "contacts"])
    p.add_argument("--threshold", choices=list(LEVELS), default="unknown")
    p.add_argument("--strict", action="store_true")
    p.add_argument("--until", help="only by this time (its last second)")
    p.add_argument("--master", help="Spark master URL when run without spark-submit")
    return p


# ------------------------------------------------------------------ times
#
# grapevine's time expressions (docs/format.md, "Time expressions"; Rust:
# TimeExpr::parse in src/model/time.rs), read on the driver exactly as
# `reach` reads --since and --until: YYYY, YYYY-MM, YYYY-MM-DD, a time of
# day THH:MM or THH:MM:SS (with Z or an offset +hh:mm, +hhmm or +hh, else in
# the story's zone), the flags ~ ? % at a point's end, spans A/B with `..`
# for an open end, and Unix seconds (5 digits or more: that second, as the
# command line's time_arg in src/cli/times.rs reads them). What `reach`
# refuses, the job refuses.

MIN_SECOND = -62135596800  # 0001-01-01T00:00:00Z
MAX_SECOND = 253370764799  # 9998-12-31T23:59:59Z
EPOCH_DAY = datetime.date(1970, 1, 1).toordinal()
# Rust's char::is_whitespace (Unicode White_Space), for str::trim.
WHITE_SPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def bad_time(text, why):
    return Refused(f"`{text}` is not a time grapevine reads: {why}")


def two_digits(s, text, what, n=2):
    if len(s) != n or not all("0" <= c <= "9" for c in s):
        raise bad_time(text, f"the {what} `{s}` is not {n} digits")
    return int(s)


def days_in_month(y, m):
    if m in (1, 3, 5, 7, 8, 10, 12):
        return 31
    if m in (4, 6, 9, 11):
        return 30
    return 29 if (y % 4 == 0 and y % 100 != 0) or y % 400 == 0 else 28


def offset_at(zone, naive, fold):
    off = zone.utcoffset(naive.replace(fold=fold))
    return int(off.total_seconds())


def civil(zone, naive):
    """A local date and time in `zone` as Unix seconds, as jiff's
    `compatible` reads it: in a gap the offset before it (the later
    instant), in a fold the earlier instant."""
    local = (naive.toordinal() - EPOCH_DAY) * 86400 + naive.hour * 3600 + naive.minute * 60 + naive.second
    return local - offset_at(zone, naive, 0)


def in_gap(zone, naive):
    """Whether no instant has this local time (the clocks jumped over it)."""
    try:
        return offset_at(zone, naive, 0) < offset_at(zone, naive, 1)
    except (OverflowError, ValueError):
        return False


def date_fields(date_part, body):
    fields = date_part.split("-")
    if len(fields) > 3 or not fields[0] or not all(all("0" <= c <= "9" for c in f) for f in fields):
        raise bad_time(body, "not a date written as YYYY, YYYY-MM or YYYY-MM-DD")
    year = two_digits(fields[0], body, "year", 4)
    if not 1 <= year <= 9998:
        raise bad_time(body, f"the year {year:04} is out of range")
    month = day = None
    if len(fields) > 1:
        month = two_digits(fields[1], body, "month")
        if not 1 <= month <= 12:
            raise bad_time(body, f"there is no month {month}")
    if len(fields) > 2:
        day = two_digits(fields[2], body, "day")
        if not 1 <= day <= days_in_month(year, month):
            raise bad_time(body, f"there is no day {day} in that month")
    return year, month, day


def split_offset(t, text):
    """A time of day and its offset in seconds (None: none written)."""
    if t.endswith("Z"):
        return t[:-1], 0
    pos = max(t.rfind("+"), t.rfind("-"))
    if pos < 0:
        return t, None
    clock, off = t[:pos], t[pos:]
    hm = off[1:]
    if ":" in hm:
        h, m = hm.split(":", 1)
    elif len(hm) == 4:
        h, m = hm[:2], hm[2:]
    else:
        h, m = hm, "00"
    h, m = two_digits(h, text, "offset hour"), two_digits(m, text, "offset minute")
    if h > 17 or m > 59:
        raise bad_time(text, f"the offset `{off}` is out of range")
    return clock, (-1 if off[0] == "-" else 1) * (h * 3600 + m * 60)


def clock_fields(clock, text):
    parts = clock.split(":")
    if not 2 <= len(parts) <= 3:
        raise bad_time(text, f"`{clock}` is not a time of day")
    hour, minute = two_digits(parts[0], text, "hour"), two_digits(parts[1], text, "minute")
    second = two_digits(parts[2], text, "second") if len(parts) == 3 else None
    if hour > 23 or minute > 59 or (second or 0) > 59:
        raise bad_time(text, f"`{clock}` is not a time of day")
    return hour, minute, second


def point(text, zone):
    """A time point as (first second, last second)."""
    body = text
    while body[-1:] in ("~", "?", "%") and body:
        body = body[:-1]
    date_part, sep, time_part = body.partition("T")
    year, month, day = date_fields(date_part, body)
    if sep and day is None:
        raise bad_time(text, "a time of day needs a full date before the `T`")
    start = datetime.datetime(year, month or 1, day or 1)
    if not sep:
        if month is None:
            nxt = datetime.datetime(year + 1, 1, 1)
        elif day is None:
            nxt = datetime.datetime(year + (month == 12), month % 12 + 1, 1)
        else:
            nxt = start + datetime.timedelta(days=1)
        lo, hi = civil(zone, start), civil(zone, nxt) - 1
        if hi < lo:
            raise bad_time(text, "the story's zone skipped that day")
    else:
        clock, offset = split_offset(time_part, text)
        hour, minute, second = clock_fields(clock, text)
        at = start.replace(hour=hour, minute=minute, second=second or 0)
        if offset is not None:
            lo = (at.toordinal() - EPOCH_DAY) * 86400 + hour * 3600 + minute * 60 + (second or 0) - offset
        elif in_gap(zone, at):
            raise bad_time(text, "that local time did not exist in the story's zone")
        else:
            lo = civil(zone, at)
        hi = lo if second is not None else lo + 59
    if lo < MIN_SECOND or hi > MAX_SECOND:
        raise bad_time(text, "times lie between 0001-01-01T00:00:00Z and 9998-12-31T23:59:59Z")
    return lo, hi


def interval(text, zone):
    """A time expression (a point, or a span `A/B` with `..` for open) as
    (lo, hi), None for an open end; refused as `reach` refuses it."""
    digits = text[1:] if text.startswith("-") else text
    if len(digits) >= 5 and all("0" <= c <= "9" for c in digits):
        # Unix seconds (as in a CSV's time column), as the command line
        # reads them: that second.
        s = int(text)
        if not MIN_SECOND <= s <= MAX_SECOND:
            raise bad_time(text, "out of range as Unix seconds")
        return s, s
    if not text:
        raise bad_time(text, "the time is empty")
    if text.strip(WHITE_SPACE) != text:
        raise bad_time(text, "the time has spaces around it")
    parts = text.split("/")
    if len(parts) == 1:
        if text == "..":
            raise bad_time(text, "`..` alone is not a time")
        return point(text, zone)
    if len(parts) > 2:
        raise bad_time(text, "a time has at most one `/`")
    a, b = parts
    start = None if a == ".." else point(a, zone)
    end = None if b == ".." else point(b, zone)
    if start is None and end is None:
        raise bad_time(text, "an interval open at both ends says nothing")
    if start is not None and end is not None and end[1] < start[0]:
        raise bad_time(text, "the interval ends before it starts")
    return (None if start is None else start[0]), (None if end is None else end[1])


# --------------------------------------------------------------- entities
#
# `--from` finds an entity as `reach` does (Catalog::resolve_entity in
# src/catalog/lookup.rs): an exact id first; else every entity whose id,
# name or an alias folds (lower case, accents removed, curly quotes made
# straight, spaces trimmed) to the text folded: one is chosen, none or
# several refused.

QUOTES = {"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u2032": "'", "`": "'", "\u00b4": "'", "\u201c": '"', "\u201d": '"'}
BASE = {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i"}


def strip_accent(c):
    if c in BASE:
        return BASE[c]
    first = unicodedata.normalize("NFD", c)[0]
    return c if unicodedata.category(first).startswith("M") else first


def fold(text):
    """grapevine's `fold` (src/catalog/lookup.rs), on the driver."""
    out = []
    for c in text.strip(WHITE_SPACE):
        if c in QUOTES:
            out.append(QUOTES[c])
        else:
            out.extend(strip_accent(low) for low in c.lower())
    return "".join(out)


def spark_fold(col):
    """`fold` in Spark's own functions, for tables without `keys` (a
    `prepare`d or hand-built table): trimmed, lower case, and each letter
    that folds to one other letter translated. Exact for every text whose
    lower case has one letter per letter (grapevine's `keys` table is exact
    for all)."""
    from pyspark.sql import functions as F

    src, dst = [], []
    for cp in range(0x80, 0x3000):
        c = chr(cp)
        if c in QUOTES or c.lower() != c or unicodedata.category(c).startswith("M"):
            continue
        f = fold(c) if c not in WHITE_SPACE else c
        if len(f) == 1 and f != c:
            src.append(c)
            dst.append(f)
    for c, f in QUOTES.items():
        src.append(c)
        dst.append(f)
    space = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in WHITE_SPACE) + "]+"
    trimmed = F.regexp_replace(col, f"^{space}|{space}$", "")
    return F.translate(F.lower(trimmed), "".join(src), "".join(dst))


def entity(spark, pq, text):
    """The entity `--from` names, as `reach` finds it."""
    from pyspark.sql import functions as F

    ents = spark.read.parquet(table(pq, "entities"))
    rows = ents.filter(F.col("id") == text).select("entity").collect()
    if rows:
        return rows[0]["entity"]
    needle = fold(text)
    if has_table(pq, "keys"):
        keys = spark.read.parquet(table(pq, "keys")).select("entity", "key")
    else:
        names = ents.select("entity", F.col("id").alias("text")).unionByName(
            ents.select("entity", F.coalesce(F.col("name"), F.col("id")).alias("text"))
        )
        if has_table(pq, "aliases"):
            aliases = spark.read.parquet(table(pq, "aliases"))
            names = names.unionByName(aliases.select("entity", F.col("alias").alias("text")))
        keys = names.select("entity", spark_fold(F.col("text")).alias("key"))
    hits = keys.filter(F.col("key") == needle).select("entity").distinct()
    found = ents.join(hits, "entity").orderBy("entity").limit(50).collect()
    if len(found) == 1:
        return found[0]["entity"]
    if not found:
        raise Refused(f'no entity is called "{text}" (`grapevine reach` names the nearest)')
    labels = [r["id"] if r["id"] == r["name"] else f'{r["id"]} ({r["name"]})' for r in found]
    raise Refused(f'"{text}" could be any of: {", ".join(labels)}; give the id')


def has_table(pq, name):
    return exists(os.path.join(pq, name + ".parquet")) or exists(os.path.join(pq, name))


# ---------------------------------------------------------------- question


def one_row(spark, path):
    rows = spark.read.parquet(path).collect()
    if len(rows) != 1:
        raise Refused(f"{path}: one row expected")
    return rows[0]


def resolve(spark, a):
    """The question in numbers, as grapevine's Query::resolve makes it."""
    from pyspark.sql import functions as F

    pq = a.tables
    graph = one_row(spark, table(pq, "graph"))
    zone = datetime.timezone.utc
    if graph["timezone"]:
        zone = zoneinfo.ZoneInfo(graph["timezone"])
    mode = a.mode or ("message" if a.message else "contacts")
    q = {
        "tables": pq if "://" in pq else os.path.abspath(pq),
        "entities": graph["entities"],
        "hubs": graph["hubs"],
        "message": a.message,
        "mode": mode,
        "threshold": LEVELS[a.threshold],
        "strict": 1 if a.strict else 0,
        "until": None,
    }
    # The times first, then the source, as `reach` checks them.
    since = None if a.since is None else interval(a.since, zone)[0]
    if a.until is not None:
        q["until"] = interval(a.until, zone)[1]
        if q["until"] is None:
            raise Refused(f"--until {a.until} is open at its end, so it has no last second")
    if a.message:
        rows = spark.read.parquet(table(pq, "messages")).filter(F.col("message") == a.message).collect()
        if not rows:
            raise Refused(f"there is no message `{a.message}`")
        m = rows[0]
        if m["origin"] is None:
            raise Refused(f"message `{a.message}` has no origin entity: it cannot be traced")
        if a.source is not None and entity(spark, pq, a.source) != m["origin"]:
            raise Refused(f"--from {a.source} is not the origin of `{a.message}`")
        q.update(source=m["origin"], start=m["start"], held=m["held"], held_always=0)
    elif a.source is not None:
        if mode == "message":
            raise Refused("--mode message needs --message")
        q.update(source=entity(spark, pq, a.source), start=None, held=None, held_always=1)
    else:
        raise Refused("give --from ENTITY or --message MSG")
    if a.since is not None:
        q.update(start=since, held=since, held_always=1 if since is None else 0)
    return q


def exists(path):
    """Whether `path` exists: a local path, or a URL (s3a://, gs://,
    abfss://, hdfs://, file://) as the session's Hadoop file systems see it."""
    if "://" not in path:
        return os.path.exists(path)
    from pyspark import SparkContext

    sc = SparkContext._active_spark_context
    if sc is None:
        return False
    p = sc._jvm.org.apache.hadoop.fs.Path(path)
    return p.getFileSystem(sc._jsc.hadoopConfiguration()).exists(p)


def recorded(pq):
    """Where `reach --answer` finds the tables: their path, or for a URL (a
    cluster's storage) the folder of that name beside OUT, once both are
    copied to one machine."""
    return pq if "://" not in pq else "../" + pq.rstrip("/").rsplit("/", 1)[-1]


def table(pq, name):
    """A table of PQ: NAME.parquet, or a folder NAME/ of part files."""
    path = os.path.join(pq, name + ".parquet")
    return path if exists(path) else os.path.join(pq, name)


# ---------------------------------------------------------------- channels


def question_channels(spark, q):
    """The channels the question may follow, as grapevine's index has them:
    at or above the threshold, only the carrying events' in message mode,
    and the message's holdings; `carries` flags a channel of the traced
    message; (k_lo, k_hi, k_kind, k_num) is grapevine's channel order."""
    from pyspark.sql import functions as F

    pq, m = q["tables"], q["message"]
    ch = spark.read.parquet(table(pq, "channels")).filter(F.col("certainty") >= q["threshold"])
    ch = ch.select(
        F.col("from").cast("long").alias("src"),
        F.col("to").cast("long").alias("dst"),
        F.coalesce(F.col("lo"), F.lit(NO_LOWER)).cast("long").alias("lo"),
        F.coalesce(F.col("hi"), F.lit(NO_UPPER)).cast("long").alias("hi"),
        F.col("certainty").cast("long").alias("certainty"),
        F.col("event").cast("long").alias("event"),
        F.lit(0).cast("long").alias("k_kind"),
        F.col("channel").cast("long").alias("k_num"),
    )
    holdings = None
    if m is not None:
        carrying = (
            spark.read.parquet(table(pq, "carries"))
            .filter(F.col("message") == m)
            .select(F.col("event").cast("long").alias("event"))
            .distinct()
            .withColumn("carries", F.lit(True))
        )
        how = "inner" if q["mode"] == "message" else "left"
        ch = ch.join(carrying, "event", how).fillna(False, ["carries"])
        holdings = (
            spark.read.parquet(table(pq, "holdings"))
            .filter((F.col("message") == m) & (F.col("certainty") >= q["threshold"]))
            .select(
                F.col("from").cast("long").alias("src"),
                F.col("to").cast("long").alias("dst"),
                F.coalesce(F.col("lo"), F.lit(NO_LOWER)).cast("long").alias("lo"),
                F.coalesce(F.col("hi"), F.lit(NO_UPPER)).cast("long").alias("hi"),
                F.col("certainty").cast("long").alias("certainty"),
                F.col("event").cast("long").alias("event"),
                F.lit(1).cast("long").alias("k_kind"),
                F.col("holding").cast("long").alias("k_num"),
                F.lit(True).alias("carries"),
            )
        )
        if holdings.limit(1).count() == 0:
            holdings = None
    else:
        ch = ch.withColumn("carries", F.lit(False))
    if holdings is None:
        # The index keeps the channels' own order.
        ch = ch.withColumn("k_lo", F.lit(0).cast("long")).withColumn("k_hi", F.lit(0).cast("long"))
    else:
        # Holdings merge in time order, after the events' channels of the
        # same interval.
        ch = ch.unionByName(holdings)
        ch = ch.withColumn("k_lo", F.col("lo")).withColumn("k_hi", F.col("hi"))
    n = q["entities"]
    ch = ch.withColumn("src_hub", F.col("src") >= n).withColumn("dst_hub", F.col("dst") >= n)
    return ch.localCheckpoint()


# ----------------------------------------------------------------- passes


def after(t, strict):
    """t plus one second in strict mode (no bound stays no bound)."""
    from pyspark.sql import functions as F

    if not strict:
        return t
    return F.when((t == F.lit(NO_LOWER)) | (t == F.lit(NO_UPPER)), t).otherwise(t + F.lit(1))


def literal_row(spark, **columns):
    """One row of literals, made in the JVM (no Python worker): a text
    column is a string, every other a long (None: null)."""
    from pyspark.sql import functions as F

    cols = []
    for name, value in columns.items():
        texts = ("tables", "message", "mode", "timezone")
        kind = "string" if isinstance(value, str) or name in texts else "long"
        cols.append(F.lit(value).cast(kind).alias(name))
    return spark.range(1).select(*cols)


class Steps:
    """Counts supersteps per pass, and keeps each step's tables."""

    def __init__(self):
        self.passes = {"earliest": 0, "chains": 0, "definite": 0}
        self.held = []
        # GRAPEVINE_SPARK_METRICS=1: per superstep, the rows its joins send
        # to the shuffle and the rows that improved (docs/scale.md).
        self.metrics = os.environ.get("GRAPEVINE_SPARK_METRICS") == "1"
        self.trace = []

    def step(self, phase):
        self.passes[phase] += 1

    def improved(self, phase, cand, better):
        """The rows that improved this superstep (the loop stops at 0);
        with metrics on, also counts the candidate rows (an extra job)."""
        n = better.count()
        if self.metrics:
            self.trace.append(f"{phase} {self.passes[phase]}: {cand.count()} candidates, {n} improved")
        return n

    @property
    def count(self):
        return sum(self.passes.values())

    def __str__(self):
        return ", ".join(f"{k} {v}" for k, v in self.passes.items())

    def keep(self, df, state=False):
        """Keeps a superstep's table: the frontier cached, the accumulated
        state (which the next step joins twice: its own update and the next
        frontier) checkpointed, so that no plan doubles with every step."""
        df = df.localCheckpoint(eager=False) if state else df.cache()
        self.held.append(df)
        return df

    def release(self):
        """Frees what the question kept (one session answers many)."""
        for df in self.held:
            df.unpersist()
        self.held = []


def seeds(spark, q, levels, **columns):
    """The source at each level: (level, node, *columns)."""
    rows = None
    for level in levels:
        row = literal_row(spark, level=level, node=q["source"], **columns)
        rows = row if rows is None else rows.unionByName(row)
    return rows


def earliest(spark, ch, q, levels, steps):
    """Earliest arrival per level and reached node: (level, node, t). `ch`
    has a row per channel and level it belongs to; all levels advance in
    the same supersteps."""
    from pyspark.sql import functions as F

    t0 = NO_LOWER if q["start"] is None else q["start"]
    best = seeds(spark, q, levels, t=t0)
    frontier = best
    n = q["entities"]
    key = ["level", "node"]
    while True:
        steps.step("earliest")
        ready = F.when(F.col("node") >= n, F.col("t")).otherwise(after(F.col("t"), q["strict"]))
        cand = (
            frontier.withColumn("ready", ready)
            .join(ch.withColumnRenamed("level", "lv"), (F.col("node") == F.col("src")) & (F.col("level") == F.col("lv")))
            .filter(F.col("hi") >= F.col("ready"))
            .groupBy("level", F.col("dst").alias("node"))
            .agg(F.min(F.greatest(F.col("lo"), F.col("ready"))).alias("t"))
        )
        better = (
            cand.join(best.withColumnRenamed("t", "old"), key, "left")
            .filter(F.col("old").isNull() | (F.col("t") < F.col("old")))
            .select("level", "node", "t")
        )
        better = steps.keep(better)
        if steps.improved("earliest", cand, better) == 0:
            return best
        best = steps.keep(
            best.join(better.withColumnRenamed("t", "new"), key, "full").select(
                "level", "node", F.coalesce(F.col("new"), F.col("t")).alias("t")
            ),
            state=True,
        )
        frontier = better


def tree(spark, ch, q, best, levels, steps):
    """The chains' tree at each of `levels`: per reached node its hops and
    the channel that delivered it, rows (level, node, time, hops, via_from,
    via_event)."""
    from pyspark.sql import functions as F

    src = q["source"]
    ready = F.when(F.col("src_hub"), F.col("ts")).otherwise(after(F.col("ts"), q["strict"]))
    # The channels that deliver at the receiver's earliest time from the
    # sender's earliest time.
    tight = (
        ch.filter((F.col("dst") != src) & F.col("level").isin(levels))
        .join(best.select("level", F.col("node").alias("src"), F.col("t").alias("ts")), ["level", "src"])
        .join(best.select("level", F.col("node").alias("dst"), F.col("t").alias("td")), ["level", "dst"])
        .withColumn("ready", ready)
        .filter((F.col("hi") >= F.col("ready")) & (F.greatest(F.col("lo"), F.col("ready")) == F.col("td")))
        .withColumn("w", F.when(F.col("dst_hub"), F.lit(0)).otherwise(F.lit(1)).cast("long"))
        .select("level", "src", "dst", "w", "event", "k_lo", "k_hi", "k_kind", "k_num")
    )
    tight = tight.localCheckpoint()
    hops = seeds(spark, q, levels, h=0)
    frontier = hops
    key = ["level", "node"]
    while True:
        steps.step("chains")
        cand = (
            frontier.join(tight.withColumnRenamed("level", "lv"), (F.col("node") == F.col("src")) & (F.col("level") == F.col("lv")))
            .groupBy("level", F.col("dst").alias("node"))
            .agg(F.min(F.col("h") + F.col("w")).alias("h"))
        )
        better = steps.keep(
            cand.join(hops.withColumnRenamed("h", "old"), key, "left")
            .filter(F.col("old").isNull() | (F.col("h") < F.col("old")))
            .select("level", "node", "h")
        )
        if steps.improved("chains", cand, better) == 0:
            break
        hops = steps.keep(
            hops.join(better.withColumnRenamed("h", "new"), key, "full").select(
                "level", "node", F.coalesce(F.col("new"), F.col("h")).alias("h")
            ),
            state=True,
        )
        frontier = better
    # The least channel, in grapevine's order, among those that keep the
    # fewest hops.
    via = (
        tight.join(hops.select("level", F.col("node").alias("src"), F.col("h").alias("hs")), ["level", "src"])
        .join(hops.select("level", F.col("node").alias("dst"), F.col("h").alias("hd")), ["level", "dst"])
        .filter(F.col("hs") + F.col("w") == F.col("hd"))
        .groupBy("level", F.col("dst").alias("node"))
        .agg(F.min(F.struct("k_lo", "k_hi", "k_kind", "k_num", "src", "event")).alias("v"))
        .select("level", "node", F.col("v.src").alias("via_from"), F.col("v.event").alias("via_event"))
    )
    return (
        best.filter(F.col("level").isin(levels))
        .join(hops, key)
        .join(via, key, "left")
        .select(
            "level",
            "node",
            F.col("t").alias("time"),
            F.col("h").alias("hops"),
            "via_from",
            "via_event",
        )
    )


def definite(spark, ch, q, best, steps):
    """Definite times at the threshold: (node, definite), the least fixpoint
    of grapevine's definite pass. A channel delivers definitely when its
    sender's earliest time lets it be used, and its earliest second is at
    or after (strict: after) the time by which the sender definitely held
    the information, or it carries the traced message; out of a meeting's
    hub only when someone other than the receiver brought it in."""
    from pyspark.sql import functions as F

    n, src = q["entities"], q["source"]
    if q["held_always"]:
        d0 = NO_LOWER if q["held"] is None else q["held"]
    else:
        d0 = NO_UPPER if q["held"] is None else q["held"]
    no_start = q["start"] is None
    arrival = best.select(F.col("node").alias("src"), F.col("t").alias("te"))
    edges = (
        ch.join(arrival, "src", "left")
        .fillna(NO_UPPER, ["te"])
        .withColumn(
            "ready",
            F.when(F.col("src_hub"), F.col("te")).otherwise(after(F.col("te"), q["strict"])),
        )
        .filter(F.col("hi") >= F.col("ready"))
        .select("src", "dst", "lo", "hi", "carries", "src_hub", "dst_hub")
    ).localCheckpoint()
    # State per node: its definite time and, for a hub, the least and
    # greatest entity that definitely brought the information in.
    state = literal_row(spark, node=src, d=d0, cmin=None, cmax=None)
    frontier = state
    while True:
        steps.step("definite")
        held = F.col("d")
        if no_start:
            held = F.when(F.col("node") == src, F.lit(NO_LOWER)).otherwise(F.col("d"))
        ok_entity = (F.col("lo") >= after(held, q["strict"])) | F.col("carries")
        ok_hub = (F.col("cmin").isNotNull() & (F.col("cmin") != F.col("dst"))) | (
            F.col("cmax").isNotNull() & (F.col("cmax") != F.col("dst"))
        )
        cand = (
            frontier.join(edges, F.col("node") == F.col("src"))
            .filter(F.when(F.col("src_hub"), ok_hub).otherwise(ok_entity))
            .groupBy(F.col("dst").alias("node"))
            .agg(
                F.min("hi").alias("nd"),
                F.min(F.when(F.col("dst_hub"), F.col("src"))).alias("nmin"),
                F.max(F.when(F.col("dst_hub"), F.col("src"))).alias("nmax"),
            )
        )
        merged = state.join(cand, "node", "full").select(
            "node",
            F.least(F.col("d"), F.col("nd")).alias("d"),
            F.least(F.col("cmin"), F.col("nmin")).alias("cmin"),
            F.greatest(F.col("cmax"), F.col("nmax")).alias("cmax"),
            (
                F.col("d").isNull()
                | (F.col("nd") < F.col("d"))
                | (F.col("nmin") < F.col("cmin"))
                | (F.col("nmax") > F.col("cmax"))
                | (F.col("cmin").isNull() & F.col("nmin").isNotNull())
            ).alias("changed"),
        )
        merged = steps.keep(merged, state=True)
        frontier = steps.keep(merged.filter(F.col("changed")).drop("changed"))
        state = merged.drop("changed")
        if steps.improved("definite", cand, frontier) == 0:
            return state.select("node", F.col("d").alias("definite"))


# ----------------------------------------------------------------- prepare


def prepare_parser():
    p = argparse.ArgumentParser(
        prog="grapevine_reach.py prepare",
        description="grapevine's tables (PQ) from a table of calls or messages, one row a contact",
    )
    p.add_argument("calls", metavar="CALLS", help="the table: a CSV file (with a header), Parquet or Delta")
    p.add_argument("tables", metavar="PQ", help="the folder for grapevine's tables")
    p.add_argument("--format", choices=["csv", "parquet", "delta"], default="csv")
    p.add_argument("--caller", default="from", help="the column of the sender (default: from)")
    p.add_argument("--callee", default="to", help="the column of the receiver (default: to)")
    p.add_argument("--time", default="time", help="the column of the time: Unix seconds or a timestamp")
    p.add_argument("--certainty", help="a column of confirmed/reported/alleged/unknown (default: reported)")
    p.add_argument("--master", help="Spark master URL when run without spark-submit")
    return p


def prepare(spark, a):
    """Writes grapevine's tables for a table of two-party contacts, as
    grapevine numbers a CSV corpus: channels by time, then by the row's
    place in the table; the event of row k is `line-(k+2)` (its line in
    a CSV file with a header)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    reader = spark.read.format(a.format)
    if a.format == "csv":
        reader = reader.option("header", True)
    raw = reader.load(a.calls).withColumn("_seq", F.monotonically_increasing_id())
    t = F.col(a.time)
    kind = dict(raw.dtypes)[a.time]
    seconds = F.unix_timestamp(t) if kind.startswith("timestamp") else t.cast("long")
    words = F.lower(F.trim(F.col(a.certainty))) if a.certainty else F.lit("reported")
    level = F.coalesce(
        F.when(words == "confirmed", 3).when(words == "reported", 2).when(words == "alleged", 1)
        .when(words == "unknown", 0).when(words == "", 2),
        F.lit(2),
    )
    rows = raw.select(
        F.col(a.caller).cast("string").alias("a"),
        F.col(a.callee).cast("string").alias("b"),
        seconds.alias("t"),
        level.cast("long").alias("certainty"),
        (F.row_number().over(Window.orderBy("_seq")) - 1).cast("long").alias("event"),
    ).localCheckpoint()
    ids = rows.select(F.col("a").alias("id")).union(rows.select(F.col("b").alias("id"))).distinct()
    entities = ids.select(
        (F.row_number().over(Window.orderBy("id")) - 1).cast("long").alias("entity"), "id", F.col("id").alias("name")
    ).localCheckpoint()
    number = entities.select("id", "entity")
    channels = (
        rows.join(number.withColumnRenamed("id", "a").withColumnRenamed("entity", "from"), "a")
        .join(number.withColumnRenamed("id", "b").withColumnRenamed("entity", "to"), "b")
        .select(
            (F.row_number().over(Window.orderBy("t", "event")) - 1).cast("long").alias("channel"),
            "from",
            "to",
            F.col("t").alias("lo"),
            F.col("t").alias("hi"),
            "certainty",
            "event",
        )
    )
    events = rows.select("event", F.concat(F.lit("line-"), (F.col("event") + 2).cast("string")).alias("id"), F.lit(0).cast("long").alias("holding"))
    out = a.tables
    entities.write.mode("overwrite").parquet(os.path.join(out, "entities"))
    channels.write.mode("overwrite").parquet(os.path.join(out, "channels"))
    events.write.mode("overwrite").parquet(os.path.join(out, "events"))
    n, k = entities.count(), rows.count()
    literal_row(spark, entities=n, hubs=0, events=k, timezone=None).write.mode("overwrite").parquet(
        os.path.join(out, "graph")
    )
    empty = {
        "carries": dict(message="", event=0),
        "holdings": dict(message="", holding=0, **{"from": 0, "to": 0}, lo=0, hi=0, certainty=0, event=0),
        "messages": dict(message="", origin=0, start=0, held=0),
    }
    for name, cols in empty.items():
        literal_row(spark, **cols).limit(0).write.mode("overwrite").parquet(os.path.join(out, name))


# ------------------------------------------------------------------- job


def evidence_levels(times, q):
    """The levels above the threshold and below confirmed that are some
    entity's evidence (the strongest level at which it arrives, by
    `--until`): grapevine needs the chains there for `rests_on`."""
    from pyspark.sql import functions as F

    thr, until = q["threshold"], q["until"]

    def by_until(col):
        return col.isNotNull() if until is None else (col.isNotNull() & (col <= until))

    ev = times[thr].filter((F.col("node") != q["source"]) & (F.col("node") < q["entities"]))
    ev = ev.filter(by_until(F.col("t"))).select("node")
    level = F.lit(thr)
    for lv in range(thr + 1, 4):
        ev = ev.join(times[lv].withColumnRenamed("t", f"t{lv}"), "node", "left")
        level = F.when(by_until(F.col(f"t{lv}")), F.lit(lv)).otherwise(level)
    found = ev.select(level.alias("e")).distinct().collect()
    return sorted(r["e"] for r in found if thr < r["e"] < 3)


def times_only(best, level):
    """A level's earliest arrivals without chains."""
    from pyspark.sql import functions as F

    return best.select(
        F.lit(level).cast("long").alias("level"),
        "node",
        F.col("t").alias("time"),
        F.lit(None).cast("long").alias("hops"),
        F.lit(None).cast("long").alias("via_from"),
        F.lit(None).cast("long").alias("via_event"),
    )


def level_base(certainties, level, threshold):
    """The lowest level with the same channels as `level` (no channel's
    certainty lies between the two)."""
    same = level
    while same > threshold and not any(same - 1 <= c < level for c in certainties):
        same -= 1
    return same


def reach(spark, a):
    """Answers one question: writes OUT/query, OUT/levels, OUT/definite."""
    from pyspark.sql import functions as F

    q = resolve(spark, a)
    ch = question_channels(spark, q)
    certainties = sorted(r["certainty"] for r in ch.select("certainty").distinct().collect())
    steps = Steps()
    thr = q["threshold"]
    # The levels from the threshold up, each run once: a level with the
    # same channels as a lower one shares its pass.
    same_as = {level: level_base(certainties, level, thr) for level in range(thr, 4)}
    bases = sorted(set(same_as.values()))
    # A channel belongs to every level up to its certainty.
    per_level = ch.withColumn(
        "level",
        F.explode(F.filter(F.array(*[F.lit(b).cast("long") for b in bases]), lambda b: b <= F.col("certainty"))),
    ).localCheckpoint()
    best = earliest(spark, per_level, q, bases, steps).localCheckpoint()
    times = {level: best.filter(F.col("level") == same_as[level]).select("node", "t") for level in range(thr, 4)}
    # The chains' tree at the threshold, and at each weaker level than
    # confirmed that is some entity's evidence (for `rests_on`).
    with_tree = [thr] + evidence_levels(times, q)
    trees = tree(spark, per_level, q, best, sorted({same_as[lv] for lv in with_tree}), steps).localCheckpoint()
    passes = []
    for level in range(thr, 4):
        if level in with_tree:
            rows = trees.filter(F.col("level") == same_as[level]).withColumn("level", F.lit(level).cast("long"))
        else:
            rows = times_only(times[level], level)
        passes.append(rows)
    levels = passes[0]
    for rows in passes[1:]:
        levels = levels.unionByName(rows)
    edges = per_level.filter(F.col("level") == thr).drop("level")
    defs = definite(spark, edges, q, times[thr], steps)
    out = a.out
    levels.write.mode("overwrite").parquet(os.path.join(out, "levels"))
    defs.write.mode("overwrite").parquet(os.path.join(out, "definite"))
    query_df = literal_row(
        spark,
        tables=recorded(q["tables"]),
        source=q["source"],
        message=q["message"],
        mode=q["mode"],
        threshold=q["threshold"],
        strict=q["strict"],
        start=q["start"],
        held=q["held"],
        held_always=q["held_always"],
        until=q["until"],
        supersteps=steps.count,
    )
    query_df.coalesce(1).write.mode("overwrite").parquet(os.path.join(out, "query"))
    steps.release()
    return steps


def session(master):
    """The Spark session: spark-submit's, else a local one (`master`, by
    default local[*]) with small shuffles and no UI."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("grapevine-reach")
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ
    if master:
        builder = builder.master(master)
    elif not submitted:
        builder = builder.master("local[*]")
    if master or not submitted:
        partitions = os.environ.get("GRAPEVINE_SPARK_PARTITIONS", "4")
        # The driver plans every superstep of every question: give it room.
        builder = builder.config("spark.driver.memory", os.environ.get("GRAPEVINE_SPARK_DRIVER_MEMORY", "2g"))
        builder = builder.config("spark.sql.shuffle.partitions", partitions)
        builder = builder.config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
        builder = builder.config("spark.sql.adaptive.enabled", os.environ.get("GRAPEVINE_SPARK_AQE", "false"))
        # A task runs on the first free executor: waiting for the one that
        # holds its cached input (3 s by default) costs more than reading it
        # over the network, for tables of this size.
        builder = builder.config("spark.locality.wait", os.environ.get("GRAPEVINE_SPARK_LOCALITY_WAIT", "0s"))
    return builder.getOrCreate()


def answer(spark, a):
    """Answers one question; prints its supersteps, or why it is refused."""
    started = time.time()
    try:
        steps = reach(spark, a)
    except Refused as e:
        print(f"error: {a.out}: {e}", file=sys.stderr)
        return False
    print(f"{a.out}: supersteps {steps}, {time.time() - started:.1f} s", file=sys.stderr)
    for line in steps.trace:
        print(f"{a.out}: {line}", file=sys.stderr)
    return True


def size_of(pq):
    """The bytes of PQ's channels table (0: none there, or not local)."""
    path = table(pq, "channels")
    if os.path.isfile(path):
        return os.path.getsize(path)
    if os.path.isdir(path):
        return sum(os.path.getsize(os.path.join(path, f)) for f in os.listdir(path))
    return 0


def main(argv):
    batch = None
    if len(argv) >= 2 and argv[0] == "--batch":
        batch, rest = argv[1], argv[2:]
        with open(batch, encoding="utf-8") as f:
            cases = [shlex.split(line) for line in f if line.strip() and not line.startswith("#")]
        master = None
        if rest[:1] == ["--master"] and len(rest) >= 2:
            master = rest[1]
    else:
        cases = [argv]
        master = None
    parsed = [
        ("prepare", prepare_parser().parse_args(c[1:])) if c[:1] == ["prepare"] else ("reach", parser().parse_args(c))
        for c in cases
    ]
    master = master or next((p.master for _, p in parsed if p.master), None)
    spark = session(master)
    spark.sparkContext.setLogLevel("ERROR")
    # Prepared tables first; then the questions, on GRAPEVINE_SPARK_THREADS
    # threads of the one session (Spark runs their jobs side by side).
    status = 0
    for kind, a in parsed:
        if kind == "prepare":
            started = time.time()
            prepare(spark, a)
            print(f"{a.tables}: prepared, {time.time() - started:.1f} s", file=sys.stderr)
    # The largest tables first: the long questions start at once, and the
    # small ones fill the threads around them (no long one left for last).
    questions = sorted((a for kind, a in parsed if kind == "reach"), key=lambda a: -size_of(a.tables))
    threads = max(1, int(os.environ.get("GRAPEVINE_SPARK_THREADS", "1")))
    if threads == 1 or len(questions) < 2:
        results = [answer(spark, a) for a in questions]
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=threads) as pool:
            results = list(pool.map(lambda a: answer(spark, a), questions))
    for ok in results:
        if not ok:
            status = 2
    spark.stop()
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
