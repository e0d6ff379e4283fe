"""Views of the register of decisions."""

from django.http import HttpResponse


def register(request):
    return HttpResponse("Register of decisions")
