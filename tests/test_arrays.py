"""The array helpers behind the hot path: codes for distinct rows, per-distinct mapping into
categorical columns, grouped lists."""

import numpy as np
import pandas as pd
import pytest

from reconcile import arrays
from reconcile.arrays import dense_codes, map_distinct, plain_columns, row_codes
from reconcile.consensus import grouped_lists


def test_map_distinct_gives_sorted_categories_and_missing_results_as_missing():
    calls = []

    def shout(value):
        calls.append(value)
        return None if value == "drop" else value.upper()

    mapped = map_distinct(pd.Series(["b", "a", "drop", "b", "a"]), shout)
    assert sorted(calls) == ["a", "b", "drop"]  # once per distinct value
    assert isinstance(mapped.dtype, pd.CategoricalDtype)
    assert list(mapped.cat.categories) == ["A", "B"]
    assert mapped.isna().tolist() == [False, False, True, False, False]
    assert mapped.astype(object).tolist()[:2] == ["B", "A"]


def test_sorted_codes_make_sorted_group_codes_independent_of_row_order():
    subjects = pd.Series(["zebra", "apple", "mango", "apple"])
    coded = map_distinct(subjects, str.strip)
    codes, first = dense_codes(coded)
    assert codes.tolist() == [2, 0, 1, 0]
    assert subjects[first].tolist() == ["apple", "mango", "zebra"]
    reversed_codes, _ = dense_codes(map_distinct(subjects[::-1].reset_index(drop=True), str.strip))
    assert reversed_codes.tolist() == codes[::-1].tolist()


def test_plain_columns_turns_categoricals_back_into_object_columns():
    frame = pd.DataFrame({"name": map_distinct(pd.Series(["x", "y", "x"]), str.upper), "n": [1, 2, 3]})
    plain = plain_columns(frame)
    assert plain["name"].dtype == object and plain["name"].tolist() == ["X", "Y", "X"]
    assert plain["n"].tolist() == [1, 2, 3]
    assert plain_columns(plain) is plain


def test_row_codes_renumber_before_the_combined_key_overflows(monkeypatch):
    rng = np.random.default_rng(0)
    columns = [rng.integers(0, 50, 2000) for _ in range(4)]
    expected, _ = row_codes(*columns, sort=True)
    monkeypatch.setattr(arrays, "_LARGEST_KEY", 100)  # forces a renumbering at every column
    codes, first = row_codes(*columns, sort=True)
    assert codes.tolist() == expected.tolist()
    rows = list(zip(*columns))
    assert [rows[i] for i in first] == sorted(set(rows))


@pytest.mark.parametrize("as_categorical", [False, True])
def test_grouped_lists_are_sorted_distinct_names_per_group(as_categorical):
    names = pd.Series(["b", "z", "a", "b", "a"])
    cells = map_distinct(names, str.strip).values if as_categorical else names.to_numpy(dtype=object)
    assert grouped_lists(np.array([1, 0, 1, 1, 3]), cells, 4) == [["z"], ["a", "b"], [], ["a"]]
