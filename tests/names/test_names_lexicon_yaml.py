"""The name tables are read with libyaml's safe loader when PyYAML has it; the data must be what
the pure-Python safe loader reads."""

from __future__ import annotations

from importlib import resources

import yaml

from uflpa.names.lexicon import _load_yaml


def test_the_fast_loader_reads_every_name_table_as_safe_load_does() -> None:
    folder = resources.files("uflpa.data").joinpath("names")
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".yml"))
    assert names
    for name in names:
        expected = yaml.safe_load(folder.joinpath(name).read_text(encoding="utf-8"))
        loaded = _load_yaml(name)
        assert loaded == expected, name
        assert repr(loaded) == repr(expected), name  # same key order and types
