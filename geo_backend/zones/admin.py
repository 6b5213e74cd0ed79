from django.contrib.gis import admin

from .models import Intervention, Zone


class ZoneInline(admin.TabularInline):
    model = Zone
    extra = 0
    fields = ["method", "label", "area_km2", "version"]
    readonly_fields = fields
    show_change_link = True


@admin.register(Intervention)
class InterventionAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "validation_state", "sensitivity", "status", "is_demo", "updated_at"]
    list_filter = ["validation_state", "sensitivity", "status", "is_demo", "themes"]
    search_fields = ["title", "organisation__name"]
    readonly_fields = ["version", "created_at", "updated_at"]
    inlines = [ZoneInline]


@admin.register(Zone)
class ZoneAdmin(admin.GISModelAdmin):
    list_display = ["id", "intervention", "method", "area_km2"]
    # Geometry changes go through the API/editor so that clipping and commune shares are recomputed.
    readonly_fields = ["geom", "coarse_geom", "area_km2", "version"]
