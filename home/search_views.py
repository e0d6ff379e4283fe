"""The public search over agendas, papers, minutes and decisions."""

from django.http import HttpResponse


def search(request):
    return HttpResponse("Search")
