"""Test and benchmark factories for boards, people and memberships."""

import factory
import wagtail_factories

from .models import BoardIndexPage, BoardKind, BoardPage, Membership, Person


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    organisation = "RMBC"
    job_title = "Officer"


class BoardIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = BoardIndexPage

    title = "Partnership boards"
    slug = "boards"


class BoardPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = BoardPage

    title = factory.Sequence(lambda n: f"Test Partnership Board {n}")
    slug = factory.Sequence(lambda n: f"test-board-{n}")
    short_name = factory.Sequence(lambda n: f"TPB{n}")
    kind = BoardKind.PARTNERSHIP


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    board = factory.SubFactory(BoardPageFactory)
    person = factory.SubFactory(PersonFactory)
    role = "member"
