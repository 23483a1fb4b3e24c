"""The dashboards' filters, shared by the pages, the exports and the API."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from analytics.queries import Filters, latest_week
from catalog.models import ProductModel
from orders.models import ConsumerProfile
from orders.regions import province_choices

LONGEST_RANGE = timedelta(weeks=156)
EARLIEST, LATEST = date(2000, 1, 3), date(2100, 12, 31)
DEFAULT_WEEKS = 12
NOT_GIVEN = ("none", _("Not given"))


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


class FilterForm(forms.Form):
    start = forms.DateField(required=False, label=_("From"))
    end = forms.DateField(required=False, label=_("To"))
    province = forms.ChoiceField(required=False, label=_("Region"))
    age_band = forms.ChoiceField(required=False, label=_("Age band"))
    gender = forms.ChoiceField(required=False, label=_("Gender"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        self.fields["province"].choices = (
            every + [NOT_GIVEN] + province_choices(get_language() or "en")
        )
        self.fields["age_band"].choices = every + [NOT_GIVEN] + ConsumerProfile.AgeBand.choices
        self.fields["gender"].choices = every + [NOT_GIVEN] + ConsumerProfile.Gender.choices

    def clean(self):
        data = super().clean()
        for name in ("start", "end"):
            if data.get(name) and not EARLIEST <= data[name] <= LATEST:
                self.add_error(name, _("Choose a date from 2000 to 2100."))
                data.pop(name, None)
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end comes before the start."))
        elif start and end and end - start > LONGEST_RANGE:
            self.add_error("end", _("Choose at most three years."))
        return data

    def filters(self, product: ProductModel) -> Filters:
        """Whole weeks, Monday to Monday; by default the twelve weeks up to the latest data."""
        data = self.cleaned_data
        end = _monday(data.get("end") or latest_week(product) or timezone.localdate())
        start = _monday(data.get("start") or end - timedelta(weeks=DEFAULT_WEEKS - 1))
        return Filters(
            product=product,
            start=start,
            end=end,
            province=data.get("province") or "",
            age_band=data.get("age_band") or "",
            gender=data.get("gender") or "",
        )
