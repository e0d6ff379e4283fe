"""Keeping exempt papers private (Local Government Act 1972, Schedule 12A).

Each board has a private collection under the root-level "Exempt papers" collection, restricted
to signed-in users. A document attached to an exempt item is moved there when a draft of the
meeting is saved and again when it is published, so it is never public. Who may then open it is
decided by `user_may_see_exempt`: democratic services, superusers, and the board's current members.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from boards.models import DEMOCRATIC_SERVICES_GROUP, BoardPage

from .models import AgendaPaper, ExemptCollection, MeetingPage

EXEMPT_PAPERS_COLLECTION = "Exempt papers"


def _restrict_to_signed_in_users(collection):
    CollectionViewRestriction.objects.get_or_create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )


def exempt_papers_root():
    """The root-level "Exempt papers" collection, created (restricted) when first needed."""
    root = Collection.get_first_root_node()
    parent = root.get_children().filter(name=EXEMPT_PAPERS_COLLECTION).first()
    if parent is None:
        parent = root.add_child(name=EXEMPT_PAPERS_COLLECTION)
    _restrict_to_signed_in_users(parent)
    return parent


def exempt_collection_for(board):
    """The private collection for `board`'s exempt papers, created when first needed."""
    with transaction.atomic():
        link = ExemptCollection.objects.select_related("collection").filter(board=board).first()
        if link is not None:
            return link.collection
        collection = exempt_papers_root().add_child(name=board.title)
        # Restricted itself too, so moving it elsewhere in the tree cannot make it public.
        _restrict_to_signed_in_users(collection)
        ExemptCollection.objects.create(board=board, collection=collection)
        return collection


def _move_into_exempt_collection(document_ids, board):
    """Move documents into `board`'s exempt collection; return how many moved."""
    document_ids = {pk for pk in document_ids if pk}
    if not document_ids or not isinstance(board, BoardPage):
        return 0
    collection = exempt_collection_for(board)
    private_root = collection.get_parent()
    to_move = (
        get_document_model()
        .objects.filter(pk__in=document_ids)
        # Already private (in this board's collection or another's): leave it where it is.
        .exclude(collection__path__startswith=private_root.path)
    )
    moved = 0
    for document in to_move:
        # Saved one by one (rather than .update()) so the search index follows the move.
        document.collection = collection
        document.save(update_fields=["collection"])
        moved += 1
    return moved


def _board_of(meeting):
    parent = meeting.get_parent()
    return parent.specific if parent is not None else None


def secure_exempt_papers(meeting):
    """Move the papers of `meeting`'s exempt items (as saved) into its board's collection."""
    document_ids = AgendaPaper.objects.filter(
        item__meeting=meeting, item__is_exempt=True
    ).values_list("document_id", flat=True)
    document_ids = set(document_ids)
    if not document_ids:
        return 0
    return _move_into_exempt_collection(document_ids, _board_of(meeting))


def secure_exempt_papers_in_revision(revision):
    """Do the same for a saved draft: the items live only in the revision's content."""
    if revision.content_type_id != ContentType.objects.get_for_model(MeetingPage).id:
        return 0
    meeting = revision.as_object()
    document_ids = {
        paper.document_id
        for item in meeting.agenda_items.all()
        if item.is_exempt
        for paper in item.papers.all()
    }
    if not document_ids:
        return 0
    return _move_into_exempt_collection(document_ids, _board_of(meeting))


def user_may_see_exempt(user, board):
    """Whether `user` may open `board`'s exempt papers."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if user.groups.filter(name=DEMOCRATIC_SERVICES_GROUP).exists():
        return True
    if board is None:
        return False
    return board.current_memberships().filter(person__user=user).exists()


def board_of_exempt_document(document):
    """(is_exempt, board) for a document: board is None for exempt papers of no one board."""
    chain = document.collection.get_ancestors(inclusive=True)
    link = ExemptCollection.objects.filter(collection__in=chain).select_related("board").first()
    if link is not None:
        return True, link.board
    if chain.filter(depth=2, name=EXEMPT_PAPERS_COLLECTION).exists():
        return True, None
    return False, None
