"""`{{ transcript|item_transcript:row.item_id }}`: an agenda item's part of the transcript."""

from django import template

register = template.Library()


@register.filter
def item_transcript(transcript, item_id):
    """The item's ItemTranscripts (one per recording it was taken in); [] without a transcript."""
    if not transcript or item_id is None:
        return []
    return transcript.for_item(item_id)
