"""Rules of English news writing that the revision studying the failures of `unannounced` by
mechanism added, each on sentences of its own (no article's wording, names or numbers): an
outlet after "per" relays the claim it ends; a statement "read on the state broadcaster X"
is relayed by X, though one read on unnamed state television is not; "told the X news site"
names the outlet X; "the X news outlet, citing Y" relays Y through X; "the broadcaster's
correspondent", with no outlet named but the publisher, is the publisher's own; "Marnia's
National Radio" is the whole name of an outlet named only by what it is; "His remarks were
carried by X", a sentence of its own, makes X the relay of the claim before it; "It put the
enemy's total losses at N" and "It attributed N deaths to" are the last speaker's; "The X, a
monitoring group, recorded N deaths, it said" is X's; "violated the ceasefire N times" counts
violations; "N times over the past week" is how often, no ratio."""

from datetime import timedelta

from tests.extractions.offline import PUBLISHED, claims_said, counted

_MONDAY = PUBLISHED - timedelta(days=4)

# Relays


def test_an_outlet_after_per_relays_the_claim() -> None:
    text = (
        "The coastal police say they have detained 15 smugglers near the port, per the"
        " state news agency KANA."
    )
    assert claims_said(text) == [("coastal police", "KANA", PUBLISHED)]
    # "per cent" and "per day" name no outlet
    text = "The police said 15 per cent of the 40 detainees had been freed."
    assert [relay for _, relay, _ in claims_said(text)] == [None]


def test_a_statement_read_on_a_named_broadcaster_is_relayed_by_it() -> None:
    text = (
        "The navy said in a communique read on the state broadcaster KTV on Monday evening"
        " that 14 sailors had been killed."
    )
    assert claims_said(text) == [("navy", "KTV", _MONDAY)]
    # unnamed state television is the government's own channel: no relay
    text = "In a statement read on state television last Friday, the navy said 14 sailors died."
    assert [relay for _, relay, _ in claims_said(text)] == [None]


def test_a_news_site_after_a_name_says_it_is_an_outlet() -> None:
    text = (
        "A district official, Pavel Orlik, told the Green Valley news site that at least 12"
        " villagers had been killed. Dozens more were wounded, he said."
    )
    assert claims_said(text) == [("Pavel Orlik", "Green Valley", PUBLISHED)] * 2


def test_a_news_outlet_citing_someone_relays_them_under_its_name() -> None:
    text = (
        "The exile-run Morning Lantern news outlet, citing a nurse at the clinic, reported"
        " that 17 people had died."
    )
    assert claims_said(text) == [("nurse at the clinic", "Morning Lantern", PUBLISHED)]


def test_the_broadcasters_correspondent_is_the_publishers_own() -> None:
    text = (
        "A resident, Anna Orlik, told the broadcaster's correspondent that 30 people had"
        " been sheltering in the house."
    )
    assert claims_said(text) == [("Anna Orlik", None, PUBLISHED)]
    # an outlet named before is the one a description names again
    text = (
        "The mayor told the regional channel Delta 9 that 12 people had died. A resident"
        " told the channel that 30 people had been sheltering in the house."
    )
    second = [relay for _, relay, _ in claims_said(text)][1]
    assert second is not None
    assert "Delta 9" in second


def test_whose_a_name_made_only_of_what_it_is_belongs_to_the_name() -> None:
    text = "A spokesman, Pavel Orlik, told Marnia's National Radio that 12 soldiers were wounded."
    assert claims_said(text) == [("Pavel Orlik", "Marnia's National Radio", PUBLISHED)]


def test_remarks_carried_by_an_outlet_in_a_sentence_of_their_own_are_relayed() -> None:
    text = (
        "The rebel commander, Pavel Orlik, said on Telegram that 40 soldiers had been"
        " captured. His remarks were carried by the rebel-run Lion news agency."
    )
    assert claims_said(text) == [("Pavel Orlik", "Lion", PUBLISHED)]
    # the claimant's own channel relays nothing
    text = (
        "The rebel commander, Pavel Orlik, said that 40 soldiers had been captured. His"
        " remarks were carried by its own radio station."
    )
    assert [relay for _, relay, _ in claims_said(text)] == [None]


# Speakers


def test_it_put_losses_at_a_figure_is_the_speaker_before() -> None:
    text = (
        "The ministry said 40 soldiers were killed. It put the enemy's total losses since the"
        " war began at 12,000. It attributed 12 deaths to shelling."
    )
    assert [who for who, _, _ in claims_said(text)] == ["ministry"] * 3
    text = "Foreign officials have put combined losses on both sides at more than 5,000."
    assert [who for who, _, _ in claims_said(text)] == ["Foreign officials"]


def test_a_body_that_counts_at_the_head_is_whom_a_closing_it_said_names() -> None:
    text = (
        "The monitor said 30 people died. The Delta Rights Watch, a monitoring group,"
        " recorded 1,100 deaths in March, it said."
    )
    assert [who for who, _, _ in claims_said(text)] == ["monitor", "Delta Rights Watch"]
    # a closing "it said" after a sentence about what happened is still the speaker before
    text = "The monitor said 30 people died. The shelling killed 12 more, it said."
    assert [who for who, _, _ in claims_said(text)] == ["monitor"] * 2


# Figures


def test_how_often_a_truce_was_broken_counts_violations() -> None:
    text = "The ministry said rebel forces had violated the ceasefire on the border 19 times."
    assert counted(text) == [("other", "exact", 19, "violations")]
    text = "The ministry said the rebels had breached the truce 19 times in a week."
    assert counted(text) == [("other", "exact", 19, "violations")]
    # a town shelled many times is attacked, not a truce broken
    text = "The ministry said the rebels had shelled the town 19 times."
    assert counted(text) == [("other", "exact", 19, "attacks")]


def test_times_over_a_period_is_how_often_not_a_ratio() -> None:
    text = "The ministry said the rebels had shelled the town 19 times over the past week."
    assert counted(text) == [("other", "exact", 19, "attacks")]
    # "three times as many" compares
    text = "The ministry said three times as many soldiers had been deployed."
    assert ("other", "exact", 3, "attacks") not in counted(text)
