from django.shortcuts import render

from geo_backend.regions.selectors import edition_list_with_counts


def home(request):
    return render(request, "web/home.html", {"editions": edition_list_with_counts()})


def about(request):
    return render(request, "web/about.html", {"editions": edition_list_with_counts()})
