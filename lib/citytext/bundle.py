"""One file to send: a finished report as a zip archive.

``citytext bundle OUT report.zip`` packs a run directory so that a colleague
unzips it and opens ``index.html`` at its root: pages, shared assets,
figures, CSVs, executed notebooks and ``run.json``. Every page refers to the
others relatively, so the unzipped folder works from ``file://`` with no
network. Entries are written in sorted order; PNG and font files are stored
as they are (already compressed), the rest deflated.

The archive is written beside its destination and renamed into place when
complete; an existing file is never overwritten, and the archive may not be
written inside the report it packs.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

#: Files a run directory always holds (the marker of a finished report).
REQUIRED = ("index.html", "run.json")
#: Suffixes stored without compression.
STORED = {".png", ".jpg", ".jpeg", ".woff", ".woff2", ".zip", ".gz"}
#: Names never packed (locks and editor or OS leftovers).
SKIPPED = {".DS_Store", "Thumbs.db"}


class BundleError(ValueError):
    """The report cannot be bundled; the message is one line for the user."""


def files_to_pack(run_dir: Path) -> list[Path]:
    """Return the run directory's files in archive order (relative paths).

    Hidden files and folders (names starting with a dot), locks and symbolic
    links are left out; a link could point outside the report.
    """
    out: list[Path] = []
    for root, dirs, files in os.walk(run_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        base = Path(root)
        for name in sorted(files):
            path = base / name
            if name.startswith(".") or name in SKIPPED or name.endswith(".lock"):
                continue
            if path.is_symlink() or not path.is_file():
                continue
            out.append(path.relative_to(run_dir))
    # index.html first, so a reader listing the archive sees the entry point.
    return sorted(out, key=lambda p: (p != Path("index.html"), p.as_posix()))


def bundle(run_dir: Path | str, dest: Path | str) -> tuple[Path, int, int]:
    """Pack ``run_dir`` into the zip file ``dest``.

    Args:
        run_dir: A finished citytext run directory.
        dest: The archive to create (``.zip``); must not exist yet.

    Returns:
        The archive path, the number of files packed and the archive size in
        bytes.

    Raises:
        BundleError: If ``run_dir`` is not a finished report, ``dest`` exists,
            lies inside the report, or cannot be written.
    """
    run_dir = Path(run_dir).expanduser().resolve()
    dest = Path(dest).expanduser().resolve()
    if not run_dir.is_dir():
        raise BundleError(f"report directory {run_dir} does not exist")
    missing = [name for name in REQUIRED if not (run_dir / name).is_file()]
    if missing:
        raise BundleError(
            f"{run_dir} is not a finished citytext report (no {', '.join(missing)}); "
            "run `citytext run --out DIR` first"
        )
    if dest.suffix.lower() != ".zip":
        raise BundleError(f"archive name {dest.name} must end in .zip")
    if dest == run_dir or run_dir in dest.parents:
        raise BundleError(
            f"write the archive outside the report it packs (not in {run_dir})"
        )
    if dest.exists():
        raise BundleError(f"{dest} exists; choose another name or remove it first")
    if not dest.parent.is_dir():
        raise BundleError(f"folder {dest.parent} does not exist")
    files = files_to_pack(run_dir)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.part")
    try:
        with zipfile.ZipFile(tmp, "w") as archive:
            for rel in files:
                method = (
                    zipfile.ZIP_STORED
                    if rel.suffix.lower() in STORED
                    else zipfile.ZIP_DEFLATED
                )
                archive.write(run_dir / rel, rel.as_posix(), compress_type=method)
        os.link(tmp, dest)  # fails if dest appeared meanwhile: never overwrite
    except FileExistsError:
        raise BundleError(
            f"{dest} exists; choose another name or remove it first"
        ) from None
    except OSError as exc:
        raise BundleError(f"cannot write {dest}: {exc.strerror or exc}") from None
    finally:
        tmp.unlink(missing_ok=True)
    return dest, len(files), dest.stat().st_size
