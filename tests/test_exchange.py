"""ClaimReview JSON-LD and PROV-JSON exports against their field lists; ClaimReview and Fact Check
Tools imports; the export command."""

import json

import pytest

import reconcile
from reconcile import exchange
from reconcile.cli import main

SEED = "data/seed_claims.csv"
SEARCH = "data/exchange/factcheck_search.json"
JSONLD = "data/exchange/claimreview.jsonld"


@pytest.fixture(scope="module")
def seed():
    return reconcile.reconcile(SEED)


def test_claimreview_has_every_listed_field(seed):
    document = seed.to_claimreview()
    assert exchange.validate_claimreview(document) == []
    reviews = document["@graph"]
    assert len(reviews) == len(seed.claims)
    for review, claim in zip(reviews, seed.claims.itertuples()):
        assert review["@type"] == "ClaimReview"
        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        assert item["@id"].endswith(claim.claim_id)
        assert item["author"]["name"] == claim.source
        assert item["datePublished"] == "2020-07-14"
        assert item["appearance"]["name"] == "seed.txt"


def test_claimreview_ids_are_stable(seed):
    again = reconcile.reconcile(SEED).to_claimreview()
    assert [r["itemReviewed"]["@id"] for r in again["@graph"]] == \
        [r["itemReviewed"]["@id"] for r in seed.to_claimreview()["@graph"]]


def test_our_confidence_never_becomes_a_review_rating(seed):
    document = seed.to_claimreview(reviewer="Example Check")
    for review in document["@graph"]:
        assert "reviewRating" not in review
        assert 0 <= review["reconcile:factConfidence"] <= 1
        assert review["author"]["name"] == "Example Check"
    first = seed.claims["claim_id"].iloc[0]
    rated = seed.to_claimreview(ratings={first: "Accurate"})["@graph"][0]
    assert rated["reviewRating"] == {"@type": "Rating", "alternateName": "Accurate"}


def test_validator_catches_a_machine_score_in_the_rating(seed):
    document = seed.to_claimreview()
    document["@graph"][0]["reviewRating"] = {"@type": "Rating", "ratingValue": 0.9}
    del document["@graph"][1]["itemReviewed"]["author"]
    problems = exchange.validate_claimreview(document)
    assert any("machine score" in p for p in problems) and any("no author" in p for p in problems)


def test_claimreview_file_is_deterministic_json(seed, tmp_path):
    seed.to_claimreview(tmp_path / "a.jsonld")
    seed.to_claimreview(tmp_path / "b.jsonld")
    assert (tmp_path / "a.jsonld").read_bytes() == (tmp_path / "b.jsonld").read_bytes()
    assert json.loads((tmp_path / "a.jsonld").read_text())["@context"][0] == "https://schema.org"


def test_fact_check_tools_search_imports_as_publishers_ratings():
    claims = exchange.read_claimreview(SEARCH)
    assert len(claims) == 4
    assert set(claims["source"]) == {"Example Check", "Verify Desk", "verify.example.net"}
    assert set(claims["predicate"]) == {"rating"}
    assert claims["evidence"].iloc[0].startswith("Viral post: ")
    result = reconcile.reconcile(claims)
    killed = result.facts[result.facts["subject"].str.startswith("ten russian")].iloc[0]
    assert str(killed["value"]).lower() == "false" and killed["status"] == "consensus"


def test_claimreview_jsonld_imports_and_round_trips(seed):
    claims = exchange.read_claimreview(JSONLD)
    assert list(claims["source"]) == ["Example Check", "Other Check"]
    assert list(claims["value"]) == ["False", "Mostly false"]
    assert claims["document"].iloc[0] == "https://check.example.org/m4-bombing"
    ours = exchange.read_claimreview(seed.to_claimreview(ratings={c: "Accurate" for c in seed.claims["claim_id"]}))
    assert len(ours) == len(seed.claims) and set(ours["value"]) == {"Accurate"}


def test_prov_declares_everything_it_relates(seed):
    document = seed.to_prov(inputs=[SEED])
    assert exchange.validate_prov(document) == []
    assert set(document) <= set(exchange.PROV_SECTIONS)
    kinds = [e["prov:type"]["$"] for e in document["entity"].values()]
    assert kinds.count("reconcile:Claim") == len(seed.claims)
    assert kinds.count("reconcile:Fact") == len(seed.facts)
    assert kinds.count("reconcile:InputFile") == 1
    (run,) = document["activity"].values()
    assert run["reconcile:method"] == seed.method and json.loads(run["reconcile:parameters"]) == seed.params
    assert run["reconcile:version"] == reconcile.__version__
    derived = [(r["prov:generatedEntity"], r["prov:usedEntity"]) for r in document["wasDerivedFrom"].values()]
    wounded = "reconcile:fact/russian%20soldiers%20%2F%20wounded"
    assert sum(1 for g, _ in derived if g == wounded) == 4


def test_prov_is_deterministic_without_a_clock(seed):
    assert exchange.json_text(seed.to_prov()) == exchange.json_text(reconcile.reconcile(SEED).to_prov())
    timed = seed.to_prov(started="2020-07-14T10:00:00Z")
    assert next(iter(timed["activity"].values()))["prov:startTime"] == "2020-07-14T10:00:00Z"


def test_prov_round_trips_through_the_prov_package(seed):
    prov = pytest.importorskip("prov.model", reason="the optional 'prov' package checks PROV-JSON")
    document = prov.ProvDocument.deserialize(content=json.dumps(seed.to_prov(inputs=[SEED])), format="json")
    records = document.get_records()
    assert sum(1 for r in records if isinstance(r, prov.ProvEntity)) == len(seed.claims) + len(seed.facts) + 2
    assert sum(1 for r in records if isinstance(r, prov.ProvDerivation)) > len(seed.facts)
    again = prov.ProvDocument.deserialize(content=document.serialize(format="json"), format="json")
    assert again == document


@pytest.mark.parametrize("fmt, check", [
    ("claimreview", lambda d: exchange.validate_claimreview(d) == []),
    ("prov", lambda d: exchange.validate_prov(d) == []),
    ("node-link", lambda d: len(d["nodes"]) > 0),
])
def test_export_command(tmp_path, fmt, check):
    out = tmp_path / f"out.{fmt}.json"
    assert main(["export", SEED, "--format", fmt, "--out", str(out)]) == 0
    assert check(json.loads(out.read_text(encoding="utf-8")))


def test_export_graphml_needs_a_file(tmp_path, capsys):
    assert main(["export", SEED, "--format", "graphml"]) == 2
    assert "give --out" in capsys.readouterr().err
    assert main(["export", SEED, "--format", "graphml", "--out", str(tmp_path / "g.graphml")]) == 0
    assert (tmp_path / "g.graphml").read_text(encoding="utf-8").startswith("<?xml")


def test_export_prints_json_without_out(capsys):
    assert main(["export", SEED, "--format", "claimreview", "--reviewer", "Desk"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["@graph"][0]["author"]["name"] == "Desk"
