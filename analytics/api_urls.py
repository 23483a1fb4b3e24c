from django.urls import path

from analytics import api

urlpatterns = [
    path("events/", api.events_create, name="api-events"),
    path("insights/<slug:slug>/<slug:view>/", api.insights_detail, name="api-insights"),
]
