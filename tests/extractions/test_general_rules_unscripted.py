"""Rules of English news writing that the revision studying the failures of `unscripted` by
mechanism added, each on sentences of its own (no article's wording, names or numbers): a
transcript's introduction that names its occasion past an abbreviation's full stop ("at
U.N. offices"), or as an excerpt "from" the occasion; a labelled speaker
who passes on what others "tell us" keeps the claim; a correction that retracts what an
earlier version said is no one's claim; the people a building held before the attack and
the care a clinic gave count nothing; an outlet described as a "radio network" or an
"exile outlet" relays; the items of a list that a speaker's sentence introduces with a
colon are that speaker's."""

from datetime import date

from tests.extractions.offline import PUBLISHED, claims_said, counted

_WEDNESDAY = date(2024, 12, 25)  # the Wednesday before the Friday of publication

# Transcripts


def test_a_transcripts_occasion_past_an_abbreviations_full_stop() -> None:
    text = (
        "Below is a transcript of Wednesday's briefing at the U.N. offices in Vienna by"
        " spokesman Oskar Brandt.\n\n"
        "BRANDT: Twenty-seven people were wounded in Lorne.\n\n"
        "Q: Is that final?\n\n"
        "BRANDT: It is not."
    )
    assert claims_said(text) == [("Oskar Brandt", None, _WEDNESDAY)] * 2


def test_a_transcript_excerpted_from_its_occasion() -> None:
    text = (
        "VIENNA, Dec. 27 (Meridian News) - What follows is an excerpt from Wednesday's"
        " press briefing by spokeswoman Ilse Marek.\n\n"
        "MAREK: Nine people were killed in Lorne. We expect that number to rise."
    )
    assert claims_said(text) == [("Ilse Marek", None, _WEDNESDAY)] * 2


def test_a_labelled_speaker_keeps_what_others_tell_us() -> None:
    text = (
        "Below is a transcript of a briefing by spokeswoman Ilse Marek.\n\n"
        "MAREK: Our colleagues in the field tell us that 3,100 people have fled Lorne.\n\n"
        "Q: And the wounded?\n\n"
        "MAREK: The health authorities have informed us that 56 people were wounded."
    )
    assert [said[0] for said in claims_said(text)] == ["Ilse Marek", "Ilse Marek"]
    assert counted(text) == [
        ("displaced", "exact", 3100, "people"),
        ("wounded", "exact", 56, "people"),
    ]


# Corrections


def test_a_correction_retracts_what_an_earlier_version_said() -> None:
    text = (
        "Floods killed 17 people in the valley, the civil protection agency said.\n\n"
        "Correction: An earlier version of this report said 71 people were killed."
    )
    assert counted(text) == [("killed", "exact", 17, "people")]
    assert [said[0] for said in claims_said(text)] == ["civil protection agency"]
    # a correction that gives the figure back to its speaker is still that speaker's claim
    text = (
        "CORRECTION: An earlier version of this story wrongly said the police had given the"
        " toll of 22 dead; the figure was given by Anton Weiss, the mayor."
    )
    assert counted(text) == [("killed", "exact", 22, "people")]
    assert [said[0] for said in claims_said(text)] == ["Anton Weiss"]


# Counts of nothing the fighting did


def test_the_people_a_building_held_before_the_attack_count_nothing() -> None:
    text = (
        "The mayor said 8 people were killed. The school, which housed about 260 pupils"
        " before the raid, was destroyed, he said."
    )
    assert counted(text) == [("killed", "exact", 8, "people")]
    # a shelter housing the displaced now still counts them
    text = "The agency said two schools were housing about 1,500 displaced people."
    assert counted(text) == [("displaced", "approximately", 1500, "people")]


def test_care_a_clinic_gave_counts_nothing() -> None:
    text = (
        "The charity said its clinic, which has carried out more than 9,000 consultations"
        " since May, was shelled and that 3 nurses were wounded."
    )
    assert counted(text) == [("wounded", "exact", 3, "people")]


# Relays


def test_an_outlet_described_as_a_radio_network_or_an_exile_outlet_relays() -> None:
    text = (
        "Interior Minister Paula Restrepo told the radio network Onda Sur that 16 police"
        " officers had been wounded."
    )
    assert claims_said(text) == [("Paula Restrepo", "Onda Sur", PUBLISHED)]
    text = "Farmers told the exile outlet Mirador that soldiers had killed four villagers."
    assert claims_said(text) == [("Farmers", "Mirador", PUBLISHED)]


# Lists


def test_a_list_a_speakers_sentence_introduces_with_a_colon_is_theirs() -> None:
    text = (
        "The interior ministry said police had repelled raids on two villages on Wednesday."
        " It gave these figures:\n\n"
        "- 12 attackers killed;\n"
        "- 3 police officers wounded.\n\n"
        "The mayor said 40 houses burned."
    )
    said = claims_said(text)
    assert [who for who, _, _ in said] == ["interior ministry"] * 4 + ["mayor"]
    assert counted(text) == [
        ("killed", "exact", 12, "people"),
        ("wounded", "exact", 3, "people"),
        ("other", "exact", 40, "houses"),
    ]
