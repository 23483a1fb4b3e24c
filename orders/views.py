"""Consumer pages (sign-up, profile, ordering, orders), the sandbox provider's hosted
payment page, and the batch pages of manufacturer staff."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from analytics.models import Event as BehaviourEvent
from analytics.services import event_record
from catalog import queries as catalog_queries
from configurator import queries as saved_queries
from configurator.views import selection_from_query
from orders import queries
from orders.forms import OrderForm, ProfileForm, SignUpForm, region_value
from orders.idempotency import fingerprint, run_once
from orders.models import ConsumerProfile, Order
from orders.payments import ProviderError
from orders.payments.sandbox import SandboxProvider
from orders.regions import province_label
from orders.services import (
    OrderRefused,
    option_progress,
    order_accept_swap,
    order_cancel,
    order_place,
    order_quote,
    order_retry_payment,
    pay_url,
    payment_reconcile,
)
from orders.timeline import describe

DEFAULT_QUOTE_REGION = ("11", "北京市")  # the region does not change a price or a date


def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! Your account is ready."))
        target = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(target, {request.get_host()}):
            return redirect(target)
        return redirect("home")
    return render(request, "registration/signup.html", {"form": form})


@login_required
def profile(request):
    record, _created = ConsumerProfile.objects.get_or_create(user=request.user)
    form = ProfileForm(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        return redirect("profile")
    return render(request, "orders/profile.html", {"form": form})


def _profile_region(user) -> tuple[str, str] | None:
    record = ConsumerProfile.objects.filter(user=user).first()
    if record and record.province and record.city:
        return record.province, record.city
    return None


def _version_and_selection(request, slug: str):
    product = catalog_queries.product_get_published(slug)
    share_code = request.GET.get("configuration", "")
    if share_code:
        saved = saved_queries.configuration_by_share_code(share_code)
        if saved.version.product_model_id != product.pk:
            raise Http404("That configuration is of another product.")
        return product, saved.version, saved_queries.selection_of(saved)
    return product, product.published[0], selection_from_query(request.GET)


@login_required
def order_new(request, slug: str):
    """The order page: the server's own price for the configuration, quantity, delivery
    region, deposit and promised window, then one idempotent submission."""
    product, version, selection = _version_and_selection(request, slug)
    region = _profile_region(request.user)
    initial = {"region": region_value(*region)} if region else {}
    form = OrderForm(request.POST or None, initial=initial, live_url=request.get_full_path())
    context = {"product": product, "version": version, "form": form, "refused": None}
    if request.method == "GET":
        event_record(
            kind=BehaviourEvent.Kind.CHECKOUT_STARTED,
            user=request.user,
            session_id=request.analytics_session,
            product=product,
            version=version,
        )
    if request.method == "POST" and form.is_valid():
        province, city = form.cleaned_data["region"]
        key = form.cleaned_data["idempotency_key"]
        site = request.build_absolute_uri("/").rstrip("/")

        def work():
            quote = order_quote(
                version=version,
                selection=selection,
                quantity=form.cleaned_data["quantity"],
                province=province,
                city=city,
            )
            order = order_place(user=request.user, quote=quote, client_key=key, site_url=site)
            return 201, {"reference": order.reference}, order

        body = {
            "selection": request.GET.urlencode(),
            "quantity": form.cleaned_data["quantity"],
            "region": [province, city],
        }
        try:
            outcome = run_once(request.user, key, fingerprint(body), work)
        except OrderRefused as refused:
            context["refused"] = refused.errors
        else:
            if outcome.status == 201:
                return redirect("order-pay", outcome.body["reference"])
            if outcome.status == 409:
                messages.info(request, _("Your order is being placed; it appears here shortly."))
                return redirect("my-orders")
            form.add_error(
                None,
                _(
                    "This form was already sent with other details; reload "
                    "the page to place a new order."
                ),
            )
    province, city = region or DEFAULT_QUOTE_REGION
    quantity = form.data.get("quantity", 1) if form.is_bound else request.GET.get("quantity", 1)
    try:
        context["quote"] = order_quote(
            version=version, selection=selection, quantity=quantity, province=province, city=city
        )
    except OrderRefused as refused:
        context["quote"] = None
        context["refused"] = context["refused"] or refused.errors
    context["back"] = reverse("configure", args=[product.slug]) + "?" + request.GET.urlencode()
    status = 422 if context["refused"] or (form.is_bound and form.errors) else 200
    return render(request, "orders/order_new.html", context, status=status)


@login_required
def my_orders(request):
    orders = queries.orders_of(request.user).filter(consumer=request.user)
    page = Paginator(orders, 20).get_page(request.GET.get("page"))
    return render(request, "orders/my_orders.html", {"page": page})


@login_required
def order_detail(request, reference: str):
    order = queries.order_get_for(request.user, reference)
    if request.GET.get("returned") and order.state == Order.State.PENDING_PAYMENT:
        try:
            payment_reconcile(order)
        except ProviderError:
            messages.warning(request, _("We are still waiting to hear from the payment service."))
        order = queries.order_get_for(request.user, reference)
    timeline = [(event, describe(event)) for event in order.events.all()]
    progress = []
    if order.batch and order.state == Order.State.PAID:
        progress = option_progress(order.product_model, order.batch, frozenset(order.options))
    context = {
        "order": order,
        "timeline": timeline,
        "option_progress": progress,
        "can_cancel": order.state
        in (Order.State.PENDING_PAYMENT, Order.State.PAID, Order.State.BATCHED),
        "swap": order.swap_offer
        if order.swap_offer
        and not order.swap_offer.get("accepted_at")
        and order.state == Order.State.PAID
        else None,
    }
    return render(request, "orders/order_detail.html", context)


@login_required
def order_pay(request, reference: str):
    order = queries.order_get_for(request.user, reference)
    if order.state != Order.State.PENDING_PAYMENT:
        return redirect("order-detail", reference)
    site = request.build_absolute_uri("/").rstrip("/")
    try:
        url = pay_url(order)
        if url is None:
            order_retry_payment(order, site_url=site)
            url = pay_url(order)
    except (ProviderError, OrderRefused):
        messages.error(request, _("The payment service is not answering; try again shortly."))
        return redirect("order-detail", reference)
    return redirect(url)


def _order_action(request, reference: str, action, done: str):
    """A consumer's action on their own order, told back as a message on the order page."""
    order = queries.order_get_for(request.user, reference)
    try:
        action(order)
        messages.success(request, done)
    except OrderRefused as refused:
        messages.error(request, " ".join(refused.errors.values()))
    return redirect("order-detail", reference)


