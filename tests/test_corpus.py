"""The corpus of bad and hostile inputs (``tests/corpus/``): each gets its one line.

Cases are the shipped 100k case with the corpus entry applied, checked the way
``gridimpact validate`` checks them (``load_case`` then ``preflight``); network files
are read by the network reader. Every answer is one :class:`GridImpactError` line
that names the file (and the field) and holds the expected words.
"""

from __future__ import annotations

import shutil
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from gridimpact.case import load_case
from gridimpact.errors import GridImpactError
from gridimpact.preflight import preflight
from tests.conftest import CASE_100K
from tests.test_fuzz import SHIPPED, _dump, _replace

CORPUS = Path(__file__).parent / "corpus"
ENTRIES = tomllib.loads((CORPUS / "cases.toml").read_text(encoding="utf-8"))["input"]
NETWORKS = tomllib.loads((CORPUS / "networks" / "expect.toml").read_text(encoding="utf-8"))[
    "expect"
]


def _write(entry: dict[str, Any], folder: Path) -> Path:
    case = folder / f"{entry['name']}.toml"
    for extra in Path(CASE_100K).parent.glob("*.json"):  # networks the case may name
        shutil.copy(extra, folder / extra.name)
    if entry.get("text") == "deep":
        case.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    elif entry.get("text") == "latin1":
        case.write_bytes(_dump(SHIPPED).replace("MLGW", "MLGW \xe9").encode("latin-1"))
    else:
        doc = SHIPPED
        for dotted, value in entry["set"].items():
            doc = _replace(doc, tuple(dotted.split(".")), value)
        case.write_text(_dump(doc), encoding="utf-8")
    return case


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["name"] for e in ENTRIES])
def test_bad_case_gets_its_one_line(entry: dict[str, Any], tmp_path: Path) -> None:
    case = _write(entry, tmp_path)
    with pytest.raises(GridImpactError) as info:
        preflight(load_case(case))
    message = str(info.value)
    assert "\n" not in message and case.name in message, message
    assert entry["field"] in message and entry["expect"] in message, message


@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_hostile_network_file_gets_its_one_line(name: str) -> None:
    from gridimpact.grid.model import _read_network_file

    before = set(sys.modules)
    with pytest.raises(GridImpactError) as info:
        _read_network_file(CORPUS / "networks" / name)
    message = str(info.value)
    assert "\n" not in message and name in message and NETWORKS[name] in message, message
    assert not {"this", "shutil"} & (set(sys.modules) - before)  # nothing was imported
