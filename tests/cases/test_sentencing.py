"""What a judgment may pronounce and who executes it, without the database."""

from datetime import date

from jalon.cases.sentencing import (
    SentenceFacts,
    SentencingRules,
    age_on,
    convocations_needed,
    executing_service_kinds,
    sentence_issues,
)

RULES = SentencingRules.from_values(
    {
        "sentence.forbidden.contravention": ["prison", "suspended", "probation", "ddse"],
        "sentence.doubtful.contravention": ["tig"],
        "sentence.tig.min_age_at_decision": 16,
        "sentence.tig.min_age_at_facts": 13,
        "execution.services": {
            "probation": ["spip"],
            "tig": ["sap", "spip"],
            "ddse": ["sap", "spip"],
            "prison": ["sap", "spip"],
        },
        "execution.jap_convocation.kinds": ["prison", "ddse"],
        "execution.spip_convocation.kinds": ["prison", "ddse", "probation", "tig"],
        "execution.art474.max_prison_months": 12,
    }
)


def issues(kind, offence_kinds=("delit",), facts=30, decision=30):
    return sentence_issues(
        kind,
        kind,
        offence_kinds=offence_kinds,
        age_at_facts=facts,
        age_at_decision=decision,
        rules=RULES,
    )


def test_imprisonment_for_contraventions_only_is_blocked():
    (found,) = issues("prison", offence_kinds=["contravention"])
    assert found.blocking and found.code == "sentence_not_for_contravention"
    assert "contravention" in found.message


def test_a_contravention_joined_to_a_delit_follows_the_delit():
    assert issues("prison", offence_kinds=["contravention", "delit"]) == []


def test_tig_for_a_contravention_is_a_warning_not_a_block():
    (found,) = issues("tig", offence_kinds=["contravention"])
    assert not found.blocking


def test_fine_for_a_contravention_is_fine():
    assert issues("fine", offence_kinds=["contravention"]) == []


def test_tig_is_blocked_under_13_at_the_facts_and_under_16_at_the_decision():
    codes = {i.code for i in issues("tig", facts=12, decision=15)}
    assert codes == {"tig_too_young_at_facts", "tig_too_young_at_decision"}
    assert issues("tig", facts=15, decision=16) == []


def test_without_a_rule_on_that_day_the_check_stays_off():
    empty = SentencingRules()
    assert (
        sentence_issues(
            "prison",
            "prison",
            offence_kinds=["contravention"],
            age_at_facts=10,
            age_at_decision=10,
            rules=empty,
        )
        == []
    )


def test_age_counts_birthdays():
    assert age_on(date(2010, 6, 15), date(2026, 6, 14)) == 15
    assert age_on(date(2010, 6, 15), date(2026, 6, 15)) == 16


def test_a_sursis_probatoire_goes_to_the_spip_only():
    probation = SentenceFacts("probation", months=12, suspended_months=12)
    assert executing_service_kinds(probation, RULES) == ["spip"]
    assert convocations_needed([probation], RULES) == (True, False)


def test_tig_and_adjustments_go_to_the_sap_and_the_spip():
    assert executing_service_kinds(SentenceFacts("tig"), RULES) == ["sap", "spip"]
    assert convocations_needed([SentenceFacts("ddse", months=6)], RULES) == (True, True)


def test_long_firm_imprisonment_is_not_for_the_sortie_d_audience():
    long = SentenceFacts("prison", months=24, suspended_months=6)
    assert executing_service_kinds(long, RULES) == []
    assert convocations_needed([long], RULES) == (False, False)
    short = SentenceFacts("prison", months=18, suspended_months=8)
    assert convocations_needed([short], RULES) == (True, True)


def test_a_fine_needs_no_service():
    assert executing_service_kinds(SentenceFacts("fine"), RULES) == []
    assert convocations_needed([SentenceFacts("fine")], RULES) == (False, False)
