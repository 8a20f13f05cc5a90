"""`sondhani backup DIR` (works while the bot runs) and `sondhani restore DIR` (into an empty state
directory, then the index is rebuilt from the corpus with the restored embedding cache). What a backup
holds and leaves out is said in bot.backup."""

from __future__ import annotations

import argparse
import sys

from bot.backup import BackupError, back_up, restore
from bot.cli.index import format_index_report, index_with_progress, no_corpus
from bot.cli.main import version
from bot.settings import Settings
from retrieval import SearchEngine


def cmd_backup(settings: Settings, args: argparse.Namespace) -> int:
    """Back the state directory up into DIR without taking its lock: the running bot keeps going."""
    try:
        report = back_up(settings.state_dir, args.dir, version=version(), data_dir=settings.data_dir)
    except BackupError as exc:
        print(f"sondhani: {exc}", file=sys.stderr)
        return 2
    for name, size in report.files.items():
        print(f"{name}: {size} bytes")
    print(
        f"backed up {settings.state_dir} into {args.dir} "
        f"(of the corpus {settings.data_dir}, only the articles saved into its added/ folder)"
    )
    return 0


def cmd_restore(settings: Settings, args: argparse.Namespace) -> int:
    """Restore DIR into SONDHANI_STATE_DIR (new or empty), then rebuild the index from the corpus."""
    if no_corpus(settings):
        return 2
    try:
        report = restore(args.dir, settings.state_dir, settings.data_dir)
    except BackupError as exc:
        print(f"sondhani: {exc}", file=sys.stderr)
        return 2
    print(f"restored {', '.join(report.files)} into {settings.state_dir}")
    print("rebuilding the lexical index and the vectors from the corpus (embeddings come from the backup)")
    sys.stdout.flush()
    with SearchEngine.open(settings.engine_config()) as engine:
        print(format_index_report(index_with_progress(engine)))
    return 0
