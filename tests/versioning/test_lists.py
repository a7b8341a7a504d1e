"""Filters.any_of: one OR clause for every reader, one statement per alternative for pages."""

from claimledger_server.versioning.lists import Filters


def any_of_filters() -> Filters:
    found = Filters()
    found.add("status = {}", "disputed")
    with found.any_of():
        found.add("claimant_id = {}", "act_1")
        found.add_ids_from("claim_id", "claim_refs WHERE ref_id = {} AND role = 'co'", "act_1")
    found.add("stated_on_end >= {}", "2024-01-01")
    return found


def test_the_group_is_one_or_clause_in_order_with_the_others() -> None:
    found = any_of_filters()
    assert found.clauses == [
        "status = $1",
        "(claimant_id = $2 OR id IN (SELECT claim_id FROM claim_refs"
        " WHERE ref_id = $3 AND role = 'co'))",
        "stated_on_end >= $4",
    ]
    assert found.args == ["disputed", "act_1", "act_1", "2024-01-01"]


def test_each_alternative_is_a_statement_with_only_its_arguments() -> None:
    found = any_of_filters()
    found.after("clm_5")
    own, co = found.statements()
    assert own == (
        ["status = $1", "claimant_id = $2", "stated_on_end >= $3", "id > $4"],
        ["disputed", "act_1", "2024-01-01", "clm_5"],
    )
    # The cursor bounds the side table's scan inside the alternative too; placeholders are
    # numbered in order of first use.
    assert co == (
        [
            "status = $1",
            "id IN (SELECT claim_id FROM claim_refs WHERE ref_id = $2 AND role = 'co'"
            " AND claim_id > $3)",
            "stated_on_end >= $4",
            "id > $3",
        ],
        ["disputed", "act_1", "clm_5", "2024-01-01"],
    )
    assert "claim_id > $5" in found.clauses[1]


def test_without_a_group_there_is_one_statement() -> None:
    found = Filters()
    found.add_ids_from("claim_id", "claim_refs WHERE ref_id = {}", "src_1")
    found.after("clm_1")
    assert found.statements() == [
        (
            [
                "id IN (SELECT claim_id FROM claim_refs WHERE ref_id = $1 AND claim_id > $2)",
                "id > $2",
            ],
            ["src_1", "clm_1"],
        )
    ]