@require_POST
@login_required
def order_cancel_page(request, reference: str):
    return _order_action(request, reference, order_cancel, _("Your order is cancelled."))


@require_POST
@login_required
def order_swap_page(request, reference: str):
    done = _("Done: your order now has the offered option.")
    return _order_action(request, reference, order_accept_swap, done)


def sandbox_checkout(request, checkout_id: str):
    """The sandbox provider's hosted payment page (a real provider's is on its own site)."""
    gateway = SandboxProvider()
    try:
        record = gateway.record(checkout_id)
    except ProviderError:
        raise Http404("No such checkout.") from None
    if request.method == "POST" and record.status == "open":
        gateway.pay(checkout_id, succeed=request.POST.get("action") == "pay")
        return redirect(record.return_url)
    return render(request, "orders/sandbox_checkout.html", {"checkout": record})


@login_required
def batch_list(request):
    batches = queries.batches_for(request.user).order_by("-opened_at", "-pk")
    page = Paginator(batches, 30).get_page(request.GET.get("page"))
    return render(request, "orders/batch_list.html", {"page": page})


@login_required
def batch_detail(request, pk: int):
    batch = queries.batch_get_for(request.user, pk)
    orders = batch.orders.order_by("created_at")  # no names: makers see demand, not people
    page = Paginator(orders, 50).get_page(request.GET.get("page"))
    language = get_language() or "en"
    for order in page:
        order.province_name = province_label(order.province, language)
    figures = queries.batch_figures(batch, language)
    states = [
        (Order.State(state).label, count) for state, count in figures["orders_by_state"].items()
    ]
    context = {"batch": batch, "figures": figures, "states": states, "page": page}
    return render(request, "orders/batch_detail.html", context)
