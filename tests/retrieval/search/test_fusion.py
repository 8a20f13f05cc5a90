from retrieval.search.fusion import reciprocal_rank_fusion


def test_rrf_rewards_agreement() -> None:
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "a", "d"]])
    assert [doc for doc, _ in fused][:2] in (["a", "b"], ["b", "a"])
    assert dict(fused)["a"] == dict(fused)["b"]
    assert dict(fused)["c"] > dict(fused)["d"] or dict(fused)["c"] == dict(fused)["d"]


def test_rrf_zero_weight_ignores_a_ranking() -> None:
    fused = reciprocal_rank_fusion([["a"], ["z"]], [1.0, 0.0])
    assert [doc for doc, _ in fused] == ["a"]


def test_rrf_order_is_deterministic_on_ties() -> None:
    assert [d for d, _ in reciprocal_rank_fusion([["b"], ["a"]])] == ["a", "b"]
