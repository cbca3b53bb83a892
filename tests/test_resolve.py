"""Canonical sources and subjects."""

import pytest

from reconcile.contract import InputError
from reconcile.resolve import fold, read_aliases, resolve_sources, subject_key

SEED_NAMES = [
    "Bild’s foreign policy editor Julian Röpcke", "Röpcke", "Roepcke", "Julian Röpcke",
    "journalist Middle East and conflict areas National Security Levent Kemal",
    "Levent Kemal (@leventkemaI)", "@leventkemaI",
    "Russian Reconciliation Center for Syria", "the Center", "Reconciliation Center",
    "some sources",
]


def test_seed_sources_resolve_to_one_each():
    resolution = resolve_sources(SEED_NAMES)
    groups = resolution.aliases()
    assert set(groups) == {"Julian Röpcke", "Levent Kemal", "Russian Reconciliation Center for Syria",
                           "some sources"}
    assert "@leventkemaI" in groups["Levent Kemal"]
    assert "the Center" in groups["Russian Reconciliation Center for Syria"]
    assert resolution.types["Julian Röpcke"] == "person"
    assert resolution.types["some sources"] == "anonymous"


def test_result_does_not_depend_on_order():
    assert resolve_sources(SEED_NAMES).canonical == resolve_sources(reversed(SEED_NAMES)).canonical


def test_ambiguous_short_form_stays_apart():
    canonical = resolve_sources(["Russian Defence Ministry", "Russian Foreign Ministry", "Russian"]).canonical
    assert canonical["Russian"] == "Russian"


def test_generic_sources_are_not_merged_into_named_ones():
    canonical = resolve_sources(["officials", "Pakistani officials", "Officials in Miranshah"]).canonical
    assert len(set(canonical.values())) == 3


def test_descriptor_after_the_name_and_typos():
    canonical = resolve_sources(["Fahrettin Koca, the health minister", "Fahretin Koca"]).canonical
    assert len(set(canonical.values())) == 1


def test_user_aliases_always_win():
    names = ["Röpcke", "Julian Röpcke", "Roepcke", "the Center", "Russian Reconciliation Center for Syria"]
    aliases = {"the Center": "Russian MoD", "Julian Röpcke": "J. Röpcke"}
    canonical = resolve_sources(names, aliases=aliases).canonical
    assert canonical["the Center"] == "Russian MoD"
    assert canonical["Julian Röpcke"] == canonical["Röpcke"] == canonical["Roepcke"] == "J. Röpcke"
    # a pinned short form does not pull in names the user did not list
    assert canonical["Russian Reconciliation Center for Syria"] == "Russian Reconciliation Center for Syria"


def test_alias_file(tmp_path):
    path = tmp_path / "aliases.csv"
    path.write_text("alias,canonical\nRöpcke,Julian Röpcke\n\n", encoding="utf-8")
    assert read_aliases(path) == {"Röpcke": "Julian Röpcke"}
    path.write_text("name,who\nx,y\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_aliases(path)
    assert caught.value.line == 1
    path.write_text("alias,canonical\nx,\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_aliases(path)
    assert caught.value.line == 2


def test_fold_transliterates():
    assert fold("Röpcke") == fold("Roepcke") == "roepcke"
    assert fold("İdlib") == "idlib"


def test_subject_synonyms():
    assert subject_key("Russian servicemen") == subject_key("russian soldiers") == "russian soldiers"
    assert subject_key("Turkish crew members") == "turkish crew"
    assert subject_key("civilians") != subject_key("soldiers")
