"""Owners of actions: splitting action lines into names, and matching names to known people."""

from dataclasses import dataclass

import pytest

from actions_log.importing.owners import (
    ACTION_LINE,
    OwnerMatcher,
    split_action_line,
    split_owners,
)


@dataclass
class Someone:
    """Stands in for boards.Person: the matcher reads only these four attributes."""

    pk: int
    title: str
    given_name: str
    family_name: str


DAVID_ROCHE = Someone(1, "Councillor", "David", "Roche")
TERRI_ROCHE = Someone(2, "", "Terri", "Roche")
RUTH = Someone(3, "", "Ruth", "Fletcher Brown")
KATE_GREEN = Someone(4, "", "Kate", "Green")
JULIE = Someone(5, "Dr", "Julie", "Kitlowski")
ANNE_MARIE = Someone(6, "", "Anne Marie", "Lubanski")
MALLINDER = Someone(7, "Councillor", "Nanette", "Mallinder")
SARAH = Someone(8, "", "Sarah", "Farragher")
BOARD = [DAVID_ROCHE, TERRI_ROCHE, RUTH, KATE_GREEN, JULIE, ANNE_MARIE, MALLINDER, SARAH]


@pytest.fixture
def matcher():
    return OwnerMatcher(BOARD)


# Splitting action lines --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "owners"),
    [
        ("Action: Kate Green", ["Kate Green"]),
        ("Action:- Giles Ratcliffe/Julie Kitlowski", ["Giles Ratcliffe", "Julie Kitlowski"]),
        ("Action: Anne Marie Lubanski/Kate Green", ["Anne Marie Lubanski", "Kate Green"]),
        ("ACTION: Barbara Murray and Nigel Parkes", ["Barbara Murray", "Nigel Parkes"]),
        ("ACTION: Sue Hill & Sam Newton", ["Sue Hill", "Sam Newton"]),
        ("ACTION: Cllr D. Roche / Dr. Jason Page", ["Cllr D. Roche", "Dr. Jason Page"]),
        ("Actions: Kate Green, Sharon Kemp", ["Kate Green", "Sharon Kemp"]),
        ("Action: Kate Green (RMBC)", ["Kate Green"]),
        ("Action: Councillors Short and Sansome", ["Councillor Short", "Councillor Sansome"]),
        # ' and ' inside a role is not a separator.
        (
            "Action: Strategic Director of Adult Care and Housing",
            ["Strategic Director of Adult Care and Housing"],
        ),
        # The names alone, without 'Action:', split the same way.
        ("Chris Edwards/Sharon Kemp", ["Chris Edwards", "Sharon Kemp"]),
        ("Action:Kate Green", ["Kate Green"]),
        ("Action:\u00a0Kate Green", ["Kate Green"]),
    ],
)
def test_split_owners(line, owners):
    assert split_owners(line) == owners


@pytest.mark.parametrize(
    ("line", "owners", "due"),
    [
        (
            "ACTION: Sue Hill & Sam Newton by the next meeting",
            ["Sue Hill", "Sam Newton"],
            "by the next meeting",
        ),
        ("Action: Kate Green (by March 2017)", ["Kate Green"], "by March 2017"),
        ("Action: Sam Newton – 31 January 2018", ["Sam Newton"], "31 January 2018"),
        ("Action: Kate Green", ["Kate Green"], ""),
    ],
)
def test_split_action_line_keeps_a_due_date_apart(line, owners, due):
    assert split_action_line(line) == (owners, due)


@pytest.mark.parametrize(
    "line",
    [
        "Key Action: Let's Get Rotherham Talking",
        "Action",
        "Actions",
        "Action Plan: to be agreed",
        "Transaction: refund",
        "Actions\tNP",
    ],
)
def test_lines_that_only_look_like_actions(line):
    assert ACTION_LINE.match(line) is None or not ACTION_LINE.match(line).group("rest")


# Matching ------------------------------------------------------------------------------------


def test_a_small_misspelling_matches_but_is_flagged_for_review(matcher):
    match = matcher.match("Ruther Fletcher-Brown")
    assert match.person is RUTH
    assert match.needs_review is True
    assert match.exact is False
    assert "Ruther Fletcher-Brown" in match.note
    assert "Ruth Fletcher Brown" in match.note
    assert "similar spelling" in match.note


@pytest.mark.parametrize(
    "printed",
    [
        "Ruth Fletcher Brown",
        "Ruth Fletcher-Brown",  # hyphen
        "RUTH FLETCHER BROWN",  # case
        "ruth fletcher-brown",
        "Ms Ruth Fletcher-Brown",  # title
        "Ruth  Fletcher\u2011Brown",  # non-breaking hyphen, double space
    ],
)
def test_case_hyphens_and_titles_do_not_matter(matcher, printed):
    match = matcher.match(printed)
    assert (match.person, match.exact, match.needs_review) == (RUTH, True, False)


