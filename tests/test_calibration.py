"""The reliability table of benchmarks.accuracy."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.accuracy import calibration_table


def test_bins_count_mean_confidence_and_accuracy():
    confidence = np.array([0.2, 0.4, 0.55, 0.95, 0.97, 0.999, 0.999, 1.0])
    correct = np.array([0, 1, 1, 1, 0, 1, 1, 1], dtype=bool)
    table = calibration_table(confidence, correct)
    assert table["facts"].tolist() == [2, 1, 2, 3]     # < 0.5, 0.5-0.6, 0.95-0.99, >= 0.99
    np.testing.assert_allclose(table["confidence"], [0.3, 0.55, 0.96, (0.999 * 2 + 1) / 3])
    np.testing.assert_allclose(table["accuracy"], [0.5, 1.0, 0.5, 1.0])
    expected = (2 * 0.2 + 1 * 0.45 + 2 * 0.46 + 3 * abs((0.999 * 2 + 1) / 3 - 1)) / 8
    assert table.attrs["ece"] == pytest.approx(expected)


def test_a_calibrated_and_an_overconfident_score():
    rng = np.random.default_rng(0)
    confidence = rng.uniform(0, 1, 20_000)
    right = rng.uniform(0, 1, 20_000) < confidence
    assert calibration_table(confidence, right).attrs["ece"] < 0.03
    assert calibration_table(np.sqrt(confidence), right).attrs["ece"] > 0.1


def test_reliability_rows_per_dataset_and_pooled():
    import pandas as pd
    from benchmarks.accuracy import reliability_rows

    frame = pd.DataFrame({"dataset": ["a", "a", "b", "b"], "confidence": [0.55, 0.995, 0.55, 0.995],
                          "consistent": [True, True, False, True]})
    rows = reliability_rows(frame, "consistent")
    assert rows.index.tolist() == ["all", "a", "b"]
    assert rows.loc["b", "[0.5, 0.6)"] == "0.55/0.00 (1)"
    assert rows.loc["all", "[0.5, 0.6)"] == "0.55/0.50 (2)"
    assert rows.loc["a", "[0.0, 0.5)"] == ""
    assert rows.loc["a", "ECE"] == pytest.approx((0.45 + 0.005) / 2, abs=1e-3)
    assert rows.loc["b", "ECE"] == pytest.approx((0.55 + 0.005) / 2, abs=1e-3)


def test_leave_one_dataset_out_fits_on_the_other_datasets_only():
    import pandas as pd
    from benchmarks.accuracy import isotonic_map, leave_one_dataset_out

    knots, mapped = isotonic_map(np.array([0.2, 0.2, 0.9, 0.5]), np.array([1.0, 0.0, 1.0, 0.0]), np.ones(4))
    assert knots.tolist() == [0.2, 0.5, 0.9] and np.all(np.diff(mapped) >= 0)
    assert mapped.tolist() == pytest.approx([1 / 3, 1 / 3, 1.0])  # 0.2 pooled with 0.5: monotone
    # two datasets over-confident alike: the map fitted on one calibrates the other
    rng = np.random.default_rng(7)
    frames = [pd.DataFrame({"dataset": name, "confidence": np.full(400, 0.9),
                            "consistent": rng.random(400) < 0.6}) for name in ("alpha", "beta")]
    table = leave_one_dataset_out(pd.concat(frames, ignore_index=True), "consistent")
    assert table.index.tolist() == ["all", "alpha", "beta"]
    assert (table["ECE mapped (fit on the others)"] < 0.1).all() and (table["ECE as is"] > 0.2).all()
