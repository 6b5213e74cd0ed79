from django.contrib import admin

from .models import ColumnMapping, ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """The import history, read-only: what was imported, from which file (sha256), by whom."""

    list_display = ("filename", "created_at", "user", "organisation", "rows", "created", "updated", "unchanged")
    list_filter = ("organisation",)
    search_fields = ("filename", "sha256")
    readonly_fields = [f.name for f in ImportRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ColumnMapping)
class ColumnMappingAdmin(admin.ModelAdmin):
    list_display = ("organisation", "columns_signature", "updated_at")
