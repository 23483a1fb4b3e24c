from django.shortcuts import render

from catalog import queries


def home(request):
    return render(request, "catalog/home.html", {"products": queries.published_products()})


def product_detail(request, slug: str):
    product = queries.product_get_published(slug)
    version = queries.version_get_for_user(request.user, slug, product.published[0].number)
    groups = list(version.groups.all())
    context = {"product": product, "version": version, "groups": groups}
    return render(request, "catalog/product_detail.html", context)
