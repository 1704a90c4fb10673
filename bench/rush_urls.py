"""The application's URLs plus the benchmark's bare endpoint: the minimal SQL of one booking
(conditional seat UPDATE, booking INSERT, one transaction) behind the same middleware, session and
CSRF check as the real sign-up — the ceiling of Django plus PostgreSQL on this machine."""

import json

from django.db import connection, transaction
from django.http import JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from gonghui.urls import urlpatterns as app_urlpatterns


@require_POST
def bare(request, pk):
    if request.worker is None:
        return JsonResponse({"code": "unauthenticated"}, status=401)
    name = json.loads(request.body or b"{}").get("name", "")
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE activities_activity SET taken = taken + 1 WHERE id = %s AND taken < capacity", [pk])
        if not cur.rowcount:
            return JsonResponse({"code": "full"}, status=409)
        cur.execute("INSERT INTO activities_booking (activity_id, worker_id, name, state, created_at, booked_at) "
                    "VALUES (%s, %s, %s, 'booked', %s, %s) RETURNING id", [pk, request.worker.pk, name, now, now])
        booking_id = cur.fetchone()[0]
    return JsonResponse({"id": booking_id, "state": "booked"}, status=201)


urlpatterns = [path("bench/bare/<int:pk>/", bare), *app_urlpatterns]
