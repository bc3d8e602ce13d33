"""An upload has no command-line options: its messages say how to fix the file instead."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from uflpa.errors import InputError
from uflpa.service import ops
from uflpa.settings import Settings


def test_a_traced_upload_with_a_bad_byte_is_not_told_to_use_encoding(tmp_path: Path) -> None:
    nodes, edges = tmp_path / "upload-1.csv", tmp_path / "upload-2.csv"
    nodes.write_bytes(
        "id,name,country\nn1,新疆华孚色纺有限公司,CN\nn2,Alpha Trading Company Limited,CN\n"
        "n3,上海".encode()
        + b"\xff\xfe"
        + "贸易有限公司,CN\n".encode()
    )
    edges.write_text("source,target,relation\nn1,n2,supplies\nn2,n3,supplies\n", "utf-8")
    settings = Settings.from_env({"UFLPA_HOME": str(tmp_path / "home")})
    with pytest.raises(InputError) as caught:
        ops.trace_files_named(
            settings, nodes, edges, names={nodes: "nodes.csv", edges: "edges.csv"}, svg=False
        )
    message = str(caught.value)
    assert re.match(r"nodes\.csv, row \d, column 'name'", message), message
    assert "--" not in message
    assert "save the file as UTF-8" in message
