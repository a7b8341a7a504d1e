"""Filters.any_of: one OR clause for every reader, one scan per alternative for pages."""

from claimledger_server.versioning.lists import Filters, _in_id_order


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


def test_each_alternative_has_every_other_clause_and_the_cursor() -> None:
    found = any_of_filters()
    found.after("clm_5")
    own, co = found.alternatives()
    assert own == ["status = $1", "claimant_id = $2", "stated_on_end >= $4", "id > $5"]
    # The cursor bounds the side table's scan inside the alternative too.
    assert co == [
        "status = $1",
        "id IN (SELECT claim_id FROM claim_refs WHERE ref_id = $3 AND role = 'co'"
        " AND claim_id > $5)",
        "stated_on_end >= $4",
        "id > $5",
    ]
    assert found.args == ["disputed", "act_1", "act_1", "2024-01-01", "clm_5"]
    assert "claim_id > $5" in found.clauses[1]


def test_a_page_of_alternatives_is_their_limited_scans_merged_once_each() -> None:
    found = any_of_filters()
    sql = _in_id_order("claims", found.alternatives(), 51)
    assert sql.startswith("SELECT DISTINCT ON (id) id, doc::text AS doc FROM (")
    assert sql.count("ORDER BY id LIMIT 51") == 3
    assert sql.count(" UNION ALL ") == 1
    assert sql.endswith(") AS alternatives ORDER BY id LIMIT 51")


def test_without_a_group_there_is_one_scan() -> None:
    found = Filters()
    found.add_ids_from("claim_id", "claim_refs WHERE ref_id = {}", "src_1")
    found.after("clm_1")
    assert found.alternatives() == [
        [
            "id IN (SELECT claim_id FROM claim_refs WHERE ref_id = $1 AND claim_id > $2)",
            "id > $2",
        ]
    ]
    assert _in_id_order("claims", found.alternatives(), 11) == (
        "SELECT id, doc::text AS doc FROM claims WHERE id IN (SELECT claim_id FROM claim_refs"
        " WHERE ref_id = $1 AND claim_id > $2) AND id > $2 ORDER BY id LIMIT 11"
    )
