"""The import's report: the summary table and the progress bar's reporter
(catalog.ingest.report)."""

import io
import re

from catalog.ingest.parsing import ParseWarning
from catalog.ingest.report import (
    Conflict,
    ConsoleReporter,
    Counts,
    ImportResult,
    ListReport,
    Progress,
    summary_table,
)

LONG_PATH = "lists/" + "a-very-long-folder-name/" * 8 + "list.md"


def a_result() -> ImportResult:
    done = ListReport(path=LONG_PATH)
    done.counts["papers"] = Counts(created=3, updated=1, unchanged=2)
    done.conflicts.append(
        Conflict("Paper", 1, "arxiv:1", "title", "Curated", "Listed", 7)
    )
    done.warnings.append(ParseWarning(line=9, message="no URL [sic]"))
    done.missing = ["paper arxiv:2", "link https://x.test/"]
    done.pruned = ["link https://x.test/"]
    failed = ListReport(path="bad.md", error="bad.md:3: nested too deeply")
    return ImportResult(reports=[done, failed])


def test_the_table_gives_each_list_its_counts_per_kind_conflicts_and_warnings():
    output = summary_table(a_result())
    lines = output.splitlines()

    head = next(line for line in lines if "list" in line and "papers" in line)
    assert re.findall(r"\w+", head) == [
        "list", "topics", "papers", "repositories", "translations", "links",
        "conflicts", "warnings",
    ]  # fmt: skip
    row = next(line for line in lines if LONG_PATH in line)  # never cut
    cells = [c.strip() for c in re.split(r"[│|]", row) if c.strip()]
    assert cells == [LONG_PATH, "0/0/0", "3/1/2", "0/0/0", "0/0/0", "0/0/0", "1", "1"]
    assert any("bad.md" in line and "ERROR" in line for line in lines)
    assert "(created/updated/unchanged)" in output


def test_the_details_follow_the_table():
    output = summary_table(a_result())

    assert "error: bad.md:3: nested too deeply" in output
    assert (
        f"conflict: {LONG_PATH}:7 Paper arxiv:1 title: curated 'Curated', "
        "list says 'Listed' (kept the curated value)"
    ) in output
    assert f"gone from {LONG_PATH}: paper arxiv:2: kept (use --prune to remove)" in (
        output
    )
    assert f"gone from {LONG_PATH}: link https://x.test/: pruned" in output
    assert f"warning: {LONG_PATH}:9: no URL [sic]" in output  # not markup
    assert output.endswith("3 created, 1 updated")


def test_many_warnings_are_summed_up_unless_verbose():
    result = ImportResult(reports=[ListReport(path="w.md")])
    result.reports[0].warnings = [ParseWarning(n, f"odd {n}") for n in range(21)]

    assert "21 warnings in w.md (-v 2 lists them)" in summary_table(result)
    assert "warning: w.md:20: odd 20" in summary_table(result, verbosity=2)


def test_a_dry_run_says_nothing_was_written():
    output = summary_table(ImportResult(dry_run=True))

    assert output.endswith("dry run, nothing written: 0 created, 0 updated")


def test_the_console_reporter_draws_the_run_and_clears_it():
    stream = io.StringIO()
    reporter = ConsoleReporter(stream)

    reporter.update(Progress("a.md", 0, 2))
    reporter.update(Progress("a.md", 0, 2, done=5, total=10))
    reporter.close()

    drawn = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", stream.getvalue())  # escapes
    drawn = re.sub(" +", " ", drawn)  # the counts are padded to one width
    assert "1/2 lists · 0/? entries · a.md" in drawn
    assert "1/2 lists · 5/10 entries · a.md" in drawn
