from django.contrib import admin

from .models import AdminUnit, Edition, Locality


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "pcode_scheme", "is_default"]


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin):
    list_display = ["pcode", "name", "level", "edition", "area_km2"]
    list_filter = ["edition", "level"]
    search_fields = ["pcode", "name", "name_normalised"]
    # Boundaries come from the load commands (one transaction, checked); not edited by hand.
    exclude = ["geom", "web_geom"]
    readonly_fields = ["edition", "level", "pcode", "parent", "area_km2"]


@admin.register(Locality)
class LocalityAdmin(admin.ModelAdmin):
    list_display = ["name", "pcode", "place_class", "commune"]
    search_fields = ["name", "pcode"]
    list_filter = ["place_class"]
    raw_id_fields = ["commune"]
