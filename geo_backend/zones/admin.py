from django.contrib.gis import admin

from geo_backend.organisations.access import audience_for

from . import services
from .models import Intervention, Zone


class ZoneInline(admin.TabularInline):
    model = Zone
    extra = 0
    fields = ["method", "label", "area_km2", "version"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False  # deleting goes through the zone's own page, so the coverage follows (see ZoneAdmin)


@admin.register(Intervention)
class InterventionAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "validation_state", "sensitivity", "status", "is_demo", "updated_at"]
    list_filter = ["validation_state", "sensitivity", "status", "is_demo", "themes"]
    search_fields = ["title", "organisation__name"]
    readonly_fields = ["version", "created_at", "updated_at"]
    inlines = [ZoneInline]

    # Deleting through the service: the lock order of zone writes, and the coverage atoms recomputed.
    def delete_model(self, request, obj):
        services.intervention_delete(audience=audience_for(request.user), intervention=obj,
                                     expected_version=obj.version)

    def delete_queryset(self, request, queryset):
        for intervention in queryset.order_by("id"):
            self.delete_model(request, intervention)


@admin.register(Zone)
class ZoneAdmin(admin.GISModelAdmin):
    list_display = ["id", "intervention", "method", "area_km2"]
    # Geometry changes go through the API/editor so that clipping and commune shares are recomputed.
    readonly_fields = ["geom", "coarse_geom", "area_km2", "version"]

    def delete_model(self, request, obj):
        services.zone_delete(audience=audience_for(request.user), zone=obj, expected_version=obj.version)

    def delete_queryset(self, request, queryset):
        for zone in queryset.select_related("intervention").order_by("id"):
            self.delete_model(request, zone)
