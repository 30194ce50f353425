"""The namespace generator: from Turtle to a closed rdflib namespace."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from rdflib import URIRef

from marketgraph.errors import InputError
from marketgraph.ontology.generate import main, namespace_source

ROOT = Path(__file__).resolve().parents[2]

TINY = """\
@prefix mg: <https://w3id.org/marketgraph/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

<https://w3id.org/marketgraph/ontology> a owl:Ontology ; owl:versionInfo "9.9" .
mg:Widget a owl:Class ; rdfs:label "Widget" .
# Punned: a class and an individual at once, listed once, as a class.
mg:Gadget a owl:Class, owl:NamedIndividual ; rdfs:label "Gadget" .
mg:Blue a owl:NamedIndividual, mg:Widget ; rdfs:label "blue widget" .
mg:madeBy a owl:ObjectProperty ; rdfs:label "made by" .
mg:weight a owl:DatatypeProperty ; rdfs:label "weight,\\n  in grams" .
"""


def tiny(tmp_path: Path, text: str = TINY) -> Path:
    path = tmp_path / "tiny.ttl"
    path.write_text(text, encoding="utf-8")
    return path


def load(source: str) -> dict:
    namespace: dict = {}
    exec(compile(source, "namespace.py", "exec"), namespace)
    return namespace


def test_namespace_source_lists_terms_by_kind_and_name(tmp_path):
    lines = namespace_source(tiny(tmp_path)).splitlines()
    terms = [line.strip() for line in lines if ": URIRef  # " in line]
    assert terms == [
        "Gadget: URIRef  # Gadget",
        "Widget: URIRef  # Widget",
        "Blue: URIRef  # blue widget",
        "madeBy: URIRef  # made by",
        "weight: URIRef  # weight, in grams",
    ]
    assert any("version 9.9" in line for line in lines)


def test_namespace_source_defines_closed_namespace(tmp_path):
    namespace = load(namespace_source(tiny(tmp_path)))
    mg, mgid = namespace["MG"], namespace["MGID"]
    assert mg.madeBy == URIRef("https://w3id.org/marketgraph/ontology#madeBy")
    assert mgid["org/acme"] == URIRef("https://w3id.org/marketgraph/id/org/acme")
    with pytest.raises(AttributeError):
        _ = mg.Acquisition


def test_namespace_source_skips_terms_of_other_namespaces(tmp_path):
    text = TINY + '<https://example.org/Thing> a owl:Class ; rdfs:label "Thing" .\n'
    assert "Thing" not in namespace_source(tiny(tmp_path, text))


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("mg:Bare a owl:Class .\n", "has 0 rdfs:label"),
        ('mg:Twice a owl:Class ; rdfs:label "a", "b" .\n', "has 2 rdfs:label"),
        (
            '<https://w3id.org/marketgraph/ontology#two-words> a owl:Class ; rdfs:label "x" .\n',
            "cannot be a Python attribute",
        ),
        ('mg:class a owl:Class ; rdfs:label "x" .\n', "cannot be a Python attribute"),
        ("<https://example.org/other> a owl:Ontology .\n", "declares 2 owl:Ontology"),
    ],
)
def test_namespace_source_rejects_bad_term(tmp_path, extra, message):
    with pytest.raises(InputError, match=message):
        namespace_source(tiny(tmp_path, TINY + extra))


def test_namespace_source_rejects_missing_file(tmp_path):
    with pytest.raises(InputError, match="cannot read the ontology"):
        namespace_source(tmp_path / "absent.ttl")


def test_namespace_source_rejects_bad_turtle(tmp_path):
    with pytest.raises(InputError, match="not valid Turtle"):
        namespace_source(tiny(tmp_path, "mg:Widget a owl:Class ; rdfs:label ."))


def test_main_writes_to_given_path(tmp_path, capsys):
    out = tmp_path / "ns.py"
    assert main([str(out)]) == 0
    assert out.read_text(encoding="utf-8") == namespace_source()
    assert str(out) in capsys.readouterr().out


def test_main_rejects_two_paths(tmp_path, capsys):
    assert main([str(tmp_path / "a.py"), str(tmp_path / "b.py")]) == 2
    assert "usage:" in capsys.readouterr().err


def test_main_reports_unwritable_path(tmp_path, capsys):
    assert main([str(tmp_path / "no" / "such" / "dir" / "ns.py")]) == 1
    assert capsys.readouterr().err.startswith("error: cannot write")


@pytest.mark.parametrize(
    "command", [["check", "-"], ["format", "--check", "-"]], ids=["check", "format"]
)
def test_namespace_source_is_ruff_clean(command):
    ruff_main = pytest.importorskip("ruff.__main__")
    # The stdin file name makes ruff apply the project's configuration.
    result = subprocess.run(
        [ruff_main.find_ruff_bin(), *command, "--stdin-filename", "ontology/namespace.py"],
        input=namespace_source(),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
