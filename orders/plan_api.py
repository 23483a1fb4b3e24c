"""Production planning API for manufacturer staff: ask for a plan, follow or cancel the
job, read plans with every unit's place, and approve, reject or release them."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from c2b.rest import BAD_REQUEST, FORBIDDEN, NOT_FOUND
from catalog.models import Manufacturer
from catalog.queries import is_platform_admin, staff_manufacturer_id
from orders import plans as planning
from orders import queries
from orders.models import PlanEntry, PlanningJob, ProductionPlan
from orders.plan_display import describe_reason

REFUSED = OpenApiResponse(
    OpenApiTypes.OBJECT, description="Not possible in the current state; the key names why."
)


class JobSerializer(serializers.ModelSerializer):
    batches = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    plan = serializers.SerializerMethodField()

    class Meta:
        model = PlanningJob
        fields = [
            "id", "state", "phase", "progress", "details", "cancel_requested", "attempts",
            "error", "batches", "start_date", "created_at", "started_at", "finished_at", "plan",
        ]  # fmt: skip

    def get_plan(self, job) -> int | None:
        plan = ProductionPlan.objects.filter(job=job).values_list("pk", flat=True).first()
        return plan


class JobRequestSerializer(serializers.Serializer):
    manufacturer = serializers.IntegerField(
        required=False, help_text="Admins only: whose batches to plan."
    )
    batches = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="Plan only these launched batches (default: every one waiting).",
    )


class EntrySerializer(serializers.ModelSerializer):
    order = serializers.CharField(source="order.reference")
    line = serializers.CharField(source="line.code")
    why = serializers.SerializerMethodField()

    class Meta:
        model = PlanEntry
        fields = [
            "order",
            "unit",
            "line",
            "day",
            "position",
            "colour",
            "stations",
            "due",
            "reason",
            "why",
        ]

    def get_why(self, entry) -> str:
        return describe_reason(entry.reason)


class PlanSerializer(serializers.ModelSerializer):
    manufacturer = serializers.CharField(source="manufacturer.slug")
    batches = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = ProductionPlan
        fields = [
            "id", "manufacturer", "state", "job", "batches", "previous", "start_date",
            "last_day", "metrics", "first_metrics", "solve_seconds", "delivery_days",
            "created_at", "decided_at", "released_at",
        ]  # fmt: skip


class PlanDetailSerializer(PlanSerializer):
    entries = serializers.SerializerMethodField()

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "entries"]

    def get_entries(self, plan) -> list[dict]:
        entries = plan.entries.select_related("order", "line").order_by(
            "line__code", "day", "position"
        )
        return EntrySerializer(entries, many=True).data


@extend_schema(responses={200: JobSerializer(many=True), 400: BAD_REQUEST, 403: FORBIDDEN})
class JobList(generics.ListCreateAPIView):
    """Planning jobs of your manufacturer; POST asks for a plan of the launched batches
    still waiting for dates (a job already queued or running is returned instead)."""

    permission_classes = [IsAuthenticated]
    serializer_class = JobSerializer

    def get_queryset(self):
        return queries.jobs_for(self.request.user).prefetch_related("batches")

    @extend_schema(
        request=JobRequestSerializer,
        responses={202: JobSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 409: REFUSED},
    )
    def post(self, request, *args, **kwargs):
        queries.jobs_for(request.user)  # refuses anyone who is neither staff nor admin
        asked = JobRequestSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        manufacturer_id = staff_manufacturer_id(request.user)
        if manufacturer_id is None and is_platform_admin(request.user):
            manufacturer_id = asked.validated_data.get("manufacturer")
            if manufacturer_id is None:
                return Response({"manufacturer": ["Admins name the manufacturer."]}, 400)
        manufacturer = Manufacturer.objects.filter(pk=manufacturer_id).first()
        if manufacturer is None:
            return Response({"manufacturer": ["No such manufacturer."]}, 400)
        try:
            job = planning.job_request(
                manufacturer, user=request.user, batch_ids=asked.validated_data.get("batches")
            )
        except planning.PlanRefused as refused:
            return Response(refused.errors, status=refused.status)
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


@extend_schema(responses={200: JobSerializer, 403: FORBIDDEN, 404: NOT_FOUND})
class JobDetail(generics.RetrieveAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = JobSerializer

    def get_object(self):
        return queries.job_get_for(self.request.user, self.kwargs["pk"])


@extend_schema(
    request=None, responses={200: JobSerializer, 403: FORBIDDEN, 404: NOT_FOUND, 409: REFUSED}
)
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def job_cancel_view(request, pk: int):
    """Stop a queued or running job; it writes no plan."""
    job = queries.job_get_for(request.user, pk)
    try:
        job = planning.job_cancel(job)
    except planning.PlanRefused as refused:
        return Response(refused.errors, status=refused.status)
    return Response(JobSerializer(job).data)


@extend_schema(responses={200: PlanSerializer(many=True), 400: BAD_REQUEST, 403: FORBIDDEN})
class PlanList(generics.ListAPIView):
    """Production plans of your manufacturer (all, for admins), newest first."""

    permission_classes = [IsAuthenticated]
    serializer_class = PlanSerializer

    def get_queryset(self):
        return queries.plans_for(self.request.user).prefetch_related("batches")


@extend_schema(responses={200: PlanDetailSerializer, 403: FORBIDDEN, 404: NOT_FOUND})
class PlanDetail(generics.RetrieveAPIView):
    """A plan with every unit's line, day, place in the sequence and the reason for it."""

    permission_classes = [IsAuthenticated]
    serializer_class = PlanDetailSerializer

    def get_object(self):
        return queries.plan_get_for(self.request.user, self.kwargs["pk"])


def _decision(action):
    @extend_schema(
        operation_id=f"plan_{action}",
        request=None,
        responses={200: PlanSerializer, 403: FORBIDDEN, 404: NOT_FOUND, 409: REFUSED},
    )
    @api_view(["POST"])
    @permission_classes([IsAuthenticated])
    def view(request, pk: int):
        plan = queries.plan_get_for(request.user, pk)
        decide = {
            "approve": planning.plan_approve,
            "reject": planning.plan_reject,
            "release": planning.plan_release,
        }[action]
        try:
            decide(plan, request.user)
        except planning.PlanRefused as refused:
            return Response(refused.errors, status=refused.status)
        plan.refresh_from_db()
        return Response(PlanSerializer(plan).data)

    view.__doc__ = {
        "approve": "Approve a draft: every order in it is scheduled and told its dates.",
        "reject": "Reject a draft.",
        "release": "Release an approved plan to the line.",
    }[action]
    return view


plan_approve_view = _decision("approve")
plan_reject_view = _decision("reject")
plan_release_view = _decision("release")
