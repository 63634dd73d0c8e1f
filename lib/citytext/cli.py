"""The ``citytext`` command.

Subcommands:

* ``citytext run --corpus DIR --out DIR [-p name=value ...]``: execute the
  notebook suite with papermill and render it to HTML (see
  :mod:`citytext.runner`).
* ``citytext params [NOTEBOOK]``: list notebook parameters with their types,
  defaults and comments.
* ``citytext stage NAME --run-dir DIR``: run one library stage without a
  notebook (``clean`` also takes ``--corpus``, ``metrics``
  ``--national-reports``).
* ``citytext bundle OUT report.zip``: pack a finished report into one zip
  file with ``index.html`` at its root (see :mod:`citytext.bundle`).
* ``citytext terms CORPUS_DIR``: list phrases the tokenizer cuts apart, as
  candidates for the domain dictionary (see :mod:`citytext.topics.terms`).

Errors reach the user as one line on stderr (exit status 2 for bad arguments
or parameters, 1 for a failed run, 130 when interrupted); ``--debug`` shows the
traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import Any

import yaml

from citytext import __version__, config, execution, params

logger = logging.getLogger(__name__)

STAGES = ("clean", "segment", "topics", "metrics", "compare")


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors are one line and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        """Print a one-line usage error and exit with status 2."""
        self.exit(2, f"citytext: error: {message} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser (parameter help is read from the notebooks)."""
    parser = _Parser(prog="citytext", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--version", action="version", version=f"citytext {__version__}"
    )
    parser.add_argument(
        "--debug", action="store_true", help="show tracebacks on errors"
    )
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    try:
        epilog = (
            "notebook parameters (set with -p name=value):\n"
            + execution.describe_parameters()
        )
    except Exception as exc:  # noqa: BLE001 - help must work even if a notebook is broken
        epilog = f"(could not read notebook parameters: {exc})"
    run = sub.add_parser(
        "run",
        help="execute the notebooks and render the report",
        description="Execute the numbered notebooks with papermill on a corpus and "
        "render each to HTML, with an index page, run.json and the CSVs.",
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    arg = run.add_argument
    arg("--corpus", type=Path, default=config.SEEDS_DIR,
        help="corpus directory (default: the bundled seeds)")  # fmt: skip
    arg("--out", type=Path, default=config.REPORTS_DIR,
        help="output directory, replaced only when the run succeeds "
        "(default: reports/)")  # fmt: skip
    arg("-p", "--param", action="append", default=[], metavar="NAME=VALUE",
        help="set a notebook parameter (repeatable)")  # fmt: skip
    arg("-f", "--params-file", type=Path, metavar="YAML",
        help="YAML file of parameters (-p values win)")  # fmt: skip
    arg("--engine", choices=("local", "dask"),
        help="engine for the per-document stages (default: local)")  # fmt: skip
    arg("--scheduler", metavar="tcp://HOST:PORT",
        help="existing Dask scheduler (with --engine dask)")  # fmt: skip
    arg("--jobs", type=int, default=0,
        help="city profiles rendered in parallel (default: all cores)")  # fmt: skip
    arg("--timeout", type=int, default=None,
        help="per-cell execution timeout in seconds")  # fmt: skip
    arg("--force", action="store_true",
        help="execute every notebook, even those the previous report in --out "
        "could give unchanged")  # fmt: skip
    run.add_argument("--quiet", action="store_true", help="no progress output")

    prm = sub.add_parser("params", help="list notebook parameters")
    prm.add_argument(
        "notebook", nargs="?", help="notebook stem or prefix, e.g. 02_topics"
    )

    stg = sub.add_parser("stage", help="run one library stage on a run directory")
    stg.add_argument("name", choices=STAGES)
    stg.add_argument("--run-dir", type=Path, required=True)
    stg.add_argument("--corpus", type=Path, default=config.SEEDS_DIR)
    stg.add_argument(
        "--national-reports", type=Path, default=None,
        help="metrics: national government work reports (a docs.jsonl or its "
        "folder; default: the bundled ones)",
    )  # fmt: skip
    lex = sub.add_parser("lexicon", help="work with the mechanism lexicon")
    lex.add_argument("action", choices=["suggest"])
    lex.add_argument("--run", type=Path, required=True, help="a run directory")
    lex.add_argument("--min-places", type=int, default=2)
    lex.add_argument("--limit", type=int, default=30)

    bnd = sub.add_parser(
        "bundle",
        help="pack a finished report into one zip file to send",
        description="Pack a report directory into a zip file with index.html at "
        "its root; unzipped, it opens in a browser with no network.",
    )
    bnd.add_argument("report", type=Path, help="report directory (citytext run --out)")
    bnd.add_argument("archive", type=Path, help="zip file to create, e.g. report.zip")

    trm = sub.add_parser(
        "terms", help="list candidate domain terms that the tokenizer cuts apart"
    )
    trm.add_argument("corpus", type=Path, help="corpus directory")
    trm.add_argument("--min-docs", type=int, default=20)
    trm.add_argument("--top", type=int, default=300)
    return parser


def _collect_values(args: argparse.Namespace) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    if args.params_file is not None:
        try:
            loaded = yaml.safe_load(args.params_file.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise execution.UsageError(
                f"cannot read parameter file {args.params_file}: {exc}"
            ) from None
        if not isinstance(loaded, dict):
            raise execution.UsageError(
                f"parameter file {args.params_file} must be a mapping"
            )
        raw.update(loaded)
    try:
        raw.update(params.parse_assignments(args.param))
    except params.ParameterError as exc:
        raise execution.UsageError(str(exc)) from None
    if args.engine:
        raw["engine"] = args.engine
    if args.scheduler:
        raw["scheduler"] = args.scheduler
    return execution.validate_values(raw)


def cmd_run(args: argparse.Namespace) -> int:
    """Validate everything, then execute the run."""
    if args.jobs < 0:
        raise execution.UsageError("--jobs must be >= 0 (0 = all cores)")
    values = _collect_values(args)
    if values.get("scheduler") and values.get("engine", "local") != "dask":
        raise execution.UsageError("--scheduler needs --engine dask")
    corpus = args.corpus.expanduser().resolve()
    out = args.out.expanduser().resolve()
    execution.check_paths(corpus, out)
    # The run's own modules (pandas, nbformat, matplotlib) load only now, so
    # that help, parameter errors and refused paths answer at once.
    from citytext import runner

    cfg = execution.RunConfig(
        corpus=corpus, out=out, user_params=values, jobs=args.jobs, quiet=args.quiet,
        timeout=args.timeout, kernel=execution.default_kernel(), force=args.force,
    )  # fmt: skip
    info = runner.run(cfg)
    if not args.quiet:
        counts = info.get("counts", {})
        print(
            f"citytext: report written to {out}/index.html "
            f"({counts.get('kept')} articles, {counts.get('quarantined')} quarantined, "
            f"{len(info.get('cities', []))} city profiles)",
            file=sys.stderr,
        )
    return 0


def cmd_params(args: argparse.Namespace) -> int:
    """Print parameters of one notebook or of all."""
    names = [args.notebook] if args.notebook else list(execution.ALL_NOTEBOOKS)
    for name in names:
        path = execution.notebook_path(name)
        print(f"{path.stem}:")
        for s in params.read_specs(path):
            print(f"  {s.name}: {s.type} = {s.default!r}")
            if s.help:
                print(f"      {s.help}")
    return 0


def cmd_stage(args: argparse.Namespace) -> int:
    """Run one pipeline stage directly on a run directory."""
    from citytext import pipeline

    run_dir = config.resolve_run_dir(args.run_dir)
    funcs = {
        "clean": lambda: pipeline.run_cleaning(args.corpus.resolve(), run_dir),
        "segment": lambda: pipeline.run_segmentation(run_dir),
        "topics": lambda: pipeline.run_topics(run_dir),
        "metrics": lambda: pipeline.run_metrics(
            run_dir, national_reports=args.national_reports or ""
        ),
        "compare": lambda: pipeline.run_comparison(run_dir),
    }
    result = funcs[args.name]()
    print(f"citytext: stage {args.name} done in {run_dir}", file=sys.stderr)
    logger.debug("stage result: %s", result)
    return 0


def cmd_lexicon(args: argparse.Namespace) -> int:
    """Print unknown campaigns of a run as entries for mechanisms.yaml."""
    from citytext import compare, runfiles

    table = runfiles.read_csv(args.run.expanduser(), runfiles.CAMPAIGNS)
    ranked = compare.campaigns.suggestions(
        table, min_places=args.min_places, limit=args.limit
    )
    known = [m.id for m in compare.load_lexicon()]
    print(compare.campaigns.suggestions_yaml(ranked, known), end="")
    return 0


def cmd_bundle(args: argparse.Namespace) -> int:
    """Pack a finished report into one zip file."""
    from citytext import bundle

    try:
        path, n_files, size = bundle.bundle(args.report, args.archive)
    except bundle.BundleError as exc:
        raise execution.UsageError(str(exc)) from None
    print(
        f"citytext: {path} written ({n_files} files, {size / 1e6:.1f} MB); "
        "unzip it and open index.html",
        file=sys.stderr,
    )
    return 0


def cmd_terms(args: argparse.Namespace) -> int:
    """Print candidate domain terms of a corpus, read like any input."""
    import pandas as pd

    from citytext import ingest, topics

    corpus = args.corpus.expanduser().resolve()
    if not corpus.is_dir():
        raise execution.UsageError(f"corpus {corpus} is not a directory")
    docs = (
        (d.doc_id, d.text)
        for d in ingest.iter_inputs(corpus)
        if isinstance(d, ingest.Document)
    )
    table = topics.terms.candidates(docs, min_docs=args.min_docs, top=args.top)
    with pd.option_context("display.max_rows", None, "display.width", 200):
        print(table.to_string(index=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``citytext`` console script.

    Args:
        argv: Arguments (default: ``sys.argv[1:]``).

    Returns:
        The process exit status.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")  # fmt: skip
    commands = {
        "run": cmd_run, "params": cmd_params, "stage": cmd_stage,
        "lexicon": cmd_lexicon, "bundle": cmd_bundle, "terms": cmd_terms,
    }  # fmt: skip
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return commands[args.command](args)
    except KeyboardInterrupt:
        print(
            "citytext: interrupted; the previous report was left as it was",
            file=sys.stderr,
            flush=True,
        )
        # The run's temporary files and kernels are gone already; exit now so
        # that the execution client's half-finished tasks cannot print
        # tracebacks while the interpreter shuts down.
        sys.stdout.flush()
        os._exit(130)
    except execution.RunError as exc:
        if args.debug:
            raise
        print(f"citytext: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except Exception as exc:  # noqa: BLE001 - one line for the user, never a traceback
        if args.debug:
            raise
        name = type(exc).__name__
        hint = "rerun with --debug for details"
        print(f"citytext: error: {name}: {exc} ({hint})", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
