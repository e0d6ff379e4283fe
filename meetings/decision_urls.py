"""The public register of decisions, its feeds and its open-data endpoint."""

from django.urls import path

from . import decision_views

urlpatterns = [
    path("", decision_views.register, name="decision_register"),
]