@pytest.mark.parametrize(
    ("printed", "person"),
    [
        ("Dr. Julie Kitlowski", JULIE),
        ("Dr Julie Kitlowski", JULIE),
        ("Julie Kitlowski", JULIE),
        ("Professor Julie Kitlowski", JULIE),
        ("Cllr David Roche", DAVID_ROCHE),
        ("Councillor David Roche", DAVID_ROCHE),
        ("Mrs Kate Green", KATE_GREEN),
        ("Miss Kate Green", KATE_GREEN),
        ("Mr. Kate Green", KATE_GREEN),
    ],
)
def test_titles_are_set_aside(matcher, printed, person):
    match = matcher.match(printed)
    assert match.person is person
    assert match.exact is True
    assert match.needs_review is False


@pytest.mark.parametrize(
    ("printed", "person"),
    [
        ("Councillor D. Roche", DAVID_ROCHE),
        ("Cllr D Roche", DAVID_ROCHE),
        ("D.Roche", DAVID_ROCHE),
        ("T. Roche", TERRI_ROCHE),
        ("A.M. Lubanski", ANNE_MARIE),
        ("A M Lubanski", ANNE_MARIE),
        ("Anne Lubanski", ANNE_MARIE),
    ],
)
def test_initials_and_shortened_given_names_match(matcher, printed, person):
    match = matcher.match(printed)
    assert match.person is person
    assert match.exact is False
    assert match.needs_review is False
    assert match.note


def test_family_name_alone_matches_when_only_one_person_has_it(matcher):
    match = matcher.match("Councillor Mallinder")
    assert match.person is MALLINDER
    assert match.needs_review is False
    assert "family name" in match.note


def test_family_name_alone_without_a_title_to_confirm_it_is_flagged():
    match = OwnerMatcher([Someone(9, "", "Kathryn", "Singh")]).match("Singh")
    assert match.person is not None
    assert match.needs_review is True


def test_a_printed_title_settles_which_of_two_people_is_meant(matcher):
    # Councillor David Roche and Terri Roche share a family name; only one is a councillor.
    match = matcher.match("Councillor Roche")
    assert match.person is DAVID_ROCHE
    assert match.needs_review is False


def test_family_name_shared_by_two_people_is_ambiguous(matcher):
    match = matcher.match("Roche")
    assert match.person is None
    assert match.needs_review is True
    assert "David Roche" in match.note and "Terri Roche" in match.note


def test_two_people_with_the_same_name_are_ambiguous():
    twins = [Someone(20, "", "Kate", "Green"), Someone(21, "", "Kate", "Green")]
    match = OwnerMatcher(twins).match("Kate Green")
    assert match.person is None
    assert match.needs_review is True
    assert "could be any of" in match.note


def test_two_people_spelt_alike_are_not_guessed_between():
    people = [Someone(30, "", "Jon", "Smith"), Someone(31, "", "Jan", "Smith")]
    match = OwnerMatcher(people).match("Jen Smith")
    assert match.person is None
    assert match.needs_review is True


@pytest.mark.parametrize("printed", ["Miranda Flood", "Sarah Gallagher", "Helen Stevens"])
def test_unknown_people_are_not_matched(matcher, printed):
    match = matcher.match(printed)
    assert match.person is None
    assert match.needs_review is True
    assert printed in match.note
    assert "new person" in match.note


def test_initials_alone_match_one_person_and_are_flagged(matcher):
    match = matcher.match("KG")
    assert match.person is KATE_GREEN
    assert match.needs_review is True


def test_the_same_person_listed_twice_is_not_ambiguous():
    match = OwnerMatcher([KATE_GREEN, KATE_GREEN]).match("Kate Green")
    assert match.person is KATE_GREEN


def test_an_empty_name_matches_no_one(matcher):
    match = matcher.match("  ")
    assert match.person is None
    assert match.needs_review is True


def test_matching_against_real_people(db):
    """boards.Person works as well as the stand-ins."""
    from boards.factories import PersonFactory

    ruth = PersonFactory(title="", given_name="Ruth", family_name="Fletcher Brown")
    PersonFactory(title="", given_name="Ruth", family_name="Fletcher")
    from boards.models import Person

    match = OwnerMatcher(Person.objects.all()).match("Ruther Fletcher-Brown")
    assert match.person == ruth
    assert match.needs_review is True
