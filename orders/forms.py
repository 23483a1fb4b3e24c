"""Forms of the consumer pages: sign-up, profile, and the order form."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from orders.models import MAX_QUANTITY, ConsumerProfile
from orders.regions import PROVINCES, region_problem


def region_choices() -> list:
    """One select for province and city (optgroups), so it works without JavaScript."""
    chinese = (get_language() or "en").startswith("zh")
    choices: list = [("", _("Choose your city"))]
    for province in PROVINCES:
        label = province.name_zh if chinese else province.name_en
        cities = [
            (f"{province.code}|{zh}", zh if chinese else en.replace("_", " "))
            for zh, en in province.cities
        ]
        choices.append((label, cities))
    return choices


class RegionField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=region_choices, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        province, _, city = value.partition("|")
        problems = region_problem(province, city)
        if problems:
            raise forms.ValidationError(next(iter(problems.values())))
        return province, city


def region_value(province: str, city: str) -> str:
    return f"{province}|{city}" if province and city else ""


class SignUpForm(UserCreationForm):
    email = forms.EmailField(label=_("E-mail"), help_text=_("For order updates and resets."))
    region = RegionField(label=_("Delivery city"))

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this e-mail exists; sign in instead."))
        return email

    def save(self, commit: bool = True):
        user = super().save(commit=commit)
        province, city = self.cleaned_data["region"]
        ConsumerProfile.objects.create(user=user, province=province, city=city)
        return user


class ProfileForm(forms.ModelForm):
    region = RegionField(label=_("Delivery city"), required=False)

    class Meta:
        model = ConsumerProfile
        fields = ("age_band", "gender", "analytics_consent")
        labels = {
            "age_band": _("Age band (optional)"),
            "gender": _("Gender (optional)"),
            "analytics_consent": _(
                "Makers may count my age band and gender in their aggregated demand figures"
            ),
        }
        help_texts = {
            "analytics_consent": _(
                "Only in totals of at least ten people, never by name. You can withdraw at any "
                "time; from then on nothing about you is counted by age or gender."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].initial = region_value(self.instance.province, self.instance.city)

    def save(self, commit: bool = True):
        profile = super().save(commit=False)
        if self.cleaned_data.get("region"):
            profile.province, profile.city = self.cleaned_data["region"]
        if "analytics_consent" in self.changed_data:
            profile.consent_changed_at = timezone.now()
        if commit:
            profile.save()
        return profile


class OrderForm(forms.Form):
    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY, initial=1
    )
    region = RegionField(label=_("Deliver to"))
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=255)

    def __init__(self, *args, live_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["idempotency_key"].initial = uuid.uuid4().hex
        if live_url:  # with JavaScript, totals follow the quantity as it changes
            self.fields["quantity"].widget.attrs.update(
                {
                    "hx-get": live_url,
                    "hx-trigger": "input changed delay:300ms, change",
                    "hx-target": "#order-totals",
                    "hx-select": "#order-totals",
                    "hx-swap": "outerHTML",
                }
            )
